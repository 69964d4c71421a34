//! What a REDB gets on the Kubernetes side (REDB.md section 4): the Services the REC's services rigger creates
//! for it, the Secret that holds its connection details, and the finalizer the REDB carries. The database itself
//! is created through the cluster's REST API, out of this project's reach; these objects are not, so the preview
//! shows them before anything is applied.
//!
//! A pure function of the REDB and its REC, both read leniently from JSON by field (as the context rules read
//! theirs): the preview shows this next to the REDB's problems, so it must answer for a REDB that is not valid yet,
//! and a field it cannot read counts as absent. Without a REC (a lone REDB) the services rigger's defaults are
//! assumed, and a note says so.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The finalizer every REDB carries until its database is deleted from the cluster.
pub const FINALIZER: &str = "finalizer.redisenterprisedatabases.app.redislabs.com";

/// The Services' port when the REC's `databaseServicePortPolicy` is `RedisDefaultPort` and the REDB names none.
pub const REDIS_DEFAULT_PORT: i64 = 6379;

/// The Kubernetes objects of one REDB.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct KubernetesSide {
    /// The REDB's namespace (where its Services and Secret are), when it names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The REC whose services rigger creates the Services; absent when none was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    pub services: Vec<DatabaseService>,
    pub secret: DatabaseSecret,
    pub finalizer: String,
    /// What the objects depend on that is not known yet (a port the cluster chooses, a REC not given), in words.
    pub notes: Vec<String>,
}

/// One Service of the database.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseService {
    /// Its name; absent when it follows a port the cluster has not chosen yet (`serviceNaming: redis-port`).
    pub name: Option<String>,
    /// The Service's `type`: `ClusterIP` (the headless one too, with `clusterIP: None`) or `LoadBalancer`.
    #[serde(rename = "type")]
    pub type_: String,
    pub headless: bool,
    /// The port it exposes; absent when the cluster chooses it.
    pub port: Option<i64>,
    /// Where the port comes from.
    pub port_from: PortFrom,
}

/// Where a database Service's port comes from (REDB.md section 4, in this order).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum PortFrom {
    DatabaseServicePort,
    DatabasePort,
    /// The REC's `databaseServicePortPolicy: RedisDefaultPort`: 6379.
    RedisDefaultPort,
    /// Neither is set: the cluster chooses the database's port when it creates it.
    Cluster,
}

/// The Secret with the database's connection details.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseSecret {
    pub name: String,
    pub keys: Vec<String>,
}

/// What `redb` gets, created by `rec` (`None`: no REC given; its services rigger's defaults are assumed).
pub fn side(redb: &Value, rec: Option<&Value>) -> KubernetesSide {
    let text = |object: &Value, pointer: &str| object.pointer(pointer).and_then(Value::as_str).map(str::to_string);
    let name = text(redb, "/metadata/name").unwrap_or_default();
    let spec = |field: &str| redb.get("spec").and_then(|s| s.get(field));
    let rigger = |field: &str| rec.and_then(|r| r.pointer(&format!("/spec/servicesRiggerSpec/{field}")));
    let mut notes = Vec::new();
    if rec.is_none() {
        notes.push(
            "no REC given: the services rigger's defaults are assumed (Services named after the database, no load \
             balancer, ports forwarded)"
                .to_string(),
        );
    }

    let database_port = spec("databasePort").and_then(Value::as_i64);
    let (port, port_from) = match (spec("databaseServicePort").and_then(Value::as_i64), database_port) {
        (Some(port), _) => (Some(port), PortFrom::DatabaseServicePort),
        (None, Some(port)) => (Some(port), PortFrom::DatabasePort),
        (None, None) if rigger("databaseServicePortPolicy").and_then(Value::as_str) == Some("RedisDefaultPort") => {
            (Some(REDIS_DEFAULT_PORT), PortFrom::RedisDefaultPort)
        }
        (None, None) => {
            notes.push(
                "no databasePort: the cluster chooses the database's port when it creates it, and the Services \
                 expose that port"
                    .to_string(),
            );
            (None, PortFrom::Cluster)
        }
    };

    let by_port = rigger("serviceNaming").and_then(Value::as_str) == Some("redis-port");
    let base = match (by_port, database_port) {
        (false, _) => Some(name.clone()),
        (true, Some(port)) => Some(format!("redis-{port}")),
        (true, None) => {
            notes.push(
                "serviceNaming is redis-port: the Services are named redis-<port> after the port the cluster chooses"
                    .to_string(),
            );
            None
        }
    };
    let load_balancer = rigger("databaseServiceType")
        .and_then(Value::as_str)
        .is_some_and(|types| types.split(',').any(|t| t.trim() == "load_balancer"));
    let service = |suffix: &str, type_: &str, headless: bool| DatabaseService {
        name: base.as_ref().map(|b| format!("{b}{suffix}")),
        type_: type_.to_string(),
        headless,
        port,
        port_from,
    };
    let mut services = vec![service("", "ClusterIP", false), service("-headless", "ClusterIP", true)];
    if load_balancer {
        services.push(service("-load-balancer", "LoadBalancer", false));
    }

    let memcached = spec("type").and_then(Value::as_str) == Some("memcached");
    let default_user = spec("defaultUser").and_then(Value::as_bool) != Some(false);
    let mut keys = vec!["port".to_string(), "service_names".to_string()];
    if !memcached && default_user {
        keys.push("password".to_string());
    }
    let secret = DatabaseSecret {
        name: spec("databaseSecretName")
            .and_then(Value::as_str)
            .map_or_else(|| format!("redb-{name}"), str::to_string),
        keys,
    };

    KubernetesSide {
        namespace: text(redb, "/metadata/namespace"),
        cluster: rec.and_then(|r| text(r, "/metadata/name")),
        services,
        secret,
        finalizer: FINALIZER.to_string(),
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn redb(spec: Value) -> Value {
        json!({"kind": "RedisEnterpriseDatabase", "metadata": {"name": "db", "namespace": "ns"}, "spec": spec})
    }

    fn rec(rigger: Value) -> Value {
        json!({"kind": "RedisEnterpriseCluster", "metadata": {"name": "rec"}, "spec": {"servicesRiggerSpec": rigger}})
    }

    fn names(side: &KubernetesSide) -> Vec<Option<&str>> {
        side.services.iter().map(|s| s.name.as_deref()).collect()
    }

    #[test]
    fn a_database_gets_a_cluster_ip_and_a_headless_service_named_after_it() {
        let side = side(&redb(json!({"databasePort": 12000})), Some(&rec(json!({}))));
        assert_eq!(names(&side), [Some("db"), Some("db-headless")]);
        let kinds: Vec<(&str, bool)> = side.services.iter().map(|s| (s.type_.as_str(), s.headless)).collect();
        assert_eq!(kinds, [("ClusterIP", false), ("ClusterIP", true)]);
        assert_eq!(
            (side.namespace.as_deref(), side.cluster.as_deref()),
            (Some("ns"), Some("rec"))
        );
        assert!(side.notes.is_empty(), "{:?}", side.notes);
    }

    #[test]
    fn a_load_balancer_service_when_the_rec_lists_load_balancer() {
        let types = rec(json!({"databaseServiceType": "cluster_ip, headless,load_balancer"}));
        let side = side(&redb(json!({"databasePort": 12000})), Some(&types));
        assert_eq!(
            names(&side),
            [Some("db"), Some("db-headless"), Some("db-load-balancer")]
        );
        assert_eq!(side.services[2].type_, "LoadBalancer");
        let without = rec(json!({"databaseServiceType": "cluster_ip,headless"}));
        assert_eq!(super::side(&redb(json!({})), Some(&without)).services.len(), 2);
    }

    #[test]
    fn redis_port_naming_names_services_after_the_database_port() {
        let naming = rec(json!({"serviceNaming": "redis-port", "databaseServiceType": "load_balancer"}));
        let side = side(
            &redb(json!({"databasePort": 12000, "databaseServicePort": 6380})),
            Some(&naming),
        );
        assert_eq!(
            names(&side),
            [
                Some("redis-12000"),
                Some("redis-12000-headless"),
                Some("redis-12000-load-balancer")
            ]
        );
        let unknown = super::side(&redb(json!({})), Some(&naming));
        assert_eq!(names(&unknown), [None, None, None]);
        assert!(
            unknown.notes.iter().any(|n| n.contains("redis-<port>")),
            "{:?}",
            unknown.notes
        );
    }

    #[test]
    fn the_port_is_the_service_port_else_the_database_port_else_the_policy_s() {
        let port = |spec: Value, rigger: Value| {
            let s = &side(&redb(spec), Some(&rec(rigger))).services[0];
            (s.port, s.port_from)
        };
        let policy = json!({"databaseServicePortPolicy": "RedisDefaultPort"});
        assert_eq!(
            port(
                json!({"databaseServicePort": 6380, "databasePort": 12000}),
                policy.clone()
            ),
            (Some(6380), PortFrom::DatabaseServicePort)
        );
        assert_eq!(
            port(json!({"databasePort": 12000}), policy.clone()),
            (Some(12000), PortFrom::DatabasePort)
        );
        assert_eq!(port(json!({}), policy), (Some(6379), PortFrom::RedisDefaultPort));
        let forward = json!({"databaseServicePortPolicy": "DatabasePortForward"});
        assert_eq!(port(json!({}), forward), (None, PortFrom::Cluster));
        let chosen = side(&redb(json!({})), Some(&rec(json!({}))));
        assert!(
            chosen.notes.iter().any(|n| n.contains("cluster chooses")),
            "{:?}",
            chosen.notes
        );
        // Every Service exposes the same port.
        assert!(chosen.services.iter().all(|s| s.port.is_none()));
    }

    #[test]
    fn the_secret_is_redb_name_or_database_secret_name_with_its_keys() {
        let secret = |spec: Value| side(&redb(spec), None).secret;
        assert_eq!(
            secret(json!({})),
            DatabaseSecret {
                name: "redb-db".into(),
                keys: vec!["port".into(), "service_names".into(), "password".into()]
            }
        );
        assert_eq!(secret(json!({"databaseSecretName": "mine"})).name, "mine");
        assert_eq!(secret(json!({"type": "memcached"})).keys, ["port", "service_names"]);
        assert_eq!(secret(json!({"defaultUser": false})).keys, ["port", "service_names"]);
        assert_eq!(secret(json!({"defaultUser": true, "type": "redis"})).keys.len(), 3);
    }

    #[test]
    fn the_finalizer_and_a_note_without_a_rec() {
        let side = side(&redb(json!({"databasePort": 12000})), None);
        assert_eq!(side.finalizer, "finalizer.redisenterprisedatabases.app.redislabs.com");
        assert_eq!(side.cluster, None);
        assert_eq!(names(&side), [Some("db"), Some("db-headless")]);
        assert!(side.notes.iter().any(|n| n.contains("no REC")), "{:?}", side.notes);
    }

    #[test]
    fn any_json_is_answered_without_a_panic() {
        for junk in [
            json!(null),
            json!([1]),
            json!({"spec": 3}),
            json!({"metadata": {"name": 7}, "spec": []}),
        ] {
            let side = side(&junk, Some(&junk));
            assert_eq!(side.services.len(), 2);
            assert_eq!(side.secret.name, "redb-");
        }
    }
}
