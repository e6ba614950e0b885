#!/usr/bin/env bash
# The Docker engine the end-to-end tests use, on this machine's rules: Debian's docker.io and
# docker-compose, a private dockerd (its own socket, data root and addresses, all in 100.64.0.0/10),
# and local base images made with debootstrap + docker import (no registry can be reached).
#
#   scripts/docker-env.sh up      install what is missing, start the engine, build the base images
#   scripts/docker-env.sh down    stop the engine this script started (images stay cached)
#   source scripts/docker-env.sh  (no argument) only sets DOCKER_HOST / BEAMWIRE_DOCKER for the caller
#
# The engine never uses its defaults: --bip and --default-address-pool keep every bridge in
# 100.64.0.0/10, --iptables=false leaves the host's firewall (and other tests' bridges) as they are,
# and the networks the tests create are internal with explicit subnets.
set -euo pipefail

cache=${BEAMWIRE_DOCKER_CACHE:-/var/cache/beamwire-docker}
sock=/run/beamwire-dockerd.sock
export DOCKER_HOST=unix://$sock
# docker.io's own client: a newer client elsewhere on PATH would ask for BuildKit, which this engine lacks.
export BEAMWIRE_DOCKER=/usr/bin/docker
export DOCKER_BUILDKIT=0
export COMPOSE_DOCKER_CLI_BUILD=0

log() { printf 'docker-env: %s\n' "$*"; }

install_packages() {
  local need=()
  [ -x /usr/sbin/dockerd ] && [ -x /usr/bin/docker ] || need+=(docker.io)
  command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
  command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
  [ ${#need[@]} -eq 0 ] && return 0
  log "installing ${need[*]}"
  # A package's postinst must never start the system dockerd: it would take 172.17.0.0/16.
  local guard=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    guard=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  [ -n "$guard" ] && rm -f /usr/sbin/policy-rc.d
  return 0
}

engine_up() {
  if "$BEAMWIRE_DOCKER" info >/dev/null 2>&1; then return 0; fi
  mkdir -p "$cache/data" /run/beamwire-docker
  log "starting dockerd (bridges in 100.64.0.0/10, log: $cache/dockerd.log)"
  setsid /usr/sbin/dockerd -H "$DOCKER_HOST" --data-root "$cache/data" --exec-root /run/beamwire-docker \
    --pidfile /run/beamwire-dockerd.pid --bip 100.64.250.1/24 --default-address-pool base=100.64.0.0/12,size=24 \
    --iptables=false --ip-masq=false --userland-proxy=false >"$cache/dockerd.log" 2>&1 </dev/null &
  local i
  for i in $(seq 1 120); do
    "$BEAMWIRE_DOCKER" info >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  log "dockerd did not answer within 60 s:"; tail -20 "$cache/dockerd.log" >&2
  return 1
}

engine_down() {
  [ -f /run/beamwire-dockerd.pid ] || return 0
  local pid; pid=$(cat /run/beamwire-dockerd.pid)
  kill "$pid" 2>/dev/null || true
  local i
  for i in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
}

# A base image from debootstrap, cached as a tarball and as an image: NAME SUITE EXTRA_PACKAGES
base_image() {
  local name=$1 suite=$2 include=$3
  local key; key=$(printf '%s %s %s' "$suite" "$include" "v1" | sha256sum | cut -c1-12)
  local tag="local/$name:$key"
  if "$BEAMWIRE_DOCKER" image inspect "$tag" >/dev/null 2>&1; then
    "$BEAMWIRE_DOCKER" tag "$tag" "local/$name:latest"
    return 0
  fi
  local tar="$cache/$name-$key.tar"
  if [ ! -s "$tar" ]; then
    local dir; dir=$(mktemp -d "$cache/rootfs-$name.XXXX")
    log "debootstrap $suite for $name (${include:-no extra packages}; log: $cache/$name.log)"
    debootstrap --variant=minbase ${include:+--include=$include} "$suite" "$dir" "${BEAMWIRE_DEBIAN_MIRROR:-http://deb.debian.org/debian}" >"$cache/$name.log" 2>&1 \
      || { tail -20 "$cache/$name.log" >&2; rm -rf "$dir"; return 1; }
    tar -C "$dir" --exclude='./var/cache/apt/archives/*.deb' --exclude='./var/lib/apt/lists/*' --exclude='./proc/*' --exclude='./sys/*' --exclude='./dev/*' -cf "$tar.tmp" .
    mv "$tar.tmp" "$tar"
    rm -rf "$dir"
  fi
  "$BEAMWIRE_DOCKER" import "$tar" "$tag" >/dev/null
  "$BEAMWIRE_DOCKER" tag "$tag" "local/$name:latest"
  log "image $tag ($("$BEAMWIRE_DOCKER" image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
}

# The smallest base the NativeAOT binary runs on, cut from a debootstrap tree: the C library, OpenSSL
# (MD5 for the handshake digest, AES for Gossip secrets), an app user (1654, as the official chiseled
# images have), /tmp. What the official runtime-deps image provides, about 10 MB instead of 120.
runtime_deps_image() {
  local key="rtdeps-v1"
  local tag="local/beamwire-runtime-deps:$key"
  if "$BEAMWIRE_DOCKER" image inspect "$tag" >/dev/null 2>&1; then
    "$BEAMWIRE_DOCKER" tag "$tag" local/beamwire-runtime-deps:latest
    return 0
  fi
  local src; src=$(mktemp -d "$cache/rootfs-full.XXXX")
  local dst; dst=$(mktemp -d "$cache/rootfs-rtdeps.XXXX")
  tar -C "$src" -xf "$cache"/beamwire-ssl-*.tar
  mkdir -p "$dst/lib64" "$dst/usr/lib/x86_64-linux-gnu" "$dst/etc" "$dst/tmp" "$dst/app"
  chmod 1777 "$dst/tmp"
  cp -a "$src"/lib64/ld-linux-x86-64.so.2 "$dst/lib64/"
  local lib
  for lib in libc.so.6 libm.so.6 libssl.so.3 libcrypto.so.3 libz.so.1 libgcc_s.so.1 libstdc++.so.6; do
    cp -aL "$src/usr/lib/x86_64-linux-gnu/$lib" "$dst/usr/lib/x86_64-linux-gnu/" 2>/dev/null || true
  done
  cp -a "$src"/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$dst/usr/lib/x86_64-linux-gnu/" 2>/dev/null || true
  ln -s usr/lib "$dst/lib"
  printf 'root:x:0:0:root:/root:/sbin/nologin\napp:x:1654:1654:app:/tmp:/sbin/nologin\n' >"$dst/etc/passwd"
  printf 'root:x:0:\napp:x:1654:\n' >"$dst/etc/group"
  printf 'hosts: files dns\n' >"$dst/etc/nsswitch.conf"
  tar -C "$dst" -c . | "$BEAMWIRE_DOCKER" import - "$tag" >/dev/null
  rm -rf "$src" "$dst"
  "$BEAMWIRE_DOCKER" tag "$tag" local/beamwire-runtime-deps:latest
  log "image $tag ($("$BEAMWIRE_DOCKER" image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
}

case "${1:-}" in
  up)
    mkdir -p "$cache"
    install_packages
    engine_up
    base_image beamwire-ssl bookworm "libssl3"
    runtime_deps_image
    base_image beamwire-elixir bookworm "erlang-base,erlang-crypto,elixir"
    ;;
  down) engine_down ;;
  "") ;;
  *) echo "usage: scripts/docker-env.sh up|down" >&2; exit 2 ;;
esac
