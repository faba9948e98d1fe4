//! Event markers, one shape per kind, shared by the timeline and the map so that an event
//! looks the same in both.

use egui::{Pos2, Rect, Stroke, Vec2, pos2};

use super::theme::event_color;
use crate::model::EventKind;

/// Paints an event marker: a shape per kind, so colour is not the only clue.
pub fn paint_event_marker(
    painter: &egui::Painter,
    c: Pos2,
    r: f32,
    kind: EventKind,
    outline: Option<Stroke>,
) {
    let fill = event_color(kind);
    let stroke = outline.unwrap_or(Stroke::new(1.0, fill.gamma_multiply(0.6)));
    let poly = |points: Vec<Pos2>| egui::Shape::convex_polygon(points, fill, stroke);
    let shape = match kind {
        EventKind::WarningSign => poly(vec![
            pos2(c.x, c.y - r * 1.15),
            pos2(c.x + r, c.y + r * 0.75),
            pos2(c.x - r, c.y + r * 0.75),
        ]),
        EventKind::ThresholdMoment => poly(vec![
            pos2(c.x, c.y - r * 1.2),
            pos2(c.x + r * 1.2, c.y),
            pos2(c.x, c.y + r * 1.2),
            pos2(c.x - r * 1.2, c.y),
        ]),
        EventKind::DiplomaticAction => {
            egui::Shape::rect_filled(Rect::from_center_size(c, Vec2::splat(r * 1.7)), 1.0, fill)
        }
        EventKind::Agreement => poly(vec![
            pos2(c.x - r, c.y - r * 0.6),
            pos2(c.x + r, c.y - r * 0.6),
            pos2(c.x + r, c.y + r * 0.6),
            pos2(c.x - r, c.y + r * 0.6),
        ]),
        EventKind::Incident => egui::Shape::circle_filled(c, r, fill),
        EventKind::Milestone => egui::Shape::circle_filled(c, r * 0.7, fill),
    };
    painter.add(shape);
    if let Some(o) = outline
        && matches!(
            kind,
            EventKind::DiplomaticAction | EventKind::Incident | EventKind::Milestone
        )
    {
        painter.circle_stroke(c, r + 1.5, o);
    }
}
