//! File → Share…, File → Open shared… and the status bar's "Connect again…" in the app: the
//! dialogs opened and answered, and what the session reports about the share. The work itself
//! is in [`super::shared`].

use super::{Problem, TandemApp};
use crate::model::touched::Touched;
use crate::sync::live::{LinkState, OpenSharedRequest, ShareRequest};
use crate::ui::share_dialog::{ConnectAgainForm, OpenSharedForm, ShareDialog, ShareForm};

impl TandemApp {
    /// File → Share…: the form with the server and token last used, or the link when shared.
    pub(super) fn show_share_dialog(&mut self) {
        if self.modal_open() {
            return;
        }
        let sharing = &self.settings.sharing;
        self.share_dialog = Some(ShareDialog::Share(ShareForm {
            server: sharing.server.clone(),
            token: sharing.token.clone(),
            ceiling: self
                .session
                .shared()
                .map_or(sharing.ceiling, |s| s.ceiling()),
            link: self.session.shared().map(|s| s.link().to_owned()),
            busy: self.session.share_in_progress().map(str::to_owned),
        }));
    }

    /// File → Open shared…: a link, or one of the local copies.
    pub(super) fn show_open_shared_dialog(&mut self) {
        if self.modal_open() {
            return;
        }
        self.share_dialog = Some(ShareDialog::Open(OpenSharedForm {
            link: String::new(),
            token: self.settings.sharing.token.clone(),
            copies: super::shared::local_copies(),
            busy: None,
        }));
    }

    /// The Share button: remembered, then the server is asked on a thread of its own.
    pub(super) fn share(&mut self, request: ShareRequest) {
        let server = request.server.trim();
        if !(server.starts_with("ws://") || server.starts_with("wss://")) {
            self.error = Some(Problem {
                title: "The situation was not shared".into(),
                message: format!(
                    "“{server}” is not a sync server address: it starts with ws:// (or wss:// \
                     behind the office's proxy), e.g. ws://sync.office.example:8470/."
                ),
            });
            return;
        }
        let Some(root) = crate::io::recovery::data_dir() else {
            self.error = Some(no_data_folder());
            return;
        };
        self.settings.sharing.server = request.server.clone();
        self.settings.sharing.token = request.token.clone();
        self.settings.sharing.ceiling = request.ceiling;
        self.session.share(request, root);
        self.mark_busy();
    }

    /// The Open button: the open situation is replaced once the share is read.
    pub(super) fn open_shared(&mut self, request: OpenSharedRequest) {
        if self.session.doc().is_dirty() {
            self.error = Some(Problem {
                title: "Save or discard your changes first".into(),
                message: "Opening a shared situation replaces the one open, which has unsaved \
                          changes. Save it and try again."
                    .into(),
            });
            return;
        }
        let Some(root) = crate::io::recovery::data_dir() else {
            self.error = Some(no_data_folder());
            return;
        };
        self.settings.sharing.token = request.token.clone();
        self.session.open_shared(request, root);
        self.mark_busy();
    }

    /// The status bar's "Connect again…": the share's server, why it stopped trying, and the
    /// token in use to correct.
    pub(super) fn show_connect_again_dialog(&mut self) {
        if self.modal_open() {
            return;
        }
        let Some(shared) = self.session.shared() else {
            return;
        };
        let Some(reason) = shared.stopped_trying() else {
            return;
        };
        self.share_dialog = Some(ShareDialog::ConnectAgain(ConnectAgainForm {
            server: shared.server().to_owned(),
            reason,
            token: shared.token().to_owned(),
        }));
    }

    /// The Connect button: the token remembered (as Share and Open shared do), the server
    /// dialed again; the status bar says how it goes.
    pub(super) fn connect_again(&mut self, token: String) {
        self.share_dialog = None;
        let Some(shared) = self.session.shared_mut() else {
            return;
        };
        match shared.connect_again(&token) {
            Ok(()) => {
                self.status = Some(format!("Connecting again to {}…", shared.server()));
                self.connecting_again = Some(shared.server().to_owned());
                self.settings.sharing.token = token;
            }
            Err(problem) => self.error = Some(problem),
        }
    }

    /// After "Connect again…": once the server has answered, "Connecting again to …" gives way
    /// to "Connected again to …", or, refused again, to the reason the status bar shows with
    /// "Connect again…" beside it.
    pub(super) fn follow_connect_again(&mut self) {
        let Some(server) = &self.connecting_again else {
            return;
        };
        let answered = match self.session.shared() {
            None => Some(None),
            Some(shared) if shared.stopped_trying().is_some() => Some(None),
            Some(shared) if shared.state() != LinkState::Offline => {
                Some(Some(format!("Connected again to {server}")))
            }
            Some(_) => None,
        };
        if let Some(said) = answered {
            self.status = said;
            self.connecting_again = None;
        }
    }

    fn mark_busy(&mut self) {
        let doing = self.session.share_in_progress().map(str::to_owned);
        if let Some(dialog) = &mut self.share_dialog {
            dialog.set_busy(doing.clone());
        }
        self.status = doing;
    }

    /// The situation is shared: the dialog shows the link to give colleagues.
    pub(super) fn shared_now(&mut self, link: String) {
        if let Some(ShareDialog::Share(form)) = &mut self.share_dialog {
            form.busy = None;
            form.link = Some(link.clone());
        }
        self.status = Some(format!("Shared: colleagues open {link}"));
    }

    /// Colleagues' changes are in: the selection follows a renamed item, or goes with a
    /// removed one.
    pub(super) fn colleagues_changed(&mut self, touched: &Touched) {
        self.follow_renames(touched.renames.clone());
        self.drop_stale_selection();
        let n = touched.items.len() + touched.cells.len() + usize::from(touched.meta);
        self.status = Some(format!(
            "A colleague's change came in ({})",
            crate::text::counted(n, "item", "items")
        ));
    }
}

fn no_data_folder() -> Problem {
    Problem {
        title: "The situation cannot be shared".into(),
        message: "Tandem found no data folder for this account: the shared situation's local \
                  copy has nowhere to go."
            .into(),
    }
}
