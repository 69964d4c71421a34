//! YAML (or JSON) text in: one document read into a JSON value, with the line and column of every field; a
//! stream of several documents (`---` between them) read document by document beside it, for the callers that take
//! several objects at once (the CLI's `validate`).
//!
//! Scalars resolve as Kubernetes reads manifests (kubectl's YAML 1.1 rules): `yes`/`no`/`on`/`off`/`y`/`n` and
//! `true`/`false` in any of their usual cases are booleans; `~`, `null` and empty are null; decimal, `0x`, `0o`,
//! leading-zero octal and `0b` integers (with `_` separators) are numbers; quoted and block scalars are always
//! strings; `!!str` forces a string. Map keys are kept as written (always strings). Merge keys (`<<`) merge.
//!
//! Hostile text gets a positioned error, never a panic or an unbounded cost: the text is at most
//! [`MAX_INPUT_BYTES`], nesting at most [`MAX_DEPTH`] deep (the parser is driven event by event, never
//! recursively), and the values of the whole text at most [`MAX_NODES`] nodes counting every alias expansion, which
//! stops "billion laughs" bombs (a stream of many small bombs too). Duplicate keys, non-scalar keys, NaN/infinite
//! numbers and (for the one-document reading) a second document are errors: each would otherwise silently change
//! what the user meant.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};
use std::collections::HashMap;
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// The largest text read: 3 MiB, the Kubernetes API server's request limit, so no REC that could exist in a
/// cluster is refused (a real one is a few KB) and a bigger file gets this clear error instead of costing the
/// reader, the validator and a wasm guest's fuel budget tens of megabytes.
pub const MAX_INPUT_BYTES: usize = 3 << 20;
/// The deepest nesting read (a REC nests about 12 deep).
pub const MAX_DEPTH: usize = 100;
/// The most values one text may hold, alias expansions included (all its documents together).
pub const MAX_NODES: usize = 1_000_000;

/// The result of reading a text: the value, or an error with its position.
///
/// `value`, `locations` and `error` read the text as ONE document (what `render`, `plan` and the preview need: one
/// REC), so a text of several documents is the error "a second YAML document". `documents` is the same text read as
/// a stream, one `Parsed` per document, present only when the text holds more than one: a one-document answer is
/// byte for byte what it was before streams were read (the corpus compares entry points byte for byte).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Parsed {
    /// The document as JSON (`null` for an empty document); absent when the text could not be read.
    pub value: Option<Value>,
    /// Where each field starts, in document order: paths in the validation report's format
    /// (`spec.persistentSpec.volumeSize`, `spec.podTolerations[0].key`, `spec.extraLabels["a.b/c"]`).
    pub locations: Vec<Location>,
    /// Why the text could not be read.
    pub error: Option<YamlError>,
    /// Each document of a text of several (none of these has `documents`), in order. Reading stops at the first
    /// error: the last document then holds it and the documents after it are not listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documents: Option<Vec<Parsed>>,
}

/// A field's path and the position (1-based line and column) of its key, or of the item in a list.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub path: String,
    pub line: usize,
    pub column: usize,
}

/// A text that is not one readable YAML document.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

impl Parsed {
    /// Where the field at `path` is written; for a path that is not written (a missing field, or a path in
    /// another spelling), the nearest written ancestor.
    pub fn locate(&self, path: &str) -> Option<&Location> {
        let mut candidate = path;
        loop {
            if let Some(found) = self.locations.iter().find(|l| l.path == candidate) {
                return Some(found);
            }
            candidate = parent(candidate)?;
        }
    }
}

/// The path one step up: `a.b[0]` -> `a.b` -> `a`; `a["x.y"]` -> `a`; `a` -> `` (the document).
fn parent(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    let cut = if path.ends_with(']') {
        // The last `[` that opens this segment: a quoted key may itself contain brackets, so scan for `["` or `[digit`.
        path.rfind("[\"")
            .filter(|_| path.ends_with("\"]"))
            .or_else(|| path.rfind('['))
    } else {
        path.rfind(['.', '['].as_ref())
    };
    Some(&path[..cut.unwrap_or(0)])
}

/// Appends a map key to a path: plain keys with a dot, others quoted in brackets.
pub fn push_key(path: &str, key: &str) -> String {
    let plain = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    match (path.is_empty(), plain) {
        (true, true) => key.to_string(),
        (false, true) => format!("{path}.{key}"),
        (_, false) => format!("{path}[{}]", Value::String(key.to_string())),
    }
}

/// Appends a list index to a path.
pub fn push_index(path: &str, index: usize) -> String {
    format!("{path}[{index}]")
}

/// Reads one YAML or JSON document, and when the text holds several, each of them (`documents`, see [`Parsed`]).
/// A leading UTF-8 byte order mark is skipped, as kubectl skips it (editors on Windows write one): read as text it
/// would become part of the first key, an "unknown field".
pub fn parse(text: &str) -> Parsed {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader::default();
    let outcome = reader.read(text);
    // The document being read when the text ended (or failed).
    let last = match outcome {
        Ok(()) => Parsed::read(
            reader.root.take().unwrap_or(Value::Null),
            std::mem::take(&mut reader.locations),
        ),
        Err(error) => Parsed::failed(error),
    };
    let Some(second) = reader.second else {
        return last;
    };
    let mut documents = std::mem::take(&mut reader.documents);
    documents.push(last);
    Parsed {
        documents: Some(documents),
        ..Parsed::failed(error_at(second, "a second YAML document: give one REC per file"))
    }
}

impl Parsed {
    fn read(value: Value, locations: Vec<Location>) -> Parsed {
        Parsed {
            value: Some(value),
            locations,
            error: None,
            documents: None,
        }
    }

    fn failed(error: YamlError) -> Parsed {
        Parsed {
            value: None,
            locations: Vec::new(),
            error: Some(error),
            documents: None,
        }
    }
}

enum Frame {
    /// `item`: a list item, located at its first key.
    Map {
        map: Map<String, Value>,
        path: String,
        anchor: usize,
        key: Option<(String, Marker)>,
        merges: Vec<Value>,
        item: bool,
    },
    Seq {
        items: Vec<Value>,
        path: String,
        anchor: usize,
    },
}

/// Reads a text event by event; the state of the document being read, and the documents finished before it.
#[derive(Default)]
struct Reader {
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Value, usize)>,
    /// Values of the whole text so far (every document: the bound is on the text).
    nodes: usize,
    locations: Vec<Location>,
    root: Option<Value>,
    /// Where the second document starts, when there is one.
    second: Option<Marker>,
    /// The documents before the one being read.
    documents: Vec<Parsed>,
}

fn error_at(mark: Marker, message: impl Into<String>) -> YamlError {
    YamlError {
        message: message.into(),
        line: mark.line(),
        column: mark.col() + 1,
    }
}

impl Reader {
    /// Reads every document of `text`: the last one stays in `root` and `locations`, the ones before it are in
    /// `documents`. An error is the document being read's.
    fn read(&mut self, text: &str) -> Result<(), YamlError> {
        if text.len() > MAX_INPUT_BYTES {
            return Err(YamlError {
                message: format!("the text is {} bytes; at most {MAX_INPUT_BYTES} are read", text.len()),
                line: 1,
                column: 1,
            });
        }
        let mut parser = Parser::new_from_str(text);
        let mut documents = 0;
        loop {
            let (event, mark) = parser
                .next_token()
                .map_err(|e| error_at(*e.marker(), e.info().to_string()))?;
            match event {
                Event::StreamEnd => break,
                Event::DocumentStart => {
                    documents += 1;
                    if documents > 1 {
                        self.second.get_or_insert(mark);
                        let value = self.root.take().unwrap_or(Value::Null);
                        let finished = Parsed::read(value, std::mem::take(&mut self.locations));
                        self.documents.push(finished);
                        // Anchors do not cross documents (the parser numbers them anew).
                        self.anchors.clear();
                    }
                }
                Event::Scalar(text, style, anchor, tag) => {
                    // Keys are kept as written (`y:` is the key "y", not "true").
                    let is_key = matches!(self.stack.last(), Some(Frame::Map { key: None, .. }));
                    let value = if is_key {
                        Value::String(text)
                    } else {
                        resolve(&text, style, tag.as_ref()).map_err(|m| error_at(mark, m))?
                    };
                    self.count(mark, 1)?;
                    self.finish(value, anchor, mark, 1)?;
                }
                Event::Alias(id) => {
                    let (value, size) = self
                        .anchors
                        .get(&id)
                        .cloned()
                        .ok_or_else(|| error_at(mark, "an alias to an unknown anchor"))?;
                    self.count(mark, size)?;
                    self.finish(value, 0, mark, size)?;
                }
                Event::SequenceStart(anchor, _) => {
                    let path = self.child_path(mark, false)?;
                    self.open(
                        Frame::Seq {
                            items: Vec::new(),
                            path,
                            anchor,
                        },
                        mark,
                    )?;
                }
                Event::MappingStart(anchor, _) => {
                    let item = matches!(self.stack.last(), Some(Frame::Seq { .. }));
                    let path = self.child_path(mark, true)?;
                    let map = Frame::Map {
                        map: Map::new(),
                        path,
                        anchor,
                        key: None,
                        merges: Vec::new(),
                        item,
                    };
                    self.open(map, mark)?;
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let (value, anchor) = match self.stack.pop() {
                        Some(Frame::Seq { items, anchor, .. }) => (Value::Array(items), anchor),
                        Some(Frame::Map {
                            mut map,
                            anchor,
                            merges,
                            ..
                        }) => {
                            merge_into(&mut map, merges);
                            (Value::Object(map), anchor)
                        }
                        None => return Err(error_at(mark, "an unbalanced end of a collection")),
                    };
                    let size = if anchor > 0 { count_nodes(&value) } else { 0 };
                    self.finish(value, anchor, mark, size)?;
                }
                Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
            }
        }
        Ok(())
    }

    fn count(&mut self, mark: Marker, n: usize) -> Result<(), YamlError> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > MAX_NODES {
            return Err(error_at(
                mark,
                format!("the document expands to more than {MAX_NODES} values (an alias bomb?); refusing to read it"),
            ));
        }
        Ok(())
    }

    fn open(&mut self, frame: Frame, mark: Marker) -> Result<(), YamlError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(error_at(mark, format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        if matches!(self.stack.last(), Some(Frame::Map { key: None, .. })) {
            return Err(error_at(
                mark,
                "a map or list used as a map key; keys must be plain strings",
            ));
        }
        self.count(mark, 1)?;
        self.stack.push(frame);
        Ok(())
    }

    /// The path of the value about to start, recording its location.
    fn child_path(&mut self, mark: Marker, is_map: bool) -> Result<String, YamlError> {
        let path = match self.stack.last() {
            None => String::new(),
            Some(Frame::Seq { items, path, .. }) => push_index(path, items.len()),
            Some(Frame::Map {
                path,
                key: Some((key, _)),
                ..
            }) => push_key(path, key),
            Some(Frame::Map { key: None, .. }) => return Ok(String::new()),
        };
        // A map item in a list is located at its first key (the parser marks a block map's start elsewhere).
        if matches!(self.stack.last(), Some(Frame::Seq { .. })) && !is_map {
            self.locations.push(Location {
                path: path.clone(),
                line: mark.line(),
                column: mark.col() + 1,
            });
        }
        Ok(path)
    }

    /// Places a finished value in its parent (or as the document), remembering it under its anchor.
    fn finish(&mut self, value: Value, anchor: usize, mark: Marker, size: usize) -> Result<(), YamlError> {
        if anchor > 0 {
            self.anchors.insert(anchor, (value.clone(), size.max(1)));
        }
        match self.stack.last_mut() {
            None => self.root = Some(value),
            Some(Frame::Seq { items, path, .. }) => {
                if !value.is_object() && !value.is_array() {
                    let path = push_index(path, items.len());
                    self.locations.push(Location {
                        path,
                        line: mark.line(),
                        column: mark.col() + 1,
                    });
                }
                items.push(value);
            }
            Some(Frame::Map {
                map,
                path,
                key,
                merges,
                item,
                ..
            }) => match key.take() {
                None => {
                    let text = match value {
                        Value::String(s) => s,
                        Value::Null => String::new(),
                        Value::Bool(_) | Value::Number(_) => value.to_string(),
                        Value::Array(_) | Value::Object(_) => {
                            return Err(error_at(
                                mark,
                                "a map or list used as a map key; keys must be plain strings",
                            ));
                        }
                    };
                    if text != "<<" && map.contains_key(&text) {
                        return Err(error_at(mark, format!("duplicate key {text:?}")));
                    }
                    if std::mem::take(item) {
                        let at = Location {
                            path: path.clone(),
                            line: mark.line(),
                            column: mark.col() + 1,
                        };
                        self.locations.push(at);
                    }
                    if text != "<<" {
                        let path = push_key(path, &text);
                        self.locations.push(Location {
                            path,
                            line: mark.line(),
                            column: mark.col() + 1,
                        });
                    }
                    *key = Some((text, mark));
                }
                Some((name, _)) if name == "<<" => merges.push(value),
                Some((name, _)) => {
                    map.insert(name, value);
                }
            },
        }
        Ok(())
    }
}

/// Applies merge keys: explicit keys win, then earlier merged maps.
fn merge_into(map: &mut Map<String, Value>, merges: Vec<Value>) {
    for merged in merges {
        let maps = match merged {
            Value::Array(items) => items,
            other => vec![other],
        };
        for source in maps {
            if let Value::Object(source) = source {
                for (k, v) in source {
                    map.entry(k).or_insert(v);
                }
            }
        }
    }
}

fn count_nodes(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(count_nodes).sum::<usize>(),
        Value::Object(map) => 1 + map.values().map(count_nodes).sum::<usize>(),
        _ => 1,
    }
}

/// A scalar's JSON value under Kubernetes' YAML 1.1 rules.
fn resolve(text: &str, style: TScalarStyle, tag: Option<&Tag>) -> Result<Value, String> {
    let tag = tag.map(|t| (t.handle.as_str(), t.suffix.as_str()));
    match tag {
        Some(("!!", "str")) | Some(("tag:yaml.org,2002:", "str")) => return Ok(Value::String(text.into())),
        Some(("!!", "binary")) => return Ok(Value::String(text.into())),
        Some((handle, suffix)) if !(handle == "!!" || handle == "tag:yaml.org,2002:") || suffix.is_empty() => {
            return Err(format!("the tag {handle}{suffix} is not supported"));
        }
        _ => {}
    }
    if style != TScalarStyle::Plain {
        return Ok(Value::String(text.into()));
    }
    Ok(match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => Value::Bool(true),
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => Value::Bool(false),
        // Every spelling YAML 1.1 reads as infinite (found by the hostile corpus: `-.Inf` was read as a string).
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF" | ".nan" | ".NaN"
        | ".NAN" => {
            return Err(format!(
                "{text} is not a finite number; JSON (and Kubernetes) cannot hold it"
            ));
        }
        _ => number(text).unwrap_or_else(|| Value::String(text.into())),
    })
}

/// A plain scalar as a number, when it is written as one.
fn number(text: &str) -> Option<Value> {
    let (negative, body) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let first = body.bytes().next()?;
    if !(first.is_ascii_digit() || first == b'.') {
        return None;
    }
    let digits = |s: &str, radix: u32| -> Option<Value> {
        let clean: String = s.chars().filter(|c| *c != '_').collect();
        if clean.is_empty() || !clean.chars().all(|c| c.is_digit(radix)) {
            return None;
        }
        let magnitude = i128::from_str_radix(&clean, radix).ok();
        let signed = magnitude.map(|m| if negative { -m } else { m });
        match signed {
            Some(v) if i64::try_from(v).is_ok() => i64::try_from(v).ok().map(Value::from),
            Some(v) if u64::try_from(v).is_ok() => u64::try_from(v).ok().map(Value::from),
            // Too large for a 64-bit integer: a float, as kubectl reads it.
            _ => clean
                .parse::<f64>()
                .ok()
                .filter(|f| radix == 10 && f.is_finite())
                .and_then(|f| Number::from_f64(if negative { -f } else { f }).map(Value::Number)),
        }
    };
    if let Some(hex) = body.strip_prefix("0x") {
        return digits(hex, 16);
    }
    if let Some(octal) = body.strip_prefix("0o") {
        return digits(octal, 8);
    }
    if let Some(binary) = body.strip_prefix("0b") {
        return digits(binary, 2);
    }
    if body.len() > 1 && body.starts_with('0') && body.bytes().all(|b| b.is_ascii_digit() || b == b'_') {
        return digits(&body[1..], 8);
    }
    if body.bytes().all(|b| b.is_ascii_digit() || b == b'_') {
        return digits(body, 10);
    }
    float(body)
        .and_then(|f| Number::from_f64(if negative { -f } else { f }))
        .map(Value::Number)
}

/// `[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?` or `\.[0-9_]+(...)`, finite.
fn float(body: &str) -> Option<f64> {
    let clean: String = body.chars().filter(|c| *c != '_').collect();
    let (mantissa, exponent) = match clean.find(['e', 'E']) {
        Some(i) => (&clean[..i], Some(&clean[i + 1..])),
        None => (clean.as_str(), None),
    };
    let mut parts = mantissa.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    let ok_int = int.bytes().all(|b| b.is_ascii_digit());
    let ok_frac = frac.is_none_or(|f| f.bytes().all(|b| b.is_ascii_digit()));
    let has_digits = !int.is_empty() || frac.is_some_and(|f| !f.is_empty());
    let ok_exp = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
    });
    if !(ok_int && ok_frac && has_digits && ok_exp) {
        return None;
    }
    clean.parse::<f64>().ok().filter(|f| f.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn value(text: &str) -> Value {
        let parsed = parse(text);
        assert_eq!(parsed.error, None, "{text}");
        parsed.value.unwrap_or_default()
    }

    fn error(text: &str) -> YamlError {
        parse(text).error.unwrap_or_else(|| panic!("{text:?} should not parse"))
    }

    #[test]
    fn reads_a_rec_with_positions() {
        let text = "apiVersion: app.redislabs.com/v1\nkind: RedisEnterpriseCluster\nmetadata:\n  name: rec\nspec:\n  nodes: 3\n  podTolerations:\n  - key: a\n    value: b\n  extraLabels:\n    app.kubernetes.io/x: z\n";
        let parsed = parse(text);
        assert_eq!(
            parsed.value,
            Some(
                json!({"apiVersion": "app.redislabs.com/v1", "kind": "RedisEnterpriseCluster",
                "metadata": {"name": "rec"},
                "spec": {"nodes": 3, "podTolerations": [{"key": "a", "value": "b"}],
                         "extraLabels": {"app.kubernetes.io/x": "z"}}})
            )
        );
        let at = |p: &str| parsed.locate(p).map(|l| (l.line, l.column));
        assert_eq!(at("spec.nodes"), Some((6, 3)));
        assert_eq!(at("spec.podTolerations[0]"), Some((8, 5)));
        assert_eq!(at("spec.podTolerations[0].value"), Some((9, 5)));
        assert_eq!(at("spec.extraLabels[\"app.kubernetes.io/x\"]"), Some((11, 5)));
        assert_eq!(
            at("spec.persistentSpec.volumeSize"),
            Some((5, 1)),
            "a missing field points at its parent"
        );
    }

    #[test]
    fn a_byte_order_mark_is_skipped_as_kubectl_skips_it() {
        let parsed = parse("\u{feff}metadata:\n  name: rec\n");
        assert_eq!(parsed.value, Some(json!({"metadata": {"name": "rec"}})));
        assert_eq!(parsed.locate("metadata.name").map(|l| (l.line, l.column)), Some((2, 3)));
        assert_eq!(value("\u{feff}{\"a\": 1}"), json!({"a": 1}));
        // Only a leading mark: one inside the text is the character it is.
        assert_eq!(value("a: \"\u{feff}x\""), json!({"a": "\u{feff}x"}));
    }

    #[test]
    fn resolves_scalars_like_kubectl() {
        assert_eq!(
            value(
                "a: yes\nb: off\nc: ~\nd: 0x1F\ne: 010\nf: 1_000\ng: 1.5\nh: '3'\ni: 4Gi\nj: !!str 5\nk: -2\nl: 1e3\n"
            ),
            json!({"a": true, "b": false, "c": null, "d": 31, "e": 8, "f": 1000, "g": 1.5, "h": "3",
                   "i": "4Gi", "j": "5", "k": -2, "l": 1000.0})
        );
        assert_eq!(
            value("[1, \"x\", {\"a\": null}]"),
            json!([1, "x", {"a": null}]),
            "JSON is YAML"
        );
        assert_eq!(value(""), Value::Null);
    }

    #[test]
    fn merges_and_aliases() {
        assert_eq!(
            value("base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\n"),
            json!({"base": {"x": 1, "y": 2}, "c": {"x": 1, "y": 3}})
        );
    }

    #[test]
    fn hostile_text_gets_a_positioned_error() {
        assert_eq!(
            error("a: 1\na: 2\n"),
            YamlError {
                message: "duplicate key \"a\"".into(),
                line: 2,
                column: 1
            }
        );
        assert!(error("a: [1, 2\n").message.contains("flow sequence") || error("a: [1, 2\n").line >= 1);
        assert!(error("a: .nan\n").message.contains("finite"));
        assert!(error("a: 1\n---\nb: 2\n").message.contains("second YAML document"));
        assert!(error("a: !custom x\n").message.contains("not supported"));
        let deep = error(&"[".repeat(100_000));
        assert!(
            deep.message.contains("nesting deeper") || deep.message.contains("recursion"),
            "{deep:?}"
        );
        let bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n";
        assert!(error(bomb).message.contains("alias bomb"));
        assert!(error("? [a]\n: 1\n").message.contains("map key"));
    }

    #[test]
    fn a_stream_is_read_document_by_document_beside_the_one_document_error() {
        let parsed = parse("a: 1\n---\n# a comment\nb:\n  c: x\n---\n");
        let second = parsed.error.as_ref().map(|e| (e.message.as_str(), e.line, e.column));
        assert_eq!(second, Some(("a second YAML document: give one REC per file", 2, 1)));
        assert_eq!(parsed.value, None);
        let documents = parsed.documents.unwrap_or_default();
        let values: Vec<Option<Value>> = documents.iter().map(|d| d.value.clone()).collect();
        assert_eq!(
            values,
            [Some(json!({"a": 1})), Some(json!({"b": {"c": "x"}})), Some(Value::Null)]
        );
        // Positions are the text's, not the document's.
        assert_eq!(documents[1].locate("b.c").map(|l| (l.line, l.column)), Some((5, 3)));
        assert!(documents.iter().all(|d| d.error.is_none() && d.documents.is_none()));
    }

    #[test]
    fn a_stream_stops_at_its_first_error_which_its_last_document_holds() {
        let documents = parse("a: 1\n---\nb: 1\nb: 2\n---\nc: 3\n")
            .documents
            .unwrap_or_default();
        assert_eq!(documents.len(), 2, "{documents:?}");
        assert_eq!(documents[0].value, Some(json!({"a": 1})));
        let error = documents[1].error.as_ref().map(|e| (e.message.as_str(), e.line));
        assert_eq!(error, Some(("duplicate key \"b\"", 4)));
        // An error in the first document is the answer it always was: no stream.
        assert_eq!(parse("a: 1\na: 2\n---\nb: 1\n").documents, None);
        // Anchors do not cross documents.
        let documents = parse("a: &x 1\n---\nb: *x\n").documents.unwrap_or_default();
        assert!(
            documents[1]
                .error
                .as_ref()
                .is_some_and(|e| e.message.contains("unknown anchor"))
        );
    }

    #[test]
    fn a_single_document_answer_has_no_documents_field_and_the_node_bound_spans_the_stream() {
        for text in ["", "a: 1\n", "---\na: 1\n", "a: 1\na: 2\n"] {
            let parsed = parse(text);
            assert_eq!(parsed.documents, None, "{text:?}");
            let answer = serde_json::to_value(&parsed).unwrap_or_default();
            assert!(answer.get("documents").is_none(), "{answer}");
        }
        // Each document alone is under the bound (10^5 values), the stream is not.
        let bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n";
        assert_eq!(parse(bomb).error, None);
        let stream = [bomb; 11].join("---\n");
        let documents = parse(&stream).documents.unwrap_or_default();
        let last = documents.last().and_then(|d| d.error.as_ref());
        assert!(last.is_some_and(|e| e.message.contains("alias bomb")), "{last:?}");
    }

    #[test]
    fn paths_walk_up() {
        assert_eq!(parent("a.b[0].c"), Some("a.b[0]"));
        assert_eq!(parent("a.b[0]"), Some("a.b"));
        assert_eq!(parent("a[\"x.y\"]"), Some("a"));
        assert_eq!(parent("a"), Some(""));
        assert_eq!(parent(""), None);
        assert_eq!(
            push_key("spec", "app.kubernetes.io/name"),
            "spec[\"app.kubernetes.io/name\"]"
        );
    }
}
