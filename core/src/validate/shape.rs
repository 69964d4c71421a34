//! The structural check of the Kubernetes sub-objects the core passes on as JSON instead of reading them field by
//! field (`api::checked`: pod volumes, the user's containers, the pod attributes it never reads): the JSON is
//! checked against its CRD schema, compiled in as a tree of [`Shape`]s (`shapes.rs`, generated from the CRD by
//! `crd::shape_table`), and written as k8s-openapi would write the object it reads.
//!
//! The model reader (`validate::read::checked`) runs the check where it reads such a value, with the path: unknown fields are
//! recorded like serde's ignored fields, and a misfit is an error at its own path, which the structure step
//! reports and removes like any other. The render's workloads carry the JSON beside their typed objects to `View`
//! (`render::UserPod`). `core/tests/shapes.rs` holds the check to k8s-openapi's reading and writing byte for byte,
//! so every render keeps its bytes and every pod its template hash.
//!
//! Why: reading such an object into k8s-openapi's types links one `Deserialize` per type (a volume alone has about
//! 30 sources, each with its own visitor), most of a wasm module's code (bench/README.md, "What the volumes alone
//! are worth"); a walk over a static table is one function. It must accept what k8s-openapi's reader accepts and
//! write what its `Serialize` writes, so that renders keep their bytes (and pods their template hash):
//! - a property the schema lacks is an unknown field (reported as one, left out);
//! - `null` is an absent field (k8s-openapi reads `null` as `None`);
//! - a Quantity written as a number is written as its text (k8s-openapi's `Quantity` keeps numbers as text);
//! - properties are written in the schema's order (sorted by name, as k8s-openapi's fields are), map entries
//!   sorted by key (k8s-openapi's maps are `BTreeMap`s);
//! - a required property that is absent or `null` is written with its default (k8s-openapi's required fields
//!   are not `Option`s: it reads them as `Default`, and writes them).
//!
//! Not a general JSON Schema validator: only what the CRDs of the REC use (types, int32/int64, properties, map
//! values, list items). Like k8s-openapi's reader, it leaves the refusal of a missing required field to the API
//! server. Its messages name JSON's types (`expected an object`), where serde named the Rust type.

use serde_json::{Map, Number, Value};

/// What a value must look like.
#[derive(Debug)]
pub enum Shape {
    String,
    Boolean,
    Int32,
    Int64,
    Number,
    /// `x-kubernetes-int-or-string` read as a Quantity: a string, or a number written as its text.
    Quantity,
    /// `x-kubernetes-int-or-string` read as an IntOrString (a port): a string, or a 32-bit integer kept a number.
    IntOrString,
    /// An object with these properties, sorted by name.
    Object(&'static [(&'static str, &'static Shape)]),
    /// An object whose every value has this shape (`additionalProperties`).
    Map(&'static Shape),
    /// A list whose every item has this shape.
    Array(&'static Shape),
    /// Anything (a schema without a type).
    Any,
    /// A property k8s-openapi holds as a required field (not an `Option`): absent or `null`, it is written with
    /// its default (`""`, `0`, `false`, `[]`, `{}` with its own required properties), as k8s-openapi reads it.
    Required(&'static Shape),
    /// Checked, never written: what the core's own reading drops (an ephemeral claim template's timestamps,
    /// `managedFields` and `ownerReferences`: see `api::Volume`).
    Unwritten(&'static Shape),
}

/// Why a value does not fit, and where (the steps below the checked value: keys and list indices).
#[derive(Debug, Clone, PartialEq)]
pub struct Misfit {
    pub at: Vec<Step>,
    /// serde's wording (`invalid type: string "x", expected a boolean`), which the structure step classifies.
    pub message: String,
}

/// One step below the checked value.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Key(String),
    Index(usize),
}

impl Step {
    pub(crate) fn into_seg(self) -> super::path::Seg {
        match self {
            Step::Key(key) => super::path::Seg::Key(key),
            Step::Index(index) => super::path::Seg::Index(index),
        }
    }
}

/// The shape a newtype of the model asks serde's reading (`validate::de`, the tests' oracle) to check it against: its name is `rec_core::checked::` and the shape's (see `api::checked`).
pub fn named(name: &str) -> Option<&'static Shape> {
    let shape = name.strip_prefix("rec_core::checked::")?;
    super::shapes::NAMED
        .iter()
        .find(|(named, _, _)| *named == shape)
        .map(|(_, _, shape)| *shape)
}

/// The property names of the object `path` leads to from `shape` (`.key` steps, `[]` into a list's items, as
/// displayed paths are written with their indices stripped); empty when it leads to no object.
pub fn properties_at(shape: &'static Shape, path: &str) -> Vec<&'static str> {
    fn bare(shape: &'static Shape) -> &'static Shape {
        match shape {
            Shape::Required(inner) | Shape::Unwritten(inner) => bare(inner),
            other => other,
        }
    }
    let mut at = shape;
    for step in path.split('.').filter(|s| !s.is_empty()) {
        let (key, lists) = match step.find('[') {
            Some(i) => (&step[..i], step[i..].matches("[]").count()),
            None => (step, 0),
        };
        let Shape::Object(properties) = bare(at) else {
            return Vec::new();
        };
        let Some(&(_, mut next)) = properties.iter().find(|(name, _)| *name == key) else {
            return Vec::new();
        };
        for _ in 0..lists {
            let Shape::Array(items) = bare(next) else {
                return Vec::new();
            };
            next = items;
        }
        at = next;
    }
    match bare(at) {
        Shape::Object(properties) => properties.iter().map(|(name, _)| *name).collect(),
        _ => Vec::new(),
    }
}

/// The shape of the checked JSON `path` is in (a displayed path, indices stripped: `spec.volumes[].hostPath`), and
/// the path below it (`.hostPath`).
pub fn holding(path: &str) -> Option<(&'static Shape, &str)> {
    super::shapes::NAMED.iter().find_map(|(_, places, shape)| {
        places.iter().find_map(|place| {
            let below = path.strip_prefix(place)?;
            (below.is_empty() || below.starts_with('.')).then_some((*shape, below))
        })
    })
}

/// The checked copy of `value`: unknown properties and nulls left out, properties in the schema's order,
/// quantities as text. Every unknown property is pushed onto `unknown` (its steps below `value`). The first value
/// that does not fit ends the walk.
pub fn check(value: &Value, shape: &Shape, unknown: &mut Vec<Vec<Step>>) -> Result<Value, Misfit> {
    Walk::new(unknown).walk(value, shape)
}

/// One walk: where it is (keys borrowed from the value and the shapes, so nothing is allocated on the way down;
/// a path is built only for an unknown property or a misfit) and where unknown properties go.
struct Walk<'v, 'u> {
    at: Vec<At<'v>>,
    unknown: &'u mut Vec<Vec<Step>>,
}

#[derive(Clone, Copy)]
enum At<'v> {
    Key(&'v str),
    Index(usize),
}

impl<'v, 'u> Walk<'v, 'u> {
    fn new(unknown: &'u mut Vec<Vec<Step>>) -> Self {
        Walk {
            at: Vec::new(),
            unknown,
        }
    }

    #[cold]
    fn steps(&self) -> Vec<Step> {
        self.at
            .iter()
            .map(|at| match at {
                At::Key(key) => Step::Key((*key).to_string()),
                At::Index(index) => Step::Index(*index),
            })
            .collect()
    }

    #[cold]
    fn misfit(&self, message: String) -> Misfit {
        Misfit {
            at: self.steps(),
            message,
        }
    }

    /// `value` itself in the checked copy.
    fn keep(&self, value: &Value) -> Value {
        value.clone()
    }

    fn below(&mut self, at: At<'v>, value: &'v Value, shape: &Shape) -> Result<Value, Misfit> {
        self.at.push(at);
        let checked = self.walk(value, shape)?;
        self.at.pop();
        Ok(checked)
    }

    fn walk(&mut self, value: &'v Value, shape: &Shape) -> Result<Value, Misfit> {
        let wrong_type =
            |walk: &Self, expected: &str| walk.misfit(format!("invalid type: {}, expected {expected}", found(value)));
        match (shape, value) {
            (Shape::Any, _) => Ok(self.keep(value)),
            (Shape::Required(shape) | Shape::Unwritten(shape), _) => self.walk(value, shape),
            (Shape::String, Value::String(_)) | (Shape::Boolean, Value::Bool(_)) => Ok(self.keep(value)),
            (Shape::Number, Value::Number(_)) => Ok(self.keep(value)),
            (Shape::Quantity, Value::String(_)) => Ok(self.keep(value)),
            (Shape::Quantity, Value::Number(n)) => Ok(Value::String(quantity_text(n))),
            (Shape::IntOrString, Value::String(_)) => Ok(self.keep(value)),
            (Shape::IntOrString, Value::Number(n)) => match (n.as_i64(), n.is_f64()) {
                (Some(i), _) if i32::try_from(i).is_ok() => Ok(self.keep(value)),
                (_, true) => Err(wrong_type(self, "a 32-bit integer or a string")),
                _ => Err(self.misfit(format!("invalid value: integer `{n}`, expected a 32-bit integer"))),
            },
            (Shape::Int32 | Shape::Int64, Value::Number(n)) => {
                let (range, fits) = match shape {
                    Shape::Int32 => ("i32", n.as_i64().is_some_and(|i| i32::try_from(i).is_ok())),
                    _ => ("i64", n.as_i64().is_some()),
                };
                match (fits, n.is_f64()) {
                    (true, _) => Ok(self.keep(value)),
                    (false, true) => Err(wrong_type(self, range)),
                    (false, false) => Err(self.misfit(format!("invalid value: integer `{n}`, expected {range}"))),
                }
            }
            (Shape::Object(properties), Value::Object(map)) => {
                for key in map.keys() {
                    if properties
                        .binary_search_by(|(name, _)| name.cmp(&key.as_str()))
                        .is_err()
                    {
                        self.at.push(At::Key(key));
                        let steps = self.steps();
                        self.unknown.push(steps);
                        self.at.pop();
                    }
                }
                let mut out = Map::new();
                for (name, shape) in properties.iter() {
                    let checked = match (map.get(*name).filter(|v| !v.is_null()), shape) {
                        (None, Shape::Required(shape)) => default(shape),
                        (None, _) => continue,
                        (Some(item), shape) => self.below(At::Key(name), item, shape)?,
                    };
                    if !matches!(shape, Shape::Unwritten(_)) {
                        out.insert((*name).to_string(), checked);
                    }
                }
                Ok(Value::Object(out))
            }
            (Shape::Map(values), Value::Object(map)) => {
                // k8s-openapi holds a map in a `BTreeMap`: written sorted by key.
                let mut entries: Vec<(&String, &Value)> = map.iter().filter(|(_, v)| !v.is_null()).collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                let mut out = Map::new();
                for (key, item) in entries {
                    out.insert(key.clone(), self.below(At::Key(key), item, values)?);
                }
                Ok(Value::Object(out))
            }
            (Shape::Array(items), Value::Array(list)) => {
                let mut out = Vec::with_capacity(list.len());
                for (index, item) in list.iter().enumerate() {
                    out.push(self.below(At::Index(index), item, items)?);
                }
                Ok(Value::Array(out))
            }
            (Shape::String, _) => Err(wrong_type(self, "a string")),
            (Shape::Boolean, _) => Err(wrong_type(self, "a boolean")),
            (Shape::Int32, _) => Err(wrong_type(self, "i32")),
            (Shape::Int64, _) => Err(wrong_type(self, "i64")),
            (Shape::Number, _) => Err(wrong_type(self, "f64")),
            (Shape::Quantity, _) => Err(wrong_type(self, "a quantity (a string or a number)")),
            (Shape::IntOrString, _) => Err(wrong_type(self, "a 32-bit integer or a string")),
            (Shape::Object(_) | Shape::Map(_), _) => Err(wrong_type(self, "an object")),
            (Shape::Array(_), _) => Err(wrong_type(self, "a sequence")),
        }
    }
}

/// What k8s-openapi writes for a required field it did not read: its type's `Default`.
fn default(shape: &Shape) -> Value {
    match shape {
        Shape::String | Shape::Quantity => Value::String(String::new()),
        Shape::Boolean => Value::Bool(false),
        Shape::Int32 | Shape::Int64 | Shape::IntOrString => Value::from(0),
        Shape::Number => Value::from(0.0),
        Shape::Object(properties) => Value::Object(
            properties
                .iter()
                .filter_map(|(name, shape)| match shape {
                    Shape::Required(shape) => Some(((*name).to_string(), default(shape))),
                    _ => None,
                })
                .collect(),
        ),
        Shape::Map(_) => Value::Object(Map::new()),
        Shape::Array(_) => Value::Array(Vec::new()),
        Shape::Any => Value::Null,
        Shape::Required(shape) | Shape::Unwritten(shape) => default(shape),
    }
}

/// A number as k8s-openapi's `Quantity` reads it: its text, integers without a fraction.
pub(crate) fn quantity_text(n: &Number) -> String {
    match (n.as_u64(), n.as_i64(), n.as_f64()) {
        (Some(u), _, _) => u.to_string(),
        (None, Some(i), _) => i.to_string(),
        (None, None, Some(f)) => f.to_string(),
        (None, None, None) => n.to_string(),
    }
}

/// A value as serde's `invalid type` message names it.
fn found(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) if n.is_f64() => format!("floating point `{n}`"),
        Value::Number(n) => format!("integer `{n}`"),
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "sequence".into(),
        Value::Object(_) => "map".into(),
    }
}
