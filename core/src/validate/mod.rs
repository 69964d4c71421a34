//! Validation of a REC, on create and on update: every violation at once, each with a stable code, a severity,
//! the JSON path of the field and a message a person can act on.
//!
//! Input is arbitrary JSON: a wrong type anywhere is a violation with a path, never a panic.
//!
//! Steps: `structure` (raw JSON -> typed REC, structural violations), `rules` (create-time rules on the typed
//! spec), `update` (old -> new), `options` (the options' own check). Every code comes from `catalogue::RULES`.
//! Order: violations are sorted by path, then code, then message (exact duplicates dropped), so the same input
//! always gives the same bytes. Does not apply defaults to the object or render anything.
//!
//! A report with `valid: true` guarantees that the object deserializes into the core's `RecObject`, and into kube's
//! `RedisEnterpriseCluster` too unless a `metadata` field only the API server checks is malformed (the format of a
//! timestamp, the items of `managedFields` or `ownerReferences`: see `api::object`).

pub(crate) mod catalogue;
/// The agreement corpus as JSON, which the tests of both readers (`de`, `read`) walk: the integration tests' file,
/// declared once here so the lib test crate holds it once.
#[cfg(test)]
#[path = "../../tests/corpus_support/mod.rs"]
mod corpus_support;
/// serde's reading of the model, the oracle the reader (`read`) is held to.
#[cfg(test)]
pub(crate) mod de;
mod options;
pub(crate) mod path;
pub(crate) mod read;
pub(crate) mod rules;
pub mod shape;
// Generated (`crd::shape_table`): one static per line, as written.
#[rustfmt::skip]
pub mod shapes;
pub(crate) mod structure;
pub(crate) mod suggest;
mod update;

pub use catalogue::{REDB_RULES, RULES, Rule, Stage, is_note, rule_for, rules_markdown, rules_of};
pub use options::{MIN_NODE_MEMORY, Options};
/// What kind of JSON value this is, for messages: `a string`, `an object`, `null`...
pub use structure::describe as json_kind;
pub use structure::read_model;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How bad a violation is: errors reject the REC, warnings are reported and accepted.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    /// The severity as answers spell it: `error`, `warning`.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One violated rule.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, JsonSchema)]
pub struct Violation {
    /// Stable rule code, e.g. `nodes-even` (see the rule catalogue).
    pub code: String,
    pub severity: Severity,
    /// JSON path of the field, e.g. `spec.persistentSpec.volumeSize` or `spec.podTolerations[0].key`.
    pub path: String,
    /// What is wrong, the value seen and what would be right.
    pub message: String,
}

/// The outcome of a validation: every violation, in a deterministic order.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// True when there is no error (warnings allowed, unless the options make them errors).
    pub valid: bool,
    pub errors: usize,
    pub warnings: usize,
    pub violations: Vec<Violation>,
    /// A REDB validated against a context: the name of the REC it belongs to there, as the context rules resolved
    /// it (the operator's `status.redisEnterpriseCluster`, the printer column "Cluster"). Absent otherwise: for a
    /// REC, for a REDB without context, and when the context holds no such REC or several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
}

/// Validates `new` (and, on update, the transition from `old`).
///
/// The old object is parsed the same way but its own violations are not reported (it was accepted before);
/// update rules run only when both objects reach the typed model.
pub fn validate(new: &serde_json::Value, old: Option<&serde_json::Value>, options: &Options) -> Report {
    validate_model(new, old, options).report
}

/// A report and, when it is valid, the typed REC the validator read.
#[derive(Debug)]
pub struct Validated {
    pub report: Report,
    /// `Some` exactly when the report is valid: then nothing was removed to read it, so it is the object as sent.
    /// Boxed, so handing it on moves a pointer, not the whole model (see `structure::deserialize`).
    pub rec: Option<Box<crate::RecObject>>,
}

/// [`validate`], also handing back the typed REC: callers that go on with it (rendering, the policy's defaults)
/// take the validator's reading instead of deserializing the object a second time, so every entry point links
/// one deserializer of the REC model (the model's serde code is most of a module's size).
pub fn validate_model(new: &serde_json::Value, old: Option<&serde_json::Value>, options: &Options) -> Validated {
    let mut violations = Vec::new();
    for (field, problem) in options.problems() {
        violations.push(catalogue::OPTIONS_INVALID.at(format!("options.{field}"), problem));
    }
    let effective = options.effective();
    let parsed = structure::parse(new);
    violations.extend(parsed.violations);
    let old_rec = old.and_then(|old| structure::parse(old).rec);
    if let Some(rec) = &parsed.rec {
        let ctx = rules::Ctx {
            rec,
            spec: &rec.spec,
            options: &effective,
        };
        violations.extend(rules::check(&ctx));
        if let Some(old_rec) = &old_rec {
            violations.extend(update::check(old_rec, rec));
        }
    }
    let mut report = Report::new(violations, options.warnings_as_errors);
    if let (Some(old), Some(_)) = (old, &old_rec) {
        report.ratchet(new, old);
    }
    let rec = parsed.rec.filter(|_| report.valid);
    Validated { report, rec }
}

/// The end of a ratcheted violation's message: a create rule's error at a value the update did not change, reported
/// as a warning (see [`Report::ratchet`]).
pub const RATCHETED: &str = " (unchanged by this update, so accepted as before: fix it when you next change it)";

impl Report {
    /// Ratcheting, as Kubernetes does it for CRD validation: on update, a create rule's error at a path whose
    /// value the update did not change is a warning. A REC created before the policy (or before an option was
    /// tightened) can then still be edited elsewhere; a changed invalid value is still an error. Runs after
    /// `warningsAsErrors`, which would otherwise turn it back into an error and defeat it.
    pub(crate) fn ratchet(&mut self, new: &serde_json::Value, old: &serde_json::Value) {
        let create = |code: &str| rule_for(code).is_some_and(|r| matches!(r.stage, Stage::Create | Stage::Context));
        for v in &mut self.violations {
            if v.severity == Severity::Error
                && create(&v.code)
                && path::value_at(new, &v.path) == path::value_at(old, &v.path)
            {
                v.severity = Severity::Warning;
                v.message.push_str(RATCHETED);
            }
        }
        self.errors = self.violations.iter().filter(|v| v.severity == Severity::Error).count();
        self.warnings = self.violations.len() - self.errors;
        self.valid = self.errors == 0;
    }

    /// This report with one more warning, which `warningsAsErrors` does not touch (a note of what was not checked,
    /// such as a REDB's `redb-no-context`).
    pub(crate) fn with_note(mut self, note: Violation) -> Report {
        let at = self
            .violations
            .partition_point(|v| (&v.path, &v.code, &v.message) < (&note.path, &note.code, &note.message));
        self.violations.insert(at, note);
        self.warnings += 1;
        self
    }

    /// A report of these violations, sorted and counted.
    pub fn new(mut violations: Vec<Violation>, warnings_as_errors: bool) -> Report {
        if warnings_as_errors {
            for v in &mut violations {
                v.severity = Severity::Error;
            }
        }
        violations.sort_by(|a, b| (&a.path, &a.code, &a.message).cmp(&(&b.path, &b.code, &b.message)));
        violations.dedup();
        let errors = violations.iter().filter(|v| v.severity == Severity::Error).count();
        let warnings = violations.len() - errors;
        Report {
            valid: errors == 0,
            errors,
            warnings,
            violations,
            cluster: None,
        }
    }
}
