//! The warning-to-action continuum (S/2011/552 ¶47): how long each warning waited for an answer.

use serde::Serialize;

use crate::model::{Diagnostic, Event, EventKind, ItemKind, PartialDate, Precision, Situation};

/// One warning sign and the first action that answered it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WarningLag {
    pub id: String,
    pub date: PartialDate,
    /// The first answering event, by date.
    pub answered_by: Option<String>,
    /// Days from the warning to that answer, counted from the earliest day of each date.
    pub lag_days: Option<i64>,
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
    pub median_lag_days: Option<f64>,
    /// Threshold moments after the as-of date, soonest first.
    pub upcoming_thresholds: Vec<UpcomingThreshold>,
}

/// The events that answer `warning` and are not dated before it, earliest first.
fn answers_to<'a>(situation: &'a Situation, warning: &Event) -> Vec<&'a Event> {
    let mut answers: Vec<&Event> = situation
        .events
        .iter()
        .filter(|e| e.id != warning.id && e.answers.iter().any(|w| *w == warning.id))
        .filter(|e| e.date.first_day() >= warning.date.first_day())
        .collect();
    answers.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
    answers
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
    let mut out = Continuum::default();
    for warning in warnings {
        let first = answers_to(situation, warning).into_iter().next();
        let lag =
            first.map(|answer| (answer.date.first_day() - warning.date.first_day()).num_days());
        let approximate = warning.date.precision() != Precision::Day
            || first.is_some_and(|a| a.date.precision() != Precision::Day);
        if first.is_none() && warning.date.first_day() < as_of {
            out.unanswered.push(warning.id.clone());
        }
        out.warnings.push(WarningLag {
            id: warning.id.clone(),
            date: warning.date,
            answered_by: first.map(|a| a.id.clone()),
            lag_days: lag,
            approximate,
        });
    }
    let mut lags: Vec<i64> = out.warnings.iter().filter_map(|w| w.lag_days).collect();
    lags.sort_unstable();
    out.median_lag_days = median(&lags);
    let mut upcoming: Vec<&Event> = situation
        .events
        .iter()
        .filter(|e| e.kind == EventKind::ThresholdMoment && e.date.first_day() > as_of)
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
    for event in &situation.events {
        for warning_id in &event.answers {
            let Some(warning) = situation.event(warning_id) else {
                continue;
            };
            if event.date.last_day() < warning.date.first_day() {
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
    for id in continuum(situation).unanswered {
        if let Some(w) = situation.event(&id) {
            out.push(
                Diagnostic::warning(
                    "timeline.unanswered-warning",
                    format!(
                        "no action answers the warning sign “{}” ({})",
                        w.title, w.date
                    ),
                )
                .about(ItemKind::Event, &w.id),
            );
        }
    }
    out
}
