//! Building a [`Report`] from the database for a scope: answers into time on patrol and
//! buildings visited, hazards into found, followed up and overdue, and the pictures.

use super::model::*;
use super::redact::redact;
use crate::domain::clock::parse_stamp;
use crate::domain::{HazardEventKind, HazardStatus, Severity};
use crate::error::Result;
use crate::store::{HazardRow, ReportScope, Store};
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
    let today = store.clock.today();
    let items: HashMap<String, String> = store
        .templates()?
        .into_iter()
        .flat_map(|t| t.items)
        .map(|i| (i.id, i.basis))
        .collect();
    let basis = |id: &str| items.get(id).cloned().unwrap_or_default();

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

    // Hazards.
    let found_rows = store.report_found(scope)?;
    let events = store.report_events(scope)?;
    let found_ids: HashSet<&str> = found_rows.iter().map(|h| h.id.as_str()).collect();
    let mut rectified = HashSet::new();
    let mut extended = HashSet::new();
    let mut escalated = HashSet::new();
    let mut acted_order: Vec<String> = Vec::new();
    let mut actions: HashMap<String, Vec<ReportAction>> = HashMap::new();
    for e in &events {
        match e.kind {
            HazardEventKind::Rectified if !e.on_the_spot => {
                rectified.insert(e.hazard_id.clone());
            }
            // Rectified, then reopened: no longer counted as rectified.
            HazardEventKind::Reopened => {
                rectified.remove(&e.hazard_id);
            }
            HazardEventKind::Extended => {
                extended.insert(e.hazard_id.clone());
            }
            HazardEventKind::Escalated => {
                escalated.insert(e.hazard_id.clone());
            }
            _ => {}
        }
        if e.on_the_spot {
            continue;
        }
        if !found_ids.contains(e.hazard_id.as_str()) && !actions.contains_key(&e.hazard_id) {
            acted_order.push(e.hazard_id.clone());
        }
        actions
            .entry(e.hazard_id.clone())
            .or_default()
            .push(ReportAction {
                at: e.at.clone(),
                by: e.by.clone(),
                kind: e.kind,
                value: e.new_value.clone(),
                note: e.note.clone(),
            });
    }
    let to_report = |h: &HazardRow| -> ReportHazard {
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
            basis: basis(&h.item_id),
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
            actions: actions.get(&h.id).cloned().unwrap_or_default(),
        }
    };
    let found: Vec<ReportHazard> = found_rows.iter().map(to_report).collect();
    let followed_up: Vec<ReportHazard> = store
        .hazards_by_id(&acted_order)?
        .iter()
        .map(to_report)
        .collect();
    let followed_ids: HashSet<&str> = followed_up.iter().map(|h| h.id.as_str()).collect();
    let overdue_rows = store.report_overdue(scope)?;
    let overdue_carried = overdue_rows.len() as i64;
    let overdue: Vec<ReportHazard> = overdue_rows
        .iter()
        .filter(|h| !followed_ids.contains(h.id.as_str()))
        .map(to_report)
        .collect();

    // Buildings.
    let all_buildings = store.report_buildings(scope)?;
    let mut hazards_at: HashMap<&str, i64> = HashMap::new();
    for h in &found_rows {
        *hazards_at.entry(h.building_id.as_str()).or_default() += 1;
    }
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
            count: found.iter().filter(|h| h.severity == *s).count() as i64,
        })
        .collect();
    let summary = Summary {
        buildings_patrolled: buildings.len() as i64,
        buildings_planned,
        items_checked,
        hazards_found: found.len() as i64,
        by_severity,
        by_category: count_categories(found.iter().map(|h| h.category.as_str())),
        fixed_on_spot: found.iter().filter(|h| h.fixed_on_spot).count() as i64,
        rectified: rectified.len() as i64,
        extended: extended.len() as i64,
        escalated: escalated.len() as i64,
        recurring: found.iter().filter(|h| h.recurrence > 0).count() as i64,
        still_open: found
            .iter()
            .filter(|h| matches!(h.status, HazardStatus::Open | HazardStatus::Escalated))
            .count() as i64,
        overdue_carried,
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

    let mut report = Report {
        schema: SCHEMA,
        generated_at: store.now_stamp(),
        community: store.communities()?.join("、"),
        from: scope.from.format("%Y-%m-%d").to_string(),
        to: scope.to.format("%Y-%m-%d").to_string(),
        filters: Filters {
            inspector: opts.inspector_name.clone(),
            grid: scope.grid.clone(),
        },
        redacted: false,
        leaders,
        summary,
        buildings,
        found,
        followed_up,
        overdue,
        charts,
        photos: BTreeMap::new(),
    };
    if !opts.redact {
        let ids: Vec<&str> = report
            .found
            .iter()
            .chain(&report.followed_up)
            .chain(&report.overdue)
            .map(|h| h.id.as_str())
            .collect();
        report.photos = crate::photos::thumbs_for(store, &ids)?
            .into_iter()
            .collect();
    }
    if opts.redact {
        redact(&mut report);
    }
    Ok(report)
}

fn count_categories<'a>(cats: impl Iterator<Item = &'a str>) -> Vec<CategoryCount> {
    let mut m: BTreeMap<&str, i64> = BTreeMap::new();
    for c in cats {
        *m.entry(c).or_default() += 1;
    }
    let mut v: Vec<CategoryCount> = m
        .into_iter()
        .map(|(category, count)| CategoryCount {
            category: category.to_string(),
            count,
        })
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
    for (b, d) in store.visit_days(scope.to)? {
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
