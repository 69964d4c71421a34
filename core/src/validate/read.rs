//! The reader of the REC and REDB models: [`FromValue`], derived for every model type by
//! `#[derive(FromValue)]` (`rec-core-derive`) from the type's serde attributes, reading a borrowed JSON value as
//! serde's derived `Deserialize` does through `super::de` (the same values accepted, the same fields ignored, the
//! same error messages at the same paths), and in the same pass tracking the path and every ignored field.
//!
//! Why not serde's derive: its code is generic over the deserializer and was most of the browser module's size.
//! Here the work that serde's derive generates per type (the loop over an object's entries, matching keys,
//! recording unknown fields, the error for a wrong type, a missing field or an unknown variant) is done once, by
//! [`fields`], [`variant`] and [`missing`]; a type's derived reader is a match arm per field. The Kubernetes
//! types the spec holds are read the same way, as k8s-openapi's `Deserialize` reads them (`k8s!`).
//!
//! `core/src/validate/read/tests.rs` holds this reader to serde's derive (kept on the model for kube and for the
//! tests) on every value of the corpus with every kind of wrong value put in every place.

#[cfg(test)]
mod tests;

use super::path::{JsonPath, Seg};
use super::shape::{self, Shape, Step};
use serde::de::Expected;
use serde::de::{self as serde_de, Unexpected};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

pub(crate) use rec_core_derive::FromValue;

/// A type read from JSON at a path, recording where every field it ignores is.
pub(crate) trait FromValue: Sized {
    /// A struct's field names as JSON spells them, in declaration order (the "did you mean" candidates).
    const FIELDS: &'static [&'static str] = &[];

    /// Reads the value at `at`; an error carries the path of the innermost value where it arose.
    fn from_value(value: &Value, at: &Path<'_>, ignored: &mut Vec<JsonPath>) -> Result<Self, Error>;
}

/// Reads `T` from a whole document, pushing the path of every ignored field onto `ignored` (also when it then
/// fails).
pub(crate) fn read<T: FromValue>(value: &Value, ignored: &mut Vec<JsonPath>) -> Result<T, Error> {
    T::from_value(value, &Path::Root, ignored)
}

/// What a struct does with the value of its field number `index`, found at a path.
pub(crate) type Field<'f> = dyn FnMut(usize, &Value, &Path<'_>, &mut Vec<JsonPath>) -> Result<(), Error> + 'f;

/// A struct's entries: each known one to `field` with its index in `names` (in the object's order: the first
/// error in that order is the one reported, as serde reports it); the others into `rest` (a flattened map) or, when
/// there is none, recorded as ignored.
pub(crate) fn fields(
    value: &Value,
    expecting: &'static str,
    names: &'static [&'static str],
    at: &Path<'_>,
    ignored: &mut Vec<JsonPath>,
    mut rest: Option<&mut BTreeMap<String, Value>>,
    field: &mut Field<'_>,
) -> Result<(), Error> {
    let Value::Object(map) = value else {
        return Err(located(invalid_type(value, &expecting), at));
    };
    for (key, value) in map {
        let here = Path::Key(at, key);
        match (names.iter().position(|name| name == key), rest.as_deref_mut()) {
            (Some(index), _) => field(index, value, &here, ignored)?,
            (None, Some(rest)) => {
                rest.insert(key.clone(), value.clone());
            }
            (None, None) => ignored.push(here.to_json()),
        }
    }
    Ok(())
}

/// A required field's absence, at the struct's path.
#[cold]
pub(crate) fn missing(at: &Path<'_>, name: &'static str) -> Error {
    located(serde_de::Error::missing_field(name), at)
}

/// A unit variant's index in `names`: written as its name, or as a one-entry object of its name and `null` (as
/// serde_json reads an enum).
pub(crate) fn variant(value: &Value, names: &'static [&'static str], at: &Path<'_>) -> Result<usize, Error> {
    let (name, content) = match value {
        Value::String(name) => (name, None),
        Value::Object(map) => match single(map) {
            Some((name, content)) => (name, Some(content)),
            None => {
                let error = serde_de::Error::invalid_value(Unexpected::Map, &"map with a single key");
                return Err(located(error, at));
            }
        },
        other => return Err(located(invalid_type(other, &"string or map"), at)),
    };
    let Some(index) = names.iter().position(|known| known == name) else {
        return Err(located(serde_de::Error::unknown_variant(name, names), at));
    };
    match content {
        Some(content) if !content.is_null() => Err(located(invalid_type(content, &"unit"), at)),
        _ => Ok(index),
    }
}

fn single(map: &Map<String, Value>) -> Option<(&String, &Value)> {
    let mut entries = map.iter();
    match (entries.next(), entries.next()) {
        (Some(entry), None) => Some(entry),
        _ => None,
    }
}

/// A value of checked JSON (`api::checked`), checked against `shape` where it is and written as k8s-openapi would
/// write it, in one walk: its unknown fields are recorded like any other ignored field, and a misfit is an error at
/// its own path.
pub(crate) fn checked(
    value: &Value,
    shape: &'static Shape,
    at: &Path<'_>,
    ignored: &mut Vec<JsonPath>,
) -> Result<Value, Error> {
    let mut unknown = Vec::new();
    let written = shape::check(value, shape, &mut unknown);
    // A path is built only for an unknown field or a misfit: the cold path.
    let below = |steps: Vec<Step>| {
        let mut path = at.to_json();
        path.0.extend(steps.into_iter().map(Step::into_seg));
        path
    };
    ignored.extend(unknown.into_iter().map(&below));
    written.map_err(|misfit| Error::located_at(misfit.message, below(misfit.at)))
}

/// The Kubernetes types the spec holds, read as k8s-openapi's `Deserialize` reads them: every field optional (a
/// required one missing or `null` is its default), unknown fields ignored, a wrong type `expected <Type>`.
macro_rules! k8s {
    ($($ty:ty = $name:literal { $($field:ident: $json:literal $how:ident),* $(,)? })*) => {$(
        impl FromValue for $ty {
            const FIELDS: &'static [&'static str] = &[$($json),*];

            fn from_value(value: &Value, at: &Path<'_>, ignored: &mut Vec<JsonPath>) -> Result<Self, Error> {
                let mut out = <$ty>::default();
                fields(value, $name, Self::FIELDS, at, ignored, None, &mut |index, value, at, ignored| {
                    match Self::FIELDS[index] {
                        $($json => out.$field = $how(value, at, ignored)?,)*
                        _ => {}
                    }
                    Ok(())
                })?;
                Ok(out)
            }
        }
    )*};
}

/// An optional field of a Kubernetes type.
fn optional<T: FromValue>(value: &Value, at: &Path<'_>, ignored: &mut Vec<JsonPath>) -> Result<Option<T>, Error> {
    Option::<T>::from_value(value, at, ignored)
}

/// A required field of a Kubernetes type: k8s-openapi reads `null` as its default.
fn required<T: FromValue + Default>(value: &Value, at: &Path<'_>, ignored: &mut Vec<JsonPath>) -> Result<T, Error> {
    Ok(optional(value, at, ignored)?.unwrap_or_default())
}

use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as meta;
k8s! {
    core::ConfigMapKeySelector = "ConfigMapKeySelector" { key: "key" required, name: "name" required, optional: "optional" optional }
    core::EnvVar = "EnvVar" { name: "name" required, value: "value" optional, value_from: "valueFrom" optional }
    core::EnvVarSource = "EnvVarSource" {
        config_map_key_ref: "configMapKeyRef" optional,
        field_ref: "fieldRef" optional,
        file_key_ref: "fileKeyRef" optional,
        resource_field_ref: "resourceFieldRef" optional,
        secret_key_ref: "secretKeyRef" optional,
    }
    core::FileKeySelector = "FileKeySelector" {
        key: "key" required,
        optional: "optional" optional,
        path: "path" required,
        volume_name: "volumeName" required,
    }
    core::HostAlias = "HostAlias" { hostnames: "hostnames" optional, ip: "ip" required }
    core::LocalObjectReference = "LocalObjectReference" { name: "name" required }
    core::ObjectFieldSelector = "ObjectFieldSelector" { api_version: "apiVersion" optional, field_path: "fieldPath" required }
    core::PodAffinityTerm = "PodAffinityTerm" {
        label_selector: "labelSelector" optional,
        match_label_keys: "matchLabelKeys" optional,
        mismatch_label_keys: "mismatchLabelKeys" optional,
        namespace_selector: "namespaceSelector" optional,
        namespaces: "namespaces" optional,
        topology_key: "topologyKey" required,
    }
    core::PodAntiAffinity = "PodAntiAffinity" {
        preferred_during_scheduling_ignored_during_execution: "preferredDuringSchedulingIgnoredDuringExecution" optional,
        required_during_scheduling_ignored_during_execution: "requiredDuringSchedulingIgnoredDuringExecution" optional,
    }
    core::ResourceClaim = "ResourceClaim" { name: "name" required, request: "request" optional }
    core::ResourceFieldSelector = "ResourceFieldSelector" {
        container_name: "containerName" optional,
        divisor: "divisor" optional,
        resource: "resource" required,
    }
    core::ResourceRequirements = "ResourceRequirements" {
        claims: "claims" optional,
        limits: "limits" optional,
        requests: "requests" optional,
    }
    core::SecretKeySelector = "SecretKeySelector" { key: "key" required, name: "name" required, optional: "optional" optional }
    core::Toleration = "Toleration" {
        effect: "effect" optional,
        key: "key" optional,
        operator: "operator" optional,
        toleration_seconds: "tolerationSeconds" optional,
        value: "value" optional,
    }
    core::VolumeMount = "VolumeMount" {
        mount_path: "mountPath" required,
        mount_propagation: "mountPropagation" optional,
        name: "name" required,
        read_only: "readOnly" optional,
        recursive_read_only: "recursiveReadOnly" optional,
        sub_path: "subPath" optional,
        sub_path_expr: "subPathExpr" optional,
    }
    core::WeightedPodAffinityTerm = "WeightedPodAffinityTerm" {
        pod_affinity_term: "podAffinityTerm" required,
        weight: "weight" required,
    }
    meta::LabelSelector = "LabelSelector" { match_expressions: "matchExpressions" optional, match_labels: "matchLabels" optional }
    meta::LabelSelectorRequirement = "LabelSelectorRequirement" {
        key: "key" required,
        operator: "operator" required,
        values: "values" optional,
    }
}

/// A quantity as k8s-openapi reads one: a string as it is, a number as its text.
impl FromValue for k8s_openapi::apimachinery::pkg::api::resource::Quantity {
    fn from_value(value: &Value, at: &Path<'_>, _: &mut Vec<JsonPath>) -> Result<Self, Error> {
        match value {
            Value::String(text) => Ok(Self(text.clone())),
            Value::Number(n) => Ok(Self(shape::quantity_text(n))),
            other => Err(located(invalid_type(other, &"Quantity"), at)),
        }
    }
}

impl FromValue for String {
    fn from_value(value: &Value, at: &Path<'_>, _: &mut Vec<JsonPath>) -> Result<Self, Error> {
        match value {
            Value::String(s) => Ok(s.clone()),
            other => Err(located(invalid_type(other, &"a string"), at)),
        }
    }
}

impl FromValue for bool {
    fn from_value(value: &Value, at: &Path<'_>, _: &mut Vec<JsonPath>) -> Result<Self, Error> {
        match value {
            Value::Bool(b) => Ok(*b),
            other => Err(located(invalid_type(other, &"a boolean"), at)),
        }
    }
}

/// Integers as serde's primitive visitors take serde_json's numbers: `u64` when it fits, else `i64`, else a float
/// (refused); one out of the type's range is an invalid value.
macro_rules! integers {
    ($($ty:ident)*) => {$(
        impl FromValue for $ty {
            fn from_value(value: &Value, at: &Path<'_>, _: &mut Vec<JsonPath>) -> Result<Self, Error> {
                integer(value, stringify!($ty), $ty::MIN as i64, $ty::MAX as u64, at).map(|n| n as $ty)
            }
        }
    )*};
}

integers!(i32 i64 u16 u32 u64);

/// An integer in `min..=max`, as an `i128` wide enough for both ends; `what` names the type in errors.
fn integer(value: &Value, what: &'static str, min: i64, max: u64, at: &Path<'_>) -> Result<i128, Error> {
    let unexpected = match value {
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) if u <= max => return Ok(u.into()),
            (Some(u), _) => Unexpected::Unsigned(u),
            (None, Some(i)) if i >= min => return Ok(i.into()),
            (None, Some(i)) => Unexpected::Signed(i),
            (None, None) if n.is_f64() => return Err(located(invalid_type(value, &what), at)),
            (None, None) => return Err(located(serde_de::Error::custom("number out of range"), at)),
        },
        other => return Err(located(invalid_type(other, &what), at)),
    };
    Err(located(serde_de::Error::invalid_value(unexpected, &what), at))
}

impl FromValue for Value {
    fn from_value(value: &Value, _: &Path<'_>, _: &mut Vec<JsonPath>) -> Result<Self, Error> {
        Ok(value.clone())
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: &Value, at: &Path<'_>, ignored: &mut Vec<JsonPath>) -> Result<Self, Error> {
        match value {
            Value::Null => Ok(None),
            value => T::from_value(value, at, ignored).map(Some),
        }
    }
}

impl<T: FromValue> FromValue for Box<T> {
    const FIELDS: &'static [&'static str] = T::FIELDS;

    fn from_value(value: &Value, at: &Path<'_>, ignored: &mut Vec<JsonPath>) -> Result<Self, Error> {
        T::from_value(value, at, ignored).map(Box::new)
    }
}

impl<T: FromValue> FromValue for Vec<T> {
    fn from_value(value: &Value, at: &Path<'_>, ignored: &mut Vec<JsonPath>) -> Result<Self, Error> {
        let Value::Array(items) = value else {
            return Err(located(invalid_type(value, &"a sequence"), at));
        };
        let mut out = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            out.push(T::from_value(item, &Path::Index(at, index), ignored)?);
        }
        Ok(out)
    }
}

impl<T: FromValue> FromValue for BTreeMap<String, T> {
    fn from_value(value: &Value, at: &Path<'_>, ignored: &mut Vec<JsonPath>) -> Result<Self, Error> {
        let Value::Object(map) = value else {
            return Err(located(invalid_type(value, &"a map"), at));
        };
        let mut out = BTreeMap::new();
        for (key, value) in map {
            out.insert(key.clone(), T::from_value(value, &Path::Key(at, key), ignored)?);
        }
        Ok(out)
    }
}

/// A deserialization error: serde_json's message for it and the path of the value where it arose.
///
/// Boxed: every `Result<T, Error>` of every model type is then one pointer wider than `T` rather than seven words,
/// and the code that moves, checks and locates an error in each reader is that much smaller (errors are the cold path; a validation that fails builds one).
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
    pub(super) fn at(mut self, path: &Path<'_>) -> Self {
        if !self.0.located {
            self.0.path = path.to_json();
            self.0.located = true;
        }
        self
    }

    /// An error at a path already known.
    #[cold]
    pub(super) fn located_at(message: String, path: JsonPath) -> Self {
        Error(Box::new(Inner {
            message,
            path,
            located: true,
        }))
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

impl serde_de::Error for Error {
    #[cold]
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self::new(msg.to_string())
    }

    // serde_json words these two its own way (`null`, its float format): take its text.
    #[cold]
    fn invalid_type(unexp: Unexpected, exp: &dyn Expected) -> Self {
        Self::new(<serde_json::Error as serde_de::Error>::invalid_type(unexp, exp).to_string())
    }

    #[cold]
    fn invalid_value(unexp: Unexpected, exp: &dyn Expected) -> Self {
        Self::new(<serde_json::Error as serde_de::Error>::invalid_value(unexp, exp).to_string())
    }
}

/// Where a value is: a chain of nodes on the stack, each borrowing its key from the input.
#[derive(Clone, Copy)]
pub(crate) enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    #[cold]
    pub(crate) fn to_json(self) -> JsonPath {
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

#[cold]
pub(super) fn unexpected(value: &Value) -> Unexpected<'_> {
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
pub(super) fn invalid_type(value: &Value, exp: &dyn Expected) -> Error {
    serde_de::Error::invalid_type(unexpected(value), exp)
}

/// `error` at `at`, unless it already has a path.
#[cold]
pub(super) fn located(error: Error, at: &Path<'_>) -> Error {
    error.at(at)
}
