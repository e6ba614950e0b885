#!/usr/bin/env bash
# The beamwire command, straight from a checkout: builds it on first use (and again after the
# sources change), then runs it with your arguments.
#
#   ./beamwire.sh shell --sname node1 --cookie cookie     # an iex-like shell on a new node
#   ./beamwire.sh node --sname node2 --cookie cookie      # a long-running node
#   ./beamwire.sh --help
#
# Needs the .NET 10 SDK (https://learn.microsoft.com/dotnet/core/install/linux-debian).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$root/artifacts/beamwire.sh"
bin="$out/beamwire"

stale() {
  [ ! -x "$bin" ] && return 0
  [ -n "$(find "$root/src" "$root/Directory.Build.props" "$root/Directory.Packages.props" \
           \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' \) -newer "$bin" -print -quit 2>/dev/null)" ]
}

if stale; then
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "beamwire.sh: the .NET 10 SDK is needed to build beamwire and 'dotnet' is not on PATH." >&2
    echo "  Install it: https://learn.microsoft.com/dotnet/core/install/linux-debian (then run this again)." >&2
    exit 1
  fi
  if [ -x "$bin" ]; then what="rebuilding beamwire (sources changed)"; else what="building beamwire (first run: restores packages and compiles, a minute or two)"; fi
  echo "beamwire.sh: $what into ${out#"$root/"} ..." >&2
  log="$out.build.log"
  mkdir -p "$(dirname "$log")"
  # Into a new folder, then swapped in: a detached `beamwire epmd` started from the old build keeps
  # running on its files (overwriting them in place would pull them from under it).
  rm -rf "$out.next" "$out.old"
  if ! dotnet publish "$root/src/Beamwire.Cli" -c Release -o "$out.next" -nologo -v quiet -clp:ErrorsOnly >"$log" 2>&1; then
    cat "$log" >&2
    echo "beamwire.sh: the build failed (log above, also in ${log#"$root/"})." >&2
    exit 1
  fi
  if [ -d "$out" ]; then mv "$out" "$out.old"; fi
  mv "$out.next" "$out"
  rm -rf "$out.old"
  touch "$bin"
  echo "beamwire.sh: built; starting beamwire $*" >&2
fi

exec "$bin" "$@"
