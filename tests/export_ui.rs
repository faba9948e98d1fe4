//! The Export dialog, driven as a user would: open it, read what will be left out (and which
//! kept text still names a left-out item), change the audience, export to a file.

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tandem::app::{Document, ScriptedDialogs, Settings, TandemApp, View};

const SITUATION: &str = r#"(
    schema: 1,
    title: "Guinea, mentions",
    as_of: "2009-11-01",
    actors: [
        (id: "junta", name: "CNDD junta", kind: DeFactoAuthority, stance: Resistant, influence: High, sensitivity: Confidential),
        (id: "fv", name: "Forces vives", kind: Opposition, stance: Open, influence: High),
    ],
    events: [
        (id: "talks", title: "Talks in Ouagadougou", kind: DiplomaticAction, date: "2009-10-05", notes: "The CNDD junta sends a delegation."),
        (id: "quiet", title: "Quiet contacts in Rabat", kind: DiplomaticAction, date: "2009-10-06", sensitivity: Confidential),
    ],
)"#;

fn harness(save_to: std::path::PathBuf) -> Harness<'static, TandemApp> {
    let loaded = tandem::io::parse_situation(SITUATION).unwrap();
    let app = TandemApp::new(
        Document::untitled(loaded.situation, "mentions"),
        Settings {
            view: View::Overview,
            ..Settings::default()
        },
        Box::new(ScriptedDialogs {
            save: Some(save_to),
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
fn the_dialog_shows_what_is_left_out_and_the_text_that_still_names_it_then_exports() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("briefing.md");
    let mut harness = harness(out.clone());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::E);
    harness.run();

    // Unclassified audience: the junta and the quiet contacts are left out, and so is the
    // internal note of the talks, which names the junta.
    harness.get_by_label("Left out of this export");
    harness.get_by_label("Actors: 1");
    harness.get_by_label("Events: 1");
    harness.get_by_label("1 internal note");
    assert!(
        harness
            .query_by_label_contains("still names left-out items")
            .is_none()
    );

    // Notes included: the note of the talks stays, and it still names the junta.
    harness
        .get_by_label("Include the notes of actors, partners, lines and events")
        .click();
    harness.run();
    assert!(harness.query_by_label("1 internal note").is_none());
    harness.get_by_label_contains("Text that stays in the export still names left-out items (1)");
    harness.get_by_label("event “Talks in Ouagadougou” (notes) names “CNDD junta”");
    harness.snapshot("export_dialog_left_out");

    // Format: Markdown, then export through the (scripted) save dialog.
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Format")
        .click();
    harness.run();
    harness.get_by_label_contains("Markdown").click();
    harness.run();
    harness.get_by_label("Export…").click();
    // The export runs on its own thread, with a spinner: step until it has landed.
    for _ in 0..100 {
        harness.run_steps(2);
        if out.exists() && harness.query_by_label_contains("Writing the").is_none() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let text = std::fs::read_to_string(&out).expect("the export was written");
    assert!(text.contains("Talks in Ouagadougou"));
    assert!(text.contains("sends a delegation"), "the note was included");
    assert!(
        !text.contains("Quiet contacts in Rabat"),
        "confidential event left out"
    );
    assert!(text.contains("TLP:CLEAR"), "{text}");
}

#[test]
fn a_confidential_audience_sees_everything_and_no_warning() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness(dir.path().join("x.md"));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::E);
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Audience may see")
        .click();
    harness.run();
    harness.get_by_label("Confidential").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("still names left-out items")
            .is_none()
    );
    harness.get_by_label_contains("Nothing: every item is confidential or below.");
}

/// The PNG is a figure drawn from what the audience may see, like every other format: the
/// dialog offers the matrix or the timeline, and no longer warns that the picture is the
/// window as it is.
#[test]
fn a_png_figure_is_exported_from_the_dialog() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("timeline.png");
    let mut harness = harness(out.clone());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::E);
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Format")
        .click();
    harness.run();
    harness.get_by_label("Figure for slides (PNG)").click();
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Figure")
        .click();
    harness.run();
    harness.get_by_label("The timeline: events by kind").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("as it is on screen")
            .is_none()
    );
    harness.get_by_label("Left out of this export");
    harness.get_by_label("Export…").click();
    for _ in 0..200 {
        harness.run_steps(2);
        if out.exists() && harness.query_by_label_contains("Writing the").is_none() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let png = std::fs::read(&out).expect("the figure was written");
    let picture = resvg::tiny_skia::Pixmap::decode_png(&png).expect("a PNG");
    assert!(
        picture.width() > 2000,
        "the timeline figure, at twice its size"
    );
}

/// A paper for one partner, picked in the dialog among the partners the audience may see.
#[test]
fn a_paper_for_a_named_partner_is_exported_from_the_dialog() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("for-au.md");
    let loaded = tandem::io::parse_situation(tandem::samples::GUINEA).unwrap();
    let app = TandemApp::new(
        Document::untitled(loaded.situation, "guinea"),
        Settings {
            view: View::Overview,
            ..Settings::default()
        },
        Box::new(ScriptedDialogs {
            save: Some(out.clone()),
            ..ScriptedDialogs::default()
        }),
    );
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 860.0))
        .build_ui_state(|ui, app: &mut TandemApp| app.ui_root(ui), app);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::E);
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Format")
        .click();
    harness.run();
    harness.get_by_label_contains("Markdown").click();
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "For")
        .click();
    harness.run();
    harness.get_by_label("African Union (AU)").click();
    harness.run();
    harness.get_by_label("Export…").click();
    for _ in 0..100 {
        harness.run_steps(2);
        if out.exists() && harness.query_by_label_contains("Writing the").is_none() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let text = std::fs::read_to_string(&out).expect("the export was written");
    assert!(
        text.contains("— for African Union"),
        "the title says for whom"
    );
    assert!(text.contains("## For African Union"));
    harness.get_by_label_contains(", for African Union;");
}
