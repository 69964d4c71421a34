//! The RedisEnterpriseCluster API as Rust types: the custom resource, its spec and its status.
//!
//! Field names and JSON types follow the published CRD (operator 8.0.20-23) one for one, so any REC a real user
//! wrote parses. Enumerated strings are Rust enums; free-form Kubernetes objects use k8s-openapi types, except
//! those the core only checks and passes on (volumes, the user's containers, most pod attributes: [`checked`],
//! their JSON checked against the CRD). The types say nothing about defaults or rules: those live in `defaults`
//! and `validate`.

pub mod checked;
mod enterprise;
mod images;
mod object;
mod spec;
mod status;

pub use checked::Volume;
pub use enterprise::*;
pub use images::*;
pub use object::*;
pub use spec::*;
pub use status::*;

/// API group of the resource.
pub const GROUP: &str = "app.redislabs.com";
/// Kind of the resource.
pub const KIND: &str = "RedisEnterpriseCluster";
/// Plural resource name, as used in URLs and RBAC rules.
pub const PLURAL: &str = "redisenterpriseclusters";
/// The served versions; `v1` is the storage version, `v1alpha1` is served with the same schema.
pub const VERSIONS: [&str; 2] = ["v1", "v1alpha1"];
