//! Kubernetes sub-objects the core passes on without reading them, held as their JSON: checked against the CRD's
//! schema of them and written as k8s-openapi would write what it reads (`validate::shape`: the same keys in the
//! same order, `null` and unknown fields left out, absent required fields with their defaults, a numeric quantity
//! as its text): pod volumes, the user's side and init containers, and the pod attributes the render lays over a
//! pod unread (affinity, DNS, OS, security context, readiness and scheduling gates, resource claims, topology
//! spread).
//!
//! Why JSON and not k8s-openapi's types: the core never looks inside these but for names, a container's image,
//! resources and mounts (read from the JSON on demand); it checks them and passes them on to the pod templates it
//! renders. Read into k8s-openapi's types, each linked a reader, a writer, a clone and a drop per type into every
//! wasm module (a volume's ~30 sources alone were 131 KB of code before `wasm-opt`; bench/README.md, "What the
//! volumes alone are worth"); the check is one walk over static tables (`validate::shapes`, generated from the
//! CRD). `core/tests/shapes.rs` holds the walk to k8s-openapi's
//! reading and writing byte for byte, so a rendered pod template (and its template hash) is what it was.
//!
//! The one difference from k8s-openapi: an ephemeral volume's claim template's timestamps, `managedFields` and
//! `ownerReferences` are checked (loosely, as [`super::Metadata`] reads them) but never written, as before: the
//! API server sets them on stored objects and refuses them in a claim template (only labels and annotations are
//! allowed there), and writing k8s-openapi's `Time` would link a date library. And the messages for a value that
//! does not fit name the JSON type expected (`expected an object`), not the Rust type.
//!
//! The model reader (`validate::read::checked`) checks each value where it is, with its path (unknown fields and
//! misfits reported where they are), and keeps the written form. The `Deserialize` impls (for kube and the tests)
//! are newtypes named `rec_core::checked::` + the shape's name ([`shape::named`]), so that serde's reading through
//! `validate::de` checks them the same way; any other deserializer gets the check's error.

use crate::validate::shape::{self, Shape};
use crate::validate::shapes;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

/// A newtype holding one kind of checked JSON, read against the shape of that name.
macro_rules! checked {
    ($($(#[$doc:meta])* $name:ident = $shape:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Serialize, Clone, Debug, PartialEq)]
        #[serde(transparent)]
        pub struct $name(Value);

        impl $name {
            /// The object as k8s-openapi writes it.
            pub fn json(&self) -> &Value {
                &self.0
            }
        }

        impl crate::validate::read::FromValue for $name {
            fn from_value(
                value: &Value,
                at: &crate::validate::read::Path<'_>,
                ignored: &mut Vec<crate::validate::path::JsonPath>,
            ) -> Result<Self, crate::validate::read::Error> {
                crate::validate::read::checked(value, &shapes::$shape, at, ignored).map($name)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                read(deserializer, concat!("rec_core::checked::", stringify!($shape)), &shapes::$shape).map($name)
            }
        }
    )*};
}

checked! {
    /// Kubernetes' `Volume`.
    Volume = VOLUME;
    /// Kubernetes' `Container` (a side or init container of the user's).
    Container = CONTAINER;
    /// Kubernetes' `Affinity`.
    Affinity = AFFINITY;
    /// Kubernetes' `PodDNSConfig`.
    PodDnsConfig = POD_DNS_CONFIG;
    /// Kubernetes' `PodOS`.
    PodOs = POD_OS;
    /// Kubernetes' `PodReadinessGate`.
    PodReadinessGate = POD_READINESS_GATE;
    /// Kubernetes' `PodResourceClaim`.
    PodResourceClaim = POD_RESOURCE_CLAIM;
    /// Kubernetes' `PodSchedulingGate`.
    PodSchedulingGate = POD_SCHEDULING_GATE;
    /// Kubernetes' `PodSecurityContext`.
    PodSecurityContext = POD_SECURITY_CONTEXT;
    /// Kubernetes' `TopologySpreadConstraint`.
    TopologySpreadConstraint = TOPOLOGY_SPREAD_CONSTRAINT;
}

/// The string at `key` of an object.
fn text<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

impl Volume {
    /// The volume's name (`""` when it has none, as k8s-openapi reads it).
    pub fn name(&self) -> &str {
        text(&self.0, "name").unwrap_or_default()
    }
}

impl Container {
    /// The container's name (`""` when it has none, as k8s-openapi reads it).
    pub fn name(&self) -> &str {
        text(&self.0, "name").unwrap_or_default()
    }

    /// The container's image, when it names one.
    pub fn image(&self) -> Option<&str> {
        text(&self.0, "image")
    }

    /// The container's resources, typed as the spec's own are (read by the reader the spec's already link).
    pub fn resources(&self) -> Option<k8s_openapi::api::core::v1::ResourceRequirements> {
        self.typed("resources")
    }

    /// The container's volume mounts, typed as `redisEnterpriseVolumeMounts` are.
    pub fn volume_mounts(&self) -> Option<Vec<k8s_openapi::api::core::v1::VolumeMount>> {
        self.typed("volumeMounts")
    }

    /// A field read into the type the spec reads elsewhere, through the core's one deserializer: no reader is
    /// linked for it twice. `None` when absent (the check has already refused a value that does not fit).
    fn typed<T: crate::validate::read::FromValue>(&self, field: &str) -> Option<T> {
        crate::validate::read::read(self.0.get(field)?, &mut Vec::new()).ok()
    }
}

/// Reads a newtype `name` holding JSON of `shape`: the JSON as it is, checked (one function for every checked
/// type but its deserializer).
fn read<'de, D: Deserializer<'de>>(
    deserializer: D,
    name: &'static str,
    shape: &'static Shape,
) -> Result<Value, D::Error> {
    struct Checked(&'static Shape);
    impl<'de> Visitor<'de> for Checked {
        type Value = Value;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a Kubernetes object")
        }

        fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
            let value = Value::deserialize(deserializer)?;
            shape::check(&value, self.0, &mut Vec::new()).map_err(|misfit| de::Error::custom(misfit.message))
        }
    }
    deserializer.deserialize_newtype_struct(name, Checked(shape))
}
