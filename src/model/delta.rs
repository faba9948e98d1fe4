//! What one change did to a situation, as the new state of the parts it touched: the items,
//! matrix cells and own fields after it (an item gone is recorded as gone). Replaying the
//! deltas of a history over the state before them gives every later state, which is how the
//! officer's local history shows the situation as it was (see `crate::io::history`).
//!
//! A delta holds states, not operations: replaying one twice, or over a state that already
//! has it, changes nothing more.

use serde::{Deserialize, Serialize};

use super::edit::SituationMeta;
use super::touched::Touched;
use super::{Actor, Assignment, Event, ItemKind, ItemRef, LineOfEffort, Partner, Situation};

/// One item's state after a change: where it stands in its list and its value, or `None`
/// when the change removed it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Slot<T> {
    pub id: String,
    pub index: usize,
    pub value: Option<T>,
}

/// One matrix cell's assignment after a change (`None`: cleared).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CellSlot {
    pub line: String,
    pub partner: String,
    pub index: usize,
    pub value: Option<Assignment>,
}

/// The state after a change of everything it touched.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Delta {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actors: Vec<Slot<Actor>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partners: Vec<Slot<Partner>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<Slot<LineOfEffort>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<Slot<Event>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cells: Vec<CellSlot>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<SituationMeta>,
    /// The whole situation, when anything may have changed (an import into a new situation,
    /// a change of order only a whole copy can tell).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whole: Option<Box<Situation>>,
}

fn slot<T: Clone>(list: &[T], id: &str, id_of: fn(&T) -> &str) -> Slot<T> {
    let index = list.iter().position(|x| id_of(x) == id);
    Slot {
        id: id.to_owned(),
        index: index.unwrap_or(0),
        value: index.and_then(|i| list.get(i)).cloned(),
    }
}

fn cell_slot(situation: &Situation, line: &str, partner: &str) -> CellSlot {
    let index = (situation.assignments.iter()).position(|a| a.line == line && a.partner == partner);
    CellSlot {
        line: line.to_owned(),
        partner: partner.to_owned(),
        index: index.unwrap_or(0),
        value: index.and_then(|i| situation.assignments.get(i)).cloned(),
    }
}

fn actor_id(a: &Actor) -> &str {
    &a.id
}
fn partner_id(p: &Partner) -> &str {
    &p.id
}
fn line_id(l: &LineOfEffort) -> &str {
    &l.id
}
fn event_id(e: &Event) -> &str {
    &e.id
}

impl Delta {
    /// The state in `situation` (as it is after a change) of what the change `touched`.
    pub fn capture(situation: &Situation, touched: &Touched) -> Delta {
        if touched.all {
            return Delta {
                whole: Some(Box::new(situation.clone())),
                ..Delta::default()
            };
        }
        let mut delta = Delta::default();
        let renamed = touched.renames.iter().flat_map(|(kind, old, new)| {
            [
                ItemRef::new(*kind, old.as_str()),
                ItemRef::new(*kind, new.as_str()),
            ]
        });
        let mut seen: Vec<ItemRef> = Vec::new();
        for item in touched.items.iter().cloned().chain(renamed) {
            if seen.contains(&item) {
                continue;
            }
            delta.add_item(situation, &item);
            seen.push(item);
        }
        for (line, partner) in &touched.cells {
            delta.cells.push(cell_slot(situation, line, partner));
        }
        delta.add_renamed_cells(touched);
        if touched.meta {
            delta.meta = Some(SituationMeta::of(situation));
        }
        delta
    }

    /// A renamed line or partner's cells are found under its new id: under the old one they
    /// are gone.
    fn add_renamed_cells(&mut self, touched: &Touched) {
        for (kind, old, new) in &touched.renames {
            let gone: Vec<CellSlot> = (self.cells.iter())
                .filter_map(|cell| {
                    let (line, partner) = match kind {
                        ItemKind::Line if cell.line == *new => (old.clone(), cell.partner.clone()),
                        ItemKind::Partner if cell.partner == *new => {
                            (cell.line.clone(), old.clone())
                        }
                        _ => return None,
                    };
                    Some(CellSlot {
                        line,
                        partner,
                        index: 0,
                        value: None,
                    })
                })
                .collect();
            self.cells.extend(gone);
        }
    }

    fn add_item(&mut self, s: &Situation, item: &ItemRef) {
        let id = item.id.as_str();
        match item.kind {
            ItemKind::Actor => self.actors.push(slot(&s.actors, id, actor_id)),
            ItemKind::Partner => self.partners.push(slot(&s.partners, id, partner_id)),
            ItemKind::Line => self.lines.push(slot(&s.lines, id, line_id)),
            ItemKind::Event => self.events.push(slot(&s.events, id, event_id)),
        }
    }

    /// What turns `old` into `new`: every item, cell and field that differs. When the result
    /// would not give `new` exactly (items only reordered), the whole of `new`.
    pub fn between(old: &Situation, new: &Situation) -> Delta {
        let mut delta = Delta {
            actors: slots_between(&old.actors, &new.actors, actor_id),
            partners: slots_between(&old.partners, &new.partners, partner_id),
            lines: slots_between(&old.lines, &new.lines, line_id),
            events: slots_between(&old.events, &new.events, event_id),
            cells: cells_between(old, new),
            meta: (SituationMeta::of(old) != SituationMeta::of(new) || old.schema != new.schema)
                .then(|| SituationMeta::of(new)),
            whole: None,
        };
        let mut check = old.clone();
        delta.replay(&mut check);
        check.schema = new.schema;
        if check != *new {
            delta = Delta {
                whole: Some(Box::new(new.clone())),
                ..Delta::default()
            };
        }
        delta
    }

    /// Brings `situation` (the state before the change) to the state after it.
    pub fn replay(&self, situation: &mut Situation) {
        if let Some(whole) = &self.whole {
            *situation = (**whole).clone();
            return;
        }
        replay_slots(&mut situation.actors, &self.actors, actor_id);
        replay_slots(&mut situation.partners, &self.partners, partner_id);
        replay_slots(&mut situation.lines, &self.lines, line_id);
        replay_slots(&mut situation.events, &self.events, event_id);
        replay_cells(&mut situation.assignments, &self.cells);
        if let Some(meta) = &self.meta {
            meta.clone().store(situation);
        }
    }

    /// The items the change touched, by kind and id (cells name their line and partner).
    pub fn items(&self) -> Vec<ItemRef> {
        let mut items: Vec<ItemRef> = Vec::new();
        let mut add = |kind, id: &str| {
            let item = ItemRef::new(kind, id);
            if !items.contains(&item) {
                items.push(item);
            }
        };
        self.actors.iter().for_each(|s| add(ItemKind::Actor, &s.id));
        self.partners
            .iter()
            .for_each(|s| add(ItemKind::Partner, &s.id));
        self.lines.iter().for_each(|s| add(ItemKind::Line, &s.id));
        self.events.iter().for_each(|s| add(ItemKind::Event, &s.id));
        for cell in &self.cells {
            add(ItemKind::Line, &cell.line);
            add(ItemKind::Partner, &cell.partner);
        }
        items
    }

    /// Whether the delta changes nothing.
    pub fn is_empty(&self) -> bool {
        self == &Delta::default()
    }
}

fn slots_between<T: Clone + PartialEq>(
    old: &[T],
    new: &[T],
    id_of: fn(&T) -> &str,
) -> Vec<Slot<T>> {
    let mut slots: Vec<Slot<T>> = old
        .iter()
        .filter(|o| !new.iter().any(|n| id_of(n) == id_of(o)))
        .map(|o| Slot {
            id: id_of(o).to_owned(),
            index: 0,
            value: None,
        })
        .collect();
    for (index, n) in new.iter().enumerate() {
        if old.iter().find(|o| id_of(o) == id_of(n)) != Some(n) {
            slots.push(Slot {
                id: id_of(n).to_owned(),
                index,
                value: Some(n.clone()),
            });
        }
    }
    slots
}

fn cells_between(old: &Situation, new: &Situation) -> Vec<CellSlot> {
    let same = |a: &Assignment, b: &Assignment| a.line == b.line && a.partner == b.partner;
    let mut cells: Vec<CellSlot> = (old.assignments.iter())
        .filter(|o| !new.assignments.iter().any(|n| same(n, o)))
        .map(|o| CellSlot {
            line: o.line.clone(),
            partner: o.partner.clone(),
            index: 0,
            value: None,
        })
        .collect();
    for (index, n) in new.assignments.iter().enumerate() {
        if old.assignments.iter().find(|o| same(o, n)) != Some(n) {
            cells.push(CellSlot {
                line: n.line.clone(),
                partner: n.partner.clone(),
                index,
                value: Some(n.clone()),
            });
        }
    }
    cells
}

/// Removals first, then each value put at its index (in the order of the indices), where it
/// stood after the change: a renamed item's old id goes before its new one takes its place,
/// and an item an edit moved (a cell set again goes to the end) moves too.
fn replay_slots<T: Clone>(list: &mut Vec<T>, slots: &[Slot<T>], id_of: fn(&T) -> &str) {
    for slot in slots.iter().filter(|s| s.value.is_none()) {
        list.retain(|x| id_of(x) != slot.id);
    }
    let mut set: Vec<(usize, &str, &T)> = (slots.iter())
        .filter_map(|s| s.value.as_ref().map(|v| (s.index, s.id.as_str(), v)))
        .collect();
    set.sort_by_key(|(index, _, _)| *index);
    for (index, id, value) in set {
        put(list, |x| id_of(x) == id, index, value);
    }
}

fn replay_cells(list: &mut Vec<Assignment>, cells: &[CellSlot]) {
    let same = |a: &Assignment, c: &CellSlot| a.line == c.line && a.partner == c.partner;
    for cell in cells.iter().filter(|c| c.value.is_none()) {
        list.retain(|a| !same(a, cell));
    }
    let mut set: Vec<&CellSlot> = cells.iter().filter(|c| c.value.is_some()).collect();
    set.sort_by_key(|c| c.index);
    for cell in set {
        if let Some(value) = &cell.value {
            put(list, |a| same(a, cell), cell.index, value);
        }
    }
}

/// Puts `value` at `index` in `list` (at its end when shorter), in place of the element `is`
/// finds.
fn put<T: Clone>(list: &mut Vec<T>, is: impl Fn(&T) -> bool, index: usize, value: &T) {
    match list.iter().position(is) {
        Some(at) if at == index => {
            if let Some(slot) = list.get_mut(at) {
                *slot = value.clone();
            }
        }
        Some(at) => {
            list.remove(at);
            list.insert(index.min(list.len()), value.clone());
        }
        None => list.insert(index.min(list.len()), value.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::edit::{Edit, apply, delete};
    use crate::model::{Item, Role};
    use crate::samples::guinea;

    /// Applies `edit`, and checks that its delta brings the state before to the state after.
    fn replays(situation: &mut Situation, edit: Edit) {
        let before = situation.clone();
        let mut touched = edit.touched();
        apply(situation, edit).expect("the edit applies");
        touched.add_referencing(situation);
        let delta = Delta::capture(situation, &touched);
        let mut replayed = before.clone();
        delta.replay(&mut replayed);
        assert_eq!(replayed, *situation);
        let mut again = replayed.clone();
        delta.replay(&mut again);
        assert_eq!(again, *situation, "replaying twice changes nothing more");
        let mut between = before.clone();
        Delta::between(&before, situation).replay(&mut between);
        assert_eq!(between, *situation);
    }

    #[test]
    fn every_kind_of_edit_replays_from_its_delta() {
        let mut s = guinea();
        let mut actor = s.actors[1].clone();
        actor.notes = "Seen in Conakry".into();
        replays(
            &mut s,
            Edit::Replace {
                item: Item::Actor(actor.clone()),
            },
        );
        actor.id = "new-actor".into();
        replays(
            &mut s,
            Edit::Insert {
                index: 1,
                item: Item::Actor(actor),
            },
        );
        let (line, partner) = (s.lines[0].id.clone(), s.partners[2].id.clone());
        let assignment = crate::model::Assignment::new(line.clone(), partner.clone(), Role::Lead);
        let set = Edit::SetAssignment {
            line: line.clone(),
            partner: partner.clone(),
            assignment: Some(assignment),
            index: Some(0),
        };
        replays(&mut s, set);
        let clear = Edit::SetAssignment {
            line,
            partner,
            assignment: None,
            index: None,
        };
        replays(&mut s, clear);
        let rename = Edit::RenameId {
            kind: ItemKind::Partner,
            old: s.partners[0].id.clone(),
            new: "renamed-partner".into(),
        };
        replays(&mut s, rename);
        let removed = ItemRef::new(ItemKind::Line, s.lines[1].id.clone());
        let removal = delete(&s, &removed).expect("a delete");
        replays(&mut s, removal);
        let mut meta = SituationMeta::of(&s);
        meta.title = "Guinea, as edited".into();
        replays(&mut s, Edit::SetMeta(Box::new(meta)));
    }

    #[test]
    fn a_reordering_is_kept_whole() {
        let old = guinea();
        let mut new = old.clone();
        new.actors.reverse();
        let delta = Delta::between(&old, &new);
        assert!(delta.whole.is_some());
        let mut replayed = old.clone();
        delta.replay(&mut replayed);
        assert_eq!(replayed, new);
    }
}
