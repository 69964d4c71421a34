//! The REC's status: `specStatus`, `state`, `observedGeneration`, the `Valid`/`Reconciled`/`Ready` conditions
//! (their `lastTransitionTime` kept while their status holds), the ready node count and every violation.
//!
//! Building the status is pure ([`build`]); [`write`] patches the status subresource only when something
//! changed, so a quiet reconcile writes nothing. This module never touches the spec.

use crate::timeout::TimedOut;
use jiff::Timestamp;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, Time};
use kube::api::{Api, DynamicObject, Patch, PatchParams};
use rec_core::validate::{Report, Severity};
use serde_json::{Value, json};

/// The longest condition message we write (the API allows 32768 bytes).
const MAX_MESSAGE: usize = 8192;

/// What the reconcile found out, in the terms the status reports.
#[derive(Debug, Clone)]
pub enum Verdict<'a> {
    /// The spec is invalid: nothing was applied.
    Invalid { report: &'a Report },
    /// Every rendered object was applied; `ready` of `nodes` node pods are ready (`pods` exist).
    Reconciled {
        report: &'a Report,
        nodes: i32,
        pods: i32,
        ready: i32,
    },
    /// A step failed (`reason` is the step's error name).
    Failed { reason: &'static str, message: String },
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("writing the status failed: {0}")]
    Patch(#[from] Box<kube::Error>),
    #[error("reading the StatefulSet's pod counts failed: {0}")]
    StatefulSet(Box<kube::Error>),
    /// The REC is no longer there (deleted while it was reconciled): there is no status to write.
    #[error("the REC is gone (404 on its status)")]
    Gone,
    #[error("writing the status: {0}")]
    TimedOut(#[from] TimedOut),
}

/// The status fields the operator owns, as a merge patch body (`null` removes a field).
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
        Verdict::Invalid { report } => {
            let errors = summary(report, Severity::Error);
            let not_applied = "nothing is applied while the spec is invalid".to_string();
            (
                json!({ "specStatus": "Invalid", "state": "Invalid", "validationErrors": violations(report) }),
                vec![
                    condition("Valid", false, "SpecInvalid", errors),
                    condition("Reconciled", false, "SpecInvalid", not_applied.clone()),
                    condition("Ready", false, "SpecInvalid", not_applied),
                ],
            )
        }
        Verdict::Reconciled {
            report,
            nodes,
            pods,
            ready,
        } => {
            let state = match (*pods, *ready) {
                (0, _) => "PendingCreation",
                (_, 0) => "BootstrappingFirstPod",
                (_, r) if r < *nodes => "Initializing",
                _ => "Running",
            };
            let warnings = report.warnings;
            let valid = if warnings == 0 {
                "the spec is valid".to_string()
            } else {
                format!(
                    "the spec is valid, with {warnings} warning(s): {}",
                    summary(report, Severity::Warning)
                )
            };
            let nodes_ready = *ready >= *nodes;
            (
                json!({ "specStatus": "Valid", "state": state, "readyNodes": ready, "validationErrors": violations(report) }),
                vec![
                    condition("Valid", true, "SpecValid", valid),
                    condition(
                        "Reconciled",
                        true,
                        "Applied",
                        "every rendered object is applied".to_string(),
                    ),
                    condition(
                        "Ready",
                        nodes_ready,
                        if nodes_ready { "NodesReady" } else { "NodesNotReady" },
                        format!("{ready}/{nodes} node pod(s) ready"),
                    ),
                ],
            )
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

/// Patches the status subresource with `status`, unless the REC already says exactly that. Returns whether it
/// wrote.
pub async fn write(api: &Api<DynamicObject>, name: &str, current: &Value, status: &Value) -> Result<bool, Error> {
    if is_current(current, status) {
        return Ok(false);
    }
    match api
        .patch_status(
            name,
            &PatchParams::default(),
            &Patch::Merge(&json!({ "status": status })),
        )
        .await
    {
        Ok(_) => Ok(true),
        Err(kube::Error::Api(e)) if e.code == 404 => Err(Error::Gone),
        Err(e) => Err(Box::new(e).into()),
    }
}

/// Whether every field of the patch already has that value (`null` = absent).
fn is_current(current: &Value, patch: &Value) -> bool {
    let Some(fields) = patch.as_object() else { return false };
    fields.iter().all(|(key, want)| match (current.get(key), want) {
        (None, Value::Null) | (Some(Value::Null), Value::Null) => true,
        (Some(have), want) => have == want,
        (None, _) => false,
    })
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

fn truncate(mut message: String) -> String {
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
        let errors = violations.iter().filter(|v| v.severity == Severity::Error).count();
        Report {
            valid: errors == 0,
            errors,
            warnings: violations.len() - errors,
            violations,
        }
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

    #[test]
    fn invalid_status_lists_every_error() {
        let r = report(vec![
            violation("nodes-even", Severity::Error),
            violation("nodes-too-few", Severity::Error),
        ]);
        let status = build(&Verdict::Invalid { report: &r }, Some(4), &json!({}), at(100));
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
    }

    #[test]
    fn transition_time_is_kept_while_the_status_holds() {
        let r = report(vec![]);
        let running = Verdict::Reconciled {
            report: &r,
            nodes: 3,
            pods: 3,
            ready: 3,
        };
        let first = build(&running, Some(1), &json!({}), at(100));
        assert_eq!(first["state"], "Running");
        let second = build(&running, Some(2), &first, at(200));
        for c in second["conditions"].as_array().expect("conditions") {
            assert_eq!(c["lastTransitionTime"], "1970-01-01T00:01:40Z", "{c}");
        }
        let degraded = Verdict::Reconciled {
            report: &r,
            nodes: 3,
            pods: 3,
            ready: 2,
        };
        let third = build(&degraded, Some(2), &second, at(300));
        assert_eq!(third["state"], "Initializing");
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
        let r = report(vec![]);
        let ok = build(
            &Verdict::Reconciled {
                report: &r,
                nodes: 3,
                pods: 0,
                ready: 0,
            },
            Some(1),
            &json!({}),
            at(1),
        );
        assert_eq!(ok["state"], "PendingCreation");
        let failed = Verdict::Failed {
            reason: "ApplyFailed",
            message: "boom".into(),
        };
        let status = build(&failed, Some(1), &ok, at(2));
        assert_eq!(status["state"], "Error");
        assert!(status.get("specStatus").is_none());
        let conditions = status["conditions"].as_array().expect("conditions");
        assert_eq!(conditions.len(), 3);
        assert_eq!(conditions[1]["reason"], "ApplyFailed");
        assert_eq!(conditions[0], ok["conditions"][0]);
    }

    #[test]
    fn an_unchanged_status_is_current() {
        let r = report(vec![violation("memory-below-production", Severity::Warning)]);
        let v = Verdict::Reconciled {
            report: &r,
            nodes: 3,
            pods: 3,
            ready: 3,
        };
        let status = build(&v, Some(1), &json!({}), at(1));
        let mut current = status.clone();
        current["stateExtra"] = json!("kept");
        assert!(is_current(&current, &build(&v, Some(1), &current, at(50))));
        assert!(!is_current(&current, &build(&v, Some(2), &current, at(50))));
        assert!(is_current(&json!({}), &json!({ "validationErrors": null })));
    }

    #[test]
    fn long_messages_are_cut_on_a_char_boundary() {
        let cut = truncate("é".repeat(MAX_MESSAGE));
        assert!(cut.len() <= MAX_MESSAGE + 3 && cut.ends_with("..."));
    }
}
