//! The who-does-what figure: lines of effort (grouped by instrument, as the app groups them) ×
//! the partners that hold a role (grouped by category), role letters on the roles' colours,
//! column heads turned so that whole names fit.

use super::{Anchor, BAND, Canvas, MARGIN, MUTED, RULE, TEXT, foot_height};
use crate::analysis::matrix::{
    MatrixFilters, MatrixIndex, MatrixOrder, RowEntry, matrix_diagnostics,
};
use crate::export::fonts::Weight;
use crate::model::{Role, Situation};
use crate::palette;

/// The most rows (group headers included) a figure shows.
pub(super) const MAX_ROWS: usize = 60;
/// The most partner columns a figure shows.
pub(super) const MAX_COLS: usize = 60;

const LABEL_W: f32 = 360.0;
const CELL_W: f32 = 26.0;
const CELL_H: f32 = 22.0;
/// The length of a turned column head, and its angle.
const HEAD_LEN: f32 = 200.0;
const HEAD_DEGREES: f32 = -55.0;
const SIZE: f32 = 12.0;

/// Draws the matrix of `situation` on `canvas`, sizing it.
pub(super) fn draw(canvas: &mut Canvas, situation: &Situation, marking: &str) {
    let diagnostics = matrix_diagnostics(situation);
    let index = MatrixIndex::build(situation, &diagnostics);
    let filters = MatrixFilters {
        hide_empty_columns: true,
        ..MatrixFilters::default()
    };
    let order = MatrixOrder::build(situation, &index, &filters);
    let rows = order
        .rows
        .get(..MAX_ROWS.min(order.rows.len()))
        .unwrap_or_default();
    let cols = order
        .cols
        .get(..MAX_COLS.min(order.cols.len()))
        .unwrap_or_default();
    let (sin, cos) = HEAD_DEGREES.to_radians().abs().sin_cos();
    let head_h = HEAD_LEN * sin + 12.0;
    let grid_w = LABEL_W + CELL_W * cols.len() as f32;
    let mut notes = Vec::new();
    let lines_shown = rows
        .iter()
        .filter(|r| matches!(r, RowEntry::Line(_)))
        .count();
    let lines_all = order
        .rows
        .iter()
        .filter(|r| matches!(r, RowEntry::Line(_)))
        .count();
    if lines_shown < lines_all || cols.len() < order.cols.len() {
        notes.push(format!(
            "Showing {lines_shown} of {lines_all} lines of effort and {} of {} partners; the briefing paper has them all.",
            cols.len(),
            order.cols.len()
        ));
    }
    let legend_h = 30.0;
    let width = (2.0 * MARGIN + grid_w + HEAD_LEN * cos).max(760.0);
    let top = 120.0 + head_h;
    let grid_h = CELL_H * rows.len().max(1) as f32;
    let height = top + grid_h + legend_h + foot_height(notes.len());
    canvas.size(width, height);
    let subtitle = format!(
        "Who does what · {} · as of {}",
        crate::text::counted(lines_all, "line of effort", "lines of effort"),
        situation.as_of
    );
    canvas.heading(marking, &situation.title, &subtitle);
    heads(canvas, situation, cols, top);
    if rows.is_empty() {
        let at = (MARGIN, top + 16.0);
        canvas.text(
            at,
            SIZE,
            Weight::Regular,
            MUTED,
            Anchor::Start,
            grid_w,
            "No lines of effort.",
        );
    }
    for (r, row) in rows.iter().enumerate() {
        let y = top + CELL_H * r as f32;
        draw_row(canvas, situation, &index, cols, row, y);
    }
    legend(canvas, top + grid_h + 22.0);
    canvas.footing(top + grid_h + legend_h, &notes, marking);
}

/// The partners' names, turned, above their columns.
fn heads(canvas: &mut Canvas, situation: &Situation, cols: &[usize], top: f32) {
    for (c, &pi) in cols.iter().enumerate() {
        let Some(partner) = situation.partners.get(pi) else {
            continue;
        };
        let x = MARGIN + LABEL_W + CELL_W * (c as f32 + 0.5) + 4.0;
        let at = (x, top - 6.0);
        let name = partner.short_name();
        canvas.text_turned(
            at,
            HEAD_DEGREES,
            SIZE,
            Weight::Bold,
            TEXT,
            Anchor::Start,
            HEAD_LEN,
            name,
        );
    }
}

/// One row: a group's band, or a line's title and its cells.
fn draw_row(
    canvas: &mut Canvas,
    situation: &Situation,
    index: &MatrixIndex,
    cols: &[usize],
    row: &RowEntry,
    y: f32,
) {
    let grid_w = LABEL_W + CELL_W * cols.len() as f32;
    let baseline = y + CELL_H / 2.0 + SIZE * 0.35;
    match row {
        RowEntry::Group { label, count } => {
            canvas.rect(MARGIN, y, grid_w, CELL_H, BAND);
            let text = format!("{label} ({count})");
            let at = (MARGIN + 4.0, baseline);
            canvas.text(
                at,
                SIZE,
                Weight::Bold,
                TEXT,
                Anchor::Start,
                grid_w - 8.0,
                &text,
            );
        }
        RowEntry::Line(li) => {
            let Some(line) = situation.lines.get(*li) else {
                return;
            };
            let at = (MARGIN + 12.0, baseline);
            let room = LABEL_W - 18.0;
            canvas.text(
                at,
                SIZE,
                Weight::Regular,
                TEXT,
                Anchor::Start,
                room,
                &line.title,
            );
            for (c, &pi) in cols.iter().enumerate() {
                let Some(assignment) = index
                    .cells
                    .get(&(*li, pi))
                    .and_then(|&ai| situation.assignments.get(ai))
                else {
                    continue;
                };
                let x = MARGIN + LABEL_W + CELL_W * c as f32;
                canvas.rect(
                    x + 1.0,
                    y + 1.0,
                    CELL_W - 2.0,
                    CELL_H - 2.0,
                    palette::role(assignment.role),
                );
                let at = (x + CELL_W / 2.0, baseline);
                let letter = assignment.role.short();
                canvas.text(
                    at,
                    11.0,
                    Weight::Bold,
                    palette::WHITE,
                    Anchor::Middle,
                    CELL_W,
                    &letter,
                );
            }
        }
    }
    canvas.line(
        (MARGIN, y + CELL_H),
        (MARGIN + grid_w, y + CELL_H),
        RULE,
        0.6,
    );
}

/// The roles' colours and letters.
fn legend(canvas: &mut Canvas, y: f32) {
    let mut x = MARGIN;
    for role in [
        Role::Lead,
        Role::Support,
        Role::BurdenSharing,
        Role::Sequential(1),
        Role::Joint,
    ] {
        canvas.rect(x, y - 11.0, 14.0, 14.0, palette::role(role));
        let label = match role {
            Role::Sequential(_) => "Qn sequential step n".to_owned(),
            other => format!("{} {}", other.short(), other.describe().to_lowercase()),
        };
        let w = canvas.width_of(&label, Weight::Regular, 11.0);
        canvas.text(
            (x + 18.0, y),
            11.0,
            Weight::Regular,
            TEXT,
            Anchor::Start,
            w + 4.0,
            &label,
        );
        x += w + 36.0;
    }
}
