//! The compiled shapes of the sub-objects the core passes on as JSON (`core/src/validate/shapes.rs`) are the
//! CRD's, and checking a volume or a pod attribute with them gives what k8s-openapi's reader and writer give: the
//! same JSON for what it accepts, an error where it refuses. Regenerate with
//! `REC_BLESS=1 cargo test -p rec-core --test shapes`.

use k8s_openapi::api::core::v1::{self as core, Volume};
use rec_core::validate::shape::{Shape, Step, check};
use rec_core::validate::shapes::{NAMED, VOLUME};
use serde_json::{Value, json};
mod committed;
mod corpus_support;
use committed::committed_is;

#[test]
fn committed_shapes_are_current() {
    committed_is(
        "core/src/validate/shapes.rs",
        &rec_core::crd::shapes_rs(),
        "`REC_BLESS=1 cargo test -p rec-core --test shapes`",
    );
}

/// What k8s-openapi makes of `volume`: its reading written back, or its error. Less what the core never writes
/// of an ephemeral claim template's metadata (its timestamps, `managedFields`, `ownerReferences`).
fn typed(volume: &Value) -> Result<Value, String> {
    serde_json::from_value::<Volume>(volume.clone())
        .map(|mut v| {
            let template = v.ephemeral.as_mut().and_then(|e| e.volume_claim_template.as_mut());
            if let Some(meta) = template.and_then(|t| t.metadata.as_mut()) {
                meta.creation_timestamp = None;
                meta.deletion_timestamp = None;
                meta.managed_fields = None;
                meta.owner_references = None;
            }
            serde_json::to_value(v).expect("a volume writes")
        })
        .map_err(|e| e.to_string())
}

#[test]
fn a_volume_checked_is_what_k8s_openapi_reads_and_writes() {
    let volumes = [
        json!({"name": "a", "secret": {"secretName": "s", "defaultMode": 420, "items": [{"key": "k", "path": "p"}]}}),
        json!({"secretName": "x", "name": "b", "emptyDir": {"sizeLimit": 1, "medium": "Memory"}}),
        json!({"name": "c", "emptyDir": {"sizeLimit": "1Gi"}, "hostPath": null}),
        json!({"name": "d", "projected": {"sources": [{"downwardAPI": {"items": [{"path": "p",
            "resourceFieldRef": {"resource": "limits.cpu", "divisor": 1}}]}}, {"configMap": {"name": "m"}}]}}),
        json!({"name": "e", "csi": {"driver": "d", "volumeAttributes": {"z": "1", "a": "2"}, "readOnly": true}}),
        json!({"name": "f", "ephemeral": {"volumeClaimTemplate": {"metadata": {"labels": {"a": "b"}},
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": 5}}}}}}),
        json!({"name": "g", "nfs": {"server": "s", "path": "/p", "readOnly": false}}),
        json!({"name": "h", "persistentVolumeClaim": {"claimName": "c"}}),
        // Required fields absent or null: written with their defaults, as k8s-openapi reads them.
        json!({}),
        json!({"name": null, "hostPath": {"path": null}}),
        json!({"name": "i", "projected": {"sources": [{"serviceAccountToken": {}}, {"clusterTrustBundle": {}}]}}),
        json!({"name": "j", "ephemeral": {"volumeClaimTemplate": {"metadata": {"name": "t",
            "creationTimestamp": "2026-01-01T00:00:00Z", "managedFields": [{"x": 1}], "ownerReferences": [{}]}}}}),
    ];
    for volume in volumes {
        let mut unknown = Vec::new();
        let checked = check(&volume, &VOLUME, &mut unknown).expect("fits");
        assert_eq!(Ok(checked.clone()), typed(&volume), "{volume}");
        assert_eq!(
            serde_json::to_string(&checked).unwrap(),
            serde_json::to_string(&typed(&volume).unwrap()).unwrap(),
            "the same bytes, keys in the same order: {volume}"
        );
    }
}

/// Each volume source given empty: its required fields (and theirs) written with their defaults.
#[test]
fn every_source_given_empty_is_what_k8s_openapi_reads_and_writes() {
    let rec_core::validate::shape::Shape::Object(sources) = &VOLUME else {
        panic!("a volume is an object");
    };
    for (source, _) in sources.iter().filter(|(name, _)| *name != "name") {
        let volume = json!({ "name": "v", *source: {} });
        let checked = check(&volume, &VOLUME, &mut Vec::new()).expect("fits");
        let written = typed(&volume).expect("k8s-openapi reads it");
        assert_eq!(checked.to_string(), written.to_string(), "{volume}");
    }
}

#[test]
fn unknown_fields_are_named_and_left_out() {
    let mut unknown = Vec::new();
    let checked = check(
        &json!({"name": "a", "secretName": "x", "secret": {"sekret": 1}}),
        &VOLUME,
        &mut unknown,
    );
    assert_eq!(checked, Ok(json!({"name": "a", "secret": {}})));
    assert_eq!(
        unknown,
        [
            vec![Step::Key("secretName".into())],
            vec![Step::Key("secret".into()), Step::Key("sekret".into())]
        ]
    );
}

#[test]
fn what_k8s_openapi_refuses_is_refused_where_it_is() {
    for (volume, at) in [
        (json!({"name": 5}), vec![Step::Key("name".into())]),
        (
            json!({"name": "a", "secret": {"defaultMode": "420"}}),
            vec![Step::Key("secret".into()), Step::Key("defaultMode".into())],
        ),
        (
            json!({"name": "a", "secret": {"defaultMode": 1.5}}),
            vec![Step::Key("secret".into()), Step::Key("defaultMode".into())],
        ),
        (
            json!({"name": "a", "secret": {"defaultMode": 4_000_000_000_u64}}),
            vec![Step::Key("secret".into()), Step::Key("defaultMode".into())],
        ),
        (
            json!({"name": "a", "secret": {"items": [{"key": "k"}, {"key": true}]}}),
            vec![
                Step::Key("secret".into()),
                Step::Key("items".into()),
                Step::Index(1),
                Step::Key("key".into()),
            ],
        ),
        (
            json!({"name": "a", "emptyDir": {"sizeLimit": true}}),
            vec![Step::Key("emptyDir".into()), Step::Key("sizeLimit".into())],
        ),
        (json!({"name": "a", "hostPath": []}), vec![Step::Key("hostPath".into())]),
    ] {
        let misfit = check(&volume, &VOLUME, &mut Vec::new()).expect_err("refused");
        assert_eq!(misfit.at, at, "{volume}: {}", misfit.message);
        assert!(typed(&volume).is_err(), "k8s-openapi refuses {volume} too");
    }
}

/// What k8s-openapi makes of `value` read as the type of the root `name` (see `typed`).
fn typed_as(name: &str, value: &Value) -> Result<Value, String> {
    fn round<T: serde::de::DeserializeOwned + serde::Serialize>(value: &Value) -> Result<Value, String> {
        serde_json::from_value::<T>(value.clone())
            .map(|t| serde_json::to_value(t).expect("it writes"))
            .map_err(|e| e.to_string())
    }
    match name {
        "VOLUME" => typed(value),
        "CONTAINER" => round::<core::Container>(value),
        "AFFINITY" => round::<core::Affinity>(value),
        "POD_DNS_CONFIG" => round::<core::PodDNSConfig>(value),
        "POD_OS" => round::<core::PodOS>(value),
        "POD_READINESS_GATE" => round::<core::PodReadinessGate>(value),
        "POD_RESOURCE_CLAIM" => round::<core::PodResourceClaim>(value),
        "POD_SCHEDULING_GATE" => round::<core::PodSchedulingGate>(value),
        "POD_SECURITY_CONTEXT" => round::<core::PodSecurityContext>(value),
        "TOPOLOGY_SPREAD_CONSTRAINT" => round::<core::TopologySpreadConstraint>(value),
        other => panic!("no k8s-openapi type for the root {other}: add it here"),
    }
}

/// Every object the shape holds, present (lists with one item, maps with one entry under `depth`), scalars with
/// a sample value when `scalars`, else left out: each required field at every depth is then written with its
/// default. A number for every int-or-string tells a Quantity (k8s-openapi writes it as text) from an IntOrString
/// (kept a number).
fn skeleton(shape: &Shape, depth: usize, scalars: bool) -> Option<Value> {
    let sample = |value: Value| scalars.then_some(value);
    match shape {
        Shape::Required(inner) => skeleton(inner, depth, scalars),
        // Read loosely and never written (timestamps k8s-openapi would parse): not compared.
        Shape::Unwritten(_) => None,
        Shape::Object(properties) if depth > 0 => Some(Value::Object(
            properties
                .iter()
                .filter_map(|(name, shape)| Some((name.to_string(), skeleton(shape, depth - 1, scalars)?)))
                .collect(),
        )),
        Shape::Map(values) if depth > 0 => Some(match skeleton(values, depth - 1, scalars) {
            Some(value) => json!({ "k": value }),
            None => json!({}),
        }),
        Shape::Object(_) | Shape::Map(_) => Some(json!({})),
        Shape::Array(items) => Some(Value::Array(skeleton(items, depth, scalars).into_iter().collect())),
        Shape::String => sample(json!("x")),
        Shape::Boolean => sample(json!(true)),
        Shape::Int32 | Shape::Int64 => sample(json!(7)),
        Shape::Number => sample(json!(1.5)),
        Shape::Quantity | Shape::IntOrString => sample(json!(5)),
        Shape::Any => sample(json!({"a": 1})),
    }
}

#[test]
fn every_root_with_every_field_in_it_checks_as_k8s_openapi_reads_it() {
    for (name, _, shape) in NAMED.iter() {
        for scalars in [false, true] {
            for depth in 0..8 {
                let value = skeleton(shape, depth, scalars).expect("a root is an object");
                let checked = check(&value, shape, &mut Vec::new()).expect("fits");
                let written = typed_as(name, &value).expect("k8s-openapi reads it");
                assert_eq!(
                    checked.to_string(),
                    written.to_string(),
                    "{name} at depth {depth}: {value}"
                );
            }
        }
    }
}

/// Every value of `value` the core reads as checked JSON, with the name of its shape: at any depth, whatever is
/// at the last step of one of the shape's places (`NAMED`) in an object at the step before (`volumes[]`'s items
/// in any `spec`, `affinity` in any `...AdditionalPodSpecAttributes`).
fn checked_in(value: &Value, out: &mut Vec<(&'static str, Value)>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                for (name, places, _) in NAMED.iter() {
                    for place in places.iter() {
                        let mut steps = place.rsplit('.');
                        let (Some(field), Some(parent)) = (steps.next(), steps.next()) else {
                            continue;
                        };
                        if parent != key {
                            continue;
                        }
                        match (field.strip_suffix("[]"), item.get(field.trim_end_matches("[]"))) {
                            (Some(_), Some(Value::Array(items))) => {
                                out.extend(items.iter().filter(|v| v.is_object()).map(|v| (*name, v.clone())))
                            }
                            (None, Some(v @ Value::Object(_))) => out.push((*name, v.clone())),
                            _ => {}
                        }
                    }
                }
                checked_in(item, out);
            }
        }
        Value::Array(list) => list.iter().for_each(|item| checked_in(item, out)),
        _ => {}
    }
}

#[test]
fn everything_of_the_corpus_read_as_json_checks_as_k8s_openapi_reads_it() {
    let mut found = Vec::new();
    corpus_support::cases()
        .iter()
        .for_each(|case| checked_in(case, &mut found));
    let volumes = found.iter().filter(|(name, _)| *name == "VOLUME").count();
    assert!(volumes >= 5, "the corpus has volumes: {volumes}");
    assert!(found.len() > volumes, "the corpus has pod attributes read as JSON");
    for (name, value) in found {
        let shape = rec_core::validate::shape::named(&format!("rec_core::checked::{name}")).expect("a named shape");
        let checked = check(&value, shape, &mut Vec::new()).map_err(|m| m.message);
        match typed_as(name, &value) {
            Ok(written) => assert_eq!(
                checked.map(|c| c.to_string()),
                Ok(written.to_string()),
                "{name}: {value}"
            ),
            Err(refused) => assert!(
                checked.is_err(),
                "k8s-openapi refuses {name} {value} ({refused}), the check accepts it"
            ),
        }
    }
}
