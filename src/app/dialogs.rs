//! Native file dialogs, behind a trait so tests can answer them.

use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What a file dialog gave back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Picked {
    Path(PathBuf),
    /// The user closed the dialog.
    Cancelled,
    /// The system could not show a dialog (e.g. a Linux desktop without a file-chooser
    /// portal): the app asks for a typed path instead, and says why.
    Unavailable,
}

/// Asks the user for files. The app uses [`NativeDialogs`]; tests use [`ScriptedDialogs`].
pub trait FileDialogs {
    /// A situation file to open.
    fn open_situation(&self) -> Picked;
    /// Where to save, suggesting `file_name`.
    fn save_situation(&self, file_name: &str) -> Picked;
    /// Where to write an export with this extension.
    fn save_export(&self, file_name: &str, extension: &str) -> Picked;
    /// A sheet to import (CSV or Excel).
    fn open_sheet(&self) -> Picked;
}

/// The platform's dialogs through `rfd`.
pub struct NativeDialogs;

/// Faster than anyone can press Cancel: a dialog that "returns" this quickly was never shown
/// (rfd answers at once, like a cancel, when no file-chooser portal is running).
const NEVER_SHOWN: Duration = Duration::from_millis(150);

fn timed(ask: impl FnOnce() -> Option<PathBuf>) -> Picked {
    let started = Instant::now();
    match ask() {
        Some(path) => Picked::Path(path),
        None if started.elapsed() < NEVER_SHOWN => Picked::Unavailable,
        None => Picked::Cancelled,
    }
}

impl FileDialogs for NativeDialogs {
    fn open_situation(&self) -> Picked {
        timed(|| {
            rfd::FileDialog::new()
                .set_title("Open situation")
                .add_filter("Tandem situation", &["ron"])
                .add_filter("All files", &["*"])
                .pick_file()
        })
    }

    fn save_situation(&self, file_name: &str) -> Picked {
        timed(|| {
            rfd::FileDialog::new()
                .set_title("Save situation as")
                .add_filter("Tandem situation", &["ron"])
                .set_file_name(file_name)
                .save_file()
        })
    }

    fn save_export(&self, file_name: &str, extension: &str) -> Picked {
        timed(|| {
            rfd::FileDialog::new()
                .set_title("Export")
                .add_filter(extension, &[extension])
                .set_file_name(file_name)
                .save_file()
        })
    }

    fn open_sheet(&self) -> Picked {
        timed(|| {
            rfd::FileDialog::new()
                .set_title("Import")
                .add_filter(
                    "Sheets (CSV, Excel, OpenDocument)",
                    &["csv", "tsv", "txt", "xlsx", "xls", "ods"],
                )
                .add_filter("All files", &["*"])
                .pick_file()
        })
    }
}

/// Dialogs that answer every question with a fixed reply — for tests. With no path they
/// cancel, or say the system could not show them when `unavailable`.
#[derive(Default)]
pub struct ScriptedDialogs {
    pub open: Option<PathBuf>,
    pub save: Option<PathBuf>,
    pub unavailable: bool,
}

impl ScriptedDialogs {
    fn answer(&self, path: &Option<PathBuf>) -> Picked {
        match path {
            Some(path) => Picked::Path(path.clone()),
            None if self.unavailable => Picked::Unavailable,
            None => Picked::Cancelled,
        }
    }
}

impl FileDialogs for ScriptedDialogs {
    fn open_situation(&self) -> Picked {
        self.answer(&self.open)
    }
    fn save_situation(&self, _file_name: &str) -> Picked {
        self.answer(&self.save)
    }
    fn save_export(&self, _file_name: &str, _extension: &str) -> Picked {
        self.answer(&self.save)
    }
    fn open_sheet(&self) -> Picked {
        self.answer(&self.open)
    }
}

/// What a typed path must be: a file that exists (to open or import), or a place a new file
/// can go (to save or export).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathUse {
    Read,
    Write,
}

/// The path a user typed or pasted, made usable: surrounding spaces and quotes (as a file
/// manager's "copy path" gives) go, `~/` means the home folder. Says in words what is wrong
/// when the path cannot be used as asked.
pub fn resolve_typed_path(text: &str, usage: PathUse) -> Result<PathBuf, String> {
    let trimmed = text.trim().trim_matches(|c| c == '"' || c == '\'').trim();
    if trimmed.is_empty() {
        return Err("Type or paste the path of a file.".into());
    }
    let path = match trimmed.strip_prefix("~/") {
        Some(rest) => match directories::BaseDirs::new() {
            Some(dirs) => dirs.home_dir().join(rest),
            None => PathBuf::from(trimmed),
        },
        None => PathBuf::from(trimmed),
    };
    match usage {
        PathUse::Read if path.is_dir() => {
            Err(format!("{} is a folder, not a file.", path.display()))
        }
        PathUse::Read if !path.exists() => Err(format!("There is no file at {}.", path.display())),
        PathUse::Write if path.is_dir() => Err(format!(
            "{} is a folder: add the file's name after it.",
            path.display()
        )),
        PathUse::Write => {
            let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
            match folder {
                Some(folder) if !folder.is_dir() => {
                    Err(format!("There is no folder {}.", folder.display()))
                }
                _ => Ok(path),
            }
        }
        PathUse::Read => Ok(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_paths_lose_quotes_and_say_what_is_wrong() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("guinea.ron");
        std::fs::write(&file, "x").unwrap();
        let quoted = format!("  '{}'\n", file.display());
        assert_eq!(resolve_typed_path(&quoted, PathUse::Read), Ok(file.clone()));
        let pasted = format!("\"{}\"", file.display());
        assert_eq!(resolve_typed_path(&pasted, PathUse::Read), Ok(file.clone()));
        assert!(
            resolve_typed_path("", PathUse::Read)
                .unwrap_err()
                .contains("Type or paste")
        );
        let missing = dir.path().join("missing.ron");
        let err = resolve_typed_path(&missing.display().to_string(), PathUse::Read).unwrap_err();
        assert!(err.contains("There is no file at"), "{err}");
        let folder = dir.path().display().to_string();
        assert!(
            resolve_typed_path(&folder, PathUse::Read)
                .unwrap_err()
                .contains("folder")
        );
        assert!(
            resolve_typed_path(&folder, PathUse::Write)
                .unwrap_err()
                .contains("file's name")
        );
        assert_eq!(
            resolve_typed_path(&missing.display().to_string(), PathUse::Write),
            Ok(missing)
        );
        let nowhere = dir.path().join("no-such-folder").join("x.ron");
        let err = resolve_typed_path(&nowhere.display().to_string(), PathUse::Write).unwrap_err();
        assert!(err.contains("There is no folder"), "{err}");
        if let Some(home) = directories::BaseDirs::new() {
            assert_eq!(
                resolve_typed_path("~/x.ron", PathUse::Write),
                Ok(home.home_dir().join("x.ron"))
            );
        }
    }
}
