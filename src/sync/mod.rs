//! Several officers on one situation: the situation as an Automerge document, merged by
//! Automerge and exchanged through a sync server. Knows nothing of egui.
//!
//! - [`doc`]: the mapping between a [`crate::model::Situation`] and the shared document —
//!   written item by item after each edit, read back item by item after a colleague's change;
//!   items above the share's ceiling never enter it.
//! - [`net`]: the sync server (`tandem serve`) and the client, samod over WebSocket, the
//!   access token checked before any document data passes.

pub mod doc;
pub mod live;
pub mod net;
pub mod store;

pub use doc::{FieldConflict, SharedDoc, SyncError};

use autosurgeon::{Hydrate, HydrateError, Reconcile, Reconciler};

use crate::model::PartialDate;

/// A date is stored as its text (`2009`, `2009-09`, `2009-09-28`), as in the situation file.
impl Reconcile for PartialDate {
    type Key<'a> = autosurgeon::reconcile::NoKey;

    fn reconcile<R: Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
        reconciler.str(self.to_string())
    }
}

impl Hydrate for PartialDate {
    fn hydrate_string(text: &'_ str) -> Result<Self, HydrateError> {
        text.parse().map_err(|err: crate::model::DateError| {
            HydrateError::unexpected("a date", err.to_string())
        })
    }
}
