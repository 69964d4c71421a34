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
# unittest's summary ("Ran N tests", then "OK" or "FAILED (failures=F, errors=E)") as the plain count line.
read -r ran failed < <(awk '/^Ran [0-9]+ tests? in/ {ran = $2}
  /^FAILED \(/ {while (match($0, /(failures|errors)=[0-9]+/)) {split(substr($0, RSTART, RLENGTH), kv, "="); bad += kv[2]; $0 = substr($0, RSTART + RLENGTH)}}
  END {print ran + 0, bad + 0}' "$log")
passed=$(( ran > failed ? ran - failed : 0 ))
echo "55-helm: $passed passed, $failed failed"
exit "$status"
