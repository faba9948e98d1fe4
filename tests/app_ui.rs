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
    let title = harness.state().doc().situation().title.clone();
    harness.get_by_label(&title);
    let actors = harness.state().doc().situation().actors.len();
    assert!(actors >= 8, "the Guinea sample has its actors");
    harness.get_by_label_contains(&format!("{actors} actors · "));
}

#[test]
fn switching_to_actors_lists_them_and_selecting_one_shows_its_details() {
    let mut harness = harness(app_on(tandem::samples::GUINEA, View::Overview));
    harness.run();
    harness.get_by_label("Actors").click();
    harness.run();
    assert_eq!(harness.state().settings.view, View::Actors);
    let actors = harness.state().doc().situation().actors.clone();
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
    let partners = harness.state().doc().situation().partners.clone();
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
    let before = app.doc().situation().clone();
    app.open_path(&broken);
    let error = app.error.clone().expect("an error dialog");
    assert!(error.message.contains("broken.ron:3:"), "{}", error.message);
    assert_eq!(app.doc().situation(), &before);
    let mut harness = harness(app);
    harness.run();
    harness.get_by_label("This file cannot be opened");
    harness.get_by_label("OK").click();
    harness.run();
    assert!(harness.state().error.is_none());
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
    while harness.state().session().disk_change().is_none() && std::time::Instant::now() < deadline
    {
        std::thread::sleep(std::time::Duration::from_millis(100));
        harness.run();
    }
    assert_eq!(
        harness.state().session().disk_change(),
        Some(&tandem::io::disk::DiskChange::Modified),
        "the watcher noticed the change"
    );
    harness.get_by_label("Reload…").click();
    harness.run();
    assert_eq!(
        harness.state().doc().situation().title,
        tandem::io::parse_situation(&theirs)
            .unwrap()
            .situation
            .title
    );
    assert!(harness.state().session().disk_change().is_none());
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
    assert!(
        harness.state().doc().path().is_none(),
        "the copy is untitled"
    );
    assert!(harness.state().doc().read_only().is_none(), "and editable");

    let mut third = app_on(tandem::samples::GUINEA, View::Overview);
    third.open_path(&path);
    let mut harness = settled_harness(third);
    harness.get_by_label("Take over…").click();
    harness.run();
    harness.get_by_label("Take over and edit").click();
    harness.run();
    assert!(
        harness.state().doc().read_only().is_none(),
        "{:?}",
        harness.state().doc().read_only()
    );
    assert_eq!(harness.state().doc().path(), Some(path.as_path()));
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
    let found = tandem::analysis::check_all(harness.state().doc().situation());
    assert_eq!(found.len(), 1, "{found:?}");
    harness.get_by_label("0 errors, 1 warning");
    harness.get_by_label("Nobody assigned: Mediation");
}

/// A dialog holds the keys: Ctrl+K under the Export dialog opens no palette, and cancelling
/// the dialog runs nothing on the selection.
#[test]
fn the_palette_does_not_open_under_a_dialog_and_cancel_changes_nothing() {
    for view in [View::Actors, View::Timeline] {
        let mut harness = harness(app_on(tandem::samples::GUINEA, view));
        harness.run();
        let first = harness.state().doc().situation().actors[0].clone();
        harness.state_mut().selection = Some(tandem::model::ItemRef::new(
            tandem::model::ItemKind::Actor,
            first.id.clone(),
        ));
        harness.run();
        let before = harness.state().doc().situation().clone();
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
        harness.run();
        assert!(harness.state().export_dialog.open, "Ctrl+E opens Export");
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
        harness.run();
        assert!(!harness.state().palette.open, "no palette under the dialog");
        harness.key_press(egui::Key::Delete);
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::D);
        harness.run();
        harness.get_by_label("Cancel").click();
        harness.run();
        assert!(!harness.state().export_dialog.open);
        assert!(!harness.state().palette.open);
        assert!(harness.state().pending_delete.is_none(), "no delete prompt");
        assert_eq!(harness.state().doc().situation(), &before, "{view:?}");
        assert!(!harness.state().doc().is_dirty());
    }
}

/// Ctrl+Q with unsaved changes shows the prompt at once: the frame that took the key asks
/// for the next one, without the mouse having to move.
#[test]
fn the_quit_prompt_shows_without_further_input() {
    let mut app = app_on(tandem::samples::GUINEA, View::Overview);
    app.push(tandem::app::Action::Command(
        tandem::app::AppCommand::Duplicate,
    ));
    let mut harness = harness(app);
    harness.run();
    harness.state_mut().selection = Some(tandem::model::ItemRef::new(
        tandem::model::ItemKind::Actor,
        harness.state().doc().situation().actors[0].id.clone(),
    ));
    harness.state_mut().push(tandem::app::Action::Command(
        tandem::app::AppCommand::Duplicate,
    ));
    harness.run();
    assert!(harness.state().doc().is_dirty());
    // Only the key going down: no key-up event gives the harness a second frame for free.
    harness.key_down_modifiers(egui::Modifiers::COMMAND, egui::Key::Q);
    let frames = harness.run();
    assert!(
        frames >= 2,
        "the frame that took Ctrl+Q asked for another ({frames})"
    );
    harness.get_by_label("Unsaved changes");
    harness.get_by_label("Cancel").click();
    harness.run();
    assert!(harness.query_by_label("Unsaved changes").is_none());
}

/// Escape clears the selection (and so closes the inspector of the matrix and timeline).
#[test]
fn escape_clears_the_selection() {
    let mut harness = harness(app_on(tandem::samples::GUINEA, View::Actors));
    harness.run();
    let first = harness.state().doc().situation().actors[0].name.clone();
    harness.get_by_label(&first).click();
    harness.run();
    assert!(harness.state().selection.is_some());
    harness.remove_cursor();
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(harness.state().selection.is_none());
}

/// On the first start the name is asked once the window is on screen, not in the passes before
/// eframe shows it (there the focused field froze a software-rendered window under Xvfb).
#[test]
fn the_first_start_asks_the_name_once_the_window_is_shown() {
    let mut app = app_on(tandem::samples::GUINEA, View::Overview);
    app.ask_name_on_start();
    assert!(
        app.name_prompt.is_none(),
        "not before the window's first passes"
    );
    let mut harness = harness(app);
    harness.run();
    assert_eq!(harness.state().name_prompt.as_deref(), Some(""));
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Your name")
        .type_text("Amina Diallo");
    harness.run();
    harness.get_by_label("OK").click();
    harness.run();
    assert_eq!(harness.state().settings.officer_name, "Amina Diallo");
    assert!(harness.state().name_prompt.is_none());
}

/// The officer gives their name once; the lock beside a file they open carries it, so that a
/// colleague reads "Marie Diallo on …" rather than an account name.
#[test]
fn the_officers_name_goes_into_the_lock_of_the_files_they_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.ron");
    std::fs::write(&path, tandem::samples::KENYA).unwrap();
    let mut app = app_on(tandem::samples::GUINEA, View::Overview);
    app.push(tandem::app::Action::Command(
        tandem::app::AppCommand::YourName,
    ));
    let mut harness = harness(app);
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Your name")
        .type_text("Marie Diallo");
    harness.run();
    harness.get_by_label("OK").click();
    harness.run();
    assert!(harness.state().name_prompt.is_none());
    assert_eq!(harness.state().settings.officer_name, "Marie Diallo");
    harness.state_mut().open_path(&path);
    let line = std::fs::read_to_string(tandem::io::lock::lock_path(&path)).unwrap();
    assert!(line.starts_with("Marie Diallo,"), "{line}");
    let theirs = tandem::io::lock::LockInfo::parse(&line).unwrap();
    assert!(
        theirs.holder().starts_with("Marie Diallo on "),
        "{}",
        theirs.holder()
    );
}

/// "Your name" reopened shows the name given before, all selected: typing replaces it rather
/// than writing in front of it.
#[test]
fn your_name_reopened_selects_the_name_so_typing_replaces_it() {
    let mut app = app_on(tandem::samples::GUINEA, View::Overview);
    app.settings.officer_name = "Marie Diallo".into();
    app.push(tandem::app::Action::Command(
        tandem::app::AppCommand::YourName,
    ));
    let mut harness = harness(app);
    harness.run();
    assert_eq!(harness.state().name_prompt.as_deref(), Some("Marie Diallo"));
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Your name")
        .type_text("Amina Diallo");
    harness.run();
    assert_eq!(harness.state().name_prompt.as_deref(), Some("Amina Diallo"));
    harness.get_by_label("OK").click();
    harness.run();
    assert_eq!(harness.state().settings.officer_name, "Amina Diallo");
}

/// Ctrl+K finds items too: "ecowas" lists the partner, and picking it reveals it in its view.
#[test]
fn the_palette_finds_a_partner_by_acronym_and_reveals_it() {
    let mut harness = harness(app_on(tandem::samples::GUINEA, View::Overview));
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    harness.run();
    harness
        .get_by_label("Search commands and items")
        .type_text("ecowas");
    harness.run();
    assert!(
        harness
            .query_by_label("No command or item matches")
            .is_none()
    );
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert!(!harness.state().palette.open);
    let selection = harness
        .state()
        .selection
        .clone()
        .expect("an item is selected");
    assert_eq!(selection.kind, tandem::model::ItemKind::Partner);
    assert_eq!(selection.id, "ecowas");
    assert_eq!(harness.state().settings.view, View::Partners);
}

/// Without a system file dialog (no desktop portal), Open asks for a typed path and says why;
/// a wrong path is refused at the field, a right one opens.
#[test]
fn open_asks_for_a_typed_path_when_the_system_dialog_cannot_be_shown() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kenya.ron");
    std::fs::write(&path, tandem::samples::KENYA).unwrap();
    let loaded = parse_situation(tandem::samples::GUINEA).unwrap();
    let doc = Document::untitled(loaded.situation, "sample");
    let dialogs = ScriptedDialogs {
        unavailable: true,
        ..ScriptedDialogs::default()
    };
    let mut harness = harness(TandemApp::new(doc, Settings::default(), Box::new(dialogs)));
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    harness.run();
    harness.get_by_label_contains("did not show its file dialog");
    let field = egui::accesskit::Role::TextInput;
    harness
        .get_by_role_and_label(field, "Path")
        .type_text("/no/such/file.ron");
    harness.run();
    harness.get_by_label("Open").click();
    harness.run();
    harness.get_by_label_contains("There is no file at");
    assert!(
        harness.state().path_prompt.is_some(),
        "the question stays open"
    );
    harness.get_by_role_and_label(field, "Path").focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness
        .get_by_role_and_label(field, "Path")
        .type_text(&format!("\"{}\"", path.display()));
    harness.run();
    harness.get_by_label("Open").click();
    harness.run();
    assert!(harness.state().path_prompt.is_none());
    assert_eq!(harness.state().doc().path(), Some(path.as_path()));
}

/// F5 asks who the briefing is for before the first slide: the last audience preselected,
/// what will be left out, and a warning when text that stays names a left-out item.
/// Cancel presents nothing; Start presents to the audience picked.
#[test]
fn f5_asks_for_the_audience_and_warns_before_the_first_slide() {
    let mut harness = harness(app_on(tandem::samples::GUINEA, View::Matrix));
    harness.run();
    harness.key_press(egui::Key::F5);
    harness.run();
    assert!(
        harness.state().briefing.is_none(),
        "no slide before the question"
    );
    harness.get_by_label("Start briefing");
    harness.get_by_label_contains("Left out of the slides:");
    let situation = harness.state().doc().situation().clone();
    let options = tandem::export::ExportOptions::new(tandem::export::Audience::new(
        tandem::model::Sensitivity::Unclassified,
    ));
    let (_, report) = tandem::export::prepare(&situation, &options);
    assert_eq!(
        harness
            .query_by_label_contains("Text on the slides still names left-out items")
            .is_some(),
        !report.mentions.is_empty()
    );
    harness.get_by_label("Cancel").click();
    harness.run();
    assert!(harness.state().briefing.is_none() && harness.state().briefing_setup.is_none());

    harness.key_press(egui::Key::F5);
    harness.run();
    harness.get_by_label("Audience may see").click();
    harness.run();
    harness.get_by_label("Strictly confidential").click();
    harness.run();
    harness.get_by_label_contains("Nothing is left out");
    harness.get_by_label("Start").click();
    harness.run();
    let briefing = harness.state().briefing.as_ref().expect("presenting");
    assert_eq!(
        briefing.ceiling,
        tandem::model::Sensitivity::StrictlyConfidential
    );

    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.key_press(egui::Key::F5);
    harness.run();
    let setup = harness
        .state()
        .briefing_setup
        .as_ref()
        .expect("asked again");
    assert_eq!(
        setup.audience.ceiling,
        tandem::model::Sensitivity::StrictlyConfidential,
        "the last audience is preselected"
    );
}

/// A long shared-status reason (an untrusted certificate and how to trust it) is cut in the
/// status bar, not pushed past the window's edge with "Connect again…" and the last message
/// after it.
#[test]
fn a_long_sharing_reason_leaves_the_last_message_in_the_status_bar() {
    let reason = format!(
        "Shared · no secure connection to the sync server at wss://sync.example.org:8443/: its \
         certificate is not signed by an authority this machine trusts; {}",
        "set SSL_CERT_FILE to the office's authority file to trust it. ".repeat(3)
    );
    let line = tandem::ui::menu::StatusLine {
        file: "/home/amina/situations/guinea-2009-2010.ron".into(),
        dirty: false,
        saving: false,
        errors: 0,
        warnings: 2,
        message: Some("Saved guinea-2009-2010.ron"),
        shared: Some(reason),
        connect_again: true,
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 40.0))
        .build_ui(|ui| {
            let mut show = false;
            tandem::ui::menu::status_bar_ui(ui, &line, &mut show, &mut Vec::new());
        });
    harness.run();
    let message = harness.get_by_label("Saved guinea-2009-2010.ron");
    assert!(
        message.rect().max.x <= 1280.0,
        "the last message is on screen: {:?}",
        message.rect()
    );
    let offer = harness.get_by_label("Connect again…");
    assert!(
        offer.rect().max.x < message.rect().min.x,
        "\"Connect again…\" is on screen, beside the reason: {:?}",
        offer.rect()
    );
}
