#!/usr/bin/env bash
# The local fleet demo: builds what is missing, starts a hub + 4 member control planes and the hub's
# controllers (member-4 is a PCI cluster: labelled and tainted compliance=pci), turns examples/fleet into a
# local git repository, syncs it to the fleet, shows the per-cluster status, then commits a change to the
# shop app and follows its staged rollout dev → staging → prod. Safe to run again (a running fleet and an
# existing repository are kept; each run rolls out one more commit).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
scripts/install-deps.sh
scripts/install-tools.sh >/dev/null
bin="$(scripts/install-kube-binaries.sh | tail -n1)"
dir="${FLOTILLA_LOCAL_DIR:-$HOME/.flotilla/local}"
./flotilla local up --members 4 --with-hub
export KUBECONFIG="$dir/kubeconfig"
# A PCI cluster: only bundles that tolerate the taint may land on it.
./flotilla cluster label member-4 compliance=pci >/dev/null
./flotilla cluster taint member-4 compliance=pci:NoSelect >/dev/null

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
for b in platform shop payments hello; do echo; ./flotilla bundle status "$b" || true; done
echo
echo "why shop is not on member-4 (the PCI cluster):"
./flotilla placement explain shop --cluster member-4 || true

echo
echo "committing a new shop release and following its rollout (each stage bakes 10s before the next):"
sed -i -E "s/^  RELEASE: .*/  RELEASE: \"$(date -u +%Y%m%d-%H%M%S)\"/" "$fleet_repo/apps/shop/base/settings.yaml"
grep -q '^  RELEASE:' "$fleet_repo/apps/shop/base/settings.yaml" || echo "  RELEASE: \"$(date -u +%Y%m%d-%H%M%S)\"" >> "$fleet_repo/apps/shop/base/settings.yaml"
git -C "$fleet_repo" -c user.name=flotilla -c user.email=demo@flotilla.local commit -q -am "shop: new release"
./flotilla reconcile source fleet >/dev/null
./flotilla rollout status shop --watch --timeout 3m || true
echo
echo "Try: edit $fleet_repo, commit, then ./flotilla reconcile source fleet; ./flotilla rollout status shop -w; ./flotilla diff bundle shop --cluster member-3"
echo "     export KUBECONFIG=$KUBECONFIG; ./flotilla ctx; ./flotilla get deployments -A; ./flotilla local down [--purge]"
