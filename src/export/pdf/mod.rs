//! The PDF briefing paper: A4 pages laid out by hand with krilla and the bundled DejaVu Sans.
//!
//! [`layout`] wraps paragraphs and cells by measuring glyph advances and breaks tables across
//! pages with their header row repeated; [`matrix`] fits the who-does-what columns to the page;
//! [`draw`] puts the marking at the top and bottom of every page, with the page number.

mod draw;
mod figure;
mod layout;
mod matrix;

use layout::{Block, Cell, Layout, Table};

use super::ExportError;
use super::briefing::{Briefing, EventEntry};
use super::fonts::Metrics;
use super::long_text::FullTexts;

/// Lays out `briefing` as a PDF with `marking` at the top and bottom of every page.
///
/// Time and memory grow with the briefing's text, whatever its shape: see [`layout`].
pub fn write_pdf(briefing: &Briefing, marking: &str) -> Result<Vec<u8>, ExportError> {
    let metrics = Metrics::load()
        .ok_or_else(|| ExportError::Pdf("the bundled font cannot be read".into()))?;
    let map = briefing
        .map
        .as_deref()
        .map(|svg| figure::Figure::from_svg(svg, &metrics))
        .transpose()
        .map_err(|e| ExportError::Pdf(format!("the map figure: {e}")))?;
    let blocks = blocks(briefing, map, &metrics);
    let notes = FullTexts::starting_with(&briefing.full_texts);
    let pages = Layout::new(&metrics, notes).run(&blocks);
    draw::render(&metrics, &pages, marking, &briefing.title).map_err(ExportError::Pdf)
}

fn table(headers: &[(&str, f32)], rows: Vec<Vec<Cell>>) -> Block {
    Block::Table(Table {
        headers: headers.iter().map(|(h, w)| ((*h).to_owned(), *w)).collect(),
        rows,
    })
}

/// The briefing as blocks, section by section, with the map figure (already read) before
/// the matrix, as in the HTML paper.
fn blocks(b: &Briefing, map: Option<figure::Figure>, metrics: &Metrics) -> Vec<Block> {
    let mut out = opening(b);
    out.extend(for_partner(b));
    out.extend(since(b));
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
    if let Some(figure) = map {
        out.push(Block::Heading("Where".into()));
        out.push(Block::Figure {
            figure,
            caption: super::briefing::MAP_CAPTION.into(),
        });
    }
    out.push(Block::Heading("Who does what".into()));
    if b.matrix.rows.is_empty() {
        out.push(Block::Paragraph("No lines of effort recorded.".into()));
    } else {
        out.extend(matrix::blocks(&b.matrix, metrics));
    }
    out.extend(closing(b));
    out
}

/// Title, place and date, summary and counts.
fn opening(b: &Briefing) -> Vec<Block> {
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
    out
}

/// A paper for one partner: its lines and roles, then its next steps.
fn for_partner(b: &Briefing) -> Vec<Block> {
    let Some(p) = &b.for_partner else {
        return Vec::new();
    };
    let mut out = vec![
        Block::Heading(format!("For {}", p.name)),
        Block::Paragraph(super::partner::sentence(p)),
    ];
    if !p.lines.is_empty() {
        out.push(table(
            &[
                ("Line of effort", 2.6),
                ("Its role", 1.3),
                ("Status", 0.9),
                ("Others on this line", 2.6),
            ],
            p.lines
                .iter()
                .map(|l| {
                    vec![
                        Cell::plain(format!("{} ({})", l.line, l.instrument)),
                        Cell::plain(&l.role),
                        Cell::plain(&l.status),
                        Cell::plain(l.others.join(", ")),
                    ]
                })
                .collect(),
        ));
    }
    out.push(Block::Heading(format!("Next steps for {}", p.name)));
    if p.next_steps.is_empty() {
        out.push(Block::Paragraph("None ahead.".into()));
    } else {
        out.push(table(
            &[("When", 1.3), ("Step", 4.0)],
            p.next_steps
                .iter()
                .map(|s| vec![Cell::plain(&s.when), Cell::plain(&s.text)])
                .collect(),
        ));
    }
    out
}

/// Open problems and next steps.
/// "Since …": what changed since an earlier state, one table row per change.
fn since(b: &Briefing) -> Vec<Block> {
    let Some(since) = &b.since else {
        return Vec::new();
    };
    let mut out = vec![Block::Heading(since.title.clone())];
    if since.empty {
        out.push(Block::Paragraph(crate::analysis::diff::NO_CHANGE.into()));
    }
    out.push(table(
        &[("Group", 1.3), ("Change", 4.0)],
        since
            .groups
            .iter()
            .flat_map(|g| {
                g.lines
                    .iter()
                    .map(move |line| vec![Cell::plain(g.title), Cell::plain(line)])
            })
            .collect(),
    ));
    out
}

fn closing(b: &Briefing) -> Vec<Block> {
    let mut out = vec![Block::Heading("Open problems".into())];
    if b.problems.is_empty() {
        out.push(Block::Paragraph("No open problems.".into()));
    } else {
        out.push(table(
            &[("Check", 1.0), ("Problem", 4.0)],
            b.problems
                .iter()
                .map(|p| {
                    vec![
                        Cell::plain(crate::model::validate::check_title(p.code)),
                        Cell::plain(&p.text),
                    ]
                })
                .collect(),
        ));
    }
    out.push(Block::Heading("Next steps".into()));
    if b.next_steps.is_empty() {
        out.push(Block::Paragraph("None planned.".into()));
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

fn event_table(events: &[EventEntry]) -> Block {
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
                    Cell::plain(involved_and_place(e)),
                ]
            })
            .collect(),
    )
}

/// Who an event involves, then where it happened, for the papers' event tables.
fn involved_and_place(e: &crate::export::briefing::EventEntry) -> String {
    let mut text = e.involved.join(", ");
    if !e.place.is_empty() {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str("at ");
        text.push_str(&e.place);
    }
    text
}
