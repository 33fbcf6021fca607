//! Drawing the walk: re-check of open hazards, then the checklist of the building or unit.

use super::{Phase, Walk, verdict_word};
use crate::domain::AnswerValue;
use crate::tui::screens::State;
use crate::tui::widgets::{Theme, fit, pad};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph};

pub fn draw(frame: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let Some(w) = s.walk.as_ref() else { return };
    let c = s.lang.cat();
    let [head, progress, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
    ])
    .areas(area);
    let sec = w.current_section();
    let place = match &sec.unit {
        Some(u) => format!(
            " {} > {} ({}/{})",
            w.building.display_name(),
            (c.unit_name)(u.number),
            w.section + 1,
            w.sections.len()
        ),
        None => format!(
            " {} > {} ({}/{})",
            w.building.display_name(),
            c.t_building_items,
            w.section + 1,
            w.sections.len()
        ),
    };
    frame.render_widget(
        Paragraph::new(fit(&place, head.width as usize)).style(t.key()),
        head,
    );
    let unit = w.section_progress(w.section);
    let building = w.building_progress();
    let part = match &sec.unit {
        Some(u) => (c.unit_name)(u.number),
        None => c.t_building_items.to_string(),
    };
    let text = (c.t_walk_progress)(
        &part,
        unit.done,
        unit.total,
        building.done,
        building.total,
        s.day_answered,
        s.day_total(),
    );
    frame.render_widget(
        Paragraph::new(fit(&format!(" {text}"), progress.width as usize)),
        progress,
    );
    match w.phase {
        Phase::Recheck => recheck(frame, body, s, w, t),
        Phase::Checklist => checklist(frame, body, s, w, t),
    }
    if w.changing {
        crate::tui::widgets::chrome::popup(frame, area, c.t_change_answer);
    }
    if let Some(n) = w.confirm_rest {
        let question = (c.nu.rest_confirm)(n);
        crate::tui::widgets::chrome::popup(frame, area, &question);
    }
}

/// Symbol and word for an answer: never colour alone.
fn answer_label(s: &State, v: Option<AnswerValue>) -> (String, bool) {
    let c = s.lang.cat();
    match v {
        Some(AnswerValue::Ok) => (format!("✓ {}", c.ans_ok), false),
        Some(AnswerValue::Hazard) => (format!("✗ {}", c.ans_hazard), true),
        Some(AnswerValue::NotApplicable) => (format!("- {}", c.ans_na), false),
        _ => (format!("  {}", c.ans_none), false),
    }
}

fn checklist(frame: &mut Frame, area: Rect, s: &State, w: &Walk, t: &Theme) {
    let c = s.lang.cat();
    let zh = s.lang.is_zh();
    let unit = w.unit_id();
    let inner_w = area.width.saturating_sub(4) as usize;
    let items: Vec<ListItem> = w
        .current_section()
        .items
        .iter()
        .map(|i| &w.items[*i])
        .map(|item| {
            let v = w.answer(unit.as_deref(), &item.id);
            let pending = w
                .pending
                .as_ref()
                .filter(|(slot, _)| slot.item_id == item.id && slot.unit_id == unit);
            let unsaved = w
                .unsaved
                .as_ref()
                .filter(|(slot, _)| slot.item_id == item.id && slot.unit_id == unit);
            let (label, bad) = answer_label(s, v);
            let label = if pending.is_some() {
                format!("  {}", c.t_saving)
            } else if unsaved.is_some() {
                format!("! {}", c.t_unsaved)
            } else {
                label
            };
            let style = if bad || unsaved.is_some() {
                t.hazard()
            } else if v.is_some() {
                t.ok()
            } else {
                Style::default()
            };
            let line = Line::from(vec![
                Span::styled(pad(&label, 12), style),
                Span::raw(fit(item.prompt(zh), inner_w.saturating_sub(12))),
            ]);
            ListItem::new(line)
        })
        .collect();
    let title = c.t_checklist_title;
    let mut state = ListState::default().with_selected(Some(w.cursor));
    frame.render_stateful_widget(
        List::new(items)
            .block(Block::default().borders(Borders::ALL).title(title))
            .highlight_style(t.selected())
            .highlight_symbol("> "),
        area,
        &mut state,
    );
}

fn recheck(frame: &mut Frame, area: Rect, s: &State, w: &Walk, t: &Theme) {
    let c = s.lang.cat();
    let inner_w = area.width.saturating_sub(4) as usize;
    let open = w.section_open();
    let items: Vec<ListItem> = open
        .iter()
        .map(|h| {
            let verdict = w
                .verdicts
                .get(&h.id)
                .map(|v| format!("✓ {}", verdict_word(c, *v)))
                .unwrap_or_else(|| format!("  {}", c.t_to_recheck));
            let overdue = h.days_overdue(s.today);
            let due = if overdue > 0 {
                (c.t_overdue_days)(overdue)
            } else {
                (c.t_deadline)(&h.deadline)
            };
            let rec = if h.recurrence > 0 {
                format!(" {}", (c.t_recurring)(h.recurrence))
            } else {
                String::new()
            };
            let spot = if h.spot.is_empty() {
                String::new()
            } else {
                format!("[{}] ", h.spot)
            };
            let text = format!(
                "{} {} {} {}{}{}",
                pad(&verdict, 12),
                pad(&due, 14),
                h.number,
                spot,
                h.description,
                rec
            );
            let style = if overdue > 0 && !w.verdicts.contains_key(&h.id) {
                t.hazard()
            } else {
                Style::default()
            };
            let mut lines = vec![Line::from(fit(&text, inner_w))];
            if let Some(word) = w.office_words.get(&h.id) {
                let said = match word {
                    crate::store::OfficeWord::Response(n) => (c.office.response_mark)(n),
                    crate::store::OfficeWord::Assigned(p) => (c.office.assigned_mark)(p),
                };
                lines.push(Line::from(fit(&format!("{} {said}", pad("", 12)), inner_w)));
            }
            ListItem::new(lines).style(style)
        })
        .collect();
    let title = (c.t_recheck_title)(open.len());
    let mut state = ListState::default().with_selected(Some(w.recheck_cursor));
    frame.render_stateful_widget(
        List::new(items)
            .block(Block::default().borders(Borders::ALL).title(title))
            .highlight_style(t.selected())
            .highlight_symbol("> "),
        area,
        &mut state,
    );
}
