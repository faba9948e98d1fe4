//! `tandem generate` — to be built in its own issue.

use std::process::ExitCode;

/// Arguments of `tandem generate`.
#[derive(Debug, clap::Args)]
pub struct GenerateArgs {}

pub(super) fn run(_args: GenerateArgs) -> ExitCode {
    eprintln!("tandem generate: not available yet");
    ExitCode::from(2)
}
