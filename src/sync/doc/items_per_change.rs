//! Which items each change of the shared document touched, read from the change's own
//! operations: what "this item's history" lists for a shared situation.
//!
//! An operation's object leads to the list element it is inside (an item, or a matrix cell)
//! through its parents in the document; an operation on one of the five lists itself adds,
//! replaces or removes an element. An element is named by its item as the document holds it
//! now: a renamed id is written in place, so every change to the item, before and after the
//! rename, names it by its current id. A removed element is named by its last values (its map
//! keeps them after it leaves the list). A matrix cell names its line and its partner, as a
//! local change's delta does.
//!
//! **Bounded.** A change with no dependencies (the one that shared the situation, or made a
//! clean shared copy) wrote everything: it touches every item, and is not decoded (300,000
//! operations at scale 100). Every other change is decoded once: [`ItemsPerChange::update`]
//! reads only the changes that arrived since it last ran.

use std::collections::HashMap;

use automerge::legacy::{ElementId, Key, ObjectId, OpId, OpType};
use automerge::{Automerge, ChangeHash, ObjId, Prop, ROOT, ReadDoc};

use super::List;
use crate::io::history::TouchedItems;
use crate::model::{ItemKind, ItemRef};

/// What one change touched.
#[derive(Clone, Debug, PartialEq)]
enum Touch {
    /// The whole situation (the change that shared it).
    Everything,
    /// These elements of the lists (the situation's own fields touch no item).
    Elements(Vec<Element>),
}

/// An element of one of the five lists: an item, or a matrix cell.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Element {
    list: List,
    obj: ObjId,
}

/// Where an object of the document is.
#[derive(Clone, Debug, PartialEq)]
enum Place {
    /// One of the five lists itself.
    List(List),
    /// Inside an element of a list (its map, or an object in it).
    In(Element),
    /// Elsewhere: the root, the situation's own fields.
    Elsewhere,
}

/// The items each change of a shared document touched, kept up to date change by change.
#[derive(Debug, Default)]
pub struct ItemsPerChange {
    /// The heads read up to.
    heads: Vec<ChangeHash>,
    changes: HashMap<ChangeHash, Touch>,
    /// Where each object met in a change is.
    places: HashMap<ObjId, Place>,
    /// The items each element names, read when a change last touched it.
    names: HashMap<Element, Vec<ItemRef>>,
}

impl ItemsPerChange {
    /// Reads the changes of `doc` that arrived since the last call (all of them the first
    /// time; again from the start when `doc` is another document).
    pub fn update(&mut self, doc: &Automerge) {
        let heads = doc.get_heads();
        if heads == self.heads {
            return;
        }
        if (self.heads.iter()).any(|h| doc.get_change_meta_by_hash(h).is_none()) {
            *self = Self::default();
        }
        let mut known = self.heads.clone();
        for meta in doc.get_changes_meta(&self.heads) {
            if meta.deps.is_empty() {
                self.changes.insert(meta.hash, Touch::Everything);
                known.push(meta.hash);
            }
        }
        for change in doc.get_changes(&known) {
            let elements = self.elements_of(doc, &change);
            for element in &elements {
                let names = element_items(doc, element);
                self.names.insert(element.clone(), names);
            }
            self.changes
                .insert(change.hash(), Touch::Elements(elements));
        }
        self.heads = heads;
    }

    /// The items the change `hash` touched: [`TouchedItems::Unknown`] for a change not read.
    pub fn items_of(&self, hash: &ChangeHash) -> TouchedItems {
        match self.changes.get(hash) {
            None => TouchedItems::Unknown,
            Some(Touch::Everything) => TouchedItems::All,
            Some(Touch::Elements(elements)) => {
                let mut items: Vec<ItemRef> = Vec::new();
                for item in elements.iter().flat_map(|e| self.names.get(e)).flatten() {
                    if !items.contains(item) {
                        items.push(item.clone());
                    }
                }
                TouchedItems::Only(items)
            }
        }
    }

    /// The elements a change's operations wrote in, added or removed, in the order met.
    fn elements_of(&mut self, doc: &Automerge, change: &automerge::Change) -> Vec<Element> {
        let decoded = change.decode();
        let start = decoded.start_op.get();
        let mut elements: Vec<Element> = Vec::new();
        for (op, counter) in decoded.operations.iter().zip(start..) {
            let ObjectId::Id(obj) = &op.obj else {
                continue;
            };
            let element = match self.place_of(doc, obj_id(obj)) {
                Place::In(element) => Some(element),
                Place::List(list) => listed_element(op, list, &OpId(counter, obj.1.clone())),
                Place::Elsewhere => None,
            };
            if let Some(element) = element
                && !elements.contains(&element)
            {
                elements.push(element);
            }
        }
        elements
    }

    /// Where the object `obj` is, from its parents in the document (noted for the next time).
    fn place_of(&mut self, doc: &Automerge, obj: ObjId) -> Place {
        if let Some(place) = self.places.get(&obj) {
            return place.clone();
        }
        let place = match doc.parents(&obj) {
            Ok(parents) => place_on(&parents.path(), &obj),
            Err(_) => Place::Elsewhere,
        };
        self.places.insert(obj, place.clone());
        place
    }
}

/// The document's id of a change's object (equal and hashed by counter and actor only: the
/// actor's index does not matter, and Automerge finds the actor by its id).
fn obj_id(id: &OpId) -> ObjId {
    ObjId::Id(id.0, id.1.clone(), 0)
}

/// Where an object is, from its path from the root (`[("actors"), (index), ("notes")…]`).
fn place_on(path: &[(ObjId, Prop)], obj: &ObjId) -> Place {
    let Some((root, Prop::Map(key))) = path.first() else {
        return Place::Elsewhere;
    };
    let Some(list) = List::ALL.into_iter().find(|l| l.key() == key) else {
        return Place::Elsewhere;
    };
    if *root != ROOT {
        return Place::Elsewhere;
    }
    let element = match path.get(2) {
        None if path.len() == 1 => return Place::List(list),
        None => obj.clone(),
        Some((inside, _)) => inside.clone(),
    };
    Place::In(Element { list, obj: element })
}

/// The element an operation on a list itself adds (its id is the operation's), replaces or
/// removes (the element it names).
fn listed_element(op: &automerge::legacy::Op, list: List, id: &OpId) -> Option<Element> {
    let obj = match (&op.action, &op.key) {
        (OpType::Make(_), _) => obj_id(id),
        (_, Key::Seq(ElementId::Id(element))) => obj_id(element),
        _ => return None,
    };
    Some(Element { list, obj })
}

/// The items an element names, as the document holds it now (a removed one: as it was last).
fn element_items(doc: &Automerge, element: &Element) -> Vec<ItemRef> {
    let text = |field: &str| match doc.get(&element.obj, field) {
        Ok(Some((automerge::Value::Scalar(value), _))) => value.as_str().map(str::to_owned),
        _ => None,
    };
    let named = |kind: ItemKind, field: &str| text(field).map(|id| ItemRef::new(kind, id));
    match element.list.item_kind() {
        Some(kind) => named(kind, "id").into_iter().collect(),
        None => [
            named(ItemKind::Line, "line"),
            named(ItemKind::Partner, "partner"),
        ]
        .into_iter()
        .flatten()
        .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::edit::{self, Edit};
    use crate::model::{Item, Role, Sensitivity, Situation};
    use crate::sync::SharedDoc;

    /// One officer with a copy of the shared document (as `tests/shared_doc.rs` has them).
    struct Officer {
        name: &'static str,
        doc: Automerge,
        shared: SharedDoc,
        situation: Situation,
        seen: Vec<ChangeHash>,
    }

    impl Officer {
        /// An officer whose situation is the document as it is now.
        fn at_heads(
            name: &'static str,
            doc: Automerge,
            shared: SharedDoc,
            situation: Situation,
        ) -> Officer {
            let seen = doc.get_heads();
            Officer {
                name,
                doc,
                shared,
                situation,
                seen,
            }
        }

        fn share(name: &'static str) -> Officer {
            let situation = crate::samples::guinea();
            let mut doc = Automerge::new();
            let ceiling = Sensitivity::StrictlyConfidential;
            let shared =
                SharedDoc::create(&mut doc, &situation, ceiling, name, 1_000).expect("shared");
            Officer::at_heads(name, doc, shared, situation)
        }

        fn join(name: &'static str, from: &Officer) -> Officer {
            let doc = Automerge::load(&from.doc.save()).expect("loads");
            let mut shared = SharedDoc::open(&doc).expect("opens");
            let situation = shared.situation(&doc, None).expect("reads");
            Officer::at_heads(name, doc, shared, situation)
        }

        /// Applies `edit` and writes it into the document; returns its change.
        fn edit(&mut self, edit: Edit) -> ChangeHash {
            let label = edit.describe(&self.situation);
            let mut touched = edit.touched();
            edit::apply(&mut self.situation, edit).expect("applies");
            touched.add_referencing(&self.situation);
            let (doc, seen) = (&mut self.doc, &self.seen);
            let written = (self.shared)
                .write_at(
                    doc,
                    seen,
                    &self.situation,
                    &touched,
                    &label,
                    self.name,
                    2_000,
                )
                .expect("written")
                .expect("a change");
            self.seen = vec![written];
            written
        }

        fn receive(&mut self, other: &Officer) {
            let mut theirs = other.doc.clone();
            self.doc.merge(&mut theirs).expect("merged");
            (self.shared)
                .take_remote(&self.doc, &self.seen, &mut self.situation)
                .expect("read in");
            self.seen = self.doc.get_heads();
        }

        fn actor_noted(&self, id: &str, notes: &str) -> Edit {
            let mut actor = self.situation.actor(id).expect("an actor").clone();
            actor.notes = notes.into();
            Edit::Replace {
                item: Item::Actor(actor),
            }
        }
    }

    fn only(items: &[(ItemKind, &str)]) -> TouchedItems {
        TouchedItems::Only(
            (items.iter())
                .map(|(k, id)| ItemRef::new(*k, *id))
                .collect(),
        )
    }

    fn sorted(items: TouchedItems) -> TouchedItems {
        match items {
            TouchedItems::Only(mut items) => {
                items.sort_by(|a, b| (a.kind.label(), &a.id).cmp(&(b.kind.label(), &b.id)));
                TouchedItems::Only(items)
            }
            other => other,
        }
    }

    #[test]
    fn each_change_touches_exactly_its_items_and_a_renamed_item_keeps_its_history() {
        let mut amina = Officer::share("Amina");
        let mut kofi = Officer::join("Kofi", &amina);
        let noted = amina.edit(amina.actor_noted("neighbours", "Watching the border"));
        let mut items = ItemsPerChange::default();
        items.update(&amina.doc);
        let actor = |id| (ItemKind::Actor, id);
        assert_eq!(items.items_of(&noted), only(&[actor("neighbours")]));
        kofi.receive(&amina);
        let renamed = kofi.edit(Edit::RenameId {
            kind: ItemKind::Actor,
            old: "neighbours".into(),
            new: "sub-region".into(),
        });
        let mut cell = (kofi.situation.assignment("loe-mediation", "ecowas"))
            .expect("a cell")
            .clone();
        cell.role = Role::Joint;
        let cell_set = kofi.edit(Edit::SetAssignment {
            line: "loe-mediation".into(),
            partner: "ecowas".into(),
            assignment: Some(cell),
            index: None,
        });
        let other = amina.edit(amina.actor_noted("ceni", "Counting"));
        let line = ItemRef::new(ItemKind::Line, "loe-civil-society");
        let deleted = amina.edit(edit::delete(&amina.situation, &line).expect("deletes"));
        amina.receive(&kofi);
        let after = amina.edit(amina.actor_noted("sub-region", "Watching again"));
        let (added, _) = crate::model::create::new_item_edit(&amina.situation, ItemKind::Actor)
            .expect("a new actor");
        let added = amina.edit(added);
        let mut meta = edit::SituationMeta::of(&amina.situation);
        meta.summary = "Seen again".into();
        let details = amina.edit(Edit::SetMeta(Box::new(meta)));

        items.update(&amina.doc);
        assert_eq!(
            items.items_of(&noted),
            only(&[actor("sub-region")]),
            "named by the id it has now"
        );
        assert_eq!(items.items_of(&renamed), only(&[actor("sub-region")]));
        assert_eq!(items.items_of(&after), only(&[actor("sub-region")]));
        assert_eq!(items.items_of(&other), only(&[actor("ceni")]));
        assert_eq!(
            items.items_of(&cell_set),
            only(&[
                (ItemKind::Line, "loe-mediation"),
                (ItemKind::Partner, "ecowas")
            ])
        );
        assert_eq!(
            sorted(items.items_of(&deleted)),
            only(&[
                (ItemKind::Line, "loe-civil-society"),
                (ItemKind::Partner, "observer-networks"),
                (ItemKind::Partner, "un-country-team"),
            ]),
            "a removed line, and its cells, named as they were"
        );
        let new_actor = (amina.situation.actors.last()).map(|a| a.id.clone());
        let new_actor = new_actor.expect("the new actor");
        assert_eq!(items.items_of(&added), only(&[actor(&new_actor)]));
        assert_eq!(
            items.items_of(&details),
            only(&[]),
            "the situation's own fields"
        );
        let first = amina.doc.get_changes_meta(&[]).first().map(|c| c.hash);
        let first = first.expect("the share");
        assert_eq!(items.items_of(&first), TouchedItems::All);

        let mut at_once = ItemsPerChange::default();
        at_once.update(&amina.doc);
        for change in amina.doc.get_changes_meta(&[]) {
            let hash = change.hash;
            assert_eq!(
                items.items_of(&hash),
                at_once.items_of(&hash),
                "read as it came"
            );
        }
        let another = Officer::share("Ana");
        items.update(&another.doc);
        assert_eq!(
            items.items_of(&noted),
            TouchedItems::Unknown,
            "another document"
        );
    }
}
