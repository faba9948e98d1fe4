//! The command palette (Ctrl+K): every command with its shortcut, searchable, run from the keyboard.

use super::{Action, AppCommand, View};

/// Whether the palette is open, what is typed and which entry is highlighted.
#[derive(Default)]
pub struct PaletteState {
    pub open: bool,
    pub query: String,
    pub selected: usize,
    focus_requested: bool,
}

impl PaletteState {
    /// Opens the palette with an empty search.
    pub fn open(&mut self) {
        self.open = true;
        self.query.clear();
        self.selected = 0;
        self.focus_requested = true;
    }

    /// Closes the palette.
    pub fn close(&mut self) {
        self.open = false;
        self.query.clear();
    }
}

/// The commands usable in `view` whose label or shortcut contains every word of `query`, in
/// palette order.
pub fn matching_commands(query: &str, view: View, ctx: &egui::Context) -> Vec<AppCommand> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    AppCommand::all()
        .into_iter()
        .filter(|c| c.scope().active(view, false))
        .filter(|c| {
            let haystack = format!("{} {}", c.label(), c.shortcut_text(ctx)).to_lowercase();
            words.iter().all(|w| haystack.contains(w.as_str()))
        })
        .collect()
}

/// Draws the palette when open; pushes the chosen command and closes.
pub fn palette_ui(
    ctx: &egui::Context,
    state: &mut PaletteState,
    view: View,
    actions: &mut Vec<Action>,
) {
    if !state.open {
        return;
    }
    let commands = matching_commands(&state.query, view, ctx);
    let (down, up, enter) = ctx.input_mut(|i| {
        (
            i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown),
            i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp),
            i.consume_key(egui::Modifiers::NONE, egui::Key::Enter),
        )
    });
    if down {
        state.selected = (state.selected + 1).min(commands.len().saturating_sub(1));
    }
    if up {
        state.selected = state.selected.saturating_sub(1);
    }
    state.selected = state.selected.min(commands.len().saturating_sub(1));
    let mut chosen = enter
        .then(|| commands.get(state.selected).copied())
        .flatten();
    let modal = egui::Modal::new(egui::Id::unique("command_palette")).show(ctx, |ui| {
        ui.set_width(460.0);
        let response = ui
            .add(
                egui::TextEdit::singleline(&mut state.query)
                    .hint_text("Type a command…")
                    .desired_width(f32::INFINITY),
            )
            .accessible_name("Search commands");
        if state.focus_requested {
            response.request_focus();
            state.focus_requested = false;
        }
        if response.changed() {
            state.selected = 0;
        }
        ui.separator();
        egui::ScrollArea::vertical()
            .max_height(360.0)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                if commands.is_empty() {
                    ui.label(egui::RichText::new("No command matches").weak());
                }
                for (i, command) in commands.iter().enumerate() {
                    let highlighted = i == state.selected;
                    let button = egui::Button::selectable(highlighted, command.label())
                        .shortcut_text(command.shortcut_text(ui.ctx()))
                        .min_size(egui::vec2(ui.available_width(), 0.0));
                    let response = ui.add(button);
                    if highlighted && (down || up) {
                        response.scroll_to_me(None);
                    }
                    if response.clicked() {
                        chosen = Some(*command);
                    }
                }
            });
    });
    if let Some(command) = chosen {
        state.close();
        actions.push(Action::Command(command));
    } else if modal.should_close() {
        state.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_palette_lists_every_command_and_filters_by_words() {
        let ctx = egui::Context::default();
        let in_overview = matching_commands("", View::Overview, &ctx);
        assert!(in_overview.contains(&AppCommand::Save));
        assert!(
            in_overview
                .iter()
                .all(|c| c.scope() == crate::ui::command::Scope::Window),
            "the matrix's and the briefing's keys are not offered in the Overview"
        );
        let saves = matching_commands("save", View::Overview, &ctx);
        assert_eq!(saves, vec![AppCommand::Save, AppCommand::SaveAs]);
        assert_eq!(
            matching_commands("go matrix", View::Overview, &ctx),
            vec![AppCommand::Show(View::Matrix)]
        );
        let lead = matching_commands("set lead", View::Matrix, &ctx);
        assert_eq!(lead.len(), 1, "{lead:?}");
    }
}
