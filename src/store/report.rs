//! The queries behind the end-of-day report (`crate::report`): what was answered, found and
//! acted on between two days, narrowed to one leader and/or one grid.

use super::Store;
use super::hazards::{HAZARD_SELECT, HazardRow, hazard_from_row};
use crate::domain::{HazardEventKind, SiteKind};
use crate::error::Result;
use chrono::NaiveDate;
use rusqlite::params;
use std::collections::HashMap;

/// Which part of the records a report covers. Days are inclusive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportScope {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Only this leader's work (person id): their patrols, the hazards they found, the
    /// actions they took.
    pub inspector: Option<String>,
    /// Only buildings in this grid (by name).
    pub grid: Option<String>,
}

impl ReportScope {
    /// The SQL with the scope's optional filters made plain: `(?3 IS NULL OR col = ?3)`
    /// becomes `col = ?3` for a leader (so the planner can use an index on it) or
    /// `?3 IS NULL` without one; the same for the grid (`?4`).
    pub(super) fn narrow(&self, sql: &str) -> String {
        let mut out = sql.to_string();
        for col in ["h.found_by", "e.person_id", "p.inspector_id"] {
            let to = if self.inspector.is_some() {
                format!("{col} = ?3")
            } else {
                "?3 IS NULL".to_string()
            };
            out = out.replace(&format!("(?3 IS NULL OR {col} = ?3)"), &to);
        }
        let to = if self.grid.is_some() {
            "g.name = ?4"
        } else {
            "?4 IS NULL"
        };
        out.replace("(?4 IS NULL OR g.name = ?4)", to)
    }

    pub(super) fn days(&self) -> (String, String) {
        (
            self.from.format("%Y-%m-%d").to_string(),
            self.to.format("%Y-%m-%d").to_string(),
        )
    }
}

/// Open hazards per category (code, count) and per building (compound, building, count).
pub type OpenCountsByPlace = (Vec<(String, i64)>, Vec<(String, String, i64)>);

/// A patrol's (id, leader's name, day, first answer time, last answer time).
pub type PatrolSpan = (String, String, String, String, String);

/// One answer row written in a patrol of the period (superseded ones included: undo and
/// changes count as time on patrol). Oldest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnswerFact {
    pub patrol_id: String,
    pub inspector_id: String,
    pub inspector: String,
    pub day: String,
    pub building_id: String,
    pub unit_id: Option<String>,
    pub item_id: String,
    /// `ok`, `hazard`, `na` or `cleared` (taken back).
    pub value: String,
    pub answered_at: String,
}

/// A building with where it is, for the per-building lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportBuilding {
    pub id: String,
    pub name: String,
    pub compound: String,
    pub grid: String,
    pub kind: SiteKind,
    pub units: i64,
    /// Looked after by the scope's leader (false when the scope has none).
    pub own: bool,
}

/// An event on a hazard within the period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportEvent {
    pub hazard_id: String,
    pub at: String,
    pub by: String,
    pub kind: HazardEventKind,
    pub new_value: Option<String>,
    pub note: String,
    /// The hazard was fixed while the leader was there and this is that rectification.
    pub on_the_spot: bool,
}

impl Store {
    /// Every answer row of the patrols whose day is in the scope, oldest first.
    pub fn report_answers(&self, s: &ReportScope) -> Result<Vec<AnswerFact>> {
        let (from, to) = s.days();
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT a.patrol_id, p.inspector_id, ifnull(pe.name, ''), p.day, a.building_id, a.unit_id,
                        a.item_id, a.value, a.answered_at
                 FROM answer a JOIN patrol p ON p.id = a.patrol_id
                 JOIN building b ON b.id = a.building_id LEFT JOIN grid g ON g.id = b.grid_id
                 LEFT JOIN person pe ON pe.id = p.inspector_id
                 WHERE p.day BETWEEN ?1 AND ?2 AND (?3 IS NULL OR p.inspector_id = ?3)
                   AND (?4 IS NULL OR g.name = ?4)
                 ORDER BY a.seq",
            )
            .map_err(|e| self.db_err(e))?;
        st.query_map(params![from, to, s.inspector, s.grid], |r| {
            Ok(AnswerFact {
                patrol_id: r.get(0)?,
                inspector_id: r.get(1)?,
                inspector: r.get(2)?,
                day: r.get(3)?,
                building_id: r.get(4)?,
                unit_id: r.get(5)?,
                item_id: r.get(6)?,
                value: r.get(7)?,
                answered_at: r.get(8)?,
            })
        })
        .map_err(|e| self.db_err(e))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(|e| self.db_err(e))
    }

    /// Each patrol of the scope's days: (patrol id, leader's name, day, first and last
    /// answer time), over every answer row (undo and changes count as time on patrol).
    pub fn report_spans(&self, s: &ReportScope) -> Result<Vec<PatrolSpan>> {
        let (from, to) = s.days();
        let mut out = Vec::new();
        self.each_row(
            &s.narrow("SELECT a.patrol_id, ifnull(pe.name, ''), p.day, min(a.answered_at), max(a.answered_at)
             FROM answer a JOIN patrol p ON p.id = a.patrol_id
             JOIN building b ON b.id = a.building_id LEFT JOIN grid g ON g.id = b.grid_id
             LEFT JOIN person pe ON pe.id = p.inspector_id
             WHERE p.day BETWEEN ?1 AND ?2 AND (?3 IS NULL OR p.inspector_id = ?3)
               AND (?4 IS NULL OR g.name = ?4)
             GROUP BY a.patrol_id ORDER BY min(a.seq)"),
            params![from, to, s.inspector, s.grid],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            |x| {
                out.push(x);
                Ok(())
            },
        )?;
        Ok(out)
    }

    /// The answers in force (the newest per item of each patrol, not taken back), counted in
    /// SQLite per patrol, building and unit: `f(patrol, building, unit, leader's name, items,
    /// seq of the first of them)`. Memory stays flat for any range.
    pub fn report_in_force(
        &self,
        s: &ReportScope,
        mut f: impl FnMut(String, String, Option<String>, String, i64, i64) -> Result<()>,
    ) -> Result<()> {
        let (from, to) = s.days();
        self.each_row(
            &s.narrow("SELECT patrol_id, building_id, unit_id, ifnull(pe.name, ''), count(*), min(last)
             FROM (SELECT a.patrol_id, a.building_id, a.unit_id, p.inspector_id, a.value, max(a.seq) AS last
                   FROM answer a JOIN patrol p ON p.id = a.patrol_id
                   JOIN building b ON b.id = a.building_id LEFT JOIN grid g ON g.id = b.grid_id
                   WHERE p.day BETWEEN ?1 AND ?2 AND (?3 IS NULL OR p.inspector_id = ?3)
                     AND (?4 IS NULL OR g.name = ?4)
                   GROUP BY a.patrol_id, a.building_id, a.unit_id, a.item_id) x
             LEFT JOIN person pe ON pe.id = x.inspector_id
             WHERE x.value <> 'cleared'
             GROUP BY patrol_id, building_id, unit_id"),
            params![from, to, s.inspector, s.grid],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
            |(p, b, u, n, items, first)| f(p, b, u, n, items, first),
        )
    }

    /// The buildings in the scope's grid (all when it has none), compound then name; for
    /// one leader, only those they look after or patrolled in the period (the others are
    /// neither planned for them nor in their report).
    pub fn report_buildings(&self, s: &ReportScope) -> Result<Vec<ReportBuilding>> {
        let mine = if s.inspector.is_some() {
            "AND (b.id IN (SELECT building_id FROM duty WHERE person_id = ?2)
                  OR b.id IN (SELECT a.building_id FROM patrol p JOIN answer a ON a.patrol_id = p.id
                              WHERE p.day BETWEEN ?3 AND ?4 AND p.inspector_id = ?2))"
        } else {
            "AND ?3 IS NOT NULL AND ?4 IS NOT NULL"
        };
        let (from, to) = s.days();
        let mut st = self
            .conn
            .prepare_cached(&format!(
                "SELECT b.id, b.name, ifnull(c.name, ''), ifnull(g.name, ''), b.kind,
                        (SELECT count(*) FROM unit u WHERE u.building_id = b.id),
                        EXISTS (SELECT 1 FROM duty d WHERE d.building_id = b.id AND d.person_id = ?2)
                 FROM building b LEFT JOIN compound c ON c.id = b.compound_id LEFT JOIN grid g ON g.id = b.grid_id
                 WHERE (?1 IS NULL OR g.name = ?1) {mine}
                 ORDER BY c.name, length(b.name), b.name"
            ))
            .map_err(|e| self.db_err(e))?;
        st.query_map(
            params![s.grid, s.inspector.as_deref().unwrap_or(""), from, to],
            |r| {
                let kind: String = r.get(4)?;
                Ok(ReportBuilding {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    compound: r.get(2)?,
                    grid: r.get(3)?,
                    kind: SiteKind::parse(&kind).unwrap_or(SiteKind::Other),
                    units: r.get(5)?,
                    own: r.get::<_, i64>(6)? != 0,
                })
            },
        )
        .map_err(|e| self.db_err(e))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(|e| self.db_err(e))
    }

    /// The days each building was patrolled (an answer other than a taken-back one), up to
    /// `until`; with a leader, only the buildings they look after. Read from `visit_day`, a
    /// few rows per building, not from the answers.
    pub fn visit_days(
        &self,
        until: NaiveDate,
        leader: Option<&str>,
    ) -> Result<Vec<(String, String)>> {
        let sql = if leader.is_some() {
            "SELECT DISTINCT v.building_id, v.day FROM duty d
             JOIN visit_day v ON v.building_id = d.building_id
             WHERE v.day <= ?1 AND d.person_id = ?2
             ORDER BY v.building_id, v.day"
        } else {
            "SELECT building_id, day FROM visit_day WHERE day <= ?1 AND ?2 IS NULL
             ORDER BY building_id, day"
        };
        let mut st = self.conn.prepare_cached(sql).map_err(|e| self.db_err(e))?;
        st.query_map(params![until.format("%Y-%m-%d").to_string(), leader], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .map_err(|e| self.db_err(e))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(|e| self.db_err(e))
    }

    /// Hazards found in the scope's days (not withdrawn), in the order they were found.
    pub fn report_found(&self, s: &ReportScope) -> Result<Vec<HazardRow>> {
        let (from, to) = s.days();
        self.hazard_rows(
            "h.found_day BETWEEN ?1 AND ?2 AND s.status <> 'voided'
             AND (?3 IS NULL OR h.found_by = ?3) AND (?4 IS NULL OR g.name = ?4)
             ORDER BY h.found_at, h.number",
            params![from, to, s.inspector, s.grid],
        )
    }

    /// Hazards found before the scope's first day, still open, whose deadline day passed
    /// before its last day: the overdue ones carried over.
    pub fn report_overdue(&self, s: &ReportScope) -> Result<Vec<HazardRow>> {
        let (from, to) = s.days();
        self.hazard_rows(
            "s.status IN ('open', 'escalated') AND h.found_day < ?1 AND s.deadline < ?2
             AND (?3 IS NULL OR h.found_by = ?3) AND (?4 IS NULL OR g.name = ?4)
             ORDER BY s.deadline, h.found_at, h.number",
            params![from, to, s.inspector, s.grid],
        )
    }

    /// Hazards currently open or escalated in the scope, counted in SQLite per category and
    /// per building (compound name, building name, count): the report's pictures without
    /// loading the hazards.
    pub fn report_open_counts(&self, s: &ReportScope) -> Result<OpenCountsByPlace> {
        // Without a leader the hazards themselves are not read: categories from the tally
        // (whole community) and buildings from the state's index.
        let cats_sql = match (&s.inspector, &s.grid) {
            (None, None) => {
                "SELECT category, sum(n) FROM open_tally WHERE ?1 IS NULL AND ?2 IS NULL
                 GROUP BY category HAVING sum(n) > 0"
            }
            (None, Some(_)) => {
                "SELECT h.category, count(*) FROM grid g JOIN building b ON b.grid_id = g.id
                 JOIN hazard_state s ON s.building_id = b.id JOIN hazard h ON h.id = s.hazard_id
                 WHERE s.status IN ('open', 'escalated') AND ?1 IS NULL AND g.name = ?2
                 GROUP BY h.category"
            }
            (Some(_), _) => {
                "SELECT h.category, count(*) FROM hazard h JOIN hazard_state s ON s.hazard_id = h.id
                 JOIN building b ON b.id = h.building_id LEFT JOIN grid g ON g.id = b.grid_id
                 WHERE s.status IN ('open', 'escalated') AND h.found_by = ?1
                   AND (?2 IS NULL OR g.name = ?2)
                 GROUP BY h.category"
            }
        };
        let mut cats = Vec::new();
        self.each_row(
            cats_sql,
            params![s.inspector, s.grid],
            |r| Ok((r.get(0)?, r.get(1)?)),
            |x| {
                cats.push(x);
                Ok(())
            },
        )?;
        let places_sql = if s.inspector.is_none() {
            // Counted per building in the state's index (building, status).
            "SELECT ifnull(c.name, ''), b.name, x.n
             FROM (SELECT b.id AS building_id,
                          (SELECT count(*) FROM hazard_state s WHERE s.building_id = b.id
                             AND s.status IN ('open', 'escalated')) AS n
                   FROM building b) x
             JOIN building b ON b.id = x.building_id LEFT JOIN grid g ON g.id = b.grid_id
             LEFT JOIN compound c ON c.id = b.compound_id
             WHERE x.n > 0 AND ?1 IS NULL AND (?2 IS NULL OR g.name = ?2)"
        } else {
            "SELECT ifnull(c.name, ''), b.name, count(*) FROM hazard h JOIN hazard_state s ON s.hazard_id = h.id
             JOIN building b ON b.id = h.building_id LEFT JOIN grid g ON g.id = b.grid_id
             LEFT JOIN compound c ON c.id = b.compound_id
             WHERE s.status IN ('open', 'escalated') AND h.found_by = ?1
               AND (?2 IS NULL OR g.name = ?2)
             GROUP BY h.building_id"
        };
        let mut places = Vec::new();
        self.each_row(
            places_sql,
            params![s.inspector, s.grid],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            |x| {
                places.push(x);
                Ok(())
            },
        )?;
        Ok((cats, places))
    }

    /// Hazards by id, in the order given (unknown ids are skipped).
    pub fn hazards_by_id(&self, ids: &[String]) -> Result<Vec<HazardRow>> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(h) = self.hazard(id)? {
                out.push(h);
            }
        }
        Ok(out)
    }

    fn hazard_rows(&self, clause: &str, p: impl rusqlite::Params) -> Result<Vec<HazardRow>> {
        let mut st = self
            .conn
            .prepare_cached(&format!("{HAZARD_SELECT} WHERE {clause}"))
            .map_err(|e| self.db_err(e))?;
        st.query_map(p, hazard_from_row)
            .map_err(|e| self.db_err(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.db_err(e))
    }

    /// Follow-up events (rectified, still open, extended, escalated, office response,
    /// reopened) on the scope's days, oldest first. The leader filter applies to who acted.
    pub fn report_events(&self, s: &ReportScope) -> Result<Vec<ReportEvent>> {
        let (from, to) = s.days();
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT e.entity_id, e.at, ifnull(p.name, ''), e.action, e.new_value, e.note,
                        h.fixed_on_spot AND e.at = h.found_at
                 FROM event e JOIN hazard h ON h.id = e.entity_id JOIN hazard_state s ON s.hazard_id = h.id
                 JOIN building b ON b.id = h.building_id LEFT JOIN grid g ON g.id = b.grid_id
                 LEFT JOIN person p ON p.id = e.person_id
                 WHERE e.entity = 'hazard' AND substr(e.at, 1, 10) BETWEEN ?1 AND ?2
                   AND e.action IN ('rectified', 'still_open', 'extended', 'escalated', 'office_response', 'reopened')
                   AND s.status <> 'voided'
                   AND (?3 IS NULL OR e.person_id = ?3) AND (?4 IS NULL OR g.name = ?4)
                 ORDER BY e.at, e.device_id, e.seq",
            )
            .map_err(|e| self.db_err(e))?;
        let rows = st
            .query_map(params![from, to, s.inspector, s.grid], |r| {
                let action: String = r.get(3)?;
                Ok((
                    ReportEvent {
                        hazard_id: r.get(0)?,
                        at: r.get(1)?,
                        by: r.get(2)?,
                        kind: HazardEventKind::StillOpen,
                        new_value: r.get(4)?,
                        note: r.get(5)?,
                        on_the_spot: r.get::<_, i64>(6)? != 0,
                    },
                    action,
                ))
            })
            .map_err(|e| self.db_err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (mut ev, action) = row.map_err(|e| self.db_err(e))?;
            if let Some(kind) = HazardEventKind::parse(&action) {
                ev.kind = kind;
                out.push(ev);
            }
        }
        Ok(out)
    }

    /// Hazards found and rectified per day, for `days` days ending on `until` (oldest
    /// first), of the hazards found by the scope's leader in its grid. Rectified counts the
    /// hazards closed as rectified that day and still rectified, as the ledger's trend does.
    /// The whole community's days come from `daily_tally`.
    pub fn report_daily(
        &self,
        s: &ReportScope,
        until: NaiveDate,
        days: i64,
    ) -> Result<Vec<(NaiveDate, i64, i64)>> {
        let start = until - chrono::Duration::days(days - 1);
        let (a, b) = (
            start.format("%Y-%m-%d").to_string(),
            until.format("%Y-%m-%d").to_string(),
        );
        let mut per_day: HashMap<String, (i64, i64)> = HashMap::new();
        let mut add = |sql: &str, rectified: bool| -> Result<()> {
            self.each_row(
                &s.narrow(sql),
                params![a, b, s.inspector, s.grid],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)),
                |(day, n)| {
                    let e = per_day.entry(day).or_default();
                    if rectified {
                        e.1 += n
                    } else {
                        e.0 += n
                    }
                    Ok(())
                },
            )
        };
        match (&s.inspector, &s.grid) {
            (None, None) => {
                let tally =
                    "FROM daily_tally WHERE day BETWEEN ?1 AND ?2 AND ?3 IS NULL AND ?4 IS NULL";
                add(&format!("SELECT day, found {tally}"), false)?;
                add(&format!("SELECT day, rectified {tally}"), true)?;
            }
            _ => {
                add(
                    "SELECT h.found_day, count(*) FROM hazard h JOIN hazard_state s ON s.hazard_id = h.id
                     JOIN building b ON b.id = h.building_id LEFT JOIN grid g ON g.id = b.grid_id
                     WHERE h.found_day BETWEEN ?1 AND ?2 AND s.status <> 'voided'
                       AND (?3 IS NULL OR h.found_by = ?3) AND (?4 IS NULL OR g.name = ?4)
                     GROUP BY h.found_day",
                    false,
                )?;
                let fixed = "SELECT s.closed_day, count(*) FROM hazard h JOIN hazard_state s ON s.hazard_id = h.id
                     JOIN building b ON b.id = h.building_id LEFT JOIN grid g ON g.id = b.grid_id
                     WHERE s.status = 'rectified' AND s.closed_day BETWEEN ?1 AND ?2
                       AND (?3 IS NULL OR h.found_by = ?3) AND (?4 IS NULL OR g.name = ?4)
                     GROUP BY s.closed_day";
                add(fixed, true)?;
            }
        }
        Ok((0..days)
            .map(|k| {
                let d = start + chrono::Duration::days(k);
                let (found, fixed) = per_day
                    .get(&d.format("%Y-%m-%d").to_string())
                    .copied()
                    .unwrap_or((0, 0));
                (d, found, fixed)
            })
            .collect())
    }

    /// The grids of the community, by name.
    pub fn grid_names(&self) -> Result<Vec<String>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT name FROM grid ORDER BY name")
            .map_err(|e| self.db_err(e))?;
        st.query_map([], |r| r.get(0))
            .map_err(|e| self.db_err(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.db_err(e))
    }
}
