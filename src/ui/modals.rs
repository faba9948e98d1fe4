//! The small modal questions: an error to acknowledge, "save the changes first?", and "delete
//! an item others refer to?". Each draws over the window and returns the user's answer as an
//! [`Action`]; the app applies it after the frame.

use super::action::{Action, PathPrompt, UnsavedChoice};
use crate::model::{ItemRef, Situation, ids};
use crate::text::counted;

/// A message the user must acknowledge. Returns [`Action::DismissError`] once they have.
pub fn error_dialog_ui(ctx: &egui::Context, title: &str, message: &str) -> Option<Action> {
    let modal = egui::Modal::new(egui::Id::unique("error_dialog")).show(ctx, |ui| {
        ui.set_max_width(520.0);
        ui.heading(title);
        ui.add_space(6.0);
        ui.label(message);
        ui.add_space(8.0);
        ui.button("OK").clicked()
    });
    (modal.inner || modal.should_close()).then_some(Action::DismissError)
}

/// "Save the changes to NAME before WHAT?" — Save, Discard changes or Cancel.
pub fn unsaved_prompt_ui(ctx: &egui::Context, name: &str, what: &str) -> Option<Action> {
    let modal = egui::Modal::new(egui::Id::unique("confirm_discard")).show(ctx, |ui| {
        ui.set_max_width(480.0);
        ui.heading("Unsaved changes");
        ui.label(format!("Save the changes to “{name}” before {what}?"));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Save").clicked() {
                Some(UnsavedChoice::Save)
            } else if ui.button("Discard changes").clicked() {
                Some(UnsavedChoice::Discard)
            } else if ui.button("Cancel").clicked() {
                Some(UnsavedChoice::Cancel)
            } else {
                None
            }
        })
        .inner
    });
    modal
        .inner
        .or(modal.should_close().then_some(UnsavedChoice::Cancel))
        .map(Action::AnswerUnsaved)
}

/// Asks before deleting an item that others refer to, listing the references that go with it.
pub fn delete_confirm_ui(
    ctx: &egui::Context,
    situation: &Situation,
    target: &ItemRef,
) -> Option<Action> {
    let references = ids::references_to(situation, target);
    let name = item_name(situation, target);
    let modal = egui::Modal::new(egui::Id::unique("confirm_delete")).show(ctx, |ui| {
        ui.set_max_width(480.0);
        ui.heading(format!("Delete {} “{name}”?", target.kind.label()));
        let one = references.len() == 1;
        ui.label(format!(
            "{} refer{} to it. Deleting removes {} in the same step (Undo brings everything back):",
            counted(references.len(), "other place", "other places"),
            if one { "s" } else { "" },
            if one {
                "that reference"
            } else {
                "those references"
            },
        ));
        egui::ScrollArea::vertical()
            .max_height(220.0)
            .show(ui, |ui| {
                for (item, field) in &references {
                    let what = match *field {
                        "assignment" => "matrix assignment".to_owned(),
                        other => format!("in its {other}"),
                    };
                    ui.label(format!(
                        "• {} “{}” — {what}",
                        item.kind.label(),
                        item_name(situation, item)
                    ));
                }
            });
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Delete with its references").clicked() {
                Some(true)
            } else if ui.button("Cancel").clicked() {
                Some(false)
            } else {
                None
            }
        })
        .inner
    });
    modal
        .inner
        .or(modal.should_close().then_some(false))
        .map(Action::AnswerDelete)
}

fn item_name(situation: &Situation, item: &ItemRef) -> String {
    situation
        .item_name(item.kind, &item.id)
        .map_or_else(|| item.id.clone(), str::to_owned)
}

/// "Your name", asked once: the name colleagues see on the files this officer opens (and
/// beside their changes when sharing). OK takes it; "Later" asks again at the next start.
pub fn name_prompt_ui(ctx: &egui::Context, name: &mut String) -> Option<Action> {
    let modal = egui::Modal::new(egui::Id::unique("name_prompt")).show(ctx, |ui| {
        ui.set_max_width(460.0);
        ui.heading("Your name");
        ui.label(
            "Tandem writes it beside a situation file you open, so that a colleague who opens \
             it too sees who is working on it, and beside each change you make to a shared \
             situation.",
        );
        ui.add_space(6.0);
        let field = ui
            .add(
                egui::TextEdit::singleline(name)
                    .hint_text("e.g. Marie Diallo, UNOWA political affairs")
                    .desired_width(f32::INFINITY),
            )
            .accessible_name("Your name");
        if !field.has_focus() && !field.lost_focus() {
            field.request_focus();
            select_all(ui.ctx(), field.id, name);
        }
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        ui.add_space(8.0);
        let given = !name.trim().is_empty();
        ui.horizontal(|ui| {
            if ui.add_enabled(given, egui::Button::new("OK")).clicked() || (entered && given) {
                Some(Some(name.trim().to_owned()))
            } else if ui.button("Later").clicked() {
                Some(None)
            } else {
                None
            }
        })
        .inner
    });
    let closed = modal.should_close();
    modal
        .inner
        .or(closed.then_some(None))
        .map(Action::SetOfficerName)
}

/// Selects the whole text of the text field `id`, so that typing replaces a name given before.
pub(super) fn select_all(ctx: &egui::Context, id: egui::Id, text: &str) {
    let mut state = egui::TextEdit::load_state(ctx, id).unwrap_or_default();
    state
        .cursor
        .set_char_range(Some(egui::text::CCursorRange::select_all_str(text)));
    state.store(ctx, id);
}

/// "Which file?" with a text field to type or paste a path in, for when the system's file
/// dialog cannot be shown (and File → Open path…).
pub fn path_prompt_ui(ctx: &egui::Context, prompt: &mut PathPrompt) -> Option<Action> {
    let modal = egui::Modal::new(egui::Id::unique("path_prompt")).show(ctx, |ui| {
        ui.set_max_width(560.0);
        ui.heading(prompt.purpose.heading());
        if let Some(note) = &prompt.note {
            ui.label(egui::RichText::new(note).color(ui.visuals().warn_fg_color));
        }
        ui.label("Type or paste the file's full path:");
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut prompt.text)
                    .hint_text("/home/me/Situations/guinea-2009-2010.ron")
                    .desired_width(f32::INFINITY),
            )
            .accessible_name("Path");
        if !field.has_focus() && !field.lost_focus() {
            field.request_focus();
        }
        if field.changed() {
            prompt.error = None;
        }
        if let Some(error) = &prompt.error {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button(prompt.purpose.verb()).clicked() || entered {
                Some(Some(prompt.text.clone()))
            } else if ui.button("Cancel").clicked() {
                Some(None)
            } else {
                None
            }
        })
        .inner
    });
    let closed = modal.should_close();
    modal
        .inner
        .or(closed.then_some(None))
        .map(Action::PathTyped)
}
