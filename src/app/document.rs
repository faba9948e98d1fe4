//! One open situation: its data, where it lives, its history and its diagnostics.
//!
//! The situation and its history are private: an [`Edit`] through [`Document::apply`] (or undo
//! and redo) is the only way to change the situation; opening another one replaces the whole
//! document (see [`super::session::Session::replace`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::analysis::incremental::CheckCache;
use crate::model::delta::Delta;
use crate::model::edit::{Edit, EditError};
use crate::model::history::History;
use crate::model::touched::{ChangeStamps, Touched};
use crate::model::{Diagnostic, Severity, Situation};

/// An open situation and everything the app knows about its file.
pub struct Document {
    situation: Situation,
    history: History,
    /// Where it is saved; `None` for an untitled situation (Save asks where).
    pub(super) path: Option<PathBuf>,
    /// Name shown for an untitled situation.
    untitled_name: String,
    saved_revision: u64,
    /// Why the file must not be overwritten, when it must not.
    pub(super) read_only: Option<String>,
    /// The checks, kept up to date edit by edit (built on first use).
    checks: Option<CheckCache>,
    /// What the edits since the checks were last brought up to date touched.
    unchecked: Touched,
    /// When each part of the situation last changed (keys for the views' caches).
    stamps: ChangeStamps,
    /// While the situation is shared: this officer's changes not yet written into the shared
    /// document, oldest first (see [`Document::take_local_changes`]).
    outbox: Option<Vec<LocalChange>>,
    /// While the file's local history is kept: this officer's changes not yet taken for it,
    /// oldest first (see [`Document::take_recorded`]).
    journal: Option<Vec<Recorded>>,
}

/// One of the officer's changes, for the file's local history.
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    /// In words, as the Edit menu says it.
    pub label: String,
    /// The state after the change of what it touched.
    pub delta: Delta,
    /// It carries on the change recorded before it (a drag going on): it replaces that one.
    pub joins_last: bool,
    /// Colleagues' changes taken in from the shared situation, not the officer's own.
    pub by_colleagues: bool,
}

/// One of the officer's own changes (an edit, an undo or a redo), for the shared document.
#[derive(Clone, Debug, PartialEq)]
pub struct LocalChange {
    /// In words, as the Edit menu says it ("undo …" for an undo).
    pub label: String,
    pub touched: Touched,
}

impl Document {
    /// A document for a situation read from `path` (or untitled when `None`).
    pub fn new(situation: Situation, path: Option<PathBuf>) -> Self {
        Self {
            situation,
            history: History::default(),
            path,
            untitled_name: "Untitled".into(),
            saved_revision: 0,
            read_only: None,
            checks: None,
            unchecked: Touched::default(),
            stamps: ChangeStamps::fresh(),
            outbox: None,
            journal: None,
        }
    }

    /// An untitled copy shown under `name` (e.g. a bundled sample).
    pub fn untitled(situation: Situation, name: impl Into<String>) -> Self {
        Self {
            untitled_name: name.into(),
            ..Self::new(situation, None)
        }
    }

    /// The same document, open read-only for `reason`.
    pub fn read_only_because(mut self, reason: impl Into<String>) -> Self {
        self.read_only = Some(reason.into());
        self
    }

    /// The situation as it stands.
    pub fn situation(&self) -> &Situation {
        &self.situation
    }

    /// The undo and redo steps.
    pub fn history(&self) -> &History {
        &self.history
    }

    /// Changes whenever the situation changes (a key for caches).
    pub fn revision(&self) -> u64 {
        self.history.revision()
    }

    /// When each part of the situation last changed: a view's cache keyed on the parts it
    /// reads is rebuilt only when one of them changed.
    pub fn stamps(&self) -> ChangeStamps {
        self.stamps
    }

    /// Where the situation is saved, if it has a file.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Why the situation must not be written to its file, when it must not.
    pub fn read_only(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    /// The name an untitled situation is shown under.
    pub fn untitled_name(&self) -> &str {
        &self.untitled_name
    }

    /// Whether there are changes since the last save (or since opening).
    pub fn is_dirty(&self) -> bool {
        self.history.revision() != self.saved_revision
    }

    /// Records that the state at `revision` is what is on disk.
    pub fn mark_saved_at(&mut self, revision: u64) {
        self.saved_revision = revision;
    }

    /// Records that the current state is what is on disk.
    pub fn mark_saved(&mut self) {
        self.saved_revision = self.history.revision();
    }

    /// Marks the current state as differing from disk (e.g. after restoring a recovery copy).
    pub fn mark_unsaved(&mut self) {
        self.saved_revision = u64::MAX;
    }

    /// The file name, or the untitled name.
    pub fn display_name(&self) -> String {
        self.path
            .as_deref()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.untitled_name.clone())
    }

    /// The window title: `NAME — Tandem`, with `●` when there are unsaved changes.
    pub fn window_title(&self) -> String {
        let dirty = if self.is_dirty() { "● " } else { "" };
        let read_only = if self.read_only.is_some() {
            " [read-only]"
        } else {
            ""
        };
        format!("{dirty}{}{read_only} — Tandem", self.display_name())
    }

    /// Applies an edit as one undoable step.
    pub fn apply(&mut self, edit: Edit) -> Result<(), EditError> {
        let touched = edit.touched();
        self.history.apply(&mut self.situation, edit)?;
        self.touch(touched, self.history.undo_label().map(str::to_owned), false);
        Ok(())
    }

    /// Applies an edit made while a gesture (a drag) goes on: successive edits of the same
    /// field during one gesture make one undo step. [`Document::end_gesture`] closes it.
    pub fn apply_in_gesture(&mut self, edit: Edit) -> Result<(), EditError> {
        let touched = edit.touched();
        self.history.apply_in_gesture(&mut self.situation, edit)?;
        let joins = self.history.last_edit_joined();
        self.touch(touched, self.history.undo_label().map(str::to_owned), joins);
        Ok(())
    }

    /// Ends the current gesture: the next edit starts a new undo step.
    pub fn end_gesture(&mut self) {
        self.history.end_gesture();
    }

    /// Takes back the last step; returns its description.
    pub fn undo(&mut self) -> Option<String> {
        let touched = self.history.next_undo().map(Edit::touched);
        let label = self.history.undo(&mut self.situation);
        let said = label.as_ref().map(|l| format!("undo {l}"));
        self.touch_after_history(said, touched);
        label
    }

    /// Makes the last undone step again; returns its description.
    pub fn redo(&mut self) -> Option<String> {
        let touched = self.history.next_redo().map(Edit::touched);
        let label = self.history.redo(&mut self.situation);
        self.touch_after_history(label.clone(), touched);
        label
    }

    /// After undo or redo: what the step touched, or everything when it failed (the history
    /// was cleared and the situation may be anywhere between).
    fn touch_after_history(&mut self, label: Option<String>, touched: Option<Touched>) {
        match (label, touched) {
            (Some(label), Some(touched)) => self.touch(touched, Some(label), false),
            (None, Some(_)) => self.touch(Touched::everything(), Some("undo".into()), false),
            (_, None) => {}
        }
    }

    /// Records what one of the officer's changes touched, for the checks, the local history
    /// and, while shared, for the shared document. `joins`: the change carries on the last one.
    fn touch(&mut self, mut touched: Touched, label: Option<String>, joins: bool) {
        touched.add_referencing(&self.situation);
        self.stamps.record(&touched);
        if let Some(journal) = &mut self.journal {
            journal.push(Recorded {
                label: label.clone().unwrap_or_else(|| "edit".into()),
                delta: Delta::capture(&self.situation, &touched),
                joins_last: joins,
                by_colleagues: false,
            });
        }
        if let Some(outbox) = &mut self.outbox {
            outbox.push(LocalChange {
                label: label.unwrap_or_else(|| "edit".into()),
                touched: touched.clone(),
            });
        }
        self.unchecked.extend(touched);
    }

    /// From now on the officer's changes are kept for the shared document until taken (or,
    /// with `false`, no longer: the situation is not shared after all).
    pub fn record_for_sharing(&mut self, on: bool) {
        match on {
            true => drop(self.outbox.get_or_insert_with(Vec::new)),
            false => self.outbox = None,
        }
    }

    /// From now on the officer's changes are kept for the file's local history (or, with
    /// `false`, no longer).
    pub fn record_history(&mut self, on: bool) {
        match on {
            true => drop(self.journal.get_or_insert_with(Vec::new)),
            false => self.journal = None,
        }
    }

    /// The officer's changes since the last call, for the local history, oldest first.
    pub fn take_recorded(&mut self) -> Vec<Recorded> {
        self.journal
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// The officer's changes since the last call, oldest first (none unless shared).
    pub fn take_local_changes(&mut self) -> Vec<LocalChange> {
        self.outbox.as_mut().map(std::mem::take).unwrap_or_default()
    }

    /// Takes in colleagues' changes: `read` changes the situation in place and says what it
    /// touched (`None`: nothing). The change gets a new revision and new stamps, the checks
    /// look again at what it touched, and the undo steps stay, each taking back only its own fields.
    pub fn take_remote<E>(
        &mut self,
        read: impl FnOnce(&mut Situation) -> Result<Option<Touched>, E>,
    ) -> Result<Option<Touched>, E> {
        let taken = read(&mut self.situation)?;
        if let Some(touched) = &taken {
            self.history.changed_elsewhere();
            let mut touched = touched.clone();
            touched.add_referencing(&self.situation);
            self.stamps.record(&touched);
            if let Some(journal) = &mut self.journal {
                journal.push(Recorded {
                    label: crate::io::history::COLLEAGUES.into(),
                    delta: Delta::capture(&self.situation, &touched),
                    joins_last: false,
                    by_colleagues: true,
                });
            }
            self.unchecked.extend(touched);
        }
        Ok(taken)
    }

    /// The diagnostics as a shared list, brought up to date only after a change and only for
    /// what it touched: cheap to hold while the views draw.
    pub fn diagnostics(&mut self) -> Arc<Vec<Diagnostic>> {
        let touched = std::mem::take(&mut self.unchecked);
        match &mut self.checks {
            Some(checks) => checks.update(&self.situation, &touched),
            None => self.checks = Some(CheckCache::new(&self.situation)),
        }
        self.checks
            .as_ref()
            .map(CheckCache::diagnostics)
            .unwrap_or_default()
    }
}

/// Errors and warnings among `diagnostics`, as the status bar counts them.
pub fn problem_counts(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    (errors, diagnostics.len() - errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PartialDate;
    use crate::model::edit::SituationMeta;

    fn blank() -> Situation {
        let as_of = PartialDate::year(2010).expect("a valid year");
        Situation::new("Blank", as_of)
    }

    fn retitled(doc: &Document, title: &str) -> Edit {
        let mut meta = SituationMeta::of(doc.situation());
        meta.title = title.into();
        Edit::SetMeta(Box::new(meta))
    }

    #[test]
    fn undo_back_to_the_saved_state_clears_unsaved_changes() {
        let mut doc = Document::untitled(blank(), "test");
        assert!(!doc.is_dirty());
        let edit = retitled(&doc, "One");
        doc.apply(edit).unwrap();
        assert!(doc.is_dirty());
        assert!(doc.window_title().starts_with("● test"));
        doc.mark_saved();
        let edit = retitled(&doc, "Two");
        doc.apply(edit).unwrap();
        assert!(doc.is_dirty());
        doc.undo();
        assert!(!doc.is_dirty());
        assert_eq!(doc.situation().title, "One");
    }

    #[test]
    fn edits_in_one_gesture_make_one_undo_step() {
        let mut doc = Document::untitled(blank(), "test");
        let original = doc.situation().title.clone();
        for title in ["A", "AB", "ABC"] {
            let edit = retitled(&doc, title);
            doc.apply_in_gesture(edit).unwrap();
        }
        doc.end_gesture();
        assert_eq!(doc.history().undo_len(), 1);
        assert_eq!(doc.situation().title, "ABC");
        doc.undo();
        assert_eq!(doc.situation().title, original);
        doc.redo();
        assert_eq!(doc.situation().title, "ABC");
        let edit = retitled(&doc, "D");
        doc.apply_in_gesture(edit).unwrap();
        assert_eq!(doc.history().undo_len(), 2, "a new gesture is a new step");
    }

    #[test]
    fn colleagues_changes_are_recorded_for_the_local_history_without_the_officers_name() {
        let mut doc = Document::untitled(blank(), "test");
        doc.record_history(true);
        let edit = retitled(&doc, "Mine");
        doc.apply(edit).unwrap();
        doc.take_remote(|s| {
            s.summary = "Theirs".into();
            Ok::<_, ()>(Some(Touched {
                meta: true,
                ..Touched::default()
            }))
        })
        .unwrap();
        let recorded = doc.take_recorded();
        assert_eq!(recorded.len(), 2);
        assert!(!recorded[0].by_colleagues);
        assert!(recorded[1].by_colleagues);
        let mut replayed = blank();
        for r in &recorded {
            r.delta.replay(&mut replayed);
        }
        assert_eq!(replayed, *doc.situation());
        assert!(doc.take_recorded().is_empty());
    }
}
