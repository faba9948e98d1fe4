//! The "Matrix" sheet: lines of effort (grouped as the app groups them, by instrument) ×
//! partners (grouped by category under a band), the role letters on the roles' colours, the
//! problems of each line in the last column, a legend and the key of shortened heads below.

use std::collections::HashSet;
use std::ops::Range;

use rust_xlsxwriter::{Format as CellFormat, FormatAlign, Worksheet, XlsxError};

use super::{Book, MAX_WIDTH, Styles, next_row, write_text};
use crate::analysis::matrix::{MatrixFilters, MatrixIndex, MatrixOrder, RowEntry};
use crate::export::fonts::acronym;
use crate::export::long_text::prefix;
use crate::model::{PartnerCategory, Role, Situation};
use crate::palette;

/// The row of the category bands, of the partners' heads, and the first row of lines.
const BAND_ROW: u32 = 2;
const HEAD_ROW: u32 = 3;
const FIRST_ROW: u32 = 4;
/// The columns before the partners: line of effort, instrument, status.
const LEFT_COLS: u16 = 3;
/// A head longer than this (in characters) is abbreviated, its name given in the key.
const HEAD_MAX_CHARS: usize = 40;
/// The narrowest and the widest partner column, in characters.
const MIN_COL: usize = 5;
const MAX_COL: usize = 16;
/// The most lines a head's row grows to.
const HEAD_LINES: usize = 6;

/// The roles of the legend, in their order.
const LEGEND: [(Role, &str); 5] = [
    (Role::Lead, "L  Lead"),
    (Role::Joint, "J  Joint"),
    (Role::Sequential(1), "Q1, Q2…  Sequential, step 1, 2…"),
    (Role::Support, "S  Support"),
    (Role::BurdenSharing, "B  Burden-sharing"),
];

/// A partner's column head: the short name, or when too long its acronym or beginning.
fn head(short_name: &str) -> (String, bool) {
    if short_name.chars().count() <= HEAD_MAX_CHARS {
        return (short_name.to_owned(), false);
    }
    match acronym(short_name) {
        Some(initials) => (initials, true),
        None => (format!("{}…", prefix(short_name, HEAD_MAX_CHARS)), true),
    }
}

/// The width of a partner's column (its longest word, within bounds) and the lines its head
/// takes at that width.
fn head_size(head: &str) -> (usize, usize) {
    let longest = head
        .split_whitespace()
        .map(|w| w.chars().count())
        .max()
        .unwrap_or(0);
    let width = (longest + 1).clamp(MIN_COL, MAX_COL);
    let chars = head.chars().count();
    (width, chars.div_ceil(width.saturating_sub(1).max(1)).max(1))
}

/// The "Matrix" sheet of `situation`.
pub(super) fn sheet(
    book: &mut Book,
    situation: &Situation,
    index: &MatrixIndex,
) -> Result<Worksheet, XlsxError> {
    let mut sheet = book.sheet("Matrix")?;
    let title = format!(
        "Who does what — {} (as of {})",
        book.cell(&situation.title),
        situation.as_of
    );
    sheet.write_string_with_format(1, 0, book.cell(&title), &book.styles.title)?;
    let mut order = MatrixOrder::build(situation, index, &MatrixFilters::default());
    if let Some(partner) = &book.partner {
        order = focus(order, situation, index, partner);
    }
    let problems_col = LEFT_COLS
        .checked_add(u16::try_from(order.cols.len()).map_err(|_| XlsxError::RowColumnLimitError)?)
        .ok_or(XlsxError::RowColumnLimitError)?;
    for (col, text, width) in [
        (0, "Line of effort", 40.0),
        (1, "Instrument", 22.0),
        (2, "Status", 11.0),
        (problems_col, "Problems", MAX_WIDTH as f64),
    ] {
        sheet.write_string_with_format(HEAD_ROW, col, text, &book.styles.head)?;
        sheet.set_column_width(col, width)?;
    }
    bands(&mut sheet, book, &order)?;
    let shortened = heads(&mut sheet, book, situation, &order)?;
    let last = body(&mut sheet, book, situation, index, &order, problems_col)?;
    sheet
        .set_freeze_panes(FIRST_ROW, LEFT_COLS)?
        .autofilter(HEAD_ROW, 0, last.max(HEAD_ROW), problems_col)?
        .set_repeat_rows(0, HEAD_ROW)?
        .set_repeat_columns(0, 0)?;
    legend(&mut sheet, book, next_row(last)?, &shortened)?;
    Ok(sheet)
}

/// The order of a workbook for one partner: its column first; its lines first, lead first,
/// under their own group; the other lines grouped as before.
fn focus(
    order: MatrixOrder,
    situation: &Situation,
    index: &MatrixIndex,
    partner: &str,
) -> MatrixOrder {
    let Some(&pi) = index.partner_ids.get(partner) else {
        return order;
    };
    let mut cols = vec![pi];
    cols.extend(order.cols.iter().copied().filter(|&c| c != pi));
    let category = |c: usize| situation.partners.get(c).map(|p| p.category);
    let mut bands: Vec<(PartnerCategory, Range<usize>)> = Vec::new();
    for (i, &c) in cols.iter().enumerate() {
        let Some(cat) = category(c) else { continue };
        match bands.last_mut() {
            Some((last, range)) if *last == cat && range.end == i => range.end = i + 1,
            _ => bands.push((cat, i..i + 1)),
        }
    }
    let mut own: Vec<(usize, (u8, u32))> = situation
        .lines
        .iter()
        .enumerate()
        .filter_map(|(li, _)| Some((li, index.assignment(situation, li, pi)?.role.rank())))
        .collect();
    own.sort_by_key(|(_, rank)| *rank);
    let short = situation.partners.get(pi).map_or("", |p| p.short_name());
    let mut rows = vec![RowEntry::Group {
        label: format!("Lines of effort of {}", prefix(short, HEAD_MAX_CHARS)),
        count: own.len(),
    }];
    rows.extend(own.iter().map(|(li, _)| RowEntry::Line(*li)));
    let theirs: HashSet<usize> = own.iter().map(|(li, _)| *li).collect();
    rows.extend(regroup(&order.rows, &theirs));
    MatrixOrder { rows, cols, bands }
}

/// `rows` without the lines in `taken`, each group's count made right and empty groups
/// left out.
fn regroup(rows: &[RowEntry], taken: &HashSet<usize>) -> Vec<RowEntry> {
    let mut out: Vec<RowEntry> = Vec::with_capacity(rows.len());
    let mut header: Option<usize> = None;
    for entry in rows {
        match entry {
            RowEntry::Group { label, .. } => {
                if let Some(RowEntry::Group { count: 0, .. }) = header.and_then(|h| out.get(h)) {
                    out.pop();
                }
                header = Some(out.len());
                out.push(RowEntry::Group {
                    label: label.clone(),
                    count: 0,
                });
            }
            RowEntry::Line(li) if taken.contains(li) => {}
            RowEntry::Line(li) => {
                if let Some(RowEntry::Group { count, .. }) = header.and_then(|h| out.get_mut(h)) {
                    *count += 1;
                }
                out.push(RowEntry::Line(*li));
            }
        }
    }
    if let Some(RowEntry::Group { count: 0, .. }) = header.and_then(|h| out.get(h)) {
        out.pop();
    }
    out
}

/// The category bands above the partners' heads.
fn bands(sheet: &mut Worksheet, book: &Book, order: &MatrixOrder) -> Result<(), XlsxError> {
    for (category, range) in &order.bands {
        let (Ok(first), Ok(last)) = (
            u16::try_from(range.start),
            u16::try_from(range.end.saturating_sub(1)),
        ) else {
            return Err(XlsxError::RowColumnLimitError);
        };
        let (first, last) = (LEFT_COLS + first, LEFT_COLS + last);
        if first == last {
            sheet.write_string_with_format(
                BAND_ROW,
                first,
                category.label(),
                &book.styles.group,
            )?;
        } else {
            sheet.merge_range(
                BAND_ROW,
                first,
                BAND_ROW,
                last,
                category.label(),
                &book.styles.group,
            )?;
        }
    }
    Ok(())
}

/// The partners' heads; returns the shortened ones with the partner's whole name.
fn heads(
    sheet: &mut Worksheet,
    book: &Book,
    situation: &Situation,
    order: &MatrixOrder,
) -> Result<Vec<(String, String)>, XlsxError> {
    let centred = book.styles.head.clone().set_align(FormatAlign::Center);
    let mut shortened = Vec::new();
    let mut lines = 1;
    for (col, &pi) in (LEFT_COLS..).zip(&order.cols) {
        let Some(partner) = situation.partners.get(pi) else {
            continue;
        };
        let (text, short) = head(partner.short_name());
        let (width, n) = head_size(&text);
        lines = lines.max(n.min(HEAD_LINES));
        sheet.write_string_with_format(HEAD_ROW, col, &text, &centred)?;
        sheet.set_column_width(col, width as f64)?;
        if short || partner.short_name() != partner.name {
            shortened.push((text, partner.name.clone()));
        }
    }
    sheet.set_row_height(HEAD_ROW, 15.0 * lines as f64)?;
    Ok(shortened)
}

/// The group bands and the lines; returns the last row written.
fn body(
    sheet: &mut Worksheet,
    book: &mut Book,
    situation: &Situation,
    index: &MatrixIndex,
    order: &MatrixOrder,
    problems_col: u16,
) -> Result<u32, XlsxError> {
    let mut row = FIRST_ROW;
    for entry in &order.rows {
        match entry {
            RowEntry::Group { label, count } => {
                let text = format!("{label} ({count})");
                sheet.write_string_with_format(row, 0, &text, &book.styles.group)?;
                for col in 1..=problems_col {
                    sheet.write_blank(row, col, &book.styles.group)?;
                }
            }
            RowEntry::Line(li) => {
                let Some(line) = situation.lines.get(*li) else {
                    continue;
                };
                write_text(
                    sheet,
                    row,
                    0,
                    &book.cell(&line.title),
                    Some(&book.styles.wrap),
                )?;
                sheet.write_string(row, 1, line.instrument.label())?;
                sheet.write_string(row, 2, line.status.label())?;
                for (col, &pi) in (LEFT_COLS..).zip(&order.cols) {
                    if let Some(a) = index.assignment(situation, *li, pi) {
                        let flagged = index.cell_flags.contains(&(*li, pi));
                        let format = Styles::role(palette::role(a.role), flagged);
                        sheet.write_string_with_format(row, col, a.role.short(), &format)?;
                    }
                }
                if let Some(flags) = index.row_flags.get(li) {
                    let text = flags.join("\n");
                    write_text(
                        sheet,
                        row,
                        problems_col,
                        &book.cell(&text),
                        Some(&book.styles.wrap),
                    )?;
                }
            }
        }
        row = next_row(row)?;
    }
    Ok(row.saturating_sub(1))
}

/// The legend of the roles, then the key of the heads that are not the partner's name.
fn legend(
    sheet: &mut Worksheet,
    book: &mut Book,
    mut row: u32,
    shortened: &[(String, String)],
) -> Result<(), XlsxError> {
    row = next_row(row)?;
    sheet.write_string_with_format(row, 0, "Roles", &book.styles.title)?;
    for (role, text) in LEGEND {
        row = next_row(row)?;
        let format: CellFormat =
            Styles::role(palette::role(role), false).set_align(FormatAlign::Left);
        sheet.write_string_with_format(row, 0, text, &format)?;
    }
    row = next_row(row)?;
    row = next_row(row)?;
    sheet.write_string(
        row,
        0,
        "A thick red border marks a cell named by a problem of its line.",
    )?;
    if shortened.is_empty() {
        return Ok(());
    }
    row = next_row(row)?;
    row = next_row(row)?;
    sheet.write_string_with_format(row, 0, "Partners' heads in full", &book.styles.title)?;
    for (head, name) in shortened {
        row = next_row(row)?;
        sheet.write_string(row, 0, book.cell(head))?;
        write_text(sheet, row, 1, &book.cell(name), None)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_heads_become_initials_or_a_beginning() {
        assert_eq!(head("ECOWAS"), ("ECOWAS".to_owned(), false));
        let name = "United Nations Office for West Africa and the Sahel";
        assert_eq!(head(name), ("UNOWAS".to_owned(), true));
        let (text, short) = head(&"word ".repeat(100));
        assert!(short && text.ends_with('…') && text.chars().count() <= HEAD_MAX_CHARS + 1);
    }

    #[test]
    fn lines_taken_out_leave_right_counts_and_no_empty_group() {
        let group = |label: &str, count| RowEntry::Group {
            label: label.into(),
            count,
        };
        let rows = vec![
            group("A", 2),
            RowEntry::Line(0),
            RowEntry::Line(1),
            group("B", 1),
            RowEntry::Line(2),
            group("C", 1),
            RowEntry::Line(3),
        ];
        let taken: HashSet<usize> = [1, 2].into();
        assert_eq!(
            regroup(&rows, &taken),
            [
                group("A", 1),
                RowEntry::Line(0),
                group("C", 1),
                RowEntry::Line(3)
            ]
        );
        let all: HashSet<usize> = (0..4).collect();
        assert!(regroup(&rows, &all).is_empty());
    }

    #[test]
    fn head_columns_fit_the_longest_word() {
        assert_eq!(head_size("AU"), (MIN_COL, 1));
        let (width, lines) = head_size("African Union Commission");
        assert_eq!(width, 11);
        assert_eq!(lines, 3);
        assert_eq!(head_size(&"x".repeat(100)).0, MAX_COL);
    }
}
