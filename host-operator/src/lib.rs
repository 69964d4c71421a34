//! rec-operator: the native host of the RedisEnterpriseCluster core. It runs the core WebAssembly module through
//! `rec-engine` (never the core's validate/render natively) and drives a Kubernetes cluster with kube.
//!
//! The binary (`main.rs`) is the CLI; everything it runs lives here so the tests can drive it too.

pub mod apply;
pub mod cli;
pub mod controller;
pub mod events;
pub mod health;
pub mod leader;
pub mod metrics;
pub mod observe;
pub mod owned;
pub mod prune;
pub mod reconcile;
pub mod redb;
pub mod secret;
pub mod status;
pub mod step;
#[cfg(feature = "testing")]
pub mod testing;
pub mod timeout;
