//! Shared pieces of the fuzz targets: a bounded, structure-aware JSON generator that speaks the REC's field
//! names, the REC bases the render target mutates, and the invariants every target checks.
//!
//! Invariants are checked with `assert!`: under libFuzzer a failed invariant is a crash with the input saved,
//! which is what a fuzz finding is. This crate is never linked into a product.

pub mod json;
pub mod mutate;

use rec_core::validate::{RATCHETED, Report, Severity, Stage, is_note, rule_for};
use serde_json::Value;

/// The answer envelope of `rec_core::abi::call` for `op`: exactly `{"ok": ...}` or `{"error": {"kind",
/// "message"}}`, with a known error kind and a message. A `Panic` answer is a finding. Returns the `ok` value.
pub fn check_envelope(op: u32, answer: &[u8]) -> Option<Value> {
    let value: Value = serde_json::from_slice(answer).unwrap_or_else(|e| panic!("op {op}: answer is not JSON: {e}"));
    let map = value
        .as_object()
        .unwrap_or_else(|| panic!("op {op}: answer is not an object: {value}"));
    assert_eq!(map.len(), 1, "op {op}: answer must have exactly one key: {value}");
    if let Some(ok) = map.get("ok") {
        return Some(ok.clone());
    }
    let error = map
        .get("error")
        .unwrap_or_else(|| panic!("op {op}: neither ok nor error: {value}"));
    let kind = error.get("kind").and_then(Value::as_str);
    let message = error.get("message").and_then(Value::as_str).unwrap_or("");
    assert!(
        matches!(kind, Some("BadRequest" | "UnknownOp")),
        "op {op}: error kind {kind:?} ({message})"
    );
    assert!(!message.is_empty(), "op {op}: an error without a message: {value}");
    assert_eq!(
        error.as_object().map(|e| e.len()),
        Some(2),
        "op {op}: error has extra keys: {value}"
    );
    None
}

/// A report is self-consistent: valid iff no error, the counts match, every violation has a path, a message, a
/// catalogued code and its rule's severity (an error when warnings are errors, a note aside; a warning when an update
/// ratcheted a create or context rule at an unchanged value, which its message says).
pub fn check_report(report: &Report, warnings_as_errors: bool) {
    let errors = report
        .violations
        .iter()
        .filter(|v| v.severity == Severity::Error)
        .count();
    let warnings = report.violations.len() - errors;
    assert_eq!(report.valid, errors == 0, "valid must mean no error: {report:?}");
    assert_eq!(
        (report.errors, report.warnings),
        (errors, warnings),
        "counts: {report:?}"
    );
    for v in &report.violations {
        assert!(!v.path.is_empty(), "a violation without a path: {v:?}");
        assert!(!v.message.is_empty(), "a violation without a message: {v:?}");
        let rule = rule_for(&v.code).unwrap_or_else(|| panic!("code {:?} is not in RULES: {v:?}", v.code));
        let severity = if v.message.ends_with(RATCHETED) {
            let ratcheted = matches!(rule.stage, Stage::Create | Stage::Context);
            assert!(ratcheted, "only create and context rules are ratcheted: {v:?}");
            Severity::Warning
        } else if warnings_as_errors && !is_note(&v.code) {
            Severity::Error
        } else {
            rule.severity
        };
        assert_eq!(v.severity, severity, "severity of {v:?}");
    }
}

/// Validation's order: violations sorted by path, code and message, without duplicates (render appends its own
/// violation after these, so this is for validation reports only).
pub fn check_sorted(report: &Report) {
    let keys: Vec<_> = report
        .violations
        .iter()
        .map(|v| (&v.path, &v.code, &v.message))
        .collect();
    assert!(
        keys.windows(2).all(|w| w[0] < w[1]),
        "violations not sorted or duplicated: {report:?}"
    );
}
