//! Structural validation: arbitrary JSON into the typed REC (`RecObject`), reporting every unknown field,
//! wrong type, bad enum value and missing field with its path, all at once.
//!
//! How: the identity fields (`apiVersion`, `kind`, `metadata`, `spec`) are checked on the raw JSON first; then the
//! object is read by our tracking deserializer (`de`: every ignored field = an unknown field, with its path, and
//! the path of the first error). After an error the offending value is removed from a working copy and parsing is
//! retried, at most `MAX_ROUNDS` times, so one request reports many errors and the semantic rules still run on the
//! rest. No schema is generated per call. Does not judge values (see `rules`).

use super::Violation;
use super::catalogue::*;
use super::path::{JsonPath, Seg, Working};
use super::read;
use crate::RecObject;
use serde_json::Value;
use std::collections::BTreeSet;

/// At most this many structural errors are reported before giving up.
pub(crate) const MAX_ROUNDS: usize = 50;

/// The outcome of structural validation.
#[derive(Debug)]
pub(crate) struct Parsed {
    /// The typed REC, after removing every bad value (`None` when the object could not be repaired).
    pub rec: Option<Box<RecObject>>,
    pub violations: Vec<Violation>,
}

const API_VERSIONS: [&str; 2] = ["app.redislabs.com/v1", "app.redislabs.com/v1alpha1"];

/// Parses `value` into the typed REC, collecting structural violations.
pub(crate) fn parse(value: &Value) -> Parsed {
    let mut violations = Vec::new();
    let Value::Object(root) = value else {
        violations.push(NOT_AN_OBJECT.at(".", format!("the REC must be a JSON object, found {}", describe(value))));
        return Parsed { rec: None, violations };
    };
    let fixes = check_root(root, &mut violations);
    if fixes.is_empty()
        && let Some(parsed) = parse_fast(value)
    {
        violations.extend(parsed.violations);
        return Parsed {
            rec: parsed.rec,
            violations,
        };
    }
    let mut root = root.clone();
    for (key, replacement) in fixes {
        root.insert(key.into(), replacement);
    }
    let (rec, more) = parse_typed(Value::Object(root));
    violations.extend(more);
    Parsed { rec, violations }
}

/// The common case without a copy: the object deserializes at the first try (unknown fields aside).
fn parse_fast(value: &Value) -> Option<Parsed> {
    let (rec, ignored) = deserialize(value);
    let unknown: BTreeSet<JsonPath> = ignored.into_iter().filter(reportable_unknown).collect();
    Some(Parsed {
        rec: Some(rec.ok()?),
        violations: unknown.iter().map(unknown_field).collect(),
    })
}

/// The object as the typed REC, or the deserializer's message (without its path) for the first value that does
/// not fit: for callers that want the model without a validation (the ABI's defaults operation).
pub fn read_model(value: &Value) -> Result<Box<RecObject>, String> {
    deserialize(value).0.map_err(|e| e.message().to_string())
}

/// The one deserialization of the REC model in the core: the result (an error with its path) and the path of
/// every ignored field. Both the fast path and each repair round go through this one function (`validate::read`).
///
/// Read straight into a `Box`: the model is 6 KiB natively, and each step that handed it on by value (into the
/// result, the parse, the validation's answer) was a `memcpy` of all of it. Boxed, those steps move a pointer:
/// `memmove` fell from 22% to 15% of a native validation of the example REC, 6.4 -> 5.9 us (bench/README.md).
fn deserialize(value: &Value) -> (Result<Box<RecObject>, read::Error>, Vec<JsonPath>) {
    let mut ignored = Vec::new();
    let result = read::read(value, &mut ignored);
    (result, ignored)
}

/// Checks `apiVersion`, `kind`, `metadata`, `metadata.name` and `spec` on the raw object; returns the root fields
/// to replace so that the typed parse does not report the same problems again.
fn check_root(root: &serde_json::Map<String, Value>, violations: &mut Vec<Violation>) -> Vec<(&'static str, Value)> {
    let mut fixes = Vec::new();
    match root.get("apiVersion") {
        Some(Value::String(v)) if API_VERSIONS.contains(&v.as_str()) => {}
        seen => {
            violations.push(API_VERSION.at(
                "apiVersion",
                format!(
                    "apiVersion is {}; write `app.redislabs.com/v1` (or `app.redislabs.com/v1alpha1`)",
                    shown(seen)
                ),
            ));
            fixes.push(("apiVersion", Value::String(API_VERSIONS[0].into())));
        }
    }
    match root.get("kind") {
        Some(Value::String(k)) if k == crate::api::KIND => {}
        seen => {
            violations.push(KIND.at(
                "kind",
                format!("kind is {}; write `RedisEnterpriseCluster`", shown(seen)),
            ));
            fixes.push(("kind", Value::String(crate::api::KIND.into())));
        }
    }
    for field in ["metadata", "spec"] {
        match root.get(field) {
            None => {
                let hint = if field == "spec" {
                    " (write `spec: {}` to take every default)"
                } else {
                    ""
                };
                violations.push(REQUIRED_FIELD.at(field, format!("`{field}` is missing{hint}")));
                fixes.push((field, Value::Object(Default::default())));
            }
            Some(Value::Object(_)) => {}
            Some(other) => {
                violations
                    .push(NOT_AN_OBJECT.at(field, format!("`{field}` must be an object, found {}", describe(other))));
                fixes.push((field, Value::Object(Default::default())));
            }
        }
    }
    // `name: null` (in YAML, `name:` with nothing after it) is as missing as no `name` (found by fuzzing: render
    // refused what validation accepted).
    if root
        .get("metadata")
        .and_then(|m| m.get("name"))
        .is_none_or(Value::is_null)
    {
        violations.push(REQUIRED_FIELD.at(
            "metadata.name",
            "`metadata.name` is missing or null; name the cluster, e.g. `rec`",
        ));
    }
    fixes
}

/// Deserializes with repair: each round reports the first error, removes the offending value and retries.
fn parse_typed(value: Value) -> (Option<Box<RecObject>>, Vec<Violation>) {
    let mut working = Working::new(value);
    let mut violations = Vec::new();
    let mut unknown: BTreeSet<JsonPath> = BTreeSet::new();
    for _ in 0..MAX_ROUNDS {
        let (result, ignored) = deserialize(&working.value);
        unknown.extend(ignored.iter().map(|p| working.original(p)).filter(reportable_unknown));
        match result {
            Ok(rec) => {
                violations.extend(unknown.iter().map(unknown_field));
                return (Some(rec), violations);
            }
            Err(error) => {
                let (violation, remove) = classify(&working, error.path(), error.message());
                violations.push(violation);
                if !working.remove(&remove) {
                    break;
                }
            }
        }
    }
    violations.extend(unknown.iter().map(unknown_field));
    violations.push(TOO_MANY_ERRORS.at(
        ".",
        format!("stopped after {MAX_ROUNDS} structural errors (or one that cannot be isolated); fix these and validate again"),
    ));
    (None, violations)
}

/// Whether an ignored field is an unknown field to report: not `status` (written by the operator and not read:
/// see `RecObject`), and not the root `apiVersion`/`kind` (checked on the raw object by `check_root`, not read by
/// the typed model).
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
    let message = match super::suggest::did_you_mean(&parent, &name) {
        Some(known) => format!("unknown field `{name}` in `{parent}`; did you mean `{known}`?"),
        None => format!("unknown field `{name}` in `{parent}`; check its spelling and place, or remove it"),
    };
    UNKNOWN_FIELD.at(path, message)
}

/// The violation for one serde error at `at` (a path in the working copy), and the path to remove to get past it.
pub(crate) fn classify(working: &Working, at: &JsonPath, message: &str) -> (Violation, JsonPath) {
    let original = working.original(at);
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|m| m.strip_suffix('`'))
    {
        // The struct at `at` lacks a field: report the field, remove the whole struct.
        let path = original.key(field);
        let v = REQUIRED_FIELD.at(&path, format!("`{field}` is required in `{original}`; add it"));
        return (v, at.clone());
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        return (
            ENUM_VALUE.at(&original, format!("value {}", rest.replace(", expected", "; expected"))),
            at.clone(),
        );
    }
    let detail = message
        .strip_prefix("invalid type: ")
        .map(|m| format!("wrong type: {}", plain_types(m)))
        .or_else(|| {
            message
                .strip_prefix("invalid value: ")
                .map(|m| format!("value out of range: {m}"))
        })
        .unwrap_or_else(|| message.to_string());
    (TYPE_MISMATCH.at(&original, detail), at.clone())
}

/// Serde's Rust type names in words a YAML author knows (`expected struct PersistentSpec` is `expected an object
/// (PersistentSpec)`).
fn plain_types(message: &str) -> String {
    let message = match message.split_once("expected struct ") {
        Some((before, name)) => format!("{before}expected an object ({name})"),
        None => message.to_string(),
    };
    message
        .replace("expected i32", "expected a 32-bit integer")
        .replace("expected i64", "expected an integer")
        .replace("expected u32", "expected a non-negative 32-bit integer")
        .replace("expected u64", "expected a non-negative integer")
        .replace("expected f64", "expected a number")
}

/// A short description of a JSON value for messages.
pub fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A value as shown in a message, at most 80 characters.
pub(crate) fn shown(value: Option<&Value>) -> String {
    match value {
        None => "missing".into(),
        Some(v) => {
            let text = v.to_string();
            if text.chars().count() > 80 {
                format!("{}...", text.chars().take(80).collect::<String>())
            } else {
                text
            }
        }
    }
}
