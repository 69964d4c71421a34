//! The parts of a JSON value the deserializer hands to a Visitor: the elements of an array and the entries of an
//! object (each deserialized at its own path), an object key, and an enum's variant and content. Nothing here
//! records anything itself: every value still goes through `ValueDe`.

use super::{Error, JsonPath, Path, ValueDe, invalid_type, visit_number};
use serde::de::{self, DeserializeSeed, IntoDeserializer, Unexpected, Visitor};
use serde::forward_to_deserialize_any;
use serde_json::{Number, Value};

/// The elements of an array, each at its index.
pub(super) struct SeqDe<'a, 'de> {
    pub(super) items: std::slice::Iter<'de, Value>,
    pub(super) index: usize,
    pub(super) path: &'a Path<'a>,
    pub(super) ignored: &'a mut Vec<JsonPath>,
}

impl<'de> de::SeqAccess<'de> for SeqDe<'_, 'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        let Some(value) = self.items.next() else {
            return Ok(None);
        };
        let path = Path::Index(self.path, self.index);
        self.index += 1;
        let de = ValueDe {
            value,
            path: &path,
            ignored: self.ignored,
        };
        seed.deserialize(de).map(Some).map_err(|e| e.at(&path))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// The entries of an object, each value at its key.
pub(super) struct MapDe<'a, 'de> {
    pub(super) entries: serde_json::map::Iter<'de>,
    /// The entry whose key was read and whose value comes next.
    pub(super) pending: Option<(&'de str, &'de Value)>,
    pub(super) path: &'a Path<'a>,
    pub(super) ignored: &'a mut Vec<JsonPath>,
}

impl<'de> de::MapAccess<'de> for MapDe<'_, 'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.pending = Some((key, value));
        seed.deserialize(KeyDe { key })
            .map(Some)
            .map_err(|e| e.at(&Path::Key(self.path, key)))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let Some((key, value)) = self.pending.take() else {
            return Err(de::Error::custom("value is missing"));
        };
        let path = Path::Key(self.path, key);
        let de = ValueDe {
            value,
            path: &path,
            ignored: self.ignored,
        };
        seed.deserialize(de).map_err(|e| e.at(&path))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// An object key, read as serde_json reads one: a borrowed string, or a number or boolean written as a string.
struct KeyDe<'de> {
    key: &'de str,
}

macro_rules! numeric_key {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            // Like serde_json: the whole key is one JSON number, starting with a digit or `-`, nothing around it.
            let starts = self.key.starts_with(|c: char| c.is_ascii_digit() || c == '-');
            let ends = self.key.ends_with(|c: char| c.is_ascii_digit());
            match serde_json::from_slice::<Number>(self.key.as_bytes()) {
                Ok(n) if starts && ends => visit_number(&n, visitor),
                _ => Err(de::Error::custom("invalid value: expected key to be a number in quotes")),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for KeyDe<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_borrowed_str(self.key)
    }

    numeric_key!(deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128);
    numeric_key!(deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128);
    numeric_key!(deserialize_f32 deserialize_f64);

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.key {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            other => Err(de::Error::invalid_type(Unexpected::Str(other), &visitor)),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        // Map keys cannot be null.
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_enum(self.key.into_deserializer(), name, variants, visitor)
    }

    forward_to_deserialize_any! {
        char str string bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

/// An enum written as a string (a unit variant) or as an object with one key (the variant) and its content.
pub(super) struct EnumDe<'a, 'de> {
    pub(super) variant: &'de str,
    /// The content, read at the enum's own path (the variant adds no step).
    pub(super) content: Option<ValueDe<'a, 'de>>,
}

impl<'a, 'de> de::EnumAccess<'de> for EnumDe<'a, 'de> {
    type Error = Error;
    type Variant = VariantDe<'a, 'de>;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self::Variant), Error> {
        let variant = seed.deserialize(de::value::StrDeserializer::<Error>::new(self.variant))?;
        Ok((variant, VariantDe(self.content)))
    }
}

pub(super) struct VariantDe<'a, 'de>(Option<ValueDe<'a, 'de>>);

#[cold]
fn not_unit(what: &'static str) -> Error {
    de::Error::invalid_type(Unexpected::UnitVariant, &what)
}

impl<'de> de::VariantAccess<'de> for VariantDe<'_, 'de> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.0 {
            Some(content) => de::Deserialize::deserialize(content),
            None => Ok(()),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        match self.0 {
            Some(content) => seed.deserialize(content),
            None => Err(not_unit("newtype variant")),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        let Some(content) = self.0 else {
            return Err(not_unit("tuple variant"));
        };
        match content.value {
            Value::Array(items) if items.is_empty() => visitor.visit_unit(),
            Value::Array(items) => content.seq(items, visitor),
            other => Err(invalid_type(other, &"tuple variant")),
        }
    }

    fn struct_variant<V: Visitor<'de>>(self, _fields: &'static [&'static str], visitor: V) -> Result<V::Value, Error> {
        let Some(content) = self.0 else {
            return Err(not_unit("struct variant"));
        };
        match content.value {
            Value::Object(map) => content.map(map, visitor),
            other => Err(invalid_type(other, &"struct variant")),
        }
    }
}
