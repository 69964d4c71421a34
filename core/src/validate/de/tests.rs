//! The deserializer against serde_json's own `&Value` deserializer (same values, same messages), and its paths:
//! of errors and of ignored fields, at every depth.

use super::*;
use crate::validate::corpus_support;
use crate::validate::path::Seg;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::json;
use std::collections::BTreeMap;
use std::fmt::{self, Debug};

#[derive(Deserialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
struct Outer {
    name: String,
    #[serde(default)]
    items: Vec<Item>,
    inner: Option<Inner>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    kind: Option<Kind>,
    shape: Option<Shape>,
    wrapped: Option<Wrapped>,
}

#[derive(Deserialize, Debug, PartialEq)]
struct Item {
    port: u16,
    note: Option<String>,
}

#[derive(Deserialize, Debug, PartialEq)]
struct Inner {
    depth: Deep,
}

#[derive(Deserialize, Debug, PartialEq)]
struct Deep {
    n: i32,
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Ingress,
    Route,
}

#[derive(Deserialize, Debug, PartialEq)]
enum Shape {
    Circle(f64),
    Rect { w: u32, h: u32 },
    Pair(u8, u8),
    Dot,
}

#[derive(Deserialize, Debug, PartialEq)]
struct Wrapped(Deep);

#[derive(Deserialize, Debug, PartialEq)]
struct Nums {
    u64: Option<u64>,
    i64: Option<i64>,
    i32: Option<i32>,
    u32: Option<u32>,
    u8: Option<u8>,
    f64: Option<f64>,
    f32: Option<f32>,
    i128: Option<i128>,
    u128: Option<u128>,
}

/// Our reading: the value or (path, message), and the ignored paths.
fn ours<T: DeserializeOwned>(value: &Value) -> (Result<T, (String, String)>, Vec<String>) {
    let mut ignored = Vec::new();
    let result = from_value::<T>(value, &mut ignored).map_err(|e| (e.path().to_string(), e.message().to_string()));
    (result, ignored.iter().map(ToString::to_string).collect())
}

/// Ours and serde_json's agree: the same value, or the same message.
fn agrees<T: DeserializeOwned + Debug + PartialEq>(value: Value) {
    let theirs = T::deserialize(&value).map_err(|e| e.to_string());
    let (ours, _) = ours::<T>(&value);
    assert_eq!(ours.map_err(|(_, message)| message), theirs, "for {value}");
}

/// The (path, message) of our error.
fn error<T: DeserializeOwned + Debug>(value: Value) -> (String, String) {
    agrees_untyped::<T>(&value);
    match ours::<T>(&value).0 {
        Ok(v) => panic!("{value} read as {v:?}"),
        Err(e) => e,
    }
}

fn agrees_untyped<T: DeserializeOwned + Debug>(value: &Value) {
    let theirs = T::deserialize(value).map_err(|e| e.to_string()).err();
    let ours = ours::<T>(value).0.err().map(|(_, message)| message);
    assert_eq!(ours, theirs, "for {value}");
}

fn ignored<T: DeserializeOwned + Debug>(value: Value) -> Vec<String> {
    ours::<T>(&value).1
}

fn pair(path: &str, message: &str) -> (String, String) {
    (path.to_string(), message.to_string())
}

#[test]
fn reads_what_serde_json_reads() {
    agrees::<Outer>(json!({"name": "a"}));
    agrees::<Outer>(json!({
        "name": "a",
        "items": [{"port": 80}, {"port": 443, "note": null}, {"port": 1, "note": "x"}],
        "inner": {"depth": {"n": -5}},
        "labels": {"a": "b", "redis.io/x": ""},
        "kind": "route",
        "shape": {"Rect": {"w": 1, "h": 2}},
        "wrapped": {"n": 7},
    }));
    agrees::<Outer>(json!({"name": "a", "shape": "Dot", "kind": {"ingress": null}}));
    agrees::<Outer>(json!({"name": "a", "shape": {"Circle": 1.5}}));
    agrees::<Outer>(json!({"name": "a", "shape": {"Pair": [1, 2]}}));
    agrees::<Vec<Option<bool>>>(json!([true, null, false]));
    agrees::<()>(json!(null));
    agrees::<(u8, String)>(json!([1, "x"]));
    agrees::<char>(json!("c"));
    agrees::<Value>(json!({"a": [1, -1, 1.5, "s", null, {"b": true}]}));
    agrees::<BTreeMap<u32, String>>(json!({"1": "a", "20": "b"}));
    agrees::<BTreeMap<i64, String>>(json!({"-3": "a"}));
    agrees::<BTreeMap<bool, u8>>(json!({"true": 1, "false": 0}));
}

#[test]
fn borrows_strings_from_the_input() {
    #[derive(Deserialize)]
    struct Borrowed<'a> {
        s: &'a str,
    }
    let value = json!({"s": "hello"});
    let read: Borrowed<'_> = from_value(&value, &mut Vec::new()).expect("reads");
    assert_eq!(read.s, "hello");
}

#[test]
fn errors_read_as_serde_json_writes_them() {
    for value in [
        json!({"name": 1}),
        json!({"name": "a", "items": {}}),
        json!({"name": "a", "items": [{"port": 70000}]}),
        json!({"name": "a", "kind": "bogus"}),
        json!({"name": "a", "kind": 3}),
        json!({"name": "a", "kind": {"ingress": 5}}),
        json!({"name": "a", "kind": {"route": null, "ingress": null}}),
        json!({"name": "a", "kind": {}}),
        json!({"name": "a", "shape": "Circle"}),
        json!({"name": "a", "shape": "Rect"}),
        json!({"name": "a", "shape": "Pair"}),
        json!({"name": "a", "shape": {"Pair": 1}}),
        json!({"name": "a", "shape": {"Pair": [1, 2, 3]}}),
        json!({"name": "a", "shape": {"Rect": []}}),
        json!({"name": "a", "shape": {"Rect": 1}}),
        json!({"name": "a", "wrapped": 1}),
        json!({"name": "a", "labels": []}),
        json!({"name": null}),
        json!({}),
        json!("x"),
    ] {
        agrees_untyped::<Outer>(&value);
    }
    agrees_untyped::<(u8, u8)>(&json!([1]));
    agrees_untyped::<BTreeMap<u32, String>>(&json!({"x": "a"}));
    // serde_json parses a numeric key with its JSON reader, whose errors end `at line 1 column 2`; ours do not.
    assert_eq!(
        ours::<BTreeMap<u32, String>>(&json!({"-3": "a"})).0,
        Err(pair("-3", "invalid value: integer `-3`, expected u32"))
    );
    agrees_untyped::<BTreeMap<bool, u8>>(&json!({"yes": 1}));
    agrees_untyped::<char>(&json!(1));
    agrees_untyped::<()>(&json!(0));
}

/// serde_json reads a struct from an array of its fields in order; ours refuses it, with serde's wrong-type message.
#[test]
fn structs_written_as_arrays_are_refused() {
    assert!(Deep::deserialize(&json!([3])).is_ok());
    assert_eq!(
        ours::<Deep>(&json!([3])).0,
        Err(pair(".", "invalid type: sequence, expected struct Deep"))
    );
    assert_eq!(
        ours::<Outer>(&json!({"name": "a", "inner": []})).0,
        Err(pair("inner", "invalid type: sequence, expected struct Inner"))
    );
    assert_eq!(
        ours::<Outer>(&json!({"name": "a", "items": [{"port": 1}, [2]]})).0,
        Err(pair("items[1]", "invalid type: sequence, expected struct Item"))
    );
    // Arrays where an array is expected still read.
    agrees::<Outer>(json!({"name": "a", "items": []}));
}

#[test]
fn numbers_at_the_edges() {
    let max = json!({"u64": u64::MAX, "u128": u64::MAX, "i128": u64::MAX, "f64": u64::MAX});
    agrees::<Nums>(max);
    agrees::<Nums>(json!({"i64": i64::MIN, "i128": i64::MIN, "f32": 2.5, "u8": 255}));
    assert_eq!(
        error::<Nums>(json!({"i64": u64::MAX})),
        pair("i64", "invalid value: integer `18446744073709551615`, expected i64")
    );
    assert_eq!(
        error::<Nums>(json!({"u64": i64::MIN})),
        pair("u64", "invalid value: integer `-9223372036854775808`, expected u64")
    );
    assert_eq!(
        error::<Nums>(json!({"u32": 1.5})),
        pair("u32", "invalid type: floating point `1.5`, expected u32")
    );
    assert_eq!(
        error::<Nums>(json!({"i32": 3_000_000_000u64})),
        pair("i32", "invalid value: integer `3000000000`, expected i32")
    );
    assert_eq!(
        error::<Nums>(json!({"i32": -3_000_000_000i64})),
        pair("i32", "invalid value: integer `-3000000000`, expected i32")
    );
    assert_eq!(error::<u8>(json!(null)), pair(".", "invalid type: null, expected u8"));
    // Floats in serde_json's own format, not Rust's (`1e20`, not `100000000000000000000.0`).
    for float in [1e20, 2.0, -0.5, 1e-7, f64::MAX] {
        let (path, message) = error::<Nums>(json!({"u64": float}));
        assert_eq!(path, "u64");
        assert!(message.starts_with("invalid type: floating point `"), "{message}");
    }
    assert_eq!(
        error::<Nums>(json!({"i64": "1"})),
        pair("i64", "invalid type: string \"1\", expected i64")
    );
    agrees_untyped::<Nums>(&json!({"u8": 256}));
    agrees_untyped::<Nums>(&json!({"u8": -1}));
    agrees_untyped::<Nums>(&json!({"f64": "1.5"}));
    agrees_untyped::<Nums>(&json!({"i128": 1.5}));
}

#[test]
fn errors_carry_the_path_of_the_innermost_value() {
    assert_eq!(
        error::<Outer>(json!({"name": 1})),
        pair("name", "invalid type: integer `1`, expected a string")
    );
    assert_eq!(
        error::<Outer>(json!({"name": "a", "items": [{"port": 1}, {"port": "x"}]})),
        pair("items[1].port", "invalid type: string \"x\", expected u16")
    );
    // A missing field is the struct's error: the path is the struct's.
    assert_eq!(
        error::<Outer>(json!({"name": "a", "items": [{"port": 1}, {}]})),
        pair("items[1]", "missing field `port`")
    );
    assert_eq!(error::<Outer>(json!({})), pair(".", "missing field `name`"));
    assert_eq!(
        error::<Outer>(json!({"name": "a", "inner": {"depth": {"n": 1.5}}})),
        pair("inner.depth.n", "invalid type: floating point `1.5`, expected i32")
    );
    assert_eq!(
        error::<Outer>(json!({"name": "a", "kind": "bogus"})),
        pair("kind", "unknown variant `bogus`, expected `ingress` or `route`")
    );
    // The content of a variant is at the enum's path: the variant adds no step.
    assert_eq!(
        error::<Outer>(json!({"name": "a", "shape": {"Rect": {"w": 1, "h": -1}}})),
        pair("shape.h", "invalid value: integer `-1`, expected u32")
    );
    assert_eq!(
        error::<Outer>(json!({"name": "a", "shape": {"Pair": [1, "x"]}})),
        pair("shape[1]", "invalid type: string \"x\", expected u8")
    );
    assert_eq!(
        error::<Outer>(json!({"name": "a", "shape": {"Rect": {"w": 1}}})),
        pair("shape", "missing field `h`")
    );
    assert_eq!(
        error::<Outer>(json!({"name": "a", "shape": {"Circle": 1, "Dot": null}})),
        pair("shape", "invalid value: map, expected map with a single key")
    );
    assert_eq!(
        error::<Outer>(json!({"name": "a", "labels": {"x.io/y": 5}})),
        pair("labels[\"x.io/y\"]", "invalid type: integer `5`, expected a string")
    );
    assert_eq!(
        error::<Outer>(json!({"name": "a", "wrapped": {"n": "z"}})),
        pair("wrapped.n", "invalid type: string \"z\", expected i32")
    );
    assert_eq!(
        error::<Outer>(json!("x")),
        pair(".", "invalid type: string \"x\", expected struct Outer")
    );
    // An error in a key is at that key.
    assert_eq!(
        error::<BTreeMap<u32, String>>(json!({"1": "a", "x": "b"})),
        pair("x", "invalid value: expected key to be a number in quotes")
    );
    assert_eq!(
        error::<Vec<Vec<u8>>>(json!([[1], [2, 300]])),
        pair("[1][1]", "invalid value: integer `300`, expected u8")
    );
}

#[test]
fn records_every_ignored_field_with_its_path() {
    let value = json!({
        "name": "a",
        "extra": 1,
        "inner": {"depth": {"n": 1, "deeper": {"x": 1}}, "junk": [1]},
        "items": [{"port": 1}, {"port": 2, "typo": 2}],
        "labels": {"free": "keys are not ignored"},
        "wrapped": {"n": 1, "w": 0},
        "shape": {"Rect": {"w": 1, "h": 2, "d": 3}},
    });
    agrees::<Outer>(value.clone());
    // Inside an ignored value nothing more is reported (`deeper.x`): the whole value is the unknown field.
    assert_eq!(
        ignored::<Outer>(value),
        [
            "extra",
            "inner.depth.deeper",
            "inner.junk",
            "items[1].typo",
            "wrapped.w",
            "shape.d"
        ]
    );
    assert!(ignored::<Outer>(json!({"name": "a", "labels": {"x": "y"}})).is_empty());
}

#[test]
fn records_ignored_fields_read_before_an_error() {
    let (result, ignored) = ours::<Outer>(&json!({"zzz": 1, "name": 5, "after": 1}));
    assert_eq!(
        result.err(),
        Some(pair("name", "invalid type: integer `5`, expected a string"))
    );
    assert_eq!(ignored, ["zzz"]);
}

/// The first element of an array; the rest are read as ignored.
#[derive(Debug)]
struct FirstOnly(u32);

impl<'de> Deserialize<'de> for FirstOnly {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct First;
        impl<'de> Visitor<'de> for First {
            type Value = FirstOnly;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a non-empty array")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<FirstOnly, A::Error> {
                let first = seq.next_element()?.ok_or_else(|| de::Error::invalid_length(0, &self))?;
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(FirstOnly(first))
            }
        }
        deserializer.deserialize_seq(First)
    }
}

#[test]
fn records_ignored_array_elements() {
    #[derive(Deserialize, Debug)]
    struct Holder {
        list: FirstOnly,
    }
    let (read, ignored) = ours::<Holder>(&json!({"list": [7, 2, {"a": 1}]}));
    assert_eq!(read.map(|h| h.list.0).ok(), Some(7));
    assert_eq!(ignored, ["list[1]", "list[2]"]);
    assert_eq!(
        error::<Holder>(json!({"list": ["x"]})),
        pair("list[0]", "invalid type: string \"x\", expected u32")
    );
}

#[test]
fn flattened_structs_hide_unknown_fields_as_before() {
    // `flatten` buffers the entries the outer struct does not know and hands them to the inner one; the entries
    // neither knows are dropped from that buffer without asking the deserializer to ignore them. `serde_ignored`
    // could not see them either (the model has no `flatten`).
    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Flat {
        a: u32,
        #[serde(flatten)]
        rest: Sub,
    }
    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Sub {
        b: u32,
    }
    agrees_untyped::<Flat>(&json!({"a": 1, "b": 2, "c": 3}));
    assert!(ignored::<Flat>(json!({"a": 1, "b": 2, "c": 3})).is_empty());
}

/// Every value of every object the corpus sends, replaced in turn by each of these.
const JUNK: [&str; 10] = [
    "null",
    "\"x\"",
    "-1",
    "1.5",
    "4294967296",
    "18446744073709551615",
    "true",
    "[]",
    "{}",
    "{\"zz\": 1}",
];

/// The REC model reads exactly as serde_json reads it, on every object of the corpus and on each with one value
/// replaced by junk; when the object reads, every such error is at the replaced value, in it, or at a value holding
/// it.
#[test]
fn the_model_reads_as_serde_json_reads_it_with_junk_anywhere() {
    let mut objects = Vec::new();
    for case in corpus_support::cases() {
        let request = &case["request"];
        for key in ["object", "oldObject"] {
            if request[key].is_object() && request[key].to_string().len() < 20_000 {
                objects.push(request[key].clone());
            }
        }
    }
    assert!(objects.len() > 100, "only {} objects in the corpus", objects.len());
    let junk: Vec<Value> = JUNK.iter().map(|j| serde_json::from_str(j).expect("junk")).collect();
    let mut checked = 0;
    for object in &objects {
        // When the object itself reads, an error after one replacement is about that replacement.
        let reads = same_model(object).is_none();
        for (at, _) in nodes(object, JsonPath::default()) {
            for j in &junk {
                let mut changed = object.clone();
                replace(&mut changed, &at, j.clone());
                if let Some(error) = same_model(&changed).filter(|_| reads) {
                    let related = at.0.starts_with(&error.0) || error.0.starts_with(&at.0);
                    assert!(related, "error at {error} for junk at {at}");
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 10_000, "only {checked} variants");
}

/// Compares both readings of the REC model; the path of our error, if any.
fn same_model(value: &Value) -> Option<JsonPath> {
    let theirs = crate::RecObject::deserialize(value);
    let ours = from_value::<crate::RecObject>(value, &mut Vec::new());
    match (ours, theirs) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a, b, "for {value}");
            None
        }
        (Err(a), Err(b)) if a.message() == b.to_string() => Some(a.path().clone()),
        // The one deliberate difference: serde_json reads a struct from an array (or fails on its length).
        (Err(a), _) if a.message().starts_with("invalid type: sequence, expected ") => {
            assert!(
                at(value, a.path()).is_some_and(Value::is_array),
                "for {value}: {}",
                a.message()
            );
            Some(a.path().clone())
        }
        (a, b) => panic!("for {value}: ours {:?}, serde_json's {:?}", a.err(), b.err()),
    }
}

/// Every value under `value` with its path (not the root).
fn nodes(value: &Value, at: JsonPath) -> Vec<(JsonPath, &Value)> {
    let children: Vec<(JsonPath, &Value)> = match value {
        Value::Object(map) => map.iter().map(|(k, v)| (at.key(k), v)).collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let mut p = at.clone();
                p.0.push(Seg::Index(i));
                (p, v)
            })
            .collect(),
        _ => Vec::new(),
    };
    let mut out = Vec::new();
    for (p, v) in children {
        out.extend(nodes(v, p.clone()));
        out.push((p, v));
    }
    out
}

fn replace(value: &mut Value, at: &JsonPath, with: Value) {
    let mut here = value;
    for seg in &at.0 {
        here = match seg {
            Seg::Key(k) => &mut here[k.as_str()],
            Seg::Index(i) => &mut here[*i],
        };
    }
    *here = with;
}

/// The value at `path`, if there is one.
fn at<'v>(value: &'v Value, path: &JsonPath) -> Option<&'v Value> {
    path.0.iter().try_fold(value, |here, seg| match seg {
        Seg::Key(k) => here.get(k.as_str()),
        Seg::Index(i) => here.get(*i),
    })
}
