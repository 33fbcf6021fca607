//! Drawing the ledger.

use crate::store::{LedgerSort, StatusFilter};
use crate::tui::screens::State;
use crate::tui::widgets::{Theme, fit, pad, skip_cells, width};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph};

pub fn draw(frame: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let c = s.lang.cat();
    let l = &s.ledger;
    let [tabs, filters, list] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
    ])
    .areas(area);
    // Status tabs: the chosen one in brackets and reversed (not colour alone). When they do
    // not all fit with room around them, they are drawn closer, so that "all" stays on screen.
    let labels: Vec<(bool, String)> = StatusFilter::ALL
        .iter()
        .enumerate()
        .map(|(k, f)| {
            let n = l.counts.iter().find(|(x, _)| x == f).map_or(0, |(_, n)| *n);
            (
                *f == l.filter.status,
                format!("{} {n}", c.status_filters[k]),
            )
        })
        .collect();
    let roomy: usize = 1 + labels.iter().map(|(_, s)| width(s) + 2).sum::<usize>();
    let gap = if roomy <= tabs.width as usize {
        " "
    } else {
        ""
    };
    let mut spans = vec![Span::raw(" ")];
    for (chosen, label) in labels {
        if chosen {
            spans.push(Span::styled(format!("[{label}]"), t.selected()));
            if gap.is_empty() {
                spans.push(Span::raw(" "));
            }
        } else if gap.is_empty() {
            spans.push(Span::raw(format!("{label} ")));
        } else {
            spans.push(Span::raw(format!("{gap}{label}{gap}")));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), tabs);
    let sort_k = LedgerSort::ALL
        .iter()
        .position(|x| *x == l.filter.sort)
        .unwrap_or(0);
    let mut parts: Vec<String> = Vec::new();
    let f = &l.filter;
    for v in [&f.grid, &f.compound].into_iter().flatten() {
        parts.push(v.clone());
    }
    if let Some(cat) = &f.category {
        parts.push(c.category(cat));
    }
    if let Some(sev) = f.severity {
        parts.push(c.severity(sev).to_string());
    }
    if let Some(p) = &f.leader {
        parts.push(
            l.choices
                .leaders
                .iter()
                .find(|x| &x.0 == p)
                .map(|x| x.1.clone())
                .unwrap_or_default(),
        );
    }
    if f.from.is_some() || f.to.is_some() {
        let d = |x: Option<chrono::NaiveDate>| {
            x.map(|d| d.format("%m-%d").to_string()).unwrap_or_default()
        };
        parts.push(format!("{}~{}", d(f.from), d(f.to)));
    }
    if f.recurring {
        parts.push(c.t_recurring_word.to_string());
    }
    let filters_text = if parts.is_empty() {
        c.t_none.to_string()
    } else {
        parts.join(" ")
    };
    let head = format!(
        " {}  {}  / ",
        (c.t_ledger_filters)(&filters_text),
        c.sorts[sort_k]
    );
    let room = (filters.width as usize).saturating_sub(width(&head));
    let scroll = l.text.visual_scroll(room);
    frame.render_widget(
        Paragraph::new(fit(
            &format!("{head}{}", skip_cells(l.text.value(), scroll)),
            filters.width as usize,
        )),
        filters,
    );
    if l.typing {
        let x = filters.x + (width(&head) + l.text.visual_cursor().saturating_sub(scroll)) as u16;
        frame.set_cursor_position(Position::new(
            x.min(filters.right().saturating_sub(1)),
            filters.y,
        ));
    }
    let inner_w = list.width.saturating_sub(4) as usize;
    let wide = inner_w >= 110;
    let items: Vec<ListItem> = l
        .shown
        .iter()
        .filter_map(|i| l.rows.get(*i))
        .map(|h| {
            let overdue = h.days_overdue(s.today);
            let status = if overdue > 0 {
                format!("{} {}", c.status(h.status), (c.t_overdue_days)(overdue))
            } else {
                c.status(h.status).to_string()
            };
            let place = {
                let mut p = format!("{} {}", h.compound, h.building);
                if let Some(u) = h.unit {
                    p.push(' ');
                    p.push_str(&(c.unit_name)(u));
                }
                p
            };
            let rec = if h.recurrence > 0 {
                (c.t_recurring)(h.recurrence)
            } else {
                String::new()
            };
            let style = if overdue > 0 {
                t.hazard()
            } else {
                Style::default()
            };
            let deadline = h.deadline.get(5..).unwrap_or(&h.deadline);
            let found = crate::domain::sync::found_by(&h.found_by, &h.number);
            if !wide {
                // Two lines, words in full: the number, place, severity and status; then the
                // deadline and what the hazard is.
                let first = format!(
                    "{} {}  {}  {status}",
                    h.number,
                    place,
                    c.severity(h.severity)
                );
                let mut second = format!(
                    "  {}{} {found} · {}",
                    (c.nu.ledger_due)(deadline),
                    c.f_leader,
                    h.description
                );
                if !rec.is_empty() {
                    second.push_str(&format!("  ({rec})"));
                }
                return ListItem::new(vec![
                    Line::from(fit(&first, inner_w)),
                    Line::from(fit(&second, inner_w)),
                ])
                .style(style);
            }
            let mut text = format!(
                "{} {} {} {} {} {} {} {}",
                pad(&h.number, 16),
                pad(&found, 10),
                pad(&place, 22),
                pad(c.severity(h.severity), 8),
                pad(deadline, 5),
                pad(&status, 22),
                pad(&h.party_name, 8),
                h.description,
            );
            if !rec.is_empty() {
                text.push_str(&format!("  ({rec})"));
            }
            ListItem::new(fit(&text, inner_w)).style(style)
        })
        .collect();
    let title = (c.t_ledger_title)(l.shown.len(), l.total);
    let block = Block::default().borders(Borders::ALL).title(title);
    let mut state = ListState::default().with_selected((!items.is_empty()).then_some(l.cursor));
    frame.render_stateful_widget(
        List::new(items)
            .block(block)
            .highlight_style(t.selected())
            .highlight_symbol("> "),
        list,
        &mut state,
    );
}
