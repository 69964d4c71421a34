//! Validation of a REDB on create and on update (REDB.md section 3): every violation at once, each with a stable
//! `redb-` code from the catalogue (`validate::catalogue::REDB_RULES`), a severity, a path and a message.
//!
//! Steps, as the REC's: `structure` (raw JSON -> typed REDB), `rules` (the new object on its own), `update` (old
//! -> new). Same order, deduplication and ratcheting as the REC's `validate`. Input is arbitrary JSON: never a
//! panic. `context` holds the rules that need the REDB's context (its REC and the other REDBs of that REC), run
//! when the entry point passes one.

mod context;
mod rules;
mod size;
mod structure;
mod update;

pub use context::{Context, REC_FIELDS as CONTEXT_REC_FIELDS, REDB_FIELDS as CONTEXT_REDB_FIELDS, cluster_of};

use crate::validate::Report;
use serde_json::Value;

/// Validates `object` (and, on update, the transition from `old`: the old object's own violations are not
/// reported; the update rules run when both reach the typed model) without context.
pub fn validate(object: &Value, old: Option<&Value>) -> Report {
    validate_with(object, old, None, false)
}

/// [`validate`] against `context` (the RECs and REDBs the entry point sees; `None`: it has none, and the report says
/// so with `redb-no-context`), every warning an error when `warnings_as_errors`; ratcheting comes after, as for
/// the REC, so an unchanged invalid value stays a warning on update either way.
pub fn validate_with(
    object: &Value,
    old: Option<&Value>,
    context: Option<&[Value]>,
    warnings_as_errors: bool,
) -> Report {
    validate_in(object, old, context.map(Context::new).as_ref(), warnings_as_errors)
}

/// [`validate_with`] against a context already read (one read for every REDB of an input:
/// `kind::validate_documents`).
pub fn validate_in(object: &Value, old: Option<&Value>, context: Option<&Context>, warnings_as_errors: bool) -> Report {
    let (redb, mut violations) = structure::parse(object);
    let mut cluster = None;
    let old_redb = old.and_then(|old| structure::parse(old).0);
    if let Some(redb) = &redb {
        let structural = violations.clone();
        let mut semantic = rules::check(redb);
        if let Some(old_redb) = &old_redb {
            update::check(old_redb, redb, &mut semantic);
        }
        if let Some(context) = context {
            cluster = context::check(redb, object, context, &mut semantic);
        }
        // A value the structure step removed reads as absent: the rules of the field that held it (a backup whose
        // only storage was malformed has "no storage", a `replication: "yes"` is "off") wait until it is fixed.
        semantic.retain(|v| !structural.iter().any(|s| within(&s.path, &v.path)));
        violations.extend(semantic);
    }
    let mut report = Report::new(violations, warnings_as_errors);
    report.cluster = cluster.map(str::to_string);
    if let (Some(old), Some(_)) = (old, &old_redb) {
        report.ratchet(object, old);
    }
    match context {
        None => report.with_note(context::no_context()),
        Some(_) => report,
    }
}

/// Whether `path` is `field` or a path inside it (`spec.backup.s3` is inside `spec.backup`, `spec.backupX` is not).
fn within(path: &str, field: &str) -> bool {
    path.strip_prefix(field)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}
