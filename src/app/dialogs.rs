//! Native file dialogs, behind a trait so tests can answer them.

use std::path::PathBuf;

/// Asks the user for files. The app uses [`NativeDialogs`]; tests use their own.
pub trait FileDialogs {
    /// A situation file to open, or `None` when cancelled.
    fn open_situation(&self) -> Option<PathBuf>;
    /// Where to save, suggesting `file_name`; `None` when cancelled.
    fn save_situation(&self, file_name: &str) -> Option<PathBuf>;
    /// Where to write an export with this extension; `None` when cancelled.
    fn save_export(&self, file_name: &str, extension: &str) -> Option<PathBuf>;
    /// A CSV file to import; `None` when cancelled.
    fn open_csv(&self) -> Option<PathBuf>;
}

/// The platform's dialogs through `rfd`.
pub struct NativeDialogs;

impl FileDialogs for NativeDialogs {
    fn open_situation(&self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Open situation")
            .add_filter("Tandem situation", &["ron"])
            .add_filter("All files", &["*"])
            .pick_file()
    }

    fn save_situation(&self, file_name: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Save situation as")
            .add_filter("Tandem situation", &["ron"])
            .set_file_name(file_name)
            .save_file()
    }

    fn save_export(&self, file_name: &str, extension: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Export")
            .add_filter(extension, &[extension])
            .set_file_name(file_name)
            .save_file()
    }

    fn open_csv(&self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Import")
            .add_filter("CSV", &["csv"])
            .add_filter("All files", &["*"])
            .pick_file()
    }
}

/// Dialogs that answer every question with a fixed reply — for tests.
#[derive(Default)]
pub struct ScriptedDialogs {
    pub open: Option<PathBuf>,
    pub save: Option<PathBuf>,
}

impl FileDialogs for ScriptedDialogs {
    fn open_situation(&self) -> Option<PathBuf> {
        self.open.clone()
    }
    fn save_situation(&self, _file_name: &str) -> Option<PathBuf> {
        self.save.clone()
    }
    fn save_export(&self, _file_name: &str, _extension: &str) -> Option<PathBuf> {
        self.save.clone()
    }
    fn open_csv(&self) -> Option<PathBuf> {
        self.open.clone()
    }
}
