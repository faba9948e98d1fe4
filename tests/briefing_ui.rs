//! Briefing mode driven through kittest: slides, keys, marking, redaction.

#![cfg(feature = "gui")]

use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT as _, Queryable as _};
use tandem::export::{Audience, Tlp, marking};
use tandem::model::{
    Actor, ActorKind, Assignment, Event, EventKind, Influence, Instrument, LineOfEffort,
    PartialDate, Partner, PartnerCategory, Place, Role, Sensitivity, Situation, Stance, Status,
    Track,
};
use tandem::ui::briefing::{BriefingState, Slide, briefing_ui, slides};
use tandem::ui::command::{AppCommand, SlideCommand, pressed_commands};
use tandem::ui::{Action, View};

/// Appears only in items above Unclassified.
const MARKER: &str = "QXZ-CONFIDENTIAL-7731";

struct State {
    briefing: BriefingState,
    situation: Situation,
    /// Whether Leave (Escape or the button) was asked for.
    left: bool,
}

fn date(text: &str) -> PartialDate {
    text.parse().unwrap()
}

fn actor(id: &str, name: &str, sensitivity: Sensitivity) -> Actor {
    Actor {
        id: id.into(),
        name: name.into(),
        kind: ActorKind::Government,
        stance: Stance::Resistant,
        influence: Influence::High,
        interests: "Stay in power through the transition".into(),
        notes: String::new(),
        sensitivity,
        place: None,
        aliases: Vec::new(),
    }
}

fn partner(id: &str, acronym: &str, sensitivity: Sensitivity) -> Partner {
    Partner {
        id: id.into(),
        name: format!("{acronym} organisation"),
        acronym: acronym.into(),
        category: PartnerCategory::Regional,
        instruments: Vec::new(),
        notes: String::new(),
        sensitivity,
    }
}

fn line(id: &str, title: &str, sensitivity: Sensitivity) -> LineOfEffort {
    LineOfEffort {
        id: id.into(),
        title: title.into(),
        instrument: Instrument::SpecialEnvoy,
        sector: String::new(),
        track: Track::I,
        status: Status::Active,
        start: Some(date("2009-10")),
        end: None,
        actors: vec!["junta".into()],
        notes: String::new(),
        sensitivity,
        places: Vec::new(),
    }
}

fn event(id: &str, title: &str, kind: EventKind, when: &str, sensitivity: Sensitivity) -> Event {
    Event {
        id: id.into(),
        title: title.into(),
        kind,
        date: date(when),
        end: None,
        actors: vec!["junta".into()],
        partners: Vec::new(),
        lines: Vec::new(),
        answers: Vec::new(),
        source: String::new(),
        notes: String::new(),
        sensitivity,
        fatalities: None,
        place: None,
        description: String::new(),
    }
}

/// A small Guinea-like situation with the marker in confidential and strictly confidential
/// items of every kind.
fn situation() -> Situation {
    let mut s = Situation::new("Guinea transition briefing", date("2009-12-15"));
    s.region = "West Africa".into();
    s.countries = vec!["GIN".into()];
    s.summary = "After the September stadium massacre, regional and UN envoys press for a \
                 civilian-led transition."
        .into();
    s.actors = vec![
        actor("junta", "CNDD junta", Sensitivity::Unclassified),
        actor("forces-vives", "Forces vives", Sensitivity::Unclassified),
        actor(
            "secret",
            &format!("{MARKER} back channel"),
            Sensitivity::Confidential,
        ),
    ];
    s.partners = vec![
        partner("ecowas", "ECOWAS", Sensitivity::Unclassified),
        partner("au", "AU", Sensitivity::Unclassified),
        partner(
            "hidden",
            &format!("{MARKER}-P"),
            Sensitivity::StrictlyConfidential,
        ),
    ];
    s.lines = vec![
        line("mediation", "ECOWAS mediation", Sensitivity::Unclassified),
        line(
            "inquiry",
            "Commission of inquiry",
            Sensitivity::Unclassified,
        ),
        line(
            "quiet",
            &format!("{MARKER} quiet talks"),
            Sensitivity::Confidential,
        ),
    ];
    s.assignments = vec![
        Assignment {
            line: "mediation".into(),
            partner: "ecowas".into(),
            role: Role::Lead,
            note: String::new(),
            sensitivity: Sensitivity::Unclassified,
            places: Vec::new(),
        },
        Assignment {
            line: "mediation".into(),
            partner: "au".into(),
            role: Role::Support,
            note: String::new(),
            sensitivity: Sensitivity::Unclassified,
            places: Vec::new(),
        },
        Assignment {
            line: "inquiry".into(),
            partner: "au".into(),
            role: Role::Support,
            note: format!("{MARKER} note"),
            sensitivity: Sensitivity::Confidential,
            places: Vec::new(),
        },
        Assignment {
            line: "mediation".into(),
            partner: "hidden".into(),
            role: Role::Joint,
            note: String::new(),
            sensitivity: Sensitivity::Unclassified,
            places: Vec::new(),
        },
    ];
    s.events = vec![
        event(
            "massacre",
            "Stadium massacre",
            EventKind::Incident,
            "2009-09-28",
            Sensitivity::Unclassified,
        ),
        event(
            "warning",
            "Troop build-up reported",
            EventKind::WarningSign,
            "2009-11-02",
            Sensitivity::Unclassified,
        ),
        event(
            "envoy",
            &format!("{MARKER} envoy visit"),
            EventKind::DiplomaticAction,
            "2009-11-20",
            Sensitivity::Confidential,
        ),
        event(
            "elections",
            "Presidential elections",
            EventKind::ThresholdMoment,
            "2010-06-27",
            Sensitivity::Unclassified,
        ),
    ];
    s
}

fn harness(ceiling: Sensitivity, tlp: Tlp) -> Harness<'static, State> {
    harness_for(ceiling, tlp, situation())
}

fn harness_for(ceiling: Sensitivity, tlp: Tlp, situation: Situation) -> Harness<'static, State> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_ui_state(
            |ui, state: &mut State| {
                // As the app does: the briefing's keys are commands, applied after drawing.
                let keys = pressed_commands(ui.ctx(), View::Overview, true, true);
                let clicked = briefing_ui(ui, &mut state.briefing, &state.situation);
                let asked = keys.into_iter().map(Action::Command).chain(clicked);
                for action in asked {
                    match action {
                        Action::Command(AppCommand::Slides(SlideCommand::Exit)) => {
                            state.left = true
                        }
                        Action::Command(AppCommand::Slides(other)) => state.briefing.page(other),
                        Action::ChangeBriefingAudience(audience) => {
                            state.briefing.ceiling = audience.ceiling;
                            state.briefing.tlp = audience.tlp;
                        }
                        _ => {}
                    }
                }
            },
            State {
                briefing: BriefingState::new(ceiling, tlp),
                situation,
                left: false,
            },
        )
}

/// Every text the current frame exposes to accessibility.
fn texts(harness: &Harness<'_, State>) -> Vec<String> {
    harness
        .query_all(By::new())
        .filter_map(|node| {
            let n = node.accesskit_node();
            // Text runs repeat the text of their label.
            if n.role() == egui::accesskit::Role::TextRun {
                return None;
            }
            n.value().or_else(|| n.label()).map(|s| s.to_string())
        })
        .collect()
}

fn press(harness: &mut Harness<'_, State>, key: egui::Key) {
    harness.key_press(key);
    harness.run();
}

#[test]
fn the_title_slide_shows_the_title_and_the_marking() {
    let mut harness = harness(Sensitivity::Confidential, Tlp::Amber);
    harness.run();
    let s = situation();
    harness.get_by_label(&s.title);
    let mark = marking(
        &Audience {
            ceiling: Sensitivity::Confidential,
            tlp: Tlp::Amber,
        },
        s.as_of,
    );
    assert_eq!(
        harness.query_all_by_label(&mark).count(),
        2,
        "marking at top and bottom"
    );
    let count = harness.state().briefing.slide_count();
    assert!(count >= 6, "only {count} slides");
    harness.get_by_label(&format!("Slide 1 of {count}"));
    harness.snapshot("briefing_title");
}

#[test]
fn arrows_and_pages_move_and_escape_leaves() {
    let mut harness = harness(Sensitivity::Unclassified, Tlp::Clear);
    harness.run();
    press(&mut harness, egui::Key::ArrowRight);
    assert_eq!(harness.state().briefing.slide, 1);
    harness.get_by_label("Key actors");
    harness.get_by_label("CNDD junta");
    press(&mut harness, egui::Key::PageDown);
    harness.get_by_label("Timeline");
    press(&mut harness, egui::Key::ArrowRight);
    harness.get_by_label("Who does what");
    harness.get_by_label("ECOWAS mediation");
    harness.snapshot("briefing_matrix");
    press(&mut harness, egui::Key::PageUp);
    harness.get_by_label("Timeline");
    press(&mut harness, egui::Key::ArrowLeft);
    press(&mut harness, egui::Key::ArrowLeft);
    press(&mut harness, egui::Key::ArrowLeft);
    assert_eq!(
        harness.state().briefing.slide,
        0,
        "stops at the first slide"
    );
    assert!(!harness.state().left);
    press(&mut harness, egui::Key::Escape);
    assert!(harness.state().left, "Escape leaves");
}

/// Walks every slide and returns all the text shown.
fn all_slide_texts(ceiling: Sensitivity) -> (usize, Vec<String>) {
    let mut harness = harness(ceiling, Tlp::for_ceiling(ceiling));
    harness.run();
    let count = harness.state().briefing.slide_count();
    let mark = marking(&Audience::new(ceiling), situation().as_of);
    let mut all = Vec::new();
    for n in 0..count {
        assert_eq!(harness.state().briefing.slide, n);
        let shown = texts(&harness);
        assert_eq!(
            shown.iter().filter(|t| **t == mark).count(),
            2,
            "slide {} lacks the marking at top and bottom",
            n + 1
        );
        assert!(shown.contains(&format!("Slide {} of {count}", n + 1)));
        all.extend(shown);
        press(&mut harness, egui::Key::ArrowRight);
    }
    assert_eq!(
        harness.state().briefing.slide,
        count - 1,
        "stops at the last slide"
    );
    (count, all)
}

#[test]
fn no_slide_shows_anything_above_the_ceiling() {
    let (_, unclassified) = all_slide_texts(Sensitivity::Unclassified);
    let leaks: Vec<&String> = unclassified.iter().filter(|t| t.contains(MARKER)).collect();
    assert!(leaks.is_empty(), "shown at Unclassified: {leaks:?}");
    // What is unclassified is there: the slides are not simply empty.
    for expected in ["CNDD junta", "ECOWAS mediation", "Presidential elections"] {
        assert!(
            unclassified.iter().any(|t| t.contains(expected)),
            "“{expected}” missing"
        );
    }
    // At Strictly confidential the marked items are shown, so the check above means something.
    let (_, everything) = all_slide_texts(Sensitivity::StrictlyConfidential);
    for expected in [
        format!("{MARKER} back channel"),
        format!("{MARKER} quiet talks"),
        format!("{MARKER}-P"),
    ] {
        assert!(
            everything.iter().any(|t| t.contains(&expected)),
            "“{expected}” should be shown at Strictly confidential"
        );
    }
}

/// The test situation with the stadium massacre in Conakry and the (confidential) envoy visit
/// in Ouagadougou.
fn placed_situation() -> Situation {
    let mut s = situation();
    for (id, name, country, lat, lon) in [
        (
            "massacre",
            "28 September Stadium, Conakry",
            "GIN",
            9.5370,
            -13.6773,
        ),
        ("envoy", "Ouagadougou", "BFA", 12.3714, -1.5197),
    ] {
        let event = s.events.iter_mut().find(|e| e.id == id).unwrap();
        event.place = Some(Place {
            name: name.into(),
            country: country.into(),
            coordinates: tandem::model::Coordinates::new(lat, lon).ok(),
            ..Place::default()
        });
    }
    s
}

fn has_map_slide(situation: &Situation, ceiling: Sensitivity) -> bool {
    let (redacted, _) = tandem::export::redact(situation, ceiling);
    slides(&tandem::export::briefing(&redacted)).contains(&Slide::Map)
}

#[test]
fn the_map_slide_follows_the_timeline_and_shows_only_what_the_audience_may_see() {
    // Nothing placed, no map slide.
    assert!(!has_map_slide(
        &situation(),
        Sensitivity::StrictlyConfidential
    ));
    // Only the confidential envoy visit placed: a map for a confidential audience only.
    let mut only_envoy = placed_situation();
    for e in &mut only_envoy.events {
        if e.id == "massacre" {
            e.place = None;
        }
    }
    assert!(!has_map_slide(&only_envoy, Sensitivity::Unclassified));
    assert!(has_map_slide(&only_envoy, Sensitivity::Confidential));
    // With the massacre placed, the unclassified briefing maps it, right after the timeline.
    let mut harness = harness_for(Sensitivity::Unclassified, Tlp::Clear, placed_situation());
    harness.run();
    press(&mut harness, egui::Key::ArrowRight);
    press(&mut harness, egui::Key::ArrowRight);
    harness.get_by_label("Timeline");
    press(&mut harness, egui::Key::ArrowRight);
    harness.get_by_label("Where");
    harness.get_by_label("Map of where the events happened");
    assert!(
        texts(&harness)
            .iter()
            .any(|t| t.contains("Base map: Natural Earth"))
    );
    // Guinea alone, with one incident at Conakry; Burkina Faso's envoy visit is left out.
    harness.snapshot("briefing_map");
}

/// In briefing mode the presenter changes the audience from the bottom bar: the marking on
/// the slide and what the slides leave out follow at once.
#[test]
fn the_audience_can_be_changed_while_presenting() {
    let mut harness = harness(Sensitivity::Unclassified, Tlp::Clear);
    harness.run();
    let s = situation();
    let before = harness.state().briefing.slide_count();
    harness.get_by_label("Audience…").click();
    harness.run();
    harness.get_by_label("Confidential").click();
    harness.run();
    assert_eq!(harness.state().briefing.ceiling, Sensitivity::Confidential);
    assert_eq!(
        harness.state().briefing.tlp,
        Tlp::for_ceiling(Sensitivity::Confidential)
    );
    let mark = marking(&Audience::new(Sensitivity::Confidential), s.as_of);
    assert_eq!(harness.query_all_by_label(&mark).count(), 2, "{mark}");
    let after = harness.state().briefing.slide_count();
    assert!(after >= before, "more is shown to a confidential audience");
    let mut seen = Vec::new();
    for _ in 0..after {
        seen.extend(texts(&harness));
        press(&mut harness, egui::Key::ArrowRight);
    }
    assert!(
        seen.iter().any(|t| t.contains(MARKER)),
        "the confidential items are on the slides now"
    );
}

/// Hundreds of actors do not make hundreds of slides: the most influential come first, two
/// slides at most, and the rest are counted.
#[test]
fn key_actors_show_the_most_influential_first_then_how_many_more() {
    let mut s = situation();
    s.actors = (0..40)
        .map(|n| {
            let mut a = actor(
                &format!("a{n:02}"),
                &format!("Actor {n:02}"),
                Sensitivity::Unclassified,
            );
            a.influence = if n % 10 == 7 {
                Influence::High
            } else {
                Influence::Low
            };
            a
        })
        .collect();
    let mut harness = harness_for(Sensitivity::Unclassified, Tlp::Clear, s);
    harness.run();
    press(&mut harness, egui::Key::ArrowRight);
    harness.get_by_label("Key actors (1/2)");
    let names: Vec<String> = texts(&harness)
        .into_iter()
        .filter(|t| t.starts_with("Actor "))
        .collect();
    assert_eq!(names.len(), 6, "{names:?}");
    assert_eq!(names[..4], ["Actor 07", "Actor 17", "Actor 27", "Actor 37"]);
    press(&mut harness, egui::Key::ArrowRight);
    harness.get_by_label("Key actors (2/2)");
    harness.get_by_label_contains("and 28 more actors of less influence");
    press(&mut harness, egui::Key::ArrowRight);
    harness.get_by_label("Timeline");
}
