//! Undo and redo over random sequences of edits; renaming ids; the unsaved marker.

use proptest::prelude::*;
use tandem::app::Document;
use tandem::model::edit::{self, Edit, SituationMeta};
use tandem::model::history::History;
use tandem::model::{
    Actor, ActorKind, Assignment, Event, EventKind, Influence, Instrument, Item, ItemKind, ItemRef,
    LineOfEffort, PartialDate, Partner, PartnerCategory, Role, Sensitivity, Situation, Stance,
    Status, Track, ids,
};

fn date(text: &str) -> PartialDate {
    text.parse().unwrap()
}

fn actor(id: &str) -> Actor {
    Actor {
        id: id.into(),
        name: format!("Actor {id}"),
        kind: ActorKind::Government,
        stance: Stance::Neutral,
        influence: Influence::High,
        interests: String::new(),
        notes: String::new(),
        sensitivity: Sensitivity::Unclassified,
        place: None,
        aliases: Vec::new(),
    }
}

fn partner(id: &str) -> Partner {
    Partner {
        id: id.into(),
        name: format!("Partner {id}"),
        acronym: id.to_uppercase(),
        category: PartnerCategory::Regional,
        instruments: vec![Instrument::GoodOffices],
        notes: String::new(),
        sensitivity: Sensitivity::Unclassified,
    }
}

fn line(id: &str, actors: &[&str]) -> LineOfEffort {
    LineOfEffort {
        id: id.into(),
        title: format!("Line {id}"),
        instrument: Instrument::SpecialEnvoy,
        sector: String::new(),
        track: Track::I,
        status: Status::Active,
        start: Some(date("2009-10")),
        end: None,
        actors: actors.iter().map(|s| s.to_string()).collect(),
        notes: String::new(),
        sensitivity: Sensitivity::Unclassified,
        places: Vec::new(),
    }
}

fn event(id: &str, kind: EventKind) -> Event {
    Event {
        id: id.into(),
        title: format!("Event {id}"),
        kind,
        date: date("2009-09-28"),
        end: None,
        actors: Vec::new(),
        partners: Vec::new(),
        lines: Vec::new(),
        answers: Vec::new(),
        source: String::new(),
        notes: String::new(),
        sensitivity: Sensitivity::Unclassified,
        fatalities: None,
        place: None,
        description: String::new(),
    }
}

/// A small situation where every kind of reference occurs.
fn connected_situation() -> Situation {
    let mut s = Situation::new("Test crisis", date("2010-01"));
    s.actors = vec![actor("junta"), actor("forces-vives")];
    s.partners = vec![partner("ecowas"), partner("au"), partner("un")];
    s.lines = vec![
        line("mediation", &["junta", "forces-vives"]),
        line("inquiry", &["junta"]),
    ];
    for (l, p, role) in [
        ("mediation", "ecowas", Role::Lead),
        ("mediation", "au", Role::Support),
        ("inquiry", "un", Role::Lead),
        ("inquiry", "ecowas", Role::Sequential(2)),
    ] {
        s.assignments.push(Assignment {
            line: l.into(),
            partner: p.into(),
            role,
            note: String::new(),
            sensitivity: Sensitivity::Unclassified,
            places: Vec::new(),
        });
    }
    let mut warning = event("massacre", EventKind::WarningSign);
    warning.actors = vec!["junta".into()];
    let mut action = event("envoy", EventKind::DiplomaticAction);
    action.actors = vec!["junta".into(), "forces-vives".into()];
    action.partners = vec!["ecowas".into(), "au".into()];
    action.lines = vec!["mediation".into()];
    action.answers = vec!["massacre".into()];
    s.events = vec![warning, action];
    s
}

fn all_refs(s: &Situation) -> Vec<ItemRef> {
    let mut refs = Vec::new();
    refs.extend(
        s.actors
            .iter()
            .map(|x| ItemRef::new(ItemKind::Actor, &x.id)),
    );
    refs.extend(
        s.partners
            .iter()
            .map(|x| ItemRef::new(ItemKind::Partner, &x.id)),
    );
    refs.extend(s.lines.iter().map(|x| ItemRef::new(ItemKind::Line, &x.id)));
    refs.extend(
        s.events
            .iter()
            .map(|x| ItemRef::new(ItemKind::Event, &x.id)),
    );
    refs
}

fn pick<T: Clone>(list: &[T], n: u32) -> Option<T> {
    if list.is_empty() {
        None
    } else {
        list.get(n as usize % list.len()).cloned()
    }
}

/// Turns a random seed into an edit that is valid against `s`.
fn edit_for(s: &Situation, op: u8, a: u32, b: u32, word: &str) -> Option<Edit> {
    let kind = ItemKind::ALL[(a % 4) as usize];
    match op % 9 {
        0 => {
            let id = ids::fresh_id(s, word, "item");
            let item = match kind {
                ItemKind::Actor => Item::Actor(actor(&id)),
                ItemKind::Partner => Item::Partner(partner(&id)),
                ItemKind::Line => Item::Line(line(&id, &[])),
                ItemKind::Event => Item::Event(event(&id, EventKind::WarningSign)),
            };
            Some(Edit::Insert {
                index: b as usize,
                item,
            })
        }
        1 => {
            let target = pick(&all_refs(s), a)?;
            let item = match target.kind {
                ItemKind::Actor => s.actor(&target.id).cloned().map(|mut x| {
                    x.name = word.into();
                    x.kind = pick(ActorKind::ALL, b).unwrap_or(ActorKind::Other);
                    Item::Actor(x)
                }),
                ItemKind::Partner => s.partner(&target.id).cloned().map(|mut x| {
                    x.acronym = word.to_uppercase();
                    x.instruments
                        .push(pick(Instrument::ALL, b).unwrap_or(Instrument::Other));
                    Item::Partner(x)
                }),
                ItemKind::Line => s.line(&target.id).cloned().map(|mut x| {
                    x.title = word.into();
                    if let Some(a) = pick(&s.actors, b) {
                        x.actors.push(a.id);
                    }
                    Item::Line(x)
                }),
                ItemKind::Event => s.event(&target.id).cloned().map(|mut x| {
                    x.notes = word.into();
                    if let Some(p) = pick(&s.partners, b) {
                        x.partners.push(p.id);
                    }
                    if let Some(w) = pick(&s.events, b) {
                        x.answers.push(w.id);
                    }
                    Item::Event(x)
                }),
            }?;
            Some(Edit::Replace { item })
        }
        2 => pick(&all_refs(s), a).map(|item| Edit::Remove { item }),
        3 => {
            let target = pick(&all_refs(s), a)?;
            let new = ids::fresh_id(s, &format!("{word} renamed"), "renamed");
            (!ids::is_referenced_anywhere(s, &new)).then_some(Edit::RenameId {
                kind: target.kind,
                old: target.id,
                new,
            })
        }
        4 => {
            let l = pick(&s.lines, a)?;
            let p = pick(&s.partners, b)?;
            let assignment = (!b.is_multiple_of(3)).then(|| Assignment {
                line: l.id.clone(),
                partner: p.id.clone(),
                role: if b.is_multiple_of(2) {
                    Role::Lead
                } else {
                    Role::Sequential(b % 5)
                },
                note: word.into(),
                sensitivity: Sensitivity::Confidential,
                places: Vec::new(),
            });
            Some(Edit::SetAssignment {
                line: l.id,
                partner: p.id,
                assignment,
                index: Some(a as usize),
            })
        }
        5 => edit::delete(s, &pick(&all_refs(s), a)?).ok(),
        6 => {
            let mut meta = SituationMeta::of(s);
            meta.title = word.into();
            meta.lead_limit = b % 10 + 1;
            meta.countries
                .push(word.chars().take(3).collect::<String>().to_uppercase());
            Some(Edit::SetMeta(Box::new(meta)))
        }
        7 => edit::duplicate(s, &pick(&all_refs(s), a)?).ok(),
        _ => {
            let first = edit_for(s, 0, a, b, word)?;
            let mut after = s.clone();
            edit::apply(&mut after, first.clone()).ok()?;
            let second = edit_for(&after, 1, a, b, &format!("{word}x"))?;
            Some(Edit::Batch {
                label: "two steps".into(),
                edits: vec![first, second],
            })
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn undo_all_restores_the_start_and_redo_all_the_end(
        steps in prop::collection::vec((0u8..9, any::<u32>(), any::<u32>(), "[a-z]{1,8}"), 1..60)
    ) {
        let start = connected_situation();
        let mut s = start.clone();
        let mut history = History::default();
        let mut applied = 0;
        for (op, a, b, word) in &steps {
            if let Some(edit) = edit_for(&s, *op, *a, *b, word) {
                let before = s.clone();
                match history.apply(&mut s, edit) {
                    Ok(()) => applied += 1,
                    Err(_) => prop_assert_eq!(&s, &before, "a refused edit changed the situation"),
                }
            }
        }
        let end = s.clone();
        prop_assert_eq!(history.undo_len(), applied);
        for _ in 0..applied {
            prop_assert!(history.undo(&mut s).is_some());
        }
        prop_assert!(history.undo(&mut s).is_none());
        prop_assert_eq!(&s, &start);
        prop_assert_eq!(history.revision(), 0);
        for _ in 0..applied {
            prop_assert!(history.redo(&mut s).is_some());
        }
        prop_assert!(history.redo(&mut s).is_none());
        prop_assert_eq!(&s, &end);
    }
}

#[test]
fn at_least_a_thousand_steps_are_kept() {
    let start = connected_situation();
    let mut s = start.clone();
    let mut history = History::default();
    for n in 0..1_500u32 {
        let mut meta = SituationMeta::of(&s);
        meta.title = format!("title {n}");
        history
            .apply(&mut s, Edit::SetMeta(Box::new(meta)))
            .unwrap();
    }
    assert_eq!(history.undo_len(), 1_500);
    let mut undone = 0;
    while history.undo(&mut s).is_some() {
        undone += 1;
    }
    assert_eq!(undone, 1_500);
    assert_eq!(s, start);

    for n in 0..2_100u32 {
        let mut meta = SituationMeta::of(&s);
        meta.title = format!("again {n}");
        history
            .apply(&mut s, Edit::SetMeta(Box::new(meta)))
            .unwrap();
    }
    assert!(history.undo_len() >= 1_000);
    assert_eq!(history.undo_len(), tandem::model::history::DEFAULT_LIMIT);
}

/// Every string in the situation that names an item, with what it should name.
fn reference_slots(s: &Situation) -> Vec<(ItemKind, String)> {
    let mut out = Vec::new();
    for l in &s.lines {
        out.extend(l.actors.iter().map(|x| (ItemKind::Actor, x.clone())));
    }
    for a in &s.assignments {
        out.push((ItemKind::Line, a.line.clone()));
        out.push((ItemKind::Partner, a.partner.clone()));
    }
    for e in &s.events {
        out.extend(e.actors.iter().map(|x| (ItemKind::Actor, x.clone())));
        out.extend(e.partners.iter().map(|x| (ItemKind::Partner, x.clone())));
        out.extend(e.lines.iter().map(|x| (ItemKind::Line, x.clone())));
        out.extend(e.answers.iter().map(|x| (ItemKind::Event, x.clone())));
    }
    out
}

/// Renames every item of `s` in turn and checks each reference followed; returns how many
/// references were checked.
fn check_renames(s: &Situation) -> usize {
    let mut checked = 0;
    for target in all_refs(s) {
        let before = reference_slots(s);
        let count = before
            .iter()
            .filter(|(k, id)| *k == target.kind && *id == target.id)
            .count();
        let new = ids::fresh_id(s, &format!("{} renamed", target.id), "renamed");
        let mut renamed = s.clone();
        let mut history = History::default();
        history
            .apply(
                &mut renamed,
                Edit::RenameId {
                    kind: target.kind,
                    old: target.id.clone(),
                    new: new.clone(),
                },
            )
            .unwrap();
        assert!(!renamed.has_id(&target.id));
        assert!(renamed.has_id(&new));
        let after = reference_slots(&renamed);
        assert_eq!(before.len(), after.len());
        for ((kb, ib), (ka, ia)) in before.iter().zip(&after) {
            assert_eq!(kb, ka);
            if *kb == target.kind && *ib == target.id {
                assert_eq!(ia, &new, "a reference to {} was not renamed", target.id);
            } else {
                assert_eq!(ib, ia, "a reference to another item changed");
            }
        }
        assert_eq!(
            after
                .iter()
                .filter(|(k, id)| *k == target.kind && *id == new)
                .count(),
            count
        );
        checked += count;
        history.undo(&mut renamed).unwrap();
        assert_eq!(&renamed, s);
    }
    checked
}

#[test]
fn renaming_an_id_updates_every_reference_on_the_samples() {
    let mut checked = check_renames(&connected_situation());
    assert!(checked >= 10, "only {checked} references checked");
    for (name, text) in tandem::samples::ALL {
        let loaded = tandem::io::parse_situation(text).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        checked += check_renames(&loaded.situation);
    }
    assert!(
        checked >= 100,
        "the samples' references were checked too ({checked})"
    );
    let guinea = tandem::io::parse_situation(tandem::samples::GUINEA).unwrap();
    assert!(check_renames(&guinea.situation) > 0);
}

#[test]
fn renaming_to_a_used_id_is_refused_and_changes_nothing() {
    let s = connected_situation();
    let mut t = s.clone();
    let mut history = History::default();
    assert!(
        history
            .apply(
                &mut t,
                Edit::RenameId {
                    kind: ItemKind::Actor,
                    old: "junta".into(),
                    new: "ecowas".into(),
                },
            )
            .is_err()
    );
    assert_eq!(t, s);
    assert_eq!(history.undo_len(), 0);
}

#[test]
fn undo_back_to_the_saved_state_clears_unsaved() {
    let mut doc = Document::new(connected_situation(), None);
    assert!(!doc.is_dirty());
    let rename = |name: &str| {
        let mut a = actor("junta");
        a.name = name.into();
        Edit::Replace {
            item: Item::Actor(a),
        }
    };
    doc.apply(rename("CNDD")).unwrap();
    assert!(doc.is_dirty());
    doc.mark_saved();
    assert!(!doc.is_dirty());
    doc.apply(rename("Junta")).unwrap();
    assert!(doc.is_dirty());
    doc.undo().unwrap();
    assert!(
        !doc.is_dirty(),
        "undo back to the saved state must clear unsaved"
    );
    doc.undo().unwrap();
    assert!(doc.is_dirty());
    doc.redo().unwrap();
    assert!(!doc.is_dirty());
}
