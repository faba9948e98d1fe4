//! What a briefing says, independent of how it is laid out: the content shared by the
//! Markdown, HTML and PDF papers and the briefing-mode slides.
//!
//! Build it with [`briefing`] from a situation already passed through
//! [`super::redact`], so that every count and check covers only what the audience may see.
//! All strings are plain user text: each renderer escapes them for its format.

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate};

use super::long_text::{FullTexts, shorten_names};
use super::partner::{PartnerBrief, partner_brief};
use crate::analysis::matrix::matrix_diagnostics;
use crate::analysis::summary::Counts;
use crate::analysis::timeline::continuum;
use crate::model::{
    Assignment, Event, LineOfEffort, PartialDate, Partner, Role, Situation, Status,
};

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
    /// For a paper made for one named partner: what concerns it, given first.
    pub for_partner: Option<PartnerBrief>,
    /// What changed since an earlier state, when the export asks for it
    /// ([`super::ExportOptions::since`]); set by the export, not by [`briefing`].
    pub since: Option<super::since::SinceSection>,
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

/// `event` as the papers list it.
pub(super) fn entry(situation: &Situation, event: &Event) -> EventEntry {
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
    briefing_for(situation, None)
}

/// [`briefing`], for the named partner `partner` (an id) when given: the paper then leads with
/// what concerns it ([`Briefing::for_partner`]). A partner not in `situation` is ignored; the
/// export checks it first ([`super::partner::focus`]).
pub fn briefing_for(situation: &Situation, partner: Option<&str>) -> Briefing {
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
        for_partner: partner.and_then(|id| partner_brief(situation, id, &flow)),
        since: None,
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

/// What comes next, soonest first: lines of effort that start or end after the as-of date
/// (and planned ones) with who leads them, threshold moments ahead, answers planned, and the
/// warning signs still waiting for an answer. Lines begun earlier and still running are not
/// next steps.
fn next_steps(situation: &Situation, thresholds: &[EventEntry]) -> Vec<NextStep> {
    let mut dated: Vec<(Option<NaiveDate>, NextStep)> = situation
        .lines
        .iter()
        .filter_map(|line| line_step(situation, line))
        .collect();
    dated.extend(thresholds.iter().map(threshold_step));
    dated.extend(warning_steps(situation));
    soonest_first(dated)
}

/// Dated steps, soonest first, the undated last.
pub(super) fn soonest_first(mut dated: Vec<(Option<NaiveDate>, NextStep)>) -> Vec<NextStep> {
    dated.sort_by_key(|(first, _)| (first.is_none(), *first));
    dated.into_iter().map(|(_, step)| step).collect()
}

/// What comes next on `line`: it starts or ends after the as-of date, or it is planned
/// (with who runs it); `None` when nothing is ahead. With the day it sorts by.
pub(super) fn line_step(
    situation: &Situation,
    line: &LineOfEffort,
) -> Option<(Option<NaiveDate>, NextStep)> {
    let as_of = situation.as_of.first_day();
    let starts = line.start.filter(|d| d.first_day() > as_of);
    let ends = line.end.filter(|d| d.last_day() > as_of);
    let (when, verb) = match (starts, ends) {
        (Some(start), _) => (Some(start), "starts"),
        (None, Some(end)) => (Some(end), "ends"),
        (None, None) if line.status == Status::Planned => (None, "planned"),
        (None, None) => return None,
    };
    let text = format!("{} ({verb}): {}", line.title, who_runs(situation, &line.id));
    let step = NextStep {
        when: when.map(|d| d.to_string()).unwrap_or_default(),
        text,
    };
    Some((when.map(|d| d.first_day()), step))
}

/// Preparing for the threshold moment `t`, on its first day.
pub(super) fn threshold_step(t: &EventEntry) -> (Option<NaiveDate>, NextStep) {
    let first = t
        .date
        .split(" – ")
        .next()
        .and_then(|d| d.parse::<PartialDate>().ok());
    (
        first.map(|d| d.first_day()),
        NextStep {
            when: t.date.clone(),
            text: format!("Prepare for the threshold moment “{}”", t.title),
        },
    )
}

/// Who runs a line: its lead(s), else the partners holding it jointly, else "no lead yet".
fn who_runs(situation: &Situation, line: &str) -> String {
    let holding = |role: fn(&Role) -> bool| -> Vec<&str> {
        situation
            .assignments
            .iter()
            .filter(|a| a.line == line && role(&a.role))
            .filter_map(|a| situation.partner(&a.partner))
            .map(|p| p.short_name())
            .collect()
    };
    let leads = holding(|r| *r == Role::Lead);
    let joint = holding(|r| *r == Role::Joint);
    if !leads.is_empty() {
        format!("led by {}", and_list(&leads))
    } else if joint.len() > 1 {
        format!("run jointly by {}", and_list(&joint))
    } else {
        "no lead yet".to_owned()
    }
}

/// Answers planned after the as-of date, and warnings no action answers yet.
fn warning_steps(situation: &Situation) -> Vec<(Option<NaiveDate>, NextStep)> {
    let flow = continuum(situation);
    let as_of = situation.as_of.first_day();
    let mut out = Vec::new();
    for w in &flow.warnings {
        let Some(warning) = situation.event(&w.id) else {
            continue;
        };
        if let Some(answer) = w
            .planned_answer
            .as_deref()
            .and_then(|id| situation.event(id))
        {
            out.push((
                Some(answer.date.first_day()),
                NextStep {
                    when: answer.date.to_string(),
                    text: format!(
                        "Answer planned to the warning sign “{}”: “{}”",
                        warning.title, answer.title
                    ),
                },
            ));
        } else if flow.unanswered.contains(&w.id) {
            let waited = (as_of - warning.date.first_day()).num_days();
            out.push((
                Some(as_of),
                NextStep {
                    when: "now".to_owned(),
                    text: format!(
                        "Answer the warning sign “{}” ({}; {} without an answer)",
                        warning.title,
                        warning.date,
                        crate::text::counted(waited.max(0) as usize, "day", "days")
                    ),
                },
            ));
        }
    }
    out
}

/// "A", "A and B", "A, B and C".
fn and_list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples::guinea;

    fn steps(s: &Situation) -> Vec<String> {
        briefing(s)
            .next_steps
            .into_iter()
            .map(|n| format!("{} | {}", n.when, n.text))
            .collect()
    }

    #[test]
    fn next_steps_are_what_comes_after_the_as_of_date_soonest_first() {
        let s = guinea();
        let steps = steps(&s);
        assert!(
            steps[0].starts_with("now | Answer the warning sign “Reports of rival factions"),
            "{steps:#?}"
        );
        assert!(
            !steps.iter().any(|t| t.contains("ECOWAS-led mediation")),
            "a line running since 2009 is not a next step: {steps:#?}"
        );
        let dates: Vec<&str> = steps.iter().skip(1).map(|t| &t[..4]).collect();
        let mut sorted = dates.clone();
        sorted.sort();
        assert_eq!(dates, sorted, "soonest first: {steps:#?}");
        assert!(
            steps.iter().any(|t| t.contains("(starts): led by PBC")),
            "{steps:#?}"
        );
    }

    #[test]
    fn a_line_held_jointly_says_who_runs_it() {
        let mut s = guinea();
        let line = s
            .lines
            .iter_mut()
            .find(|l| l.id == "loe-contact-group")
            .unwrap_or_else(|| panic!("the Guinea sample has a contact-group line"));
        line.end = "2011-03".parse().ok();
        let steps = steps(&s);
        let contact = steps
            .iter()
            .find(|t| t.contains("Contact Group"))
            .unwrap_or_else(|| panic!("{steps:#?}"));
        assert!(
            contact.ends_with("run jointly by AU and ECOWAS"),
            "{contact}"
        );
    }

    #[test]
    fn an_answer_planned_is_a_next_step_with_its_date() {
        let mut s = guinea();
        let mut answer = s.events[0].clone();
        answer.id = "envoys".into();
        answer.title = "Envoys meet the army chiefs".into();
        answer.kind = crate::model::EventKind::DiplomaticAction;
        answer.date = "2010-11-02".parse().unwrap_or(answer.date);
        answer.answers = vec!["w-army-factions".into()];
        s.events.push(answer);
        let steps = steps(&s);
        assert!(
            steps.iter().any(
                |t| t.starts_with("2010-11-02 | Answer planned to the warning sign")
                    && t.ends_with("“Envoys meet the army chiefs”")
            ),
            "{steps:#?}"
        );
        assert!(!steps.iter().any(|t| t.starts_with("now |")), "{steps:#?}");
    }
}
