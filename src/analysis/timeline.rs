//! The warning-to-action continuum (S/2011/552 ¶47): how long each warning waited for an answer.

use std::collections::HashMap;

use serde::Serialize;

use crate::model::{Diagnostic, Event, EventKind, ItemKind, PartialDate, Precision, Situation};

/// One warning sign and the first action that answered it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WarningLag {
    pub id: String,
    pub date: PartialDate,
    /// The first answering event dated on or before the as-of date, by date.
    pub answered_by: Option<String>,
    /// Days from the warning to that answer, counted from the earliest day of each date.
    pub lag_days: Option<i64>,
    /// When no answer has been given by the as-of date, the first answer dated after it: an
    /// "answer planned", not an answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub planned_answer: Option<String>,
    /// Whether either date is known only to the month or year, so the lag is approximate.
    pub approximate: bool,
}

/// A threshold moment still ahead of the situation's as-of date.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UpcomingThreshold {
    pub id: String,
    pub date: PartialDate,
}

/// The continuum for a whole situation.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Continuum {
    /// Every warning sign, in date order.
    pub warnings: Vec<WarningLag>,
    /// Warning signs dated before the as-of date that no action answers.
    pub unanswered: Vec<String>,
    /// Warning signs whose only answers are dated after the as-of date.
    pub answer_planned: Vec<String>,
    pub median_lag_days: Option<f64>,
    /// Threshold moments after the as-of date (or a month or year still running past it),
    /// soonest first.
    pub upcoming_thresholds: Vec<UpcomingThreshold>,
}

/// Whether `answer` is certainly dated before `warning`: a data error, not a negative lag.
///
/// Partial dates that overlap (an answer "2009-09" to a warning of 2009-09-15) are not
/// certainly before, so they count as answers with a lag of at least zero.
pub fn answers_before(answer: &Event, warning: &Event) -> bool {
    answer.date.last_day() < warning.date.first_day()
}

/// Days from `warning` to `answer`, counted from the earliest day of each date, never negative,
/// and whether that count is approximate (either date known only to the month or year).
pub fn lag_days(warning: &PartialDate, answer: &PartialDate) -> (i64, bool) {
    let days = (answer.first_day() - warning.first_day()).num_days().max(0);
    let approximate = warning.precision() != Precision::Day || answer.precision() != Precision::Day;
    (days, approximate)
}

/// Computes lags, unanswered warnings, the median lag and upcoming thresholds.
pub fn continuum(situation: &Situation) -> Continuum {
    let mut warnings: Vec<&Event> = situation
        .events
        .iter()
        .filter(|e| e.kind == EventKind::WarningSign)
        .collect();
    warnings.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
    let as_of = situation.as_of.first_day();
    // One pass over the events: for each warning id, the events that name it as answered.
    let mut answering: HashMap<&str, Vec<&Event>> = HashMap::new();
    for event in &situation.events {
        for warning_id in &event.answers {
            answering
                .entry(warning_id.as_str())
                .or_default()
                .push(event);
        }
    }
    let mut out = Continuum::default();
    for warning in warnings {
        let answers: Vec<&Event> = answering
            .get(warning.id.as_str())
            .into_iter()
            .flatten()
            .filter(|e| e.id != warning.id && !answers_before(e, warning))
            .copied()
            .collect();
        let earliest = |given: bool| {
            answers
                .iter()
                .filter(|e| (e.date.first_day() <= as_of) == given)
                .min_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)))
                .copied()
        };
        let first = earliest(true);
        let planned = if first.is_none() {
            earliest(false)
        } else {
            None
        };
        let lag = first.map(|answer| lag_days(&warning.date, &answer.date));
        if answers.is_empty() && warning.date.first_day() < as_of {
            out.unanswered.push(warning.id.clone());
        }
        if planned.is_some() {
            out.answer_planned.push(warning.id.clone());
        }
        out.warnings.push(WarningLag {
            id: warning.id.clone(),
            date: warning.date,
            answered_by: first.map(|a| a.id.clone()),
            lag_days: lag.map(|(days, _)| days),
            planned_answer: planned.map(|a| a.id.clone()),
            approximate: lag.is_some_and(|(_, approximate)| approximate)
                || warning.date.precision() != Precision::Day,
        });
    }
    let mut lags: Vec<i64> = out.warnings.iter().filter_map(|w| w.lag_days).collect();
    lags.sort_unstable();
    out.median_lag_days = median(&lags);
    let mut upcoming: Vec<&Event> = situation
        .events
        .iter()
        .filter(|e| e.kind == EventKind::ThresholdMoment && e.date.last_day() > as_of)
        .collect();
    upcoming.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
    out.upcoming_thresholds = upcoming
        .into_iter()
        .map(|e| UpcomingThreshold {
            id: e.id.clone(),
            date: e.date,
        })
        .collect();
    out
}

/// The median of sorted values; the mean of the two middle ones for an even count.
fn median(sorted: &[i64]) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let mid = n / 2;
    if n % 2 == 1 {
        sorted.get(mid).map(|&v| v as f64)
    } else {
        match (sorted.get(mid - 1), sorted.get(mid)) {
            (Some(&a), Some(&b)) => Some((a + b) as f64 / 2.0),
            _ => None,
        }
    }
}

/// `timeline.unanswered-warning` for each unanswered warning before the as-of date, and
/// `date.order` for an answer dated before the warning it claims to answer.
pub fn timeline_diagnostics(situation: &Situation) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let by_id: HashMap<&str, &Event> = situation
        .events
        .iter()
        .map(|e| (e.id.as_str(), e))
        .collect();
    for event in &situation.events {
        answer_order_findings(event, |id| by_id.get(id).copied(), &mut out);
    }
    for id in continuum(situation).unanswered {
        if let Some(w) = by_id.get(id.as_str()) {
            out.push(unanswered_finding(w));
        }
    }
    out
}

/// `date.order` for each warning `event` says it answers that comes later than it;
/// `warning` finds an event by id.
pub fn answer_order_findings<'a>(
    event: &Event,
    warning: impl Fn(&str) -> Option<&'a Event>,
    out: &mut Vec<Diagnostic>,
) {
    for warning_id in &event.answers {
        let Some(warning) = warning(warning_id.as_str()) else {
            continue;
        };
        if warning.kind == EventKind::WarningSign && answers_before(event, warning) {
            out.push(
                Diagnostic::error(
                    "date.order",
                    format!(
                        "“{}” ({}) is said to answer the warning “{}”, which comes later ({})",
                        event.title, event.date, warning.title, warning.date
                    ),
                )
                .about(ItemKind::Event, &event.id)
                .with_related(vec![warning.id.clone()]),
            );
        }
    }
}

/// Whether `warning`, a warning sign dated before the as-of date, has no answer in
/// `situation` (as [`continuum`] counts answers).
pub fn is_unanswered(situation: &Situation, warning: &Event) -> bool {
    warning.kind == EventKind::WarningSign
        && warning.date.first_day() < situation.as_of.first_day()
        && !situation.events.iter().any(|e| {
            e.id != warning.id && e.answers.contains(&warning.id) && !answers_before(e, warning)
        })
}

/// `timeline.unanswered-warning` for `w`.
pub fn unanswered_finding(w: &Event) -> Diagnostic {
    Diagnostic::warning(
        "timeline.unanswered-warning",
        format!(
            "no action answers the warning sign “{}” ({})",
            w.title, w.date
        ),
    )
    .about(ItemKind::Event, &w.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Severity;

    fn date(text: &str) -> PartialDate {
        text.parse().unwrap()
    }

    fn event(id: &str, kind: EventKind, when: &str, answers: &[&str]) -> Event {
        Event {
            id: id.into(),
            title: format!("Event {id}"),
            kind,
            date: date(when),
            end: None,
            actors: Vec::new(),
            partners: Vec::new(),
            lines: Vec::new(),
            answers: answers.iter().map(|a| (*a).to_owned()).collect(),
            source: String::new(),
            notes: String::new(),
            sensitivity: Default::default(),
            fatalities: None,
            place: None,
            description: String::new(),
        }
    }

    fn warning(id: &str, when: &str) -> Event {
        event(id, EventKind::WarningSign, when, &[])
    }

    fn action(id: &str, when: &str, answers: &[&str]) -> Event {
        event(id, EventKind::DiplomaticAction, when, answers)
    }

    fn situation(as_of: &str, events: Vec<Event>) -> Situation {
        let mut s = Situation::new("Test", date(as_of));
        s.events = events;
        s
    }

    fn lag_of<'a>(c: &'a Continuum, id: &str) -> &'a WarningLag {
        c.warnings.iter().find(|w| w.id == id).unwrap()
    }

    fn codes(s: &Situation) -> Vec<(&'static str, Option<String>)> {
        timeline_diagnostics(s)
            .into_iter()
            .map(|d| (d.code, d.item))
            .collect()
    }

    #[test]
    fn an_answer_dated_after_as_of_is_planned_not_given() {
        let s = situation(
            "2010-10-15",
            vec![
                warning("w", "2010-09-01"),
                action("later", "2010-11-01", &["w"]),
                warning("v", "2010-09-01"),
                action("given", "2010-10-01", &["v"]),
                action("also-later", "2010-12-01", &["v"]),
                warning("ahead", "2010-11-20"),
            ],
        );
        let c = continuum(&s);
        let w = lag_of(&c, "w");
        assert_eq!(w.answered_by, None, "not answered by the as-of date");
        assert_eq!(w.lag_days, None, "a plan has no lag yet");
        assert_eq!(w.planned_answer.as_deref(), Some("later"));
        let v = lag_of(&c, "v");
        assert_eq!(v.answered_by.as_deref(), Some("given"));
        assert_eq!(v.planned_answer, None, "already answered");
        assert_eq!(c.answer_planned, vec!["w".to_owned()]);
        assert!(
            c.unanswered.is_empty(),
            "w has an answer planned; ahead is ahead"
        );
        assert_eq!(c.median_lag_days, Some(30.0), "only given answers count");
    }

    #[test]
    fn lag_at_day_precision_is_exact() {
        // 28 Sep 2009 to 16 Oct 2009: 2 days of September left + 16 of October = 18.
        let s = situation(
            "2010-12-31",
            vec![
                warning("w", "2009-09-28"),
                action("a", "2009-10-16", &["w"]),
            ],
        );
        let c = continuum(&s);
        let w = lag_of(&c, "w");
        assert_eq!(w.answered_by.as_deref(), Some("a"));
        assert_eq!(w.lag_days, Some(18));
        assert!(!w.approximate);
        assert_eq!(c.median_lag_days, Some(18.0));
        assert!(c.unanswered.is_empty());
    }

    #[test]
    fn lag_across_a_leap_day_counts_it() {
        let s = situation(
            "2010-12-31",
            vec![
                warning("w", "2008-02-28"),
                action("a", "2008-03-01", &["w"]),
            ],
        );
        assert_eq!(lag_of(&continuum(&s), "w").lag_days, Some(2));
    }

    #[test]
    fn month_precision_counts_from_the_first_of_the_month_and_is_approximate() {
        // Warning "2009-09" means from 1 Sep; answer on 10 Oct: 29 + 10 = 39 days.
        let s = situation(
            "2010-12-31",
            vec![warning("w", "2009-09"), action("a", "2009-10-10", &["w"])],
        );
        let w = lag_of(&continuum(&s), "w").clone();
        assert_eq!(w.lag_days, Some(39));
        assert!(w.approximate);

        // A month-precision answer is approximate too, even for a day-precision warning.
        let s = situation(
            "2010-12-31",
            vec![warning("w", "2009-09-10"), action("a", "2009-11", &["w"])],
        );
        let w = lag_of(&continuum(&s), "w").clone();
        assert_eq!(w.lag_days, Some(52)); // 10 Sep → 1 Nov
        assert!(w.approximate);
    }

    #[test]
    fn year_precision_counts_from_the_first_of_january() {
        let s = situation(
            "2011-06-01",
            vec![warning("w", "2009"), action("a", "2010-02-01", &["w"])],
        );
        let w = lag_of(&continuum(&s), "w").clone();
        assert_eq!(w.lag_days, Some(365 + 31));
        assert!(w.approximate);
    }

    #[test]
    fn an_overlapping_partial_answer_has_lag_zero_not_negative() {
        // "2009-09" may well be after 15 Sep: it answers, lag clamped to 0, approximate.
        let s = situation(
            "2010-12-31",
            vec![warning("w", "2009-09-15"), action("a", "2009-09", &["w"])],
        );
        let c = continuum(&s);
        let w = lag_of(&c, "w");
        assert_eq!(w.answered_by.as_deref(), Some("a"));
        assert_eq!(w.lag_days, Some(0));
        assert!(w.approximate);
        assert!(codes(&s).iter().all(|(code, _)| *code != "date.order"));
    }

    #[test]
    fn the_first_of_several_answers_counts() {
        let s = situation(
            "2010-12-31",
            vec![
                warning("w", "2009-01-10"),
                action("late", "2009-03-01", &["w"]),
                action("first", "2009-01-20", &["w"]),
                action("middle", "2009-02-01", &["w"]),
            ],
        );
        let c = continuum(&s);
        let w = lag_of(&c, "w");
        assert_eq!(w.answered_by.as_deref(), Some("first"));
        assert_eq!(w.lag_days, Some(10));
        assert_eq!(c.median_lag_days, Some(10.0));
    }

    #[test]
    fn an_action_before_its_warning_is_a_data_error_not_a_negative_lag() {
        let s = situation(
            "2010-12-31",
            vec![
                warning("w", "2009-05-10"),
                action("early", "2009-05-01", &["w"]),
            ],
        );
        let c = continuum(&s);
        let w = lag_of(&c, "w");
        assert_eq!(w.answered_by, None);
        assert_eq!(w.lag_days, None);
        assert_eq!(c.unanswered, vec!["w".to_owned()]);
        let diags = timeline_diagnostics(&s);
        let order = diags.iter().find(|d| d.code == "date.order").unwrap();
        assert_eq!(order.severity, Severity::Error);
        assert_eq!(order.item.as_deref(), Some("early"));
        assert_eq!(order.related, vec!["w".to_owned()]);

        // With a later answer too, that one counts and the early one is still reported.
        let mut s = s;
        s.events.push(action("later", "2009-05-15", &["w"]));
        let c = continuum(&s);
        assert_eq!(lag_of(&c, "w").answered_by.as_deref(), Some("later"));
        assert_eq!(lag_of(&c, "w").lag_days, Some(5));
        assert!(codes(&s).contains(&("date.order", Some("early".into()))));
    }

    #[test]
    fn unanswered_warnings_before_the_as_of_date_are_flagged_and_later_ones_are_not() {
        let s = situation(
            "2010-06-15",
            vec![
                warning("old", "2010-01-05"),
                warning("on-the-day", "2010-06-15"),
                warning("future", "2010-07-01"),
                warning("answered", "2010-02-01"),
                action("a", "2010-02-11", &["answered"]),
            ],
        );
        let c = continuum(&s);
        assert_eq!(c.unanswered, vec!["old".to_owned()]);
        assert_eq!(
            c.warnings.iter().map(|w| w.id.as_str()).collect::<Vec<_>>(),
            ["old", "answered", "on-the-day", "future"]
        );
        assert_eq!(lag_of(&c, "future").lag_days, None);
        let flagged: Vec<_> = codes(&s)
            .into_iter()
            .filter(|(code, _)| *code == "timeline.unanswered-warning")
            .map(|(_, item)| item)
            .collect();
        assert_eq!(flagged, vec![Some("old".to_owned())]);
    }

    #[test]
    fn median_of_an_even_count_is_the_mean_of_the_middle_two() {
        let s = situation(
            "2010-12-31",
            vec![
                warning("w1", "2009-01-01"),
                action("a1", "2009-01-03", &["w1"]),
                warning("w2", "2009-02-01"),
                action("a2", "2009-02-08", &["w2"]),
                warning("w3", "2009-03-01"),
                action("a3", "2009-03-04", &["w3"]),
                warning("w4", "2009-04-01"),
                action("a4", "2009-05-01", &["w4"]),
                warning("none", "2009-06-01"),
            ],
        );
        // Lags 2, 7, 3, 30 → sorted 2, 3, 7, 30 → (3 + 7) / 2.
        assert_eq!(continuum(&s).median_lag_days, Some(5.0));
        assert_eq!(
            continuum(&situation("2010-01-01", vec![])).median_lag_days,
            None
        );
    }

    #[test]
    fn upcoming_thresholds_are_after_the_as_of_date_soonest_first() {
        let threshold = |id: &str, when: &str| event(id, EventKind::ThresholdMoment, when, &[]);
        let s = situation(
            "2010-06-15",
            vec![
                threshold("past", "2010-06-01"),
                threshold("today", "2010-06-15"),
                threshold("later", "2010-11-07"),
                threshold("sooner", "2010-06-27"),
                threshold("this-month", "2010-06"),
                event("incident", EventKind::Incident, "2010-07-01", &[]),
            ],
        );
        let ids: Vec<String> = continuum(&s)
            .upcoming_thresholds
            .into_iter()
            .map(|t| t.id)
            .collect();
        assert_eq!(ids, ["this-month", "sooner", "later"]);
    }
}
