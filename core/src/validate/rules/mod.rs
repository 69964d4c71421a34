//! The semantic rules of the new object (REC.md §3), one small function per rule, listed in [`CREATE_RULES`].
//!
//! They read the typed REC that `structure` produced (bad values already removed) and the effective options.
//! A value a rule cannot judge (an unparsable quantity) is skipped by that rule: `quantity-invalid` reports it.
//! The rules never look at the old object (see `update`).

pub(crate) mod access;
pub(crate) mod images;
pub(crate) mod inert;
pub(crate) mod labels;
pub(crate) mod misc;
pub(crate) mod names;
pub(crate) mod nodes;
pub(crate) mod pod;
pub(crate) mod resources;

use super::Violation;
use super::options::Effective;
use super::path::Loc;
use crate::api::AdditionalPodSpecAttributes;
use crate::quantity::{self, Milli};
use crate::{RecObject, RedisEnterpriseClusterSpec};
use k8s_openapi::api::core::v1::ResourceRequirements;
use std::borrow::Cow;

/// What a rule reads.
pub(crate) struct Ctx<'a> {
    pub rec: &'a RecObject,
    pub spec: &'a RedisEnterpriseClusterSpec,
    pub options: &'a Effective<'a>,
}

/// A rule: reads the context, pushes its violations.
pub(crate) type RuleFn = fn(&Ctx<'_>, &mut Vec<Violation>);

/// Every create-time rule, in catalogue order.
pub(crate) static CREATE_RULES: &[RuleFn] = &[
    names::name_dns1123,
    names::name_too_long,
    names::name_too_long_for_ingress,
    nodes::nodes_even,
    nodes::nodes_too_few,
    nodes::nodes_too_many,
    access::license_conflict,
    access::ingress_conflict,
    access::ingress_class_missing,
    images::digest_without_tag,
    images::digest_with_auto_upgrade,
    resources::quantity_invalid,
    resources::memory_too_low,
    resources::limits_below_requests,
    resources::volume_too_small,
    misc::resize_with_flash,
    misc::reserved_annotation,
    labels::label_invalid,
    misc::rigger_service_type,
    misc::module_source,
    misc::module_url_scheme,
    misc::ocsp_range,
    misc::storage_class_not_allowed,
    images::image_registry_not_allowed,
    misc::ui_service_external_name,
    pod::container_name_conflict,
    pod::volume_name_conflict,
    pod::volume_mount_undeclared,
    pod::pod_template_refused,
    resources::memory_below_production,
    resources::limits_differ_from_requests,
    resources::volume_below_recommended,
    misc::persistence_disabled,
    images::image_tag_mismatch,
    inert::field_not_acted_on,
];

/// Runs every create-time rule.
pub(crate) fn check(ctx: &Ctx<'_>) -> Vec<Violation> {
    let mut out = Vec::new();
    for rule in CREATE_RULES {
        rule(ctx, &mut out);
    }
    out
}

/// 4Gi, the default node memory request.
pub(crate) const DEFAULT_NODE_MEMORY: Milli = super::options::MIN_NODE_MEMORY;

/// The node memory request in effect, with the path it comes from: the request, else the limit (Kubernetes
/// copies a missing request from the limit), else the default 4Gi. `None` when the value does not parse.
pub(crate) fn node_memory(spec: &RedisEnterpriseClusterSpec) -> Option<(Milli, &'static str, bool)> {
    const REQUEST: &str = "spec.redisEnterpriseNodeResources.requests.memory";
    const LIMIT: &str = "spec.redisEnterpriseNodeResources.limits.memory";
    let resources = spec.redis_enterprise_node_resources.as_ref();
    let request = resources
        .and_then(|r| r.requests.as_ref())
        .and_then(|m| m.get("memory"));
    let limit = resources.and_then(|r| r.limits.as_ref()).and_then(|m| m.get("memory"));
    match (request, limit) {
        (Some(q), _) => quantity::parse(&q.0).ok().map(|m| (m, REQUEST, true)),
        (None, Some(q)) => quantity::parse(&q.0).ok().map(|m| (m, LIMIT, true)),
        (None, None) => Some((DEFAULT_NODE_MEMORY, REQUEST, false)),
    }
}

/// Whether node persistence is on (default true).
pub(crate) fn persistence_enabled(spec: &RedisEnterpriseClusterSpec) -> bool {
    spec.persistent_spec.as_ref().and_then(|p| p.enabled).unwrap_or(true)
}

/// The number of nodes in effect (default 3).
pub(crate) fn nodes(spec: &RedisEnterpriseClusterSpec) -> i32 {
    spec.nodes.unwrap_or(3)
}

/// Every resource requirements block of the spec with its path: borrowed from the spec, or read from a user's
/// container (checked JSON, `api::checked::Container`).
pub(crate) fn resource_blocks(spec: &RedisEnterpriseClusterSpec) -> Vec<(Loc<'static>, Cow<'_, ResourceRequirements>)> {
    let mut out = Vec::new();
    let singles = [
        (
            "spec.redisEnterpriseNodeResources",
            spec.redis_enterprise_node_resources.as_ref(),
        ),
        ("spec.bootstrapperResources", spec.bootstrapper_resources.as_ref()),
        (
            "spec.redisEnterpriseServicesRiggerResources",
            spec.redis_enterprise_services_rigger_resources.as_ref(),
        ),
        (
            "spec.usageMeter.callHomeClient.resources",
            spec.usage_meter
                .as_ref()
                .and_then(|u| u.call_home_client.as_ref())
                .and_then(|c| c.resources.as_ref()),
        ),
    ];
    out.extend(
        singles
            .into_iter()
            .filter_map(|(p, r)| r.map(|r| (Loc::new(p), Cow::Borrowed(r)))),
    );
    for (i, c) in spec.side_containers_spec.iter().flatten().enumerate() {
        if let Some(r) = c.resources() {
            out.push((
                Loc::new("spec.sideContainersSpec").index(i).field("resources"),
                Cow::Owned(r),
            ));
        }
    }
    for (base, _, a) in pod_attributes(spec) {
        let base = Loc::new(base);
        if let Some(r) = &a.resources {
            out.push((base.field("resources"), Cow::Borrowed(r)));
        }
        for (i, c) in a.init_containers.iter().flatten().enumerate() {
            if let Some(r) = c.resources() {
                out.push((base.field("initContainers").index(i).field("resources"), Cow::Owned(r)));
            }
        }
    }
    out
}

/// The additional pod spec attributes the spec sets, each with its path and the kind whose pod template they go
/// into: the nodes' (a StatefulSet) and the services rigger's (a Deployment).
pub(crate) fn pod_attributes(
    spec: &RedisEnterpriseClusterSpec,
) -> impl Iterator<Item = (&'static str, &'static str, &AdditionalPodSpecAttributes)> {
    let rigger = spec
        .services_rigger_spec
        .as_ref()
        .and_then(|r| r.services_rigger_additional_pod_spec_attributes.as_ref());
    [
        (
            "spec.redisEnterpriseAdditionalPodSpecAttributes",
            "StatefulSet",
            spec.redis_enterprise_additional_pod_spec_attributes.as_ref(),
        ),
        (
            "spec.servicesRiggerSpec.servicesRiggerAdditionalPodSpecAttributes",
            "Deployment",
            rigger,
        ),
    ]
    .into_iter()
    .filter_map(|(path, kind, a)| a.map(|a| (path, kind, a)))
}

/// A JSON string literal of `text` for messages.
pub(crate) fn quoted(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}
