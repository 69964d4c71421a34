//! Structural validation of a REDB: arbitrary JSON into [`RedbObject`], reporting every unknown field, wrong
//! type, bad enum value and missing field with its path.
//!
//! The REC's machinery, reused: the path-tracking model reader (`validate::read`), the working copy that removes a
//! bad value and retries (`validate::path::Working`) and the reading of serde's messages (`structure::classify`).
//! Its violations carry the REC's structural codes; [`redb_code`] gives them the REDB's. What differs is the
//! identity (`apiVersion`, `kind`) and the unknown-field message (the REC's "did you mean" knows the REC schema only).

use crate::redb::RedbObject;
use crate::validate::Violation;
use crate::validate::catalogue::{self, *};
use crate::validate::path::{JsonPath, Seg, Working};
use crate::validate::read;
use crate::validate::structure::{MAX_ROUNDS, classify, describe, shown};
use crate::validate::suggest;
use serde_json::{Map, Value};
use std::collections::BTreeSet;

const API_VERSION: &str = "app.redislabs.com/v1alpha1";

/// Parses `value` into the typed REDB (`None` when it could not be repaired), with the structural violations.
pub(crate) fn parse(value: &Value) -> (Option<Box<RedbObject>>, Vec<Violation>) {
    let mut violations = Vec::new();
    let Value::Object(root) = value else {
        violations.push(REDB_NOT_AN_OBJECT.at(
            ".",
            format!("the REDB must be a JSON object, found {}", describe(value)),
        ));
        return (None, violations);
    };
    let mut root = root.clone();
    check_root(&mut root, &mut violations);
    let mut working = Working::new(Value::Object(root));
    let mut unknown: BTreeSet<JsonPath> = BTreeSet::new();
    for _ in 0..MAX_ROUNDS {
        let mut ignored = Vec::new();
        let result: Result<Box<RedbObject>, read::Error> = read::read(&working.value, &mut ignored);
        unknown.extend(ignored.iter().map(|p| working.original(p)).filter(reportable_unknown));
        match result {
            Ok(redb) => {
                violations.extend(unknown.iter().map(unknown_field));
                return (Some(redb), violations);
            }
            Err(error) => {
                let (violation, remove) = classify(&working, error.path(), error.message());
                violations.push(redb_code(violation));
                if !working.remove(&remove) {
                    break;
                }
            }
        }
    }
    violations.extend(unknown.iter().map(unknown_field));
    violations.push(REDB_TOO_MANY_ERRORS.at(
        ".",
        format!("stopped after {MAX_ROUNDS} structural errors (or one that cannot be isolated); fix these and validate again"),
    ));
    (None, violations)
}

/// A structural violation of the REC's machinery under the REDB's code; a wrong type or value also names its
/// field in the message (a missing field's message already does).
fn redb_code(v: Violation) -> Violation {
    match v.code.as_str() {
        c if c == catalogue::REQUIRED_FIELD.code => REDB_REQUIRED_FIELD.at(v.path, v.message),
        c if c == catalogue::ENUM_VALUE.code => REDB_ENUM_VALUE.at(&v.path, format!("{}: {}", v.path, v.message)),
        _ => REDB_TYPE_MISMATCH.at(&v.path, format!("{}: {}", v.path, v.message)),
    }
}

/// Checks `apiVersion`, `kind`, `metadata`, `metadata.name` and `spec` on the raw object, and repairs them in
/// `root` so that the typed parse does not report the same problems again.
fn check_root(root: &mut Map<String, Value>, violations: &mut Vec<Violation>) {
    if root.get("apiVersion").and_then(Value::as_str) != Some(API_VERSION) {
        violations.push(REDB_API_VERSION.at(
            "apiVersion",
            format!("apiVersion is {}; write `{API_VERSION}`", shown(root.get("apiVersion"))),
        ));
    }
    if root.get("kind").and_then(Value::as_str) != Some(crate::redb::KIND) {
        violations.push(REDB_KIND.at(
            "kind",
            format!("kind is {}; write `RedisEnterpriseDatabase`", shown(root.get("kind"))),
        ));
    }
    for field in ["metadata", "spec"] {
        match root.get(field) {
            None => {
                let hint = if field == "spec" {
                    " (write `spec: {}` to take every default)"
                } else {
                    ""
                };
                violations.push(REDB_REQUIRED_FIELD.at(field, format!("`{field}` is missing{hint}")));
                root.insert(field.into(), Value::Object(Map::new()));
            }
            Some(Value::Object(_)) => {}
            Some(other) => {
                violations.push(
                    REDB_NOT_AN_OBJECT.at(field, format!("`{field}` must be an object, found {}", describe(other))),
                );
                root.insert(field.into(), Value::Object(Map::new()));
            }
        }
    }
    if root
        .get("metadata")
        .and_then(|m| m.get("name"))
        .is_none_or(Value::is_null)
    {
        violations.push(REDB_REQUIRED_FIELD.at(
            "metadata.name",
            "`metadata.name` is missing or null; name the database, e.g. `redb`",
        ));
    }
}

/// Not `status` (never judged), nor the root `apiVersion`/`kind` (checked by `check_root`).
fn reportable_unknown(path: &JsonPath) -> bool {
    let root_identity = path.0.len() == 1 && (path.starts_with_key("apiVersion") || path.starts_with_key("kind"));
    !root_identity && !path.starts_with_key("status")
}

fn unknown_field(path: &JsonPath) -> Violation {
    let name = match path.0.last() {
        Some(Seg::Key(k)) => k.clone(),
        _ => path.to_string(),
    };
    let parent = path.parent().map(|p| p.to_string()).unwrap_or_else(|| ".".into());
    let message = match suggest::closest(known_fields(&suggest::strip_indices(&parent)), &name) {
        Some(known) => format!("unknown field `{name}` in `{parent}`; did you mean `{known}`?"),
        None => format!("unknown field `{name}` in `{parent}` of a REDB; check its spelling and place, or remove it"),
    };
    REDB_UNKNOWN_FIELD.at(path, message)
}

/// The known field names at `parent` (indices written `[]`), for "did you mean": the blocks people write.
fn known_fields(parent: &str) -> &'static [&'static str] {
    use crate::redb::*;
    use crate::validate::read::FromValue;
    match parent {
        "." => &["apiVersion", "kind", "metadata", "spec", "status"],
        "metadata" => crate::api::Metadata::FIELDS,
        "spec" => RedisEnterpriseDatabaseSpec::FIELDS,
        "spec.backup" => DatabaseBackup::FIELDS,
        "spec.connectionSettings" => ConnectionSettings::FIELDS,
        "spec.ossClusterSettings" => DatabaseOssClusterSettings::FIELDS,
        "spec.redisEnterpriseCluster" => ClusterRef::FIELDS,
        "spec.modulesList[]" => DatabaseModule::FIELDS,
        "spec.replicaSources[]" => ReplicaSource::FIELDS,
        "spec.rolesPermissions[]" => RolePermission::FIELDS,
        _ => &[],
    }
}
