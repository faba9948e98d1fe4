//! `tandem serve`, `tandem share FILE` and `tandem fetch LINK`: the sync server and the two
//! scripts' ends of a shared situation.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use crate::export::parse_sensitivity;
use crate::io::{load_file, save_file};
use crate::model::Sensitivity;
use crate::sync::net::{self, Client, NetError, Server, ServerTls};
use crate::sync::{SharedDoc, SyncError};

/// How long a command waits for the server to answer the connection.
const CONNECT: Duration = Duration::from_secs(5);
/// How long a command waits for the server to send or confirm a document.
const WAIT: Duration = Duration::from_secs(15);

/// Arguments of `tandem serve`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Runs until stopped (Ctrl+C). Clients must send the token in the WebSocket handshake
(Authorization: Bearer TOKEN); others are refused before any document data passes.
Without --tls-cert/--tls-key the server speaks plain ws://: for an office network, give it a
certificate (clients then use wss://) or put it behind the office's reverse proxy (README).")]
pub struct ServeArgs {
    /// Address and port to listen on (loopback unless told otherwise).
    #[arg(long, default_value = "127.0.0.1:8470")]
    pub listen: SocketAddr,
    /// Folder where the server keeps the shared documents.
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// File holding the access token (its first line).
    #[arg(long, value_name = "FILE")]
    pub token_file: PathBuf,
    /// The server's TLS certificate chain (PEM): the server then speaks wss://.
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The private key of --tls-cert (PEM).
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
}

/// Arguments of `tandem share`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Prints the share link as the last line of output. Items above the ceiling, and items that
name them, are not sent. Exit status: 0 shared, 1 the situation has errors, 2 the file cannot
be read, the server cannot be reached or refused the token.")]
pub struct ShareArgs {
    /// The situation file to share.
    pub file: PathBuf,
    /// The sync server, e.g. ws://127.0.0.1:8470/
    #[arg(long, value_name = "URL")]
    pub server: String,
    #[arg(long, value_name = "FILE")]
    pub token_file: PathBuf,
    /// The most sensitive items the share may hold: unclassified, confidential or strictly-confidential.
    #[arg(long, value_name = "LEVEL", value_parser = parse_sensitivity, default_value = "confidential")]
    pub ceiling: Sensitivity,
}

/// Arguments of `tandem fetch`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Exit status: 0 written, 2 the server cannot be reached, refused the token or has no such
situation, or the file cannot be written.")]
pub struct FetchArgs {
    /// The share link printed by `tandem share` (ws://HOST:PORT/#automerge:…).
    pub link: String,
    #[arg(long, value_name = "FILE")]
    pub token_file: PathBuf,
    /// Where to write the situation (RON).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// The access token: the file's first line, not empty.
pub fn read_token(path: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| format!("cannot read the token file {}: {err}", path.display()))?;
    let token = text.lines().next().unwrap_or_default().trim().to_owned();
    if token.is_empty() {
        return Err(format!("the token file {} is empty", path.display()));
    }
    Ok(token)
}

fn fail(command: &str, message: impl std::fmt::Display) -> ExitCode {
    eprintln!("tandem {command}: {message}");
    ExitCode::from(2)
}

pub(super) fn serve(args: ServeArgs) -> ExitCode {
    let token = match read_token(&args.token_file) {
        Ok(t) => t,
        Err(message) => return fail("serve", message),
    };
    if let Err(err) = std::fs::create_dir_all(&args.data) {
        return fail(
            "serve",
            format!("cannot use {}: {err}", args.data.display()),
        );
    }
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => match ServerTls::from_pem_files(cert, key) {
            Ok(tls) => Some(tls),
            Err(err) => return fail("serve", err),
        },
        _ => None,
    };
    match Server::start_with(args.listen, &args.data, &token, tls) {
        Ok(server) => {
            eprintln!(
                "tandem serve: listening on {} (documents in {})",
                server.url(),
                args.data.display()
            );
            server.run_forever();
            ExitCode::SUCCESS
        }
        Err(err) => fail("serve", err),
    }
}

pub(super) fn share(args: ShareArgs) -> ExitCode {
    let token = match read_token(&args.token_file) {
        Ok(t) => t,
        Err(message) => return fail("share", message),
    };
    let loaded = match load_file(&args.file) {
        Ok(l) => l,
        Err(d) => return fail("share", super::check::format_line(&args.file, &d)),
    };
    let mut doc = automerge::Automerge::new();
    let now = chrono::Utc::now().timestamp_millis();
    let author = crate::io::lock::user_name();
    let shared = match SharedDoc::create(&mut doc, &loaded.situation, args.ceiling, &author, now) {
        Ok(s) => s,
        Err(err) => return fail("share", err),
    };
    let kept = shared.private_ids().len();
    let outcome = (|| -> Result<String, NetError> {
        let client = Client::start(&args.server, &token, None)?;
        client.connected(CONNECT)?;
        let handle = client.create(doc)?;
        client.flushed(&handle, WAIT)?;
        let link = net::share_link(&args.server, &handle);
        client.stop();
        Ok(link)
    })();
    match outcome {
        Ok(link) => {
            eprintln!(
                "tandem share: shared {} up to {} ({kept} item(s) above it kept out)",
                args.file.display(),
                args.ceiling.label().to_lowercase()
            );
            outln!("{link}");
            ExitCode::SUCCESS
        }
        Err(err) => fail("share", err),
    }
}

pub(super) fn fetch(args: FetchArgs) -> ExitCode {
    let token = match read_token(&args.token_file) {
        Ok(t) => t,
        Err(message) => return fail("fetch", message),
    };
    let outcome = (|| -> Result<crate::model::Situation, String> {
        let (server, id) = net::parse_link(&args.link).map_err(|e| e.to_string())?;
        let client = Client::start(&server, &token, None).map_err(|e| e.to_string())?;
        client.connected(CONNECT).map_err(|e| e.to_string())?;
        let handle = client.find(&id, WAIT).map_err(|e| e.to_string())?;
        let situation = handle.with_document(|doc| -> Result<_, SyncError> {
            SharedDoc::open(doc)?.situation(doc, None)
        });
        client.stop();
        situation.map_err(|e| e.to_string())
    })();
    let situation = match outcome {
        Ok(s) => s,
        Err(message) => return fail("fetch", message),
    };
    // The same check as every writer of a situation file.
    let _guard = match crate::io::claim_for_writing(&args.out) {
        Ok(guard) => guard,
        Err(refusal) => {
            return fail(
                "fetch",
                format!("{}: refused, {refusal}", args.out.display()),
            );
        }
    };
    match save_file(&args.out, &situation) {
        Ok(_) => {
            eprintln!("tandem fetch: wrote {}", args.out.display());
            ExitCode::SUCCESS
        }
        Err(err) => fail("fetch", err),
    }
}
