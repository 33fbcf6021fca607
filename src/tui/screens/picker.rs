//! The building picker: every building, `/` filters with the fuzzy search.

use super::inspector::skip_cells;
use super::{Theme, fit, pad, width};
use crate::tui::state::State;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph};

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
    let title = c.t_picker_title;
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
