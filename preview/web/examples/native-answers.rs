//! The native core's answers to every agreement-corpus case, for `preview/test/corpus.mjs` to hold the browser
//! build against: `cargo run -p rec-web --example native-answers -- OUT.json DIR...`.
//!
//! Each case file (`*.json`, format in the corpus README) gives an operation and a request; the request bytes are
//! made here once (`request` serialised by serde_json, `requestText` as UTF-8, `requestBase64` decoded) and
//! written out with the answer, base64-encoded, so both builds are fed exactly the same bytes. It checks nothing
//! itself: comparing is the Node script's job.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let out = args.next().ok_or("usage: native-answers OUT.json DIR...")?;
    let mut files = Vec::new();
    for dir in args {
        collect(Path::new(&dir), &mut files)?;
    }
    files.sort();
    let mut cases = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let case: Value = serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", file.display()))?;
        let op_name = case["op"].as_str().unwrap_or_default();
        let op = op_number(op_name).ok_or_else(|| format!("{}: unknown op {op_name:?}", file.display()))?;
        let request = request_bytes(&case).map_err(|e| format!("{}: {e}", file.display()))?;
        let answer = rec_core::abi::call(op, &request);
        cases.push(json!({
            "file": file.to_string_lossy(),
            "name": case["name"],
            "op": op,
            "request": base64::encode(&request),
            "answer": base64::encode(&answer),
        }));
    }
    let written = serde_json::to_vec_pretty(&json!({ "cases": cases })).map_err(|e| e.to_string())?;
    if let Some(parent) = Path::new(&out).parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(&out, written).map_err(|e| format!("{out}: {e}"))?;
    eprintln!("native-answers: {} cases -> {out}", cases.len());
    Ok(())
}

/// Every `*.json` under `dir` (a missing directory has none).
fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect(&path, files)?;
        } else if path.extension().is_some_and(|e| e == "json") {
            files.push(path);
        }
    }
    Ok(())
}

/// The corpus's operation names (`rec_core::abi::Op`), plus `preview` for the page's own operation.
fn op_number(name: &str) -> Option<u32> {
    use rec_core::abi::Op;
    let op = match name {
        "version" => Op::Version,
        "validate" => Op::Validate,
        "render" => Op::Render,
        "defaults" => Op::Defaults,
        "crd" => Op::Crd,
        "parseYaml" => Op::ParseYaml,
        "toYaml" => Op::ToYaml,
        "preview" => Op::Preview,
        _ => return None,
    };
    Some(op as u32)
}

fn request_bytes(case: &Value) -> Result<Vec<u8>, String> {
    if let Some(request) = case.get("request") {
        serde_json::to_vec(request).map_err(|e| e.to_string())
    } else if let Some(text) = case.get("requestText").and_then(Value::as_str) {
        Ok(text.as_bytes().to_vec())
    } else if let Some(encoded) = case.get("requestBase64").and_then(Value::as_str) {
        base64::decode(encoded)
    } else {
        Err("no request, requestText or requestBase64".into())
    }
}

/// Standard base64 (RFC 4648, padded), enough for test data; no crate needed for twenty lines.
mod base64 {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    pub fn encode(bytes: &[u8]) -> String {
        let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
        for chunk in bytes.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    pub fn decode(text: &str) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        let (mut n, mut bits) = (0u32, 0);
        for c in text.bytes().filter(|c| !c.is_ascii_whitespace() && *c != b'=') {
            let value = ALPHABET
                .iter()
                .position(|a| *a == c)
                .ok_or(format!("not base64: {:?}", c as char))?;
            n = (n << 6) | value as u32;
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((n >> bits) as u8);
                n &= (1 << bits) - 1;
            }
        }
        Ok(out)
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn round_trips() {
            for bytes in [&b""[..], b"f", b"fo", b"foo", b"foob", &[0, 255, 128, 7]] {
                assert_eq!(super::decode(&super::encode(bytes)), Ok(bytes.to_vec()));
            }
            assert_eq!(super::encode(b"foobar"), "Zm9vYmFy");
            assert_eq!(super::encode(b"fo"), "Zm8=");
        }
    }
}
