//! The command palette (Ctrl+K): every command with its shortcut, and every item by name,
//! searchable and picked from the keyboard.

use super::{Action, AppCommand, View};
use crate::analysis::find::{Found, find_items};
use crate::model::Situation;

/// Whether the palette is open, what is typed and which entry is highlighted.
#[derive(Default)]
pub struct PaletteState {
    pub open: bool,
    pub query: String,
    pub selected: usize,
    focus_requested: bool,
    /// The list for the query last searched (the situation cannot change while the palette,
    /// a modal, is open): a search of thousands of items runs once per keystroke, not per
    /// frame.
    listed: Option<(String, Vec<Entry>, usize)>,
}

impl PaletteState {
    /// Opens the palette with an empty search.
    pub fn open(&mut self) {
        self.open = true;
        self.query.clear();
        self.selected = 0;
        self.focus_requested = true;
        self.listed = None;
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

/// How many items the palette lists at most; more are counted ("type to narrow").
const ITEMS_LISTED: usize = 50;

/// One line of the palette: a command, or an item to reveal in its view.
#[derive(Clone, Debug, PartialEq)]
enum Entry {
    Command(AppCommand),
    Item(Found),
}

impl Entry {
    fn action(&self) -> Action {
        match self {
            Entry::Command(command) => Action::Command(*command),
            Entry::Item(found) => Action::Reveal(found.item.clone()),
        }
    }
}

/// What the palette lists for a query: the matching commands, then the matching items, and how
/// many items matched in all.
fn entries(
    query: &str,
    view: View,
    situation: &Situation,
    ctx: &egui::Context,
) -> (Vec<Entry>, usize) {
    let mut list: Vec<Entry> = matching_commands(query, view, ctx)
        .into_iter()
        .map(Entry::Command)
        .collect();
    let (items, total) = find_items(situation, query, ITEMS_LISTED);
    list.extend(items.into_iter().map(Entry::Item));
    (list, total)
}

/// Draws the palette when open: commands and items matching what is typed; pushes what was
/// picked (a command to run, an item to reveal) and closes.
pub fn palette_ui(
    ctx: &egui::Context,
    state: &mut PaletteState,
    view: View,
    situation: &Situation,
    actions: &mut Vec<Action>,
) {
    if !state.open {
        return;
    }
    if state
        .listed
        .as_ref()
        .is_none_or(|(q, ..)| *q != state.query)
    {
        let (list, total) = entries(&state.query, view, situation, ctx);
        state.listed = Some((state.query.clone(), list, total));
    }
    let Some((_, list, items_total)) = state.listed.clone() else {
        return;
    };
    let (down, up, enter) = ctx.input_mut(|i| {
        (
            i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown),
            i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp),
            i.consume_key(egui::Modifiers::NONE, egui::Key::Enter),
        )
    });
    let last = list.len().saturating_sub(1);
    if down {
        state.selected = (state.selected + 1).min(last);
    }
    if up {
        state.selected = state.selected.saturating_sub(1);
    }
    state.selected = state.selected.min(last);
    let mut chosen = enter.then(|| list.get(state.selected).cloned()).flatten();
    let modal = egui::Modal::new(egui::Id::unique("command_palette")).show(ctx, |ui| {
        ui.set_width(520.0);
        let response = ui
            .add(
                egui::TextEdit::singleline(&mut state.query)
                    .hint_text("Type a command, or a name to find…")
                    .desired_width(f32::INFINITY),
            )
            .accessible_name("Search commands and items");
        if state.focus_requested {
            response.request_focus();
            state.focus_requested = false;
        }
        if response.changed() {
            state.selected = 0;
        }
        ui.separator();
        egui::ScrollArea::vertical()
            .max_height(400.0)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                if list.is_empty() {
                    ui.label(egui::RichText::new("No command or item matches").weak());
                }
                for (i, entry) in list.iter().enumerate() {
                    let highlighted = i == state.selected;
                    let response = entry_ui(ui, entry, highlighted);
                    if highlighted && (down || up) {
                        response.scroll_to_me(None);
                    }
                    if response.clicked() {
                        chosen = Some(entry.clone());
                    }
                }
                let listed = list.iter().filter(|e| matches!(e, Entry::Item(_))).count();
                if items_total > listed {
                    ui.label(
                        egui::RichText::new(format!(
                            "… and {} more: type more to narrow",
                            items_total - listed
                        ))
                        .weak(),
                    );
                }
            });
    });
    if let Some(entry) = chosen {
        state.close();
        actions.push(entry.action());
    } else if modal.should_close() {
        state.close();
    }
}

/// One line: a command with its shortcut, or an item with its kind.
fn entry_ui(ui: &mut egui::Ui, entry: &Entry, highlighted: bool) -> egui::Response {
    let (label, right) = match entry {
        Entry::Command(command) => (command.label(), command.shortcut_text(ui.ctx())),
        Entry::Item(found) => (found.title.clone(), found.kind.to_owned()),
    };
    let button = egui::Button::selectable(highlighted, label)
        .shortcut_text(right)
        .wrap_mode(egui::TextWrapMode::Truncate)
        .min_size(egui::vec2(ui.available_width(), 0.0));
    ui.add(button)
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
        assert_eq!(
            saves,
            vec![
                AppCommand::Save,
                AppCommand::SaveAs,
                AppCommand::SaveAsTyped
            ]
        );
        assert_eq!(
            matching_commands("go matrix", View::Overview, &ctx),
            vec![AppCommand::Show(View::Matrix)]
        );
        let lead = matching_commands("set lead", View::Matrix, &ctx);
        assert_eq!(lead.len(), 1, "{lead:?}");
    }
}
