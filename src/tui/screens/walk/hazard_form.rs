//! A hazard found on the walk (`x`): the form, what saving it sends, and the receipt.

use super::{UndoEntry, advance, section_complete_for};
use crate::domain::deadline::PRESET_DAYS;
use crate::domain::text::{clean, valid_phone};
use crate::domain::{AnswerValue, Severity};
use crate::store::{HazardReceipt, NewHazard, Slot};
use crate::tui::effect::Effect;
use crate::tui::screens::{Form, FormPurpose, Screen, State};
use crate::tui::widgets::form::{Field, FieldId, FieldKind, preset_label};
use chrono::{Duration, NaiveDate};
use tui_input::Input;

/// Open the hazard form for the item under the cursor.
pub fn open(s: &mut State) -> Vec<Effect> {
    let c = s.lang.cat();
    let zh = s.lang.is_zh();
    let Some(w) = s.walk.as_ref() else {
        return vec![];
    };
    if w.pending.is_some() {
        return vec![];
    }
    let Some(slot) = w.slot_at(w.cursor) else {
        return vec![];
    };
    let Some(item) = w.item_at(w.cursor).cloned() else {
        return vec![];
    };
    if w.answer(slot.unit_id.as_deref(), &slot.item_id) == Some(AnswerValue::Hazard) {
        s.info(c.t_already_hazard.to_string());
        return vec![];
    }
    let deadline = item.deadline.due(s.today);
    let preset = PRESET_DAYS
        .iter()
        .position(|d| s.today + Duration::days(*d) == deadline);
    let text = |s: &str| Field {
        id: FieldId::Description,
        kind: FieldKind::Text(Input::new(s.to_string())),
    };
    let mut fields = vec![text(item.hazard_text(zh))];
    for id in [
        FieldId::Spot,
        FieldId::PartyName,
        FieldId::PartyRoom,
        FieldId::PartyPhone,
    ] {
        fields.push(Field {
            id,
            kind: FieldKind::Text(Input::default()),
        });
    }
    fields.push(Field {
        id: FieldId::Severity,
        kind: FieldKind::Severity(item.severity),
    });
    fields.push(Field {
        id: FieldId::Deadline,
        kind: FieldKind::Date {
            input: Input::new(preset_label(c, preset.unwrap_or(0))),
            preset: Some(preset.unwrap_or(0)),
            days: Some(PRESET_DAYS[preset.unwrap_or(0)]),
            typed: false,
        },
    });
    fields.push(Field {
        id: FieldId::FixedNow,
        kind: FieldKind::Toggle(false),
    });
    fields.push(Field {
        id: FieldId::Escalate,
        kind: FieldKind::Toggle(false),
    });
    fields.push(Field {
        id: FieldId::EscalateNote,
        kind: FieldKind::Text(Input::default()),
    });
    let unit = w
        .current_section()
        .unit
        .as_ref()
        .map(|u| (c.unit_name)(u.number));
    s.form = Some(Form {
        purpose: FormPurpose::NewHazard {
            slot,
            category: item.category.clone(),
        },
        title: c.t_hazard_title.to_string(),
        fields,
        focus: 1,
        error: None,
        context: format!(
            "{} {} | {}",
            w.building.display_name(),
            unit.unwrap_or_default(),
            item.prompt(zh)
        ),
        saving: false,
        back: Screen::Walk,
    });
    s.screen = Screen::Form;
    vec![]
}

/// Save the hazard form (the shared checks have passed): phone and description checked here.
pub fn save(
    s: &mut State,
    inspector: String,
    slot: Slot,
    category: String,
    deadline: Option<NaiveDate>,
) -> Vec<Effect> {
    let (c, today) = (s.lang.cat(), s.today);
    let Some(f) = s.form.as_mut() else {
        return vec![];
    };
    let phone = clean(&f.text(FieldId::PartyPhone));
    if !phone.is_empty() && valid_phone(&phone).is_none() {
        return f.fail(FieldId::PartyPhone, c.e_phone.to_string());
    }
    let description = clean(&f.text(FieldId::Description));
    if description.is_empty() {
        return f.fail(FieldId::Description, c.e_required.to_string());
    }
    let escalate = f
        .toggle(FieldId::Escalate)
        .then(|| clean(&f.text(FieldId::EscalateNote)));
    let hazard = NewHazard {
        patrol_id: String::new(),
        slot,
        category,
        spot: clean(&f.text(FieldId::Spot)),
        description,
        severity: f.severity().unwrap_or(Severity::High),
        party_name: clean(&f.text(FieldId::PartyName)),
        party_room: clean(&f.text(FieldId::PartyRoom)),
        party_phone: phone,
        found_by: Some(inspector.clone()),
        deadline: deadline.unwrap_or(today),
        fixed_on_spot: f.toggle(FieldId::FixedNow),
        escalate,
    };
    f.saving = true;
    if let Some(w) = s.walk.as_mut() {
        w.pending = Some((hazard.slot.clone(), AnswerValue::Hazard));
    }
    vec![Effect::SaveHazard {
        inspector,
        hazard: Box::new(hazard),
    }]
}

/// The hazard was saved: the item shows it, the undo list keeps it, the walk moves on.
pub fn saved(s: &mut State, slot: Slot, receipt: HazardReceipt, day_answered: i64) -> Vec<Effect> {
    let c = s.lang.cat();
    s.day_answered = day_answered;
    s.form = None;
    s.screen = Screen::Walk;
    let Some(w) = s.walk.as_mut() else {
        return vec![];
    };
    w.pending = None;
    w.unsaved = None;
    let key = (slot.unit_id.clone(), slot.item_id.clone());
    let was_complete = section_complete_for(w, &slot);
    let before = w.answers.insert(key.clone(), AnswerValue::Hazard);
    w.hazards.insert(key, receipt.id.clone());
    w.undo.push(UndoEntry {
        slot: slot.clone(),
        before,
        after: AnswerValue::Hazard,
        hazard_id: Some(receipt.id.clone()),
    });
    let cmds = advance(s, &slot, was_complete);
    let text = if receipt.recurrence > 0 {
        (c.t_hazard_saved_recurring)(&receipt.number, receipt.recurrence)
    } else {
        (c.t_hazard_saved)(&receipt.number)
    };
    if cmds.is_empty() {
        s.info(text);
    }
    cmds
}
