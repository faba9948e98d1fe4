//! A shared situation while it is open: the officer's local copy in the data folder, the
//! connection to the sync server, and the mapping between the shared document and the
//! situation the app shows. Knows nothing of egui: background work calls a `wake` function,
//! and the app reads what changed when it next draws.
//!
//! **The local copy.** The shared documents live in `DATA/shared/store` (samod's layout,
//! every chunk written whole), so a shared situation opens and is edited offline; samod sends
//! what was made offline when the server answers again. Beside it, `DATA/shared/ID/` holds
//! what the share is (`share.json`: link, title, ceiling) and the items above the ceiling
//! (`private.ron`), which never leave the machine.
//!
//! **What was seen.** [`LiveShare`] remembers the document's heads as they were when the
//! situation was last brought up to date (`seen`). A local edit is written as a change on the
//! document at those heads, so a colleague's change that arrived in the meantime is merged
//! with it by Automerge rather than written over; [`LiveShare::take_remote`] then reads what
//! changed since `seen` into the situation, item by item.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use automerge::{Automerge, ChangeHash};
use chrono::{DateTime, Utc};
use futures::StreamExt;
use samod::DocHandle;
use serde::{Deserialize, Serialize};

use super::doc::{FieldConflict, SharedDoc, SyncError};
use super::net::{self, Client, NetError};
use crate::model::touched::Touched;
use crate::model::{ItemRef, Sensitivity, Situation};

/// How long opening or sharing waits for the server to answer the connection.
pub const CONNECT: Duration = Duration::from_secs(5);
/// How long sharing waits for the server to confirm it has the situation, and opening a
/// situation not yet in the local copy waits for the server to send it.
pub const TRANSFER: Duration = Duration::from_secs(20);

/// Why a situation could not be shared or opened.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    #[error(transparent)]
    Net(#[from] NetError),
    #[error(transparent)]
    Sync(#[from] SyncError),
    #[error("the local copy in {0} cannot be used: {1}")]
    Local(PathBuf, String),
}

/// What a share is, kept beside its local copy (`share.json`) and listed by File → Open
/// shared….
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShareInfo {
    /// `ws://HOST:PORT/#automerge:ID`.
    pub link: String,
    /// The situation's title when it was last open.
    pub title: String,
    /// The most sensitive items the share holds.
    pub ceiling: Sensitivity,
    /// When it was last open here.
    pub opened: DateTime<Utc>,
}

/// File → Share…, answered: where to publish the open situation and what may go.
#[derive(Clone, Debug, PartialEq)]
pub struct ShareRequest {
    /// `ws://HOST:PORT/` or `wss://…`.
    pub server: String,
    pub token: String,
    pub ceiling: Sensitivity,
}

/// File → Open shared…, answered: the link a colleague gave, and the office's token.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenSharedRequest {
    pub link: String,
    pub token: String,
}

/// Where shared situations are kept in the data folder `root`.
fn shared_root(root: &Path) -> PathBuf {
    root.join("shared")
}

/// The folder of one share's own files (`share.json`, `private.ron`).
fn share_dir(root: &Path, link: &str) -> Result<PathBuf, NetError> {
    let (_, id) = net::parse_link(link)?;
    Ok(shared_root(root).join(id.to_string()))
}

/// The shared situations with a local copy under the data folder `root`, last opened first.
pub fn local_copies(root: &Path) -> Vec<ShareInfo> {
    let Ok(entries) = std::fs::read_dir(shared_root(root)) else {
        return Vec::new();
    };
    let mut copies: Vec<ShareInfo> = entries
        .flatten()
        .filter_map(|e| std::fs::read(e.path().join("share.json")).ok())
        .filter_map(|bytes| serde_json::from_slice(&bytes).ok())
        .collect();
    copies.sort_by_key(|c| std::cmp::Reverse(c.opened));
    copies
}

/// Whether the connection is up and whether the server has everything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkState {
    /// The server cannot be reached: edits stay in the local copy until it can.
    Offline,
    /// Connected; changes are on their way one way or the other.
    Syncing,
    /// Connected, and the server has what this copy has.
    Online,
}

/// What the status bar says about the share.
#[derive(Clone, Debug, PartialEq)]
pub struct SyncStatus {
    pub state: LinkState,
    /// When something last went to or came from the server.
    pub last_exchange: Option<DateTime<Utc>>,
    /// Why the client stopped trying to reach the server, once it has (the server refused the
    /// access token, or its certificate is not trusted): the message, naming the server.
    pub failure: Option<String>,
}

/// What the background task learns about the connection.
#[derive(Debug, Default)]
struct Exchange {
    last: Option<DateTime<Utc>>,
    /// The heads the server and this copy have in common.
    shared_heads: Option<Vec<ChangeHash>>,
}

/// What is needed to share a situation or open a shared one.
#[derive(Clone, Debug)]
pub struct Connection {
    /// The sync server (`ws://…` or `wss://…`), for a new share.
    pub server: String,
    pub token: String,
    /// The data folder (the local copies go under `shared/`).
    pub data_root: PathBuf,
}

/// An open shared situation: its connection, its local copy, and what was seen of it.
pub struct LiveShare {
    client: Client,
    handle: DocHandle,
    shared: SharedDoc,
    seen: Vec<ChangeHash>,
    info: ShareInfo,
    dir: PathBuf,
    exchange: Arc<Mutex<Exchange>>,
    watcher: tokio::task::JoinHandle<()>,
}

impl LiveShare {
    /// Publishes `situation` as a new shared document on the server (the items at or below
    /// `ceiling`), with a local copy. Returns the share; its link is [`LiveShare::link`].
    pub fn share(
        situation: &Situation,
        ceiling: Sensitivity,
        author: &str,
        connection: &Connection,
        wake: Arc<dyn Fn() + Send + Sync>,
    ) -> Result<LiveShare, LiveError> {
        let mut doc = Automerge::new();
        let now = Utc::now().timestamp_millis();
        let shared = SharedDoc::create(&mut doc, situation, ceiling, author, now)?;
        let store = shared_root(&connection.data_root).join("store");
        let client = Client::start(&connection.server, &connection.token, Some(&store))?;
        client.connected(CONNECT)?;
        let handle = client.create(doc)?;
        client.flushed(&handle, TRANSFER)?;
        let info = ShareInfo {
            link: net::share_link(&connection.server, &handle),
            title: situation.title.clone(),
            ceiling,
            opened: Utc::now(),
        };
        let dir = share_dir(&connection.data_root, &info.link)?;
        let live = LiveShare::start(client, handle, shared, info, dir, wake);
        live.save_about()?;
        live.save_private(&live.shared.private_part(situation))?;
        Ok(live)
    }

    /// Opens the shared situation of `link`: from the local copy when there is one (offline
    /// too), else from the server. Returns the share and the situation, with this officer's
    /// private items after the shared ones.
    pub fn open(
        link: &str,
        connection: &Connection,
        wake: Arc<dyn Fn() + Send + Sync>,
    ) -> Result<(LiveShare, Situation), LiveError> {
        let (server, id) = net::parse_link(link)?;
        let dir = share_dir(&connection.data_root, link)?;
        let store = shared_root(&connection.data_root).join("store");
        let client = Client::start(&server, &connection.token, Some(&store))?;
        let handle = match client.find(&id, Duration::from_millis(500)) {
            Ok(handle) => handle,
            Err(_) => {
                // Not in the local copy: it has to come from the server.
                client.connected(CONNECT)?;
                find_on_server(&client, &id)?
            }
        };
        let private = read_private(&dir)?;
        // One look at the document: the situation read and the heads it was read at agree
        // even while a colleague's change arrives.
        let (shared, situation, seen) = handle.with_document(|doc| {
            let mut shared = SharedDoc::open(doc)?;
            let situation = shared.situation(doc, private.as_ref())?;
            Ok::<_, SyncError>((shared, situation, doc.get_heads()))
        })?;
        let info = ShareInfo {
            link: net::share_link(&server, &handle),
            title: situation.title.clone(),
            ceiling: shared.ceiling(),
            opened: Utc::now(),
        };
        let mut live = LiveShare::start(client, handle, shared, info, dir, wake);
        live.seen = seen;
        live.save_about()?;
        Ok((live, situation))
    }

    /// Starts watching the document and the connection: `wake` is called when a colleague's
    /// change arrives or the connection changes.
    fn start(
        client: Client,
        handle: DocHandle,
        shared: SharedDoc,
        info: ShareInfo,
        dir: PathBuf,
        wake: Arc<dyn Fn() + Send + Sync>,
    ) -> LiveShare {
        let seen = handle.with_document(|doc| doc.get_heads());
        let exchange = Arc::new(Mutex::new(Exchange::default()));
        let watcher = client.spawn(watch(
            handle.clone(),
            client.dialer_events(),
            exchange.clone(),
            wake,
        ));
        LiveShare {
            client,
            handle,
            shared,
            seen,
            info,
            dir,
            exchange,
            watcher,
        }
    }

    /// The share link colleagues open.
    pub fn link(&self) -> &str {
        &self.info.link
    }

    /// What the share is.
    pub fn info(&self) -> &ShareInfo {
        &self.info
    }

    /// The most sensitive items the share holds.
    pub fn ceiling(&self) -> Sensitivity {
        self.shared.ceiling()
    }

    /// How many items stay on this machine only.
    pub fn private_count(&self) -> usize {
        self.shared.private_ids().len()
    }

    /// Writes what local edits `touched` into the shared document as one change, labelled
    /// and signed, made on the document as this officer last saw it. Items above the ceiling
    /// go to the private part of the local copy instead.
    pub fn write(
        &mut self,
        situation: &Situation,
        touched: &Touched,
        label: &str,
        author: &str,
    ) -> Result<(), LiveError> {
        if touched.is_empty() {
            return Ok(());
        }
        let now = Utc::now().timestamp_millis();
        let Self {
            handle,
            shared,
            seen,
            ..
        } = self;
        let written = handle.with_document(|doc| {
            shared.write_at(doc, seen, situation, touched, label, author, now)
        })?;
        if let Some(hash) = written {
            self.seen = vec![hash];
        }
        if self.touches_private(touched) {
            self.save_private(&self.shared.private_part(situation))?;
        }
        Ok(())
    }

    /// Whether an edit changed an item that stays on this machine (or made one).
    fn touches_private(&self, touched: &Touched) -> bool {
        let private = self.shared.private_ids();
        touched.all
            || touched.items.iter().any(|i| private.contains(&i.id))
            || touched
                .cells
                .iter()
                .any(|(l, p)| private.contains(l) || private.contains(p))
            || touched
                .renames
                .iter()
                .any(|(_, _, new)| private.contains(new))
    }

    /// Whether colleagues' changes arrived that the situation does not show yet.
    pub fn has_news(&self) -> bool {
        self.handle.with_document(|doc| doc.get_heads()) != self.seen
    }

    /// Reads colleagues' changes since the situation was last brought up to date into
    /// `situation` (the shared items as this copy last saw them, the private ones, and no
    /// local edit left unwritten). Returns what changed, or `None` when nothing did.
    pub fn take_remote(&mut self, situation: &mut Situation) -> Result<Option<Touched>, LiveError> {
        let Self {
            handle,
            shared,
            seen,
            ..
        } = self;
        let taken = handle.with_document(|doc| -> Result<_, SyncError> {
            let heads = doc.get_heads();
            if heads == *seen {
                return Ok(None);
            }
            let touched = shared.take_remote(doc, seen, situation)?;
            Ok(Some((touched, heads)))
        })?;
        let Some((touched, heads)) = taken else {
            return Ok(None);
        };
        self.seen = heads;
        if touched.meta && situation.title != self.info.title {
            self.info.title = situation.title.clone();
            self.save_about()?;
        }
        Ok(Some(touched))
    }

    /// The fields of `item` that a colleague changed at the same time as someone else, with
    /// the value that did not win.
    pub fn conflicts(&self, item: &ItemRef) -> Vec<FieldConflict> {
        self.handle
            .with_document(|doc| self.shared.conflicts(doc, item))
    }

    /// Reads the shared document as this copy has it (its history, older states).
    pub fn with_document<R>(&self, read: impl FnOnce(&Automerge) -> R) -> R {
        self.handle.with_document(|doc| read(doc))
    }

    /// The heads the situation was last brought up to date with (a key for caches).
    pub fn seen(&self) -> &[ChangeHash] {
        &self.seen
    }

    /// Online, offline or syncing, and when the server was last heard from.
    pub fn status(&self) -> SyncStatus {
        let heads = self.handle.with_document(|doc| doc.get_heads());
        let exchange = self.exchange.lock().map(|e| {
            let server_has_all = e.shared_heads.as_ref().is_some_and(|h| *h == heads);
            (e.last, server_has_all && heads == self.seen)
        });
        let (last_exchange, in_step) = exchange.unwrap_or((None, false));
        let failure = self.client.failure().map(|err| err.to_string());
        let state = if !self.client.is_connected() {
            LinkState::Offline
        } else if in_step {
            LinkState::Online
        } else {
            LinkState::Syncing
        };
        SyncStatus {
            state,
            last_exchange,
            failure,
        }
    }

    /// The sync server the share lives on.
    pub fn server(&self) -> &str {
        self.client.server()
    }

    /// The access token the share dials with.
    pub fn token(&self) -> &str {
        self.client.token()
    }

    /// Connects to the server again with `token`, after it refused the one in use or its
    /// certificate was not trusted (the machine's authorities are read again). Returns at
    /// once; [`LiveShare::status`] says how it goes. Edits made meanwhile are in the local
    /// copy and go to the server once it accepts.
    pub fn redial(&mut self, token: &str) -> Result<(), LiveError> {
        self.client.redial(token)?;
        Ok(())
    }

    /// Writes `share.json`.
    fn save_about(&self) -> Result<(), LiveError> {
        let bytes = serde_json::to_vec_pretty(&self.info).map_err(|e| self.local_error(e))?;
        std::fs::create_dir_all(&self.dir).map_err(|e| self.local_error(e))?;
        crate::io::write_atomically(&self.dir.join("share.json"), &bytes, false)
            .map_err(|e| self.local_error(e))
    }

    /// Writes the items kept off the share (`private.ron`).
    fn save_private(&self, private: &Situation) -> Result<(), LiveError> {
        let text = crate::io::to_ron(private).map_err(|e| self.local_error(e))?;
        std::fs::create_dir_all(&self.dir).map_err(|e| self.local_error(e))?;
        crate::io::write_atomically(&self.dir.join("private.ron"), text.as_bytes(), false)
            .map_err(|e| self.local_error(e))
    }

    fn local_error(&self, err: impl std::fmt::Display) -> LiveError {
        LiveError::Local(self.dir.clone(), err.to_string())
    }
}

impl Drop for LiveShare {
    fn drop(&mut self) {
        self.watcher.abort();
    }
}

/// The document `id` from the server. A server may answer that it has not got it yet (a
/// colleague's share still arriving, COLLAB.md pitfall 4): ask again until [`TRANSFER`] has
/// passed.
fn find_on_server(client: &Client, id: &samod::DocumentId) -> Result<DocHandle, NetError> {
    const AGAIN: Duration = Duration::from_millis(250);
    let start = std::time::Instant::now();
    loop {
        let left = TRANSFER.saturating_sub(start.elapsed());
        match client.find(id, left) {
            Ok(handle) => return Ok(handle),
            Err(_) if start.elapsed() + AGAIN < TRANSFER => std::thread::sleep(AGAIN),
            Err(err) => return Err(err),
        }
    }
}

/// The private items of a share's local copy, when it has any.
fn read_private(dir: &Path) -> Result<Option<Situation>, LiveError> {
    let path = dir.join("private.ron");
    if !path.exists() {
        return Ok(None);
    }
    crate::io::load_file(&path)
        .map(|loaded| Some(loaded.situation))
        .map_err(|d| LiveError::Local(dir.to_path_buf(), d.message))
}

/// What the watcher hears.
enum News {
    Changed,
    Peers(std::collections::HashMap<samod::ConnectionId, samod::PeerDocState>),
    /// The connection went up or down (the client keeps why it failed).
    Dialer,
}

/// Follows the document's changes, its peers' states and the connection, calling `wake` on
/// each, until the share is closed.
async fn watch(
    handle: DocHandle,
    dialer: impl futures::Stream<Item = samod::DialerEvent> + Unpin + Send + 'static,
    exchange: Arc<Mutex<Exchange>>,
    wake: Arc<dyn Fn() + Send + Sync>,
) {
    let changes = handle.changes().map(|_| News::Changed).boxed();
    let (initial, peers) = handle.peers();
    let peers = futures::stream::once(async move { initial })
        .chain(peers)
        .map(News::Peers)
        .boxed();
    let dialer = dialer.map(|_| News::Dialer).boxed();
    let mut news = futures::stream::select_all([changes, peers, dialer]);
    while let Some(item) = news.next().await {
        if let Ok(mut exchange) = exchange.lock() {
            match item {
                News::Changed | News::Dialer => {}
                News::Peers(states) => {
                    for state in states.values() {
                        let last = state.last_received.max(state.last_sent);
                        exchange.last = exchange.last.max(last);
                        exchange.shared_heads = state.shared_heads.clone();
                    }
                }
            }
        }
        wake();
    }
}
