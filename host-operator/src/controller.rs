//! Runs the controllers: watches RECs (one namespace or all) as raw JSON (`DynamicObject`) plus every owned kind,
//! and feeds changes to `reconcile`; and the REDBs of the same namespaces, validated by `redb::reconcile`. Around
//! them: the health/metrics server, leader election and graceful shutdown on SIGTERM/SIGINT.
//!
//! RECs are watched untyped on purpose: one REC whose spec does not parse must not break the list/watch stream
//! for the others; the wasm core parses it and the reconcile reports the problem on that REC.

use crate::health::{self, Health, Readiness};
use crate::leader::{Elector, LeaseConfig};
use crate::metrics::Metrics;
use crate::owned::{self, KINDS};
use crate::reconcile::{self, Context, Settings};
use crate::redb;
use futures::StreamExt;
use k8s_openapi::api::coordination::v1::Lease;
use kube::Client;
use kube::ResourceExt;
use kube::api::{Api, DynamicObject};
use kube::runtime::events::{Recorder, Reporter};
use kube::runtime::reflector::ObjectRef;
use kube::runtime::{Controller, watcher};
use rec_engine::Engine;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::watch;

/// How the controller runs (from the `run` command line).
#[derive(Clone, Debug)]
pub struct Config {
    /// Watch only these namespaces; empty watches all.
    pub namespaces: Vec<String>,
    /// The core's options, the bundled tags, the roll bound.
    pub settings: Settings,
    /// Where `/healthz`, `/readyz` and `/metrics` are served.
    pub listen: SocketAddr,
    /// Leader election: the lease's namespace, its name and this replica's identity; `None` runs without.
    pub lease: Option<(String, LeaseConfig)>,
    /// Reconciles running at once.
    pub concurrency: u16,
    /// The bound on each reconcile step's API calls.
    pub api_timeout: std::time::Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no Kubernetes client: {0}")]
    Client(#[source] kube::Error),
    #[error("leader election: {0}")]
    Leader(#[from] crate::leader::Error),
}

/// Runs until SIGTERM/SIGINT (then finishes the running reconciles and releases the lease) or until leadership is
/// lost (an error: the process exits and the Deployment restarts it as a standby).
pub async fn run(config: Config, engine: Engine) -> Result<(), Error> {
    let client = Client::try_default().await.map_err(Error::Client)?;
    let metrics = Arc::new(Metrics::default());
    let readiness = Arc::new(Readiness::default());
    let health = Arc::new(Health {
        readiness: readiness.clone(),
        metrics: metrics.clone(),
    });
    let server = tokio::spawn(async move {
        if let Err(e) = health::serve(config.listen, health).await {
            tracing::error!(error = %e, "the health server stopped");
        }
    });
    let (stop_tx, stop_rx) = watch::channel(false);
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("shutdown requested; finishing running reconciles");
        let _ = stop_tx.send(true);
    });

    let elector = config
        .lease
        .clone()
        .map(|(ns, lease)| Elector::new(Api::<Lease>::namespaced(client.clone(), &ns), lease));
    if let Some(elector) = &elector {
        // A standby is healthy and ready to take over.
        readiness.set(true);
        tokio::select! {
            acquired = elector.acquire() => acquired?,
            _ = stopped(stop_rx.clone()) => { server.abort(); return Ok(()) }
        }
        readiness.set(false);
    }

    let reporter = Reporter {
        controller: "rec-operator".into(),
        instance: std::env::var("POD_NAME").ok(),
    };
    let ctx = Arc::new(
        Context::new(client.clone(), engine, Recorder::new(client.clone(), reporter), metrics)
            .with_api_timeout(config.api_timeout)
            .with_settings(config.settings.clone()),
    );
    // One controller per watched namespace (or one for all): a namespaced operator needs no cluster-wide list.
    let namespaces: Vec<Option<String>> = if config.namespaces.is_empty() {
        vec![None]
    } else {
        config.namespaces.iter().cloned().map(Some).collect()
    };
    let controllers: Vec<_> = namespaces
        .iter()
        .map(|ns| controller(&client, ns.as_deref(), config.concurrency))
        .collect();
    let stores: Vec<_> = controllers.iter().map(|c| c.store()).collect();
    // REDBs: validated against a watch cache of RECs and REDBs of the same namespaces (`redb/`).
    let redbs = redb::controller::build(&client, &namespaces, config.concurrency);
    let redb_cache = redbs.cache.clone();
    let redb_ctx = Arc::new(redb::reconcile::Context::new(ctx.clone(), redbs.cache.clone()));
    let ready = readiness.clone();
    tokio::spawn(async move {
        for store in stores {
            if store.wait_until_ready().await.is_err() {
                return;
            }
        }
        if redb_cache.ready().await.is_err() {
            return;
        }
        tracing::info!("REC and REDB caches synced");
        ready.set(true);
    });
    let recs = futures::future::join_all(controllers.into_iter().map(|controller| {
        controller
            .graceful_shutdown_on(stopped(stop_rx.clone()))
            .run(reconcile::reconcile, reconcile::error_policy, ctx.clone())
            .for_each(|result| async move {
                match result {
                    Ok((rec, _)) => tracing::debug!(rec = %rec, "reconciled"),
                    Err(e) => tracing::debug!(error = %e, "controller event"),
                }
            })
    }));
    let running = futures::future::join(recs, redbs.run(redb_ctx, stop_rx.clone()));
    let outcome = match &elector {
        Some(elector) => tokio::select! {
            _ = running => Ok(()),
            lost = elector.keep() => Err(Error::Leader(lost)),
        },
        None => {
            running.await;
            Ok(())
        }
    };
    if let (Some(elector), Ok(())) = (&elector, &outcome)
        && let Err(e) = elector.release().await
    {
        tracing::warn!(error = %e, "releasing the lease failed");
    }
    server.abort();
    outcome
}

/// The REC controller with a watch on every owned kind (metadata only, labelled objects only).
fn controller(client: &Client, namespace: Option<&str>, concurrency: u16) -> Controller<DynamicObject> {
    let rec = owned::rec_resource();
    let recs: Api<DynamicObject> = match namespace {
        Some(ns) => Api::namespaced_with(client.clone(), ns, &rec),
        None => Api::all_with(client.clone(), &rec),
    };
    let mut controller = Controller::new_with(recs, watcher::Config::default(), rec)
        .with_config(kube::runtime::controller::Config::default().concurrency(concurrency));
    for kind in &KINDS {
        let resource = owned::api_resource(kind);
        let api: Api<DynamicObject> = match namespace {
            Some(ns) => Api::namespaced_with(client.clone(), ns, &resource),
            None => Api::all_with(client.clone(), &resource),
        };
        controller = controller.owns_with(
            api,
            resource,
            watcher::Config::default().labels(rec_core::render::CLUSTER_LABEL),
        );
    }
    // Node pods are the StatefulSet's, not the REC's: watched by their cluster label, so a pod coming back (or
    // going down) during a roll brings the next step at once.
    let pods = owned::pod_resource();
    let api: Api<DynamicObject> = match namespace {
        Some(ns) => Api::namespaced_with(client.clone(), ns, &pods),
        None => Api::all_with(client.clone(), &pods),
    };
    controller.watches_with(
        api,
        pods,
        watcher::Config::default().labels(rec_core::render::CLUSTER_LABEL),
        move |pod| {
            let name = pod.labels().get(rec_core::render::CLUSTER_LABEL)?.clone();
            let namespace = pod.namespace()?;
            Some(ObjectRef::new_with(&name, owned::rec_resource()).within(&namespace))
        },
    )
}

pub(crate) async fn stopped(mut stop: watch::Receiver<bool>) {
    let _ = stop.wait_for(|stop| *stop).await;
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                term.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
