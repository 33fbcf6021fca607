//! The re-check of a section's open hazards: rectified, still open, extend, escalate.

use super::{Phase, enter_section, next_section, verdict_word};
use crate::store::{HazardAction, HazardRow};
use crate::tui::effect::{Effect, Verdict};
use crate::tui::keymap::Act;
use crate::tui::screens::hazard_forms::{escalate_form, extend_form};
use crate::tui::screens::start::back_to_start;
use crate::tui::screens::{Screen, State};
use crate::tui::widgets::move_cursor;

/// A key on the re-check: a verdict for the hazard under the cursor, or move on.
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
                    inspector: Some(inspector),
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
