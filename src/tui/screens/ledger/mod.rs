//! The hazard ledger (隐患台账): status tabs with counts, filters, sort, text search.

pub mod filter;
mod view;

pub use view::draw;

use super::{Screen, State, go_back};
use crate::domain::text::clean;
use crate::store::{HazardRow, LedgerChoices, LedgerFilter, LedgerSort, StatusFilter};
use crate::tui::effect::Effect;
use crate::tui::keymap::Act;
use crate::tui::widgets::input::{input_request, type_into};
use crate::tui::widgets::move_cursor;
use crossterm::event::KeyEvent;
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use tui_input::Input;

#[derive(Default)]
pub struct Ledger {
    pub filter: LedgerFilter,
    pub text: Input,
    pub typing: bool,
    pub rows: Vec<HazardRow>,
    /// Indexes into `rows` that pass the text filter.
    pub shown: Vec<usize>,
    pub total: i64,
    pub counts: Vec<(StatusFilter, i64)>,
    pub choices: LedgerChoices,
    /// The choices are those of this opening of the ledger.
    pub choices_loaded: bool,
    pub cursor: usize,
}

/// How many ledger rows are loaded for the screen (the count shows how many match in all).
pub const LEDGER_PAGE: usize = 500;

/// The command that loads the ledger with the filter in force.
pub fn load(s: &State) -> Effect {
    Effect::LoadLedger(Box::new(s.ledger.filter.clone()), !s.ledger.choices_loaded)
}

/// Open the ledger (Esc comes back here).
pub fn open_ledger(s: &mut State) -> Vec<Effect> {
    s.back_stack.push(s.screen);
    s.screen = Screen::Ledger;
    s.ledger.choices_loaded = false;
    vec![load(s)]
}

/// The ledger was loaded (with the filter in force): show it through the text filter.
pub fn loaded(
    l: &mut Ledger,
    rows: Vec<HazardRow>,
    total: i64,
    counts: Vec<(StatusFilter, i64)>,
    choices: Option<LedgerChoices>,
) {
    l.rows = rows;
    l.total = total;
    l.counts = counts;
    if let Some(c) = choices {
        l.choices = c;
        l.choices_loaded = true;
    }
    refilter(l);
}

/// Apply the text filter to the loaded rows.
pub fn refilter(l: &mut Ledger) {
    let q = clean(l.text.value()).to_lowercase();
    let numeric = !q.is_empty()
        && q.chars().any(|c| c.is_ascii_digit())
        && q.chars()
            .all(|c| c.is_ascii_digit() || c == ' ' || c == '-');
    if q.is_empty() {
        l.shown = (0..l.rows.len()).collect();
    } else if numeric {
        // A number is looked for as written, not scattered: a room (302), a phone (with or
        // without spaces and dashes), or part of a hazard number or place.
        let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
        let dq = digits(&q);
        let mut hits: Vec<(u8, usize)> = l
            .rows
            .iter()
            .enumerate()
            .filter_map(|(i, h)| {
                let rank = if h.party_room == q {
                    0
                } else if dq.len() >= 4 && digits(&h.party_phone).contains(&dq) {
                    1
                } else if h.party_room.contains(q.as_str()) {
                    2
                } else if [&h.spot, &h.building, &h.description, &h.number]
                    .iter()
                    .any(|f| f.contains(q.as_str()))
                {
                    3
                } else {
                    return None;
                };
                Some((rank, i))
            })
            .collect();
        hits.sort();
        l.shown = hits.into_iter().map(|(_, i)| i).collect();
    } else {
        let m = SkimMatcherV2::default();
        let mut hits: Vec<(i64, usize)> = l
            .rows
            .iter()
            .enumerate()
            .filter_map(|(i, h)| {
                let hay = format!(
                    "{} {} {} {} {} {} {}",
                    h.number,
                    h.compound,
                    h.building,
                    h.spot,
                    h.description,
                    h.party_name,
                    h.party_room
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

/// The hazard under the cursor.
pub fn selected(s: &State) -> Option<&HazardRow> {
    s.ledger
        .shown
        .get(s.ledger.cursor)
        .and_then(|i| s.ledger.rows.get(*i))
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

/// A key on the ledger: move, status tabs, sort, filters, text search, open, back.
pub fn key(s: &mut State, k: KeyEvent, act: Option<Act>) -> Vec<Effect> {
    let l = &mut s.ledger;
    if l.typing {
        match act {
            Some(Act::Back) | Some(Act::Open) => l.typing = false,
            Some(a @ (Act::MoveUp | Act::MoveDown)) => move_cursor(&mut l.cursor, l.shown.len(), a),
            _ => {
                if let Some(req) = input_request(&k) {
                    type_into(&mut l.text, req);
                    l.cursor = 0;
                    refilter(l);
                }
            }
        }
        return vec![];
    }
    match act {
        Some(a @ (Act::MoveUp | Act::MoveDown | Act::PageUp | Act::PageDown)) => {
            move_cursor(&mut l.cursor, l.shown.len(), a)
        }
        Some(a @ (Act::NextStatus | Act::PrevStatus)) => {
            let forward = a == Act::NextStatus;
            l.filter.status = cycle(&StatusFilter::ALL, l.filter.status, forward);
            l.cursor = 0;
            return vec![load(s)];
        }
        Some(Act::NextSort) => {
            l.filter.sort = cycle(&LedgerSort::ALL, l.filter.sort, true);
            l.cursor = 0;
            return vec![load(s)];
        }
        Some(Act::Search) => l.typing = true,
        Some(Act::EditFilters) => {
            s.form = Some(filter::form(s));
            s.screen = Screen::Form;
        }
        Some(Act::Open) => {
            if let Some(h) = selected(s) {
                let id = h.id.clone();
                s.back_stack.push(Screen::Ledger);
                return vec![Effect::LoadDetail { hazard_id: id }];
            }
        }
        Some(Act::OpenHistory) => {
            if let Some(h) = selected(s) {
                let id = h.building_id.clone();
                s.back_stack.push(Screen::Ledger);
                return vec![Effect::LoadHistory { building_id: id }];
            }
        }
        Some(Act::Back) => return go_back(s),
        _ => {}
    }
    vec![]
}
