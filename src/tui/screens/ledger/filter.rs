//! The ledger's filter form: grid, compound, category, severity, leader, days, recurring.

use super::super::{Form, FormPurpose, Screen, State};
use super::load;
use crate::domain::Severity;
use crate::domain::text::clean;
use crate::tui::effect::Effect;
use crate::tui::widgets::form::{Field, FieldId, FieldKind};
use chrono::NaiveDate;
use tui_input::Input;

fn choice(options: Vec<(String, String)>, current: &Option<String>) -> FieldKind {
    let index = current
        .as_ref()
        .and_then(|c| options.iter().position(|o| &o.0 == c))
        .unwrap_or(0);
    FieldKind::Choice { options, index }
}

/// The filter form, filled with the filter in force.
pub fn form(s: &State) -> Form {
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
pub fn apply(s: &mut State) -> Vec<Effect> {
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
