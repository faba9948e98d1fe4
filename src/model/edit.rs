//! Every change to a situation is an [`Edit`]: applying one returns its inverse.

use std::collections::HashSet;

use super::{Assignment, Item, ItemKind, ItemRef, PartialDate, Sensitivity, Situation, ids};

/// The situation's own fields, edited as one unit.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SituationMeta {
    pub title: String,
    pub countries: Vec<String>,
    pub region: String,
    pub summary: String,
    pub as_of: PartialDate,
    pub sensitivity: Sensitivity,
    pub lead_limit: u32,
}

impl SituationMeta {
    /// The situation's current fields.
    pub fn of(situation: &Situation) -> Self {
        Self {
            title: situation.title.clone(),
            countries: situation.countries.clone(),
            region: situation.region.clone(),
            summary: situation.summary.clone(),
            as_of: situation.as_of,
            sensitivity: situation.sensitivity,
            lead_limit: situation.lead_limit,
        }
    }

    /// Writes these fields into `situation`.
    pub(crate) fn store(self, situation: &mut Situation) {
        let Self {
            title,
            countries,
            region,
            summary,
            as_of,
            sensitivity,
            lead_limit,
        } = self;
        situation.title = title;
        situation.countries = countries;
        situation.region = region;
        situation.summary = summary;
        situation.as_of = as_of;
        situation.sensitivity = sensitivity;
        situation.lead_limit = lead_limit;
    }
}

/// One change to a situation. [`apply`] performs it and returns the edit that undoes it.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Insert an item at a position in its list (clamped to the list's end).
    Insert { index: usize, item: Item },
    /// Remove an item. References to it are left alone: see [`delete`].
    Remove { item: ItemRef },
    /// Replace the item that has the same kind and id.
    Replace { item: Item },
    /// Change an item's id and every reference to it.
    RenameId {
        kind: ItemKind,
        old: String,
        new: String,
    },
    /// Set, change or clear the assignment of a partner to a line of effort.
    /// `index` places a new assignment in the list (appended when `None`).
    SetAssignment {
        line: String,
        partner: String,
        assignment: Option<Assignment>,
        index: Option<usize>,
    },
    /// Change the situation's own fields.
    SetMeta(Box<SituationMeta>),
    /// Several edits as one step, applied in order.
    Batch { label: String, edits: Vec<Edit> },
}

/// Why an edit could not be applied. The situation is left unchanged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("there is no {} with id \"{}\"", .0.kind.label(), .0.id)]
    NotFound(ItemRef),
    #[error("the id \"{0}\" is already used")]
    DuplicateId(String),
    #[error("\"{0}\" is not a valid id: use letters, digits and hyphens, no spaces")]
    InvalidId(String),
    #[error("the id \"{0}\" is already named by a reference; pick another")]
    IdReferenced(String),
    #[error("the assignment's line and partner do not match the cell it was set on")]
    AssignmentMismatch,
}

impl Edit {
    /// The id renames this edit makes, in order, as (kind, old, new): a selection follows them.
    pub fn renames(&self) -> Vec<(ItemKind, &str, &str)> {
        match self {
            Edit::RenameId { kind, old, new } => vec![(*kind, old.as_str(), new.as_str())],
            Edit::Batch { edits, .. } => edits.iter().flat_map(Edit::renames).collect(),
            _ => Vec::new(),
        }
    }

    /// A short description for the Undo and Redo menu items and the status line, in the
    /// words of `situation` as it is before the edit: names and titles, not ids.
    pub fn describe(&self, situation: &Situation) -> String {
        let name = |kind: ItemKind, id: &str| match kind {
            ItemKind::Partner => situation
                .partners
                .iter()
                .find(|p| p.id == id)
                .map_or_else(|| id.to_owned(), |p| p.short_name().to_owned()),
            _ => situation
                .item_name(kind, id)
                .map_or_else(|| id.to_owned(), |n| format!("“{n}”")),
        };
        match self {
            Edit::Insert { item, .. } => format!("add {} “{}”", item.kind().label(), item.name()),
            Edit::Remove { item } => {
                format!("remove {} {}", item.kind.label(), name(item.kind, &item.id))
            }
            Edit::Replace { item } => format!("edit {} “{}”", item.kind().label(), item.name()),
            Edit::RenameId { kind, old, new } => {
                format!("change the id of {} from {old} to {new}", name(*kind, old))
            }
            Edit::SetAssignment {
                line,
                partner,
                assignment,
                ..
            } => {
                let (partner, line) =
                    (name(ItemKind::Partner, partner), name(ItemKind::Line, line));
                match assignment {
                    Some(a) => format!("set {partner} as {} on {line}", a.role.describe()),
                    None => format!("clear {partner} on {line}"),
                }
            }
            Edit::SetMeta(_) => "edit situation details".into(),
            Edit::Batch { label, .. } => label.clone(),
        }
    }

    /// What the edit changes in place, when it changes one thing only: two edits with the same
    /// target during one gesture make one undo step (see [`super::history::History`]).
    pub fn target(&self) -> Option<EditTarget> {
        match self {
            Edit::Replace { item } => Some(EditTarget::Item(ItemRef::new(item.kind(), item.id()))),
            Edit::SetAssignment { line, partner, .. } => Some(EditTarget::Cell {
                line: line.clone(),
                partner: partner.clone(),
            }),
            Edit::SetMeta(_) => Some(EditTarget::Meta),
            _ => None,
        }
    }
}

/// The one thing an edit changes in place: see [`Edit::target`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum EditTarget {
    Item(ItemRef),
    Cell { line: String, partner: String },
    Meta,
}

fn position(situation: &Situation, kind: ItemKind, id: &str) -> Option<usize> {
    match kind {
        ItemKind::Actor => situation.actors.iter().position(|x| x.id == id),
        ItemKind::Partner => situation.partners.iter().position(|x| x.id == id),
        ItemKind::Line => situation.lines.iter().position(|x| x.id == id),
        ItemKind::Event => situation.events.iter().position(|x| x.id == id),
    }
}

/// Applies `edit` and returns the edit that undoes it; on error nothing changed.
pub fn apply(situation: &mut Situation, edit: Edit) -> Result<Edit, EditError> {
    match edit {
        Edit::Insert { index, item } => insert(situation, index, item),
        Edit::Remove { item } => remove(situation, item),
        Edit::Replace { item } => replace(situation, item),
        Edit::RenameId { kind, old, new } => rename_id(situation, kind, old, new),
        Edit::SetAssignment {
            line,
            partner,
            assignment,
            index,
        } => set_assignment(situation, line, partner, assignment, index),
        Edit::SetMeta(meta) => {
            let old = SituationMeta::of(situation);
            meta.store(situation);
            Ok(Edit::SetMeta(Box::new(old)))
        }
        Edit::Batch { label, edits } => batch(situation, label, edits),
    }
}

/// [`Edit::Insert`]: the item goes at `index` in its list (or at the end).
fn insert(situation: &mut Situation, index: usize, item: Item) -> Result<Edit, EditError> {
    let id = item.id().to_owned();
    if !ids::is_valid_id(&id) {
        return Err(EditError::InvalidId(id));
    }
    if situation.has_id(&id) {
        return Err(EditError::DuplicateId(id));
    }
    Ok(insert_unchecked(situation, index, item))
}

/// [`insert`] once the id is known to be valid and free.
fn insert_unchecked(situation: &mut Situation, index: usize, item: Item) -> Edit {
    let id = item.id().to_owned();
    let kind = item.kind();
    match item {
        Item::Actor(x) => situation
            .actors
            .insert(index.min(situation.actors.len()), x),
        Item::Partner(x) => situation
            .partners
            .insert(index.min(situation.partners.len()), x),
        Item::Line(x) => situation.lines.insert(index.min(situation.lines.len()), x),
        Item::Event(x) => situation
            .events
            .insert(index.min(situation.events.len()), x),
    }
    Edit::Remove {
        item: ItemRef::new(kind, id),
    }
}

/// [`Edit::Remove`]: undone by inserting the item back where it was.
fn remove(situation: &mut Situation, item: ItemRef) -> Result<Edit, EditError> {
    let Some(index) = position(situation, item.kind, &item.id) else {
        return Err(EditError::NotFound(item));
    };
    let removed = match item.kind {
        ItemKind::Actor => Item::Actor(situation.actors.remove(index)),
        ItemKind::Partner => Item::Partner(situation.partners.remove(index)),
        ItemKind::Line => Item::Line(situation.lines.remove(index)),
        ItemKind::Event => Item::Event(situation.events.remove(index)),
    };
    Ok(Edit::Insert {
        index,
        item: removed,
    })
}

/// [`Edit::Replace`]: undone by putting the old item back.
fn replace(situation: &mut Situation, item: Item) -> Result<Edit, EditError> {
    let target = ItemRef::new(item.kind(), item.id());
    let Some(index) = position(situation, target.kind, &target.id) else {
        return Err(EditError::NotFound(target));
    };
    let old = match item {
        Item::Actor(x) => situation
            .actors
            .get_mut(index)
            .map(|slot| Item::Actor(std::mem::replace(slot, x))),
        Item::Partner(x) => situation
            .partners
            .get_mut(index)
            .map(|slot| Item::Partner(std::mem::replace(slot, x))),
        Item::Line(x) => situation
            .lines
            .get_mut(index)
            .map(|slot| Item::Line(std::mem::replace(slot, x))),
        Item::Event(x) => situation
            .events
            .get_mut(index)
            .map(|slot| Item::Event(std::mem::replace(slot, x))),
    };
    old.map(|item| Edit::Replace { item })
        .ok_or(EditError::NotFound(target))
}

/// [`Edit::RenameId`]: the item and every reference to it take the new id.
fn rename_id(
    situation: &mut Situation,
    kind: ItemKind,
    old: String,
    new: String,
) -> Result<Edit, EditError> {
    if old == new {
        return Ok(Edit::RenameId { kind, old, new });
    }
    if !ids::is_valid_id(&new) {
        return Err(EditError::InvalidId(new));
    }
    if situation.has_id(&new) {
        return Err(EditError::DuplicateId(new));
    }
    if ids::is_referenced_anywhere(situation, &new) {
        return Err(EditError::IdReferenced(new));
    }
    let Some(index) = position(situation, kind, &old) else {
        return Err(EditError::NotFound(ItemRef::new(kind, old)));
    };
    let slot = match kind {
        ItemKind::Actor => situation.actors.get_mut(index).map(|x| &mut x.id),
        ItemKind::Partner => situation.partners.get_mut(index).map(|x| &mut x.id),
        ItemKind::Line => situation.lines.get_mut(index).map(|x| &mut x.id),
        ItemKind::Event => situation.events.get_mut(index).map(|x| &mut x.id),
    };
    if let Some(slot) = slot {
        *slot = new.clone();
    }
    ids::rename_references(situation, kind, &old, &new);
    Ok(Edit::RenameId {
        kind,
        old: new,
        new: old,
    })
}

/// [`Edit::SetAssignment`]: sets, changes or clears one cell; undone by the cell's old value
/// (a cleared assignment goes back to its old place in the list).
fn set_assignment(
    situation: &mut Situation,
    line: String,
    partner: String,
    assignment: Option<Assignment>,
    index: Option<usize>,
) -> Result<Edit, EditError> {
    if let Some(a) = &assignment
        && (a.line != line || a.partner != partner)
    {
        return Err(EditError::AssignmentMismatch);
    }
    let existing = situation
        .assignments
        .iter()
        .position(|a| a.line == line && a.partner == partner);
    let (previous, previous_index) = match (existing, assignment) {
        (Some(i), Some(new)) => match situation.assignments.get_mut(i) {
            Some(slot) => (Some(std::mem::replace(slot, new)), None),
            None => (None, None),
        },
        (Some(i), None) => (Some(situation.assignments.remove(i)), Some(i)),
        (None, Some(new)) => {
            let at = index.unwrap_or(situation.assignments.len());
            situation
                .assignments
                .insert(at.min(situation.assignments.len()), new);
            (None, None)
        }
        (None, None) => (None, None),
    };
    Ok(Edit::SetAssignment {
        line,
        partner,
        assignment: previous,
        index: previous_index,
    })
}

/// [`Edit::Batch`]: all or nothing; when one edit fails, those before it are undone.
fn batch(situation: &mut Situation, label: String, edits: Vec<Edit>) -> Result<Edit, EditError> {
    let mut inverses = Vec::with_capacity(edits.len());
    // A large batch (an import, or its undo) would scan every list once per insert or removal:
    // the ids are kept in a set instead, and removals look at the end of the list first, where
    // the items an import appended are.
    let inserts = edits
        .iter()
        .filter(|e| matches!(e, Edit::Insert { .. }))
        .count();
    let mut known: Option<HashSet<String>> = (inserts > 64).then(|| all_ids(situation));
    let cells_set = edits
        .iter()
        .filter(|e| matches!(e, Edit::SetAssignment { .. }))
        .count();
    let mut cells: Option<HashSet<(String, String)>> = (cells_set > 64).then(|| {
        situation
            .assignments
            .iter()
            .map(|a| (a.line.clone(), a.partner.clone()))
            .collect()
    });
    for edit in edits {
        let keeps_ids = matches!(
            edit,
            Edit::Insert { .. }
                | Edit::Replace { .. }
                | Edit::SetAssignment { .. }
                | Edit::SetMeta(_)
        );
        let keeps_cells = matches!(edit, Edit::SetAssignment { .. })
            || (keeps_ids && !matches!(edit, Edit::Replace { .. }));
        let result = match (edit, known.as_mut()) {
            (Edit::Insert { index, item }, Some(ids)) => insert_known(situation, index, item, ids),
            (Edit::Remove { item }, _) => remove_from_end(situation, item),
            (
                Edit::SetAssignment {
                    line,
                    partner,
                    assignment,
                    index,
                },
                _,
            ) => set_assignment_fast(situation, line, partner, assignment, index, cells.as_mut()),
            (edit, _) => apply(situation, edit),
        };
        if !keeps_ids {
            known = None;
        }
        if !keeps_cells {
            cells = None;
        }
        match result {
            Ok(inverse) => inverses.push(inverse),
            Err(err) => {
                for inverse in inverses.into_iter().rev() {
                    let _ = apply(situation, inverse);
                }
                return Err(err);
            }
        }
    }
    inverses.reverse();
    Ok(Edit::Batch {
        label,
        edits: inverses,
    })
}

fn all_ids(situation: &Situation) -> HashSet<String> {
    let actors = situation.actors.iter().map(|x| &x.id);
    let partners = situation.partners.iter().map(|x| &x.id);
    let lines = situation.lines.iter().map(|x| &x.id);
    let events = situation.events.iter().map(|x| &x.id);
    actors
        .chain(partners)
        .chain(lines)
        .chain(events)
        .cloned()
        .collect()
}

/// [`set_assignment`] for a large batch: a new cell (not in `cells`, the situation's cells kept
/// up to date) is appended at once, and a cell cleared is looked for at the end of the list
/// first (where an undone import put it).
fn set_assignment_fast(
    situation: &mut Situation,
    line: String,
    partner: String,
    assignment: Option<Assignment>,
    index: Option<usize>,
    cells: Option<&mut HashSet<(String, String)>>,
) -> Result<Edit, EditError> {
    let at_end = situation
        .assignments
        .last()
        .is_some_and(|a| a.line == line && a.partner == partner);
    match (assignment, cells) {
        (Some(new), Some(cells))
            if index.is_none()
                && new.line == line
                && new.partner == partner
                && !cells.contains(&(line.clone(), partner.clone())) =>
        {
            situation.assignments.push(new);
            cells.insert((line.clone(), partner.clone()));
            Ok(Edit::SetAssignment {
                line,
                partner,
                assignment: None,
                index: None,
            })
        }
        (None, cells) if at_end => {
            let removed = situation.assignments.pop();
            if let Some(cells) = cells {
                cells.remove(&(line.clone(), partner.clone()));
            }
            Ok(Edit::SetAssignment {
                line,
                partner,
                assignment: removed,
                index: Some(situation.assignments.len()),
            })
        }
        (assignment, cells) => {
            let key = (line.clone(), partner.clone());
            let sets = assignment.is_some();
            let inverse = set_assignment(situation, line, partner, assignment, index)?;
            if let Some(cells) = cells {
                if sets {
                    cells.insert(key);
                } else {
                    cells.remove(&key);
                }
            }
            Ok(inverse)
        }
    }
}

/// [`insert`] with the situation's ids already in `known` (kept up to date).
fn insert_known(
    situation: &mut Situation,
    index: usize,
    item: Item,
    known: &mut HashSet<String>,
) -> Result<Edit, EditError> {
    let id = item.id().to_owned();
    if !ids::is_valid_id(&id) {
        return Err(EditError::InvalidId(id));
    }
    if known.contains(&id) {
        return Err(EditError::DuplicateId(id));
    }
    let inverse = insert_unchecked(situation, index, item);
    known.insert(id);
    Ok(inverse)
}

/// [`remove`], looking first at the last item of the list (where an undone insert put it).
fn remove_from_end(situation: &mut Situation, item: ItemRef) -> Result<Edit, EditError> {
    let last = match item.kind {
        ItemKind::Actor => situation.actors.last().map(|x| &x.id),
        ItemKind::Partner => situation.partners.last().map(|x| &x.id),
        ItemKind::Line => situation.lines.last().map(|x| &x.id),
        ItemKind::Event => situation.events.last().map(|x| &x.id),
    };
    if last != Some(&item.id) {
        return remove(situation, item);
    }
    let removed = match item.kind {
        ItemKind::Actor => situation.actors.pop().map(Item::Actor),
        ItemKind::Partner => situation.partners.pop().map(Item::Partner),
        ItemKind::Line => situation.lines.pop().map(Item::Line),
        ItemKind::Event => situation.events.pop().map(Item::Event),
    };
    let index = match item.kind {
        ItemKind::Actor => situation.actors.len(),
        ItemKind::Partner => situation.partners.len(),
        ItemKind::Line => situation.lines.len(),
        ItemKind::Event => situation.events.len(),
    };
    removed
        .map(|item| Edit::Insert { index, item })
        .ok_or(EditError::NotFound(item))
}

/// A new item keeps the id made from its placeholder name ("new-event") only until it is
/// named: the edit that first changes the placeholder name also renames the id after the new
/// name (and every reference to it), in the same undo step. An id the user changed by hand,
/// or an item already named, is left alone.
pub fn name_new_item(situation: &Situation, edit: Edit) -> Edit {
    let Edit::Replace { item } = &edit else {
        return edit;
    };
    let kind = item.kind();
    let id = item.id();
    let current_name = situation.item_name(kind, id);
    let placeholder = kind.placeholder_name();
    let placeholder_id = ids::slug(placeholder, kind.id_fallback());
    let id_is_placeholder = id == placeholder_id
        || id
            .strip_prefix(placeholder_id.as_str())
            .and_then(|rest| rest.strip_prefix('-'))
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    if current_name != Some(placeholder) || !id_is_placeholder || item.name() == placeholder {
        return edit;
    }
    let new_id = ids::fresh_id(situation, item.name(), kind.id_fallback());
    if new_id == id {
        return edit;
    }
    let rename = Edit::RenameId {
        kind,
        old: id.to_owned(),
        new: new_id,
    };
    Edit::Batch {
        label: edit.describe(situation),
        edits: vec![edit, rename],
    }
}

/// The edit that deletes `target` and, in the same step, every reference to it:
/// assignments to a deleted partner or line go, events stop naming it.
pub fn delete(situation: &Situation, target: &ItemRef) -> Result<Edit, EditError> {
    if position(situation, target.kind, &target.id).is_none() {
        return Err(EditError::NotFound(target.clone()));
    }
    let id = target.id.as_str();
    let mut edits = Vec::new();
    let prune = |list: &[String]| {
        list.iter()
            .filter(|x| x.as_str() != id)
            .cloned()
            .collect::<Vec<_>>()
    };
    match target.kind {
        ItemKind::Actor => {
            for line in situation
                .lines
                .iter()
                .filter(|l| l.actors.iter().any(|a| a == id))
            {
                let mut line = line.clone();
                line.actors = prune(&line.actors);
                edits.push(Edit::Replace {
                    item: Item::Line(line),
                });
            }
        }
        ItemKind::Partner | ItemKind::Line => {
            for a in situation.assignments.iter().filter(|a| {
                (target.kind == ItemKind::Partner && a.partner == id)
                    || (target.kind == ItemKind::Line && a.line == id)
            }) {
                edits.push(Edit::SetAssignment {
                    line: a.line.clone(),
                    partner: a.partner.clone(),
                    assignment: None,
                    index: None,
                });
            }
        }
        ItemKind::Event => {}
    }
    for event in &situation.events {
        let names = match target.kind {
            ItemKind::Actor => event.actors.iter().any(|x| x == id),
            ItemKind::Partner => event.partners.iter().any(|x| x == id),
            ItemKind::Line => event.lines.iter().any(|x| x == id),
            ItemKind::Event => event.answers.iter().any(|x| x == id),
        };
        if names && event.id != id {
            let mut event = event.clone();
            match target.kind {
                ItemKind::Actor => event.actors = prune(&event.actors),
                ItemKind::Partner => event.partners = prune(&event.partners),
                ItemKind::Line => event.lines = prune(&event.lines),
                ItemKind::Event => event.answers = prune(&event.answers),
            }
            edits.push(Edit::Replace {
                item: Item::Event(event),
            });
        }
    }
    edits.push(Edit::Remove {
        item: target.clone(),
    });
    Ok(Edit::Batch {
        label: format!(
            "delete {} “{}”",
            target.kind.label(),
            situation.item_name(target.kind, id).unwrap_or(id)
        ),
        edits,
    })
}

/// A copy of the item with a fresh id and " (copy)" after its name, inserted after it.
pub fn duplicate(situation: &Situation, target: &ItemRef) -> Result<Edit, EditError> {
    let Some(index) = position(situation, target.kind, &target.id) else {
        return Err(EditError::NotFound(target.clone()));
    };
    let copy_id = ids::fresh_id(situation, &format!("{} copy", target.id), "copy");
    let item = match target.kind {
        ItemKind::Actor => situation.actors.get(index).cloned().map(|mut x| {
            x.id = copy_id;
            x.name = format!("{} (copy)", x.name);
            Item::Actor(x)
        }),
        ItemKind::Partner => situation.partners.get(index).cloned().map(|mut x| {
            x.id = copy_id;
            x.name = format!("{} (copy)", x.name);
            Item::Partner(x)
        }),
        ItemKind::Line => situation.lines.get(index).cloned().map(|mut x| {
            x.id = copy_id;
            x.title = format!("{} (copy)", x.title);
            Item::Line(x)
        }),
        ItemKind::Event => situation.events.get(index).cloned().map(|mut x| {
            x.id = copy_id;
            x.title = format!("{} (copy)", x.title);
            Item::Event(x)
        }),
    };
    item.map(|item| Edit::Insert {
        index: index + 1,
        item,
    })
    .ok_or(EditError::NotFound(target.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Actor, ActorKind, Event, EventKind, Influence, Instrument, Stance};

    fn situation() -> Situation {
        Situation::new(
            "t",
            PartialDate::day(2010, 1, 1).unwrap_or_else(|| unreachable!()),
        )
    }

    fn actor(id: &str, name: &str) -> Actor {
        Actor {
            id: id.into(),
            name: name.into(),
            kind: ActorKind::Other,
            stance: Stance::Unknown,
            influence: Influence::Medium,
            interests: String::new(),
            notes: String::new(),
            sensitivity: Sensitivity::Unclassified,
            place: None,
            aliases: Vec::new(),
        }
    }

    fn renamed(situation: &Situation, id: &str, name: &str) -> Edit {
        name_new_item(
            situation,
            Edit::Replace {
                item: Item::Actor(actor(id, name)),
            },
        )
    }

    #[test]
    fn the_first_name_of_a_new_item_gives_it_its_id_in_one_step() {
        let mut s = situation();
        s.actors.push(actor("new-actor", "New actor"));
        s.actors.push(actor("new-actor-2", "New actor"));
        s.events.push(Event {
            id: "e1".into(),
            title: "Talks".into(),
            kind: EventKind::DiplomaticAction,
            date: s.as_of,
            end: None,
            actors: vec!["new-actor-2".into()],
            partners: Vec::new(),
            lines: Vec::new(),
            answers: Vec::new(),
            source: String::new(),
            notes: String::new(),
            sensitivity: Sensitivity::Unclassified,
            fatalities: None,
            place: None,
            description: String::new(),
        });
        let before = s.clone();
        let edit = renamed(&s, "new-actor-2", "Forces vives de Guinée");
        assert_eq!(
            edit.renames(),
            vec![(ItemKind::Actor, "new-actor-2", "forces-vives-de-guinee")]
        );
        let inverse = apply(&mut s, edit).unwrap_or_else(|e| panic!("{e}"));
        let named = s.actor("forces-vives-de-guinee").map(|a| a.name.as_str());
        assert_eq!(named, Some("Forces vives de Guinée"));
        assert_eq!(s.events[0].actors, vec!["forces-vives-de-guinee"]);
        apply(&mut s, inverse).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s, before, "one undo step brings both back");
    }

    #[test]
    fn a_named_item_or_a_hand_made_id_keeps_its_id() {
        let mut s = situation();
        s.actors.push(actor("new-actor", "CNDD junta"));
        s.actors.push(actor("junta", "New actor"));
        s.actors.push(actor("new-actor-x", "New actor"));
        for id in ["new-actor", "junta", "new-actor-x"] {
            assert!(renamed(&s, id, "Another name").renames().is_empty(), "{id}");
        }
        s.actors.push(actor("new-actor-3", "New actor"));
        assert!(
            renamed(&s, "new-actor-3", "New actor").renames().is_empty(),
            "an edit that keeps the placeholder name renames nothing"
        );
    }

    /// A large batch takes the fast paths (ids and cells in sets, removals from the end): it
    /// must give what the plain path gives, undo to the start, and stay all or nothing.
    #[test]
    fn a_large_batch_applies_undoes_and_fails_whole() {
        use crate::model::{Assignment, LineOfEffort, Role};
        let mut start = situation();
        start.actors.push(actor("keep", "Kept"));
        let mut edits: Vec<Edit> = (0..200)
            .map(|i| Edit::Insert {
                index: usize::MAX,
                item: Item::Line(LineOfEffort::new(
                    format!("l{i}"),
                    "Line",
                    Instrument::Other,
                )),
            })
            .collect();
        edits.extend((0..200).map(|i| Edit::SetAssignment {
            line: format!("l{i}"),
            partner: "keep".into(),
            assignment: Some(Assignment::new(format!("l{i}"), "keep", Role::Lead)),
            index: None,
        }));
        edits.push(Edit::SetAssignment {
            line: "l0".into(),
            partner: "keep".into(),
            assignment: Some(Assignment::new("l0", "keep", Role::Support)),
            index: None,
        });
        let mut after = start.clone();
        let undo = apply(
            &mut after,
            Edit::Batch {
                label: "big".into(),
                edits: edits.clone(),
            },
        )
        .unwrap();
        assert_eq!(after.lines.len(), 200);
        assert_eq!(
            after.assignments.len(),
            200,
            "the second setting of l0 replaced the first"
        );
        assert_eq!(after.assignments[0].role, Role::Support);
        let mut plain = start.clone();
        for edit in edits.clone() {
            apply(&mut plain, edit).unwrap();
        }
        assert_eq!(plain, after);
        apply(&mut after, undo).unwrap();
        assert_eq!(after, start);
        edits.push(Edit::Insert {
            index: usize::MAX,
            item: Item::Actor(actor("l7", "Clash")),
        });
        let mut failed = start.clone();
        let err = apply(
            &mut failed,
            Edit::Batch {
                label: "big".into(),
                edits,
            },
        )
        .unwrap_err();
        assert_eq!(err, EditError::DuplicateId("l7".into()));
        assert_eq!(failed, start);
    }
}
