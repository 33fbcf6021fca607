//! The checklist: answer items (y/n/x), change an answer, undo, move between units.

use super::{Phase, UndoEntry, Walk, advance, enter_section, next_section, section_complete_for};
use crate::domain::AnswerValue;
use crate::store::Slot;
use crate::tui::effect::{Effect, SaveKind};
use crate::tui::keymap::Act;
use crate::tui::screens::start::back_to_start;
use crate::tui::screens::{Screen, State};
use crate::tui::widgets::move_cursor;

/// A key on the walk screen (the re-check phase has its own keys).
pub fn key(s: &mut State, act: Option<Act>) -> Vec<Effect> {
    let Some(w) = s.walk.as_mut() else {
        s.screen = Screen::Start;
        return vec![];
    };
    let Some(act) = act else { return vec![] };
    if let Some(n) = w.confirm_rest.take() {
        // Only y (or Space) answers the question; any other key cancels it.
        return match act {
            Act::AnswerOk => rest_ok(s, n),
            _ => {
                s.info(s.lang.cat().nu.rest_cancelled.to_string());
                vec![]
            }
        };
    }
    if w.changing {
        w.changing = false;
        return match act {
            Act::AnswerOk | Act::AnswerNa | Act::AnswerHazard => key(s, Some(act)),
            _ => vec![],
        };
    }
    if w.phase == Phase::Recheck {
        return super::recheck::key(s, act);
    }
    let len = w.current_section().items.len();
    match act {
        Act::MoveUp | Act::MoveDown | Act::PageUp | Act::PageDown => {
            move_cursor(&mut w.cursor, len, act)
        }
        Act::AnswerOk => return answer(s, AnswerValue::Ok),
        Act::AnswerNa => return answer(s, AnswerValue::NotApplicable),
        Act::AnswerHazard => return super::hazard_form::open(s),
        Act::ChangeAnswer => {
            let unit = w.unit_id();
            let answered = w
                .item_at(w.cursor)
                .and_then(|i| w.answer(unit.as_deref(), &i.id))
                .is_some();
            if answered {
                w.changing = true;
            } else {
                return answer(s, AnswerValue::Ok);
            }
        }
        Act::RestOk => {
            if w.pending.is_some() || w.pending_rest {
                return vec![];
            }
            let n = w.unanswered_slots().len();
            if n == 0 {
                s.info(s.lang.cat().nu.rest_none.to_string());
            } else {
                w.confirm_rest = Some(n);
            }
        }
        Act::Undo => return undo(s),
        Act::NextUnit => return next_section(s),
        Act::PrevUnit if w.section > 0 => {
            let k = w.section - 1;
            enter_section(w, k);
        }
        Act::Back => return back_to_start(s, None),
        Act::Search => {
            s.screen = Screen::Picker;
            s.picker.filtering = true;
        }
        _ => {}
    }
    vec![]
}

fn answer(s: &mut State, value: AnswerValue) -> Vec<Effect> {
    let Some(inspector) = s.inspector.as_ref().map(|p| p.id.clone()) else {
        return vec![];
    };
    let Some(w) = s.walk.as_mut() else {
        return vec![];
    };
    if w.pending.is_some() || w.pending_rest {
        return vec![];
    }
    let Some(slot) = w.slot_at(w.cursor) else {
        return vec![];
    };
    let key = (slot.unit_id.clone(), slot.item_id.clone());
    let before = w.answers.get(&key).copied();
    if before == Some(value) {
        if let Some(n) = w.first_unanswered_from(w.cursor) {
            w.cursor = n;
        }
        return vec![];
    }
    let void_hazard = if before == Some(AnswerValue::Hazard) {
        w.hazards.get(&key).cloned()
    } else {
        None
    };
    w.pending = Some((slot.clone(), value));
    w.unsaved = None;
    vec![Effect::SaveAnswer {
        inspector,
        slot,
        value,
        before,
        void_hazard,
        kind: SaveKind::Answer,
    }]
}

/// "The rest is OK" confirmed: save the unanswered items of this list as OK, together.
/// They show as answered only when the store reports the commit ([`rest_answered`]).
fn rest_ok(s: &mut State, asked: usize) -> Vec<Effect> {
    let Some(inspector) = s.inspector.as_ref().map(|p| p.id.clone()) else {
        return vec![];
    };
    let Some(w) = s.walk.as_mut() else {
        return vec![];
    };
    let slots = w.unanswered_slots();
    if slots.is_empty() || slots.len() != asked || w.pending.is_some() {
        return vec![];
    }
    w.pending_rest = true;
    w.unsaved = None;
    vec![Effect::SaveAnswers {
        inspector,
        slots,
        value: AnswerValue::Ok,
    }]
}

/// The rest of a list was saved: show every answer, keep each for undo, and move on.
pub fn rest_answered(s: &mut State, slots: Vec<Slot>, value: AnswerValue) -> Vec<Effect> {
    let Some(w) = s.walk.as_mut() else {
        return vec![];
    };
    w.pending_rest = false;
    let Some(last) = slots.last().cloned() else {
        return vec![];
    };
    let mut was_complete = false;
    for slot in &slots {
        was_complete = record(w, slot, value);
        w.undo.push(UndoEntry {
            slot: slot.clone(),
            before: None,
            after: value,
            hazard_id: None,
        });
    }
    let n = slots.len();
    s.notice = None;
    let effects = advance(s, &last, was_complete);
    if s.notice.is_none() {
        s.info((s.lang.cat().nu.rest_saved)(n));
    }
    effects
}

fn undo(s: &mut State) -> Vec<Effect> {
    let Some(inspector) = s.inspector.as_ref().map(|p| p.id.clone()) else {
        return vec![];
    };
    let Some(w) = s.walk.as_mut() else {
        return vec![];
    };
    if w.pending.is_some() {
        return vec![];
    }
    let Some(e) = w.undo.last().cloned() else {
        s.info(s.lang.cat().t_nothing_to_undo.to_string());
        return vec![];
    };
    let value = e.before.unwrap_or(AnswerValue::Cleared);
    let void_hazard = if e.after == AnswerValue::Hazard {
        e.hazard_id.clone()
    } else {
        None
    };
    w.pending = Some((e.slot.clone(), value));
    vec![Effect::SaveAnswer {
        inspector,
        slot: e.slot,
        value,
        before: Some(e.after),
        void_hazard,
        kind: SaveKind::Undo,
    }]
}

/// An answer was saved: show it, keep it for undo, and move on.
pub fn answered(s: &mut State, slot: Slot, value: AnswerValue, entry: UndoEntry) -> Vec<Effect> {
    let Some(w) = s.walk.as_mut() else {
        return vec![];
    };
    let was_complete = record(w, &slot, value);
    w.undo.push(entry);
    s.notice = None;
    advance(s, &slot, was_complete)
}

/// An undo was saved: show the answer taken back, and go back to its item.
pub fn undone(s: &mut State, slot: Slot, value: AnswerValue) -> Vec<Effect> {
    let Some(w) = s.walk.as_mut() else {
        return vec![];
    };
    record(w, &slot, value);
    w.undo.pop();
    if let Some(k) = w
        .sections
        .iter()
        .position(|sec| sec.unit.as_ref().map(|u| &u.id) == slot.unit_id.as_ref())
    {
        if k != w.section {
            w.section = k;
            w.phase = Phase::Checklist;
        }
        if let Some(pos) = w
            .current_section()
            .items
            .iter()
            .position(|i| w.items[*i].id == slot.item_id)
        {
            w.cursor = pos;
        }
    }
    s.info(s.lang.cat().t_undone.to_string());
    vec![]
}

/// Put a saved answer (or its clearing) on screen; was its section complete before?
fn record(w: &mut Walk, slot: &Slot, value: AnswerValue) -> bool {
    w.pending = None;
    w.unsaved = None;
    let key = (slot.unit_id.clone(), slot.item_id.clone());
    let was_complete = section_complete_for(w, slot);
    if value == AnswerValue::Cleared {
        w.answers.remove(&key);
    } else {
        w.answers.insert(key.clone(), value);
    }
    if value != AnswerValue::Hazard {
        w.hazards.remove(&key);
    }
    was_complete
}
