//! Name rules: DNS-1123 names of the REC and of the secrets and service account it refers to, and the length
//! limits that the names of rendered objects and ingress host names impose.

use super::super::catalogue::{NAME_DNS1123, NAME_TOO_LONG, NAME_TOO_LONG_FOR_INGRESS};
use super::{Ctx, pod_attributes, quoted};
use crate::api::CredentialSecretType;
use crate::validate::Violation;

/// The longest REC name: `<name>-services-broker` must stay a 63-character Service name.
pub(crate) const MAX_NAME: usize = 63 - "-services-broker".len();
/// The longest REC name with ingress/route: host names are built from it.
pub(crate) const MAX_NAME_WITH_INGRESS: usize = 20;

/// A DNS-1123 label: 1-63 of lowercase letters, digits and '-', starting and ending alphanumeric.
pub(crate) fn is_dns1123_label(s: &str) -> bool {
    let b = s.as_bytes();
    (1..=63).contains(&b.len())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

/// A DNS-1123 subdomain: at most 253 characters, dot-separated labels.
pub(crate) fn is_dns1123_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(is_dns1123_label)
}

/// `metadata.name` is a DNS-1035 label (a DNS-1123 label starting with a letter: Services carry it); the secret,
/// service account, storage class, priority class, runtime class and scheduler names are DNS-1123 subdomains, and
/// the user's container and volume names and a pod's `hostname` and `subdomain` DNS-1123 labels, as the API
/// server requires of the objects they go into.
pub(crate) fn name_dns1123(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    if let Some(name) = &ctx.rec.metadata.name
        && !(is_dns1123_label(name) && name.starts_with(|c: char| c.is_ascii_lowercase()))
    {
        out.push(NAME_DNS1123.at(
            "metadata.name",
            format!(
                "name {} is not a DNS-1123 label starting with a letter: use 1-63 lowercase letters, digits and '-', \
                 starting with a letter and ending with a letter or digit (e.g. rec)",
                quoted(name)
            ),
        ));
    }
    let s = ctx.spec;
    let kubernetes_credentials = s.cluster_credential_secret_type != Some(CredentialSecretType::Vault);
    let mut names: Vec<(String, &str)> = Vec::new();
    let singles = [
        (
            "spec.clusterCredentialSecretName",
            s.cluster_credential_secret_name
                .as_ref()
                .filter(|_| kubernetes_credentials),
        ),
        // Under vault this is a Vault path (e.g. `secret/data/redis/license`), not a Kubernetes name.
        (
            "spec.licenseSecretName",
            s.license_secret_name.as_ref().filter(|_| kubernetes_credentials),
        ),
        ("spec.serviceAccountName", s.service_account_name.as_ref()),
        ("spec.vaultCASecret", s.vault_ca_secret.as_ref()),
    ];
    names.extend(
        singles
            .into_iter()
            .filter_map(|(p, n)| n.map(|n| (p.to_string(), n.as_str()))),
    );
    for (i, secret) in s.pull_secrets.iter().flatten().enumerate() {
        names.push((format!("spec.pullSecrets[{i}].name"), secret.name.as_str()));
    }
    // The class and scheduler names the pods and claims are rendered with (an empty one means none).
    let classes = [
        (
            "spec.persistentSpec.storageClassName",
            s.persistent_spec.as_ref().and_then(|p| p.storage_class_name.as_ref()),
        ),
        (
            "spec.serviceBrokerSpec.persistentSpec.storageClassName",
            s.service_broker_spec
                .as_ref()
                .and_then(|b| b.persistent_spec.as_ref())
                .and_then(|p| p.storage_class_name.as_ref()),
        ),
        ("spec.priorityClassName", s.priority_class_name.as_ref()),
    ];
    names.extend(
        classes
            .into_iter()
            .filter_map(|(p, n)| n.filter(|n| !n.is_empty()).map(|n| (p.to_string(), n.as_str()))),
    );
    // Container and volume names: DNS-1123 labels in every pod.
    let mut labels: Vec<(String, &str)> = Vec::new();
    for (i, c) in s.side_containers_spec.iter().flatten().enumerate() {
        labels.push((format!("spec.sideContainersSpec[{i}].name"), c.name()));
    }
    for (i, v) in s.volumes.iter().flatten().enumerate() {
        labels.push((format!("spec.volumes[{i}].name"), v.name()));
    }
    for (base, _, a) in pod_attributes(s) {
        for (i, c) in a.init_containers.iter().flatten().enumerate() {
            labels.push((format!("{base}.initContainers[{i}].name"), c.name()));
        }
        for (i, v) in a.volumes.iter().flatten().enumerate() {
            labels.push((format!("{base}.volumes[{i}].name"), v.name()));
        }
    }
    for (base, _, a) in pod_attributes(s) {
        let subdomains = [
            ("priorityClassName", &a.priority_class_name),
            ("runtimeClassName", &a.runtime_class_name),
            ("schedulerName", &a.scheduler_name),
            ("serviceAccountName", &a.service_account_name),
            ("serviceAccount", &a.service_account),
        ];
        for (field, name) in subdomains {
            if let Some(name) = name.as_deref().filter(|n| !n.is_empty()) {
                names.push((format!("{base}.{field}"), name));
            }
        }
        for (field, name) in [("hostname", &a.hostname), ("subdomain", &a.subdomain)] {
            if let Some(name) = name.as_deref().filter(|n| !n.is_empty()) {
                labels.push((format!("{base}.{field}"), name));
            }
        }
    }
    for (path, name) in names {
        if !is_dns1123_subdomain(name) {
            out.push(NAME_DNS1123.at(
                &path,
                format!(
                    "{} is not a DNS-1123 subdomain: use lowercase letters, digits, '-' and '.', each part starting \
                     and ending with a letter or digit, at most 253 characters",
                    quoted(name)
                ),
            ));
        }
    }
    for (path, name) in labels {
        if !is_dns1123_label(name) {
            out.push(NAME_DNS1123.at(
                &path,
                format!(
                    "{} is not a DNS-1123 label: use 1-63 lowercase letters, digits and '-', starting and ending \
                     with a letter or digit",
                    quoted(name)
                ),
            ));
        }
    }
}

/// `metadata.name` longer than [`MAX_NAME`].
pub(crate) fn name_too_long(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    if let Some(name) = &ctx.rec.metadata.name
        && name.chars().count() > MAX_NAME
    {
        out.push(NAME_TOO_LONG.at(
            "metadata.name",
            format!(
                "name {} has {} characters; at most {MAX_NAME} fit, as `<name>-services-broker` must be a \
                 63-character Service name",
                quoted(name),
                name.chars().count()
            ),
        ));
    }
}

/// `metadata.name` longer than 20 characters with ingress/route.
pub(crate) fn name_too_long_for_ingress(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    let with = if ctx.spec.ingress_or_route_spec.is_some() {
        "ingressOrRouteSpec"
    } else if ctx.spec.active_active.is_some() {
        "activeActive"
    } else {
        return;
    };
    if let Some(name) = &ctx.rec.metadata.name
        && name.chars().count() > MAX_NAME_WITH_INGRESS
    {
        out.push(NAME_TOO_LONG_FOR_INGRESS.at(
            "metadata.name",
            format!(
                "name {} has {} characters; with `{with}` at most {MAX_NAME_WITH_INGRESS} fit (host names built \
                 from it would pass 63); shorten the name",
                quoted(name),
                name.chars().count()
            ),
        ));
    }
}
