//! The report's hazard lists read one row at a time (`crate::report` writes each as it is
//! read, so memory stays flat for any range), and the counts of its summary made in SQLite
//! instead of from the lists.

use super::Store;
use super::hazards::{
    HAZARD_SELECT, HazardRow, hazard_columns, hazard_from_row, hazard_joins, hazard_select,
};
use super::report::{ReportEvent, ReportScope};
use crate::domain::HazardEventKind;
use crate::error::Result;
use chrono::NaiveDate;
use rusqlite::params;

/// Found in the scope's days and not withdrawn (parameters: from, to, leader, grid).
const FOUND: &str = "h.found_day BETWEEN ?1 AND ?2 AND s.status <> 'voided'
    AND (?3 IS NULL OR h.found_by = ?3) AND (?4 IS NULL OR g.name = ?4)";

/// Found before the first day, still open, past the deadline before the last day.
const OVERDUE: &str = "s.status IN ('open', 'escalated') AND h.found_day < ?1 AND s.deadline < ?2
    AND (?3 IS NULL OR h.found_by = ?3) AND (?4 IS NULL OR g.name = ?4)";

/// The follow-up actions of the period, by the leader, on hazards in the grid, not withdrawn;
/// `e`, `h`, `s`, `b`, `g` joined. The period's events are read by their day (`event_day`),
/// never through the escalations' small index, which holds every day's.
macro_rules! acted {
    () => {
        "FROM event e INDEXED BY event_day JOIN hazard h ON h.id = e.entity_id JOIN hazard_state s ON s.hazard_id = h.id
         JOIN building b ON b.id = h.building_id LEFT JOIN grid g ON g.id = b.grid_id
         WHERE e.entity = 'hazard' AND substr(e.at, 1, 10) BETWEEN ?1 AND ?2
           AND e.action IN ('rectified', 'still_open', 'extended', 'escalated', 'office_response', 'reopened')
           AND s.status <> 'voided' AND (?3 IS NULL OR e.person_id = ?3) AND (?4 IS NULL OR g.name = ?4)"
    };
}

/// Not the rectification made while the leader was there (it belongs to the finding).
const NOT_ON_THE_SPOT: &str = "NOT (h.fixed_on_spot AND e.at = h.found_at)";

/// Hazards acted on in the period that are not in the found list, with the `seq` of their
/// first action: the followed-up list.
macro_rules! followed {
    () => {
        concat!(
            "SELECT e.entity_id AS hid, min(e.seq) AS first ",
            acted!(),
            " AND NOT (h.fixed_on_spot AND e.at = h.found_at)
              AND NOT (h.found_day BETWEEN ?1 AND ?2 AND (?3 IS NULL OR h.found_by = ?3))
             GROUP BY e.entity_id"
        )
    };
}

/// Found hazards counted by what the summary tells apart: (severity code, category, fixed
/// on the spot, recurring, still open, count).
pub type FoundGroup = (String, String, bool, bool, bool, i64);

/// Counts behind the summary and the lists' headings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReportCounts {
    /// Rectified in the period (not on the spot), and not reopened after.
    pub rectified: i64,
    pub extended: i64,
    pub escalated: i64,
    pub followed_up: i64,
    /// Overdue carried over, followed up or not.
    pub overdue_carried: i64,
    /// Overdue carried over and not followed up (the overdue list).
    pub overdue_listed: i64,
}

impl Store {
    fn rows_each(
        &self,
        sql: &str,
        s: &ReportScope,
        mut f: impl FnMut(&HazardRow) -> Result<()>,
    ) -> Result<usize> {
        let (from, to) = s.days();
        let mut st = self
            .conn
            .prepare_cached(&s.narrow(sql))
            .map_err(|e| self.db_err(e))?;
        let mut rows = st
            .query(params![from, to, s.inspector, s.grid])
            .map_err(|e| self.db_err(e))?;
        let mut n = 0;
        while let Some(r) = rows.next().map_err(|e| self.db_err(e))? {
            f(&hazard_from_row(r).map_err(|e| self.db_err(e))?)?;
            n += 1;
        }
        Ok(n)
    }

    /// Each hazard found in the scope's days (not withdrawn), in the order found, with what
    /// was done to it in the period (as [`Store::report_actions`]), read in the same query.
    pub fn report_found_each(
        &self,
        s: &ReportScope,
        mut f: impl FnMut(&HazardRow, Vec<ReportEvent>) -> Result<()>,
    ) -> Result<usize> {
        let (from, to) = s.days();
        let sql = format!(
            "{}, e.at, ifnull(pa.name, ''), e.action, e.new_value, e.note
             FROM hazard h JOIN hazard_state s ON s.hazard_id = h.id {}
             LEFT JOIN event e INDEXED BY event_entity ON e.entity = 'hazard' AND e.entity_id = h.id
               AND substr(e.at, 1, 10) BETWEEN ?1 AND ?2
               AND e.action IN ('rectified', 'still_open', 'extended', 'escalated', 'office_response', 'reopened')
               AND (?3 IS NULL OR e.person_id = ?3) AND {NOT_ON_THE_SPOT}
             LEFT JOIN person pa ON pa.id = e.person_id
             WHERE {FOUND} ORDER BY h.found_at, h.number, h.id, e.seq",
            hazard_columns!(),
            hazard_joins!()
        );
        let mut st = self
            .conn
            .prepare_cached(&s.narrow(&sql))
            .map_err(|e| self.db_err(e))?;
        let mut rows = st
            .query(params![from, to, s.inspector, s.grid])
            .map_err(|e| self.db_err(e))?;
        let mut n = 0;
        let mut current: Option<(HazardRow, Vec<ReportEvent>)> = None;
        while let Some(r) = rows.next().map_err(|e| self.db_err(e))? {
            let id: String = r.get(0).map_err(|e| self.db_err(e))?;
            if current.as_ref().is_none_or(|(h, _)| h.id != id) {
                if let Some((h, events)) = current.take() {
                    f(&h, events)?;
                    n += 1;
                }
                current = Some((hazard_from_row(r).map_err(|e| self.db_err(e))?, Vec::new()));
            }
            let at: Option<String> = r.get(25).map_err(|e| self.db_err(e))?;
            let action: Option<String> = r.get(27).map_err(|e| self.db_err(e))?;
            if let (Some(at), Some(kind), Some((_, events))) = (
                at,
                action.as_deref().and_then(HazardEventKind::parse),
                current.as_mut(),
            ) {
                let get = |k| r.get::<_, String>(k).map_err(|e| self.db_err(e));
                events.push(ReportEvent {
                    hazard_id: id,
                    at,
                    by: get(26)?,
                    kind,
                    new_value: r.get(28).map_err(|e| self.db_err(e))?,
                    note: get(29)?,
                    on_the_spot: false,
                });
            }
        }
        if let Some((h, events)) = current {
            f(&h, events)?;
            n += 1;
        }
        Ok(n)
    }

    /// Each hazard acted on in the period and not in the found list, in the order of its
    /// first action.
    pub fn report_followed_each(
        &self,
        s: &ReportScope,
        f: impl FnMut(&HazardRow) -> Result<()>,
    ) -> Result<usize> {
        let from = concat!(
            "(",
            followed!(),
            ") f JOIN hazard h ON h.id = f.hid JOIN hazard_state s ON s.hazard_id = h.id"
        );
        let sql = format!("{} ORDER BY f.first", hazard_select(from));
        self.rows_each(&sql, s, f)
    }

    /// Each overdue hazard carried over that was not followed up in the period, by deadline.
    pub fn report_overdue_each(
        &self,
        s: &ReportScope,
        f: impl FnMut(&HazardRow) -> Result<()>,
    ) -> Result<usize> {
        let sql = format!(
            "{HAZARD_SELECT} WHERE {OVERDUE} AND h.id NOT IN (SELECT hid FROM ({})) \
             ORDER BY s.deadline, h.found_at, h.number",
            followed!()
        );
        self.rows_each(&sql, s, f)
    }

    /// What was done to one hazard in the period (by the leader), oldest first, without the
    /// rectification made on the spot.
    pub fn report_actions(&self, s: &ReportScope, hazard_id: &str) -> Result<Vec<ReportEvent>> {
        let (from, to) = s.days();
        let mut st = self
            .conn
            .prepare_cached(&s.narrow(
                "SELECT e.at, ifnull(p.name, ''), e.action, e.new_value, e.note
                 FROM event e INDEXED BY event_entity JOIN hazard h ON h.id = e.entity_id
                 LEFT JOIN person p ON p.id = e.person_id
                 WHERE e.entity = 'hazard' AND e.entity_id = ?5
                   AND substr(e.at, 1, 10) BETWEEN ?1 AND ?2
                   AND e.action IN ('rectified', 'still_open', 'extended', 'escalated', 'office_response', 'reopened')
                   AND (?3 IS NULL OR e.person_id = ?3)
                   AND NOT (h.fixed_on_spot AND e.at = h.found_at)
                 ORDER BY e.seq",
            ))
            .map_err(|e| self.db_err(e))?;
        let mut rows = st
            .query(params![from, to, s.inspector, s.grid, hazard_id])
            .map_err(|e| self.db_err(e))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(|e| self.db_err(e))? {
            let action: String = r.get(2).map_err(|e| self.db_err(e))?;
            let Some(kind) = HazardEventKind::parse(&action) else {
                continue;
            };
            let get = |k| r.get::<_, String>(k).map_err(|e| self.db_err(e));
            out.push(ReportEvent {
                hazard_id: hazard_id.to_string(),
                at: get(0)?,
                by: get(1)?,
                kind,
                new_value: r.get(3).map_err(|e| self.db_err(e))?,
                note: get(4)?,
                on_the_spot: false,
            });
        }
        Ok(out)
    }

    /// The hazards found in the scope's days, grouped by what the summary counts.
    pub fn report_found_groups(&self, s: &ReportScope) -> Result<Vec<FoundGroup>> {
        let (from, to) = s.days();
        let mut out = Vec::new();
        self.each_row(
            &s.narrow(&format!(
                "SELECT h.severity, h.category, h.fixed_on_spot <> 0, h.recurrence > 0,
                        s.status IN ('open', 'escalated'), count(*)
                 FROM hazard h JOIN hazard_state s ON s.hazard_id = h.id
                 JOIN building b ON b.id = h.building_id LEFT JOIN grid g ON g.id = b.grid_id
                 WHERE {FOUND} GROUP BY 1, 2, 3, 4, 5"
            )),
            params![from, to, s.inspector, s.grid],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
            |x| {
                out.push(x);
                Ok(())
            },
        )?;
        Ok(out)
    }

    /// Hazards found in the scope's days per building (building id, count).
    pub fn report_found_per_building(&self, s: &ReportScope) -> Result<Vec<(String, i64)>> {
        let (from, to) = s.days();
        let mut out = Vec::new();
        self.each_row(
            &s.narrow(&format!(
                "SELECT h.building_id, count(*) FROM hazard h JOIN hazard_state s ON s.hazard_id = h.id
                 JOIN building b ON b.id = h.building_id LEFT JOIN grid g ON g.id = b.grid_id
                 WHERE {FOUND} GROUP BY h.building_id"
            )),
            params![from, to, s.inspector, s.grid],
            |r| Ok((r.get(0)?, r.get(1)?)),
            |x| {
                out.push(x);
                Ok(())
            },
        )?;
        Ok(out)
    }

    /// The counts of actions and of the lists of followed-up and overdue hazards.
    pub fn report_counts(&self, s: &ReportScope) -> Result<ReportCounts> {
        let (from, to) = s.days();
        let p = params![from, to, s.inspector, s.grid];
        let one = |sql: &str| -> Result<i64> {
            let mut st = self
                .conn
                .prepare_cached(&s.narrow(sql))
                .map_err(|e| self.db_err(e))?;
            st.query_row(p, |r| r.get(0)).map_err(|e| self.db_err(e))
        };
        let overdue_carried = if s.inspector.is_none() && s.grid.is_none() {
            // Open past the deadline from the tally, less those found in the period (found
            // on or after the first day; none is found after its deadline).
            one(
                "SELECT (SELECT ifnull(sum(n), 0) FROM open_tally WHERE deadline < ?2)
                      - (SELECT count(*) FROM hazard h JOIN hazard_state s ON s.hazard_id = h.id
                         WHERE h.found_day >= ?1 AND s.status IN ('open', 'escalated')
                           AND s.deadline < ?2)
                 WHERE ?3 IS NULL AND ?4 IS NULL",
            )?
        } else {
            one(&format!(
                "SELECT count(*) FROM hazard h JOIN hazard_state s ON s.hazard_id = h.id
                 JOIN building b ON b.id = h.building_id LEFT JOIN grid g ON g.id = b.grid_id
                 WHERE {OVERDUE}"
            ))?
        };
        Ok(ReportCounts {
            // Rectified, then reopened: no longer counted as rectified.
            rectified: one(&format!(
                "SELECT count(*) FROM (SELECT e.action AS last, max(e.seq) {} AND
                   (e.action = 'reopened' OR (e.action = 'rectified' AND {NOT_ON_THE_SPOT}))
                   GROUP BY e.entity_id) WHERE last = 'rectified'",
                acted!()
            ))?,
            extended: one(concat!(
                "SELECT count(DISTINCT e.entity_id) ",
                acted!(),
                " AND e.action = 'extended'"
            ))?,
            escalated: one(concat!(
                "SELECT count(DISTINCT e.entity_id) ",
                acted!(),
                " AND e.action = 'escalated'"
            ))?,
            followed_up: one(concat!("SELECT count(*) FROM (", followed!(), ")"))?,
            overdue_carried,
            // Those followed up are few (a day's events): counted and taken off.
            overdue_listed: overdue_carried
                - one(&format!(
                    "SELECT count(*) FROM ({}) f JOIN hazard h ON h.id = f.hid
                 JOIN hazard_state s ON s.hazard_id = h.id
                 JOIN building b ON b.id = h.building_id LEFT JOIN grid g ON g.id = b.grid_id
                 WHERE {OVERDUE}",
                    followed!()
                ))?,
        })
    }

    /// Every responsible party's name on record (to mask them wherever they are written in
    /// a shared report's free text, whichever hazard they belong to). Read from the index on
    /// the names, one step per distinct name, not one per hazard.
    pub fn party_names(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        self.each_row(
            "WITH RECURSIVE n(name) AS (
                 SELECT min(party_name) FROM hazard WHERE party_name > ''
                 UNION ALL
                 SELECT (SELECT min(party_name) FROM hazard WHERE party_name > n.name)
                 FROM n WHERE n.name IS NOT NULL)
             SELECT name FROM n WHERE name IS NOT NULL",
            [],
            |r| r.get(0),
            |x| {
                out.push(x);
                Ok(())
            },
        )?;
        Ok(out)
    }

    /// The `n` most urgent open hazards of each list, for the chat text: (found, followed
    /// up and overdue as of `today`, overdue carried over), most urgent first (severity, days
    /// overdue as of `today`, number). Only these rows are read.
    pub fn report_urgent(
        &self,
        s: &ReportScope,
        today: NaiveDate,
        n: usize,
    ) -> Result<[Vec<HazardRow>; 3]> {
        let (from, to) = s.days();
        let today = today.format("%Y-%m-%d").to_string();
        let n = i64::try_from(n).unwrap_or(i64::MAX);
        let order = "ORDER BY h.severity_rank, min(s.deadline, ?5), h.number LIMIT ?6";
        let followed = concat!(
            "(",
            followed!(),
            ") f JOIN hazard h ON h.id = f.hid JOIN hazard_state s ON s.hazard_id = h.id"
        );
        let sqls = [
            format!("{HAZARD_SELECT} WHERE {FOUND} AND s.status IN ('open', 'escalated') {order}"),
            format!(
                "{} WHERE s.status IN ('open', 'escalated') AND s.deadline < ?5 {order}",
                hazard_select(followed)
            ),
            format!(
                "{HAZARD_SELECT} WHERE {OVERDUE} AND h.id NOT IN (SELECT hid FROM ({})) {order}",
                followed!()
            ),
        ];
        let mut out: [Vec<HazardRow>; 3] = Default::default();
        // The overdue carried over are many (all of the district's open hazards past their
        // deadline). When the period has ended by `today`, every one of them is past its
        // deadline as of today, so "most urgent" is by severity, deadline and number: the
        // first few of each severity and status walked in the order of the state's index
        // (status, deadline), then merged.
        // (One leader's overdue are few: read through who found them, sorted whole.)
        let fast_overdue = s.to <= self.clock.today() && s.inspector.is_none();
        let (sqls, overdue_sql) = if fast_overdue {
            let arm = |status: &str, rank: i64| {
                format!(
                    "SELECT * FROM ({HAZARD_SELECT} WHERE {OVERDUE} AND s.status = '{status}'
                       AND +h.severity_rank = {rank} AND h.id NOT IN (SELECT hid FROM f)
                     ORDER BY s.deadline, h.number LIMIT ?6)"
                )
            };
            let arms: Vec<String> = ["open", "escalated"]
                .iter()
                .flat_map(|st| (0..4).map(move |rank| arm(st, rank)))
                .collect();
            let sql = format!(
                "WITH f(hid) AS MATERIALIZED (SELECT hid FROM ({})) {}",
                followed!(),
                arms.join(" UNION ALL ")
            );
            (&sqls[..2], Some(sql))
        } else {
            (&sqls[..], None)
        };
        if let Some(sql) = overdue_sql {
            let mut rows = Vec::new();
            self.each_row(
                &s.narrow(&sql),
                params![from, to, s.inspector, s.grid, today, n],
                hazard_from_row,
                |h| {
                    rows.push(h);
                    Ok(())
                },
            )?;
            rows.sort_by(|a, b| {
                (std::cmp::Reverse(a.severity), &a.deadline, &a.number).cmp(&(
                    std::cmp::Reverse(b.severity),
                    &b.deadline,
                    &b.number,
                ))
            });
            rows.truncate(usize::try_from(n).unwrap_or(usize::MAX));
            out[2] = rows;
        }
        for (sql, list) in sqls.iter().zip(out.iter_mut()) {
            let mut st = self
                .conn
                .prepare_cached(&s.narrow(sql))
                .map_err(|e| self.db_err(e))?;
            let rows = st
                .query_map(
                    params![from, to, s.inspector, s.grid, today, n],
                    hazard_from_row,
                )
                .map_err(|e| self.db_err(e))?;
            for r in rows {
                list.push(r.map_err(|e| self.db_err(e))?);
            }
        }
        Ok(out)
    }

    /// How many hazards the chat text counts as needing action: (found in the period and
    /// still open, followed up and still open past the deadline as of `today`). The overdue
    /// carried over are all open ([`ReportCounts::overdue_listed`]).
    pub fn report_act_on_counts(&self, s: &ReportScope, today: NaiveDate) -> Result<(i64, i64)> {
        let (from, to) = s.days();
        let today = today.format("%Y-%m-%d").to_string();
        let p = params![from, to, s.inspector, s.grid, today];
        let one = |sql: &str| -> Result<i64> {
            let mut st = self
                .conn
                .prepare_cached(&s.narrow(sql))
                .map_err(|e| self.db_err(e))?;
            st.query_row(p, |r| r.get(0)).map_err(|e| self.db_err(e))
        };
        Ok((
            one(&format!(
                "SELECT count(*) FROM hazard h JOIN hazard_state s ON s.hazard_id = h.id
                 JOIN building b ON b.id = h.building_id LEFT JOIN grid g ON g.id = b.grid_id
                 WHERE {FOUND} AND s.status IN ('open', 'escalated') AND ?5 IS NOT NULL"
            ))?,
            one(concat!(
                "SELECT count(*) FROM (",
                followed!(),
                ") f JOIN hazard_state s ON s.hazard_id = f.hid
                 WHERE s.status IN ('open', 'escalated') AND s.deadline < ?5"
            ))?,
        ))
    }
}
