//! Compile once: precompiled code kept on disk, keyed by the module's SHA-256 and the engine's
//! compatibility hash (wasmtime version, target, compiler settings), so a restart loads native code in
//! milliseconds instead of compiling for seconds.
//!
//! The cache is an optimisation only: any failure to read or write it falls back to compiling.
//! Files are written to a temporary name and renamed, so a reader never sees half a file. They are read into
//! memory rather than mapped (`Module::deserialize_file`): a mapped file truncated by another process would
//! crash this one with SIGBUS (a test did exactly that), and reading a few MiB costs milliseconds.

use crate::error::EngineError;
use sha2::{Digest, Sha256};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use wasmtime::{Engine, Module};

/// Hex SHA-256 of `bytes`.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The cache file for `wasm` under `dir` and this engine's configuration.
pub(crate) fn path(engine: &Engine, wasm: &[u8], dir: &Path) -> PathBuf {
    let mut hasher = DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut hasher);
    dir.join(format!("rec-core-{}-{:016x}.cwasm", sha256_hex(wasm), hasher.finish()))
}

/// The compiled module, and whether it came from the cache.
pub(crate) fn load(engine: &Engine, wasm: &[u8], dir: Option<&Path>) -> Result<(Module, bool), EngineError> {
    let Some(dir) = dir else {
        return compile(engine, wasm).map(|module| (module, false));
    };
    let file = path(engine, wasm, dir);
    if let Ok(cached) = std::fs::read(&file) {
        // SAFETY: the file was written by `store` below from `Engine::precompile_module` output for exactly
        // these wasm bytes (its name holds their hash); the cache directory is trusted by contract
        // (`EngineBuilder::cache_dir`). Wasmtime still checks the header against this engine.
        if let Ok(module) = unsafe { Module::deserialize(engine, &cached) } {
            return Ok((module, true));
        }
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

/// Writes the cache file; failures are ignored (the next start compiles again).
fn store(dir: &Path, file: &Path, precompiled: &[u8]) {
    let tmp = file.with_extension(format!("tmp{}", std::process::id()));
    let written = std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(&tmp, precompiled))
        .and_then(|()| std::fs::rename(&tmp, file));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}
