//! Everything a user can ask by key: each command knows its label, tooltip, shortcuts and where
//! it applies. The menus, the command palette, the shortcut handler and the clash test all read
//! this one definition.

use egui::{Key, KeyboardShortcut, Modifiers};

use super::action::View;

/// Something the user can ask of the app: app-wide, or of one view or of the briefing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[must_use]
pub enum AppCommand {
    New,
    Open,
    OpenTyped,
    Save,
    SaveAs,
    SaveAsTyped,
    Import,
    ImportTyped,
    Export,
    Share,
    OpenShared,
    MarkBriefed,
    ChangesSince,
    Quit,
    Undo,
    Redo,
    Find,
    Delete,
    Duplicate,
    AddItem,
    ClearSelection,
    CommandPalette,
    Briefing,
    ToggleTheme,
    YourName,
    /// Open or close the History panel.
    History,
    Show(View),
    Matrix(MatrixCommand),
    Timeline(TimelineCommand),
    Map(MapCommand),
    Slides(SlideCommand),
}

/// A direction for the matrix's focused cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    Left,
    Right,
    Up,
    Down,
}

/// A role the keyboard sets on the matrix's focused cell (the sequential step is worked out
/// when it is applied).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RoleKey {
    Lead,
    Support,
    BurdenSharing,
    Sequential,
    Joint,
}

/// The matrix's keys: move the focused cell, set or clear its role, open its menu.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MatrixCommand {
    Move(Direction),
    SetRole(RoleKey),
    ClearRole,
    CellMenu,
}

/// The timeline's keys: pan, zoom, fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimelineCommand {
    PanLeft,
    PanRight,
    ZoomIn,
    ZoomOut,
    FitAll,
}

/// The map's keys: zoom, or fit the places shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MapCommand {
    ZoomIn,
    ZoomOut,
    Fit,
}

/// The briefing's keys: page through the slides, or leave.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SlideCommand {
    Next,
    Previous,
    First,
    Last,
    Exit,
}

/// Where a command's shortcuts work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// The main window, whatever the view.
    Window,
    /// The main window while this view is shown.
    View(View),
    /// Briefing mode (the main window's commands are off while presenting).
    Briefing,
}

impl Scope {
    /// Whether a key could mean a command of each scope at the same moment.
    pub fn overlaps(self, other: Scope) -> bool {
        match (self, other) {
            (Scope::Briefing, Scope::Briefing) => true,
            (Scope::Briefing, _) | (_, Scope::Briefing) => false,
            (Scope::View(a), Scope::View(b)) => a == b,
            _ => true,
        }
    }

    /// Whether this scope is active in `view`, in or out of briefing mode.
    pub fn active(self, view: View, briefing: bool) -> bool {
        match self {
            Scope::Briefing => briefing,
            Scope::Window => !briefing,
            Scope::View(v) => !briefing && v == view,
        }
    }
}

const MATRIX_COMMANDS: [MatrixCommand; 10] = [
    MatrixCommand::Move(Direction::Left),
    MatrixCommand::Move(Direction::Right),
    MatrixCommand::Move(Direction::Up),
    MatrixCommand::Move(Direction::Down),
    MatrixCommand::SetRole(RoleKey::Lead),
    MatrixCommand::SetRole(RoleKey::Support),
    MatrixCommand::SetRole(RoleKey::BurdenSharing),
    MatrixCommand::SetRole(RoleKey::Sequential),
    MatrixCommand::SetRole(RoleKey::Joint),
    MatrixCommand::ClearRole,
];

const TIMELINE_COMMANDS: [TimelineCommand; 5] = [
    TimelineCommand::PanLeft,
    TimelineCommand::PanRight,
    TimelineCommand::ZoomIn,
    TimelineCommand::ZoomOut,
    TimelineCommand::FitAll,
];

const MAP_COMMANDS: [MapCommand; 3] = [MapCommand::ZoomIn, MapCommand::ZoomOut, MapCommand::Fit];

const SLIDE_COMMANDS: [SlideCommand; 5] = [
    SlideCommand::Next,
    SlideCommand::Previous,
    SlideCommand::First,
    SlideCommand::Last,
    SlideCommand::Exit,
];

impl AppCommand {
    /// Every command, in palette order.
    pub fn all() -> Vec<AppCommand> {
        let mut all = vec![
            AppCommand::New,
            AppCommand::Open,
            AppCommand::OpenTyped,
            AppCommand::Save,
            AppCommand::SaveAs,
            AppCommand::SaveAsTyped,
            AppCommand::Import,
            AppCommand::ImportTyped,
            AppCommand::Export,
            AppCommand::Share,
            AppCommand::OpenShared,
            AppCommand::MarkBriefed,
            AppCommand::ChangesSince,
            AppCommand::Quit,
            AppCommand::Undo,
            AppCommand::Redo,
            AppCommand::Find,
            AppCommand::AddItem,
            AppCommand::Duplicate,
            AppCommand::Delete,
            AppCommand::ClearSelection,
            AppCommand::CommandPalette,
            AppCommand::Briefing,
            AppCommand::ToggleTheme,
            AppCommand::YourName,
            AppCommand::History,
        ];
        all.extend(View::ALL.iter().map(|v| AppCommand::Show(*v)));
        all.extend(MATRIX_COMMANDS.map(AppCommand::Matrix));
        all.push(AppCommand::Matrix(MatrixCommand::CellMenu));
        all.extend(TIMELINE_COMMANDS.map(AppCommand::Timeline));
        all.extend(MAP_COMMANDS.map(AppCommand::Map));
        all.extend(SLIDE_COMMANDS.map(AppCommand::Slides));
        all
    }

    /// Where the command's shortcuts work.
    pub fn scope(self) -> Scope {
        match self {
            AppCommand::Matrix(_) => Scope::View(View::Matrix),
            AppCommand::Timeline(_) => Scope::View(View::Timeline),
            AppCommand::Map(_) => Scope::View(View::Map),
            AppCommand::Slides(_) => Scope::Briefing,
            _ => Scope::Window,
        }
    }

    /// What menus and the palette call it.
    pub fn label(self) -> String {
        match self {
            AppCommand::New => "New situation".into(),
            AppCommand::Open => "Open…".into(),
            AppCommand::OpenTyped => "Open path…".into(),
            AppCommand::SaveAsTyped => "Save As path…".into(),
            AppCommand::ImportTyped => "Import path…".into(),
            AppCommand::Save => "Save".into(),
            AppCommand::SaveAs => "Save As…".into(),
            AppCommand::Import => "Import…".into(),
            AppCommand::Export => "Export…".into(),
            AppCommand::Share => "Share…".into(),
            AppCommand::OpenShared => "Open shared…".into(),
            AppCommand::MarkBriefed => "Mark as briefed…".into(),
            AppCommand::ChangesSince => "What changed since…".into(),
            AppCommand::Quit => "Quit".into(),
            AppCommand::Undo => "Undo".into(),
            AppCommand::Redo => "Redo".into(),
            AppCommand::Find => "Find in the current table".into(),
            AppCommand::Delete => "Delete the selected item".into(),
            AppCommand::Duplicate => "Duplicate the selected item".into(),
            AppCommand::AddItem => "Add an item to the current view".into(),
            AppCommand::ClearSelection => "Clear the selection".into(),
            AppCommand::CommandPalette => "Command palette".into(),
            AppCommand::Briefing => "Start briefing".into(),
            AppCommand::ToggleTheme => "Toggle light/dark theme".into(),
            AppCommand::YourName => "Your name…".into(),
            AppCommand::History => "History".into(),
            AppCommand::Show(view) => format!("Go to {}", view.label()),
            AppCommand::Matrix(command) => matrix_label(command).into(),
            AppCommand::Timeline(command) => timeline_label(command).into(),
            AppCommand::Map(command) => map_label(command).into(),
            AppCommand::Slides(command) => slide_label(command).into(),
        }
    }

    /// A sentence on what the command does, for hover text.
    pub fn tooltip(self) -> String {
        match self {
            AppCommand::New => "Start a new situation from the blank template".into(),
            AppCommand::Open => "Open a situation file".into(),
            AppCommand::OpenTyped => "Open a situation file by typing or pasting its path".into(),
            AppCommand::SaveAsTyped => "Save to a path typed or pasted".into(),
            AppCommand::ImportTyped => "Import a sheet by typing or pasting its path".into(),
            AppCommand::Save => "Save the situation to its file".into(),
            AppCommand::SaveAs => "Save the situation to another file".into(),
            AppCommand::Import => "Add incidents (ACLED) or a who-does-what sheet (HXL)".into(),
            AppCommand::Export => {
                "Write a briefing paper or a plan for a partner, leaving out what it may not see"
                    .into()
            }
            AppCommand::Share => {
                "Work on this situation with colleagues at once, through your office's sync server"
                    .into()
            }
            AppCommand::OpenShared => "Open a situation a colleague shared, from its link".into(),
            AppCommand::MarkBriefed => {
                "Keep the situation as it stands now under a name, to see later what changed since"
                    .into()
            }
            AppCommand::ChangesSince => {
                "List, in words, what changed since a briefing mark: items, roles, events".into()
            }
            AppCommand::Quit => "Close Tandem (asks first when there are unsaved changes)".into(),
            AppCommand::Undo => "Take back the last change".into(),
            AppCommand::Redo => "Make the change undone last again".into(),
            AppCommand::Find => "Put the cursor in the current table's filter".into(),
            AppCommand::Delete => {
                "Delete the selected item (asks first when others refer to it)".into()
            }
            AppCommand::Duplicate => "Add a copy of the selected item".into(),
            AppCommand::AddItem => "Add an actor, partner, line of effort or event".into(),
            AppCommand::ClearSelection => "Deselect the item and close the inspector".into(),
            AppCommand::CommandPalette => "Find a command by name".into(),
            AppCommand::Briefing => "Present the situation full screen, slide by slide".into(),
            AppCommand::ToggleTheme => "Switch between the light and the dark theme".into(),
            AppCommand::YourName => {
                "The name colleagues see on the files you open and beside your changes".into()
            }
            AppCommand::History => {
                "Every change to the situation, who made it and when; the situation as it was"
                    .into()
            }
            AppCommand::Show(view) => format!("Show the {} view", view.label()),
            AppCommand::Matrix(_) => "In the Matrix, on the focused cell".into(),
            AppCommand::Timeline(_) => "In the Timeline".into(),
            AppCommand::Map(_) => "In the Map".into(),
            AppCommand::Slides(_) => "While presenting the briefing".into(),
        }
    }

    /// Its keyboard shortcuts, the primary one first (the one menus show).
    pub fn shortcuts(self) -> Vec<KeyboardShortcut> {
        let cmd = Modifiers::COMMAND;
        let cmd_shift = Modifiers::COMMAND.plus(Modifiers::SHIFT);
        let key = |k| KeyboardShortcut::new(Modifiers::NONE, k);
        let one = |m, k| vec![KeyboardShortcut::new(m, k)];
        match self {
            AppCommand::New => one(cmd, Key::N),
            AppCommand::Open => one(cmd, Key::O),
            AppCommand::OpenTyped | AppCommand::SaveAsTyped | AppCommand::ImportTyped => Vec::new(),
            AppCommand::Save => one(cmd, Key::S),
            AppCommand::SaveAs => one(cmd_shift, Key::S),
            AppCommand::Import => one(cmd, Key::I),
            AppCommand::Export => one(cmd, Key::E),
            AppCommand::Quit => one(cmd, Key::Q),
            AppCommand::Undo => one(cmd, Key::Z),
            AppCommand::Redo => vec![
                KeyboardShortcut::new(cmd_shift, Key::Z),
                KeyboardShortcut::new(cmd, Key::Y),
            ],
            AppCommand::Find => one(cmd, Key::F),
            AppCommand::Delete => vec![key(Key::Delete)],
            AppCommand::Duplicate => one(cmd, Key::D),
            AppCommand::AddItem => one(cmd_shift, Key::N),
            AppCommand::ClearSelection => vec![key(Key::Escape)],
            AppCommand::CommandPalette => one(cmd, Key::K),
            AppCommand::Briefing => vec![key(Key::F5)],
            AppCommand::ToggleTheme => one(cmd_shift, Key::T),
            AppCommand::History => one(cmd, Key::H),
            AppCommand::YourName
            | AppCommand::Share
            | AppCommand::OpenShared
            | AppCommand::MarkBriefed
            | AppCommand::ChangesSince => Vec::new(),
            AppCommand::Show(view) => one(Modifiers::ALT, view.shortcut_key()),
            AppCommand::Matrix(command) => matrix_keys(command).into_iter().map(key).collect(),
            AppCommand::Timeline(command) => timeline_keys(command).into_iter().map(key).collect(),
            AppCommand::Map(command) => map_keys(command).into_iter().map(key).collect(),
            AppCommand::Slides(command) => slide_keys(command).into_iter().map(key).collect(),
        }
    }

    /// Its primary shortcut, if it has one.
    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        self.shortcuts().into_iter().next()
    }

    /// Whether the shortcut must wait while a text field has focus (the field's own keys win).
    /// Shortcuts without a modifier always wait.
    pub fn yields_to_text_fields(self) -> bool {
        matches!(
            self,
            AppCommand::Undo | AppCommand::Redo | AppCommand::Delete | AppCommand::Duplicate
        )
    }

    /// The primary shortcut as text for menus: `Ctrl+Shift+S`.
    pub fn shortcut_text(self, ctx: &egui::Context) -> String {
        self.shortcut()
            .map(|s| ctx.format_shortcut(&s))
            .unwrap_or_default()
    }

    /// Every shortcut as text, primary first: `Ctrl+Shift+Z, Ctrl+Y`.
    pub fn all_shortcuts_text(self, ctx: &egui::Context) -> String {
        self.shortcuts()
            .iter()
            .map(|s| ctx.format_shortcut(s))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn matrix_label(command: MatrixCommand) -> &'static str {
    match command {
        MatrixCommand::Move(Direction::Left) => "Matrix: focus the cell to the left",
        MatrixCommand::Move(Direction::Right) => "Matrix: focus the cell to the right",
        MatrixCommand::Move(Direction::Up) => "Matrix: focus the cell above",
        MatrixCommand::Move(Direction::Down) => "Matrix: focus the cell below",
        MatrixCommand::SetRole(RoleKey::Lead) => "Matrix: set Lead",
        MatrixCommand::SetRole(RoleKey::Support) => "Matrix: set Support",
        MatrixCommand::SetRole(RoleKey::BurdenSharing) => "Matrix: set Burden-sharing",
        MatrixCommand::SetRole(RoleKey::Sequential) => "Matrix: set Sequential (next step)",
        MatrixCommand::SetRole(RoleKey::Joint) => "Matrix: set Joint",
        MatrixCommand::ClearRole => "Matrix: clear the role",
        MatrixCommand::CellMenu => "Matrix: open the cell's menu",
    }
}

fn matrix_keys(command: MatrixCommand) -> Vec<Key> {
    match command {
        MatrixCommand::Move(Direction::Left) => vec![Key::ArrowLeft],
        MatrixCommand::Move(Direction::Right) => vec![Key::ArrowRight],
        MatrixCommand::Move(Direction::Up) => vec![Key::ArrowUp],
        MatrixCommand::Move(Direction::Down) => vec![Key::ArrowDown],
        MatrixCommand::SetRole(RoleKey::Lead) => vec![Key::L],
        MatrixCommand::SetRole(RoleKey::Support) => vec![Key::S],
        MatrixCommand::SetRole(RoleKey::BurdenSharing) => vec![Key::B],
        MatrixCommand::SetRole(RoleKey::Sequential) => vec![Key::Q],
        MatrixCommand::SetRole(RoleKey::Joint) => vec![Key::J],
        MatrixCommand::ClearRole => vec![Key::Backspace],
        MatrixCommand::CellMenu => vec![Key::Enter],
    }
}

fn timeline_label(command: TimelineCommand) -> &'static str {
    match command {
        TimelineCommand::PanLeft => "Timeline: move earlier",
        TimelineCommand::PanRight => "Timeline: move later",
        TimelineCommand::ZoomIn => "Timeline: zoom in",
        TimelineCommand::ZoomOut => "Timeline: zoom out",
        TimelineCommand::FitAll => "Timeline: fit every event",
    }
}

fn timeline_keys(command: TimelineCommand) -> Vec<Key> {
    match command {
        TimelineCommand::PanLeft => vec![Key::ArrowLeft],
        TimelineCommand::PanRight => vec![Key::ArrowRight],
        TimelineCommand::ZoomIn => vec![Key::Plus, Key::Equals],
        TimelineCommand::ZoomOut => vec![Key::Minus],
        TimelineCommand::FitAll => vec![Key::F, Key::Home],
    }
}

fn map_label(command: MapCommand) -> &'static str {
    match command {
        MapCommand::ZoomIn => "Map: zoom in",
        MapCommand::ZoomOut => "Map: zoom out",
        MapCommand::Fit => "Map: fit the places shown",
    }
}

fn map_keys(command: MapCommand) -> Vec<Key> {
    match command {
        MapCommand::ZoomIn => vec![Key::Plus, Key::Equals],
        MapCommand::ZoomOut => vec![Key::Minus],
        MapCommand::Fit => vec![Key::F, Key::Home],
    }
}

fn slide_label(command: SlideCommand) -> &'static str {
    match command {
        SlideCommand::Next => "Briefing: next slide",
        SlideCommand::Previous => "Briefing: previous slide",
        SlideCommand::First => "Briefing: first slide",
        SlideCommand::Last => "Briefing: last slide",
        SlideCommand::Exit => "Briefing: leave",
    }
}

fn slide_keys(command: SlideCommand) -> Vec<Key> {
    match command {
        SlideCommand::Next => vec![Key::ArrowRight, Key::PageDown, Key::Space, Key::ArrowDown],
        SlideCommand::Previous => vec![Key::ArrowLeft, Key::PageUp, Key::ArrowUp],
        SlideCommand::First => vec![Key::Home],
        SlideCommand::Last => vec![Key::End],
        SlideCommand::Exit => vec![Key::Escape],
    }
}

/// The commands whose shortcut was pressed this frame, among those active in `view` (or in
/// briefing mode). Specific shortcuts are matched before looser ones (Ctrl+Shift+Z before
/// Ctrl+Z, since egui ignores an extra Shift); keys without a modifier and the commands that
/// yield to text fields wait while a text field has focus, and Escape while a menu is open.
/// `view_has_keys`: whether the view's own keys are live (the pointer is over its canvas, or
/// the canvas has focus), as the view said when it last drew.
pub fn pressed_commands(
    ctx: &egui::Context,
    view: View,
    briefing: bool,
    view_has_keys: bool,
) -> Vec<AppCommand> {
    let text_focused = ctx.text_edit_focused();
    // An open menu or drop-down keeps Escape: it closes the menu.
    let popup_open = egui::Popup::is_any_open(ctx);
    let mut bindings: Vec<(AppCommand, KeyboardShortcut)> = AppCommand::all()
        .into_iter()
        .filter(|c| c.scope().active(view, briefing))
        .filter(|c| view_has_keys || !matches!(c.scope(), Scope::View(_)))
        .flat_map(|c| c.shortcuts().into_iter().map(move |s| (c, s)))
        .filter(|(c, s)| {
            let plain = s.modifiers.is_none();
            let escape = plain && s.logical_key == Key::Escape;
            !(text_focused && (c.yields_to_text_fields() || plain)) && !(popup_open && escape)
        })
        .collect();
    bindings.sort_by_key(|(_, s)| {
        std::cmp::Reverse(u8::from(s.modifiers.shift) + u8::from(s.modifiers.alt))
    });
    let mut pressed = Vec::new();
    for (command, shortcut) in bindings {
        if ctx.input_mut(|i| i.consume_shortcut(&shortcut)) && !pressed.contains(&command) {
            pressed.push(command);
        }
    }
    pressed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_commands_that_can_be_active_together_share_a_shortcut() {
        let all = AppCommand::all();
        let mut checked = 0;
        for (i, a) in all.iter().enumerate() {
            for b in all.iter().skip(i + 1) {
                if !a.scope().overlaps(b.scope()) {
                    continue;
                }
                for sa in a.shortcuts() {
                    for sb in b.shortcuts() {
                        checked += 1;
                        assert!(sa != sb, "{a:?} and {b:?} share a shortcut");
                    }
                }
            }
        }
        assert!(checked > 500, "the test compared the bindings ({checked})");
    }

    #[test]
    fn a_command_lists_each_shortcut_once() {
        for c in AppCommand::all() {
            let shortcuts = c.shortcuts();
            for (i, s) in shortcuts.iter().enumerate() {
                assert!(!shortcuts[i + 1..].contains(s), "{c:?} lists {s:?} twice");
            }
        }
    }

    #[test]
    fn every_command_has_a_label_a_tooltip_and_appears_once() {
        let all = AppCommand::all();
        for (i, c) in all.iter().enumerate() {
            assert!(!c.label().is_empty());
            assert!(!c.tooltip().is_empty());
            assert!(!all[i + 1..].contains(c), "{c:?} is listed twice");
        }
    }

    #[test]
    fn the_keys_views_handled_on_their_own_are_commands_now() {
        let bound = |scope: Scope, key: Key| {
            AppCommand::all().into_iter().any(|c| {
                c.scope() == scope
                    && c.shortcuts()
                        .iter()
                        .any(|s| s.logical_key == key && s.modifiers.is_none())
            })
        };
        for key in [
            Key::L,
            Key::S,
            Key::B,
            Key::Q,
            Key::J,
            Key::ArrowLeft,
            Key::Enter,
        ] {
            assert!(bound(Scope::View(View::Matrix), key), "matrix {key:?}");
        }
        for key in [Key::Plus, Key::Minus, Key::F, Key::ArrowRight] {
            assert!(bound(Scope::View(View::Timeline), key), "timeline {key:?}");
        }
        for key in [Key::Space, Key::PageUp, Key::Home, Key::End, Key::Escape] {
            assert!(bound(Scope::Briefing, key), "briefing {key:?}");
        }
    }

    #[test]
    fn scopes_overlap_as_the_window_is_used() {
        let matrix = Scope::View(View::Matrix);
        let timeline = Scope::View(View::Timeline);
        assert!(Scope::Window.overlaps(matrix));
        assert!(!matrix.overlaps(timeline));
        assert!(!Scope::Briefing.overlaps(Scope::Window));
        assert!(matrix.active(View::Matrix, false));
        assert!(!matrix.active(View::Matrix, true));
        assert!(!Scope::Window.active(View::Matrix, true));
        assert!(Scope::Briefing.active(View::Overview, true));
    }
}
