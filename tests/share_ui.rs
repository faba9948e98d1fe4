//! File → Share… in the window: the form filled as a user would, the link shown, the status
//! bar saying the share is online, a colleague's edit showing without any action, and "a
//! colleague changed this too" on the item both changed at once. One test in this file: it
//! points Tandem's data folder at a temporary one for the whole process.

mod common;

use std::time::Duration;

use common::window::{frames_until, sample_window, settle};
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable as _;
use tandem::app::Action;
use tandem::model::edit::Edit;
use tandem::model::{Item, ItemKind, ItemRef, Sensitivity};
use tandem::sync::live::LiveShare;
use tandem::sync::net::Server;
use tandem::ui::share_dialog::ShareDialog;

const TOKEN: &str = "office-token-for-tests";

#[test]
fn share_from_the_file_menu_and_see_a_colleagues_edit_and_a_conflict() {
    let data_dir = tempfile::tempdir().unwrap();
    // SAFETY: the only test in this binary; nothing else reads the environment meanwhile.
    unsafe { std::env::set_var(tandem::io::recovery::DATA_DIR_ENV, data_dir.path()) };
    let server_data = tempfile::tempdir().unwrap();
    let server = Server::start("127.0.0.1:0".parse().unwrap(), server_data.path(), TOKEN).unwrap();

    let mut harness = sample_window();
    harness.run();
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label_contains("Share…").click();
    harness.run();
    harness.get_by_label_contains("never leave this computer");
    harness.get_by_label_contains("old values of an item deleted");
    harness.snapshot("share_dialog_1280x720");
    match &harness.state().share_dialog {
        Some(ShareDialog::Share(form)) => assert_eq!(form.ceiling, Sensitivity::Confidential),
        other => panic!("{other:?}"),
    }
    // The keyboard is in the first empty field; Enter goes on to the next one, then shares.
    let server_field = (Role::TextInput, "Sync server");
    let token_field = (Role::PasswordInput, "Access token");
    assert!(
        harness
            .get_by_role_and_label(server_field.0, server_field.1)
            .is_focused()
    );
    harness
        .get_by_role_and_label(server_field.0, server_field.1)
        .type_text(&server.url());
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert!(
        harness
            .get_by_role_and_label(token_field.0, token_field.1)
            .is_focused()
    );
    assert!(harness.state().session().share_in_progress().is_none());
    harness
        .get_by_role_and_label(token_field.0, token_field.1)
        .type_text("not-the-token");
    harness.run();
    // A wrong token: the server refuses, the officer is told so, nothing is shared.
    harness.key_press(egui::Key::Enter);
    frames_until(&mut harness, "refused", Duration::from_secs(20), |app| {
        app.error.is_some()
    });
    harness.get_by_label_contains("refused the access token");
    harness.get_by_label("OK").click();
    harness.run();
    assert!(harness.state().session().shared().is_none());
    harness
        .get_by_role_and_label(Role::PasswordInput, "Access token")
        .focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness
        .get_by_role_and_label(Role::PasswordInput, "Access token")
        .type_text(TOKEN);
    harness.run();
    harness.get_by_label("Share").click();
    frames_until(&mut harness, "shared", Duration::from_secs(20), |app| {
        app.session().shared().is_some()
    });
    harness.get_by_label("Copy link");
    let first_link = harness
        .state()
        .session()
        .shared()
        .unwrap()
        .link()
        .to_owned();
    // A clean shared copy: a new document (a new link) from the current state.
    harness.get_by_label("Start a clean shared copy").click();
    frames_until(
        &mut harness,
        "a clean copy",
        Duration::from_secs(20),
        |app| {
            app.session()
                .shared()
                .is_some_and(|s| s.link() != first_link)
        },
    );
    let link = harness
        .state()
        .session()
        .shared()
        .unwrap()
        .link()
        .to_owned();
    assert_eq!(
        harness.state().doc().situation(),
        tandem::app::sample_document().situation(),
        "the clean copy starts from the situation as it is"
    );
    assert_eq!(harness.state().settings.sharing.server, server.url());
    harness.get_by_label("Close").click();
    settle(&mut harness);
    assert!(harness.state().share_dialog.is_none());
    frames_until(&mut harness, "online", Duration::from_secs(10), |app| {
        app.session()
            .shared()
            .is_some_and(|s| s.status_text().starts_with("Shared · online"))
    });
    harness.get_by_label_contains("Shared · online · last exchange");

    // A colleague opens the link and renames an actor: it shows without any action.
    let colleague_root = tempfile::tempdir().unwrap();
    let (mut colleague, mut theirs) =
        common::colleague_opens(&server.url(), TOKEN, &link, colleague_root.path());
    let write = |live: &mut LiveShare, situation: &mut tandem::model::Situation, edit: Edit| {
        let touched = edit.touched();
        let label = edit.describe(situation);
        tandem::model::edit::apply(situation, edit).unwrap();
        live.write(situation, &touched, &label, "Bakary").unwrap();
    };
    let mut actor = theirs.actors[2].clone();
    actor.name = "Renamed by Bakary".into();
    write(
        &mut colleague,
        &mut theirs,
        Edit::Replace {
            item: Item::Actor(actor),
        },
    );
    frames_until(
        &mut harness,
        "the colleague's edit",
        Duration::from_secs(2),
        |app| app.doc().situation().actors[2].name == "Renamed by Bakary",
    );

    // Both rename another actor at once: one name is kept, the banner shows the other.
    let id = theirs.actors[3].id.clone();
    let mut mine = harness.state().doc().situation().actors[3].clone();
    mine.name = "Amina's name".into();
    harness.state_mut().push(Action::Edit(Edit::Replace {
        item: Item::Actor(mine),
    }));
    let mut actor = theirs.actors[3].clone();
    actor.name = "Bakary's name".into();
    write(
        &mut colleague,
        &mut theirs,
        Edit::Replace {
            item: Item::Actor(actor),
        },
    );
    let item = ItemRef::new(ItemKind::Actor, &id);
    frames_until(
        &mut harness,
        "the conflict",
        Duration::from_secs(5),
        |app| {
            app.session()
                .shared()
                .is_some_and(|s| !s.conflicts(&item).is_empty())
        },
    );
    harness.state_mut().push(Action::Select(Some(item.clone())));
    settle(&mut harness);
    let kept = harness.state().doc().situation().actors[3].name.clone();
    let other = if kept == "Amina's name" {
        "Bakary's name"
    } else {
        "Amina's name"
    };
    harness.get_by_label_contains(&format!(
        "A colleague changed this too: name was also set to “{other}”"
    ));
    drop(colleague);

    // The server stops: the status bar says the share is offline, edits are kept.
    drop(server);
    frames_until(&mut harness, "offline", Duration::from_secs(10), |app| {
        app.session()
            .shared()
            .is_some_and(|s| s.status_text().starts_with("Shared · offline"))
    });
    harness.get_by_label_contains("Shared · offline");
}
