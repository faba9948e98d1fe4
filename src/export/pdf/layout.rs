//! Laying blocks out on A4 pages: paragraphs wrapped to the body width, tables whose rows
//! never split and whose header row repeats on every page they run over.
//!
//! Every row fits on a fresh page by construction — a header row has at most
//! [`MAX_HEADER_LINES`] lines, a body cell at most [`MAX_CELL_LINES`] — so the layout always
//! moves forward: its work and its output grow with the text, never faster. A cell whose text
//! is longer shows its beginning and `… [n]`; the whole text is note `n` of the closing
//! section ([`super::super::long_text::SECTION_TITLE`]).

use super::super::fonts::{Metrics, Weight};
use super::super::long_text::{FullTexts, SECTION_TITLE, marker};
use super::figure::{Figure, Shape};
use crate::palette::Rgb;

/// A4 in points.
pub(super) const PAGE_W: f32 = 595.28;
pub(super) const PAGE_H: f32 = 841.89;
pub(super) const MARGIN_X: f32 = 56.0;
/// Where the body starts and must end (the marking lines sit outside).
const BODY_TOP: f32 = 72.0;
const BODY_BOTTOM: f32 = PAGE_H - 72.0;
pub(super) const BODY_W: f32 = PAGE_W - 2.0 * MARGIN_X;

const BODY_SIZE: f32 = 10.0;
pub(super) const TABLE_SIZE: f32 = 8.5;
const CAPTION_SIZE: f32 = 8.5;
const LEADING: f32 = 1.32;
pub(super) const CELL_PAD: f32 = 3.5;

/// The most lines a header cell shows (column heads are fitted to it beforehand).
pub(super) const MAX_HEADER_LINES: usize = 4;
/// The most lines a body cell shows; a longer text ends in `… [n]` and is given in full in the
/// closing section. With the header, a row always fits on one page.
pub(super) const MAX_CELL_LINES: usize = 36;

const _: () = assert!(
    ((MAX_HEADER_LINES + MAX_CELL_LINES) as f32 * TABLE_SIZE * LEADING + 4.0 * CELL_PAD)
        < BODY_BOTTOM - BODY_TOP,
    "a header row and the tallest body row must fit on one page"
);

pub(super) const TEXT: Rgb = Rgb(0x1a, 0x1a, 0x1a);
pub(super) const MUTED: Rgb = Rgb(0x55, 0x55, 0x55);
pub(super) const RULE: Rgb = Rgb(0xb0, 0xb0, 0xb0);
const HEADER_FILL: Rgb = Rgb(0xe4, 0xe8, 0xee);
pub(super) const WHITE: Rgb = Rgb(0xff, 0xff, 0xff);

/// One table cell: its text and, for a matrix cell, a fill (the text is then white).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Cell {
    pub text: String,
    pub fill: Option<Rgb>,
}

impl Cell {
    pub fn plain(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            fill: None,
        }
    }
}

/// A table: headers with relative widths, then rows.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Table {
    pub headers: Vec<(String, f32)>,
    pub rows: Vec<Vec<Cell>>,
}

/// What a page body is made of, top to bottom.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Block {
    Title(String),
    Subtitle(String),
    Heading(String),
    Paragraph(String),
    Table(Table),
    /// A figure the width of the body, with its caption under it; kept on one page.
    Figure {
        figure: Figure,
        caption: String,
    },
}

/// One thing to draw on a page, in page coordinates (origin top left, y down).
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Op {
    /// Text with its baseline at `y`.
    Text {
        x: f32,
        y: f32,
        size: f32,
        weight: Weight,
        color: Rgb,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Rgb,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        color: Rgb,
    },
    /// An outline in the coordinates of the figure it belongs to.
    Shape(Shape),
    /// A figure with its top left at `x`, `y`, drawn at `scale` and clipped to its size.
    Figure {
        x: f32,
        y: f32,
        scale: f32,
        figure: Figure,
    },
}

/// A row ready to draw: each cell's lines.
struct Row<'c> {
    cells: &'c [Cell],
    lines: Vec<Vec<String>>,
    weight: Weight,
}

impl Row<'_> {
    fn height(&self) -> f32 {
        let tallest = self.lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
        tallest as f32 * TABLE_SIZE * LEADING + 2.0 * CELL_PAD
    }
}

/// Lays blocks out on pages of body ops (the marking is added when rendering).
pub(super) struct Layout<'m> {
    metrics: &'m Metrics,
    pub pages: Vec<Vec<Op>>,
    y: f32,
    /// Whole texts of what was shortened, the briefing's first, then cells cut here.
    notes: FullTexts,
}

impl<'m> Layout<'m> {
    /// A layout whose notes start with `notes` (the briefing's shortened names).
    pub fn new(metrics: &'m Metrics, notes: FullTexts) -> Self {
        Self {
            metrics,
            pages: vec![Vec::new()],
            y: BODY_TOP,
            notes,
        }
    }

    /// Lays out `blocks`, then the closing section of shortened texts when there is one.
    pub fn run(mut self, blocks: &[Block]) -> Vec<Vec<Op>> {
        for block in blocks {
            self.block(block);
        }
        let notes = std::mem::take(&mut self.notes);
        if !notes.is_empty() {
            self.block(&Block::Heading(SECTION_TITLE.to_owned()));
            for (i, text) in notes.texts().iter().enumerate() {
                self.block(&Block::Paragraph(format!("{} {text}", marker(i + 1))));
            }
        }
        self.pages
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = BODY_TOP;
    }

    fn room(&self) -> f32 {
        BODY_BOTTOM - self.y
    }

    fn at_top(&self) -> bool {
        self.y <= BODY_TOP + 0.01
    }

    fn ensure(&mut self, height: f32) {
        if self.room() < height && !self.at_top() {
            self.new_page();
        }
    }

    fn push(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    fn text(&mut self, x: f32, baseline: f32, size: f32, weight: Weight, color: Rgb, text: &str) {
        if text.is_empty() {
            return;
        }
        self.push(Op::Text {
            x,
            y: baseline,
            size,
            weight,
            color,
            text: text.to_owned(),
        });
    }

    /// Wrapped lines at `x` within `width`, breaking pages between lines.
    fn lines(&mut self, text: &str, x: f32, width: f32, size: f32, weight: Weight, color: Rgb) {
        let step = size * LEADING;
        for line in self.metrics.wrap(text, weight, size, width) {
            self.ensure(step);
            self.y += step;
            self.text(x, self.y - size * 0.28, size, weight, color, &line);
        }
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Title(text) => {
                self.lines(text, MARGIN_X, BODY_W, 20.0, Weight::Bold, TEXT);
                self.y += 4.0;
            }
            Block::Subtitle(text) => {
                self.lines(text, MARGIN_X, BODY_W, 11.0, Weight::Regular, MUTED);
                self.y += 6.0;
            }
            Block::Heading(text) => {
                // Keep a heading with at least three lines of what follows.
                self.ensure(14.0 * LEADING + 10.0 + 3.0 * BODY_SIZE * LEADING);
                if !self.at_top() {
                    self.y += 10.0;
                }
                self.lines(text, MARGIN_X, BODY_W, 14.0, Weight::Bold, TEXT);
                self.y += 3.0;
            }
            Block::Paragraph(text) => {
                self.lines(text, MARGIN_X, BODY_W, BODY_SIZE, Weight::Regular, TEXT);
                self.y += 5.0;
            }
            Block::Table(table) => self.table(table),
            Block::Figure { figure, caption } => self.figure(figure, caption),
        }
    }

    /// A figure scaled to the body width (or down to the body height), framed, with its
    /// caption; on the next page when it does not fit on this one.
    fn figure(&mut self, figure: &Figure, caption: &str) {
        if figure.width <= 0.0 || figure.height <= 0.0 {
            return;
        }
        let caption_h = CAPTION_SIZE * LEADING * 3.0;
        let scale =
            (BODY_W / figure.width).min((BODY_BOTTOM - BODY_TOP - caption_h - 8.0) / figure.height);
        let (w, h) = (figure.width * scale, figure.height * scale);
        self.ensure(h + 8.0 + caption_h);
        let (x, y) = (MARGIN_X + (BODY_W - w) / 2.0, self.y + 4.0);
        self.push(Op::Figure {
            x,
            y,
            scale,
            figure: figure.clone(),
        });
        for (x1, y1, x2, y2) in [
            (x, y, x + w, y),
            (x + w, y, x + w, y + h),
            (x, y + h, x + w, y + h),
            (x, y, x, y + h),
        ] {
            self.push(Op::Line {
                x1,
                y1,
                x2,
                y2,
                color: RULE,
            });
        }
        self.y = y + h + 2.0;
        self.lines(
            caption,
            MARGIN_X,
            BODY_W,
            CAPTION_SIZE,
            Weight::Regular,
            MUTED,
        );
        self.y += 6.0;
    }

    /// The x and width of each column: the relative widths scaled to the body width.
    fn columns(table: &Table) -> Vec<(f32, f32)> {
        let total: f32 = table.headers.iter().map(|(_, w)| w.max(0.01)).sum();
        let mut x = MARGIN_X;
        table
            .headers
            .iter()
            .map(|(_, w)| {
                let width = BODY_W * w.max(0.01) / total;
                let col = (x, width);
                x += width;
                col
            })
            .collect()
    }

    /// The lines of a header cell: at most [`MAX_HEADER_LINES`], the last one elided when the
    /// text is longer (heads are fitted beforehand, so this is only a safeguard).
    fn header_lines(&self, text: &str, width: f32) -> Vec<String> {
        let m = self.metrics;
        let wrapped = m.wrap_at_most(text, Weight::Bold, TABLE_SIZE, width, MAX_HEADER_LINES);
        let mut lines = wrapped.lines;
        if !wrapped.complete
            && let Some(last) = lines.last_mut()
        {
            let longer = format!("{last} {}", super::super::fonts::ELLIPSIS);
            *last = m.elide(&longer, Weight::Bold, TABLE_SIZE, width);
        }
        lines
    }

    /// The lines of a body cell: at most [`MAX_CELL_LINES`]; a longer text keeps its beginning
    /// and ends in `… [n]`, its whole text becoming note `n`.
    fn cell_lines(&mut self, text: &str, width: f32) -> Vec<String> {
        let wrapped =
            self.metrics
                .wrap_at_most(text, Weight::Regular, TABLE_SIZE, width, MAX_CELL_LINES);
        if wrapped.complete {
            return wrapped.lines;
        }
        let mut lines = wrapped.lines;
        lines.truncate(MAX_CELL_LINES - 1);
        let note = self.notes.note(text);
        lines.push(format!("… {}", marker(note)));
        lines
    }

    fn header_row<'c>(&self, cells: &'c [Cell], columns: &[(f32, f32)]) -> Row<'c> {
        let lines = columns
            .iter()
            .enumerate()
            .map(|(i, (_, w))| {
                let text = cells.get(i).map_or("", |c| c.text.as_str());
                self.header_lines(text, w - 2.0 * CELL_PAD)
            })
            .collect();
        Row {
            cells,
            lines,
            weight: Weight::Bold,
        }
    }

    fn body_row<'c>(&mut self, cells: &'c [Cell], columns: &[(f32, f32)]) -> Row<'c> {
        let lines = columns
            .iter()
            .enumerate()
            .map(|(i, (_, w))| {
                let text = cells.get(i).map_or("", |c| c.text.as_str());
                self.cell_lines(text, w - 2.0 * CELL_PAD)
            })
            .collect();
        Row {
            cells,
            lines,
            weight: Weight::Regular,
        }
    }

    fn table(&mut self, table: &Table) {
        if table.headers.is_empty() {
            return;
        }
        let columns = Self::columns(table);
        let header_cells: Vec<Cell> = table
            .headers
            .iter()
            .map(|(h, _)| Cell {
                text: h.clone(),
                fill: Some(HEADER_FILL),
            })
            .collect();
        let header = self.header_row(&header_cells, &columns);
        let mut rows = table.rows.iter();
        let first = rows.next().map(|r| self.body_row(r, &columns));
        // Never leave a header alone at the foot of a page.
        self.ensure(header.height() + first.as_ref().map_or(0.0, Row::height));
        self.draw_row(&columns, &header);
        if let Some(first) = first {
            self.place_row(&columns, &header, &first);
        }
        for cells in rows {
            let row = self.body_row(cells, &columns);
            self.place_row(&columns, &header, &row);
        }
        self.y += 8.0;
    }

    /// Draws `row` here, or at the top of a new page under the header when it does not fit.
    fn place_row(&mut self, columns: &[(f32, f32)], header: &Row, row: &Row) {
        if row.height() > self.room() {
            self.new_page();
            self.draw_row(columns, header);
        }
        self.draw_row(columns, row);
    }

    fn draw_row(&mut self, columns: &[(f32, f32)], row: &Row) {
        let step = TABLE_SIZE * LEADING;
        let h = row.height();
        let top = self.y;
        for (i, (x, w)) in columns.iter().enumerate() {
            let fill = row.cells.get(i).and_then(|c| c.fill);
            if let Some(fill) = fill {
                self.push(Op::Rect {
                    x: *x,
                    y: top,
                    w: *w,
                    h,
                    fill,
                });
            }
            let color = match fill {
                Some(f) if f != HEADER_FILL => WHITE,
                _ => TEXT,
            };
            if let Some(cell_lines) = row.lines.get(i) {
                for (n, line) in cell_lines.iter().enumerate() {
                    let baseline = top + CELL_PAD + step * (n as f32 + 1.0) - TABLE_SIZE * 0.28;
                    self.text(x + CELL_PAD, baseline, TABLE_SIZE, row.weight, color, line);
                }
            }
        }
        let right = columns.last().map_or(MARGIN_X, |(x, w)| x + w);
        self.push(Op::Line {
            x1: MARGIN_X,
            y1: top + h,
            x2: right,
            y2: top + h,
            color: RULE,
        });
        self.y = top + h;
    }
}
