//! The start screen's pictures: open hazards by category (bar chart) and hazards found and
//! rectified per day over the last 30 days (two labelled sparklines: no colour needed).

use super::State;
use crate::tui::widgets::{Theme, fit};
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph, Sparkline};

/// The start screen's pictures: open hazards by category; found and rectified per day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Overview {
    pub by_category: Vec<(String, i64)>,
    pub daily: Vec<(NaiveDate, i64, i64)>,
}

pub fn draw(frame: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let c = s.lang.cat();
    let [cats, daily] =
        Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
    let bars: Vec<Bar> = s
        .overview
        .by_category
        .iter()
        .map(|(cat, n)| {
            Bar::default()
                .value(u64::try_from(*n).unwrap_or(0))
                .label(ratatui::text::Line::from(c.category(cat)))
                .text_value(n.to_string())
        })
        .collect();
    let n = bars.len().max(1) as u16;
    let bar_w = ((cats.width.saturating_sub(2)) / n)
        .saturating_sub(1)
        .clamp(4, 12);
    frame.render_widget(
        BarChart::default()
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(c.t_overview_categories),
            )
            .data(BarGroup::default().bars(&bars))
            .bar_width(bar_w)
            .bar_gap(1)
            .value_style(t.selected()),
        cats,
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .title(c.t_overview_daily);
    let inner = block.inner(daily);
    frame.render_widget(block, daily);
    let found: Vec<u64> = s
        .overview
        .daily
        .iter()
        .map(|d| u64::try_from(d.1).unwrap_or(0))
        .collect();
    let fixed: Vec<u64> = s
        .overview
        .daily
        .iter()
        .map(|d| u64::try_from(d.2).unwrap_or(0))
        .collect();
    let max = found
        .iter()
        .chain(fixed.iter())
        .copied()
        .max()
        .unwrap_or(1)
        .max(1);
    let rows = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .split(inner);
    let w = inner.width as usize;
    frame.render_widget(
        Paragraph::new(fit(
            &(c.t_found_per_day)(found.iter().sum::<u64>() as i64),
            w,
        ))
        .style(t.key()),
        rows[0],
    );
    frame.render_widget(
        Sparkline::default().data(&found).max(max).style(t.hazard()),
        rows[1],
    );
    frame.render_widget(
        Paragraph::new(fit(
            &(c.t_fixed_per_day)(fixed.iter().sum::<u64>() as i64),
            w,
        ))
        .style(t.key()),
        rows[2],
    );
    frame.render_widget(
        Sparkline::default().data(&fixed).max(max).style(t.ok()),
        rows[3],
    );
}
