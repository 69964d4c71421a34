//! The REDB's context rules (REDB.md section 3, "With its context"): what a REDB may ask of the REC it belongs to
//! and of the other REDBs of that REC.
//!
//! The context is plain data, a list of objects: the RECs and REDBs the entry point can see (the CLI: the other
//! documents and `--context` files; the policy: what the Kubernetes host capabilities answer; the preview: the
//! other documents in the editor; the operator: its watch cache). Objects of other kinds are ignored, and so is the
//! REDB itself when the context holds it (same namespace and name: its stored version, or its own document).
//!
//! Context objects are read leniently, by field, never through the structure step: a REC or REDB in the context is
//! judged on its own admission, and the policy asks the API server for a few fields of each (a field mask), so a
//! context REDB is usually partial. A field the rules need and cannot read is taken as absent.
//!
//! Namespaces: two objects share a namespace when both name the same one or either names none (a CLI file without
//! namespaces is one namespace; in the cluster, the API server fills every namespace in).

use super::size;
use crate::redb::{self, RedbObject};
use crate::validate::Violation;
use crate::validate::catalogue::*;
use serde_json::Value;

/// The REC fields the context rules read, as dot paths (a path through an array applies to every item): an entry
/// point that fetches its context may ask for these alone (the policy's field masks). `apiVersion`, `kind` and
/// `metadata` are kept whole by Kubernetes hosts; the metadata paths are listed anyway. A test holds the rules to
/// them: the context masked to these fields gives the same reports.
pub const REC_FIELDS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "spec.userDefinedModules.name",
    "status.modules.name",
    "spec.redisUpgradePolicy",
    "spec.ossClusterSettings.externalAccessType",
    "spec.nodes",
    "spec.redisEnterpriseNodeResources.requests.memory",
    "spec.redisEnterpriseNodeResources.limits.memory",
];

/// The REDB fields the context rules read (see [`REC_FIELDS`]).
pub const REDB_FIELDS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "spec.redisEnterpriseCluster.name",
    "spec.databasePort",
    "spec.memorySize",
    "spec.rofRamSize",
    "spec.isRof",
    "spec.replication",
];

/// The modules every Redis Enterprise 8 cluster bundles, by the name a `modulesList` entry uses (Redis
/// Software's "Redis 8 modules": Redis Query Engine, JSON, time series and probabilistic structures). The REC adds
/// its `userDefinedModules`, and a REC's status may list what its cluster reports (`.status.modules`).
pub(crate) const BUNDLED_MODULES: &[&str] = &["search", "ReJSON", "timeseries", "bf"];

/// Node memory when the REC sets no request or limit (`defaults.rs`: 4Gi), and its default node count.
const DEFAULT_NODE_MEMORY: i128 = 4 << 30;
const DEFAULT_NODES: i128 = 3;

/// A violation of the context rules' "no context" warning: the entry point had none, so those rules were skipped.
pub(crate) fn no_context() -> Violation {
    REDB_NO_CONTEXT.at(
        ".",
        "no context was given (the REC this database belongs to and the other REDBs), so the rules that need it were \
         skipped: the REC's existence, its modules, upgrade policy and OSS external access, name, port and replica \
         source clashes with other databases, memory; pass the REC and the REDBs as context",
    )
}

/// The context rules on `db` (`object` as typed), against `context`.
pub(crate) fn check(db: &RedbObject, object: &Value, context: &[Value], out: &mut Vec<Violation>) {
    let namespace = db.metadata.namespace.as_deref();
    let name = db.metadata.name.as_deref().unwrap_or_default();
    let clusters: Vec<&Value> = context.iter().filter(|o| kind(o) == Some(crate::api::KIND)).collect();
    let peers: Vec<Peer> = context
        .iter()
        .filter(|o| kind(o) == Some(redb::KIND))
        .filter_map(Peer::read)
        .filter(|p| !(p.name == name && same_namespace(p.namespace, namespace)))
        .collect();
    replica_sources(db, &peers, out);
    let named = db.spec.redis_enterprise_cluster.as_ref().map(|c| c.name.as_str());
    let Some(rec) = resolve(named, namespace, &clusters, out) else {
        return;
    };
    modules(db, rec, out);
    latest(db, rec, out);
    external_access(db, rec, out);
    let ours: Vec<&Peer> = peers
        .iter()
        .filter(|p| resolve(p.cluster, p.namespace, &clusters, &mut Vec::new()).is_some_and(|r| std::ptr::eq(r, rec)))
        .collect();
    clashes(db, &ours, out);
    let own = Peer::read(object).map_or(0, |p| p.memory);
    capacity(own + ours.iter().map(|p| p.memory).sum::<i128>(), rec, out);
}

/// The REC `redb` belongs to among `context` (as the context rules resolve it: the one it names, else the only REC
/// of its namespace), or `None` when there is no such REC or several. For the preview's Kubernetes side.
pub fn cluster_of<'c>(redb: &Value, context: &'c [Value]) -> Option<&'c Value> {
    let clusters: Vec<&Value> = context.iter().filter(|o| kind(o) == Some(crate::api::KIND)).collect();
    let named = text(redb, "/spec/redisEnterpriseCluster/name");
    resolve(named, text(redb, "/metadata/namespace"), &clusters, &mut Vec::new())
}

fn kind(object: &Value) -> Option<&str> {
    object.get("kind").and_then(Value::as_str)
}

fn text<'a>(object: &'a Value, pointer: &str) -> Option<&'a str> {
    object.pointer(pointer).and_then(Value::as_str)
}

fn same_namespace(a: Option<&str>, b: Option<&str>) -> bool {
    a.is_none() || b.is_none() || a == b
}

/// Another REDB of the context, as far as the rules read it.
struct Peer<'a> {
    namespace: Option<&'a str>,
    name: &'a str,
    cluster: Option<&'a str>,
    port: Option<i64>,
    /// Memory it asks of the nodes: its RAM (`rofRamSize` for Auto Tiering when set, else `memorySize`, 100MB by
    /// default; an unreadable size counts 0, its own validation reports it), twice with replication.
    memory: i128,
}

impl<'a> Peer<'a> {
    fn read(object: &'a Value) -> Option<Peer<'a>> {
        let spec = object.get("spec");
        let field = |name: &str| spec.and_then(|s| s.get(name));
        let ram = field("rofRamSize")
            .filter(|_| field("isRof").and_then(Value::as_bool) == Some(true))
            .or(field("memorySize"))
            .and_then(Value::as_str)
            .map_or(Some(size::MIN_MEMORY), size::bytes)
            .unwrap_or(0);
        Some(Peer {
            namespace: text(object, "/metadata/namespace"),
            name: text(object, "/metadata/name")?,
            cluster: text(object, "/spec/redisEnterpriseCluster/name"),
            port: field("databasePort").and_then(Value::as_i64),
            memory: if field("replication").and_then(Value::as_bool) == Some(true) {
                2 * ram
            } else {
                ram
            },
        })
    }
}

/// The REC a REDB in `namespace` belongs to: the one it names (in its own namespace first, else the only one of
/// that name), or when it names none the only REC of its namespace. Reports why there is none into `out`.
fn resolve<'c>(
    named: Option<&str>,
    namespace: Option<&str>,
    clusters: &[&'c Value],
    out: &mut Vec<Violation>,
) -> Option<&'c Value> {
    let local = |c: &Value| same_namespace(text(c, "/metadata/namespace"), namespace);
    let Some(named) = named else {
        let mut here = clusters.iter().filter(|c| local(c));
        return match (here.next(), here.next()) {
            (Some(rec), None) => Some(*rec),
            (None, _) => {
                out.push(REDB_CLUSTER_NOT_FOUND.at(
                    "spec.redisEnterpriseCluster",
                    "redisEnterpriseCluster is not set and the namespace holds no REC; create the REC first, or name \
                     the REC of another namespace in `redisEnterpriseCluster.name`",
                ));
                None
            }
            (Some(_), Some(_)) => {
                out.push(REDB_CLUSTER_AMBIGUOUS.at(
                    "spec.redisEnterpriseCluster",
                    "redisEnterpriseCluster is not set and the namespace holds several RECs; name one in \
                     `redisEnterpriseCluster.name`",
                ));
                None
            }
        };
    };
    let same_name: Vec<&'c Value> = clusters
        .iter()
        .copied()
        .filter(|c| text(c, "/metadata/name") == Some(named))
        .collect();
    if let Some(rec) = same_name.iter().find(|c| local(c)) {
        return Some(rec);
    }
    match same_name.as_slice() {
        [rec] => Some(rec),
        [] => {
            out.push(REDB_CLUSTER_NOT_FOUND.at(
                "spec.redisEnterpriseCluster.name",
                format!(
                    "redisEnterpriseCluster.name is {named:?}, but there is no REC of that name; create it first, or \
                     name an existing REC"
                ),
            ));
            None
        }
        _ => {
            out.push(REDB_CLUSTER_AMBIGUOUS.at(
                "spec.redisEnterpriseCluster.name",
                format!(
                    "redisEnterpriseCluster.name is {named:?}: no REC of that name in this namespace, and several in \
                     others; create the database in the namespace of the REC it belongs to"
                ),
            ));
            None
        }
    }
}

fn modules(db: &RedbObject, rec: &Value, out: &mut Vec<Violation>) {
    let listed = |pointer: &str| -> Vec<&str> {
        rec.pointer(pointer)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|m| m.get("name").and_then(Value::as_str))
            .collect()
    };
    let user = listed("/spec/userDefinedModules");
    let reported = listed("/status/modules");
    for (i, module) in db.spec.modules_list.iter().flatten().enumerate() {
        let name = module.name.as_str();
        let known = |list: &[&str]| list.iter().any(|m| m.eq_ignore_ascii_case(name));
        if !known(BUNDLED_MODULES) && !known(&user) && !known(&reported) {
            out.push(REDB_MODULE_UNKNOWN.at(
                format!("spec.modulesList[{i}].name"),
                format!(
                    "module {name:?} is neither bundled with Redis Enterprise ({}) nor in the REC's \
                     userDefinedModules; add it to the REC's `userDefinedModules` or fix the name",
                    BUNDLED_MODULES.join(", ")
                ),
            ));
        }
    }
}

fn latest(db: &RedbObject, rec: &Value, out: &mut Vec<Violation>) {
    if db.spec.redis_version.as_deref() == Some("latest") && rec.pointer("/spec/redisUpgradePolicy").is_none() {
        out.push(REDB_LATEST_WITHOUT_UPGRADE_POLICY.at(
            "spec.redisVersion",
            "redisVersion is `latest` but the REC sets no redisUpgradePolicy; set the REC's `redisUpgradePolicy` \
             (`latest`), or name a version here",
        ));
    }
}

/// Only with `ossCluster: true`: without it the REDB's own `redb-external-access-without-oss-cluster` says what
/// to fix first.
fn external_access(db: &RedbObject, rec: &Value, out: &mut Vec<Violation>) {
    let wanted = db.spec.oss_cluster == Some(true)
        && db
            .spec
            .oss_cluster_settings
            .as_ref()
            .is_some_and(|s| s.enable_external_access == Some(true));
    if wanted && rec.pointer("/spec/ossClusterSettings/externalAccessType").is_none() {
        out.push(REDB_EXTERNAL_ACCESS_WITHOUT_REC.at(
            "spec.ossClusterSettings.enableExternalAccess",
            "enableExternalAccess is true but the REC sets no ossClusterSettings.externalAccessType; set it on the REC \
             (`LoadBalancer`) first",
        ));
    }
}

/// Another database of the same REC with this name (Redis Enterprise names databases by it: RED-99997) or port.
fn clashes(db: &RedbObject, ours: &[&Peer], out: &mut Vec<Violation>) {
    let name = db.metadata.name.as_deref().unwrap_or_default();
    if let Some(other) = ours.iter().find(|p| p.name == name) {
        out.push(REDB_NAME_TAKEN.at(
            "metadata.name",
            format!(
                "another database of the same REC is named {name:?} (in namespace {}); database names are unique in \
                 a cluster: pick another name",
                other.namespace.unwrap_or("(unset)")
            ),
        ));
    }
    let Some(port) = db.spec.database_port else {
        return;
    };
    if let Some(other) = ours.iter().find(|p| p.port == Some(port)) {
        out.push(REDB_PORT_TAKEN.at(
            "spec.databasePort",
            format!(
                "databasePort {port} is already the port of database {:?} of the same REC; pick another port, or omit \
                 it to let the cluster choose",
                other.name
            ),
        ));
    }
}

fn replica_sources(db: &RedbObject, peers: &[Peer], out: &mut Vec<Violation>) {
    let namespace = db.metadata.namespace.as_deref();
    let own = db.metadata.name.as_deref();
    for (i, source) in db.spec.replica_sources.iter().flatten().enumerate() {
        let target = source.replica_source_name.as_str();
        let exists = own == Some(target)
            || peers
                .iter()
                .any(|p| p.name == target && same_namespace(p.namespace, namespace));
        if source.replica_source_type == "REDB" && !exists {
            out.push(REDB_REPLICA_SOURCE_NOT_FOUND.at(
                format!("spec.replicaSources[{i}].replicaSourceName"),
                format!(
                    "replicaSourceName {target:?} names no REDB in this namespace; create that database first or fix \
                     the name"
                ),
            ));
        }
    }
}

/// Ours: the REC's databases ask for more memory than its nodes request (each database's RAM, twice with
/// replication, against nodes x the node memory request). A warning: Redis Enterprise refuses the database that
/// does not fit, long after the YAML was accepted.
fn capacity(asked: i128, rec: &Value, out: &mut Vec<Violation>) {
    let nodes = rec
        .pointer("/spec/nodes")
        .and_then(Value::as_i64)
        .map_or(DEFAULT_NODES, i128::from);
    let resources = rec.pointer("/spec/redisEnterpriseNodeResources");
    let node_memory = ["/requests/memory", "/limits/memory"]
        .iter()
        .find_map(|p| resources.and_then(|r| r.pointer(p)))
        .and_then(|m| match m {
            Value::String(s) => crate::quantity::parse(s).ok().map(|q| q.0 / 1000),
            Value::Number(n) => n.as_i64().map(i128::from),
            _ => None,
        })
        .unwrap_or(DEFAULT_NODE_MEMORY);
    let capacity = nodes.saturating_mul(node_memory);
    if asked > capacity {
        out.push(REDB_CLUSTER_MEMORY.at(
            "spec.memorySize",
            format!(
                "the REC's databases ask for {} with this one (replicas counted twice) but its {nodes} nodes request \
                 {} in all; give the REC more or larger nodes, or this database less memory",
                size::shown(asked),
                size::shown(capacity)
            ),
        ));
    }
}
