//! Reads the objects a command works on: a file or `-` (stdin), YAML or JSON, parsed by the wasm core (op
//! ParseYaml) so the CLI reads exactly what the policy and the preview read. `render` and `plan` take one document
//! ([`read_document`]); `validate` takes a stream of several ([`read_documents`]). Does not validate.

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
    let (shown, parsed) = read_parsed(engine, path)?;
    document(parsed).map_err(|message| InputError::Parse { path: shown, message })
}

/// Reads and parses every document of `path` (`-` = stdin): a YAML stream (`---` between documents), or one
/// document. Empty documents are skipped, as kubectl skips them (a trailing `---`); a text with none is an error,
/// as is any document the core cannot read (named by its number in the stream).
pub fn read_documents(engine: &Engine, path: &Path) -> Result<Vec<Value>, InputError> {
    let (shown, parsed) = read_parsed(engine, path)?;
    documents(parsed).map_err(|message| InputError::Parse { path: shown, message })
}

/// The text at `path`, as shown in messages, and the core's ParseYaml answer for it.
fn read_parsed(engine: &Engine, path: &Path) -> Result<(String, Value), InputError> {
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
    Ok((shown, parsed))
}

/// The documents of a ParseYaml answer: its `documents` when the text held several (each read alone, so its
/// own error), else its one document.
fn documents(parsed: Value) -> Result<Vec<Value>, String> {
    let read = match parsed.get("documents").and_then(Value::as_array) {
        None => vec![document(parsed)?],
        Some(stream) => {
            let mut read = Vec::with_capacity(stream.len());
            for (i, one) in stream.iter().enumerate() {
                if let Some(error) = error_of(one) {
                    return Err(format!("document {}: {error}", i + 1));
                }
                read.extend(one.get("value").filter(|v| !v.is_null()).cloned());
            }
            read
        }
    };
    if read.is_empty() {
        return Err(EMPTY.into());
    }
    Ok(read)
}

const EMPTY: &str = "is empty: no YAML or JSON document";

/// The document of a ParseYaml answer (`rec_core::yaml::Parsed`: `value`, or `error` with its position).
fn document(parsed: Value) -> Result<Value, String> {
    if let Some(error) = error_of(&parsed) {
        return Err(error);
    }
    match parsed.get("value") {
        Some(Value::Null) | None => Err(EMPTY.into()),
        Some(value) => Ok(value.clone()),
    }
}

/// A ParseYaml answer's error, with its position when it has one.
fn error_of(parsed: &Value) -> Option<String> {
    parsed.get("error").filter(|e| !e.is_null()).map(|error| {
        let message = error
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("not readable YAML");
        match (
            error.get("line").and_then(Value::as_u64),
            error.get("column").and_then(Value::as_u64),
        ) {
            (Some(line), Some(column)) => format!("line {line}, column {column}: {message}"),
            _ => message.to_string(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::{document, documents};
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

    #[test]
    fn a_stream_gives_its_documents_without_the_empty_ones_and_names_a_bad_one() {
        let stream = json!({ "value": null, "locations": [], "error": { "message": "a second YAML document", "line": 2, "column": 1 },
            "documents": [
                { "value": { "a": 1 }, "locations": [] },
                { "value": null, "locations": [] },
                { "value": { "b": 2 }, "locations": [] },
            ] });
        assert_eq!(documents(stream), Ok(vec![json!({ "a": 1 }), json!({ "b": 2 })]));
        let bad = json!({ "value": null, "locations": [], "documents": [
            { "value": { "a": 1 }, "locations": [] },
            { "value": null, "locations": [], "error": { "message": "duplicate key", "line": 4, "column": 1 } },
        ] });
        assert_eq!(
            documents(bad),
            Err("document 2: line 4, column 1: duplicate key".to_string())
        );
        let empty = json!({ "value": null, "locations": [], "documents": [{ "value": null, "locations": [] }] });
        assert!(documents(empty).is_err());
        // One document: the one-document reading.
        assert_eq!(
            documents(json!({ "value": { "a": 1 }, "locations": [] })),
            Ok(vec![json!({ "a": 1 })])
        );
        assert!(documents(json!({ "value": null, "locations": [] })).is_err());
    }
}
