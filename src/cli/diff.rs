//! `tandem diff OLD NEW [--json] [--max-sensitivity LEVEL] [--notes]`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;

use crate::analysis::diff::{DiffSection, SituationDiff};
use crate::export::{Audience, ExportOptions, parse_sensitivity, since::since};
use crate::io::load_file;
use crate::model::{Sensitivity, Situation};

/// Arguments of `tandem diff`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Items are matched by id; an item whose id changed while every other field stayed the same is
reported as renamed. Reordering items or the entries of a list is not a change.

With --max-sensitivity the account is for an audience, as an export is: a change to an item
above the ceiling is left out (even its removal), an item that was above it before and is
not now reads as new, an old value that names a left-out item is withheld, and internal
notes are left out unless --notes is given. Without it, everything is compared, notes too.

Exit status: 0 no change, 1 changes found, 2 a file cannot be read.")]
pub struct DiffArgs {
    /// The earlier situation file.
    pub old: PathBuf,
    /// The later situation file.
    pub new: PathBuf,
    /// Print the diff as JSON (ids, old and new values, and the same account in words).
    #[arg(long)]
    pub json: bool,
    /// The most sensitive items the reader may see: unclassified, confidential or strictly-confidential.
    #[arg(long, value_name = "LEVEL", value_parser = parse_sensitivity)]
    pub max_sensitivity: Option<Sensitivity>,
    /// With --max-sensitivity, compare the internal notes too (always compared without it).
    #[arg(long)]
    pub notes: bool,
}

/// What `--json` prints: the diff, and its account in words.
#[derive(Serialize)]
struct JsonDiff<'a> {
    #[serde(flatten)]
    diff: &'a SituationDiff,
    words: Vec<DiffSection>,
}

fn load(path: &Path) -> Result<Situation, ExitCode> {
    match load_file(path) {
        Ok(loaded) => Ok(loaded.situation),
        Err(d) => {
            eprintln!("{}", super::check::format_line(path, &d));
            Err(ExitCode::from(2))
        }
    }
}

pub(super) fn run(args: DiffArgs) -> ExitCode {
    let (old, new) = match (load(&args.old), load(&args.new)) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    let options = match args.max_sensitivity {
        Some(ceiling) => ExportOptions::new(Audience::new(ceiling)).with_notes(args.notes),
        None => {
            ExportOptions::new(Audience::new(Sensitivity::StrictlyConfidential)).with_notes(true)
        }
    };
    let diff = since(&old, &new, &options);
    if args.json {
        let json = JsonDiff {
            diff: &diff,
            words: diff.sections(),
        };
        match serde_json::to_string_pretty(&json) {
            Ok(text) => outln!("{text}"),
            Err(err) => {
                eprintln!("tandem: cannot print JSON: {err}");
                return ExitCode::from(2);
            }
        }
    } else {
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), "{}", diff.to_text());
    }
    if diff.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
