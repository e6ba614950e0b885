#!/usr/bin/env bash
# Regenerates the wire fuzz tests' seed corpus from real peers of every listed OTP release (25, 27, 29;
# scripts/otp-peers.sh provides 27 and 29): the capture tests record erl nodes, the epmd command and epmd
# through loopback relays and, with BEAMWIRE_FUZZ_CORPUS_WRITE=1, rewrite
#   tests/Beamwire.Node.Tests/Fuzzing/Corpus/{handshake-from-initiator,handshake-from-acceptor,dist-frames}.txt
#   tests/Beamwire.Epmd.Tests/Fuzzing/Corpus/{epmd-requests,epmd-replies}.txt
# Review the diff and commit it (docs/fuzzing.md).
set -euo pipefail
cd "$(dirname "$0")/.."
export BEAMWIRE_FUZZ_CORPUS_WRITE=1
for project in Beamwire.Node.Tests Beamwire.Epmd.Tests; do
  dotnet build "tests/$project" -c Release --nologo -v quiet
  dotnet test "tests/$project" -c Release --no-build --nologo --filter 'FullyQualifiedName~CorpusCaptureTests'
done
git status --short -- tests/*/Fuzzing/Corpus
