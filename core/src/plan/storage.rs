//! The node volumes of a change: what the running claim template fixes (size, labels, class: immutable), whether
//! the volumes grow, and what is refused (persistence on or off, another class, a smaller size, growth without
//! `enablePersistentVolumeResize`).

use super::observed::ClaimTemplate;
use crate::RecObject;
use crate::api::AppliedState;
use crate::quantity::{self, Milli};
use crate::render::Pinned;
use crate::validate::catalogue::*;
use crate::validate::{Violation, rules};
use serde_json::Value;
use std::cmp::Ordering;

/// The node volumes: what the running claim template fixes, and whether they grow.
pub(super) struct Storage {
    pub pinned: Pinned,
    /// From and to, when the volumes grow.
    pub growth: Option<(Milli, Milli)>,
}

/// The claim template the record describes (a StatefulSet being re-created).
pub(super) fn recorded_claim(applied: Option<&AppliedState>) -> Option<ClaimTemplate> {
    applied?.volume_size.as_ref().map(|size| ClaimTemplate {
        size: Some(size.clone()),
        ..Default::default()
    })
}

/// The claim template a healthy cluster running `applied` has (for a plan without observations).
pub(super) fn predicted_claim(object: &Value, applied: &AppliedState) -> Option<ClaimTemplate> {
    let old = crate::validate::read_model(&super::old_object(object, &applied.spec)).ok()?;
    if !rules::persistence_enabled(&old.spec) {
        return None;
    }
    let explicit = old
        .spec
        .persistent_spec
        .as_ref()
        .and_then(|p| p.volume_size.clone())
        .map(|q| q.0);
    let derived =
        || rules::node_memory(&old.spec).map(|(m, _, _)| quantity::format(Milli(m.0.saturating_mul(5)), true));
    Some(ClaimTemplate {
        size: applied.volume_size.clone().or(explicit).or_else(derived),
        storage_class: old
            .spec
            .persistent_spec
            .as_ref()
            .and_then(|p| p.storage_class_name.clone()),
        labels: None,
    })
}

/// Judges the node volumes against the running claim template (`existing`: `None` for a new cluster,
/// `Some(None)` for a cluster without persistence). `pin`: a StatefulSet exists (observed or predicted) and keeps
/// its template until it is replaced.
pub(super) fn storage(
    rec: &RecObject,
    existing: Option<&Option<ClaimTemplate>>,
    pin: bool,
    refused: &mut Vec<Violation>,
) -> Storage {
    let mut out = Storage {
        pinned: Pinned::default(),
        growth: None,
    };
    let Some(existing) = existing else { return out };
    let persistent = rec.spec.persistent_spec.clone().unwrap_or_default();
    let wanted = rules::persistence_enabled(&rec.spec);
    let template = match (existing, wanted) {
        (None, false) => return out,
        (None, true) => {
            refused.push(PERSISTENCE_TURNED_ON.at(
                "spec.persistentSpec.enabled",
                "the cluster runs without persistence and persistence is now on; its StatefulSet cannot gain a \
                 volume claim template: keep it off, or create a new cluster and move the databases",
            ));
            return out;
        }
        (Some(_), false) => {
            refused.push(PERSISTENCE_TURNED_OFF.at(
                "spec.persistentSpec.enabled",
                "the cluster keeps its data on volumes and persistence is now off; a running cluster cannot drop \
                 its volumes: set enabled back to true",
            ));
            return out;
        }
        (Some(t), true) => t,
    };
    if let Some(class) = &persistent.storage_class_name
        && template.storage_class.as_deref() != Some(class.as_str())
    {
        refused.push(STORAGE_CLASS_CHANGED.at(
            "spec.persistentSpec.storageClassName",
            format!(
                "the node volumes are of storage class {} and the spec asks for {class:?}; the class of a claim \
                 template never changes: set it back",
                template.storage_class.as_deref().map_or("unset (the cluster default)".into(), |c| format!("{c:?}"))
            ),
        ));
    }
    let current = template.size.as_deref().and_then(|s| quantity::parse(s).ok());
    let asked = persistent.volume_size.as_ref().and_then(|q| quantity::parse(&q.0).ok());
    if let (Some(current), Some(asked)) = (current, asked) {
        let show = |m: Milli| quantity::format(m, true);
        const PATH: &str = "spec.persistentSpec.volumeSize";
        match asked.cmp(&current) {
            Ordering::Less => refused.push(VOLUME_SHRUNK.at(
                PATH,
                format!(
                    "the node volumes are {} and volumeSize is {}; volumes never shrink: keep {} or more",
                    show(current),
                    show(asked),
                    show(current)
                ),
            )),
            Ordering::Greater if !persistent.enable_persistent_volume_resize.unwrap_or(false) => {
                refused.push(VOLUME_GROW_WITHOUT_RESIZE.at(
                    PATH,
                    format!(
                        "the node volumes are {} and volumeSize is {} without `persistentSpec.\
                         enablePersistentVolumeResize: true`; set it to grow the volumes, or keep {}",
                        show(current),
                        show(asked),
                        show(current)
                    ),
                ))
            }
            Ordering::Greater => out.growth = Some((current, asked)),
            Ordering::Equal => {}
        }
    }
    if pin {
        out.pinned.volume_size = template
            .size
            .clone()
            .map(k8s_openapi::apimachinery::pkg::api::resource::Quantity);
        out.pinned.claim_labels = template.labels.clone();
    } else if out.growth.is_none() {
        out.pinned.volume_size = template
            .size
            .clone()
            .map(k8s_openapi::apimachinery::pkg::api::resource::Quantity);
    }
    out.pinned.storage_class_name = template.storage_class.clone();
    out
}
