//! Builds the core module (`rec-core-module`) for `wasm32-unknown-unknown` with the workspace's release
//! profile and copies it to `$OUT_DIR/rec_core_module.wasm`, where `EMBEDDED_MODULE` includes it.
//!
//! The nested cargo uses its own target directory (`target/core-module`) so it never waits on the outer
//! build's lock, and runs with the outer build's cargo/rustc variables removed so it builds exactly what a
//! plain `cargo build -p rec-core-module --target wasm32-unknown-unknown --release --locked` builds.
//! `REC_CORE_MODULE=/path/to/module.wasm` skips the nested build and embeds that file instead.
//! Also writes the module's hex SHA-256 to `$OUT_DIR/rec_core_module.sha256` (`EMBEDDED_MODULE_SHA256`), so the
//! engine need not hash the module on every start to find its precompiled code.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;

const TARGET: &str = "wasm32-unknown-unknown";
const FILE: &str = "rec_core_module.wasm";
const SHA256_FILE: &str = "rec_core_module.sha256";

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let workspace = manifest.parent().expect("engine/ lies in the workspace").to_path_buf();
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let out = out_dir.join(FILE);

    println!("cargo:rerun-if-env-changed=REC_CORE_MODULE");
    let module = match std::env::var_os("REC_CORE_MODULE").filter(|v| !v.is_empty()) {
        Some(path) => {
            let path = PathBuf::from(path);
            println!("cargo:rerun-if-changed={}", path.display());
            path
        }
        None => {
            for input in ["core/src", "core/Cargo.toml", "core/module", "Cargo.toml", "Cargo.lock"] {
                println!("cargo:rerun-if-changed={}", workspace.join(input).display());
            }
            build(&workspace)
        }
    };
    let bytes =
        std::fs::read(&module).unwrap_or_else(|e| panic!("cannot read the core module {}: {e}", module.display()));
    std::fs::write(&out, &bytes).unwrap_or_else(|e| panic!("cannot write the core module to {}: {e}", out.display()));
    let sha256: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    std::fs::write(out_dir.join(SHA256_FILE), sha256).unwrap_or_else(|e| panic!("cannot write the module's hash: {e}"));
}

/// Runs the nested cargo build; the path of the built module.
fn build(workspace: &Path) -> PathBuf {
    let target_dir = workspace.join("target").join("core-module");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(workspace)
        .args([
            "build",
            "-p",
            "rec-core-module",
            "--target",
            TARGET,
            "--release",
            "--locked",
            "--target-dir",
        ])
        .arg(&target_dir);
    if let Some(jobs) = std::env::var_os("NUM_JOBS") {
        command.arg("--jobs").arg(jobs);
    }
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if leaks_from_outer_build(&key) {
            command.env_remove(key.as_ref());
        }
    }
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run cargo for the core module: {e}"));
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        // The toolchain is there but not its wasm target (rustup adds the targets of rust-toolchain.toml only
        // when it installs the toolchain): say the one command that fixes it.
        let hint = if stderr.contains("may not be installed") || stderr.contains("can't find crate for `core`") {
            format!(
                "\nhint: the {TARGET} target is missing: run `rustup toolchain install` in the repository (it installs \
                 what rust-toolchain.toml lists, targets included), or `rustup target add {TARGET}`"
            )
        } else {
            String::new()
        };
        panic!("building the core module failed ({}):\n{stderr}{hint}", output.status);
    }
    target_dir.join(TARGET).join("release").join(FILE)
}

/// Variables the outer cargo sets for this build script (or the user set for the outer build) that would
/// change what the nested build compiles or where it writes. Registry, network and home settings stay.
fn leaks_from_outer_build(key: &str) -> bool {
    const KEEP: [&str; 5] = [
        "CARGO_HOME",
        "CARGO_NET_",
        "CARGO_HTTP_",
        "CARGO_REGISTRIES_",
        "CARGO_REGISTRY_",
    ];
    if key.starts_with("CARGO_") || key.starts_with("__CARGO") {
        return !KEEP.iter().any(|keep| key.starts_with(keep));
    }
    matches!(
        key,
        "RUSTFLAGS"
            | "RUSTDOCFLAGS"
            | "RUSTC"
            | "RUSTDOC"
            | "RUSTC_WRAPPER"
            | "RUSTC_WORKSPACE_WRAPPER"
            | "RUSTC_LINKER"
            | "TARGET"
            | "HOST"
            | "OUT_DIR"
            | "OPT_LEVEL"
            | "DEBUG"
            | "PROFILE"
            | "NUM_JOBS"
            | "MAKEFLAGS"
            | "MFLAGS"
    )
}
