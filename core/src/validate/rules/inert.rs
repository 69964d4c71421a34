//! Fields the real CRD has and this operator accepts but does not act on (`field-not-acted-on`, a warning).
//!
//! Each is a setting of the Redis Enterprise cluster itself, not of a Kubernetes object: the real operator
//! applies it through the cluster's REST API after the nodes are up. This operator renders and runs the
//! Kubernetes side only and does not drive that API (REC.md; README "What this operator does not do"), so such
//! a field changes nothing. Saying so beats accepting it in silence: the user can set it through the REST API,
//! `rladmin` or the admin UI instead.

use super::super::catalogue::FIELD_NOT_ACTED_ON;
use super::Ctx;
use crate::RedisEnterpriseClusterSpec;
use crate::validate::Violation;

/// Whether a field is set, and what it configures.
type Inert = (&'static str, fn(&RedisEnterpriseClusterSpec) -> bool, &'static str);

/// Every such field: its JSON name, whether it is set, what it would configure.
const INERT: &[Inert] = &[
    ("auditing", |s| s.auditing.is_some(), "database connection auditing"),
    (
        "backup",
        |s| s.backup.is_some(),
        "scheduled cluster configuration backups",
    ),
    (
        "certificates",
        |s| s.certificates.is_some(),
        "the cluster's TLS certificates",
    ),
    (
        "clusterCredentialSecretRole",
        |s| s.cluster_credential_secret_role.is_some(),
        "the Vault role the nodes read their credentials with",
    ),
    (
        "clusterRecovery",
        |s| s.cluster_recovery.is_some(),
        "recovering a cluster that lost its quorum",
    ),
    (
        "dataInternodeEncryption",
        |s| s.data_internode_encryption.is_some(),
        "encryption between the nodes",
    ),
    (
        "encryptPkeys",
        |s| s.encrypt_pkeys.is_some(),
        "encryption of the private keys on disk",
    ),
    (
        "enforceIPv4",
        |s| s.enforce_ipv4.is_some(),
        "the address family the nodes bind",
    ),
    ("ldap", |s| s.ldap.is_some(), "LDAP authentication"),
    (
        "licenseSecretName",
        |s| s.license_secret_name.is_some(),
        "the cluster license",
    ),
    (
        "ocspConfiguration",
        |s| s.ocsp_configuration.is_some(),
        "OCSP stapling of the proxy certificate",
    ),
    (
        "ossClusterSettings",
        |s| s.oss_cluster_settings.is_some(),
        "the OSS cluster API's external access",
    ),
    (
        "podStartingPolicy",
        |s| s.pod_starting_policy.is_some(),
        "how nodes start after a full cluster restart",
    ),
    (
        "redisEnterpriseIPFamily",
        |s| s.redis_enterprise_ip_family.is_some(),
        "the IP family of the cluster",
    ),
    (
        "redisOnFlashSpec",
        |s| s.redis_on_flash_spec.is_some(),
        "Redis on Flash (auto tiering) storage",
    ),
    (
        "redisUpgradePolicy",
        |s| s.redis_upgrade_policy.is_some(),
        "which Redis version databases upgrade to",
    ),
    (
        "resp3Default",
        |s| s.resp3_default.is_some(),
        "the RESP3 default of new databases",
    ),
    ("slaveHA", |s| s.slave_ha.is_some(), "replica high availability"),
    ("sso", |s| s.sso.is_some(), "single sign-on to the admin UI"),
    (
        "usageMeter",
        |s| s.usage_meter.is_some(),
        "the usage meter and its call-home client",
    ),
    (
        "usageReportFields",
        |s| s.usage_report_fields.is_some(),
        "what usage reports carry",
    ),
    (
        "userDefinedModules",
        |s| s.user_defined_modules.is_some(),
        "modules the cluster downloads",
    ),
    (
        "vaultCASecret",
        |s| s.vault_ca_secret.is_some(),
        "the CA the nodes trust Vault with",
    ),
];

/// One warning per such field that is set.
pub(crate) fn field_not_acted_on(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    for (field, is_set, what) in INERT {
        if is_set(ctx.spec) {
            out.push(FIELD_NOT_ACTED_ON.at(
                format!("spec.{field}"),
                format!(
                    "`{field}` is accepted but not acted on: it configures {what}, which Redis Enterprise takes \
                     through the cluster's REST API, and this operator does not drive that API; set it there \
                     (REST API, rladmin or the admin UI)"
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table names real spec fields: each name is a key the spec serialises to once its field is set.
    #[test]
    fn every_field_of_the_table_is_a_spec_field() {
        let spec: RedisEnterpriseClusterSpec = serde_json::from_value(serde_json::json!({
            "auditing": {}, "backup": {}, "certificates": {}, "clusterCredentialSecretRole": "r",
            "clusterRecovery": true, "dataInternodeEncryption": true, "encryptPkeys": true, "enforceIPv4": true,
            "ldap": {"protocol": "LDAP", "servers": [], "bindCredentialsSecretName": "x", "authenticationQuery": {}, "authorizationQuery": {}},
            "licenseSecretName": "l", "ocspConfiguration": {}, "ossClusterSettings": {}, "podStartingPolicy": {"enabled": true, "startingThresholdSeconds": 1},
            "redisEnterpriseIPFamily": "IPv4", "redisOnFlashSpec": {"enabled": true, "flashStorageEngine": "rocksdb", "storageClassName": "x"},
            "redisUpgradePolicy": "major", "resp3Default": true, "slaveHA": {"slaveHAGracePeriod": 1}, "sso": {"enabled": true, "saml": {}}, "usageMeter": {},
            "usageReportFields": "all", "userDefinedModules": [], "vaultCASecret": "v",
        }))
        .expect("a spec with every inert field");
        let written = serde_json::to_value(&spec).expect("JSON");
        for (field, is_set, _) in INERT {
            assert!(is_set(&spec), "{field} reads as unset");
            assert!(written.get(field).is_some(), "{field} is not a spec field name");
        }
        assert_eq!(written.as_object().map(|o| o.len()), Some(INERT.len()));
    }
}
