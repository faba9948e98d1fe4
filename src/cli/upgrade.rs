//! `tandem upgrade FILE` — to be built in its own issue.

use std::path::Path;
use std::process::ExitCode;

pub(super) fn run(_file: &Path) -> ExitCode {
    eprintln!("tandem upgrade: not available yet");
    ExitCode::from(2)
}
