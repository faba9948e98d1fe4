//! App-wide commands: each knows its label and shortcut, read by the menus, the
//! command palette and the shortcut handler alike.

use egui::{Key, KeyboardShortcut, Modifiers};

use super::View;

/// Something the user can ask of the app as a whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[must_use]
pub enum AppCommand {
    New,
    Open,
    Save,
    SaveAs,
    Import,
    Export,
    Quit,
    Undo,
    Redo,
    RedoAlt,
    Find,
    Delete,
    Duplicate,
    AddItem,
    CommandPalette,
    Briefing,
    ToggleTheme,
    Show(View),
}

impl AppCommand {
    /// Every command, in palette order.
    pub fn all() -> Vec<AppCommand> {
        let mut all = vec![
            AppCommand::New,
            AppCommand::Open,
            AppCommand::Save,
            AppCommand::SaveAs,
            AppCommand::Import,
            AppCommand::Export,
            AppCommand::Quit,
            AppCommand::Undo,
            AppCommand::Redo,
            AppCommand::RedoAlt,
            AppCommand::Find,
            AppCommand::AddItem,
            AppCommand::Duplicate,
            AppCommand::Delete,
            AppCommand::CommandPalette,
            AppCommand::Briefing,
            AppCommand::ToggleTheme,
        ];
        all.extend(View::ALL.iter().map(|v| AppCommand::Show(*v)));
        all
    }

    /// What menus and the palette call it.
    pub fn label(self) -> String {
        match self {
            AppCommand::New => "New situation".into(),
            AppCommand::Open => "Open…".into(),
            AppCommand::Save => "Save".into(),
            AppCommand::SaveAs => "Save As…".into(),
            AppCommand::Import => "Import…".into(),
            AppCommand::Export => "Export…".into(),
            AppCommand::Quit => "Quit".into(),
            AppCommand::Undo => "Undo".into(),
            AppCommand::Redo => "Redo".into(),
            AppCommand::RedoAlt => "Redo (alternative shortcut)".into(),
            AppCommand::Find => "Find in the current table".into(),
            AppCommand::Delete => "Delete the selected item".into(),
            AppCommand::Duplicate => "Duplicate the selected item".into(),
            AppCommand::AddItem => "Add an item to the current view".into(),
            AppCommand::CommandPalette => "Command palette".into(),
            AppCommand::Briefing => "Start briefing".into(),
            AppCommand::ToggleTheme => "Toggle light/dark theme".into(),
            AppCommand::Show(view) => format!("Go to {}", view.label()),
        }
    }

    /// Its keyboard shortcut, if it has one.
    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        let cmd = Modifiers::COMMAND;
        let cmd_shift = Modifiers::COMMAND.plus(Modifiers::SHIFT);
        let shortcut = |m, k| Some(KeyboardShortcut::new(m, k));
        match self {
            AppCommand::New => shortcut(cmd, Key::N),
            AppCommand::Open => shortcut(cmd, Key::O),
            AppCommand::Save => shortcut(cmd, Key::S),
            AppCommand::SaveAs => shortcut(cmd_shift, Key::S),
            AppCommand::Import => shortcut(cmd, Key::I),
            AppCommand::Export => shortcut(cmd, Key::E),
            AppCommand::Quit => shortcut(cmd, Key::Q),
            AppCommand::Undo => shortcut(cmd, Key::Z),
            AppCommand::Redo => shortcut(cmd_shift, Key::Z),
            AppCommand::RedoAlt => shortcut(cmd, Key::Y),
            AppCommand::Find => shortcut(cmd, Key::F),
            AppCommand::Delete => shortcut(Modifiers::NONE, Key::Delete),
            AppCommand::Duplicate => shortcut(cmd, Key::D),
            AppCommand::AddItem => shortcut(cmd_shift, Key::N),
            AppCommand::CommandPalette => shortcut(cmd, Key::K),
            AppCommand::Briefing => shortcut(Modifiers::NONE, Key::F5),
            AppCommand::ToggleTheme => shortcut(cmd_shift, Key::T),
            AppCommand::Show(view) => view
                .shortcut_key()
                .map(|k| KeyboardShortcut::new(Modifiers::ALT, k)),
        }
    }

    /// Whether the shortcut must wait while a text field has focus (the field's own keys win).
    pub fn yields_to_text_fields(self) -> bool {
        matches!(
            self,
            AppCommand::Undo
                | AppCommand::Redo
                | AppCommand::RedoAlt
                | AppCommand::Delete
                | AppCommand::Duplicate
        )
    }

    /// The shortcut as text for menus: `Ctrl+Shift+S`.
    pub fn shortcut_text(self, ctx: &egui::Context) -> String {
        self.shortcut()
            .map(|s| ctx.format_shortcut(&s))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_commands_share_a_shortcut() {
        let all = AppCommand::all();
        for (i, a) in all.iter().enumerate() {
            for b in all.iter().skip(i + 1) {
                if let (Some(sa), Some(sb)) = (a.shortcut(), b.shortcut()) {
                    assert!(sa != sb, "{a:?} and {b:?} share a shortcut");
                }
            }
        }
    }

    #[test]
    fn every_command_has_a_label() {
        for c in AppCommand::all() {
            assert!(!c.label().is_empty());
        }
    }
}
