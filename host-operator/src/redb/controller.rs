//! The REDB controllers and their watch cache: per watched namespace (or once for all) a controller of REDBs
//! (raw JSON, as the RECs: a REDB that does not fit the schema is reported on that REDB and breaks no watch) and
//! the reflectors of the cache, whose trigger re-validates every REDB when what a verdict reads changes.

use super::cache::{self, Cache, Watched};
use super::reconcile::{self, Context};
use crate::owned;
use futures::StreamExt;
use kube::Client;
use kube::api::{Api, ApiResource, DynamicObject};
use kube::runtime::{Controller, watcher};
use std::future::Future;
use std::sync::Arc;
use tokio::sync::watch;

/// A reflector's run, boxed: RECs and REDBs, per namespace, in one list.
type Reflector = std::pin::Pin<Box<dyn Future<Output = ()> + Send>>;

/// The REDB side of the operator, ready to run.
pub struct Redbs {
    /// The watch cache (also what `/readyz` waits for).
    pub cache: Cache,
    /// The reflectors feeding the cache: run them beside the controllers.
    pub reflectors: Vec<Reflector>,
    pub controllers: Vec<Controller<DynamicObject>>,
}

/// Builds the cache and the controllers for `namespaces` (`None`: all; none given: all).
pub fn build(client: &Client, namespaces: &[Option<String>], concurrency: u16) -> Redbs {
    // One store per scope, each with its reflector: a store without one would never be ready.
    let all = [None];
    let namespaces = if namespaces.is_empty() { &all[..] } else { namespaces };
    let (cache, feed) = Cache::new(namespaces.len());
    let (trigger_tx, trigger) = watch::channel(());
    let api = |ns: &Option<String>, resource: &ApiResource| -> Api<DynamicObject> {
        match ns {
            Some(ns) => Api::namespaced_with(client.clone(), ns, resource),
            None => Api::all_with(client.clone(), resource),
        }
    };
    let (rec, redb) = (owned::rec_resource(), owned::redb_resource());
    let mut reflectors: Vec<Reflector> = Vec::new();
    for (ns, writer) in namespaces.iter().zip(feed.recs) {
        reflectors.push(Box::pin(cache::reflect(
            api(ns, &rec),
            writer,
            Watched::Recs,
            trigger_tx.clone(),
        )));
    }
    for (ns, writer) in namespaces.iter().zip(feed.redbs) {
        reflectors.push(Box::pin(cache::reflect(
            api(ns, &redb),
            writer,
            Watched::Redbs,
            trigger_tx.clone(),
        )));
    }
    let controllers = namespaces
        .iter()
        .map(|ns| {
            Controller::new_with(api(ns, &redb), watcher::Config::default(), redb.clone())
                .with_config(kube::runtime::controller::Config::default().concurrency(concurrency))
                .reconcile_all_on(cache::triggers(trigger.clone()))
        })
        .collect();
    Redbs {
        cache,
        reflectors,
        controllers,
    }
}

impl Redbs {
    /// Runs the reflectors and the controllers until `stop` says so (then the running reconciles finish); the
    /// reflectors end with them.
    pub async fn run(self, ctx: Arc<Context>, stop: watch::Receiver<bool>) {
        let reflectors = futures::future::join_all(self.reflectors);
        let controllers = futures::future::join_all(self.controllers.into_iter().map(|controller| {
            controller
                .graceful_shutdown_on(crate::controller::stopped(stop.clone()))
                .run(reconcile::reconcile, reconcile::error_policy, ctx.clone())
                .for_each(|result| async move {
                    match result {
                        Ok((redb, _)) => tracing::debug!(redb = %redb, "REDB validated"),
                        Err(e) => tracing::debug!(error = %e, "REDB controller event"),
                    }
                })
        }));
        tokio::select! {
            _ = controllers => {},
            _ = reflectors => tracing::warn!("the REDB cache's reflectors stopped"),
        }
    }
}
