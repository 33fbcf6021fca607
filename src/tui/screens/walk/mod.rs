//! The walk of one building: re-check its open hazards, then answer its checklist, building
//! items first and then unit by unit. The walk's state and how it moves on live here; the keys
//! of each phase in `checklist` and `recheck`, the hazard form in `hazard_form`.

pub mod checklist;
pub mod hazard_form;
pub mod recheck;
mod view;

pub use view::draw;

use super::start::back_to_start;
use super::{Screen, State};
use crate::domain::checklist::Item;
use crate::domain::{AnswerValue, Scope};
use crate::store::{Answers, Building, HazardRow, Slot, Unit};
use crate::tui::effect::{Effect, Verdict};
use std::collections::HashMap;

/// What a walk needs, loaded by the effects.
pub struct WalkData {
    pub building: Building,
    pub items: Vec<Item>,
    pub units: Vec<Unit>,
    pub answers: Answers,
    pub hazards: HashMap<(Option<String>, String), String>,
    pub open: Vec<HazardRow>,
    /// The office's latest word on open hazards (a response, or who is to re-check), by id.
    pub office_words: HashMap<String, crate::store::OfficeWord>,
    pub resume: Option<Slot>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// None for the building-level items.
    pub unit: Option<Unit>,
    /// Indexes into `Walk::items`.
    pub items: Vec<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Recheck,
    Checklist,
}

/// An answer taken back by `u`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UndoEntry {
    pub slot: Slot,
    pub before: Option<AnswerValue>,
    pub after: AnswerValue,
    pub hazard_id: Option<String>,
}

/// Items answered of all items (of a section, or of the building).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
}

impl Progress {
    pub fn finished(self) -> bool {
        self.done == self.total
    }
}

pub struct Walk {
    pub building: Building,
    pub items: Vec<Item>,
    pub sections: Vec<Section>,
    pub section: usize,
    pub cursor: usize,
    pub phase: Phase,
    pub answers: Answers,
    /// Hazard ids recorded by answers in force (slot -> hazard), to withdraw on undo.
    pub hazards: HashMap<(Option<String>, String), String>,
    /// An answer sent to the store and not yet confirmed.
    pub pending: Option<(Slot, AnswerValue)>,
    /// An answer the store refused (kept on screen to retry).
    pub unsaved: Option<(Slot, AnswerValue)>,
    pub open: Vec<HazardRow>,
    /// The office's latest word on open hazards, by id (shown under each in the re-check).
    pub office_words: HashMap<String, crate::store::OfficeWord>,
    pub verdicts: HashMap<String, Verdict>,
    pub recheck_cursor: usize,
    pub undo: Vec<UndoEntry>,
    /// Ask before changing an answered item (Enter).
    pub changing: bool,
    /// "The rest of this list is OK?" asked: how many items it would answer.
    pub confirm_rest: Option<usize>,
    /// Answers sent together and not yet confirmed by the store.
    pub pending_rest: bool,
}

impl Walk {
    pub fn current_section(&self) -> &Section {
        &self.sections[self.section.min(self.sections.len().saturating_sub(1))]
    }
    pub fn unit_id(&self) -> Option<String> {
        self.current_section().unit.as_ref().map(|u| u.id.clone())
    }
    pub fn item_at(&self, cursor: usize) -> Option<&Item> {
        self.current_section()
            .items
            .get(cursor)
            .and_then(|i| self.items.get(*i))
    }
    pub fn slot_at(&self, cursor: usize) -> Option<Slot> {
        self.item_at(cursor).map(|item| Slot {
            building_id: self.building.id.clone(),
            unit_id: self.unit_id(),
            item_id: item.id.clone(),
        })
    }
    pub fn answer(&self, unit: Option<&str>, item: &str) -> Option<AnswerValue> {
        self.answers
            .get(&(unit.map(str::to_owned), item.to_string()))
            .copied()
    }
    /// How far one section is.
    pub fn section_progress(&self, s: usize) -> Progress {
        let sec = &self.sections[s];
        let unit = sec.unit.as_ref().map(|u| u.id.as_str());
        let done = sec
            .items
            .iter()
            .filter(|i| self.answer(unit, &self.items[**i].id).is_some())
            .count();
        Progress {
            done,
            total: sec.items.len(),
        }
    }
    /// How far the whole building is.
    pub fn building_progress(&self) -> Progress {
        (0..self.sections.len())
            .map(|s| self.section_progress(s))
            .fold(Progress::default(), |a, b| Progress {
                done: a.done + b.done,
                total: a.total + b.total,
            })
    }
    /// Open hazards of the current section (building-level or this unit).
    pub fn section_open(&self) -> Vec<&HazardRow> {
        let unit = self.unit_id();
        self.open.iter().filter(|h| h.unit_id == unit).collect()
    }
    /// The slots of the current section not answered yet, in list order.
    pub fn unanswered_slots(&self) -> Vec<Slot> {
        let unit = self.unit_id();
        (0..self.current_section().items.len())
            .filter_map(|k| self.slot_at(k))
            .filter(|s| self.answer(unit.as_deref(), &s.item_id).is_none())
            .collect()
    }
    pub fn first_unanswered_from(&self, from: usize) -> Option<usize> {
        let sec = self.current_section();
        let unit = sec.unit.as_ref().map(|u| u.id.as_str());
        let n = sec.items.len();
        (0..n)
            .map(|k| (from + k) % n)
            .find(|i| self.answer(unit, &self.items[sec.items[*i]].id).is_none())
    }
}

/// The first unanswered item at or after (section, item), in walk order across sections,
/// wrapping around: where a walk resumes. `None` when everything is answered.
pub fn next_unanswered(
    sections: &[Section],
    items: &[Item],
    answers: &crate::store::Answers,
    from_section: usize,
    from_item: usize,
) -> Option<(usize, usize)> {
    let n = sections.len();
    (0..=n).find_map(|k| {
        let si = (from_section + k) % n.max(1);
        let sec = sections.get(si)?;
        let unit = sec.unit.as_ref().map(|u| u.id.clone());
        let start = if k == 0 { from_item } else { 0 };
        (start..sec.items.len())
            .find(|i| !answers.contains_key(&(unit.clone(), items[sec.items[*i]].id.clone())))
            .map(|i| (si, i))
    })
}

/// Build the sections of a walk: building-level items once, then each unit's items.
pub fn sections(items: &[Item], units: &[Unit]) -> Vec<Section> {
    let building: Vec<usize> = items
        .iter()
        .enumerate()
        .filter(|(_, i)| i.scope == Scope::Building || units.is_empty())
        .map(|(k, _)| k)
        .collect();
    let per_unit: Vec<usize> = items
        .iter()
        .enumerate()
        .filter(|(_, i)| i.scope == Scope::Unit)
        .map(|(k, _)| k)
        .collect();
    let mut out = Vec::new();
    if !building.is_empty() {
        out.push(Section {
            unit: None,
            items: building,
        });
    }
    if !per_unit.is_empty() {
        for u in units {
            out.push(Section {
                unit: Some(u.clone()),
                items: per_unit.clone(),
            });
        }
    }
    if out.is_empty() {
        out.push(Section {
            unit: None,
            items: vec![],
        });
    }
    out
}

pub fn loaded(s: &mut State, d: WalkData) {
    let sections = sections(&d.items, &d.units);
    let mut w = Walk {
        building: d.building,
        items: d.items,
        sections,
        section: 0,
        cursor: 0,
        phase: Phase::Checklist,
        answers: d.answers,
        hazards: d.hazards,
        pending: None,
        unsaved: None,
        open: d.open,
        office_words: d.office_words,
        verdicts: HashMap::new(),
        recheck_cursor: 0,
        undo: Vec::new(),
        changing: false,
        confirm_rest: None,
        pending_rest: false,
    };
    // Start where the leader stopped: the first unanswered item after the resumed slot (in
    // walk order, so a finished unit goes on to the next), else the first unfinished section.
    let from = d.resume.as_ref().and_then(|slot| {
        let si = w
            .sections
            .iter()
            .position(|sec| sec.unit.as_ref().map(|u| &u.id) == slot.unit_id.as_ref())?;
        let ii = w.sections[si]
            .items
            .iter()
            .position(|i| w.items[*i].id == slot.item_id)?;
        Some((si, ii))
    });
    match from.and_then(|(si, ii)| next_unanswered(&w.sections, &w.items, &w.answers, si, ii)) {
        Some((si, ii)) if Some(si) == from.map(|f| f.0) => {
            // Within the unit the leader was in: straight back to the checklist.
            w.section = si;
            w.cursor = ii;
            w.phase = Phase::Checklist;
        }
        Some((si, _)) => enter_section(&mut w, si),
        None => {
            let start = (0..w.sections.len())
                .find(|k| !w.section_progress(*k).finished())
                .unwrap_or(0);
            enter_section(&mut w, start);
        }
    }
    s.walk = Some(w);
    s.screen = Screen::Walk;
    s.notice = None;
}

/// Move to a section: re-check its open hazards first if there are any without a verdict.
pub fn enter_section(w: &mut Walk, k: usize) {
    w.section = k.min(w.sections.len().saturating_sub(1));
    w.cursor = w.first_unanswered_from(0).unwrap_or(0);
    w.recheck_cursor = 0;
    w.changing = false;
    w.confirm_rest = None;
    let pending = w
        .section_open()
        .iter()
        .any(|h| !w.verdicts.contains_key(&h.id));
    w.phase = if pending {
        Phase::Recheck
    } else {
        Phase::Checklist
    };
}

/// The next section; past the last, the next building of the plan.
pub fn next_section(s: &mut State) -> Vec<Effect> {
    let Some(w) = s.walk.as_mut() else {
        return vec![];
    };
    if w.section + 1 < w.sections.len() {
        let k = w.section + 1;
        enter_section(w, k);
        return vec![];
    }
    // Past the last unit: the next building of the plan.
    let current = w.building.id.clone();
    let pos = s
        .plan
        .iter()
        .position(|i| s.buildings[*i].building.id == current);
    let next = match pos {
        Some(p) => s.plan.get(p + 1).copied(),
        None => s.plan.get(s.plan_cursor).copied(),
    };
    match next.and_then(|i| s.buildings.get(i)) {
        Some(b) => {
            s.plan_cursor = pos.map_or(s.plan_cursor, |p| p + 1);
            vec![Effect::OpenWalk {
                building_id: b.building.id.clone(),
                resume: None,
                inspector: s.inspector.as_ref().map(|p| p.id.clone()),
            }]
        }
        None => back_to_start(s, None),
    }
}

pub fn section_complete_for(w: &Walk, slot: &Slot) -> bool {
    w.sections
        .iter()
        .position(|sec| sec.unit.as_ref().map(|u| &u.id) == slot.unit_id.as_ref())
        .is_some_and(|k| w.section_progress(k).finished())
}

/// After an answer: the next unanswered item; when the section has just been finished, the
/// next section; when the building has just been finished, back to the plan.
pub fn advance(s: &mut State, slot: &Slot, was_complete: bool) -> Vec<Effect> {
    let c = s.lang.cat();
    let Some(w) = s.walk.as_mut() else {
        return vec![];
    };
    let now_complete = section_complete_for(w, slot);
    if let Some(n) = w.first_unanswered_from(w.cursor) {
        w.cursor = n;
        return vec![];
    }
    if was_complete || !now_complete {
        return vec![];
    }
    // The section is done: the next unfinished one, or the building is done.
    let next = (w.section + 1..w.sections.len())
        .chain(0..w.section)
        .find(|k| !w.section_progress(*k).finished());
    if let Some(k) = next {
        enter_section(w, k);
        return vec![];
    }
    let done = w.building_progress().done;
    let hazards = w
        .answers
        .values()
        .filter(|v| **v == AnswerValue::Hazard)
        .count();
    let name = w.building.display_name();
    let current = w.building.id.clone();
    let pos = s
        .plan
        .iter()
        .position(|i| s.buildings[*i].building.id == current);
    let next_id = pos
        .and_then(|p| s.plan.get(p + 1))
        .or_else(|| s.plan.get(s.plan_cursor))
        .and_then(|i| s.buildings.get(*i))
        .map(|b| b.building.id.clone());
    let cmds = back_to_start(s, next_id);
    s.info((c.t_building_done)(&name, done, hazards));
    cmds
}

/// The word for a re-check verdict.
pub fn verdict_word(c: &crate::i18n::Catalogue, v: Verdict) -> &'static str {
    match v {
        Verdict::Rectified => c.v_rectified,
        Verdict::StillOpen => c.v_still_open,
        Verdict::Extended => c.v_extended,
        Verdict::Escalated => c.v_escalated,
    }
}
