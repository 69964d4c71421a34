//! The one deserializer of the REC model: reads any `Deserialize` type from a borrowed `serde_json::Value` exactly as
//! serde_json's own `impl Deserializer for &Value` does (same dispatch, numbers, options, enums, borrowed strings,
//! same error messages), and in the same pass tracks where it is, so that
//! - every field a type ignores (an unknown field: the type asked for `deserialize_ignored_any`) is recorded with
//!   its path, as `serde_ignored` did, and
//! - an error carries the path of the innermost value where it arose, as `serde_path_to_error` did.
//!
//! Why our own: those two crates are wrappers. Each wraps every Visitor, MapAccess and seed of every model type once
//! more (~250 k8s-openapi types), which made them 39% of the policy module's code and a good part of the time of a
//! validation. Here the path lives in the deserializer itself (the visitors are the model's own, unwrapped): a
//! linked chain of stack nodes that borrow the keys from the input, so a value on the happy path costs no
//! allocation; a path is only built into a `JsonPath` for an ignored field or an error.
//!
//! One deliberate difference: a struct written as a JSON array is refused (`invalid type: sequence, expected struct
//! X`, the message serde gives for any other wrong type), where serde_json reads the array as the fields in order.
//! No REC writes a struct that way, and refusing it keeps every model struct's `visit_seq` out of the modules.
//!
//! Deliberately not done: enum variants add no step to a path (a variant's content is at the enum's path, as both
//! crates had it); numeric map keys (no model type has them) are read as whole JSON numbers, but a malformed one is
//! always `expected key to be a number in quotes` and no key error ends with serde_json's `at line 1 column N`.

mod access;
#[cfg(test)]
mod tests;

use super::path::{JsonPath, Seg};
use access::{EnumDe, MapDe, SeqDe};
use serde::de::{self, Expected, Unexpected, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;

/// Reads `T` from `value`, pushing the path of every ignored field onto `ignored` (also when it then fails).
pub(crate) fn from_value<'de, T: de::Deserialize<'de>>(
    value: &'de Value,
    ignored: &mut Vec<JsonPath>,
) -> Result<T, Error> {
    let root = Path::Root;
    T::deserialize(ValueDe {
        value,
        path: &root,
        ignored,
    })
    .map_err(|e| e.at(&root))
}

/// A deserialization error: serde_json's message for it and the path of the value where it arose.
///
/// Boxed: every `Result<T, Error>` of every model type is then one pointer wider than `T` rather than seven words,
/// and the code that moves, checks and locates an error in each of the deserializer's ~900 instantiations is that
/// much smaller (errors are the cold path; a validation that fails builds one).
#[derive(Debug, thiserror::Error)]
#[error("{}", .0.message)]
pub(crate) struct Error(Box<Inner>);

#[derive(Debug)]
struct Inner {
    message: String,
    path: JsonPath,
    /// Whether `path` is set: by the innermost value the error passes on its way out, once.
    located: bool,
}

impl Error {
    /// The message, word for word as serde_json's `Value` deserializer writes it (`invalid type: string "x",
    /// expected u32`, ``missing field `name` ``): `classify` reads it.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The path of the value where the error arose.
    pub fn path(&self) -> &JsonPath {
        &self.0.path
    }

    #[cold]
    fn at(mut self, path: &Path<'_>) -> Self {
        if !self.0.located {
            self.0.path = path.to_json();
            self.0.located = true;
        }
        self
    }

    #[cold]
    fn new(message: String) -> Self {
        Error(Box::new(Inner {
            message,
            path: JsonPath::default(),
            located: false,
        }))
    }
}

impl de::Error for Error {
    #[cold]
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self::new(msg.to_string())
    }

    // serde_json words these two its own way (`null`, its float format): take its text.
    #[cold]
    fn invalid_type(unexp: Unexpected, exp: &dyn Expected) -> Self {
        Self::new(<serde_json::Error as de::Error>::invalid_type(unexp, exp).to_string())
    }

    #[cold]
    fn invalid_value(unexp: Unexpected, exp: &dyn Expected) -> Self {
        Self::new(<serde_json::Error as de::Error>::invalid_value(unexp, exp).to_string())
    }
}

/// Where a value is: a chain of nodes on the stack, each borrowing its key from the input.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    #[cold]
    fn to_json(self) -> JsonPath {
        let mut segs = Vec::new();
        let mut at = &self;
        loop {
            match at {
                Path::Root => break,
                Path::Key(parent, key) => {
                    segs.push(Seg::Key((*key).to_string()));
                    at = parent;
                }
                Path::Index(parent, index) => {
                    segs.push(Seg::Index(*index));
                    at = parent;
                }
            }
        }
        segs.reverse();
        JsonPath(segs)
    }
}

/// One value being read: the value, where it is, and where ignored fields go.
struct ValueDe<'a, 'de> {
    value: &'de Value,
    path: &'a Path<'a>,
    ignored: &'a mut Vec<JsonPath>,
}

#[cold]
fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (None, Some(i)) => Unexpected::Signed(i),
            (None, None) => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

#[cold]
fn invalid_type(value: &Value, exp: &dyn Expected) -> Error {
    de::Error::invalid_type(unexpected(value), exp)
}

/// A number as serde_json hands it to a visitor: `u64` when it fits, else `i64`, else `f64`.
fn visit_number<'de, V: Visitor<'de>>(n: &Number, visitor: V) -> Result<V::Value, Error> {
    match (n.as_u64(), n.as_i64(), n.as_f64()) {
        (Some(u), _, _) => visitor.visit_u64(u),
        (None, Some(i), _) => visitor.visit_i64(i),
        (None, None, Some(f)) => visitor.visit_f64(f),
        (None, None, None) => Err(de::Error::custom("number out of range")),
    }
}

macro_rules! number {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match self.value {
                Value::Number(n) => visit_number(n, visitor),
                other => Err(invalid_type(other, &visitor)),
            }
        }
    )*};
}

impl<'a, 'de> ValueDe<'a, 'de> {
    fn check(&mut self, shape: &super::shape::Shape) -> Result<(), Error> {
        let mut unknown = Vec::new();
        let checked = super::shape::fits(self.value, shape, &mut unknown);
        if unknown.is_empty() && checked.is_ok() {
            return Ok(());
        }
        let here = self.path.to_json();
        let below = |steps: Vec<super::shape::Step>| {
            let mut path = here.clone();
            path.0.extend(steps.into_iter().map(|step| match step {
                super::shape::Step::Key(key) => Seg::Key(key),
                super::shape::Step::Index(index) => Seg::Index(index),
            }));
            path
        };
        self.ignored.extend(unknown.into_iter().map(below));
        checked.map_err(|misfit| {
            let mut error = Error::new(misfit.message);
            error.0.path = below(misfit.at);
            error.0.located = true;
            error
        })
    }

    fn seq<V: Visitor<'de>>(self, items: &'de [Value], visitor: V) -> Result<V::Value, Error> {
        let mut seq = SeqDe {
            items: items.iter(),
            index: 0,
            path: self.path,
            ignored: self.ignored,
        };
        let out = visitor.visit_seq(&mut seq)?;
        match seq.items.len() {
            0 => Ok(out),
            _ => Err(de::Error::invalid_length(items.len(), &"fewer elements in array")),
        }
    }

    fn map<V: Visitor<'de>>(self, map: &'de Map<String, Value>, visitor: V) -> Result<V::Value, Error> {
        let mut access = MapDe {
            entries: map.iter(),
            pending: None,
            path: self.path,
            ignored: self.ignored,
        };
        let out = visitor.visit_map(&mut access)?;
        match access.entries.len() {
            0 => Ok(out),
            _ => Err(de::Error::invalid_length(map.len(), &"fewer elements in map")),
        }
    }
}

impl<'de> de::Deserializer<'de> for ValueDe<'_, 'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => visit_number(n, visitor),
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => self.seq(items, visitor),
            Value::Object(map) => self.map(map, visitor),
        }
    }

    number!(deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128);
    number!(deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128);
    number!(deserialize_f32 deserialize_f64);

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let (variant, content) = match self.value {
            Value::String(variant) => (variant, None),
            Value::Object(map) => {
                let mut entries = map.iter();
                match (entries.next(), entries.next()) {
                    (Some((variant, content)), None) => (variant, Some(content)),
                    _ => return Err(de::Error::invalid_value(Unexpected::Map, &"map with a single key")),
                }
            }
            other => return Err(invalid_type(other, &"string or map")),
        };
        visitor.visit_enum(EnumDe {
            variant,
            content: content.map(|value| ValueDe {
                value,
                path: self.path,
                ignored: self.ignored,
            }),
        })
    }

    /// A newtype that names a shape (`shape::named`: a value of `api::checked`) is checked against it here, where
    /// the path is known: its unknown fields are recorded like any other ignored field, and a value that does not
    /// fit is an error at its own path, so the structure step reports and removes just that value. The type's own
    /// reading (of the JSON as it is) follows.
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        mut self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        if let Some(shape) = super::shape::named(name) {
            self.check(shape)?;
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Bool(b) => visitor.visit_bool(*b),
            other => Err(invalid_type(other, &visitor)),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::String(s) => visitor.visit_borrowed_str(s),
            other => Err(invalid_type(other, &visitor)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => self.seq(items, visitor),
            other => Err(invalid_type(other, &visitor)),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_unit(),
            other => Err(invalid_type(other, &visitor)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Array(items) => self.seq(items, visitor),
            other => Err(invalid_type(other, &visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Object(map) => self.map(map, visitor),
            other => Err(invalid_type(other, &visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        // Unlike serde_json, a struct written as an array (its fields in order) is refused: the API server never
        // sends one (the CRD schema says object), and reading it would link every struct's `visit_seq`.
        match self.value {
            Value::Object(map) => self.map(map, visitor),
            other => Err(invalid_type(other, &visitor)),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    /// The type does not want this value: it is an unknown field (or an ignored element); record where it is.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.ignored.push(self.path.to_json());
        visitor.visit_unit()
    }
}
