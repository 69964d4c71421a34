//! A cluster for the native tests to hand the policy (the SDK's host call does nothing outside wasm): fixed lists
//! of RECs and REDBs, or a failure, and a count of the calls.

use rec_policy::context::Cluster;
use serde_json::Value;
use std::cell::Cell;

pub struct FakeCluster {
    /// `None`: every call fails, as a host without the capability (or with the API server down) answers.
    pub objects: Option<Vec<Value>>,
    pub calls: Cell<usize>,
}

impl FakeCluster {
    pub fn with(objects: Vec<Value>) -> FakeCluster {
        FakeCluster {
            objects: Some(objects),
            calls: Cell::new(0),
        }
    }

    #[allow(dead_code, reason = "each test binary uses its part of the module")]
    pub fn failing() -> FakeCluster {
        FakeCluster {
            objects: None,
            calls: Cell::new(0),
        }
    }
}

impl Cluster for FakeCluster {
    fn list_all(&self, _api_version: &str, kind: &str, _fields: &[&str]) -> Result<Vec<Value>, String> {
        self.calls.set(self.calls.get() + 1);
        let objects = self.objects.as_ref().ok_or("the API server is unreachable")?;
        Ok(objects.iter().filter(|o| o["kind"] == kind).cloned().collect())
    }
}
