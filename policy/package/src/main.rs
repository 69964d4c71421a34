//! `rec-policy-package`: `annotate` writes the policy module with its Kubewarden metadata embedded (what
//! `kwctl annotate -m metadata.yml -u README.md` writes); `artifacthub` writes `artifacthub-pkg.yml` (what
//! `kwctl scaffold artifacthub` writes). `policy/build` runs `annotate`; the release steps are in policy/README.md.

use clap::{Parser, Subcommand};
use rec_policy_package::{Metadata, annotate, artifacthub};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "rec-policy-package", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Embed metadata.yml (with the module's protocol version) and the usage text into MODULE.
    Annotate {
        module: PathBuf,
        #[arg(short, long, default_value = "policy/metadata.yml")]
        metadata: PathBuf,
        /// Its text becomes the io.kubewarden.policy.usage annotation.
        #[arg(short, long, default_value = "policy/README.md")]
        usage: PathBuf,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Write artifacthub-pkg.yml for this version (the package's Cargo version).
    Artifacthub {
        #[arg(short, long, default_value = "policy/metadata.yml")]
        metadata: PathBuf,
        #[arg(short, long, default_value = "questions-ui.yml")]
        questions: PathBuf,
        /// The release time (2026-11-29T04:00:00Z); default: the output file's, when it is of this version.
        #[arg(long)]
        created_at: Option<String>,
        #[arg(short, long, default_value = "artifacthub-pkg.yml")]
        output: PathBuf,
    },
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn text(path: &Path) -> Result<String, String> {
    String::from_utf8(read(path)?).map_err(|_| format!("{}: not UTF-8", path.display()))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn run(command: Command) -> Result<String, String> {
    match command {
        Command::Annotate {
            module,
            metadata,
            usage,
            output,
        } => {
            let input = read(&module)?;
            let (annotated, metadata) = annotate(&input, &text(&metadata)?, &text(&usage)?)
                .map_err(|e| format!("{}: {e}", module.display()))?;
            write(&output, &annotated)?;
            Ok(format!(
                "{}: {} bytes (the module {} + its metadata), protocol {}",
                output.display(),
                annotated.len(),
                input.len(),
                metadata.protocol_version.unwrap_or_default(),
            ))
        }
        Command::Artifacthub {
            metadata,
            questions,
            created_at,
            output,
        } => {
            let version = env!("CARGO_PKG_VERSION");
            let created_at = match created_at {
                Some(at) => at,
                None => created_at_of(&output, version)?,
            };
            let metadata = Metadata::from_yaml(&text(&metadata)?).map_err(|e| e.to_string())?;
            let pkg = artifacthub::generate(&metadata, version, &created_at, &text(&questions)?)
                .map_err(|e| e.to_string())?;
            write(&output, pkg.as_bytes())?;
            Ok(format!(
                "{}: version {version}, createdAt {created_at}",
                output.display()
            ))
        }
    }
}

/// The createdAt of an existing package file of `version`.
fn created_at_of(path: &Path, version: &str) -> Result<String, String> {
    let existing: serde_yaml::Value =
        serde_yaml::from_str(&text(path)?).map_err(|e| format!("{}: {e}", path.display()))?;
    match (existing["version"].as_str(), existing["createdAt"].as_str()) {
        (Some(v), Some(at)) if v == version => Ok(at.to_string()),
        _ => Err(format!(
            "{} is not of version {version}: pass --created-at with the release time (date -u +%FT%TZ)",
            path.display()
        )),
    }
}

fn main() -> ExitCode {
    match run(Cli::parse().command) {
        Ok(done) => {
            println!("{done}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
