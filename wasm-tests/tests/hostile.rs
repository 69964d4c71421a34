//! Hostile inputs too big to commit, generated here and run through the native core and the core module in
//! wasmtime (byte-identical answers, as for every corpus case); and, for the committed hostile text cases whose
//! answer is `ok` by design (parseYaml and preview answer a YAML error inside `ok`), the error each must carry;
//! and the toYaml findings read back.
//!
//! Not the policy: Kubernetes never sends it a request above its 3 MiB request limit, and the policy replays every
//! committed validate case (`tests/policy.rs`).

use rec_wasm_tests::{Case, EntryPoint, Expect, OpName, Outcome, Wasmtime, corpus_dir, load, run_case};
use serde_json::{Value, json};

fn engine() -> Wasmtime {
    Wasmtime(
        rec_engine::Engine::builder()
            .cache_dir(concat!(env!("CARGO_TARGET_TMPDIR"), "/rec-engine-cache"))
            .embedded()
            .expect("the embedded core module loads"),
    )
}

fn case(name: &str, op: OpName, input: Vec<u8>, outcome: Outcome) -> Case {
    Case {
        name: name.into(),
        description: name.into(),
        op,
        input,
        expect: Expect {
            outcome,
            codes: Vec::new(),
            error_kind: None,
        },
        file: format!("generated/{name}").into(),
    }
}

/// A REC in YAML whose spec is over 10 MB (ten thousand 1 KB annotations).
fn big_yaml() -> String {
    let mut text = String::from(
        "apiVersion: app.redislabs.com/v1\nkind: RedisEnterpriseCluster\nmetadata:\n  name: rec\nspec:\n  nodes: 3\n  podAnnotations:\n",
    );
    let mut i = 0;
    while text.len() < 10 << 20 {
        text.push_str(&format!("    note-{i}: \"{}\"\n", "x".repeat(1000)));
        i += 1;
    }
    text
}

fn answer_of(case: &Case) -> Value {
    let wasmtime = engine();
    let others: [&dyn EntryPoint; 1] = [&wasmtime];
    let answer = run_case(case, &others).unwrap_or_else(|problems| panic!("{}: {}", case.name, problems.join("; ")));
    serde_json::from_slice(&answer).expect("answers are JSON")
}

#[test]
fn a_10_mb_text_is_refused_for_its_size_by_every_entry_point() {
    let text = big_yaml();
    let parse = case(
        "big-parse-yaml",
        OpName::ParseYaml,
        text.clone().into_bytes(),
        Outcome::Valid,
    );
    let error = answer_of(&parse)["ok"]["error"]["message"].clone();
    assert!(error.as_str().is_some_and(|m| m.contains("bytes; at most")), "{error}");
    let preview = json!({ "text": text }).to_string().into_bytes();
    let preview = answer_of(&case("big-preview", OpName::Preview, preview, Outcome::Valid));
    let error = &preview["ok"]["yamlError"]["message"];
    assert!(error.as_str().is_some_and(|m| m.contains("bytes; at most")), "{error}");
}

/// A 10 MB validate request (bigger than Kubernetes ever sends): the native core answers it; the engine answers
/// the same bytes or stops cleanly at its fuel or memory limit, never traps.
#[test]
fn a_10_mb_spec_in_a_json_request_is_answered_or_stopped_cleanly() {
    let annotations: serde_json::Map<String, Value> = (0..10_000)
        .map(|i| (format!("note-{i}"), json!("x".repeat(1000))))
        .collect();
    let request = json!({"object": {
        "apiVersion": "app.redislabs.com/v1", "kind": "RedisEnterpriseCluster",
        "metadata": {"name": "rec", "namespace": "ns"},
        "spec": {"nodes": 3, "podAnnotations": annotations}
    }});
    let input = request.to_string().into_bytes();
    assert!(input.len() > 10_000_000);
    let native = rec_core::abi::call(rec_core::abi::Op::Validate as u32, &input);
    let answer: Value = serde_json::from_slice(&native).expect("answers are JSON");
    assert_eq!(answer["ok"]["valid"], json!(true));
    match engine().0.call(rec_core::abi::Op::Validate, &input) {
        Ok(bytes) => assert!(bytes == native, "the engine's answer differs from the native one"),
        Err(e) => assert!(
            matches!(
                e,
                rec_engine::EngineError::Timeout | rec_engine::EngineError::OutOfMemory
            ),
            "the engine failed otherwise than at a limit: {e}"
        ),
    }
}

/// The committed hostile text cases whose answer is `ok` with the reason inside, and that reason.
const TEXT_ERRORS: &[(&str, &str, &str)] = &[
    (
        "hostile-yaml-deep-100k",
        "/ok/error/message",
        "recursion limit exceeded",
    ),
    (
        "hostile-yaml-deep-block-100k",
        "/ok/error/message",
        "nesting deeper than",
    ),
    (
        "hostile-yaml-deep-maps",
        "/ok/error/message",
        "recursion limit exceeded",
    ),
    ("hostile-yaml-billion-laughs", "/ok/error/message", "alias bomb"),
    ("hostile-yaml-alias-bomb-in-spec", "/ok/error/message", "alias bomb"),
    (
        "hostile-yaml-duplicate-spec-keys",
        "/ok/error/message",
        "duplicate key \"nodes\"",
    ),
    ("hostile-yaml-number-nan", "/ok/error/message", "finite"),
    ("hostile-yaml-number-nan-upper", "/ok/error/message", "finite"),
    ("hostile-yaml-number-inf", "/ok/error/message", "finite"),
    ("hostile-yaml-number-neg-inf", "/ok/error/message", "finite"),
    (
        "hostile-preview-deep-100k",
        "/ok/yamlError/message",
        "recursion limit exceeded",
    ),
    ("hostile-preview-billion-laughs", "/ok/yamlError/message", "alias bomb"),
    (
        "hostile-preview-duplicate-keys",
        "/ok/yamlError/message",
        "duplicate key \"metadata\"",
    ),
    ("hostile-preview-nan-nodes", "/ok/yamlError/message", "finite"),
    ("hostile-preview-old-text-bomb", "/ok/yamlError/message", "alias bomb"),
];

#[test]
fn hostile_texts_are_answered_with_the_reason() {
    let cases = load(&corpus_dir()).expect("the corpus loads");
    let mut problems = Vec::new();
    for (name, pointer, needle) in TEXT_ERRORS {
        let Some(case) = cases.iter().find(|c| c.name == *name) else {
            problems.push(format!("{name}: not in the corpus"));
            continue;
        };
        let answer: Value =
            serde_json::from_slice(&rec_core::abi::call(case.op.op() as u32, &case.input)).expect("answers are JSON");
        match answer.pointer(pointer).and_then(Value::as_str) {
            Some(message) if message.contains(needle) => {}
            other => problems.push(format!("{name}: {pointer} is {other:?}, expected it to say {needle:?}")),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every document of every toYaml case, written by the core, reads back as the same value through the core's
/// reader (the fuzz target `yaml` checks the same of every text it reads) — except `hostile-deep-to-yaml`, which is
/// deeper than the reader reads by design.
#[test]
fn what_to_yaml_writes_reads_back() {
    let cases = load(&corpus_dir()).expect("the corpus loads");
    let mut problems = Vec::new();
    for case in cases
        .iter()
        .filter(|c| c.op == OpName::ToYaml && c.name != "hostile-deep-to-yaml")
    {
        let Ok(request) = serde_json::from_slice::<rec_core::abi::ToYamlRequest>(&case.input) else {
            continue;
        };
        for document in &request.documents {
            let text = rec_core::yaml::to_yaml(document);
            let back = rec_core::yaml::parse(&text);
            if back.value.as_ref() != Some(document) {
                problems.push(format!("{}: {:?}", case.name, back.error));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
