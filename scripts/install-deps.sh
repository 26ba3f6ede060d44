#!/usr/bin/env bash
# Debian packages Flotilla's tests and demo use. Idempotent and quiet when everything is present.
set -euo pipefail
packages=(git openssh-server openssh-client etcd-server nginx-light fcgiwrap zsh fish chromium prometheus)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
echo "install-deps: apt-get install ${missing[*]}" >&2
sudo_ apt-get update -qq
sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
