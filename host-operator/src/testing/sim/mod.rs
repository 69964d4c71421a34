//! A small, deterministic simulation of what moves a cluster besides the operator: the StatefulSet controller
//! ([`statefulset`]), the kubelet ([`kubelet`]) and the volume provisioner and resizer ([`volumes`]). There is no
//! background task: a test calls [`Sim::step`] (one pass of each controller, the clock one step on) or
//! [`Sim::settle`], so every run of a test sees the same sequence of states.
//!
//! The simulation is a client of the API like the real controllers: it reads and writes through a
//! [`kube::Client`] of the [`ApiServer`](super::apiserver::ApiServer), so its writes meet the same rules as the
//! operator's. What each controller models, and what it leaves out, is in its module.

pub mod kubelet;
pub mod statefulset;
pub mod volumes;

use super::apiserver::ApiServer;
use kube::Client;
use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind};
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the simulation's request was refused: {0}")]
    Api(#[from] kube::Error),
    #[error("not a Kubernetes object: {0}")]
    Json(#[from] serde_json::Error),
    #[error("the world did not settle within {steps} steps")]
    Unsettled { steps: usize },
}

/// How fast things happen, in steps.
#[derive(Debug, Clone)]
pub struct Config {
    /// Steps from a pod's creation to its Ready condition (at least one: the kubelet sees a pod on the step
    /// after it was created).
    pub ready_after_steps: u32,
    /// Steps from a claim's request growing to its `status.capacity` following (0: within the same step).
    pub resize_after_steps: u32,
    /// Seconds the clock moves per step.
    pub step_seconds: i64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            ready_after_steps: 1,
            resize_after_steps: 0,
            step_seconds: 1,
        }
    }
}

/// Something the simulated controllers did, for tests that assert on history (e.g. "no pod was re-created").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    PodCreated {
        step: u64,
        name: String,
        uid: String,
        revision: String,
    },
    /// The kubelet finished a pod's deletion (it is gone from the API).
    PodRemoved {
        step: u64,
        name: String,
        uid: String,
    },
    /// The StatefulSet controller deleted a pod (scale down or rolling update).
    PodDeleted {
        step: u64,
        name: String,
        uid: String,
    },
    PodAdopted {
        step: u64,
        name: String,
        uid: String,
        owner: String,
    },
    ClaimCreated {
        step: u64,
        name: String,
    },
    ClaimResized {
        step: u64,
        name: String,
        capacity: String,
    },
}

/// What one step did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Writes made.
    pub writes: usize,
    /// Something is waiting for time to pass (a pod not yet Ready, a resize in progress).
    pub waiting: bool,
}

impl std::ops::AddAssign for Progress {
    fn add_assign(&mut self, other: Self) {
        self.writes += other.writes;
        self.waiting |= other.waiting;
    }
}

/// The simulated controllers, driven by the test.
pub struct Sim {
    server: ApiServer,
    client: Client,
    config: Config,
    step: u64,
    /// Pods held not Ready, by name, with the reason their container waits.
    held_pods: BTreeMap<String, String>,
    /// Claims whose resize does not complete, by name.
    held_claims: Vec<String>,
    events: Vec<Event>,
}

impl Sim {
    pub fn new(server: &ApiServer) -> Self {
        Self::with_config(server, Config::default())
    }

    pub fn with_config(server: &ApiServer, config: Config) -> Self {
        Self {
            server: server.clone(),
            client: server.client(),
            config,
            step: 0,
            held_pods: BTreeMap::new(),
            held_claims: Vec::new(),
            events: Vec::new(),
        }
    }

    /// One pass of the kubelet, the volume controllers and the StatefulSet controller, in that order, after the
    /// clock moved one step.
    pub async fn step(&mut self) -> Result<Progress, Error> {
        self.server.clock().advance(self.config.step_seconds);
        self.step += 1;
        let mut progress = kubelet::step(self).await?;
        progress += volumes::step(self).await?;
        progress += statefulset::step(self).await?;
        Ok(progress)
    }

    /// Steps until one makes no write and nothing waits for time (held pods and claims do not count), at most
    /// `max_steps`; returns the steps taken.
    pub async fn settle(&mut self, max_steps: usize) -> Result<usize, Error> {
        for taken in 1..=max_steps {
            let progress = self.step().await?;
            if progress.writes == 0 && !progress.waiting {
                return Ok(taken);
            }
        }
        Err(Error::Unsettled { steps: max_steps })
    }

    /// `n` steps, whatever they do.
    pub async fn steps(&mut self, n: usize) -> Result<(), Error> {
        for _ in 0..n {
            self.step().await?;
        }
        Ok(())
    }

    /// The pod `name` (now or when re-created) never becomes Ready: its container waits with `reason` (e.g.
    /// `CrashLoopBackOff`); a Ready pod turns not Ready on the next step.
    pub fn hold_pod(&mut self, name: &str, reason: &str) {
        self.held_pods.insert(name.into(), reason.into());
    }

    pub fn release_pod(&mut self, name: &str) {
        self.held_pods.remove(name);
    }

    /// The claim `name`'s resize starts but never completes (a storage class without expansion support).
    pub fn hold_claim(&mut self, name: &str) {
        self.held_claims.push(name.into());
    }

    pub fn release_claim(&mut self, name: &str) {
        self.held_claims.retain(|c| c != name);
    }

    /// Steps taken so far.
    pub fn step_count(&self) -> u64 {
        self.step
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Everything the simulated controllers did, in order.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The names of the pods the StatefulSet controller created, in order.
    pub fn pods_created(&self) -> Vec<&str> {
        self.events
            .iter()
            .filter_map(|e| match e {
                Event::PodCreated { name, .. } => Some(name.as_str()),
                _ => None,
            })
            .collect()
    }

    fn record(&mut self, event: Event) {
        self.events.push(event);
    }

    fn api(&self, api_version: &str, kind: &str, plural: &str, namespace: Option<&str>) -> Api<DynamicObject> {
        let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
        let resource = ApiResource::from_gvk_with_plural(&GroupVersionKind::gvk(group, version, kind), plural);
        match namespace {
            Some(namespace) => Api::namespaced_with(self.client.clone(), namespace, &resource),
            None => Api::all_with(self.client.clone(), &resource),
        }
    }

    /// Every object of a kind, in all namespaces, as JSON.
    async fn list(&self, api_version: &str, kind: &str, plural: &str) -> Result<Vec<Value>, Error> {
        let items = self
            .api(api_version, kind, plural, None)
            .list(&Default::default())
            .await?
            .items;
        items
            .into_iter()
            .map(|item| serde_json::to_value(item).map_err(Error::from))
            .collect()
    }

    /// Replaces the `status` of `object` (a PUT of the status subresource, conditioned on its resourceVersion).
    async fn write_status(&self, plural: &str, object: &Value, status: Value) -> Result<(), Error> {
        let (api_version, kind) = (
            object["apiVersion"].as_str().unwrap_or("v1"),
            object["kind"].as_str().unwrap_or_default(),
        );
        let namespace = object.pointer("/metadata/namespace").and_then(Value::as_str);
        let mut object = object.clone();
        object["status"] = status;
        let name = super::apiserver::object::name(&object).to_string();
        let object: DynamicObject = serde_json::from_value(object)?;
        self.api(api_version, kind, plural, namespace)
            .replace_status(&name, &Default::default(), &object)
            .await?;
        Ok(())
    }
}
