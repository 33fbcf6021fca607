//! The form machinery: fields (text, date with presets, severity, choice, toggle), moving
//! between them, typing, the checks every form shares, and drawing. What a form is *for*
//! (`P`) and where it returns (`B`) belong to the screens; saving is theirs too.

use super::input::{input_request, type_into};
use super::{Theme, fit, pad, skip_cells, width};
use crate::domain::Severity;
use crate::domain::deadline::{DeadlineError, PRESET_DAYS, parse_deadline};
use crate::domain::text::{MAX_TEXT_CHARS, clean};
use crate::i18n::Catalogue;
use crate::tui::keymap::Act;
use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use tui_input::Input;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldId {
    Description,
    Spot,
    PartyName,
    PartyRoom,
    PartyPhone,
    Severity,
    Deadline,
    FixedNow,
    Escalate,
    EscalateNote,
    Reason,
    To,
    Note,
    Grid,
    Compound,
    Category,
    Leader,
    From,
    Until,
    Recurring,
    PersonName,
    PersonRole,
    PersonPhone,
    /// The whole building or one unit (people: assign).
    Unit,
    /// One of a person's duties (people: take back).
    Duty,
    /// A folder or a file of photos.
    PhotoPath,
    /// A new deadline that may be left empty (the office's response).
    NewDeadline,
    /// One of the people (the office: who re-checks, whose laptop).
    Person,
    /// The office's response to an escalation.
    Response,
}

#[derive(Clone, Debug)]
pub enum FieldKind {
    Text(Input),
    /// Severity: Left/Right choose.
    Severity(Severity),
    /// A date typed or chosen from presets with Left/Right. `preset` is the preset shown;
    /// `days` is the shown day's distance from today when the form filled it in (so Left and
    /// Right go to the neighbouring presets); `typed` is false while the value is the form's
    /// own, and the first key typed then replaces it ("+3" is "+3", not "2026-12-06+3").
    Date {
        input: Input,
        preset: Option<usize>,
        days: Option<i64>,
        typed: bool,
    },
    Toggle(bool),
    /// One of a list (value, label); Left/Right choose. Value "" means "any".
    Choice {
        options: Vec<(String, String)>,
        index: usize,
    },
}

/// Why a typed deadline is not one, in words.
pub fn deadline_message(c: &Catalogue, e: DeadlineError) -> String {
    match e {
        DeadlineError::Unreadable => c.e_date_unreadable.to_string(),
        DeadlineError::NoSuchDate => c.e_date_no_such.to_string(),
        DeadlineError::InThePast(d) => (c.e_date_past)(&d.format("%Y-%m-%d").to_string()),
    }
}

#[derive(Clone, Debug)]
pub struct Field {
    pub id: FieldId,
    pub kind: FieldKind,
}

pub struct Form<P, B> {
    /// What the form is for.
    pub purpose: P,
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub error: Option<(usize, String)>,
    /// Shown above the fields (the item, or the hazard being acted on).
    pub context: String,
    /// The form was sent to the store; waiting for the answer.
    pub saving: bool,
    /// The screen under the form (where Esc and saving return).
    pub back: B,
}

/// A form's fields did not pass a check; the message is on the field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Invalid;

/// What a key did to a form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormKey {
    /// Handled inside the form (or ignored).
    Edited,
    /// Esc: leave the form, keep nothing.
    Cancel,
    /// Enter: check and save (the screen that owns the form does it).
    Save,
}

impl<P, B> Form<P, B> {
    pub fn text(&self, id: FieldId) -> String {
        self.fields
            .iter()
            .find(|f| f.id == id)
            .map(|f| match &f.kind {
                FieldKind::Text(i) | FieldKind::Date { input: i, .. } => i.value().to_string(),
                _ => String::new(),
            })
            .unwrap_or_default()
    }
    pub fn toggle(&self, id: FieldId) -> bool {
        self.fields
            .iter()
            .any(|f| f.id == id && matches!(f.kind, FieldKind::Toggle(true)))
    }
    /// The chosen value of a choice field ("" for any).
    pub fn choice(&self, id: FieldId) -> String {
        self.fields
            .iter()
            .find(|f| f.id == id)
            .and_then(|f| match &f.kind {
                FieldKind::Choice { options, index } => options.get(*index).map(|o| o.0.clone()),
                _ => None,
            })
            .unwrap_or_default()
    }
    pub fn severity(&self) -> Option<Severity> {
        self.fields.iter().find_map(|f| match f.kind {
            FieldKind::Severity(s) => Some(s),
            _ => None,
        })
    }
    pub fn index_of(&self, id: FieldId) -> Option<usize> {
        self.fields.iter().position(|f| f.id == id)
    }
    /// Does the focused field take typed characters?
    pub fn typing(&self) -> bool {
        matches!(
            self.fields.get(self.focus).map(|f| &f.kind),
            Some(FieldKind::Text(_) | FieldKind::Date { .. })
        )
    }

    /// Put a message on a field, focus it, and send nothing.
    pub fn fail<T>(&mut self, id: FieldId, msg: String) -> Vec<T> {
        let k = self.index_of(id).unwrap_or(0);
        self.focus = k;
        self.error = Some((k, msg));
        vec![]
    }

    /// The checks every form shares: the deadline (if the form has one) must be a day to come,
    /// and no text longer than the limit.
    pub fn check_common(
        &mut self,
        c: &Catalogue,
        today: NaiveDate,
    ) -> Result<Option<NaiveDate>, Invalid> {
        let deadline = match self.index_of(FieldId::Deadline) {
            Some(_) => match parse_deadline(&clean(&self.text(FieldId::Deadline)), today) {
                Ok(d) => Some(d),
                Err(e) => {
                    self.fail::<()>(FieldId::Deadline, deadline_message(c, e));
                    return Err(Invalid);
                }
            },
            None => None,
        };
        for id in [
            FieldId::Description,
            FieldId::Spot,
            FieldId::PartyName,
            FieldId::PartyRoom,
            FieldId::EscalateNote,
            FieldId::Reason,
            FieldId::To,
            FieldId::Note,
            FieldId::Response,
        ] {
            if self.index_of(id).is_some() && clean(&self.text(id)).chars().count() > MAX_TEXT_CHARS
            {
                self.fail::<()>(id, (c.e_too_long)(MAX_TEXT_CHARS));
                return Err(Invalid);
            }
        }
        Ok(deadline)
    }

    /// A key in the form: move between fields, choose, toggle, type. Esc and Enter are the
    /// owner's to act on.
    pub fn key(&mut self, c: &Catalogue, k: KeyEvent, act: Option<Act>) -> FormKey {
        if self.saving {
            return FormKey::Edited;
        }
        let f = self;
        let n = f.fields.len();
        match act {
            Some(Act::NextField) => f.focus = (f.focus + 1) % n,
            Some(Act::PrevField) => f.focus = (f.focus + n - 1) % n,
            Some(Act::Cancel) => return FormKey::Cancel,
            Some(Act::Save) => return FormKey::Save,
            Some(a @ (Act::PrevChoice | Act::NextChoice)) => {
                let forward = a == Act::NextChoice;
                if let Some(field) = f.fields.get_mut(f.focus) {
                    match &mut field.kind {
                        FieldKind::Severity(sev) => {
                            let all = Severity::ALL;
                            let i = all.iter().position(|x| x == sev).unwrap_or(0);
                            *sev = all[if forward {
                                (i + 1).min(all.len() - 1)
                            } else {
                                i.saturating_sub(1)
                            }];
                        }
                        FieldKind::Date {
                            input,
                            preset,
                            days,
                            typed,
                        } => {
                            let last = PRESET_DAYS.len() - 1;
                            let k = match (*preset, forward, *days) {
                                (Some(p), true, _) => (p + 1).min(last),
                                (Some(p), false, _) => p.saturating_sub(1),
                                // From the form's own day: the neighbouring preset.
                                (None, true, Some(d)) if !*typed => {
                                    PRESET_DAYS.iter().position(|p| *p > d).unwrap_or(last)
                                }
                                (None, false, Some(d)) if !*typed => {
                                    PRESET_DAYS.iter().rposition(|p| *p < d).unwrap_or(0)
                                }
                                (None, _, _) => 0,
                            };
                            *preset = Some(k);
                            *days = Some(PRESET_DAYS[k]);
                            *typed = false;
                            *input = Input::new(preset_label(c, k));
                        }
                        FieldKind::Toggle(v) => *v = forward,
                        FieldKind::Choice { options, index } => {
                            let n = options.len().max(1);
                            *index = if forward {
                                (*index + 1) % n
                            } else {
                                (*index + n - 1) % n
                            };
                        }
                        FieldKind::Text(input) => {
                            if let Some(req) = input_request(&k) {
                                input.handle(req);
                            }
                        }
                    }
                }
                f.error = None;
            }
            Some(Act::Toggle) => {
                if let Some(Field {
                    kind: FieldKind::Toggle(v),
                    ..
                }) = f.fields.get_mut(f.focus)
                {
                    *v = !*v;
                }
            }
            _ => {
                if let Some(req) = input_request(&k)
                    && let Some(field) = f.fields.get_mut(f.focus)
                {
                    match &mut field.kind {
                        FieldKind::Text(i) => type_into(i, req),
                        FieldKind::Date {
                            input,
                            preset,
                            days,
                            typed,
                        } => {
                            if !*typed {
                                // The first key replaces the form's own value.
                                *input = Input::default();
                                *typed = true;
                            }
                            type_into(input, req);
                            *preset = None;
                            *days = None;
                        }
                        _ => {}
                    }
                    f.error = None;
                }
            }
        }
        FormKey::Edited
    }

    /// Pasted text goes into the focused text field.
    pub fn paste(&mut self, text: &str) {
        if let Some(field) = self.fields.get_mut(self.focus) {
            match &mut field.kind {
                FieldKind::Text(i) => super::input::paste_into(i, text),
                FieldKind::Date {
                    input,
                    preset,
                    days,
                    typed,
                } => {
                    if !*typed {
                        *input = Input::default();
                        *typed = true;
                    }
                    super::input::paste_into(input, text);
                    *preset = None;
                    *days = None;
                }
                _ => {}
            }
        }
        self.error = None;
    }

    /// Draw the form; the focused text field gets the terminal cursor (for input methods).
    pub fn draw(&self, frame: &mut Frame, area: Rect, c: &Catalogue, today: NaiveDate, t: &Theme) {
        let f = self;
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
                        let resolved = match parse_deadline(&clean(input.value()), today) {
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
                        let x = inner.x
                            + (LABEL + 1 + input.visual_cursor().saturating_sub(scroll)) as u16;
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
}

/// The text a preset puts in the deadline field: "+3" etc. (today is "今天"/"today").
pub fn preset_label(c: &Catalogue, k: usize) -> String {
    match PRESET_DAYS.get(k) {
        Some(0) | None => c.t_today.to_string(),
        Some(d) => format!("+{d}"),
    }
}

/// The label of a field.
fn field_label(c: &Catalogue, id: FieldId) -> &'static str {
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
        FieldId::PersonName => c.people.f_name,
        FieldId::PersonRole => c.people.f_role,
        FieldId::PersonPhone => c.people.f_phone,
        FieldId::Unit => c.people.f_unit,
        FieldId::Duty => c.people.f_duty,
        FieldId::PhotoPath => c.people.f_path,
        FieldId::NewDeadline => c.office.f_new_deadline,
        FieldId::Person => c.office.f_person,
        FieldId::Response => c.office.f_response,
    }
}
