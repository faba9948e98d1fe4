//! The Overview: the situation at a glance.

use super::ViewCtx;
use super::detail::{DetailState, situation_form_ui};
use crate::analysis::summary::Counts;

/// The situation's summary and counts, with a form for its own fields.
pub fn overview_ui(ui: &mut egui::Ui, detail: &mut DetailState, ctx: &mut ViewCtx<'_>) {
    let s = ctx.situation;
    egui::ScrollArea::vertical()
        .id_salt("overview_scroll")
        .show(ui, |ui| {
            ui.set_max_width(900.0);
            ui.add_space(6.0);
            ui.heading(egui::RichText::new(&s.title).size(26.0));
            ui.horizontal_wrapped(|ui| {
                ui.label(egui::RichText::new(format!("As of {}", s.as_of)).strong());
                ui.separator();
                if !s.countries.is_empty() {
                    ui.label(format!("Countries: {}", s.countries.join(", ")));
                    ui.separator();
                }
                if !s.region.is_empty() {
                    ui.label(format!("Region: {}", s.region));
                    ui.separator();
                }
                ui.label(format!("Default sensitivity: {}", s.sensitivity.label()));
            });
            ui.add_space(8.0);
            ui.label(&s.summary);
            ui.add_space(12.0);
            let c = Counts::of(s);
            ui.horizontal_wrapped(|ui| {
                for (n, what) in [
                    (c.actors, "actors"),
                    (c.partners, "partners"),
                    (c.lines, "lines of effort"),
                    (c.assignments, "assignments"),
                    (c.events, "events"),
                ] {
                    egui::Frame::group(ui.style())
                        .inner_margin(10.0)
                        .show(ui, |ui| {
                            ui.vertical(|ui| {
                                ui.label(egui::RichText::new(n.to_string()).size(24.0).strong());
                                ui.label(what);
                            });
                        });
                }
            });
            let errors = ctx
                .diagnostics
                .iter()
                .filter(|d| d.severity == crate::model::Severity::Error)
                .count();
            let warnings = ctx.diagnostics.len() - errors;
            ui.add_space(8.0);
            ui.label(format!(
                "{} and {} — open the Problems panel from the status bar.",
                crate::text::counted(errors, "error", "errors"),
                crate::text::counted(warnings, "warning", "warnings")
            ));
            ui.add_space(12.0);
            egui::CollapsingHeader::new("Situation details")
                .default_open(true)
                .show(ui, |ui| situation_form_ui(ui, detail, ctx));
        });
}
