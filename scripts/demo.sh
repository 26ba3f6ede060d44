#!/usr/bin/env bash
# The local fleet demo: builds what is missing, starts a hub + 3 member control planes and the hub's
# controllers, turns examples/fleet into a local git repository, syncs it to the fleet and shows the
# per-cluster status. Safe to run again (a running fleet and an existing repository are kept).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
scripts/install-deps.sh
bin="$(scripts/install-kube-binaries.sh | tail -n1)"
dir="${FLOTILLA_LOCAL_DIR:-$HOME/.flotilla/local}"
./flotilla local up --members 3 --with-hub
export KUBECONFIG="$dir/kubeconfig"

fleet_repo="$dir/fleet-repo"
if [ ! -d "$fleet_repo/.git" ]; then
  echo "creating the fleet repository $fleet_repo from examples/fleet"
  mkdir -p "$fleet_repo"
  cp -r examples/fleet/. "$fleet_repo/"
  git -C "$fleet_repo" init -q -b main
  git -C "$fleet_repo" add -A
  git -C "$fleet_repo" -c user.name=flotilla -c user.email=demo@flotilla.local commit -q -m "Example fleet"
fi
sed "s|REPO_URL|file://$fleet_repo|" examples/fleet/bundles/fleet.yaml | "$bin/kubectl" --context flotilla-hub apply -f -

echo "waiting for the bundles to be synced and healthy everywhere…"
for _ in $(seq 1 120); do
  if ./flotilla get bundles -A 2>/dev/null | awk 'NR>1 && $7!="True" {bad=1} END {exit bad}'; then break; fi
  sleep 1
done
echo
./flotilla cluster list
echo
./flotilla get bundles -A
for b in platform shop; do echo; ./flotilla bundle status "$b" || true; done
echo
./flotilla rollout status shop || true
echo
echo "Try: edit $fleet_repo, commit, then ./flotilla reconcile source fleet; ./flotilla rollout status shop; ./flotilla diff bundle shop --cluster member-3"
echo "     export KUBECONFIG=$KUBECONFIG; ./flotilla ctx; ./flotilla get deployments -A; ./flotilla local down [--purge]"
