//! Connecting again after the server refused the access token: a shared situation opened from
//! its local copy with a wrong token is refused and says so; an edit made meanwhile stays in the
//! local copy; dialing again with a token still wrong is refused again, promptly; with the right
//! one the share comes online and the edit reaches the server and a colleague.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tandem::model::edit::{self, Edit};
use tandem::model::{Item, Sensitivity, Situation};
use tandem::sync::live::{Connection, LinkState, LiveShare};
use tandem::sync::net::Server;

const TOKEN: &str = "office-token-for-tests";

fn guinea() -> Situation {
    tandem::io::parse_situation(tandem::samples::GUINEA)
        .unwrap()
        .situation
}

fn connection(server: &str, token: &str, data_root: &Path) -> Connection {
    Connection {
        server: server.to_owned(),
        token: token.to_owned(),
        data_root: data_root.to_path_buf(),
    }
}

/// Polls `done` until it holds; panics after `limit`. Returns how long it took.
fn wait_for(what: &str, limit: Duration, mut done: impl FnMut() -> bool) -> Duration {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "{what}: not within {limit:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
    start.elapsed()
}

/// Whether the share's status names the refused token.
fn refused(live: &LiveShare) -> bool {
    let status = live.status();
    status.state == LinkState::Offline
        && status
            .failure
            .is_some_and(|why| why.contains("refused the access token"))
}

/// Renames the first actor in `situation` and writes it into the share, as the app does.
fn rename_first_actor(live: &mut LiveShare, situation: &mut Situation, name: &str) {
    let mut actor = situation.actors[0].clone();
    actor.name = name.into();
    let change = Edit::Replace {
        item: Item::Actor(actor),
    };
    let label = change.describe(situation);
    let touched = change.touched();
    edit::apply(situation, change).unwrap();
    live.write(situation, &touched, &label, "amina").unwrap();
}

#[test]
fn a_refused_share_connects_again_and_sends_the_edit_made_meanwhile() {
    let server_data = tempfile::tempdir().unwrap();
    let server = Server::start("127.0.0.1:0".parse().unwrap(), server_data.path(), TOKEN).unwrap();
    let url = server.url();
    let root = tempfile::tempdir().unwrap();
    let shared = LiveShare::share(
        &guinea(),
        Sensitivity::Confidential,
        "amina",
        &connection(&url, TOKEN, root.path()),
        Arc::new(|| {}),
    )
    .unwrap();
    let link = shared.link().to_owned();
    drop(shared);

    // Opened again from the local copy with a mistyped token: it opens, and is refused.
    let wakes = Arc::new(AtomicUsize::new(0));
    let counted = wakes.clone();
    let wake = Arc::new(move || {
        counted.fetch_add(1, Ordering::Relaxed);
    });
    let (mut live, mut situation) =
        LiveShare::open(&link, &connection(&url, "mistyped", root.path()), wake).unwrap();
    wait_for("the refusal", Duration::from_secs(10), || refused(&live));
    assert_eq!(live.token(), "mistyped");
    assert_eq!(live.server(), url);
    rename_first_actor(&mut live, &mut situation, "Renamed while refused");
    std::thread::sleep(Duration::from_millis(300));
    assert!(refused(&live), "no further attempt of its own");

    // Again with a token still wrong: refused again, and said so promptly.
    // (The new refusal is told to the app: it wakes it.)
    let before = wakes.load(Ordering::Relaxed);
    live.redial("still-wrong").unwrap();
    let took = wait_for("the second refusal", Duration::from_secs(5), || {
        wakes.load(Ordering::Relaxed) > before && refused(&live)
    });
    eprintln!("refused again after {took:?}");
    assert_eq!(live.token(), "still-wrong");

    // With the right token: online, the edit made meanwhile on the server.
    let before = wakes.load(Ordering::Relaxed);
    live.redial(TOKEN).unwrap();
    let took = wait_for("online", Duration::from_secs(10), || {
        let status = live.status();
        status.failure.is_none() && status.state == LinkState::Online
    });
    eprintln!("online after {took:?}");
    assert!(
        wakes.load(Ordering::Relaxed) > before,
        "the app is woken by the new connection"
    );

    let colleague_root = tempfile::tempdir().unwrap();
    let (_colleague, theirs) = LiveShare::open(
        &link,
        &connection(&url, TOKEN, colleague_root.path()),
        Arc::new(|| {}),
    )
    .unwrap();
    assert_eq!(theirs.actors[0].name, "Renamed while refused");
}

/// The first connection's failure stays final: opening a share that is not in the local copy
/// with a wrong token fails at once with the reason, as before.
#[test]
fn opening_with_a_wrong_token_still_fails_at_once() {
    let server_data = tempfile::tempdir().unwrap();
    let server = Server::start("127.0.0.1:0".parse().unwrap(), server_data.path(), TOKEN).unwrap();
    let root = tempfile::tempdir().unwrap();
    let shared = LiveShare::share(
        &guinea(),
        Sensitivity::Confidential,
        "amina",
        &connection(&server.url(), TOKEN, root.path()),
        Arc::new(|| {}),
    )
    .unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let start = Instant::now();
    let opened = LiveShare::open(
        shared.link(),
        &connection(&server.url(), "mistyped", elsewhere.path()),
        Arc::new(|| {}),
    );
    match opened {
        Err(err) => assert!(
            err.to_string().contains("refused the access token"),
            "{err}"
        ),
        Ok(_) => panic!("opened with a wrong token"),
    }
    assert!(start.elapsed() < Duration::from_secs(5), "not after a wait");
}
