//! What holds for every rendered object (metadata, order, kinds) and what an unrenderable REC gives back.

use rec_core::render::{Entropy, KINDS, Kind, RenderContext, render};
use serde_json::{Value, json};

fn ctx() -> RenderContext {
    RenderContext {
        entropy: Some(Entropy("ab".repeat(24))),
        ..Default::default()
    }
}

fn rec(metadata: Value, spec: Value) -> Value {
    json!({"apiVersion": "app.redislabs.com/v1", "kind": "RedisEnterpriseCluster", "metadata": metadata, "spec": spec})
}

fn names(objects: &[Value]) -> Vec<String> {
    objects
        .iter()
        .map(|o| {
            format!(
                "{}/{}",
                o["kind"].as_str().unwrap_or("?"),
                o["metadata"]["name"].as_str().unwrap_or("?")
            )
        })
        .collect()
}

#[test]
fn objects_come_in_apply_order_dependencies_first() {
    let spec = json!({"serviceBrokerSpec": {"enabled": true}});
    let rendered = render(
        &rec(json!({"name": "rec", "namespace": "ns", "uid": "u"}), spec),
        &ctx(),
    );
    let objects = rendered.objects.expect("rendered");
    assert_eq!(
        names(&objects),
        [
            "ServiceAccount/rec",
            "Role/rec",
            "RoleBinding/rec",
            "Secret/rec",
            "Service/rec",
            "Service/rec-ui",
            "Service/rec-prom",
            "PodDisruptionBudget/rec",
            "StatefulSet/rec",
            "Deployment/rec-services-rigger",
            "PersistentVolumeClaim/rec-services-broker",
            "Service/rec-services-broker",
            "Deployment/rec-services-broker",
        ]
    );
    // Every kind of the table is rendered here, and every rendered kind is in the table with its apiVersion.
    for object in &objects {
        let row = KINDS
            .iter()
            .find(|k| k.kind.as_str() == object["kind"])
            .expect("kind in the table");
        assert_eq!(object["apiVersion"], row.api_version);
    }
    for row in KINDS {
        assert!(
            objects.iter().any(|o| o["kind"] == row.kind.as_str()),
            "{:?} never rendered",
            row.kind
        );
    }
    assert!(
        !Kind::Secret.info().prune,
        "the credentials secret must never be pruned"
    );
}

#[test]
fn every_object_carries_the_same_metadata() {
    let spec = json!({"extraLabels": {"team": "data", "app": "mine", "app.kubernetes.io/part-of": "shop"}});
    let rendered = render(
        &rec(json!({"name": "rec", "namespace": "ns", "uid": "u-1"}), spec),
        &ctx(),
    );
    for object in rendered.objects.expect("rendered") {
        let metadata = &object["metadata"];
        let component = metadata["labels"]["app.kubernetes.io/component"].clone();
        let mut expected = json!({
            "labels": {
                "app": "redis-enterprise",
                "app.kubernetes.io/component": component,
                "app.kubernetes.io/instance": "rec",
                "app.kubernetes.io/managed-by": "redis-enterprise-operator",
                "app.kubernetes.io/name": "redis-enterprise",
                "app.kubernetes.io/part-of": "shop",
                "redis.io/cluster": "rec",
                "team": "data",
            },
            "name": metadata["name"],
            "namespace": "ns",
            "ownerReferences": [{
                "apiVersion": "app.redislabs.com/v1",
                "blockOwnerDeletion": true,
                "controller": true,
                "kind": "RedisEnterpriseCluster",
                "name": "rec",
                "uid": "u-1",
            }],
        });
        if object["metadata"]["name"] == "rec-prom" {
            expected["labels"]["redis.io/service"] = json!("prom-metrics");
        }
        assert_eq!(metadata, &expected, "{}", object["kind"]);
    }
}

#[test]
fn a_rec_read_from_a_file_gets_no_owner_reference_and_no_namespace() {
    let rendered = render(&rec(json!({"name": "rec"}), json!({})), &ctx());
    for object in rendered.objects.expect("rendered") {
        assert!(
            object["metadata"].get("ownerReferences").is_none(),
            "{}",
            object["kind"]
        );
        assert!(object["metadata"].get("namespace").is_none(), "{}", object["kind"]);
    }
}

#[test]
fn a_rec_that_does_not_fit_the_model_gives_a_report_naming_the_field_and_no_objects() {
    let cases = [
        (json!({"nodes": "three"}), "type-mismatch", "spec.nodes", "\"three\""),
        (
            json!({"persistentSpec": {"enabled": "yes"}}),
            "type-mismatch",
            "spec.persistentSpec.enabled",
            "\"yes\"",
        ),
        (json!([1, 2]), "not-an-object", "spec", "array"),
    ];
    for (spec, code, path, detail) in cases {
        let rendered = render(&rec(json!({"name": "rec", "namespace": "ns"}), spec.clone()), &ctx());
        assert!(!rendered.report.valid, "{spec}");
        assert!(rendered.objects.is_none(), "{spec}");
        assert!(rendered.report.errors >= 1);
        let v = rendered
            .report
            .violations
            .iter()
            .find(|v| v.code == code)
            .unwrap_or_else(|| panic!("{code} for {spec}: {:?}", rendered.report.violations));
        assert_eq!(v.path, path, "{spec}");
        assert!(v.message.contains(detail), "{}", v.message);
    }
}

#[test]
fn cm_server_disabled_removes_only_the_ui_service() {
    let meta = json!({"name": "rec", "namespace": "ns", "uid": "u"});
    let on = render(&rec(meta.clone(), json!({})), &ctx()).objects.expect("rendered");
    let spec = json!({"redisEnterpriseServicesConfiguration": {"cmServer": {"operatingMode": "disabled"}}});
    let off = render(&rec(meta, spec), &ctx()).objects.expect("rendered");
    let without_ui: Vec<String> = names(&on).into_iter().filter(|n| n != "Service/rec-ui").collect();
    assert_eq!(names(&off), without_ui);
}

#[test]
fn the_abi_renders_the_same_bytes() {
    let request = json!({"object": rec(json!({"name": "rec", "namespace": "ns"}), json!({})), "context": {"entropy": "ab".repeat(24)}});
    let answer: Value = serde_json::from_slice(&rec_core::abi::call(2, request.to_string().as_bytes())).expect("json");
    let direct = render(&request["object"], &ctx());
    assert_eq!(answer["ok"], serde_json::to_value(direct).expect("json"));
}

#[test]
fn a_rec_without_a_name_gives_a_report_and_no_objects() {
    let cases = [
        (json!({"namespace": "ns"}), "required-field"),
        (json!({"name": "", "namespace": "ns"}), "name-dns1123"),
    ];
    for (metadata, code) in cases {
        let rendered = render(&rec(metadata, json!({})), &ctx());
        assert!(rendered.objects.is_none());
        let v = rendered.report.violations.iter().find(|v| v.code == code).expect(code);
        assert_eq!(v.path, "metadata.name");
    }
}

#[test]
fn legacy_active_active_access_reaches_the_rigger_like_ingress_or_route_spec() {
    let meta = json!({"name": "rec", "namespace": "ns"});
    let env = |spec: Value| {
        let objects = render(&rec(meta.clone(), spec), &ctx()).objects.expect("rendered");
        let rigger = objects
            .iter()
            .find(|o| o["metadata"]["name"] == "rec-services-rigger")
            .expect("rigger")
            .clone();
        rigger["spec"]["template"]["spec"]["containers"][0]["env"].clone()
    };
    let legacy = env(
        json!({"activeActive": {"method": "ingress", "apiIngressUrl": "api.example.com",
        "dbIngressSuffix": "-db.example.com", "ingressAnnotations": {"kubernetes.io/ingress.class": "nginx"}}}),
    );
    let current = env(
        json!({"ingressOrRouteSpec": {"method": "ingress", "apiFqdnUrl": "api.example.com",
        "dbFqdnSuffix": "-db.example.com", "ingressAnnotations": {"kubernetes.io/ingress.class": "nginx"}}}),
    );
    assert_eq!(legacy, current);
    assert!(
        legacy
            .as_array()
            .expect("env")
            .contains(&json!({"name": "INGRESS_ANNOTATIONS",
        "value": "{\"kubernetes.io/ingress.class\":\"nginx\"}"}))
    );
}

#[test]
fn hostile_input_gets_an_answer_never_a_panic() {
    let inputs = [
        json!(null),
        json!([]),
        json!("rec"),
        json!({"metadata": [], "spec": {}}),
        json!({"metadata": {"name": 7}}),
        json!({"metadata": {"name": "rec"}, "spec": null}),
        json!({"metadata": {"name": "rec"}, "spec": {"nodes": 1e300}}),
        json!({"metadata": {"name": "rec"}, "spec": {"nodes": -2147483649i64}}),
        json!({"metadata": {"name": "rec"}, "spec": {"persistentSpec": {"volumeSize": "lots"}}}),
        json!({"metadata": {"name": "rec"}, "spec": {"redisEnterpriseNodeResources": {"requests": {"memory": "x"}}}}),
        json!({"metadata": {"name": "rec"}, "spec": {"extraLabels": {"": ""}, "podAntiAffinity": {}}}),
    ];
    for input in inputs {
        let rendered = std::panic::catch_unwind(|| render(&input, &ctx()));
        let rendered = rendered.unwrap_or_else(|_| panic!("render panicked on {input}"));
        assert_eq!(rendered.objects.is_some(), rendered.report.valid, "{input}");
    }
}
