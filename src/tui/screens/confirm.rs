//! A yes/no question over the screen (retire a person, attach photos): what will happen, the
//! question, and the keys. `y` sends its effect; `n` or Esc leaves everything as it was.

use super::State;
use crate::i18n::Catalogue;
use crate::tui::effect::Effect;
use crate::tui::keymap::Act;
use crate::tui::widgets::{Theme, width, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// A question waiting for yes or no.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirm {
    /// What the answer is about (one line each).
    pub lines: Vec<String>,
    /// The question itself.
    pub question: String,
    /// What yes does.
    pub yes: Effect,
}

/// A key while the question is asked: yes sends its effect, no cancels; other keys wait.
pub fn key(s: &mut State, act: Option<Act>) -> Vec<Effect> {
    match act {
        Some(Act::Yes) => match s.confirm.take() {
            Some(q) => {
                s.notice = None;
                vec![q.yes]
            }
            None => vec![],
        },
        Some(Act::No) => {
            s.confirm = None;
            s.info(s.lang.cat().t_cancelled.to_string());
            vec![]
        }
        _ => vec![],
    }
}

/// The question in a box in the middle of `area`, over the screen.
pub fn draw(frame: &mut Frame, area: Rect, c: &Catalogue, q: &Confirm, t: &Theme) {
    let max_w = usize::from(area.width.saturating_sub(4)).max(10);
    let inner_w = q
        .lines
        .iter()
        .map(|l| width(l))
        .chain([width(&q.question), width(c.people.confirm_keys)])
        .max()
        .unwrap_or(10)
        .min(max_w.saturating_sub(2));
    let mut lines: Vec<Line> = Vec::new();
    for l in &q.lines {
        lines.extend(wrap(l, inner_w).into_iter().map(Line::from));
    }
    lines.push(Line::from(""));
    lines.extend(
        wrap(&q.question, inner_w)
            .into_iter()
            .map(|l| Line::from(Span::styled(l, t.key()))),
    );
    lines.extend(
        wrap(c.people.confirm_keys, inner_w)
            .into_iter()
            .map(Line::from),
    );
    let h = (lines.len() as u16 + 2).min(area.height);
    let w = (inner_w as u16 + 2).min(area.width);
    let rect = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(c.people.confirm_title),
        ),
        rect,
    );
}
