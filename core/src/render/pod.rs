//! What every managed pod shares: image references, the hardened security context, scheduling fields
//! (nodeSelector, tolerations, priorityClassName, imagePullSecrets), the time zone, the credentials volume and
//! the user's additional pod spec attributes laid over the result.

use crate::api::{AdditionalPodSpecAttributes, ImageSpec, PullPolicy, RedisEnterpriseClusterSpec, checked};
use k8s_openapi::api::core::v1::{
    Capabilities, Container, EnvVar, HostPathVolumeSource, PodSpec, SecretVolumeSource, SecurityContext, Volume,
    VolumeMount,
};
use std::collections::BTreeMap;

/// Where the credentials secret is mounted in every container that talks to the cluster.
pub const CREDENTIALS_PATH: &str = "/opt/redislabs/credentials";
/// Name of the credentials volume.
pub const CREDENTIALS_VOLUME: &str = "credentials";
/// Name of the host time zone volume.
pub const TIMEZONE_VOLUME: &str = "timezone";

/// `repository[:versionTag][@sha256:digestHash]` and the pull policy of an image spec.
pub fn image(spec: Option<&ImageSpec>) -> (String, String) {
    let spec = spec.cloned().unwrap_or_default();
    let mut image = spec.repository.unwrap_or_default();
    if let Some(tag) = spec.version_tag.filter(|t| !t.is_empty()) {
        image.push(':');
        image.push_str(&tag);
    }
    if let Some(digest) = spec.digest_hash.filter(|d| !d.is_empty()) {
        image.push_str("@sha256:");
        image.push_str(digest.strip_prefix("sha256:").unwrap_or(&digest));
    }
    let policy = match spec.image_pull_policy.unwrap_or(PullPolicy::IfNotPresent) {
        PullPolicy::Always => "Always",
        PullPolicy::IfNotPresent => "IfNotPresent",
        PullPolicy::Never => "Never",
    };
    (image, policy.into())
}

/// A container of `image` with the hardened security context.
pub fn container(name: &str, spec: Option<&ImageSpec>) -> Container {
    let (image, policy) = image(spec);
    Container {
        name: name.into(),
        image: Some(image),
        image_pull_policy: Some(policy),
        security_context: Some(security_context(false, false)),
        ..Default::default()
    }
}

/// No privilege escalation, every capability dropped; `auto_adjust` (allowAutoAdjustment) adds SYS_RESOURCE and
/// allows escalation so Redis Enterprise can raise its own limits.
pub fn security_context(auto_adjust: bool, read_only_root: bool) -> SecurityContext {
    SecurityContext {
        allow_privilege_escalation: Some(auto_adjust),
        capabilities: Some(Capabilities {
            drop: Some(vec!["ALL".into()]),
            add: auto_adjust.then(|| vec!["SYS_RESOURCE".into()]),
        }),
        read_only_root_filesystem: read_only_root.then_some(true),
        ..Default::default()
    }
}

/// The scheduling fields of every managed pod: nodeSelector, tolerations, priorityClassName, imagePullSecrets.
pub fn scheduled(spec: &RedisEnterpriseClusterSpec, pod: PodSpec) -> PodSpec {
    PodSpec {
        node_selector: spec.node_selector.clone().filter(|m| !m.is_empty()),
        tolerations: spec.pod_tolerations.clone().filter(|t| !t.is_empty()),
        priority_class_name: spec.priority_class_name.clone().filter(|p| !p.is_empty()),
        image_pull_secrets: spec.pull_secrets.clone().filter(|p| !p.is_empty()),
        ..pod
    }
}

/// `TZ` from `containerTimezone.timezoneName` (none when the host's zone is propagated).
pub fn timezone_env(spec: &RedisEnterpriseClusterSpec) -> Option<EnvVar> {
    let tz = spec.container_timezone.as_ref()?;
    if tz.propagate_host.is_some() {
        return None;
    }
    tz.timezone_name.clone().map(|name| EnvVar {
        name: "TZ".into(),
        value: Some(name),
        ..Default::default()
    })
}

/// The host's `/etc/localtime`, read-only, when `containerTimezone.propagateHost` is set.
pub fn timezone_volume(spec: &RedisEnterpriseClusterSpec) -> Option<(Volume, VolumeMount)> {
    spec.container_timezone.as_ref()?.propagate_host.as_ref()?;
    let volume = Volume {
        name: TIMEZONE_VOLUME.into(),
        host_path: Some(HostPathVolumeSource {
            path: "/etc/localtime".into(),
            type_: Some("File".into()),
        }),
        ..Default::default()
    };
    let mount = VolumeMount {
        name: TIMEZONE_VOLUME.into(),
        mount_path: "/etc/localtime".into(),
        read_only: Some(true),
        ..Default::default()
    };
    Some((volume, mount))
}

/// The credentials secret as a volume (`None` for vault credentials: there is no Kubernetes secret).
pub fn credentials_volume(secret: Option<&str>) -> Option<(Volume, VolumeMount)> {
    let secret = secret?;
    let volume = Volume {
        name: CREDENTIALS_VOLUME.into(),
        secret: Some(SecretVolumeSource {
            secret_name: Some(secret.into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let mount = VolumeMount {
        name: CREDENTIALS_VOLUME.into(),
        mount_path: CREDENTIALS_PATH.into(),
        read_only: Some(true),
        ..Default::default()
    };
    Some((volume, mount))
}

/// What the user adds to a pod the render builds, as checked JSON (`api::checked`), which [`super::View`] writes
/// into its pod spec: the containers and volumes after the pod's own, the other lists as they are (the render sets
/// none of them), the affinity instead of the render's, the other objects as they are. From `sideContainersSpec`,
/// `spec.volumes` and the additional pod spec attributes (`overlay`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UserPod {
    pub containers: Vec<checked::Container>,
    pub init_containers: Option<Vec<checked::Container>>,
    pub volumes: Vec<crate::api::Volume>,
    pub affinity: Option<checked::Affinity>,
    pub dns_config: Option<checked::PodDnsConfig>,
    pub os: Option<checked::PodOs>,
    pub readiness_gates: Option<Vec<checked::PodReadinessGate>>,
    pub resource_claims: Option<Vec<checked::PodResourceClaim>>,
    pub scheduling_gates: Option<Vec<checked::PodSchedulingGate>>,
    pub security_context: Option<checked::PodSecurityContext>,
    pub topology_spread_constraints: Option<Vec<checked::TopologySpreadConstraint>>,
}

/// A pod without anything of the user's (every kind but the workloads').
pub static NO_USER_POD: UserPod = UserPod {
    containers: Vec::new(),
    init_containers: None,
    volumes: Vec::new(),
    affinity: None,
    dns_config: None,
    os: None,
    readiness_gates: None,
    resource_claims: None,
    scheduling_gates: None,
    security_context: None,
    topology_spread_constraints: None,
};

/// `base` with `overrides` on top; `None` when empty.
pub fn merged(
    base: Option<&BTreeMap<String, String>>,
    overrides: Option<&BTreeMap<String, String>>,
) -> Option<BTreeMap<String, String>> {
    let mut out = base.cloned().unwrap_or_default();
    out.extend(overrides.cloned().unwrap_or_default());
    (!out.is_empty()).then_some(out)
}

/// Lays the user's additional pod spec attributes over `pod`: lists (tolerations, volumes, init containers...)
/// are extended, `nodeSelector` and `overhead` merged key by key, every other field set replaced (`hostnameOverride`
/// and `workloadRef` too: fields of Kubernetes 1.34 and 1.35, which a 1.33 API server drops). Left out: what the
/// API server refuses in the pod template of a StatefulSet or a Deployment (`ephemeralContainers`,
/// `activeDeadlineSeconds`, a `restartPolicy` other than `Always`). Validation refuses a REC that sets them
/// (`pod-template-refused`); an update that keeps them from an older object is accepted with a warning
/// (ratcheting), and leaving them out is what lets its StatefulSet apply.
///
/// Field by field on the typed structs, not through JSON: a JSON round trip would link a second deserializer of
/// the whole pod spec model into every wasm build (about 150 KB of the browser module). What the attributes hold
/// as JSON (`api::checked`) goes to `user` instead, which the pod's writer lays over the pod ([`UserPod`]); a
/// `volumes` list there, even an empty one, makes the pod's list present, as when it was extended.
pub fn overlay(mut pod: PodSpec, attributes: Option<&AdditionalPodSpecAttributes>, user: &mut UserPod) -> PodSpec {
    let Some(a) = attributes.cloned() else { return pod };
    /// Lists are extended, maps merged key by key (the attributes' value wins).
    fn extend<C: IntoIterator + Extend<C::Item>>(have: &mut Option<C>, more: Option<C>) {
        match (have.as_mut(), more) {
            (Some(have), Some(more)) => have.extend(more),
            (None, more @ Some(_)) => *have = more,
            (_, None) => {}
        }
    }
    fn replace<T>(have: &mut Option<T>, more: Option<T>) {
        if more.is_some() {
            *have = more;
        }
    }
    extend(&mut pod.host_aliases, a.host_aliases);
    extend(&mut pod.image_pull_secrets, a.image_pull_secrets);
    extend(&mut user.init_containers, a.init_containers);
    extend(&mut user.readiness_gates, a.readiness_gates);
    extend(&mut user.resource_claims, a.resource_claims);
    extend(&mut user.scheduling_gates, a.scheduling_gates);
    extend(&mut pod.tolerations, a.tolerations);
    extend(&mut user.topology_spread_constraints, a.topology_spread_constraints);
    if let Some(volumes) = a.volumes {
        pod.volumes.get_or_insert_default();
        user.volumes.extend(volumes);
    }
    extend(&mut pod.node_selector, a.node_selector);
    extend(&mut pod.overhead, a.overhead);
    replace(&mut user.affinity, a.affinity);
    replace(
        &mut pod.automount_service_account_token,
        a.automount_service_account_token,
    );
    replace(&mut user.dns_config, a.dns_config);
    replace(&mut pod.dns_policy, a.dns_policy);
    replace(&mut pod.enable_service_links, a.enable_service_links);
    replace(&mut pod.host_ipc, a.host_ipc);
    replace(&mut pod.host_network, a.host_network);
    replace(&mut pod.host_pid, a.host_pid);
    replace(&mut pod.host_users, a.host_users);
    replace(&mut pod.hostname, a.hostname);
    replace(&mut pod.node_name, a.node_name);
    replace(&mut user.os, a.os);
    replace(&mut pod.preemption_policy, a.preemption_policy);
    replace(&mut pod.priority, a.priority);
    replace(&mut pod.priority_class_name, a.priority_class_name);
    replace(&mut pod.resources, a.resources);
    replace(&mut pod.restart_policy, a.restart_policy.filter(|p| p == "Always"));
    replace(&mut pod.runtime_class_name, a.runtime_class_name);
    replace(&mut pod.scheduler_name, a.scheduler_name);
    replace(&mut user.security_context, a.security_context);
    replace(&mut pod.service_account, a.service_account);
    replace(&mut pod.service_account_name, a.service_account_name);
    replace(&mut pod.set_hostname_as_fqdn, a.set_hostname_as_fqdn);
    replace(&mut pod.share_process_namespace, a.share_process_namespace);
    replace(&mut pod.subdomain, a.subdomain);
    replace(
        &mut pod.termination_grace_period_seconds,
        a.termination_grace_period_seconds,
    );
    replace(&mut pod.hostname_override, a.hostname_override);
    let workload = a.workload_ref.map(|w| k8s_openapi::api::core::v1::WorkloadReference {
        name: w.name.unwrap_or_default(),
        pod_group: w.pod_group.unwrap_or_default(),
        pod_group_replica_key: w.pod_group_replica_key,
    });
    replace(&mut pod.workload_ref, workload);
    pod
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn overlay_appends_lists_merges_maps_and_replaces_the_rest() {
        let pod: PodSpec = serde_json::from_value(json!({
            "containers": [{"name": "c"}],
            "dnsPolicy": "ClusterFirst",
            "nodeSelector": {"a": "1", "b": "1"},
            "tolerations": [{"key": "x", "operator": "Exists"}],
        }))
        .unwrap();
        let attributes: AdditionalPodSpecAttributes = serde_json::from_value(json!({
            "dnsPolicy": "None",
            "nodeSelector": {"b": "2", "c": "2"},
            "tolerations": [{"key": "y", "operator": "Exists"}],
            "hostnameOverride": "h",
        }))
        .unwrap();
        let out = overlay(pod, Some(&attributes), &mut UserPod::default());
        assert_eq!(
            serde_json::to_value(out).unwrap(),
            json!({
                "containers": [{"name": "c"}],
                "dnsPolicy": "None",
                "hostnameOverride": "h",
                "nodeSelector": {"a": "1", "b": "2", "c": "2"},
                "tolerations": [{"key": "x", "operator": "Exists"}, {"key": "y", "operator": "Exists"}],
            })
        );
    }

    #[test]
    fn overlay_leaves_out_what_a_pod_template_cannot_hold() {
        let attributes: AdditionalPodSpecAttributes = serde_json::from_value(json!({
            "ephemeralContainers": [{"name": "debug", "image": "busybox"}],
            "activeDeadlineSeconds": 60,
            "restartPolicy": "OnFailure",
            "priority": 5,
        }))
        .unwrap();
        let out = overlay(PodSpec::default(), Some(&attributes), &mut UserPod::default());
        assert_eq!(
            serde_json::to_value(out).unwrap(),
            json!({"containers": [], "priority": 5})
        );
        let always: AdditionalPodSpecAttributes = serde_json::from_value(json!({"restartPolicy": "Always"})).unwrap();
        let out = overlay(PodSpec::default(), Some(&always), &mut UserPod::default());
        assert_eq!(out.restart_policy.as_deref(), Some("Always"));
    }

    #[test]
    fn image_references_join_repository_tag_and_digest() {
        let spec = |repo: &str, tag: Option<&str>, digest: Option<&str>| ImageSpec {
            repository: Some(repo.into()),
            version_tag: tag.map(Into::into),
            digest_hash: digest.map(Into::into),
            image_pull_policy: None,
        };
        assert_eq!(
            image(Some(&spec("r", Some("1"), None))),
            ("r:1".into(), "IfNotPresent".into())
        );
        assert_eq!(image(Some(&spec("r", Some("1"), Some("sha256:ab")))).0, "r:1@sha256:ab");
        assert_eq!(image(Some(&spec("r", Some("1"), Some("ab")))).0, "r:1@sha256:ab");
        assert_eq!(image(Some(&spec("r", None, Some("ab")))).0, "r@sha256:ab");
    }
}
