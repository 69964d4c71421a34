//! The cluster's Services, all selecting the node pods: `<rec>` (REST API and sentinel), `<rec>-ui` (admin UI,
//! absent when cmServer is disabled) and `<rec>-prom` (headless, metrics).
//!
//! Annotations: `services.servicesAnnotations` on each; on the UI service `uiAnnotations` win key by key.
//! The per-database services are not here: the rigger creates those at run time.

use super::meta::{Component, Meta, PodRole};
use crate::api::{ApiServiceType, OperatingMode, RedisEnterpriseClusterSpec, UiServiceType};
use k8s_openapi::api::core::v1::{Service, ServicePort, ServiceSpec};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeMap;

/// REST API port.
pub const API_PORT: i32 = 9443;
/// Sentinel discovery port.
pub const SENTINEL_PORT: i32 = 8001;
/// Admin UI port.
pub const UI_PORT: i32 = 8443;
/// Metrics exporter port.
pub const PROMETHEUS_PORT: i32 = 8070;

/// A TCP port named `name`, forwarded to the same port of the pod.
pub fn port(name: &str, number: i32) -> ServicePort {
    ServicePort {
        name: Some(name.into()),
        port: number,
        target_port: Some(IntOrString::Int(number)),
        protocol: Some("TCP".into()),
        ..Default::default()
    }
}

/// Service `<rec>` (type `services.apiService.type`): ports `api` 9443 and `sentinel` 8001.
pub fn api(meta: &Meta, spec: &RedisEnterpriseClusterSpec) -> Service {
    let type_ = spec
        .services
        .as_ref()
        .and_then(|s| s.api_service.as_ref())
        .and_then(|a| a.type_);
    let type_ = match type_.unwrap_or(ApiServiceType::ClusterIP) {
        ApiServiceType::ClusterIP => "ClusterIP",
        ApiServiceType::NodePort => "NodePort",
        ApiServiceType::LoadBalancer => "LoadBalancer",
    };
    node_service(
        meta,
        meta.rec_name().to_string(),
        Component::Api,
        annotations(spec, None),
        ServiceSpec {
            type_: Some(type_.into()),
            ports: Some(vec![port("api", API_PORT), port("sentinel", SENTINEL_PORT)]),
            ..Default::default()
        },
    )
}

/// Whether the UI service is rendered (cmServer not disabled).
pub fn ui_enabled(spec: &RedisEnterpriseClusterSpec) -> bool {
    let cm = spec
        .redis_enterprise_services_configuration
        .as_ref()
        .and_then(|c| c.cm_server.as_ref());
    cm.is_none_or(|cm| cm.operating_mode != OperatingMode::Disabled)
}

/// Service `<rec>-ui` (type `uiServiceType`): port `ui` 8443.
pub fn ui(meta: &Meta, spec: &RedisEnterpriseClusterSpec) -> Service {
    let type_ = match spec.ui_service_type.unwrap_or(UiServiceType::ClusterIP) {
        UiServiceType::ClusterIP => "ClusterIP",
        UiServiceType::NodePort => "NodePort",
        UiServiceType::LoadBalancer => "LoadBalancer",
        UiServiceType::ExternalName => "ExternalName",
    };
    node_service(
        meta,
        format!("{}-ui", meta.rec_name()),
        Component::Ui,
        annotations(spec, spec.ui_annotations.as_ref()),
        ServiceSpec {
            type_: Some(type_.into()),
            ports: Some(vec![port("ui", UI_PORT)]),
            ..Default::default()
        },
    )
}

/// Service `<rec>-prom` (headless): port `prometheus` 8070, label `redis.io/service: prom-metrics`.
pub fn prom(meta: &Meta, spec: &RedisEnterpriseClusterSpec) -> Service {
    let mut service = node_service(
        meta,
        format!("{}-prom", meta.rec_name()),
        Component::Metrics,
        annotations(spec, None),
        ServiceSpec {
            type_: Some("ClusterIP".into()),
            cluster_ip: Some("None".into()),
            ports: Some(vec![port("prometheus", PROMETHEUS_PORT)]),
            ..Default::default()
        },
    );
    if let Some(labels) = service.metadata.labels.as_mut() {
        labels.insert("redis.io/service".into(), "prom-metrics".into());
    }
    service
}

fn node_service(
    meta: &Meta,
    name: String,
    component: Component,
    annotations: Option<BTreeMap<String, String>>,
    spec: ServiceSpec,
) -> Service {
    let mut metadata = meta.object(name, component);
    metadata.annotations = annotations;
    Service {
        metadata,
        spec: Some(ServiceSpec {
            selector: Some(meta.pod_selector(PodRole::Node)),
            ..spec
        }),
        ..Default::default()
    }
}

/// `servicesAnnotations`, with `overrides` on top; `None` when empty.
pub fn annotations(
    spec: &RedisEnterpriseClusterSpec,
    overrides: Option<&BTreeMap<String, String>>,
) -> Option<BTreeMap<String, String>> {
    let mut out = spec
        .services
        .as_ref()
        .and_then(|s| s.services_annotations.clone())
        .unwrap_or_default();
    out.extend(overrides.cloned().unwrap_or_default());
    (!out.is_empty()).then_some(out)
}
