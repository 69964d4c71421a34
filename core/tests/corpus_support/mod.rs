//! The agreement corpus (`wasm-tests/corpus/`) as JSON, for the core's tests that hold something over every object
//! its cases carry. Integration tests take it with `mod corpus_support;`, the unit tests of the readers with
//! `#[path]`: a unit test and an integration test share a helper no other way.

use serde_json::Value;
use std::path::{Path, PathBuf};

/// Every case of the corpus that is JSON (the `requestText` / `requestBase64` cases of unreadable input are JSON
/// too; a file that is not is skipped), in path order so a failure names the same case on every machine.
pub fn cases() -> Vec<Value> {
    let mut files = Vec::new();
    let mut folders = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("../wasm-tests/corpus")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("the corpus is in the repository") {
            let path: PathBuf = entry.expect("an entry of the corpus").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
        .iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(path).expect("a corpus case reads");
            serde_json::from_str(&text).ok()
        })
        .collect()
}
