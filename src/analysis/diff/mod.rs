//! What changed between two states of a situation, in words: items matched by id, a changed id
//! recognised as a rename, reordering not counted as a change.
//!
//! [`diff`] compares two whole situations; what an audience may read of a diff (nothing of an
//! item it may not see, not even old values) is [`crate::export::since`]'s business.

mod fields;
mod words;

#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::timeline::continuum;
use crate::model::{Assignment, Event, EventKind, ItemKind, PartialDate, Situation};

pub use words::{DiffSection, NO_CHANGE};

/// One field of an item that changed: its label and the old and new values in words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// What the field is, as a desk officer names it: `stance`, `lines of effort`.
    pub field: &'static str,
    /// The value before, in words (names, not ids); empty when there was none.
    pub old: String,
    /// The value after, in words; empty when there is none.
    pub new: String,
    /// Whether the old value is withheld from this audience (it names an item the audience may
    /// not see); `old` is then empty.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub old_withheld: bool,
    /// Whether the values are free text (a title, a note), quoted in sentences.
    #[serde(skip)]
    pub free_text: bool,
}

/// What happened to an item between the two states.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "change")]
pub enum Change {
    /// Only in the new state.
    Added,
    /// Only in the old state.
    Removed,
    /// The same item under another id: every other field is the same.
    Renamed {
        /// The id it had.
        old_id: String,
    },
    /// In both, with some fields changed.
    Changed,
}

/// An actor, partner, line of effort or event that was added, removed, renamed or changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ItemChange {
    pub kind: ItemKind,
    /// The id it has now (its last id, when removed).
    pub id: String,
    /// Its name or title now (its last one, when removed); a partner's acronym when it has one.
    pub name: String,
    #[serde(flatten)]
    pub change: Change,
    /// What it is, for an added or removed item: `Armed group, Spoiler`, `Warning sign, 2009-09-28`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub what: String,
    /// The fields that changed, for a changed item.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldChange>,
}

/// A cell of the matrix that changed: a role taken, given up or changed, or its details.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RoleChange {
    pub line_id: String,
    /// The line of effort's title.
    pub line: String,
    pub partner_id: String,
    /// The partner's acronym, or its name.
    pub partner: String,
    /// The role before (`Sequential (step 2)`), when it had one.
    pub old_role: Option<String>,
    /// The role now, when it has one.
    pub new_role: Option<String>,
    /// Other fields of the assignment that changed (note, places, sensitivity).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldChange>,
}

/// A threshold moment ahead of the as-of date now that was not ahead before.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ThresholdAhead {
    pub id: String,
    pub title: String,
    pub date: PartialDate,
}

/// Changes to the timeline, in the groups a briefing reads them in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EventChanges {
    /// Warning signs added.
    pub new_warnings: Vec<ItemChange>,
    /// Diplomatic actions added.
    pub new_actions: Vec<ItemChange>,
    /// Threshold moments ahead now and not before (added, or moved ahead).
    pub new_thresholds_ahead: Vec<ThresholdAhead>,
    /// Every other event added, removed, renamed or changed (a threshold moment added ahead
    /// is listed above only).
    pub other: Vec<ItemChange>,
}

/// The warning-to-action figures of one state (S/2011/552 ¶47).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ContinuumFigures {
    pub warnings: usize,
    /// Warnings answered by the as-of date.
    pub answered: usize,
    /// Warnings before the as-of date that no action answers.
    pub unanswered: usize,
    /// Warnings whose only answers are planned after the as-of date.
    pub answer_planned: usize,
    pub median_lag_days: Option<f64>,
}

impl ContinuumFigures {
    /// The figures of `situation`.
    pub fn of(situation: &Situation) -> Self {
        let c = continuum(situation);
        Self {
            warnings: c.warnings.len(),
            answered: c
                .warnings
                .iter()
                .filter(|w| w.answered_by.is_some())
                .count(),
            unanswered: c.unanswered.len(),
            answer_planned: c.answer_planned.len(),
            median_lag_days: c.median_lag_days,
        }
    }
}

/// The title and as-of date of one of the two states.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StateLabel {
    pub title: String,
    pub as_of: PartialDate,
}

/// Everything that changed from one state of a situation to another.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SituationDiff {
    pub old: StateLabel,
    pub new: StateLabel,
    /// The situation's own fields: title, countries, region, summary, as-of date…
    pub situation: Vec<FieldChange>,
    pub actors: Vec<ItemChange>,
    pub partners: Vec<ItemChange>,
    pub lines: Vec<ItemChange>,
    /// Role changes per line of effort and partner.
    pub matrix: Vec<RoleChange>,
    pub events: EventChanges,
    /// The warning-to-action figures then and now.
    pub continuum_then: ContinuumFigures,
    pub continuum_now: ContinuumFigures,
}

impl SituationDiff {
    /// Whether no item, cell or field of the situation changed.
    pub fn is_empty(&self) -> bool {
        self.situation.is_empty()
            && self.actors.is_empty()
            && self.partners.is_empty()
            && self.lines.is_empty()
            && self.matrix.is_empty()
            && self.events.new_warnings.is_empty()
            && self.events.new_actions.is_empty()
            && self.events.new_thresholds_ahead.is_empty()
            && self.events.other.is_empty()
    }

    /// Every field change of the diff, to withhold old values ([`crate::export::since`]).
    pub fn field_changes_mut(&mut self) -> impl Iterator<Item = &mut FieldChange> {
        let items = self
            .actors
            .iter_mut()
            .chain(&mut self.partners)
            .chain(&mut self.lines)
            .chain(&mut self.events.new_warnings)
            .chain(&mut self.events.new_actions)
            .chain(&mut self.events.other)
            .flat_map(|c| c.fields.iter_mut());
        self.situation
            .iter_mut()
            .chain(items)
            .chain(self.matrix.iter_mut().flat_map(|c| c.fields.iter_mut()))
    }
}

/// Ids that changed: for each kind, old id → new id.
#[derive(Debug, Default)]
pub(crate) struct Renames(HashMap<ItemKind, HashMap<String, String>>);

impl Renames {
    /// The id `old_id` of `kind` has in the new state (itself unless renamed).
    pub(crate) fn to_new<'a>(&'a self, kind: ItemKind, old_id: &'a str) -> &'a str {
        self.0
            .get(&kind)
            .and_then(|m| m.get(old_id))
            .map_or(old_id, String::as_str)
    }

    fn insert(&mut self, kind: ItemKind, old_id: &str, new_id: &str) {
        self.0
            .entry(kind)
            .or_default()
            .insert(old_id.to_owned(), new_id.to_owned());
    }
}

/// The two states and the renames found so far: what field comparisons need to name things.
pub(crate) struct Pair<'a> {
    pub(crate) old: &'a Situation,
    pub(crate) new: &'a Situation,
    pub(crate) renames: Renames,
}

/// What changed from `old` to `new`: items are matched by id; an item whose id changed but
/// whose other fields are all the same is a rename; order in the file is not a change.
pub fn diff(old: &Situation, new: &Situation) -> SituationDiff {
    let mut pair = Pair {
        old,
        new,
        renames: Renames::default(),
    };
    // Actors and partners first: lines and events refer to them, so a line is recognised as
    // renamed even when an actor it engages was renamed too.
    let actors = items(&mut pair, ItemKind::Actor);
    let partners = items(&mut pair, ItemKind::Partner);
    let lines = items(&mut pair, ItemKind::Line);
    let event_changes = items(&mut pair, ItemKind::Event);
    let matrix = matrix(&pair);
    let events = group_events(&pair, event_changes);
    SituationDiff {
        old: StateLabel {
            title: old.title.clone(),
            as_of: old.as_of,
        },
        new: StateLabel {
            title: new.title.clone(),
            as_of: new.as_of,
        },
        situation: fields::situation(old, new),
        actors,
        partners,
        lines,
        matrix,
        events,
        continuum_then: ContinuumFigures::of(old),
        continuum_now: ContinuumFigures::of(new),
    }
}

/// The ids of every item of `kind` in `situation`, in file order.
pub fn item_ids(situation: &Situation, kind: ItemKind) -> Vec<&str> {
    match kind {
        ItemKind::Actor => situation.actors.iter().map(|x| x.id.as_str()).collect(),
        ItemKind::Partner => situation.partners.iter().map(|x| x.id.as_str()).collect(),
        ItemKind::Line => situation.lines.iter().map(|x| x.id.as_str()).collect(),
        ItemKind::Event => situation.events.iter().map(|x| x.id.as_str()).collect(),
    }
}

/// The changes to every item of `kind`: added and renamed first, then changed, then removed,
/// each in file order. Records the renames found in `pair`.
fn items(pair: &mut Pair<'_>, kind: ItemKind) -> Vec<ItemChange> {
    let old_ids = item_ids(pair.old, kind);
    let new_ids = item_ids(pair.new, kind);
    let old_set: HashSet<&str> = old_ids.iter().copied().collect();
    let new_set: HashSet<&str> = new_ids.iter().copied().collect();
    let gone: Vec<&str> = old_ids
        .iter()
        .copied()
        .filter(|id| !new_set.contains(id))
        .collect();
    let came: Vec<&str> = new_ids
        .iter()
        .copied()
        .filter(|id| !old_set.contains(id))
        .collect();
    let renamed = find_renames(pair, kind, &gone, &came);
    for (old_id, new_id) in &renamed {
        pair.renames.insert(kind, old_id, new_id);
    }
    let renamed_from: HashMap<&str, &str> = renamed.iter().map(|(o, n)| (*n, *o)).collect();
    let renamed_old: HashSet<&str> = renamed.iter().map(|(o, _)| *o).collect();
    let index = fields::Index::new(pair, kind);
    let mut added = Vec::new();
    let mut changed = Vec::new();
    for id in new_ids {
        if let Some(old_id) = renamed_from.get(id) {
            added.push(index.change(
                pair,
                id,
                Change::Renamed {
                    old_id: (*old_id).to_owned(),
                },
            ));
        } else if !old_set.contains(id) {
            added.push(index.change(pair, id, Change::Added));
        } else {
            let found = index.fields(pair, id, id);
            if !found.is_empty() {
                let mut change = index.change(pair, id, Change::Changed);
                change.fields = found;
                changed.push(change);
            }
        }
    }
    let removed = gone
        .into_iter()
        .filter(|id| !renamed_old.contains(id))
        .map(|id| index.removed(pair, id));
    added.into_iter().chain(changed).chain(removed).collect()
}

/// Pairs of (old id, new id) among the items only in the old state and those only in the
/// new one whose every other field is the same, references counted through earlier renames.
fn find_renames<'a>(
    pair: &Pair<'_>,
    kind: ItemKind,
    gone: &[&'a str],
    came: &[&'a str],
) -> Vec<(&'a str, &'a str)> {
    if gone.is_empty() || came.is_empty() {
        return Vec::new();
    }
    let mut by_print: HashMap<String, Vec<&'a str>> = HashMap::new();
    for &id in came.iter().rev() {
        if let Some(print) = fields::fingerprint(pair, kind, id, false) {
            by_print.entry(print).or_default().push(id);
        }
    }
    let mut out = Vec::new();
    for &id in gone {
        let Some(print) = fields::fingerprint(pair, kind, id, true) else {
            continue;
        };
        if let Some(new_id) = by_print.get_mut(&print).and_then(Vec::pop) {
            out.push((id, new_id));
        }
    }
    out
}

/// The role changes of the matrix, cells matched by (line, partner) through renames; in the
/// new file's order, then the cells given up in the old file's order.
fn matrix(pair: &Pair<'_>) -> Vec<RoleChange> {
    let key = |a: &Assignment| {
        (
            pair.renames.to_new(ItemKind::Line, &a.line).to_owned(),
            pair.renames
                .to_new(ItemKind::Partner, &a.partner)
                .to_owned(),
        )
    };
    let old: HashMap<(String, String), &Assignment> =
        pair.old.assignments.iter().map(|a| (key(a), a)).collect();
    let new_keys: HashSet<(&str, &str)> = pair
        .new
        .assignments
        .iter()
        .map(|a| (a.line.as_str(), a.partner.as_str()))
        .collect();
    let mut out = Vec::new();
    for now in &pair.new.assignments {
        let then = old.get(&(now.line.clone(), now.partner.clone())).copied();
        if let Some(change) = fields::cell(pair, then, Some(now)) {
            out.push(change);
        }
    }
    for then in &pair.old.assignments {
        let (line, partner) = key(then);
        if !new_keys.contains(&(line.as_str(), partner.as_str()))
            && let Some(change) = fields::cell(pair, Some(then), None)
        {
            out.push(change);
        }
    }
    out
}

/// Sorts the event changes into new warnings, new actions, new threshold moments ahead and
/// the rest.
fn group_events(pair: &Pair<'_>, changes: Vec<ItemChange>) -> EventChanges {
    let then_ahead: HashSet<String> = continuum(pair.old)
        .upcoming_thresholds
        .into_iter()
        .map(|t| pair.renames.to_new(ItemKind::Event, &t.id).to_owned())
        .collect();
    let mut out = EventChanges::default();
    for t in continuum(pair.new).upcoming_thresholds {
        if !then_ahead.contains(&t.id) {
            out.new_thresholds_ahead.push(ThresholdAhead {
                title: pair
                    .new
                    .event(&t.id)
                    .map_or_else(|| t.id.clone(), |e| e.title.clone()),
                id: t.id,
                date: t.date,
            });
        }
    }
    let ahead: HashSet<&str> = out
        .new_thresholds_ahead
        .iter()
        .map(|t| t.id.as_str())
        .collect();
    let kind_now = |id: &str| pair.new.event(id).map(|e: &Event| e.kind);
    let mut new_warnings = Vec::new();
    let mut new_actions = Vec::new();
    let mut other = Vec::new();
    for change in changes {
        let added = change.change == Change::Added;
        match kind_now(&change.id) {
            Some(EventKind::WarningSign) if added => new_warnings.push(change),
            Some(EventKind::DiplomaticAction) if added => new_actions.push(change),
            Some(EventKind::ThresholdMoment) if added && ahead.contains(change.id.as_str()) => {}
            _ => other.push(change),
        }
    }
    out.new_warnings = new_warnings;
    out.new_actions = new_actions;
    out.other = other;
    out
}
