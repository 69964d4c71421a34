//! Deployment `<rec>-services-rigger`: the component that creates a Service per database. One replica, the
//! rigger image and resources, the node pods' scheduling fields and service account, `servicesRiggerSpec` as
//! environment, `podAnnotations` plus `servicesRiggerSpec.podAnnotations`, and the rigger's additional pod spec
//! attributes laid over it.
//!
//! External access (`ingressOrRouteSpec`, or the legacy `activeActive`) is passed to the rigger as environment
//! (`INGRESS_METHOD`, `API_FQDN_URL`, `DB_FQDN_SUFFIX`, `INGRESS_ANNOTATIONS` as a JSON object): the rigger is
//! what creates the per-database ingresses or routes at run time. No Ingress object is rendered here.

use super::meta::{Component, Meta, PodRole};
use super::pod::UserPod;
use super::{RenderError, pod, rbac, secret};
use crate::api::{
    ActiveActiveMethod, DatabaseServicePortPolicy, IngressMethod, RedisEnterpriseClusterSpec, ServiceNaming,
};
use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec};
use k8s_openapi::api::core::v1::{EnvVar, EnvVarSource, ObjectFieldSelector, PodSpec, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

/// Name of the rigger container.
pub const RIGGER_CONTAINER: &str = "services-rigger";

/// Deployment `<rec>-services-rigger`, with what the user adds to its pod template as JSON (see [`UserPod`]).
pub fn deployment(meta: &Meta, spec: &RedisEnterpriseClusterSpec) -> Result<(Deployment, UserPod), RenderError> {
    let rigger = spec.services_rigger_spec.clone().unwrap_or_default();
    let secret = secret::kubernetes_secret(meta, spec);
    let credentials = pod::credentials_volume(secret.as_deref());
    let timezone = pod::timezone_volume(spec);
    let mounts: Vec<_> = credentials
        .iter()
        .chain(timezone.iter())
        .map(|(_, m)| m.clone())
        .collect();
    let volumes: Vec<_> = credentials.into_iter().chain(timezone).map(|(v, _)| v).collect();
    let container = k8s_openapi::api::core::v1::Container {
        resources: spec.redis_enterprise_services_rigger_resources.clone(),
        env: Some(env(meta, spec)),
        volume_mounts: (!mounts.is_empty()).then_some(mounts),
        ..pod::container(
            RIGGER_CONTAINER,
            spec.redis_enterprise_services_rigger_image_spec.as_ref(),
        )
    };
    let pod = PodSpec {
        service_account_name: Some(rbac::service_account_name(meta, spec)),
        containers: vec![container],
        volumes: (!volumes.is_empty()).then_some(volumes),
        ..Default::default()
    };
    let mut user = UserPod::default();
    let pod = pod::overlay(
        pod::scheduled(spec, pod),
        rigger.services_rigger_additional_pod_spec_attributes.as_ref(),
        &mut user,
    );
    let deployment = Deployment {
        metadata: meta.object(
            format!("{}-services-rigger", meta.rec_name()),
            Component::ServicesRigger,
        ),
        spec: Some(DeploymentSpec {
            replicas: Some(1),
            selector: meta.label_selector(PodRole::ServicesRigger),
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: Some(meta.pod_labels(PodRole::ServicesRigger)),
                    annotations: pod::merged(spec.pod_annotations.as_ref(), rigger.pod_annotations.as_ref()),
                    ..Default::default()
                }),
                spec: Some(pod),
            },
            ..Default::default()
        }),
        ..Default::default()
    };
    Ok((deployment, user))
}

/// The rigger's environment: its cluster and namespace, `servicesRiggerSpec`, the time zone, then the user's
/// `servicesRiggerSpec.extraEnvVars`.
fn env(meta: &Meta, spec: &RedisEnterpriseClusterSpec) -> Vec<EnvVar> {
    let rigger = spec.services_rigger_spec.clone().unwrap_or_default();
    let value = |name: &str, value: &str| EnvVar {
        name: name.into(),
        value: Some(value.into()),
        ..Default::default()
    };
    let mut env = vec![
        value("REC_NAME", meta.rec_name()),
        EnvVar {
            name: "NAMESPACE".into(),
            value_from: Some(EnvVarSource {
                field_ref: Some(ObjectFieldSelector {
                    field_path: "metadata.namespace".into(),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            ..Default::default()
        },
        value(
            "DATABASE_SERVICE_TYPE",
            rigger.database_service_type.as_deref().unwrap_or("cluster_ip,headless"),
        ),
        value(
            "SERVICE_NAMING",
            match rigger.service_naming.unwrap_or(ServiceNaming::BdbName) {
                ServiceNaming::BdbName => "bdb_name",
                ServiceNaming::RedisPort => "redis-port",
            },
        ),
    ];
    if let Some(policy) = rigger.database_service_port_policy {
        let policy = match policy {
            DatabaseServicePortPolicy::DatabasePortForward => "DatabasePortForward",
            DatabaseServicePortPolicy::RedisDefaultPort => "RedisDefaultPort",
        };
        env.push(value("DATABASE_SERVICE_PORT_POLICY", policy));
    }
    env.extend(ingress_env(spec).into_iter().map(|(name, v)| value(name, &v)));
    env.extend(pod::timezone_env(spec));
    env.extend(rigger.extra_env_vars.unwrap_or_default());
    env
}

/// The external access settings, from `ingressOrRouteSpec` or else `activeActive`.
fn ingress_env(spec: &RedisEnterpriseClusterSpec) -> Vec<(&'static str, String)> {
    let (method, api, suffix, annotations) = if let Some(i) = &spec.ingress_or_route_spec {
        let method = match i.method {
            IngressMethod::Ingress => "ingress",
            IngressMethod::OpenShiftRoute => "openShiftRoute",
            IngressMethod::Istio => "istio",
        };
        (method, &i.api_fqdn_url, &i.db_fqdn_suffix, &i.ingress_annotations)
    } else if let Some(a) = &spec.active_active {
        let method = match a.method {
            ActiveActiveMethod::Ingress => "ingress",
            ActiveActiveMethod::OpenShiftRoute => "openShiftRoute",
        };
        (method, &a.api_ingress_url, &a.db_ingress_suffix, &a.ingress_annotations)
    } else {
        return Vec::new();
    };
    let mut env = vec![
        ("INGRESS_METHOD", method.to_string()),
        ("API_FQDN_URL", api.clone()),
        ("DB_FQDN_SUFFIX", suffix.clone()),
    ];
    if let Some(annotations) = annotations.as_ref().filter(|a| !a.is_empty()) {
        // A BTreeMap serialises in key order, so the text is stable; a map of strings always serialises.
        env.push((
            "INGRESS_ANNOTATIONS",
            serde_json::to_string(annotations).unwrap_or_default(),
        ));
    }
    env
}
