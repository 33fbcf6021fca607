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

/// The notice line: a message, marked when it is an error (`(text, is_error)`).
pub fn notice(
    frame: &mut Frame,
    area: Rect,
    c: &Catalogue,
    shown: Option<(&str, bool)>,
    t: &Theme,
) {
    let (text, style) = match shown {
        Some((m, false)) => (format!(" {m}"), Style::default()),
        Some((m, true)) => (format!(" {} {m}", c.t_error_mark), t.error()),
        None => (String::new(), Style::default()),
    };
    frame.render_widget(
        Paragraph::new(fit(&text, area.width as usize)).style(style),
        area,
    );
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
