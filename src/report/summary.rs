//! The office's monthly summary (月度汇总): per grid, per compound and per leader, the
//! buildings planned and patrolled, the checks done, the hazards found and what became of
//! them, escalations and the office's answer time, recurrence (回潮), and the change from
//! last month. `firepatrol summary --month 2026-11` and the `m` key on the start screen.
//!
//! Built from the store's GROUP BY rows (`Store::summary_facts`), rolled up one row at a
//! time: memory grows with the number of grids, compounds and leaders, never with hazards.
//! Written (by [`summary_out`](super::summary_out)) as printable HTML (`summary_html`), XLSX
//! with a sheet per breakdown (`summary_xlsx`), a short chat text ([`chat_text`]) and JSON (schema `firepatrol.summary/1`, `docs/summary.schema.json`). It holds no resident's
//! name or phone: nothing to mask.

use crate::error::Result;
use crate::i18n::Lang;
use crate::store::{FoundCounts, RecurringSpot, Store, SummaryCell, SummaryFact};
use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

pub const SCHEMA: &str = "firepatrol.summary/1";
/// How many recurring places the summary names.
pub const TOP_SPOTS: usize = 10;
/// The most lines the chat text has, at any scale.
pub const CHAT_LINES: usize = 12;

/// The formats of the summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SummaryFormat {
    /// A short text for the group chat
    Text,
    /// A printable A4 page with charts
    Html,
    /// A workbook, one sheet per breakdown (needs --out)
    Xlsx,
    /// For programs: schema firepatrol.summary/1
    Json,
}

impl SummaryFormat {
    pub const ALL: [SummaryFormat; 4] = [
        SummaryFormat::Html,
        SummaryFormat::Xlsx,
        SummaryFormat::Text,
        SummaryFormat::Json,
    ];
    pub fn ext(self) -> &'static str {
        match self {
            SummaryFormat::Text => "txt",
            SummaryFormat::Html => "html",
            SummaryFormat::Xlsx => "xlsx",
            SummaryFormat::Json => "json",
        }
    }
}

/// One line of a breakdown (or the whole community).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Line {
    /// Grid, compound or leader name; empty for none (no grid, no leader).
    pub name: String,
    /// The grid of a compound; empty otherwise.
    pub grid: String,
    pub buildings_planned: i64,
    pub buildings_patrolled: i64,
    /// Patrolled over planned, in per cent (one decimal); null with nothing planned.
    pub coverage_pct: Option<f64>,
    /// Building visits: one per building per patrol.
    pub visits: i64,
    /// Checklist items answered (in force, not taken back).
    pub checks: i64,
    #[serde(flatten)]
    pub hazards: FoundCounts,
    /// Recurring over found, in per cent (one decimal); null with nothing found.
    pub recurrence_pct: Option<f64>,
    pub escalated: i64,
    pub office_answered: i64,
    /// Hours from the first escalation to the office's first answer.
    pub answer_hours_avg: Option<f64>,
    pub answer_hours_max: Option<f64>,
    #[serde(skip)]
    hours_sum: f64,
}

fn pct(a: i64, b: i64) -> Option<f64> {
    (b > 0).then(|| (a as f64 * 1000.0 / b as f64).round() / 10.0)
}

impl Line {
    fn finish(&mut self) {
        self.coverage_pct = pct(self.buildings_patrolled, self.buildings_planned);
        self.recurrence_pct = pct(self.hazards.recurring, self.hazards.found);
        self.answer_hours_avg = (self.office_answered > 0)
            .then(|| (self.hours_sum / self.office_answered as f64 * 10.0).round() / 10.0);
        if self.office_answered == 0 {
            self.answer_hours_max = None;
        }
    }
    fn add_hazards(&mut self, f: &SummaryFact) {
        match f {
            SummaryFact::Found(c) => self.hazards.add(c),
            SummaryFact::Escalated {
                escalated,
                responded,
                hours_sum,
                hours_max,
            } => {
                self.escalated += escalated;
                self.office_answered += responded;
                self.hours_sum += hours_sum;
                let m = (hours_max * 10.0).round() / 10.0;
                if *responded > 0 && self.answer_hours_max.is_none_or(|x| x < m) {
                    self.answer_hours_max = Some(m);
                }
            }
            SummaryFact::Planned | SummaryFact::Patrolled { .. } => {}
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct CategoryLine {
    pub category: String,
    pub found: i64,
    pub last_month: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct MonthSummary {
    pub schema: &'static str,
    /// When it was made (RFC 3339): open and overdue are as of then.
    pub generated_at: String,
    pub community: String,
    /// Every community in the database (a district's office holds several).
    pub communities: Vec<String>,
    /// YYYY-MM.
    pub month: String,
    pub from: String,
    /// The last day counted: the month's last day, or today for the month under way.
    pub to: String,
    pub last_month: String,
    pub total: Line,
    /// The same figures for the month before (same days of the month when this one is under
    /// way would be fairer, but offices compare whole months).
    pub previous: Line,
    pub grids: Vec<Line>,
    pub compounds: Vec<Line>,
    pub leaders: Vec<Line>,
    pub categories: Vec<CategoryLine>,
    pub recurring_spots: Vec<RecurringSpot>,
}

impl MonthSummary {
    /// The month is not over yet.
    pub fn partial(&self) -> bool {
        self.to < last_day(&self.month).unwrap_or_default()
    }
}

/// "2026-11" → its first day.
pub fn parse_month(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let (y, m) = s.split_once('-')?;
    if y.len() != 4 || m.is_empty() || m.len() > 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)
}

fn next_month(first: NaiveDate) -> NaiveDate {
    let (y, m) = if first.month() == 12 {
        (first.year() + 1, 1)
    } else {
        (first.year(), first.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(first)
}

fn last_day(month: &str) -> Option<String> {
    let first = parse_month(month)?;
    Some(ymd(next_month(first) - Duration::days(1)))
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[derive(Default)]
struct Rollup {
    total: Line,
    grids: BTreeMap<String, Line>,
    compounds: BTreeMap<String, Line>,
    leaders: BTreeMap<String, Line>,
}

impl Rollup {
    fn collect(
        store: &Store,
        from: &str,
        to: &str,
        today: &str,
        breakdowns: bool,
    ) -> Result<Rollup> {
        let mut r = Rollup::default();
        let mut last_planned = String::new();
        // Patrols come visit by visit: the buildings (and leader and building) seen so far.
        let mut patrolled: std::collections::HashSet<String> = Default::default();
        let mut patrolled_by: std::collections::HashSet<(String, String)> = Default::default();
        store.summary_facts(from, to, today, |c: &SummaryCell, f: &SummaryFact| {
            let new_building = match f {
                SummaryFact::Planned => {
                    let n = c.building_id != last_planned;
                    last_planned.clone_from(&c.building_id);
                    n
                }
                SummaryFact::Patrolled { .. } => patrolled.insert(c.building_id.clone()),
                _ => false,
            };
            let mut place_lines: Vec<&mut Line> = vec![&mut r.total];
            if breakdowns {
                let g = r
                    .grids
                    .entry(c.grid_id.clone().unwrap_or_default())
                    .or_default();
                g.name.clone_from(&c.grid);
                place_lines.push(g);
                let k = r
                    .compounds
                    .entry(c.compound_id.clone().unwrap_or_default())
                    .or_default();
                k.name.clone_from(&c.compound);
                k.grid.clone_from(&c.grid);
                place_lines.push(k);
            }
            for l in place_lines {
                match f {
                    SummaryFact::Planned => l.buildings_planned += i64::from(new_building),
                    SummaryFact::Patrolled { visits, checks } => {
                        l.buildings_patrolled += i64::from(new_building);
                        l.visits += visits;
                        l.checks += checks;
                    }
                    _ => l.add_hazards(f),
                }
            }
            if breakdowns {
                let l = r
                    .leaders
                    .entry(c.who_id.clone().unwrap_or_default())
                    .or_default();
                l.name.clone_from(&c.who);
                match f {
                    SummaryFact::Planned => {
                        // A building with no leader is not anyone's plan.
                        if c.who_id.is_some() {
                            l.buildings_planned += 1;
                        }
                    }
                    SummaryFact::Patrolled { visits, checks } => {
                        l.buildings_patrolled +=
                            i64::from(patrolled_by.insert((
                                c.who_id.clone().unwrap_or_default(),
                                c.building_id.clone(),
                            )));
                        l.visits += visits;
                        l.checks += checks;
                    }
                    _ => l.add_hazards(f),
                }
            }
            Ok(())
        })?;
        // Buildings without a leader are no leader's line unless something else is there.
        if let Some(l) = r.leaders.get("")
            && l.buildings_patrolled == 0
            && l.hazards.found == 0
            && l.escalated == 0
        {
            r.leaders.remove("");
        }
        Ok(r)
    }
}

/// A sort key where numbers, also written in Chinese (第二网格, 十二栋), sort by value.
fn natural(s: &str) -> String {
    let mut out = String::new();
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        if !digits.is_empty() {
            out.push_str(&format!("{:0>8}", digits));
            digits.clear();
        }
    };
    let cn = |c: char| "零一二三四五六七八九".chars().position(|d| d == c);
    let chars: Vec<char> = s.chars().collect();
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k];
        if c.is_ascii_digit() {
            digits.push(c);
        } else if cn(c).is_some() || c == '十' {
            // 一 .. 九十九 as a number.
            let mut n = 0usize;
            let mut cur = 0usize;
            while k < chars.len() && (cn(chars[k]).is_some() || chars[k] == '十') {
                if chars[k] == '十' {
                    n += cur.max(1) * 10;
                    cur = 0;
                } else {
                    cur = cn(chars[k]).unwrap_or(0);
                }
                k += 1;
            }
            digits.push_str(&(n + cur).to_string());
            continue;
        } else {
            flush(&mut digits, &mut out);
            out.push(c);
        }
        k += 1;
    }
    flush(&mut digits, &mut out);
    out
}

fn sorted(map: BTreeMap<String, Line>, by: impl Fn(&Line) -> (String, String)) -> Vec<Line> {
    let mut v: Vec<Line> = map.into_values().collect();
    for l in &mut v {
        l.finish();
    }
    v.sort_by_key(|l| {
        let (a, b) = by(l);
        // Lines without a name (no grid, no leader) go last.
        (a.is_empty(), natural(&a), natural(&b))
    });
    v
}

/// Build the summary of the month whose first day is `month`, up to today.
pub fn build(store: &Store, month: NaiveDate) -> Result<MonthSummary> {
    let first = month.with_day(1).unwrap_or(month);
    let today = store.clock.today();
    let last = (next_month(first) - Duration::days(1)).min(today.max(first));
    let prev_first = (first - Duration::days(1)).with_day(1).unwrap_or(first);
    let prev_last = first - Duration::days(1);
    let (from, to, t) = (ymd(first), ymd(last), ymd(today));
    let (pf, pt) = (ymd(prev_first), ymd(prev_last));

    let communities = store.communities()?;
    let r = Rollup::collect(store, &from, &to, &t, true)?;
    let mut prev = Rollup::collect(store, &pf, &pt, &t, false)?.total;
    prev.finish();
    let mut total = r.total;
    total.finish();
    let before: std::collections::HashMap<String, i64> =
        store.summary_categories(&pf, &pt)?.into_iter().collect();
    let mut categories: Vec<CategoryLine> = store
        .summary_categories(&from, &to)?
        .into_iter()
        .map(|(category, found)| CategoryLine {
            last_month: before.get(&category).copied().unwrap_or(0),
            category,
            found,
        })
        .collect();
    for (cat, n) in &before {
        if !categories.iter().any(|c| &c.category == cat) {
            categories.push(CategoryLine {
                category: cat.clone(),
                found: 0,
                last_month: *n,
            });
        }
    }
    Ok(MonthSummary {
        schema: SCHEMA,
        generated_at: store.now_stamp(),
        community: communities.join("、"),
        communities,
        month: first.format("%Y-%m").to_string(),
        from,
        to,
        last_month: prev_first.format("%Y-%m").to_string(),
        total,
        previous: prev,
        grids: sorted(r.grids, |l| (l.name.clone(), String::new())),
        compounds: sorted(r.compounds, |l| (l.grid.clone(), l.name.clone())),
        leaders: sorted(r.leaders, |l| (l.name.clone(), String::new())),
        categories,
        recurring_spots: store.summary_recurring(&ymd(first), &ymd(last), TOP_SPOTS)?,
    })
}

/// The community, or the first of many and how many there are.
pub fn community_label(s: &MonthSummary, lang: Lang) -> String {
    if s.communities.len() > 3 {
        (lang.cat().summary.communities)(&s.communities[0], s.communities.len())
    } else {
        s.communities.join("、")
    }
}

/// The display name of a line: its name, or the words for none.
pub fn line_name(l: &Line, lang: Lang, leader: bool) -> String {
    let w = &lang.cat().summary;
    if l.name.is_empty() {
        (if leader { w.unassigned } else { w.no_grid }).to_string()
    } else {
        l.name.clone()
    }
}

/// "12.5%" or "—".
pub fn pct_text(p: Option<f64>) -> String {
    p.map(|p| format!("{p:.1}%")).unwrap_or_else(|| "—".into())
}

/// "+3", "−2" or "±0".
pub fn delta(now: i64, before: i64) -> String {
    let d = now - before;
    match d.cmp(&0) {
        std::cmp::Ordering::Greater => format!("+{d}"),
        std::cmp::Ordering::Less => format!("−{}", -d),
        std::cmp::Ordering::Equal => "±0".into(),
    }
}

/// The place of a recurring spot: compound, building, unit, spot.
pub fn spot_place(s: &RecurringSpot, lang: Lang) -> String {
    let c = lang.cat();
    let mut p = format!("{} {}", s.compound, s.building);
    if let Some(u) = s.unit {
        p.push(' ');
        p.push_str(&(c.unit_name)(u));
    }
    if !s.spot.is_empty() {
        p.push(' ');
        p.push_str(&s.spot);
    }
    crate::export::neutralize(p.trim()).to_string()
}

/// The short text for the group chat: at most [`CHAT_LINES`] lines at any scale.
pub fn chat_text(s: &MonthSummary, lang: Lang, details_file: &str) -> String {
    let c = lang.cat();
    let w = &c.summary;
    let t = &s.total;
    let month = (w.month)(&s.month, &s.to, s.partial());
    let mut out = vec![(w.chat_head)(&community_label(s, lang), &month)];
    out.push((w.chat_patrols)(
        t.buildings_planned,
        t.buildings_patrolled,
        &pct_text(t.coverage_pct),
        t.visits,
        t.checks,
    ));
    out.push((w.chat_found)(
        t.hazards.found,
        s.previous.hazards.found,
        &delta(t.hazards.found, s.previous.hazards.found),
    ));
    let sev = crate::domain::Severity::ALL
        .iter()
        .rev()
        .map(|v| format!("{} {}", c.severity(*v), t.hazards.by_severity[*v as usize]))
        .collect::<Vec<_>>()
        .join(w.list_sep);
    out.push(format!("  {sev}"));
    out.push((w.chat_fixed)(
        t.hazards.fixed_on_spot,
        t.hazards.rectified_in_time,
        t.hazards.rectified_late,
        t.hazards.still_open,
        t.hazards.overdue,
    ));
    out.push((w.chat_escalated)(
        t.escalated,
        t.office_answered,
        &t.answer_hours_avg
            .map(w.hours)
            .unwrap_or_else(|| "—".into()),
    ));
    out.push((w.chat_recurring)(
        t.hazards.recurring,
        &pct_text(t.recurrence_pct),
    ));
    if !s.recurring_spots.is_empty() {
        let top: Vec<String> = s
            .recurring_spots
            .iter()
            .take(3)
            .map(|r| format!("{} ×{}", spot_place(r, lang), r.times))
            .collect();
        out.push(format!("{}{}", w.chat_top_spots, top.join(w.item_sep)));
    }
    let mut low: Vec<&Line> = s
        .grids
        .iter()
        .filter(|g| g.coverage_pct.is_some())
        .collect();
    low.sort_by(|a, b| {
        a.coverage_pct
            .partial_cmp(&b.coverage_pct)
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    if s.grids.len() > 1 && !low.is_empty() {
        let names: Vec<String> = low
            .iter()
            .take(3)
            .map(|g| format!("{} {}", line_name(g, lang, false), pct_text(g.coverage_pct)))
            .collect();
        out.push(format!("{}{}", w.chat_low_grids, names.join(w.list_sep)));
    }
    out.push((w.chat_more)(details_file));
    out.truncate(CHAT_LINES);
    let mut text = out.join("\n");
    text.push('\n');
    text
}

/// The summary as JSON (schema `firepatrol.summary/1`).
pub fn json(s: &MonthSummary) -> String {
    let mut v = serde_json::to_string_pretty(s).unwrap_or_else(|_| "{}".into());
    v.push('\n');
    v
}

#[cfg(test)]
mod tests {
    use super::natural;

    #[test]
    fn grids_sort_by_their_number_also_in_chinese() {
        let mut v = vec![
            "第十二网格",
            "第三网格",
            "第二网格",
            "第十网格",
            "第一网格",
            "2栋",
            "10栋",
        ];
        v.sort_by_key(|s| natural(s));
        assert_eq!(
            v,
            [
                "2栋",
                "10栋",
                "第一网格",
                "第二网格",
                "第三网格",
                "第十网格",
                "第十二网格"
            ]
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
        );
    }
}
