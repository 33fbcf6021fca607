//! The outbox: what each write changed in the synced tables, recorded by SQLite's session
//! extension in the write's own transaction, to travel to the other side.

use rusqlite::session::Session;
use rusqlite::{Connection, Transaction, params};
use std::collections::BTreeMap;

/// The tables that travel. Everything else (derived state, tallies, chain heads, meta, the
/// sync tables themselves) is local to each database.
pub const SYNCED: &[&str] = &[
    "community",
    "grid",
    "compound",
    "building",
    "unit",
    "person",
    "duty",
    "template_version",
    "roster_change",
    "patrol",
    "hazard",
    "answer",
    "event",
    "photo",
    "hazard_photo",
];

pub(crate) fn is_synced(table: &str) -> bool {
    SYNCED.contains(&table)
}

/// A session recording the synced tables, to be opened just before a write transaction.
pub(crate) fn recording_session(conn: &Connection) -> rusqlite::Result<Session<'_>> {
    let mut s = Session::new(conn)?;
    s.table_filter(Some(|t: &str| is_synced(t)));
    s.attach::<&str>(None)?;
    Ok(s)
}

/// Keep what the session recorded as one entry of the outbox (nothing if nothing changed).
pub(crate) fn keep_in_outbox(
    tx: &Transaction,
    session: &mut Session,
    origin: &str,
    at: &str,
) -> rusqlite::Result<()> {
    if session.is_empty() {
        return Ok(());
    }
    let mut buf = Vec::new();
    session.changeset_strm(&mut buf)?;
    if buf.is_empty() {
        return Ok(());
    }
    tx.prepare_cached("INSERT INTO sync_outbox (origin, at, changeset) VALUES (?1, ?2, ?3)")?
        .execute(params![origin, at, buf])?;
    Ok(())
}

/// Column names of every synced table, in the order a changeset carries them.
pub(crate) fn synced_columns(conn: &Connection) -> rusqlite::Result<BTreeMap<String, Vec<String>>> {
    let mut out = BTreeMap::new();
    for t in SYNCED {
        let cols: Vec<String> = conn
            .prepare(&format!(
                "SELECT name FROM pragma_table_info('{t}') ORDER BY cid"
            ))?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        out.insert((*t).to_string(), cols);
    }
    Ok(out)
}
