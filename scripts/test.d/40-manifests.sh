#!/usr/bin/env bash
# Every rendered object (the golden files of core/tests/golden, which the render_golden test keeps equal to the
# rendering) passes a strict schema check against the Kubernetes 1.33 OpenAPI schema: no unknown fields, right
# types. kubernetes-validate ships the schemas, so this runs offline.
set -euo pipefail
cd "$(dirname "$0")/../.."
# Run as a module: works whether or not pip's script directory is on PATH.
if ! python3 -c 'import kubernetes_validate' 2>/dev/null; then
  echo "kubernetes-validate is not installed (.ci/install.d/30-kubernetes-validate.sh installs it)" >&2
  exit 1
fi
validate() { python3 -m kubernetes_validate --quiet --strict -k 1.33.0 "$@"; }

shopt -s nullglob
files=(core/tests/golden/*.yaml)
if [ "${#files[@]}" -eq 0 ]; then
  echo "no golden manifests in core/tests/golden" >&2
  exit 1
fi

# The validator must be able to fail: a manifest with an unknown field is rejected.
bad="$(mktemp -d)"
trap 'rm -rf "$bad"' EXIT
printf 'apiVersion: v1\nkind: Service\nmetadata:\n  name: bad\nspec:\n  portz: []\n' >"$bad/unknown-field.yaml"
if validate "$bad/unknown-field.yaml" >/dev/null 2>&1; then
  echo "kubernetes-validate accepted a manifest with an unknown field: the strict check is not working" >&2
  exit 1
fi

validate "${files[@]}"
echo "40-manifests: ${#files[@]} golden files valid for Kubernetes 1.33 (strict)"
