//! The eframe application: a session holding the open situation, views and dialogs that emit
//! [`Action`]s while they draw, and one place that applies them once the frame is drawn
//! ([`TandemApp::apply`], in `apply.rs`).

mod apply;
mod as_it_was;
pub mod dialogs;
pub mod document;
pub mod history;
mod marks;
mod screenshot;
pub mod session;
mod share_apply;
pub mod shared;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::io;
use crate::io::recovery::RecoveryEntry;
use crate::model::{ItemRef, Situation};
use crate::ui::{self, ViewCtx, ViewStates};
pub use crate::ui::{Action, AppCommand, View};
pub use dialogs::{FileDialogs, NativeDialogs, ScriptedDialogs};
pub use document::Document;
pub use session::{Problem, Session, SessionEvent, Waker};

/// What is remembered between runs.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub view: View,
    pub dark: bool,
    pub recent: Vec<PathBuf>,
    pub show_problems: bool,
    /// The officer's name, asked once: written in the locks of the files they open (and beside
    /// their changes when sharing). Empty until given.
    pub officer_name: String,
    /// The sync server, token and ceiling File → Share… last used.
    pub sharing: shared::ShareSettings,
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

/// What to do once the user has answered "save changes?" (after Save: once it is written).
#[derive(Clone, Debug, PartialEq)]
enum AfterConfirm {
    New,
    /// Open this file, or ask which (with the system's dialog, or typed when `typed`).
    Open(Option<PathBuf>),
    OpenTyped,
    Quit,
}

impl AfterConfirm {
    /// How the unsaved-changes prompt names what is about to happen.
    fn describe(&self) -> &'static str {
        match self {
            AfterConfirm::New => "creating a new situation",
            AfterConfirm::Open(_) | AfterConfirm::OpenTyped => "opening another file",
            AfterConfirm::Quit => "quitting",
        }
    }
}

/// A message the user must acknowledge (shown as a modal).
pub type ErrorDialog = Problem;

/// The Tandem application.
pub struct TandemApp {
    session: Session,
    pub settings: Settings,
    pub selection: Option<ItemRef>,
    pub views: ViewStates,
    /// The last thing said in the status bar.
    pub status: Option<String>,
    /// An error the user must acknowledge; it is drawn over everything else.
    pub error: Option<ErrorDialog>,
    /// "Save the changes before …?", while it waits for an answer.
    confirm: Option<AfterConfirm>,
    /// What to do once the save in progress is written (the user chose Save in the prompt).
    after_save: Option<AfterConfirm>,
    /// An item whose deletion waits for the user to confirm (others refer to it).
    pub pending_delete: Option<ItemRef>,
    /// The command palette (Ctrl+K).
    pub palette: ui::palette::PaletteState,
    /// File → Export…: format, audience, preview and the running export.
    pub export_dialog: ui::export_dialog::ExportDialog,
    /// File → Import…, while open.
    pub import_dialog: Option<ui::import_dialog::ImportDialog>,
    /// Recovery copies left by sessions that died, offered at start.
    pub recovery_offers: Vec<RecoveryEntry>,
    /// Briefing mode, while presenting.
    pub briefing: Option<ui::briefing::BriefingState>,
    /// "Start briefing": the audience being chosen, before the first slide.
    pub briefing_setup: Option<ui::briefing_setup::BriefingSetup>,
    /// The audience of the last briefing, preselected for the next one.
    last_briefing_audience: Option<crate::export::Audience>,
    /// "Your name": the text being typed, while the question is open.
    pub name_prompt: Option<String>,
    /// Ask "Your name" once the window is on screen (not in the passes before it is shown).
    ask_name_when_shown: bool,
    /// "Which file?" asked with a text field, while open.
    pub path_prompt: Option<ui::PathPrompt>,
    /// File → Share… or File → Open shared…, while open.
    pub share_dialog: Option<ui::share_dialog::ShareDialog>,
    /// The server dialed again with "Connect again…", until it answers.
    connecting_again: Option<String>,
    /// Briefing marks: "Mark as briefed…", the offer to mark, "What changed since…".
    pub marks: ui::marks::MarksState,
    /// The data folder marks are kept in, when not Tandem's usual one (tests, portable use).
    data_dir: Option<PathBuf>,
    file_dialogs: Box<dyn FileDialogs>,
    actions: Vec<Action>,
    quit_confirmed: bool,
    /// Close the window at the end of this frame (the user confirmed quitting).
    quit_now: bool,
    title_shown: String,
    /// Whether the fallback fonts are in place (they take effect one pass after installing).
    fonts_installed: bool,
    /// The context the session's background work wakes (set on the first frame).
    wake_target: Arc<std::sync::OnceLock<egui::Context>>,
    screenshot: screenshot::Screenshot,
    /// The History panel (View → History, Ctrl+H).
    pub history_panel: ui::history::HistoryPanel,
    /// The shared situation's history as last read.
    history_cache: as_it_was::HistoryCache,
    /// The situation as it was, while the officer looks at it.
    past: Option<as_it_was::Past>,
}

impl TandemApp {
    /// An app showing `doc`, asking for files through `dialogs`.
    pub fn new(doc: Document, settings: Settings, dialogs: Box<dyn FileDialogs>) -> Self {
        let wake_target: Arc<std::sync::OnceLock<egui::Context>> = Arc::default();
        let target = wake_target.clone();
        let wake: Waker = Arc::new(move |after| {
            if let Some(ctx) = target.get() {
                ctx.request_repaint_after(after);
            }
        });
        Self {
            session: Session::new(doc, wake),
            settings,
            selection: None,
            views: ViewStates::default(),
            status: None,
            error: None,
            confirm: None,
            after_save: None,
            pending_delete: None,
            palette: Default::default(),
            export_dialog: Default::default(),
            import_dialog: None,
            recovery_offers: Vec::new(),
            briefing: None,
            briefing_setup: None,
            last_briefing_audience: None,
            name_prompt: None,
            ask_name_when_shown: false,
            path_prompt: None,
            share_dialog: None,
            connecting_again: None,
            marks: Default::default(),
            data_dir: None,
            file_dialogs: dialogs,
            actions: Vec::new(),
            quit_confirmed: false,
            quit_now: false,
            title_shown: String::new(),
            fonts_installed: false,
            wake_target,
            screenshot: Default::default(),
            history_panel: Default::default(),
            history_cache: Default::default(),
            past: None,
        }
    }

    /// The app on the bundled Guinea sample, as an untitled copy.
    pub fn with_sample(dialogs: Box<dyn FileDialogs>) -> Self {
        Self::new(sample_document(), Settings::default(), dialogs)
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
        app.wake_target.get_or_init(|| cc.egui_ctx.clone());
        app.session.set_officer(&app.settings.officer_name);
        if let Some(root) = io::recovery::data_dir() {
            app.session.set_history_root(root);
        }
        if app.settings.officer_name.trim().is_empty() {
            app.ask_name_on_start();
        }
        if let Ok(store) = io::recovery::RecoveryStore::open_default() {
            app.recovery_offers = store.orphans();
            app.session.set_recovery_store(store);
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

    /// The open document.
    pub fn doc(&self) -> &Document {
        self.session.doc()
    }

    /// The open document and the safety around its file.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The same, to change (tests and benches take colleagues' changes in through it).
    pub fn session_mut(&mut self) -> &mut Session {
        &mut self.session
    }

    /// With `--screenshot PATH`: save a PNG of the window there once it has settled, then quit.
    pub fn screenshot_then_quit(&mut self, path: PathBuf) {
        self.screenshot.request(path, true);
        self.name_prompt = None;
        self.ask_name_when_shown = false;
    }

    /// Queues an action as if a panel had emitted it.
    pub fn push(&mut self, action: Action) {
        self.actions.push(action);
    }

    /// Whether a dialog holds the window's input (the views and shortcuts wait).
    pub fn modal_open(&self) -> bool {
        self.error.is_some()
            || self.confirm.is_some()
            || self.pending_delete.is_some()
            || self.palette.open
            || self.export_dialog.open
            || self.import_dialog.is_some()
            || !self.recovery_offers.is_empty()
            || self.name_prompt.is_some()
            || self.path_prompt.is_some()
            || self.briefing_setup.is_some()
            || self.share_dialog.is_some()
            || self.marks.is_open()
    }

    /// Draws the whole window, then applies what the user did.
    pub fn ui_root(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.wake_target.get_or_init(|| ctx.clone());
        if !self.fonts_installed {
            // New fonts take effect from the next pass: draw nothing until then.
            ui::theme::install_fonts(&ctx);
            self.fonts_installed = true;
            ctx.request_discard("installing fonts");
            ctx.request_repaint();
            return;
        }
        self.ask_name_once_shown(&ctx);
        self.take_session_news(&ctx);
        self.poll_past();
        self.take_export_news();
        if self.briefing.is_some() {
            self.collect_keys(&ctx);
            self.briefing_ui(ui);
        } else {
            self.collect_input(&ctx);
            self.window_ui(ui);
            self.modals_ui(&ctx);
        }
        self.apply_all(&ctx);
        if self.screenshot.after_frame(&ctx, &mut self.status) || std::mem::take(&mut self.quit_now)
        {
            self.quit(&ctx);
        }
        self.show_title(&ctx);
    }

    /// The window's close button, shortcuts and dropped files, as actions. While a dialog is
    /// open only the close button counts: the dialog has the keys.
    fn collect_input(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested()) && !self.quit_confirmed {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.actions.push(Action::Command(AppCommand::Quit));
        }
        if self.modal_open() {
            return;
        }
        self.collect_keys(ctx);
        let dropped: Option<PathBuf> =
            ctx.input(|i| i.raw.dropped_files.first().map(|f| f.path().to_path_buf()));
        if let Some(path) = dropped {
            self.actions.push(Action::OpenPath(path));
        }
    }

    fn collect_keys(&mut self, ctx: &egui::Context) {
        let briefing = self.briefing.is_some();
        let view = self.settings.view;
        let view_has_keys = self.views.keys_active(view);
        let pressed = ui::command::pressed_commands(ctx, view, briefing, view_has_keys);
        self.actions
            .extend(pressed.into_iter().map(Action::Command));
    }

    /// The menu bar, tabs and banners, status bar, problems panel, the History panel and the
    /// current view (the situation as it was, while it is shown).
    fn window_ui(&mut self, ui: &mut egui::Ui) {
        let mut actions = std::mem::take(&mut self.actions);
        let present = self.session.doc_mut().diagnostics();
        let past = self.past.as_ref().and_then(as_it_was::Past::state);
        let diagnostics = past.map_or(present, |p| p.diagnostics.clone());
        let (errors, warnings) = document::problem_counts(&diagnostics);
        let doc = self.session.doc();
        egui::Panel::top("menu_bar").show(ui, |ui| {
            ui::menu::menu_bar_ui(
                ui,
                &self.settings.recent,
                doc.history().undo_label(),
                doc.history().redo_label(),
                &mut actions,
            );
        });
        egui::Panel::top("view_tabs").show(ui, |ui| {
            ui::menu::view_tabs_ui(ui, self.settings.view, &mut actions);
            if let Some(past) = &self.past {
                let ready = past.state().is_some();
                ui::history::as_it_was_banner_ui(ui, past.at, ready, &mut actions);
            }
            banners_ui(ui, &self.session, &mut actions);
            conflicts_banner_ui(ui, &self.session, self.selection.as_ref());
            if let Some(offer) = &self.marks.offer {
                ui::marks::offer_ui(ui, offer, &mut actions);
            }
        });
        egui::Panel::bottom("status_bar").show(ui, |ui| {
            let line = ui::menu::StatusLine {
                file: match (doc.path(), self.session.shared()) {
                    (Some(path), _) => path.display().to_string(),
                    (None, Some(_)) => doc.display_name(),
                    (None, None) => format!("{} (not saved yet)", doc.display_name()),
                },
                dirty: doc.is_dirty(),
                saving: self.session.is_saving(),
                errors,
                warnings,
                message: self.status.as_deref(),
                shared: (self.session.shared())
                    .map(shared::SharedSession::status_text)
                    .or_else(|| self.session.share_in_progress().map(str::to_owned)),
                connect_again: (self.session.shared())
                    .is_some_and(|s| s.stopped_trying().is_some()),
            };
            ui::menu::status_bar_ui(ui, &line, &mut self.settings.show_problems, &mut actions);
        });
        if self.settings.show_problems {
            egui::Panel::bottom("problems")
                .resizable(true)
                .default_size(160.0)
                .show(ui, |ui| {
                    ui::problems::problems_ui(ui, &diagnostics, &self.selection, &mut actions)
                });
        }
        if self.history_panel.open {
            as_it_was::history_side_ui(
                ui,
                &mut self.history_panel,
                &mut self.history_cache,
                &self.session,
                self.selection.as_ref(),
                &mut actions,
            );
        }
        let mut view_ctx = ViewCtx {
            situation: past.map_or(doc.situation(), |p| &p.situation),
            revision: past.map_or(doc.revision(), |p| p.revision),
            stamps: past.map_or(doc.stamps(), |p| p.stamps),
            diagnostics: &diagnostics,
            selection: &self.selection,
            read_only: past.is_some() || doc.read_only().is_some(),
            actions: &mut actions,
        };
        ui::views_ui(ui, self.settings.view, &mut self.views, &mut view_ctx);
        ui::detail::end_frame(&mut self.views.detail, &mut actions);
        self.actions = actions;
    }

    /// The dialogs over the window, lowest first: the error is always on top.
    fn modals_ui(&mut self, ctx: &egui::Context) {
        let situation = as_it_was::shown(&self.past, &self.session);
        if let Some(choice) = ui::safety::recovery_prompt_ui(ctx, &self.recovery_offers) {
            self.actions.push(Action::AnswerRecovery(choice));
        }
        if let Some(request) =
            ui::export_dialog::export_dialog_ui(ctx, &mut self.export_dialog, situation)
        {
            self.actions.push(Action::Export(request));
        }
        if let Some(dialog) = self.import_dialog.as_mut()
            && let Some(outcome) = ui::import_dialog::import_dialog_ui(ctx, dialog, situation)
        {
            self.actions.push(Action::Import(outcome));
        }
        ui::palette::palette_ui(
            ctx,
            &mut self.palette,
            self.settings.view,
            situation,
            &mut self.actions,
        );
        if let Some(item) = &self.pending_delete {
            self.actions
                .extend(ui::modals::delete_confirm_ui(ctx, situation, item));
        }
        if let Some(after) = &self.confirm {
            let name = self.session.doc().display_name();
            self.actions
                .extend(ui::modals::unsaved_prompt_ui(ctx, &name, after.describe()));
        }
        if let Some(setup) = self.briefing_setup.as_mut() {
            let revision = self.session.doc().revision();
            self.actions.extend(ui::briefing_setup::briefing_setup_ui(
                ctx, setup, situation, revision,
            ));
        }
        if let Some(dialog) = self.share_dialog.as_mut() {
            self.actions
                .extend(ui::share_dialog::share_dialog_ui(ctx, dialog));
        }
        self.marks_ui(ctx);
        if let Some(prompt) = self.path_prompt.as_mut() {
            self.actions.extend(ui::modals::path_prompt_ui(ctx, prompt));
        }
        if let Some(name) = self.name_prompt.as_mut() {
            self.actions.extend(ui::modals::name_prompt_ui(ctx, name));
        }
        if let Some(error) = &self.error {
            self.actions.extend(ui::modals::error_dialog_ui(
                ctx,
                &error.title,
                &error.message,
            ));
        }
    }

    /// Briefing mode: the slides fill the window; its keys page through them.
    fn briefing_ui(&mut self, ui: &mut egui::Ui) {
        let Some(state) = self.briefing.as_mut() else {
            return;
        };
        state.revision = (self.past.as_ref().and_then(as_it_was::Past::state))
            .map_or(self.session.doc().revision(), |p| p.revision);
        let situation = as_it_was::shown(&self.past, &self.session);
        let asked = egui::CentralPanel::default()
            .show(ui, |ui| ui::briefing::briefing_ui(ui, state, situation))
            .inner;
        self.actions.extend(asked);
    }

    /// Applies every queued action (applying one may queue more), then asks for one more frame
    /// so that what they changed (a dialog that opened or closed) shows without further input.
    fn apply_all(&mut self, ctx: &egui::Context) {
        if ctx.dragged_id().is_none() && ctx.drag_stopped_id().is_none() {
            self.session.doc_mut().end_gesture();
        }
        let mut applied = 0;
        while !self.actions.is_empty() && applied < 10_000 {
            let actions = std::mem::take(&mut self.actions);
            applied += actions.len();
            for action in actions {
                self.apply(ctx, action);
            }
        }
        if applied > 0 {
            ctx.request_repaint();
        }
    }

    /// Asks "Your name" once the window is on screen (the first start, with no name yet).
    pub fn ask_name_on_start(&mut self) {
        self.ask_name_when_shown = true;
    }

    /// Opens "Your name" a few passes after start. Opened in the very first pass, before eframe
    /// shows the window, the focused text field kept a software-rendered X11 window (llvmpipe
    /// under Xvfb) repainting at full CPU and deaf to the keyboard and the mouse.
    fn ask_name_once_shown(&mut self, ctx: &egui::Context) {
        if !self.ask_name_when_shown {
            return;
        }
        if ctx.cumulative_pass_nr() < 3 {
            ctx.request_repaint();
            return;
        }
        self.ask_name_when_shown = false;
        self.name_prompt = Some(String::new());
    }

    /// Background news: saves written or failed, changes on disk, recovery copies.
    fn take_session_news(&mut self, ctx: &egui::Context) {
        let (events, wake_in) = self.session.poll();
        if let Some(after) = wake_in {
            ctx.request_repaint_after(after);
        }
        for event in events {
            self.take_session_event(event);
        }
        self.follow_connect_again();
    }

    fn take_session_event(&mut self, event: SessionEvent) {
        match event {
            SessionEvent::Saved(path) => {
                self.remember_recent(&path);
                self.status = Some(format!("Saved {}", path.display()));
                if let Some(after) = self.after_save.take() {
                    self.proceed(after);
                }
            }
            SessionEvent::SaveFailed(problem) => {
                self.after_save = None;
                self.error = Some(problem);
            }
            SessionEvent::RecoveryFailed(why) => {
                self.status = Some(format!("Could not write the recovery copy: {why}"));
            }
            SessionEvent::Shared(link) => self.shared_now(link),
            SessionEvent::OpenedShared(title) => {
                self.share_dialog = None;
                self.reset_views();
                self.status = Some(format!("Opened the shared situation “{title}”"));
            }
            SessionEvent::ShareFailed(problem) => {
                if let Some(dialog) = &mut self.share_dialog {
                    dialog.set_busy(None);
                }
                self.error = Some(problem);
            }
            SessionEvent::ColleaguesChanged(touched) => self.colleagues_changed(&touched),
            SessionEvent::HistoryProblem(why) => self.status = Some(why),
        }
    }

    /// An export that finished: where it went, or why it failed.
    fn take_export_news(&mut self) {
        match self.export_dialog.poll_job() {
            Some(Ok(done)) => {
                self.status = Some(done.status_line());
                self.offer_mark("The export is written.");
            }
            Some(Err(message)) => {
                self.error = Some(Problem {
                    title: "The export failed".into(),
                    message,
                })
            }
            None => {}
        }
    }

    fn show_title(&mut self, ctx: &egui::Context) {
        let title = self.session.doc().window_title();
        if title != self.title_shown {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title_shown = title;
        }
    }

    /// Opens `path` in place of the open situation; on failure shows why and keeps the open
    /// one untouched.
    pub fn open_path(&mut self, path: &Path) {
        match self.session.open(path) {
            Ok(notice) => {
                self.reset_views();
                self.remember_recent(path);
                self.status = Some(notice);
            }
            Err(problem) => {
                self.error = Some(problem);
                self.settings.recent.retain(|p| p != path || p.exists());
            }
        }
    }

    /// Replaces the open situation (new, import into a new situation, a restored copy).
    fn replace_document(&mut self, doc: Document) {
        for event in self.session.replace(doc) {
            self.take_session_event(event);
        }
        self.reset_views();
    }

    /// A new situation shows from its start: no selection, fresh view state.
    fn reset_views(&mut self) {
        self.selection = None;
        self.past = None;
        self.views = ViewStates::default();
        self.pending_delete = None;
        self.marks = Default::default();
    }

    fn remember_recent(&mut self, path: &Path) {
        let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        self.settings.recent.retain(|p| *p != path);
        self.settings.recent.insert(0, path);
        self.settings.recent.truncate(MAX_RECENT);
    }
}

/// "A colleague changed this too": the fields of the selected item that two officers changed
/// at once, with the value that was not kept.
fn conflicts_banner_ui(ui: &mut egui::Ui, session: &Session, selection: Option<&ItemRef>) {
    let (Some(shared), Some(item)) = (session.shared(), selection) else {
        return;
    };
    let lines = shared.conflict_lines(item);
    if !lines.is_empty() {
        ui::menu::banner_ui(ui, &lines.join("\n"));
    }
}

/// The banners under the tabs: a colleague's lock, read-only, a change on disk.
fn banners_ui(ui: &mut egui::Ui, session: &Session, actions: &mut Vec<Action>) {
    let doc = session.doc();
    if let Some((info, liveness)) = session.held_by() {
        if let Some(choice) = ui::safety::lock_banner_ui(ui, info, liveness) {
            actions.push(Action::AnswerLock(choice));
        }
    } else if let Some(reason) = doc.read_only() {
        ui::menu::banner_ui(ui, &format!("Read-only: {reason}"));
    }
    if let Some(change) = session.disk_change() {
        let name = doc.display_name();
        if let Some(choice) = ui::safety::disk_banner_ui(ui, &name, change, doc.is_dirty()) {
            actions.push(Action::AnswerDiskChange(choice));
        }
    }
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
            officer_name: "Marie Diallo".into(),
            sharing: shared::ShareSettings {
                server: "ws://sync.example:8080/".into(),
                token: "t".into(),
                ceiling: crate::model::Sensitivity::Unclassified,
            },
        };
        let text = ron::to_string(&saved).unwrap();
        let read: Settings = ron::from_str(&text).unwrap();
        let restored = Settings::restored(Some(read));
        assert_eq!(restored.view, View::Matrix);
        assert!(restored.dark);
        assert!(restored.show_problems);
        assert_eq!(restored.officer_name, "Marie Diallo");
        assert_eq!(restored.sharing, saved.sharing);
        assert_eq!(restored.recent, vec![kept]);
        let older: Settings = ron::from_str("(dark: true)").unwrap();
        assert!(
            older.dark,
            "settings from an older version keep what they have"
        );
        assert_eq!(older.view, View::Overview);
    }
}
