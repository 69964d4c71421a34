//! The watch cache REDBs are validated against: per watched namespace (or once for all) a reflector of RECs and
//! one of REDBs, and a trigger that re-validates every REDB when a change could alter a verdict.
//!
//! Its own reflectors, not the REC controller's store: a reflector writes its store before it yields the event,
//! so when the trigger fires the cache already holds the change. A trigger from one watch and a cache from
//! another would race, and a REDB could be judged against the REC of a moment ago and keep that verdict until the
//! next resync.
//!
//! Which REDBs a change re-validates: all that the operator watches (the REDB controllers' `reconcile_all_on`).
//! That is a superset of the REDBs a change can concern (those of the REC's namespace and those naming it), the
//! simplest correct choice with kube's stable API (picking single REDBs takes its unstable `reconcile_on`), and
//! cheap: only a change of what the rules read fires it ([`Changes`]), so neither the REC controller's status
//! writes (several a minute during a roll) nor ours on REDBs do, and a REDB whose verdict holds is not written.

use futures::StreamExt;
use kube::api::{Api, ApiResource, DynamicObject};
use kube::runtime::reflector::store::{Writer, WriterDropped};
use kube::runtime::reflector::{self, Store};
use kube::runtime::{WatchStreamExt, watcher};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::future::Future;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;
use tokio::sync::watch;

/// The RECs and REDBs the operator holds, over every watched namespace. Cheap to clone.
#[derive(Clone)]
pub struct Cache {
    recs: Vec<Store<DynamicObject>>,
    redbs: Vec<Store<DynamicObject>>,
}

/// What feeds a [`Cache`]: one writer per store (the reflectors in the cluster; tests apply watch events).
pub struct Feed {
    pub recs: Vec<Writer<DynamicObject>>,
    pub redbs: Vec<Writer<DynamicObject>>,
}

impl Cache {
    /// An empty cache of `scopes` namespaces (or 1 for all), and its writers.
    pub fn new(scopes: usize) -> (Cache, Feed) {
        let writers = |resource: ApiResource| -> Vec<Writer<DynamicObject>> {
            (0..scopes.max(1)).map(|_| Writer::new(resource.clone())).collect()
        };
        let feed = Feed {
            recs: writers(crate::owned::rec_resource()),
            redbs: writers(crate::owned::redb_resource()),
        };
        let readers = |w: &[Writer<DynamicObject>]| w.iter().map(Writer::as_reader).collect();
        let cache = Cache {
            recs: readers(&feed.recs),
            redbs: readers(&feed.redbs),
        };
        (cache, feed)
    }

    /// Every cached REC.
    pub fn recs(&self) -> Vec<Arc<DynamicObject>> {
        self.recs.iter().flat_map(Store::state).collect()
    }

    /// Every cached REDB.
    pub fn redbs(&self) -> Vec<Arc<DynamicObject>> {
        self.redbs.iter().flat_map(Store::state).collect()
    }

    /// Resolves once every store has had its first complete list: before that a REDB would be judged against a
    /// partial context (its REC not yet seen: a false `redb-cluster-not-found`, and an Event with it).
    pub async fn ready(&self) -> Result<(), WriterDropped> {
        for store in self.recs.iter().chain(&self.redbs) {
            store.wait_until_ready().await?;
        }
        Ok(())
    }
}

/// The watched kinds, and what their validation reads of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Watched {
    Recs,
    Redbs,
}

impl Watched {
    /// What the REDB rules read of an object besides its name and namespace: a REC's spec and the modules its
    /// status reports; a REDB's spec.
    fn read(self, object: &DynamicObject) -> Value {
        let data = &object.data;
        match self {
            Watched::Recs => json!([data.get("spec"), data.pointer("/status/modules")]),
            Watched::Redbs => data.get("spec").cloned().unwrap_or(Value::Null),
        }
    }
}

type Key = (Option<String>, Option<String>);

/// Tells from a watch's events whether what the REDB rules read has changed (a pure state machine, fed by the
/// reflector). It keeps a hash of what the rules read per object; a re-list (`Init` .. `InitDone`) is compared as
/// a whole at its end, so objects changed or deleted while the watch was down count too.
pub struct Changes {
    watched: Watched,
    seen: HashMap<Key, u64>,
    relist: Option<HashMap<Key, u64>>,
}

impl Changes {
    pub fn new(watched: Watched) -> Self {
        Changes {
            watched,
            seen: HashMap::new(),
            relist: None,
        }
    }

    /// Takes in one event; true when the REDBs must be validated again.
    pub fn observe(&mut self, event: &watcher::Event<DynamicObject>) -> bool {
        match event {
            watcher::Event::Apply(object) => {
                let hash = self.hash(object);
                self.seen.insert(key(object), hash) != Some(hash)
            }
            // Even one never seen: a deletion can only make a verdict change, never loop.
            watcher::Event::Delete(object) => {
                self.seen.remove(&key(object));
                true
            }
            watcher::Event::Init => {
                self.relist = Some(HashMap::new());
                false
            }
            watcher::Event::InitApply(object) => {
                let hash = self.hash(object);
                self.relist.get_or_insert_default().insert(key(object), hash);
                false
            }
            watcher::Event::InitDone => {
                let listed = self.relist.take().unwrap_or_default();
                let changed = listed != self.seen;
                self.seen = listed;
                changed
            }
        }
    }

    fn hash(&self, object: &DynamicObject) -> u64 {
        let mut hasher = DefaultHasher::new();
        self.watched.read(object).to_string().hash(&mut hasher);
        hasher.finish()
    }
}

fn key(object: &DynamicObject) -> Key {
    (object.metadata.namespace.clone(), object.metadata.name.clone())
}

/// A stream that yields once per change signalled on `trigger` (changes in between are one).
pub fn triggers(trigger: watch::Receiver<()>) -> impl futures::Stream<Item = ()> + Send + 'static {
    futures::stream::unfold(
        trigger,
        |mut rx| async move { rx.changed().await.ok().map(|()| ((), rx)) },
    )
}

/// The reflector that keeps `writer`'s store of `api` current and signals `trigger` on each change the REDB rules
/// can see. Runs until the process ends; watch errors are logged and retried with kube's default backoff.
pub fn reflect(
    api: Api<DynamicObject>,
    writer: Writer<DynamicObject>,
    watched: Watched,
    trigger: watch::Sender<()>,
) -> impl Future<Output = ()> + Send + 'static {
    let events = reflector::reflector(writer, watcher(api, watcher::Config::default()).default_backoff());
    let mut changes = Changes::new(watched);
    events.for_each(move |event| {
        match event {
            Ok(event) => {
                if changes.observe(&event) {
                    trigger.send_replace(());
                }
            }
            Err(e) => tracing::warn!(error = %e, ?watched, "watching for the REDB context failed; retrying"),
        }
        futures::future::ready(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use watcher::Event;

    fn object(kind: &str, name: &str, data: Value) -> DynamicObject {
        let mut value = json!({"apiVersion": "app.redislabs.com/v1", "kind": kind,
                               "metadata": {"name": name, "namespace": "ns"}});
        if let (Some(o), Some(extra)) = (value.as_object_mut(), data.as_object()) {
            o.extend(extra.clone());
        }
        serde_json::from_value(value).expect("an object")
    }

    #[test]
    fn only_what_the_rules_read_fires_the_trigger() {
        let mut changes = Changes::new(Watched::Recs);
        let rec = |spec: Value, status: Value| {
            object("RedisEnterpriseCluster", "rec", json!({"spec": spec, "status": status}))
        };
        assert!(changes.observe(&Event::Apply(rec(json!({"nodes": 3}), json!({})))));
        // The REC controller's status writes: not read by the REDB rules.
        assert!(!changes.observe(&Event::Apply(rec(json!({"nodes": 3}), json!({"state": "Running"})))));
        assert!(changes.observe(&Event::Apply(rec(
            json!({"nodes": 3}),
            json!({"modules": [{"name": "m"}]})
        ))));
        assert!(changes.observe(&Event::Apply(rec(
            json!({"nodes": 3, "redisUpgradePolicy": "latest"}),
            json!({"modules": [{"name": "m"}]})
        ))));
        assert!(changes.observe(&Event::Delete(rec(json!({}), json!({})))));

        let mut redbs = Changes::new(Watched::Redbs);
        let redb = |spec: Value, status: Value| {
            object("RedisEnterpriseDatabase", "db", json!({"spec": spec, "status": status}))
        };
        assert!(redbs.observe(&Event::Apply(redb(json!({"databasePort": 12000}), json!({})))));
        // Our own status write on the REDB: no loop.
        assert!(!redbs.observe(&Event::Apply(redb(
            json!({"databasePort": 12000}),
            json!({"specStatus": "Valid"})
        ))));
    }

    #[test]
    fn a_relist_counts_when_it_differs_from_what_was_seen() {
        let mut changes = Changes::new(Watched::Redbs);
        let db =
            |name: &str, port: i64| object("RedisEnterpriseDatabase", name, json!({"spec": {"databasePort": port}}));
        let relist = |changes: &mut Changes, objects: Vec<DynamicObject>| -> bool {
            let mut fired = changes.observe(&Event::Init);
            for o in objects {
                fired |= changes.observe(&Event::InitApply(o));
            }
            fired | changes.observe(&Event::InitDone)
        };
        assert!(relist(&mut changes, vec![db("a", 1), db("b", 2)]), "the first list");
        assert!(
            !relist(&mut changes, vec![db("b", 2), db("a", 1)]),
            "the same objects again"
        );
        assert!(
            relist(&mut changes, vec![db("a", 1)]),
            "b went while the watch was down"
        );
        assert!(relist(&mut changes, vec![db("a", 3)]), "a changed");
        let mut empty = Changes::new(Watched::Recs);
        assert!(!relist(&mut empty, vec![]));
    }

    #[tokio::test]
    async fn the_trigger_stream_yields_once_per_burst() {
        let (tx, rx) = watch::channel(());
        let mut stream = Box::pin(triggers(rx));
        tx.send_replace(());
        tx.send_replace(());
        assert_eq!(stream.next().await, Some(()));
        drop(tx);
        assert_eq!(stream.next().await, None);
    }
}
