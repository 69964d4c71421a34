//! The real core module in the engine: no imports, the documented exports, within its size budget, the same
//! answers as native, typed helpers, limits, and many calls at once.

use rec_core::abi::{DefaultsRequest, Op, RenderRequest, ValidateRequest};
use rec_engine::{EMBEDDED_MODULE, Engine, EngineError, Limits};
use serde_json::json;
use std::sync::OnceLock;

/// The module may not grow past this without a decision (it is shipped inside the operator binary).
/// Decided at 8 MiB when validation and rendering landed (5.9 MiB: 4.0 MB code, 0.3 MB data, 1.9 MB `name`
/// section that `strip = "debuginfo"` keeps for function names in trap backtraces).
const SIZE_BUDGET_BYTES: usize = 8 << 20;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        Engine::builder()
            .cache_dir(concat!(env!("CARGO_TARGET_TMPDIR"), "/rec-engine-cache"))
            .embedded()
            .expect("the embedded module loads")
    })
}

/// What the module's binary declares, read with wasmparser rather than wasmtime: an independent check of what the
/// engine also refuses on load.
#[derive(Debug, PartialEq)]
struct Declared {
    imports: usize,
    exports: Vec<String>,
    /// The minimum of its one memory, in bytes (`None` without a memory section).
    initial_memory: Option<u64>,
}

fn declared(wasm: &[u8]) -> Declared {
    let mut declared = Declared {
        imports: 0,
        exports: Vec::new(),
        initial_memory: None,
    };
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        match payload.expect("the module parses") {
            wasmparser::Payload::ImportSection(imports) => declared.imports = imports.into_imports().count(),
            wasmparser::Payload::ExportSection(exports) => {
                declared.exports = exports
                    .into_iter()
                    .map(|export| export.expect("an export").name.to_string())
                    .collect();
            }
            wasmparser::Payload::MemorySection(memories) => {
                let memories: Vec<_> = memories.into_iter().collect::<Result<_, _>>().expect("memories");
                assert_eq!(memories.len(), 1, "one memory");
                declared.initial_memory = Some(memories[0].initial * 64 * 1024);
            }
            _ => {}
        }
    }
    declared
}

#[test]
fn the_module_imports_nothing_and_exports_the_abi() {
    let Declared { imports, exports, .. } = declared(EMBEDDED_MODULE);
    assert_eq!(imports, 0, "the core module must import nothing");
    for name in [
        "memory",
        "rec_abi_version",
        "rec_alloc",
        "rec_free",
        "rec_call",
        "rec_panic_message",
    ] {
        assert!(
            exports.iter().any(|e| e == name),
            "missing export {name}; exports: {exports:?}"
        );
    }
}

#[test]
fn the_module_is_within_its_size_budget() {
    let size = EMBEDDED_MODULE.len();
    eprintln!(
        "core module: {size} bytes ({:.2} MiB), budget {SIZE_BUDGET_BYTES} bytes, sha256 {}",
        size as f64 / (1 << 20) as f64,
        engine().info().sha256
    );
    assert!(
        size <= SIZE_BUDGET_BYTES,
        "the core module is {size} bytes, over its budget of {SIZE_BUDGET_BYTES}"
    );
}

#[test]
fn the_module_reports_the_abi_and_core_versions() {
    let info = engine().info();
    assert_eq!(info.abi_version, rec_core::abi::ABI_VERSION);
    assert_eq!(info.core_version, env!("CARGO_PKG_VERSION"));
    assert_eq!(info.size, EMBEDDED_MODULE.len());
}

#[test]
fn every_op_answers_byte_identically_to_native() {
    let requests: [(Op, &[u8]); 10] = [
        (Op::Version, b"{}"),
        (Op::Validate, br#"{"object":{"apiVersion":"app.redislabs.com/v1","kind":"RedisEnterpriseCluster","metadata":{"name":"rec"},"spec":{"nodes":3}}}"#),
        (Op::Render, br#"{"object":{"apiVersion":"app.redislabs.com/v1","kind":"RedisEnterpriseCluster","metadata":{"name":"rec"},"spec":{}}}"#),
        (Op::Defaults, br#"{"object":{"apiVersion":"app.redislabs.com/v1","kind":"RedisEnterpriseCluster","metadata":{"name":"rec"},"spec":{}}}"#),
        (Op::ParseYaml, b"a: 1\n"),
        (Op::ToYaml, br#"{"documents":[{"a":1},[1,"x"]]}"#),
        (Op::Validate, b"not json"),
        (Op::ParseYaml, b"\xff\xfe"),
        (Op::FieldTable, br#"{"kind":"RedisEnterpriseDatabase"}"#),
        (Op::FieldTable, br#"{"kind":"Pod"}"#),
    ];
    for (op, input) in requests {
        let native = rec_core::abi::call(op as u32, input);
        let wasm = engine().call(op, input).expect("the module answers");
        assert_eq!(
            String::from_utf8_lossy(&wasm),
            String::from_utf8_lossy(&native),
            "{op:?}"
        );
    }
    let unknown = engine().call_raw(99, b"{}").expect("the module answers");
    assert_eq!(unknown, rec_core::abi::call(99, b"{}"));
    // The one operation the module leaves out (`rec_core_module::MODULE_OPS`) answers `Unsupported`, as the
    // core's `call_only` writes it.
    let crd = engine().call(Op::Crd, b"{}").expect("the module answers");
    assert_eq!(
        crd,
        rec_core::abi::call_only::<{ rec_core_module::MODULE_OPS }>(Op::Crd as u32, b"{}")
    );
    let crd = String::from_utf8_lossy(&crd);
    assert!(crd.contains(r#""kind":"Unsupported""#), "{crd}");
}

#[test]
fn the_typed_helpers_read_the_answers() {
    let rec = json!({"apiVersion": "app.redislabs.com/v1", "kind": "RedisEnterpriseCluster",
        "metadata": {"name": "rec"}, "spec": {"nodes": 3}});
    let report = engine()
        .validate(&ValidateRequest {
            object: rec.clone(),
            ..Default::default()
        })
        .expect("validates");
    assert_eq!(report, rec_core::validate::validate(&rec, None, &Default::default()));
    let rendered = engine()
        .render(&RenderRequest {
            object: rec.clone(),
            ..Default::default()
        })
        .expect("renders");
    assert_eq!(rendered, rec_core::render::render(&rec, &Default::default()));
    let spec = engine()
        .defaults(&DefaultsRequest {
            object: rec.clone(),
            ..Default::default()
        })
        .expect("defaults");
    assert_eq!(spec.nodes, Some(3));
    let parsed = engine().parse_yaml("{\"a\": 1}").expect("parses");
    assert_eq!(
        parsed,
        serde_json::to_value(rec_core::yaml::parse("{\"a\": 1}")).expect("JSON")
    );
    let yaml = engine().to_yaml(&[json!({"a": 1})]).expect("writes YAML");
    assert_eq!(yaml, rec_core::yaml::to_yaml_stream(&[json!({"a": 1})]));
}

#[test]
fn an_error_answer_is_a_typed_core_error() {
    let error = engine().defaults(&DefaultsRequest {
        object: json!("a string"),
        ..Default::default()
    });
    assert!(
        matches!(&error, Err(EngineError::Core { kind, .. }) if kind == "BadRequest"),
        "{error:?}"
    );
    assert_eq!(error.expect_err("an error").reason(), "Core");
}

#[test]
fn a_request_beyond_the_memory_limit_is_out_of_memory_and_the_engine_goes_on() {
    let small = engine().with_limits(Limits {
        memory_bytes: 8 << 20,
        ..Limits::default()
    });
    let huge = format!("\"{}\"", "x".repeat(16 << 20));
    assert_eq!(
        small.call(Op::ParseYaml, huge.as_bytes()),
        Err(EngineError::OutOfMemory)
    );
    assert_eq!(
        small.call(Op::Version, b"{}").expect("still serving"),
        rec_core::abi::call(0, b"{}")
    );
}

/// The module's allocator (`core/module/src/alloc.rs`) serves a call from an arena in the initial memory: a
/// validate or render of the reference example must never grow memory (growing a fresh instance's memory costs
/// an `mprotect` on each call). Capped at exactly its initial memory, the module must still answer them.
#[test]
fn the_example_rec_is_answered_without_growing_memory() {
    let case: serde_json::Value = serde_json::from_str(include_str!(
        "../../wasm-tests/corpus/examples/example-examples-v1-rec-render.json"
    ))
    .expect("a corpus case");
    let request = json!({ "object": case["request"]["object"] }).to_string();
    let initial = declared(EMBEDDED_MODULE)
        .initial_memory
        .expect("the module defines a memory") as usize;
    let no_growth = engine().with_limits(Limits {
        memory_bytes: initial,
        ..engine().limits()
    });
    for op in [Op::Validate, Op::Render] {
        let answer = no_growth.call(op, request.as_bytes());
        assert_eq!(
            answer,
            Ok(rec_core::abi::call(op as u32, request.as_bytes())),
            "{op:?} within the initial memory of {initial} bytes"
        );
    }
}

#[test]
fn a_call_past_its_deadline_is_a_timeout_and_the_engine_goes_on() {
    let starved = engine().with_limits(Limits {
        timeout: std::time::Duration::ZERO,
        ..Limits::default()
    });
    assert_eq!(starved.call(Op::Version, b"{}"), Err(EngineError::Timeout));
    assert_eq!(
        engine().call(Op::Version, b"{}").expect("still serving"),
        rec_core::abi::call(0, b"{}")
    );
}

#[test]
fn the_engine_is_shared_between_threads() {
    fn assert_shareable<T: Clone + Send + Sync + 'static>() {}
    assert_shareable::<Engine>();
    let request = br#"{"object":{"apiVersion":"app.redislabs.com/v1","kind":"RedisEnterpriseCluster","metadata":{"name":"rec"},"spec":{"nodes":4}}}"#;
    let native = rec_core::abi::call(Op::Validate as u32, request);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let engine = engine().clone();
                scope.spawn(move || (0..10).map(|_| engine.call(Op::Validate, request)).collect::<Vec<_>>())
            })
            .collect();
        for handle in handles {
            for answer in handle.join().expect("no thread panics") {
                assert_eq!(answer.as_deref(), Ok(native.as_slice()));
            }
        }
    });
}

#[test]
fn a_second_load_comes_from_the_cache() {
    let first = engine();
    let started = std::time::Instant::now();
    let second = Engine::builder()
        .cache_dir(concat!(env!("CARGO_TARGET_TMPDIR"), "/rec-engine-cache"))
        .embedded()
        .expect("the embedded module loads");
    eprintln!(
        "load from the cache: {:?} (first load from cache: {})",
        started.elapsed(),
        first.info().from_cache
    );
    assert!(second.info().from_cache);
    assert_eq!(second.call(Op::Version, b"{}"), first.call(Op::Version, b"{}"));
}

#[test]
fn the_section_reader_sees_imports_exports_and_memory() {
    let wasm = wat::parse_str(
        r#"(module (import "env" "f" (func)) (import "env" "g" (func)) (memory 3) (func (export "h")))"#,
    )
    .expect("valid WAT");
    assert_eq!(
        declared(&wasm),
        Declared {
            imports: 2,
            exports: vec!["h".to_string()],
            initial_memory: Some(3 * 64 * 1024),
        }
    );
}
