//! Field by field comparison of one item in two states, with references named, not given as ids.

use std::collections::HashMap;
use std::fmt::Display;

use serde::Serialize;

use super::{Change, FieldChange, ItemChange, Pair, RoleChange};
use crate::model::{Actor, Assignment, Event, ItemKind, LineOfEffort, Partner, Place, Situation};

/// Where each item of one kind sits in the old and the new state.
pub(super) struct Index<'s> {
    kind: ItemKind,
    old: HashMap<&'s str, usize>,
    new: HashMap<&'s str, usize>,
}

/// One item of any kind, borrowed.
#[derive(Clone, Copy)]
enum ItemRef<'s> {
    Actor(&'s Actor),
    Partner(&'s Partner),
    Line(&'s LineOfEffort),
    Event(&'s Event),
}

impl<'s> ItemRef<'s> {
    fn at(situation: &'s Situation, kind: ItemKind, i: usize) -> Option<Self> {
        match kind {
            ItemKind::Actor => situation.actors.get(i).map(ItemRef::Actor),
            ItemKind::Partner => situation.partners.get(i).map(ItemRef::Partner),
            ItemKind::Line => situation.lines.get(i).map(ItemRef::Line),
            ItemKind::Event => situation.events.get(i).map(ItemRef::Event),
        }
    }

    /// The name a desk officer calls it by: a partner's acronym when it has one.
    fn name(self) -> String {
        match self {
            ItemRef::Actor(a) => a.name.clone(),
            ItemRef::Partner(p) => p.short_name().to_owned(),
            ItemRef::Line(l) => l.title.clone(),
            ItemRef::Event(e) => e.title.clone(),
        }
    }

    /// What it is, in a few words: `Armed group, Spoiler`, `Warning sign, 2009-09-28`.
    fn what(self) -> String {
        match self {
            ItemRef::Actor(a) => format!("{}, {}", a.kind, a.stance),
            ItemRef::Partner(p) => p.category.label().to_owned(),
            ItemRef::Line(l) => format!("{}, {}", l.instrument, l.status),
            ItemRef::Event(e) => format!("{}, {}", e.kind, e.date),
        }
    }
}

fn positions(situation: &Situation, kind: ItemKind) -> HashMap<&str, usize> {
    super::item_ids(situation, kind)
        .into_iter()
        .enumerate()
        .map(|(i, id)| (id, i))
        .collect()
}

impl<'s> Index<'s> {
    pub(super) fn new(pair: &Pair<'s>, kind: ItemKind) -> Self {
        Self {
            kind,
            old: positions(pair.old, kind),
            new: positions(pair.new, kind),
        }
    }

    fn old_item(&self, pair: &Pair<'s>, id: &str) -> Option<ItemRef<'s>> {
        let i = *self.old.get(id)?;
        ItemRef::at(pair.old, self.kind, i)
    }

    fn new_item(&self, pair: &Pair<'s>, id: &str) -> Option<ItemRef<'s>> {
        let i = *self.new.get(id)?;
        ItemRef::at(pair.new, self.kind, i)
    }

    /// The change record of the item with `id` in the new state.
    pub(super) fn change(&self, pair: &Pair<'s>, id: &str, change: Change) -> ItemChange {
        let item = self.new_item(pair, id);
        ItemChange {
            kind: self.kind,
            id: id.to_owned(),
            name: item.map_or_else(|| id.to_owned(), ItemRef::name),
            what: match (&change, item) {
                (Change::Added, Some(item)) => item.what(),
                _ => String::new(),
            },
            change,
            fields: Vec::new(),
        }
    }

    /// The change record of the item with `id` in the old state, removed.
    pub(super) fn removed(&self, pair: &Pair<'s>, id: &str) -> ItemChange {
        let item = self.old_item(pair, id);
        ItemChange {
            kind: self.kind,
            id: id.to_owned(),
            name: item.map_or_else(|| id.to_owned(), ItemRef::name),
            what: item.map(ItemRef::what).unwrap_or_default(),
            change: Change::Removed,
            fields: Vec::new(),
        }
    }

    /// The fields that differ between the old item `old_id` and the new item `new_id`.
    pub(super) fn fields(&self, pair: &Pair<'s>, old_id: &str, new_id: &str) -> Vec<FieldChange> {
        let (Some(old), Some(new)) = (self.old_item(pair, old_id), self.new_item(pair, new_id))
        else {
            return Vec::new();
        };
        let mut d = Diffs {
            pair,
            out: Vec::new(),
        };
        match (old, new) {
            (ItemRef::Actor(o), ItemRef::Actor(n)) => d.actor(o, n),
            (ItemRef::Partner(o), ItemRef::Partner(n)) => d.partner(o, n),
            (ItemRef::Line(o), ItemRef::Line(n)) => d.line(o, n),
            (ItemRef::Event(o), ItemRef::Event(n)) => d.event(o, n),
            _ => {}
        }
        d.out
    }
}

/// Field changes found so far, and the two states to name references in.
struct Diffs<'p, 's> {
    pair: &'p Pair<'s>,
    out: Vec<FieldChange>,
}

impl Diffs<'_, '_> {
    fn push(&mut self, field: &'static str, old: String, new: String) {
        self.out.push(FieldChange {
            field,
            old,
            new,
            old_withheld: false,
            free_text: false,
        });
    }

    fn text(&mut self, field: &'static str, old: &str, new: &str) {
        if old.trim() != new.trim() {
            self.push(field, old.trim().to_owned(), new.trim().to_owned());
            if let Some(last) = self.out.last_mut() {
                last.free_text = true;
            }
        }
    }

    fn value<T: PartialEq + Display>(&mut self, field: &'static str, old: T, new: T) {
        if old != new {
            self.push(field, old.to_string(), new.to_string());
        }
    }

    fn opt<T: PartialEq + Display>(&mut self, field: &'static str, old: Option<T>, new: Option<T>) {
        if old != new {
            let show = |v: Option<T>| v.map(|v| v.to_string()).unwrap_or_default();
            self.push(field, show(old), show(new));
        }
    }

    /// A list whose order means nothing.
    fn set<T: Ord + Clone + Display>(&mut self, field: &'static str, old: &[T], new: &[T]) {
        let sorted = |list: &[T]| {
            let mut v = list.to_vec();
            v.sort();
            v
        };
        let (old, new) = (sorted(old), sorted(new));
        if old != new {
            let show = |v: &[T]| v.iter().map(T::to_string).collect::<Vec<_>>().join(", ");
            self.push(field, show(&old), show(&new));
        }
    }

    /// A list of references to items of `kind`, compared through renames and named.
    fn refs(&mut self, field: &'static str, kind: ItemKind, old: &[String], new: &[String]) {
        let renames = &self.pair.renames;
        let mut old_ids: Vec<&str> = old.iter().map(|id| renames.to_new(kind, id)).collect();
        let mut new_ids: Vec<&str> = new.iter().map(String::as_str).collect();
        old_ids.sort_unstable();
        old_ids.dedup();
        new_ids.sort_unstable();
        new_ids.dedup();
        if old_ids != new_ids {
            let names = |situation: &Situation, ids: &[String]| {
                ids.iter()
                    .map(|id| reference_name(situation, kind, id))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            self.push(field, names(self.pair.old, old), names(self.pair.new, new));
        }
    }

    fn places(&mut self, field: &'static str, old: &[Place], new: &[Place]) {
        let same = old.len() == new.len() && old.iter().all(|p| new.contains(p));
        if !same {
            let show = |v: &[Place]| v.iter().map(Place::describe).collect::<Vec<_>>().join("; ");
            self.push(field, show(old), show(new));
        }
    }

    fn place(&mut self, field: &'static str, old: Option<&Place>, new: Option<&Place>) {
        if old != new {
            let show = |p: Option<&Place>| p.map(Place::describe).unwrap_or_default();
            self.push(field, show(old), show(new));
        }
    }

    fn actor(&mut self, o: &Actor, n: &Actor) {
        self.text("name", &o.name, &n.name);
        self.set("aliases", &o.aliases, &n.aliases);
        self.value("kind", o.kind, n.kind);
        self.value("stance", o.stance, n.stance);
        self.value("influence", o.influence, n.influence);
        self.place("place", o.place.as_ref(), n.place.as_ref());
        self.text("interests", &o.interests, &n.interests);
        self.text("notes", &o.notes, &n.notes);
        self.value("sensitivity", o.sensitivity, n.sensitivity);
    }

    fn partner(&mut self, o: &Partner, n: &Partner) {
        self.text("name", &o.name, &n.name);
        self.text("acronym", &o.acronym, &n.acronym);
        self.value("category", o.category, n.category);
        self.set("instruments", &o.instruments, &n.instruments);
        self.text("notes", &o.notes, &n.notes);
        self.value("sensitivity", o.sensitivity, n.sensitivity);
    }

    fn line(&mut self, o: &LineOfEffort, n: &LineOfEffort) {
        self.text("title", &o.title, &n.title);
        self.value("instrument", o.instrument, n.instrument);
        self.text("sector", &o.sector, &n.sector);
        self.value("track", o.track, n.track);
        self.value("status", o.status, n.status);
        self.opt("start", o.start, n.start);
        self.opt("end", o.end, n.end);
        self.refs("actors engaged", ItemKind::Actor, &o.actors, &n.actors);
        self.places("places", &o.places, &n.places);
        self.text("notes", &o.notes, &n.notes);
        self.value("sensitivity", o.sensitivity, n.sensitivity);
    }

    fn event(&mut self, o: &Event, n: &Event) {
        self.text("title", &o.title, &n.title);
        self.value("kind", o.kind, n.kind);
        self.value("date", o.date, n.date);
        self.opt("end", o.end, n.end);
        self.refs("actors", ItemKind::Actor, &o.actors, &n.actors);
        self.refs("partners", ItemKind::Partner, &o.partners, &n.partners);
        self.refs("lines of effort", ItemKind::Line, &o.lines, &n.lines);
        self.refs("answers", ItemKind::Event, &o.answers, &n.answers);
        self.place("place", o.place.as_ref(), n.place.as_ref());
        self.opt("fatalities", o.fatalities, n.fatalities);
        self.text("description", &o.description, &n.description);
        self.text("source", &o.source, &n.source);
        self.text("notes", &o.notes, &n.notes);
        self.value("sensitivity", o.sensitivity, n.sensitivity);
    }
}

/// A referenced item as a reader names it: a partner by its acronym, the others by their
/// name or title in quotes; the id when the item is missing.
pub(super) fn reference_name(situation: &Situation, kind: ItemKind, id: &str) -> String {
    match kind {
        ItemKind::Partner => situation
            .partner(id)
            .map_or_else(|| id.to_owned(), |p| p.short_name().to_owned()),
        _ => situation
            .item_name(kind, id)
            .map_or_else(|| id.to_owned(), |n| format!("“{n}”")),
    }
}

/// The changes to the situation's own fields.
pub(super) fn situation(old: &Situation, new: &Situation) -> Vec<FieldChange> {
    let pair = Pair {
        old,
        new,
        renames: super::Renames::default(),
    };
    let mut d = Diffs {
        pair: &pair,
        out: Vec::new(),
    };
    d.text("title", &old.title, &new.title);
    d.set("countries", &old.countries, &new.countries);
    d.text("region", &old.region, &new.region);
    d.text("summary", &old.summary, &new.summary);
    d.value("as-of date", old.as_of, new.as_of);
    d.value("sensitivity of new items", old.sensitivity, new.sensitivity);
    d.value("leads per partner", old.lead_limit, new.lead_limit);
    d.out
}

/// The change of one cell of the matrix, if any: `then` and `now` are its assignment in
/// each state (matched by line and partner through renames).
pub(super) fn cell(
    pair: &Pair<'_>,
    then: Option<&Assignment>,
    now: Option<&Assignment>,
) -> Option<RoleChange> {
    let (line_id, partner_id, situation) = match (now, then) {
        (Some(a), _) => (a.line.as_str(), a.partner.as_str(), pair.new),
        (None, Some(a)) => (a.line.as_str(), a.partner.as_str(), pair.old),
        (None, None) => return None,
    };
    let old_role = then.map(|a| a.role.describe());
    let new_role = now.map(|a| a.role.describe());
    let mut d = Diffs {
        pair,
        out: Vec::new(),
    };
    if let (Some(o), Some(n)) = (then, now) {
        d.places("places", &o.places, &n.places);
        d.text("note", &o.note, &n.note);
        d.value("sensitivity", o.sensitivity, n.sensitivity);
    }
    if old_role == new_role && d.out.is_empty() {
        return None;
    }
    Some(RoleChange {
        line_id: line_id.to_owned(),
        line: situation
            .line(line_id)
            .map_or_else(|| line_id.to_owned(), |l| l.title.clone()),
        partner_id: partner_id.to_owned(),
        partner: situation
            .partner(partner_id)
            .map_or_else(|| partner_id.to_owned(), |p| p.short_name().to_owned()),
        old_role,
        new_role,
        fields: d.out,
    })
}

/// The item with `id` in the old state (`old`) or the new one, without its id, its unordered
/// lists sorted and (in the old state) its references through the renames found so far: two
/// items with the same fingerprint differ by their id alone.
pub(super) fn fingerprint(pair: &Pair<'_>, kind: ItemKind, id: &str, old: bool) -> Option<String> {
    let situation = if old { pair.old } else { pair.new };
    let refs = |list: &[String], kind: ItemKind| {
        let mut v: Vec<String> = list
            .iter()
            .map(|id| {
                if old {
                    pair.renames.to_new(kind, id).to_owned()
                } else {
                    id.clone()
                }
            })
            .collect();
        v.sort();
        v.dedup();
        v
    };
    match kind {
        ItemKind::Actor => situation.actor(id).and_then(|a| {
            let mut a = a.clone();
            a.id.clear();
            a.aliases.sort();
            print(&a)
        }),
        ItemKind::Partner => situation.partner(id).and_then(|p| {
            let mut p = p.clone();
            p.id.clear();
            p.instruments.sort();
            print(&p)
        }),
        ItemKind::Line => situation.line(id).and_then(|l| {
            let mut l = l.clone();
            l.id.clear();
            l.actors = refs(&l.actors, ItemKind::Actor);
            sort_places(&mut l.places);
            print(&l)
        }),
        ItemKind::Event => situation.event(id).and_then(|e| {
            let mut e = e.clone();
            e.id.clear();
            e.actors = refs(&e.actors, ItemKind::Actor);
            e.partners = refs(&e.partners, ItemKind::Partner);
            e.lines = refs(&e.lines, ItemKind::Line);
            e.answers = refs(&e.answers, ItemKind::Event);
            print(&e)
        }),
    }
}

fn sort_places(places: &mut [Place]) {
    places.sort_by_cached_key(|p| serde_json::to_string(p).unwrap_or_default());
}

/// One comparable string of any model item.
fn print<T: Serialize>(value: &T) -> Option<String> {
    serde_json::to_string(value).ok()
}
