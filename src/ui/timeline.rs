//! The timeline (built in its own issue).

use super::ViewCtx;

/// State of the timeline view.
#[derive(Default)]
pub struct TimelineState {}

pub fn timeline_ui(ui: &mut egui::Ui, _state: &mut TimelineState, _ctx: &mut ViewCtx<'_>) {
    ui.heading("Timeline");
}
