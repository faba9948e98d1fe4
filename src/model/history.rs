//! The undo/redo history of one open situation.

use std::collections::VecDeque;

use super::Situation;
use super::edit::{Edit, EditError, apply};

/// How many steps the history keeps by default.
pub const DEFAULT_LIMIT: usize = 2_000;

struct Step {
    /// The edit that takes the situation from `after` back to `before` (or forward, on the redo stack).
    edit: Edit,
    label: String,
    before: u64,
    after: u64,
}

/// Undo and redo stacks, and a revision number that identifies each state of the situation.
///
/// Each applied edit gives the situation a new revision; undo returns to the earlier one, so
/// "unsaved changes" is simply "the revision differs from the one saved".
pub struct History {
    undo: VecDeque<Step>,
    redo: Vec<Step>,
    revision: u64,
    next_revision: u64,
    limit: usize,
}

impl Default for History {
    fn default() -> Self {
        Self::with_limit(DEFAULT_LIMIT)
    }
}

impl History {
    /// A history that keeps at most `limit` undo steps.
    pub fn with_limit(limit: usize) -> Self {
        Self {
            undo: VecDeque::new(),
            redo: Vec::new(),
            revision: 0,
            next_revision: 1,
            limit: limit.max(1),
        }
    }

    /// The revision of the current state.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Applies `edit` as a new undoable step.
    pub fn apply(&mut self, situation: &mut Situation, edit: Edit) -> Result<(), EditError> {
        let label = edit.describe();
        let inverse = apply(situation, edit)?;
        let after = self.next_revision;
        self.next_revision += 1;
        self.undo.push_back(Step {
            edit: inverse,
            label,
            before: self.revision,
            after,
        });
        if self.undo.len() > self.limit {
            self.undo.pop_front();
        }
        self.redo.clear();
        self.revision = after;
        Ok(())
    }

    /// Takes back the last step; returns its description, or `None` when there is nothing to undo.
    pub fn undo(&mut self, situation: &mut Situation) -> Option<String> {
        let step = self.undo.pop_back()?;
        match apply(situation, step.edit) {
            Ok(forward) => {
                self.revision = step.before;
                let label = step.label.clone();
                self.redo.push(Step {
                    edit: forward,
                    ..step
                });
                Some(label)
            }
            Err(_) => {
                self.undo.clear();
                self.redo.clear();
                None
            }
        }
    }

    /// Re-applies the last undone step; returns its description.
    pub fn redo(&mut self, situation: &mut Situation) -> Option<String> {
        let step = self.redo.pop()?;
        match apply(situation, step.edit) {
            Ok(inverse) => {
                self.revision = step.after;
                let label = step.label.clone();
                self.undo.push_back(Step {
                    edit: inverse,
                    ..step
                });
                Some(label)
            }
            Err(_) => {
                self.undo.clear();
                self.redo.clear();
                None
            }
        }
    }

    /// The edit Undo would apply next (the inverse of the last step).
    pub fn next_undo(&self) -> Option<&Edit> {
        self.undo.back().map(|s| &s.edit)
    }

    /// The edit Redo would apply next.
    pub fn next_redo(&self) -> Option<&Edit> {
        self.redo.last().map(|s| &s.edit)
    }

    /// The description of the step Undo would take back.
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.back().map(|s| s.label.as_str())
    }

    /// The description of the step Redo would re-apply.
    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|s| s.label.as_str())
    }

    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }
}
