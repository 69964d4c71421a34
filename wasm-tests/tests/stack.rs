//! How deep the core module's shadow stack goes: every corpus case and the generated 10 MiB cases, run on one
//! instance, then the lowest stack byte any of them wrote.
//!
//! Why: the module keeps its stack at the bottom of linear memory (`--stack-first`, Rust's default on wasm32), so
//! a call deeper than the stack runs below address 0 and traps instead of answering. The core bounds nesting
//! (serde_json's 128 levels, the YAML reader's and the model's own limits), so its stack use is bounded too;
//! this test holds that bound to at most half the stack the module is linked with (256 KiB, set in
//! `core/module/build.rs`: a smaller initial memory makes a pool slot's reset cheaper).

use rec_wasm_tests::generated::big_cases;
use rec_wasm_tests::{corpus_dir, load};
use wasmtime::{Engine, Instance, Module, Store};

/// The initial value of the module's first global, `__stack_pointer`: with the stack first in memory, the
/// stack's size.
fn stack_size(wasm: &[u8]) -> usize {
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        if let wasmparser::Payload::GlobalSection(globals) = payload.expect("the module parses") {
            let first = globals
                .into_iter()
                .next()
                .expect("the module has globals")
                .expect("a global");
            let init = first.init_expr.get_operators_reader().read().expect("an initializer");
            let wasmparser::Operator::I32Const { value } = init else {
                panic!("the stack pointer is set by i32.const, not {init:?}")
            };
            return usize::try_from(value).expect("a positive stack pointer");
        }
    }
    panic!("the module has no global section")
}

#[test]
fn the_deepest_case_uses_at_most_half_the_stack() {
    let wasm = rec_engine::EMBEDDED_MODULE;
    let stack = stack_size(wasm);
    let engine = Engine::default();
    let module = Module::new(&engine, wasm).expect("the module compiles");
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).expect("the module instantiates");
    let memory = instance.get_memory(&mut store, "memory").expect("memory");
    let alloc = instance
        .get_typed_func::<u32, u32>(&mut store, "rec_alloc")
        .expect("rec_alloc");
    let free = instance
        .get_typed_func::<(u32, u32), ()>(&mut store, "rec_free")
        .expect("rec_free");
    let call = instance
        .get_typed_func::<(u32, u32, u32), u64>(&mut store, "rec_call")
        .expect("rec_call");

    let mut cases = load(&corpus_dir()).expect("the corpus loads");
    cases.extend(big_cases());
    let mut deepest = (0, String::new());
    for case in &cases {
        let len = case.input.len() as u32;
        let ptr = alloc.call(&mut store, len).expect("rec_alloc");
        memory.data_mut(&mut store)[ptr as usize..][..case.input.len()].copy_from_slice(&case.input);
        let answer = call
            .call(&mut store, (case.op.op() as u32, ptr, len))
            .unwrap_or_else(|trap| panic!("{}: the module trapped: {trap:?}", case.name));
        free.call(&mut store, (ptr, len)).expect("rec_free");
        free.call(&mut store, ((answer >> 32) as u32, answer as u32))
            .expect("rec_free");
        // The stack grows down from `stack`; everything below the lowest byte written so far is untouched zeroes.
        let lowest = memory.data(&store)[..stack]
            .iter()
            .position(|&b| b != 0)
            .unwrap_or(stack);
        if stack - lowest > deepest.0 {
            deepest = (stack - lowest, case.name.clone());
        }
    }
    eprintln!(
        "deepest stack use over {} cases: {} KiB of {} KiB, by {}",
        cases.len(),
        deepest.0 >> 10,
        stack >> 10,
        deepest.1
    );
    assert!(
        deepest.0 * 2 <= stack,
        "{} uses {} bytes of the {}-byte stack: more than half",
        deepest.1,
        deepest.0,
        stack
    );
}
