//! File → Share… and File → Open shared…: the sync server, the office's access token, what may
//! go into the share, and the link colleagues open; and "Connect again…", once the server
//! refused the token or its certificate was not trusted. The dialogs only draw and return the
//! user's answer as an [`Action`]; the server is asked by the app, on a thread of its own.

use egui::RichText;

use super::action::Action;
use super::modals::select_all;
use crate::model::Sensitivity;
use crate::sync::live::{OpenSharedRequest, ShareInfo, ShareRequest};
use crate::text::capitalised;

/// What File → Share… shows: the form, then the link.
#[derive(Clone, Debug, PartialEq)]
pub struct ShareForm {
    pub server: String,
    pub token: String,
    pub ceiling: Sensitivity,
    /// The share's link, once the situation is shared.
    pub link: Option<String>,
    /// What is being done ("Sharing the situation…"), while the server is asked.
    pub busy: Option<String>,
}

/// What File → Open shared… shows.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenSharedForm {
    pub link: String,
    pub token: String,
    /// Shared situations with a local copy on this computer, last opened first.
    pub copies: Vec<ShareInfo>,
    pub busy: Option<String>,
}

/// "Connect again…": the open share's server, why it stopped trying, and the token to try.
#[derive(Clone, Debug, PartialEq)]
pub struct ConnectAgainForm {
    /// The server the share lives on (not changed here: it is the share's).
    pub server: String,
    /// Why the client stopped trying ("the sync server at … refused the access token").
    pub reason: String,
    /// Prefilled with the token in use.
    pub token: String,
}

/// One of the dialogs, while open.
#[derive(Clone, Debug, PartialEq)]
pub enum ShareDialog {
    Share(ShareForm),
    Open(OpenSharedForm),
    ConnectAgain(ConnectAgainForm),
}

impl ShareDialog {
    /// Says the server is being asked (or, with `None`, no longer).
    pub fn set_busy(&mut self, busy: Option<String>) {
        match self {
            ShareDialog::Share(form) => form.busy = busy,
            ShareDialog::Open(form) => form.busy = busy,
            ShareDialog::ConnectAgain(_) => {}
        }
    }
}

/// What the Share dialog says about what leaves the computer.
pub const WHAT_STAYS: &str = "Items above the ceiling, and the items that name one of them, \
    never leave this computer: you see and edit them with the rest, colleagues do not. \
    The shared document keeps every change: the old values of an item deleted or made more \
    sensitive later stay in its history, on the server and with every colleague, readable with \
    the link and the token. To leave them behind, start a clean shared copy (offered once \
    shared) and give colleagues its new link.";

/// Draws the open dialog; returns what the user chose.
pub fn share_dialog_ui(ctx: &egui::Context, dialog: &mut ShareDialog) -> Option<Action> {
    let modal = egui::Modal::new(egui::Id::unique("share_dialog")).show(ctx, |ui| {
        ui.set_max_width(560.0);
        match dialog {
            ShareDialog::Share(form) => share_form_ui(ui, form),
            ShareDialog::Open(form) => open_form_ui(ui, form),
            ShareDialog::ConnectAgain(form) => connect_again_ui(ui, form),
        }
    });
    let closed = modal.should_close();
    modal.inner.or(closed.then_some(Action::CloseShareDialog))
}

/// The text fields of a form, answered with Enter.
#[derive(Default)]
struct Fields {
    /// Each field, and whether it is still empty.
    fields: Vec<(egui::Response, bool)>,
}

impl Fields {
    fn add(&mut self, field: egui::Response, text: &str) {
        let empty = text.trim().is_empty();
        self.fields.push((field, empty));
    }

    /// Whether Enter answers the form: pressed in the last field, or in any once none is
    /// empty. (Enter in an earlier field with one still empty goes on to that one instead.)
    fn entered(&self, ui: &egui::Ui) -> bool {
        if !ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            return false;
        }
        let left = self.fields.iter().position(|(f, _)| f.lost_focus());
        let all_given = self.fields.iter().all(|(_, empty)| !empty);
        left.is_some_and(|i| all_given || i + 1 == self.fields.len())
    }

    /// Puts the keyboard in the first empty field when no widget has it: as the form opens,
    /// and after Enter in a field while another is still empty.
    fn focus_first_empty(&self, ui: &egui::Ui) {
        let ctx = ui.ctx();
        if ctx.memory(|m| m.focused().is_some()) || egui::Popup::is_any_open(ctx) {
            return;
        }
        if let Some((field, _)) = self.fields.iter().find(|(_, empty)| *empty) {
            field.request_focus();
        }
    }
}

/// Server and token fields, in a grid already open.
fn connection_ui(
    ui: &mut egui::Ui,
    server: Option<&mut String>,
    token: &mut String,
    fields: &mut Fields,
) {
    if let Some(server) = server {
        let label = ui.label("Sync server");
        let field = ui
            .add(
                egui::TextEdit::singleline(server)
                    .hint_text("wss://sync.office.example:8470/")
                    .desired_width(360.0),
            )
            .labelled_by(label.id);
        fields.add(field, server);
        ui.end_row();
    }
    let label = ui.label("Access token");
    let field = ui
        .add(
            egui::TextEdit::singleline(token)
                .password(true)
                .hint_text("from your office's administrator")
                .desired_width(360.0),
        )
        .labelled_by(label.id);
    fields.add(field, token);
    ui.end_row();
}

/// What "Connect again…" says of the officer's edits.
pub const EDITS_KEPT: &str = "Your edits are kept on this computer meanwhile and are sent once \
    the server accepts the connection.";

fn connect_again_ui(ui: &mut egui::Ui, form: &mut ConnectAgainForm) -> Option<Action> {
    ui.heading("Connect to the sync server again");
    ui.label(format!("{}.", capitalised(&form.reason)));
    ui.add_space(6.0);
    let mut fields = Fields::default();
    egui::Grid::new("connect_again_form")
        .num_columns(2)
        .show(ui, |ui| {
            // The share's own server: shown, not changed here.
            let label = ui.label("Sync server");
            ui.label(RichText::new(&form.server).monospace())
                .labelled_by(label.id);
            ui.end_row();
            connection_ui(ui, None, &mut form.token, &mut fields);
        });
    // The token in use was refused: selected, so that typing replaces it.
    if let Some((token, _)) = fields.fields.first()
        && !token.has_focus()
        && !token.lost_focus()
    {
        token.request_focus();
        select_all(ui.ctx(), token.id, &form.token);
    }
    ui.label(RichText::new(EDITS_KEPT).weak());
    ui.add_space(8.0);
    let ready = !form.token.is_empty();
    let entered = fields.entered(ui) && ready;
    ui.horizontal(|ui| {
        let connect = ui.add_enabled(ready, egui::Button::new("Connect"));
        if connect.clicked() || entered {
            Some(Action::ConnectAgain(form.token.clone()))
        } else if ui.button("Cancel").clicked() {
            Some(Action::CloseShareDialog)
        } else {
            None
        }
    })
    .inner
}

fn busy_ui(ui: &mut egui::Ui, busy: &Option<String>) -> bool {
    if let Some(doing) = busy {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(doing.as_str());
        });
    }
    busy.is_some()
}

fn share_form_ui(ui: &mut egui::Ui, form: &mut ShareForm) -> Option<Action> {
    ui.heading("Share this situation");
    let mut chosen = None;
    if let Some(link) = form.link.clone() {
        let intro = ui.label("Shared. Colleagues open it with File → Open shared… and this link:");
        // The whole link, wrapped if it is long (a cut link is no use to a colleague); a
        // copy is shown, so typing in it changes nothing.
        let mut shown = link.clone();
        ui.add(
            egui::TextEdit::multiline(&mut shown)
                .desired_rows(1)
                .desired_width(ui.available_width())
                .font(egui::TextStyle::Monospace),
        )
        .labelled_by(intro.id);
        if ui.button("Copy link").clicked() {
            ui.ctx().copy_text(link.clone());
        }
        ui.add_space(6.0);
    }
    let mut fields = Fields::default();
    egui::Grid::new("share_form").num_columns(2).show(ui, |ui| {
        connection_ui(ui, Some(&mut form.server), &mut form.token, &mut fields);
        let label = ui.label("What may go");
        let combo = egui::ComboBox::from_id_salt("share_ceiling")
            .selected_text(format!("Up to {}", form.ceiling.label()))
            .show_ui(ui, |ui| {
                for level in Sensitivity::ALL {
                    let text = format!("Up to {}", level.label());
                    ui.selectable_value(&mut form.ceiling, *level, text);
                }
            });
        combo.response.labelled_by(label.id);
        ui.end_row();
    });
    ui.label(RichText::new(WHAT_STAYS).weak());
    ui.add_space(8.0);
    let busy = busy_ui(ui, &form.busy);
    let ready = !busy && !form.server.trim().is_empty() && !form.token.is_empty();
    // Enter shares; once shared, a clean copy is only started with its button.
    let entered = fields.entered(ui) && ready && form.link.is_none();
    if !busy {
        fields.focus_first_empty(ui);
    }
    ui.horizontal(|ui| {
        let verb = if form.link.is_some() {
            "Start a clean shared copy"
        } else {
            "Share"
        };
        if ui.add_enabled(ready, egui::Button::new(verb)).clicked() || entered {
            chosen = Some(Action::Share(ShareRequest {
                server: form.server.trim().to_owned(),
                token: form.token.clone(),
                ceiling: form.ceiling,
            }));
        }
        let close = if form.link.is_some() {
            "Close"
        } else {
            "Cancel"
        };
        if ui.button(close).clicked() {
            chosen = Some(Action::CloseShareDialog);
        }
    });
    chosen
}

fn open_form_ui(ui: &mut egui::Ui, form: &mut OpenSharedForm) -> Option<Action> {
    ui.heading("Open a shared situation");
    let mut chosen = None;
    let mut fields = Fields::default();
    egui::Grid::new("open_shared_form")
        .num_columns(2)
        .show(ui, |ui| {
            let label = ui.label("Link");
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut form.link)
                        .hint_text("ws://HOST:PORT/#automerge:…")
                        .desired_width(360.0),
                )
                .labelled_by(label.id);
            fields.add(field, &form.link);
            ui.end_row();
            connection_ui(ui, None, &mut form.token, &mut fields);
        });
    if !form.copies.is_empty() {
        ui.add_space(6.0);
        ui.label("On this computer (they open offline too):");
        for copy in &form.copies {
            let opened = copy
                .opened
                .with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M");
            let text = format!(
                "{} — up to {}, last opened {opened}",
                copy.title,
                copy.ceiling.label()
            );
            if ui
                .selectable_label(form.link == copy.link, text)
                .on_hover_text(&copy.link)
                .clicked()
            {
                form.link = copy.link.clone();
            }
        }
    }
    ui.add_space(8.0);
    let busy = busy_ui(ui, &form.busy);
    let ready = !busy && !form.link.trim().is_empty();
    let entered = fields.entered(ui) && ready;
    if !busy {
        fields.focus_first_empty(ui);
    }
    ui.horizontal(|ui| {
        if ui.add_enabled(ready, egui::Button::new("Open")).clicked() || entered {
            chosen = Some(Action::OpenShared(OpenSharedRequest {
                link: form.link.trim().to_owned(),
                token: form.token.clone(),
            }));
        }
        if ui.button("Cancel").clicked() {
            chosen = Some(Action::CloseShareDialog);
        }
    });
    chosen
}

#[cfg(test)]
mod tests {
    use egui::accesskit::Role;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;

    use super::*;

    type Shown = (ShareDialog, Vec<Action>);

    fn open_harness(token: &str) -> Harness<'static, Shown> {
        let form = OpenSharedForm {
            link: String::new(),
            token: token.to_owned(),
            copies: Vec::new(),
            busy: None,
        };
        Harness::new_ui_state(
            |ui, (dialog, chosen): &mut Shown| {
                chosen.extend(share_dialog_ui(ui.ctx(), dialog));
            },
            (ShareDialog::Open(form), Vec::new()),
        )
    }

    fn opened(chosen: &[Action]) -> Vec<&OpenSharedRequest> {
        (chosen.iter())
            .filter_map(|a| match a {
                Action::OpenShared(request) => Some(request),
                _ => None,
            })
            .collect()
    }

    fn link_typed_and_enter(harness: &mut Harness<'static, Shown>) {
        harness
            .get_by_role_and_label(Role::TextInput, "Link")
            .type_text(LINK);
        harness.run();
        harness.key_press(egui::Key::Enter);
        harness.run();
    }

    const LINK: &str = "ws://127.0.0.1:8470/#automerge:2oHoX6FQohaTar3Tpb3VZiZBQJc7";

    #[test]
    fn enter_in_the_link_goes_on_to_an_empty_token_and_enter_there_opens() {
        let mut harness = open_harness("");
        assert!(
            harness
                .get_by_role_and_label(Role::TextInput, "Link")
                .is_focused()
        );
        link_typed_and_enter(&mut harness);
        assert!(
            opened(&harness.state().1).is_empty(),
            "the token is still empty"
        );
        let token = harness.get_by_role_and_label(Role::PasswordInput, "Access token");
        assert!(token.is_focused());
        token.type_text("office-token");
        harness.run();
        harness.key_press(egui::Key::Enter);
        harness.run();
        let requests = opened(&harness.state().1);
        assert_eq!(requests.len(), 1, "{:?}", harness.state().1);
        assert_eq!(requests[0].link, LINK);
        assert_eq!(requests[0].token, "office-token");
    }

    #[test]
    fn with_the_token_remembered_enter_in_the_link_opens() {
        let mut harness = open_harness("office-token");
        link_typed_and_enter(&mut harness);
        let requests = opened(&harness.state().1);
        assert_eq!(requests.len(), 1, "{:?}", harness.state().1);
        assert_eq!(requests[0].token, "office-token");
    }
}
