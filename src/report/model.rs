//! The report's model: what a report says, in codes not words (severity, status, category),
//! with the helpers each format uses to put them into the interface language.

use crate::domain::clock::parse_stamp;
use crate::domain::{HazardEventKind, HazardStatus, Severity};
use crate::error::Result;
use crate::i18n::Lang;
use serde::Serialize;

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
    // The JSON form carries the hazard lists here (`found`, `followed_up`, `overdue`), read
    // from [`Lists`] as they are written: see `json.rs`.
    pub charts: Charts,
    /// How many hazards each list holds (the lists themselves stream from [`Lists`]).
    #[serde(skip)]
    pub lists: ListCounts,
}

/// The hazards still open that need action: the period's finds still open, and the
/// overdue ones from before (including those followed up but still open). Only the most
/// urgent are kept (severity, then days overdue, then number), each with whether it was
/// found in the period; the rest are counted.
#[derive(Clone, Debug, Default)]
pub struct ActOn {
    pub top: Vec<(bool, ReportHazard)>,
    pub total: usize,
    /// How many of them were found in the period.
    pub from_period: usize,
}

impl ActOn {
    /// Count a hazard of `section` if it needs action, and keep it if it is among the `top`
    /// most urgent so far.
    pub fn see(&mut self, section: Section, h: &ReportHazard, top: usize) {
        let open = matches!(h.status, HazardStatus::Open | HazardStatus::Escalated);
        let wanted = match section {
            Section::Found | Section::Overdue => open,
            Section::FollowedUp => h.overdue && open,
        };
        if !wanted {
            return;
        }
        let found = section == Section::Found;
        self.total += 1;
        self.from_period += usize::from(found);
        self.keep(found, h, top);
    }

    /// Keep a hazard if it is among the `top` most urgent so far (not counted).
    pub fn keep(&mut self, found: bool, h: &ReportHazard, top: usize) {
        let at = self
            .top
            .partition_point(|(_, x)| more_urgent(x, h) != std::cmp::Ordering::Greater);
        if at < top {
            self.top.insert(at, (found, h.clone()));
            self.top.truncate(top);
        }
    }
}

/// Most urgent first: severity, then days overdue, then number.
fn more_urgent(a: &ReportHazard, b: &ReportHazard) -> std::cmp::Ordering {
    b.severity
        .cmp(&a.severity)
        .then(b.days_overdue.cmp(&a.days_overdue))
        .then(a.number.cmp(&b.number))
}

/// How many hazards each of the report's lists holds, and how many of them need action.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ListCounts {
    /// Hazards found in the period.
    pub found: usize,
    /// Hazards found earlier (or by others) and acted on in the period (re-checked,
    /// rectified, extended, escalated, answered by the office, reopened).
    pub followed_up: usize,
    /// Hazards found earlier, still open and past their deadline by the period's last day,
    /// and not already followed up.
    pub overdue: usize,
}

/// The report's hazard lists, one hazard at a time and in each list's order: streamed from
/// the database as a format writes them (`build::StoreLists`), so memory stays flat for any
/// range; or from memory.
pub trait Lists {
    /// Call `f` with every hazard of one list, in order.
    fn each(&self, section: Section, f: &mut dyn FnMut(&ReportHazard) -> Result<()>) -> Result<()>;

    /// Thumbnails of a hazard's photos (`data:` URLs) for the printed page; none when
    /// residents are masked.
    fn photos(&self, hazard_id: &str) -> Result<Vec<String>>;

    /// The hazards to act on, the `top` most urgent kept (see [`ActOn`]). This reads every
    /// hazard once; the database answers it without reading them all.
    fn act_on(&self, top: usize) -> Result<ActOn> {
        let mut out = ActOn::default();
        self.each_all(&mut |section, h| {
            out.see(section, h, top);
            Ok(())
        })?;
        Ok(out)
    }

    /// Every hazard of the report once: found, followed up, overdue.
    fn each_all(&self, f: &mut dyn FnMut(Section, &ReportHazard) -> Result<()>) -> Result<()> {
        for s in Section::ALL {
            self.each(s, &mut |h| f(s, h))?;
        }
        Ok(())
    }
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
            (true, HazardStatus::Escalated) => c.report.rp_overdue_escalated.to_string(),
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
                c.report.rp_list_sep,
                (c.report.rp_days_overdue)(self.days_overdue)
            ),
            (true, _) => (c.report.rp_days_overdue)(self.days_overdue),
            (false, s) => c.status(s).to_string(),
        }
    }

    /// The deadline as a leader says it: 立即 (found and due the same day) or the date.
    pub fn deadline_label(&self, lang: Lang) -> String {
        if self.immediate {
            lang.cat().report.rp_immediate.to_string()
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

pub(super) fn join_place(compound: &str, building: &str) -> String {
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

    /// The filters in words ("" when there are none).
    pub fn filters_label(&self, lang: Lang) -> String {
        let c = lang.cat();
        let mut parts = Vec::new();
        if let Some(i) = &self.filters.inspector {
            parts.push((c.report.rp_filter_inspector)(i));
        }
        if let Some(g) = &self.filters.grid {
            parts.push((c.report.rp_filter_grid)(g));
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
    pub const ALL: [Section; 3] = [Section::Found, Section::FollowedUp, Section::Overdue];

    /// How many hazards the list holds.
    pub fn count(self, n: &ListCounts) -> usize {
        match self {
            Section::Found => n.found,
            Section::FollowedUp => n.followed_up,
            Section::Overdue => n.overdue,
        }
    }

    /// The list's heading with its number of hazards.
    pub fn title(self, n: usize, lang: Lang) -> String {
        let c = lang.cat();
        match self {
            Section::Found => (c.report.rp_found_title)(n),
            Section::FollowedUp => (c.report.rp_followed_title)(n),
            Section::Overdue => (c.report.rp_overdue_title)(n),
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let c = lang.cat();
        match self {
            Section::Found => c.report.rp_section_found,
            Section::FollowedUp => c.report.rp_section_followed,
            Section::Overdue => c.report.rp_section_overdue,
        }
    }
}
