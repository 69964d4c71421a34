//! The native core's answers to every agreement-corpus case, for `preview/test/corpus.mjs` to hold the browser
//! build against. A test rather than an example so that `cargo test --workspace` (CI step 20) builds it with the
//! workspace's feature set and step 60 reruns it without compiling anything:
//! `cargo test --workspace --test native_answers` writes `target/preview/native-answers.json` (or the file named
//! by `REC_NATIVE_ANSWERS`).
//!
//! Each case file (`*.json`, format in the corpus README) gives an operation and a request; the request bytes are
//! made here once (`request` serialised by serde_json, `requestText` as UTF-8, `requestBase64` decoded) and
//! written out with the answer, base64-encoded, so both builds are fed exactly the same bytes. The native core here
//! has every feature (the workspace's), so the answers are the full core's; comparing is the Node script's job.
//!
//! Also the generated cases too big to commit (`rec_wasm_tests::generated`, over 10 MB each), under the file name
//! `generated/<name>`: the Node script replays every answer whose file is not on disk but under `generated/`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const CASE_DIRS: [&str; 2] = ["wasm-tests/corpus", "preview/test/cases"];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn native_answers_for_every_case_are_written() {
    let root = workspace();
    let mut files = Vec::new();
    for dir in CASE_DIRS {
        collect(&root.join(dir), &mut files);
    }
    files.sort();
    assert!(files.len() > 100, "only {} case files under {CASE_DIRS:?}", files.len());
    let mut cases: Vec<Value> = files.iter().map(|file| answer(&root, file)).collect();
    cases.extend(rec_wasm_tests::generated::big_cases().iter().map(|case| {
        let op = case.op.op() as u32;
        entry(&case.file.to_string_lossy(), &case.name, op, &case.input)
    }));
    let out = std::env::var_os("REC_NATIVE_ANSWERS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/preview/native-answers.json"));
    std::fs::create_dir_all(out.parent().expect("a file in a folder")).expect("create the answers' folder");
    let written = serde_json::to_vec_pretty(&json!({ "cases": cases })).expect("answers are JSON");
    std::fs::write(&out, written).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    eprintln!("native-answers: {} cases -> {}", cases.len(), out.display());
}

/// The case at `file` with its request bytes and the native answer (paths relative to the workspace).
fn answer(root: &Path, file: &Path) -> Value {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let case: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: not JSON: {e}", file.display()));
    let op_name = case["op"].as_str().unwrap_or_default();
    let op = op_number(op_name).unwrap_or_else(|| panic!("{}: unknown op {op_name:?}", file.display()));
    let request = request_bytes(&case).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let relative = file.strip_prefix(root).unwrap_or(file);
    entry(
        &relative.to_string_lossy(),
        case["name"].as_str().unwrap_or_default(),
        op,
        &request,
    )
}

/// One answers-file entry: the request bytes and the native answer, base64-encoded.
fn entry(file: &str, name: &str, op: u32, request: &[u8]) -> Value {
    json!({
        "file": file,
        "name": name,
        "op": op,
        "request": STANDARD.encode(request),
        "answer": STANDARD.encode(rec_core::abi::call(op, request)),
    })
}

/// Every `*.json` under `dir` (a missing directory has none).
fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.expect("a readable folder").path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "json") {
            files.push(path);
        }
    }
}

/// The number of the operation the corpus names (`rec_core::abi::Op::name`).
fn op_number(name: &str) -> Option<u32> {
    use rec_core::abi::Op;
    Op::ALL.into_iter().find(|op| op.name() == name).map(|op| op as u32)
}

fn request_bytes(case: &Value) -> Result<Vec<u8>, String> {
    if let Some(request) = case.get("request") {
        serde_json::to_vec(request).map_err(|e| e.to_string())
    } else if let Some(text) = case.get("requestText").and_then(Value::as_str) {
        Ok(text.as_bytes().to_vec())
    } else if let Some(encoded) = case.get("requestBase64").and_then(Value::as_str) {
        STANDARD
            .decode(encoded.as_bytes())
            .map_err(|e| format!("requestBase64: {e}"))
    } else {
        Err("no request, requestText or requestBase64".into())
    }
}
