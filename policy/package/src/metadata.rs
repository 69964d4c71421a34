//! Kubewarden's policy metadata, in the JSON shape `kwctl annotate` embeds (policy-evaluator's `Metadata`:
//! camelCase fields in its order, defaults filled in) read from `metadata.yml`. Stricter than kwctl on purpose:
//! a key Kubewarden does not know (a typo, or the retired `contextAware`) is refused instead of silently dropped,
//! and the two values the tool writes (`protocolVersion`, the usage annotation) may not be in the file.
//! kwctl also adds its own version as `io.kubewarden.kwctl`; this tool is not kwctl and adds nothing of the kind.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The annotation that carries the policy's README (`kwctl annotate --usage-path`).
pub const USAGE_ANNOTATION: &str = "io.kubewarden.policy.usage";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Metadata {
    /// Set by [`Metadata::complete`] from what the module reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol_version: Option<String>,
    pub rules: Vec<Rule>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<BTreeMap<String, String>>,
    pub mutating: bool,
    #[serde(default = "yes")]
    pub background_audit: bool,
    #[serde(default)]
    pub execution_mode: ExecutionMode,
    #[serde(default)]
    pub policy_type: PolicyType,
    /// A set in Kubewarden (sorted, no duplicates).
    #[serde(default)]
    pub context_aware_resources: BTreeSet<ContextAwareResource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_kubewarden_version: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Rule {
    pub api_groups: Vec<String>,
    pub api_versions: Vec<String>,
    pub resources: Vec<String>,
    pub operations: Vec<Operation>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Operation {
    #[serde(rename = "CREATE")]
    Create,
    #[serde(rename = "UPDATE")]
    Update,
    #[serde(rename = "DELETE")]
    Delete,
    #[serde(rename = "CONNECT")]
    Connect,
    #[serde(rename = "*")]
    All,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExecutionMode {
    #[default]
    #[serde(rename = "kubewarden-wapc")]
    KubewardenWapc,
    #[serde(rename = "opa")]
    Opa,
    #[serde(rename = "gatekeeper")]
    OpaGatekeeper,
    #[serde(rename = "wasi")]
    Wasi,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PolicyType {
    #[default]
    #[serde(rename = "kubernetes")]
    Kubernetes,
    #[serde(rename = "raw")]
    Raw,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContextAwareResource {
    pub api_version: String,
    pub kind: String,
}

#[derive(Debug, thiserror::Error)]
pub enum MetadataError {
    #[error("metadata.yml: {0}")]
    Yaml(#[from] serde_yaml::Error),
    #[error("metadata.yml: rule {rule}: {field} is empty")]
    EmptyRuleField { rule: usize, field: &'static str },
    #[error("metadata.yml: rule {rule}: {field} has \"*\" beside other values ({values:?})")]
    Wildcard {
        rule: usize,
        field: &'static str,
        values: Vec<String>,
    },
    #[error("metadata.yml: no rules: the policy would never be called")]
    NoRules,
    #[error("metadata.yml sets protocolVersion; it is what the module reports, remove it")]
    ProtocolInFile,
    #[error("metadata.yml sets the {USAGE_ANNOTATION} annotation; it is the usage file's text, remove it")]
    UsageInFile,
    #[error("the usage text is empty")]
    EmptyUsage,
    #[error("serializing the metadata: {0}")]
    Json(serde_json::Error),
}

impl Metadata {
    /// Reads and checks `metadata.yml`.
    pub fn from_yaml(text: &str) -> Result<Metadata, MetadataError> {
        let metadata: Metadata = serde_yaml::from_str(text)?;
        if metadata.protocol_version.is_some() {
            return Err(MetadataError::ProtocolInFile);
        }
        if metadata
            .annotations
            .as_ref()
            .is_some_and(|a| a.contains_key(USAGE_ANNOTATION))
        {
            return Err(MetadataError::UsageInFile);
        }
        metadata.check_rules()?;
        Ok(metadata)
    }

    /// Kubewarden's checks of the rules (policy-evaluator's `Rule` validation): every list has a value, and `*`
    /// stands alone.
    fn check_rules(&self) -> Result<(), MetadataError> {
        if self.rules.is_empty() {
            return Err(MetadataError::NoRules);
        }
        for (i, rule) in self.rules.iter().enumerate() {
            let operations: Vec<String> = rule
                .operations
                .iter()
                .map(|o| {
                    serde_json::to_value(o)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default()
                })
                .collect();
            for (field, values) in [
                ("apiGroups", &rule.api_groups),
                ("apiVersions", &rule.api_versions),
                ("resources", &rule.resources),
                ("operations", &operations),
            ] {
                if values.is_empty() {
                    return Err(MetadataError::EmptyRuleField { rule: i, field });
                }
                if values.len() > 1 && values.iter().any(|v| v == "*") {
                    return Err(MetadataError::Wildcard {
                        rule: i,
                        field,
                        values: values.clone(),
                    });
                }
            }
        }
        Ok(())
    }

    /// What `kwctl annotate` adds: the protocol version the module reported and the usage text.
    pub fn complete(&mut self, protocol_version: String, usage: &str) -> Result<(), MetadataError> {
        if usage.trim().is_empty() {
            return Err(MetadataError::EmptyUsage);
        }
        self.protocol_version = Some(protocol_version);
        self.annotations
            .get_or_insert_with(BTreeMap::new)
            .insert(USAGE_ANNOTATION.to_string(), usage.to_string());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const MINIMAL: &str = "rules:\n- apiGroups: [\"\"]\n  apiVersions: [v1]\n  resources: [pods]\n  operations: [CREATE]\nmutating: false\n";

    #[test]
    fn the_json_has_kwctls_shape_with_the_defaults_filled_in() {
        let mut m = Metadata::from_yaml(MINIMAL).unwrap();
        m.complete("v1".into(), "# usage").unwrap();
        let text = serde_json::to_string(&m).unwrap();
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).unwrap(),
            json!({
                "protocolVersion": "v1",
                "rules": [{"apiGroups": [""], "apiVersions": ["v1"], "resources": ["pods"], "operations": ["CREATE"]}],
                "annotations": {"io.kubewarden.policy.usage": "# usage"},
                "mutating": false,
                "backgroundAudit": true,
                "executionMode": "kubewarden-wapc",
                "policyType": "kubernetes",
                "contextAwareResources": [],
            })
        );
        // Field order is the struct's, as kwctl writes it.
        assert!(text.starts_with("{\"protocolVersion\":\"v1\",\"rules\":"), "{text}");
    }

    fn refused(yaml: &str) -> String {
        Metadata::from_yaml(yaml).expect_err(yaml).to_string()
    }

    #[test]
    fn a_broken_metadata_file_is_refused_naming_the_problem() {
        assert!(refused(&format!("{MINIMAL}contextAware: false\n")).contains("unknown field `contextAware`"));
        assert!(refused(&format!("{MINIMAL}mutatin: true\n")).contains("unknown field `mutatin`"));
        assert!(refused("rules: []\n").contains("missing field `mutating`"));
        assert!(refused("rules: []\nmutating: false\n").contains("no rules"));
        assert!(refused(&MINIMAL.replace("[CREATE]", "[CREATE, '*']")).contains("operations has \"*\""));
        assert!(refused(&MINIMAL.replace("[CREATE]", "[MAKE]")).contains("unknown variant `MAKE`"));
        assert!(refused(&MINIMAL.replace("[pods]", "[]")).contains("resources is empty"));
        assert!(refused(&MINIMAL.replace("false", "maybe")).contains("mutating"));
        assert!(refused(&format!("{MINIMAL}executionMode: wapc\n")).contains("unknown variant `wapc`"));
        assert!(refused(&format!("{MINIMAL}protocolVersion: v1\n")).contains("protocolVersion"));
        assert!(refused(&format!("{MINIMAL}annotations:\n  io.kubewarden.policy.usage: x\n")).contains("usage"));
        assert!(refused(&format!("{MINIMAL}annotations:\n  a: [1]\n")).contains("annotations"));
        let mut m = Metadata::from_yaml(MINIMAL).unwrap();
        assert!(matches!(m.complete("v1".into(), " \n"), Err(MetadataError::EmptyUsage)));
    }
}
