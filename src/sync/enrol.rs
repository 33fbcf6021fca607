//! Enrolment: the office enrols a laptop for a person (`devices add`), and the laptop joins
//! with the file it is given (`join`).

use super::bundle::{self, Enrolment, Kind};
use super::{bundle_id, community, header, io_err, me, problem, schema_fits};
use crate::domain::sync::SyncProblem;
use crate::error::Result;
use crate::store::Store;
use crate::store::devices::{Device, NewDevice, Role, put_meta, record_bundle};
use crate::store::meta::MetaKey;
use crate::store::sync::{Applied, Incoming};

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
        office_key: store.meta(MetaKey::SyncPublic)?.unwrap_or_default(),
    });
    h.full = true;
    let bytes = bundle::write(h, &snapshot, &me.key).map_err(|e| io_err(&place, e))?;
    // The laptop's first bundle names its enrolment as what it has applied.
    store.note_sent(&bundle_id(&bytes, &place)?, &id, upto, true)?;
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
    /// False when this enrolment was taken in before (nothing changed, unless `replace`).
    pub new: bool,
    /// This database takes the place of the one that used the enrolment before.
    pub replace: bool,
}

/// On a laptop: take in an enrolment file. The laptop's own records stay, its lists merge
/// into the office's, and from now on its writes are kept for the office. With `replace`,
/// this database takes the place of another that used the same enrolment (a replaced
/// laptop): the office retires that one at this one's first sync.
pub fn join(store: &mut Store, bytes: &[u8], place: &str, replace: bool) -> Result<Joined> {
    let b = bundle::read(bytes).map_err(|p| problem(place, p))?;
    let (Kind::Enrol, Some(enrol)) = (b.header.kind, b.header.enrol.clone()) else {
        return Err(problem(place, SyncProblem::WrongKind));
    };
    b.verify(&enrol.office_key).map_err(|p| problem(place, p))?;
    schema_fits(&b.header, place)?;
    match store.sync_role()? {
        Some(Role::Office) => return Err(problem(place, SyncProblem::IsOffice)),
        Some(Role::Laptop) => {
            if store.meta(MetaKey::SyncSelf)?.as_deref() == Some(enrol.id.as_str()) {
                if replace {
                    store.set_sync_meta(&[(MetaKey::SyncReplace, "1")])?;
                }
                return Ok(Joined {
                    community: b.header.community_name.clone(),
                    letter: enrol.letter,
                    person: enrol.person_name,
                    merged: 0,
                    applied: Applied::default(),
                    new: false,
                    replace,
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
    let database = crate::domain::new_id();
    let incoming = Incoming::from_office(&changes);
    let applied = store
        .apply_changes(&incoming, |tx, a| {
            record_bundle(tx, &hash, &h.sender, "enrol", &at, a.rows)?;
            put_meta(
                tx,
                &[
                    (MetaKey::SyncRole, "laptop".to_string()),
                    (MetaKey::SyncSelf, e.id.clone()),
                    (MetaKey::SyncSecret, e.secret_key.clone()),
                    (MetaKey::SyncOfficeId, e.office_id.clone()),
                    (MetaKey::SyncOfficeKey, e.office_key.clone()),
                    (MetaKey::SyncLetter, e.letter.clone()),
                    (MetaKey::SyncPerson, e.person_name.clone()),
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
        replace,
    })
}
