//! One handle on a simulated cluster: the strict API server, a client of it, and the controller simulation.
//! Reads go straight to the stored objects (no request, no fault injection), so a test's assertions never
//! disturb what they observe.

use super::NS;
use super::apiserver::kinds::{RESOURCES, Resource};
use super::apiserver::{ApiServer, object};
use super::sim::{Config, Sim};
use kube::Client;
use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind};
use serde_json::Value;
use std::collections::BTreeMap;

pub struct World {
    pub server: ApiServer,
    /// A client of the server, with no faults and no checks (the test's own).
    pub client: Client,
    pub sim: Sim,
}

impl Default for World {
    fn default() -> Self {
        Self::new()
    }
}

impl World {
    pub fn new() -> Self {
        Self::with_config(Config::default())
    }

    pub fn with_config(config: Config) -> Self {
        Self::on(ApiServer::new(), config)
    }

    /// A world on `server` (e.g. one with other [`rules::Options`](super::apiserver::rules::Options)).
    pub fn on(server: ApiServer, config: Config) -> Self {
        Self {
            client: server.client(),
            sim: Sim::with_config(&server, config),
            server,
        }
    }

    /// The stored object `kind`/`name` in [`NS`] (`kind` as in `"StatefulSet"`).
    pub fn object(&self, kind: &str, name: &str) -> Option<Value> {
        let resource = resource(kind)?;
        self.server
            .view()
            .get(resource.group, resource.plural, NS, name)
            .cloned()
    }

    /// Every stored object of `kind` in [`NS`], by name.
    pub fn objects(&self, kind: &str) -> Vec<Value> {
        let Some(resource) = resource(kind) else {
            return Vec::new();
        };
        self.server
            .view()
            .list(resource.group, resource.plural, NS)
            .into_iter()
            .cloned()
            .collect()
    }

    /// Pod name -> uid: equal before and after a flow means no pod was re-created.
    pub fn pod_uids(&self) -> BTreeMap<String, String> {
        self.objects("Pod")
            .iter()
            .map(|p| (object::name(p).to_string(), object::uid(p).to_string()))
            .collect()
    }

    /// A reconcile context on `client` (this world's, perhaps wrapped in faults or checks) whose clock is the
    /// simulated cluster's, so a roll's bound is measured in simulated time.
    pub fn context(&self, client: &Client, engine: rec_engine::Engine) -> crate::reconcile::Context {
        let clock = self.server.clock().clone();
        super::context(client, engine).with_clock(std::sync::Arc::new(move || clock.now()))
    }

    /// An API of `kind` in [`NS`] through the test's client.
    pub fn api(&self, kind: &str) -> Option<Api<DynamicObject>> {
        let resource = resource(kind)?;
        let gvk = GroupVersionKind::gvk(resource.group, resource.version, resource.kind);
        let api_resource = ApiResource::from_gvk_with_plural(&gvk, resource.plural);
        Some(Api::namespaced_with(self.client.clone(), NS, &api_resource))
    }
}

/// The served resource of a kind (the core group's `Event` for `"Event"`).
fn resource(kind: &str) -> Option<&'static Resource> {
    RESOURCES.iter().find(|r| r.kind == kind)
}
