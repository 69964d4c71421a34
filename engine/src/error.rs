//! Every way a call into the core module can fail, as one typed enum with a stable reason per variant.
//!
//! The error carries text, not wasmtime's error type, so it is `Clone`, compares in tests and never leaks
//! engine internals into the operator's types.

/// A failure to load the core module or to get an answer out of it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// The module could not be read, compiled, loaded from the cache or instantiated, or lacks an export.
    #[error("the core module cannot be loaded: {0}")]
    Compile(String),
    /// The module speaks another ABI version than this engine.
    #[error("the core module speaks ABI version {found}, this engine speaks version {expected}")]
    AbiMismatch { expected: u32, found: u32 },
    /// The guest trapped (other than by running out of time or memory, or panicking).
    #[error("the core module trapped: {0}")]
    Trap(String),
    /// The core panicked; the message was recorded by the module's panic hook before the abort trapped.
    #[error("the core module panicked: {0}")]
    Panic(String),
    /// The call ran past its deadline (`Limits::timeout`) before answering.
    #[error("the core module did not answer within its time limit")]
    Timeout,
    /// The call tried to grow the guest's memory beyond the memory limit.
    #[error("the core module tried to use more memory than its limit")]
    OutOfMemory,
    /// The guest answered something that is not a well-formed answer (bad pointer, not JSON, wrong shape).
    #[error("the core module gave a malformed answer: {0}")]
    BadAnswer(String),
    /// The core answered `{"error": {"kind", "message"}}` (e.g. `BadRequest`): the request was at fault.
    #[error("the core refused the request ({kind}): {message}")]
    Core { kind: String, message: String },
}

impl EngineError {
    /// A stable PascalCase name for metrics labels and event reasons (bounded cardinality).
    pub fn reason(&self) -> &'static str {
        match self {
            EngineError::Compile(_) => "Compile",
            EngineError::AbiMismatch { .. } => "AbiMismatch",
            EngineError::Trap(_) => "Trap",
            EngineError::Panic(_) => "Panic",
            EngineError::Timeout => "Timeout",
            EngineError::OutOfMemory => "OutOfMemory",
            EngineError::BadAnswer(_) => "BadAnswer",
            EngineError::Core { .. } => "Core",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_distinct_pascal_case() {
        let all = [
            EngineError::Compile(String::new()),
            EngineError::AbiMismatch { expected: 1, found: 2 },
            EngineError::Trap(String::new()),
            EngineError::Panic(String::new()),
            EngineError::Timeout,
            EngineError::OutOfMemory,
            EngineError::BadAnswer(String::new()),
            EngineError::Core {
                kind: String::new(),
                message: String::new(),
            },
        ];
        let reasons: std::collections::BTreeSet<_> = all.iter().map(EngineError::reason).collect();
        assert_eq!(reasons.len(), all.len());
        for reason in reasons {
            assert!(reason.starts_with(|c: char| c.is_ascii_uppercase()), "{reason}");
            assert!(reason.chars().all(|c| c.is_ascii_alphanumeric()), "{reason}");
        }
    }
}
