//! StatefulSet `<rec>`: the Redis Enterprise node pods. This file is the set itself; the pod template, the
//! volumes and the anti-affinity live in their own helpers.
//!
//! Nodes join the cluster one by one, so the pod management policy is `OrderedReady`, never `Parallel`.
//!
//! The update strategy is `OnDelete`: the StatefulSet controller never restarts a node on its own. A changed pod
//! template only becomes the set's update revision; the operator carries out the plan's roll (one node at a
//! time, highest ordinal first, each gated on the previous node having rejoined), which `RollingUpdate` cannot
//! promise (it waits for Ready, but cannot halt with a reason, resume after an operator restart at the node it
//! stopped at, or wait for anything but the pod's own readiness).

mod affinity;
mod probes;
mod template;
mod volumes;

pub use template::{BOOTSTRAPPER_CONTAINER, NODE_CONTAINER, TEMPLATE_HASH_ANNOTATION};
pub use volumes::STORAGE_VOLUME;

use super::meta::{Component, Meta, PodRole};
use super::pod::UserPod;
use super::{Pinned, RenderError};
use crate::api::RedisEnterpriseClusterSpec;
use k8s_openapi::api::apps::v1::{StatefulSet, StatefulSetSpec, StatefulSetUpdateStrategy};

/// StatefulSet `<rec>`: replicas = nodes (or the plan's step), serviceName `<rec>`, the node pod template and,
/// with persistence, the volume claim template (as pinned by the running cluster). With what the user adds to its
/// pod template as JSON (see [`UserPod`]).
pub fn statefulset(
    meta: &Meta,
    spec: &RedisEnterpriseClusterSpec,
    pinned: &Pinned,
) -> Result<(StatefulSet, UserPod), RenderError> {
    let (template, user) = template::pod_template(meta, spec)?;
    let set = StatefulSet {
        metadata: meta.object(meta.rec_name(), Component::Node),
        spec: Some(StatefulSetSpec {
            replicas: Some(pinned.replicas.unwrap_or(spec.nodes.unwrap_or(3))),
            service_name: Some(meta.rec_name().into()),
            selector: meta.label_selector(PodRole::Node),
            pod_management_policy: Some("OrderedReady".into()),
            update_strategy: Some(StatefulSetUpdateStrategy {
                type_: Some("OnDelete".into()),
                rolling_update: None,
            }),
            template,
            volume_claim_templates: volumes::claim_templates(meta, spec, pinned),
            ..Default::default()
        }),
        ..Default::default()
    };
    Ok((set, user))
}

/// The names the operator gives in the node pod, which the user's containers and volumes must not take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodePodNames {
    pub containers: Vec<&'static str>,
    pub volumes: Vec<&'static str>,
}

/// [`NodePodNames`] for this spec: the storage volume always (a claim template or an emptyDir), the credentials
/// volume with a Kubernetes secret (not with vault), the time zone volume with `containerTimezone.propagateHost`.
pub fn node_pod_names(spec: &RedisEnterpriseClusterSpec) -> NodePodNames {
    let mut volumes = vec![volumes::STORAGE_VOLUME];
    if spec.cluster_credential_secret_type != Some(crate::api::CredentialSecretType::Vault) {
        volumes.push(super::pod::CREDENTIALS_VOLUME);
    }
    if super::pod::timezone_volume(spec).is_some() {
        volumes.push(super::pod::TIMEZONE_VOLUME);
    }
    NodePodNames {
        containers: vec![template::NODE_CONTAINER, template::BOOTSTRAPPER_CONTAINER],
        volumes,
    }
}
