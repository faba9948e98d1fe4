//! The open file's local history in the app: one thread of its own reads the store, writes
//! each change the officer makes and works out older states, so that the window never waits
//! for the disk. Knows nothing of egui; [`super::Session`] drives it from its `poll`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::document::Recorded;
use super::session::Waker;
use crate::io::history::{self, Change, HistoryEntry, HistoryStore, Stored};
use crate::model::Situation;
use crate::sync::doc::ItemsPerChange;

/// What the window asks of the history's thread (mostly changes: not worth boxing).
#[allow(clippy::large_enum_variant)]
enum Request {
    Append { change: Change, amend: bool },
    Saved,
    StateAfter(u64),
}

/// What the history's thread answers.
enum Reply {
    Loaded {
        changes: Vec<Change>,
        first_seq: u64,
        problem: Option<String>,
    },
    Appended {
        change: Change,
        amend: bool,
    },
    Failed(String),
    State(u64, Option<Situation>),
}

/// The local history of the open file, as far as the window knows it.
pub struct HistoryLog {
    file: PathBuf,
    requests: mpsc::Sender<Request>,
    replies: mpsc::Receiver<Reply>,
    /// The changes, oldest first, as the store recorded them.
    changes: Vec<Change>,
    /// The same as the History panel lists them, after the state before the first change.
    entries: Arc<Vec<HistoryEntry>>,
    /// The number of the first change kept.
    first_seq: u64,
    loading: bool,
    /// What went wrong last, in words, until shown.
    problem: Option<String>,
    /// Changes each time the changes do (a key for the panel's cache).
    version: u64,
    /// An older state asked for, and the answer once it came.
    asked: Option<u64>,
    state: Option<(u64, Option<Situation>)>,
}

impl HistoryLog {
    /// Opens the history of `file` under the data folder `root`, for `situation` as read from
    /// the file (modified at `modified`): read, and compared with the file, on a thread.
    pub fn open(
        root: &Path,
        file: &Path,
        situation: Situation,
        modified: DateTime<Utc>,
        wake: Waker,
    ) -> Self {
        let store = HistoryStore::in_data_dir(root, file);
        let (requests, inbox) = mpsc::channel();
        let (outbox, replies) = mpsc::channel();
        std::thread::spawn(move || work(store, situation, modified, inbox, outbox, wake));
        Self {
            file: file.to_path_buf(),
            requests,
            replies,
            changes: Vec::new(),
            entries: Arc::default(),
            first_seq: 1,
            loading: true,
            problem: None,
            version: 0,
            asked: None,
            state: None,
        }
    }

    /// The file whose history this is.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Whether the store is still being read.
    pub fn is_loading(&self) -> bool {
        self.loading
    }

    /// The changes, oldest first.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// The history's entries, oldest first: the state before the first change kept (once
    /// there is a change), then the changes.
    pub fn entries(&self) -> Arc<Vec<HistoryEntry>> {
        self.entries.clone()
    }

    /// Changes whenever the changes do.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// What went wrong with the store, once (the status bar says it).
    pub fn take_problem(&mut self) -> Option<String> {
        self.problem.take()
    }

    /// Records one of the officer's changes, signed by `author`.
    pub fn record(&mut self, recorded: Recorded, author: &str) {
        let change = Change {
            seq: 0,
            at: Utc::now(),
            author: (!recorded.by_colleagues).then(|| author.to_owned()),
            label: recorded.label,
            detail: Vec::new(),
            delta: recorded.delta,
        };
        let amend = recorded.joins_last;
        let _ = self.requests.send(Request::Append { change, amend });
    }

    /// Records that the file now holds the situation as it is.
    pub fn saved(&mut self) {
        let _ = self.requests.send(Request::Saved);
    }

    /// Asks for the situation after change `seq`; [`HistoryLog::state_after`] has it once
    /// worked out.
    pub fn ask_state_after(&mut self, seq: u64) {
        if self.asked != Some(seq) {
            self.asked = Some(seq);
            self.state = None;
            let _ = self.requests.send(Request::StateAfter(seq));
        }
    }

    /// The state asked for, once there: `Some(None)` when that change is no longer kept.
    pub fn state_after(&mut self, seq: u64) -> Option<Option<Situation>> {
        match &self.state {
            Some((s, _)) if *s == seq => self.state.take().map(|(_, state)| state),
            _ => None,
        }
    }

    /// Takes in what the thread answered; says whether anything changed.
    pub fn poll(&mut self) -> bool {
        let mut news = false;
        while let Ok(reply) = self.replies.try_recv() {
            news = true;
            self.take(reply);
        }
        news
    }

    fn take(&mut self, reply: Reply) {
        match reply {
            Reply::Loaded {
                changes,
                first_seq,
                problem,
            } => {
                let start = (changes.first()).map(|c| HistoryEntry::first_kept(first_seq, c.at));
                let entries = start
                    .into_iter()
                    .chain(changes.iter().map(HistoryEntry::of_change));
                self.entries = Arc::new(entries.collect());
                self.first_seq = first_seq;
                self.changes = changes;
                self.loading = false;
                self.problem = problem;
            }
            Reply::Appended { change, amend } => {
                let entries = Arc::make_mut(&mut self.entries);
                if amend && self.changes.last().is_some_and(|c| c.seq == change.seq) {
                    self.changes.pop();
                    entries.pop();
                }
                if entries.is_empty() {
                    entries.push(HistoryEntry::first_kept(self.first_seq, change.at));
                }
                entries.push(HistoryEntry::of_change(&change));
                self.changes.push(change);
            }
            Reply::Failed(why) => self.problem = Some(why),
            Reply::State(seq, state) => {
                if self.asked == Some(seq) {
                    self.asked = None;
                    self.state = Some((seq, state));
                }
            }
        }
        self.version += 1;
    }

    /// Waits (up to `limit`) until the thread has answered everything asked so far: tests,
    /// and a change recorded just before quitting.
    pub fn settle(&mut self, limit: Duration) {
        const SETTLED: u64 = u64::MAX;
        let start = std::time::Instant::now();
        let _ = self.requests.send(Request::StateAfter(SETTLED));
        while let Some(left) = limit.checked_sub(start.elapsed()) {
            match self.replies.recv_timeout(left) {
                Ok(Reply::State(SETTLED, _)) | Err(_) => break,
                Ok(reply) => self.take(reply),
            }
        }
    }
}

/// The history's thread: opens the store, then writes and reads as asked until the window
/// lets go of it.
fn work(
    store: HistoryStore,
    situation: Situation,
    modified: DateTime<Utc>,
    inbox: mpsc::Receiver<Request>,
    outbox: mpsc::Sender<Reply>,
    wake: Waker,
) {
    let opened = history::open_for(&store, &situation, modified);
    drop(situation);
    let mut stored: Option<Stored> = opened.stored;
    let changes = stored
        .as_ref()
        .map(|s| s.changes.clone())
        .unwrap_or_default();
    let _ = outbox.send(Reply::Loaded {
        changes,
        first_seq: stored.as_ref().map_or(1, |s| s.first_seq),
        problem: opened.problem,
    });
    wake(Duration::ZERO);
    for request in inbox {
        let reply = match (request, stored.as_mut()) {
            (Request::Append { change, amend }, Some(stored)) => {
                match store.append(stored, change, amend) {
                    Ok(change) => Reply::Appended { change, amend },
                    Err(err) => {
                        Reply::Failed(format!("The change was not kept in the history: {err}"))
                    }
                }
            }
            (Request::Saved, Some(stored)) => match store.mark_saved(stored) {
                Ok(()) => continue,
                Err(err) => Reply::Failed(format!("The history could not note the save: {err}")),
            },
            (Request::StateAfter(seq), stored) => {
                Reply::State(seq, stored.and_then(|s| s.state_after(seq)))
            }
            (_, None) => continue,
        };
        let _ = outbox.send(reply);
        wake(Duration::ZERO);
    }
}

/// A shared situation's changes as the History panel lists them, oldest first: label and
/// author from each change's message, its time, the items it touched (as `items` has read
/// them: brought up to date first) and its hash to show the situation after it.
pub fn shared_entries(doc: &automerge::Automerge, items: &mut ItemsPerChange) -> Vec<HistoryEntry> {
    items.update(doc);
    doc.get_changes_meta(&[])
        .into_iter()
        .map(|change| {
            let (label, author) =
                crate::sync::doc::read_message(change.message.as_deref().unwrap_or(""));
            HistoryEntry {
                at: DateTime::from_timestamp_millis(change.timestamp).unwrap_or_default(),
                author,
                label,
                detail: Vec::new(),
                items: items.items_of(&change.hash),
                point: history::PastPoint::Shared(change.hash.to_string()),
            }
        })
        .collect()
}

/// The shared situation as it stood after the change `hash` (its shared items only).
pub fn shared_state_after(doc: &automerge::Automerge, hash: &str) -> Result<Situation, String> {
    let hash: automerge::ChangeHash = hash
        .parse()
        .map_err(|_| format!("“{hash}” is not a change of this situation"))?;
    let old = doc.fork_at(&[hash]).map_err(|e| e.to_string())?;
    let mut shared = crate::sync::SharedDoc::open(&old).map_err(|e| e.to_string())?;
    shared.situation(&old, None).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::edit::{Edit, apply};
    use crate::model::{ItemKind, ItemRef, Role, Sensitivity};

    #[test]
    fn a_shared_situations_changes_are_entries_with_their_author_and_lead_to_older_states() {
        let mut situation = crate::io::parse_situation(crate::samples::GUINEA)
            .expect("the sample parses")
            .situation;
        let mut doc = automerge::Automerge::new();
        let mut shared = crate::sync::SharedDoc::create(
            &mut doc,
            &situation,
            Sensitivity::Confidential,
            "Ana Lima",
            1_000,
        )
        .expect("shared");
        let before = situation
            .assignment("loe-mediation", "ecowas")
            .map(|a| a.role);
        let mut assignment = situation
            .assignment("loe-mediation", "ecowas")
            .cloned()
            .expect("a cell");
        assignment.role = Role::Joint;
        let edit = Edit::SetAssignment {
            line: "loe-mediation".into(),
            partner: "ecowas".into(),
            assignment: Some(assignment),
            index: None,
        };
        let label = edit.describe(&situation);
        let touched = edit.touched();
        apply(&mut situation, edit).expect("applies");
        shared
            .write(
                &mut doc,
                &situation,
                &touched,
                &label,
                "Marie Diallo",
                2_000,
            )
            .expect("written");

        let entries = shared_entries(&doc, &mut ItemsPerChange::default());
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].author.as_deref(), Some("Ana Lima"));
        assert_eq!(
            entries[1].sentence(),
            format!("Marie Diallo {label}"),
            "“set …” reads the same in the past"
        );
        assert_eq!(entries[1].at.timestamp_millis(), 2_000);
        assert_eq!(entries[0].items, history::TouchedItems::All, "the share");
        let cell = ["loe-mediation", "ecowas"];
        let cell = [ItemKind::Line, ItemKind::Partner].into_iter().zip(cell);
        let cell = cell.map(|(kind, id)| ItemRef::new(kind, id)).collect();
        assert_eq!(entries[1].items, history::TouchedItems::Only(cell));
        let history::PastPoint::Shared(first) = &entries[0].point else {
            panic!("a shared point");
        };
        let then = shared_state_after(&doc, first).expect("the state after the share");
        assert_eq!(
            then.assignment("loe-mediation", "ecowas").map(|a| a.role),
            before
        );
        assert!(shared_state_after(&doc, "not-a-hash").is_err());
    }
}
