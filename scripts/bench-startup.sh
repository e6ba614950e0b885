#!/usr/bin/env bash
# Start-up and memory of beamwire next to Erlang/Elixir, measured the same way in the same run:
#   1. cold start of an -sname node until it is registered with epmd and listening, then exit
#      (erl -sname x -noshell -eval 'halt().'  vs  beamwire node --sname x --exit-after-start), hyperfine;
#   2. idle RSS of a running node after 10 s (erl -sname -noshell vs beamwire node), from /proc;
#   3. the shell's time to its first prompt in a pseudo-terminal (iex --sname vs beamwire shell --sname).
# Uses the NativeAOT binary (scripts/publish.sh builds it) and, for comparison, the JIT build that
# ./beamwire.sh runs. Needs hyperfine and python3. Prints every figure and the ratios beamwire/erlang.
#
#   scripts/bench-startup.sh            # RUNS=20 cold starts, 5 prompt timings each
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
runs=${RUNS:-20}
prompt_runs=${PROMPT_RUNS:-5}
aot="$root/artifacts/publish/aot/beamwire"
jit="$root/artifacts/beamwire.sh/beamwire"
command -v hyperfine >/dev/null || { echo "bench-startup.sh: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
[ -x "$aot" ] || scripts/publish.sh >/dev/null
[ -x "$jit" ] || ./beamwire.sh --help >/dev/null 2>&1

work=$(mktemp -d)
export HOME=$work            # a private cookie and shell history
export ERL_EPMD_PORT=$(( 20000 + RANDOM % 20000 ))
epmd -daemon
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  epmd -kill >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
sleep 0.3

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }

echo "== 1. cold start until registered + listening, then exit ($runs runs, epmd already up on $ERL_EPMD_PORT)"
hyperfine -N --warmup 2 --runs "$runs" --export-json "$work/start.json" \
  -n "erl -sname" "erl -sname bench_erl -setcookie c -noshell -eval halt()." \
  -n "beamwire node (AOT)" "$aot node --sname bench_aot --cookie c --exit-after-start" \
  -n "beamwire node (JIT)" "$jit node --sname bench_jit --cookie c --exit-after-start" >"$work/start.txt"
mean() { python3 -c "import json,sys; d=json.load(open('$work/start.json')); print([r['mean'] for r in d['results'] if r['command']=='$1'][0])"; }
t_erl=$(mean "erl -sname"); t_aot=$(mean "beamwire node (AOT)"); t_jit=$(mean "beamwire node (JIT)")
printf '   erl -sname           %6.3f s\n   beamwire node (AOT)  %6.3f s   %s of erl\n   beamwire node (JIT)  %6.3f s   %s of erl\n' \
  "$t_erl" "$t_aot" "$(ratio "$t_aot" "$t_erl")" "$t_jit" "$(ratio "$t_jit" "$t_erl")"

echo "== 2. idle RSS after 10 s"
rss_tree() { # KB of a process and its children
  local total=0 p
  for p in "$1" $(pgrep -P "$1" || true); do
    total=$(( total + $(awk '/^VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}
erl -sname idle_erl -setcookie c -noshell >/dev/null 2>&1 & pids+=($!); erl_pid=$!
"$aot" node --sname idle_aot --cookie c >/dev/null 2>&1 & pids+=($!); aot_pid=$!
"$jit" node --sname idle_jit --cookie c >/dev/null 2>&1 & pids+=($!); jit_pid=$!
sleep 10
r_erl=$(rss_tree "$erl_pid"); r_aot=$(rss_tree "$aot_pid"); r_jit=$(rss_tree "$jit_pid")
printf '   erl -sname           %6.1f MB\n   beamwire node (AOT)  %6.1f MB   %s of erl\n   beamwire node (JIT)  %6.1f MB   %s of erl\n' \
  "$(awk -v k="$r_erl" 'BEGIN{print k/1024}')" "$(awk -v k="$r_aot" 'BEGIN{print k/1024}')" "$(ratio "$r_aot" "$r_erl")" \
  "$(awk -v k="$r_jit" 'BEGIN{print k/1024}')" "$(ratio "$r_jit" "$r_erl")"
for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
pids=()

echo "== 3. shell: time to the first prompt in a terminal (median of $prompt_runs, min-max)"
read -r p_iex p_iex_min p_iex_max < <(scripts/prompt-time.py "$prompt_runs" 'iex\(prompt_iex@[^)]*\)1> ' -- iex --sname prompt_iex --cookie c)
read -r p_aot p_aot_min p_aot_max < <(scripts/prompt-time.py "$prompt_runs" 'iex\(prompt_aot@[^)]*\)1> ' -- "$aot" shell --sname prompt_aot --cookie c)
read -r p_jit p_jit_min p_jit_max < <(scripts/prompt-time.py "$prompt_runs" 'iex\(prompt_jit@[^)]*\)1> ' -- "$jit" shell --sname prompt_jit --cookie c)
printf '   iex --sname           %6.3f s (%s-%s)\n   beamwire shell (AOT)  %6.3f s (%s-%s)   %s of iex\n   beamwire shell (JIT)  %6.3f s (%s-%s)   %s of iex\n' \
  "$p_iex" "$p_iex_min" "$p_iex_max" "$p_aot" "$p_aot_min" "$p_aot_max" "$(ratio "$p_aot" "$p_iex")" "$p_jit" "$p_jit_min" "$p_jit_max" "$(ratio "$p_jit" "$p_iex")"
echo "   (targets: start <= 0.5x erl, idle RSS <= 0.5x erl, shell prompt faster than iex)"
