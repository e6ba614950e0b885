#!/usr/bin/env bash
# The one test command (README, .ci/run). On a fresh machine of this kind it installs what the
# tests need, provisions the real Erlang/OTP 25, 27 and 29 peers, restores, builds and runs every
# test project, and ends with "N passed, N failed". Exits non-zero on any failure.
#
#   scripts/test.sh                       # everything
#   scripts/test.sh --filter 'FullyQualifiedName~Epmd'   # extra arguments go to `dotnet test`
#
# Locally (never in CI) BEAMWIRE_OTP_SKIP=27,29 leaves those releases out of the interop matrix.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

log() { printf '==> %s\n' "$*"; }

# 1. System packages: the OTP 25 / Elixir 1.14 peers, debootstrap for the newer ones, every program the
#    tests run: tmux (the shell in a terminal), ss (which process listens on a port), kill (signals to
#    peers and nodes; the shell builtin does not count, Process.Start runs the program), setsid (a detached
#    epmd's own session), and stress-ng for the load run in docs/interop.md.
need_pkgs=()
command -v erl >/dev/null 2>&1 || need_pkgs+=(erlang-base erlang-crypto)
command -v elixir >/dev/null 2>&1 || need_pkgs+=(elixir)
command -v debootstrap >/dev/null 2>&1 || need_pkgs+=(debootstrap)
command -v tmux >/dev/null 2>&1 || need_pkgs+=(tmux)
command -v ss >/dev/null 2>&1 || need_pkgs+=(iproute2)
[ -x /usr/bin/kill ] || [ -x /bin/kill ] || need_pkgs+=(procps)
command -v setsid >/dev/null 2>&1 || need_pkgs+=(util-linux)
command -v stress-ng >/dev/null 2>&1 || need_pkgs+=(stress-ng)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "test.sh: missing ${need_pkgs[*]}; run as root or install them" >&2
    exit 1
  fi
  log "installing ${need_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi

# 2. The OTP 27 and 29 peers (chroots in a cache folder outside the repository).
if [ -x scripts/otp-peers.sh ]; then
  log "provisioning OTP peers"
  scripts/otp-peers.sh
fi

# 3. Build once; tests then run without rebuilding.
log "restoring and building"
dotnet build Beamwire.sln -c Release -nologo -v quiet -clp:ErrorsOnly

# 4. Every test project, results as TRX so the totals below count what really ran.
results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"
status=0
log "running tests"
dotnet test Beamwire.sln -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "$@" || status=$?

passed=0
failed=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1 || true) # none in a truncated file: counted as nothing, never an abort
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  to=$(sed -n 's/.* timeout="\([0-9]*\)".*/\1/p' <<<"$counters")
  ab=$(sed -n 's/.* aborted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${to:-0} + ${ab:-0}))
done
# The failed tests and their first message lines, last before the totals: CI keeps only the tail.
if [ "$failed" -gt 0 ]; then
  echo "failed tests:"
  for trx in "$results"/*.trx; do
    if command -v python3 >/dev/null 2>&1; then
      python3 - "$trx" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for r in ET.parse(sys.argv[1]).getroot().iterfind(".//t:UnitTestResult", ns):
    if r.get("outcome") in ("Passed", "NotExecuted"):
        continue
    msg = r.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=ns).strip()
    print(f"  FAILED {r.get('testName')}\n    " + "\n    ".join(msg.splitlines()[:6]))
PY
    else
      grep -o 'testName="[^"]*"[^>]*outcome="Failed"' "$trx" | sed 's/testName="\([^"]*\)".*/  FAILED \1/'
    fi || true  # best effort: a results file with no failure in it (grep finds nothing) must not end the script before the totals
  done
fi
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "test.sh: no test ran" >&2
  status=1
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1  # the runner failed outside any test (crash, build, abort): never report a clean run
fi
echo "$passed passed, $failed failed"
exit "$status"
