#!/usr/bin/env bash
# Regenerates live.yaml of every drift fixture from a real API server: each desired.yaml is server-side applied
# (field manager flotilla), changed by a second actor where the case is about real drift, read back with
# `kubectl get -o yaml`, and deleted again. Usage (a local fleet member; see README.md):
#   KUBECONFIG=~/.flotilla/local/kubeconfig CONTEXT=member-1 ./capture-live.sh
set -euo pipefail
cd "$(dirname "$0")"
: "${CONTEXT:?set CONTEXT to a kubeconfig context}"
CORPUS=${FLOTILLA_REALWORLD_DIR:-$(cd ../../../.. && pwd)/../shared/realworld}
k() { kubectl --context "$CONTEXT" "$@"; }
version=$(k version -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["serverVersion"]["gitVersion"])')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for ns in shop demo knative-serving flux-system kubernetes-dashboard metallb-system; do
  k create namespace "$ns" --dry-run=client -o yaml | k apply -f - >/dev/null
done

# What Flotilla applies is ManifestNormalizer's output (src/Flotilla.Core/Sync/Normalization/README.md): the same
# rules, so that a 1.20 server accepts the real manifests (a port without protocol is refused by its SSA).
normalize() {
  python3 - "$1" <<'PY'
import json, sys, yaml
TEMPLATES = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"}
def ports(items):
    for port in items or []:
        if isinstance(port, dict) and port.get("protocol") is None:
            port["protocol"] = "TCP"
def pod_spec(obj):
    kind, spec = obj.get("kind"), obj.get("spec") or {}
    if kind == "Pod": return spec
    if kind == "PodTemplate": return (obj.get("template") or {}).get("spec")
    if kind == "CronJob": return (((spec.get("jobTemplate") or {}).get("spec") or {}).get("template") or {}).get("spec")
    if kind in TEMPLATES: return (spec.get("template") or {}).get("spec")
QUANTITY_MAPS = {"limits", "requests", "hard", "used", "capacity", "allocatable", "max", "min", "default",
                 "defaultRequest", "maxLimitRequestRatio", "podFixed"}
QUANTITY_KEYS = {"sizeLimit", "averageValue", "targetAverageValue", "storage", "cpu", "memory", "ephemeral-storage"}
BUILT_IN = {"v1", "apps", "batch", "extensions", "autoscaling", "policy", "node.k8s.io", "storage.k8s.io"}
def quantities_as_text(node, parent=None):
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool) and (key in QUANTITY_KEYS or parent in QUANTITY_MAPS):
                node[key] = str(value)
            else:
                quantities_as_text(value, key)
    elif isinstance(node, list):
        for item in node: quantities_as_text(item, parent)
def normalize(obj):
    if obj.get("apiVersion", "").split("/")[0] in BUILT_IN: quantities_as_text(obj)
    obj.pop("status", None)
    (obj.get("metadata") or {}).pop("creationTimestamp", None)
    if obj.get("kind") == "ClusterRole" and obj.get("aggregationRule"): obj.pop("rules", None)
    if obj.get("kind") == "Service": ports((obj.get("spec") or {}).get("ports"))
    for field in ("containers", "initContainers", "ephemeralContainers"):
        for container in (pod_spec(obj) or {}).get(field) or []: ports(container.get("ports"))
    for item in obj.get("items") or []: normalize(item)
    return obj
# JSON, so that kubectl reads exactly these types back (plain YAML such as 1e9 is a string here, a number there).
print(json.dumps(normalize(yaml.safe_load(open(sys.argv[1]))), indent=1))
PY
}

# capture CASE HOW [SED-EXPRESSION-ON-THE-APPLIED-JSON-FOR-A-SECOND-WRITER] [COMMAND...]
capture() {
  local case=$1 how=$2 edit=${3:-}
  shift 3
  normalize "$case/desired.yaml" > "$work/applied.json"
  k apply --server-side --field-manager=flotilla -f "$work/applied.json" >/dev/null
  if [ -n "$edit" ]; then
    sed "$edit" "$work/applied.json" > "$work/edited.json"
    k apply --server-side --field-manager=someone-else --force-conflicts -f "$work/edited.json" >/dev/null
  fi
  if [ $# -gt 0 ]; then "$@"; fi
  # managedFields are dropped only to keep the files readable; the comparison ignores them.
  { echo "# live: kube-apiserver $version, $how (kubectl get -o yaml without managedFields; captured by capture-live.sh)"
    k get -f "$case/desired.yaml" -o json | python3 -c '
import json, sys, yaml
obj = json.load(sys.stdin)
for o in [obj] + obj.get("items", []):
    o.get("metadata", {}).pop("managedFields", None)
print(yaml.safe_dump(obj, sort_keys=False), end="")'; } > "$case/live.yaml"
  # No controller here removes the PVC protection finalizer that admission adds: drop finalizers, then delete.
  k patch -f "$work/applied.json" --type=merge -p '{"metadata":{"finalizers":null}}' >/dev/null
  k delete -f "$work/applied.json" --wait=true >/dev/null
}

rules_filled() {
  for _ in $(seq 1 60); do
    [ -n "$(k get clusterrole knative-serving-admin -o jsonpath='{.rules}')" ] && return 0
    sleep 0.5
  done
  echo "the controller-manager did not fill the aggregated rules within 30 s" >&2
  return 1
}

for case in */; do
  case=${case%/}
  case $case in
    knative-aggregated-clusterrole)
      # The role it aggregates, from the same release file, so the controller-manager has rules to fill in.
      python3 - "$CORPUS/manifests/knative-serving/2-serving-core.yaml" > "$work/core-role.yaml" <<'PY'
import re, sys
docs = re.split(r'^---\s*$', open(sys.argv[1]).read(), flags=re.M)
print(next(d for d in docs if 'name: knative-serving-core\n' in d))
PY
      k apply --server-side --field-manager=flotilla -f "$work/core-role.yaml" >/dev/null
      capture "$case" "after the controller-manager aggregated ClusterRole knative-serving-core into it" "" rules_filled
      k delete -f "$work/core-role.yaml" >/dev/null ;;
    secret-stringdata-changed)
      capture "$case" "then another manager applied password hunter2" 's/"password": "s3cret"/"password": "hunter2"/' ;;
    quantity-really-changed)
      capture "$case" "then another manager applied memory 1G" 's/"memory": "1Gi"/"memory": "1G"/' ;;
    env-value-is-not-a-quantity)
      capture "$case" "then another manager applied value \"2\"" 's/"value": "2000m"/"value": "2"/' ;;
    false-flag-turned-on)
      capture "$case" "then another manager applied hostNetwork true" 's/"hostNetwork": false/"hostNetwork": true/' ;;
    replicas-changed)
      capture "$case" "then kubectl scale --replicas=3" "" k scale deployment web -n shop --replicas=3 ;;
    empty-rules-filled-by-someone)
      capture "$case" "then kubectl patch added a rule" "" \
        k patch clusterrole rel-grafana-clusterrole --type=json -p '[{"op":"add","path":"/rules","value":[{"apiGroups":[""],"resources":["pods"],"verbs":["get"]}]}]' ;;
    *)
      capture "$case" "as applied" "" ;;
  esac
  echo "captured $case"
done
