//! What every test of a generated, committed file shares (the CRDs under `deploy/`, the field tables, the compiled
//! shapes): the committed copy must be what the generator writes now, and `REC_BLESS=1` rewrites it.

use std::path::Path;

/// Asserts that the file at `file` (relative to the repository) holds `generated`; with `REC_BLESS` set, writes
/// it first. `regenerate` is the command the failure message tells the reader to run.
pub fn committed_is(file: &str, generated: &str, regenerate: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(file);
    if std::env::var_os("REC_BLESS").is_some() {
        std::fs::write(&path, generated).unwrap_or_else(|e| panic!("write {file}: {e}"));
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{file} is stale: regenerate it with {regenerate}"
    );
}
