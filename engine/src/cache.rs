//! Compile once: precompiled code kept on disk, keyed by the module's SHA-256 and the engine's
//! compatibility hash (wasmtime version, target, compiler settings), so a restart maps native code in well
//! under a millisecond instead of compiling for seconds. A stale artifact cannot load: another module has
//! another file name, another wasmtime or configuration another hash, and wasmtime checks the header too.
//!
//! The cache is an optimisation only: any failure to read or write it falls back to compiling.
//!
//! Files are mapped, not read (`Module::deserialize_file`): reading and copying the 14 MiB artifact cost
//! 12–50 ms, mapping costs microseconds and pages come in as the code runs. A mapped file must not change
//! while a module uses it (truncating it in place would crash the process with SIGBUS). This module never
//! writes a file in place: each writer writes its own temporary file (process id and a counter in its name)
//! and renames it over the final name, which leaves any mapped older file untouched. The directory must be
//! trusted by contract (`EngineBuilder::cache_dir`): whoever can write into it can already inject native code.

use crate::error::EngineError;
use sha2::{Digest, Sha256};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use wasmtime::{Engine, Module};

/// Hex SHA-256 of `bytes`.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The cache file for the module with hex SHA-256 `sha256` under `dir` and this engine's configuration.
pub(crate) fn path(engine: &Engine, sha256: &str, dir: &Path) -> PathBuf {
    let mut hasher = DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut hasher);
    dir.join(format!("rec-core-{sha256}-{:016x}.cwasm", hasher.finish()))
}

/// The compiled module for `wasm` (whose hex SHA-256 is `sha256`), and whether it came from the cache.
pub(crate) fn load(
    engine: &Engine,
    wasm: &[u8],
    sha256: &str,
    dir: Option<&Path>,
) -> Result<(Module, bool), EngineError> {
    let Some(dir) = dir else {
        return compile(engine, wasm).map(|module| (module, false));
    };
    let file = path(engine, sha256, dir);
    // SAFETY: the file was written by `store` below from `Engine::precompile_module` output for exactly the
    // wasm bytes its name holds the hash of, and is never modified in place (see the module docs); the cache
    // directory is trusted by contract (`EngineBuilder::cache_dir`). Wasmtime still checks the header against
    // this engine, and a missing or foreign file is an `Err` that falls back to compiling.
    if let Ok(module) = unsafe { Module::deserialize_file(engine, &file) } {
        return Ok((module, true));
    }
    let precompiled = engine
        .precompile_module(wasm)
        .map_err(|e| EngineError::Compile(format!("{e:#}")))?;
    store(dir, &file, &precompiled);
    // SAFETY: the bytes were produced just now by `precompile_module` of this engine.
    let module =
        unsafe { Module::deserialize(engine, &precompiled) }.map_err(|e| EngineError::Compile(e.to_string()))?;
    Ok((module, false))
}

fn compile(engine: &Engine, wasm: &[u8]) -> Result<Module, EngineError> {
    Module::new(engine, wasm).map_err(|e| EngineError::Compile(format!("{e:#}")))
}

/// Writes the cache file through a temporary file of this writer alone, renamed over the final name;
/// failures are ignored (the next start compiles again).
fn store(dir: &Path, file: &Path, precompiled: &[u8]) {
    static WRITERS: AtomicU64 = AtomicU64::new(0);
    let writer = WRITERS.fetch_add(1, Ordering::Relaxed);
    let tmp = file.with_extension(format!("tmp{}-{writer}", std::process::id()));
    let written = std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(&tmp, precompiled))
        .and_then(|()| std::fs::rename(&tmp, file));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}
