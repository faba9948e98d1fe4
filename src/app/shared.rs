//! A shared situation in the app: File → Share… and File → Open shared…, the exchange of the
//! officer's changes and colleagues' ones with the shared document, and what the status bar
//! and the selected item's banner say about it. Knows nothing of egui; [`super::Session`]
//! drives it from its `poll`.
//!
//! Sharing and opening talk to the server, which may take seconds or not answer: they run on a
//! thread of their own ([`Pending`]) while the window stays live. The officer's edits made
//! meanwhile are kept ([`Document::record_for_sharing`]) and written once the share is up.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use chrono::{DateTime, Local, Utc};
use serde::{Deserialize, Serialize};

use super::document::Document;
use super::session::{Problem, Waker};
use crate::model::touched::Touched;
use crate::model::{ItemRef, Sensitivity, Situation};
use crate::sync::FieldConflict;
use crate::sync::live::{
    self, Connection, LinkState, LiveError, LiveShare, OpenSharedRequest, ShareInfo, ShareRequest,
};

/// What File → Share… remembers between runs: the server, its access token and the ceiling
/// last chosen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ShareSettings {
    /// `ws://HOST:PORT/` or `wss://…`.
    pub server: String,
    pub token: String,
    pub ceiling: Sensitivity,
}

impl Default for ShareSettings {
    fn default() -> Self {
        Self {
            server: String::new(),
            token: String::new(),
            ceiling: Sensitivity::Confidential,
        }
    }
}

/// The shared situations with a local copy in the data folder, last opened first.
pub fn local_copies() -> Vec<ShareInfo> {
    crate::io::recovery::data_dir()
        .map(|root| live::local_copies(&root))
        .unwrap_or_default()
}

/// The open situation's share: the connection, the local copy and who writes.
pub struct SharedSession {
    live: LiveShare,
    author: String,
    /// Why the last exchange with the shared document failed, until one succeeds.
    trouble: Option<String>,
    /// The selected item's conflicts as last read, with the heads they were read at: the
    /// banner asks every frame, the document is read again only after a change.
    conflicts: Mutex<Option<ConflictsSeen>>,
}

struct ConflictsSeen {
    item: ItemRef,
    heads: Vec<automerge::ChangeHash>,
    conflicts: Vec<FieldConflict>,
}

/// What sharing or opening gave, once the server answered.
pub struct Started {
    pub shared: SharedSession,
    /// The situation of a share just opened (`None` when the open one was shared).
    pub opened: Option<Situation>,
}

/// Sharing or opening, running on its own thread.
pub struct Pending {
    result: mpsc::Receiver<Result<Started, Problem>>,
    /// "Sharing…" or "Opening the shared situation…", for the status bar.
    pub doing: &'static str,
    /// Sharing the open situation (not opening another): the officer's edits made meanwhile
    /// wait for the new share.
    pub sharing: bool,
}

impl Pending {
    /// The outcome, once there is one.
    pub fn finished(&self) -> Option<Result<Started, Problem>> {
        match self.result.try_recv() {
            Ok(outcome) => Some(outcome),
            Err(mpsc::TryRecvError::Empty) => None,
            Err(mpsc::TryRecvError::Disconnected) => Some(Err(Problem {
                title: "The situation was not shared".into(),
                message: "The work stopped unexpectedly. Nothing was sent.".into(),
            })),
        }
    }

    fn run(
        doing: &'static str,
        sharing: bool,
        waker: &Waker,
        work: impl FnOnce() -> Result<Started, Problem> + Send + 'static,
    ) -> Pending {
        let (sender, result) = mpsc::channel();
        let wake = waker.clone();
        std::thread::spawn(move || {
            let _ = sender.send(work());
            wake(Duration::ZERO);
        });
        Pending {
            result,
            doing,
            sharing,
        }
    }
}

/// The author written beside each change: the officer's name, or the account's.
fn author(officer: &str) -> String {
    if officer.trim().is_empty() {
        crate::io::lock::user_name()
    } else {
        officer.trim().to_owned()
    }
}

fn wake_now(waker: &Waker) -> Arc<dyn Fn() + Send + Sync> {
    let waker = waker.clone();
    Arc::new(move || waker(Duration::ZERO))
}

fn problem(title: &str, err: &LiveError) -> Problem {
    Problem {
        title: title.into(),
        message: format!(
            "{}\n\nNothing changed in the situation you have open.",
            sentence(&err.to_string())
        ),
    }
}

/// `text` as a sentence: a capital first, a full stop last ("the sync server at … refused the
/// access token" as the first line of a message).
fn sentence(text: &str) -> String {
    let text = crate::text::capitalised(text.trim());
    if text.ends_with(['.', '!', '?', ')']) {
        text
    } else {
        format!("{text}.")
    }
}

impl SharedSession {
    /// Starts publishing `situation` (the open one, as it is now) on the server.
    pub fn share(
        situation: Situation,
        request: ShareRequest,
        officer: &str,
        data_root: PathBuf,
        waker: &Waker,
    ) -> Pending {
        let author = author(officer);
        let wake = wake_now(waker);
        Pending::run("Sharing the situation…", true, waker, move || {
            let connection = Connection {
                server: request.server.trim().to_owned(),
                token: request.token,
                data_root,
            };
            let live = LiveShare::share(&situation, request.ceiling, &author, &connection, wake)
                .map_err(|e| problem("The situation was not shared", &e))?;
            Ok(Started {
                shared: SharedSession::new(live, author),
                opened: None,
            })
        })
    }

    /// Starts opening the share of a link, from the local copy when there is one.
    pub fn open(
        request: OpenSharedRequest,
        officer: &str,
        data_root: PathBuf,
        waker: &Waker,
    ) -> Pending {
        let author = author(officer);
        let wake = wake_now(waker);
        Pending::run("Opening the shared situation…", false, waker, move || {
            let connection = Connection {
                server: String::new(),
                token: request.token,
                data_root,
            };
            let (live, situation) = LiveShare::open(request.link.trim(), &connection, wake)
                .map_err(|e| problem("The shared situation cannot be opened", &e))?;
            Ok(Started {
                shared: SharedSession::new(live, author),
                opened: Some(situation),
            })
        })
    }

    fn new(live: LiveShare, author: String) -> Self {
        Self {
            live,
            author,
            trouble: None,
            conflicts: Mutex::new(None),
        }
    }

    /// The share itself: its document, for the History panel.
    pub fn live(&self) -> &LiveShare {
        &self.live
    }

    /// The link colleagues open.
    pub fn link(&self) -> &str {
        self.live.link()
    }

    /// The share's ceiling.
    pub fn ceiling(&self) -> Sensitivity {
        self.live.ceiling()
    }

    /// Writes the officer's changes into the shared document, then reads colleagues' changes
    /// into the document's situation. Returns what colleagues changed (`None`: nothing).
    /// A document without a file is marked saved: the local copy holds everything.
    pub fn exchange(&mut self, doc: &mut Document) -> Result<Option<Touched>, Problem> {
        let outcome = self.exchange_inner(doc);
        match &outcome {
            Ok(_) => self.trouble = None,
            Err(problem) => self.trouble = Some(problem.message.clone()),
        }
        if outcome.is_ok() && doc.path().is_none() {
            doc.mark_saved();
        }
        outcome
    }

    fn exchange_inner(&mut self, doc: &mut Document) -> Result<Option<Touched>, Problem> {
        let trouble = |err: LiveError| Problem {
            title: "The shared situation could not be brought up to date".into(),
            message: err.to_string(),
        };
        for change in doc.take_local_changes() {
            self.live
                .write(
                    doc.situation(),
                    &change.touched,
                    &change.label,
                    &self.author,
                )
                .map_err(trouble)?;
        }
        if !self.live.has_news() {
            return Ok(None);
        }
        let live = &mut self.live;
        doc.take_remote(|situation| live.take_remote(situation))
            .map_err(trouble)
    }

    /// The fields of `item` a colleague changed at the same time as someone else (as the
    /// situation shows it: read again once colleagues' changes are taken in).
    pub fn conflicts(&self, item: &ItemRef) -> Vec<FieldConflict> {
        let Ok(mut seen) = self.conflicts.lock() else {
            return self.live.conflicts(item);
        };
        let heads = self.live.seen();
        match &*seen {
            Some(last) if last.item == *item && last.heads == heads => last.conflicts.clone(),
            _ => {
                let conflicts = self.live.conflicts(item);
                *seen = Some(ConflictsSeen {
                    item: item.clone(),
                    heads: heads.to_vec(),
                    conflicts: conflicts.clone(),
                });
                conflicts
            }
        }
    }

    /// "A colleague changed this too" for `item`, one line per field (see [`conflict_lines`]).
    pub fn conflict_lines(&self, item: &ItemRef) -> Vec<String> {
        conflict_lines(&self.conflicts(item), &self.author)
    }

    /// What the status bar says: "Shared · online · last exchange 14:02:11".
    pub fn status_text(&self) -> String {
        let status = self.live.status();
        let state = match &status.failure {
            // "the sync server at … refused the access token", "no secure connection to the
            // sync server at …: its certificate …"
            Some(why) => why.as_str(),
            None => match status.state {
                LinkState::Online => "online",
                LinkState::Syncing => "syncing",
                LinkState::Offline => "offline: your edits are kept and sent on reconnection",
            },
        };
        let mut text = format!("Shared · {state}");
        if let Some(at) = status.last_exchange {
            text.push_str(&format!(" · last exchange {}", clock(at)));
        }
        if let Some(trouble) = &self.trouble {
            text.push_str(&format!(" · {trouble}"));
        }
        text
    }

    /// Why the share stopped trying to reach its server, once it has (the server refused the
    /// access token, or its certificate is not trusted): "Connect again…" is offered then.
    pub fn stopped_trying(&self) -> Option<String> {
        self.live.status().failure
    }

    /// The sync server the share lives on.
    pub fn server(&self) -> &str {
        self.live.server()
    }

    /// The access token the share dials with.
    pub fn token(&self) -> &str {
        self.live.token()
    }

    /// Dials the server again with `token` (the status bar's "Connect again…"). The officer's
    /// edits made meanwhile are in the local copy and go once the server accepts.
    pub fn connect_again(&mut self, token: &str) -> Result<(), Problem> {
        self.live.redial(token).map_err(|err| Problem {
            title: "Not connected again".into(),
            message: format!("{err}\n\nYour edits are kept on this computer."),
        })
    }

    /// Whether the server has everything and the connection is up.
    pub fn state(&self) -> LinkState {
        self.live.status().state
    }
}

/// A time of day in the officer's time zone (with the date when not today).
fn clock(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&Local);
    if local.date_naive() == Local::now().date_naive() {
        local.format("%H:%M:%S").to_string()
    } else {
        local.format("%Y-%m-%d %H:%M").to_string()
    }
}

/// "A colleague changed this too": one line per field two officers set at once, saying who
/// set the value not kept (`you` when it was `author`), when, and what it was.
pub fn conflict_lines(conflicts: &[FieldConflict], author: &str) -> Vec<String> {
    conflicts
        .iter()
        .map(|c| {
            let by = match c.by.as_deref() {
                Some(by) if by == author => "you",
                Some(by) => by,
                None => "a colleague",
            };
            let when = DateTime::from_timestamp_millis(c.at_ms)
                .filter(|_| c.at_ms > 0)
                .map(|at| format!(" at {}", clock(at)))
                .unwrap_or_default();
            format!(
                "A colleague changed this too: {} was also set to “{}” by {by}{when}; that \
                 value was not kept.",
                c.field,
                elided(&c.other_value, 80)
            )
        })
        .collect()
}

/// `text` cut to `max` characters, with "…" when cut.
fn elided(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}
