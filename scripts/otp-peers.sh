#!/usr/bin/env bash
# Provisions the real Erlang/OTP peers that are newer than the host's OTP 25: each one is a minimal
# Debian chroot in a cache folder outside the repository, used by tests/Beamwire.Testing.
#
#   OTP 27 / Elixir 1.18  ->  $BEAMWIRE_OTP_CACHE/otp27   (Debian trixie)
#   OTP 29 / Elixir 1.20  ->  $BEAMWIRE_OTP_CACHE/otp29   (Debian sid)
#
#   scripts/otp-peers.sh            # provision what is missing, verify, print where they are
#   scripts/otp-peers.sh 29         # only that release
#   scripts/otp-peers.sh --verify   # also re-run erl/elixir in each chroot (the warm path trusts its stamp)
#
# Idempotent: a chroot is built in a temporary folder and renamed into place only once it passed
# verification, so an interrupted run never leaves a half chroot that looks complete; leftovers of
# such a run are removed by the next one. A finished chroot carries a stamp; a run that finds every
# stamp current only refreshes /etc/hosts and exits (well under 2 s). Concurrent runs (several
# worktrees testing at once) serialise on a lock. Exits non-zero when a release cannot be provisioned.
#
# Environment:
#   BEAMWIRE_OTP_CACHE      cache folder (default /var/cache/beamwire-otp)
#   BEAMWIRE_OTP_SKIP=27,29 leave releases out, like the tests do; ignored when CI is set
#   BEAMWIRE_DEBIAN_MIRROR  Debian mirror (default: the host's apt source)
set -euo pipefail

cache=${BEAMWIRE_OTP_CACHE:-/var/cache/beamwire-otp}
# Bump when the build steps or the package list change: stamps of another recipe are rebuilt.
recipe=1
packages=(erlang-base erlang-crypto elixir)
declare -A suite_of=([27]=trixie [29]=sid)
all_releases=(27 29)

log() { printf 'otp-peers: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

verify=0
wanted=()
for arg in "$@"; do
  case $arg in
    --verify) verify=1 ;;
    27|29) wanted+=("$arg") ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) die "unknown argument '$arg' (releases: ${all_releases[*]}, --verify)" ;;
  esac
done
if [ ${#wanted[@]} -eq 0 ]; then
  for r in "${all_releases[@]}"; do
    # Same rule as OtpInstall.IsOptedOut: a local opt-out, never honoured in CI.
    if [ -z "${CI:-}" ] && [[ ",${BEAMWIRE_OTP_SKIP:-}," =~ ,[[:space:]]*($r|all)[[:space:]]*, ]]; then
      log "OTP $r skipped (BEAMWIRE_OTP_SKIP=${BEAMWIRE_OTP_SKIP})"
      continue
    fi
    wanted+=("$r")
  done
fi
[ ${#wanted[@]} -gt 0 ] || exit 0

# The Debian mirror the host's apt already uses (deb822 sources first, then the one-line format).
host_mirror() {
  local uri=""
  if [ -r /etc/apt/sources.list.d/debian.sources ]; then
    uri=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' \
      /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$uri" ] && [ -r /etc/apt/sources.list ]; then
    uri=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' \
      /etc/apt/sources.list)
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}
mirror=${BEAMWIRE_DEBIAN_MIRROR:-$(host_mirror)}

stamp_key() { echo "recipe=$recipe suite=${suite_of[$1]} mirror=$mirror packages=${packages[*]}"; }

# Files the chroot needs from the host at run time: the host name (`vm`) must resolve inside it for
# -sname nodes, and resolv.conf lets apt-get reach the mirror.
sync_host_files() {
  local dir=$1 f
  for f in /etc/hosts /etc/resolv.conf; do
    [ -e "$f" ] || continue
    cmp -s "$f" "$dir$f" 2>/dev/null || cp -L "$f" "$dir$f"
  done
}

# Unmounts everything below a folder (deepest first); used before removing or renaming a chroot.
unmount_below() {
  local dir m
  dir=$(readlink -f "$1")
  awk -v d="$dir" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m"
  done
}

remove_tree() {
  [ -e "$1" ] || return 0
  unmount_below "$1"
  rm -rf --one-file-system "$1"
}

# Prints "<otp_release> <elixir version>" as reported by the chroot's own programs.
probe_versions() {
  local dir=$1 otp ex
  otp=$(chroot "$dir" /usr/bin/env -i HOME=/root LANG=C.UTF-8 LC_ALL=C.UTF-8 PATH=/usr/bin:/bin \
    /usr/bin/erl -noshell -eval 'io:put_chars(erlang:system_info(otp_release)), halt().') || return 1
  ex=$(chroot "$dir" /usr/bin/env -i HOME=/root LANG=C.UTF-8 LC_ALL=C.UTF-8 PATH=/usr/bin:/bin \
    /usr/bin/elixir --version | sed -n 's/^Elixir \([^ ]*\).*/\1/p') || return 1
  [ -n "$otp" ] && [ -n "$ex" ] || return 1
  echo "$otp $ex"
}

build() {
  local r=$1 suite=${suite_of[$1]} dest=$cache/otp$1 tmp started versions
  started=$(date +%s)
  tmp=$(mktemp -d "$cache/.otp$r.build.XXXXXX")
  chmod 755 "$tmp"
  # On any failure or interruption the half-built tree goes away (and its /proc mount with it).
  trap 'remove_tree "'"$tmp"'"' EXIT
  local logf=$cache/otp$r.log
  : >"$logf"
  log "OTP $r: debootstrap --variant=minbase $suite from $mirror (log: $logf)"
  if ! debootstrap --variant=minbase "$suite" "$tmp" "$mirror" >>"$logf" 2>&1; then
    tail -n 20 "$logf" >&2
    die "OTP $r: debootstrap $suite failed (full log: $logf)"
  fi
  log "OTP $r: debootstrap done after $(( $(date +%s) - started )) s"
  # apt's maintainer scripts want /proc; it is only mounted while building (nodes run without it).
  mount --bind /proc "$tmp/proc"
  sync_host_files "$tmp"
  # A throwaway test chroot needs no fsync after every unpacked file (what Debian's container
  # images do too); it does not change what gets installed.
  echo force-unsafe-io >"$tmp/etc/dpkg/dpkg.cfg.d/beamwire-unsafe-io"
  log "OTP $r: apt-get install ${packages[*]}"
  # sid's Release file on the mirror is past its Valid-Until date; trixie's is not, but the option is
  # harmless there and keeps both builds identical.
  if ! { chroot "$tmp" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
           apt-get -o Acquire::Check-Valid-Until=false update &&
         chroot "$tmp" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
           DEBIAN_FRONTEND=noninteractive \
           apt-get install -y --no-install-recommends "${packages[@]}" &&
         chroot "$tmp" apt-get clean; } >>"$logf" 2>&1; then
    tail -n 20 "$logf" >&2
    die "OTP $r: apt-get in the $suite chroot failed (full log: $logf)"
  fi
  # The package lists are only needed to install; dropping them saves ~100 MB per chroot.
  rm -rf "$tmp"/var/lib/apt/lists/*
  unmount_below "$tmp"

  versions=$(probe_versions "$tmp") || die "OTP $r: erl/elixir do not run in the new chroot (see $logf)"
  [ "${versions%% *}" = "$r" ] || die "OTP $r: the $suite chroot has otp_release ${versions%% *}, not $r"
  { stamp_key "$r"; echo "otp_release=${versions%% *} elixir=${versions#* }"; } >"$tmp/.beamwire-otp-stamp"

  # Swap in atomically: a previous (stale-recipe) tree is renamed away first, then removed.
  if [ -e "$dest" ]; then
    local old
    old=$(mktemp -u "$cache/.otp$r.old.XXXXXX")
    unmount_below "$dest"
    mv "$dest" "$old"
    mv "$tmp" "$dest"
    remove_tree "$old"
  else
    mv "$tmp" "$dest"
  fi
  trap - EXIT
  log "OTP $r: provisioned in $(( $(date +%s) - started )) s ($(du -sh --one-file-system "$dest" | cut -f1))"
}

# Make INT/TERM/HUP run the EXIT trap that removes a half-built chroot.
trap 'exit 130' INT TERM HUP
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9

# Leftovers of interrupted runs (never complete: they were not renamed into place).
shopt -s nullglob
for left in "$cache"/.otp*.build.* "$cache"/.otp*.old.*; do
  log "removing leftover $left"
  remove_tree "$left"
done
shopt -u nullglob

for r in "${wanted[@]}"; do
  dir=$cache/otp$r
  stamp=$dir/.beamwire-otp-stamp
  if [ -x "$dir/usr/bin/erl" ] && [ -r "$stamp" ] && [ "$(head -n 1 "$stamp")" = "$(stamp_key "$r")" ]; then
    sync_host_files "$dir"
    if [ "$verify" = 1 ]; then
      versions=$(probe_versions "$dir") || die "OTP $r: erl/elixir no longer run in $dir (delete it to rebuild)"
      [ "${versions%% *}" = "$r" ] || die "OTP $r: $dir has otp_release ${versions%% *}"
    fi
  else
    command -v debootstrap >/dev/null || die "debootstrap is not installed (apt-get install debootstrap)"
    [ "$(id -u)" -eq 0 ] || die "provisioning OTP $r needs root (debootstrap, chroot, mount)"
    build "$r"
  fi
  # stdout: one line per release, for people and scripts.
  echo "OTP $r: $dir ($(sed -n 2p "$stamp"))"
done
