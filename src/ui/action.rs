//! What panels, dialogs and banners ask of the app while they draw. Nothing changes during
//! drawing: the app collects these and applies them once, after the frame is drawn.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::command::AppCommand;
use super::export_dialog::ExportRequest;
use super::import_dialog::ImportOutcome;
use super::safety::{DiskChoice, LockChoice, RecoveryChoice};
use crate::model::ItemRef;
use crate::model::edit::Edit;

/// The main views, one per tab.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum View {
    #[default]
    Overview,
    Actors,
    Partners,
    Lines,
    Events,
    Timeline,
    Matrix,
    Map,
}

impl View {
    pub const ALL: [View; 8] = [
        View::Overview,
        View::Actors,
        View::Partners,
        View::Lines,
        View::Events,
        View::Timeline,
        View::Matrix,
        View::Map,
    ];

    /// The tab's name.
    pub fn label(self) -> &'static str {
        match self {
            View::Overview => "Overview",
            View::Actors => "Actors",
            View::Partners => "Partners",
            View::Lines => "Lines of effort",
            View::Events => "Events",
            View::Timeline => "Timeline",
            View::Matrix => "Matrix",
            View::Map => "Map",
        }
    }

    /// The digit that, with Alt, shows the view (Alt+1…8).
    pub fn shortcut_key(self) -> egui::Key {
        use egui::Key;
        match self {
            View::Overview => Key::Num1,
            View::Actors => Key::Num2,
            View::Partners => Key::Num3,
            View::Lines => Key::Num4,
            View::Events => Key::Num5,
            View::Timeline => Key::Num6,
            View::Matrix => Key::Num7,
            View::Map => Key::Num8,
        }
    }

    /// Parses a view name as given on the command line (`--view matrix`).
    pub fn parse(name: &str) -> Option<View> {
        let name = name.trim().to_ascii_lowercase();
        View::ALL.into_iter().find(|v| {
            v.label().to_ascii_lowercase() == name || format!("{v:?}").to_ascii_lowercase() == name
        })
    }
}

/// The answer to "save the changes before …?".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnsavedChoice {
    Save,
    Discard,
    Cancel,
}

/// What a typed path is for: File → Open path… and the others, or the question asked when the
/// system's own file dialog could not be shown.
#[derive(Clone, Debug, PartialEq)]
pub enum PathPurpose {
    Open,
    SaveAs,
    Import,
    Export(ExportRequest),
}

impl PathPurpose {
    /// The question's heading.
    pub fn heading(&self) -> &'static str {
        match self {
            PathPurpose::Open => "Open a situation file",
            PathPurpose::SaveAs => "Save the situation as",
            PathPurpose::Import => "Import a sheet",
            PathPurpose::Export(_) => "Export to",
        }
    }

    /// The button that takes the path.
    pub fn verb(&self) -> &'static str {
        match self {
            PathPurpose::Open => "Open",
            PathPurpose::SaveAs => "Save",
            PathPurpose::Import => "Import",
            PathPurpose::Export(_) => "Export",
        }
    }
}

/// The question "which file?" asked with a text field: what it is for, what is typed, why it
/// is asked this way, and what was wrong with the last path given.
#[derive(Clone, Debug, PartialEq)]
pub struct PathPrompt {
    pub purpose: PathPurpose,
    pub text: String,
    /// Shown above the field when the system's dialog could not be shown.
    pub note: Option<String>,
    pub error: Option<String>,
}

/// What the user asked for, applied once after drawing.
#[derive(Clone, Debug, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum Action {
    Command(AppCommand),
    Edit(Edit),
    Select(Option<ItemRef>),
    /// Select an item and switch to the view that lists it.
    Reveal(ItemRef),
    /// Select an item and show it in this view (an event in the timeline, scrolled to it).
    RevealIn(ItemRef, View),
    /// Open the Problems panel.
    ShowProblems,
    OpenPath(PathBuf),
    Status(String),
    /// The answer to the unsaved-changes prompt.
    AnswerUnsaved(UnsavedChoice),
    /// The answer to "delete this item that others refer to?": `true` deletes it.
    AnswerDelete(bool),
    /// The error dialog was acknowledged.
    DismissError,
    AnswerDiskChange(DiskChoice),
    AnswerLock(LockChoice),
    AnswerRecovery(RecoveryChoice),
    /// The Export dialog's Export button: ask where, then write.
    Export(ExportRequest),
    /// The Export dialog was closed.
    CloseExport,
    /// The Import dialog's decision.
    Import(ImportOutcome),
    /// "Your name" answered: `None` when put off (asked again at the next start).
    SetOfficerName(Option<String>),
    /// A path typed in the path question (checked when applied); `None`: cancelled.
    PathTyped(Option<String>),
    /// "Start briefing" answered: present to this audience.
    StartBriefing(crate::export::Audience),
    /// "Start briefing" cancelled.
    CancelBriefing,
    /// In briefing mode: present to another audience from now on.
    ChangeBriefingAudience(crate::export::Audience),
    /// File → Share… answered: publish the open situation.
    Share(crate::sync::live::ShareRequest),
    /// File → Open shared… answered: open a colleague's share.
    OpenShared(crate::sync::live::OpenSharedRequest),
    /// The Share, Open shared or Connect again dialog was closed.
    CloseShareDialog,
    /// The status bar's "Connect again…", beside why the share stopped trying.
    ShowConnectAgain,
    /// "Connect again…" answered: dial the share's server again with this access token.
    ConnectAgain(String),
    /// Show the situation as it stood at this point of its history (at this time), read-only.
    ShowPast(crate::io::history::PastPoint, chrono::DateTime<chrono::Utc>),
    /// Leave the situation as it was: back to the present one.
    BackToNow,
    /// Briefing marks: a name given, an offer put aside, a mark to compare with.
    Mark(super::marks::MarkAction),
}
