#!/usr/bin/env bash
# The local fleet demo: builds what is missing, starts a hub + 3 member control planes and the hub's
# controllers, and shows the fleet. Safe to run again (a running fleet is left as it is).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
scripts/install-deps.sh
scripts/install-kube-binaries.sh >/dev/null
./flotilla local up --members 3 --with-hub
export KUBECONFIG="${FLOTILLA_LOCAL_DIR:-$HOME/.flotilla/local}/kubeconfig"
echo "waiting for the hub's first health probes…"
for _ in $(seq 1 60); do
  if ./flotilla cluster list 2>/dev/null | awk 'NR>1 && $3!="Available" {bad=1} END {exit bad}'; then break; fi
  sleep 1
done
./flotilla cluster list
echo
./flotilla get namespaces -A
echo
echo "Next: export KUBECONFIG=$KUBECONFIG; ./flotilla ctx; ./flotilla local status; ./flotilla local down [--purge]"
