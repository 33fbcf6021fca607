//! The chrome around every screen: the title bar, the notice line and the key hints.

use super::{Theme, fit, pad, width};
use crate::i18n::Catalogue;
use crate::tui::keymap::{Act, BINDINGS, Context, help_rows, live_keys};
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

/// Acts whose keys the hint line always keeps: the way in and the way out.
const ESSENTIAL: &[Act] = &[
    Act::Open,
    Act::Back,
    Act::Quit,
    Act::Save,
    Act::Cancel,
    Act::ToChecklist,
    Act::AnswerOk,
];

/// The bottom line: the keys of this screen, from the key map, as they act now (while a
/// field is typed in, letters are the field's: the move keys shown are the arrows). When
/// not all fit, the way in and out (Enter, Esc, q, ...) and as many others as fit show, in
/// the table's order, then `? 更多` (help lists them all).
pub fn hints(frame: &mut Frame, area: Rect, c: &Catalogue, ctx: Context, typing: bool, t: &Theme) {
    let max = area.width as usize;
    let help = BINDINGS
        .iter()
        .find(|b| b.acts.contains(&Act::ShowHelp))
        .and_then(|b| live_keys(b, ctx, typing))
        .and_then(|k| k.split(' ').next().map(str::to_owned))
        .unwrap_or_else(|| "F1".to_owned());
    let mut pieces: Vec<(String, &str, bool)> = Vec::new();
    for b in help_rows(ctx) {
        let own = ctx.owns(b.context) && b.hint;
        // While typing, say how to move: the arrows, not the letters.
        let moves = typing && b.context == Context::Global && b.acts.contains(&Act::MoveDown);
        if !(own || moves) {
            continue;
        }
        if let Some(keys) = live_keys(b, ctx, typing) {
            let essential = b.acts.iter().any(|a| ESSENTIAL.contains(a));
            pieces.push((keys, short((b.help)(c)), essential));
        }
    }
    let cost = |k: &str, w: &str| width(k) + width(w) + 3;
    let all: usize =
        pieces.iter().map(|(k, w, _)| cost(k, w)).sum::<usize>() + cost(&help, c.k_help_short);
    let shown: Vec<(String, &str)> = if all <= max {
        std::iter::once((help.clone(), c.k_help_short))
            .chain(pieces.iter().map(|(k, w, _)| (k.clone(), *w)))
            .collect()
    } else {
        let mut room = max.saturating_sub(cost(&help, c.nu.more));
        let mut keep = vec![false; pieces.len()];
        for pass_essential in [true, false] {
            for (i, (k, w, essential)) in pieces.iter().enumerate() {
                if *essential == pass_essential && !keep[i] && cost(k, w) <= room {
                    keep[i] = true;
                    room -= cost(k, w);
                }
            }
        }
        pieces
            .iter()
            .zip(keep)
            .filter(|(_, k)| *k)
            .map(|((k, w, _), _)| (k.clone(), *w))
            .chain(std::iter::once((help.clone(), c.nu.more)))
            .collect()
    };
    let mut spans = Vec::new();
    let mut w = 0usize;
    for (keys, what) in shown {
        let piece = cost(&keys, what);
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
    clear_under(frame, rect);
    frame.render_widget(
        Paragraph::new(text).block(Block::default().borders(Borders::ALL)),
        rect,
    );
}

/// Clear the area under a popup, cell by cell, wide characters included: a Chinese
/// character that starts just left of the popup would cover its left border (the terminal
/// draws it two columns wide), and one cut by its right border would leave half a glyph.
/// Such characters are replaced by spaces, then the area is cleared.
pub fn clear_under(frame: &mut Frame, rect: Rect) {
    let screen = frame.area();
    let buf = frame.buffer_mut();
    for y in rect.top()..rect.bottom() {
        // Left: a wide character in the column before the popup spills into it.
        if rect.left() > screen.left() {
            let cell = &mut buf[(rect.left() - 1, y)];
            if width(cell.symbol()) > 1 {
                cell.set_symbol(" ");
            }
        }
        // Right: the column after the popup may hold the second half of a wide character
        // that started inside it.
        if rect.right() < screen.right() {
            let inside_wide = width(buf[(rect.right() - 1, y)].symbol()) > 1;
            if inside_wide {
                buf[(rect.right(), y)].set_symbol(" ");
            }
        }
    }
    frame.render_widget(Clear, rect);
}
