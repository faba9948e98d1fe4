//! Incident data in ACLED's CSV format (or a workbook with ACLED's columns).
//!
//! The first non-empty row names the columns (ACLED's standard names, in any order;
//! `event_id_cnty` and `event_date` are required). Each row becomes an incident event:
//!
//! - id: `event_id_cnty`, slugged (`GIN1234` → `gin1234`); an event with that id already
//!   in the situation is counted as merged and left as it is;
//! - title: `event_type — sub_event_type in location` ("Battles — Armed clash in Conakry");
//! - date: `event_date` as `2009-09-28` or `28 September 2009`. ACLED's `time_precision`
//!   becomes the date's own precision: 1 (the day is known) keeps the day; 3 (within the
//!   month) keeps only the month. 2 (within a week of the date) keeps the day, as Tandem has
//!   no week precision: a few days either way moves an incident within its week on the
//!   timeline and in the warning-to-action figures, no more; the preview counts such events;
//! - actors: `actor1` and `actor2` with their associated actors (`assoc_actor_1/2`, several
//!   separated by `;`), matched with the situation's actors by name or alias, by the name
//!   without its bracketed parts ("Rioters (Guinea)" → "Rioters"), and by acronym
//!   ("UFDG: Union of Democratic Forces of Guinea" ↔ "… (UFDG), Cellou Dalein Diallo"); an
//!   actor of the situation matched other than by its name or an alias gets ACLED's name
//!   as an alias. Others are created, their kind from the name ("Government of …",
//!   "Military Forces of …", "Women (…)") else from `inter1/2` (state forces → military,
//!   rebels and militias → armed group, rioters, protesters and civilians → civil society);
//! - where: `location`, `admin1`, `admin2`, `latitude`/`longitude` and `geo_precision`
//!   make the event's place, its country from `iso` (else `country`), which is also added to
//!   the situation's countries;
//! - `fatalities` → the incident's fatalities; `notes` → its description (the source's
//!   account, shared like the title); `source` → its source. The event's notes, the desk's
//!   own, stay empty.
//!
//! Columns Tandem does not read (`disorder_type`, `civilian_targeting`, `tags`, `timestamp`,
//! `admin3`…) are listed as not imported, never pasted into notes; `year`, `region` and
//! `interaction` are not listed, as the date, the country and `inter1/2` say the same.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::planner::without_brackets;
use super::{
    Format, ImportError, ImportPlan, Planner, Row, RowIssue, countries, normalise_name, read_table,
};
use crate::model::{
    Actor, ActorKind, Coordinates, Event, EventKind, GeoPrecision, Influence, Item, ItemKind,
    PartialDate, Place, Situation, Stance,
};

/// The columns Tandem reads, or needs not read because another says the same.
const READ: [&str; 24] = [
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "iso",
    "country",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "notes",
    "source",
    "fatalities",
    "year",
    "region",
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

/// What kind of actor an ACLED actor is: from its name when it says, else from its side's
/// `inter` code (numeric, as before 2024, or ACLED's words).
pub fn actor_kind(name: &str, inter: &str) -> ActorKind {
    let norm = normalise_name(&without_brackets(name));
    let has = |s: &str| norm.contains(s);
    let starts = |s: &str| norm.starts_with(s);
    if starts("government of") || starts("government") {
        return ActorKind::Government;
    }
    if has("military forces")
        || has("police forces")
        || has("armed forces")
        || has("gendarmerie")
        || has("presidential guard")
        || has("security forces")
    {
        return ActorKind::Military;
    }
    if starts("women") {
        return ActorKind::WomensGroup;
    }
    if starts("students") || starts("youth") || starts("teachers and students") {
        return ActorKind::Youth;
    }
    if starts("journalists") || starts("media") {
        return ActorKind::Media;
    }
    if has("traditional leaders") || has("elders") || has("chiefs") {
        return ActorKind::Elders;
    }
    if starts("protesters") || starts("rioters") || starts("civilians") || has("labour group") {
        return ActorKind::CivilSociety;
    }
    if has("rebel") || has("militia") || has("armed group") || starts("mutiny") {
        return ActorKind::ArmedGroup;
    }
    match normalise_name(inter).as_str() {
        "1" | "state forces" => ActorKind::Military,
        "2" | "3" | "4" | "rebel group" | "political militia" | "identity militia" => {
            ActorKind::ArmedGroup
        }
        "5" | "6" | "7" | "rioters" | "protesters" | "civilians" => ActorKind::CivilSociety,
        _ => ActorKind::Other,
    }
}

/// Where each column Tandem reads is.
struct AcledColumns {
    id: Option<usize>,
    date: Option<usize>,
    precision: Option<usize>,
    event_type: Option<usize>,
    sub_event_type: Option<usize>,
    /// (actor, associated actors, inter) of each side.
    sides: [(Option<usize>, Option<usize>, Option<usize>); 2],
    iso: Option<usize>,
    country: Option<usize>,
    admin1: Option<usize>,
    admin2: Option<usize>,
    location: Option<usize>,
    lat: Option<usize>,
    lon: Option<usize>,
    geo_precision: Option<usize>,
    notes: Option<usize>,
    source: Option<usize>,
    fatalities: Option<usize>,
}

impl AcledColumns {
    fn find(names: &[String]) -> Self {
        let column = |name: &str| names.iter().position(|n| n == name);
        Self {
            id: column("event_id_cnty"),
            date: column("event_date"),
            precision: column("time_precision"),
            event_type: column("event_type"),
            sub_event_type: column("sub_event_type"),
            sides: [
                (column("actor1"), column("assoc_actor_1"), column("inter1")),
                (column("actor2"), column("assoc_actor_2"), column("inter2")),
            ],
            iso: column("iso"),
            country: column("country"),
            admin1: column("admin1"),
            admin2: column("admin2"),
            location: column("location"),
            lat: column("latitude"),
            lon: column("longitude"),
            geo_precision: column("geo_precision"),
            notes: column("notes"),
            source: column("source"),
            fatalities: column("fatalities"),
        }
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
    let columns = AcledColumns::find(&names);
    let missing: Vec<&str> = [("event_id_cnty", columns.id), ("event_date", columns.date)]
        .into_iter()
        .filter(|(_, c)| c.is_none())
        .map(|(n, _)| n)
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
    let mut planner = Planner::new(into, table.notices, table.source);
    let data = rows.get(header_index + 1..).unwrap_or_default();
    list_unread_columns(&mut planner, &names, header.line, data);
    let mut seen = Seen::default();
    for row in data {
        if row.is_blank() {
            continue;
        }
        planner.rows_read += 1;
        import_row(&mut planner, &columns, row, &mut seen);
    }
    if seen.within_a_week > 0 {
        planner.notices.push(RowIssue {
            line: None,
            message: format!(
                "{} event{} dated by ACLED to within a week (time_precision 2): kept on ACLED's day",
                seen.within_a_week,
                if seen.within_a_week == 1 { "" } else { "s" }
            ),
        });
    }
    Ok(planner.finish(Format::Acled))
}

/// Lists each column Tandem does not read that has filled cells.
fn list_unread_columns(planner: &mut Planner<'_>, names: &[String], line: usize, data: &[Row]) {
    let interaction = names.iter().position(|n| n == "interaction");
    for (i, name) in names.iter().enumerate() {
        if READ.contains(&name.as_str()) || Some(i) == interaction {
            continue;
        }
        let filled = data.iter().filter(|r| !r.cell(Some(i)).is_empty()).count();
        if filled > 0 {
            let shown = if name.is_empty() { "(no name)" } else { name };
            planner.skip_column(
                line,
                format!(
                    "column {} ({shown}): {filled} filled cell{} not imported: Tandem does not read this column",
                    i + 1,
                    if filled == 1 { "" } else { "s" }
                ),
            );
        }
    }
}

/// What the rows read so far have shown.
#[derive(Default)]
struct Seen {
    /// The line each event id was first read on.
    first_seen: HashMap<String, usize>,
    /// Events created with a date ACLED knows only to within a week.
    within_a_week: usize,
}

fn import_row(planner: &mut Planner<'_>, columns: &AcledColumns, row: &Row, seen: &mut Seen) {
    let line = row.line;
    let skip = |planner: &mut Planner<'_>, message: String| {
        planner.skip(line, message);
        planner.counts.events.skipped += 1;
    };
    let source_id = row.cell(columns.id);
    if source_id.is_empty() {
        return skip(planner, "event_id_cnty is empty".into());
    }
    let id = crate::model::ids::slug(source_id, "acled-event");
    if let Some(first) = seen.first_seen.get(&id) {
        return skip(
            planner,
            format!("event {source_id} is already on line {first}"),
        );
    }
    seen.first_seen.insert(id.clone(), line);
    let date = match event_date(row, columns) {
        Ok(dated) => dated,
        Err(message) => return skip(planner, format!("event {source_id}: {message}")),
    };
    if row.cell(columns.precision).is_empty() {
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
    let actors = event_actors(planner, columns, row);
    let place = event_place(planner, columns, row, source_id);
    let fatalities = match row.cell(columns.fatalities) {
        "" => None,
        text => text.parse::<u32>().ok().or_else(|| {
            planner.skip_cell(
                line,
                format!("event {source_id}: fatalities \"{text}\" is not a whole number"),
            );
            None
        }),
    };
    planner.create(Item::Event(Event {
        id,
        title: event_title(columns, row, source_id),
        kind: EventKind::Incident,
        date,
        end: None,
        actors,
        partners: Vec::new(),
        lines: Vec::new(),
        answers: Vec::new(),
        source: row.cell(columns.source).to_owned(),
        notes: String::new(),
        sensitivity: planner.into.sensitivity,
        fatalities,
        place,
        description: row.cell(columns.notes).to_owned(),
    }));
    if row.cell(columns.precision) == "2" {
        seen.within_a_week += 1;
    }
}

/// The event's date, to the precision ACLED gives (a week's is kept as the day), or why the
/// row is skipped.
fn event_date(row: &Row, columns: &AcledColumns) -> Result<PartialDate, String> {
    let text = row.cell(columns.date);
    if text.is_empty() {
        return Err("event_date is empty".into());
    }
    let day = parse_acled_date(text).ok_or_else(|| {
        format!("event_date \"{text}\" is not a date (expected 2009-09-28 or 28 September 2009)")
    })?;
    match row.cell(columns.precision) {
        "" | "1" | "2" => Ok(PartialDate::from_naive(day)),
        "3" => {
            use chrono::Datelike as _;
            PartialDate::month(day.year(), day.month()).ok_or_else(|| "date out of range".into())
        }
        other => Err(format!("time_precision \"{other}\" is not 1, 2 or 3")),
    }
}

/// "Battles — Armed clash in Conakry".
fn event_title(columns: &AcledColumns, row: &Row, source_id: &str) -> String {
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
    title
}

/// Both sides' actors and their associated actors, each once, in the file's order.
fn event_actors(planner: &mut Planner<'_>, columns: &AcledColumns, row: &Row) -> Vec<String> {
    let mut actors = Vec::new();
    for (actor, associated, inter) in columns.sides {
        let inter = row.cell(inter);
        let names = std::iter::once(row.cell(actor)).chain(row.cell(associated).split(';'));
        for name in names.map(str::trim).filter(|n| !n.is_empty()) {
            let actor_id = plan_actor(planner, name, inter);
            if !actors.contains(&actor_id) {
                actors.push(actor_id);
            }
        }
    }
    actors
}

/// The event's place; its country also goes to the situation's countries. Coordinates or a
/// country that cannot be read are listed and left out.
fn event_place(
    planner: &mut Planner<'_>,
    columns: &AcledColumns,
    row: &Row,
    source_id: &str,
) -> Option<Place> {
    let line = row.line;
    let (iso, country_name) = (row.cell(columns.iso), row.cell(columns.country));
    let country = countries::alpha3(iso, country_name);
    match country {
        Some(code) => planner.add_country(code),
        None if !iso.is_empty() || !country_name.is_empty() => planner.skip_cell(
            line,
            format!(
                "event {source_id}: country \"{country_name}\" (iso {iso}) is not an ISO 3166 country"
            ),
        ),
        None => {}
    }
    let (lat, lon) = (row.cell(columns.lat), row.cell(columns.lon));
    let coordinates = if lat.is_empty() && lon.is_empty() {
        None
    } else {
        Coordinates::parse(lat, lon)
            .map_err(|err| planner.skip_cell(line, format!("event {source_id}: {err}")))
            .ok()
    };
    let precision = match row.cell(columns.geo_precision) {
        "1" => Some(GeoPrecision::Exact),
        "2" => Some(GeoPrecision::Near),
        "3" => Some(GeoPrecision::Region),
        _ => None,
    };
    let place = Place {
        name: row.cell(columns.location).to_owned(),
        country: country.unwrap_or_default().to_owned(),
        admin1: row.cell(columns.admin1).to_owned(),
        admin2: row.cell(columns.admin2).to_owned(),
        coordinates,
        precision: precision.filter(|_| coordinates.is_some()),
        ..Place::default()
    };
    (!place.is_empty()).then_some(place)
}

/// The keys an ACLED actor name is matched by: the name, without its bracketed parts, and
/// for "UFDG: Union of Democratic Forces of Guinea" the acronym and the full name.
fn name_keys(name: &str) -> Vec<String> {
    let mut keys = vec![
        normalise_name(name),
        normalise_name(&without_brackets(name)),
    ];
    if let Some((acronym, full)) = name.split_once(':') {
        let acronym = acronym.trim();
        if acronym.len() >= 2 && !acronym.contains(' ') {
            keys.push(normalise_name(acronym));
            keys.push(normalise_name(full));
            keys.push(normalise_name(&without_brackets(full)));
        }
    }
    keys.dedup();
    keys
}

/// Finds the actor an ACLED name names (see the module documentation) or creates one;
/// returns its id.
fn plan_actor(planner: &mut Planner<'_>, name: &str, inter: &str) -> String {
    let keys = name_keys(name);
    let found = keys
        .iter()
        .enumerate()
        .find_map(|(i, key)| Some((i, planner.find_key(ItemKind::Actor, key)?.to_owned())));
    if let Some((how, id)) = found {
        planner.mark_merged(ItemKind::Actor, &id);
        if how > 0 && planner.existed(ItemKind::Actor, &id) {
            planner.add_actor_alias(&id, name);
        }
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
    for key in keys {
        planner.add_key(ItemKind::Actor, key, &id);
    }
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
