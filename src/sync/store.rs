//! Where an officer's copy of the shared situations lives on disk: samod's file layout (the
//! one `automerge-repo-storage-nodefs` uses), but every file written whole or not at all.
//!
//! samod's own filesystem storage writes each chunk with a plain write: a process killed in
//! the middle leaves half a chunk behind. Here a chunk goes to a temporary file outside the
//! store, is flushed, then renamed into place; a reader sees the old state or the new one.
//! That folder of temporary files exists only while a chunk is being written.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use samod::storage::{Storage, StorageKey, TokioFilesystemStorage};

/// A store of shared documents in a folder of the data folder.
#[derive(Clone, Debug)]
pub struct SafeStore {
    reader: TokioFilesystemStorage,
    root: PathBuf,
    /// Where chunks are written before they are renamed into `root` (beside it, so that the
    /// rename stays on one file system and readers of `root` never see a partial file).
    incoming: PathBuf,
    counter: Arc<AtomicU64>,
    /// How many chunks are being written ([`Writing`]): the last one to end removes
    /// `incoming`. Held while `incoming` is made or removed, so that no write finds it gone.
    writing: Arc<Mutex<usize>>,
}

impl SafeStore {
    /// The store in `root`; temporary files go to `root` + `.incoming`, a folder there only
    /// while a chunk is being written. Temporary files a killed process left there are
    /// removed (the chunks they held are written again from the server or the other peers).
    pub fn new(root: &Path) -> Self {
        let mut incoming = root.as_os_str().to_owned();
        incoming.push(".incoming");
        clear_leftovers(Path::new(&incoming));
        Self {
            reader: TokioFilesystemStorage::new(root),
            root: root.to_path_buf(),
            incoming: PathBuf::from(incoming),
            counter: Arc::new(AtomicU64::new(0)),
            writing: Arc::new(Mutex::new(0)),
        }
    }

    /// The file a key is kept in: its first part splayed by its first two characters, as
    /// samod and the JavaScript reference do.
    fn path_of(&self, key: &StorageKey) -> PathBuf {
        let mut path = self.root.clone();
        for (index, part) in key.into_iter().enumerate() {
            if index == 0 {
                let head: String = part.chars().take(2).collect();
                let tail: String = part.chars().skip(2).collect();
                path.push(head);
                path.push(tail);
            } else {
                path.push(part);
            }
        }
        path
    }

    fn temporary(&self) -> PathBuf {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        self.incoming
            .join(format!("{}-{n}.chunk", std::process::id()))
    }

    /// Counts a chunk in and makes sure the folder of temporary files exists.
    fn begin_write(&self) -> (Writing, std::io::Result<()>) {
        let writing = Writing {
            incoming: self.incoming.clone(),
            count: self.writing.clone(),
        };
        let mut count = self.writing.lock().unwrap_or_else(|p| p.into_inner());
        *count += 1;
        (writing, std::fs::create_dir_all(&self.incoming))
    }
}

/// Removes the temporary files of processes no longer running from `incoming` (named
/// `PID-N.chunk`), then the folder if nothing else is in it.
fn clear_leftovers(incoming: &Path) {
    let Ok(entries) = std::fs::read_dir(incoming) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let pid = (name.to_str())
            .and_then(|n| n.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<u32>().ok());
        if pid.is_some_and(|pid| crate::io::lock::process_alive(pid) == Some(false)) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    let _ = std::fs::remove_dir(incoming);
}

/// A chunk being written. When the last one ends (written, failed or dropped unfinished), the
/// folder of temporary files is removed if it is empty (a temporary file that could not be
/// removed stays, and so does the folder).
struct Writing {
    incoming: PathBuf,
    count: Arc<Mutex<usize>>,
}

impl Drop for Writing {
    fn drop(&mut self) {
        let mut count = self.count.lock().unwrap_or_else(|p| p.into_inner());
        *count = count.saturating_sub(1);
        if *count == 0 {
            let _ = std::fs::remove_dir(&self.incoming);
        }
    }
}

/// Writes `data` to `temporary`, flushes it, and renames it to `path`.
async fn write_whole(temporary: &Path, path: &Path, data: &[u8]) -> std::io::Result<()> {
    use tokio::io::AsyncWriteExt;
    if let Some(parent) = path.parent() {
        tokio::fs::create_dir_all(parent).await?;
    }
    let mut file = tokio::fs::File::create(temporary).await?;
    file.write_all(data).await?;
    file.sync_all().await?;
    drop(file);
    tokio::fs::rename(temporary, path).await
}

impl Storage for SafeStore {
    fn load(&self, key: StorageKey) -> impl Future<Output = Option<Vec<u8>>> + Send {
        self.reader.load(key)
    }

    fn load_range(
        &self,
        prefix: StorageKey,
    ) -> impl Future<Output = HashMap<StorageKey, Vec<u8>>> + Send {
        self.reader.load_range(prefix)
    }

    fn put(&self, key: StorageKey, data: Vec<u8>) -> impl Future<Output = ()> + Send {
        let path = self.path_of(&key);
        let temporary = self.temporary();
        let (writing, ready) = self.begin_write();
        async move {
            let written = match ready {
                Ok(()) => write_whole(&temporary, &path, &data).await,
                Err(err) => Err(err),
            };
            if written.is_err() {
                // samod's storage has no way to report a failure: the chunk stays with the
                // server and the other peers, and is written again with the next compaction.
                let _ = tokio::fs::remove_file(&temporary).await;
            }
            drop(writing);
        }
    }

    fn delete(&self, key: StorageKey) -> impl Future<Output = ()> + Send {
        self.reader.delete(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn chunks_land_where_samod_reads_them_and_leave_no_temporary_behind() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("store");
        let store = SafeStore::new(&root);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let key = StorageKey::from_parts(["3Lk9abc", "incremental", "00ff"]).unwrap();
        runtime.block_on(store.put(key.clone(), b"chunk".to_vec()));
        assert_eq!(
            std::fs::read(root.join("3L/k9abc/incremental/00ff")).unwrap(),
            b"chunk"
        );
        let samod = TokioFilesystemStorage::new(&root);
        assert_eq!(
            runtime.block_on(samod.load(key.clone())),
            Some(b"chunk".to_vec())
        );
        let prefix = StorageKey::from_parts(["3Lk9abc"]).unwrap();
        assert_eq!(runtime.block_on(store.load_range(prefix)).len(), 1);
        assert!(
            !dir.path().join("store.incoming").exists(),
            "no folder of temporary files is left beside the store"
        );
    }

    /// A process killed while writing left its temporary file: the next store on that folder
    /// removes it, and the folder with it; a running process's file (this one's) stays.
    #[test]
    fn a_killed_processs_temporary_files_are_removed_at_start() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("store");
        let incoming = dir.path().join("store.incoming");
        std::fs::create_dir_all(&incoming).unwrap();
        let dead = incoming.join("4194303-7.chunk");
        if crate::io::lock::process_alive(4_194_303) != Some(false) {
            return; // this system cannot tell: nothing is removed, by design
        }
        std::fs::write(&dead, b"half a chunk").unwrap();
        SafeStore::new(&root);
        assert!(!dead.exists());
        assert!(!incoming.exists(), "the empty folder goes too");

        std::fs::create_dir_all(&incoming).unwrap();
        let own = incoming.join(format!("{}-0.chunk", std::process::id()));
        std::fs::write(&own, b"being written").unwrap();
        std::fs::write(&dead, b"half a chunk").unwrap();
        SafeStore::new(&root);
        assert!(own.exists(), "a running process's chunk is left alone");
        assert!(!dead.exists());
    }

    /// Chunks written at once, started a little apart so that one ends while another
    /// begins: each write finds the folder of temporary files there (none removes it under
    /// another's feet: a removal whenever a chunk is in place fails here), every chunk lands,
    /// and the folder goes with the last one.
    #[test]
    fn chunks_written_at_once_all_land_and_the_temporary_folder_goes_with_the_last() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("store");
        let store = SafeStore::new(&root);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(4)
            .enable_all()
            .build()
            .unwrap();
        let key = |n: usize| {
            StorageKey::from_parts(["3Lk9abc", "incremental", &format!("{n:04}")]).unwrap()
        };
        for round in 0..100 {
            let writes: Vec<_> = (0..8)
                .map(|n| {
                    let (store, key) = (store.clone(), key(n));
                    let data = format!("{round}-{n}").into_bytes();
                    // Started a little apart: one ends while another begins.
                    let later = Duration::from_micros(((n * 7 + round) % 8) as u64 * 250);
                    runtime.spawn(async move {
                        tokio::time::sleep(later).await;
                        store.put(key, data).await
                    })
                })
                .collect();
            for write in writes {
                runtime.block_on(write).unwrap();
            }
            for n in 0..8 {
                let got = runtime.block_on(store.load(key(n)));
                assert_eq!(got, Some(format!("{round}-{n}").into_bytes()), "chunk {n}");
            }
            assert!(!dir.path().join("store.incoming").exists(), "round {round}");
        }
    }
}
