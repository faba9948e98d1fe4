//! The eframe application: one document, views that emit actions, one place that applies them.

pub mod command;
pub mod dialogs;
pub mod document;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::io;
use crate::model::edit::Edit;
use crate::model::{ItemKind, ItemRef, Situation};
use crate::ui::{self, ViewCtx, ViewStates};
pub use command::AppCommand;
pub use dialogs::{FileDialogs, NativeDialogs, ScriptedDialogs};
pub use document::Document;

/// The main views, one per tab.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum View {
    #[default]
    Overview,
    Actors,
    Partners,
    Lines,
    Events,
    Timeline,
    Matrix,
}

impl View {
    pub const ALL: [View; 7] = [
        View::Overview,
        View::Actors,
        View::Partners,
        View::Lines,
        View::Events,
        View::Timeline,
        View::Matrix,
    ];

    pub fn label(self) -> &'static str {
        match self {
            View::Overview => "Overview",
            View::Actors => "Actors",
            View::Partners => "Partners",
            View::Lines => "Lines of effort",
            View::Events => "Events",
            View::Timeline => "Timeline",
            View::Matrix => "Matrix",
        }
    }

    /// Alt+1…7 switch views.
    pub fn shortcut_key(self) -> Option<egui::Key> {
        use egui::Key;
        Some(match self {
            View::Overview => Key::Num1,
            View::Actors => Key::Num2,
            View::Partners => Key::Num3,
            View::Lines => Key::Num4,
            View::Events => Key::Num5,
            View::Timeline => Key::Num6,
            View::Matrix => Key::Num7,
        })
    }

    /// Parses a view name as given on the command line (`--view matrix`).
    pub fn parse(name: &str) -> Option<View> {
        let name = name.trim().to_ascii_lowercase();
        View::ALL.into_iter().find(|v| {
            v.label().to_ascii_lowercase() == name || format!("{v:?}").to_ascii_lowercase() == name
        })
    }
}

/// What panels ask of the app while they draw; applied once after drawing.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Command(AppCommand),
    Edit(Edit),
    Select(Option<ItemRef>),
    /// Select an item and switch to the view that lists it.
    Reveal(ItemRef),
    OpenPath(PathBuf),
    Status(String),
}

/// What is remembered between runs.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub view: View,
    pub dark: bool,
    pub recent: Vec<PathBuf>,
    pub show_problems: bool,
}

impl Settings {
    /// The settings saved by the last run (defaults when none or unreadable), without the
    /// recent files that no longer exist.
    pub fn restored(saved: Option<Settings>) -> Settings {
        let mut settings = saved.unwrap_or_default();
        settings.recent.retain(|p| p.exists());
        settings
    }
}

const SETTINGS_KEY: &str = "tandem-settings";
const MAX_RECENT: usize = 10;

/// What to do once the user has answered "save changes?".
#[derive(Clone, Debug, PartialEq)]
enum AfterConfirm {
    New,
    Open(Option<PathBuf>),
    Quit,
}

/// The answers to "save changes?".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Choice {
    Save,
    Discard,
    Cancel,
}

/// A message the user must acknowledge.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorDialog {
    pub title: String,
    pub message: String,
}

/// The Tandem application.
pub struct TandemApp {
    pub doc: Document,
    pub settings: Settings,
    pub selection: Option<ItemRef>,
    pub views: ViewStates,
    pub error: Option<ErrorDialog>,
    pub status: Option<String>,
    dialogs: Box<dyn FileDialogs>,
    actions: Vec<Action>,
    confirm: Option<AfterConfirm>,
    quit_confirmed: bool,
    title_shown: String,
    /// Whether the fallback fonts are in place (they take effect one pass after installing).
    fonts_installed: bool,
    /// With `--screenshot PATH`: save a PNG of the window there, then quit.
    pub screenshot_to: Option<PathBuf>,
    screenshot_slot: std::sync::Arc<std::sync::Mutex<Option<std::sync::Arc<egui::ColorImage>>>>,
    frames_drawn: u64,
    /// The command palette (Ctrl+K).
    pub palette: ui::palette::PaletteState,
    /// An item whose deletion waits for the user to confirm (others refer to it).
    pub pending_delete: Option<ItemRef>,
    /// File → Export…: format, audience, preview and the running export.
    pub export_dialog: ui::export_dialog::ExportDialog,
    /// File → Import…, while open.
    pub import_dialog: Option<ui::import_dialog::ImportDialog>,
    /// Briefing mode, while presenting.
    pub briefing: Option<ui::briefing::BriefingState>,
    /// Whether to quit once the `--screenshot` picture is saved (not for File → Export PNG).
    quit_after_screenshot: bool,
    /// The shared-folder lock on the open file, released when another file opens or on quit.
    lock: Option<io::lock::LockGuard>,
    /// Where recovery copies go; `None` when the data folder is not writable.
    recovery: Option<io::recovery::RecoveryStore>,
    recovery_timer: io::recovery::RecoveryTimer,
    /// Recovery copies left by sessions that died, offered at start.
    pub recovery_offers: Vec<io::recovery::RecoveryEntry>,
    started: std::time::Instant,
    /// Watches the open file's folder; created for the file being watched.
    disk_watcher: Option<(PathBuf, io::disk::DiskWatcher)>,
    /// What was on disk when the file was opened or last saved.
    disk_state: Option<io::disk::DiskState>,
    /// A change made on disk by someone else, shown as a banner until the user answers.
    pub disk_change: Option<io::disk::DiskChange>,
    /// Who holds the lock on the open file, when another live session does.
    pub held_by: Option<(io::lock::LockInfo, io::lock::Liveness)>,
}

impl TandemApp {
    /// An app showing `doc`, asking for files through `dialogs`.
    pub fn new(doc: Document, settings: Settings, dialogs: Box<dyn FileDialogs>) -> Self {
        Self {
            doc,
            settings,
            selection: None,
            views: ViewStates::default(),
            error: None,
            status: None,
            dialogs,
            actions: Vec::new(),
            confirm: None,
            quit_confirmed: false,
            title_shown: String::new(),
            fonts_installed: false,
            screenshot_to: None,
            screenshot_slot: Default::default(),
            frames_drawn: 0,
            palette: Default::default(),
            pending_delete: None,
            export_dialog: Default::default(),
            import_dialog: None,
            briefing: None,
            quit_after_screenshot: true,
            lock: None,
            recovery: None,
            recovery_timer: io::recovery::RecoveryTimer::new(5.0, 60.0),
            recovery_offers: Vec::new(),
            started: std::time::Instant::now(),
            disk_watcher: None,
            disk_state: None,
            disk_change: None,
            held_by: None,
        }
    }

    /// The app on the bundled Guinea sample, as an untitled copy.
    pub fn with_sample(dialogs: Box<dyn FileDialogs>) -> Self {
        let doc = sample_document();
        Self::new(doc, Settings::default(), dialogs)
    }

    /// Called by eframe at start: restores settings, opens `file` or the sample.
    pub fn from_creation_context(
        cc: &eframe::CreationContext<'_>,
        file: Option<&Path>,
        view: Option<View>,
    ) -> Self {
        let settings =
            Settings::restored(cc.storage.and_then(|s| eframe::get_value(s, SETTINGS_KEY)));
        let mut app = Self::new(sample_document(), settings, Box::new(NativeDialogs));
        if let Ok(store) = io::recovery::RecoveryStore::open_default() {
            app.recovery_offers = store.orphans();
            app.recovery = Some(store);
        }
        if let Some(path) = file {
            app.open_path(path);
        }
        if let Some(view) = view {
            app.settings.view = view;
        }
        ui::theme::apply(&cc.egui_ctx, app.settings.dark);
        ui::theme::install_fonts(&cc.egui_ctx);
        app.fonts_installed = true;
        app
    }

    /// Queues an action as if a panel had emitted it.
    pub fn push(&mut self, action: Action) {
        self.actions.push(action);
    }

    /// Draws the whole window and applies what the user did.
    pub fn ui_root(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if !self.fonts_installed {
            // New fonts take effect from the next pass: draw nothing until then.
            ui::theme::install_fonts(&ctx);
            self.fonts_installed = true;
            ctx.request_discard("installing fonts");
            ctx.request_repaint();
            return;
        }
        if self.briefing.is_some() {
            self.briefing_ui(ui);
            return;
        }
        self.handle_shortcuts(&ctx);
        self.handle_dropped_files(&ctx);
        self.handle_close_request(&ctx);

        self.watch_disk(&ctx);
        let mut disk_choice = None;
        let mut lock_choice = None;
        let mut actions = std::mem::take(&mut self.actions);
        let (errors, warnings) = self.doc.problem_counts();
        let undo_label = self.doc.history.undo_label().map(str::to_owned);
        let redo_label = self.doc.history.redo_label().map(str::to_owned);
        egui::Panel::top("menu_bar").show(ui, |ui| {
            ui::menu::menu_bar_ui(
                ui,
                &self.settings.recent,
                undo_label.as_deref(),
                redo_label.as_deref(),
                &mut actions,
            );
        });
        egui::Panel::top("view_tabs").show(ui, |ui| {
            ui::menu::view_tabs_ui(ui, self.settings.view, &mut actions);
            if let Some((info, liveness)) = &self.held_by {
                lock_choice = ui::safety::lock_banner_ui(ui, info, liveness);
            } else if let Some(reason) = &self.doc.read_only {
                ui::menu::banner_ui(ui, &format!("Read-only: {reason}"));
            }
            if let Some(change) = &self.disk_change {
                let name = self.doc.display_name();
                disk_choice = ui::safety::disk_banner_ui(ui, &name, change, self.doc.is_dirty());
            }
        });
        egui::Panel::bottom("status_bar").show(ui, |ui| {
            ui::menu::status_bar_ui(
                ui,
                &self.doc,
                errors,
                warnings,
                self.status.as_deref(),
                &mut self.settings.show_problems,
            );
        });
        let diagnostics = self.doc.shared_diagnostics();
        if self.settings.show_problems {
            egui::Panel::bottom("problems")
                .resizable(true)
                .default_size(160.0)
                .show(ui, |ui| {
                    ui::problems::problems_ui(ui, &diagnostics, &self.selection, &mut actions)
                });
        }
        let mut view_ctx = ViewCtx {
            situation: &self.doc.situation,
            revision: self.doc.history.revision(),
            diagnostics: &diagnostics,
            selection: &self.selection,
            read_only: self.doc.read_only.is_some(),
            actions: &mut actions,
        };
        ui::views_ui(ui, self.settings.view, &mut self.views, &mut view_ctx);
        ui::detail::end_frame(&mut self.views.detail, &mut actions);
        ui::palette::palette_ui(&ctx, &mut self.palette, &mut actions);
        self.modals_ui(&ctx, &mut actions);
        self.export_ui(&ctx);
        self.import_ui(&ctx, &mut actions);
        self.recovery_ui(&ctx);

        for action in actions {
            self.apply(&ctx, action);
        }
        if let Some(choice) = disk_choice {
            self.answer_disk_change(choice);
        }
        if let Some(choice) = lock_choice {
            self.answer_lock(choice);
        }
        self.frames_drawn += 1;
        self.write_recovery_copy_when_due(&ctx);
        self.take_screenshot_if_asked(&ctx);
        let title = self.doc.window_title();
        if title != self.title_shown {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title_shown = title;
        }
    }

    fn handle_shortcuts(&mut self, ctx: &egui::Context) {
        if self.confirm.is_some()
            || self.error.is_some()
            || self.palette.open
            || self.pending_delete.is_some()
        {
            return;
        }
        let text_focused = ctx.text_edit_focused();
        let mut commands = AppCommand::all();
        commands.sort_by_key(|c| {
            std::cmp::Reverse(c.shortcut().map_or(0, |s| s.modifiers.shift as u8))
        });
        for command in commands {
            let Some(shortcut) = command.shortcut() else {
                continue;
            };
            if text_focused && (command.yields_to_text_fields() || shortcut.modifiers.is_none()) {
                continue;
            }
            if ctx.input_mut(|i| i.consume_shortcut(&shortcut)) {
                self.actions.push(Action::Command(command));
            }
        }
    }

    fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if let Some(path) = dropped.into_iter().next() {
            self.actions.push(Action::OpenPath(path));
        }
    }

    fn handle_close_request(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested())
            && self.doc.is_dirty()
            && !self.quit_confirmed
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.confirm = Some(AfterConfirm::Quit);
        }
    }

    /// Keeps the selection on its item when an edit (or its undo) renames the item's id.
    fn follow_renames(&mut self, renamed: Vec<(ItemKind, String, String)>) {
        for (kind, old, new) in renamed {
            if self
                .selection
                .as_ref()
                .is_some_and(|s| s.kind == kind && s.id == old)
            {
                self.selection = Some(ItemRef::new(kind, new));
            }
        }
    }

    /// Applies one action. The single place where the document changes.
    pub fn apply(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::Command(command) => self.run_command(ctx, command),
            Action::Edit(edit) => {
                if let Some(reason) = &self.doc.read_only {
                    self.status = Some(format!("Not changed — the file is read-only: {reason}"));
                    return;
                }
                let renamed = owned_renames(Some(&edit));
                match self.doc.apply(edit) {
                    Ok(()) => {
                        self.status = None;
                        self.follow_renames(renamed);
                    }
                    Err(err) => self.status = Some(format!("Not changed: {err}")),
                }
                self.drop_stale_selection();
            }
            Action::Select(selection) => self.selection = selection,
            Action::Reveal(item) => {
                self.settings.view = ui::view_for(item.kind, self.settings.view);
                self.selection = Some(item);
            }
            Action::OpenPath(path) => {
                if self.doc.is_dirty() {
                    self.confirm = Some(AfterConfirm::Open(Some(path)));
                } else {
                    self.open_path(&path);
                }
            }
            Action::Status(message) => self.status = Some(message),
        }
    }

    fn run_command(&mut self, ctx: &egui::Context, command: AppCommand) {
        match command {
            AppCommand::New => self.guard(AfterConfirm::New),
            AppCommand::Open => self.guard(AfterConfirm::Open(None)),
            AppCommand::Save => {
                self.save();
            }
            AppCommand::SaveAs => {
                self.save_as();
            }
            AppCommand::Quit => {
                if self.doc.is_dirty() {
                    self.confirm = Some(AfterConfirm::Quit);
                } else {
                    self.quit(ctx);
                }
            }
            AppCommand::Undo => {
                let renamed = owned_renames(self.doc.history.next_undo());
                self.status = Some(match self.doc.undo() {
                    Some(label) => format!("Undid {label}"),
                    None => "Nothing to undo".into(),
                });
                self.follow_renames(renamed);
                self.drop_stale_selection();
            }
            AppCommand::Redo | AppCommand::RedoAlt => {
                let renamed = owned_renames(self.doc.history.next_redo());
                self.status = Some(match self.doc.redo() {
                    Some(label) => format!("Redid {label}"),
                    None => "Nothing to redo".into(),
                });
                self.follow_renames(renamed);
                self.drop_stale_selection();
            }
            AppCommand::ToggleTheme => {
                self.settings.dark = !self.settings.dark;
                ui::theme::apply(ctx, self.settings.dark);
            }
            AppCommand::Show(view) => self.settings.view = view,
            AppCommand::Delete => {
                if let Some(item) = self.selection.clone() {
                    if self.doc.read_only.is_some() {
                        self.apply(ctx, Action::Edit(Edit::Remove { item }));
                    } else if crate::model::ids::references_to(&self.doc.situation, &item)
                        .is_empty()
                    {
                        self.delete_now(ctx, &item);
                    } else {
                        self.pending_delete = Some(item);
                    }
                }
            }
            AppCommand::CommandPalette => {
                if self.palette.open {
                    self.palette.close();
                } else {
                    self.palette.open();
                }
            }
            AppCommand::Duplicate => {
                if let Some(item) = self.selection.clone() {
                    match crate::model::edit::duplicate(&self.doc.situation, &item) {
                        Ok(edit) => self.apply(ctx, Action::Edit(edit)),
                        Err(err) => self.status = Some(err.to_string()),
                    }
                }
            }
            AppCommand::Export => self.export_dialog.show(),
            AppCommand::Import => {
                if let Some(path) = self.dialogs.open_csv() {
                    self.import_dialog = Some(ui::import_dialog::ImportDialog::open(path));
                }
            }
            AppCommand::Briefing => {
                let audience = self.export_dialog.audience();
                self.briefing = Some(ui::briefing::BriefingState::new(
                    audience.ceiling,
                    audience.tlp,
                ));
                ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
            }
            other => ui::handle_view_command(
                other,
                self.settings.view,
                &mut self.views,
                &self.doc.situation,
                &mut self.actions,
            ),
        }
    }

    /// Deletes `item` and every reference to it, as one undoable step.
    fn delete_now(&mut self, ctx: &egui::Context, item: &ItemRef) {
        match crate::model::edit::delete(&self.doc.situation, item) {
            Ok(edit) => self.apply(ctx, Action::Edit(edit)),
            Err(err) => self.status = Some(err.to_string()),
        }
    }

    fn drop_stale_selection(&mut self) {
        if let Some(sel) = &self.selection
            && !self.doc.situation.has_id(&sel.id)
        {
            self.selection = None;
        }
    }

    /// Runs `after` now, or asks first when there are unsaved changes.
    fn guard(&mut self, after: AfterConfirm) {
        if self.doc.is_dirty() {
            self.confirm = Some(after);
        } else {
            self.proceed(after);
        }
    }

    fn proceed(&mut self, after: AfterConfirm) {
        match after {
            AfterConfirm::New => self.new_situation(),
            AfterConfirm::Open(Some(path)) => self.open_path(&path),
            AfterConfirm::Open(None) => {
                if let Some(path) = self.dialogs.open_situation() {
                    self.open_path(&path);
                }
            }
            AfterConfirm::Quit => {
                self.quit_confirmed = true;
                self.actions.push(Action::Command(AppCommand::Quit));
            }
        }
    }

    fn quit(&mut self, ctx: &egui::Context) {
        self.quit_confirmed = true;
        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
    }

    /// Replaces the document with a new situation from the blank template.
    pub fn new_situation(&mut self) {
        let situation = match io::parse_situation(crate::samples::BLANK) {
            Ok(loaded) => loaded.situation,
            Err(_) => Situation::new("New situation", today()),
        };
        let mut situation = situation;
        situation.as_of = today();
        self.doc = Document::untitled(situation, "Untitled situation");
        self.selection = None;
        self.views = ViewStates::default();
        self.settings.view = View::Overview;
    }

    /// Opens `path`; on failure shows why and keeps the current situation untouched.
    pub fn open_path(&mut self, path: &Path) {
        let loaded = io::read_capped(path).and_then(|bytes| {
            let hash = io::content_hash(&bytes);
            let state = io::disk::DiskState::of_bytes(path, &bytes);
            io::parse_bytes(&bytes).map(|l| (l, hash, state))
        });
        match loaded {
            Ok((loaded, hash, state)) => {
                self.disk_state = Some(state);
                self.disk_change = None;
                let mut doc = Document::new(loaded.situation, Some(path.to_path_buf()));
                doc.read_only = loaded.read_only;
                doc.disk_hash = Some(hash);
                self.lock = None;
                self.held_by = None;
                let mut stale_notice = None;
                if doc.read_only.is_none() {
                    match io::lock::acquire(path) {
                        io::lock::LockOutcome::Acquired(guard) => self.lock = Some(guard),
                        io::lock::LockOutcome::HeldBy(info, liveness) if liveness.is_stale() => {
                            // Its session is gone (dead process on this host, or a day old):
                            // take the lock over and say so.
                            match io::lock::take_over(path) {
                                Ok(guard) => {
                                    self.lock = Some(guard);
                                    stale_notice = Some(format!(
                                        "Took over a stale lock left by {} ({})",
                                        info.holder(),
                                        info.since_text()
                                    ));
                                }
                                Err(err) => {
                                    doc.read_only =
                                        Some(format!("cannot take over the stale lock: {err}"))
                                }
                            }
                        }
                        io::lock::LockOutcome::HeldBy(info, liveness) => {
                            self.held_by = Some((info.clone(), liveness));
                            doc.read_only = Some(format!(
                                "{} has this file open ({}); it is open read-only so that neither of you overwrites the other. Save As… keeps your changes in another file.",
                                info.holder(),
                                info.since_text()
                            ));
                        }
                        io::lock::LockOutcome::ReadOnlyLocation(reason) => {
                            doc.read_only = Some(reason)
                        }
                    }
                }
                if let Some(dir) = path.parent() {
                    io::clean_stale_temporaries(dir);
                }
                self.doc = doc;
                self.selection = None;
                self.views = ViewStates::default();
                self.remember_recent(path);
                self.status = Some(match loaded.migrated_from {
                    Some(v) => format!(
                        "Opened {} (migrated from schema {v}; saving writes the current schema)",
                        path.display()
                    ),
                    None => format!("Opened {}", path.display()),
                });
                if let Some(notice) = stale_notice {
                    self.status = Some(notice);
                }
            }
            Err(d) => {
                let position = match (d.line, d.column) {
                    (Some(l), Some(c)) => format!("{}:{l}:{c}", path.display()),
                    _ => path.display().to_string(),
                };
                self.error = Some(ErrorDialog {
                    title: "This file cannot be opened".into(),
                    message: format!(
                        "{position}\n\n{} [{}]\n\nThe situation you had open is unchanged.",
                        d.message, d.code
                    ),
                });
                self.settings.recent.retain(|p| p != path || p.exists());
            }
        }
    }

    fn remember_recent(&mut self, path: &Path) {
        let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        self.settings.recent.retain(|p| *p != path);
        self.settings.recent.insert(0, path);
        self.settings.recent.truncate(MAX_RECENT);
    }

    /// Saves to the document's file (asks where for an untitled one). Returns whether it saved.
    pub fn save(&mut self) -> bool {
        if let Some(reason) = &self.doc.read_only {
            self.error = Some(ErrorDialog {
                title: "This file is read-only".into(),
                message: format!(
                    "{reason}\n\nUse File → Save As… to keep your changes in another file."
                ),
            });
            return false;
        }
        match self.doc.path.clone() {
            Some(path) => self.save_to(&path),
            None => self.save_as(),
        }
    }

    /// Asks where, then saves there. Returns whether it saved.
    pub fn save_as(&mut self) -> bool {
        let suggested = format!(
            "{}.ron",
            crate::model::ids::slug(&self.doc.situation.title, "situation")
        );
        match self.dialogs.save_situation(&suggested) {
            Some(path) => {
                let saved = self.save_to(&path);
                if saved {
                    self.doc.read_only = None;
                }
                saved
            }
            None => false,
        }
    }

    fn save_to(&mut self, path: &Path) -> bool {
        let same_file = self.doc.path.as_deref() == Some(path);
        if same_file
            && let Some(known) = self.doc.disk_hash
            && let Ok(bytes) = io::read_capped(path)
            && io::content_hash(&bytes) != known
        {
            self.error = Some(ErrorDialog {
                title: "The file changed on disk".into(),
                message: format!(
                    "{} was changed by another program or a colleague since you opened it. Nothing was overwritten.\n\nUse File → Save As… to keep your version in another file, then compare the two.",
                    path.display()
                ),
            });
            return false;
        }
        match io::save_file(path, &self.doc.situation) {
            Ok(bytes) => {
                self.disk_state = Some(io::disk::DiskState::of_bytes(path, &bytes));
                self.disk_change = None;
                self.doc.path = Some(path.to_path_buf());
                self.doc.disk_hash = Some(io::content_hash(&bytes));
                self.doc.mark_saved();
                if let Some(store) = &mut self.recovery {
                    store.clear();
                }
                self.remember_recent(path);
                self.status = Some(format!("Saved {}", path.display()));
                true
            }
            Err(err) => {
                self.error = Some(ErrorDialog {
                    title: "The situation was not saved".into(),
                    message: format!(
                        "{err}\n\nThe file on disk is unchanged and your work is still open."
                    ),
                });
                false
            }
        }
    }

    fn modals_ui(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        if let Some(item) = self.pending_delete.clone() {
            if !self.doc.situation.has_id(&item.id) {
                self.pending_delete = None;
            } else if let Some(confirmed) =
                ui::detail::delete_confirm_ui(ctx, &self.doc.situation, &item)
            {
                self.pending_delete = None;
                if confirmed {
                    match crate::model::edit::delete(&self.doc.situation, &item) {
                        Ok(edit) => actions.push(Action::Edit(edit)),
                        Err(err) => self.status = Some(err.to_string()),
                    }
                }
            }
        }
        if let Some(error) = self.error.clone() {
            let modal = egui::Modal::new(egui::Id::unique("error_dialog")).show(ctx, |ui| {
                ui.set_max_width(520.0);
                ui.heading(&error.title);
                ui.add_space(6.0);
                ui.label(&error.message);
                ui.add_space(8.0);
                ui.button("OK").clicked()
            });
            if modal.inner || modal.should_close() {
                self.error = None;
            }
            return;
        }
        if let Some(after) = self.confirm.clone() {
            let what = match &after {
                AfterConfirm::New => "creating a new situation",
                AfterConfirm::Open(_) => "opening another file",
                AfterConfirm::Quit => "quitting",
            };
            let name = self.doc.display_name();
            let modal = egui::Modal::new(egui::Id::unique("confirm_discard")).show(ctx, |ui| {
                ui.set_max_width(480.0);
                ui.heading("Unsaved changes");
                ui.label(format!("Save the changes to “{name}” before {what}?"));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Save").clicked() {
                        Some(Choice::Save)
                    } else if ui.button("Discard changes").clicked() {
                        Some(Choice::Discard)
                    } else if ui.button("Cancel").clicked() {
                        Some(Choice::Cancel)
                    } else {
                        None
                    }
                })
                .inner
            });
            let choice = modal
                .inner
                .or(modal.should_close().then_some(Choice::Cancel));
            match choice {
                Some(Choice::Save) => {
                    self.confirm = None;
                    if self.save() {
                        self.proceed(after);
                    }
                }
                Some(Choice::Discard) => {
                    self.confirm = None;
                    self.doc.mark_saved();
                    self.proceed(after);
                }
                Some(Choice::Cancel) => self.confirm = None,
                None => {}
            }
        }
    }
}

impl TandemApp {
    /// Watches the open file's folder and notices, debounced, when someone else changes it.
    fn watch_disk(&mut self, ctx: &egui::Context) {
        let Some(path) = self.doc.path.clone() else {
            self.disk_watcher = None;
            return;
        };
        if self
            .disk_watcher
            .as_ref()
            .is_none_or(|(watched, _)| *watched != path)
        {
            let wake = ctx.clone();
            self.disk_watcher = io::disk::DiskWatcher::new(&path, move || {
                wake.request_repaint_after(io::disk::DEBOUNCE);
            })
            .ok()
            .map(|w| (path.clone(), w));
        }
        let Some((_, watcher)) = self.disk_watcher.as_mut() else {
            return;
        };
        if watcher.poll()
            && let Some(state) = &self.disk_state
        {
            let change = state.check(&path);
            self.disk_change = (change != io::disk::DiskChange::Unchanged).then_some(change);
        }
    }

    /// Someone else holds the lock: edit an untitled copy, or take the lock over (confirmed).
    fn answer_lock(&mut self, choice: ui::safety::LockChoice) {
        match choice {
            ui::safety::LockChoice::OpenCopy => {
                let name = format!("Copy of {}", self.doc.display_name());
                let situation = self.doc.situation.clone();
                self.doc = Document::untitled(situation, name);
                self.doc.mark_unsaved();
                self.held_by = None;
            }
            ui::safety::LockChoice::TakeOver => {
                let Some(path) = self.doc.path.clone() else {
                    return;
                };
                match io::lock::take_over(&path) {
                    Ok(guard) => {
                        self.lock = Some(guard);
                        self.doc.read_only = None;
                        self.held_by = None;
                        self.status = Some("You now hold the lock on this file".into());
                    }
                    Err(err) => self.status = Some(format!("Cannot take over the lock: {err}")),
                }
            }
        }
    }

    /// Reload, save a copy, overwrite (the banner confirmed the risky ones), or keep editing.
    fn answer_disk_change(&mut self, choice: ui::safety::DiskChoice) {
        use ui::safety::DiskChoice;
        match choice {
            DiskChoice::Reload => {
                if let Some(path) = self.doc.path.clone() {
                    self.doc.mark_saved();
                    self.open_path(&path);
                }
            }
            DiskChoice::SaveCopy => {
                if self.save_as() {
                    self.disk_change = None;
                }
            }
            DiskChoice::Overwrite => {
                if let Some(path) = self.doc.path.clone() {
                    // The user chose to replace their version: take the disk's bytes as known.
                    if let Ok(bytes) = io::read_capped(&path) {
                        self.doc.disk_hash = Some(io::content_hash(&bytes));
                    }
                    self.save();
                }
            }
            DiskChoice::KeepEditing => self.disk_change = None,
        }
    }

    /// While there are unsaved changes, a recovery copy a few seconds after the last edit.
    fn write_recovery_copy_when_due(&mut self, ctx: &egui::Context) {
        let Some(store) = &mut self.recovery else {
            return;
        };
        if let Some(Err(err)) = store.finished() {
            self.status = Some(format!("Could not write the recovery copy: {err}"));
        }
        let now = self.started.elapsed().as_secs_f64();
        let revision = self.doc.history.revision();
        let dirty = self.doc.is_dirty();
        if self.recovery_timer.tick(revision, dirty, now) {
            store.write_in_background(
                self.doc.path.as_deref(),
                &self.doc.untitled_name,
                &self.doc.situation,
            );
            // Come back to report how the write went.
            ctx.request_repaint_after(std::time::Duration::from_millis(250));
        } else if let Some(wait) = self.recovery_timer.due_in(revision, dirty, now) {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(wait.max(0.1)));
        }
    }

    /// Offers the recovery copies of sessions that died: restore (unsaved) or discard.
    fn recovery_ui(&mut self, ctx: &egui::Context) {
        let Some(choice) = ui::safety::recovery_prompt_ui(ctx, &self.recovery_offers) else {
            return;
        };
        let Some(store) = &self.recovery else {
            self.recovery_offers.clear();
            return;
        };
        match choice {
            ui::safety::RecoveryChoice::Restore(i) => {
                let Some(entry) = self.recovery_offers.get(i).cloned() else {
                    return;
                };
                match store.restore(&entry) {
                    Ok(restored) => {
                        let name = entry.display_name();
                        let mut doc = match restored.meta.original.clone() {
                            Some(path) => Document::new(restored.loaded.situation, Some(path)),
                            None => Document::untitled(restored.loaded.situation, name),
                        };
                        doc.mark_unsaved();
                        self.doc = doc;
                        self.selection = None;
                        self.views = ViewStates::default();
                        let _ = store.discard(&entry);
                        self.recovery_offers.remove(i);
                        self.status = Some("Restored the recovery copy: save it to keep it".into());
                    }
                    Err(d) => {
                        self.error = Some(ErrorDialog {
                            title: "The recovery copy cannot be read".into(),
                            message: d.message,
                        });
                        self.recovery_offers.remove(i);
                    }
                }
            }
            ui::safety::RecoveryChoice::Discard(i) => {
                if let Some(entry) = self.recovery_offers.get(i).cloned() {
                    let _ = store.discard(&entry);
                    self.recovery_offers.remove(i);
                }
            }
            ui::safety::RecoveryChoice::Later => self.recovery_offers.clear(),
        }
    }

    /// Briefing mode: the slides fill the window; Escape returns to the views.
    fn briefing_ui(&mut self, ui: &mut egui::Ui) {
        let Some(state) = self.briefing.as_mut() else {
            return;
        };
        state.revision = self.doc.history.revision();
        let outcome = egui::CentralPanel::default()
            .show(ui, |ui| {
                ui::briefing::briefing_ui(ui, state, &self.doc.situation)
            })
            .inner;
        if outcome == ui::briefing::BriefingOutcome::Exit {
            self.briefing = None;
            ui.ctx()
                .send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
        }
    }

    /// The export dialog, the path question and the export running in the background.
    fn export_ui(&mut self, ctx: &egui::Context) {
        if let Some(result) = self.export_dialog.poll_job() {
            match result {
                Ok(path) => self.status = Some(format!("Exported {}", path.display())),
                Err(message) => {
                    self.error = Some(ErrorDialog {
                        title: "The export failed".into(),
                        message,
                    })
                }
            }
        }
        let Some(request) =
            ui::export_dialog::export_dialog_ui(ctx, &mut self.export_dialog, &self.doc.situation)
        else {
            return;
        };
        let file_name = request.file_name(&self.doc.situation);
        let Some(path) = self
            .dialogs
            .save_export(&file_name, request.kind.extension())
        else {
            return;
        };
        match request.kind {
            ui::export_dialog::ExportKind::File(format) => {
                let job = ui::export_dialog::ExportJob::start(
                    self.doc.situation.clone(),
                    format,
                    request.audience,
                    path,
                );
                self.export_dialog.start(job);
            }
            ui::export_dialog::ExportKind::Png => {
                self.export_dialog.open = false;
                self.screenshot_to = Some(path);
                self.quit_after_screenshot = false;
                self.frames_drawn = 0;
            }
        }
    }

    /// The import dialog: preview, then one undoable edit or a new situation.
    fn import_ui(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let Some(dialog) = self.import_dialog.as_mut() else {
            return;
        };
        let Some(outcome) = ui::import_dialog::import_dialog_ui(ctx, dialog, &self.doc.situation)
        else {
            return;
        };
        self.import_dialog = None;
        match outcome {
            ui::import_dialog::ImportOutcome::Edit(edit) => actions.push(Action::Edit(edit)),
            ui::import_dialog::ImportOutcome::NewSituation(situation) => {
                if self.doc.is_dirty() {
                    self.error = Some(ErrorDialog {
                        title: "Save or discard your changes first".into(),
                        message: "Importing into a new situation replaces the one open, which has unsaved changes. Save it (or import into it) and try again.".into(),
                    });
                } else {
                    self.doc = Document::untitled(*situation, "Imported situation");
                    self.doc.mark_unsaved();
                    self.selection = None;
                    self.views = ViewStates::default();
                }
            }
            ui::import_dialog::ImportOutcome::Cancelled => {}
        }
    }

    /// For `--screenshot`: asks for a screenshot once the window has settled, saves it, quits.
    fn take_screenshot_if_asked(&mut self, ctx: &egui::Context) {
        let Some(path) = self.screenshot_to.clone() else {
            return;
        };
        let taken = self
            .screenshot_slot
            .lock()
            .ok()
            .and_then(|mut slot| slot.take());
        if let Some(image) = taken {
            if let Err(err) = save_png(&path, &image) {
                eprintln!(
                    "tandem: cannot save the screenshot to {}: {err}",
                    path.display()
                );
            }
            self.screenshot_to = None;
            if self.quit_after_screenshot {
                self.quit(ctx);
            } else {
                self.status = Some(format!(
                    "Saved a picture of the window to {}",
                    path.display()
                ));
            }
            return;
        }
        if self.frames_drawn == 4 {
            let slot = self.screenshot_slot.clone();
            let repaint = ctx.clone();
            ctx.send_viewport_cmd(egui::ViewportCommand::Screenshot(
                egui::ScreenshotCallback::new(move |image| {
                    if let Ok(mut slot) = slot.lock() {
                        *slot = Some(image);
                    }
                    repaint.request_repaint();
                }),
            ));
        }
        ctx.request_repaint();
    }
}

/// Writes an egui image as PNG.
pub fn save_png(path: &Path, image: &egui::ColorImage) -> Result<(), String> {
    let [w, h] = image.size;
    let bytes: Vec<u8> = image.pixels.iter().flat_map(|c| c.to_array()).collect();
    let buffer = image::RgbaImage::from_raw(w as u32, h as u32, bytes)
        .ok_or("the image has the wrong size")?;
    buffer.save(path).map_err(|e| e.to_string())
}

fn today() -> crate::model::PartialDate {
    crate::model::PartialDate::from_naive(chrono::Local::now().date_naive())
}

/// The bundled Guinea sample as an untitled document.
pub fn sample_document() -> Document {
    match io::parse_situation(crate::samples::GUINEA) {
        Ok(loaded) => Document::untitled(loaded.situation, "Guinea 2009–2010 (sample)"),
        Err(_) => Document::untitled(
            Situation::new("New situation", today()),
            "Untitled situation",
        ),
    }
}

impl eframe::App for TandemApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.ui_root(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }
}

/// The id renames an edit makes, owned: taken before the edit is moved into the document.
fn owned_renames(edit: Option<&Edit>) -> Vec<(ItemKind, String, String)> {
    edit.map(Edit::renames)
        .unwrap_or_default()
        .into_iter()
        .map(|(kind, old, new)| (kind, old.to_owned(), new.to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_survive_a_round_trip_and_drop_missing_recent_files() {
        let dir = tempfile::tempdir().unwrap();
        let kept = dir.path().join("kept.ron");
        std::fs::write(&kept, "x").unwrap();
        let saved = Settings {
            view: View::Matrix,
            dark: true,
            recent: vec![kept.clone(), dir.path().join("gone.ron")],
            show_problems: true,
        };
        let text = ron::to_string(&saved).unwrap();
        let read: Settings = ron::from_str(&text).unwrap();
        let restored = Settings::restored(Some(read));
        assert_eq!(restored.view, View::Matrix);
        assert!(restored.dark);
        assert!(restored.show_problems);
        assert_eq!(restored.recent, vec![kept]);
        let older: Settings = ron::from_str("(dark: true)").unwrap();
        assert!(
            older.dark,
            "settings from an older version keep what they have"
        );
        assert_eq!(older.view, View::Overview);
    }
}
