//! Briefing marks in the window: "Mark as briefed…" (a name for the mark), the offer to mark
//! after a briefing or an export (a banner, not a dialog), and "What changed since…", the
//! changes since a chosen mark in words. The marks themselves are kept by
//! [`crate::io::marks`]; the app reads and writes them when it applies the actions.

use std::path::PathBuf;

use egui::RichText;

use super::Action;
use crate::analysis::diff::{DiffSection, diff};
use crate::io::marks::Mark;
use crate::model::Situation;

/// What the marks' questions and windows ask of the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MarkAction {
    /// "Mark as briefed…" answered: record a mark with this name; `None`: cancelled.
    Named(Option<String>),
    /// The offer after a briefing or an export was put aside.
    DismissOffer,
    /// "What changed since…": compare with the mark kept in this file.
    Compare(PathBuf),
    /// "What changed since…" closed.
    CloseChanges,
    /// The mark kept in this file renamed.
    Rename(PathBuf, String),
    /// The mark kept in this file deleted (the officer confirmed it).
    Delete(PathBuf),
}

/// The marks' questions and windows, while open.
#[derive(Default)]
pub struct MarksState {
    /// "Mark as briefed…": the name being typed.
    pub prompt: Option<MarkPrompt>,
    /// "Mark this as briefed?", offered after a briefing or an export.
    pub offer: Option<MarkOffer>,
    /// "What changed since…", while open.
    pub changes: Option<ChangesWindow>,
}

impl MarksState {
    /// Whether one of the marks' dialogs holds the window's input (the offer does not).
    pub fn is_open(&self) -> bool {
        self.prompt.is_some() || self.changes.is_some()
    }
}

/// The name of the mark about to be recorded, and what was wrong with the last one given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkPrompt {
    pub name: String,
    pub error: Option<String>,
}

impl MarkPrompt {
    /// The question with `name` proposed ("Briefing 26 Nov 2026").
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            error: None,
        }
    }
}

/// What the offer to mark follows: "the briefing", "the export".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkOffer {
    /// "You have just presented the briefing."
    pub after: String,
}

/// Today's date as marks show it: "27 Nov 2026".
pub fn today_text() -> String {
    chrono::Local::now().format("%-d %b %Y").to_string()
}

/// The name proposed for a mark taken today: "Briefing 27 Nov 2026".
pub fn default_mark_name() -> String {
    format!("Briefing {}", today_text())
}

/// "Mark as briefed": the mark's name (today's date beside it). Returns
/// [`MarkAction::Named`] once answered; Escape cancels.
pub fn mark_prompt_ui(ctx: &egui::Context, prompt: &mut MarkPrompt) -> Option<Action> {
    let modal = egui::Modal::new(egui::Id::unique("mark_prompt")).show(ctx, |ui| {
        ui.set_max_width(480.0);
        ui.heading("Mark as briefed");
        ui.label(
            "Tandem keeps the situation as it stands now under this name, in your data folder \
             (not in the file), so that you can see later what changed since.",
        );
        ui.add_space(6.0);
        let entered = name_grid_ui(ui, prompt);
        if let Some(error) = &prompt.error {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        let given = !prompt.name.trim().is_empty();
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let mark = ui.add_enabled(given, egui::Button::new("Mark")).clicked();
            let cancel = ui.button("Cancel").clicked();
            if mark || (entered && given) {
                Some(Some(prompt.name.trim().to_owned()))
            } else {
                cancel.then_some(None)
            }
        })
        .inner
    });
    let closed = modal.should_close();
    modal
        .inner
        .or(closed.then_some(None))
        .map(|name| Action::Mark(MarkAction::Named(name)))
}

/// The name field (focused) and the date; returns whether Enter was pressed in the field.
fn name_grid_ui(ui: &mut egui::Ui, prompt: &mut MarkPrompt) -> bool {
    egui::Grid::new("mark_prompt_grid")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            let label = ui.label("Name");
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut prompt.name)
                        .hint_text("e.g. Briefing to the envoy")
                        .desired_width(360.0),
                )
                .labelled_by(label.id);
            if !field.has_focus() && !field.lost_focus() {
                field.request_focus();
            }
            if field.changed() {
                prompt.error = None;
            }
            ui.end_row();
            ui.label("Date");
            ui.label(format!("{} (now)", today_text()));
            ui.end_row();
            field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter))
        })
        .inner
}

/// The offer to mark, as a line under the tabs: "Mark this as briefed?" with a button to do it
/// and one to put it aside. Nothing waits for it.
pub fn offer_ui(ui: &mut egui::Ui, offer: &MarkOffer, actions: &mut Vec<Action>) {
    egui::Frame::new()
        .fill(ui.visuals().selection.bg_fill.gamma_multiply(0.25))
        .inner_margin(6.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                ui.label(format!("{} Mark this as briefed?", offer.after));
                if ui
                    .button(super::AppCommand::MarkBriefed.label())
                    .on_hover_text(super::AppCommand::MarkBriefed.tooltip())
                    .clicked()
                {
                    actions.push(Action::Command(super::AppCommand::MarkBriefed));
                }
                if ui.button("Not now").clicked() {
                    actions.push(Action::Mark(MarkAction::DismissOffer));
                }
            });
        });
}

/// The chosen mark being renamed (the name typed) or about to be deleted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MarkEditing {
    Rename(String),
    ConfirmDelete,
}

/// The changes since a mark, in words, for the revision they were worked out at.
struct Compared {
    mark: PathBuf,
    revision: u64,
    /// Whether no item changed (the warning-to-action figures are still given).
    empty: bool,
    sections: Vec<DiffSection>,
}

/// "What changed since…": the marks to choose from, the one chosen with the situation as it
/// was then, and its changes up to now.
pub struct ChangesWindow {
    /// The file's marks, newest first.
    pub marks: Vec<Mark>,
    /// The mark compared with, and the situation as it stood then.
    then: Option<(Mark, Situation)>,
    /// Why the chosen mark could not be read, renamed or deleted.
    pub error: Option<String>,
    /// The chosen mark being renamed or deleted.
    pub editing: Option<MarkEditing>,
    compared: Option<Compared>,
}

impl ChangesWindow {
    /// The window listing `marks` (newest first), nothing compared yet.
    pub fn new(marks: Vec<Mark>) -> Self {
        Self {
            marks,
            then: None,
            error: None,
            editing: None,
            compared: None,
        }
    }

    /// Compares with `mark`, whose situation as it was is `then`.
    pub fn compare_with(&mut self, mark: Mark, then: Situation) {
        self.then = Some((mark, then));
        self.error = None;
        self.editing = None;
        self.compared = None;
    }

    /// `mark` renamed: the list and the chosen mark carry its new name.
    pub fn renamed(&mut self, mark: Mark) {
        for kept in self.marks.iter_mut().filter(|m| m.path == mark.path) {
            *kept = mark.clone();
        }
        if let Some((chosen, _)) = self.then.as_mut().filter(|(m, _)| m.path == mark.path) {
            *chosen = mark;
        }
        self.editing = None;
    }

    /// The mark kept in `path` deleted: gone from the list, and no longer compared with.
    pub fn deleted(&mut self, path: &std::path::Path) {
        self.marks.retain(|m| m.path != path);
        if self.chosen().is_some_and(|m| m.path == path) {
            self.then = None;
            self.compared = None;
        }
        self.editing = None;
    }

    /// The mark compared with.
    pub fn chosen(&self) -> Option<&Mark> {
        self.then.as_ref().map(|(mark, _)| mark)
    }

    /// Works the changes out again when the situation or the mark changed.
    fn refresh(&mut self, now: &Situation, revision: u64) {
        let Some((mark, then)) = &self.then else {
            self.compared = None;
            return;
        };
        let fresh = self
            .compared
            .as_ref()
            .is_some_and(|c| c.revision == revision && c.mark == mark.path);
        if fresh {
            return;
        }
        let changes = diff(then, now);
        self.compared = Some(Compared {
            mark: mark.path.clone(),
            revision,
            empty: changes.is_empty(),
            sections: changes.sections(),
        });
    }

    /// The changes since the chosen mark, in words (after the window has drawn once).
    pub fn sections(&self) -> &[DiffSection] {
        self.compared.as_ref().map_or(&[], |c| &c.sections)
    }
}

/// "What changed since…": a mark to choose, then every change in words, grouped as the diff
/// groups them. A dialog like the others: Escape, a click beside it or "Close" closes it.
/// Returns what was asked (another mark, or closing).
pub fn changes_window_ui(
    ctx: &egui::Context,
    window: &mut ChangesWindow,
    now: &Situation,
    revision: u64,
) -> Option<Action> {
    window.refresh(now, revision);
    // An open drop-down keeps Escape and the click beside it: they close the drop-down.
    let popup_open = egui::Popup::is_any_open(ctx);
    let modal = egui::Modal::new(egui::Id::unique("changes_since")).show(ctx, |ui| {
        ui.set_width(620.0_f32.min(ctx.content_rect().width() - 80.0));
        ui.heading("What changed since…");
        let asked = mark_picker_ui(ui, window).or_else(|| mark_editing_ui(ui, window));
        ui.separator();
        let height = (ctx.content_rect().height() - 220.0).max(120.0);
        changes_ui(ui, window, height);
        ui.separator();
        let close = ui.button("Close").clicked();
        asked.or(close.then_some(Action::Mark(MarkAction::CloseChanges)))
    });
    let closed = !popup_open && modal.should_close();
    if closed && window.editing.is_some() {
        // Escape while renaming or deleting puts that aside, not the window.
        window.editing = None;
        return modal.inner;
    }
    modal
        .inner
        .or(closed.then_some(Action::Mark(MarkAction::CloseChanges)))
}

/// Under the picker: "Rename…" and "Delete…" for the chosen mark, or the new name being typed,
/// or the question before deleting.
fn mark_editing_ui(ui: &mut egui::Ui, window: &mut ChangesWindow) -> Option<Action> {
    let mark = window.chosen()?.clone();
    let path = mark.path.clone();
    match &mut window.editing {
        None => {
            ui.horizontal(|ui| {
                if ui.button("Rename…").clicked() {
                    window.editing = Some(MarkEditing::Rename(mark.meta.name.clone()));
                }
                if ui.button("Delete…").clicked() {
                    window.editing = Some(MarkEditing::ConfirmDelete);
                }
            });
            None
        }
        Some(MarkEditing::Rename(name)) => match rename_ui(ui, name) {
            Some(Some(name)) => Some(Action::Mark(MarkAction::Rename(path, name))),
            Some(None) => {
                window.editing = None;
                None
            }
            None => None,
        },
        Some(MarkEditing::ConfirmDelete) => {
            let answer = confirm_delete_ui(ui, &mark);
            if answer == Some(false) {
                window.editing = None;
            }
            (answer == Some(true)).then_some(Action::Mark(MarkAction::Delete(path)))
        }
    }
}

/// The mark's new name: `Some(Some(name))` on Rename or Enter, `Some(None)` on Cancel.
fn rename_ui(ui: &mut egui::Ui, name: &mut String) -> Option<Option<String>> {
    ui.horizontal(|ui| {
        let label = ui.label("New name");
        let field = ui
            .add(egui::TextEdit::singleline(name).desired_width(300.0))
            .labelled_by(label.id);
        if !field.has_focus() && !field.lost_focus() {
            field.request_focus();
            super::modals::select_all(ui.ctx(), field.id, name);
        }
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let given = !name.trim().is_empty();
        let rename = ui.add_enabled(given, egui::Button::new("Rename")).clicked();
        if (rename || entered) && given {
            Some(Some(name.trim().to_owned()))
        } else {
            ui.button("Cancel").clicked().then_some(None)
        }
    })
    .inner
}

/// "Delete the mark …?": `Some(true)` to delete, `Some(false)` to keep it.
fn confirm_delete_ui(ui: &mut egui::Ui, mark: &Mark) -> Option<bool> {
    ui.label(
        RichText::new(format!(
            "Delete the mark “{}”? Its copy of the situation is removed from this computer; \
             the situation file itself is not touched.",
            mark.label()
        ))
        .color(ui.visuals().warn_fg_color),
    );
    ui.horizontal(|ui| {
        if ui.button("Delete the mark").clicked() {
            Some(true)
        } else {
            ui.button("Keep it").clicked().then_some(false)
        }
    })
    .inner
}

/// "Since:" and the marks to choose from, newest first.
fn mark_picker_ui(ui: &mut egui::Ui, window: &ChangesWindow) -> Option<Action> {
    let mut asked = None;
    ui.horizontal(|ui| {
        let label = ui.label("Since");
        let selected = window
            .chosen()
            .map_or_else(|| "Choose a mark…".to_owned(), Mark::label);
        egui::ComboBox::from_id_salt("changes_since_mark")
            .selected_text(selected)
            .width(ui.available_width().min(380.0))
            .show_ui(ui, |ui| {
                for mark in &window.marks {
                    let chosen = window.chosen().is_some_and(|m| m.path == mark.path);
                    if ui.selectable_label(chosen, mark.label()).clicked() && !chosen {
                        asked = Some(Action::Mark(MarkAction::Compare(mark.path.clone())));
                    }
                }
            })
            .response
            .labelled_by(label.id);
    });
    asked
}

/// The changes, a heading per group and a wrapping line per change, at most `height` tall;
/// or why there are none.
fn changes_ui(ui: &mut egui::Ui, window: &ChangesWindow, height: f32) {
    if let Some(error) = &window.error {
        ui.colored_label(ui.visuals().error_fg_color, error);
        return;
    }
    if window.marks.is_empty() {
        ui.label(
            "This situation has no briefing marks yet. File → Mark as briefed… keeps the \
             situation as it stands, to compare with later.",
        );
        return;
    }
    let (Some(compared), Some(mark)) = (&window.compared, window.chosen()) else {
        ui.label("Choose the mark to compare the situation with.");
        return;
    };
    egui::ScrollArea::vertical()
        .max_height(height)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            if compared.empty {
                ui.label(RichText::new(no_changes_since(mark)).strong());
            }
            for section in &compared.sections {
                ui.add_space(6.0);
                ui.label(RichText::new(section.title).strong());
                for line in &section.lines {
                    ui.add(egui::Label::new(format!("• {line}")).wrap());
                }
            }
        });
}

/// What the window says when no item changed: "No changes since Briefing 2 Nov (2 Nov 2026)."
pub fn no_changes_since(mark: &Mark) -> String {
    format!("No changes since {}.", mark.label())
}
