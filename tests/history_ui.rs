//! The History panel and "as it was" in the window: an edit listed with its author's name and
//! in words; the situation as it was showing an old role and refusing edits; a file rewritten
//! on disk showing as "changed outside Tandem" once reloaded; a shared item's own history
//! through a sync server on 127.0.0.1. Each test keeps its histories in a temporary data folder
//! of its own.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{TimeZone as _, Utc};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use tandem::app::{Action, AppCommand, Document, ScriptedDialogs, Settings, TandemApp, View};
use tandem::io::history::{Change, HistoryStore};
use tandem::model::delta::Delta;
use tandem::model::edit::{Edit, apply};
use tandem::model::{Assignment, Role, Situation};

const LINE: &str = "loe-mediation";
const PARTNER: &str = "ecowas";

fn guinea() -> Situation {
    tandem::io::parse_situation(tandem::samples::GUINEA)
        .expect("the sample parses")
        .situation
}

fn set_role(situation: &Situation, role: Role) -> Edit {
    set_role_of(situation, PARTNER, role)
}

/// The same for `partner` (AU, say) on the mediation line.
fn set_role_of(situation: &Situation, partner: &str, role: Role) -> Edit {
    let mut assignment = (situation.assignment(LINE, partner).cloned())
        .unwrap_or_else(|| Assignment::new(LINE, partner, role));
    assignment.role = role;
    Edit::SetAssignment {
        line: LINE.into(),
        partner: partner.into(),
        assignment: Some(assignment),
        index: None,
    }
}

fn role_in(situation: &Situation) -> Option<Role> {
    situation.assignment(LINE, PARTNER).map(|a| a.role)
}

/// The app with its local histories under `data`, the officer named, `file` open.
fn harness_on(data: &Path, file: &Path, view: View) -> Harness<'static, TandemApp> {
    harness_with(data, file, view, ScriptedDialogs::default())
}

/// The same, answering the file dialogs with `dialogs`.
fn harness_with(
    data: &Path,
    file: &Path,
    view: View,
    dialogs: ScriptedDialogs,
) -> Harness<'static, TandemApp> {
    let settings = Settings {
        view,
        officer_name: "Marie Diallo".into(),
        ..Settings::default()
    };
    let doc = Document::untitled(guinea(), "sample");
    let mut app = TandemApp::new(doc, settings, Box::new(dialogs));
    app.session_mut().set_officer("Marie Diallo");
    app.session_mut().set_history_root(data.to_path_buf());
    app.open_path(file);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_ui_state(|ui, app: &mut TandemApp| app.ui_root(ui), app);
    frames_until(&mut harness, "the history is read", |app| {
        app.session().history().is_some_and(|h| !h.is_loading())
    });
    harness
}

/// Draws frames until `done` holds, or panics after five seconds.
fn frames_until(
    harness: &mut Harness<'static, TandemApp>,
    what: &str,
    mut done: impl FnMut(&TandemApp) -> bool,
) {
    let start = Instant::now();
    while !done(harness.state()) {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{what}: not within 5 s (status {:?})",
            harness.state().status
        );
        harness.step();
        std::thread::sleep(Duration::from_millis(5));
    }
    harness.run_steps(3);
}

/// ECOWAS set to `role` on the mediation line, the History panel opened, once the change is
/// recorded.
fn one_edit_with_the_history_open(harness: &mut Harness<'static, TandemApp>, role: Role) {
    let edit = set_role(harness.state().session().doc().situation(), role);
    harness.state_mut().push(Action::Edit(edit));
    harness
        .state_mut()
        .push(Action::Command(AppCommand::History));
    frames_until(harness, "the edit is recorded", |app| history_len(app) == 1);
}

/// Shows the situation as it was after the first change kept, once worked out.
fn show_after_first_change(harness: &mut Harness<'static, TandemApp>) {
    let change = harness.state().session().history().unwrap().changes()[0].clone();
    harness.state_mut().push(Action::ShowPast(
        tandem::io::history::PastPoint::Local(change.seq),
        change.at,
    ));
    frames_until(harness, "the state is shown", |app| {
        app.past().is_some_and(|p| p.state().is_some())
    });
}

fn history_len(app: &TandemApp) -> usize {
    app.session().history().map_or(0, |h| h.changes().len())
}

/// The Guinea sample saved in a temporary folder (kept while the test runs), its history in
/// `data` there, open in `view`.
fn on_sample(view: View) -> (tempfile::TempDir, PathBuf, Harness<'static, TandemApp>) {
    let dir = tempfile::tempdir().unwrap();
    let file = write_sample(dir.path());
    let harness = harness_on(&dir.path().join("data"), &file, view);
    (dir, file, harness)
}

fn write_sample(dir: &Path) -> PathBuf {
    let path = dir.join("guinea.ron");
    std::fs::write(&path, tandem::samples::GUINEA).unwrap();
    path
}

#[test]
fn an_edit_appears_in_the_panel_with_its_author_and_in_words() {
    let (dir, file, mut harness) = on_sample(View::Matrix);
    one_edit_with_the_history_open(&mut harness, Role::Lead);
    harness.get_by_label("Marie Diallo set ECOWAS as Lead on “ECOWAS-led mediation between the junta and the Forces Vives”");
    harness.get_by_label_contains("Kept on this computer for guinea.ron");

    // The same history is there after the file is opened again.
    let mut again = harness_on(&dir.path().join("data"), &file, View::Matrix);
    assert_eq!(history_len(again.state()), 1);
    again.state_mut().push(Action::Command(AppCommand::History));
    again.run_steps(3);
    again.get_by_label_contains("Marie Diallo set ECOWAS as Lead");
}

#[test]
fn as_it_was_shows_the_old_role_and_refuses_edits_until_back_to_now() {
    let (_dir, _file, mut harness) = on_sample(View::Matrix);
    let first = set_role(harness.state().session().doc().situation(), Role::Support);
    harness.state_mut().push(Action::Edit(first));
    harness.run_steps(2);
    let second = set_role(harness.state().session().doc().situation(), Role::Lead);
    harness.state_mut().push(Action::Edit(second));
    harness
        .state_mut()
        .push(Action::Command(AppCommand::History));
    frames_until(&mut harness, "both edits are recorded", |app| {
        history_len(app) == 2
    });

    harness
        .get_by_label_contains("Marie Diallo set ECOWAS as Support")
        .click();
    harness.run_steps(2);
    harness
        .get_by_label("Show the situation as it was after this change")
        .click();
    frames_until(&mut harness, "the old state is shown", |app| {
        app.past().is_some_and(|p| p.state().is_some())
    });
    let past = harness.state().past().and_then(|p| p.state()).unwrap();
    assert_eq!(
        role_in(&past.situation),
        Some(Role::Support),
        "the role before the change"
    );
    harness.get_by_label_contains("— read-only");

    let now = harness.state().session().doc().situation().clone();
    let edit = set_role(&now, Role::Joint);
    harness.state_mut().push(Action::Edit(edit));
    harness.state_mut().push(Action::Command(AppCommand::Undo));
    harness.run_steps(2);
    assert_eq!(
        *harness.state().session().doc().situation(),
        now,
        "nothing changed"
    );
    let status = harness.state().status.clone().unwrap_or_default();
    assert!(status.starts_with("Not changed"), "{status}");

    harness.get_by_label("Back to now").click();
    harness.run_steps(2);
    assert!(harness.state().past().is_none());
    let edit = set_role(harness.state().session().doc().situation(), Role::Joint);
    harness.state_mut().push(Action::Edit(edit));
    harness.run_steps(2);
    assert_eq!(
        role_in(harness.state().session().doc().situation()),
        Some(Role::Joint)
    );
}

#[test]
fn escape_leaves_the_situation_as_it_was() {
    let (_dir, _file, mut harness) = on_sample(View::Overview);
    let edit = set_role(harness.state().session().doc().situation(), Role::Lead);
    harness.state_mut().push(Action::Edit(edit));
    frames_until(&mut harness, "the edit is recorded", |app| {
        history_len(app) == 1
    });
    show_after_first_change(&mut harness);
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    assert!(harness.state().past().is_none());
}

/// Below the changes, the history's starting point: picked, it shows the situation before
/// the first change kept (here, ECOWAS's role as the file had it), and it is not counted as a
/// change.
#[test]
fn the_situation_before_the_first_change_can_be_shown() {
    let (_dir, _file, mut harness) = on_sample(View::Matrix);
    let before = harness.state().session().doc().situation().clone();
    one_edit_with_the_history_open(&mut harness, Role::Joint);
    harness.get_by_label_contains("1 of 1 change · 1 author");
    harness
        .get_by_label("Before the first change kept: where this history starts")
        .click();
    harness.run_steps(2);
    harness
        .get_by_label("Show the situation as this history starts")
        .click();
    frames_until(&mut harness, "the first state is shown", |app| {
        app.past().is_some_and(|p| p.state().is_some())
    });
    let past = harness.state().past().and_then(|p| p.state()).unwrap();
    assert_eq!(past.situation, before);
    assert_eq!(
        role_in(harness.state().session().doc().situation()),
        Some(Role::Joint)
    );
}

/// "As it was on" a day picked on the calendar beside the field: the month of the day typed
/// opens (12 Oct 2026 shown selected), "›" moves to November and back, the 15th is clicked,
/// the field reads that day and the calendar closes.
#[test]
fn a_day_is_picked_on_the_calendar() {
    let (_dir, _file, mut harness) = on_sample(View::Matrix);
    one_edit_with_the_history_open(&mut harness, Role::Joint);
    harness.state_mut().history_panel.on_date = "2026-10-12".into();
    harness.run();
    let calendars: Vec<_> = harness.query_all_by_label("Calendar").collect();
    assert_eq!(calendars.len(), 3, "From, To and As it was on");
    calendars[2].click();
    harness.run();
    harness.get_by_label("October 2026");
    harness.get_by_label("›").click();
    harness.run();
    harness.get_by_label("November 2026");
    harness.get_by_label("‹").click();
    harness.run();
    harness.get_by_label("15").click();
    harness.run();
    assert_eq!(harness.state().history_panel.on_date, "2026-10-15");
    assert!(
        harness.query_by_label("Mo").is_none(),
        "the calendar closed"
    );
}

/// "N errors, M warnings" in the status bar, as the window counts `situation`'s problems.
fn problems_label(situation: &Situation) -> String {
    let diagnostics = tandem::analysis::check_all(situation);
    let (errors, warnings) = tandem::app::document::problem_counts(&diagnostics);
    format!(
        "{}, {}",
        tandem::text::counted(errors, "error", "errors"),
        tandem::text::counted(warnings, "warning", "warnings")
    )
}

/// While the past is shown the status bar counts the past's problems, as the Problems panel
/// lists them: a second lead set then taken back shows in the count of the state between.
#[test]
fn the_status_bar_counts_the_problems_of_the_state_shown() {
    let (_dir, _file, mut harness) = on_sample(View::Matrix);
    let second_lead = set_role_of(
        harness.state().session().doc().situation(),
        "au",
        Role::Lead,
    );
    harness.state_mut().push(Action::Edit(second_lead));
    harness.run_steps(2);
    let between = harness.state().session().doc().situation().clone();
    let back = set_role_of(&between, "au", Role::Support);
    harness.state_mut().push(Action::Edit(back));
    frames_until(&mut harness, "both edits are recorded", |app| {
        history_len(app) == 2
    });
    let now = problems_label(harness.state().session().doc().situation());
    let then = problems_label(&between);
    assert_ne!(now, then, "the second lead is a problem of its own");
    harness.get_by_label(&now);

    show_after_first_change(&mut harness);
    assert_eq!(
        harness.state().past().unwrap().state().unwrap().situation,
        between
    );
    harness.get_by_label(&then);
    assert!(
        harness.query_by_label(&now).is_none(),
        "not the present's count"
    );

    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    harness.get_by_label(&now);
}

#[test]
fn a_file_rewritten_on_disk_shows_as_changed_outside_tandem_once_reloaded() {
    let (_dir, file, mut harness) = on_sample(View::Overview);
    assert_eq!(history_len(harness.state()), 0);

    let mut edited = guinea();
    edited.actors[0].name = "CNDD, renamed in a text editor".into();
    std::fs::write(&file, tandem::io::to_ron(&edited).unwrap()).unwrap();
    harness.state_mut().open_path(&file);
    frames_until(&mut harness, "the reload is read", |app| {
        app.session().history().is_some_and(|h| !h.is_loading())
    });
    let changes = harness
        .state()
        .session()
        .history()
        .unwrap()
        .changes()
        .to_vec();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].label, tandem::io::history::OUTSIDE);
    assert_eq!(changes[0].author, None);
    assert!(
        changes[0]
            .detail
            .iter()
            .any(|l| l.contains("renamed in a text editor")),
        "{:?}",
        changes[0].detail
    );
    harness
        .state_mut()
        .push(Action::Command(AppCommand::History));
    harness.run_steps(3);
    harness
        .get_by_label("The file was changed outside Tandem")
        .click();
    harness.run_steps(2);
    harness.get_by_label_contains("renamed in a text editor");
}

/// A history written beforehand, with fixed times, so that the pictures stay the same.
fn fixed_history(data: &Path, file: &Path) -> Situation {
    let store = HistoryStore::in_data_dir(data, file);
    let mut situation = guinea();
    let mut stored = store.start(&situation).unwrap();
    let steps = [
        ("Marie Diallo", Role::Support, 9),
        ("Jean Dupont", Role::Joint, 10),
        ("Marie Diallo", Role::Lead, 14),
    ];
    for (author, role, hour) in steps {
        let edit = set_role(&situation, role);
        let label = edit.describe(&situation);
        let touched = edit.touched();
        apply(&mut situation, edit).unwrap();
        let change = Change {
            seq: 0,
            at: Utc.with_ymd_and_hms(2026, 10, 12, hour, 3, 0).unwrap(),
            author: Some(author.into()),
            label,
            detail: Vec::new(),
            delta: Delta::capture(&situation, &touched),
        };
        store.append(&mut stored, change, false).unwrap();
    }
    store.mark_saved(&mut stored).unwrap();
    std::fs::write(file, tandem::io::to_ron(&situation).unwrap()).unwrap();
    situation
}

#[test]
fn snapshots_of_the_panel_and_of_the_banner() {
    // A fixed folder: the status bar shows the file's path in the pictures.
    let dir = std::env::temp_dir().join("tandem-history-snapshots");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("guinea.ron");
    let data = dir.join("data");
    fixed_history(&data, &file);
    let mut harness = harness_on(&data, &file, View::Matrix);
    assert_eq!(history_len(harness.state()), 3);
    harness
        .state_mut()
        .push(Action::Command(AppCommand::History));
    harness.run_steps(3);
    harness
        .get_by_label_contains("Jean Dupont set ECOWAS as Joint")
        .click();
    harness.run_steps(3);
    harness.snapshot("history_panel_1280x720");
    harness.state_mut().history_panel.on_date = "2026-10-12".into();
    harness.run();
    if let Some(calendar) = harness.query_all_by_label("Calendar").nth(2) {
        calendar.click();
    }
    harness.run();
    harness.snapshot("history_calendar_1280x720");
    harness.get_by_label("12").click();
    harness.run();

    harness
        .get_by_label("Show the situation as it was after this change")
        .click();
    frames_until(&mut harness, "the state is shown", |app| {
        app.past().is_some_and(|p| p.state().is_some())
    });
    let past = harness.state().past().and_then(|p| p.state()).unwrap();
    assert_eq!(role_in(&past.situation), Some(Role::Joint));
    harness
        .state_mut()
        .push(Action::Command(AppCommand::History));
    harness.run_steps(3);
    harness.get_by_label_contains("As it was on 12 Oct 2026 10:03");
    harness.snapshot("history_as_it_was_1280x720");
    drop(harness);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_export_while_the_past_is_shown_writes_the_situation_as_it_was() {
    use tandem::export::{Audience, ExportOptions, Format};
    use tandem::model::{Item, Sensitivity};
    use tandem::ui::export_dialog::ExportRequest;

    let dir = tempfile::tempdir().unwrap();
    let file = write_sample(dir.path());
    let out = dir.path().join("then.md");
    let dialogs = ScriptedDialogs {
        save: Some(out.clone()),
        ..ScriptedDialogs::default()
    };
    let mut harness = harness_with(&dir.path().join("data"), &file, View::Overview, dialogs);
    let rename = |app: &TandemApp, name: &str| {
        let mut actor = app.session().doc().situation().actors[0].clone();
        actor.name = name.into();
        Action::Edit(Edit::Replace {
            item: Item::Actor(actor),
        })
    };
    let first = rename(harness.state(), "Junta as it was then");
    harness.state_mut().push(first);
    harness.run_steps(2);
    let second = rename(harness.state(), "Junta as it is now");
    harness.state_mut().push(second);
    frames_until(&mut harness, "both edits are recorded", |app| {
        history_len(app) == 2
    });
    show_after_first_change(&mut harness);
    let request = ExportRequest {
        format: Format::Markdown,
        options: ExportOptions::new(Audience::new(Sensitivity::StrictlyConfidential)),
        since: None,
    };
    harness.state_mut().push(Action::Export(request));
    frames_until(&mut harness, "the export is written", |_| out.exists());
    let paper = std::fs::read_to_string(&out).unwrap();
    assert!(
        paper.contains("Junta as it was then"),
        "the past is exported"
    );
    assert!(!paper.contains("Junta as it is now"));
}

/// Every change the History panel lists, as its rows read, newest first.
fn listed_changes(harness: &Harness<'static, TandemApp>) -> Vec<String> {
    let authors = ["Marie Diallo", "Bakary"];
    (harness.query_all_by_role(egui::accesskit::Role::Button))
        .filter_map(|node| node.accesskit_node().label().map(|s| s.to_string()))
        .filter(|label| authors.iter().any(|a| label.starts_with(a)))
        .collect()
}

const TOKEN: &str = "office-token-for-tests";

/// The Guinea sample shared by Marie Diallo through `server` from the window (its local copy
/// under `root`), once the share is up; and its link.
fn shared_in_the_window(
    server: &tandem::sync::net::Server,
    root: &Path,
) -> (Harness<'static, TandemApp>, String) {
    let mut app = TandemApp::new(
        Document::untitled(guinea(), "sample"),
        Settings::default(),
        Box::new(ScriptedDialogs::default()),
    );
    app.session_mut().set_officer("Marie Diallo");
    let request = tandem::sync::live::ShareRequest {
        server: server.url(),
        token: TOKEN.into(),
        ceiling: tandem::model::Sensitivity::StrictlyConfidential,
    };
    app.session_mut().share(request, root.to_path_buf());
    let mut harness = common::window::window(app);
    frames_until(&mut harness, "shared", |app| {
        app.session().shared().is_some()
    });
    let link = (harness.state().session().shared())
        .map(|s| s.link().to_owned())
        .unwrap_or_default();
    (harness, link)
}

#[test]
fn a_shared_items_history_lists_the_changes_that_touched_it_whatever_their_words() {
    use tandem::model::{Item, ItemKind, ItemRef};
    let (server_data, root, colleague_root) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let server =
        tandem::sync::net::Server::start("127.0.0.1:0".parse().unwrap(), server_data.path(), TOKEN)
            .unwrap();
    let (mut harness, link) = shared_in_the_window(&server, root.path());

    // A colleague notes the neighbours, renames them and notes CENI.
    let (mut colleague, mut theirs) =
        common::colleague_opens(&server.url(), TOKEN, &link, colleague_root.path());
    let mut note = |id: &str, change: &dyn Fn(&mut tandem::model::Actor)| {
        let mut actor = theirs.actor(id).unwrap().clone();
        change(&mut actor);
        let edit = Edit::Replace {
            item: Item::Actor(actor),
        };
        let (touched, label) = (edit.touched(), edit.describe(&theirs));
        apply(&mut theirs, edit).unwrap();
        colleague
            .write(&theirs, &touched, &label, "Bakary")
            .unwrap();
    };
    note("neighbours", &|a| a.notes = "Watching the border".into());
    note("neighbours", &|a| a.name = "Sub-regional states".into());
    note("ceni", &|a| a.notes = "Counting".into());
    frames_until(&mut harness, "the colleague's edits", |app| {
        app.doc()
            .situation()
            .actor("ceni")
            .is_some_and(|a| a.notes == "Counting")
    });

    // The officer changes the id, and names the neighbours in an event's title.
    harness.state_mut().push(Action::Edit(Edit::RenameId {
        kind: ItemKind::Actor,
        old: "neighbours".into(),
        new: "sub-region".into(),
    }));
    let mut event = harness.state().doc().situation().events[0].clone();
    event.title = "Sub-regional states meet".into();
    harness.state_mut().push(Action::Edit(Edit::Replace {
        item: Item::Event(event),
    }));
    harness.state_mut().push(Action::Select(Some(ItemRef::new(
        ItemKind::Actor,
        "sub-region",
    ))));
    harness
        .state_mut()
        .push(Action::Command(AppCommand::History));
    harness.run_steps(3);
    assert_eq!(
        listed_changes(&harness).len(),
        6,
        "{:?}",
        listed_changes(&harness)
    );

    harness.get_by_label("Only “Sub-regional states”").click();
    harness.run_steps(3);
    let neighbours = "“Neighbouring states: Côte d'Ivoire, Guinea-Bissau, Liberia, Sierra Leone”";
    assert_eq!(
        listed_changes(&harness),
        [
            "Marie Diallo changed the id of “Sub-regional states” from neighbours to sub-region"
                .to_owned(),
            "Bakary edited actor “Sub-regional states”".to_owned(),
            format!("Bakary edited actor {neighbours}"),
            "Marie Diallo: share the situation".to_owned(),
        ],
        "not CENI's change, nor the event's that names them"
    );
}
