//! The core's browser build: the JSON ABI behind one `wasm-bindgen` export.
//!
//! `call` is `rec_core::abi::call_only` and nothing else, so the page gets byte for byte the answers the
//! cluster's operator and admission policy compute. Deliberately no logic here: parsing, validation, rendering,
//! YAML writing and locating fields all live in the core; the page's JavaScript only wires the UI.
//!
//! The build answers only [`BROWSER_OPS`]: the operations the page (`preview/src/core.js`: `version`,
//! `preview`, whose update mode carries the plan, so `plan` costs nothing more, as `validateDocuments` costs nothing
//! more than `validate`; `fieldTable`, the field tables its completion and hover read, which `preview` compiles in
//! already), its corpus replay (`preview/test/corpus.mjs`) and the benchmark's browser section use. The others
//! answer `Unsupported` and their code is not in the bundle: `defaults` (about 9 KB gzip: writing the whole model
//! back) and `crd` (the CRD generator, the core's `crd` feature, about 1 MB). `corpus.mjs`'s `NOT_IN_BROWSER`
//! lists them.

use rec_core::abi::{Op, op_set};
use wasm_bindgen::prelude::wasm_bindgen;

/// The operations the browser build answers (`Version` is always answered).
pub const BROWSER_OPS: u32 = op_set(&[
    Op::Validate,
    Op::Render,
    Op::ParseYaml,
    Op::ToYaml,
    Op::Preview,
    Op::Plan,
    Op::ValidateDocuments,
    Op::FieldTable,
]);

/// Answers one ABI request: `op` is an [`rec_core::abi::Op`] number, `input` the request bytes; the answer is
/// the JSON envelope `{"ok": ...}` or `{"error": {...}}` as UTF-8 bytes.
#[wasm_bindgen]
pub fn call(op: u32, input: &[u8]) -> Vec<u8> {
    rec_core::abi::call_only::<BROWSER_OPS>(op, input)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rec_core::abi::Op;

    fn kind(answer: &[u8]) -> String {
        let answer: serde_json::Value = serde_json::from_slice(answer).expect("answers are JSON");
        answer
            .pointer("/error/kind")
            .and_then(|k| k.as_str())
            .unwrap_or("ok")
            .to_string()
    }

    #[test]
    fn the_browser_build_answers_the_page_s_operations_and_leaves_out_defaults() {
        let object = br#"{"object": {"metadata": {"name": "rec"}, "spec": {"nodes": 3}}}"#;
        assert_eq!(
            call(Op::Version as u32, b"{}"),
            rec_core::abi::call(Op::Version as u32, b"{}")
        );
        let preview = br#"{"text": "metadata:\n  name: rec\nspec:\n  nodes: 3\n"}"#;
        assert_eq!(
            call(Op::Preview as u32, preview),
            rec_core::abi::call(Op::Preview as u32, preview)
        );
        assert_eq!(
            call(Op::Validate as u32, object),
            rec_core::abi::call(Op::Validate as u32, object)
        );
        let plan =
            br#"{"object": {"metadata": {"name": "rec"}, "spec": {"nodes": 5}}, "applied": {"spec": {"nodes": 3}}}"#;
        assert_eq!(call(Op::Plan as u32, plan), rec_core::abi::call(Op::Plan as u32, plan));
        let table = br#"{"kind": "RedisEnterpriseDatabase"}"#;
        assert_eq!(
            call(Op::FieldTable as u32, table),
            rec_core::abi::call(Op::FieldTable as u32, table)
        );
        assert_eq!(kind(&call(Op::Defaults as u32, object)), "Unsupported");
        assert_eq!(kind(&call(Op::Crd as u32, b"{}")), "Unsupported");
        assert_eq!(kind(&rec_core::abi::call(Op::Defaults as u32, object)), "ok");
    }
}
