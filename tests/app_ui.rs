//! The app window, driven as a user would: it opens on a sample, lists actors, shows details.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tandem::app::{Document, ScriptedDialogs, Settings, TandemApp, View};
use tandem::io::parse_situation;
use tandem::model::ItemKind;

fn app_on(text: &str, view: View) -> TandemApp {
    let loaded = parse_situation(text).expect("the sample parses");
    let doc = Document::untitled(loaded.situation, "sample");
    let settings = Settings {
        view,
        ..Settings::default()
    };
    TandemApp::new(doc, settings, Box::new(ScriptedDialogs::default()))
}

fn harness(app: TandemApp) -> Harness<'static, TandemApp> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut TandemApp| app.ui_root(ui), app)
}

#[test]
fn the_overview_shows_the_sample_title_and_counts() {
    let mut harness = harness(app_on(tandem::samples::GUINEA, View::Overview));
    harness.run();
    let title = harness.state().doc.situation.title.clone();
    harness.get_by_label(&title);
    let actors = harness.state().doc.situation.actors.len();
    assert!(actors >= 8, "the Guinea sample has its actors");
    harness.get_by_label(&actors.to_string());
}

#[test]
fn switching_to_actors_lists_them_and_selecting_one_shows_its_details() {
    let mut harness = harness(app_on(tandem::samples::GUINEA, View::Overview));
    harness.run();
    harness.get_by_label("Actors").click();
    harness.run();
    assert_eq!(harness.state().settings.view, View::Actors);
    let actors = harness.state().doc.situation.actors.clone();
    let first = actors.first().expect("the sample has actors");
    harness.get_by_label(&first.name).click();
    harness.run();
    let selection = harness
        .state()
        .selection
        .clone()
        .expect("a click selects the actor");
    assert_eq!(selection.kind, ItemKind::Actor);
    assert_eq!(selection.id, first.id);
    // The detail pane shows the actor's fields: its id and interests in their text fields.
    assert!(harness.query_all_by_value(&first.id).count() >= 1);
    if !first.interests.is_empty() {
        assert!(harness.query_all_by_value(&first.interests).count() >= 1);
    }
}

#[test]
fn partners_can_be_filtered_by_category() {
    let mut harness = harness(app_on(tandem::samples::GUINEA, View::Partners));
    harness.run();
    let partners = harness.state().doc.situation.partners.clone();
    let un = partners
        .iter()
        .find(|p| p.category == tandem::model::PartnerCategory::UnSystem)
        .expect("a UN partner");
    let other = partners
        .iter()
        .find(|p| p.category != tandem::model::PartnerCategory::UnSystem)
        .expect("a non-UN partner");
    harness.get_by_label(&un.name);
    harness.get_by_label(&other.name);
    let un_count = partners
        .iter()
        .filter(|p| p.category == tandem::model::PartnerCategory::UnSystem)
        .count();
    harness
        .get_by_label(&format!("UN system ({un_count})"))
        .click();
    harness.run();
    harness.get_by_label(&un.name);
    assert!(
        harness.query_by_label(&other.name).is_none(),
        "the other category is filtered out"
    );
}

#[test]
fn opening_a_broken_file_keeps_the_current_situation_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.ron");
    std::fs::write(&broken, "(\n    schema: 1,\n    title: 42,\n)").unwrap();
    let mut app = app_on(tandem::samples::GUINEA, View::Overview);
    let before = app.doc.situation.clone();
    app.open_path(&broken);
    let error = app.error.clone().expect("an error dialog");
    assert!(error.message.contains("broken.ron:3:"), "{}", error.message);
    assert_eq!(app.doc.situation, before);
    let mut harness = harness(app);
    harness.run();
    harness.get_by_label("This file cannot be opened");
    harness.get_by_label("OK").click();
    harness.run();
    assert!(harness.state().error.is_none());
}

#[test]
fn save_as_writes_the_file_and_clears_the_unsaved_marker() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("mine.ron");
    let loaded = parse_situation(tandem::samples::GUINEA).unwrap();
    let doc = Document::untitled(loaded.situation, "sample");
    let dialogs = ScriptedDialogs {
        save: Some(target.clone()),
        ..Default::default()
    };
    let mut app = TandemApp::new(doc, Settings::default(), Box::new(dialogs));
    let mut edited = app.doc.situation.actors.first().cloned().unwrap();
    edited.name = "Renamed in a test".into();
    app.doc
        .apply(tandem::model::edit::Edit::Replace {
            item: tandem::model::Item::Actor(edited),
        })
        .unwrap();
    assert!(app.doc.is_dirty());
    assert!(app.doc.window_title().starts_with("● "));
    assert!(app.save());
    assert!(!app.doc.is_dirty());
    let reread = tandem::io::load_file(&target).unwrap();
    assert_eq!(reread.situation, app.doc.situation);
    app.doc.undo();
    assert!(
        app.doc.is_dirty(),
        "undo past the save marks the situation unsaved again"
    );
    app.doc.redo();
    assert!(
        !app.doc.is_dirty(),
        "redo back to the saved state clears it"
    );
}

#[test]
fn a_file_changed_on_disk_is_not_overwritten_by_save() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.ron");
    std::fs::write(&path, tandem::samples::KENYA).unwrap();
    let mut app = app_on(tandem::samples::GUINEA, View::Overview);
    app.open_path(&path);
    assert!(app.doc.read_only.is_none(), "{:?}", app.doc.read_only);
    // A colleague changes one letter: same size, and the modification time put back.
    let before = std::fs::metadata(&path).unwrap().modified().unwrap();
    let theirs = tandem::samples::KENYA.replacen("Kenya", "KENYA", 1);
    assert_eq!(theirs.len(), tandem::samples::KENYA.len());
    std::fs::write(&path, &theirs).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(before)
        .unwrap();
    app.doc.mark_unsaved();
    assert!(!app.save(), "the save is refused");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        theirs,
        "their version is intact"
    );
    assert!(app.error.unwrap().title.contains("changed on disk"));
}

#[test]
fn a_second_session_opens_a_locked_file_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.ron");
    std::fs::write(&path, tandem::samples::KENYA).unwrap();
    let mut first = app_on(tandem::samples::GUINEA, View::Overview);
    first.open_path(&path);
    assert!(first.doc.read_only.is_none());
    assert!(
        tandem::io::lock::lock_path(&path).exists(),
        "the lock file sits beside the file"
    );
    let mut second = app_on(tandem::samples::GUINEA, View::Overview);
    second.open_path(&path);
    let reason = second
        .doc
        .read_only
        .clone()
        .expect("read-only for the second session");
    assert!(reason.contains("has this file open (since"), "{reason}");
    assert!(!second.save(), "a read-only file is not saved over");
}

#[test]
fn a_stale_lock_left_by_a_dead_session_is_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.ron");
    std::fs::write(&path, tandem::samples::KENYA).unwrap();
    let mut dead = tandem::io::lock::LockInfo::current();
    dead.pid = Some(4_000_000);
    std::fs::write(tandem::io::lock::lock_path(&path), dead.to_line()).unwrap();
    let mut app = app_on(tandem::samples::GUINEA, View::Overview);
    app.open_path(&path);
    assert!(app.doc.read_only.is_none(), "{:?}", app.doc.read_only);
    assert!(
        app.status
            .clone()
            .unwrap_or_default()
            .contains("stale lock")
    );
}

#[test]
fn a_change_on_disk_while_open_shows_the_banner() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.ron");
    std::fs::write(&path, tandem::samples::KENYA).unwrap();
    let mut app = app_on(tandem::samples::GUINEA, View::Overview);
    app.open_path(&path);
    let mut harness = harness(app);
    harness.run();
    let theirs = tandem::samples::KENYA.replacen("Kenya", "KENYA", 1);
    std::fs::write(&path, &theirs).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while harness.state().disk_change.is_none() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
        harness.run();
    }
    assert_eq!(
        harness.state().disk_change,
        Some(tandem::io::disk::DiskChange::Modified),
        "the watcher noticed the change"
    );
    harness.get_by_label("Reload…").click();
    harness.run();
    assert_eq!(
        harness.state().doc.situation.title,
        tandem::io::parse_situation(&theirs)
            .unwrap()
            .situation
            .title
    );
    assert!(harness.state().disk_change.is_none());
}

#[test]
fn a_locked_file_can_be_opened_as_a_copy_or_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.ron");
    std::fs::write(&path, tandem::samples::KENYA).unwrap();
    let mut first = app_on(tandem::samples::GUINEA, View::Overview);
    first.open_path(&path);
    let mut second = app_on(tandem::samples::GUINEA, View::Overview);
    second.open_path(&path);
    let mut harness = harness(second);
    harness.run();
    harness.get_by_label("Open a copy").click();
    harness.run();
    assert!(harness.state().doc.path.is_none(), "the copy is untitled");
    assert!(harness.state().doc.read_only.is_none(), "and editable");

    let mut third = app_on(tandem::samples::GUINEA, View::Overview);
    third.open_path(&path);
    let mut harness = settled_harness(third);
    harness.get_by_label("Take over…").click();
    harness.run();
    harness.get_by_label("Take over and edit").click();
    harness.run();
    assert!(
        harness.state().doc.read_only.is_none(),
        "{:?}",
        harness.state().doc.read_only
    );
    assert_eq!(harness.state().doc.path.as_deref(), Some(path.as_path()));
    drop(first);
}

fn settled_harness(app: TandemApp) -> Harness<'static, TandemApp> {
    let mut h = harness(app);
    h.run();
    h
}

/// The status bar counts in words: "1 warning", not "1 warnings".
#[test]
fn the_status_bar_says_one_warning() {
    let text = r#"(
    schema: 1,
    title: "One warning",
    as_of: "2010-10-15",
    lines: [
        (id: "mediation", title: "Mediation", instrument: SpecialEnvoy, track: I, status: Active),
    ],
)"#;
    let mut harness = harness(app_on(text, View::Overview));
    harness.run();
    let found = tandem::analysis::check_all(&harness.state().doc.situation);
    assert_eq!(found.len(), 1, "{found:?}");
    harness.get_by_label("0 errors, 1 warning");
    harness.get_by_label_contains("0 errors and 1 warning —");
}
