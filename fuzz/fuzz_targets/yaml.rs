//! Arbitrary text into the YAML reader (`rec_core::yaml::parse`) and the `Preview` operation (what the browser
//! and the CLI take). Invariants: exactly one of a value and a positioned error; a value written back with
//! `to_yaml` reads back as the same value; the preview answers `ok` (a YAML error is part of the preview, not an
//! ABI error). Time and memory are bounded by libFuzzer's `-timeout` and `-rss_limit_mb`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rec_core::abi::{Op, call};
use serde_json::json;

/// The preview documents fields from the CRD's schema, built on its first use: build it before fuzzing starts.
fn warm_up() {
    let request = br#"{"text": "spec:\n  nodes: 3\n", "describe": true}"#;
    call(Op::Preview as u32, request);
}

fuzz_target!(init: warm_up(), |data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        // Not UTF-8: only the ABI can be handed it (the reader takes &str); it must answer, not trap.
        rec_fuzz::check_envelope(Op::ParseYaml as u32, &call(Op::ParseYaml as u32, data));
        return;
    };
    let parsed = rec_core::yaml::parse(text);
    assert!(
        parsed.value.is_some() != parsed.error.is_some(),
        "exactly one of value and error: {parsed:?}"
    );
    if let Some(error) = &parsed.error {
        assert!(
            error.line >= 1 && error.column >= 1 && !error.message.is_empty(),
            "{error:?}"
        );
    }
    if let Some(value) = &parsed.value {
        let written = rec_core::yaml::to_yaml(value);
        let back = rec_core::yaml::parse(&written);
        if written.len() > rec_core::yaml::MAX_INPUT_BYTES {
            // Aliases let a small text expand to up to `MAX_NODES` values, whose YAML can be longer than the
            // reader takes: it must then refuse the text for its size, and for nothing else.
            let refusal = back.error.map(|e| e.message).unwrap_or_default();
            assert!(
                refusal.contains("bytes; at most"),
                "{} bytes written, refused for: {refusal}",
                written.len()
            );
        } else {
            assert_eq!(
                back.value.as_ref(),
                Some(value),
                "to_yaml does not read back:\n{written}"
            );
        }
    }
    let request = serde_json::to_vec(&json!({"text": text, "describe": data.len() % 2 == 0})).unwrap_or_default();
    let answer = call(Op::Preview as u32, &request);
    let ok = rec_fuzz::check_envelope(Op::Preview as u32, &answer);
    assert!(ok.is_some(), "the preview of a text is an ok answer");
});
