//! The briefing paper as a Word document (.docx) that an officer edits further, written with
//! docx-rs: the same content as the Markdown, HTML and PDF papers, with real headings
//! (the Heading 1 and Heading 2 styles, so that Word's navigation pane lists the sections),
//! real tables, the marking in the header and the footer of every page with the page
//! number, on A4.
//!
//! Word wraps and breaks text itself, inside a word when it must; names too long for a cell
//! are already shortened by the briefing, their whole text in the closing section. Control
//! characters, which XML cannot carry, are left out.

use std::io::Cursor;

use docx_rs::{
    BreakType, Docx, Footer, Header, NumPages, PageMargin, PageNum, Paragraph, Pic, Run, Shading,
    Style, StyleType, Table, TableCell, TableRow, WidthType,
};

use super::briefing::{
    Briefing, EventEntry, MAP_CAPTION, MAP_HEIGHT, MAP_WIDTH, Matrix, ROLE_LEGEND,
};
use super::long_text::{SECTION_TITLE, marker};
use super::{ExportError, Tlp};

/// A4, in twentieths of a point.
const PAGE_W: u32 = 11_906;
const PAGE_H: u32 = 16_838;
/// 2 cm margins.
const MARGIN: i32 = 1_134;
/// The width between the margins.
const BODY_W: usize = PAGE_W as usize - 2 * MARGIN as usize;
/// English Metric Units per centimetre, for the map's picture.
const EMU_PER_CM: f64 = 360_000.0;
/// The grey of table heads.
const HEAD_FILL: &str = "E8E8E8";

/// The briefing `b` as a Word document with `marking` in the header and the footer of every
/// page; `tlp` goes into the document's properties.
pub fn write_docx(b: &Briefing, marking: &str, tlp: Tlp) -> Result<Vec<u8>, ExportError> {
    let mut docx = styles(Docx::new())
        .page_size(PAGE_W, PAGE_H)
        .page_margin(
            PageMargin::new()
                .top(MARGIN)
                .bottom(MARGIN)
                .left(MARGIN)
                .right(MARGIN)
                .header(567)
                .footer(567),
        )
        .header(Header::new().add_paragraph(marking_paragraph(marking)))
        .footer(Footer::new().add_paragraph(footer_paragraph(marking)))
        .custom_property("TLP", tlp.label())
        .custom_property("Marking", clean(marking));
    for part in body(b)? {
        docx = match part {
            Part::Paragraph(p) => docx.add_paragraph(*p),
            Part::Table(t) => docx.add_table(*t),
        };
    }
    let mut out = Cursor::new(Vec::new());
    docx.build()
        .pack(&mut out)
        .map_err(|e| ExportError::Docx(e.to_string()))?;
    Ok(out.into_inner())
}

/// A paragraph or a table of the body.
enum Part {
    Paragraph(Box<Paragraph>),
    Table(Box<Table>),
}

impl From<Paragraph> for Part {
    fn from(p: Paragraph) -> Self {
        Part::Paragraph(Box::new(p))
    }
}

/// The styles the paper uses: Word's own names, so that its navigation pane and table of
/// contents find the headings.
fn styles(docx: Docx) -> Docx {
    docx.default_size(20)
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .size(36)
                .bold(),
        )
        .add_style(
            Style::new("Heading1", StyleType::Paragraph)
                .name("heading 1")
                .next("Normal")
                .size(28)
                .bold()
                .color("1F3864")
                .outline_lvl(0),
        )
        .add_style(
            Style::new("Heading2", StyleType::Paragraph)
                .name("heading 2")
                .next("Normal")
                .size(24)
                .bold()
                .color("1F3864")
                .outline_lvl(1),
        )
        .add_style(
            Style::new("Caption", StyleType::Paragraph)
                .name("caption")
                .size(16)
                .italic(),
        )
}

/// `text` without the characters XML 1.0 cannot carry (controls other than tab and line
/// breaks, U+FFFE, U+FFFF).
fn clean(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            (!c.is_control() || matches!(c, '\n' | '\t')) && !matches!(c, '\u{fffe}' | '\u{ffff}')
        })
        .collect()
}

/// `text` as a run, its line breaks kept.
fn run(text: &str) -> Run {
    let mut run = Run::new();
    for (i, line) in clean(text).split('\n').enumerate() {
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        run = run.add_text(line);
    }
    run
}

fn para(text: &str) -> Paragraph {
    Paragraph::new().add_run(run(text))
}

fn styled(text: &str, style: &str) -> Part {
    Part::from(para(text).style(style))
}

fn heading(text: &str) -> Part {
    styled(text, "Heading1")
}

fn marking_paragraph(marking: &str) -> Paragraph {
    Paragraph::new().add_run(run(marking).bold())
}

/// The marking, then `page N of M`.
fn footer_paragraph(marking: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(marking).bold())
        .add_run(Run::new().add_text(" — page "))
        .add_page_num(PageNum::new())
        .add_run(Run::new().add_text(" of "))
        .add_num_pages(NumPages::new())
}

/// A table as wide as the page: `heads` with their shares of the width, on grey, then `rows`.
fn table(heads: &[(&str, usize)], rows: Vec<Vec<String>>) -> Part {
    let total: usize = heads.iter().map(|(_, share)| share).sum::<usize>().max(1);
    let widths: Vec<usize> = heads
        .iter()
        .map(|(_, share)| BODY_W * share / total)
        .collect();
    let cell = |text: &str, width: usize| {
        TableCell::new()
            .add_paragraph(para(text))
            .width(width, WidthType::Dxa)
    };
    let head = TableRow::new(
        heads
            .iter()
            .zip(&widths)
            .map(|((h, _), w)| {
                TableCell::new()
                    .add_paragraph(Paragraph::new().add_run(run(h).bold()))
                    .width(*w, WidthType::Dxa)
                    .shading(Shading::new().fill(HEAD_FILL))
            })
            .collect(),
    );
    let body = rows.into_iter().map(|row| {
        TableRow::new(
            row.iter()
                .zip(&widths)
                .map(|(text, w)| cell(text, *w))
                .collect(),
        )
    });
    Part::Table(Box::new(
        Table::new(std::iter::once(head).chain(body).collect())
            .set_grid(widths)
            .width(BODY_W, WidthType::Dxa),
    ))
}

/// The paper, section by section, in the PDF's order.
fn body(b: &Briefing) -> Result<Vec<Part>, ExportError> {
    let mut out = opening(b);
    out.extend(for_partner(b));
    out.extend(since(b));
    out.push(heading("Key actors"));
    if b.actors.is_empty() {
        out.push(Part::from(para("No actors recorded.")));
    } else {
        out.push(table(
            &[
                ("Actor", 22),
                ("Kind", 16),
                ("Stance", 10),
                ("Influence", 10),
                ("Interests", 32),
            ],
            b.actors
                .iter()
                .map(|a| {
                    vec![
                        a.name.clone(),
                        a.kind.clone(),
                        a.stance.clone(),
                        a.influence.clone(),
                        a.interests.clone(),
                    ]
                })
                .collect(),
        ));
    }
    out.push(heading(&format!("Timeline since {}", b.period_start)));
    out.push(events(&b.recent, "No events in this period."));
    out.push(styled("Next threshold moments", "Heading2"));
    out.push(events(
        &b.thresholds,
        "No threshold moment is recorded after the as-of date.",
    ));
    if let Some(svg) = &b.map {
        out.push(heading("Where"));
        out.push(map(svg)?);
        out.push(styled(MAP_CAPTION, "Caption"));
    }
    out.push(heading("Who does what"));
    out.extend(matrix(&b.matrix));
    out.extend(closing(b));
    Ok(out)
}

/// Title, place and date, summary and counts.
fn opening(b: &Briefing) -> Vec<Part> {
    let mut out = vec![styled(&b.title, "Title")];
    let mut facts = vec![format!("As of {}", b.as_of)];
    if !b.countries.is_empty() {
        facts.push(b.countries.join(", "));
    }
    if !b.region.trim().is_empty() {
        facts.push(b.region.clone());
    }
    out.push(Part::from(
        Paragraph::new().add_run(run(&facts.join(" · ")).italic()),
    ));
    for paragraph in b.summary.split("\n\n").filter(|p| !p.trim().is_empty()) {
        out.push(Part::from(para(paragraph.trim())));
    }
    let c = &b.counts;
    let mut counts = format!(
        "{} actors, {} partners, {} lines of effort, {} assignments, {} events.",
        c.actors, c.partners, c.lines, c.assignments, c.events
    );
    if let Some(lag) = b.median_lag_days {
        counts.push_str(&format!(
            " Median time from a warning sign to its first answer: {lag:.0} days."
        ));
    }
    out.push(Part::from(para(&counts)));
    out
}

/// A paper for one partner: its lines and roles, then its next steps.
fn for_partner(b: &Briefing) -> Vec<Part> {
    let Some(p) = &b.for_partner else {
        return Vec::new();
    };
    let mut out = vec![
        heading(&format!("For {}", p.name)),
        Part::from(para(&super::partner::sentence(p))),
    ];
    if !p.lines.is_empty() {
        out.push(table(
            &[
                ("Line of effort", 26),
                ("Its role", 13),
                ("Status", 9),
                ("Others on this line", 26),
            ],
            p.lines
                .iter()
                .map(|l| {
                    vec![
                        format!("{} ({})", l.line, l.instrument),
                        l.role.clone(),
                        l.status.clone(),
                        l.others.join("\n"),
                    ]
                })
                .collect(),
        ));
    }
    out.push(styled(&format!("Next steps for {}", p.name), "Heading2"));
    if p.next_steps.is_empty() {
        out.push(Part::from(para("None ahead.")));
    } else {
        out.push(table(
            &[("When", 13), ("Step", 40)],
            p.next_steps
                .iter()
                .map(|s| vec![s.when.clone(), s.text.clone()])
                .collect(),
        ));
    }
    out
}

/// Events as a table (date, kind, event and its notes, who and where), or `none`.
fn events(events: &[EventEntry], none: &str) -> Part {
    if events.is_empty() {
        return Part::from(para(none));
    }
    table(
        &[("Date", 12), ("Kind", 11), ("Event", 30), ("Involved", 19)],
        events
            .iter()
            .map(|e| {
                let mut title = e.title.clone();
                if !e.notes.trim().is_empty() {
                    title.push('\n');
                    title.push_str(e.notes.trim());
                }
                let mut who = e.involved.join(", ");
                if !e.place.is_empty() {
                    if !who.is_empty() {
                        who.push('\n');
                    }
                    who.push_str(&format!("at {}", e.place));
                }
                vec![e.date.clone(), e.kind.clone(), title, who]
            })
            .collect(),
    )
}

/// The map figure, rasterised, 16 cm wide.
fn map(svg: &str) -> Result<Part, ExportError> {
    let png = super::png::rasterise(svg)
        .map_err(|e| ExportError::Docx(format!("the map figure: {e}")))?;
    let scale = f64::from(super::png::SCALE);
    let (w_px, h_px) = ((MAP_WIDTH * scale) as u32, (MAP_HEIGHT * scale) as u32);
    let w_emu = 16.0 * EMU_PER_CM;
    let h_emu = w_emu * MAP_HEIGHT / MAP_WIDTH;
    let pic = Pic::new_with_dimensions(png, w_px, h_px).size(w_emu as u32, h_emu as u32);
    Ok(Part::from(
        Paragraph::new().add_run(Run::new().add_image(pic)),
    ))
}

/// Who does what, one row per line of effort, and the roles' legend.
fn matrix(m: &Matrix) -> Vec<Part> {
    if m.rows.is_empty() {
        return vec![Part::from(para("No lines of effort recorded."))];
    }
    let rows = m
        .rows
        .iter()
        .map(|row| {
            let roles: Vec<String> = row
                .roles
                .iter()
                .map(|(partner, role, note)| {
                    if note.trim().is_empty() {
                        format!("{partner} ({role})")
                    } else {
                        format!("{partner} ({role}): {}", note.trim())
                    }
                })
                .collect();
            let roles = if roles.is_empty() {
                "—".to_owned()
            } else {
                roles.join("\n")
            };
            vec![
                format!("{} ({})", row.line, row.instrument),
                row.status.clone(),
                roles,
            ]
        })
        .collect();
    vec![
        table(
            &[
                ("Line of effort", 30),
                ("Status", 10),
                ("Partners and roles", 40),
            ],
            rows,
        ),
        Part::from(para(&format!("Roles: {ROLE_LEGEND}"))),
    ]
}

/// Open problems, next steps, and the shortened texts in full.
/// "Since …": what changed since an earlier state, each group under its own heading.
fn since(b: &Briefing) -> Vec<Part> {
    let Some(since) = &b.since else {
        return Vec::new();
    };
    let mut out = vec![heading(&since.title)];
    if since.empty {
        out.push(Part::from(para(crate::analysis::diff::NO_CHANGE)));
    }
    for group in &since.groups {
        out.push(styled(group.title, "Heading2"));
        out.extend(
            group
                .lines
                .iter()
                .map(|line| Part::from(para(&format!("• {line}")))),
        );
    }
    out
}

fn closing(b: &Briefing) -> Vec<Part> {
    let mut out = vec![heading("Open problems")];
    if b.problems.is_empty() {
        out.push(Part::from(para("No open problems.")));
    }
    out.extend(
        b.problems
            .iter()
            .map(|p| Part::from(para(&format!("• {}", p.text)))),
    );
    out.push(heading("Next steps"));
    if b.next_steps.is_empty() {
        out.push(Part::from(para("No next steps recorded.")));
    } else {
        out.push(table(
            &[("When", 13), ("Step", 40)],
            b.next_steps
                .iter()
                .map(|s| vec![s.when.clone(), s.text.clone()])
                .collect(),
        ));
    }
    if !b.full_texts.is_empty() {
        out.push(heading(SECTION_TITLE));
        for (i, text) in b.full_texts.iter().enumerate() {
            out.push(Part::from(para(&format!("{} {text}", marker(i + 1)))));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_loses_what_xml_cannot_carry_and_keeps_its_lines() {
        assert_eq!(clean("a\u{1}b\u{7f}c\u{fffe}d\te\nf"), "abcd\te\nf");
    }

    #[test]
    fn tables_share_the_page_width() {
        let Part::Table(_) = table(&[("A", 1), ("B", 3)], vec![vec!["x".into(), "y".into()]])
        else {
            panic!("a table");
        };
        assert_eq!(BODY_W, 9_638);
    }
}
