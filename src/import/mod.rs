//! Importing other people's spreadsheets into a situation. Knows nothing of egui.
//!
//! Two formats come in: who-does-what sheets in the humanitarian "3W" convention tagged
//! with HXL hashtags ([`hxl`]), and incident data in ACLED's CSV format ([`acled`]).
//!
//! Importing never changes a situation by itself: [`plan_hxl`] and [`plan_acled`] read a
//! CSV and return an [`ImportPlan`] — one [`Edit::Batch`] (so the import is a single
//! undoable step), how many items it creates and merges, and which rows it skips and
//! why, with their line numbers. Items already in the situation are matched (by the
//! source's own codes and ids, or by a name compared without case, accents or extra
//! spaces) and counted as merged, never inserted twice: importing the same file twice
//! changes nothing the second time.

pub mod acled;
pub mod countries;
pub mod hxl;
mod naming;
mod planner;
mod table;

pub use acled::plan_acled;
pub use hxl::plan_hxl;

use std::fmt;

pub(crate) use planner::Planner;
pub(crate) use table::read_table;
pub use table::{Source, sheet_names};

use crate::model::edit::{Edit, EditError, apply};
use crate::model::{ItemKind, Situation, ids};

/// The largest file (CSV or workbook) Tandem imports.
pub const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;

/// The formats Tandem imports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Format {
    /// A who-does-what (3W) sheet with an HXL hashtag row.
    #[default]
    Hxl,
    /// An ACLED event data extract.
    Acled,
}

impl Format {
    /// Every format, in menu order.
    pub const ALL: [Format; 2] = [Format::Hxl, Format::Acled];

    /// The name used on the command line: `hxl`, `acled`.
    pub fn code(self) -> &'static str {
        match self {
            Format::Hxl => "hxl",
            Format::Acled => "acled",
        }
    }

    /// The name a desk officer reads.
    pub fn label(self) -> &'static str {
        match self {
            Format::Hxl => "Who does what (HXL 3W sheet)",
            Format::Acled => "Incidents (ACLED CSV)",
        }
    }

    /// Reads `bytes` (CSV or a workbook) in this format and plans its import into `into`.
    pub fn plan(self, bytes: &[u8], into: &Situation) -> Result<ImportPlan, ImportError> {
        self.plan_sheet(bytes, into, None)
    }

    /// As [`Format::plan`], reading the workbook sheet named `sheet` (else the first sheet in
    /// this format).
    pub fn plan_sheet(
        self,
        bytes: &[u8],
        into: &Situation,
        sheet: Option<&str>,
    ) -> Result<ImportPlan, ImportError> {
        match self {
            Format::Hxl => hxl::plan_hxl_sheet(bytes, into, sheet),
            Format::Acled => acled::plan_acled_sheet(bytes, into, sheet),
        }
    }
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "hxl" | "3w" => Ok(Format::Hxl),
            "acled" => Ok(Format::Acled),
            other => Err(format!(
                "unknown import format \"{other}\" (expected hxl or acled)"
            )),
        }
    }
}

/// Why a file cannot be imported at all.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ImportError {
    #[error("the file is empty")]
    Empty,
    #[error(
        "the file is {} MiB; Tandem imports files up to {} MiB",
        size_bytes.div_ceil(1_048_576),
        MAX_IMPORT_BYTES / 1_048_576
    )]
    TooLarge { size_bytes: usize },
    #[error("line {line}: the CSV cannot be read: {message}")]
    Csv { line: u64, message: String },
    #[error(
        "no HXL hashtag row found in the first {searched} rows: a 3W sheet needs a row whose cells are hashtags such as #org+name, #activity+code"
    )]
    NoHashtagRow { searched: usize },
    #[error("line {line}: {message}")]
    MissingColumns { line: usize, message: String },
    #[error("{0}")]
    Workbook(String),
}

/// What happened to the items of one kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// New items the import adds.
    pub created: usize,
    /// Items the situation already had, matched by code, id or name (filled in where blank).
    pub merged: usize,
    /// Items in the file that are not imported (see [`ImportPlan::skipped`]).
    pub skipped: usize,
}

impl Tally {
    fn is_zero(&self) -> bool {
        self.created == 0 && self.merged == 0 && self.skipped == 0
    }
}

/// Created / merged / skipped, for each kind of item an import touches.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub actors: Tally,
    pub partners: Tally,
    pub lines: Tally,
    pub assignments: Tally,
    pub events: Tally,
}

impl Counts {
    /// Each kind with its plural name, in display order.
    pub fn rows(&self) -> [(&'static str, Tally); 5] {
        [
            ("partners", self.partners),
            ("lines of effort", self.lines),
            ("assignments", self.assignments),
            ("actors", self.actors),
            ("events", self.events),
        ]
    }

    pub(crate) fn tally_mut(&mut self, kind: ItemKind) -> &mut Tally {
        match kind {
            ItemKind::Actor => &mut self.actors,
            ItemKind::Partner => &mut self.partners,
            ItemKind::Line => &mut self.lines,
            ItemKind::Event => &mut self.events,
        }
    }
}

/// A row skipped, or imported with a caveat, with its line in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowIssue {
    /// 1-based line of the file where the row starts; `None` for the file as a whole.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for RowIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// An import worked out but not yet applied.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportPlan {
    pub format: Format,
    /// How the file was read: encoding and delimiter, or the workbook's sheet.
    pub source: Source,
    /// One [`Edit::Batch`] of inserts, replacements and assignments.
    pub edit: Edit,
    pub counts: Counts,
    /// Data rows read (header and hashtag rows not counted).
    pub rows_read: usize,
    /// Of those, the rows not imported at all.
    pub rows_skipped: usize,
    /// Cells not imported in rows otherwise imported.
    pub cells_skipped: usize,
    /// Columns not imported at all (another hashtag, or none).
    pub columns_skipped: usize,
    /// Every row, cell and column not imported, and why, with its line (a column's: the
    /// header's); as many entries as the three counts above together.
    pub skipped: Vec<RowIssue>,
    /// Rows imported with a caveat (an unknown status, a changed role…).
    pub notices: Vec<RowIssue>,
}

impl ImportPlan {
    /// Applies the import to `situation` and returns the edit that undoes it.
    pub fn apply(&self, situation: &mut Situation) -> Result<Edit, EditError> {
        apply(situation, self.edit.clone())
    }

    /// Whether the import would change nothing.
    pub fn is_noop(&self) -> bool {
        matches!(&self.edit, Edit::Batch { edits, .. } if edits.is_empty())
    }

    /// Rows read, imported and skipped, and the cells and columns not imported:
    /// "12 data rows read: 10 imported, 2 skipped; also not imported: 1 cell, 2 columns".
    pub fn row_summary(&self) -> String {
        let counted = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        let mut text = format!(
            "{} read: {} imported, {} skipped",
            counted(self.rows_read, "data row"),
            self.rows_read.saturating_sub(self.rows_skipped),
            self.rows_skipped
        );
        let more: Vec<String> = [
            (self.cells_skipped, "cell"),
            (self.columns_skipped, "column"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| counted(n, what))
        .collect();
        if !more.is_empty() {
            text.push_str(&format!("; also not imported: {}", more.join(", ")));
        }
        text
    }

    /// The preview as lines of text: counts, then skipped rows, then notices.
    pub fn preview_lines(&self) -> Vec<String> {
        let mut out = vec![format!(
            "{} ({}): {}",
            self.format.label(),
            self.source,
            self.row_summary()
        )];
        for (name, tally) in self.counts.rows() {
            if !tally.is_zero() {
                out.push(format!(
                    "  {name}: {} created, {} merged, {} skipped",
                    tally.created, tally.merged, tally.skipped
                ));
            }
        }
        if self.is_noop() {
            out.push(
                "  nothing to change: everything in the file is already in the situation".into(),
            );
        }
        if !self.skipped.is_empty() {
            out.push("Not imported:".into());
            out.extend(self.skipped.iter().map(|s| format!("  {s}")));
        }
        if !self.notices.is_empty() {
            out.push("Notes:".into());
            out.extend(self.notices.iter().map(|s| format!("  {s}")));
        }
        out
    }
}

/// One row of a CSV file with the line it starts on.
#[derive(Clone, Debug)]
pub(crate) struct Row {
    pub line: usize,
    pub cells: Vec<String>,
}

impl Row {
    /// The trimmed cell at `column`, empty when the row is short.
    ///
    /// A leading apostrophe that guards a formula-like value (`'=…`, `'+…`, `'-…`, `'@…`,
    /// as Tandem's CSV export writes them) is taken off.
    pub fn cell(&self, column: Option<usize>) -> &str {
        let text = column
            .and_then(|c| self.cells.get(c))
            .map_or("", |s| s.trim());
        match text.strip_prefix('\'') {
            Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
            _ => text,
        }
    }

    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}

/// A name compared without case, accents, punctuation or extra spaces.
pub fn normalise_name(name: &str) -> String {
    name.split(|c: char| c.is_whitespace() || c == '-' || c == '/' || c == '.')
        .map(|word| ids::slug(word, ""))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Parses a date cell: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or a timestamp starting with one.
pub(crate) fn parse_partial_date(
    text: &str,
) -> Result<crate::model::PartialDate, crate::model::DateError> {
    let text = text.trim();
    let date_part = match text.split_once(['T', ' ']) {
        Some((date, _)) if date.len() == 10 => date,
        _ => text,
    };
    date_part.parse()
}

/// The message for a date cell that is not a date: `date "2019-13" is not a date (expected …)`.
pub(crate) fn bad_date_message(what: &str, text: &str) -> String {
    format!("{what} \"{text}\" is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_without_case_accents_or_spaces() {
        assert_eq!(
            normalise_name("  Forces  Vives de GUINÉE "),
            normalise_name("forces vives de guinee")
        );
        assert_eq!(normalise_name("U.N. Office"), "u n office");
        assert_ne!(normalise_name("ECOWAS"), normalise_name("ECCAS"));
    }
}
