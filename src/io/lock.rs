//! Shared-folder locks: a LibreOffice-style `.~lock.NAME#` file beside the situation, so two
//! desk officers do not overwrite each other's work.
//!
//! The lock holds one line, `,USER,HOST,TIME,PID;`. It is advice, not enforcement: a colleague
//! who ignores it can still write the file, which is why the app also watches the file's hash.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Local, NaiveDateTime, TimeZone as _};

/// A lock older than this is stale whoever holds it.
pub const STALE_AFTER_HOURS: i64 = 24;

/// Who holds a lock, as read from the lock file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LockInfo {
    /// The officer's name as they gave it in Tandem (the lock file's first field, where
    /// LibreOffice also writes a full name); empty when not given.
    pub name: String,
    pub user: String,
    pub host: String,
    /// When the lock was taken, when the file says so.
    pub since: Option<DateTime<FixedOffset>>,
    pub pid: Option<u32>,
}

impl LockInfo {
    /// A lock for this process, now, for the account (no name given).
    pub fn current() -> Self {
        Self::for_officer("")
    }

    /// A lock for this process, now, naming the officer.
    pub fn for_officer(name: &str) -> Self {
        Self {
            name: name.trim().to_owned(),
            user: user_name(),
            host: host_name(),
            since: Some(Local::now().fixed_offset()),
            pid: Some(std::process::id()),
        }
    }

    /// The lock file's line: `,USER,HOST,2026-11-22T10:00:00+01:00,PID;`.
    pub fn to_line(&self) -> String {
        let clean = |s: &str| s.replace([',', ';', '\n', '\r'], " ");
        let since = self
            .since
            .map(|t| t.format("%Y-%m-%dT%H:%M:%S%:z").to_string())
            .unwrap_or_default();
        let pid = self.pid.map(|p| p.to_string()).unwrap_or_default();
        format!(
            "{},{},{},{since},{pid};\n",
            clean(&self.name),
            clean(&self.user),
            clean(&self.host)
        )
    }

    /// Reads a lock line; tolerant of LibreOffice's own lock files. `None` when it names nobody.
    pub fn parse(text: &str) -> Option<Self> {
        let line = text.lines().next()?.trim().trim_end_matches(';');
        let mut fields = line.split(',');
        let name = fields.next()?.trim().to_owned();
        let user = fields.next()?.trim().to_owned();
        let host = fields.next().unwrap_or_default().trim().to_owned();
        let since = fields.next().and_then(parse_time);
        let pid = fields.next().and_then(|p| p.trim().parse().ok());
        if name.is_empty() && user.is_empty() && host.is_empty() {
            return None;
        }
        Some(Self {
            name,
            user,
            host,
            since,
            pid,
        })
    }

    /// Who holds the lock, in words for banners: the officer's name when given, else the
    /// account, and the computer: "Marie Diallo on vm"; with neither a name nor an account,
    /// "an officer who gave no name, on computer vm".
    pub fn holder(&self) -> String {
        let known = |s: &str| !s.is_empty() && s != "unknown";
        let host = known(&self.host).then_some(self.host.as_str());
        let who = [self.name.as_str(), self.user.as_str()]
            .into_iter()
            .find(|s| known(s));
        match (who, host) {
            (Some(who), Some(host)) => format!("{who} on {host}"),
            (Some(who), None) => who.to_owned(),
            (None, Some(host)) => format!("an officer who gave no name, on computer {host}"),
            (None, None) => "an officer who gave no name".to_owned(),
        }
    }

    /// "since 22 Nov 2026 10:00" in local time, or empty when unknown.
    pub fn since_text(&self) -> String {
        self.since
            .map(|t| {
                t.with_timezone(&Local)
                    .format("since %-d %b %Y %H:%M")
                    .to_string()
            })
            .unwrap_or_default()
    }

    /// Why this lock is stale, or `None` while its holder may still be working.
    pub fn stale_reason(&self, now: DateTime<FixedOffset>) -> Option<String> {
        if self.host == host_name()
            && let Some(pid) = self.pid
            && process_alive(pid) == Some(false)
        {
            return Some(format!(
                "the Tandem that took it (process {pid} on this computer) is no longer running"
            ));
        }
        match self.since {
            Some(since) if (now - since).num_hours() >= STALE_AFTER_HOURS => Some(format!(
                "it was taken more than {STALE_AFTER_HOURS} hours ago"
            )),
            _ => None,
        }
    }
}

fn parse_time(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    DateTime::parse_from_rfc3339(text).ok().or_else(|| {
        ["%Y-%m-%dT%H:%M:%S", "%d.%m.%Y %H:%M"]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
            .and_then(|naive| Local.from_local_datetime(&naive).earliest())
            .map(|t| t.fixed_offset())
    })
}

/// Whether a lock's holder may still be at work.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Liveness {
    Live,
    /// Left behind; may be taken over. The reason is for the banner.
    Stale(String),
}

impl Liveness {
    pub fn is_stale(&self) -> bool {
        matches!(self, Liveness::Stale(_))
    }
}

/// What [`acquire`] found.
#[derive(Debug)]
pub enum LockOutcome {
    /// The file is ours to edit; dropping the guard releases it.
    Acquired(LockGuard),
    /// Someone else holds it: open read-only (or offer take-over when stale).
    HeldBy(LockInfo, Liveness),
    /// The file or its folder cannot be written: open read-only, without a lock. The reason is
    /// for the banner.
    ReadOnlyLocation(String),
}

/// `folder/guinea.ron` → `folder/.~lock.guinea.ron#`.
pub fn lock_path(path: &Path) -> PathBuf {
    let mut name = std::ffi::OsString::from(".~lock.");
    name.push(path.file_name().unwrap_or_default());
    name.push("#");
    path.with_file_name(name)
}

fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Why `path` cannot be edited in place, judged from permissions, when it cannot.
pub fn read_only_reason(path: &Path) -> Option<String> {
    if let Ok(meta) = fs::metadata(path)
        && meta.permissions().readonly()
    {
        return Some("the file is read-only".into());
    }
    match fs::metadata(folder_of(path)) {
        Ok(meta) if meta.permissions().readonly() => {
            Some("the folder it is in is read-only".into())
        }
        Err(err) => Some(format!("its folder cannot be read: {err}")),
        Ok(_) => None,
    }
}

/// Takes the lock for editing `path` for this account, or says who holds it.
pub fn acquire(path: &Path) -> LockOutcome {
    acquire_as(path, LockInfo::current())
}

/// Takes the lock for editing `path` as `info` (this process, naming the officer), or says
/// who holds it.
pub fn acquire_as(path: &Path, info: LockInfo) -> LockOutcome {
    if let Some(reason) = read_only_reason(path) {
        return LockOutcome::ReadOnlyLocation(reason);
    }
    let lock = lock_path(path);
    let line = info.to_line();
    let created = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&lock);
    match created {
        Ok(mut file) => {
            if let Err(err) = file.write_all(line.as_bytes()) {
                drop(file);
                let _ = fs::remove_file(&lock);
                return LockOutcome::ReadOnlyLocation(format!(
                    "no lock file can be written beside it: {err}"
                ));
            }
            let _ = file.sync_all();
            LockOutcome::Acquired(LockGuard {
                lock,
                info,
                line,
                released: false,
            })
        }
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
            let (holder, liveness) = read_holder(&lock);
            LockOutcome::HeldBy(holder, liveness)
        }
        Err(err) => {
            LockOutcome::ReadOnlyLocation(format!("no lock file can be written beside it: {err}"))
        }
    }
}

/// Who holds the lock on `path`, and whether they are still at work; `None` when no lock
/// file is there.
pub fn current_holder(path: &Path) -> Option<(LockInfo, Liveness)> {
    let lock = lock_path(path);
    lock.exists().then(|| read_holder(&lock))
}

/// Who holds an existing lock file, and whether they are still at work.
fn read_holder(lock: &Path) -> (LockInfo, Liveness) {
    let text = fs::read(lock)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let now = Local::now().fixed_offset();
    match LockInfo::parse(&text) {
        Some(info) => {
            let liveness = info
                .stale_reason(now)
                .map_or(Liveness::Live, Liveness::Stale);
            (info, liveness)
        }
        None => (
            LockInfo::default(),
            Liveness::Stale("the lock file names nobody".into()),
        ),
    }
}

/// Replaces whoever's lock is on `path` with this account's (after the user confirmed).
pub fn take_over(path: &Path) -> std::io::Result<LockGuard> {
    take_over_as(path, LockInfo::current())
}

/// Replaces whoever's lock is on `path` with `info` (after the user confirmed).
pub fn take_over_as(path: &Path, info: LockInfo) -> std::io::Result<LockGuard> {
    if let Some(reason) = read_only_reason(path) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            reason,
        ));
    }
    let lock = lock_path(path);
    let line = info.to_line();
    super::write_atomically(&lock, line.as_bytes(), false).map_err(|err| match err {
        super::SaveError::Io { source, .. } => source,
        other => std::io::Error::other(other.to_string()),
    })?;
    Ok(LockGuard {
        lock,
        info,
        line,
        released: false,
    })
}

/// Our lock on a file. Dropping it (or [`LockGuard::release`]) removes the lock file, unless
/// someone has taken it over since.
#[derive(Debug)]
pub struct LockGuard {
    lock: PathBuf,
    info: LockInfo,
    line: String,
    released: bool,
}

impl LockGuard {
    /// The lock file's path.
    pub fn path(&self) -> &Path {
        &self.lock
    }

    /// What we wrote into it.
    pub fn info(&self) -> &LockInfo {
        &self.info
    }

    /// Whether the lock file still holds our line (false after a colleague took it over).
    pub fn still_ours(&self) -> bool {
        fs::read(&self.lock).is_ok_and(|b| b == self.line.as_bytes())
    }

    /// Removes the lock file now (on close).
    pub fn release(mut self) {
        self.remove();
    }

    fn remove(&mut self) {
        if !self.released && self.still_ours() {
            let _ = fs::remove_file(&self.lock);
        }
        self.released = true;
    }
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        self.remove();
    }
}

/// The login name, or "unknown".
pub fn user_name() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()))
        .unwrap_or_else(|| "unknown".into())
}

/// This computer's name, or "unknown".
pub fn host_name() -> String {
    fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| fs::read_to_string("/etc/hostname"))
        .ok()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .or_else(|| {
            ["HOSTNAME", "COMPUTERNAME"]
                .iter()
                .find_map(|v| std::env::var(v).ok())
        })
        .unwrap_or_else(|| "unknown".into())
}

/// Whether process `pid` on this computer is running: `None` when that cannot be told.
pub fn process_alive(pid: u32) -> Option<bool> {
    if pid == std::process::id() {
        return Some(true);
    }
    if pid == 0 {
        return Some(false);
    }
    alive_on_this_system(pid)
}

#[cfg(target_os = "linux")]
fn alive_on_this_system(pid: u32) -> Option<bool> {
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        // A zombie (killed, not yet reaped) is no longer working on anything.
        Ok(stat) => Some(!matches!(stat_fields(&stat).first(), Some(&"Z" | &"X"))),
        Err(_) => Path::new("/proc/self").exists().then_some(false),
    }
}

#[cfg(all(unix, not(target_os = "linux")))]
fn alive_on_this_system(pid: u32) -> Option<bool> {
    std::process::Command::new("kill")
        .args(["-0", &pid.to_string()])
        .stderr(std::process::Stdio::null())
        .status()
        .ok()
        .map(|s| s.success())
}

#[cfg(not(unix))]
fn alive_on_this_system(_pid: u32) -> Option<bool> {
    None
}

/// The fields of `/proc/PID/stat` after the command name (state first).
#[cfg(target_os = "linux")]
fn stat_fields(stat: &str) -> Vec<&str> {
    stat.rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default()
}

/// When process `pid` started, in clock ticks since boot (Linux), to tell a reused pid apart.
pub fn process_start_ticks(pid: u32) -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        stat_fields(&stat).get(19).and_then(|s| s.parse().ok())
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = pid;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_round_trips_and_cleans_separators() {
        let info = LockInfo {
            name: "Amina Kane, desk".into(),
            user: "amina,k".into(),
            host: "desk;7".into(),
            since: DateTime::parse_from_rfc3339("2026-11-22T10:00:00+01:00").ok(),
            pid: Some(4242),
        };
        let line = info.to_line();
        assert_eq!(
            line,
            "Amina Kane  desk,amina k,desk 7,2026-11-22T10:00:00+01:00,4242;\n"
        );
        let back = LockInfo::parse(&line).unwrap();
        assert_eq!(back.name, "Amina Kane  desk");
        assert_eq!(back.holder(), "Amina Kane  desk on desk 7");
        assert_eq!(back.user, "amina k");
        assert_eq!(back.host, "desk 7");
        assert_eq!(back.since, info.since);
        assert_eq!(back.pid, Some(4242));
    }

    #[test]
    fn reads_libreoffice_lock_lines() {
        let info =
            LockInfo::parse(",jdoe,laptop,22.11.2026 10:00,file:///home/jdoe/.config;").unwrap();
        assert_eq!(info.user, "jdoe");
        assert_eq!(info.host, "laptop");
        assert!(info.since.is_some());
        assert_eq!(info.pid, None);
        assert_eq!(info.holder(), "jdoe on laptop");
        let nobody_named = LockInfo {
            user: "unknown".into(),
            host: "vm".into(),
            ..LockInfo::default()
        };
        assert_eq!(
            nobody_named.holder(),
            "an officer who gave no name, on computer vm",
            "never “unknown on vm” nor “someone on vm”"
        );
        assert_eq!(LockInfo::parse(""), None);
        assert_eq!(LockInfo::parse(",,,,;"), None);
    }

    #[test]
    fn own_process_is_alive_and_start_time_known() {
        assert_eq!(process_alive(std::process::id()), Some(true));
        #[cfg(target_os = "linux")]
        assert!(process_start_ticks(std::process::id()).is_some());
    }
}
