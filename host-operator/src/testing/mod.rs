//! Test support, behind the cargo feature `testing` (never in the shipped binary). Two in-memory clusters:
//!
//! - [`cluster`]: kube-fake-client, with its interceptors (`tests/retry.rs` injects errors through them). Lenient:
//!   it stores what a real API server refuses (a changed StatefulSet claim template, a shrunk claim).
//! - [`World`]: the strict [`apiserver`] (the real server's refusals, finalizers, garbage collection) with the
//!   controller simulation [`sim`] (StatefulSet controller, kubelet, volumes) driven step by step, and
//!   [`invariant`] checks after every write. Use it for anything that changes a running cluster (rolls,
//!   expansion, scaling, deletion).
//!
//! Both work with fault injection in front ([`faults`]) and with the calls below, which drive
//! [`reconcile`](crate::reconcile) exactly as the controller does. Shared by the integration tests
//! (`tests/common`) and `rec-bench`'s operator section, so both measure and check the same set-up. It does not
//! judge results: assertions stay in the tests.
//!
//! [`redb`] drives the REDB side on [`cluster`]: its watch cache fed as the reflectors feed it, and its reconciles.

pub mod apiserver;
pub mod faults;
pub mod invariant;
pub mod redb;
pub mod sim;
pub mod world;

pub use world::World;

use crate::owned::{self, KINDS};
use crate::reconcile::Context;
use kube::Client;
use kube::api::{Api, DynamicObject, PostParams};
use kube::runtime::events::{Recorder, Reporter};
use kube_fake_client::{ClientBuilder, interceptor};
use rec_core::RedisEnterpriseCluster;
use rec_engine::Engine;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The namespace every test REC lives in.
pub const NS: &str = "redis";

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the in-memory API server did not start: {0}")]
    Fake(#[from] kube_fake_client::Error),
    #[error("the in-memory API server refused: {0}")]
    Api(#[from] kube::Error),
    #[error("not a Kubernetes object: {0}")]
    Json(#[from] serde_json::Error),
    #[error("a REDB reconcile failed: {0}")]
    Redb(#[source] Box<crate::redb::reconcile::Error>),
}

/// The fake learns which kinds have a status subresource from a `Default` instance; the core's REC type has no
/// `Default` (a REC without a spec is not a REC), so this stand-in with the same group, version and kind serves
/// (and one for the REDB).
mod status_marker {
    #[derive(kube::CustomResource, serde::Serialize, serde::Deserialize, Clone, Debug, Default)]
    #[kube(
        group = "app.redislabs.com",
        version = "v1",
        kind = "RedisEnterpriseCluster",
        namespaced
    )]
    #[kube(schema = "disabled")]
    pub struct Spec {}

    impl Default for RedisEnterpriseCluster {
        fn default() -> Self {
            RedisEnterpriseCluster::new("", Spec {})
        }
    }

    /// The same for the REDB (whose core type implements no `Default` either).
    pub mod redb {
        #[derive(kube::CustomResource, serde::Serialize, serde::Deserialize, Clone, Debug, Default)]
        #[kube(
            group = "app.redislabs.com",
            version = "v1alpha1",
            kind = "RedisEnterpriseDatabase",
            namespaced
        )]
        #[kube(schema = "disabled")]
        pub struct Spec {}

        impl Default for RedisEnterpriseDatabase {
            fn default() -> Self {
                RedisEnterpriseDatabase::new("", Spec {})
            }
        }
    }
}

/// A valid spec without warnings (8Gi nodes, requests = limits).
pub fn spec() -> Value {
    let resources = json!({ "cpu": "2", "memory": "8Gi" });
    json!({ "nodes": 3, "redisEnterpriseNodeResources": { "limits": resources, "requests": resources } })
}

/// A REC object in [`NS`].
pub fn rec(name: &str, spec: Value) -> Value {
    json!({
        "apiVersion": "app.redislabs.com/v1",
        "kind": "RedisEnterpriseCluster",
        "metadata": { "name": name, "namespace": NS },
        "spec": spec,
    })
}

/// The in-memory API server, with `funcs` intercepting requests.
pub async fn cluster(funcs: interceptor::Funcs) -> Result<Client, Error> {
    Ok(ClientBuilder::new()
        .with_resource::<RedisEnterpriseCluster>()
        .with_status_subresource::<status_marker::RedisEnterpriseCluster>()
        .with_resource::<rec_core::redb::RedisEnterpriseDatabase>()
        .with_status_subresource::<status_marker::redb::RedisEnterpriseDatabase>()
        .with_interceptor_funcs(funcs)
        .build()
        .await?)
}

/// A reconcile context on `client` with fresh metrics and an event recorder.
pub fn context(client: &Client, engine: Engine) -> Context {
    let reporter = Reporter {
        controller: "rec-operator".into(),
        instance: None,
    };
    Context::new(
        client.clone(),
        engine,
        Recorder::new(client.clone(), reporter),
        Arc::default(),
    )
}

/// The RECs of [`NS`].
pub fn recs(client: &Client) -> Api<DynamicObject> {
    Api::namespaced_with(client.clone(), NS, &owned::rec_resource())
}

/// Creates a REC from raw JSON (so a broken one can be created too).
pub async fn create(client: &Client, object: Value) -> Result<(), Error> {
    let object: DynamicObject = serde_json::from_value(object)?;
    recs(client).create(&PostParams::default(), &object).await?;
    Ok(())
}

/// Every object of an owned kind in [`NS`], by `Kind/name`.
pub async fn owned_objects(client: &Client) -> Result<BTreeMap<String, Value>, Error> {
    let mut all = BTreeMap::new();
    for kind in &KINDS {
        let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), NS, &owned::api_resource(kind));
        for item in api.list(&Default::default()).await?.items {
            let name = item.metadata.name.clone().unwrap_or_default();
            all.insert(format!("{}/{name}", kind.kind.as_str()), serde_json::to_value(item)?);
        }
    }
    Ok(all)
}
