//! Every view at 1280×720 with an item selected: the inspector on the right, and the view beside
//! it still showing most of the window. Looked at by eye; the snapshots catch a regression.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tandem::app::{Document, ScriptedDialogs, Settings, TandemApp, View};
use tandem::io::parse_situation;
use tandem::model::{ItemKind, ItemRef};

fn harness_on(view: View, selection: ItemRef) -> Harness<'static, TandemApp> {
    let loaded = parse_situation(tandem::samples::GUINEA).expect("the sample parses");
    let doc = Document::untitled(loaded.situation, "guinea");
    let settings = Settings {
        view,
        ..Settings::default()
    };
    let mut app = TandemApp::new(doc, settings, Box::new(ScriptedDialogs::default()));
    app.selection = Some(selection);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_ui_state(|ui, app: &mut TandemApp| app.ui_root(ui), app);
    harness.run_steps(10);
    harness
}

/// The inspector's left edge: its first line names the kind of item, at the pane's left; the
/// same word elsewhere (a table's header) lies further left.
fn inspector_left(harness: &Harness<'_, TandemApp>, kind: ItemKind) -> f32 {
    harness.get_by_label("Close the inspector");
    harness
        .query_all_by_label(capitalised(kind.label()).as_str())
        .map(|n| n.rect().left())
        .fold(0.0_f32, f32::max)
}

fn first_of(kind: ItemKind) -> ItemRef {
    let s = parse_situation(tandem::samples::GUINEA)
        .expect("the sample parses")
        .situation;
    let id = match kind {
        ItemKind::Actor => s.actors[0].id.clone(),
        ItemKind::Partner => s.partners[0].id.clone(),
        ItemKind::Line => s.lines[0].id.clone(),
        ItemKind::Event => s.events[0].id.clone(),
    };
    ItemRef::new(kind, id)
}

/// Each view with one of its items selected: the inspector on the right, the view keeping most
/// of the window. (That the tables keep their first four columns is in matrix_legibility.rs.)
#[test]
fn every_view_with_an_item_selected_keeps_most_of_the_window() {
    let event = ItemRef::new(ItemKind::Event, "w-army-factions");
    let shots = [
        (View::Actors, first_of(ItemKind::Actor), "actors"),
        (View::Partners, first_of(ItemKind::Partner), "partners"),
        (View::Lines, first_of(ItemKind::Line), "lines"),
        (View::Events, first_of(ItemKind::Event), "events"),
        (View::Timeline, event.clone(), "timeline"),
        (View::Map, event, "map"),
    ];
    let mut results = egui_kittest::SnapshotResults::new();
    for (view, selection, name) in shots {
        let kind = selection.kind;
        let mut harness = harness_on(view, selection);
        let edge = inspector_left(&harness, kind);
        assert!(
            edge > 1280.0 * 0.55,
            "{name}: the view keeps most of the window ({edge})"
        );
        harness.snapshot(format!("{name}_selected_1280x720"));
        results.extend(harness.take_snapshot_results());
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}
