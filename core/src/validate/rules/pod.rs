//! What the API server refuses in a pod the render would build from the spec: container names that collide
//! with ours or with each other, volumes named like ours or twice, mounts of volumes the pod does not declare,
//! and pod attributes no pod template may hold. Each is reported at the user's field, before anything is applied
//! (the API server would refuse the whole StatefulSet with a message about the rendered object, not the REC).

use super::super::catalogue::*;
use super::{Ctx, pod_attributes, quoted};
use crate::api::checked::Container;
use crate::render::node_pod_names;
use crate::validate::Violation;
use k8s_openapi::api::core::v1::VolumeMount;
use std::collections::BTreeSet;

/// The user's containers of the node pod, with the path of their list.
fn user_containers<'a>(ctx: &Ctx<'a>) -> Vec<(String, &'a Container)> {
    let mut out = Vec::new();
    for (i, c) in ctx.spec.side_containers_spec.iter().flatten().enumerate() {
        out.push((format!("spec.sideContainersSpec[{i}]"), c));
    }
    let attributes = ctx.spec.redis_enterprise_additional_pod_spec_attributes.as_ref();
    for (i, c) in attributes
        .and_then(|a| a.init_containers.as_ref())
        .into_iter()
        .flatten()
        .enumerate()
    {
        out.push((
            format!("spec.redisEnterpriseAdditionalPodSpecAttributes.initContainers[{i}]"),
            c,
        ));
    }
    out
}

/// The user's volumes of the node pod: (path of the name, name).
fn user_volumes<'a>(ctx: &Ctx<'a>) -> Vec<(String, &'a str)> {
    let mut out = Vec::new();
    for (i, v) in ctx.spec.volumes.iter().flatten().enumerate() {
        out.push((format!("spec.volumes[{i}].name"), v.name()));
    }
    let attributes = ctx.spec.redis_enterprise_additional_pod_spec_attributes.as_ref();
    for (i, v) in attributes
        .and_then(|a| a.volumes.as_ref())
        .into_iter()
        .flatten()
        .enumerate()
    {
        out.push((
            format!("spec.redisEnterpriseAdditionalPodSpecAttributes.volumes[{i}].name"),
            v.name(),
        ));
    }
    out
}

/// A side or init container named like one of ours, or like another of the user's: the API server requires
/// every container name of a pod (init containers included) to be unique.
pub(crate) fn container_name_conflict(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    let ours = node_pod_names(ctx.spec);
    let mut seen = BTreeSet::new();
    for (path, c) in user_containers(ctx) {
        let name = c.name();
        let problem = if ours.containers.contains(&name) {
            format!(
                "container name {} is the operator's own container; choose another name",
                quoted(name)
            )
        } else if !seen.insert(name) {
            format!(
                "container name {} is used twice in the node pod; container names must be unique",
                quoted(name)
            )
        } else {
            continue;
        };
        out.push(CONTAINER_NAME_CONFLICT.at(format!("{path}.name"), problem));
    }
}

/// A volume named like one the operator renders (`redis-enterprise-storage`, `credentials`, `timezone`), or two
/// volumes of one name.
pub(crate) fn volume_name_conflict(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    let ours = node_pod_names(ctx.spec);
    let mut seen = BTreeSet::new();
    for (path, name) in user_volumes(ctx) {
        let problem = if ours.volumes.contains(&name) {
            format!(
                "volume name {} is a volume the operator renders for the node pod; choose another name",
                quoted(name)
            )
        } else if !seen.insert(name) {
            format!(
                "volume name {} is declared twice; volume names must be unique",
                quoted(name)
            )
        } else {
            continue;
        };
        out.push(VOLUME_NAME_CONFLICT.at(path, problem));
    }
}

/// A mount of a volume the node pod does not declare (neither ours nor the user's).
pub(crate) fn volume_mount_undeclared(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    let ours = node_pod_names(ctx.spec);
    let declared: BTreeSet<&str> = ours
        .volumes
        .iter()
        .copied()
        .chain(user_volumes(ctx).into_iter().map(|(_, name)| name))
        .collect();
    let mut check = |path: String, mounts: &[VolumeMount]| {
        for (j, mount) in mounts.iter().enumerate() {
            if !declared.contains(mount.name.as_str()) {
                let known: Vec<&str> = declared.iter().copied().collect();
                out.push(VOLUME_MOUNT_UNDECLARED.at(
                    format!("{path}[{j}].name"),
                    format!(
                        "mounts volume {}, which the node pod does not declare (it has {}); add it to `spec.volumes` \
                         or mount one of those",
                        quoted(&mount.name),
                        known.join(", ")
                    ),
                ));
            }
        }
    };
    if let Some(mounts) = &ctx.spec.redis_enterprise_volume_mounts {
        check("spec.redisEnterpriseVolumeMounts".into(), mounts);
    }
    for (path, c) in user_containers(ctx) {
        if let Some(mounts) = c.volume_mounts() {
            check(format!("{path}.volumeMounts"), &mounts);
        }
    }
}

/// What the API server refuses in the pod template of a StatefulSet or a Deployment, set through the nodes' or the
/// rigger's pod attributes: ephemeral containers (`ephemeral containers not allowed in pod template`), a deadline
/// (`activeDeadlineSeconds in StatefulSet is not Supported`, `... in ReplicaSet ...` for a Deployment) and a
/// restart policy other than `Always` (the only value these controllers accept). Applying the rendered object
/// would fail with a message about it, not about the REC.
pub(crate) fn pod_template_refused(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    for (path, kind, a) in pod_attributes(ctx.spec) {
        if a.ephemeral_containers.as_ref().is_some_and(|c| !c.is_empty()) {
            out.push(POD_TEMPLATE_REFUSED.at(
                format!("{path}.ephemeralContainers"),
                format!(
                    "a {kind}'s pod template cannot hold ephemeral containers (the API server refuses it); add one to \
                     a running pod with `kubectl debug` instead"
                ),
            ));
        }
        if let Some(seconds) = a.active_deadline_seconds {
            out.push(POD_TEMPLATE_REFUSED.at(
                format!("{path}.activeDeadlineSeconds"),
                format!(
                    "activeDeadlineSeconds is {seconds}, but a {kind}'s pods run until replaced, and the API server \
                     refuses a deadline in its pod template; remove it"
                ),
            ));
        }
        if let Some(policy) = a.restart_policy.as_deref().filter(|p| *p != "Always") {
            out.push(POD_TEMPLATE_REFUSED.at(
                format!("{path}.restartPolicy"),
                format!(
                    "restartPolicy is {}, but a {kind} accepts only \"Always\" (its controller keeps every pod \
                     running); remove it or set \"Always\"",
                    quoted(policy)
                ),
            ));
        }
    }
}
