//! Structure-aware RECs (`rec_fuzz::mutate`: a valid corpus REC with fuzzer-chosen mutations) through validate
//! and render, with a context that can always make a password (entropy, or an existing credentials secret).
//!
//! Invariants: when validation says valid, render produces objects under the same report (the operator treats
//! "core refused what validation accepted" as a bug); when it says invalid, render produces none; both reports
//! are self-consistent; rendering twice gives the same bytes.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use rec_core::render::{Entropy, ExistingSecret, RenderContext, render};
use rec_core::validate::{Options, validate};

fn context(u: &mut Unstructured, rec: &serde_json::Value) -> arbitrary::Result<RenderContext> {
    let bytes: [u8; 32] = u.arbitrary()?;
    let entropy: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let existing = u.ratio(1, 4)?;
    let secret_name = rec
        .pointer("/spec/clusterCredentialSecretName")
        .or_else(|| rec.pointer("/metadata/name"))
        .and_then(|v| v.as_str())
        .map(str::to_string);
    Ok(RenderContext {
        options: Options {
            warnings_as_errors: u.ratio(1, 8)?,
            ..Default::default()
        },
        existing_secret: secret_name.filter(|_| existing).map(|name| ExistingSecret { name }),
        entropy: Some(Entropy(entropy)),
        ..Default::default()
    })
}

fuzz_target!(init: rec_fuzz::mutate::warm_up(), |data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(rec) = rec_fuzz::mutate::mutated(&mut u) else {
        return;
    };
    let Ok(ctx) = context(&mut u, &rec) else { return };
    let report = validate(&rec, None, &ctx.options);
    rec_fuzz::check_report(&report, ctx.options.warnings_as_errors);
    let rendered = render(&rec, &ctx);
    rec_fuzz::check_report(&rendered.report, ctx.options.warnings_as_errors);
    if report.valid {
        assert!(
            rendered.objects.is_some(),
            "validation accepted what render refused: {:?}\nREC: {rec}",
            rendered.report
        );
        assert_eq!(rendered.report, report, "render's report differs from validation's");
    } else {
        assert!(rendered.objects.is_none(), "an invalid REC was rendered");
    }
    let first = serde_json::to_vec(&rendered).unwrap_or_default();
    let second = serde_json::to_vec(&render(&rec, &ctx)).unwrap_or_default();
    assert!(first == second, "render is not deterministic for {rec}");
});
