//! JSON paths of fields, written `spec.persistentSpec.volumeSize`, `spec.podTolerations[0].key`, and
//! `spec.podAnnotations["redis.io/last-keys"]` for a key that is not a plain word; the root is `.`.
//!
//! Also the bookkeeping of the structural repair loop: removing a bad value from a working copy of the input, and
//! mapping an array index of the working copy back to the index the user wrote. Does not read or judge values.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// One step of a path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

/// A path from the root of the object.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct JsonPath(pub Vec<Seg>);

impl JsonPath {
    /// The path with one more key.
    pub fn key(&self, key: &str) -> JsonPath {
        let mut segs = self.0.clone();
        segs.push(Seg::Key(key.to_string()));
        JsonPath(segs)
    }

    /// The path without its last step (`None` at the root).
    pub fn parent(&self) -> Option<JsonPath> {
        let (_, head) = self.0.split_last()?;
        Some(JsonPath(head.to_vec()))
    }

    /// Whether the path starts with the key `first`.
    pub fn starts_with_key(&self, first: &str) -> bool {
        matches!(self.0.first(), Some(Seg::Key(k)) if k == first)
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str(".");
        }
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Index(n) => write!(f, "[{n}]")?,
                Seg::Key(k) if is_plain(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
                Seg::Key(k) => write!(f, "[{}]", Value::String(k.clone()))?,
            }
        }
        Ok(())
    }
}

/// `base` followed by the map key `key`, quoted when it is not a plain word.
pub(crate) fn join(base: &str, key: &str) -> String {
    if is_plain(key) {
        format!("{base}.{key}")
    } else {
        format!("{base}[{}]", Value::String(key.to_string()))
    }
}

/// The value at a path as [`JsonPath`] writes it (`spec.a.b[0]`, `spec.m["k.x"]`, `.` for the root); `None` when
/// the path does not parse or names nothing.
pub(crate) fn value_at<'v>(root: &'v Value, path: &str) -> Option<&'v Value> {
    if path == "." {
        return Some(root);
    }
    let mut value = root;
    let mut rest = path;
    let mut first = true;
    while !rest.is_empty() {
        if let Some(inner) = rest.strip_prefix('[') {
            if inner.starts_with('"') {
                let mut strings = serde_json::Deserializer::from_slice(inner.as_bytes()).into_iter::<String>();
                let key = strings.next()?.ok()?;
                rest = inner[strings.byte_offset()..].strip_prefix(']')?;
                value = value.get(key.as_str())?;
            } else {
                let (digits, after) = inner.split_once(']')?;
                value = value.get(digits.parse::<usize>().ok()?)?;
                rest = after;
            }
        } else {
            let body = if first { rest } else { rest.strip_prefix('.')? };
            let end = body.find(['.', '[']).unwrap_or(body.len());
            value = value.get(&body[..end])?;
            rest = &body[end..];
        }
        first = false;
    }
    Some(value)
}

/// A key that reads unambiguously after a dot.
fn is_plain(key: &str) -> bool {
    !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A path that is written only when a rule reports at it. The resource rules walk every quantity and resource
/// block of the spec on every validation, and almost never find a violation: building each path as a `String`
/// up front (`format!`, `join`) was two thirds of what `quantity-invalid` cost, 8% of validating the example REC
/// in the core module (where formatting runs 2.6x slower than natively; `rec-bench --profile reused example`).
/// A `Loc` is a few borrowed steps on the stack; its `Display` writes what `format!` and [`join`] wrote.
#[derive(Clone, Copy)]
pub(crate) struct Loc<'a> {
    steps: [Step<'a>; Loc::MAX_STEPS],
    len: usize,
}

#[derive(Clone, Copy)]
enum Step<'a> {
    /// Plain field names, already joined with dots (`spec.persistentSpec`).
    Fields(&'static str),
    Index(usize),
    /// A map key: after a dot when plain, else quoted in brackets.
    Key(&'a str),
}

impl<'a> Loc<'a> {
    /// More than the deepest path a rule writes (`spec.servicesRiggerSpec.servicesRiggerAdditionalPodSpecAttributes`
    /// `.initContainers[0].resources.limits[key]`: 6 steps).
    const MAX_STEPS: usize = 8;

    /// The path of plain `fields` from the root.
    pub const fn new(fields: &'static str) -> Self {
        Loc {
            steps: [Step::Fields(fields); Loc::MAX_STEPS],
            len: 1,
        }
    }

    pub fn field(self, fields: &'static str) -> Self {
        self.push(Step::Fields(fields))
    }

    pub fn index(self, index: usize) -> Self {
        self.push(Step::Index(index))
    }

    pub fn key(self, key: &'a str) -> Self {
        self.push(Step::Key(key))
    }

    fn push(mut self, step: Step<'a>) -> Self {
        debug_assert!(self.len < Loc::MAX_STEPS, "a Loc deeper than {} steps", Loc::MAX_STEPS);
        if let Some(slot) = self.steps.get_mut(self.len) {
            *slot = step;
            self.len += 1;
        }
        self
    }
}

impl fmt::Display for Loc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.steps[..self.len].iter().enumerate() {
            match step {
                Step::Fields(fields) if i == 0 => f.write_str(fields)?,
                Step::Fields(fields) => write!(f, ".{fields}")?,
                Step::Index(n) => write!(f, "[{n}]")?,
                Step::Key(k) if is_plain(k) => write!(f, ".{k}")?,
                Step::Key(k) => write!(f, "[{}]", Value::String((*k).to_string()))?,
            }
        }
        Ok(())
    }
}

/// A working copy of the input from which bad values are removed one by one, remembering which array items went,
/// so that a path in the copy can be written as a path in the input.
#[derive(Debug)]
pub(crate) struct Working {
    pub value: Value,
    /// Original path of an array (displayed) -> original indices removed from it.
    removed: BTreeMap<String, BTreeSet<usize>>,
}

impl Working {
    pub fn new(value: Value) -> Self {
        Self {
            value,
            removed: BTreeMap::new(),
        }
    }

    /// The path in the input of a path in the working copy.
    pub fn original(&self, path: &JsonPath) -> JsonPath {
        let mut out = JsonPath::default();
        for seg in &path.0 {
            let seg = match seg {
                Seg::Index(i) => Seg::Index(match self.removed.get(&out.to_string()) {
                    Some(gone) => nth_kept(gone, *i),
                    None => *i,
                }),
                key => key.clone(),
            };
            out.0.push(seg);
        }
        out
    }

    /// Removes the value at `path` (a path in the working copy). False when there is nothing there to remove
    /// (the root cannot be removed).
    pub fn remove(&mut self, path: &JsonPath) -> bool {
        let Some((last, head)) = path.0.split_last() else {
            return false;
        };
        let original_parent = self.original(&JsonPath(head.to_vec()));
        let original_last = self.original(path).0.pop();
        let mut at = &mut self.value;
        for seg in head {
            let next = match (seg, at) {
                (Seg::Key(k), Value::Object(map)) => map.get_mut(k),
                (Seg::Index(i), Value::Array(items)) => items.get_mut(*i),
                _ => None,
            };
            match next {
                Some(v) => at = v,
                None => return false,
            }
        }
        match (last, at) {
            (Seg::Key(k), Value::Object(map)) => map.shift_remove(k).is_some(),
            (Seg::Index(i), Value::Array(items)) if *i < items.len() => {
                items.remove(*i);
                if let Some(Seg::Index(orig)) = original_last {
                    self.removed
                        .entry(original_parent.to_string())
                        .or_default()
                        .insert(orig);
                }
                true
            }
            _ => false,
        }
    }
}

/// The `n`th index (from 0) that is not in `gone`.
fn nth_kept(gone: &BTreeSet<usize>, n: usize) -> usize {
    let mut kept = 0;
    let mut i = 0;
    loop {
        if !gone.contains(&i) {
            if kept == n {
                return i;
            }
            kept += 1;
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn p(segs: &[Seg]) -> JsonPath {
        JsonPath(segs.to_vec())
    }
    fn k(s: &str) -> Seg {
        Seg::Key(s.into())
    }

    #[test]
    fn finds_the_value_at_a_written_path() {
        let root = serde_json::json!({"spec": {"a": [{"b": 1}], "m": {"k.x]\"": 2, "p": {"q": 3}}}});
        let at = |p: &str| value_at(&root, p).cloned();
        assert_eq!(at("spec.a[0].b"), Some(serde_json::json!(1)));
        assert_eq!(at(&join("spec.m", "k.x]\"")), Some(serde_json::json!(2)));
        assert_eq!(at("spec.m.p.q"), Some(serde_json::json!(3)));
        assert_eq!(at("."), Some(root.clone()));
        for missing in ["spec.a[1]", "spec.x", "spec.a[x]", "spec..a", "spec.a[0", "spec.m[\"k"] {
            assert_eq!(at(missing), None, "{missing}");
        }
    }

    #[test]
    fn displays_paths() {
        assert_eq!(p(&[]).to_string(), ".");
        assert_eq!(
            p(&[k("spec"), k("persistentSpec"), k("volumeSize")]).to_string(),
            "spec.persistentSpec.volumeSize"
        );
        assert_eq!(
            p(&[k("spec"), k("podTolerations"), Seg::Index(0), k("key")]).to_string(),
            "spec.podTolerations[0].key"
        );
        assert_eq!(
            p(&[k("spec"), k("podAnnotations"), k("redis.io/last-keys")]).to_string(),
            r#"spec.podAnnotations["redis.io/last-keys"]"#
        );
    }

    #[test]
    fn a_loc_writes_what_format_and_join_wrote() {
        let base = Loc::new("spec.redisEnterpriseAdditionalPodSpecAttributes");
        assert_eq!(base.to_string(), "spec.redisEnterpriseAdditionalPodSpecAttributes");
        let block = base.field("initContainers").index(2).field("resources");
        let deepest = format!("{}.initContainers[2].resources", base);
        assert_eq!(block.to_string(), deepest);
        for key in ["memory", "cpu", "nvidia.com/gpu", "", "a b"] {
            let loc = block.field("limits").key(key);
            assert_eq!(loc.to_string(), join(&format!("{deepest}.limits"), key), "key {key:?}");
        }
        let six = Loc::new("spec.servicesRiggerSpec.servicesRiggerAdditionalPodSpecAttributes")
            .field("initContainers")
            .index(0)
            .field("resources")
            .field("limits")
            .key("x/y");
        assert_eq!(
            six.to_string(),
            r#"spec.servicesRiggerSpec.servicesRiggerAdditionalPodSpecAttributes.initContainers[0].resources.limits["x/y"]"#
        );
    }

    #[test]
    fn removes_array_items_and_keeps_original_indices() {
        let mut w = Working::new(json!({"a": [0, 1, 2, 3]}));
        assert!(w.remove(&p(&[k("a"), Seg::Index(1)])));
        assert_eq!(w.value, json!({"a": [0, 2, 3]}));
        // Item 1 of the copy is item 2 of the input.
        assert_eq!(w.original(&p(&[k("a"), Seg::Index(1)])).to_string(), "a[2]");
        assert!(w.remove(&p(&[k("a"), Seg::Index(1)])));
        assert_eq!(w.original(&p(&[k("a"), Seg::Index(1)])).to_string(), "a[3]");
        assert_eq!(w.original(&p(&[k("a"), Seg::Index(0)])).to_string(), "a[0]");
        assert!(!w.remove(&p(&[])));
        assert!(!w.remove(&p(&[k("b"), k("c")])));
    }
}
