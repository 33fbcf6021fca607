//! Today across the community, by grid: who patrolled which buildings today and in the last
//! seven days, the buildings overdue for a patrol, and the hazards due this week.

use super::Store;
use crate::domain::SiteKind;
use crate::error::Result;
use chrono::Duration;
use std::collections::{BTreeMap, HashMap};

/// One grid's day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GridToday {
    /// The grid's name ("" for buildings outside any grid).
    pub grid: String,
    /// Who patrolled which buildings today: (person, buildings), by name.
    pub today: Vec<(String, Vec<String>)>,
    /// The last seven days, today included: (person, buildings patrolled, days out).
    pub week: Vec<(String, i64, i64)>,
    /// Buildings whose last patrol is older than their interval allows (or never).
    pub overdue: Vec<String>,
    /// Open hazards whose deadline is within the next seven days (today included).
    pub due_this_week: i64,
}

/// The entry of a grid, made when first needed.
fn grid_of<'a>(grids: &'a mut BTreeMap<String, GridToday>, name: &str) -> &'a mut GridToday {
    grids.entry(name.to_string()).or_insert_with(|| GridToday {
        grid: name.to_string(),
        ..Default::default()
    })
}

impl Store {
    /// Today across the community, one entry per grid (by name).
    pub fn community_today(&self) -> Result<Vec<GridToday>> {
        let today = self.clock.today();
        let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
        let (t, from, week_end) = (
            day(today),
            day(today - Duration::days(6)),
            day(today + Duration::days(6)),
        );
        let db = |e| self.db_err(e);
        let mut grids: BTreeMap<String, GridToday> = BTreeMap::new();
        // Buildings patrolled (at least one answer) by whom, on which day, this week.
        let mut st = self
            .conn
            .prepare(
                "SELECT DISTINCT ifnull(g.name, ''), ifnull(p.name, ''), p2.day,
                        trim(ifnull(c.name, '') || ' ' || b.name)
                 FROM answer a
                 JOIN patrol p2 ON p2.id = a.patrol_id
                 JOIN building b ON b.id = a.building_id
                 LEFT JOIN compound c ON c.id = b.compound_id
                 LEFT JOIN grid g ON g.id = b.grid_id
                 LEFT JOIN person p ON p.id = p2.inspector_id
                 WHERE p2.day BETWEEN ?1 AND ?2
                 ORDER BY 1, 2, 3, length(b.name), 4",
            )
            .map_err(db)?;
        let rows = st
            .query_map([&from, &t], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })
            .map_err(db)?;
        // (grid, person) -> (buildings this week, days out)
        let mut week: BTreeMap<(String, String), (Vec<String>, Vec<String>)> = BTreeMap::new();
        for row in rows {
            let (grid, person, d, building) = row.map_err(db)?;
            let w = week.entry((grid.clone(), person.clone())).or_default();
            if !w.0.contains(&building) {
                w.0.push(building.clone());
            }
            if !w.1.contains(&d) {
                w.1.push(d.clone());
            }
            if d == t {
                let g = grid_of(&mut grids, &grid);
                match g.today.iter_mut().find(|(p, _)| *p == person) {
                    Some((_, list)) => list.push(building),
                    None => g.today.push((person, vec![building])),
                }
            }
        }
        for ((grid, person), (buildings, days)) in week {
            grid_of(&mut grids, &grid).week.push((
                person,
                buildings.len() as i64,
                days.len() as i64,
            ));
        }
        // Overdue for a patrol: longer ago than the kind's interval, or never.
        let intervals: HashMap<SiteKind, u32> = SiteKind::ALL
            .iter()
            .map(|k| Ok((*k, self.patrol_interval(*k)?)))
            .collect::<Result<_>>()?;
        for b in self.building_summaries(None)? {
            let interval = intervals.get(&b.building.kind).copied().unwrap_or(7);
            let late = match b
                .last_day
                .as_deref()
                .and_then(crate::domain::day::parse_stored)
            {
                None => true,
                Some(d) => (today - d).num_days() > i64::from(interval),
            };
            if late {
                grid_of(&mut grids, &b.building.grid)
                    .overdue
                    .push(b.building.display_name());
            }
        }
        let mut st = self
            .conn
            .prepare(
                "SELECT ifnull(g.name, ''), count(*) FROM hazard_state s
                 JOIN building b ON b.id = s.building_id
                 LEFT JOIN grid g ON g.id = b.grid_id
                 WHERE s.status IN ('open', 'escalated') AND s.deadline BETWEEN ?1 AND ?2
                 GROUP BY 1",
            )
            .map_err(db)?;
        let rows = st
            .query_map([&t, &week_end], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
            })
            .map_err(db)?;
        for row in rows {
            let (grid, n) = row.map_err(db)?;
            grid_of(&mut grids, &grid).due_this_week = n;
        }
        // Grids in the order the office's list gave them (ids are made in time order).
        let order: Vec<String> = self
            .conn
            .prepare("SELECT name FROM grid ORDER BY id")
            .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect())
            .map_err(db)?;
        let mut out: Vec<GridToday> = grids.into_values().collect();
        out.sort_by_key(|g| {
            order
                .iter()
                .position(|n| *n == g.grid)
                .unwrap_or(usize::MAX)
        });
        Ok(out)
    }
}
