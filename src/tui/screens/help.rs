//! The `?` overlay: every key of this screen and the global ones, from the key map.

use super::State;
use crate::tui::keymap::{context_name, help_rows, live_keys};
use crate::tui::widgets::{Theme, fit, pad, width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

pub fn draw(frame: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let c = s.lang.cat();
    let ctx = s.context();
    let typing = s.typing();
    // Each binding with the keys that act now (while typing, letters go to the field).
    let rows: Vec<_> = help_rows(ctx)
        .filter_map(|b| live_keys(b, ctx, typing).map(|k| (k, b)))
        .collect();
    let w = area.width.saturating_sub(4).min(76);
    let h = (rows.len() as u16 + 4).min(area.height.saturating_sub(2));
    let x = area.x + (area.width - w) / 2;
    let y = area.y + (area.height.saturating_sub(h)) / 2;
    let rect = Rect::new(x, y, w, h);
    let inner = w.saturating_sub(2) as usize;
    let mut lines: Vec<Line> = rows
        .iter()
        .map(|(keys, b)| {
            let keys = pad(keys, 14);
            let rest = fit(
                &format!("{} ({})", (b.help)(c), context_name(c, b.context)),
                inner.saturating_sub(width(&keys) + 1),
            );
            Line::from(vec![
                Span::styled(keys, t.key()),
                Span::raw(" "),
                Span::raw(rest),
            ])
        })
        .collect();
    lines.push(Line::from(""));
    lines.push(Line::from(fit(c.t_help_close, inner)));
    crate::tui::widgets::chrome::clear_under(frame, rect);
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(c.t_help_title)),
        rect,
    );
}
