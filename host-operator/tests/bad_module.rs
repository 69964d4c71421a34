//! A deliberately bad core module: it serves one REC correctly and traps (or loops until its deadline) on any
//! request that carries a marker. The REC with the marker gets `state: Error`, `Reconciled=False` with a message
//! naming the trap or the timeout, and a Warning event; the other REC is reconciled by the same operator, before
//! and after.
//!
//! The guest is WAT: its good answers are the real core module's answers for the good REC, recorded once and
//! replayed from its data segment, so what lands for the good REC is exactly what the real core renders.

mod common;

use common::*;
use rec_core::abi::{DefaultsRequest, Op};
use rec_core::plan::PlanRequest;
use rec_core::render::{Entropy, RenderContext};
use rec_engine::{Engine, Limits};
use serde_json::{Value, json};
use std::fmt::Write;

const TRAP_MARKER: &str = "bad-module-trap-here";
const LOOP_MARKER: &str = "bad-module-loop-here";

fn packed(ptr: usize, len: usize) -> u64 {
    ((ptr as u64) << 32) | len as u64
}

/// `bytes` as a WAT string literal body (every byte hex-escaped but letters and digits).
fn escaped(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for b in bytes {
        if b.is_ascii_alphanumeric() {
            out.push(*b as char);
        } else {
            let _ = write!(out, "\\{b:02x}");
        }
    }
    out
}

/// A guest that answers `answers[op]` (recorded), traps on [`TRAP_MARKER`] and loops on [`LOOP_MARKER`].
fn bad_module(answers: &[(Op, Vec<u8>)]) -> Vec<u8> {
    let mut data = String::new();
    let mut dispatch = String::new();
    let mut offset = 1024;
    let mut segment = |bytes: &[u8], data: &mut String| {
        let at = offset;
        let _ = writeln!(data, "  (data (i32.const {at}) \"{}\")", escaped(bytes));
        offset += bytes.len().next_multiple_of(16);
        at
    };
    let trap_at = segment(TRAP_MARKER.as_bytes(), &mut data);
    let loop_at = segment(LOOP_MARKER.as_bytes(), &mut data);
    for (op, answer) in answers {
        let at = segment(answer, &mut data);
        let _ = writeln!(
            dispatch,
            "    (if (i32.eq (local.get $op) (i32.const {})) (then (return (i64.const {}))))",
            *op as u32,
            packed(at, answer.len())
        );
    }
    let heap = offset.next_multiple_of(65536);
    let pages = heap / 65536 + 16;
    let wat = format!(
        r#"(module
  (memory (export "memory") {pages})
  (global $bump (mut i32) (i32.const {heap}))
{data}
  (func (export "rec_abi_version") (result i32) (i32.const {abi}))
  (func (export "rec_alloc") (param $len i32) (result i32) (local $p i32)
    (local.set $p (global.get $bump))
    (global.set $bump (i32.add (global.get $bump) (local.get $len)))
    (local.get $p))
  (func (export "rec_free") (param i32 i32))
  (func (export "rec_panic_message") (result i64) (i64.const 0))
  ;; Whether the k bytes at m occur in the n bytes at p.
  (func $has (param $p i32) (param $n i32) (param $m i32) (param $k i32) (result i32) (local $i i32) (local $j i32)
    (if (i32.lt_u (local.get $n) (local.get $k)) (then (return (i32.const 0))))
    (loop $outer
      (local.set $j (i32.const 0))
      (block $mismatch
        (loop $inner
          (br_if $mismatch
            (i32.ne
              (i32.load8_u (i32.add (local.get $p) (i32.add (local.get $i) (local.get $j))))
              (i32.load8_u (i32.add (local.get $m) (local.get $j)))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (if (i32.eq (local.get $j) (local.get $k)) (then (return (i32.const 1))))
          (br $inner)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $outer (i32.le_u (local.get $i) (i32.sub (local.get $n) (local.get $k)))))
    (i32.const 0))
  (func (export "rec_call") (param $op i32) (param $ptr i32) (param $len i32) (result i64)
    (if (call $has (local.get $ptr) (local.get $len) (i32.const {trap_at}) (i32.const {trap_len}))
      (then (unreachable)))
    (if (call $has (local.get $ptr) (local.get $len) (i32.const {loop_at}) (i32.const {loop_len}))
      (then (loop $forever (br $forever))))
{dispatch}    (unreachable)))
"#,
        abi = rec_core::abi::ABI_VERSION,
        trap_len = TRAP_MARKER.len(),
        loop_len = LOOP_MARKER.len(),
    );
    wat::parse_str(&wat).expect("the bad module is valid WAT")
}

/// The real core's answers for `good` (as stored): what the bad module replays. The plan is the one of a new
/// cluster (nothing observed yet): replayed on every reconcile, it applies the same objects each time.
fn recorded_answers(good: &Value) -> Vec<(Op, Vec<u8>)> {
    let real = engine();
    let call = |op: Op, request: Vec<u8>| (op, real.call(op, &request).expect("the real core answers"));
    let defaults = DefaultsRequest {
        object: good.clone(),
        ..DefaultsRequest::default()
    };
    let plan = PlanRequest {
        object: good.clone(),
        observed: Some(json!({})),
        context: RenderContext {
            entropy: Some(Entropy("5a".repeat(32))),
            ..RenderContext::default()
        },
        now: Some("2026-12-04T12:00:00Z".into()),
        objects: true,
        ..PlanRequest::default()
    };
    let bytes = |request: serde_json::Result<Vec<u8>>| request.expect("a request serialises");
    vec![
        call(Op::Version, b"{}".to_vec()),
        call(Op::Defaults, bytes(serde_json::to_vec(&defaults))),
        call(Op::Plan, bytes(serde_json::to_vec(&plan))),
    ]
}

/// Creates the good REC and a bad one carrying `marker`; reconciles bad, good, bad, good with the bad module.
/// Returns the bad REC's reconcile error messages.
async fn two_recs_one_bad(marker: &str) -> Vec<String> {
    let client = cluster(Default::default()).await;
    create(&client, rec("good", spec())).await;
    let mut bad = rec("bad", spec());
    bad["metadata"]["annotations"] = json!({ "test.redis.io/fault": marker });
    create(&client, bad).await;
    let good = get_rec(&client, "good").await;
    let module = bad_module(&recorded_answers(&good));
    let engine = Engine::builder()
        .limits(Limits {
            timeout: std::time::Duration::from_millis(200),
            memory_bytes: 64 << 20,
        })
        .from_bytes(&module)
        .expect("the bad module loads: it speaks the ABI");
    let ctx = std::sync::Arc::new(rec_operator::testing::context(&client, engine));

    let mut messages = Vec::new();
    for round in 0..2 {
        let error = reconcile(&ctx, "bad").await.expect_err("the bad REC fails");
        assert_eq!(error.reason(), "PlanFailed", "{error}");
        let bad = get_rec(&client, "bad").await;
        assert_eq!(bad["status"]["state"], "Error", "{:#}", bad["status"]);
        let reconciled = condition(&bad, "Reconciled");
        assert_eq!(
            (reconciled["status"].as_str(), reconciled["reason"].as_str()),
            (Some("False"), Some("PlanFailed"))
        );
        assert_eq!(reconciled["message"], error.to_string().as_str());
        messages.push(error.to_string());

        reconcile(&ctx, "good")
            .await
            .unwrap_or_else(|e| panic!("round {round}: the good REC is still served: {e}"));
        let good = get_rec(&client, "good").await;
        assert_eq!(condition(&good, "Reconciled")["status"], "True", "round {round}");
        let stored = owned_objects(&client).await;
        let want = keys(&rendered(&good));
        assert!(
            want.iter().all(|k| stored.contains_key(k)),
            "round {round}: {want:?} vs {:?}",
            stored.keys()
        );
        assert!(
            stored.keys().all(|k| !k.contains("/bad")),
            "nothing applied for the bad REC"
        );
    }
    let events = events(&client).await;
    assert!(
        events
            .iter()
            .any(|(t, reason, note)| t == "Warning" && reason == "PlanFailed" && note == &messages[0]),
        "{events:?}"
    );
    messages
}

#[tokio::test]
async fn a_guest_trap_marks_that_rec_error_and_the_others_are_served() {
    for message in two_recs_one_bad(TRAP_MARKER).await {
        assert!(message.contains("the core module trapped"), "{message}");
        assert!(message.contains("unreachable"), "{message}");
    }
}

#[tokio::test]
async fn a_guest_timeout_marks_that_rec_error_and_the_others_are_served() {
    for message in two_recs_one_bad(LOOP_MARKER).await {
        assert!(message.contains("did not answer within its time limit"), "{message}");
    }
}
