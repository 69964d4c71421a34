//! The REDB side of the operator against the in-memory API (kube-fake-client): each REDB is validated against the
//! watch cache (the RECs and REDBs of its namespace) and gets its status and Events; a REC or another REDB
//! changing re-validates it. The cache is fed as the reflectors feed it (`testing::redb::Sync`), and the
//! reconciles run as the controller runs them.

mod common;

use common::*;
use kube::api::{Patch, PatchParams};
use rec_operator::redb::reconcile::Outcome;
use rec_operator::testing::redb::{self, Sync};
use serde_json::{Value, json};
use std::sync::Arc;

/// A REDB spec valid on its own, without warnings.
fn db_spec(port: i64) -> Value {
    json!({"memorySize": "1GB", "replication": true, "persistence": "aofEverySecond", "databasePort": port})
}

async fn get_redb(client: &kube::Client, name: &str) -> Value {
    serde_json::to_value(redb::redbs(client).get(name).await.expect("the REDB exists")).expect("JSON")
}

async fn create_redb(client: &kube::Client, name: &str, spec: Value) {
    redb::create(client, redb::redb(name, spec))
        .await
        .expect("the REDB is created");
}

/// The `SpecValid` condition.
fn spec_valid(redb: &Value) -> &Value {
    condition(redb, "SpecValid")
}

/// The REDB events: (type, reason, note).
async fn redb_events(client: &kube::Client) -> Vec<(String, String, String)> {
    let mut all = events(client).await;
    all.retain(|(_, reason, _)| ["InvalidSpec", "ValidSpec"].contains(&reason.as_str()));
    all
}

async fn setup() -> (kube::Client, Arc<rec_operator::redb::reconcile::Context>, Sync) {
    let client = cluster(Default::default()).await;
    let (ctx, sync) = Sync::new(context(&client));
    (client, ctx, sync)
}

#[tokio::test]
async fn a_valid_redb_with_its_rec_is_valid_for_its_generation() {
    let (client, ctx, mut sync) = setup().await;
    create(&client, rec("rec", spec())).await;
    create_redb(&client, "db", db_spec(12000)).await;
    assert!(sync.relist().await.expect("lists"), "the first list fires the trigger");
    assert_eq!(redb::reconcile(&ctx, "db").await.expect("reconciles"), Outcome::Judged);

    let db = get_redb(&client, "db").await;
    let generation = db["metadata"]["generation"].clone();
    assert!(generation.is_i64(), "the API sets a generation: {db:#}");
    assert_eq!(db["status"]["specStatus"], "Valid");
    assert_eq!(
        db["status"]["redisEnterpriseCluster"], "rec",
        "the printer column \"Cluster\""
    );
    assert_eq!(db["status"]["observedGeneration"], generation);
    let condition = spec_valid(&db);
    assert_eq!(
        (
            condition["status"].as_str(),
            condition["reason"].as_str(),
            condition["message"].as_str()
        ),
        (Some("True"), Some("Valid"), Some("the spec is valid")),
        "{db:#}"
    );
    assert_eq!(condition["observedGeneration"], generation);
    assert_eq!(db["spec"], db_spec(12000), "the spec is the user's");
    let events = redb_events(&client).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!((events[0].0.as_str(), events[0].1.as_str()), ("Normal", "ValidSpec"));
}

#[tokio::test]
async fn a_missing_rec_is_reported_and_creating_it_turns_the_redb_valid() {
    let (client, ctx, mut sync) = setup().await;
    create_redb(&client, "db", db_spec(12000)).await;
    sync.relist().await.expect("lists");
    redb::reconcile(&ctx, "db")
        .await
        .expect("an invalid REDB is not a failure");

    let db = get_redb(&client, "db").await;
    assert_eq!(db["status"]["specStatus"], "Invalid");
    assert!(db["status"]["redisEnterpriseCluster"].is_null(), "{:#}", db["status"]);
    let condition = spec_valid(&db);
    assert_eq!(
        (condition["status"].as_str(), condition["reason"].as_str()),
        (Some("False"), Some("InvalidSpec"))
    );
    let message = condition["message"].as_str().unwrap_or_default();
    assert!(message.contains("redb-cluster-not-found"), "{message}");
    let events = redb_events(&client).await;
    assert_eq!(events.len(), 1, "{events:?}");
    let (type_, reason, note) = &events[0];
    assert_eq!((type_.as_str(), reason.as_str()), ("Warning", "InvalidSpec"));
    assert!(note.contains("redb-cluster-not-found"), "{note}");

    // The REC appears: the cache sees it, the trigger fires, every REDB is validated again.
    create(&client, rec("rec", spec())).await;
    assert!(sync.relist().await.expect("lists"), "a new REC fires the trigger");
    redb::reconcile_all(&ctx).await.expect("reconciles");
    let db = get_redb(&client, "db").await;
    assert_eq!(db["status"]["specStatus"], "Valid", "{:#}", db["status"]);
    assert_eq!(db["status"]["redisEnterpriseCluster"], "rec");
    assert_eq!(spec_valid(&db)["reason"], "Valid");
    let events = redb_events(&client).await;
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(
        events.iter().any(|(t, r, _)| t == "Normal" && r == "ValidSpec"),
        "{events:?}"
    );
}

#[tokio::test]
async fn deleting_the_rec_turns_its_redb_invalid_again() {
    let (client, ctx, mut sync) = setup().await;
    create(&client, rec("rec", spec())).await;
    create_redb(&client, "db", db_spec(12000)).await;
    sync.relist().await.expect("lists");
    redb::reconcile_all(&ctx).await.expect("reconciles");
    assert_eq!(get_redb(&client, "db").await["status"]["specStatus"], "Valid");

    recs(&client)
        .delete("rec", &Default::default())
        .await
        .expect("the REC is deleted");
    assert!(sync.relist().await.expect("lists"), "a REC going fires the trigger");
    redb::reconcile_all(&ctx).await.expect("reconciles");
    let db = get_redb(&client, "db").await;
    assert_eq!(db["status"]["specStatus"], "Invalid");
    assert!(
        db["status"]["redisEnterpriseCluster"].is_null(),
        "the REC is gone: {:#}",
        db["status"]
    );
    // Before, only the ValidSpec of its first verdict.
    let events = redb_events(&client).await;
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(
        events
            .iter()
            .any(|(t, r, note)| t == "Warning" && r == "InvalidSpec" && note.contains("redb-cluster-not-found")),
        "{events:?}"
    );
}

#[tokio::test]
async fn a_rec_spec_change_re_validates_and_its_status_writes_do_not() {
    let (client, ctx, mut sync) = setup().await;
    create(&client, rec("rec", spec())).await;
    let mut latest = db_spec(12000);
    latest["redisVersion"] = json!("latest");
    create_redb(&client, "db", latest).await;
    sync.relist().await.expect("lists");
    redb::reconcile_all(&ctx).await.expect("reconciles");
    let message = spec_valid(&get_redb(&client, "db").await)["message"].clone();
    assert!(
        message
            .as_str()
            .unwrap_or_default()
            .contains("redb-latest-without-upgrade-policy"),
        "{message}"
    );

    // The REC controller writes the REC's status: nothing the REDB rules read, no trigger.
    let status = json!({"status": {"state": "Running", "specStatus": "Valid"}});
    recs(&client)
        .patch_status("rec", &PatchParams::default(), &Patch::Merge(&status))
        .await
        .expect("the REC's status is patched");
    assert!(
        !sync.relist().await.expect("lists"),
        "a REC status write must not re-validate REDBs"
    );

    patch_spec(&client, "rec", json!({"redisUpgradePolicy": "latest"})).await;
    assert!(sync.relist().await.expect("lists"), "redisUpgradePolicy changed");
    redb::reconcile_all(&ctx).await.expect("reconciles");
    let db = get_redb(&client, "db").await;
    assert_eq!(db["status"]["specStatus"], "Valid", "{:#}", db["status"]);
}

#[tokio::test]
async fn two_redbs_on_the_same_port_are_both_reported() {
    let (client, ctx, mut sync) = setup().await;
    create(&client, rec("rec", spec())).await;
    create_redb(&client, "one", db_spec(12000)).await;
    sync.relist().await.expect("lists");
    redb::reconcile_all(&ctx).await.expect("reconciles");
    assert_eq!(get_redb(&client, "one").await["status"]["specStatus"], "Valid");

    create_redb(&client, "two", db_spec(12000)).await;
    assert!(sync.relist().await.expect("lists"), "a new REDB fires the trigger");
    redb::reconcile_all(&ctx).await.expect("reconciles");
    for (name, other) in [("one", "two"), ("two", "one")] {
        let db = get_redb(&client, name).await;
        assert_eq!(db["status"]["specStatus"], "Invalid", "{name}: {:#}", db["status"]);
        let message = spec_valid(&db)["message"].as_str().unwrap_or_default().to_string();
        assert!(
            message.contains("redb-port-taken") && message.contains(other),
            "{name}: {message}"
        );
    }
    let warnings: Vec<_> = redb_events(&client)
        .await
        .into_iter()
        .filter(|(t, r, n)| t == "Warning" && r == "InvalidSpec" && n.contains("redb-port-taken"))
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
}

#[tokio::test]
async fn reconciling_again_or_after_a_restart_writes_nothing_and_records_nothing() {
    let (client, ctx, mut sync) = setup().await;
    create(&client, rec("rec", spec())).await;
    create_redb(&client, "good", db_spec(12000)).await;
    create_redb(
        &client,
        "bad",
        json!({"memorySize": "1MB", "replication": true, "persistence": "aofEverySecond"}),
    )
    .await;
    sync.relist().await.expect("lists");
    redb::reconcile_all(&ctx).await.expect("first reconcile");
    let versions = |client: kube::Client| async move {
        let mut out = Vec::new();
        for name in ["good", "bad"] {
            out.push(get_redb(&client, name).await["metadata"]["resourceVersion"].clone());
        }
        out
    };
    let before = versions(client.clone()).await;
    let events_before = redb_events(&client).await;
    assert_eq!(events_before.len(), 2, "{events_before:?}");
    assert_eq!(get_redb(&client, "bad").await["status"]["specStatus"], "Invalid");

    assert!(
        !sync.relist().await.expect("lists"),
        "our own status writes must not fire the trigger"
    );
    redb::reconcile_all(&ctx).await.expect("second reconcile");
    assert_eq!(versions(client.clone()).await, before, "a status was written again");
    assert_eq!(redb_events(&client).await, events_before, "an event was recorded again");

    // A restarted operator: a new cache and context, the same verdicts in the stored status.
    let (restarted, mut sync) = Sync::new(context(&client));
    assert!(sync.relist().await.expect("lists"));
    redb::reconcile_all(&restarted)
        .await
        .expect("reconciles after a restart");
    assert_eq!(versions(client.clone()).await, before, "a restart rewrote a status");
    assert_eq!(
        redb_events(&client).await,
        events_before,
        "a restart recorded an event again"
    );
}

#[tokio::test]
async fn a_redb_with_a_garbage_spec_is_reported_never_a_panic() {
    let (client, ctx, mut sync) = setup().await;
    create(&client, rec("rec", spec())).await;
    let mut deep = json!(1);
    for _ in 0..60 {
        deep = json!({ "x": [deep] });
    }
    let garbage = [
        json!("a string"),
        json!([1, 2, 3]),
        json!(null),
        json!({"memorySize": 5, "shardCount": "many", "databasePort": -1, "redisEnterpriseCluster": 7}),
        json!({"redisEnterpriseCluster": {"name": ["rec"]}, "modulesList": "search", "backup": {"s3": 1}}),
        json!({"replicaSources": [{"replicaSourceType": 3}], "extra": deep}),
    ];
    for (i, spec) in garbage.iter().enumerate() {
        create_redb(&client, &format!("g{i}"), spec.clone()).await;
    }
    sync.relist().await.expect("lists");
    let outcomes = redb::reconcile_all(&ctx)
        .await
        .expect("garbage is a verdict, not a failure");
    assert_eq!(outcomes.len(), garbage.len());
    for i in 0..garbage.len() {
        let db = get_redb(&client, &format!("g{i}")).await;
        assert_eq!(db["status"]["specStatus"], "Invalid", "g{i}: {:#}", db["status"]);
        assert_eq!(spec_valid(&db)["status"], "False", "g{i}");
    }
}
