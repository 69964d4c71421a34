//! The volume side, for every claim: a new claim is provisioned and bound at once (`phase: Bound`,
//! `status.capacity` = its request: no WaitForFirstConsumer, no PersistentVolume objects); a bound claim whose
//! request grew is resized as the external resizer and the kubelet would together: `allocatedResources` and a
//! `Resizing` condition while it runs, then `status.capacity` = the request after `resize_after_steps` (0: the
//! same step). A held claim stays in progress (a storage class that cannot expand: the operator must wait).
//!
//! Not modelled: storage classes, quotas, file-system resize needing a pod restart, failures.

use super::{Error, Event, Progress, Sim};
use crate::testing::apiserver::object::{name, parse_time, quantity, time};
use jiff::SignedDuration;
use serde_json::{Value, json};

pub(super) async fn step(sim: &mut Sim) -> Result<Progress, Error> {
    let mut progress = Progress::default();
    let now = sim.server.clock().now();
    let done_after = SignedDuration::from_secs(sim.config.step_seconds * i64::from(sim.config.resize_after_steps));
    for claim in sim
        .list("v1", "PersistentVolumeClaim", "persistentvolumeclaims")
        .await?
    {
        let Some(request) = claim.pointer("/spec/resources/requests/storage").cloned() else {
            continue;
        };
        let mut status = claim.get("status").cloned().unwrap_or_else(|| json!({}));
        if status["phase"] != "Bound" {
            status = json!({
                "phase": "Bound",
                "accessModes": claim.pointer("/spec/accessModes").cloned().unwrap_or_default(),
                "capacity": { "storage": request },
            });
        } else if quantity(&request) > quantity(&status["capacity"]["storage"]) {
            let resizing = status["conditions"]
                .as_array()
                .and_then(|all| all.iter().find(|c| c["type"] == "Resizing"))
                .cloned();
            let held = sim.held_claims.iter().any(|c| c == name(&claim));
            let since = resizing
                .as_ref()
                .and_then(|c| parse_time(c.get("lastTransitionTime")))
                .unwrap_or(now);
            if !held && now >= since + done_after {
                status["capacity"] = json!({ "storage": request });
                status["allocatedResources"] = json!({ "storage": request });
                for field in ["allocatedResourceStatuses", "conditions"] {
                    status.as_object_mut().map(|s| s.remove(field));
                }
                let (step, name) = (sim.step, name(&claim).to_string());
                let capacity = request.as_str().unwrap_or_default().to_string();
                sim.record(Event::ClaimResized { step, name, capacity });
            } else {
                progress.waiting |= !held;
                status["allocatedResources"] = json!({ "storage": request });
                status["allocatedResourceStatuses"] = json!({ "storage": "ControllerResizeInProgress" });
                let condition = resizing.unwrap_or_else(
                    || json!({ "type": "Resizing", "status": "True", "lastTransitionTime": time(now) }),
                );
                status["conditions"] = json!([condition]);
            }
        }
        if claim.get("status") != Some(&status) {
            sim.write_status("persistentvolumeclaims", &claim, status).await?;
            progress.writes += 1;
        }
    }
    Ok(progress)
}

/// Whether the claim is bound with a capacity at least its request.
pub fn resized(claim: &Value) -> bool {
    claim.pointer("/status/phase").and_then(Value::as_str) == Some("Bound")
        && quantity(&claim["status"]["capacity"]["storage"])
            >= quantity(&claim["spec"]["resources"]["requests"]["storage"])
}
