//! `update(&mut State, Msg) -> Vec<Command>`: every change of the app's state happens here.
//! Pure: no terminal, no database, no clock. What must touch the store is returned as a
//! [`Command`]; its outcome comes back as a [`Msg`].

use super::keymap::{Act, Context, lookup};
use super::state::*;
use crate::domain::checklist::Item;
use crate::domain::deadline::{DeadlineError, PRESET_DAYS, parse_deadline};
use crate::domain::text::{MAX_TEXT_CHARS, clean, valid_phone};
use crate::domain::{AnswerValue, Severity, SiteKind};
use crate::store::{
    Answers, Building, BuildingSummary, HazardAction, HazardReceipt, HazardRow, NewHazard,
    OpenCounts, Person, Slot, Unit,
};
use chrono::Duration;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::HashMap;
use tui_input::{Input, InputRequest};

/// The hazard counts of one building of the list (`row`), loaded for the rows on screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildingCounts {
    pub row: usize,
    pub building_id: String,
    pub counts: OpenCounts,
}

/// What the start screen needs, loaded by the effects.
pub struct StartData {
    pub community: String,
    pub people: Vec<Person>,
    pub remembered: Option<Person>,
    pub buildings: Vec<BuildingSummary>,
    pub counts: OpenCounts,
    pub day_answered: i64,
    pub resume: Option<ResumePoint>,
    /// (building-level items, unit items) per kind of site.
    pub items_per_kind: HashMap<SiteKind, (usize, usize)>,
    /// Buildings started today and not finished.
    pub unfinished: std::collections::HashSet<String>,
    pub overview: Overview,
}

/// What a walk needs, loaded by the effects.
pub struct WalkData {
    pub building: Building,
    pub items: Vec<Item>,
    pub units: Vec<Unit>,
    pub answers: Answers,
    pub hazards: HashMap<(Option<String>, String), String>,
    pub open: Vec<HazardRow>,
    pub resume: Option<Slot>,
}

pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    StartLoaded(Box<StartData>),
    WalkLoaded(Box<WalkData>),
    AnswerSaved {
        slot: Slot,
        value: AnswerValue,
        undo: Option<UndoEntry>,
        day_answered: i64,
    },
    HazardSaved {
        slot: Slot,
        receipt: HazardReceipt,
        day_answered: i64,
    },
    ActionDone {
        hazard_id: String,
        verdict: Option<Verdict>,
    },
    LedgerLoaded {
        rows: Vec<HazardRow>,
        total: i64,
        counts: Vec<(crate::store::StatusFilter, i64)>,
        choices: crate::store::LedgerChoices,
    },
    DetailLoaded(Box<Detail>),
    HistoryLoaded(Box<History>),
    /// Hazard counts of some buildings: (index in `State::buildings`, id, open, due, overdue).
    CountsLoaded(Vec<BuildingCounts>),
    /// The day's report was written (text preview, folder, files).
    ReportWritten(Box<ReportPreview>),
    /// A rectification notice was written to this file.
    NoticeWritten(String),
    /// The store refused an action (message for the user); nothing changed.
    Refused(String),
    /// A save failed (message for the user); what was typed stays on screen.
    Failed(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    LoadStart,
    RememberInspector(String),
    OpenWalk {
        building_id: String,
        resume: Option<Slot>,
        inspector: Option<String>,
    },
    SaveAnswer {
        inspector: String,
        slot: Slot,
        value: AnswerValue,
        before: Option<AnswerValue>,
        void_hazard: Option<String>,
        is_undo: bool,
    },
    SaveHazard {
        inspector: String,
        hazard: Box<NewHazard>,
    },
    HazardAction {
        inspector: String,
        hazard_id: String,
        action: HazardAction,
        verdict: Option<Verdict>,
    },
    LoadLedger(Box<crate::store::LedgerFilter>),
    LoadDetail {
        hazard_id: String,
    },
    LoadHistory {
        building_id: String,
    },
    /// Hazard counts for buildings on screen: (index in `State::buildings`, id).
    LoadCounts(Vec<(usize, String)>),
    /// Build today's report and write its files (md, csv, xlsx, html) to `reports/`.
    WriteReport,
    /// Write the rectification notice of a hazard to `reports/`.
    WriteNotice {
        hazard_id: String,
    },
}

impl State {
    pub fn new(lang: crate::i18n::Lang, today: chrono::NaiveDate) -> State {
        State {
            lang,
            today,
            screen: Screen::Start,
            help: false,
            notice: None,
            quit: false,
            community: String::new(),
            people: Vec::new(),
            inspector: None,
            inspector_cursor: 0,
            inspector_filter: Input::default(),
            people_index: None,
            inspector_hits: Vec::new(),
            buildings: Vec::new(),
            plan: Vec::new(),
            plan_cursor: 0,
            counts: OpenCounts::default(),
            day_answered: 0,
            resume: None,
            picker: Picker::default(),
            walk: None,
            form: None,
            highlight_after_load: None,
            items_per_kind: HashMap::new(),
            unfinished: Default::default(),
            show_overview: false,
            overview: Overview::default(),
            ledger: Ledger::default(),
            detail: None,
            history: None,
            back_stack: Vec::new(),
            report: None,
        }
    }

    /// The key context of what is on screen.
    pub fn context(&self) -> Context {
        match self.screen {
            Screen::Inspector => Context::Inspector,
            Screen::Start => Context::Start,
            Screen::Picker => Context::Picker,
            Screen::Form => Context::Form,
            Screen::Ledger => Context::Ledger,
            Screen::Detail => Context::Detail,
            Screen::History => Context::History,
            Screen::Report => Context::Report,
            Screen::Walk => match self.walk.as_ref().map(|w| w.phase) {
                Some(Phase::Recheck) => Context::Recheck,
                _ => Context::Walk,
            },
        }
    }

    /// Is a text field taking typed characters?
    pub fn typing(&self) -> bool {
        match self.screen {
            Screen::Inspector => true,
            Screen::Picker => self.picker.filtering,
            Screen::Form => self.form.as_ref().is_some_and(Form::typing),
            Screen::Ledger => self.ledger.typing,
            _ => false,
        }
    }

    /// People matching the inspector filter.
    pub fn inspector_matches(&self) -> Vec<usize> {
        self.inspector_hits.clone()
    }

    fn plan_building(&self, k: usize) -> Option<&BuildingSummary> {
        self.plan.get(k).and_then(|i| self.buildings.get(*i))
    }

    /// Items to check in one building (building-level once, unit items per unit).
    pub fn items_in(&self, b: &BuildingSummary) -> usize {
        let (bi, ui) = self
            .items_per_kind
            .get(&b.building.kind)
            .copied()
            .unwrap_or((0, 0));
        if b.units == 0 {
            bi + ui
        } else {
            bi + ui * b.units as usize
        }
    }

    /// Items in today's plan (for "answered of total").
    pub fn day_total(&self) -> usize {
        self.plan
            .iter()
            .filter_map(|i| self.buildings.get(*i))
            .map(|b| self.items_in(b))
            .sum()
    }
}

fn info(s: &mut State, text: String) {
    s.notice = Some(Notice::Info(text));
}

fn error(s: &mut State, text: String) {
    s.notice = Some(Notice::Error(text));
}

/// How many rows around the cursor get their hazard counts loaded.
const COUNT_WINDOW: usize = 60;

/// Ask for the hazard counts of the buildings on (or near) the screen that lack them. Counts
/// are loaded for what is shown, never for all buildings: a district has thousands.
fn counts_command(s: &mut State) -> Option<Command> {
    let window = |cursor: usize, len: usize| {
        cursor.saturating_sub(COUNT_WINDOW)..(cursor + COUNT_WINDOW).min(len)
    };
    let rows: Vec<usize> = match s.screen {
        Screen::Start => window(s.plan_cursor, s.plan.len())
            .filter_map(|k| s.plan.get(k).copied())
            .collect(),
        Screen::Picker => window(s.picker.cursor, s.picker.matches.len())
            .filter_map(|k| s.picker.matches.get(k).map(|m| m.0))
            .collect(),
        _ => vec![],
    };
    let mut want = Vec::new();
    for i in rows {
        if let Some(b) = s.buildings.get_mut(i).filter(|b| !b.counted) {
            b.counted = true;
            want.push((i, b.building.id.clone()));
        }
    }
    (!want.is_empty()).then_some(Command::LoadCounts(want))
}

pub fn update(s: &mut State, msg: Msg) -> Vec<Command> {
    let mut cmds = update_msg(s, msg);
    cmds.extend(counts_command(s));
    cmds
}

fn update_msg(s: &mut State, msg: Msg) -> Vec<Command> {
    match msg {
        Msg::CountsLoaded(counts) => {
            for BuildingCounts {
                row,
                building_id,
                counts: c,
            } in counts
            {
                if let Some(b) = s
                    .buildings
                    .get_mut(row)
                    .filter(|b| b.building.id == building_id)
                {
                    (b.open, b.due_today, b.overdue) = (c.open, c.due_today, c.overdue);
                }
            }
            vec![]
        }
        Msg::Key(k) => key(s, k),
        Msg::Paste(text) => {
            paste(s, &text);
            vec![]
        }
        Msg::StartLoaded(d) => {
            start_loaded(s, *d);
            vec![]
        }
        Msg::WalkLoaded(d) => {
            walk_loaded(s, *d);
            vec![]
        }
        Msg::AnswerSaved {
            slot,
            value,
            undo,
            day_answered,
        } => answer_saved(s, slot, value, undo, day_answered),
        Msg::HazardSaved {
            slot,
            receipt,
            day_answered,
        } => hazard_saved(s, slot, receipt, day_answered),
        Msg::ActionDone { hazard_id, verdict } => action_done(s, hazard_id, verdict),
        Msg::LedgerLoaded {
            rows,
            total,
            counts,
            choices,
        } => {
            let l = &mut s.ledger;
            l.rows = rows;
            l.total = total;
            l.counts = counts;
            l.choices = choices;
            super::ledger::refilter(l);
            vec![]
        }
        Msg::DetailLoaded(d) => {
            s.detail = Some(*d);
            s.screen = Screen::Detail;
            vec![]
        }
        Msg::HistoryLoaded(h) => {
            s.history = Some(*h);
            s.screen = Screen::History;
            vec![]
        }
        Msg::ReportWritten(p) => {
            info(s, (s.lang.cat().t_report_written)(&p.dir));
            s.report = Some(*p);
            s.screen = Screen::Report;
            vec![]
        }
        Msg::NoticeWritten(path) => {
            info(s, (s.lang.cat().t_notice_written)(&path));
            vec![]
        }
        Msg::Refused(text) => {
            if let Some(f) = s.form.as_mut() {
                f.saving = false;
                f.error = Some((f.focus, text));
            } else {
                error(s, text);
            }
            vec![]
        }
        Msg::Failed(text) => {
            if let Some(w) = s.walk.as_mut()
                && let Some(p) = w.pending.take()
            {
                w.unsaved = Some(p);
            }
            if let Some(f) = s.form.as_mut() {
                f.saving = false;
                f.error = Some((f.focus, text.clone()));
            }
            error(s, text);
            vec![]
        }
    }
}

fn start_loaded(s: &mut State, d: StartData) {
    s.community = d.community;
    s.people = d.people;
    if s.inspector.is_none() {
        s.inspector = d.remembered;
    }
    s.buildings = d.buildings;
    s.counts = d.counts;
    s.day_answered = d.day_answered;
    s.resume = d.resume;
    s.items_per_kind = d.items_per_kind;
    s.overview = d.overview;
    s.unfinished = d.unfinished;
    let today = s.today.format("%Y-%m-%d").to_string();
    s.plan = (0..s.buildings.len())
        .filter(|i| {
            let b = &s.buildings[*i];
            b.due_for_patrol || b.last_day.as_deref() == Some(today.as_str())
        })
        .collect();
    if let Some(id) = s.highlight_after_load.take()
        && let Some(k) = s
            .plan
            .iter()
            .position(|i| s.buildings[*i].building.id == id)
    {
        s.plan_cursor = k;
    }
    s.plan_cursor = s.plan_cursor.min(s.plan.len().saturating_sub(1));
    // The search indexes are built when first searched, not on the way to the first frame.
    s.picker.index = None;
    s.people_index = None;
    refilter_picker(s);
    refilter_people(s);
    if s.inspector.is_none() && !s.people.is_empty() {
        s.screen = Screen::Inspector;
    }
}

fn walk_loaded(s: &mut State, d: WalkData) {
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
        verdicts: HashMap::new(),
        recheck_cursor: 0,
        undo: Vec::new(),
        changing: false,
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
                .find(|k| {
                    let (a, t) = w.section_progress(*k);
                    a < t
                })
                .unwrap_or(0);
            enter_section(&mut w, start);
        }
    }
    s.walk = Some(w);
    s.screen = Screen::Walk;
    s.notice = None;
}

/// Move to a section: re-check its open hazards first if there are any without a verdict.
fn enter_section(w: &mut Walk, k: usize) {
    w.section = k.min(w.sections.len().saturating_sub(1));
    w.cursor = w.first_unanswered_from(0).unwrap_or(0);
    w.recheck_cursor = 0;
    w.changing = false;
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

pub(super) fn move_cursor(cursor: &mut usize, len: usize, act: Act) {
    if len == 0 {
        *cursor = 0;
        return;
    }
    *cursor = match act {
        Act::Up => cursor.saturating_sub(1),
        Act::Down => (*cursor + 1).min(len - 1),
        Act::PageUp => cursor.saturating_sub(10),
        Act::PageDown => (*cursor + 10).min(len - 1),
        _ => *cursor,
    };
}

pub(super) fn input_request(k: &KeyEvent) -> Option<InputRequest> {
    use KeyCode as K;
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    Some(match k.code {
        K::Char('u') if ctrl => InputRequest::DeleteLine,
        K::Char('w') if ctrl => InputRequest::DeletePrevWord,
        K::Char(c) if !ctrl && !c.is_control() => InputRequest::InsertChar(c),
        K::Backspace => InputRequest::DeletePrevChar,
        K::Delete => InputRequest::DeleteNextChar,
        K::Left => InputRequest::GoToPrevChar,
        K::Right => InputRequest::GoToNextChar,
        K::Home => InputRequest::GoToStart,
        K::End => InputRequest::GoToEnd,
        _ => return None,
    })
}

/// Typed text is limited so that a field never grows without end.
const FIELD_LIMIT: usize = MAX_TEXT_CHARS;

pub(super) fn type_into(input: &mut Input, req: InputRequest) {
    if let InputRequest::InsertChar(c) = req
        && (input.value().chars().count() >= FIELD_LIMIT
            || clean(&c.to_string()).is_empty() && c != ' ')
    {
        return;
    }
    input.handle(req);
}

fn paste(s: &mut State, text: &str) {
    let cleaned = clean(text);
    let target: Option<&mut Input> = match s.screen {
        Screen::Inspector => Some(&mut s.inspector_filter),
        Screen::Picker if s.picker.filtering => Some(&mut s.picker.filter),
        Screen::Form => {
            s.form
                .as_mut()
                .and_then(|f| match f.fields.get_mut(f.focus).map(|x| &mut x.kind) {
                    Some(FieldKind::Text(i)) | Some(FieldKind::Date { input: i, .. }) => Some(i),
                    _ => None,
                })
        }
        _ => None,
    };
    if let Some(input) = target {
        for c in cleaned.chars() {
            type_into(input, InputRequest::InsertChar(c));
        }
    }
    match s.screen {
        Screen::Picker => refilter_picker(s),
        Screen::Inspector => {
            s.inspector_cursor = 0;
            refilter_people(s);
        }
        Screen::Form => {
            if let Some(f) = s.form.as_mut() {
                f.error = None;
                if let Some(FieldKind::Date { preset, .. }) =
                    f.fields.get_mut(f.focus).map(|x| &mut x.kind)
                {
                    *preset = None;
                }
            }
        }
        _ => {}
    }
}

fn refilter_people(s: &mut State) {
    let q = s.inspector_filter.value().trim().to_string();
    if s.people_index.is_none() && !q.is_empty() {
        s.people_index = Some(crate::lookup::people_index(&s.people));
    }
    s.inspector_hits = match (&mut s.people_index, q.is_empty()) {
        (Some(index), false) => crate::lookup::matches(index, &q)
            .into_iter()
            .map(|(i, _)| i)
            .collect(),
        _ => (0..s.people.len()).collect(),
    };
    s.inspector_cursor = s
        .inspector_cursor
        .min(s.inspector_hits.len().saturating_sub(1));
}

fn refilter_picker(s: &mut State) {
    let q = s.picker.filter.value().trim().to_string();
    if s.picker.index.is_none() && !q.is_empty() {
        s.picker.index = Some(crate::lookup::building_index(&s.buildings));
    }
    s.picker.matches = match (&mut s.picker.index, q.is_empty()) {
        (Some(index), false) => crate::lookup::matches(index, &q),
        _ => (0..s.buildings.len()).map(|i| (i, vec![])).collect(),
    };
    s.picker.cursor = s
        .picker
        .cursor
        .min(s.picker.matches.len().saturating_sub(1));
}

fn key(s: &mut State, k: KeyEvent) -> Vec<Command> {
    if k.kind == crossterm::event::KeyEventKind::Release {
        return vec![];
    }
    let act = lookup(s.context(), k, s.typing());
    if act == Some(Act::ForceQuit) {
        s.quit = true;
        return vec![];
    }
    if s.help {
        s.help = false;
        return vec![];
    }
    if act == Some(Act::Help) {
        s.help = true;
        return vec![];
    }
    match s.screen {
        Screen::Inspector => inspector_key(s, k, act),
        Screen::Start => start_key(s, act),
        Screen::Picker => picker_key(s, k, act),
        Screen::Walk => walk_key(s, act),
        Screen::Form => form_key(s, k, act),
        Screen::Ledger => super::ledger::ledger_key(s, k, act),
        Screen::Detail => super::ledger::detail_key(s, act),
        Screen::History => super::ledger::history_key(s, act),
        Screen::Report => report_key(s, act),
    }
}

fn inspector_key(s: &mut State, k: KeyEvent, act: Option<Act>) -> Vec<Command> {
    let matches = s.inspector_matches();
    match act {
        Some(a @ (Act::Up | Act::Down | Act::PageUp | Act::PageDown))
            if !matches!(k.code, KeyCode::Char(_)) =>
        {
            move_cursor(&mut s.inspector_cursor, matches.len(), a);
        }
        Some(Act::Open) => {
            if let Some(p) = matches
                .get(s.inspector_cursor)
                .and_then(|i| s.people.get(*i))
                .cloned()
            {
                s.inspector = Some(p.clone());
                s.screen = Screen::Start;
                s.inspector_filter = Input::default();
                refilter_people(s);
                info(s, (s.lang.cat().t_inspector_set)(&p.name));
                return vec![Command::RememberInspector(p.id), Command::LoadStart];
            }
        }
        Some(Act::Back) => {
            if s.inspector.is_some() {
                s.screen = Screen::Start;
            } else {
                s.quit = true;
            }
        }
        _ => {
            if let Some(req) = input_request(&k) {
                type_into(&mut s.inspector_filter, req);
                s.inspector_cursor = 0;
                refilter_people(s);
            }
        }
    }
    vec![]
}

fn start_key(s: &mut State, act: Option<Act>) -> Vec<Command> {
    match act {
        Some(a @ (Act::Up | Act::Down | Act::PageUp | Act::PageDown)) => {
            move_cursor(&mut s.plan_cursor, s.plan.len(), a)
        }
        Some(Act::Open) => {
            if let Some(b) = s.plan_building(s.plan_cursor) {
                return vec![Command::OpenWalk {
                    building_id: b.building.id.clone(),
                    resume: None,
                    inspector: s.inspector.as_ref().map(|p| p.id.clone()),
                }];
            }
        }
        Some(Act::Picker) => {
            s.screen = Screen::Picker;
            s.picker.filtering = false;
        }
        Some(Act::Search) => {
            s.screen = Screen::Picker;
            s.picker.filtering = true;
        }
        Some(Act::Resume) => {
            if let Some(r) = s.resume.clone() {
                s.inspector = Some(r.inspector.clone());
                return vec![Command::OpenWalk {
                    building_id: r.building.id.clone(),
                    resume: Some(r.slot),
                    inspector: Some(r.inspector.id.clone()),
                }];
            }
        }
        Some(Act::ChangeInspector) => {
            s.screen = Screen::Inspector;
            s.inspector_cursor = 0;
        }
        Some(Act::Ledger) => return super::ledger::open_ledger(s),
        Some(Act::Overview) => s.show_overview = !s.show_overview,
        Some(Act::Report) => return vec![Command::WriteReport],
        Some(Act::Quit) | Some(Act::Back) => s.quit = true,
        _ => {}
    }
    vec![]
}

/// The report preview: scroll the text; Esc goes back to the start screen.
fn report_key(s: &mut State, act: Option<Act>) -> Vec<Command> {
    match act {
        Some(a @ (Act::Up | Act::Down | Act::PageUp | Act::PageDown)) => {
            if let Some(r) = s.report.as_mut() {
                let lines = r.text.lines().count();
                move_cursor(&mut r.scroll, lines, a);
            }
            vec![]
        }
        Some(Act::Back) | Some(Act::Quit) => {
            s.screen = Screen::Start;
            vec![Command::LoadStart]
        }
        _ => vec![],
    }
}

fn picker_key(s: &mut State, k: KeyEvent, act: Option<Act>) -> Vec<Command> {
    match act {
        Some(a @ (Act::Up | Act::Down | Act::PageUp | Act::PageDown)) => {
            move_cursor(&mut s.picker.cursor, s.picker.matches.len(), a);
        }
        Some(Act::Open) => {
            if let Some((i, _)) = s.picker.matches.get(s.picker.cursor)
                && let Some(b) = s.buildings.get(*i)
            {
                return vec![Command::OpenWalk {
                    building_id: b.building.id.clone(),
                    resume: None,
                    inspector: s.inspector.as_ref().map(|p| p.id.clone()),
                }];
            }
        }
        Some(Act::Search) => s.picker.filtering = true,
        Some(Act::History) => {
            if let Some(b) = s
                .picker
                .matches
                .get(s.picker.cursor)
                .and_then(|(i, _)| s.buildings.get(*i))
            {
                let id = b.building.id.clone();
                s.back_stack.push(Screen::Picker);
                return vec![Command::LoadHistory { building_id: id }];
            }
        }
        Some(Act::Back) => {
            if s.picker.filtering {
                s.picker.filtering = false;
            } else {
                s.screen = Screen::Start;
            }
        }
        _ => {
            if s.picker.filtering
                && let Some(req) = input_request(&k)
            {
                type_into(&mut s.picker.filter, req);
                s.picker.cursor = 0;
                refilter_picker(s);
            }
        }
    }
    vec![]
}

fn walk_key(s: &mut State, act: Option<Act>) -> Vec<Command> {
    let Some(w) = s.walk.as_mut() else {
        s.screen = Screen::Start;
        return vec![];
    };
    let Some(act) = act else { return vec![] };
    if w.changing {
        w.changing = false;
        return match act {
            Act::AnswerOk | Act::AnswerNa | Act::AnswerHazard => walk_key(s, Some(act)),
            _ => vec![],
        };
    }
    if w.phase == Phase::Recheck {
        return recheck_key(s, act);
    }
    let len = w.current_section().items.len();
    match act {
        Act::Up | Act::Down | Act::PageUp | Act::PageDown => move_cursor(&mut w.cursor, len, act),
        Act::AnswerOk => return answer(s, AnswerValue::Ok),
        Act::AnswerNa => return answer(s, AnswerValue::NotApplicable),
        Act::AnswerHazard => return open_hazard_form(s),
        Act::Open => {
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

fn back_to_start(s: &mut State, highlight: Option<String>) -> Vec<Command> {
    s.walk = None;
    s.form = None;
    s.screen = Screen::Start;
    s.highlight_after_load = highlight;
    vec![Command::LoadStart]
}

fn next_section(s: &mut State) -> Vec<Command> {
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
            vec![Command::OpenWalk {
                building_id: b.building.id.clone(),
                resume: None,
                inspector: s.inspector.as_ref().map(|p| p.id.clone()),
            }]
        }
        None => back_to_start(s, None),
    }
}

fn recheck_key(s: &mut State, act: Act) -> Vec<Command> {
    let Some(w) = s.walk.as_mut() else {
        return vec![];
    };
    let open: Vec<HazardRow> = w.section_open().into_iter().cloned().collect();
    let Some(inspector) = s.inspector.as_ref().map(|p| p.id.clone()) else {
        return vec![];
    };
    let selected = open.get(w.recheck_cursor).cloned();
    match act {
        Act::Up | Act::Down | Act::PageUp | Act::PageDown => {
            move_cursor(&mut w.recheck_cursor, open.len(), act)
        }
        Act::Open => w.phase = Phase::Checklist,
        Act::NextUnit => return next_section(s),
        Act::PrevUnit if w.section > 0 => {
            let k = w.section - 1;
            enter_section(w, k);
        }
        Act::Back => return back_to_start(s, None),
        Act::Rectified | Act::StillOpen => {
            if let Some(h) = selected {
                let (action, verdict) = if act == Act::Rectified {
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
                return vec![Command::HazardAction {
                    inspector,
                    hazard_id: h.id,
                    action,
                    verdict: Some(verdict),
                }];
            }
        }
        Act::Extend => {
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
pub(super) fn extend_form(s: &State, h: &HazardRow, back: Screen) -> Form {
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
pub(super) fn escalate_form(s: &State, h: &HazardRow, back: Screen) -> Form {
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

fn action_done(s: &mut State, hazard_id: String, verdict: Option<Verdict>) -> Vec<Command> {
    let c = s.lang.cat();
    let back = s.form.take().map(|f| f.back).unwrap_or(s.screen);
    s.screen = if back == Screen::Form {
        Screen::Walk
    } else {
        back
    };
    if s.screen == Screen::Detail {
        info(s, c.t_saved.to_string());
        return vec![Command::LoadDetail { hazard_id }];
    }
    if let (Some(w), Some(verdict)) = (s.walk.as_mut(), verdict) {
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
        let text = (c.t_verdict_saved)(&number, verdict_word(c, verdict));
        info(s, text);
    }
    vec![]
}

pub fn verdict_word(c: &crate::i18n::Catalogue, v: Verdict) -> &'static str {
    match v {
        Verdict::Rectified => c.v_rectified,
        Verdict::StillOpen => c.v_still_open,
        Verdict::Extended => c.v_extended,
        Verdict::Escalated => c.v_escalated,
    }
}

fn answer(s: &mut State, value: AnswerValue) -> Vec<Command> {
    let Some(inspector) = s.inspector.as_ref().map(|p| p.id.clone()) else {
        return vec![];
    };
    let Some(w) = s.walk.as_mut() else {
        return vec![];
    };
    if w.pending.is_some() {
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
    vec![Command::SaveAnswer {
        inspector,
        slot,
        value,
        before,
        void_hazard,
        is_undo: false,
    }]
}

fn undo(s: &mut State) -> Vec<Command> {
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
        info(s, s.lang.cat().t_nothing_to_undo.to_string());
        return vec![];
    };
    let value = e.before.unwrap_or(AnswerValue::Cleared);
    let void_hazard = if e.after == AnswerValue::Hazard {
        e.hazard_id.clone()
    } else {
        None
    };
    w.pending = Some((e.slot.clone(), value));
    vec![Command::SaveAnswer {
        inspector,
        slot: e.slot,
        value,
        before: Some(e.after),
        void_hazard,
        is_undo: true,
    }]
}

fn answer_saved(
    s: &mut State,
    slot: Slot,
    value: AnswerValue,
    undo: Option<UndoEntry>,
    day_answered: i64,
) -> Vec<Command> {
    s.day_answered = day_answered;
    let Some(w) = s.walk.as_mut() else {
        return vec![];
    };
    w.pending = None;
    w.unsaved = None;
    let key = (slot.unit_id.clone(), slot.item_id.clone());
    let was_complete = section_complete_for(w, &slot);
    if value == AnswerValue::Cleared {
        w.answers.remove(&key);
    } else {
        w.answers.insert(key.clone(), value);
    }
    if value != AnswerValue::Hazard {
        w.hazards.remove(&key);
    }
    match undo {
        Some(entry) => {
            w.undo.push(entry);
            s.notice = None;
            advance(s, &slot, was_complete)
        }
        None => {
            // This was an undo: go back to the item.
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
            info(s, s.lang.cat().t_undone.to_string());
            vec![]
        }
    }
}

fn section_complete_for(w: &Walk, slot: &Slot) -> bool {
    w.sections
        .iter()
        .position(|sec| sec.unit.as_ref().map(|u| &u.id) == slot.unit_id.as_ref())
        .is_some_and(|k| {
            let (a, t) = w.section_progress(k);
            a == t
        })
}

/// After an answer: the next unanswered item; when the section has just been finished, the
/// next section; when the building has just been finished, back to the plan.
fn advance(s: &mut State, slot: &Slot, was_complete: bool) -> Vec<Command> {
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
        .find(|k| {
            let (a, t) = w.section_progress(*k);
            a < t
        });
    if let Some(k) = next {
        enter_section(w, k);
        return vec![];
    }
    let (done, _) = w.building_progress();
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
    info(s, (c.t_building_done)(&name, done, hazards));
    cmds
}

fn open_hazard_form(s: &mut State) -> Vec<Command> {
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
        info(s, c.t_already_hazard.to_string());
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
            preset,
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

/// The text a preset puts in the deadline field: "+3" etc. (today is "今天"/"today").
fn preset_label(c: &crate::i18n::Catalogue, k: usize) -> String {
    match PRESET_DAYS.get(k) {
        Some(0) | None => c.t_today.to_string(),
        Some(d) => format!("+{d}"),
    }
}

fn form_key(s: &mut State, k: KeyEvent, act: Option<Act>) -> Vec<Command> {
    let c = s.lang.cat();
    let Some(f) = s.form.as_mut() else {
        s.screen = Screen::Walk;
        return vec![];
    };
    if f.saving {
        return vec![];
    }
    let n = f.fields.len();
    match act {
        Some(Act::NextField) => f.focus = (f.focus + 1) % n,
        Some(Act::PrevField) => f.focus = (f.focus + n - 1) % n,
        Some(Act::Cancel) => {
            let back = f.back;
            s.form = None;
            s.screen = back;
            info(s, c.t_cancelled.to_string());
        }
        Some(Act::Save) => return save_form(s),
        Some(a @ (Act::Prev | Act::Next)) => {
            let forward = a == Act::Next;
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
                    FieldKind::Date { input, preset } => {
                        let k = match (*preset, forward) {
                            (Some(p), true) => (p + 1).min(PRESET_DAYS.len() - 1),
                            (Some(p), false) => p.saturating_sub(1),
                            (None, true) => 0,
                            (None, false) => 0,
                        };
                        *preset = Some(k);
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
                    FieldKind::Date { input, preset } => {
                        type_into(input, req);
                        *preset = None;
                    }
                    _ => {}
                }
                f.error = None;
            }
        }
    }
    vec![]
}

/// Check the form; on a problem put the message on the field and keep everything typed.
fn save_form(s: &mut State) -> Vec<Command> {
    let c = s.lang.cat();
    let today = s.today;
    let Some(inspector) = s.inspector.as_ref().map(|p| p.id.clone()) else {
        return vec![];
    };
    let Some(f) = s.form.as_mut() else {
        return vec![];
    };
    let fail = |f: &mut Form, id: FieldId, msg: String| {
        let k = f.index_of(id).unwrap_or(0);
        f.focus = k;
        f.error = Some((k, msg));
        vec![]
    };
    let deadline = match f.index_of(FieldId::Deadline) {
        Some(_) => match parse_deadline(&clean(&f.text(FieldId::Deadline)), today) {
            Ok(d) => Some(d),
            Err(DeadlineError::Unreadable) => {
                return fail(f, FieldId::Deadline, c.e_date_unreadable.to_string());
            }
            Err(DeadlineError::NoSuchDate) => {
                return fail(f, FieldId::Deadline, c.e_date_no_such.to_string());
            }
            Err(DeadlineError::InThePast(d)) => {
                return fail(
                    f,
                    FieldId::Deadline,
                    (c.e_date_past)(&d.format("%Y-%m-%d").to_string()),
                );
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
    ] {
        if f.index_of(id).is_some() && clean(&f.text(id)).chars().count() > MAX_TEXT_CHARS {
            return fail(f, id, (c.e_too_long)(MAX_TEXT_CHARS));
        }
    }
    match f.purpose.clone() {
        FormPurpose::NewHazard { slot, category } => {
            let phone = clean(&f.text(FieldId::PartyPhone));
            if !phone.is_empty() && valid_phone(&phone).is_none() {
                return fail(f, FieldId::PartyPhone, c.e_phone.to_string());
            }
            let description = clean(&f.text(FieldId::Description));
            if description.is_empty() {
                return fail(f, FieldId::Description, c.e_required.to_string());
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
            vec![Command::SaveHazard {
                inspector,
                hazard: Box::new(hazard),
            }]
        }
        FormPurpose::Extend { hazard_id } => {
            let reason = clean(&f.text(FieldId::Reason));
            if reason.is_empty() {
                return fail(f, FieldId::Reason, c.e_reason_required.to_string());
            }
            f.saving = true;
            let to = deadline.unwrap_or(today);
            vec![Command::HazardAction {
                inspector,
                hazard_id,
                action: HazardAction::Extend { to, reason },
                verdict: Some(Verdict::Extended),
            }]
        }
        FormPurpose::Escalate { hazard_id } => {
            let to = clean(&f.text(FieldId::To));
            if to.is_empty() {
                return fail(f, FieldId::To, c.e_required.to_string());
            }
            f.saving = true;
            let note = clean(&f.text(FieldId::Note));
            vec![Command::HazardAction {
                inspector,
                hazard_id,
                action: HazardAction::Escalate { to, note },
                verdict: Some(Verdict::Escalated),
            }]
        }
        FormPurpose::LedgerFilter => super::ledger::apply_filter_form(s),
        purpose @ (FormPurpose::Rectify { .. }
        | FormPurpose::Respond { .. }
        | FormPurpose::Reopen { .. }) => {
            let note = clean(&f.text(FieldId::Note));
            let reason = clean(&f.text(FieldId::Reason));
            let needs = match purpose {
                FormPurpose::Respond { .. } if note.is_empty() => Some(FieldId::Note),
                FormPurpose::Reopen { .. } if reason.is_empty() => Some(FieldId::Reason),
                _ => None,
            };
            if let Some(id) = needs {
                return fail(f, id, c.e_reason_required.to_string());
            }
            let Some((hazard_id, action)) = super::ledger::detail_action(&purpose, note, reason)
            else {
                return vec![];
            };
            f.saving = true;
            vec![Command::HazardAction {
                inspector,
                hazard_id,
                action,
                verdict: None,
            }]
        }
    }
}

fn hazard_saved(
    s: &mut State,
    slot: Slot,
    receipt: HazardReceipt,
    day_answered: i64,
) -> Vec<Command> {
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
    let old_hazard = w.hazards.insert(key, receipt.id.clone());
    let _ = old_hazard;
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
        info(s, text);
    }
    cmds
}
