//! The service broker (**ours**, `serviceBrokerSpec.enabled`): PersistentVolumeClaim, Service (port 8080) and
//! Deployment, all named `<rec>-services-broker`.
//!
//! One replica with the `Recreate` strategy: its ReadWriteOnce volume cannot be attached to an old and a new
//! pod on different nodes at once. Image and resources have no spec field; they come from `defaults`.

use super::meta::{Component, Meta, PodRole};
use super::{pod, rbac, secret, services};
use crate::api::{ImageSpec, PullPolicy, RedisEnterpriseClusterSpec};
use crate::defaults::{BROKER_CPU, BROKER_IMAGE_REPOSITORY, BROKER_MEMORY, Versions};
use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec, DeploymentStrategy};
use k8s_openapi::api::core::v1::{
    Container, ContainerPort, PersistentVolumeClaim, PersistentVolumeClaimSpec, PersistentVolumeClaimVolumeSource,
    PodSpec, PodTemplateSpec, ResourceRequirements, Service, ServiceSpec, Volume, VolumeMount,
    VolumeResourceRequirements,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use std::collections::BTreeMap;

/// The broker's port.
pub const BROKER_PORT: i32 = 8080;
/// Where the broker keeps its state.
pub const BROKER_DATA_PATH: &str = "/var/opt/redislabs/broker";
const DATA_VOLUME: &str = "data";

/// Whether the broker is rendered.
pub fn enabled(spec: &RedisEnterpriseClusterSpec) -> bool {
    spec.service_broker_spec
        .as_ref()
        .and_then(|b| b.enabled)
        .unwrap_or(false)
}

fn name(meta: &Meta) -> String {
    format!("{}-services-broker", meta.rec_name())
}

/// PersistentVolumeClaim `<rec>-services-broker`: ReadWriteOnce, the broker's own size and class.
pub fn pvc(meta: &Meta, spec: &RedisEnterpriseClusterSpec) -> PersistentVolumeClaim {
    let volume = spec
        .service_broker_spec
        .clone()
        .and_then(|b| b.persistent_spec)
        .unwrap_or_default();
    PersistentVolumeClaim {
        metadata: meta.object(name(meta), Component::ServicesBroker),
        spec: Some(PersistentVolumeClaimSpec {
            access_modes: Some(vec!["ReadWriteOnce".into()]),
            storage_class_name: volume.storage_class_name,
            resources: Some(VolumeResourceRequirements {
                requests: Some(
                    [(
                        "storage".to_string(),
                        volume
                            .volume_size
                            .unwrap_or_else(|| Quantity(crate::defaults::BROKER_VOLUME_SIZE.into())),
                    )]
                    .into(),
                ),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// Service `<rec>-services-broker`: port `broker` 8080 to the broker pod.
pub fn service(meta: &Meta, spec: &RedisEnterpriseClusterSpec) -> Service {
    let mut metadata = meta.object(name(meta), Component::ServicesBroker);
    metadata.annotations = services::annotations(spec, None);
    Service {
        metadata,
        spec: Some(ServiceSpec {
            type_: Some("ClusterIP".into()),
            selector: Some(meta.pod_selector(PodRole::ServicesBroker)),
            ports: Some(vec![services::port("broker", BROKER_PORT)]),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// Deployment `<rec>-services-broker`.
pub fn deployment(meta: &Meta, spec: &RedisEnterpriseClusterSpec, versions: &Versions) -> Deployment {
    let image = ImageSpec {
        repository: Some(BROKER_IMAGE_REPOSITORY.into()),
        version_tag: Some(versions.operator_tag.clone()),
        image_pull_policy: Some(PullPolicy::IfNotPresent),
        digest_hash: None,
    };
    let data = Volume {
        name: DATA_VOLUME.into(),
        persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
            claim_name: name(meta),
            ..Default::default()
        }),
        ..Default::default()
    };
    let mut volumes = vec![data];
    let mut mounts = vec![VolumeMount {
        name: DATA_VOLUME.into(),
        mount_path: BROKER_DATA_PATH.into(),
        ..Default::default()
    }];
    let secret = secret::kubernetes_secret(meta, spec);
    for (volume, mount) in pod::credentials_volume(secret.as_deref())
        .into_iter()
        .chain(pod::timezone_volume(spec))
    {
        volumes.push(volume);
        mounts.push(mount);
    }
    let resources: BTreeMap<String, Quantity> = [
        ("cpu".to_string(), Quantity(BROKER_CPU.into())),
        ("memory".to_string(), Quantity(BROKER_MEMORY.into())),
    ]
    .into();
    let container = Container {
        ports: Some(vec![ContainerPort {
            name: Some("broker".into()),
            container_port: BROKER_PORT,
            protocol: Some("TCP".into()),
            ..Default::default()
        }]),
        resources: Some(ResourceRequirements {
            requests: Some(resources.clone()),
            limits: Some(resources),
            ..Default::default()
        }),
        env: pod::timezone_env(spec).map(|e| vec![e]),
        volume_mounts: Some(mounts),
        ..pod::container("services-broker", Some(&image))
    };
    let pod = PodSpec {
        service_account_name: Some(rbac::service_account_name(meta, spec)),
        containers: vec![container],
        volumes: Some(volumes),
        ..Default::default()
    };
    Deployment {
        metadata: meta.object(name(meta), Component::ServicesBroker),
        spec: Some(DeploymentSpec {
            replicas: Some(1),
            selector: meta.label_selector(PodRole::ServicesBroker),
            strategy: Some(DeploymentStrategy {
                type_: Some("Recreate".into()),
                ..Default::default()
            }),
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: Some(meta.pod_labels(PodRole::ServicesBroker)),
                    ..Default::default()
                }),
                spec: Some(pod::scheduled(spec, pod)),
            },
            ..Default::default()
        }),
        ..Default::default()
    }
}
