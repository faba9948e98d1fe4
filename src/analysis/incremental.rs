//! Checks kept up to date edit by edit. After an edit, only the items it touched and those
//! whose findings depend on them are checked again; the list of findings is the same, in the
//! same order, as [`super::check_all`] on the whole situation.
//!
//! The findings are kept per item and per check, in the order of the situation's lists. An
//! edit's [`Touched`] names what changed; the lists are walked once to follow items added,
//! removed or renamed (a comparison of ids, no hashing). A situation with an id used twice
//! (two officers adding the same id at once) is checked whole until the duplicate is gone.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use super::{matrix, timeline};
use crate::model::touched::Touched;
use crate::model::validate::{self, IdSets, KnownIds};
use crate::model::{Diagnostic, Event, EventKind, ItemKind, PartialDate, Situation};

/// The findings of one situation, kept up to date by [`CheckCache::update`].
#[derive(Default)]
pub struct CheckCache {
    state: Option<State>,
    result: Arc<Vec<Diagnostic>>,
}

impl CheckCache {
    /// Checks `situation` whole.
    pub fn new(situation: &Situation) -> Self {
        let mut cache = Self::default();
        cache.rebuild(situation);
        cache
    }

    /// The findings, in [`super::check_all`]'s order.
    pub fn diagnostics(&self) -> Arc<Vec<Diagnostic>> {
        self.result.clone()
    }

    /// Takes in a change of `situation` (already applied) that touched `touched`.
    pub fn update(&mut self, situation: &Situation, touched: &Touched) {
        if touched.is_empty() && self.state.is_some() {
            return;
        }
        let incremental = !touched.all
            && !touched.meta
            && self
                .state
                .as_mut()
                .is_some_and(|state| state.apply(situation, touched));
        if incremental {
            if let Some(state) = &self.state {
                self.result = Arc::new(state.assemble());
            }
        } else {
            self.rebuild(situation);
        }
    }

    fn rebuild(&mut self, situation: &Situation) {
        self.state = State::build(situation);
        self.result = Arc::new(match &self.state {
            Some(state) => state.assemble(),
            None => super::check_all(situation),
        });
    }
}

/// The findings of one item, per check.
#[derive(Default)]
struct Entry {
    id: String,
    ids: Vec<Diagnostic>,
    name: Vec<Diagnostic>,
    refs: Vec<Diagnostic>,
    dates: Vec<Diagnostic>,
    matrix: Vec<Diagnostic>,
    /// Its places' findings (`country.code`, `place.empty`).
    places: Vec<Diagnostic>,
    /// An event's answers that come before the warning they answer.
    order: Vec<Diagnostic>,
    /// An event's answers when it was last checked: the warnings to look at again when it
    /// stops answering them.
    answers: Vec<String>,
}

/// The findings of one assignment.
#[derive(Default)]
struct CellEntry {
    line: String,
    partner: String,
    ids: Vec<Diagnostic>,
    refs: Vec<Diagnostic>,
    places: Vec<Diagnostic>,
}

/// Which ids exist, kept up to date (a situation without duplicate ids).
#[derive(Default)]
struct Known {
    kinds: HashMap<String, ItemKind>,
    warnings: HashSet<String>,
}

impl KnownIds for Known {
    fn has(&self, kind: ItemKind, id: &str) -> bool {
        self.kinds.get(id) == Some(&kind)
    }

    fn is_warning(&self, id: &str) -> bool {
        self.warnings.contains(id)
    }
}

/// The kept findings of a situation that has no id and no cell twice.
struct State {
    items: [Vec<Entry>; 4],
    cells: Vec<CellEntry>,
    known: Known,
    cell_set: HashSet<(String, String)>,
    title: Vec<Diagnostic>,
    countries: Vec<Diagnostic>,
    overloads: Vec<Diagnostic>,
    unanswered: BTreeMap<(PartialDate, String), Diagnostic>,
    unanswered_keys: HashMap<String, PartialDate>,
}

fn slot(kind: ItemKind) -> usize {
    match kind {
        ItemKind::Actor => 0,
        ItemKind::Partner => 1,
        ItemKind::Line => 2,
        ItemKind::Event => 3,
    }
}

fn count(situation: &Situation, kind: ItemKind) -> usize {
    match kind {
        ItemKind::Actor => situation.actors.len(),
        ItemKind::Partner => situation.partners.len(),
        ItemKind::Line => situation.lines.len(),
        ItemKind::Event => situation.events.len(),
    }
}

fn id_at(situation: &Situation, kind: ItemKind, i: usize) -> Option<&str> {
    match kind {
        ItemKind::Actor => situation.actors.get(i).map(|x| x.id.as_str()),
        ItemKind::Partner => situation.partners.get(i).map(|x| x.id.as_str()),
        ItemKind::Line => situation.lines.get(i).map(|x| x.id.as_str()),
        ItemKind::Event => situation.events.get(i).map(|x| x.id.as_str()),
    }
}

fn position(situation: &Situation, kind: ItemKind, id: &str) -> Option<usize> {
    (0..count(situation, kind)).find(|&i| id_at(situation, kind, i) == Some(id))
}

/// How a list moved between two states: the entries kept in their new places, the new
/// positions to check, the entries gone.
struct Realigned<E> {
    entries: Vec<E>,
    fresh: Vec<usize>,
    gone: Vec<E>,
}

/// Walks the old entries and the new list side by side (`same(entry, j)`: the entry is for
/// the item now at `j`). An added or removed item is recognised by looking one step ahead;
/// anything else is taken as an entry gone and a new one come in its place.
fn realign<E: Default>(
    old: Vec<E>,
    new_len: usize,
    same: impl Fn(&E, usize) -> bool,
) -> Realigned<E> {
    let mut out = Realigned {
        entries: Vec::with_capacity(new_len),
        fresh: Vec::new(),
        gone: Vec::new(),
    };
    let mut old = old.into_iter().peekable();
    let mut j = 0;
    while j < new_len {
        let Some(current) = old.next() else {
            out.fresh.push(j);
            out.entries.push(E::default());
            j += 1;
            continue;
        };
        if same(&current, j) {
            out.entries.push(current);
            j += 1;
        } else if old.peek().is_some_and(|next| same(next, j)) {
            out.gone.push(current);
        } else if j + 1 < new_len && same(&current, j + 1) {
            out.fresh.push(j);
            out.entries.push(E::default());
            out.entries.push(current);
            j += 2;
        } else {
            out.gone.push(current);
            out.fresh.push(j);
            out.entries.push(E::default());
            j += 1;
        }
    }
    out.gone.extend(old);
    out
}

/// What one update must check again, found from what the edit touched.
#[derive(Default)]
struct Dirty {
    items: [Vec<usize>; 4],
    cells: Vec<usize>,
    /// Lines whose matrix findings depend on a changed cell or partner.
    matrix_lines: Vec<String>,
    /// Ids whose dependents (items naming them) must be checked again.
    changed_ids: Vec<String>,
    warnings: Vec<String>,
    overloads: bool,
}

impl State {
    /// Checks `situation` whole; `None` when an id or a cell is used twice.
    fn build(situation: &Situation) -> Option<State> {
        let mut seen: HashMap<&str, ItemKind> = HashMap::new();
        for kind in ItemKind::ALL {
            for i in 0..count(situation, kind) {
                if seen.insert(id_at(situation, kind, i)?, kind).is_some() {
                    return None;
                }
            }
        }
        let mut cell_set = HashSet::new();
        for a in &situation.assignments {
            if !cell_set.insert((a.line.clone(), a.partner.clone())) {
                return None;
            }
        }
        let sets = IdSets::of(situation);
        let by_line = matrix::assignments_by_line(situation);
        let by_id: HashMap<&str, &Event> = situation
            .events
            .iter()
            .map(|e| (e.id.as_str(), e))
            .collect();
        let mut state = State {
            items: Default::default(),
            cells: Vec::with_capacity(situation.assignments.len()),
            known: Known {
                kinds: seen.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
                warnings: situation
                    .events
                    .iter()
                    .filter(|e| e.kind == EventKind::WarningSign)
                    .map(|e| e.id.clone())
                    .collect(),
            },
            cell_set,
            title: Vec::new(),
            countries: Vec::new(),
            overloads: matrix::overloads(situation),
            unanswered: BTreeMap::new(),
            unanswered_keys: HashMap::new(),
        };
        for kind in ItemKind::ALL {
            let entries = (0..count(situation, kind))
                .map(|i| {
                    let mut entry = Entry::default();
                    check_item(situation, kind, i, &sets, &mut entry);
                    entry
                })
                .collect();
            state.items[slot(kind)] = entries;
        }
        for (line, entry) in situation.lines.iter().zip(state.items[2].iter_mut()) {
            let cells = by_line
                .get(line.id.as_str())
                .map(Vec::as_slice)
                .unwrap_or_default();
            matrix::line_findings(situation, line, cells, &mut entry.matrix);
        }
        for (event, entry) in situation.events.iter().zip(state.items[3].iter_mut()) {
            timeline::answer_order_findings(event, |id| by_id.get(id).copied(), &mut entry.order);
        }
        for i in 0..situation.assignments.len() {
            let mut entry = CellEntry::default();
            check_cell(situation, i, &sets, &mut entry);
            state.cells.push(entry);
        }
        state.check_meta(situation);
        for id in timeline::continuum(situation).unanswered {
            if let Some(w) = by_id.get(id.as_str()) {
                state.set_unanswered(w, true);
            }
        }
        Some(state)
    }

    fn check_meta(&mut self, situation: &Situation) {
        self.title.clear();
        validate::title_findings(situation, &mut self.title);
        self.countries.clear();
        validate::check_countries(situation, &mut self.countries);
    }

    fn set_unanswered(&mut self, w: &Event, unanswered: bool) {
        if let Some(date) = self.unanswered_keys.remove(&w.id) {
            self.unanswered.remove(&(date, w.id.clone()));
        }
        if unanswered {
            self.unanswered
                .insert((w.date, w.id.clone()), timeline::unanswered_finding(w));
            self.unanswered_keys.insert(w.id.clone(), w.date);
        }
    }

    /// Takes in an applied change; `false` when the situation must be checked whole instead
    /// (an id or a cell now used twice).
    fn apply(&mut self, situation: &Situation, touched: &Touched) -> bool {
        let mut dirty = Dirty::default();
        if !self.follow_items(situation, &mut dirty) || !self.follow_cells(situation, &mut dirty) {
            return false;
        }
        for item in &touched.items {
            if let Some(i) = position(situation, item.kind, &item.id) {
                dirty.items[slot(item.kind)].push(i);
            }
            if matches!(item.kind, ItemKind::Event | ItemKind::Partner) {
                dirty.changed_ids.push(item.id.clone());
            }
            if item.kind == ItemKind::Event {
                dirty.warnings.push(item.id.clone());
                self.known.warnings.remove(&item.id);
                if situation
                    .event(&item.id)
                    .is_some_and(|e| e.kind == EventKind::WarningSign)
                {
                    self.known.warnings.insert(item.id.clone());
                }
            }
            dirty.overloads |= matches!(item.kind, ItemKind::Line | ItemKind::Partner);
        }
        for (line, partner) in &touched.cells {
            if let Some(i) = situation
                .assignments
                .iter()
                .position(|a| a.line == *line && a.partner == *partner)
            {
                dirty.cells.push(i);
            }
            dirty.matrix_lines.push(line.clone());
            dirty.overloads = true;
        }
        self.find_dependents(situation, &mut dirty);
        self.recheck(situation, dirty);
        true
    }

    /// Follows items added, removed and renamed in each list; the ids gone and come change
    /// what exists.
    fn follow_items(&mut self, situation: &Situation, dirty: &mut Dirty) -> bool {
        let mut gone_all = Vec::new();
        for kind in ItemKind::ALL {
            let old = std::mem::take(&mut self.items[slot(kind)]);
            let moved = realign(old, count(situation, kind), |e: &Entry, j| {
                id_at(situation, kind, j) == Some(e.id.as_str())
            });
            self.items[slot(kind)] = moved.entries;
            for &j in &moved.fresh {
                dirty.items[slot(kind)].push(j);
            }
            gone_all.extend(moved.gone.into_iter().map(|e| (kind, e)));
        }
        for (kind, entry) in gone_all {
            if self.known.kinds.get(&entry.id) == Some(&kind) {
                self.known.kinds.remove(&entry.id);
            }
            self.known.warnings.remove(&entry.id);
            if let Some(date) = self.unanswered_keys.remove(&entry.id) {
                self.unanswered.remove(&(date, entry.id.clone()));
            }
            dirty.warnings.extend(entry.answers);
            dirty.overloads |= matches!(kind, ItemKind::Line | ItemKind::Partner);
            dirty.changed_ids.push(entry.id);
        }
        for kind in ItemKind::ALL {
            let fresh = dirty.items[slot(kind)].clone();
            for j in fresh {
                let Some(id) = id_at(situation, kind, j) else {
                    continue;
                };
                if self.known.kinds.insert(id.to_owned(), kind).is_some() {
                    return false;
                }
                if kind == ItemKind::Event
                    && situation
                        .events
                        .get(j)
                        .is_some_and(|e| e.kind == EventKind::WarningSign)
                {
                    self.known.warnings.insert(id.to_owned());
                }
                dirty.overloads |= matches!(kind, ItemKind::Line | ItemKind::Partner);
                dirty.changed_ids.push(id.to_owned());
            }
        }
        true
    }

    /// Follows assignments set and cleared.
    fn follow_cells(&mut self, situation: &Situation, dirty: &mut Dirty) -> bool {
        let old = std::mem::take(&mut self.cells);
        let moved = realign(old, situation.assignments.len(), |c: &CellEntry, j| {
            situation
                .assignments
                .get(j)
                .is_some_and(|a| a.line == c.line && a.partner == c.partner)
        });
        self.cells = moved.entries;
        for gone in moved.gone {
            self.cell_set
                .remove(&(gone.line.clone(), gone.partner.clone()));
            dirty.matrix_lines.push(gone.line);
            dirty.overloads = true;
        }
        for j in moved.fresh {
            let Some(a) = situation.assignments.get(j) else {
                continue;
            };
            if !self.cell_set.insert((a.line.clone(), a.partner.clone())) {
                return false;
            }
            dirty.cells.push(j);
            dirty.overloads = true;
        }
        true
    }

    /// The items and cells that name a changed id, whose references or messages may change.
    fn find_dependents(&self, situation: &Situation, dirty: &mut Dirty) {
        let changed = &dirty.changed_ids;
        if changed.is_empty() {
            return;
        }
        let names = |list: &[String]| list.iter().any(|x| changed.contains(x));
        let mut lines = Vec::new();
        for (i, line) in situation.lines.iter().enumerate() {
            if names(&line.actors) {
                lines.push(i);
            }
        }
        let mut events = Vec::new();
        for (i, e) in situation.events.iter().enumerate() {
            if names(&e.actors) || names(&e.partners) || names(&e.lines) || names(&e.answers) {
                events.push(i);
            }
        }
        let mut cells = Vec::new();
        for (i, a) in situation.assignments.iter().enumerate() {
            if changed.contains(&a.line) || changed.contains(&a.partner) {
                cells.push(i);
            }
        }
        dirty.items[slot(ItemKind::Line)].extend(lines);
        dirty.items[slot(ItemKind::Event)].extend(events);
        dirty.cells.extend(cells);
    }

    /// Checks the dirty items, cells, lines' matrices, overloads and warnings again.
    fn recheck(&mut self, situation: &Situation, mut dirty: Dirty) {
        for kind in ItemKind::ALL {
            let positions = &mut dirty.items[slot(kind)];
            positions.sort_unstable();
            positions.dedup();
            for &i in positions.iter() {
                let Some(entry) = self.items[slot(kind)].get_mut(i) else {
                    continue;
                };
                let old_answers = std::mem::take(&mut entry.answers);
                check_item(situation, kind, i, &self.known, entry);
                if kind == ItemKind::Event {
                    dirty.warnings.push(entry.id.clone());
                    dirty.warnings.extend(old_answers);
                    dirty.warnings.extend(entry.answers.iter().cloned());
                    entry.order.clear();
                    if let Some(event) = situation.events.get(i) {
                        let find = |id: &str| situation.events.iter().find(|e| e.id == id);
                        timeline::answer_order_findings(event, find, &mut entry.order);
                    }
                }
                if kind == ItemKind::Line
                    && let Some(line) = situation.lines.get(i)
                {
                    dirty.matrix_lines.push(line.id.clone());
                }
            }
        }
        dirty.cells.sort_unstable();
        dirty.cells.dedup();
        for &i in &dirty.cells {
            if let Some(entry) = self.cells.get_mut(i) {
                check_cell(situation, i, &self.known, entry);
                dirty.matrix_lines.push(entry.line.clone());
            }
        }
        self.recheck_matrix(situation, &mut dirty);
        dirty.warnings.sort_unstable();
        dirty.warnings.dedup();
        for id in &dirty.warnings {
            match situation.event(id) {
                Some(w) => self.set_unanswered(w, timeline::is_unanswered(situation, w)),
                None => {
                    if let Some(date) = self.unanswered_keys.remove(id) {
                        self.unanswered.remove(&(date, id.clone()));
                    }
                }
            }
        }
    }

    fn recheck_matrix(&mut self, situation: &Situation, dirty: &mut Dirty) {
        dirty.matrix_lines.sort_unstable();
        dirty.matrix_lines.dedup();
        for id in &dirty.matrix_lines {
            let Some(i) = position(situation, ItemKind::Line, id) else {
                continue;
            };
            let (Some(line), Some(entry)) = (situation.lines.get(i), self.items[2].get_mut(i))
            else {
                continue;
            };
            let cells: Vec<_> = situation
                .assignments
                .iter()
                .filter(|a| a.line == line.id)
                .collect();
            entry.matrix.clear();
            matrix::line_findings(situation, line, &cells, &mut entry.matrix);
        }
        if dirty.overloads {
            self.overloads = matrix::overloads(situation);
        }
    }

    /// Every finding, in the order [`super::check_all`] gives them.
    fn assemble(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let every = |field: fn(&Entry) -> &Vec<Diagnostic>, kinds: &[usize], out: &mut Vec<_>| {
            for &k in kinds {
                for entry in &self.items[k] {
                    out.extend(field(entry).iter().cloned());
                }
            }
        };
        every(|e| &e.ids, &[0, 1, 2, 3], &mut out);
        for cell in &self.cells {
            out.extend(cell.ids.iter().cloned());
        }
        out.extend(self.title.iter().cloned());
        every(|e| &e.name, &[0, 1, 2, 3], &mut out);
        every(|e| &e.refs, &[2], &mut out);
        for cell in &self.cells {
            out.extend(cell.refs.iter().cloned());
        }
        every(|e| &e.refs, &[3], &mut out);
        every(|e| &e.dates, &[2, 3], &mut out);
        out.extend(self.countries.iter().cloned());
        every(|e| &e.places, &[0, 2], &mut out);
        for cell in &self.cells {
            out.extend(cell.places.iter().cloned());
        }
        every(|e| &e.places, &[3], &mut out);
        every(|e| &e.matrix, &[2], &mut out);
        out.extend(self.overloads.iter().cloned());
        every(|e| &e.order, &[3], &mut out);
        out.extend(self.unanswered.values().cloned());
        out
    }
}

/// The findings of the item at `i` that depend on it alone and on which ids exist.
fn check_item(
    situation: &Situation,
    kind: ItemKind,
    i: usize,
    known: &impl KnownIds,
    entry: &mut Entry,
) {
    let Some(id) = id_at(situation, kind, i) else {
        return;
    };
    entry.id = id.to_owned();
    entry.ids.clear();
    entry.name.clear();
    entry.refs.clear();
    entry.dates.clear();
    entry.places.clear();
    validate::id_findings(kind, id, None, &mut entry.ids);
    let name = match kind {
        ItemKind::Actor => situation.actors.get(i).map(|x| x.name.as_str()),
        ItemKind::Partner => situation.partners.get(i).map(|x| x.name.as_str()),
        ItemKind::Line => situation.lines.get(i).map(|x| x.title.as_str()),
        ItemKind::Event => situation.events.get(i).map(|x| x.title.as_str()),
    };
    validate::name_findings(kind, id, name.unwrap_or_default(), &mut entry.name);
    match kind {
        ItemKind::Line => {
            if let Some(line) = situation.lines.get(i) {
                validate::line_references(line, known, &mut entry.refs);
                validate::line_dates(line, &mut entry.dates);
                validate::place_findings(kind, id, &line.places, &mut entry.places);
            }
        }
        ItemKind::Event => {
            if let Some(e) = situation.events.get(i) {
                validate::event_references(e, known, &mut entry.refs);
                validate::event_dates(e, &mut entry.dates);
                validate::place_findings(kind, id, e.place.as_slice(), &mut entry.places);
                entry.answers = e.answers.clone();
            }
        }
        ItemKind::Actor => {
            if let Some(a) = situation.actors.get(i) {
                validate::place_findings(kind, id, a.place.as_slice(), &mut entry.places);
            }
        }
        ItemKind::Partner => {}
    }
}

/// The findings of the assignment at `i` (no cell is used twice: see [`State::build`]).
fn check_cell(situation: &Situation, i: usize, known: &impl KnownIds, entry: &mut CellEntry) {
    let Some(a) = situation.assignments.get(i) else {
        return;
    };
    entry.line = a.line.clone();
    entry.partner = a.partner.clone();
    entry.ids.clear();
    entry.refs.clear();
    entry.places.clear();
    validate::assignment_findings(a, false, &mut entry.ids);
    validate::assignment_references(a, known, &mut entry.refs);
    validate::place_findings(ItemKind::Line, &a.line, &a.places, &mut entry.places);
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::model::edit::{self, Edit, SituationMeta};
    use crate::model::{Actor, Assignment, Item, ItemRef, Role, Status};
    use crate::samples::guinea;

    fn pick<T: Clone>(list: &[T], n: u32) -> Option<T> {
        list.get(n as usize % list.len().max(1)).cloned()
    }

    /// An id from the situation (or a stranger one), chosen by `n`.
    fn some_id(s: &Situation, kind: ItemKind, n: u32) -> String {
        let ids: Vec<String> = (0..count(s, kind))
            .filter_map(|i| id_at(s, kind, i).map(str::to_owned))
            .collect();
        if n.is_multiple_of(7) {
            return format!("nobody-{}", n % 3);
        }
        pick(&ids, n).unwrap_or_else(|| "nobody".into())
    }

    /// A random edit: what the app's views and dialogs can make, and plain removals that leave
    /// references dangling.
    fn edit_for(s: &Situation, op: u8, a: u32, b: u32) -> Option<Edit> {
        let kind = ItemKind::ALL[(a % 4) as usize];
        match op {
            0 => {
                let mut e = pick(&s.events, a)?;
                e.kind = crate::model::EventKind::ALL[(b % 6) as usize];
                e.date = s.as_of;
                if b.is_multiple_of(3) {
                    e.date = pick(&s.events, b)?.date;
                }
                e.answers = vec![some_id(s, ItemKind::Event, b)];
                e.actors.push(some_id(s, ItemKind::Actor, a ^ b));
                e.partners = vec![some_id(s, ItemKind::Partner, b / 3)];
                if b.is_multiple_of(5) {
                    e.title.clear();
                }
                if b % 4 == 1 {
                    e.place = Some(crate::model::Place::country("Guinea"));
                }
                Some(Edit::Replace {
                    item: Item::Event(e),
                })
            }
            1 => {
                let mut l = pick(&s.lines, a)?;
                l.status = Status::ALL[(b % 5) as usize];
                l.actors = vec![some_id(s, ItemKind::Actor, b)];
                l.title = format!("Line {b}");
                Some(Edit::Replace {
                    item: Item::Line(l),
                })
            }
            2 => {
                let line = some_id(s, ItemKind::Line, a);
                let partner = some_id(s, ItemKind::Partner, b);
                let role = match b % 6 {
                    0 => None,
                    1 | 2 => Some(Role::Lead),
                    3 => Some(Role::Joint),
                    n => Some(Role::Sequential(n - 4 + a % 3)),
                };
                Some(Edit::SetAssignment {
                    assignment: role.map(|role| Assignment {
                        line: line.clone(),
                        partner: partner.clone(),
                        role,
                        note: String::new(),
                        sensitivity: Default::default(),
                        places: Vec::new(),
                    }),
                    line,
                    partner,
                    index: None,
                })
            }
            3 => {
                let target = ItemRef::new(kind, some_id(s, kind, b));
                if b.is_multiple_of(2) {
                    edit::delete(s, &target).ok()
                } else {
                    Some(Edit::Remove { item: target })
                }
            }
            4 => {
                let id = format!("new-{}", b % 50);
                let item = match kind {
                    ItemKind::Event => {
                        let mut e = pick(&s.events, b)?;
                        e.id = id;
                        Item::Event(e)
                    }
                    ItemKind::Line => {
                        let mut l = pick(&s.lines, b)?;
                        l.id = id;
                        Item::Line(l)
                    }
                    ItemKind::Partner => {
                        let mut p = pick(&s.partners, b)?;
                        p.id = id;
                        Item::Partner(p)
                    }
                    ItemKind::Actor => {
                        let mut x = pick(&s.actors, b)?;
                        x.id = id;
                        Item::Actor(x)
                    }
                };
                Some(Edit::Insert {
                    index: b as usize,
                    item,
                })
            }
            5 => Some(Edit::RenameId {
                kind,
                old: some_id(s, kind, a),
                new: format!("renamed-{}", b % 20),
            }),
            6 => {
                let mut p = pick(&s.partners, a)?;
                p.acronym = format!("P{b}");
                Some(Edit::Replace {
                    item: Item::Partner(p),
                })
            }
            _ => {
                let mut meta = SituationMeta::of(s);
                meta.lead_limit = b % 4;
                if a.is_multiple_of(2) {
                    meta.as_of = pick(&s.events, b)?.date;
                }
                Some(Edit::SetMeta(Box::new(meta)))
            }
        }
    }

    /// Applies an edit as the document does and brings the cache up to date.
    fn apply(s: &mut Situation, cache: &mut CheckCache, edit: Edit) -> Option<Edit> {
        let mut touched = edit.touched();
        let inverse = edit::apply(s, edit).ok()?;
        touched.add_referencing(s);
        cache.update(s, &touched);
        Some(inverse)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn the_kept_findings_equal_a_full_check_after_random_edits(
            steps in prop::collection::vec((0u8..9, any::<u32>(), any::<u32>()), 1..40)
        ) {
            let mut s = guinea();
            let mut cache = CheckCache::new(&s);
            let mut undo = Vec::new();
            for (op, a, b) in steps {
                if op == 8 {
                    // Undo, as the history does: the inverse edit.
                    if let Some(inverse) = undo.pop() {
                        apply(&mut s, &mut cache, inverse);
                    }
                } else if let Some(edit) = edit_for(&s, op, a, b) {
                    let label = edit.describe(&s);
                    if let Some(inverse) = apply(&mut s, &mut cache, edit) {
                        undo.push(inverse);
                    }
                    let (kept, full) = (cache.diagnostics(), crate::analysis::check_all(&s));
                    prop_assert_eq!(kept.as_slice(), full.as_slice(), "after {}", label);
                }
                let (kept, full) = (cache.diagnostics(), crate::analysis::check_all(&s));
                prop_assert_eq!(kept.as_slice(), full.as_slice());
            }
        }
    }

    #[test]
    fn an_id_added_twice_by_a_colleague_is_reported_and_then_forgotten() {
        let mut s = guinea();
        let mut cache = CheckCache::new(&s);
        let first = s.actors[0].clone();
        // A colleague's change arrives: the same id added concurrently.
        let twin = Actor {
            name: "Twin".into(),
            ..first.clone()
        };
        s.actors.push(twin);
        let mut touched = Touched::default();
        touched.add_item(ItemRef::new(ItemKind::Actor, &first.id));
        cache.update(&s, &touched);
        let d = cache.diagnostics();
        assert!(d.iter().any(|d| d.code == "id.duplicate"), "{d:?}");
        assert_eq!(d.as_slice(), crate::analysis::check_all(&s).as_slice());
        s.actors.pop();
        cache.update(&s, &touched);
        assert_eq!(
            cache.diagnostics().as_slice(),
            crate::analysis::check_all(&s).as_slice()
        );
        assert!(cache.state.is_some(), "kept per item again");
    }

    #[test]
    fn realign_follows_an_insertion_a_removal_and_a_rename() {
        let old: Vec<Entry> = ["a", "b", "c", "d"]
            .iter()
            .map(|id| Entry {
                id: (*id).into(),
                ..Entry::default()
            })
            .collect();
        let new = ["a", "x", "b", "d", "e"];
        let r = realign(old, new.len(), |e: &Entry, j| {
            new.get(j) == Some(&e.id.as_str())
        });
        let ids: Vec<&str> = r.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["a", "", "b", "d", ""]);
        assert_eq!(r.fresh, [1, 4]);
        let gone: Vec<&str> = r.gone.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(gone, ["c"]);
    }
}
