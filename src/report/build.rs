//! Building a [`Report`] from the database for a scope: answers into time on patrol and
//! buildings visited, the hazards counted in SQLite, and the pictures. The hazard lists
//! (found, followed up, overdue) are not held: [`StoreLists`] reads them one row at a time
//! while a format writes them.

use super::model::*;
use super::redact::{mask_names, redact_hazard};
use crate::domain::Severity;
use crate::domain::clock::parse_stamp;
use crate::error::Result;
use crate::store::{HazardRow, ReportEvent, ReportScope, Store};
use chrono::{Duration, NaiveDate};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Options of a report besides its scope.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The leader's name, shown with the filters (the scope holds the id).
    pub inspector_name: Option<String>,
    pub redact: bool,
}

/// Build the report for a scope from the database.
pub fn build(store: &Store, scope: &ReportScope, opts: &Options) -> Result<Report> {
    // Answers: the one in force per item of each patrol, counted in SQLite per patrol,
    // building and unit (memory stays flat for any range); time on patrol from all rows.
    let spans = store.report_spans(scope)?;
    let mut per_patrol: HashMap<String, (HashSet<String>, i64)> = HashMap::new();
    // Per building: units visited, items checked, and its leaders with the seq of their
    // first answer in force (they are listed in that order).
    type Visited = (HashSet<String>, i64, Vec<(i64, String)>);
    let mut per_building: HashMap<String, Visited> = HashMap::new();
    let mut items_checked = 0i64;
    store.report_in_force(scope, |patrol, building, unit, name, items, first| {
        items_checked += items;
        let p = per_patrol.entry(patrol).or_default();
        p.0.insert(building.clone());
        p.1 += items;
        let b = per_building.entry(building).or_default();
        if let Some(u) = unit {
            b.0.insert(u);
        }
        b.1 += items;
        match b.2.iter_mut().find(|(_, n)| *n == name) {
            Some(l) => l.0 = l.0.min(first),
            None => b.2.push((first, name)),
        }
        Ok(())
    })?;
    let per_building: HashMap<String, (HashSet<String>, i64, Vec<String>)> = per_building
        .into_iter()
        .map(|(k, (units, items, mut leaders))| {
            leaders.sort();
            (
                k,
                (units, items, leaders.into_iter().map(|(_, n)| n).collect()),
            )
        })
        .collect();
    let mut leaders: Vec<LeaderSpan> = spans
        .iter()
        .filter_map(|(patrol, name, day, first, last)| {
            let (buildings, items) = per_patrol.get(patrol.as_str())?;
            let minutes = match (parse_stamp(first), parse_stamp(last)) {
                (Some(a), Some(b)) => (b - a).num_minutes(),
                _ => 0,
            };
            Some(LeaderSpan {
                name: name.clone(),
                day: day.clone(),
                first: first.clone(),
                last: last.clone(),
                minutes,
                buildings: buildings.len() as i64,
                items: *items,
            })
        })
        .collect();
    leaders.sort_by(|a, b| (&a.day, &a.first, &a.name).cmp(&(&b.day, &b.first, &b.name)));

    // Hazards: counted in SQLite; the lists stream from [`StoreLists`] as they are written.
    let mut found = 0i64;
    let mut sev_counts: HashMap<Severity, i64> = HashMap::new();
    let mut cats: BTreeMap<String, i64> = BTreeMap::new();
    let (mut fixed_on_spot, mut recurring, mut still_open) = (0, 0, 0);
    for (sev, cat, spot, again, open, n) in store.report_found_groups(scope)? {
        found += n;
        *sev_counts
            .entry(Severity::parse(&sev).unwrap_or(Severity::High))
            .or_default() += n;
        *cats.entry(cat).or_default() += n;
        fixed_on_spot += if spot { n } else { 0 };
        recurring += if again { n } else { 0 };
        still_open += if open { n } else { 0 };
    }
    let counts = store.report_counts(scope)?;
    let hazards_at: HashMap<String, i64> = store
        .report_found_per_building(scope)?
        .into_iter()
        .collect();

    // Buildings.
    let all_buildings = store.report_buildings(scope)?;
    let buildings: Vec<BuildingLine> = all_buildings
        .iter()
        .filter_map(|b| {
            let (units, items, leaders) = per_building.get(b.id.as_str())?;
            Some(BuildingLine {
                building_id: b.id.clone(),
                compound: b.compound.clone(),
                building: b.name.clone(),
                grid: b.grid.clone(),
                units: b.units,
                units_visited: units.len() as i64,
                items_checked: *items,
                hazards_found: hazards_at.get(b.id.as_str()).copied().unwrap_or(0),
                leaders: leaders.clone(),
            })
        })
        .collect();
    let buildings_planned = planned(store, scope, &all_buildings)?;

    let by_severity: Vec<SeverityCount> = Severity::ALL
        .iter()
        .rev()
        .map(|s| SeverityCount {
            severity: *s,
            count: sev_counts.get(s).copied().unwrap_or(0),
        })
        .collect();
    let summary = Summary {
        buildings_patrolled: buildings.len() as i64,
        buildings_planned,
        items_checked,
        hazards_found: found,
        by_severity,
        by_category: count_categories(cats),
        fixed_on_spot,
        rectified: counts.rectified,
        extended: counts.extended,
        escalated: counts.escalated,
        recurring,
        still_open,
        overdue_carried: counts.overdue_carried,
    };

    // Pictures, counted in SQLite.
    let (open_cats, open_places) = store.report_open_counts(scope)?;
    let mut per_place: BTreeMap<String, i64> = BTreeMap::new();
    for (compound, building, n) in &open_places {
        *per_place.entry(join_place(compound, building)).or_default() += n;
    }
    let mut open_by_building: Vec<NamedCount> = per_place
        .into_iter()
        .map(|(name, count)| NamedCount { name, count })
        .collect();
    open_by_building.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
    open_by_building.truncate(TOP_BUILDINGS);
    let mut open_by_category: Vec<CategoryCount> = open_cats
        .into_iter()
        .map(|(category, count)| CategoryCount { category, count })
        .collect();
    open_by_category.sort_by(|a, b| b.count.cmp(&a.count).then(a.category.cmp(&b.category)));
    let charts = Charts {
        open_by_category,
        open_by_building,
        daily: store
            .report_daily(scope, scope.to, TREND_DAYS)?
            .into_iter()
            .map(|(d, found, rectified)| DayCount {
                day: d.format("%Y-%m-%d").to_string(),
                found,
                rectified,
            })
            .collect(),
    };

    Ok(Report {
        schema: SCHEMA,
        generated_at: store.now_stamp(),
        community: store.communities()?.join("、"),
        from: scope.from.format("%Y-%m-%d").to_string(),
        to: scope.to.format("%Y-%m-%d").to_string(),
        filters: Filters {
            inspector: opts.inspector_name.clone(),
            grid: scope.grid.clone(),
        },
        redacted: opts.redact,
        leaders,
        summary,
        buildings,
        charts,
        lists: ListCounts {
            found: usize::try_from(found).unwrap_or(0),
            followed_up: usize::try_from(counts.followed_up).unwrap_or(0),
            overdue: usize::try_from(counts.overdue_listed).unwrap_or(0),
        },
    })
}

/// The report's hazard lists read from the database as they are written (see [`Lists`]).
pub struct StoreLists<'a> {
    store: &'a Store,
    scope: ReportScope,
    today: NaiveDate,
    /// The rule each checklist item rests on, by item id.
    basis: HashMap<String, String>,
    /// The lists' lengths (from the report).
    counts: ListCounts,
    /// Residents' names to mask in free text (longest first), when the report is redacted:
    /// every party's name on record, read when the first hazard is written.
    mask: Option<std::cell::OnceCell<Vec<String>>>,
}

/// The lists of the report `r` made for `scope`, to hand to the formats with it.
pub fn lists<'a>(
    store: &'a Store,
    scope: &ReportScope,
    opts: &Options,
    r: &Report,
) -> Result<StoreLists<'a>> {
    lists_counted(store, scope, opts, r.lists)
}

/// The lists of `scope` alone, for a format that writes only their rows (the CSV): the
/// report's summary is not counted, and the lists' lengths are not known.
pub fn rows<'a>(store: &'a Store, scope: &ReportScope, opts: &Options) -> Result<StoreLists<'a>> {
    lists_counted(store, scope, opts, ListCounts::default())
}

fn lists_counted<'a>(
    store: &'a Store,
    scope: &ReportScope,
    opts: &Options,
    counts: ListCounts,
) -> Result<StoreLists<'a>> {
    let basis = store
        .templates()?
        .into_iter()
        .flat_map(|t| t.items)
        .map(|i| (i.id, i.basis))
        .collect();
    let mask = opts.redact.then(std::cell::OnceCell::new);
    Ok(StoreLists {
        store,
        scope: scope.clone(),
        today: store.clock.today(),
        basis,
        counts,
        mask,
    })
}

impl StoreLists<'_> {
    /// A hazard as the report shows it, with what was done to it in the period, masked when
    /// the report is.
    fn hazard(&self, row: &HazardRow, events: &[ReportEvent]) -> Result<ReportHazard> {
        let actions = events.iter().map(action_of).collect();
        let basis = self.basis.get(&row.item_id).map_or("", String::as_str);
        let mut h = hazard_of(row, self.today, basis, actions);
        if let Some(names) = self.mask_names()? {
            redact_hazard(&mut h, names);
        }
        Ok(h)
    }

    /// The names to mask (read once, when the first hazard is written), or none.
    fn mask_names(&self) -> Result<Option<&[String]>> {
        let Some(cell) = &self.mask else {
            return Ok(None);
        };
        if cell.get().is_none() {
            let names = mask_names(self.store.party_names()?);
            let _ = cell.set(names);
        }
        Ok(cell.get().map(Vec::as_slice))
    }
}

impl Lists for StoreLists<'_> {
    fn each(&self, section: Section, f: &mut dyn FnMut(&ReportHazard) -> Result<()>) -> Result<()> {
        let (store, scope) = (self.store, &self.scope);
        let acted =
            |row: &HazardRow| -> Result<Vec<ReportEvent>> { store.report_actions(scope, &row.id) };
        match section {
            Section::Found => {
                store.report_found_each(scope, |r, events| f(&self.hazard(r, &events)?))
            }
            Section::FollowedUp => {
                store.report_followed_each(scope, |r| f(&self.hazard(r, &acted(r)?)?))
            }
            // An overdue hazard in its own list was, by definition, not acted on.
            Section::Overdue => store.report_overdue_each(scope, |r| f(&self.hazard(r, &[])?)),
        }
        .map(|_| ())
    }

    /// The most urgent of each list read alone (a few rows), the rest counted in SQLite.
    fn act_on(&self, top: usize) -> Result<ActOn> {
        let (store, scope) = (self.store, &self.scope);
        let (found_open, followed_late) = store.report_act_on_counts(scope, self.today)?;
        let overdue = i64::try_from(self.counts.overdue).unwrap_or(0);
        let count = |n: i64| usize::try_from(n).unwrap_or(0);
        let mut out = ActOn {
            top: Vec::with_capacity(top + 1),
            total: count(found_open + followed_late + overdue),
            from_period: count(found_open),
        };
        let [found, followed, overdue] = store.report_urgent(scope, self.today, top)?;
        for (is_found, acted, rows) in [
            (true, true, found),
            (false, true, followed),
            (false, false, overdue),
        ] {
            for row in &rows {
                let events = if acted {
                    store.report_actions(scope, &row.id)?
                } else {
                    Vec::new()
                };
                out.keep(is_found, &self.hazard(row, &events)?, top);
            }
        }
        Ok(out)
    }

    fn photos(&self, hazard_id: &str) -> Result<Vec<String>> {
        if self.mask.is_some() {
            return Ok(Vec::new());
        }
        Ok(crate::photos::thumbs_for(self.store, &[hazard_id])?
            .remove(hazard_id)
            .unwrap_or_default())
    }
}

/// An event of the period as the report shows it.
pub fn action_of(e: &ReportEvent) -> ReportAction {
    ReportAction {
        at: e.at.clone(),
        by: e.by.clone(),
        kind: e.kind,
        value: e.new_value.clone(),
        note: e.note.clone(),
    }
}

/// A hazard with the report's columns, as of `today`.
pub fn hazard_of(
    h: &HazardRow,
    today: NaiveDate,
    basis: &str,
    actions: Vec<ReportAction>,
) -> ReportHazard {
    let days_overdue = h.days_overdue(today);
    ReportHazard {
        id: h.id.clone(),
        number: h.number.clone(),
        found_at: h.found_at.clone(),
        found_by: h.found_by.clone(),
        grid: h.grid.clone(),
        compound: h.compound.clone(),
        building: h.building.clone(),
        unit: h.unit,
        spot: h.spot.clone(),
        item_id: h.item_id.clone(),
        category: h.category.clone(),
        description: h.description.clone(),
        basis: basis.to_string(),
        severity: h.severity,
        party_name: h.party_name.clone(),
        party_room: h.party_room.clone(),
        party_phone: h.party_phone.clone(),
        deadline: h.deadline.clone(),
        immediate: h.found_at.get(..10) == Some(h.deadline.as_str()),
        status: h.status,
        overdue: days_overdue > 0,
        days_overdue,
        fixed_on_spot: h.fixed_on_spot,
        recurrence: h.recurrence,
        escalated_to: h.escalated_to.clone(),
        closed_day: h.closed_day.clone(),
        actions,
    }
}

fn count_categories(m: BTreeMap<String, i64>) -> Vec<CategoryCount> {
    let mut v: Vec<CategoryCount> = m
        .into_iter()
        .map(|(category, count)| CategoryCount { category, count })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then(a.category.cmp(&b.category)));
    v
}

/// Buildings due for a patrol on at least one day of the period: never patrolled before
/// that day, or not within their kind's interval. For one leader, only their buildings.
fn planned(
    store: &Store,
    scope: &ReportScope,
    buildings: &[crate::store::ReportBuilding],
) -> Result<i64> {
    let mut visits: HashMap<String, Vec<NaiveDate>> = HashMap::new();
    for (b, d) in store.visit_days(scope.to, scope.inspector.as_deref())? {
        if let Ok(d) = NaiveDate::parse_from_str(&d, "%Y-%m-%d") {
            visits.entry(b).or_default().push(d);
        }
    }
    let mut intervals = HashMap::new();
    for k in crate::domain::SiteKind::ALL {
        intervals.insert(*k, i64::from(store.patrol_interval(*k)?));
    }
    let days = (scope.to - scope.from).num_days().max(0);
    let mut n = 0;
    for b in buildings {
        if scope.inspector.is_some() && !b.own {
            continue;
        }
        let interval = intervals.get(&b.kind).copied().unwrap_or(7);
        let seen = visits.get(&b.id).map(Vec::as_slice).unwrap_or(&[]);
        let due = (0..=days).any(|k| {
            let d = scope.from + Duration::days(k);
            // The last visit before that day (visit days are sorted).
            match seen.iter().rev().find(|v| **v < d) {
                None => true,
                Some(last) => (d - *last).num_days() >= interval,
            }
        });
        if due {
            n += 1;
        }
    }
    Ok(n)
}
