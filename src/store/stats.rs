//! The counts `firepatrol stats` shows, from the tallies (cheap at any size).

use super::Store;
use crate::error::Result;

/// The answers in force counted from the answers themselves: the newest per item of each
/// patrol, not taken back (what `answer_tally` keeps; `check` compares the two).
macro_rules! in_force_answers {
    () => {
        "SELECT 1 FROM (SELECT value, row_number() OVER (
            PARTITION BY patrol_id, building_id, unit_id, item_id ORDER BY seq DESC) AS rn
         FROM answer) WHERE rn = 1 AND value <> 'cleared'"
    };
}
pub(crate) use in_force_answers;

/// SQL: the answers in force per patrol and building, as (patrol, building, count, 0), for
/// visits with any (what `visit_tally` keeps).
macro_rules! visits_in_force {
    () => {
        "SELECT patrol_id, building_id, count(*), 0 FROM (SELECT patrol_id, building_id, value,
            row_number() OVER (PARTITION BY patrol_id, building_id, unit_id, item_id ORDER BY seq DESC) AS rn
         FROM answer) WHERE rn = 1 AND value <> 'cleared' GROUP BY patrol_id, building_id"
    };
}
pub(crate) use visits_in_force;

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
                // Kept by a trigger with every answer (schema, migration 6); a database
                // read as it is on read-only media may be older than the tally.
                answers: one("SELECT ifnull(sum(in_force), 0) FROM answer_tally").or_else(
                    |_| one(concat!("SELECT count(*) FROM (", in_force_answers!(), ")")),
                )?,
                hazards: HazardCounts {
                    total: one(
                        "SELECT ifnull(sum(n), 0) FROM status_tally WHERE status <> 'voided'",
                    )?,
                    open: one("SELECT ifnull(sum(n), 0) FROM open_tally")?,
                    overdue: c.query_row(
                        "SELECT ifnull(sum(n), 0) FROM open_tally WHERE deadline < ?1",
                        [&today],
                        |r| r.get(0),
                    )?,
                    rectified: one(
                        "SELECT ifnull(sum(n), 0) FROM status_tally WHERE status = 'rectified'",
                    )?,
                    escalated: one(
                        "SELECT ifnull(sum(n), 0) FROM status_tally WHERE status = 'escalated'",
                    )?,
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
