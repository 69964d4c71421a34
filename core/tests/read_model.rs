//! The core's own reading of a REC (`RecObject`, `Metadata`, `Volume`, no `status`, no struct from an array)
//! keeps what users see: a REC as the API server sends it is valid, wrong types are reported at their path, and
//! volumes render exactly as Kubernetes' own types write them.

use k8s_openapi::api::core::v1 as k8s;
use rec_core::api::Volume;
use rec_core::render::{Entropy, RenderContext, render};
use rec_core::validate::{Options, Violation, validate};
use serde_json::{Value, json};

/// A REC with `spec` and production-sized node resources (so that no warning is expected).
fn rec(metadata: Value, mut spec: Value) -> Value {
    let resources = json!({"requests": {"cpu": "2", "memory": "8Gi"}, "limits": {"cpu": "2", "memory": "8Gi"}});
    spec["redisEnterpriseNodeResources"] = resources;
    json!({"apiVersion": "app.redislabs.com/v1", "kind": "RedisEnterpriseCluster", "metadata": metadata, "spec": spec})
}

fn violations(object: &Value) -> Vec<(String, String, String)> {
    let report = validate(object, None, &Options::default());
    report
        .violations
        .into_iter()
        .map(|v: Violation| (v.path, v.code, v.message))
        .collect()
}

/// Metadata as the API server sends it on an update (every field of `ObjectMeta` set).
fn server_metadata() -> Value {
    json!({
        "name": "rec", "namespace": "ns", "uid": "0b9a6f0e-1c1e-4b8e-9f53-5d1b2c7a9e10",
        "labels": {"app": "redis"}, "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}"},
        "creationTimestamp": "2026-11-29T10:00:00Z", "deletionTimestamp": null, "deletionGracePeriodSeconds": 30,
        "finalizers": ["redis.io/finalizer"], "generateName": "rec-", "generation": 4, "resourceVersion": "123456",
        "selfLink": "/apis/app.redislabs.com/v1/namespaces/ns/redisenterpriseclusters/rec",
        "managedFields": [{"apiVersion": "app.redislabs.com/v1", "fieldsType": "FieldsV1",
            "fieldsV1": {"f:spec": {".": {}, "f:nodes": {}}}, "manager": "kubectl", "operation": "Update",
            "time": "2026-11-29T10:00:00Z"}],
        "ownerReferences": [{"apiVersion": "v1", "kind": "ConfigMap", "name": "owner", "uid": "u-1",
            "controller": false, "blockOwnerDeletion": true}]
    })
}

#[test]
fn a_rec_as_the_api_server_sends_it_is_valid_without_a_word() {
    let object = rec(server_metadata(), json!({"nodes": 3}));
    assert_eq!(violations(&object), []);
}

#[test]
fn metadata_keeps_its_unknown_fields_suggestions_and_types() {
    let object = rec(json!({"name": "rec", "lables": {"a": "b"}}), json!({}));
    assert_eq!(
        violations(&object),
        [(
            "metadata.lables".to_string(),
            "unknown-field".to_string(),
            "unknown field `lables` in `metadata`; did you mean `labels`?".to_string()
        )]
    );
    let object = rec(
        json!({"name": "rec", "labels": {"a": 5}, "generation": "4", "managedFields": {}}),
        json!({}),
    );
    let found: Vec<(String, String)> = violations(&object).into_iter().map(|(p, c, _)| (p, c)).collect();
    let expected = [
        ("metadata.generation", "type-mismatch"),
        ("metadata.labels.a", "type-mismatch"),
        ("metadata.managedFields", "type-mismatch"),
    ];
    assert_eq!(found, expected.map(|(p, c)| (p.to_string(), c.to_string())));
}

#[test]
fn status_is_not_read() {
    for status in [
        json!(5),
        json!({"conditions": [{"lastTransitionTime": "not a time"}]}),
        json!([]),
    ] {
        let mut object = rec(json!({"name": "rec"}), json!({}));
        object["status"] = status;
        assert_eq!(violations(&object), [], "{object}");
    }
}

#[test]
fn a_struct_written_as_an_array_is_a_wrong_type_at_its_field() {
    let object = rec(json!({"name": "rec"}), json!({"persistentSpec": [true, "40Gi"]}));
    assert_eq!(
        violations(&object),
        [(
            "spec.persistentSpec".to_string(),
            "type-mismatch".to_string(),
            "wrong type: sequence, expected an object (PersistentSpec)".to_string()
        )]
    );
    let object = rec(json!({"name": "rec"}), json!({"volumes": [["data"]]}));
    let found = violations(&object);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].0.as_str(), found[0].1.as_str()),
        ("spec.volumes[0]", "type-mismatch")
    );
}

/// Volumes of every shape the model changes (an ephemeral claim template with metadata) and a few it does not.
fn volumes() -> Value {
    json!([
        {"name": "scratch", "emptyDir": {"sizeLimit": "1Gi"}},
        {"name": "conf", "configMap": {"name": "cm", "items": [{"key": "a", "path": "a"}]}},
        {"name": "api", "downwardAPI": {"items": [{"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]}},
        {"name": "eph", "ephemeral": {"volumeClaimTemplate": {
            "metadata": {"labels": {"tier": "cache"}, "annotations": {"a": "b"}, "name": "x", "generation": 2},
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}}},
        {"name": "eph-bare", "ephemeral": {"volumeClaimTemplate": {}}},
        {"name": "eph-null", "ephemeral": {"volumeClaimTemplate": {"metadata": null, "spec": null}}},
        {"name": null, "emptyDir": {}}
    ])
}

#[test]
fn volumes_are_written_as_kubernetes_writes_them() {
    let ours: Vec<Volume> = serde_json::from_value(volumes()).expect("ours");
    let theirs: Vec<k8s::Volume> = serde_json::from_value(volumes()).expect("k8s-openapi's");
    assert_eq!(serde_json::to_string(&ours).ok(), serde_json::to_string(&theirs).ok());
}

#[test]
fn volumes_render_into_the_node_pods_as_given() {
    let ctx = RenderContext {
        entropy: Some(Entropy("ab".repeat(24))),
        ..Default::default()
    };
    // Without the nameless one (read leniently, but a volume name must be a DNS-1123 label: `name-dns1123`), and
    // the attributes' copies renamed: a pod's volume names must be unique (`volume-name-conflict`).
    let mut named = volumes();
    named.as_array_mut().expect("array").retain(|v| v["name"].is_string());
    let mut renamed = named.clone();
    for v in renamed.as_array_mut().expect("array") {
        v["name"] = json!(format!("{}-2", v["name"].as_str().unwrap_or_default()));
    }
    let spec = json!({"volumes": named, "redisEnterpriseAdditionalPodSpecAttributes": {"volumes": renamed}});
    let rendered = render(&rec(json!({"name": "rec", "namespace": "ns"}), spec), &ctx);
    let objects = rendered.objects.expect("rendered");
    let sts = objects
        .iter()
        .find(|o| o["kind"] == "StatefulSet")
        .expect("a StatefulSet");
    let pod_volumes = sts["spec"]["template"]["spec"]["volumes"].as_array().expect("volumes");
    for given in [named, renamed] {
        let written =
            serde_json::to_value(serde_json::from_value::<Vec<k8s::Volume>>(given).expect("k8s")).expect("json");
        for volume in written.as_array().expect("array") {
            let copies = pod_volumes.iter().filter(|v| *v == volume).count();
            assert_eq!(copies, 1, "{volume} in {pod_volumes:?}");
        }
    }
}

/// What the API server refuses in a claim template and sets itself elsewhere is validated but not rendered.
#[test]
fn a_claim_templates_server_fields_are_not_rendered() {
    let template = json!({"metadata": {"labels": {"a": "b"}, "creationTimestamp": "2026-11-29T10:00:00Z",
        "managedFields": [{"manager": "m"}], "ownerReferences": [{"name": "o"}]}, "spec": {}});
    let volume = json!({"name": "eph", "ephemeral": {"volumeClaimTemplate": template}});
    let ours: Volume = serde_json::from_value(volume).expect("ours");
    let expected = json!({"name": "eph", "ephemeral": {"volumeClaimTemplate": {"metadata": {"labels": {"a": "b"}},
        "spec": {}}}});
    assert_eq!(ours.json(), &expected);
    let wrong = json!({"name": "eph", "ephemeral": {"volumeClaimTemplate": {"metadata": {"managedFields": 1}}}});
    assert!(serde_json::from_value::<Volume>(wrong).is_err(), "checked all the same");
}

/// A volume is checked where the core reads it: an unknown field inside it and a value that does not fit are
/// reported at their own paths, and the repair goes on past them to what follows.
#[test]
fn a_volumes_problems_are_reported_where_they_are() {
    let spec = json!({
        "volumes": [
            {"name": "a", "hostPath": {"path": 5, "tipe": "File"}},
            {"name": "b", "secret": {"secretName": "s", "defaultMode": "420"}},
            "c"
        ],
        "nodes": "three"
    });
    let mut found: Vec<(String, String)> = violations(&rec(json!({"name": "rec"}), spec))
        .into_iter()
        .map(|(p, c, _)| (p, c))
        .collect();
    found.sort();
    let expected = [
        ("spec.nodes", "type-mismatch"),
        ("spec.volumes[0].hostPath.path", "type-mismatch"),
        ("spec.volumes[0].hostPath.tipe", "unknown-field"),
        ("spec.volumes[1].secret.defaultMode", "type-mismatch"),
        ("spec.volumes[2]", "type-mismatch"),
    ];
    assert_eq!(found, expected.map(|(p, c)| (p.to_string(), c.to_string())));
}
