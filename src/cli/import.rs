//! `tandem import` — to be built in its own issue.

use std::process::ExitCode;

/// Arguments of `tandem import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {}

pub(super) fn run(_args: ImportArgs) -> ExitCode {
    eprintln!("tandem import: not available yet");
    ExitCode::from(2)
}
