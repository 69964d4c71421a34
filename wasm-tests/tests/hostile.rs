//! Hostile inputs too big to commit (`rec_wasm_tests::generated`), run through the native core and the core module in
//! wasmtime (byte-identical answers, as for every corpus case); and, for the committed hostile text cases whose
//! answer is `ok` by design (parseYaml and preview answer a YAML error inside `ok`), the error each must carry;
//! and the toYaml findings read back.

use rec_engine::EngineError;
use rec_wasm_tests::generated::{BIG, big_cases};
use rec_wasm_tests::{OpName, Wasmtime, corpus_dir, difference, load, run_case};
use serde_json::Value;

fn engine() -> Wasmtime {
    Wasmtime(
        rec_engine::Engine::builder()
            .cache_dir(concat!(env!("CARGO_TARGET_TMPDIR"), "/rec-engine-cache"))
            .embedded()
            .expect("the embedded core module loads"),
    )
}

/// The generated 10 MB cases (`rec_wasm_tests::generated`): the native answer meets the case and says why where
/// the answer is a refusal; the engine gives the same bytes, or stops cleanly at its time or memory limit (never a
/// trap). The policy and the browser build replay the same cases (`tests/policy.rs`, `preview/test/corpus.mjs`).
#[test]
fn the_10_mb_cases_are_answered_or_stopped_cleanly() {
    let engine = engine();
    let mut problems = Vec::new();
    for case in big_cases() {
        assert!(case.input.len() > BIG, "{}: only {} bytes", case.name, case.input.len());
        let native = match run_case(&case, &[]) {
            Ok(answer) => answer,
            Err(why) => {
                problems.push(format!("{}: {}", case.name, why.join("; ")));
                continue;
            }
        };
        let answer: Value = serde_json::from_slice(&native).expect("answers are JSON");
        let refusal = match case.op {
            OpName::ParseYaml => Some(&answer["ok"]["error"]["message"]),
            OpName::Preview => Some(&answer["ok"]["yamlError"]["message"]),
            _ => None,
        };
        if let Some(message) = refusal
            && !message.as_str().is_some_and(|m| m.contains("bytes; at most"))
        {
            problems.push(format!("{}: refused for {message}, not for its size", case.name));
        }
        match engine.0.call(case.op.op(), &case.input) {
            Ok(bytes) if bytes == native => eprintln!("{}: the engine answers as native", case.name),
            Ok(bytes) => problems.push(format!("{}: engine: {}", case.name, difference(&native, &bytes))),
            Err(e @ (EngineError::Timeout | EngineError::OutOfMemory)) => {
                eprintln!("{}: the engine stops: {e}", case.name)
            }
            Err(e) => problems.push(format!(
                "{}: the engine failed otherwise than at a limit: {e}",
                case.name
            )),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
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
