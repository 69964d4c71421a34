//! Reads the REC a command works on: a file or `-` (stdin), YAML or JSON, parsed by the wasm core (op ParseYaml)
//! so the CLI reads exactly what the policy and the preview read. Does not validate.

use rec_engine::{Engine, EngineError};
use serde_json::Value;
use std::io::Read;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{path}: cannot be read: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}: is not UTF-8 text")]
    NotText { path: String },
    #[error("{path}: {message}")]
    Parse { path: String, message: String },
    #[error("{path}: the core could not parse it: {source}")]
    Engine { path: String, source: EngineError },
}

/// Reads and parses one document from `path` (`-` = stdin).
pub fn read_document(engine: &Engine, path: &Path) -> Result<Value, InputError> {
    let shown = path.display().to_string();
    let mut bytes = Vec::new();
    let read = if shown == "-" {
        std::io::stdin().lock().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::read(path).map(|b| bytes = b)
    };
    read.map_err(|source| InputError::Io {
        path: shown.clone(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|_| InputError::NotText { path: shown.clone() })?;
    let parsed = engine.parse_yaml(&text).map_err(|source| InputError::Engine {
        path: shown.clone(),
        source,
    })?;
    document(parsed).map_err(|message| InputError::Parse { path: shown, message })
}

/// The document of a ParseYaml answer (`rec_core::yaml::Parsed`: `value`, or `error` with its position).
fn document(parsed: Value) -> Result<Value, String> {
    if let Some(error) = parsed.get("error").filter(|e| !e.is_null()) {
        let message = error
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("not readable YAML");
        return Err(
            match (
                error.get("line").and_then(Value::as_u64),
                error.get("column").and_then(Value::as_u64),
            ) {
                (Some(line), Some(column)) => format!("line {line}, column {column}: {message}"),
                _ => message.to_string(),
            },
        );
    }
    match parsed.get("value") {
        Some(Value::Null) | None => Err("is empty: no YAML or JSON document".into()),
        Some(value) => Ok(value.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::document;
    use serde_json::json;

    #[test]
    fn a_parse_error_names_its_position_and_an_empty_text_is_refused() {
        let error =
            json!({ "value": null, "locations": [], "error": { "message": "bad indent", "line": 3, "column": 5 } });
        assert_eq!(document(error), Err("line 3, column 5: bad indent".to_string()));
        assert!(document(json!({ "value": null, "locations": [] })).is_err());
        assert_eq!(
            document(json!({ "value": { "a": 1 }, "locations": [] })),
            Ok(json!({ "a": 1 }))
        );
    }
}
