//! What the CRD tests of the REC (`crd.rs`) and the REDB (`crd_redb.rs`) share: reading the published CRD and
//! the shape of a schema (every property path with its type).

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every property path of a schema with its JSON type (`int-or-string` for quantities).
pub fn shape(schema: &Value, path: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    walk(schema, path, &mut out);
    out
}

fn walk(schema: &Value, path: &str, out: &mut BTreeMap<String, String>) {
    let schema = schema.get("openAPIV3Schema").unwrap_or(schema);
    let ty = if schema.get("x-kubernetes-int-or-string") == Some(&Value::Bool(true)) {
        "int-or-string".to_string()
    } else {
        schema.get("type").and_then(Value::as_str).unwrap_or("any").to_string()
    };
    if !path.is_empty() {
        out.insert(path.to_string(), ty);
    }
    if let Some(Value::Object(props)) = schema.get("properties") {
        for (name, child) in props {
            walk(child, &format!("{path}.{name}"), out);
        }
    }
    if let Some(items) = schema.get("items") {
        walk(items, &format!("{path}[]"), out);
    }
    if let Some(Value::Object(_)) = schema.get("additionalProperties") {
        walk(&schema["additionalProperties"], &format!("{path}{{}}"), out);
    }
}

/// The published CRD `file` (of `../shared/reference/`), when `../shared` is beside the checkout.
pub fn published(file: &str) -> Option<Value> {
    let path = repo().join("../shared/reference").join(file);
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!(
            "SKIPPED: {} is absent; the comparison with the published CRD did not run",
            path.display()
        );
        return None;
    };
    let parsed = rec_core::yaml::parse(&indent_quoted_continuations(&text));
    assert_eq!(parsed.error, None, "the published CRD reads");
    parsed.value
}

/// The published file continues multi-line single-quoted descriptions at their key's indentation, which YAML
/// 1.2 forbids (libyaml tolerates it; our reader does not). Indent those continuation lines two more spaces.
fn indent_quoted_continuations(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4096);
    let mut open = false;
    for line in text.lines() {
        if open {
            out.push_str("  ");
        }
        out.push_str(line);
        out.push('\n');
        let quotes = line.matches('\'').count();
        let starts = line.trim_start().split_once(": '").is_some();
        if open {
            open = quotes % 2 == 0;
        } else if starts {
            open = quotes % 2 == 1;
        }
    }
    out
}

pub fn version_schema(crd: &Value) -> Value {
    crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"].clone()
}

/// The paths of `theirs` that `ours` lacks or types otherwise, one line each.
pub fn missing(ours: &BTreeMap<String, String>, theirs: &BTreeMap<String, String>) -> Vec<String> {
    theirs
        .iter()
        .filter(|(k, v)| ours.get(*k) != Some(v))
        .map(|(k, v)| format!("{k}: {v} (ours: {})", ours.get(k).map_or("missing", String::as_str)))
        .collect()
}
