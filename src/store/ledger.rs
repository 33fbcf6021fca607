//! The hazard ledger (隐患台账): filtered, sorted, counted.

use super::hazards::{HAZARD_SELECT, hazard_from_row, hazard_select};
use super::{HazardRow, Store};
use crate::domain::Severity;
use crate::error::Result;
use chrono::{Duration, NaiveDate};
use rusqlite::types::Value;

/// Which hazards by status and deadline.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum StatusFilter {
    /// Open or escalated.
    #[default]
    Open,
    DueToday,
    /// Deadline within the next 7 days (today included), still open.
    DueWeek,
    Overdue,
    Escalated,
    Rectified,
    All,
}

impl StatusFilter {
    pub const ALL: [StatusFilter; 7] = [
        StatusFilter::Open,
        StatusFilter::DueToday,
        StatusFilter::DueWeek,
        StatusFilter::Overdue,
        StatusFilter::Escalated,
        StatusFilter::Rectified,
        StatusFilter::All,
    ];
    pub fn code(self) -> &'static str {
        match self {
            StatusFilter::Open => "open",
            StatusFilter::DueToday => "due-today",
            StatusFilter::DueWeek => "due-week",
            StatusFilter::Overdue => "overdue",
            StatusFilter::Escalated => "escalated",
            StatusFilter::Rectified => "rectified",
            StatusFilter::All => "all",
        }
    }
    pub fn parse(s: &str) -> Option<StatusFilter> {
        StatusFilter::ALL
            .into_iter()
            .find(|f| f.code() == s.trim().to_lowercase())
    }
    fn sql(self, today: &str, week_end: &str) -> (String, Vec<Value>) {
        let open = "s.status IN ('open', 'escalated')";
        match self {
            StatusFilter::Open => (open.into(), vec![]),
            StatusFilter::DueToday => (
                format!("{open} AND s.deadline = ?"),
                vec![today.to_string().into()],
            ),
            StatusFilter::DueWeek => (
                format!("{open} AND s.deadline BETWEEN ? AND ?"),
                vec![today.to_string().into(), week_end.to_string().into()],
            ),
            StatusFilter::Overdue => (
                format!("{open} AND s.deadline < ?"),
                vec![today.to_string().into()],
            ),
            StatusFilter::Escalated => ("s.status = 'escalated'".into(), vec![]),
            StatusFilter::Rectified => ("s.status = 'rectified'".into(), vec![]),
            StatusFilter::All => ("s.status <> 'voided'".into(), vec![]),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LedgerSort {
    #[default]
    Deadline,
    Found,
    Severity,
    Building,
}

impl LedgerSort {
    pub const ALL: [LedgerSort; 4] = [
        LedgerSort::Deadline,
        LedgerSort::Found,
        LedgerSort::Severity,
        LedgerSort::Building,
    ];
    fn sql(self) -> &'static str {
        match self {
            LedgerSort::Deadline => "s.deadline, s.hazard_id",
            LedgerSort::Found => "h.found_at DESC",
            LedgerSort::Severity => "h.severity_rank, h.found_at",
            // Grouped by building in the order of the office's list (ids are time-ordered).
            LedgerSort::Building => "h.building_id, h.unit_id, h.item_id, h.found_at",
        }
    }
}

/// Everything the ledger can be narrowed by. Empty fields do not narrow.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LedgerFilter {
    pub status: StatusFilter,
    pub grid: Option<String>,
    pub compound: Option<String>,
    /// Building ids (from a search).
    pub buildings: Option<Vec<String>>,
    pub category: Option<String>,
    pub severity: Option<Severity>,
    /// Found by this person (id).
    pub leader: Option<String>,
    /// Found on or after / on or before these days.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub recurring: bool,
    pub sort: LedgerSort,
}

impl LedgerFilter {
    /// Narrowed by nothing but status, category and sort: counts come from the tallies.
    pub fn is_simple(&self) -> bool {
        self.grid.is_none()
            && self.compound.is_none()
            && self.buildings.is_none()
            && self.severity.is_none()
            && self.leader.is_none()
            && self.from.is_none()
            && self.to.is_none()
            && !self.recurring
    }

    /// Narrowed at most by status, category, grid or severity: the matches are a large share of
    /// all hazards, so a page is best read walking an index in the sort's order.
    pub fn is_broad(&self) -> bool {
        self.compound.is_none()
            && self.buildings.is_none()
            && self.leader.is_none()
            && self.from.is_none()
            && self.to.is_none()
            && !self.recurring
    }

    /// The WHERE clause and its parameters, with or without the status part.
    fn clause(&self, today: NaiveDate, with_status: bool) -> (String, Vec<Value>) {
        let t = today.format("%Y-%m-%d").to_string();
        let week_end = (today + Duration::days(6)).format("%Y-%m-%d").to_string();
        let mut parts: Vec<String> = Vec::new();
        let mut params: Vec<Value> = Vec::new();
        if with_status {
            let (sql, p) = self.status.sql(&t, &week_end);
            parts.push(sql);
            params.extend(p);
        } else {
            parts.push("s.status <> 'voided'".into());
        }
        // Grids and compounds as sets of buildings, so that an index on the hazards can drive.
        if let Some(g) = &self.grid {
            parts.push("s.building_id IN (SELECT b2.id FROM building b2 JOIN grid g2 ON g2.id = b2.grid_id WHERE g2.name = ?)".into());
            params.push(g.clone().into());
        }
        if let Some(c) = &self.compound {
            parts.push(
                "s.building_id IN (SELECT b2.id FROM building b2 JOIN compound c2 ON c2.id = b2.compound_id WHERE c2.name = ?)"
                    .into(),
            );
            params.push(c.clone().into());
        }
        let mut eq = |col: &str, v: &Option<String>| {
            if let Some(v) = v {
                parts.push(format!("{col} = ?"));
                params.push(v.clone().into());
            }
        };
        eq("h.category", &self.category);
        eq("h.found_by", &self.leader);
        if let Some(s) = self.severity {
            parts.push("h.severity = ?".into());
            params.push(s.code().to_string().into());
        }
        if let Some(d) = self.from {
            parts.push("h.found_day >= ?".into());
            params.push(d.format("%Y-%m-%d").to_string().into());
        }
        if let Some(d) = self.to {
            parts.push("h.found_day <= ?".into());
            params.push(d.format("%Y-%m-%d").to_string().into());
        }
        if self.recurring {
            parts.push("h.recurrence > 0".into());
        }
        if let Some(ids) = &self.buildings {
            if ids.is_empty() {
                parts.push("0".into());
            } else {
                parts.push(format!(
                    "s.building_id IN ({})",
                    vec!["?"; ids.len()].join(", ")
                ));
                params.extend(ids.iter().map(|i| Value::from(i.clone())));
            }
        }
        (parts.join(" AND "), params)
    }
}

impl Store {
    /// Hazards matching a filter, sorted; at most `limit` rows, and how many match in all.
    pub fn ledger(&self, f: &LedgerFilter, limit: usize) -> Result<(Vec<HazardRow>, i64)> {
        let today = self.clock.today();
        let (clause, params) = f.clause(today, true);
        let from = ledger_from(f);
        let sql = format!(
            "{} WHERE {clause} ORDER BY {} LIMIT {limit}",
            hazard_select(from),
            f.sort.sql()
        );
        let mut st = self.conn.prepare_cached(&sql).map_err(|e| self.db_err(e))?;
        let rows = st
            .query_map(rusqlite::params_from_iter(params.iter()), hazard_from_row)
            .map_err(|e| self.db_err(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.db_err(e))?;
        let total = if rows.len() < limit {
            rows.len() as i64
        } else if f.is_simple() {
            self.ledger_counts(f)?
                .into_iter()
                .find(|(s, _)| *s == f.status)
                .map_or(0, |(_, n)| n)
        } else {
            let count_sql = format!(
                "SELECT count(*) FROM {} WHERE {clause}",
                count_from(&clause)
            );
            self.conn
                .query_row(&count_sql, rusqlite::params_from_iter(params.iter()), |r| {
                    r.get(0)
                })
                .map_err(|e| self.db_err(e))?
        };
        Ok((rows, total))
    }

    /// Every hazard matching a filter, in order, handed to `each` one at a time (exports
    /// stream: nothing is collected). Returns how many there were.
    pub fn ledger_each(
        &self,
        f: &LedgerFilter,
        mut each: impl FnMut(&HazardRow) -> Result<()>,
    ) -> Result<usize> {
        let today = self.clock.today();
        let (clause, params) = f.clause(today, true);
        let sql = format!(
            "{} WHERE {clause} ORDER BY {}",
            hazard_select(ledger_from(f)),
            f.sort.sql()
        );
        let mut st = self.conn.prepare(&sql).map_err(|e| self.db_err(e))?;
        let mut rows = st
            .query(rusqlite::params_from_iter(params.iter()))
            .map_err(|e| self.db_err(e))?;
        let mut n = 0;
        while let Some(r) = rows.next().map_err(|e| self.db_err(e))? {
            each(&hazard_from_row(r).map_err(|e| self.db_err(e))?)?;
            n += 1;
        }
        Ok(n)
    }

    /// How many hazards each status filter would show, with the other filters applied. With
    /// no filter but the category, from the tallies (cheap at any size).
    pub fn ledger_counts(&self, f: &LedgerFilter) -> Result<Vec<(StatusFilter, i64)>> {
        let today = self.clock.today();
        let t = today.format("%Y-%m-%d").to_string();
        let week_end = (today + Duration::days(6)).format("%Y-%m-%d").to_string();
        if f.is_simple() {
            let cat = f.category.clone();
            let counts: Vec<i64> = self
                .conn
                .query_row(
                    "SELECT
                        (SELECT ifnull(sum(n), 0) FROM open_tally WHERE ?1 IS NULL OR category = ?1),
                        (SELECT ifnull(sum(n), 0) FROM open_tally WHERE (?1 IS NULL OR category = ?1) AND deadline = ?2),
                        (SELECT ifnull(sum(n), 0) FROM open_tally WHERE (?1 IS NULL OR category = ?1) AND deadline BETWEEN ?2 AND ?3),
                        (SELECT ifnull(sum(n), 0) FROM open_tally WHERE (?1 IS NULL OR category = ?1) AND deadline < ?2),
                        (SELECT ifnull(sum(n), 0) FROM status_tally WHERE (?1 IS NULL OR category = ?1) AND status = 'escalated'),
                        (SELECT ifnull(sum(n), 0) FROM status_tally WHERE (?1 IS NULL OR category = ?1) AND status = 'rectified'),
                        (SELECT ifnull(sum(n), 0) FROM status_tally WHERE (?1 IS NULL OR category = ?1) AND status <> 'voided')",
                    rusqlite::params![cat, t, week_end],
                    |r| (0..7).map(|i| r.get(i)).collect(),
                )
                .map_err(|e| self.db_err(e))?;
            return Ok(StatusFilter::ALL.iter().copied().zip(counts).collect());
        }
        let (clause, mut params) = f.clause(today, false);
        params.extend([
            t.clone().into(),
            t.clone().into(),
            week_end.into(),
            t.into(),
        ]);
        let open = "s.status IN ('open', 'escalated')";
        let sql = format!(
            "SELECT
                count(CASE WHEN {open} THEN 1 END),
                count(CASE WHEN {open} AND s.deadline = ?{n1} THEN 1 END),
                count(CASE WHEN {open} AND s.deadline BETWEEN ?{n2} AND ?{n3} THEN 1 END),
                count(CASE WHEN {open} AND s.deadline < ?{n4} THEN 1 END),
                count(CASE WHEN s.status = 'escalated' THEN 1 END),
                count(CASE WHEN s.status = 'rectified' THEN 1 END),
                count(*)
             FROM {from}
             WHERE {clause}",
            from = count_from(&clause),
            n1 = params.len() - 3,
            n2 = params.len() - 2,
            n3 = params.len() - 1,
            n4 = params.len(),
        );
        // The numbered parameters above refer to the last four; the clause uses plain `?`,
        // numbered from 1 in order, which SQLite continues after the highest number seen.
        let sql = number_placeholders(&sql);
        let counts: Vec<i64> = self
            .conn
            .query_row(&sql, rusqlite::params_from_iter(params.iter()), |r| {
                (0..7).map(|i| r.get(i)).collect()
            })
            .map_err(|e| self.db_err(e))?;
        Ok(StatusFilter::ALL.iter().copied().zip(counts).collect())
    }

    /// The grids, compounds, categories and finders present in the ledger (for filter choices).
    pub fn ledger_choices(&self) -> Result<LedgerChoices> {
        let list = |sql: &str| -> Result<Vec<(String, String)>> {
            let mut st = self.conn.prepare(sql).map_err(|e| self.db_err(e))?;

            st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(|e| self.db_err(e))?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(|e| self.db_err(e))
        };
        Ok(LedgerChoices {
            grids: list("SELECT name, name FROM grid ORDER BY name")?
                .into_iter()
                .map(|x| x.0)
                .collect(),
            compounds: list("SELECT name, name FROM compound ORDER BY name")?
                .into_iter()
                .map(|x| x.0)
                .collect(),
            categories: list("SELECT DISTINCT category, category FROM status_tally WHERE n > 0 ORDER BY category")?
                .into_iter()
                .map(|x| x.0)
                .collect(),
            leaders: list("SELECT id, name FROM person WHERE role <> 'office' ORDER BY name")?,
        })
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LedgerChoices {
    pub grids: Vec<String>,
    pub compounds: Vec<String>,
    pub categories: Vec<String>,
    /// (person id, name)
    pub leaders: Vec<(String, String)>,
}

/// Where a ledger query starts: walking the index of its sort when the matches are a large
/// share of all hazards (the planner would rather sort every match), else the planner's way.
/// Due today / this week are few: those are read by deadline and sorted.
fn ledger_from(f: &LedgerFilter) -> &'static str {
    let narrow_status = matches!(f.status, StatusFilter::DueToday | StatusFilter::DueWeek);
    let broad = f.is_broad() && (!narrow_status || f.sort == LedgerSort::Deadline);
    match (f.sort, broad) {
        (LedgerSort::Deadline, true) => {
            "hazard_state s INDEXED BY hazard_state_order CROSS JOIN hazard h ON h.id = s.hazard_id"
        }
        (LedgerSort::Found, true) => {
            "hazard h INDEXED BY hazard_found_at CROSS JOIN hazard_state s ON s.hazard_id = h.id"
        }
        (LedgerSort::Severity, true) => {
            "hazard h INDEXED BY hazard_severity CROSS JOIN hazard_state s ON s.hazard_id = h.id"
        }
        (LedgerSort::Building, true) => {
            "hazard h INDEXED BY hazard_place CROSS JOIN hazard_state s ON s.hazard_id = h.id"
        }
        _ => "hazard h JOIN hazard_state s ON s.hazard_id = h.id",
    }
}

/// What a count needs to read: the hazards' state alone unless the clause asks about the
/// hazard rows themselves.
fn count_from(clause: &str) -> &'static str {
    if clause.contains("h.") {
        "hazard_state s JOIN hazard h ON h.id = s.hazard_id"
    } else {
        "hazard_state s"
    }
}

/// Number every plain `?` in order (`?1`, `?2`, ...), leaving `?N` as written.
fn number_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '?' && !chars.peek().is_some_and(|d| d.is_ascii_digit()) {
            n += 1;
            out.push_str(&n.to_string());
        }
    }
    out
}

/// One visit to a building: a patrol's answers there.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Visit {
    pub day: String,
    pub inspector: String,
    pub answered: i64,
    pub hazards: i64,
}

impl Store {
    /// All patrols and hazards of one building, newest first.
    pub fn building_history(&self, building_id: &str) -> Result<(Vec<Visit>, Vec<HazardRow>)> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT p.day, ifnull(pe.name, ''), count(DISTINCT ifnull(a.unit_id, '') || a.item_id),
                        count(DISTINCT a.hazard_id)
                 FROM answer a JOIN patrol p ON p.id = a.patrol_id LEFT JOIN person pe ON pe.id = p.inspector_id
                 WHERE a.building_id = ?1 AND a.value <> 'cleared'
                 GROUP BY p.id ORDER BY p.day DESC, p.started_at DESC",
            )
            .map_err(|e| self.db_err(e))?;
        let visits = st
            .query_map([building_id], |r| {
                Ok(Visit {
                    day: r.get(0)?,
                    inspector: r.get(1)?,
                    answered: r.get(2)?,
                    hazards: r.get(3)?,
                })
            })
            .map_err(|e| self.db_err(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.db_err(e))?;
        let mut st = self
            .conn
            .prepare_cached(&format!("{HAZARD_SELECT} WHERE h.building_id = ?1 AND s.status <> 'voided' ORDER BY h.found_at DESC"))
            .map_err(|e| self.db_err(e))?;
        let hazards = st
            .query_map([building_id], hazard_from_row)
            .map_err(|e| self.db_err(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.db_err(e))?;
        Ok((visits, hazards))
    }

    /// Open (and escalated) hazards by category, largest first (from the tallies).
    pub fn open_by_category(&self) -> Result<Vec<(String, i64)>> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT category, sum(n) FROM open_tally GROUP BY category HAVING sum(n) > 0
                 ORDER BY sum(n) DESC, category",
            )
            .map_err(|e| self.db_err(e))?;
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.db_err(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.db_err(e))
    }

    /// Hazards found and rectified per day over the last `days` days, oldest first (from the
    /// tallies).
    pub fn found_vs_rectified(&self, days: i64) -> Result<Vec<(NaiveDate, i64, i64)>> {
        let today = self.clock.today();
        let start = today - Duration::days(days - 1);
        let mut st = self
            .conn
            .prepare_cached("SELECT day, found, rectified FROM daily_tally WHERE day >= ?1")
            .map_err(|e| self.db_err(e))?;
        let map: std::collections::HashMap<String, (i64, i64)> = st
            .query_map([start.format("%Y-%m-%d").to_string()], |r| {
                Ok((r.get(0)?, (r.get(1)?, r.get(2)?)))
            })
            .map_err(|e| self.db_err(e))?
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| self.db_err(e))?;
        Ok((0..days)
            .map(|k| {
                let d = start + Duration::days(k);
                let (f, r) = map
                    .get(&d.format("%Y-%m-%d").to_string())
                    .copied()
                    .unwrap_or((0, 0));
                (d, f, r)
            })
            .collect())
    }
}
