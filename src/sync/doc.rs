//! The shared situation as an Automerge document, and how edits and colleagues' changes move
//! between it and the situation the app shows.
//!
//! Layout: the root map holds `schema`, `meta` (the situation's own fields and the share's
//! ceiling) and one list per kind of item (`actors`, `partners`, `lines`, `assignments`,
//! `events`), each item a map with the same fields as in the situation file. Items are written
//! one by one (an unchanged field writes nothing; a renamed id is written in place, so a
//! colleague's concurrent edit of that item survives), and two items added at once with one id
//! both stay: the checks report them as `id.duplicate`.
//!
//! **Discretion.** Items above the ceiling, and items that name one of them, never enter the
//! document: they stay in the officer's own copy of the situation, after the shared items of
//! their list. Automerge keeps history: an item's old values stay in the document after it is
//! deleted or made private; only a new document ([`SharedDoc::create`] from the current state)
//! forgets them.

use std::collections::{HashMap, HashSet};

use automerge::iter::{DocItem, DocObjItem};
use automerge::transaction::{CommitOptions, Transactable};
use automerge::{
    Automerge, ChangeHash, ObjId, ObjType, ROOT, ReadDoc, ScalarValue, ScalarValueRef, Value,
    ValueRef,
};
use autosurgeon::{Hydrate, Reconcile, hydrate_prop, reconcile_insert, reconcile_prop};
use serde::de::DeserializeOwned;

use crate::model::touched::Touched;
use crate::model::{
    Actor, Assignment, Event, ItemKind, ItemRef, LineOfEffort, PartialDate, Partner, Sensitivity,
    Situation,
};

/// Why the shared document could not be read or changed.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("the shared situation cannot be read: {0}")]
    Read(String),
    #[error("the shared situation cannot be changed: {0}")]
    Write(String),
}

fn read_error(err: impl std::fmt::Display) -> SyncError {
    SyncError::Read(err.to_string())
}

fn write_error(err: impl std::fmt::Display) -> SyncError {
    SyncError::Write(err.to_string())
}

/// The situation's own fields as the shared document holds them.
#[derive(Clone, Debug, PartialEq, Reconcile, Hydrate)]
struct Meta {
    title: String,
    countries: Vec<String>,
    region: String,
    summary: String,
    as_of: PartialDate,
    sensitivity: Sensitivity,
    lead_limit: u32,
    /// The most sensitive items the share may hold.
    ceiling: Sensitivity,
}

impl Meta {
    fn of(situation: &Situation, ceiling: Sensitivity) -> Self {
        Self {
            title: situation.title.clone(),
            countries: situation.countries.clone(),
            region: situation.region.clone(),
            summary: situation.summary.clone(),
            as_of: situation.as_of,
            sensitivity: situation.sensitivity,
            lead_limit: situation.lead_limit,
            ceiling,
        }
    }
}

/// The five lists of the document, in the order they are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum List {
    Actors,
    Partners,
    Lines,
    Assignments,
    Events,
}

impl List {
    const ALL: [List; 5] = [
        List::Actors,
        List::Partners,
        List::Lines,
        List::Assignments,
        List::Events,
    ];

    fn key(self) -> &'static str {
        match self {
            List::Actors => "actors",
            List::Partners => "partners",
            List::Lines => "lines",
            List::Assignments => "assignments",
            List::Events => "events",
        }
    }

    fn of(kind: ItemKind) -> List {
        match kind {
            ItemKind::Actor => List::Actors,
            ItemKind::Partner => List::Partners,
            ItemKind::Line => List::Lines,
            ItemKind::Event => List::Events,
        }
    }

    fn slot(self) -> usize {
        self as usize
    }

    fn item_kind(self) -> Option<ItemKind> {
        match self {
            List::Actors => Some(ItemKind::Actor),
            List::Partners => Some(ItemKind::Partner),
            List::Lines => Some(ItemKind::Line),
            List::Events => Some(ItemKind::Event),
            List::Assignments => None,
        }
    }
}

/// The key an assignment is found by: its line and partner.
fn cell_key(line: &str, partner: &str) -> String {
    format!("{line}\u{1f}{partner}")
}

/// What an object of the document is part of.
#[derive(Clone, Debug, PartialEq)]
enum Owner {
    /// An element of a list: its map (or an object inside it).
    Element(List, ObjId),
    /// The situation's own fields.
    Meta,
}

/// One entry of a document list: the item's key (id, or line and partner) and its map.
#[derive(Clone, Debug)]
struct Entry {
    key: String,
    obj: ObjId,
}

/// A field two officers changed at once: the value that lost, and who wrote it when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldConflict {
    /// The field's name in the situation file (`name`, `stance`, `notes`…).
    pub field: String,
    /// The other value, as text.
    pub other_value: String,
    /// The officer who wrote it, when the change says.
    pub by: Option<String>,
    /// When it was written, in milliseconds since 1970 (0 when unknown).
    pub at_ms: i64,
}

/// What a change's message says: the edit's label and the officer who made it.
#[derive(serde::Serialize, serde::Deserialize)]
struct ChangeNote {
    label: String,
    by: String,
}

/// The message stored with a change: its label and author, readable by any Automerge tool.
pub fn change_message(label: &str, author: &str) -> String {
    serde_json::to_string(&ChangeNote {
        label: label.to_owned(),
        by: author.to_owned(),
    })
    .unwrap_or_else(|_| label.to_owned())
}

/// The label and author of a change's message (a plain message is a label by nobody known).
pub fn read_message(message: &str) -> (String, Option<String>) {
    match serde_json::from_str::<ChangeNote>(message) {
        Ok(note) => (note.label, Some(note.by)),
        Err(_) => (message.to_owned(), None),
    }
}

/// What the shared document holds of the situation, and where: kept beside the Automerge
/// document (which samod owns) so that edits and colleagues' changes touch single items.
#[derive(Clone, Debug)]
pub struct SharedDoc {
    ceiling: Sensitivity,
    lists: [ObjId; 5],
    /// Each list's entries in the document's order.
    mirror: [Vec<Entry>; 5],
    /// Which element (or the situation's own map) each object of the document belongs to:
    /// the elements' maps and everything inside them (a note's text, a list of places). Lets
    /// a colleague's change be read from its operations (see `remote.rs`); an object missing
    /// here (made by this copy since) only means the change is read from a diff instead.
    owners: HashMap<ObjId, Owner>,
    /// Ids of the items kept out of the document (above the ceiling, or naming such an item).
    private: HashSet<String>,
}

impl SharedDoc {
    /// Writes `situation` into the empty document `doc` as its first change: every item at or
    /// below `ceiling` that names nothing above it.
    ///
    /// The whole tree is written at once (autosurgeon turns it into one batch of Automerge
    /// operations when the document is empty) instead of item by item: at scale 100 the
    /// item-by-item writes, each reading the document before writing, took 10–25 s.
    pub fn create(
        doc: &mut Automerge,
        situation: &Situation,
        ceiling: Sensitivity,
        author: &str,
        now_ms: i64,
    ) -> Result<SharedDoc, SyncError> {
        let private = private_ids(situation, ceiling);
        let message = change_message("share the situation", author);
        let whole = Whole::of(situation, ceiling, &private);
        doc.transact_with(
            |_| {
                CommitOptions::default()
                    .with_message(message)
                    .with_time(now_ms)
            },
            |tx| autosurgeon::reconcile(tx, &whole).map_err(write_error),
        )
        .map_err(|failure| failure.error)?;
        let mut shared = SharedDoc::open(doc)?;
        shared.private = private;
        Ok(shared)
    }

    /// The mapping of a document shared earlier (read from the local copy or the server).
    pub fn open(doc: &Automerge) -> Result<SharedDoc, SyncError> {
        let meta: Meta = hydrate_prop(doc, ROOT, "meta").map_err(read_error)?;
        let mut lists = Vec::new();
        for list in List::ALL {
            match doc.get(ROOT, list.key()).map_err(read_error)? {
                Some((Value::Object(ObjType::List), obj)) => lists.push(obj),
                _ => {
                    return Err(SyncError::Read(format!(
                        "it has no list of {}: it is not a Tandem situation",
                        list.key()
                    )));
                }
            }
        }
        let mut shared = SharedDoc {
            ceiling: meta.ceiling,
            lists: lists
                .try_into()
                .map_err(|_| read_error("five lists expected"))?,
            mirror: Default::default(),
            owners: HashMap::new(),
            private: HashSet::new(),
        };
        shared.read_mirror(doc);
        Ok(shared)
    }

    /// The share's ceiling: the most sensitive items it may hold.
    pub fn ceiling(&self) -> Sensitivity {
        self.ceiling
    }

    /// Ids of the items kept out of the document.
    pub fn private_ids(&self) -> &HashSet<String> {
        &self.private
    }

    /// The shared situation as the document holds it, with `private` items (the officer's own,
    /// above the ceiling) after the shared ones of each list.
    pub fn situation(
        &mut self,
        doc: &Automerge,
        private: Option<&Situation>,
    ) -> Result<Situation, SyncError> {
        let meta: Meta = hydrate_prop(doc, ROOT, "meta").map_err(read_error)?;
        let mut s = Situation::new(meta.title, meta.as_of);
        s.countries = meta.countries;
        s.region = meta.region;
        s.summary = meta.summary;
        s.sensitivity = meta.sensitivity;
        s.lead_limit = meta.lead_limit;
        s.actors = self.hydrate_list(doc, List::Actors)?;
        s.partners = self.hydrate_list(doc, List::Partners)?;
        s.lines = self.hydrate_list(doc, List::Lines)?;
        s.assignments = self.hydrate_list(doc, List::Assignments)?;
        s.events = self.hydrate_list(doc, List::Events)?;
        if let Some(own) = private {
            s.actors.extend(own.actors.iter().cloned());
            s.partners.extend(own.partners.iter().cloned());
            s.lines.extend(own.lines.iter().cloned());
            s.assignments.extend(own.assignments.iter().cloned());
            s.events.extend(own.events.iter().cloned());
        }
        self.private = private_ids(&s, self.ceiling);
        Ok(s)
    }

    /// The items of `situation` kept out of the document, as a situation of their own (for the
    /// officer's local copy).
    pub fn private_part(&self, situation: &Situation) -> Situation {
        let mut own = Situation::new(situation.title.clone(), situation.as_of);
        let shared = |list: List, key: &str| self.position(list, key).is_some();
        own.actors = (situation.actors.iter())
            .filter(|x| !shared(List::Actors, &x.id))
            .cloned()
            .collect();
        own.partners = (situation.partners.iter())
            .filter(|x| !shared(List::Partners, &x.id))
            .cloned()
            .collect();
        own.lines = (situation.lines.iter())
            .filter(|x| !shared(List::Lines, &x.id))
            .cloned()
            .collect();
        own.assignments = (situation.assignments.iter())
            .filter(|a| !shared(List::Assignments, &cell_key(&a.line, &a.partner)))
            .cloned()
            .collect();
        own.events = (situation.events.iter())
            .filter(|x| !shared(List::Events, &x.id))
            .cloned()
            .collect();
        own
    }

    /// The items of `list` as the document holds them.
    ///
    /// Read all at once: Automerge's own reading of the list (one seek per object) turned
    /// into the model's types by serde, as the situation file is read. Autosurgeon's reading
    /// seeks for every field of every item: 3.5 s of the 4.7 s an open took at scale 100. An
    /// element serde does not take (a value with no JSON form, a field it does not know,
    /// coordinates out of range) is read by autosurgeon, as a colleague's change is.
    fn hydrate_list<T: Hydrate + DeserializeOwned>(
        &self,
        doc: &Automerge,
        list: List,
    ) -> Result<Vec<T>, SyncError> {
        let obj = &self.lists[list.slot()];
        let items = match ReadDoc::hydrate(doc, obj, None).map_err(read_error)? {
            automerge::hydrate::Value::List(items) => items,
            _ => return Err(read_error(format!("{} is not a list", list.key()))),
        };
        (items.iter().enumerate())
            .map(|(i, item)| {
                let read = json_of(&item.value).and_then(|json| serde_json::from_value(json).ok());
                match read {
                    Some(value) => Ok(value),
                    None => hydrate_prop(doc, obj, i).map_err(read_error),
                }
            })
            .collect()
    }

    /// Reads every list's entries (keys and maps) and the index of which element each object
    /// belongs to, in one pass over the document: Automerge visits every object after the one
    /// holding it. (Reading each element and what is inside it with `get` and `values` seeks in
    /// the document for every field: 1.7 s at scale 100.)
    fn read_mirror(&mut self, doc: &Automerge) {
        let lists: HashMap<ObjId, List> = (List::ALL.into_iter())
            .map(|list| (self.lists[list.slot()].clone(), list))
            .collect();
        let mut elements: [Vec<ObjId>; 5] = Default::default();
        let mut fields: HashMap<ObjId, KeyFields> = HashMap::new();
        self.owners.clear();
        for DocObjItem { obj, item } in doc.iter() {
            let (field, value) = match &item {
                DocItem::Map(m) => (Some(m.key.as_ref()), &m.value),
                DocItem::List(l) => (None, &l.value),
                DocItem::Text(_) => continue,
            };
            let id = || match &item {
                DocItem::Map(m) => m.id(),
                DocItem::List(l) => l.id(),
                DocItem::Text(_) => ROOT,
            };
            let object = matches!(value, ValueRef::Object(_));
            if *obj == ROOT {
                if object && field == Some("meta") {
                    self.owners.insert(id(), Owner::Meta);
                }
            } else if let Some(&list) = lists.get(&obj) {
                if matches!(value, ValueRef::Object(ObjType::Map)) {
                    let element = id();
                    let owner = Owner::Element(list, element.clone());
                    self.owners.insert(element.clone(), owner);
                    elements[list.slot()].push(element);
                }
            } else if let Some(owner) = self.owners.get(&obj) {
                if object {
                    let owner = owner.clone();
                    self.owners.insert(id(), owner);
                } else if let (Some(field), ValueRef::Scalar(ScalarValueRef::Str(text))) =
                    (field, value)
                    && matches!(owner, Owner::Element(_, element) if *element == *obj)
                {
                    fields
                        .entry((*obj).clone())
                        .or_default()
                        .note(field, text.as_ref());
                }
            }
        }
        for list in List::ALL {
            self.mirror[list.slot()] = std::mem::take(&mut elements[list.slot()])
                .into_iter()
                .map(|obj| {
                    let key = fields.get(&obj).map(|f| f.key(list)).unwrap_or_default();
                    Entry { key, obj }
                })
                .collect();
        }
    }

    /// Notes an element's map and every object inside it as the element's.
    fn index_element(&mut self, doc: &Automerge, list: List, element: &ObjId) {
        let owner = Owner::Element(list, element.clone());
        self.index_inside(doc, element, &owner);
    }

    /// Notes the situation's own map and what is inside it.
    fn index_meta(&mut self, doc: &Automerge) {
        if let Ok(Some((Value::Object(_), meta))) = doc.get(ROOT, "meta") {
            self.index_inside(doc, &meta, &Owner::Meta);
        }
    }

    fn index_inside(&mut self, doc: &Automerge, obj: &ObjId, owner: &Owner) {
        let mut stack = vec![obj.clone()];
        while let Some(obj) = stack.pop() {
            for (value, child) in doc.values(&obj) {
                if let Value::Object(kind) = value {
                    if kind != ObjType::Text {
                        stack.push(child.clone());
                    }
                    self.owners.insert(child, owner.clone());
                }
            }
            self.owners.insert(obj, owner.clone());
        }
    }

    /// The local position of the document's entry `at`: with an id used twice (two officers
    /// adding one id at once), the n-th entry with a key is the n-th shareable local item with
    /// it, as [`SharedDoc::write_group`] pairs them.
    fn local_of(&self, situation: &Situation, list: List, at: usize) -> Option<usize> {
        let entries = &self.mirror[list.slot()];
        let key = &entries.get(at)?.key;
        let nth = entries[..at].iter().filter(|e| e.key == *key).count();
        self.shared_locals(situation, list, key).nth(nth)
    }

    /// The document position of the local item `i`, when it is in the document: the inverse
    /// of [`SharedDoc::local_of`]. (The first entry with its key is not enough: a new item
    /// put after the first of two twins lands between them, where the other officer's copy,
    /// reading it from the document, does not have it.)
    fn entry_of(&self, situation: &Situation, list: List, i: usize) -> Option<usize> {
        let key = local_key(situation, list, i)?;
        let mut shared = self.shared_locals(situation, list, &key);
        let nth = shared.position(|j| j == i)?;
        (self.mirror[list.slot()].iter().enumerate())
            .filter(|(_, e)| e.key == key)
            .nth(nth)
            .map(|(at, _)| at)
    }

    /// The local items of `list` with the key `key` that may enter the document, in order.
    fn shared_locals<'a>(
        &'a self,
        situation: &'a Situation,
        list: List,
        key: &'a str,
    ) -> impl Iterator<Item = usize> + 'a {
        let kind = list.item_kind();
        (0..local_count(situation, list)).filter(move |&i| {
            has_key(situation, list, i, key) && self.shareable(situation, kind, i)
        })
    }

    fn position(&self, list: List, key: &str) -> Option<usize> {
        self.mirror[list.slot()].iter().position(|e| e.key == key)
    }

    /// Writes what an applied edit touched into the document as one change, labelled and
    /// signed. Returns the new change's hash (`None` when nothing shared changed).
    pub fn write(
        &mut self,
        doc: &mut Automerge,
        situation: &Situation,
        touched: &Touched,
        label: &str,
        author: &str,
        now_ms: i64,
    ) -> Result<Option<ChangeHash>, SyncError> {
        if touched.is_empty() {
            return Ok(None);
        }
        let message = change_message(label, author);
        let outcome = doc
            .transact_with(
                |_| {
                    CommitOptions::default()
                        .with_message(message)
                        .with_time(now_ms)
                },
                |tx| self.write_in(tx, situation, touched),
            )
            .map_err(|failure| failure.error)?;
        Ok(outcome.hash)
    }

    /// Like [`SharedDoc::write`], but made on the document as it was at `heads`: the state
    /// this officer had seen when making the edit. Colleagues' changes that arrived since are
    /// concurrent with it, and Automerge merges the two (a field only one of them changed
    /// keeps that change; a field both changed keeps one value, the other shown as a
    /// conflict), instead of this edit writing back the item as it was before theirs.
    #[allow(clippy::too_many_arguments)]
    pub fn write_at(
        &mut self,
        doc: &mut Automerge,
        heads: &[ChangeHash],
        situation: &Situation,
        touched: &Touched,
        label: &str,
        author: &str,
        now_ms: i64,
    ) -> Result<Option<ChangeHash>, SyncError> {
        if touched.is_empty() || doc.get_heads() == heads {
            return self.write(doc, situation, touched, label, author, now_ms);
        }
        let options = CommitOptions::default()
            .with_message(change_message(label, author))
            .with_time(now_ms);
        let mut tx = doc
            .transaction_at(automerge::PatchLog::inactive(), heads)
            .map_err(write_error)?;
        match self.write_in(&mut tx, situation, touched) {
            Ok(()) => Ok(tx.commit_with(options).0),
            Err(err) => {
                tx.rollback();
                Err(err)
            }
        }
    }

    fn write_in(
        &mut self,
        tx: &mut automerge::transaction::Transaction<'_>,
        situation: &Situation,
        touched: &Touched,
    ) -> Result<(), SyncError> {
        if touched.all {
            return self.write_everything(tx, situation);
        }
        for (kind, old, new) in &touched.renames {
            self.rename(*kind, old, new);
        }
        let mut membership_changed = false;
        for item in &touched.items {
            membership_changed |= self.write_item(tx, situation, item)?;
        }
        for (line, partner) in &touched.cells {
            self.write_cell(tx, situation, line, partner)?;
        }
        if touched.meta {
            reconcile_prop(tx, ROOT, "meta", Meta::of(situation, self.ceiling))
                .map_err(write_error)?;
        }
        if membership_changed {
            // An item moved above or below the ceiling: what names it may move too.
            self.private = private_ids(situation, self.ceiling);
            self.sync_membership(tx, situation)?;
        }
        Ok(())
    }

    /// A rename is written in place: the entry keeps its map, whose `id` field changes.
    fn rename(&mut self, kind: ItemKind, old: &str, new: &str) {
        // The edit renamed the first local item with the id: a twin keeps it.
        if let Some(entry) = (self.mirror[List::of(kind).slot()].iter_mut()).find(|e| e.key == old)
        {
            entry.key = new.to_owned();
        }
        if matches!(kind, ItemKind::Line | ItemKind::Partner) {
            for entry in &mut self.mirror[List::Assignments.slot()] {
                let (line, partner) = entry.key.split_once('\u{1f}').unwrap_or_default();
                let line = if kind == ItemKind::Line && line == old {
                    new
                } else {
                    line
                };
                let partner = if kind == ItemKind::Partner && partner == old {
                    new
                } else {
                    partner
                };
                entry.key = cell_key(line, partner);
            }
        }
        if self.private.remove(old) {
            self.private.insert(new.to_owned());
        }
    }

    /// Writes, adds or removes one item. Returns whether it moved above or below the ceiling.
    fn write_item(
        &mut self,
        tx: &mut automerge::transaction::Transaction<'_>,
        situation: &Situation,
        item: &ItemRef,
    ) -> Result<bool, SyncError> {
        self.write_key(tx, situation, List::of(item.kind), &item.id)
    }

    fn write_cell(
        &mut self,
        tx: &mut automerge::transaction::Transaction<'_>,
        situation: &Situation,
        line: &str,
        partner: &str,
    ) -> Result<(), SyncError> {
        self.write_key(tx, situation, List::Assignments, &cell_key(line, partner))
            .map(|_| ())
    }

    /// Writes, adds or removes the items of `list` with one key (an id, or a cell's line and
    /// partner). Returns whether an item moved above or below the ceiling.
    fn write_key(
        &mut self,
        tx: &mut automerge::transaction::Transaction<'_>,
        situation: &Situation,
        list: List,
        key: &str,
    ) -> Result<bool, SyncError> {
        let locals: Vec<usize> = (0..local_count(situation, list))
            .filter(|&i| has_key(situation, list, i, key))
            .collect();
        self.write_group(tx, situation, list, key, &locals)
    }

    /// Writes the local items `locals` of `list`, all with the key `key`, into the document.
    ///
    /// Two officers adding one id at once leave twins, in the document and in each local copy,
    /// and one edit may change both (a rename rewrites the references in each): the n-th
    /// shareable local item goes over the n-th document entry with the key (as
    /// [`SharedDoc::local_of`] pairs them when reading), the document's extra entries are
    /// removed and the extra local items added. Writing the first twin only left the other
    /// unchanged in the document while the officer's copy had changed it.
    fn write_group(
        &mut self,
        tx: &mut automerge::transaction::Transaction<'_>,
        situation: &Situation,
        list: List,
        key: &str,
        locals: &[usize],
    ) -> Result<bool, SyncError> {
        let kind = list.item_kind();
        let wanted: Vec<usize> = (locals.iter().copied())
            .filter(|&i| self.shareable(situation, kind, i))
            .collect();
        let entries: Vec<usize> = (self.mirror[list.slot()].iter().enumerate())
            .filter(|(_, e)| e.key == key)
            .map(|(at, _)| at)
            .collect();
        for (&i, &at) in wanted.iter().zip(&entries) {
            self.put(tx, situation, list, i, at)?;
        }
        for &at in entries.iter().skip(wanted.len()).rev() {
            self.delete(tx, list, at)?;
        }
        for &i in wanted.iter().skip(entries.len()) {
            let at = self.insert_position(situation, list, i);
            self.insert(tx, situation, list, i, at)?;
        }
        if kind.is_none() || locals.is_empty() {
            return Ok(false);
        }
        let shared = !wanted.is_empty();
        let was_private = self.private.contains(key);
        if shared {
            self.private.remove(key);
        } else {
            self.private.insert(key.to_owned());
        }
        Ok(shared == was_private)
    }

    /// Whether the item at `i` of its list may enter the document.
    fn shareable(
        &self,
        situation: &Situation,
        kind: impl Into<Option<ItemKind>>,
        i: usize,
    ) -> bool {
        let private = |id: &String| self.private.contains(id);
        match kind.into() {
            Some(ItemKind::Actor) => situation
                .actors
                .get(i)
                .is_some_and(|x| x.sensitivity <= self.ceiling),
            Some(ItemKind::Partner) => situation
                .partners
                .get(i)
                .is_some_and(|x| x.sensitivity <= self.ceiling),
            Some(ItemKind::Line) => situation
                .lines
                .get(i)
                .is_some_and(|x| x.sensitivity <= self.ceiling && !x.actors.iter().any(private)),
            Some(ItemKind::Event) => situation.events.get(i).is_some_and(|e| {
                e.sensitivity <= self.ceiling
                    && !(e.actors.iter().any(private)
                        || e.partners.iter().any(private)
                        || e.lines.iter().any(private)
                        || e.answers.iter().any(private))
            }),
            None => situation.assignments.get(i).is_some_and(|a| {
                a.sensitivity <= self.ceiling && !private(&a.line) && !private(&a.partner)
            }),
        }
    }

    /// Where a new shared item goes in the document: after the shared item before it locally.
    fn insert_position(&self, situation: &Situation, list: List, i: usize) -> usize {
        (0..i)
            .rev()
            .find_map(|j| self.entry_of(situation, list, j))
            .map_or(0, |at| at + 1)
    }

    fn put(
        &mut self,
        tx: &mut automerge::transaction::Transaction<'_>,
        situation: &Situation,
        list: List,
        local: usize,
        at: usize,
    ) -> Result<(), SyncError> {
        let obj = self.lists[list.slot()].clone();
        reconcile_local(tx, &obj, situation, list, local, Slot::Put(at))
    }

    fn insert(
        &mut self,
        tx: &mut automerge::transaction::Transaction<'_>,
        situation: &Situation,
        list: List,
        local: usize,
        at: usize,
    ) -> Result<(), SyncError> {
        let obj = self.lists[list.slot()].clone();
        reconcile_local(tx, &obj, situation, list, local, Slot::Insert(at))?;
        if let Some(entry) = read_entry(tx, &obj, list, at)? {
            self.mirror[list.slot()].insert(at, entry);
        }
        Ok(())
    }

    fn delete(
        &mut self,
        tx: &mut automerge::transaction::Transaction<'_>,
        list: List,
        at: usize,
    ) -> Result<(), SyncError> {
        tx.delete(&self.lists[list.slot()], at)
            .map_err(write_error)?;
        self.mirror[list.slot()].remove(at);
        Ok(())
    }

    /// After the ceiling's reach changed: every item in or out of the document as it should be.
    fn sync_membership(
        &mut self,
        tx: &mut automerge::transaction::Transaction<'_>,
        situation: &Situation,
    ) -> Result<(), SyncError> {
        for list in List::ALL {
            for (key, locals) in local_groups(situation, list) {
                let kind = list.item_kind();
                let wanted = (locals.iter())
                    .filter(|&&i| self.shareable(situation, kind, i))
                    .count();
                let entries = (self.mirror[list.slot()].iter())
                    .filter(|e| e.key == key)
                    .count();
                if wanted != entries {
                    self.write_group(tx, situation, list, &key, &locals)?;
                }
            }
        }
        Ok(())
    }

    /// `touched.all`: the whole situation written again (an unchanged item writes nothing).
    fn write_everything(
        &mut self,
        tx: &mut automerge::transaction::Transaction<'_>,
        situation: &Situation,
    ) -> Result<(), SyncError> {
        reconcile_prop(tx, ROOT, "meta", Meta::of(situation, self.ceiling)).map_err(write_error)?;
        self.private = private_ids(situation, self.ceiling);
        for list in List::ALL {
            let groups = local_groups(situation, list);
            let keep: HashSet<&str> = groups.iter().map(|(key, _)| key.as_str()).collect();
            let mut at = self.mirror[list.slot()].len();
            while at > 0 {
                at -= 1;
                let gone = self.mirror[list.slot()]
                    .get(at)
                    .is_some_and(|e| !keep.contains(e.key.as_str()));
                if gone {
                    self.delete(tx, list, at)?;
                }
            }
            for (key, locals) in &groups {
                self.write_group(tx, situation, list, key, locals)?;
            }
        }
        Ok(())
    }
}

/// A value as Automerge read it, in the form serde reads: text as strings, lists as arrays,
/// maps as objects. `None` for what has no such form (bytes, counters, values of unknown
/// types, numbers that are not finite).
fn json_of(value: &automerge::hydrate::Value) -> Option<serde_json::Value> {
    use automerge::hydrate::Value as Read;
    use serde_json::Value as Json;
    Some(match value {
        Read::Scalar(scalar) => match scalar {
            ScalarValue::Str(text) => Json::String(text.to_string()),
            ScalarValue::Int(n) => Json::from(*n),
            ScalarValue::Uint(n) => Json::from(*n),
            ScalarValue::F64(x) => Json::Number(serde_json::Number::from_f64(*x)?),
            ScalarValue::Boolean(b) => Json::Bool(*b),
            ScalarValue::Null => Json::Null,
            _ => return None,
        },
        Read::Text(text) => Json::String(text.to_string()),
        Read::List(items) => Json::Array(
            (items.iter())
                .map(|item| json_of(&item.value))
                .collect::<Option<_>>()?,
        ),
        Read::Map(map) => Json::Object(
            (map.iter())
                .map(|(key, field)| Some((key.clone(), json_of(&field.value)?)))
                .collect::<Option<_>>()?,
        ),
    })
}

/// The fields an element's key is made of, as read from its map.
#[derive(Default)]
struct KeyFields {
    id: String,
    line: String,
    partner: String,
}

impl KeyFields {
    fn note(&mut self, field: &str, text: &str) {
        match field {
            "id" => self.id = text.to_owned(),
            "line" => self.line = text.to_owned(),
            "partner" => self.partner = text.to_owned(),
            _ => {}
        }
    }

    /// The key of an element of `list` (as [`read_entry`] makes it).
    fn key(&self, list: List) -> String {
        match list {
            List::Assignments => cell_key(&self.line, &self.partner),
            _ => self.id.clone(),
        }
    }
}

/// The whole shared document as one value: its schema, the situation's own fields and the
/// shareable items of each list, to be written at once into an empty document.
struct Whole<'a> {
    meta: Meta,
    actors: Vec<&'a Actor>,
    partners: Vec<&'a Partner>,
    lines: Vec<&'a LineOfEffort>,
    assignments: Vec<&'a Assignment>,
    events: Vec<&'a Event>,
}

impl<'a> Whole<'a> {
    /// Every item of `situation` at or below `ceiling` that is not in `private`.
    fn of(situation: &'a Situation, ceiling: Sensitivity, private: &HashSet<String>) -> Self {
        let probe = SharedDoc {
            ceiling,
            lists: std::array::from_fn(|_| ROOT),
            mirror: Default::default(),
            owners: HashMap::new(),
            private: private.clone(),
        };
        let probe = &probe;
        let keep = |list: List| move |i| probe.shareable(situation, list.item_kind(), i);
        fn kept<T>(items: &[T], keep: impl Fn(usize) -> bool) -> Vec<&T> {
            (items.iter().enumerate())
                .filter(|(i, _)| keep(*i))
                .map(|(_, x)| x)
                .collect()
        }
        Whole {
            meta: Meta::of(situation, ceiling),
            actors: kept(&situation.actors, keep(List::Actors)),
            partners: kept(&situation.partners, keep(List::Partners)),
            lines: kept(&situation.lines, keep(List::Lines)),
            assignments: kept(&situation.assignments, keep(List::Assignments)),
            events: kept(&situation.events, keep(List::Events)),
        }
    }
}

impl Reconcile for Whole<'_> {
    type Key<'k> = autosurgeon::reconcile::NoKey;

    fn reconcile<R: autosurgeon::Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
        use autosurgeon::reconcile::MapReconciler;
        let mut map = reconciler.map()?;
        map.put("schema", u64::from(crate::model::SCHEMA_VERSION))?;
        map.put("meta", &self.meta)?;
        map.put(List::Actors.key(), &self.actors)?;
        map.put(List::Partners.key(), &self.partners)?;
        map.put(List::Lines.key(), &self.lines)?;
        map.put(List::Assignments.key(), &self.assignments)?;
        map.put(List::Events.key(), &self.events)?;
        Ok(())
    }
}

/// The ids of the items that must stay out of a share with `ceiling`: those above it, and,
/// until nothing more is added, those that name one of them.
pub fn private_ids(situation: &Situation, ceiling: Sensitivity) -> HashSet<String> {
    let above = |s: Sensitivity| s > ceiling;
    let mut private: HashSet<String> = HashSet::new();
    private.extend(
        (situation.actors.iter())
            .filter(|x| above(x.sensitivity))
            .map(|x| x.id.clone()),
    );
    private.extend(
        (situation.partners.iter())
            .filter(|x| above(x.sensitivity))
            .map(|x| x.id.clone()),
    );
    loop {
        let before = private.len();
        let names =
            |list: &[String], private: &HashSet<String>| list.iter().any(|x| private.contains(x));
        for line in &situation.lines {
            if above(line.sensitivity) || names(&line.actors, &private) {
                private.insert(line.id.clone());
            }
        }
        for e in &situation.events {
            if above(e.sensitivity)
                || names(&e.actors, &private)
                || names(&e.partners, &private)
                || names(&e.lines, &private)
                || names(&e.answers, &private)
            {
                private.insert(e.id.clone());
            }
        }
        if private.len() == before {
            return private;
        }
    }
}

fn local_count(situation: &Situation, list: List) -> usize {
    match list {
        List::Actors => situation.actors.len(),
        List::Partners => situation.partners.len(),
        List::Lines => situation.lines.len(),
        List::Assignments => situation.assignments.len(),
        List::Events => situation.events.len(),
    }
}

fn local_key(situation: &Situation, list: List, i: usize) -> Option<String> {
    match list {
        List::Actors => situation.actors.get(i).map(|x| x.id.clone()),
        List::Partners => situation.partners.get(i).map(|x| x.id.clone()),
        List::Lines => situation.lines.get(i).map(|x| x.id.clone()),
        List::Assignments => situation
            .assignments
            .get(i)
            .map(|a| cell_key(&a.line, &a.partner)),
        List::Events => situation.events.get(i).map(|x| x.id.clone()),
    }
}

/// Whether the local item at `i` of `list` has the key `key`: [`local_key`] without making the
/// key (these run over every item of a list for each edit and each colleague's change; making
/// 20,000 strings each time cost about a millisecond at scale 100).
fn has_key(situation: &Situation, list: List, i: usize, key: &str) -> bool {
    match list {
        List::Actors => situation.actors.get(i).is_some_and(|x| x.id == key),
        List::Partners => situation.partners.get(i).is_some_and(|x| x.id == key),
        List::Lines => situation.lines.get(i).is_some_and(|x| x.id == key),
        List::Assignments => situation.assignments.get(i).is_some_and(|a| {
            (key.strip_prefix(a.line.as_str()))
                .and_then(|rest| rest.strip_prefix('\u{1f}'))
                .is_some_and(|partner| partner == a.partner)
        }),
        List::Events => situation.events.get(i).is_some_and(|x| x.id == key),
    }
}

/// The local items of `list` grouped by key, in the order each key first appears.
fn local_groups(situation: &Situation, list: List) -> Vec<(String, Vec<usize>)> {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for i in 0..local_count(situation, list) {
        let Some(key) = local_key(situation, list, i) else {
            continue;
        };
        match index.get(&key) {
            Some(&g) => groups[g].1.push(i),
            None => {
                index.insert(key.clone(), groups.len());
                groups.push((key, vec![i]));
            }
        }
    }
    groups
}

/// Where a reconcile writes: over the element at an index, or a new one inserted there.
#[derive(Clone, Copy)]
enum Slot {
    Put(usize),
    Insert(usize),
}

fn reconcile_at<R: Reconcile>(
    tx: &mut automerge::transaction::Transaction<'_>,
    obj: &ObjId,
    slot: Slot,
    value: &R,
) -> Result<(), SyncError> {
    match slot {
        Slot::Put(at) => reconcile_prop(tx, obj, at, value),
        Slot::Insert(at) => reconcile_insert(tx, obj.clone(), at, value),
    }
    .map_err(write_error)
}

/// Writes the local item at `i` of `list` into the document list `obj`.
fn reconcile_local(
    tx: &mut automerge::transaction::Transaction<'_>,
    obj: &ObjId,
    situation: &Situation,
    list: List,
    i: usize,
    slot: Slot,
) -> Result<(), SyncError> {
    let missing = || write_error("the item is no longer there");
    match list {
        List::Actors => reconcile_at(tx, obj, slot, situation.actors.get(i).ok_or_else(missing)?),
        List::Partners => reconcile_at(
            tx,
            obj,
            slot,
            situation.partners.get(i).ok_or_else(missing)?,
        ),
        List::Lines => reconcile_at(tx, obj, slot, situation.lines.get(i).ok_or_else(missing)?),
        List::Assignments => reconcile_at(
            tx,
            obj,
            slot,
            situation.assignments.get(i).ok_or_else(missing)?,
        ),
        List::Events => reconcile_at(tx, obj, slot, situation.events.get(i).ok_or_else(missing)?),
    }
}

/// Reads the key of the element at `i` of a document list.
fn read_entry<D: ReadDoc>(
    doc: &D,
    list_obj: &ObjId,
    list: List,
    i: usize,
) -> Result<Option<Entry>, SyncError> {
    let Some((Value::Object(ObjType::Map), obj)) = doc.get(list_obj, i).map_err(read_error)? else {
        return Ok(None);
    };
    let text = |field: &str| -> Result<String, SyncError> {
        match doc.get(&obj, field).map_err(read_error)? {
            Some((Value::Scalar(s), _)) => Ok(s.as_str().unwrap_or_default().to_owned()),
            _ => Ok(String::new()),
        }
    };
    let key = match list {
        List::Assignments => cell_key(&text("line")?, &text("partner")?),
        _ => text("id")?,
    };
    Ok(Some(Entry { key, obj }))
}

mod items_per_change;
mod remote;

pub use items_per_change::ItemsPerChange;

#[cfg(test)]
mod tests {
    use super::*;

    fn shared(situation: &Situation) -> (Automerge, SharedDoc) {
        let mut doc = Automerge::new();
        let ceiling = Sensitivity::StrictlyConfidential;
        let shared = SharedDoc::create(&mut doc, situation, ceiling, "test", 0).expect("shared");
        (doc, shared)
    }

    /// What autosurgeon reads, item by item (as a colleague's change is read).
    fn one_by_one<T: Hydrate>(doc: &Automerge, shared: &SharedDoc, list: List) -> Vec<T> {
        let obj = &shared.lists[list.slot()];
        (0..doc.length(obj))
            .map(|i| hydrate_prop(doc, obj, i).expect("read"))
            .collect()
    }

    #[test]
    fn has_key_says_what_local_key_makes() {
        let situation = crate::generate::generate(1, 7);
        for list in List::ALL {
            for i in 0..local_count(&situation, list).min(50) {
                let key = local_key(&situation, list, i).expect("a key");
                assert!(has_key(&situation, list, i, &key));
                assert!(!has_key(&situation, list, i, &format!("{key}x")));
                assert!(!has_key(&situation, list, i, &key[..key.len() - 1]));
            }
        }
    }

    #[test]
    fn every_list_read_at_once_is_what_autosurgeon_reads_item_by_item() {
        let situation = crate::generate::generate(1, 7);
        let (doc, shared) = shared(&situation);
        let events: Vec<Event> = shared.hydrate_list(&doc, List::Events).expect("read");
        assert!(events.iter().any(|e| e.place.is_some()), "places read");
        assert_eq!(events, one_by_one::<Event>(&doc, &shared, List::Events));
        assert_eq!(events, situation.events);
        let actors: Vec<Actor> = shared.hydrate_list(&doc, List::Actors).expect("read");
        assert_eq!(actors, one_by_one::<Actor>(&doc, &shared, List::Actors));
        let partners: Vec<Partner> = shared.hydrate_list(&doc, List::Partners).expect("read");
        assert_eq!(
            partners,
            one_by_one::<Partner>(&doc, &shared, List::Partners)
        );
        let lines: Vec<LineOfEffort> = shared.hydrate_list(&doc, List::Lines).expect("read");
        assert_eq!(
            lines,
            one_by_one::<LineOfEffort>(&doc, &shared, List::Lines)
        );
        let cells: Vec<Assignment> = shared.hydrate_list(&doc, List::Assignments).expect("read");
        assert_eq!(
            cells,
            one_by_one::<Assignment>(&doc, &shared, List::Assignments)
        );
    }

    #[test]
    fn an_item_serde_refuses_is_read_as_autosurgeon_reads_it() {
        let situation = crate::generate::generate(1, 7);
        let at = (situation.events.iter())
            .position(|e| e.place.as_ref().is_some_and(|p| p.coordinates.is_some()))
            .expect("an event with coordinates");
        let (mut doc, shared) = shared(&situation);
        let event = doc
            .get(&shared.lists[List::Events.slot()], at)
            .expect("read")
            .expect("the event")
            .1;
        let place = doc.get(&event, "place").expect("read").expect("a place").1;
        let coordinates = (doc.get(&place, "coordinates").expect("read"))
            .expect("coordinates")
            .1;
        let mut tx = doc.transaction();
        // Out of range: the situation file's reader refuses it, autosurgeon does not.
        tx.put(&coordinates, "lat", 100.0).expect("written");
        tx.commit();
        let json = json_of(&ReadDoc::hydrate(&doc, &event, None).expect("read"));
        let refused = serde_json::from_value::<Event>(json.expect("a JSON form"));
        assert!(refused.is_err(), "serde refuses the coordinates");
        let events: Vec<Event> = shared.hydrate_list(&doc, List::Events).expect("read");
        let place = events[at].place.as_ref().expect("a place");
        let read = place.coordinates.expect("coordinates");
        assert_eq!(read.lat, 100.0);
        assert_eq!(events, one_by_one::<Event>(&doc, &shared, List::Events));
    }
}
