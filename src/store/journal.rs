//! The event journal: every change is an event, chained by hash to the one before, and the
//! state derived from events. Hazards, patrols, the community and templates call in here; the
//! journal calls none of them.
//!
//! - `log_event` appends to the log inside the caller's transaction; `verify_event_chain`
//!   walks it and finds the first entry changed or removed.
//! - A hazard's current state (`hazard_state`) is never written directly: `append_hazard_event`
//!   logs the event and rebuilds the state from the hazard row and all its events.
//! - The tallies (`open_tally`, `status_tally`, `daily_tally`) move with every state change
//!   (`tally`); `verify_tallies` compares them with a count from the hazards themselves.

use super::Store;
use crate::domain::{HazardEventKind, HazardStatus};
use crate::error::Result;
use rusqlite::{OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};

/// The hash of an event: SHA-256 over the previous event's hash and the fields, each
/// preceded by a unit separator, as lowercase hex.
pub(crate) fn event_hash(prev_hash: &str, fields: &[&str]) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    for f in fields {
        h.update([0x1f]);
        h.update(f.as_bytes());
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = h.finalize();
    let mut out = String::with_capacity(64);
    for b in digest.iter() {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    out
}

/// One entry for the event log.
pub(crate) struct NewEvent<'a> {
    pub at: &'a str,
    pub person_id: Option<&'a str>,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub action: &'a str,
    pub old_value: Option<&'a str>,
    pub new_value: Option<&'a str>,
    pub note: &'a str,
}

/// Append an event to the log inside the caller's transaction, chained to the last one.
pub(crate) fn log_event(tx: &Transaction, device_id: &str, e: &NewEvent) -> rusqlite::Result<()> {
    let prev: String = tx
        .query_row(
            "SELECT hash FROM event ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_default();
    let id = crate::domain::new_id();
    let fields = [
        id.as_str(),
        e.at,
        device_id,
        e.person_id.unwrap_or(""),
        e.entity,
        e.entity_id,
        e.action,
        e.old_value.unwrap_or(""),
        e.new_value.unwrap_or(""),
        e.note,
    ];
    let hash = event_hash(&prev, &fields);
    tx.execute(
        "INSERT INTO event (id, at, device_id, person_id, entity, entity_id, action, old_value,
                            new_value, note, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            id,
            e.at,
            device_id,
            e.person_id,
            e.entity,
            e.entity_id,
            e.action,
            e.old_value,
            e.new_value,
            e.note,
            prev,
            hash
        ],
    )?;
    Ok(())
}

/// Append a hazard event and rebuild the hazard's state from all its events.
#[allow(clippy::too_many_arguments)]
pub(crate) fn append_hazard_event(
    tx: &Transaction,
    device: &str,
    at: &str,
    hazard_id: &str,
    kind: HazardEventKind,
    by: Option<&str>,
    old_value: Option<&str>,
    new_value: Option<&str>,
    note: &str,
) -> rusqlite::Result<()> {
    log_event(
        tx,
        device,
        &NewEvent {
            at,
            person_id: by,
            entity: "hazard",
            entity_id: hazard_id,
            action: kind.code(),
            old_value,
            new_value,
            note,
        },
    )?;
    rebuild_hazard_state(tx, hazard_id)
}

/// A hazard's derived state, as far as the tallies are concerned.
pub(crate) struct TallyState<'a> {
    pub status: HazardStatus,
    pub deadline: &'a str,
    pub closed_day: Option<&'a str>,
}

/// Move a hazard from one state to another in the tallies (`old` None for a new hazard).
pub(crate) fn tally(
    tx: &rusqlite::Connection,
    category: &str,
    found_day: &str,
    old: Option<&TallyState>,
    new: &TallyState,
) -> rusqlite::Result<()> {
    let open = |s: HazardStatus| matches!(s, HazardStatus::Open | HazardStatus::Escalated);
    let bump = |sql: &str, p: &[&dyn rusqlite::ToSql]| {
        tx.prepare_cached(sql)
            .and_then(|mut st| st.execute(p))
            .map(|_| ())
    };
    const OPEN: &str =
        "INSERT INTO open_tally (deadline, category, status, n) VALUES (?1, ?2, ?3, ?4)
        ON CONFLICT (deadline, category, status) DO UPDATE SET n = n + excluded.n";
    const STATUS: &str = "INSERT INTO status_tally (status, category, n) VALUES (?1, ?2, ?3)
        ON CONFLICT (status, category) DO UPDATE SET n = n + excluded.n";
    const FOUND: &str = "INSERT INTO daily_tally (day, found) VALUES (?1, ?2)
        ON CONFLICT (day) DO UPDATE SET found = found + excluded.found";
    const FIXED: &str = "INSERT INTO daily_tally (day, rectified) VALUES (?1, ?2)
        ON CONFLICT (day) DO UPDATE SET rectified = rectified + excluded.rectified";
    let counted = |s: HazardStatus| s != HazardStatus::Voided;
    if let Some(o) = old {
        if open(o.status) {
            bump(OPEN, &[&o.deadline, &category, &o.status.code(), &-1])?;
        }
        bump(STATUS, &[&o.status.code(), &category, &-1])?;
        if counted(o.status) {
            bump(FOUND, &[&found_day, &-1])?;
        }
        if let (HazardStatus::Rectified, Some(d)) = (o.status, o.closed_day) {
            bump(FIXED, &[&d, &-1])?;
        }
    }
    if open(new.status) {
        bump(OPEN, &[&new.deadline, &category, &new.status.code(), &1])?;
    }
    bump(STATUS, &[&new.status.code(), &category, &1])?;
    if counted(new.status) {
        bump(FOUND, &[&found_day, &1])?;
    }
    if let (HazardStatus::Rectified, Some(d)) = (new.status, new.closed_day) {
        bump(FIXED, &[&d, &1])?;
    }
    Ok(())
}

/// Derive `hazard_state` from the hazard row and its events, and move it in the tallies.
fn rebuild_hazard_state(tx: &Transaction, hazard_id: &str) -> rusqlite::Result<()> {
    let (building, mut deadline, category, found_day): (String, String, String, String) = tx
        .query_row(
            "SELECT building_id, deadline, category, found_day FROM hazard WHERE id = ?1",
            [hazard_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
    let old: Option<(String, String, Option<String>)> = tx
        .query_row(
            "SELECT status, deadline, closed_day FROM hazard_state WHERE hazard_id = ?1",
            [hazard_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let mut st = tx.prepare_cached(
        "SELECT action, at, new_value FROM event WHERE entity = 'hazard' AND entity_id = ?1 ORDER BY seq",
    )?;
    let events = st.query_map([hazard_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    let mut status = HazardStatus::Open;
    let mut closed_day: Option<String> = None;
    let mut escalated_to: Option<String> = None;
    let mut updated = String::new();
    for e in events {
        let (action, at, new_value) = e?;
        let Some(kind) = HazardEventKind::parse(&action) else {
            continue;
        };
        status = kind.next_status(status);
        match kind {
            HazardEventKind::Extended => {
                if let Some(d) = new_value {
                    deadline = d;
                }
            }
            HazardEventKind::Escalated => escalated_to = new_value,
            HazardEventKind::Rectified | HazardEventKind::Voided => {
                closed_day = at.get(..10).map(str::to_owned)
            }
            HazardEventKind::Reopened => closed_day = None,
            _ => {}
        }
        updated = at;
    }
    tx.execute(
        "INSERT INTO hazard_state (hazard_id, building_id, status, deadline, updated_at, closed_day, escalated_to)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (hazard_id) DO UPDATE SET status = excluded.status, deadline = excluded.deadline,
             updated_at = excluded.updated_at, closed_day = excluded.closed_day, escalated_to = excluded.escalated_to",
        params![hazard_id, building, status.code(), deadline, updated, closed_day, escalated_to],
    )?;
    let old = old.map(|(st, d, c)| (HazardStatus::parse(&st).unwrap_or(HazardStatus::Open), d, c));
    let old_state = old.as_ref().map(|(status, d, c)| TallyState {
        status: *status,
        deadline: d,
        closed_day: c.as_deref(),
    });
    let new_state = TallyState {
        status,
        deadline: &deadline,
        closed_day: closed_day.as_deref(),
    };
    tally(tx, &category, &found_day, old_state.as_ref(), &new_state)
}

impl Store {
    /// Compare the tallies with a count from the hazards themselves.
    pub fn verify_tallies(&self) -> Result<Vec<String>> {
        let checks = [
            (
                "open_tally",
                "SELECT deadline, category, status, n FROM open_tally WHERE n <> 0
                 EXCEPT SELECT s.deadline, h.category, s.status, count(*) FROM hazard_state s JOIN hazard h ON h.id = s.hazard_id
                        WHERE s.status IN ('open', 'escalated') GROUP BY 1, 2, 3",
                "SELECT s.deadline, h.category, s.status, count(*) FROM hazard_state s JOIN hazard h ON h.id = s.hazard_id
                        WHERE s.status IN ('open', 'escalated') GROUP BY 1, 2, 3
                 EXCEPT SELECT deadline, category, status, n FROM open_tally WHERE n <> 0",
            ),
            (
                "status_tally",
                "SELECT status, category, n, 0 FROM status_tally WHERE n <> 0
                 EXCEPT SELECT s.status, h.category, count(*), 0 FROM hazard_state s JOIN hazard h ON h.id = s.hazard_id GROUP BY 1, 2",
                "SELECT s.status, h.category, count(*), 0 FROM hazard_state s JOIN hazard h ON h.id = s.hazard_id GROUP BY 1, 2
                 EXCEPT SELECT status, category, n, 0 FROM status_tally WHERE n <> 0",
            ),
        ];
        let mut problems = Vec::new();
        for (name, a, b) in checks {
            for sql in [a, b] {
                let n: i64 = self
                    .conn
                    .query_row(&format!("SELECT count(*) FROM ({sql})"), [], |r| r.get(0))
                    .map_err(|e| self.db_err(e))?;
                if n > 0 {
                    problems.push(format!("{name}: {n} count(s) differ from the hazards"));
                    break;
                }
            }
        }
        Ok(problems)
    }

    /// Walk the event log and check every entry's hash and its link to the one before.
    /// Returns a description of the first entry that was changed or removed.
    pub fn verify_event_chain(&self) -> Result<Option<String>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT seq, id, at, device_id, person_id, entity, entity_id, action,
                        old_value, new_value, note, prev_hash, hash FROM event ORDER BY seq",
            )
            .map_err(|e| self.db_err(e))?;
        let mut rows = st.query([]).map_err(|e| self.db_err(e))?;
        let mut prev = String::new();
        while let Some(r) = rows.next().map_err(|e| self.db_err(e))? {
            let get = |i: usize| -> rusqlite::Result<String> {
                Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default())
            };
            let seq: i64 = r.get(0).map_err(|e| self.db_err(e))?;
            let fields: Vec<String> = (1..=10)
                .map(get)
                .collect::<rusqlite::Result<_>>()
                .map_err(|e| self.db_err(e))?;
            let prev_hash = get(11).map_err(|e| self.db_err(e))?;
            let hash = get(12).map_err(|e| self.db_err(e))?;
            if prev_hash != prev {
                return Ok(Some(format!(
                    "event log: the entry before event #{seq} ({}) was changed or removed",
                    fields[0]
                )));
            }
            let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
            if event_hash(&prev_hash, &refs) != hash {
                return Ok(Some(format!(
                    "event log: event #{seq} ({}) was changed",
                    fields[0]
                )));
            }
            prev = hash;
        }
        Ok(None)
    }
}
