//! Atomic file replacement: the target is always either the old or the new version, whole.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Why a save failed. The file on disk is unchanged.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("cannot save to {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write the situation: {0}")]
    Serialize(String),
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> SaveError + '_ {
    move |source| SaveError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The `.bak` path kept beside `path`: `guinea.ron` → `guinea.ron.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    path.with_file_name(name)
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, flushed to disk,
/// given the old file's permissions, then renamed over `path`. With `keep_backup`, the old
/// content is first copied (atomically too) to [`backup_path`].
pub fn write_atomically(path: &Path, bytes: &[u8], keep_backup: bool) -> Result<(), SaveError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let old_permissions = fs::metadata(path).ok().map(|m| m.permissions());
    if keep_backup && let Ok(old) = fs::read(path) {
        replace(&dir, &backup_path(path), &old, old_permissions.clone())?;
    }
    replace(&dir, path, bytes, old_permissions)
}

fn replace(
    dir: &Path,
    path: &Path,
    bytes: &[u8],
    permissions: Option<fs::Permissions>,
) -> Result<(), SaveError> {
    let mut temp = tempfile::Builder::new()
        .prefix(".tandem-save-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io_err(path))?;
    temp.write_all(bytes).map_err(io_err(path))?;
    temp.as_file().sync_all().map_err(io_err(path))?;
    if let Some(permissions) = permissions.or_else(default_permissions) {
        fs::set_permissions(temp.path(), permissions).map_err(io_err(path))?;
    }
    temp.persist(path).map_err(|e| SaveError::Io {
        path: path.to_path_buf(),
        source: e.error,
    })?;
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// New files are readable by everyone and writable by the owner, like any saved document.
#[cfg(unix)]
fn default_permissions() -> Option<fs::Permissions> {
    use std::os::unix::fs::PermissionsExt as _;
    Some(fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions() -> Option<fs::Permissions> {
    None
}

/// How long a colleague's save may take before its temporary file counts as abandoned.
pub const TEMPORARY_GRACE: std::time::Duration = std::time::Duration::from_secs(60);

/// Removes `.tandem-save-*.tmp` files a killed save left in `dir`, sparing those written in
/// the last [`TEMPORARY_GRACE`]: on a shared drive they may be a colleague's save in flight.
pub fn clean_stale_temporaries(dir: &Path) -> usize {
    clean_temporaries_older_than(dir, TEMPORARY_GRACE)
}

/// Removes `.tandem-save-*.tmp` files in `dir` last modified at least `min_age` ago.
pub fn clean_temporaries_older_than(dir: &Path, min_age: std::time::Duration) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let now = std::time::SystemTime::now();
    entries
        .flatten()
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with(".tandem-save-") && name.ends_with(".tmp")
        })
        .filter(|e| {
            min_age.is_zero()
                || e.metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|modified| now.duration_since(modified).ok())
                    .is_some_and(|age| age >= min_age)
        })
        .filter(|e| fs::remove_file(e.path()).is_ok())
        .count()
}
