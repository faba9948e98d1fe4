//! Who-does-what ("3W") sheets tagged with HXL hashtags.
//!
//! The hashtag row is the first row whose non-empty cells all start with `#` — the first
//! row of the file, or the row under one or more header rows. Columns are found by tag
//! and attributes, never by position or header text: `#org+name+impl` and
//! `#org+impl+name` are the same column. A column Tandem does not read (another hashtag,
//! none, a second `#activity+name`) is listed in the preview with its filled cells.
//!
//! | Hashtag | Becomes |
//! |---|---|
//! | `#org` (`+name`, `+code`, `+acronym`, `+type`) | a partner, merged with an existing one by code (its id or acronym), name or acronym; an organisation given by its acronym alone is named by it |
//! | `#org+type` | the category of its own organisation column, by keywords: UN, subregional, regional, government / member state / donor, IFI / bank, NGO / civil society (the default); Tandem's own category labels are matched exactly |
//! | `#activity+code`, `#activity+name` | a line of effort; its id is derived from the code (else the name) |
//! | `#sector` | the line's instrument when it names one (e.g. "Good offices"), else the line's sector (instrument Other) |
//! | `#status` | the line's status: planned, active / ongoing, paused / suspended, completed / closed, cancelled |
//! | `#date+start`, `#date+end` | the line's dates; `2009` and `2009-10` stay partial |
//! | `#country+code` | added to the situation's countries |
//! | `#loc+name`, `#adm1+name`/`+code`, `#adm2+name`/`+code`, `#geo+lat`, `#geo+lon` | a place of the row's assignments (of its line when it names no organisation) |
//! | `#x_role`, `#x_step` | the partner's role on the line, as Tandem's CSV export writes it |
//!
//! **Organisations and roles.** Each `#org` column that names an organisation (see
//! [`columns`]) assigns it to the row's activity. When an `#x_role` cell is filled (`lead`,
//! `support`, `burden-sharing`, `sequential` with the step in `#x_step`, `joint`) it gives
//! the role. Otherwise the role comes from the `#org` column's attribute: `+prog`
//! (programme manager) → lead, `+impl` (implementer) → support, `+funder` or `+funding` →
//! burden-sharing; a plain `#org` → support.
//!
//! **Counts.** Every organisation cell on a row with an activity is one assignment created,
//! merged (it was already there, in the situation or on an earlier row, in the same role;
//! a place the row adds is added) or skipped; every data row
//! is imported or skipped; every row, cell and column not imported is listed with its line.

pub mod columns;
mod vocabulary;

use std::collections::HashMap;

pub use columns::Hashtag;
pub use vocabulary::{category_from_type, status_from_text};

use super::{
    Format, ImportError, ImportPlan, Planner, Row, bad_date_message, normalise_name,
    parse_partial_date, read_table,
};
use crate::model::{
    Assignment, Coordinates, Instrument, Item, ItemKind, LineOfEffort, Partner, Place, Role,
    Situation, Status, Track, ids,
};
use columns::{Columns, is_hashtag_row, role_of_attribute};
use vocabulary::{category_from_name, instrument_from_sector, role_from_cells};

/// How many rows may come before the hashtag row.
const HASHTAG_SEARCH_ROWS: usize = 25;

/// One organisation named on a row.
struct OrgCell {
    name: String,
    code: String,
    acronym: String,
    kind: String,
    role: Role,
}

impl OrgCell {
    /// What the sheet calls it: its name, else its acronym, else its code.
    fn label(&self) -> &str {
        [&self.name, &self.acronym, &self.code]
            .into_iter()
            .find(|s| !s.is_empty())
            .map_or("", |s| s.as_str())
    }
}

/// Reads a who-does-what sheet (CSV or workbook) and plans its import into `into`.
pub fn plan_hxl(bytes: &[u8], into: &Situation) -> Result<ImportPlan, ImportError> {
    plan_hxl_sheet(bytes, into, None)
}

/// As [`plan_hxl`], reading the workbook sheet `sheet` (else the first with a hashtag row).
pub fn plan_hxl_sheet(
    bytes: &[u8],
    into: &Situation,
    sheet: Option<&str>,
) -> Result<ImportPlan, ImportError> {
    let has_hashtags = |rows: &[Row]| rows.iter().take(HASHTAG_SEARCH_ROWS).any(is_hashtag_row);
    let table = read_table(bytes, sheet, &has_hashtags)?;
    let rows = table.rows;
    let Some(tag_index) = rows
        .iter()
        .take(HASHTAG_SEARCH_ROWS)
        .position(is_hashtag_row)
    else {
        return Err(ImportError::NoHashtagRow {
            searched: rows.len().min(HASHTAG_SEARCH_ROWS),
        });
    };
    let Some(tag_row) = rows.get(tag_index) else {
        return Err(ImportError::NoHashtagRow { searched: 0 });
    };
    let tags: Vec<Option<Hashtag>> = tag_row.cells.iter().map(|c| Hashtag::parse(c)).collect();
    let columns = Columns::find(&tags);
    if columns.orgs.is_empty() && columns.activity_name.is_none() && columns.activity_code.is_none()
    {
        return Err(ImportError::MissingColumns {
            line: tag_row.line,
            message: "the hashtag row has no #org or #activity column: nothing to import".into(),
        });
    }
    let mut planner = Planner::new(into, table.notices, table.source);
    let data = rows.get(tag_index + 1..).unwrap_or_default();
    let header = tag_index.checked_sub(1).and_then(|i| rows.get(i));
    list_unread_columns(&mut planner, &columns, &tags, header, tag_row.line, data);
    let mut first_seen: HashMap<(String, String), usize> = HashMap::new();
    for row in data {
        if row.is_blank() {
            continue;
        }
        planner.rows_read += 1;
        import_row(&mut planner, &columns, row, &mut first_seen);
    }
    Ok(planner.finish(Format::Hxl))
}

/// Lists each column Tandem does not read that has filled cells, with why.
fn list_unread_columns(
    planner: &mut Planner<'_>,
    columns: &Columns,
    tags: &[Option<Hashtag>],
    header: Option<&Row>,
    tag_line: usize,
    data: &[Row],
) {
    for &i in &columns.unread {
        let filled = data.iter().filter(|r| !r.cell(Some(i)).is_empty()).count();
        if filled == 0 {
            continue;
        }
        let tag = tags.get(i).and_then(Option::as_ref);
        let written = tag_row_text(tags, i);
        let title = header
            .map(|h| h.cell(Some(i)))
            .filter(|t| !t.is_empty())
            .map(|t| format!(", \"{t}\""))
            .unwrap_or_default();
        let repeated = |t: &Hashtag| {
            tags.iter()
                .take(i)
                .enumerate()
                .any(|(j, other)| other.as_ref() == Some(t) && !columns.unread.contains(&j))
        };
        let why = match tag {
            None => "it has no hashtag".to_owned(),
            Some(t) if repeated(t) => "only the first column with this hashtag is read".to_owned(),
            Some(t) if t.tag == "org" => {
                "no #org+name, +code or +acronym column for it to describe".to_owned()
            }
            Some(_) => "Tandem does not read this hashtag".to_owned(),
        };
        planner.skip_column(
            tag_line,
            format!(
                "column {} ({written}{title}): {filled} filled cell{} not imported: {why}",
                i + 1,
                if filled == 1 { "" } else { "s" }
            ),
        );
    }
}

/// A column's hashtag as the sheet wrote it, or "no hashtag".
fn tag_row_text(tags: &[Option<Hashtag>], i: usize) -> String {
    match tags.get(i).and_then(Option::as_ref) {
        Some(t) => std::iter::once(format!("#{}", t.tag))
            .chain(t.attributes.iter().cloned())
            .collect::<Vec<_>>()
            .join("+"),
        None => "no hashtag".into(),
    }
}

/// The organisations a row names; a `+type` cell beside no name is listed as not imported.
fn org_cells(
    planner: &mut Planner<'_>,
    columns: &Columns,
    row: &Row,
    explicit_role: Option<Role>,
) -> Vec<OrgCell> {
    let mut orgs = Vec::new();
    for c in &columns.orgs {
        let org = OrgCell {
            name: row.cell(c.name).to_owned(),
            code: row.cell(c.code).to_owned(),
            acronym: row.cell(c.acronym).to_owned(),
            kind: row.cell(c.kind).to_owned(),
            role: explicit_role.unwrap_or(role_of_attribute(c.role_attribute)),
        };
        if !org.label().is_empty() {
            orgs.push(org);
        } else if !org.kind.is_empty() {
            planner.skip_cell(
                row.line,
                format!(
                    "organisation type \"{}\" (column {}) names no organisation on this row",
                    org.kind,
                    c.kind.map_or(0, |k| k + 1)
                ),
            );
        }
    }
    orgs
}

fn import_row(
    planner: &mut Planner<'_>,
    columns: &Columns,
    row: &Row,
    first_seen: &mut HashMap<(String, String), usize>,
) {
    let line = row.line;
    let activity_name = row.cell(columns.activity_name);
    let activity_code = row.cell(columns.activity_code);
    let has_activity = !activity_name.is_empty() || !activity_code.is_empty();
    let role_text = row.cell(columns.role);
    let step_text = row.cell(columns.step);
    let explicit_role = match role_text {
        "" => Ok(None),
        text => role_from_cells(text, step_text).map(Some),
    };
    let orgs = org_cells(planner, columns, row, explicit_role.clone().ok().flatten());
    let skip_row = |planner: &mut Planner<'_>, message: String| {
        planner.skip(line, message);
        planner.counts.assignments.skipped += usize::from(has_activity) * orgs.len();
    };
    let explicit_role = match explicit_role {
        Ok(role) => role,
        Err(message) => return skip_row(planner, message),
    };
    if orgs.is_empty() && !has_activity {
        planner.skip(
            line,
            "no organisation (#org) and no activity (#activity) on this row",
        );
        return;
    }
    let (start, end) = match row_dates(row, columns) {
        Ok(dates) => dates,
        Err(message) => return skip_row(planner, message),
    };
    if !step_text.is_empty() && !matches!(explicit_role, Some(Role::Sequential(_))) {
        planner.skip_cell(
            line,
            format!("step \"{step_text}\" is read only with the role sequential (#x_role)"),
        );
    }
    add_countries(planner, row, columns);
    let place = row_place(planner, row, columns);
    let line_id = has_activity.then(|| {
        plan_line(
            planner,
            row,
            columns,
            activity_code,
            activity_name,
            start,
            end,
        )
    });
    if let (Some(line_id), Some(place), true) = (&line_id, &place, orgs.is_empty())
        && let Some(slot) = planner.line_mut(line_id)
        && !slot.places.contains(place)
    {
        slot.places.push(place.clone());
    }
    for org in orgs {
        let partner_id = plan_partner(planner, &org);
        if let Some(line_id) = &line_id {
            plan_assignment(
                planner,
                line,
                line_id,
                partner_id,
                &org,
                place.as_ref(),
                first_seen,
            );
        }
    }
}

/// The row's start and end dates, or why the row is skipped.
type Dates = (
    Option<crate::model::PartialDate>,
    Option<crate::model::PartialDate>,
);

fn row_dates(row: &Row, columns: &Columns) -> Result<Dates, String> {
    let mut dates = [None, None];
    for (slot, (column, what)) in dates
        .iter_mut()
        .zip([(columns.start, "start date"), (columns.end, "end date")])
    {
        let text = row.cell(column);
        if !text.is_empty() {
            *slot = Some(parse_partial_date(text).map_err(|_| bad_date_message(what, text))?);
        }
    }
    let [start, end] = dates;
    if let (Some(s), Some(e)) = (start, end)
        && e.last_day() < s.first_day()
    {
        return Err(format!("the end date {e} is before the start date {s}"));
    }
    Ok((start, end))
}

/// Adds the row's country codes to the situation's; a code that is not one is listed.
fn add_countries(planner: &mut Planner<'_>, row: &Row, columns: &Columns) {
    let country = row.cell(columns.country);
    for code in country.split([',', ';', ' ']).filter(|c| !c.is_empty()) {
        if code.len() == 3 && code.chars().all(|c| c.is_ascii_alphabetic()) {
            planner.add_country(code);
        } else {
            planner.skip_cell(
                row.line,
                format!("country code \"{code}\" is not an ISO 3166 alpha-3 code; not added"),
            );
        }
    }
}

/// Where the row's work happens, when it says more than its country; coordinates that are
/// not coordinates are listed and left out.
fn row_place(planner: &mut Planner<'_>, row: &Row, columns: &Columns) -> Option<Place> {
    let c = &columns.place;
    let located = [
        c.name,
        c.admin1,
        c.admin1_pcode,
        c.admin2,
        c.admin2_pcode,
        c.lat,
        c.lon,
    ]
    .into_iter()
    .any(|column| !row.cell(column).is_empty());
    if !located {
        return None;
    }
    let text = |column| row.cell(column).to_owned();
    let (lat, lon) = (row.cell(c.lat), row.cell(c.lon));
    let coordinates = match (lat.is_empty(), lon.is_empty()) {
        (true, true) => None,
        (false, false) => match Coordinates::parse(lat, lon) {
            Ok(at) => Some(at),
            Err(err) => {
                planner.skip_cell(row.line, format!("{err}; the place is kept without them"));
                None
            }
        },
        _ => {
            planner.skip_cell(
                row.line,
                "a latitude without a longitude, or the reverse: the place is kept without them",
            );
            None
        }
    };
    let mut place = Place {
        name: text(c.name),
        admin1: text(c.admin1),
        admin1_pcode: text(c.admin1_pcode),
        admin2: text(c.admin2),
        admin2_pcode: text(c.admin2_pcode),
        coordinates,
        ..Place::default()
    };
    if place.is_empty() {
        return None;
    }
    let country = row.cell(columns.country);
    if country.len() == 3 && country.chars().all(|c| c.is_ascii_alphabetic()) {
        place.country = country.to_ascii_uppercase();
    }
    Some(place)
}

/// Assigns the row's organisation to its line (see the module documentation for the counts).
fn plan_assignment(
    planner: &mut Planner<'_>,
    line: usize,
    line_id: &str,
    partner_id: String,
    org: &OrgCell,
    place: Option<&Place>,
    first_seen: &mut HashMap<(String, String), usize>,
) {
    // Borrowed, not cloned: an assignment repeated on many rows gathers many places.
    let existing = planner
        .assignment(line_id, &partner_id)
        .map(|a| (a.role, place.filter(|p| !a.places.contains(p)).cloned()));
    let key = (line_id.to_owned(), partner_id.clone());
    if let Some(first) = first_seen.get(&key).copied() {
        let Some((role, new_place)) = existing else {
            return;
        };
        if role != org.role {
            planner.counts.assignments.skipped += 1;
            planner.skip_cell(
                line,
                format!(
                    "{} on {line_id} is {} here but {} on line {first}: the first is kept",
                    org.label(),
                    org.role.describe(),
                    role.describe()
                ),
            );
        } else {
            // The same organisation in the same role again (3W sheets repeat the lead on each
            // implementer's row, and an activity once per area): nothing is lost.
            planner.counts.assignments.merged += 1;
            if let Some(new_place) = new_place {
                planner.add_assignment_place(line_id, &partner_id, new_place);
            }
        }
        return;
    }
    first_seen.insert(key, line);
    match existing {
        Some((role, new_place)) => {
            planner.counts.assignments.merged += 1;
            if role != org.role {
                planner.notice(
                    line,
                    format!(
                        "{partner_id} on {line_id} changes from {} to {}",
                        role.describe(),
                        org.role.describe()
                    ),
                );
                if let Some(existing) = planner.assignment(line_id, &partner_id).cloned() {
                    planner.assign(Assignment {
                        role: org.role,
                        ..existing
                    });
                }
            }
            if let Some(new_place) = new_place {
                planner.add_assignment_place(line_id, &partner_id, new_place);
            }
        }
        None => {
            planner.counts.assignments.created += 1;
            planner.assign(Assignment {
                line: line_id.to_owned(),
                partner: partner_id,
                role: org.role,
                note: String::new(),
                sensitivity: planner.into.sensitivity,
                places: place.into_iter().cloned().collect(),
            });
        }
    }
}

/// Finds or creates the line of effort of a row and returns its id.
fn plan_line(
    planner: &mut Planner<'_>,
    row: &Row,
    columns: &Columns,
    code: &str,
    name: &str,
    start: Option<crate::model::PartialDate>,
    end: Option<crate::model::PartialDate>,
) -> String {
    let line = row.line;
    let status_text = row.cell(columns.status);
    let status = if status_text.is_empty() {
        None
    } else {
        let status = status_from_text(status_text);
        if status.is_none() {
            planner.notice(
                line,
                format!(
                    "status \"{status_text}\" is not known (expected planned, active, paused, completed or cancelled); the line is marked active"
                ),
            );
        }
        status
    };
    let code_id = (!code.is_empty()).then(|| ids::slug(code, "line"));
    let norm = normalise_name(name);
    let found = [
        (!code.is_empty()).then(|| format!("id:{code}")),
        code_id.as_ref().map(|id| format!("id:{id}")),
        (!norm.is_empty()).then(|| format!("name:{norm}")),
    ]
    .into_iter()
    .flatten()
    .find_map(|key| planner.find_key(ItemKind::Line, &key).map(str::to_owned));
    let sector = row.cell(columns.sector);
    if let Some(id) = found {
        planner.mark_merged(ItemKind::Line, &id);
        let Some(existing) = planner.line(&id).cloned() else {
            return id;
        };
        let mut filled = existing.clone();
        if filled.start.is_none() {
            filled.start = start;
        }
        if filled.end.is_none() {
            filled.end = end;
        }
        match instrument_from_sector(sector) {
            Some(instrument) if filled.instrument == Instrument::Other => {
                filled.instrument = instrument;
            }
            None if filled.sector.is_empty() => sector.clone_into(&mut filled.sector),
            _ => {}
        }
        if filled != existing
            && let Some(slot) = planner.line_mut(&id)
        {
            *slot = filled;
        }
        return id;
    }
    let title = if name.is_empty() { code } else { name };
    let id = match code_id {
        Some(id) if !planner.has_id(&id) => id,
        Some(_) => planner.fresh_id(code, "line"),
        None => planner.fresh_id(name, "line"),
    };
    let instrument = instrument_from_sector(sector);
    planner.create(Item::Line(LineOfEffort {
        id: id.clone(),
        title: title.to_owned(),
        instrument: instrument.unwrap_or(Instrument::Other),
        sector: if instrument.is_some() {
            String::new()
        } else {
            sector.to_owned()
        },
        track: Track::I,
        status: status.unwrap_or(Status::Active),
        start,
        end,
        actors: Vec::new(),
        notes: String::new(),
        sensitivity: planner.into.sensitivity,
        places: Vec::new(),
    }));
    id
}

/// Finds or creates the partner an `#org` cell names and returns its id.
fn plan_partner(planner: &mut Planner<'_>, org: &OrgCell) -> String {
    let code_norm = normalise_name(&org.code);
    let code_slug = ids::slug(&org.code, "");
    let name_norm = normalise_name(&org.name);
    let acronym_norm = normalise_name(&org.acronym);
    let by_code = [
        format!("id:{}", org.code),
        format!("id:{code_slug}"),
        format!("acr:{code_norm}"),
    ];
    let by_name = [format!("name:{name_norm}"), format!("acr:{name_norm}")];
    let by_acronym = [format!("acr:{acronym_norm}")];
    let found = [
        (!org.code.is_empty(), &by_code[..]),
        (!name_norm.is_empty(), &by_name[..]),
        (!acronym_norm.is_empty(), &by_acronym[..]),
    ]
    .into_iter()
    .filter(|(usable, _)| *usable)
    .flat_map(|(_, keys)| keys.iter())
    .find_map(|key| planner.find_key(ItemKind::Partner, key).map(str::to_owned));
    if let Some(id) = found {
        planner.mark_merged(ItemKind::Partner, &id);
        complete_partner(planner, &id, org);
        return id;
    }
    let name = org.label().to_owned();
    let basis = [&org.code, &org.acronym, &org.name]
        .into_iter()
        .find(|s| !s.is_empty())
        .map_or("partner", |s| s.as_str());
    let id = planner.fresh_id(basis, "partner");
    let category = if org.kind.is_empty() {
        category_from_name(&name)
    } else {
        category_from_type(&org.kind)
    };
    planner.create(Item::Partner(Partner {
        id: id.clone(),
        name,
        acronym: org.acronym.clone(),
        category,
        instruments: Vec::new(),
        notes: String::new(),
        sensitivity: planner.into.sensitivity,
    }));
    id
}

/// Fills in what a matched partner lacks: its acronym, and the full name of one this import
/// created from an acronym alone.
fn complete_partner(planner: &mut Planner<'_>, id: &str, org: &OrgCell) {
    let Some(partner) = planner.partner(id) else {
        return;
    };
    let add_acronym = partner.acronym.trim().is_empty() && !org.acronym.is_empty();
    let add_name = !org.name.is_empty()
        && !planner.existed(ItemKind::Partner, id)
        && normalise_name(&partner.name) == normalise_name(&partner.acronym)
        && normalise_name(&partner.name) != normalise_name(&org.name);
    if !add_acronym && !add_name {
        return;
    }
    if let Some(slot) = planner.partner_mut(id) {
        if add_acronym {
            slot.acronym = org.acronym.clone();
        }
        if add_name {
            slot.name = org.name.clone();
        }
    }
    if add_acronym {
        planner.add_key(
            ItemKind::Partner,
            format!("acr:{}", normalise_name(&org.acronym)),
            id,
        );
    }
    if add_name {
        planner.add_key(
            ItemKind::Partner,
            format!("name:{}", normalise_name(&org.name)),
            id,
        );
    }
}
