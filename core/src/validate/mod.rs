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
//! A report with `valid: true` guarantees that the object deserializes into `RedisEnterpriseCluster`.

mod catalogue;
mod options;
mod path;
pub(crate) mod rules;
mod structure;
mod suggest;
mod update;

pub use catalogue::{RULES, Rule, Stage, rule_for, rules_markdown};
pub use options::{MIN_NODE_MEMORY, Options};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How bad a violation is: errors reject the REC, warnings are reported and accepted.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
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
}

/// Validates `new` (and, on update, the transition from `old`).
///
/// The old object is parsed the same way but its own violations are not reported (it was accepted before);
/// update rules run only when both objects reach the typed model.
pub fn validate(new: &serde_json::Value, old: Option<&serde_json::Value>, options: &Options) -> Report {
    let mut violations = Vec::new();
    for (field, problem) in options.problems() {
        violations.push(catalogue::OPTIONS_INVALID.at(format!("options.{field}"), problem));
    }
    let effective = options.effective();
    let parsed = structure::parse(new);
    violations.extend(parsed.violations);
    if let Some(rec) = &parsed.rec {
        let ctx = rules::Ctx {
            rec,
            spec: &rec.spec,
            options: &effective,
        };
        violations.extend(rules::check(&ctx));
        if let Some(old) = old.and_then(|old| structure::parse(old).rec) {
            violations.extend(update::check(&old, rec));
        }
    }
    Report::new(violations, options.warnings_as_errors)
}

impl Report {
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
        }
    }
}
