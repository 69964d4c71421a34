//! The two RECs every section measures: the reference example (`examples_v1_rec.yaml`, from the corpus) and a
//! large REC (35 nodes, every optional feature the corpus exercises that can be on at once).
//!
//! The large REC is built, not written by hand: starting from the corpus's 35-node case, the spec of every valid
//! `render` case is deep-merged in, one at a time, and kept only when the native core still says the REC is valid
//! with no errors (two features that exclude each other, e.g. an Ingress and an OpenShift Route, cannot both be
//! on). So it follows the corpus as features are added, and is always a REC the core accepts.

use rec_core::abi::Op;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// What can go wrong reading the corpus.
#[derive(Debug, thiserror::Error)]
pub enum FixtureError {
    #[error("reading {}: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{} is not JSON: {source}", path.display())]
    Json { path: PathBuf, source: serde_json::Error },
    #[error("{} has no request.object", path.display())]
    NoObject { path: PathBuf },
    #[error("the large REC is not valid for the native core: {0}")]
    Invalid(String),
}

/// One REC, with the request bytes of each operation.
pub struct Fixture {
    pub name: &'static str,
    pub object: Value,
    /// How the REC was made (for the table's notes).
    pub about: String,
}

impl Fixture {
    /// `ValidateRequest` bytes.
    pub fn validate_request(&self) -> Vec<u8> {
        json!({ "object": self.object }).to_string().into_bytes()
    }

    /// `RenderRequest` bytes, with entropy so the credentials secret is rendered too (as a first apply does).
    pub fn render_request(&self) -> Vec<u8> {
        json!({ "object": self.object, "context": { "entropy": "00112233445566778899aabbccddeeff0011223344556677" } })
            .to_string()
            .into_bytes()
    }

    /// The request bytes for `op` (validate or render).
    pub fn request(&self, op: Op) -> Vec<u8> {
        match op {
            Op::Render => self.render_request(),
            _ => self.validate_request(),
        }
    }
}

fn corpus() -> PathBuf {
    rec_wasm_tests::corpus_dir()
}

fn read(path: &Path) -> Result<Value, FixtureError> {
    let text = std::fs::read(path).map_err(|source| FixtureError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_slice(&text).map_err(|source| FixtureError::Json {
        path: path.to_path_buf(),
        source,
    })
}

fn object_of(path: &Path) -> Result<Value, FixtureError> {
    read(path)?
        .pointer("/request/object")
        .cloned()
        .ok_or_else(|| FixtureError::NoObject {
            path: path.to_path_buf(),
        })
}

/// The reference example REC.
pub fn example() -> Result<Fixture, FixtureError> {
    let object = object_of(&corpus().join("examples").join("example-examples-v1-rec-render.json"))?;
    Ok(Fixture {
        name: "example",
        object,
        about: "examples_v1_rec.yaml: 3 nodes".into(),
    })
}

/// The large REC: 35 nodes and every optional feature of the corpus's valid render cases that fits together.
pub fn large() -> Result<Fixture, FixtureError> {
    let dir = corpus().join("render");
    let mut object = object_of(&dir.join("render-thirty-five-nodes.json"))?;
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|source| FixtureError::Read {
            path: dir.clone(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    let (mut kept, mut tried) = (0, 0);
    for path in paths {
        let case = read(&path)?;
        if case.pointer("/expect/outcome") != Some(&json!("valid")) {
            continue;
        }
        let Some(spec) = case.pointer("/request/object/spec").filter(|s| s.is_object()) else {
            continue;
        };
        tried += 1;
        let mut candidate = object.clone();
        merge(&mut candidate["spec"], spec);
        candidate["spec"]["nodes"] = json!(35);
        if accepted(&candidate) {
            object = candidate;
            kept += 1;
        }
    }
    if !accepted(&object) {
        return Err(FixtureError::Invalid(object.to_string()));
    }
    Ok(Fixture {
        name: "large",
        object,
        about: format!("35 nodes, {kept} of {tried} corpus feature specs merged"),
    })
}

/// Deep merge: objects merge key by key, anything else is replaced.
fn merge(into: &mut Value, from: &Value) {
    match (into, from) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                merge(a.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
        (slot, v) => *slot = v.clone(),
    }
}

/// Valid with no errors, natively (warnings allowed: a large cluster may well draw one).
fn accepted(object: &Value) -> bool {
    let answer = rec_core::abi::call(Op::Validate as u32, json!({ "object": object }).to_string().as_bytes());
    let Ok(answer) = serde_json::from_slice::<Value>(&answer) else {
        return false;
    };
    answer.pointer("/ok/valid") == Some(&json!(true)) && answer.pointer("/ok/errors") == Some(&json!(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_is_deep_and_replaces_leaves() {
        let mut a = json!({"x": {"y": 1, "z": 2}, "l": [1]});
        merge(&mut a, &json!({"x": {"y": 3}, "l": [2, 3], "n": true}));
        assert_eq!(a, json!({"x": {"y": 3, "z": 2}, "l": [2, 3], "n": true}));
    }

    #[test]
    fn the_large_rec_has_35_nodes_and_many_features_and_is_valid() {
        let large = large().unwrap();
        assert_eq!(large.object["spec"]["nodes"], json!(35));
        assert!(accepted(&large.object));
        let fields = large.object["spec"].as_object().unwrap().len();
        assert!(fields > 20, "only {fields} spec fields: {}", large.object["spec"]);
    }
}
