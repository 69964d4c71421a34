//! Access rules: the license source and external access (ingress, route, legacy Active-Active).

use super::super::catalogue::{INGRESS_CLASS_MISSING, INGRESS_CONFLICT, LICENSE_CONFLICT};
use super::Ctx;
use crate::api::{ActiveActiveMethod, IngressMethod};
use crate::validate::Violation;
use std::collections::BTreeMap;

/// The annotation an ingress needs to pick its controller.
pub(crate) const INGRESS_CLASS: &str = "kubernetes.io/ingress.class";

/// `license` and `licenseSecretName` both set.
pub(crate) fn license_conflict(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    if ctx.spec.license.is_some() && ctx.spec.license_secret_name.is_some() {
        out.push(LICENSE_CONFLICT.at(
            "spec.licenseSecretName",
            "both `license` and `licenseSecretName` are set; keep one (the secret is preferred: its key `license` \
             holds the text)",
        ));
    }
}

/// `ingressOrRouteSpec` and `activeActive` both set.
pub(crate) fn ingress_conflict(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    if ctx.spec.ingress_or_route_spec.is_some() && ctx.spec.active_active.is_some() {
        out.push(INGRESS_CONFLICT.at(
            "spec.activeActive",
            "both `ingressOrRouteSpec` and `activeActive` are set; keep `ingressOrRouteSpec` (activeActive is legacy)",
        ));
    }
}

/// Method `ingress` without the ingress class annotation.
pub(crate) fn ingress_class_missing(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    type Annotations = Option<BTreeMap<String, String>>;
    let blocks: [(&str, Option<&Annotations>); 2] = [
        (
            "spec.ingressOrRouteSpec",
            ctx.spec
                .ingress_or_route_spec
                .as_ref()
                .filter(|i| i.method == IngressMethod::Ingress)
                .map(|i| &i.ingress_annotations),
        ),
        (
            "spec.activeActive",
            ctx.spec
                .active_active
                .as_ref()
                .filter(|a| a.method == ActiveActiveMethod::Ingress)
                .map(|a| &a.ingress_annotations),
        ),
    ];
    for (base, annotations) in blocks {
        if let Some(annotations) = annotations
            && !annotations.as_ref().is_some_and(|a| a.contains_key(INGRESS_CLASS))
        {
            out.push(INGRESS_CLASS_MISSING.at(
                format!("{base}.ingressAnnotations"),
                format!(
                    "method is `ingress` but `ingressAnnotations` has no `{INGRESS_CLASS}`; add it with your ingress \
                     controller's class (e.g. nginx)"
                ),
            ));
        }
    }
}
