//! The kubelet, for every scheduled pod (`spec.nodeName` set): a pod being deleted is removed (a delete with
//! grace 0, as the kubelet does once the containers stopped); a new pod is `Pending` with its containers
//! `ContainerCreating`, then `Running` and Ready once it is `ready_after_steps` old; a held pod runs but is not
//! Ready, its containers waiting with the hold's reason (e.g. `CrashLoopBackOff`) after a restart.
//!
//! Not modelled: probes, container restarts other than a hold, pod IPs, resource accounting, eviction, node
//! failure. Conditions keep their `lastTransitionTime` while their status holds.

use super::{Error, Event, Progress, Sim};
use crate::testing::apiserver::object::{name, parse_time, str_at, terminating, time, uid};
use jiff::{SignedDuration, Timestamp};
use kube::api::DeleteParams;
use serde_json::{Value, json};

pub(super) async fn step(sim: &mut Sim) -> Result<Progress, Error> {
    let mut progress = Progress::default();
    let now = sim.server.clock().now();
    for pod in sim.list("v1", "Pod", "pods").await? {
        if str_at(&pod, "/spec/nodeName").is_none_or(str::is_empty) {
            continue;
        }
        let namespace = str_at(&pod, "/metadata/namespace").map(str::to_string);
        if terminating(&pod) {
            let params = DeleteParams {
                grace_period_seconds: Some(0),
                ..Default::default()
            };
            let api = sim.api("v1", "Pod", "pods", namespace.as_deref());
            match api.delete(name(&pod), &params).await {
                Ok(_) => {}
                // Gone already (its owner's deletion took it).
                Err(kube::Error::Api(status)) if status.code == 404 => {}
                Err(e) => return Err(e.into()),
            }
            progress.writes += 1;
            let (step, name, uid) = (sim.step, name(&pod).to_string(), uid(&pod).to_string());
            sim.record(Event::PodRemoved { step, name, uid });
            continue;
        }
        let created = parse_time(pod.pointer("/metadata/creationTimestamp")).unwrap_or(now);
        let ready_at =
            created + SignedDuration::from_secs(sim.config.step_seconds * i64::from(sim.config.ready_after_steps));
        let state = match sim.held_pods.get(name(&pod)) {
            Some(reason) => State::Held(reason.clone()),
            None if now >= ready_at => State::Ready,
            None => {
                progress.waiting = true;
                State::Starting
            }
        };
        let status = status(&pod, &state, now);
        if pod.get("status") != Some(&status) {
            sim.write_status("pods", &pod, status).await?;
            progress.writes += 1;
        }
    }
    Ok(progress)
}

/// Where a pod's containers are.
enum State {
    Starting,
    Ready,
    Held(String),
}

/// The status the kubelet reports for `pod` in `state`.
fn status(pod: &Value, state: &State, now: Timestamp) -> Value {
    let old = pod.get("status").cloned().unwrap_or_default();
    let ready = matches!(state, State::Ready);
    let condition = |type_: &str, ok: bool| {
        let status = if ok { "True" } else { "False" };
        let previous = old["conditions"]
            .as_array()
            .and_then(|all| all.iter().find(|c| c["type"] == type_));
        let since = match previous {
            Some(c) if c["status"] == status => c["lastTransitionTime"].clone(),
            _ => time(now),
        };
        let mut condition = json!({ "type": type_, "status": status, "lastTransitionTime": since });
        if !ok {
            condition["reason"] = json!("ContainersNotReady");
        }
        condition
    };
    let containers: Vec<Value> = pod
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|container| {
            let name = container["name"].clone();
            let previous = old["containerStatuses"]
                .as_array()
                .and_then(|all| all.iter().find(|c| c["name"] == name));
            let restarts = previous.and_then(|c| c["restartCount"].as_i64()).unwrap_or(0);
            let started = previous
                .and_then(|c| c.pointer("/state/running/startedAt"))
                .cloned()
                .unwrap_or_else(|| time(now));
            let mut status = json!({ "name": name, "image": container["image"], "restartCount": restarts });
            match state {
                State::Starting => {
                    status["ready"] = json!(false);
                    status["started"] = json!(false);
                    status["state"] = json!({ "waiting": { "reason": "ContainerCreating" } });
                }
                State::Ready => {
                    status["ready"] = json!(true);
                    status["started"] = json!(true);
                    status["state"] = json!({ "running": { "startedAt": started } });
                }
                State::Held(reason) => {
                    status["ready"] = json!(false);
                    status["started"] = json!(false);
                    status["restartCount"] = json!(restarts.max(1));
                    status["state"] = json!({ "waiting": { "reason": reason, "message": "held by the test" } });
                    status["lastState"] = json!({ "terminated": { "exitCode": 1, "reason": "Error" } });
                }
            }
            status
        })
        .collect();
    let phase = if matches!(state, State::Starting) {
        "Pending"
    } else {
        "Running"
    };
    json!({
        "phase": phase,
        "conditions": [
            condition("PodScheduled", true),
            condition("Initialized", true),
            condition("ContainersReady", ready),
            condition("Ready", ready),
        ],
        "containerStatuses": containers,
        "startTime": pod.pointer("/metadata/creationTimestamp").cloned().unwrap_or_else(|| time(now)),
    })
}

/// Whether the pod is Running with a Ready condition True (what the StatefulSet controller waits for).
pub fn running_and_ready(pod: &Value) -> bool {
    str_at(pod, "/status/phase") == Some("Running") && ready(pod)
}

/// Whether the pod's Ready condition is True.
pub fn ready(pod: &Value) -> bool {
    pod.pointer("/status/conditions")
        .and_then(Value::as_array)
        .is_some_and(|all| all.iter().any(|c| c["type"] == "Ready" && c["status"] == "True"))
}
