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

/// When each part of a situation last changed, as stamps drawn from one counter that only
/// grows (shared by every document of the process). A cache keyed on the stamps of the parts
/// it reads is rebuilt exactly when one of them changed, and never mistakes another document,
/// or a state undone and redone, for the one it was built from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChangeStamps {
    pub actors: u64,
    pub partners: u64,
    pub lines: u64,
    pub events: u64,
    /// The matrix cells (assignments).
    pub cells: u64,
    /// The situation's own fields (title, as-of date, lead limit…).
    pub meta: u64,
}

impl ChangeStamps {
    /// Stamps for a situation just opened: every part new.
    pub fn fresh() -> Self {
        let stamp = next_stamp();
        Self {
            actors: stamp,
            partners: stamp,
            lines: stamp,
            events: stamp,
            cells: stamp,
            meta: stamp,
        }
    }

    /// Gives a new stamp to every part `touched` names (after [`Touched::add_referencing`]:
    /// a rename also changes the items that name the new id).
    pub fn record(&mut self, touched: &Touched) {
        if touched.all {
            *self = Self::fresh();
            return;
        }
        if touched.is_empty() {
            return;
        }
        let stamp = next_stamp();
        for item in &touched.items {
            match item.kind {
                ItemKind::Actor => self.actors = stamp,
                ItemKind::Partner => self.partners = stamp,
                ItemKind::Line => self.lines = stamp,
                ItemKind::Event => self.events = stamp,
            }
        }
        if !touched.cells.is_empty() {
            self.cells = stamp;
        }
        if touched.meta {
            self.meta = stamp;
        }
    }
}

/// The next stamp of [`ChangeStamps`].
fn next_stamp() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_change_for_what_an_edit_touched_and_nothing_else() {
        let fresh = ChangeStamps::fresh();
        assert_ne!(
            fresh,
            ChangeStamps::fresh(),
            "another document, other stamps"
        );
        let mut stamps = fresh;
        let mut touched = Touched::default();
        touched.add_item(ItemRef::new(ItemKind::Actor, "cndd"));
        stamps.record(&touched);
        assert!(stamps.actors > fresh.actors);
        assert_eq!(
            (stamps.events, stamps.cells, stamps.meta),
            (fresh.events, fresh.cells, fresh.meta)
        );
        // A cell, then the same actor again: each time a stamp never seen before.
        let before = stamps;
        let mut cell = Touched::default();
        cell.add_cell("mediation", "au");
        stamps.record(&cell);
        assert!(stamps.cells > before.actors);
        assert_eq!(stamps.actors, before.actors);
        stamps.record(&touched);
        assert!(stamps.actors > stamps.cells);
        stamps.record(&Touched::default());
        let all = stamps;
        stamps.record(&Touched::everything());
        assert!(stamps.events > all.actors && stamps.meta == stamps.lines);
    }
}
