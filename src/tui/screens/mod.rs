//! Drawing only: each screen in its own file reads the state and draws; no SQL, no changes.

mod detail;
mod form;
mod help;
mod history;
mod inspector;
mod ledger;
mod overview;
mod picker;
mod report;
mod start;
mod walk;

use super::keymap::{Context, help_rows};
use super::state::{Notice, Screen, State};
use crate::i18n::Catalogue;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthChar;

/// The smallest terminal the app draws in.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// Styles. Meaning is never carried by colour alone: every state also has a symbol and a
/// word, and the selection is reversed video. With `NO_COLOR` no colour is used at all.
pub struct Theme {
    pub no_color: bool,
}

impl Theme {
    pub fn new(no_color: bool) -> Theme {
        Theme { no_color }
    }
    fn fg(&self, c: Color) -> Style {
        if self.no_color {
            Style::default()
        } else {
            Style::default().fg(c)
        }
    }
    pub fn title(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD | Modifier::REVERSED)
    }
    pub fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }
    pub fn ok(&self) -> Style {
        self.fg(Color::Green)
    }
    pub fn hazard(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn warn(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    pub fn dim(&self) -> Style {
        if self.no_color {
            Style::default()
        } else {
            Style::default().fg(Color::Gray)
        }
    }
    pub fn key(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }
    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
}

pub use crate::domain::text::{ELLIPSIS, fit, pad, width};

pub fn draw(frame: &mut Frame, s: &State, t: &Theme) {
    let area = frame.area();
    let c = s.lang.cat();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = (c.t_too_small)(MIN_WIDTH, MIN_HEIGHT, area.width, area.height);
        let lines: Vec<Line> = wrap(&msg, area.width as usize)
            .into_iter()
            .map(Line::from)
            .collect();
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    let [top, body, notice, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_title(frame, top, s, t);
    match s.screen {
        Screen::Inspector => inspector::draw(frame, body, s, t),
        Screen::Start => start::draw(frame, body, s, t),
        Screen::Picker => picker::draw(frame, body, s, t),
        Screen::Walk => walk::draw(frame, body, s, t),
        Screen::Form => form::draw(frame, body, s, t),
        Screen::Ledger => ledger::draw(frame, body, s, t),
        Screen::Detail => detail::draw(frame, body, s, t),
        Screen::History => history::draw(frame, body, s, t),
        Screen::Report => report::draw(frame, body, s, t),
    }
    draw_notice(frame, notice, s, t);
    draw_hints(frame, hints, s, t);
    if s.help {
        help::draw(frame, area, s, t);
    }
}

fn draw_title(frame: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let c = s.lang.cat();
    let weekday = c.weekdays[chrono::Datelike::weekday(&s.today).num_days_from_monday() as usize];
    let who = s
        .inspector
        .as_ref()
        .map(|p| (c.t_inspector_is)(&p.name))
        .unwrap_or_default();
    let text = format!(
        " {} | {} | {} {} | {}",
        c.app_name,
        s.community,
        s.today.format("%Y-%m-%d"),
        weekday,
        who
    );
    frame.render_widget(
        Paragraph::new(pad(&text, area.width as usize)).style(t.title()),
        area,
    );
}

fn draw_notice(frame: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let (text, style) = match &s.notice {
        Some(Notice::Info(m)) => (format!(" {m}"), Style::default()),
        Some(Notice::Error(m)) => (format!(" {} {m}", s.lang.cat().t_error_mark), t.error()),
        None => (String::new(), Style::default()),
    };
    frame.render_widget(
        Paragraph::new(fit(&text, area.width as usize)).style(style),
        area,
    );
}

/// The bottom line: the keys of this screen, from the key map.
fn draw_hints(frame: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let c = s.lang.cat();
    let ctx = s.context();
    let mut spans = Vec::new();
    let mut w = 0usize;
    let max = area.width as usize;
    let rows: Vec<_> = help_rows(ctx)
        .filter(|b| b.context != Context::Global)
        .collect();
    let first = [("?", c.k_help_short)];
    for (keys, what) in first
        .iter()
        .map(|(k, h)| (*k, *h))
        .chain(rows.iter().map(|b| (b.keys, short(c, (b.help)(c)))))
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
fn short<'a>(_c: &Catalogue, s: &'a str) -> &'a str {
    s.split(['，', ',', '(', '（', ';', '；'])
        .next()
        .unwrap_or(s)
        .trim()
}

/// Wrap text to a width in cells (for messages).
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut out = vec![String::new()];
    let mut w = 0;
    for ch in s.chars() {
        let cw = ch.width().unwrap_or(0);
        if w + cw > max {
            out.push(String::new());
            w = 0;
        }
        if let Some(last) = out.last_mut() {
            last.push(ch);
        }
        w += cw;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cuts_by_display_width() {
        assert_eq!(fit("新芙蓉之都2栋", 20), "新芙蓉之都2栋");
        assert_eq!(fit("新芙蓉之都2栋", 6), "新芙..");
        assert_eq!(width(&fit("新芙蓉之都2栋", 7)), 6);
        assert_eq!(pad("楼", 4), "楼  ");
        assert_eq!(fit("abc", 0), "");
    }

    #[test]
    fn symbols_in_the_interface_are_not_ambiguous_width() {
        for sym in ["✓", "✗", ELLIPSIS, "|", "-", ">"] {
            for c in sym.chars() {
                assert_eq!(c.width(), c.width_cjk(), "{sym} is ambiguous-width");
            }
        }
    }
}
