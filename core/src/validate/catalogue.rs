//! The rule catalogue: every code validation can emit, with its severity, the stage that checks it and a summary.
//!
//! `RULES` is the single table: `docs/rules.md` is generated from it (`rules_markdown`) and coverage tests read it.
//! A rule's check lives in `structure`, `rules/*` or `update`; it makes its violations through [`Rule::at`], so a
//! code cannot be emitted without being in this catalogue.

use super::{Severity, Violation};
use crate::kind::Kind;
use serde::Serialize;

/// When a rule is checked.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum Stage {
    /// Parsing arbitrary JSON into the typed model.
    Structure,
    /// Every create and update, on the new object.
    Create,
    /// Updates only, comparing the old and the new object.
    Update,
    /// The validation options themselves.
    Options,
    /// A change to a running cluster, judged by the plan against what the cluster runs (see `plan`).
    Plan,
    /// Against the object's context: the other objects the entry point can see (a REDB's REC and the other
    /// REDBs of that REC). Skipped, with one warning that says so, when the entry point has no context.
    Context,
}

/// One rule of the catalogue.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    pub code: &'static str,
    pub severity: Severity,
    pub stage: Stage,
    pub summary: &'static str,
}

impl Rule {
    /// A violation of this rule at `path`.
    pub(crate) fn at(&self, path: impl ToString, message: impl Into<String>) -> Violation {
        Violation {
            code: self.code.into(),
            severity: self.severity,
            path: path.to_string(),
            message: message.into(),
        }
    }
}

const fn rule(code: &'static str, severity: Severity, stage: Stage, summary: &'static str) -> Rule {
    Rule {
        code,
        severity,
        stage,
        summary,
    }
}

use Severity::{Error as E, Warning as W};
use Stage::{Context as X, Create as C, Options as O, Plan as P, Structure as S, Update as U};

pub(crate) const NOT_AN_OBJECT: Rule = rule(
    "not-an-object",
    E,
    S,
    "The REC, its `metadata` or its `spec` is not a JSON object.",
);
pub(crate) const API_VERSION: Rule = rule(
    "api-version",
    E,
    S,
    "`apiVersion` is not `app.redislabs.com/v1` or `app.redislabs.com/v1alpha1`.",
);
pub(crate) const KIND: Rule = rule("kind", E, S, "`kind` is not `RedisEnterpriseCluster`.");
pub(crate) const TYPE_MISMATCH: Rule = rule(
    "type-mismatch",
    E,
    S,
    "A value has the wrong JSON type, or a number is out of its integer range.",
);
pub(crate) const ENUM_VALUE: Rule = rule("enum-value", E, S, "A value is outside the set its field allows.");
pub(crate) const REQUIRED_FIELD: Rule = rule(
    "required-field",
    E,
    S,
    "A field the object must have is missing (`metadata`, `metadata.name`, `spec`, or a field a block needs; only the \
     first missing field of a block is reported, then the block is set aside).",
);
pub(crate) const UNKNOWN_FIELD: Rule = rule(
    "unknown-field",
    E,
    S,
    "A field the REC schema does not know (a typo like `node:`); `status` is not checked.",
);
pub(crate) const TOO_MANY_ERRORS: Rule = rule(
    "too-many-errors",
    E,
    S,
    "Structural checking stopped after 50 errors; the other rules did not run. Fix these and validate again.",
);
pub(crate) const NAME_DNS1123: Rule = rule(
    "name-dns1123",
    E,
    C,
    "A name is not a DNS-1123 name: `metadata.name` must be a label that starts with a letter (Services are named \
     after it); secret, service account, storage class, priority class, runtime class and scheduler names must be \
     subdomains; container and volume names and the pod attributes' `hostname` and `subdomain` must be labels.",
);
pub(crate) const NAME_TOO_LONG: Rule = rule(
    "name-too-long",
    E,
    C,
    "`metadata.name` is longer than 47 characters, so `<name>-services-broker` would pass the 63 of a Service name.",
);
pub(crate) const NAME_TOO_LONG_FOR_INGRESS: Rule = rule(
    "name-too-long-for-ingress",
    E,
    C,
    "`metadata.name` is longer than 20 characters while `ingressOrRouteSpec` or `activeActive` is set (host names).",
);
pub(crate) const NODES_EVEN: Rule = rule(
    "nodes-even",
    E,
    C,
    "`nodes` is even: a quorum needs an odd number of nodes.",
);
pub(crate) const NODES_TOO_FEW: Rule = rule("nodes-too-few", E, C, "`nodes` is below 3.");
pub(crate) const NODES_TOO_MANY: Rule = rule(
    "nodes-too-many",
    E,
    C,
    "`nodes` is above 35, the most Redis Software supports.",
);
pub(crate) const LICENSE_CONFLICT: Rule = rule(
    "license-conflict",
    E,
    C,
    "Both `license` and `licenseSecretName` are set.",
);
pub(crate) const INGRESS_CONFLICT: Rule = rule(
    "ingress-conflict",
    E,
    C,
    "Both `ingressOrRouteSpec` and `activeActive` are set.",
);
pub(crate) const INGRESS_CLASS_MISSING: Rule = rule(
    "ingress-class-missing",
    E,
    C,
    "Method `ingress` without the annotation `kubernetes.io/ingress.class` in `ingressAnnotations`.",
);
pub(crate) const DIGEST_WITHOUT_TAG: Rule = rule(
    "digest-without-tag",
    E,
    C,
    "An image has `digestHash` but no `versionTag`.",
);
pub(crate) const DIGEST_WITH_AUTO_UPGRADE: Rule = rule(
    "digest-with-auto-upgrade",
    E,
    C,
    "`redisEnterpriseImageSpec.digestHash` with `upgradeSpec.autoUpgradeRedisEnterprise: true`.",
);
pub(crate) const QUANTITY_INVALID: Rule = rule(
    "quantity-invalid",
    E,
    C,
    "A resource or volume quantity does not parse as a Kubernetes quantity, or is negative.",
);
pub(crate) const MEMORY_TOO_LOW: Rule = rule(
    "memory-too-low",
    E,
    C,
    "The node memory request is below 4Gi (or the `minNodeMemory` option): nodes would be OOM-killed.",
);
pub(crate) const LIMITS_BELOW_REQUESTS: Rule = rule(
    "limits-below-requests",
    E,
    C,
    "A resource limit is below its request (Kubernetes rejects the pod).",
);
pub(crate) const VOLUME_TOO_SMALL: Rule = rule(
    "volume-too-small",
    E,
    C,
    "An explicit `persistentSpec.volumeSize` is below 3 x the node memory request.",
);
pub(crate) const RESIZE_WITH_FLASH: Rule = rule(
    "resize-with-flash",
    E,
    C,
    "`persistentSpec.enablePersistentVolumeResize` with an enabled `redisOnFlashSpec`.",
);
pub(crate) const RESERVED_ANNOTATION: Rule = rule(
    "reserved-annotation",
    E,
    C,
    "An annotation map sets the key `redis.io/last-keys`, which the operator owns.",
);
pub(crate) const LABEL_INVALID: Rule = rule(
    "label-invalid",
    E,
    C,
    "A label (`extraLabels`, a `nodeSelector`) or an annotation key that the API server refuses on the objects \
     the render copies it onto: a key is a qualified name (an optional DNS-1123 subdomain prefix and a slash, then \
     1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit); a label value is empty or \
     such a name.",
);
pub(crate) const RIGGER_SERVICE_TYPE: Rule = rule(
    "rigger-service-type",
    E,
    C,
    "`servicesRiggerSpec.databaseServiceType` has an item other than `cluster_ip`, `headless`, `load_balancer`.",
);
pub(crate) const MODULE_SOURCE: Rule = rule(
    "module-source",
    E,
    C,
    "A `userDefinedModules` item has both or neither of `source.http` and `source.https`.",
);
pub(crate) const MODULE_URL_SCHEME: Rule = rule(
    "module-url-scheme",
    E,
    C,
    "A module URL's scheme does not match its source (`http` needs http://, `https` https://).",
);
pub(crate) const OCSP_RANGE: Rule = rule(
    "ocsp-range",
    E,
    C,
    "An `ocspConfiguration` number is outside its range: queryFrequency and recoveryFrequency 60..86400, \
     recoveryMaxTries 1..100, responseTimeout 1..60.",
);
pub(crate) const STORAGE_CLASS_NOT_ALLOWED: Rule = rule(
    "storage-class-not-allowed",
    E,
    C,
    "A storage class is not in the `allowedStorageClasses` option.",
);
pub(crate) const IMAGE_REGISTRY_NOT_ALLOWED: Rule = rule(
    "image-registry-not-allowed",
    E,
    C,
    "An image (set or default) is not from a registry in the `allowedImageRegistries` option.",
);
pub(crate) const UI_SERVICE_EXTERNAL_NAME: Rule = rule(
    "ui-service-external-name",
    E,
    C,
    "`uiServiceType: ExternalName`: such a Service needs `spec.externalName`, which the REC has no field for, and \
     would not select the nodes.",
);
pub(crate) const CONTAINER_NAME_CONFLICT: Rule = rule(
    "container-name-conflict",
    E,
    C,
    "A side or init container of the node pod is named like one of the operator's (`redis-enterprise-node`, \
     `bootstrapper`) or like another one.",
);
pub(crate) const VOLUME_NAME_CONFLICT: Rule = rule(
    "volume-name-conflict",
    E,
    C,
    "A volume of the node pod is named like one the operator renders (`redis-enterprise-storage`, `credentials`, \
     `timezone`) or like another one.",
);
pub(crate) const VOLUME_MOUNT_UNDECLARED: Rule = rule(
    "volume-mount-undeclared",
    E,
    C,
    "A volume mount (`redisEnterpriseVolumeMounts`, a side or init container's) names a volume the node pod does \
     not declare.",
);
pub(crate) const POD_TEMPLATE_REFUSED: Rule = rule(
    "pod-template-refused",
    E,
    C,
    "`redisEnterpriseAdditionalPodSpecAttributes` or `servicesRiggerSpec.servicesRiggerAdditionalPodSpecAttributes` \
     sets what the API server refuses in the pod template of a StatefulSet or a Deployment: `ephemeralContainers`, \
     `activeDeadlineSeconds`, or a restart policy other than `Always`.",
);
pub(crate) const MEMORY_BELOW_PRODUCTION: Rule = rule(
    "memory-below-production",
    W,
    C,
    "The node memory request (the default 4Gi included) is below 8Gi, the production minimum.",
);
pub(crate) const LIMITS_DIFFER_FROM_REQUESTS: Rule = rule(
    "limits-differ-from-requests",
    W,
    C,
    "Node limits differ from requests: the pods do not get Guaranteed QoS and may be evicted first.",
);
pub(crate) const VOLUME_BELOW_RECOMMENDED: Rule = rule(
    "volume-below-recommended",
    W,
    C,
    "An explicit `persistentSpec.volumeSize` is below 5 x the node memory request.",
);
pub(crate) const PERSISTENCE_DISABLED: Rule = rule(
    "persistence-disabled",
    W,
    C,
    "`persistentSpec.enabled: false`: no recovery is possible after losing the nodes.",
);
pub(crate) const IMAGE_TAG_MISMATCH: Rule = rule(
    "image-tag-mismatch",
    W,
    C,
    "The rigger or bootstrapper `versionTag` differs from the operator's tag (option `operatorTag`).",
);
pub(crate) const FIELD_NOT_ACTED_ON: Rule = rule(
    "field-not-acted-on",
    W,
    C,
    "A field this operator accepts but does not act on: Redis Enterprise takes that setting through the cluster's \
     REST API, which this operator does not drive.",
);
pub(crate) const NODES_DECREASED: Rule = rule("nodes-decreased", E, U, "`nodes` is lower than before.");
pub(crate) const STORAGE_CLASS_CHANGED: Rule = rule(
    "storage-class-changed",
    E,
    U,
    "`persistentSpec.storageClassName` changed (it is immutable).",
);
pub(crate) const PERSISTENCE_TURNED_OFF: Rule = rule(
    "persistence-turned-off",
    E,
    U,
    "`persistentSpec.enabled` went from true to false.",
);
pub(crate) const VOLUME_SHRUNK: Rule = rule(
    "volume-shrunk",
    E,
    U,
    "The node volume size (set or defaulted from memory) is smaller than before.",
);
pub(crate) const VOLUME_GROW_WITHOUT_RESIZE: Rule = rule(
    "volume-grow-without-resize",
    E,
    U,
    "The node volume size grew without `persistentSpec.enablePersistentVolumeResize: true`.",
);
pub(crate) const VAULT_SECRET_RENAMED: Rule = rule(
    "vault-secret-renamed",
    E,
    U,
    "With `clusterCredentialSecretType: vault`, `clusterCredentialSecretName` changed.",
);
pub(crate) const PERSISTENCE_TURNED_ON: Rule = rule(
    "persistence-turned-on",
    E,
    U,
    "Persistence was off and is now on: a running StatefulSet cannot gain a volume claim template.",
);
pub(crate) const VERSION_DOWNGRADE: Rule = rule(
    "version-downgrade",
    E,
    P,
    "The Redis Enterprise version would go down: Redis Enterprise does not downgrade a running cluster.",
);
pub(crate) const IMMUTABLE_FIELD: Rule = rule(
    "immutable-field",
    E,
    P,
    "The change would alter a StatefulSet field the API server never changes (claim template, selector, service \
     name) in a way no plan carries out.",
);
pub(crate) const CREDENTIALS_SECRET_MISSING: Rule = rule(
    "credentials-secret-missing",
    E,
    P,
    "The credentials Secret of a cluster that already ran is gone: a new random password would lock its nodes out.",
);
pub(crate) const OPTIONS_INVALID: Rule = rule(
    "options-invalid",
    E,
    O,
    "A validation option is itself invalid (the rule it feeds falls back to its default).",
);

/// Every rule, in catalogue order (structure, create errors, create warnings, update, options).
pub static RULES: &[Rule] = &[
    NOT_AN_OBJECT,
    API_VERSION,
    KIND,
    TYPE_MISMATCH,
    ENUM_VALUE,
    REQUIRED_FIELD,
    UNKNOWN_FIELD,
    TOO_MANY_ERRORS,
    NAME_DNS1123,
    NAME_TOO_LONG,
    NAME_TOO_LONG_FOR_INGRESS,
    NODES_EVEN,
    NODES_TOO_FEW,
    NODES_TOO_MANY,
    LICENSE_CONFLICT,
    INGRESS_CONFLICT,
    INGRESS_CLASS_MISSING,
    DIGEST_WITHOUT_TAG,
    DIGEST_WITH_AUTO_UPGRADE,
    QUANTITY_INVALID,
    MEMORY_TOO_LOW,
    LIMITS_BELOW_REQUESTS,
    VOLUME_TOO_SMALL,
    RESIZE_WITH_FLASH,
    RESERVED_ANNOTATION,
    LABEL_INVALID,
    RIGGER_SERVICE_TYPE,
    MODULE_SOURCE,
    MODULE_URL_SCHEME,
    OCSP_RANGE,
    STORAGE_CLASS_NOT_ALLOWED,
    IMAGE_REGISTRY_NOT_ALLOWED,
    UI_SERVICE_EXTERNAL_NAME,
    CONTAINER_NAME_CONFLICT,
    VOLUME_NAME_CONFLICT,
    VOLUME_MOUNT_UNDECLARED,
    POD_TEMPLATE_REFUSED,
    MEMORY_BELOW_PRODUCTION,
    LIMITS_DIFFER_FROM_REQUESTS,
    VOLUME_BELOW_RECOMMENDED,
    PERSISTENCE_DISABLED,
    IMAGE_TAG_MISMATCH,
    FIELD_NOT_ACTED_ON,
    NODES_DECREASED,
    STORAGE_CLASS_CHANGED,
    PERSISTENCE_TURNED_OFF,
    PERSISTENCE_TURNED_ON,
    VOLUME_SHRUNK,
    VOLUME_GROW_WITHOUT_RESIZE,
    VAULT_SECRET_RENAMED,
    VERSION_DOWNGRADE,
    IMMUTABLE_FIELD,
    CREDENTIALS_SECRET_MISSING,
    OPTIONS_INVALID,
];

// The RedisEnterpriseDatabase's rules (REDB.md section 3), checked by `crate::redb::validate`.

pub(crate) const REDB_NOT_AN_OBJECT: Rule = rule(
    "redb-not-an-object",
    E,
    S,
    "The REDB, its `metadata` or its `spec` is not a JSON object.",
);
pub(crate) const REDB_API_VERSION: Rule = rule(
    "redb-api-version",
    E,
    S,
    "`apiVersion` is not `app.redislabs.com/v1alpha1`.",
);
pub(crate) const REDB_KIND: Rule = rule("redb-kind", E, S, "`kind` is not `RedisEnterpriseDatabase`.");
pub(crate) const REDB_TYPE_MISMATCH: Rule = rule(
    "redb-type-mismatch",
    E,
    S,
    "A REDB value has the wrong JSON type, or a number is out of its integer range.",
);
pub(crate) const REDB_ENUM_VALUE: Rule = rule(
    "redb-enum-value",
    E,
    S,
    "A value is outside the set the CRD allows (`persistence`, `tlsMode`, `type`, `shardsPlacement`, `connectionSettings` enums, `rolesPermissions[].type`).",
);
pub(crate) const REDB_REQUIRED_FIELD: Rule = rule(
    "redb-required-field",
    E,
    S,
    "A field the REDB must have is missing (`metadata`, `metadata.name`, `spec`, or a field a block needs).",
);
pub(crate) const REDB_UNKNOWN_FIELD: Rule = rule(
    "redb-unknown-field",
    E,
    S,
    "A field the REDB schema does not know; `status` and the alerts' own fields are not checked.",
);
pub(crate) const REDB_TOO_MANY_ERRORS: Rule = rule(
    "redb-too-many-errors",
    E,
    S,
    "Structural checking of a REDB stopped after 50 errors; the other rules did not run.",
);
pub(crate) const REDB_NAME_DNS1035: Rule = rule(
    "redb-name-dns1035",
    E,
    C,
    "`metadata.name` is not a DNS-1035 label (lower-case letters, digits and `-`, starting with a letter): Services are named after it.",
);
pub(crate) const REDB_NAME_TOO_LONG: Rule = rule(
    "redb-name-too-long",
    E,
    C,
    "`metadata.name` is longer than 49 characters, so `<name>-load-balancer` would pass the 63 of a Service name.",
);
pub(crate) const REDB_SECRET_NAME: Rule = rule(
    "redb-secret-name",
    E,
    C,
    "A secret name (`databaseSecretName`, `memcachedSaslSecretName`, a backup or replica source secret, `clientAuthenticationCertificates`) is not a DNS-1123 subdomain.",
);
pub(crate) const REDB_MEMORY_SIZE_INVALID: Rule = rule(
    "redb-memory-size-invalid",
    E,
    C,
    "`memorySize` or `rofRamSize` is not a size (`100MB`, `0.1GB`, `1GB`, or a Kubernetes quantity such as `1Gi`).",
);
pub(crate) const REDB_MEMORY_TOO_LOW: Rule = rule("redb-memory-too-low", E, C, "`memorySize` is below 100MB.");
pub(crate) const REDB_ROF_MEMORY_TOO_LOW: Rule = rule(
    "redb-rof-memory-too-low",
    E,
    C,
    "`memorySize` is below 1GB with `isRof: true` (RAM and flash together).",
);
pub(crate) const REDB_ROF_RAM_SIZE_WITHOUT_ROF: Rule = rule(
    "redb-rof-ram-size-without-rof",
    E,
    C,
    "`rofRamSize` is set without `isRof: true`.",
);
pub(crate) const REDB_ROF_RAM_SIZE_MISSING: Rule = rule(
    "redb-rof-ram-size-missing",
    E,
    C,
    "`isRof: true` with a `redisVersion` below 8 (Auto Tiering v1) and no `rofRamSize`.",
);
pub(crate) const REDB_ROF_RAM_SIZE_TOO_LOW: Rule = rule(
    "redb-rof-ram-size-too-low",
    E,
    C,
    "`rofRamSize` is under 10% of `memorySize` (not judged when `redisVersion` is 8 or later: Redis Flex).",
);
pub(crate) const REDB_ROF_RAM_RATIO_RANGE: Rule =
    rule("redb-rof-ram-ratio-range", E, C, "`rofRamRatio` is outside 0-100.");
pub(crate) const REDB_SEARCH_ON_BIGSTORE_WITHOUT_ROF: Rule = rule(
    "redb-search-on-bigstore-without-rof",
    E,
    C,
    "`searchOnBigstore: true` without `isRof: true`.",
);
pub(crate) const REDB_SHARD_COUNT_TOO_LOW: Rule = rule("redb-shard-count-too-low", E, C, "`shardCount` is below 1.");
pub(crate) const REDB_SHARDING_ENABLED: Rule = rule(
    "redb-sharding-enabled",
    E,
    C,
    "`shardingEnabled` is set: it is for Active-Active databases (REAADB); a REDB shards by `shardCount`.",
);
pub(crate) const REDB_EVICTION_POLICY: Rule = rule(
    "redb-eviction-policy",
    E,
    C,
    "`evictionPolicy` is not one of volatile-lru, volatile-ttl, volatile-random, allkeys-lru, allkeys-random, noeviction, volatile-lfu, allkeys-lfu.",
);
pub(crate) const REDB_PROXY_POLICY: Rule = rule(
    "redb-proxy-policy",
    E,
    C,
    "`proxyPolicy` is not one of single, all-master-shards, all-nodes.",
);
pub(crate) const REDB_REPLICA_SOURCE_TYPE: Rule = rule(
    "redb-replica-source-type",
    E,
    C,
    "`replicaSources[].replicaSourceType` is not `SECRET` or `REDB`.",
);
pub(crate) const REDB_REDIS_VERSION: Rule = rule(
    "redb-redis-version",
    E,
    C,
    "`redisVersion` is not `<major>`, `<major.minor>`, `major` or `latest`.",
);
pub(crate) const REDB_PORT_RANGE: Rule = rule(
    "redb-port-range",
    E,
    C,
    "`databasePort` or `databaseServicePort` is outside 1-65535.",
);
pub(crate) const REDB_PORT_RESERVED: Rule = rule(
    "redb-port-reserved",
    E,
    C,
    "`databasePort` is a port Redis Enterprise itself uses on its nodes (Redis Software's network port configurations: 53, 1968, 3333-3349, 3350, 3355, 5353, 8000-8002, 8004, 8006, 8070, 8071, 8080, 8443, 8444, 9080-9082, 9091, 9125, 9443, 10050, 20000-29999, 36379, 36380).",
);
pub(crate) const REDB_COMPRESSION_RANGE: Rule = rule(
    "redb-compression-range",
    E,
    C,
    "`replicaSources[].compression` is outside 0-6.",
);
pub(crate) const REDB_BACKUP_STORAGE: Rule = rule(
    "redb-backup-storage",
    E,
    C,
    "`backup` names no storage, or more than one of ftp, s3, abs, swift, sftp, gcs, mount.",
);
pub(crate) const REDB_BACKUP_INTERVAL_OFFSET: Rule = rule(
    "redb-backup-interval-offset",
    E,
    C,
    "`backup.intervalOffset` is set while the interval is not 12h (43200) or 24h (86400), or is negative or not below the interval.",
);
pub(crate) const REDB_MEMCACHED_FIELD: Rule = rule(
    "redb-memcached-field",
    E,
    C,
    "A memcached database sets a Redis-only field: `modulesList`, `redisVersion`, `ossCluster`, `replicaSources` or `databaseSecretName` (memcached uses `memcachedSaslSecretName`).",
);
pub(crate) const REDB_EXTERNAL_ACCESS_WITHOUT_OSS_CLUSTER: Rule = rule(
    "redb-external-access-without-oss-cluster",
    E,
    C,
    "`ossClusterSettings.enableExternalAccess: true` without `ossCluster: true`.",
);
pub(crate) const REDB_REPLICATION_OFF: Rule = rule(
    "redb-replication-off",
    W,
    C,
    "Replication is off (the default): with no replica shard, losing a node loses data.",
);
pub(crate) const REDB_PERSISTENCE_DISABLED: Rule = rule(
    "redb-persistence-disabled",
    W,
    C,
    "`persistence` is disabled (the default): a restart of the shards loses the data.",
);
pub(crate) const REDB_MODULE_VERSION_DEPRECATED: Rule = rule(
    "redb-module-version-deprecated",
    W,
    C,
    "`modulesList[].version` is set: deprecated, and ignored for Redis 8 and later.",
);
pub(crate) const REDB_PORT_CHANGED: Rule = rule(
    "redb-port-changed",
    E,
    U,
    "`databasePort` changed (or was removed) after being set: the port of a database never changes.",
);
pub(crate) const REDB_TYPE_CHANGED: Rule = rule(
    "redb-type-changed",
    E,
    U,
    "`type` changed (`redis` is the default): a database cannot change type.",
);
pub(crate) const REDB_ROF_CHANGED: Rule = rule(
    "redb-rof-changed",
    E,
    U,
    "`isRof` changed (false is the default): Auto Tiering is chosen at creation.",
);
pub(crate) const REDB_SHARD_COUNT_DECREASED: Rule = rule(
    "redb-shard-count-decreased",
    E,
    U,
    "`shardCount` is lower than before (1 is the default): shards can be added, not removed.",
);

pub(crate) const REDB_NO_CONTEXT: Rule = rule(
    "redb-no-context",
    W,
    X,
    "No context was given (the REC, the other REDBs): the context rules were skipped. Never an error, even with \
     `warningsAsErrors`: it says what was not checked.",
);
pub(crate) const REDB_CLUSTER_NOT_FOUND: Rule = rule(
    "redb-cluster-not-found",
    E,
    X,
    "`redisEnterpriseCluster.name` names no REC, or it is omitted and the namespace holds no REC.",
);
pub(crate) const REDB_CLUSTER_AMBIGUOUS: Rule = rule(
    "redb-cluster-ambiguous",
    E,
    X,
    "`redisEnterpriseCluster` is omitted and the namespace holds several RECs (or the name matches several RECs, none \
     in the REDB's namespace).",
);
pub(crate) const REDB_MODULE_UNKNOWN: Rule = rule(
    "redb-module-unknown",
    E,
    X,
    "A `modulesList` module is neither bundled (search, ReJSON, timeseries, bf) nor in the REC's \
     `userDefinedModules` (or its `status.modules`).",
);
pub(crate) const REDB_LATEST_WITHOUT_UPGRADE_POLICY: Rule = rule(
    "redb-latest-without-upgrade-policy",
    E,
    X,
    "`redisVersion: latest` while the REC has no `redisUpgradePolicy`.",
);
pub(crate) const REDB_EXTERNAL_ACCESS_WITHOUT_REC: Rule = rule(
    "redb-external-access-without-rec",
    E,
    X,
    "`ossClusterSettings.enableExternalAccess` while the REC has no `ossClusterSettings.externalAccessType`.",
);
pub(crate) const REDB_NAME_TAKEN: Rule = rule(
    "redb-name-taken",
    E,
    X,
    "Another REDB of the same REC (in another namespace) has the same name (RED-99997).",
);
pub(crate) const REDB_PORT_TAKEN: Rule = rule(
    "redb-port-taken",
    E,
    X,
    "Another REDB of the same REC has the same `databasePort`.",
);
pub(crate) const REDB_REPLICA_SOURCE_NOT_FOUND: Rule = rule(
    "redb-replica-source-not-found",
    E,
    X,
    "A `replicaSources` entry of type REDB names no REDB of the namespace.",
);
pub(crate) const REDB_CLUSTER_MEMORY: Rule = rule(
    "redb-cluster-memory",
    W,
    X,
    "The REC's databases ask for more memory (replicas counted twice) than its nodes' memory requests hold.",
);

/// Every REDB rule, in catalogue order (structure, create errors, create warnings, update, context). A table of its own
/// beside [`RULES`], which lists the REC's: the REC's entry points (the ABI and its corpus, the fuzz targets) cover
/// every code of `RULES`, and they do not validate REDBs yet. [`rule_for`] and `docs/rules.md` cover both.
pub static REDB_RULES: &[Rule] = &[
    REDB_NOT_AN_OBJECT,
    REDB_API_VERSION,
    REDB_KIND,
    REDB_TYPE_MISMATCH,
    REDB_ENUM_VALUE,
    REDB_REQUIRED_FIELD,
    REDB_UNKNOWN_FIELD,
    REDB_TOO_MANY_ERRORS,
    REDB_NAME_DNS1035,
    REDB_NAME_TOO_LONG,
    REDB_SECRET_NAME,
    REDB_MEMORY_SIZE_INVALID,
    REDB_MEMORY_TOO_LOW,
    REDB_ROF_MEMORY_TOO_LOW,
    REDB_ROF_RAM_SIZE_WITHOUT_ROF,
    REDB_ROF_RAM_SIZE_MISSING,
    REDB_ROF_RAM_SIZE_TOO_LOW,
    REDB_ROF_RAM_RATIO_RANGE,
    REDB_SEARCH_ON_BIGSTORE_WITHOUT_ROF,
    REDB_SHARD_COUNT_TOO_LOW,
    REDB_SHARDING_ENABLED,
    REDB_EVICTION_POLICY,
    REDB_PROXY_POLICY,
    REDB_REPLICA_SOURCE_TYPE,
    REDB_REDIS_VERSION,
    REDB_PORT_RANGE,
    REDB_PORT_RESERVED,
    REDB_COMPRESSION_RANGE,
    REDB_BACKUP_STORAGE,
    REDB_BACKUP_INTERVAL_OFFSET,
    REDB_MEMCACHED_FIELD,
    REDB_EXTERNAL_ACCESS_WITHOUT_OSS_CLUSTER,
    REDB_REPLICATION_OFF,
    REDB_PERSISTENCE_DISABLED,
    REDB_MODULE_VERSION_DEPRECATED,
    REDB_PORT_CHANGED,
    REDB_TYPE_CHANGED,
    REDB_ROF_CHANGED,
    REDB_SHARD_COUNT_DECREASED,
    REDB_NO_CONTEXT,
    REDB_CLUSTER_NOT_FOUND,
    REDB_CLUSTER_AMBIGUOUS,
    REDB_MODULE_UNKNOWN,
    REDB_LATEST_WITHOUT_UPGRADE_POLICY,
    REDB_EXTERNAL_ACCESS_WITHOUT_REC,
    REDB_NAME_TAKEN,
    REDB_PORT_TAKEN,
    REDB_REPLICA_SOURCE_NOT_FOUND,
    REDB_CLUSTER_MEMORY,
];

/// Whether `code` is a note of what was not checked (`redb-no-context`): a warning that `warningsAsErrors` leaves
/// a warning, since it says nothing is wrong with the object.
pub fn is_note(code: &str) -> bool {
    code == REDB_NO_CONTEXT.code
}

/// The rule with this code (a REC's or a REDB's).
pub fn rule_for(code: &str) -> Option<&'static Rule> {
    RULES.iter().chain(REDB_RULES).find(|r| r.code == code)
}

/// The sections of `docs/rules.md` for the REC's rules: the stages, in order, each with its heading.
const REC_SECTIONS: [(Stage, &str); 5] = [
    (
        Stage::Structure,
        "Structure (parsing arbitrary JSON into the typed REC)",
    ),
    (Stage::Create, "Create and update (the new object)"),
    (Stage::Update, "Update only (old and new object)"),
    (
        Stage::Plan,
        "Plan (a change to a running cluster, against what it runs; `plan` answers these as refusals)",
    ),
    (Stage::Options, "Options"),
];

/// The sections of `docs/rules.md` for the REDB's rules.
const REDB_SECTIONS: [(Stage, &str); 4] = [
    (
        Stage::Structure,
        "Structure (parsing arbitrary JSON into the typed REDB)",
    ),
    (Stage::Create, "Create and update (the new object)"),
    (Stage::Update, "Update only (old and new object)"),
    (Stage::Context, "Context (the REC and the other REDBs)"),
];

/// The rules of `kind`'s objects, in the order `docs/rules.md` lists them (section by section), as the field
/// tables list them (`crd::field_docs`).
pub fn rules_of(kind: Kind) -> impl Iterator<Item = &'static Rule> {
    let (rules, sections): (&'static [Rule], &'static [(Stage, &str)]) = match kind {
        Kind::Cluster => (RULES, &REC_SECTIONS),
        Kind::Database => (REDB_RULES, &REDB_SECTIONS),
    };
    sections
        .iter()
        .flat_map(move |(stage, _)| rules.iter().filter(move |r| r.stage == *stage))
}

/// The rule catalogue as Markdown: the content of `docs/rules.md`.
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "# Validation rules\n\n\
         Generated from `rec_core::validate::RULES` (`core/src/validate/catalogue.rs`); do not edit by hand.\n\
         Regenerate with `REC_BLESS=1 cargo test -p rec-core --test validate_docs`.\n\n\
         Every violation has a code from this table, a severity, the JSON path of the field (`spec.nodes`,\n\
         `spec.podTolerations[0].key`, `spec.podAnnotations[\"redis.io/last-keys\"]`; the root is `.`) and a message.\n\
         Violations are sorted by path, then code, then message. With the option `warningsAsErrors`, warnings are\n\
         reported with severity `error`. On update (an old object given), an error of a create rule at a path whose\n\
         value the update did not change is reported as a warning instead (ratcheting, as Kubernetes does for CRD\n\
         validation): a REC that was already invalid can still be edited elsewhere.\n\n\
         Options (`ValidateRequest.options`): `warningsAsErrors` (bool), `minNodeMemory` (quantity, at least 4Gi),\n\
         `allowedStorageClasses` (list of names; an unset class is allowed), `allowedImageRegistries` (list of\n\
         registry hosts such as `docker.io`, or host/path prefixes such as `registry.example.com/redislabs`),\n\
         `operatorTag` (the tag rigger and bootstrapper images should have).\n",
    );
    for (stage, title) in REC_SECTIONS {
        table(&mut out, &format!("## {title}"), RULES, stage);
    }
    out.push_str(
        "\n## RedisEnterpriseDatabase (REDB)\n\n\
         Checked by `rec_core::redb::validate` (REDB.md section 3), with the same paths, order and ratcheting as the\n\
         REC's. The context rules read the REDB's REC and the other REDBs from the context the entry point passes\n\
         (`ValidateRequest.context`: the CLI's other documents and `--context` files, the policy's Kubernetes host\n\
         calls, the preview's other documents, the operator's watch cache); without one they are skipped and\n\
         `redb-no-context` says so. On update, a context error at a path whose value did not change is ratcheted\n\
         to a warning, as a create rule's is (a REDB whose REC was deleted can still have its finalizer removed).\n",
    );
    for (stage, title) in REDB_SECTIONS {
        table(&mut out, &format!("### REDB: {title}"), REDB_RULES, stage);
    }
    out
}

/// One section of `docs/rules.md`: the rules of `rules` checked at `stage`.
fn table(out: &mut String, heading: &str, rules: &[Rule], stage: Stage) {
    out.push_str(&format!(
        "\n{heading}\n\n| code | severity | meaning |\n|---|---|---|\n"
    ));
    for r in rules.iter().filter(|r| r.stage == stage) {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            r.code,
            r.severity.name(),
            r.summary.replace('|', "\\|")
        ));
    }
}
