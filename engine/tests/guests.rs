//! Hostile and broken guests written in WAT: each failure ends in its typed error, within a bounded time, and
//! the same engine keeps answering the next call.

use rec_engine::{Engine, EngineError, Limits, Strategy};
use std::time::{Duration, Instant};

const VERSION_ANSWER: &str = r#"{"ok":{"abiVersion":1,"coreVersion":"wat"}}"#;
const PANIC_MESSAGE: &str = "deliberate panic in a test guest";
const NOT_JSON: &str = "not json";

/// Operation numbers the test guest understands (0 answers like `Op::Version`).
const LOOP_FOREVER: u32 = 1;
const GROW_FOREVER: u32 = 2;
const PANIC: u32 = 3;
const ANSWER_NOT_JSON: u32 = 4;
const ANSWER_OUT_OF_BOUNDS: u32 = 5;
const DIVIDE_BY_ZERO: u32 = 6;
const PLAIN_UNREACHABLE: u32 = 7;

fn packed(ptr: u64, len: usize) -> u64 {
    (ptr << 32) | len as u64
}

/// A guest speaking the module ABI, with `abi_version` and optional extra imports.
fn guest_wat(abi_version: u32, extra: &str) -> String {
    let version = packed(16, VERSION_ANSWER.len());
    let panic = packed(1024, PANIC_MESSAGE.len());
    let not_json = packed(2048, NOT_JSON.len());
    let escaped = VERSION_ANSWER.replace('"', "\\\"");
    format!(
        r#"(module
  {extra}
  (memory (export "memory") 1)
  (global $bump (mut i32) (i32.const 4096))
  (global $panicked (mut i32) (i32.const 0))
  (data (i32.const 16) "{escaped}")
  (data (i32.const 1024) "{PANIC_MESSAGE}")
  (data (i32.const 2048) "{NOT_JSON}")
  (func (export "rec_abi_version") (result i32) (i32.const {abi_version}))
  (func (export "rec_alloc") (param $len i32) (result i32) (local $p i32)
    (local.set $p (global.get $bump))
    (global.set $bump (i32.add (global.get $bump) (local.get $len)))
    (local.get $p))
  (func (export "rec_free") (param i32 i32))
  (func (export "rec_panic_message") (result i64)
    (if (result i64) (global.get $panicked) (then (i64.const {panic})) (else (i64.const 0))))
  (func (export "rec_call") (param $op i32) (param $ptr i32) (param $len i32) (result i64)
    (if (i32.eq (local.get $op) (i32.const {LOOP_FOREVER})) (then (loop $l (br $l))))
    (if (i32.eq (local.get $op) (i32.const {GROW_FOREVER}))
      (then (loop $g (drop (memory.grow (i32.const 16))) (br $g))))
    (if (i32.eq (local.get $op) (i32.const {PANIC})) (then (global.set $panicked (i32.const 1)) (unreachable)))
    (if (i32.eq (local.get $op) (i32.const {ANSWER_NOT_JSON})) (then (return (i64.const {not_json}))))
    (if (i32.eq (local.get $op) (i32.const {ANSWER_OUT_OF_BOUNDS})) (then (return (i64.const {out}))))
    (if (i32.eq (local.get $op) (i32.const {DIVIDE_BY_ZERO}))
      (then (drop (i32.div_s (i32.const 1) (i32.sub (local.get $len) (local.get $len))))))
    (if (i32.eq (local.get $op) (i32.const {PLAIN_UNREACHABLE})) (then (unreachable)))
    (i64.const {version})))
"#,
        out = packed(0xFFFF_0000, 100),
    )
}

const TIMEOUT: Duration = Duration::from_millis(200);

fn guest(abi_version: u32, extra: &str) -> Result<Engine, EngineError> {
    guest_with(abi_version, extra, Strategy::default())
}

fn guest_with(abi_version: u32, extra: &str, strategy: Strategy) -> Result<Engine, EngineError> {
    let wasm = wat::parse_str(guest_wat(abi_version, extra)).expect("the test guest is valid WAT");
    Engine::builder()
        .limits(Limits {
            timeout: TIMEOUT,
            memory_bytes: 32 << 20,
        })
        .strategy(strategy)
        .from_bytes(&wasm)
}

fn assert_still_serving(engine: &Engine) {
    let answer = engine.call_raw(0, b"{}").expect("the engine serves the next call");
    assert_eq!(answer, VERSION_ANSWER.as_bytes());
}

#[test]
fn a_guest_that_loops_forever_is_stopped_with_timeout() {
    let engine = guest(1, "").expect("the test guest loads");
    let started = Instant::now();
    assert_eq!(engine.call_raw(LOOP_FOREVER, b"{}"), Err(EngineError::Timeout));
    let elapsed = started.elapsed();
    eprintln!(
        "runaway loop stopped after {elapsed:?} (timeout {:?})",
        engine.limits().timeout
    );
    assert!(elapsed >= TIMEOUT, "stopped before its deadline, after {elapsed:?}");
    assert!(elapsed < Duration::from_secs(60), "stopped only after {elapsed:?}");
    assert_still_serving(&engine);
}

#[test]
fn every_strategy_stops_a_runaway_and_survives_a_panic() {
    for strategy in [Strategy::OnDemand, Strategy::Pooling { slots: 2 }] {
        let engine = guest_with(1, "", strategy).expect("the test guest loads");
        assert_eq!(
            engine.call_raw(LOOP_FOREVER, b"{}"),
            Err(EngineError::Timeout),
            "{strategy:?}"
        );
        assert_eq!(
            engine.call_raw(GROW_FOREVER, b"{}"),
            Err(EngineError::OutOfMemory),
            "{strategy:?}"
        );
        assert_eq!(
            engine.call_raw(PANIC, b"{}"),
            Err(EngineError::Panic(PANIC_MESSAGE.into())),
            "{strategy:?}"
        );
        assert_still_serving(&engine);
    }
}

#[test]
fn more_calls_than_pool_slots_wait_for_a_slot_instead_of_failing() {
    let engine = guest_with(1, "", Strategy::Pooling { slots: 1 }).expect("the test guest loads");
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..20 {
                    assert_still_serving(&engine);
                }
            });
        }
    });
}

#[test]
fn a_guest_that_grows_memory_forever_is_stopped_with_out_of_memory() {
    let engine = guest(1, "").expect("the test guest loads");
    assert_eq!(engine.call_raw(GROW_FOREVER, b"{}"), Err(EngineError::OutOfMemory));
    assert_still_serving(&engine);
}

#[test]
fn a_panic_is_reported_with_its_message() {
    let engine = guest(1, "").expect("the test guest loads");
    assert_eq!(
        engine.call_raw(PANIC, b"{}"),
        Err(EngineError::Panic(PANIC_MESSAGE.into()))
    );
    assert_still_serving(&engine);
}

#[test]
fn an_unreachable_without_a_recorded_panic_is_a_trap() {
    let engine = guest(1, "").expect("the test guest loads");
    let error = engine.call_raw(PLAIN_UNREACHABLE, b"{}").expect_err("the guest traps");
    assert!(
        matches!(&error, EngineError::Trap(m) if m.contains("unreachable")),
        "{error:?}"
    );
    assert_eq!(error.reason(), "Trap");
    assert_still_serving(&engine);
}

#[test]
fn a_division_by_zero_is_a_trap() {
    let engine = guest(1, "").expect("the test guest loads");
    let error = engine.call_raw(DIVIDE_BY_ZERO, b"{}").expect_err("the guest traps");
    assert!(
        matches!(&error, EngineError::Trap(m) if m.contains("divide by zero")),
        "{error:?}"
    );
    assert_still_serving(&engine);
}

#[test]
fn an_answer_that_is_not_json_is_a_bad_answer() {
    let engine = guest(1, "").expect("the test guest loads");
    let error = engine
        .call_raw(ANSWER_NOT_JSON, b"{}")
        .expect_err("the answer is refused");
    assert_eq!(error.reason(), "BadAnswer", "{error:?}");
    assert_still_serving(&engine);
}

#[test]
fn an_answer_outside_guest_memory_is_a_bad_answer() {
    let engine = guest(1, "").expect("the test guest loads");
    let error = engine
        .call_raw(ANSWER_OUT_OF_BOUNDS, b"{}")
        .expect_err("the answer is refused");
    assert!(
        matches!(&error, EngineError::BadAnswer(m) if m.contains("outside guest memory")),
        "{error:?}"
    );
    assert_still_serving(&engine);
}

#[test]
fn a_module_of_another_abi_version_is_refused() {
    let error = guest(99, "").expect_err("the module is refused");
    assert_eq!(
        error,
        EngineError::AbiMismatch {
            expected: rec_core::abi::ABI_VERSION,
            found: 99
        }
    );
    assert_eq!(error.reason(), "AbiMismatch");
}

#[test]
fn a_module_with_imports_is_refused() {
    let error = guest(
        1,
        r#"(import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))"#,
    )
    .expect_err("the module is refused");
    assert!(
        matches!(&error, EngineError::Compile(m) if m.contains("fd_write")),
        "{error:?}"
    );
}

#[test]
fn a_module_without_the_exports_is_refused() {
    let wasm = wat::parse_str(r#"(module (memory (export "memory") 1))"#).expect("valid WAT");
    let error = Engine::from_bytes(&wasm).expect_err("the module is refused");
    assert!(
        matches!(&error, EngineError::Compile(m) if m.contains("rec_abi_version")),
        "{error:?}"
    );
}

#[test]
fn bytes_that_are_not_wasm_are_refused() {
    let error = Engine::from_bytes(b"definitely not wasm").expect_err("refused");
    assert_eq!(error.reason(), "Compile");
}

#[test]
fn a_missing_file_is_refused_with_its_path() {
    let error = Engine::from_file(std::path::Path::new("/nonexistent/core.wasm")).expect_err("refused");
    assert!(
        matches!(&error, EngineError::Compile(m) if m.contains("/nonexistent/core.wasm")),
        "{error:?}"
    );
}

#[test]
fn limits_are_per_clone_and_the_module_is_shared() {
    let engine = guest(1, "").expect("the test guest loads");
    let tight = engine.with_limits(Limits {
        timeout: Duration::ZERO,
        ..engine.limits()
    });
    assert_eq!(tight.call_raw(0, b"{}"), Err(EngineError::Timeout));
    assert_eq!(engine.limits().timeout, TIMEOUT);
    // The same compiled module serves the original clone under its own limits.
    assert_still_serving(&engine);
}

#[test]
fn the_compiled_module_is_cached_and_a_broken_cache_file_is_recompiled() {
    let wasm = wat::parse_str(guest_wat(1, "")).expect("the test guest is valid WAT");
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cache-test-{}", std::process::id()));
    let load = || {
        Engine::builder()
            .cache_dir(&dir)
            .from_bytes(&wasm)
            .expect("the test guest loads")
    };
    assert!(!load().info().from_cache, "the first load compiles");
    let cached = load();
    assert!(cached.info().from_cache, "the second load comes from the cache");
    assert_still_serving(&cached);
    // The engine maps the cache file: it may not change in place while a module uses it (the engine itself
    // only ever renames new files over it), so the mapped engine goes before the file is damaged in place.
    drop(cached);
    for entry in std::fs::read_dir(&dir).expect("the cache directory exists") {
        std::fs::write(entry.expect("an entry").path(), b"garbage").expect("the cache file is overwritten");
    }
    let recompiled = load();
    assert!(!recompiled.info().from_cache, "a broken cache file is compiled again");
    assert_still_serving(&recompiled);
    assert!(load().info().from_cache, "and cached again");
    std::fs::remove_dir_all(&dir).expect("the test cache is removed");
}
