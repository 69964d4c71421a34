//! The view writes what k8s-openapi writes, byte for byte, for objects with every field set; and leaves out only
//! the timestamps, `managedFields` and `status`. Every object here is a struct literal without
//! `..Default::default()`: a field added by a k8s-openapi release does not compile until the view lists it.

use super::View;
use crate::render::{NO_USER_POD, UserPod};
use k8s_openapi::api::apps::v1::{
    Deployment, DeploymentSpec, DeploymentStatus, StatefulSet, StatefulSetSpec, StatefulSetStatus,
};
use k8s_openapi::api::core::v1::{
    Affinity, Container, PersistentVolumeClaim, PersistentVolumeClaimStatus, PodSpec, PodTemplateSpec, Secret, Service,
    ServiceAccount, ServiceSpec, ServiceStatus, Volume,
};
use k8s_openapi::api::policy::v1::{PodDisruptionBudget, PodDisruptionBudgetSpec, PodDisruptionBudgetStatus};
use k8s_openapi::api::rbac::v1::{Role, RoleBinding};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ManagedFieldsEntry, ObjectMeta, OwnerReference, Time};
use serde::Serialize;

fn some<T: Default>() -> Option<T> {
    Some(T::default())
}

fn time() -> Option<Time> {
    Some(Time(k8s_openapi::jiff::Timestamp::UNIX_EPOCH))
}

/// Every field of `ObjectMeta` set; the timestamps and `managedFields` only when `stamped`.
fn meta(stamped: bool) -> ObjectMeta {
    ObjectMeta {
        annotations: Some([("a".to_string(), "1".to_string())].into()),
        creation_timestamp: if stamped { time() } else { None },
        deletion_grace_period_seconds: Some(30),
        deletion_timestamp: if stamped { time() } else { None },
        finalizers: Some(vec!["f".into()]),
        generate_name: Some("g-".into()),
        generation: Some(2),
        labels: Some([("l".to_string(), "2".to_string())].into()),
        managed_fields: stamped.then(|| {
            vec![ManagedFieldsEntry {
                time: time(),
                ..Default::default()
            }]
        }),
        name: Some("n".into()),
        namespace: Some("ns".into()),
        owner_references: Some(vec![OwnerReference::default()]),
        resource_version: Some("7".into()),
        self_link: Some("/s".into()),
        uid: Some("u".into()),
    }
}

/// A volume with every source the render builds set (the view writes no other: the user's volumes are JSON).
fn volume() -> Volume {
    Volume {
        empty_dir: some(),
        host_path: some(),
        name: "v".into(),
        persistent_volume_claim: some(),
        secret: some(),
        ..Default::default()
    }
}

/// Every field of a pod spec the render can set; the others (`None` here) are the user's, as JSON (`UserPod`),
/// or what no pod template may hold (`activeDeadlineSeconds`, `ephemeralContainers`: `pod::overlay` leaves them
/// out).
fn pod_template(stamped: bool) -> PodTemplateSpec {
    PodTemplateSpec {
        metadata: Some(meta(stamped)),
        spec: Some(PodSpec {
            active_deadline_seconds: None,
            affinity: Some(Affinity {
                node_affinity: None,
                pod_affinity: None,
                pod_anti_affinity: some(),
            }),
            automount_service_account_token: Some(true),
            containers: vec![Container::default()],
            dns_config: None,
            dns_policy: some(),
            enable_service_links: Some(true),
            ephemeral_containers: None,
            host_aliases: some(),
            host_ipc: Some(true),
            host_network: Some(true),
            host_pid: Some(true),
            host_users: Some(true),
            hostname: some(),
            hostname_override: some(),
            image_pull_secrets: some(),
            init_containers: None,
            node_name: some(),
            node_selector: some(),
            os: None,
            overhead: some(),
            preemption_policy: some(),
            priority: Some(3),
            priority_class_name: some(),
            readiness_gates: None,
            resource_claims: None,
            resources: some(),
            restart_policy: some(),
            runtime_class_name: some(),
            scheduler_name: some(),
            scheduling_gates: None,
            security_context: None,
            service_account: some(),
            service_account_name: some(),
            set_hostname_as_fqdn: Some(true),
            share_process_namespace: Some(true),
            subdomain: some(),
            termination_grace_period_seconds: Some(4),
            tolerations: some(),
            topology_spread_constraints: None,
            volumes: Some(vec![volume()]),
            workload_ref: some(),
        }),
    }
}

fn claim(stamped: bool) -> PersistentVolumeClaim {
    PersistentVolumeClaim {
        metadata: meta(stamped),
        spec: some(),
        status: stamped.then(PersistentVolumeClaimStatus::default),
    }
}

fn statefulset(stamped: bool) -> StatefulSet {
    StatefulSet {
        metadata: meta(stamped),
        spec: Some(StatefulSetSpec {
            min_ready_seconds: Some(5),
            ordinals: some(),
            persistent_volume_claim_retention_policy: some(),
            pod_management_policy: some(),
            replicas: Some(3),
            revision_history_limit: Some(6),
            selector: Default::default(),
            service_name: some(),
            template: pod_template(stamped),
            update_strategy: some(),
            volume_claim_templates: Some(vec![claim(stamped)]),
        }),
        status: stamped.then(StatefulSetStatus::default),
    }
}

fn deployment(stamped: bool) -> Deployment {
    Deployment {
        metadata: meta(stamped),
        spec: Some(DeploymentSpec {
            min_ready_seconds: Some(5),
            paused: Some(false),
            progress_deadline_seconds: Some(7),
            replicas: Some(1),
            revision_history_limit: Some(8),
            selector: Default::default(),
            strategy: some(),
            template: pod_template(stamped),
        }),
        status: stamped.then(DeploymentStatus::default),
    }
}

/// Rendering sets a ServiceAccount's metadata only; the view writes nothing else.
fn service_account(stamped: bool) -> ServiceAccount {
    ServiceAccount {
        automount_service_account_token: None,
        image_pull_secrets: None,
        metadata: meta(stamped),
        secrets: None,
    }
}

fn role(stamped: bool) -> Role {
    Role {
        metadata: meta(stamped),
        rules: some(),
    }
}

fn role_binding(stamped: bool) -> RoleBinding {
    RoleBinding {
        metadata: meta(stamped),
        role_ref: Default::default(),
        subjects: some(),
    }
}

fn secret(stamped: bool) -> Secret {
    Secret {
        data: some(),
        immutable: Some(true),
        metadata: meta(stamped),
        string_data: some(),
        type_: some(),
    }
}

fn service(stamped: bool) -> Service {
    Service {
        metadata: meta(stamped),
        spec: Some(ServiceSpec::default()),
        status: stamped.then(ServiceStatus::default),
    }
}

fn pdb(stamped: bool) -> PodDisruptionBudget {
    PodDisruptionBudget {
        metadata: meta(stamped),
        spec: Some(PodDisruptionBudgetSpec::default()),
        status: stamped.then(|| PodDisruptionBudgetStatus {
            disrupted_pods: Some([("p".to_string(), Time(k8s_openapi::jiff::Timestamp::UNIX_EPOCH))].into()),
            ..Default::default()
        }),
    }
}

/// With every field but the left-out ones set, the view writes k8s-openapi's bytes; with those set too, it
/// writes the same bytes again (they are left out, and nothing else is).
fn check<T: Serialize>(build: fn(bool) -> T)
where
    for<'a> View<'a, T>: Serialize,
{
    let full = build(false);
    let ours = serde_json::to_string(&View(&full, &NO_USER_POD)).expect("the view writes JSON");
    let theirs = serde_json::to_string(&full).expect("k8s-openapi writes JSON");
    assert_eq!(ours, theirs);
    let stamped = build(true);
    assert_ne!(
        serde_json::to_string(&stamped).expect("JSON"),
        theirs,
        "the stamped object has more"
    );
    let ours_stamped = serde_json::to_string(&View(&stamped, &NO_USER_POD)).expect("the view writes JSON");
    assert_eq!(
        ours_stamped, theirs,
        "timestamps, managedFields and status are left out"
    );
}

#[test]
fn object_meta_is_written_as_k8s_openapi_writes_it_without_timestamps() {
    check(meta);
}

#[test]
fn pod_templates_and_volumes_are_written_as_k8s_openapi_writes_them() {
    check(pod_template);
    let volume = volume();
    assert_eq!(
        serde_json::to_string(&View(&volume, &NO_USER_POD)).ok(),
        serde_json::to_string(&volume).ok()
    );
}

/// `json[key]`, read as `T` (a checked part of `UserPod`, or k8s-openapi's type of it).
fn part<T: serde::de::DeserializeOwned>(json: &serde_json::Value, key: &str) -> T {
    serde_json::from_value(json[key].clone()).expect("it reads")
}

/// What the user adds as JSON is written as k8s-openapi writes the pod holding it typed: the containers and
/// volumes after the pod's own (with none of its own, the pod's list is there when the user's is), the affinity instead of the
/// render's, the other fields as they are.
#[test]
fn the_users_pod_parts_are_written_as_k8s_openapi_writes_them() {
    let json = serde_json::json!({
        "containers": [{"name": "side", "image": "busybox", "livenessProbe": {"httpGet": {"port": 8080}},
                        "resources": {"limits": {"cpu": 1}}}],
        "initContainers": [{"name": "init", "readinessProbe": {"tcpSocket": {"port": "http"}}}],
        "volumes": [
            {"name": "conf", "configMap": {"name": "cm", "items": [{"key": "a", "path": "a"}]}},
            {"name": "eph", "ephemeral": {"volumeClaimTemplate": {"metadata": {"labels": {"a": "b"}}, "spec": {}}}},
        ],
        "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
            {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]}]}]}}},
        "dnsConfig": {"nameservers": ["1.1.1.1"], "options": [{"name": "ndots", "value": "2"}]},
        "os": {"name": "linux"},
        "readinessGates": [{"conditionType": "ready"}],
        "resourceClaims": [{"name": "gpu", "resourceClaimName": "c"}],
        "schedulingGates": [{"name": "wait"}],
        "securityContext": {"runAsUser": 1000, "sysctls": [{"name": "a", "value": "1"}]},
        "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule"}],
    });
    let user = UserPod {
        containers: part(&json, "containers"),
        init_containers: Some(part(&json, "initContainers")),
        volumes: part(&json, "volumes"),
        affinity: Some(part(&json, "affinity")),
        dns_config: Some(part(&json, "dnsConfig")),
        os: Some(part(&json, "os")),
        readiness_gates: Some(part(&json, "readinessGates")),
        resource_claims: Some(part(&json, "resourceClaims")),
        scheduling_gates: Some(part(&json, "schedulingGates")),
        security_context: Some(part(&json, "securityContext")),
        topology_spread_constraints: Some(part(&json, "topologySpreadConstraints")),
    };
    for own in [Some(vec![volume()]), Some(vec![]), None] {
        let mut template = pod_template(false);
        template.spec.as_mut().expect("a pod").volumes = own.clone();
        let written = serde_json::to_string(&View(&template, &user)).expect("the view writes JSON");
        let mut all = template.clone();
        let pod = all.spec.as_mut().expect("a pod");
        let containers: Vec<Container> = part(&json, "containers");
        pod.containers.extend(containers);
        pod.init_containers = Some(part(&json, "initContainers"));
        let theirs: Vec<Volume> = part(&json, "volumes");
        pod.volumes = Some(own.unwrap_or_default().into_iter().chain(theirs).collect());
        pod.affinity = Some(part(&json, "affinity"));
        pod.dns_config = Some(part(&json, "dnsConfig"));
        pod.os = Some(part(&json, "os"));
        pod.readiness_gates = Some(part(&json, "readinessGates"));
        pod.resource_claims = Some(part(&json, "resourceClaims"));
        pod.scheduling_gates = Some(part(&json, "schedulingGates"));
        pod.security_context = Some(part(&json, "securityContext"));
        pod.topology_spread_constraints = Some(part(&json, "topologySpreadConstraints"));
        assert_eq!(written, serde_json::to_string(&all).expect("k8s-openapi writes JSON"));
    }
}

#[test]
fn every_rendered_kind_is_written_as_k8s_openapi_writes_it_without_status() {
    check(service_account);
    check(role);
    check(role_binding);
    check(secret);
    check(service);
    check(pdb);
    check(statefulset);
    check(deployment);
    check(claim);
}
