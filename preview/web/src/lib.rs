//! The core's browser build: the JSON ABI behind one `wasm-bindgen` export.
//!
//! `call` is `rec_core::abi::call` and nothing else, so the page gets byte for byte the answers the cluster's
//! operator and admission policy compute. Deliberately no logic here: parsing, validation, rendering, YAML
//! writing and locating fields all live in the core; the page's JavaScript only wires the UI.

use wasm_bindgen::prelude::wasm_bindgen;

/// Answers one ABI request: `op` is an [`rec_core::abi::Op`] number, `input` the request bytes; the answer is
/// the JSON envelope `{"ok": ...}` or `{"error": {...}}` as UTF-8 bytes.
#[wasm_bindgen]
pub fn call(op: u32, input: &[u8]) -> Vec<u8> {
    rec_core::abi::call(op, input)
}
