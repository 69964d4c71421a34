//! Which custom resource an object is, and the validation each entry point runs on it.
//!
//! Every entry point (the ABI's `validate`, so the engine, the CLI and the browser; the policy; the tests'
//! reference) validates through [`validate`], so a new resource is added here once and every entry point
//! answers it alike.

use crate::validate::{Options, Report};
use serde_json::Value;
use std::collections::BTreeMap;

/// The custom resources the core validates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// RedisEnterpriseCluster (REC).
    Cluster,
    /// RedisEnterpriseDatabase (REDB).
    Database,
}

impl Kind {
    /// The resource's kind, as `kind` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Cluster => crate::api::KIND,
            Kind::Database => crate::redb::KIND,
        }
    }

    /// The kind `object` says it is: a REDB by its `kind`, anything else is read as a REC, whose validation
    /// reports a missing or foreign `kind` at its field (so an object of no known kind gets the REC's clear
    /// `kind` error, as before the REDB existed).
    pub fn of(object: &Value) -> Kind {
        match object.get("kind").and_then(Value::as_str) {
            Some(crate::redb::KIND) => Kind::Database,
            _ => Kind::Cluster,
        }
    }
}

/// Validates `new` (and on update the change from `old`) by its kind, against `context`: the other objects the
/// entry point sees (`None`: it has none; see `redb::validate_with`). `options` are the REC's validation options;
/// of them a REDB takes only `warningsAsErrors` (the others are about nodes and images). A REC has no context
/// rules and ignores it.
pub fn validate(new: &Value, old: Option<&Value>, context: Option<&[Value]>, options: &Options) -> Report {
    validate_as(Kind::of(new), new, old, context, options)
}

/// [`validate`] of an object whose kind the caller already knows (the policy: from the admission request, which
/// the API server fills in from the URL, not from the object).
pub fn validate_as(
    kind: Kind,
    new: &Value,
    old: Option<&Value>,
    context: Option<&[Value]>,
    options: &Options,
) -> Report {
    let context = context.map(crate::redb::Context::new);
    validate_in(kind, new, old, context.as_ref(), options)
}

/// [`validate_as`] against a context already read.
fn validate_in(
    kind: Kind,
    new: &Value,
    old: Option<&Value>,
    context: Option<&crate::redb::Context>,
    options: &Options,
) -> Report {
    match kind {
        Kind::Cluster => crate::validate::validate(new, old, options),
        Kind::Database => crate::redb::validate_in(new, old, context, options.warnings_as_errors),
    }
}

/// Validates every object of one input (a YAML stream, an editor's text), each by its kind: the documents of an
/// input are each other's context, with `context` (more objects the entry point sees: the CLI's `--context` files)
/// added. One document and no `context` is an input without context (`redb-no-context`): a lone REDB file says
/// what it could not check instead of failing for want of its REC. `old` (on update) holds the previous versions:
/// each document is compared with the old one of the same kind, namespace and name (the first such). One report
/// per document, in order.
///
/// Linear in the number of objects: the context is read once (`redb::Context`) and the old versions are indexed,
/// so an input of a REC and a thousand REDBs is a thousand lookups, not a million comparisons.
pub fn validate_documents(
    documents: &[&Value],
    old: Option<&[&Value]>,
    context: Option<&[&Value]>,
    options: &Options,
) -> Vec<Report> {
    let seen = (documents.len() > 1 || context.is_some())
        .then(|| crate::redb::Context::new(documents.iter().chain(context.into_iter().flatten()).copied()));
    let mut previous: BTreeMap<[Option<&str>; 3], &Value> = BTreeMap::new();
    for o in old.into_iter().flatten() {
        previous.entry(identity(o)).or_insert(o);
    }
    documents
        .iter()
        .map(|document| {
            let old = previous.get(&identity(document)).copied();
            validate_in(Kind::of(document), document, old, seen.as_ref(), options)
        })
        .collect()
}

/// What names an object: kind, namespace, name.
fn identity(object: &Value) -> [Option<&str>; 3] {
    let text = |pointer: &str| object.pointer(pointer).and_then(Value::as_str);
    [text("/kind"), text("/metadata/namespace"), text("/metadata/name")]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::Severity;
    use serde_json::json;

    fn redb(spec: Value) -> Value {
        json!({"apiVersion": "app.redislabs.com/v1alpha1", "kind": "RedisEnterpriseDatabase",
               "metadata": {"name": "redb"}, "spec": spec})
    }

    fn severity(report: &Report, code: &str) -> Option<Severity> {
        report.violations.iter().find(|v| v.code == code).map(|v| v.severity)
    }

    #[test]
    fn a_redb_is_read_as_a_redb_and_warnings_as_errors_comes_before_ratcheting() {
        let strict = Options {
            warnings_as_errors: true,
            ..Options::default()
        };
        let created = validate(&redb(json!({"persistence": "aofEverySecond"})), None, None, &strict);
        assert_eq!(severity(&created, "redb-replication-off"), Some(Severity::Error));
        // An unchanged invalid value on update is a warning, warnings as errors or not.
        let bad = redb(json!({"persistence": "aofEverySecond", "replication": true, "evictionPolicy": "lru"}));
        let updated = validate(&bad, Some(&bad), None, &strict);
        assert_eq!(severity(&updated, "redb-eviction-policy"), Some(Severity::Warning));
        assert!(updated.valid, "{updated:?}");
        // What was not checked is said, and never an error.
        assert_eq!(severity(&updated, "redb-no-context"), Some(Severity::Warning));
        let rec = json!({"apiVersion": "app.redislabs.com/v1", "kind": "RedisEnterpriseCluster"});
        assert_eq!(Kind::of(&rec), Kind::Cluster);
        assert_eq!(Kind::of(&json!([1])), Kind::Cluster);
    }

    /// The one read of the context gives each document the report it gets validated alone against the whole input
    /// (itself included: a REDB skips its own entry), and each finds its old version by kind, namespace and name.
    #[test]
    fn documents_are_judged_as_each_against_the_whole_input() {
        let rec = json!({"apiVersion": "app.redislabs.com/v1", "kind": "RedisEnterpriseCluster",
                         "metadata": {"name": "rec", "namespace": "ns"}, "spec": {"nodes": 3}});
        let db = |name: &str, port: i64| {
            json!({"apiVersion": "app.redislabs.com/v1alpha1", "kind": "RedisEnterpriseDatabase",
                   "metadata": {"name": name, "namespace": "ns"},
                   "spec": {"databasePort": port, "memorySize": "5GB", "redisVersion": "latest"}})
        };
        let (a, b, c) = (db("a", 12000), db("b", 12000), db("c", 12001));
        let mut renamed_old = db("c", 12001);
        renamed_old["spec"]["redisVersion"] = json!("7.4");
        let docs = [&rec, &a, &b, &c];
        let options = Options::default();
        let reports = validate_documents(&docs, Some(&[&renamed_old]), None, &options);
        let all: Vec<Value> = docs.iter().map(|d| (*d).clone()).collect();
        for (i, doc) in docs.iter().enumerate() {
            let old = (i == 3).then_some(&renamed_old);
            assert_eq!(reports[i], validate(doc, old, Some(&all), &options), "document {i}");
        }
        assert!(severity(&reports[1], "redb-port-taken").is_some());
        assert_eq!(
            reports[1].cluster.as_deref(),
            Some("rec"),
            "the REC a REDB belongs to is reported"
        );
        assert_eq!(reports[0].cluster, None, "a REC belongs to none");
        assert!(severity(&reports[3], "redb-port-taken").is_none());
        assert!(
            severity(&reports[3], "redb-cluster-memory").is_some(),
            "15GB on 3 x 4Gi"
        );
        // c changed redisVersion to `latest` on update: not ratcheted; a and b are created.
        assert_eq!(
            severity(&reports[3], "redb-latest-without-upgrade-policy"),
            Some(Severity::Error)
        );
    }
}
