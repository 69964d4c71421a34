//! The node pod template: containers `redis-enterprise-node` and `bootstrapper`, then `sideContainersSpec`;
//! labels, annotations, service account, grace period, anti-affinity, scheduling fields, volumes, and finally
//! `redisEnterpriseAdditionalPodSpecAttributes` laid over it.

use super::{affinity, volumes};
use crate::api::RedisEnterpriseClusterSpec;
use crate::defaults::TERMINATION_GRACE_PERIOD_SECONDS;
use crate::render::meta::{Meta, PodRole};
use crate::render::services::{API_PORT, PROMETHEUS_PORT, SENTINEL_PORT, UI_PORT};
use crate::render::{RenderError, pod, rbac, secret};
use k8s_openapi::api::core::v1::{Container, ContainerPort, PodSpec, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

/// Name of the Redis Enterprise container.
pub const NODE_CONTAINER: &str = "redis-enterprise-node";
/// Name of the bootstrapper container.
pub const BOOTSTRAPPER_CONTAINER: &str = "bootstrapper";

/// The node pod template.
pub fn pod_template(meta: &Meta, spec: &RedisEnterpriseClusterSpec) -> Result<PodTemplateSpec, RenderError> {
    let secret = secret::kubernetes_secret(meta, spec);
    let mut containers = vec![node(spec, secret.as_deref()), bootstrapper(spec, secret.as_deref())];
    containers.extend(spec.side_containers_spec.clone().unwrap_or_default());
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
    let pod = pod::overlay(pod, spec.redis_enterprise_additional_pod_spec_attributes.as_ref());
    Ok(PodTemplateSpec {
        metadata: Some(ObjectMeta {
            labels: Some(meta.pod_labels(PodRole::Node)),
            annotations: pod::merged(
                spec.pod_annotations.as_ref(),
                spec.redis_enterprise_pod_annotations.as_ref(),
            ),
            ..Default::default()
        }),
        spec: Some(pod),
    })
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
    let mut env: Vec<_> = pod::timezone_env(spec).into_iter().collect();
    env.extend(spec.extra_env_vars.clone().unwrap_or_default());
    Container {
        resources: spec.redis_enterprise_node_resources.clone(),
        ports: Some(vec![
            port("sentinel", SENTINEL_PORT),
            port("prometheus", PROMETHEUS_PORT),
            port("ui", UI_PORT),
            port("api", API_PORT),
        ]),
        env: (!env.is_empty()).then_some(env),
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
