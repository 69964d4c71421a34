//! Structure-aware JSON from fuzzer bytes: any JSON value up to [`MAX_DEPTH`] deep, whose keys and strings are
//! mostly the REC's own field names and typical values, so the fuzzer reaches the typed model and the rules
//! instead of stopping at `unknown-field`.
//!
//! Bounded on purpose (depth, items per container): deep and huge inputs are the hostile corpus's job
//! (`wasm-tests/corpus/hostile`); here the fuzzer should spend its time on shapes, not size.

use arbitrary::{Result, Unstructured};
use serde_json::{Map, Number, Value};
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// The deepest value built (a REC nests about 12 deep).
pub const MAX_DEPTH: usize = 16;
/// The most items one array or object gets.
const MAX_ITEMS: usize = 8;

/// Strings the rules look at: quantities, NaN-likes, images, names, enum values.
#[rustfmt::skip]
pub const WORDS: &[&str] = &[
    "", "rec", "app.redislabs.com/v1", "app.redislabs.com/v1alpha1", "RedisEnterpriseCluster", "0", "1", "3",
    "-1", "100m", "2", "4Gi", "8Gi", "40Gi", "1e3", "1E400", "NaN", ".nan", "Inf", "-Inf", "0x10", "1.5Ki",
    "9999999999999999999999Ei", "redislabs/redis:8.0.20-44", "redislabs/redis@sha256:0123", "docker.io/x",
    "LoadBalancer", "NodePort", "ClusterIP", "ingress", "openShiftRoute", "kubernetes", "vault", "true", "yes",
    "Exists", "Equal", "a.b/c", "http://x", "https://x", "ftp://x", "IPv4", "IPv6", "ReadWriteOnce", "standard",
];

/// Builds the tables once, before fuzzing starts (building the CRD is slow in an unoptimised build and must not
/// count against the first input's time limit).
pub fn warm_up() {
    field_names();
}

/// Every property name in the REC's CRD schema (once).
fn field_names() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let crd = serde_json::to_value(rec_core::crd::crd()).unwrap_or_default();
        let mut names = BTreeSet::new();
        collect_properties(&crd, &mut names);
        names.into_iter().collect()
    })
}

fn collect_properties(value: &Value, names: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(props)) = map.get("properties") {
                names.extend(props.keys().cloned());
            }
            map.values().for_each(|v| collect_properties(v, names));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_properties(v, names)),
        _ => {}
    }
}

/// A key: usually a CRD field name, sometimes any string.
pub fn key(u: &mut Unstructured) -> Result<String> {
    let names = field_names();
    if names.is_empty() || u.ratio(1, 8)? {
        return u.arbitrary();
    }
    Ok(u.choose(names)?.clone())
}

/// A string: a typical value, a field name or any string.
pub fn string(u: &mut Unstructured) -> Result<String> {
    match u.int_in_range(0..=3)? {
        0 | 1 => Ok(u.choose(WORDS)?.to_string()),
        2 => key(u),
        _ => u.arbitrary(),
    }
}

/// A number: small and large integers, floats (finite: JSON has no NaN) and the edges of i64/u64.
pub fn number(u: &mut Unstructured) -> Result<Value> {
    Ok(match u.int_in_range(0..=4)? {
        0 => Value::from(u.int_in_range(-2i64..=9)?),
        1 => Value::from(u.arbitrary::<i64>()?),
        2 => Value::from(u.arbitrary::<u64>()?),
        3 => Number::from_f64(u.arbitrary::<f64>()?).map_or(Value::Null, Value::Number),
        _ => Value::from(*u.choose(&[i64::MIN, i64::MAX, i64::from(i32::MAX) + 1, 1 << 53])?),
    })
}

/// Any JSON value, at most `MAX_DEPTH - depth` levels deep.
pub fn value(u: &mut Unstructured, depth: usize) -> Result<Value> {
    let kinds = if depth >= MAX_DEPTH { 3 } else { 5 };
    Ok(match u.int_in_range(0..=kinds)? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => number(u)?,
        3 => Value::String(string(u)?),
        4 => {
            let n = u.int_in_range(0..=MAX_ITEMS)?;
            let mut items = Vec::with_capacity(n);
            for _ in 0..n {
                items.push(value(u, depth + 1)?);
            }
            Value::Array(items)
        }
        _ => object(u, depth)?,
    })
}

/// A JSON object of REC-like keys.
pub fn object(u: &mut Unstructured, depth: usize) -> Result<Value> {
    let n = u.int_in_range(0..=MAX_ITEMS)?;
    let mut map = Map::new();
    for _ in 0..n {
        let k = key(u)?;
        map.insert(k, value(u, depth + 1)?);
    }
    Ok(Value::Object(map))
}
