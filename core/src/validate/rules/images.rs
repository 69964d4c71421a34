//! Image rules: digests need tags, digests exclude auto-upgrade, allowed registries, and tags that should follow
//! the operator's.

use super::super::catalogue::{
    DIGEST_WITH_AUTO_UPGRADE, DIGEST_WITHOUT_TAG, IMAGE_REGISTRY_NOT_ALLOWED, IMAGE_TAG_MISMATCH,
};
use super::{Ctx, quoted};
use crate::api::ImageSpec;
use crate::validate::Violation;

/// The image specs of the spec: (path, spec, default repository when unset).
fn image_specs<'a>(ctx: &Ctx<'a>) -> Vec<(&'static str, Option<&'a ImageSpec>, Option<&'static str>)> {
    let s = ctx.spec;
    vec![
        (
            "spec.redisEnterpriseImageSpec",
            s.redis_enterprise_image_spec.as_ref(),
            Some("redislabs/redis"),
        ),
        (
            "spec.redisEnterpriseServicesRiggerImageSpec",
            s.redis_enterprise_services_rigger_image_spec.as_ref(),
            Some("redislabs/k8s-controller"),
        ),
        (
            "spec.bootstrapperImageSpec",
            s.bootstrapper_image_spec.as_ref(),
            Some("redislabs/operator"),
        ),
        (
            "spec.usageMeter.callHomeClient.imageSpec",
            s.usage_meter
                .as_ref()
                .and_then(|u| u.call_home_client.as_ref())
                .and_then(|c| c.image_spec.as_ref()),
            None,
        ),
    ]
}

/// `digestHash` without `versionTag`.
pub(crate) fn digest_without_tag(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    for (base, spec, _) in image_specs(ctx) {
        if let Some(spec) = spec
            && spec.digest_hash.is_some()
            && spec.version_tag.as_deref().is_none_or(str::is_empty)
        {
            out.push(DIGEST_WITHOUT_TAG.at(
                format!("{base}.versionTag"),
                "`digestHash` is set without `versionTag`; add the tag the digest belongs to (e.g. 8.0.20-44)",
            ));
        }
    }
}

/// A node image digest while Redis Enterprise upgrades itself.
pub(crate) fn digest_with_auto_upgrade(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    let auto = ctx
        .spec
        .upgrade_spec
        .as_ref()
        .is_some_and(|u| u.auto_upgrade_redis_enterprise);
    let digest = ctx
        .spec
        .redis_enterprise_image_spec
        .as_ref()
        .and_then(|i| i.digest_hash.as_ref());
    if auto && digest.is_some() {
        out.push(DIGEST_WITH_AUTO_UPGRADE.at(
            "spec.redisEnterpriseImageSpec.digestHash",
            "`digestHash` pins the image while `upgradeSpec.autoUpgradeRedisEnterprise` is true; remove the digest \
             or turn auto-upgrade off",
        ));
    }
}

/// The registry host of an image reference (`docker.io` when the first part is not a host).
pub(crate) fn registry_of(image: &str) -> &str {
    match image.split_once('/') {
        Some((first, _)) if first.contains(['.', ':']) || first == "localhost" => first,
        _ => "docker.io",
    }
}

/// The image reference with its registry host always written.
fn qualified(image: &str) -> String {
    match image.split_once('/') {
        Some((first, _)) if first.contains(['.', ':']) || first == "localhost" => image.to_string(),
        _ => format!("docker.io/{image}"),
    }
}

/// Whether `image` comes from one of `allowed` (hosts or host/path prefixes).
pub(crate) fn registry_allowed(image: &str, allowed: &[String]) -> bool {
    let full = qualified(image);
    let host = registry_of(image);
    allowed.iter().any(|a| {
        let a = a
            .strip_prefix("index.docker.io")
            .map(|rest| format!("docker.io{rest}"))
            .unwrap_or_else(|| a.clone());
        host == a || full.starts_with(&format!("{a}/"))
    })
}

/// An image not from an allowed registry (only with the `allowedImageRegistries` option).
pub(crate) fn image_registry_not_allowed(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    let Some(allowed) = ctx.options.allowed_image_registries else {
        return;
    };
    let mut images: Vec<(String, String, bool)> = Vec::new();
    for (base, spec, default) in image_specs(ctx) {
        match (spec.and_then(|s| s.repository.as_ref()), default) {
            (Some(repo), _) => images.push((format!("{base}.repository"), repo.clone(), false)),
            (None, Some(default)) => images.push((format!("{base}.repository"), default.to_string(), true)),
            (None, None) => {}
        }
    }
    for (i, c) in ctx.spec.side_containers_spec.iter().flatten().enumerate() {
        if let Some(image) = c.image() {
            images.push((format!("spec.sideContainersSpec[{i}].image"), image.to_string(), false));
        }
    }
    for (path, image, defaulted) in images {
        if !registry_allowed(&image, allowed) {
            let what = if defaulted {
                format!("the default image {}", quoted(&image))
            } else {
                quoted(&image)
            };
            out.push(IMAGE_REGISTRY_NOT_ALLOWED.at(
                &path,
                format!(
                    "{what} comes from {}, which is not an allowed registry ({}); use an image from one of them",
                    registry_of(&image),
                    allowed.join(", ")
                ),
            ));
        }
    }
}

/// Rigger or bootstrapper tag different from the operator's.
pub(crate) fn image_tag_mismatch(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    let operator = ctx.options.operator_tag;
    let specs = [
        (
            "spec.redisEnterpriseServicesRiggerImageSpec",
            ctx.spec.redis_enterprise_services_rigger_image_spec.as_ref(),
        ),
        ("spec.bootstrapperImageSpec", ctx.spec.bootstrapper_image_spec.as_ref()),
    ];
    for (base, spec) in specs {
        if let Some(tag) = spec.and_then(|s| s.version_tag.as_ref())
            && tag != operator
        {
            out.push(IMAGE_TAG_MISMATCH.at(
                format!("{base}.versionTag"),
                format!(
                    "versionTag {} differs from the operator's tag {}; these images ship with the operator, so \
                     remove the tag or set {}",
                    quoted(tag),
                    quoted(operator),
                    quoted(operator)
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_registries() {
        assert_eq!(registry_of("redislabs/redis"), "docker.io");
        assert_eq!(registry_of("redis"), "docker.io");
        assert_eq!(registry_of("quay.io/redislabs/redis"), "quay.io");
        assert_eq!(registry_of("localhost:5000/x"), "localhost:5000");
        let allowed = vec!["docker.io".to_string(), "registry.example.com/redislabs".to_string()];
        assert!(registry_allowed("redislabs/redis", &allowed));
        assert!(registry_allowed("registry.example.com/redislabs/redis", &allowed));
        assert!(!registry_allowed("registry.example.com/other/redis", &allowed));
        assert!(!registry_allowed("quay.io/redislabs/redis", &allowed));
    }
}
