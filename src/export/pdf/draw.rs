//! The PDF briefing paper: A4 pages laid out by hand with krilla and the bundled DejaVu Sans.
//!
//! Paragraphs are word-wrapped by measuring glyph advances; tables break across pages with
//! their header row repeated; the marking line sits at the top and bottom of every page,
//! with the page number.

use std::collections::HashMap;

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, KrillaGlyph};
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, GlyphId, MetadataProvider as _};

use super::ExportError;
use super::briefing::{Briefing, ROLE_LEGEND};

/// Partner columns per matrix table; more partners continue in a further table.
const MATRIX_COLUMNS: usize = 8;

/// Lays out `briefing` as a PDF with `marking` at the top and bottom of every page.
pub fn write_pdf(briefing: &Briefing, marking: &str) -> Result<Vec<u8>, ExportError> {
    render(&blocks(briefing), marking, &briefing.title).map_err(ExportError::Pdf)
}

/// The fill of a matrix cell from its short role (`L`, `S`, `B`, `Q2`, `J`); the same
/// colours as the app's matrix view.
fn role_fill(short: &str) -> Option<Rgb> {
    match short.chars().next()? {
        'L' => Some(Rgb(0x1f, 0x6f, 0xb5)),
        'S' => Some(Rgb(0x4c, 0xa0, 0x6b)),
        'B' => Some(Rgb(0xc7, 0x8a, 0x1b)),
        'Q' => Some(Rgb(0x7b, 0x5e, 0xa7)),
        'J' => Some(Rgb(0x2a, 0x9d, 0x9d)),
        _ => None,
    }
}

fn table(headers: &[(&str, f32)], rows: Vec<Vec<Cell>>) -> Block {
    Block::Table(Table {
        headers: headers.iter().map(|(h, w)| ((*h).to_owned(), *w)).collect(),
        rows,
    })
}

/// The briefing as blocks, section by section.
fn blocks(b: &Briefing) -> Vec<Block> {
    let mut out = vec![Block::Title(b.title.clone())];
    let mut place: Vec<String> = Vec::new();
    if !b.region.trim().is_empty() {
        place.push(b.region.clone());
    }
    if !b.countries.is_empty() {
        place.push(b.countries.join(", "));
    }
    place.push(format!("as of {}", b.as_of));
    out.push(Block::Subtitle(place.join(" · ")));
    if !b.summary.trim().is_empty() {
        out.push(Block::Paragraph(b.summary.clone()));
    }
    let c = &b.counts;
    let mut facts = format!(
        "{} actors, {} partners, {} lines of effort, {} assignments, {} events.",
        c.actors, c.partners, c.lines, c.assignments, c.events
    );
    if let Some(lag) = b.median_lag_days {
        facts.push_str(&format!(
            " Median time from a warning sign to its first answer: {lag:.0} days."
        ));
    }
    out.push(Block::Paragraph(facts));

    out.push(Block::Heading("Key actors".into()));
    if b.actors.is_empty() {
        out.push(Block::Paragraph("No actors recorded.".into()));
    } else {
        out.push(table(
            &[
                ("Actor", 2.2),
                ("Kind", 1.6),
                ("Stance", 1.0),
                ("Influence", 1.0),
                ("Interests", 3.2),
            ],
            b.actors
                .iter()
                .map(|a| {
                    vec![
                        Cell::plain(&a.name),
                        Cell::plain(&a.kind),
                        Cell::plain(&a.stance),
                        Cell::plain(&a.influence),
                        Cell::plain(&a.interests),
                    ]
                })
                .collect(),
        ));
    }

    out.push(Block::Heading(format!("Timeline since {}", b.period_start)));
    if b.recent.is_empty() {
        out.push(Block::Paragraph("No events in this period.".into()));
    } else {
        out.push(event_table(&b.recent));
    }
    out.push(Block::Heading("Next threshold moments".into()));
    if b.thresholds.is_empty() {
        out.push(Block::Paragraph(
            "No threshold moment is recorded after the as-of date.".into(),
        ));
    } else {
        out.push(event_table(&b.thresholds));
    }

    out.push(Block::Heading("Who does what".into()));
    if b.matrix.rows.is_empty() {
        out.push(Block::Paragraph("No lines of effort recorded.".into()));
    } else {
        out.push(Block::Paragraph(ROLE_LEGEND.to_owned()));
        let chunks: Vec<Vec<usize>> = if b.matrix.partners.is_empty() {
            vec![Vec::new()]
        } else {
            (0..b.matrix.partners.len())
                .collect::<Vec<_>>()
                .chunks(MATRIX_COLUMNS)
                .map(<[usize]>::to_vec)
                .collect()
        };
        let several = chunks.len() > 1;
        for (n, columns) in chunks.iter().enumerate() {
            if several {
                out.push(Block::Paragraph(format!(
                    "Partners {}–{} of {}:",
                    n * MATRIX_COLUMNS + 1,
                    n * MATRIX_COLUMNS + columns.len(),
                    b.matrix.partners.len()
                )));
            }
            let mut headers = vec![
                ("Line of effort".to_owned(), 3.0),
                ("Status".to_owned(), 1.1),
            ];
            headers.extend(
                columns
                    .iter()
                    .filter_map(|&i| b.matrix.partners.get(i))
                    .map(|p| (p.clone(), 0.75)),
            );
            let rows = b
                .matrix
                .rows
                .iter()
                .map(|row| {
                    let mut cells = vec![Cell::plain(&row.line), Cell::plain(&row.status)];
                    cells.extend(columns.iter().map(|&i| {
                        let short = row.cells.get(i).cloned().unwrap_or_default();
                        Cell {
                            fill: role_fill(&short),
                            text: short,
                        }
                    }));
                    cells
                })
                .collect();
            out.push(Block::Table(Table { headers, rows }));
        }
        out.push(table(
            &[("Line of effort", 2.0), ("Instrument", 1.4), ("Roles", 3.6)],
            b.matrix
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
                .collect(),
        ));
    }

    out.push(Block::Heading("Open problems".into()));
    if b.problems.is_empty() {
        out.push(Block::Paragraph("No open problems.".into()));
    } else {
        out.push(table(
            &[("Check", 1.0), ("Problem", 4.0)],
            b.problems
                .iter()
                .map(|p| vec![Cell::plain(p.code), Cell::plain(&p.text)])
                .collect(),
        ));
    }

    out.push(Block::Heading("Next steps".into()));
    if b.next_steps.is_empty() {
        out.push(Block::Paragraph("No next steps recorded.".into()));
    } else {
        out.push(table(
            &[("When", 1.3), ("Step", 4.0)],
            b.next_steps
                .iter()
                .map(|s| vec![Cell::plain(&s.when), Cell::plain(&s.text)])
                .collect(),
        ));
    }
    out
}

fn event_table(events: &[super::briefing::EventEntry]) -> Block {
    table(
        &[
            ("Date", 1.2),
            ("Kind", 1.1),
            ("Event", 3.0),
            ("Involved", 1.9),
        ],
        events
            .iter()
            .map(|e| {
                let mut title = e.title.clone();
                if !e.notes.trim().is_empty() {
                    title.push('\n');
                    title.push_str(&e.notes);
                }
                vec![
                    Cell::plain(&e.date),
                    Cell::plain(&e.kind),
                    Cell::plain(title),
                    Cell::plain(e.involved.join(", ")),
                ]
            })
            .collect(),
    )
}

const REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// A4 in points.
const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN_X: f32 = 56.0;
/// Where the body starts and must end (the marking lines sit outside).
const BODY_TOP: f32 = 72.0;
const BODY_BOTTOM: f32 = PAGE_H - 72.0;
const BODY_W: f32 = PAGE_W - 2.0 * MARGIN_X;

const BODY_SIZE: f32 = 10.0;
const TABLE_SIZE: f32 = 8.5;
const MARKING_SIZE: f32 = 9.0;
const LEADING: f32 = 1.32;
const CELL_PAD: f32 = 3.5;

/// An RGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Rgb(pub u8, pub u8, pub u8);

const TEXT: Rgb = Rgb(0x1a, 0x1a, 0x1a);
const MUTED: Rgb = Rgb(0x55, 0x55, 0x55);
const RULE: Rgb = Rgb(0xb0, 0xb0, 0xb0);
const HEADER_FILL: Rgb = Rgb(0xe4, 0xe8, 0xee);
const WHITE: Rgb = Rgb(0xff, 0xff, 0xff);

/// Regular or bold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Weight {
    Regular,
    Bold,
}

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
}

/// Advance widths of the two bundled fonts.
struct Metrics {
    regular: FontMetrics,
    bold: FontMetrics,
}

struct FontMetrics {
    charmap: skrifa::charmap::Charmap<'static>,
    glyphs: GlyphMetrics<'static>,
    /// Advances of the ASCII characters, looked up once: most text is measured from here.
    ascii: [f32; 128],
}

impl FontMetrics {
    fn new(data: &'static [u8]) -> Option<Self> {
        let font = FontRef::new(data).ok()?;
        let glyphs = font.glyph_metrics(Size::new(1.0), LocationRef::default());
        let charmap = font.charmap();
        let mut metrics = Self {
            charmap,
            glyphs,
            ascii: [0.0; 128],
        };
        let ascii: Vec<f32> = (0u8..128).map(|b| metrics.lookup(char::from(b))).collect();
        metrics.ascii.copy_from_slice(&ascii);
        Some(metrics)
    }

    fn lookup(&self, c: char) -> f32 {
        let glyph = self.charmap.map(c).unwrap_or(GlyphId::NOTDEF);
        self.glyphs.advance_width(glyph).unwrap_or(0.6)
    }

    fn advance(&self, c: char) -> f32 {
        match self.ascii.get(c as usize) {
            Some(&advance) => advance,
            None => self.lookup(c),
        }
    }
}

impl Metrics {
    fn load() -> Option<Self> {
        Some(Self {
            regular: FontMetrics::new(REGULAR_TTF)?,
            bold: FontMetrics::new(BOLD_TTF)?,
        })
    }

    fn width(&self, text: &str, weight: Weight, size: f32) -> f32 {
        let font = match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        };
        text.chars().map(|c| font.advance(c)).sum::<f32>() * size
    }

    /// Greedy word wrap to `max_width`; explicit newlines start new lines; a word wider than
    /// the line is broken between characters. Never returns an empty list.
    fn wrap(&self, text: &str, weight: Weight, size: f32, max_width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let space = self.width(" ", weight, size);
        for paragraph in text.split('\n') {
            let mut line = String::new();
            let mut line_w = 0.0;
            for word in paragraph.split_whitespace() {
                let word_w = self.width(word, weight, size);
                let needed = if line.is_empty() {
                    word_w
                } else {
                    line_w + space + word_w
                };
                if needed <= max_width {
                    if !line.is_empty() {
                        line.push(' ');
                    }
                    line.push_str(word);
                    line_w = needed;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line_w = 0.0;
                }
                if word_w <= max_width {
                    line.push_str(word);
                    line_w = word_w;
                    continue;
                }
                for c in word.chars() {
                    let w = self.width(c.encode_utf8(&mut [0; 4]), weight, size);
                    if line_w + w > max_width && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        line_w = 0.0;
                    }
                    line.push(c);
                    line_w += w;
                }
            }
            lines.push(line);
        }
        if lines.is_empty() {
            lines.push(String::new());
        }
        lines
    }
}

/// One thing to draw on a page, in page coordinates (origin top left, y down).
#[derive(Clone, Debug, PartialEq)]
enum Op {
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
}

/// Lays blocks out on pages of body ops (the marking is added when rendering).
struct Layout<'m> {
    metrics: &'m Metrics,
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl<'m> Layout<'m> {
    fn new(metrics: &'m Metrics) -> Self {
        Self {
            metrics,
            pages: vec![Vec::new()],
            y: BODY_TOP,
        }
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
        }
    }

    /// The x and width of each column.
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

    fn table(&mut self, table: &Table) {
        if table.headers.is_empty() {
            return;
        }
        let columns = Self::columns(table);
        let step = TABLE_SIZE * LEADING;
        let wrap_cells = |cells: &[Cell], weight: Weight| -> Vec<Vec<String>> {
            columns
                .iter()
                .enumerate()
                .map(|(i, (_, w))| {
                    let text = cells.get(i).map_or("", |c| c.text.as_str());
                    self.metrics
                        .wrap(text, weight, TABLE_SIZE, w - 2.0 * CELL_PAD)
                })
                .collect()
        };
        let header_cells: Vec<Cell> = table
            .headers
            .iter()
            .map(|(h, _)| Cell {
                text: h.clone(),
                fill: Some(HEADER_FILL),
            })
            .collect();
        let header_lines = wrap_cells(&header_cells, Weight::Bold);
        let header_h = row_height(&header_lines, step);
        let first_row_h = table
            .rows
            .first()
            .map_or(0.0, |r| row_height(&wrap_cells(r, Weight::Regular), step));
        // Never leave a header alone at the foot of a page.
        self.ensure(header_h + first_row_h.min(BODY_BOTTOM - BODY_TOP - header_h));
        self.draw_row(&columns, &header_cells, &header_lines, Weight::Bold);
        for row in &table.rows {
            let mut lines = wrap_cells(row, Weight::Regular);
            loop {
                let needed = row_height(&lines, step);
                if needed <= self.room() {
                    self.draw_row(&columns, row, &lines, Weight::Regular);
                    break;
                }
                let fits = ((self.room() - 2.0 * CELL_PAD) / step).floor().max(0.0) as usize;
                let page_capacity =
                    ((BODY_BOTTOM - BODY_TOP - header_h - 2.0 * CELL_PAD) / step).floor() as usize;
                let tallest = lines.iter().map(Vec::len).max().unwrap_or(1);
                // A row that fits on a fresh page moves there whole; a giant row is split.
                if tallest <= page_capacity || fits == 0 {
                    self.new_page();
                    self.draw_row(&columns, &header_cells, &header_lines, Weight::Bold);
                    if tallest <= page_capacity {
                        continue;
                    }
                }
                let fits = ((self.room() - 2.0 * CELL_PAD) / step).floor().max(1.0) as usize;
                let head: Vec<Vec<String>> = lines
                    .iter()
                    .map(|cell| cell.iter().take(fits).cloned().collect())
                    .collect();
                self.draw_row(&columns, row, &head, Weight::Regular);
                lines = lines
                    .into_iter()
                    .map(|cell| cell.into_iter().skip(fits).collect())
                    .collect();
                self.new_page();
                self.draw_row(&columns, &header_cells, &header_lines, Weight::Bold);
            }
        }
        self.y += 8.0;
    }

    fn draw_row(
        &mut self,
        columns: &[(f32, f32)],
        cells: &[Cell],
        lines: &[Vec<String>],
        weight: Weight,
    ) {
        let step = TABLE_SIZE * LEADING;
        let h = row_height(lines, step);
        let top = self.y;
        for (i, (x, w)) in columns.iter().enumerate() {
            let cell = cells.get(i);
            let fill = cell.and_then(|c| c.fill);
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
            if let Some(cell_lines) = lines.get(i) {
                for (n, line) in cell_lines.iter().enumerate() {
                    let baseline = top + CELL_PAD + step * (n as f32 + 1.0) - TABLE_SIZE * 0.28;
                    self.text(x + CELL_PAD, baseline, TABLE_SIZE, weight, color, line);
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

fn row_height(lines: &[Vec<String>], step: f32) -> f32 {
    let tallest = lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
    tallest as f32 * step + 2.0 * CELL_PAD
}

/// The TLP label's colours (TLP 2.0: coloured text on black).
fn tlp_color(label: &str) -> Rgb {
    match label {
        "TLP:RED" => Rgb(0xff, 0x2b, 0x2b),
        "TLP:AMBER" | "TLP:AMBER+STRICT" => Rgb(0xff, 0xc0, 0x00),
        "TLP:GREEN" => Rgb(0x33, 0xff, 0x00),
        _ => WHITE,
    }
}

/// The marking line centred at baseline `y`: the TLP label in its colours, then the rest.
fn marking_ops(metrics: &Metrics, marking: &str, y: f32) -> Vec<Op> {
    let marking = marking.trim();
    let (label, rest) = match marking.split_once(char::is_whitespace) {
        Some((first, rest)) if first.starts_with("TLP:") => (first, rest.trim_start()),
        _ if marking.starts_with("TLP:") => (marking, ""),
        _ => ("", marking),
    };
    let gap = if label.is_empty() || rest.is_empty() {
        0.0
    } else {
        8.0
    };
    let label_w = metrics.width(label, Weight::Bold, MARKING_SIZE);
    let rest_w = metrics.width(rest, Weight::Bold, MARKING_SIZE);
    let pad = 3.0;
    let total = label_w + if label.is_empty() { 0.0 } else { 2.0 * pad } + gap + rest_w;
    let mut x = (PAGE_W - total) / 2.0;
    let mut ops = Vec::new();
    if !label.is_empty() {
        ops.push(Op::Rect {
            x,
            y: y - MARKING_SIZE - 1.0,
            w: label_w + 2.0 * pad,
            h: MARKING_SIZE + 4.5,
            fill: Rgb(0, 0, 0),
        });
        ops.push(Op::Text {
            x: x + pad,
            y,
            size: MARKING_SIZE,
            weight: Weight::Bold,
            color: tlp_color(label),
            text: label.to_owned(),
        });
        x += label_w + 2.0 * pad + gap;
    }
    if !rest.is_empty() {
        ops.push(Op::Text {
            x,
            y,
            size: MARKING_SIZE,
            weight: Weight::Bold,
            color: TEXT,
            text: rest.to_owned(),
        });
    }
    ops
}

/// The marking at top and bottom, rules and the page number.
fn frame_ops(metrics: &Metrics, marking: &str, page: usize, pages: usize) -> Vec<Op> {
    let mut ops = marking_ops(metrics, marking, 34.0);
    ops.push(Op::Line {
        x1: MARGIN_X,
        y1: 46.0,
        x2: PAGE_W - MARGIN_X,
        y2: 46.0,
        color: RULE,
    });
    ops.push(Op::Line {
        x1: MARGIN_X,
        y1: PAGE_H - 52.0,
        x2: PAGE_W - MARGIN_X,
        y2: PAGE_H - 52.0,
        color: RULE,
    });
    ops.extend(marking_ops(metrics, marking, PAGE_H - 36.0));
    let number = format!("Page {page} of {pages}");
    let w = metrics.width(&number, Weight::Regular, 8.0);
    ops.push(Op::Text {
        x: (PAGE_W - w) / 2.0,
        y: PAGE_H - 22.0,
        size: 8.0,
        weight: Weight::Regular,
        color: MUTED,
        text: number,
    });
    ops
}

fn fill(color: Rgb) -> Fill {
    Fill {
        paint: rgb::Color::new(color.0, color.1, color.2).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

/// A shaping plan is made for a font, a script and a direction.
type PlanKey = (Weight, rustybuzz::Script, rustybuzz::Direction);

/// Shapes text with one parsed face per font for the whole document. krilla's `draw_text`
/// parses the font's tables again for every line (most of a large PDF's time); the shaping
/// here is the same (rustybuzz, direction and script guessed from the text), done on faces
/// parsed once with plans made once.
struct Shaper<'f> {
    regular: (rustybuzz::Face<'f>, f32),
    bold: (rustybuzz::Face<'f>, f32),
    /// Shaping plans by font and script: compiling one is most of the cost of a short line.
    plans: std::cell::RefCell<HashMap<PlanKey, rustybuzz::ShapePlan>>,
}

impl Shaper<'static> {
    fn load() -> Option<Self> {
        let face = |data: &'static [u8]| {
            let face = rustybuzz::Face::from_slice(data, 0)?;
            let units = (face.units_per_em() as f32).max(1.0);
            Some((face, units))
        };
        Some(Self {
            regular: face(REGULAR_TTF)?,
            bold: face(BOLD_TTF)?,
            plans: std::cell::RefCell::new(HashMap::new()),
        })
    }
}

impl Shaper<'_> {
    /// The glyphs of one line of `text`, with advances and offsets in ems.
    fn shape(&self, text: &str, weight: Weight) -> Vec<KrillaGlyph> {
        let (face, units) = match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        };
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let script = buffer.script();
        let direction = buffer.direction();
        let output = if buffer.language().is_some() {
            rustybuzz::shape(face, &[], buffer)
        } else {
            let mut plans = self.plans.borrow_mut();
            let plan = plans.entry((weight, script, direction)).or_insert_with(|| {
                rustybuzz::ShapePlan::new(face, direction, Some(script), None, &[])
            });
            rustybuzz::shape_with_plan(face, plan, buffer)
        };
        let forward = matches!(
            direction,
            rustybuzz::Direction::LeftToRight | rustybuzz::Direction::TopToBottom
        );
        let infos = output.glyph_infos();
        let positions = output.glyph_positions();
        infos
            .iter()
            .zip(positions)
            .enumerate()
            .map(|(i, (info, pos))| {
                let start = info.cluster as usize;
                // A cluster's text runs to the next cluster in reading order: the next glyph
                // with another cluster, or (right to left) the previous one.
                let other = |next: &&rustybuzz::GlyphInfo| next.cluster != info.cluster;
                let next_cluster = if forward {
                    infos.get(i + 1..).unwrap_or_default().iter().find(other)
                } else {
                    infos.get(..i).unwrap_or_default().iter().rev().find(other)
                };
                let end = next_cluster.map_or(text.len(), |next| next.cluster as usize);
                KrillaGlyph::new(
                    krilla::text::GlyphId::new(info.glyph_id),
                    pos.x_advance as f32 / units,
                    pos.x_offset as f32 / units,
                    pos.y_offset as f32 / units,
                    pos.y_advance as f32 / units,
                    start..end.max(start),
                    None,
                )
            })
            .collect()
    }
}

/// Lays out `blocks` on A4 pages with `marking` at the top and bottom of each, and writes
/// the PDF.
pub(crate) fn render(blocks: &[Block], marking: &str, title: &str) -> Result<Vec<u8>, String> {
    let metrics = Metrics::load().ok_or("the bundled font cannot be read")?;
    let regular = Font::new(REGULAR_TTF.into(), 0).ok_or("the bundled font cannot be read")?;
    let bold = Font::new(BOLD_TTF.into(), 0).ok_or("the bundled bold font cannot be read")?;
    let shaper = Shaper::load().ok_or("the bundled font cannot be shaped")?;
    let mut layout = Layout::new(&metrics);
    for block in blocks {
        layout.block(block);
    }
    let pages = layout.pages;
    let mut document = Document::new();
    document.set_metadata(Metadata::new().title(title.to_owned()));
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or("bad page size")?;
    let count = pages.len();
    for (n, body) in pages.iter().enumerate() {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        let frame = frame_ops(&metrics, marking, n + 1, count);
        for op in frame.iter().chain(body) {
            match op {
                Op::Text {
                    x,
                    y,
                    size,
                    weight,
                    color,
                    text,
                } => {
                    surface.set_fill(Some(fill(*color)));
                    let font = match weight {
                        Weight::Regular => regular.clone(),
                        Weight::Bold => bold.clone(),
                    };
                    let glyphs = shaper.shape(text, *weight);
                    surface.draw_glyphs(Point::from_xy(*x, *y), &glyphs, font, text, *size, false);
                }
                Op::Rect {
                    x,
                    y,
                    w,
                    h,
                    fill: color,
                } => {
                    let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) else {
                        continue;
                    };
                    let mut path = PathBuilder::new();
                    path.push_rect(rect);
                    if let Some(path) = path.finish() {
                        surface.set_stroke(None);
                        surface.set_fill(Some(fill(*color)));
                        surface.draw_path(&path);
                    }
                }
                Op::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    color,
                } => {
                    let mut path = PathBuilder::new();
                    path.move_to(*x1, *y1);
                    path.line_to(*x2, *y2);
                    if let Some(path) = path.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            paint: rgb::Color::new(color.0, color.1, color.2).into(),
                            width: 0.6,
                            ..Default::default()
                        }));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| format!("the PDF cannot be written: {e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shaper's cached plans give the glyphs a fresh shaping gives (what krilla's
    /// `draw_text` did), for Latin with accents and ligature candidates, Cyrillic and Arabic.
    #[test]
    fn shaping_with_cached_plans_matches_shaping_from_scratch() {
        let shaper = Shaper::load().unwrap_or_else(|| unreachable!("bundled fonts load"));
        let texts = [
            "Côte d'Ivoire — ECOWAS “office” ﬁnal",
            "Security Council, S/2011/552 ¶37",
            "Совет Безопасности",
            "مجلس الأمن",
            "Côte d'Ivoire again, after the other scripts",
        ];
        for weight in [Weight::Regular, Weight::Bold] {
            for text in texts {
                let cached = shaper.shape(text, weight);
                let (face, units) = match weight {
                    Weight::Regular => &shaper.regular,
                    Weight::Bold => &shaper.bold,
                };
                let mut buffer = rustybuzz::UnicodeBuffer::new();
                buffer.push_str(text);
                buffer.guess_segment_properties();
                let fresh = rustybuzz::shape(face, &[], buffer);
                assert_eq!(cached.len(), fresh.len(), "{text}");
                for (glyph, (info, pos)) in cached
                    .iter()
                    .zip(fresh.glyph_infos().iter().zip(fresh.glyph_positions()))
                {
                    use krilla::text::Glyph as _;
                    assert_eq!(glyph.glyph_id(), krilla::text::GlyphId::new(info.glyph_id));
                    assert_eq!(glyph.x_advance(1.0), pos.x_advance as f32 / units, "{text}");
                }
            }
        }
    }

    #[test]
    fn ascii_advances_come_from_the_table_and_others_from_the_font() {
        let metrics = Metrics::load().unwrap_or_else(|| unreachable!("bundled fonts load"));
        for c in ['a', 'W', ' ', '~'] {
            assert_eq!(metrics.regular.advance(c), metrics.regular.lookup(c));
        }
        assert!(metrics.regular.advance('é') > 0.0);
        assert!(metrics.bold.advance('W') >= metrics.regular.advance('W'));
    }
}
