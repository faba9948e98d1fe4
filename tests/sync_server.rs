//! A sync server on 127.0.0.1 and clients in one process: a colleague's edit arrives, a wrong
//! token gets nothing, what is above the ceiling never reaches the server; and the CLI's
//! `share` and `fetch` through a `serve`d server.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use automerge::Automerge;
use tandem::model::edit::{self, Edit};
use tandem::model::{Item, Sensitivity, Situation};
use tandem::sync::SharedDoc;
use tandem::sync::net::{Client, NetError, Server};

const TOKEN: &str = "office-token-0123456789";
const CANARY: &str = "CANARY-5e1d-strictly-confidential";

fn guinea_with_canary() -> Situation {
    let mut s = tandem::io::parse_situation(tandem::samples::GUINEA)
        .unwrap()
        .situation;
    s.actors[0].sensitivity = Sensitivity::StrictlyConfidential;
    s.actors[0].notes = CANARY.into();
    s
}

fn local() -> std::net::SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

fn files_contain(dir: &Path, needle: &[u8]) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|entry| {
        let path = entry.path();
        if path.is_dir() {
            files_contain(&path, needle)
        } else {
            std::fs::read(&path).is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle))
        }
    })
}

#[test]
fn a_colleagues_edit_arrives_within_two_seconds_and_the_canary_stays_home() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(local(), data.path(), TOKEN).unwrap();
    let situation = guinea_with_canary();
    let mut doc = Automerge::new();
    let mut shared_a =
        SharedDoc::create(&mut doc, &situation, Sensitivity::Confidential, "amina", 1).unwrap();
    let store_a = tempfile::tempdir().unwrap();
    let a = Client::start(&server.url(), TOKEN, Some(store_a.path())).unwrap();
    a.connected(Duration::from_secs(10)).unwrap();
    let handle_a = a.create(doc).unwrap();
    a.flushed(&handle_a, Duration::from_secs(10)).unwrap();

    let store_b = tempfile::tempdir().unwrap();
    let b = Client::start(&server.url(), TOKEN, Some(store_b.path())).unwrap();
    b.connected(Duration::from_secs(10)).unwrap();
    let handle_b = b
        .find(handle_a.document_id(), Duration::from_secs(10))
        .unwrap();
    let mut shared_b = handle_b.with_document(|doc| SharedDoc::open(doc)).unwrap();
    let mut seen_by_b = handle_b
        .with_document(|doc| shared_b.situation(doc, None))
        .unwrap();
    assert!(seen_by_b.actor(&situation.actors[0].id).is_none());

    // Amina renames an actor; Bakary sees it without doing anything.
    let mut local_a = situation.clone();
    let id = local_a.actors[1].id.clone();
    let mut actor = local_a.actors[1].clone();
    actor.name = "Renamed at headquarters".into();
    let change = Edit::Replace {
        item: Item::Actor(actor),
    };
    let touched = change.touched();
    edit::apply(&mut local_a, change).unwrap();
    let start = Instant::now();
    handle_a.with_document(|doc| {
        shared_a
            .write(doc, &local_a, &touched, "edit actor", "amina", 2)
            .unwrap()
    });
    let before = handle_b.with_document(|doc| doc.get_heads());
    loop {
        let name = handle_b.with_document(|doc| {
            let after = doc.get_heads();
            if after == before {
                return None;
            }
            shared_b.take_remote(doc, &before, &mut seen_by_b).ok()?;
            seen_by_b.actor(&id).map(|a| a.name.clone())
        });
        if name.as_deref() == Some("Renamed at headquarters") {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "the edit did not arrive within 2 s"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    eprintln!("converged in {:?}", start.elapsed());
    a.stop();
    b.stop();
    drop(server);
    assert!(!files_contain(data.path(), CANARY.as_bytes()));
    assert!(!files_contain(store_b.path(), CANARY.as_bytes()));
}

#[test]
fn a_wrong_token_is_refused_before_any_document_passes() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(local(), data.path(), TOKEN).unwrap();
    let a = Client::start(&server.url(), TOKEN, None).unwrap();
    a.connected(Duration::from_secs(10)).unwrap();
    let mut doc = Automerge::new();
    SharedDoc::create(
        &mut doc,
        &guinea_with_canary(),
        Sensitivity::Confidential,
        "a",
        1,
    )
    .unwrap();
    let handle = a.create(doc).unwrap();
    a.flushed(&handle, Duration::from_secs(10)).unwrap();
    let intruder = Client::start(&server.url(), "wrong-token", None).unwrap();
    match intruder.connected(Duration::from_secs(10)) {
        Err(NetError::Refused(_)) => {}
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(
        intruder
            .find(handle.document_id(), Duration::from_secs(1))
            .is_err()
    );
}

fn tandem(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tandem"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn share_prints_a_link_that_fetch_turns_back_into_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, format!("{TOKEN}\n")).unwrap();
    let data = dir.path().join("data");
    let server = Server::start(local(), &data, TOKEN).unwrap();
    let server_url = server.url();
    let file = dir.path().join("guinea.ron");
    tandem::io::save_file(&file, &guinea_with_canary()).unwrap();
    let token_arg = token.to_str().unwrap();
    let shared = tandem(&[
        "share",
        file.to_str().unwrap(),
        "--server",
        &server.url(),
        "--token-file",
        token_arg,
    ]);
    assert!(
        shared.status.success(),
        "{}",
        String::from_utf8_lossy(&shared.stderr)
    );
    let stdout = String::from_utf8_lossy(&shared.stdout);
    let link = stdout.lines().last().unwrap().to_owned();
    assert!(link.contains("#automerge:"), "{link}");
    let out = dir.path().join("fetched.ron");
    let fetched = tandem(&[
        "fetch",
        &link,
        "--token-file",
        token_arg,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        fetched.status.success(),
        "{}",
        String::from_utf8_lossy(&fetched.stderr)
    );
    let back = tandem::io::load_file(&out).unwrap().situation;
    let original = guinea_with_canary();
    assert!(
        back.actor(&original.actors[0].id).is_none(),
        "above the ceiling"
    );
    assert_eq!(back.partners, original.partners);
    assert!(!std::fs::read_to_string(&out).unwrap().contains(CANARY));

    let wrong = dir.path().join("wrong");
    std::fs::write(&wrong, "nope\n").unwrap();
    let refused = tandem(&[
        "fetch",
        &link,
        "--token-file",
        wrong.to_str().unwrap(),
        "--out",
        "x.ron",
    ]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("refused"));
    let unknown = link.replace("#automerge:", "#automerge:2");
    let garbled = tandem(&[
        "fetch",
        &unknown,
        "--token-file",
        token_arg,
        "--out",
        "x.ron",
    ]);
    assert_eq!(garbled.status.code(), Some(2));
    let said = String::from_utf8_lossy(&garbled.stderr);
    assert!(said.contains("is not a Tandem share link"), "{said}");
    // A well-formed link to a situation this server never had.
    let other_data = dir.path().join("other");
    let other = Server::start(local(), &other_data, TOKEN).unwrap();
    let elsewhere = link.replace(&server_url, &other.url());
    let start = Instant::now();
    let unknown = tandem(&[
        "fetch",
        &elsewhere,
        "--token-file",
        token_arg,
        "--out",
        "x.ron",
    ]);
    assert_eq!(unknown.status.code(), Some(2));
    let said = String::from_utf8_lossy(&unknown.stderr);
    assert!(said.contains("has no shared situation"), "{said}");
    eprintln!("unknown link told in {:?}", start.elapsed());
    drop(server);
    let unreachable = tandem(&["fetch", &link, "--token-file", token_arg, "--out", "x.ron"]);
    assert_eq!(unreachable.status.code(), Some(2));
    let said = String::from_utf8_lossy(&unreachable.stderr);
    assert!(said.contains("cannot reach the sync server"), "{said}");
    let share = [
        "share",
        file.to_str().unwrap(),
        "--server",
        &server_url,
        "--token-file",
        token_arg,
    ];
    let unreachable = tandem(&share);
    assert_eq!(unreachable.status.code(), Some(2));
    let said = String::from_utf8_lossy(&unreachable.stderr);
    assert!(said.contains("cannot reach the sync server"), "{said}");
}

/// A client that sends no token at all gets an HTTP 401 in answer to its WebSocket upgrade:
/// the connection ends before the sync protocol (and any document) starts.
#[test]
fn a_client_without_a_token_is_refused_at_the_handshake() {
    use tokio_tungstenite::tungstenite;
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(local(), data.path(), TOKEN).unwrap();
    match tungstenite::connect(server.url()) {
        Err(tungstenite::Error::Http(response)) => assert_eq!(response.status(), 401),
        Err(other) => panic!("expected a 401, got {other}"),
        Ok(_) => panic!("a client without a token was let in"),
    }
}

/// `tandem serve` until dropped (killed then).
struct Serving(std::process::Child);

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `tandem share` or `tandem fetch` trusting the certificate authorities in `authorities`
/// (SSL_CERT_FILE, as an office with its own authority would set it).
fn tandem_trusting(authorities: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tandem"))
        .args(args)
        .env("SSL_CERT_FILE", authorities)
        .env_remove("SSL_CERT_DIR")
        .output()
        .unwrap()
}

/// `tandem serve --tls-cert --tls-key` speaks wss://: `share` and `fetch` reach it when the
/// machine trusts its certificate (here a self-signed one for localhost and 127.0.0.1, in
/// tests/data/tls), and say why they cannot, exit 2, when it does not.
#[test]
fn serve_with_a_certificate_speaks_wss_to_share_and_fetch() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, format!("{TOKEN}\n")).unwrap();
    let tls = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tls");
    let (cert, key) = (tls.join("cert.pem"), tls.join("key.pem"));
    let data = dir.path().join("data");
    let mut child = Command::new(env!("CARGO_BIN_EXE_tandem"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(&data)
        .arg("--token-file")
        .arg(&token)
        .arg("--tls-cert")
        .arg(&cert)
        .arg("--tls-key")
        .arg(&key)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let _serving = Serving(child);
    let mut line = String::new();
    std::io::BufReader::new(stderr)
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|word| word.starts_with("wss://"))
        .unwrap_or_else(|| panic!("no wss:// address in {line:?}"))
        .to_owned();

    let file = dir.path().join("guinea.ron");
    tandem::io::save_file(&file, &guinea_with_canary()).unwrap();
    let token_arg = token.to_str().unwrap();
    let share = [
        "share",
        file.to_str().unwrap(),
        "--server",
        &url,
        "--token-file",
        token_arg,
    ];
    let shared = tandem_trusting(&cert, &share);
    assert!(
        shared.status.success(),
        "{}",
        String::from_utf8_lossy(&shared.stderr)
    );
    let link = String::from_utf8_lossy(&shared.stdout)
        .lines()
        .last()
        .unwrap()
        .to_owned();
    assert!(link.starts_with("wss://"), "{link}");
    let out = dir.path().join("fetched.ron");
    let fetch = [
        "fetch",
        &link,
        "--token-file",
        token_arg,
        "--out",
        out.to_str().unwrap(),
    ];
    let fetched = tandem_trusting(&cert, &fetch);
    assert!(
        fetched.status.success(),
        "{}",
        String::from_utf8_lossy(&fetched.stderr)
    );
    let back = tandem::io::load_file(&out).unwrap().situation;
    assert_eq!(back.partners, guinea_with_canary().partners);

    // A machine that trusts another authority only: refused at once, with the reason.
    let start = Instant::now();
    let untrusted = tandem_trusting(&tls.join("other-authority.pem"), &share);
    assert_eq!(untrusted.status.code(), Some(2));
    let message = String::from_utf8_lossy(&untrusted.stderr);
    assert!(message.contains("no secure connection"), "{message}");
    assert!(
        message.contains("not signed by an authority this machine trusts"),
        "{message}"
    );
    assert!(start.elapsed() < Duration::from_secs(5), "not after a wait");
}

/// A certificate file that is not one: `serve` says which file and exits 2.
#[test]
fn serve_refuses_a_certificate_it_cannot_read() {
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, format!("{TOKEN}\n")).unwrap();
    let not_a_cert = dir.path().join("cert.pem");
    std::fs::write(&not_a_cert, "not a certificate\n").unwrap();
    let key = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tls/key.pem");
    let out = tandem(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--data",
        dir.path().join("data").to_str().unwrap(),
        "--token-file",
        token.to_str().unwrap(),
        "--tls-cert",
        not_a_cert.to_str().unwrap(),
        "--tls-key",
        key.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(message.contains("cert.pem"), "{message}");
}
