//! Briefing marks driven as a desk officer would: mark the situation as briefed, change a role
//! in the matrix, then read "What changed since…", export a paper with its "Since …" section
//! and present a briefing with its "Since …" slide. Marks go to a temporary data folder.

use std::path::{Path, PathBuf};

use chrono::{TimeZone as _, Utc};
use egui::accesskit::Role as A11yRole;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tandem::app::{Action, AppCommand, Document, ScriptedDialogs, Settings, TandemApp, View};
use tandem::io::marks::MarkStore;
use tandem::io::parse_situation;
use tandem::model::edit::Edit;
use tandem::model::{Assignment, Role, Situation};

/// In the confidential partner only: no unclassified paper or slide may show it.
const CANARY: &str = "QUIET-CANARY-4417";

const SITUATION: &str = r#"(
    schema: 1,
    title: "Guinea, marks",
    as_of: "2009-11-01",
    actors: [
        (id: "junta", name: "CNDD junta", kind: DeFactoAuthority, stance: Resistant, influence: High),
    ],
    partners: [
        (id: "ecowas", name: "Economic Community of West African States", acronym: "ECOWAS", category: Subregional),
        (id: "au", name: "African Union", acronym: "AU", category: Regional),
        (id: "quiet", name: "Quiet channel QUIET-CANARY-4417", acronym: "QUIET-CANARY-4417", category: Regional, sensitivity: Confidential),
    ],
    lines: [
        (id: "mediation", title: "Mediation", instrument: MediationSupport, track: I, status: Active),
    ],
    assignments: [
        (line: "mediation", partner: "ecowas", role: Lead),
        (line: "mediation", partner: "quiet", role: Support),
    ],
)"#;

/// The app on a saved copy of `text` in `dir`, marks kept in `dir/data`; the scripted save
/// dialog answers `save_to`.
fn harness_on(text: &str, dir: &Path, save_to: PathBuf) -> Harness<'static, TandemApp> {
    let file = dir.join("situation.ron");
    std::fs::write(&file, text).unwrap();
    let mut app = TandemApp::new(
        Document::untitled(Situation::new("Empty", "2009-01-01".parse().unwrap()), "x"),
        Settings {
            view: View::Matrix,
            ..Settings::default()
        },
        Box::new(ScriptedDialogs {
            save: Some(save_to),
            ..ScriptedDialogs::default()
        }),
    );
    app.set_data_dir(dir.join("data"));
    app.open_path(&file);
    assert!(app.doc().path().is_some(), "{:?}", app.error);
    let mut harness = build(app);
    frames_until(&mut harness, |app| {
        app.session().history().is_some_and(|h| !h.is_loading())
    });
    harness
}

/// The app on the hand-made situation with its confidential canary partner.
fn harness(dir: &Path, save_to: PathBuf) -> Harness<'static, TandemApp> {
    harness_on(SITUATION, dir, save_to)
}

/// A 1280×720 window on `app`. The local history, written on a thread of its own, wakes the
/// window when a change is kept: a few more frames than usual may pass before it settles.
fn build(app: TandemApp) -> Harness<'static, TandemApp> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .with_max_steps(24)
        .build_ui_state(|ui, app: &mut TandemApp| app.ui_root(ui), app)
}

fn command(harness: &mut Harness<'_, TandemApp>, command: AppCommand) {
    harness.state_mut().push(Action::Command(command));
    harness.run();
}

/// File → Mark as briefed…, the proposed name taken.
fn mark_as_briefed(harness: &mut Harness<'_, TandemApp>) {
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label_contains("Mark as briefed…").click();
    harness.run();
    harness.get_by_label("Mark as briefed");
    harness.get_by_label("Mark").click();
    harness.run();
    let status = harness.state().status.clone().unwrap_or_default();
    assert!(
        status.starts_with("Marked as briefed: Briefing "),
        "{status}"
    );
}

/// ECOWAS goes from Lead to Support on Mediation (and the confidential partner to Lead), as
/// the matrix would ask.
fn change_roles(harness: &mut Harness<'_, TandemApp>) {
    set_role(harness, "mediation", "ecowas", Role::Support);
    set_role(harness, "mediation", "quiet", Role::Lead);
}

const ROLE_CHANGE: &str = "ECOWAS went from Lead to Support on “Mediation”";

/// Sets `partner`'s role on `line`, as the matrix would.
fn set_role(harness: &mut Harness<'_, TandemApp>, line: &str, partner: &str, role: Role) {
    harness.state_mut().push(Action::Edit(Edit::SetAssignment {
        line: line.into(),
        partner: partner.into(),
        assignment: Some(Assignment::new(line, partner, role)),
        index: None,
    }));
    harness.run();
}

/// F5, the "Since" slide of the mark labelled `mark` chosen, Start, then the next slide: the
/// first "Since …" slide.
fn present_since(harness: &mut Harness<'_, TandemApp>, mark: &str) {
    harness.key_press(egui::Key::F5);
    harness.run();
    harness
        .get_by_role_and_label(A11yRole::ComboBox, "Since slide")
        .click();
    harness.run();
    harness.get_by_label(mark).click();
    harness.run();
    harness.get_by_label("Start").click();
    harness.run();
    command(
        harness,
        AppCommand::Slides(tandem::ui::command::SlideCommand::Next),
    );
}

/// The Export dialog, open with the Markdown briefing paper chosen.
fn export_markdown_dialog(harness: &mut Harness<'_, TandemApp>) {
    command(harness, AppCommand::Export);
    harness
        .get_by_role_and_label(A11yRole::ComboBox, "Format")
        .click();
    harness.run();
    harness.get_by_label("Markdown briefing paper").click();
    harness.run();
}

/// File → What changed since…
fn open_changes(harness: &mut Harness<'_, TandemApp>) {
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label_contains("What changed since…").click();
    harness.run();
}

/// The Guinea sample under a fixed (relative, never written) file name, marked on 2 Nov 2026
/// as "Council briefing", marks kept in `data`: the snapshot shows no temporary path nor
/// today's date.
fn sample_marked(data: &Path) -> Harness<'static, TandemApp> {
    let file = PathBuf::from("guinea-2009-2010.ron");
    let situation = parse_situation(tandem::samples::GUINEA).unwrap().situation;
    let noon = Utc.with_ymd_and_hms(2026, 11, 2, 12, 0, 0).unwrap();
    MarkStore::in_data_dir(data, &file)
        .add_at("Council briefing", &situation, noon)
        .unwrap();
    let settings = Settings {
        view: View::Matrix,
        ..Settings::default()
    };
    let doc = Document::new(situation, Some(file));
    let mut app = TandemApp::new(doc, settings, Box::new(ScriptedDialogs::default()));
    app.set_data_dir(data.to_path_buf());
    let mut harness = build(app);
    harness.run();
    harness
}

/// On the Guinea sample: marked, then ECOWAS and Burkina Faso swap roles on the mediation;
/// "What changed since…" says so in words, with the partners' and the line's names, under
/// "The matrix", and gives the warning-to-action figures then and now.
#[test]
fn what_changed_since_a_mark_lists_a_role_change_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = sample_marked(dir.path());
    set_role(&mut harness, "loe-mediation", "ecowas", Role::Support);
    set_role(&mut harness, "loe-mediation", "burkina-faso", Role::Lead);

    open_changes(&mut harness);
    // The newest mark is chosen to begin with.
    let chosen = harness
        .state()
        .marks
        .changes
        .as_ref()
        .and_then(|w| w.chosen().cloned());
    assert_eq!(
        chosen.map(|m| m.label()).as_deref(),
        Some("Council briefing (2 Nov 2026)")
    );
    harness.get_by_label("The matrix");
    let line = "“ECOWAS-led mediation between the junta and the Forces Vives”";
    harness.get_by_label_contains(&format!("ECOWAS went from Lead to Support on {line}"));
    harness.get_by_label_contains(&format!(
        "Burkina Faso (President Blaise Compaoré, ECOWAS mediator) went from Support to Lead \
         on {line}"
    ));
    harness.get_by_label("Warning to action, then and now");
    harness.get_by_label_contains("Warning signs: 6 then, 6 now");
    harness.snapshot("changes_since_mark_1280x720");

    // A dialog holds the keys: Ctrl+Z does not undo under it.
    assert!(harness.state().modal_open());
    let revision = harness.state().doc().revision();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert_eq!(harness.state().doc().revision(), revision);
    // Escape closes it.
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(harness.state().marks.changes.is_none());
    assert!(!harness.state().modal_open());
}

/// The list follows the situation: the roles undone, there is no change since the mark.
#[test]
fn what_changed_since_a_mark_follows_undo_and_says_when_nothing_changed() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness(dir.path(), dir.path().join("unused.md"));
    mark_as_briefed(&mut harness);
    change_roles(&mut harness);
    open_changes(&mut harness);
    harness.get_by_label_contains(ROLE_CHANGE);
    // The officer's own view: the confidential partner's change is listed too.
    harness.get_by_label_contains(&format!("{CANARY} went from Support to Lead"));

    command(&mut harness, AppCommand::Undo);
    command(&mut harness, AppCommand::Undo);
    harness.get_by_label_contains("No changes since Briefing ");
    assert!(harness.query_by_label_contains(ROLE_CHANGE).is_none());
    harness.get_by_label("Close").click();
    harness.run();
    assert!(harness.state().marks.changes.is_none());
}

/// The "Since Council briefing" slide of the Guinea sample after ECOWAS and Burkina Faso
/// swapped roles: the heading and the changes at a size a room can read, wrapping at the
/// slide's edge.
#[test]
fn the_since_slide_reads_at_the_size_of_the_other_slides() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = sample_marked(dir.path());
    set_role(&mut harness, "loe-mediation", "ecowas", Role::Support);
    set_role(&mut harness, "loe-mediation", "burkina-faso", Role::Lead);
    present_since(&mut harness, "Council briefing (2 Nov 2026)");
    harness.get_by_label_contains("Since Council briefing (2 Nov 2026)");
    harness.get_by_label_contains("ECOWAS went from Lead to Support");
    harness.snapshot("briefing_since_slide_1280x720");
    command(
        &mut harness,
        AppCommand::Slides(tandem::ui::command::SlideCommand::Next),
    );
    harness.get_by_label_contains("Since Council briefing (2 Nov 2026) (2/2)");
    harness.get_by_label("Warning to action, then and now (continued)");
}

/// In "What changed since…" the chosen mark is renamed (the name typed over the old one;
/// Escape puts the renaming aside, not the window) and deleted after a question; the window
/// then compares with the mark left, and the store holds what the window shows.
#[test]
fn a_mark_is_renamed_and_deleted_from_what_changed_since() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let mut harness = sample_marked(data);
    let store = MarkStore::in_data_dir(data, Path::new("guinea-2009-2010.ron"));
    let situation = harness.state().doc().situation().clone();
    let later = Utc.with_ymd_and_hms(2026, 11, 9, 12, 0, 0).unwrap();
    store.add_at("Envoy's trip", &situation, later).unwrap();
    open_changes(&mut harness);
    harness.get_by_label_contains("Envoy's trip (9 Nov 2026)");

    harness.get_by_label("Rename…").click();
    harness.run();
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(harness.state().marks.changes.is_some(), "the window stays");
    assert!(harness.query_by_label("New name").is_none());

    harness.get_by_label("Rename…").click();
    harness.run();
    harness
        .get_by_role_and_label(A11yRole::TextInput, "New name")
        .type_text("Envoy's trip to Addis");
    harness.run();
    harness.get_by_label("Rename").click();
    harness.run();
    let names: Vec<String> = store.list().into_iter().map(|m| m.meta.name).collect();
    assert_eq!(names, ["Envoy's trip to Addis", "Council briefing"]);
    assert!(
        (harness.query_all_by_label_contains("Envoy's trip to Addis (9 Nov 2026)"))
            .next()
            .is_some(),
        "the picker shows the new name"
    );
    let status = harness.state().status.clone().unwrap_or_default();
    assert!(status.starts_with("Renamed the mark"), "{status}");

    harness.get_by_label("Delete…").click();
    harness.run();
    harness.get_by_label_contains("Delete the mark “Envoy's trip to Addis (9 Nov 2026)”?");
    harness.get_by_label("Delete the mark").click();
    harness.run();
    let names: Vec<String> = store.list().into_iter().map(|m| m.meta.name).collect();
    assert_eq!(names, ["Council briefing"]);
    let window = harness.state().marks.changes.as_ref().unwrap();
    assert_eq!(window.marks.len(), 1);
    assert_eq!(
        window.chosen().map(|m| m.meta.name.as_str()),
        Some("Council briefing")
    );
}

#[test]
fn an_untitled_situation_must_be_saved_before_it_is_marked() {
    let app = TandemApp::with_sample(Box::new(ScriptedDialogs::default()));
    let mut harness = build(app);
    harness.run();
    command(&mut harness, AppCommand::MarkBriefed);
    harness.get_by_label("Save the situation first");
    assert!(harness.state().marks.prompt.is_none());
}

/// An untitled situation exported: nothing offers a mark it could not keep.
#[test]
fn an_untitled_situation_exported_is_not_offered_a_mark() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("paper.md");
    let app = TandemApp::with_sample(Box::new(ScriptedDialogs {
        save: Some(out.clone()),
        ..ScriptedDialogs::default()
    }));
    let mut harness = build(app);
    harness.run();
    assert!(harness.state().doc().path().is_none());
    export_markdown_dialog(&mut harness);
    harness.get_by_label("Export…").click();
    frames_until(&mut harness, |app| {
        out.exists()
            && app
                .status
                .as_deref()
                .is_some_and(|s| s.contains("paper.md"))
    });
    assert!(
        harness.state().marks.offer.is_none(),
        "{:?}",
        harness.state().status
    );
    assert!(
        harness
            .query_by_label_contains("Mark this as briefed?")
            .is_none()
    );
}

#[test]
fn an_export_since_a_mark_has_the_section_and_offers_to_mark_again() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("paper.md");
    let mut harness = harness(dir.path(), out.clone());
    mark_as_briefed(&mut harness);
    change_roles(&mut harness);

    export_markdown_dialog(&mut harness);
    harness
        .get_by_role_and_label(A11yRole::ComboBox, "Since")
        .click();
    harness.run();
    harness.get_by_label_contains("Briefing ").click();
    harness.run();
    harness.get_by_label("Export…").click();
    for _ in 0..100 {
        harness.run_steps(2);
        if out.exists() && harness.query_by_label_contains("Writing the").is_none() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    harness.run();
    let text = std::fs::read_to_string(&out).expect("the export was written");
    assert!(text.contains("Since Briefing "), "{text}");
    assert!(text.contains(ROLE_CHANGE), "{text}");
    assert!(
        !text.contains(CANARY),
        "a confidential change leaves no trace"
    );

    // Not a dialog: a line under the tabs offers to mark what was just sent.
    harness.get_by_label("The export is written. Mark this as briefed?");
    harness.get_by_label("Not now").click();
    harness.run();
    assert!(harness.state().marks.offer.is_none());
}

/// Draws frames until `done` holds, or panics after five seconds.
fn frames_until(harness: &mut Harness<'_, TandemApp>, mut done: impl FnMut(&TandemApp) -> bool) {
    let start = std::time::Instant::now();
    while !done(harness.state()) {
        assert!(
            start.elapsed().as_secs() < 5,
            "{:?}",
            harness.state().status
        );
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    harness.run();
}

/// While the situation is shown as it was, a mark would not keep what is shown: "Mark as
/// briefed…" says so, and nothing offers to mark.
#[test]
fn the_situation_as_it_was_is_not_marked() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness(dir.path(), dir.path().join("unused.md"));
    change_roles(&mut harness);
    frames_until(&mut harness, |app| {
        app.session()
            .history()
            .is_some_and(|h| h.changes().len() == 2)
    });
    let first = harness.state().session().history().unwrap().changes()[0].clone();
    harness.state_mut().push(Action::ShowPast(
        tandem::io::history::PastPoint::Local(first.seq),
        first.at,
    ));
    frames_until(&mut harness, |app| {
        app.past().is_some_and(|p| p.state().is_some())
    });
    command(&mut harness, AppCommand::MarkBriefed);
    assert!(harness.state().marks.prompt.is_none());
    let status = harness.state().status.clone().unwrap_or_default();
    assert!(status.contains("“Back to now” first"), "{status}");
    assert!(harness.state().marks_list().is_empty());
}

#[test]
fn a_briefing_since_a_mark_has_its_slide_and_offers_a_mark_when_it_ends() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness(dir.path(), dir.path().join("unused.md"));
    mark_as_briefed(&mut harness);
    change_roles(&mut harness);

    let mark = harness.state().marks_list()[0].label();
    present_since(&mut harness, &mark);
    harness.get_by_label_contains("Since Briefing ");
    harness.get_by_label("The matrix");
    harness.get_by_label_contains(ROLE_CHANGE);
    assert!(
        harness.query_by_label_contains(CANARY).is_none(),
        "the unclassified room does not see the confidential partner's change"
    );

    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(harness.state().briefing.is_none());
    harness.get_by_label("The briefing is over. Mark this as briefed?");
    harness
        .get_by_role_and_label(A11yRole::Button, "Mark as briefed…")
        .click();
    harness.run();
    harness.get_by_label("Mark").click();
    harness.run();
    assert_eq!(harness.state().marks_list().len(), 2);
}
