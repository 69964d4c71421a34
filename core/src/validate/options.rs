//! The knobs an admission policy or an operator may set, as data, and their own check.
//!
//! `Options::check` says what is wrong with a set of options; `validate` reports the same problems as
//! `options-invalid` violations and falls back to the built-in default for each bad option, so a bad option never
//! makes a check silently pass.

use crate::quantity::{self, Milli};
use serde::{Deserialize, Serialize};

/// The built-in minimum node memory request: 4Gi.
pub const MIN_NODE_MEMORY: Milli = Milli(4 * (1 << 30) * 1000);

/// Knobs an admission policy or an operator may set. Data, validated by [`Options::check`].
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Options {
    /// Report every warning as an error.
    #[serde(default)]
    pub warnings_as_errors: bool,
    /// Raise the minimum node memory request (a quantity, at least 4Gi).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_node_memory: Option<String>,
    /// When set, every storage class the REC names must be in this list (an unset class, the cluster default, is
    /// allowed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_storage_classes: Option<Vec<String>>,
    /// When set, every image (set, or the default when unset) must come from one of these registries: a host
    /// (`docker.io`, `registry.example.com:5000`) or a host and path prefix (`registry.example.com/redislabs`).
    /// Images without a registry host are `docker.io` images.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_image_registries: Option<Vec<String>>,
    /// The operator's image tag, which the rigger and bootstrapper tags should match (default: the tag this core
    /// re-creates, `defaults::OPERATOR_TAG`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator_tag: Option<String>,
}

/// Options after their check: what the rules read.
#[derive(Debug, Clone)]
pub(crate) struct Effective<'a> {
    pub min_node_memory: Milli,
    pub allowed_storage_classes: Option<&'a [String]>,
    pub allowed_image_registries: Option<&'a [String]>,
    pub operator_tag: &'a str,
}

impl Options {
    /// Checks the options; each message names the option, the value seen and what would be right.
    pub fn check(&self) -> Result<(), Vec<String>> {
        let problems: Vec<String> = self
            .problems()
            .into_iter()
            .map(|(field, msg)| format!("{field}: {msg}"))
            .collect();
        if problems.is_empty() { Ok(()) } else { Err(problems) }
    }

    /// (option name, problem) for every bad option.
    pub(crate) fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(text) = &self.min_node_memory {
            match quantity::parse(text) {
                Err(e) => out.push((
                    "minNodeMemory",
                    format!("{text:?} is not a quantity: it {e} (e.g. 8Gi)"),
                )),
                Ok(m) if m < MIN_NODE_MEMORY => out.push((
                    "minNodeMemory",
                    format!("{text} is below the built-in minimum 4Gi; this option can only raise it"),
                )),
                Ok(_) => {}
            }
        }
        for (i, class) in self.allowed_storage_classes.iter().flatten().enumerate() {
            if !super::rules::names::is_dns1123_subdomain(class) {
                out.push((
                    "allowedStorageClasses",
                    format!("item {i} {class:?} is not a storage class name (a DNS-1123 subdomain, e.g. fast-ssd)"),
                ));
            }
        }
        for (i, registry) in self.allowed_image_registries.iter().flatten().enumerate() {
            if let Some(problem) = registry_problem(registry) {
                out.push(("allowedImageRegistries", format!("item {i} {registry:?} {problem}")));
            }
        }
        if let Some(tag) = &self.operator_tag
            && !is_tag(tag)
        {
            out.push((
                "operatorTag",
                format!("{tag:?} is not an image tag (1 to 128 of letters, digits, '_', '.', '-'; e.g. 8.0.20-23)"),
            ));
        }
        out
    }

    /// The options the rules use: each bad one replaced by its default.
    pub(crate) fn effective(&self) -> Effective<'_> {
        let problems = self.problems();
        let bad = |name: &str| problems.iter().any(|(field, _)| *field == name);
        Effective {
            min_node_memory: match &self.min_node_memory {
                Some(text) if !bad("minNodeMemory") => quantity::parse(text).unwrap_or(MIN_NODE_MEMORY),
                _ => MIN_NODE_MEMORY,
            },
            allowed_storage_classes: self.allowed_storage_classes.as_deref(),
            allowed_image_registries: self.allowed_image_registries.as_deref(),
            operator_tag: match &self.operator_tag {
                Some(tag) if !bad("operatorTag") => tag,
                _ => crate::defaults::OPERATOR_TAG,
            },
        }
    }
}

/// What is wrong with an allowed-registry entry, if anything.
fn registry_problem(registry: &str) -> Option<&'static str> {
    if registry.is_empty() {
        Some("is empty; write a registry host such as docker.io")
    } else if registry.contains("://") {
        Some("has a scheme; write the host only, e.g. registry.example.com")
    } else if registry.ends_with('/') || registry.chars().any(|c| c.is_whitespace() || c == '@') {
        Some("is not a registry host or host/path prefix (no spaces, '@' or trailing '/')")
    } else {
        None
    }
}

/// An OCI image tag.
fn is_tag(tag: &str) -> bool {
    (1..=128).contains(&tag.len())
        && tag
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        && !tag.starts_with(['.', '-'])
}
