//! The REDB's validation (REDB.md section 3): one case per rule (a spec that violates it gets exactly that code
//! at that path; a near-valid spec does not), the example is clean, and no JSON input makes it panic. Every case
//! runs with a context (by default one REC of the REDB's namespace, which the context rules accept), except the
//! cases that say otherwise.

use proptest::prelude::*;
use rec_core::redb::validate_with;
use rec_core::validate::{REDB_RULES, Report, Severity, Stage, rule_for};
use serde_json::{Value, json};

/// A near-valid REDB: no errors and no warnings.
fn base() -> Value {
    json!({
        "apiVersion": "app.redislabs.com/v1alpha1",
        "kind": "RedisEnterpriseDatabase",
        "metadata": {"name": "redb", "namespace": "redis"},
        "spec": {"replication": true, "persistence": "aofEverySecond"}
    })
}

/// The REC of `base()`'s namespace: 3 nodes of 4Gi (the defaults), room for 12GB of databases.
fn rec() -> Value {
    json!({"apiVersion": "app.redislabs.com/v1", "kind": "RedisEnterpriseCluster",
           "metadata": {"name": "rec", "namespace": "redis"}, "spec": {"nodes": 3}})
}

/// A REDB of the context: `name` in `namespace`, with `spec`.
fn peer(namespace: &str, name: &str, spec: Value) -> Value {
    json!({"apiVersion": "app.redislabs.com/v1alpha1", "kind": "RedisEnterpriseDatabase",
           "metadata": {"name": name, "namespace": namespace}, "spec": spec})
}

/// Validation with the default context (`rec()` alone).
fn validate(object: &Value, old: Option<&Value>) -> Report {
    validate_with(object, old, Some(&[rec()]), false)
}

/// `base()` with `spec` merged in (a `null` removes a field).
fn with(spec: Value) -> Value {
    let mut object = base();
    let target = object["spec"].as_object_mut().unwrap();
    for (k, v) in spec.as_object().unwrap() {
        if v.is_null() {
            target.remove(k);
        } else {
            target.insert(k.clone(), v.clone());
        }
    }
    object
}

struct Case {
    code: &'static str,
    name: &'static str,
    object: Value,
    old: Option<Value>,
    /// `Some(path)`: the code must be reported at this path; `None`: the code must not be reported.
    expect: Option<&'static str>,
    /// The context (`None`: none); `[rec()]` unless the case sets it.
    context: Option<Vec<Value>>,
}

fn fail(code: &'static str, name: &'static str, object: Value, path: &'static str) -> Case {
    Case {
        code,
        name,
        object,
        old: None,
        expect: Some(path),
        context: Some(vec![rec()]),
    }
}

fn pass(code: &'static str, name: &'static str, object: Value) -> Case {
    Case {
        code,
        name,
        object,
        old: None,
        expect: None,
        context: Some(vec![rec()]),
    }
}

impl Case {
    fn old(mut self, old: Value) -> Self {
        self.old = Some(old);
        self
    }

    fn context(mut self, context: Option<Vec<Value>>) -> Self {
        self.context = context;
        self
    }
}

fn root(f: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Value {
    let mut object = base();
    f(object.as_object_mut().unwrap());
    object
}

fn cases() -> Vec<Case> {
    vec![
        // Structure.
        fail("redb-not-an-object", "array", json!([1]), "."),
        fail(
            "redb-not-an-object",
            "spec string",
            root(|r| {
                r.insert("spec".into(), json!("x"));
            }),
            "spec",
        ),
        pass("redb-not-an-object", "base", base()),
        fail(
            "redb-api-version",
            "v1",
            root(|r| {
                r.insert("apiVersion".into(), json!("app.redislabs.com/v1"));
            }),
            "apiVersion",
        ),
        pass("redb-api-version", "base", base()),
        fail(
            "redb-kind",
            "rec",
            root(|r| {
                r.insert("kind".into(), json!("RedisEnterpriseCluster"));
            }),
            "kind",
        ),
        pass("redb-kind", "base", base()),
        fail(
            "redb-type-mismatch",
            "shardCount string",
            with(json!({"shardCount": "2"})),
            "spec.shardCount",
        ),
        fail(
            "redb-type-mismatch",
            "nested",
            with(json!({"backup": {"s3": {"awsSecretName": 5, "bucketName": "b"}}})),
            "spec.backup.s3.awsSecretName",
        ),
        pass("redb-type-mismatch", "number", with(json!({"shardCount": 2}))),
        fail(
            "redb-enum-value",
            "tlsMode",
            with(json!({"tlsMode": "on"})),
            "spec.tlsMode",
        ),
        fail(
            "redb-enum-value",
            "connection",
            with(json!({"connectionSettings": {"connectionLimitType": "per-node"}})),
            "spec.connectionSettings.connectionLimitType",
        ),
        pass(
            "redb-enum-value",
            "replica_ssl",
            with(json!({"tlsMode": "replica_ssl"})),
        ),
        fail(
            "redb-required-field",
            "no spec",
            root(|r| {
                r.remove("spec");
            }),
            "spec",
        ),
        fail(
            "redb-required-field",
            "no name",
            root(|r| {
                r["metadata"].as_object_mut().unwrap().remove("name");
            }),
            "metadata.name",
        ),
        fail(
            "redb-required-field",
            "cluster ref",
            with(json!({"redisEnterpriseCluster": {}})),
            "spec.redisEnterpriseCluster.name",
        ),
        pass(
            "redb-required-field",
            "cluster ref",
            with(json!({"redisEnterpriseCluster": {"name": "rec"}})),
        ),
        fail(
            "redb-unknown-field",
            "typo",
            with(json!({"memorysize": "1GB"})),
            "spec.memorysize",
        ),
        fail(
            "redb-unknown-field",
            "nested",
            with(json!({"backup": {"mount": {"path": "/b", "size": 1}}})),
            "spec.backup.mount.size",
        ),
        pass(
            "redb-unknown-field",
            "alert threshold",
            with(json!({"alertSettings": {"bdb_size": {"enabled": true, "threshold": 80}}})),
        ),
        pass(
            "redb-unknown-field",
            "status",
            root(|r| {
                r.insert("status".into(), json!({"anything": 1}));
            }),
        ),
        fail(
            "redb-too-many-errors",
            "60 bad modules",
            with(json!({"modulesList": (0..60).map(|_| json!({"name": 1})).collect::<Vec<_>>()})),
            ".",
        ),
        pass("redb-too-many-errors", "base", base()),
        // Create: names.
        fail(
            "redb-name-dns1035",
            "upper case",
            root(|r| {
                r["metadata"]["name"] = json!("Redb");
            }),
            "metadata.name",
        ),
        fail(
            "redb-name-dns1035",
            "digit first",
            root(|r| {
                r["metadata"]["name"] = json!("1redb");
            }),
            "metadata.name",
        ),
        pass(
            "redb-name-dns1035",
            "dashes",
            root(|r| {
                r["metadata"]["name"] = json!("my-redb-2");
            }),
        ),
        fail(
            "redb-name-too-long",
            "50",
            root(|r| {
                r["metadata"]["name"] = json!("a".repeat(50));
            }),
            "metadata.name",
        ),
        pass(
            "redb-name-too-long",
            "49",
            root(|r| {
                r["metadata"]["name"] = json!("a".repeat(49));
            }),
        ),
        fail(
            "redb-secret-name",
            "database",
            with(json!({"databaseSecretName": "Bad_Name"})),
            "spec.databaseSecretName",
        ),
        fail(
            "redb-secret-name",
            "replica source",
            with(
                json!({"replicaSources": [{"replicaSourceName": "src", "replicaSourceType": "REDB", "clientKeySecret": "x y"}]}),
            ),
            "spec.replicaSources[0].clientKeySecret",
        )
        .context(Some(vec![rec(), peer("redis", "src", json!({}))])),
        fail(
            "redb-secret-name",
            "client cert",
            with(json!({"clientAuthenticationCertificates": ["ok", "-bad"]})),
            "spec.clientAuthenticationCertificates[1]",
        ),
        pass(
            "redb-secret-name",
            "subdomain",
            with(json!({"databaseSecretName": "redb.password-1"})),
        ),
        // Memory.
        fail(
            "redb-memory-size-invalid",
            "words",
            with(json!({"memorySize": "lots"})),
            "spec.memorySize",
        ),
        fail(
            "redb-memory-size-invalid",
            "rofRamSize",
            with(json!({"isRof": true, "memorySize": "2GB", "rofRamSize": "1XB"})),
            "spec.rofRamSize",
        ),
        pass(
            "redb-memory-size-invalid",
            "quantity",
            with(json!({"memorySize": "1Gi"})),
        ),
        pass(
            "redb-memory-size-invalid",
            "fraction",
            with(json!({"memorySize": "0.1GB"})),
        ),
        fail(
            "redb-memory-too-low",
            "50MB",
            with(json!({"memorySize": "50MB"})),
            "spec.memorySize",
        ),
        fail(
            "redb-memory-too-low",
            "0.05GB",
            with(json!({"memorySize": "0.05GB"})),
            "spec.memorySize",
        ),
        pass("redb-memory-too-low", "100MB", with(json!({"memorySize": "100MB"}))),
        fail(
            "redb-rof-memory-too-low",
            "500MB",
            with(json!({"isRof": true, "memorySize": "500MB", "redisVersion": "8"})),
            "spec.memorySize",
        ),
        fail(
            "redb-rof-memory-too-low",
            "default",
            with(json!({"isRof": true, "redisVersion": "8"})),
            "spec.memorySize",
        ),
        pass(
            "redb-rof-memory-too-low",
            "1GB",
            with(json!({"isRof": true, "memorySize": "1GB", "redisVersion": "8"})),
        ),
        pass(
            "redb-rof-memory-too-low",
            "no rof",
            with(json!({"memorySize": "500MB"})),
        ),
        fail(
            "redb-rof-ram-size-without-rof",
            "no isRof",
            with(json!({"rofRamSize": "1GB"})),
            "spec.rofRamSize",
        ),
        pass(
            "redb-rof-ram-size-without-rof",
            "with isRof",
            with(json!({"isRof": true, "memorySize": "10GB", "rofRamSize": "1GB"})),
        ),
        fail(
            "redb-rof-ram-size-missing",
            "redis 7.4",
            with(json!({"isRof": true, "memorySize": "10GB", "redisVersion": "7.4"})),
            "spec.rofRamSize",
        ),
        pass(
            "redb-rof-ram-size-missing",
            "redis 8",
            with(json!({"isRof": true, "memorySize": "10GB", "redisVersion": "8"})),
        ),
        pass(
            "redb-rof-ram-size-missing",
            "set",
            with(json!({"isRof": true, "memorySize": "10GB", "redisVersion": "7.4", "rofRamSize": "1GB"})),
        ),
        fail(
            "redb-rof-ram-size-too-low",
            "5%",
            with(json!({"isRof": true, "memorySize": "10GB", "rofRamSize": "512MB"})),
            "spec.rofRamSize",
        ),
        pass(
            "redb-rof-ram-size-too-low",
            "10%",
            with(json!({"isRof": true, "memorySize": "10GB", "rofRamSize": "1GB"})),
        ),
        pass(
            "redb-rof-ram-size-too-low",
            "redis flex",
            with(json!({"isRof": true, "memorySize": "10GB", "rofRamSize": "512MB", "redisVersion": "latest"})),
        ),
        fail(
            "redb-rof-ram-ratio-range",
            "101",
            with(json!({"isRof": true, "memorySize": "1GB", "rofRamRatio": 101})),
            "spec.rofRamRatio",
        ),
        fail(
            "redb-rof-ram-ratio-range",
            "-1",
            with(json!({"rofRamRatio": -1})),
            "spec.rofRamRatio",
        ),
        pass("redb-rof-ram-ratio-range", "100", with(json!({"rofRamRatio": 100}))),
        fail(
            "redb-search-on-bigstore-without-rof",
            "no rof",
            with(json!({"searchOnBigstore": true})),
            "spec.searchOnBigstore",
        ),
        pass(
            "redb-search-on-bigstore-without-rof",
            "rof",
            with(json!({"searchOnBigstore": true, "isRof": true, "memorySize": "1GB", "redisVersion": "8"})),
        ),
        pass(
            "redb-search-on-bigstore-without-rof",
            "false",
            with(json!({"searchOnBigstore": false})),
        ),
        // Shards, policies, versions.
        fail(
            "redb-shard-count-too-low",
            "0",
            with(json!({"shardCount": 0})),
            "spec.shardCount",
        ),
        pass("redb-shard-count-too-low", "1", with(json!({"shardCount": 1}))),
        fail(
            "redb-sharding-enabled",
            "true",
            with(json!({"shardingEnabled": true})),
            "spec.shardingEnabled",
        ),
        fail(
            "redb-sharding-enabled",
            "false",
            with(json!({"shardingEnabled": false})),
            "spec.shardingEnabled",
        ),
        pass("redb-sharding-enabled", "absent", base()),
        fail(
            "redb-eviction-policy",
            "lru",
            with(json!({"evictionPolicy": "lru"})),
            "spec.evictionPolicy",
        ),
        pass(
            "redb-eviction-policy",
            "allkeys-lfu",
            with(json!({"evictionPolicy": "allkeys-lfu"})),
        ),
        fail(
            "redb-proxy-policy",
            "any",
            with(json!({"proxyPolicy": "any"})),
            "spec.proxyPolicy",
        ),
        pass(
            "redb-proxy-policy",
            "all-nodes",
            with(json!({"proxyPolicy": "all-nodes"})),
        ),
        fail(
            "redb-replica-source-type",
            "url",
            with(json!({"replicaSources": [{"replicaSourceName": "src", "replicaSourceType": "URL"}]})),
            "spec.replicaSources[0].replicaSourceType",
        ),
        pass(
            "redb-replica-source-type",
            "SECRET",
            with(json!({"replicaSources": [{"replicaSourceName": "src", "replicaSourceType": "SECRET"}]})),
        ),
        fail(
            "redb-redis-version",
            "three parts",
            with(json!({"redisVersion": "7.4.2"})),
            "spec.redisVersion",
        ),
        fail(
            "redb-redis-version",
            "v prefix",
            with(json!({"redisVersion": "v8"})),
            "spec.redisVersion",
        ),
        pass(
            "redb-redis-version",
            "major.minor",
            with(json!({"redisVersion": "7.4"})),
        ),
        pass("redb-redis-version", "major", with(json!({"redisVersion": "major"}))),
        pass("redb-redis-version", "8", with(json!({"redisVersion": "8"}))),
        // Ports.
        fail(
            "redb-port-range",
            "0",
            with(json!({"databasePort": 0})),
            "spec.databasePort",
        ),
        fail(
            "redb-port-range",
            "service 70000",
            with(json!({"databaseServicePort": 70000})),
            "spec.databaseServicePort",
        ),
        pass(
            "redb-port-range",
            "12000",
            with(json!({"databasePort": 12000, "databaseServicePort": 6379})),
        ),
        fail(
            "redb-port-reserved",
            "8443",
            with(json!({"databasePort": 8443})),
            "spec.databasePort",
        ),
        fail(
            "redb-port-reserved",
            "shard range",
            with(json!({"databasePort": 25000})),
            "spec.databasePort",
        ),
        fail(
            "redb-port-reserved",
            "internode",
            with(json!({"databasePort": 3340})),
            "spec.databasePort",
        ),
        pass("redb-port-reserved", "6379", with(json!({"databasePort": 6379}))),
        pass(
            "redb-port-reserved",
            "service port 8443",
            with(json!({"databaseServicePort": 8443})),
        ),
        fail(
            "redb-compression-range",
            "7",
            with(
                json!({"replicaSources": [{"replicaSourceName": "s", "replicaSourceType": "SECRET", "compression": 7}]}),
            ),
            "spec.replicaSources[0].compression",
        ),
        pass(
            "redb-compression-range",
            "6",
            with(
                json!({"replicaSources": [{"replicaSourceName": "s", "replicaSourceType": "SECRET", "compression": 6}]}),
            ),
        ),
        // Backup.
        fail(
            "redb-backup-storage",
            "none",
            with(json!({"backup": {"interval": 3600}})),
            "spec.backup",
        ),
        fail(
            "redb-backup-storage",
            "two",
            with(json!({"backup": {"mount": {"path": "/b"}, "ftp": {"url": "ftp://h/b"}}})),
            "spec.backup",
        ),
        pass(
            "redb-backup-storage",
            "one",
            with(json!({"backup": {"mount": {"path": "/b"}}})),
        ),
        fail(
            "redb-backup-interval-offset",
            "hourly",
            with(json!({"backup": {"mount": {"path": "/b"}, "interval": 3600, "intervalOffset": 60}})),
            "spec.backup.intervalOffset",
        ),
        fail(
            "redb-backup-interval-offset",
            "too big",
            with(json!({"backup": {"mount": {"path": "/b"}, "interval": 43200, "intervalOffset": 43200}})),
            "spec.backup.intervalOffset",
        ),
        fail(
            "redb-backup-interval-offset",
            "default interval",
            with(json!({"backup": {"mount": {"path": "/b"}, "intervalOffset": 86400}})),
            "spec.backup.intervalOffset",
        ),
        pass(
            "redb-backup-interval-offset",
            "12h",
            with(json!({"backup": {"mount": {"path": "/b"}, "interval": 43200, "intervalOffset": 43199}})),
        ),
        // Memcached, OSS cluster.
        fail(
            "redb-memcached-field",
            "modules",
            with(json!({"type": "memcached", "modulesList": [{"name": "search"}]})),
            "spec.modulesList",
        ),
        fail(
            "redb-memcached-field",
            "version",
            with(json!({"type": "memcached", "redisVersion": "8"})),
            "spec.redisVersion",
        ),
        fail(
            "redb-memcached-field",
            "oss",
            with(json!({"type": "memcached", "ossCluster": true})),
            "spec.ossCluster",
        ),
        fail(
            "redb-memcached-field",
            "replica",
            with(
                json!({"type": "memcached", "replicaSources": [{"replicaSourceName": "s", "replicaSourceType": "SECRET"}]}),
            ),
            "spec.replicaSources",
        ),
        fail(
            "redb-memcached-field",
            "secret",
            with(json!({"type": "memcached", "databaseSecretName": "s"})),
            "spec.databaseSecretName",
        ),
        pass(
            "redb-memcached-field",
            "sasl",
            with(json!({"type": "memcached", "memcachedSaslSecretName": "s"})),
        ),
        pass(
            "redb-memcached-field",
            "redis",
            with(json!({"type": "redis", "redisVersion": "8", "databaseSecretName": "s"})),
        ),
        fail(
            "redb-external-access-without-oss-cluster",
            "no oss",
            with(json!({"ossClusterSettings": {"enableExternalAccess": true}})),
            "spec.ossClusterSettings.enableExternalAccess",
        ),
        pass(
            "redb-external-access-without-oss-cluster",
            "oss",
            with(json!({"ossCluster": true, "ossClusterSettings": {"enableExternalAccess": true}})),
        ),
        // Warnings.
        fail(
            "redb-replication-off",
            "default",
            with(json!({"replication": null})),
            "spec.replication",
        ),
        fail(
            "redb-replication-off",
            "false",
            with(json!({"replication": false})),
            "spec.replication",
        ),
        pass("redb-replication-off", "true", base()),
        fail(
            "redb-persistence-disabled",
            "default",
            with(json!({"persistence": null})),
            "spec.persistence",
        ),
        fail(
            "redb-persistence-disabled",
            "disabled",
            with(json!({"persistence": "disabled"})),
            "spec.persistence",
        ),
        pass(
            "redb-persistence-disabled",
            "snapshot",
            with(json!({"persistence": "snapshotEvery1Hour"})),
        ),
        fail(
            "redb-module-version-deprecated",
            "version",
            with(json!({"modulesList": [{"name": "search"}, {"name": "ReJSON", "version": "2.6.1"}]})),
            "spec.modulesList[1].version",
        ),
        pass(
            "redb-module-version-deprecated",
            "no version",
            with(json!({"modulesList": [{"name": "search"}]})),
        ),
        // Update.
        fail(
            "redb-port-changed",
            "changed",
            with(json!({"databasePort": 12001})),
            "spec.databasePort",
        )
        .old(with(json!({"databasePort": 12000}))),
        fail("redb-port-changed", "removed", base(), "spec.databasePort").old(with(json!({"databasePort": 12000}))),
        pass("redb-port-changed", "set first", with(json!({"databasePort": 12000}))).old(base()),
        pass("redb-port-changed", "kept", with(json!({"databasePort": 12000})))
            .old(with(json!({"databasePort": 12000}))),
        fail(
            "redb-type-changed",
            "to memcached",
            with(json!({"type": "memcached"})),
            "spec.type",
        )
        .old(base()),
        pass("redb-type-changed", "default written", with(json!({"type": "redis"}))).old(base()),
        fail(
            "redb-rof-changed",
            "on",
            with(json!({"isRof": true, "memorySize": "1GB", "redisVersion": "8"})),
            "spec.isRof",
        )
        .old(base()),
        pass("redb-rof-changed", "default written", with(json!({"isRof": false}))).old(base()),
        fail(
            "redb-shard-count-decreased",
            "3 to 2",
            with(json!({"shardCount": 2})),
            "spec.shardCount",
        )
        .old(with(json!({"shardCount": 3}))),
        fail("redb-shard-count-decreased", "to default", base(), "spec.shardCount").old(with(json!({"shardCount": 2}))),
        pass("redb-shard-count-decreased", "grow", with(json!({"shardCount": 4}))).old(with(json!({"shardCount": 3}))),
        // Context.
        fail("redb-no-context", "none", base(), ".").context(None),
        pass("redb-no-context", "empty context", with(json!({"redisEnterpriseCluster": {"name": "rec"}})))
            .context(Some(vec![rec()])),
        fail(
            "redb-cluster-not-found",
            "named, absent",
            with(json!({"redisEnterpriseCluster": {"name": "other"}})),
            "spec.redisEnterpriseCluster.name",
        ),
        fail("redb-cluster-not-found", "empty namespace", base(), "spec.redisEnterpriseCluster").context(Some(vec![])),
        fail("redb-cluster-not-found", "REC of another namespace", base(), "spec.redisEnterpriseCluster")
            .context(Some(vec![json!({"kind": "RedisEnterpriseCluster", "metadata": {"name": "rec", "namespace": "a"}})])),
        pass(
            "redb-cluster-not-found",
            "named, in another namespace",
            with(json!({"redisEnterpriseCluster": {"name": "rec"}})),
        )
        .context(Some(vec![json!({"kind": "RedisEnterpriseCluster", "metadata": {"name": "rec", "namespace": "a"}})])),
        fail("redb-cluster-ambiguous", "two RECs", base(), "spec.redisEnterpriseCluster").context(Some(vec![
            rec(),
            json!({"kind": "RedisEnterpriseCluster", "metadata": {"name": "rec2", "namespace": "redis"}}),
        ])),
        pass(
            "redb-cluster-ambiguous",
            "two RECs, one named",
            with(json!({"redisEnterpriseCluster": {"name": "rec2"}})),
        )
        .context(Some(vec![
            rec(),
            json!({"kind": "RedisEnterpriseCluster", "metadata": {"name": "rec2", "namespace": "redis"}}),
        ])),
        fail(
            "redb-module-unknown",
            "not bundled",
            with(json!({"modulesList": [{"name": "search"}, {"name": "mymodule"}]})),
            "spec.modulesList[1].name",
        ),
        pass(
            "redb-module-unknown",
            "user defined",
            with(json!({"modulesList": [{"name": "search"}, {"name": "mymodule"}]})),
        )
        .context(Some(vec![json!({"kind": "RedisEnterpriseCluster", "metadata": {"name": "rec"},
            "spec": {"userDefinedModules": [{"name": "mymodule", "source": {"https": {"url": "https://x/m.zip"}}}]}})])),
        fail(
            "redb-latest-without-upgrade-policy",
            "no policy",
            with(json!({"redisVersion": "latest"})),
            "spec.redisVersion",
        ),
        pass(
            "redb-latest-without-upgrade-policy",
            "policy",
            with(json!({"redisVersion": "latest"})),
        )
        .context(Some(vec![json!({"kind": "RedisEnterpriseCluster", "metadata": {"name": "rec"},
            "spec": {"redisUpgradePolicy": "latest"}})])),
        fail(
            "redb-external-access-without-rec",
            "REC without type",
            with(json!({"ossCluster": true, "ossClusterSettings": {"enableExternalAccess": true}})),
            "spec.ossClusterSettings.enableExternalAccess",
        ),
        pass(
            "redb-external-access-without-rec",
            "REC with type",
            with(json!({"ossCluster": true, "ossClusterSettings": {"enableExternalAccess": true}})),
        )
        .context(Some(vec![json!({"kind": "RedisEnterpriseCluster", "metadata": {"name": "rec"},
            "spec": {"ossClusterSettings": {"externalAccessType": "LoadBalancer"}}})])),
        fail(
            "redb-name-taken",
            "same name, other namespace",
            with(json!({"redisEnterpriseCluster": {"name": "rec"}})),
            "metadata.name",
        )
        .context(Some(vec![rec(), peer("team-a", "redb", json!({"redisEnterpriseCluster": {"name": "rec"}}))])),
        pass("redb-name-taken", "itself", base()).context(Some(vec![rec(), base()])),
        pass(
            "redb-name-taken",
            "same name, another REC",
            with(json!({"redisEnterpriseCluster": {"name": "rec"}})),
        )
        .context(Some(vec![
            rec(),
            json!({"kind": "RedisEnterpriseCluster", "metadata": {"name": "other", "namespace": "team-a"}}),
            peer("team-a", "redb", json!({})),
        ])),
        fail(
            "redb-port-taken",
            "same port",
            with(json!({"databasePort": 12000})),
            "spec.databasePort",
        )
        .context(Some(vec![rec(), peer("redis", "cache", json!({"databasePort": 12000}))])),
        pass("redb-port-taken", "other port", with(json!({"databasePort": 12000})))
            .context(Some(vec![rec(), peer("redis", "cache", json!({"databasePort": 12001}))])),
        fail(
            "redb-replica-source-not-found",
            "absent",
            with(json!({"replicaSources": [{"replicaSourceType": "REDB", "replicaSourceName": "origin"}]})),
            "spec.replicaSources[0].replicaSourceName",
        ),
        pass(
            "redb-replica-source-not-found",
            "present",
            with(json!({"replicaSources": [{"replicaSourceType": "REDB", "replicaSourceName": "origin"}]})),
        )
        .context(Some(vec![rec(), peer("redis", "origin", json!({}))])),
        fail(
            "redb-cluster-memory",
            "13GB on 12GB",
            with(json!({"memorySize": "5GB"})),
            "spec.memorySize",
        )
        .context(Some(vec![rec(), peer("redis", "big", json!({"memorySize": "3GB"}))])),
        pass(
            "redb-cluster-memory",
            "12GB on 12GB",
            with(json!({"memorySize": "4GB"})),
        )
        .context(Some(vec![rec(), peer("redis", "big", json!({"memorySize": "2GB", "replication": true}))])),
    ]
}

fn run(case: &Case) -> Report {
    validate_with(&case.object, case.old.as_ref(), case.context.as_deref(), false)
}

#[test]
fn every_case() {
    let mut failures = Vec::new();
    for case in cases() {
        let report = run(&case);
        for v in &report.violations {
            let rule = rule_for(&v.code);
            assert!(
                rule.is_some_and(|r| r.code.starts_with("redb-")),
                "{}: code {} is not a REDB rule",
                case.name,
                v.code
            );
            assert_eq!(rule.map(|r| r.severity), Some(v.severity), "{}: {v:?}", case.name);
            assert!(!v.message.is_empty(), "{}: {v:?}", case.name);
        }
        let hits: Vec<_> = report.violations.iter().filter(|v| v.code == case.code).collect();
        match case.expect {
            Some(path) => {
                let severity = rule_for(case.code).map(|r| r.severity);
                if !hits.iter().any(|v| v.path == path) {
                    failures.push(format!(
                        "{} / {}: expected at {path}, got {:#?}",
                        case.code, case.name, report.violations
                    ));
                } else if severity == Some(Severity::Error) && report.valid {
                    failures.push(format!("{} / {}: an error but valid", case.code, case.name));
                }
            }
            None if !hits.is_empty() => {
                failures.push(format!("{} / {}: not expected, got {hits:#?}", case.code, case.name))
            }
            None => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A spec that violates a create rule gets that code and no other error (structure and update cases aside: a
/// removed value or an update may bring a second).
#[test]
fn create_cases_report_exactly_their_code() {
    for case in cases().iter().filter(|c| c.expect.is_some() && c.old.is_none()) {
        let stage = rule_for(case.code).map(|r| r.stage);
        if stage != Some(Stage::Create) {
            continue;
        }
        let others: Vec<_> = run(case)
            .violations
            .into_iter()
            .filter(|v| v.code != case.code && v.severity == Severity::Error)
            .collect();
        assert!(
            others.is_empty(),
            "{} / {}: other errors {others:#?}",
            case.code,
            case.name
        );
    }
}

#[test]
fn every_rule_has_a_failing_and_a_passing_case() {
    let cases = cases();
    for rule in REDB_RULES {
        assert!(
            cases.iter().any(|c| c.code == rule.code && c.expect.is_some()),
            "no failing case for {}",
            rule.code
        );
        assert!(
            cases.iter().any(|c| c.code == rule.code && c.expect.is_none()),
            "no passing case for {}",
            rule.code
        );
    }
    for case in &cases {
        assert!(
            rule_for(case.code).is_some(),
            "case {} names unknown code {}",
            case.name,
            case.code
        );
    }
}

#[test]
fn base_is_clean_and_defaults_are_not_required() {
    let clean = Report {
        valid: true,
        errors: 0,
        warnings: 0,
        violations: vec![],
        // Validated against its REC (`validate` passes `rec()` as the context): the report names it.
        cluster: Some("rec".into()),
    };
    assert_eq!(validate(&base(), None), clean);
    assert_eq!(validate(&base(), Some(&base())), clean);
    // `spec: {}` takes every default: valid, with the two warnings of the defaults.
    let empty = with(json!({"replication": null, "persistence": null}));
    let report = validate(&empty, None);
    assert!(report.valid, "{report:#?}");
    let codes: Vec<_> = report.violations.iter().map(|v| v.code.as_str()).collect();
    assert_eq!(codes, ["redb-persistence-disabled", "redb-replication-off"]);
}

#[test]
fn the_example_is_valid_with_no_warnings() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/redb.yaml");
    let text = std::fs::read_to_string(&path).expect("examples/redb.yaml");
    let parsed = rec_core::yaml::parse(&text);
    assert_eq!(parsed.error, None);
    let value = parsed.value.expect("a document");
    let report = validate(&value, None);
    assert!(report.valid && report.violations.is_empty(), "{report:#?}");
    assert_eq!(validate(&value, Some(&value)), report, "valid as an update onto itself");
    serde_json::from_value::<rec_core::redb::RedisEnterpriseDatabase>(value).expect("kube's type reads it");
}

#[test]
fn many_violations_at_once_in_path_order() {
    let report = validate(
        &with(json!({"shardCount": 0, "memorySize": "1MB", "evictionPolicy": "x", "typo": 1})),
        None,
    );
    let found: Vec<_> = report
        .violations
        .iter()
        .map(|v| (v.path.as_str(), v.code.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("spec.evictionPolicy", "redb-eviction-policy"),
            ("spec.memorySize", "redb-memory-too-low"),
            ("spec.shardCount", "redb-shard-count-too-low"),
            ("spec.typo", "redb-unknown-field"),
        ]
    );
}

#[test]
fn unknown_fields_suggest_the_known_one() {
    let report = validate(
        &with(
            json!({"memorysize": "1GB", "replicaSources": [{"replicaSourceName": "s", "replicaSourceType": "SECRET", "compresion": 1}]}),
        ),
        None,
    );
    let messages: Vec<_> = report
        .violations
        .iter()
        .map(|v| (v.path.as_str(), v.message.as_str()))
        .collect();
    assert_eq!(
        messages,
        [
            (
                "spec.memorysize",
                "unknown field `memorysize` in `spec`; did you mean `memorySize`?"
            ),
            (
                "spec.replicaSources[0].compresion",
                "unknown field `compresion` in `spec.replicaSources[0]`; did you mean `compression`?"
            ),
        ]
    );
}

#[test]
fn the_rules_of_an_unreadable_field_wait_for_it() {
    let report = validate(
        &with(json!({"backup": {"s3": {"bucketName": "b"}}, "replication": "yes", "shardCount": 0})),
        None,
    );
    let found: Vec<_> = report
        .violations
        .iter()
        .map(|v| (v.path.as_str(), v.code.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("spec.backup.s3.awsSecretName", "redb-required-field"),
            ("spec.replication", "redb-type-mismatch"),
            ("spec.shardCount", "redb-shard-count-too-low"),
        ]
    );
}

#[test]
fn an_unchanged_invalid_value_is_ratcheted_on_update() {
    let old = with(json!({"evictionPolicy": "x"}));
    let new = with(json!({"evictionPolicy": "x", "shardCount": 2}));
    let report = validate(&new, Some(&old));
    assert!(report.valid, "{report:#?}");
    assert_eq!(report.violations[0].severity, Severity::Warning);
}

/// Hostile values: every JSON kind at every spec field, and nested values where objects and lists go.
fn hostile_values() -> Vec<Value> {
    let mut deep = json!(1);
    for _ in 0..100 {
        deep = json!({"a": [deep]});
    }
    vec![
        Value::Null,
        json!(true),
        json!(-1),
        json!(1.5),
        json!(9_223_372_036_854_775_807_u64),
        json!(u64::MAX),
        json!(-1e300),
        json!(""),
        json!("\u{0}\u{fffd}"),
        json!([]),
        json!([null, 1, "x", {}]),
        json!({}),
        json!({"name": null, "enabled": "x", "s3": [], "path": {}}),
        deep,
    ]
}

const SPEC_FIELDS: [&str; 36] = [
    "activeActive",
    "alertSettings",
    "auditing",
    "backup",
    "clientAuthenticationCertificates",
    "connectionSettings",
    "dataInternodeEncryption",
    "databasePort",
    "databaseSecretName",
    "databaseServicePort",
    "defaultUser",
    "evictionPolicy",
    "isRof",
    "memcachedSaslSecretName",
    "memorySize",
    "modulesList",
    "ossCluster",
    "ossClusterSettings",
    "persistence",
    "proxyPolicy",
    "rackAware",
    "redisEnterpriseCluster",
    "redisVersion",
    "replicaSources",
    "replication",
    "resp3",
    "rofRamRatio",
    "rofRamSize",
    "rolesPermissions",
    "searchOnBigstore",
    "shardCount",
    "shardingEnabled",
    "shardsPlacement",
    "tlsMode",
    "type",
    "upgradeSpec",
];

#[test]
fn hostile_values_at_every_field_never_panic() {
    for field in SPEC_FIELDS {
        for value in hostile_values() {
            for object in [
                with(json!({ field: value.clone() })),
                with(json!({ field: [value.clone()] })),
                with(json!({ field: {"x": value.clone(), "bdb_size": value.clone(), "s3": value.clone()} })),
            ] {
                let report = validate(&object, Some(&base()));
                assert_eq!(report.errors + report.warnings, report.violations.len());
                let _ = validate(&base(), Some(&object));
            }
        }
    }
    for value in hostile_values() {
        for key in ["apiVersion", "kind", "metadata", "spec", "status"] {
            let _ = validate(
                &root(|r| {
                    r.insert(key.into(), value.clone());
                }),
                None,
            );
        }
        let _ = validate(&value, Some(&value));
    }
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "[a-zA-Z0-9.-]{0,12}".prop_map(Value::from),
        prop::sample::select(SPEC_FIELDS.to_vec()).prop_map(Value::from),
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        let key = prop_oneof![
            prop::sample::select(SPEC_FIELDS.to_vec()).prop_map(String::from),
            "[a-z_]{1,8}"
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::btree_map(key, inner, 0..6).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_spec_gives_a_consistent_report(spec in arb_json(), old in arb_json()) {
        let object = root(|r| { r.insert("spec".into(), spec.clone()); });
        let old_object = root(|r| { r.insert("spec".into(), old); });
        for report in [validate(&object, None), validate(&object, Some(&old_object)), validate(&spec, None)] {
            prop_assert_eq!(report.errors + report.warnings, report.violations.len());
            prop_assert_eq!(report.valid, report.errors == 0);
            for v in &report.violations {
                prop_assert!(rule_for(&v.code).is_some_and(|r| r.code.starts_with("redb-")), "{:?}", v);
            }
        }
    }
}

/// `value` cut down to the dot paths `fields` (through an array, to every item), as a host's field mask cuts it.
fn masked(value: &Value, fields: &[&str]) -> Value {
    fn keep(from: &Value, path: &[&str], into: &mut Value) {
        let Some((first, rest)) = path.split_first() else {
            *into = from.clone();
            return;
        };
        match from {
            Value::Object(map) => {
                if let Some(child) = map.get(*first) {
                    let slot = into
                        .as_object_mut()
                        .map(|m| m.entry(first.to_string()).or_insert(Value::Null));
                    if let Some(slot) = slot {
                        if slot.is_null() {
                            *slot = if rest.is_empty() {
                                Value::Null
                            } else {
                                empty_like(child)
                            };
                        }
                        keep(child, rest, slot);
                    }
                }
            }
            Value::Array(items) => {
                if into.as_array().is_none_or(|a| a.len() != items.len()) {
                    *into = Value::Array(vec![Value::Null; items.len()]);
                }
                for (item, slot) in items.iter().zip(into.as_array_mut().into_iter().flatten()) {
                    if slot.is_null() {
                        *slot = empty_like(item);
                    }
                    keep(item, path, slot);
                }
            }
            _ => {}
        }
    }
    fn empty_like(v: &Value) -> Value {
        match v {
            Value::Object(_) => json!({}),
            Value::Array(_) => json!([]),
            _ => Value::Null,
        }
    }
    let mut out = json!({"apiVersion": value["apiVersion"], "kind": value["kind"]});
    for field in fields {
        keep(value, &field.split('.').collect::<Vec<_>>(), &mut out);
    }
    out
}

/// The context rules read no field beyond `CONTEXT_REC_FIELDS` and `CONTEXT_REDB_FIELDS`, the lists the policy asks
/// its host for: every case's context, masked to them, gives the same report.
#[test]
fn the_context_fields_are_all_the_context_rules_read() {
    use rec_core::redb::{CONTEXT_REC_FIELDS, CONTEXT_REDB_FIELDS};
    let mut checked = 0;
    for case in cases() {
        let Some(context) = &case.context else { continue };
        let masked_context: Vec<Value> = context
            .iter()
            .map(|o| match o["kind"].as_str() {
                Some("RedisEnterpriseCluster") => masked(o, CONTEXT_REC_FIELDS),
                _ => masked(o, CONTEXT_REDB_FIELDS),
            })
            .collect();
        let whole = run(&case);
        let cut = validate_with(&case.object, case.old.as_ref(), Some(&masked_context), false);
        assert_eq!(
            whole, cut,
            "{} / {}: the masked context changes the report",
            case.code, case.name
        );
        checked += 1;
    }
    assert!(checked > 100, "only {checked} cases had a context");
    // The mask itself cuts: a field no rule reads is gone.
    let rec = json!({"kind": "RedisEnterpriseCluster", "metadata": {"name": "r", "labels": {"a": "b"}},
                     "spec": {"nodes": 3, "persistentSpec": {"enabled": true},
                              "userDefinedModules": [{"name": "m", "source": {"https": {"url": "u"}}}]}});
    assert_eq!(
        masked(&rec, CONTEXT_REC_FIELDS),
        json!({"apiVersion": null, "kind": "RedisEnterpriseCluster", "metadata": {"name": "r"},
               "spec": {"nodes": 3, "userDefinedModules": [{"name": "m"}]}})
    );
}
