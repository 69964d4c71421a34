//! `render` without a cluster: read the REC, ask the wasm core, print the answer; and the text of one report,
//! which `validate` prints per document (see `validate.rs`).
//!
//! Results go to `out` (stdout), problems to stderr. `render` prints manifests only for a valid REC, with a
//! credentials secret made from fresh OS entropy (as the operator would), from `--entropy` (reproducible), or
//! none with `--existing-secret`.

use super::{ObjectFormat, exit, read_document};
use rec_core::abi::RenderRequest;
use rec_core::render::{Entropy, ExistingSecret, RenderContext};
use rec_core::validate::{Report, Severity};
use rec_engine::Engine;
use std::io::Write;
use std::path::Path;

/// Where `render` gets the credentials secret from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecretSource {
    /// A new secret, its password from fresh OS entropy (what `run` does).
    Fresh,
    /// A new secret from this entropy (reproducible output).
    Entropy(String),
    /// The secret of this name exists: it is not rendered.
    Existing(String),
}

/// `render FILE`: prints the objects (YAML stream or a JSON `List`); an invalid REC prints its report to stderr
/// and exits 1.
pub fn render(engine: &Engine, file: &Path, format: ObjectFormat, secret: SecretSource, out: &mut dyn Write) -> u8 {
    let object = match read_document(engine, file) {
        Ok(object) => object,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::UNREADABLE;
        }
    };
    let context = match secret {
        SecretSource::Existing(name) => RenderContext {
            existing_secret: Some(ExistingSecret { name }),
            ..Default::default()
        },
        SecretSource::Entropy(entropy) => RenderContext {
            entropy: Some(Entropy(entropy)),
            ..Default::default()
        },
        SecretSource::Fresh => match crate::secret::entropy() {
            Ok(entropy) => RenderContext {
                entropy: Some(Entropy(entropy)),
                ..Default::default()
            },
            Err(e) => {
                eprintln!("error: {e}");
                return exit::UNREADABLE;
            }
        },
    };
    let rendered = match engine.render(&RenderRequest { object, context }) {
        Ok(rendered) => rendered,
        Err(e) => {
            eprintln!("error: the core could not render {}: {e}", file.display());
            return exit::UNREADABLE;
        }
    };
    let Some(objects) = rendered.objects else {
        eprint!("{}", report_text(&file.display().to_string(), &rendered.report));
        return exit::INVALID;
    };
    let text = match format {
        ObjectFormat::Yaml => engine.to_yaml(&objects).map_err(|e| e.to_string()),
        ObjectFormat::Json => {
            let list = serde_json::json!({ "apiVersion": "v1", "kind": "List", "items": objects });
            serde_json::to_string_pretty(&list)
                .map(|s| s + "\n")
                .map_err(|e| e.to_string())
        }
    };
    match text.map(|text| out.write_all(text.as_bytes()).map_err(|e| e.to_string())) {
        Ok(Ok(())) => exit::OK,
        Ok(Err(e)) | Err(e) => {
            eprintln!("error: printing the objects failed: {e}");
            exit::UNREADABLE
        }
    }
}

/// The human report: a verdict line, then one line per violation.
pub fn report_text(file: &str, report: &Report) -> String {
    let verdict = if report.valid { "valid" } else { "invalid" };
    let mut text = format!(
        "{file}: {verdict} ({} error(s), {} warning(s))\n",
        report.errors, report.warnings
    );
    for v in &report.violations {
        let severity = match v.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        text.push_str(&format!("  {severity}: {} [{}]: {}\n", v.path, v.code, v.message));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use rec_core::validate::Violation;

    #[test]
    fn the_text_report_names_path_code_and_message() {
        let report = Report {
            valid: false,
            errors: 1,
            warnings: 0,
            violations: vec![Violation {
                code: "nodes-even".into(),
                severity: Severity::Error,
                path: "spec.nodes".into(),
                message: "nodes is 4; use an odd number".into(),
            }],
            cluster: None,
        };
        assert_eq!(
            report_text("rec.yaml", &report),
            "rec.yaml: invalid (1 error(s), 0 warning(s))\n  error: spec.nodes [nodes-even]: nodes is 4; use an odd number\n"
        );
    }
}
