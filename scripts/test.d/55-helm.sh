#!/usr/bin/env bash
# The Helm chart (charts/rec-operator) through Helm v4's own engine (helm-python-sdk): render with the defaults
# and with every option, lint, kubernetes-validate --strict (1.33) on the output, the ServiceMonitor and
# ClusterAdmissionPolicy checked structurally, and the defaults held to deploy/ (container, args, RBAC, CRD).
# Offline and a few seconds.
set -euo pipefail
cd "$(dirname "$0")/../.."
for module in helm_python:.ci/install.d/55-helm.sh kubernetes_validate:.ci/install.d/30-kubernetes-validate.sh; do
  if ! python3 -c "import ${module%%:*}" 2>/dev/null; then
    echo "${module%%:*} is not installed (${module#*:} installs it)" >&2
    exit 1
  fi
done
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if python3 -m unittest discover -s charts/tests -v 2>&1 | tee "$log"; then status=0; else status=$?; fi
ran=$(sed -n 's/^Ran \([0-9]*\) tests\{0,1\} in.*/\1/p' "$log")
failed=$(grep -cE '^(FAIL|ERROR):' "$log" || true)
echo "55-helm: $(( ${ran:-0} - failed )) passed, $failed failed"
exit "$status"
