//! Patrols and answers. Answers are only inserted: the newest per item is in force.

use super::hazard_state::append_hazard_event;
use super::journal::seal;
use super::{OpenCounts, Store, building_from_row};
use crate::domain::walk::{Answers, Slot};
use crate::domain::{AnswerValue, HazardEventKind, SiteKind, default_patrol_interval, new_id};
use crate::error::Result;
use rusqlite::{OptionalExtension, Transaction, params};
use std::collections::HashMap;

/// Where a leader stopped: the newest answer written on this database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LastPosition {
    pub patrol_id: String,
    pub inspector_id: String,
    pub day: String,
    pub slot: Slot,
}

/// One building in the day's plan or the picker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildingSummary {
    pub building: super::Building,
    pub units: i64,
    pub last_day: Option<String>,
    pub open: i64,
    pub due_today: i64,
    pub overdue: i64,
    /// Looked after by the current leader.
    pub own: bool,
    /// Whether `open`, `due_today` and `overdue` were loaded (they are loaded for the rows
    /// on screen only: see `building_counts`).
    pub counted: bool,
    /// Due for a patrol today (never patrolled, or the interval has passed).
    pub due_for_patrol: bool,
}

impl Store {
    /// The patrol of this leader today, created if there is none yet.
    pub fn patrol_for(&mut self, inspector_id: &str) -> Result<String> {
        let day = self.clock.today().format("%Y-%m-%d").to_string();
        let at = self.now_stamp();
        let device = self.device_id.clone();
        self.write(|tx| {
            if let Some(id) = tx
                .query_row(
                    "SELECT id FROM patrol WHERE inspector_id = ?1 AND day = ?2 AND device_id = ?3",
                    params![inspector_id, day, device],
                    |r| r.get::<_, String>(0),
                )
                .optional()?
            {
                return Ok(id);
            }
            let id = new_id();
            tx.execute(
                "INSERT INTO patrol (id, inspector_id, day, started_at, device_id) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, inspector_id, day, at, device],
            )?;
            seal(tx, "patrol", &id)?;
            Ok(id)
        })
    }

    /// Save one answer (or an undo, as the value the item goes back to). When `void_hazard` is
    /// given, that hazard is withdrawn in the same transaction (undo of a hazard answer).
    /// Durable when this returns.
    pub fn record_answer(
        &mut self,
        patrol_id: &str,
        slot: &Slot,
        value: AnswerValue,
        void_hazard: Option<&str>,
        by: Option<&str>,
    ) -> Result<()> {
        let at = self.now_stamp();
        let day = self.clock.today().format("%Y-%m-%d").to_string();
        let device = self.device_id.clone();
        self.write(|tx| {
            insert_answer(tx, &device, &at, &day, patrol_id, slot, value, None)?;
            if let Some(h) = void_hazard {
                append_hazard_event(
                    tx,
                    &device,
                    &at,
                    h,
                    HazardEventKind::Voided,
                    by,
                    None,
                    None,
                    "",
                )?;
            }
            Ok(())
        })
    }

    /// Several items answered alike ("the rest of this list is OK"): every answer is its own
    /// row, all in one transaction (all saved, or none).
    pub fn record_answers(
        &mut self,
        patrol_id: &str,
        slots: &[Slot],
        value: AnswerValue,
    ) -> Result<()> {
        let at = self.now_stamp();
        let day = self.clock.today().format("%Y-%m-%d").to_string();
        let device = self.device_id.clone();
        self.write(|tx| {
            for slot in slots {
                insert_answer(tx, &device, &at, &day, patrol_id, slot, value, None)?;
            }
            Ok(())
        })
    }

    /// The answers in force for a building in a patrol.
    pub fn answers(&self, patrol_id: &str, building_id: &str) -> Result<Answers> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT unit_id, item_id, value FROM answer WHERE patrol_id = ?1 AND building_id = ?2 ORDER BY seq",
            )
            .map_err(|e| self.db_err(e))?;
        let rows = st
            .query_map([patrol_id, building_id], |r| {
                Ok((
                    r.get::<_, Option<String>>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .map_err(|e| self.db_err(e))?;
        let mut out = Answers::new();
        for r in rows {
            let (unit, item, value) = r.map_err(|e| self.db_err(e))?;
            match AnswerValue::parse(&value) {
                Some(AnswerValue::Cleared) | None => {
                    out.remove(&(unit, item));
                }
                Some(v) => {
                    out.insert((unit, item), v);
                }
            }
        }
        Ok(out)
    }

    /// The hazard recorded by the answer in force for a slot, if that answer is "hazard".
    pub fn hazard_of_answer(&self, patrol_id: &str, slot: &Slot) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT hazard_id FROM answer WHERE patrol_id = ?1 AND building_id = ?2
                 AND ifnull(unit_id, '') = ifnull(?3, '') AND item_id = ?4 ORDER BY seq DESC LIMIT 1",
                params![patrol_id, slot.building_id, slot.unit_id, slot.item_id],
                |r| r.get::<_, Option<String>>(0),
            )
            .optional()
            .map(Option::flatten)
            .map_err(|e| self.db_err(e))
    }

    /// The newest answer written on this database (to offer resuming).
    pub fn last_position(&self) -> Result<Option<LastPosition>> {
        self.conn
            .query_row(
                "SELECT a.patrol_id, p.inspector_id, p.day, a.building_id, a.unit_id, a.item_id
                 FROM answer a JOIN patrol p ON p.id = a.patrol_id
                 WHERE a.device_id = ?1 ORDER BY a.seq DESC LIMIT 1",
                [&self.device_id],
                |r| {
                    Ok(LastPosition {
                        patrol_id: r.get(0)?,
                        inspector_id: r.get(1)?,
                        day: r.get(2)?,
                        slot: Slot {
                            building_id: r.get(3)?,
                            unit_id: r.get(4)?,
                            item_id: r.get(5)?,
                        },
                    })
                },
            )
            .optional()
            .map_err(|e| self.db_err(e))
    }

    /// Days between two patrols of a building of this kind (setting `interval.<kind>`).
    pub fn patrol_interval(&self, kind: SiteKind) -> Result<u32> {
        Ok(self
            .meta(super::meta::MetaKey::PatrolInterval(kind))?
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| default_patrol_interval(kind)))
    }

    /// Every building with what the plan and the picker show, but the hazard counts (see
    /// `building_counts`, for the rows on screen). `person_id` marks the leader's own
    /// buildings. Ordered: own first, then compound and name.
    pub fn building_summaries(&self, person_id: Option<&str>) -> Result<Vec<BuildingSummary>> {
        let today = self.clock.today();
        let intervals: HashMap<SiteKind, u32> = SiteKind::ALL
            .iter()
            .map(|k| Ok((*k, self.patrol_interval(*k)?)))
            .collect::<Result<_>>()?;
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT b.id, b.name, ifnull(c.name, ''), ifnull(g.name, ''), m.name, b.address, b.kind, b.floors, b.search_keys,
                        (SELECT count(*) FROM unit u WHERE u.building_id = b.id),
                        v.last_day,
                        EXISTS (SELECT 1 FROM duty d WHERE d.building_id = b.id AND d.person_id = ?1)
                 FROM building b
                 LEFT JOIN compound c ON c.id = b.compound_id
                 LEFT JOIN grid g ON g.id = b.grid_id
                 JOIN community m ON m.id = b.community_id
                 LEFT JOIN building_visit v ON v.building_id = b.id
                 ORDER BY 12 DESC, c.name, length(b.name), b.name",
            )
            .map_err(|e| self.db_err(e))?;
        let rows = st
            .query_map(params![person_id.unwrap_or("")], |r| {
                let building = building_from_row(r)?;
                Ok((
                    building,
                    r.get(9)?,
                    r.get::<_, Option<String>>(10)?,
                    r.get(11)?,
                ))
            })
            .map_err(|e| self.db_err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (building, units, last_day, own) = row.map_err(|e| self.db_err(e))?;
            let interval = intervals.get(&building.kind).copied().unwrap_or(7);
            let due_for_patrol = match last_day
                .as_deref()
                .and_then(crate::domain::day::parse_stored)
            {
                None => true,
                Some(d) => (today - d).num_days() >= i64::from(interval),
            };
            out.push(BuildingSummary {
                building,
                units,
                last_day,
                open: 0,
                due_today: 0,
                overdue: 0,
                own,
                due_for_patrol,
                counted: false,
            });
        }
        Ok(out)
    }

    /// Open, due-today and overdue hazards of some buildings (a covering index per building).
    pub fn building_counts(&self, building_ids: &[&str]) -> Result<Vec<OpenCounts>> {
        let t = self.clock.today().format("%Y-%m-%d").to_string();
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT count(*), ifnull(sum(deadline = ?2), 0), ifnull(sum(deadline < ?2), 0) FROM hazard_state
                 WHERE building_id = ?1 AND status IN ('open', 'escalated')",
            )
            .map_err(|e| self.db_err(e))?;
        building_ids
            .iter()
            .map(|id| {
                st.query_row(params![id, t], OpenCounts::from_row)
                    .map_err(|e| self.db_err(e))
            })
            .collect()
    }

    /// `building_summaries` with every count loaded (for small lists and tests).
    pub fn building_summaries_counted(
        &self,
        person_id: Option<&str>,
    ) -> Result<Vec<BuildingSummary>> {
        let mut all = self.building_summaries(person_id)?;
        let ids: Vec<String> = all.iter().map(|b| b.building.id.clone()).collect();
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        for (b, c) in all.iter_mut().zip(self.building_counts(&refs)?) {
            (b.open, b.due_today, b.overdue, b.counted) = (c.open, c.due_today, c.overdue, true);
        }
        Ok(all)
    }

    /// Buildings answered in a patrol (for the day's progress).
    pub fn patrol_progress(&self, patrol_id: &str) -> Result<i64> {
        self.conn
            .query_row(
                "SELECT count(*) FROM (SELECT value, row_number() OVER (
                    PARTITION BY building_id, unit_id, item_id ORDER BY seq DESC) AS rn
                 FROM answer WHERE patrol_id = ?1) WHERE rn = 1 AND value <> 'cleared'",
                [patrol_id],
                |r| r.get(0),
            )
            .map_err(|e| self.db_err(e))
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn insert_answer(
    tx: &Transaction,
    device: &str,
    at: &str,
    day: &str,
    patrol_id: &str,
    slot: &Slot,
    value: AnswerValue,
    hazard_id: Option<&str>,
) -> rusqlite::Result<()> {
    let id = new_id();
    tx.execute(
        "INSERT INTO answer (id, seq, patrol_id, building_id, unit_id, item_id, value, hazard_id, answered_at, device_id)
         VALUES (?1, (SELECT ifnull(max(seq), 0) + 1 FROM answer), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![id, patrol_id, slot.building_id, slot.unit_id, slot.item_id, value.code(), hazard_id, at, device],
    )?;
    seal(tx, "answer", &id)?;
    tx.execute(
        "INSERT INTO building_visit (building_id, last_day) VALUES (?1, ?2)
         ON CONFLICT (building_id) DO UPDATE SET last_day = max(last_day, excluded.last_day)",
        params![slot.building_id, day],
    )?;
    Ok(())
}
