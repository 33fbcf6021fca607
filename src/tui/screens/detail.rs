//! One hazard with everything known about it and its full history; its actions (rectify,
//! extend, escalate, office response, reopen) and the notice.

use super::hazard_forms::{escalate_form, extend_form, note_form};
use super::{FormPurpose, Screen, State, go_back};
use crate::domain::HazardStatus;
use crate::store::{HazardEvent, HazardRow};
use crate::tui::effect::Effect;
use crate::tui::keymap::Act;
use crate::tui::widgets::form::FieldId;
use crate::tui::widgets::{Theme, fit, pad, width};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

pub struct Detail {
    pub hazard: HazardRow,
    pub history: Vec<HazardEvent>,
    /// How many photos the hazard has.
    pub photos: usize,
    /// The folder photos were last attached from (filled in when asking for one).
    pub photo_folder: String,
    /// `n` on a closed hazard asked "write a notice anyway?" (n again writes it).
    pub confirm_notice: bool,
}

/// A key on the detail screen: the action forms, the building history, the notice, back.
pub fn key(s: &mut State, act: Option<Act>) -> Vec<Effect> {
    let c = s.lang.cat();
    let Some(d) = s.detail.as_ref() else {
        return go_back(s);
    };
    let h = d.hazard.clone();
    let asked = d.confirm_notice;
    if let Some(d) = s.detail.as_mut() {
        d.confirm_notice = false;
    }
    if asked && act != Some(Act::WriteNotice) {
        s.info(c.nu.notice_not_written.to_string());
        return vec![];
    }
    let context = format!("{} {}", h.number, h.description);
    let form = match act {
        Some(Act::MarkRectified) => Some(note_form(
            s,
            FormPurpose::Rectify {
                hazard_id: h.id.clone(),
            },
            c.t_rectify_title,
            FieldId::Note,
            context,
        )),
        Some(Act::OfficeResponse) => Some(note_form(
            s,
            FormPurpose::Respond {
                hazard_id: h.id.clone(),
            },
            c.t_respond_title,
            FieldId::Note,
            context,
        )),
        Some(Act::Reopen) => Some(note_form(
            s,
            FormPurpose::Reopen {
                hazard_id: h.id.clone(),
            },
            c.t_reopen_title,
            FieldId::Reason,
            context,
        )),
        Some(Act::ExtendDeadline) => Some(extend_form(s, &h, Screen::Detail)),
        Some(Act::Escalate) => Some(escalate_form(s, &h, Screen::Detail)),
        Some(Act::OpenHistory) => {
            s.back_stack.push(Screen::Detail);
            return vec![Effect::LoadHistory {
                building_id: h.building_id.clone(),
            }];
        }
        Some(Act::WriteNotice) => {
            // A closed hazard needs no notice: say so first; n again writes it anyway.
            let closed = matches!(h.status, HazardStatus::Rectified | HazardStatus::Voided);
            if closed && !asked {
                if let Some(d) = s.detail.as_mut() {
                    d.confirm_notice = true;
                }
                return vec![];
            }
            return vec![Effect::WriteNotice {
                hazard_id: h.id.clone(),
            }];
        }
        Some(Act::AttachPhotos) => return super::attach::open(s),
        Some(Act::Back) => return go_back(s),
        _ => None,
    };
    if let Some(f) = form {
        s.form = Some(f);
        s.screen = Screen::Form;
    }
    vec![]
}

/// An action on the hazard was saved: reload it.
pub fn action_done(s: &mut State, hazard_id: String) -> Vec<Effect> {
    s.info(s.lang.cat().t_saved.to_string());
    vec![Effect::LoadDetail { hazard_id }]
}

pub fn draw(frame: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let Some(d) = s.detail.as_ref() else { return };
    let c = s.lang.cat();
    let h = &d.hazard;
    let [top, hist] = Layout::vertical([Constraint::Length(14), Constraint::Min(3)]).areas(area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(c.t_detail_title);
    let inner = block.inner(top);
    frame.render_widget(block, top);
    let w = inner.width as usize;
    let overdue = h.days_overdue(s.today);
    let mut place = format!("{} {}", h.compound, h.building);
    if let Some(u) = h.unit {
        place.push(' ');
        place.push_str(&(c.unit_name)(u));
    }
    if !h.spot.is_empty() {
        place.push(' ');
        place.push_str(&h.spot);
    }
    let status = if overdue > 0 {
        format!("{} ({})", c.status(h.status), (c.t_overdue_days)(overdue))
    } else {
        c.status(h.status).to_string()
    };
    let party = [
        h.party_name.as_str(),
        h.party_room.as_str(),
        h.party_phone.as_str(),
    ]
    .iter()
    .filter(|x| !x.is_empty())
    .copied()
    .collect::<Vec<_>>()
    .join(" ");
    let rows: Vec<(&str, String)> = vec![
        (c.ledger_columns[0], h.number.clone()),
        (c.ledger_columns[3], place),
        (c.ledger_columns[6], h.description.clone()),
        (
            c.ledger_columns[4],
            format!("{} {}", h.item_id, c.category(&h.category)),
        ),
        (c.ledger_columns[7], c.severity(h.severity).to_string()),
        (c.ledger_columns[8], party),
        (
            c.ledger_columns[1],
            format!(
                "{} {}",
                h.found_at
                    .get(..16)
                    .unwrap_or(&h.found_at)
                    .replace('T', " "),
                h.found_by
            ),
        ),
        (c.ledger_columns[11], h.deadline.clone()),
        (c.ledger_columns[12], status),
        (
            c.ledger_columns[14],
            if h.recurrence > 0 {
                (c.t_recurring)(h.recurrence)
            } else {
                "0".into()
            },
        ),
        (
            c.ledger_columns[15],
            h.escalated_to.clone().unwrap_or_default(),
        ),
        (c.people.photos_label, (c.people.photo_row)(d.photos)),
    ];
    let label_w = rows.iter().map(|(l, _)| width(l)).max().unwrap_or(8) + 1;
    let lines: Vec<Line> = rows
        .into_iter()
        .map(|(l, v)| {
            let style = if overdue > 0 && l == c.ledger_columns[12] {
                t.hazard()
            } else {
                ratatui::style::Style::default()
            };
            Line::from(vec![
                Span::styled(pad(l, label_w), t.key()),
                Span::styled(fit(&v, w.saturating_sub(label_w)), style),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", c.t_history_events));
    let inner = block.inner(hist);
    frame.render_widget(block, hist);
    let w = inner.width as usize;
    // Each event wrapped, not cut: an escalation note or the office's response is read in
    // full (newest first).
    let lines: Vec<Line> = d
        .history
        .iter()
        .rev()
        .flat_map(|e| {
            let when = e.at.get(..16).unwrap_or(&e.at).replace('T', " ");
            let value = match (&e.old_value, &e.new_value) {
                (Some(o), Some(n)) if !o.is_empty() && !n.is_empty() => format!("{o} -> {n}"),
                (_, Some(n)) => n.clone(),
                _ => String::new(),
            };
            let text = format!(
                "{when}  {}  {}  {value}  {}",
                pad(c.event_kind(e.kind), 8),
                e.by,
                e.note
            );
            crate::tui::widgets::wrap(text.trim_end(), w)
                .into_iter()
                .map(Line::from)
        })
        .take(inner.height as usize)
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
    if d.confirm_notice {
        let closed = d.hazard.closed_day.as_deref().unwrap_or("");
        crate::tui::widgets::chrome::popup(frame, area, &(c.nu.notice_closed_ask)(closed));
    }
}
