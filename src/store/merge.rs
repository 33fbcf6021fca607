//! The merge of a laptop's own lists into the office's when it joins: each of its own
//! reference rows that is the same thing as one of the office's takes the office's id,
//! everywhere it is referred to, so that nothing is duplicated and nothing is lost.

use super::Store;
use super::journal::seal;
use super::outbox::synced_columns;
use super::sync::changeset_rows;
use crate::error::Result;
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, params};
use std::collections::BTreeMap;

/// The reference tables in the order a laptop's own rows are merged into the office's, with
/// the columns that say "the same thing" (besides the id).
const NATURAL_KEYS: &[(&str, &[&str])] = &[
    ("community", &["name"]),
    ("grid", &["community_id", "name"]),
    ("compound", &["community_id", "name"]),
    ("building", &["community_id", "compound_id", "name"]),
    ("unit", &["building_id", "number"]),
    ("person", &["name", "phone"]),
    ("duty", &["person_id", "building_id", "unit_id"]),
    ("template_version", &["template_id", "body"]),
];

/// Tables derived from the facts, whose rows have no id of their own.
const DERIVED: &[&str] = &["hazard_state", "building_visit", "visit_day", "visit_tally"];

/// Where each kind of id is referred to: (table, column, only where `entity` is).
fn references(table: &str) -> &'static [(&'static str, &'static str, Option<&'static str>)] {
    match table {
        "community" => &[
            ("grid", "community_id", None),
            ("compound", "community_id", None),
            ("building", "community_id", None),
        ],
        "grid" => &[("compound", "grid_id", None), ("building", "grid_id", None)],
        "compound" => &[("building", "compound_id", None)],
        "building" => &[
            ("unit", "building_id", None),
            ("duty", "building_id", None),
            ("answer", "building_id", None),
            ("hazard", "building_id", None),
            ("hazard_state", "building_id", None),
            ("building_visit", "building_id", None),
            ("visit_day", "building_id", None),
            ("visit_tally", "building_id", None),
        ],
        "unit" => &[
            ("duty", "unit_id", None),
            ("answer", "unit_id", None),
            ("hazard", "unit_id", None),
        ],
        "person" => &[
            ("duty", "person_id", None),
            ("patrol", "inspector_id", None),
            ("hazard", "found_by", None),
            ("roster_change", "entity_id", Some("person")),
        ],
        "duty" => &[("roster_change", "entity_id", Some("duty"))],
        _ => &[],
    }
}

/// Tables whose rows are sealed and may change when ids are merged.
const RESEALED: &[&str] = &[
    "grid",
    "compound",
    "building",
    "unit",
    "duty",
    "answer",
    "hazard",
    "patrol",
    "roster_change",
];

impl Store {
    /// Before a laptop takes in the office's community: each of its own reference rows that
    /// is the same thing as one of the office's (a building by community, compound and name;
    /// a person by name and phone; ...) takes the office's id, everywhere it is referred to,
    /// so that nothing is duplicated and nothing of the laptop's is lost. The old id is kept
    /// in `id_alias` (the event log still names it), and every row changed is sealed anew.
    /// Returns how many rows were merged.
    pub fn merge_into(&mut self, office: &[u8]) -> Result<usize> {
        let columns = synced_columns(&self.conn).map_err(|e| self.db_err(e))?;
        let mut incoming: BTreeMap<String, Vec<BTreeMap<String, Value>>> = BTreeMap::new();
        changeset_rows(office, &columns, |table, row| {
            if NATURAL_KEYS.iter().any(|(t, _)| *t == table) {
                incoming.entry(table.to_string()).or_default().push(
                    row.iter()
                        .map(|(k, v)| ((*k).to_string(), v.clone()))
                        .collect(),
                );
            }
            Ok(())
        })
        .map_err(|e| self.db_err(e))?;
        self.write_uncaptured(|tx| {
            tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
            let mut merged = 0usize;
            let mut touched: Vec<(String, String)> = Vec::new();
            for (table, keys) in NATURAL_KEYS {
                let Some(rows) = incoming.get(*table) else {
                    continue;
                };
                let cond: Vec<String> = keys.iter().map(|k| format!("{k} IS ?")).collect();
                let sql = format!(
                    "SELECT id FROM {table} WHERE {} AND id <> ?",
                    cond.join(" AND ")
                );
                for row in rows {
                    let Some(Value::Text(new_id)) = row.get("id") else {
                        continue;
                    };
                    let mut p: Vec<Value> = keys
                        .iter()
                        .map(|k| row.get(*k).cloned().unwrap_or(Value::Null))
                        .collect();
                    p.push(Value::Text(new_id.clone()));
                    let old: Option<String> = tx
                        .prepare_cached(&sql)?
                        .query_row(rusqlite::params_from_iter(p.iter()), |r| r.get(0))
                        .optional()?;
                    let Some(old) = old else { continue };
                    let there: bool = tx.query_row(
                        &format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?1)"),
                        [new_id],
                        |r| r.get(0),
                    )?;
                    if there {
                        continue;
                    }
                    tx.execute(
                        &format!("UPDATE {table} SET id = ?2 WHERE id = ?1"),
                        params![old, new_id],
                    )?;
                    touched.push((table.to_string(), new_id.clone()));
                    // The old id's seal goes with it (`seal` forgets a row that is gone).
                    touched.push((table.to_string(), old.clone()));
                    for (child, col, entity) in references(table) {
                        let ids: Vec<String> = match entity {
                            Some(e) => tx
                                .prepare(&format!(
                                    "SELECT id FROM {child} WHERE {col} = ?1 AND entity = '{e}'"
                                ))?
                                .query_map([&old], |r| r.get(0))?
                                .collect::<rusqlite::Result<_>>()?,
                            None if DERIVED.contains(child) => Vec::new(),
                            None => tx
                                .prepare(&format!("SELECT id FROM {child} WHERE {col} = ?1"))?
                                .query_map([&old], |r| r.get(0))?
                                .collect::<rusqlite::Result<_>>()?,
                        };
                        let extra = entity
                            .map(|e| format!(" AND entity = '{e}'"))
                            .unwrap_or_default();
                        // A derived row the new id already has stays once.
                        let or = if DERIVED.contains(child) {
                            "OR IGNORE"
                        } else {
                            ""
                        };
                        tx.execute(
                            &format!("UPDATE {or} {child} SET {col} = ?2 WHERE {col} = ?1{extra}"),
                            params![old, new_id],
                        )?;
                        if DERIVED.contains(child) {
                            tx.execute(
                                &format!("DELETE FROM {child} WHERE {col} = ?1"),
                                params![old],
                            )?;
                        }
                        touched.extend(ids.into_iter().map(|i| (child.to_string(), i)));
                    }
                    tx.execute(
                        "INSERT OR REPLACE INTO id_alias (old_id, new_id, tbl) VALUES (?1, ?2, ?3)",
                        params![old, new_id, table],
                    )?;
                    merged += 1;
                }
            }
            touched.sort();
            touched.dedup();
            for (table, id) in &touched {
                if RESEALED.contains(&table.as_str())
                    || NATURAL_KEYS.iter().any(|(t, _)| t == table)
                {
                    seal(tx, table, id)?;
                }
            }
            Ok(merged)
        })
    }
}
