//! The cluster credentials secret: looked up before rendering (the core is told whether it exists), created once
//! with the password the core derived from host entropy, and never overwritten, patched or logged.
//!
//! Entropy comes from the OS CSPRNG (`getrandom`); the core stays pure and only formats it. A secret the user
//! created beforehand is used as is. This module never reads a secret's data.

use crate::timeout::TimedOut;
use kube::api::{Api, DynamicObject, PostParams};
use serde_json::Value;

/// Bytes of entropy per password (256 bits; the core turns them into a password of at least 32 characters).
pub const ENTROPY_BYTES: usize = 32;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("looking up secret {name} failed: {source}")]
    Lookup { name: String, source: Box<kube::Error> },
    #[error("creating secret {name} failed: {source}")]
    Create { name: String, source: Box<kube::Error> },
    #[error("the rendered secret is not an object with metadata.name: {0}")]
    Malformed(String),
    #[error("the OS random number generator failed: {0}")]
    Entropy(getrandom::Error),
    #[error("looking up the credentials secret: {0}")]
    TimedOut(#[from] TimedOut),
}

/// Whether the secret `name` exists (the secret itself is not read into memory beyond its metadata).
pub async fn exists(api: &Api<DynamicObject>, name: &str) -> Result<bool, Error> {
    match api.get_metadata_opt(name).await {
        Ok(found) => Ok(found.is_some()),
        Err(source) => Err(Error::Lookup {
            name: name.into(),
            source: Box::new(source),
        }),
    }
}

/// Fresh entropy from the OS CSPRNG, hex-encoded (what `RenderContext.entropy` takes).
pub fn entropy() -> Result<String, Error> {
    let mut bytes = [0u8; ENTROPY_BYTES];
    getrandom::fill(&mut bytes).map_err(Error::Entropy)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Creates the rendered secret unless one of that name exists; an existing secret is left exactly as it is
/// (a create that loses a race answers 409 and is fine). Returns whether it created.
pub async fn create_once(api: &Api<DynamicObject>, rendered: &Value) -> Result<bool, Error> {
    let object: DynamicObject = serde_json::from_value(rendered.clone())
        .map_err(|e| Error::Malformed(format!("not an object with metadata: {e}")))?;
    let name = object
        .metadata
        .name
        .clone()
        .ok_or_else(|| Error::Malformed("no metadata.name".into()))?;
    if exists(api, &name).await? {
        return Ok(false);
    }
    match api.create(&PostParams::default(), &object).await {
        Ok(_) => {
            tracing::info!(secret = %name, "created the credentials secret");
            Ok(true)
        }
        Err(kube::Error::Api(status)) if status.code == 409 => Ok(false),
        Err(source) => Err(Error::Create {
            name,
            source: Box::new(source),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_is_fresh_hex_of_the_full_width() {
        let a = entropy().expect("entropy");
        let b = entropy().expect("entropy");
        assert_eq!(a.len(), ENTROPY_BYTES * 2);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
