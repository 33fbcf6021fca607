//! The office's laptops (设备): each enrolled laptop with its person, letter, last sync and
//! how many of its records the office has received. Add one (the enrolment file is written
//! into a folder beside the database, and its path shown), or revoke one after a question.

use super::{Form, FormPurpose, Screen, State, confirm::Confirm, go_back};
use crate::store::devices::Device;
use crate::tui::effect::Effect;
use crate::tui::keymap::Act;
use crate::tui::widgets::form::{Field, FieldId, FieldKind};
use crate::tui::widgets::{Theme, fit, move_cursor, pad};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph};

#[derive(Default)]
pub struct Devices {
    pub rows: Vec<Device>,
    pub cursor: usize,
}

pub fn open(s: &mut State) -> Vec<Effect> {
    s.back_stack.push(s.screen);
    s.screen = Screen::Devices;
    s.notice = None;
    vec![Effect::LoadDevices]
}

/// The list was loaded; after a change (`done`), the form is closed and the notice says
/// what was done.
pub fn loaded(s: &mut State, rows: Vec<Device>, done: Option<String>) {
    s.devices.rows = rows;
    s.devices.cursor = s.devices.cursor.min(s.devices.rows.len().saturating_sub(1));
    if let Some(text) = done {
        if s.form.take().is_some() {
            // A new laptop goes to the end of the list: show it.
            s.devices.cursor = s.devices.rows.len().saturating_sub(1);
        }
        s.screen = Screen::Devices;
        s.info(text);
    }
}

pub fn key(s: &mut State, act: Option<Act>) -> Vec<Effect> {
    let w = s.lang.cat().office;
    match act {
        Some(a @ (Act::MoveUp | Act::MoveDown | Act::PageUp | Act::PageDown)) => {
            move_cursor(&mut s.devices.cursor, s.devices.rows.len(), a)
        }
        Some(Act::AddDevice) => {
            let options: Vec<(String, String)> = s
                .people
                .iter()
                .map(|p| {
                    (
                        p.id.clone(),
                        format!("{} {}", p.name, s.lang.cat().role(p.role)),
                    )
                })
                .collect();
            if options.is_empty() {
                s.error(s.lang.cat().t_no_buildings.to_string());
                return vec![];
            }
            s.form = Some(Form {
                purpose: FormPurpose::AddDevice,
                title: w.add_device_title.to_string(),
                fields: vec![Field {
                    id: FieldId::Person,
                    kind: FieldKind::Choice { options, index: 0 },
                }],
                focus: 0,
                error: None,
                context: w.k_add_device.to_string(),
                saving: false,
                back: Screen::Devices,
            });
            s.screen = Screen::Form;
        }
        Some(Act::Revoke) => {
            let sw = s.lang.cat().sync;
            if let Some(d) = s.devices.rows.get(s.devices.cursor) {
                if d.revoked_at.is_some() {
                    let text = (sw.revoked_already)(&d.letter, &d.person_name);
                    s.info(text);
                    return vec![];
                }
                s.confirm = Some(Confirm {
                    lines: (w.revoke_lines)(&d.letter, &d.person_name).to_vec(),
                    question: w.revoke_ask.to_string(),
                    yes: Effect::RevokeDevice { id: d.id.clone() },
                });
            }
        }
        Some(Act::Back) => return go_back(s),
        _ => {}
    }
    vec![]
}

/// Save the add-a-laptop form: the chosen person.
pub fn save(s: &mut State) -> Vec<Effect> {
    let Some(f) = s.form.as_mut() else {
        return vec![];
    };
    let person_id = f.choice(FieldId::Person);
    if person_id.is_empty() {
        return f.fail(FieldId::Person, s.lang.cat().e_required.to_string());
    }
    f.saving = true;
    vec![Effect::AddDevice { person_id }]
}

pub fn draw(frame: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let c = s.lang.cat();
    let w = c.office;
    let [head, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
    let inner_w = list.width.saturating_sub(4) as usize;
    frame.render_widget(
        Paragraph::new(fit(&format!("   {}", w.devices_head), area.width as usize)),
        head,
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .title(fit(&(w.devices_title)(s.devices.rows.len()), inner_w));
    if s.devices.rows.is_empty() {
        frame.render_widget(Paragraph::new(w.devices_none).block(block), list);
        return;
    }
    let items: Vec<ListItem> = s
        .devices
        .rows
        .iter()
        .map(|d| {
            let last = d
                .last_sync
                .as_deref()
                .map(|l| l.get(..16).unwrap_or(l).replace('T', " "))
                .unwrap_or_else(|| c.sync.never.to_string());
            let state = match &d.revoked_at {
                Some(at) => format!("{} {}", c.sync.revoked_mark, at.get(..10).unwrap_or(at)),
                None => w.active.to_string(),
            };
            let text = format!(
                "{} {} {} {} {}",
                pad(&d.letter, 4),
                pad(&d.person_name, 11),
                pad(&last, 17),
                pad(&format!("{:>8}", d.rows_in), 8),
                state
            );
            ListItem::new(Line::from(fit(&text, inner_w)))
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(s.devices.cursor));
    frame.render_stateful_widget(
        List::new(items)
            .block(block)
            .highlight_style(t.selected())
            .highlight_symbol("> "),
        list,
        &mut state,
    );
}
