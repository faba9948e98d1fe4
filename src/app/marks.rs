//! Briefing marks in the app: recording one ("Mark as briefed…"), offering to after a briefing
//! or an export, "What changed since…", and the "Since …" mark an export or a briefing reports
//! on. The marks are kept by [`crate::io::marks::MarkStore`], keyed by the situation's file.

use std::path::PathBuf;
use std::sync::Arc;

use super::{Problem, TandemApp};
use crate::export::since::SinceMark;
use crate::io::marks::{Mark, MarkStore};
use crate::ui::marks::{ChangesWindow, MarkAction, MarkOffer, MarkPrompt, default_mark_name};

impl TandemApp {
    /// Keeps briefing marks and the local history of the files opened from now on under `dir`
    /// instead of Tandem's data folder (tests, portable use).
    pub fn set_data_dir(&mut self, dir: PathBuf) {
        self.session.set_history_root(dir.clone());
        self.data_dir = Some(dir);
    }

    /// The marks of the open situation's file; an untitled situation has none yet.
    fn mark_store(&self) -> Result<MarkStore, Problem> {
        let Some(file) = self.session.doc().path() else {
            return Err(Problem {
                title: "Save the situation first".into(),
                message: "A briefing mark is kept with the situation's file, and this situation \
                          has not been saved yet. Save it (File → Save), then mark it as briefed."
                    .into(),
            });
        };
        match &self.data_dir {
            Some(root) => Ok(MarkStore::in_data_dir(root, file)),
            None => MarkStore::for_file(file).map_err(|err| Problem {
                title: "Briefing marks are not available".into(),
                message: format!("{err}."),
            }),
        }
    }

    /// The marks' dialogs, when open: "Mark as briefed…" and "What changed since…".
    pub(super) fn marks_ui(&mut self, ctx: &egui::Context) {
        let doc = self.session.doc();
        if let Some(window) = self.marks.changes.as_mut() {
            let asked =
                crate::ui::marks::changes_window_ui(ctx, window, doc.situation(), doc.revision());
            self.actions.extend(asked);
        }
        if let Some(prompt) = self.marks.prompt.as_mut() {
            self.actions
                .extend(crate::ui::marks::mark_prompt_ui(ctx, prompt));
        }
    }

    /// The open situation's marks, newest first (none for an untitled situation).
    pub fn marks_list(&self) -> Vec<Mark> {
        self.mark_store()
            .map(|store| store.list())
            .unwrap_or_default()
    }

    /// "Mark as briefed…": asks for the mark's name, or says why there can be no mark yet.
    pub(super) fn ask_mark_name(&mut self) {
        if self.modal_open() {
            return;
        }
        self.marks.offer = None;
        if let Some(past) = &self.past {
            self.status = Some(format!(
                "A mark keeps the situation as it is now, not as it was on {}: “Back to now” \
                 first",
                past.when()
            ));
            return;
        }
        match self.mark_store() {
            Ok(_) => self.marks.prompt = Some(MarkPrompt::new(default_mark_name())),
            Err(problem) => self.error = Some(problem),
        }
    }

    /// Offers, in a line under the tabs, to mark the situation as briefed. Not while the
    /// situation is shown as it was (what was briefed is not the present), nor for a situation
    /// never saved (a mark is kept with the situation's file).
    pub(super) fn offer_mark(&mut self, after: &str) {
        if self.past.is_some() || self.session.doc().path().is_none() {
            return;
        }
        self.marks.offer = Some(MarkOffer {
            after: after.to_owned(),
        });
    }

    /// What the marks' questions and windows asked.
    pub(super) fn take_mark_action(&mut self, action: MarkAction) {
        match action {
            MarkAction::Named(None) => self.marks.prompt = None,
            MarkAction::Named(Some(name)) => self.record_mark(&name),
            MarkAction::DismissOffer => self.marks.offer = None,
            MarkAction::Compare(path) => self.compare_with(path),
            MarkAction::CloseChanges => self.marks.changes = None,
            MarkAction::Rename(path, name) => self.rename_mark(&path, &name),
            MarkAction::Delete(path) => self.delete_mark(&path),
        }
    }

    /// The mark kept in `path`, as "What changed since…" lists it.
    fn listed_mark(&self, path: &std::path::Path) -> Option<Mark> {
        let window = self.marks.changes.as_ref()?;
        window.marks.iter().find(|m| m.path == path).cloned()
    }

    /// Renames the mark kept in `path`; on failure the window says why.
    fn rename_mark(&mut self, path: &std::path::Path, name: &str) {
        let Some(mark) = self.listed_mark(path) else {
            return;
        };
        let renamed = self.mark_store().and_then(|store| {
            store.rename(&mark, name).map_err(|err| Problem {
                title: "The mark was not renamed".into(),
                message: format!("The mark was not renamed: {err}."),
            })
        });
        let Some(window) = self.marks.changes.as_mut() else {
            return;
        };
        match renamed {
            Ok(renamed) => {
                self.status = Some(format!("Renamed the mark “{}”", renamed.label()));
                window.renamed(renamed);
            }
            Err(problem) => window.error = Some(problem.message),
        }
    }

    /// Deletes the mark kept in `path` and compares with the newest left, if any.
    fn delete_mark(&mut self, path: &std::path::Path) {
        let Some(mark) = self.listed_mark(path) else {
            return;
        };
        let removed = self.mark_store().and_then(|store| {
            store.remove(&mark).map_err(|err| Problem {
                title: "The mark was not deleted".into(),
                message: format!("The mark was not deleted: {err}."),
            })
        });
        let Some(window) = self.marks.changes.as_mut() else {
            return;
        };
        if let Err(problem) = removed {
            window.error = Some(problem.message);
            return;
        }
        self.status = Some(format!("Deleted the mark “{}”", mark.label()));
        window.deleted(path);
        if let Some(newest) = window.marks.first().map(|m| m.path.clone()) {
            self.compare_with(newest);
        }
    }

    /// Records the situation as it stands now under `name`; on failure the question stays
    /// open and says why.
    fn record_mark(&mut self, name: &str) {
        let recorded = self.mark_store().and_then(|store| {
            store
                .add(name, self.session.doc().situation())
                .map_err(|err| Problem {
                    title: "The mark was not recorded".into(),
                    message: format!("{err}."),
                })
        });
        match recorded {
            Ok(mark) => {
                self.marks.prompt = None;
                self.status = Some(format!("Marked as briefed: {}", mark.label()));
                if let Some(window) = self.marks.changes.as_mut() {
                    window.marks.insert(0, mark);
                }
            }
            Err(problem) => match self.marks.prompt.as_mut() {
                Some(prompt) => prompt.error = Some(problem.message),
                None => self.error = Some(problem),
            },
        }
    }

    /// "What changed since…": opens the window on the newest mark.
    pub(super) fn show_changes(&mut self) {
        if self.modal_open() {
            return;
        }
        let store = match self.mark_store() {
            Ok(store) => store,
            Err(problem) => {
                self.error = Some(problem);
                return;
            }
        };
        let marks = store.list();
        let newest = marks.first().map(|m| m.path.clone());
        self.marks.changes = Some(ChangesWindow::new(marks));
        if let Some(path) = newest {
            self.compare_with(path);
        }
    }

    /// Reads the mark kept in `path` and compares the situation with it.
    fn compare_with(&mut self, path: PathBuf) {
        let store = self.mark_store();
        let Some(window) = self.marks.changes.as_mut() else {
            return;
        };
        let Some(mark) = window.marks.iter().find(|m| m.path == path).cloned() else {
            return;
        };
        let read = store.and_then(|store| {
            store.situation(&mark).map_err(|err| Problem {
                title: "The mark cannot be read".into(),
                message: err.to_string(),
            })
        });
        match read {
            Ok(then) => window.compare_with(mark, then),
            Err(problem) => window.error = Some(problem.message),
        }
    }

    /// The "Since …" report of `mark`, if one was chosen, for an export or a briefing; or why
    /// the mark cannot be read.
    pub(super) fn since_of(&self, mark: Option<&Mark>) -> Result<Option<Arc<SinceMark>>, Problem> {
        mark.map(|mark| self.since_mark(mark)).transpose()
    }

    /// The "Since …" report of `mark` against the situation shown (as it was, while it is).
    fn since_mark(&self, mark: &Mark) -> Result<Arc<SinceMark>, Problem> {
        let then = self.mark_store()?.situation(mark).map_err(|err| Problem {
            title: "The mark cannot be read".into(),
            message: format!("{err}. Choose another mark, or none."),
        })?;
        // "Since Briefing 27 Nov 2026", not "… (27 Nov 2026)" again.
        let date = Some(mark.date_text()).filter(|date| !mark.meta.name.contains(date));
        Ok(Arc::new(SinceMark::new(
            mark.meta.name.clone(),
            date.unwrap_or_default(),
            &then,
            super::as_it_was::shown(&self.past, &self.session),
        )))
    }
}
