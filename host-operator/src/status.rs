//! The REC's status: `specStatus`, `state` (the plan's), `observedGeneration`, the `Valid`/`Reconciled`/`Ready`/
//! `Progressing` conditions (their `lastTransitionTime` kept while their status holds), the ready node count,
//! every violation, and what the operator needs to resume: `applied` (what was carried out) and `progress` (the
//! step in progress).
//!
//! Building the status is pure ([`build`]); [`write`] patches the status subresource only when something
//! changed, so a quiet reconcile writes nothing. This module never touches the spec.

use crate::timeout::TimedOut;
use jiff::Timestamp;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, Time};
use kube::api::{Api, DynamicObject, Patch, PatchParams};
use rec_core::plan::{Plan, State};
use rec_core::validate::{Report, Severity};
use serde_json::{Value, json};

/// The longest condition message we write (the API allows 32768 bytes).
const MAX_MESSAGE: usize = 8192;

/// What the reconcile found out, in the terms the status reports.
#[derive(Debug, Clone)]
pub enum Verdict<'a> {
    /// The plan of the change: its state, what is left, and (unless refused or deleting) what was carried out.
    Planned(&'a Plan),
    /// A step failed (`reason` is the step's error name).
    Failed { reason: &'static str, message: String },
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("writing the status failed: {0}")]
    Patch(#[from] Box<kube::Error>),
    /// The REC is no longer there (deleted while it was reconciled): there is no status to write.
    #[error("the REC is gone (404 on its status)")]
    Gone,
    #[error("writing the status: {0}")]
    TimedOut(#[from] TimedOut),
}

/// The status fields the operator owns (`null` removes a field). [`write`] turns it into a merge patch.
pub fn build(verdict: &Verdict<'_>, generation: Option<i64>, current: &Value, now: Timestamp) -> Value {
    let previous: Vec<Condition> = current
        .get("conditions")
        .cloned()
        .and_then(|c| serde_json::from_value(c).ok())
        .unwrap_or_default();
    let condition = |type_: &str, ok: bool, reason: &str, message: String| Condition {
        type_: type_.into(),
        status: if ok { "True" } else { "False" }.into(),
        reason: reason.into(),
        message: truncate(message),
        observed_generation: generation,
        last_transition_time: Time(now),
    };
    let (fields, updates) = match verdict {
        Verdict::Planned(plan) => {
            let report = &plan.report;
            let refused = !report.valid || !plan.refused.is_empty();
            let valid = if !report.valid {
                condition("Valid", false, "SpecInvalid", summary(report, Severity::Error))
            } else if !plan.refused.is_empty() {
                condition("Valid", false, "ChangeRefused", plan.summary.join("; "))
            } else if report.warnings > 0 {
                let warnings = summary(report, Severity::Warning);
                let message = format!("the spec is valid, with {} warning(s): {warnings}", report.warnings);
                condition("Valid", true, "SpecValid", message)
            } else {
                condition("Valid", true, "SpecValid", "the spec is valid".into())
            };
            let (applied, reason, message) = match plan.state {
                State::Deleting => (false, "Deleting", "the REC is being deleted: nothing is applied"),
                _ if !report.valid => (false, "SpecInvalid", "nothing is applied while the spec is invalid"),
                _ if refused => (false, "ChangeRefused", "nothing is applied: the change is refused"),
                _ => (true, "Applied", "every rendered object is applied"),
            };
            let nodes = plan.nodes;
            let ready = nodes.ready >= nodes.desired && plan.steps.is_empty();
            let ready_condition = if applied {
                condition(
                    "Ready",
                    ready,
                    if ready { "NodesReady" } else { "NodesNotReady" },
                    format!("{}/{} node pod(s) ready", nodes.ready, nodes.desired),
                )
            } else {
                condition("Ready", false, reason, message.into())
            };
            let progressing = match (plan.halted.as_ref(), plan.steps.is_empty()) {
                (Some(halted), _) => condition("Progressing", false, "Halted", halted.clone()),
                (None, false) => condition("Progressing", true, plan.state.as_str(), plan.summary.join("; ")),
                (None, true) => condition("Progressing", false, "Done", "no change in progress".into()),
            };
            let mut fields = json!({
                "specStatus": if refused { "Invalid" } else { "Valid" },
                "state": plan.state.as_str(),
                "readyNodes": nodes.ready,
                "validationErrors": violations(report),
                "progress": plan.progress,
            });
            // The record changes only when something was carried out; a refused change keeps the last one.
            if let Some(record) = &plan.applied {
                fields["applied"] = json!(record);
            }
            let updates = vec![
                valid,
                condition("Reconciled", applied, reason, message.into()),
                ready_condition,
                progressing,
            ];
            (fields, updates)
        }
        Verdict::Failed { reason, message } => (
            json!({ "state": "Error" }),
            vec![condition("Reconciled", false, reason, message.clone())],
        ),
    };
    let mut status = fields;
    status["observedGeneration"] = json!(generation);
    status["conditions"] = json!(merge_conditions(&previous, updates));
    status
}

/// Sets `updates` over `previous`: a condition whose status did not change keeps its `lastTransitionTime`;
/// conditions of other types stay as they were.
pub fn merge_conditions(previous: &[Condition], updates: Vec<Condition>) -> Vec<Condition> {
    let mut out: Vec<Condition> = previous.to_vec();
    for mut update in updates {
        match out.iter_mut().find(|c| c.type_ == update.type_) {
            Some(old) => {
                if old.status == update.status {
                    update.last_transition_time = old.last_transition_time.clone();
                }
                *old = update;
            }
            None => out.push(update),
        }
    }
    out
}

/// Patches the status subresource so that it says `status`, unless it already does. Returns whether it wrote.
///
/// The patch is a merge patch computed against the current status ([`merge_patch`]): a key of a nested object
/// that `status` no longer has (a field dropped from the recorded spec) is written as `null`, which a plain merge
/// patch of `status` would leave behind.
pub async fn write(api: &Api<DynamicObject>, name: &str, current: &Value, status: &Value) -> Result<bool, Error> {
    let patch = merge_patch(current, status);
    if patch.as_object().is_some_and(|p| p.is_empty()) {
        return Ok(false);
    }
    match api
        .patch_status(
            name,
            &PatchParams::default(),
            &Patch::Merge(&json!({ "status": patch })),
        )
        .await
    {
        Ok(_) => Ok(true),
        Err(kube::Error::Api(e)) if e.code == 404 => Err(Error::Gone),
        Err(e) => Err(Box::new(e).into()),
    }
}

/// The RFC 7386 merge patch that turns `current` into `want` for the keys `want` names (other top-level keys are
/// left alone; `null` in `want` removes); nested objects are made equal, keys they lost included. Empty when
/// nothing differs.
pub fn merge_patch(current: &Value, want: &Value) -> Value {
    fn nested(current: &Value, want: &Value) -> Value {
        match (current, want) {
            (Value::Object(c), Value::Object(w)) => {
                let mut patch = serde_json::Map::new();
                for (key, value) in w {
                    if c.get(key) != Some(value) {
                        patch.insert(key.clone(), nested(c.get(key).unwrap_or(&Value::Null), value));
                    }
                }
                for key in c.keys().filter(|k| !w.contains_key(*k)) {
                    patch.insert(key.clone(), Value::Null);
                }
                Value::Object(patch)
            }
            _ => want.clone(),
        }
    }
    let mut patch = serde_json::Map::new();
    for (key, value) in want.as_object().into_iter().flatten() {
        let have = current.get(key).unwrap_or(&Value::Null);
        if have != value {
            patch.insert(key.clone(), nested(have, value));
        }
    }
    Value::Object(patch)
}

/// Every violation, or `null` when there is none.
fn violations(report: &Report) -> Value {
    if report.violations.is_empty() {
        Value::Null
    } else {
        json!(report.violations)
    }
}

/// One line per violation of a severity: `path [code]: message`.
pub fn summary(report: &Report, severity: Severity) -> String {
    let lines: Vec<String> = report
        .violations
        .iter()
        .filter(|v| v.severity == severity)
        .map(|v| format!("{} [{}]: {}", v.path, v.code, v.message))
        .collect();
    lines.join("; ")
}

/// `message` cut to at most [`MAX_MESSAGE`] bytes (at a character boundary), `...` marking the cut.
pub(crate) fn truncate(mut message: String) -> String {
    if message.len() > MAX_MESSAGE {
        let mut end = MAX_MESSAGE;
        while !message.is_char_boundary(end) {
            end -= 1;
        }
        message.truncate(end);
        message.push_str("...");
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;
    use rec_core::validate::Violation;

    fn report(violations: Vec<Violation>) -> Report {
        Report::new(violations, false)
    }

    fn violation(code: &str, severity: Severity) -> Violation {
        Violation {
            code: code.into(),
            severity,
            path: "spec.nodes".into(),
            message: format!("{code} message"),
        }
    }

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_second(secs).expect("valid time")
    }

    fn plan(report: Report, state: State, ready: i32) -> Plan {
        Plan {
            state,
            refused: Vec::new(),
            report,
            summary: vec!["no change to the running nodes".into()],
            steps: Vec::new(),
            nodes: rec_core::plan::Nodes { desired: 3, ready },
            halted: None,
            applied: None,
            progress: None,
            objects: None,
        }
    }

    #[test]
    fn an_invalid_spec_lists_every_error() {
        let r = report(vec![
            violation("nodes-even", Severity::Error),
            violation("nodes-too-few", Severity::Error),
        ]);
        let status = build(
            &Verdict::Planned(&plan(r, State::Invalid, 0)),
            Some(4),
            &json!({}),
            at(100),
        );
        assert_eq!(status["specStatus"], "Invalid");
        assert_eq!(status["state"], "Invalid");
        assert_eq!(status["observedGeneration"], 4);
        assert_eq!(status["validationErrors"].as_array().map(Vec::len), Some(2));
        let valid = &status["conditions"][0];
        assert_eq!(
            (valid["type"].as_str(), valid["status"].as_str()),
            (Some("Valid"), Some("False"))
        );
        assert_eq!(
            valid["message"],
            "spec.nodes [nodes-even]: nodes-even message; spec.nodes [nodes-too-few]: nodes-too-few message"
        );
        assert_eq!(valid["lastTransitionTime"], "1970-01-01T00:01:40Z");
        assert_eq!(status["conditions"][1]["reason"], "SpecInvalid");
    }

    #[test]
    fn transition_time_is_kept_while_the_status_holds() {
        let running = plan(report(vec![]), State::Running, 3);
        let first = build(&Verdict::Planned(&running), Some(1), &json!({}), at(100));
        assert_eq!(first["state"], "Running");
        let second = build(&Verdict::Planned(&running), Some(2), &first, at(200));
        for c in second["conditions"].as_array().expect("conditions") {
            assert_eq!(c["lastTransitionTime"], "1970-01-01T00:01:40Z", "{c}");
        }
        let degraded = plan(report(vec![]), State::Running, 2);
        let third = build(&Verdict::Planned(&degraded), Some(2), &second, at(300));
        let ready = &third["conditions"][2];
        assert_eq!(
            (ready["status"].as_str(), ready["reason"].as_str()),
            (Some("False"), Some("NodesNotReady"))
        );
        assert_eq!(ready["lastTransitionTime"], "1970-01-01T00:05:00Z");
        assert_eq!(third["conditions"][0]["lastTransitionTime"], "1970-01-01T00:01:40Z");
    }

    #[test]
    fn a_failure_only_touches_the_reconciled_condition() {
        let ok = build(
            &Verdict::Planned(&plan(report(vec![]), State::PendingCreation, 0)),
            Some(1),
            &json!({}),
            at(1),
        );
        let failed = Verdict::Failed {
            reason: "ApplyFailed",
            message: "boom".into(),
        };
        let status = build(&failed, Some(1), &ok, at(2));
        assert_eq!(status["state"], "Error");
        assert!(status.get("specStatus").is_none());
        let conditions = status["conditions"].as_array().expect("conditions");
        assert_eq!(conditions.len(), 4);
        assert_eq!(conditions[1]["reason"], "ApplyFailed");
        assert_eq!(conditions[0], ok["conditions"][0]);
    }

    #[test]
    fn the_patch_carries_only_what_changed_and_nulls_what_a_record_lost() {
        let current = json!({"state": "Running", "modules": [1], "applied": {"spec": {"nodes": 3, "ldap": {}}}});
        let want = json!({"state": "Running", "applied": {"spec": {"nodes": 5}}, "progress": null});
        assert_eq!(
            merge_patch(&current, &want),
            json!({"applied": {"spec": {"nodes": 5, "ldap": null}}})
        );
        assert_eq!(
            merge_patch(&current, &json!({"state": "Running", "progress": null})),
            json!({})
        );
    }

    #[test]
    fn long_messages_are_cut_on_a_char_boundary() {
        let cut = truncate("é".repeat(MAX_MESSAGE));
        assert!(cut.len() <= MAX_MESSAGE + 3 && cut.ends_with("..."));
    }
}
