//! Defaults as one pure function: `with_defaults(rec, versions)` returns the spec with every field the
//! rendering reads filled in. The defaults, field by field (REC.md §2):
//!
//! | field | default |
//! |---|---|
//! | `nodes` | 3 |
//! | `redisEnterpriseNodeResources` | requests = limits = cpu 2, memory 4Gi, key by key: a key set on one side only copies to the other |
//! | `bootstrapperResources` | requests = limits = cpu 100m, memory 128Mi |
//! | `redisEnterpriseServicesRiggerResources` | requests = limits = cpu 500m, memory 512Mi |
//! | `persistentSpec.enabled` | true |
//! | `persistentSpec.volumeSize` | 5 x the node memory request (only when persistence is on) |
//! | `persistentSpec.enablePersistentVolumeResize` | false |
//! | `uiServiceType` | ClusterIP |
//! | `services.apiService.type` | ClusterIP |
//! | `servicesRiggerSpec.databaseServiceType` | `cluster_ip,headless` |
//! | `servicesRiggerSpec.serviceNaming` | bdb_name |
//! | `username` | demo@redis.com |
//! | `clusterCredentialSecretName` | the REC name |
//! | `clusterCredentialSecretType` | kubernetes |
//! | `redisEnterpriseImageSpec` | `redislabs/redis`, the bundled Redis Enterprise tag, IfNotPresent |
//! | `redisEnterpriseServicesRiggerImageSpec` | `redislabs/k8s-controller`, the operator tag, IfNotPresent |
//! | `bootstrapperImageSpec` | `redislabs/operator`, the operator tag, IfNotPresent |
//! | `serviceAccountName` | the REC name |
//! | `createServiceAccount` | true |
//! | `redisEnterpriseTerminationGracePeriodSeconds` | 31536000 (one year: nodes leave only when drained) |
//! | `redisEnterpriseServicesConfiguration.cmServer.operatingMode` | enabled |
//! | `securityContext.resourceLimits.allowAutoAdjustment` | false |
//! | `containerTimezone` | `timezoneName: UTC` unless `propagateHost` is set |
//! | `serviceBrokerSpec` | enabled false; when enabled, `persistentSpec.volumeSize` 100Mi |
//! | (broker image, no spec field) | `redislabs/service-broker`, the operator tag, IfNotPresent |
//! | (broker resources, no spec field) | requests = limits = cpu 100m, memory 128Mi |
//!
//! Fields the user set are never changed. Defaulting an invalid spec is allowed (it never panics), but only a
//! validated spec should be rendered.

use crate::api::*;
use k8s_openapi::api::core::v1::ResourceRequirements;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Versions a pure function cannot know: which operator is rendering and which images it bundles.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Versions {
    /// Name of the operator, written to `app.kubernetes.io/managed-by`.
    #[serde(default = "default_operator_name")]
    pub operator_name: String,
    /// The operator's tag: default tag of the rigger and bootstrapper images.
    #[serde(default = "default_operator_tag")]
    pub operator_tag: String,
    /// The bundled Redis Enterprise tag: default tag of the node image.
    #[serde(default = "default_redis_tag")]
    pub redis_enterprise_tag: String,
}

/// The operator release this core re-creates.
pub const OPERATOR_TAG: &str = "8.0.20-23";
/// The Redis Enterprise release bundled with it.
pub const REDIS_ENTERPRISE_TAG: &str = "8.0.20-44";
/// The default admin user name.
pub const DEFAULT_USERNAME: &str = "demo@redis.com";
/// One year: a node pod is never killed before Redis Enterprise has drained it.
pub const TERMINATION_GRACE_PERIOD_SECONDS: i64 = 31_536_000;
/// Default size of the service broker's volume.
pub const BROKER_VOLUME_SIZE: &str = "100Mi";
/// Image repository of the service broker (there is no spec field; the tag is the operator's).
pub const BROKER_IMAGE_REPOSITORY: &str = "redislabs/service-broker";
/// CPU request and limit of the service broker.
pub const BROKER_CPU: &str = "100m";
/// Memory request and limit of the service broker.
pub const BROKER_MEMORY: &str = "128Mi";

fn default_operator_name() -> String {
    "redis-enterprise-operator".into()
}
fn default_operator_tag() -> String {
    OPERATOR_TAG.into()
}
fn default_redis_tag() -> String {
    REDIS_ENTERPRISE_TAG.into()
}

impl Default for Versions {
    fn default() -> Self {
        Self {
            operator_name: default_operator_name(),
            operator_tag: default_operator_tag(),
            redis_enterprise_tag: default_redis_tag(),
        }
    }
}

/// The spec of `rec` with every default applied (see the module table).
pub fn with_defaults(rec: &RecObject, versions: &Versions) -> RedisEnterpriseClusterSpec {
    let name = rec.metadata.name.clone().unwrap_or_default();
    let mut s = rec.spec.clone();

    s.nodes.get_or_insert(3);
    s.redis_enterprise_node_resources = Some(resources(s.redis_enterprise_node_resources.take(), "2", "4Gi"));
    s.bootstrapper_resources = Some(resources(s.bootstrapper_resources.take(), "100m", "128Mi"));
    s.redis_enterprise_services_rigger_resources = Some(resources(
        s.redis_enterprise_services_rigger_resources.take(),
        "500m",
        "512Mi",
    ));

    let persistent = s.persistent_spec.get_or_insert_with(Default::default);
    let enabled = *persistent.enabled.get_or_insert(true);
    persistent.enable_persistent_volume_resize.get_or_insert(false);
    if enabled && persistent.volume_size.is_none() {
        let memory = s
            .redis_enterprise_node_resources
            .as_ref()
            .and_then(|r| r.requests.as_ref())
            .and_then(|r| r.get("memory"));
        persistent.volume_size = memory.and_then(|m| crate::quantity::multiply(m, 5));
    }

    s.ui_service_type.get_or_insert(UiServiceType::ClusterIP);
    let services = s.services.get_or_insert_with(Default::default);
    let api = services.api_service.get_or_insert_with(Default::default);
    api.type_.get_or_insert(ApiServiceType::ClusterIP);

    let rigger = s.services_rigger_spec.get_or_insert_with(Default::default);
    rigger
        .database_service_type
        .get_or_insert_with(|| "cluster_ip,headless".into());
    rigger.service_naming.get_or_insert(ServiceNaming::BdbName);

    s.username.get_or_insert_with(|| DEFAULT_USERNAME.into());
    s.cluster_credential_secret_name.get_or_insert_with(|| name.clone());
    s.cluster_credential_secret_type
        .get_or_insert(CredentialSecretType::Kubernetes);
    s.service_account_name.get_or_insert_with(|| name.clone());
    s.create_service_account.get_or_insert(true);
    s.redis_enterprise_termination_grace_period_seconds
        .get_or_insert(TERMINATION_GRACE_PERIOD_SECONDS);

    image(
        &mut s.redis_enterprise_image_spec,
        "redislabs/redis",
        &versions.redis_enterprise_tag,
    );
    image(
        &mut s.redis_enterprise_services_rigger_image_spec,
        "redislabs/k8s-controller",
        &versions.operator_tag,
    );
    image(
        &mut s.bootstrapper_image_spec,
        "redislabs/operator",
        &versions.operator_tag,
    );

    let configuration = s
        .redis_enterprise_services_configuration
        .get_or_insert_with(Default::default);
    configuration.cm_server.get_or_insert(ServiceOperatingMode {
        operating_mode: OperatingMode::Enabled,
    });

    let security = s.security_context.get_or_insert_with(Default::default);
    let limits = security.resource_limits.get_or_insert_with(Default::default);
    limits.allow_auto_adjustment.get_or_insert(false);

    let timezone = s.container_timezone.get_or_insert_with(Default::default);
    if timezone.propagate_host.is_none() {
        timezone.timezone_name.get_or_insert_with(|| "UTC".into());
    }

    let broker = s.service_broker_spec.get_or_insert_with(Default::default);
    if *broker.enabled.get_or_insert(false) {
        let volume = broker.persistent_spec.get_or_insert_with(Default::default);
        volume
            .volume_size
            .get_or_insert_with(|| Quantity(BROKER_VOLUME_SIZE.into()));
    }
    s
}

/// The spec as written (`spec`, the object's `spec` member) with the defaults filled in: each member it lacks, or
/// holds as null, is taken from [`with_defaults`], object by object (arrays are values, never merged). Everything
/// the user wrote stays as written: its numbers, its order, members the model does not read. That is the spec
/// the policy's `applyDefaults` answers with, so the mutation only adds.
///
/// Why not [`with_defaults`] written out as the spec: that rewrote every member in the model's form and dropped
/// what it does not read; and it needed the model's `Serialize` for `serde_json`'s value serializer, a second copy
/// of it beside the byte writer's in the policy module (80 KB). Here the defaulted spec goes through
/// [`crate::render::written_value`]; the one thing a text round trip may change, a float's last digit, is only
/// ever in what the user wrote (`containerTimezone.propagateHost` holds any JSON), which is kept, not copied.
pub fn filled_in(spec: Option<&Value>, rec: &RecObject, versions: &Versions) -> Result<Value, serde_json::Error> {
    let mut out = match spec {
        Some(spec @ Value::Object(_)) => spec.clone(),
        _ => Value::Object(Default::default()),
    };
    fill(&mut out, crate::render::written_value(&with_defaults(rec, versions))?);
    Ok(out)
}

/// Adds to `have` each member of `defaults` it lacks or holds as null, recursively into objects both hold.
fn fill(have: &mut Value, defaults: Value) {
    let (Value::Object(have), Value::Object(defaults)) = (have, defaults) else {
        return;
    };
    for (key, default) in defaults {
        match have.get_mut(&key) {
            None | Some(Value::Null) => {
                have.insert(key, default);
            }
            Some(value) => fill(value, default),
        }
    }
}

/// Requests and limits completed key by key, for `cpu` and `memory`: a key missing on one side copies the other
/// side's, a key missing on both takes the default. Other keys (`ephemeral-storage`...) stay as given.
///
/// Key by key, not block by block: `requests: {cpu: 4}` alone must still get a memory request (the node's memory
/// is what Redis Enterprise sizes itself by, and the default volume size is 5 x the memory request).
fn resources(given: Option<ResourceRequirements>, cpu: &str, memory: &str) -> ResourceRequirements {
    let mut r = given.unwrap_or_default();
    let mut requests = r.requests.take().unwrap_or_default();
    let mut limits = r.limits.take().unwrap_or_default();
    for (key, default) in [("cpu", cpu), ("memory", memory)] {
        let value = requests
            .get(key)
            .or_else(|| limits.get(key))
            .cloned()
            .unwrap_or_else(|| Quantity(default.into()));
        limits.entry(key.to_string()).or_insert_with(|| value.clone());
        requests.entry(key.to_string()).or_insert(value);
    }
    r.requests = Some(requests);
    r.limits = Some(limits);
    r
}

/// Fills repository, tag and pull policy of an image; a given digest or tag is kept.
fn image(spec: &mut Option<ImageSpec>, repository: &str, tag: &str) {
    let image = spec.get_or_insert_with(Default::default);
    image.repository.get_or_insert_with(|| repository.into());
    if image.digest_hash.is_none() {
        image.version_tag.get_or_insert_with(|| tag.into());
    }
    image.image_pull_policy.get_or_insert(PullPolicy::IfNotPresent);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rec(spec: Value) -> (Value, RecObject) {
        let object = json!({"metadata": {"name": "rec"}, "spec": spec});
        let typed = serde_json::from_value(object.clone()).expect("a REC");
        (object, typed)
    }

    #[test]
    fn an_empty_spec_gets_every_default() {
        let (object, typed) = rec(json!({}));
        let filled = filled_in(object.get("spec"), &typed, &Versions::default()).unwrap();
        let defaulted = serde_json::to_value(with_defaults(&typed, &Versions::default())).unwrap();
        assert_eq!(filled, defaulted);
        assert_eq!(filled_in(None, &typed, &Versions::default()).unwrap(), defaulted);
    }

    #[test]
    fn what_the_user_wrote_stays_as_written_and_only_missing_or_null_members_are_added() {
        // A float no text round trip keeps (read back, it is one unit off in the last place), an unknown member,
        // a number where the model reads a quantity, and a null.
        let float = json!(1.0715660391465826e-75);
        let (object, typed) = rec(json!({
            "nodes": 5,
            "username": null,
            "containerTimezone": {"propagateHost": {"x": float.clone()}},
            "redisEnterpriseNodeResources": {"requests": {"cpu": 4}},
            "persistentSpec": {"enabled": true, "unknown": "kept"},
            "notInTheModel": [1, 2],
        }));
        let filled = filled_in(object.get("spec"), &typed, &Versions::default()).unwrap();
        assert_eq!(filled["nodes"], json!(5));
        assert_eq!(filled["username"], json!(DEFAULT_USERNAME));
        assert_eq!(filled["containerTimezone"], json!({"propagateHost": {"x": float}}));
        assert_eq!(
            filled["redisEnterpriseNodeResources"],
            json!({"requests": {"cpu": 4, "memory": "4Gi"}, "limits": {"cpu": "4", "memory": "4Gi"}})
        );
        assert_eq!(filled["persistentSpec"]["unknown"], json!("kept"));
        assert_eq!(filled["persistentSpec"]["volumeSize"], json!("20Gi"));
        assert_eq!(filled["notInTheModel"], json!([1, 2]));
        let keys: Vec<&String> = filled.as_object().unwrap().keys().collect();
        assert_eq!(
            keys[..4],
            ["nodes", "username", "containerTimezone", "redisEnterpriseNodeResources"]
        );
    }

    #[test]
    fn a_spec_with_every_default_written_is_filled_in_as_itself() {
        let (object, typed) = rec(json!({}));
        let full = filled_in(object.get("spec"), &typed, &Versions::default()).unwrap();
        let (object, typed) = rec(full.clone());
        assert_eq!(
            filled_in(object.get("spec"), &typed, &Versions::default()).unwrap(),
            full
        );
    }
}
