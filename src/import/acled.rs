//! Incident data in ACLED's CSV format.
//!
//! The first non-empty row names the columns (ACLED's standard names, in any order;
//! `event_id_cnty` and `event_date` are required). Each row becomes an incident event:
//!
//! - id: `event_id_cnty`, slugged (`GIN1234` → `gin1234`); an event with that id already
//!   in the situation is counted as merged and left as it is;
//! - title: `event_type — sub_event_type in location` ("Battles — Armed clash in Conakry");
//! - date: `event_date` as `2009-09-28` or `28 September 2009`. ACLED's `time_precision`
//!   1 (the day is known) keeps the day; 2 (within a week of the date) keeps the day and
//!   says so in the notes; 3 (within the month) keeps only the month, and says so;
//! - actors: `actor1` and `actor2`, matched by name (without case or accents) or created;
//!   "Military/Police Forces of …" become military / security forces, protesters and
//!   rioters civil society, rebels and militias armed groups, others "Other";
//! - `source` → the event's source; ACLED's `notes` and every column Tandem does not model
//!   (`admin1`, `location`, `fatalities`, `latitude`, …) go into the event's notes as
//!   `key: value` lines.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::planner::without_brackets;
use super::{Format, ImportError, ImportPlan, Planner, Row, normalise_name, read_table};
use crate::model::{
    Actor, ActorKind, Event, EventKind, Influence, Item, ItemKind, PartialDate, Situation, Stance,
};

/// Columns whose content Tandem models itself; every other column goes into the notes.
const MODELLED: [&str; 9] = [
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "notes",
    "source",
];

/// Reads an ACLED `event_date`: `2009-09-28`, `28 September 2009`, `28-Sep-2009`, `September 28, 2009`.
pub fn parse_acled_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    [
        "%Y-%m-%d",
        "%d %B %Y",
        "%d-%B-%Y",
        "%d %b %Y",
        "%d-%b-%Y",
        "%B %d, %Y",
        "%b %d, %Y",
        "%d/%m/%Y",
    ]
    .iter()
    .find_map(|f| NaiveDate::parse_from_str(text, f).ok())
    .or_else(|| {
        let (date, _) = text.split_once(['T', ' '])?;
        NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()
    })
}

/// Guesses what kind of actor an ACLED actor is from its name and its `inter` code.
pub fn actor_kind(name: &str, inter: &str) -> ActorKind {
    let norm = normalise_name(name);
    let has = |s: &str| norm.contains(s);
    if has("military forces") || has("police forces") || has("armed forces") || has("gendarmerie") {
        return ActorKind::Military;
    }
    if has("protester") || has("rioter") || has("civilians") {
        return ActorKind::CivilSociety;
    }
    if has("rebel") || has("militia") {
        return ActorKind::ArmedGroup;
    }
    let inter = normalise_name(inter);
    match inter.as_str() {
        "1" | "state forces" => ActorKind::Military,
        "2" | "3" | "4" | "rebel group" | "political militia" | "identity militia" => {
            ActorKind::ArmedGroup
        }
        "5" | "6" | "7" | "rioters" | "protesters" | "civilians" => ActorKind::CivilSociety,
        _ => ActorKind::Other,
    }
}

/// Reads an ACLED extract (CSV or workbook) and plans its import into `into`.
pub fn plan_acled(bytes: &[u8], into: &Situation) -> Result<ImportPlan, ImportError> {
    plan_acled_sheet(bytes, into, None)
}

/// As [`plan_acled`], reading the workbook sheet `sheet` (else the first with ACLED's
/// columns).
pub fn plan_acled_sheet(
    bytes: &[u8],
    into: &Situation,
    sheet: Option<&str>,
) -> Result<ImportPlan, ImportError> {
    let has_columns = |rows: &[Row]| {
        rows.iter()
            .find(|r| !r.is_blank())
            .is_some_and(|r| r.cells.iter().any(|c| c.trim() == "event_id_cnty"))
    };
    let table = read_table(bytes, sheet, &has_columns)?;
    let rows = table.rows;
    let Some(header_index) = rows.iter().position(|r| !r.is_blank()) else {
        return Err(ImportError::Empty);
    };
    let Some(header) = rows.get(header_index) else {
        return Err(ImportError::Empty);
    };
    let names: Vec<String> = header
        .cells
        .iter()
        .map(|c| c.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let column = |name: &str| names.iter().position(|n| n == name);
    let missing: Vec<&str> = ["event_id_cnty", "event_date"]
        .into_iter()
        .filter(|n| column(n).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(ImportError::MissingColumns {
            line: header.line,
            message: format!(
                "the header row has no {} column: is this an ACLED extract?",
                missing.join(" or ")
            ),
        });
    }
    let columns = AcledColumns {
        id: column("event_id_cnty"),
        date: column("event_date"),
        precision: column("time_precision"),
        event_type: column("event_type"),
        sub_event_type: column("sub_event_type"),
        actor1: column("actor1"),
        actor2: column("actor2"),
        inter1: column("inter1"),
        inter2: column("inter2"),
        location: column("location"),
        notes: column("notes"),
        source: column("source"),
        names,
    };
    let mut planner = Planner::new(into, table.notices, table.source);
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    for row in rows.iter().skip(header_index + 1) {
        if row.is_blank() {
            continue;
        }
        planner.rows_read += 1;
        import_row(&mut planner, &columns, row, &mut first_seen);
    }
    Ok(planner.finish(Format::Acled))
}

struct AcledColumns {
    id: Option<usize>,
    date: Option<usize>,
    precision: Option<usize>,
    event_type: Option<usize>,
    sub_event_type: Option<usize>,
    actor1: Option<usize>,
    actor2: Option<usize>,
    inter1: Option<usize>,
    inter2: Option<usize>,
    location: Option<usize>,
    notes: Option<usize>,
    source: Option<usize>,
    names: Vec<String>,
}

fn import_row(
    planner: &mut Planner<'_>,
    columns: &AcledColumns,
    row: &Row,
    first_seen: &mut HashMap<String, usize>,
) {
    let line = row.line;
    let skip = |planner: &mut Planner<'_>, message: String| {
        planner.skip(line, message);
        planner.counts.events.skipped += 1;
    };
    let source_id = row.cell(columns.id);
    if source_id.is_empty() {
        skip(planner, "event_id_cnty is empty".into());
        return;
    }
    let id = crate::model::ids::slug(source_id, "acled-event");
    if let Some(first) = first_seen.get(&id) {
        skip(
            planner,
            format!("event {source_id} is already on line {first}"),
        );
        return;
    }
    first_seen.insert(id.clone(), line);
    let date_text = row.cell(columns.date);
    if date_text.is_empty() {
        skip(planner, format!("event {source_id}: event_date is empty"));
        return;
    }
    let Some(day) = parse_acled_date(date_text) else {
        skip(
            planner,
            format!(
                "event {source_id}: event_date \"{date_text}\" is not a date (expected 2009-09-28 or 28 September 2009)"
            ),
        );
        return;
    };
    let precision_text = row.cell(columns.precision);
    let (date, precision_note) = match precision_text {
        "" | "1" => (PartialDate::from_naive(day), None),
        "2" => (
            PartialDate::from_naive(day),
            Some("ACLED time precision 2: within a week of this date".to_owned()),
        ),
        "3" => {
            use chrono::Datelike as _;
            let Some(month) = PartialDate::month(day.year(), day.month()) else {
                skip(planner, format!("event {source_id}: date out of range"));
                return;
            };
            (
                month,
                Some(format!(
                    "ACLED time precision 3: within the month (ACLED gives {day}; kept as {month})"
                )),
            )
        }
        other => {
            skip(
                planner,
                format!("event {source_id}: time_precision \"{other}\" is not 1, 2 or 3"),
            );
            return;
        }
    };
    if precision_text.is_empty() {
        planner.notice(
            line,
            format!("event {source_id}: no time_precision; the day is taken as exact"),
        );
    }
    if planner.has(ItemKind::Event, &id) {
        planner.mark_merged(ItemKind::Event, &id);
        return;
    }
    let id = if planner.has_id(&id) {
        planner.fresh_id(&format!("acled {id}"), "acled-event")
    } else {
        id
    };
    let mut actors = Vec::new();
    for (name_col, inter_col) in [
        (columns.actor1, columns.inter1),
        (columns.actor2, columns.inter2),
    ] {
        let name = row.cell(name_col);
        if name.is_empty() {
            continue;
        }
        let actor_id = plan_actor(planner, name, row.cell(inter_col));
        if !actors.contains(&actor_id) {
            actors.push(actor_id);
        }
    }
    let event_type = row.cell(columns.event_type);
    let sub_event_type = row.cell(columns.sub_event_type);
    let location = row.cell(columns.location);
    let mut title = match (event_type, sub_event_type) {
        ("", "") => format!("ACLED event {source_id}"),
        (t, "") | ("", t) => t.to_owned(),
        (t, s) if normalise_name(t) == normalise_name(s) => t.to_owned(),
        (t, s) => format!("{t} — {s}"),
    };
    if !location.is_empty() {
        title.push_str(&format!(" in {location}"));
    }
    let mut notes = Vec::new();
    notes.extend(precision_note);
    let acled_notes = row.cell(columns.notes);
    if !acled_notes.is_empty() {
        notes.push(acled_notes.to_owned());
    }
    let kept: Vec<String> = columns
        .names
        .iter()
        .enumerate()
        .filter(|(_, name)| !name.is_empty() && !MODELLED.contains(&name.as_str()))
        .filter_map(|(i, name)| {
            let value = row.cell(Some(i));
            (!value.is_empty()).then(|| format!("{name}: {value}"))
        })
        .collect();
    if !kept.is_empty() {
        notes.push(kept.join("\n"));
    }
    planner.create(Item::Event(Event {
        id,
        title,
        kind: EventKind::Incident,
        date,
        end: None,
        actors,
        partners: Vec::new(),
        lines: Vec::new(),
        answers: Vec::new(),
        source: row.cell(columns.source).to_owned(),
        notes: notes.join("\n\n"),
        sensitivity: planner.into.sensitivity,
        fatalities: None,
        place: None,
        description: String::new(),
    }));
}

/// Finds an actor by name or alias (else by its name without bracketed parts, among the
/// situation's own actors) or creates one; returns its id.
fn plan_actor(planner: &mut Planner<'_>, name: &str, inter: &str) -> String {
    let found = planner
        .find_key(ItemKind::Actor, &normalise_name(name))
        .or_else(|| planner.find_key(ItemKind::Actor, &normalise_name(&without_brackets(name))))
        .map(str::to_owned);
    if let Some(id) = found {
        planner.mark_merged(ItemKind::Actor, &id);
        return id;
    }
    let id = planner.fresh_id(name, "actor");
    planner.create(Item::Actor(Actor {
        id: id.clone(),
        name: name.to_owned(),
        aliases: Vec::new(),
        kind: actor_kind(name, inter),
        stance: Stance::Unknown,
        influence: Influence::Low,
        place: None,
        interests: String::new(),
        notes: "Imported from ACLED data; stance and influence not yet assessed.".into(),
        sensitivity: planner.into.sensitivity,
    }));
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acled_dates_in_both_forms() {
        let day = NaiveDate::from_ymd_opt(2009, 9, 28);
        assert_eq!(parse_acled_date("2009-09-28"), day);
        assert_eq!(parse_acled_date("28 September 2009"), day);
        assert_eq!(parse_acled_date("28-Sep-2009"), day);
        assert_eq!(parse_acled_date("31 September 2009"), None);
        assert_eq!(parse_acled_date("soon"), None);
    }

    #[test]
    fn actor_kinds_from_names() {
        assert_eq!(
            actor_kind("Military Forces of Guinea (2008-2010)", ""),
            ActorKind::Military
        );
        assert_eq!(
            actor_kind("Protesters (Guinea)", ""),
            ActorKind::CivilSociety
        );
        assert_eq!(actor_kind("Rioters (Guinea)", "5"), ActorKind::CivilSociety);
        assert_eq!(
            actor_kind("Unidentified Armed Group", "3"),
            ActorKind::ArmedGroup
        );
        assert_eq!(actor_kind("Someone", ""), ActorKind::Other);
    }
}
