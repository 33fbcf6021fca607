//! The re-check of a section's open hazards: rectified, still open, extend, escalate.

use super::{Phase, enter_section, next_section, verdict_word};
use crate::domain::text::clean;
use crate::i18n::Catalogue;
use crate::store::{HazardAction, HazardRow};
use crate::tui::effect::{Effect, Verdict};
use crate::tui::keymap::Act;
use crate::tui::screens::start::back_to_start;
use crate::tui::screens::{Form, FormPurpose, Screen, State};
use crate::tui::widgets::form::{Field, FieldId, FieldKind};
use crate::tui::widgets::move_cursor;
use chrono::Duration;
use chrono::NaiveDate;
use tui_input::Input;

pub fn key(s: &mut State, act: Act) -> Vec<Effect> {
    let Some(w) = s.walk.as_mut() else {
        return vec![];
    };
    let open: Vec<HazardRow> = w.section_open().into_iter().cloned().collect();
    let Some(inspector) = s.inspector.as_ref().map(|p| p.id.clone()) else {
        return vec![];
    };
    let selected = open.get(w.recheck_cursor).cloned();
    match act {
        Act::MoveUp | Act::MoveDown | Act::PageUp | Act::PageDown => {
            move_cursor(&mut w.recheck_cursor, open.len(), act)
        }
        Act::ToChecklist => w.phase = Phase::Checklist,
        Act::NextUnit => return next_section(s),
        Act::PrevUnit if w.section > 0 => {
            let k = w.section - 1;
            enter_section(w, k);
        }
        Act::Back => return back_to_start(s, None),
        Act::MarkRectified | Act::MarkStillOpen => {
            if let Some(h) = selected {
                let (action, verdict) = if act == Act::MarkRectified {
                    (
                        HazardAction::Rectify {
                            note: String::new(),
                        },
                        Verdict::Rectified,
                    )
                } else {
                    (
                        HazardAction::StillOpen {
                            note: String::new(),
                        },
                        Verdict::StillOpen,
                    )
                };
                return vec![Effect::HazardAction {
                    inspector,
                    hazard_id: h.id,
                    action,
                    verdict: Some(verdict),
                }];
            }
        }
        Act::ExtendDeadline => {
            if let Some(h) = selected {
                s.form = Some(extend_form(s, &h, Screen::Walk));
                s.screen = Screen::Form;
            }
        }
        Act::Escalate => {
            if let Some(h) = selected {
                s.form = Some(escalate_form(s, &h, Screen::Walk));
                s.screen = Screen::Form;
            }
        }
        _ => {}
    }
    vec![]
}

/// The form to extend a hazard's deadline: new date (default a week after the later of the
/// deadline and today) and a reason.
pub fn extend_form(s: &State, h: &HazardRow, back: Screen) -> Form {
    let c = s.lang.cat();
    let default = h.deadline_date().map_or(s.today, |d| d.max(s.today)) + Duration::days(7);
    Form {
        purpose: FormPurpose::Extend {
            hazard_id: h.id.clone(),
        },
        title: c.t_extend_title.to_string(),
        fields: vec![
            Field {
                id: FieldId::Deadline,
                kind: FieldKind::Date {
                    input: Input::new(default.format("%Y-%m-%d").to_string()),
                    preset: None,
                },
            },
            Field {
                id: FieldId::Reason,
                kind: FieldKind::Text(Input::default()),
            },
        ],
        focus: 1,
        error: None,
        context: format!("{} {}", h.number, h.description),
        saving: false,
        back,
    }
}

/// The form to escalate a hazard to the community office: to whom, and a note.
pub fn escalate_form(s: &State, h: &HazardRow, back: Screen) -> Form {
    let c = s.lang.cat();
    Form {
        purpose: FormPurpose::Escalate {
            hazard_id: h.id.clone(),
        },
        title: c.t_escalate_title.to_string(),
        fields: vec![
            Field {
                id: FieldId::To,
                kind: FieldKind::Text(Input::new(c.t_office_default.to_string())),
            },
            Field {
                id: FieldId::Note,
                kind: FieldKind::Text(Input::default()),
            },
        ],
        focus: 1,
        error: None,
        context: format!("{} {}", h.number, h.description),
        saving: false,
        back,
    }
}

/// A re-check verdict was saved: mark the hazard, go to the next one without a verdict (or
/// to the checklist when all have one).
pub fn verdict_saved(s: &mut State, hazard_id: String, verdict: Verdict) {
    let c = s.lang.cat();
    let Some(w) = s.walk.as_mut() else {
        return;
    };
    let number = w
        .open
        .iter()
        .find(|h| h.id == hazard_id)
        .map(|h| h.number.clone())
        .unwrap_or_default();
    w.verdicts.insert(hazard_id, verdict);
    let open = w.section_open();
    let left = open.iter().position(|h| !w.verdicts.contains_key(&h.id));
    match left {
        Some(k) => w.recheck_cursor = k,
        None => w.phase = Phase::Checklist,
    }
    s.info((c.t_verdict_saved)(&number, verdict_word(c, verdict)));
}

/// Save the extend form: a reason is required.
pub fn save_extend(
    f: &mut Form,
    c: &Catalogue,
    inspector: String,
    hazard_id: String,
    to: NaiveDate,
) -> Vec<Effect> {
    let reason = clean(&f.text(FieldId::Reason));
    if reason.is_empty() {
        return f.fail(FieldId::Reason, c.e_reason_required.to_string());
    }
    f.saving = true;
    vec![Effect::HazardAction {
        inspector,
        hazard_id,
        action: HazardAction::Extend { to, reason },
        verdict: Some(Verdict::Extended),
    }]
}

/// Save the escalate form: to whom is required.
pub fn save_escalate(
    f: &mut Form,
    c: &Catalogue,
    inspector: String,
    hazard_id: String,
) -> Vec<Effect> {
    let to = clean(&f.text(FieldId::To));
    if to.is_empty() {
        return f.fail(FieldId::To, c.e_required.to_string());
    }
    f.saving = true;
    let note = clean(&f.text(FieldId::Note));
    vec![Effect::HazardAction {
        inspector,
        hazard_id,
        action: HazardAction::Escalate { to, note },
        verdict: Some(Verdict::Escalated),
    }]
}
