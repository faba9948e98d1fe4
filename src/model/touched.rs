//! What an edit changes: the items, matrix cells and situation fields to look at again. The
//! checks ([`crate::analysis::incremental`]) and the shared document read it to redo only
//! what an edit touched.

use super::edit::Edit;
use super::{ItemKind, ItemRef, Situation};

/// The parts of a situation an edit (or a colleague's change) may have changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Touched {
    /// Items added, removed or changed, by kind and id (an id may no longer exist).
    pub items: Vec<ItemRef>,
    /// Matrix cells set, changed or cleared, as (line, partner).
    pub cells: Vec<(String, String)>,
    /// Id renames, in order, as (kind, old, new).
    pub renames: Vec<(ItemKind, String, String)>,
    /// The situation's own fields (title, countries, as-of date, lead limit…).
    pub meta: bool,
    /// Anything may have changed: look at everything again.
    pub all: bool,
}

impl Touched {
    /// Everything may have changed (a new situation, a reload).
    pub fn everything() -> Self {
        Self {
            all: true,
            ..Self::default()
        }
    }

    /// Nothing changed.
    pub fn is_empty(&self) -> bool {
        !self.all
            && !self.meta
            && self.items.is_empty()
            && self.cells.is_empty()
            && self.renames.is_empty()
    }

    /// Adds an item, once.
    pub fn add_item(&mut self, item: ItemRef) {
        if !self.items.contains(&item) {
            self.items.push(item);
        }
    }

    /// Adds a cell, once.
    pub fn add_cell(&mut self, line: &str, partner: &str) {
        if !self
            .cells
            .iter()
            .any(|(l, p)| l.as_str() == line && p.as_str() == partner)
        {
            self.cells.push((line.to_owned(), partner.to_owned()));
        }
    }

    /// Adds everything `other` touched.
    pub fn extend(&mut self, other: Touched) {
        for item in other.items {
            self.add_item(item);
        }
        for (line, partner) in other.cells {
            self.add_cell(&line, &partner);
        }
        self.renames.extend(other.renames);
        self.meta |= other.meta;
        self.all |= other.all;
    }

    /// After a rename was applied: the items and cells that now name the new id (their
    /// references were rewritten too).
    pub fn add_referencing(&mut self, situation: &Situation) {
        let renames = self.renames.clone();
        for (kind, _, new) in &renames {
            let new = new.as_str();
            match kind {
                ItemKind::Actor => {
                    for line in situation
                        .lines
                        .iter()
                        .filter(|l| l.actors.iter().any(|a| a == new))
                    {
                        self.add_item(ItemRef::new(ItemKind::Line, &line.id));
                    }
                }
                ItemKind::Partner | ItemKind::Line => {
                    for a in situation
                        .assignments
                        .iter()
                        .filter(|a| a.line == new || a.partner == new)
                    {
                        self.add_cell(&a.line, &a.partner);
                    }
                }
                ItemKind::Event => {}
            }
            for event in situation.events.iter().filter(|e| {
                let list = match kind {
                    ItemKind::Actor => &e.actors,
                    ItemKind::Partner => &e.partners,
                    ItemKind::Line => &e.lines,
                    ItemKind::Event => &e.answers,
                };
                list.iter().any(|x| x == new)
            }) {
                self.add_item(ItemRef::new(ItemKind::Event, &event.id));
            }
        }
    }
}

impl Edit {
    /// What applying this edit changes, as far as the edit itself says. For a rename, call
    /// [`Touched::add_referencing`] once it is applied to add the items that name the new id.
    pub fn touched(&self) -> Touched {
        let mut touched = Touched::default();
        self.add_touched(&mut touched);
        touched
    }

    fn add_touched(&self, touched: &mut Touched) {
        match self {
            Edit::Insert { item, .. } | Edit::Replace { item } => {
                touched.add_item(ItemRef::new(item.kind(), item.id()))
            }
            Edit::Remove { item } => touched.add_item(item.clone()),
            Edit::RenameId { kind, old, new } => {
                touched.add_item(ItemRef::new(*kind, old.as_str()));
                touched.add_item(ItemRef::new(*kind, new.as_str()));
                touched.renames.push((*kind, old.clone(), new.clone()));
            }
            Edit::SetAssignment { line, partner, .. } => touched.add_cell(line, partner),
            Edit::SetMeta(_) => touched.meta = true,
            Edit::Batch { edits, .. } => {
                for edit in edits {
                    edit.add_touched(touched);
                }
            }
        }
    }
}
