//! The working copy an import is planned against, with the indexes that keep planning linear
//! in the number of rows: items by id, assignments by cell, and the keys (codes, names,
//! aliases) rows are matched by.

use std::collections::{HashMap, HashSet};

use super::{Counts, Format, ImportPlan, RowIssue, Source, normalise_name};
use crate::model::edit::{Edit, SituationMeta};
use crate::model::{
    Actor, Assignment, Item, ItemKind, ItemRef, LineOfEffort, Partner, Place, Situation,
};

/// Builds a plan against a working copy of the situation, so later rows see what earlier rows added.
pub(crate) struct Planner<'a> {
    pub into: &'a Situation,
    /// The situation as it will be after the import. Read it freely; change it only through
    /// the planner's methods, which keep the indexes right.
    pub work: Situation,
    /// Where each item of the working copy is in its list, by id (ids are unique across kinds).
    positions: HashMap<String, (ItemKind, usize)>,
    /// The ids the situation had before the import, with their kind and place in its list.
    existed: HashMap<String, (ItemKind, usize)>,
    /// Where each assignment of the working copy is, by (line, partner).
    cells: HashMap<(String, String), usize>,
    /// Match keys (a code, a normalised name or alias) → the id of the item they name.
    keys: HashMap<(ItemKind, String), String>,
    created: Vec<ItemRef>,
    changed: Vec<ItemRef>,
    changed_set: HashSet<ItemRef>,
    merged: HashSet<ItemRef>,
    assignments: Vec<(String, String)>,
    assignments_set: HashSet<(String, String)>,
    pub counts: Counts,
    pub skipped: Vec<RowIssue>,
    pub notices: Vec<RowIssue>,
    pub rows_read: usize,
    rows_skipped: usize,
    cells_skipped: usize,
    columns_skipped: usize,
    source: Source,
}

impl<'a> Planner<'a> {
    pub fn new(into: &'a Situation, notices: Vec<RowIssue>, source: Source) -> Self {
        let work = into.clone();
        let mut positions = HashMap::new();
        let lists: [(ItemKind, Vec<&str>); 4] = [
            (
                ItemKind::Actor,
                work.actors.iter().map(|x| x.id.as_str()).collect(),
            ),
            (
                ItemKind::Partner,
                work.partners.iter().map(|x| x.id.as_str()).collect(),
            ),
            (
                ItemKind::Line,
                work.lines.iter().map(|x| x.id.as_str()).collect(),
            ),
            (
                ItemKind::Event,
                work.events.iter().map(|x| x.id.as_str()).collect(),
            ),
        ];
        for (kind, ids) in lists {
            for (i, id) in ids.into_iter().enumerate() {
                positions.entry(id.to_owned()).or_insert((kind, i));
            }
        }
        let existed = positions.clone();
        let cells = work
            .assignments
            .iter()
            .enumerate()
            .map(|(i, a)| ((a.line.clone(), a.partner.clone()), i))
            .rev()
            .collect();
        let mut planner = Self {
            into,
            work,
            positions,
            existed,
            cells,
            keys: HashMap::new(),
            created: Vec::new(),
            changed: Vec::new(),
            changed_set: HashSet::new(),
            merged: HashSet::new(),
            assignments: Vec::new(),
            assignments_set: HashSet::new(),
            counts: Counts::default(),
            skipped: Vec::new(),
            notices,
            rows_read: 0,
            rows_skipped: 0,
            cells_skipped: 0,
            columns_skipped: 0,
            source,
        };
        planner.index_existing();
        planner
    }

    /// Registers the match keys of the situation's own items: every name, code and alias, and
    /// for actors also the name without its bracketed parts and a bracketed acronym
    /// ("National Council for Democracy and Development (CNDD)" → "cndd").
    fn index_existing(&mut self) {
        let mut keys = Vec::new();
        for a in &self.work.actors {
            for key in actor_keys(a).into_iter().chain(derived_actor_keys(&a.name)) {
                keys.push((ItemKind::Actor, key, a.id.clone()));
            }
        }
        for l in &self.work.lines {
            for key in line_keys(l) {
                keys.push((ItemKind::Line, key, l.id.clone()));
            }
        }
        for p in &self.work.partners {
            for key in partner_keys(p) {
                keys.push((ItemKind::Partner, key, p.id.clone()));
            }
        }
        for (kind, key, id) in keys {
            self.add_key(kind, key, &id);
        }
    }

    /// A whole row not imported, and why.
    pub fn skip(&mut self, line: usize, message: impl Into<String>) {
        self.rows_skipped += 1;
        self.push_skipped(line, message);
    }

    /// A cell not imported (the rest of its row was), and why.
    pub fn skip_cell(&mut self, line: usize, message: impl Into<String>) {
        self.cells_skipped += 1;
        self.push_skipped(line, message);
    }

    /// A column no cell of which is imported, and why (`line`: the header row's).
    pub fn skip_column(&mut self, line: usize, message: impl Into<String>) {
        self.columns_skipped += 1;
        self.push_skipped(line, message);
    }

    fn push_skipped(&mut self, line: usize, message: impl Into<String>) {
        self.skipped.push(RowIssue {
            line: Some(line),
            message: message.into(),
        });
    }

    pub fn notice(&mut self, line: usize, message: impl Into<String>) {
        self.notices.push(RowIssue {
            line: Some(line),
            message: message.into(),
        });
    }

    /// Whether any item of the working copy has this id.
    pub fn has_id(&self, id: &str) -> bool {
        self.positions.contains_key(id)
    }

    /// Whether the working copy has an item of `kind` with this id.
    pub fn has(&self, kind: ItemKind, id: &str) -> bool {
        self.positions.get(id).is_some_and(|(k, _)| *k == kind)
    }

    fn index_of(&self, kind: ItemKind, id: &str) -> Option<usize> {
        self.positions
            .get(id)
            .and_then(|(k, i)| (*k == kind).then_some(*i))
    }

    /// An id from `name` that no item has, in the situation or among the new ones.
    pub fn fresh_id(&self, name: &str, fallback: &str) -> String {
        let base = crate::model::ids::slug(name, fallback);
        if !self.has_id(&base) {
            return base;
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|candidate| !self.has_id(candidate))
            .unwrap_or(base)
    }

    /// Whether the item existed before the import.
    pub fn existed(&self, kind: ItemKind, id: &str) -> bool {
        self.existed.get(id).is_some_and(|(k, _)| *k == kind)
    }

    /// Counts a match with an item of the situation, once per item.
    pub fn mark_merged(&mut self, kind: ItemKind, id: &str) {
        if self.existed(kind, id) && self.merged.insert(ItemRef::new(kind, id)) {
            self.counts.tally_mut(kind).merged += 1;
        }
    }

    /// The item of `kind` a match key names (keys are registered with [`Planner::add_key`]).
    pub fn find_key(&self, kind: ItemKind, key: &str) -> Option<&str> {
        if key.is_empty() {
            return None;
        }
        self.keys.get(&(kind, key.to_owned())).map(String::as_str)
    }

    /// Registers a match key for an item; the first item to claim a key keeps it.
    pub fn add_key(&mut self, kind: ItemKind, key: String, id: &str) {
        if !key.is_empty() {
            self.keys
                .entry((kind, key))
                .or_insert_with(|| id.to_owned());
        }
    }

    /// Adds a new item to the working copy.
    pub fn create(&mut self, item: Item) {
        let kind = item.kind();
        let id = item.id().to_owned();
        self.created.push(ItemRef::new(kind, id.clone()));
        self.counts.tally_mut(kind).created += 1;
        let keys = match &item {
            Item::Actor(x) => actor_keys(x),
            Item::Partner(x) => partner_keys(x),
            Item::Line(x) => line_keys(x),
            Item::Event(_) => Vec::new(),
        };
        for key in keys {
            self.add_key(kind, key, &id);
        }
        let index = match item {
            Item::Actor(x) => push(&mut self.work.actors, x),
            Item::Partner(x) => push(&mut self.work.partners, x),
            Item::Line(x) => push(&mut self.work.lines, x),
            Item::Event(x) => push(&mut self.work.events, x),
        };
        self.positions.entry(id).or_insert((kind, index));
    }

    pub fn line(&self, id: &str) -> Option<&LineOfEffort> {
        self.index_of(ItemKind::Line, id)
            .and_then(|i| self.work.lines.get(i))
    }

    pub fn partner(&self, id: &str) -> Option<&Partner> {
        self.index_of(ItemKind::Partner, id)
            .and_then(|i| self.work.partners.get(i))
    }

    /// The line of effort `id`, to change; an existing one is then part of the plan.
    pub fn line_mut(&mut self, id: &str) -> Option<&mut LineOfEffort> {
        self.touch(ItemKind::Line, id);
        let i = self.index_of(ItemKind::Line, id)?;
        self.work.lines.get_mut(i)
    }

    /// The partner `id`, to change; an existing one is then part of the plan.
    pub fn partner_mut(&mut self, id: &str) -> Option<&mut Partner> {
        self.touch(ItemKind::Partner, id);
        let i = self.index_of(ItemKind::Partner, id)?;
        self.work.partners.get_mut(i)
    }

    /// Adds `alias` to the actor `id`'s aliases, unless it is its name or one of them already.
    pub fn add_actor_alias(&mut self, id: &str, alias: &str) {
        let Some(i) = self.index_of(ItemKind::Actor, id) else {
            return;
        };
        let norm = normalise_name(alias);
        let known = self
            .work
            .actors
            .get(i)
            .is_none_or(|a| actor_keys(a).contains(&norm));
        if known {
            return;
        }
        self.touch(ItemKind::Actor, id);
        if let Some(actor) = self.work.actors.get_mut(i) {
            actor.aliases.push(alias.trim().to_owned());
        }
        self.add_key(ItemKind::Actor, norm, id);
    }

    /// Notes that an item of the working copy was changed (only matters for existing items).
    fn touch(&mut self, kind: ItemKind, id: &str) {
        if self.existed(kind, id) {
            let item = ItemRef::new(kind, id);
            if self.changed_set.insert(item.clone()) {
                self.changed.push(item);
            }
        }
    }

    /// The assignment of `partner` on `line` in the working copy.
    pub fn assignment(&self, line: &str, partner: &str) -> Option<&Assignment> {
        let i = self.cells.get(&(line.to_owned(), partner.to_owned()))?;
        self.work.assignments.get(*i)
    }

    /// Sets an assignment in the working copy.
    pub fn assign(&mut self, assignment: Assignment) {
        let key = (assignment.line.clone(), assignment.partner.clone());
        match self
            .cells
            .get(&key)
            .and_then(|i| self.work.assignments.get_mut(*i))
        {
            Some(slot) => *slot = assignment,
            None => {
                let index = push(&mut self.work.assignments, assignment);
                self.cells.insert(key.clone(), index);
            }
        }
        if self.assignments_set.insert(key.clone()) {
            self.assignments.push(key);
        }
    }

    /// Adds a place to the assignment of `partner` on `line` in the working copy.
    pub fn add_assignment_place(&mut self, line: &str, partner: &str, place: Place) {
        let key = (line.to_owned(), partner.to_owned());
        let Some(slot) = self
            .cells
            .get(&key)
            .and_then(|i| self.work.assignments.get_mut(*i))
        else {
            return;
        };
        slot.places.push(place);
        if self.assignments_set.insert(key.clone()) {
            self.assignments.push(key);
        }
    }

    /// Adds country codes the situation does not list yet.
    pub fn add_country(&mut self, code: &str) {
        let code = code.trim().to_ascii_uppercase();
        if !code.is_empty() && !self.work.countries.contains(&code) {
            self.work.countries.push(code);
        }
    }

    fn item(&self, kind: ItemKind, id: &str) -> Option<Item> {
        let i = self.index_of(kind, id)?;
        match kind {
            ItemKind::Actor => self.work.actors.get(i).cloned().map(Item::Actor),
            ItemKind::Partner => self.work.partners.get(i).cloned().map(Item::Partner),
            ItemKind::Line => self.work.lines.get(i).cloned().map(Item::Line),
            ItemKind::Event => self.work.events.get(i).cloned().map(Item::Event),
        }
    }

    /// The plan: the working copy's differences from the situation, as one batch.
    pub fn finish(self, format: Format) -> ImportPlan {
        let mut edits = Vec::new();
        for r in &self.created {
            if let Some(item) = self.item(r.kind, &r.id) {
                edits.push(Edit::Insert {
                    index: usize::MAX,
                    item,
                });
            }
        }
        let mut changed = self.changed.clone();
        changed.sort_by_key(|r| ItemKind::ALL.iter().position(|k| *k == r.kind));
        for r in &changed {
            let before = self.existed.get(&r.id).and_then(|(_, i)| match r.kind {
                ItemKind::Actor => self.into.actors.get(*i).cloned().map(Item::Actor),
                ItemKind::Partner => self.into.partners.get(*i).cloned().map(Item::Partner),
                ItemKind::Line => self.into.lines.get(*i).cloned().map(Item::Line),
                ItemKind::Event => self.into.events.get(*i).cloned().map(Item::Event),
            });
            if let Some(item) = self.item(r.kind, &r.id)
                && before.as_ref() != Some(&item)
            {
                edits.push(Edit::Replace { item });
            }
        }
        let before: HashMap<(&str, &str), &Assignment> = self
            .into
            .assignments
            .iter()
            .rev()
            .map(|a| ((a.line.as_str(), a.partner.as_str()), a))
            .collect();
        for (line, partner) in &self.assignments {
            let after = self.assignment(line, partner);
            if after.is_some() && after != before.get(&(line.as_str(), partner.as_str())).copied() {
                edits.push(Edit::SetAssignment {
                    line: line.clone(),
                    partner: partner.clone(),
                    assignment: after.cloned(),
                    index: None,
                });
            }
        }
        if self.work.countries != self.into.countries {
            edits.push(Edit::SetMeta(Box::new(SituationMeta::of(&self.work))));
        }
        let label = match format {
            Format::Hxl => "import who-does-what sheet",
            Format::Acled => "import ACLED incidents",
        };
        ImportPlan {
            format,
            source: self.source,
            edit: Edit::Batch {
                label: label.into(),
                edits,
            },
            counts: self.counts,
            rows_read: self.rows_read,
            rows_skipped: self.rows_skipped,
            cells_skipped: self.cells_skipped,
            columns_skipped: self.columns_skipped,
            skipped: self.skipped,
            notices: self.notices,
        }
    }
}

/// An actor's keys: its name and aliases, compared without case, accents or punctuation.
pub(crate) fn actor_keys(actor: &Actor) -> Vec<String> {
    std::iter::once(&actor.name)
        .chain(&actor.aliases)
        .map(|n| normalise_name(n))
        .collect()
}

/// Keys guessed from an existing actor's name: the name without its bracketed parts, that
/// up to its first comma ("Union of Democratic Forces of Guinea (UFDG), Cellou Dalein Diallo"
/// → "union of democratic forces of guinea"), and a bracketed acronym ("ufdg").
fn derived_actor_keys(name: &str) -> Vec<String> {
    let bare = without_brackets(name);
    let mut keys = vec![normalise_name(&bare)];
    if let Some((before, _)) = bare.split_once(',') {
        keys.push(normalise_name(before));
    }
    let mut rest = name;
    while let Some((_, after)) = rest.split_once('(') {
        let Some((inside, tail)) = after.split_once(')') else {
            break;
        };
        let inside = inside.trim();
        if inside.len() >= 2 && inside.chars().all(|c| c.is_ascii_uppercase() || c == '-') {
            keys.push(normalise_name(inside));
        }
        rest = tail;
    }
    keys
}

/// The text without its bracketed parts: "Rioters (Guinea)" → "Rioters".
pub(crate) fn without_brackets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.trim().to_owned()
}

/// A line's keys: its id (as a code) and its title.
pub(crate) fn line_keys(line: &LineOfEffort) -> Vec<String> {
    vec![
        format!("id:{}", line.id),
        format!("name:{}", normalise_name(&line.title)),
    ]
}

/// A partner's keys: its id (as a code), its name and its acronym.
pub(crate) fn partner_keys(partner: &Partner) -> Vec<String> {
    let mut keys = vec![
        format!("id:{}", partner.id),
        format!("name:{}", normalise_name(&partner.name)),
    ];
    if !partner.acronym.trim().is_empty() {
        keys.push(format!("acr:{}", normalise_name(&partner.acronym)));
    }
    keys
}

/// Pushes onto a list and returns the new item's index.
fn push<T>(list: &mut Vec<T>, item: T) -> usize {
    list.push(item);
    list.len() - 1
}
