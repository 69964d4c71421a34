//! Golden tests: every example REC (`tests/fixtures/examples/`, the in-repo copies of the published examples)
//! and every render fixture (`tests/fixtures/render/`, one optional branch each) is rendered and its YAML compared
//! with `tests/golden/<name>.yaml`. `REC_BLESS=1 cargo test -p rec-core --test render_golden` rewrites the golden
//! files (then review the diff); without it a mismatch fails showing the first differing lines.

use rec_core::abi::{Op, RenderRequest};
use rec_core::render::{Entropy, RenderContext, render};
use std::path::{Path, PathBuf};

/// 32 fixed bytes: the golden passwords are test data, not secrets.
const ENTROPY: &str = "00112233445566778899aabbccddeeff0123456789abcdef0f1e2d3c4b5a6978";

fn dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join(name)
}

fn context() -> RenderContext {
    RenderContext {
        entropy: Some(Entropy(ENTROPY.into())),
        ..Default::default()
    }
}

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    out.sort();
    out
}

/// Every fixture REC, from both folders, by name.
fn fixtures() -> Vec<PathBuf> {
    let mut all = files(&dir("fixtures/examples"), "yaml");
    all.extend(files(&dir("fixtures/render"), "yaml"));
    all
}

/// One fixture REC as JSON.
fn fixture_value(fixture: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(fixture).unwrap_or_else(|e| panic!("{}: {e}", fixture.display()));
    let parsed = rec_core::yaml::parse(&text);
    parsed
        .value
        .unwrap_or_else(|| panic!("{} does not parse: {:?}", fixture.display(), parsed.error))
}

/// The rendered YAML stream of one fixture.
fn rendered_yaml(fixture: &Path) -> String {
    let rendered = render(&fixture_value(fixture), &context());
    let objects = rendered.objects.unwrap_or_else(|| {
        panic!(
            "{} was not rendered: {:#?}",
            fixture.display(),
            rendered.report.violations
        )
    });
    rec_core::yaml::to_yaml_stream(&objects)
}

/// The first differing line and a few lines around it, from both sides.
fn first_difference(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let at = e
        .iter()
        .zip(&a)
        .position(|(x, y)| x != y)
        .unwrap_or(e.len().min(a.len()));
    let window = |lines: &[&str]| {
        let from = at.saturating_sub(3);
        let to = (at + 4).min(lines.len());
        (from..to)
            .map(|i| format!("{:>5} {} {}\n", i + 1, if i == at { ">" } else { " " }, lines[i]))
            .collect::<String>()
    };
    format!(
        "first difference at line {} (expected {} lines, got {}):\n--- expected\n{}+++ actual\n{}",
        at + 1,
        e.len(),
        a.len(),
        window(&e),
        window(&a)
    )
}

/// The ABI writes a render's typed objects straight to its answer; the answer is byte for byte what the JSON
/// values of [`render`] make (the golden files' source), for every fixture.
#[test]
fn the_abi_answers_a_render_with_the_bytes_of_its_values() {
    for fixture in fixtures() {
        let request = RenderRequest {
            object: fixture_value(&fixture),
            context: context(),
        };
        let answer = rec_core::abi::call(Op::Render as u32, &serde_json::to_vec(&request).expect("a request"));
        let values = serde_json::json!({ "ok": render(&request.object, &request.context) });
        let expected = serde_json::to_vec(&values).expect("JSON");
        assert!(
            answer == expected,
            "{}: the ABI answered\n{}\nthe values are\n{}",
            fixture.display(),
            String::from_utf8_lossy(&answer),
            String::from_utf8_lossy(&expected)
        );
    }
}

#[test]
fn every_fixture_renders_as_its_golden_file() {
    let bless = std::env::var_os("REC_BLESS").is_some_and(|v| v != "0");
    let golden = dir("golden");
    let fixtures = fixtures();
    let mut names: Vec<_> = fixtures.iter().filter_map(|f| f.file_name()).collect();
    names.sort();
    names.dedup();
    assert_eq!(
        names.len(),
        fixtures.len(),
        "two fixtures share a name (they would share a golden file)"
    );
    assert!(
        fixtures.len() >= 14,
        "expected the shared examples and our fixtures, found {}",
        fixtures.len()
    );
    let mut failures = Vec::new();
    for fixture in &fixtures {
        let name = fixture.file_name().expect("file name");
        let actual = rendered_yaml(fixture);
        let path = golden.join(name);
        if bless {
            std::fs::write(&path, &actual).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => failures.push(format!("{}: {}", path.display(), first_difference(&expected, &actual))),
            Err(e) => failures.push(format!("{}: missing ({e})", path.display())),
        }
    }
    for stale in files(&golden, "yaml") {
        let name = stale.file_name().expect("file name");
        if !fixtures.iter().any(|f| f.file_name() == Some(name)) {
            failures.push(format!("{}: no fixture renders it (delete it)", stale.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} golden file(s) differ; if the change is intended run `REC_BLESS=1 cargo test -p rec-core --test \
         render_golden` and review the diff:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn rendering_is_byte_identical_across_calls() {
    for fixture in fixtures() {
        assert_eq!(
            rendered_yaml(&fixture),
            rendered_yaml(&fixture),
            "{}",
            fixture.display()
        );
    }
}

/// Rendered objects are written through the core's view (`rec_core::render::View`: no status, no timestamps, to
/// keep a date library out of the browser build; a workload's user volumes as their JSON, after the pod's own).
/// It leaves out nothing rendering sets: every object of every fixture is written byte for byte as k8s-openapi's
/// own `Serialize` writes it, the user's volumes read into the pod spec's list.
#[test]
fn rendered_objects_are_written_as_k8s_openapi_writes_them() {
    use rec_core::render::{Owned, render_owned};
    for fixture in fixtures() {
        let rendered = render_owned(&fixture_value(&fixture), &context());
        let objects = rendered
            .objects
            .unwrap_or_else(|| panic!("{} was not rendered", fixture.display()));
        for object in &objects {
            let ours = serde_json::to_string(object).expect("the view writes JSON");
            let theirs = match object {
                Owned::ServiceAccount(o) => serde_json::to_string(o),
                Owned::Role(o) => serde_json::to_string(o),
                Owned::RoleBinding(o) => serde_json::to_string(o),
                Owned::Secret(o) => serde_json::to_string(o),
                Owned::Service(o) => serde_json::to_string(o),
                Owned::PodDisruptionBudget(o) => serde_json::to_string(o),
                Owned::StatefulSet(o, user) => {
                    let mut o = o.clone();
                    let pod = o.spec.as_mut().and_then(|s| s.template.spec.as_mut());
                    with_user(pod.expect("a pod spec"), user);
                    serde_json::to_string(&o)
                }
                Owned::Deployment(o, user) => {
                    let mut o = o.clone();
                    let pod = o.spec.as_mut().and_then(|s| s.template.spec.as_mut());
                    with_user(pod.expect("a pod spec"), user);
                    serde_json::to_string(&o)
                }
                Owned::PersistentVolumeClaim(o) => serde_json::to_string(o),
            }
            .expect("k8s-openapi writes JSON");
            assert_eq!(ours, theirs, "{}: {:?}", fixture.display(), object.kind());
        }
    }
}

/// `pod` with what the user adds as JSON read by k8s-openapi: the containers and volumes after its own, the rest
/// set.
fn with_user(pod: &mut k8s_openapi::api::core::v1::PodSpec, user: &rec_core::render::UserPod) {
    fn typed<T: serde::de::DeserializeOwned>(part: &impl serde::Serialize) -> T {
        serde_json::from_value(serde_json::to_value(part).expect("JSON")).expect("k8s-openapi reads it")
    }
    let containers: Vec<_> = typed(&user.containers);
    pod.containers.extend(containers);
    pod.init_containers = user.init_containers.as_ref().map(typed).or(pod.init_containers.take());
    if !user.volumes.is_empty() {
        let volumes: Vec<_> = typed(&user.volumes);
        pod.volumes.get_or_insert_default().extend(volumes);
    }
    pod.affinity = user.affinity.as_ref().map(typed).or(pod.affinity.take());
    pod.dns_config = user.dns_config.as_ref().map(typed).or(pod.dns_config.take());
    pod.os = user.os.as_ref().map(typed).or(pod.os.take());
    pod.readiness_gates = user.readiness_gates.as_ref().map(typed).or(pod.readiness_gates.take());
    pod.resource_claims = user.resource_claims.as_ref().map(typed).or(pod.resource_claims.take());
    pod.scheduling_gates = user
        .scheduling_gates
        .as_ref()
        .map(typed)
        .or(pod.scheduling_gates.take());
    pod.security_context = user
        .security_context
        .as_ref()
        .map(typed)
        .or(pod.security_context.take());
    pod.topology_spread_constraints = user
        .topology_spread_constraints
        .as_ref()
        .map(typed)
        .or(pod.topology_spread_constraints.take());
}
