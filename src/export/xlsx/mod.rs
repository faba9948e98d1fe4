//! The workbook partners open in Excel (.xlsx), written with rust_xlsxwriter.
//!
//! Sheets: "Matrix" (lines of effort × partners, grouped as in the app, role letters on the
//! roles' colours, each line's problems), "Who does what" (the HXL sheet of the CSV export, so
//! HDX tools and `tandem import` read it back), then "Lines of effort", "Actors", "Partners" and
//! "Timeline", and "Since" when the export reports changes since an earlier state. Every sheet starts with the marking line and prints it in its header and
//! footer on every page (A4); the workbook's properties carry it too.
//!
//! A cell holds at most 32,767 characters (Excel's limit): a longer text is cut with a
//! numbered marker, `… [n]`, and given whole, in pieces, in the closing sheet
//! "Shortened texts in full". Nothing is lost and nothing grows without bound.

mod matrix;
mod sheets;

use std::borrow::Cow;

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format as CellFormat, FormatAlign, FormatBorder, Workbook,
    Worksheet, XlsxError,
};

use super::long_text::{FullTexts, SECTION_TITLE, marker, prefix};
use super::since::SinceSection;
use super::{ExportError, ExportOptions, marking};
use crate::analysis::diff::NO_CHANGE;
use crate::analysis::matrix::{MatrixIndex, matrix_diagnostics};
use crate::model::{PartialDate, Precision, Situation};
use crate::palette::{self, Rgb};

/// Excel's limit on the text of a cell, in UTF-16 units.
const CELL_MAX_UNITS: usize = 32_767;
/// How many characters of a text over the limit a cell keeps (at most two UTF-16 units each,
/// with room for the marker).
const CELL_KEEP_CHARS: usize = 16_000;
/// The widest column, in characters: longer texts wrap.
const MAX_WIDTH: usize = 60;
/// A4 in Excel's paper codes.
const A4: u8 = 9;

/// The workbook of `situation`, already prepared for `options` (see [`super::prepare`]).
pub fn workbook(
    situation: &Situation,
    options: &ExportOptions,
    since: Option<&SinceSection>,
) -> Result<Vec<u8>, ExportError> {
    build(situation, options, since).map_err(|e| ExportError::Xlsx(e.to_string()))
}

fn build(
    situation: &Situation,
    options: &ExportOptions,
    since: Option<&SinceSection>,
) -> Result<Vec<u8>, XlsxError> {
    let mark = marking(&options.audience, situation.as_of);
    let mut book = Book {
        styles: Styles::new(options),
        texts: FullTexts::default(),
        mark,
        notes: options.notes,
        partner: options.partner.clone(),
    };
    let index = MatrixIndex::build(situation, &matrix_diagnostics(situation));
    let mut workbook = Workbook::new();
    workbook.push_worksheet(matrix::sheet(&mut book, situation, &index)?);
    workbook.push_worksheet(sheets::who_does_what(&mut book, situation)?);
    workbook.push_worksheet(sheets::lines(&mut book, situation, &index)?);
    workbook.push_worksheet(sheets::actors(&mut book, situation)?);
    workbook.push_worksheet(sheets::partners(&mut book, situation, &index)?);
    workbook.push_worksheet(sheets::timeline(&mut book, situation)?);
    if let Some(since) = since {
        workbook.push_worksheet(book.since_sheet(since)?);
    }
    if !book.texts.is_empty() {
        workbook.push_worksheet(book.full_texts_sheet()?);
    }
    workbook.set_properties(&properties(situation, options, &book.mark));
    workbook.save_to_buffer()
}

/// The title, the marking and the label in the file's properties.
fn properties(situation: &Situation, options: &ExportOptions, mark: &str) -> DocProperties {
    let audience = &options.audience;
    DocProperties::new()
        .set_title(prefix(&situation.title, super::long_text::NAME_MAX_CHARS))
        .set_subject(mark)
        .set_keywords(audience.tlp.label())
        .set_status(audience.tlp.label())
        .set_comment(mark)
        .set_custom_property("TLP", audience.tlp.label())
        .set_custom_property("Sensitivity ceiling", audience.ceiling.label())
        .set_custom_property("As of", situation.as_of.to_string().as_str())
}

/// What every sheet shares: the formats, the marking, the long texts met so far.
struct Book {
    styles: Styles,
    texts: FullTexts,
    mark: String,
    /// Whether the notes columns are written (the notes themselves are already left out of
    /// the situation otherwise).
    notes: bool,
    /// The id of the partner the workbook is for: its column and lines come first.
    partner: Option<String>,
}

impl Book {
    /// `text` as a cell holds it: itself, or its beginning and the marker of its note.
    fn cell<'t>(&mut self, text: &'t str) -> Cow<'t, str> {
        if !too_long(text) {
            return Cow::Borrowed(text);
        }
        let note = self.texts.note(text);
        Cow::Owned(format!(
            "{}… {}",
            prefix(text, CELL_KEEP_CHARS),
            marker(note)
        ))
    }

    /// A new sheet named `name` with the marking in its first row, its header and its footer,
    /// on A4, landscape, one page wide.
    fn sheet(&self, name: &str) -> Result<Worksheet, XlsxError> {
        let mut sheet = Worksheet::new();
        sheet.set_name(name)?;
        let mark = header_text(&self.mark);
        sheet
            .set_header(format!("&C&\"-,Bold\"{mark}"))
            .set_footer(format!("&L{mark}&R&A — page &P of &N"))
            .set_paper_size(A4)
            .set_landscape()
            .set_print_fit_to_pages(1, 0);
        sheet.write_string_with_format(0, 0, &self.mark, &self.styles.marking)?;
        Ok(sheet)
    }

    /// The closing sheet: every shortened text whole, in pieces that fit a cell, one per row.
    /// "Since": the changes since an earlier state, one row per change under its group.
    fn since_sheet(&mut self, since: &SinceSection) -> Result<Worksheet, XlsxError> {
        let mut sheet = self.sheet("Since")?;
        sheet.write_string_with_format(1, 0, &since.title, &self.styles.head)?;
        sheet.write_string_with_format(2, 0, "Group", &self.styles.head)?;
        sheet.write_string_with_format(2, 1, "Change", &self.styles.head)?;
        sheet.set_column_width(0, 32)?;
        sheet.set_column_width(1, 100)?;
        let mut row = 3u32;
        if since.empty {
            sheet.write_string(row, 1, NO_CHANGE)?;
            row = next_row(row)?;
        }
        for group in &since.groups {
            for line in &group.lines {
                sheet.write_string(row, 0, group.title)?;
                let kept = pieces(line, CELL_KEEP_CHARS).next().unwrap_or_default();
                sheet.write_string_with_format(row, 1, kept, &self.styles.wrap)?;
                row = next_row(row)?;
            }
        }
        Ok(sheet)
    }

    fn full_texts_sheet(&mut self) -> Result<Worksheet, XlsxError> {
        let mut sheet = self.sheet("Shortened texts in full")?;
        sheet.write_string_with_format(1, 0, SECTION_TITLE, &self.styles.head)?;
        sheet.write_string_with_format(1, 1, "Text", &self.styles.head)?;
        sheet.set_column_width(0, 8)?;
        sheet.set_column_width(1, 100)?;
        let mut row = 2u32;
        for (i, text) in self.texts.texts().iter().enumerate() {
            for (piece, part) in pieces(text, CELL_KEEP_CHARS).enumerate() {
                let label = if piece == 0 {
                    marker(i + 1)
                } else {
                    format!("{} cont.", marker(i + 1))
                };
                sheet.write_string(row, 0, label)?;
                sheet.write_string_with_format(row, 1, part, &self.styles.wrap)?;
                row = next_row(row)?;
            }
        }
        Ok(sheet)
    }
}

/// Whether `text` is over Excel's limit for a cell (counting no further than needed).
fn too_long(text: &str) -> bool {
    text.len() > CELL_MAX_UNITS && text.encode_utf16().nth(CELL_MAX_UNITS).is_some()
}

/// `text` in consecutive pieces of at most `chars` characters.
fn pieces(text: &str, chars: usize) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest
            .char_indices()
            .nth(chars)
            .map_or(rest.len(), |(i, _)| i);
        let (piece, tail) = rest.split_at(end);
        rest = tail;
        Some(piece)
    })
}

/// The row after `row`, or Excel's error past its last row.
fn next_row(row: u32) -> Result<u32, XlsxError> {
    const LAST_ROW: u32 = 1_048_575;
    if row >= LAST_ROW {
        return Err(XlsxError::RowColumnLimitError);
    }
    Ok(row + 1)
}

/// Text for a header or footer: `&` doubled (it starts Excel's codes), at most 200 characters
/// (Excel takes 255 with the codes).
fn header_text(text: &str) -> String {
    prefix(text, 200).replace('&', "&&")
}

fn color(rgb: Rgb) -> Color {
    Color::RGB(rgb.to_u32())
}

/// The cell formats of the workbook.
struct Styles {
    /// The marking line: the label's colour on black, bold.
    marking: CellFormat,
    title: CellFormat,
    /// Column heads: bold, wrapped, on grey, with a border.
    head: CellFormat,
    /// The HXL hashtag row.
    hashtag: CellFormat,
    /// A group's band across the matrix.
    group: CellFormat,
    /// Long text, wrapped at the top of its cell.
    wrap: CellFormat,
    /// Dates known to the day.
    date: CellFormat,
}

impl Styles {
    fn new(options: &ExportOptions) -> Self {
        let grey = Color::RGB(0xe8_e8_e8);
        Self {
            marking: CellFormat::new()
                .set_bold()
                .set_font_color(color(palette::tlp(options.audience.tlp)))
                .set_background_color(color(palette::BLACK)),
            title: CellFormat::new().set_bold().set_font_size(14),
            head: CellFormat::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color(grey)
                .set_border(FormatBorder::Thin),
            hashtag: CellFormat::new()
                .set_italic()
                .set_font_color(Color::RGB(0x55_55_55))
                .set_background_color(grey),
            group: CellFormat::new()
                .set_bold()
                .set_background_color(Color::RGB(0xd9_e2_ec)),
            wrap: CellFormat::new()
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            date: CellFormat::new()
                .set_num_format("yyyy-mm-dd")
                .set_align(FormatAlign::Top)
                .set_align(FormatAlign::Left),
        }
    }

    /// A role's cell: its short label in white, bold and centred, on the role's colour; a
    /// flagged cell (named by a problem) gets a thick border in the flag's colour.
    fn role(fill: Rgb, flagged: bool) -> CellFormat {
        let format = CellFormat::new()
            .set_bold()
            .set_font_color(color(palette::WHITE))
            .set_background_color(color(fill))
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter);
        if flagged {
            format
                .set_border(FormatBorder::Thick)
                .set_border_color(color(palette::FLAG))
        } else {
            format.set_border(FormatBorder::Thin)
        }
    }
}

/// A value of a table row.
enum Value<'a> {
    /// Text on one line (short names, labels).
    Text(&'a str),
    /// Text that may wrap.
    Long(&'a str),
    /// A date: an Excel date when known to the day, else text with its precision.
    Date(Option<PartialDate>),
    /// A count.
    Number(f64),
}

/// `date` as text when it is not known to the day: `2009-09 (month)`, `2009 (year)`.
fn partial_date_text(date: PartialDate) -> String {
    match date.precision() {
        Precision::Year => format!("{date} (year)"),
        Precision::Month => format!("{date} (month)"),
        Precision::Day => date.to_string(),
    }
}

/// The Excel date of `date` when it is known to the day and Excel can hold it (1900–9999).
fn excel_date(date: PartialDate) -> Option<ExcelDateTime> {
    use chrono::Datelike as _;
    if date.precision() != Precision::Day {
        return None;
    }
    let day = date.first_day();
    let year = u16::try_from(day.year()).ok()?;
    let month = u8::try_from(day.month()).ok()?;
    let dom = u8::try_from(day.day()).ok()?;
    ExcelDateTime::from_ymd(year, month, dom).ok()
}

/// A sheet of rows under a row of heads, each column as wide as its widest text (up to
/// [`MAX_WIDTH`]), with an autofilter on the heads and the rows above them frozen.
struct Table {
    sheet: Worksheet,
    /// The row of the heads.
    head_row: u32,
    /// The next row to write.
    row: u32,
    widths: Vec<usize>,
}

impl Table {
    /// A sheet named `name`: the marking, then `heads` in the second row.
    fn new(book: &Book, name: &str, heads: &[&str]) -> Result<Self, XlsxError> {
        let mut table = Self {
            sheet: book.sheet(name)?,
            head_row: 1,
            row: 1,
            widths: heads.iter().map(|h| width_of(h).max(6)).collect(),
        };
        table.write_heads(book, heads)?;
        Ok(table)
    }

    /// Writes `heads` in the next row, with the heads' format.
    fn write_heads(&mut self, book: &Book, heads: &[&str]) -> Result<(), XlsxError> {
        for (col, head) in (0u16..).zip(heads) {
            self.sheet
                .write_string_with_format(self.row, col, *head, &book.styles.head)?;
        }
        self.head_row = self.row;
        self.row = next_row(self.row)?;
        Ok(())
    }

    /// Writes one row of values.
    fn push(&mut self, book: &mut Book, values: &[Value]) -> Result<(), XlsxError> {
        for (col, value) in (0u16..).zip(values) {
            let width = match value {
                Value::Text(text) | Value::Long(text) => {
                    let shown = book.cell(text);
                    let format = match value {
                        Value::Long(_) => Some(&book.styles.wrap),
                        _ => None,
                    };
                    write_text(&mut self.sheet, self.row, col, &shown, format)?;
                    width_of(text)
                }
                Value::Date(None) => 0,
                Value::Date(Some(date)) => match excel_date(*date) {
                    Some(day) => {
                        self.sheet.write_datetime_with_format(
                            self.row,
                            col,
                            &day,
                            &book.styles.date,
                        )?;
                        10
                    }
                    None => {
                        let text = partial_date_text(*date);
                        self.sheet.write_string(self.row, col, &text)?;
                        width_of(&text)
                    }
                },
                Value::Number(n) => {
                    self.sheet.write_number(self.row, col, *n)?;
                    4
                }
            };
            if let Some(w) = self.widths.get_mut(usize::from(col)) {
                *w = (*w).max(width);
            }
        }
        self.row = next_row(self.row)?;
        Ok(())
    }

    /// The sheet with its widths, its frozen heads and an autofilter over the rows.
    fn finish(mut self) -> Result<Worksheet, XlsxError> {
        for (col, width) in (0u16..).zip(&self.widths) {
            self.sheet.set_column_width(col, (*width + 2) as f64)?;
        }
        let last_col = u16::try_from(self.widths.len().saturating_sub(1)).unwrap_or(u16::MAX);
        let last_row = self.row.saturating_sub(1).max(self.head_row);
        self.sheet
            .autofilter(self.head_row, 0, last_row, last_col)?
            .set_freeze_panes(self.head_row + 1, 0)?
            .set_repeat_rows(0, self.head_row)?;
        Ok(self.sheet)
    }
}

/// The width a column needs for `text`, in characters, at most [`MAX_WIDTH`].
fn width_of(text: &str) -> usize {
    text.lines()
        .map(|line| line.chars().take(MAX_WIDTH).count())
        .max()
        .unwrap_or(0)
}

/// Writes `text` (already within the limit), a blank when empty.
fn write_text(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    text: &str,
    format: Option<&CellFormat>,
) -> Result<(), XlsxError> {
    match (text.is_empty(), format) {
        (true, None) => {}
        (true, Some(f)) => {
            sheet.write_blank(row, col, f)?;
        }
        (false, None) => {
            sheet.write_string(row, col, text)?;
        }
        (false, Some(f)) => {
            sheet.write_string_with_format(row, col, text, f)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_over_the_cell_limit_are_cut_with_a_note() {
        let mut book = Book {
            styles: Styles::new(&ExportOptions::default()),
            texts: FullTexts::default(),
            mark: String::new(),
            notes: false,
            partner: None,
        };
        assert_eq!(book.cell("ECOWAS"), "ECOWAS");
        let fits = "a".repeat(CELL_MAX_UNITS);
        assert_eq!(book.cell(&fits), fits.as_str());
        let long = "€".repeat(CELL_MAX_UNITS); // 3 bytes, 1 UTF-16 unit each
        assert_eq!(book.cell(&long), long.as_str());
        let over = "😀".repeat(20_000); // 2 UTF-16 units each: 40,000 units
        let cut = book.cell(&over).into_owned();
        assert!(cut.ends_with("… [1]"));
        assert!(cut.encode_utf16().count() <= CELL_MAX_UNITS);
        assert_eq!(book.texts.texts(), [over]);
    }

    #[test]
    fn pieces_cover_the_text_and_fit_a_cell() {
        let text = "ab€".repeat(10);
        let parts: Vec<&str> = pieces(&text, 7).collect();
        assert_eq!(parts.concat(), text);
        assert!(parts.iter().all(|p| p.chars().count() <= 7));
        assert_eq!(pieces("", 7).count(), 0);
    }

    #[test]
    fn partial_dates_keep_their_precision() {
        let month: PartialDate = "2009-09".parse().unwrap();
        assert_eq!(partial_date_text(month), "2009-09 (month)");
        assert!(excel_date(month).is_none());
        let day: PartialDate = "2009-09-28".parse().unwrap();
        assert!(excel_date(day).is_some());
        let early: PartialDate = "1850-01-01".parse().unwrap();
        assert!(excel_date(early).is_none(), "before Excel's first date");
    }

    #[test]
    fn header_text_escapes_ampersands() {
        assert_eq!(header_text("A & B"), "A && B");
        assert!(header_text(&"x".repeat(1000)).len() <= 200);
    }
}
