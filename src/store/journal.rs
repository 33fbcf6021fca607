//! The event journal: every change is an event, chained by hash to the one before, and the
//! state derived from events. Hazards, patrols, the community and templates call in here; the
//! journal calls none of them.
//!
//! - `log_event` appends to the log inside the caller's transaction; `verify_event_chain`
//!   walks it and finds the first entry changed or removed.
//! - A hazard's current state is derived from its events in `store::hazard_state`, which
//!   logs through here; the journal names nothing of it.

use super::meta::MetaKey;
use crate::domain::clock::Hlc;
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
