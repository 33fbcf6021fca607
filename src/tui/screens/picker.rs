//! The building picker: every building, `/` filters with the fuzzy search.

use super::{Screen, State};
use crate::tui::effect::Effect;
use crate::tui::keymap::Act;
use crate::tui::widgets::input::{input_request, paste_into, type_into};
use crate::tui::widgets::{Theme, fit, move_cursor, pad, skip_cells, width};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph};
use tui_input::Input;

#[derive(Default)]
pub struct Picker {
    /// The search index over `State::buildings`, built when they are loaded.
    pub index: Option<crate::search::SearchIndex>,
    pub filter: Input,
    pub filtering: bool,
    /// Indexes into `State::buildings`, best first, with highlighted char positions.
    pub matches: Vec<(usize, Vec<usize>)>,
    pub cursor: usize,
    /// Choosing a building to assign this person to (id, name), not one to patrol.
    pub assign_to: Option<(String, String)>,
}

/// A key on the building list: move, open a walk or a history, filter, back.
pub fn key(s: &mut State, k: KeyEvent, act: Option<Act>) -> Vec<Effect> {
    match act {
        Some(a @ (Act::MoveUp | Act::MoveDown | Act::PageUp | Act::PageDown)) => {
            move_cursor(&mut s.picker.cursor, s.picker.matches.len(), a);
        }
        Some(Act::Open) => {
            if let Some((i, _)) = s.picker.matches.get(s.picker.cursor)
                && let Some(b) = s.buildings.get(*i)
            {
                return vec![Effect::OpenWalk {
                    building_id: b.building.id.clone(),
                    resume: None,
                    inspector: s.inspector.as_ref().map(|p| p.id.clone()),
                }];
            }
        }
        Some(Act::Search) => s.picker.filtering = true,
        Some(Act::OpenHistory) => {
            if let Some(b) = s
                .picker
                .matches
                .get(s.picker.cursor)
                .and_then(|(i, _)| s.buildings.get(*i))
            {
                let id = b.building.id.clone();
                s.back_stack.push(Screen::Picker);
                return vec![Effect::LoadHistory { building_id: id }];
            }
        }
        Some(Act::Back) => {
            if s.picker.filtering {
                s.picker.filtering = false;
            } else {
                s.screen = Screen::Start;
            }
        }
        _ => {
            if s.picker.filtering
                && let Some(req) = input_request(&k)
            {
                type_into(&mut s.picker.filter, req);
                s.picker.cursor = 0;
                refilter_picker(s);
            }
        }
    }
    vec![]
}

/// Match the buildings against the filter.
pub fn refilter_picker(s: &mut State) {
    let q = s.picker.filter.value().trim().to_string();
    if s.picker.index.is_none() && !q.is_empty() {
        s.picker.index = Some(crate::lookup::building_index(&s.buildings));
    }
    s.picker.matches = match (&mut s.picker.index, q.is_empty()) {
        (Some(index), false) => crate::lookup::matches(index, &q),
        _ => (0..s.buildings.len()).map(|i| (i, vec![])).collect(),
    };
    s.picker.cursor = s
        .picker
        .cursor
        .min(s.picker.matches.len().saturating_sub(1));
}

pub fn draw(frame: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let c = s.lang.cat();
    let p = &s.picker;
    let [input, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
    let label = format!(" / {} ", c.t_filter);
    let room = (input.width as usize).saturating_sub(width(&label) + 12);
    let scroll = p.filter.visual_scroll(room);
    let count = format!("  {}/{}", p.matches.len(), s.buildings.len());
    let shown = fit(&skip_cells(p.filter.value(), scroll), room);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(label.clone(), t.key()),
            Span::raw(pad(&shown, room)),
            Span::raw(count),
        ])),
        input,
    );
    if p.filtering {
        let x = input.x + (width(&label) + p.filter.visual_cursor().saturating_sub(scroll)) as u16;
        frame.set_cursor_position(Position::new(
            x.min(input.right().saturating_sub(1)),
            input.y,
        ));
    }
    let inner_w = list.width.saturating_sub(4) as usize;
    let items: Vec<ListItem> = p
        .matches
        .iter()
        .filter_map(|(i, hl)| s.buildings.get(*i).map(|b| (b, hl)))
        .map(|(b, hl)| {
            let name = b.building.display_name();
            let last = match &b.last_day {
                Some(d) => (c.t_last_patrol)(d.get(5..).unwrap_or(d)),
                None => c.t_never_patrolled.to_string(),
            };
            let hz = if b.open > 0 {
                (c.t_hazard_counts)(b.open, b.overdue)
            } else {
                String::new()
            };
            let rest = format!(
                " {} {} {} {}",
                pad(c.kind(b.building.kind), 8),
                pad(&last, 12),
                pad(&hz, 16),
                if b.own { c.t_own } else { "" }
            );
            // Highlight matched characters of the name (bold + underline, not colour alone).
            let name_cut = pad(&name, 24);
            let mut spans: Vec<Span> = name_cut
                .chars()
                .enumerate()
                .map(|(k, ch)| {
                    if hl.contains(&k) {
                        Span::styled(
                            ch.to_string(),
                            t.key().add_modifier(ratatui::style::Modifier::UNDERLINED),
                        )
                    } else {
                        Span::raw(ch.to_string())
                    }
                })
                .collect();
            spans.push(Span::raw(fit(&rest, inner_w.saturating_sub(24))));
            ListItem::new(Line::from(spans))
        })
        .collect();
    let title = match &p.assign_to {
        Some((_, name)) => (c.people.pick_title)(name),
        None => c.t_picker_title.to_string(),
    };
    let block = Block::default().borders(Borders::ALL).title(title);
    if items.is_empty() {
        frame.render_widget(Paragraph::new(c.t_no_match).block(block), list);
        return;
    }
    let mut state = ListState::default().with_selected(Some(p.cursor));
    frame.render_stateful_widget(
        List::new(items)
            .block(block)
            .highlight_style(t.selected())
            .highlight_symbol("> "),
        list,
        &mut state,
    );
}

/// Pasted text goes into the filter, when it is being typed.
pub fn paste(s: &mut State, text: &str) {
    if s.picker.filtering {
        paste_into(&mut s.picker.filter, text);
    }
    refilter_picker(s);
}
