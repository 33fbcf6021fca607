//! Generic pieces every screen uses: styles, width-aware text, list cursors, text input,
//! the form machinery and the chrome around the screens (title, notice, key hints).

pub mod chrome;
pub mod form;
pub mod input;

use crate::tui::keymap::Act;
use ratatui::style::{Color, Modifier, Style};
use unicode_width::UnicodeWidthChar;

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
    pub fn key(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }
    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
}

pub use crate::domain::text::{ELLIPSIS, fit, pad, width};

/// Move a list cursor by one row or one page (of 10), staying inside the list.
pub fn move_cursor(cursor: &mut usize, len: usize, act: Act) {
    if len == 0 {
        *cursor = 0;
        return;
    }
    *cursor = match act {
        Act::MoveUp => cursor.saturating_sub(1),
        Act::MoveDown => (*cursor + 1).min(len - 1),
        Act::PageUp => cursor.saturating_sub(10),
        Act::PageDown => (*cursor + 10).min(len - 1),
        _ => *cursor,
    };
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

/// The text after its first `cells` display cells (to scroll a text field).
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
