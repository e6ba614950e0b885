#!/usr/bin/env bash
# Side-by-side process benchmark: Erlang/OTP and Beamwire run the same process shapes in one run and
# the table shows each Beamwire figure next to Erlang's with the ratio:
#   local ping-pong, fan-in (8 senders -> 1 receiver), spawn+exit of 1M processes, memory of 1M idle
#   processes, GenServer.call local and remote (loopback, two OS processes each side), rpc round trip.
# Erlang's half is bench/Beamwire.Benchmarks/Procs/bw_procs_bench.erl, Beamwire's ProcsShapes.cs.
# Runtime: a few minutes at scale 1.
#
#   scripts/bench-procs.sh              # full size (1M processes)
#   BENCH_SCALE=0.1 scripts/bench-procs.sh
set -euo pipefail
cd "$(dirname "$0")/.."

command -v erl >/dev/null && command -v erlc >/dev/null || { echo "bench-procs.sh: erl/erlc are not installed (apt-get install erlang-base erlang-dev)" >&2; exit 1; }
driver=bench/Beamwire.Benchmarks/bin/Release/net10.0/Beamwire.Benchmarks
if [ "${BENCH_NO_BUILD:-}" != 1 ]; then
  echo "==> building (Release)" >&2
  dotnet build bench/Beamwire.Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
fi

beams=$(mktemp -d)
trap 'rm -rf "$beams"' EXIT
erlc -o "$beams" bench/Beamwire.Benchmarks/Procs/bw_procs_bench.erl
# .NET's defaults (workstation concurrent GC, tiered PGO); each shape is warmed up on both sides first.
"$driver" procs --erl-beam-dir "$beams" --scale "${BENCH_SCALE:-1}"
