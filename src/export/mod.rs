//! Briefings and exports for partners, with sensitivity. Knows nothing of egui.
//!
//! Every export starts from [`redact::redact`]: items above the audience's ceiling are
//! removed from the data, with every reference to them, before anything is written. Each
//! page then carries the [`marking`] line: the TLP 2.0 label, the ceiling and the as-of date.

pub mod briefing;
pub mod csv;
pub mod docx;
pub mod figure;
pub mod fonts;
pub mod html;
pub mod ics;
pub mod job;
pub mod long_text;
pub mod map_figure;
pub mod markdown;
pub mod mentions;
pub mod partner;
pub mod pdf;
pub mod png;
pub mod redact;
pub mod since;
pub mod xlsx;

use std::fmt;
use std::str::FromStr;

use crate::model::{PartialDate, Sensitivity, Situation};

pub use briefing::{Briefing, briefing, briefing_for};
pub use figure::Figure;
pub use mentions::Mention;
pub use redact::{RedactionReport, prepare, redact};

/// A Traffic Light Protocol 2.0 sharing label (first.org/tlp).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tlp {
    /// Disclosure is not limited.
    Clear,
    /// Within the recipients' community, not public.
    Green,
    /// Within the recipients' organizations and their clients, on a need-to-know basis.
    Amber,
    /// Within the recipients' own organization only.
    AmberStrict,
    /// For the named recipients only.
    Red,
}

impl Tlp {
    /// Every label, least to most restrictive.
    pub const ALL: [Tlp; 5] = [
        Tlp::Clear,
        Tlp::Green,
        Tlp::Amber,
        Tlp::AmberStrict,
        Tlp::Red,
    ];

    /// The label as printed: `TLP:CLEAR`, `TLP:AMBER+STRICT`…
    pub fn label(self) -> &'static str {
        match self {
            Tlp::Clear => "TLP:CLEAR",
            Tlp::Green => "TLP:GREEN",
            Tlp::Amber => "TLP:AMBER",
            Tlp::AmberStrict => "TLP:AMBER+STRICT",
            Tlp::Red => "TLP:RED",
        }
    }

    /// The label as typed on the command line: `clear`, `green`, `amber`, `amber+strict`, `red`.
    pub fn code(self) -> &'static str {
        match self {
            Tlp::Clear => "clear",
            Tlp::Green => "green",
            Tlp::Amber => "amber",
            Tlp::AmberStrict => "amber+strict",
            Tlp::Red => "red",
        }
    }

    /// What the label allows, in one sentence.
    pub fn meaning(self) -> &'static str {
        match self {
            Tlp::Clear => "Recipients may share this without limit.",
            Tlp::Green => "Recipients may share this within their community, not publicly.",
            Tlp::Amber => {
                "Recipients may share this within their organization and its clients, on a need-to-know basis."
            }
            Tlp::AmberStrict => {
                "Recipients may share this within their own organization only, on a need-to-know basis."
            }
            Tlp::Red => "For the named recipients only; not to be shared further.",
        }
    }

    /// The usual label for an audience ceiling: unclassified material may be released
    /// without restriction (TLP:CLEAR), confidential material goes to partner organizations
    /// on a need-to-know basis (TLP:AMBER), strictly confidential material only to the
    /// named recipients (TLP:RED).
    pub fn for_ceiling(ceiling: Sensitivity) -> Tlp {
        match ceiling {
            Sensitivity::Unclassified => Tlp::Clear,
            Sensitivity::Confidential => Tlp::Amber,
            Sensitivity::StrictlyConfidential => Tlp::Red,
        }
    }
}

impl fmt::Display for Tlp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for Tlp {
    type Err = String;

    /// Accepts `clear`, `green`, `amber`, `amber+strict`, `red`, with or without `TLP:`, any case.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let lower = text.trim().to_ascii_lowercase();
        let bare = lower.strip_prefix("tlp:").unwrap_or(&lower);
        Tlp::ALL
            .into_iter()
            .find(|t| t.code() == bare || (bare == "white" && *t == Tlp::Clear))
            .ok_or_else(|| {
                format!("unknown TLP label \"{text}\" (expected clear, green, amber, amber+strict or red)")
            })
    }
}

/// Parses a sensitivity ceiling: `unclassified`, `confidential`, `strictly-confidential`.
pub fn parse_sensitivity(text: &str) -> Result<Sensitivity, String> {
    match text
        .trim()
        .to_ascii_lowercase()
        .replace(['_', ' '], "-")
        .as_str()
    {
        "unclassified" => Ok(Sensitivity::Unclassified),
        "confidential" => Ok(Sensitivity::Confidential),
        "strictly-confidential" => Ok(Sensitivity::StrictlyConfidential),
        _ => Err(format!(
            "unknown sensitivity \"{text}\" (expected unclassified, confidential or strictly-confidential)"
        )),
    }
}

/// Who an export is for: the most sensitive items they may see, and how they may share it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Audience {
    /// Items above this sensitivity are left out.
    pub ceiling: Sensitivity,
    /// The sharing label printed on every page.
    pub tlp: Tlp,
}

impl Audience {
    /// An audience with the usual label for its ceiling ([`Tlp::for_ceiling`]).
    pub fn new(ceiling: Sensitivity) -> Self {
        Self {
            ceiling,
            tlp: Tlp::for_ceiling(ceiling),
        }
    }
}

impl Default for Audience {
    fn default() -> Self {
        Self::new(Sensitivity::Unclassified)
    }
}

/// Everything an export is made for: the audience, and what it may read beyond the items
/// themselves.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// Who reads it: the ceiling and the sharing label.
    pub audience: Audience,
    /// Whether the internal notes of actors, partners, lines of effort, assignments and events
    /// go into the export. Off unless the user includes them: notes are the desk's own.
    pub notes: bool,
    /// The figure a PNG or SVG export draws.
    pub figure: Figure,
    /// The id of the partner the export is for, when it is for one named partner: it then
    /// leads with what concerns that partner ([`partner`]).
    pub partner: Option<String>,
    /// An earlier state (a briefing mark, another file) whose changes the papers and the
    /// workbook report in a "Since …" section, redacted like the rest.
    pub since: Option<std::sync::Arc<since::SinceMark>>,
}

impl ExportOptions {
    /// For `audience`, without internal notes, for no partner in particular.
    pub fn new(audience: Audience) -> Self {
        Self {
            audience,
            notes: false,
            figure: Figure::default(),
            partner: None,
            since: None,
        }
    }

    /// The same, with a "Since …" section reporting the changes since `mark` (or without one).
    pub fn with_since(mut self, mark: Option<std::sync::Arc<since::SinceMark>>) -> Self {
        self.since = mark;
        self
    }

    /// The same, for the partner with this id (or for no partner in particular).
    pub fn for_partner(mut self, partner: Option<String>) -> Self {
        self.partner = partner;
        self
    }

    /// The same, drawing `figure` (for PNG and SVG).
    pub fn with_figure(mut self, figure: Figure) -> Self {
        self.figure = figure;
        self
    }

    /// The same, with internal notes included or not.
    pub fn with_notes(mut self, notes: bool) -> Self {
        self.notes = notes;
        self
    }
}

impl From<Audience> for ExportOptions {
    fn from(audience: Audience) -> Self {
        Self::new(audience)
    }
}

/// The marking line printed at the top and bottom of every page and slide:
/// `TLP:AMBER — Confidential and below — as of 2010-10-15`.
pub fn marking(audience: &Audience, as_of: PartialDate) -> String {
    let ceiling = match audience.ceiling {
        Sensitivity::Unclassified => "Unclassified only".to_owned(),
        other => format!("{} and below", other.label()),
    };
    format!("{} — {ceiling} — as of {as_of}", audience.tlp.label())
}

/// An export file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Briefing paper in Markdown.
    Markdown,
    /// Briefing paper as one self-contained HTML file.
    Html,
    /// Briefing paper as PDF.
    Pdf,
    /// Briefing paper as a Word document (.docx), for editing further.
    Docx,
    /// Who does what, as HXL-tagged CSV.
    Csv,
    /// The timeline as iCalendar (RFC 5545).
    Ics,
    /// A figure (the matrix or the timeline) as a PNG picture, for slides.
    Png,
    /// The same figure as SVG, for papers.
    Svg,
    /// The workbook (.xlsx): the matrix, who does what (HXL), lines, actors, partners, timeline.
    Xlsx,
}

impl Format {
    /// Every format, in menu order.
    pub const ALL: [Format; 9] = [
        Format::Markdown,
        Format::Html,
        Format::Pdf,
        Format::Docx,
        Format::Xlsx,
        Format::Csv,
        Format::Ics,
        Format::Png,
        Format::Svg,
    ];

    /// The file extension, without the dot; also what `--format` takes.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Csv => "csv",
            Format::Ics => "ics",
            Format::Png => "png",
            Format::Svg => "svg",
            Format::Xlsx => "xlsx",
        }
    }

    /// The name shown in menus.
    pub fn label(self) -> &'static str {
        match self {
            Format::Markdown => "Markdown briefing paper",
            Format::Html => "HTML briefing paper",
            Format::Pdf => "PDF briefing paper",
            Format::Docx => "Word briefing paper",
            Format::Csv => "Who does what (HXL CSV)",
            Format::Ics => "Timeline (iCalendar)",
            Format::Png => "Figure for slides (PNG)",
            Format::Svg => "Figure for papers (SVG)",
            Format::Xlsx => "Workbook (Excel)",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

impl FromStr for Format {
    type Err = String;

    /// Accepts the extension (`md`, `html`, `pdf`, `docx`, `xlsx`, `csv`, `ics`, `png`, `svg`) and a few
    /// long names.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "md" | "markdown" => Ok(Format::Markdown),
            "html" | "htm" => Ok(Format::Html),
            "pdf" => Ok(Format::Pdf),
            "docx" | "word" => Ok(Format::Docx),
            "csv" | "hxl" => Ok(Format::Csv),
            "ics" | "ical" | "icalendar" => Ok(Format::Ics),
            "png" => Ok(Format::Png),
            "svg" => Ok(Format::Svg),
            "xlsx" | "excel" => Ok(Format::Xlsx),
            _ => Err(format!(
                "unknown format \"{text}\" (expected md, html, pdf, docx, xlsx, csv, ics, png or svg)"
            )),
        }
    }
}

/// Why an export could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// This build of Tandem cannot write the format yet.
    #[error("the {0} export is not built yet")]
    NotBuilt(&'static str),
    /// Writing CSV failed.
    #[error("cannot write the CSV: {0}")]
    Csv(String),
    /// Laying out or writing the PDF failed.
    #[error("cannot write the PDF: {0}")]
    Pdf(String),
    /// Drawing the figure failed.
    #[error("cannot draw the figure: {0}")]
    Figure(String),
    /// The export is for a partner that is not in it: unknown, or above the ceiling.
    #[error(
        "no partner \"{0}\" to make this export for: the id is unknown, or the partner is above the audience's ceiling"
    )]
    NoSuchPartner(String),
    /// Writing the Word document failed.
    #[error("cannot write the Word document: {0}")]
    Docx(String),
    /// Writing the workbook failed.
    #[error("cannot write the workbook: {0}")]
    Xlsx(String),
}

/// Exports `situation` as `options` say: [`prepare`]s it (redacted to the audience's
/// ceiling, internal notes left out unless included), then writes `format`. Nothing above the
/// ceiling, and no note left out, reaches the bytes returned.
pub fn export(
    situation: &Situation,
    format: Format,
    options: &ExportOptions,
) -> Result<Vec<u8>, ExportError> {
    let (prepared, _report) = prepare(situation, options);
    export_prepared(&prepared, format, options)
}

/// Writes `format` from a situation already passed through [`prepare`] with `options`.
///
/// Use this with the report of [`prepare`] to show what was left out without redacting twice.
pub fn export_prepared(
    prepared: &Situation,
    format: Format,
    options: &ExportOptions,
) -> Result<Vec<u8>, ExportError> {
    let focused = match options.partner.as_deref() {
        Some(id) => std::borrow::Cow::Owned(partner::focus(prepared, id)?),
        None => std::borrow::Cow::Borrowed(prepared),
    };
    let redacted: &Situation = &focused;
    let audience = &options.audience;
    let mark = marking(audience, redacted.as_of);
    let since = options
        .since
        .as_ref()
        .map(|mark| mark.section(prepared, options));
    let paper = || {
        let mut paper = briefing_for(redacted, options.partner.as_deref());
        paper.since = since.clone();
        paper
    };
    match format {
        Format::Markdown => Ok(markdown::markdown(&paper(), &mark).into_bytes()),
        Format::Html => Ok(html::html(&paper(), &mark).into_bytes()),
        Format::Pdf => pdf::write_pdf(&paper(), &mark),
        Format::Docx => docx::write_docx(&paper(), &mark, audience.tlp),
        Format::Csv => csv::who_does_what(redacted),
        Format::Ics => Ok(ics::calendar(redacted, &mark).into_bytes()),
        Format::Xlsx => xlsx::workbook(redacted, options, since.as_ref()),
        Format::Svg => figure::svg(redacted, options.figure, &mark)
            .map(String::into_bytes)
            .map_err(ExportError::Figure),
        Format::Png => figure::svg(redacted, options.figure, &mark)
            .and_then(|svg| png::rasterise(&svg))
            .map_err(ExportError::Figure),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tlp_labels_parse_back() {
        for t in Tlp::ALL {
            assert_eq!(t.code().parse::<Tlp>(), Ok(t));
            assert_eq!(t.label().parse::<Tlp>(), Ok(t));
        }
        assert!("orange".parse::<Tlp>().is_err());
    }

    #[test]
    fn formats_parse_from_their_extension() {
        for f in Format::ALL {
            assert_eq!(f.extension().parse::<Format>(), Ok(f));
        }
    }

    #[test]
    fn marking_names_label_ceiling_and_date() {
        let date: PartialDate = "2010-10-15".parse().unwrap();
        let audience = Audience::new(Sensitivity::Confidential);
        assert_eq!(
            marking(&audience, date),
            "TLP:AMBER — Confidential and below — as of 2010-10-15"
        );
    }
}
