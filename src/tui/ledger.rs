//! Update logic of the ledger, hazard detail and building history screens (pure, like
//! `update`): keys in, state changes and commands out.

use super::keymap::Act;
use super::state::*;
use super::update::Command;
use crate::domain::Severity;
use crate::domain::text::clean;
use crate::store::{HazardAction, LedgerSort, StatusFilter};
use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use tui_input::Input;

/// How many ledger rows are loaded for the screen (the count shows how many match in all).
pub const LEDGER_PAGE: usize = 500;

/// The command that loads the ledger with the filter in force.
pub fn load(s: &State) -> Command {
    Command::LoadLedger(Box::new(s.ledger.filter.clone()))
}

pub fn open_ledger(s: &mut State) -> Vec<Command> {
    s.back_stack.push(s.screen);
    s.screen = Screen::Ledger;
    vec![load(s)]
}

/// Apply the text filter to the loaded rows.
pub fn refilter(l: &mut Ledger) {
    let q = clean(l.text.value()).to_lowercase();
    if q.is_empty() {
        l.shown = (0..l.rows.len()).collect();
    } else {
        let m = SkimMatcherV2::default();
        let mut hits: Vec<(i64, usize)> = l
            .rows
            .iter()
            .enumerate()
            .filter_map(|(i, h)| {
                let hay = format!(
                    "{} {} {} {} {} {}",
                    h.number, h.compound, h.building, h.spot, h.description, h.party_name
                )
                .to_lowercase();
                m.fuzzy_match(&hay, &q).map(|sc| (sc, i))
            })
            .collect();
        hits.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        l.shown = hits.into_iter().map(|(_, i)| i).collect();
    }
    l.cursor = l.cursor.min(l.shown.len().saturating_sub(1));
}

pub fn selected(s: &State) -> Option<&crate::store::HazardRow> {
    s.ledger
        .shown
        .get(s.ledger.cursor)
        .and_then(|i| s.ledger.rows.get(*i))
}

fn back(s: &mut State) -> Vec<Command> {
    let to = s.back_stack.pop().unwrap_or(Screen::Start);
    s.screen = to;
    match to {
        Screen::Start => vec![Command::LoadStart],
        Screen::Ledger => vec![load(s)],
        _ => vec![],
    }
}

fn cycle<T: Copy + PartialEq>(all: &[T], v: T, forward: bool) -> T {
    let i = all.iter().position(|x| *x == v).unwrap_or(0);
    let n = all.len();
    all[if forward {
        (i + 1) % n
    } else {
        (i + n - 1) % n
    }]
}

pub fn ledger_key(s: &mut State, k: KeyEvent, act: Option<Act>) -> Vec<Command> {
    let l = &mut s.ledger;
    if l.typing {
        match act {
            Some(Act::Back) | Some(Act::Open) => l.typing = false,
            Some(a @ (Act::Up | Act::Down)) => {
                super::update::move_cursor(&mut l.cursor, l.shown.len(), a)
            }
            _ => {
                if let Some(req) = super::update::input_request(&k) {
                    super::update::type_into(&mut l.text, req);
                    l.cursor = 0;
                    refilter(l);
                }
            }
        }
        return vec![];
    }
    match act {
        Some(a @ (Act::Up | Act::Down | Act::PageUp | Act::PageDown)) => {
            super::update::move_cursor(&mut l.cursor, l.shown.len(), a)
        }
        Some(a @ (Act::Next | Act::Prev | Act::NextField | Act::PrevField)) => {
            let forward = matches!(a, Act::Next | Act::NextField);
            l.filter.status = cycle(&StatusFilter::ALL, l.filter.status, forward);
            l.cursor = 0;
            return vec![load(s)];
        }
        Some(Act::Sort) => {
            l.filter.sort = cycle(&LedgerSort::ALL, l.filter.sort, true);
            l.cursor = 0;
            return vec![load(s)];
        }
        Some(Act::Search) => l.typing = true,
        Some(Act::Filters) => {
            s.form = Some(filter_form(s));
            s.screen = Screen::Form;
        }
        Some(Act::Open) => {
            if let Some(h) = selected(s) {
                let id = h.id.clone();
                s.back_stack.push(Screen::Ledger);
                return vec![Command::LoadDetail { hazard_id: id }];
            }
        }
        Some(Act::History) => {
            if let Some(h) = selected(s) {
                let id = h.building_id.clone();
                s.back_stack.push(Screen::Ledger);
                return vec![Command::LoadHistory { building_id: id }];
            }
        }
        Some(Act::Back) => return back(s),
        _ => {}
    }
    vec![]
}

fn choice(options: Vec<(String, String)>, current: &Option<String>) -> FieldKind {
    let index = current
        .as_ref()
        .and_then(|c| options.iter().position(|o| &o.0 == c))
        .unwrap_or(0);
    FieldKind::Choice { options, index }
}

fn filter_form(s: &State) -> Form {
    let c = s.lang.cat();
    let f = &s.ledger.filter;
    let ch = &s.ledger.choices;
    let any = || (String::new(), c.t_any.to_string());
    let named = |v: &Vec<String>| {
        std::iter::once(any())
            .chain(v.iter().map(|x| (x.clone(), x.clone())))
            .collect::<Vec<_>>()
    };
    let cats = std::iter::once(any())
        .chain(ch.categories.iter().map(|x| (x.clone(), c.category(x))))
        .collect();
    let sevs = std::iter::once(any())
        .chain(
            Severity::ALL
                .iter()
                .map(|x| (x.code().to_string(), c.severity(*x).to_string())),
        )
        .collect();
    let leaders = std::iter::once(any())
        .chain(ch.leaders.iter().cloned())
        .collect();
    let day = |d: &Option<NaiveDate>| {
        Input::new(
            d.map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
        )
    };
    Form {
        purpose: FormPurpose::LedgerFilter,
        title: c.t_filter_title.to_string(),
        fields: vec![
            Field {
                id: FieldId::Grid,
                kind: choice(named(&ch.grids), &f.grid),
            },
            Field {
                id: FieldId::Compound,
                kind: choice(named(&ch.compounds), &f.compound),
            },
            Field {
                id: FieldId::Category,
                kind: choice(cats, &f.category),
            },
            Field {
                id: FieldId::Severity,
                kind: choice(sevs, &f.severity.map(|x| x.code().to_string())),
            },
            Field {
                id: FieldId::Leader,
                kind: choice(leaders, &f.leader),
            },
            Field {
                id: FieldId::From,
                kind: FieldKind::Text(day(&f.from)),
            },
            Field {
                id: FieldId::Until,
                kind: FieldKind::Text(day(&f.to)),
            },
            Field {
                id: FieldId::Recurring,
                kind: FieldKind::Toggle(f.recurring),
            },
        ],
        focus: 0,
        error: None,
        context: c.t_filter_hint.to_string(),
        saving: false,
        back: Screen::Ledger,
    }
}

/// A day typed in a filter: YYYY-MM-DD or MM-DD (this year); empty for none.
pub(crate) fn parse_day(text: &str, today: NaiveDate) -> Result<Option<NaiveDate>, ()> {
    let t = clean(text);
    if t.is_empty() {
        return Ok(None);
    }
    crate::domain::day::parse_typed(&t, today)
        .map(Some)
        .ok_or(())
}

/// Save the filter form into the ledger's filter.
pub fn apply_filter_form(s: &mut State) -> Vec<Command> {
    let c = s.lang.cat();
    let today = s.today;
    let Some(f) = s.form.as_mut() else {
        return vec![];
    };
    let opt = |v: String| if v.is_empty() { None } else { Some(v) };
    let from = parse_day(&f.text(FieldId::From), today);
    let to = parse_day(&f.text(FieldId::Until), today);
    let (Ok(from), Ok(to)) = (from, to) else {
        let k = if parse_day(&f.text(FieldId::From), today).is_err() {
            f.index_of(FieldId::From)
        } else {
            f.index_of(FieldId::Until)
        };
        let k = k.unwrap_or(0);
        f.focus = k;
        f.error = Some((k, c.e_day.to_string()));
        return vec![];
    };
    let l = &mut s.ledger.filter;
    l.grid = opt(f.choice(FieldId::Grid));
    l.compound = opt(f.choice(FieldId::Compound));
    l.category = opt(f.choice(FieldId::Category));
    l.severity = Severity::parse(&f.choice(FieldId::Severity));
    l.leader = opt(f.choice(FieldId::Leader));
    l.from = from;
    l.to = to;
    l.recurring = f.toggle(FieldId::Recurring);
    s.form = None;
    s.screen = Screen::Ledger;
    s.ledger.cursor = 0;
    vec![load(s)]
}

fn note_form(
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

pub fn detail_key(s: &mut State, act: Option<Act>) -> Vec<Command> {
    let c = s.lang.cat();
    let Some(d) = s.detail.as_ref() else {
        return back(s);
    };
    let h = d.hazard.clone();
    let context = format!("{} {}", h.number, h.description);
    let form = match act {
        Some(Act::Rectified) => Some(note_form(
            s,
            FormPurpose::Rectify {
                hazard_id: h.id.clone(),
            },
            c.t_rectify_title,
            FieldId::Note,
            context,
        )),
        Some(Act::Respond) => Some(note_form(
            s,
            FormPurpose::Respond {
                hazard_id: h.id.clone(),
            },
            c.t_respond_title,
            FieldId::Note,
            context,
        )),
        Some(Act::Reopen) => Some(note_form(
            s,
            FormPurpose::Reopen {
                hazard_id: h.id.clone(),
            },
            c.t_reopen_title,
            FieldId::Reason,
            context,
        )),
        Some(Act::Extend) => Some(super::update::extend_form(s, &h, Screen::Detail)),
        Some(Act::Escalate) => Some(super::update::escalate_form(s, &h, Screen::Detail)),
        Some(Act::History) => {
            s.back_stack.push(Screen::Detail);
            return vec![Command::LoadHistory {
                building_id: h.building_id.clone(),
            }];
        }
        Some(Act::Notice) => {
            return vec![Command::WriteNotice {
                hazard_id: h.id.clone(),
            }];
        }
        Some(Act::Back) => return back(s),
        _ => None,
    };
    if let Some(f) = form {
        s.form = Some(f);
        s.screen = Screen::Form;
    }
    vec![]
}

pub fn history_key(s: &mut State, act: Option<Act>) -> Vec<Command> {
    let Some(h) = s.history.as_mut() else {
        return back(s);
    };
    match act {
        Some(a @ (Act::Up | Act::Down | Act::PageUp | Act::PageDown)) => {
            super::update::move_cursor(&mut h.cursor, h.hazards.len(), a)
        }
        Some(Act::Open) => {
            if let Some(x) = h.hazards.get(h.cursor) {
                let id = x.id.clone();
                s.back_stack.push(Screen::History);
                return vec![Command::LoadDetail { hazard_id: id }];
            }
        }
        Some(Act::Back) => return back(s),
        _ => {}
    }
    vec![]
}

/// The action a detail-screen form asks for, once its fields are checked.
pub fn detail_action(
    purpose: &FormPurpose,
    note: String,
    reason: String,
) -> Option<(String, HazardAction)> {
    match purpose {
        FormPurpose::Rectify { hazard_id } => {
            Some((hazard_id.clone(), HazardAction::Rectify { note }))
        }
        FormPurpose::Respond { hazard_id } => {
            Some((hazard_id.clone(), HazardAction::OfficeResponse { note }))
        }
        FormPurpose::Reopen { hazard_id } => {
            Some((hazard_id.clone(), HazardAction::Reopen { reason }))
        }
        _ => None,
    }
}
