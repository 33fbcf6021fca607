//! On a laptop: the office's reply checked (its signature, that it is for this laptop, the
//! numbers it claims) and taken in, and what the office told back of this laptop's proposals.

use super::bundle::{self, Kind};
use super::{Received, clock_offset, keys, open_unless_gap, problem, same_community, schema_fits};
use crate::domain::sync::SyncProblem;
use crate::error::Result;
use crate::store::Store;
use crate::store::devices::{put_meta, record_bundle};
use crate::store::meta::MetaKey;
use crate::store::sync::{Applied, Incoming};

pub(super) fn laptop_receives(
    store: &mut Store,
    bytes: &[u8],
    place: &str,
    limit: u64,
) -> Result<Received> {
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
    let from = super::Sender::Office;
    let offset = clock_offset(store, &b.header.created_at);
    if store.bundle_seen(&hash)? {
        return Ok(Received {
            from: from.clone(),
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
    let opened = open_unless_gap(store, &b, gap, limit, place)?;
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
