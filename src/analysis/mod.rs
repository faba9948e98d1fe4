//! Facts derived from a situation: matrix checks, the warning-to-action continuum, summaries.

pub mod attention;
pub mod axis;
pub mod diff;
pub mod find;
pub mod geo;
pub mod incremental;
pub mod matrix;
pub mod summary;
pub mod timeline;
pub mod timeline_layout;

use crate::model::{Diagnostic, Situation, validate};

/// Every check Tandem knows: validation, matrix and timeline, in that order.
pub fn check_all(situation: &Situation) -> Vec<Diagnostic> {
    let mut out = validate(situation);
    out.extend(matrix::matrix_diagnostics(situation));
    out.extend(timeline::timeline_diagnostics(situation));
    out
}
