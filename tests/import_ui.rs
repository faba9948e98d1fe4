//! File → Import… in the app: pick a CSV, read the preview, import as one undoable step.

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tandem::app::{Document, ScriptedDialogs, Settings, TandemApp, View};

fn harness() -> Harness<'static, TandemApp> {
    let loaded = tandem::io::parse_situation(tandem::samples::GUINEA).unwrap();
    let csv = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/acled-guinea.csv");
    let app = TandemApp::new(
        Document::untitled(loaded.situation, "guinea"),
        Settings {
            view: View::Events,
            ..Settings::default()
        },
        Box::new(ScriptedDialogs {
            open: Some(csv),
            ..ScriptedDialogs::default()
        }),
    );
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 860.0))
        .build_ui_state(|ui, app: &mut TandemApp| app.ui_root(ui), app);
    harness.run();
    harness
}

#[test]
fn an_acled_file_is_previewed_imported_in_one_step_and_undone_in_one() {
    let mut harness = harness();
    let before = harness.state().doc().situation().clone();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::I);
    harness.run();
    harness.get_by_label_contains("acled-guinea.csv");
    // The format is recognised from the header; the preview says what will happen.
    harness.get_by_label_contains("event GIN1004: event_date is empty");
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Import")
        .click();
    harness.run();

    let after = harness.state().doc().situation().clone();
    assert_eq!(after.events.len(), before.events.len() + 5);
    assert!(harness.state().doc().is_dirty());
    assert_eq!(harness.state().doc().history().undo_len(), 1, "one step");

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(harness.state().doc().situation(), &before);
    assert!(!harness.state().doc().is_dirty());
}
