//! The admission decision for one request: accept, accept with warnings, accept with defaults filled in, or
//! reject with one message listing every error. Pure: the request and the settings in, a [`Decision`] out.
//!
//! Every rule comes from the core (`rec_core::validate::validate`; on update with the old object, so the
//! transition rules apply and an unchanged invalid value is ratcheted to a warning); the policy only picks the
//! object out of the request, turns the core's report into an admission answer, adds the core's plan of an update
//! to the warnings and, when asked, applies the core's defaults.
//! A REDB is judged against its context (every REC and REDB of the cluster), which [`decide`] asks of a
//! [`Cluster`]: in the module, Kubewarden's Kubernetes host capability (`crate::context`). That is the one host
//! call the policy makes, and only for a REDB.

use crate::context::{Cluster, fetch};
use crate::settings::Settings;
use kubewarden_policy_sdk::request::KubernetesAdmissionRequest;
use rec_core::api::{AppliedState, GROUP, KIND};
use rec_core::defaults::{Versions, filled_in};
use rec_core::kind::{Kind, validate_as};
use rec_core::plan::{PlanRequest, plan_without_objects};
use rec_core::render::RenderContext;
use rec_core::validate::{Report, Severity, Validated, Violation, json_kind, validate_model};
use serde_json::Value;
use std::borrow::Cow;

/// HTTP code of a rejection whose object cannot be read as a REC at all (not an object, wrong types, another
/// kind or API version): the request is malformed.
pub const CODE_BAD_REQUEST: u16 = 400;
/// HTTP code of a rejection of a well-formed REC that breaks a rule (what the API server answers for a schema
/// violation: `Invalid`).
pub const CODE_INVALID: u16 = 422;

/// Rule codes meaning "this is not a readable REC (or REDB)" rather than "this object breaks a rule"; they reject
/// with 400.
pub const MALFORMED_CODES: [&str; 8] = [
    "not-an-object",
    "api-version",
    "kind",
    "type-mismatch",
    "redb-not-an-object",
    "redb-api-version",
    "redb-kind",
    "redb-type-mismatch",
];

/// What the policy answers.
#[derive(Clone, Debug, PartialEq)]
pub enum Decision {
    /// Accepted as is; warnings (possibly none) are shown to the user.
    Accept { warnings: Vec<String> },
    /// Accepted with the defaults filled in.
    Mutate { object: Value, warnings: Vec<String> },
    /// Rejected: one message listing every error, its field path and rule code.
    Reject {
        message: String,
        code: u16,
        warnings: Vec<String>,
    },
}

/// Decides one admission request.
///
/// Only `CREATE` and `UPDATE` of a RedisEnterpriseCluster or a RedisEnterpriseDatabase are judged; `DELETE`,
/// `CONNECT` and other kinds (which the policy's rules do not send) are accepted untouched. On `UPDATE` the old
/// object feeds the core's transition rules. A REDB is judged by its own rules and against its context, read from
/// `cluster` (a REC request asks it nothing); when the cluster cannot answer, without context: the report's
/// `redb-no-context` warning says what was not checked, and the host's failure never rejects a REDB by itself. A
/// REDB is never mutated and has no plan.
pub fn decide(request: &KubernetesAdmissionRequest, settings: &Settings, cluster: &dyn Cluster) -> Decision {
    let Some(kind) = kind_of(request) else {
        return Decision::Accept { warnings: vec![] };
    };
    if !matches!(request.operation.as_str(), "CREATE" | "UPDATE") {
        return Decision::Accept { warnings: vec![] };
    }
    let object = &request.object;
    let old = match (&request.operation[..], &request.old_object) {
        ("UPDATE", old) if !old.is_null() => Some(old),
        _ => None,
    };
    if kind == Kind::Database {
        let object = with_namespace(object, &request.namespace);
        let context = fetch(cluster).ok();
        let report = validate_as(kind, &object, old, context.as_deref(), &settings.options);
        return verdict(kind, &object, &report, settings).unwrap_or(Decision::Accept {
            warnings: warnings(&report, settings),
        });
    }
    let mut decision = judge(object, &validate_model(object, old, &settings.options), settings);
    if let (Some(old), Decision::Accept { warnings } | Decision::Mutate { warnings, .. }) = (old, &mut decision) {
        warnings.extend(plan_summary(object, old, settings));
    }
    decision
}

/// `object` as the API server stores it: a client may leave `metadata.namespace` out (kubectl sends it from `-n`
/// or the context's namespace instead), and the context rules compare namespaces, so it is filled in from the
/// admission request's. Anything else (no metadata, not an object) is left for the core to report.
fn with_namespace<'o>(object: &'o Value, namespace: &str) -> Cow<'o, Value> {
    let missing = object
        .get("metadata")
        .and_then(Value::as_object)
        .is_some_and(|m| matches!(m.get("namespace"), None | Some(Value::Null)));
    if !missing || namespace.is_empty() {
        return Cow::Borrowed(object);
    }
    let mut filled = object.clone();
    if let Some(Value::Object(metadata)) = filled.get_mut("metadata") {
        metadata.insert("namespace".into(), Value::String(namespace.into()));
    }
    Cow::Owned(filled)
}

/// What an accepted update will do to the running cluster, in the plan's words ("restarts 5 nodes one at a
/// time ...", "expands 3 volume(s) from 40Gi to 80Gi ..."), as admission warnings: `kubectl apply` prints them
/// before the operator starts. Nothing when the update changes no node. The plan assumes a healthy cluster running
/// the old object (the policy sees no pods).
pub fn plan_summary(object: &Value, old: &Value, settings: &Settings) -> Vec<String> {
    let request = PlanRequest {
        object: object.clone(),
        applied: Some(AppliedState {
            spec: old.get("spec").cloned().unwrap_or(Value::Null),
            ..AppliedState::default()
        }),
        context: RenderContext {
            versions: versions(settings),
            options: settings.options.clone(),
            ..RenderContext::default()
        },
        ..PlanRequest::default()
    };
    let plan = plan_without_objects(&request);
    if !plan.refused.is_empty() || plan.steps.is_empty() {
        return Vec::new();
    }
    plan.summary.into_iter().map(|line| format!("plan: {line}")).collect()
}

/// The operator versions the settings name (`operatorTag`), else the core's.
fn versions(settings: &Settings) -> Versions {
    let defaults = Versions::default();
    Versions {
        operator_tag: settings
            .options
            .operator_tag
            .clone()
            .unwrap_or(defaults.operator_tag.clone()),
        ..defaults
    }
}

/// Turns the core's report on `object` (and the typed REC it read) into the answer: the part of [`decide`] that
/// does not depend on which rules the core has, so it is tested with hand-made reports.
pub fn judge(object: &Value, validated: &Validated, settings: &Settings) -> Decision {
    let report = &validated.report;
    if let Some(rejected) = verdict(Kind::Cluster, object, report, settings) {
        return rejected;
    }
    let warnings = warnings(report, settings);
    // The core said valid: it read the object into the typed model (the rendering depends on it). If it did not
    // hand the model back, reject rather than let an unreadable REC in. The policy never deserializes the REC
    // itself: a second deserializer of the model would double most of the module's size.
    if let Some(problem) = unreadable(object) {
        return Decision::Reject {
            message: format!("{KIND} rejected: {problem}"),
            code: CODE_BAD_REQUEST,
            warnings,
        };
    }
    let Some(rec) = &validated.rec else {
        return Decision::Reject {
            message: format!(
                "{KIND} {} rejected: the core reported it valid without reading it",
                name_of(object)
            ),
            code: CODE_BAD_REQUEST,
            warnings,
        };
    };
    if !settings.apply_defaults {
        return Decision::Accept { warnings };
    }
    match defaulted(object, rec, &versions(settings)) {
        Ok(Some(mutated)) => Decision::Mutate {
            object: mutated,
            warnings,
        },
        Ok(None) => Decision::Accept { warnings },
        Err(e) => Decision::Reject {
            message: format!("{KIND} {}: the defaults could not be written: {e}", name_of(object)),
            code: CODE_BAD_REQUEST,
            warnings,
        },
    }
}

/// The rejection of an invalid report on a `kind` (one message listing every error), or `None` when it is valid.
fn verdict(kind: Kind, object: &Value, report: &Report, settings: &Settings) -> Option<Decision> {
    if report.valid {
        return None;
    }
    let listed = listed_violations(report, settings);
    let code = if listed.iter().any(|v| MALFORMED_CODES.contains(&v.code.as_str())) {
        CODE_BAD_REQUEST
    } else {
        CODE_INVALID
    };
    Some(Decision::Reject {
        message: rejection_message(kind, object, &listed),
        code,
        warnings: warnings(report, settings),
    })
}

/// Which of the core's resources the request is about (any served version: the core checks the version).
fn kind_of(request: &KubernetesAdmissionRequest) -> Option<Kind> {
    if request.kind.group != GROUP {
        return None;
    }
    [Kind::Cluster, Kind::Database]
        .into_iter()
        .find(|kind| request.kind.kind == kind.name())
}

/// The problem of an object the policy cannot even name: missing, not a JSON object, or without an object
/// `metadata`. The core reports these first (with its rule codes); this is the net under it.
fn unreadable(object: &Value) -> Option<String> {
    match object {
        Value::Null => Some("the admission request carries no object".into()),
        Value::Object(map) => match map.get("metadata") {
            None => Some("the object has no `metadata`".into()),
            Some(Value::Object(_)) => None,
            Some(other) => Some(format!("`metadata` must be an object, found {}", json_kind(other))),
        },
        other => Some(format!("the object must be a JSON object, found {}", json_kind(other))),
    }
}

/// The violations a rejection lists: every error, and every warning too when warnings count as errors.
pub fn listed_violations<'r>(report: &'r Report, settings: &Settings) -> Vec<&'r Violation> {
    report
        .violations
        .iter()
        .filter(|v| v.severity == Severity::Error || settings.options.warnings_as_errors)
        .collect()
}

/// One line per violation, as it appears in a rejection message or a warning: `path: message [code]`.
pub fn describe(violation: &Violation) -> String {
    let path = if violation.path.is_empty() {
        "(object)"
    } else {
        &violation.path
    };
    format!("{path}: {} [{}]", violation.message, violation.code)
}

fn rejection_message(kind: Kind, object: &Value, listed: &[&Violation]) -> String {
    let count = match listed.len() {
        1 => "1 error".to_string(),
        n => format!("{n} errors"),
    };
    let details: Vec<String> = listed.iter().map(|v| describe(v)).collect();
    format!(
        "{} {} is invalid ({count}): {}",
        kind.name(),
        name_of(object),
        details.join("; ")
    )
}

/// The warnings shown with the answer: none when warnings count as errors (they are listed in the rejection).
fn warnings(report: &Report, settings: &Settings) -> Vec<String> {
    if settings.options.warnings_as_errors {
        return Vec::new();
    }
    report
        .violations
        .iter()
        .filter(|v| v.severity == Severity::Warning)
        .map(describe)
        .collect()
}

/// `"name"` (or `"namespace/name"`), for messages; `(unnamed)` when there is no name.
fn name_of(object: &Value) -> String {
    let metadata = object.get("metadata");
    let name = metadata.and_then(|m| m.get("name")).and_then(Value::as_str);
    let namespace = metadata.and_then(|m| m.get("namespace")).and_then(Value::as_str);
    match (namespace, name) {
        (Some(ns), Some(name)) => format!("\"{ns}/{name}\""),
        (None, Some(name)) => format!("\"{name}\""),
        _ => "(unnamed)".into(),
    }
}

/// The object with the core's defaults filled into its spec (`filled_in`: the image tags of the `operatorTag`
/// setting; what the user wrote stays), or `None` when there was nothing to fill in.
fn defaulted(
    object: &Value,
    rec: &rec_core::RecObject,
    versions: &Versions,
) -> Result<Option<Value>, serde_json::Error> {
    let spec = filled_in(object.get("spec"), rec, versions)?;
    if object.get("spec") == Some(&spec) {
        return Ok(None);
    }
    let mut mutated = object.clone();
    if let Value::Object(map) = &mut mutated {
        map.insert("spec".into(), spec);
    }
    Ok(Some(mutated))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rec_core::defaults::with_defaults;
    use serde_json::json;

    fn violation(code: &str, severity: Severity, path: &str, message: &str) -> Violation {
        Violation {
            code: code.into(),
            severity,
            path: path.into(),
            message: message.into(),
        }
    }

    fn report(violations: Vec<Violation>, valid: bool) -> Report {
        let errors = violations.iter().filter(|v| v.severity == Severity::Error).count();
        Report {
            valid,
            errors,
            warnings: violations.len() - errors,
            violations,
            cluster: None,
        }
    }

    fn rec() -> Value {
        json!({"apiVersion": "app.redislabs.com/v1", "kind": KIND, "metadata": {"name": "rec", "namespace": "ns"},
               "spec": {}})
    }

    /// What the core hands back with `report`: the typed REC exactly when the report is valid.
    fn validated(report: Report) -> Validated {
        let rec = report
            .valid
            .then(|| serde_json::from_value(rec()).expect("the test REC is typed"));
        Validated { report, rec }
    }

    #[test]
    fn every_error_is_listed_with_its_path_and_code_in_one_message() {
        let r = report(
            vec![
                violation("nodes-even", Severity::Error, "spec.nodes", "nodes is 4, must be odd"),
                violation("memory-below-production", Severity::Warning, "spec.x", "low"),
                violation("license-conflict", Severity::Error, "spec.license", "both set"),
            ],
            false,
        );
        let expected = Decision::Reject {
            message: "RedisEnterpriseCluster \"ns/rec\" is invalid (2 errors): spec.nodes: nodes is 4, must be odd \
                      [nodes-even]; spec.license: both set [license-conflict]"
                .into(),
            code: CODE_INVALID,
            warnings: vec!["spec.x: low [memory-below-production]".into()],
        };
        assert_eq!(judge(&rec(), &validated(r), &Settings::default()), expected);
    }

    #[test]
    fn a_malformed_object_is_a_bad_request() {
        let r = report(
            vec![violation(
                "type-mismatch",
                Severity::Error,
                "spec.nodes",
                "not a number",
            )],
            false,
        );
        let Decision::Reject { code, message, .. } = judge(&rec(), &validated(r), &Settings::default()) else {
            panic!()
        };
        assert_eq!(code, CODE_BAD_REQUEST);
        assert!(message.contains("(1 error)"), "{message}");
    }

    #[test]
    fn warnings_are_listed_as_errors_when_they_count_as_errors() {
        let r = report(
            vec![violation(
                "persistence-disabled",
                Severity::Warning,
                "spec.persistentSpec",
                "off",
            )],
            false,
        );
        let settings: Settings = serde_json::from_value(json!({"warningsAsErrors": true})).unwrap();
        let Decision::Reject { message, warnings, .. } = judge(&rec(), &validated(r), &settings) else {
            panic!()
        };
        assert!(
            message.ends_with("spec.persistentSpec: off [persistence-disabled]"),
            "{message}"
        );
        assert!(
            warnings.is_empty(),
            "listed as an error, not repeated as a warning: {warnings:?}"
        );
    }

    #[test]
    fn a_valid_report_with_warnings_accepts_with_the_warnings() {
        let r = report(
            vec![violation("persistence-disabled", Severity::Warning, "", "off")],
            true,
        );
        let expected = Decision::Accept {
            warnings: vec!["(object): off [persistence-disabled]".into()],
        };
        assert_eq!(judge(&rec(), &validated(r), &Settings::default()), expected);
    }

    #[test]
    fn a_valid_report_without_the_typed_rec_is_rejected_never_accepted() {
        let without_model = Validated {
            report: report(vec![], true),
            rec: None,
        };
        let Decision::Reject { code, message, .. } = judge(&rec(), &without_model, &Settings::default()) else {
            panic!()
        };
        assert_eq!(code, CODE_BAD_REQUEST);
        assert!(message.contains("\"ns/rec\" rejected"), "{message}");
    }

    #[test]
    fn with_apply_defaults_the_typed_rec_gets_the_core_defaults() {
        let settings: Settings = serde_json::from_value(json!({"applyDefaults": true})).unwrap();
        let Decision::Mutate { object, .. } = judge(&rec(), &validated(report(vec![], true)), &settings) else {
            panic!("an empty spec gets defaults")
        };
        let typed: rec_core::RecObject = serde_json::from_value(rec()).unwrap();
        let spec = serde_json::to_value(with_defaults(&typed, &Versions::default())).unwrap();
        assert_eq!(object["spec"], spec);
        assert_eq!(object["metadata"], rec()["metadata"]);
    }
}
