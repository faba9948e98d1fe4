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
    /// Whether the last step was made during a gesture that is still going on.
    gesture_open: bool,
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
            gesture_open: false,
        }
    }

    /// The revision of the current state.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Applies an edit made during a gesture (a drag): while the gesture goes on, an edit of
    /// the same target as the last step's joins that step instead of making a new one, so that
    /// undo takes the whole gesture back at once. [`History::end_gesture`] closes it.
    pub fn apply_in_gesture(
        &mut self,
        situation: &mut Situation,
        edit: Edit,
    ) -> Result<(), EditError> {
        let joins = self.gesture_open
            && self.redo.is_empty()
            && edit.target().is_some()
            && self.undo.back().and_then(|s| s.edit.target()) == edit.target();
        if !joins {
            self.apply(situation, edit)?;
            self.gesture_open = true;
            return Ok(());
        }
        let label = edit.describe(situation);
        apply(situation, edit)?;
        let after = self.next_revision;
        self.next_revision += 1;
        if let Some(step) = self.undo.back_mut() {
            // The step's inverse still restores the state from before the gesture.
            step.label = label;
            step.after = after;
        }
        self.revision = after;
        Ok(())
    }

    /// Ends the gesture in progress, if any: the next edit makes a new step.
    pub fn end_gesture(&mut self) {
        self.gesture_open = false;
    }

    /// Applies `edit` as a new undoable step.
    pub fn apply(&mut self, situation: &mut Situation, edit: Edit) -> Result<(), EditError> {
        self.gesture_open = false;
        let label = edit.describe(situation);
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
        self.gesture_open = false;
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
        self.gesture_open = false;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Assignment, Role};

    /// The Guinea sample, with ECOWAS assigned nowhere yet: its cells are free to edit.
    fn with_cell() -> Situation {
        let mut s = crate::io::parse_situation(crate::samples::GUINEA)
            .expect("the sample parses")
            .situation;
        s.assignments.retain(|a| a.partner != "ecowas");
        for line in ["mediation", "sanctions"] {
            if !s.lines.iter().any(|l| l.id == line) {
                let mut copy = s.lines[0].clone();
                copy.id = line.into();
                s.lines.push(copy);
            }
        }
        assert!(s.partners.iter().any(|p| p.id == "ecowas"));
        s
    }

    fn step(line: &str, n: u32) -> Edit {
        Edit::SetAssignment {
            line: line.into(),
            partner: "ecowas".into(),
            assignment: Some(Assignment {
                line: line.into(),
                partner: "ecowas".into(),
                role: Role::Sequential(n),
                note: String::new(),
                sensitivity: Default::default(),
                places: Vec::new(),
            }),
            index: None,
        }
    }

    #[test]
    fn a_gesture_on_one_cell_is_one_step_and_another_cell_starts_a_new_one() {
        let mut s = with_cell();
        let before = s.clone();
        let mut h = History::default();
        for n in 1..=5 {
            h.apply_in_gesture(&mut s, step("mediation", n)).unwrap();
        }
        assert_eq!(h.undo_len(), 1);
        let revision = h.revision();
        h.apply_in_gesture(&mut s, step("sanctions", 2)).unwrap();
        assert_eq!(h.undo_len(), 2, "another target, another step");
        assert!(h.revision() > revision);
        h.undo(&mut s);
        h.undo(&mut s);
        assert_eq!(s, before, "two undos take both gestures back");
        h.redo(&mut s);
        assert_eq!(
            s.assignment("mediation", "ecowas").map(|a| a.role),
            Some(Role::Sequential(5)),
            "redo gives the gesture's last value"
        );
    }

    #[test]
    fn edits_outside_a_gesture_are_steps_of_their_own() {
        let mut s = with_cell();
        let mut h = History::default();
        h.apply_in_gesture(&mut s, step("mediation", 1)).unwrap();
        h.end_gesture();
        h.apply_in_gesture(&mut s, step("mediation", 2)).unwrap();
        h.apply(&mut s, step("mediation", 3)).unwrap();
        assert_eq!(h.undo_len(), 3);
    }
}
