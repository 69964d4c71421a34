//! Invariants checked around every write a client makes: a layer in front of a client (the operator's) that
//! hands the stored objects to a check before and after each POST, PUT, PATCH or DELETE, and records a
//! violation when an accepted write broke the invariant (it held before, or failed differently). A test then
//! fails with "write #12 DELETE .../pods/rec-1: ..." rather than with a bad end state; a state that stays
//! broken is reported once, by the write that broke it, not by every later write.
//!
//! [`at_most_down`] is the main one: never more node pods down than allowed. The checker can be disarmed while
//! a cluster forms (every pod is down then) and armed for the flow under test.

use super::apiserver::object::{name, str_at, terminating};
use super::apiserver::{ApiServer, View};
use super::sim::kubelet::ready;
use kube::Client;
use kube::client::Body;
use serde_json::Value;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// A check of the whole world: `Err` says what is wrong.
pub type Invariant = Arc<dyn Fn(&View<'_>) -> Result<(), String> + Send + Sync>;

/// A write after which the invariant did not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// 1-based count of the writes seen through the checked client.
    pub write: usize,
    /// `DELETE /api/v1/namespaces/redis/pods/rec-1`.
    pub request: String,
    pub message: String,
}

/// Checks `invariant` after every accepted write of the clients it wraps.
#[derive(Clone)]
pub struct Checker {
    server: ApiServer,
    invariant: Invariant,
    violations: Arc<Mutex<Vec<Violation>>>,
    writes: Arc<AtomicUsize>,
    armed: Arc<AtomicBool>,
}

impl Checker {
    /// A checker of the objects of `server`, armed.
    pub fn new(server: &ApiServer, invariant: Invariant) -> Self {
        Self {
            server: server.clone(),
            invariant,
            violations: Arc::default(),
            writes: Arc::default(),
            armed: Arc::new(AtomicBool::new(true)),
        }
    }

    /// `inner`, with the invariant checked after each of its accepted writes.
    pub fn wrap(&self, inner: Client) -> Client {
        let namespace = inner.default_namespace().to_string();
        let checker = self.clone();
        let service = tower::service_fn(move |request: http::Request<Body>| {
            let (inner, checker) = (inner.clone(), checker.clone());
            let write = matches!(request.method().as_str(), "POST" | "PUT" | "PATCH" | "DELETE");
            let described = format!("{} {}", request.method(), request.uri().path());
            async move {
                let before = write.then(|| checker.check());
                let response = inner.send(request).await?;
                if let Some(before) = before
                    && response.status().is_success()
                {
                    checker.after_write(described, before);
                }
                Ok::<_, kube::Error>(response)
            }
        });
        Client::new(service, namespace)
    }

    fn check(&self) -> Result<(), String> {
        (self.invariant)(&self.server.view())
    }

    fn after_write(&self, request: String, before: Result<(), String>) {
        let write = self.writes.fetch_add(1, Ordering::SeqCst) + 1;
        if !self.armed.load(Ordering::SeqCst) {
            return;
        }
        let after = self.check();
        if let Err(message) = after
            && before != Err(message.clone())
        {
            let violation = Violation {
                write,
                request,
                message,
            };
            self.violations
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .push(violation);
        }
    }

    /// Stops checking (writes are still counted).
    pub fn disarm(&self) {
        self.armed.store(false, Ordering::SeqCst);
    }

    pub fn arm(&self) {
        self.armed.store(true, Ordering::SeqCst);
    }

    /// Every violation so far, in order.
    pub fn violations(&self) -> Vec<Violation> {
        self.violations
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Accepted writes seen so far.
    pub fn writes(&self) -> usize {
        self.writes.load(Ordering::SeqCst)
    }
}

/// Never more than `max` node pods down in any StatefulSet (see [`down_pods`]).
pub fn at_most_down(max: usize) -> Invariant {
    Arc::new(move |view| {
        let too_many: Vec<String> = down_pods(view)
            .into_iter()
            .filter(|(_, down)| down.len() > max)
            .map(|(set, down)| format!("StatefulSet {set}: {} node pods down ({})", down.len(), down.join(", ")))
            .collect();
        if too_many.is_empty() {
            Ok(())
        } else {
            Err(too_many.join("; "))
        }
    })
}

/// For every StatefulSet (`namespace/name`), its node pods that are down: each ordinal of `spec.replicas` whose
/// pod is missing, being deleted, or not Ready (`"rec-1 not Ready"`). A pod counts by its name and the set's
/// selector, not by its owner (an orphaned pod that is Ready is up).
pub fn down_pods(view: &View<'_>) -> Vec<(String, Vec<String>)> {
    let mut all = Vec::new();
    let sets: Vec<&Value> = view
        .all()
        .filter(|(k, _)| k.resource.is("apps", "statefulsets"))
        .map(|(_, o)| o)
        .collect();
    for set in sets {
        let namespace = str_at(set, "/metadata/namespace").unwrap_or_default();
        let start = set.pointer("/spec/ordinals/start").and_then(Value::as_i64).unwrap_or(0);
        let replicas = set.pointer("/spec/replicas").and_then(Value::as_i64).unwrap_or(1);
        let selector = set.pointer("/spec/selector").cloned().unwrap_or_default();
        let mut down = Vec::new();
        for ordinal in start..start + replicas {
            let pod_name = format!("{}-{ordinal}", name(set));
            let pod = view.get("", "pods", namespace, &pod_name).filter(|pod| {
                super::apiserver::object::selector_matches(&selector, &super::apiserver::object::labels(pod))
            });
            match pod {
                None => down.push(format!("{pod_name} missing")),
                Some(pod) if terminating(pod) => down.push(format!("{pod_name} being deleted")),
                Some(pod) if !ready(pod) => down.push(format!("{pod_name} not Ready")),
                Some(_) => {}
            }
        }
        all.push((format!("{namespace}/{}", name(set)), down));
    }
    all
}
