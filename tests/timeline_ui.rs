//! The timeline view through the UI: it shows a situation's events, and clicking one
//! (on the plot or in the side list) selects it.

use egui::{Event, Modifiers, PointerButton, Pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tandem::app::{Document, ScriptedDialogs, Settings, TandemApp, View};
use tandem::model::{ItemKind, ItemRef};

fn app() -> TandemApp {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/lags.ron"))
        .unwrap();
    let loaded = tandem::io::parse_situation(&text).unwrap();
    let doc = Document::untitled(loaded.situation, "lags");
    TandemApp::new(
        doc,
        Settings {
            view: View::Timeline,
            ..Default::default()
        },
        Box::new(ScriptedDialogs::default()),
    )
}

fn harness() -> Harness<'static, TandemApp> {
    let mut harness = Harness::builder()
        .with_size(vec2(1500.0, 900.0))
        // The detail pane (not this view) uses a glyph the default test fonts lack.
        .allow_missing_glyphs()
        .build_ui_state(|ui, app: &mut TandemApp| app.ui_root(ui), app());
    harness.run_steps(4);
    harness
}

fn click_at(harness: &mut Harness<'static, TandemApp>, pos: Pos2) {
    harness.hover_at(pos);
    harness.run_steps(2);
    for pressed in [true, false] {
        harness.event(Event::PointerButton {
            pos,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    // Until the inspector the selection opens has settled beside the plot (its form grid
    // takes a few frames to size its columns).
    harness.run_steps(8);
}

#[test]
fn the_timeline_shows_every_event_of_the_situation() {
    let harness = harness();
    let app = harness.state();
    let situation = app.doc().situation();
    for event in &situation.events {
        assert!(
            app.views
                .timeline
                .screen_pos(situation, &event.id)
                .is_some(),
            "{} is not drawn on the plot",
            event.id
        );
        assert!(
            harness.query_all_by_label(&event.title).next().is_some(),
            "{} is not listed beside the plot",
            event.title
        );
    }
    // The continuum panel: the median lag of 18, 39 and 59 days, and the unanswered count.
    assert!(
        harness
            .query_by_label_contains("Median lag: 39 days")
            .is_some()
    );
    assert!(
        harness
            .query_by_label_contains("Unanswered warning signs: 2")
            .is_some()
    );
    assert!(harness.query_by_label_contains("≈39 d").is_some());
}

#[test]
fn clicking_an_event_on_the_plot_selects_it() {
    let mut harness = harness();
    for id in ["a-envoy", "w-silent"] {
        let pos = {
            let app = harness.state();
            app.views
                .timeline
                .screen_pos(app.doc().situation(), id)
                .unwrap()
        };
        click_at(&mut harness, pos);
        assert_eq!(
            harness.state().selection,
            Some(ItemRef::new(ItemKind::Event, id)),
            "clicking at {pos:?}"
        );
    }
}

#[test]
fn clicking_empty_space_selects_nothing() {
    let mut harness = harness();
    let pos = {
        let app = harness.state();
        let frame = *app.views.timeline.last_transform.unwrap().frame();
        // The bottom-right corner of the plot: after every event, in no lane's markers.
        frame.right_bottom() - vec2(3.0, 3.0)
    };
    click_at(&mut harness, pos);
    assert_eq!(harness.state().selection, None);
}

#[test]
fn clicking_an_event_in_the_side_list_selects_it() {
    let mut harness = harness();
    harness.get_by_label("Fact-finding mission").click();
    harness.run_steps(3);
    assert_eq!(
        harness.state().selection,
        Some(ItemRef::new(ItemKind::Event, "a-mission"))
    );
}

/// Guinea zoomed to the autumn of 2009 with the From/To fields: the stadium massacre and the
/// actions answering it are on the plot with their lags; the 2010 run-off is not. The
/// snapshots show both zoom levels: the whole crisis, and the closer view.
#[test]
fn from_and_to_zoom_the_timeline_to_the_autumn_of_2009() {
    let loaded = tandem::io::load_file(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/situations/guinea-2009-2010.ron"
    )))
    .unwrap();
    let doc = Document::untitled(loaded.situation, "guinea");
    let app = TandemApp::new(
        doc,
        Settings {
            view: View::Timeline,
            ..Default::default()
        },
        Box::new(ScriptedDialogs::default()),
    );
    let mut harness = Harness::builder()
        .with_size(vec2(1400.0, 820.0))
        .allow_missing_glyphs()
        .build_ui_state(|ui, app: &mut TandemApp| app.ui_root(ui), app);
    harness.run_steps(4);
    harness.snapshot("timeline_guinea_fit_all");
    for (label, date) in [("From", "2009-09-01"), ("To", "2009-12-31")] {
        harness.get_by_label(label).click();
        harness.run_steps(2);
        harness.get_by_label(label).type_text(date);
        harness.run_steps(2);
    }
    harness.key_press(egui::Key::Escape);
    harness.run_steps(6);
    let app = harness.state();
    let situation = app.doc().situation();
    let drawn = |id: &str| app.views.timeline.screen_pos(situation, id).is_some();
    assert!(drawn("w-stadium-massacre"));
    let answers: Vec<&str> = situation
        .events
        .iter()
        .filter(|e| e.answers.iter().any(|w| w == "w-stadium-massacre"))
        .filter(|e| e.date.to_string().starts_with("2009-1"))
        .map(|e| e.id.as_str())
        .collect();
    assert!(answers.len() >= 3, "{answers:?}");
    for id in &answers {
        assert!(drawn(id), "{id} answers the massacre in the autumn of 2009");
    }
    let runoff = situation
        .events
        .iter()
        .find(|e| e.date.to_string().starts_with("2010-1"))
        .map(|e| e.id.as_str())
        .unwrap();
    assert!(!drawn(runoff), "{runoff} is after the range");
    // The side list counts what overlaps the range, spans that began before it included
    // (the Special Representative's visits since 2009-01).
    harness.get_by_label("In view: 8 events");
    harness.get_by_label_contains("Special Representative's working");
    harness.snapshot("timeline_guinea_autumn_2009");
}

/// A warning whose only answer is dated after the as-of date reads "planned" in the side
/// list, and its tooltip names the planned answer: it is not counted as answered.
#[test]
fn a_warning_answered_after_the_as_of_date_reads_answer_planned() {
    let mut loaded = tandem::io::parse_situation(tandem::samples::GUINEA).unwrap();
    let s = &mut loaded.situation;
    let mut answer = s.events[0].clone();
    answer.id = "envoys-meet-army-chiefs".into();
    answer.title = "Envoys meet the army chiefs".into();
    answer.kind = tandem::model::EventKind::DiplomaticAction;
    answer.date = "2010-11-02".parse().unwrap();
    answer.answers = vec!["w-army-factions".into()];
    s.events.push(answer);
    let app = TandemApp::new(
        Document::untitled(loaded.situation, "planned"),
        Settings {
            view: View::Timeline,
            ..Default::default()
        },
        Box::new(ScriptedDialogs::default()),
    );
    let mut harness = Harness::builder()
        .with_size(vec2(1500.0, 900.0))
        .allow_missing_glyphs()
        .build_ui_state(|ui, app: &mut TandemApp| app.ui_root(ui), app);
    harness
        .ctx
        .all_styles_mut(|style| style.interaction.tooltip_delay = 0.0);
    harness.run_steps(4);
    harness.get_by_label(" planned").hover();
    harness.run_steps(5);
    harness.get_by_label_contains("Answer planned: “Envoys meet the army chiefs”");
    let c = tandem::analysis::timeline::continuum(harness.state().doc().situation());
    assert!(c.unanswered.is_empty());
    assert_eq!(c.answer_planned, vec!["w-army-factions".to_owned()]);
}
