//! End to end against a real cluster (kind, k3d, ...): applies `deploy/` with `kubectl apply -k`, runs the
//! controller (in this process by default, so no image has to be loaded into the cluster; set
//! `REC_E2E_DEPLOYMENT=1` to use the deployed operator instead), creates the example REC and waits for its objects
//! and its status, and a REDB for its verdict.
//!
//! Runs only when `KUBECONFIG` names a cluster; without one it prints that it skipped and passes.

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{Secret, Service};
use kube::Client;
use kube::api::{Api, DynamicObject, Patch, PatchParams, PostParams};
use rec_operator::controller::{self, Config};
use rec_operator::owned;
use serde_json::json;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

const NS: &str = "rec-e2e";

fn kubectl(args: &[&str]) -> Result<String, String> {
    let out = Command::new("kubectl")
        .args(args)
        .output()
        .map_err(|e| format!("kubectl: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!("kubectl {args:?}: {}", String::from_utf8_lossy(&out.stderr)))
    }
}

async fn wait_for<T, F, Fut>(what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        if let Some(found) = probe().await {
            return found;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_example_rec_comes_up_in_a_real_cluster() {
    let Some(kubeconfig) = std::env::var_os("KUBECONFIG").filter(|k| !k.is_empty()) else {
        println!("e2e skipped: KUBECONFIG is not set (point it at a kind/k3d cluster to run it)");
        return;
    };
    println!("e2e against {}", kubeconfig.to_string_lossy());
    let deploy = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../deploy");
    kubectl(&["apply", "--server-side", "-k", deploy.to_str().expect("utf-8 path")]).expect("deploy/ applies");
    kubectl(&[
        "wait",
        "--for=condition=Established",
        "crd/redisenterpriseclusters.app.redislabs.com",
        "--timeout=60s",
    ])
    .expect("the CRD is established");
    let _ = kubectl(&["create", "namespace", NS]);

    let controller = if std::env::var_os("REC_E2E_DEPLOYMENT").is_some() {
        kubectl(&[
            "-n",
            "rec-operator",
            "rollout",
            "status",
            "deployment/rec-operator",
            "--timeout=180s",
        ])
        .expect("the operator rolls out");
        None
    } else {
        kubectl(&["-n", "rec-operator", "scale", "deployment/rec-operator", "--replicas=0"]).expect("scaled down");
        let engine = rec_operator::cli::load_engine(None).expect("the core module loads");
        let config = Config {
            namespaces: vec![NS.into()],
            settings: Default::default(),
            listen: "127.0.0.1:0".parse().expect("address"),
            lease: None,
            concurrency: 2,
            api_timeout: rec_operator::timeout::DEFAULT_API_TIMEOUT,
        };
        Some(tokio::spawn(controller::run(config, engine)))
    };

    let client = Client::try_default().await.expect("a client for KUBECONFIG");
    let recs: Api<DynamicObject> = Api::namespaced_with(client.clone(), NS, &owned::rec_resource());
    let _ = recs.delete("rec", &Default::default()).await;
    let example: DynamicObject = serde_json::from_value(json!({
        "apiVersion": "app.redislabs.com/v1",
        "kind": "RedisEnterpriseCluster",
        "metadata": { "name": "rec", "namespace": NS, "labels": { "app": "redis-enterprise" } },
        "spec": {
            "nodes": 3,
            "persistentSpec": { "enabled": true, "volumeSize": "20Gi" },
            "redisEnterpriseNodeResources": {
                "requests": { "cpu": 2, "memory": "4Gi" },
                "limits": { "cpu": 2, "memory": "4Gi" }
            }
        }
    }))
    .expect("the example REC");
    wait_for("the REC to be created", || async {
        recs.create(&PostParams::default(), &example).await.ok()
    })
    .await;

    let sts: Api<StatefulSet> = Api::namespaced(client.clone(), NS);
    let services: Api<Service> = Api::namespaced(client.clone(), NS);
    let secrets: Api<Secret> = Api::namespaced(client.clone(), NS);
    let statefulset = wait_for("StatefulSet rec", || async { sts.get_opt("rec").await.ok().flatten() }).await;
    assert_eq!(statefulset.spec.and_then(|s| s.replicas), Some(3));
    for name in ["rec", "rec-ui", "rec-prom"] {
        wait_for(name, || async { services.get_opt(name).await.ok().flatten() }).await;
    }
    let secret = wait_for("the credentials secret", || async {
        secrets.get_opt("rec").await.ok().flatten()
    })
    .await;
    assert!(secret.data.is_some_and(|d| d.contains_key("password")));
    let status = wait_for("the REC status", || async {
        let rec = recs.get("rec").await.ok()?;
        let status = rec.data.get("status")?.clone();
        (status["observedGeneration"] == json!(rec.metadata.generation)).then_some(status)
    })
    .await;
    assert_eq!(status["specStatus"], "Valid", "{status:#}");

    // A REDB is validated against the REC: Valid, with a SpecValid condition for its generation.
    kubectl(&[
        "wait",
        "--for=condition=Established",
        "crd/redisenterprisedatabases.app.redislabs.com",
        "--timeout=60s",
    ])
    .expect("the REDB CRD is established");
    let redbs: Api<DynamicObject> = Api::namespaced_with(client.clone(), NS, &owned::redb_resource());
    let _ = redbs.delete("db", &Default::default()).await;
    let db: DynamicObject = serde_json::from_value(json!({
        "apiVersion": "app.redislabs.com/v1alpha1",
        "kind": "RedisEnterpriseDatabase",
        "metadata": { "name": "db", "namespace": NS },
        "spec": { "memorySize": "100MB", "databasePort": 12000 }
    }))
    .expect("the REDB");
    wait_for("the REDB to be created", || async {
        redbs.create(&PostParams::default(), &db).await.ok()
    })
    .await;
    let db_status = wait_for("the REDB status", || async {
        let db = redbs.get("db").await.ok()?;
        let status = db.data.get("status")?.clone();
        (status["observedGeneration"] == json!(db.metadata.generation)).then_some(status)
    })
    .await;
    assert_eq!(db_status["specStatus"], "Valid", "{db_status:#}");
    assert_eq!(db_status["redisEnterpriseCluster"], "rec", "{db_status:#}");
    let condition = db_status["conditions"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["type"] == "SpecValid").cloned())
        .unwrap_or_default();
    assert_eq!(condition["status"], "True", "{db_status:#}");
    redbs.delete("db", &Default::default()).await.expect("REDB deleted");

    // A deleted Service comes back.
    services
        .delete("rec-ui", &Default::default())
        .await
        .expect("delete rec-ui");
    wait_for("rec-ui to come back", || async {
        services
            .get_opt("rec-ui")
            .await
            .ok()
            .flatten()
            .filter(|s| s.metadata.deletion_timestamp.is_none())
    })
    .await;

    let state = |status: &serde_json::Value| status["state"].as_str().unwrap_or_default().to_string();
    assert!(
        ["PendingCreation", "BootstrappingFirstPod", "Initializing", "Running"].contains(&state(&status).as_str()),
        "{status:#}"
    );
    assert_eq!(
        sts.get("rec")
            .await
            .expect("sts")
            .spec
            .and_then(|s| s.update_strategy)
            .and_then(|u| u.type_)
            .as_deref(),
        Some("OnDelete")
    );

    // A rolling change: the new pod template is applied (OnDelete: nothing restarts by itself) and the plan
    // reports the roll or, while the cluster still forms, its creation.
    let hash = |s: &StatefulSet| {
        s.spec
            .as_ref()
            .and_then(|s| s.template.metadata.as_ref())
            .and_then(|m| m.annotations.as_ref())
            .and_then(|a| a.get("redis.io/template-hash").cloned())
    };
    let before = hash(&sts.get("rec").await.expect("sts"));
    recs.patch(
        "rec",
        &PatchParams::default(),
        &Patch::Merge(&json!({ "spec": { "redisEnterprisePodAnnotations": { "e2e": "roll" } } })),
    )
    .await
    .expect("the REC is patched");
    wait_for("the new pod template", || async {
        let now = hash(&sts.get("rec").await.ok()?);
        (now != before).then_some(())
    })
    .await;

    // Scale 3 -> 5: one node at a time, so the StatefulSet never asks for rec-4 before rec-3 is Ready.
    recs.patch(
        "rec",
        &PatchParams::default(),
        &Patch::Merge(&json!({ "spec": { "nodes": 5 } })),
    )
    .await
    .expect("the REC is patched");
    let pods: Api<k8s_openapi::api::core::v1::Pod> = Api::namespaced(client.clone(), NS);
    for _ in 0..60 {
        let replicas = sts.get("rec").await.ok().and_then(|s| s.spec).and_then(|s| s.replicas);
        if replicas == Some(5) {
            let rec3 = pods.get_opt("rec-3").await.ok().flatten();
            let ready = rec3
                .and_then(|p| p.status)
                .and_then(|s| s.conditions)
                .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"));
            assert!(ready, "replicas 5 while rec-3 is not Ready: two nodes added at once");
            break;
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }

    recs.delete("rec", &Default::default()).await.expect("REC deleted");
    if let Some(controller) = controller {
        controller.abort();
    }
}
