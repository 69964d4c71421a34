//! The flows of a change, in the order they run: refusals, then volumes (expand and replace), then the roll, then
//! the scale-up. Each flow turns the world (observed, or predicted from the applied spec) into steps; the first
//! step of all is the current one, and its gate decides whether it runs now.

use super::observed::{self, Pod};
use super::storage::{predicted_claim, recorded_claim, storage};
use super::words;
use super::world::{World, gate, json, predicted_world};
use super::{
    Action, Nodes, Plan, PlanRequest, ROLL_TIMEOUT_SECONDS, State, Step, StepStatus, kubernetes_credentials, time,
    versions,
};
use crate::RecObject;
use crate::api::{AppliedState, Progress};
use crate::quantity::{self, Milli};
use crate::render::{self, Owned, RenderContext, STORAGE_VOLUME, TEMPLATE_HASH_ANNOTATION};
use crate::validate::catalogue::*;
use crate::validate::{Report, rules};
use serde_json::Value;
use std::cmp::Ordering;
use std::collections::BTreeMap;

pub(super) fn plan(request: &PlanRequest, rec: &RecObject, report: Report, objects: super::Objects) -> Plan<Owned> {
    let name = rec.metadata.name.clone().unwrap_or_default();
    let applied = request.applied.as_ref();
    let seen = request.observed.as_ref().map(|o| observed::read(o, &name));
    let sts = seen.as_ref().and_then(|o| o.statefulset.as_ref());
    let nodes = rules::nodes(&rec.spec);

    let resolution = versions::resolve(
        &rec.spec,
        &request.context.versions,
        applied.and_then(|a| a.versions.as_ref()),
        sts,
    );
    let mut refused = Vec::new();
    if let Some(running) = &resolution.running
        && versions::compare(&resolution.effective.redis_enterprise, &running.redis_enterprise) == Some(Ordering::Less)
    {
        refused.push(VERSION_DOWNGRADE.at(
            "spec.redisEnterpriseImageSpec.versionTag",
            format!(
                "Redis Enterprise would go from {} down to {}; a running cluster cannot be downgraded: set \
                 versionTag to {} or later",
                running.redis_enterprise, resolution.effective.redis_enterprise, running.redis_enterprise
            ),
        ));
    }
    if let Some(sts) = sts {
        if nodes < sts.replicas {
            refused.push(NODES_DECREASED.at(
                "spec.nodes",
                format!(
                    "the cluster runs {} nodes and nodes is {nodes}; scaling down is not supported: keep {} or more",
                    sts.replicas, sts.replicas
                ),
            ));
        }
        if sts.service_name.as_deref().is_some_and(|s| s != name) {
            refused.push(IMMUTABLE_FIELD.at(
                "metadata.name",
                format!(
                    "the StatefulSet {name} has serviceName {:?}, which the API server never changes and this \
                     operator never renders: it was not made by this operator; delete it (orphaning its pods) or \
                     rename the REC",
                    sts.service_name.as_deref().unwrap_or_default()
                ),
            ));
        }
    }
    let existing = if request.observed.is_some() {
        sts.map(|s| s.claim_template.clone()).or_else(|| {
            // No StatefulSet but pods: it is being re-created; the record says what its template was.
            let pods = seen.as_ref().is_some_and(|o| !o.pods.is_empty());
            pods.then(|| recorded_claim(applied))
        })
    } else {
        applied.map(|a| predicted_claim(&request.object, a))
    };
    let storage = storage(
        rec,
        existing.as_ref(),
        sts.is_some() || request.observed.is_none(),
        &mut refused,
    );
    if request.observed.is_some()
        && applied.is_some()
        && kubernetes_credentials(&rec.spec)
        && request.context.existing_secret.is_none()
    {
        let secret = rec
            .spec
            .cluster_credential_secret_name
            .clone()
            .unwrap_or_else(|| name.clone());
        refused.push(CREDENTIALS_SECRET_MISSING.at(
            "spec.clusterCredentialSecretName",
            format!(
                "the credentials Secret {secret:?} is missing, but this cluster already ran with it: a new random \
                 password would lock its nodes out; restore the Secret (username and password as the cluster has \
                 them)"
            ),
        ));
    }
    if !refused.is_empty() {
        let state = if refused.iter().any(|v| v.code == VERSION_DOWNGRADE.code) {
            State::InvalidUpgrade
        } else {
            State::Invalid
        };
        let mut summary = words::refused(&refused);
        summary.extend(resolution.note);
        return Plan::stopped(state, report, refused, summary);
    }

    let mut ctx: RenderContext = request.context.clone();
    ctx.versions = resolution.versions.clone();
    ctx.pinned = storage.pinned.clone();
    let (desired, user) = match render::node_statefulset(rec, &ctx) {
        Ok(sts) => sts,
        Err(e) => return failed(report, e),
    };
    let desired_spec = desired.spec.unwrap_or_default();
    let desired_template = json(&desired_spec.template, &user);
    let desired_hash = desired_template
        .pointer("/metadata/annotations")
        .and_then(|a| a.get(TEMPLATE_HASH_ANNOTATION))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let desired_size = desired_spec
        .volume_claim_templates
        .as_ref()
        .and_then(|t| t.first())
        .and_then(|t| {
            t.spec
                .as_ref()?
                .resources
                .as_ref()?
                .requests
                .as_ref()?
                .get("storage")
                .cloned()
        });

    let world = match (&seen, applied) {
        (Some(seen), _) => World {
            predicted: false,
            replicas: sts.map(|s| s.replicas),
            template_hash: sts.and_then(|s| s.template_hash.clone()),
            template: sts.map(|s| s.template.clone()).unwrap_or(Value::Null),
            pods: seen.pods.clone(),
            claims: seen.claims.clone(),
        },
        (None, Some(applied)) => predicted_world(rec, applied, request, &storage.pinned, &resolution),
        (None, None) => World {
            predicted: true,
            replicas: None,
            template_hash: None,
            template: Value::Null,
            pods: BTreeMap::new(),
            claims: BTreeMap::new(),
        },
    };

    // The flows, in order.
    let mut steps: Vec<Action> = Vec::new();
    let creating = world.replicas.is_none() && world.pods.is_empty();
    let recreating = world.replicas.is_none() && !world.pods.is_empty();
    let replicas = match (creating, recreating) {
        (true, _) => nodes,
        (_, true) => world.pods.keys().max().map_or(nodes, |m| m + 1),
        _ => world.replicas.unwrap_or(nodes),
    };
    let size_text = |m: Milli| quantity::format(m, true);
    let mut volume_claims = Vec::new();
    if creating {
        steps.push(Action::Apply {
            what: format!("create the cluster ({nodes} nodes, started one at a time)"),
        });
    } else if recreating {
        steps.push(Action::Apply {
            what: format!("re-create the StatefulSet {name}; it adopts the running pods, none restarts"),
        });
    } else if let Some((from, to)) = storage.growth {
        let size = size_text(to);
        for i in 0..replicas {
            let claim = format!("{STORAGE_VOLUME}-{name}-{i}");
            let requested = world
                .claims
                .get(&claim)
                .and_then(|c| c.requested.as_deref())
                .and_then(|r| quantity::parse(r).ok())
                .unwrap_or(from);
            volume_claims.push(claim.clone());
            if requested < to {
                steps.push(Action::ExpandVolume {
                    claim,
                    size: size.clone(),
                });
            }
        }
        let grown = |claim: &String| {
            let capacity = world.claims.get(claim).and_then(|c| c.capacity.as_deref());
            !world.predicted && capacity.and_then(|q| quantity::parse(q).ok()).is_some_and(|q| q >= to)
        };
        if !volume_claims.iter().all(grown) {
            steps.push(Action::WaitVolumes { size: size.clone() });
        }
        steps.push(Action::ReplaceStatefulSet);
        steps.push(Action::Apply {
            what: format!(
                "re-create the StatefulSet {name} with {size} volumes; it adopts the running pods, none restarts"
            ),
        });
    }
    let volume_steps = steps.len();

    // The roll: nodes coming back first, then nodes on an old template.
    let stale = !creating && !recreating && world.template_hash.as_deref() != Some(desired_hash.as_str());
    if stale {
        steps.push(Action::Apply {
            what: "apply the new pod template (no node restarts: updateStrategy OnDelete)".into(),
        });
    }
    let on_old = |p: &Pod| p.template_hash.as_deref() != Some(desired_hash.as_str());
    let mut coming_back = Vec::new();
    let (mut old_down, mut old_up) = (Vec::new(), Vec::new());
    for i in 0..replicas {
        match world.pods.get(&i) {
            None => coming_back.push(i),
            Some(p) if p.deleting => coming_back.push(i),
            Some(p) if on_old(p) && !creating => {
                if p.ready {
                    old_up.push(i)
                } else {
                    old_down.push(i)
                }
            }
            Some(p) if !p.ready => coming_back.push(i),
            Some(_) => {}
        }
    }
    old_up.reverse();
    let restarts: Vec<i32> = old_down.iter().chain(&old_up).copied().collect();
    let before_roll = steps.len();
    for i in &coming_back {
        steps.push(Action::WaitNode {
            pod: World::pod_name(&name, *i),
        });
    }
    for i in &restarts {
        let pod = World::pod_name(&name, *i);
        steps.push(Action::RestartNode { pod: pod.clone() });
        steps.push(Action::WaitNode { pod });
    }
    let roll_steps = steps.len() - before_roll;
    let adding: Vec<i32> = (replicas..nodes).collect();
    for i in &adding {
        let pod = World::pod_name(&name, *i);
        steps.push(Action::AddNode { pod: pod.clone() });
        steps.push(Action::WaitNode { pod });
    }

    // The first step's gate, and the progress of a wait.
    let now = request.now.as_deref().and_then(time::parse);
    let timeout = i64::try_from(request.roll_timeout_seconds.unwrap_or(ROLL_TIMEOUT_SECONDS)).unwrap_or(i64::MAX);
    let mut halted = None;
    let mut progress = None;
    let mut steps: Vec<Step> = steps
        .into_iter()
        .map(|action| Step {
            text: words::step(&action),
            action,
            status: StepStatus::Pending,
            waiting: None,
        })
        .collect();
    if let Some(first) = steps.first_mut() {
        let waiting = gate(&first.action, &world, &name, replicas, &volume_claims);
        first.status = if waiting.is_some() {
            StepStatus::Wait
        } else {
            StepStatus::Run
        };
        first.waiting = waiting;
        if let Some(now) = now {
            let key = words::progress_key(&first.action);
            let since = request
                .progress
                .as_ref()
                .filter(|p| p.step == key)
                .and_then(|p| time::parse(&p.since))
                .unwrap_or(now);
            let waited = now - since;
            let is_wait = matches!(first.action, Action::WaitNode { .. } | Action::WaitVolumes { .. });
            if first.status == StepStatus::Wait && is_wait && waited > timeout {
                first.status = StepStatus::Halted;
                halted = Some(words::halted(first, waited, since));
            }
            progress = Some(Progress {
                step: key,
                since: time::format(since),
                halted: halted.clone(),
            });
        }
    }

    let ready = world.ready();
    // The version a node to restart runs: its image's tag (observed), else what the record says runs.
    let target = &resolution.effective.redis_enterprise;
    let running_tag = |i: &i32| {
        world
            .pods
            .get(i)
            .and_then(|p| p.node_image.as_deref())
            .and_then(versions::image_tag)
            .map(str::to_string)
    };
    let upgrade_from = restarts
        .iter()
        .filter_map(running_tag)
        .find(|tag| tag != target)
        .or_else(|| {
            let recorded = resolution.running.as_ref().map(|r| r.redis_enterprise.clone());
            recorded.filter(|tag| tag != target && (stale || world.predicted))
        });
    let version_changes = upgrade_from.is_some();
    let bootstrapped = applied.is_some_and(|a| a.bootstrapped);
    let state = if creating {
        State::PendingCreation
    } else if volume_steps > 0 || recreating {
        State::ExpandingVolumes
    } else if stale || !restarts.is_empty() {
        if version_changes {
            State::Upgrade
        } else {
            State::RunningRollingUpdate
        }
    } else if !adding.is_empty() && (bootstrapped || world.predicted) {
        State::ScalingUp
    } else if roll_steps > 0 && !bootstrapped && !world.predicted {
        if ready == 0 {
            State::BootstrappingFirstPod
        } else {
            State::Initializing
        }
    } else {
        State::Running
    };

    let first_runs = steps.first().is_some_and(|s| s.status == StepStatus::Run);
    ctx.pinned.replicas = Some(match steps.first() {
        Some(Step {
            action: Action::AddNode { .. },
            ..
        }) if first_runs => replicas + 1,
        _ => replicas,
    });
    let objects = match objects(rec, &ctx) {
        Some(Ok(objects)) => Some(objects),
        Some(Err(e)) => return failed(report, e),
        None => None,
    };
    let mut summary = words::summary(&words::Change {
        name: &name,
        nodes,
        creating,
        recreating,
        growth: storage.growth.map(|(from, to)| (size_text(from), size_text(to))),
        claims: volume_claims.len(),
        restarts: restarts.iter().map(|i| World::pod_name(&name, *i)).collect(),
        template_changes: if stale || !restarts.is_empty() {
            words::template_changes(&world.template, &desired_template, world.predicted)
        } else {
            Vec::new()
        },
        upgrade: upgrade_from.map(|from| (from, target.clone())),
        adding: adding.iter().map(|i| World::pod_name(&name, *i)).collect(),
    });
    summary.extend(resolution.note.clone());
    if let Some(first) = steps
        .first()
        .filter(|s| s.status != StepStatus::Pending && !world.predicted)
    {
        summary.push(words::now(first));
    }
    Plan {
        state,
        report,
        refused: Vec::new(),
        summary,
        steps,
        nodes: Nodes {
            desired: nodes,
            ready: if world.predicted { ready.min(nodes) } else { ready },
        },
        halted,
        applied: Some(AppliedState {
            generation: rec.metadata.generation,
            spec: request.object.get("spec").cloned().unwrap_or(Value::Null),
            versions: Some(resolution.effective),
            volume_size: desired_size.map(|q| q.0),
            bootstrapped: bootstrapped || (state == State::Running && ready >= nodes),
        }),
        progress,
        objects,
    }
}

/// A render that failed (no entropy for a new secret, say): reported as the render reports it; nothing applied.
fn failed(mut report: Report, error: render::RenderError) -> Plan<Owned> {
    let violation = error.violation();
    report.violations.push(violation.clone());
    report.errors += 1;
    report.valid = false;
    let summary = words::refused(std::slice::from_ref(&violation));
    Plan::stopped(State::Invalid, report, vec![violation], summary)
}
