//! Reconcile tests against an in-memory Kubernetes API (kube-fake-client): what lands, what stays, what goes,
//! and what the status and events say. Each test drives `reconcile` exactly as the controller does.

mod common;

use common::*;
use kube::runtime::controller::Action;
use rec_operator::apply::contains;
use serde_json::json;

#[tokio::test]
async fn a_new_rec_yields_exactly_the_rendered_set() {
    let client = cluster(Default::default()).await;
    let ctx = context(&client);
    create(&client, rec("rec", spec())).await;
    let action = reconcile(&ctx, "rec").await.expect("reconciles");
    // The cluster is being created: looked at again soon (this in-memory API runs no pods; tests/day2.rs does).
    assert_eq!(action, Action::requeue(rec_operator::reconcile::STEP_REQUEUE));

    let stored = owned_objects(&client).await;
    let want = rendered(&get_rec(&client, "rec").await);
    assert_eq!(stored.keys().cloned().collect::<Vec<_>>(), keys(&want));
    assert_stored_as_rendered(&stored, &want, "first reconcile");

    let rec = get_rec(&client, "rec").await;
    assert_eq!(rec["status"]["specStatus"], "Valid");
    assert_eq!(rec["status"]["state"], "PendingCreation");
    assert_eq!(rec["status"]["observedGeneration"], rec["metadata"]["generation"]);
    assert_eq!(condition(&rec, "Valid")["status"], "True");
    assert_eq!(condition(&rec, "Reconciled")["status"], "True");
    assert_eq!(condition(&rec, "Ready")["status"], "False");
    assert!(
        events(&client)
            .await
            .iter()
            .any(|(t, reason, _)| t == "Normal" && reason == "Reconciled")
    );
}

#[tokio::test]
async fn a_second_reconcile_changes_nothing() {
    let client = cluster(Default::default()).await;
    let ctx = context(&client);
    create(&client, rec("rec", spec())).await;
    // The first reconcile creates the cluster, the second sees its StatefulSet and waits for rec-0: from then
    // on nothing changes while nothing happens.
    reconcile(&ctx, "rec").await.expect("first reconcile");
    reconcile(&ctx, "rec").await.expect("second reconcile");
    let objects = versions(&client).await;
    let rec_version = get_rec(&client, "rec").await["metadata"]["resourceVersion"].clone();
    assert!(!objects.is_empty());

    reconcile(&ctx, "rec").await.expect("third reconcile");
    assert_eq!(versions(&client).await, objects, "owned objects were rewritten");
    assert_eq!(
        get_rec(&client, "rec").await["metadata"]["resourceVersion"],
        rec_version,
        "the status was rewritten"
    );
}

#[tokio::test]
async fn an_invalid_rec_gets_status_and_an_event_and_no_objects() {
    let client = cluster(Default::default()).await;
    let ctx = context(&client);
    let mut bad = spec();
    bad["nodes"] = json!(4);
    bad["redisEnterpriseNodeResources"]["requests"]["memory"] = json!("1Gi");
    create(&client, rec("rec", bad)).await;

    let action = reconcile(&ctx, "rec").await.expect("an invalid REC is not a failure");
    assert_eq!(action, Action::await_change());
    assert!(
        owned_objects(&client).await.is_empty(),
        "nothing may be applied for an invalid REC"
    );

    let rec = get_rec(&client, "rec").await;
    assert_eq!(rec["status"]["specStatus"], "Invalid");
    assert_eq!(rec["status"]["state"], "Invalid");
    let valid = condition(&rec, "Valid");
    assert_eq!(
        (valid["status"].as_str(), valid["reason"].as_str()),
        (Some("False"), Some("SpecInvalid"))
    );
    let message = valid["message"].as_str().unwrap_or("");
    let codes: Vec<&str> = rec["status"]["validationErrors"]
        .as_array()
        .map(|v| {
            v.iter()
                .filter(|v| v["severity"] == "error")
                .filter_map(|v| v["code"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert!(
        codes.contains(&"nodes-even") && codes.contains(&"memory-too-low"),
        "{codes:?}"
    );
    for code in &codes {
        assert!(message.contains(code), "the Valid condition misses {code}: {message}");
    }
    let events = events(&client).await;
    let warning = events
        .iter()
        .find(|(t, reason, _)| t == "Warning" && reason == "SpecInvalid");
    let (_, _, note) = warning.expect("a SpecInvalid Warning event");
    assert!(note.contains("nodes-even") && note.contains("memory-too-low"), "{note}");
}

#[tokio::test]
async fn a_rec_that_does_not_parse_is_reported_and_others_still_reconcile() {
    let client = cluster(Default::default()).await;
    let ctx = context(&client);
    create(&client, rec("broken", json!({ "nodes": "three", "node": 3 }))).await;
    create(&client, rec("good", spec())).await;

    reconcile(&ctx, "broken")
        .await
        .expect("a broken REC is reported, not a failure");
    reconcile(&ctx, "good").await.expect("the good REC reconciles");

    let broken = get_rec(&client, "broken").await;
    assert_eq!(broken["status"]["specStatus"], "Invalid");
    let message = condition(&broken, "Valid")["message"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(
        message.contains("spec.nodes") && message.contains("spec.node"),
        "{message}"
    );
    let objects = owned_objects(&client).await;
    assert!(objects.contains_key("StatefulSet/good"), "{:?}", objects.keys());
    assert!(!objects.keys().any(|k| k.ends_with("/broken")), "{:?}", objects.keys());
}

#[tokio::test]
async fn a_spec_change_updates_the_statefulset() {
    let client = cluster(Default::default()).await;
    let ctx = context(&client);
    create(&client, rec("rec", spec())).await;
    reconcile(&ctx, "rec").await.expect("first reconcile");
    assert_eq!(owned_objects(&client).await["StatefulSet/rec"]["spec"]["replicas"], 3);

    patch_spec(
        &client,
        "rec",
        json!({ "redisEnterprisePodAnnotations": { "team": "cache" } }),
    )
    .await;
    reconcile(&ctx, "rec").await.expect("second reconcile");
    let objects = owned_objects(&client).await;
    assert_eq!(
        objects["StatefulSet/rec"]["spec"]["template"]["metadata"]["annotations"]["team"],
        "cache"
    );
    let want = rendered(&get_rec(&client, "rec").await);
    let sts = want
        .iter()
        .find(|o| o["kind"] == "StatefulSet")
        .expect("a StatefulSet is rendered");
    assert!(contains(&objects["StatefulSet/rec"], sts));
    let rec = get_rec(&client, "rec").await;
    assert_eq!(rec["status"]["observedGeneration"], rec["metadata"]["generation"]);
}

#[tokio::test]
async fn turning_the_broker_and_the_ui_off_deletes_their_objects_but_keeps_the_claim() {
    let client = cluster(Default::default()).await;
    let ctx = context(&client);
    let mut with_broker = spec();
    with_broker["serviceBrokerSpec"] = json!({ "enabled": true });
    create(&client, rec("rec", with_broker)).await;
    reconcile(&ctx, "rec").await.expect("first reconcile");
    let before = owned_objects(&client).await;
    for key in [
        "Deployment/rec-services-broker",
        "Service/rec-services-broker",
        "PersistentVolumeClaim/rec-services-broker",
        "Service/rec-ui",
    ] {
        assert!(before.contains_key(key), "{key} missing: {:?}", before.keys());
    }

    let off = json!({
        "serviceBrokerSpec": { "enabled": false },
        "redisEnterpriseServicesConfiguration": { "cmServer": { "operatingMode": "disabled" } },
    });
    patch_spec(&client, "rec", off).await;
    reconcile(&ctx, "rec").await.expect("second reconcile");
    let after = owned_objects(&client).await;
    let mut gone: Vec<&String> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    gone.sort();
    assert_eq!(
        gone,
        [
            "Deployment/rec-services-broker",
            "Service/rec-services-broker",
            "Service/rec-ui"
        ]
    );
    // The broker's claim holds its data: the operator never deletes a PVC.
    let mut want = keys(&rendered(&get_rec(&client, "rec").await));
    want.push("PersistentVolumeClaim/rec-services-broker".into());
    want.sort();
    assert_eq!(after.keys().cloned().collect::<Vec<_>>(), want);
}

#[tokio::test]
async fn the_secret_keeps_its_password_across_reconciles() {
    let client = cluster(Default::default()).await;
    let ctx = context(&client);
    create(&client, rec("rec", spec())).await;
    reconcile(&ctx, "rec").await.expect("first reconcile");
    let secret = owned_objects(&client).await["Secret/rec"].clone();
    let password = secret["data"]["password"].as_str().expect("a password").to_string();
    assert!(
        password.len() >= 32,
        "a short password: {} characters of base64",
        password.len()
    );

    patch_spec(&client, "rec", json!({ "nodes": 5 })).await;
    reconcile(&ctx, "rec").await.expect("second reconcile");
    let again = owned_objects(&client).await["Secret/rec"].clone();
    assert_eq!(again["data"]["password"], password.as_str());
    assert_eq!(
        again["metadata"]["resourceVersion"],
        secret["metadata"]["resourceVersion"]
    );

    // A second REC gets its own password.
    create(&client, rec("other", spec())).await;
    reconcile(&ctx, "other").await.expect("other reconciles");
    assert_ne!(
        owned_objects(&client).await["Secret/other"]["data"]["password"],
        password.as_str()
    );
}

#[tokio::test]
async fn a_user_supplied_secret_is_used_as_is() {
    let client = cluster(Default::default()).await;
    let ctx = context(&client);
    let secrets: kube::Api<k8s_openapi::api::core::v1::Secret> = kube::Api::namespaced(client.clone(), NS);
    let mine: k8s_openapi::api::core::v1::Secret = serde_json::from_value(json!({
        "metadata": { "name": "creds", "namespace": NS },
        "stringData": {},
        "data": { "username": "bWU=", "password": "bXktcGFzc3dvcmQ=" },
    }))
    .expect("a Secret");
    let created = secrets.create(&Default::default(), &mine).await.expect("created");
    let mut with_secret = spec();
    with_secret["clusterCredentialSecretName"] = json!("creds");
    create(&client, rec("rec", with_secret)).await;
    reconcile(&ctx, "rec").await.expect("reconciles");

    let after = secrets.get("creds").await.expect("still there");
    assert_eq!(after.metadata.resource_version, created.metadata.resource_version);
    assert_eq!(after.data, created.data);
    assert!(secrets.get_opt("rec").await.expect("get").is_none(), "no second secret");
}
