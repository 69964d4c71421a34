//! Update-time rules (REC.md §3): what may not change between the old and the new object.
//!
//! Compares effective values (defaults applied: 3 nodes, persistence on, volume 5 x the memory request), since
//! that is what the running cluster has. Runs only when both objects parsed into the typed model.
//!
//! The volume size is judged only when the new spec sets `volumeSize`: without it the running cluster keeps the
//! size its claim template was created with (the plan pins it), so a memory change never resizes volumes.

use super::Violation;
use super::catalogue::*;
use super::rules::{node_memory, nodes, persistence_enabled, quoted};
use crate::api::CredentialSecretType;
use crate::quantity::{self, Milli};
use crate::{RecObject, RedisEnterpriseClusterSpec};

/// One update rule.
type UpdateFn = fn(&RecObject, &RecObject, &mut Vec<Violation>);

/// Every update rule, in catalogue order.
static UPDATE_RULES: &[UpdateFn] = &[
    nodes_decreased,
    storage_class_changed,
    persistence_turned_off,
    persistence_turned_on,
    volume_resized,
    vault_secret_renamed,
];

/// Runs every update rule on `old` -> `new`.
pub(crate) fn check(old: &RecObject, new: &RecObject) -> Vec<Violation> {
    let mut out = Vec::new();
    for rule in UPDATE_RULES {
        rule(old, new, &mut out);
    }
    out
}

fn nodes_decreased(old: &RecObject, new: &RecObject, out: &mut Vec<Violation>) {
    let (before, after) = (nodes(&old.spec), nodes(&new.spec));
    if after < before {
        out.push(NODES_DECREASED.at(
            "spec.nodes",
            format!("nodes went from {before} to {after}; scaling down is not supported: keep {before} or more"),
        ));
    }
}

fn storage_class_changed(old: &RecObject, new: &RecObject, out: &mut Vec<Violation>) {
    let class = |s: &RedisEnterpriseClusterSpec| s.persistent_spec.as_ref().and_then(|p| p.storage_class_name.clone());
    let (before, after) = (class(&old.spec), class(&new.spec));
    if before != after {
        let show = |c: &Option<String>| {
            c.as_deref()
                .map(quoted)
                .unwrap_or_else(|| "unset (cluster default)".into())
        };
        out.push(STORAGE_CLASS_CHANGED.at(
            "spec.persistentSpec.storageClassName",
            format!(
                "storageClassName changed from {} to {}; it is immutable: set it back",
                show(&before),
                show(&after)
            ),
        ));
    }
}

fn persistence_turned_off(old: &RecObject, new: &RecObject, out: &mut Vec<Violation>) {
    if persistence_enabled(&old.spec) && !persistence_enabled(&new.spec) {
        out.push(PERSISTENCE_TURNED_OFF.at(
            "spec.persistentSpec.enabled",
            "persistence was on and is now off; a running cluster cannot drop its volumes: set enabled back to true",
        ));
    }
}

fn persistence_turned_on(old: &RecObject, new: &RecObject, out: &mut Vec<Violation>) {
    if !persistence_enabled(&old.spec) && persistence_enabled(&new.spec) {
        out.push(PERSISTENCE_TURNED_ON.at(
            "spec.persistentSpec.enabled",
            "persistence was off and is now on; the nodes' StatefulSet cannot gain a volume claim template (the \
             API server refuses the change): keep it off, or create a new cluster with persistence and move the \
             databases to it",
        ));
    }
}

/// The node volume size in effect: the explicit size, else 5 x the memory request (`None` if it does not parse).
fn volume(spec: &RedisEnterpriseClusterSpec) -> Option<Milli> {
    match spec.persistent_spec.as_ref().and_then(|p| p.volume_size.as_ref()) {
        Some(q) => quantity::parse(&q.0).ok(),
        None => node_memory(spec).map(|(m, _, _)| Milli(m.0.saturating_mul(5))),
    }
}

/// `volume-shrunk` and `volume-grow-without-resize`.
fn volume_resized(old: &RecObject, new: &RecObject, out: &mut Vec<Violation>) {
    let explicit = new.spec.persistent_spec.as_ref().and_then(|p| p.volume_size.as_ref());
    if !(persistence_enabled(&old.spec) && persistence_enabled(&new.spec)) || explicit.is_none() {
        return;
    }
    let (Some(before), Some(after)) = (volume(&old.spec), volume(&new.spec)) else {
        return;
    };
    let show = |m: Milli| quantity::format(m, true);
    const PATH: &str = "spec.persistentSpec.volumeSize";
    if after < before {
        out.push(VOLUME_SHRUNK.at(
            PATH,
            format!(
                "volume size went from {} to {}; volumes never shrink: keep {} or more",
                show(before),
                show(after),
                show(before)
            ),
        ));
    } else if after > before {
        let resize = new
            .spec
            .persistent_spec
            .as_ref()
            .and_then(|p| p.enable_persistent_volume_resize)
            .unwrap_or(false);
        if !resize {
            out.push(VOLUME_GROW_WITHOUT_RESIZE.at(
                PATH,
                format!(
                    "volume size grew from {} to {} without `persistentSpec.enablePersistentVolumeResize: true`; set \
                     it to grow the volumes, or keep {}",
                    show(before),
                    show(after),
                    show(before)
                ),
            ));
        }
    }
}

fn vault_secret_renamed(old: &RecObject, new: &RecObject, out: &mut Vec<Violation>) {
    let vault = |r: &RecObject| r.spec.cluster_credential_secret_type == Some(CredentialSecretType::Vault);
    if !(vault(old) || vault(new)) {
        return;
    }
    let name = |r: &RecObject| {
        r.spec
            .cluster_credential_secret_name
            .clone()
            .or_else(|| r.metadata.name.clone())
    };
    let (before, after) = (name(old), name(new));
    if before != after {
        let show = |n: &Option<String>| n.as_deref().map(quoted).unwrap_or_else(|| "unset".into());
        out.push(VAULT_SECRET_RENAMED.at(
            "spec.clusterCredentialSecretName",
            format!(
                "with vault credentials the secret name may not change (from {} to {}); set it back",
                show(&before),
                show(&after)
            ),
        ));
    }
}
