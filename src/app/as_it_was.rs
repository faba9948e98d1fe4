//! "As it was": the situation as it stood at a point of its history, shown read-only in every
//! view (and exported as shown) until the officer comes back to now; and the History panel's
//! side of the window, which lists the points to pick from.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};

use super::TandemApp;
use super::history::{shared_entries, shared_state_after};
use super::session::Session;
use crate::io::history::{HistoryEntry, PastPoint, time_text};
use crate::model::touched::ChangeStamps;
use crate::model::{Diagnostic, ItemRef, Situation};
use crate::sync::doc::ItemsPerChange;
use crate::ui::Action;
use crate::ui::history::{HistoryPanel, HistorySource, history_panel_ui};

/// Revisions of older states: far above any document's, and never the same twice.
static PAST_REVISIONS: AtomicU64 = AtomicU64::new(1 << 62);

/// The situation shown as it was, while it is.
pub struct Past {
    pub point: PastPoint,
    /// When the change it follows was made.
    pub at: DateTime<Utc>,
    /// The state, once worked out (the local history's thread replays it).
    shown: Option<PastState>,
}

/// An older state, ready to draw.
pub struct PastState {
    pub situation: Situation,
    pub diagnostics: Arc<Vec<Diagnostic>>,
    pub stamps: ChangeStamps,
    pub revision: u64,
}

impl PastState {
    fn new(situation: Situation) -> Self {
        let diagnostics = Arc::new(crate::analysis::check_all(&situation));
        Self {
            situation,
            diagnostics,
            stamps: ChangeStamps::fresh(),
            revision: PAST_REVISIONS.fetch_add(1, Ordering::Relaxed),
        }
    }
}

impl Past {
    /// The state, once worked out.
    pub fn state(&self) -> Option<&PastState> {
        self.shown.as_ref()
    }

    /// "12 Oct 2026 14:03".
    pub fn when(&self) -> String {
        time_text(self.at)
    }
}

/// The situation the views show: as it was, while it is shown, else as it is.
pub fn shown<'a>(past: &'a Option<Past>, session: &'a Session) -> &'a Situation {
    match past.as_ref().and_then(Past::state) {
        Some(state) => &state.situation,
        None => session.doc().situation(),
    }
}

/// The shared situation's entries, read again only when its heads moved (the items each
/// change touched: only the new changes' operations decoded).
#[derive(Default)]
pub struct HistoryCache {
    heads: Vec<automerge::ChangeHash>,
    entries: Arc<Vec<HistoryEntry>>,
    items: ItemsPerChange,
    version: u64,
}

impl TandemApp {
    /// Shows the situation as it stood at `point`, read-only, in every view.
    pub(super) fn show_past(&mut self, point: PastPoint, at: DateTime<Utc>) {
        let shown = match &point {
            PastPoint::Local(seq) => {
                let Some(log) = self.session.history_mut() else {
                    self.status = Some("This situation keeps no history yet".into());
                    return;
                };
                log.ask_state_after(*seq);
                None
            }
            PastPoint::Shared(hash) => {
                let Some(shared) = self.session.shared() else {
                    self.status = Some("The situation is no longer shared".into());
                    return;
                };
                match shared
                    .live()
                    .with_document(|doc| shared_state_after(doc, hash))
                {
                    Ok(situation) => Some(PastState::new(situation)),
                    Err(why) => {
                        self.status =
                            Some(format!("The situation as it was cannot be shown: {why}"));
                        return;
                    }
                }
            }
        };
        self.past = Some(Past { point, at, shown });
        self.status = Some(format!(
            "Showing the situation as it was on {} (read-only)",
            time_text(at)
        ));
    }

    /// Back to the situation as it is now.
    pub(super) fn back_to_now(&mut self) {
        if self.past.take().is_some() {
            self.status = Some("Back to the situation as it is now".into());
        }
    }

    /// Takes in an older state the local history's thread worked out.
    pub(super) fn poll_past(&mut self) {
        let Some(Past {
            point: PastPoint::Local(seq),
            shown: None,
            ..
        }) = &self.past
        else {
            return;
        };
        let seq = *seq;
        let Some(answer) = self
            .session
            .history_mut()
            .and_then(|log| log.state_after(seq))
        else {
            return;
        };
        match (answer, self.past.as_mut()) {
            (Some(situation), Some(past)) => past.shown = Some(PastState::new(situation)),
            (None, _) => {
                self.past = None;
                self.status = Some("That change is no longer kept in the history".into());
            }
            (Some(_), None) => {}
        }
    }

    /// While the situation is shown as it was, says why nothing changes and returns `true`.
    pub(super) fn refused_in_the_past(&mut self) -> bool {
        let Some(past) = &self.past else {
            return false;
        };
        self.status = Some(format!(
            "Not changed — this is the situation as it was on {}, read-only: “Back to now” to edit",
            past.when()
        ));
        true
    }

    /// The situation as it was, while it is shown.
    pub fn past(&self) -> Option<&Past> {
        self.past.as_ref()
    }
}

/// The History panel on the right of the window.
pub(super) fn history_side_ui(
    ui: &mut egui::Ui,
    panel: &mut HistoryPanel,
    cache: &mut HistoryCache,
    session: &Session,
    selection: Option<&ItemRef>,
    actions: &mut Vec<Action>,
) {
    let (entries, version, about, loading) = history_of(cache, session);
    let source = HistorySource {
        entries: &entries,
        version,
        about,
        loading,
        situation: session.doc().situation(),
        selection,
    };
    egui::Panel::right("history")
        .resizable(true)
        .default_size(400.0)
        .size_range(300.0..=720.0)
        .show(ui, |ui| history_panel_ui(ui, panel, &source, actions));
}

/// The entries to list, a key that changes with them, where they come from, and whether they
/// are still being read.
fn history_of(
    cache: &mut HistoryCache,
    session: &Session,
) -> (Arc<Vec<HistoryEntry>>, u64, String, bool) {
    if let Some(shared) = session.shared() {
        let heads = shared.live().seen().to_vec();
        if heads != cache.heads || cache.version == 0 {
            let items = &mut cache.items;
            cache.entries =
                Arc::new((shared.live()).with_document(|doc| shared_entries(doc, items)));
            cache.heads = heads;
            cache.version += 1;
        }
        let about = "The shared situation's changes, by every officer".to_owned();
        return (cache.entries.clone(), cache.version, about, false);
    }
    match session.history() {
        Some(log) => {
            let name = log
                .file()
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let about = format!("Kept on this computer for {name}");
            (log.entries(), log.version(), about, log.is_loading())
        }
        None => (
            Arc::default(),
            0,
            "This situation has no file yet: its history is kept from its first save".into(),
            false,
        ),
    }
}
