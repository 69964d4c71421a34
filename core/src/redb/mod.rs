//! The RedisEnterpriseDatabase (REDB): one database inside a REC (REDB.md).
//!
//! Layout: one folder per custom resource other than the REC. `redb/spec.rs` holds the resource and its spec (the
//! 36 fields of the published CRD), `redb/status.rs` its status, `redb/crd.rs` the generated CRD (feature `crd`)
//! and `redb/validate/` its validation (structure, create rules, update rules). The REC predates this layout and
//! lives at the crate root: types in `api/`, CRD in `crd.rs`, validation in `validate/`. A REAADB or RERC gets a
//! folder of its own beside this one (`reaadb/`, `rerc/`), laid out the same way.
//!
//! Shared with the REC: the violation and report types and the rule catalogue (`validate::catalogue`, where the
//! REDB's rules are the `redb-` codes of `REDB_RULES`), the model reader that tracks paths (`validate::read`)
//! and the quantity parser. `redb/kubernetes.rs` says what a REDB gets on the Kubernetes side (REDB.md section 4:
//! Services, Secret, finalizer), for the preview.

#[cfg(feature = "crd")]
mod crd;
pub mod kubernetes;
mod spec;
mod status;
mod validate;

#[cfg(feature = "crd")]
pub use crd::{crd, crd_yaml, field_docs_json};
pub use spec::*;
pub use status::*;
pub use validate::{
    CONTEXT_REC_FIELDS, CONTEXT_REDB_FIELDS, Context, cluster_of, validate, validate_in, validate_with,
};

/// Kind of the resource.
pub const KIND: &str = "RedisEnterpriseDatabase";
/// Plural resource name, as used in URLs and RBAC rules.
pub const PLURAL: &str = "redisenterprisedatabases";
/// The one served (and storage) version.
pub const VERSION: &str = "v1alpha1";
