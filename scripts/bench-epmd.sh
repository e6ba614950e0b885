#!/usr/bin/env bash
# Side-by-side epmd benchmark: Erlang's epmd and `beamwire epmd`, each its own process on its own
# private port, in the same run, driven by the same load driver (bench/Beamwire.Benchmarks
# `epmd-load`). Measures requests per second for PORT_PLEASE2 and NAMES with concurrent clients,
# without and with 1,000 further clients held mid-request, checks every reply byte for byte, and
# prints both rates and the ratio. Runtime about a minute.
#
#   scripts/bench-epmd.sh
#   BENCH_SECONDS=5 BENCH_CLIENTS=32 BENCH_HELD=1000 scripts/bench-epmd.sh
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${BENCH_SECONDS:-3}
clients=${BENCH_CLIENTS:-16}
held=${BENCH_HELD:-1000}
names=bench,node1,node2,node3,node4   # a host with five nodes: NAMES replies five lines

log() { printf '==> %s\n' "$*" >&2; }

command -v epmd >/dev/null || { echo "bench-epmd.sh: Erlang's epmd is not installed (apt-get install erlang-base)" >&2; exit 1; }
cli=src/Beamwire.Cli/bin/Release/net10.0/beamwire
driver=bench/Beamwire.Benchmarks/bin/Release/net10.0/Beamwire.Benchmarks
if [ "${BENCH_NO_BUILD:-}" != 1 ]; then
  log "building (Release)"
  dotnet build src/Beamwire.Cli -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
  dotnet build bench/Beamwire.Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
fi

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 20000))
    listening "$p" || { echo "$p"; return; }
  done
}

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

real_port=$(free_port)
ours_port=$(free_port)
logs=$(mktemp -d)
epmd -port "$real_port" 2>"$logs/erlang-epmd.log" & pids+=($!); real_pid=$!
"$cli" epmd -port "$ours_port" 2>"$logs/beamwire-epmd.log" & pids+=($!); ours_pid=$!
for p in "$real_port" "$ours_port"; do
  for _ in $(seq 200); do listening "$p" && break; sleep 0.05; done
  listening "$p" || { echo "bench-epmd.sh: nothing listens on port $p" >&2; exit 1; }
done

hold_for=$(( (seconds + 4) * 8 + 30 ))
"$driver" epmd-load register --port "$real_port" --names "$names" --seconds "$hold_for" >/dev/null & pids+=($!)
"$driver" epmd-load register --port "$ours_port" --names "$names" --seconds "$hold_for" >/dev/null & pids+=($!)
sleep 1

log "erlang epmd $(epmd -help 2>&1 | head -0; erl -noshell -eval 'io:put_chars(erlang:system_info(otp_release)), halt().' 2>/dev/null || echo ?) on port $real_port, beamwire epmd on port $ours_port"
log "$clients clients, ${seconds}s per run after 0.5s warm-up; held = further clients connected mid-request during the run"

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }  # user + system time of a process
rate() { # pid port request held -> "rps cpu-microseconds-per-request" (exits non-zero on any wrong reply)
  local out before after ok
  before=$(cpu_ticks "$1")
  out=$("$driver" epmd-load rate --port "$2" --request "$3" --name bench --clients "$clients" \
        --seconds "$seconds" --warmup 0.5 --held "$4")
  after=$(cpu_ticks "$1")
  echo "   $out" >&2
  ok=$(sed -n 's/.* ok=\([0-9]*\).*/\1/p' <<<"$out")
  # The daemon's CPU over the whole run (warm-up and held clients included) per measured request.
  echo "$(sed -n 's/.* rps=\([0-9]*\).*/\1/p' <<<"$out") $(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$ok" 'BEGIN { printf "%.0f", (n > 0 ? t / hz * 1e6 / n : 0) }')"
}

results=()
for h in 0 "$held"; do
  for req in port2 names; do
    r=$(rate "$real_pid" "$real_port" "$req" "$h")
    o=$(rate "$ours_pid" "$ours_port" "$req" "$h")
    results+=("$req $h $r $o")
  done
done

printf '\n%-13s %5s %14s %16s %7s   %s\n' "request" "held" "erlang epmd/s" "beamwire epmd/s" "ratio" "daemon CPU per request (erlang / beamwire)"
for line in "${results[@]}"; do
  read -r req h r rc o oc <<<"$line"
  label=$([ "$req" = port2 ] && echo PORT_PLEASE2 || echo NAMES)
  printf '%-13s %5s %14s %16s %6.2fx   %s us / %s us\n' "$label" "$h" "$r" "$o" \
    "$(awk -v a="$o" -v b="$r" 'BEGIN { print (b > 0 ? a / b : 0) }')" "$rc" "$oc"
done
