//! "Connect again…" in the window: a shared situation whose server changed its access token is
//! refused, the status bar says so and offers "Connect again…" (never while all is well); the
//! dialog shows the server and the token in use; Escape closes it and nothing is dialed; the
//! new token typed and Connect bring the share back online, remembered, and the edit made
//! while refused reaches a colleague. The end-to-end test points Tandem's data folder at a
//! temporary one for the whole process; the other only draws the dialog.

mod common;

use std::time::Duration;

use common::window::{frames_until, sample_window, settle};
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable as _;
use tandem::app::{Action, TandemApp};
use tandem::model::edit::Edit;
use tandem::model::{Item, Sensitivity};
use tandem::sync::live::ShareRequest;
use tandem::sync::net::Server;
use tandem::ui::share_dialog::{ConnectAgainForm, ShareDialog};

const TOKEN: &str = "office-token-for-tests";
const NEW_TOKEN: &str = "office-token-after-rotation";
const CONNECT_AGAIN: &str = "Connect again…";

fn status_starts(app: &TandemApp, start: &str) -> bool {
    app.session()
        .shared()
        .is_some_and(|s| s.status_text().starts_with(start))
}

fn refused(app: &TandemApp) -> bool {
    app.session()
        .shared()
        .is_some_and(|s| s.status_text().contains("refused the access token"))
}

#[test]
fn a_refused_share_connects_again_with_the_new_token() {
    let data_dir = tempfile::tempdir().unwrap();
    // SAFETY: set before any thread of this test starts; the other test reads no data folder.
    unsafe { std::env::set_var(tandem::io::recovery::DATA_DIR_ENV, data_dir.path()) };
    let server_data = tempfile::tempdir().unwrap();
    let server = Server::start("127.0.0.1:0".parse().unwrap(), server_data.path(), TOKEN).unwrap();
    let (addr, url) = (server.addr(), server.url());

    let mut harness = sample_window();
    harness.run();
    harness.state_mut().push(Action::Share(ShareRequest {
        server: url.clone(),
        token: TOKEN.into(),
        ceiling: Sensitivity::Confidential,
    }));
    frames_until(&mut harness, "online", Duration::from_secs(20), |app| {
        status_starts(app, "Shared · online")
    });
    harness.state_mut().push(Action::CloseShareDialog);
    settle(&mut harness);
    assert!(
        harness.query_by_label(CONNECT_AGAIN).is_none(),
        "not offered while online"
    );
    let link = harness
        .state()
        .session()
        .shared()
        .unwrap()
        .link()
        .to_owned();

    // The office changes its token: the server refuses this copy's, the status bar says so.
    drop(server);
    let _server = common::restart_server(addr, server_data.path(), NEW_TOKEN);
    frames_until(&mut harness, "refused", Duration::from_secs(20), refused);
    harness.get_by_label_contains("refused the access token");

    // An edit meanwhile: kept in the local copy.
    let mut actor = harness.state().doc().situation().actors[1].clone();
    actor.name = "Renamed while refused".into();
    harness.state_mut().push(Action::Edit(Edit::Replace {
        item: Item::Actor(actor),
    }));
    settle(&mut harness);

    // Escape closes the dialog; nothing is dialed, nothing remembered.
    harness.get_by_label(CONNECT_AGAIN).click();
    settle(&mut harness);
    match &harness.state().share_dialog {
        Some(ShareDialog::ConnectAgain(form)) => {
            assert_eq!(form.server, url);
            assert_eq!(form.token, TOKEN, "prefilled with the token in use");
            assert!(form.reason.contains("refused the access token"), "{form:?}");
        }
        other => panic!("{other:?}"),
    }
    harness.get_by_label_contains("Your edits are kept on this computer");
    harness.key_press(egui::Key::Escape);
    settle(&mut harness);
    assert!(harness.state().share_dialog.is_none());
    std::thread::sleep(Duration::from_millis(300));
    settle(&mut harness);
    assert!(
        refused(harness.state()),
        "still refused: nothing was dialed"
    );
    assert_eq!(harness.state().settings.sharing.token, TOKEN);

    // A token still wrong, with the Connect button: refused again; "Connecting again to …"
    // gives way to the reason, with "Connect again…" beside it.
    let token_field = || (Role::PasswordInput, "Access token");
    harness.get_by_label(CONNECT_AGAIN).click();
    settle(&mut harness);
    harness
        .get_by_role_and_label(token_field().0, token_field().1)
        .type_text("still-not-the-token");
    settle(&mut harness);
    harness.get_by_label("Connect").click();
    settle(&mut harness);
    frames_until(
        &mut harness,
        "refused again",
        Duration::from_secs(20),
        |app| app.status.is_none() && refused(app),
    );
    harness.get_by_label(CONNECT_AGAIN);

    // The refused token is selected as the dialog opens: the new one typed replaces it, and
    // Enter connects. Online again, the token remembered.
    harness.get_by_label(CONNECT_AGAIN).click();
    settle(&mut harness);
    assert!(
        harness
            .get_by_role_and_label(token_field().0, token_field().1)
            .is_focused()
    );
    harness
        .get_by_role_and_label(token_field().0, token_field().1)
        .type_text(NEW_TOKEN);
    settle(&mut harness);
    match &harness.state().share_dialog {
        Some(ShareDialog::ConnectAgain(form)) => assert_eq!(form.token, NEW_TOKEN),
        other => panic!("{other:?}"),
    }
    harness.key_press(egui::Key::Enter);
    settle(&mut harness);
    assert!(harness.state().share_dialog.is_none());
    assert_eq!(harness.state().settings.sharing.token, NEW_TOKEN);
    frames_until(
        &mut harness,
        "online again",
        Duration::from_secs(20),
        |app| status_starts(app, "Shared · online"),
    );
    assert!(harness.query_by_label(CONNECT_AGAIN).is_none());
    let connected = format!("Connected again to {url}");
    assert_eq!(harness.state().status.as_deref(), Some(connected.as_str()));

    // The edit made while refused is on the server: a colleague sees it.
    let colleague_root = tempfile::tempdir().unwrap();
    let (_colleague, theirs) =
        common::colleague_opens(&url, NEW_TOKEN, &link, colleague_root.path());
    assert_eq!(theirs.actors[1].name, "Renamed while refused");
}

/// The dialog over the window at 1280×720, with the longest reason there is (a certificate not
/// trusted, and how to trust one): legible, and within the window.
#[test]
fn the_connect_again_dialog_fits_the_window() {
    let mut harness = sample_window();
    harness.run();
    harness.state_mut().share_dialog = Some(ShareDialog::ConnectAgain(ConnectAgainForm {
        server: "wss://sync.office.example:8470/".into(),
        reason: "no secure connection to the sync server at wss://sync.office.example:8470/: \
                 its certificate is not signed by an authority this machine trusts (for an \
                 office's own authority, set SSL_CERT_FILE to that authority's certificate)"
            .into(),
        token: "office-token".into(),
    }));
    harness.run();
    for label in ["Connect", "Cancel", "Sync server", "Access token"] {
        let rect = harness.get_by_label(label).rect();
        assert!(
            rect.max.x <= 1280.0 && rect.max.y <= 720.0,
            "{label} at {rect:?}"
        );
    }
    harness.snapshot("connect_again_1280x720");
}
