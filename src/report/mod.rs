//! The end-of-day report: one model built from the database ([`build`]), shared by the
//! command line (`firepatrol report`) and the app (`e` on the start screen), and written in
//! one file per format: [`text`] (a short summary for the group chat), [`md`], [`csv`],
//! [`xlsx`], [`html`] (printable, with pictures) and [`json`] (schema
//! `firepatrol.report/1`, `docs/report.schema.json`). Rectification notices (隐患整改告知书)
//! are in [`notice`].
//!
//! The model holds codes (severity, status, category), not words: each format turns them
//! into the interface language. Text from the database is untrusted: every format escapes
//! or neutralises it (see `crate::export`). With `redact`, residents' names and phone
//! numbers are masked before any format sees them.

pub mod csv;
pub mod html;
pub mod json;
pub mod ledger_xlsx;
pub mod md;
pub mod notice;
pub mod text;
pub mod xlsx;

use crate::domain::clock::parse_stamp;
use crate::domain::text::{mask_name, mask_phone};
use crate::domain::{HazardEventKind, HazardStatus, Severity};
use crate::error::Result;
use crate::i18n::Lang;
use crate::store::{HazardRow, ReportScope, Store};
use chrono::{Duration, NaiveDate};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The version of the JSON form. A change that removes or renames a field gets a new number.
pub const SCHEMA: &str = "firepatrol.report/1";

/// How many days the found/rectified picture covers (ending on the report's last day).
pub const TREND_DAYS: i64 = 30;

/// How many buildings the "open hazards by building" picture shows.
pub const TOP_BUILDINGS: usize = 10;

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub schema: &'static str,
    /// When the report was made (RFC 3339). Statuses and days overdue are as of then.
    pub generated_at: String,
    pub community: String,
    pub from: String,
    pub to: String,
    pub filters: Filters,
    /// Residents' names and phone numbers are masked.
    pub redacted: bool,
    /// Each leader's patrol on each day: first to last answer.
    pub leaders: Vec<LeaderSpan>,
    pub summary: Summary,
    pub buildings: Vec<BuildingLine>,
    /// Hazards found in the period.
    pub found: Vec<ReportHazard>,
    /// Hazards found earlier and acted on in the period (re-checked, rectified, extended,
    /// escalated, answered by the office, reopened).
    pub followed_up: Vec<ReportHazard>,
    /// Hazards found earlier, still open and past their deadline by the period's last day,
    /// and not already in `followed_up`.
    pub overdue: Vec<ReportHazard>,
    pub charts: Charts,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Filters {
    pub inspector: Option<String>,
    pub grid: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct LeaderSpan {
    pub name: String,
    pub day: String,
    /// First and last answer (RFC 3339).
    pub first: String,
    pub last: String,
    pub minutes: i64,
    pub buildings: i64,
    pub items: i64,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    pub buildings_patrolled: i64,
    /// Buildings due for a patrol on some day of the period (never patrolled, or not within
    /// their interval); for one leader, the buildings they look after.
    pub buildings_planned: i64,
    pub items_checked: i64,
    pub hazards_found: i64,
    /// Every severity, highest first, zeros included.
    pub by_severity: Vec<SeverityCount>,
    /// Categories with hazards found, largest first.
    pub by_category: Vec<CategoryCount>,
    pub fixed_on_spot: i64,
    /// Rectified after a re-check in the period (not on the spot).
    pub rectified: i64,
    pub extended: i64,
    pub escalated: i64,
    /// Found in the period at a place where the same item was rectified before (回潮).
    pub recurring: i64,
    /// Found in the period and still open.
    pub still_open: i64,
    /// Found earlier, still open, past the deadline by the period's last day.
    pub overdue_carried: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SeverityCount {
    pub severity: Severity,
    pub count: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CategoryCount {
    pub category: String,
    pub count: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct BuildingLine {
    pub building_id: String,
    pub compound: String,
    pub building: String,
    pub grid: String,
    pub units: i64,
    pub units_visited: i64,
    pub items_checked: i64,
    pub hazards_found: i64,
    pub leaders: Vec<String>,
}

impl BuildingLine {
    pub fn display_name(&self) -> String {
        join_place(&self.compound, &self.building)
    }
}

/// One hazard with the ledger's columns.
#[derive(Clone, Debug, Serialize)]
pub struct ReportHazard {
    pub id: String,
    pub number: String,
    pub found_at: String,
    pub found_by: String,
    pub grid: String,
    pub compound: String,
    pub building: String,
    pub unit: Option<i64>,
    pub spot: String,
    pub item_id: String,
    pub category: String,
    pub description: String,
    /// The rule the checklist item rests on (依据).
    pub basis: String,
    pub severity: Severity,
    pub party_name: String,
    pub party_room: String,
    pub party_phone: String,
    /// The deadline in force (`YYYY-MM-DD`).
    pub deadline: String,
    /// The deadline is the day it was found: fix at once (立即整改).
    pub immediate: bool,
    pub status: HazardStatus,
    pub overdue: bool,
    pub days_overdue: i64,
    pub fixed_on_spot: bool,
    pub recurrence: i64,
    pub escalated_to: Option<String>,
    pub closed_day: Option<String>,
    /// What was done to it in the period, oldest first.
    pub actions: Vec<ReportAction>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReportAction {
    pub at: String,
    pub by: String,
    pub kind: HazardEventKind,
    pub value: Option<String>,
    pub note: String,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Charts {
    /// Hazards open (or escalated) when the report was made, by category.
    pub open_by_category: Vec<CategoryCount>,
    /// The same, by building: the most first, at most ten.
    pub open_by_building: Vec<NamedCount>,
    /// Found and rectified per day over the 30 days ending on the last day.
    pub daily: Vec<DayCount>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NamedCount {
    pub name: String,
    pub count: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DayCount {
    pub day: String,
    pub found: i64,
    pub rectified: i64,
}

impl ReportHazard {
    /// "新芙蓉之都 2栋 1单元 3楼楼道" in the interface language.
    pub fn place(&self, lang: Lang) -> String {
        let mut s = join_place(&self.compound, &self.building);
        if let Some(u) = self.unit {
            s.push(' ');
            s.push_str(&(lang.cat().unit_name)(u));
        }
        if !self.spot.is_empty() {
            s.push(' ');
            s.push_str(&self.spot);
        }
        s
    }

    /// The status word; an overdue open hazard says so in words (逾期), not by colour.
    pub fn status_label(&self, lang: Lang) -> String {
        let c = lang.cat();
        match (self.overdue, self.status) {
            (true, HazardStatus::Escalated) => c.rp_overdue_escalated.to_string(),
            (true, _) => c.st_overdue.to_string(),
            (false, s) => c.status(s).to_string(),
        }
    }

    /// The status with the days overdue: "逾期 3 天", "已上报、逾期 3 天", or the status.
    pub fn status_long(&self, lang: Lang) -> String {
        let c = lang.cat();
        match (self.overdue, self.status) {
            (true, HazardStatus::Escalated) => format!(
                "{}{}{}",
                c.status(self.status),
                c.rp_list_sep,
                (c.rp_days_overdue)(self.days_overdue)
            ),
            (true, _) => (c.rp_days_overdue)(self.days_overdue),
            (false, s) => c.status(s).to_string(),
        }
    }

    /// The deadline as a leader says it: 立即 (found and due the same day) or the date.
    pub fn deadline_label(&self, lang: Lang) -> String {
        if self.immediate {
            lang.cat().rp_immediate.to_string()
        } else {
            self.deadline.clone()
        }
    }

    /// Who must fix it: name, room and phone, as far as known.
    pub fn party(&self) -> String {
        [
            self.party_name.as_str(),
            self.party_room.as_str(),
            self.party_phone.as_str(),
        ]
        .iter()
        .filter(|x| !x.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
    }

    /// The actions of the period in words: "11-20 整改销号（刘建国）".
    pub fn actions_label(&self, lang: Lang) -> String {
        let c = lang.cat();
        self.actions
            .iter()
            .map(|a| {
                let mut s = format!("{} {}", short_day(&a.at), c.event_kind(a.kind));
                if a.kind == HazardEventKind::Extended
                    && let Some(v) = &a.value
                {
                    s.push_str(&format!(" → {v}"));
                }
                if !a.by.is_empty() {
                    s.push_str(&format!(" ({})", a.by));
                }
                if !a.note.is_empty() {
                    s.push_str(&format!(": {}", a.note));
                }
                s
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The found time as `YYYY-MM-DD HH:MM`.
    pub fn found_label(&self) -> String {
        time_label(&self.found_at)
    }
}

fn join_place(compound: &str, building: &str) -> String {
    if compound.is_empty() {
        building.to_string()
    } else {
        format!("{compound} {building}")
    }
}

/// `2026-11-20T09:04:00+08:00` -> `2026-11-20 09:04`.
pub fn time_label(stamp: &str) -> String {
    match parse_stamp(stamp) {
        Some(t) => t.format("%Y-%m-%d %H:%M").to_string(),
        None => stamp.to_string(),
    }
}

/// `2026-11-20T09:04:00+08:00` -> `09:04`.
pub fn clock_label(stamp: &str) -> String {
    match parse_stamp(stamp) {
        Some(t) => t.format("%H:%M").to_string(),
        None => stamp.to_string(),
    }
}

/// `2026-11-20...` -> `11-20`.
pub fn short_day(stamp: &str) -> String {
    stamp.get(5..10).unwrap_or(stamp).to_string()
}

impl Report {
    /// "2026-11-20" or "2026-11-16 – 2026-11-22".
    pub fn period(&self) -> String {
        if self.from == self.to {
            self.from.clone()
        } else {
            format!("{} – {}", self.from, self.to)
        }
    }

    /// Every hazard of the report once: found, followed up, overdue.
    pub fn all_hazards(&self) -> impl Iterator<Item = (Section, &ReportHazard)> {
        self.found
            .iter()
            .map(|h| (Section::Found, h))
            .chain(self.followed_up.iter().map(|h| (Section::FollowedUp, h)))
            .chain(self.overdue.iter().map(|h| (Section::Overdue, h)))
    }

    /// The filters in words ("" when there are none).
    pub fn filters_label(&self, lang: Lang) -> String {
        let c = lang.cat();
        let mut parts = Vec::new();
        if let Some(i) = &self.filters.inspector {
            parts.push((c.rp_filter_inspector)(i));
        }
        if let Some(g) = &self.filters.grid {
            parts.push((c.rp_filter_grid)(g));
        }
        parts.join(", ")
    }
}

/// Which list of the report a hazard is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Found,
    FollowedUp,
    Overdue,
}

impl Section {
    pub fn label(self, lang: Lang) -> &'static str {
        let c = lang.cat();
        match self {
            Section::Found => c.rp_section_found,
            Section::FollowedUp => c.rp_section_followed,
            Section::Overdue => c.rp_section_overdue,
        }
    }
}

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

    // Answers: the one in force per item of each patrol; time on patrol from all rows.
    let answers = store.report_answers(scope)?;
    let mut in_force: HashMap<(&str, &str, Option<&str>, &str), usize> = HashMap::new();
    let mut spans: Vec<(String, String, String, String, String)> = Vec::new(); // patrol, name, day, first, last
    let mut span_of: HashMap<&str, usize> = HashMap::new();
    for (k, a) in answers.iter().enumerate() {
        in_force.insert(
            (
                a.patrol_id.as_str(),
                a.building_id.as_str(),
                a.unit_id.as_deref(),
                a.item_id.as_str(),
            ),
            k,
        );
        match span_of.get(a.patrol_id.as_str()) {
            Some(&i) => {
                let s = &mut spans[i];
                if a.answered_at < s.3 {
                    s.3 = a.answered_at.clone();
                }
                if a.answered_at > s.4 {
                    s.4 = a.answered_at.clone();
                }
            }
            None => {
                span_of.insert(a.patrol_id.as_str(), spans.len());
                spans.push((
                    a.patrol_id.clone(),
                    a.inspector.clone(),
                    a.day.clone(),
                    a.answered_at.clone(),
                    a.answered_at.clone(),
                ));
            }
        }
    }
    let mut live: Vec<usize> = in_force
        .values()
        .copied()
        .filter(|&k| answers[k].value != "cleared")
        .collect();
    live.sort_unstable();

    let mut per_patrol: HashMap<&str, (HashSet<&str>, i64)> = HashMap::new();
    let mut per_building: HashMap<&str, (HashSet<&str>, i64, Vec<String>)> = HashMap::new();
    for &k in &live {
        let a = &answers[k];
        let p = per_patrol.entry(a.patrol_id.as_str()).or_default();
        p.0.insert(a.building_id.as_str());
        p.1 += 1;
        let b = per_building.entry(a.building_id.as_str()).or_default();
        if let Some(u) = &a.unit_id {
            b.0.insert(u.as_str());
        }
        b.1 += 1;
        if !b.2.contains(&a.inspector) {
            b.2.push(a.inspector.clone());
        }
    }
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
        items_checked: live.len() as i64,
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

    // Pictures.
    let open = store.report_open(scope)?;
    let mut per_place: BTreeMap<String, i64> = BTreeMap::new();
    for h in &open {
        *per_place
            .entry(join_place(&h.compound, &h.building))
            .or_default() += 1;
    }
    let mut open_by_building: Vec<NamedCount> = per_place
        .into_iter()
        .map(|(name, count)| NamedCount { name, count })
        .collect();
    open_by_building.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
    open_by_building.truncate(TOP_BUILDINGS);
    let charts = Charts {
        open_by_category: count_categories(open.iter().map(|h| h.category.as_str())),
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
    };
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

/// Mask residents' names and phone numbers everywhere in the report: the responsible
/// party's name and phone, and any of those names or a phone-like number written in free
/// text (descriptions, places, notes).
pub fn redact(r: &mut Report) {
    let mut names: Vec<String> = r
        .all_hazards()
        .map(|(_, h)| h.party_name.clone())
        .filter(|n| n.chars().count() >= 2)
        .collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    names.dedup();
    let scrub = |s: &str| -> String {
        let mut out = mask_phones_in(s);
        for n in &names {
            if out.contains(n.as_str()) {
                out = out.replace(n.as_str(), &mask_name(n));
            }
        }
        out
    };
    for h in r
        .found
        .iter_mut()
        .chain(r.followed_up.iter_mut())
        .chain(r.overdue.iter_mut())
    {
        redact_hazard(h, &scrub);
    }
    r.redacted = true;
}

fn redact_hazard(h: &mut ReportHazard, scrub: &dyn Fn(&str) -> String) {
    h.party_name = mask_name(&h.party_name);
    if !h.party_phone.is_empty() {
        h.party_phone = mask_phone(&h.party_phone);
    }
    h.description = scrub(&h.description);
    h.spot = scrub(&h.spot);
    if let Some(e) = &h.escalated_to {
        h.escalated_to = Some(scrub(e));
    }
    for a in &mut h.actions {
        a.note = scrub(&a.note);
        if let Some(v) = &a.value {
            a.value = Some(scrub(v));
        }
    }
}

/// Mask every run of 7 or more digits (spaces and dashes allowed between them) in free text,
/// except dates (`2026-11-20`) and hazard numbers (`YH-20261120-001`).
pub fn mask_phones_in(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i].is_ascii_digit()
            || (chars[i] == '+' && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit()));
        let after_code = i > 0 && (chars[i - 1].is_ascii_alphanumeric() || chars[i - 1] == '-');
        if starts && !after_code {
            // The longest run of digits, spaces and dashes, ending on a digit.
            let mut j = i + 1;
            let mut end = i + 1;
            while j < chars.len()
                && (chars[j].is_ascii_digit() || chars[j] == ' ' || chars[j] == '-')
            {
                if chars[j].is_ascii_digit() {
                    end = j + 1;
                }
                j += 1;
            }
            let run: String = chars[i..end].iter().collect();
            let is_date = NaiveDate::parse_from_str(&run, "%Y-%m-%d").is_ok();
            if !is_date && run.chars().filter(char::is_ascii_digit).count() >= 7 {
                out.push_str(&mask_phone(&run));
            } else {
                out.push_str(&run);
            }
            i = end;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// The formats a report is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A short summary for the group chat, then the hazard list
    Text,
    /// The whole report as Markdown
    Md,
    /// One row per hazard (UTF-8 with BOM, for Excel)
    Csv,
    /// A workbook: summary sheet and ledger sheet (needs --out)
    Xlsx,
    /// One printable, self-contained page with pictures
    Html,
    /// For programs: schema firepatrol.report/1
    Json,
}

impl Format {
    pub fn ext(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Md => "md",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Html => "html",
            Format::Json => "json",
        }
    }
    /// Not for a terminal: written to a file only.
    pub fn is_binary(self) -> bool {
        self == Format::Xlsx
    }
}

/// The report in one format, as the bytes of the file.
pub fn render(r: &Report, lang: Lang, format: Format) -> Result<Vec<u8>> {
    Ok(match format {
        Format::Text => text::render(r, lang).into_bytes(),
        Format::Md => md::render(r, lang).into_bytes(),
        Format::Csv => csv::render(r, lang),
        Format::Xlsx => xlsx::render(r, lang)?,
        Format::Html => html::render(r, lang).into_bytes(),
        Format::Json => json::render(r).into_bytes(),
    })
}

/// Create the reports folder (readable by the owner only).
pub fn ensure_dir(dir: &Path) -> Result<()> {
    crate::fsio::create_private_dir(dir).map_err(|e| crate::fsio::export_error(dir, e))
}

/// Write a report in several formats into `dir` as `report-DAY.EXT` (or
/// `report-FROM_TO.EXT`); every file through a temporary file renamed when complete.
pub fn write_files(r: &Report, lang: Lang, dir: &Path, formats: &[Format]) -> Result<Vec<PathBuf>> {
    ensure_dir(dir)?;
    let stem = if r.from == r.to {
        format!("report-{}", r.from)
    } else {
        format!("report-{}_{}", r.from, r.to)
    };
    let mut out = Vec::new();
    for f in formats {
        let path = dir.join(format!("{stem}.{}", f.ext()));
        crate::fsio::write_private_atomic(&path, &render(r, lang, *f)?)?;
        out.push(path);
    }
    Ok(out)
}

/// The checklist items in force, by id (for notices: basis and what to do).
pub fn items_by_id(store: &Store) -> Result<HashMap<String, crate::domain::checklist::Item>> {
    Ok(store
        .templates()?
        .into_iter()
        .flat_map(|t| t.items)
        .map(|i| (i.id.clone(), i))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_in_text_are_masked() {
        assert_eq!(
            mask_phones_in("电话 138 0000 1021 找"),
            "电话 138 **** 1021 找"
        );
        assert_eq!(mask_phones_in("0731-8888 0001"), "073*-**** 0001");
        assert_eq!(mask_phones_in("3楼 102 室"), "3楼 102 室");
        assert_eq!(mask_phones_in("2026-11-20"), "2026-11-20");
        assert_eq!(mask_phones_in("见 YH-20261120-001"), "见 YH-20261120-001");
        assert_eq!(mask_phones_in("+86 13812341234"), "+86 1******1234");
    }
}
