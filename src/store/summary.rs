//! The queries behind the office's monthly summary (月度汇总, `crate::report::summary`).
//!
//! Every count is a GROUP BY in SQLite at the grain of one building and one person (the
//! building's leader, the patroller or the finder); the rows are handed one at a time to a
//! callback that rolls them up per grid, per compound and per leader. So a month of a
//! district costs one pass over its hazards and answers, and memory grows with the number of
//! buildings at most, never with the number of hazards.

use super::Store;
use crate::error::Result;
use rusqlite::params;

/// Where a row of facts belongs: a building, its grid and compound, and a person.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SummaryCell {
    pub building_id: String,
    pub grid_id: Option<String>,
    pub grid: String,
    pub compound_id: Option<String>,
    pub compound: String,
    /// The building's leader (planned), the patroller (patrolled) or the finder (hazards).
    pub who_id: Option<String>,
    pub who: String,
}

/// The facts of one building and person in the month.
#[derive(Clone, Debug, PartialEq)]
pub enum SummaryFact {
    /// The person looks after the building (one row per building without a leader too).
    Planned,
    /// The person patrolled the building: visits (patrol days) and checks in force (items
    /// answered, not taken back).
    Patrolled { visits: i64, checks: i64 },
    /// Hazards found (not withdrawn) and what became of them, as of today.
    Found(FoundCounts),
    /// Hazards found in the month that were escalated to the office, and the office's
    /// first answer after the first escalation.
    Escalated {
        escalated: i64,
        responded: i64,
        hours_sum: f64,
        hours_max: f64,
    },
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct FoundCounts {
    pub found: i64,
    /// low, medium, high, critical.
    pub by_severity: [i64; 4],
    pub fixed_on_spot: i64,
    pub rectified_in_time: i64,
    pub rectified_late: i64,
    pub still_open: i64,
    pub overdue: i64,
    /// Found again at a place where the same fault was rectified (回潮).
    pub recurring: i64,
}

impl FoundCounts {
    pub fn add(&mut self, o: &FoundCounts) {
        self.found += o.found;
        for k in 0..4 {
            self.by_severity[k] += o.by_severity[k];
        }
        self.fixed_on_spot += o.fixed_on_spot;
        self.rectified_in_time += o.rectified_in_time;
        self.rectified_late += o.rectified_late;
        self.still_open += o.still_open;
        self.overdue += o.overdue;
        self.recurring += o.recurring;
    }
}

/// A place where hazards came back, with how often in the month.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RecurringSpot {
    pub building: String,
    pub compound: String,
    pub grid: String,
    pub unit: Option<i64>,
    pub item_id: String,
    pub category: String,
    pub spot: String,
    /// Recurring hazards found there in the month.
    pub times: i64,
    /// The highest recurrence count among them (the 3rd time back is 2).
    pub max_recurrence: i64,
}

/// A grid's name, with its community's when the database holds several (every community
/// has its 第1网格).
macro_rules! grid_name {
    () => {
        "ifnull(CASE WHEN (SELECT count(*) FROM community) > 1
            THEN (SELECT name FROM community WHERE id = g.community_id) || ' ' || g.name ELSE g.name END, '')"
    };
}

const PLACE: &str = concat!(
    "b.grid_id, ",
    grid_name!(),
    ", b.compound_id, ifnull(c.name, ''), x.who, ifnull(pe.name, '')"
);
const JOINS: &str = "JOIN building b ON b.id = x.building_id LEFT JOIN grid g ON g.id = b.grid_id
     LEFT JOIN compound c ON c.id = b.compound_id LEFT JOIN person pe ON pe.id = x.who";

fn cell(r: &rusqlite::Row) -> rusqlite::Result<SummaryCell> {
    Ok(SummaryCell {
        building_id: r.get(0)?,
        grid_id: r.get(1)?,
        grid: r.get(2)?,
        compound_id: r.get(3)?,
        compound: r.get(4)?,
        who_id: r.get(5)?,
        who: r.get(6)?,
    })
}

impl Store {
    /// Hand every fact of the days `from..=to` (YYYY-MM-DD) to `f`, building by building
    /// (planned rows come ordered by building, patrolled ones visit by visit). Open and overdue are as of
    /// `today`.
    pub fn summary_facts(
        &self,
        from: &str,
        to: &str,
        today: &str,
        mut f: impl FnMut(&SummaryCell, &SummaryFact) -> Result<()>,
    ) -> Result<()> {
        // Planned: every building with each of its leaders (or none).
        let sql = format!(
            "SELECT x.building_id, {PLACE} FROM
               (SELECT b0.id AS building_id, d.person_id AS who FROM building b0
                LEFT JOIN (SELECT DISTINCT person_id, building_id FROM duty) d ON d.building_id = b0.id) x
             {JOINS} ORDER BY x.building_id"
        );
        self.each_row(&sql, params![], cell, |c| f(&c, &SummaryFact::Planned))?;
        // Patrolled: each visit (a patrol's building) with its answers in force, from the
        // tally kept as they are written; visits where every answer was taken back are not
        // visits.
        let sql = format!(
            "SELECT x.building_id, {PLACE}, x.checks FROM
               (SELECT t.building_id, p.inspector_id AS who, t.in_force AS checks, p.day, p.id
                FROM patrol p JOIN visit_tally t ON t.patrol_id = p.id
                WHERE p.day BETWEEN ?1 AND ?2 AND t.in_force > 0) x
             {JOINS} ORDER BY x.day, x.id, x.building_id"
        );
        self.each_row(
            &sql,
            params![from, to],
            |r| Ok((cell(r)?, r.get::<_, i64>(7)?)),
            |(c, checks)| f(&c, &SummaryFact::Patrolled { visits: 1, checks }),
        )?;
        // Hazards found.
        let sql = format!(
            "SELECT x.building_id, {PLACE}, x.n, x.s0, x.s1, x.s2, x.s3, x.spot, x.in_time, x.late,
                    x.open, x.overdue, x.recurring FROM
               (SELECT h.building_id, h.found_by AS who, count(*) AS n,
                       sum(h.severity = 'low') AS s0, sum(h.severity = 'medium') AS s1,
                       sum(h.severity = 'high') AS s2, sum(h.severity = 'critical') AS s3,
                       sum(h.fixed_on_spot <> 0) AS spot,
                       sum(s.status = 'rectified' AND s.closed_day IS NOT NULL AND s.closed_day <= s.deadline) AS in_time,
                       sum(s.status = 'rectified' AND (s.closed_day IS NULL OR s.closed_day > s.deadline)) AS late,
                       sum(s.status IN ('open', 'escalated')) AS open,
                       sum(s.status IN ('open', 'escalated') AND s.deadline < ?3) AS overdue,
                       sum(h.previous_id IS NOT NULL) AS recurring
                FROM hazard h JOIN hazard_state s ON s.hazard_id = h.id
                WHERE h.found_day BETWEEN ?1 AND ?2 AND s.status <> 'voided'
                GROUP BY h.building_id, h.found_by) x
             {JOINS}"
        );
        self.each_row(
            &sql,
            params![from, to, today],
            |r| {
                Ok((
                    cell(r)?,
                    SummaryFact::Found(FoundCounts {
                        found: r.get(7)?,
                        by_severity: [r.get(8)?, r.get(9)?, r.get(10)?, r.get(11)?],
                        fixed_on_spot: r.get(12)?,
                        rectified_in_time: r.get(13)?,
                        rectified_late: r.get(14)?,
                        still_open: r.get(15)?,
                        overdue: r.get(16)?,
                        recurring: r.get(17)?,
                    }),
                ))
            },
            |(c, x)| f(&c, &x),
        )?;
        // Escalated, and the office's first answer after the first escalation (each read
        // from its own small index, not from all of a hazard's events).
        let sql = format!(
            "SELECT x.building_id, {PLACE}, x.n, x.responded, x.hours_sum, x.hours_max FROM
               (SELECT building_id, who, count(*) AS n, count(resp) AS responded,
                       ifnull(sum((julianday(resp) - julianday(esc)) * 24.0), 0.0) AS hours_sum,
                       ifnull(max((julianday(resp) - julianday(esc)) * 24.0), 0.0) AS hours_max FROM
                  (SELECT x.building_id, x.who, x.esc,
                          (SELECT min(e2.at) FROM event e2 INDEXED BY event_office_response
                             WHERE e2.entity = 'hazard' AND e2.entity_id = x.id
                             AND e2.action = 'office_response' AND e2.at >= x.esc) AS resp
                   FROM (SELECT h.id, h.building_id, h.found_by AS who,
                                (SELECT min(e.at) FROM event e INDEXED BY event_escalated
                                   WHERE e.entity = 'hazard' AND e.entity_id = h.id
                                   AND e.action = 'escalated') AS esc
                         FROM hazard h JOIN hazard_state s ON s.hazard_id = h.id
                         WHERE h.found_day BETWEEN ?1 AND ?2 AND s.status <> 'voided') x
                   WHERE x.esc IS NOT NULL)
                GROUP BY building_id, who) x
             {JOINS}"
        );
        self.each_row(
            &sql,
            params![from, to],
            |r| {
                Ok((
                    cell(r)?,
                    SummaryFact::Escalated {
                        escalated: r.get(7)?,
                        responded: r.get(8)?,
                        hours_sum: r.get(9)?,
                        hours_max: r.get(10)?,
                    },
                ))
            },
            |(c, x)| f(&c, &x),
        )
    }

    /// Hazards found in the days by category (not withdrawn), most first.
    pub fn summary_categories(&self, from: &str, to: &str) -> Result<Vec<(String, i64)>> {
        let mut out = Vec::new();
        self.each_row(
            "SELECT h.category, count(*) FROM hazard h JOIN hazard_state s ON s.hazard_id = h.id
             WHERE h.found_day BETWEEN ?1 AND ?2 AND s.status <> 'voided'
             GROUP BY h.category ORDER BY count(*) DESC, h.category",
            params![from, to],
            |r| Ok((r.get(0)?, r.get(1)?)),
            |x| {
                out.push(x);
                Ok(())
            },
        )?;
        Ok(out)
    }

    /// The places where recurring hazards (回潮) were found most often in the days: same
    /// building, unit and checklist item. At most `limit`, most first.
    pub fn summary_recurring(
        &self,
        from: &str,
        to: &str,
        limit: usize,
    ) -> Result<Vec<RecurringSpot>> {
        let mut out = Vec::new();
        self.each_row(
            concat!(
                "SELECT b.name, ifnull(c.name, ''), ",
                grid_name!(),
                ", u.number, x.item_id, x.category,
                    x.spot, x.n, x.rmax FROM
               (SELECT h.building_id, h.unit_id, h.item_id, max(h.category) AS category,
                       max(h.spot) AS spot, count(*) AS n, max(h.recurrence) AS rmax
                FROM hazard h JOIN hazard_state s ON s.hazard_id = h.id
                WHERE h.found_day BETWEEN ?1 AND ?2 AND s.status <> 'voided' AND h.previous_id IS NOT NULL
                GROUP BY h.building_id, h.unit_id, h.item_id) x
             JOIN building b ON b.id = x.building_id LEFT JOIN grid g ON g.id = b.grid_id
             LEFT JOIN compound c ON c.id = b.compound_id LEFT JOIN unit u ON u.id = x.unit_id
             ORDER BY x.n DESC, x.rmax DESC, c.name, b.name, u.number, x.item_id LIMIT ?3"
            ),
            params![from, to, limit as i64],
            |r| {
                Ok(RecurringSpot {
                    building: r.get(0)?,
                    compound: r.get(1)?,
                    grid: r.get(2)?,
                    unit: r.get(3)?,
                    item_id: r.get(4)?,
                    category: r.get(5)?,
                    spot: r.get(6)?,
                    times: r.get(7)?,
                    max_recurrence: r.get(8)?,
                })
            },
            |x| {
                out.push(x);
                Ok(())
            },
        )?;
        Ok(out)
    }

    /// The patrol each hazard found in the days was recorded in (hazard id → patrol id).
    pub fn hazard_patrols(
        &self,
        from: &str,
        to: &str,
    ) -> Result<std::collections::HashMap<String, String>> {
        let mut out = std::collections::HashMap::new();
        self.each_row(
            "SELECT id, patrol_id FROM hazard WHERE found_day BETWEEN ?1 AND ?2 AND patrol_id IS NOT NULL",
            params![from, to],
            |r| Ok((r.get(0)?, r.get(1)?)),
            |(h, p): (String, String)| {
                out.insert(h, p);
                Ok(())
            },
        )?;
        Ok(out)
    }

    /// Run `sql` and hand each row to `f`, one at a time.
    pub(crate) fn each_row<T>(
        &self,
        sql: &str,
        p: impl rusqlite::Params,
        map: impl Fn(&rusqlite::Row) -> rusqlite::Result<T>,
        mut f: impl FnMut(T) -> Result<()>,
    ) -> Result<()> {
        let mut st = self.conn.prepare_cached(sql).map_err(|e| self.db_err(e))?;
        let mut rows = st.query(p).map_err(|e| self.db_err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.db_err(e))? {
            f(map(r).map_err(|e| self.db_err(e))?)?;
        }
        Ok(())
    }
}
