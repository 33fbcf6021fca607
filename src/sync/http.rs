//! Sync over the office LAN: the office serves, a laptop posts its bundle and takes the reply
//! in the same exchange. The bundle format is the same as on a USB stick; a refusal comes
//! back as the office's message in the user's words.
//!
//! The server keeps serving whatever a client does:
//! - every connection is its own task (hyper over tokio), so a stalled or slow client only
//!   holds its own connection; at most [`Limits::connections`] are open at once;
//! - the headers must arrive within [`Limits::headers`], the body within [`Limits::body`],
//!   with no gap longer than [`Limits::idle`] between two pieces of it;
//! - a body larger than [`Limits::max_body`] is refused from its `Content-Length` before a
//!   byte of it is read, and a chunked body is cut off as soon as it grows past the limit;
//! - the bodies being read at one moment share one budget of memory ([`Limits::budget`]),
//!   taken piece by piece as bytes arrive, so many clients at once cannot add up past it;
//! - the database is worked on by one thread (the caller's), one bundle after another, only
//!   once a whole body has arrived.
//!
//! A client gets a short message in the office's language and never a path of the office's
//! machine: junk is a 400, a refusal of the records a 409, a fault of the office's own a 500
//! that says only that (the office's window shows the full reason).

pub use super::limits;
use super::{Received, laptop_bundle, receive, receive_limited};
use crate::domain::clock::Clock;
use crate::domain::sync::SyncProblem;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::store::{OpenMode, Store};
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode};
use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Semaphore, mpsc, oneshot};

/// The path a laptop posts its bundle to.
pub const SYNC_PATH: &str = "/sync";
/// Where a laptop fetches its enrolment file over the LAN: `/enrol/<letter>` (sealed with its
/// one-time code, so safe to hand to whoever asks; only until that laptop's first sync).
pub const ENROL_PATH: &str = "/enrol/";
/// How long a laptop waits for the whole exchange with the office.
pub const CLIENT_TIMEOUT: Duration = Duration::from_secs(120);
/// The largest reply a laptop takes from the office.
const MAX_REPLY: u64 = 1 << 30;

/// What the office's server allows one client, and all of them together.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Time for a request's headers to arrive.
    pub headers: Duration,
    /// Time for the whole body to arrive, from the end of the headers.
    pub body: Duration,
    /// The longest pause between two pieces of a body.
    pub idle: Duration,
    /// The whole life of one connection, the reply included.
    pub connection: Duration,
    /// The largest body taken (a laptop's bundle).
    pub max_body: u64,
    /// The memory all bodies being read at once may take together (at least `max_body`).
    pub budget: u64,
    /// Connections open at once; more wait for a free place.
    pub connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            headers: Duration::from_secs(10),
            body: Duration::from_secs(120),
            idle: Duration::from_secs(15),
            connection: Duration::from_secs(300),
            max_body: 32 << 20,
            budget: 64 << 20,
            connections: 64,
        }
    }
}

/// Where the server listens, and the addresses a laptop can use to reach it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listening {
    /// The address bound (the port is the real one when 0 was asked for).
    pub bound: SocketAddr,
    /// Addresses of this machine that laptops on the network can reach, best first. Empty
    /// when the server listens on every interface but the machine has no network address
    /// (no cable, no Wi-Fi), or when it listens on this machine only.
    pub reachable: Vec<SocketAddr>,
}

impl Listening {
    /// Listening on this machine only (127.0.0.1 or ::1): no laptop can reach it.
    pub fn local_only(&self) -> bool {
        self.bound.ip().is_loopback()
    }

    /// The address to give the laptops, if there is one; on this machine only, the
    /// loopback address (for a sync from this same machine).
    pub fn address(&self) -> Option<SocketAddr> {
        if self.local_only() {
            return Some(self.bound);
        }
        self.reachable.first().copied()
    }
}

/// The addresses a laptop can reach when `bound` is listened on: `bound` itself for a
/// specific address, and this machine's network addresses for 0.0.0.0 or `::` (IPv4 first,
/// loopback and link-local left out, the interfaces that are up).
fn reachable(bound: SocketAddr) -> Vec<SocketAddr> {
    if bound.ip().is_loopback() {
        return Vec::new();
    }
    if !bound.ip().is_unspecified() {
        return vec![bound];
    }
    let mut ips: Vec<IpAddr> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .filter(|i| !i.is_loopback() && !i.is_link_local() && !i.is_p2p())
        .filter(|i| bound.is_ipv6() || i.ip().is_ipv4())
        .map(|i| i.ip())
        .collect();
    ips.sort_by_key(|ip| (ip.is_ipv6(), *ip));
    ips.dedup();
    ips.into_iter()
        .map(|ip| SocketAddr::new(ip, bound.port()))
        .collect()
}

/// One body that has arrived whole, for the database thread.
struct Job {
    body: Vec<u8>,
    peer: String,
    /// `Some(letter)`: a laptop asks for its enrolment file; `None`: a sync.
    enrolment: Option<String>,
    answer: oneshot::Sender<(StatusCode, Vec<u8>)>,
}

/// Serve the office database at `addr` until the process is stopped. `started` is told where
/// it listens before the first request. Each bundle that arrives whole is applied on this
/// thread, one after another, and `each` is told the peer and the outcome.
pub fn serve(
    db: &Path,
    addr: &str,
    clock: Clock,
    lang: Lang,
    limits: &Limits,
    started: impl FnOnce(&Listening),
    mut each: impl FnMut(&str, &Result<Received>),
) -> Result<()> {
    let unreachable = |e: std::io::Error| Error::Sync {
        place: addr.to_string(),
        problem: SyncProblem::Unreachable(e.to_string()),
    };
    let listener = std::net::TcpListener::bind(addr).map_err(unreachable)?;
    listener.set_nonblocking(true).map_err(unreachable)?;
    let bound = listener.local_addr().map_err(unreachable)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(unreachable)?;
    let (jobs, mut queue) = mpsc::channel::<Job>(4);
    let words = Words::of(lang, limits);
    let network = std::thread::spawn({
        let limits = limits.clone();
        move || runtime.block_on(accept(listener, jobs, limits, words))
    });
    started(&Listening {
        bound,
        reachable: reachable(bound),
    });
    let w = lang.cat().sync;
    while let Some(job) = queue.blocking_recv() {
        if let Some(letter) = &job.enrolment {
            let file = Store::open(db, OpenMode::Existing, clock.clone())
                .and_then(|store| store.enrol_file_for(letter));
            let answer = match file {
                Ok(Some(bytes)) => (StatusCode::OK, bytes),
                Ok(None) => (
                    StatusCode::NOT_FOUND,
                    w.lan_no_enrolment.as_bytes().to_vec(),
                ),
                Err(e) => answer_for(&e, lang),
            };
            let _ = job.answer.send(answer);
            continue;
        }
        let outcome = Store::open(db, OpenMode::Existing, clock.clone()).and_then(|mut store| {
            receive_limited(&mut store, &job.body, w.lan_file, limits::MAX_CHANGESET_LAN)
        });
        each(&job.peer, &outcome);
        let answer = match outcome {
            Ok(r) => (StatusCode::OK, r.reply.unwrap_or_default()),
            Err(e) => answer_for(&e, lang),
        };
        let _ = job.answer.send(answer);
    }
    match network.join() {
        Ok(r) => r.map_err(unreachable),
        Err(_) => Err(unreachable(std::io::Error::other("network thread stopped"))),
    }
}

/// What a client is told about an error: junk is a 400, a refused sender a 403, a refusal of
/// the records a 409, each with the office's words and the file named only as "the file you
/// sent"; anything else is the office's own fault, a 500 that names nothing of its machine.
fn answer_for(e: &Error, lang: Lang) -> (StatusCode, Vec<u8>) {
    let w = lang.cat().sync;
    let status = match e {
        Error::Sync { problem, .. } => match problem {
            SyncProblem::NotABundle
            | SyncProblem::Truncated
            | SyncProblem::BadHeader
            | SyncProblem::BadPayload
            | SyncProblem::BadSignature
            | SyncProblem::WrongKind
            | SyncProblem::Newer { .. } => StatusCode::BAD_REQUEST,
            SyncProblem::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            SyncProblem::UnknownSender | SyncProblem::Revoked { .. } => StatusCode::FORBIDDEN,
            SyncProblem::OtherCommunity(_) | SyncProblem::Gap { .. } | SyncProblem::Refused(_) => {
                StatusCode::CONFLICT
            }
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        },
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let text = if status == StatusCode::INTERNAL_SERVER_ERROR {
        w.lan_office_fault.to_string()
    } else {
        e.message(lang)
    };
    (status, text.into_bytes())
}

/// The words the network side answers with, made once (the network thread has no catalogue
/// of its own).
#[derive(Clone)]
struct Words {
    not_here: &'static str,
    too_big: String,
    too_slow: String,
    office_fault: &'static str,
}

impl Words {
    fn of(lang: Lang, limits: &Limits) -> Self {
        let w = lang.cat().sync;
        Words {
            not_here: w.lan_not_here,
            too_big: (w.lan_too_big)(limits.max_body.div_ceil(1 << 20)),
            too_slow: (w.lan_too_slow)(limits.body.as_secs()),
            office_fault: w.lan_office_fault,
        }
    }
}

/// Shared by every connection.
struct Shared {
    jobs: mpsc::Sender<Job>,
    limits: Limits,
    words: Words,
    budget: Arc<Semaphore>,
}

async fn accept(
    listener: std::net::TcpListener,
    jobs: mpsc::Sender<Job>,
    limits: Limits,
    words: Words,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let places = Arc::new(Semaphore::new(limits.connections.max(1)));
    let budget = Arc::new(Semaphore::new(permits(limits.budget.max(limits.max_body))));
    let shared = Arc::new(Shared {
        jobs,
        limits,
        words,
        budget,
    });
    loop {
        let Ok(place) = places.clone().acquire_owned().await else {
            return Ok(());
        };
        let (stream, peer) = match listener.accept().await {
            Ok(s) => s,
            // Out of file handles and the like: wait a moment, keep serving.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let shared = shared.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn({
                let shared = shared.clone();
                move |req| {
                    let shared = shared.clone();
                    async move { Ok::<_, std::convert::Infallible>(handle(req, peer, &shared).await) }
                }
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(shared.limits.headers)
                .keep_alive(false)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            let _ = tokio::time::timeout(shared.limits.connection, connection).await;
            drop(place);
        });
    }
}

/// Semaphore permits for a number of bytes (the semaphore counts in `u32`).
fn permits(bytes: u64) -> usize {
    usize::try_from(bytes.min(u64::from(u32::MAX))).unwrap_or(u32::MAX as usize)
}

fn reply(status: StatusCode, body: impl Into<Bytes>) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = status;
    r.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

/// Why a body was not taken.
enum Cut {
    TooBig,
    TooSlow,
    /// The client went away or sent something that is not HTTP.
    Broken,
}

async fn handle(
    req: Request<Incoming>,
    peer: SocketAddr,
    shared: &Shared,
) -> Response<Full<Bytes>> {
    let words = &shared.words;
    if req.method() == hyper::Method::GET
        && let Some(letter) = req.uri().path().strip_prefix(ENROL_PATH)
    {
        return enrolment(letter, peer, shared).await;
    }
    if req.uri().path() != SYNC_PATH || req.method() != hyper::Method::POST {
        return reply(StatusCode::NOT_FOUND, words.not_here);
    }
    let declared = req
        .headers()
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > shared.limits.max_body) {
        return reply(StatusCode::PAYLOAD_TOO_LARGE, words.too_big.clone());
    }
    let (body, held) = match read_body(req.into_body(), shared).await {
        Ok(b) => b,
        Err(Cut::TooBig) => return reply(StatusCode::PAYLOAD_TOO_LARGE, words.too_big.clone()),
        Err(Cut::TooSlow) => return reply(StatusCode::REQUEST_TIMEOUT, words.too_slow.clone()),
        Err(Cut::Broken) => return reply(StatusCode::BAD_REQUEST, words.not_here),
    };
    let (answer, answered) = oneshot::channel();
    let job = Job {
        body,
        peer: peer.ip().to_string(),
        enrolment: None,
        answer,
    };
    if shared.jobs.send(job).await.is_err() {
        return reply(StatusCode::INTERNAL_SERVER_ERROR, words.office_fault);
    }
    let out = match answered.await {
        Ok((status, text)) => reply(status, text),
        Err(_) => reply(StatusCode::INTERNAL_SERVER_ERROR, words.office_fault),
    };
    drop(held);
    out
}

/// `GET /enrol/<letter>`: the enrolment file of that laptop, while it waits to be joined.
async fn enrolment(letter: &str, peer: SocketAddr, shared: &Shared) -> Response<Full<Bytes>> {
    let words = &shared.words;
    let letter: String = letter.chars().take(4).collect();
    if letter.is_empty() || !letter.chars().all(|c| c.is_ascii_alphabetic()) {
        return reply(StatusCode::NOT_FOUND, words.not_here);
    }
    let (answer, answered) = oneshot::channel();
    let job = Job {
        body: Vec::new(),
        peer: peer.ip().to_string(),
        enrolment: Some(letter.to_ascii_uppercase()),
        answer,
    };
    if shared.jobs.send(job).await.is_err() {
        return reply(StatusCode::INTERNAL_SERVER_ERROR, words.office_fault);
    }
    match answered.await {
        Ok((status, bytes)) => reply(status, bytes),
        Err(_) => reply(StatusCode::INTERNAL_SERVER_ERROR, words.office_fault),
    }
}

/// On a laptop: fetch its enrolment file from the office's `serve` (`http://HOST:PORT/enrol/A`).
pub fn fetch_enrolment(url: &str, timeout: Duration) -> Result<Vec<u8>> {
    plain_http(url)?;
    let agent = client(timeout);
    let response = agent.get(url).call();
    answer_of(response, url, timeout)
}

/// `https://` is refused before anything is sent: every file is sealed end to end already.
fn plain_http(url: &str) -> Result<()> {
    let scheme = url.split("://").next().unwrap_or_default();
    if scheme.eq_ignore_ascii_case("https") {
        return Err(Error::Sync {
            place: url.to_string(),
            problem: SyncProblem::NoTls,
        });
    }
    Ok(())
}

/// A client that waits at most `timeout` for a whole exchange.
fn client(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .build()
        .into()
}

/// The office's answer: its body when it said yes (200), else its refusal in its own words.
fn answer_of(
    response: std::result::Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    url: &str,
    timeout: Duration,
) -> Result<Vec<u8>> {
    let place = |problem: SyncProblem| Error::Sync {
        place: url.to_string(),
        problem,
    };
    let failed = |e: ureq::Error| place(network_problem(e, timeout));
    let mut response = response.map_err(failed)?;
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(MAX_REPLY)
        .read_to_vec()
        .map_err(failed)?;
    if status != 200 {
        let said = String::from_utf8_lossy(&body).into_owned();
        return Err(place(SyncProblem::OfficeSaid(crate::domain::text::clean(
            &said,
        ))));
    }
    Ok(body)
}

/// Read a body within the deadlines and the size limit, taking memory from the shared
/// budget as the bytes arrive. Returns the body and the budget it holds.
async fn read_body(
    mut body: Incoming,
    shared: &Shared,
) -> std::result::Result<(Vec<u8>, Option<tokio::sync::SemaphorePermit<'_>>), Cut> {
    let limits = &shared.limits;
    let deadline = tokio::time::Instant::now() + limits.body;
    let mut out = Vec::new();
    let mut held: Option<tokio::sync::SemaphorePermit<'_>> = None;
    loop {
        let next = tokio::time::Instant::now() + limits.idle;
        let frame = match tokio::time::timeout_at(next.min(deadline), body.frame()).await {
            Err(_) => return Err(Cut::TooSlow),
            Ok(None) => return Ok((out, held)),
            Ok(Some(Err(_))) => return Err(Cut::Broken),
            Ok(Some(Ok(frame))) => frame,
        };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        if out.len() as u64 + data.len() as u64 > limits.max_body {
            return Err(Cut::TooBig);
        }
        let n = u32::try_from(data.len()).map_err(|_| Cut::TooBig)?;
        let permit = tokio::time::timeout_at(deadline, shared.budget.acquire_many(n))
            .await
            .map_err(|_| Cut::TooSlow)?
            .map_err(|_| Cut::Broken)?;
        match &mut held {
            Some(h) => h.merge(permit),
            None => held = Some(permit),
        }
        out.extend_from_slice(&data);
    }
}

/// A sync that another thread may stop (the app's Ctrl-C): stopped before the reply is
/// taken in, nothing is applied on the laptop (a sync file the office already took is taken
/// in again there as a duplicate, and the next sync carries everything).
#[derive(Clone, Debug, Default)]
pub struct Stop(std::sync::Arc<std::sync::atomic::AtomicU8>);

const RUNNING: u8 = 0;
const APPLYING: u8 = 1;
const STOPPED: u8 = 2;

impl Stop {
    /// Stop the sync if it has not begun to apply the reply: true when it was stopped (and
    /// so applies nothing), false when the reply is being applied already (it finishes, in
    /// one transaction).
    pub fn stop(&self) -> bool {
        use std::sync::atomic::Ordering;
        self.0
            .compare_exchange(RUNNING, STOPPED, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
            || self.0.load(Ordering::SeqCst) == STOPPED
    }

    /// The sync is about to apply: false if it was stopped.
    fn begin_apply(&self) -> bool {
        use std::sync::atomic::Ordering;
        self.0
            .compare_exchange(RUNNING, APPLYING, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
    }
}

/// On a laptop: send what the office has not acknowledged to `url` and take in its reply,
/// waiting at most `timeout` for the whole exchange. Returns what the reply changed and how
/// many outbox entries went. `https://` is refused: the bundle is already sealed end to end.
pub fn sync_with(store: &mut Store, url: &str, timeout: Duration) -> Result<(Received, u64)> {
    sync_with_stop(store, url, timeout, &Stop::default())
}

/// As [`sync_with`], unless `stop` is stopped before the reply is applied: then nothing is
/// applied, and the result is [`SyncProblem::Stopped`].
pub fn sync_with_stop(
    store: &mut Store,
    url: &str,
    timeout: Duration,
    stop: &Stop,
) -> Result<(Received, u64)> {
    let place = |problem: SyncProblem| Error::Sync {
        place: url.to_string(),
        problem,
    };
    plain_http(url)?;
    let (bundle, sent) = laptop_bundle(store)?;
    let target = format!("{}{SYNC_PATH}", url.trim_end_matches('/'));
    let response = client(timeout)
        .post(&target)
        .header("content-type", "application/octet-stream")
        .send(&bundle[..]);
    let body = answer_of(response, url, timeout)?;
    if !stop.begin_apply() {
        return Err(place(SyncProblem::Stopped));
    }
    // An empty answer: the office had this very file already (a file sent twice), and says
    // so with nothing else.
    let received = if body.is_empty() {
        Received {
            from: super::Sender::Office,
            applied: crate::store::sync::Applied::default(),
            duplicate: true,
            reply: None,
            gap: false,
            clock_offset: 0,
        }
    } else {
        receive(store, &body, url)?
    };
    store.set_sync_meta(&[(crate::store::meta::MetaKey::SyncOfficeUrl, url)])?;
    Ok((received, sent))
}

/// What really happened when the office could not be talked to.
fn network_problem(e: ureq::Error, timeout: Duration) -> SyncProblem {
    match e {
        ureq::Error::Timeout(_) => SyncProblem::TimedOut {
            secs: timeout.as_secs(),
        },
        ureq::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::ConnectionRefused => SyncProblem::NotListening,
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
                SyncProblem::TimedOut {
                    secs: timeout.as_secs(),
                }
            }
            _ => SyncProblem::Unreachable(io.to_string()),
        },
        other => SyncProblem::Unreachable(other.to_string()),
    }
}
