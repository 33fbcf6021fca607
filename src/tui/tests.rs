//! The pure update, told as the leader's story and tested without SQLite: a state built from
//! plain values, keys fed in, and the effects it asks for and the screen it leaves checked.

use super::effect::{Effect, SaveKind};
use super::msg::{Msg, Saved};
use super::screens::walk::{UndoEntry, WalkData};
use super::screens::{FormPurpose, Notice, Screen, State};
use super::update::update;
use super::widgets::form::FieldId;
use crate::domain::checklist::Item;
use crate::domain::deadline::DeadlineRule;
use crate::domain::{AnswerValue, Role, Scope, Severity, SiteKind};
use crate::i18n::Lang;
use crate::store::{Building, Person, Slot};
use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const INSPECTOR: &str = "p-liu";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("a day")
}

/// The start screen of 刘建国, with nothing loaded.
fn leader() -> State {
    let mut s = State::new(Lang::En, today());
    s.inspector = Some(Person {
        id: INSPECTOR.into(),
        name: "刘建国".into(),
        role: Role::BuildingLeader,
        phone: String::new(),
    });
    s
}

fn item(id: &str) -> Item {
    Item {
        id: id.into(),
        category: "egress".into(),
        prompt_zh: format!("{id} 正常吗"),
        prompt_en: format!("{id} fine?"),
        hazard_zh: format!("{id} 有隐患"),
        hazard_en: format!("{id} is a hazard"),
        severity: Severity::High,
        deadline: DeadlineRule::Days(3),
        scope: Scope::Building,
        kinds: vec![SiteKind::Residential],
        basis: String::new(),
    }
}

/// 刘建国 on the checklist of a building with two items and no open hazards.
fn on_a_walk() -> State {
    let mut s = leader();
    let building = Building {
        id: "b-1".into(),
        name: "1栋".into(),
        compound: "新芙蓉之都".into(),
        grid: String::new(),
        community: String::new(),
        address: String::new(),
        kind: SiteKind::Residential,
        floors: None,
        search_keys: String::new(),
    };
    let effects = update(
        &mut s,
        Msg::WalkLoaded(Box::new(WalkData {
            building,
            items: vec![item("EGR-01"), item("EGR-02")],
            units: vec![],
            answers: Default::default(),
            hazards: Default::default(),
            open: vec![],
            office_words: Default::default(),
            resume: None,
        })),
    );
    assert!(effects.is_empty());
    s
}

fn slot(item: &str) -> Slot {
    Slot {
        building_id: "b-1".into(),
        unit_id: None,
        item_id: item.into(),
    }
}

/// Press keys: characters, and `<esc>`, `<enter>`, `<tab>`, `<s-tab>`, `<bs>`, `<c-u>`, `<f1>`.
/// Returns every effect asked for.
fn press(s: &mut State, keys: &str) -> Vec<Effect> {
    let mut out = Vec::new();
    let mut chars = keys.chars();
    while let Some(c) = chars.next() {
        let (code, m) = if c == '<' {
            let name: String = chars.by_ref().take_while(|c| *c != '>').collect();
            match name.as_str() {
                "esc" => (KeyCode::Esc, KeyModifiers::NONE),
                "enter" => (KeyCode::Enter, KeyModifiers::NONE),
                "tab" => (KeyCode::Tab, KeyModifiers::NONE),
                "s-tab" => (KeyCode::BackTab, KeyModifiers::SHIFT),
                "right" => (KeyCode::Right, KeyModifiers::NONE),
                "bs" => (KeyCode::Backspace, KeyModifiers::NONE),
                "c-u" => (KeyCode::Char('u'), KeyModifiers::CONTROL),
                "f1" => (KeyCode::F(1), KeyModifiers::NONE),
                other => panic!("unknown key <{other}>"),
            }
        } else {
            (KeyCode::Char(c), KeyModifiers::NONE)
        };
        out.extend(update(s, Msg::Key(KeyEvent::new(code, m))));
    }
    out
}

fn answer_of(s: &State, item: &str) -> Option<AnswerValue> {
    s.walk.as_ref().and_then(|w| w.answer(None, item))
}

#[test]
fn an_answer_is_sent_to_the_store_and_shown_only_once_it_is_saved() {
    let mut s = on_a_walk();
    let effects = press(&mut s, "y");
    assert_eq!(
        effects,
        vec![Effect::SaveAnswer {
            inspector: INSPECTOR.into(),
            slot: slot("EGR-01"),
            value: AnswerValue::Ok,
            before: None,
            void_hazard: None,
            kind: SaveKind::Answer,
        }]
    );
    assert_eq!(
        answer_of(&s, "EGR-01"),
        None,
        "not shown before it is saved"
    );
    assert!(
        press(&mut s, "y").is_empty(),
        "one answer on its way at a time"
    );

    let undo = UndoEntry {
        slot: slot("EGR-01"),
        before: None,
        after: AnswerValue::Ok,
        hazard_id: None,
    };
    update(
        &mut s,
        Msg::AnswerSaved {
            slot: slot("EGR-01"),
            value: AnswerValue::Ok,
            saved: Saved::Answer(undo),
            day_answered: 1,
        },
    );
    assert_eq!(answer_of(&s, "EGR-01"), Some(AnswerValue::Ok));
    assert_eq!(
        s.walk.as_ref().map(|w| w.cursor),
        Some(1),
        "on to the next item"
    );
    assert_eq!(s.day_answered, 1);
}

#[test]
fn undo_takes_the_last_answer_back_once_the_store_has() {
    let mut s = on_a_walk();
    press(&mut s, "n");
    update(
        &mut s,
        Msg::AnswerSaved {
            slot: slot("EGR-01"),
            value: AnswerValue::NotApplicable,
            saved: Saved::Answer(UndoEntry {
                slot: slot("EGR-01"),
                before: None,
                after: AnswerValue::NotApplicable,
                hazard_id: None,
            }),
            day_answered: 1,
        },
    );
    let effects = press(&mut s, "u");
    assert_eq!(
        effects,
        vec![Effect::SaveAnswer {
            inspector: INSPECTOR.into(),
            slot: slot("EGR-01"),
            value: AnswerValue::Cleared,
            before: Some(AnswerValue::NotApplicable),
            void_hazard: None,
            kind: SaveKind::Undo,
        }]
    );
    assert_eq!(answer_of(&s, "EGR-01"), Some(AnswerValue::NotApplicable));
    update(
        &mut s,
        Msg::AnswerSaved {
            slot: slot("EGR-01"),
            value: AnswerValue::Cleared,
            saved: Saved::Undo,
            day_answered: 0,
        },
    );
    assert_eq!(answer_of(&s, "EGR-01"), None);
    assert_eq!(
        s.walk.as_ref().map(|w| w.cursor),
        Some(0),
        "back on the item"
    );
    assert!(s.walk.as_ref().is_some_and(|w| w.undo.is_empty()));
    assert!(press(&mut s, "u").is_empty(), "nothing left to undo");
}

#[test]
fn a_failed_save_keeps_the_answer_on_screen_as_unsaved() {
    let mut s = on_a_walk();
    press(&mut s, "y");
    update(&mut s, Msg::Failed("the disk is full".into()));
    let w = s.walk.as_ref().expect("still walking");
    assert_eq!(w.pending, None);
    assert_eq!(w.unsaved, Some((slot("EGR-01"), AnswerValue::Ok)));
    assert_eq!(answer_of(&s, "EGR-01"), None);
    assert_eq!(s.notice, Some(Notice::Error("the disk is full".into())));
}

#[test]
fn esc_and_q_leave_each_screen_the_way_they_should() {
    let mut s = leader();
    assert!(press(&mut s, "b").is_empty());
    assert_eq!(s.screen, Screen::Picker);
    press(&mut s, "<esc>");
    assert_eq!(
        s.screen,
        Screen::Start,
        "Esc on the building list: back to start"
    );
    assert!(!s.quit);

    let mut s = on_a_walk();
    assert_eq!(press(&mut s, "<esc>"), vec![Effect::LoadStart]);
    assert_eq!(
        s.screen,
        Screen::Start,
        "Esc on a walk: back to start, reloaded"
    );
    assert!(s.walk.is_none());

    let mut s = on_a_walk();
    press(&mut s, "q");
    assert!(!s.quit, "q is no key on a walk");

    let mut s = leader();
    press(&mut s, "q");
    assert!(s.quit, "q on the start screen quits");
    let mut s = leader();
    press(&mut s, "<esc>");
    assert!(
        !s.quit,
        "Esc does not quit the start screen (only q does) ..."
    );
    assert!(
        matches!(&s.notice, Some(crate::tui::screens::Notice::Info(m)) if m.contains('q')),
        "... and says so"
    );

    let mut s = State::new(Lang::En, today());
    s.screen = Screen::Inspector;
    press(&mut s, "q<esc>");
    assert!(
        s.quit,
        "Esc with nobody chosen quits; q was typed into the filter"
    );
    assert_eq!(s.inspector_filter.value(), "q");
}

#[test]
fn help_opens_on_question_mark_and_any_key_closes_it_without_acting() {
    let mut s = on_a_walk();
    press(&mut s, "?");
    assert!(s.help);
    assert!(press(&mut s, "y").is_empty(), "the key only closes help");
    assert!(!s.help);
    press(&mut s, "<f1>");
    assert!(s.help);
}

#[test]
fn the_ledger_filter_form_checks_the_days_and_loads_the_ledger() {
    let mut s = leader();
    let effects = press(&mut s, "l");
    assert!(matches!(effects.as_slice(), [Effect::LoadLedger(_, true)]));
    assert_eq!(s.screen, Screen::Ledger);
    assert!(press(&mut s, "f").is_empty());
    assert_eq!(s.screen, Screen::Form);
    let form = s.form.as_ref().expect("the filter form");
    assert_eq!(form.purpose, FormPurpose::LedgerFilter);
    let from = form.index_of(FieldId::From).expect("a from field");

    // To the "from" field, a day that is no day: nothing is sent, the form says why.
    press(&mut s, &"<tab>".repeat(from));
    assert!(press(&mut s, "soon<enter>").is_empty());
    let form = s.form.as_ref().expect("still open");
    assert_eq!(form.error.as_ref().map(|e| e.0), Some(from));
    assert_eq!(form.text(FieldId::From), "soon", "what was typed stays");

    // Corrected: the ledger loads with the filter.
    press(&mut s, "<c-u>11-01");
    let effects = press(&mut s, "<enter>");
    assert_eq!(s.screen, Screen::Ledger);
    assert!(s.form.is_none());
    match effects.as_slice() {
        [Effect::LoadLedger(f, _)] => assert_eq!(f.from, NaiveDate::from_ymd_opt(2026, 11, 1)),
        other => panic!("expected the ledger to load, got {other:?}"),
    }
}

#[test]
fn the_ledger_asks_for_its_filter_choices_once_per_opening() {
    let mut s = leader();
    assert!(matches!(
        press(&mut s, "l").as_slice(),
        [Effect::LoadLedger(_, true)]
    ));
    let empty_ledger = |choices| Msg::LedgerLoaded {
        rows: vec![],
        total: 0,
        counts: vec![],
        choices,
    };
    update(
        &mut s,
        empty_ledger(Some(crate::store::LedgerChoices {
            grids: vec!["第一网格".into()],
            ..Default::default()
        })),
    );
    // A change of status tab reloads the rows, not the lists of grids and leaders.
    assert!(matches!(
        press(&mut s, "<tab>").as_slice(),
        [Effect::LoadLedger(_, false)]
    ));
    update(&mut s, empty_ledger(None));
    assert_eq!(s.ledger.choices.grids, vec!["第一网格".to_string()]);
    // Opened again: asked again (a grid may have been added meanwhile).
    press(&mut s, "<esc>");
    assert!(matches!(
        press(&mut s, "l").as_slice(),
        [Effect::LoadLedger(_, true)]
    ));
}

#[test]
fn a_hazard_form_without_a_description_says_so_and_sends_nothing() {
    let mut s = on_a_walk();
    assert!(press(&mut s, "x").is_empty());
    assert_eq!(s.screen, Screen::Form);
    // The description (filled from the item) emptied, then Enter.
    press(&mut s, "<s-tab><c-u>");
    assert!(press(&mut s, "<enter>").is_empty());
    let form = s.form.as_ref().expect("the form stays");
    assert_eq!(form.error.as_ref().map(|e| e.0), Some(0));
    assert!(!form.saving);
    assert!(s.walk.as_ref().is_some_and(|w| w.pending.is_none()));

    // Esc: back on the walk, nothing saved.
    assert!(press(&mut s, "<esc>").is_empty());
    assert_eq!(s.screen, Screen::Walk);
    assert_eq!(answer_of(&s, "EGR-01"), None);
}

#[test]
fn a_hazard_form_with_its_defaults_saves_the_hazard() {
    let mut s = on_a_walk();
    press(&mut s, "x");
    let effects = press(&mut s, "<enter>");
    match effects.as_slice() {
        [Effect::SaveHazard { inspector, hazard }] => {
            assert_eq!(inspector, INSPECTOR);
            assert_eq!(hazard.slot, slot("EGR-01"));
            assert_eq!(hazard.description, "EGR-01 is a hazard");
            assert_eq!(hazard.deadline, today() + chrono::Duration::days(3));
        }
        other => panic!("expected the hazard to be saved, got {other:?}"),
    }
    assert!(s.form.as_ref().is_some_and(|f| f.saving));
    assert_eq!(
        answer_of(&s, "EGR-01"),
        None,
        "not shown before it is saved"
    );
}

/// The office's people screen with two people: 刘建国 looking after 1栋, and 王志强 retired.
fn people_screen() -> State {
    use crate::store::{DutyLine, PersonCard};
    let mut s = leader();
    let card = |id: &str, name: &str, retired: bool, duties: Vec<DutyLine>| PersonCard {
        person: Person {
            id: id.into(),
            name: name.into(),
            role: Role::BuildingLeader,
            phone: "138 0731 0001".into(),
        },
        retired,
        duties,
    };
    let duty = DutyLine {
        duty_id: "d-1".into(),
        building_id: "b-1".into(),
        building: "新芙蓉之都 1栋".into(),
        unit: None,
    };
    assert!(press(&mut s, "d") == vec![Effect::LoadPeople]);
    assert_eq!(s.screen, Screen::People);
    update(
        &mut s,
        Msg::PeopleLoaded {
            cards: vec![
                card(INSPECTOR, "刘建国", false, vec![duty]),
                card("p-wang", "王志强", true, vec![]),
            ],
            done: None,
            select: None,
        },
    );
    s
}

#[test]
fn people_changes_are_sent_to_the_store_and_shown_only_once_it_reports() {
    use super::effect::PeopleChange;
    let mut s = people_screen();
    // Retire: asked first; no sends nothing, yes sends the change.
    assert!(press(&mut s, "x").is_empty());
    assert!(s.confirm.is_some());
    assert!(press(&mut s, "n").is_empty());
    assert!(s.confirm.is_none());
    assert_eq!(
        press(&mut s, "xy"),
        vec![Effect::People(PeopleChange::Retire {
            person_id: INSPECTOR.into()
        })]
    );
    // Nothing shown as done until the store's answer comes back.
    assert!(!s.people_list.cards[0].retired);
    // Take back a duty: the duty chosen goes to the store, the form waits.
    assert_eq!(
        press(&mut s, "u<enter>"),
        vec![Effect::People(PeopleChange::Unassign {
            person_id: INSPECTOR.into(),
            building_id: "b-1".into(),
            unit: None,
        })]
    );
    assert!(s.form.as_ref().is_some_and(|f| f.saving));
    // A refusal goes on its field; the form stays with what was chosen.
    update(
        &mut s,
        Msg::RefusedAt {
            field: FieldId::Duty,
            text: "刘建国 并不负责 新芙蓉之都 1栋。".into(),
        },
    );
    let f = s.form.as_ref().expect("the form stays");
    assert!(!f.saving && f.error.as_ref().is_some_and(|e| e.1.contains("并不负责")));
    press(&mut s, "<esc>");
    // The retired take no new duty: said at once, no building list.
    press(&mut s, "j");
    assert!(press(&mut s, "s").is_empty());
    assert_eq!(s.screen, Screen::People);
    assert!(matches!(&s.notice, Some(Notice::Error(m)) if m.contains("王志强")));
    // Add: the form's values as typed, the role chosen.
    press(&mut s, "a张三<tab><right><tab>139");
    assert_eq!(
        press(&mut s, "<enter>"),
        vec![Effect::People(PeopleChange::Add {
            name: "张三".into(),
            role: Role::UnitLeader,
            phone: "139".into(),
        })]
    );
}
