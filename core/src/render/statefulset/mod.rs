//! StatefulSet `<rec>`: the Redis Enterprise node pods. This file is the set itself; the pod template, the
//! volumes and the anti-affinity live in their own helpers.
//!
//! Nodes join the cluster one by one, so the pod management policy is `OrderedReady`, never `Parallel`.

mod affinity;
mod template;
mod volumes;

use super::RenderError;
use super::meta::{Component, Meta, PodRole};
use crate::api::RedisEnterpriseClusterSpec;
use k8s_openapi::api::apps::v1::{StatefulSet, StatefulSetSpec};

/// StatefulSet `<rec>`: replicas = nodes, serviceName `<rec>`, the node pod template and, with persistence, the
/// volume claim template.
pub fn statefulset(meta: &Meta, spec: &RedisEnterpriseClusterSpec) -> Result<StatefulSet, RenderError> {
    Ok(StatefulSet {
        metadata: meta.object(meta.rec_name(), Component::Node),
        spec: Some(StatefulSetSpec {
            replicas: Some(spec.nodes.unwrap_or(3)),
            service_name: Some(meta.rec_name().into()),
            selector: meta.label_selector(PodRole::Node),
            pod_management_policy: Some("OrderedReady".into()),
            template: template::pod_template(meta, spec)?,
            volume_claim_templates: volumes::claim_templates(meta, spec),
            ..Default::default()
        }),
        ..Default::default()
    })
}
