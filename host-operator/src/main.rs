//! `rec-operator`: the operator (`run`) and its offline tools (`crd`, `validate`, `render`).

use clap::Parser;
use rec_operator::cli::{Cli, logging};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    logging(cli.log_json);
    cli.execute()
}
