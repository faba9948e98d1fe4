//! The division-of-labour matrix (built in its own issue).

use super::ViewCtx;

/// State of the matrix view.
#[derive(Default)]
pub struct MatrixState {}

pub fn matrix_ui(ui: &mut egui::Ui, _state: &mut MatrixState, _ctx: &mut ViewCtx<'_>) {
    ui.heading("Matrix");
}
