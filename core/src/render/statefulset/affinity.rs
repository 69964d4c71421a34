//! Anti-affinity of the node pods: never two nodes of one cluster in one failure domain.
//!
//! Default: one required term on `kubernetes.io/hostname`, or on `rackAwarenessNodeLabel` when set, over the
//! node pod labels. The user's `podAntiAffinity` replaces that default term. Either way, each of
//! `antiAffinityAdditionalTopologyKeys` adds one required term (**ours**: the keys are explicit intent too, so
//! they are honoured with a custom rule rather than silently dropped).

use crate::api::RedisEnterpriseClusterSpec;
use crate::render::meta::{Meta, PodRole};
use k8s_openapi::api::core::v1::{Affinity, PodAffinityTerm, PodAntiAffinity};

/// Default topology key of the node anti-affinity.
pub const HOSTNAME_KEY: &str = "kubernetes.io/hostname";

/// The node pods' affinity.
pub fn affinity(meta: &Meta, spec: &RedisEnterpriseClusterSpec) -> Affinity {
    let term = |key: &str| PodAffinityTerm {
        label_selector: Some(meta.label_selector(PodRole::Node)),
        topology_key: key.into(),
        ..Default::default()
    };
    let mut anti = spec.pod_anti_affinity.clone().unwrap_or_else(|| {
        let key = spec
            .rack_awareness_node_label
            .as_deref()
            .filter(|k| !k.is_empty())
            .unwrap_or(HOSTNAME_KEY);
        PodAntiAffinity {
            required_during_scheduling_ignored_during_execution: Some(vec![term(key)]),
            ..Default::default()
        }
    });
    let extra = spec.anti_affinity_additional_topology_keys.clone().unwrap_or_default();
    if !extra.is_empty() {
        let required = anti
            .required_during_scheduling_ignored_during_execution
            .get_or_insert_with(Vec::new);
        required.extend(extra.iter().map(|key| term(key)));
    }
    Affinity {
        pod_anti_affinity: Some(anti),
        ..Default::default()
    }
}
