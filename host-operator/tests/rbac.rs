//! The operator's RBAC (`deploy/clusterrole.yaml`, `deploy/leader-election-role.yaml`) covers exactly what it does:
//! every verb on every owned kind it applies, watches and prunes, and every permission of the Role it renders for
//! the node pods (Kubernetes only lets it grant what it holds itself). Secrets stay create-only.

mod common;

use common::*;
use rec_operator::owned::{KINDS, Kind};
use serde_json::Value;

fn manifest(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../deploy")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("deploy manifest");
    let parsed = engine().parse_yaml(&text).expect("the core parses it");
    parsed["value"].clone()
}

/// Whether `rules` grant `verb` on `group`/`resource`.
fn grants(rules: &Value, group: &str, resource: &str, verb: &str) -> bool {
    let has = |list: &Value, item: &str| list.as_array().is_some_and(|l| l.iter().any(|v| v == item || v == "*"));
    rules.as_array().is_some_and(|rules| {
        rules
            .iter()
            .any(|r| has(&r["apiGroups"], group) && has(&r["resources"], resource) && has(&r["verbs"], verb))
    })
}

#[test]
fn the_cluster_role_covers_every_owned_kind_the_rec_and_the_redb() {
    let rules = manifest("clusterrole.yaml")["rules"].clone();
    for kind in &KINDS {
        let group = kind.api_version.rsplit_once('/').map_or("", |(g, _)| g);
        let mut verbs = vec!["get", "list", "watch", "create"];
        if kind.kind != Kind::Secret {
            verbs.extend(["patch"]);
        }
        if kind.prune {
            verbs.push("delete");
        } else {
            assert!(
                !grants(&rules, group, kind.plural, "delete"),
                "{group}/{} is never pruned, so the operator must not hold delete on it",
                kind.plural
            );
        }
        for verb in verbs {
            assert!(
                grants(&rules, group, kind.plural, verb),
                "{verb} {group}/{} is not granted",
                kind.plural
            );
        }
    }
    // Server-side apply and merge patches: the operator never replaces an object. Only Services keep `update`,
    // because the Role rendered for the node pods grants it.
    for kind in KINDS.iter().filter(|k| k.kind != Kind::Service) {
        let group = kind.api_version.rsplit_once('/').map_or("", |(g, _)| g);
        assert!(
            !grants(&rules, group, kind.plural, "update"),
            "update {group}/{} is not needed",
            kind.plural
        );
    }
    assert!(!grants(
        &rules,
        "app.redislabs.com",
        "redisenterpriseclusters/status",
        "update"
    ));
    for verb in ["update", "patch", "delete"] {
        assert!(
            !grants(&rules, "", "secrets", verb),
            "secrets must never be {verb}d by the operator"
        );
    }
    for verb in ["get", "list", "watch"] {
        assert!(grants(&rules, "app.redislabs.com", "redisenterpriseclusters", verb));
    }
    assert!(
        !grants(&rules, "app.redislabs.com", "redisenterpriseclusters", "update"),
        "the spec is the user's"
    );
    assert!(grants(
        &rules,
        "app.redislabs.com",
        "redisenterpriseclusters/status",
        "patch"
    ));
    assert!(grants(&rules, "events.k8s.io", "events", "create") && grants(&rules, "events.k8s.io", "events", "patch"));
    // REDBs: watched and validated, only their status written (merge patch); no database is created or deleted.
    for verb in ["get", "list", "watch"] {
        assert!(grants(&rules, "app.redislabs.com", "redisenterprisedatabases", verb));
    }
    assert!(grants(
        &rules,
        "app.redislabs.com",
        "redisenterprisedatabases/status",
        "patch"
    ));
    for verb in ["create", "update", "patch", "delete"] {
        assert!(
            !grants(&rules, "app.redislabs.com", "redisenterprisedatabases", verb),
            "{verb} on REDBs: the spec is the user's"
        );
    }
    let leader = manifest("leader-election-role.yaml")["rules"].clone();
    for verb in ["get", "create", "update"] {
        assert!(grants(&leader, "coordination.k8s.io", "leases", verb));
    }
}

#[test]
fn the_cluster_role_holds_every_permission_of_the_rendered_role() {
    let rules = manifest("clusterrole.yaml")["rules"].clone();
    let mut object = rec("rec", spec());
    object["metadata"]["uid"] = "0b4a5e7e-0000-4000-8000-000000000001".into();
    let role = rendered(&object)
        .into_iter()
        .find(|o| o["kind"] == "Role")
        .expect("a Role is rendered");
    let mut checked = 0;
    for rule in role["rules"].as_array().expect("rules") {
        for group in rule["apiGroups"].as_array().expect("apiGroups") {
            for resource in rule["resources"].as_array().expect("resources") {
                for verb in rule["verbs"].as_array().expect("verbs") {
                    let (g, r, v) = (
                        group.as_str().unwrap_or(""),
                        resource.as_str().unwrap_or(""),
                        verb.as_str().unwrap_or(""),
                    );
                    assert!(
                        grants(&rules, g, r, v),
                        "the rendered Role grants {v} {g}/{r}; the operator does not hold it"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 10, "only {checked} permissions checked");
}
