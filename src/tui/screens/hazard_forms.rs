//! The forms that act on one hazard, from the re-check or the hazard's detail: extend the
//! deadline, escalate to the office, and the note forms (rectified, office response, reopen);
//! what saving each sends.

use super::{Form, FormPurpose, Screen, State};
use crate::domain::text::clean;
use crate::i18n::Catalogue;
use crate::store::{HazardAction, HazardRow};
use crate::tui::effect::{Effect, Verdict};
use crate::tui::widgets::form::{Field, FieldId, FieldKind};
use chrono::{Duration, NaiveDate};
use tui_input::Input;

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
                    days: Some((default - s.today).num_days()),
                    typed: false,
                },
            },
            Field {
                id: FieldId::Reason,
                kind: FieldKind::Text(Input::default()),
            },
        ],
        focus: 1,
        error: None,
        // The deadline in force first (a long description is cut, not it).
        context: format!(
            "{} · {} {}",
            (c.nu.old_deadline)(&h.deadline, h.days_overdue(s.today)),
            h.number,
            h.description
        ),
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

/// Save the extend form: a reason is required.
pub fn save_extend(
    f: &mut Form,
    c: &Catalogue,
    inspector: Option<String>,
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
    inspector: Option<String>,
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

/// A form with one text field (a note or a reason) about a hazard.
pub fn note_form(
    s: &State,
    purpose: FormPurpose,
    title: &str,
    field: FieldId,
    context: String,
) -> Form {
    Form {
        purpose,
        title: title.to_string(),
        fields: vec![Field {
            id: field,
            kind: FieldKind::Text(Input::default()),
        }],
        focus: 0,
        error: None,
        context,
        saving: false,
        back: s.screen,
    }
}

/// Save a note form of the detail screen (rectified, office response, reopen).
pub fn save_note(
    f: &mut Form,
    c: &Catalogue,
    inspector: Option<String>,
    purpose: FormPurpose,
) -> Vec<Effect> {
    let note = clean(&f.text(FieldId::Note));
    let reason = clean(&f.text(FieldId::Reason));
    let (hazard_id, action) = match purpose {
        FormPurpose::Rectify { hazard_id } => (hazard_id, HazardAction::Rectify { note }),
        FormPurpose::Respond { hazard_id } => {
            if note.is_empty() {
                return f.fail(FieldId::Note, c.e_reason_required.to_string());
            }
            (hazard_id, HazardAction::OfficeResponse { note })
        }
        FormPurpose::Reopen { hazard_id } => {
            if reason.is_empty() {
                return f.fail(FieldId::Reason, c.e_reason_required.to_string());
            }
            (hazard_id, HazardAction::Reopen { reason })
        }
        _ => return vec![],
    };
    f.saving = true;
    vec![Effect::HazardAction {
        inspector,
        hazard_id,
        action,
        verdict: None,
    }]
}
