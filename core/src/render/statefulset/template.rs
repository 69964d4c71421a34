//! The node pod template: containers `redis-enterprise-node` and `bootstrapper`, then `sideContainersSpec`;
//! labels, annotations, service account, grace period, anti-affinity, scheduling fields, volumes, and finally
//! `redisEnterpriseAdditionalPodSpecAttributes` laid over it. What is the user's own (side containers, volumes,
//! most attributes) stays JSON beside the template (`UserPod`).

use super::{affinity, probes, volumes};
use crate::api::RedisEnterpriseClusterSpec;
use crate::defaults::TERMINATION_GRACE_PERIOD_SECONDS;
use crate::render::meta::{Meta, PodRole};
use crate::render::pod::UserPod;
use crate::render::services::{API_PORT, PROMETHEUS_PORT, SENTINEL_PORT, UI_PORT};
use crate::render::{RenderError, pod, rbac, secret};
use k8s_openapi::api::core::v1::{
    Container, ContainerPort, EnvVar, EnvVarSource, ObjectFieldSelector, PodSpec, PodTemplateSpec,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

/// Name of the Redis Enterprise container.
pub const NODE_CONTAINER: &str = "redis-enterprise-node";
/// Name of the bootstrapper container.
pub const BOOTSTRAPPER_CONTAINER: &str = "bootstrapper";

/// The node pod template, and what the user adds to it as JSON (`sideContainersSpec`, `spec.volumes`, then the
/// additional attributes': [`UserPod`]).
pub fn pod_template(meta: &Meta, spec: &RedisEnterpriseClusterSpec) -> Result<(PodTemplateSpec, UserPod), RenderError> {
    let secret = secret::kubernetes_secret(meta, spec);
    let containers = vec![node(spec, secret.as_deref()), bootstrapper(spec, secret.as_deref())];
    let volumes = volumes::pod_volumes(spec, secret.as_deref());
    let pod = PodSpec {
        service_account_name: Some(rbac::service_account_name(meta, spec)),
        termination_grace_period_seconds: Some(
            spec.redis_enterprise_termination_grace_period_seconds
                .unwrap_or(TERMINATION_GRACE_PERIOD_SECONDS),
        ),
        affinity: Some(affinity::affinity(meta, spec)),
        host_aliases: spec.host_aliases.clone().filter(|h| !h.is_empty()),
        containers,
        volumes: (!volumes.is_empty()).then_some(volumes),
        ..Default::default()
    };
    let pod = pod::scheduled(spec, pod);
    let mut user = UserPod {
        containers: spec.side_containers_spec.clone().unwrap_or_default(),
        volumes: spec.volumes.clone().unwrap_or_default(),
        ..UserPod::default()
    };
    let pod = pod::overlay(
        pod,
        spec.redis_enterprise_additional_pod_spec_attributes.as_ref(),
        &mut user,
    );
    let mut template = PodTemplateSpec {
        metadata: Some(ObjectMeta {
            labels: Some(meta.pod_labels(PodRole::Node)),
            annotations: pod::merged(
                spec.pod_annotations.as_ref(),
                spec.redis_enterprise_pod_annotations.as_ref(),
            ),
            ..Default::default()
        }),
        spec: Some(pod),
    };
    let hash = template_hash(&template, &user);
    if let Some(metadata) = template.metadata.as_mut() {
        metadata
            .annotations
            .get_or_insert_with(Default::default)
            .insert(TEMPLATE_HASH_ANNOTATION.into(), hash);
    }
    Ok((template, user))
}

/// The pod template annotation holding the hash of the rest of the template. Every pod carries the hash of the
/// template it was created from, so the plan tells a node on the new template from one on the old by comparing
/// two strings: nothing to wait for (the StatefulSet controller's revisions appear only after it has seen the
/// new template), the same answer in every entry point.
pub const TEMPLATE_HASH_ANNOTATION: &str = "redis.io/template-hash";

/// FNV-1a (64 bits, hex) of the template's JSON: for telling templates apart, not for security. The JSON is the
/// one the core writes rendered objects with ([`crate::render::View`]: k8s-openapi's output, less the timestamps
/// rendering never sets), so the hash links no second serialisation of the pod types, nor the date library.
pub fn template_hash(template: &PodTemplateSpec, user: &UserPod) -> String {
    let bytes = serde_json::to_vec(&crate::render::View(template, user)).unwrap_or_default();
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{hash:016x}")
}

fn node(spec: &RedisEnterpriseClusterSpec, secret: Option<&str>) -> Container {
    let security = spec.security_context.clone().unwrap_or_default();
    let auto_adjust = security
        .resource_limits
        .and_then(|l| l.allow_auto_adjustment)
        .unwrap_or(false);
    let read_only_root = security.read_only_root_filesystem_policy.is_some_and(|p| p.enabled);
    let port = |name: &str, number| ContainerPort {
        name: Some(name.into()),
        container_port: number,
        protocol: Some("TCP".into()),
        ..Default::default()
    };
    // The pod's IP lets the preStop hook find its own node among the cluster's (see `probes`).
    let mut env = vec![EnvVar {
        name: "POD_IP".into(),
        value_from: Some(EnvVarSource {
            field_ref: Some(ObjectFieldSelector {
                field_path: "status.podIP".into(),
                api_version: None,
            }),
            ..Default::default()
        }),
        ..Default::default()
    }];
    env.extend(pod::timezone_env(spec));
    env.extend(spec.extra_env_vars.clone().unwrap_or_default());
    let health = probes::node(secret.is_some());
    Container {
        readiness_probe: Some(health.readiness),
        liveness_probe: Some(health.liveness),
        startup_probe: Some(health.startup),
        lifecycle: health.lifecycle,
        resources: spec.redis_enterprise_node_resources.clone(),
        ports: Some(vec![
            port("sentinel", SENTINEL_PORT),
            port("prometheus", PROMETHEUS_PORT),
            port("ui", UI_PORT),
            port("api", API_PORT),
        ]),
        env: Some(env),
        volume_mounts: Some(volumes::node_mounts(spec, secret)),
        security_context: Some(pod::security_context(auto_adjust, read_only_root)),
        ..pod::container(NODE_CONTAINER, spec.redis_enterprise_image_spec.as_ref())
    }
}

fn bootstrapper(spec: &RedisEnterpriseClusterSpec, secret: Option<&str>) -> Container {
    let read_only_root = spec
        .security_context
        .as_ref()
        .and_then(|s| s.read_only_root_filesystem_policy.as_ref())
        .is_some_and(|p| p.enabled);
    Container {
        resources: spec.bootstrapper_resources.clone(),
        env: pod::timezone_env(spec).map(|e| vec![e]),
        volume_mounts: Some(volumes::bootstrapper_mounts(spec, secret)),
        security_context: Some(pod::security_context(false, read_only_root)),
        ..pod::container(BOOTSTRAPPER_CONTAINER, spec.bootstrapper_image_spec.as_ref())
    }
}
