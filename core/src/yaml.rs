//! YAML in and out. In: `parse` reads YAML (or JSON) into a JSON value with the position of every field, within
//! hard limits (see `read`). Out: a small, deterministic emitter from JSON values, so every entry point prints
//! byte-identical manifests. Strings are written plain only when no YAML 1.1 or 1.2 reader could take them for anything but
//! a string; otherwise they are double-quoted with JSON escapes (which YAML reads the same way).

use serde_json::Value;

pub use read::{Location, MAX_INPUT_BYTES, Parsed, YamlError, parse};

pub mod documents;
mod read;

/// One YAML document (no `---` marker) for a JSON value, ending in a newline.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => write_map(&mut out, map, 0),
        Value::Array(items) if !items.is_empty() => write_seq(&mut out, items, 0),
        scalar => {
            out.push_str(&scalar_text(scalar));
            out.push('\n');
        }
    }
    out
}

/// A multi-document stream: each value after a `---` line.
pub fn to_yaml_stream<'a>(values: impl IntoIterator<Item = &'a Value>) -> String {
    let mut out = String::new();
    for value in values {
        out.push_str("---\n");
        out.push_str(&to_yaml(value));
    }
    out
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

/// The longest key written in the usual `key: value` form: YAML limits such (implicit) keys to 1024 characters,
/// so readers refuse longer ones; a longer key (or one that escaping made longer) is written as an explicit
/// `? key` line, which has no limit (found by fuzzing: the text did not read back).
const MAX_IMPLICIT_KEY_CHARS: usize = 1000;

fn write_map(out: &mut String, map: &serde_json::Map<String, Value>, level: usize) {
    for (i, (key, value)) in map.iter().enumerate() {
        if i > 0 {
            indent(out, level);
        }
        let key = string_text(key);
        if key.chars().count() > MAX_IMPLICIT_KEY_CHARS {
            out.push_str("? ");
            out.push_str(&key);
            out.push('\n');
            indent(out, level);
        } else {
            out.push_str(&key);
        }
        out.push(':');
        write_child(out, value, level);
    }
}

fn write_seq(out: &mut String, items: &[Value], level: usize) {
    for (i, value) in items.iter().enumerate() {
        if i > 0 {
            indent(out, level);
        }
        out.push('-');
        match value {
            // A map inside a list item starts on the dash line, its other keys one level in.
            Value::Object(map) if !map.is_empty() => {
                out.push(' ');
                write_map(out, map, level + 1);
            }
            Value::Array(inner) if !inner.is_empty() => {
                out.push(' ');
                write_seq(out, inner, level + 1);
            }
            scalar => {
                out.push(' ');
                out.push_str(&scalar_text(scalar));
                out.push('\n');
            }
        }
    }
}

fn write_child(out: &mut String, value: &Value, level: usize) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            indent(out, level + 1);
            write_map(out, map, level + 1);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            indent(out, level);
            write_seq(out, items, level);
        }
        scalar => {
            out.push(' ');
            out.push_str(&scalar_text(scalar));
            out.push('\n');
        }
    }
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string_text(s),
        Value::Array(_) => "[]".into(),
        Value::Object(_) => "{}".into(),
    }
}

/// A string as a YAML scalar: plain when unambiguous, else double-quoted.
fn string_text(s: &str) -> String {
    if is_plain_safe(s) {
        s.to_string()
    } else {
        // JSON string escapes are valid YAML double-quoted escapes.
        serde_json::Value::String(s.to_string()).to_string()
    }
}

fn is_plain_safe(s: &str) -> bool {
    const RESERVED: [&str; 22] = [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", "nan", ".nan", "inf", ".inf", "-.inf",
        "+.inf", "=", "<<", "-", "?", ":", "",
    ];
    let Some(first) = s.chars().next() else { return false };
    let lower = s.to_ascii_lowercase();
    if RESERVED.contains(&lower.as_str()) {
        return false;
    }
    // Anything that starts like a number (or a date) could be read as one.
    if first.is_ascii_digit() || ((first == '-' || first == '+' || first == '.') && s.len() > 1) {
        return false;
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || "_-./@=+".contains(c) || c == ' ' || c == ':';
    s.chars().all(allowed)
        && !s.starts_with(' ')
        && !s.ends_with(' ')
        && !s.ends_with(':')
        && !s.contains(": ")
        && !s.contains(" #")
        && !"-?:@".contains(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn emits_nested_maps_and_lists() {
        let value = json!({"a": {"b": [1, {"c": "x", "d": []}, [true, null]]}, "e": {}});
        assert_eq!(
            to_yaml(&value),
            "a:\n  b:\n  - 1\n  - c: x\n    d: []\n  - - true\n    - null\ne: {}\n"
        );
    }

    #[test]
    fn a_key_beyond_the_implicit_key_limit_is_written_explicitly_and_reads_back() {
        let long = "k".repeat(1500);
        let escaped = "\u{5}".repeat(200);
        let value = json!({
            "m": {&long: {"a": 1}, "short": [1, 2]},
            "l": [{&escaped: [true], "b": null}],
            &long: "x",
        });
        let text = to_yaml(&value);
        assert!(text.contains(&format!("? {long}\n")), "{text}");
        assert_eq!(parse(&text).value, Some(value), "{text}");
    }

    #[test]
    fn quotes_what_a_reader_could_misread() {
        for s in [
            "yes",
            "No",
            "1.0",
            "0x10",
            "2024-01-01",
            "-1",
            "a: b",
            "a #c",
            "",
            "x\ny",
            "~",
            ":x",
            "@",
            " lead",
        ] {
            let text = string_text(s);
            assert!(text.starts_with('"'), "{s:?} must be quoted, got {text}");
        }
        for s in [
            "redis-enterprise",
            "app.kubernetes.io/name",
            "demo@redis.com",
            "cluster_ip,headless",
            "a:b",
        ] {
            let text = string_text(s);
            assert!(
                !text.starts_with('"') || s.contains(','),
                "{s:?} can stay plain, got {text}"
            );
        }
    }
}
