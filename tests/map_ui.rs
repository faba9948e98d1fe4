//! The map view through the UI, on the Guinea sample: clicking a marker selects its event,
//! the map shows the timeline's visible range and its filters, and a snapshot of the map.

use egui::{Event, Modifiers, PointerButton, Pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tandem::app::{Document, ScriptedDialogs, Settings, TandemApp, View};
use tandem::model::{EventKind, ItemKind, ItemRef};
use tandem::ui::command::TimelineCommand;

fn harness(view: View) -> Harness<'static, TandemApp> {
    let loaded = tandem::io::load_file(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/situations/guinea-2009-2010.ron"
    )))
    .unwrap();
    let doc = Document::untitled(loaded.situation, "guinea");
    let app = TandemApp::new(
        doc,
        Settings {
            view,
            ..Default::default()
        },
        Box::new(ScriptedDialogs::default()),
    );
    let mut harness = Harness::builder()
        .with_size(vec2(1280.0, 720.0))
        .allow_missing_glyphs()
        .build_ui_state(|ui, app: &mut TandemApp| app.ui_root(ui), app);
    harness.run_steps(6);
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
    harness.run_steps(3);
}

fn event_index(harness: &Harness<'static, TandemApp>, id: &str) -> usize {
    let situation = harness.state().doc().situation();
    situation.events.iter().position(|e| e.id == id).unwrap()
}

#[test]
fn clicking_a_marker_selects_its_event() {
    let mut harness = harness(View::Map);
    // The Ouagadougou declaration is alone on the map, in Burkina Faso.
    let ouagadougou = event_index(&harness, "g-ouagadougou");
    let pos = harness.state().views.map.screen_pos(ouagadougou).unwrap();
    click_at(&mut harness, pos);
    assert_eq!(
        harness.state().selection,
        Some(ItemRef::new(ItemKind::Event, "g-ouagadougou"))
    );
    // Still on the map (with the detail pane open beside it); fitted again, the event is
    // drawn with its selection outline.
    assert_eq!(harness.state().settings.view, View::Map);
    harness.state_mut().views.map.fit();
    harness.run_steps(3);
    assert!(harness.state().views.map.screen_pos(ouagadougou).is_some());
}

#[test]
fn clicking_a_cluster_lists_its_events_and_one_of_them_selects_it() {
    let mut harness = harness(View::Map);
    // Conakry's events share one marker with their count when zoomed out.
    let coup = event_index(&harness, "w-coup");
    assert!(harness.state().views.map.shows(coup));
    assert_eq!(harness.state().views.map.screen_pos(coup), None);
    harness.get_by_label_contains("Military coup").click();
    harness.run_steps(3);
    assert_eq!(
        harness.state().selection,
        Some(ItemRef::new(ItemKind::Event, "w-coup"))
    );
    // Selected, it is drawn on top of its cluster, where a click finds it.
    harness.state_mut().views.map.fit();
    harness.run_steps(3);
    assert!(harness.state().views.map.screen_pos(coup).is_some());
}

#[test]
fn the_range_follows_the_timeline() {
    let mut harness = harness(View::Timeline);
    for _ in 0..3 {
        harness
            .state_mut()
            .views
            .timeline
            .run_command(TimelineCommand::ZoomIn);
        harness.run_steps(2);
    }
    let (from, to) = harness.state().views.timeline.visible_days().unwrap();
    // Alt+8 shows the map.
    harness.key_press_modifiers(Modifiers::ALT, egui::Key::Num8);
    harness.run_steps(4);
    assert_eq!(harness.state().settings.view, View::Map);
    let app = harness.state();
    let situation = app.doc().situation();
    let (mut inside, mut outside) = (0, 0);
    for (i, e) in situation.events.iter().enumerate() {
        if e.place.is_none() {
            assert!(!app.views.map.shows(i), "{} has no place", e.id);
            continue;
        }
        let first = e.date.first_day_number() as f64;
        let last = e.end.unwrap_or(e.date).last_day();
        let last = chrono::Datelike::num_days_from_ce(&last) as f64;
        let in_range = first <= to.ceil() && last >= from.floor();
        assert_eq!(app.views.map.shows(i), in_range, "{} ({})", e.id, e.date);
        if in_range {
            inside += 1;
        } else {
            outside += 1;
        }
    }
    assert!(
        inside > 0 && outside > 0,
        "{inside} in range, {outside} out"
    );
}

#[test]
fn a_filtered_out_kind_disappears_from_the_map() {
    let mut harness = harness(View::Map);
    let death = event_index(&harness, "i-conte-death");
    let ouagadougou = event_index(&harness, "g-ouagadougou");
    assert!(harness.state().views.map.shows(death));
    harness.get_by_label("Kinds: all").click();
    harness.run_steps(2);
    harness.get_by_label("Incident").click();
    harness.run_steps(4);
    let app = harness.state();
    assert!(
        app.views
            .timeline
            .filters
            .hidden_kinds
            .contains(&EventKind::Incident)
    );
    assert!(!app.views.map.shows(death));
    assert!(app.views.map.shows(ouagadougou));
}

#[test]
fn a_line_selected_in_the_matrix_shows_where_its_work_happens() {
    let mut harness = harness(View::Matrix);
    let (title, partner) = {
        let situation = harness.state().doc().situation();
        let line = situation.line("loe-mediation").unwrap();
        let lead = situation.partner("ecowas").unwrap();
        (line.title.clone(), lead.short_name().to_owned())
    };
    harness
        .get_by_label(&tandem::ui::matrix::cell_label(
            &title,
            &partner,
            Some(tandem::model::Role::Lead),
        ))
        .click();
    harness.run_steps(3);
    assert_eq!(
        harness.state().selection,
        Some(ItemRef::new(ItemKind::Line, "loe-mediation"))
    );
    harness.key_press_modifiers(Modifiers::ALT, egui::Key::Num8);
    harness.run_steps(4);
    assert_eq!(harness.state().settings.view, View::Map);
    // The line's own places: the talks in Ouagadougou and the work in Conakry.
    assert_eq!(
        harness.state().views.map.marked_places(),
        ["Ouagadougou, BFA", "Conakry, GIN"]
    );
    // Nothing selected, nothing marked.
    harness.state_mut().selection = None;
    harness.run_steps(2);
    assert!(harness.state().views.map.marked_places().is_empty());
}

/// Guinea's events over the base map: Conakry's cluster on the coast, the two election
/// rounds (known only to the country) as a cluster in a ring at Guinea's centre, the
/// Ouagadougou declaration in Burkina Faso, and the border region named in the south-east.
#[test]
fn snapshot_of_the_guinea_map() {
    let mut harness = harness(View::Map);
    harness.snapshot("map_guinea");
}
