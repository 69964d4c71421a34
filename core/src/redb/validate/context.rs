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
use std::collections::BTreeMap;

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

/// The context, read once: its RECs and its REDBs as the rules read them, each REDB with the REC it belongs to,
/// indexed by name and port. One read serves every REDB validated against the same objects (the documents of one
/// input: each is the others' context), so that validating N documents is linear in N, not quadratic.
pub struct Context<'a> {
    clusters: Clusters<'a>,
    peers: Vec<Peer<'a>>,
    /// Indices of `peers` by name, in context order.
    peers_named: BTreeMap<&'a str, Vec<usize>>,
    /// Per REC (index in `clusters`): the REDBs that belong to it.
    members: Vec<Members>,
}

/// The REDBs of one REC: the memory they ask in all, and their indices by port, in context order.
#[derive(Default)]
struct Members {
    memory: i128,
    by_port: BTreeMap<i64, Vec<usize>>,
}

impl<'a> Context<'a> {
    /// Reads `objects` (objects of other kinds are skipped).
    pub fn new(objects: impl IntoIterator<Item = &'a Value>) -> Self {
        let mut clusters = Vec::new();
        let mut peers = Vec::new();
        for object in objects {
            match kind(object) {
                Some(crate::api::KIND) => clusters.push(object),
                Some(redb::KIND) => peers.extend(Peer::read(object)),
                _ => {}
            }
        }
        let clusters = Clusters::new(clusters);
        let mut members: Vec<Members> = clusters.all.iter().map(|_| Members::default()).collect();
        let mut peers_named: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, peer) in peers.iter_mut().enumerate() {
            peers_named.entry(peer.name).or_default().push(i);
            peer.rec = clusters.resolve(peer.cluster, peer.namespace).ok();
            if let Some(rec) = peer.rec {
                let members = &mut members[rec];
                members.memory = members.memory.saturating_add(peer.memory);
                if let Some(port) = peer.port {
                    members.by_port.entry(port).or_default().push(i);
                }
            }
        }
        Context {
            clusters,
            peers,
            peers_named,
            members,
        }
    }

    /// The REDBs of REC `rec` named `name`, in context order.
    fn named_in(&self, name: &str, rec: usize) -> impl Iterator<Item = &Peer<'a>> {
        self.peers_named
            .get(name)
            .into_iter()
            .flatten()
            .map(|&i| &self.peers[i])
            .filter(move |p| p.rec == Some(rec))
    }
}

/// The context rules on `db` (`object` as typed), against `context`; the name of the REC it belongs to there,
/// when there is one. The REDB itself is skipped when the context holds it: every REDB of its name in its namespace
/// (either naming none) is taken for it.
pub(crate) fn check<'c>(
    db: &RedbObject,
    object: &Value,
    context: &Context<'c>,
    out: &mut Vec<Violation>,
) -> Option<&'c str> {
    let namespace = db.metadata.namespace.as_deref();
    let name = db.metadata.name.as_deref().unwrap_or_default();
    let itself = |p: &Peer| p.name == name && same_namespace(p.namespace, namespace);
    replica_sources(db, context, out);
    let named = db.spec.redis_enterprise_cluster.as_ref().map(|c| c.name.as_str());
    let rec = match context.clusters.resolve(named, namespace) {
        Ok(rec) => rec,
        Err(why) => {
            out.push(why.violation(named));
            return None;
        }
    };
    let rec_value = context.clusters.all[rec];
    modules(db, rec_value, out);
    latest(db, rec_value, out);
    external_access(db, rec_value, out);
    let members = &context.members[rec];
    if let Some(other) = context.named_in(name, rec).find(|p| !itself(p)) {
        out.push(REDB_NAME_TAKEN.at(
            "metadata.name",
            format!(
                "another database of the same REC is named {name:?} (in namespace {}); database names are unique in \
                 a cluster: pick another name",
                other.namespace.unwrap_or("(unset)")
            ),
        ));
    }
    let port_holder = db.spec.database_port.and_then(|port| {
        let holders = members.by_port.get(&port)?;
        holders
            .iter()
            .map(|&i| &context.peers[i])
            .find(|p| !itself(p))
            .map(|p| (port, p))
    });
    if let Some((port, other)) = port_holder {
        out.push(REDB_PORT_TAKEN.at(
            "spec.databasePort",
            format!(
                "databasePort {port} is already the port of database {:?} of the same REC; pick another port, or omit \
                 it to let the cluster choose",
                other.name
            ),
        ));
    }
    let own = Peer::read(object).map_or(0, |p| p.memory);
    let itself_in_context: i128 = context
        .named_in(name, rec)
        .filter(|p| itself(p))
        .map(|p| p.memory)
        .sum();
    capacity(
        own.saturating_add(members.memory).saturating_sub(itself_in_context),
        rec_value,
        out,
    );
    text(rec_value, "/metadata/name")
}

/// The REC `redb` belongs to among `context` (as the context rules resolve it: the one it names, else the only REC
/// of its namespace), or `None` when there is no such REC or several. For the preview's Kubernetes side.
pub fn cluster_of<'c>(redb: &Value, context: &[&'c Value]) -> Option<&'c Value> {
    let clusters = Clusters::new(
        context
            .iter()
            .copied()
            .filter(|o| kind(o) == Some(crate::api::KIND))
            .collect(),
    );
    let named = text(redb, "/spec/redisEnterpriseCluster/name");
    let rec = clusters.resolve(named, text(redb, "/metadata/namespace")).ok()?;
    Some(clusters.all[rec])
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
    /// The REC it belongs to (index in [`Clusters::all`]), once resolved.
    rec: Option<usize>,
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
        let metadata = object.get("metadata");
        let meta = |name: &str| metadata.and_then(|m| m.get(name)).and_then(Value::as_str);
        Some(Peer {
            namespace: meta("namespace"),
            name: meta("name")?,
            cluster: field("redisEnterpriseCluster")
                .and_then(|c| c.get("name"))
                .and_then(Value::as_str),
            port: field("databasePort").and_then(Value::as_i64),
            memory: if field("replication").and_then(Value::as_bool) == Some(true) {
                2 * ram
            } else {
                ram
            },
            rec: None,
        })
    }
}

/// The RECs of a context, indexed by name and by namespace (indices in context order).
struct Clusters<'a> {
    all: Vec<&'a Value>,
    named: BTreeMap<&'a str, Vec<usize>>,
    by_namespace: BTreeMap<Option<&'a str>, Vec<usize>>,
}

impl<'a> Clusters<'a> {
    fn new(all: Vec<&'a Value>) -> Self {
        let mut named: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        let mut by_namespace: BTreeMap<Option<&str>, Vec<usize>> = BTreeMap::new();
        for (i, rec) in all.iter().enumerate() {
            if let Some(name) = text(rec, "/metadata/name") {
                named.entry(name).or_default().push(i);
            }
            by_namespace
                .entry(text(rec, "/metadata/namespace"))
                .or_default()
                .push(i);
        }
        Clusters {
            all,
            named,
            by_namespace,
        }
    }

    /// The first two RECs (in context order) that share `namespace`: enough to tell none, one and several apart.
    fn first_two_in(&self, namespace: Option<&str>) -> Vec<usize> {
        let mut found: Vec<usize> = match namespace {
            None => self.all.iter().enumerate().take(2).map(|(i, _)| i).collect(),
            Some(_) => [namespace, None]
                .iter()
                .filter_map(|ns| self.by_namespace.get(ns))
                .flat_map(|recs| recs.iter().take(2).copied())
                .collect(),
        };
        found.sort_unstable();
        found.truncate(2);
        found
    }

    /// The REC a REDB in `namespace` belongs to: the one it names (in its own namespace first, else the only one of
    /// that name), or when it names none the only REC of its namespace. A lookup only: why there is none is for
    /// the caller to report ([`Unresolved::violation`]), so the REDBs of a context resolve without writing messages.
    fn resolve(&self, named: Option<&str>, namespace: Option<&str>) -> Result<usize, Unresolved> {
        let local = |i: &usize| same_namespace(text(self.all[*i], "/metadata/namespace"), namespace);
        let only = |found: &[usize]| match found {
            [rec] => Ok(*rec),
            [] => Err(Unresolved::None),
            _ => Err(Unresolved::Several),
        };
        let Some(named) = named else {
            return only(&self.first_two_in(namespace));
        };
        let same_name = self.named.get(named).map_or(&[][..], Vec::as_slice);
        match same_name.iter().find(|i| local(i)) {
            Some(rec) => Ok(*rec),
            None => only(same_name),
        }
    }
}

/// Why a REDB has no REC in its context.
enum Unresolved {
    None,
    Several,
}

impl Unresolved {
    /// The violation of a REDB that names `named` (or none).
    fn violation(self, named: Option<&str>) -> Violation {
        match (self, named) {
            (Unresolved::None, None) => REDB_CLUSTER_NOT_FOUND.at(
                "spec.redisEnterpriseCluster",
                "redisEnterpriseCluster is not set and the namespace holds no REC; create the REC first, or name the \
                 REC of another namespace in `redisEnterpriseCluster.name`",
            ),
            (Unresolved::Several, None) => REDB_CLUSTER_AMBIGUOUS.at(
                "spec.redisEnterpriseCluster",
                "redisEnterpriseCluster is not set and the namespace holds several RECs; name one in \
                 `redisEnterpriseCluster.name`",
            ),
            (Unresolved::None, Some(named)) => REDB_CLUSTER_NOT_FOUND.at(
                "spec.redisEnterpriseCluster.name",
                format!(
                    "redisEnterpriseCluster.name is {named:?}, but there is no REC of that name; create it first, or \
                     name an existing REC"
                ),
            ),
            (Unresolved::Several, Some(named)) => REDB_CLUSTER_AMBIGUOUS.at(
                "spec.redisEnterpriseCluster.name",
                format!(
                    "redisEnterpriseCluster.name is {named:?}: no REC of that name in this namespace, and several in \
                     others; create the database in the namespace of the REC it belongs to"
                ),
            ),
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

/// A replica source of type `REDB` names a REDB of the same namespace.
fn replica_sources(db: &RedbObject, context: &Context, out: &mut Vec<Violation>) {
    let namespace = db.metadata.namespace.as_deref();
    let own = db.metadata.name.as_deref();
    for (i, source) in db.spec.replica_sources.iter().flatten().enumerate() {
        let target = source.replica_source_name.as_str();
        let exists = own == Some(target)
            || context
                .peers_named
                .get(target)
                .into_iter()
                .flatten()
                .any(|&p| same_namespace(context.peers[p].namespace, namespace));
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
