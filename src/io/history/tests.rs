use super::*;
use crate::model::edit::{Edit, apply};
use crate::model::touched::Touched;
use crate::model::{Role, Situation};
use crate::samples::guinea;

/// A change setting `partner`'s role on the first line, made to `situation`.
fn role_change(situation: &mut Situation, partner: &str, role: Role) -> Change {
    let line = situation.lines[0].id.clone();
    let mut assignment = crate::model::Assignment::new(line.clone(), partner, role);
    if let Some(old) = situation.assignment(&line, partner) {
        assignment.note = old.note.clone();
    }
    let edit = Edit::SetAssignment {
        line,
        partner: partner.into(),
        assignment: Some(assignment),
        index: None,
    };
    let label = edit.describe(situation);
    let touched: Touched = edit.touched();
    apply(situation, edit).expect("the edit applies");
    Change {
        seq: 0,
        at: Utc::now(),
        author: Some("Marie Diallo".into()),
        label,
        detail: Vec::new(),
        delta: Delta::capture(situation, &touched),
    }
}

/// A history started on the Guinea sample with one change kept (the first partner made Lead
/// on the first line); the situation after it.
fn started_with_one_lead(store: &HistoryStore) -> Situation {
    let mut situation = guinea();
    let partner = situation.partners[0].id.clone();
    let mut stored = store.start(&situation).unwrap();
    let one = role_change(&mut situation, &partner, Role::Lead);
    store.append(&mut stored, one, false).unwrap();
    situation
}

fn store(dir: &Path) -> HistoryStore {
    HistoryStore::in_data_dir(dir, Path::new("/situations/guinea.ron"))
}

#[test]
fn changes_appended_are_read_back_with_every_state_between() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let mut situation = guinea();
    let first = situation.clone();
    let partner = situation.partners[0].id.clone();
    let mut stored = store.start(&situation).unwrap();
    let one = role_change(&mut situation, &partner, Role::Lead);
    let after_one = situation.clone();
    store.append(&mut stored, one, false).unwrap();
    let two = role_change(&mut situation, &partner, Role::Support);
    let written = store.append(&mut stored, two, false).unwrap();
    assert_eq!(written.seq, 2);

    let read = store.load().unwrap().expect("a history");
    assert_eq!(read.changes.len(), 2);
    assert_eq!(read.changes[0].author.as_deref(), Some("Marie Diallo"));
    assert!(
        read.changes[0].label.starts_with("set "),
        "{}",
        read.changes[0].label
    );
    assert_eq!(read.state_after(0), Some(first));
    assert_eq!(read.state_after(1), Some(after_one));
    assert_eq!(read.latest(), situation);
    assert_eq!(read.state_after(3), None);
}

#[test]
fn an_amended_change_replaces_the_last_one() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let mut situation = guinea();
    let partner = situation.partners[0].id.clone();
    let mut stored = store.start(&situation).unwrap();
    let one = role_change(&mut situation, &partner, Role::Sequential(1));
    store.append(&mut stored, one, false).unwrap();
    let more = role_change(&mut situation, &partner, Role::Sequential(2));
    let amended = store.append(&mut stored, more, true).unwrap();
    assert_eq!(amended.seq, 1);
    let read = store.load().unwrap().expect("a history");
    assert_eq!(read.changes.len(), 1);
    assert_eq!(read.latest(), situation);
}

#[test]
fn a_long_history_is_folded_into_its_base_and_stays_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits {
        max_changes: 20,
        keep_changes: 10,
        max_journal_bytes: u64::MAX,
    };
    let store = store(dir.path()).with_limits(limits);
    let mut situation = guinea();
    let partner = situation.partners[0].id.clone();
    let mut stored = store.start(&situation).unwrap();
    for step in 1..=45 {
        let change = role_change(&mut situation, &partner, Role::Sequential(step));
        store.append(&mut stored, change, false).unwrap();
    }
    let read = store.load().unwrap().expect("a history");
    assert!(
        read.changes.len() <= 20,
        "{} changes kept",
        read.changes.len()
    );
    assert_eq!(read.changes.last().map(|c| c.seq), Some(45));
    assert_eq!(read.first_seq, read.changes[0].seq);
    assert_eq!(read.latest(), situation, "folding loses no state");
    assert_eq!(read.state_after(1), None, "the oldest changes are gone");
    let journal = fs::metadata(store.dir().join(JOURNAL)).unwrap().len();
    assert!(journal < 20 * 2_000, "journal of {journal} bytes");
}

#[test]
fn a_line_cut_short_by_a_crash_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let situation = started_with_one_lead(&store);
    let mut journal = fs::OpenOptions::new()
        .append(true)
        .open(store.dir().join(JOURNAL))
        .unwrap();
    journal.write_all(b"Change((seq:2,at:\"20").unwrap();
    let read = store.load().unwrap().expect("a history");
    assert_eq!(read.changes.len(), 1);
    assert_eq!(read.latest(), situation);
}

#[test]
fn a_damaged_history_is_set_aside_with_a_message_and_starts_again() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let situation = started_with_one_lead(&store);
    let journal = store.dir().join(JOURNAL);
    let text = fs::read_to_string(&journal).unwrap();
    fs::write(&journal, format!("not a record at all\n{text}")).unwrap();
    assert!(matches!(
        store.load(),
        Err(HistoryError::Damaged { line: 1, .. })
    ));

    let opened = open_for(&store, &situation, Utc::now());
    let problem = opened.problem.expect("a message");
    assert!(problem.contains("could not be read"), "{problem}");
    assert!(problem.contains("journal.lines, line 1"), "{problem}");
    assert!(opened.outside.is_none());
    assert!(store.dir().join("journal.lines.damaged").exists());
    let read = store.load().unwrap().expect("a new history");
    assert_eq!(read.base, situation);
    assert!(read.changes.is_empty());

    fs::write(
        store.dir().join(BASE),
        "// tandem-history {\"first_seq\":1,\"file\":\"x\"}\n(",
    )
    .unwrap();
    let opened = open_for(&store, &situation, Utc::now());
    assert!(opened.problem.is_some());
    assert!(
        opened.stored.is_some(),
        "the app keeps working with a new history"
    );
}

#[test]
fn a_file_changed_outside_tandem_is_one_change_with_what_changed_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let situation = guinea();
    let opened = open_for(&store, &situation, Utc::now());
    assert!(opened.outside.is_none() && opened.problem.is_none());
    let reopened = open_for(&store, &situation, Utc::now());
    assert!(
        reopened.outside.is_none(),
        "the same file: nothing to record"
    );

    let mut edited = situation.clone();
    edited.actors[0].name = "Renamed in a text editor".into();
    let modified = Utc::now() - chrono::Duration::hours(2);
    let opened = open_for(&store, &edited, modified);
    let change = opened.outside.expect("a change outside Tandem");
    assert_eq!(change.label, OUTSIDE);
    assert_eq!(change.author, None);
    assert_eq!(change.at, modified);
    assert!(
        change
            .detail
            .iter()
            .any(|l| l.starts_with("Actors:") && l.contains("Renamed in a text editor")),
        "{:?}",
        change.detail
    );
    let entry = HistoryEntry::of_change(&change);
    assert_eq!(entry.sentence(), "The file was changed outside Tandem");
    let read = store.load().unwrap().expect("a history");
    assert_eq!(read.latest(), edited);
    assert_eq!(read.state_after(0), Some(situation));
}

#[test]
fn a_file_back_as_last_saved_says_the_unsaved_changes_were_not_kept() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let mut situation = guinea();
    let saved = situation.clone();
    let partner = situation.partners[0].id.clone();
    let mut stored = open_for(&store, &situation, Utc::now()).stored.unwrap();
    let one = role_change(&mut situation, &partner, Role::Lead);
    store.append(&mut stored, one, false).unwrap();
    let opened = open_for(&store, &saved, Utc::now());
    assert_eq!(opened.outside.map(|c| c.label).as_deref(), Some(NOT_KEPT));
}

#[test]
fn sentences_put_the_author_before_the_edit_in_the_past_tense() {
    let entry = |label: &str| HistoryEntry {
        at: Utc::now(),
        author: Some("Marie Diallo".into()),
        label: label.into(),
        detail: Vec::new(),
        items: TouchedItems::Unknown,
        point: PastPoint::Local(1),
    };
    assert_eq!(
        entry("set ECOWAS as Lead on “Mediation”").sentence(),
        "Marie Diallo set ECOWAS as Lead on “Mediation”"
    );
    assert_eq!(
        entry("add actor “Junta”").sentence(),
        "Marie Diallo added actor “Junta”"
    );
    assert_eq!(
        entry("undo add actor “Junta”").sentence(),
        "Marie Diallo undid add actor “Junta”"
    );
    assert_eq!(
        entry("Import 12 rows").sentence(),
        "Marie Diallo: Import 12 rows"
    );
    let colleagues = HistoryEntry {
        author: None,
        ..entry(COLLEAGUES)
    };
    assert_eq!(
        colleagues.sentence(),
        "Colleagues' changes came in from the shared situation"
    );
}
