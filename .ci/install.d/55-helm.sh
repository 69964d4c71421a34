#!/usr/bin/env bash
# helm-python-sdk (PyPI, pinned): Helm v4's Go SDK as a Python library (render, lint, values schema), for the
# chart tests (scripts/test.d/55-helm.sh); no helm binary, no cluster. Skips when the pinned version is present.
set -euo pipefail
want="0.2.2"
if [[ "$(python3 -c 'import helm_python; print(helm_python.__version__)' 2>/dev/null)" == "$want" ]]; then
  echo "helm-python-sdk $want present"
  exit 0
fi
python3 -m pip install --user "helm-python-sdk==$want" \
  || python3 -m pip install --user --break-system-packages "helm-python-sdk==$want"
