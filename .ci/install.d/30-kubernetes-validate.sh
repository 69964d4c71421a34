#!/usr/bin/env bash
# kubernetes-validate (PyPI): the offline strict schema check of the rendered manifests (scripts/test.d/40-manifests.sh).
set -euo pipefail
if python3 -c 'import kubernetes_validate' 2>/dev/null; then
  exit 0
fi
python3 -m pip install --user kubernetes-validate || python3 -m pip install --user --break-system-packages kubernetes-validate
