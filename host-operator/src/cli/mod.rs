//! The command line: `run` (the controller), `crd`, `validate FILE [--context FILE]... [--old OLD]`, `render FILE`
//! and `plan FILE --old OLD`, the last three through the wasm core with no cluster. Exit codes: 0 valid / done, 1 invalid (with the full report), 2 the input could not
//! be read or the core could not answer.

mod check;
mod input;
mod plan;
mod run;
mod validate;

use clap::{Parser, Subcommand, ValueEnum};
use rec_engine::Engine;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

pub use check::{SecretSource, render};
pub use input::{InputError, read_document, read_documents};
pub use plan::plan;
pub use run::{DEFAULT_CONCURRENCY, DEFAULT_CORE_MEMORY_MIB, RunArgs};
pub use validate::{DocumentReport, ValidateInput, validate};

/// The RedisEnterpriseCluster operator, its core in WebAssembly.
#[derive(Parser, Debug)]
#[command(name = "rec-operator", version, about)]
pub struct Cli {
    /// Load this build of the core module (.wasm) instead of the embedded one.
    #[arg(long, global = true, env = "REC_CORE_MODULE", value_name = "PATH")]
    pub core_module: Option<PathBuf>,
    /// Write logs as JSON lines (for log collectors) instead of text.
    #[arg(long, global = true, env = "REC_LOG_JSON")]
    pub log_json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the controller against the cluster in KUBECONFIG or the in-cluster service account.
    Run(RunArgs),
    /// Print the CustomResourceDefinition (YAML).
    Crd,
    /// Validate RECs and REDBs: every document of FILE (YAML or JSON, several YAML documents between `---`
    /// lines; `-` reads stdin), each by its kind, with the others as its context (a REDB's REC, the other REDBs).
    ///
    /// A lone document with no --context is checked without context (a REDB gets the warning redb-no-context).
    /// Text output: a line per document (`FILE: Kind namespace/name: valid|invalid (N error(s), M warning(s))`,
    /// `FILE #N` when FILE holds several), then its violations. `-o json`: one array, an item per document in
    /// order, `{"kind", "name", "namespace", "report"}`. Exit 0 all valid, 1 any invalid, 2 unreadable input.
    Validate {
        file: PathBuf,
        /// More objects the documents are checked against, not reported on (e.g. the REC of a REDB file);
        /// repeatable, each file may hold several documents.
        #[arg(long, value_name = "FILE")]
        context: Vec<PathBuf>,
        /// The objects before the update, to check update-time rules: each document is compared with the one of
        /// the same kind, namespace and name (may hold several documents).
        #[arg(long, value_name = "OLDFILE")]
        old: Option<PathBuf>,
        #[arg(short, long, value_enum, default_value_t = ReportFormat::Text)]
        output: ReportFormat,
    },
    /// Render the objects a REC owns (YAML or JSON; `-` reads stdin).
    Render {
        file: PathBuf,
        #[arg(short, long, value_enum, default_value_t = ObjectFormat::Yaml)]
        output: ObjectFormat,
        /// Entropy (hex or base64, at least 24 bytes) for the new credentials password, for reproducible output;
        /// default: fresh bytes from the OS random generator.
        #[arg(long, value_name = "HEX")]
        entropy: Option<String>,
        /// The credentials secret of this name exists already: do not render it.
        #[arg(long, value_name = "NAME", conflicts_with = "entropy")]
        existing_secret: Option<String>,
    },
    /// How a change reaches a running cluster: the steps, in order, and the state (exit 1 when refused).
    Plan {
        /// The REC as it will be (YAML or JSON; `-` reads stdin).
        file: PathBuf,
        /// The REC the cluster runs now (default: none, a new cluster).
        #[arg(long, value_name = "OLDFILE")]
        old: Option<PathBuf>,
        /// What runs: the node StatefulSet, its pods and claims, e.g. `kubectl get sts,pod,pvc -l
        /// redis.io/cluster=<rec> -o json` (default: a healthy cluster running OLDFILE).
        #[arg(long, value_name = "FILE")]
        observed: Option<PathBuf>,
        #[arg(short, long, value_enum, default_value_t = ReportFormat::Text)]
        output: ReportFormat,
    },
}

/// How `validate` and `plan` print their answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
}

impl ReportFormat {
    /// Writes `answer` as `text` (for people) or as pretty JSON; false (said on stderr, naming `what`) when the
    /// writing failed.
    fn print(
        self,
        text: impl FnOnce() -> String,
        answer: &impl serde::Serialize,
        what: &str,
        out: &mut dyn Write,
    ) -> bool {
        let printed = match self {
            ReportFormat::Text => out.write_all(text().as_bytes()),
            ReportFormat::Json => serde_json::to_writer_pretty(&mut *out, answer)
                .map_err(std::io::Error::other)
                .and_then(|()| out.write_all(b"\n")),
        };
        printed
            .map_err(|e| eprintln!("error: writing the {what} failed: {e}"))
            .is_ok()
    }
}

/// How `render` prints the objects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ObjectFormat {
    Yaml,
    Json,
}

/// The exit codes.
pub mod exit {
    pub const OK: u8 = 0;
    pub const INVALID: u8 = 1;
    pub const UNREADABLE: u8 = 2;
}

impl Cli {
    /// Runs the command; everything printed goes to stdout (results) or stderr (problems).
    pub fn execute(self) -> ExitCode {
        if let Command::Crd = self.command {
            print!("{}", rec_core::crd::crd_yaml());
            return ExitCode::SUCCESS;
        }
        let engine = match load_engine(self.core_module.as_deref()) {
            Ok(engine) => engine,
            Err(e) => {
                eprintln!("error: the core module could not be loaded: {e}");
                return ExitCode::from(exit::UNREADABLE);
            }
        };
        let mut out = std::io::stdout().lock();
        let code = match self.command {
            Command::Crd => exit::OK,
            Command::Run(args) => return run::execute(args, engine),
            Command::Validate {
                file,
                context,
                old,
                output,
            } => validate(&engine, &ValidateInput { file, context, old }, output, &mut out),
            Command::Render {
                file,
                output,
                entropy,
                existing_secret,
            } => {
                let secret = match (existing_secret, entropy) {
                    (Some(name), _) => SecretSource::Existing(name),
                    (None, Some(entropy)) => SecretSource::Entropy(entropy),
                    (None, None) => SecretSource::Fresh,
                };
                render(&engine, &file, output, secret, &mut out)
            }
            Command::Plan {
                file,
                old,
                observed,
                output,
            } => plan(&engine, &file, old.as_deref(), observed.as_deref(), output, &mut out),
        };
        ExitCode::from(code)
    }
}

/// The embedded core module, or the one at `path`; its compilation cached in `rec_engine::default_cache_dir`
/// (`REC_ENGINE_CACHE_DIR=` turns the cache off), so only the first command after a build compiles it.
pub fn load_engine(path: Option<&std::path::Path>) -> Result<Engine, rec_engine::EngineError> {
    let engine = match path {
        Some(path) => Engine::from_file(path),
        None => Engine::embedded(),
    }?;
    let info = engine.info();
    tracing::debug!(
        from_cache = info.from_cache,
        cache_dir = ?rec_engine::default_cache_dir(),
        load_ms = info.startup.load.as_secs_f64() * 1e3,
        total_ms = info.startup.total().as_secs_f64() * 1e3,
        "core module loaded"
    );
    Ok(engine)
}

/// Structured logs on stderr: text by default, JSON lines with `--log-json`; the filter comes from `RUST_LOG`
/// (default `info`).
pub fn logging(json: bool) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // Colours only on a terminal: a log file or a pipe gets plain text.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
