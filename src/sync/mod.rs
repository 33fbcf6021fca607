//! Many laptops, one office: enrolment, bundles out and in, and the replies.
//!
//! - The office (`init --office`) makes its keys; each laptop makes its own when it `join`s
//!   with the enrolment file (`devices add`, sealed with a one-time code), which carries the
//!   office's public keys. Secret keys live in the key file beside each database (`keys`).
//! - Every file is sealed to its one recipient and signed by its sender (`bundle`): a
//!   laptop's bundle opens at the office only, a reply at its laptop only.
//! - A laptop's bundle carries every entry of its outbox the office has not acknowledged; the
//!   office applies it (`store::sync`), keeps what changed in its own outbox, and answers with
//!   a reply: everything of its outbox that laptop has not acknowledged, less what came from
//!   that laptop. A lost, repeated or late file loses nothing: the next carries it all again,
//!   and a bundle applied before is recognised by its hash and changes nothing.
//! - Every bundle is checked whole before anything is applied, and applied in one
//!   transaction: a refusal leaves the database as it was.

pub mod bundle;
pub mod demo;
mod enrol;
pub mod http;
pub mod keys;
pub mod limits;

pub use enrol::{
    Enrolled, EnrolmentFile, Joined, add_device, add_device_with, join, join_opened,
    open_enrolment, reenrol,
};

use crate::domain::sync::SyncProblem;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::devices::{
    Device, LaptopNote, Role, note_laptop_bundle, put_meta, record_bundle, set_device_keys,
};
use crate::store::meta::MetaKey;
use crate::store::sync::{Applied, Incoming, Side};
use bundle::{Header, Inner, Kind, Opener, Seal, SenderKeys};
use keys::Keys;

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

/// This database's keys and id in sync.
pub(crate) struct Me {
    id: String,
    keys: Keys,
}

/// A problem of this database's own (its key file), named by the database's path.
fn own_problem(store: &Store, p: SyncProblem) -> Error {
    problem(&store.path().display().to_string(), p)
}

/// This database's id and keys: from the key file beside it. A signing key kept in the
/// database by a firepatrol from before key files is moved there (with a new age key) and
/// forgotten in the database, so that no backup from now on holds it.
fn me(store: &mut Store) -> Result<Me> {
    let Some(id) = store.meta(MetaKey::SyncSelf)? else {
        return Err(own_problem(store, SyncProblem::NotSetUp));
    };
    let legacy = store.meta(MetaKey::SyncSecret)?;
    let keys = match keys::load(store.path()).map_err(|p| own_problem(store, p))? {
        Some(k) => k,
        None => match legacy.as_deref().and_then(keys::signing_key) {
            Some(sign) => {
                let k = Keys::with_sign(sign);
                keys::save(store.path(), &k)?;
                k
            }
            None => return Err(own_problem(store, SyncProblem::KeyFileMissing)),
        },
    };
    if legacy.is_some() {
        store.forget_meta(MetaKey::SyncSecret)?;
    }
    Ok(Me { id, keys })
}

/// The keys of this database, as a header carries them.
fn sender_keys(me: &Me) -> SenderKeys {
    SenderKeys {
        sign: me.keys.sign_public(),
        age: me.keys.age_public(),
        proof: String::new(),
    }
}

/// What `init --office` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OfficeInit {
    /// The database is the office's now.
    Made,
    /// It was already, with its keys: nothing changed.
    Already,
    /// It was already, but its key file was lost: new keys were made, and every laptop must
    /// be enrolled again (`devices reenrol`).
    NewKeys,
}

/// Make this database the community office's: it makes its keys (in the key file beside
/// it), and from now on every write is kept for the laptops. Doing it again changes nothing,
/// unless the office's key file is gone (a restore on a new PC): then it makes new keys.
pub fn init_office(store: &mut Store) -> Result<OfficeInit> {
    let place = store.path().display().to_string();
    match store.sync_role()? {
        Some(Role::Office) => {
            let kept = keys::load(store.path()).map_err(|p| own_problem(store, p))?;
            if kept.is_some() || store.meta(MetaKey::SyncSecret)?.is_some() {
                return Ok(OfficeInit::Already);
            }
            let keys = Keys::generate().map_err(|e| io_err(&place, e))?;
            keys::save(store.path(), &keys)?;
            store.set_sync_meta(&[(MetaKey::SyncPublic, &keys.sign_public())])?;
            return Ok(OfficeInit::NewKeys);
        }
        Some(Role::Laptop) => return Err(problem(&place, SyncProblem::AlreadyJoined)),
        None => {}
    }
    let keys = Keys::generate().map_err(|e| io_err(&place, e))?;
    keys::save(store.path(), &keys)?;
    let id = crate::domain::new_id();
    store.set_sync_meta(&[
        (MetaKey::SyncRole, "office"),
        (MetaKey::SyncSelf, &id),
        (MetaKey::SyncPublic, &keys.sign_public()),
    ])?;
    Ok(OfficeInit::Made)
}

fn community(store: &Store, place: &str) -> Result<(String, String)> {
    store
        .community_identity()?
        .ok_or_else(|| problem(place, SyncProblem::NoCommunity))
}

fn header(store: &Store, kind: Kind, me: &Me, community_id: String) -> Header {
    let nonce = bundle::nonce().unwrap_or_default();
    Header {
        kind,
        schema: crate::store::schema::latest(),
        community_id,
        sender: me.id.clone(),
        devices: vec![store.device_id().to_string()],
        to: String::new(),
        from: 0,
        upto: 0,
        ack: 0,
        created_at: store.now_stamp(),
        payload_len: 0,
        payload_sha256: String::new(),
        keys: sender_keys(me),
        answers: String::new(),
        full: false,
        resend: false,
        database: String::new(),
        replace: false,
        nonce,
    }
}

/// The name of a bundle just written (the hash of what it signs).
fn bundle_id(bytes: &[u8], place: &str) -> Result<String> {
    bundle::read(bytes)
        .map(|b| b.id())
        .map_err(|p| problem(place, p))
}

/// How far `stamp` (the other side's clock when it wrote) is off this machine's clock, in
/// seconds (positive: the other side is ahead). A stamp that cannot be read counts as 0.
fn clock_offset(store: &Store, stamp: &str) -> i64 {
    match (
        chrono::DateTime::parse_from_rfc3339(stamp),
        chrono::DateTime::parse_from_rfc3339(&store.now_stamp()),
    ) {
        (Ok(theirs), Ok(ours)) => (theirs - ours).num_seconds(),
        _ => 0,
    }
}

/// Whether a clock offset is past what sync tolerates without a word.
pub fn clock_is_off(seconds: i64) -> bool {
    seconds.unsigned_abs()
        > crate::domain::clock::CLOCK_TOLERANCE
            .num_seconds()
            .unsigned_abs()
}

/// A bundle from a newer firepatrol, or from one older than this build's sync, is refused.
fn schema_fits(h: &Header, place: &str) -> Result<()> {
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
    if h.schema < crate::store::schema::SYNC_FROM {
        return Err(problem(
            place,
            SyncProblem::Older {
                found: h.schema,
                needed: crate::store::schema::SYNC_FROM,
            },
        ));
    }
    Ok(())
}

/// On a laptop: a bundle of everything the office has not acknowledged yet (or, when the
/// office asked for it, of everything this laptop ever wrote), sealed to the office, with how
/// many outbox entries it carries. A laptop that joined before files were sealed does not
/// know the office's age key yet: it sends only its keys, and the reply brings the office's.
pub fn laptop_bundle(store: &mut Store) -> Result<(Vec<u8>, u64)> {
    let place = store.path().display().to_string();
    if store.sync_role()? != Some(Role::Laptop) {
        return Err(problem(&place, SyncProblem::NotSetUp));
    }
    let me = me(store)?;
    let community = community(store, &place)?;
    let flag = |v: Option<String>| v.as_deref() == Some("1");
    let office_age = store
        .meta(MetaKey::SyncOfficeAge)?
        .filter(|k| keys::is_age_public(k));
    let resend_all = flag(store.meta(MetaKey::SyncResendAll)?) && office_age.is_some();
    let acked = store.meta_number(MetaKey::SyncOfficeAcked)?;
    let own = store.own_device_ids()?;
    let (changes, from, upto, entries) = if office_age.is_none() {
        (Vec::new(), acked, acked, 0)
    } else if resend_all {
        let head = store.outbox_head()?;
        let (_, _, entries) = store.outbox_since(0, &[])?;
        // Everything it holds: after the office was restored, what it lost may be anyone's.
        (store.snapshot()?, 0, head, entries)
    } else {
        let (changes, upto, entries) = store.outbox_since(acked, &[])?;
        (changes, acked, upto, entries)
    };
    let office = store.meta(MetaKey::SyncOfficeId)?.unwrap_or_default();
    let mut h = header(store, Kind::Laptop, &me, community.0);
    h.community_id = store
        .meta(MetaKey::SyncCommunity)?
        .unwrap_or(h.community_id);
    h.to = office.clone();
    h.devices = own;
    h.from = from;
    h.upto = upto;
    h.full = resend_all;
    h.ack = store.meta_number(MetaKey::SyncAcked)?;
    h.answers = store.meta(MetaKey::SyncLastReply)?.unwrap_or_default();
    h.database = store.meta(MetaKey::SyncDatabase)?.unwrap_or_default();
    h.replace = flag(store.meta(MetaKey::SyncReplace)?);
    h.resend = flag(store.meta(MetaKey::SyncWantAll)?);
    h.keys.proof = store.meta(MetaKey::SyncEnrolProof)?.unwrap_or_default();
    let inner = Inner {
        community_name: community.1,
        enrol: None,
        proposals: Vec::new(),
    };
    let seal = match &office_age {
        Some(age) => Seal::To(age),
        None => Seal::Empty,
    };
    let bytes =
        bundle::write(h, &inner, &changes, seal, &me.keys.sign).map_err(|e| io_err(&place, e))?;
    store.note_sent(&bundle_id(&bytes, &place)?, &office, upto, resend_all)?;
    Ok((bytes, entries))
}

/// What taking in a bundle did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received {
    /// Who sent it: the laptop's person and letter, or "office".
    pub from: String,
    pub applied: Applied,
    /// It had been taken in before: nothing changed (and at the office, no reply: a file
    /// from the chat app is no key to the community).
    pub duplicate: bool,
    /// At the office: the reply for that laptop.
    pub reply: Option<Vec<u8>>,
    /// Records in between are missing here: nothing was applied, and the other side was
    /// asked to send everything (sync once more).
    pub gap: bool,
    /// How far the other side's clock is off this one (seconds, + ahead).
    pub clock_offset: i64,
}

/// Take in a bundle: at the office a laptop's (and make the reply), on a laptop the
/// office's reply.
pub fn receive(store: &mut Store, bytes: &[u8], place: &str) -> Result<Received> {
    receive_limited(store, bytes, place, bundle::MAX_PAYLOAD)
}

/// As [`receive`], with the changeset unpacked to at most `limit` bytes (the LAN's is
/// smaller than a USB stick's).
pub fn receive_limited(
    store: &mut Store,
    bytes: &[u8],
    place: &str,
    limit: u64,
) -> Result<Received> {
    match store.sync_role()? {
        Some(Role::Office) => office_receives(store, bytes, place, limit),
        Some(Role::Laptop) => laptop_receives(store, bytes, place, limit),
        None => Err(problem(place, SyncProblem::NotSetUp)),
    }
}

/// The bundle is for this community (`name` is its own word for it, from inside the seal).
fn same_community(store: &Store, h: &Header, name: &str, place: &str) -> Result<()> {
    let ours = match store.meta(MetaKey::SyncCommunity)? {
        Some(c) => c,
        None => community(store, place)?.0,
    };
    if h.community_id != ours {
        return Err(problem(
            place,
            SyncProblem::OtherCommunity(name.to_string()),
        ));
    }
    Ok(())
}

/// At the office: whether the keys a laptop's bundle names may sign for its enrolment. The
/// keys the office holds for it may; new keys only with the enrolment's one-time proof, and
/// only for the laptop's first database, or one that takes its place on purpose
/// (`join --replace`). Returns whether the keys are new.
fn keys_fit(device: &Device, h: &Header, place: &str) -> Result<bool> {
    let k = &h.keys;
    if device.keyed && k.sign == device.public_key {
        return Ok(false);
    }
    if device.keyed && device.database_id.as_deref() != Some(h.database.as_str()) && !h.replace {
        // Another database with this enrolment: the old laptop after a replacement, or a
        // second join with a used enrolment file.
        let letter = device.letter.clone();
        return Err(problem(
            place,
            if device.retired_at.is_some() {
                SyncProblem::Replaced { letter }
            } else {
                SyncProblem::OtherDatabase { letter }
            },
        ));
    }
    let vouched = device
        .enrol_key
        .as_deref()
        .is_some_and(|e| bundle::proof_holds(e, &device.id, k));
    if !vouched {
        return Err(problem(place, SyncProblem::BadSignature));
    }
    Ok(true)
}

/// At the office: whether this laptop database may use the enrolment (one enrolment, one
/// database; `join --replace` takes the place on purpose).
fn database_fits(store: &mut Store, device: &Device, h: &Header, place: &str) -> Result<()> {
    match &device.database_id {
        None => Ok(()),
        Some(d) if *d == h.database => Ok(()),
        Some(_) if h.replace => {
            store.replace_device_database(&device.id, &h.database)?;
            Ok(())
        }
        Some(_) if device.retired_at.is_some() => Err(problem(
            place,
            SyncProblem::Replaced {
                letter: device.letter.clone(),
            },
        )),
        Some(_) => Err(problem(
            place,
            SyncProblem::OtherDatabase {
                letter: device.letter.clone(),
            },
        )),
    }
}

fn office_receives(store: &mut Store, bytes: &[u8], place: &str, limit: u64) -> Result<Received> {
    let b = bundle::read(bytes).map_err(|p| problem(place, p))?;
    if b.header.kind != Kind::Laptop {
        return Err(problem(place, SyncProblem::WrongKind));
    }
    let device = store
        .device(&b.header.sender)?
        .filter(|d| d.id == b.header.sender)
        .ok_or_else(|| problem(place, SyncProblem::UnknownSender))?;
    let new_keys = keys_fit(&device, &b.header, place)?;
    b.verify(&b.header.keys.sign)
        .map_err(|p| problem(place, p))?;
    if !keys::is_age_public(&b.header.keys.age) {
        return Err(problem(place, SyncProblem::BadHeader));
    }
    if let Some(since) = &device.revoked_at {
        return Err(problem(
            place,
            SyncProblem::Revoked {
                since: since.clone(),
            },
        ));
    }
    schema_fits(&b.header, place)?;
    let from = format!("{} ({})", device.person_name, device.letter);
    let hash = b.id();
    if store.bundle_seen(&hash)? {
        return Ok(Received {
            from,
            applied: Applied::default(),
            duplicate: true,
            reply: None,
            gap: false,
            clock_offset: 0,
        });
    }
    // What the laptop says it has of the office's is believed only as far as the reply it
    // names went.
    let acked_to = match store.sent_bundle(&b.header.answers, &device.id)? {
        Some(sent) if b.header.ack > sent.upto => {
            return Err(problem(
                place,
                SyncProblem::ForgedAck {
                    acked: b.header.ack,
                    sent: sent.upto,
                },
            ));
        }
        Some(sent) => Some(sent),
        // A reply this office does not know (it was restored from a backup made before):
        // the next reply carries everything.
        None => None,
    };
    database_fits(store, &device, &b.header, place)?;
    if !store.device_ids_free_for(&device.id, &b.header.devices)? {
        return Err(problem(
            place,
            SyncProblem::Refused(crate::domain::sync::Refusal::ForeignDevice {
                table: "event".into(),
                device: b.header.devices.join(","),
            }),
        ));
    }
    let gap = !b.header.full && b.header.from > device.received_to;
    let hello = b.is_empty();
    let offset = clock_offset(store, &b.header.created_at);
    let mut allowed = device.aliases.clone();
    allowed.extend(b.header.devices.iter().cloned());
    if b.header.full {
        // Everything the laptop holds, sent back because the office asked: rows of every
        // writer this office knows may be among what it lost.
        allowed.extend(store.known_device_ids()?);
    }
    let origin = b.header.devices.first().cloned().unwrap_or_default();
    // A gap: the office lacks records in between (it was restored): nothing is applied,
    // and the reply asks the laptop for everything it holds.
    let me = me(store)?;
    let opened = if gap {
        bundle::Opened::default()
    } else {
        b.open(Opener::Keys(&me.keys.age), limit)
            .map_err(|p| problem(place, p))?
    };
    same_community(store, &b.header, &opened.inner.community_name, place)?;
    let changes = opened.changeset;
    let at = store.now_stamp();
    let h = b.header.clone();
    let id = device.id.clone();
    let take_keys = new_keys || device.age_key.as_deref() != Some(h.keys.age.as_str());
    let incoming = Incoming {
        changes: &changes,
        side: if h.full {
            Side::OfficeTakesBack
        } else {
            Side::Office
        },
        sender: &from,
        allowed: Some(&allowed),
        record_as: Some(&origin),
    };
    let applied = store
        .apply_changes(&incoming, |tx, a| {
            if !gap {
                record_bundle(tx, &hash, &id, "laptop", &at, a.rows)?;
            }
            if take_keys {
                set_device_keys(tx, &id, &h.keys.sign, &h.keys.age)?;
            }
            note_laptop_bundle(
                tx,
                &LaptopNote {
                    enrolment: &id,
                    devices: &h.devices,
                    database: &h.database,
                    received_to: (!gap && !hello).then_some(h.upto),
                    acked_to: acked_to.map(|s| s.upto),
                    had_all: acked_to.is_some_and(|s| s.full),
                    want_all: h.resend,
                    clock_offset: offset,
                    rows: a.rows,
                    at: &at,
                },
            )
        })?
        .map_err(|r| problem(place, SyncProblem::Refused(r)))?;
    let reply = office_reply(store, &device.id, &hash, gap, place)?;
    Ok(Received {
        from,
        applied,
        duplicate: false,
        reply: Some(reply),
        gap,
        clock_offset: offset,
    })
}

/// At the office: the reply for one laptop, answering its bundle `answers`: everything it
/// has not acknowledged, less what came from it; or everything, when its acknowledgement
/// could not be verified or it asked. `resend` asks the laptop for everything it holds.
fn office_reply(
    store: &mut Store,
    device_id: &str,
    answers: &str,
    resend: bool,
    place: &str,
) -> Result<Vec<u8>> {
    let me = me(store)?;
    let community = community(store, place)?;
    let device = store
        .device(device_id)?
        .ok_or_else(|| problem(place, SyncProblem::UnknownSender))?;
    let full = device.send_all;
    let (changes, from, upto) = if full {
        (store.snapshot()?, 0, store.outbox_head()?)
    } else {
        let mut skip = device.aliases.clone();
        skip.push(device.id.clone());
        let (changes, upto, _) = store.outbox_since(device.acked_to, &skip)?;
        (changes, device.acked_to, upto)
    };
    let to = device
        .age_key
        .clone()
        .filter(|k| keys::is_age_public(k))
        .ok_or_else(|| problem(place, SyncProblem::BadHeader))?;
    let mut h = header(store, Kind::Office, &me, community.0);
    h.to = device.id.clone();
    h.from = from;
    h.upto = upto;
    h.full = full;
    h.ack = device.received_to;
    h.answers = answers.to_string();
    h.resend = resend;
    // The decisions travel back: this laptop's proposals, with what the office decided.
    let label = format!("{} ({})", device.person_name, device.letter);
    let mut proposals: Vec<crate::domain::sync::ProposalNote> = store
        .proposals(true)?
        .into_iter()
        .filter(|p| p.senders.split(", ").any(|s| s == label))
        .map(|p| crate::domain::sync::ProposalNote {
            number: p.number,
            list: p.table,
            what: p.what,
            detail: p.detail,
            status: p.status,
        })
        .collect();
    // The newest hundred are enough to tell: older ones were told before.
    let skip = proposals.len().saturating_sub(100);
    proposals.drain(..skip);
    let inner = Inner {
        community_name: community.1,
        enrol: None,
        proposals,
    };
    let bytes = bundle::write(h, &inner, &changes, Seal::To(&to), &me.keys.sign)
        .map_err(|e| io_err(place, e))?;
    store.note_sent(&bundle_id(&bytes, place)?, &device.id, upto, full)?;
    Ok(bytes)
}

fn laptop_receives(store: &mut Store, bytes: &[u8], place: &str, limit: u64) -> Result<Received> {
    let b = bundle::read(bytes).map_err(|p| problem(place, p))?;
    if b.header.kind != Kind::Office {
        return Err(problem(place, SyncProblem::WrongKind));
    }
    let office_key = store.meta(MetaKey::SyncOfficeKey)?.unwrap_or_default();
    b.verify(&office_key).map_err(|p| problem(place, p))?;
    if Some(b.header.to.as_str()) != store.meta(MetaKey::SyncSelf)?.as_deref() {
        return Err(problem(place, SyncProblem::NotForUs));
    }
    schema_fits(&b.header, place)?;
    let hash = b.id();
    let from = "office".to_string();
    let offset = clock_offset(store, &b.header.created_at);
    if store.bundle_seen(&hash)? {
        return Ok(Received {
            from,
            applied: Applied::default(),
            duplicate: true,
            reply: None,
            gap: false,
            clock_offset: offset,
        });
    }
    let office = store.meta(MetaKey::SyncOfficeId)?.unwrap_or_default();
    // The office's acknowledgement counts only for a bundle this laptop sent, and only as
    // far as that bundle went.
    let answered = store.sent_bundle(&b.header.answers, &office)?;
    if let Some(sent) = answered
        && b.header.ack > sent.upto
    {
        return Err(problem(
            place,
            SyncProblem::ForgedAck {
                acked: b.header.ack,
                sent: sent.upto,
            },
        ));
    }
    let acked = store.meta_number(MetaKey::SyncAcked)?;
    let gap = !b.header.full && b.header.from > acked;
    let me = me(store)?;
    let opened = if gap {
        bundle::Opened::default()
    } else {
        b.open(Opener::Keys(&me.keys.age), limit)
            .map_err(|p| problem(place, p))?
    };
    same_community(store, &b.header, &opened.inner.community_name, place)?;
    let changes = opened.changeset;
    let told = serde_json::to_string(&opened.inner.proposals).unwrap_or_default();
    let at = store.now_stamp();
    let h = b.header.clone();
    let incoming = Incoming::from_office(&changes);
    let applied = store
        .apply_changes(&incoming, |tx, a| {
            let mut pairs = vec![
                (MetaKey::SyncLast, at.clone()),
                (MetaKey::SyncClockOffset, offset.to_string()),
            ];
            // The office's age key, signed by the office: what this laptop seals to.
            if keys::is_age_public(&h.keys.age) {
                pairs.push((MetaKey::SyncOfficeAge, h.keys.age.clone()));
            }
            if gap {
                pairs.push((MetaKey::SyncWantAll, "1".to_string()));
            } else {
                record_bundle(tx, &hash, &h.sender, "office", &at, a.rows)?;
                pairs.push((MetaKey::SyncProposals, told.clone()));
                pairs.push((MetaKey::SyncAcked, h.upto.to_string()));
                pairs.push((MetaKey::SyncLastReply, hash.clone()));
                if h.full {
                    pairs.push((MetaKey::SyncWantAll, "0".to_string()));
                }
            }
            if h.resend {
                pairs.push((MetaKey::SyncResendAll, "1".to_string()));
            } else if answered.is_some_and(|s| s.full) {
                pairs.push((MetaKey::SyncResendAll, "0".to_string()));
            }
            if let Some(sent) = answered {
                pairs.push((MetaKey::SyncOfficeAcked, h.ack.min(sent.upto).to_string()));
                // The office has it: from now on the office may hold it for good.
                tx.execute(
                    "DELETE FROM sync_outbox WHERE seq <= ?1",
                    [h.ack.min(sent.upto)],
                )?;
            }
            put_meta(tx, &pairs)
        })?
        .map_err(|r| problem(place, SyncProblem::Refused(r)))?;
    Ok(Received {
        from,
        applied,
        duplicate: false,
        reply: None,
        gap,
        clock_offset: offset,
    })
}
