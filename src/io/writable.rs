//! The one check that decides whether Tandem may write over a situation file: Save in the
//! app (a restored recovery copy too: it is saved like any document), `tandem upgrade`,
//! `tandem import --into`/`--out`, `tandem generate --out` and `tandem fetch --out` all ask it.

use std::path::Path;

use super::lock::{self, Liveness, LockGuard, LockOutcome};

/// Why Tandem will not write a file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WriteRefusal {
    /// The file or its folder cannot be written (permissions, a read-only drive).
    #[error("{0}")]
    ReadOnly(String),
    /// A colleague has it open in Tandem now.
    #[error("it is open in Tandem by {holder} {since}; try again once it is closed")]
    Locked { holder: String, since: String },
}

/// Whether Tandem may write over `path` now, holding `own` (the lock this session took when
/// it opened the file, if any).
///
/// Refused when the file or its folder is read-only, and when a lock file beside it names
/// someone else who is still at work (a stale lock, left by a session that died, does not
/// stop a write). A file that does not exist yet may be written when its folder may. This
/// only looks: it takes no lock (see [`claim_for_writing`] for a command that writes once).
pub fn check_writable(path: &Path, own: Option<&LockGuard>) -> Result<(), WriteRefusal> {
    if let Some(reason) = lock::read_only_reason(path) {
        return Err(WriteRefusal::ReadOnly(reason));
    }
    if own.is_some_and(LockGuard::still_ours) {
        return Ok(());
    }
    match lock::current_holder(path) {
        Some((info, Liveness::Live)) => Err(WriteRefusal::Locked {
            holder: info.holder(),
            since: info.since_text(),
        }),
        Some((_, Liveness::Stale(_))) | None => Ok(()),
    }
}

/// For a command that writes a file once (`upgrade`, `import --into`, `generate`, `fetch`): the same decision as
/// [`check_writable`], and the lock taken for the time of the write when it is free. Keep the
/// guard until the file is written; `None` when a stale lock was left in place.
pub fn claim_for_writing(path: &Path) -> Result<Option<LockGuard>, WriteRefusal> {
    if let Some(reason) = lock::read_only_reason(path) {
        return Err(WriteRefusal::ReadOnly(reason));
    }
    match lock::acquire(path) {
        LockOutcome::Acquired(guard) => Ok(Some(guard)),
        LockOutcome::HeldBy(_, Liveness::Stale(_)) => Ok(None),
        LockOutcome::HeldBy(info, Liveness::Live) => Err(WriteRefusal::Locked {
            holder: info.holder(),
            since: info.since_text(),
        }),
        LockOutcome::ReadOnlyLocation(reason) => Err(WriteRefusal::ReadOnly(reason)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stale_lock_does_not_stop_a_write_and_a_missing_file_may_be_created() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("guinea.ron");
        assert_eq!(
            check_writable(&path, None),
            Ok(()),
            "a new file in a writable folder"
        );
        let mut dead = lock::LockInfo::current();
        dead.pid = Some(4_000_000);
        std::fs::write(lock::lock_path(&path), dead.to_line()).unwrap();
        assert_eq!(check_writable(&path, None), Ok(()));
        assert!(
            matches!(claim_for_writing(&path), Ok(None)),
            "the stale lock is left"
        );
    }
}
