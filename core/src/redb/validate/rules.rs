//! The REDB's create rules (REDB.md section 3, "On its own"): one small function per rule, listed in [`RULES`].
//! They read the typed spec; the structural problems (types, enums, unknown fields) are `structure`'s.

use super::size::{self, MIN_MEMORY, MIN_ROF_MEMORY};
use crate::redb::{DatabasePersistence, DatabaseType, RedbObject, RedisEnterpriseDatabaseSpec};
use crate::validate::Violation;
use crate::validate::catalogue::*;
use crate::validate::rules::names::{is_dns1123_label, is_dns1123_subdomain};

type RuleFn = fn(&RedbObject, &mut Vec<Violation>);

/// Every create rule, in catalogue order.
static RULES: &[RuleFn] = &[
    name,
    secret_names,
    memory,
    rof,
    rof_ram_ratio,
    search_on_bigstore,
    shards,
    policies,
    redis_version,
    ports,
    replica_sources,
    backup,
    memcached,
    external_access,
    warnings,
];

pub(crate) fn check(redb: &RedbObject) -> Vec<Violation> {
    let mut out = Vec::new();
    for rule in RULES {
        rule(redb, &mut out);
    }
    out
}

/// `<name>-load-balancer` is the longest Service name of a database.
const MAX_NAME: usize = 63 - "-load-balancer".len();

/// A DNS-1035 label: a DNS-1123 label that starts with a letter (Services carry the name).
fn is_dns1035_label(s: &str) -> bool {
    is_dns1123_label(s) && s.starts_with(|c: char| c.is_ascii_lowercase())
}

fn name(redb: &RedbObject, out: &mut Vec<Violation>) {
    let Some(name) = redb.metadata.name.as_deref() else {
        return;
    };
    if !is_dns1035_label(name) {
        out.push(REDB_NAME_DNS1035.at(
            "metadata.name",
            format!(
                "metadata.name {name:?} is not a DNS-1035 label; use lower-case letters, digits and `-`, starting with a \
                 letter and ending with a letter or digit (the database's Services are named after it)"
            ),
        ));
    }
    if name.len() > MAX_NAME {
        out.push(REDB_NAME_TOO_LONG.at(
            "metadata.name",
            format!(
                "metadata.name is {} characters; use at most {MAX_NAME}, so that the Service `<name>-load-balancer` stays \
                 within 63",
                name.len()
            ),
        ));
    }
}

fn secret_names(redb: &RedbObject, out: &mut Vec<Violation>) {
    let spec = &redb.spec;
    let mut names: Vec<(String, String)> = Vec::new();
    let mut add = |path: String, value: Option<&String>| {
        if let Some(v) = value {
            names.push((path, v.clone()));
        }
    };
    add("spec.databaseSecretName".into(), spec.database_secret_name.as_ref());
    add(
        "spec.memcachedSaslSecretName".into(),
        spec.memcached_sasl_secret_name.as_ref(),
    );
    if let Some(b) = &spec.backup {
        add(
            "spec.backup.abs.absSecretName".into(),
            b.abs.as_ref().map(|s| &s.abs_secret_name),
        );
        add(
            "spec.backup.gcs.gcsSecretName".into(),
            b.gcs.as_ref().map(|s| &s.gcs_secret_name),
        );
        add(
            "spec.backup.s3.awsSecretName".into(),
            b.s3.as_ref().map(|s| &s.aws_secret_name),
        );
        add(
            "spec.backup.sftp.sftpSecretName".into(),
            b.sftp.as_ref().map(|s| &s.sftp_secret_name),
        );
        add(
            "spec.backup.swift.swiftSecretName".into(),
            b.swift.as_ref().map(|s| &s.swift_secret_name),
        );
    }
    for (i, source) in spec.replica_sources.iter().flatten().enumerate() {
        let at = |field: &str| format!("spec.replicaSources[{i}].{field}");
        add(at("clientKeySecret"), source.client_key_secret.as_ref());
        add(at("serverCertSecret"), source.server_cert_secret.as_ref());
        if source.replica_source_type == "SECRET" {
            add(at("replicaSourceName"), Some(&source.replica_source_name));
        }
    }
    for (i, cert) in spec.client_authentication_certificates.iter().flatten().enumerate() {
        add(format!("spec.clientAuthenticationCertificates[{i}]"), Some(cert));
    }
    for (path, value) in names {
        if !is_dns1123_subdomain(&value) {
            out.push(REDB_SECRET_NAME.at(
                &path,
                format!(
                    "{path} is {value:?}, not a Secret name; use a DNS-1123 subdomain (lower-case letters, digits, `-` \
                     and `.`, at most 253 characters)"
                ),
            ));
        }
    }
}

/// The memory size in bytes (the default 100MB when absent), or `None` when it is not a size.
fn memory_bytes(spec: &RedisEnterpriseDatabaseSpec) -> Option<i128> {
    spec.memory_size.as_deref().map_or(Some(MIN_MEMORY), size::bytes)
}

fn memory(redb: &RedbObject, out: &mut Vec<Violation>) {
    let Some(text) = redb.spec.memory_size.as_deref() else {
        return;
    };
    match size::bytes(text) {
        None => out.push(REDB_MEMORY_SIZE_INVALID.at(
            "spec.memorySize",
            format!(
                "memorySize {text:?} is not a size; write it like `100MB`, `0.1GB`, `1GB` (or a quantity like `1Gi`)"
            ),
        )),
        Some(b) if b < MIN_MEMORY => out.push(REDB_MEMORY_TOO_LOW.at(
            "spec.memorySize",
            format!(
                "memorySize {text:?} is {}, below the 100MB minimum; set at least `100MB`",
                size::shown(b)
            ),
        )),
        Some(_) => {}
    }
}

/// The major Redis version `redisVersion` names: `Some(n)` for `n` or `n.m`, `Some(u32::MAX)` for the channels
/// `major` and `latest` (8 or later with this release), `None` when absent or not a version.
fn redis_major(spec: &RedisEnterpriseDatabaseSpec) -> Option<u32> {
    let v = spec.redis_version.as_deref()?;
    if v == "major" || v == "latest" {
        return Some(u32::MAX);
    }
    v.split('.').next()?.parse().ok()
}

fn rof(redb: &RedbObject, out: &mut Vec<Violation>) {
    let spec = &redb.spec;
    let is_rof = spec.is_rof == Some(true);
    if let Some(text) = spec.rof_ram_size.as_deref() {
        if !is_rof {
            out.push(REDB_ROF_RAM_SIZE_WITHOUT_ROF.at(
                "spec.rofRamSize",
                "rofRamSize is set but isRof is not true; set `isRof: true` (Auto Tiering) or remove rofRamSize",
            ));
        }
        if size::bytes(text).is_none() {
            out.push(REDB_MEMORY_SIZE_INVALID.at(
                "spec.rofRamSize",
                format!("rofRamSize {text:?} is not a size; write it like `100MB`, `0.1GB`, `1GB`"),
            ));
        }
    }
    if !is_rof {
        return;
    }
    let memory = memory_bytes(spec);
    if let Some(m) = memory.filter(|m| *m < MIN_ROF_MEMORY) {
        let seen = spec
            .memory_size
            .as_deref()
            .map_or("the default 100MB".to_string(), |t| format!("{t:?}"));
        out.push(REDB_ROF_MEMORY_TOO_LOW.at(
            "spec.memorySize",
            format!(
                "memorySize is {seen} ({}) with isRof: true; an Auto Tiering database (RAM and flash) needs at least `1GB`",
                size::shown(m)
            ),
        ));
    }
    let major = redis_major(spec);
    match spec.rof_ram_size.as_deref() {
        None if major.is_some_and(|m| m < 8) => out.push(REDB_ROF_RAM_SIZE_MISSING.at(
            "spec.rofRamSize",
            "rofRamSize is missing with isRof: true and a redisVersion below 8 (Auto Tiering); set the RAM part, at \
             least 10% of memorySize",
        )),
        Some(text) if major.is_none_or(|m| m < 8) => {
            if let (Some(ram), Some(m)) = (size::bytes(text), memory)
                && ram * 10 < m
            {
                out.push(REDB_ROF_RAM_SIZE_TOO_LOW.at(
                    "spec.rofRamSize",
                    format!(
                        "rofRamSize {text:?} is {}, under 10% of memorySize ({}); set at least {}",
                        size::shown(ram),
                        size::shown(m),
                        size::shown((m + 9) / 10)
                    ),
                ));
            }
        }
        _ => {}
    }
}

fn rof_ram_ratio(redb: &RedbObject, out: &mut Vec<Violation>) {
    if let Some(r) = redb.spec.rof_ram_ratio.filter(|r| !(0..=100).contains(r)) {
        out.push(REDB_ROF_RAM_RATIO_RANGE.at(
            "spec.rofRamRatio",
            format!("rofRamRatio is {r}; it is a percentage: use 0 to 100 (50 when omitted)"),
        ));
    }
}

fn search_on_bigstore(redb: &RedbObject, out: &mut Vec<Violation>) {
    if redb.spec.search_on_bigstore == Some(true) && redb.spec.is_rof != Some(true) {
        out.push(REDB_SEARCH_ON_BIGSTORE_WITHOUT_ROF.at(
            "spec.searchOnBigstore",
            "searchOnBigstore is true but isRof is not; it indexes on flash, so set `isRof: true` or remove it",
        ));
    }
}

fn shards(redb: &RedbObject, out: &mut Vec<Violation>) {
    if let Some(n) = redb.spec.shard_count.filter(|n| *n < 1) {
        out.push(REDB_SHARD_COUNT_TOO_LOW.at(
            "spec.shardCount",
            format!("shardCount is {n}; a database has at least 1 shard"),
        ));
    }
    if let Some(v) = redb.spec.sharding_enabled {
        out.push(REDB_SHARDING_ENABLED.at(
            "spec.shardingEnabled",
            format!(
                "shardingEnabled is {v}, but it is for Active-Active databases (REAADB); remove it and use shardCount \
                 (sharding is on when shardCount is above 1)"
            ),
        ));
    }
}

const EVICTION_POLICIES: [&str; 8] = [
    "volatile-lru",
    "volatile-ttl",
    "volatile-random",
    "allkeys-lru",
    "allkeys-random",
    "noeviction",
    "volatile-lfu",
    "allkeys-lfu",
];
const PROXY_POLICIES: [&str; 3] = ["single", "all-master-shards", "all-nodes"];

fn policies(redb: &RedbObject, out: &mut Vec<Violation>) {
    if let Some(p) = redb
        .spec
        .eviction_policy
        .as_deref()
        .filter(|p| !EVICTION_POLICIES.contains(p))
    {
        out.push(REDB_EVICTION_POLICY.at(
            "spec.evictionPolicy",
            format!(
                "evictionPolicy {p:?} is not a policy; use one of {}",
                EVICTION_POLICIES.join(", ")
            ),
        ));
    }
    if let Some(p) = redb
        .spec
        .proxy_policy
        .as_deref()
        .filter(|p| !PROXY_POLICIES.contains(p))
    {
        out.push(REDB_PROXY_POLICY.at(
            "spec.proxyPolicy",
            format!(
                "proxyPolicy {p:?} is not a policy; use one of {}",
                PROXY_POLICIES.join(", ")
            ),
        ));
    }
}

fn redis_version(redb: &RedbObject, out: &mut Vec<Violation>) {
    let Some(v) = redb.spec.redis_version.as_deref() else {
        return;
    };
    let number = |s: &str| !s.is_empty() && s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit());
    let ok = v == "major" || v == "latest" || {
        let mut parts = v.split('.');
        let (major, minor, rest) = (parts.next(), parts.next(), parts.next());
        major.is_some_and(number) && minor.is_none_or(number) && rest.is_none()
    };
    if !ok {
        out.push(REDB_REDIS_VERSION.at(
            "spec.redisVersion",
            format!("redisVersion {v:?} is not a version; write `<major>` or `<major.minor>` (e.g. `8` or `7.4`), `major` or `latest`"),
        ));
    }
}

/// Ports Redis Enterprise itself uses on every node, so a database cannot listen on them. From Redis Software's
/// "Network port configurations" (https://redis.io/docs/latest/operate/rs/networking/port-configurations/, the
/// current and 7.8 tables, and the older port-configurations embed): DNS/mDNS 53 and 5353; proxy 1968; internode
/// 3333-3345, 3350, 3355, 36379, 36380; internal metrics 3347-3349, 8000, 8071, 9091, 9125; REST API 3346, 8080,
/// 9443; discovery 8001; health monitoring (envoy) 8002, 8004, 8006; metrics 8070; UI 8443; web proxy 8444, 9080;
/// Active-Active coordinator 9081; cluster API 9082; Zabbix 10050; shard traffic 20000-29999.
/// Conservative: only ports the docs list; the configurable ones at their defaults.
const RESERVED_PORTS: &[(i64, i64)] = &[
    (53, 53),
    (1968, 1968),
    (3333, 3350),
    (3355, 3355),
    (5353, 5353),
    (8000, 8002),
    (8004, 8004),
    (8006, 8006),
    (8070, 8071),
    (8080, 8080),
    (8443, 8444),
    (9080, 9082),
    (9091, 9091),
    (9125, 9125),
    (9443, 9443),
    (10050, 10050),
    (20000, 29999),
    (36379, 36380),
];

fn ports(redb: &RedbObject, out: &mut Vec<Violation>) {
    for (field, port) in [
        ("databasePort", redb.spec.database_port),
        ("databaseServicePort", redb.spec.database_service_port),
    ] {
        match port {
            Some(p) if !(1..=65535).contains(&p) => out.push(REDB_PORT_RANGE.at(
                format!("spec.{field}"),
                format!("{field} is {p}; a TCP port is 1 to 65535"),
            )),
            Some(p) if field == "databasePort" && RESERVED_PORTS.iter().any(|(a, b)| (*a..=*b).contains(&p)) => out
                .push(REDB_PORT_RESERVED.at(
                    "spec.databasePort",
                    format!(
                        "databasePort {p} is a port Redis Enterprise itself uses on its nodes; pick another (databases \
                         get 10000-19999 by default), or omit it to let the cluster choose"
                    ),
                )),
            _ => {}
        }
    }
}

fn replica_sources(redb: &RedbObject, out: &mut Vec<Violation>) {
    for (i, source) in redb.spec.replica_sources.iter().flatten().enumerate() {
        let kind = source.replica_source_type.as_str();
        if kind != "SECRET" && kind != "REDB" {
            out.push(REDB_REPLICA_SOURCE_TYPE.at(
                format!("spec.replicaSources[{i}].replicaSourceType"),
                format!("replicaSourceType {kind:?} is not a source type; use `SECRET` or `REDB`"),
            ));
        }
        if let Some(c) = source.compression.filter(|c| !(0..=6).contains(c)) {
            out.push(REDB_COMPRESSION_RANGE.at(
                format!("spec.replicaSources[{i}].compression"),
                format!("compression is {c}; the GZIP level is 0 to 6"),
            ));
        }
    }
}

fn backup(redb: &RedbObject, out: &mut Vec<Violation>) {
    let Some(b) = &redb.spec.backup else {
        return;
    };
    let set: Vec<&str> = [
        ("ftp", b.ftp.is_some()),
        ("s3", b.s3.is_some()),
        ("abs", b.abs.is_some()),
        ("swift", b.swift.is_some()),
        ("sftp", b.sftp.is_some()),
        ("gcs", b.gcs.is_some()),
        ("mount", b.mount.is_some()),
    ]
    .into_iter()
    .filter_map(|(name, on)| on.then_some(name))
    .collect();
    if set.len() != 1 {
        let seen = if set.is_empty() {
            "none".to_string()
        } else {
            set.join(", ")
        };
        out.push(REDB_BACKUP_STORAGE.at(
            "spec.backup",
            format!(
                "backup has {} storages ({seen}); set exactly one of ftp, s3, abs, swift, sftp, gcs, mount",
                set.len()
            ),
        ));
    }
    if let Some(offset) = b.interval_offset {
        let interval = b.interval.unwrap_or(86400);
        let message = if interval != 43200 && interval != 86400 {
            Some(format!(
                "intervalOffset is set but the interval is {interval}s; an offset needs an interval of 43200 (12h) or \
                 86400 (24h): set one, or remove intervalOffset"
            ))
        } else if !(0..interval).contains(&offset) {
            Some(format!(
                "intervalOffset is {offset}s; it must be at least 0 and below the interval ({interval}s)"
            ))
        } else {
            None
        };
        if let Some(message) = message {
            out.push(REDB_BACKUP_INTERVAL_OFFSET.at("spec.backup.intervalOffset", message));
        }
    }
}

fn memcached(redb: &RedbObject, out: &mut Vec<Violation>) {
    let spec = &redb.spec;
    if spec.db_type != Some(DatabaseType::Memcached) {
        return;
    }
    let redis_only = [
        ("modulesList", spec.modules_list.as_ref().is_some_and(|m| !m.is_empty())),
        ("redisVersion", spec.redis_version.is_some()),
        ("ossCluster", spec.oss_cluster == Some(true)),
        (
            "replicaSources",
            spec.replica_sources.as_ref().is_some_and(|r| !r.is_empty()),
        ),
        ("databaseSecretName", spec.database_secret_name.is_some()),
    ];
    for (field, set) in redis_only {
        if set {
            let fix = if field == "databaseSecretName" {
                "remove it and use memcachedSaslSecretName"
            } else {
                "remove it, or use `type: redis`"
            };
            out.push(REDB_MEMCACHED_FIELD.at(
                format!("spec.{field}"),
                format!("{field} is for Redis databases, and this one has `type: memcached`; {fix}"),
            ));
        }
    }
}

fn external_access(redb: &RedbObject, out: &mut Vec<Violation>) {
    let spec = &redb.spec;
    let on = spec
        .oss_cluster_settings
        .as_ref()
        .and_then(|s| s.enable_external_access)
        == Some(true);
    if on && spec.oss_cluster != Some(true) {
        out.push(REDB_EXTERNAL_ACCESS_WITHOUT_OSS_CLUSTER.at(
            "spec.ossClusterSettings.enableExternalAccess",
            "enableExternalAccess is true but ossCluster is not; set `ossCluster: true` or remove enableExternalAccess",
        ));
    }
}

fn warnings(redb: &RedbObject, out: &mut Vec<Violation>) {
    let spec = &redb.spec;
    if spec.replication != Some(true) {
        out.push(REDB_REPLICATION_OFF.at(
            "spec.replication",
            "replication is off (the default): with no replica shard, losing a node loses its data; set \
             `replication: true`",
        ));
    }
    if spec.persistence.is_none_or(|p| p == DatabasePersistence::Disabled) {
        out.push(REDB_PERSISTENCE_DISABLED.at(
            "spec.persistence",
            "persistence is disabled (the default): a restart of the shards loses the data; set e.g. \
             `persistence: aofEverySecond`",
        ));
    }
    for (i, module) in spec.modules_list.iter().flatten().enumerate() {
        if module.version.is_some() {
            out.push(REDB_MODULE_VERSION_DEPRECATED.at(
                format!("spec.modulesList[{i}].version"),
                format!(
                    "the version of module {:?} is deprecated (and ignored for Redis 8 and later); remove it",
                    module.name
                ),
            ));
        }
    }
}
