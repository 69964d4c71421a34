#!/usr/bin/env bash
# The operator's manifests (deploy/): every file passes the strict Kubernetes 1.33 schema check, and
# kustomization.yaml lists every manifest there, so `kubectl apply -k deploy/` installs all of it.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! python3 -c 'import kubernetes_validate' 2>/dev/null; then
  echo "kubernetes-validate is not installed (.ci/install.d/30-kubernetes-validate.sh installs it)" >&2
  exit 1
fi
shopt -s nullglob
manifests=()
for f in deploy/*.yaml; do
  [ "$(basename "$f")" = kustomization.yaml ] || manifests+=("$f")
done
python3 -m kubernetes_validate --quiet --strict -k 1.33.0 "${manifests[@]}"
for f in "${manifests[@]}"; do
  if ! grep -qx "  - $(basename "$f")" deploy/kustomization.yaml; then
    echo "deploy/kustomization.yaml does not list $(basename "$f")" >&2
    exit 1
  fi
done
echo "50-deploy: ${#manifests[@]} manifests valid for Kubernetes 1.33 (strict) and listed in kustomization.yaml"
