//! Reading Kubernetes objects held as JSON: labels, selectors, owner references, quantities, timestamps, and the
//! "semantic" equality the API server's validation uses (an empty list is a missing list, `1Gi` is `1024Mi`).
//! Shared by the API server's rules, the controller simulation and the invariant checks.

use jiff::Timestamp;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use kube::core::{Selector, SelectorExt};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The string at `pointer` (`/metadata/name`), if any.
pub fn str_at<'a>(object: &'a Value, pointer: &str) -> Option<&'a str> {
    object.pointer(pointer).and_then(Value::as_str)
}

/// `metadata.name`, or `""`.
pub fn name(object: &Value) -> &str {
    str_at(object, "/metadata/name").unwrap_or_default()
}

/// `metadata.uid`, or `""`.
pub fn uid(object: &Value) -> &str {
    str_at(object, "/metadata/uid").unwrap_or_default()
}

/// Whether `metadata.deletionTimestamp` is set.
pub fn terminating(object: &Value) -> bool {
    object
        .pointer("/metadata/deletionTimestamp")
        .is_some_and(|t| !t.is_null())
}

/// `metadata.labels` as a map (non-string values are skipped).
pub fn labels(object: &Value) -> BTreeMap<String, String> {
    object
        .pointer("/metadata/labels")
        .and_then(Value::as_object)
        .map(|labels| {
            labels
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether `labels` satisfy the `LabelSelector` `selector` (matchLabels and matchExpressions). A missing or
/// unreadable selector matches nothing, as for a StatefulSet.
pub fn selector_matches(selector: &Value, labels: &BTreeMap<String, String>) -> bool {
    let Ok(selector) = serde_json::from_value::<LabelSelector>(selector.clone()) else {
        return false;
    };
    if selector.match_labels.as_ref().is_none_or(BTreeMap::is_empty)
        && selector.match_expressions.as_ref().is_none_or(Vec::is_empty)
    {
        return false;
    }
    Selector::try_from(selector).is_ok_and(|s| s.matches(labels))
}

/// The owner reference with `controller: true`, if any.
pub fn controller_of(object: &Value) -> Option<&Value> {
    owner_references(object).find(|r| r.get("controller").and_then(Value::as_bool) == Some(true))
}

/// Every owner reference.
pub fn owner_references(object: &Value) -> impl Iterator<Item = &Value> {
    object
        .pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// A quantity in milli-units (`1Gi` -> 1073741824000), if it parses.
pub fn quantity(value: &Value) -> Option<i128> {
    rec_core::quantity::parse(value.as_str()?).ok().map(|m| m.0)
}

/// A timestamp as the API writes it (RFC 3339, seconds).
pub fn time(at: Timestamp) -> Value {
    Value::String(at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// A timestamp field, if it parses.
pub fn parse_time(value: Option<&Value>) -> Option<Timestamp> {
    value?.as_str()?.parse().ok()
}

/// `value` as validation compares it: no nulls, no empty lists or maps, quantities (under `requests`,
/// `limits`, `capacity`) in one canonical form. Two objects that differ only in those ways are equal.
pub fn semantic(value: &Value) -> Value {
    semantic_in(value, "")
}

fn semantic_in(value: &Value, key: &str) -> Value {
    match value {
        Value::Object(map) => {
            let quantities = matches!(key, "requests" | "limits" | "capacity");
            let mut out = Map::new();
            for (k, v) in map {
                let v = match (quantities, quantity(v)) {
                    (true, Some(milli)) => Value::String(format!("{milli}m")),
                    _ => semantic_in(v, k),
                };
                if !empty(&v) {
                    out.insert(k.clone(), v);
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| semantic_in(v, "")).collect()),
        other => other.clone(),
    }
}

fn empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// The JSON text of `value` with every map's keys sorted: the same object always gives the same text, whatever
/// order its writer used.
pub fn canonical(value: &Value) -> String {
    fn sorted(value: &Value) -> Value {
        match value {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                Value::Object(keys.into_iter().map(|k| (k.clone(), sorted(&map[k]))).collect())
            }
            Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    sorted(value).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn selectors_match_labels_and_expressions() {
        let labels = labels(&json!({ "metadata": { "labels": { "app": "redis", "tier": "db" } } }));
        assert!(selector_matches(&json!({ "matchLabels": { "app": "redis" } }), &labels));
        assert!(!selector_matches(
            &json!({ "matchLabels": { "app": "other" } }),
            &labels
        ));
        let expression = json!({ "matchExpressions": [{ "key": "tier", "operator": "In", "values": ["db"] }] });
        assert!(selector_matches(&expression, &labels));
        assert!(
            !selector_matches(&json!({}), &labels),
            "an empty selector selects nothing"
        );
    }

    #[test]
    fn semantic_equality_ignores_empties_and_quantity_spelling() {
        let a = json!({ "resources": { "requests": { "storage": "1Gi" } }, "tolerations": [], "x": null });
        let b = json!({ "resources": { "requests": { "storage": "1024Mi" } } });
        assert_eq!(semantic(&a), semantic(&b));
        let c = json!({ "resources": { "requests": { "storage": "2Gi" } } });
        assert_ne!(semantic(&a), semantic(&c));
        assert_eq!(
            canonical(&json!({ "b": 1, "a": [{ "d": 1, "c": 2 }] })),
            r#"{"a":[{"c":2,"d":1}],"b":1}"#
        );
    }

    #[test]
    fn times_are_rfc3339() {
        let at: Timestamp = "2025-01-01T00:00:05Z".parse().expect("a time");
        assert_eq!(time(at), json!("2025-01-01T00:00:05Z"));
        assert_eq!(parse_time(Some(&time(at))), Some(at));
    }
}
