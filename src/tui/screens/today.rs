//! Today across the community (the office's view), by grid: who patrolled which buildings
//! today and in the last seven days, the buildings overdue for a patrol, and the hazards due
//! this week. Read only; j/k and PgUp/PgDn scroll.

use super::{Screen, State, go_back};
use crate::store::GridToday;
use crate::tui::effect::Effect;
use crate::tui::keymap::Act;
use crate::tui::widgets::{Theme, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

#[derive(Default)]
pub struct Today {
    pub grids: Vec<GridToday>,
    /// The first line shown.
    pub scroll: usize,
}

pub fn open(s: &mut State) -> Vec<Effect> {
    s.back_stack.push(s.screen);
    s.screen = Screen::Today;
    s.notice = None;
    s.today_view.scroll = 0;
    vec![Effect::LoadToday]
}

pub fn key(s: &mut State, act: Option<Act>) -> Vec<Effect> {
    let page = s.size.map_or(10, |(_, h)| usize::from(h.saturating_sub(6)));
    let t = &mut s.today_view;
    match act {
        Some(Act::MoveDown) => t.scroll += 1,
        Some(Act::MoveUp) => t.scroll = t.scroll.saturating_sub(1),
        Some(Act::PageDown) => t.scroll += page,
        Some(Act::PageUp) => t.scroll = t.scroll.saturating_sub(page),
        Some(Act::Back) => return go_back(s),
        _ => {}
    }
    vec![]
}

/// The lines of the view at this width: each grid's head, then its details, indented.
fn lines(s: &State, w: usize) -> Vec<(bool, String)> {
    let c = s.lang.cat();
    let o = c.office;
    let mut out = Vec::new();
    for g in &s.today_view.grids {
        let name = if g.grid.is_empty() {
            o.no_grid
        } else {
            g.grid.as_str()
        };
        let today: usize = g.today.iter().map(|(_, b)| b.len()).sum();
        let week: i64 = g.week.iter().map(|(_, n, _)| n).sum();
        let head = (o.grid_head)(name, today, week, g.overdue.len(), g.due_this_week);
        out.extend(indented(&head, w, "", "  ").into_iter().map(|l| (true, l)));
        let mut detail = |text: String| {
            out.extend(
                indented(&text, w, "  ", "    ")
                    .into_iter()
                    .map(|l| (false, l)),
            );
        };
        if g.today.is_empty() {
            detail(o.today_none.to_string());
        }
        for (person, buildings) in &g.today {
            detail((o.today_line)(person, &buildings.join(o.list_sep)));
        }
        if !g.week.is_empty() {
            let who: Vec<String> = g
                .week
                .iter()
                .map(|(p, n, d)| (o.week_person)(p, *n, *d))
                .collect();
            detail((o.week_line)(&who.join(o.list_sep)));
        }
        if !g.overdue.is_empty() {
            let shown: Vec<&str> = g.overdue.iter().take(8).map(String::as_str).collect();
            let more = g.overdue.len().saturating_sub(shown.len());
            detail((o.overdue_line)(&shown.join(o.list_sep), more));
        }
        out.push((false, String::new()));
    }
    out
}

/// `text` wrapped to `w`, its first line after `first`, the others after `rest`.
fn indented(text: &str, w: usize, first: &str, rest: &str) -> Vec<String> {
    let room = w.saturating_sub(rest.len()).max(10);
    wrap(text, room)
        .into_iter()
        .enumerate()
        .map(|(i, l)| format!("{}{l}", if i == 0 { first } else { rest }))
        .collect()
}

pub fn draw(frame: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let o = s.lang.cat().office;
    let block = Block::default()
        .borders(Borders::ALL)
        .title(o.today_title.to_string());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let all = lines(s, usize::from(inner.width.max(1)));
    if s.today_view.grids.is_empty() {
        frame.render_widget(Paragraph::new(o.today_empty), inner);
        return;
    }
    let top = s
        .today_view
        .scroll
        .min(all.len().saturating_sub(usize::from(inner.height)));
    let shown: Vec<Line> = all
        .into_iter()
        .skip(top)
        .take(usize::from(inner.height))
        .map(|(head, l)| {
            if head {
                Line::from(Span::styled(l, t.key()))
            } else {
                Line::from(l)
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(shown), inner);
}
