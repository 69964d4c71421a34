//! A pod volume, read as the core reads it: Kubernetes' `Volume` field for field, except that an ephemeral volume's
//! claim template carries our [`Metadata`] instead of k8s-openapi's `ObjectMeta`.
//!
//! Why: `Volume` is the one type of the spec that reaches `ObjectMeta` (through `ephemeral.volumeClaimTemplate`),
//! and `ObjectMeta` brings `Time`, whose reading and writing link the `jiff` date library (about 100 KB of the
//! policy module). Everything else is k8s-openapi's own types. Rendering turns a [`Volume`] back into
//! k8s-openapi's (`into_k8s`); the CRD schema of the fields holding volumes is k8s-openapi's (`schemars(with)`).
//!
//! Serialized field for field as k8s-openapi writes it (same names, same order, absent fields left out), and read
//! with the same leniency (a missing or null `name` is empty, a missing or null claim `spec` is empty); the one
//! difference is the claim template's metadata (see [`Metadata`] and [`Metadata::into_k8s`]).

use super::Metadata;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Deserializer, Serialize};

/// Kubernetes' `Volume`: a name and one volume source.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase", expecting = "Volume")]
pub struct Volume {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_elastic_block_store: Option<core::AWSElasticBlockStoreVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azure_disk: Option<core::AzureDiskVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azure_file: Option<core::AzureFileVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cephfs: Option<core::CephFSVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cinder: Option<core::CinderVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_map: Option<core::ConfigMapVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csi: Option<core::CSIVolumeSource>,
    #[serde(default, rename = "downwardAPI", skip_serializing_if = "Option::is_none")]
    pub downward_api: Option<core::DownwardAPIVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub empty_dir: Option<core::EmptyDirVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ephemeral: Option<EphemeralVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fc: Option<core::FCVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flex_volume: Option<core::FlexVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flocker: Option<core::FlockerVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gce_persistent_disk: Option<core::GCEPersistentDiskVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_repo: Option<core::GitRepoVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub glusterfs: Option<core::GlusterfsVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_path: Option<core::HostPathVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<core::ImageVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iscsi: Option<core::ISCSIVolumeSource>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nfs: Option<core::NFSVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistent_volume_claim: Option<core::PersistentVolumeClaimVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photon_persistent_disk: Option<core::PhotonPersistentDiskVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub portworx_volume: Option<core::PortworxVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub projected: Option<core::ProjectedVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quobyte: Option<core::QuobyteVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rbd: Option<core::RBDVolumeSource>,
    #[serde(default, rename = "scaleIO", skip_serializing_if = "Option::is_none")]
    pub scale_io: Option<core::ScaleIOVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<core::SecretVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storageos: Option<core::StorageOSVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vsphere_volume: Option<core::VsphereVirtualDiskVolumeSource>,
}

/// Kubernetes' `EphemeralVolumeSource`.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase", expecting = "EphemeralVolumeSource")]
pub struct EphemeralVolumeSource {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_claim_template: Option<PersistentVolumeClaimTemplate>,
}

/// Kubernetes' `PersistentVolumeClaimTemplate`, with our [`Metadata`].
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase", expecting = "PersistentVolumeClaimTemplate")]
pub struct PersistentVolumeClaimTemplate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub spec: core::PersistentVolumeClaimSpec,
}

impl Volume {
    /// The same volume as k8s-openapi's type, for rendering.
    pub fn into_k8s(self) -> core::Volume {
        core::Volume {
            aws_elastic_block_store: self.aws_elastic_block_store,
            azure_disk: self.azure_disk,
            azure_file: self.azure_file,
            cephfs: self.cephfs,
            cinder: self.cinder,
            config_map: self.config_map,
            csi: self.csi,
            downward_api: self.downward_api,
            empty_dir: self.empty_dir,
            ephemeral: self.ephemeral.map(EphemeralVolumeSource::into_k8s),
            fc: self.fc,
            flex_volume: self.flex_volume,
            flocker: self.flocker,
            gce_persistent_disk: self.gce_persistent_disk,
            git_repo: self.git_repo,
            glusterfs: self.glusterfs,
            host_path: self.host_path,
            image: self.image,
            iscsi: self.iscsi,
            name: self.name,
            nfs: self.nfs,
            persistent_volume_claim: self.persistent_volume_claim,
            photon_persistent_disk: self.photon_persistent_disk,
            portworx_volume: self.portworx_volume,
            projected: self.projected,
            quobyte: self.quobyte,
            rbd: self.rbd,
            scale_io: self.scale_io,
            secret: self.secret,
            storageos: self.storageos,
            vsphere_volume: self.vsphere_volume,
        }
    }
}

impl EphemeralVolumeSource {
    fn into_k8s(self) -> core::EphemeralVolumeSource {
        core::EphemeralVolumeSource {
            volume_claim_template: self.volume_claim_template.map(|t| core::PersistentVolumeClaimTemplate {
                metadata: t.metadata.map(Metadata::into_k8s),
                spec: t.spec,
            }),
        }
    }
}

impl Metadata {
    /// The same metadata as k8s-openapi's `ObjectMeta`, for rendering a claim template, without the timestamps,
    /// `managedFields` and `ownerReferences`: the API server sets those on stored objects and rejects them in a
    /// claim template (only labels and annotations are allowed there), and carrying them would link a date
    /// parser and two more readers into the browser build (10 KB gzip) for objects the cluster refuses anyway.
    pub fn into_k8s(self) -> ObjectMeta {
        ObjectMeta {
            annotations: self.annotations,
            deletion_grace_period_seconds: self.deletion_grace_period_seconds,
            finalizers: self.finalizers,
            generate_name: self.generate_name,
            generation: self.generation,
            labels: self.labels,
            name: self.name,
            namespace: self.namespace,
            resource_version: self.resource_version,
            self_link: self.self_link,
            uid: self.uid,
            ..ObjectMeta::default()
        }
    }
}

/// A required field as k8s-openapi reads it: `null` is the default, like a missing field.
fn null_as_default<'de, D: Deserializer<'de>, T: Default + Deserialize<'de>>(deserializer: D) -> Result<T, D::Error> {
    Option::<T>::deserialize(deserializer).map(Option::unwrap_or_default)
}
