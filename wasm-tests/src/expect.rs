//! Checks an answer against a case's expectation: the outcome, the error kind, the rule codes.

use crate::corpus::{Case, OpName, Outcome};
use serde_json::Value;

/// Why an answer does not meet the case's expectation (`Ok` when it does).
pub fn check(case: &Case, answer: &[u8]) -> Result<(), String> {
    let answer: Value = serde_json::from_slice(answer).map_err(|e| format!("the answer is not JSON: {e}"))?;
    match (&case.expect.outcome, answer.get("ok"), answer.get("error")) {
        (Outcome::Error, None, Some(error)) => match &case.expect.error_kind {
            Some(kind) if error.get("kind").and_then(Value::as_str) != Some(kind) => {
                Err(format!("expected an error of kind {kind}, got {error}"))
            }
            _ => Ok(()),
        },
        (Outcome::Error, _, _) => Err(format!("expected an error answer, got {}", short(&answer))),
        (_, Some(ok), None) => check_ok(case, ok),
        _ => Err(format!("expected an ok answer, got {}", short(&answer))),
    }
}

fn check_ok(case: &Case, ok: &Value) -> Result<(), String> {
    // One report per document: valid when every one is, the codes of them all.
    let merged;
    let report = match case.op {
        OpName::Validate => ok,
        OpName::ValidateDocuments => {
            let reports = ok.as_array().ok_or("validateDocuments answers a list of reports")?;
            let valid = reports.iter().all(|r| r.get("valid") == Some(&Value::Bool(true)));
            let violations: Vec<&Value> = reports
                .iter()
                .filter_map(|r| r.get("violations").and_then(Value::as_array))
                .flatten()
                .collect();
            merged = serde_json::json!({ "valid": valid, "violations": violations });
            &merged
        }
        OpName::Render => ok.get("report").ok_or("the render answer has no report")?,
        OpName::Plan => return check_plan(case, ok),
        _ if case.expect.codes.is_empty() => return Ok(()),
        // A preview with codes (its documents' summed report): the hostile ones, without codes, only answer.
        OpName::Preview => ok
            .get("report")
            .filter(|r| !r.is_null())
            .ok_or("the preview answer has no report")?,
        _ => return Err("codes are expected only of validate, validateDocuments, render, plan and preview".into()),
    };
    let valid = report
        .get("valid")
        .and_then(Value::as_bool)
        .ok_or("the report has no `valid`")?;
    let codes: Vec<&str> = report
        .get("violations")
        .and_then(Value::as_array)
        .map(|vs| {
            vs.iter()
                .filter_map(|v| v.get("code").and_then(Value::as_str))
                .collect()
        })
        .unwrap_or_default();
    let want_valid = case.expect.outcome == Outcome::Valid;
    if valid != want_valid {
        return Err(format!(
            "expected valid = {want_valid}, got valid = {valid} with codes {codes:?}"
        ));
    }
    let missing: Vec<&String> = case
        .expect
        .codes
        .iter()
        .filter(|c| !codes.contains(&c.as_str()))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "expected codes {missing:?} among the violations, got {codes:?}"
        ));
    }
    if case.op == OpName::Render && valid && ok.get("objects").is_none_or(Value::is_null) {
        return Err("a valid render has no objects".into());
    }
    Ok(())
}

/// A plan: `valid` when nothing is refused, `invalid` when something is; the codes among the refusals and the
/// report's violations; the state, when the case names one.
fn check_plan(case: &Case, ok: &Value) -> Result<(), String> {
    let codes = |pointer: &str| -> Vec<String> {
        ok.pointer(pointer)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.get("code").and_then(Value::as_str).map(str::to_string))
            .collect()
    };
    let refused = codes("/refused");
    let mut all = refused.clone();
    all.extend(codes("/report/violations"));
    let want_refused = case.expect.outcome == Outcome::Invalid;
    if refused.is_empty() == want_refused {
        return Err(format!("expected refused = {want_refused}, got refusals {refused:?}"));
    }
    let missing: Vec<&String> = case.expect.codes.iter().filter(|c| !all.contains(c)).collect();
    if !missing.is_empty() {
        return Err(format!("expected codes {missing:?}, got {all:?}"));
    }
    let state = ok.get("state").and_then(Value::as_str);
    match &case.expect.state {
        Some(want) if state != Some(want.as_str()) => Err(format!("expected state {want}, got {state:?}")),
        _ => Ok(()),
    }
}

fn short(answer: &Value) -> String {
    let text = answer.to_string();
    match text.char_indices().nth(300) {
        Some((at, _)) => format!("{}...", &text[..at]),
        None => text,
    }
}
