//! What the operator writes on a REDB: the status of a verdict and the Event that goes with it. Pure.
//!
//! The status: `specStatus` (`Valid` / `Invalid`, the printer column "Spec Status"), `redisEnterpriseCluster` (the
//! REC the core resolved it to among the watch cache, the printer column "Cluster"; null when there is none, so a
//! REC deleted or renamed away clears it), `observedGeneration`, and one condition, `SpecValid`, with the
//! generation it judged:
//! - `True`, reason `Valid`: message "the spec is valid", or the warnings when there are some;
//! - `False`, reason `InvalidSpec`: message `N error(s): path [code]: message; ...`, every error (cut at 8 kB).
//!
//! Its `lastTransitionTime` is kept while its status holds. Other fields and other conditions are left as they
//! are (the database's own state is not ours to write).
//!
//! Events, at most one per verdict, decided from the status before and after, so an operator restart (or a
//! second reconcile) that finds the same verdict for the same generation records nothing:
//! - Warning `InvalidSpec` with the first errors, when the `SpecValid` condition changes while invalid (newly
//!   invalid, another generation, or other errors: a REC or another REDB changed);
//! - Normal `ValidSpec` when the REDB becomes valid (first seen valid, or valid after being invalid).

use crate::status::{merge_conditions, summary};
use jiff::Timestamp;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, Time};
use kube::runtime::events::EventType;
use rec_core::validate::{Report, Severity};
use serde_json::{Value, json};

/// The condition's type.
pub const SPEC_VALID: &str = "SpecValid";
/// The Warning's reason (and the condition's while invalid).
pub const INVALID_SPEC: &str = "InvalidSpec";
/// The Normal event's reason when a REDB becomes valid.
pub const VALID_SPEC: &str = "ValidSpec";
/// How many errors an Event names before "and N more" (the condition has them all).
const EVENT_ERRORS: usize = 3;

/// The status fields the operator owns for a REDB judged by `report` at `generation`, over `current`.
pub fn build(report: &Report, generation: Option<i64>, current: &Value, now: Timestamp) -> Value {
    let previous: Vec<Condition> = current
        .get("conditions")
        .cloned()
        .and_then(|c| serde_json::from_value(c).ok())
        .unwrap_or_default();
    let (status, reason, message) = if !report.valid {
        let errors = summary(report, Severity::Error);
        ("False", INVALID_SPEC, format!("{} error(s): {errors}", report.errors))
    } else if report.warnings > 0 {
        let warnings = summary(report, Severity::Warning);
        let message = format!("the spec is valid, with {} warning(s): {warnings}", report.warnings);
        ("True", "Valid", message)
    } else {
        ("True", "Valid", "the spec is valid".to_string())
    };
    let condition = Condition {
        type_: SPEC_VALID.into(),
        status: status.into(),
        reason: reason.into(),
        message: crate::status::truncate(message),
        observed_generation: generation,
        last_transition_time: Time(now),
    };
    json!({
        "specStatus": if report.valid { "Valid" } else { "Invalid" },
        "redisEnterpriseCluster": report.cluster,
        "observedGeneration": generation,
        "conditions": merge_conditions(&previous, vec![condition]),
    })
}

/// An Event to record.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub type_: EventType,
    pub reason: &'static str,
    pub note: String,
}

/// The Event of going from status `before` to `after` (built by [`build`] from `report`), if any.
pub fn notice(report: &Report, before: &Value, after: &Value) -> Option<Notice> {
    if report.valid {
        let was_valid = before.get("specStatus").and_then(Value::as_str) == Some("Valid");
        return (!was_valid).then(|| Notice {
            type_: EventType::Normal,
            reason: VALID_SPEC,
            note: match report.warnings {
                0 => "the spec is valid".into(),
                n => format!(
                    "the spec is valid, with {n} warning(s): {}",
                    summary(report, Severity::Warning)
                ),
            },
        });
    }
    if judged(before) == judged(after) {
        return None;
    }
    let errors: Vec<String> = report
        .violations
        .iter()
        .filter(|v| v.severity == Severity::Error)
        .map(|v| format!("{} [{}]: {}", v.path, v.code, v.message))
        .collect();
    let mut note = format!(
        "{} error(s): {}",
        errors.len(),
        errors[..errors.len().min(EVENT_ERRORS)].join("; ")
    );
    if errors.len() > EVENT_ERRORS {
        note.push_str(&format!(
            "; and {} more (see the SpecValid condition)",
            errors.len() - EVENT_ERRORS
        ));
    }
    Some(Notice {
        type_: EventType::Warning,
        reason: INVALID_SPEC,
        note,
    })
}

/// The `SpecValid` condition of a status as a verdict: what it found and for which generation, not when.
fn judged(status: &Value) -> Option<[&Value; 4]> {
    let condition = status
        .get("conditions")?
        .as_array()?
        .iter()
        .find(|c| c["type"] == SPEC_VALID)?;
    Some(["status", "reason", "message", "observedGeneration"].map(|k| condition.get(k).unwrap_or(&Value::Null)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rec_core::validate::Violation;

    fn report(codes: &[(&str, Severity)]) -> Report {
        let violations: Vec<Violation> = codes
            .iter()
            .map(|(code, severity)| Violation {
                code: (*code).into(),
                severity: *severity,
                path: "spec.databasePort".into(),
                message: format!("{code} message"),
            })
            .collect();
        Report::new(violations, false)
    }

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_second(secs).expect("a time")
    }

    #[test]
    fn an_invalid_redb_names_every_error_in_its_condition() {
        let mut r = report(&[
            ("redb-port-taken", Severity::Error),
            ("redb-replication-off", Severity::Warning),
        ]);
        r.cluster = Some("rec".into());
        let status = build(
            &r,
            Some(3),
            &json!({"status": "active", "conditions": [
                {"type": "Other", "status": "True", "reason": "X", "message": "", "lastTransitionTime": "1970-01-01T00:00:01Z"}
            ]}),
            at(100),
        );
        assert_eq!(
            status,
            json!({
                "specStatus": "Invalid",
                "redisEnterpriseCluster": "rec",
                "observedGeneration": 3,
                "conditions": [
                    {"type": "Other", "status": "True", "reason": "X", "message": "", "lastTransitionTime": "1970-01-01T00:00:01Z"},
                    {"type": "SpecValid", "status": "False", "reason": "InvalidSpec", "observedGeneration": 3,
                     "message": "1 error(s): spec.databasePort [redb-port-taken]: redb-port-taken message",
                     "lastTransitionTime": "1970-01-01T00:01:40Z"}
                ]
            })
        );
        let notice = notice(&r, &json!({}), &status).expect("an event");
        assert_eq!(
            (notice.type_, notice.reason, notice.note.as_str()),
            (
                EventType::Warning,
                "InvalidSpec",
                "1 error(s): spec.databasePort [redb-port-taken]: redb-port-taken message"
            )
        );
    }

    #[test]
    fn the_same_verdict_records_no_second_event_and_keeps_its_transition_time() {
        let r = report(&[("redb-cluster-not-found", Severity::Error)]);
        let first = build(&r, Some(1), &json!({}), at(100));
        let again = build(&r, Some(1), &first, at(200));
        assert_eq!(again, first, "nothing to write");
        assert_eq!(notice(&r, &first, &again), None);
        // Another generation with the same errors: a new verdict, one event.
        let next = build(&r, Some(2), &first, at(300));
        assert_eq!(next["conditions"][0]["lastTransitionTime"], "1970-01-01T00:01:40Z");
        assert!(notice(&r, &first, &next).is_some());
        // Valid again: one Normal event, then none.
        let ok = report(&[]);
        let valid = build(&ok, Some(2), &next, at(400));
        assert_eq!(valid["conditions"][0]["reason"], "Valid");
        assert_eq!(valid["conditions"][0]["lastTransitionTime"], "1970-01-01T00:06:40Z");
        assert_eq!(notice(&ok, &next, &valid).map(|n| n.reason), Some("ValidSpec"));
        assert_eq!(notice(&ok, &valid, &build(&ok, Some(2), &valid, at(500))), None);
    }

    #[test]
    fn an_event_names_the_first_errors_and_counts_the_rest() {
        let codes: Vec<String> = (0..5).map(|i| format!("redb-e{i}")).collect();
        let all: Vec<(&str, Severity)> = codes.iter().map(|c| (c.as_str(), Severity::Error)).collect();
        let r = report(&all);
        let note = notice(&r, &json!({}), &build(&r, Some(1), &json!({}), at(1)))
            .expect("an event")
            .note;
        assert!(
            note.starts_with("5 error(s): ") && note.contains("redb-e2") && !note.contains("redb-e3"),
            "{note}"
        );
        assert!(note.ends_with("and 2 more (see the SpecValid condition)"), "{note}");
    }
}
