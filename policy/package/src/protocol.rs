//! Asks a policy module which Kubewarden waPC protocol it speaks, as `kwctl annotate` does before it writes
//! `protocolVersion`: instantiate it (WASI linked, nothing granted, as policy-server does) and call its
//! `protocol_version` function. Only "v1" exists; anything else is refused.

use wapc::WapcHost;
use wasmtime_provider::WasmtimeEngineProviderBuilder;

/// The protocol versions Kubewarden knows (`kubewarden_policy_sdk::metadata::ProtocolVersion`).
pub const KNOWN: &[&str] = &["v1"];

#[derive(Debug, thiserror::Error)]
pub enum ProtocolError {
    #[error("the module cannot be loaded: {0}")]
    Load(String),
    #[error("its protocol_version call failed: {0}")]
    Call(String),
    #[error("protocol_version answered {0:?}, not a JSON string")]
    Answer(String),
    #[error("protocol_version answered {0:?}; Kubewarden knows {KNOWN:?}")]
    Unknown(String),
}

/// The protocol version `module` reports.
pub fn protocol_version(module: &[u8]) -> Result<String, ProtocolError> {
    let provider = WasmtimeEngineProviderBuilder::new()
        .module_bytes(module)
        .build()
        .map_err(|e| ProtocolError::Load(e.to_string()))?;
    let host = WapcHost::new(Box::new(provider), None).map_err(|e| ProtocolError::Load(e.to_string()))?;
    let answer = host
        .call("protocol_version", b"")
        .map_err(|e| ProtocolError::Call(e.to_string()))?;
    let version: String = serde_json::from_slice(&answer)
        .map_err(|_| ProtocolError::Answer(String::from_utf8_lossy(&answer).into_owned()))?;
    if KNOWN.contains(&version.as_str()) {
        Ok(version)
    } else {
        Err(ProtocolError::Unknown(version))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_module_that_is_not_a_policy_is_refused_with_the_reason() {
        let error = protocol_version(b"\0asm\x01\0\0\0").unwrap_err();
        assert!(
            matches!(error, ProtocolError::Load(_) | ProtocolError::Call(_)),
            "{error}"
        );
        assert!(matches!(protocol_version(b"junk"), Err(ProtocolError::Load(_))));
    }
}
