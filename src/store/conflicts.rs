//! The one answer to every conflict when records from another database are applied (the
//! rules are in `sync`'s module comment), and the differences kept for people to see
//! (`sync_conflicts`). The handler cannot reach the connection: what it finds is collected in
//! an `ApplyLog` behind a mutex.

use crate::domain::sync::Refusal;
use rusqlite::OptionalExtension;
use rusqlite::session::{ConflictAction, ConflictType};
use rusqlite::types::Value;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Reference data: the office's to decide.
pub const REFERENCE: &[&str] = &[
    "community",
    "grid",
    "compound",
    "building",
    "unit",
    "person",
    "duty",
    "template_version",
    "roster_change",
];

/// Whose side wins on reference data when applying.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The office applies a laptop's changes: the office's reference data is kept.
    Office,
    /// The office takes back everything a laptop holds (after the office was restored): as
    /// `Office`, but the laptop's versions of the lists are old copies, not proposals.
    OfficeTakesBack,
    /// A laptop applies the office's changes: the office's reference data wins.
    Laptop,
}

#[derive(Default)]
pub(super) struct ApplyLog {
    pub duplicates: u64,
    pub conflicts: Vec<(String, String, String, String)>,
    pub refusal: Option<Refusal>,
}

pub(super) fn owned(v: rusqlite::types::ValueRef) -> Value {
    use rusqlite::types::ValueRef;
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Integer(i),
        ValueRef::Real(r) => Value::Real(r),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

pub(super) fn value_text(v: rusqlite::types::ValueRef) -> String {
    use rusqlite::types::ValueRef;
    match v {
        ValueRef::Null => String::new(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(r) => r.to_string(),
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
        ValueRef::Blob(b) => format!("<{} bytes>", b.len()),
    }
}

/// Columns that each database derives for itself (search keys) or numbers locally (a
/// template version's place in the order it arrived): a difference there is not a conflict.
/// Who first wrote a reference row, and when, is not a difference either: the same building
/// imported on the laptop and at the office is the same building.
fn derived_column(table: &str, column: &str) -> bool {
    column == "search_keys"
        || (table == "template_version" && column == "seq")
        || (REFERENCE.contains(&table) && matches!(column, "created_at" | "device_id"))
}

/// The one answer to every conflict (see the module's rules).
pub(super) fn on_conflict(
    shared: &Arc<Mutex<ApplyLog>>,
    columns: &BTreeMap<String, Vec<String>>,
    side: Side,
    kind: ConflictType,
    item: &rusqlite::session::ChangesetItem,
) -> ConflictAction {
    let Ok(mut log) = shared.lock() else {
        return ConflictAction::SQLITE_CHANGESET_ABORT;
    };
    if kind == ConflictType::SQLITE_CHANGESET_FOREIGN_KEY {
        // Only the count may be read here (the item has no table).
        let count = item.fk_conflicts().unwrap_or(0);
        log.refusal.get_or_insert(Refusal::Dangling { count });
        return ConflictAction::SQLITE_CHANGESET_ABORT;
    }
    let Ok(op) = item.op() else {
        return ConflictAction::SQLITE_CHANGESET_ABORT;
    };
    let table = op.table_name().to_string();
    let n = usize::try_from(op.number_of_columns()).unwrap_or(0);
    let reference = REFERENCE.contains(&table.as_str());
    let id = item
        .new_value(0)
        .or_else(|_| item.old_value(0))
        .map(value_text)
        .unwrap_or_default();
    match kind {
        ConflictType::SQLITE_CHANGESET_CONFLICT | ConflictType::SQLITE_CHANGESET_DATA => {
            // Which columns differ between what is here and what arrived.
            let columns = columns.get(&table).map(Vec::as_slice).unwrap_or_default();
            let mut differ = Vec::new();
            let mut any = false;
            for i in 0..n {
                let here = item.conflict(i).map(value_text).unwrap_or_default();
                let arrived = match item.new_value(i) {
                    Ok(v) => value_text(v),
                    Err(_) => continue,
                };
                let name = columns.get(i).map_or("?", String::as_str);
                any |= here != arrived;
                if here != arrived && !derived_column(&table, name) {
                    differ.push(format!("{name}: {here:?} -> {arrived:?}"));
                }
            }
            if differ.is_empty() {
                log.duplicates += 1;
                // The office's version of who wrote it and its derived columns stands on a
                // laptop too, so that every database ends with the same rows.
                return if any && reference && side == Side::Laptop {
                    ConflictAction::SQLITE_CHANGESET_REPLACE
                } else {
                    ConflictAction::SQLITE_CHANGESET_OMIT
                };
            }
            if !reference {
                log.refusal
                    .get_or_insert(Refusal::FactChanged { table, id });
                return ConflictAction::SQLITE_CHANGESET_ABORT;
            }
            // Another template version under the same number (each database numbers its own):
            // replacing would lose the one here. On a laptop the numbers were made to agree
            // before; at the office the laptop's version is kept out and recorded.
            if table == "template_version" && side != Side::Laptop {
                let at = |f: &dyn Fn(usize) -> Option<String>| {
                    columns.iter().position(|c| c == "id").and_then(f)
                };
                let here = at(&|i| item.conflict(i).ok().map(value_text));
                let arrived = at(&|i| item.new_value(i).ok().map(value_text));
                if here != arrived {
                    log.conflicts.push((
                        table,
                        arrived.unwrap_or_default(),
                        "template_number".to_string(),
                        differ.join("; "),
                    ));
                    return ConflictAction::SQLITE_CHANGESET_OMIT;
                }
            }
            // At the office the laptop's version goes in for now, and is then held as a
            // proposal with the office's version put back (`proposals::hold_as_proposals`),
            // as every change to the lists from a laptop is, conflicting or not.
            if side == Side::Laptop {
                log.conflicts
                    .push((table, id, "took_office".to_string(), differ.join("; ")));
            }
            ConflictAction::SQLITE_CHANGESET_REPLACE
        }
        ConflictType::SQLITE_CHANGESET_NOTFOUND => {
            log.conflicts.push((
                table,
                id,
                "not_found".to_string(),
                "changed a row this database does not have".to_string(),
            ));
            ConflictAction::SQLITE_CHANGESET_OMIT
        }
        ConflictType::SQLITE_CHANGESET_CONSTRAINT => {
            if table == "event" {
                let device = item.new_value(3).map(value_text).unwrap_or_default();
                let seq = item
                    .new_value(1)
                    .ok()
                    .and_then(|v| v.as_i64().ok())
                    .unwrap_or(0);
                log.refusal.get_or_insert(Refusal::Fork { device, seq });
                return ConflictAction::SQLITE_CHANGESET_ABORT;
            }
            if reference {
                // The same thing under another id (a building imported on both sides): the
                // one here stays, and the difference is recorded.
                log.conflicts.push((
                    table,
                    id,
                    "same_thing".to_string(),
                    "the same thing is here under another id".to_string(),
                ));
                return ConflictAction::SQLITE_CHANGESET_OMIT;
            }
            log.refusal.get_or_insert(Refusal::Constraint { table });
            ConflictAction::SQLITE_CHANGESET_ABORT
        }
        _ => {
            log.refusal.get_or_insert(Refusal::Constraint { table });
            ConflictAction::SQLITE_CHANGESET_ABORT
        }
    }
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
    /// The row in people's words (see `row_label`).
    pub what: String,
}

impl super::Store {
    /// What arrived that differed from the version kept here, newest first.
    pub fn sync_conflicts(&self, limit: usize) -> crate::error::Result<Vec<Conflict>> {
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
                    what: String::new(),
                })
            })
            .map_err(|e| self.db_err(e))?;
        let mut out: Vec<Conflict> = rows
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| self.db_err(e))?;
        for c in &mut out {
            c.what = row_label(&self.conn, &c.table, &c.row_id);
        }
        Ok(out)
    }
}

/// A row of the lists in people's words (`刘建国`, `刘建国 · 锦绣家园 1栋`, `锦绣家园 1栋 2单元`);
/// the first characters of its id when it is not here.
pub(super) fn row_label(conn: &rusqlite::Connection, table: &str, id: &str) -> String {
    let sql = match table {
        "person" => "SELECT name FROM person WHERE id = ?1",
        "building" => {
            "SELECT trim(ifnull(c.name, '') || ' ' || b.name) FROM building b
             LEFT JOIN compound c ON c.id = b.compound_id WHERE b.id = ?1"
        }
        "unit" => {
            "SELECT b.name || ' ' || u.number FROM unit u JOIN building b ON b.id = u.building_id
             WHERE u.id = ?1"
        }
        "duty" => {
            "SELECT p.name || ' · ' || trim(ifnull(c.name, '') || ' ' || ifnull(b.name, ''))
             FROM duty d JOIN person p ON p.id = d.person_id
             LEFT JOIN building b ON b.id = d.building_id
             LEFT JOIN compound c ON c.id = b.compound_id WHERE d.id = ?1"
        }
        "compound" => "SELECT name FROM compound WHERE id = ?1",
        "grid" => "SELECT name FROM grid WHERE id = ?1",
        "community" => "SELECT name FROM community WHERE id = ?1",
        _ => "",
    };
    let found: Option<String> = if sql.is_empty() {
        None
    } else {
        conn.query_row(sql, [id], |r| r.get(0))
            .optional()
            .ok()
            .flatten()
    };
    found
        .filter(|l| !l.trim().is_empty())
        .unwrap_or_else(|| id.get(..8).unwrap_or(id).to_string())
}
