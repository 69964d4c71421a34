//! Which image tags a cluster runs, resolved once and kept: an unset `versionTag` means "the tag this cluster
//! runs", not "whatever the operator bundles today". Without that, upgrading the operator would silently upgrade
//! every cluster that leaves the tag unset. The operator's bundled tags are taken only by a new cluster, or by one
//! with `upgradeSpec.autoUpgradeRedisEnterprise: true` ("Enables automatic Redis Enterprise upgrades when the
//! operator is upgraded", the published CRD).
//!
//! What a cluster runs comes from the operator's record (`status.applied.versions`), or, when that is lost, from
//! the images of the observed StatefulSet.

use super::observed::Sts;
use crate::api::{RedisEnterpriseClusterSpec, ResolvedVersions};
use crate::defaults::Versions;
use std::cmp::Ordering;

/// The tags resolved for a render, and what they mean.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolution {
    /// The versions a render uses for unset tags.
    pub versions: Versions,
    /// The tags the cluster will run (explicit or resolved), to record.
    pub effective: ResolvedVersions,
    /// The tags it runs now, when it exists.
    pub running: Option<ResolvedVersions>,
    /// Said to the user when the cluster stays behind the operator's bundled version.
    pub note: Option<String>,
}

fn auto_upgrade(spec: &RedisEnterpriseClusterSpec) -> bool {
    spec.upgrade_spec
        .as_ref()
        .is_some_and(|u| u.auto_upgrade_redis_enterprise)
}

fn explicit(tag: Option<&String>) -> Option<String> {
    tag.filter(|t| !t.is_empty()).cloned()
}

/// The tag of an image reference (`repo:tag@sha256:...` -> `tag`).
pub fn image_tag(image: &str) -> Option<&str> {
    let without_digest = image.split('@').next().unwrap_or(image);
    let name = without_digest.rsplit('/').next().unwrap_or(without_digest);
    name.split_once(':').map(|(_, tag)| tag).filter(|t| !t.is_empty())
}

/// The tags of the node and bootstrapper containers of an observed StatefulSet.
fn observed_tags(sts: &Sts) -> Option<ResolvedVersions> {
    let containers = sts.template.pointer("/spec/containers")?.as_array()?;
    let tag = |name: &str| {
        containers
            .iter()
            .find(|c| c.get("name").and_then(|n| n.as_str()) == Some(name))
            .and_then(|c| c.get("image")?.as_str())
            .and_then(image_tag)
            .map(str::to_string)
    };
    Some(ResolvedVersions {
        redis_enterprise: tag(crate::render::NODE_CONTAINER)?,
        operator: tag(crate::render::BOOTSTRAPPER_CONTAINER)?,
    })
}

/// Resolves the tags of `spec`, given the operator's bundled `versions`, the record and the observed set.
pub fn resolve(
    spec: &RedisEnterpriseClusterSpec,
    bundled: &Versions,
    recorded: Option<&ResolvedVersions>,
    observed: Option<&Sts>,
) -> Resolution {
    let running = recorded.cloned().or_else(|| observed.and_then(observed_tags));
    let follow_operator = running.is_none() || auto_upgrade(spec);
    let default_redis = match (&running, follow_operator) {
        (Some(r), false) => r.redis_enterprise.clone(),
        _ => bundled.redis_enterprise_tag.clone(),
    };
    let default_operator = match (&running, follow_operator) {
        (Some(r), false) => r.operator.clone(),
        _ => bundled.operator_tag.clone(),
    };
    let node_tag = explicit(
        spec.redis_enterprise_image_spec
            .as_ref()
            .and_then(|i| i.version_tag.as_ref()),
    );
    let bootstrapper_tag = explicit(
        spec.bootstrapper_image_spec
            .as_ref()
            .and_then(|i| i.version_tag.as_ref()),
    );
    let note = (!follow_operator && node_tag.is_none() && default_redis != bundled.redis_enterprise_tag).then(|| {
        format!(
            "stays on Redis Enterprise {default_redis}: this operator bundles {}, and \
             upgradeSpec.autoUpgradeRedisEnterprise is not true; set it, or redisEnterpriseImageSpec.versionTag, to \
             upgrade",
            bundled.redis_enterprise_tag
        )
    });
    Resolution {
        effective: ResolvedVersions {
            redis_enterprise: node_tag.unwrap_or_else(|| default_redis.clone()),
            operator: bootstrapper_tag.unwrap_or_else(|| default_operator.clone()),
        },
        versions: Versions {
            operator_name: bundled.operator_name.clone(),
            operator_tag: default_operator,
            redis_enterprise_tag: default_redis,
        },
        running,
        note,
    }
}

/// Compares two version tags by their numbers (`8.0.20-44` < `8.0.22-1`); `None` when either has none or they
/// differ in shape (a tag like `latest` cannot be ordered).
pub fn compare(a: &str, b: &str) -> Option<Ordering> {
    let numbers = |t: &str| -> Option<Vec<u64>> {
        let parts: Vec<u64> = t
            .split(|c: char| !c.is_ascii_digit())
            .filter(|p| !p.is_empty())
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        (!parts.is_empty()).then_some(parts)
    };
    let (a, b) = (numbers(a)?, numbers(b)?);
    (a.len() == b.len()).then(|| a.cmp(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{ImageSpec, UpgradeSpec};

    fn bundled(redis: &str) -> Versions {
        Versions {
            redis_enterprise_tag: redis.into(),
            operator_tag: "op-2".into(),
            ..Versions::default()
        }
    }

    fn recorded(redis: &str) -> ResolvedVersions {
        ResolvedVersions {
            redis_enterprise: redis.into(),
            operator: "op-1".into(),
        }
    }

    #[test]
    fn a_new_cluster_takes_the_bundled_tags() {
        let r = resolve(&Default::default(), &bundled("8.0.22-1"), None, None);
        assert_eq!(
            r.effective,
            ResolvedVersions {
                redis_enterprise: "8.0.22-1".into(),
                operator: "op-2".into()
            }
        );
        assert_eq!((r.running, r.note), (None, None));
    }

    #[test]
    fn a_running_cluster_keeps_its_tags_after_an_operator_upgrade() {
        let r = resolve(
            &Default::default(),
            &bundled("8.0.22-1"),
            Some(&recorded("8.0.20-44")),
            None,
        );
        assert_eq!(r.effective, recorded("8.0.20-44"));
        assert_eq!(r.versions.redis_enterprise_tag, "8.0.20-44");
        assert!(
            r.note.as_deref().is_some_and(|n| n.contains("8.0.22-1")),
            "{:?}",
            r.note
        );
    }

    #[test]
    fn auto_upgrade_or_an_explicit_tag_moves_it() {
        let auto = RedisEnterpriseClusterSpec {
            upgrade_spec: Some(UpgradeSpec {
                auto_upgrade_redis_enterprise: true,
            }),
            ..Default::default()
        };
        let r = resolve(&auto, &bundled("8.0.22-1"), Some(&recorded("8.0.20-44")), None);
        assert_eq!(r.effective.redis_enterprise, "8.0.22-1");
        assert_eq!(r.effective.operator, "op-2");
        let pinned = RedisEnterpriseClusterSpec {
            redis_enterprise_image_spec: Some(ImageSpec {
                version_tag: Some("8.0.24-3".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        let r = resolve(&pinned, &bundled("8.0.22-1"), Some(&recorded("8.0.20-44")), None);
        assert_eq!(r.effective.redis_enterprise, "8.0.24-3");
        assert_eq!(r.note, None);
    }

    #[test]
    fn without_a_record_the_observed_images_say_what_runs() {
        let sts = Sts {
            template: serde_json::json!({"spec": {"containers": [
                {"name": "redis-enterprise-node", "image": "registry:5000/redislabs/redis:7.22.0-216@sha256:ab"},
                {"name": "bootstrapper", "image": "redislabs/operator:7.22.0-7"}]}}),
            ..Default::default()
        };
        let r = resolve(&Default::default(), &bundled("8.0.22-1"), None, Some(&sts));
        assert_eq!(
            r.effective,
            ResolvedVersions {
                redis_enterprise: "7.22.0-216".into(),
                operator: "7.22.0-7".into()
            }
        );
    }

    #[test]
    fn tags_compare_by_their_numbers() {
        assert_eq!(compare("8.0.20-44", "8.0.22-1"), Some(Ordering::Less));
        assert_eq!(compare("8.0.20-100", "8.0.20-44"), Some(Ordering::Greater));
        assert_eq!(compare("8.0.20-44", "8.0.20-44"), Some(Ordering::Equal));
        assert_eq!(compare("latest", "8.0.20-44"), None);
        assert_eq!(compare("8.0", "8.0.20-44"), None);
        assert_eq!(image_tag("localhost:5000/r/redis"), None);
        assert_eq!(image_tag("redis:7@sha256:x"), Some("7"));
    }
}
