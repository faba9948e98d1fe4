//! `tandem import --format hxl|acled IN.csv|IN.xlsx [--sheet NAME] (--into FILE | --out NEW_FILE)`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::import::{Format, ImportPlan};
use crate::io::{load_file, read_capped, save_file};
use crate::model::Situation;

/// Arguments of `tandem import`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("target").required(true).args(["into", "out"])))]
pub struct ImportArgs {
    /// The format of the file: `hxl` (who-does-what 3W sheet) or `acled` (incident data).
    #[arg(long, value_parser = parse_format)]
    pub format: Format,
    /// The file to import: CSV (any encoding; comma, semicolon or tab) or a workbook
    /// (.xlsx, .xls, .ods).
    pub input: PathBuf,
    /// The workbook sheet to read (default: the first one in the format).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Import into this situation file and save it in place (keeps NAME.bak).
    #[arg(long, value_name = "FILE")]
    pub into: Option<PathBuf>,
    /// Start from an empty situation and write it to this new file.
    #[arg(long, value_name = "NEW_FILE")]
    pub out: Option<PathBuf>,
}

fn parse_format(text: &str) -> Result<Format, String> {
    text.parse()
}

pub(super) fn run(args: ImportArgs) -> ExitCode {
    match import(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("tandem import: {message}");
            ExitCode::from(2)
        }
    }
}

fn import(args: &ImportArgs) -> Result<ExitCode, String> {
    let input = &args.input;
    // The lock on the file imported into, held until it is written.
    let _guard;
    let bytes = read_capped(input).map_err(|d| format!("{}: {}", input.display(), d.message))?;
    let (situation, target) = match (&args.into, &args.out) {
        (Some(into), _) => {
            let loaded = load_file(into).map_err(|d| format_diagnostic(into, &d))?;
            if let Some(reason) = loaded.read_only {
                return Err(format!("{}: {reason}", into.display()));
            }
            let guard = crate::io::claim_for_writing(into)
                .map_err(|refusal| format!("{}: refused, {refusal}", into.display()))?;
            _guard = guard;
            (loaded.situation, into.clone())
        }
        (None, Some(out)) => {
            if out.exists() {
                return Err(format!(
                    "{} already exists; use --into to import into it",
                    out.display()
                ));
            }
            crate::io::check_writable(out, None)
                .map_err(|refusal| format!("{}: refused, {refusal}", out.display()))?;
            (blank_situation()?, out.clone())
        }
        (None, None) => return Err("give --into FILE or --out NEW_FILE".into()),
    };
    let plan = args
        .format
        .plan_sheet(&bytes, &situation, args.sheet.as_deref())
        .map_err(|err| format!("{}: {err}", input.display()))?;
    print_preview(input, &plan);
    let result = if args.into.is_some() {
        let mut result = situation.clone();
        plan.apply(&mut result).map(|_| result)
    } else {
        plan.new_situation(&situation, &file_name(input))
    }
    .map_err(|err| format!("the import cannot be applied: {err}"))?;
    if args.into.is_some() && result == situation {
        outln!(
            "Nothing new to import: {} is left unchanged.",
            target.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    save_file(&target, &result).map_err(|err| format!("{}: {err}", target.display()))?;
    if args.into.is_some() {
        outln!("Wrote {}", target.display());
    } else {
        outln!(
            "Wrote {}: \"{}\", as of {}",
            target.display(),
            result.title,
            result.as_of
        );
    }
    if !plan.skipped.is_empty() {
        outln!(
            "Not everything was imported ({}); see \"Not imported\" above.",
            plan.row_summary()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// An empty situation, from the template File → New uses.
fn blank_situation() -> Result<Situation, String> {
    Ok(crate::samples::blank())
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn format_diagnostic(path: &Path, d: &crate::model::Diagnostic) -> String {
    match (d.line, d.column) {
        (Some(line), Some(column)) => format!("{}:{line}:{column}: {}", path.display(), d.message),
        _ => format!("{}: {}", path.display(), d.message),
    }
}

fn print_preview(input: &Path, plan: &ImportPlan) {
    outln!("Importing {}", input.display());
    for line in plan.preview_lines() {
        outln!("{line}");
    }
}
