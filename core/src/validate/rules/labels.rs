//! Labels and annotation keys the API server refuses. The render copies `extraLabels` onto every object, the
//! `nodeSelector`s into the pod templates and the annotation maps onto pods and Services; one bad key or value
//! and the API server refuses each of those objects, with a message about the rendered object rather than the
//! REC. Kubernetes' rules (`IsQualifiedName`, `IsValidLabelValue`): a key is an optional DNS-1123 subdomain prefix
//! and `/`, then a name of 1-63 letters, digits, `-`, `_` or `.` that starts and ends with a letter or digit; a
//! label value is empty or such a name. Annotation values are free text.

use super::super::catalogue::LABEL_INVALID;
use super::super::path::join;
use super::misc::annotation_maps;
use super::names::is_dns1123_subdomain;
use super::{Ctx, pod_attributes, quoted};
use crate::RedisEnterpriseClusterSpec;
use crate::validate::Violation;
use std::collections::BTreeMap;

/// Why `name` is not the name part of a qualified name, or a label value (`None`: it is one).
fn name_problem(name: &str) -> Option<&'static str> {
    let b = name.as_bytes();
    let inner = |c: &u8| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.');
    if b.len() > 63 {
        Some("is longer than 63 characters")
    } else if !b.iter().all(inner) {
        Some("may hold only letters, digits, '-', '_' and '.'")
    } else if !b.first().is_some_and(u8::is_ascii_alphanumeric) || !b.last().is_some_and(u8::is_ascii_alphanumeric) {
        Some("must start and end with a letter or digit")
    } else {
        None
    }
}

/// Why `key` is not a qualified name (`None`: it is one).
fn key_problem(key: &str) -> Option<String> {
    let (prefix, name) = match key.split_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, key),
    };
    if let Some(prefix) = prefix
        && !is_dns1123_subdomain(prefix)
    {
        return Some(format!(
            "its prefix {} is not a DNS-1123 subdomain (lowercase letters, digits, '-' and '.')",
            quoted(prefix)
        ));
    }
    if name.contains('/') {
        return Some("it holds more than one '/'".into());
    }
    if name.is_empty() {
        return Some("its name is empty".into());
    }
    name_problem(name).map(|why| format!("its name {why}"))
}

/// Every label map the render copies: `extraLabels` and the `nodeSelector`s (a node selector is matched against
/// node labels, and the API server checks it as labels).
fn label_maps(s: &RedisEnterpriseClusterSpec) -> Vec<(String, &BTreeMap<String, String>)> {
    let mut out: Vec<(String, &BTreeMap<String, String>)> = [
        ("spec.extraLabels", s.extra_labels.as_ref()),
        ("spec.nodeSelector", s.node_selector.as_ref()),
    ]
    .into_iter()
    .filter_map(|(path, map)| Some((path.to_string(), map?)))
    .collect();
    for (path, _, a) in pod_attributes(s) {
        if let Some(map) = &a.node_selector {
            out.push((format!("{path}.nodeSelector"), map));
        }
    }
    out
}

/// A label key or value, or an annotation key, that the API server refuses.
pub(crate) fn label_invalid(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    let mut check = |base: &str, key: &str, value: Option<&str>| {
        let what = if value.is_some() { "label" } else { "annotation" };
        if let Some(why) = key_problem(key) {
            out.push(LABEL_INVALID.at(
                join(base, key),
                format!("{what} key {} is refused by the API server: {why}", quoted(key)),
            ));
        }
        if let Some((value, why)) = value.and_then(|v| Some((v, name_problem(v).filter(|_| !v.is_empty())?))) {
            out.push(LABEL_INVALID.at(
                join(base, key),
                format!(
                    "label value {} is refused by the API server: it {why} (a label value is empty, or at most 63 \
                     letters, digits, '-', '_' and '.' starting and ending with a letter or digit)",
                    quoted(value)
                ),
            ));
        }
    };
    for (base, map) in label_maps(ctx.spec) {
        map.iter().for_each(|(key, value)| check(&base, key, Some(value)));
    }
    for (base, map) in annotation_maps(ctx.spec) {
        map.into_iter()
            .flat_map(BTreeMap::keys)
            .for_each(|key| check(base, key, None));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_qualified_names() {
        for good in ["app", "app.kubernetes.io/name", "a_b-c.d", "x/Y9", &"a".repeat(63)] {
            assert_eq!(key_problem(good), None, "{good}");
        }
        for bad in [
            "",
            "-a",
            "a-",
            "a b",
            "Example.com/x",
            "/x",
            "a/",
            "a/b/c",
            &"a".repeat(64),
            "ü",
        ] {
            assert!(key_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn values_are_empty_or_names() {
        assert_eq!(name_problem("v1.2_3-x"), None);
        assert!(name_problem("has space").is_some());
        assert!(name_problem(&"v".repeat(64)).is_some());
        assert!(name_problem(".x").is_some());
    }
}
