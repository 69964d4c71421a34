//! PodDisruptionBudget `<rec>` (**ours**): at most one node pod down at a time, so a drain never breaks the
//! cluster's quorum.

use super::meta::{Component, Meta, PodRole};
use k8s_openapi::api::policy::v1::{PodDisruptionBudget, PodDisruptionBudgetSpec};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

/// PodDisruptionBudget `<rec>`: maxUnavailable 1 over the node pods.
pub fn pdb(meta: &Meta) -> PodDisruptionBudget {
    PodDisruptionBudget {
        metadata: meta.object(meta.rec_name(), Component::Node),
        spec: Some(PodDisruptionBudgetSpec {
            max_unavailable: Some(IntOrString::Int(1)),
            selector: Some(meta.label_selector(PodRole::Node)),
            ..Default::default()
        }),
        ..Default::default()
    }
}
