//! A pod volume, as the core holds it: its JSON, checked against the CRD's schema of a volume and written as
//! k8s-openapi would write the `Volume` it reads (`validate::shape`: the same keys in the same order, `null` and
//! unknown fields left out, absent required fields with their defaults, a numeric quantity as its text).
//!
//! Why JSON and not k8s-openapi's `Volume`: the core never looks inside a user's volume but for its name; it
//! checks it and passes it on to the pod templates it renders. Read into k8s-openapi's types, its ~30 volume
//! sources each linked a reader, a writer, a clone and a drop into every wasm module (131 KB of code before
//! `wasm-opt`; bench/README.md, "What the volumes alone are worth"); the check is one walk over a static table
//! (`validate::shapes`, generated from the CRD). `core/tests/shapes.rs` holds the walk to k8s-openapi's reading
//! and writing byte for byte, so a rendered pod template (and its template hash) is what it was.
//!
//! The one difference from k8s-openapi: an ephemeral claim template's timestamps, `managedFields` and
//! `ownerReferences` are checked (loosely, as [`super::Metadata`] reads them) but never written, as before: the
//! API server sets them on stored objects and refuses them in a claim template (only labels and annotations are
//! allowed there), and writing k8s-openapi's `Time` would link a date library. And the messages for a value that
//! does not fit name the JSON type expected (`expected an object`), not the Rust type.

use crate::validate::shape;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

/// Kubernetes' `Volume` as its checked JSON.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(transparent)]
pub struct Volume(Value);

impl Volume {
    /// The volume's name (`""` when it has none, as k8s-openapi reads it).
    pub fn name(&self) -> &str {
        self.0.get("name").and_then(Value::as_str).unwrap_or_default()
    }

    /// The volume as k8s-openapi writes it.
    pub fn json(&self) -> &Value {
        &self.0
    }
}

/// Read as a newtype named [`shape::VOLUME`]: the core's deserializer (`validate::de`) checks the value there with
/// its path (unknown fields and misfits reported where they are); the check here gives the written form, and the
/// error for any other deserializer.
impl<'de> Deserialize<'de> for Volume {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Checked;
        impl<'de> Visitor<'de> for Checked {
            type Value = Volume;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a volume")
            }

            fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<Volume, D::Error> {
                let value = Value::deserialize(deserializer)?;
                shape::check(&value, &crate::validate::shapes::VOLUME, &mut Vec::new())
                    .map(Volume)
                    .map_err(|misfit| de::Error::custom(misfit.message))
            }
        }
        deserializer.deserialize_newtype_struct(shape::VOLUME, Checked)
    }
}
