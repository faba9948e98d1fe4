//! Crash recovery: while there are unsaved changes, a copy of the situation in the per-user data
//! folder, offered back at the next start if the session that wrote it died.
//!
//! A recovery copy is an ordinary situation file whose first line is a `//` comment holding its
//! metadata as JSON, so it can also be opened by hand.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Local, Utc};
use serde::{Deserialize, Serialize};

use super::lock::{host_name, process_alive, process_start_ticks};
use super::{Loaded, SaveError, parse_bytes, read_capped, to_ron, write_atomically};
use crate::model::{Diagnostic, Situation};

/// Environment variable that moves Tandem's data folder (tests, portable installs).
pub const DATA_DIR_ENV: &str = "TANDEM_DATA_DIR";

const HEADER: &str = "// tandem-recovery ";
const SUFFIX: &str = ".recovery.ron";

/// Tandem's per-user data folder: `$TANDEM_DATA_DIR`, else e.g. `~/.local/share/tandem`.
pub fn data_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "tandem").map(|d| d.data_dir().to_path_buf())
}

/// The folder kept for `file` under `root/kind` (marks, history), named by a hash of the
/// file's absolute path, and that absolute path. A file moved or renamed gets another folder.
pub fn per_file_dir(root: &Path, kind: &str, file: &Path) -> (PathBuf, PathBuf) {
    let file = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    let hash = super::content_hash(file.to_string_lossy().as_bytes());
    let key: String = hash.iter().take(12).map(|b| format!("{b:02x}")).collect();
    (root.join(kind).join(key), file)
}

/// The folder recovery copies live in.
pub fn recovery_dir() -> Option<PathBuf> {
    data_dir().map(|d| d.join("recovery"))
}

/// What a recovery copy says about itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryMeta {
    /// The file the situation was opened from, if it had one.
    pub original: Option<PathBuf>,
    /// The name shown for an untitled situation.
    pub untitled_name: Option<String>,
    pub written: DateTime<Utc>,
    pub pid: u32,
    /// When the writing process started (Linux clock ticks), to tell a reused pid apart.
    #[serde(default)]
    pub pid_start: Option<u64>,
    pub host: String,
}

/// A recovery copy found on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecoveryEntry {
    /// The recovery file itself.
    pub path: PathBuf,
    pub meta: RecoveryMeta,
}

impl RecoveryEntry {
    /// The name to show: the original file's name, or the untitled name.
    pub fn display_name(&self) -> String {
        self.meta
            .original
            .as_deref()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .or_else(|| self.meta.untitled_name.clone())
            .unwrap_or_else(|| "Untitled".into())
    }

    /// When it was written, in local time: "22 Nov 2026 10:04".
    pub fn written_text(&self) -> String {
        self.meta
            .written
            .with_timezone(&Local)
            .format("%-d %b %Y %H:%M")
            .to_string()
    }

    /// Whether the session that wrote it is gone (and so will never save or delete it).
    pub fn is_orphaned(&self) -> bool {
        let meta = &self.meta;
        if meta.host != host_name() {
            // Another computer sharing this home folder: only trust age.
            return (Utc::now() - meta.written).num_hours() >= 24;
        }
        match process_alive(meta.pid) {
            Some(false) => true,
            Some(true) => match (meta.pid_start, process_start_ticks(meta.pid)) {
                (Some(then), Some(now)) => then != now,
                _ => false,
            },
            None => false,
        }
    }
}

/// A restored situation and where it came from.
#[derive(Debug)]
pub struct Restored {
    pub loaded: Loaded,
    pub meta: RecoveryMeta,
}

/// Why a recovery copy could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum RecoveryError {
    #[error("Tandem has no data folder on this system (set {DATA_DIR_ENV})")]
    NoDataDir,
    #[error("cannot use the recovery folder {path}: {source}")]
    Folder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Save(#[from] SaveError),
}

/// This session's recovery copies: writes one for the open situation, lists those of dead
/// sessions, restores and discards.
#[derive(Debug)]
pub struct RecoveryStore {
    dir: PathBuf,
    own: PathBuf,
    /// A copy being written on a background thread.
    pending: Option<std::thread::JoinHandle<Result<(), RecoveryError>>>,
}

impl RecoveryStore {
    /// The store in [`recovery_dir`], created if missing.
    pub fn open_default() -> Result<Self, RecoveryError> {
        Self::in_dir(recovery_dir().ok_or(RecoveryError::NoDataDir)?)
    }

    /// A store in `dir`, created if missing. Stale temporaries of killed writes are removed.
    pub fn in_dir(dir: impl Into<PathBuf>) -> Result<Self, RecoveryError> {
        let dir = dir.into();
        fs::create_dir_all(&dir).map_err(|source| RecoveryError::Folder {
            path: dir.clone(),
            source,
        })?;
        super::clean_stale_temporaries(&dir);
        let pid = std::process::id();
        let started = Utc::now().timestamp_millis();
        let own = dir.join(format!("session-{pid}-{started}{SUFFIX}"));
        Ok(Self {
            dir,
            own,
            pending: None,
        })
    }

    /// The folder of the store.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file this session writes its copy to.
    pub fn own_path(&self) -> &Path {
        &self.own
    }

    /// Writes (atomically) the recovery copy of the open situation, replacing the previous one.
    pub fn write(
        &self,
        original: Option<&Path>,
        untitled_name: &str,
        situation: &Situation,
    ) -> Result<(), RecoveryError> {
        let text = Self::copy_text(original, untitled_name, situation)?;
        write_atomically(&self.own, text.as_bytes(), false)?;
        Ok(())
    }

    /// Like [`RecoveryStore::write`], but only a copy of the situation is taken here: writing
    /// the text and flushing it to disk (slow on network drives) run on a background thread,
    /// so that a large situation does not stall the window every few seconds.
    /// [`RecoveryStore::finished`] reports the outcome.
    /// `done` is called on the background thread once the copy is written (or failed).
    pub fn write_in_background(
        &mut self,
        original: Option<&Path>,
        untitled_name: &str,
        situation: &Situation,
        done: impl FnOnce() + Send + 'static,
    ) {
        let _ = self.wait();
        let original = original.map(Path::to_path_buf);
        let untitled_name = untitled_name.to_owned();
        let situation = situation.clone();
        let own = self.own.clone();
        self.pending = Some(std::thread::spawn(move || {
            let written = Self::copy_text(original.as_deref(), &untitled_name, &situation)
                .and_then(|text| Ok(write_atomically(&own, text.as_bytes(), false)?));
            done();
            written
        }));
    }

    /// The outcome of the background write, once it is done.
    pub fn finished(&mut self) -> Option<Result<(), RecoveryError>> {
        if !self.pending.as_ref()?.is_finished() {
            return None;
        }
        self.wait()
    }

    /// Waits for the background write, if any, and returns its outcome.
    fn wait(&mut self) -> Option<Result<(), RecoveryError>> {
        let handle = self.pending.take()?;
        Some(handle.join().unwrap_or_else(|_| {
            Err(RecoveryError::Save(SaveError::Serialize(
                "the recovery writer stopped unexpectedly".into(),
            )))
        }))
    }

    fn copy_text(
        original: Option<&Path>,
        untitled_name: &str,
        situation: &Situation,
    ) -> Result<String, RecoveryError> {
        let pid = std::process::id();
        let meta = RecoveryMeta {
            original: original.map(absolute),
            untitled_name: original.is_none().then(|| untitled_name.to_owned()),
            written: Utc::now(),
            pid,
            pid_start: process_start_ticks(pid),
            host: host_name(),
        };
        let header =
            serde_json::to_string(&meta).map_err(|err| SaveError::Serialize(err.to_string()))?;
        Ok(format!("{HEADER}{header}\n{}", to_ron(situation)?))
    }

    /// Removes this session's copy: after a clean save, or when the situation is closed.
    /// A copy still being written is waited for first, so that it cannot land afterwards.
    pub fn clear(&mut self) {
        let _ = self.wait();
        let _ = fs::remove_file(&self.own);
    }

    /// Every recovery copy in the folder, newest first.
    pub fn entries(&self) -> Vec<RecoveryEntry> {
        let Ok(read) = fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut entries: Vec<RecoveryEntry> = read
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.to_string_lossy().ends_with(SUFFIX))
            .map(|path| {
                let meta = read_meta(&path).unwrap_or_else(|| unreadable_meta(&path));
                RecoveryEntry { path, meta }
            })
            .collect();
        entries.sort_by_key(|e| std::cmp::Reverse(e.meta.written));
        entries
    }

    /// The copies left by sessions that are no longer running: what to offer at start.
    pub fn orphans(&self) -> Vec<RecoveryEntry> {
        self.entries()
            .into_iter()
            .filter(|e| e.path != self.own && e.is_orphaned())
            .collect()
    }

    #[allow(clippy::result_large_err)]
    /// Reads a recovery copy and makes it this session's own (so a clean save or close removes
    /// it, and a new crash leaves it to be offered again). The app must mark it unsaved.
    pub fn restore(&self, entry: &RecoveryEntry) -> Result<Restored, Diagnostic> {
        let bytes = read_capped(&entry.path)?;
        let loaded = parse_bytes(&bytes).map_err(|d| Diagnostic {
            message: format!("the recovery copy cannot be read: {}", d.message),
            ..d
        })?;
        if entry.path != self.own {
            let _ = fs::rename(&entry.path, &self.own);
        }
        Ok(Restored {
            loaded,
            meta: entry.meta.clone(),
        })
    }

    /// Deletes a recovery copy the user does not want.
    pub fn discard(&self, entry: &RecoveryEntry) -> std::io::Result<()> {
        match fs::remove_file(&entry.path) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(err),
            _ => Ok(()),
        }
    }
}

impl Drop for RecoveryStore {
    /// A session that ends normally leaves no copy (the app has asked about unsaved changes);
    /// one that panics keeps it, to be offered at the next start.
    fn drop(&mut self) {
        if std::thread::panicking() {
            let _ = self.wait();
        } else {
            self.clear();
        }
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

fn read_meta(path: &Path) -> Option<RecoveryMeta> {
    use std::io::{BufRead as _, BufReader, Read as _};
    let file = fs::File::open(path).ok()?;
    let mut line = String::new();
    BufReader::new(file.take(64 * 1024))
        .read_line(&mut line)
        .ok()?;
    serde_json::from_str(line.strip_prefix(HEADER)?.trim()).ok()
}

/// What is said of a copy whose header is damaged: it is offered under its file name, dated by
/// the file, so the user can still restore or discard it.
fn unreadable_meta(path: &Path) -> RecoveryMeta {
    let written = fs::metadata(path)
        .and_then(|m| m.modified())
        .map(DateTime::<Utc>::from)
        .unwrap_or_else(|_| Utc::now());
    RecoveryMeta {
        original: None,
        untitled_name: Some(format!(
            "{} (damaged recovery copy)",
            path.file_name().unwrap_or_default().to_string_lossy()
        )),
        written,
        pid: 0,
        pid_start: None,
        host: host_name(),
    }
}

/// When to write a recovery copy: `delay` seconds after the last edit while there are unsaved
/// changes, and at least every `max_wait` seconds during a long stretch of editing. Pure logic:
/// the app calls [`RecoveryTimer::tick`] each frame with the revision and a clock.
#[derive(Clone, Debug)]
pub struct RecoveryTimer {
    delay_secs: f64,
    max_wait_secs: f64,
    seen_revision: Option<u64>,
    last_change: f64,
    first_unwritten: Option<f64>,
    written_revision: Option<u64>,
}

impl Default for RecoveryTimer {
    fn default() -> Self {
        Self::new(5.0, 60.0)
    }
}

impl RecoveryTimer {
    pub fn new(delay_secs: f64, max_wait_secs: f64) -> Self {
        Self {
            delay_secs,
            max_wait_secs,
            seen_revision: None,
            last_change: 0.0,
            first_unwritten: None,
            written_revision: None,
        }
    }

    /// True when a recovery copy should be written now; it then counts as written for this
    /// revision (a failed write is retried after the next edit).
    pub fn tick(&mut self, revision: u64, dirty: bool, now_secs: f64) -> bool {
        if self.seen_revision != Some(revision) {
            self.seen_revision = Some(revision);
            self.last_change = now_secs;
        }
        if !dirty {
            self.first_unwritten = None;
            self.written_revision = None;
            return false;
        }
        if self.written_revision == Some(revision) {
            return false;
        }
        let first = *self.first_unwritten.get_or_insert(self.last_change);
        let due = now_secs - self.last_change >= self.delay_secs
            || now_secs - first >= self.max_wait_secs;
        if due {
            self.written_revision = Some(revision);
            self.first_unwritten = None;
        }
        due
    }

    /// Seconds until the next write is due (for `request_repaint_after`), `None` when none is.
    pub fn due_in(&self, revision: u64, dirty: bool, now_secs: f64) -> Option<f64> {
        if !dirty || self.written_revision == Some(revision) {
            return None;
        }
        let by_delay = self.last_change + self.delay_secs - now_secs;
        let by_wait = self
            .first_unwritten
            .map_or(f64::INFINITY, |f| f + self.max_wait_secs - now_secs);
        Some(by_delay.min(by_wait).max(0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timer_waits_for_a_pause_then_writes_once() {
        let mut t = RecoveryTimer::new(5.0, 60.0);
        assert!(!t.tick(0, false, 0.0));
        assert!(!t.tick(1, true, 1.0));
        assert!(!t.tick(1, true, 5.9));
        assert!(!t.tick(2, true, 6.0));
        assert!(!t.tick(2, true, 10.9));
        assert!(t.tick(2, true, 11.0));
        assert!(!t.tick(2, true, 30.0), "already written for this revision");
        assert!(!t.tick(3, true, 31.0));
        assert!(t.tick(3, true, 36.0));
        // A clean save: nothing to write, even much later.
        assert!(!t.tick(3, false, 40.0));
        assert!(!t.tick(3, false, 400.0));
    }

    #[test]
    fn timer_writes_during_long_editing_stretches() {
        let mut t = RecoveryTimer::new(5.0, 60.0);
        let mut writes = Vec::new();
        for step in 0..200u64 {
            let now = step as f64; // one edit a second, never a pause
            if t.tick(step + 1, true, now) {
                writes.push(now);
            }
        }
        assert_eq!(writes, vec![60.0, 121.0, 182.0]);
    }

    #[test]
    fn timer_due_in_counts_down() {
        let mut t = RecoveryTimer::new(5.0, 60.0);
        t.tick(1, true, 10.0);
        assert_eq!(t.due_in(1, true, 12.0), Some(3.0));
        assert_eq!(t.due_in(1, false, 12.0), None);
        assert!(t.tick(1, true, 15.0));
        assert_eq!(t.due_in(1, true, 16.0), None);
    }

    #[test]
    fn write_list_restore_discard_in_one_session() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = RecoveryStore::in_dir(dir.path()).unwrap();
        let mut situation = crate::io::parse_situation(crate::samples::BLANK)
            .unwrap()
            .situation;
        situation.title = "Edited".into();
        store.write(None, "Untitled 2", &situation).unwrap();
        let entries = store.entries();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].display_name(), "Untitled 2");
        assert!(!entries[0].is_orphaned(), "this process is alive");
        assert!(store.orphans().is_empty());
        let restored = store.restore(&entries[0]).unwrap();
        assert_eq!(restored.loaded.situation.title, "Edited");
        store.clear();
        assert!(store.entries().is_empty());
    }

    #[test]
    fn a_background_write_lands_whole_and_a_clear_waits_for_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = RecoveryStore::in_dir(dir.path()).unwrap();
        let mut situation = crate::generate::generate(3, 1);
        situation.title = "Written in the background".into();
        store.write_in_background(None, "Untitled", &situation, || {});
        let outcome = loop {
            if let Some(outcome) = store.finished() {
                break outcome;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        };
        assert!(outcome.is_ok());
        assert!(store.finished().is_none(), "reported once");
        let entries = store.entries();
        let restored = store.restore(&entries[0]).unwrap();
        assert_eq!(restored.loaded.situation, situation);

        // A clear right after starting a write must not let the write land afterwards.
        store.write_in_background(None, "Untitled", &situation, || {});
        store.clear();
        std::thread::sleep(std::time::Duration::from_millis(50));
        assert!(store.entries().is_empty());
    }

    #[test]
    fn damaged_copies_are_still_listed() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("session-1-2.recovery.ron"), "garbage").unwrap();
        let store = RecoveryStore::in_dir(dir.path()).unwrap();
        let orphans = store.orphans();
        assert_eq!(orphans.len(), 1);
        assert!(orphans[0].display_name().contains("damaged"));
        assert!(store.restore(&orphans[0]).is_err());
        store.discard(&orphans[0]).unwrap();
        assert!(store.entries().is_empty());
    }
}
