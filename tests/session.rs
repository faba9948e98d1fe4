//! The session without a window: opening, saving on a background thread, locks, changes on disk.

#![cfg(feature = "gui")]

use std::path::Path;

use tandem::app::Document;
use tandem::app::session::{Session, SessionEvent, no_waker};
use tandem::io::parse_situation;
use tandem::model::Item;
use tandem::model::edit::Edit;

fn sample_session() -> Session {
    let loaded = parse_situation(tandem::samples::GUINEA).expect("the sample parses");
    Session::new(Document::untitled(loaded.situation, "sample"), no_waker())
}

fn rename_first_actor(session: &mut Session, name: &str) {
    let mut actor = session.doc().situation().actors[0].clone();
    actor.name = name.into();
    let edit = Edit::Replace {
        item: Item::Actor(actor),
    };
    session.doc_mut().apply(edit).expect("the edit applies");
}

fn kenya_file(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("shared.ron");
    std::fs::write(&path, tandem::samples::KENYA).unwrap();
    path
}

#[test]
fn save_as_writes_in_the_background_and_clears_the_unsaved_marker() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("mine.ron");
    let mut session = sample_session();
    rename_first_actor(&mut session, "Renamed in a test");
    assert!(session.doc().is_dirty());
    assert_eq!(
        session.save(),
        Ok(false),
        "an untitled situation asks where"
    );
    session.save_to(&target);
    assert!(session.is_saving());
    let events = session.finish_save();
    assert_eq!(events, vec![SessionEvent::Saved(target.clone())]);
    assert!(!session.doc().is_dirty());
    assert!(!session.doc().window_title().starts_with("● "));
    assert_eq!(session.doc().path(), Some(target.as_path()));
    let reread = tandem::io::load_file(&target).unwrap();
    assert_eq!(&reread.situation, session.doc().situation());
    session.doc_mut().undo();
    assert!(
        session.doc().is_dirty(),
        "undo past the save marks the situation unsaved again"
    );
    session.doc_mut().redo();
    assert!(
        !session.doc().is_dirty(),
        "redo back to the saved state clears it"
    );
}

#[test]
fn an_edit_made_while_the_save_runs_stays_unsaved() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("mine.ron");
    let mut session = sample_session();
    rename_first_actor(&mut session, "Saved name");
    session.save_to(&target);
    rename_first_actor(&mut session, "Edited while saving");
    session.finish_save();
    assert!(session.doc().is_dirty(), "the second name is not on disk");
    let reread = tandem::io::load_file(&target).unwrap();
    assert_eq!(reread.situation.actors[0].name, "Saved name");
}

#[test]
fn our_own_save_is_not_reported_as_a_change_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = kenya_file(dir.path());
    let mut session = sample_session();
    session.open(&path).expect("the file opens");
    rename_first_actor(&mut session, "Ours");
    assert_eq!(session.save(), Ok(true));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
    let mut saved = false;
    while std::time::Instant::now() < deadline {
        let (events, _) = session.poll();
        saved |= events.contains(&SessionEvent::Saved(path.clone()));
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(saved, "the save finished");
    assert_eq!(session.disk_change(), None, "the watcher saw only our save");
}

#[test]
fn a_file_changed_on_disk_is_not_overwritten_by_save() {
    let dir = tempfile::tempdir().unwrap();
    let path = kenya_file(dir.path());
    let mut session = sample_session();
    session.open(&path).expect("the file opens");
    assert!(session.doc().read_only().is_none());
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
    session.doc_mut().mark_unsaved();
    assert_eq!(session.save(), Ok(true), "the save starts");
    match session.finish_save().as_slice() {
        [SessionEvent::SaveFailed(problem)] => {
            assert!(problem.title.contains("changed on disk"), "{problem:?}")
        }
        other => panic!("the save must be refused: {other:?}"),
    }
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        theirs,
        "their version is intact"
    );
    assert!(
        session.doc().is_dirty(),
        "our changes are still open, unsaved"
    );
}

#[test]
fn opening_a_broken_file_keeps_the_open_situation_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.ron");
    std::fs::write(&broken, "(\n    schema: 1,\n    title: 42,\n)").unwrap();
    let mut session = sample_session();
    let before = session.doc().situation().clone();
    let problem = session.open(&broken).expect_err("the file is refused");
    assert!(
        problem.message.contains("broken.ron:3:"),
        "{}",
        problem.message
    );
    assert_eq!(session.doc().situation(), &before);
}

#[test]
fn a_second_session_opens_a_locked_file_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = kenya_file(dir.path());
    let mut first = sample_session();
    first.open(&path).expect("the file opens");
    assert!(first.doc().read_only().is_none());
    assert!(
        tandem::io::lock::lock_path(&path).exists(),
        "the lock file sits beside the file"
    );
    let mut second = sample_session();
    second.open(&path).expect("the file opens");
    let reason = second
        .doc()
        .read_only()
        .expect("read-only for the second session");
    assert!(reason.contains("has this file open (since"), "{reason}");
    assert!(second.held_by().is_some());
    assert!(second.save().is_err(), "a read-only file is not saved over");
    second.edit_a_copy();
    assert_eq!(second.doc().path(), None, "the copy is untitled");
    assert!(second.doc().read_only().is_none() && second.doc().is_dirty());
}

#[test]
fn a_stale_lock_left_by_a_dead_session_is_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let path = kenya_file(dir.path());
    let mut dead = tandem::io::lock::LockInfo::current();
    dead.pid = Some(4_000_000);
    std::fs::write(tandem::io::lock::lock_path(&path), dead.to_line()).unwrap();
    let mut session = sample_session();
    let notice = session.open(&path).expect("the file opens");
    assert!(
        session.doc().read_only().is_none(),
        "{:?}",
        session.doc().read_only()
    );
    assert!(notice.contains("stale lock"), "{notice}");
}

#[test]
fn replacing_the_document_releases_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let path = kenya_file(dir.path());
    let mut session = sample_session();
    session.open(&path).expect("the file opens");
    assert!(tandem::io::lock::lock_path(&path).exists());
    let blank = tandem::samples::blank();
    session.replace(Document::untitled(blank, "New"));
    assert!(
        !tandem::io::lock::lock_path(&path).exists(),
        "the lock went with the file"
    );
}

/// A restored recovery copy carries its file's path but no lock: Save asks the same check as
/// `upgrade` and `import --into` (io::check_writable), so a colleague who opened the file
/// meanwhile is not written over; once they close it, Save writes and takes the lock.
#[test]
fn saving_a_restored_copy_over_a_colleagues_open_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = kenya_file(dir.path());
    let restored = parse_situation(tandem::samples::GUINEA).unwrap().situation;
    let mut session = sample_session();
    let mut doc = Document::new(restored, Some(path.clone()));
    doc.mark_unsaved();
    session.replace(doc);
    let colleague = tandem::io::lock::LockInfo::for_officer("Marie Diallo");
    let tandem::io::lock::LockOutcome::Acquired(theirs) =
        tandem::io::lock::acquire_as(&path, colleague)
    else {
        panic!("the lock should be free");
    };
    assert_eq!(session.save(), Ok(true));
    let events = session.finish_save();
    let [SessionEvent::SaveFailed(problem)] = events.as_slice() else {
        panic!("the save should fail: {events:?}");
    };
    assert!(problem.message.contains("Marie Diallo"), "{problem:?}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        tandem::samples::KENYA,
        "the colleague's file is untouched"
    );
    assert!(session.doc().is_dirty());
    drop(theirs);
    assert_eq!(session.save(), Ok(true));
    assert_eq!(
        session.finish_save(),
        vec![SessionEvent::Saved(path.clone())]
    );
    assert!(
        tandem::io::lock::lock_path(&path).exists(),
        "the saved file is locked as ours now"
    );
}

/// Save As over a read-only file fails with the reason and leaves it as it was.
#[test]
fn save_as_over_a_read_only_file_is_refused() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let path = kenya_file(dir.path());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let mut session = sample_session();
    session.save_to(&path);
    let events = session.finish_save();
    let [SessionEvent::SaveFailed(problem)] = events.as_slice() else {
        panic!("the save should fail: {events:?}");
    };
    assert!(problem.message.contains("read-only"), "{problem:?}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        tandem::samples::KENYA
    );
}
