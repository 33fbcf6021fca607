//! People and their duties, as the office keeps them: the list (role, phone, what each looks
//! after; the retired marked and last), and its actions: add, change, assign a building or a
//! unit (the building chosen in the building list), take a duty back, retire (asked first).
//! Every change is sent to the store functions `firepatrol people` uses; the list shows it
//! once the store has committed it.

use super::confirm::Confirm;
use super::{Form, FormPurpose, Screen, State};
use crate::domain::Role;
use crate::domain::roster::PersonProblem;
use crate::domain::text::clean;
use crate::store::{DutyLine, PersonCard};
use crate::tui::effect::{Effect, PeopleChange};
use crate::tui::keymap::Act;
use crate::tui::widgets::form::{Field, FieldId, FieldKind};
use crate::tui::widgets::{Theme, fit, move_cursor, pad, width, wrap};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph};
use tui_input::Input;

/// The people screen's state: the cards as last loaded, and the cursor.
#[derive(Default)]
pub struct PeopleList {
    pub cards: Vec<PersonCard>,
    pub cursor: usize,
}

/// Open the people screen (from the start screen): the list is loaded first.
pub fn open(s: &mut State) -> Vec<Effect> {
    s.screen = Screen::People;
    vec![Effect::LoadPeople]
}

/// The list was loaded; after a change (`done`), the form or building list that made it is
/// closed and the notice says what was done.
pub fn loaded(s: &mut State, cards: Vec<PersonCard>, done: Option<String>, select: Option<String>) {
    let selected = select.or_else(|| s.people_list.selected().map(|c| c.person.id.clone()));
    s.people_list.cards = cards;
    if let Some(id) = selected
        && let Some(k) = s.people_list.cards.iter().position(|c| c.person.id == id)
    {
        s.people_list.cursor = k;
    }
    let n = s.people_list.cards.len();
    s.people_list.cursor = s.people_list.cursor.min(n.saturating_sub(1));
    if let Some(text) = done {
        s.form = None;
        s.picker.assign_to = None;
        s.screen = Screen::People;
        s.info(text);
    }
}

impl PeopleList {
    pub fn selected(&self) -> Option<&PersonCard> {
        self.cards.get(self.cursor)
    }
}

/// "新芙蓉之都 2栋 1单元".
pub fn duty_place(s: &State, d: &DutyLine) -> String {
    match d.unit {
        Some(n) => format!("{} {}", d.building, (s.lang.cat().people.unit)(n)),
        None => d.building.clone(),
    }
}

fn text_field(id: FieldId, value: &str) -> Field {
    Field {
        id,
        kind: FieldKind::Text(Input::new(value.to_string())),
    }
}

fn role_field(s: &State, role: Role) -> Field {
    let c = s.lang.cat();
    Field {
        id: FieldId::PersonRole,
        kind: FieldKind::Choice {
            options: Role::ALL
                .iter()
                .map(|r| (r.code().to_string(), c.role(*r).to_string()))
                .collect(),
            index: Role::ALL.iter().position(|r| *r == role).unwrap_or(0),
        },
    }
}

fn form(
    purpose: FormPurpose,
    title: &str,
    fields: Vec<Field>,
    context: String,
    back: Screen,
) -> Form {
    Form {
        purpose,
        title: title.to_string(),
        fields,
        focus: 0,
        error: None,
        context,
        saving: false,
        back,
    }
}

fn card_line(s: &State, card: &PersonCard) -> String {
    let c = s.lang.cat();
    format!(
        "{} {} {}",
        card.person.name,
        c.role(card.person.role),
        card.person.phone
    )
}

/// A key on the people screen.
pub fn key(s: &mut State, act: Option<Act>) -> Vec<Effect> {
    let w = s.lang.cat().people;
    if let Some(a @ (Act::MoveUp | Act::MoveDown | Act::PageUp | Act::PageDown)) = act {
        move_cursor(&mut s.people_list.cursor, s.people_list.cards.len(), a);
        return vec![];
    }
    if act == Some(Act::Back) {
        s.screen = Screen::Start;
        return vec![Effect::LoadStart];
    }
    if act == Some(Act::AddPerson) {
        s.form = Some(form(
            FormPurpose::AddPerson,
            w.add_title,
            vec![
                text_field(FieldId::PersonName, ""),
                role_field(s, Role::BuildingLeader),
                text_field(FieldId::PersonPhone, ""),
            ],
            String::new(),
            Screen::People,
        ));
        s.screen = Screen::Form;
        return vec![];
    }
    let Some(card) = s.people_list.selected().cloned() else {
        return vec![];
    };
    let person_id = card.person.id.clone();
    let name = card.person.name.clone();
    match act {
        Some(Act::EditPerson) => {
            s.form = Some(form(
                FormPurpose::EditPerson { person_id },
                w.edit_title,
                vec![
                    text_field(FieldId::PersonName, &card.person.name),
                    role_field(s, card.person.role),
                    text_field(FieldId::PersonPhone, &card.person.phone),
                ],
                card_line(s, &card),
                Screen::People,
            ));
            s.screen = Screen::Form;
        }
        Some(Act::AssignDuty) => {
            if card.retired {
                s.error((w.problem)(&PersonProblem::Retired(name)));
                return vec![];
            }
            s.picker.assign_to = Some((person_id, name));
            s.picker.filtering = false;
            s.picker.filter = Input::default();
            s.picker.cursor = 0;
            super::picker::refilter_picker(s);
            s.screen = Screen::Picker;
        }
        Some(Act::UnassignDuty) => {
            if card.duties.is_empty() {
                s.error((w.no_duties)(&name));
                return vec![];
            }
            let options = card
                .duties
                .iter()
                .enumerate()
                .map(|(k, d)| (k.to_string(), duty_place(s, d)))
                .collect();
            s.form = Some(form(
                FormPurpose::Unassign { person_id },
                w.unassign_title,
                vec![Field {
                    id: FieldId::Duty,
                    kind: FieldKind::Choice { options, index: 0 },
                }],
                card_line(s, &card),
                Screen::People,
            ));
            s.screen = Screen::Form;
        }
        Some(Act::RetirePerson) => {
            if card.retired {
                s.error((w.already_retired)(&name));
                return vec![];
            }
            let duties: Vec<String> = card.duties.iter().map(|d| duty_place(s, d)).collect();
            let mut lines = vec![card_line(s, &card)];
            if !duties.is_empty() {
                lines.push(format!("{}{}", w.all_duties, duties.join(", ")));
            }
            s.confirm = Some(Confirm {
                lines,
                question: (w.retire_ask)(&name, card.duties.len()),
                yes: Effect::People(PeopleChange::Retire { person_id }),
            });
        }
        _ => {}
    }
    vec![]
}

/// A key on the building list while choosing a building for a person: Enter chooses it (the
/// unit is chosen next), Esc goes back to the people; the list moves and filters as ever.
pub fn pick_key(s: &mut State, k: KeyEvent, act: Option<Act>) -> Vec<Effect> {
    let w = s.lang.cat().people;
    match act {
        Some(Act::Open) => {
            let Some((person_id, name)) = s.picker.assign_to.clone() else {
                return vec![];
            };
            let Some(b) = s
                .picker
                .matches
                .get(s.picker.cursor)
                .and_then(|(i, _)| s.buildings.get(*i))
            else {
                return vec![];
            };
            let mut options = vec![(String::new(), w.whole_building.to_string())];
            options.extend((1..=b.units).map(|n| (n.to_string(), (w.unit)(n))));
            let context = format!("{name} → {}", b.building.display_name());
            s.form = Some(form(
                FormPurpose::Assign {
                    person_id,
                    building_id: b.building.id.clone(),
                },
                w.assign_title,
                vec![Field {
                    id: FieldId::Unit,
                    kind: FieldKind::Choice { options, index: 0 },
                }],
                context,
                Screen::Picker,
            ));
            s.screen = Screen::Form;
            vec![]
        }
        Some(Act::Back) if !s.picker.filtering => {
            s.picker.assign_to = None;
            s.screen = Screen::People;
            vec![]
        }
        Some(Act::OpenHistory) => vec![],
        _ => super::picker::key(s, k, act),
    }
}

/// Save a people form: what changed goes to the store; the store checks it as at import.
pub fn save(s: &mut State, purpose: FormPurpose) -> Vec<Effect> {
    let w = s.lang.cat().people;
    let cards = &s.people_list.cards;
    let Some(f) = s.form.as_mut() else {
        return vec![];
    };
    let role =
        |f: &Form| Role::parse(&f.choice(FieldId::PersonRole)).unwrap_or(Role::BuildingLeader);
    let change = match purpose {
        FormPurpose::AddPerson => PeopleChange::Add {
            name: clean(&f.text(FieldId::PersonName)),
            role: role(f),
            phone: clean(&f.text(FieldId::PersonPhone)),
        },
        FormPurpose::EditPerson { person_id } => {
            let Some(card) = cards.iter().find(|c| c.person.id == person_id) else {
                return vec![];
            };
            let name = clean(&f.text(FieldId::PersonName));
            let phone = clean(&f.text(FieldId::PersonPhone));
            let new_role = role(f);
            let changed = |a: &str, b: &str| (a != b).then(|| a.to_string());
            let change = PeopleChange::Edit {
                person_id,
                name: changed(&name, &card.person.name),
                role: (new_role != card.person.role).then_some(new_role),
                phone: changed(&phone, &card.person.phone),
            };
            if matches!(
                change,
                PeopleChange::Edit {
                    name: None,
                    role: None,
                    phone: None,
                    ..
                }
            ) {
                return f.fail(FieldId::PersonName, w.nothing_changed.to_string());
            }
            change
        }
        FormPurpose::Assign {
            person_id,
            building_id,
        } => PeopleChange::Assign {
            person_id,
            building_id,
            unit: f.choice(FieldId::Unit).parse().ok(),
        },
        FormPurpose::Unassign { person_id } => {
            let duty = cards
                .iter()
                .find(|c| c.person.id == person_id)
                .and_then(|c| {
                    let k: usize = f.choice(FieldId::Duty).parse().ok()?;
                    c.duties.get(k)
                });
            let Some(d) = duty else {
                return vec![];
            };
            PeopleChange::Unassign {
                person_id,
                building_id: d.building_id.clone(),
                unit: d.unit,
            }
        }
        _ => return vec![],
    };
    f.saving = true;
    vec![Effect::People(change)]
}

/// The field a refusal of the store is about, on a people form.
pub fn field_of(p: &PersonProblem) -> Option<FieldId> {
    Some(match p {
        PersonProblem::NoName | PersonProblem::TooLong(_) | PersonProblem::Exists { .. } => {
            FieldId::PersonName
        }
        PersonProblem::NotAPhone(_) => FieldId::PersonPhone,
        PersonProblem::NoSuchUnit { .. } | PersonProblem::AlreadyAssigned { .. } => FieldId::Unit,
        PersonProblem::NotAssigned { .. } => FieldId::Duty,
        _ => return None,
    })
}

pub fn draw(frame: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let (c, w) = (s.lang.cat(), s.lang.cat().people);
    let l = &s.people_list;
    let [list, more] = Layout::vertical([Constraint::Min(3), Constraint::Length(5)]).areas(area);
    let title = format!(" {} ({}) ", w.ctx_people, l.cards.len());
    let block = Block::default().borders(Borders::ALL).title(title);
    if l.cards.is_empty() {
        frame.render_widget(Paragraph::new(w.app_no_people).block(block), list);
        return;
    }
    let inner_w = usize::from(list.width.saturating_sub(4));
    // Each column as wide as its widest entry (within limits); the duties get the rest.
    let widest = |head: &str, cells: &mut dyn Iterator<Item = usize>, max: usize| {
        cells.chain([width(head)]).max().unwrap_or(0).min(max)
    };
    let name_w = widest(
        w.col_name,
        &mut l.cards.iter().map(|k| width(&k.person.name)),
        14,
    );
    let role_w = widest(
        w.col_role,
        &mut l.cards.iter().map(|k| width(c.role(k.person.role))),
        16,
    );
    let phone_w = widest(
        w.col_phone,
        &mut l.cards.iter().map(|k| width(&k.person.phone)),
        15,
    );
    let duties_w = inner_w.saturating_sub(name_w + role_w + phone_w + 3);
    let row = |a: &str, b: &str, p: &str, d: &str| {
        format!(
            "{} {} {} {}",
            pad(&fit(a, name_w), name_w),
            pad(&fit(b, role_w), role_w),
            pad(&fit(p, phone_w), phone_w),
            fit(d, duties_w)
        )
    };
    let [head, rows] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(block.inner(list));
    frame.render_widget(block, list);
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(
            format!(
                "  {}",
                row(w.col_name, w.col_role, w.col_phone, w.col_duties)
            ),
            t.key(),
        ))),
        head,
    );
    let items: Vec<ListItem> = l
        .cards
        .iter()
        .map(|card| {
            let duties = if card.retired {
                w.retired.trim().to_string()
            } else if card.duties.is_empty() {
                w.none.to_string()
            } else {
                card.duties
                    .iter()
                    .map(|d| duty_place(s, d))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let phone = if card.person.phone.is_empty() {
                w.none
            } else {
                card.person.phone.as_str()
            };
            ListItem::new(row(
                &card.person.name,
                c.role(card.person.role),
                phone,
                &duties,
            ))
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(l.cursor));
    frame.render_stateful_widget(
        List::new(items)
            .highlight_style(t.selected())
            .highlight_symbol("> "),
        rows,
        &mut state,
    );
    // The selected person in full: every duty, wrapped.
    let Some(card) = l.selected() else { return };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", card_line(s, card)));
    let inner = block.inner(more);
    frame.render_widget(block, more);
    let text = if card.retired {
        format!("{}{}", card.person.name, w.retired)
    } else if card.duties.is_empty() {
        format!("{}{}", w.all_duties, w.none)
    } else {
        let all: Vec<String> = card.duties.iter().map(|d| duty_place(s, d)).collect();
        format!("{}{}", w.all_duties, all.join(", "))
    };
    let lines: Vec<Line> = wrap(&text, usize::from(inner.width))
        .into_iter()
        .map(Line::from)
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
