//! Sync over the office LAN: the office serves, a laptop posts its bundle and takes the reply
//! in the same exchange. The bundle format is the same as on a USB stick; a refusal comes
//! back as the office's message in the user's words.

use super::{Received, laptop_bundle, receive};
use crate::domain::clock::Clock;
use crate::domain::sync::SyncProblem;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::store::{OpenMode, Store};
use std::io::Read;
use std::path::Path;

/// The path a laptop posts its bundle to.
pub const SYNC_PATH: &str = "/sync";
/// The largest bundle the office takes over the LAN.
const MAX_BODY: u64 = 1 << 30;

/// Serve the office database at `addr` until the process is stopped. `started` is told the
/// address actually bound (the port may have been 0) before the first request. Each request
/// opens the database, applies the laptop's bundle and answers with the reply.
pub fn serve(
    db: &Path,
    addr: &str,
    clock: Clock,
    lang: Lang,
    started: impl FnOnce(&str),
    mut each: impl FnMut(&str, &Result<Received>),
) -> Result<()> {
    let server = tiny_http::Server::http(addr).map_err(|e| Error::Sync {
        place: addr.to_string(),
        problem: SyncProblem::Unreachable(e.to_string()),
    })?;
    let bound = server
        .server_addr()
        .to_ip()
        .map(|mut a| {
            // Listening on every interface: tell the laptops this machine's LAN address.
            if a.ip().is_unspecified()
                && let Some(ip) = lan_address()
            {
                a.set_ip(ip);
            }
            a.to_string()
        })
        .unwrap_or_else(|| addr.to_string());
    started(&bound);
    for mut request in server.incoming_requests() {
        let peer = request
            .remote_addr()
            .map(|a| a.ip().to_string())
            .unwrap_or_default();
        if request.url() != SYNC_PATH || *request.method() != tiny_http::Method::Post {
            let _ = request.respond(
                tiny_http::Response::from_string("firepatrol office: POST /sync")
                    .with_status_code(404),
            );
            continue;
        }
        let mut body = Vec::new();
        let read = request.as_reader().take(MAX_BODY).read_to_end(&mut body);
        let outcome = match read {
            Err(e) => Err(Error::Io {
                path: peer.clone().into(),
                source: e,
            }),
            Ok(_) => Store::open(db, OpenMode::Existing, clock.clone())
                .and_then(|mut store| receive(&mut store, &body, &peer)),
        };
        each(&peer, &outcome);
        let response = match &outcome {
            Ok(r) => tiny_http::Response::from_data(r.reply.clone().unwrap_or_default())
                .with_status_code(200),
            Err(e) => {
                tiny_http::Response::from_data(e.message(lang).into_bytes()).with_status_code(409)
            }
        };
        let _ = request.respond(response);
    }
    Ok(())
}

/// This machine's address on the local network: the one the system would send from to a
/// private address (no packet is sent).
fn lan_address() -> Option<std::net::IpAddr> {
    let s = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    s.connect("192.168.0.1:9").ok()?;
    s.local_addr().ok().map(|a| a.ip())
}

/// On a laptop: send what the office has not acknowledged to `url` and take in its reply.
/// Returns what the reply changed and how many outbox entries went.
pub fn sync_with(store: &mut Store, url: &str) -> Result<(Received, u64)> {
    let (bundle, sent) = laptop_bundle(store)?;
    let target = format!("{}{SYNC_PATH}", url.trim_end_matches('/'));
    let unreachable = |detail: String| Error::Sync {
        place: url.to_string(),
        problem: SyncProblem::Unreachable(detail),
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(std::time::Duration::from_secs(120)))
        .build()
        .into();
    let mut response = agent
        .post(&target)
        .header("content-type", "application/octet-stream")
        .send(&bundle[..])
        .map_err(|e| unreachable(e.to_string()))?;
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(MAX_BODY)
        .read_to_vec()
        .map_err(|e| unreachable(e.to_string()))?;
    if status != 200 {
        let said = String::from_utf8_lossy(&body).into_owned();
        return Err(Error::Sync {
            place: url.to_string(),
            problem: SyncProblem::OfficeSaid(crate::domain::text::clean(&said)),
        });
    }
    let received = receive(store, &body, url)?;
    store.set_sync_meta(&[(crate::store::meta::MetaKey::SyncOfficeUrl, url)])?;
    Ok((received, sent))
}
