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

use super::meta::MetaKey;
use crate::domain::clock::Hlc;
use crate::domain::{HazardEventKind, HazardStatus};
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

/// The last place and hash of a device's chain ((0, "") before its first event).
pub(crate) fn chain_tip(
    conn: &rusqlite::Connection,
    device_id: &str,
) -> rusqlite::Result<(i64, String)> {
    Ok(conn
        .prepare_cached(
            "SELECT seq, hash FROM event WHERE device_id = ?1 ORDER BY seq DESC LIMIT 1",
        )?
        .query_row([device_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or_default())
}

/// Keep a device's chain head (its last event) in `chain_head`, so that cutting events off
/// the end of the log is seen by `check`.
pub(crate) fn move_head(
    conn: &rusqlite::Connection,
    device_id: &str,
    seq: i64,
    hash: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO chain_head (device_id, seq, hash) VALUES (?1, ?2, ?3)
         ON CONFLICT (device_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash
         WHERE excluded.seq >= chain_head.seq",
    )?
    .execute(params![device_id, seq, hash])?;
    Ok(())
}

/// The order of a thing's events across devices: by their hybrid logical clock (the instant
/// in UTC, carried forward past every event its device had seen, so a laptop whose clock is
/// behind or in another zone still orders after what it answered), then device, then place
/// in the device's chain. Every database that holds the same events reads them in this
/// order; the text of `at` (local time with its offset) is for people only.
pub(crate) const EVENT_ORDER: &str = "hlc, device_id, seq";

/// The last event of a thing, in `EVENT_ORDER` (what a new event of it follows).
pub(crate) fn last_event_of(
    conn: &rusqlite::Connection,
    entity: &str,
    entity_id: &str,
) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached(
        "SELECT id FROM event WHERE entity = ?1 AND entity_id = ?2
         ORDER BY hlc DESC, device_id DESC, seq DESC LIMIT 1",
    )?
    .query_row([entity, entity_id], |r| r.get(0))
    .optional()
}

/// The fields an event's hash covers, in order. `parent` is covered when there is one (events
/// from before it existed have none, and their hashes stay as they were).
pub(crate) fn hashed_fields<'a>(
    fields: &[&'a str; 10],
    parent: Option<&'a str>,
    hlc: Option<&'a str>,
) -> Vec<&'a str> {
    let mut v = fields.to_vec();
    if let Some(p) = parent {
        v.push(p);
    }
    // Events from before the hybrid clock (schema 9) were hashed without it.
    if let Some(h) = hlc {
        v.push(h);
    }
    v
}

/// The hybrid logical clock of this database: the greatest stamp it has made or seen.
pub(crate) fn hlc_state(conn: &rusqlite::Connection) -> rusqlite::Result<Hlc> {
    let v: Option<i64> = conn
        .prepare_cached("SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?1")?
        .query_row([MetaKey::Hlc.as_str()], |r| r.get(0))
        .optional()?;
    Ok(Hlc::from_stored(v.unwrap_or(0)))
}

/// Keep the clock at least at `seen` (a stamp made here or received).
pub(crate) fn hlc_observe(conn: &rusqlite::Connection, seen: Hlc) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value
         WHERE CAST(meta.value AS INTEGER) < CAST(excluded.value AS INTEGER)",
    )?
    .execute(params![MetaKey::Hlc.as_str(), seen.stored().to_string()])?;
    Ok(())
}

/// Append an event to the log inside the caller's transaction, chained to the last event of
/// the same device: each device's events form a chain of their own, so that logs from several
/// laptops can be merged and each chain still checked.
pub(crate) fn log_event(tx: &Transaction, device_id: &str, e: &NewEvent) -> rusqlite::Result<()> {
    let (last_seq, prev) = chain_tip(tx, device_id)?;
    let seq = last_seq + 1;
    let parent = last_event_of(tx, e.entity, e.entity_id)?;
    let id = crate::domain::new_id();
    let wall = crate::domain::clock::parse_stamp(e.at).map_or(0, |t| t.timestamp_millis());
    let hlc = hlc_state(tx)?.tick(wall);
    hlc_observe(tx, hlc)?;
    let hlc_text = hlc.stored().to_string();
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
    let hash = event_hash(
        &prev,
        &hashed_fields(&fields, parent.as_deref(), Some(&hlc_text)),
    );
    tx.prepare_cached(
        "INSERT INTO event (id, seq, at, device_id, person_id, entity, entity_id, action, old_value,
                            new_value, note, prev_hash, hash, parent_id, hlc)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        id,
        seq,
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
        hash,
        parent,
        hlc.stored()
    ])?;
    move_head(tx, device_id, seq, &hash)
}

/// A table whose rows are sealed: when a row is written, the hash of its content is kept in
/// `row_seal`, so that a row changed, added or removed outside the app is found by `check`.
/// `label` names the row in messages.
///
/// Seals are this database's own record of what it wrote (by hand or by applying a bundle):
/// they never travel. Before schema 9 they were `sealed` events in the device chains, which
/// made every conflict resolved during a sync an event that one side lacked.
pub(crate) struct Sealed {
    pub table: &'static str,
    pub label: &'static str,
    pub columns: &'static str,
}

/// The facts of the database. Derived data (hazard state, tallies, visits, search keys) is
/// not sealed: it is rebuilt from these, and `check` compares it with them.
pub(crate) const SEALED: &[Sealed] = &[
    Sealed {
        table: "community",
        label: "name",
        columns: "id, name, created_at, device_id",
    },
    Sealed {
        table: "grid",
        label: "name",
        columns: "id, community_id, name, created_at, device_id",
    },
    Sealed {
        table: "compound",
        label: "name",
        columns: "id, community_id, grid_id, name, created_at, device_id",
    },
    Sealed {
        table: "building",
        label: "name",
        columns: "id, community_id, grid_id, compound_id, name, address, kind, floors, created_at, device_id",
    },
    Sealed {
        table: "unit",
        label: "name",
        columns: "id, building_id, number, name, created_at, device_id",
    },
    Sealed {
        table: "person",
        label: "name",
        columns: "id, name, role, phone, created_at, device_id",
    },
    Sealed {
        table: "duty",
        label: "id",
        columns: "id, person_id, building_id, unit_id, created_at, device_id",
    },
    Sealed {
        table: "template_version",
        label: "template_id",
        columns: "id, template_id, body, created_at, device_id",
    },
    Sealed {
        table: "patrol",
        label: "day",
        columns: "id, inspector_id, day, started_at, device_id",
    },
    Sealed {
        table: "answer",
        label: "item_id",
        columns: "id, patrol_id, building_id, unit_id, item_id, value, hazard_id, answered_at, device_id",
    },
    Sealed {
        table: "hazard",
        label: "number",
        columns: "id, number, patrol_id, building_id, unit_id, item_id, category, spot, description, severity, \
                  party_name, party_room, party_phone, found_at, found_day, found_by, deadline, fixed_on_spot, \
                  previous_id, recurrence, device_id",
    },
    Sealed {
        table: "roster_change",
        label: "entity_id",
        columns: "id, entity, entity_id, active, created_at, device_id",
    },
    Sealed {
        table: "photo",
        label: "hash",
        columns: "id, hash, format, bytes, width, height, taken_at, created_at, device_id",
    },
    Sealed {
        table: "hazard_photo",
        label: "file_name",
        columns: "id, hazard_id, photo_id, file_name, created_at, device_id",
    },
];

/// The content hash of a row's sealed columns, read from `row` starting at column `first`:
/// the first 16 bytes of a SHA-256 over the fields.
pub(crate) fn digest_of(row: &rusqlite::Row, first: usize, n: usize) -> rusqlite::Result<Vec<u8>> {
    use rusqlite::types::ValueRef;
    let mut h = Sha256::new();
    for i in first..first + n {
        h.update([0x1f]);
        match row.get_ref(i)? {
            ValueRef::Null => h.update([0u8]),
            ValueRef::Integer(v) => h.update(v.to_string().as_bytes()),
            ValueRef::Real(v) => h.update(v.to_string().as_bytes()),
            ValueRef::Text(t) => h.update(t),
            ValueRef::Blob(b) => h.update(b),
        }
    }
    Ok(h.finalize()[..16].to_vec())
}

fn sealed(table: &str) -> Option<&'static Sealed> {
    SEALED.iter().find(|s| s.table == table)
}

pub(crate) fn column_count(columns: &str) -> usize {
    columns.split(',').count()
}

/// Seal a row that was just written (or forget the seal of a row that is no longer there).
/// Tables that are not sealed are ignored.
pub(crate) fn seal(tx: &rusqlite::Connection, table: &str, id: &str) -> rusqlite::Result<()> {
    let Some(t) = sealed(table) else {
        return Ok(());
    };
    let n = column_count(t.columns);
    let digest: Option<Vec<u8>> = tx
        .prepare_cached(&format!(
            "SELECT {} FROM {} WHERE id = ?1",
            t.columns, t.table
        ))?
        .query_row([id], |r| digest_of(r, 0, n))
        .optional()?;
    match digest {
        Some(d) => tx
            .prepare_cached(
                "INSERT INTO row_seal (tbl, row_id, digest) VALUES (?1, ?2, ?3)
                 ON CONFLICT (tbl, row_id) DO UPDATE SET digest = excluded.digest",
            )?
            .execute(params![table, id, d])?,
        None => tx
            .prepare_cached("DELETE FROM row_seal WHERE tbl = ?1 AND row_id = ?2")?
            .execute(params![table, id])?,
    };
    Ok(())
}

/// Seal every row of every sealed table (when a database is upgraded to local seals: the
/// rows as they are then are what this database holds).
pub(crate) fn seal_all(tx: &Transaction) -> rusqlite::Result<()> {
    for t in SEALED {
        // A table made by a later migration is not there yet (and has no rows to seal).
        let there: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
            [t.table],
            |r| r.get(0),
        )?;
        if !there {
            continue;
        }
        let n = column_count(t.columns);
        let mut read = tx.prepare(&format!("SELECT id, {} FROM {}", t.columns, t.table))?;
        let mut put = tx.prepare_cached(
            "INSERT OR REPLACE INTO row_seal (tbl, row_id, digest) VALUES (?1, ?2, ?3)",
        )?;
        let mut rows = read.query([])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            put.execute(params![t.table, id, digest_of(r, 1, n)?])?;
        }
    }
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

/// One hazard event as the fold reads it.
pub(crate) struct HazardStep {
    pub action: String,
    pub at: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub id: String,
    pub parent: Option<String>,
}

/// The columns `HazardStep::from_row` reads, in order.
pub(crate) const STEP_COLUMNS: &str = "action, at, old_value, new_value, id, parent_id";

impl HazardStep {
    pub(crate) fn from_row(r: &rusqlite::Row) -> rusqlite::Result<HazardStep> {
        Ok(HazardStep {
            action: r.get(0)?,
            at: r.get(1)?,
            old_value: r.get(2)?,
            new_value: r.get(3)?,
            id: r.get(4)?,
            parent: r.get(5)?,
        })
    }
}

/// How strongly an event sets a hazard's status within one round: a later round (after a
/// reopen) always wins; within a round the strongest event wins, whatever order the events
/// arrived in. So a rectification on one laptop and an escalation on another give
/// "rectified" everywhere.
fn rank(kind: HazardEventKind) -> Option<u8> {
    match kind {
        HazardEventKind::Created | HazardEventKind::Reopened => Some(1),
        HazardEventKind::Escalated => Some(2),
        HazardEventKind::Rectified => Some(3),
        HazardEventKind::Voided => Some(4),
        HazardEventKind::StillOpen
        | HazardEventKind::Extended
        | HazardEventKind::OfficeResponse
        | HazardEventKind::Assigned => None,
    }
}

/// A hazard's state folded from its events in `EVENT_ORDER`: the one rule that derives the
/// state, used to rebuild it and to check it. It gives the same state for the same events on
/// every database, whatever order they arrived in. `mismatches` counts events whose old value
/// is not the state before them (a history that was edited); an event that did not follow
/// the one before it (it was made concurrently on another device) is in `concurrent` and is
/// not held to that.
pub(crate) struct HazardFold {
    pub status: HazardStatus,
    pub deadline: String,
    pub closed_day: Option<String>,
    pub escalated_to: Option<String>,
    pub updated: String,
    pub mismatches: Vec<String>,
    pub concurrent: Vec<String>,
    best: u8,
    last_id: Option<String>,
}

impl HazardFold {
    pub(crate) fn new(deadline: &str) -> HazardFold {
        HazardFold {
            status: HazardStatus::Open,
            deadline: deadline.to_string(),
            closed_day: None,
            escalated_to: None,
            updated: String::new(),
            mismatches: Vec::new(),
            concurrent: Vec::new(),
            best: 0,
            last_id: None,
        }
    }

    pub(crate) fn step(&mut self, e: &HazardStep) {
        let Some(kind) = HazardEventKind::parse(&e.action) else {
            return;
        };
        let concurrent = e.parent.is_some() && e.parent != self.last_id;
        if concurrent {
            self.concurrent.push(e.id.clone());
        }
        match kind {
            HazardEventKind::Extended => {
                if !concurrent && e.old_value.as_deref() != Some(self.deadline.as_str()) {
                    self.mismatches.push(format!(
                        "extended at {} from {:?}, but the deadline was {}",
                        e.at,
                        e.old_value.as_deref().unwrap_or(""),
                        self.deadline
                    ));
                }
                if let Some(d) = &e.new_value {
                    self.deadline = d.clone();
                }
            }
            HazardEventKind::Escalated => {
                let before = self.escalated_to.as_deref().filter(|s| !s.is_empty());
                let old = e.old_value.as_deref().filter(|s| !s.is_empty());
                if !concurrent && old != before {
                    self.mismatches.push(format!(
                        "escalated at {} from {:?}, but it was {:?}",
                        e.at,
                        old.unwrap_or(""),
                        before.unwrap_or("")
                    ));
                }
                self.escalated_to = e.new_value.clone();
            }
            HazardEventKind::Reopened => self.best = 0,
            _ => {}
        }
        if let Some(r) = rank(kind).filter(|r| *r >= self.best) {
            self.best = r;
            self.status = kind.next_status(self.status);
            self.closed_day = match kind {
                HazardEventKind::Rectified | HazardEventKind::Voided => {
                    e.at.get(..10).map(str::to_owned)
                }
                _ => None,
            };
        }
        self.updated = e.at.clone();
        self.last_id = Some(e.id.clone());
    }
}

/// Derive `hazard_state` from the hazard row and its events, and move it in the tallies.
pub(crate) fn rebuild_hazard_state(tx: &Transaction, hazard_id: &str) -> rusqlite::Result<()> {
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
    let mut st = tx.prepare_cached(&format!(
        "SELECT {STEP_COLUMNS} FROM event WHERE entity = 'hazard' AND entity_id = ?1 ORDER BY {EVENT_ORDER}"
    ))?;
    let mut fold = HazardFold::new(&deadline);
    for e in st.query_map([hazard_id], HazardStep::from_row)? {
        fold.step(&e?);
    }
    let HazardFold {
        status,
        deadline: folded_deadline,
        closed_day,
        escalated_to,
        updated,
        ..
    } = fold;
    deadline = folded_deadline;
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
