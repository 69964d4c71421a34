//! Storage of the node pods: the `redis-enterprise-storage` volume claim template (or an emptyDir when
//! persistence is off), mounted for data at `/var/opt/redislabs/persist` and, sub-path `logs`, for logs at
//! `/var/opt/redislabs/log`; the credentials secret; the host time zone; then the user's `volumes` and
//! `redisEnterpriseVolumeMounts`.

use crate::api::RedisEnterpriseClusterSpec;
use crate::render::meta::{Component, Meta};
use crate::render::{Pinned, pod};
use k8s_openapi::api::core::v1::{
    EmptyDirVolumeSource, PersistentVolumeClaim, PersistentVolumeClaimSpec, Volume, VolumeMount,
    VolumeResourceRequirements,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

/// The data volume (claim template or emptyDir).
pub const STORAGE_VOLUME: &str = "redis-enterprise-storage";
/// Where node data lives.
pub const PERSIST_PATH: &str = "/var/opt/redislabs/persist";
/// Where node logs live (same volume, sub-path `logs`).
pub const LOG_PATH: &str = "/var/opt/redislabs/log";

/// Whether node data is on persistent volumes.
pub fn persistent(spec: &RedisEnterpriseClusterSpec) -> bool {
    spec.persistent_spec.as_ref().and_then(|p| p.enabled).unwrap_or(true)
}

/// The volume claim template `redis-enterprise-storage` (ReadWriteOnce, volumeSize, storageClassName), when
/// persistence is on. The size and labels of a running cluster's template are `pinned` (the template is
/// immutable).
pub fn claim_templates(
    meta: &Meta,
    spec: &RedisEnterpriseClusterSpec,
    pinned: &Pinned,
) -> Option<Vec<PersistentVolumeClaim>> {
    if !persistent(spec) {
        return None;
    }
    let persistent = spec.persistent_spec.clone().unwrap_or_default();
    let claim =
        PersistentVolumeClaim {
            // A template, not an object: the StatefulSet controller owns the claims, so no owner reference here.
            metadata: ObjectMeta {
                name: Some(STORAGE_VOLUME.into()),
                labels: Some(
                    pinned
                        .claim_labels
                        .clone()
                        .unwrap_or_else(|| meta.labels(Component::Node)),
                ),
                ..Default::default()
            },
            spec: Some(PersistentVolumeClaimSpec {
                access_modes: Some(vec!["ReadWriteOnce".into()]),
                storage_class_name: persistent
                    .storage_class_name
                    .or_else(|| pinned.storage_class_name.clone()),
                resources: pinned.volume_size.clone().or(persistent.volume_size).map(|size| {
                    VolumeResourceRequirements {
                        requests: Some([("storage".to_string(), size)].into()),
                        ..Default::default()
                    }
                }),
                ..Default::default()
            }),
            ..Default::default()
        };
    Some(vec![claim])
}

/// The node pod's own volumes: emptyDir storage (persistence off), credentials, time zone. The user's follow
/// them as JSON (`template::pod_template`).
pub fn pod_volumes(spec: &RedisEnterpriseClusterSpec, credentials_secret: Option<&str>) -> Vec<Volume> {
    let mut volumes = Vec::new();
    if !persistent(spec) {
        volumes.push(Volume {
            name: STORAGE_VOLUME.into(),
            empty_dir: Some(EmptyDirVolumeSource::default()),
            ..Default::default()
        });
    }
    volumes.extend(pod::credentials_volume(credentials_secret).map(|(v, _)| v));
    volumes.extend(pod::timezone_volume(spec).map(|(v, _)| v));
    volumes
}

/// The node container's mounts: data, logs, credentials, time zone, then `redisEnterpriseVolumeMounts`.
pub fn node_mounts(spec: &RedisEnterpriseClusterSpec, credentials_secret: Option<&str>) -> Vec<VolumeMount> {
    let mut mounts = storage_mounts();
    mounts.extend(pod::credentials_volume(credentials_secret).map(|(_, m)| m));
    mounts.extend(pod::timezone_volume(spec).map(|(_, m)| m));
    mounts.extend(spec.redis_enterprise_volume_mounts.clone().unwrap_or_default());
    mounts
}

/// The bootstrapper's mounts: data, logs, credentials and time zone.
pub fn bootstrapper_mounts(spec: &RedisEnterpriseClusterSpec, credentials_secret: Option<&str>) -> Vec<VolumeMount> {
    let mut mounts = storage_mounts();
    mounts.extend(pod::credentials_volume(credentials_secret).map(|(_, m)| m));
    mounts.extend(pod::timezone_volume(spec).map(|(_, m)| m));
    mounts
}

fn storage_mounts() -> Vec<VolumeMount> {
    vec![
        VolumeMount {
            name: STORAGE_VOLUME.into(),
            mount_path: PERSIST_PATH.into(),
            ..Default::default()
        },
        VolumeMount {
            name: STORAGE_VOLUME.into(),
            mount_path: LOG_PATH.into(),
            sub_path: Some("logs".into()),
            ..Default::default()
        },
    ]
}
