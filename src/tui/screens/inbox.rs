//! The office's start screen: the escalations waiting for its response (上报待处理), oldest
//! first. From here the office responds (optionally with a new deadline), marks a hazard
//! rectified, or asks a leader to re-check it; each is a hazard event that reaches the
//! laptops with their next sync.

use super::{Form, FormPurpose, Screen, State};
use crate::domain::deadline::parse_deadline;
use crate::domain::text::clean;
use crate::store::{HazardAction, InboxRow};
use crate::tui::effect::Effect;
use crate::tui::keymap::Act;
use crate::tui::widgets::form::{Field, FieldId, FieldKind, deadline_message};
use crate::tui::widgets::{Theme, fit, move_cursor};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph};
use tui_input::Input;

#[derive(Default)]
pub struct Inbox {
    pub rows: Vec<InboxRow>,
    pub cursor: usize,
}

impl Inbox {
    pub fn selected(&self) -> Option<&InboxRow> {
        self.rows.get(self.cursor)
    }
}

/// Go to the inbox (the office's start screen) and load it.
pub fn open(s: &mut State) -> Vec<Effect> {
    s.screen = Screen::Inbox;
    s.back_stack.clear();
    vec![Effect::LoadInbox]
}

pub fn loaded(s: &mut State, rows: Vec<InboxRow>) {
    let keep = s.inbox.selected().map(|r| r.hazard.id.clone());
    s.inbox.rows = rows;
    if let Some(k) = keep.and_then(|id| s.inbox.rows.iter().position(|r| r.hazard.id == id)) {
        s.inbox.cursor = k;
    }
    s.inbox.cursor = s.inbox.cursor.min(s.inbox.rows.len().saturating_sub(1));
}

/// An office action was saved: back to the inbox, reloaded, saying what was done.
pub fn done(s: &mut State, text: String) -> Vec<Effect> {
    let back = s.form.take().map(|f| f.back).unwrap_or(Screen::Inbox);
    s.screen = back;
    s.info(text);
    match back {
        Screen::Inbox => vec![Effect::LoadInbox],
        _ => vec![],
    }
}

/// What a form of the inbox is about: the hazard, where, and its deadline in force.
fn context(s: &State, r: &InboxRow) -> String {
    let h = &r.hazard;
    format!(
        "{} {} · {} {} · {}",
        h.number,
        h.description,
        h.compound,
        h.building,
        (s.lang.cat().office.deadline_mark)(&h.deadline)
    )
}

fn text_field(id: FieldId) -> Field {
    Field {
        id,
        kind: FieldKind::Text(Input::default()),
    }
}

fn form(purpose: FormPurpose, title: &str, fields: Vec<Field>, context: String) -> Form {
    Form {
        purpose,
        title: title.to_string(),
        fields,
        focus: 0,
        error: None,
        context,
        saving: false,
        back: Screen::Inbox,
    }
}

/// A key on the inbox.
pub fn key(s: &mut State, act: Option<Act>) -> Vec<Effect> {
    let w = s.lang.cat().office;
    match act {
        Some(a @ (Act::MoveUp | Act::MoveDown | Act::PageUp | Act::PageDown)) => {
            move_cursor(&mut s.inbox.cursor, s.inbox.rows.len(), a)
        }
        Some(Act::Open) => {
            if let Some(r) = s.inbox.selected() {
                let hazard_id = r.hazard.id.clone();
                s.back_stack.push(Screen::Inbox);
                return vec![Effect::LoadDetail { hazard_id }];
            }
        }
        Some(Act::OfficeResponse) => {
            if let Some(r) = s.inbox.selected() {
                let f = form(
                    FormPurpose::OfficeRespond {
                        hazard_id: r.hazard.id.clone(),
                    },
                    w.respond_title,
                    vec![
                        text_field(FieldId::Response),
                        text_field(FieldId::NewDeadline),
                    ],
                    context(s, r),
                );
                s.form = Some(f);
                s.screen = Screen::Form;
            }
        }
        Some(Act::MarkRectified) => {
            if let Some(r) = s.inbox.selected() {
                let f = form(
                    FormPurpose::OfficeRectify {
                        hazard_id: r.hazard.id.clone(),
                    },
                    w.rectify_title,
                    vec![text_field(FieldId::Note)],
                    context(s, r),
                );
                s.form = Some(f);
                s.screen = Screen::Form;
            }
        }
        Some(Act::AssignRecheck) => {
            if let Some(r) = s.inbox.selected() {
                // The people in service, the one who escalated first.
                let mut options: Vec<(String, String)> = s
                    .people
                    .iter()
                    .map(|p| (p.name.clone(), p.name.clone()))
                    .collect();
                let index = options
                    .iter()
                    .position(|(n, _)| *n == r.escalated_by)
                    .unwrap_or(0);
                if options.is_empty() {
                    options.push((String::new(), String::new()));
                }
                let f = form(
                    FormPurpose::AssignRecheck {
                        hazard_id: r.hazard.id.clone(),
                    },
                    w.assign_title,
                    vec![
                        Field {
                            id: FieldId::Person,
                            kind: FieldKind::Choice { options, index },
                        },
                        text_field(FieldId::Note),
                    ],
                    context(s, r),
                );
                s.form = Some(f);
                s.screen = Screen::Form;
            }
        }
        Some(Act::OpenLedger) => return super::ledger::open_ledger(s),
        // Search: the community's ledger, its text filter ready to type in.
        Some(Act::Search) => {
            let effects = super::ledger::open_ledger(s);
            s.ledger.typing = true;
            return effects;
        }
        Some(Act::OpenDevices) => return super::devices::open(s),
        Some(Act::OpenToday) => return super::today::open(s),
        Some(Act::OpenPeople) => return super::people::open(s),
        Some(Act::Quit) => s.quit = true,
        _ => {}
    }
    vec![]
}

/// Save one of the inbox's forms: what it asks of the store, as the office (no person).
pub fn save(s: &mut State, purpose: FormPurpose) -> Vec<Effect> {
    let (c, today) = (s.lang.cat(), s.today);
    let w = c.office;
    let number = s
        .inbox
        .selected()
        .map(|r| r.hazard.number.clone())
        .unwrap_or_default();
    let Some(f) = s.form.as_mut() else {
        return vec![];
    };
    if f.check_common(c, today).is_err() {
        return vec![];
    }
    let note = clean(&f.text(FieldId::Note));
    let (hazard_id, actions, done) = match purpose {
        FormPurpose::OfficeRespond { hazard_id } => {
            let note = clean(&f.text(FieldId::Response));
            if note.is_empty() {
                return f.fail(FieldId::Response, c.e_required.to_string());
            }
            // A new deadline first: if the rules refuse it, nothing is saved.
            let mut actions = Vec::new();
            let typed = clean(&f.text(FieldId::NewDeadline));
            if !typed.is_empty() {
                match parse_deadline(&typed, today) {
                    Ok(to) => actions.push(HazardAction::Extend {
                        to,
                        reason: note.clone(),
                    }),
                    Err(e) => return f.fail(FieldId::NewDeadline, deadline_message(c, e)),
                }
            }
            actions.push(HazardAction::OfficeResponse { note });
            (hazard_id, actions, (w.responded)(&number))
        }
        FormPurpose::OfficeRectify { hazard_id } => (
            hazard_id,
            vec![HazardAction::Rectify { note }],
            (w.rectified)(&number),
        ),
        FormPurpose::AssignRecheck { hazard_id } => {
            let to = f.choice(FieldId::Person);
            if to.is_empty() {
                return f.fail(FieldId::Person, c.e_required.to_string());
            }
            let done = (w.assigned)(&number, &to);
            (hazard_id, vec![HazardAction::Assign { to, note }], done)
        }
        _ => return vec![],
    };
    f.saving = true;
    vec![Effect::OfficeAction {
        hazard_id,
        actions,
        done,
    }]
}

pub fn draw(frame: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let c = s.lang.cat();
    let w = c.office;
    let inner_w = area.width.saturating_sub(4) as usize;
    let block = Block::default()
        .borders(Borders::ALL)
        .title(fit(&(w.inbox_title)(s.inbox.rows.len()), inner_w));
    if s.inbox.rows.is_empty() {
        frame.render_widget(Paragraph::new(w.inbox_empty).block(block), area);
        return;
    }
    // Each escalation takes three lines: who and when; the place and the hazard; the note.
    let page = (area.height.saturating_sub(2) as usize / 3).max(1);
    let first = (s.inbox.cursor / page) * page;
    let items: Vec<ListItem> = s
        .inbox
        .rows
        .iter()
        .skip(first)
        .take(page)
        .map(|r| {
            let h = &r.hazard;
            let when = r.escalated_at.get(..16).unwrap_or(&r.escalated_at);
            let day = chrono::NaiveDate::parse_from_str(
                r.escalated_at.get(..10).unwrap_or(""),
                "%Y-%m-%d",
            );
            let days = day.map_or(0, |d| (s.today - d).num_days());
            let mut head = (w.escalated_by)(&when.replace('T', " "), &r.escalated_by, days);
            if let Some(p) = &r.assigned_to {
                head = format!("{head} · {}", (w.assigned_mark)(p));
            }
            let unit = h.unit.map(|u| (c.unit_name)(u)).unwrap_or_default();
            let place = format!("{} {} {}", h.compound, h.building, unit);
            let overdue = h.days_overdue(s.today);
            let due = if overdue > 0 {
                format!(
                    "{} {}",
                    (w.deadline_mark)(&h.deadline),
                    (c.t_overdue_days)(overdue)
                )
            } else {
                (w.deadline_mark)(&h.deadline)
            };
            let what = format!(
                "  {} {} {} · {}",
                place.trim(),
                h.number,
                h.description,
                due
            );
            let note = if r.note.is_empty() {
                String::new()
            } else {
                format!("  {}", (w.escalated_note)(&r.note))
            };
            ListItem::new(vec![
                Line::from(fit(&head, inner_w)),
                Line::from(fit(&what, inner_w)),
                Line::from(fit(&note, inner_w)),
            ])
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(s.inbox.cursor - first));
    frame.render_stateful_widget(
        List::new(items)
            .block(block)
            .highlight_style(t.selected())
            .highlight_symbol("> "),
        area,
        &mut state,
    );
}
