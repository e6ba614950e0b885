#!/usr/bin/env bash
# Side-by-side distribution benchmark: Beamwire and Erlang/OTP nodes, each its own OS process on
# loopback, in the same run, doing the same work (bench/Beamwire.Benchmarks `dist`, the Erlang half
# in bench/Beamwire.Benchmarks/Dist/bw_dist_bench.erl). Shapes: one-way {msg, <<>>} and 1 KiB
# binaries, strict ping-pong, windowed ping-pong with 1..32 pairs over one connection; pairs
# Beamwire→Beamwire, Beamwire→erl, erl→Beamwire, erl→erl. Every shape's pairs run interleaved,
# BENCH_REPEATS times (default 5), and each prints its median: rates, CPU per message (both nodes,
# and the receiver's part) and ratios to erl→erl. Out of the box: default mailboxes and sockets,
# nothing tuned. Runtime about five minutes; BENCH_SCALE=0.3 BENCH_REPEATS=3 for a quick look.
# BENCH_MAILBOXES=sync runs the Beamwire side with MailboxOptions.AllowSynchronousContinuations;
# BENCH_RECEIVE_COALESCING=MICROS sets BeamNodeOptions.ReceiveCoalescing on both Beamwire nodes (0: off).
#
#   scripts/bench-dist.sh
set -euo pipefail
cd "$(dirname "$0")/.."

scale=${BENCH_SCALE:-1}
repeats=${BENCH_REPEATS:-5}
mailboxes=${BENCH_MAILBOXES:-default}
coalescing=()
[ -n "${BENCH_RECEIVE_COALESCING:-}" ] && coalescing=(--receive-coalescing "$BENCH_RECEIVE_COALESCING")
log() { printf '==> %s\n' "$*" >&2; }

command -v erl >/dev/null || { echo "bench-dist.sh: Erlang/OTP is not installed (apt-get install erlang-base)" >&2; exit 1; }
command -v erlc >/dev/null || { echo "bench-dist.sh: erlc is missing (apt-get install erlang-base)" >&2; exit 1; }
driver=bench/Beamwire.Benchmarks/bin/Release/net10.0/Beamwire.Benchmarks
if [ "${BENCH_NO_BUILD:-}" != 1 ]; then
  log "building (Release)"
  dotnet build bench/Beamwire.Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
fi

beams=$(mktemp -d)
trap 'rm -rf "$beams"' EXIT
erlc -o "$beams" bench/Beamwire.Benchmarks/Dist/bw_dist_bench.erl

log "running (scale $scale, $repeats interleaved repeats, mailboxes: $mailboxes)"
"$driver" dist --erl-beam-dir "$beams" --scale "$scale" --repeats "$repeats" --mailboxes "$mailboxes" "${coalescing[@]}"
