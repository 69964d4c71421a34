//! Deletes the objects a REC owns that its current rendering no longer contains (the broker turned off, the UI
//! service disabled, ...).
//!
//! Only objects with the REC's `redis.io/cluster` label AND a controller owner reference to this very REC (by
//! uid) are candidates, so nothing the user made is touched. Kinds marked `prune: false` (Secrets) are never
//! deleted. This module does not decide what is wanted: that is the rendered list.

use crate::owned::{self, KINDS, KindInfo};
use crate::timeout::TimedOut;
use kube::Client;
use kube::api::{Api, DeleteParams, DynamicObject, ListParams};
use serde_json::Value;
use std::collections::HashSet;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("listing {kind} objects failed: {source}")]
    List {
        kind: &'static str,
        source: Box<kube::Error>,
    },
    #[error("deleting {kind} {name} failed: {source}")]
    Delete {
        kind: &'static str,
        name: String,
        source: Box<kube::Error>,
    },
    #[error("pruning: {0}")]
    TimedOut(#[from] TimedOut),
}

/// The REC whose objects are pruned.
pub struct Owner<'a> {
    pub namespace: &'a str,
    pub name: &'a str,
    pub uid: &'a str,
}

/// Deletes every owned object not in `desired`; returns what it deleted as `Kind/name`.
pub async fn prune(client: &Client, owner: &Owner<'_>, desired: &[Value]) -> Result<Vec<String>, Error> {
    let wanted: HashSet<(&str, &str)> = desired
        .iter()
        .filter_map(|o| Some((o.get("kind")?.as_str()?, o.pointer("/metadata/name")?.as_str()?)))
        .collect();
    let selector = format!("{}={}", rec_core::render::CLUSTER_LABEL, owner.name);
    let mut deleted = Vec::new();
    for kind in KINDS.iter().filter(|k| k.prune) {
        let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), owner.namespace, &owned::api_resource(kind));
        let list = api
            .list_metadata(&ListParams::default().labels(&selector))
            .await
            .map_err(|source| Error::List {
                kind: kind.kind.as_str(),
                source: Box::new(source),
            })?;
        for item in list.items {
            let Some(name) = item.metadata.name.as_deref() else {
                continue;
            };
            if wanted.contains(&(kind.kind.as_str(), name)) || !controlled_by(&item.metadata, owner.uid) {
                continue;
            }
            delete(&api, kind, name).await?;
            deleted.push(format!("{}/{name}", kind.kind.as_str()));
        }
    }
    Ok(deleted)
}

fn controlled_by(meta: &kube::api::ObjectMeta, uid: &str) -> bool {
    meta.owner_references
        .iter()
        .flatten()
        .any(|r| r.uid == uid && r.controller == Some(true))
}

async fn delete(api: &Api<DynamicObject>, kind: &KindInfo, name: &str) -> Result<(), Error> {
    match api.delete(name, &DeleteParams::background()).await {
        Ok(_) => {
            tracing::info!(
                kind = kind.kind.as_str(),
                name,
                "deleted an object the spec no longer wants"
            );
            Ok(())
        }
        Err(kube::Error::Api(status)) if status.code == 404 => Ok(()),
        Err(source) => Err(Error::Delete {
            kind: kind.kind.as_str(),
            name: name.into(),
            source: Box::new(source),
        }),
    }
}
