//! The menu bar, the view tabs, banners and the status bar.

use std::path::PathBuf;

use super::{Action, AppCommand, View};
use crate::text::counted;

fn command_button(
    ui: &mut egui::Ui,
    command: AppCommand,
    enabled: bool,
    actions: &mut Vec<Action>,
) {
    let shortcut = command.shortcut_text(ui.ctx());
    let button = egui::Button::new(command.label()).shortcut_text(shortcut);
    if ui
        .add_enabled(enabled, button)
        .on_hover_text(command.tooltip())
        .clicked()
    {
        actions.push(Action::Command(command));
        ui.close();
    }
}

/// File, Edit and View menus.
pub fn menu_bar_ui(
    ui: &mut egui::Ui,
    recent: &[PathBuf],
    undo_label: Option<&str>,
    redo_label: Option<&str>,
    actions: &mut Vec<Action>,
) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            command_button(ui, AppCommand::New, true, actions);
            command_button(ui, AppCommand::Open, true, actions);
            ui.menu_button("Open Recent", |ui| {
                if recent.is_empty() {
                    ui.label(egui::RichText::new("No recent files").weak());
                }
                for path in recent {
                    if ui.button(path.display().to_string()).clicked() {
                        actions.push(Action::OpenPath(path.clone()));
                        ui.close();
                    }
                }
            });
            command_button(ui, AppCommand::OpenTyped, true, actions);
            ui.separator();
            command_button(ui, AppCommand::Save, true, actions);
            command_button(ui, AppCommand::SaveAs, true, actions);
            command_button(ui, AppCommand::SaveAsTyped, true, actions);
            ui.separator();
            command_button(ui, AppCommand::Import, true, actions);
            command_button(ui, AppCommand::ImportTyped, true, actions);
            command_button(ui, AppCommand::Export, true, actions);
            ui.separator();
            command_button(ui, AppCommand::Share, true, actions);
            command_button(ui, AppCommand::OpenShared, true, actions);
            ui.separator();
            command_button(ui, AppCommand::MarkBriefed, true, actions);
            command_button(ui, AppCommand::ChangesSince, true, actions);
            ui.separator();
            command_button(ui, AppCommand::Quit, true, actions);
        });
        ui.menu_button("Edit", |ui| {
            let undo = egui::Button::new(match undo_label {
                Some(l) => format!("Undo {l}"),
                None => "Undo".into(),
            })
            .shortcut_text(AppCommand::Undo.shortcut_text(ui.ctx()));
            if ui.add_enabled(undo_label.is_some(), undo).clicked() {
                actions.push(Action::Command(AppCommand::Undo));
                ui.close();
            }
            let redo = egui::Button::new(match redo_label {
                Some(l) => format!("Redo {l}"),
                None => "Redo".into(),
            })
            .shortcut_text(AppCommand::Redo.shortcut_text(ui.ctx()));
            if ui.add_enabled(redo_label.is_some(), redo).clicked() {
                actions.push(Action::Command(AppCommand::Redo));
                ui.close();
            }
            ui.separator();
            command_button(ui, AppCommand::AddItem, true, actions);
            command_button(ui, AppCommand::Duplicate, true, actions);
            command_button(ui, AppCommand::Delete, true, actions);
            ui.separator();
            command_button(ui, AppCommand::Find, true, actions);
            command_button(ui, AppCommand::CommandPalette, true, actions);
        });
        ui.menu_button("View", |ui| {
            for view in View::ALL {
                command_button(ui, AppCommand::Show(view), true, actions);
            }
            ui.separator();
            command_button(ui, AppCommand::History, true, actions);
            command_button(ui, AppCommand::Briefing, true, actions);
            command_button(ui, AppCommand::ToggleTheme, true, actions);
            ui.separator();
            command_button(ui, AppCommand::YourName, true, actions);
        });
    });
}

/// One tab per view.
pub fn view_tabs_ui(ui: &mut egui::Ui, current: View, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        for view in View::ALL {
            let response = ui
                .selectable_label(current == view, view.label())
                .on_hover_text(AppCommand::Show(view).shortcut_text(ui.ctx()));
            if response.clicked() {
                actions.push(Action::Command(AppCommand::Show(view)));
            }
        }
    });
}

/// A coloured line across the window for something the user must know.
pub fn banner_ui(ui: &mut egui::Ui, text: &str) {
    egui::Frame::new()
        .fill(ui.visuals().warn_fg_color.gamma_multiply(0.15))
        .inner_margin(6.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.colored_label(ui.visuals().warn_fg_color, text);
        });
}

/// What the status bar says: the file, unsaved changes, problems and the last message.
pub struct StatusLine<'a> {
    /// The file's path, or the untitled name.
    pub file: String,
    pub dirty: bool,
    /// A save is being written.
    pub saving: bool,
    pub errors: usize,
    pub warnings: usize,
    pub message: Option<&'a str>,
    /// While the situation is shared: online, offline or syncing, and the last exchange.
    pub shared: Option<String>,
    /// The share stopped trying to reach its server (the token refused, the certificate not
    /// trusted): "Connect again…" is offered beside the reason.
    pub connect_again: bool,
}

/// File name, unsaved marker, errors and warnings (a toggle for the Problems panel), the share's
/// state (with "Connect again…" when it stopped trying), and the last message.
pub fn status_bar_ui(
    ui: &mut egui::Ui,
    line: &StatusLine<'_>,
    show_problems: &mut bool,
    actions: &mut Vec<Action>,
) {
    ui.horizontal(|ui| {
        ui.label(&line.file);
        if line.saving {
            ui.spinner();
            ui.label("Saving…");
        } else if line.dirty {
            ui.label(egui::RichText::new("● unsaved changes").color(ui.visuals().warn_fg_color));
        }
        ui.separator();
        let problems = format!(
            "{}, {}",
            counted(line.errors, "error", "errors"),
            counted(line.warnings, "warning", "warnings")
        );
        let color = if line.errors > 0 {
            ui.visuals().error_fg_color
        } else if line.warnings > 0 {
            ui.visuals().warn_fg_color
        } else {
            ui.visuals().text_color()
        };
        if ui
            .add(egui::Button::selectable(
                *show_problems,
                egui::RichText::new(problems).color(color),
            ))
            .on_hover_text("Show or hide the Problems panel")
            .clicked()
        {
            *show_problems = !*show_problems;
        }
        if let Some(shared) = &line.shared {
            ui.separator();
            // A long reason (a certificate not trusted, and how to trust it) is cut here, whole
            // on hover, leaving room for the last message.
            let width = (ui.available_width() * 0.6).max(120.0);
            ui.scope(|ui| {
                ui.set_max_width(width);
                ui.add(egui::Label::new(shared).truncate());
            });
            if line.connect_again
                && ui
                    .link("Connect again…")
                    .on_hover_text("Try the server again, with the access token corrected")
                    .clicked()
            {
                actions.push(Action::ShowConnectAgain);
            }
        }
        if let Some(message) = line.message {
            ui.separator();
            ui.add(egui::Label::new(egui::RichText::new(message).weak()).truncate());
        }
    });
}
