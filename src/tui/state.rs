//! The app's state: plain values, no terminal, no database.

use crate::domain::checklist::Item;
use crate::domain::{AnswerValue, Scope, Severity};
use crate::i18n::Lang;
use crate::store::{Answers, Building, BuildingSummary, HazardRow, Person, Slot, Unit};
use chrono::NaiveDate;
use std::collections::HashMap;
use tui_input::Input;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Inspector,
    Start,
    Picker,
    Walk,
    Form,
    Ledger,
    Detail,
    History,
    /// The day's report: the chat text, and where the files were written.
    Report,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    Info(String),
    Error(String),
}

/// Where an interrupted walk can be picked up again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResumePoint {
    pub inspector: Person,
    pub building: Building,
    pub slot: Slot,
    /// "2单元 第5项" for the banner.
    pub unit_number: Option<i64>,
    pub item_index: usize,
}

pub struct State {
    pub lang: Lang,
    pub today: NaiveDate,
    pub screen: Screen,
    pub help: bool,
    pub notice: Option<Notice>,
    pub quit: bool,
    pub community: String,
    pub people: Vec<Person>,
    pub inspector: Option<Person>,
    pub inspector_cursor: usize,
    pub inspector_filter: Input,
    /// The search index over `people`, and the people matching the filter (indexes).
    pub people_index: Option<crate::search::SearchIndex>,
    pub inspector_hits: Vec<usize>,
    /// Every building with its counts; the plan is the part due for a patrol.
    pub buildings: Vec<BuildingSummary>,
    pub plan: Vec<usize>,
    pub plan_cursor: usize,
    pub counts: crate::store::OpenCounts,
    pub day_answered: i64,
    pub resume: Option<ResumePoint>,
    pub picker: Picker,
    pub walk: Option<Walk>,
    pub form: Option<Form>,
    /// The building the plan should highlight when it is next drawn.
    pub highlight_after_load: Option<String>,
    pub items_per_kind: HashMap<crate::domain::SiteKind, (usize, usize)>,
    /// Buildings started today and not finished: shown as in progress, not done.
    pub unfinished: std::collections::HashSet<String>,
    /// The start screen shows the overview charts instead of the plan.
    pub show_overview: bool,
    pub overview: Overview,
    pub ledger: Ledger,
    pub detail: Option<Detail>,
    pub history: Option<History>,
    /// Where Esc goes back to from the detail and history screens.
    pub back_stack: Vec<Screen>,
    /// The day's report, once written (key `e` on the start screen).
    pub report: Option<ReportPreview>,
}

/// The day's report as the app shows it: the text for the group chat, and the files.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportPreview {
    pub text: String,
    pub dir: String,
    pub files: Vec<String>,
    pub scroll: usize,
}

/// The start screen's pictures: open hazards by category; found and rectified per day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Overview {
    pub by_category: Vec<(String, i64)>,
    pub daily: Vec<(NaiveDate, i64, i64)>,
}

#[derive(Default)]
pub struct Ledger {
    pub filter: crate::store::LedgerFilter,
    pub text: Input,
    pub typing: bool,
    pub rows: Vec<HazardRow>,
    /// Indexes into `rows` that pass the text filter.
    pub shown: Vec<usize>,
    pub total: i64,
    pub counts: Vec<(crate::store::StatusFilter, i64)>,
    pub choices: crate::store::LedgerChoices,
    pub cursor: usize,
}

pub struct Detail {
    pub hazard: HazardRow,
    pub history: Vec<crate::store::HazardEvent>,
}

pub struct History {
    pub building: Building,
    pub visits: Vec<crate::store::Visit>,
    pub hazards: Vec<HazardRow>,
    pub cursor: usize,
}

#[derive(Default)]
pub struct Picker {
    /// The search index over `State::buildings`, built when they are loaded.
    pub index: Option<crate::search::SearchIndex>,
    pub filter: Input,
    pub filtering: bool,
    /// Indexes into `State::buildings`, best first, with highlighted char positions.
    pub matches: Vec<(usize, Vec<usize>)>,
    pub cursor: usize,
}

/// The re-check verdict given to an open hazard during this visit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Rectified,
    StillOpen,
    Extended,
    Escalated,
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
    pub verdicts: HashMap<String, Verdict>,
    pub recheck_cursor: usize,
    pub undo: Vec<UndoEntry>,
    /// Ask before changing an answered item (Enter).
    pub changing: bool,
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
    /// (answered, total) in one section.
    pub fn section_progress(&self, s: usize) -> (usize, usize) {
        let sec = &self.sections[s];
        let unit = sec.unit.as_ref().map(|u| u.id.as_str());
        let done = sec
            .items
            .iter()
            .filter(|i| self.answer(unit, &self.items[**i].id).is_some())
            .count();
        (done, sec.items.len())
    }
    pub fn building_progress(&self) -> (usize, usize) {
        (0..self.sections.len())
            .map(|s| self.section_progress(s))
            .fold((0, 0), |(a, b), (c, d)| (a + c, b + d))
    }
    /// Open hazards of the current section (building-level or this unit).
    pub fn section_open(&self) -> Vec<&HazardRow> {
        let unit = self.unit_id();
        self.open.iter().filter(|h| h.unit_id == unit).collect()
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

/// What a form is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormPurpose {
    NewHazard { slot: Slot, category: String },
    Extend { hazard_id: String },
    Escalate { hazard_id: String },
    Rectify { hazard_id: String },
    Respond { hazard_id: String },
    Reopen { hazard_id: String },
    LedgerFilter,
}

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
}

#[derive(Clone, Debug)]
pub enum FieldKind {
    Text(Input),
    /// Severity: Left/Right choose.
    Severity(Severity),
    /// A date typed or chosen from presets with Left/Right.
    Date {
        input: Input,
        preset: Option<usize>,
    },
    Toggle(bool),
    /// One of a list (value, label); Left/Right choose. Value "" means "any".
    Choice {
        options: Vec<(String, String)>,
        index: usize,
    },
}

#[derive(Clone, Debug)]
pub struct Field {
    pub id: FieldId,
    pub kind: FieldKind,
}

pub struct Form {
    pub purpose: FormPurpose,
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub error: Option<(usize, String)>,
    /// Shown above the fields (the item, or the hazard being acted on).
    pub context: String,
    /// The form was sent to the store; waiting for the answer.
    pub saving: bool,
    /// The screen under the form (where Esc and Enter return).
    pub back: Screen,
}

impl Form {
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
}
