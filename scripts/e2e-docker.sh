#!/usr/bin/env bash
# End-to-end: Beamwire nodes in containers on a real dockerd, side by side with Elixir containers,
# as the tutorial runs them. Every network is internal with an explicit subnet in 100.64.0.0/10.
# Needs the NativeAOT binary (scripts/publish.sh). Cleans up its containers, networks and the engine
# even on failure; prints one line per scenario with the time it took, then "N passed, N failed".
#
#   scripts/e2e-docker.sh            # every scenario
#   BEAMWIRE_E2E_KEEP_ENGINE=1 ...   # leave dockerd running afterwards (faster reruns while developing)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
binary=$root/artifacts/publish/aot/beamwire
[ -x "$binary" ] || { echo "e2e-docker: $binary missing: run scripts/publish.sh first" >&2; exit 2; }

scripts/docker-env.sh up
source scripts/docker-env.sh
D=$BEAMWIRE_DOCKER
label=beamwire-e2e
image=local/beamwire:e2e
elixir=local/beamwire-elixir:latest
results=()
passed=0
failed=0

cleanup() {
  local ids
  ids=$($D ps -aq --filter "label=$label" 2>/dev/null || true)
  [ -n "$ids" ] && $D rm -f $ids >/dev/null 2>&1 || true
  ids=$($D network ls -q --filter "label=$label" 2>/dev/null || true)
  [ -n "$ids" ] && $D network rm $ids >/dev/null 2>&1 || true
  [ -n "${BEAMWIRE_E2E_KEEP_ENGINE:-}" ] || scripts/docker-env.sh down
}
trap cleanup EXIT

log() { printf 'e2e: %s\n' "$*"; }

# ms since the epoch, for the summary
now() { date +%s%3N; }

# waits (bounded) until a container's log holds TEXT
wait_log() {
  local c=$1 text=$2 limit=${3:-60} i
  for i in $(seq 1 $((limit * 10))); do
    $D logs "$c" 2>&1 | grep -qF -- "$text" && return 0
    sleep 0.1
  done
  log "$c never logged '$text'; its log:"; $D logs "$c" 2>&1 | tail -20 | sed 's/^/    /'
  return 1
}

expect() { # expect NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then return 0; fi
  log "$1: expected '$2', got '$3'"
  return 1
}

network() { # network NAME SUBNET
  $D network create --internal --subnet "$2" --label "$label" "$1" >/dev/null
}

bw() { # bw NAME NETWORK ARGS... : a Beamwire node container named and host-named NAME
  local name=$1 net=$2; shift 2
  $D run -d --label "$label" --net "$net" --hostname "$name" --name "$name" "$image" "$@" >/dev/null
}

run_scenario() { # run_scenario TITLE FUNCTION
  local title=$1 fn=$2 t0 t1 status=0
  t0=$(now)
  ( set -e; "$fn" ) || status=$?
  t1=$(now)
  if [ $status -eq 0 ]; then passed=$((passed + 1)); results+=("ok     $(printf '%6d' $((t1 - t0))) ms  $title")
  else failed=$((failed + 1)); results+=("FAILED $(printf '%6d' $((t1 - t0))) ms  $title"); fi
}

# 1. The tutorial's manual run: a user-defined network, two nodes named by --hostname/--name, each
#    pinging the other by name; an Elixir container in the same network pings and calls into them.
manual_run() {
  network net_poc 100.64.42.0/24
  bw node1 net_poc --sname node1 --cookie cookie
  bw node2 net_poc --sname node2 --cookie cookie
  wait_log node1 "node node1@node1 started"
  wait_log node2 "node node2@node2 started"
  expect "node1 pings node2" pong "$($D exec node1 /app/beamwire ping node2@node2 --cookie cookie)"
  expect "node2 pings node1" pong "$($D exec node2 /app/beamwire ping node1@node1 --cookie cookie)"
  expect "names in node1's container" "name node1 at port" "$($D exec node1 /app/beamwire names | grep -o 'name node1 at port')"
  local out
  out=$($D run --rm --label "$label" --net net_poc --hostname ex1 --name ex1 "$elixir" \
    elixir --sname ex1 --cookie cookie -e 'IO.inspect({Node.ping(:node1@node1), Node.ping(:node2@node2), :rpc.call(:node2@node2, :erlang, :node, [])})')
  expect "Elixir pings and calls both" "{:pong, :pong, :node2@node2}" "$out"
}

log "image $image from $binary"
t0=$(now)
$D build -q -f deploy/docker/Dockerfile --target prebuilt --build-arg RUNTIME_IMAGE=local/beamwire-runtime-deps:latest -t "$image" . >/dev/null
log "built in $(( $(now) - t0 )) ms, $($D image inspect -f '{{.Size}}' "$image" | awk '{printf "%.1f MB", $1/1e6}')"

run_scenario "manual run: ping both ways by --hostname, Elixir container joins" manual_run

echo "scenario                                               time"
printf '%s\n' "${results[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
