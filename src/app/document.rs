//! One open situation: its data, where it lives, its history and its diagnostics.

use std::path::{Path, PathBuf};

use crate::analysis;
use crate::model::edit::{Edit, EditError};
use crate::model::history::History;
use crate::model::{Diagnostic, Severity, Situation};

/// An open situation and everything the app knows about its file.
pub struct Document {
    pub situation: Situation,
    /// Where it is saved; `None` for an untitled situation (Save asks where).
    pub path: Option<PathBuf>,
    /// Name shown for an untitled situation.
    pub untitled_name: String,
    pub history: History,
    saved_revision: u64,
    /// Why the file must not be overwritten, when it must not.
    pub read_only: Option<String>,
    /// Hash of the file's bytes when last opened or saved.
    pub disk_hash: Option<[u8; 32]>,
    diagnostics: std::sync::Arc<Vec<Diagnostic>>,
    diagnostics_revision: Option<u64>,
}

impl Document {
    /// A document for a situation read from `path` (or untitled when `None`).
    pub fn new(situation: Situation, path: Option<PathBuf>) -> Self {
        Self {
            situation,
            path,
            untitled_name: "Untitled".into(),
            history: History::default(),
            saved_revision: 0,
            read_only: None,
            disk_hash: None,
            diagnostics: Default::default(),
            diagnostics_revision: None,
        }
    }

    /// An untitled copy shown under `name` (e.g. a bundled sample).
    pub fn untitled(situation: Situation, name: impl Into<String>) -> Self {
        Self {
            untitled_name: name.into(),
            ..Self::new(situation, None)
        }
    }

    /// Whether there are changes since the last save (or since opening).
    pub fn is_dirty(&self) -> bool {
        self.history.revision() != self.saved_revision
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
        self.history.apply(&mut self.situation, edit)
    }

    pub fn undo(&mut self) -> Option<String> {
        self.history.undo(&mut self.situation)
    }

    pub fn redo(&mut self) -> Option<String> {
        self.history.redo(&mut self.situation)
    }

    /// All diagnostics for the current state, recomputed only after a change.
    pub fn diagnostics(&mut self) -> &[Diagnostic] {
        self.shared_diagnostics();
        &self.diagnostics
    }

    /// The diagnostics as a shared list: cheap to hold while the views draw.
    pub fn shared_diagnostics(&mut self) -> std::sync::Arc<Vec<Diagnostic>> {
        let revision = self.history.revision();
        if self.diagnostics_revision != Some(revision) {
            self.diagnostics = std::sync::Arc::new(analysis::check_all(&self.situation));
            self.diagnostics_revision = Some(revision);
        }
        self.diagnostics.clone()
    }

    /// Errors and warnings in the current state.
    pub fn problem_counts(&mut self) -> (usize, usize) {
        let d = self.diagnostics();
        let errors = d.iter().filter(|d| d.severity == Severity::Error).count();
        (errors, d.len() - errors)
    }
}
