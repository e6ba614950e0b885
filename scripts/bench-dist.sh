#!/usr/bin/env bash
# Side-by-side distribution benchmark: Beamwire and Erlang/OTP nodes, each its own OS process on
# loopback, in the same run, doing the same work (bench/Beamwire.Benchmarks `dist`, the Erlang half
# in bench/Beamwire.Benchmarks/Dist/bw_dist_bench.erl). Shapes: one-way {msg, <<>>} and 1 KiB
# binaries, strict ping-pong, windowed ping-pong with 1..32 pairs over one connection; pairs
# Beamwire→Beamwire, Beamwire→erl, erl→Beamwire, erl→erl. Prints rates, CPU per message and ratios
# to erl→erl, twice:
#   1. out of the box: default mailboxes (receive continuations on the thread pool), default sockets;
#   2. latency-tuned: MailboxOptions.AllowSynchronousContinuations and
#      DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 (both .NET processes).
# Runtime: about three minutes. BENCH_SCALE=0.3 BENCH_REPEATS=1 for a quick look.
#
#   scripts/bench-dist.sh
set -euo pipefail
cd "$(dirname "$0")/.."

scale=${BENCH_SCALE:-1}
repeats=${BENCH_REPEATS:-3}
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

log "run 1 of 2: out of the box"
"$driver" dist --erl-beam-dir "$beams" --scale "$scale" --repeats "$repeats" --mailboxes default
echo
log "run 2 of 2: latency-tuned (AllowSynchronousContinuations, inline socket completions)"
DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 \
  "$driver" dist --erl-beam-dir "$beams" --scale "$scale" --repeats "$repeats" --mailboxes sync
