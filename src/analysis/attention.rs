//! What needs a desk officer's attention today, as of the situation's as-of date: the
//! Overview's first list, the continuum at a glance and who carries the load.

use std::collections::HashMap;

use crate::model::{Diagnostic, EventKind, ItemKind, ItemRef, Role, Severity, Situation, Status};

use super::timeline::{Continuum, continuum};

/// How far ahead threshold moments count as needing attention, unless the officer says.
pub const DEFAULT_HORIZON_DAYS: i64 = 30;

/// Why an item needs attention.
#[derive(Clone, Debug, PartialEq)]
pub enum Concern {
    /// A warning sign dated before the as-of date that no action answers.
    Unanswered { waited_days: i64 },
    /// A threshold moment within the horizon, with the lines of effort it concerns.
    ThresholdAhead { in_days: i64, lines: Vec<LineLead> },
    /// A warning sign whose only answer is dated after the as-of date.
    AnswerPlanned { answer: String, in_days: i64 },
    /// A matrix check's finding, in its own words.
    Matrix {
        code: &'static str,
        severity: Severity,
        message: String,
    },
}

/// A line of effort a threshold moment concerns, and who leads it.
#[derive(Clone, Debug, PartialEq)]
pub struct LineLead {
    pub id: String,
    pub title: String,
    /// The short names of the partners leading it; empty when nobody leads.
    pub leads: Vec<String>,
}

/// One line of "Needs attention": the item, its title and why.
#[derive(Clone, Debug, PartialEq)]
pub struct AttentionItem {
    pub item: ItemRef,
    pub title: String,
    pub concern: Concern,
}

impl AttentionItem {
    /// Why the item needs attention, in a desk officer's words.
    pub fn reason(&self) -> String {
        match &self.concern {
            Concern::Unanswered { waited_days } => {
                format!(
                    "Unanswered warning sign, waiting for {}",
                    days(*waited_days)
                )
            }
            Concern::ThresholdAhead { in_days, lines } => {
                let when = format!("Threshold moment {}", in_days_text(*in_days));
                if lines.is_empty() {
                    format!("{when}; no line of effort is tied to it")
                } else {
                    let led: Vec<String> = lines.iter().map(LineLead::describe).collect();
                    format!("{when}; {}", led.join("; "))
                }
            }
            Concern::AnswerPlanned { answer, in_days } => format!(
                "Answer planned, not given: “{answer}” {}",
                in_days_text(*in_days)
            ),
            Concern::Matrix { message, .. } => message.clone(),
        }
    }

    /// The short heading of the concern ("Unanswered warning", "No lead"…).
    pub fn heading(&self) -> &'static str {
        match &self.concern {
            Concern::Unanswered { .. } => "Unanswered warning",
            Concern::ThresholdAhead { .. } => "Threshold ahead",
            Concern::AnswerPlanned { .. } => "Answer planned",
            Concern::Matrix { code, .. } => crate::model::validate::check_title(code),
        }
    }
}

impl LineLead {
    /// "“Mediation” led by AU", or "“Mediation” has no lead".
    pub fn describe(&self) -> String {
        if self.leads.is_empty() {
            format!("“{}” has no lead", self.title)
        } else {
            format!("“{}” led by {}", self.title, self.leads.join(" and "))
        }
    }
}

/// How fast warnings were answered, for the briefer who asks whether the response is getting
/// faster.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pace {
    /// Warning signs dated on or before the as-of date.
    pub warnings: usize,
    /// Of those, how many an action answered by the as-of date.
    pub answered: usize,
    pub median_lag_days: Option<f64>,
    /// The longest wait for a first answer, and the warning that waited.
    pub longest: Option<(i64, String)>,
    pub within_7_days: usize,
    pub within_30_days: usize,
    /// Every answered warning, in date order.
    pub lags: Vec<AnsweredWarning>,
}

/// A warning sign answered by the as-of date: when, after how long, and its title.
#[derive(Clone, Debug, PartialEq)]
pub struct AnsweredWarning {
    /// The warning's date, as a day number.
    pub day: i64,
    pub lag_days: i64,
    pub title: String,
}

/// A partner leading active lines of effort.
#[derive(Clone, Debug, PartialEq)]
pub struct PartnerLoad {
    pub id: String,
    pub name: String,
    /// The active lines of effort it leads.
    pub active_leads: usize,
}

/// Everything the Overview's first screen shows, as of the situation's as-of date.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Attention {
    /// Most urgent first: unanswered warnings (longest waiting first), threshold moments within
    /// the horizon (soonest first), matrix problems (errors first), answers only planned.
    pub items: Vec<AttentionItem>,
    /// Threshold moments ahead beyond the horizon, soonest first, with the days until each.
    pub later_thresholds: Vec<(ItemRef, String, i64)>,
    pub pace: Pace,
    /// Partners leading active lines, most first; at most [`LOAD_SHOWN`].
    pub load: Vec<PartnerLoad>,
    /// How many partners lead more active lines than the lead limit.
    pub overloaded: usize,
    /// How many lines of effort have each status, in the status order; zeros left out.
    pub lines_by_status: Vec<(Status, usize)>,
}

/// How many partners "Who carries the load" names.
pub const LOAD_SHOWN: usize = 6;

impl Attention {
    /// Reads the situation and its diagnostics as of its as-of date, with threshold moments in
    /// the next `horizon_days` needing attention.
    pub fn of(situation: &Situation, diagnostics: &[Diagnostic], horizon_days: i64) -> Self {
        let continuum = continuum(situation);
        let mut items = unanswered_items(situation, &continuum);
        let (ahead, later_thresholds) = threshold_items(situation, &continuum, horizon_days);
        items.extend(ahead);
        items.extend(matrix_items(situation, diagnostics));
        items.extend(planned_items(situation, &continuum));
        let (load, overloaded) = partner_load(situation);
        Self {
            items,
            later_thresholds,
            pace: pace(situation, &continuum),
            load,
            overloaded,
            lines_by_status: lines_by_status(situation),
        }
    }
}

fn as_of_day(situation: &Situation) -> i64 {
    situation.as_of.first_day_number()
}

fn event_title(situation: &Situation, id: &str) -> String {
    situation
        .event(id)
        .map_or_else(|| id.to_owned(), |e| e.title.clone())
}

fn unanswered_items(situation: &Situation, continuum: &Continuum) -> Vec<AttentionItem> {
    let as_of = as_of_day(situation);
    let mut out: Vec<AttentionItem> = continuum
        .warnings
        .iter()
        .filter(|w| continuum.unanswered.contains(&w.id))
        .map(|w| AttentionItem {
            item: ItemRef::new(ItemKind::Event, &w.id),
            title: event_title(situation, &w.id),
            concern: Concern::Unanswered {
                waited_days: (as_of - w.date.first_day_number()).max(0),
            },
        })
        .collect();
    out.sort_by_key(|i| match i.concern {
        Concern::Unanswered { waited_days } => -waited_days,
        _ => 0,
    });
    out
}

type Split = (Vec<AttentionItem>, Vec<(ItemRef, String, i64)>);

fn threshold_items(situation: &Situation, continuum: &Continuum, horizon_days: i64) -> Split {
    let as_of = as_of_day(situation);
    let leads = leads_by_line(situation);
    let mut ahead = Vec::new();
    let mut later = Vec::new();
    for t in &continuum.upcoming_thresholds {
        let in_days = (t.date.first_day_number() - as_of).max(0);
        let item = ItemRef::new(ItemKind::Event, &t.id);
        let title = event_title(situation, &t.id);
        if in_days > horizon_days {
            later.push((item, title, in_days));
            continue;
        }
        let lines = situation
            .event(&t.id)
            .map(|e| e.lines.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|id| LineLead {
                id: id.clone(),
                title: situation
                    .line(id)
                    .map_or_else(|| id.clone(), |l| l.title.clone()),
                leads: leads.get(id.as_str()).cloned().unwrap_or_default(),
            })
            .collect();
        ahead.push(AttentionItem {
            item,
            title,
            concern: Concern::ThresholdAhead { in_days, lines },
        });
    }
    (ahead, later)
}

/// The short names of each line's leads, in assignment order, each once.
fn leads_by_line(situation: &Situation) -> HashMap<&str, Vec<String>> {
    let mut out: HashMap<&str, Vec<String>> = HashMap::new();
    for a in situation
        .assignments
        .iter()
        .filter(|a| a.role == Role::Lead)
    {
        let name = situation
            .partner(&a.partner)
            .map_or_else(|| a.partner.clone(), |p| p.short_name().to_owned());
        let leads = out.entry(a.line.as_str()).or_default();
        if !leads.contains(&name) {
            leads.push(name);
        }
    }
    out
}

fn matrix_items(situation: &Situation, diagnostics: &[Diagnostic]) -> Vec<AttentionItem> {
    let mut found: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.code.starts_with("matrix.") && d.item.is_some() && d.kind.is_some())
        .collect();
    found.sort_by_key(|d| d.severity != Severity::Error);
    found
        .into_iter()
        .filter_map(|d| {
            let (id, kind) = (d.item.as_deref()?, d.kind?);
            let title = match kind {
                ItemKind::Line => situation.line(id).map(|l| l.title.clone()),
                ItemKind::Partner => situation.partner(id).map(|p| p.name.clone()),
                ItemKind::Actor => situation.actor(id).map(|a| a.name.clone()),
                ItemKind::Event => situation.event(id).map(|e| e.title.clone()),
            };
            Some(AttentionItem {
                item: ItemRef::new(kind, id),
                title: title.unwrap_or_else(|| id.to_owned()),
                concern: Concern::Matrix {
                    code: d.code,
                    severity: d.severity,
                    message: d.message.clone(),
                },
            })
        })
        .collect()
}

fn planned_items(situation: &Situation, continuum: &Continuum) -> Vec<AttentionItem> {
    let as_of = as_of_day(situation);
    let mut out: Vec<(i64, AttentionItem)> = continuum
        .warnings
        .iter()
        .filter_map(|w| {
            let answer = situation.event(w.planned_answer.as_deref()?)?;
            let in_days = (answer.date.first_day_number() - as_of).max(0);
            let item = AttentionItem {
                item: ItemRef::new(ItemKind::Event, &w.id),
                title: event_title(situation, &w.id),
                concern: Concern::AnswerPlanned {
                    answer: answer.title.clone(),
                    in_days,
                },
            };
            Some((in_days, item))
        })
        .collect();
    out.sort_by_key(|(in_days, _)| *in_days);
    out.into_iter().map(|(_, item)| item).collect()
}

fn pace(situation: &Situation, continuum: &Continuum) -> Pace {
    let as_of = as_of_day(situation);
    let mut pace = Pace {
        median_lag_days: continuum.median_lag_days,
        ..Pace::default()
    };
    for w in &continuum.warnings {
        let day = w.date.first_day_number();
        if day > as_of {
            continue;
        }
        pace.warnings += 1;
        let Some(lag) = w.lag_days else { continue };
        pace.answered += 1;
        pace.within_7_days += usize::from(lag <= 7);
        pace.within_30_days += usize::from(lag <= 30);
        let title = event_title(situation, &w.id);
        if pace.longest.as_ref().is_none_or(|(most, _)| lag > *most) {
            pace.longest = Some((lag, title.clone()));
        }
        pace.lags.push(AnsweredWarning {
            day,
            lag_days: lag,
            title,
        });
    }
    pace
}

/// The partners leading the most active lines, and how many lead more than the limit.
fn partner_load(situation: &Situation) -> (Vec<PartnerLoad>, usize) {
    let active: HashMap<&str, bool> = situation
        .lines
        .iter()
        .map(|l| (l.id.as_str(), l.status == Status::Active))
        .collect();
    let mut led: HashMap<&str, Vec<&str>> = HashMap::new();
    for a in situation
        .assignments
        .iter()
        .filter(|a| a.role == Role::Lead)
    {
        if active.get(a.line.as_str()).copied().unwrap_or(false) {
            let lines = led.entry(a.partner.as_str()).or_default();
            if !lines.contains(&a.line.as_str()) {
                lines.push(a.line.as_str());
            }
        }
    }
    let limit = situation.lead_limit as usize;
    let overloaded = led.values().filter(|lines| lines.len() > limit).count();
    let mut load: Vec<PartnerLoad> = situation
        .partners
        .iter()
        .filter_map(|p| {
            let lines = led.remove(p.id.as_str())?;
            Some(PartnerLoad {
                id: p.id.clone(),
                name: p.short_name().to_owned(),
                active_leads: lines.len(),
            })
        })
        .collect();
    load.sort_by_key(|l| std::cmp::Reverse(l.active_leads));
    load.truncate(LOAD_SHOWN);
    (load, overloaded)
}

fn lines_by_status(situation: &Situation) -> Vec<(Status, usize)> {
    Status::ALL
        .iter()
        .map(|&status| {
            let n = situation
                .lines
                .iter()
                .filter(|l| l.status == status)
                .count();
            (status, n)
        })
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// "1 day", "12 days".
pub fn days(n: i64) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

/// "today", "tomorrow", "in 12 days".
pub fn in_days_text(n: i64) -> String {
    match n {
        0 => "today".into(),
        1 => "tomorrow".into(),
        n => format!("in {}", days(n)),
    }
}

/// Whether an event kind appears on the Overview's timeline strip.
pub fn on_strip(kind: EventKind) -> bool {
    kind != EventKind::Incident
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::check_all;
    use crate::model::{
        Assignment, Event, Instrument, LineOfEffort, PartialDate, Partner, PartnerCategory,
    };

    fn day(text: &str) -> PartialDate {
        text.parse().expect("a test date")
    }

    fn partner(id: &str, name: &str, acronym: &str) -> Partner {
        Partner {
            id: id.into(),
            name: name.into(),
            acronym: acronym.into(),
            category: PartnerCategory::Regional,
            instruments: Vec::new(),
            notes: String::new(),
            sensitivity: Default::default(),
        }
    }

    fn situation() -> Situation {
        let mut s = Situation::new("Test", day("2010-10-15"));
        s.events = vec![
            Event::new(
                "w-old",
                "Old warning",
                EventKind::WarningSign,
                day("2010-08-16"),
            ),
            Event::new(
                "w-new",
                "New warning",
                EventKind::WarningSign,
                day("2010-10-05"),
            ),
            Event::new(
                "w-planned",
                "Warning with a plan",
                EventKind::WarningSign,
                day("2010-10-01"),
            ),
            Event::new(
                "w-done",
                "Answered warning",
                EventKind::WarningSign,
                day("2010-09-01"),
            ),
            Event::new(
                "a-done",
                "Envoy sent",
                EventKind::DiplomaticAction,
                day("2010-09-11"),
            ),
            Event::new(
                "a-later",
                "Mission planned",
                EventKind::DiplomaticAction,
                day("2010-10-25"),
            ),
            Event::new(
                "t-soon",
                "Run-off",
                EventKind::ThresholdMoment,
                day("2010-11-07"),
            ),
            Event::new(
                "t-far",
                "Inauguration",
                EventKind::ThresholdMoment,
                day("2010-12-21"),
            ),
        ];
        s.events[4].answers = vec!["w-done".into()];
        s.events[5].answers = vec!["w-planned".into()];
        s.events[6].lines = vec!["med".into(), "obs".into()];
        s.lines = vec![
            LineOfEffort::new("med", "Mediation", Instrument::GoodOffices),
            LineOfEffort::new("obs", "Observation", Instrument::GoodOffices),
        ];
        s.lines[0].status = Status::Active;
        s.partners = vec![partner("au", "African Union", "AU")];
        s.assignments = vec![Assignment::new("med", "au", Role::Lead)];
        s
    }

    #[test]
    fn unanswered_warnings_come_first_longest_waiting_first() {
        let s = situation();
        let a = Attention::of(&s, &check_all(&s), DEFAULT_HORIZON_DAYS);
        let first: Vec<(&str, &Concern)> = a
            .items
            .iter()
            .take(2)
            .map(|i| (i.item.id.as_str(), &i.concern))
            .collect();
        assert_eq!(
            first,
            [
                ("w-old", &Concern::Unanswered { waited_days: 60 }),
                ("w-new", &Concern::Unanswered { waited_days: 10 }),
            ]
        );
        assert_eq!(
            a.items[0].reason(),
            "Unanswered warning sign, waiting for 60 days"
        );
    }

    #[test]
    fn thresholds_within_the_horizon_say_whether_their_lines_have_a_lead() {
        let s = situation();
        let a = Attention::of(&s, &check_all(&s), DEFAULT_HORIZON_DAYS);
        let soon = a
            .items
            .iter()
            .find(|i| i.item.id == "t-soon")
            .expect("the run-off is in 23 days");
        assert_eq!(
            soon.reason(),
            "Threshold moment in 23 days; “Mediation” led by AU; “Observation” has no lead"
        );
        let later: Vec<(&str, i64)> = a
            .later_thresholds
            .iter()
            .map(|(item, _, days)| (item.id.as_str(), *days))
            .collect();
        assert_eq!(later, [("t-far", 67)]);
        let wider = Attention::of(&s, &check_all(&s), 90);
        assert!(wider.later_thresholds.is_empty());
        assert!(wider.items.iter().any(|i| i.item.id == "t-far"));
    }

    #[test]
    fn a_planned_answer_is_listed_after_the_problems_and_not_counted_as_answered() {
        let s = situation();
        let a = Attention::of(&s, &check_all(&s), DEFAULT_HORIZON_DAYS);
        let last = a.items.last().expect("items");
        assert_eq!(last.item.id, "w-planned");
        assert_eq!(
            last.reason(),
            "Answer planned, not given: “Mission planned” in 10 days"
        );
        assert!(!a.items.iter().any(|i| i.item.id == "w-done"));
        assert_eq!((a.pace.warnings, a.pace.answered), (4, 1));
        assert_eq!(a.pace.longest, Some((10, "Answered warning".into())));
        assert_eq!((a.pace.within_7_days, a.pace.within_30_days), (0, 1));
    }

    #[test]
    fn matrix_problems_are_in_words_and_the_load_counts_active_leads() {
        let mut s = situation();
        s.partners.push(partner("ecowas", "ECOWAS", ""));
        s.assignments
            .push(Assignment::new("med", "ecowas", Role::Lead));
        let a = Attention::of(&s, &check_all(&s), DEFAULT_HORIZON_DAYS);
        let two_leads = a
            .items
            .iter()
            .find(|i| {
                matches!(
                    i.concern,
                    Concern::Matrix {
                        code: "matrix.multiple-leads",
                        ..
                    }
                )
            })
            .expect("two leads on mediation");
        assert_eq!(two_leads.heading(), "Several leads");
        assert!(two_leads.reason().contains("“Mediation” has 2 leads"));
        let load: Vec<(&str, usize)> = a
            .load
            .iter()
            .map(|l| (l.name.as_str(), l.active_leads))
            .collect();
        assert_eq!(load, [("AU", 1), ("ECOWAS", 1)]);
        assert_eq!(
            a.lines_by_status,
            [(Status::Planned, 1), (Status::Active, 1)]
        );
    }
}
