//! rec-core: the pure core of the RedisEnterpriseCluster operator.
//!
//! Everything here is a function of its input: no I/O, no clock, no randomness, no threads. That is what lets
//! the same code run natively, as the core WebAssembly module (see `abi`), inside the Kubewarden policy and in
//! the browser preview, and give byte-identical answers in each.

pub mod abi;
pub mod api;
#[cfg(feature = "crd")]
pub mod crd;
pub mod defaults;
pub mod field_docs;
pub mod kind;
pub mod plan;
pub mod preview;
pub mod quantity;
pub mod redb;
pub mod render;
pub mod validate;
pub mod yaml;

pub use api::{Metadata, RecObject, RedisEnterpriseCluster, RedisEnterpriseClusterSpec, RedisEnterpriseClusterStatus};
