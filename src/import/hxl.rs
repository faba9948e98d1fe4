//! Who-does-what ("3W") sheets tagged with HXL hashtags.
//!
//! The hashtag row is the first row whose non-empty cells all start with `#` — the first
//! row of the file, or the row under one or more header rows. Columns are found by tag
//! and attributes, never by position or header text: `#org+name+impl` and
//! `#org+impl+name` are the same column, and columns with other tags are ignored.
//!
//! | Hashtag | Becomes |
//! |---|---|
//! | `#org` (`+name`, `+code`, `+acronym`, `+type`) | a partner, merged with an existing one by code (its id or acronym) or by name |
//! | `#org+type` | the partner's category, by keywords: UN, subregional, regional, government / member state / donor, IFI / bank, NGO / civil society (the default); Tandem's own category labels are matched exactly |
//! | `#activity+code`, `#activity+name` | a line of effort; its id is derived from the code (else the name) |
//! | `#sector` | the line's instrument when it names one (e.g. "Good offices"), else Other with the sector in the notes |
//! | `#status` | the line's status: planned, active / ongoing, paused / suspended, completed / closed, cancelled |
//! | `#date+start`, `#date+end` | the line's dates; `2009` and `2009-10` stay partial |
//! | `#country+code` | added to the situation's countries |
//! | `#x_role`, `#x_step` | the partner's role on the line, as Tandem's CSV export writes it |
//!
//! **Roles.** When an `#x_role` cell is filled (`lead`, `support`, `burden-sharing`,
//! `sequential` with the step in `#x_step`, `joint`) it gives the role. Otherwise the role
//! comes from the `#org` column's attribute: `+prog` (programme manager) → lead, `+impl`
//! (implementer) → support, `+funder` or `+funding` → burden-sharing; a plain `#org` →
//! support. A sheet may have several `#org` columns, one per role; each filled one
//! assigns its organisation to the row's activity.

use std::collections::{BTreeSet, HashMap};

use super::{
    Format, ImportError, ImportPlan, Planner, Row, bad_date_message, normalise_name,
    parse_partial_date, read_table,
};
use crate::model::{
    Assignment, Instrument, Item, ItemKind, LineOfEffort, Partner, PartnerCategory, Role,
    Situation, Status, Track, ids,
};

/// How many rows may come before the hashtag row.
const HASHTAG_SEARCH_ROWS: usize = 25;

/// A parsed hashtag: `#org+impl+name` → tag `org`, attributes {impl, name}.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hashtag {
    pub tag: String,
    pub attributes: BTreeSet<String>,
}

impl Hashtag {
    /// Parses one hashtag cell; `None` when it is not a hashtag.
    pub fn parse(cell: &str) -> Option<Self> {
        let cell = cell.trim();
        let rest = cell.strip_prefix('#')?;
        let mut parts = rest.split('+').map(|p| p.trim().to_ascii_lowercase());
        let tag = parts.next().filter(|t| !t.is_empty())?;
        Some(Self {
            tag,
            attributes: parts.filter(|p| !p.is_empty()).collect(),
        })
    }

    fn has(&self, attribute: &str) -> bool {
        self.attributes.contains(attribute)
    }
}

/// Whether a row is a hashtag row: some cells filled, every filled cell a hashtag.
fn is_hashtag_row(row: &Row) -> bool {
    let filled: Vec<&str> = row
        .cells
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    !filled.is_empty() && filled.iter().all(|c| Hashtag::parse(c).is_some())
}

const ROLE_ATTRIBUTES: [&str; 4] = ["prog", "impl", "funder", "funding"];
const ORG_FIELDS: [&str; 5] = ["name", "code", "id", "acronym", "type"];

/// The role an `#org` column's attribute implies.
fn role_of_attribute(attribute: Option<&str>) -> Role {
    match attribute {
        Some("prog") => Role::Lead,
        Some("funder" | "funding") => Role::BurdenSharing,
        _ => Role::Support,
    }
}

/// The `#org` columns that describe one organisation per row.
#[derive(Clone, Debug, Default)]
struct OrgColumns {
    role_attribute: Option<&'static str>,
    name: Option<usize>,
    code: Option<usize>,
    acronym: Option<usize>,
    kind: Option<usize>,
}

/// Where each column Tandem reads is.
#[derive(Debug, Default)]
struct Columns {
    orgs: Vec<OrgColumns>,
    activity_name: Option<usize>,
    activity_code: Option<usize>,
    sector: Option<usize>,
    status: Option<usize>,
    start: Option<usize>,
    end: Option<usize>,
    country: Option<usize>,
    role: Option<usize>,
    step: Option<usize>,
}

impl Columns {
    fn find(tags: &[Option<Hashtag>]) -> Self {
        let column = |pred: &dyn Fn(&Hashtag) -> bool| {
            tags.iter().position(|t| t.as_ref().is_some_and(&pred))
        };
        let role_attribute = |t: &Hashtag| -> Option<&'static str> {
            ROLE_ATTRIBUTES
                .into_iter()
                .find(|a| t.has(a))
                .map(|a| if a == "funding" { "funder" } else { a })
        };
        let mut orgs: Vec<OrgColumns> = Vec::new();
        for group in [None, Some("prog"), Some("impl"), Some("funder")] {
            let in_group = |t: &Hashtag| t.tag == "org" && role_attribute(t) == group;
            let columns = OrgColumns {
                role_attribute: group,
                name: column(&|t| {
                    in_group(t) && (t.has("name") || !ORG_FIELDS.iter().any(|f| t.has(f)))
                }),
                code: column(&|t| in_group(t) && (t.has("code") || t.has("id"))),
                acronym: column(&|t| in_group(t) && t.has("acronym")),
                kind: column(&|t| in_group(t) && t.has("type")),
            };
            orgs.push(columns);
        }
        let shared = orgs.first().cloned().unwrap_or_default();
        let orgs = orgs
            .into_iter()
            .filter(|o| o.name.is_some() || o.code.is_some())
            .map(|mut o| {
                if o.role_attribute.is_some() {
                    o.kind = o.kind.or(shared.kind);
                    o.acronym = o.acronym.or(shared.acronym);
                }
                o
            })
            .collect();
        Self {
            orgs,
            activity_name: column(&|t| {
                t.tag == "activity" && (t.has("name") || !t.has("code") && !t.has("id"))
            }),
            activity_code: column(&|t| t.tag == "activity" && (t.has("code") || t.has("id"))),
            sector: column(&|t| t.tag == "sector" && !t.has("code"))
                .or_else(|| column(&|t| t.tag == "sector")),
            status: column(&|t| t.tag == "status"),
            start: column(&|t| t.tag == "date" && t.has("start")),
            end: column(&|t| t.tag == "date" && t.has("end")),
            country: column(&|t| t.tag == "country" && t.has("code")),
            role: column(&|t| t.tag == "x_role"),
            step: column(&|t| t.tag == "x_step"),
        }
    }
}

/// Maps an `#org+type` text to a partner category (see the module documentation).
pub fn category_from_type(text: &str) -> PartnerCategory {
    let norm = normalise_name(text);
    if let Some(c) = PartnerCategory::ALL
        .iter()
        .find(|c| normalise_name(c.label()) == norm)
    {
        return *c;
    }
    let words: Vec<&str> = norm.split(' ').collect();
    let word = |w: &str| words.contains(&w);
    let has = |s: &str| norm.contains(s);
    if word("ngo")
        || word("ngos")
        || word("ingo")
        || has("civil society")
        || has("foundation")
        || has("red cross")
        || has("mediator")
        || has("academic")
        || has("private")
    {
        PartnerCategory::CivilSociety
    } else if has("subregional") || has("sub regional") || word("rec") {
        PartnerCategory::Subregional
    } else if has("regional") {
        PartnerCategory::Regional
    } else if word("un") || has("united nations") || has("multilateral") {
        PartnerCategory::UnSystem
    } else if word("ifi") || has("financial") || has("bank") || has("monetary fund") {
        PartnerCategory::FinancialInstitution
    } else if has("government")
        || has("member state")
        || word("state")
        || word("states")
        || has("donor")
        || has("ministry")
        || has("embassy")
        || has("bilateral")
        || has("public sector")
    {
        PartnerCategory::MemberState
    } else {
        PartnerCategory::CivilSociety
    }
}

/// A category guessed from an organisation's name when the sheet gives no type.
fn category_from_name(name: &str) -> PartnerCategory {
    let norm = normalise_name(name);
    let words: Vec<&str> = norm.split(' ').collect();
    if words.contains(&"un") || norm.contains("united nations") {
        PartnerCategory::UnSystem
    } else if norm.contains("world bank") || norm.contains("monetary fund") {
        PartnerCategory::FinancialInstitution
    } else if words.contains(&"ecowas")
        || norm.contains("economic community")
        || words.contains(&"sadc")
        || words.contains(&"igad")
    {
        PartnerCategory::Subregional
    } else if norm.contains("african union") || norm.contains("european union") {
        PartnerCategory::Regional
    } else {
        PartnerCategory::CivilSociety
    }
}

/// Maps a `#status` text to a status; `None` when it means nothing Tandem knows.
pub fn status_from_text(text: &str) -> Option<Status> {
    let norm = normalise_name(text);
    if let Some(s) = Status::ALL
        .iter()
        .find(|s| normalise_name(s.label()) == norm)
    {
        return Some(*s);
    }
    let has = |s: &str| norm.contains(s);
    if has("cancel") || has("abandon") || has("withdrawn") {
        Some(Status::Cancelled)
    } else if has("complet") || has("closed") || has("finish") || norm == "done" || has("ended") {
        Some(Status::Completed)
    } else if has("pause") || has("suspend") || has("on hold") || has("halted") {
        Some(Status::Paused)
    } else if has("plan") || has("pipeline") || has("propos") || has("not started") {
        Some(Status::Planned)
    } else if has("activ")
        || has("ongoing")
        || has("on going")
        || has("progress")
        || has("current")
        || has("implementation")
    {
        Some(Status::Active)
    } else {
        None
    }
}

/// Maps a `#sector` text to an instrument when it names one.
fn instrument_from_sector(text: &str) -> Option<Instrument> {
    let norm = normalise_name(text);
    Instrument::ALL
        .iter()
        .find(|i| **i != Instrument::Other && normalise_name(i.label()) == norm)
        .copied()
}

/// Reads an `#x_role` cell with its `#x_step`.
fn role_from_cells(role: &str, step: &str) -> Result<Role, String> {
    let norm = normalise_name(role);
    let parsed_step = || -> Result<u32, String> {
        if step.is_empty() {
            return Err("the role is sequential but #x_step is empty (expected 1, 2, 3…)".into());
        }
        step.parse::<u32>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| format!("step \"{step}\" is not a whole number from 1"))
    };
    match norm.as_str() {
        "lead" | "l" => Ok(Role::Lead),
        "support" | "s" => Ok(Role::Support),
        "burden sharing" | "burdensharing" | "b" => Ok(Role::BurdenSharing),
        "joint" | "j" => Ok(Role::Joint),
        "sequential" => parsed_step().map(Role::Sequential),
        _ => Err(format!(
            "role \"{role}\" is not known (expected lead, support, burden-sharing, sequential or joint)"
        )),
    }
}

/// One organisation named on a row.
struct OrgCell {
    name: String,
    code: String,
    acronym: String,
    kind: String,
    role: Role,
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
    let mut first_seen: HashMap<(String, String), usize> = HashMap::new();
    for row in rows.iter().skip(tag_index + 1) {
        if row.is_blank() {
            continue;
        }
        planner.rows_read += 1;
        import_row(&mut planner, &columns, row, &mut first_seen);
    }
    Ok(planner.finish(Format::Hxl))
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
    let role_text = row.cell(columns.role);
    let step_text = row.cell(columns.step);
    let explicit_role = if role_text.is_empty() {
        None
    } else {
        match role_from_cells(role_text, step_text) {
            Ok(role) => Some(role),
            Err(message) => {
                planner.skip(line, message);
                planner.counts.assignments.skipped += 1;
                return;
            }
        }
    };
    let orgs: Vec<OrgCell> = columns
        .orgs
        .iter()
        .filter_map(|c| {
            let name = row.cell(c.name).to_owned();
            let code = row.cell(c.code).to_owned();
            (!name.is_empty() || !code.is_empty()).then(|| OrgCell {
                name,
                code,
                acronym: row.cell(c.acronym).to_owned(),
                kind: row.cell(c.kind).to_owned(),
                role: explicit_role.unwrap_or(role_of_attribute(c.role_attribute)),
            })
        })
        .collect();
    let has_activity = !activity_name.is_empty() || !activity_code.is_empty();
    if orgs.is_empty() && !has_activity {
        planner.skip(
            line,
            "no organisation (#org) and no activity (#activity) on this row",
        );
        return;
    }
    let mut dates = [None, None];
    for (slot, (column, what)) in dates
        .iter_mut()
        .zip([(columns.start, "start date"), (columns.end, "end date")])
    {
        let text = row.cell(column);
        if text.is_empty() {
            continue;
        }
        match parse_partial_date(text) {
            Ok(date) => *slot = Some(date),
            Err(_) => {
                planner.skip(line, bad_date_message(what, text));
                planner.counts.assignments.skipped += usize::from(has_activity) * orgs.len();
                return;
            }
        }
    }
    let [start, end] = dates;
    if let (Some(s), Some(e)) = (start, end)
        && e.last_day() < s.first_day()
    {
        planner.skip(
            line,
            format!("the end date {e} is before the start date {s}"),
        );
        planner.counts.assignments.skipped += usize::from(has_activity) * orgs.len();
        return;
    }
    let country = row.cell(columns.country);
    for code in country.split([',', ';', ' ']).filter(|c| !c.is_empty()) {
        if code.len() == 3 && code.chars().all(|c| c.is_ascii_alphabetic()) {
            planner.add_country(code);
        } else {
            planner.notice(
                line,
                format!("country code \"{code}\" is not an ISO 3166 alpha-3 code; not added"),
            );
        }
    }
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
    for org in orgs {
        let partner_id = plan_partner(planner, &org);
        let Some(line_id) = &line_id else { continue };
        let key = (line_id.clone(), partner_id.clone());
        if let Some(first) = first_seen.get(&key) {
            planner.notice(
                line,
                format!(
                    "{partner_id} on {line_id} is already given on line {first}; this row's role is ignored"
                ),
            );
            continue;
        }
        first_seen.insert(key, line);
        match planner.assignment(line_id, &partner_id).cloned() {
            Some(existing) if existing.role == org.role => {
                planner.counts.assignments.merged += 1;
            }
            Some(existing) => {
                planner.counts.assignments.merged += 1;
                planner.notice(
                    line,
                    format!(
                        "{partner_id} on {line_id} changes from {} to {}",
                        existing.role.describe(),
                        org.role.describe()
                    ),
                );
                planner.assign(Assignment {
                    role: org.role,
                    ..existing
                });
            }
            None => {
                planner.counts.assignments.created += 1;
                planner.assign(Assignment {
                    line: line_id.clone(),
                    partner: partner_id,
                    role: org.role,
                    note: String::new(),
                    sensitivity: planner.into.sensitivity,
                    places: Vec::new(),
                });
            }
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
        if filled.instrument == Instrument::Other
            && let Some(instrument) = instrument_from_sector(sector)
        {
            filled.instrument = instrument;
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
    let notes = match (instrument, sector.is_empty()) {
        (None, false) => format!("Sector: {sector}"),
        _ => String::new(),
    };
    planner.create(Item::Line(LineOfEffort {
        id: id.clone(),
        title: title.to_owned(),
        instrument: instrument.unwrap_or(Instrument::Other),
        track: Track::I,
        status: status.unwrap_or(Status::Active),
        start,
        end,
        actors: Vec::new(),
        notes,
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
        let blank_acronym = planner
            .partner(&id)
            .is_some_and(|p| p.acronym.trim().is_empty());
        if blank_acronym && !org.acronym.is_empty() {
            if let Some(slot) = planner.partner_mut(&id) {
                slot.acronym = org.acronym.clone();
            }
            planner.add_key(ItemKind::Partner, format!("acr:{acronym_norm}"), &id);
        }
        return id;
    }
    let name = if org.name.is_empty() {
        &org.code
    } else {
        &org.name
    };
    let basis = [&org.code, &org.acronym, &org.name]
        .into_iter()
        .find(|s| !s.is_empty())
        .map_or("partner", |s| s.as_str());
    let id = planner.fresh_id(basis, "partner");
    let category = if org.kind.is_empty() {
        category_from_name(name)
    } else {
        category_from_type(&org.kind)
    };
    planner.create(Item::Partner(Partner {
        id: id.clone(),
        name: name.clone(),
        acronym: org.acronym.clone(),
        category,
        instruments: Vec::new(),
        notes: String::new(),
        sensitivity: planner.into.sensitivity,
    }));
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashtags_ignore_attribute_order_and_case() {
        assert_eq!(
            Hashtag::parse("#org+name+impl"),
            Hashtag::parse(" #ORG +impl +name")
        );
        assert_eq!(Hashtag::parse("Organisation"), None);
        assert_eq!(Hashtag::parse("#"), None);
    }

    #[test]
    fn org_types_map_to_categories() {
        for (text, category) in [
            ("UN Agency", PartnerCategory::UnSystem),
            ("Regional NGO", PartnerCategory::CivilSociety),
            ("Subregional organisation", PartnerCategory::Subregional),
            ("Regional organization", PartnerCategory::Regional),
            ("Government", PartnerCategory::MemberState),
            (
                "International Financial Institution",
                PartnerCategory::FinancialInstitution,
            ),
            ("Something else", PartnerCategory::CivilSociety),
        ] {
            assert_eq!(category_from_type(text), category, "{text}");
        }
        for c in PartnerCategory::ALL {
            assert_eq!(category_from_type(c.label()), *c);
        }
    }

    #[test]
    fn statuses_map_from_common_words() {
        assert_eq!(status_from_text("Ongoing"), Some(Status::Active));
        assert_eq!(status_from_text("on hold"), Some(Status::Paused));
        assert_eq!(status_from_text("Pipeline"), Some(Status::Planned));
        assert_eq!(status_from_text("Closed"), Some(Status::Completed));
        assert_eq!(status_from_text("banana"), None);
        for s in Status::ALL {
            assert_eq!(status_from_text(s.label()), Some(*s));
        }
    }

    #[test]
    fn roles_read_as_the_export_writes_them() {
        for role in [
            Role::Lead,
            Role::Support,
            Role::BurdenSharing,
            Role::Joint,
            Role::Sequential(3),
        ] {
            let step = match role {
                Role::Sequential(n) => n.to_string(),
                _ => String::new(),
            };
            assert_eq!(role_from_cells(role.code(), &step), Ok(role));
        }
        assert!(role_from_cells("sequential", "").is_err());
        assert!(role_from_cells("boss", "").is_err());
    }
}
