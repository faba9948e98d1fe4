//! [`TandemApp::apply`]: the one place where what the user asked for happens, after drawing.

use super::dialogs::{PathUse, Picked, resolve_typed_path};
use super::{AfterConfirm, Document, Problem, TandemApp, View, today};
use crate::export::job::ExportJob;
use crate::model::edit::Edit;
use crate::model::{ItemKind, ItemRef};
use crate::ui::command::{AppCommand, SlideCommand};
use crate::ui::export_dialog::ExportRequest;
use crate::ui::import_dialog::{ImportDialog, ImportOutcome};
use crate::ui::safety::{DiskChoice, LockChoice, RecoveryChoice};
use crate::ui::{self, Action, PathPrompt, PathPurpose, UnsavedChoice};

impl TandemApp {
    /// Applies one action: the single place where the situation, the file or the dialogs change.
    pub fn apply(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::Command(command) => self.run_command(ctx, command),
            Action::Edit(edit) => self.apply_edit(ctx, edit),
            Action::Select(selection) => self.selection = selection,
            Action::Reveal(item) => {
                self.settings.view = ui::view_for(item.kind, self.settings.view);
                self.selection = Some(item);
            }
            Action::RevealIn(item, view) => self.reveal_in(item, view),
            Action::ShowProblems => self.settings.show_problems = true,
            Action::OpenPath(path) => self.guard(AfterConfirm::Open(Some(path))),
            Action::Status(message) => self.status = Some(message),
            Action::AnswerUnsaved(choice) => self.answer_unsaved(choice),
            Action::AnswerDelete(confirmed) => {
                if let Some(item) = self.pending_delete.take()
                    && confirmed
                {
                    self.delete_now(ctx, &item);
                }
            }
            Action::DismissError => self.error = None,
            Action::AnswerDiskChange(choice) => self.answer_disk_change(choice),
            Action::AnswerLock(choice) => self.answer_lock(choice),
            Action::AnswerRecovery(choice) => self.answer_recovery(choice),
            Action::Export(request) => self.start_export(request),
            Action::CloseExport => self.export_dialog.open = false,
            Action::Import(outcome) => self.take_import(ctx, outcome),
            Action::PathTyped(text) => self.take_typed_path(text),
            Action::StartBriefing(audience) => self.present(ctx, audience),
            Action::CancelBriefing => self.briefing_setup = None,
            Action::ChangeBriefingAudience(audience) => {
                self.last_briefing_audience = Some(audience);
                if let Some(state) = self.briefing.as_mut() {
                    state.ceiling = audience.ceiling;
                    state.tlp = audience.tlp;
                }
            }
            Action::Share(request) => self.share(request),
            Action::OpenShared(request) => self.open_shared(request),
            Action::CloseShareDialog => self.share_dialog = None,
            Action::ShowConnectAgain => self.show_connect_again_dialog(),
            Action::ConnectAgain(token) => self.connect_again(token),
            Action::ShowPast(point, at) => self.show_past(point, at),
            Action::BackToNow => self.back_to_now(),
            Action::Mark(action) => self.take_mark_action(action),
            Action::SetOfficerName(name) => {
                self.name_prompt = None;
                if let Some(name) = name {
                    self.settings.officer_name = name.trim().to_owned();
                    self.session.set_officer(&self.settings.officer_name);
                    self.status = Some(format!(
                        "Your name is {}: colleagues will see it on the files you open",
                        self.settings.officer_name
                    ));
                }
            }
        }
    }

    /// An edit to the open situation: one undo step, or part of the gesture going on (a drag).
    fn apply_edit(&mut self, ctx: &egui::Context, edit: Edit) {
        if self.refused_in_the_past() {
            return;
        }
        if let Some(reason) = self.session.doc().read_only() {
            self.status = Some(format!("Not changed — the file is read-only: {reason}"));
            return;
        }
        let renamed = owned_renames(Some(&edit));
        let in_gesture = ctx.dragged_id().is_some() || ctx.drag_stopped_id().is_some();
        let doc = self.session.doc_mut();
        let applied = if in_gesture {
            doc.apply_in_gesture(edit)
        } else {
            doc.apply(edit)
        };
        match applied {
            Ok(()) => {
                self.status = None;
                self.follow_renames(renamed);
            }
            Err(err) => self.status = Some(format!("Not changed: {err}")),
        }
        self.drop_stale_selection();
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
            AppCommand::Quit => self.guard(AfterConfirm::Quit),
            AppCommand::Undo if self.refused_in_the_past() => {}
            AppCommand::Redo if self.refused_in_the_past() => {}
            AppCommand::Undo => self.undo(),
            AppCommand::Redo => self.redo(),
            AppCommand::History => self.history_panel.open = !self.history_panel.open,
            AppCommand::ToggleTheme => {
                self.settings.dark = !self.settings.dark;
                ui::theme::apply(ctx, self.settings.dark);
            }
            AppCommand::Show(view) => self.settings.view = view,
            AppCommand::Delete => self.delete_selection(ctx),
            AppCommand::ClearSelection => {
                let closed = self.views.close_menu(self.settings.view);
                if !closed && self.past.is_some() {
                    self.back_to_now();
                } else if !closed {
                    self.selection = None;
                }
            }
            AppCommand::CommandPalette => self.toggle_palette(),
            AppCommand::Duplicate => self.duplicate_selection(ctx),
            AppCommand::Share => self.show_share_dialog(),
            AppCommand::OpenShared => self.show_open_shared_dialog(),
            AppCommand::Export => {
                self.export_dialog.show();
                let marks = self.marks_list();
                self.export_dialog.set_marks(marks);
            }
            AppCommand::Import => match self.file_dialogs.open_sheet() {
                Picked::Path(path) => self.import_dialog = Some(ImportDialog::open(path)),
                Picked::Cancelled => {}
                Picked::Unavailable => self.ask_path(PathPurpose::Import, true),
            },
            AppCommand::OpenTyped => self.guard(AfterConfirm::OpenTyped),
            AppCommand::SaveAsTyped => self.ask_path(PathPurpose::SaveAs, false),
            AppCommand::ImportTyped => self.ask_path(PathPurpose::Import, false),
            AppCommand::Briefing => self.start_briefing(),
            AppCommand::MarkBriefed => self.ask_mark_name(),
            AppCommand::ChangesSince => self.show_changes(),
            AppCommand::YourName => {
                if !self.modal_open() {
                    self.name_prompt = Some(self.settings.officer_name.clone());
                }
            }
            AppCommand::Slides(command) => self.page_briefing(ctx, command),
            other => {
                let diagnostics = self.session.doc_mut().diagnostics();
                let doc = self.session.doc();
                let mut view_ctx = ui::ViewCtx {
                    situation: doc.situation(),
                    revision: doc.revision(),
                    stamps: doc.stamps(),
                    diagnostics: &diagnostics,
                    selection: &self.selection,
                    read_only: doc.read_only().is_some(),
                    actions: &mut self.actions,
                };
                let screen = ctx.content_rect();
                ui::handle_view_command(
                    other,
                    self.settings.view,
                    &mut self.views,
                    screen,
                    &mut view_ctx,
                );
            }
        }
    }

    fn undo(&mut self) {
        let renamed = owned_renames(self.session.doc().history().next_undo());
        self.status = Some(match self.session.doc_mut().undo() {
            Some(label) => format!("Undid {label}"),
            None => "Nothing to undo".into(),
        });
        self.follow_renames(renamed);
        self.drop_stale_selection();
    }

    fn redo(&mut self) {
        let renamed = owned_renames(self.session.doc().history().next_redo());
        self.status = Some(match self.session.doc_mut().redo() {
            Some(label) => format!("Redid {label}"),
            None => "Nothing to redo".into(),
        });
        self.follow_renames(renamed);
        self.drop_stale_selection();
    }

    /// The palette opens only over the window itself, never over another dialog.
    fn toggle_palette(&mut self) {
        if self.palette.open {
            self.palette.close();
        } else if !self.modal_open() {
            self.palette.open();
        }
    }

    /// Selects `item` and shows `view`; an event shown in the timeline is scrolled into view.
    fn reveal_in(&mut self, item: ItemRef, view: View) {
        if view == View::Timeline
            && let Some(event) = self.session.doc().situation().event(&item.id)
        {
            let day = event.date.first_day_number() as f64;
            self.views.timeline.bring_into_view(day);
        }
        self.settings.view = view;
        self.selection = Some(item);
    }

    /// Deletes the selection at once, or asks first when others refer to it.
    fn delete_selection(&mut self, ctx: &egui::Context) {
        let Some(item) = self.selection.clone() else {
            return;
        };
        let situation = self.session.doc().situation();
        if self.session.doc().read_only().is_some() {
            self.apply_edit(ctx, Edit::Remove { item });
        } else if crate::model::ids::references_to(situation, &item).is_empty() {
            self.delete_now(ctx, &item);
        } else {
            self.pending_delete = Some(item);
        }
    }

    fn duplicate_selection(&mut self, ctx: &egui::Context) {
        let Some(item) = self.selection.clone() else {
            return;
        };
        match crate::model::edit::duplicate(self.session.doc().situation(), &item) {
            Ok(edit) => self.apply_edit(ctx, edit),
            Err(err) => self.status = Some(err.to_string()),
        }
    }

    /// Deletes `item` and every reference to it, as one undoable step.
    fn delete_now(&mut self, ctx: &egui::Context, item: &ItemRef) {
        if !self.session.doc().situation().has_id(&item.id) {
            return;
        }
        match crate::model::edit::delete(self.session.doc().situation(), item) {
            Ok(edit) => self.apply_edit(ctx, edit),
            Err(err) => self.status = Some(err.to_string()),
        }
    }

    /// Keeps the selection on its item when an edit (or its undo) renames the item's id.
    pub(super) fn follow_renames(&mut self, renamed: Vec<(ItemKind, String, String)>) {
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

    pub(super) fn drop_stale_selection(&mut self) {
        let situation = self.session.doc().situation();
        if self
            .selection
            .as_ref()
            .is_some_and(|s| !situation.has_id(&s.id))
        {
            self.selection = None;
        }
        if self
            .pending_delete
            .as_ref()
            .is_some_and(|s| !situation.has_id(&s.id))
        {
            self.pending_delete = None;
        }
    }

    /// Runs `after` now, or asks first when there are unsaved changes.
    fn guard(&mut self, after: AfterConfirm) {
        if self.session.is_saving() && after == AfterConfirm::Quit {
            // Quit once the save in progress is written (or say why it was not).
            self.after_save = Some(after);
        } else if self.session.doc().is_dirty() {
            self.confirm = Some(after);
        } else {
            self.proceed(after);
        }
    }

    fn answer_unsaved(&mut self, choice: UnsavedChoice) {
        let Some(after) = self.confirm.take() else {
            return;
        };
        match choice {
            UnsavedChoice::Save => {
                // Kept while the path is asked for by hand, too (an untitled situation).
                self.after_save = Some(after);
                if !self.save() && self.path_prompt.is_none() {
                    self.after_save = None;
                }
            }
            UnsavedChoice::Discard => {
                self.session.doc_mut().mark_saved();
                self.proceed(after);
            }
            UnsavedChoice::Cancel => {}
        }
    }

    pub(super) fn proceed(&mut self, after: AfterConfirm) {
        match after {
            AfterConfirm::New => self.new_situation(),
            AfterConfirm::Open(Some(path)) => self.open_path(&path),
            AfterConfirm::Open(None) => match self.file_dialogs.open_situation() {
                Picked::Path(path) => self.open_path(&path),
                Picked::Cancelled => {}
                Picked::Unavailable => self.ask_path(PathPurpose::Open, true),
            },
            AfterConfirm::OpenTyped => self.ask_path(PathPurpose::Open, false),
            AfterConfirm::Quit => {
                self.session.finish_save();
                self.quit_confirmed = true;
                self.quit_now = true;
            }
        }
    }

    /// Replaces the open situation with a new one from the blank template.
    pub fn new_situation(&mut self) {
        let mut situation = crate::samples::blank();
        situation.as_of = today();
        self.replace_document(Document::untitled(situation, "Untitled situation"));
        self.settings.view = View::Overview;
    }

    /// Starts saving to the situation's file (asks where for an untitled one). Returns whether
    /// a save started; how it went comes back as a [`super::SessionEvent`].
    pub fn save(&mut self) -> bool {
        match self.session.save() {
            Ok(true) => true,
            Ok(false) => self.save_as(),
            Err(problem) => {
                self.error = Some(problem);
                false
            }
        }
    }

    /// Asks where, then starts saving there. Returns whether a save started.
    pub fn save_as(&mut self) -> bool {
        let suggested = format!(
            "{}.ron",
            crate::model::ids::slug(&self.session.doc().situation().title, "situation")
        );
        match self.file_dialogs.save_situation(&suggested) {
            Picked::Path(path) => {
                self.session.save_to(&path);
                true
            }
            Picked::Cancelled => false,
            Picked::Unavailable => {
                self.ask_path(PathPurpose::SaveAs, true);
                false
            }
        }
    }

    /// Waits for a save in progress and takes in what it reports (for tests and quitting).
    pub fn finish_saving(&mut self) {
        for event in self.session.finish_save() {
            self.take_session_event(event);
        }
    }

    /// Asks for a path with a text field; `unavailable`: because the system's dialog could
    /// not be shown (and it says so).
    fn ask_path(&mut self, purpose: PathPurpose, unavailable: bool) {
        let suggested = match &purpose {
            PathPurpose::SaveAs => self.session.doc().path().map_or_else(
                || {
                    let title = &self.session.doc().situation().title;
                    format!("{}.ron", crate::model::ids::slug(title, "situation"))
                },
                |p| p.display().to_string(),
            ),
            PathPurpose::Export(request) => request.file_name(self.session.doc().situation()),
            PathPurpose::Open | PathPurpose::Import => String::new(),
        };
        self.path_prompt = Some(PathPrompt {
            purpose,
            text: suggested,
            note: unavailable.then(|| {
                "Your system did not show its file dialog (on Linux this needs a desktop \
                 file-chooser portal)."
                    .to_owned()
            }),
            error: None,
        });
    }

    /// The path typed in the path question: used for what it was asked for, or the question
    /// stays open and says what is wrong with it.
    fn take_typed_path(&mut self, text: Option<String>) {
        let Some(prompt) = self.path_prompt.as_mut() else {
            return;
        };
        let Some(text) = text else {
            if prompt.purpose == PathPurpose::SaveAs {
                self.after_save = None;
            }
            self.path_prompt = None;
            return;
        };
        let usage = match prompt.purpose {
            PathPurpose::Open | PathPurpose::Import => PathUse::Read,
            PathPurpose::SaveAs | PathPurpose::Export(_) => PathUse::Write,
        };
        let path = match resolve_typed_path(&text, usage) {
            Ok(path) => path,
            Err(why) => {
                prompt.error = Some(why);
                return;
            }
        };
        let purpose = prompt.purpose.clone();
        self.path_prompt = None;
        match purpose {
            PathPurpose::Open => self.open_path(&path),
            PathPurpose::SaveAs => self.session.save_to(&path),
            PathPurpose::Import => self.import_dialog = Some(ImportDialog::open(path)),
            PathPurpose::Export(request) => self.export_to(request, path),
        }
    }

    /// Reload, save a copy, overwrite (the banner confirmed the risky ones), or keep editing.
    fn answer_disk_change(&mut self, choice: DiskChoice) {
        match choice {
            DiskChoice::Reload => {
                if let Some(path) = self.session.doc().path().map(|p| p.to_path_buf()) {
                    self.open_path(&path);
                }
            }
            DiskChoice::SaveCopy => {
                if self.save_as() {
                    self.session.dismiss_disk_change();
                }
            }
            DiskChoice::Overwrite => {
                // The user chose to replace the version on disk with theirs.
                self.session.accept_disk_version();
                self.save();
            }
            DiskChoice::KeepEditing => self.session.dismiss_disk_change(),
        }
    }

    /// Someone else holds the lock: edit an untitled copy, or take the lock over (confirmed).
    fn answer_lock(&mut self, choice: LockChoice) {
        match choice {
            LockChoice::OpenCopy => self.session.edit_a_copy(),
            LockChoice::TakeOver => {
                self.status = Some(match self.session.take_over_lock() {
                    Ok(()) => "You now hold the lock on this file".into(),
                    Err(err) => format!("Cannot take over the lock: {err}"),
                })
            }
        }
    }

    /// Restore a recovery copy of a session that died, discard it, or decide later.
    fn answer_recovery(&mut self, choice: RecoveryChoice) {
        match choice {
            RecoveryChoice::Restore(i) => {
                let Some(entry) = self.recovery_offers.get(i).cloned() else {
                    return;
                };
                self.recovery_offers.remove(i);
                match self.session.restore(&entry) {
                    Ok(()) => {
                        self.reset_views();
                        self.status = Some("Restored the recovery copy: save it to keep it".into());
                    }
                    Err(problem) => self.error = Some(problem),
                }
            }
            RecoveryChoice::Discard(i) => {
                if let Some(entry) = self.recovery_offers.get(i).cloned() {
                    self.session.discard_recovery(&entry);
                    self.recovery_offers.remove(i);
                }
            }
            RecoveryChoice::Later => self.recovery_offers.clear(),
        }
    }

    /// The Export dialog's Export button: ask where, then write in the background.
    fn start_export(&mut self, request: ExportRequest) {
        let situation = self.session.doc().situation();
        let file_name = request.file_name(situation);
        let extension = request.format.extension();
        match self.file_dialogs.save_export(&file_name, extension) {
            Picked::Path(path) => self.export_to(request, path),
            Picked::Cancelled => {}
            Picked::Unavailable => self.ask_path(PathPurpose::Export(request), true),
        }
    }

    /// Writes the export asked for to `path` on a background thread.
    fn export_to(&mut self, request: ExportRequest, path: std::path::PathBuf) {
        let options = match self.since_of(request.since.as_ref()) {
            Ok(since) => request.options.with_since(since),
            Err(problem) => {
                self.error = Some(problem);
                return;
            }
        };
        let situation = super::as_it_was::shown(&self.past, &self.session).clone();
        let job = ExportJob::start(situation, request.format, options, path);
        self.export_dialog.start(job);
    }

    /// The Import dialog's decision: one undoable edit, or a new situation.
    fn take_import(&mut self, ctx: &egui::Context, outcome: ImportOutcome) {
        self.import_dialog = None;
        match outcome {
            ImportOutcome::Edit(edit) => self.apply_edit(ctx, edit),
            ImportOutcome::NewSituation(situation) => {
                if self.session.doc().is_dirty() {
                    self.error = Some(Problem {
                        title: "Save or discard your changes first".into(),
                        message: "Importing into a new situation replaces the one open, which has unsaved changes. Save it (or import into it) and try again.".into(),
                    });
                } else {
                    let mut doc = Document::untitled(*situation, "Imported situation");
                    doc.mark_unsaved();
                    self.replace_document(doc);
                }
            }
            ImportOutcome::Cancelled => {}
        }
    }

    /// F5: ask who the briefing is for, the last audience (or the export's) preselected.
    fn start_briefing(&mut self) {
        if self.modal_open() {
            return;
        }
        let last = self
            .last_briefing_audience
            .unwrap_or_else(|| self.export_dialog.audience());
        let marks = self.marks_list();
        self.briefing_setup = Some(ui::briefing_setup::BriefingSetup::new(last).with_marks(marks));
    }

    /// Presents the situation full screen to `audience`, from the first slide.
    fn present(&mut self, ctx: &egui::Context, audience: crate::export::Audience) {
        let since_mark = self.briefing_setup.take().and_then(|setup| setup.since);
        let since = match self.since_of(since_mark.as_ref()) {
            Ok(since) => since,
            Err(problem) => {
                self.error = Some(problem);
                return;
            }
        };
        self.last_briefing_audience = Some(audience);
        self.briefing = Some(
            ui::briefing::BriefingState::new(audience.ceiling, audience.tlp).with_since(since),
        );
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
    }

    fn page_briefing(&mut self, ctx: &egui::Context, command: SlideCommand) {
        let Some(state) = self.briefing.as_mut() else {
            return;
        };
        if command == SlideCommand::Exit {
            self.briefing = None;
            ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
            self.offer_mark("The briefing is over.");
        } else {
            state.page(command);
        }
    }

    /// Closes the window (the user has confirmed, or there was nothing to lose).
    pub(super) fn quit(&mut self, ctx: &egui::Context) {
        self.quit_confirmed = true;
        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
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
