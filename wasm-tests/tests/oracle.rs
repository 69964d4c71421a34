//! The API server's own rules (`rec_wasm_tests::oracle`) over every render the project makes: each corpus case
//! that answers objects (render, and plan with objects), each golden fixture, and, for each of those clusters,
//! the plan of common edits (memory doubled, a new tag, labels added, two more nodes, a pod annotation): the
//! StatefulSet it applies keeps every field the API server refuses to change.

use rec_core::abi::{Op, call};
use rec_core::plan::{PlanRequest, plan};
use rec_core::render::{ExistingSecret, RenderContext};
use rec_wasm_tests::oracle::{check, immutable};
use rec_wasm_tests::{OpName, corpus_dir, load};
use serde_json::{Value, json};
use std::path::Path;

/// The objects of an ok answer: a render's `objects`, a plan's `objects`.
fn objects(answer: &[u8]) -> Option<Vec<Value>> {
    let answer: Value = serde_json::from_slice(answer).ok()?;
    answer.pointer("/ok/objects")?.as_array().cloned()
}

/// Every REC the corpus renders, with the objects rendered for it.
fn rendered_corpus() -> Vec<(String, Value, Vec<Value>)> {
    let cases = load(&corpus_dir()).expect("the corpus loads");
    let mut out = Vec::new();
    for case in cases.iter().filter(|c| matches!(c.op, OpName::Render | OpName::Plan)) {
        let Some(objects) = objects(&call(case.op.op() as u32, &case.input)) else {
            continue;
        };
        let request: Value = serde_json::from_slice(&case.input).unwrap_or(Value::Null);
        out.push((case.name.clone(), request["object"].clone(), objects));
    }
    out
}

#[test]
fn every_corpus_render_passes_the_api_servers_rules() {
    let rendered = rendered_corpus();
    assert!(rendered.len() > 50, "only {} renders in the corpus", rendered.len());
    let mut problems = Vec::new();
    for (name, _, objects) in &rendered {
        problems.extend(check(objects).into_iter().map(|p| format!("{name}: {p}")));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_golden_fixture_passes_the_api_servers_rules() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures");
    let mut checked = 0;
    for dir in ["render", "examples"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("fixtures") {
            let path = entry.expect("an entry").path();
            if path.extension().is_none_or(|e| e != "yaml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("a fixture");
            let object = rec_core::yaml::parse(&text).value.expect("YAML");
            let request = json!({"object": object, "context": {"entropy": "ab".repeat(32)}});
            let answer = call(Op::Render as u32, request.to_string().as_bytes());
            let objects = objects(&answer).unwrap_or_else(|| panic!("{} renders", path.display()));
            let problems = check(&objects);
            assert!(problems.is_empty(), "{}: {problems:#?}", path.display());
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} fixtures");
}

fn edits() -> Vec<(&'static str, Value)> {
    vec![
        (
            "memory doubled",
            json!({"redisEnterpriseNodeResources": {"requests": {"memory": "64Gi"}, "limits": {"memory": "64Gi"}}}),
        ),
        (
            "a new tag",
            json!({"redisEnterpriseImageSpec": {"versionTag": "8.0.22-1"}}),
        ),
        (
            "labels added",
            json!({"extraLabels": {"team": "cache", "cost-center": "42"}}),
        ),
        (
            "a pod annotation",
            json!({"redisEnterprisePodAnnotations": {"rollout": "2"}}),
        ),
    ]
}

/// RFC 7386 merge.
fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (k, v) in p {
                merge(t.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
        (t, p) => *t = p.clone(),
    }
}

#[test]
fn the_plan_of_an_edit_never_changes_what_the_api_server_keeps() {
    let mut pairs = 0;
    for (name, object, objects) in rendered_corpus() {
        let Some(old) = objects.iter().find(|o| o["kind"] == "StatefulSet").cloned() else {
            continue;
        };
        for (edit, patch) in edits() {
            let mut new = object.clone();
            merge(&mut new["spec"], &patch);
            let request = PlanRequest {
                object: new,
                applied: Some(rec_core::api::AppliedState {
                    spec: object["spec"].clone(),
                    ..Default::default()
                }),
                observed: Some(json!({"statefulSet": old})),
                context: RenderContext {
                    existing_secret: Some(ExistingSecret {
                        name: object
                            .pointer("/spec/clusterCredentialSecretName")
                            .and_then(Value::as_str)
                            .or(object.pointer("/metadata/name").and_then(Value::as_str))
                            .unwrap_or("rec")
                            .into(),
                    }),
                    ..Default::default()
                },
                objects: true,
                ..Default::default()
            };
            let planned = plan(&request);
            // An edit the rules refuse (memory for a volume sized to the old one, say) applies nothing: fine.
            let Some(objects) = planned.objects else { continue };
            let values: Vec<Value> = objects.iter().map(|o| o.to_value().expect("JSON")).collect();
            let new_sts = values
                .iter()
                .find(|o| o["kind"] == "StatefulSet")
                .expect("a StatefulSet");
            let refused = immutable(&old, new_sts);
            assert!(refused.is_empty(), "{name}, {edit}: {refused:?}");
            let problems = check(&values);
            assert!(problems.is_empty(), "{name}, {edit}: {problems:?}");
            pairs += 1;
        }
    }
    assert!(pairs > 100, "only {pairs} edits planned");
}
