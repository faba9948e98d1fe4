//! The Problems panel: every diagnostic, live; a click selects the item it is about.

use super::Action;
use crate::model::{Diagnostic, ItemRef};

use super::theme::severity_color;

pub fn problems_ui(
    ui: &mut egui::Ui,
    diagnostics: &[Diagnostic],
    selection: &Option<ItemRef>,
    actions: &mut Vec<Action>,
) {
    ui.horizontal(|ui| {
        ui.strong("Problems");
        ui.label(egui::RichText::new(format!("{}", diagnostics.len())).weak());
    });
    if diagnostics.is_empty() {
        ui.label(egui::RichText::new("No open problems.").weak());
        return;
    }
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    egui::ScrollArea::vertical()
        .id_salt("problems_scroll")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, diagnostics.len(), |ui, range| {
            for d in diagnostics.get(range).unwrap_or_default() {
                ui.horizontal(|ui| {
                    ui.colored_label(severity_color(d.severity), d.severity.label());
                    ui.strong(d.title()).on_hover_text(d.code);
                    let target = d.item_ref();
                    let selected = target.is_some() && target == *selection;
                    let response =
                        ui.add(egui::Button::selectable(selected, &d.message).frame(false));
                    if response.clicked()
                        && let Some(item) = target
                    {
                        actions.push(Action::Reveal(item));
                    }
                });
            }
        });
}
