//! Table-driven tests of every rule code: at least one failing case (asserting code, path and severity) and one
//! passing case (asserting the code is absent), plus the behaviours around them (all errors at once, order,
//! options, warnings as errors).

use rec_core::validate::{Options, RULES, Report, Severity, Stage, rule_for, validate};
use serde_json::{Value, json};

const E: Severity = Severity::Error;
const W: Severity = Severity::Warning;

/// A valid REC with no warnings: 3 nodes, 8Gi guaranteed, 40Gi volume.
fn base() -> Value {
    json!({
        "apiVersion": "app.redislabs.com/v1",
        "kind": "RedisEnterpriseCluster",
        "metadata": {"name": "rec", "namespace": "ns"},
        "spec": {
            "nodes": 3,
            "redisEnterpriseNodeResources": {
                "requests": {"cpu": "2", "memory": "8Gi"},
                "limits": {"cpu": "2", "memory": "8Gi"}
            },
            "persistentSpec": {"enabled": true, "volumeSize": "40Gi"}
        }
    })
}

/// RFC 7386 merge patch: objects merge, null deletes, anything else replaces.
fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    t.remove(k);
                } else {
                    merge(t.entry(k.clone()).or_insert(Value::Null), v);
                }
            }
        }
        (t, p) => *t = p.clone(),
    }
}

fn with(patch: Value) -> Value {
    let mut v = base();
    merge(&mut v, &patch);
    v
}

fn spec(patch: Value) -> Value {
    with(json!({ "spec": patch }))
}

struct Case {
    code: &'static str,
    name: &'static str,
    object: Value,
    old: Option<Value>,
    options: Value,
    /// `Some((path, severity))`: the code must be reported there; `None`: the code must not be reported.
    expect: Option<(&'static str, Severity)>,
}

fn fail(code: &'static str, name: &'static str, object: Value, path: &'static str, severity: Severity) -> Case {
    Case {
        code,
        name,
        object,
        old: None,
        options: json!({}),
        expect: Some((path, severity)),
    }
}

fn pass(code: &'static str, name: &'static str, object: Value) -> Case {
    Case {
        code,
        name,
        object,
        old: None,
        options: json!({}),
        expect: None,
    }
}

impl Case {
    fn old(mut self, old: Value) -> Self {
        self.old = Some(old);
        self
    }
    fn options(mut self, options: Value) -> Self {
        self.options = options;
        self
    }
}

fn labels(n: usize) -> Value {
    Value::Object((0..n).map(|i| (format!("k{i:03}"), json!(i))).collect())
}

fn name_of(len: usize) -> Value {
    json!({"metadata": {"name": "r".repeat(len)}})
}

fn ingress(method: &str) -> Value {
    json!({"apiFqdnUrl": "api.example.com", "dbFqdnSuffix": ".db.example.com", "method": method})
}

fn cases() -> Vec<Case> {
    vec![
        // Structure.
        fail("not-an-object", "root is an array", json!([]), ".", E),
        fail(
            "not-an-object",
            "spec is an array",
            with(json!({"spec": []})),
            "spec",
            E,
        ),
        fail(
            "not-an-object",
            "metadata is a string",
            with(json!({"metadata": "rec"})),
            "metadata",
            E,
        ),
        pass("not-an-object", "objects", base()),
        fail(
            "api-version",
            "core v1",
            with(json!({"apiVersion": "v1"})),
            "apiVersion",
            E,
        ),
        fail(
            "api-version",
            "missing",
            with(json!({"apiVersion": null})),
            "apiVersion",
            E,
        ),
        pass(
            "api-version",
            "v1alpha1",
            with(json!({"apiVersion": "app.redislabs.com/v1alpha1"})),
        ),
        fail("kind", "Pod", with(json!({"kind": "Pod"})), "kind", E),
        pass("kind", "REC", base()),
        fail(
            "type-mismatch",
            "nodes string",
            spec(json!({"nodes": "three"})),
            "spec.nodes",
            E,
        ),
        fail(
            "type-mismatch",
            "nodes over i32",
            spec(json!({"nodes": 3_000_000_000u64})),
            "spec.nodes",
            E,
        ),
        fail(
            "type-mismatch",
            "nodes float",
            spec(json!({"nodes": 3.5})),
            "spec.nodes",
            E,
        ),
        fail(
            "type-mismatch",
            "inside a k8s type in an array",
            spec(json!({"podTolerations": [{"key": "a"}, {"key": "b", "tolerationSeconds": "x"}]})),
            "spec.podTolerations[1].tolerationSeconds",
            E,
        ),
        fail(
            "type-mismatch",
            "label value",
            spec(json!({"extraLabels": {"a": 1}})),
            "spec.extraLabels.a",
            E,
        ),
        fail(
            "type-mismatch",
            "metadata.name number",
            with(json!({"metadata": {"name": 7}})),
            "metadata.name",
            E,
        ),
        pass(
            "type-mismatch",
            "numbers as quantities",
            spec(json!({"bootstrapperResources": {"requests": {"cpu": 1}}})),
        ),
        fail(
            "enum-value",
            "ui service type",
            spec(json!({"uiServiceType": "Foo"})),
            "spec.uiServiceType",
            E,
        ),
        fail(
            "enum-value",
            "nested enum",
            spec(json!({"services": {"apiService": {"type": "ExternalName"}}})),
            "spec.services.apiService.type",
            E,
        ),
        pass("enum-value", "NodePort", spec(json!({"uiServiceType": "NodePort"}))),
        fail(
            "required-field",
            "ingress without method",
            spec(json!({"ingressOrRouteSpec": {"apiFqdnUrl": "a", "dbFqdnSuffix": "b"}})),
            "spec.ingressOrRouteSpec.method",
            E,
        ),
        fail(
            "required-field",
            "no metadata.name",
            with(json!({"metadata": {"name": null}})),
            "metadata.name",
            E,
        ),
        fail("required-field", "no spec", with(json!({"spec": null})), "spec", E),
        pass(
            "required-field",
            "complete",
            spec(json!({"ingressOrRouteSpec": ingress("openShiftRoute")})),
        ),
        fail("unknown-field", "typo node", spec(json!({"node": 3})), "spec.node", E),
        fail(
            "unknown-field",
            "typo inside a k8s type",
            spec(json!({"podTolerations": [{"key": "a"}, {"keyy": "b"}]})),
            "spec.podTolerations[1].keyy",
            E,
        ),
        fail(
            "unknown-field",
            "unknown root field",
            with(json!({"specs": {}})),
            "specs",
            E,
        ),
        pass(
            "unknown-field",
            "status may carry fields we do not model",
            with(json!({"status": {"licenseStatus": {}}})),
        ),
        fail(
            "too-many-errors",
            "60 bad labels",
            spec(json!({"extraLabels": labels(60)})),
            ".",
            E,
        ),
        pass(
            "too-many-errors",
            "10 bad labels",
            spec(json!({"extraLabels": labels(10)})),
        ),
        // Names.
        fail(
            "name-dns1123",
            "upper case",
            with(json!({"metadata": {"name": "Rec_1"}})),
            "metadata.name",
            E,
        ),
        fail(
            "name-dns1123",
            "starts with a digit",
            with(json!({"metadata": {"name": "1rec"}})),
            "metadata.name",
            E,
        ),
        fail(
            "name-dns1123",
            "license secret",
            spec(json!({"licenseSecretName": "Bad_Name"})),
            "spec.licenseSecretName",
            E,
        ),
        fail(
            "name-dns1123",
            "pull secret",
            spec(json!({"pullSecrets": [{"name": "UP"}]})),
            "spec.pullSecrets[0].name",
            E,
        ),
        fail(
            "name-dns1123",
            "storage class",
            spec(json!({"persistentSpec": {"storageClassName": "Fast_SSD"}})),
            "spec.persistentSpec.storageClassName",
            E,
        ),
        fail(
            "name-dns1123",
            "the rigger pod's runtime class",
            spec(
                json!({"servicesRiggerSpec": {"servicesRiggerAdditionalPodSpecAttributes": {
                "runtimeClassName": "gVisor"}}}),
            ),
            "spec.servicesRiggerSpec.servicesRiggerAdditionalPodSpecAttributes.runtimeClassName",
            E,
        ),
        fail(
            "name-dns1123",
            "a side container named with an underscore",
            spec(json!({"sideContainersSpec": [{"name": "log_shipper", "image": "x"}]})),
            "spec.sideContainersSpec[0].name",
            E,
        ),
        fail(
            "name-dns1123",
            "a volume of the rigger pod named with capitals",
            spec(
                json!({"servicesRiggerSpec": {"servicesRiggerAdditionalPodSpecAttributes": {
                "volumes": [{"name": "Scratch", "emptyDir": {}}]}}}),
            ),
            "spec.servicesRiggerSpec.servicesRiggerAdditionalPodSpecAttributes.volumes[0].name",
            E,
        ),
        fail(
            "name-dns1123",
            "a pod hostname with a dot (a label, not a subdomain)",
            spec(json!({"redisEnterpriseAdditionalPodSpecAttributes": {"hostname": "node.one"}})),
            "spec.redisEnterpriseAdditionalPodSpecAttributes.hostname",
            E,
        ),
        pass(
            "name-dns1123",
            "class names, an empty storage class (none), a hostname",
            spec(
                json!({"persistentSpec": {"storageClassName": ""}, "priorityClassName": "high.priority",
                "redisEnterpriseAdditionalPodSpecAttributes": {"schedulerName": "default-scheduler",
                    "hostname": "node-1", "subdomain": "rec"}}),
            ),
        ),
        pass(
            "name-dns1123",
            "good names",
            with(json!({"metadata": {"name": "rec-east-1"}, "spec": {"serviceAccountName": "sa.rec"}})),
        ),
        pass(
            "name-dns1123",
            "vault path is not a k8s name",
            spec(json!({"clusterCredentialSecretType": "vault", "clusterCredentialSecretName": "secret/data/rec"})),
        ),
        fail("name-too-long", "48 characters", with(name_of(48)), "metadata.name", E),
        pass("name-too-long", "47 characters", with(name_of(47))),
        fail(
            "name-too-long-for-ingress",
            "21 characters with a route",
            with(
                json!({"metadata": {"name": "r".repeat(21)}, "spec": {"ingressOrRouteSpec": ingress("openShiftRoute")}}),
            ),
            "metadata.name",
            E,
        ),
        pass(
            "name-too-long-for-ingress",
            "20 characters with a route",
            with(
                json!({"metadata": {"name": "r".repeat(20)}, "spec": {"ingressOrRouteSpec": ingress("openShiftRoute")}}),
            ),
        ),
        pass(
            "name-too-long-for-ingress",
            "21 characters without ingress",
            with(name_of(21)),
        ),
        // Nodes.
        fail("nodes-even", "4", spec(json!({"nodes": 4})), "spec.nodes", E),
        pass("nodes-even", "5", spec(json!({"nodes": 5}))),
        fail("nodes-too-few", "1", spec(json!({"nodes": 1})), "spec.nodes", E),
        fail("nodes-too-few", "negative", spec(json!({"nodes": -3})), "spec.nodes", E),
        pass("nodes-too-few", "3", spec(json!({"nodes": 3}))),
        fail("nodes-too-many", "37", spec(json!({"nodes": 37})), "spec.nodes", E),
        pass("nodes-too-many", "35", spec(json!({"nodes": 35}))),
        // Access.
        fail(
            "license-conflict",
            "both",
            spec(json!({"license": "x", "licenseSecretName": "lic"})),
            "spec.licenseSecretName",
            E,
        ),
        pass(
            "license-conflict",
            "secret only",
            spec(json!({"licenseSecretName": "lic"})),
        ),
        fail(
            "ingress-conflict",
            "both",
            spec(json!({"ingressOrRouteSpec": ingress("openShiftRoute"), "activeActive":
                {"apiIngressUrl": "a", "dbIngressSuffix": "b", "method": "openShiftRoute"}})),
            "spec.activeActive",
            E,
        ),
        pass(
            "ingress-conflict",
            "one",
            spec(json!({"ingressOrRouteSpec": ingress("openShiftRoute")})),
        ),
        fail(
            "ingress-class-missing",
            "ingress without class",
            spec(json!({"ingressOrRouteSpec": ingress("ingress")})),
            "spec.ingressOrRouteSpec.ingressAnnotations",
            E,
        ),
        fail(
            "ingress-class-missing",
            "activeActive ingress without class",
            spec(
                json!({"activeActive": {"apiIngressUrl": "a", "dbIngressSuffix": "b", "method": "ingress",
                "ingressAnnotations": {"x": "y"}}}),
            ),
            "spec.activeActive.ingressAnnotations",
            E,
        ),
        pass(
            "ingress-class-missing",
            "ingress with class",
            spec(
                json!({"ingressOrRouteSpec": {"apiFqdnUrl": "a", "dbFqdnSuffix": "b", "method": "ingress",
                "ingressAnnotations": {"kubernetes.io/ingress.class": "nginx"}}}),
            ),
        ),
        pass(
            "ingress-class-missing",
            "istio",
            spec(json!({"ingressOrRouteSpec": ingress("istio")})),
        ),
        // Images.
        fail(
            "digest-without-tag",
            "digest only",
            spec(json!({"redisEnterpriseImageSpec": {"digestHash": "abc"}})),
            "spec.redisEnterpriseImageSpec.versionTag",
            E,
        ),
        pass(
            "digest-without-tag",
            "digest and tag",
            spec(json!({"redisEnterpriseImageSpec": {"digestHash": "abc", "versionTag": "8.0.20-44"}})),
        ),
        fail(
            "digest-with-auto-upgrade",
            "digest and auto-upgrade",
            spec(
                json!({"redisEnterpriseImageSpec": {"digestHash": "abc", "versionTag": "8.0.20-44"},
                "upgradeSpec": {"autoUpgradeRedisEnterprise": true}}),
            ),
            "spec.redisEnterpriseImageSpec.digestHash",
            E,
        ),
        pass(
            "digest-with-auto-upgrade",
            "digest without auto-upgrade",
            spec(
                json!({"redisEnterpriseImageSpec": {"digestHash": "abc", "versionTag": "8.0.20-44"},
                "upgradeSpec": {"autoUpgradeRedisEnterprise": false}}),
            ),
        ),
        fail(
            "image-registry-not-allowed",
            "default docker.io image",
            base(),
            "spec.redisEnterpriseImageSpec.repository",
            E,
        )
        .options(json!({"allowedImageRegistries": ["quay.io"]})),
        fail(
            "image-registry-not-allowed",
            "side container",
            spec(json!({"sideContainersSpec": [{"name": "s", "image": "evil.example.com/x"}]})),
            "spec.sideContainersSpec[0].image",
            E,
        )
        .options(json!({"allowedImageRegistries": ["docker.io"]})),
        pass("image-registry-not-allowed", "docker.io allowed", base())
            .options(json!({"allowedImageRegistries": ["docker.io"]})),
        pass(
            "image-registry-not-allowed",
            "no option",
            spec(json!({"redisEnterpriseImageSpec": {"repository": "x.io/r"}})),
        ),
        fail(
            "image-tag-mismatch",
            "old bootstrapper tag",
            spec(json!({"bootstrapperImageSpec": {"versionTag": "7.0.0-1"}})),
            "spec.bootstrapperImageSpec.versionTag",
            W,
        ),
        pass(
            "image-tag-mismatch",
            "operator tag",
            spec(json!({"bootstrapperImageSpec": {"versionTag": rec_core::defaults::OPERATOR_TAG}})),
        ),
        pass(
            "image-tag-mismatch",
            "operatorTag option",
            spec(json!({"bootstrapperImageSpec": {"versionTag": "7.0.0-1"}})),
        )
        .options(json!({"operatorTag": "7.0.0-1"})),
        // Resources.
        fail(
            "quantity-invalid",
            "10 GB",
            spec(json!({"persistentSpec": {"volumeSize": "10 GB"}})),
            "spec.persistentSpec.volumeSize",
            E,
        ),
        fail(
            "quantity-invalid",
            "4GB memory",
            spec(json!({"redisEnterpriseNodeResources": {"requests": {"memory": "4GB"}}})),
            "spec.redisEnterpriseNodeResources.requests.memory",
            E,
        ),
        fail(
            "quantity-invalid",
            "nan",
            spec(json!({"bootstrapperResources": {"limits": {"cpu": "nan"}}})),
            "spec.bootstrapperResources.limits.cpu",
            E,
        ),
        fail(
            "quantity-invalid",
            "negative",
            spec(json!({"persistentSpec": {"volumeSize": "-40Gi"}})),
            "spec.persistentSpec.volumeSize",
            E,
        ),
        fail(
            "quantity-invalid",
            "extended resource name is quoted in the path",
            spec(json!({"bootstrapperResources": {"limits": {"nvidia.com/gpu": "x"}}})),
            "spec.bootstrapperResources.limits[\"nvidia.com/gpu\"]",
            E,
        ),
        pass(
            "quantity-invalid",
            "all forms",
            spec(
                json!({"redisEnterpriseNodeResources": {"requests": {"memory": "8192Mi", "cpu": "0.5"},
                "limits": {"memory": "8Gi", "cpu": "500m"}}, "persistentSpec": {"volumeSize": "1e11"}}),
            ),
        ),
        fail(
            "memory-too-low",
            "2Gi",
            spec(
                json!({"redisEnterpriseNodeResources": {"requests": {"memory": "2Gi"}, "limits": {"memory": "2Gi"}},
                "persistentSpec": {"volumeSize": "10Gi"}}),
            ),
            "spec.redisEnterpriseNodeResources.requests.memory",
            E,
        ),
        fail(
            "memory-too-low",
            "limit only",
            spec(json!({"redisEnterpriseNodeResources": {"requests": null, "limits": {"memory": "1Gi"}}})),
            "spec.redisEnterpriseNodeResources.limits.memory",
            E,
        ),
        fail(
            "memory-too-low",
            "raised by option",
            base(),
            "spec.redisEnterpriseNodeResources.requests.memory",
            E,
        )
        .options(json!({"minNodeMemory": "16Gi"})),
        pass(
            "memory-too-low",
            "4096Mi",
            spec(json!({"redisEnterpriseNodeResources": {"requests": {"memory": "4096Mi"}}})),
        ),
        fail(
            "memory-below-production",
            "4Gi",
            spec(
                json!({"redisEnterpriseNodeResources": {"requests": {"memory": "4Gi"}, "limits": {"memory": "4Gi"}},
                "persistentSpec": {"volumeSize": "20Gi"}}),
            ),
            "spec.redisEnterpriseNodeResources.requests.memory",
            W,
        ),
        fail(
            "memory-below-production",
            "default 4Gi",
            spec(json!({"redisEnterpriseNodeResources": null, "persistentSpec": null})),
            "spec.redisEnterpriseNodeResources.requests.memory",
            W,
        ),
        pass("memory-below-production", "8Gi", base()),
        fail(
            "limits-below-requests",
            "bootstrapper cpu",
            spec(json!({"bootstrapperResources": {"requests": {"cpu": "1"}, "limits": {"cpu": "500m"}}})),
            "spec.bootstrapperResources.limits.cpu",
            E,
        ),
        pass(
            "limits-below-requests",
            "equal",
            spec(json!({"bootstrapperResources": {"requests": {"cpu": "1"}, "limits": {"cpu": "1000m"}}})),
        ),
        fail(
            "limits-differ-from-requests",
            "node memory limit higher",
            spec(json!({"redisEnterpriseNodeResources": {"limits": {"memory": "16Gi"}}})),
            "spec.redisEnterpriseNodeResources.limits.memory",
            W,
        ),
        pass(
            "limits-differ-from-requests",
            "equal in other units",
            spec(json!({"redisEnterpriseNodeResources": {"limits": {"memory": "8192Mi", "cpu": "2000m"}}})),
        ),
        fail(
            "volume-too-small",
            "20Gi for 8Gi",
            spec(json!({"persistentSpec": {"volumeSize": "20Gi"}})),
            "spec.persistentSpec.volumeSize",
            E,
        ),
        pass(
            "volume-too-small",
            "24Gi for 8Gi",
            spec(json!({"persistentSpec": {"volumeSize": "24Gi"}})),
        ),
        pass(
            "volume-too-small",
            "persistence off",
            spec(json!({"persistentSpec": {"enabled": false, "volumeSize": "1Gi"}})),
        ),
        fail(
            "volume-below-recommended",
            "30Gi for 8Gi",
            spec(json!({"persistentSpec": {"volumeSize": "30Gi"}})),
            "spec.persistentSpec.volumeSize",
            W,
        ),
        pass("volume-below-recommended", "40Gi for 8Gi", base()),
        // Misc.
        fail(
            "resize-with-flash",
            "resize and flash",
            spec(json!({"persistentSpec": {"enablePersistentVolumeResize": true},
                "redisOnFlashSpec": {"enabled": true, "storageClassName": "local"}})),
            "spec.persistentSpec.enablePersistentVolumeResize",
            E,
        ),
        pass(
            "resize-with-flash",
            "flash disabled",
            spec(json!({"persistentSpec": {"enablePersistentVolumeResize": true},
                "redisOnFlashSpec": {"enabled": false, "storageClassName": "local"}})),
        ),
        fail(
            "reserved-annotation",
            "pod annotation",
            spec(json!({"podAnnotations": {"redis.io/last-keys": "x"}})),
            "spec.podAnnotations[\"redis.io/last-keys\"]",
            E,
        ),
        fail(
            "reserved-annotation",
            "services annotation",
            spec(json!({"services": {"servicesAnnotations": {"redis.io/last-keys": "x"}}})),
            "spec.services.servicesAnnotations[\"redis.io/last-keys\"]",
            E,
        ),
        pass(
            "reserved-annotation",
            "other key",
            spec(json!({"podAnnotations": {"redis.io/other": "x"}})),
        ),
        fail(
            "rigger-service-type",
            "nodeport",
            spec(json!({"servicesRiggerSpec": {"databaseServiceType": "cluster_ip,nodeport"}})),
            "spec.servicesRiggerSpec.databaseServiceType",
            E,
        ),
        pass(
            "rigger-service-type",
            "all three",
            spec(json!({"servicesRiggerSpec": {"databaseServiceType": "cluster_ip, headless,load_balancer"}})),
        ),
        fail(
            "module-source",
            "neither",
            spec(json!({"userDefinedModules": [{"name": "m", "source": {}}]})),
            "spec.userDefinedModules[0].source",
            E,
        ),
        fail(
            "module-source",
            "both",
            spec(
                json!({"userDefinedModules": [{"name": "ok", "source": {"https": {"url": "https://a/m.zip"}}},
                {"name": "m", "source": {"http": {"url": "http://a"}, "https": {"url": "https://a"}}}]}),
            ),
            "spec.userDefinedModules[1].source",
            E,
        ),
        pass(
            "module-source",
            "https only",
            spec(json!({"userDefinedModules": [{"name": "m", "source": {"https": {"url": "https://a/m.zip"}}}]})),
        ),
        fail(
            "module-url-scheme",
            "https url under http",
            spec(json!({"userDefinedModules": [{"name": "m", "source": {"http": {"url": "https://a/m.zip"}}}]})),
            "spec.userDefinedModules[0].source.http.url",
            E,
        ),
        pass(
            "module-url-scheme",
            "http url under http",
            spec(json!({"userDefinedModules": [{"name": "m", "source": {"http": {"url": "HTTP://a/m.zip"}}}]})),
        ),
        fail(
            "ocsp-range",
            "query too often",
            spec(json!({"ocspConfiguration": {"queryFrequency": 10}})),
            "spec.ocspConfiguration.queryFrequency",
            E,
        ),
        fail(
            "ocsp-range",
            "timeout too long",
            spec(json!({"ocspConfiguration": {"responseTimeout": 61}})),
            "spec.ocspConfiguration.responseTimeout",
            E,
        ),
        fail(
            "ocsp-range",
            "no tries",
            spec(json!({"ocspConfiguration": {"recoveryMaxTries": 0}})),
            "spec.ocspConfiguration.recoveryMaxTries",
            E,
        ),
        pass(
            "ocsp-range",
            "bounds",
            spec(
                json!({"ocspConfiguration": {"queryFrequency": 60, "recoveryFrequency": 86400, "recoveryMaxTries": 100, "responseTimeout": 1}}),
            ),
        ),
        fail(
            "storage-class-not-allowed",
            "slow",
            spec(json!({"persistentSpec": {"storageClassName": "slow"}})),
            "spec.persistentSpec.storageClassName",
            E,
        )
        .options(json!({"allowedStorageClasses": ["fast"]})),
        pass(
            "storage-class-not-allowed",
            "fast",
            spec(json!({"persistentSpec": {"storageClassName": "fast"}})),
        )
        .options(json!({"allowedStorageClasses": ["fast"]})),
        pass("storage-class-not-allowed", "unset class", base()).options(json!({"allowedStorageClasses": ["fast"]})),
        fail(
            "persistence-disabled",
            "off",
            spec(json!({"persistentSpec": {"enabled": false}})),
            "spec.persistentSpec.enabled",
            W,
        ),
        pass(
            "persistence-disabled",
            "default on",
            spec(json!({"persistentSpec": null})),
        ),
        // Update.
        fail("nodes-decreased", "5 to 3", base(), "spec.nodes", E).old(spec(json!({"nodes": 5}))),
        pass("nodes-decreased", "3 to 5", spec(json!({"nodes": 5}))).old(base()),
        fail(
            "storage-class-changed",
            "a to b",
            spec(json!({"persistentSpec": {"storageClassName": "b"}})),
            "spec.persistentSpec.storageClassName",
            E,
        )
        .old(spec(json!({"persistentSpec": {"storageClassName": "a"}}))),
        fail(
            "storage-class-changed",
            "set later",
            spec(json!({"persistentSpec": {"storageClassName": "b"}})),
            "spec.persistentSpec.storageClassName",
            E,
        )
        .old(base()),
        pass(
            "storage-class-changed",
            "same",
            spec(json!({"persistentSpec": {"storageClassName": "a"}})),
        )
        .old(spec(json!({"persistentSpec": {"storageClassName": "a"}}))),
        fail(
            "persistence-turned-off",
            "on to off",
            spec(json!({"persistentSpec": {"enabled": false}})),
            "spec.persistentSpec.enabled",
            E,
        )
        .old(base()),
        pass("persistence-turned-off", "on to on", base()).old(base()),
        fail(
            "volume-shrunk",
            "40Gi to 30Gi",
            spec(json!({"persistentSpec": {"volumeSize": "30Gi"}})),
            "spec.persistentSpec.volumeSize",
            E,
        )
        .old(base()),
        fail(
            "volume-shrunk",
            "default 40Gi to 30Gi",
            spec(json!({"persistentSpec": {"volumeSize": "30Gi"}})),
            "spec.persistentSpec.volumeSize",
            E,
        )
        .old(spec(json!({"persistentSpec": {"volumeSize": null}}))),
        pass(
            "volume-shrunk",
            "same size, other units",
            spec(json!({"persistentSpec": {"volumeSize": "40960Mi"}})),
        )
        .old(base()),
        fail(
            "volume-grow-without-resize",
            "40Gi to 50Gi",
            spec(json!({"persistentSpec": {"volumeSize": "50Gi"}})),
            "spec.persistentSpec.volumeSize",
            E,
        )
        .old(base()),
        pass(
            "volume-grow-without-resize",
            "with resize",
            spec(json!({"persistentSpec": {"volumeSize": "50Gi", "enablePersistentVolumeResize": true}})),
        )
        .old(base()),
        fail(
            "persistence-turned-on",
            "off to on",
            base(),
            "spec.persistentSpec.enabled",
            E,
        )
        .old(spec(json!({"persistentSpec": {"enabled": false, "volumeSize": null}}))),
        pass("persistence-turned-on", "on to on", base()).old(base()),
        pass(
            "volume-grow-without-resize",
            "memory doubled, volumeSize unset: the volumes keep their size",
            spec(
                json!({"persistentSpec": {"volumeSize": null}, "redisEnterpriseNodeResources": {
                "requests": {"memory": "16Gi"}, "limits": {"memory": "16Gi"}}}),
            ),
        )
        .old(spec(json!({"persistentSpec": {"volumeSize": null}}))),
        fail(
            "ui-service-external-name",
            "ExternalName",
            spec(json!({"uiServiceType": "ExternalName"})),
            "spec.uiServiceType",
            E,
        ),
        pass(
            "ui-service-external-name",
            "LoadBalancer",
            spec(json!({"uiServiceType": "LoadBalancer"})),
        ),
        fail(
            "container-name-conflict",
            "a side container named like the node container",
            spec(json!({"sideContainersSpec": [{"name": "redis-enterprise-node", "image": "x"}]})),
            "spec.sideContainersSpec[0].name",
            E,
        ),
        fail(
            "container-name-conflict",
            "an init container named like a side container",
            spec(json!({"sideContainersSpec": [{"name": "log", "image": "x"}],
                "redisEnterpriseAdditionalPodSpecAttributes": {"initContainers": [{"name": "log", "image": "y"}]}})),
            "spec.redisEnterpriseAdditionalPodSpecAttributes.initContainers[0].name",
            E,
        ),
        pass(
            "container-name-conflict",
            "distinct names",
            spec(json!({"sideContainersSpec": [{"name": "log", "image": "x"}, {"name": "metrics", "image": "y"}]})),
        ),
        fail(
            "label-invalid",
            "an extra label value with a space",
            spec(json!({"extraLabels": {"team": "data platform"}})),
            "spec.extraLabels.team",
            E,
        ),
        fail(
            "label-invalid",
            "a node selector key with two slashes",
            spec(json!({"redisEnterpriseAdditionalPodSpecAttributes": {"nodeSelector": {"a/b/c": "x"}}})),
            "spec.redisEnterpriseAdditionalPodSpecAttributes.nodeSelector[\"a/b/c\"]",
            E,
        ),
        fail(
            "label-invalid",
            "an annotation key with an uppercase prefix",
            spec(json!({"podAnnotations": {"Example.com/owner": "anyone, any text"}})),
            "spec.podAnnotations[\"Example.com/owner\"]",
            E,
        ),
        pass(
            "label-invalid",
            "qualified keys, valid and empty values, free annotation text",
            spec(
                json!({"extraLabels": {"app.kubernetes.io/part-of": "redis", "tier": ""},
                "nodeSelector": {"kubernetes.io/os": "linux"},
                "podAnnotations": {"example.com/note": "any text: at all"}}),
            ),
        ),
        fail(
            "pod-template-refused",
            "ephemeral containers in the node pod",
            spec(json!({"redisEnterpriseAdditionalPodSpecAttributes": {
                "ephemeralContainers": [{"name": "debug", "image": "busybox"}]}})),
            "spec.redisEnterpriseAdditionalPodSpecAttributes.ephemeralContainers",
            E,
        ),
        fail(
            "pod-template-refused",
            "a deadline for the rigger's pods",
            spec(
                json!({"servicesRiggerSpec": {"servicesRiggerAdditionalPodSpecAttributes": {
                "activeDeadlineSeconds": 600}}}),
            ),
            "spec.servicesRiggerSpec.servicesRiggerAdditionalPodSpecAttributes.activeDeadlineSeconds",
            E,
        ),
        fail(
            "pod-template-refused",
            "restartPolicy OnFailure",
            spec(json!({"redisEnterpriseAdditionalPodSpecAttributes": {"restartPolicy": "OnFailure"}})),
            "spec.redisEnterpriseAdditionalPodSpecAttributes.restartPolicy",
            E,
        ),
        pass(
            "pod-template-refused",
            "restartPolicy Always, no ephemeral containers",
            spec(json!({"redisEnterpriseAdditionalPodSpecAttributes": {
                "restartPolicy": "Always", "ephemeralContainers": []}})),
        ),
        fail(
            "volume-name-conflict",
            "named like the storage volume",
            spec(json!({"volumes": [{"name": "redis-enterprise-storage", "emptyDir": {}}]})),
            "spec.volumes[0].name",
            E,
        ),
        fail(
            "volume-name-conflict",
            "declared twice",
            spec(json!({"volumes": [{"name": "v", "emptyDir": {}}],
                "redisEnterpriseAdditionalPodSpecAttributes": {"volumes": [{"name": "v", "emptyDir": {}}]}})),
            "spec.redisEnterpriseAdditionalPodSpecAttributes.volumes[0].name",
            E,
        ),
        pass(
            "volume-name-conflict",
            "timezone without propagateHost is free",
            spec(json!({"volumes": [{"name": "timezone", "emptyDir": {}}]})),
        ),
        fail(
            "volume-mount-undeclared",
            "node mount of a missing volume",
            spec(json!({"redisEnterpriseVolumeMounts": [{"name": "nope", "mountPath": "/x"}]})),
            "spec.redisEnterpriseVolumeMounts[0].name",
            E,
        ),
        fail(
            "volume-mount-undeclared",
            "side container mount of a missing volume",
            spec(json!({"volumes": [{"name": "v", "emptyDir": {}}],
                "sideContainersSpec": [{"name": "s", "image": "x", "volumeMounts": [
                    {"name": "v", "mountPath": "/v"}, {"name": "w", "mountPath": "/w"}]}]})),
            "spec.sideContainersSpec[0].volumeMounts[1].name",
            E,
        ),
        pass(
            "volume-mount-undeclared",
            "mounts of declared volumes and of ours",
            spec(json!({"volumes": [{"name": "v", "emptyDir": {}}],
                "redisEnterpriseVolumeMounts": [{"name": "v", "mountPath": "/v"},
                    {"name": "redis-enterprise-storage", "mountPath": "/extra"}]})),
        ),
        fail(
            "field-not-acted-on",
            "ldap",
            spec(json!({"ldap": {"protocol": "LDAP", "servers": [{"host": "ldap"}],
                "bindCredentialsSecretName": "b", "authenticationQuery": {}, "authorizationQuery": {}}})),
            "spec.ldap",
            W,
        ),
        fail(
            "field-not-acted-on",
            "clusterRecovery",
            spec(json!({"clusterRecovery": true})),
            "spec.clusterRecovery",
            W,
        ),
        pass("field-not-acted-on", "only fields the operator renders", base()),
        fail(
            "vault-secret-renamed",
            "vault a to b",
            spec(json!({"clusterCredentialSecretType": "vault", "clusterCredentialSecretName": "b"})),
            "spec.clusterCredentialSecretName",
            E,
        )
        .old(spec(
            json!({"clusterCredentialSecretType": "vault", "clusterCredentialSecretName": "a"}),
        )),
        pass(
            "vault-secret-renamed",
            "kubernetes rename",
            spec(json!({"clusterCredentialSecretName": "b"})),
        )
        .old(spec(json!({"clusterCredentialSecretName": "a"}))),
        pass(
            "vault-secret-renamed",
            "vault same",
            spec(json!({"clusterCredentialSecretType": "vault", "clusterCredentialSecretName": "a"})),
        )
        .old(spec(
            json!({"clusterCredentialSecretType": "vault", "clusterCredentialSecretName": "a"}),
        )),
        // Options.
        fail("options-invalid", "not a quantity", base(), "options.minNodeMemory", E)
            .options(json!({"minNodeMemory": "lots"})),
        fail("options-invalid", "below 4Gi", base(), "options.minNodeMemory", E)
            .options(json!({"minNodeMemory": "2Gi"})),
        fail(
            "options-invalid",
            "registry with scheme",
            base(),
            "options.allowedImageRegistries",
            E,
        )
        .options(json!({"allowedImageRegistries": ["https://docker.io"]})),
        fail(
            "options-invalid",
            "bad class",
            base(),
            "options.allowedStorageClasses",
            E,
        )
        .options(json!({"allowedStorageClasses": ["Fast SSD"]})),
        fail("options-invalid", "bad tag", base(), "options.operatorTag", E).options(json!({"operatorTag": "a b"})),
        pass("options-invalid", "8Gi", base()).options(json!({"minNodeMemory": "8Gi"})),
    ]
}

fn run(case: &Case) -> Report {
    let options: Options = serde_json::from_value(case.options.clone()).expect("options parse");
    validate(&case.object, case.old.as_ref(), &options)
}

#[test]
fn every_case() {
    let mut failures = Vec::new();
    for case in cases() {
        let report = run(&case);
        for v in &report.violations {
            assert!(
                rule_for(&v.code).is_some(),
                "{}: emitted code {} is not in RULES",
                case.name,
                v.code
            );
            assert_eq!(
                rule_for(&v.code).map(|r| r.severity),
                Some(v.severity),
                "{}: {v:?}",
                case.name
            );
        }
        let hits: Vec<_> = report.violations.iter().filter(|v| v.code == case.code).collect();
        match case.expect {
            Some((path, severity)) => {
                if !hits.iter().any(|v| v.path == path && v.severity == severity) {
                    failures.push(format!(
                        "{} / {}: expected at {path} ({severity:?}), got {:#?}",
                        case.code, case.name, report.violations
                    ));
                } else if severity == Severity::Error && report.valid {
                    failures.push(format!("{} / {}: an error but valid", case.code, case.name));
                }
            }
            None if !hits.is_empty() => {
                failures.push(format!("{} / {}: not expected, got {hits:#?}", case.code, case.name))
            }
            None => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_has_a_failing_and_a_passing_case() {
    let cases = cases();
    // The plan's refusals are judged against a running cluster, not by `validate`: tests/plan.rs has their cases.
    for rule in RULES.iter().filter(|r| r.stage != Stage::Plan) {
        assert!(
            cases.iter().any(|c| c.code == rule.code && c.expect.is_some()),
            "no failing case for {}",
            rule.code
        );
        assert!(
            cases.iter().any(|c| c.code == rule.code && c.expect.is_none()),
            "no passing case for {}",
            rule.code
        );
    }
    for case in &cases {
        assert!(
            rule_for(case.code).is_some(),
            "case {} names unknown code {}",
            case.name,
            case.code
        );
    }
}

#[test]
fn base_is_clean() {
    let report = validate(&base(), Some(&base()), &Options::default());
    assert_eq!(
        report,
        Report {
            valid: true,
            errors: 0,
            warnings: 0,
            violations: vec![],
            cluster: None,
        }
    );
}
