//! What `tandem summary` reports: counts, diagnostics, matrix flags, the continuum.

use serde::Serialize;

use super::matrix::{MatrixReport, matrix_report};
use super::timeline::{UpcomingThreshold, WarningLag, continuum};
use crate::model::{Severity, Situation};

/// How many items of each kind a situation holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub actors: usize,
    pub partners: usize,
    pub lines: usize,
    pub assignments: usize,
    pub events: usize,
}

impl Counts {
    pub fn of(situation: &Situation) -> Self {
        Self {
            actors: situation.actors.len(),
            partners: situation.partners.len(),
            lines: situation.lines.len(),
            assignments: situation.assignments.len(),
            events: situation.events.len(),
        }
    }
}

/// The summary of one situation, as printed by `tandem summary --json`.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub title: String,
    pub as_of: String,
    pub counts: Counts,
    pub errors: usize,
    pub warnings_found: usize,
    pub matrix: MatrixReport,
    pub warnings: Vec<WarningLag>,
    pub unanswered: Vec<String>,
    /// Warning signs whose only answers are dated after the as-of date.
    pub answer_planned: Vec<String>,
    pub median_lag_days: Option<f64>,
    pub upcoming_thresholds: Vec<UpcomingThreshold>,
}

impl Summary {
    pub fn of(situation: &Situation) -> Self {
        let diagnostics = super::check_all(situation);
        let continuum = continuum(situation);
        Self {
            title: situation.title.clone(),
            as_of: situation.as_of.to_string(),
            counts: Counts::of(situation),
            errors: diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count(),
            warnings_found: diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Warning)
                .count(),
            matrix: matrix_report(situation),
            warnings: continuum.warnings,
            unanswered: continuum.unanswered,
            answer_planned: continuum.answer_planned,
            median_lag_days: continuum.median_lag_days,
            upcoming_thresholds: continuum.upcoming_thresholds,
        }
    }
}
