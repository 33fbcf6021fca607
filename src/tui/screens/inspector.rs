//! Who is patrolling: pick a person; typing filters the list.

use super::{Screen, State};
use crate::tui::effect::Effect;
use crate::tui::keymap::Act;
use crate::tui::widgets::input::{input_request, paste_into, type_into};
use crate::tui::widgets::{Theme, fit, move_cursor, pad, skip_cells, width};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph};
use tui_input::Input;

/// A key on "who patrols": move, pick, back; other keys type into the filter.
pub fn key(s: &mut State, k: KeyEvent, act: Option<Act>) -> Vec<Effect> {
    let matches = s.inspector_matches();
    match act {
        Some(a @ (Act::MoveUp | Act::MoveDown | Act::PageUp | Act::PageDown)) => {
            move_cursor(&mut s.inspector_cursor, matches.len(), a);
        }
        Some(Act::Open) => {
            if let Some(p) = matches
                .get(s.inspector_cursor)
                .and_then(|i| s.people.get(*i))
                .cloned()
            {
                s.inspector = Some(p.clone());
                s.screen = Screen::Start;
                s.inspector_filter = Input::default();
                refilter_people(s);
                s.info((s.lang.cat().t_inspector_set)(&p.name));
                return vec![Effect::RememberInspector(p.id), Effect::LoadStart];
            }
        }
        Some(Act::Back) => {
            if s.inspector.is_some() {
                s.screen = Screen::Start;
            } else {
                s.quit = true;
            }
        }
        _ => {
            if let Some(req) = input_request(&k) {
                type_into(&mut s.inspector_filter, req);
                s.inspector_cursor = 0;
                refilter_people(s);
            }
        }
    }
    vec![]
}

/// Match the people against the filter.
pub fn refilter_people(s: &mut State) {
    let q = s.inspector_filter.value().trim().to_string();
    if s.people_index.is_none() && !q.is_empty() {
        s.people_index = Some(crate::lookup::people_index(&s.people));
    }
    s.inspector_hits = match (&mut s.people_index, q.is_empty()) {
        (Some(index), false) => crate::lookup::matches(index, &q)
            .into_iter()
            .map(|(i, _)| i)
            .collect(),
        _ => (0..s.people.len()).collect(),
    };
    s.inspector_cursor = s
        .inspector_cursor
        .min(s.inspector_hits.len().saturating_sub(1));
}

pub fn draw(frame: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let c = s.lang.cat();
    let [ask, input, list] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(format!(" {}", c.t_who_patrols)).style(t.key()),
        ask,
    );
    let label = format!(" {} ", c.t_filter);
    let value = s.inspector_filter.value();
    let room = (input.width as usize).saturating_sub(width(&label) + 1);
    let scroll = s.inspector_filter.visual_scroll(room);
    let shown: String = skip_cells(value, scroll);
    frame.render_widget(
        Paragraph::new(format!("{label}{}", fit(&shown, room))),
        input,
    );
    let x = input.x
        + (width(&label) + s.inspector_filter.visual_cursor().saturating_sub(scroll)) as u16;
    frame.set_cursor_position(Position::new(
        x.min(input.right().saturating_sub(1)),
        input.y,
    ));
    let inner_w = list.width.saturating_sub(4) as usize;
    let matches = s.inspector_matches();
    let items: Vec<ListItem> = matches
        .iter()
        .filter_map(|i| s.people.get(*i))
        .map(|p| {
            ListItem::new(fit(
                &format!("{} {}", pad(&p.name, 12), c.role(p.role)),
                inner_w,
            ))
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(
        s.inspector_cursor.min(matches.len().saturating_sub(1)),
    ));
    frame.render_stateful_widget(
        List::new(items)
            .block(Block::default().borders(Borders::ALL))
            .highlight_style(t.selected())
            .highlight_symbol("> "),
        list,
        &mut state,
    );
}

/// Pasted text filters the people.
pub fn paste(s: &mut State, text: &str) {
    paste_into(&mut s.inspector_filter, text);
    s.inspector_cursor = 0;
    refilter_people(s);
}
