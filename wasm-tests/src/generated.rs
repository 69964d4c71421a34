//! Hostile cases too big to commit (over 10 MB each), generated identically for every entry point: the native
//! core and the engine (`tests/hostile.rs`), the policy (`tests/policy.rs`) and the browser build (its native
//! answers are written by `preview/web/tests/native_answers.rs` and replayed by `preview/test/corpus.mjs`).
//!
//! Deterministic: the same bytes on every run, so the browser is fed exactly what the native core was fed.

use crate::corpus::{Case, Expect, OpName, Outcome};
use serde_json::{Value, json};

/// Every generated input is bigger than this (10 MiB).
pub const BIG: usize = 10 << 20;

/// A REC whose `spec.podAnnotations` holds over ten thousand 1 KB values (over 10 MiB as JSON): valid, because nothing
/// bounds annotations but the API server's request limit (3 MiB), which the core does not second-guess.
pub fn big_rec() -> Value {
    let annotations: serde_json::Map<String, Value> = (0..BIG / 1000)
        .map(|i| (format!("note-{i}"), json!("x".repeat(1000))))
        .collect();
    json!({
        "apiVersion": "app.redislabs.com/v1", "kind": "RedisEnterpriseCluster",
        "metadata": {"name": "rec", "namespace": "ns"},
        "spec": {"nodes": 3, "podAnnotations": annotations}
    })
}

/// The same kind of REC as YAML text over 10 MB: over the YAML reader's input limit, so refused for its size.
pub fn big_yaml() -> String {
    let mut text = String::from(
        "apiVersion: app.redislabs.com/v1\nkind: RedisEnterpriseCluster\nmetadata:\n  name: rec\nspec:\n  nodes: 3\n  podAnnotations:\n",
    );
    let mut i = 0;
    while text.len() < BIG {
        text.push_str(&format!("    note-{i}: \"{}\"\n", "x".repeat(1000)));
        i += 1;
    }
    text
}

/// The generated cases: a 10 MB REC validated from JSON (answered: valid), and a 10 MB YAML text read by
/// `parseYaml` and by `preview` (answered `ok` with a YAML error that names the size limit).
pub fn big_cases() -> Vec<Case> {
    let text = big_yaml();
    vec![
        case(
            "big-validate-10mb",
            OpName::Validate,
            json!({ "object": big_rec() }).to_string().into_bytes(),
        ),
        case("big-parse-yaml-10mb", OpName::ParseYaml, text.clone().into_bytes()),
        case(
            "big-preview-10mb",
            OpName::Preview,
            json!({ "text": text }).to_string().into_bytes(),
        ),
    ]
}

fn case(name: &str, op: OpName, input: Vec<u8>) -> Case {
    Case {
        name: name.into(),
        description: format!("generated: {} bytes", input.len()),
        op,
        input,
        expect: Expect {
            outcome: Outcome::Valid,
            codes: Vec::new(),
            error_kind: None,
            state: None,
        },
        file: format!("generated/{name}").into(),
    }
}
