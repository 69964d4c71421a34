//! The strict in-memory API server (`rec_operator::testing::apiserver`) refuses what the real one refuses, with
//! its status code and message, and a refused write leaves the stored object exactly as it was (resourceVersion
//! included). Also: optimistic concurrency, finalizers, garbage collection, status subresource, dry run.

mod strict;

use kube::api::{DeleteParams, ListParams, Preconditions, PropagationPolicy};
use rec_operator::testing::World;
use rec_operator::testing::apiserver::rules::Options;
use rec_operator::testing::apiserver::{ApiServer, rules};
use serde_json::json;
use strict::*;

fn sts_forbidden(name: &str) -> String {
    format!(
        "StatefulSet.apps \"{name}\" is invalid: spec: Forbidden: {}",
        rules::STATEFULSET_FORBIDDEN
    )
}

#[tokio::test]
async fn statefulset_fields_outside_the_mutable_set_are_refused_by_every_kind_of_write() {
    let world = World::new();
    apply(&world, "StatefulSet", statefulset("rec", 3, "10Gi", "redis:7"))
        .await
        .expect("created");
    let stored = world.object("StatefulSet", "rec").expect("stored");
    let want = sts_forbidden("rec");

    let mut bigger = statefulset("rec", 3, "20Gi", "redis:7");
    let mut other_selector = statefulset("rec", 3, "10Gi", "redis:7");
    other_selector["spec"]["selector"]["matchLabels"]["extra"] = json!("x");
    other_selector["spec"]["template"]["metadata"]["labels"]["extra"] = json!("x");
    let mut service = statefulset("rec", 3, "10Gi", "redis:7");
    service["spec"]["serviceName"] = json!("other");
    let mut parallel = statefulset("rec", 3, "10Gi", "redis:7");
    parallel["spec"]["podManagementPolicy"] = json!("Parallel");
    for (what, changed) in [
        ("claim template", &mut bigger),
        ("selector", &mut other_selector),
        ("serviceName", &mut service),
        ("podManagementPolicy", &mut parallel),
    ] {
        let refused = refusal(apply(&world, "StatefulSet", changed.clone()).await);
        assert_eq!(refused, (422, "Invalid".into(), want.clone()), "apply of {what}");
        let spec = json!({ "spec": changed["spec"] });
        assert_eq!(
            refusal(merge(&world, "StatefulSet", "rec", spec.clone()).await).0,
            422,
            "merge of {what}"
        );
        assert_eq!(
            refusal(strategic(&world, "StatefulSet", "rec", spec).await).0,
            422,
            "strategic of {what}"
        );
        let mut put = stored.clone();
        put["spec"] = changed["spec"].clone();
        assert_eq!(
            refusal(replace(&world, "StatefulSet", put).await).2,
            want,
            "PUT of {what}"
        );
        assert_eq!(
            world.object("StatefulSet", "rec").as_ref(),
            Some(&stored),
            "{what}: the object changed"
        );
    }
    let storage = "/spec/volumeClaimTemplates/0/spec/resources/requests/storage";
    let patch = json!([{ "op": "replace", "path": storage, "value": "20Gi" }]);
    assert_eq!(refusal(json_patch(&world, "StatefulSet", "rec", patch).await).2, want);
    // The same size spelled differently is no change (the API server compares quantities, not strings).
    apply(&world, "StatefulSet", statefulset("rec", 3, "10240Mi", "redis:7"))
        .await
        .expect("same size");
    assert_eq!(
        world.object("StatefulSet", "rec").expect("stored")["metadata"]["generation"],
        1
    );
}

#[tokio::test]
async fn statefulset_mutable_fields_change_and_bump_the_generation_once_per_change() {
    let world = World::new();
    let created = apply(&world, "StatefulSet", statefulset("rec", 3, "10Gi", "redis:7"))
        .await
        .expect("created");
    assert_eq!(created["metadata"]["generation"], 1);
    // The API server's defaults are stored.
    assert_eq!(created["spec"]["podManagementPolicy"], "OrderedReady");
    assert_eq!(
        created["spec"]["updateStrategy"],
        json!({ "type": "RollingUpdate", "rollingUpdate": { "partition": 0 } })
    );
    assert_eq!(
        created["spec"]["volumeClaimTemplates"][0]["spec"]["volumeMode"],
        "Filesystem"
    );

    let again = apply(&world, "StatefulSet", statefulset("rec", 3, "10Gi", "redis:7"))
        .await
        .expect("no-op");
    assert_eq!(
        again["metadata"]["resourceVersion"], created["metadata"]["resourceVersion"],
        "a no-op write stored"
    );
    let mut changed = statefulset("rec", 5, "10Gi", "redis:7.2");
    changed["spec"]["minReadySeconds"] = json!(10);
    let changed = apply(&world, "StatefulSet", changed)
        .await
        .expect("replicas, template, minReadySeconds");
    assert_eq!(
        (
            changed["metadata"]["generation"].as_i64(),
            changed["spec"]["replicas"].as_i64()
        ),
        (Some(2), Some(5))
    );

    // Switching to OnDelete must drop the defaulted rollingUpdate too, as on a real cluster.
    let on_delete = json!({ "spec": { "updateStrategy": { "type": "OnDelete" } } });
    let (code, _, message) = refusal(merge(&world, "StatefulSet", "rec", on_delete).await);
    assert_eq!(code, 422);
    assert_eq!(
        message,
        "StatefulSet.apps \"rec\" is invalid: spec.updateStrategy.rollingUpdate: Invalid value: {\"partition\":0}: \
         only allowed for updateStrategy 'RollingUpdate'"
    );
    let on_delete = json!({ "spec": { "updateStrategy": { "type": "OnDelete", "rollingUpdate": null } } });
    let switched = merge(&world, "StatefulSet", "rec", on_delete).await.expect("OnDelete");
    assert_eq!(switched["spec"]["updateStrategy"], json!({ "type": "OnDelete" }));
    assert_eq!(switched["metadata"]["generation"], 3);
}

#[tokio::test]
async fn a_statefulset_whose_selector_misses_its_template_is_refused() {
    let world = World::new();
    let mut set = statefulset("rec", 1, "1Gi", "redis:7");
    set["spec"]["template"]["metadata"]["labels"] = json!({ "app": "other" });
    let (code, reason, message) = refusal(create(&world, "StatefulSet", set).await);
    assert_eq!((code, reason.as_str()), (422, "Invalid"));
    assert!(
        message.ends_with("`selector` does not match template `labels`"),
        "{message}"
    );
    assert!(world.objects("StatefulSet").is_empty());
}

#[tokio::test]
async fn a_pod_template_with_what_no_template_may_hold_is_refused() {
    let world = World::new();
    let mut set = statefulset("rec", 1, "1Gi", "redis:7");
    set["spec"]["template"]["spec"]["ephemeralContainers"] = json!([{ "name": "debug", "image": "busybox" }]);
    set["spec"]["template"]["spec"]["restartPolicy"] = json!("OnFailure");
    set["spec"]["template"]["spec"]["activeDeadlineSeconds"] = json!(60);
    let (code, reason, message) = refusal(create(&world, "StatefulSet", set).await);
    assert_eq!((code, reason.as_str()), (422, "Invalid"));
    for part in [
        "spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template",
        "spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"",
        "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported",
    ] {
        assert!(message.contains(part), "{part} not in {message}");
    }
    assert!(world.objects("StatefulSet").is_empty());
    let mut set = statefulset("rec", 1, "1Gi", "redis:7");
    set["spec"]["template"]["spec"]["restartPolicy"] = json!("Always");
    create(&world, "StatefulSet", set)
        .await
        .expect("Always is the default, and accepted");
}

#[tokio::test]
async fn a_bound_claim_grows_but_never_shrinks_and_keeps_its_other_fields() {
    let mut world = World::new();
    create(&world, "PersistentVolumeClaim", claim("data", "10Gi"))
        .await
        .expect("created");
    // Unbound, its request is as immutable as the rest of its spec.
    let grow = json!({ "spec": { "resources": { "requests": { "storage": "20Gi" } } } });
    let (code, _, message) = refusal(merge(&world, "PersistentVolumeClaim", "data", grow.clone()).await);
    assert_eq!(code, 422);
    assert_eq!(
        message,
        format!(
            "PersistentVolumeClaim \"data\" is invalid: spec: Forbidden: {}",
            rules::CLAIM_IMMUTABLE
        )
    );
    world.sim.step().await.expect("the claim binds");
    assert_eq!(
        world.object("PersistentVolumeClaim", "data").expect("stored")["status"]["phase"],
        "Bound"
    );

    merge(&world, "PersistentVolumeClaim", "data", grow)
        .await
        .expect("a bound claim grows");
    world.sim.step().await.expect("resized");
    let grown = world.object("PersistentVolumeClaim", "data").expect("stored");
    assert_eq!(grown["status"]["capacity"]["storage"], "20Gi");

    let shrink = json!({ "spec": { "resources": { "requests": { "storage": "15Gi" } } } });
    let (code, reason, message) = refusal(merge(&world, "PersistentVolumeClaim", "data", shrink).await);
    assert_eq!(
        (code, reason.as_str(), message.as_str()),
        (
            422,
            "Invalid",
            "PersistentVolumeClaim \"data\" is invalid: spec.resources.requests.storage: Forbidden: field can not be \
             less than status.capacity"
        )
    );
    for (field, value) in [
        ("storageClassName", json!("fast")),
        ("accessModes", json!(["ReadWriteMany"])),
        ("volumeMode", json!("Block")),
    ] {
        let patch = json!({ "spec": { field: value } });
        let (code, _, message) = refusal(merge(&world, "PersistentVolumeClaim", "data", patch).await);
        assert_eq!(code, 422, "{field}");
        assert!(message.ends_with(rules::CLAIM_IMMUTABLE), "{field}: {message}");
    }
    assert_eq!(
        world.object("PersistentVolumeClaim", "data").as_ref(),
        Some(&grown),
        "a refused write changed the claim"
    );
}

#[tokio::test]
async fn without_recover_from_expansion_failure_any_decrease_is_refused() {
    let options = Options {
        recover_volume_expansion_failure: false,
    };
    let mut world = World::on(ApiServer::with_options(options), Default::default());
    create(&world, "PersistentVolumeClaim", claim("data", "10Gi"))
        .await
        .expect("created");
    world.sim.step().await.expect("bound");
    let grow = json!({ "spec": { "resources": { "requests": { "storage": "20Gi" } } } });
    world.sim.hold_claim("data");
    merge(&world, "PersistentVolumeClaim", "data", grow)
        .await
        .expect("grows");
    world.sim.step().await.expect("resize in progress");
    // Capacity is still 10Gi: with the gate on, 15Gi would be allowed (recovering from a failed expansion).
    let shrink = json!({ "spec": { "resources": { "requests": { "storage": "15Gi" } } } });
    let (code, _, message) = refusal(merge(&world, "PersistentVolumeClaim", "data", shrink).await);
    assert_eq!(code, 422);
    assert!(
        message.ends_with("spec.resources.requests.storage: Forbidden: field can not be less than previous value"),
        "{message}"
    );
}

#[tokio::test]
async fn a_write_based_on_a_stale_resource_version_is_a_conflict() {
    let world = World::new();
    let first = create(&world, "StatefulSet", statefulset("rec", 3, "1Gi", "redis:7"))
        .await
        .expect("created");
    let second = merge(&world, "StatefulSet", "rec", json!({ "spec": { "replicas": 4 } }))
        .await
        .expect("scaled");
    let want = (
        409,
        "Conflict".to_string(),
        "Operation cannot be fulfilled on statefulsets.apps \"rec\": the object has been modified; please apply \
         your changes to the latest version and try again"
            .to_string(),
    );
    let mut stale = first.clone();
    stale["spec"]["replicas"] = json!(5);
    assert_eq!(refusal(replace(&world, "StatefulSet", stale).await), want, "PUT");
    let old = first["metadata"]["resourceVersion"].clone();
    let patch = json!({ "metadata": { "resourceVersion": old }, "spec": { "replicas": 5 } });
    assert_eq!(
        refusal(merge(&world, "StatefulSet", "rec", patch).await),
        want,
        "merge patch"
    );
    let mut applied = statefulset("rec", 5, "1Gi", "redis:7");
    applied["metadata"]["resourceVersion"] = old.clone();
    assert_eq!(refusal(apply(&world, "StatefulSet", applied).await), want, "apply");
    assert_eq!(world.object("StatefulSet", "rec").as_ref(), Some(&second));

    let mut fresh = second.clone();
    fresh["spec"]["replicas"] = json!(5);
    replace(&world, "StatefulSet", fresh)
        .await
        .expect("a PUT on the latest version");

    let params = DeleteParams {
        preconditions: Some(Preconditions {
            uid: Some("not-its-uid".into()),
            resource_version: None,
        }),
        ..Default::default()
    };
    let (code, _, message) = refusal(delete(&world, "StatefulSet", "rec", &params).await);
    assert_eq!(code, 409);
    assert!(
        message.contains("Precondition failed: UID in precondition: not-its-uid"),
        "{message}"
    );
    assert!(world.object("StatefulSet", "rec").is_some());
}

#[tokio::test]
async fn creating_an_object_that_carries_a_resource_version_fails_as_in_etcd() {
    let world = World::new();
    let created = create(&world, "PersistentVolumeClaim", claim("data", "1Gi"))
        .await
        .expect("created");
    delete(&world, "PersistentVolumeClaim", "data", &DeleteParams::default())
        .await
        .expect("deleted");
    let (code, reason, message) = refusal(create(&world, "PersistentVolumeClaim", created).await);
    assert_eq!(
        (code, reason.as_str(), message.as_str()),
        (
            500,
            "InternalError",
            "Internal error occurred: resourceVersion should not be set on objects to be created"
        )
    );
    create(&world, "PersistentVolumeClaim", claim("other", "1Gi"))
        .await
        .expect("created");
    let (code, reason, _) = refusal(create(&world, "PersistentVolumeClaim", claim("other", "1Gi")).await);
    assert_eq!((code, reason.as_str()), (409, "AlreadyExists"));
}

#[tokio::test]
async fn deleting_an_owner_deletes_its_dependents_and_orphan_keeps_them_unowned() {
    let world = World::new();
    let set = rec_owning(&world, statefulset("rec", 2, "1Gi", "redis:7")).await;
    let set = create(&world, "StatefulSet", set).await.expect("StatefulSet");
    for name in ["rec-0", "rec-1"] {
        create(&world, "Pod", pod(name, Some(&set))).await.expect("pod");
    }
    create(&world, "PersistentVolumeClaim", claim("data-rec-0", "1Gi"))
        .await
        .expect("claim");

    delete(&world, "RedisEnterpriseCluster", "rec", &DeleteParams::default())
        .await
        .expect("deleted");
    assert!(
        world.objects("StatefulSet").is_empty() && world.objects("Pod").is_empty(),
        "dependents of dependents go too"
    );
    assert_eq!(
        names(&world, "PersistentVolumeClaim"),
        ["data-rec-0"],
        "claims from templates are not owned: they stay"
    );

    let set = create(&world, "StatefulSet", statefulset("rec", 2, "1Gi", "redis:7"))
        .await
        .expect("StatefulSet");
    for name in ["rec-0", "rec-1"] {
        create(&world, "Pod", pod(name, Some(&set))).await.expect("pod");
    }
    let before = world.pod_uids();
    delete(
        &world,
        "StatefulSet",
        "rec",
        &DeleteParams {
            propagation_policy: Some(PropagationPolicy::Orphan),
            ..Default::default()
        },
    )
    .await
    .expect("orphaned");
    assert!(world.objects("StatefulSet").is_empty());
    assert_eq!(world.pod_uids(), before, "orphaned pods stay");
    for pod in world.objects("Pod") {
        assert!(
            pod["metadata"].get("ownerReferences").is_none(),
            "an orphan keeps no reference: {pod:#}"
        );
    }
}

#[tokio::test]
async fn a_scheduled_pod_is_deleted_gracefully_and_finalizers_hold_a_deletion() {
    let world = World::new();
    let mut running = pod("rec-0", None);
    running["spec"]["nodeName"] = json!("node");
    create(&world, "Pod", running).await.expect("pod");
    delete(&world, "Pod", "rec-0", &DeleteParams::default())
        .await
        .expect("deleting");
    let terminating = world.object("Pod", "rec-0").expect("still there while it terminates");
    assert_eq!(terminating["metadata"]["deletionTimestamp"], "2025-01-01T00:00:30Z");
    delete(
        &world,
        "Pod",
        "rec-0",
        &DeleteParams {
            grace_period_seconds: Some(0),
            ..Default::default()
        },
    )
    .await
    .expect("gone");
    assert!(world.object("Pod", "rec-0").is_none());

    let mut rec = rec_operator::testing::rec("rec", rec_operator::testing::spec());
    rec["metadata"]["finalizers"] = json!(["redis.io/cleanup"]);
    let rec = create(&world, "RedisEnterpriseCluster", rec).await.expect("REC");
    let mut service = json!({ "apiVersion": "v1", "kind": "Service", "metadata": { "name": "rec" }, "spec": {} });
    service["metadata"]["ownerReferences"] = json!([owner_reference(&rec)]);
    create(&world, "Service", service).await.expect("service");
    delete(&world, "RedisEnterpriseCluster", "rec", &DeleteParams::default())
        .await
        .expect("deleting");
    let deleting = world
        .object("RedisEnterpriseCluster", "rec")
        .expect("held by its finalizer");
    assert_eq!(deleting["metadata"]["deletionTimestamp"], "2025-01-01T00:00:00Z");
    assert_eq!(deleting["metadata"]["generation"], 2);
    assert!(
        world.object("Service", "rec").is_some(),
        "dependents wait for the owner to go"
    );

    let more = json!({ "metadata": { "finalizers": ["redis.io/cleanup", "other"] } });
    let (code, _, message) = refusal(merge(&world, "RedisEnterpriseCluster", "rec", more).await);
    assert_eq!(code, 422);
    assert!(
        message.ends_with(
            "no new finalizers can be added if the object is being deleted, found new finalizers []string{\"other\"}"
        ),
        "{message}"
    );
    merge(
        &world,
        "RedisEnterpriseCluster",
        "rec",
        json!({ "metadata": { "finalizers": null } }),
    )
    .await
    .expect("finalized");
    assert!(world.object("RedisEnterpriseCluster", "rec").is_none() && world.object("Service", "rec").is_none());
}

#[tokio::test]
async fn pods_deployments_and_role_bindings_keep_their_immutable_fields() {
    let world = World::new();
    create(&world, "Pod", pod("p", None)).await.expect("pod");
    let image = json!({ "spec": { "containers": [{ "name": "redis", "image": "redis:8" }] } });
    strategic(&world, "Pod", "p", image).await.expect("an image may change");
    let before = world.object("Pod", "p").expect("stored");
    let env = json!({ "spec": { "containers": [{ "name": "redis", "env": [{ "name": "A", "value": "1" }] }] } });
    let (code, _, message) = refusal(strategic(&world, "Pod", "p", env).await);
    assert_eq!(
        (code, message),
        (
            422,
            format!("Pod \"p\" is invalid: spec: Forbidden: {}", rules::POD_IMMUTABLE)
        )
    );
    assert_eq!(world.object("Pod", "p"), Some(before));

    let deployment = json!({
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": { "name": "broker" },
        "spec": { "selector": { "matchLabels": { "app": "broker" } },
                  "template": { "metadata": { "labels": { "app": "broker", "v": "1" } }, "spec": { "containers": [] } } },
    });
    apply(&world, "Deployment", deployment).await.expect("deployment");
    let selector = json!({ "spec": { "selector": { "matchLabels": { "app": "broker", "v": "1" } } } });
    let (code, _, message) = refusal(merge(&world, "Deployment", "broker", selector).await);
    assert_eq!(code, 422);
    assert!(
        message.starts_with("Deployment.apps \"broker\" is invalid: spec.selector: Invalid value:")
            && message.ends_with("field is immutable"),
        "{message}"
    );

    let binding = json!({
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": { "name": "rec" },
        "roleRef": { "apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "rec" }, "subjects": [],
    });
    apply(&world, "RoleBinding", binding).await.expect("binding");
    let (code, _, message) =
        refusal(merge(&world, "RoleBinding", "rec", json!({ "roleRef": { "name": "other" } })).await);
    assert_eq!(code, 422);
    assert!(message.ends_with("cannot change roleRef"), "{message}");
}

#[tokio::test]
async fn status_and_spec_are_written_separately_and_dry_runs_store_nothing() {
    let world = World::new();
    let mut set = statefulset("rec", 3, "1Gi", "redis:7");
    set["status"] = json!({ "replicas": 99 });
    let created = create(&world, "StatefulSet", set).await.expect("created");
    assert!(created.get("status").is_none(), "a create does not set the status");
    let status = json!({ "status": { "replicas": 3 }, "spec": { "replicas": 7 } });
    let api = api(&world, "StatefulSet");
    api.patch_status("rec", &Default::default(), &kube::api::Patch::Merge(&status))
        .await
        .expect("status");
    let stored = world.object("StatefulSet", "rec").expect("stored");
    assert_eq!(
        (
            stored["status"]["replicas"].as_i64(),
            stored["spec"]["replicas"].as_i64()
        ),
        (Some(3), Some(3))
    );
    assert_eq!(
        stored["metadata"]["generation"], 1,
        "a status write is no new generation"
    );
    merge(&world, "StatefulSet", "rec", json!({ "status": { "replicas": 0 } }))
        .await
        .expect("main resource");
    assert_eq!(
        world.object("StatefulSet", "rec").expect("stored")["status"]["replicas"],
        3
    );

    let dry = kube::api::PatchParams {
        dry_run: true,
        ..Default::default()
    };
    let answer = api
        .patch(
            "rec",
            &dry,
            &kube::api::Patch::Merge(json!({ "spec": { "replicas": 9 } })),
        )
        .await
        .expect("dry run");
    assert_eq!(answer.data["spec"]["replicas"], 9);
    assert_eq!(
        world.object("StatefulSet", "rec").expect("stored")["spec"]["replicas"],
        3
    );
}

#[tokio::test]
async fn lists_select_by_label_and_answer_metadata_only_when_asked() {
    let world = World::new();
    create(&world, "Pod", pod("a", None)).await.expect("pod");
    let mut other = pod("b", None);
    other["metadata"]["labels"] = json!({ "app": "other" });
    create(&world, "Pod", other).await.expect("pod");
    let api = api(&world, "Pod");
    let selected = api
        .list(&ListParams::default().labels("app=redis,redis.io/cluster in (rec)"))
        .await
        .expect("list");
    assert_eq!(
        selected
            .items
            .iter()
            .map(|p| p.metadata.name.clone().unwrap_or_default())
            .collect::<Vec<_>>(),
        ["a"]
    );
    let metadata = api
        .list_metadata(&ListParams::default().fields("metadata.name=b"))
        .await
        .expect("list");
    assert_eq!(metadata.items.len(), 1);
    assert_eq!(metadata.items[0].metadata.name.as_deref(), Some("b"));
    let (code, _, _) = refusal(api.list(&ListParams::default().fields("spec.nodeName=x")).await);
    assert_eq!(code, 400, "an unsupported field selector is refused, not ignored");
}

/// Why the strict server exists: kube-fake-client (`testing::cluster`) answers a stale write with 409 too, but
/// stores a changed claim template and a shrunk claim that a real API server refuses.
#[tokio::test]
async fn the_lenient_fake_stores_what_the_strict_server_refuses() {
    use kube::api::{Api, DynamicObject, Patch, PatchParams, PostParams};
    let fake = rec_operator::testing::cluster(Default::default())
        .await
        .expect("the fake starts");
    let world = World::new();
    let sets: Api<DynamicObject> = Api::namespaced_with(
        fake.clone(),
        rec_operator::testing::NS,
        &kube::api::ApiResource::erase::<k8s_openapi::api::apps::v1::StatefulSet>(&()),
    );
    let object: DynamicObject = serde_json::from_value(statefulset("rec", 3, "10Gi", "redis:7")).expect("an object");
    let first = sets.create(&PostParams::default(), &object).await.expect("created");
    let bigger = json!({ "spec": statefulset("rec", 3, "20Gi", "redis:7")["spec"] });
    sets.patch("rec", &PatchParams::default(), &Patch::Merge(&bigger))
        .await
        .expect("the fake stores it");
    let stale = serde_json::to_value(&first).expect("JSON");
    let (code, _, _) = refusal(
        sets.replace(
            "rec",
            &PostParams::default(),
            &serde_json::from_value(stale).expect("object"),
        )
        .await,
    );
    assert_eq!(code, 409, "kube-fake-client checks resourceVersions too");

    apply(&world, "StatefulSet", statefulset("rec", 3, "10Gi", "redis:7"))
        .await
        .expect("created");
    assert_eq!(refusal(merge(&world, "StatefulSet", "rec", bigger).await).0, 422);
}
