#!/usr/bin/env bash
# Side-by-side benchmark of the External Term Format codec: Erlang's term_to_binary/1 and
# binary_to_term/1 against Beamwire's TermEncoder/TermDecoder, on the same terms, in one run.
# Both halves use the same method (loops calibrated to ~200 ms, best of 7 rounds) and print ns/op;
# this script prints both and the ratio (Erlang ns / Beamwire ns: above 1 means Beamwire is faster).
#
#   scripts/bench-terms.sh            # Erlang: the host's erl (OTP 25 here)
#   BEAMWIRE_BENCH_OTP=27 scripts/bench-terms.sh   # Erlang from the OTP 27 chroot (scripts/otp-peers.sh)
#
# For allocation figures and BenchmarkDotNet statistics:
#   dotnet run -c Release --project bench/Beamwire.Benchmarks -- --filter '*TermsBenchmarks*' --job short
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

otp=${BEAMWIRE_BENCH_OTP:-}
cache=${BEAMWIRE_OTP_CACHE:-/var/cache/beamwire-otp}
if [ -n "$otp" ] && [ "$otp" != 25 ]; then
  chroot_dir="$cache/otp$otp"
  [ -x "$chroot_dir/usr/bin/erl" ] || { echo "bench-terms.sh: no OTP $otp in $chroot_dir (run scripts/otp-peers.sh)" >&2; exit 1; }
  work_in_peer=/tmp/bw-bench-terms.$$
  work="$chroot_dir$work_in_peer"
  run_erl() { chroot "$chroot_dir" "$@"; }
else
  command -v erl >/dev/null || { echo "bench-terms.sh: erl not found (scripts/test.sh installs it)" >&2; exit 1; }
  work=$(mktemp -d /tmp/bw-bench-terms.XXXXXX)
  work_in_peer=$work
  run_erl() { "$@"; }
fi
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

echo "==> building the .NET half"
dotnet build bench/Beamwire.Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly
bench_dll="$root/bench/Beamwire.Benchmarks/bin/Release/net10.0/Beamwire.Benchmarks.dll"

echo "==> Beamwire (writes the corpus, then measures)"
dotnet "$bench_dll" terms-side-by-side "$work/corpus" > "$work/dotnet.txt"

echo "==> Erlang/OTP $(run_erl erl -noshell -eval 'io:format("~s", [erlang:system_info(otp_release)]), halt().') on the same corpus"
cp bench/Beamwire.Benchmarks/erlang/bench_terms.erl "$work/"
run_erl erlc -o "$work_in_peer" "$work_in_peer/bench_terms.erl"
run_erl erl -noshell -pa "$work_in_peer" -run bench_terms main "$work_in_peer/corpus" > "$work/erlang.txt"

echo
printf '%-20s %14s %14s %8s   %14s %14s %8s\n' entry "erl enc ns" "ours enc ns" "ratio" "erl dec ns" "ours dec ns" "ratio"
join <(sort "$work/erlang.txt") <(sort "$work/dotnet.txt") | while read -r name ee ed oe od; do
  awk -v n="$name" -v ee="$ee" -v ed="$ed" -v oe="$oe" -v od="$od" \
    'BEGIN { printf "%-20s %14.1f %14.1f %7.2fx   %14.1f %14.1f %7.2fx\n", n, ee, oe, ee/oe, ed, od, ed/od }'
done
echo "(ratio = Erlang ns / Beamwire ns; above 1 means Beamwire is faster. Target: >= 1.5x on every entry.)"
