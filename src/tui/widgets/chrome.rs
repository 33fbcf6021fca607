//! The chrome around every screen: the title bar, the notice line and the key hints.

use super::{Theme, fit, pad, width};
use crate::i18n::Catalogue;
use crate::tui::keymap::{Context, help_rows};
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// The top line: app, community, day and weekday, who patrols.
pub fn title(
    frame: &mut Frame,
    area: Rect,
    c: &Catalogue,
    community: &str,
    today: NaiveDate,
    inspector: Option<&str>,
    t: &Theme,
) {
    let weekday = c.weekdays[chrono::Datelike::weekday(&today).num_days_from_monday() as usize];
    let who = inspector.map(|n| (c.t_inspector_is)(n)).unwrap_or_default();
    let text = format!(
        " {} | {} | {} {} | {}",
        c.app_name,
        community,
        today.format("%Y-%m-%d"),
        weekday,
        who
    );
    frame.render_widget(
        Paragraph::new(pad(&text, area.width as usize)).style(t.title()),
        area,
    );
}

/// The notice's lines at this width: a message, marked when it is an error (`(text,
/// is_error)`), wrapped rather than cut.
pub fn notice_lines(c: &Catalogue, shown: Option<(&str, bool)>, width: u16) -> Vec<String> {
    let text = match shown {
        Some((m, false)) => format!(" {m}"),
        Some((m, true)) => format!(" {} {m}", c.t_error_mark),
        None => return vec![String::new()],
    };
    super::wrap(&text, usize::from(width.max(1)))
}

/// The notice area: the lines of [`notice_lines`], the last one cut if there is no room.
pub fn notice(frame: &mut Frame, area: Rect, lines: Vec<String>, error: bool, t: &Theme) {
    let style = if error { t.error() } else { Style::default() };
    let room = usize::from(area.height.max(1));
    let cut = lines.len() > room;
    let lines: Vec<Line> = lines
        .into_iter()
        .take(room)
        .enumerate()
        .map(|(i, l)| {
            let l = if cut && i + 1 == room {
                fit(
                    &format!("{l}{}", crate::domain::text::ELLIPSIS),
                    area.width as usize,
                )
            } else {
                fit(&l, area.width as usize)
            };
            Line::from(l)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).style(style), area);
}

/// The bottom line: the keys of this screen, from the key map.
pub fn hints(frame: &mut Frame, area: Rect, c: &Catalogue, ctx: Context, t: &Theme) {
    let mut spans = Vec::new();
    let mut w = 0usize;
    let max = area.width as usize;
    let rows: Vec<_> = help_rows(ctx)
        .filter(|b| b.context == ctx && b.hint)
        .collect();
    let first = [("?", c.k_help_short)];
    for (keys, what) in first
        .iter()
        .map(|(k, h)| (*k, *h))
        .chain(rows.iter().map(|b| (b.keys, short((b.help)(c)))))
    {
        let piece = width(keys) + width(what) + 3;
        if w + piece > max {
            break;
        }
        spans.push(Span::styled(format!(" {keys}"), t.key()));
        spans.push(Span::raw(format!(" {what} ")));
        w += piece;
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The first phrase of a help text, for the hint line.
fn short(s: &str) -> &str {
    s.split(['，', ',', '(', '（', ';', '；'])
        .next()
        .unwrap_or(s)
        .trim()
}

/// A one-line question in a box, in the middle of `area` (over what is drawn there).
pub fn popup(frame: &mut Frame, area: Rect, text: &str) {
    let wdt = (width(text) as u16 + 4).min(area.width);
    let rect = Rect::new(
        area.x + (area.width - wdt) / 2,
        area.y + area.height / 2,
        wdt,
        3,
    );
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(text).block(Block::default().borders(Borders::ALL)),
        rect,
    );
}
