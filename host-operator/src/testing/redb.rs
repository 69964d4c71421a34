//! REDBs in the in-memory API ([`cluster`](super::cluster)), and the REDB side of the operator as the controller
//! runs it: a watch cache fed from what the API holds, and reconciles with the latest object.
//!
//! The in-memory APIs have no watch, so [`Sync::relist`] does what the reflectors do after a (re)connect: it
//! lists the RECs and REDBs and hands the cache the same `Init` / `InitApply` / `InitDone` events, through the
//! [`Changes`] the reflectors use, and says whether the trigger would have fired. A test then reconciles what
//! the controller would (every REDB, [`reconcile_all`]).

use super::{Error, NS};
use crate::owned;
use crate::reconcile::Context as Shared;
use crate::redb::cache::{Cache, Changes, Feed, Watched};
use crate::redb::reconcile::{self, Context, Outcome};
use kube::Client;
use kube::api::{Api, DynamicObject, ListParams, PostParams};
use kube::runtime::watcher::Event;
use serde_json::{Value, json};
use std::sync::Arc;

/// The REDBs of [`NS`].
pub fn redbs(client: &Client) -> Api<DynamicObject> {
    Api::namespaced_with(client.clone(), NS, &owned::redb_resource())
}

/// A REDB object in [`NS`].
pub fn redb(name: &str, spec: Value) -> Value {
    json!({
        "apiVersion": "app.redislabs.com/v1alpha1",
        "kind": "RedisEnterpriseDatabase",
        "metadata": { "name": name, "namespace": NS },
        "spec": spec,
    })
}

/// Creates a REDB from raw JSON (so a broken one can be created too).
pub async fn create(client: &Client, object: Value) -> Result<(), Error> {
    let object: DynamicObject = serde_json::from_value(object)?;
    redbs(client).create(&PostParams::default(), &object).await?;
    Ok(())
}

/// The watch cache of one namespace, fed by hand.
pub struct Sync {
    client: Client,
    feed: Feed,
    recs: Changes,
    redbs: Changes,
}

impl Sync {
    /// A REDB context on `shared`'s client with an empty cache, and its feed.
    pub fn new(shared: Arc<Shared>) -> (Arc<Context>, Sync) {
        let (cache, feed) = Cache::new(1);
        let sync = Sync {
            client: shared.client.clone(),
            feed,
            recs: Changes::new(Watched::Recs),
            redbs: Changes::new(Watched::Redbs),
        };
        (Arc::new(Context::new(shared, cache)), sync)
    }

    /// Lists the RECs and REDBs of [`NS`] into the cache as a reflector's re-list would; true when the
    /// reflectors' trigger would fire (what the REDB rules read has changed).
    pub async fn relist(&mut self) -> Result<bool, Error> {
        let mut fired = false;
        for (resource, writer, changes) in [
            (owned::rec_resource(), &mut self.feed.recs[0], &mut self.recs),
            (owned::redb_resource(), &mut self.feed.redbs[0], &mut self.redbs),
        ] {
            let api: Api<DynamicObject> = Api::namespaced_with(self.client.clone(), NS, &resource);
            let mut events = vec![Event::Init];
            events.extend(
                api.list(&ListParams::default())
                    .await?
                    .items
                    .into_iter()
                    .map(Event::InitApply),
            );
            events.push(Event::InitDone);
            for event in &events {
                writer.apply_watcher_event(event);
                fired |= changes.observe(event);
            }
        }
        Ok(fired)
    }
}

/// Reconciles one REDB as the controller would: with the latest object from the API.
pub async fn reconcile(ctx: &Context, name: &str) -> Result<Outcome, Error> {
    let redb = redbs(&ctx.shared.client).get(name).await?;
    reconcile::run(&redb, ctx).await.map_err(|e| Error::Redb(Box::new(e)))
}

/// Reconciles every REDB of [`NS`], as the trigger does (`reconcile_all_on`).
pub async fn reconcile_all(ctx: &Context) -> Result<Vec<(String, Outcome)>, Error> {
    let mut outcomes = Vec::new();
    for redb in redbs(&ctx.shared.client).list(&ListParams::default()).await?.items {
        let name = redb.metadata.name.clone().unwrap_or_default();
        let outcome = reconcile::run(&redb, ctx).await.map_err(|e| Error::Redb(Box::new(e)))?;
        outcomes.push((name, outcome));
    }
    Ok(outcomes)
}
