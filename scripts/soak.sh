#!/usr/bin/env bash
# The soak: 3 Beamwire nodes and 2 erl nodes (OTP 25 and 29), each its own OS process, in one mesh;
# every pair exchanges numbered messages and gen_server calls and holds a link, a monitor and a node
# monitor; one node is killed (SIGKILL) and restarted every 20 s. It checks that between live nodes no
# message is lost, repeated or reordered, that every death is reported exactly once (DOWN, EXIT,
# nodedown), that the long-lived nodes' sockets, connection threads and processes come back to their
# figures after every cycle, and that their memory stays within 10 % of its one-minute figure.
# Prints the figures; exits non-zero on any violation.
#
#   scripts/soak.sh MINUTES            # e.g. 10; needs OTP 25 on the host and the OTP 29 chroot (scripts/otp-peers.sh)
#   SOAK_NO_BUILD=1 scripts/soak.sh 1
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=${1:?usage: scripts/soak.sh MINUTES (1-120)}
[[ "$minutes" =~ ^[0-9]+$ ]] && (( minutes >= 1 && minutes <= 120 )) || { echo "soak.sh: MINUTES must be 1-120" >&2; exit 2; }
command -v erl >/dev/null || { echo "soak.sh: erl is not installed (scripts/test.sh installs it)" >&2; exit 1; }

driver=bench/Beamwire.Soak/bin/Release/net10.0/Beamwire.Soak
if [ "${SOAK_NO_BUILD:-}" != 1 ]; then
  echo "==> building (Release)" >&2
  dotnet build bench/Beamwire.Soak -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
fi

# The driver ends every process it starts, and its nodes stop when their input closes. It runs in a
# process group of its own, so that whatever is left if it is itself killed (epmd, a node's port
# programs) is ended here too. Bounded: the run's time plus 10 minutes at most.
setsid timeout --kill-after=30 $(( minutes * 60 + 600 )) "$driver" run --seconds $(( minutes * 60 )) &
pid=$!
trap 'kill -TERM -- -$pid 2>/dev/null || true; sleep 2; kill -KILL -- -$pid 2>/dev/null || true' EXIT INT TERM
wait $pid
