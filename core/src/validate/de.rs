//! serde's reading of the model, kept as the oracle the tests hold the model reader (`validate::read`) to: no build
//! links it any more (`#[cfg(test)]`). It was the core's deserializer until the reader replaced it, and its
//! behaviour is the reader's specification.
//!
//! Reads any `Deserialize` type from a borrowed `serde_json::Value` exactly as
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

use super::path::JsonPath;
use super::read::{Error, Path, invalid_type};
use access::{EnumDe, MapDe, SeqDe};
use serde::de::{self, Unexpected, Visitor};
use serde_json::{Map, Number, Value};

/// Reads `T` from `value` by its own `Deserialize`, pushing the path of every ignored field onto `ignored` (also
/// when it then fails): the oracle the model reader (`read`) is held to.
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

/// One value being read: the value, where it is, and where ignored fields go.
struct ValueDe<'a, 'de> {
    value: &'de Value,
    path: &'a Path<'a>,
    ignored: &'a mut Vec<JsonPath>,
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
    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, Error> {
        if let Some(shape) = super::shape::named(name) {
            super::read::checked(self.value, shape, self.path, self.ignored)?;
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
