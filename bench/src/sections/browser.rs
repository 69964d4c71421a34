//! Section 4: the browser build (`preview/dist`, wasm-bindgen) in headless Chromium, per keystroke: what the page
//! sends (`Op::Preview`: YAML text -> read, validate, render, describe) and plain validate + render on JSON.
//!
//! Shells out to `bench/browser.mjs` (node + playwright-core from preview/node_modules + /usr/bin/chromium).
//! Chromium coarsens `performance.now()` (100 us steps without cross-origin isolation), so sub-100 us figures
//! are not resolved.

use crate::fixtures::Fixture;
use crate::table::Table;
use crate::timing::{Plan, stats};
use rec_core::abi::Op;
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const SECTION: &str = "4 browser";
const ENTROPY: &str = "00112233445566778899aabbccddeeff0011223344556677";

pub fn run(table: &mut Table, plan: Plan, fixtures: &[Fixture], workspace: &Path) {
    if let Err(why) = ready(workspace) {
        return table.skipped(SECTION, "per keystroke", why);
    }
    let mut cases = Vec::new();
    for f in fixtures {
        let mut object = f.object.clone();
        object["metadata"]["annotations"]["rec-bench/keystroke"] = json!("__KEY__");
        let text = match yaml(&object) {
            Ok(t) => t,
            Err(why) => return table.skipped(SECTION, "per keystroke", why),
        };
        let preview = json!({ "text": text, "context": { "entropy": ENTROPY }, "describe": true });
        cases.push(json!({ "name": format!("preview {} (what the page sends)", f.name),
            "calls": [{ "op": Op::Preview as u32, "request": preview.to_string() }] }));
        let validate = json!({ "object": object });
        let render = json!({ "object": object, "context": { "entropy": ENTROPY } });
        cases.push(json!({ "name": format!("validate + render {}", f.name), "calls": [
            { "op": Op::Validate as u32, "request": validate.to_string() },
            { "op": Op::Render as u32, "request": render.to_string() }] }));
    }
    let input = json!({ "warmup": plan.warmup, "samples": plan.samples, "cases": cases });
    let file = std::env::temp_dir().join(format!("rec-bench-browser-{}.json", std::process::id()));
    if let Err(e) = std::fs::write(&file, input.to_string()) {
        return table.skipped(SECTION, "per keystroke", e);
    }
    let output = Command::new("node")
        .arg(workspace.join("bench").join("browser.mjs"))
        .arg(&file)
        .output();
    let _ = std::fs::remove_file(&file);
    let output = match output {
        Ok(o) if o.status.success() => o.stdout,
        Ok(o) => {
            return table.skipped(
                SECTION,
                "per keystroke",
                String::from_utf8_lossy(&o.stderr).trim().to_string(),
            );
        }
        Err(e) => return table.skipped(SECTION, "per keystroke", format!("node: {e}")),
    };
    let results: Value = match serde_json::from_slice(&output) {
        Ok(v) => v,
        Err(e) => return table.skipped(SECTION, "per keystroke", format!("browser.mjs printed no JSON: {e}")),
    };
    for r in results["results"].as_array().into_iter().flatten() {
        let times: Vec<Duration> = r["ms"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_f64)
            .map(|ms| Duration::from_secs_f64(ms / 1000.0))
            .collect();
        let total = times.iter().sum();
        let name = r["name"].as_str().unwrap_or("?");
        let note = if name.starts_with("validate") && name.ends_with("large") {
            "headless Chromium; target < 5 ms"
        } else {
            "headless Chromium"
        };
        table.time(SECTION, name, &stats(times, total), note);
    }
}

/// Why the section cannot run, if it cannot.
fn ready(workspace: &Path) -> Result<(), String> {
    let preview = workspace.join("preview");
    if !preview.join("dist").join("index.html").exists() {
        return Err("preview/dist is not built (run preview/build)".into());
    }
    if !preview.join("node_modules").join("playwright-core").exists() {
        return Err("playwright-core is not installed (npm ci in preview/)".into());
    }
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        return Err(format!("{chromium} does not exist"));
    }
    Ok(())
}

/// The object as YAML, by the native core (what a user would have in the editor).
fn yaml(object: &Value) -> Result<String, String> {
    let answer = rec_core::abi::call(
        Op::ToYaml as u32,
        json!({ "documents": [object] }).to_string().as_bytes(),
    );
    let answer: Value = serde_json::from_slice(&answer).map_err(|e| e.to_string())?;
    answer["ok"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("to_yaml answered {answer}"))
}
