//! The day's report: the text for the group chat (scrolls), and where the files went.

use super::{Screen, State};
use crate::tui::effect::Effect;
use crate::tui::keymap::Act;
use crate::tui::widgets::{Theme, fit, move_cursor, wrap};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

/// The day's report as the app shows it: the text for the group chat, and the files.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportPreview {
    pub text: String,
    pub dir: String,
    pub files: Vec<String>,
    pub scroll: usize,
}

/// The report was written: show it.
pub fn written(s: &mut State, p: ReportPreview) {
    s.info((s.lang.cat().t_report_written)(&p.dir));
    s.report = Some(p);
    s.screen = Screen::Report;
}

/// A key on the report preview: scroll; Esc goes back to the start screen.
pub fn key(s: &mut State, act: Option<Act>) -> Vec<Effect> {
    match act {
        Some(a @ (Act::MoveUp | Act::MoveDown | Act::PageUp | Act::PageDown)) => {
            if let Some(r) = s.report.as_mut() {
                let lines = r.text.lines().count();
                move_cursor(&mut r.scroll, lines, a);
            }
            vec![]
        }
        Some(Act::Back) => {
            s.screen = Screen::Start;
            vec![Effect::LoadStart]
        }
        _ => vec![],
    }
}

/// Drawn without a frame, so that text copied from the screen has no box borders in it;
/// the file to paste from is named under the text.
pub fn draw(frame: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let Some(r) = s.report.as_ref() else { return };
    let c = s.lang.cat();
    let [title, body, saved, files] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(2),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    // Masking is said in the text itself (its last summary line), for the chat too.
    let heading = c.t_report_title.trim();
    frame.render_widget(
        Paragraph::new(Line::from(fit(heading, title.width as usize)).style(t.title())),
        title,
    );
    let w = body.width as usize;
    let lines: Vec<Line> = r
        .text
        .lines()
        .skip(r.scroll)
        .flat_map(|l| wrap(l, w))
        .take(body.height as usize)
        .map(Line::from)
        .collect();
    frame.render_widget(Paragraph::new(lines), body);
    // The chat text's own file, then the others: the first in full, then the others'
    // extensions ("report-2026-11-23.md  .csv  .xlsx  .html").
    let txt = r.files.iter().find(|f| f.ends_with(".txt"));
    if let Some(f) = txt {
        frame.render_widget(
            Paragraph::new(
                Line::from(fit(&(c.nu.chat_saved)(f), saved.width as usize)).style(t.key()),
            ),
            saved,
        );
    }
    let mut names = String::new();
    for f in r.files.iter().filter(|f| Some(*f) != txt) {
        if names.is_empty() {
            names.push_str(f);
        } else {
            names.push_str("  ");
            names.push_str(f.rfind('.').map_or(f.as_str(), |i| &f[i..]));
        }
    }
    frame.render_widget(
        Paragraph::new(Line::from(fit(&names, files.width as usize))),
        files,
    );
}
