//! The counts `firepatrol stats` shows.

use super::Store;
use crate::error::Result;

impl Store {
    pub fn stats(&self) -> Result<Stats> {
        let today = self.clock.today().format("%Y-%m-%d").to_string();
        let c = &self.conn;
        let one = |sql: &str| -> rusqlite::Result<i64> { c.query_row(sql, [], |r| r.get(0)) };
        let s = (|| -> rusqlite::Result<Stats> {
            Ok(Stats {
                buildings: one("SELECT count(*) FROM building")?,
                units: one("SELECT count(*) FROM unit")?,
                people: one("SELECT count(*) FROM person")?,
                patrols: one("SELECT count(*) FROM patrol")?,
                answers: one(
                    "SELECT count(*) FROM (SELECT value, row_number() OVER (
                        PARTITION BY patrol_id, building_id, unit_id, item_id ORDER BY seq DESC) AS rn
                     FROM answer) WHERE rn = 1 AND value <> 'cleared'",
                )?,
                hazards: HazardCounts {
                    total: one("SELECT ifnull(sum(n), 0) FROM status_tally WHERE status <> 'voided'")?,
                    open: one("SELECT ifnull(sum(n), 0) FROM open_tally")?,
                    overdue: c.query_row(
                        "SELECT ifnull(sum(n), 0) FROM open_tally WHERE deadline < ?1",
                        [&today],
                        |r| r.get(0),
                    )?,
                    rectified: one("SELECT ifnull(sum(n), 0) FROM status_tally WHERE status = 'rectified'")?,
                    escalated: one("SELECT ifnull(sum(n), 0) FROM status_tally WHERE status = 'escalated'")?,
                },
            })
        })();
        s.map_err(|e| self.db_err(e))
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    pub buildings: i64,
    pub units: i64,
    pub people: i64,
    pub patrols: i64,
    /// Items answered (the answer in force, undone answers not counted).
    pub answers: i64,
    pub hazards: HazardCounts,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct HazardCounts {
    pub total: i64,
    /// Open or escalated (not yet rectified).
    pub open: i64,
    pub overdue: i64,
    pub rectified: i64,
    pub escalated: i64,
}
