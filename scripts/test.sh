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
#    peers and nodes; the shell builtin does not count, Process.Start runs the program), and stress-ng
#    for the load run in docs/interop.md.
need_pkgs=()
command -v erl >/dev/null 2>&1 || need_pkgs+=(erlang-base erlang-crypto)
command -v elixir >/dev/null 2>&1 || need_pkgs+=(elixir)
command -v debootstrap >/dev/null 2>&1 || need_pkgs+=(debootstrap)
command -v tmux >/dev/null 2>&1 || need_pkgs+=(tmux)
# NativeAOT publish (scripts/publish.sh): a C toolchain to link with (clang, or gcc as the SDK's
# fallback) and zlib's headers and library.
command -v clang >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1 || need_pkgs+=(clang)
dpkg-query -W -f='${Status}' zlib1g-dev 2>/dev/null | grep -q "ok installed" || need_pkgs+=(zlib1g-dev)
command -v ss >/dev/null 2>&1 || need_pkgs+=(iproute2)
[ -x /usr/bin/kill ] || [ -x /bin/kill ] || need_pkgs+=(procps)
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

# 4. The command as it ships: the NativeAOT binary and the dotnet tool package, each smoke-tested
#    (scripts/publish.sh fails on any trimming/AOT warning). A failure here fails the run, after the tests.
status=0
publish_failed=0
log "publishing the NativeAOT binary and the tool package"
publish_start=$SECONDS
scripts/publish.sh || publish_failed=1
log "published in $((SECONDS - publish_start)) s"
aot="$root/artifacts/publish/aot/beamwire"

# 5. Every test project, results as TRX so the totals below count what really ran.
results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"
log "running tests"
dotnet test Beamwire.sln -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "$@" || status=$?

# 6. The command's tests (they run it as a user would) once more, against the NativeAOT binary
#    (BEAMWIRE_TEST_CLI; see tests/Beamwire.Cli.Tests/BeamwireCli.cs): about 40 s on a quiet machine.
if [ $# -gt 0 ]; then
  log "NativeAOT pass skipped: test arguments given"
elif [ ! -x "$aot" ]; then
  log "NativeAOT pass skipped: no binary (the publish failed)"
else
  log "running the command's tests against the NativeAOT binary"
  BEAMWIRE_TEST_CLI="$aot" dotnet test tests/Beamwire.Cli.Tests -c Release --no-build -nologo \
    --logger "trx;LogFileName=cli-nativeaot.trx" --logger "console;verbosity=normal" --results-directory "$results" || status=$?
fi

# 7. Containers on a real dockerd (scripts/e2e-docker.sh): the image built from the NativeAOT binary,
#    the tutorial's container scenarios. Its scenarios count in the totals; skipped with test arguments.
e2e_passed=0
e2e_failed=0
if [ $# -gt 0 ]; then
  log "container end-to-end run skipped: test arguments given"
elif [ ! -x "$aot" ]; then
  log "container end-to-end run skipped: no binary (the publish failed)"
else
  log "running the container end-to-end scenarios"
  e2e_log="$results/e2e-docker.log"
  scripts/e2e-docker.sh 2>&1 | tee "$e2e_log" || status=1
  e2e_totals=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$e2e_log" | tail -1 || true)
  e2e_passed=$(sed -n 's/^\([0-9]*\) passed.*/\1/p' <<<"$e2e_totals")
  e2e_failed=$(sed -n 's/.* \([0-9]*\) failed$/\1/p' <<<"$e2e_totals")
  if [ -z "$e2e_totals" ]; then e2e_passed=0; e2e_failed=1; fi  # the script ended before its totals
fi

passed=$((${e2e_passed:-0}))
failed=$((${e2e_failed:-0}))
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
  echo "failed tests:" # (container scenarios that failed are listed after these)
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
if [ "${e2e_failed:-0}" -gt 0 ]; then
  grep -E '^FAILED|^e2e: ' "$e2e_log" | sed 's/^/  /' || true
fi
if [ "$publish_failed" -ne 0 ]; then
  echo "  FAILED scripts/publish.sh (NativeAOT binary or tool package; its output is above)"
  failed=$((failed + 1))
  status=1
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
