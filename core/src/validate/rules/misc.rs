//! The remaining create-time rules: persistence switches, reserved annotations, the rigger's service types,
//! user-defined modules, OCSP ranges and allowed storage classes.

use super::super::catalogue::*;
use super::super::path::join;
use super::{Ctx, persistence_enabled, quoted};
use crate::RedisEnterpriseClusterSpec;
use crate::validate::Violation;
use std::collections::BTreeMap;

/// The annotation key the operator owns.
pub(crate) const RESERVED_ANNOTATION_KEY: &str = "redis.io/last-keys";
/// The service types the rigger knows.
pub(crate) const RIGGER_SERVICE_TYPES: [&str; 3] = ["cluster_ip", "headless", "load_balancer"];

/// Volume resize together with Redis on Flash.
pub(crate) fn resize_with_flash(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    let resize = ctx
        .spec
        .persistent_spec
        .as_ref()
        .and_then(|p| p.enable_persistent_volume_resize)
        .unwrap_or(false);
    let flash = ctx.spec.redis_on_flash_spec.as_ref().is_some_and(|f| f.enabled);
    if resize && flash {
        out.push(RESIZE_WITH_FLASH.at(
            "spec.persistentSpec.enablePersistentVolumeResize",
            "volume resize is not supported with Redis on Flash (`redisOnFlashSpec.enabled: true`); set \
             enablePersistentVolumeResize to false or disable redisOnFlashSpec",
        ));
    }
}

/// `uiServiceType: ExternalName`: the API server requires `externalName` on such a Service, the REC has no
/// field to give one, and an ExternalName Service selects no pods (it is a DNS alias), so the UI could not be
/// reached through it either. Refused rather than rendered into an object the API server rejects.
pub(crate) fn ui_service_external_name(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    if ctx.spec.ui_service_type == Some(crate::api::UiServiceType::ExternalName) {
        out.push(UI_SERVICE_EXTERNAL_NAME.at(
            "spec.uiServiceType",
            "uiServiceType ExternalName makes a DNS alias that selects no node and needs an `externalName` the REC \
             cannot give (the API server refuses such a Service); use ClusterIP, NodePort or LoadBalancer",
        ));
    }
}

/// Persistence off (warning).
pub(crate) fn persistence_disabled(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    if !persistence_enabled(ctx.spec) {
        out.push(PERSISTENCE_DISABLED.at(
            "spec.persistentSpec.enabled",
            "persistence is disabled: if the node pods are lost, the cluster cannot be recovered; set \
             `persistentSpec.enabled: true` for anything but throwaway clusters",
        ));
    }
}

/// Every annotation map of the spec, with its path: each becomes the annotations of some object.
pub(crate) fn annotation_maps(
    s: &RedisEnterpriseClusterSpec,
) -> [(&'static str, Option<&BTreeMap<String, String>>); 8] {
    [
        ("spec.podAnnotations", s.pod_annotations.as_ref()),
        (
            "spec.redisEnterprisePodAnnotations",
            s.redis_enterprise_pod_annotations.as_ref(),
        ),
        ("spec.uiAnnotations", s.ui_annotations.as_ref()),
        (
            "spec.services.servicesAnnotations",
            s.services.as_ref().and_then(|x| x.services_annotations.as_ref()),
        ),
        (
            "spec.servicesRiggerSpec.podAnnotations",
            s.services_rigger_spec.as_ref().and_then(|x| x.pod_annotations.as_ref()),
        ),
        (
            "spec.ingressOrRouteSpec.ingressAnnotations",
            s.ingress_or_route_spec
                .as_ref()
                .and_then(|x| x.ingress_annotations.as_ref()),
        ),
        (
            "spec.activeActive.ingressAnnotations",
            s.active_active.as_ref().and_then(|x| x.ingress_annotations.as_ref()),
        ),
        (
            "spec.ossClusterSettings.loadBalancer.serviceAnnotations",
            s.oss_cluster_settings
                .as_ref()
                .and_then(|x| x.load_balancer.as_ref())
                .and_then(|x| x.service_annotations.as_ref()),
        ),
    ]
}

/// `redis.io/last-keys` in any annotation map of the spec.
pub(crate) fn reserved_annotation(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    for (base, map) in annotation_maps(ctx.spec) {
        if map.is_some_and(|m| m.contains_key(RESERVED_ANNOTATION_KEY)) {
            out.push(RESERVED_ANNOTATION.at(
                join(base, RESERVED_ANNOTATION_KEY),
                format!("annotation key `{RESERVED_ANNOTATION_KEY}` is reserved for the operator; remove it"),
            ));
        }
    }
}

/// Unknown items in `servicesRiggerSpec.databaseServiceType`.
pub(crate) fn rigger_service_type(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    let Some(list) = ctx
        .spec
        .services_rigger_spec
        .as_ref()
        .and_then(|r| r.database_service_type.as_ref())
    else {
        return;
    };
    let bad: Vec<&str> = list
        .split(',')
        .map(str::trim)
        .filter(|item| !RIGGER_SERVICE_TYPES.contains(item))
        .collect();
    if !bad.is_empty() {
        let shown: Vec<String> = bad.iter().map(|b| quoted(b)).collect();
        out.push(RIGGER_SERVICE_TYPE.at(
            "spec.servicesRiggerSpec.databaseServiceType",
            format!(
                "databaseServiceType {} has unknown item(s) {}; write a comma list of {} (e.g. cluster_ip,headless)",
                quoted(list),
                shown.join(", "),
                RIGGER_SERVICE_TYPES.join(", ")
            ),
        ));
    }
}

/// Both or neither of `source.http` and `source.https`.
pub(crate) fn module_source(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    for (i, module) in ctx.spec.user_defined_modules.iter().flatten().enumerate() {
        let (http, https) = module
            .source
            .as_ref()
            .map(|s| (s.http.is_some(), s.https.is_some()))
            .unwrap_or_default();
        let problem = match (http, https) {
            (true, true) => "has both `http` and `https`; keep one",
            (false, false) => "has neither `http` nor `https`; set one with the module's URL",
            _ => continue,
        };
        out.push(MODULE_SOURCE.at(
            format!("spec.userDefinedModules[{i}].source"),
            format!("module source {problem}"),
        ));
    }
}

/// A module URL whose scheme does not match its source kind.
pub(crate) fn module_url_scheme(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    for (i, module) in ctx.spec.user_defined_modules.iter().flatten().enumerate() {
        let Some(source) = &module.source else { continue };
        for (kind, location) in [("http", &source.http), ("https", &source.https)] {
            let Some(location) = location else { continue };
            let scheme = format!("{kind}://");
            let ok = location
                .url
                .get(..scheme.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(&scheme));
            if !ok {
                out.push(MODULE_URL_SCHEME.at(
                    format!("spec.userDefinedModules[{i}].source.{kind}.url"),
                    format!(
                        "url {} is under `{kind}` but does not start with {scheme}; fix the URL or move it",
                        quoted(&location.url)
                    ),
                ));
            }
        }
    }
}

/// OCSP numbers outside their documented ranges.
pub(crate) fn ocsp_range(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    let Some(o) = &ctx.spec.ocsp_configuration else { return };
    let fields = [
        ("queryFrequency", o.query_frequency, 60, 86_400, "seconds"),
        ("recoveryFrequency", o.recovery_frequency, 60, 86_400, "seconds"),
        ("recoveryMaxTries", o.recovery_max_tries, 1, 100, "tries"),
        ("responseTimeout", o.response_timeout, 1, 60, "seconds"),
    ];
    for (name, value, min, max, unit) in fields {
        if let Some(v) = value
            && !(min..=max).contains(&v)
        {
            out.push(OCSP_RANGE.at(
                format!("spec.ocspConfiguration.{name}"),
                format!("{name} is {v}; it must be between {min} and {max} {unit}"),
            ));
        }
    }
}

/// A storage class not in the `allowedStorageClasses` option.
pub(crate) fn storage_class_not_allowed(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    let Some(allowed) = ctx.options.allowed_storage_classes else {
        return;
    };
    let s = ctx.spec;
    let classes = [
        (
            "spec.persistentSpec.storageClassName",
            s.persistent_spec.as_ref().and_then(|p| p.storage_class_name.as_ref()),
        ),
        (
            "spec.redisOnFlashSpec.storageClassName",
            s.redis_on_flash_spec.as_ref().map(|f| &f.storage_class_name),
        ),
        (
            "spec.serviceBrokerSpec.persistentSpec.storageClassName",
            s.service_broker_spec
                .as_ref()
                .and_then(|b| b.persistent_spec.as_ref())
                .and_then(|p| p.storage_class_name.as_ref()),
        ),
    ];
    for (path, class) in classes {
        if let Some(class) = class
            && !allowed.contains(class)
        {
            let list = if allowed.is_empty() {
                "none: leave it unset for the cluster default".into()
            } else {
                allowed.join(", ")
            };
            out.push(STORAGE_CLASS_NOT_ALLOWED.at(
                path,
                format!("storage class {} is not allowed here; allowed: {list}", quoted(class)),
            ));
        }
    }
}
