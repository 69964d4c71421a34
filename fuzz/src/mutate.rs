//! Structure-aware RECs for the render target: start from a valid REC of the agreement corpus and apply a few
//! mutations chosen by the fuzzer: graft a spec section from another valid REC (optional sections on and off in
//! real shapes), set a field to a value of a related kind (numbers, quantities, images, booleans, enum-like
//! words, any text), remove a field, or rename the REC.
//!
//! The bases are read once from `wasm-tests/corpus/{valid,render}` (every case expected valid), so new valid
//! cases widen the fuzzing without touching this file; a built-in baseline REC stands in when that directory
//! cannot be read.

use arbitrary::{Arbitrary, Result, Unstructured};
use serde_json::{Value, json};
use std::sync::OnceLock;

/// Reads the bases and builds the tables once, before fuzzing starts.
pub fn warm_up() {
    bases();
    spec_fields();
    crate::json::warm_up();
}

/// Every valid REC of the corpus (at least the baseline).
pub fn bases() -> &'static [Value] {
    static BASES: OnceLock<Vec<Value>> = OnceLock::new();
    BASES.get_or_init(|| {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../wasm-tests/corpus");
        let mut out: Vec<Value> = ["valid", "render"]
            .iter()
            .filter_map(|group| std::fs::read_dir(format!("{root}/{group}")).ok())
            .flatten()
            .filter_map(|entry| std::fs::read(entry.ok()?.path()).ok())
            .filter_map(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
            .filter(|case| case.pointer("/expect/outcome") == Some(&json!("valid")))
            .filter_map(|case| case.pointer("/request/object").cloned())
            .collect();
        out.sort_by_key(|v| v.to_string());
        if out.is_empty() {
            out.push(baseline());
        }
        out
    })
}

fn baseline() -> Value {
    json!({
        "apiVersion": "app.redislabs.com/v1", "kind": "RedisEnterpriseCluster",
        "metadata": {"name": "rec", "namespace": "ns"},
        "spec": {"nodes": 3,
            "redisEnterpriseNodeResources": {"requests": {"cpu": "2", "memory": "8Gi"},
                                             "limits": {"cpu": "2", "memory": "8Gi"}},
            "persistentSpec": {"enabled": true, "volumeSize": "40Gi"}}
    })
}

#[rustfmt::skip]
const UNITS: &[&str] = &[
    "", "m", "k", "M", "G", "T", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "e3", "E2", "e-3", "x", " Gi",
];
#[rustfmt::skip]
const IMAGES: &[&str] = &[
    "redislabs/redis", "docker.io/redislabs/redis", "registry.example.com:5000/redislabs/redis", "", "UPPER/x",
];
const TAGS: &[&str] = &[
    "8.0.20-44",
    "8.0.20-23",
    "latest",
    "",
    "7.4.2-54",
    "sha256:0123456789abcdef",
];

/// A scalar chosen by kind.
#[derive(Arbitrary, Debug)]
pub enum Scalar {
    Null,
    Bool(bool),
    Small(i8),
    Int(i64),
    Float(f64),
    Quantity { n: u32, frac: bool, unit: u8 },
    Word(u8),
    Image { repo: u8, tag: u8 },
    Text(String),
}

impl Scalar {
    fn value(&self) -> Value {
        let pick = |list: &[&str], i: u8| list[usize::from(i) % list.len()].to_string();
        match self {
            Scalar::Null => Value::Null,
            Scalar::Bool(b) => json!(b),
            Scalar::Small(n) => json!(n),
            Scalar::Int(n) => json!(n),
            Scalar::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Scalar::Quantity { n, frac, unit } => {
                json!(format!("{n}{}{}", if *frac { ".5" } else { "" }, pick(UNITS, *unit)))
            }
            Scalar::Word(i) => json!(pick(crate::json::WORDS, *i)),
            Scalar::Image { repo, tag } => json!(format!("{}:{}", pick(IMAGES, *repo), pick(TAGS, *tag))),
            Scalar::Text(s) => json!(s),
        }
    }
}

/// One change to the REC.
#[derive(Arbitrary, Debug)]
pub enum Mutation {
    /// Copy the `field`-th spec field of base `from` into the REC (an optional section switched on).
    Graft { from: u16, field: u16 },
    /// Set the `leaf`-th scalar of the REC (document order) to a value.
    Set { leaf: u16, value: Scalar },
    /// Remove the `leaf`-th scalar of the REC.
    Remove { leaf: u16 },
    /// Remove the `field`-th spec field (an optional section switched off).
    Drop { field: u16 },
    /// Set a spec field (by index into the CRD's spec properties) to a value.
    Add { field: u16, value: Scalar },
}

/// A valid base REC with the fuzzer's mutations applied.
pub fn mutated(u: &mut Unstructured) -> Result<Value> {
    let bases = bases();
    let mut rec = u.choose(bases)?.clone();
    let n = u.int_in_range(0..=6)?;
    for _ in 0..n {
        apply(&mut rec, &u.arbitrary()?);
    }
    Ok(rec)
}

fn apply(rec: &mut Value, mutation: &Mutation) {
    let bases = bases();
    match mutation {
        Mutation::Graft { from, field } => {
            let Some(Value::Object(spec)) = bases[usize::from(*from) % bases.len()].get("spec") else {
                return;
            };
            if let Some((k, v)) = nth(spec.iter(), *field) {
                with_spec(rec, |s| {
                    s.insert(k.clone(), v.clone());
                });
            }
        }
        Mutation::Set { leaf, value } => {
            let leaves = leaves(rec);
            if let Some(pointer) = nth(leaves.iter(), *leaf)
                && let Some(slot) = rec.pointer_mut(pointer)
            {
                *slot = value.value();
            }
        }
        Mutation::Remove { leaf } => {
            let leaves = leaves(rec);
            if let Some(pointer) = nth(leaves.iter(), *leaf) {
                remove(rec, pointer);
            }
        }
        Mutation::Drop { field } => with_spec(rec, |s| {
            if let Some(k) = nth(s.keys(), *field).cloned() {
                s.remove(&k);
            }
        }),
        Mutation::Add { field, value } => {
            if let Some(k) = nth(spec_fields().iter(), *field) {
                with_spec(rec, |s| {
                    s.insert(k.clone(), value.value());
                });
            }
        }
    }
}

fn nth<T>(mut items: impl ExactSizeIterator<Item = T>, i: u16) -> Option<T> {
    let len = items.len();
    if len == 0 {
        None
    } else {
        items.nth(usize::from(i) % len)
    }
}

/// Runs `f` on the REC's spec, made an empty map first when it is not one.
fn with_spec(rec: &mut Value, f: impl FnOnce(&mut serde_json::Map<String, Value>)) {
    let Some(map) = rec.as_object_mut() else { return };
    let spec = map.entry("spec").or_insert_with(|| json!({}));
    if !spec.is_object() {
        *spec = json!({});
    }
    if let Value::Object(spec) = spec {
        f(spec);
    }
}

/// The top-level spec fields of the CRD.
fn spec_fields() -> &'static [String] {
    static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
    FIELDS.get_or_init(|| {
        let crd = serde_json::to_value(rec_core::crd::crd()).unwrap_or_default();
        crd.pointer("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties")
            .and_then(Value::as_object)
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default()
    })
}

/// JSON pointers of every scalar (and empty container) in document order.
fn leaves(value: &Value) -> Vec<String> {
    fn walk(value: &Value, at: String, out: &mut Vec<String>) {
        let escape = |k: &str| k.replace('~', "~0").replace('/', "~1");
        match value {
            Value::Object(map) if !map.is_empty() => map
                .iter()
                .for_each(|(k, v)| walk(v, format!("{at}/{}", escape(k)), out)),
            Value::Array(items) if !items.is_empty() => items
                .iter()
                .enumerate()
                .for_each(|(i, v)| walk(v, format!("{at}/{i}"), out)),
            _ => out.push(at),
        }
    }
    let mut out = Vec::new();
    walk(value, String::new(), &mut out);
    out
}

fn remove(rec: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let key = last.replace("~1", "/").replace("~0", "~");
    match rec.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = key.parse::<usize>()
                && i < items.len()
            {
                items.remove(i);
            }
        }
        _ => {}
    }
}
