//! Runs `rec-bench-dlmalloc` (the native core on the guest's allocator, `src/bin/rec-bench-dlmalloc.rs`) for one
//! request and reads its samples back, checking its answer is the native one.
//!
//! The binary sits beside `rec-bench` (cargo builds both); when it is missing, the figure is skipped.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

const BINARY: &str = "rec-bench-dlmalloc";

/// Times `rec_core::abi::call(op, request)` natively on `dlmalloc`, `samples` times after `warmup` calls, in
/// one run of the binary: the raw samples (a [`crate::timing::Sampler`]).
pub fn samples(
    warmup: usize,
    samples: usize,
    op: u32,
    request: &[u8],
    expected: &[u8],
) -> Result<Vec<Duration>, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let binary = exe.with_file_name(BINARY);
    if !binary.exists() {
        return Err(format!(
            "{} not built (cargo build --release -p rec-bench)",
            binary.display()
        ));
    }
    let mut child = Command::new(&binary)
        .args([op.to_string(), warmup.to_string(), samples.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {BINARY}: {e}"))?;
    child
        .stdin
        .take()
        .ok_or("no stdin")?
        .write_all(request)
        .map_err(|e| format!("cannot send the request to {BINARY}: {e}"))?;
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(format!(
            "{BINARY} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let newline = output
        .stdout
        .iter()
        .position(|b| *b == b'\n')
        .ok_or("no samples line")?;
    let (line, answer) = (&output.stdout[..newline], &output.stdout[newline + 1..]);
    if answer != expected {
        return Err(format!("{BINARY}'s answer differs from the native one"));
    }
    String::from_utf8_lossy(line)
        .split(',')
        .map(|ns| ns.parse().map(Duration::from_nanos))
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{BINARY} printed a bad sample: {e}"))
}
