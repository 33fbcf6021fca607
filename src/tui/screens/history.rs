//! A building's history: all its patrols and hazards, newest first.

use super::{Screen, State, go_back};
use crate::store::{Building, HazardRow, Visit};
use crate::tui::effect::Effect;
use crate::tui::keymap::Act;
use crate::tui::widgets::{Theme, fit, move_cursor, pad};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph};

pub struct History {
    pub building: Building,
    pub visits: Vec<Visit>,
    pub hazards: Vec<HazardRow>,
    pub cursor: usize,
}

/// A key on the building history: move, open a hazard, back.
pub fn key(s: &mut State, act: Option<Act>) -> Vec<Effect> {
    let Some(h) = s.history.as_mut() else {
        return go_back(s);
    };
    match act {
        Some(a @ (Act::MoveUp | Act::MoveDown | Act::PageUp | Act::PageDown)) => {
            move_cursor(&mut h.cursor, h.hazards.len(), a)
        }
        Some(Act::Open) => {
            if let Some(x) = h.hazards.get(h.cursor) {
                let id = x.id.clone();
                s.back_stack.push(Screen::History);
                return vec![Effect::LoadDetail { hazard_id: id }];
            }
        }
        Some(Act::Back) => return go_back(s),
        _ => {}
    }
    vec![]
}

pub fn draw(frame: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let Some(h) = s.history.as_ref() else { return };
    let c = s.lang.cat();
    let visits_h = (h.visits.len() as u16 + 2).clamp(3, area.height / 3);
    let [title, visits, hazards] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(visits_h),
        Constraint::Min(3),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new((c.t_history_title)(&h.building.display_name())).style(t.key()),
        title,
    );
    let w = visits.width.saturating_sub(2) as usize;
    let lines: Vec<Line> = h
        .visits
        .iter()
        .map(|v| {
            Line::from(fit(
                &(c.t_visit)(&v.day, &v.inspector, v.answered, v.hazards),
                w,
            ))
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(c.t_visits)),
        visits,
    );
    let w = hazards.width.saturating_sub(4) as usize;
    let items: Vec<ListItem> = h
        .hazards
        .iter()
        .map(|x| {
            let overdue = x.days_overdue(s.today);
            let status = if overdue > 0 {
                format!("{} {}", c.status(x.status), (c.t_overdue_days)(overdue))
            } else {
                c.status(x.status).to_string()
            };
            let unit = x.unit.map(|u| (c.unit_name)(u)).unwrap_or_default();
            let rec = if x.recurrence > 0 {
                format!(" {}", (c.t_recurring)(x.recurrence))
            } else {
                String::new()
            };
            let text = format!(
                "{} {} {} {} {}{}",
                x.found_at.get(..10).unwrap_or(&x.found_at),
                pad(&unit, 7),
                pad(&status, 16),
                x.number,
                x.description,
                rec
            );
            let style = if overdue > 0 {
                t.hazard()
            } else {
                ratatui::style::Style::default()
            };
            ListItem::new(fit(&text, w)).style(style)
        })
        .collect();
    let mut state = ListState::default().with_selected((!items.is_empty()).then_some(h.cursor));
    frame.render_stateful_widget(
        List::new(items)
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(c.t_building_hazards),
            )
            .highlight_style(t.selected())
            .highlight_symbol("> "),
        hazards,
        &mut state,
    );
}
