//! At the office: a laptop's bundle checked (its keys, its database, its numbers), applied,
//! and answered with the reply for that laptop, sealed to it.

use super::bundle::{self, Header, Inner, Kind, Seal};
use super::{
    Received, bundle_id, clock_offset, community, header, io_err, keys, me, open_unless_gap,
    problem, same_community, schema_fits,
};
use crate::domain::sync::SyncProblem;
use crate::error::Result;
use crate::store::Store;
use crate::store::devices::{
    Device, LaptopNote, note_laptop_bundle, record_bundle, set_device_keys,
};
use crate::store::sync::{Applied, Incoming, Side};

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

pub(super) fn office_receives(
    store: &mut Store,
    bytes: &[u8],
    place: &str,
    limit: u64,
) -> Result<Received> {
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
            from: super::Sender::Laptop(from),
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
    let opened = open_unless_gap(store, &b, gap, limit, place)?;
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
        from: super::Sender::Laptop(from),
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
