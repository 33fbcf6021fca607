//! Who is patrolling: pick a person; typing filters the list.

use super::{Theme, fit, pad, width};
use crate::tui::state::State;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph};

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

/// Drop the first `cells` display cells of a string (for horizontal scrolling).
pub fn skip_cells(s: &str, cells: usize) -> String {
    let mut w = 0;
    s.chars()
        .skip_while(|ch| {
            let skip = w < cells;
            w += unicode_width::UnicodeWidthChar::width(*ch).unwrap_or(0);
            skip
        })
        .collect()
}
