//! The history of a situation file kept in the officer's data folder: every change with its
//! author, time and what it did in words, and enough to show the situation as it stood after
//! any of them. Like briefing marks ([`super::marks`]) it never goes into the situation file.
//!
//! **Layout.** `DATA/history/KEY/`, `KEY` a hash of the file's absolute path:
//! - `base.ron`: the situation before the oldest change kept, an ordinary situation file whose
//!   first line is a `//` comment holding the sequence number of that change (JSON).
//! - `journal.lines`: one record a line (RON, the situation file's notation), appended: a change (its [`Delta`]: the state
//!   after it of what it touched, a few hundred bytes for one edit) or a "saved" mark.
//!
//! **Bounded.** Past [`MAX_CHANGES`] changes, or [`MAX_JOURNAL_BYTES`], the oldest are folded
//! into the base (rewritten whole, atomically) and the journal is rewritten with the
//! [`KEEP_CHANGES`] newest. Each edit appends one line; a scale-100 situation edited a
//! thousand times writes a few hundred kilobytes, plus one copy of the situation per fold.
//!
//! **Safe.** A record is appended then flushed; a line cut short by a crash is the last line
//! and is skipped on reading. A base that cannot be read, or a journal damaged in the middle,
//! is set aside (`*.damaged`) and the history starts again from the file's state, with a
//! message saying so.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Local, Utc};
use serde::{Deserialize, Serialize};

use super::recovery::{DATA_DIR_ENV, data_dir, per_file_dir};
use super::{SaveError, parse_bytes, read_capped, to_ron, write_atomically};
use crate::model::delta::Delta;
use crate::model::{ItemRef, Situation};

/// More changes than this and the oldest are folded into the base.
pub const MAX_CHANGES: usize = 2_000;
/// How many changes a fold keeps.
pub const KEEP_CHANGES: usize = 1_000;
/// A journal longer than this is folded too (whole copies from outside changes add up).
pub const MAX_JOURNAL_BYTES: u64 = 32 * 1024 * 1024;

const HEADER: &str = "// tandem-history ";
const BASE: &str = "base.ron";
const JOURNAL: &str = "journal.lines";

/// The label of a change made to the file by another program.
pub const OUTSIDE: &str = "changed outside Tandem";
/// The label of colleagues' changes taken in from the shared situation (its own history says
/// who made each).
pub const COLLEAGUES: &str = "colleagues' changes from the shared situation";
/// The label when the file is back as last saved: the officer's later edits were not kept.
pub const NOT_KEPT: &str = "unsaved changes not kept";
/// The label of the entry before the first change kept: the situation as the history starts.
pub const FIRST_KEPT: &str = "the situation before the first change kept";

/// One change to the situation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Its place in the history, from 1; a record with the number of the last one replaces it
    /// (a drag that went on after the change was first written).
    pub seq: u64,
    pub at: DateTime<Utc>,
    /// Who made it; `None` when unknown (a change made outside Tandem).
    #[serde(default)]
    pub author: Option<String>,
    /// What it did, in words: "set ECOWAS as Lead on “Mediation”".
    pub label: String,
    /// More, in words, when one line does not tell it (what changed outside Tandem).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub detail: Vec<String>,
    pub delta: Delta,
}

/// A line of the journal (mostly changes: not worth boxing).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[allow(clippy::large_enum_variant)]
enum Record {
    Change(Change),
    /// The file on disk holds the state after change `after` (0: the base).
    Saved {
        after: u64,
    },
}

/// What the base's first line says.
#[derive(Serialize, Deserialize)]
struct BaseHeader {
    /// The number of the first change after the base.
    first_seq: u64,
    file: PathBuf,
}

/// Why a file's history could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("Tandem has no data folder on this system (set {DATA_DIR_ENV})")]
    NoDataDir,
    #[error("cannot use the history folder {path}: {source}")]
    Folder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Save(#[from] SaveError),
    #[error("{file}, line {line}: {message}")]
    Damaged {
        file: PathBuf,
        line: usize,
        message: String,
    },
}

/// A file's history as read from the store.
#[derive(Clone, Debug, PartialEq)]
pub struct Stored {
    /// The situation before the first change kept.
    pub base: Situation,
    /// The number of the first change kept.
    pub first_seq: u64,
    /// The changes, oldest first.
    pub changes: Vec<Change>,
    /// The change after which the file was last saved (`first_seq - 1`: the base).
    pub saved_after: Option<u64>,
    journal_bytes: u64,
}

impl Stored {
    fn new(base: Situation, first_seq: u64) -> Self {
        Self {
            base,
            first_seq,
            changes: Vec::new(),
            saved_after: None,
            journal_bytes: 0,
        }
    }

    /// The number the next change gets.
    pub fn next_seq(&self) -> u64 {
        self.changes.last().map_or(self.first_seq, |c| c.seq + 1)
    }

    /// The situation after change `seq` (before the first kept: the base), or `None` when the
    /// change is not kept.
    pub fn state_after(&self, seq: u64) -> Option<Situation> {
        if seq.saturating_add(1) < self.first_seq || seq >= self.next_seq() {
            return None;
        }
        let mut state = self.base.clone();
        for change in self.changes.iter().take_while(|c| c.seq <= seq) {
            change.delta.replay(&mut state);
        }
        Some(state)
    }

    /// The situation after the last change.
    pub fn latest(&self) -> Situation {
        let mut state = self.base.clone();
        for change in &self.changes {
            change.delta.replay(&mut state);
        }
        state
    }

    /// Takes in one record read or written; `false` when it does not follow the others.
    fn take(&mut self, record: Record) -> bool {
        match record {
            Record::Change(change) if change.seq < self.first_seq => true,
            Record::Change(change) => {
                let next = self.next_seq();
                match self.changes.last_mut() {
                    Some(last) if last.seq == change.seq => *last = change,
                    _ if change.seq == next => self.changes.push(change),
                    _ => return false,
                }
                true
            }
            Record::Saved { after } => {
                self.saved_after = Some(after);
                true
            }
        }
    }
}

/// The history of one situation file.
#[derive(Clone, Debug)]
pub struct HistoryStore {
    dir: PathBuf,
    file: PathBuf,
    limits: Limits,
}

/// When a history is folded, and what a fold keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub max_changes: usize,
    pub keep_changes: usize,
    pub max_journal_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_changes: MAX_CHANGES,
            keep_changes: KEEP_CHANGES,
            max_journal_bytes: MAX_JOURNAL_BYTES,
        }
    }
}

impl HistoryStore {
    /// The history of `file` in Tandem's data folder.
    pub fn for_file(file: &Path) -> Result<Self, HistoryError> {
        let root = data_dir().ok_or(HistoryError::NoDataDir)?;
        Ok(Self::in_data_dir(&root, file))
    }

    /// The history of `file` under the data folder `root` (tests, portable installs).
    pub fn in_data_dir(root: &Path, file: &Path) -> Self {
        let (dir, file) = per_file_dir(root, "history", file);
        Self {
            dir,
            file,
            limits: Limits::default(),
        }
    }

    /// The same store with other bounds (tests).
    pub fn with_limits(self, limits: Limits) -> Self {
        Self { limits, ..self }
    }

    /// The folder this file's history is kept in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn folder_error(&self, source: std::io::Error) -> HistoryError {
        HistoryError::Folder {
            path: self.dir.clone(),
            source,
        }
    }

    /// Reads the history; `Ok(None)` when there is none yet.
    pub fn load(&self) -> Result<Option<Stored>, HistoryError> {
        let base_path = self.dir.join(BASE);
        if !base_path.exists() {
            return Ok(None);
        }
        let damaged = |line: usize, message: String| HistoryError::Damaged {
            file: base_path.clone(),
            line,
            message,
        };
        let bytes = read_capped(&base_path).map_err(|d| damaged(d.line.unwrap_or(1), d.message))?;
        let text = String::from_utf8_lossy(&bytes);
        let header = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix(HEADER))
            .and_then(|h| serde_json::from_str::<BaseHeader>(h).ok())
            .ok_or_else(|| damaged(1, "the first line is not Tandem's history header".into()))?;
        let base = parse_bytes(&bytes)
            .map_err(|d| damaged(d.line.unwrap_or(1), d.message))?
            .situation;
        let mut stored = Stored::new(base, header.first_seq.max(1));
        self.read_journal(&mut stored)?;
        Ok(Some(stored))
    }

    /// Reads the journal's records into `stored`. A last line cut short is skipped.
    fn read_journal(&self, stored: &mut Stored) -> Result<(), HistoryError> {
        let path = self.dir.join(JOURNAL);
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(err) => return Err(self.folder_error(err)),
        };
        stored.journal_bytes = text.len() as u64;
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            let last = index + 1 == lines.len();
            let problem = match ron::from_str::<Record>(line) {
                Ok(record) => match stored.take(record) {
                    true => continue,
                    false => "a change out of order".to_owned(),
                },
                Err(_) if last && !text.ends_with('\n') => return Ok(()),
                Err(err) => err.to_string(),
            };
            return Err(HistoryError::Damaged {
                file: path,
                line: index + 1,
                message: problem,
            });
        }
        Ok(())
    }

    /// Starts the history afresh from `situation` (any history there is set aside first).
    pub fn start(&self, situation: &Situation) -> Result<Stored, HistoryError> {
        self.set_aside();
        let stored = Stored::new(situation.clone(), 1);
        self.write_base(&stored)?;
        Ok(stored)
    }

    /// Moves the history's files aside (`*.damaged`), keeping them for whoever wants to look.
    pub fn set_aside(&self) {
        for name in [BASE, JOURNAL] {
            let path = self.dir.join(name);
            if path.exists() {
                let _ = fs::rename(&path, self.dir.join(format!("{name}.damaged")));
            }
        }
    }

    fn write_base(&self, stored: &Stored) -> Result<(), HistoryError> {
        fs::create_dir_all(&self.dir).map_err(|e| self.folder_error(e))?;
        let header = BaseHeader {
            first_seq: stored.first_seq,
            file: self.file.clone(),
        };
        let header =
            serde_json::to_string(&header).map_err(|e| SaveError::Serialize(e.to_string()))?;
        let text = format!("{HEADER}{header}\n{}", to_ron(&stored.base)?);
        write_atomically(&self.dir.join(BASE), text.as_bytes(), false)?;
        Ok(())
    }

    /// Appends `change` (numbered by the history: the next number, or the last one's to
    /// replace it when `amend`), folding the oldest changes into the base when the history
    /// is over its bounds. Returns the change as recorded.
    pub fn append(
        &self,
        stored: &mut Stored,
        mut change: Change,
        amend: bool,
    ) -> Result<Change, HistoryError> {
        change.seq = match stored.changes.last() {
            Some(last) if amend => last.seq,
            _ => stored.next_seq(),
        };
        self.append_record(stored, &Record::Change(change.clone()))?;
        stored.take(Record::Change(change.clone()));
        let limits = self.limits;
        if stored.changes.len() > limits.max_changes
            || stored.journal_bytes > limits.max_journal_bytes
        {
            self.fold(stored)?;
        }
        Ok(change)
    }

    /// Records that the file on disk now holds the state after the last change.
    pub fn mark_saved(&self, stored: &mut Stored) -> Result<(), HistoryError> {
        let after = stored.next_seq() - 1;
        if stored.saved_after == Some(after) {
            return Ok(());
        }
        self.append_record(stored, &Record::Saved { after })?;
        stored.saved_after = Some(after);
        Ok(())
    }

    fn append_record(&self, stored: &mut Stored, record: &Record) -> Result<(), HistoryError> {
        let mut line = record_line(record)?;
        line.push('\n');
        let path = self.dir.join(JOURNAL);
        let mut file = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|e| self.folder_error(e))?;
        file.write_all(line.as_bytes())
            .and_then(|()| file.sync_data())
            .map_err(|e| self.folder_error(e))?;
        stored.journal_bytes += line.len() as u64;
        Ok(())
    }

    /// Folds all but the newest changes (see [`Limits`]) into the base: the base is written
    /// first (with the number of the first change it does not hold), then the journal.
    fn fold(&self, stored: &mut Stored) -> Result<(), HistoryError> {
        let keep = (self.limits.keep_changes).min(stored.changes.len().saturating_sub(1));
        let folded = stored.changes.len() - keep;
        let next = stored.next_seq();
        for change in stored.changes.drain(..folded) {
            change.delta.replay(&mut stored.base);
        }
        stored.first_seq = stored.changes.first().map_or(next, |c| c.seq);
        self.write_base(stored)?;
        let mut text = String::new();
        for change in &stored.changes {
            text.push_str(&record_line(&Record::Change(change.clone()))?);
            text.push('\n');
        }
        if let Some(after) = stored.saved_after.filter(|a| *a + 1 >= stored.first_seq) {
            text.push_str(&record_line(&Record::Saved { after })?);
            text.push('\n');
        } else {
            stored.saved_after = None;
        }
        write_atomically(&self.dir.join(JOURNAL), text.as_bytes(), false)?;
        stored.journal_bytes = text.len() as u64;
        Ok(())
    }
}

/// A record on one line: RON, whose numbers read back exactly (coordinates included), with
/// line breaks inside texts escaped.
fn record_line(record: &Record) -> Result<String, SaveError> {
    ron::to_string(record).map_err(|e| SaveError::Serialize(e.to_string()))
}

/// What opening a file's history gave.
#[derive(Debug)]
pub struct Opened {
    pub stored: Option<Stored>,
    /// The change recorded because the file differs from the last state the history knew.
    pub outside: Option<Change>,
    /// What went wrong, in words, when something did (the history may have started again).
    pub problem: Option<String>,
}

/// Opens the history of the file at `store` for the situation read from it: a new history
/// when there is none, or one change "changed outside Tandem" (with what changed, in words)
/// when the file is not what the history last knew. `modified`: the file's modification time.
pub fn open_for(store: &HistoryStore, on_disk: &Situation, modified: DateTime<Utc>) -> Opened {
    let (mut stored, problem) = match store.load() {
        Ok(Some(stored)) => (stored, None),
        Ok(None) => return started(store, on_disk, None),
        Err(err) => {
            let why = format!(
                "The history of this file could not be read ({err}). It starts again from \
                 now; the damaged copy is kept in {}.",
                store.dir().display()
            );
            return started(store, on_disk, Some(why));
        }
    };
    let latest = stored.latest();
    if latest == *on_disk {
        return Opened {
            stored: Some(stored),
            outside: None,
            problem,
        };
    }
    let saved = stored
        .saved_after
        .and_then(|after| stored.state_after(after));
    let label = if saved.as_ref() == Some(on_disk) {
        NOT_KEPT
    } else {
        OUTSIDE
    };
    let change = Change {
        seq: 0,
        at: modified,
        author: None,
        label: label.to_owned(),
        detail: detail_in_words(&latest, on_disk),
        delta: Delta::between(&latest, on_disk),
    };
    match store
        .append(&mut stored, change, false)
        .and_then(|change| store.mark_saved(&mut stored).map(|()| change))
    {
        Ok(change) => Opened {
            stored: Some(stored),
            outside: Some(change),
            problem,
        },
        Err(err) => Opened {
            stored: Some(stored),
            outside: None,
            problem: Some(format!(
                "The history of this file could not be written: {err}"
            )),
        },
    }
}

fn started(store: &HistoryStore, on_disk: &Situation, problem: Option<String>) -> Opened {
    match store.start(on_disk) {
        Ok(mut stored) => {
            let _ = store.mark_saved(&mut stored);
            Opened {
                stored: Some(stored),
                outside: None,
                problem,
            }
        }
        Err(err) => Opened {
            stored: None,
            outside: None,
            problem: Some(format!("The history of this file cannot be kept: {err}")),
        },
    }
}

/// What changed from `old` to `new`, one sentence a change, each with its group:
/// "Actors: “Junta” …". The warning-to-action figures are left out.
pub fn detail_in_words(old: &Situation, new: &Situation) -> Vec<String> {
    let diff = crate::analysis::diff::diff(old, new);
    let mut lines: Vec<String> = diff
        .sections()
        .into_iter()
        .filter(|s| !s.title.starts_with("Warning to action"))
        .flat_map(|s| {
            s.lines
                .into_iter()
                .map(move |l| format!("{}: {l}", s.title))
        })
        .collect();
    if lines.is_empty() {
        lines.push("Only the order of items changed.".into());
    }
    lines
}

/// Which state of the situation an entry of the history leads to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PastPoint {
    /// After this change of the local history.
    Local(u64),
    /// After this change of the shared document (its hash, in hex).
    Shared(String),
}

/// One entry of a situation's history as the History panel lists it, local or shared.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    pub author: Option<String>,
    pub label: String,
    pub detail: Vec<String>,
    /// The items it touched, as far as known.
    pub items: TouchedItems,
    pub point: PastPoint,
}

/// The items a change touched, as far as they are known: what "this item's history" lists.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum TouchedItems {
    /// Not known (a change recorded as a whole copy of the situation): the History panel
    /// matches the item's name in the change's words instead.
    #[default]
    Unknown,
    /// Every item: the change wrote the whole situation (the change that shared it).
    All,
    /// These items and no other; a matrix cell counts as its line and its partner.
    Only(Vec<ItemRef>),
}

impl TouchedItems {
    /// Whether the change touched `item`; `None` when that is not known.
    pub fn include(&self, item: &ItemRef) -> Option<bool> {
        match self {
            TouchedItems::Unknown => None,
            TouchedItems::All => Some(true),
            TouchedItems::Only(items) => Some(items.contains(item)),
        }
    }
}

impl HistoryEntry {
    /// The entry of a local change.
    pub fn of_change(change: &Change) -> Self {
        Self {
            at: change.at,
            author: change.author.clone(),
            label: change.label.clone(),
            detail: change.detail.clone(),
            items: match change.delta.whole {
                Some(_) => TouchedItems::Unknown,
                None => TouchedItems::Only(change.delta.items()),
            },
            point: PastPoint::Local(change.seq),
        }
    }

    /// The situation before the first change kept (numbered `first_seq`, made at `at`): the
    /// history's starting point, to show as it was before any change listed.
    pub fn first_kept(first_seq: u64, at: DateTime<Utc>) -> Self {
        Self {
            at,
            author: None,
            label: FIRST_KEPT.into(),
            detail: Vec::new(),
            items: TouchedItems::Only(Vec::new()),
            point: PastPoint::Local(first_seq.saturating_sub(1)),
        }
    }

    /// Whether this is the history's starting point rather than a change.
    pub fn is_first_kept(&self) -> bool {
        self.label == FIRST_KEPT && self.author.is_none()
    }

    /// "Marie Diallo set ECOWAS as Lead on “Mediation”": who did what, in one sentence.
    pub fn sentence(&self) -> String {
        let author = self.author.as_deref().unwrap_or("Someone");
        let label = self.label.as_str();
        match label {
            OUTSIDE => return "The file was changed outside Tandem".into(),
            NOT_KEPT => {
                return "The unsaved changes were not kept: the file is as last saved".into();
            }
            COLLEAGUES => return "Colleagues' changes came in from the shared situation".into(),
            FIRST_KEPT => return "Before the first change kept: where this history starts".into(),
            _ => {}
        }
        let (verb, rest) = label.split_once(' ').unwrap_or((label, ""));
        match past_tense(verb) {
            Some(done) if rest.is_empty() => format!("{author} {done}"),
            Some(done) => format!("{author} {done} {rest}"),
            None => format!("{author}: {label}"),
        }
    }

    /// The local date and time: "12 Oct 2026 14:03".
    pub fn time_text(&self) -> String {
        time_text(self.at)
    }
}

/// A time in the officer's time zone: "12 Oct 2026 14:03".
pub fn time_text(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local)
        .format("%-d %b %Y %H:%M")
        .to_string()
}

/// The past tense of the verb an edit's label starts with.
fn past_tense(verb: &str) -> Option<&'static str> {
    Some(match verb {
        "add" => "added",
        "set" => "set",
        "edit" => "edited",
        "change" => "changed",
        "clear" => "cleared",
        "remove" => "removed",
        "delete" => "deleted",
        "duplicate" => "duplicated",
        "import" => "imported",
        "move" => "moved",
        "rename" => "renamed",
        "undo" => "undid",
        "redo" => "redid",
        "did" => "did",
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
