//! The credentials Secret `<clusterCredentialSecretName>`: type Opaque, keys `username`, `password`, and
//! `license` when the license is given inline.
//!
//! Rendered only while the secret does not exist (the caller says so in the context), so a password is set once
//! and never changed by a later reconcile. The password comes from entropy the host supplies: the core has no
//! random source. It does not read an existing secret's data, and never writes the password anywhere but the
//! rendered Secret (the entropy's `Debug` is redacted).
//!
//! Known limit: an inline `license` changed after the secret exists is not written to it (rendering the secret
//! again could only restore the password by reading it); use `licenseSecretName` for licenses that change.

use super::meta::{Component, Meta};
use crate::api::{CredentialSecretType, RedisEnterpriseClusterSpec};
use crate::defaults::DEFAULT_USERNAME;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1::Secret;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The fewest random bytes a password may be made from (192 bits).
pub const ENTROPY_MIN_BYTES: usize = 24;
/// The shortest password made: 24 bytes in the URL-safe base64 alphabet.
pub const PASSWORD_MIN_CHARS: usize = 32;

/// Random bytes from the host, as hex (preferred when the text is valid hex) or base64 (standard or URL-safe,
/// padded or not). Its `Debug` never shows the value.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Default)]
#[serde(transparent)]
pub struct Entropy(pub String);

impl std::fmt::Debug for Entropy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Entropy(<{} characters, redacted>)", self.0.len())
    }
}

/// The credentials secret as found in the cluster: only its name, never its data.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExistingSecret {
    pub name: String,
}

/// Why no password could be made.
#[derive(Debug, thiserror::Error)]
pub enum EntropyError {
    #[error(
        "the credentials secret {secret:?} does not exist yet, so it needs a new password, but the context has no \
         entropy: pass context.entropy (hex or base64 of at least {ENTROPY_MIN_BYTES} random bytes)"
    )]
    Missing { secret: String },
    #[error("context.entropy is neither hex nor base64; pass at least {ENTROPY_MIN_BYTES} random bytes encoded so")]
    NotEncoded,
    #[error(
        "context.entropy holds {got} bytes; a password needs at least {ENTROPY_MIN_BYTES} random bytes \
         ({PASSWORD_MIN_CHARS} characters)"
    )]
    TooShort { got: usize },
}

impl EntropyError {
    /// The rule code reported for it.
    pub fn code(&self) -> &'static str {
        match self {
            EntropyError::Missing { .. } => "entropy-missing",
            EntropyError::NotEncoded | EntropyError::TooShort { .. } => "entropy-invalid",
        }
    }
}

/// The secret's name (defaults make it the REC name).
pub fn secret_name(meta: &Meta, spec: &RedisEnterpriseClusterSpec) -> String {
    spec.cluster_credential_secret_name
        .clone()
        .unwrap_or_else(|| meta.rec_name().to_string())
}

/// The Kubernetes secret holding the credentials, or `None` when they live in Vault (nothing to render or
/// mount then).
pub fn kubernetes_secret(meta: &Meta, spec: &RedisEnterpriseClusterSpec) -> Option<String> {
    (spec.cluster_credential_secret_type != Some(CredentialSecretType::Vault)).then(|| secret_name(meta, spec))
}

/// The new credentials Secret, its password made from `entropy`.
pub fn credentials(
    meta: &Meta,
    spec: &RedisEnterpriseClusterSpec,
    entropy: Option<&Entropy>,
) -> Result<Secret, EntropyError> {
    let name = secret_name(meta, spec);
    let entropy = entropy.ok_or_else(|| EntropyError::Missing { secret: name.clone() })?;
    let password = password(entropy)?;
    let username = spec.username.clone().unwrap_or_else(|| DEFAULT_USERNAME.into());
    let mut data: BTreeMap<String, ByteString> = BTreeMap::new();
    data.insert("username".into(), ByteString(username.into_bytes()));
    data.insert("password".into(), ByteString(password.into_bytes()));
    if let Some(license) = &spec.license {
        data.insert("license".into(), ByteString(license.clone().into_bytes()));
    }
    Ok(Secret {
        metadata: meta.object(name, Component::Credentials),
        type_: Some("Opaque".into()),
        data: Some(data),
        ..Default::default()
    })
}

/// A password from the host's random bytes: all of them, in the URL-safe base64 alphabet (`A-Z a-z 0-9 - _`),
/// without padding. Unbiased: every 6 bits become one character.
pub fn password(entropy: &Entropy) -> Result<String, EntropyError> {
    let bytes = decode(&entropy.0)?;
    if bytes.len() < ENTROPY_MIN_BYTES {
        return Err(EntropyError::TooShort { got: bytes.len() });
    }
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

fn decode(text: &str) -> Result<Vec<u8>, EntropyError> {
    let text = text.trim();
    if !text.is_empty() && text.len().is_multiple_of(2) && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(text
            .as_bytes()
            .chunks(2)
            .map(|pair| (hex_digit(pair[0]) << 4) | hex_digit(pair[1]))
            .collect());
    }
    [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(text).ok())
        .ok_or(EntropyError::NotEncoded)
}

/// The value of one hex digit (the caller checked that it is one).
fn hex_digit(b: u8) -> u8 {
    char::from(b).to_digit(16).map_or(0, |d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_and_base64_give_the_same_password() {
        let bytes: Vec<u8> = (0u8..24).map(|i| i.wrapping_mul(37).wrapping_add(11)).collect();
        let hex: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
        let from_hex = password(&Entropy(hex.clone())).unwrap();
        let from_lower_hex = password(&Entropy(hex.to_lowercase())).unwrap();
        let from_b64 = password(&Entropy(STANDARD.encode(&bytes))).unwrap();
        let from_b64url = password(&Entropy(URL_SAFE_NO_PAD.encode(&bytes))).unwrap();
        assert_eq!(from_hex, from_lower_hex);
        assert_eq!(from_hex, from_b64);
        assert_eq!(from_hex, from_b64url);
        assert_eq!(from_hex.len(), PASSWORD_MIN_CHARS);
        assert!(
            from_hex
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
    }

    #[test]
    fn short_or_garbled_entropy_is_refused() {
        assert!(matches!(
            password(&Entropy("00".repeat(23))),
            Err(EntropyError::TooShort { got: 23 })
        ));
        assert!(matches!(
            password(&Entropy("not entropy!".into())),
            Err(EntropyError::NotEncoded)
        ));
        assert!(matches!(
            password(&Entropy(String::new())),
            Err(EntropyError::TooShort { got: 0 })
        ));
    }

    #[test]
    fn debug_never_shows_the_entropy() {
        let text = format!("{:?}", Entropy("deadbeefcafe".into()));
        assert!(!text.contains("deadbeef"), "{text}");
    }
}
