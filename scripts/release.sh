#!/usr/bin/env bash
# Builds the release artifacts of the flotilla CLI: one self-contained single-file binary per runtime (no .NET
# needed where it runs), SHA-256 sums, and the rendered install manifests.
#
#   scripts/release.sh [RID…]       default: linux-x64 linux-arm64 osx-arm64 win-x64
#
#   FLOTILLA_RELEASE_DIR   where the artifacts go (default: artifacts/release/VERSION in the repository)
#   FLOTILLA_IMAGE         the hub image install.yaml runs (default: flotilla:VERSION; see the Dockerfile)
#
# Artifacts: flotilla-RID (flotilla-win-x64.exe), install.yaml, SHA256SUMS. Install a binary as `flotilla` (or
# `kubectl-flotilla` for `kubectl flotilla`); no dots in the names, since the CLI names itself after its file.
#
# The version is `git describe --tags --always --dirty` (a leading v dropped; untagged: 0.0.0-g<describe>), and
# the commit is stamped beside it: `flotilla version` prints both. Prints the artifact directory on its last line.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

rids=("$@")
[ ${#rids[@]} -eq 0 ] && rids=(linux-x64 linux-arm64 osx-arm64 win-x64)
for rid in "${rids[@]}"; do
  case "$rid" in
    linux-x64|linux-arm64|osx-arm64|osx-x64|win-x64) ;;
    *) echo "release: unsupported runtime '$rid' (use linux-x64, linux-arm64, osx-arm64, osx-x64 or win-x64)" >&2; exit 2 ;;
  esac
done

describe=$(git describe --tags --always --dirty)
commit=$(git rev-parse HEAD)
if [[ "$describe" =~ ^v[0-9]+\.[0-9]+\.[0-9]+ ]]; then version="${describe#v}"; else version="0.0.0-g$describe"; fi
out="${FLOTILLA_RELEASE_DIR:-$repo/artifacts/release/$version}"
mkdir -p "$out"
log() { printf 'release: %s\n' "$*" >&2; }
# Restore and build in a directory of their own: the checkout's obj/ and bin/ (a developer's or a running test
# suite's build) are left alone.
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT

for rid in "${rids[@]}"; do
  log "publishing flotilla $version for $rid"
  stage="$build/publish-$rid"
  # Version + SourceRevisionId make the informational version VERSION+COMMIT (what `flotilla version` reads).
  dotnet publish src/Flotilla.Cli/Flotilla.Cli.csproj -c Release -r "$rid" --self-contained --artifacts-path "$build/artifacts" --disable-build-servers -nologo -v quiet -clp:ErrorsOnly \
    -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:EnableCompressionInSingleFile=true -p:DebugType=none \
    -p:Version="$version" -p:SourceRevisionId="$commit" -o "$stage" >&2
  ext=""; [[ "$rid" == win-* ]] && ext=".exe"
  mv "$stage/flotilla$ext" "$out/flotilla-$rid$ext"
done

# The install manifests, rendered by the CLI itself (`flotilla hub manifests`, when this CLI has it).
host_bin="$out/flotilla-linux-x64"
if [ -x "$host_bin" ] && [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ]; then render=("$host_bin"); else render=(dotnet run --project src/Flotilla.Cli -c Release --); fi
if "${render[@]}" hub --help 2>/dev/null | grep -qE '^ +manifests\b'; then
  log "rendering the install manifests"
  "${render[@]}" hub manifests --image "${FLOTILLA_IMAGE:-flotilla:$version}" > "$out/install.yaml"
else
  log "this CLI has no 'hub manifests' command yet: no install manifests rendered"
fi

(cd "$out" && rm -f SHA256SUMS && sha256sum flotilla-* $(ls install.yaml 2>/dev/null) > SHA256SUMS)
log "flotilla $version ($commit) in $out:"
(cd "$out" && ls -1) >&2
echo "$out"
