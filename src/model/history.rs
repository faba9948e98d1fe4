//! The undo/redo history of one open situation.

use std::collections::VecDeque;

use super::Situation;
use super::edit::{Edit, EditError, apply};
use super::rebase::keep_later_changes;

/// How many steps the history keeps by default.
pub const DEFAULT_LIMIT: usize = 2_000;

struct Step {
    /// The edit that takes the situation from `after` back to `before` (or forward, on the redo stack).
    edit: Edit,
    /// The edit that made the state this step starts from: what a field is expected to hold
    /// unless someone else changed it since (see [`keep_later_changes`]).
    made: Edit,
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
    /// Whether the last edit joined the step before it (see [`History::last_edit_joined`]).
    joined: bool,
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
            joined: false,
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
        self.joined = true;
        let label = edit.describe(situation);
        let made = edit.clone();
        apply(situation, edit)?;
        let after = self.next_revision;
        self.next_revision += 1;
        if let Some(step) = self.undo.back_mut() {
            // The step's inverse still restores the state from before the gesture.
            step.label = label;
            step.after = after;
            step.made = made;
        }
        self.revision = after;
        Ok(())
    }

    /// Whether the last edit applied joined the step before it (a drag going on) instead of
    /// making a new one.
    pub fn last_edit_joined(&self) -> bool {
        self.joined
    }

    /// Ends the gesture in progress, if any: the next edit makes a new step.
    pub fn end_gesture(&mut self) {
        self.gesture_open = false;
    }

    /// Applies `edit` as a new undoable step.
    pub fn apply(&mut self, situation: &mut Situation, edit: Edit) -> Result<(), EditError> {
        self.gesture_open = false;
        self.joined = false;
        let label = edit.describe(situation);
        let made = edit.clone();
        let inverse = apply(situation, edit)?;
        let after = self.next_revision;
        self.next_revision += 1;
        self.undo.push_back(Step {
            edit: inverse,
            made,
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
        let edit = keep_later_changes(step.edit, &step.made, situation);
        let made = edit.clone();
        match apply(situation, edit) {
            Ok(forward) => {
                self.revision = step.before;
                let label = step.label.clone();
                self.redo.push(Step {
                    edit: forward,
                    made,
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
        let edit = keep_later_changes(step.edit, &step.made, situation);
        let made = edit.clone();
        match apply(situation, edit) {
            Ok(inverse) => {
                self.revision = step.after;
                let label = step.label.clone();
                self.undo.push_back(Step {
                    edit: inverse,
                    made,
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

    /// The situation changed outside the history (a colleague's change merged in): it gets a
    /// new revision. The undo and redo steps stay; each takes back only the fields it changed
    /// (see [`keep_later_changes`]).
    pub fn changed_elsewhere(&mut self) {
        let mut next = self.next_revision;
        let mut fresh = || {
            next += 1;
            next - 1
        };
        self.revision = fresh();
        // Undoing or redoing now leads to states never seen before: caches keyed on revisions
        // must not take them for older ones.
        for step in self.undo.iter_mut().chain(self.redo.iter_mut()) {
            step.before = fresh();
            step.after = fresh();
        }
        self.next_revision = next;
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

    #[test]
    fn undo_after_a_colleagues_change_takes_back_only_ones_own_field() {
        let mut s = with_cell();
        let original = s.actors[0].clone();
        let mut h = History::default();
        let mut mine = original.clone();
        mine.name = "Renamed by me".into();
        h.apply(
            &mut s,
            Edit::Replace {
                item: crate::model::Item::Actor(mine),
            },
        )
        .unwrap();
        let seen = [h.revision()];
        // A colleague's change merged in: another field of the same actor.
        s.actors[0].notes = "their note".into();
        h.changed_elsewhere();
        assert!(!seen.contains(&h.revision()), "a new state, a new revision");
        assert!(h.undo(&mut s).is_some());
        assert_eq!(s.actors[0].name, original.name, "my change is taken back");
        assert_eq!(s.actors[0].notes, "their note", "theirs stays");
        assert_ne!(
            h.revision(),
            0,
            "not the state before my edit: theirs is in it"
        );
        h.redo(&mut s);
        assert_eq!(s.actors[0].name, "Renamed by me");
        assert_eq!(s.actors[0].notes, "their note");
    }
}
