#!/usr/bin/env bash
# Makes etcd, kube-apiserver, kube-controller-manager and kubectl v1.20.2 available for the local fleet.
# kube-* are built from Debian's `kubernetes` source package (no prebuilt downloads are reachable here)
# and cached outside the repository. Idempotent: with the cache present it only checks and exits.
#
#   FLOTILLA_KUBE_BIN   where the binaries live (default ~/.cache/flotilla/kubernetes/v1.20.2/bin)
#
# Prints the bin directory on its last line.
set -euo pipefail

version=v1.20.2
bin="${FLOTILLA_KUBE_BIN:-$HOME/.cache/flotilla/kubernetes/$version/bin}"
wanted=(kube-apiserver kube-controller-manager kubectl)

log() { printf 'install-kube-binaries: %s\n' "$*" >&2; }

# Bumped whenever the build recipe changes, so caches built the old way are rebuilt.
recipe="reflect2-1.0.2"
have_all() {
  for b in "${wanted[@]}" etcd; do [ -x "$bin/$b" ] || return 1; done
  [ "$(cat "$bin/.recipe" 2>/dev/null)" = "$recipe" ]
}

if have_all; then
  echo "$bin"
  exit 0
fi

sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=""
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ -z "$apt_updated" ]; then sudo_ apt-get update -qq; apt_updated=1; fi
  log "apt-get install ${missing[*]}"
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

mkdir -p "$bin"

# etcd comes from Debian's etcd-server package.
apt_install etcd-server
ln -sf "$(command -v etcd || echo /usr/bin/etcd)" "$bin/etcd"

# The rest is built from source.
src_list=/etc/apt/sources.list.d/flotilla-deb-src.sources
if [ ! -f "$src_list" ]; then
  log "adding a deb-src entry for bookworm"
  sudo_ tee "$src_list" >/dev/null <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  apt_updated=""
fi
apt_install golang-go rsync dpkg-dev make gcc golang-github-modern-go-reflect2-dev
if [ -z "$apt_updated" ]; then sudo_ apt-get update -qq; apt_updated=1; fi

work="${FLOTILLA_KUBE_BUILD:-$HOME/.cache/flotilla/kubernetes/$version/build}"
mkdir -p "$work"
cd "$work"
tree=$(find . -maxdepth 1 -type d -name 'kubernetes-*' | head -n1)
if [ -z "$tree" ]; then
  log "apt-get source kubernetes (in $work)"
  apt-get source -qq kubernetes >/dev/null
  tree=$(find . -maxdepth 1 -type d -name 'kubernetes-*' | head -n1)
fi
cd "$tree"

# Kubernetes 1.20 vendors modern-go/reflect2 1.0.1, which crashes (SIGSEGV in map iteration) when built
# with Go >= 1.18 — Debian's Go is 1.19. Debian packages the fixed 1.0.2: use it instead of the vendored copy.
if ! cmp -s /usr/share/gocode/src/github.com/modern-go/reflect2/unsafe_map.go vendor/github.com/modern-go/reflect2/unsafe_map.go; then
  log "replacing vendored modern-go/reflect2 1.0.1 with Debian's 1.0.2 (Go 1.19 compatibility)"
  rsync -a --delete --exclude BUILD /usr/share/gocode/src/github.com/modern-go/reflect2/ vendor/github.com/modern-go/reflect2/
  rm -f vendor/github.com/modern-go/reflect2/go.mod
  rm -f "$bin"/kube-apiserver "$bin"/kube-controller-manager "$bin"/kubectl
fi

# The layout Debian's own debian/rules uses: a GOPATH whose k8s.io/kubernetes is this tree.
mkdir -p .go/src/k8s.io
ln -sfn "$PWD" .go/src/k8s.io/kubernetes
export GOPATH="$PWD/.go" GO111MODULE=off GOFLAGS= GOCACHE="$work/.gocache"
export KUBE_GIT_VERSION="$version" KUBE_GIT_TREE_STATE=clean

for b in "${wanted[@]}"; do
  if [ ! -x "$bin/$b" ]; then
    log "building $b (several minutes on 2 cores)"
    (cd .go/src/k8s.io/kubernetes && make WHAT="cmd/$b" >"$work/build-$b.log" 2>&1) || {
      log "build of $b failed; the last lines of $work/build-$b.log:"; tail -n 30 "$work/build-$b.log" >&2; exit 1; }
    out=$(find .go/src/k8s.io/kubernetes/_output -type f -name "$b" -perm -u+x | head -n1)
    install -m 0755 "$out" "$bin/$b"
  fi
done

echo "$recipe" > "$bin/.recipe"
have_all || { log "binaries missing after the build in $bin"; exit 1; }
log "ready in $bin"
echo "$bin"
