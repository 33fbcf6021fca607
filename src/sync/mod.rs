//! Many laptops, one office: enrolment, bundles out and in, and the replies.
//!
//! - The office (`init --office`) holds a signing key; each laptop gets one at enrolment
//!   (`devices add`), with the office's public key, in the enrolment file it `join`s with.
//! - A laptop's bundle carries every entry of its outbox the office has not acknowledged; the
//!   office applies it (`store::sync`), keeps what changed in its own outbox, and answers with
//!   a reply: everything of its outbox that laptop has not acknowledged, less what came from
//!   that laptop. A lost, repeated or late file loses nothing: the next carries it all again,
//!   and a bundle applied before is recognised by its hash and changes nothing.
//! - Every bundle is checked whole before anything is applied, and applied in one
//!   transaction: a refusal leaves the database as it was.

pub mod bundle;
pub mod demo;
pub mod http;

use crate::domain::sync::SyncProblem;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::devices::{Device, NewDevice, Role, note_laptop_bundle, put_meta, record_bundle};
use crate::store::sync::{Applied, Side};
use bundle::{Enrolment, Header, Kind};

/// An error about `place` (a file name or an address).
fn problem(place: &str, p: SyncProblem) -> Error {
    Error::Sync {
        place: place.to_string(),
        problem: p,
    }
}

fn io_err(place: &str, e: std::io::Error) -> Error {
    Error::Io {
        path: place.into(),
        source: e,
    }
}

/// This database's signing key and id in sync.
struct Me {
    id: String,
    key: ed25519_dalek::SigningKey,
}

fn me(store: &Store, place: &str) -> Result<Me> {
    let id = store.meta("sync_self")?;
    let key = store
        .meta("sync_secret")?
        .as_deref()
        .and_then(bundle::signing_key);
    match (id, key) {
        (Some(id), Some(key)) => Ok(Me { id, key }),
        _ => Err(problem(place, SyncProblem::NotSetUp)),
    }
}

/// Make this database the community office's: it gets its signing key, and from now on
/// every write is kept for the laptops. Doing it again changes nothing.
pub fn init_office(store: &mut Store) -> Result<bool> {
    let place = store.path().display().to_string();
    match store.sync_role()? {
        Some(Role::Office) => return Ok(false),
        Some(Role::Laptop) => return Err(problem(&place, SyncProblem::AlreadyJoined)),
        None => {}
    }
    let key = bundle::new_key().map_err(|e| io_err(&place, e))?;
    let id = crate::domain::new_id();
    store.set_sync_meta(&[
        ("sync_role", "office"),
        ("sync_self", &id),
        ("sync_secret", &bundle::secret_hex(&key)),
        ("sync_public", &bundle::public_hex(&key)),
    ])?;
    Ok(true)
}

fn community(store: &Store, place: &str) -> Result<(String, String)> {
    store
        .community_identity()?
        .ok_or_else(|| problem(place, SyncProblem::NoCommunity))
}

fn header(store: &Store, kind: Kind, me: &Me, community: (String, String)) -> Header {
    Header {
        kind,
        schema: crate::store::schema::latest(),
        community_id: community.0,
        community_name: community.1,
        sender: me.id.clone(),
        devices: vec![store.device_id().to_string()],
        to: String::new(),
        from: 0,
        upto: 0,
        ack: 0,
        created_at: store.now_stamp(),
        payload_len: 0,
        payload_sha256: String::new(),
        enrol: None,
    }
}

/// At the office: enrol a laptop for a person. Returns the new laptop and its enrolment file
/// (the community as the office has it, and the laptop's own key: keep it as safe as the
/// laptop).
pub fn add_device(
    store: &mut Store,
    person_id: Option<&str>,
    person_name: &str,
) -> Result<(Device, Vec<u8>)> {
    let place = store.path().display().to_string();
    if store.sync_role()? != Some(Role::Office) {
        return Err(problem(&place, SyncProblem::NotSetUp));
    }
    let me = me(store, &place)?;
    let community = community(store, &place)?;
    let key = bundle::new_key().map_err(|e| io_err(&place, e))?;
    let id = crate::domain::new_id();
    let letter = store.next_device_letter()?;
    let snapshot = store.snapshot()?;
    let upto = store.outbox_head()?;
    store.add_device(&NewDevice {
        id: &id,
        letter: &letter,
        person_id,
        person_name,
        public_key: &bundle::public_hex(&key),
        acked_to: upto,
    })?;
    let mut h = header(store, Kind::Enrol, &me, community);
    h.to = id.clone();
    h.upto = upto;
    h.enrol = Some(Enrolment {
        id: id.clone(),
        letter,
        person_id: person_id.map(str::to_owned),
        person_name: person_name.to_string(),
        secret_key: bundle::secret_hex(&key),
        office_id: me.id.clone(),
        office_key: store.meta("sync_public")?.unwrap_or_default(),
    });
    let bytes = bundle::write(h, &snapshot, &me.key).map_err(|e| io_err(&place, e))?;
    let device = store
        .device(&id)?
        .ok_or_else(|| problem(&place, SyncProblem::UnknownSender))?;
    Ok((device, bytes))
}

/// What joining did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Joined {
    pub community: String,
    pub letter: String,
    pub person: String,
    /// The laptop's own rows that were the same as the office's and took the office's ids.
    pub merged: usize,
    pub applied: Applied,
    /// False when this enrolment was taken in before (nothing changed).
    pub new: bool,
}

/// On a laptop: take in an enrolment file. The laptop's own records stay, its lists merge
/// into the office's, and from now on its writes are kept for the office.
pub fn join(store: &mut Store, bytes: &[u8], place: &str) -> Result<Joined> {
    let b = bundle::read(bytes).map_err(|p| problem(place, p))?;
    let (Kind::Enrol, Some(enrol)) = (b.header.kind, b.header.enrol.clone()) else {
        return Err(problem(place, SyncProblem::WrongKind));
    };
    b.verify(&enrol.office_key).map_err(|p| problem(place, p))?;
    newer_schema(&b.header, place)?;
    match store.sync_role()? {
        Some(Role::Office) => return Err(problem(place, SyncProblem::IsOffice)),
        Some(Role::Laptop) => {
            if store.meta("sync_self")?.as_deref() == Some(enrol.id.as_str()) {
                return Ok(Joined {
                    community: b.header.community_name.clone(),
                    letter: enrol.letter,
                    person: enrol.person_name,
                    merged: 0,
                    applied: Applied::default(),
                    new: false,
                });
            }
            return Err(problem(place, SyncProblem::AlreadyJoined));
        }
        None => {}
    }
    if let Some((_, name)) = store.community_identity()?
        && name != b.header.community_name
    {
        return Err(problem(place, SyncProblem::OtherCommunity(name)));
    }
    let changes = b.changeset().map_err(|p| problem(place, p))?;
    let merged = store.merge_into(&changes)?;
    // What this laptop had before joining goes to the office with its first bundle.
    let own = store.snapshot()?;
    let hash = b.id();
    let at = store.now_stamp();
    let device = store.device_id().to_string();
    let h = b.header.clone();
    let e = enrol.clone();
    let applied = store
        .apply_changes(&changes, Side::Laptop, "office", None, None, |tx, a| {
            record_bundle(tx, &hash, &h.sender, "enrol", &at, a.rows)?;
            put_meta(
                tx,
                &[
                    ("sync_role", "laptop".to_string()),
                    ("sync_self", e.id.clone()),
                    ("sync_secret", e.secret_key.clone()),
                    ("sync_office_id", e.office_id.clone()),
                    ("sync_office_key", e.office_key.clone()),
                    ("sync_letter", e.letter.clone()),
                    ("sync_person", e.person_name.clone()),
                    ("sync_community", h.community_id.clone()),
                    ("sync_acked", h.upto.to_string()),
                    ("sync_office_acked", "0".to_string()),
                    ("sync_last", at.clone()),
                ],
            )?;
            if !own.is_empty() {
                tx.execute(
                    "INSERT INTO sync_outbox (origin, at, changeset) VALUES (?1, ?2, ?3)",
                    rusqlite::params![device, at, own],
                )?;
            }
            Ok(())
        })?
        .map_err(|r| problem(place, SyncProblem::Refused(r)))?;
    store.set_sync_meta(&[])?;
    Ok(Joined {
        community: b.header.community_name.clone(),
        letter: enrol.letter,
        person: enrol.person_name,
        merged,
        applied,
        new: true,
    })
}

fn newer_schema(h: &Header, place: &str) -> Result<()> {
    let supported = crate::store::schema::latest();
    if h.schema > supported {
        return Err(problem(
            place,
            SyncProblem::Newer {
                found: h.schema,
                supported,
            },
        ));
    }
    Ok(())
}

/// On a laptop: a bundle of everything the office has not acknowledged yet, with how many
/// outbox entries it carries.
pub fn laptop_bundle(store: &mut Store) -> Result<(Vec<u8>, u64)> {
    let place = store.path().display().to_string();
    if store.sync_role()? != Some(Role::Laptop) {
        return Err(problem(&place, SyncProblem::NotSetUp));
    }
    let me = me(store, &place)?;
    let community = community(store, &place)?;
    let acked = store.meta_number("sync_office_acked")?;
    let (changes, upto, entries) = store.outbox_since(acked, &[])?;
    let mut h = header(store, Kind::Laptop, &me, community);
    h.community_id = store.meta("sync_community")?.unwrap_or(h.community_id);
    h.to = store.meta("sync_office_id")?.unwrap_or_default();
    h.from = acked;
    h.upto = upto;
    h.ack = store.meta_number("sync_acked")?;
    let bytes = bundle::write(h, &changes, &me.key).map_err(|e| io_err(&place, e))?;
    Ok((bytes, entries))
}

/// What taking in a bundle did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received {
    /// Who sent it: the laptop's person and letter, or "office".
    pub from: String,
    pub applied: Applied,
    /// It had been taken in before: nothing changed.
    pub duplicate: bool,
    /// At the office: the reply for that laptop.
    pub reply: Option<Vec<u8>>,
}

/// Take in a bundle: at the office a laptop's (and make the reply), on a laptop the
/// office's reply.
pub fn receive(store: &mut Store, bytes: &[u8], place: &str) -> Result<Received> {
    match store.sync_role()? {
        Some(Role::Office) => office_receives(store, bytes, place),
        Some(Role::Laptop) => laptop_receives(store, bytes, place),
        None => Err(problem(place, SyncProblem::NotSetUp)),
    }
}

fn same_community(store: &Store, h: &Header, place: &str) -> Result<()> {
    let ours = match store.meta("sync_community")? {
        Some(c) => c,
        None => community(store, place)?.0,
    };
    if h.community_id != ours {
        return Err(problem(
            place,
            SyncProblem::OtherCommunity(h.community_name.clone()),
        ));
    }
    Ok(())
}

fn office_receives(store: &mut Store, bytes: &[u8], place: &str) -> Result<Received> {
    let b = bundle::read(bytes).map_err(|p| problem(place, p))?;
    if b.header.kind != Kind::Laptop {
        return Err(problem(place, SyncProblem::WrongKind));
    }
    let device = store
        .device(&b.header.sender)?
        .filter(|d| d.id == b.header.sender)
        .ok_or_else(|| problem(place, SyncProblem::UnknownSender))?;
    b.verify(&device.public_key)
        .map_err(|p| problem(place, p))?;
    if let Some(since) = &device.revoked_at {
        return Err(problem(
            place,
            SyncProblem::Revoked {
                since: since.clone(),
            },
        ));
    }
    newer_schema(&b.header, place)?;
    same_community(store, &b.header, place)?;
    let from = format!("{} ({})", device.person_name, device.letter);
    let hash = b.id();
    if store.bundle_seen(&hash)? {
        let reply = office_reply(store, &device.id, place)?;
        return Ok(Received {
            from,
            applied: Applied::default(),
            duplicate: true,
            reply: Some(reply),
        });
    }
    if b.header.from > device.received_to {
        return Err(problem(
            place,
            SyncProblem::Gap {
                have: device.received_to,
                starts: b.header.from,
            },
        ));
    }
    if !store.device_ids_free_for(&device.id, &b.header.devices)? {
        return Err(problem(
            place,
            SyncProblem::Refused(crate::domain::sync::Refusal::ForeignDevice {
                table: "event".into(),
                device: b.header.devices.join(","),
            }),
        ));
    }
    let mut allowed = device.aliases.clone();
    allowed.extend(b.header.devices.iter().cloned());
    let origin = b.header.devices.first().cloned().unwrap_or_default();
    let changes = b.changeset().map_err(|p| problem(place, p))?;
    let at = store.now_stamp();
    let h = b.header.clone();
    let id = device.id.clone();
    let applied = store
        .apply_changes(
            &changes,
            Side::Office,
            &from,
            Some(&allowed),
            Some(&origin),
            |tx, a| {
                record_bundle(tx, &hash, &id, "laptop", &at, a.rows)?;
                note_laptop_bundle(tx, &id, &h.devices, Some(h.upto), h.ack, a.rows, &at)
            },
        )?
        .map_err(|r| problem(place, SyncProblem::Refused(r)))?;
    let reply = office_reply(store, &device.id, place)?;
    Ok(Received {
        from,
        applied,
        duplicate: false,
        reply: Some(reply),
    })
}

/// At the office: the reply for one laptop (everything it has not acknowledged, less what
/// came from it).
pub fn office_reply(store: &mut Store, device_id: &str, place: &str) -> Result<Vec<u8>> {
    let me = me(store, place)?;
    let community = community(store, place)?;
    let device = store
        .device(device_id)?
        .ok_or_else(|| problem(place, SyncProblem::UnknownSender))?;
    let mut skip = device.aliases.clone();
    skip.push(device.id.clone());
    let (changes, upto, _) = store.outbox_since(device.acked_to, &skip)?;
    let mut h = header(store, Kind::Office, &me, community);
    h.to = device.id.clone();
    h.from = device.acked_to;
    h.upto = upto;
    h.ack = device.received_to;
    bundle::write(h, &changes, &me.key).map_err(|e| io_err(place, e))
}

fn laptop_receives(store: &mut Store, bytes: &[u8], place: &str) -> Result<Received> {
    let b = bundle::read(bytes).map_err(|p| problem(place, p))?;
    if b.header.kind != Kind::Office {
        return Err(problem(place, SyncProblem::WrongKind));
    }
    let office_key = store.meta("sync_office_key")?.unwrap_or_default();
    b.verify(&office_key).map_err(|p| problem(place, p))?;
    if Some(b.header.to.as_str()) != store.meta("sync_self")?.as_deref() {
        return Err(problem(place, SyncProblem::NotForUs));
    }
    newer_schema(&b.header, place)?;
    same_community(store, &b.header, place)?;
    let hash = b.id();
    let acked = store.meta_number("sync_acked")?;
    let office_acked = store.meta_number("sync_office_acked")?;
    let from = "office".to_string();
    if store.bundle_seen(&hash)? {
        return Ok(Received {
            from,
            applied: Applied::default(),
            duplicate: true,
            reply: None,
        });
    }
    if b.header.from > acked {
        return Err(problem(
            place,
            SyncProblem::Gap {
                have: acked,
                starts: b.header.from,
            },
        ));
    }
    let changes = b.changeset().map_err(|p| problem(place, p))?;
    let at = store.now_stamp();
    let h = b.header.clone();
    let applied = store
        .apply_changes(&changes, Side::Laptop, "office", None, None, |tx, a| {
            record_bundle(tx, &hash, &h.sender, "office", &at, a.rows)?;
            put_meta(
                tx,
                &[
                    ("sync_acked", acked.max(h.upto).to_string()),
                    ("sync_office_acked", office_acked.max(h.ack).to_string()),
                    ("sync_last", at.clone()),
                ],
            )
        })?
        .map_err(|r| problem(place, SyncProblem::Refused(r)))?;
    store.prune_outbox(office_acked.max(b.header.ack))?;
    Ok(Received {
        from,
        applied,
        duplicate: false,
        reply: None,
    })
}
