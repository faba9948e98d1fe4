//! Connecting again after the server's certificate was not trusted: once the office's authority
//! is installed on the machine, dialing again reads the machine's authorities afresh and
//! connects. One test in this file: it points SSL_CERT_FILE at a file of its own for the whole
//! process (the file's content is what changes).

use std::path::Path;
use std::time::{Duration, Instant};

use tandem::sync::net::{Client, NetError, Server, ServerTls};

const TOKEN: &str = "office-token-for-tests";

#[test]
fn an_authority_installed_since_counts_when_dialing_again() {
    let tls = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tls");
    let trusted = tempfile::tempdir().unwrap();
    let authorities = trusted.path().join("authorities.pem");
    // The machine trusts another authority only.
    std::fs::copy(tls.join("other-authority.pem"), &authorities).unwrap();
    // SAFETY: the only test in this binary, set before any thread of ours starts.
    unsafe {
        std::env::set_var("SSL_CERT_FILE", &authorities);
        std::env::remove_var("SSL_CERT_DIR");
    }
    let certificate =
        ServerTls::from_pem_files(&tls.join("cert.pem"), &tls.join("key.pem")).unwrap();
    let data = tempfile::tempdir().unwrap();
    let server = Server::start_with(
        "127.0.0.1:0".parse().unwrap(),
        data.path(),
        TOKEN,
        Some(certificate),
    )
    .unwrap();
    let mut client = Client::start(&server.url(), TOKEN, None).unwrap();
    match client.connected(Duration::from_secs(5)) {
        Err(NetError::Untrusted(..)) => {}
        other => panic!("expected an untrusted certificate, got {other:?}"),
    }
    // The client keeps the reason a moment after the dialer gave it.
    wait_for("the reason kept", || {
        matches!(client.failure(), Some(NetError::Untrusted(..)))
    });

    // The office's authority installed; dialing again with the same token connects.
    std::fs::copy(tls.join("cert.pem"), &authorities).unwrap();
    let token = client.token().to_owned();
    client.redial(&token).unwrap();
    wait_for("connected", || client.is_connected());
    assert!(client.failure().is_none());
}

/// Polls `done` until it holds; panics after 10 s.
fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{what}: not within 10 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
