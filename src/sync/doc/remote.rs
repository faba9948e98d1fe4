//! The other direction: colleagues' changes read from the shared document into the situation
//! the app shows, item by item, and the fields two officers changed at once.

use automerge::{PatchAction, Prop};

use super::*;

/// The most colleagues' changes read operation by operation; with more, one diff of the
/// document costs less than decoding them all.
const FEW_CHANGES: usize = 32;

/// What a few colleagues' changes edited: elements of the lists, and the situation's fields.
#[derive(Default)]
struct Edited {
    elements: Vec<(List, ObjId)>,
    meta: bool,
}

impl SharedDoc {
    /// Takes in colleagues' changes: the document went from `before` to its current heads.
    /// Each item they touched is read again and put in `situation` (an item added after the
    /// one before it, a removed one taken out); returns what changed, for the checks.
    ///
    /// A few changes that only edit existing items are read from their operations (the
    /// elements they wrote in, found from each operation's object); anything else — items added
    /// or removed, many changes at once — from a diff of the document, which walks all of it.
    pub fn take_remote(
        &mut self,
        doc: &Automerge,
        before: &[ChangeHash],
        situation: &mut Situation,
    ) -> Result<Touched, SyncError> {
        let mut touched = Touched::default();
        let changed = match self.edited_elements(doc, before) {
            Some(Edited { elements, meta }) => {
                touched.meta = meta;
                elements
            }
            None => self.diff_elements(doc, before, situation, &mut touched)?,
        };
        for (list, obj) in changed {
            self.refresh(doc, list, &obj, situation, &mut touched)?;
        }
        if touched.meta {
            self.index_meta(doc);
            let meta: Meta = hydrate_prop(doc, ROOT, "meta").map_err(read_error)?;
            situation.title = meta.title;
            situation.countries = meta.countries;
            situation.region = meta.region;
            situation.summary = meta.summary;
            situation.as_of = meta.as_of;
            situation.sensitivity = meta.sensitivity;
            situation.lead_limit = meta.lead_limit;
        }
        Ok(touched)
    }

    /// The elements colleagues' changes since `before` wrote in, from the changes' operations,
    /// when those changes are few and only edit existing items or the situation's own fields.
    /// `None` otherwise: an operation on a list itself (an item added, moved or removed) or on
    /// the root, or on an object this copy does not know the element of.
    fn edited_elements(&self, doc: &Automerge, before: &[ChangeHash]) -> Option<Edited> {
        let changes = doc.get_changes(before);
        if changes.len() > FEW_CHANGES {
            return None;
        }
        let mut edited = Edited::default();
        for change in &changes {
            for op in change.decode().operations {
                let automerge::legacy::ObjectId::Id(id) = op.obj else {
                    return None;
                };
                // Equal and hashed by counter and actor only: the index does not matter here.
                let obj = ObjId::Id(id.0, id.1, 0);
                match self.owners.get(&obj)? {
                    Owner::Meta => edited.meta = true,
                    Owner::Element(list, element) => {
                        let entry = (*list, element.clone());
                        if !edited.elements.contains(&entry) {
                            edited.elements.push(entry);
                        }
                    }
                }
            }
        }
        Some(edited)
    }

    /// The diff of the document from `before` to now: lists spliced into `situation` at once,
    /// and the elements whose fields changed returned.
    fn diff_elements(
        &mut self,
        doc: &Automerge,
        before: &[ChangeHash],
        situation: &mut Situation,
        touched: &mut Touched,
    ) -> Result<Vec<(List, ObjId)>, SyncError> {
        let after = doc.get_heads();
        let mut changed: Vec<(List, ObjId)> = Vec::new();
        for patch in doc.diff(before, &after) {
            let Some((_, Prop::Map(top))) = patch.path.first() else {
                match &patch.action {
                    PatchAction::PutMap { key, .. } if key == "meta" => touched.meta = true,
                    _ => {}
                }
                continue;
            };
            let Some(list) = List::ALL.into_iter().find(|l| l.key() == top.as_str()) else {
                touched.meta |= top == "meta";
                continue;
            };
            if patch.path.len() == 1 {
                self.splice(doc, list, &patch.action, situation, touched)?;
            } else if let Some((_, obj)) = element_of(&patch, doc) {
                changed.push((list, obj));
            }
        }
        Ok(changed)
    }

    /// A list gained or lost elements.
    fn splice(
        &mut self,
        doc: &Automerge,
        list: List,
        action: &PatchAction,
        situation: &mut Situation,
        touched: &mut Touched,
    ) -> Result<(), SyncError> {
        match action {
            PatchAction::Insert { index, values } => {
                for (offset, (_, obj, _)) in values.iter().enumerate() {
                    let at = index + offset;
                    let local_at = at
                        .checked_sub(1)
                        .and_then(|b| self.local_of(situation, list, b))
                        .map_or(0, |i| i + 1);
                    let key = insert_local(doc, obj, list, local_at, situation)?;
                    note(touched, list, &key);
                    self.index_element(doc, list, obj);
                    let entry = Entry {
                        key,
                        obj: obj.clone(),
                    };
                    let slot = &mut self.mirror[list.slot()];
                    slot.insert(at.min(slot.len()), entry);
                }
            }
            PatchAction::DeleteSeq { index, length } => {
                for _ in 0..*length {
                    if *index >= self.mirror[list.slot()].len() {
                        break;
                    }
                    if let Some(i) = self.local_of(situation, list, *index) {
                        remove_local(situation, list, i);
                    }
                    let entry = self.mirror[list.slot()].remove(*index);
                    note(touched, list, &entry.key);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// An element's fields changed: read it again and replace the local item.
    fn refresh(
        &mut self,
        doc: &Automerge,
        list: List,
        obj: &ObjId,
        situation: &mut Situation,
        touched: &mut Touched,
    ) -> Result<(), SyncError> {
        let Some(at) = self.mirror[list.slot()].iter().position(|e| e.obj == *obj) else {
            return Ok(());
        };
        let old_key = self.mirror[list.slot()][at].key.clone();
        let Some(local) = self.local_of(situation, list, at) else {
            return Ok(());
        };
        let new_key = replace_local(doc, obj, list, local, situation)?;
        note(touched, list, &old_key);
        if new_key != old_key {
            note(touched, list, &new_key);
            if let Some(kind) = list.item_kind() {
                touched.renames.push((kind, old_key, new_key.clone()));
            }
        }
        self.mirror[list.slot()][at].key = new_key;
        self.index_element(doc, list, obj);
        Ok(())
    }

    /// The fields of an item that two officers changed at once, with the value that lost.
    pub fn conflicts(&self, doc: &Automerge, item: &ItemRef) -> Vec<FieldConflict> {
        let list = List::of(item.kind);
        let Some(at) = self.position(list, &item.id) else {
            return Vec::new();
        };
        let obj = &self.mirror[list.slot()][at].obj;
        let mut out = Vec::new();
        for field in doc.keys(obj) {
            let Ok(values) = doc.get_all(obj, field.as_str()) else {
                continue;
            };
            if values.len() < 2 {
                continue;
            }
            // The last value is the one Automerge shows; the others lost.
            for (value, id) in values.iter().take(values.len() - 1) {
                let (by, at_ms) = author_of(doc, id);
                out.push(FieldConflict {
                    field: field.clone(),
                    other_value: value_text(doc, value, id),
                    by,
                    at_ms,
                });
            }
        }
        out
    }
}

fn remove_local(situation: &mut Situation, list: List, i: usize) {
    match list {
        List::Actors => drop(situation.actors.remove(i)),
        List::Partners => drop(situation.partners.remove(i)),
        List::Lines => drop(situation.lines.remove(i)),
        List::Assignments => drop(situation.assignments.remove(i)),
        List::Events => drop(situation.events.remove(i)),
    }
}

/// Reads the document element `obj` and inserts it at `at` in the local list; returns its key.
fn insert_local(
    doc: &Automerge,
    obj: &ObjId,
    list: List,
    at: usize,
    situation: &mut Situation,
) -> Result<String, SyncError> {
    fn put<T: Hydrate>(
        doc: &Automerge,
        obj: &ObjId,
        to: &mut Vec<T>,
        at: usize,
    ) -> Result<(), SyncError> {
        let value = T::hydrate_map(doc, obj).map_err(read_error)?;
        to.insert(at.min(to.len()), value);
        Ok(())
    }
    match list {
        List::Actors => put::<Actor>(doc, obj, &mut situation.actors, at)?,
        List::Partners => put::<Partner>(doc, obj, &mut situation.partners, at)?,
        List::Lines => put::<LineOfEffort>(doc, obj, &mut situation.lines, at)?,
        List::Assignments => put::<Assignment>(doc, obj, &mut situation.assignments, at)?,
        List::Events => put::<Event>(doc, obj, &mut situation.events, at)?,
    }
    Ok(local_key(
        situation,
        list,
        at.min(local_count(situation, list).saturating_sub(1)),
    )
    .unwrap_or_default())
}

/// Reads the document element `obj` over the local item at `at`; returns its (new) key.
fn replace_local(
    doc: &Automerge,
    obj: &ObjId,
    list: List,
    at: usize,
    situation: &mut Situation,
) -> Result<String, SyncError> {
    fn put<T: Hydrate>(
        doc: &Automerge,
        obj: &ObjId,
        to: &mut [T],
        at: usize,
    ) -> Result<(), SyncError> {
        let value = T::hydrate_map(doc, obj).map_err(read_error)?;
        if let Some(slot) = to.get_mut(at) {
            *slot = value;
        }
        Ok(())
    }
    match list {
        List::Actors => put::<Actor>(doc, obj, &mut situation.actors, at)?,
        List::Partners => put::<Partner>(doc, obj, &mut situation.partners, at)?,
        List::Lines => put::<LineOfEffort>(doc, obj, &mut situation.lines, at)?,
        List::Assignments => put::<Assignment>(doc, obj, &mut situation.assignments, at)?,
        List::Events => put::<Event>(doc, obj, &mut situation.events, at)?,
    }
    Ok(local_key(situation, list, at).unwrap_or_default())
}

/// The element of a root list a patch changes something inside: (its index, its map).
fn element_of(patch: &automerge::Patch, doc: &Automerge) -> Option<(usize, ObjId)> {
    let (list_obj, Prop::Seq(index)) = patch.path.get(1)? else {
        return None;
    };
    let element = match patch.path.get(2) {
        Some((obj, _)) => obj.clone(),
        None => patch.obj.clone(),
    };
    let _ = (doc, list_obj);
    Some((*index, element))
}

fn note(touched: &mut Touched, list: List, key: &str) {
    match list.item_kind() {
        Some(kind) => touched.add_item(ItemRef::new(kind, key)),
        None => {
            let (line, partner) = key.split_once('\u{1f}').unwrap_or((key, ""));
            touched.add_cell(line, partner);
        }
    }
}

/// The officer and time of the change that wrote the operation `id` (found by the operation,
/// not by reading every change: this runs while the item is drawn).
fn author_of(doc: &Automerge, id: &ObjId) -> (Option<String>, i64) {
    let change = doc
        .hash_for_opid(id)
        .and_then(|hash| doc.get_change_meta_by_hash(&hash));
    match change {
        Some(c) => {
            let by = c.message.as_deref().and_then(|m| read_message(m).1);
            (by, c.timestamp)
        }
        None => (None, 0),
    }
}

/// A value as the detail pane shows it: text as is, a list or map as its contents.
fn value_text(doc: &Automerge, value: &Value<'_>, id: &ObjId) -> String {
    match value {
        Value::Scalar(s) => match s.as_str() {
            Some(text) => text.to_owned(),
            None => s.to_string(),
        },
        Value::Object(ObjType::Text) => doc.text(id).unwrap_or_default(),
        Value::Object(_) => {
            let items: Vec<String> = doc
                .values(id)
                .map(|(value, _)| match value {
                    Value::Scalar(s) => s.as_str().map_or_else(|| s.to_string(), str::to_owned),
                    Value::Object(_) => "…".to_owned(),
                })
                .collect();
            items.join(", ")
        }
    }
}
