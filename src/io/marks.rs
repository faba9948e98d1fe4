//! Briefing marks: the situation as it stood when it was briefed, kept in the officer's data
//! folder so that "what changed since the last briefing" can be told later.
//!
//! A mark is a whole copy of the situation, not a field of the situation file: partner files
//! then never carry old states (old values of items since made confidential, items since
//! removed), and the file format (FORMAT.md) is unchanged. The marks of one situation file sit
//! in `DATA/marks/KEY/`, where `KEY` is a hash of the file's absolute path; each mark is an
//! ordinary situation file (so old marks are migrated on reading like any file) whose first
//! line is a `//` comment holding the mark's name and date as JSON. A file moved or renamed
//! starts without marks; its old marks stay under the old path's key.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Local, Utc};
use serde::{Deserialize, Serialize};

use super::recovery::{DATA_DIR_ENV, data_dir, per_file_dir};
use super::{SaveError, parse_bytes, read_capped, to_ron, write_atomically};
use crate::model::{Diagnostic, PartialDate, Situation};

const HEADER: &str = "// tandem-mark ";
const SUFFIX: &str = ".mark.ron";

/// What a mark says about itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkMeta {
    /// What the officer called it: "Briefing to the envoy".
    pub name: String,
    /// When it was taken.
    pub marked: DateTime<Utc>,
    /// The situation file it is a mark of.
    pub file: PathBuf,
    /// The situation's as-of date then.
    pub as_of: PartialDate,
}

/// A mark found in the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    /// The mark's own file.
    pub path: PathBuf,
    pub meta: MarkMeta,
}

impl Mark {
    /// "Briefing to the envoy (26 Nov 2026)": the name and the local date it was taken; the
    /// name alone when it already says the date ("Briefing 26 Nov 2026").
    pub fn label(&self) -> String {
        let date = self.date_text();
        if self.meta.name.contains(&date) {
            self.meta.name.clone()
        } else {
            format!("{} ({date})", self.meta.name)
        }
    }

    /// The local date the mark was taken: "26 Nov 2026".
    pub fn date_text(&self) -> String {
        self.meta
            .marked
            .with_timezone(&Local)
            .format("%-d %b %Y")
            .to_string()
    }
}

/// Why a mark could not be written, read or removed.
#[derive(Debug, thiserror::Error)]
pub enum MarkError {
    #[error("Tandem has no data folder on this system (set {DATA_DIR_ENV})")]
    NoDataDir,
    #[error("a mark needs a name")]
    NoName,
    #[error("cannot use the marks folder {path}: {source}")]
    Folder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Save(#[from] SaveError),
    /// The mark's copy of the situation cannot be read.
    #[error("the mark “{name}” cannot be read: {message}")]
    Unreadable { name: String, message: String },
}

/// The marks of one situation file.
#[derive(Clone, Debug)]
pub struct MarkStore {
    dir: PathBuf,
    file: PathBuf,
}

impl MarkStore {
    /// The marks of `file` in Tandem's data folder.
    pub fn for_file(file: &Path) -> Result<Self, MarkError> {
        let root = data_dir().ok_or(MarkError::NoDataDir)?;
        Ok(Self::in_data_dir(&root, file))
    }

    /// The marks of `file` under the data folder `root` (tests, portable installs).
    pub fn in_data_dir(root: &Path, file: &Path) -> Self {
        let (dir, file) = per_file_dir(root, "marks", file);
        Self { dir, file }
    }

    /// The folder this file's marks are kept in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Records `situation` as it stands now under `name`.
    pub fn add(&self, name: &str, situation: &Situation) -> Result<Mark, MarkError> {
        self.add_at(name, situation, Utc::now())
    }

    /// [`MarkStore::add`] with the time given (tests).
    pub fn add_at(
        &self,
        name: &str,
        situation: &Situation,
        marked: DateTime<Utc>,
    ) -> Result<Mark, MarkError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(MarkError::NoName);
        }
        fs::create_dir_all(&self.dir).map_err(|source| MarkError::Folder {
            path: self.dir.clone(),
            source,
        })?;
        let meta = MarkMeta {
            name: name.to_owned(),
            marked,
            file: self.file.clone(),
            as_of: situation.as_of,
        };
        let header =
            serde_json::to_string(&meta).map_err(|err| SaveError::Serialize(err.to_string()))?;
        let text = format!("{HEADER}{header}\n{}", to_ron(situation)?);
        let mut path = self
            .dir
            .join(format!("{}{SUFFIX}", marked.timestamp_millis()));
        let mut n = 1;
        while path.exists() {
            path = self
                .dir
                .join(format!("{}-{n}{SUFFIX}", marked.timestamp_millis()));
            n += 1;
        }
        write_atomically(&path, text.as_bytes(), false)?;
        Ok(Mark { path, meta })
    }

    /// Every mark of the file, newest first. A mark whose header is damaged is left out.
    pub fn list(&self) -> Vec<Mark> {
        let Ok(read) = fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut marks: Vec<Mark> = read
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.to_string_lossy().ends_with(SUFFIX))
            .filter_map(|path| read_meta(&path).map(|meta| Mark { path, meta }))
            .collect();
        marks.sort_by(|a, b| {
            b.meta
                .marked
                .cmp(&a.meta.marked)
                .then_with(|| b.path.cmp(&a.path))
        });
        marks
    }

    /// The newest mark, if any: what "since the last briefing" compares with.
    pub fn latest(&self) -> Option<Mark> {
        self.list().into_iter().next()
    }

    /// The situation as it stood at `mark`, migrated to the current schema like any file.
    pub fn situation(&self, mark: &Mark) -> Result<Situation, MarkError> {
        let unreadable = |d: Diagnostic| MarkError::Unreadable {
            name: mark.meta.name.clone(),
            message: d.message,
        };
        let bytes = read_capped(&mark.path).map_err(unreadable)?;
        Ok(parse_bytes(&bytes).map_err(unreadable)?.situation)
    }

    /// Gives `mark` another name, keeping its date and its copy of the situation.
    pub fn rename(&self, mark: &Mark, name: &str) -> Result<Mark, MarkError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(MarkError::NoName);
        }
        let unreadable = |message: String| MarkError::Unreadable {
            name: mark.meta.name.clone(),
            message,
        };
        let bytes = read_capped(&mark.path).map_err(|d| unreadable(d.message))?;
        let body = bytes
            .iter()
            .position(|b| *b == b'\n')
            .filter(|_| bytes.starts_with(HEADER.as_bytes()))
            .map(|end| &bytes[end + 1..])
            .ok_or_else(|| unreadable("its first line is not a mark's".into()))?;
        let meta = MarkMeta {
            name: name.to_owned(),
            ..mark.meta.clone()
        };
        let header =
            serde_json::to_string(&meta).map_err(|err| SaveError::Serialize(err.to_string()))?;
        let mut text = format!("{HEADER}{header}\n").into_bytes();
        text.extend_from_slice(body);
        write_atomically(&mark.path, &text, false)?;
        Ok(Mark {
            path: mark.path.clone(),
            meta,
        })
    }

    /// Forgets a mark.
    pub fn remove(&self, mark: &Mark) -> Result<(), MarkError> {
        match fs::remove_file(&mark.path) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(MarkError::Folder {
                path: mark.path.clone(),
                source: err,
            }),
            _ => Ok(()),
        }
    }
}

fn read_meta(path: &Path) -> Option<MarkMeta> {
    use std::io::{BufRead as _, BufReader, Read as _};
    let file = fs::File::open(path).ok()?;
    let mut line = String::new();
    BufReader::new(file.take(64 * 1024))
        .read_line(&mut line)
        .ok()?;
    serde_json::from_str(line.strip_prefix(HEADER)?.trim()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Actor, ActorKind, Stance};

    fn situation() -> Situation {
        let mut s = Situation::new("Guinea", "2009-10-15".parse().expect("date"));
        s.actors.push(Actor::new(
            "junta",
            "CNDD junta",
            ActorKind::DeFactoAuthority,
        ));
        s
    }

    fn at(day: u32) -> DateTime<Utc> {
        use chrono::TimeZone as _;
        Utc.with_ymd_and_hms(2026, 11, day, 10, 0, 0)
            .single()
            .expect("time")
    }

    #[test]
    fn a_mark_keeps_the_situation_as_it_was_and_the_newest_comes_first() {
        let root = tempfile::tempdir().expect("temp");
        let file = root.path().join("guinea.ron");
        let store = MarkStore::in_data_dir(root.path(), &file);
        assert!(store.list().is_empty());
        let mut s = situation();
        store.add_at("Council briefing", &s, at(2)).expect("mark");
        s.actors[0].stance = Stance::Spoiler;
        store.add_at("Envoy's trip", &s, at(9)).expect("mark");
        let marks = store.list();
        let names: Vec<&str> = marks.iter().map(|m| m.meta.name.as_str()).collect();
        assert_eq!(names, ["Envoy's trip", "Council briefing"]);
        let then = store.situation(&marks[1]).expect("read");
        assert_eq!(then.actors[0].stance, Stance::Unknown);
        assert_eq!(
            store.latest().map(|m| m.meta.name),
            Some("Envoy's trip".into())
        );
        assert!(marks[0].label().starts_with("Envoy's trip ("));
        store.remove(&marks[0]).expect("remove");
        assert_eq!(store.list().len(), 1);
    }

    #[test]
    fn a_renamed_mark_keeps_its_date_and_situation() {
        let root = tempfile::tempdir().expect("temp");
        let store = MarkStore::in_data_dir(root.path(), &root.path().join("guinea.ron"));
        let mut s = situation();
        s.actors[0].stance = Stance::Spoiler;
        let mark = store.add_at("Council", &s, at(2)).expect("mark");
        let renamed = store
            .rename(&mark, "  Council briefing, 2 Nov ")
            .expect("rename");
        assert_eq!(renamed.meta.name, "Council briefing, 2 Nov");
        assert_eq!(renamed.meta.marked, mark.meta.marked);
        assert_eq!(renamed.path, mark.path);
        assert_eq!(store.list(), std::slice::from_ref(&renamed));
        assert_eq!(store.situation(&renamed).expect("read"), s);
        assert!(matches!(
            store.rename(&renamed, " "),
            Err(MarkError::NoName)
        ));
        fs::write(&mark.path, "not a mark").expect("write");
        assert!(matches!(
            store.rename(&renamed, "Another"),
            Err(MarkError::Unreadable { .. })
        ));
        assert_eq!(fs::read_to_string(&mark.path).expect("read"), "not a mark");
    }

    #[test]
    fn a_mark_named_with_its_date_does_not_say_the_date_twice() {
        let root = tempfile::tempdir().expect("temp");
        let store = MarkStore::in_data_dir(root.path(), &root.path().join("guinea.ron"));
        let s = situation();
        let first = store.add_at("x", &s, at(2)).expect("mark");
        let name = format!("Briefing {}", first.date_text());
        let dated = store.add_at(&name, &s, at(2)).expect("mark");
        assert_eq!(dated.label(), name);
        assert_eq!(first.label(), format!("x ({})", first.date_text()));
    }

    #[test]
    fn marks_are_kept_per_file_and_a_mark_needs_a_name() {
        let root = tempfile::tempdir().expect("temp");
        let a = MarkStore::in_data_dir(root.path(), &root.path().join("a.ron"));
        let b = MarkStore::in_data_dir(root.path(), &root.path().join("b.ron"));
        a.add("Briefed", &situation()).expect("mark");
        assert_eq!(a.list().len(), 1);
        assert!(b.list().is_empty());
        assert!(matches!(a.add("  ", &situation()), Err(MarkError::NoName)));
    }

    #[test]
    fn a_damaged_mark_is_skipped_in_the_list_and_refused_when_read() {
        let root = tempfile::tempdir().expect("temp");
        let store = MarkStore::in_data_dir(root.path(), &root.path().join("a.ron"));
        let mark = store.add("Briefed", &situation()).expect("mark");
        fs::write(store.dir().join("junk.mark.ron"), "not a mark").expect("write");
        assert_eq!(store.list().len(), 1);
        let header = fs::read_to_string(&mark.path)
            .expect("read")
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned();
        fs::write(&mark.path, format!("{header}\n(schema: 2, title: ")).expect("write");
        assert!(matches!(
            store.situation(&mark),
            Err(MarkError::Unreadable { .. })
        ));
    }
}
