//! Deletion, as the API server and the garbage collector carry it out together: an object with finalizers, or
//! a scheduled pod (which has a grace period), gets `metadata.deletionTimestamp` and stays until its finalizers
//! are gone (or the kubelet deletes the pod with grace 0); everything else goes at once. When an object goes,
//! its dependents (same namespace, `ownerReferences` naming its uid) lose that reference and are deleted in turn
//! unless an owner that still exists remains: background propagation, within the request (no collector delay).
//! `Foreground` is treated as `Background`; `Orphan` removes the reference from every dependent first.

use super::{DeleteOptions, Deleted, Key, Propagation, Store, finalizers, key};
use crate::testing::apiserver::errors::ApiError;
use crate::testing::apiserver::kinds::Resource;
use crate::testing::apiserver::object::{owner_references, str_at, terminating, time, uid};
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

impl Store {
    /// DELETE of one object.
    pub fn delete(
        &mut self,
        resource: &'static Resource,
        namespace: &str,
        name: &str,
        options: &DeleteOptions,
        now: Timestamp,
    ) -> Result<Deleted, ApiError> {
        let key = key(resource, namespace, name);
        let stored = self.get(resource, namespace, name)?;
        let checks = [
            ("UID", &options.uid, "/metadata/uid"),
            (
                "ResourceVersion",
                &options.resource_version,
                "/metadata/resourceVersion",
            ),
        ];
        for (what, expected, pointer) in checks {
            let actual = str_at(&stored, pointer).unwrap_or_default();
            if let Some(expected) = expected
                && expected != actual
            {
                return Err(ApiError::precondition(resource, name, what, expected, actual));
            }
        }
        if options.dry_run {
            return Ok(Deleted::Gone(stored));
        }
        if options.propagation == Propagation::Orphan {
            self.orphan(namespace, uid(&stored));
        }
        Ok(self.delete_found(key, options.grace_period_seconds, now))
    }

    fn delete_found(&mut self, key: Key, grace: Option<i64>, now: Timestamp) -> Deleted {
        let Some(stored) = self.objects.get(&key).cloned() else {
            return Deleted::Gone(Value::Null);
        };
        let grace = if key.resource.is("", "pods") && scheduled_and_running(&stored) {
            grace
                .or_else(|| {
                    stored
                        .pointer("/spec/terminationGracePeriodSeconds")
                        .and_then(Value::as_i64)
                })
                .unwrap_or(30)
        } else {
            0
        };
        if grace == 0 && finalizers(&stored).is_empty() {
            self.remove(&key, now);
            return Deleted::Gone(stored);
        }
        if terminating(&stored) {
            return Deleted::Pending(stored);
        }
        let mut new = stored;
        new["metadata"]["deletionTimestamp"] = time(now + SignedDuration::from_secs(grace));
        new["metadata"]["deletionGracePeriodSeconds"] = json!(grace);
        if key.resource.generation {
            let generation = new["metadata"]["generation"].as_i64().unwrap_or(1);
            new["metadata"]["generation"] = json!(generation + 1);
        }
        self.next_revision(&mut new, false);
        self.objects.insert(key, new.clone());
        Deleted::Pending(new)
    }

    /// Removes the object, then collects its dependents.
    pub(super) fn remove(&mut self, key: &Key, now: Timestamp) {
        let Some(gone) = self.objects.remove(key) else {
            return;
        };
        let owner = uid(&gone).to_string();
        self.applied.retain(|(uid, _), _| *uid != owner);
        let dependents: Vec<Key> = self
            .objects
            .iter()
            .filter(|(k, o)| k.namespace == key.namespace && owner_references(o).any(|r| uid_of(r) == owner))
            .map(|(k, _)| k.clone())
            .collect();
        for dependent in dependents {
            let Some(mut object) = self.objects.get(&dependent).cloned() else {
                continue;
            };
            drop_reference(&mut object, &owner);
            let solid = owner_references(&object).any(|r| self.exists(&key.namespace, uid_of(r)));
            if solid {
                self.next_revision(&mut object, false);
                self.objects.insert(dependent, object);
            } else {
                self.delete_found(dependent, None, now);
            }
        }
    }

    /// Removes every reference to `owner` from the objects of `namespace` (`propagationPolicy: Orphan`).
    fn orphan(&mut self, namespace: &str, owner: &str) {
        let dependents: Vec<Key> = self
            .objects
            .iter()
            .filter(|(k, o)| k.namespace == namespace && owner_references(o).any(|r| uid_of(r) == owner))
            .map(|(k, _)| k.clone())
            .collect();
        for dependent in dependents {
            if let Some(mut object) = self.objects.get(&dependent).cloned() {
                drop_reference(&mut object, owner);
                self.next_revision(&mut object, false);
                self.objects.insert(dependent, object);
            }
        }
    }

    fn exists(&self, namespace: &str, wanted: &str) -> bool {
        self.objects
            .iter()
            .any(|(k, o)| k.namespace == namespace && uid(o) == wanted)
    }
}

fn uid_of(reference: &Value) -> &str {
    str_at(reference, "/uid").unwrap_or_default()
}

fn drop_reference(object: &mut Value, owner: &str) {
    let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) else {
        return;
    };
    if let Some(references) = meta.get_mut("ownerReferences").and_then(Value::as_array_mut) {
        references.retain(|r| uid_of(r) != owner);
        if references.is_empty() {
            meta.remove("ownerReferences");
        }
    }
}

/// A pod on a node that has not finished: deleting it takes a grace period.
fn scheduled_and_running(pod: &Value) -> bool {
    str_at(pod, "/spec/nodeName").is_some_and(|n| !n.is_empty())
        && !matches!(str_at(pod, "/status/phase"), Some("Succeeded" | "Failed"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::apiserver::kinds::find;

    fn config_map(name: &str, owners: &[&Value]) -> Value {
        let references: Vec<Value> = owners
            .iter()
            .map(|o| json!({ "apiVersion": "v1", "kind": "ConfigMap", "name": o["metadata"]["name"], "uid": o["metadata"]["uid"] }))
            .collect();
        json!({ "metadata": { "name": name, "ownerReferences": references } })
    }

    #[test]
    fn a_dependent_with_another_live_owner_only_loses_the_reference() {
        let maps = find("", "v1", "configmaps").expect("served");
        let now = Timestamp::UNIX_EPOCH;
        let mut store = Store::default();
        let a = store
            .create(maps, "ns", json!({ "metadata": { "name": "a" } }), now, false)
            .expect("a");
        let b = store
            .create(maps, "ns", json!({ "metadata": { "name": "b" } }), now, false)
            .expect("b");
        store
            .create(maps, "ns", config_map("shared", &[&a, &b]), now, false)
            .expect("shared");
        store
            .create(maps, "ns", config_map("only-a", &[&a]), now, false)
            .expect("only-a");
        let foreground = DeleteOptions {
            propagation: Propagation::Foreground,
            ..Default::default()
        };
        store.delete(maps, "ns", "a", &foreground, now).expect("deleted");
        let shared = store.get(maps, "ns", "shared").expect("kept: b still owns it");
        let owners: Vec<&str> = owner_references(&shared).map(uid_of).collect();
        assert_eq!(owners, [uid(&b)]);
        assert!(store.get(maps, "ns", "only-a").is_err(), "its only owner is gone");
        assert!(matches!(
            store.delete(maps, "ns", "a", &DeleteOptions::default(), now),
            Err(ApiError { code: 404, .. })
        ));
    }

    #[test]
    fn only_a_scheduled_running_pod_takes_a_grace_period() {
        let pods = find("", "v1", "pods").expect("served");
        let now = Timestamp::UNIX_EPOCH;
        let mut store = Store::default();
        for (name, node) in [("bare", None), ("placed", Some("n"))] {
            let mut pod = json!({ "metadata": { "name": name }, "spec": { "terminationGracePeriodSeconds": 5 } });
            if let Some(node) = node {
                pod["spec"]["nodeName"] = json!(node);
            }
            store.create(pods, "ns", pod, now, false).expect("created");
        }
        let deleted = store.delete(pods, "ns", "bare", &DeleteOptions::default(), now);
        assert!(matches!(deleted, Ok(Deleted::Gone(_))));
        let Ok(Deleted::Pending(placed)) = store.delete(pods, "ns", "placed", &DeleteOptions::default(), now) else {
            panic!("a running pod terminates first");
        };
        assert_eq!(placed["metadata"]["deletionTimestamp"], "1970-01-01T00:00:05Z");
        let now_please = DeleteOptions {
            grace_period_seconds: Some(0),
            ..Default::default()
        };
        assert!(matches!(
            store.delete(pods, "ns", "placed", &now_please, now),
            Ok(Deleted::Gone(_))
        ));
    }
}
