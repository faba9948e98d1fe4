use super::*;
use crate::model::{
    Actor, ActorKind, Assignment, Event, EventKind, Instrument, LineOfEffort, Partner,
    PartnerCategory, Role, Sensitivity, Stance, Status,
};

fn date(text: &str) -> PartialDate {
    text.parse().expect("test date")
}

fn partner(id: &str, name: &str, acronym: &str) -> Partner {
    Partner {
        id: id.into(),
        name: name.into(),
        acronym: acronym.into(),
        category: PartnerCategory::Regional,
        instruments: vec![Instrument::GoodOffices, Instrument::SpecialEnvoy],
        notes: String::new(),
        sensitivity: Sensitivity::Unclassified,
    }
}

/// A small situation: two actors, two partners, one line, two cells, a warning answered.
fn base() -> Situation {
    let mut s = Situation::new("Guinea", date("2009-10-15"));
    s.actors = vec![
        Actor::new("cndd", "CNDD junta", ActorKind::DeFactoAuthority),
        Actor {
            aliases: vec!["Forces vives".into(), "Opposition".into()],
            ..Actor::new("forces", "Forces vives", ActorKind::Opposition)
        },
    ];
    s.partners = vec![
        partner("au", "African Union", "AU"),
        partner(
            "ecowas",
            "Economic Community of West African States",
            "ECOWAS",
        ),
    ];
    s.lines = vec![LineOfEffort {
        actors: vec!["cndd".into(), "forces".into()],
        ..LineOfEffort::new("mediation", "Mediation", Instrument::SpecialEnvoy)
    }];
    s.assignments = vec![
        Assignment::new("mediation", "au", Role::Lead),
        Assignment::new("mediation", "ecowas", Role::Support),
    ];
    s.events = vec![
        Event::new(
            "massacre",
            "Stadium massacre",
            EventKind::WarningSign,
            date("2009-09-28"),
        ),
        Event {
            answers: vec!["massacre".into()],
            partners: vec!["ecowas".into()],
            ..Event::new(
                "envoy",
                "Envoy appointed",
                EventKind::DiplomaticAction,
                date("2009-10-05"),
            )
        },
    ];
    s
}

fn lines_of(diff: &SituationDiff) -> Vec<String> {
    diff.sections()
        .into_iter()
        .filter(|s| !s.title.starts_with("Warning to action"))
        .flat_map(|s| s.lines)
        .collect()
}

#[test]
fn the_same_situation_has_no_change() {
    let d = diff(&base(), &base());
    assert!(d.is_empty(), "{d:#?}");
    assert!(lines_of(&d).is_empty());
    // The figures are always there.
    assert!(d.to_text().contains("Warning signs: 1 then, 1 now"));
}

#[test]
fn reordering_items_and_lists_is_not_a_change() {
    let mut new = base();
    new.actors.reverse();
    new.partners.reverse();
    new.assignments.reverse();
    new.events.reverse();
    new.lines[0].actors.reverse();
    new.actors[0].aliases.reverse();
    new.partners[0].instruments.reverse();
    let d = diff(&base(), &new);
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn actors_added_removed_and_changed_in_words() {
    let mut new = base();
    new.actors[0].stance = Stance::Spoiler;
    new.actors[0].notes = "Captain Dadis Camara".into();
    new.actors.remove(1);
    new.lines[0].actors.retain(|a| a != "forces");
    new.actors
        .push(Actor::new("youth", "Youth of Conakry", ActorKind::Youth));
    let d = diff(&base(), &new);
    let words = lines_of(&d);
    assert!(
        words.contains(&"New actor: “Youth of Conakry” (Youth, Unknown)".to_owned()),
        "{words:#?}"
    );
    assert!(
        words.contains(&"Removed actor: “Forces vives” (Political opposition, Unknown)".to_owned())
    );
    assert!(words.contains(
        &"“CNDD junta”: stance changed from Unknown to Spoiler; notes set to “Captain Dadis Camara”"
            .to_owned()
    ));
    assert!(words.contains(
        &"“Mediation”: actors engaged changed from “CNDD junta”, “Forces vives” to “CNDD junta”"
            .to_owned()
    ));
    assert_eq!(d.actors.len(), 3);
}

#[test]
fn a_role_taken_changed_and_given_up_reads_per_line_and_partner() {
    let mut new = base();
    new.assignments[0].role = Role::Support;
    new.assignments[1].role = Role::Lead;
    new.partners.push(partner("un", "United Nations", "UN"));
    new.assignments
        .push(Assignment::new("mediation", "un", Role::Sequential(2)));
    let d = diff(&base(), &new);
    let words = lines_of(&d);
    for expected in [
        "AU went from Lead to Support on “Mediation”",
        "ECOWAS went from Support to Lead on “Mediation”",
        "UN became Sequential (step 2) on “Mediation”",
        "New partner: UN (Regional organization)",
    ] {
        assert!(
            words.contains(&expected.to_owned()),
            "{expected}: {words:#?}"
        );
    }

    let mut fewer = base();
    fewer.assignments.remove(0);
    fewer.assignments[0].note = "Hosts the talks".into();
    let words = lines_of(&diff(&base(), &fewer));
    assert!(words.contains(&"AU is no longer Lead on “Mediation”".to_owned()));
    assert!(words.contains(&"ECOWAS on “Mediation”: note set to “Hosts the talks”".to_owned()));
}

#[test]
fn a_changed_id_with_the_same_fields_is_a_rename_and_references_follow_it() {
    let mut new = base();
    new.partners[1].id = "cedeao".into();
    new.assignments[1].partner = "cedeao".into();
    new.events[1].partners = vec!["cedeao".into()];
    new.actors[0].id = "junta".into();
    new.lines[0].actors = vec!["junta".into(), "forces".into()];
    let d = diff(&base(), &new);
    assert_eq!(d.partners.len(), 1, "{d:#?}");
    assert_eq!(
        d.partners[0].change,
        Change::Renamed {
            old_id: "ecowas".into()
        }
    );
    // The cell, the event and the line follow the renamed ids: no other change.
    assert!(d.matrix.is_empty(), "{:#?}", d.matrix);
    assert!(d.events.other.is_empty(), "{:#?}", d.events);
    assert!(d.lines.is_empty(), "{:#?}", d.lines);
    let words = lines_of(&d);
    assert!(words.contains(&"ECOWAS: id changed from ecowas to cedeao, nothing else".to_owned()));
    assert!(
        words.contains(&"“CNDD junta”: id changed from cndd to junta, nothing else".to_owned())
    );
}

#[test]
fn a_changed_id_with_another_field_changed_is_a_removal_and_an_addition() {
    let mut new = base();
    new.partners[1].id = "cedeao".into();
    new.partners[1].name = "CEDEAO".into();
    new.partners[1].acronym = String::new();
    new.assignments.remove(1);
    let d = diff(&base(), &new);
    let changes: Vec<&Change> = d.partners.iter().map(|c| &c.change).collect();
    assert_eq!(changes, vec![&Change::Added, &Change::Removed]);
}

#[test]
fn lines_of_effort_fields_in_words() {
    let mut new = base();
    let line = &mut new.lines[0];
    line.status = Status::Active;
    line.end = Some(date("2010-01"));
    line.title = "Mediation in Ouagadougou".into();
    line.sensitivity = Sensitivity::Confidential;
    let words = lines_of(&diff(&base(), &new));
    assert_eq!(
        words,
        vec![
            "“Mediation in Ouagadougou”: title changed from “Mediation” to “Mediation in Ouagadougou”; \
             status changed from Planned to Active; end set to 2010-01; sensitivity changed from \
             Unclassified to Confidential"
                .to_owned()
        ]
    );
}

#[test]
fn a_lines_sector_in_words() {
    let mut new = base();
    new.lines[0].sector = "Protection".into();
    assert_eq!(
        lines_of(&diff(&base(), &new)),
        ["“Mediation”: sector set to “Protection”"]
    );
}

#[test]
fn events_are_grouped_as_new_warnings_actions_and_thresholds_ahead() {
    let mut new = base();
    new.as_of = date("2009-11-15");
    new.events.push(Event::new(
        "rape",
        "Reports of mass rape",
        EventKind::WarningSign,
        date("2009-10-20"),
    ));
    new.events.push(Event {
        answers: vec!["rape".into()],
        ..Event::new(
            "inquiry",
            "Commission of inquiry",
            EventKind::DiplomaticAction,
            date("2009-10-30"),
        )
    });
    new.events.push(Event::new(
        "election",
        "Presidential election",
        EventKind::ThresholdMoment,
        date("2010-06-27"),
    ));
    new.events.push(Event::new(
        "clash",
        "Clash in Forécariah",
        EventKind::Incident,
        date("2009-11-02"),
    ));
    new.events[1].title = "Envoy Compaoré appointed".into();
    let d = diff(&base(), &new);
    assert_eq!(d.events.new_warnings.len(), 1);
    assert_eq!(d.events.new_actions.len(), 1);
    assert_eq!(d.events.new_thresholds_ahead.len(), 1);
    let words = lines_of(&d);
    for expected in [
        "New warning: “Reports of mass rape” (2009-10-20)",
        "New action: “Commission of inquiry” (2009-10-30)",
        "Threshold moment ahead: “Presidential election” (2010-06-27)",
        "New event: “Clash in Forécariah” (Incident, 2009-11-02)",
        "“Envoy Compaoré appointed”: title changed from “Envoy appointed” to “Envoy Compaoré appointed”",
        "As-of date changed from 2009-10-15 to 2009-11-15",
    ] {
        assert!(
            words.contains(&expected.to_owned()),
            "{expected}: {words:#?}"
        );
    }
    // The threshold added ahead is listed once, with the thresholds, not again as an event.
    assert!(
        !words
            .iter()
            .any(|w| w.starts_with("New event: “Presidential"))
    );
}

#[test]
fn a_threshold_that_moves_ahead_is_a_new_threshold_ahead() {
    let mut old = base();
    old.events.push(Event::new(
        "vote",
        "Referendum",
        EventKind::ThresholdMoment,
        date("2009-10-01"),
    ));
    let mut new = old.clone();
    if let Some(vote) = new.events.iter_mut().find(|e| e.id == "vote") {
        vote.date = date("2010-03-01");
    }
    let d = diff(&old, &new);
    assert_eq!(d.events.new_thresholds_ahead.len(), 1);
    assert_eq!(d.events.other.len(), 1, "the date change is listed too");
}

#[test]
fn warning_to_action_figures_then_and_now() {
    let mut new = base();
    new.events.retain(|e| e.id != "envoy");
    let d = diff(&base(), &new);
    assert_eq!(d.continuum_then.answered, 1);
    assert_eq!(d.continuum_now.answered, 0);
    assert_eq!(d.continuum_now.unanswered, 1);
    let text = d.to_text();
    assert!(text.contains("Unanswered: 0 then, 1 now"), "{text}");
    assert!(
        text.contains("Median warning-to-action lag: 7 days then, none now"),
        "{text}"
    );
    assert!(text.contains("Removed event: “Envoy appointed” (Diplomatic action, 2009-10-05)"));
}

#[test]
fn event_references_are_named_not_given_as_ids() {
    let mut new = base();
    new.events[1].partners = vec!["au".into(), "ecowas".into()];
    new.events[1].actors = vec!["cndd".into()];
    let words = lines_of(&diff(&base(), &new));
    assert_eq!(
        words,
        vec![
            "“Envoy appointed”: actors set to “CNDD junta”; partners changed from ECOWAS to AU, ECOWAS"
                .to_owned()
        ]
    );
}

#[test]
fn long_texts_are_cut_in_sentences_but_whole_in_the_record() {
    let mut new = base();
    let long = "word ".repeat(60);
    new.summary = long.clone();
    let d = diff(&base(), &new);
    assert_eq!(d.situation[0].new, long.trim());
    let words = lines_of(&d);
    assert!(words[0].ends_with("…”"), "{words:#?}");
    assert!(words[0].chars().count() < 120);
}
