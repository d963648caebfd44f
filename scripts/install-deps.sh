#!/usr/bin/env bash
# Installs the Debian packages Skiff's runtime and tests need. Idempotent:
# only missing packages are installed, and the apt package lists are refreshed
# only when they are absent or more than a day old.
#
# Usage: scripts/install-deps.sh [extra-package ...]
set -euo pipefail

# System packages the node agent and its tests need: the container runtime,
# CNI plugins, busybox-static (images are built from it) and a registry.
PKGS=(containerd runc containernetworking-plugins iptables iproute2 busybox-static docker-registry skopeo)

# Tools that must already be on PATH (not installed from Debian's archive).
REQUIRED_COMMANDS=(node npm kubectl)

log() { echo "install-deps: $*"; }

missing_cmds=()
for c in "${REQUIRED_COMMANDS[@]}"; do
  command -v "$c" >/dev/null 2>&1 || missing_cmds+=("$c")
done
if [ ${#missing_cmds[@]} -gt 0 ]; then
  log "required commands not found on PATH: ${missing_cmds[*]} (install Node.js >= 20 with npm, and kubectl 1.32)" >&2
  exit 1
fi

wanted=("${PKGS[@]}" "$@")
is_installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}
missing=()
for p in "${wanted[@]}"; do
  is_installed "$p" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  log "all ${#wanted[@]} system package(s) present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  log "missing system packages: ${missing[*]}" >&2
  log "run as root to install them: sudo $0${*:+ $*}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
lists=/var/lib/apt/lists
if [ -z "$(find "$lists" -maxdepth 1 -name '*_Packages*' -mmin -1440 -print -quit 2>/dev/null)" ]; then
  log "refreshing apt package lists"
  apt-get update -qq
fi

log "installing: ${missing[*]}"
if ! apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
  # Lists younger than a day can still point at superseded .debs; refresh once and retry.
  log "install failed; refreshing package lists and retrying"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

still=()
for p in "${missing[@]}"; do
  is_installed "$p" || still+=("$p")
done
if [ ${#still[@]} -gt 0 ]; then
  log "packages still missing after install: ${still[*]}" >&2
  exit 1
fi
log "installed: ${missing[*]}"
