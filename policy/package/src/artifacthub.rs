//! `artifacthub-pkg.yml` from the policy's metadata, its version and its settings form, in the shape of
//! `kwctl scaffold artifacthub` (Artifact Hub's Kubewarden package format): every field comes from a
//! `metadata.yml` annotation, the version or `questions-ui.yml`, so the file cannot drift from them. The one
//! input that is not derived is `createdAt` (the release time), passed in.
//!
//! Differences from kwctl, on purpose: the provider is this project, not "kubewarden"; the `source` link is
//! `io.kubewarden.policy.source` and the `policy` download link is under `io.kubewarden.policy.url` (kwctl
//! derives both from `source`, which here is a folder of the repository); an `install` text is added.

use crate::metadata::{Metadata, Rule};
use serde::Serialize;
use std::collections::BTreeMap;

pub const PROVIDER: &str = "rec-operator";
pub const RECOMMENDATION: &str = "https://artifacthub.io/packages/helm/kubewarden/kubewarden-controller";

/// The comment the generated file starts with.
pub const HEADER: &str = "\
# Kubewarden Artifact Hub package of the RedisEnterpriseCluster policy.
#
# GENERATED from policy/metadata.yml, questions-ui.yml and the Cargo version by
#   cargo run -p rec-policy-package -- artifacthub
# (policy/README.md, \"Release\"); do not edit: policy/package/tests/package/artifacthub.rs fails
# when this file differs.
";

#[derive(Debug, thiserror::Error)]
pub enum ArtifactHubError {
    #[error("metadata.yml has no {0} annotation, which artifacthub-pkg.yml needs")]
    MissingAnnotation(&'static str),
    #[error("io.kubewarden.policy.author {0:?}: expected \"Name <email>\", comma separated")]
    Author(String),
    #[error("io.artifacthub.keywords {0:?}: an empty keyword")]
    Keywords(String),
    #[error("version {0:?} is not MAJOR.MINOR.PATCH")]
    Version(String),
    #[error("createdAt {0:?} is not an RFC 3339 UTC time (2026-11-29T04:00:00Z)")]
    CreatedAt(String),
    #[error("questions-ui.yml: {0}")]
    Questions(String),
    #[error("writing YAML: {0}")]
    Yaml(#[from] serde_yaml::Error),
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Package {
    version: String,
    name: String,
    display_name: String,
    created_at: String,
    description: String,
    license: String,
    #[serde(rename = "homeURL")]
    home_url: String,
    containers_images: Vec<NameImage>,
    keywords: Vec<String>,
    links: Vec<NameUrl>,
    install: String,
    maintainers: Vec<Maintainer>,
    provider: Name,
    recommendations: Vec<Url>,
    annotations: BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
struct NameImage {
    name: &'static str,
    image: String,
}
#[derive(Serialize)]
struct NameUrl {
    name: &'static str,
    url: String,
}
#[derive(Serialize)]
struct Maintainer {
    name: String,
    email: String,
}
#[derive(Serialize)]
struct Name {
    name: &'static str,
}
#[derive(Serialize)]
struct Url {
    url: &'static str,
}

/// The text of `artifacthub-pkg.yml`.
pub fn generate(
    metadata: &Metadata,
    version: &str,
    created_at: &str,
    questions_ui: &str,
) -> Result<String, ArtifactHubError> {
    check_version(version)?;
    check_created_at(created_at)?;
    let empty = BTreeMap::new();
    let annotations = metadata.annotations.as_ref().unwrap_or(&empty);
    let get = |key: &'static str| {
        annotations
            .get(key)
            .filter(|v| !v.trim().is_empty())
            .cloned()
            .ok_or(ArtifactHubError::MissingAnnotation(key))
    };
    let oci = get("io.kubewarden.policy.ociUrl")?;
    let home = get("io.kubewarden.policy.url")?;
    let image = format!("{oci}:v{version}");
    let keywords_text = get("io.artifacthub.keywords")?;
    let keywords: Vec<String> = keywords_text.split(',').map(|k| k.trim().to_string()).collect();
    if keywords.iter().any(String::is_empty) {
        return Err(ArtifactHubError::Keywords(keywords_text));
    }
    let package = Package {
        version: version.to_string(),
        name: get("io.kubewarden.policy.title")?,
        display_name: get("io.artifacthub.displayName")?,
        created_at: created_at.to_string(),
        description: get("io.kubewarden.policy.description")?,
        license: get("io.kubewarden.policy.license")?,
        home_url: home.clone(),
        containers_images: vec![NameImage {
            name: "policy",
            image: image.clone(),
        }],
        keywords,
        links: vec![
            NameUrl {
                name: "policy",
                url: format!("{home}/releases/download/v{version}/policy.wasm"),
            },
            NameUrl {
                name: "source",
                url: get("io.kubewarden.policy.source")?,
            },
        ],
        install: install_text(&image),
        maintainers: maintainers(&get("io.kubewarden.policy.author")?)?,
        provider: Name { name: PROVIDER },
        recommendations: vec![Url { url: RECOMMENDATION }],
        annotations: package_annotations(metadata, &get("io.artifacthub.resources")?, questions_ui)?,
    };
    Ok(format!("{HEADER}{}", serde_yaml::to_string(&package)?))
}

fn install_text(image: &str) -> String {
    format!(
        "The policy can be obtained using [`kwctl`](https://github.com/kubewarden/kwctl):\n\
         ```console\nkwctl pull {image}\n```\n\
         Then, generate the policy manifest and tune it to your liking. For example:\n\
         ```console\nkwctl scaffold manifest -t ClusterAdmissionPolicy registry://{image}\n```\n\
         A ready example is `deploy/policy/clusteradmissionpolicy.yaml` in the source repository; the Helm chart \
         `charts/rec-operator` installs it with `policy.enabled=true`.\n"
    )
}

/// `Name <email>, Other <email>` into Artifact Hub maintainers.
fn maintainers(author: &str) -> Result<Vec<Maintainer>, ArtifactHubError> {
    author
        .split(',')
        .map(|one| {
            let (name, rest) = one
                .split_once('<')
                .ok_or_else(|| ArtifactHubError::Author(author.into()))?;
            let email = rest
                .strip_suffix('>')
                .map(str::trim)
                .filter(|e| e.contains('@') && !e.contains(' '));
            match (name.trim(), email) {
                (name, Some(email)) if !name.is_empty() => Ok(Maintainer {
                    name: name.into(),
                    email: email.into(),
                }),
                _ => Err(ArtifactHubError::Author(author.into())),
            }
        })
        .collect()
}

/// Kubewarden's Artifact Hub annotations.
fn package_annotations(
    metadata: &Metadata,
    resources: &str,
    questions_ui: &str,
) -> Result<BTreeMap<&'static str, String>, ArtifactHubError> {
    let mut annotations = BTreeMap::new();
    annotations.insert("kubewarden/mutation", metadata.mutating.to_string());
    annotations.insert("kubewarden/resources", resources.to_string());
    annotations.insert("kubewarden/rules", serde_yaml::to_string::<Vec<Rule>>(&metadata.rules)?);
    annotations.insert("kubewarden/questions-ui", questions(questions_ui)?);
    if !metadata.context_aware_resources.is_empty() {
        annotations.insert(
            "kubewarden/contextAwareResources",
            serde_yaml::to_string(&metadata.context_aware_resources)?,
        );
    }
    Ok(annotations)
}

/// questions-ui.yml without its leading comment, checked to be a `questions:` list.
fn questions(text: &str) -> Result<String, ArtifactHubError> {
    let value: serde_yaml::Value =
        serde_yaml::from_str(text).map_err(|e| ArtifactHubError::Questions(e.to_string()))?;
    if !value.get("questions").is_some_and(serde_yaml::Value::is_sequence) {
        return Err(ArtifactHubError::Questions("no `questions:` list".into()));
    }
    let body: Vec<&str> = text
        .lines()
        .skip_while(|l| l.starts_with('#') || l.trim().is_empty())
        .collect();
    Ok(body.join("\n") + "\n")
}

fn check_version(version: &str) -> Result<(), ArtifactHubError> {
    let parts: Vec<&str> = version.split('.').collect();
    if parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        Ok(())
    } else {
        Err(ArtifactHubError::Version(version.into()))
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ`, the form kwctl writes in UTC.
fn check_created_at(at: &str) -> Result<(), ArtifactHubError> {
    let shape = "dddd-dd-ddTdd:dd:ddZ";
    let ok = at.len() == shape.len()
        && at
            .chars()
            .zip(shape.chars())
            .all(|(c, s)| if s == 'd' { c.is_ascii_digit() } else { c == s });
    if ok {
        Ok(())
    } else {
        Err(ArtifactHubError::CreatedAt(at.into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authors_versions_and_times_are_checked() {
        let m = maintainers("A B <a@example.com>, C <c@example.com>").unwrap();
        assert_eq!((m[1].name.as_str(), m[1].email.as_str()), ("C", "c@example.com"));
        for bad in ["A B", "A <not an email>", "<a@example.com>", "A <a@example.com"] {
            assert!(maintainers(bad).is_err(), "{bad}");
        }
        assert!(check_version("0.1.0").is_ok());
        for bad in ["0.1", "v0.1.0", "0.1.0-rc1", ""] {
            assert!(check_version(bad).is_err(), "{bad}");
        }
        assert!(check_created_at("2026-11-29T04:00:00Z").is_ok());
        for bad in ["2026-11-29", "2026-11-29T04:00:00+02:00", "now"] {
            assert!(check_created_at(bad).is_err(), "{bad}");
        }
        assert!(questions("# c\nquestions: []\n").is_ok());
        assert!(questions("# c\nfoo: 1\n").is_err());
    }
}
