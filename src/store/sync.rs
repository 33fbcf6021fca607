//! The store's side of sync: SQLite's session extension records each write's changes into
//! the outbox (in the write's own transaction), a Changegroup combines what the other side
//! has not acknowledged, and incoming changes are applied with an explicit answer to every
//! kind of conflict. Derived state (hazard states, tallies, visits) is rebuilt for what
//! arrived; it never travels.
//!
//! Rules:
//! - Facts (patrols, answers, hazards, events, photos) are only inserted, keyed by UUID: the
//!   same row arriving twice is skipped; a different row under a known id is refused.
//! - Reference data (the community tree, people, duties, templates) belongs to the office:
//!   on a laptop the office's version wins, at the office its own version is kept; either
//!   way the difference is recorded in `sync_conflict`, never dropped silently.
//! - An event at a place in a device's chain that already holds another event is a fork,
//!   and refuses the whole bundle.

use super::Store;
use super::check::chain_problem;
use super::conflicts::{ApplyLog, on_conflict};
pub use super::conflicts::{REFERENCE, Side};
use super::journal::{rebuild_hazard_state, seal};
use crate::error::{Error, Result};
use rusqlite::session::{Changegroup, ConflictType, Session};
use rusqlite::types::Value;
use rusqlite::{Connection, Transaction, TransactionBehavior, params};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

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

fn is_synced(table: &str) -> bool {
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

pub use crate::domain::sync::Refusal;

/// What applying changes did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// Rows new to this database.
    pub rows: u64,
    /// Rows it had already (a bundle seen before, or rows that came by another way).
    pub duplicates: u64,
    /// Reference rows where the two sides differ (recorded in `sync_conflict`).
    pub conflicts: u64,
    /// Hazards whose state was rebuilt.
    pub hazards: u64,
}

/// One difference kept for the office (or the laptop) to see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub at: String,
    pub sender: String,
    pub table: String,
    pub row_id: String,
    pub kind: String,
    pub detail: String,
}

fn owned(v: rusqlite::types::ValueRef) -> Value {
    use rusqlite::types::ValueRef;
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Integer(i),
        ValueRef::Real(r) => Value::Real(r),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
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

/// Each row of a changeset, as (table, column -> value) of its new values (inserts and
/// updates; deletes are not part of this schema's life).
pub(crate) fn changeset_rows(
    changes: &[u8],
    columns: &BTreeMap<String, Vec<String>>,
    mut each: impl FnMut(&str, &BTreeMap<&str, Value>) -> rusqlite::Result<()>,
) -> rusqlite::Result<()> {
    use rusqlite::fallible_streaming_iterator::FallibleStreamingIterator;
    let mut input: &[u8] = changes;
    let reader: &mut dyn std::io::Read = &mut input;
    let mut iter = rusqlite::session::ChangesetIter::start_strm(&reader)?;
    while let Some(item) = iter.next()? {
        let op = item.op()?;
        let table = op.table_name().to_string();
        let Some(cols) = columns.get(&table) else {
            continue;
        };
        let n = usize::try_from(op.number_of_columns()).unwrap_or(0);
        let mut row = BTreeMap::new();
        for (i, name) in cols.iter().enumerate().take(n) {
            let v = match item.new_value(i) {
                Ok(v) => owned(v),
                Err(_) => item.old_value(i).map(owned).unwrap_or(Value::Null),
            };
            row.insert(name.as_str(), v);
        }
        each(&table, &row)?;
    }
    Ok(())
}

fn text(row: &BTreeMap<&str, Value>, col: &str) -> String {
    match row.get(col) {
        Some(Value::Text(s)) => s.clone(),
        Some(Value::Integer(i)) => i.to_string(),
        _ => String::new(),
    }
}

impl Store {
    /// The number of the newest entry in the outbox (0 when empty).
    pub fn outbox_head(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT ifnull(max(seq), 0) FROM sync_outbox", [], |r| {
                r.get(0)
            })
            .map_err(|e| self.db_err(e))
    }

    /// The changes of the outbox after entry `after`, combined into one changeset (an insert
    /// then an update of the same row become one insert). `skip` leaves out what came from
    /// those devices (they have it). Returns the changeset and the last entry it covers.
    pub fn outbox_since(&self, after: i64, skip: &[String]) -> Result<(Vec<u8>, i64, u64)> {
        let db = |e| self.db_err(e);
        let mut group = Changegroup::new().map_err(db)?;
        let mut st = self
            .conn
            .prepare("SELECT seq, origin, changeset FROM sync_outbox WHERE seq > ?1 ORDER BY seq")
            .map_err(db)?;
        let mut rows = st.query([after]).map_err(db)?;
        let mut last = after;
        let mut entries = 0u64;
        while let Some(r) = rows.next().map_err(db)? {
            last = r.get(0).map_err(db)?;
            let origin: String = r.get(1).map_err(db)?;
            if skip.contains(&origin) {
                continue;
            }
            let blob: Vec<u8> = r.get(2).map_err(db)?;
            let mut input: &[u8] = &blob;
            group.add_stream(&mut input).map_err(db)?;
            entries += 1;
        }
        let mut out = Vec::new();
        group.output_strm(&mut out).map_err(db)?;
        Ok((out, last, entries))
    }

    /// Forget the outbox up to entry `upto` (the other side has acknowledged it).
    pub fn prune_outbox(&mut self, upto: i64) -> Result<()> {
        self.write_uncaptured(|tx| {
            tx.execute("DELETE FROM sync_outbox WHERE seq <= ?1", [upto])?;
            Ok(())
        })
    }

    /// Every synced row of this database as one changeset of inserts: SQLite's own diff
    /// against an empty database of the same schema.
    pub fn snapshot(&mut self) -> Result<Vec<u8>> {
        let empty = tempfile::Builder::new()
            .prefix(".firepatrol-empty")
            .tempfile()
            .map_err(|e| Error::Io {
                path: std::env::temp_dir(),
                source: e,
            })?;
        let db = |e| Error::db(empty.path(), e);
        {
            let c = Connection::open(empty.path()).map_err(db)?;
            for m in super::schema::MIGRATIONS {
                c.execute_batch(m).map_err(db)?;
            }
        }
        let path = empty.path().to_string_lossy().into_owned();
        self.conn
            .execute("ATTACH DATABASE ?1 AS fp_empty", [&path])
            .map_err(|e| self.db_err(e))?;
        let out = (|| -> rusqlite::Result<Vec<u8>> {
            let mut s = recording_session(&self.conn)?;
            for t in SYNCED {
                s.diff("fp_empty", *t)?;
            }
            let mut out = Vec::new();
            if !s.is_empty() {
                s.changeset_strm(&mut out)?;
            }
            Ok(out)
        })();
        let detach = self.conn.execute_batch("DETACH DATABASE fp_empty");
        let out = out.map_err(|e| self.db_err(e))?;
        detach.map_err(|e| self.db_err(e))?;
        Ok(out)
    }

    /// Apply changes from another database in one transaction: every conflict is answered
    /// by the rules above, derived state is rebuilt for what arrived, and the chains of the
    /// devices that sent events are checked. `allowed` (at the office) lists the devices the
    /// sender may write for: a row of another device refuses the whole of it. `record_as`
    /// keeps what changed here in the outbox under that origin, so that it travels on to the
    /// other laptops. `then` runs in the same transaction (to record the bundle).
    #[allow(clippy::too_many_arguments)]
    pub fn apply_changes(
        &mut self,
        changes: &[u8],
        side: Side,
        sender: &str,
        allowed: Option<&[String]>,
        record_as: Option<&str>,
        then: impl FnOnce(&Transaction, &Applied) -> rusqlite::Result<()>,
    ) -> Result<std::result::Result<Applied, Refusal>> {
        let path = self.path.clone();
        let err = |e| Error::db(&path, e);
        self.still_there()?;
        let columns = synced_columns(&self.conn).map_err(err)?;
        // Before anything is written: whose rows are these, and what do they touch.
        let mut log = ApplyLog::default();
        let mut foreign: Option<Refusal> = None;
        changeset_rows(changes, &columns, |table, row| {
            let device = text(row, "device_id");
            if let Some(allowed) = allowed
                && !REFERENCE.contains(&table)
                && !allowed.contains(&device)
                && foreign.is_none()
            {
                foreign = Some(Refusal::ForeignDevice {
                    table: table.to_string(),
                    device,
                });
            }
            match table {
                "hazard" => {
                    log.hazards.insert(text(row, "id"));
                }
                "event" if text(row, "entity") == "hazard" => {
                    log.hazards.insert(text(row, "entity_id"));
                }
                "answer" => {
                    let day: String = text(row, "answered_at").chars().take(10).collect();
                    let b = text(row, "building_id");
                    log.patrol_visits
                        .insert((text(row, "patrol_id"), b.clone()));
                    let e = log.visits.entry(b).or_default();
                    if day > *e {
                        *e = day;
                    }
                }
                _ => {}
            }
            Ok(())
        })
        .map_err(err)?;
        if let Some(r) = foreign {
            return Ok(Err(r));
        }
        let session = match record_as {
            Some(_) => Some(recording_session(&self.conn).map_err(err)?),
            None => None,
        };
        let tx =
            Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate).map_err(err)?;
        let shared = Arc::new(Mutex::new(log));
        let handler = {
            let shared = Arc::clone(&shared);
            let columns = columns.clone();
            move |kind: ConflictType, item: &rusqlite::session::ChangesetItem| {
                on_conflict(&shared, &columns, side, kind, item)
            }
        };
        let applied = tx.apply(
            &changeset_from(changes).map_err(err)?,
            Some(|t: &str| is_synced(t)),
            handler,
        );
        let mut log = match Arc::try_unwrap(shared) {
            Ok(m) => m.into_inner().unwrap_or_else(|p| p.into_inner()),
            Err(arc) => std::mem::take(&mut *arc.lock().unwrap_or_else(|p| p.into_inner())),
        };
        if let Err(e) = applied {
            drop(tx);
            if let Some(r) = log.refusal.take() {
                return Ok(Err(r));
            }
            return Err(err(e));
        }
        if let Some(r) = log.refusal.take() {
            drop(tx);
            return Ok(Err(r));
        }
        let at = self.now_stamp();
        let device = self.device_id.clone();
        let result = (|| -> rusqlite::Result<std::result::Result<Applied, Refusal>> {
            // Rows changed by the apply are counted from the changeset, less duplicates.
            let mut total = 0u64;
            changeset_rows(changes, &columns, |_, _| {
                total += 1;
                Ok(())
            })?;
            for h in &log.hazards {
                let there: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM hazard WHERE id = ?1)",
                    [h],
                    |r| r.get(0),
                )?;
                if there {
                    rebuild_hazard_state(&tx, h)?;
                }
            }
            // The answers in force are tallied by a trigger as each answer is written in
            // order; rows applied from elsewhere arrive in any order, so count them anew.
            if !log.visits.is_empty() {
                tx.execute_batch(
                    "UPDATE answer_tally SET in_force = (SELECT count(*) FROM (
                        SELECT value, row_number() OVER (
                            PARTITION BY patrol_id, building_id, unit_id, item_id ORDER BY seq DESC) AS rn
                        FROM answer) WHERE rn = 1 AND value <> 'cleared') WHERE id = 1",
                )?;
            }
            for (patrol, building) in &log.patrol_visits {
                tx.execute(
                    "INSERT INTO visit_tally (patrol_id, building_id, in_force)
                     SELECT ?1, ?2, count(*) FROM (SELECT value, row_number() OVER (
                         PARTITION BY unit_id, item_id ORDER BY seq DESC) AS rn
                       FROM answer WHERE building_id = ?2 AND patrol_id = ?1)
                     WHERE rn = 1 AND value <> 'cleared'
                     ON CONFLICT (patrol_id, building_id) DO UPDATE SET in_force = excluded.in_force",
                    params![patrol, building],
                )?;
            }
            for (b, day) in &log.visits {
                tx.execute(
                    "INSERT INTO building_visit (building_id, last_day) VALUES (?1, ?2)
                     ON CONFLICT (building_id) DO UPDATE SET last_day = max(last_day, excluded.last_day)",
                    params![b, day],
                )?;
            }
            // A difference on reference data: the version kept here is sealed anew, so
            // `check` holds it against the version kept.
            for (table, id, kind, detail) in &log.conflicts {
                tx.execute(
                    "INSERT INTO sync_conflict (at, sender, tbl, row_id, kind, detail)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![at, sender, table, id, kind, detail],
                )?;
                seal(&tx, &device, &at, None, table, id)?;
            }
            let devices: BTreeSet<String> = {
                let mut d = BTreeSet::new();
                changeset_rows(changes, &columns, |table, row| {
                    if table == "event" {
                        d.insert(text(row, "device_id"));
                    }
                    Ok(())
                })?;
                d
            };
            for d in &devices {
                if let Some(problem) = chain_problem(&tx, d)? {
                    return Ok(Err(Refusal::Chain(problem)));
                }
            }
            let applied = Applied {
                rows: total.saturating_sub(log.duplicates),
                duplicates: log.duplicates,
                conflicts: log.conflicts.len() as u64,
                hazards: log.hazards.len() as u64,
            };
            then(&tx, &applied)?;
            Ok(Ok(applied))
        })();
        let result = result.map_err(err)?;
        let applied = match result {
            Ok(a) => a,
            Err(r) => {
                drop(tx);
                return Ok(Err(r));
            }
        };
        if let (Some(mut session), Some(origin)) = (session, record_as) {
            keep_in_outbox(&tx, &mut session, origin, &at).map_err(err)?;
        }
        tx.commit().map_err(err)?;
        Ok(Ok(applied))
    }

    /// What arrived that differed from the version kept here, newest first.
    pub fn sync_conflicts(&self, limit: usize) -> Result<Vec<Conflict>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT at, sender, tbl, row_id, kind, detail FROM sync_conflict
                 ORDER BY id DESC LIMIT ?1",
            )
            .map_err(|e| self.db_err(e))?;
        let rows = st
            .query_map([limit as i64], |r| {
                Ok(Conflict {
                    at: r.get(0)?,
                    sender: r.get(1)?,
                    table: r.get(2)?,
                    row_id: r.get(3)?,
                    kind: r.get(4)?,
                    detail: r.get(5)?,
                })
            })
            .map_err(|e| self.db_err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.db_err(e))
    }
}

fn changeset_from(bytes: &[u8]) -> rusqlite::Result<rusqlite::session::Changeset> {
    // A changegroup of one changeset gives the owned `Changeset` that `apply` takes.
    let mut g = Changegroup::new()?;
    let mut input: &[u8] = bytes;
    if !bytes.is_empty() {
        g.add_stream(&mut input)?;
    }
    g.output()
}
