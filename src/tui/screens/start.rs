//! The start screen: who patrols, today's plan, counts at a glance, resume.

use super::inspector::refilter_people;
use super::overview::Overview;
use super::picker::refilter_picker;
use super::{Screen, State};
use crate::domain::SiteKind;
use crate::store::{Building, BuildingSummary, OpenCounts, Person, Slot};
use crate::tui::effect::Effect;
use crate::tui::keymap::Act;
use crate::tui::widgets::{Theme, fit, move_cursor, pad};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph};
use std::collections::HashMap;

/// What the start screen needs, loaded by the effects.
pub struct StartData {
    pub community: String,
    pub people: Vec<Person>,
    pub remembered: Option<Person>,
    pub buildings: Vec<BuildingSummary>,
    pub counts: OpenCounts,
    pub day_answered: i64,
    pub resume: Option<ResumePoint>,
    /// (building-level items, unit items) per kind of site.
    pub items_per_kind: HashMap<SiteKind, ItemCounts>,
    /// Buildings started today and not finished.
    pub unfinished: std::collections::HashSet<String>,
    pub overview: Overview,
    /// This database's part in sync.
    pub role: Option<crate::store::devices::Role>,
    /// On a laptop: its sync state.
    pub sync: Option<SyncState>,
}

/// A laptop's sync state, shown on its start screen.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncState {
    /// Changes made here and not yet acknowledged by the office.
    pub pending: i64,
    pub last: Option<String>,
    /// The office's address, once a sync over the LAN set it.
    pub url: Option<String>,
    /// This laptop's proposals to the lists the office has not decided yet.
    pub proposals_waiting: usize,
}

/// How many checklist items a kind of site has: asked once per building, and once per unit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ItemCounts {
    pub building: usize,
    pub per_unit: usize,
}

/// Where an interrupted walk can be picked up again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResumePoint {
    pub inspector: Person,
    pub building: Building,
    pub slot: Slot,
    /// "2单元 第5项" for the banner.
    pub unit_number: Option<i64>,
    pub item_index: usize,
}

/// The start screen's data was loaded: the plan is what is due today or done today. At
/// the office the start screen is the inbox (the plan stays loaded for the other screens).
pub fn loaded(s: &mut State, d: StartData) -> Vec<Effect> {
    s.role = d.role;
    s.sync = d.sync;
    s.community = d.community;
    s.people = d.people;
    if s.inspector.is_none() {
        s.inspector = d.remembered;
    }
    s.buildings = d.buildings;
    s.counts = d.counts;
    s.day_answered = d.day_answered;
    s.resume = d.resume;
    s.items_per_kind = d.items_per_kind;
    s.overview = d.overview;
    s.unfinished = d.unfinished;
    let today = s.today.format("%Y-%m-%d").to_string();
    s.plan = (0..s.buildings.len())
        .filter(|i| {
            let b = &s.buildings[*i];
            b.due_for_patrol || b.last_day.as_deref() == Some(today.as_str())
        })
        .collect();
    s.count_plan_items();
    if let Some(id) = s.highlight_after_load.take()
        && let Some(k) = s
            .plan
            .iter()
            .position(|i| s.buildings[*i].building.id == id)
    {
        s.plan_cursor = k;
    }
    s.plan_cursor = s.plan_cursor.min(s.plan.len().saturating_sub(1));
    // The search indexes are built when first searched, not on the way to the first frame.
    s.picker.index = None;
    s.people_index = None;
    refilter_picker(s);
    refilter_people(s);
    if s.role == Some(crate::store::devices::Role::Office)
        && matches!(s.screen, Screen::Start | Screen::Inspector)
    {
        return super::inbox::open(s);
    }
    if s.inspector.is_none() && !s.people.is_empty() {
        s.screen = Screen::Inspector;
    }
    vec![]
}

/// A key on the start screen.
pub fn key(s: &mut State, act: Option<Act>) -> Vec<Effect> {
    match act {
        Some(a @ (Act::MoveUp | Act::MoveDown | Act::PageUp | Act::PageDown)) => {
            move_cursor(&mut s.plan_cursor, s.plan.len(), a)
        }
        Some(Act::Open) => {
            if let Some(b) = s.plan_building(s.plan_cursor) {
                return vec![Effect::OpenWalk {
                    building_id: b.building.id.clone(),
                    resume: None,
                    inspector: s.inspector.as_ref().map(|p| p.id.clone()),
                }];
            }
        }
        Some(Act::OpenPicker) => {
            s.screen = Screen::Picker;
            s.picker.filtering = false;
        }
        Some(Act::Search) => {
            s.screen = Screen::Picker;
            s.picker.filtering = true;
        }
        Some(Act::ResumeWalk) => {
            if let Some(r) = s.resume.clone() {
                s.inspector = Some(r.inspector.clone());
                return vec![Effect::OpenWalk {
                    building_id: r.building.id.clone(),
                    resume: Some(r.slot),
                    inspector: Some(r.inspector.id.clone()),
                }];
            }
        }
        Some(Act::ChangeInspector) => {
            s.screen = Screen::Inspector;
            s.inspector_cursor = 0;
        }
        Some(Act::OpenLedger) => return super::ledger::open_ledger(s),
        Some(Act::ToggleOverview) => s.show_overview = !s.show_overview,
        Some(Act::WriteReport) => return vec![Effect::WriteReport],
        Some(Act::OpenPeople) => return super::people::open(s),
        Some(Act::WriteSummary) => return vec![Effect::WriteSummary],
        // Only a laptop's start screen has the key (`Context::LaptopStart`).
        Some(Act::SyncNow) if s.syncing.is_some() => {
            s.info(s.lang.cat().office.sync_running.to_string());
        }
        Some(Act::SyncNow) => {
            s.info(s.lang.cat().office.syncing.to_string());
            return vec![Effect::SyncNow];
        }
        Some(Act::Quit) => s.quit = true,
        _ => {}
    }
    vec![]
}

/// Leave a walk for the start screen, which is reloaded (and highlights `highlight`).
pub fn back_to_start(s: &mut State, highlight: Option<String>) -> Vec<Effect> {
    s.walk = None;
    s.form = None;
    s.screen = Screen::Start;
    s.highlight_after_load = highlight;
    vec![Effect::LoadStart]
}

pub fn draw(frame: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let c = s.lang.cat();
    let crate::store::OpenCounts {
        open,
        due_today: due,
        overdue,
    } = s.counts;
    let resume_h = if s.resume.is_some() { 1 } else { 0 };
    let sync_h = if s.sync.is_some() { 1 } else { 0 };
    let [counts, sync, resume, list, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(sync_h),
        Constraint::Length(resume_h),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);
    let line = Line::from(vec![
        Span::raw(format!(" {} ", c.t_open_hazards)),
        Span::styled(open.to_string(), t.key()),
        Span::raw(format!("   {} ", c.t_due_today)),
        Span::styled(due.to_string(), t.warn()),
        Span::raw(format!("   {} ", c.t_overdue)),
        Span::styled(overdue.to_string(), t.hazard()),
    ]);
    frame.render_widget(Paragraph::new(line), counts);
    if let Some(st) = &s.sync {
        let mut text = (c.office.sync_line)(st.pending, st.last.as_deref(), st.url.as_deref());
        if st.proposals_waiting > 0 {
            text.push_str(&(c.office.proposals_waiting)(st.proposals_waiting));
        }
        frame.render_widget(
            Paragraph::new(fit(&format!(" {text}"), sync.width as usize)),
            sync,
        );
    }
    if let Some(r) = &s.resume {
        let unit = r.unit_number.map(|n| (c.unit_name)(n)).unwrap_or_default();
        let text = (c.t_resume)(
            &r.building.display_name(),
            &unit,
            r.item_index + 1,
            &r.inspector.name,
        );
        frame.render_widget(
            Paragraph::new(fit(&format!(" r  {text}"), resume.width as usize)).style(t.warn()),
            resume,
        );
    }
    // The pictures: instead of the plan (v), or beside it on a wide screen.
    let list = if s.show_overview {
        super::overview::draw(frame, list, s, t);
        None
    } else if list.width >= 150 {
        let [l, r] = Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
            .areas(list);
        super::overview::draw(frame, r, s, t);
        Some(l)
    } else {
        Some(list)
    };
    if let Some(list) = list {
        plan(frame, list, s, t);
    }
    let foot_text = (c.t_day_progress)(s.day_answered, s.day_total());
    frame.render_widget(
        Paragraph::new(fit(&format!(" {foot_text}"), foot.width as usize)),
        foot,
    );
}

fn plan(frame: &mut Frame, list: Rect, s: &State, t: &Theme) {
    let c = s.lang.cat();
    let inner_w = list.width.saturating_sub(2) as usize;
    let today = s.today.format("%Y-%m-%d").to_string();
    // One page at a time (the page holding the cursor): a district's plan has thousands of
    // rows, and a page that turns is easier to follow than a list that slides.
    let page = (list.height.saturating_sub(2) as usize).max(1);
    let first = (s.plan_cursor / page) * page;
    let items: Vec<ListItem> = s
        .plan
        .iter()
        .skip(first)
        .take(page)
        .filter_map(|i| s.buildings.get(*i))
        .map(|b| {
            let done = b.last_day.as_deref() == Some(today.as_str());
            let mark = if s.unfinished.contains(&b.building.id) {
                format!("> {}", c.t_in_progress)
            } else if done {
                format!("✓ {}", c.t_done_today)
            } else {
                format!("  {}", c.t_to_patrol)
            };
            let last = match &b.last_day {
                Some(d) => (c.t_last_patrol)(d.get(5..).unwrap_or(d)),
                None => c.t_never_patrolled.to_string(),
            };
            let hz = if b.open > 0 {
                (c.t_hazard_counts)(b.open, b.overdue)
            } else {
                String::new()
            };
            let own = if b.own { c.t_own } else { "" };
            let text = format!(
                "{} {} {} {} {} {}",
                pad(&mark, 8),
                pad(&b.building.display_name(), 22),
                pad(c.kind(b.building.kind), 8),
                pad(&last, 11),
                pad(&hz, 14),
                own
            );
            let style = if b.overdue > 0 {
                t.hazard()
            } else {
                ratatui::style::Style::default()
            };
            ListItem::new(fit(&text, inner_w)).style(style)
        })
        .collect();
    let title = (c.t_plan_title)(s.plan.len());
    let block = Block::default()
        .borders(Borders::ALL)
        .title(fit(&title, inner_w));
    if items.is_empty() {
        let msg = if s.buildings.is_empty() {
            c.t_no_buildings
        } else {
            c.t_plan_empty
        };
        frame.render_widget(Paragraph::new(msg).block(block), list);
    } else {
        let mut state = ListState::default().with_selected(Some(s.plan_cursor - first));
        frame.render_stateful_widget(
            List::new(items)
                .block(block)
                .highlight_style(t.selected())
                .highlight_symbol("> "),
            list,
            &mut state,
        );
    }
}
