//! The workbook's table sheets: "Who does what" (HXL), "Lines of effort", "Actors",
//! "Partners" and "Timeline", one row per item.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::{Book, Table, Value, next_row};
use crate::analysis::matrix::MatrixIndex;
use crate::export::csv::{HASHTAGS, HEADER, rows};
use crate::model::{Event, Situation};

/// The heads of a sheet, with "Notes" last when the notes are included.
fn heads<'h>(book: &Book, heads: &[&'h str]) -> Vec<&'h str> {
    let mut out = heads.to_vec();
    if book.notes {
        out.push("Notes");
    }
    out
}

/// `values`, with `notes` last when the notes are included.
fn with_notes<'v>(book: &Book, mut values: Vec<Value<'v>>, notes: &'v str) -> Vec<Value<'v>> {
    if book.notes {
        values.push(Value::Long(notes));
    }
    values
}

/// "Who does what": the readable heads, the HXL hashtags under them, then one row per
/// assignment — the rows of the CSV export, so that `tandem import` and HDX tools read it.
pub(super) fn who_does_what(
    book: &mut Book,
    situation: &Situation,
) -> Result<Worksheet, XlsxError> {
    let mut table = Table::new(book, "Who does what", &HEADER)?;
    for (col, tag) in (0u16..).zip(HASHTAGS) {
        table
            .sheet
            .write_string_with_format(table.row, col, tag, &book.styles.hashtag)?;
    }
    // The filter sits on the hashtags, so that filtering never hides them.
    table.head_row = table.row;
    table.row = next_row(table.row)?;
    for record in rows(situation) {
        let values: Vec<Value> = record.iter().map(|cell| Value::Text(cell)).collect();
        table.push(book, &values)?;
    }
    table.finish()
}

/// "Lines of effort": each line with its dates, leads, partners and problems.
pub(super) fn lines(
    book: &mut Book,
    situation: &Situation,
    index: &MatrixIndex,
) -> Result<Worksheet, XlsxError> {
    let names = heads(
        book,
        &[
            "Code",
            "Line of effort",
            "Instrument",
            "Sector",
            "Track",
            "Status",
            "Start",
            "End",
            "Lead",
            "Partners",
            "Actors engaged",
            "Problems",
        ],
    );
    let mut table = Table::new(book, "Lines of effort", &names)?;
    for (li, line) in situation.lines.iter().enumerate() {
        let (partners, leads) = index
            .row_summary
            .get(li)
            .map_or((0, ""), |(n, leads)| (*n, leads.as_str()));
        let actors = line
            .actors
            .iter()
            .filter_map(|id| situation.actor(id).map(|a| a.name.as_str()))
            .collect::<Vec<_>>()
            .join(", ");
        let problems = index
            .row_flags
            .get(&li)
            .map(|f| f.join("\n"))
            .unwrap_or_default();
        let values = vec![
            Value::Text(&line.id),
            Value::Long(&line.title),
            Value::Text(line.instrument.label()),
            Value::Text(&line.sector),
            Value::Text(line.track.label()),
            Value::Text(line.status.label()),
            Value::Date(line.start),
            Value::Date(line.end),
            Value::Text(leads),
            Value::Number(partners as f64),
            Value::Long(&actors),
            Value::Long(&problems),
        ];
        table.push(book, &with_notes(book, values, &line.notes))?;
    }
    table.finish()
}

/// "Actors": the parties to the crisis, as recorded.
pub(super) fn actors(book: &mut Book, situation: &Situation) -> Result<Worksheet, XlsxError> {
    let names = heads(
        book,
        &[
            "Actor",
            "Kind",
            "Stance",
            "Influence",
            "Interests",
            "Also known as",
        ],
    );
    let mut table = Table::new(book, "Actors", &names)?;
    for a in &situation.actors {
        let aliases = a.aliases.join("; ");
        let values = vec![
            Value::Long(&a.name),
            Value::Text(a.kind.label()),
            Value::Text(a.stance.label()),
            Value::Text(a.influence.label()),
            Value::Long(&a.interests),
            Value::Long(&aliases),
        ];
        table.push(book, &with_notes(book, values, &a.notes))?;
    }
    table.finish()
}

/// "Partners": the organizations that respond, with how many lines each leads and holds.
pub(super) fn partners(
    book: &mut Book,
    situation: &Situation,
    index: &MatrixIndex,
) -> Result<Worksheet, XlsxError> {
    let names = heads(
        book,
        &[
            "Partner",
            "Acronym",
            "Category",
            "Instruments",
            "Lines led",
            "Roles held",
        ],
    );
    let mut table = Table::new(book, "Partners", &names)?;
    for (pi, p) in situation.partners.iter().enumerate() {
        let (leads, roles) = index.col_summary.get(pi).copied().unwrap_or_default();
        let instruments = p
            .instruments
            .iter()
            .map(|i| i.label())
            .collect::<Vec<_>>()
            .join(", ");
        let values = vec![
            Value::Long(&p.name),
            Value::Text(&p.acronym),
            Value::Text(p.category.label()),
            Value::Long(&instruments),
            Value::Number(leads as f64),
            Value::Number(roles as f64),
        ];
        table.push(book, &with_notes(book, values, &p.notes))?;
    }
    table.finish()
}

/// The names an event involves: actors, partners (short names), lines of effort.
fn involved(situation: &Situation, event: &Event) -> String {
    let actors = event
        .actors
        .iter()
        .filter_map(|id| situation.actor(id).map(|a| a.name.as_str()));
    let partners = event
        .partners
        .iter()
        .filter_map(|id| situation.partner(id).map(|p| p.short_name()));
    let lines = event
        .lines
        .iter()
        .filter_map(|id| situation.line(id).map(|l| l.title.as_str()));
    actors
        .chain(partners)
        .chain(lines)
        .collect::<Vec<_>>()
        .join(", ")
}

/// "Timeline": every event, oldest first; dates known to the day are Excel dates.
pub(super) fn timeline(book: &mut Book, situation: &Situation) -> Result<Worksheet, XlsxError> {
    let names = heads(
        book,
        &[
            "Date",
            "End",
            "Kind",
            "Event",
            "Description",
            "Involved",
            "Fatalities",
            "Source",
        ],
    );
    let mut table = Table::new(book, "Timeline", &names)?;
    let mut events: Vec<&Event> = situation.events.iter().collect();
    events.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
    for e in events {
        let who = involved(situation, e);
        let values = vec![
            Value::Date(Some(e.date)),
            Value::Date(e.end),
            Value::Text(e.kind.label()),
            Value::Long(&e.title),
            Value::Long(&e.description),
            Value::Long(&who),
            e.fatalities
                .map_or(Value::Text(""), |n| Value::Number(f64::from(n))),
            Value::Long(&e.source),
        ];
        table.push(book, &with_notes(book, values, &e.notes))?;
    }
    table.finish()
}
