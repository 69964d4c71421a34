#!/usr/bin/env python3
"""Writes the agreement corpus: wasm-tests/corpus/<group>/<name>.json, one case per file (format: CODES.md).

The cases are data, committed and reviewed; this program only saves typing. Run it from anywhere:
    python3 wasm-tests/generate_corpus.py
It rewrites every file it generates and removes the corpus files it no longer generates. Only the standard
library and PyYAML (to read the reference examples) are used.
"""

import base64
import copy
import json
import pathlib

import yaml

HERE = pathlib.Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
EXAMPLES = HERE.parent.parent / "shared" / "reference" / "examples"
if not EXAMPLES.is_dir():
    EXAMPLES = HERE.parent / ".." / "shared" / "reference" / "examples"

CASES = {}


def case(group, name, description, op, expect, request=None, text=None, raw=None):
    assert name not in CASES, name
    body = {"name": name, "description": description, "op": op}
    if request is not None:
        body["request"] = request
    elif text is not None:
        body["requestText"] = text
    elif raw is not None:
        body["requestBase64"] = base64.b64encode(raw).decode()
    else:
        raise ValueError(name)
    body["expect"] = expect
    CASES[name] = (group, body)


def valid(*codes):
    return {"outcome": "valid", "codes": list(codes)} if codes else {"outcome": "valid"}


def invalid(*codes):
    return {"outcome": "invalid", "codes": list(codes)}


def error(kind="BadRequest"):
    return {"outcome": "error", "errorKind": kind}


# A REC that passes every rule without a warning: 3 nodes, 8Gi requests = limits, a 40Gi volume (5x).
BASE_SPEC = {
    "nodes": 3,
    "redisEnterpriseNodeResources": {
        "requests": {"cpu": "2", "memory": "8Gi"},
        "limits": {"cpu": "2", "memory": "8Gi"},
    },
    "persistentSpec": {"enabled": True, "volumeSize": "40Gi"},
}


def merge(base, patch):
    """Deep merge; a None value in the patch deletes the key."""
    out = copy.deepcopy(base)
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def rec(spec_patch=None, name="rec", namespace="ns", api="app.redislabs.com/v1", uid=None, spec=None):
    metadata = {"name": name, "namespace": namespace}
    if namespace is None:
        del metadata["namespace"]
    if uid:
        metadata["uid"] = uid
    return {
        "apiVersion": api,
        "kind": "RedisEnterpriseCluster",
        "metadata": metadata,
        "spec": spec if spec is not None else merge(BASE_SPEC, spec_patch or {}),
    }


def validate(obj, old=None, options=None, context=None):
    r = {"object": obj}
    if old is not None:
        r["oldObject"] = old
    if context is not None:
        r["context"] = context
    if options is not None:
        r["options"] = options
    return r


# Fixed "random" bytes for the credentials password, so every entry point renders the same secret.
ENTROPY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"


def render(obj, **context):
    return {"object": obj, "context": {"entropy": ENTROPY, **context}}


def resources(memory, limit=None, cpu="2"):
    return {"requests": {"cpu": cpu, "memory": memory}, "limits": {"cpu": cpu, "memory": limit or memory}}


# ---------------------------------------------------------------------------------------------------------------
# The reference examples: accepted, rendered, defaulted, and read from their YAML text.
for path in sorted(EXAMPLES.glob("*.yaml")):
    stem = path.stem.replace("_", "-")
    text = path.read_text()
    obj = yaml.safe_load(text)
    case("examples", f"example-{stem}-validate", f"the reference example {path.name} is accepted (4Gi: a warning)",
         "validate", valid(), validate(obj))
    case("examples", f"example-{stem}-render", f"the reference example {path.name} is rendered",
         "render", valid(), render(obj))
    case("examples", f"example-{stem}-defaults", f"defaults of the reference example {path.name}",
         "defaults", valid(), {"object": obj})
    case("examples", f"example-{stem}-parse-yaml", f"the YAML text of {path.name}, comments and all, is read",
         "parseYaml", valid(), text=text)

# ---------------------------------------------------------------------------------------------------------------
# Valid variants: each rendering branch, through validate and render.
VARIANTS = [
    ("baseline", "3 nodes, 8Gi, 40Gi volume: no violation", {}, {}),
    ("v1alpha1", "the v1alpha1 version is served with the same schema", {}, {"api": "app.redislabs.com/v1alpha1"}),
    ("no-namespace", "a REC without a namespace (a file in the preview)", {}, {"namespace": None}),
    ("owner-uid", "a REC with a uid: objects get an owner reference", {}, {"uid": "6f1c2a4e-8d7b-4c1e-9a55-0b7c3e9f1d22"}),
    ("five-nodes", "5 nodes", {"nodes": 5}, {}),
    ("thirty-five-nodes", "35 nodes, the maximum", {"nodes": 35}, {}),
    ("nodes-default", "nodes unset defaults to 3", {"nodes": None}, {}),
    ("big-nodes", "32Gi nodes with a 160Gi volume", {"redisEnterpriseNodeResources": resources("32Gi", cpu="8"),
                                                    "persistentSpec": {"volumeSize": "160Gi"}}, {}),
    ("volume-default", "volume size unset: 5 x memory", {"persistentSpec": {"volumeSize": None}}, {}),
    ("storage-class", "a storage class on the volume claim", {"persistentSpec": {"storageClassName": "fast-ssd"}}, {}),
    ("volume-resize-enabled", "enablePersistentVolumeResize without flash",
     {"persistentSpec": {"enablePersistentVolumeResize": True}}, {}),
    ("ui-load-balancer", "the UI service as a LoadBalancer", {"uiServiceType": "LoadBalancer"}, {}),
    ("ui-node-port", "the UI service as a NodePort", {"uiServiceType": "NodePort"}, {}),
    ("api-service-node-port", "the API service as a NodePort", {"services": {"apiService": {"type": "NodePort"}}}, {}),
    ("api-service-load-balancer", "the API service as a LoadBalancer",
     {"services": {"apiService": {"type": "LoadBalancer"}}}, {}),
    ("service-annotations", "services annotations, UI annotations winning on the UI service",
     {"services": {"servicesAnnotations": {"team": "data", "shared": "services"}},
      "uiAnnotations": {"shared": "ui", "ui-only": "yes"}}, {}),
    ("cm-server-disabled", "cmServer disabled: no UI service",
     {"redisEnterpriseServicesConfiguration": {"cmServer": {"operatingMode": "disabled"}}}, {}),
    ("cm-server-enabled", "cmServer explicitly enabled",
     {"redisEnterpriseServicesConfiguration": {"cmServer": {"operatingMode": "enabled"}}}, {}),
    ("rigger-all-service-types", "databaseServiceType with every allowed item",
     {"servicesRiggerSpec": {"databaseServiceType": "cluster_ip,headless,load_balancer"}}, {}),
    ("rigger-redis-port-naming", "serviceNaming redis-port and rigger env",
     {"servicesRiggerSpec": {"serviceNaming": "redis-port",
                             "extraEnvVars": [{"name": "LOG_LEVEL", "value": "debug"}]}}, {}),
    ("extra-labels", "extraLabels on every object", {"extraLabels": {"team": "data", "cost-center": "42"}}, {}),
    ("pod-annotations", "podAnnotations on all pods, redisEnterprisePodAnnotations on node pods",
     {"podAnnotations": {"scrape": "true"}, "redisEnterprisePodAnnotations": {"backup": "daily"}}, {}),
    ("scheduling", "nodeSelector, tolerations and a priority class on every managed pod",
     {"nodeSelector": {"disktype": "ssd"}, "priorityClassName": "high",
      "podTolerations": [{"key": "dedicated", "operator": "Equal", "value": "redis", "effect": "NoSchedule"}]}, {}),
    ("pull-secrets", "pull secrets become imagePullSecrets", {"pullSecrets": [{"name": "regcred"}, {"name": "other"}]}, {}),
    ("side-containers", "a side container in each node pod",
     {"sideContainersSpec": [{"name": "sidecar", "image": "busybox:1.36", "command": ["sleep", "infinity"]}]}, {}),
    ("rack-awareness", "rack awareness: the anti-affinity on the rack label",
     {"rackAwarenessNodeLabel": "topology.kubernetes.io/zone"}, {}),
    ("anti-affinity-extra-keys", "an extra anti-affinity term per additional topology key",
     {"antiAffinityAdditionalTopologyKeys": ["topology.kubernetes.io/zone", "example.com/rack"]}, {}),
    ("custom-anti-affinity", "podAntiAffinity replaces the default rule",
     {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{
         "weight": 100, "podAffinityTerm": {"topologyKey": "kubernetes.io/hostname",
                                            "labelSelector": {"matchLabels": {"redis.io/cluster": "rec"}}}}]}}, {}),
    ("no-service-account", "createServiceAccount false with a named account",
     {"createServiceAccount": False, "serviceAccountName": "existing-sa"}, {}),
    ("named-service-account", "a named service account that is created", {"serviceAccountName": "rec-sa"}, {}),
    ("auto-adjust-limits", "allowAutoAdjustment adds SYS_RESOURCE",
     {"securityContext": {"resourceLimits": {"allowAutoAdjustment": True}}}, {}),
    ("timezone-name", "a container timezone by name", {"containerTimezone": {"timezoneName": "Europe/Paris"}}, {}),
    ("timezone-host", "the host's timezone propagated", {"containerTimezone": {"propagateHost": {}}}, {}),
    ("license-inline", "an inline license lands in the credentials secret", {"license": "----- LICENSE -----\nabc\n"}, {}),
    ("license-secret", "a license secret name", {"licenseSecretName": "rec-license"}, {}),
    ("credential-secret-name", "a named credentials secret and username",
     {"clusterCredentialSecretName": "rec-creds", "username": "admin@example.com"}, {}),
    ("ingress-with-class", "an ingress with its class annotation",
     {"ingressOrRouteSpec": {"method": "ingress", "apiFqdnUrl": "api.example.com", "dbFqdnSuffix": ".db.example.com",
                             "ingressAnnotations": {"kubernetes.io/ingress.class": "nginx"}}}, {}),
    ("openshift-route", "an OpenShift route needs no ingress class",
     {"ingressOrRouteSpec": {"method": "openShiftRoute", "apiFqdnUrl": "api.apps.example.com",
                             "dbFqdnSuffix": ".db.apps.example.com"}}, {}),
    ("active-active", "activeActive with an OpenShift route",
     {"activeActive": {"method": "openShiftRoute", "apiIngressUrl": "api.aa.example.com",
                       "dbIngressSuffix": ".db.aa.example.com"}}, {}),
    ("termination-grace", "a custom termination grace period",
     {"redisEnterpriseTerminationGracePeriodSeconds": 600}, {}),
    ("image-tags", "explicit images with the operator's tags",
     {"redisEnterpriseImageSpec": {"repository": "redislabs/redis", "versionTag": "8.0.20-44",
                                   "imagePullPolicy": "IfNotPresent"},
      "redisEnterpriseServicesRiggerImageSpec": {"repository": "redislabs/k8s-controller", "versionTag": "8.0.20-23"},
      "bootstrapperImageSpec": {"repository": "redislabs/operator", "versionTag": "8.0.20-23"}}, {}),
    ("image-digest", "an image pinned by tag and digest",
     {"redisEnterpriseImageSpec": {"repository": "redislabs/redis", "versionTag": "8.0.20-44",
                                   "digestHash": "sha256:" + "ab" * 32}}, {}),
    ("auto-upgrade", "auto-upgrade without a digest",
     {"upgradeSpec": {"autoUpgradeRedisEnterprise": True}, "redisUpgradePolicy": "major"}, {}),
    ("service-broker", "the service broker: deployment, service and claim",
     {"serviceBrokerSpec": {"enabled": True, "persistentSpec": {"storageClassName": "standard", "volumeSize": "1Gi"}}}, {}),
    ("service-broker-defaults", "the service broker with its default volume", {"serviceBrokerSpec": {"enabled": True}}, {}),
    ("service-broker-disabled", "the service broker disabled renders nothing for it",
     {"serviceBrokerSpec": {"enabled": False}}, {}),
    ("resources-all-blocks", "bootstrapper and rigger resources set",
     {"bootstrapperResources": resources("256Mi", cpu="200m"),
      "redisEnterpriseServicesRiggerResources": resources("1Gi", cpu="1")}, {}),
    ("modules", "user-defined modules from http and https sources",
     {"userDefinedModules": [{"name": "a", "source": {"https": {"url": "https://example.com/a.zip"}}},
                             {"name": "b", "source": {"http": {"url": "http://example.com/b.zip"}}}]}, {}),
    ("ocsp-in-range", "OCSP numbers at their bounds",
     {"ocspConfiguration": {"ocspFunctionality": True, "queryFrequency": 60, "recoveryFrequency": 86400,
                            "recoveryMaxTries": 100, "responseTimeout": 1}}, {}),
    ("extra-env-and-volumes", "extra env vars, volumes and volume mounts on the node",
     {"extraEnvVars": [{"name": "TZ_HINT", "value": "utc"}],
      "volumes": [{"name": "extra", "emptyDir": {}}],
      "redisEnterpriseVolumeMounts": [{"name": "extra", "mountPath": "/extra"}]}, {}),
    ("status-ignored", "a status block is not checked", {}, {}),
    ("name-max-length", "a 47-character name", {}, {"name": "r" * 47}),
    ("name-with-dashes", "a name with dashes and digits", {}, {"name": "rec-prod-01"}),
]

for slug, description, patch, kw in VARIANTS:
    obj = rec(patch, **kw)
    if slug == "status-ignored":
        obj["status"] = {"state": "Running", "specStatus": "Valid"}
    case("valid", f"valid-{slug}", description + " (validate)", "validate", valid(), validate(obj))
    case("render", f"render-{slug}", description + " (render)", "render", valid(), render(obj))

VARIANTS_DAY2 = [
    ("vault-license-path", "under vault, licenseSecretName is a Vault path",
     {"clusterCredentialSecretType": "vault", "clusterCredentialSecretName": "redis/rec",
      "licenseSecretName": "secret/data/redis/license"}),
    ("partial-resources", "node requests {cpu: 4} alone: memory completed key by key",
     {"redisEnterpriseNodeResources": {"requests": {"cpu": "4", "memory": None}, "limits": None},
      "persistentSpec": {"volumeSize": None}}),
    ("env-from-file-key", "extraEnvVars[].valueFrom.fileKeyRef (Kubernetes 1.34), a field of the published CRD",
     {"extraEnvVars": [{"name": "TOKEN", "valueFrom": {"fileKeyRef": {"volumeName": "extra", "path": "t.env",
                                                                      "key": "TOKEN"}}}],
      "volumes": [{"name": "extra", "emptyDir": {}}]}),
    ("pod-attributes-json", "the pod attributes and containers the core passes on as checked JSON, for the nodes "
     "and the rigger: side and init containers (probe ports as numbers and names, quantities as numbers), "
     "affinity, DNS, OS, gates, resource claims, security context, topology spread (nulls left out, required "
     "fields written with their defaults)",
     {"sideContainersSpec": [{"name": "sidecar", "image": "busybox:1.36", "livenessProbe": {
         "httpGet": {"port": 8080, "path": "/healthz", "httpHeaders": [{"name": "X-Probe", "value": "1"}]}},
         "resources": {"limits": {"cpu": 1, "memory": "64Mi"}}, "securityContext": {"runAsNonRoot": True},
         "env": [{"name": "MODE", "value": "side"}], "ports": [{"containerPort": 8080, "name": "http"}]}],
      "redisEnterpriseAdditionalPodSpecAttributes": {
         "initContainers": [{"name": "init", "image": "busybox:1.36", "command": ["sh", "-c", "true"],
                             "startupProbe": {"tcpSocket": {"port": "http"}}, "stdin": None}],
         "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
             {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a", "b"]}]}]}},
             "podAffinity": None},
         "dnsConfig": {"nameservers": ["10.0.0.2"], "options": [{"name": "ndots", "value": "2"}, {}]},
         "os": {"name": "linux"},
         "readinessGates": [{"conditionType": "example.com/ready"}],
         "resourceClaims": [{"name": "gpu", "resourceClaimTemplateName": "gpu-template"}],
         "schedulingGates": [{"name": "example.com/wait"}],
         "securityContext": {"runAsUser": 1000, "fsGroup": 1000, "sysctls": [{"name": "net.core.somaxconn",
                                                                               "value": "1024"}],
                             "seccompProfile": {"type": "RuntimeDefault"}},
         "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone",
                                        "whenUnsatisfiable": "ScheduleAnyway",
                                        "labelSelector": {"matchLabels": {"app": "redis"}}}]},
      "servicesRiggerSpec": {"servicesRiggerAdditionalPodSpecAttributes": {
          "affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
              {"weight": 10, "podAffinityTerm": {"topologyKey": "kubernetes.io/hostname"}}]}},
          "securityContext": {"runAsNonRoot": True}}}}),
]
for slug, description, patch in VARIANTS_DAY2:
    case("valid", f"valid-{slug}", description + " (validate)", "validate", valid(), validate(rec(patch)))
    case("render", f"render-{slug}", description + " (render)", "render", valid(), render(rec(patch)))

case("render", "render-custom-versions", "render with the operator's versions from the context", "render", valid(),
     render(rec(), versions={"operatorName": "my-operator", "operatorTag": "8.0.20-23",
                             "redisEnterpriseTag": "8.0.20-44"}))
case("render", "render-warnings-as-errors", "render under warningsAsErrors: a warning blocks rendering", "render",
     invalid("persistence-disabled"),
     render(rec({"persistentSpec": {"enabled": False}}), options={"warningsAsErrors": True}))
case("render", "render-invalid-nodes-even", "an invalid REC renders nothing", "render", invalid("nodes-even"),
     render(rec({"nodes": 4})))
case("render", "render-invalid-memory", "memory below 4Gi renders nothing", "render", invalid("memory-too-low"),
     render(rec({"redisEnterpriseNodeResources": resources("1Gi"), "persistentSpec": {"volumeSize": "10Gi"}})))
case("render", "render-invalid-not-an-object", "a string is not a REC", "render", invalid("not-an-object"),
     render("rec"))
case("render", "render-warning-persistence-disabled", "persistence off renders without a claim, with a warning",
     "render", valid("persistence-disabled"), render(rec({"persistentSpec": {"enabled": False, "volumeSize": None}})))
case("render", "render-minimal-spec", "spec {} renders with every default (4Gi: a warning)", "render",
     valid("memory-below-production"), render(rec(spec={})))
case("render", "render-existing-secret", "the credentials secret exists: not rendered, no entropy needed", "render",
     valid(), {"object": rec(), "context": {"existingSecret": {"name": "rec"}}})
case("render", "render-existing-secret-other-name", "an existing secret of another name does not count", "render",
     invalid("entropy-missing"), {"object": rec(), "context": {"existingSecret": {"name": "other"}}})
case("render", "render-entropy-missing", "a new secret without entropy cannot be rendered", "render",
     invalid("entropy-missing"), {"object": rec()})
case("render", "render-entropy-too-short", "entropy of 8 bytes is too short", "render", invalid("entropy-invalid"),
     {"object": rec(), "context": {"entropy": "0011223344556677"}})
case("render", "render-entropy-not-encoded", "entropy that is neither hex nor base64", "render",
     invalid("entropy-invalid"), {"object": rec(), "context": {"entropy": "not random at all!!! ???"}})
case("render", "render-entropy-base64", "entropy in base64", "render", valid(),
     {"object": rec(), "context": {"entropy": "ABEiM0RVZneImaq7zN3u/wARIjNEVWZ3iJmqu8zd7v8="}})
case("render", "render-bad-request", "a render request without object", "render", error(), {"context": {}})
case("render", "render-unknown-context-field", "an unknown context field is a bad request", "render", error(),
     render(rec(), namespace="ns"))

# ---------------------------------------------------------------------------------------------------------------
# Create-time errors, one or more cases per rule code.
CREATE = [
    # structure
    ("not-an-object-array", "the REC is an array", ["not-an-object"], [1, 2, 3]),
    ("not-an-object-string", "the REC is a string", ["not-an-object"], "rec"),
    ("not-an-object-null", "the REC is null", ["not-an-object"], None),
    ("not-an-object-spec", "spec is a string", ["not-an-object"], merge(rec(), {"spec": "nodes: 3"})),
    ("not-an-object-metadata", "metadata is a number", ["not-an-object"], merge(rec(), {"metadata": 7})),
    ("api-version-bare-v1", "apiVersion v1 without the group", ["api-version"], merge(rec(), {"apiVersion": "v1"})),
    ("api-version-v2", "an unknown version", ["api-version"], merge(rec(), {"apiVersion": "app.redislabs.com/v2"})),
    ("api-version-missing", "apiVersion missing", ["api-version"], merge(rec(), {"apiVersion": None})),
    ("kind-remote-cluster", "the kind of a remote cluster (a REDB is validated as a REDB: corpus/redb)", ["kind"],
     merge(rec(), {"kind": "RedisEnterpriseRemoteCluster"})),
    ("kind-missing", "kind missing", ["kind"], merge(rec(), {"kind": None})),
    ("kind-lowercase", "kind in lowercase", ["kind"], merge(rec(), {"kind": "redisenterprisecluster"})),
    ("type-mismatch-nodes-string", "nodes as a string", ["type-mismatch"], rec({"nodes": "3"})),
    ("type-mismatch-nodes-float", "nodes as a fraction", ["type-mismatch"], rec({"nodes": 3.5})),
    ("type-mismatch-nodes-int32", "nodes beyond int32", ["type-mismatch"], rec({"nodes": 2147483648})),
    ("type-mismatch-enabled-string", "persistentSpec.enabled as a string", ["type-mismatch"],
     rec({"persistentSpec": {"enabled": "yes"}})),
    ("type-mismatch-labels", "an extraLabels value that is a number", ["type-mismatch"], rec({"extraLabels": {"a": 1}})),
    ("type-mismatch-tolerations", "podTolerations as an object", ["type-mismatch"],
     rec({"podTolerations": {"key": "a"}})),
    ("type-mismatch-many", "several wrong types reported at once", ["type-mismatch"],
     rec({"nodes": "five", "uiAnnotations": [1], "createServiceAccount": "no"})),
    ("enum-value-ui-service", "uiServiceType outside its enum", ["enum-value"], rec({"uiServiceType": "Public"})),
    ("enum-value-api-service", "apiService.type ExternalName is not allowed", ["enum-value"],
     rec({"services": {"apiService": {"type": "ExternalName"}}})),
    ("enum-value-credential-type", "clusterCredentialSecretType outside its enum", ["enum-value"],
     rec({"clusterCredentialSecretType": "aws"})),
    ("enum-value-service-naming", "serviceNaming outside its enum", ["enum-value"],
     rec({"servicesRiggerSpec": {"serviceNaming": "uuid"}})),
    ("enum-value-ingress-method", "an ingress method outside its enum", ["enum-value"],
     rec({"ingressOrRouteSpec": {"method": "gateway", "apiFqdnUrl": "a.example.com", "dbFqdnSuffix": ".example.com"}})),
    ("required-field-name", "metadata.name missing", ["required-field"], merge(rec(), {"metadata": {"name": None}})),
    ("required-field-spec", "spec missing", ["required-field"], merge(rec(), {"spec": None})),
    ("required-field-metadata", "metadata missing", ["required-field"], merge(rec(), {"metadata": None})),
    ("required-field-ingress-url", "ingressOrRouteSpec without apiFqdnUrl", ["required-field"],
     rec({"ingressOrRouteSpec": {"method": "openShiftRoute", "dbFqdnSuffix": ".example.com"}})),
    ("unknown-field-node", "the typo node: instead of nodes", ["unknown-field"], rec({"node": 3})),
    ("unknown-field-nested", "an unknown field inside persistentSpec", ["unknown-field"],
     rec({"persistentSpec": {"size": "40Gi"}})),
    ("unknown-field-tolerations", "the field tolerations does not exist (podTolerations does)", ["unknown-field"],
     rec({"tolerations": [{"key": "a", "operator": "Exists"}]})),
    ("unknown-field-many", "three typos reported at once", ["unknown-field"],
     rec({"nodess": 3, "uiServicetype": "NodePort", "persistentSpec": {"enable": True}})),
    # names
    ("name-dns1123-uppercase", "a name with capitals", ["name-dns1123"], rec(name="Rec")),
    ("name-dns1123-underscore", "a name with an underscore", ["name-dns1123"], rec(name="rec_1")),
    ("name-dns1123-leading-digit", "a name starting with a digit", ["name-dns1123"], rec(name="1rec")),
    ("name-dns1123-empty", "an empty name", ["name-dns1123"], rec(name="")),
    ("name-dns1123-secret", "a credentials secret name that is not DNS-1123", ["name-dns1123"],
     rec({"clusterCredentialSecretName": "Bad_Secret"})),
    ("name-dns1123-service-account", "a service account name with a space", ["name-dns1123"],
     rec({"serviceAccountName": "bad name"})),
    ("name-dns1123-classes", "a storage class and a pod hostname the API server refuses", ["name-dns1123"],
     rec({"persistentSpec": {"enabled": True, "volumeSize": "40Gi", "storageClassName": "Fast_SSD"},
          "redisEnterpriseAdditionalPodSpecAttributes": {"hostname": "node.one"}})),
    ("name-too-long-for-ingress-route", "a 21-character name with an ingress", ["name-too-long-for-ingress"],
     rec({"ingressOrRouteSpec": {"method": "openShiftRoute", "apiFqdnUrl": "api.example.com",
                                 "dbFqdnSuffix": ".db.example.com"}}, name="r" * 21)),
    ("name-too-long-for-ingress-active-active", "a 25-character name with activeActive", ["name-too-long-for-ingress"],
     rec({"activeActive": {"method": "openShiftRoute", "apiIngressUrl": "api.example.com",
                           "dbIngressSuffix": ".db.example.com"}}, name="active-active-cluster-01")),
    # nodes
    ("nodes-even-four", "4 nodes", ["nodes-even"], rec({"nodes": 4})),
    ("nodes-even-six", "6 nodes", ["nodes-even"], rec({"nodes": 6})),
    ("nodes-too-few-one", "1 node", ["nodes-too-few"], rec({"nodes": 1})),
    ("nodes-too-few-two", "2 nodes: too few and even", ["nodes-too-few", "nodes-even"], rec({"nodes": 2})),
    ("nodes-too-few-zero", "0 nodes", ["nodes-too-few"], rec({"nodes": 0})),
    ("nodes-too-few-negative", "-1 nodes", ["nodes-too-few"], rec({"nodes": -1})),
    ("nodes-too-many-37", "37 nodes", ["nodes-too-many"], rec({"nodes": 37})),
    ("nodes-too-many-101", "101 nodes", ["nodes-too-many"], rec({"nodes": 101})),
    ("nodes-too-many-even", "36 nodes: too many and even", ["nodes-too-many", "nodes-even"], rec({"nodes": 36})),
    # conflicts
    ("license-conflict", "license and licenseSecretName both set", ["license-conflict"],
     rec({"license": "abc", "licenseSecretName": "lic"})),
    ("ingress-conflict", "ingressOrRouteSpec and activeActive both set", ["ingress-conflict"],
     rec({"ingressOrRouteSpec": {"method": "openShiftRoute", "apiFqdnUrl": "api.example.com",
                                 "dbFqdnSuffix": ".db.example.com"},
          "activeActive": {"method": "openShiftRoute", "apiIngressUrl": "api.example.com",
                           "dbIngressSuffix": ".db.example.com"}})),
    ("ingress-class-missing", "method ingress without the class annotation", ["ingress-class-missing"],
     rec({"ingressOrRouteSpec": {"method": "ingress", "apiFqdnUrl": "api.example.com",
                                 "dbFqdnSuffix": ".db.example.com"}})),
    ("ingress-class-missing-other-annotations", "method ingress with annotations but not the class",
     ["ingress-class-missing"],
     rec({"ingressOrRouteSpec": {"method": "ingress", "apiFqdnUrl": "api.example.com", "dbFqdnSuffix": ".db.example.com",
                                 "ingressAnnotations": {"nginx.ingress.kubernetes.io/ssl-passthrough": "true"}}})),
    # images
    ("digest-without-tag-node", "a node image digest without a tag", ["digest-without-tag"],
     rec({"redisEnterpriseImageSpec": {"repository": "redislabs/redis", "digestHash": "sha256:" + "cd" * 32}})),
    ("digest-without-tag-bootstrapper", "a bootstrapper image digest without a tag", ["digest-without-tag"],
     rec({"bootstrapperImageSpec": {"digestHash": "sha256:" + "ef" * 32}})),
    ("digest-with-auto-upgrade", "a pinned digest with auto-upgrade", ["digest-with-auto-upgrade"],
     rec({"redisEnterpriseImageSpec": {"versionTag": "8.0.20-44", "digestHash": "sha256:" + "12" * 32},
          "upgradeSpec": {"autoUpgradeRedisEnterprise": True}})),
    # quantities and resources
    ("quantity-invalid-memory", "memory written 4 GB", ["quantity-invalid"],
     rec({"redisEnterpriseNodeResources": resources("8 GB")})),
    ("quantity-invalid-cpu", "cpu written two", ["quantity-invalid"],
     rec({"redisEnterpriseNodeResources": resources("8Gi", cpu="two")})),
    ("quantity-invalid-volume", "volumeSize lots", ["quantity-invalid"], rec({"persistentSpec": {"volumeSize": "lots"}})),
    ("quantity-invalid-negative", "a negative volume", ["quantity-invalid"],
     rec({"persistentSpec": {"volumeSize": "-40Gi"}})),
    ("quantity-invalid-suffix", "an unknown suffix", ["quantity-invalid"],
     rec({"redisEnterpriseNodeResources": resources("8Gb")})),
    ("memory-too-low-1gi", "1Gi nodes (OOM-killed)", ["memory-too-low"],
     rec({"redisEnterpriseNodeResources": resources("1Gi"), "persistentSpec": {"volumeSize": "5Gi"}})),
    ("memory-too-low-512mi", "512Mi nodes", ["memory-too-low"],
     rec({"redisEnterpriseNodeResources": resources("512Mi"), "persistentSpec": {"volumeSize": "5Gi"}})),
    ("memory-too-low-just-under", "4095Mi nodes", ["memory-too-low"],
     rec({"redisEnterpriseNodeResources": resources("4095Mi"), "persistentSpec": {"volumeSize": "40Gi"}})),
    ("limits-below-requests-memory", "memory limit below its request", ["limits-below-requests"],
     rec({"redisEnterpriseNodeResources": resources("8Gi", limit="6Gi")})),
    ("limits-below-requests-bootstrapper", "bootstrapper cpu limit below its request", ["limits-below-requests"],
     rec({"bootstrapperResources": {"requests": {"cpu": "100m", "memory": "128Mi"},
                                    "limits": {"cpu": "50m", "memory": "128Mi"}}})),
    ("volume-too-small", "a 16Gi volume for 8Gi nodes (< 3x)", ["volume-too-small"],
     rec({"persistentSpec": {"volumeSize": "16Gi"}})),
    ("volume-too-small-tiny", "a 1Gi volume", ["volume-too-small"], rec({"persistentSpec": {"volumeSize": "1Gi"}})),
    ("resize-with-flash", "volume resize with Redis on Flash", ["resize-with-flash"],
     rec({"persistentSpec": {"enablePersistentVolumeResize": True},
          "redisOnFlashSpec": {"enabled": True, "flashStorageEngine": "rocksdb", "storageClassName": "local-ssd",
                               "flashDiskSize": "100Gi"}})),
    # annotations, rigger, modules, ocsp
    ("reserved-annotation-ui", "the reserved key in uiAnnotations", ["reserved-annotation"],
     rec({"uiAnnotations": {"redis.io/last-keys": "x"}})),
    ("reserved-annotation-services", "the reserved key in servicesAnnotations", ["reserved-annotation"],
     rec({"services": {"servicesAnnotations": {"redis.io/last-keys": "x"}}})),
    ("rigger-service-type-nodeport", "databaseServiceType with node_port", ["rigger-service-type"],
     rec({"servicesRiggerSpec": {"databaseServiceType": "cluster_ip,node_port"}})),
    ("rigger-service-type-case", "databaseServiceType in the wrong case", ["rigger-service-type"],
     rec({"servicesRiggerSpec": {"databaseServiceType": "ClusterIP"}})),
    ("module-source-neither", "a module with neither http nor https", ["module-source"],
     rec({"userDefinedModules": [{"name": "m", "source": {}}]})),
    ("module-source-both", "a module with both http and https", ["module-source"],
     rec({"userDefinedModules": [{"name": "m", "source": {"http": {"url": "http://e.com/m.zip"},
                                                          "https": {"url": "https://e.com/m.zip"}}}]})),
    ("module-url-scheme-https", "an https source with an http URL", ["module-url-scheme"],
     rec({"userDefinedModules": [{"name": "m", "source": {"https": {"url": "http://e.com/m.zip"}}}]})),
    ("module-url-scheme-ftp", "an http source with an ftp URL", ["module-url-scheme"],
     rec({"userDefinedModules": [{"name": "m", "source": {"http": {"url": "ftp://e.com/m.zip"}}}]})),
    ("ocsp-range-query", "queryFrequency below 60", ["ocsp-range"],
     rec({"ocspConfiguration": {"ocspFunctionality": True, "queryFrequency": 10}})),
    ("ocsp-range-timeout", "responseTimeout above 60", ["ocsp-range"],
     rec({"ocspConfiguration": {"ocspFunctionality": True, "responseTimeout": 100}})),
    ("ocsp-range-tries", "recoveryMaxTries 0", ["ocsp-range"],
     rec({"ocspConfiguration": {"ocspFunctionality": True, "recoveryMaxTries": 0}})),
    ("name-too-long", "a 48-character name: <name>-services-broker would pass 63", ["name-too-long"],
     rec(name="r" * 48)),
    ("too-many-errors", "60 wrong types: structural checking stops at 50", ["too-many-errors", "type-mismatch"],
     rec({"extraLabels": {f"label{i}": i for i in range(60)}})),
    # several at once
    ("many-errors-at-once", "every error of a bad REC is reported at once",
     ["nodes-even", "license-conflict", "memory-too-low", "reserved-annotation"],
     rec({"nodes": 4, "license": "abc", "licenseSecretName": "lic",
          "redisEnterpriseNodeResources": resources("1Gi"), "persistentSpec": {"volumeSize": "10Gi"},
          "uiAnnotations": {"redis.io/last-keys": "x"}})),
]

CREATE += [
    ("ui-service-external-name", "uiServiceType ExternalName: a Service the API server refuses",
     ["ui-service-external-name"], rec({"uiServiceType": "ExternalName"})),
    ("container-name-conflict", "a side container named like the node container", ["container-name-conflict"],
     rec({"sideContainersSpec": [{"name": "redis-enterprise-node", "image": "busybox:1.36"}]})),
    ("container-name-twice", "two side containers of one name", ["container-name-conflict"],
     rec({"sideContainersSpec": [{"name": "log", "image": "a"}, {"name": "log", "image": "b"}]})),
    ("volume-name-conflict", "a volume named like the storage volume", ["volume-name-conflict"],
     rec({"volumes": [{"name": "redis-enterprise-storage", "emptyDir": {}}]})),
    ("volume-mount-undeclared", "a node mount of a volume the pod lacks", ["volume-mount-undeclared"],
     rec({"redisEnterpriseVolumeMounts": [{"name": "missing", "mountPath": "/x"}]})),
    ("label-invalid", "labels and an annotation key the API server refuses", ["label-invalid"],
     rec({"extraLabels": {"team": "data platform", "-bad": "x"},
          "podAnnotations": {"Example.com/owner": "ops"}})),
    ("pod-template-refused", "what no pod template may hold: ephemeral containers, a deadline, restartPolicy Never",
     ["pod-template-refused"],
     rec({"redisEnterpriseAdditionalPodSpecAttributes": {
              "ephemeralContainers": [{"name": "debug", "image": "busybox:1.36"}], "restartPolicy": "Never"},
          "servicesRiggerSpec": {"servicesRiggerAdditionalPodSpecAttributes": {"activeDeadlineSeconds": 60}}})),
]

for slug, description, codes, obj in CREATE:
    case("create", f"create-{slug}", description, "validate", invalid(*codes), validate(obj))

# Options-driven rules.
OPTION_CASES = [
    ("storage-class-not-allowed", "a storage class outside allowedStorageClasses", invalid("storage-class-not-allowed"),
     rec({"persistentSpec": {"storageClassName": "slow-hdd"}}), {"allowedStorageClasses": ["fast-ssd"]}),
    ("storage-class-allowed", "a storage class inside allowedStorageClasses", valid(),
     rec({"persistentSpec": {"storageClassName": "fast-ssd"}}), {"allowedStorageClasses": ["fast-ssd", "standard"]}),
    ("image-registry-not-allowed-default", "default docker.io images outside allowedImageRegistries",
     invalid("image-registry-not-allowed"), rec(), {"allowedImageRegistries": ["registry.example.com"]}),
    ("image-registry-not-allowed-explicit", "an explicit image from another registry",
     invalid("image-registry-not-allowed"),
     rec({"redisEnterpriseImageSpec": {"repository": "evil.example.org/redis", "versionTag": "8.0.20-44"}}),
     {"allowedImageRegistries": ["docker.io"]}),
    ("image-registry-allowed", "default images from an allowed docker.io", valid(), rec(),
     {"allowedImageRegistries": ["docker.io"]}),
    ("memory-too-low-min-option", "8Gi below the minNodeMemory option 16Gi", invalid("memory-too-low"), rec(),
     {"minNodeMemory": "16Gi"}),
    ("warnings-as-errors", "a warning becomes an error under warningsAsErrors", invalid("persistence-disabled"),
     rec({"persistentSpec": {"enabled": False, "volumeSize": None}}), {"warningsAsErrors": True}),
    ("warnings-as-errors-clean", "a clean REC stays valid under warningsAsErrors", valid(), rec(),
     {"warningsAsErrors": True}),
]
for slug, description, expect, obj, options in OPTION_CASES:
    case("options", f"options-{slug}", description, "validate", expect, validate(obj, options=options))
case("options", "options-invalid-min-memory", "minNodeMemory below the built-in 4Gi", "validate",
     invalid("options-invalid"), validate(rec(), options={"minNodeMemory": "2Gi"}))
case("options", "options-invalid-registry", "an allowed registry that is not one", "validate",
     invalid("options-invalid"), validate(rec(), options={"allowedImageRegistries": ["https://docker.io"]}))
case("options", "options-unknown-field", "an unknown option is a bad request", "validate", error(),
     validate(rec(), options={"strict": True}))

# Warnings: accepted, and said.
WARNINGS = [
    ("memory-below-production", "4Gi nodes: below the production minimum", ["memory-below-production"],
     rec({"redisEnterpriseNodeResources": resources("4Gi"), "persistentSpec": {"volumeSize": "20Gi"}})),
    ("memory-default", "the default memory (4Gi) is below production", ["memory-below-production"], rec(spec={})),
    ("limits-differ-from-requests", "limits above requests: not Guaranteed QoS", ["limits-differ-from-requests"],
     rec({"redisEnterpriseNodeResources": resources("8Gi", limit="16Gi")})),
    ("volume-below-recommended", "a 32Gi volume for 8Gi nodes (3x..5x)", ["volume-below-recommended"],
     rec({"persistentSpec": {"volumeSize": "32Gi"}})),
    ("persistence-disabled", "persistence off: no recovery possible", ["persistence-disabled"],
     rec({"persistentSpec": {"enabled": False, "volumeSize": None}})),
    ("image-tag-mismatch-bootstrapper", "a bootstrapper tag other than the operator's", ["image-tag-mismatch"],
     rec({"bootstrapperImageSpec": {"repository": "redislabs/operator", "versionTag": "7.4.2-2"}})),
    ("image-tag-mismatch-rigger", "a rigger tag other than the operator's", ["image-tag-mismatch"],
     rec({"redisEnterpriseServicesRiggerImageSpec": {"repository": "redislabs/k8s-controller", "versionTag": "7.4.2-2"}})),
    ("several-warnings", "several warnings, still valid", ["memory-below-production", "persistence-disabled"],
     rec({"redisEnterpriseNodeResources": resources("4Gi"), "persistentSpec": {"enabled": False, "volumeSize": None}})),
]
WARNINGS += [
    ("field-not-acted-on", "ldap and clusterRecovery: accepted, and said that nothing acts on them",
     ["field-not-acted-on"],
     rec({"clusterRecovery": True, "ldap": {"protocol": "LDAP", "servers": [{"host": "ldap.example.com"}],
          "bindCredentialsSecretName": "ldap", "authenticationQuery": {}, "authorizationQuery": {}}})),
]
for slug, description, codes, obj in WARNINGS:
    case("warnings", f"warning-{slug}", description, "validate", valid(*codes), validate(obj))

# ---------------------------------------------------------------------------------------------------------------
# Update-time rules (old and new).
VAULT = {"clusterCredentialSecretType": "vault", "clusterCredentialSecretName": "redis/rec",
         "vaultCASecret": "vault-ca"}
UPDATES = [
    ("nodes-decreased", "5 nodes to 3", invalid("nodes-decreased"), rec({"nodes": 5}), rec({"nodes": 3})),
    ("nodes-increased", "3 nodes to 5", valid(), rec({"nodes": 3}), rec({"nodes": 5})),
    ("unchanged", "an update that changes nothing", valid(), rec(), rec()),
    ("storage-class-changed", "the storage class changed", invalid("storage-class-changed"),
     rec({"persistentSpec": {"storageClassName": "fast-ssd"}}), rec({"persistentSpec": {"storageClassName": "slow"}})),
    ("storage-class-set-later", "a storage class set after creation", invalid("storage-class-changed"),
     rec(), rec({"persistentSpec": {"storageClassName": "fast-ssd"}})),
    ("persistence-turned-off", "persistence turned off", invalid("persistence-turned-off"),
     rec(), rec({"persistentSpec": {"enabled": False}})),
    ("volume-shrunk", "40Gi to 30Gi", invalid("volume-shrunk"), rec(), rec({"persistentSpec": {"volumeSize": "30Gi"}})),
    ("volume-grow-without-resize", "40Gi to 60Gi without resize", invalid("volume-grow-without-resize"),
     rec(), rec({"persistentSpec": {"volumeSize": "60Gi"}})),
    ("volume-grow-with-resize", "40Gi to 60Gi with resize", valid(),
     rec({"persistentSpec": {"enablePersistentVolumeResize": True}}),
     rec({"persistentSpec": {"volumeSize": "60Gi", "enablePersistentVolumeResize": True}})),
    ("volume-same-other-unit", "40Gi to 40960Mi is no change", valid(),
     rec(), rec({"persistentSpec": {"volumeSize": "40960Mi"}})),
    ("vault-secret-renamed", "the vault secret name changed", invalid("vault-secret-renamed"),
     rec(VAULT), rec(merge(VAULT, {"clusterCredentialSecretName": "redis/other"}))),
    ("vault-secret-kept", "vault credentials unchanged", valid(), rec(VAULT), rec(VAULT)),
    ("many-update-errors", "several update rules at once",
     invalid("nodes-decreased", "volume-shrunk", "storage-class-changed"),
     rec({"nodes": 5, "persistentSpec": {"storageClassName": "a"}}),
     rec({"nodes": 3, "persistentSpec": {"storageClassName": "b", "volumeSize": "30Gi"}})),
    ("old-invalid-new-valid", "fixing an invalid REC is allowed", valid(), rec({"nodes": 4}), rec({"nodes": 5})),
    ("create-rule-on-update", "create rules apply on update too", invalid("nodes-even"), rec(), rec({"nodes": 4})),
    ("old-not-an-object", "an old object that is not a REC: update rules skipped", valid(), "garbage", rec()),
]
UPDATES += [
    ("persistence-turned-on", "persistence turned on for a cluster without it", invalid("persistence-turned-on"),
     rec({"persistentSpec": {"enabled": False, "volumeSize": None}}), rec()),
    ("memory-change-keeps-volumes", "memory doubled without volumeSize: the volumes keep their size", valid(),
     rec({"persistentSpec": {"volumeSize": None}}),
     rec({"redisEnterpriseNodeResources": resources("16Gi"), "persistentSpec": {"volumeSize": None}})),
    ("ratcheted", "an invalid value the update leaves alone is a warning (a label added to a 4-node REC)",
     valid("nodes-even"), rec({"nodes": 4}), merge(rec({"nodes": 4}), {"metadata": {"labels": {"team": "cache"}}})),
]
for slug, description, expect, old, new in UPDATES:
    case("update", f"update-{slug}", description, "validate", expect, validate(new, old=old))

# ---------------------------------------------------------------------------------------------------------------
# Defaults.
DEFAULTS = [
    ("empty-spec", "spec {}: every default", valid(), {"object": rec(spec={})}),
    ("baseline", "the baseline REC", valid(), {"object": rec()}),
    ("persistence-off", "persistence off: no volume size", valid(),
     {"object": rec({"persistentSpec": {"enabled": False, "volumeSize": None}})}),
    ("custom-versions", "the image tags from the versions", valid(),
     {"object": rec(spec={}), "versions": {"operatorTag": "9.9.9-1", "redisEnterpriseTag": "9.9.9-2"}}),
    ("user-values-kept", "fields the user set are kept",
     valid(), {"object": rec({"username": "me@example.com", "uiServiceType": "NodePort",
                              "servicesRiggerSpec": {"databaseServiceType": "headless"}})}),
    ("object-string", "a string is not a REC", error(), {"object": "rec"}),
    ("wrong-type", "nodes as a string cannot be defaulted", error(), {"object": rec({"nodes": "3"})}),
    ("missing-object", "a request without object", error(), {"versions": {}}),
    ("unknown-request-field", "an unknown request field", error(), {"object": rec(), "extra": 1}),
    ("unknown-version-field", "an unknown versions field", error(), {"object": rec(), "versions": {"tag": "1"}}),
]
for slug, description, expect, request in DEFAULTS:
    case("defaults", f"defaults-{slug}", description, "defaults", expect, request)

# ---------------------------------------------------------------------------------------------------------------
# YAML in and out.
PARSE = [
    ("json", "JSON text is YAML too", '{"apiVersion": "app.redislabs.com/v1", "spec": {"nodes": 3}}'),
    ("block", "block mappings and sequences", "a:\n  b: 1\n  c:\n    - x\n    - y\n"),
    ("empty", "empty text", ""),
    ("comments-only", "only comments", "# nothing here\n# at all\n"),
    ("scalars", "scalars of every kind", "s: text\ni: 42\nf: 1.5\nb: true\nn: null\nq: \"quoted\"\n"),
    ("multi-document", "two documents", "a: 1\n---\nb: 2\n"),
    ("flow", "flow collections", "x: {a: 1, b: [1, 2, {c: d}]}\n"),
    ("anchors", "an anchor and an alias", "base: &b {x: 1}\nuse: *b\n"),
    ("tab-indent", "a tab in indentation", "a:\n\tb: 1\n"),
    ("bad-indent", "inconsistent indentation", "a:\n  b: 1\n c: 2\n"),
    ("unclosed-flow", "an unclosed flow mapping", "a: {b: 1\n"),
    ("duplicate-keys", "a duplicated key", "a: 1\na: 2\n"),
    ("unicode", "unicode text", "name: \"café ☕\"\nemoji: \"\U0001F600\"\n"),
    ("rec-yaml", "a REC written in YAML",
     "apiVersion: app.redislabs.com/v1\nkind: RedisEnterpriseCluster\nmetadata:\n  name: rec\nspec:\n  nodes: 3\n"),
    ("norway", "yes/no/on/off and other YAML 1.1 booleans", "a: yes\nb: no\nc: on\nd: off\ne: NO\n"),
    ("deep-flow", "nesting 100 deep", "[" * 100 + "]" * 100),
]
for slug, description, text in PARSE:
    case("yaml", f"parse-yaml-{slug}", description, "parseYaml", valid(), text=text)

TO_YAML = [
    ("simple", "a simple mapping", {"documents": [{"a": 1, "b": "text"}]}, valid()),
    ("stream", "several documents", {"documents": [{"a": 1}, {"b": [1, 2]}, "scalar", None]}, valid()),
    ("empty-stream", "no documents", {"documents": []}, valid()),
    ("quoting", "strings a YAML reader could mistake",
     {"documents": [{"bools": ["yes", "no", "on", "off", "true", "True", "y", "n"],
                     "numbers": ["1", "1.0", "0x1F", "1e3", "0o17", ".5", "-"],
                     "nulls": ["null", "~", "", "Null"],
                     "syntax": ["a: b", "- x", "#c", "x #y", "[1]", "{a}", "&a", "*a", "!t", "|", ">", "'q'", "\"d\"",
                                "@at", "`bt`", "%pct", " lead", "trail ", "multi\nline", "tab\there"]}]}, valid()),
    ("numbers", "numbers of every size",
     {"documents": [{"i": 42, "neg": -7, "big": 9007199254740993, "f": 0.1, "exp": 1e300, "zero": 0.0}]}, valid()),
    ("unicode", "unicode keys and values", {"documents": [{"café": "naïve ☕", "emoji": "\U0001F600", "ctl": "\u0001"}]},
     valid()),
    ("empty-collections", "empty maps and lists", {"documents": [{"m": {}, "l": [], "nested": [{}, []]}]}, valid()),
    ("nested", "lists of maps of lists", {"documents": [{"a": [{"b": [1, {"c": [[1, 2], [3]]}]}]}]}, valid()),
    ("keys-needing-quotes", "keys a reader could mistake", {"documents": [{"true": 1, "1": 2, "a: b": 3, "": 4}]},
     valid()),
    ("rendered-crd-shape", "a CRD-like document", {"documents": [{"apiVersion": "apiextensions.k8s.io/v1",
                                                                  "kind": "CustomResourceDefinition",
                                                                  "metadata": {"name": "x.example.com"}}]}, valid()),
    ("not-a-list", "documents is not a list", {"documents": {"a": 1}}, error()),
    ("missing-documents", "no documents field", {}, error()),
]
for slug, description, request, expect in TO_YAML:
    case("yaml", f"to-yaml-{slug}", description, "toYaml", expect, request)

# ---------------------------------------------------------------------------------------------------------------
# Version, CRD and field tables.
case("meta", "version", "the ABI and core versions", "version", valid(), {})
case("meta", "version-ignores-input", "version ignores its input", "version", valid(), text="not json at all")
case("meta", "crd", "the CustomResourceDefinition", "crd", valid(), {})
case("meta", "crd-ignores-input", "the CRD ignores its input", "crd", valid(), raw=b"\xff\x00")
# The field tables the browser page completes and documents from (`fieldTable`), by kind.
case("meta", "field-table-rec", "the REC's field table", "fieldTable", valid(), {"kind": "RedisEnterpriseCluster"})
case("meta", "field-table-redb", "the REDB's field table", "fieldTable", valid(), {"kind": "RedisEnterpriseDatabase"})
case("meta", "field-table-unknown-kind", "a kind with no field table: refused, naming the field", "fieldTable",
     error(), {"kind": "Pod"})
case("meta", "field-table-kind-not-a-string", "a kind that is not a string: refused, naming the field", "fieldTable",
     error(), {"kind": ["RedisEnterpriseCluster"]})
case("meta", "field-table-no-kind", "a field table request without a kind", "fieldTable", error(), {})
case("meta", "field-table-not-json", "a field table request that is not JSON", "fieldTable", error(),
     text="RedisEnterpriseCluster")

# ---------------------------------------------------------------------------------------------------------------
# Hostile inputs: every one is an answer (ok or error), never a trap, and the same everywhere.
case("hostile", "hostile-not-json", "a validate request that is not JSON", "validate", error(), text="nodes: 3")
case("hostile", "hostile-empty-input", "an empty validate request", "validate", error(), text="")
case("hostile", "hostile-invalid-utf8", "a validate request with invalid UTF-8", "validate", error(),
     raw=b'{"object": "\xff\xfe"}')
case("hostile", "hostile-invalid-utf8-yaml", "parseYaml of invalid UTF-8", "parseYaml", error(),
     raw=b"a: \xc3\x28\n")
case("hostile", "hostile-invalid-utf8-render", "a render request that is binary", "render", error(),
     raw=bytes(range(256)))
case("hostile", "hostile-bom", "a validate request with a byte-order mark", "validate", error(),
     raw=b"\xef\xbb\xbf" + json.dumps(validate(rec())).encode())
case("hostile", "hostile-trailing-garbage", "JSON followed by garbage", "validate", error(),
     text=json.dumps(validate(rec())) + " trailing")
case("hostile", "hostile-request-array",
     "the request is an array: serde reads a struct from an array positionally ([object, oldObject, options]), "
     "so [rec] validates rec; the same on every entry point", "validate", valid(), [rec()])
case("hostile", "hostile-request-array-too-long", "a request array with more items than fields", "validate", error(),
     [rec(), rec(), {}, 4])
case("hostile", "hostile-request-null", "the request is null", "validate", error(), text="null")
case("hostile", "hostile-missing-object", "a validate request without object", "validate", error(), {})
case("hostile", "hostile-unknown-request-field", "a misspelled request field", "validate", error(),
     {"obj": rec()})
case("hostile", "hostile-old-object-typo", "oldobject instead of oldObject", "validate", error(),
     {"object": rec(), "oldobject": rec()})
case("hostile", "hostile-lone-surrogate", "a lone surrogate escape in a string", "validate", error(),
     text='{"object": {"metadata": {"name": "\\ud800"}}}')
case("hostile", "hostile-number-overflow", "a number beyond f64", "validate", error(),
     text='{"object": {"spec": {"nodes": 1e400}}}')
case("hostile", "hostile-deep-nesting", "nesting beyond the JSON reader's limit", "validate", error(),
     text='{"object": {"spec": {"extraLabels": ' + "[" * 5000 + "]" * 5000 + "}}}")
case("hostile", "hostile-nesting-within-limit", "nesting 100 deep where a map is expected", "validate",
     invalid("type-mismatch"), validate(rec({"extraLabels": {"a": json.loads("[" * 100 + "]" * 100)}})))
case("hostile", "hostile-deep-yaml", "parseYaml of 5000 nested flow sequences", "parseYaml", valid(),
     text="[" * 5000 + "]" * 5000)
case("hostile", "hostile-deep-to-yaml", "toYaml of lists nested 120 deep", "toYaml", valid(),
     {"documents": [json.loads("[" * 120 + "1" + "]" * 120)]})
case("hostile", "hostile-huge-name", "a 200000-character name", "validate", invalid("name-dns1123"),
     validate(rec(name="r" * 200_000)))
case("hostile", "hostile-huge-annotation", "a 150000-character annotation value", "render", valid(),
     render(rec({"podAnnotations": {"big": "x" * 150_000}})))
case("hostile", "hostile-many-tolerations", "5000 tolerations", "validate", valid(),
     validate(rec({"podTolerations": [{"key": f"k{i}", "operator": "Exists"} for i in range(5000)]})))
case("hostile", "hostile-many-unknown-fields", "300 unknown fields", "validate", invalid("unknown-field"),
     validate(rec({f"field{i}": i for i in range(300)})))
case("hostile", "hostile-duplicate-keys", "a duplicated key in JSON", "validate", valid(),
     text='{"object": {"apiVersion": "app.redislabs.com/v1", "kind": "RedisEnterpriseCluster", '
          '"metadata": {"name": "rec", "name": "rec"}, "spec": ' + json.dumps(BASE_SPEC) + "}}")
case("hostile", "hostile-control-characters", "control characters in names", "validate", invalid("name-dns1123"),
     validate(rec(name="rec\u0000\u001b[31m")))
case("hostile", "hostile-null-spec", "spec null", "validate", invalid("not-an-object"),
     validate(merge(rec(), {"spec": None}) | {"spec": None}))
case("hostile", "hostile-spec-array", "spec an array", "validate", invalid("not-an-object"),
     validate(merge(rec(), {"spec": [1]})))
case("hostile", "hostile-nodes-huge", "nodes 1e18", "validate", invalid("type-mismatch"), validate(rec({"nodes": 10**18})))
case("hostile", "hostile-nodes-negative-zero", "nodes -0.0", "validate", invalid("type-mismatch"),
     text='{"object": {"apiVersion": "app.redislabs.com/v1", "kind": "RedisEnterpriseCluster", '
          '"metadata": {"name": "rec"}, "spec": {"nodes": -0.0}}}')
case("hostile", "hostile-quantity-huge", "a quantity with 500 digits", "validate", invalid("quantity-invalid"),
     validate(rec({"persistentSpec": {"volumeSize": "9" * 500 + "Gi"}})))
case("hostile", "hostile-quantity-exponent", "a quantity with a huge exponent", "validate", invalid("quantity-invalid"),
     validate(rec({"persistentSpec": {"volumeSize": "1e999999"}})))
case("hostile", "hostile-unicode-name", "a name in non-ASCII letters", "validate", invalid("name-dns1123"),
     validate(rec(name="réc")))
case("hostile", "hostile-to-yaml-huge-string", "toYaml of a 120000-character string", "toYaml", valid(),
     {"documents": [{"s": "y" * 120_000}]})
case("hostile", "hostile-defaults-binary", "defaults of binary input", "defaults", error(), raw=b"\x00\x01\x02")

# The issue's list (#9), through every entry point: 100,000-deep nesting (JSON and YAML, flow and block), NaN-like
# and huge numbers and quantities, duplicate keys and alias bombs in the text the preview and the CLI read.
# Inputs of 10 MB are generated by wasm-tests/tests/hostile.rs and host-operator/tests/cli_hostile.rs, not committed.
DEEP = 100_000
BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8))


def preview_request(text, **extra):
    return {"text": text, **extra}


case("hostile", "hostile-json-deep-100k", "a spec nested 100,000 arrays deep", "validate", error(),
     text='{"object": {"spec": ' + "[" * DEEP + "]" * DEEP + "}}")
case("hostile", "hostile-json-deep-objects-render", "a render request nested 20,000 objects deep", "render", error(),
     text='{"object": ' + '{"a":' * 20_000 + "1" + "}" * 20_000 + "}")
case("hostile", "hostile-yaml-deep-100k", "parseYaml of 100,000 nested flow sequences", "parseYaml", valid(),
     text="[" * DEEP + "]" * DEEP)
case("hostile", "hostile-yaml-deep-block-100k", "parseYaml of 100,000 nested block sequences on one line",
     "parseYaml", valid(), text="- " * DEEP + "x\n")
case("hostile", "hostile-yaml-deep-maps", "parseYaml of 20,000 nested flow mappings", "parseYaml", valid(),
     text="{a: " * 20_000 + "1" + "}" * 20_000)
case("hostile", "hostile-yaml-billion-laughs", "parseYaml of a billion-laughs alias bomb (9^9 values)",
     "parseYaml", valid(), text=BILLION_LAUGHS)
case("hostile", "hostile-yaml-alias-bomb-in-spec", "a REC whose spec expands an alias bomb", "parseYaml", valid(),
     text="spec:\n  nodes: 3\n  bomb:\n" + "".join(f"    {line}\n" for line in BILLION_LAUGHS.splitlines()))
case("hostile", "hostile-yaml-duplicate-spec-keys", "a REC with spec.nodes written twice", "parseYaml", valid(),
     text="apiVersion: app.redislabs.com/v1\nkind: RedisEnterpriseCluster\nmetadata:\n  name: rec\n"
          "spec:\n  nodes: 3\n  nodes: 5\n")
case("hostile", "hostile-yaml-merge-duplicate", "a merge key and a duplicated key", "parseYaml", valid(),
     text="base: &b {x: 1}\nm:\n  <<: *b\n  <<: *b\n")
for slug, number in [("nan", ".nan"), ("nan-upper", ".NaN"), ("inf", ".inf"), ("neg-inf", "-.Inf"),
                     ("exp-overflow", "1e400"), ("huge-int", "9" * 400), ("hex-huge", "0x" + "f" * 40)]:
    case("hostile", f"hostile-yaml-number-{slug}", f"parseYaml of nodes: {number[:20]}", "parseYaml", valid(),
         text=f"spec:\n  nodes: {number}\n")
for slug, quantity in [("nan", "NaN"), ("dot-nan", ".nan"), ("inf", "Inf"), ("neg-inf", "-Inf"),
                       ("exp-overflow", "1e400"), ("infinity", "Infinity"), ("exp-suffix-overflow", "1e18Ei")]:
    case("hostile", f"hostile-quantity-{slug}", f"a volume size of {quantity}", "validate",
         invalid("quantity-invalid"), validate(rec({"persistentSpec": {"volumeSize": quantity}})))
case("hostile", "hostile-memory-nan", "a memory request of NaN", "validate", invalid("quantity-invalid"),
     validate(rec({"redisEnterpriseNodeResources": resources("NaN", "8Gi")})))
case("hostile", "hostile-json-nan-literal", "a bare NaN in a JSON request", "validate", error(),
     text='{"object": {"spec": {"nodes": NaN}}}')
case("hostile", "hostile-json-infinity-literal", "a bare Infinity in a JSON request", "validate", error(),
     text='{"object": {"spec": {"nodes": Infinity}}}')
case("hostile", "hostile-json-integer-beyond-u64", "nodes 2^64 (beyond every integer type)", "validate",
     invalid("type-mismatch"), text=json.dumps(validate(rec())).replace('"nodes": 3', '"nodes": 18446744073709551616'))
case("hostile", "hostile-json-integer-400-digits", "a 400-digit integer", "validate", error(),
     text='{"object": {"spec": {"nodes": ' + "9" * 400 + "}}}")
case("hostile", "hostile-preview-deep-100k", "the preview of 100,000 nested flow sequences", "preview", valid(),
     preview_request("[" * DEEP + "]" * DEEP))
case("hostile", "hostile-preview-billion-laughs", "the preview of a billion-laughs alias bomb", "preview", valid(),
     preview_request(BILLION_LAUGHS))
case("hostile", "hostile-preview-duplicate-keys", "the preview of a REC with a duplicated key", "preview", valid(),
     preview_request("metadata:\n  name: rec\nmetadata:\n  name: rec2\n"))
case("hostile", "hostile-preview-nan-nodes", "the preview of nodes: .nan", "preview", valid(),
     preview_request("spec:\n  nodes: .nan\n"))
case("hostile", "hostile-preview-old-text-bomb", "an update preview whose old text is an alias bomb", "preview",
     valid(), preview_request("metadata:\n  name: rec\n", oldText=BILLION_LAUGHS))
case("hostile", "hostile-preview-invalid-utf8", "a preview request with invalid UTF-8 in its text", "preview",
     error(), raw=b'{"text": "a: \xc3\x28"}')
# Fuzzing findings (fuzz/README.md): each replayed by every entry point.
case("hostile", "fuzz-name-null-validate", "metadata.name null is missing (render_rec finding)", "validate",
     invalid("required-field"), validate(rec(name=None)))
case("hostile", "fuzz-name-null-render", "metadata.name null: render refuses with the validation report", "render",
     invalid("required-field"), render(rec(name=None)))
case("hostile", "fuzz-name-empty-yaml-preview", "a preview of `name:` with nothing after it", "preview", valid(),
     preview_request("apiVersion: app.redislabs.com/v1\nkind: RedisEnterpriseCluster\nmetadata:\n  name:\n"
                     "spec:\n  nodes: 3\n"))
case("hostile", "fuzz-to-yaml-long-keys", "keys beyond YAML's 1024-character implicit key limit, plain and escaped "
     "(yaml finding: the text did not read back)", "toYaml", valid(),
     {"documents": [{"k" * 1500: {"a": 1}, "m": [{"\u0005" * 200: [True], "b": None}]}]})
case("hostile", "fuzz-parse-yaml-explicit-long-key", "an explicit `? key` beyond the implicit key limit", "parseYaml",
     valid(), text="? " + json.dumps("\u0005" * 200) + "\n: {a: 1}\n")
case("hostile", "hostile-preview-lone-surrogate", "a preview text with a lone surrogate escape", "preview", error(),
     text='{"text": "a: \\udc00"}')


# ---------------------------------------------------------------------------------------------------------------
# Day 2: the plan of a change to a running cluster. Observed objects are as the API server returns them; a pod's
# `redis.io/template-hash` annotation says which pod template it was made from. The two hashes are the core's for
# BASE_SPEC (with the bundled tags) and for BASE_SPEC with versionTag 8.0.22-1: `rec-operator render` prints them.
HASH_BASE = "36d5a6c1b4887ec5"
HASH_TAG = "f3182355ad2b5706"
NOW = "2026-12-04T12:00:00Z"
RUNNING = {"redisEnterprise": "8.0.20-44", "operator": "8.0.20-23"}


def applied(spec, versions=RUNNING, volume="40Gi", bootstrapped=True):
    return {"generation": 1, "spec": spec, "versions": versions, "volumeSize": volume, "bootstrapped": bootstrapped}


def plan(obj, applied_state=None, observed=None, progress=None, **context):
    r = {"object": obj, "now": NOW, "context": {"existingSecret": {"name": "rec"}, **context}}
    if applied_state is not None:
        r["applied"] = applied_state
    if observed is not None:
        r["observed"] = observed
    if progress is not None:
        r["progress"] = progress
    return r


def sts(replicas=3, template_hash=HASH_BASE, size="40Gi", service="rec"):
    templates = [{"metadata": {"name": "redis-enterprise-storage", "labels": {"app": "redis-enterprise"}},
                  "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": size}}}}]
    return {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "rec", "namespace": "ns"},
            "spec": {"replicas": replicas, "serviceName": service, "volumeClaimTemplates": templates,
                     "template": {"metadata": {"annotations": {"redis.io/template-hash": template_hash}}}}}


def pod(i, template_hash=HASH_BASE, ready=True, tag="8.0.20-44"):
    status = {"phase": "Running", "conditions": [{"type": "Ready", "status": "True" if ready else "False"}]}
    if not ready:
        status["containerStatuses"] = [{"name": "redis-enterprise-node", "state": {"waiting": {
            "reason": "CrashLoopBackOff", "message": "back-off 5m0s restarting failed container"}}}]
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": f"rec-{i}", "annotations": {"redis.io/template-hash": template_hash}},
            "spec": {"containers": [{"name": "redis-enterprise-node", "image": f"redislabs/redis:{tag}"}]},
            "status": status}


def pvc(i, requested="40Gi", capacity="40Gi"):
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": {"name": f"redis-enterprise-storage-rec-{i}"},
            "spec": {"resources": {"requests": {"storage": requested}}},
            "status": {"capacity": {"storage": capacity}}}


def observed(statefulset=None, pods=(), claims=()):
    return {"statefulSet": statefulset, "pods": list(pods), "persistentVolumeClaims": list(claims)}


def healthy(template_hash=HASH_BASE, size="40Gi"):
    return observed(sts(template_hash=template_hash, size=size), [pod(i, template_hash) for i in range(3)],
                    [pvc(i, size, size) for i in range(3)])


def planned(state, *codes, refused=False):
    e = invalid(*codes) if refused else valid(*codes)
    e["state"] = state
    return e


TAG = {"redisEnterpriseImageSpec": {"versionTag": "8.0.22-1"}}
GROWN = {"persistentSpec": {"volumeSize": "80Gi", "enablePersistentVolumeResize": True}}
BUNDLED_22 = {"versions": {"redisEnterpriseTag": "8.0.22-1", "operatorTag": "8.0.22-5"}}
PLANS = [
    ("create", "a new cluster: create, then each node in turn", planned("PendingCreation"),
     plan(rec(), observed=observed())),
    ("unchanged", "nothing changed on a healthy cluster: no step", planned("Running"),
     plan(rec(), applied(BASE_SPEC), healthy())),
    ("unchanged-predicted", "nothing changed, no observations: no step", planned("Running"),
     plan(rec(), applied(BASE_SPEC))),
    ("rolling-tag-predicted", "a new versionTag: an upgrade, one node at a time, predicted", planned("Upgrade"),
     plan(rec(TAG), applied(BASE_SPEC))),
    ("rolling-tag-observed", "a new versionTag on a healthy cluster: apply the template, then restart rec-2",
     planned("Upgrade"), plan(rec(TAG), applied(BASE_SPEC), healthy())),
    ("rolling-resources-predicted", "more CPU: a rolling restart", planned("RunningRollingUpdate"),
     plan(rec({"redisEnterpriseNodeResources": resources("8Gi", cpu="4")}), applied(BASE_SPEC))),
    ("rolling-mid-roll", "rec-2 on the new template and Ready: rec-1 is restarted next", planned("Upgrade"),
     plan(rec(TAG), applied(merge(BASE_SPEC, TAG), {"redisEnterprise": "8.0.22-1", "operator": "8.0.20-23"}),
          observed(sts(template_hash=HASH_TAG), [pod(0), pod(1), pod(2, HASH_TAG, tag="8.0.22-1")]))),
    ("rolling-halted", "rec-2 not Ready on the new template for 20 minutes: the roll halts, naming it",
     planned("Upgrade"),
     plan(rec(TAG), applied(merge(BASE_SPEC, TAG), {"redisEnterprise": "8.0.22-1", "operator": "8.0.20-23"}),
          observed(sts(template_hash=HASH_TAG), [pod(0), pod(1), pod(2, HASH_TAG, ready=False, tag="8.0.22-1")]),
          progress={"step": "node rec-2", "since": "2026-12-04T11:40:00Z"})),
    ("volume-grow-with-resize", "40Gi to 80Gi with the flag: expand, wait, replace keeping the pods",
     planned("ExpandingVolumes"), plan(rec(GROWN), applied(BASE_SPEC), healthy())),
    ("volume-grow-recreate", "volumes grown and the StatefulSet deleted, its pods orphaned: re-create it",
     planned("ExpandingVolumes"),
     plan(rec(GROWN), applied(merge(BASE_SPEC, GROWN)),
          observed(None, [pod(i) for i in range(3)], [pvc(i, "80Gi", "80Gi") for i in range(3)]))),
    ("volume-grow-without-resize", "40Gi to 80Gi without the flag: refused", planned("Invalid",
     "volume-grow-without-resize", refused=True),
     plan(rec({"persistentSpec": {"volumeSize": "80Gi"}}), applied(BASE_SPEC), healthy())),
    ("volume-shrink", "40Gi to 20Gi: refused", planned("Invalid", "volume-shrunk", refused=True),
     plan(rec({"persistentSpec": {"volumeSize": "20Gi"}}), applied(BASE_SPEC))),
    ("storage-class-change", "a new storage class: refused", planned("Invalid", "storage-class-changed", refused=True),
     plan(rec({"persistentSpec": {"storageClassName": "fast"}}), applied(BASE_SPEC), healthy())),
    ("persistence-turned-on", "persistence on for a cluster without it: refused",
     planned("Invalid", "persistence-turned-on", refused=True),
     plan(rec(), applied(merge(BASE_SPEC, {"persistentSpec": {"enabled": False, "volumeSize": None}}), volume=None))),
    ("memory-change-keeps-volumes", "16Gi nodes, volumeSize unset: a roll, and the volumes stay 40Gi",
     planned("RunningRollingUpdate"),
     plan(rec({"redisEnterpriseNodeResources": resources("16Gi"), "persistentSpec": {"volumeSize": None}}),
          applied(merge(BASE_SPEC, {"persistentSpec": {"volumeSize": None}})))),
    ("scale-up", "3 nodes to 5: one at a time", planned("ScalingUp"), plan(rec({"nodes": 5}), applied(BASE_SPEC))),
    ("scale-down", "5 nodes to 3: refused", planned("Invalid", "nodes-decreased", refused=True),
     plan(rec(), applied(BASE_SPEC), observed(sts(replicas=5)))),
    ("version-pinned", "an operator bundling 8.0.22-1 upgrades nothing without autoUpgradeRedisEnterprise",
     planned("Running"), plan(rec(), applied(BASE_SPEC), healthy(), **BUNDLED_22)),
    ("version-auto-upgrade", "with autoUpgradeRedisEnterprise the bundled 8.0.22-1 rolls in", planned("Upgrade"),
     plan(rec({"upgradeSpec": {"autoUpgradeRedisEnterprise": True}}), applied(BASE_SPEC), healthy(), **BUNDLED_22)),
    ("version-downgrade", "8.0.20-44 to 7.22.0-216: an invalid upgrade",
     planned("InvalidUpgrade", "version-downgrade", refused=True),
     plan(rec({"redisEnterpriseImageSpec": {"versionTag": "7.22.0-216"}}), applied(BASE_SPEC))),
    ("deleting", "a REC being deleted: nothing is applied", planned("Deleting"),
     plan(merge(rec(), {"metadata": {"deletionTimestamp": NOW}}), applied(BASE_SPEC), healthy())),
    ("credentials-secret-missing", "the Secret of a cluster that ran is gone: refused, no new password",
     planned("Invalid", "credentials-secret-missing", refused=True),
     {**plan(rec(), applied(BASE_SPEC), healthy()), "context": {"entropy": ENTROPY}}),
    ("immutable-service-name", "a StatefulSet with another serviceName: not ours to change",
     planned("Invalid", "immutable-field", refused=True),
     plan(rec(), applied(BASE_SPEC), observed(sts(service="other")))),
    ("invalid-spec", "an invalid spec is refused with its rule", planned("Invalid", "nodes-even", refused=True),
     plan(rec({"nodes": 4}), applied(BASE_SPEC))),
]
for slug, description, expect, request in PLANS:
    case("plan", f"plan-{slug}", description, "plan", expect, request)
case("plan", "plan-bad-request", "an unknown field in the plan request", "plan", error(),
     {"object": rec(), "nope": 1})


# --- RedisEnterpriseDatabase (REDB): validated by the same `validate` operation, by the object's kind (core/src/kind.rs).
# A REDB with no error and no warning (replication on, persistence on): the base of the cases below.
REDB_BASE = {"replication": True, "persistence": "aofEverySecond"}
REDB_WARNINGS = {"redb-replication-off", "redb-persistence-disabled", "redb-module-version-deprecated", "redb-no-context",
                 "redb-cluster-memory"}


def redb(spec_patch=None, name="redb", api="app.redislabs.com/v1alpha1", spec=None, **root):
    body = {"apiVersion": api, "kind": "RedisEnterpriseDatabase", "metadata": {"name": name, "namespace": "ns"},
            "spec": merge(REDB_BASE, spec_patch or {}) if spec is None else spec}
    body.update(root)
    return body


def redb_expect(code):
    return valid(code) if code in REDB_WARNINGS else invalid(code)


# The REC of the REDBs' namespace: 3 nodes of the default 4Gi. The REDB cases run with it as their context (the
# context rules accept them); the cases of `redb-context/` change the context.
CONTEXT_REC = {"apiVersion": "app.redislabs.com/v1", "kind": "RedisEnterpriseCluster",
               "metadata": {"name": "rec", "namespace": "ns"}, "spec": {"nodes": 3}}


def context_rec(name="rec", namespace="ns", **spec):
    return {"apiVersion": "app.redislabs.com/v1", "kind": "RedisEnterpriseCluster",
            "metadata": {"name": name, "namespace": namespace}, "spec": {"nodes": 3, **spec}}


REDB_EXAMPLE = yaml.safe_load((HERE.parent / "examples" / "redb.yaml").read_text())
case("redb", "redb-example-validate", "examples/redb.yaml with its REC: valid, no warning", "validate", valid(),
     validate(REDB_EXAMPLE, context=[context_rec(namespace="redis")]))
case("redb", "redb-base-validate", "a REDB with replication and persistence: valid, no warning", "validate", valid(),
     validate(redb(), context=[CONTEXT_REC]))
case("redb", "redb-empty-spec", "every field is optional, but the defaults warn: no replica, no persistence",
     "validate", valid("redb-replication-off", "redb-persistence-disabled"),
     validate(redb(spec={}), context=[CONTEXT_REC]))
case("redb", "redb-update-unchanged", "an update that changes nothing the update rules guard", "validate", valid(),
     validate(redb({"databasePort": 12000, "shardCount": 2}), old=redb({"databasePort": 12000, "shardCount": 1}),
              context=[CONTEXT_REC]))
case("redb", "redb-many-errors", "every error at once, each at its field", "validate",
     invalid("redb-memory-too-low", "redb-shard-count-too-low", "redb-eviction-policy", "redb-port-range"),
     validate(redb({"memorySize": "50MB", "shardCount": 0, "evictionPolicy": "lru", "databasePort": 0}),
              context=[CONTEXT_REC]))

# One case per rule (the REDB rules' own tests, core/tests/redb_rules.rs, hold the passing side of each).
# `redb-kind` is not here: the `validate` operation reads an object as a REDB by its kind, so a REDB validation
# meets a foreign kind only where the caller names the kind (the policy, from the admission request).
MODULES_60 = [{"name": 1}] * 60
REDB_RULE_CASES = [
    ("redb-not-an-object", "spec-string", redb(spec="x"), None),
    ("redb-api-version", "v1", redb(api="app.redislabs.com/v1"), None),
    ("redb-type-mismatch", "shard-count-string", redb({"shardCount": "2"}), None),
    ("redb-enum-value", "tls-mode", redb({"tlsMode": "on"}), None),
    ("redb-required-field", "cluster-ref-name", redb({"redisEnterpriseCluster": {}}), None),
    ("redb-unknown-field", "typo", redb({"memorysize": "1GB"}), None),
    ("redb-too-many-errors", "60-bad-modules", redb({"modulesList": MODULES_60}), None),
    ("redb-name-dns1035", "upper-case", redb(name="Redb"), None),
    ("redb-name-too-long", "50", redb(name="a" * 50), None),
    ("redb-secret-name", "database", redb({"databaseSecretName": "Bad_Name"}), None),
    ("redb-memory-size-invalid", "words", redb({"memorySize": "lots"}), None),
    ("redb-memory-too-low", "50mb", redb({"memorySize": "50MB"}), None),
    ("redb-rof-memory-too-low", "500mb", redb({"isRof": True, "memorySize": "500MB", "redisVersion": "8"}), None),
    ("redb-rof-ram-size-without-rof", "no-is-rof", redb({"rofRamSize": "1GB"}), None),
    ("redb-rof-ram-size-missing", "redis-7-4", redb({"isRof": True, "memorySize": "10GB", "redisVersion": "7.4"}),
     None),
    ("redb-rof-ram-size-too-low", "5-percent", redb({"isRof": True, "memorySize": "10GB", "rofRamSize": "512MB"}),
     None),
    ("redb-rof-ram-ratio-range", "101", redb({"isRof": True, "memorySize": "1GB", "rofRamRatio": 101}), None),
    ("redb-search-on-bigstore-without-rof", "no-rof", redb({"searchOnBigstore": True}), None),
    ("redb-shard-count-too-low", "0", redb({"shardCount": 0}), None),
    ("redb-sharding-enabled", "true", redb({"shardingEnabled": True}), None),
    ("redb-eviction-policy", "lru", redb({"evictionPolicy": "lru"}), None),
    ("redb-proxy-policy", "any", redb({"proxyPolicy": "any"}), None),
    ("redb-replica-source-type", "url",
     redb({"replicaSources": [{"replicaSourceName": "src", "replicaSourceType": "URL"}]}), None),
    ("redb-redis-version", "three-parts", redb({"redisVersion": "7.4.2"}), None),
    ("redb-port-range", "service-70000", redb({"databaseServicePort": 70000}), None),
    ("redb-port-reserved", "8443", redb({"databasePort": 8443}), None),
    ("redb-compression-range", "7",
     redb({"replicaSources": [{"replicaSourceName": "s", "replicaSourceType": "SECRET", "compression": 7}]}), None),
    ("redb-backup-storage", "two", redb({"backup": {"mount": {"path": "/b"}, "ftp": {"url": "ftp://h/b"}}}), None),
    ("redb-backup-interval-offset", "hourly",
     redb({"backup": {"mount": {"path": "/b"}, "interval": 3600, "intervalOffset": 60}}), None),
    ("redb-memcached-field", "redis-version", redb({"type": "memcached", "redisVersion": "8"}), None),
    ("redb-external-access-without-oss-cluster", "no-oss",
     redb({"ossClusterSettings": {"enableExternalAccess": True}}), None),
    ("redb-replication-off", "false", redb({"replication": False}), None),
    ("redb-persistence-disabled", "disabled", redb({"persistence": "disabled"}), None),
    ("redb-module-version-deprecated", "version",
     redb({"modulesList": [{"name": "search"}, {"name": "ReJSON", "version": "2.6.1"}]}), None),
    ("redb-port-changed", "changed", redb({"databasePort": 12001}), redb({"databasePort": 12000})),
    ("redb-type-changed", "to-memcached", redb({"type": "memcached"}), redb()),
    ("redb-rof-changed", "on", redb({"isRof": True, "memorySize": "1GB", "redisVersion": "8"}), redb()),
    ("redb-shard-count-decreased", "3-to-2", redb({"shardCount": 2}), redb({"shardCount": 3})),
]
for code, slug, obj, old in REDB_RULE_CASES:
    group = "redb-update" if old is not None else "redb"
    case(group, f"{code}-{slug}", f"{code}: {slug.replace('-', ' ')}", "validate", redb_expect(code),
         validate(obj, old=old, context=[CONTEXT_REC]))


# The context rules (core/src/redb/validate/context.rs): the REC and the other REDBs, given as `context`.
def peer(name, namespace="ns", **spec):
    return {"apiVersion": "app.redislabs.com/v1alpha1", "kind": "RedisEnterpriseDatabase",
            "metadata": {"name": name, "namespace": namespace}, "spec": spec}


NAMED = {"redisEnterpriseCluster": {"name": "rec"}}
REDB_CONTEXT_CASES = [
    ("redb-no-context", "none", "no context at all: said once, as a warning", redb(), None),
    ("redb-cluster-not-found", "named", "names a REC that is not there", redb({"redisEnterpriseCluster": {"name": "x"}}),
     [CONTEXT_REC]),
    ("redb-cluster-not-found", "empty-namespace", "an empty cluster: no REC at all", redb(), []),
    ("redb-cluster-ambiguous", "two-recs", "no name, two RECs in the namespace", redb(),
     [CONTEXT_REC, context_rec("rec2")]),
    ("redb-module-unknown", "custom", "a module neither bundled nor user defined",
     redb({"modulesList": [{"name": "search"}, {"name": "custom"}]}), [CONTEXT_REC]),
    ("redb-latest-without-upgrade-policy", "latest", "latest without the REC's upgrade policy",
     redb({"redisVersion": "latest"}), [CONTEXT_REC]),
    ("redb-external-access-without-rec", "no-type", "OSS external access the REC does not offer",
     redb({"ossCluster": True, "ossClusterSettings": {"enableExternalAccess": True}}), [CONTEXT_REC]),
    ("redb-name-taken", "other-namespace", "a database of the same REC and name in another namespace (RED-99997)",
     redb(NAMED), [CONTEXT_REC, peer("redb", "team-a", **NAMED)]),
    ("redb-port-taken", "12000", "the port of another database of the same REC",
     redb({"databasePort": 12000}), [CONTEXT_REC, peer("cache", databasePort=12000)]),
    ("redb-replica-source-not-found", "origin", "replicates from a REDB that does not exist",
     redb({"replicaSources": [{"replicaSourceType": "REDB", "replicaSourceName": "origin"}]}), [CONTEXT_REC]),
    ("redb-cluster-memory", "13gb", "13GB of databases on 3 nodes of 4Gi",
     redb({"memorySize": "5GB", "replication": False}), [CONTEXT_REC, peer("big", memorySize="4GB", replication=True)]),
]
for code, slug, description, obj, context in REDB_CONTEXT_CASES:
    case("redb-context", f"{code}-{slug}", f"{code}: {description}", "validate", redb_expect(code),
         validate(obj, context=context))
case("redb-context", "redb-context-accepts", "a REDB among its REC and other databases: valid, no warning",
     "validate", valid(), validate(redb({"databasePort": 12000, "replicaSources": [
         {"replicaSourceType": "REDB", "replicaSourceName": "origin"}]}),
         context=[CONTEXT_REC, context_rec("other", "team-a"), peer("origin", databasePort=12001),
                  peer("redb", "team-a", redisEnterpriseCluster={"name": "other"})]))
case("redb-context", "redb-context-update-ratchets", "a context error the update did not cause is a warning",
     "validate", valid("redb-cluster-not-found"),
     validate(redb({"shardCount": 2}), old=redb(), context=[]))
case("redb-context", "redb-context-rec-ignores", "a REC has no context rules", "validate", valid(),
     validate(rec(), context=[]))


# `validateDocuments`: the documents of one input, each other's context.
def documents(docs, old=None, context=None):
    r = {"documents": docs}
    if old is not None:
        r["oldDocuments"] = old
    if context is not None:
        r["context"] = context
    return r


case("redb-context", "documents-rec-and-redbs", "a REC and two REDBs in one input: each other's context",
     "validateDocuments", valid(), documents([context_rec(), redb(), peer("cache", replication=True,
                                                                           persistence="aofEverySecond")]))
case("redb-context", "documents-port-clash", "two REDBs of one input on one port", "validateDocuments",
     invalid("redb-port-taken"), documents([context_rec(), redb({"databasePort": 12000}),
                                            peer("cache", databasePort=12000)]))
case("redb-context", "documents-lone-redb", "a lone REDB: no context, said as a warning", "validateDocuments",
     valid("redb-no-context"), documents([redb()]))
case("redb-context", "documents-context-file", "a lone REDB and a context file holding its REC",
     "validateDocuments", valid(), documents([redb()], context=[context_rec()]))
case("redb-context", "documents-update", "each document against the old one of its kind, namespace and name",
     "validateDocuments", invalid("redb-port-changed"),
     documents([context_rec(), redb({"databasePort": 12001})], old=[redb({"databasePort": 12000})]))



# `preview` of a text of documents (the page's editor): a REC and its REDBs, `---` separated, in any order; each
# validated with the others as its context, the REC rendered, each REDB's Kubernetes side listed.
def stream(*objects):
    return "".join("---\n" + yaml.safe_dump(o, sort_keys=False) for o in objects)


PREVIEW_CONTEXT = {"entropy": "ab" * 32}
case("redb-context", "preview-rec-and-redbs", "a preview of a REC and two REDBs, the REC last", "preview",
     valid("memory-below-production"),
     preview_request(stream(redb({"databasePort": 12000}), peer("cache", replication=True,
                                                                persistence="aofEverySecond"), context_rec()),
                     context=PREVIEW_CONTEXT))
case("redb-context", "preview-port-clash", "a preview of two REDBs of one REC on one port", "preview",
     invalid("redb-port-taken"),
     preview_request(stream(context_rec(), redb({"databasePort": 12000}), peer("cache", databasePort=12000)),
                     context=PREVIEW_CONTEXT))
case("redb-context", "preview-lone-redb", "a preview of a lone REDB: validated as a REDB, without context",
     "preview", valid("redb-no-context"), preview_request(yaml.safe_dump(redb(), sort_keys=False)))
case("redb-context", "preview-load-balancer-redis-port", "a preview of a REC whose rigger names services by port",
     "preview", valid("memory-below-production"),
     preview_request(stream(context_rec(servicesRiggerSpec={"databaseServiceType": "cluster_ip,headless,load_balancer",
                                                            "serviceNaming": "redis-port"}),
                            redb({"databasePort": 12000, "type": "memcached"})), context=PREVIEW_CONTEXT))
case("redb-context", "preview-documents-update", "an update preview of documents, matched by kind and name",
     "preview", invalid("redb-port-changed"),
     preview_request(stream(context_rec(nodes=5), redb({"databasePort": 12001})), context=PREVIEW_CONTEXT,
                     oldText=stream(redb({"databasePort": 12000}), context_rec())))
case("redb-context", "preview-documents-syntax-error", "a preview whose second document is not YAML", "preview",
     valid(), preview_request(stream(context_rec()) + "---\nspec: [1\n"))
case("hostile", "hostile-preview-many-documents", "a preview of 5,000 empty-ish documents: refused at once",
     "preview", valid(), preview_request("---\na: 1\n" * 5000))

def main():
    CORPUS.mkdir(exist_ok=True)
    wanted = set()
    for name, (group, body) in CASES.items():
        path = CORPUS / group / f"{name}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(body, indent=1, ensure_ascii=False) + "\n")
        wanted.add(path)
    groups = {group for group, _ in CASES.values()}
    for path in CORPUS.rglob("*.json"):
        # Only the groups this script writes: policy-seed/ is written by hand.
        if path.parent.name in groups and path not in wanted:
            path.unlink()
    print(f"{len(CASES)} cases in {CORPUS}")


if __name__ == "__main__":
    main()
