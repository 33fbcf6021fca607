//! Forms: a new hazard, extending a deadline, escalating to the community office.

use super::inspector::skip_cells;
use super::{Theme, fit, pad, width};
use crate::domain::deadline::parse_deadline;
use crate::domain::text::clean;
use crate::tui::state::{FieldId, FieldKind, State};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

pub fn draw(frame: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let Some(f) = s.form.as_ref() else { return };
    let c = s.lang.cat();
    let block = Block::default()
        .borders(Borders::ALL)
        .title(f.title.as_str());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines: Vec<Line> = vec![Line::from(fit(&f.context, w)), Line::from("")];
    let mut cursor: Option<Position> = None;
    // Labels as wide as the widest one (plus the focus mark), at most a third of the width.
    let label_w = f
        .fields
        .iter()
        .map(|x| width(field_label(c, x.id)))
        .max()
        .unwrap_or(8)
        + 3;
    #[allow(non_snake_case)]
    let LABEL = label_w.min(w / 3);
    for (k, field) in f.fields.iter().enumerate() {
        let focused = k == f.focus;
        let label = pad(
            &format!(
                "{} {}",
                if focused { ">" } else { " " },
                field_label(c, field.id)
            ),
            LABEL,
        );
        let room = w.saturating_sub(LABEL + 1);
        let value: Vec<Span> = match &field.kind {
            FieldKind::Text(input) | FieldKind::Date { input, .. } => {
                let scroll = input.visual_scroll(room.saturating_sub(20).max(10));
                let mut shown = skip_cells(input.value(), scroll);
                if let FieldKind::Date { .. } = field.kind {
                    let resolved = match parse_deadline(&clean(input.value()), s.today) {
                        Ok(d) => format!(
                            "  = {} {}",
                            d.format("%Y-%m-%d"),
                            c.weekdays
                                [chrono::Datelike::weekday(&d).num_days_from_monday() as usize]
                        ),
                        Err(_) => String::new(),
                    };
                    if focused {
                        let x = inner.x
                            + (LABEL + 1 + input.visual_cursor().saturating_sub(scroll)) as u16;
                        cursor = Some(Position::new(
                            x.min(inner.right().saturating_sub(1)),
                            inner.y + lines.len() as u16,
                        ));
                    }
                    shown = format!("{shown}{resolved}   {}", c.t_date_hint);
                } else if focused {
                    let x =
                        inner.x + (LABEL + 1 + input.visual_cursor().saturating_sub(scroll)) as u16;
                    cursor = Some(Position::new(
                        x.min(inner.right().saturating_sub(1)),
                        inner.y + lines.len() as u16,
                    ));
                }
                vec![Span::raw(fit(&shown, room))]
            }
            FieldKind::Severity(sev) => {
                vec![Span::styled(format!("< {} >", c.severity(*sev)), t.key())]
            }
            FieldKind::Choice { options, index } => {
                let label = options.get(*index).map(|o| o.1.as_str()).unwrap_or("");
                vec![Span::styled(
                    format!("< {} >", fit(label, room.saturating_sub(4))),
                    t.key(),
                )]
            }
            FieldKind::Toggle(on) => {
                let text = if *on {
                    format!("[✓] {}", c.t_yes)
                } else {
                    format!("[ ] {}", c.t_no)
                };
                vec![Span::raw(text)]
            }
        };
        let mut spans = vec![
            Span::styled(
                label,
                if focused {
                    t.key()
                } else {
                    ratatui::style::Style::default()
                },
            ),
            Span::raw(" "),
        ];
        spans.extend(value);
        lines.push(Line::from(spans));
        if let Some((ek, msg)) = &f.error
            && *ek == k
        {
            lines.push(Line::from(Span::styled(
                fit(
                    &format!("{}{} {msg}", " ".repeat(LABEL + 1), c.t_error_mark),
                    w,
                ),
                t.error(),
            )));
        }
    }
    if f.saving {
        lines.push(Line::from(""));
        lines.push(Line::from(c.t_saving));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(p) = cursor
        && p.y < inner.bottom()
    {
        frame.set_cursor_position(p);
    }
}

fn field_label(c: &crate::i18n::Catalogue, id: FieldId) -> &'static str {
    match id {
        FieldId::Description => c.f_description,
        FieldId::Spot => c.f_spot,
        FieldId::PartyName => c.f_party_name,
        FieldId::PartyRoom => c.f_party_room,
        FieldId::PartyPhone => c.f_party_phone,
        FieldId::Severity => c.f_severity,
        FieldId::Deadline => c.f_deadline,
        FieldId::FixedNow => c.f_fixed_now,
        FieldId::Escalate => c.f_escalate,
        FieldId::EscalateNote => c.f_escalate_note,
        FieldId::Reason => c.f_reason,
        FieldId::To => c.f_to,
        FieldId::Note => c.f_note,
        FieldId::Grid => c.f_grid,
        FieldId::Compound => c.f_compound,
        FieldId::Category => c.f_category,
        FieldId::Leader => c.f_leader,
        FieldId::From => c.f_from,
        FieldId::Until => c.f_until,
        FieldId::Recurring => c.f_recurring,
    }
}
