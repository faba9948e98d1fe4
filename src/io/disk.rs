//! Noticing that the file changed on disk while it was open: a hash of its bytes remembered at
//! open and save, and a debounced watch on its folder.

use std::ffi::OsString;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant, SystemTime};

use notify::Watcher as _;

use super::{MAX_FILE_BYTES, content_hash};

/// How long the folder must be quiet after a change before the app is told.
pub const DEBOUNCE: Duration = Duration::from_millis(500);

/// What Tandem knows of a file as it was when opened or last saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiskState {
    /// SHA-256 of the bytes: the only thing trusted to tell a change.
    pub hash: [u8; 32],
    pub len: u64,
    pub mtime: Option<SystemTime>,
}

/// What [`check`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiskChange {
    Unchanged,
    /// Someone else wrote the file since Tandem opened or saved it.
    Modified,
    /// The file is gone (deleted, moved or renamed).
    Deleted,
    /// The file is there but cannot be read now (permissions, network drive); the message says why.
    Unreadable(String),
}

impl DiskState {
    /// The state of a file whose bytes were just read or written; the mtime is read from disk.
    pub fn of_bytes(path: &Path, bytes: &[u8]) -> Self {
        Self {
            hash: content_hash(bytes),
            len: bytes.len() as u64,
            mtime: std::fs::metadata(path).and_then(|m| m.modified()).ok(),
        }
    }

    /// Reads the file and remembers its state.
    pub fn read(path: &Path) -> std::io::Result<Self> {
        let bytes = read_limited(path)?;
        Ok(Self::of_bytes(path, &bytes))
    }

    /// Compares the file on disk with this state, by the hash of its bytes.
    pub fn check(&self, path: &Path) -> DiskChange {
        check(path, self)
    }
}

fn read_limited(path: &Path) -> std::io::Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Compares the file at `path` with what was remembered. Size and modification time are not
/// trusted: a change that keeps both is still found, because the bytes are hashed.
pub fn check(path: &Path, known: &DiskState) -> DiskChange {
    match read_limited(path) {
        Ok(bytes) if bytes.len() as u64 == known.len && content_hash(&bytes) == known.hash => {
            DiskChange::Unchanged
        }
        Ok(_) => DiskChange::Modified,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => DiskChange::Deleted,
        Err(err) => DiskChange::Unreadable(err.to_string()),
    }
}

fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Call right after opening `path` from `bytes`: removes temporaries a killed save left in its
/// folder and returns the state to remember.
pub fn after_open(path: &Path, bytes: &[u8]) -> DiskState {
    super::clean_stale_temporaries(&folder_of(path));
    DiskState::of_bytes(path, bytes)
}

/// Call just before saving over `path`: removes temporaries a killed save left in its folder,
/// then says whether the file is still what Tandem last read or wrote. Anything but
/// `Unchanged` (or `Deleted`, when saving again is what the user wants) means: show the banner
/// instead of saving. With no known state (a new file, Save As), there is nothing to compare.
pub fn before_save(path: &Path, known: Option<&DiskState>) -> DiskChange {
    super::clean_stale_temporaries(&folder_of(path));
    known.map_or(DiskChange::Unchanged, |k| check(path, k))
}

/// Watches the folder of one file (others' atomic saves replace the file, so watching the file
/// itself would lose track) and says, debounced, when something happened to it.
///
/// It only hints: when [`DiskWatcher::poll`] says so, call [`check`] — the app's own saves wake
/// the watcher too, and come back `Unchanged` once the new state is remembered.
pub struct DiskWatcher {
    _watcher: notify::RecommendedWatcher,
    events: Receiver<Instant>,
    last_event: Option<Instant>,
    file: PathBuf,
}

impl std::fmt::Debug for DiskWatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DiskWatcher")
            .field("file", &self.file)
            .finish_non_exhaustive()
    }
}

impl DiskWatcher {
    /// Starts watching the folder of `path`. `wake` is called from the watcher's thread on each
    /// relevant event (the app passes `move || ctx.request_repaint_after(DEBOUNCE)`), so that the
    /// app polls even when idle.
    pub fn new(path: &Path, wake: impl Fn() + Send + 'static) -> notify::Result<Self> {
        let folder = folder_of(path);
        let name: OsString = path.file_name().unwrap_or_default().to_os_string();
        let (tx, events) = channel();
        let wanted = name.clone();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                let Ok(event) = event else { return };
                if event.kind.is_access() {
                    return;
                }
                let ours = event
                    .paths
                    .iter()
                    .any(|p| p.file_name() == Some(wanted.as_os_str()));
                if ours && tx.send(Instant::now()).is_ok() {
                    wake();
                }
            })?;
        watcher.watch(&folder, notify::RecursiveMode::NonRecursive)?;
        Ok(Self {
            _watcher: watcher,
            events,
            last_event: None,
            file: folder.join(name),
        })
    }

    /// The file watched.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Called each frame; never blocks. True once the file was touched and the folder has then
    /// been quiet for [`DEBOUNCE`].
    pub fn poll(&mut self) -> bool {
        self.poll_at(Instant::now())
    }

    /// [`DiskWatcher::poll`] with the clock given.
    pub fn poll_at(&mut self, now: Instant) -> bool {
        while let Ok(at) = self.events.try_recv() {
            self.last_event = Some(self.last_event.map_or(at, |l| l.max(at)));
        }
        match self.last_event {
            Some(at) if now.saturating_duration_since(at) >= DEBOUNCE => {
                self.last_event = None;
                true
            }
            _ => false,
        }
    }

    /// Time left before a pending change is reported, for `request_repaint_after`.
    pub fn due_in(&self, now: Instant) -> Option<Duration> {
        self.last_event
            .map(|at| DEBOUNCE.saturating_sub(now.saturating_duration_since(at)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unchanged_modified_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.ron");
        std::fs::write(&path, b"(schema: 1)").unwrap();
        let state = DiskState::read(&path).unwrap();
        assert_eq!(state.len, 11);
        assert_eq!(check(&path, &state), DiskChange::Unchanged);
        std::fs::write(&path, b"(schema: 2)").unwrap();
        assert_eq!(check(&path, &state), DiskChange::Modified);
        std::fs::write(&path, b"(schema: 1) ").unwrap();
        assert_eq!(check(&path, &state), DiskChange::Modified);
        std::fs::remove_file(&path).unwrap();
        assert_eq!(check(&path, &state), DiskChange::Deleted);
    }

    #[test]
    fn open_and_save_clean_killed_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.ron");
        let stale = dir.path().join(".tandem-save-abc.tmp");
        let write_old = || {
            std::fs::write(&stale, b"half").unwrap();
            let two_minutes_ago =
                std::time::SystemTime::now() - std::time::Duration::from_secs(120);
            std::fs::File::options()
                .write(true)
                .open(&stale)
                .unwrap()
                .set_modified(two_minutes_ago)
                .unwrap();
        };
        write_old();
        let state = after_open(&path, b"(schema: 1)");
        assert!(!stale.exists());
        write_old();
        assert_eq!(before_save(&path, None), DiskChange::Unchanged);
        assert!(!stale.exists());
        assert_eq!(before_save(&path, Some(&state)), DiskChange::Deleted);
        let in_flight = dir.path().join(".tandem-save-def.tmp");
        std::fs::write(&in_flight, b"a colleague's save").unwrap();
        after_open(&path, b"(schema: 1)");
        assert!(in_flight.exists(), "a save in flight is spared");
    }
}
