//! `tandem export FILE --format FORMAT --out PATH [--max-sensitivity LEVEL] [--tlp LABEL] [--notes]
//! [--for PARTNER_ID]`

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use crate::export::since::SinceMark;
use crate::export::{
    Audience, ExportError, ExportOptions, Figure, Format, Tlp, export_prepared, parse_sensitivity,
    prepare,
};
use crate::io::marks::MarkStore;
use crate::io::{load_file, write_atomically};
use crate::model::{Sensitivity, Severity, Situation};

/// Arguments of `tandem export`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Items above the ceiling are left out of the file, with every reference to them, and so are
the internal notes of actors, partners, lines of effort, assignments and events unless
--notes is given; a one-line count of what was left out, with the choice about notes, is
printed to standard error.

Default sharing label for each ceiling (TLP 2.0):
  unclassified           -> TLP:CLEAR  (may be shared without limit)
  confidential           -> TLP:AMBER  (recipients' organizations, need to know)
  strictly-confidential  -> TLP:RED    (named recipients only)
Pick another with --tlp, e.g. --tlp green to keep an unclassified paper within the community.

With --for PARTNER_ID the export is made for that partner: it leads with the partner's
lines of effort and roles (lead first), what the others do on them and the next steps that
concern it; its column and lines come first in the matrix; the title says who it is for.
Items above the ceiling are left out as for any audience.

With --since OLD_FILE or --since-mark NAME (a briefing mark of FILE, or `latest`), the papers
and the workbook open with a “Since …” section: what changed, in words, redacted like the
rest (nothing of an item the audience may not see, not even its old values).

Exit status: 0 written, 1 the situation has errors or the format cannot be written,
2 the file cannot be read, the output cannot be saved, --for names no partner the
audience may see, or the earlier state of --since/--since-mark cannot be found or read.")]
pub struct ExportArgs {
    /// The situation file to export.
    pub file: PathBuf,
    /// md, html, pdf or docx (briefing paper), xlsx (workbook: matrix, who does what, lines, actors,
    /// partners, timeline), csv (who does what, HXL), ics (timeline, iCalendar), png or svg
    /// (a figure: see --figure).
    #[arg(long, value_parser = parse_format)]
    pub format: Format,
    /// Where to write the export (replaced atomically).
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// The most sensitive items the audience may see: unclassified, confidential or strictly-confidential.
    #[arg(long, value_name = "LEVEL", value_parser = parse_sensitivity, default_value = "unclassified")]
    pub max_sensitivity: Sensitivity,
    /// Sharing label: clear, green, amber, amber+strict or red [default: the ceiling's usual label, below].
    #[arg(long, value_name = "LABEL", value_parser = parse_tlp)]
    pub tlp: Option<Tlp>,
    /// Include the internal notes (left out unless given).
    #[arg(long)]
    pub notes: bool,
    /// Make the export for one named partner (its id): it leads with that partner's lines
    /// of effort and roles, what the others do there, and the next steps that concern it.
    #[arg(long = "for", value_name = "PARTNER_ID")]
    pub for_partner: Option<String>,
    /// Add a "Since …" section (papers and workbook): what changed since this earlier file,
    /// redacted like the rest.
    #[arg(long, value_name = "OLD_FILE", conflicts_with = "since_mark")]
    pub since: Option<PathBuf>,
    /// Add a "Since …" section: what changed since this briefing mark of FILE (its name, or
    /// `latest`), redacted like the rest.
    #[arg(long, value_name = "NAME")]
    pub since_mark: Option<String>,
    /// The figure of a png or svg export: matrix or timeline.
    #[arg(long, value_name = "FIGURE", value_parser = parse_figure, default_value = "matrix")]
    pub figure: Figure,
}

fn parse_figure(text: &str) -> Result<Figure, String> {
    text.parse()
}

fn parse_format(text: &str) -> Result<Format, String> {
    text.parse()
}

fn parse_tlp(text: &str) -> Result<Tlp, String> {
    text.parse()
}

/// The ids `--for` takes: the partners this audience may see (the first 20).
fn partner_ids(prepared: &Situation) -> String {
    const SHOWN: usize = 20;
    if prepared.partners.is_empty() {
        return "tandem export: this audience may see no partner".to_owned();
    }
    let ids: Vec<&str> = prepared
        .partners
        .iter()
        .take(SHOWN)
        .map(|p| p.id.as_str())
        .collect();
    let more = prepared.partners.len().saturating_sub(SHOWN);
    let tail = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    format!(
        "tandem export: partners this audience may see: {}{tail}",
        ids.join(", ")
    )
}

/// The earlier state of `--since` or `--since-mark`, if either is given.
fn since_mark(args: &ExportArgs, now: &Situation) -> Result<Option<Arc<SinceMark>>, ExitCode> {
    if let Some(old_file) = &args.since {
        let old = load_file(old_file).map_err(|d| {
            eprintln!("{}", super::check::format_line(old_file, &d));
            ExitCode::from(2)
        })?;
        let name = old_file.file_name().map_or_else(
            || old_file.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let date = format!("as of {}", old.situation.as_of);
        return Ok(Some(Arc::new(SinceMark::new(
            name,
            date,
            &old.situation,
            now,
        ))));
    }
    let Some(wanted) = &args.since_mark else {
        return Ok(None);
    };
    let fail = |message: String| {
        eprintln!("tandem export: {message}");
        ExitCode::from(2)
    };
    let store = MarkStore::for_file(&args.file).map_err(|e| fail(e.to_string()))?;
    let marks = store.list();
    let found = if wanted == "latest" {
        marks.first()
    } else {
        marks.iter().find(|m| m.meta.name == *wanted)
    };
    let Some(mark) = found else {
        let names: Vec<&str> = marks.iter().map(|m| m.meta.name.as_str()).collect();
        return Err(fail(if names.is_empty() {
            format!("{} has no briefing mark", args.file.display())
        } else {
            format!(
                "no mark \"{wanted}\"; the marks of this file: {}",
                names.join(", ")
            )
        }));
    };
    let old = store.situation(mark).map_err(|e| fail(e.to_string()))?;
    Ok(Some(Arc::new(SinceMark::new(
        mark.meta.name.clone(),
        mark.date_text(),
        &old,
        now,
    ))))
}

pub(super) fn run(args: ExportArgs) -> ExitCode {
    let file = &args.file;
    let loaded = match load_file(file) {
        Ok(l) => l,
        Err(d) => {
            eprintln!("{}", super::check::format_line(file, &d));
            return ExitCode::from(2);
        }
    };
    let errors: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && !d.code.starts_with("schema."))
        .collect();
    if !errors.is_empty() {
        for d in &errors {
            eprintln!("{}", super::check::format_line(file, d));
        }
        eprintln!(
            "tandem export: {} has {} error(s); fix them before exporting",
            file.display(),
            errors.len()
        );
        return ExitCode::from(1);
    }
    let audience = Audience {
        ceiling: args.max_sensitivity,
        tlp: args.tlp.unwrap_or(Tlp::for_ceiling(args.max_sensitivity)),
    };
    let since = match since_mark(&args, &loaded.situation) {
        Ok(since) => since,
        Err(code) => return code,
    };
    let options = ExportOptions::new(audience)
        .with_notes(args.notes)
        .with_figure(args.figure)
        .for_partner(args.for_partner.clone())
        .with_since(since);
    let (prepared, report) = prepare(&loaded.situation, &options);
    let bytes = match export_prepared(&prepared, args.format, &options) {
        Ok(b) => b,
        Err(err @ ExportError::NoSuchPartner(_)) => {
            eprintln!("tandem export: {err}");
            eprintln!("{}", partner_ids(&prepared));
            return ExitCode::from(2);
        }
        Err(err) => {
            eprintln!("tandem export: {err}");
            return ExitCode::from(1);
        }
    };
    if let Err(err) = write_atomically(&args.out, &bytes, false) {
        eprintln!("tandem export: {err}");
        return ExitCode::from(2);
    }
    // The places only: they are in the export anyway; the left-out names are not printed.
    let mut places: Vec<&str> = report.mentions.iter().map(|m| m.place.as_str()).collect();
    places.dedup();
    for place in places {
        eprintln!(
            "tandem export: warning: {place} still names an item left out of this export; \
             review that text before sharing the file"
        );
    }
    eprintln!(
        "tandem export: wrote {} ({})",
        args.out.display(),
        crate::export::job::summary(args.format, bytes.len(), &options, &report)
    );
    ExitCode::SUCCESS
}
