"""Structural checks of the two rendered kinds kubernetes-validate cannot check (their schemas are CRDs, not part
of Kubernetes): the Prometheus Operator's ServiceMonitor (monitoring.coreos.com/v1) and Kubewarden's
ClusterAdmissionPolicy (policies.kubewarden.io/v1). Each is checked against a hand-written subset of its CRD's
OpenAPI schema (every field of spec, and of an endpoint, at its type; unknown fields refused, as a strict
validator would), then against what it must agree with: the ServiceMonitor selects the chart's metrics Service
and names its port; the policy has policy/metadata.yml's rules and only settings the policy accepts
(questions-ui.yml, which policy/tests/packaging.rs holds to the policy's own settings check).

Each check returns a list of problems (empty: fine), so a test can show a broken object is caught."""

from __future__ import annotations

import jsonschema

from chart import ROOT, load_yaml

DURATION = r"^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$"
STRINGS = {"type": "array", "items": {"type": "string"}}
LABEL_SELECTOR = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "matchLabels": {"type": "object", "additionalProperties": {"type": "string"}},
        "matchExpressions": {"type": "array", "items": {
            "type": "object", "required": ["key", "operator"], "additionalProperties": False,
            "properties": {"key": {"type": "string"}, "operator": {"type": "string"}, "values": STRINGS}}},
    },
}
METADATA = {
    "type": "object", "required": ["name"],
    "properties": {"name": {"type": "string", "minLength": 1}, "labels": {"type": "object"},
                   "annotations": {"type": "object"}, "namespace": {"type": "string"}},
}

# monitoring.coreos.com/v1 ServiceMonitor (prometheus-operator's CRD): spec and endpoint fields.
SERVICE_MONITOR = {
    "type": "object", "required": ["apiVersion", "kind", "metadata", "spec"], "additionalProperties": False,
    "properties": {
        "apiVersion": {"const": "monitoring.coreos.com/v1"},
        "kind": {"const": "ServiceMonitor"},
        "metadata": METADATA,
        "spec": {
            "type": "object", "required": ["selector", "endpoints"], "additionalProperties": False,
            "properties": {
                "selector": LABEL_SELECTOR,
                "selectorMechanism": {"enum": ["RelabelConfig", "RoleSelector"]},
                "namespaceSelector": {"type": "object", "additionalProperties": False,
                                      "properties": {"any": {"type": "boolean"}, "matchNames": STRINGS}},
                "endpoints": {"type": "array", "minItems": 1, "items": {
                    "type": "object", "additionalProperties": False,
                    "properties": {
                        "port": {"type": "string"}, "targetPort": {"type": ["string", "integer"]},
                        "path": {"type": "string"}, "scheme": {"enum": ["http", "https", "HTTP", "HTTPS"]},
                        "interval": {"type": "string", "pattern": DURATION},
                        "scrapeTimeout": {"type": "string", "pattern": DURATION},
                        "honorLabels": {"type": "boolean"}, "honorTimestamps": {"type": "boolean"},
                        "trackTimestampsStaleness": {"type": "boolean"},
                        "params": {"type": "object"}, "relabelings": {"type": "array"},
                        "metricRelabelings": {"type": "array"}, "tlsConfig": {"type": "object"},
                        "authorization": {"type": "object"}, "basicAuth": {"type": "object"},
                        "oauth2": {"type": "object"}, "bearerTokenSecret": {"type": "object"},
                        "followRedirects": {"type": "boolean"}, "enableHttp2": {"type": "boolean"},
                        "filterRunning": {"type": "boolean"}, "proxyUrl": {"type": "string"},
                        "noProxy": {"type": "string"}, "proxyFromEnvironment": {"type": "boolean"},
                        "proxyConnectHeader": {"type": "object"},
                    }}},
                "jobLabel": {"type": "string"}, "targetLabels": STRINGS, "podTargetLabels": STRINGS,
                "sampleLimit": {"type": "integer", "minimum": 0}, "targetLimit": {"type": "integer", "minimum": 0},
                "scrapeProtocols": STRINGS, "fallbackScrapeProtocol": {"type": "string"},
                "labelLimit": {"type": "integer"}, "labelNameLengthLimit": {"type": "integer"},
                "labelValueLengthLimit": {"type": "integer"}, "keepDroppedTargets": {"type": "integer"},
                "attachMetadata": {"type": "object"}, "scrapeClass": {"type": "string"},
                "bodySizeLimit": {"type": "string"}, "scrapeClassicHistograms": {"type": "boolean"},
                "nativeHistogramBucketLimit": {"type": "integer"},
                "nativeHistogramMinBucketFactor": {"type": ["string", "number"]},
            },
        },
    },
}

# policies.kubewarden.io/v1 ClusterAdmissionPolicy (kubewarden-controller's CRD), cluster scoped.
CLUSTER_ADMISSION_POLICY = {
    "type": "object", "required": ["apiVersion", "kind", "metadata", "spec"], "additionalProperties": False,
    "properties": {
        "apiVersion": {"const": "policies.kubewarden.io/v1"},
        "kind": {"const": "ClusterAdmissionPolicy"},
        "metadata": {**METADATA, "not": {"required": ["namespace"]}},
        "spec": {
            "type": "object", "required": ["module", "mutating", "rules"], "additionalProperties": False,
            "properties": {
                "module": {"type": "string", "pattern": "^(registry|https?|file)://.+"},
                "policyServer": {"type": "string", "minLength": 1},
                "mode": {"enum": ["protect", "monitor"]},
                "mutating": {"type": "boolean"},
                "backgroundAudit": {"type": "boolean"},
                "settings": {"type": "object"},
                "rules": {"type": "array", "minItems": 1, "items": {
                    "type": "object", "additionalProperties": False,
                    "required": ["apiGroups", "apiVersions", "resources", "operations"],
                    "properties": {"apiGroups": STRINGS, "apiVersions": STRINGS, "resources": STRINGS,
                                   "operations": {"type": "array", "items": {
                                       "enum": ["CREATE", "UPDATE", "DELETE", "CONNECT", "*"]}},
                                   "scope": {"enum": ["Cluster", "Namespaced", "*"]}}}},
                "failurePolicy": {"enum": ["Fail", "Ignore"]},
                "matchPolicy": {"enum": ["Exact", "Equivalent"]},
                "namespaceSelector": LABEL_SELECTOR, "objectSelector": LABEL_SELECTOR,
                "matchConditions": {"type": "array"}, "sideEffects": {"type": "string"},
                "timeoutSeconds": {"type": "integer", "minimum": 1, "maximum": 30},
                "timeoutEvalSeconds": {"type": "integer", "minimum": 1},
                "message": {"type": "string"},
                "contextAwareResources": {"type": "array", "items": {
                    "type": "object", "additionalProperties": False, "required": ["apiVersion", "kind"],
                    "properties": {"apiVersion": {"type": "string", "minLength": 1},
                                   "kind": {"type": "string", "minLength": 1}}}},
            },
        },
    },
}


def schema_problems(schema: dict, obj: dict) -> list[str]:
    validator = jsonschema.Draft7Validator(schema)
    return [f"{'.'.join(map(str, e.absolute_path)) or '(object)'}: {e.message}" for e in validator.iter_errors(obj)]


def service_monitor_problems(monitor: dict, services: list[dict]) -> list[str]:
    """The ServiceMonitor is well formed and selects one of `services` in its namespace by a port it has."""
    problems = schema_problems(SERVICE_MONITOR, monitor)
    if problems:
        return problems
    spec = monitor["spec"]
    wanted = spec["selector"].get("matchLabels", {})
    namespaces = spec.get("namespaceSelector", {}).get("matchNames", [monitor["metadata"].get("namespace")])
    selected = [s for s in services
                if s["metadata"].get("namespace") in namespaces
                and wanted.items() <= s["metadata"].get("labels", {}).items()]
    if not wanted or not selected:
        return [f"spec.selector {wanted} selects no Service in {namespaces}"]
    port_names = {p.get("name") for s in selected for p in s["spec"]["ports"]}
    return [f"endpoint port {e.get('port')!r} is not a port of the selected Service ({sorted(port_names)})"
            for e in spec["endpoints"] if e.get("port") not in port_names]


def accepted_settings() -> dict[str, str]:
    """Setting name -> questions-ui type (boolean, string, array[): the settings the policy accepts."""
    questions = load_yaml(ROOT / "questions-ui.yml")["questions"]
    return {q["variable"]: q["type"] for q in questions if q["variable"] != "description"}


def _type_ok(question_type: str, value) -> bool:
    if question_type == "boolean":
        return isinstance(value, bool)
    if question_type == "string":
        return isinstance(value, str)
    if question_type.startswith("array"):
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return False


def admission_policy_problems(policy: dict) -> list[str]:
    """The ClusterAdmissionPolicy is well formed, has policy/metadata.yml's rules, and only accepted settings."""
    problems = schema_problems(CLUSTER_ADMISSION_POLICY, policy)
    if problems:
        return problems
    spec = policy["spec"]
    rules = load_yaml(ROOT / "policy" / "metadata.yml")["rules"]
    if spec["rules"] != rules:
        problems.append(f"spec.rules {spec['rules']} are not policy/metadata.yml's {rules}")
    # policy-server answers the policy's Kubernetes host calls only for the resources listed here: without them a
    # REDB is judged without its context.
    declared = load_yaml(ROOT / "policy" / "metadata.yml")["contextAwareResources"]
    if spec.get("contextAwareResources") != declared:
        problems.append(f"spec.contextAwareResources {spec.get('contextAwareResources')} are not "
                        f"policy/metadata.yml's {declared}")
    accepted = accepted_settings()
    for key, value in spec.get("settings", {}).items():
        if key not in accepted:
            problems.append(f"spec.settings.{key}: not a setting of the policy ({sorted(accepted)})")
        elif not _type_ok(accepted[key], value):
            problems.append(f"spec.settings.{key}: {value!r} is not a {accepted[key]}")
    if spec.get("settings", {}).get("applyDefaults") and not spec["mutating"]:
        problems.append("spec.settings.applyDefaults needs spec.mutating: true")
    return problems
