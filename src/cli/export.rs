//! `tandem export` — to be built in its own issue.

use std::process::ExitCode;

/// Arguments of `tandem export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {}

pub(super) fn run(_args: ExportArgs) -> ExitCode {
    eprintln!("tandem export: not available yet");
    ExitCode::from(2)
}
