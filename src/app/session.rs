//! The open document and everything that keeps its file safe: the lock beside it, noticing
//! changes others make on disk, recovery copies, and saving on a background thread.
//!
//! Nothing here knows egui: the window gives a [`Waker`] that background work calls when it has
//! news, and reads that news with [`Session::poll`]. Tests drive a session without a window.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::document::Document;
use super::history::HistoryLog;
use super::shared::{Pending, SharedSession, Started};
use crate::io::{self, disk, lock, recovery};
use crate::model::Situation;
use crate::sync::live::{OpenSharedRequest, ShareRequest};

/// Asks the window to draw again after the given delay: background work calls it when done.
pub type Waker = Arc<dyn Fn(Duration) + Send + Sync>;

/// A waker that wakes nobody, for sessions without a window (tests, tools).
pub fn no_waker() -> Waker {
    Arc::new(|_| {})
}

/// Something the user must read: a title and an explanation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub title: String,
    pub message: String,
}

impl Problem {
    fn new(title: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            message: message.into(),
        }
    }
}

/// News from background work, returned by [`Session::poll`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionEvent {
    /// The situation was written to this file.
    Saved(PathBuf),
    /// The save failed; the file on disk is unchanged.
    SaveFailed(Problem),
    /// The recovery copy could not be written (the reason).
    RecoveryFailed(String),
    /// The situation is shared: colleagues open this link.
    Shared(String),
    /// A shared situation was opened (its title).
    OpenedShared(String),
    /// Sharing or opening a shared situation failed; nothing changed.
    ShareFailed(Problem),
    /// Colleagues' changes were taken in: what they touched.
    ColleaguesChanged(crate::model::touched::Touched),
    /// The file's local history could not be read or written (why, in words).
    HistoryProblem(String),
}

/// A save running on its own thread.
struct SaveJob {
    path: PathBuf,
    revision: u64,
    result: mpsc::Receiver<Result<disk::DiskState, Problem>>,
}

/// The open document and the safety around its file.
pub struct Session {
    doc: Document,
    wake: Waker,
    lock: Option<lock::LockGuard>,
    /// Who holds the lock on the open file, when another live session does.
    held_by: Option<(lock::LockInfo, lock::Liveness)>,
    /// What was on disk when the file was opened or last saved.
    disk_state: Option<disk::DiskState>,
    disk_watcher: Option<(PathBuf, disk::DiskWatcher)>,
    /// The watcher fired while a save was running: check once it is done.
    disk_check_due: bool,
    /// A change made on disk by someone else, until the user answers.
    disk_change: Option<disk::DiskChange>,
    recovery: Option<recovery::RecoveryStore>,
    recovery_timer: recovery::RecoveryTimer,
    started: Instant,
    save_job: Option<SaveJob>,
    /// What a save reported while another was being started, for the next poll.
    queued: Vec<SessionEvent>,
    /// The officer's name, written into lock files (empty: the account's name is used).
    officer: String,
    /// The open situation's share, while it is shared.
    shared: Option<SharedSession>,
    /// Sharing or opening a shared situation, while the server is asked.
    pending_share: Option<Pending>,
    /// The data folder local histories are kept under (none: no history is kept).
    history_root: Option<PathBuf>,
    /// The open file's local history, when it has a file and there is a data folder.
    history: Option<HistoryLog>,
}

impl Session {
    /// A session showing `doc`; `wake` is called when background work has news.
    pub fn new(doc: Document, wake: Waker) -> Self {
        Self {
            doc,
            wake,
            lock: None,
            held_by: None,
            disk_state: None,
            disk_watcher: None,
            disk_check_due: false,
            disk_change: None,
            recovery: None,
            recovery_timer: recovery::RecoveryTimer::new(5.0, 60.0),
            started: Instant::now(),
            save_job: None,
            queued: Vec::new(),
            officer: String::new(),
            shared: None,
            pending_share: None,
            history_root: None,
            history: None,
        }
    }

    /// Keeps the local history of the files opened from now on under the data folder `root`.
    pub fn set_history_root(&mut self, root: PathBuf) {
        self.history_root = Some(root);
    }

    /// The open file's local history, when one is kept.
    pub fn history(&self) -> Option<&HistoryLog> {
        self.history.as_ref()
    }

    /// The same, to ask for older states.
    pub fn history_mut(&mut self) -> Option<&mut HistoryLog> {
        self.history.as_mut()
    }

    /// Starts keeping the history of `path`, whose contents are the open situation.
    fn start_history(&mut self, path: &Path) {
        self.history = None;
        self.doc.record_history(false);
        let Some(root) = &self.history_root else {
            return;
        };
        let modified = std::fs::metadata(path)
            .and_then(|m| m.modified())
            .map(chrono::DateTime::<chrono::Utc>::from)
            .unwrap_or_else(|_| chrono::Utc::now());
        let situation = self.doc.situation().clone();
        let wake = self.wake.clone();
        self.history = Some(HistoryLog::open(root, path, situation, modified, wake));
        self.doc.record_history(true);
    }

    /// Sends the officer's changes made since the last call to the local history.
    fn send_recorded(&mut self) {
        let Some(log) = &mut self.history else {
            return;
        };
        let recorded = self.doc.take_recorded();
        if !recorded.is_empty() {
            let author = if self.officer.is_empty() {
                lock::user_name()
            } else {
                self.officer.clone()
            };
            for change in recorded {
                log.record(change, &author);
            }
        }
    }

    /// The officer's changes into the local history; what its thread answered.
    fn poll_history(&mut self, events: &mut Vec<SessionEvent>) {
        self.send_recorded();
        let Some(log) = &mut self.history else {
            return;
        };
        log.poll();
        if let Some(problem) = log.take_problem() {
            events.push(SessionEvent::HistoryProblem(problem));
        }
    }

    /// The officer's name, for the locks taken from now on (empty: the account's name).
    pub fn set_officer(&mut self, name: &str) {
        self.officer = name.trim().to_owned();
    }

    fn me(&self) -> lock::LockInfo {
        lock::LockInfo::for_officer(&self.officer)
    }

    /// Keeps recovery copies in `store` from now on.
    pub fn set_recovery_store(&mut self, store: recovery::RecoveryStore) {
        self.recovery = Some(store);
    }

    /// The store recovery copies go to, when there is one.
    pub fn recovery_store(&self) -> Option<&recovery::RecoveryStore> {
        self.recovery.as_ref()
    }

    /// The open document.
    pub fn doc(&self) -> &Document {
        &self.doc
    }

    /// The open document, to edit (its situation changes only through edits).
    pub fn doc_mut(&mut self) -> &mut Document {
        &mut self.doc
    }

    /// Who holds the lock on the open file, when another live session does.
    pub fn held_by(&self) -> Option<&(lock::LockInfo, lock::Liveness)> {
        self.held_by.as_ref()
    }

    /// A change someone else made to the file on disk, until the user answers it.
    pub fn disk_change(&self) -> Option<&disk::DiskChange> {
        self.disk_change.as_ref()
    }

    /// Hides the changed-on-disk banner; the next save checks again.
    pub fn dismiss_disk_change(&mut self) {
        self.disk_change = None;
    }

    /// Whether a save is being written.
    pub fn is_saving(&self) -> bool {
        self.save_job.is_some()
    }

    /// Replaces the open document (new, import into a new situation, restored copy): the lock
    /// on the old file is released and its recovery copy removed. A save in progress finishes
    /// first; what it reports is returned.
    pub fn replace(&mut self, doc: Document) -> Vec<SessionEvent> {
        let finished = self.finish_save();
        self.end_sharing();
        self.doc = doc;
        self.history = None;
        self.lock = None;
        self.held_by = None;
        self.disk_state = None;
        self.disk_change = None;
        self.disk_check_due = false;
        if let Some(store) = &mut self.recovery {
            store.clear();
        }
        finished
    }

    /// Opens `path` in place of the open document. On success returns what to tell the user;
    /// on failure the open document is untouched and the problem says why, with the file,
    /// line and column.
    pub fn open(&mut self, path: &Path) -> Result<String, Problem> {
        let bytes = io::read_capped(path).map_err(|d| open_problem(path, &d))?;
        let loaded = io::parse_bytes(&bytes).map_err(|d| open_problem(path, &d))?;
        let mut doc = Document::new(loaded.situation, Some(path.to_path_buf()));
        doc.read_only = loaded.read_only;
        self.replace(doc);
        self.disk_state = Some(disk::after_open(path, &bytes));
        self.start_history(path);
        let notice = self.lock_opened_file(path);
        let opened = match loaded.migrated_from {
            Some(v) => format!(
                "Opened {} (migrated from schema {v}; saving writes the current schema)",
                path.display()
            ),
            None => format!("Opened {}", path.display()),
        };
        Ok(notice.unwrap_or(opened))
    }

    /// Takes the lock on a file just opened, or opens it read-only when a colleague holds it.
    /// Returns a notice when a stale lock was taken over.
    fn lock_opened_file(&mut self, path: &Path) -> Option<String> {
        if self.doc.read_only.is_some() {
            return None;
        }
        match lock::acquire_as(path, self.me()) {
            lock::LockOutcome::Acquired(guard) => self.lock = Some(guard),
            lock::LockOutcome::HeldBy(info, liveness) if liveness.is_stale() => {
                // Its session is gone (dead process on this host, or a day old): take the lock
                // over and say so.
                match lock::take_over_as(path, self.me()) {
                    Ok(guard) => {
                        self.lock = Some(guard);
                        return Some(format!(
                            "Took over a stale lock left by {} ({})",
                            info.holder(),
                            info.since_text()
                        ));
                    }
                    Err(err) => {
                        self.doc.read_only = Some(format!("cannot take over the stale lock: {err}"))
                    }
                }
            }
            lock::LockOutcome::HeldBy(info, liveness) => {
                self.doc.read_only = Some(format!(
                    "{} has this file open ({}); it is open read-only so that neither of you overwrites the other. Save As… keeps your changes in another file.",
                    crate::text::capitalised(&info.holder()),
                    info.since_text()
                ));
                self.held_by = Some((info, liveness));
            }
            lock::LockOutcome::ReadOnlyLocation(reason) => self.doc.read_only = Some(reason),
        }
        None
    }

    /// Someone else holds the lock: keep their file alone and edit an untitled copy.
    pub fn edit_a_copy(&mut self) {
        let name = format!("Copy of {}", self.doc.display_name());
        let mut copy = Document::untitled(self.doc.situation().clone(), name);
        copy.mark_unsaved();
        self.replace(copy);
    }

    /// Replaces a colleague's lock with ours (the user confirmed) and makes the file editable.
    pub fn take_over_lock(&mut self) -> Result<(), String> {
        let path = self.doc.path.clone().ok_or("the situation has no file")?;
        let guard = lock::take_over_as(&path, self.me()).map_err(|err| err.to_string())?;
        self.lock = Some(guard);
        self.doc.read_only = None;
        self.held_by = None;
        Ok(())
    }

    /// Starts saving to the document's own file. `Ok(false)` when it has none yet (ask where,
    /// then [`Session::save_to`]); an error when it must not be written.
    pub fn save(&mut self) -> Result<bool, Problem> {
        if let Some(reason) = &self.doc.read_only {
            return Err(Problem::new(
                "This file is read-only",
                format!("{reason}\n\nUse File → Save As… to keep your changes in another file."),
            ));
        }
        let Some(path) = self.doc.path.clone() else {
            return Ok(false);
        };
        self.save_to(&path);
        Ok(true)
    }

    /// Starts saving to `path` on a background thread (a save already running finishes
    /// first). Over the document's own file, a file changed by someone else since it was read
    /// is never overwritten: the save fails and says so. A file Tandem may not write (read-only,
    /// or open in a colleague's Tandem: [`io::check_writable`]) fails the save the same way.
    pub fn save_to(&mut self, path: &Path) {
        self.finish_save_into_queue();
        let same_file = self.doc.path.as_deref() == Some(path);
        let known = same_file.then(|| self.disk_state.clone()).flatten();
        let own_lock = self.lock.as_ref().filter(|_| same_file);
        let refusal = io::check_writable(path, own_lock).err();
        let situation = self.doc.situation().clone();
        let (sender, result) = mpsc::channel();
        let target = path.to_path_buf();
        let wake = self.wake.clone();
        std::thread::spawn(move || {
            let outcome = match refusal {
                Some(refusal) => Err(refused_save(&target, &refusal)),
                None => write_situation(&target, &situation, known.as_ref()),
            };
            let _ = sender.send(outcome);
            wake(Duration::ZERO);
        });
        self.save_job = Some(SaveJob {
            path: path.to_path_buf(),
            revision: self.doc.revision(),
            result,
        });
    }

    /// From now on, the bytes on disk are taken as known: the user chose to write their version
    /// over a file someone else changed.
    pub fn accept_disk_version(&mut self) {
        if let Some(path) = self.doc.path.clone()
            && let Ok(state) = disk::DiskState::read(&path)
        {
            self.disk_state = Some(state);
        }
    }

    /// Waits for a save in progress and returns what it reports (for quitting, and tests).
    pub fn finish_save(&mut self) -> Vec<SessionEvent> {
        let Some(job) = self.save_job.take() else {
            return Vec::new();
        };
        let outcome = job.result.recv().unwrap_or_else(|_| Err(stopped_save()));
        vec![self.saved(job, outcome)]
    }

    /// Saves queued behind one another keep their order; what the first reports is kept for
    /// the next poll.
    fn finish_save_into_queue(&mut self) {
        let events = self.finish_save();
        self.queued.extend(events);
    }

    /// News from background work since the last call, and when to call again at the latest.
    pub fn poll(&mut self) -> (Vec<SessionEvent>, Option<Duration>) {
        let mut events = std::mem::take(&mut self.queued);
        if let Some(job) = self.save_job.take() {
            match job.result.try_recv() {
                Ok(outcome) => events.push(self.saved(job, outcome)),
                Err(mpsc::TryRecvError::Empty) => self.save_job = Some(job),
                Err(mpsc::TryRecvError::Disconnected) => {
                    events.push(self.saved(job, Err(stopped_save())))
                }
            }
        }
        self.watch_disk();
        self.poll_shared(&mut events);
        self.poll_history(&mut events);
        let wake_in = self.write_recovery_copy_when_due(&mut events);
        (events, wake_in)
    }

    /// The open situation's share, while it is shared.
    pub fn shared(&self) -> Option<&SharedSession> {
        self.shared.as_ref()
    }

    /// The open situation's share, to connect it again.
    pub fn shared_mut(&mut self) -> Option<&mut SharedSession> {
        self.shared.as_mut()
    }

    /// What is being done with the server ("Sharing the situation…"), while it is.
    pub fn share_in_progress(&self) -> Option<&'static str> {
        self.pending_share.as_ref().map(|p| p.doing)
    }

    /// Starts sharing the open situation (File → Share…); [`Session::poll`] reports how it
    /// went. Edits made meanwhile are written once the share is up. The local copy goes
    /// under `data_root`.
    pub fn share(&mut self, request: ShareRequest, data_root: PathBuf) {
        self.doc.record_for_sharing(true);
        let situation = self.doc.situation().clone();
        self.pending_share = Some(SharedSession::share(
            situation,
            request,
            &self.officer,
            data_root,
            &self.wake,
        ));
    }

    /// Starts opening a shared situation (File → Open shared…); once the server (or the
    /// local copy) answers, it replaces the open document.
    pub fn open_shared(&mut self, request: OpenSharedRequest, data_root: PathBuf) {
        self.pending_share = Some(SharedSession::open(
            request,
            &self.officer,
            data_root,
            &self.wake,
        ));
    }

    /// Sharing started or failed; the officer's and colleagues' changes exchanged.
    fn poll_shared(&mut self, events: &mut Vec<SessionEvent>) {
        if let Some(outcome) = self.pending_share.as_ref().and_then(Pending::finished) {
            self.pending_share = None;
            match outcome {
                Ok(Started {
                    shared,
                    opened: None,
                }) => {
                    events.push(SessionEvent::Shared(shared.link().to_owned()));
                    self.shared = Some(shared);
                }
                Ok(Started {
                    shared,
                    opened: Some(situation),
                }) => {
                    let title = situation.title.clone();
                    let doc = Document::untitled(situation, format!("{title} (shared)"));
                    events.extend(self.replace(doc));
                    self.doc.record_for_sharing(true);
                    self.shared = Some(shared);
                    events.push(SessionEvent::OpenedShared(title));
                }
                Err(problem) => {
                    if self.shared.is_none() {
                        self.doc.record_for_sharing(false);
                    }
                    events.push(SessionEvent::ShareFailed(problem));
                }
            }
        }
        // While a clean shared copy is made, the officer's edits wait for it: the old share
        // is left behind with the situation as it was when the copy started.
        let sharing = self.pending_share.as_ref().is_some_and(|p| p.sharing);
        if let Some(shared) = &mut self.shared
            && !sharing
            && let Ok(Some(touched)) = shared.exchange(&mut self.doc)
        {
            events.push(SessionEvent::ColleaguesChanged(touched));
        }
    }

    /// Writes the officer's last changes into the share and closes it (the local copy keeps
    /// everything).
    fn end_sharing(&mut self) {
        self.pending_share = None;
        if let Some(mut shared) = self.shared.take() {
            let _ = shared.exchange(&mut self.doc);
        }
    }

    /// Takes in what a finished save reports.
    fn saved(&mut self, job: SaveJob, outcome: Result<disk::DiskState, Problem>) -> SessionEvent {
        match outcome {
            Ok(state) => {
                self.disk_state = Some(state);
                self.disk_change = None;
                if self.doc.path.as_deref() != Some(job.path.as_path()) || self.lock.is_none() {
                    // Save As, or a restored copy saved over its file: the file is ours now,
                    // and the old one's lock goes.
                    self.doc.path = Some(job.path.clone());
                    self.doc.read_only = None;
                    self.held_by = None;
                    self.lock = match lock::acquire_as(&job.path, self.me()) {
                        lock::LockOutcome::Acquired(guard) => Some(guard),
                        _ => None,
                    };
                }
                self.doc.mark_saved_at(job.revision);
                self.send_recorded();
                match &mut self.history {
                    Some(log) if log.file() == job.path => log.saved(),
                    _ => self.start_history(&job.path),
                }
                if !self.doc.is_dirty()
                    && let Some(store) = &mut self.recovery
                {
                    store.clear();
                }
                SessionEvent::Saved(job.path)
            }
            Err(problem) => SessionEvent::SaveFailed(problem),
        }
    }

    /// Watches the open file's folder and notices, debounced, when someone else changed it.
    fn watch_disk(&mut self) {
        let Some(path) = self.doc.path.clone() else {
            self.disk_watcher = None;
            return;
        };
        if self
            .disk_watcher
            .as_ref()
            .is_none_or(|(watched, _)| *watched != path)
        {
            let wake = self.wake.clone();
            self.disk_watcher = disk::DiskWatcher::new(&path, move || wake(disk::DEBOUNCE))
                .ok()
                .map(|w| (path.clone(), w));
        }
        if let Some((_, watcher)) = self.disk_watcher.as_mut()
            && watcher.poll()
        {
            self.disk_check_due = true;
        }
        // Our own save wakes the watcher too: check once it is done and its state is known.
        if self.disk_check_due
            && self.save_job.is_none()
            && let Some(state) = &self.disk_state
        {
            self.disk_check_due = false;
            let change = state.check(&path);
            self.disk_change = (change != disk::DiskChange::Unchanged).then_some(change);
        }
    }

    /// While there are unsaved changes, a recovery copy a few seconds after the last edit.
    /// Returns when to come back.
    fn write_recovery_copy_when_due(&mut self, events: &mut Vec<SessionEvent>) -> Option<Duration> {
        let store = self.recovery.as_mut()?;
        if let Some(Err(err)) = store.finished() {
            events.push(SessionEvent::RecoveryFailed(err.to_string()));
        }
        let now = self.started.elapsed().as_secs_f64();
        let revision = self.doc.revision();
        let dirty = self.doc.is_dirty();
        if self.recovery_timer.tick(revision, dirty, now) {
            let wake = self.wake.clone();
            store.write_in_background(
                self.doc.path(),
                self.doc.untitled_name(),
                self.doc.situation(),
                move || wake(Duration::ZERO),
            );
            None
        } else {
            self.recovery_timer
                .due_in(revision, dirty, now)
                .map(|wait| Duration::from_secs_f64(wait.max(0.1)))
        }
    }

    /// Opens the recovery copy `entry` as an unsaved situation and deletes the copy.
    pub fn restore(&mut self, entry: &recovery::RecoveryEntry) -> Result<(), Problem> {
        let store = self
            .recovery
            .as_ref()
            .ok_or_else(|| Problem::new("The recovery copy cannot be read", "no data folder"))?;
        let restored = store
            .restore(entry)
            .map_err(|d| Problem::new("The recovery copy cannot be read", d.message))?;
        let situation: Situation = restored.loaded.situation;
        let mut doc = match restored.meta.original.clone() {
            Some(path) => Document::new(situation, Some(path)),
            None => Document::untitled(situation, entry.display_name()),
        };
        doc.mark_unsaved();
        let _ = store.discard(entry);
        self.replace(doc);
        Ok(())
    }

    /// Deletes the recovery copy `entry` of a session that died.
    pub fn discard_recovery(&self, entry: &recovery::RecoveryEntry) {
        if let Some(store) = &self.recovery {
            let _ = store.discard(entry);
        }
    }
}

/// Writes `situation` to `path` atomically (keeping `NAME.bak`), unless the file is no longer
/// what `known` says it was. Returns the new state of the file.
fn write_situation(
    path: &Path,
    situation: &Situation,
    known: Option<&disk::DiskState>,
) -> Result<disk::DiskState, Problem> {
    // A file that is gone is written again; one that cannot be read now fails below with
    // the system's reason.
    if disk::before_save(path, known) == disk::DiskChange::Modified {
        return Err(Problem::new(
            "The file changed on disk",
            format!(
                "{} was changed by another program or a colleague since you opened it. Nothing was overwritten.\n\nUse File → Save As… to keep your version in another file, then compare the two.",
                path.display()
            ),
        ));
    }
    match io::save_file(path, situation) {
        Ok(bytes) => Ok(disk::DiskState::of_bytes(path, &bytes)),
        Err(err) => Err(Problem::new(
            "The situation was not saved",
            format!("{err}\n\nThe file on disk is unchanged and your work is still open."),
        )),
    }
}

fn refused_save(path: &Path, refusal: &io::WriteRefusal) -> Problem {
    Problem::new(
        "The situation was not saved",
        format!(
            "{}: {refusal}. Nothing was overwritten.\n\nUse File → Save As… to keep your version in another file.",
            path.display()
        ),
    )
}

fn stopped_save() -> Problem {
    Problem::new(
        "The situation was not saved",
        "The save stopped unexpectedly. The file on disk is unchanged and your work is still open.",
    )
}

impl Drop for Session {
    /// Quitting: the officer's last changes go into the shared situation's local copy.
    fn drop(&mut self) {
        self.end_sharing();
    }
}

fn open_problem(path: &Path, d: &crate::model::Diagnostic) -> Problem {
    let position = match (d.line, d.column) {
        (Some(l), Some(c)) => format!("{}:{l}:{c}", path.display()),
        _ => path.display().to_string(),
    };
    Problem::new(
        "This file cannot be opened",
        format!(
            "{position}\n\n{} [{}]\n\nThe situation you had open is unchanged.",
            d.message, d.code
        ),
    )
}
