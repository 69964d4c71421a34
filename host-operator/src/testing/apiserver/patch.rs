//! The four ways a client changes part of an object, computed on the stored object so the result can be checked
//! (and refused) before anything is stored: JSON patch (RFC 6902), JSON merge patch (RFC 7386), strategic merge
//! patch and server-side apply.
//!
//! Strategic merge knows the merge keys that matter for the kinds served here (containers, volumes and env by
//! `name`, volume mounts by `mountPath`, owner references by `uid`, conditions by `type`, finalizers as a set)
//! and the `$patch` / `$deleteFromPrimitiveList` directives; other lists are replaced, as for list fields
//! without a patch strategy. Server-side apply is modelled for what the operator relies on, not field by field:
//! a manager's fields are the ones it applied last time, so a field it applied before and leaves out now is
//! removed, fields others set stay, lists are atomic, and ownership conflicts are never reported (every
//! applier wins, as with `force`).

use serde_json::{Map, Value};

/// An RFC 6902 patch applied to `doc`.
pub fn json(doc: &mut Value, patch: &Value) -> Result<(), String> {
    let patch: json_patch::Patch = serde_json::from_value(patch.clone()).map_err(|e| e.to_string())?;
    json_patch::patch(doc, &patch.0).map_err(|e| e.to_string())
}

/// An RFC 7386 merge patch applied to `doc` (`null` removes, lists are replaced).
pub fn merge(doc: &mut Value, patch: &Value) {
    json_patch::merge(doc, patch)
}

/// The merge key of a list field in a strategic merge patch; `None` for a list that is replaced.
fn merge_key(field: &str) -> Option<&'static str> {
    Some(match field {
        "containers" | "initContainers" | "ephemeralContainers" | "volumes" | "env" | "imagePullSecrets" => "name",
        "volumeMounts" => "mountPath",
        "ownerReferences" => "uid",
        "conditions" => "type",
        _ => return None,
    })
}

/// A strategic merge patch applied to `doc`.
pub fn strategic(doc: &mut Value, patch: &Value) {
    let (Some(patch), true) = (patch.as_object(), doc.is_object()) else {
        *doc = patch.clone();
        return;
    };
    match patch.get("$patch").and_then(Value::as_str) {
        Some("replace") => {
            let mut replacement = patch.clone();
            replacement.remove("$patch");
            *doc = Value::Object(replacement);
            return;
        }
        Some("delete") => {
            *doc = Value::Object(Map::new());
            return;
        }
        _ => {}
    }
    let Some(target) = doc.as_object_mut() else {
        return;
    };
    for (key, value) in patch {
        if let Some(list) = key.strip_prefix("$deleteFromPrimitiveList/") {
            if let (Some(Value::Array(have)), Some(gone)) = (target.get_mut(list), value.as_array()) {
                have.retain(|item| !gone.contains(item));
            }
            continue;
        }
        if key.starts_with('$') {
            // $setElementOrder and $retainKeys only order or prune what the rest of the patch says.
            continue;
        }
        match value {
            Value::Null => {
                target.remove(key);
            }
            Value::Array(items) => match (target.get_mut(key), merge_key(key)) {
                (Some(Value::Array(have)), Some(merge_key)) => merge_list(have, items, merge_key),
                (Some(Value::Array(have)), None) if key == "finalizers" => {
                    for item in items {
                        if !have.contains(item) {
                            have.push(item.clone());
                        }
                    }
                }
                _ => {
                    let mut items = items.clone();
                    items.retain(|item| item.get("$patch").is_none());
                    target.insert(key.clone(), Value::Array(items));
                }
            },
            _ => strategic(target.entry(key.clone()).or_insert(Value::Null), value),
        }
    }
}

fn merge_list(have: &mut Vec<Value>, patch: &[Value], merge_key: &str) {
    for item in patch {
        let key = item.get(merge_key).cloned();
        let position = key
            .as_ref()
            .and_then(|key| have.iter().position(|h| h.get(merge_key) == Some(key)));
        let delete = item.get("$patch").and_then(Value::as_str) == Some("delete");
        match (position, delete) {
            (Some(at), true) => {
                have.remove(at);
            }
            (None, true) => {}
            (Some(at), false) => strategic(&mut have[at], item),
            (None, false) => have.push(item.clone()),
        }
    }
}

/// The object after a manager applies `applied` to `stored`, `previous` being what it applied last time.
pub fn apply(stored: &Value, applied: &Value, previous: Option<&Value>) -> Value {
    let mut out = stored.clone();
    if let Some(previous) = previous {
        release(&mut out, previous, applied);
    }
    overlay(&mut out, applied);
    out
}

/// Removes from `out` what the manager applied before (`previous`) and leaves out now (`applied`).
fn release(out: &mut Value, previous: &Value, applied: &Value) {
    let (Some(out), Some(previous)) = (out.as_object_mut(), previous.as_object()) else {
        return;
    };
    for (key, before) in previous {
        match applied.get(key) {
            None | Some(Value::Null) => {
                out.remove(key);
            }
            Some(now) if before.is_object() && now.is_object() => {
                if let Some(inner) = out.get_mut(key) {
                    release(inner, before, now);
                }
            }
            Some(_) => {}
        }
    }
}

/// Sets every field of `applied` in `out`: maps field by field, anything else (lists too) as a whole.
fn overlay(out: &mut Value, applied: &Value) {
    match (out.as_object_mut(), applied.as_object()) {
        (Some(out), Some(applied)) => {
            for (key, value) in applied {
                if value.is_null() {
                    out.remove(key);
                } else if value.is_object() && out.get(key).is_some_and(Value::is_object) {
                    if let Some(inner) = out.get_mut(key) {
                        overlay(inner, value);
                    }
                } else {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        _ => *out = applied.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strategic_merge_merges_containers_by_name_and_replaces_other_lists() {
        let mut doc = json!({
            "containers": [{ "name": "a", "image": "1", "args": ["x"] }, { "name": "b", "image": "1" }],
            "tolerations": [{ "key": "t" }],
            "finalizers": ["f1"],
        });
        strategic(
            &mut doc,
            &json!({
                "containers": [{ "name": "a", "image": "2" }, { "name": "b", "$patch": "delete" }, { "name": "c" }],
                "tolerations": [{ "key": "u" }],
                "finalizers": ["f2"],
                "$setElementOrder/containers": [{ "name": "a" }],
            }),
        );
        assert_eq!(
            doc,
            json!({
                "containers": [{ "name": "a", "image": "2", "args": ["x"] }, { "name": "c" }],
                "tolerations": [{ "key": "u" }],
                "finalizers": ["f1", "f2"],
            })
        );
        strategic(&mut doc, &json!({ "$deleteFromPrimitiveList/finalizers": ["f1"] }));
        assert_eq!(doc["finalizers"], json!(["f2"]));
        strategic(&mut doc, &json!({ "tolerations": null }));
        assert!(doc.get("tolerations").is_none());
    }

    #[test]
    fn apply_removes_only_what_the_manager_applied_before_and_left_out() {
        let stored = json!({ "spec": { "replicas": 3, "paused": true, "mine": 1, "list": [1, 2] }, "status": {} });
        let previous = json!({ "spec": { "replicas": 3, "mine": 1, "list": [1, 2] } });
        let applied = json!({ "spec": { "replicas": 5, "list": [3] } });
        assert_eq!(
            apply(&stored, &applied, Some(&previous)),
            json!({ "spec": { "replicas": 5, "paused": true, "list": [3] }, "status": {} })
        );
        // Without a previous apply, nothing is released.
        assert_eq!(apply(&stored, &applied, None)["spec"]["mine"], 1);
    }

    #[test]
    fn json_patches_apply_or_fail() {
        let mut doc = json!({ "metadata": { "finalizers": ["a", "b"] } });
        json(&mut doc, &json!([{ "op": "remove", "path": "/metadata/finalizers/0" }])).expect("applies");
        assert_eq!(doc["metadata"]["finalizers"], json!(["b"]));
        assert!(
            json(
                &mut doc,
                &json!([{ "op": "test", "path": "/metadata/finalizers/0", "value": "a" }])
            )
            .is_err()
        );
        assert!(json(&mut doc, &json!({ "not": "a patch" })).is_err());
    }
}
