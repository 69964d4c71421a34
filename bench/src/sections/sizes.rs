//! Section 6: sizes of what ships. The core module (as embedded in `rec-engine`), the policy module (`wasm-release`
//! profile, then wasm-opt with `policy/build`'s flags when wasm-opt is installed), the browser bundle
//! (`preview/dist`), raw and gzip -9.
//!
//! Gzip is measured with the system `gzip`, so the figure is what a web server would send.

use crate::table::Table;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const SECTION: &str = "6 sizes";

/// The wasm features Rust 1.95 enables by default for wasm32-wasip1, as scripts/test.d/45-policy.sh passes them.
const POLICY_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-multivalue",
    "--enable-reference-types",
];

pub fn run(table: &mut Table, workspace: &Path, policy: Option<&Path>) {
    let core = rec_engine::EMBEDDED_MODULE;
    table.value(
        SECTION,
        "core module (rec-engine)",
        kib(core.len()),
        gz_note(core),
        "release profile",
    );
    match policy {
        Some(path) => policy_sizes(table, path),
        None => table.skipped(
            SECTION,
            "policy module",
            "the policy module is not built (see section 2)",
        ),
    }
    let dist = workspace.join("preview").join("dist");
    match bundle(&dist) {
        Ok((raw, gz)) => table.value(
            SECTION,
            "browser bundle (preview/dist)",
            format!("{} gzip", kib(gz)),
            format!("raw {}", kib(raw)),
            format!(
                "every file in preview/dist, each gzip -9; {}",
                target(gz, 500_000, "< 500 KB gzip (issue 24)")
            ),
        ),
        Err(why) => table.skipped(SECTION, "browser bundle", why),
    }
}

fn policy_sizes(table: &mut Table, path: &Path) {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return table.skipped(SECTION, "policy module", format!("{}: {e}", path.display())),
    };
    table.value(
        SECTION,
        "policy module (wasm-release)",
        kib(bytes.len()),
        gz_note(&bytes),
        "as built",
    );
    let out = std::env::temp_dir().join(format!("rec-bench-policy-{}.wasm", std::process::id()));
    let status = Command::new("wasm-opt")
        .args(["--merge-similar-functions", "-Oz"])
        .args(POLICY_FEATURES)
        .arg(path)
        .arg("-o")
        .arg(&out)
        .stderr(Stdio::null())
        .status();
    match status.map(|s| s.success()).ok().zip(std::fs::read(&out).ok()) {
        Some((true, opt)) => table.value(
            SECTION,
            "policy module (wasm-opt, as policy/build)",
            kib(opt.len()),
            gz_note(&opt),
            target(opt.len(), 1_000_000, "< 1 MB"),
        ),
        _ => table.skipped(
            SECTION,
            "policy module (wasm-opt, as policy/build)",
            "wasm-opt is missing or failed",
        ),
    }
    let _ = std::fs::remove_file(out);
}

/// Raw and gzip bytes of every file under `dir`.
fn bundle(dir: &Path) -> Result<(usize, usize), String> {
    let mut files = Vec::new();
    walk(dir, &mut files).map_err(|e| format!("{}: {e} (build it with preview/build)", dir.display()))?;
    if files.is_empty() {
        return Err(format!("{} is empty (build it with preview/build)", dir.display()));
    }
    let (mut raw, mut gz) = (0, 0);
    // The `.gz` and `.br` copies preview/build writes beside each asset are other encodings of the same files.
    let served = files
        .into_iter()
        .filter(|f| !matches!(f.extension().and_then(|e| e.to_str()), Some("gz" | "br")));
    for f in served {
        let bytes = std::fs::read(&f).map_err(|e| format!("{}: {e}", f.display()))?;
        raw += bytes.len();
        gz += gzip_len(&bytes).ok_or("gzip is not installed")?;
    }
    Ok((raw, gz))
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}

/// Length of `gzip -9` of `bytes`, or `None` without gzip.
fn gzip_len(bytes: &[u8]) -> Option<usize> {
    use std::io::Write;
    let mut child = Command::new("gzip")
        .args(["-9", "-c"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().ok()?;
    writer.join().ok()?.ok()?;
    out.status.success().then_some(out.stdout.len())
}

fn gz_note(bytes: &[u8]) -> String {
    gzip_len(bytes).map_or_else(|| "gzip not installed".into(), |n| format!("gzip {}", kib(n)))
}

fn kib(n: usize) -> String {
    format!("{:.1} KiB", n as f64 / 1024.0)
}

/// `bytes` against a size target: the exact figure and whether it is met (1 MB = 1,000,000 bytes, 1 KB = 1,000).
fn target(bytes: usize, limit: usize, what: &str) -> String {
    let verdict = if bytes < limit { "met" } else { "missed" };
    format!("{bytes} B; target {what}: {verdict}")
}
