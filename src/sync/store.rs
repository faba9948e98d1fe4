//! Where an officer's copy of the shared situations lives on disk: samod's file layout (the
//! one `automerge-repo-storage-nodefs` uses), but every file written whole or not at all.
//!
//! samod's own filesystem storage writes each chunk with a plain write: a process killed in
//! the middle leaves half a chunk behind. Here a chunk goes to a temporary file outside the
//! store, is flushed, then renamed into place; a reader sees the old state or the new one.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

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
}

impl SafeStore {
    /// The store in `root`; temporary files go to `root` + `.incoming`.
    pub fn new(root: &Path) -> Self {
        let mut incoming = root.as_os_str().to_owned();
        incoming.push(".incoming");
        Self {
            reader: TokioFilesystemStorage::new(root),
            root: root.to_path_buf(),
            incoming: PathBuf::from(incoming),
            counter: Arc::new(AtomicU64::new(0)),
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
}

/// Writes `data` to `temporary`, flushes it, and renames it to `path`.
async fn write_whole(temporary: &Path, path: &Path, data: &[u8]) -> std::io::Result<()> {
    use tokio::io::AsyncWriteExt;
    if let Some(parent) = temporary.parent() {
        tokio::fs::create_dir_all(parent).await?;
    }
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
        async move {
            if write_whole(&temporary, &path, &data).await.is_err() {
                // samod's storage has no way to report a failure: the chunk stays with the
                // server and the other peers, and is written again with the next compaction.
                let _ = tokio::fs::remove_file(&temporary).await;
            }
        }
    }

    fn delete(&self, key: StorageKey) -> impl Future<Output = ()> + Send {
        self.reader.delete(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let incoming = dir.path().join("store.incoming");
        assert_eq!(std::fs::read_dir(incoming).unwrap().count(), 0);
    }
}
