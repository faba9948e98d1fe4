//! The who-does-what matrix on A4: partner columns as narrow as their heads allow, as many per
//! table as fit the page, the tables balanced so that none is left with a lone column.
//!
//! A column head breaks at spaces, on at most [`HEAD_LINES`] lines, never inside a word; a
//! head that cannot is abbreviated to its capitals' initials ("UNOWA") or, failing that,
//! shortened with an ellipsis, and a key under the matrix gives every shortened head in full.

use std::ops::Range;

use super::layout::{BODY_W, Block, CELL_PAD, Cell, TABLE_SIZE, Table};
use crate::export::briefing::{Matrix, ROLE_LEGEND};
use crate::export::fonts::{Metrics, Weight, acronym};
use crate::palette;

/// The line-of-effort column at its narrowest (it takes what the partners leave).
const LINE_COL: f32 = 150.0;
const STATUS_COL: f32 = 56.0;
/// A partner column at its narrowest: room for `Q12`.
const MIN_ROLE_COL: f32 = 24.0;
/// A partner column at its widest.
const MAX_HEAD_COL: f32 = 84.0;
/// The most lines of a partner's column head.
pub(super) const HEAD_LINES: usize = super::layout::MAX_HEADER_LINES;

/// A partner's column head, fitted.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Head {
    pub lines: Vec<String>,
    /// The column width, padding included.
    pub width: f32,
    /// Whether the head is an abbreviation or shortened (then the key gives the name).
    pub shortened: bool,
}

/// The narrowest head for `name` that breaks only at spaces in at most [`HEAD_LINES`] lines;
/// else its acronym; else its beginning and an ellipsis.
pub(super) fn fit_head(metrics: &Metrics, name: &str) -> Head {
    let width = |t: &str| metrics.width(t, Weight::Bold, TABLE_SIZE);
    let inner_min = MIN_ROLE_COL - 2.0 * CELL_PAD;
    let inner_max = MAX_HEAD_COL - 2.0 * CELL_PAD;
    let head = |lines: Vec<String>, shortened| {
        let widest = lines.iter().map(|l| width(l)).fold(0.0, f32::max);
        Head {
            width: (widest + 2.0 * CELL_PAD).clamp(MIN_ROLE_COL, MAX_HEAD_COL),
            lines,
            shortened,
        }
    };
    let widest_word = name
        .split_whitespace()
        .take(64)
        .map(width)
        .fold(0.0, f32::max);
    if widest_word <= inner_max {
        let mut w = widest_word.max(inner_min);
        loop {
            if let Some(lines) = metrics.wrap_words(name, Weight::Bold, TABLE_SIZE, w, HEAD_LINES) {
                return head(lines, false);
            }
            if w >= inner_max {
                break;
            }
            w = (w + 6.0).min(inner_max);
        }
    }
    if let Some(short) = acronym(name).filter(|a| width(a) <= inner_max) {
        return head(vec![short], true);
    }
    head(
        vec![metrics.elide(name, Weight::Bold, TABLE_SIZE, inner_max)],
        true,
    )
}

/// Consecutive runs of columns whose widths fit in `room`, at most `max_count` per run.
fn pack(widths: &[f32], room: f32, max_count: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut used) = (0, 0.0);
    for (i, w) in widths.iter().enumerate() {
        if i > start && (used + w > room || i - start >= max_count) {
            out.push(start..i);
            (start, used) = (i, 0.0);
        }
        used += w;
    }
    if start < widths.len() || out.is_empty() {
        out.push(start..widths.len());
    }
    out
}

/// The columns of each table: as few tables as fit, with the columns spread evenly over
/// them when they still fit (17 columns in 8 + 8 + 1 become 6 + 6 + 5).
pub(super) fn chunks(widths: &[f32], room: f32) -> Vec<Range<usize>> {
    let greedy = pack(widths, room, usize::MAX);
    let tables = greedy.len();
    if tables <= 1 {
        return greedy;
    }
    // The first `n % tables` tables take one column more than the others.
    let (n, mut start) = (widths.len(), 0);
    let even: Vec<Range<usize>> = (0..tables)
        .map(|t| {
            let len = n / tables + usize::from(t < n % tables);
            start += len;
            start - len..start
        })
        .collect();
    let fits = even.iter().all(|run| {
        run.len() == 1
            || widths
                .get(run.clone())
                .unwrap_or_default()
                .iter()
                .sum::<f32>()
                <= room
    });
    if fits { even } else { greedy }
}

/// The matrix tables (one per run of partners), the key of shortened heads, the legend and the
/// table of roles spelled out.
pub(super) fn blocks(matrix: &Matrix, metrics: &Metrics) -> Vec<Block> {
    let mut out = vec![Block::Paragraph(ROLE_LEGEND.to_owned())];
    let heads: Vec<Head> = matrix
        .partners
        .iter()
        .map(|name| fit_head(metrics, name))
        .collect();
    let widths: Vec<f32> = heads.iter().map(|h| h.width).collect();
    let runs = chunks(&widths, BODY_W - LINE_COL - STATUS_COL);
    let several = runs.len() > 1;
    for run in runs {
        if several {
            out.push(Block::Paragraph(format!(
                "Partners {}–{} of {}:",
                run.start + 1,
                run.end,
                matrix.partners.len()
            )));
        }
        out.push(Block::Table(matrix_table(matrix, &heads, run)));
    }
    let key: Vec<String> = heads
        .iter()
        .zip(&matrix.partners)
        .filter(|(h, _)| h.shortened)
        .map(|(h, name)| format!("{}: {name}", h.lines.join(" ")))
        .collect();
    if !key.is_empty() {
        out.push(Block::Paragraph(format!(
            "Column heads shortened: {}.",
            key.join("; ")
        )));
    }
    out.push(roles_table(matrix));
    out
}

fn matrix_table(matrix: &Matrix, heads: &[Head], run: Range<usize>) -> Table {
    let partner_w: f32 = heads
        .get(run.clone())
        .unwrap_or_default()
        .iter()
        .map(|h| h.width)
        .sum();
    let mut headers = vec![
        (
            "Line of effort".to_owned(),
            (BODY_W - STATUS_COL - partner_w).max(LINE_COL),
        ),
        ("Status".to_owned(), STATUS_COL),
    ];
    headers.extend(
        heads
            .get(run.clone())
            .unwrap_or_default()
            .iter()
            .map(|h| (h.lines.join("\n"), h.width)),
    );
    let rows = matrix
        .rows
        .iter()
        .map(|row| {
            let mut cells = vec![Cell::plain(&row.line), Cell::plain(&row.status)];
            cells.extend(run.clone().map(|i| {
                let short = row.cells.get(i).cloned().unwrap_or_default();
                Cell {
                    fill: palette::role_short(&short),
                    text: short,
                }
            }));
            cells
        })
        .collect();
    Table { headers, rows }
}

/// Each line of effort with its instrument and every partner's role, spelled out.
fn roles_table(matrix: &Matrix) -> Block {
    let rows = matrix
        .rows
        .iter()
        .map(|row| {
            let roles: Vec<String> = row
                .roles
                .iter()
                .map(|(partner, role, note)| {
                    if note.trim().is_empty() {
                        format!("{partner}: {role}")
                    } else {
                        format!("{partner}: {role} — {note}")
                    }
                })
                .collect();
            let roles = if roles.is_empty() {
                "no partner assigned".to_owned()
            } else {
                roles.join("\n")
            };
            vec![
                Cell::plain(&row.line),
                Cell::plain(&row.instrument),
                Cell::plain(roles),
            ]
        })
        .collect();
    super::table(
        &[("Line of effort", 2.0), ("Instrument", 1.4), ("Roles", 3.6)],
        rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metrics() -> Metrics {
        Metrics::load().unwrap_or_else(|| unreachable!("bundled fonts load"))
    }

    #[test]
    fn heads_break_at_spaces_or_are_abbreviated_never_inside_a_word() {
        let m = metrics();
        let unowa = fit_head(&m, "UNOWA");
        assert_eq!(unowa.lines, ["UNOWA"]);
        assert!(!unowa.shortened);
        let bf = fit_head(&m, "Burkina Faso (President Compaoré)");
        assert!(!bf.shortened, "{bf:?}");
        assert!(bf.lines.len() <= HEAD_LINES);
        assert_eq!(bf.lines.join(" "), "Burkina Faso (President Compaoré)");
        let long = fit_head(
            &m,
            "Economic Community of West African States Commission Mediation and Security Council",
        );
        assert!(long.shortened);
        assert_eq!(long.lines.len(), 1);
        assert!(long.lines[0].starts_with("Economic") && long.lines[0].ends_with('…'));
        let unowa = fit_head(
            &m,
            "United Nations Office for West Africa and the Sahel, based in Dakar since two thousand and one",
        );
        assert_eq!(unowa.lines, ["UNOWASD"]);
        assert!(unowa.shortened);
        let word = fit_head(&m, &"x".repeat(10_000));
        assert!(word.shortened && word.lines.len() == 1 && word.lines[0].ends_with('…'));
        assert!(word.width <= MAX_HEAD_COL);
        let empty = fit_head(&m, "");
        assert_eq!(empty.width, MIN_ROLE_COL);
    }

    #[test]
    fn columns_are_spread_so_that_no_table_holds_a_lone_column() {
        let widths = vec![30.0; 17];
        let runs = chunks(&widths, 240.0);
        assert_eq!(runs, vec![0..6, 6..12, 12..17]);
        assert_eq!(chunks(&[30.0; 3], 240.0), vec![0..3]);
        assert_eq!(chunks(&[], 240.0), vec![0..0]);
        // A column wider than the room still gets a table of its own.
        assert_eq!(chunks(&[500.0, 10.0], 240.0), vec![0..1, 1..2]);
    }
}
