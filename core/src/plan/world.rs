//! The cluster as the plan sees it ([`World`]): observed, or predicted from the applied spec; and the gate of the
//! first step, which reads it (never two nodes down, volumes grown).

use super::observed::{self, Pod};
use super::{Action, PlanRequest, versions};
use crate::RecObject;
use crate::api::AppliedState;
use crate::quantity;
use crate::render::{self, Pinned, TEMPLATE_HASH_ANNOTATION};
use serde_json::Value;
use std::collections::BTreeMap;

/// The cluster as the flows see it: observed, or predicted (a healthy cluster running the applied spec).
pub(super) struct World {
    pub predicted: bool,
    /// The StatefulSet's replicas; `None` when there is no StatefulSet.
    pub replicas: Option<i32>,
    /// The hash of the StatefulSet's pod template.
    pub template_hash: Option<String>,
    /// The StatefulSet's pod template (for saying what changes).
    pub template: Value,
    pub pods: BTreeMap<i32, Pod>,
    pub claims: BTreeMap<String, observed::Claim>,
}

impl World {
    pub fn pod_name(name: &str, ordinal: i32) -> String {
        format!("{name}-{ordinal}")
    }

    pub fn up(&self, ordinal: i32) -> bool {
        self.pods.get(&ordinal).is_some_and(|p| p.ready && !p.deleting)
    }

    pub fn ready(&self) -> i32 {
        let replicas = self.replicas.unwrap_or(0);
        (0..replicas).filter(|i| self.up(*i)).count() as i32
    }

    /// Why a node is not up.
    pub fn why_down(&self, name: &str, ordinal: i32) -> String {
        let pod = Self::pod_name(name, ordinal);
        match self.pods.get(&ordinal) {
            None => format!("{pod} does not exist yet"),
            Some(p) if p.deleting => format!("{pod} is being deleted"),
            Some(p) => match &p.why {
                Some(why) => format!("{pod} is not Ready: {why}"),
                None => format!("{pod} is not Ready"),
            },
        }
    }
}

/// A pod template as JSON, written and read back rather than with `serde_json::to_value`: the same value, with the
/// template written as its hash writes it ([`crate::render::View`], to the same writer), so every pod type's
/// serialisation is compiled once. In the policy module, which links the StatefulSet's builder only for the plan's
/// summary, anything else is a second copy of it.
pub(super) fn json(template: &k8s_openapi::api::core::v1::PodTemplateSpec, user: &render::UserPod) -> Value {
    serde_json::to_vec(&crate::render::View(template, user))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or(Value::Null)
}

/// Why the first step cannot run yet (`None`: it runs now).
pub(super) fn gate(action: &Action, world: &World, name: &str, replicas: i32, claims: &[String]) -> Option<String> {
    let others_up = |except: Option<i32>| -> Option<String> {
        (0..replicas)
            .filter(|i| Some(*i) != except && !world.up(*i))
            .map(|i| world.why_down(name, i))
            .next()
    };
    match action {
        Action::Apply { .. } | Action::ExpandVolume { .. } | Action::ReplaceStatefulSet => None,
        Action::WaitVolumes { size } => {
            let target = quantity::parse(size).ok()?;
            let small: Vec<String> = claims
                .iter()
                .filter(|c| {
                    let claim = world.claims.get(*c);
                    let capacity = claim
                        .and_then(|c| c.capacity.as_deref())
                        .and_then(|q| quantity::parse(q).ok());
                    world.predicted || capacity.is_none_or(|q| q < target)
                })
                .map(|c| {
                    let claim = world.claims.get(c);
                    let capacity = claim
                        .and_then(|c| c.capacity.clone())
                        .unwrap_or_else(|| "unknown".into());
                    let conditions = claim.map(|c| c.conditions.join("; ")).unwrap_or_default();
                    if conditions.is_empty() {
                        format!("{c} has {capacity}")
                    } else {
                        format!("{c} has {capacity} ({conditions})")
                    }
                })
                .collect();
            (!small.is_empty()).then(|| format!("waiting for every claim to reach {size}: {}", small.join(", ")))
        }
        Action::RestartNode { pod } | Action::AddNode { pod } => {
            let ordinal = ordinal(pod);
            let except = matches!(action, Action::RestartNode { .. }).then_some(ordinal);
            others_up(except).map(|down| format!("{down}; {pod} waits so that never two nodes are down at once"))
        }
        Action::WaitNode { pod } => Some(world.why_down(name, ordinal(pod))),
    }
}

fn ordinal(pod: &str) -> i32 {
    pod.rsplit('-').next().and_then(|o| o.parse().ok()).unwrap_or(-1)
}

/// A healthy cluster running `applied`: its StatefulSet rendered from the applied spec with the tags it runs,
/// every node Ready on that template, every claim at the template's size.
pub(super) fn predicted_world(
    rec: &RecObject,
    applied: &AppliedState,
    request: &PlanRequest,
    pinned: &Pinned,
    resolution: &versions::Resolution,
) -> World {
    let old = crate::validate::read_model(&super::old_object(&request.object, &applied.spec));
    let mut ctx = request.context.clone();
    if let Some(running) = &resolution.running {
        ctx.versions.redis_enterprise_tag = running.redis_enterprise.clone();
        ctx.versions.operator_tag = running.operator.clone();
    }
    ctx.pinned = Pinned {
        replicas: None,
        ..pinned.clone()
    };
    let sts = old.ok().and_then(|old| render::node_statefulset(&old, &ctx).ok());
    let (sts, user) = sts.unzip();
    let spec = sts.and_then(|s| s.spec).unwrap_or_default();
    let template = json(&spec.template, &user.unwrap_or_default());
    let hash = template
        .pointer("/metadata/annotations")
        .and_then(|a| a.get(TEMPLATE_HASH_ANNOTATION))
        .and_then(Value::as_str)
        .map(str::to_string);
    let replicas = spec.replicas.unwrap_or(3);
    let node_image = template
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .and_then(|cs| {
            cs.iter()
                .find(|c| c.get("name").and_then(Value::as_str) == Some(render::NODE_CONTAINER))
        })
        .and_then(|c| c.get("image")?.as_str())
        .map(str::to_string);
    let pods = (0..replicas)
        .map(|i| {
            (
                i,
                Pod {
                    name: World::pod_name(rec.metadata.name.as_deref().unwrap_or_default(), i),
                    template_hash: hash.clone(),
                    ready: true,
                    deleting: false,
                    node_image: node_image.clone(),
                    why: None,
                },
            )
        })
        .collect();
    World {
        predicted: true,
        replicas: Some(replicas),
        template_hash: hash,
        template,
        pods,
        claims: BTreeMap::new(),
    }
}
