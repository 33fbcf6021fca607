//! The screens. Each screen keeps together its state, its keys, what its saving sends and its
//! drawing; this module holds the app's [`State`] (the screens' states together), where Esc
//! goes back to, and draws the screen in force inside the chrome.

pub mod attach;
pub mod confirm;
pub mod detail;
pub mod devices;
pub mod hazard_forms;
pub mod help;
pub mod history;
pub mod inbox;
pub mod inspector;
pub mod ledger;
pub mod overview;
pub mod people;
pub mod picker;
pub mod proposals;
pub mod report;
pub mod start;
pub mod today;
pub mod walk;

use super::effect::Effect;
use super::keymap::Context;
use super::widgets::{Theme, chrome, wrap};
use crate::i18n::Lang;
use crate::store::{BuildingSummary, OpenCounts, Person, Slot};
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use std::collections::HashMap;
use tui_input::Input;

use detail::Detail;
use history::History;
use ledger::Ledger;
use overview::Overview;
use picker::Picker;
use report::ReportPreview;
use start::ResumePoint;
use walk::{Phase, Walk};

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
    /// People and their duties (the office's list).
    People,
    /// The office's start screen: escalations waiting for its response.
    Inbox,
    /// The office's laptops.
    Devices,
    /// The laptops' proposed changes to the lists.
    Proposals,
    /// Today across the community, by grid.
    Today,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    Info(String),
    Error(String),
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
    /// Items in the plan, counted when it is made (the foot of every screen shows it).
    pub plan_items: usize,
    pub plan_cursor: usize,
    pub counts: crate::store::OpenCounts,
    pub day_answered: i64,
    pub resume: Option<ResumePoint>,
    pub picker: Picker,
    pub walk: Option<Walk>,
    pub form: Option<Form>,
    /// The building the plan should highlight when it is next drawn.
    pub highlight_after_load: Option<String>,
    pub items_per_kind: HashMap<crate::domain::SiteKind, start::ItemCounts>,
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
    /// The people and duties screen.
    pub people_list: people::PeopleList,
    /// A yes/no question over the screen; its effect runs on yes.
    pub confirm: Option<confirm::Confirm>,
    /// The terminal's size, when known: below [`MIN_WIDTH`] x [`MIN_HEIGHT`] only the
    /// "window too small" message is drawn, and keys are ignored (nothing acts unseen).
    pub size: Option<(u16, u16)>,
    /// This database's part in sync (the office opens on its inbox; a laptop shows its sync
    /// state on the start screen).
    pub role: Option<crate::store::devices::Role>,
    /// On a laptop: (changes not yet sent, last sync, office address).
    pub sync: Option<start::SyncState>,
    /// A sync runs beside the app: for how many seconds so far.
    pub syncing: Option<u64>,
    pub inbox: inbox::Inbox,
    pub devices: devices::Devices,
    pub proposals: proposals::Proposals,
    pub today_view: today::Today,
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
            plan_items: 0,
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
            people_list: Default::default(),
            confirm: None,
            size: None,
            role: None,
            sync: None,
            syncing: None,
            inbox: Default::default(),
            devices: Default::default(),
            proposals: Default::default(),
            today_view: Default::default(),
        }
    }

    /// Say something on the notice line.
    pub fn info(&mut self, text: String) {
        self.notice = Some(Notice::Info(text));
    }

    /// Show an error on the notice line.
    pub fn error(&mut self, text: String) {
        self.notice = Some(Notice::Error(text));
    }

    /// The key context of what is on screen.
    pub fn context(&self) -> Context {
        if self.confirm.is_some() {
            return Context::Confirm;
        }
        match self.screen {
            Screen::Inspector => Context::Inspector,
            Screen::Start if self.role == Some(crate::store::devices::Role::Laptop) => {
                Context::LaptopStart
            }
            Screen::Start => Context::Start,
            Screen::Picker if self.picker.assign_to.is_some() => Context::PickBuilding,
            Screen::Picker => Context::Picker,
            Screen::People => Context::People,
            Screen::Form => Context::Form,
            Screen::Ledger => Context::Ledger,
            Screen::Detail => Context::Detail,
            Screen::History => Context::History,
            Screen::Report => Context::Report,
            Screen::Inbox => Context::Inbox,
            Screen::Devices => Context::Devices,
            Screen::Proposals => Context::Proposals,
            Screen::Today => Context::Today,
            Screen::Walk => match self.walk.as_ref().map(|w| w.phase) {
                Some(Phase::Recheck) => Context::Recheck,
                _ => Context::Walk,
            },
        }
    }

    /// Is the window too small to show the app (so keys must not act)?
    pub fn too_small(&self) -> bool {
        self.size
            .is_some_and(|(w, h)| w < MIN_WIDTH || h < MIN_HEIGHT)
    }

    /// Is a text field taking typed characters?
    pub fn typing(&self) -> bool {
        if self.confirm.is_some() {
            return false;
        }
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
        let n = self
            .items_per_kind
            .get(&b.building.kind)
            .copied()
            .unwrap_or_default();
        if b.units == 0 {
            n.building + n.per_unit
        } else {
            n.building + n.per_unit * b.units as usize
        }
    }

    /// Items in today's plan (for "answered of total"), counted when the plan was made.
    pub fn day_total(&self) -> usize {
        self.plan_items
    }

    /// Count the items of today's plan (when the plan is made).
    pub fn count_plan_items(&mut self) {
        self.plan_items = self
            .plan
            .iter()
            .filter_map(|i| self.buildings.get(*i))
            .map(|b| self.items_in(b))
            .sum();
    }
}

/// What a form is for: which screen's saving runs on Enter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormPurpose {
    NewHazard {
        slot: Slot,
        category: String,
    },
    Extend {
        hazard_id: String,
    },
    Escalate {
        hazard_id: String,
    },
    Rectify {
        hazard_id: String,
    },
    Respond {
        hazard_id: String,
    },
    Reopen {
        hazard_id: String,
    },
    LedgerFilter,
    AddPerson,
    EditPerson {
        person_id: String,
    },
    Assign {
        person_id: String,
        building_id: String,
    },
    Unassign {
        person_id: String,
    },
    AttachPhotos {
        hazard_id: String,
    },
    /// The office answers an escalation (and may give a new deadline).
    OfficeRespond {
        hazard_id: String,
    },
    /// The office saw it rectified.
    OfficeRectify {
        hazard_id: String,
    },
    /// The office asks a leader to re-check.
    AssignRecheck {
        hazard_id: String,
    },
    /// Enrol a laptop for a person.
    AddDevice,
}

/// A form of the app: its purpose, and the screen under it (where Esc and saving return).
pub type Form = super::widgets::form::Form<FormPurpose, Screen>;

/// Esc on the ledger, detail and history screens: back where they were opened from.
pub fn go_back(s: &mut State) -> Vec<Effect> {
    let to = s.back_stack.pop().unwrap_or(Screen::Start);
    s.screen = to;
    match to {
        Screen::Start => vec![Effect::LoadStart],
        Screen::Ledger => vec![ledger::load(s)],
        Screen::Inbox => vec![Effect::LoadInbox],
        Screen::Devices => vec![Effect::LoadDevices],
        Screen::Proposals => vec![Effect::LoadProposals],
        _ => vec![],
    }
}

/// The smallest terminal the app draws in.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

pub fn draw(frame: &mut Frame, s: &State, t: &Theme) {
    let area = frame.area();
    let c = s.lang.cat();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = (c.t_too_small)(MIN_WIDTH, MIN_HEIGHT, area.width, area.height);
        let lines: Vec<Line> = wrap(&msg, area.width as usize)
            .into_iter()
            .map(Line::from)
            .collect();
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    let shown = match &s.notice {
        Some(Notice::Info(m)) => Some((m.as_str(), false)),
        Some(Notice::Error(m)) => Some((m.as_str(), true)),
        None => None,
    };
    // A long message (a lock with a long path, say) takes up to three lines, never cut.
    let notice_lines = chrome::notice_lines(c, shown, area.width);
    let [top, body, notice, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(notice_lines.len().clamp(1, 3) as u16),
        Constraint::Length(1),
    ])
    .areas(area);
    let who = s.inspector.as_ref().map(|p| p.name.as_str());
    chrome::title(frame, top, c, &s.community, s.today, who, t);
    match s.screen {
        Screen::Inspector => inspector::draw(frame, body, s, t),
        Screen::Start => start::draw(frame, body, s, t),
        Screen::Picker => picker::draw(frame, body, s, t),
        Screen::Walk => walk::draw(frame, body, s, t),
        Screen::Form => {
            if let Some(f) = s.form.as_ref() {
                f.draw(frame, body, c, s.today, t);
            }
        }
        Screen::Ledger => ledger::draw(frame, body, s, t),
        Screen::Detail => detail::draw(frame, body, s, t),
        Screen::History => history::draw(frame, body, s, t),
        Screen::Report => report::draw(frame, body, s, t),
        Screen::People => people::draw(frame, body, s, t),
        Screen::Inbox => inbox::draw(frame, body, s, t),
        Screen::Devices => devices::draw(frame, body, s, t),
        Screen::Proposals => proposals::draw(frame, body, s, t),
        Screen::Today => today::draw(frame, body, s, t),
    }
    if let Some(q) = s.confirm.as_ref() {
        confirm::draw(frame, body, c, q, t);
    }
    chrome::notice(
        frame,
        notice,
        notice_lines,
        shown.is_some_and(|(_, e)| e),
        t,
    );
    chrome::hints(frame, hints, c, s.context(), s.typing(), t);
    if s.help {
        help::draw(frame, area, s, t);
    }
}
