//! The credentials secret: rendered only while it does not exist, its password made from the host's entropy
//! (at least 32 characters) and never changed afterwards; missing entropy is a clear error, not a weak password.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rec_core::render::{Entropy, ExistingSecret, PASSWORD_MIN_CHARS, RenderContext, Rendered, render};
use serde_json::{Value, json};

const ENTROPY_A: &str = "00112233445566778899aabbccddeeff0123456789abcdef";
const ENTROPY_B: &str = "ffeeddccbbaa99887766554433221100fedcba9876543210";

fn rec(spec: Value) -> Value {
    json!({
        "apiVersion": "app.redislabs.com/v1",
        "kind": "RedisEnterpriseCluster",
        "metadata": {"name": "rec", "namespace": "ns", "uid": "u-1"},
        "spec": spec,
    })
}

fn ctx(entropy: Option<&str>, existing: Option<&str>) -> RenderContext {
    RenderContext {
        entropy: entropy.map(|e| Entropy(e.into())),
        existing_secret: existing.map(|name| ExistingSecret { name: name.into() }),
        ..Default::default()
    }
}

fn objects(rendered: &Rendered) -> &Vec<Value> {
    rendered
        .objects
        .as_ref()
        .unwrap_or_else(|| panic!("not rendered: {:#?}", rendered.report))
}

fn secrets(rendered: &Rendered) -> Vec<&Value> {
    objects(rendered).iter().filter(|o| o["kind"] == "Secret").collect()
}

fn decoded(secret: &Value, key: &str) -> String {
    let text = secret["data"][key]
        .as_str()
        .unwrap_or_else(|| panic!("no data.{key} in {secret}"));
    String::from_utf8(STANDARD.decode(text).expect("base64")).expect("UTF-8")
}

#[test]
fn a_new_secret_gets_a_fresh_password_of_at_least_32_url_safe_characters() {
    let rendered = render(&rec(json!({})), &ctx(Some(ENTROPY_A), None));
    let found = secrets(&rendered);
    assert_eq!(found.len(), 1);
    let secret = found[0];
    assert_eq!(secret["metadata"]["name"], "rec");
    assert_eq!(secret["type"], "Opaque");
    assert_eq!(decoded(secret, "username"), "demo@redis.com");
    let password = decoded(secret, "password");
    assert!(password.len() >= PASSWORD_MIN_CHARS, "{} characters", password.len());
    assert!(
        password
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
        "{password}"
    );
    assert!(secret["data"].get("license").is_none());

    // The password comes from the entropy: other entropy, other password; same entropy, same password.
    let other = render(&rec(json!({})), &ctx(Some(ENTROPY_B), None));
    assert_ne!(decoded(secrets(&other)[0], "password"), password);
    let again = render(&rec(json!({})), &ctx(Some(ENTROPY_A), None));
    assert_eq!(decoded(secrets(&again)[0], "password"), password);
}

#[test]
fn an_existing_secret_is_never_rendered_again_so_its_password_is_preserved() {
    let spec = json!({"clusterCredentialSecretName": "admin"});
    let first = render(&rec(spec.clone()), &ctx(Some(ENTROPY_A), None));
    let later = render(&rec(spec.clone()), &ctx(Some(ENTROPY_B), Some("admin")));
    assert!(
        secrets(&later).is_empty(),
        "an existing secret must not be rendered (its password would change)"
    );
    // No object carries a password value: the only mention is the file name the probes read it from.
    let text = serde_json::to_string(objects(&later)).expect("json");
    assert!(!text.contains("\"password\""), "{text}");
    // Everything else is the same as on the first render.
    let without_secret: Vec<&Value> = objects(&first).iter().filter(|o| o["kind"] != "Secret").collect();
    assert_eq!(without_secret, objects(&later).iter().collect::<Vec<_>>());
    // An existing secret needs no entropy.
    let no_entropy = render(&rec(spec), &ctx(None, Some("admin")));
    assert!(no_entropy.report.valid, "{:#?}", no_entropy.report);
    assert!(secrets(&no_entropy).is_empty());
}

#[test]
fn a_secret_under_another_name_does_not_count_as_existing() {
    let rendered = render(
        &rec(json!({"clusterCredentialSecretName": "admin"})),
        &ctx(Some(ENTROPY_A), Some("rec")),
    );
    assert_eq!(secrets(&rendered)[0]["metadata"]["name"], "admin");
}

#[test]
fn missing_entropy_is_an_error_and_nothing_is_rendered() {
    let rendered = render(&rec(json!({})), &ctx(None, None));
    assert!(!rendered.report.valid);
    assert!(rendered.objects.is_none());
    let v = rendered
        .report
        .violations
        .iter()
        .find(|v| v.code == "entropy-missing")
        .expect("entropy-missing");
    assert_eq!(v.path, "context.entropy");
    assert!(v.message.contains("\"rec\""), "{}", v.message);
    assert!(rendered.report.errors >= 1);
}

#[test]
fn short_or_garbled_entropy_is_an_error() {
    for entropy in [
        "00112233445566778899aabbccddeeff0011223344556677"[..46].to_string(),
        "not random at all!".into(),
    ] {
        let rendered = render(&rec(json!({})), &ctx(Some(&entropy), None));
        assert!(rendered.objects.is_none(), "{entropy}");
        assert!(
            rendered.report.violations.iter().any(|v| v.code == "entropy-invalid"),
            "{:#?}",
            rendered.report
        );
    }
}

#[test]
fn an_inline_license_goes_into_the_secret() {
    let rendered = render(&rec(json!({"license": "LICENSE TEXT"})), &ctx(Some(ENTROPY_A), None));
    assert_eq!(decoded(secrets(&rendered)[0], "license"), "LICENSE TEXT");
}

#[test]
fn vault_credentials_render_no_secret_and_need_no_entropy() {
    let rendered = render(&rec(json!({"clusterCredentialSecretType": "vault"})), &ctx(None, None));
    assert!(secrets(&rendered).is_empty());
    let text = serde_json::to_string(objects(&rendered)).expect("json");
    assert!(!text.contains("/opt/redislabs/credentials"), "no secret to mount");
}

#[test]
fn the_context_never_takes_an_existing_secrets_data() {
    let request = json!({"existingSecret": {"name": "rec", "data": {"password": "c2VjcmV0"}}});
    let err = serde_json::from_value::<RenderContext>(request).expect_err("data must be refused");
    assert!(err.to_string().contains("data"), "{err}");
    let ok: RenderContext = serde_json::from_value(json!({"existingSecret": {"name": "rec"}, "entropy": ENTROPY_A}))
        .expect("camelCase context");
    assert_eq!(ok.existing_secret, Some(ExistingSecret { name: "rec".into() }));
    assert!(
        !format!("{ok:?}").contains(ENTROPY_A),
        "Debug must not show the entropy"
    );
}
