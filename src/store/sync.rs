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
use super::conflicts::{ApplyLog, on_conflict, owned};
pub use super::conflicts::{REFERENCE, Side};
use super::hazard_state::rebuild_hazard_state;
use super::journal::{chain_tip, hlc_observe, move_head, seal};
use crate::domain::clock::Hlc;
use crate::error::{Error, Result};
use rusqlite::session::{Changegroup, ConflictType};
use rusqlite::types::Value;
use rusqlite::{Connection, Transaction, TransactionBehavior, params};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

pub use super::outbox::SYNCED;
use super::outbox::{is_synced, keep_in_outbox, recording_session, synced_columns};

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
    /// Changes to the lists held at the office as proposals (not applied).
    pub proposals: u64,
    /// Hazards whose state was rebuilt.
    pub hazards: u64,
}

pub use super::conflicts::Conflict;

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
            // An update carries only what it changes (and the key): a column it does not
            // carry is left out, not taken as NULL.
            let v = match item.new_value(i) {
                Ok(v) => Some(owned(v)),
                Err(_) => item.old_value(i).ok().map(owned),
            };
            if let Some(v) = v {
                row.insert(name.as_str(), v);
            }
        }
        each(&table, &row)?;
    }
    Ok(())
}

/// The origin prefix of an outbox entry meant for one laptop alone (the office's version of
/// a list row put back after that laptop's proposal).
pub(crate) const TO_ONE: &str = "to:";

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

    /// The changes of the outbox after entry `after`, combined into one changeset. Entries
    /// whose origin is `TO_ONE` + a device id go only to the laptop that writes under it:
    /// `skip` names the devices of the laptop the changes are for. (an insert
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
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(db)? {
            last = r.get(0).map_err(db)?;
            let origin: String = r.get(1).map_err(db)?;
            if skip.contains(&origin) {
                continue;
            }
            let blob: Vec<u8> = r.get(2).map_err(db)?;
            // An entry for one laptop only (see `TO_ONE`) goes to that laptop alone, and in
            // its place in the order, not merged with the rest: the office's version put back
            // after a proposal, merged with a later accept, would cancel the accept out,
            // although the laptop may hold the office's earlier version by then. The
            // changesets follow one another in the payload and are applied in turn.
            if let Some(to) = origin.strip_prefix(TO_ONE) {
                if !skip.iter().any(|d| d == to) {
                    continue;
                }
                group.output_strm(&mut out).map_err(db)?;
                group = Changegroup::new().map_err(db)?;
                out.extend_from_slice(&blob);
                entries += 1;
                continue;
            }
            let mut input: &[u8] = &blob;
            group.add_stream(&mut input).map_err(db)?;
            entries += 1;
        }
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
        self.snapshot_of(None)
    }

    /// The synced rows written under `own` device ids (all rows when none), as one changeset
    /// of inserts: SQLite's diff against a database of the same schema that holds every
    /// other row.
    pub fn snapshot_of(&mut self, own: Option<&[String]>) -> Result<Vec<u8>> {
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
            let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Deferred)?;
            if let Some(own) = own {
                tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
                let list = own
                    .iter()
                    .map(|d| format!("'{}'", d.replace('\'', "''")))
                    .collect::<Vec<_>>()
                    .join(", ");
                for t in SYNCED {
                    tx.execute(
                        &format!(
                            "INSERT INTO fp_empty.{t} SELECT * FROM main.{t}
                             WHERE device_id NOT IN ({list})"
                        ),
                        [],
                    )?;
                }
            }
            let mut s = recording_session(&tx)?;
            for t in SYNCED {
                s.diff("fp_empty", *t)?;
            }
            let mut out = Vec::new();
            if !s.is_empty() {
                s.changeset_strm(&mut out)?;
            }
            drop(s);
            // Nothing of this is kept: the copy is thrown away with the file.
            tx.rollback()?;
            Ok(out)
        })();
        let detach = self.conn.execute_batch("DETACH DATABASE fp_empty");
        let out = out.map_err(|e| self.db_err(e))?;
        detach.map_err(|e| self.db_err(e))?;
        Ok(out)
    }

    /// Apply changes from another database in one transaction, in four steps: survey the
    /// rows (whose they are, what they touch), apply them with the conflict policy, rebuild
    /// what is derived from them, and verify the chains of the devices that sent events.
    /// `then` runs in the same transaction (to record the bundle). A refusal leaves the
    /// database as it was.
    pub fn apply_changes(
        &mut self,
        incoming: &Incoming,
        then: impl FnOnce(&Transaction, &Applied) -> rusqlite::Result<()>,
    ) -> Result<std::result::Result<Applied, Refusal>> {
        let path = self.path.clone();
        let err = |e| Error::db(&path, e);
        self.still_there()?;
        let columns = synced_columns(&self.conn).map_err(err)?;
        let survey = match survey(incoming, &columns).map_err(err)? {
            Ok(s) => s,
            Err(r) => return Ok(Err(r)),
        };
        let session = match incoming.record_as {
            Some(_) => Some(recording_session(&self.conn).map_err(err)?),
            None => None,
        };
        let tx =
            Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate).map_err(err)?;
        let at = self.now_stamp();
        let office = self.device_id.clone();
        let result = (|| -> rusqlite::Result<std::result::Result<Applied, Refusal>> {
            if incoming.side == Side::Laptop {
                renumber_templates(&tx, &survey.templates)?;
            }
            let before = match incoming.side {
                Side::Laptop => BTreeMap::new(),
                _ => super::proposals::read_before(&tx, &columns, &survey.reference)?,
            };
            let log = match apply_with_policy(&tx, incoming.changes, &columns, incoming.side)? {
                Ok(log) => log,
                Err(r) => return Ok(Err(r)),
            };
            // The office's version put back goes to the proposing laptop only: another
            // laptop never had the proposed values, and the revert, merged with a later
            // accept, would cancel the accept out for it.
            let back_to = incoming
                .record_as
                .map_or(office.clone(), |o| format!("{TO_ONE}{o}"));
            let proposals = super::proposals::hold_as_proposals(
                &tx,
                &columns,
                &before,
                (incoming.side == Side::Office).then_some(incoming.sender),
                &back_to,
                &at,
            )?;
            rebuild_derived(&tx, &survey)?;
            for (table, id) in &survey.sealed {
                seal(&tx, table, id)?;
            }
            for (table, id, kind, detail) in &log.conflicts {
                tx.execute(
                    "INSERT INTO sync_conflict (at, sender, tbl, row_id, kind, detail)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![at, incoming.sender, table, id, kind, detail],
                )?;
            }
            for d in &survey.event_devices {
                if let Some(problem) = chain_problem(&tx, d)? {
                    return Ok(Err(Refusal::Chain(problem)));
                }
                // The chain holds: its recorded head moves to its last event. A restored
                // laptop that takes back its own earlier records must not keep the head of
                // its backup, or `check` would call the records it got back an addition.
                let (seq, hash) = chain_tip(&tx, d)?;
                if seq > 0 {
                    move_head(&tx, d, seq, &hash)?;
                }
            }
            hlc_observe(&tx, survey.newest)?;
            let applied = Applied {
                rows: survey.rows.saturating_sub(log.duplicates),
                duplicates: log.duplicates,
                conflicts: log.conflicts.len() as u64,
                proposals,
                hazards: survey.hazards.len() as u64,
            };
            then(&tx, &applied)?;
            Ok(Ok(applied))
        })();
        let applied = match result.map_err(err)? {
            Ok(a) => a,
            Err(r) => {
                drop(tx);
                return Ok(Err(r));
            }
        };
        if let (Some(mut session), Some(origin)) = (session, incoming.record_as) {
            keep_in_outbox(&tx, &mut session, origin, &at).map_err(err)?;
        }
        tx.commit().map_err(err)?;
        Ok(Ok(applied))
    }
}

/// Records from another database, and how to take them in.
pub struct Incoming<'a> {
    pub changes: &'a [u8],
    pub side: Side,
    /// Who sent them, as `sync_conflict` and the proposals name them.
    pub sender: &'a str,
    /// At the office: the devices the sender may write for (a row of another refuses it all).
    pub allowed: Option<&'a [String]>,
    /// Keep what changed here in the outbox under this origin, so that it travels on.
    pub record_as: Option<&'a str>,
}

impl<'a> Incoming<'a> {
    /// The office's records, on a laptop.
    pub fn from_office(changes: &'a [u8]) -> Self {
        Incoming {
            changes,
            side: Side::Laptop,
            sender: "office",
            allowed: None,
            record_as: None,
        }
    }
}

/// What a changeset holds, read once before anything is written.
#[derive(Default)]
struct Survey {
    rows: u64,
    hazards: BTreeSet<String>,
    /// building -> the last day an answer there was given.
    visits: BTreeMap<String, String>,
    /// (patrol, building) of every answer: their tally is counted anew.
    patrol_visits: BTreeSet<(String, String)>,
    /// Every sealed row that arrived: sealed here after the apply, as this database holds it.
    sealed: BTreeSet<(String, String)>,
    /// Reference rows that arrived: (table, id).
    reference: BTreeSet<(String, String)>,
    event_devices: BTreeSet<String>,
    /// Template versions that arrived: (their number at the sender, id).
    templates: Vec<(i64, String)>,
    /// The newest stamp of the events that arrived.
    newest: Hlc,
}

fn survey(
    incoming: &Incoming,
    columns: &BTreeMap<String, Vec<String>>,
) -> rusqlite::Result<std::result::Result<Survey, Refusal>> {
    let mut s = Survey::default();
    let mut refusal: Option<Refusal> = None;
    changeset_rows(incoming.changes, columns, |table, row| {
        s.rows += 1;
        // Rows from a laptop are held to the rules of typed input.
        if incoming.allowed.is_some() && refusal.is_none() {
            let owned: crate::domain::incoming::Row = row
                .iter()
                .map(|(k, v)| ((*k).to_string(), v.clone()))
                .collect();
            if let Err(p) = crate::domain::incoming::check_row(table, &owned) {
                refusal = Some(Refusal::Row(p));
            }
        }
        let id = text(row, "id");
        let device = text(row, "device_id");
        if let Some(allowed) = incoming.allowed
            && !REFERENCE.contains(&table)
            && !allowed.contains(&device)
            && refusal.is_none()
        {
            refusal = Some(Refusal::ForeignDevice {
                table: table.to_string(),
                device: device.clone(),
            });
        }
        if REFERENCE.contains(&table) {
            s.reference.insert((table.to_string(), id.clone()));
        }
        s.sealed.insert((table.to_string(), id.clone()));
        match table {
            "hazard" => {
                s.hazards.insert(id);
            }
            "template_version" => {
                if let Some(Value::Integer(seq)) = row.get("seq") {
                    s.templates.push((*seq, id));
                }
            }
            "event" => {
                s.event_devices.insert(device);
                match row.get("hlc") {
                    Some(Value::Integer(h)) => s.newest = s.newest.max(Hlc::from_stored(*h)),
                    _ if refusal.is_none() => {
                        refusal = Some(Refusal::Constraint {
                            table: "event".into(),
                        })
                    }
                    _ => {}
                }
                if text(row, "entity") == "hazard" {
                    s.hazards.insert(text(row, "entity_id"));
                }
            }
            "answer" => {
                let day: String = text(row, "answered_at").chars().take(10).collect();
                let b = text(row, "building_id");
                s.patrol_visits.insert((text(row, "patrol_id"), b.clone()));
                let e = s.visits.entry(b).or_default();
                if day > *e {
                    *e = day;
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(match refusal {
        Some(r) => Err(r),
        None => Ok(s),
    })
}

/// A template version is numbered by the database that made it, in the order versions
/// arrived there; the office's numbers stand on a laptop. Before the office's versions go
/// in, the laptop's own versions under those numbers move out of the way, and the versions
/// it has under other numbers take the office's, so that the same version is one row.
fn renumber_templates(tx: &Transaction, incoming: &[(i64, String)]) -> rusqlite::Result<()> {
    if incoming.is_empty() {
        return Ok(());
    }
    let top: i64 = tx.query_row(
        "SELECT ifnull(max(seq), 0) FROM template_version",
        [],
        |r| r.get(0),
    )?;
    let mut free = top.max(incoming.iter().map(|(s, _)| *s).max().unwrap_or(0)) + 1;
    for (seq, id) in incoming {
        let moved = tx.execute(
            "UPDATE template_version SET seq = ?3 WHERE seq = ?1 AND id <> ?2",
            params![seq, id, free],
        )?;
        if moved > 0 {
            free += 1;
        }
    }
    for (seq, id) in incoming {
        tx.execute(
            "UPDATE template_version SET seq = ?1 WHERE id = ?2 AND seq <> ?1",
            params![seq, id],
        )?;
    }
    Ok(())
}

/// Apply the changes, answering every conflict by the rules (`conflicts::on_conflict`).
fn apply_with_policy(
    tx: &Transaction,
    changes: &[u8],
    columns: &BTreeMap<String, Vec<String>>,
    side: Side,
) -> rusqlite::Result<std::result::Result<ApplyLog, Refusal>> {
    let shared = Arc::new(Mutex::new(ApplyLog::default()));
    let handler = {
        let shared = Arc::clone(&shared);
        let columns = columns.clone();
        move |kind: ConflictType, item: &rusqlite::session::ChangesetItem| {
            on_conflict(&shared, &columns, side, kind, item)
        }
    };
    // Applied as it comes, change after change: a reply may hold several changesets one
    // after another (see `outbox_since`), and merging them here would undo that.
    let mut input: &[u8] = changes;
    let applied = if changes.is_empty() {
        Ok(())
    } else {
        tx.apply_strm(&mut input, Some(|t: &str| is_synced(t)), handler)
    };
    let mut log = match Arc::try_unwrap(shared) {
        Ok(m) => m.into_inner().unwrap_or_else(|p| p.into_inner()),
        Err(arc) => std::mem::take(&mut *arc.lock().unwrap_or_else(|p| p.into_inner())),
    };
    if let Some(r) = log.refusal.take() {
        return Ok(Err(r));
    }
    applied?;
    Ok(Ok(log))
}

/// Rebuild what is derived from the rows that arrived: hazard states and tallies, the
/// answers in force, the visits.
fn rebuild_derived(tx: &Transaction, s: &Survey) -> rusqlite::Result<()> {
    for h in &s.hazards {
        let there: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM hazard WHERE id = ?1)",
            [h],
            |r| r.get(0),
        )?;
        if there {
            rebuild_hazard_state(tx, h)?;
        }
    }
    // The answers in force are tallied by a trigger as each answer is written in order; rows
    // applied from elsewhere arrive in any order, so count them anew.
    if !s.visits.is_empty() {
        tx.execute_batch(
            "UPDATE answer_tally SET in_force = (SELECT count(*) FROM (
                SELECT value, row_number() OVER (
                    PARTITION BY patrol_id, building_id, unit_id, item_id ORDER BY seq DESC) AS rn
                FROM answer) WHERE rn = 1 AND value <> 'cleared') WHERE id = 1",
        )?;
    }
    for (patrol, building) in &s.patrol_visits {
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
    for (b, day) in &s.visits {
        tx.execute(
            "INSERT INTO building_visit (building_id, last_day) VALUES (?1, ?2)
             ON CONFLICT (building_id) DO UPDATE SET last_day = max(last_day, excluded.last_day)",
            params![b, day],
        )?;
    }
    Ok(())
}
