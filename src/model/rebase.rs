//! Undo and redo that take back only what the step itself changed.
//!
//! An undo step holds the inverse of an edit: for a changed item, the whole item as it was.
//! When a colleague has since changed another field of the same item (a shared situation),
//! applying that inverse as it is would take their change back too. [`keep_later_changes`]
//! compares the item now with the state the step left behind, field by field: the fields that
//! differ were changed by someone else since, and keep their current value.
//!
//! With nobody else editing, the item now is the state the step left behind, and the step is
//! applied unchanged.

use std::collections::HashMap;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::edit::{Edit, EditTarget, SituationMeta};
use super::{Item, ItemKind, ItemRef, Situation};

/// `edit` (an undo or redo step) with every field that changed since `after` (the state the
/// step left behind, as the edit that produced it) set to its value in `situation` now.
pub fn keep_later_changes(edit: Edit, after: &Edit, situation: &Situation) -> Edit {
    let mut expected = HashMap::new();
    expected_values(after, &mut expected);
    let mut changed: HashMap<EditTarget, Map<String, Value>> = HashMap::new();
    for (target, value) in expected {
        let Some(now) = current_value(situation, &target) else {
            continue;
        };
        let fields = later_fields(&value, &now);
        if !fields.is_empty() {
            changed.insert(target, fields);
        }
    }
    if changed.is_empty() {
        return edit;
    }
    patch_edit(edit, &changed)
}

/// The final value each target has after `edit`, as JSON objects.
fn expected_values(edit: &Edit, out: &mut HashMap<EditTarget, Value>) {
    match edit {
        Edit::Replace { item } | Edit::Insert { item, .. } => {
            if let Some(value) = item_value(item) {
                out.insert(item_target(item), value);
            }
        }
        Edit::SetAssignment {
            line,
            partner,
            assignment,
            ..
        } => {
            let target = EditTarget::Cell {
                line: line.clone(),
                partner: partner.clone(),
            };
            match assignment
                .as_ref()
                .and_then(|a| serde_json::to_value(a).ok())
            {
                Some(value) => out.insert(target, value),
                None => out.remove(&target),
            };
        }
        Edit::SetMeta(meta) => {
            if let Ok(value) = serde_json::to_value(meta.as_ref()) {
                out.insert(EditTarget::Meta, value);
            }
        }
        Edit::Remove { item } => {
            out.remove(&EditTarget::Item(item.clone()));
        }
        // A renamed item's fields are not compared: its old id names nothing now.
        Edit::RenameId { .. } => {}
        Edit::Batch { edits, .. } => {
            for edit in edits {
                expected_values(edit, out);
            }
        }
    }
}

fn item_target(item: &Item) -> EditTarget {
    EditTarget::Item(ItemRef::new(item.kind(), item.id()))
}

fn item_value(item: &Item) -> Option<Value> {
    match item {
        Item::Actor(x) => serde_json::to_value(x),
        Item::Partner(x) => serde_json::to_value(x),
        Item::Line(x) => serde_json::to_value(x),
        Item::Event(x) => serde_json::to_value(x),
    }
    .ok()
}

/// The target's value in `situation` now, as a JSON object.
fn current_value(situation: &Situation, target: &EditTarget) -> Option<Value> {
    match target {
        EditTarget::Item(item) => match item.kind {
            ItemKind::Actor => serde_json::to_value(situation.actor(&item.id)?),
            ItemKind::Partner => serde_json::to_value(situation.partner(&item.id)?),
            ItemKind::Line => serde_json::to_value(situation.line(&item.id)?),
            ItemKind::Event => serde_json::to_value(situation.event(&item.id)?),
        }
        .ok(),
        EditTarget::Cell { line, partner } => situation
            .assignments
            .iter()
            .find(|a| a.line == *line && a.partner == *partner)
            .and_then(|a| serde_json::to_value(a).ok()),
        EditTarget::Meta => serde_json::to_value(SituationMeta::of(situation)).ok(),
    }
}

/// The fields whose value `now` differs from `expected`, with their value now (`Null` for a
/// field now absent: an empty list or note is not written).
fn later_fields(expected: &Value, now: &Value) -> Map<String, Value> {
    let (Some(expected), Some(now)) = (expected.as_object(), now.as_object()) else {
        return Map::new();
    };
    let mut fields = Map::new();
    for key in expected.keys().chain(now.keys()) {
        let was = expected.get(key).unwrap_or(&Value::Null);
        let is = now.get(key).unwrap_or(&Value::Null);
        if was != is {
            fields.insert(key.clone(), is.clone());
        }
    }
    fields
}

fn patch_edit(edit: Edit, changed: &HashMap<EditTarget, Map<String, Value>>) -> Edit {
    match edit {
        Edit::Replace { item } => Edit::Replace {
            item: match changed.get(&item_target(&item)) {
                Some(fields) => patch_item(item, fields),
                None => item,
            },
        },
        Edit::SetAssignment {
            line,
            partner,
            assignment: Some(assignment),
            index,
        } => {
            let target = EditTarget::Cell {
                line: line.clone(),
                partner: partner.clone(),
            };
            let assignment = match changed.get(&target) {
                Some(fields) => patched(&assignment, fields).unwrap_or(assignment),
                None => assignment,
            };
            Edit::SetAssignment {
                line,
                partner,
                assignment: Some(assignment),
                index,
            }
        }
        Edit::SetMeta(meta) => match changed.get(&EditTarget::Meta) {
            Some(fields) => {
                Edit::SetMeta(Box::new(patched(meta.as_ref(), fields).unwrap_or(*meta)))
            }
            None => Edit::SetMeta(meta),
        },
        Edit::Batch { label, edits } => Edit::Batch {
            label,
            edits: edits.into_iter().map(|e| patch_edit(e, changed)).collect(),
        },
        other => other,
    }
}

fn patch_item(item: Item, fields: &Map<String, Value>) -> Item {
    match item {
        Item::Actor(x) => Item::Actor(patched(&x, fields).unwrap_or(x)),
        Item::Partner(x) => Item::Partner(patched(&x, fields).unwrap_or(x)),
        Item::Line(x) => Item::Line(patched(&x, fields).unwrap_or(x)),
        Item::Event(x) => Item::Event(patched(&x, fields).unwrap_or(x)),
    }
}

/// `value` with `fields` set (a `Null` field taken out, so that it reads as its default).
fn patched<T: Serialize + DeserializeOwned>(value: &T, fields: &Map<String, Value>) -> Option<T> {
    let Value::Object(mut object) = serde_json::to_value(value).ok()? else {
        return None;
    };
    for (key, field) in fields {
        if field.is_null() {
            object.remove(key);
        } else {
            object.insert(key.clone(), field.clone());
        }
    }
    serde_json::from_value(Value::Object(object)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::edit::apply;
    use crate::model::{Stance, Status};
    use crate::samples::guinea;

    #[test]
    fn undo_keeps_a_colleagues_later_change_to_another_field() {
        let mut s = guinea();
        let original = s.actors[0].clone();
        let mut mine = original.clone();
        mine.name = "Renamed by me".into();
        let forward = Edit::Replace {
            item: Item::Actor(mine.clone()),
        };
        let inverse = apply(&mut s, forward.clone()).unwrap();
        // A colleague changes the stance and adds a note afterwards.
        let mut theirs = mine.clone();
        theirs.stance = if mine.stance == Stance::Spoiler {
            Stance::Supportive
        } else {
            Stance::Spoiler
        };
        theirs.notes = "their note".into();
        s.actors[0] = theirs.clone();
        let undo = keep_later_changes(inverse, &forward, &s);
        apply(&mut s, undo).unwrap();
        assert_eq!(s.actors[0].name, original.name, "my change is taken back");
        assert_eq!(s.actors[0].stance, theirs.stance, "theirs stays");
        assert_eq!(s.actors[0].notes, "their note");
    }

    #[test]
    fn undo_leaves_a_field_a_colleague_changed_after_me() {
        let mut s = guinea();
        let mut mine = s.lines[0].clone();
        mine.status = Status::Active;
        mine.notes = "mine".into();
        let forward = Edit::Replace {
            item: Item::Line(mine.clone()),
        };
        let inverse = apply(&mut s, forward.clone()).unwrap();
        s.lines[0].notes = "theirs, written over mine".into();
        let undo = keep_later_changes(inverse, &forward, &s);
        apply(&mut s, undo).unwrap();
        assert_eq!(s.lines[0].notes, "theirs, written over mine");
    }

    #[test]
    fn with_nobody_else_the_step_is_unchanged() {
        let mut s = guinea();
        let mut meta = SituationMeta::of(&s);
        meta.title = "New title".into();
        meta.countries.clear();
        let forward = Edit::SetMeta(Box::new(meta));
        let inverse = apply(&mut s, forward.clone()).unwrap();
        let undo = keep_later_changes(inverse.clone(), &forward, &s);
        assert_eq!(undo, inverse);
    }

    #[test]
    fn a_note_cleared_by_a_colleague_stays_cleared() {
        let mut s = guinea();
        let mut mine = s.events[0].clone();
        mine.title = "Mine".into();
        mine.notes = "a note".into();
        let forward = Edit::Replace {
            item: Item::Event(mine),
        };
        let inverse = apply(&mut s, forward.clone()).unwrap();
        s.events[0].notes.clear();
        s.events[0].actors.clear();
        let undo = keep_later_changes(inverse, &forward, &s);
        apply(&mut s, undo).unwrap();
        assert!(s.events[0].notes.is_empty());
        assert!(s.events[0].actors.is_empty());
    }
}
