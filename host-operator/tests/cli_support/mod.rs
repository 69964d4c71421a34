//! The `rec-operator` binary for the CLI tests (`cli.rs`, `cli_hostile.rs`).

use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The binary, its compiled core module cached under the target directory; the first call fills the cache once
/// (in a debug build compiling the module takes long) before the tests run in parallel.
pub fn bin() -> Command {
    static WARM: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    let cache = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("rec-engine-cache");
    let command = || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_rec-operator"));
        command.env("REC_ENGINE_CACHE_DIR", &cache);
        command
    };
    WARM.get_or_init(|| {
        let _ = command().args(["validate", "-"]).stdin(Stdio::null()).output();
    });
    command()
}
