#!/usr/bin/env bash
# Packages the beamwire command two ways and checks both:
#   artifacts/publish/aot/beamwire        NativeAOT single-file binary (linux-x64, needs only libc)
#   artifacts/publish/nupkg/*.nupkg       .NET tool package: dotnet tool install -g Beamwire.Cli --add-source artifacts/publish/nupkg
# Fails on any trimming/AOT warning (ILxxxx), then smoke-tests the binary and the installed tool.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out="$root/artifacts/publish"
rid="${BEAMWIRE_RID:-linux-x64}"
rm -rf "$out"
mkdir -p "$out"

echo "==> NativeAOT publish ($rid)"
log="$out/aot.log"
dotnet publish src/Beamwire.Cli -c Release -r "$rid" -p:PublishAot=true -o "$out/aot" -nologo >"$log" 2>&1 || { cat "$log"; exit 1; }
if grep -E "warning (IL|AOT)[0-9]+" "$log"; then
  echo "publish.sh: trimming/AOT warnings above: fix them (no reflection that breaks trimming)" >&2
  exit 1
fi
rm -f "$out/aot/"*.pdb "$out/aot/"*.dbg
echo "    $(du -h "$out/aot/beamwire" | cut -f1) $out/aot/beamwire (${SECONDS} s)"

echo "==> .NET tool package"
dotnet pack src/Beamwire.Cli -c Release -o "$out/nupkg" -nologo -v quiet -clp:ErrorsOnly
ls "$out/nupkg"/*.nupkg | sed 's/^/    /'
echo "    (${SECONDS} s in all so far)"

echo "==> smoke tests"
home=$(mktemp -d)
epmd_port=$(( 20000 + RANDOM % 20000 ))
# The first node starts epmd detached, as erl does, and it outlives both nodes: stopped at the end,
# whatever happens.
trap '"$out/aot/beamwire" epmd -port "$epmd_port" -kill >/dev/null 2>&1 || true; rm -rf "$home"' EXIT
HOME=$home "$out/aot/beamwire" node --sname publish_check --cookie c --epmd-port "$epmd_port" --exit-after-start | sed 's/^/    aot: /'
dotnet tool install --tool-path "$home/tools" --add-source "$out/nupkg" Beamwire.Cli >/dev/null
HOME=$home "$home/tools/beamwire" node --sname publish_check --cookie c --epmd-port "$epmd_port" --exit-after-start | sed 's/^/    tool: /'
"$out/aot/beamwire" epmd -port "$epmd_port" -names | sed 's/^/    epmd (outlived both nodes): /'
echo "publish.sh: ok"
