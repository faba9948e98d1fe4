//! The sync server and client: samod (the Rust automerge-repo) over WebSocket.
//!
//! The server refuses, during the WebSocket handshake, any client that does not send the office's
//! access token (`Authorization: Bearer TOKEN`): no document data passes before the check.
//! Each side runs its own tokio runtime on background threads; callers stay synchronous.
//!
//! TLS (rustls on ring): the server answers `wss://` when given a certificate and key
//! ([`ServerTls`]); the client dials `wss://` trusting the machine's certificate authorities
//! (and `SSL_CERT_FILE` / `SSL_CERT_DIR`, for an office's own authority).

use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use samod::{DocHandle, DocumentId, Repo, Transport};
use tokio_tungstenite::tungstenite::{self, Message, client::IntoClientRequest, handshake::server};

use super::store::SafeStore;

/// Why the server or the client could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum NetError {
    #[error("cannot reach the sync server at {0}: {1}")]
    Unreachable(String, String),
    #[error("the sync server at {0} refused the access token")]
    Refused(String),
    #[error("no secure connection to the sync server at {0}: {1}")]
    Untrusted(String, String),
    #[error("cannot use the TLS certificate or key: {0}")]
    Tls(String),
    #[error("the server has no shared situation {0}")]
    UnknownDocument(String),
    #[error("\"{0}\" is not a Tandem share link (ws://HOST:PORT/#automerge:…)")]
    BadLink(String),
    #[error("{0}")]
    Other(String),
}

fn other(err: impl std::fmt::Display) -> NetError {
    NetError::Other(err.to_string())
}

fn runtime() -> Result<tokio::runtime::Runtime, NetError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(other)
}

/// Compares two tokens in time that does not depend on where they differ.
fn same_token(given: &str, expected: &str) -> bool {
    let (a, b) = (given.as_bytes(), expected.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The server's TLS certificate chain and private key, read from PEM files.
#[derive(Clone)]
pub struct ServerTls {
    config: Arc<rustls::ServerConfig>,
}

impl ServerTls {
    /// Reads the certificate chain (`cert`, PEM, the server's own certificate first) and its
    /// private key (`key`, PEM: PKCS#8, PKCS#1 or SEC1).
    pub fn from_pem_files(cert: &Path, key: &Path) -> Result<ServerTls, NetError> {
        use rustls::pki_types::pem::PemObject;
        use rustls::pki_types::{CertificateDer, PrivateKeyDer};
        let unreadable = |path: &Path, err: &dyn std::fmt::Display| {
            NetError::Tls(format!("{}: {err}", path.display()))
        };
        let chain = CertificateDer::pem_file_iter(cert)
            .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
            .map_err(|err| unreadable(cert, &err))?;
        if chain.is_empty() {
            return Err(NetError::Tls(format!(
                "{}: no certificate (expected a PEM \"BEGIN CERTIFICATE\" block)",
                cert.display()
            )));
        }
        let private = PrivateKeyDer::from_pem_file(key).map_err(|err| unreadable(key, &err))?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|err| NetError::Tls(err.to_string()))?
            .with_no_client_auth()
            .with_single_cert(chain, private)
            .map_err(|err| {
                NetError::Tls(format!("{} and {}: {err}", cert.display(), key.display()))
            })?;
        Ok(ServerTls {
            config: Arc::new(config),
        })
    }
}

/// A running sync server; stops when dropped.
pub struct Server {
    addr: SocketAddr,
    tls: bool,
    runtime: Option<tokio::runtime::Runtime>,
}

/// Answers the WebSocket handshake of a client that sent the token; refuses any other.
fn check_token(
    token: &str,
    request: &server::Request,
    response: server::Response,
) -> Result<server::Response, server::ErrorResponse> {
    let given = request
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if same_token(given, token) {
        Ok(response)
    } else {
        let mut refused = server::ErrorResponse::new(Some("access token refused".into()));
        *refused.status_mut() = tungstenite::http::StatusCode::UNAUTHORIZED;
        Err(refused)
    }
}

/// One client's connection: the TLS handshake when the server has a certificate, then the
/// WebSocket handshake with the token checked, then samod's protocol.
async fn serve_connection(
    stream: tokio::net::TcpStream,
    tls: Option<tokio_rustls::TlsAcceptor>,
    token: Arc<String>,
    acceptor: samod::AcceptorHandle,
) {
    let check = |request: &server::Request, response: server::Response| {
        check_token(&token, request, response)
    };
    match tls {
        Some(tls) => {
            let Ok(stream) = tls.accept(stream).await else {
                return;
            };
            if let Ok(ws) = tokio_tungstenite::accept_hdr_async(stream, check).await {
                let _ = acceptor.accept(transport(ws));
            }
        }
        None => {
            if let Ok(ws) = tokio_tungstenite::accept_hdr_async(stream, check).await {
                let _ = acceptor.accept(transport(ws));
            }
        }
    }
}

impl Server {
    /// Starts a server on `listen` (port 0 picks a free one) storing documents in `data`,
    /// speaking plain `ws://`.
    pub fn start(listen: SocketAddr, data: &Path, token: &str) -> Result<Server, NetError> {
        Server::start_with(listen, data, token, None)
    }

    /// Starts a server as [`Server::start`] does, speaking `wss://` when given `tls`.
    pub fn start_with(
        listen: SocketAddr,
        data: &Path,
        token: &str,
        tls: Option<ServerTls>,
    ) -> Result<Server, NetError> {
        let runtime = runtime()?;
        let token = Arc::new(token.to_owned());
        let data = data.to_path_buf();
        let (repo, listener) = runtime.block_on(async {
            let repo = Repo::build_tokio()
                .with_storage(SafeStore::new(&data))
                .load()
                .await;
            let listener = tokio::net::TcpListener::bind(listen).await;
            (repo, listener)
        });
        let listener =
            listener.map_err(|e| NetError::Other(format!("cannot listen on {listen}: {e}")))?;
        let addr = listener.local_addr().map_err(other)?;
        let scheme = if tls.is_some() { "wss" } else { "ws" };
        let url = samod::Url::parse(&format!("{scheme}://{addr}/")).map_err(other)?;
        let acceptor = repo.make_acceptor(url).map_err(other)?;
        let tls_acceptor = tls
            .as_ref()
            .map(|tls| tokio_rustls::TlsAcceptor::from(tls.config.clone()));
        runtime.spawn(async move {
            let _repo = repo;
            while let Ok((stream, _)) = listener.accept().await {
                let connection = serve_connection(
                    stream,
                    tls_acceptor.clone(),
                    token.clone(),
                    acceptor.clone(),
                );
                tokio::spawn(connection);
            }
        });
        Ok(Server {
            addr,
            tls: tls.is_some(),
            runtime: Some(runtime),
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The `ws://` (or `wss://`) URL clients dial.
    pub fn url(&self) -> String {
        let scheme = if self.tls { "wss" } else { "ws" };
        format!("{scheme}://{}/", self.addr)
    }

    /// Blocks for ever (the `tandem serve` command).
    pub fn run_forever(self) {
        loop {
            std::thread::sleep(Duration::from_secs(3600));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// A WebSocket as samod's transport: binary messages each way, the rest ignored.
fn transport<S>(ws: tokio_tungstenite::WebSocketStream<S>) -> Transport
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (sink, stream) = ws.split();
    let stream = stream
        .filter_map(|message| async move {
            match message {
                Ok(Message::Binary(bytes)) => Some(Ok(bytes.to_vec())),
                Ok(_) => None,
                Err(err) => Some(Err(err)),
            }
        })
        .boxed();
    let sink = sink.with(|bytes: Vec<u8>| {
        futures::future::ready(Ok::<_, tungstenite::Error>(Message::Binary(bytes.into())))
    });
    Transport::new(stream, Box::pin(sink))
}

/// Why a dial failed for good.
#[derive(Debug, thiserror::Error)]
enum DialFailure {
    #[error("the server refused the access token")]
    Refused,
    /// The server's certificate: not signed by an authority this machine trusts, expired,
    /// or for another name.
    #[error("{0}")]
    Untrusted(String),
}

/// Dials the server with the token in the handshake's `Authorization` header.
struct WsDialer {
    url: samod::Url,
    token: String,
    /// For `wss://`: the certificate authorities this machine trusts.
    tls: Option<Arc<rustls::ClientConfig>>,
}

/// A TLS client trusting the machine's certificate authorities (`SSL_CERT_FILE` and
/// `SSL_CERT_DIR` replace them, as for other programs).
fn client_tls() -> Result<Arc<rustls::ClientConfig>, NetError> {
    let found = rustls_native_certs::load_native_certs();
    let mut roots = rustls::RootCertStore::empty();
    let (added, _) = roots.add_parsable_certificates(found.certs);
    if added == 0 {
        let why = found
            .errors
            .first()
            .map(|err| format!(" ({err})"))
            .unwrap_or_default();
        return Err(NetError::Tls(format!(
            "no trusted certificate authority found on this machine{why}"
        )));
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|err| NetError::Tls(err.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// Why the TLS handshake failed (mostly the server's certificate: signed by an authority this
/// machine does not trust, expired, for another name): trying again will not help.
fn untrusted(err: &tungstenite::Error) -> Option<String> {
    let tungstenite::Error::Io(io) = err else {
        return None;
    };
    let tls = io.get_ref()?.downcast_ref::<rustls::Error>()?;
    let rustls::Error::InvalidCertificate(why) = tls else {
        return Some(tls.to_string());
    };
    use rustls::CertificateError as Why;
    Some(match why {
        Why::Expired | Why::ExpiredContext { .. } => "its certificate has expired".into(),
        Why::NotValidYet | Why::NotValidYetContext { .. } => {
            "its certificate is not valid yet (is this machine's clock right?)".into()
        }
        Why::NotValidForName | Why::NotValidForNameContext { .. } => {
            "its certificate is for another name than the one in the address".into()
        }
        Why::Revoked => "its certificate has been revoked".into(),
        _ => "its certificate is not signed by an authority this machine trusts (for an \
              office's own authority, set SSL_CERT_FILE to that authority's certificate)"
            .into(),
    })
}

impl samod::Dialer for WsDialer {
    type Error = DialFailure;

    fn url(&self) -> samod::Url {
        self.url.clone()
    }

    fn connect(
        &self,
    ) -> futures::future::BoxFuture<'static, Result<Transport, samod::DialError<DialFailure>>> {
        let url = self.url.to_string();
        let token = self.token.clone();
        let tls = self.tls.clone();
        Box::pin(async move {
            let mut request = url
                .as_str()
                .into_client_request()
                .map_err(samod::DialError::transient)?;
            let header = format!("Bearer {token}")
                .parse()
                .map_err(|_| samod::DialError::PermanentFailure(DialFailure::Refused))?;
            request.headers_mut().insert("authorization", header);
            let connector = tls.map(tokio_tungstenite::Connector::Rustls);
            match tokio_tungstenite::connect_async_tls_with_config(request, None, false, connector)
                .await
            {
                Ok((ws, _)) => Ok(transport(ws)),
                Err(tungstenite::Error::Http(response)) if response.status() == 401 => {
                    Err(samod::DialError::PermanentFailure(DialFailure::Refused))
                }
                Err(err) => match untrusted(&err) {
                    Some(why) => Err(samod::DialError::PermanentFailure(DialFailure::Untrusted(
                        why,
                    ))),
                    None => Err(samod::DialError::transient(err)),
                },
            }
        })
    }
}

/// How a client dials again after losing the server: soon, then every 5 s at most (samod's
/// default waits up to 30 s, long for an officer watching the status bar), never giving up.
fn backoff() -> samod::BackoffConfig {
    samod::BackoffConfig {
        initial_delay: Duration::from_millis(200),
        max_delay: Duration::from_secs(5),
        max_retries: None,
    }
}

/// The dialer in use and what it reported, shared with the task that follows it.
#[derive(Default)]
struct DialState {
    /// Counts the dialers (one more each [`Client::redial`]): a task that follows an older one
    /// stops instead of speaking for the new one.
    generation: u64,
    /// Why the dialer in use stopped for good, once it has.
    failure: Option<samod::DialerFailed<DialFailure>>,
    /// Who hears the connection's ups and downs ([`Client::dialer_events`]).
    listeners: Vec<futures::channel::mpsc::UnboundedSender<samod::DialerEvent>>,
}

/// An officer's connection to a sync server, with a local store of the shared documents.
pub struct Client {
    runtime: tokio::runtime::Runtime,
    repo: Repo,
    dialer: samod::DialerHandle<DialFailure>,
    url: samod::Url,
    token: String,
    server: String,
    state: Arc<Mutex<DialState>>,
    /// The task that follows `dialer`'s events into `state`.
    follower: tokio::task::JoinHandle<()>,
}

/// Starts dialing `url` with `token` (for `wss://`, trusting the machine's certificate
/// authorities as they are now).
fn dial(
    runtime: &tokio::runtime::Runtime,
    repo: &Repo,
    url: &samod::Url,
    token: &str,
) -> Result<samod::DialerHandle<DialFailure>, NetError> {
    let tls = match url.scheme() {
        "wss" => Some(client_tls()?),
        _ => None,
    };
    let dialer = WsDialer {
        url: url.clone(),
        token: token.to_owned(),
        tls,
    };
    runtime
        .block_on(async { repo.dial(backoff(), Arc::new(dialer)) })
        .map_err(other)
}

/// Follows `dialer`'s events on the client's threads: its failure kept in `state`, every event
/// passed on to the listeners, until a newer dialer (`generation`) takes over.
fn follow(
    runtime: &tokio::runtime::Runtime,
    dialer: samod::DialerHandle<DialFailure>,
    state: Arc<Mutex<DialState>>,
    generation: u64,
) -> tokio::task::JoinHandle<()> {
    use futures::FutureExt;
    runtime.spawn(async move {
        // Listening before looking: a failure is either seen now or heard as an event.
        let mut events = dialer.events();
        if let Some(Err(failed)) = dialer.established().now_or_never() {
            record(&state, generation, Some(failed), None);
        }
        while let Some(event) = events.next().await {
            let failed = matches!(
                event,
                samod::DialerEvent::PermanentFailure | samod::DialerEvent::MaxRetriesReached
            );
            // Ready at once: the dialer records its failure before it says so.
            let failure = if failed {
                dialer.established().await.err()
            } else {
                None
            };
            if !record(&state, generation, failure, Some(event)) {
                break;
            }
        }
    })
}

/// Keeps what the dialer of `generation` reported; `false` once a newer dialer took over.
fn record(
    state: &Mutex<DialState>,
    generation: u64,
    failure: Option<samod::DialerFailed<DialFailure>>,
    event: Option<samod::DialerEvent>,
) -> bool {
    let Ok(mut state) = state.lock() else {
        return false;
    };
    if state.generation != generation {
        return false;
    }
    if failure.is_some() {
        state.failure = failure;
    }
    if let Some(event) = event {
        state
            .listeners
            .retain(|listener| listener.unbounded_send(event.clone()).is_ok());
    }
    true
}

impl Client {
    /// Starts a client keeping its documents in `store` (the officer's local copy; `None`
    /// keeps them in memory) and dialing `server` (reconnecting with back-off).
    pub fn start(server: &str, token: &str, store: Option<&Path>) -> Result<Client, NetError> {
        let url = samod::Url::parse(server).map_err(|_| NetError::BadLink(server.to_owned()))?;
        let runtime = runtime()?;
        let repo = runtime.block_on(async {
            match store {
                Some(dir) => {
                    Repo::build_tokio()
                        .with_storage(SafeStore::new(dir))
                        .load()
                        .await
                }
                None => Repo::build_tokio().load().await,
            }
        });
        let dialer = dial(&runtime, &repo, &url, token)?;
        let state = Arc::new(Mutex::new(DialState::default()));
        let follower = follow(&runtime, dialer.clone(), state.clone(), 0);
        Ok(Client {
            runtime,
            repo,
            dialer,
            url,
            token: token.to_owned(),
            server: server.to_owned(),
            state,
            follower,
        })
    }

    /// Dials the server again with `token`, in place of the dialer in use (one that stopped
    /// for good: the server refused the token, or its certificate was not trusted). For
    /// `wss://` the machine's certificate authorities are read again, so that one installed
    /// since counts. Returns at once; [`Client::failure`] and [`Client::is_connected`] say
    /// how it goes. The first connection's failure stays final: only this call dials again.
    pub fn redial(&mut self, token: &str) -> Result<(), NetError> {
        let dialer = dial(&self.runtime, &self.repo, &self.url, token)?;
        let old = std::mem::replace(&mut self.dialer, dialer);
        old.close();
        self.follower.abort();
        let generation = match self.state.lock() {
            Ok(mut state) => {
                state.generation += 1;
                state.failure = None;
                state.generation
            }
            Err(_) => return Err(other("the connection's state is unreadable")),
        };
        self.follower = follow(
            &self.runtime,
            self.dialer.clone(),
            self.state.clone(),
            generation,
        );
        self.token = token.to_owned();
        Ok(())
    }

    /// The access token the client dials with.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// Waits until the server accepted the connection, or says why it did not.
    pub fn connected(&self, timeout: Duration) -> Result<(), NetError> {
        let established = self.dialer.established();
        let outcome = self
            .runtime
            .block_on(async { tokio::time::timeout(timeout, established).await });
        match outcome {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(failed)) => Err(self.failed(&failed)),
            Err(_) => Err(NetError::Unreachable(
                self.server.clone(),
                "no answer".into(),
            )),
        }
    }

    /// Why the client stopped dialing for good, once it has: the server refused the token,
    /// its certificate is not trusted. `None` while connected or still trying. Known a moment
    /// after [`Client::connected`] returns it (a task of the client's keeps it, then tells
    /// [`Client::dialer_events`]' listeners).
    pub fn failure(&self) -> Option<NetError> {
        if self.dialer.is_connected() {
            return None;
        }
        let state = self.state.lock().ok()?;
        state.failure.as_ref().map(|failed| self.failed(failed))
    }

    /// The error a failed dialer means.
    fn failed(&self, failed: &samod::DialerFailed<DialFailure>) -> NetError {
        match failed {
            samod::DialerFailed::PermanentFailure(why) => match &**why {
                DialFailure::Refused => NetError::Refused(self.server.clone()),
                DialFailure::Untrusted(why) => {
                    NetError::Untrusted(self.server.clone(), why.clone())
                }
            },
            samod::DialerFailed::MaxRetriesReached => {
                NetError::Unreachable(self.server.clone(), "it did not answer".into())
            }
        }
    }

    /// Whether the connection is up now.
    pub fn is_connected(&self) -> bool {
        self.dialer.is_connected()
    }

    /// Publishes a new document; returns its handle.
    pub fn create(&self, doc: automerge::Automerge) -> Result<DocHandle, NetError> {
        self.runtime.block_on(self.repo.create(doc)).map_err(other)
    }

    /// The shared document `id`, from the local store or the server.
    pub fn find(&self, id: &DocumentId, timeout: Duration) -> Result<DocHandle, NetError> {
        let found = self
            .runtime
            .block_on(async { tokio::time::timeout(timeout, self.repo.find(id.clone())).await });
        match found {
            Ok(Ok(Some(handle))) => Ok(handle),
            _ => Err(NetError::UnknownDocument(id.to_string())),
        }
    }

    /// Waits until the server has every change of `handle`.
    pub fn flushed(&self, handle: &DocHandle, timeout: Duration) -> Result<(), NetError> {
        let Some(connection) = self.dialer.connection_id() else {
            return Err(NetError::Unreachable(self.server.clone(), "offline".into()));
        };
        let done = handle.they_have_our_changes(connection);
        self.runtime
            .block_on(async { tokio::time::timeout(timeout, done).await })
            .map_err(|_| {
                NetError::Unreachable(self.server.clone(), "the server did not confirm".into())
            })
    }

    /// Waits until we have every change the server has of `handle`.
    pub fn received(&self, handle: &DocHandle, timeout: Duration) -> Result<(), NetError> {
        let Some(connection) = self.dialer.connection_id() else {
            return Err(NetError::Unreachable(self.server.clone(), "offline".into()));
        };
        let done = handle.we_have_their_changes(connection);
        self.runtime
            .block_on(async { tokio::time::timeout(timeout, done).await })
            .map_err(|_| NetError::Unreachable(self.server.clone(), "no answer".into()))
    }

    /// The server it dials.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// The connection to the server, while it is up.
    pub fn connection_id(&self) -> Option<samod::ConnectionId> {
        self.dialer.connection_id()
    }

    /// The connection's ups and downs, as they happen, from the dialer in use and from those
    /// that replace it ([`Client::redial`]).
    pub fn dialer_events(&self) -> futures::channel::mpsc::UnboundedReceiver<samod::DialerEvent> {
        let (sender, receiver) = futures::channel::mpsc::unbounded();
        if let Ok(mut state) = self.state.lock() {
            state.listeners.push(sender);
        }
        receiver
    }

    /// Runs `task` on the client's own threads until it ends or the client stops.
    pub fn spawn<F>(&self, task: F) -> tokio::task::JoinHandle<()>
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        self.runtime.spawn(task)
    }

    /// Stops the client (its store keeps what it has).
    pub fn stop(self) {
        drop(self);
    }
}

impl Drop for Client {
    /// Lets samod finish writing to the store (for at most a few seconds), then stops.
    fn drop(&mut self) {
        let stopping = self.repo.stop();
        let _ = self
            .runtime
            .block_on(async { tokio::time::timeout(Duration::from_secs(3), stopping).await });
    }
}

/// A share link: the server's address and the document, as `ws://HOST:PORT/#automerge:ID`.
pub fn share_link(server: &str, handle: &DocHandle) -> String {
    format!("{}#{}", server.trim_end_matches('#'), handle.url())
}

/// The server and document of a share link.
pub fn parse_link(link: &str) -> Result<(String, DocumentId), NetError> {
    let bad = || NetError::BadLink(link.to_owned());
    let (server, doc) = link.trim().split_once('#').ok_or_else(bad)?;
    let url: samod::AutomergeUrl = doc.parse().map_err(|_| bad())?;
    if !(server.starts_with("ws://") || server.starts_with("wss://")) {
        return Err(bad());
    }
    Ok((server.to_owned(), url.document_id().clone()))
}
