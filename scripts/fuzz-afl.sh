#!/usr/bin/env bash
# A bounded coverage-guided (AFL++ with SharpFuzz) run of one wire decoder target, seeded with the committed
# corpus the fuzz tests use (captured from real OTP 25/27/29 peers), then the run's figures.
#
#   scripts/fuzz-afl.sh TARGET [SECONDS]       # default 60 s; TARGET one of:
#     handshake-acceptor handshake-initiator dist-frames epmd-requests epmd-replies
#
# Installs what it needs if missing (afl++ from Debian, the sharpfuzz instrumenter as a dotnet tool): these
# runs are for long fuzzing sessions, not part of the test command. Work directory: /tmp/bwfuzz-TARGET
# (out/default/crashes holds crashing inputs; replay one with
#  dotnet /tmp/bwfuzz-TARGET/bin/Beamwire.Wire.Fuzz.dll TARGET FILE).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz-afl.sh TARGET [SECONDS]}
seconds=${2:-60}
case "$target" in
  handshake-acceptor|handshake-initiator|dist-frames|epmd-requests|epmd-replies) ;;
  *) echo "fuzz-afl.sh: unknown target '$target'" >&2; exit 2 ;;
esac

command -v afl-fuzz >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null; }
sharpfuzz=$HOME/.dotnet/tools/sharpfuzz
[ -x "$sharpfuzz" ] || dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0 >/dev/null

work=/tmp/bwfuzz-$target
rm -rf "$work"
mkdir -p "$work"
dotnet publish fuzz/Beamwire.Wire.Fuzz -c Release -o "$work/bin" --nologo -v quiet
# Instrument the libraries under test (the harness and the targets stay uninstrumented).
for lib in Beamwire.Terms Beamwire.Epmd Beamwire.Node; do "$sharpfuzz" "$work/bin/$lib.dll" >/dev/null; done
dotnet "$work/bin/Beamwire.Wire.Fuzz.dll" "$target" seeds "$work/seeds"

export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1
timeout --kill-after=30 $((seconds + 60)) afl-fuzz -V "$seconds" -i "$work/seeds" -o "$work/out" -t 10000 -m none \
  -- dotnet "$work/bin/Beamwire.Wire.Fuzz.dll" "$target" afl > "$work/afl.log" 2>&1 || true

stats=$work/out/default/fuzzer_stats
[ -f "$stats" ] || { echo "fuzz-afl.sh: afl-fuzz wrote no stats; see $work/afl.log" >&2; tail -20 "$work/afl.log" >&2; exit 1; }
get() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
echo "$target: $(get run_time) s, $(get execs_done) executions ($(get execs_per_sec)/s), $(get corpus_count) corpus entries (paths), $(get saved_crashes) crashes, $(get saved_hangs) hangs, edges $(get edges_found)/$(get total_edges)"
[ "$(get saved_crashes)" = 0 ] || { echo "crashes in $work/out/default/crashes" >&2; exit 1; }
