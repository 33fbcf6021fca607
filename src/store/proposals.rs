//! The lists belong to the office: a laptop's change to a row of the community tree, the
//! people, the duties or the templates is held at the office as a proposal, and the office's
//! version is put back (and sent back to that laptop) until someone at the office accepts it.
//!
//! - The same change from two laptops is one proposal (its key is the row and the values).
//! - Accepting applies the proposed values as the office's own edit, so it travels to every
//!   laptop; declining leaves the office's version, which the laptop already has again.

use super::Store;
use super::conflicts::{row_label, value_text};
use super::outbox::{keep_in_outbox, recording_session, synced_columns};
use crate::error::{Error, Result};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// The rows as they are before an apply: (table, id) -> every column, in table order.
pub(super) type Before = BTreeMap<(String, String), Vec<Value>>;

/// Columns a database fills for itself: a difference there is not a change of the list.
fn own_column(table: &str, column: &str) -> bool {
    matches!(column, "search_keys" | "created_at" | "device_id")
        || (table == "template_version" && column == "seq")
}

fn read_row(
    tx: &Transaction,
    table: &str,
    cols: &[String],
    id: &str,
) -> rusqlite::Result<Option<Vec<Value>>> {
    let sql = format!("SELECT {} FROM {table} WHERE id = ?1", cols.join(", "));
    tx.prepare_cached(&sql)?
        .query_row([id], |r| {
            (0..cols.len())
                .map(|i| r.get::<_, Value>(i))
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .optional()
}

/// The reference rows that are about to arrive, as this database holds them now.
pub(super) fn read_before(
    tx: &Transaction,
    columns: &BTreeMap<String, Vec<String>>,
    reference: &BTreeSet<(String, String)>,
) -> rusqlite::Result<Before> {
    let mut out = Before::new();
    for (table, id) in reference {
        let Some(cols) = columns.get(table) else {
            continue;
        };
        if let Some(row) = read_row(tx, table, cols, id)? {
            out.insert((table.clone(), id.clone()), row);
        }
    }
    Ok(out)
}

fn as_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Integer(i) => serde_json::Value::from(*i),
        Value::Real(r) => serde_json::Value::from(*r),
        Value::Text(t) => serde_json::Value::from(t.as_str()),
        Value::Blob(b) => serde_json::Value::from(format!("<{} bytes>", b.len())),
    }
}

fn from_json(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Integer(i),
            None => Value::Real(n.as_f64().unwrap_or_default()),
        },
        serde_json::Value::String(s) => Value::Text(s.clone()),
        other => Value::Text(other.to_string()),
    }
}

/// At the office, after a laptop's changes went in: every reference row the laptop changed
/// gets the office's version back, the change is kept as a proposal, and the putting back
/// is kept in the outbox under the office's own name, so that the reply brings that laptop
/// back to the office's version. Returns how many proposals the bundle made or joined.
/// With `propose` none (old copies the office takes back), the versions are only put back.
pub(super) fn hold_as_proposals(
    tx: &Transaction,
    columns: &BTreeMap<String, Vec<String>>,
    before: &Before,
    propose: Option<&str>,
    office: &str,
    at: &str,
) -> rusqlite::Result<u64> {
    let mut held = 0u64;
    for ((table, id), old) in before {
        let Some(cols) = columns.get(table) else {
            continue;
        };
        let Some(now) = read_row(tx, table, cols, id)? else {
            continue;
        };
        let differ: Vec<String> = cols
            .iter()
            .zip(old.iter().zip(now.iter()))
            .filter(|(c, (o, n))| o != n && !own_column(table, c))
            .map(|(c, (o, n))| {
                format!(
                    "{c}: {:?} -> {:?}",
                    value_text(o.into()),
                    value_text(n.into())
                )
            })
            .collect();
        if differ.is_empty() {
            continue;
        }
        let values: serde_json::Map<String, serde_json::Value> = cols
            .iter()
            .zip(now.iter())
            .filter(|(c, _)| !own_column(table, c))
            .map(|(c, v)| (c.clone(), as_json(v)))
            .collect();
        let values = serde_json::Value::Object(values).to_string();
        // Put the office's version back, recording only that.
        {
            let mut session = recording_session(tx)?;
            let set: Vec<String> = cols
                .iter()
                .enumerate()
                .skip(1)
                .map(|(i, c)| format!("{c} = ?{}", i + 1))
                .collect();
            let mut p: Vec<Value> = vec![Value::Text(id.clone())];
            p.extend(old.iter().skip(1).cloned());
            tx.execute(
                &format!("UPDATE {table} SET {} WHERE id = ?1", set.join(", ")),
                rusqlite::params_from_iter(p.iter()),
            )?;
            keep_in_outbox(tx, &mut session, office, at)?;
        }
        let Some(sender) = propose else {
            continue;
        };
        let key = {
            let mut h = Sha256::new();
            h.update(table.as_bytes());
            h.update([0x1f]);
            h.update(id.as_bytes());
            h.update([0x1f]);
            h.update(values.as_bytes());
            h.finalize()[..16]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        };
        let senders: Option<String> = tx
            .query_row(
                "SELECT senders FROM sync_proposal WHERE key = ?1",
                [&key],
                |r| r.get(0),
            )
            .optional()?;
        match senders {
            Some(s) if s.split(", ").any(|x| x == sender) => {}
            Some(s) => {
                tx.execute(
                    "UPDATE sync_proposal SET senders = ?2 WHERE key = ?1",
                    params![key, format!("{s}, {sender}")],
                )?;
            }
            None => {
                tx.execute(
                    "INSERT INTO sync_proposal
                       (key, tbl, row_id, kind, detail, row_values, senders, first_at)
                     VALUES (?1, ?2, ?3, 'change', ?4, ?5, ?6, ?7)",
                    params![key, table, id, differ.join("; "), values, sender, at],
                )?;
            }
        }
        held += 1;
    }
    Ok(held)
}

/// What the office decides about a proposal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Accept,
    Decline,
}

/// A laptop's proposed change to the lists, waiting at the office (or decided).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposal {
    pub number: i64,
    pub table: String,
    pub row_id: String,
    /// What would change: `column: "office's" -> "proposed"`, by `; `.
    pub detail: String,
    /// Who proposed it (the laptops' people and letters), by `, `.
    pub senders: String,
    pub first_at: String,
    /// `pending`, `accepted` or `declined`.
    pub status: String,
    /// The row in people's words: a person by name, a duty by person and building, a
    /// building by compound and name (the id only when the row is gone).
    pub what: String,
}

/// Why a decision could not be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotDecided {
    NoSuchProposal(i64),
    AlreadyDecided { number: i64, status: String },
}

impl Store {
    /// On a laptop: its own proposals to the lists, as the office's last reply told them.
    pub fn own_proposals(&self) -> Result<Vec<crate::domain::sync::ProposalNote>> {
        Ok(self
            .meta(super::meta::MetaKey::SyncProposals)?
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default())
    }

    /// The proposals waiting for the office (and, with `all`, the decided ones too), oldest
    /// first.
    pub fn proposals(&self, all: bool) -> Result<Vec<Proposal>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT id, tbl, row_id, detail, senders, first_at, status FROM sync_proposal
                 WHERE ?1 OR status = 'pending' ORDER BY id",
            )
            .map_err(|e| self.db_err(e))?;
        let rows = st
            .query_map([all], |r| {
                Ok(Proposal {
                    number: r.get(0)?,
                    table: r.get(1)?,
                    row_id: r.get(2)?,
                    detail: r.get(3)?,
                    senders: r.get(4)?,
                    first_at: r.get(5)?,
                    status: r.get(6)?,
                    what: String::new(),
                })
            })
            .map_err(|e| self.db_err(e))?;
        let mut out: Vec<Proposal> = rows
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| self.db_err(e))?;
        for p in &mut out {
            p.what = row_label(&self.conn, &p.table, &p.row_id);
        }
        Ok(out)
    }

    /// Accept or decline proposal `number`, as `by`. Accepting makes the proposed values the
    /// office's own edit (it travels to every laptop); other proposals for the same row stay
    /// pending, to be decided against the new version.
    pub fn decide(
        &mut self,
        number: i64,
        decision: Decision,
        by: &str,
    ) -> Result<std::result::Result<Proposal, NotDecided>> {
        let found: Option<(String, String, String, String)> = self
            .conn
            .query_row(
                "SELECT tbl, row_id, row_values, status FROM sync_proposal WHERE id = ?1",
                [number],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()
            .map_err(|e| self.db_err(e))?;
        let Some((table, row_id, values, status)) = found else {
            return Ok(Err(NotDecided::NoSuchProposal(number)));
        };
        if status != "pending" {
            return Ok(Err(NotDecided::AlreadyDecided { number, status }));
        }
        let values: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&values)
            .map_err(|_| Error::Damaged {
                path: self.path.clone(),
                backup: None,
            })?;
        let at = self.now_stamp();
        let columns = synced_columns(&self.conn).map_err(|e| self.db_err(e))?;
        let known = columns.get(&table).cloned().unwrap_or_default();
        let by = by.to_string();
        let outcome = match decision {
            Decision::Accept => "accepted",
            Decision::Decline => "declined",
        };
        let apply = decision == Decision::Accept;
        let write = move |tx: &Transaction| -> rusqlite::Result<()> {
            if apply {
                let set: Vec<(String, Value)> = values
                    .iter()
                    .filter(|(c, _)| c.as_str() != "id" && known.contains(c))
                    .map(|(c, v)| (c.clone(), from_json(v)))
                    .collect();
                if !set.is_empty() {
                    let sql = format!(
                        "UPDATE {table} SET {} WHERE id = ?1",
                        set.iter()
                            .enumerate()
                            .map(|(i, (c, _))| format!("{c} = ?{}", i + 2))
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                    let mut p = vec![Value::Text(row_id.clone())];
                    p.extend(set.into_iter().map(|(_, v)| v));
                    tx.execute(&sql, rusqlite::params_from_iter(p.iter()))?;
                    super::journal::seal(tx, &table, &row_id)?;
                }
            }
            tx.execute(
                "UPDATE sync_proposal SET status = ?2, decided_at = ?3, decided_by = ?4
                 WHERE id = ?1",
                params![number, outcome, at, by],
            )?;
            Ok(())
        };
        match decision {
            // The office's own edit: recorded for the laptops.
            Decision::Accept => self.write(write)?,
            Decision::Decline => self.write_uncaptured(write)?,
        }
        Ok(self
            .proposals(true)?
            .into_iter()
            .find(|p| p.number == number)
            .ok_or(NotDecided::NoSuchProposal(number)))
    }
}
