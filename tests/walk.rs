//! Issue 3: the patrol walk, driven in-process by keys over a demo database and a fixed clock,
//! checking both the screen and the database.

mod common;

use common::*;
use firepatrol::domain::AnswerValue;
use firepatrol::i18n::Lang;
use firepatrol::store::{OpenMode, Store};
use firepatrol::tui::state::{Phase, Screen};

/// 刘建国 looks after 新芙蓉之都 1-3栋 and the charging shed.
const LEADER: &str = "刘建国";

fn db_answers(db: &std::path::Path, app: &firepatrol::tui::app::App) -> firepatrol::store::Answers {
    let w = app.state.walk.as_ref().expect("in a walk");
    let s = Store::open(db, OpenMode::Existing, clock()).unwrap();
    let person = app.state.inspector.as_ref().unwrap().id.clone();
    let patrol = s.last_position().unwrap().map(|p| p.patrol_id);
    match patrol {
        Some(p) => s.answers(&p, &w.building.id).unwrap(),
        None => {
            let _ = person;
            Default::default()
        }
    }
}

#[test]
fn first_start_asks_who_patrols_and_remembers() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut app = open_app(&db, Lang::Zh, None);
    assert_eq!(app.state.screen, Screen::Inspector);
    assert!(screen(&app, 80, 24).contains("今天谁巡查"));
    let k = app
        .state
        .people
        .iter()
        .position(|p| p.name == LEADER)
        .unwrap();
    let pos = app
        .state
        .inspector_matches()
        .iter()
        .position(|i| *i == k)
        .unwrap();
    press(&mut app, &"<down>".repeat(pos));
    press(&mut app, "<enter>");
    assert_eq!(app.state.screen, Screen::Start);
    drop(app);
    let app = open_app(&db, Lang::Zh, None);
    assert_eq!(app.state.screen, Screen::Start);
    assert_eq!(app.state.inspector.as_ref().unwrap().name, LEADER);
    // The leader's own buildings come first in the plan.
    let first = &app.state.buildings[app.state.plan[0]];
    assert!(
        first.own,
        "own building first: {}",
        first.building.display_name()
    );
}

#[test]
fn inspector_flag_picks_by_fuzzy_match() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let app = open_app(&db, Lang::En, Some("建国"));
    assert_eq!(app.state.inspector.as_ref().unwrap().name, LEADER);
    assert_eq!(app.state.screen, Screen::Start);
    let app = open_app(&db, Lang::En, Some("nobody-like-this"));
    assert!(screen(&app, 80, 24).contains("no person matches"));
}

#[test]
fn answers_are_saved_before_shown_and_walk_moves_on_by_itself() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut app = open_app(&db, Lang::Zh, Some(LEADER));
    let plan0 = app.state.buildings[app.state.plan[0]]
        .building
        .display_name();
    open_building(&mut app, &plan0);
    skip_recheck(&mut app);
    let w = app.state.walk.as_ref().unwrap();
    let n = w.current_section().items.len();
    let first_section = w.section;
    press(&mut app, &"y".repeat(n));
    let w = app.state.walk.as_ref().unwrap();
    assert_ne!(
        w.section, first_section,
        "finishing a section moves to the next by itself"
    );
    let shown = w.answers.clone();
    assert_eq!(shown.len(), n);
    assert_eq!(
        db_answers(&db, &app),
        shown,
        "every answer on screen is in the database"
    );
    assert!(screen(&app, 80, 24).contains(&format!("本栋 {n}/")));
}

#[test]
fn undo_takes_the_answer_back_in_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut app = open_app(&db, Lang::En, Some(LEADER));
    open_first_checklist(&mut app);
    press(&mut app, "ynu");
    let w = app.state.walk.as_ref().unwrap();
    assert_eq!(w.answers.len(), 1);
    assert_eq!(w.cursor, 1, "undo goes back to the item");
    assert_eq!(db_answers(&db, &app), w.answers);
    press(&mut app, "u");
    assert!(app.state.walk.as_ref().unwrap().answers.is_empty());
    assert!(db_answers(&db, &app).is_empty());
    let s = Store::open(&db, OpenMode::Existing, clock()).unwrap();
    assert!(s.check().unwrap().is_empty());
}

#[test]
fn a_hazard_with_defaults_takes_x_enter_and_undo_withdraws_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut app = open_app(&db, Lang::Zh, Some(LEADER));
    let before = Store::open(&db, OpenMode::Existing, clock())
        .unwrap()
        .stats()
        .unwrap()
        .hazards;
    open_first_checklist(&mut app);
    press(&mut app, "x");
    assert_eq!(app.state.screen, Screen::Form);
    press(&mut app, "<enter>");
    assert_eq!(app.state.screen, Screen::Walk);
    let s = Store::open(&db, OpenMode::Existing, clock()).unwrap();
    let after = s.stats().unwrap().hazards;
    assert_eq!(after.total, before.total + 1);
    assert!(screen(&app, 80, 24).contains("已保存"));
    drop(s);
    press(&mut app, "u");
    let s = Store::open(&db, OpenMode::Existing, clock()).unwrap();
    assert_eq!(
        s.stats().unwrap().hazards.total,
        before.total,
        "withdrawn hazards are not counted"
    );
}

#[test]
fn bad_form_input_keeps_the_form_and_what_was_typed() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut app = open_app(&db, Lang::En, Some(LEADER));
    open_first_checklist(&mut app);
    // Spot, name, room, then a phone with letters.
    press(&mut app, "x3F<tab>Wang<tab>301<tab>138abc<enter>");
    assert_eq!(app.state.screen, Screen::Form);
    let text = screen(&app, 80, 24);
    assert!(text.contains("mobile: 11 digits from 1"), "{text}");
    assert!(text.contains("138abc") && text.contains("Wang"), "{text}");
    // Fix the phone (11 digits); a deadline in the past is refused on its field.
    press(
        &mut app,
        "<bs><bs><bs>12341234<tab><tab><bs><bs><bs><bs><bs>2026-11-01<enter>",
    );
    let text = screen(&app, 80, 24);
    assert!(text.contains("in the past"), "{text}");
    assert_eq!(app.state.screen, Screen::Form);
    // An impossible date.
    press(&mut app, &"<bs>".repeat(10));
    press(&mut app, "2026-02-30<enter>");
    assert!(screen(&app, 80, 24).contains("no such day"));
    press(&mut app, &"<bs>".repeat(10));
    press(&mut app, "+3<enter>");
    assert_eq!(app.state.screen, Screen::Walk);
    let s = Store::open(&db, OpenMode::Existing, clock()).unwrap();
    let h = s
        .open_hazards_at(&app.state.walk.as_ref().unwrap().building.id)
        .unwrap()
        .into_iter()
        .find(|h| h.party_name == "Wang")
        .expect("saved");
    assert_eq!(
        (
            h.spot.as_str(),
            h.party_room.as_str(),
            h.party_phone.as_str(),
            h.deadline.as_str()
        ),
        ("3F", "301", "13812341234", "2026-11-26")
    );
}

#[test]
fn esc_in_the_form_saves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut app = open_app(&db, Lang::Zh, Some(LEADER));
    let before = Store::open(&db, OpenMode::Existing, clock())
        .unwrap()
        .stats()
        .unwrap();
    open_first_checklist(&mut app);
    press(&mut app, "xabc<esc>");
    assert_eq!(app.state.screen, Screen::Walk);
    let after = Store::open(&db, OpenMode::Existing, clock())
        .unwrap()
        .stats()
        .unwrap();
    assert_eq!(before, after);
}

#[test]
fn an_interrupted_walk_resumes_at_the_exact_item() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut app = open_app(&db, Lang::Zh, Some(LEADER));
    let plan0 = open_first_checklist(&mut app);
    press(&mut app, "yyyyyyy");
    let w = app.state.walk.as_ref().unwrap();
    let (section, cursor) = (w.section, w.cursor);
    drop(app); // as if the battery died: nothing else is written
    let mut app = open_app(&db, Lang::Zh, None);
    let text = screen(&app, 80, 24);
    assert!(
        text.contains("继续上次")
            && text.contains(&plan0)
            && text.contains(&format!("第{}项", cursor + 1)),
        "{text}"
    );
    assert!(
        text.contains("巡查中"),
        "an unfinished building is shown as in progress: {text}"
    );
    press(&mut app, "r");
    let w = app.state.walk.as_ref().unwrap();
    assert_eq!((w.section, w.cursor), (section, cursor));
    assert_eq!(w.phase, Phase::Checklist);
}

#[test]
fn a_two_unit_building_with_one_hazard_takes_at_most_60_keys() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut app = open_app(&db, Lang::Zh, Some(LEADER));
    // A two-unit residential building of the plan without open hazards (so no re-check).
    let k = app
        .state
        .plan
        .iter()
        .position(|i| {
            let b = &app.state.buildings[*i];
            b.units == 2
                && b.open == 0
                && b.building.kind == firepatrol::domain::SiteKind::Residential
        })
        .expect("a two-unit building in the plan");
    let building = app.state.buildings[app.state.plan[k]].building.clone();
    let mut keys = press(&mut app, &format!("{}<enter>", "j".repeat(k)));
    // Answer everything OK, except EXT-02 (gauge, default 3 days) in unit 2: x then Enter.
    let mut guard = 0;
    while let Some(w) = app.state.walk.as_ref() {
        guard += 1;
        assert!(guard < 200);
        let item = w.item_at(w.cursor).unwrap().id.clone();
        let unit2 = w
            .current_section()
            .unit
            .as_ref()
            .is_some_and(|u| u.number == 2);
        if unit2 && item == "EXT-02" {
            keys += press(&mut app, "x<enter>");
        } else {
            keys += press(&mut app, "y");
        }
    }
    assert_eq!(
        app.state.screen,
        Screen::Start,
        "back to the plan at the end of the building"
    );
    println!("keystrokes for a two-unit building with one hazard: {keys}");
    assert!(keys <= 60, "{keys} keys");
    let s = Store::open(&db, OpenMode::Existing, clock()).unwrap();
    let h = s.open_hazards_at(&building.id).unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(
        (h[0].item_id.as_str(), h[0].deadline.as_str(), h[0].unit),
        ("EXT-02", "2026-11-26", Some(2))
    );
    // The building is done today; the plan highlights the next one.
    let next = app
        .state
        .plan
        .get(k + 1)
        .map(|i| app.state.buildings[*i].building.id.clone());
    assert_eq!(
        app.state
            .plan
            .get(app.state.plan_cursor)
            .map(|i| app.state.buildings[*i].building.id.clone()),
        next
    );
}

#[test]
fn rechecks_come_first_and_are_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut app = open_app(&db, Lang::Zh, Some(LEADER));
    let k = app
        .state
        .plan
        .iter()
        .position(|i| app.state.buildings[*i].open > 0)
        .expect("a plan building with open hazards");
    press(&mut app, &format!("{}<enter>", "j".repeat(k)));
    // Walk to the section whose re-check comes up.
    let mut guard = 0;
    while app.state.walk.as_ref().unwrap().phase != Phase::Recheck {
        press(&mut app, "]");
        guard += 1;
        assert!(guard < 10, "no re-check found");
    }
    let w = app.state.walk.as_ref().unwrap();
    let h = w.section_open()[0].clone();
    assert!(screen(&app, 80, 24).contains("先复查"));
    press(&mut app, "r");
    let s = Store::open(&db, OpenMode::Existing, clock()).unwrap();
    assert_eq!(
        s.hazard(&h.id).unwrap().unwrap().status,
        firepatrol::domain::HazardStatus::Rectified
    );
    let hist = s.hazard_history(&h.id).unwrap();
    assert_eq!(hist.last().unwrap().by, LEADER);
}

#[test]
fn extend_needs_a_reason_and_a_later_date() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut app = open_app(&db, Lang::En, Some(LEADER));
    let k = app
        .state
        .plan
        .iter()
        .position(|i| app.state.buildings[*i].open > 0)
        .unwrap();
    press(&mut app, &format!("{}<enter>", "j".repeat(k)));
    go_to_recheck(&mut app);
    let h = app.state.walk.as_ref().unwrap().section_open()[0].clone();
    press(&mut app, "e<enter>");
    assert!(screen(&app, 80, 24).contains("please give a reason"));
    press(&mut app, "tenant away<enter>");
    assert_eq!(app.state.screen, Screen::Walk);
    let s = Store::open(&db, OpenMode::Existing, clock()).unwrap();
    let after = s.hazard(&h.id).unwrap().unwrap();
    assert_eq!(after.deadline, "2026-11-30");
    let ev = s.hazard_history(&h.id).unwrap().pop().unwrap();
    assert_eq!(
        (ev.old_value.as_deref(), ev.note.as_str()),
        (Some(h.deadline.as_str()), "tenant away")
    );
}

#[test]
fn pasted_text_is_cleaned_before_it_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut app = open_app(&db, Lang::Zh, Some(LEADER));
    open_first_checklist(&mut app);
    press(&mut app, "x");
    app.handle_event(crossterm::event::Event::Paste(
        "3楼\u{1b}[2J\u{202e}楼道\r\n门口".into(),
    ));
    press(&mut app, "<enter>");
    let s = Store::open(&db, OpenMode::Existing, clock()).unwrap();
    let spots: Vec<String> = s
        .open_hazards_at(&app.state.walk.as_ref().unwrap().building.id)
        .unwrap()
        .into_iter()
        .map(|h| h.spot)
        .collect();
    assert!(spots.contains(&"3楼楼道 门口".to_string()), "{spots:?}");
}

#[test]
fn too_small_a_terminal_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let app = open_app(&db, Lang::En, Some(LEADER));
    let text = screen(&app, 60, 20);
    assert!(
        text.contains("too small") && text.contains("80x24"),
        "{text}"
    );
}

#[test]
fn no_color_means_no_colour_anywhere() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut app = open_app(&db, Lang::Zh, Some(LEADER));
    for keys in ["", "<enter><enter>yyx", "?"] {
        press(&mut app, keys);
        let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
        t.draw(|f| app.draw(f)).unwrap();
        for cell in t.backend().buffer().content() {
            assert_eq!(
                cell.fg,
                ratatui::style::Color::Reset,
                "colour used with NO_COLOR"
            );
            assert_eq!(cell.bg, ratatui::style::Color::Reset);
        }
    }
}

#[test]
fn answers_show_symbol_and_word_not_colour_alone() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut app = open_app(&db, Lang::En, Some(LEADER));
    open_first_checklist(&mut app);
    press(&mut app, "yn");
    let text = screen(&app, 80, 24);
    assert!(
        text.contains("✓ OK") && text.contains("- n/a") && text.contains("unchecked"),
        "{text}"
    );
}

#[test]
fn every_answer_value_round_trips() {
    // Changing an answer with Enter: hazard -> OK withdraws the hazard.
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut app = open_app(&db, Lang::Zh, Some(LEADER));
    open_first_checklist(&mut app);
    let total_before = Store::open(&db, OpenMode::Existing, clock())
        .unwrap()
        .stats()
        .unwrap()
        .hazards
        .total;
    press(&mut app, "x<enter>k<enter>y");
    let w = app.state.walk.as_ref().unwrap();
    let first = w.item_at(0).unwrap().id.clone();
    assert_eq!(
        w.answer(w.unit_id().as_deref(), &first),
        Some(AnswerValue::Ok)
    );
    assert_eq!(
        db_answers(&db, &app),
        app.state.walk.as_ref().unwrap().answers
    );
    let total_after = Store::open(&db, OpenMode::Existing, clock())
        .unwrap()
        .stats()
        .unwrap()
        .hazards
        .total;
    assert_eq!(total_before, total_after);
}

#[test]
fn stopped_right_after_finishing_a_unit_resumes_at_the_next_unit() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut app = open_app(&db, Lang::En, Some(LEADER));
    let plan0 = app.state.buildings[app.state.plan[0]]
        .building
        .display_name();
    open_building(&mut app, &plan0);
    // Building-level items, then every item of unit 1.
    let w = app.state.walk.as_ref().unwrap();
    let n = w.sections[0].items.len() + w.sections[1].items.len();
    press(&mut app, &"y".repeat(n));
    drop(app);
    let mut app = open_app(&db, Lang::En, None);
    let text = screen(&app, 120, 40);
    assert!(
        text.contains("resume:") && text.contains("Unit 2 item 1"),
        "{text}"
    );
    press(&mut app, "r");
    let w = app.state.walk.as_ref().unwrap();
    assert_eq!(w.current_section().unit.as_ref().map(|u| u.number), Some(2));
}
