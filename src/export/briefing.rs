//! What a briefing says, independent of how it is laid out: the content shared by the
//! Markdown, HTML and PDF papers and the briefing-mode slides.
//!
//! Build it with [`briefing`] from a situation already passed through
//! [`super::redact`], so that every count and check covers only what the audience may see.
//! All strings are plain user text: each renderer escapes them for its format.

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate};

use super::long_text::{FullTexts, shorten_names};
use crate::analysis::matrix::matrix_diagnostics;
use crate::analysis::summary::Counts;
use crate::analysis::timeline::continuum;
use crate::model::{Assignment, Event, PartialDate, Partner, Role, Situation, Status};

/// How many days before the as-of date the "recent events" section covers.
pub const RECENT_DAYS: i64 = 90;

/// The size of the papers' map figure, in pixels (SVG user units).
pub const MAP_WIDTH: f64 = 720.0;
pub const MAP_HEIGHT: f64 = 420.0;

/// What the map figure shows, under it in every paper.
pub const MAP_CAPTION: &str = "Where the events happened (rings: known only to the region or \
    country; discs with a number: several events). Base map: Natural Earth.";

/// A whole briefing, section by section.
#[derive(Clone, Debug, PartialEq)]
pub struct Briefing {
    /// Title and summary.
    pub title: String,
    pub as_of: PartialDate,
    /// ISO 3166 alpha-3 codes.
    pub countries: Vec<String>,
    pub region: String,
    pub summary: String,
    /// How many items of each kind the (redacted) situation holds.
    pub counts: Counts,
    /// Median days from a warning sign to its first answer, when any was answered.
    pub median_lag_days: Option<f64>,
    /// Key actors: high influence first, then by name.
    pub actors: Vec<ActorEntry>,
    /// First day of the recent period ([`RECENT_DAYS`] before the as-of date).
    pub period_start: PartialDate,
    /// Events of the recent period up to the as-of date, oldest first.
    pub recent: Vec<EventEntry>,
    /// Threshold moments after the as-of date, soonest first.
    pub thresholds: Vec<EventEntry>,
    /// Who does what, compact: one row per line of effort.
    pub matrix: Matrix,
    /// Open problems: unanswered warnings, lines without lead, other matrix checks.
    pub problems: Vec<Problem>,
    /// Next steps: active and planned lines of effort, then the upcoming thresholds.
    pub next_steps: Vec<NextStep>,
    /// Names and titles shortened above, whole: note `n` (the marker `[n]`) is at index `n - 1`.
    pub full_texts: Vec<String>,
    /// Where the events happened, as an SVG figure; `None` when no event has a place.
    pub map: Option<String>,
}

/// One actor in the key-actors section.
#[derive(Clone, Debug, PartialEq)]
pub struct ActorEntry {
    pub name: String,
    /// Kind, stance and influence labels (`"Government"`, `"Resistant"`, `"High"`).
    pub kind: String,
    pub stance: String,
    pub influence: String,
    pub interests: String,
}

/// One event on the briefing's timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct EventEntry {
    /// The date as written (`2009-09-28`, `2009-09` or `2009`), with ` – end` for a span.
    pub date: String,
    /// The kind label (`"Warning sign"`).
    pub kind: String,
    pub title: String,
    /// Names of the actors, partners (short names) and lines of effort it names.
    pub involved: Vec<String>,
    /// Where it happened, most specific first ("Conakry, GIN"); empty when unknown.
    pub place: String,
    pub notes: String,
}

/// The compact who-does-what matrix: lines of effort × partners.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Matrix {
    /// Column heads: short names of the partners that hold at least one assignment.
    pub partners: Vec<String>,
    pub rows: Vec<MatrixRow>,
}

/// One line of effort in the matrix.
#[derive(Clone, Debug, PartialEq)]
pub struct MatrixRow {
    pub line: String,
    pub instrument: String,
    pub status: String,
    /// One cell per column of [`Matrix::partners`]: a short role (`L`, `S`, `B`, `Q2`, `J`) or empty.
    pub cells: Vec<String>,
    /// The same, spelled out: `(partner short name, role description, assignment note)`.
    pub roles: Vec<(String, String, String)>,
}

/// One open problem.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// The check's stable code (`timeline.unanswered-warning`, `matrix.no-lead`…).
    pub code: &'static str,
    pub text: String,
}

/// One next step.
#[derive(Clone, Debug, PartialEq)]
pub struct NextStep {
    /// A date or span when known, else empty.
    pub when: String,
    pub text: String,
}

/// The legend of the matrix's short roles.
pub const ROLE_LEGEND: &str =
    "L lead · S support · B burden-sharing · Qn sequential step n · J joint";

fn span(start: Option<PartialDate>, end: Option<PartialDate>) -> String {
    match (start, end) {
        (Some(s), Some(e)) => format!("{s} – {e}"),
        (Some(s), None) => format!("from {s}"),
        (None, Some(e)) => format!("until {e}"),
        (None, None) => String::new(),
    }
}

fn entry(situation: &Situation, event: &Event) -> EventEntry {
    let mut involved: Vec<String> = event
        .actors
        .iter()
        .filter_map(|id| situation.actor(id).map(|a| a.name.clone()))
        .collect();
    involved.extend(
        event
            .partners
            .iter()
            .filter_map(|id| situation.partner(id).map(|p| p.short_name().to_owned())),
    );
    involved.extend(
        event
            .lines
            .iter()
            .filter_map(|id| situation.line(id).map(|l| l.title.clone())),
    );
    EventEntry {
        date: match event.end {
            Some(end) => format!("{} – {end}", event.date),
            None => event.date.to_string(),
        },
        kind: event.kind.label().to_owned(),
        title: event.title.clone(),
        involved,
        place: event.place.as_ref().map(place_text).unwrap_or_default(),
        notes: event.notes.clone(),
    }
}

/// A place as the papers print it: most specific first, the country by its name ("Conakry,
/// Guinea") when the base map knows its code.
pub fn place_text(place: &crate::model::Place) -> String {
    let text = place.describe();
    let code = place.country.trim();
    let Some(country) = crate::analysis::geo::BaseMap::world()
        .countries_with_code(code)
        .next()
    else {
        return text;
    };
    match text.strip_suffix(code) {
        Some("") => country.name.clone(),
        Some(rest) if rest.ends_with(", ") => format!("{rest}{}", country.name),
        _ => text,
    }
}

/// The briefing of a situation that has already been redacted for its audience.
///
/// Names and titles too long for a table cell are shortened with a numbered marker; their
/// whole texts are in [`Briefing::full_texts`] (see [`super::long_text`]).
pub fn briefing(situation: &Situation) -> Briefing {
    let mut notes = FullTexts::default();
    let shown = shorten_names(situation, &mut notes);
    let situation: &Situation = &shown;
    let as_of = situation.as_of.first_day();
    let period_first = as_of - Duration::days(RECENT_DAYS);
    let flow = continuum(situation);
    let recent = recent_events(situation, period_first, as_of);
    let thresholds: Vec<EventEntry> = flow
        .upcoming_thresholds
        .iter()
        .filter_map(|t| situation.event(&t.id))
        .map(|e| entry(situation, e))
        .collect();
    let mut problems: Vec<Problem> = flow
        .unanswered
        .iter()
        .filter_map(|id| situation.event(id))
        .map(|w| Problem {
            code: "timeline.unanswered-warning",
            text: format!(
                "No action answers the warning sign “{}” ({}).",
                w.title, w.date
            ),
        })
        .collect();
    problems.extend(matrix_diagnostics(situation).into_iter().map(|d| Problem {
        code: d.code,
        text: capitalise(&d.message),
    }));
    Briefing {
        title: situation.title.clone(),
        as_of: situation.as_of,
        countries: situation.countries.clone(),
        region: situation.region.clone(),
        summary: situation.summary.clone(),
        counts: Counts::of(situation),
        median_lag_days: flow.median_lag_days,
        actors: key_actors(situation),
        period_start: PartialDate::from_naive(period_first),
        recent,
        next_steps: next_steps(situation, &thresholds),
        thresholds,
        matrix: matrix(situation),
        problems,
        full_texts: notes.into_texts(),
        map: super::map_figure::map_svg(situation, MAP_WIDTH, MAP_HEIGHT),
    }
}

/// Key actors: high influence first, then by name.
fn key_actors(situation: &Situation) -> Vec<ActorEntry> {
    let mut actors: Vec<_> = situation.actors.iter().collect();
    actors.sort_by(|a, b| b.influence.cmp(&a.influence).then(a.name.cmp(&b.name)));
    actors
        .into_iter()
        .map(|a| ActorEntry {
            name: a.name.clone(),
            kind: a.kind.label().to_owned(),
            stance: a.stance.label().to_owned(),
            influence: a.influence.label().to_owned(),
            interests: a.interests.clone(),
        })
        .collect()
}

/// Events from `first` up to `as_of` (a span that overlaps the period counts), oldest first.
fn recent_events(situation: &Situation, first: NaiveDate, as_of: NaiveDate) -> Vec<EventEntry> {
    let mut recent: Vec<&Event> = situation
        .events
        .iter()
        .filter(|e| {
            let last = e.end.unwrap_or(e.date).last_day();
            last >= first && e.date.first_day() <= as_of
        })
        .collect();
    recent.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
    recent.into_iter().map(|e| entry(situation, e)).collect()
}

/// Lines of effort × the partners that hold at least one assignment, in file order.
fn matrix(situation: &Situation) -> Matrix {
    let assigned: HashSet<&str> = situation
        .assignments
        .iter()
        .map(|a| a.partner.as_str())
        .collect();
    let columns: Vec<&Partner> = situation
        .partners
        .iter()
        .filter(|p| assigned.contains(p.id.as_str()))
        .collect();
    let mut by_line: HashMap<&str, Vec<&Assignment>> = HashMap::new();
    for a in &situation.assignments {
        by_line.entry(a.line.as_str()).or_default().push(a);
    }
    let rows = situation
        .lines
        .iter()
        .map(|line| {
            let held_here = by_line
                .get(line.id.as_str())
                .map(Vec::as_slice)
                .unwrap_or_default();
            let cells = columns
                .iter()
                .map(|p| {
                    held_here
                        .iter()
                        .find(|a| a.partner == p.id)
                        .map(|a| a.role.short())
                        .unwrap_or_default()
                })
                .collect();
            let mut held: Vec<_> = held_here.to_vec();
            held.sort_by_key(|a| a.role.rank());
            let roles = held
                .into_iter()
                .map(|a| {
                    let name = situation
                        .partner(&a.partner)
                        .map_or_else(|| a.partner.clone(), |p| p.short_name().to_owned());
                    (name, a.role.describe(), a.note.clone())
                })
                .collect();
            MatrixRow {
                line: line.title.clone(),
                instrument: line.instrument.label().to_owned(),
                status: line.status.label().to_owned(),
                cells,
                roles,
            }
        })
        .collect();
    Matrix {
        partners: columns.iter().map(|p| p.short_name().to_owned()).collect(),
        rows,
    }
}

/// Active, then planned lines of effort with their leads; then the upcoming thresholds.
fn next_steps(situation: &Situation, thresholds: &[EventEntry]) -> Vec<NextStep> {
    let mut next_steps: Vec<NextStep> = Vec::new();
    for status in [Status::Active, Status::Planned] {
        for line in situation.lines.iter().filter(|l| l.status == status) {
            let leads: Vec<String> = situation
                .assignments
                .iter()
                .filter(|a| a.line == line.id && a.role == Role::Lead)
                .filter_map(|a| situation.partner(&a.partner))
                .map(|p| p.short_name().to_owned())
                .collect();
            let lead = if leads.is_empty() {
                "no lead yet".to_owned()
            } else {
                format!("led by {}", leads.join(", "))
            };
            next_steps.push(NextStep {
                when: span(line.start, line.end),
                text: format!(
                    "{} ({}, {}): {lead}",
                    line.title,
                    status.label().to_lowercase(),
                    line.instrument.label().to_lowercase()
                ),
            });
        }
    }
    for t in thresholds {
        next_steps.push(NextStep {
            when: t.date.clone(),
            text: format!("Prepare for the threshold moment “{}”", t.title),
        });
    }
    next_steps
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => {
            let mut out: String = first.to_uppercase().collect();
            out.push_str(chars.as_str());
            if !out.ends_with('.') {
                out.push('.');
            }
            out
        }
        None => String::new(),
    }
}
