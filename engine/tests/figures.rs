//! Figures behind the engine's choices, printed (run with `--nocapture`); nothing here asserts a time.
//!
//! - load: compiling the module vs loading the precompiled code from the cache;
//! - per call: a fresh on-demand instance vs the pooling allocator, for a tiny call (`Version`) and a real one
//!   (`Validate`), sequential and from 4 threads.

use rec_core::abi::Op;
use rec_engine::{Engine, Strategy};
use std::time::{Duration, Instant};

const CALLS: u32 = 100;
const VALIDATE: &[u8] = br#"{"object":{"apiVersion":"app.redislabs.com/v1","kind":"RedisEnterpriseCluster","metadata":{"name":"rec"},"spec":{"nodes":3,"redisEnterpriseNodeResources":{"requests":{"cpu":"2","memory":"8Gi"},"limits":{"cpu":"2","memory":"8Gi"}}}}}"#;

fn cache_dir() -> &'static str {
    concat!(env!("CARGO_TARGET_TMPDIR"), "/rec-engine-cache")
}

fn per_call(engine: &Engine, op: Op, input: &[u8]) -> Duration {
    let started = Instant::now();
    for _ in 0..CALLS {
        engine.call(op, input).expect("the call answers");
    }
    started.elapsed() / CALLS
}

fn threaded(engine: &Engine, op: Op, input: &[u8]) -> Duration {
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..CALLS / 4 {
                    engine.call(op, input).expect("the call answers");
                }
            });
        }
    });
    started.elapsed() / CALLS
}

#[test]
fn instantiation_strategies_and_load_times() {
    let started = Instant::now();
    let on_demand = Engine::builder()
        .cache_dir(cache_dir())
        .strategy(Strategy::OnDemand)
        .embedded()
        .expect("loads");
    let load = started.elapsed();
    let started = Instant::now();
    let pooling = Engine::builder()
        .cache_dir(cache_dir())
        .strategy(Strategy::Pooling { slots: 16 })
        .embedded()
        .expect("loads");
    let pooling_load = started.elapsed();
    eprintln!(
        "load (from cache: {}): on-demand {load:?}, pooling {pooling_load:?}",
        on_demand.info().from_cache
    );
    for (name, engine) in [("on-demand", &on_demand), ("pooling", &pooling)] {
        eprintln!(
            "{name:>9}: version {:?}/call, validate {:?}/call, validate from 4 threads {:?}/call",
            per_call(engine, Op::Version, b"{}"),
            per_call(engine, Op::Validate, VALIDATE),
            threaded(engine, Op::Validate, VALIDATE),
        );
    }
    assert_eq!(
        on_demand.call(Op::Validate, VALIDATE),
        pooling.call(Op::Validate, VALIDATE)
    );
}
