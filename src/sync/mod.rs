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
mod laptop;
pub mod limits;
mod office;

pub use enrol::{
    Enrolled, EnrolmentFile, Joined, add_device, add_device_with, join, join_opened,
    open_enrolment, reenrol,
};

use crate::domain::sync::SyncProblem;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::devices::Role;
use crate::store::meta::MetaKey;
use crate::store::sync::Applied;
use bundle::{Header, Inner, Kind, Seal, SenderKeys};
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

/// Who sent a bundle that was taken in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sender {
    /// The community office (a reply, on a laptop).
    Office,
    /// A laptop, as "person (letter)" (at the office).
    Laptop(String),
}

/// What taking in a bundle did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received {
    /// Who sent it: the laptop's person and letter, or "office".
    pub from: Sender,
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
        Some(Role::Office) => office::office_receives(store, bytes, place, limit),
        Some(Role::Laptop) => laptop::laptop_receives(store, bytes, place, limit),
        None => Err(problem(place, SyncProblem::NotSetUp)),
    }
}

/// Open a bundle sealed to this database, unless there is a gap (records in between are
/// missing here): then nothing is applied, so nothing is opened.
fn open_unless_gap(
    store: &mut Store,
    b: &bundle::Bundle<'_>,
    gap: bool,
    limit: u64,
    place: &str,
) -> Result<bundle::Opened> {
    if gap {
        return Ok(bundle::Opened::default());
    }
    let me = me(store)?;
    b.open(bundle::Opener::Keys(&me.keys.age), limit)
        .map_err(|p| problem(place, p))
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
