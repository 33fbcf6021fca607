//! Enrolment: the office enrols a laptop for a person (`devices add`), and the laptop joins
//! with the file it is given (`join`).

use super::bundle::{self, Enrolment, Inner, Kind, Opener, Seal};
use super::keys::{self, Keys};
use super::{bundle_id, community, header, io_err, me, problem, schema_fits};
use crate::domain::sync::SyncProblem;
use crate::error::Result;
use crate::store::Store;
use crate::store::devices::{Device, NewDevice, Role, put_meta, record_bundle};
use crate::store::meta::MetaKey;
use crate::store::sync::{Applied, Incoming};

/// A laptop enrolled at the office.
pub struct Enrolled {
    pub device: Device,
    /// The enrolment file: the community as the office has it, sealed with `code`.
    pub file: Vec<u8>,
    /// The one-time code (eight digits) that opens the file: shown at the office, typed on
    /// the laptop, never written beside the file.
    pub code: String,
}

/// At the office: enrol a laptop for a person. Returns the new laptop, its enrolment file
/// and the code that opens it.
pub fn add_device(
    store: &mut Store,
    person_id: Option<&str>,
    person_name: &str,
) -> Result<Enrolled> {
    add_device_with(store, person_id, person_name, keys::ENROL_LOG_N)
}

/// As [`add_device`], with the code's key derivation at `2^log_n` (tests and the demo use
/// a light one; nothing else should).
pub fn add_device_with(
    store: &mut Store,
    person_id: Option<&str>,
    person_name: &str,
    log_n: u8,
) -> Result<Enrolled> {
    let place = store.path().display().to_string();
    if store.sync_role()? != Some(Role::Office) {
        return Err(problem(&place, SyncProblem::NotSetUp));
    }
    let me = me(store)?;
    // A community first: no laptop is enrolled into nothing.
    community(store, &place)?;
    let one_time = keys::new_key().map_err(|e| io_err(&place, e))?;
    let id = crate::domain::new_id();
    let letter = store.next_device_letter()?;
    let upto = store.outbox_head()?;
    store.add_device(&NewDevice {
        id: &id,
        letter: &letter,
        person_id,
        person_name,
        enrol_key: &keys::public_hex(&one_time),
        acked_to: upto,
    })?;
    seal_enrolment(store, &me, &id, &one_time, upto, log_n, &place)
}

/// At the office: a new enrolment file for a laptop enrolled before (its letter, its person),
/// when a key was lost: the office's (a new office PC, `init --office` made new keys) or the
/// laptop's. The laptop joins it with its code; its records stay on it and all of them come
/// to the office at its next sync. The earlier enrolment file is worthless from now on.
/// `None` when there is no such laptop.
pub fn reenrol(store: &mut Store, key: &str, log_n: u8) -> Result<Option<Enrolled>> {
    let place = store.path().display().to_string();
    if store.sync_role()? != Some(Role::Office) {
        return Err(problem(&place, SyncProblem::NotSetUp));
    }
    let me = me(store)?;
    let Some(device) = store.device(key)? else {
        return Ok(None);
    };
    let one_time = keys::new_key().map_err(|e| io_err(&place, e))?;
    let upto = store.outbox_head()?;
    store.rekey_device(&device.id, &keys::public_hex(&one_time), upto)?;
    seal_enrolment(store, &me, &device.id, &one_time, upto, log_n, &place).map(Some)
}

/// The enrolment file of laptop `id`: the community as the office has it (to `upto`), the
/// one-time key, the office's public keys; sealed with a new code.
fn seal_enrolment(
    store: &mut Store,
    me: &super::Me,
    id: &str,
    one_time: &ed25519_dalek::SigningKey,
    upto: i64,
    log_n: u8,
    place: &str,
) -> Result<Enrolled> {
    let community = community(store, place)?;
    let device = store
        .device(id)?
        .ok_or_else(|| problem(place, SyncProblem::UnknownSender))?;
    let code = keys::new_code().map_err(|e| io_err(place, e))?;
    let snapshot = store.snapshot()?;
    let mut h = header(store, Kind::Enrol, me, community.0);
    h.to = id.to_string();
    h.upto = upto;
    h.full = true;
    let inner = Inner {
        community_name: community.1,
        enrol: Some(Enrolment {
            id: id.to_string(),
            letter: device.letter.clone(),
            person_id: device.person_id.clone(),
            person_name: device.person_name.clone(),
            one_time_key: keys::secret_hex(one_time),
            office_id: me.id.clone(),
            office_key: me.keys.sign_public(),
            office_age: me.keys.age_public(),
        }),
        proposals: Vec::new(),
    };
    let seal = Seal::Code { code: &code, log_n };
    let file =
        bundle::write(h, &inner, &snapshot, seal, &me.keys.sign).map_err(|e| io_err(place, e))?;
    // The laptop's first bundle names its enrolment as what it has applied.
    store.note_sent(&bundle_id(&file, place)?, id, upto, true)?;
    // For `serve` to hand out over the LAN until the laptop has joined (sealed with the code).
    store.set_enrol_file(id, &file)?;
    Ok(Enrolled { device, file, code })
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
    /// False when this enrolment was taken in before (nothing changed, unless `replace`).
    pub new: bool,
    /// This database takes the place of the one that used the enrolment before.
    pub replace: bool,
    /// A new enrolment of the laptop this database already was (after a lost key): new
    /// keys, the same records.
    pub again: bool,
}

/// On a laptop: take in an enrolment file, opened with the code the office gave. The
/// laptop makes its own keys (in the key file beside its database), its own records stay,
/// its lists merge into the office's, and from now on its writes are kept for the office.
/// With `replace`, this database takes the place of another that used the same enrolment (a
/// replaced laptop): the office retires that one at this one's first sync.
pub fn join(
    store: &mut Store,
    bytes: &[u8],
    place: &str,
    code: &str,
    replace: bool,
) -> Result<Joined> {
    let file = open_enrolment(bytes, place, code)?;
    join_opened(store, file, place, replace)
}

/// An enrolment file opened with its code and checked: nothing of it is applied yet.
pub struct EnrolmentFile {
    header: bundle::Header,
    hash: String,
    community_name: String,
    enrol: Enrolment,
    one_time: ed25519_dalek::SigningKey,
    changes: Vec<u8>,
}

/// Open an enrolment file with the code the office gave, and check it whole (before a
/// database is made for it).
pub fn open_enrolment(bytes: &[u8], place: &str, code: &str) -> Result<EnrolmentFile> {
    let b = bundle::read(bytes).map_err(|p| problem(place, p))?;
    if b.header.kind != Kind::Enrol {
        return Err(problem(place, SyncProblem::WrongKind));
    }
    let opened = b
        .open(Opener::Code(code), bundle::MAX_PAYLOAD)
        .map_err(|p| problem(place, p))?;
    let Some(enrol) = opened.inner.enrol else {
        return Err(problem(place, SyncProblem::WrongKind));
    };
    if b.header.keys.sign != enrol.office_key || !keys::is_age_public(&enrol.office_age) {
        return Err(problem(place, SyncProblem::BadSignature));
    }
    b.verify(&enrol.office_key).map_err(|p| problem(place, p))?;
    let one_time = keys::signing_key(&enrol.one_time_key)
        .ok_or_else(|| problem(place, SyncProblem::BadPayload))?;
    schema_fits(&b.header, place)?;
    Ok(EnrolmentFile {
        header: b.header.clone(),
        hash: b.id(),
        community_name: opened.inner.community_name,
        enrol,
        one_time,
        changes: opened.changeset,
    })
}

/// `join` with an enrolment file already opened.
pub fn join_opened(
    store: &mut Store,
    file: EnrolmentFile,
    place: &str,
    replace: bool,
) -> Result<Joined> {
    // A new enrolment file for the laptop this database already is: `devices reenrol`.
    if store.sync_role()? == Some(Role::Laptop)
        && store.meta(MetaKey::SyncSelf)?.as_deref() == Some(file.enrol.id.as_str())
        && !store.bundle_seen(&file.hash)?
    {
        return rejoin(store, file, place);
    }
    let EnrolmentFile {
        header,
        hash,
        community_name,
        enrol,
        one_time,
        changes,
    } = file;
    match store.sync_role()? {
        Some(Role::Office) => return Err(problem(place, SyncProblem::IsOffice)),
        Some(Role::Laptop) => {
            if store.meta(MetaKey::SyncSelf)?.as_deref() == Some(enrol.id.as_str()) {
                if replace {
                    store.set_sync_meta(&[(MetaKey::SyncReplace, "1")])?;
                }
                return Ok(Joined {
                    community: community_name,
                    letter: enrol.letter,
                    person: enrol.person_name,
                    merged: 0,
                    applied: Applied::default(),
                    new: false,
                    replace,
                    again: false,
                });
            }
            return Err(problem(place, SyncProblem::AlreadyJoined));
        }
        None => {}
    }
    if let Some((_, name)) = store.community_identity()?
        && name != community_name
    {
        return Err(problem(place, SyncProblem::OtherCommunity(name)));
    }
    let merged = store.merge_into(&changes)?;
    // This laptop's own keys, made here; only their public halves ever leave it, with the
    // one-time key's proof that they are the enrolled laptop's.
    let mine = Keys::generate().map_err(|e| io_err(place, e))?;
    let proof = bundle::prove(&one_time, &enrol.id, &mine);
    keys::save(store.path(), &mine)?;
    // What this laptop had before joining goes to the office with its first bundle.
    let own = store.snapshot()?;
    let at = store.now_stamp();
    let device = store.device_id().to_string();
    let h = header;
    let e = enrol.clone();
    let database = crate::domain::new_id();
    let incoming = Incoming::from_office(&changes);
    let applied = store
        .apply_changes(&incoming, |tx, a| {
            record_bundle(tx, &hash, &h.sender, "enrol", &at, a.rows)?;
            let mut pairs = enrolment_meta(&e, &proof);
            pairs.extend([
                (MetaKey::SyncRole, "laptop".to_string()),
                (MetaKey::SyncSelf, e.id.clone()),
                (MetaKey::SyncCommunity, h.community_id.clone()),
                (MetaKey::SyncAcked, h.upto.to_string()),
                (MetaKey::SyncOfficeAcked, "0".to_string()),
                (MetaKey::SyncLast, at.clone()),
                (MetaKey::SyncLastReply, hash.clone()),
                (MetaKey::SyncDatabase, database.clone()),
                (
                    MetaKey::SyncReplace,
                    if replace { "1" } else { "0" }.to_string(),
                ),
                (MetaKey::SyncResendAll, "0".to_string()),
                (MetaKey::SyncWantAll, "0".to_string()),
            ]);
            put_meta(tx, &pairs)?;
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
        community: community_name,
        letter: enrol.letter,
        person: enrol.person_name,
        merged,
        applied,
        new: true,
        replace,
        again: false,
    })
}

/// What a laptop keeps of its enrolment: the office's id and public keys, its letter and
/// person, and the proof of its own keys (sent with every bundle).
fn enrolment_meta(e: &Enrolment, proof: &str) -> Vec<(MetaKey, String)> {
    vec![
        (MetaKey::SyncOfficeId, e.office_id.clone()),
        (MetaKey::SyncOfficeKey, e.office_key.clone()),
        (MetaKey::SyncOfficeAge, e.office_age.clone()),
        (MetaKey::SyncEnrolProof, proof.to_string()),
        (MetaKey::SyncLetter, e.letter.clone()),
        (MetaKey::SyncPerson, e.person_name.clone()),
    ]
}

/// A new enrolment file for the laptop this database already is (`devices reenrol`): it
/// makes new keys, takes the office's (new) keys and the community, keeps every record of its
/// own, and sends the office all it holds at its next sync (the office may have lost some).
fn rejoin(store: &mut Store, file: EnrolmentFile, place: &str) -> Result<Joined> {
    let EnrolmentFile {
        header: h,
        hash,
        community_name,
        enrol: e,
        one_time,
        changes,
    } = file;
    let before = keys::load(store.path()).ok().flatten();
    let mine = Keys::generate().map_err(|err| io_err(place, err))?;
    let proof = bundle::prove(&one_time, &e.id, &mine);
    keys::save(store.path(), &mine)?;
    let at = store.now_stamp();
    let incoming = Incoming::from_office(&changes);
    let outcome = store.apply_changes(&incoming, |tx, a| {
        record_bundle(tx, &hash, &h.sender, "enrol", &at, a.rows)?;
        let mut pairs = enrolment_meta(&e, &proof);
        pairs.extend([
            (MetaKey::SyncAcked, h.upto.to_string()),
            (MetaKey::SyncOfficeAcked, "0".to_string()),
            (MetaKey::SyncLast, at.clone()),
            (MetaKey::SyncLastReply, hash.clone()),
            (MetaKey::SyncReplace, "0".to_string()),
            (MetaKey::SyncResendAll, "1".to_string()),
            (MetaKey::SyncWantAll, "0".to_string()),
        ]);
        put_meta(tx, &pairs)
    });
    let applied = match outcome {
        Ok(Ok(a)) => a,
        failed => {
            // Nothing was taken: the keys this laptop had stay its keys.
            if let Some(old) = before {
                keys::save(store.path(), &old)?;
            }
            return Err(match failed {
                Err(err) => err,
                Ok(Err(r)) => problem(place, SyncProblem::Refused(r)),
                Ok(Ok(_)) => problem(place, SyncProblem::BadPayload),
            });
        }
    };
    store.set_sync_meta(&[])?;
    Ok(Joined {
        community: community_name,
        letter: e.letter,
        person: e.person_name,
        merged: 0,
        applied,
        new: true,
        replace: false,
        again: true,
    })
}
