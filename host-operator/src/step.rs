//! Carries out the first step of a plan, when the plan says it runs now: the only writes a change makes besides
//! applying the plan's objects. Each is one idempotent request, so a step repeated after a crash does no harm:
//! - `restartNode`: delete the pod (the StatefulSet is `OnDelete`; its controller re-creates the pod on the new
//!   template; the pod's preStop hook moves its shards away first);
//! - `expandVolume`: raise the claim's storage request (a merge patch of that one field);
//! - `replaceStatefulSet`: delete the StatefulSet with `propagationPolicy: Orphan`, so its pods keep running
//!   and the next apply re-creates it with the new claim template, adopting them.
//!
//! `apply` and `addNode` need nothing here (applying the objects did it); waits need nothing at all.
//! This module decides nothing: the plan did.

use kube::Client;
use kube::api::{Api, DeleteParams, DynamicObject, Patch, PatchParams, PropagationPolicy};
use rec_core::plan::{Action, Step, StepStatus};
use rec_core::render::Kind;
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{action} failed: {source}")]
    Write { action: String, source: Box<kube::Error> },
    #[error("carrying out the plan's step: {0}")]
    TimedOut(#[from] crate::timeout::TimedOut),
}

/// What was done, for events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    Nothing,
    Restarted(String),
    Expanded(String),
    Replaced,
}

/// Performs `step` when its status is `run`.
pub async fn perform(client: &Client, namespace: &str, name: &str, step: Option<&Step>) -> Result<Done, Error> {
    let Some(step) = step.filter(|s| s.status == StepStatus::Run) else {
        return Ok(Done::Nothing);
    };
    let api = |kind: &rec_core::render::KindInfo| -> Api<DynamicObject> {
        Api::namespaced_with(client.clone(), namespace, &crate::owned::api_resource(kind))
    };
    let failed = |source: kube::Error| Error::Write {
        action: step.text.clone(),
        source: Box::new(source),
    };
    let gone_is_fine = |r: Result<(), kube::Error>| match r {
        Err(kube::Error::Api(e)) if e.code == 404 => Ok(()),
        other => other,
    };
    match &step.action {
        Action::RestartNode { pod } => {
            let pods: Api<DynamicObject> =
                Api::namespaced_with(client.clone(), namespace, &crate::owned::pod_resource());
            gone_is_fine(pods.delete(pod, &DeleteParams::default()).await.map(|_| ())).map_err(failed)?;
            Ok(Done::Restarted(pod.clone()))
        }
        Action::ExpandVolume { claim, size } => {
            let patch = json!({ "spec": { "resources": { "requests": { "storage": size } } } });
            api(Kind::PersistentVolumeClaim.info())
                .patch(claim, &PatchParams::default(), &Patch::Merge(&patch))
                .await
                .map_err(failed)?;
            Ok(Done::Expanded(claim.clone()))
        }
        Action::ReplaceStatefulSet => {
            let orphan = DeleteParams {
                propagation_policy: Some(PropagationPolicy::Orphan),
                ..DeleteParams::default()
            };
            gone_is_fine(api(Kind::StatefulSet.info()).delete(name, &orphan).await.map(|_| ())).map_err(failed)?;
            Ok(Done::Replaced)
        }
        Action::Apply { .. } | Action::AddNode { .. } | Action::WaitNode { .. } | Action::WaitVolumes { .. } => {
            Ok(Done::Nothing)
        }
    }
}
