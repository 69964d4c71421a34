//! What the plan reads of the cluster: the REC's node StatefulSet, its pods and their claims, fetched as they are
//! (the core reads them, see `rec_core::plan::observed`). Read-only; one get and two labelled lists per reconcile.

use kube::api::{Api, DynamicObject, ListParams};
use kube::{Client, ResourceExt};
use rec_core::render::{APP, CLUSTER_LABEL, Kind, ROLE_LABEL};
use serde_json::{Value, json};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("reading the cluster's {what} failed: {source}")]
    Read {
        what: &'static str,
        source: Box<kube::Error>,
    },
    #[error("reading the cluster: {0}")]
    TimedOut(#[from] crate::timeout::TimedOut),
}

fn failed(what: &'static str) -> impl Fn(kube::Error) -> Error {
    move |source| Error::Read {
        what,
        source: Box::new(source),
    }
}

/// `{"statefulSet": ..., "pods": [...], "persistentVolumeClaims": [...]}` of REC `name` in `namespace`.
pub async fn observe(client: &Client, namespace: &str, name: &str) -> Result<Value, Error> {
    let api = |kind: Kind| -> Api<DynamicObject> {
        Api::namespaced_with(client.clone(), namespace, &crate::owned::api_resource(kind.info()))
    };
    let pods: Api<DynamicObject> = Api::namespaced_with(client.clone(), namespace, &crate::owned::pod_resource());
    let statefulset = api(Kind::StatefulSet)
        .get_opt(name)
        .await
        .map_err(failed("StatefulSet"))?;
    let nodes = ListParams::default().labels(&format!("app={APP},{CLUSTER_LABEL}={name},{ROLE_LABEL}=node"));
    let pods = pods.list(&nodes).await.map_err(failed("pods"))?.items;
    let claims = api(Kind::PersistentVolumeClaim)
        .list(&ListParams::default().labels(&format!("{CLUSTER_LABEL}={name}")))
        .await
        .map_err(failed("claims"))?
        .items;
    let values = |items: Vec<DynamicObject>| -> Vec<Value> {
        items
            .into_iter()
            .map(|mut o| {
                o.managed_fields_mut().clear();
                serde_json::to_value(o).unwrap_or(Value::Null)
            })
            .collect()
    };
    Ok(json!({
        "statefulSet": statefulset.map(|s| serde_json::to_value(s).unwrap_or(Value::Null)),
        "pods": values(pods),
        "persistentVolumeClaims": values(claims),
    }))
}
