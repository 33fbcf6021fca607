//! Issue 13 in the app: the office keeps people and duties on the people screen (`m` on the
//! start screen), and attaches photos to a hazard from a folder (`p` on its detail). Driven
//! in-process by keys over a demo database and the fixed clock, checking both the screen and
//! the database (the same events as `firepatrol people`).

mod common;

use common::*;
use firepatrol::i18n::Lang;
use firepatrol::store::{OpenMode, StatusFilter, Store};
use firepatrol::tui::app::App;
use firepatrol::tui::state::Screen;
use std::path::Path;

const LEADER: &str = "刘建国";

fn store(db: &Path) -> Store {
    Store::open(db, OpenMode::Existing, clock()).unwrap()
}

fn card(db: &Path, name: &str) -> Option<firepatrol::store::PersonCard> {
    store(db)
        .people_cards()
        .unwrap()
        .into_iter()
        .find(|c| c.person.name == name)
}

/// The actions logged for one person or duty (not the row seals).
fn actions(db: &Path, entity_id: &str) -> Vec<(String, String)> {
    let c = rusqlite::Connection::open(db).unwrap();
    let mut st = c
        .prepare(
            "SELECT action, note FROM event WHERE entity_id = ?1 AND entity NOT LIKE 'row.%'
             ORDER BY seq",
        )
        .unwrap();
    st.query_map([entity_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// On the people screen, put the cursor on a person.
fn select(app: &mut App, name: &str) {
    press(app, &"k".repeat(app.state.people_list.cards.len()));
    let k = app
        .state
        .people_list
        .cards
        .iter()
        .position(|c| c.person.name == name)
        .unwrap_or_else(|| panic!("{name} not listed"));
    press(app, &"j".repeat(k));
}

fn people_screen(db: &Path, lang: Lang) -> App {
    let mut app = open_app(db, lang, Some(LEADER));
    press(&mut app, "d");
    assert_eq!(app.state.screen, Screen::People);
    app
}

#[test]
fn the_office_adds_a_person_and_a_bad_phone_is_refused_on_its_field() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut app = people_screen(&db, Lang::Zh);
    let before = app.state.people_list.cards.len();
    let shown = screen(&app, 80, 24);
    assert!(
        shown.contains("人员与职责") && shown.contains(LEADER),
        "{shown}"
    );

    // A phone that is not a phone: refused by the store, on the phone field; nothing added.
    press(&mut app, "a王小明<tab><right><tab>电话号码<enter>");
    assert_eq!(app.state.screen, Screen::Form);
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("“电话号码”不是电话号码"), "{shown}");
    assert!(card(&db, "王小明").is_none());

    // Corrected: added, shown with the role chosen, the cursor on them; one event by the office.
    press(&mut app, "<c-u>");
    press(&mut app, "<bs><bs><bs><bs>138 0000 1234<enter>");
    assert_eq!(app.state.screen, Screen::People);
    assert_eq!(app.state.people_list.cards.len(), before + 1);
    let shown = screen(&app, 80, 24);
    assert!(
        shown.contains("已添加：王小明（单元长，138 0000 1234）"),
        "{shown}"
    );
    assert_eq!(
        app.state.people_list.selected().unwrap().person.name,
        "王小明"
    );
    let c = card(&db, "王小明").unwrap();
    assert_eq!(c.person.role, firepatrol::domain::Role::UnitLeader);
    assert_eq!(
        actions(&db, &c.person.id),
        vec![("created".to_string(), "office".to_string())]
    );

    // The same person twice is refused, on the name.
    press(&mut app, "a王小明<tab><tab>138 0000 1234<enter>");
    assert!(screen(&app, 80, 24).contains("已经有 王小明（138 0000 1234）了"));
    press(&mut app, "<esc>");
    assert_eq!(app.state.people_list.cards.len(), before + 1);

    // Changing the phone: one event, old and new.
    select(&mut app, "王小明");
    press(&mut app, "e<tab><tab><c-u>139 1111 2222<enter>");
    assert!(screen(&app, 80, 24).contains("已修改：王小明（单元长，139 1111 2222）"));
    assert_eq!(card(&db, "王小明").unwrap().person.phone, "139 1111 2222");
    // Saving with nothing changed sends nothing.
    press(&mut app, "e<enter>");
    assert!(screen(&app, 80, 24).contains("没有改动"));
    press(&mut app, "<esc>");
    assert_eq!(actions(&db, &c.person.id).len(), 2);
}

#[test]
fn the_office_assigns_a_unit_from_the_building_list_and_takes_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut app = people_screen(&db, Lang::En);
    select(&mut app, "胡海军");
    assert!(card(&db, "胡海军").unwrap().duties.is_empty());
    // `s`: the building list, searched as ever; Enter chooses, then the unit.
    press(&mut app, "s");
    assert_eq!(app.state.screen, Screen::Picker);
    assert!(screen(&app, 80, 24).contains("Choose a building for 胡海军"));
    press(&mut app, "/新芙蓉之都 2栋<enter>");
    assert_eq!(app.state.screen, Screen::Form);
    press(&mut app, "<right><right><enter>");
    assert_eq!(app.state.screen, Screen::People);
    let shown = screen(&app, 80, 24);
    assert!(
        shown.contains("胡海军 now looks after 新芙蓉之都 2栋 unit 2"),
        "{shown}"
    );
    let c = card(&db, "胡海军").unwrap();
    assert_eq!(c.duties.len(), 1);
    assert_eq!(c.duties[0].unit, Some(2));
    let duty = c.duties[0].duty_id.clone();
    assert_eq!(actions(&db, &duty)[0].0, "created");

    // The same again is refused by the store, on the unit field; nothing changes.
    press(&mut app, "s/新芙蓉之都 2栋<enter><right><right><enter>");
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("already looks after"), "{shown}");
    assert_eq!(app.state.screen, Screen::Form);
    // Esc: out of the form, out of the search, out of the building list.
    press(&mut app, "<esc><esc><esc>");
    assert_eq!(app.state.screen, Screen::People);
    assert_eq!(card(&db, "胡海军").unwrap().duties.len(), 1);

    // `u`: choose which duty to take back; the history stays.
    press(&mut app, "u<enter>");
    assert!(screen(&app, 80, 24).contains("no longer looks after 新芙蓉之都 2栋 unit 2"));
    assert!(card(&db, "胡海军").unwrap().duties.is_empty());
    assert_eq!(
        actions(&db, &duty)
            .iter()
            .map(|a| a.0.as_str())
            .collect::<Vec<_>>(),
        ["created", "unassigned"]
    );
    // Nothing left to take back: said on the notice line.
    press(&mut app, "u");
    assert!(screen(&app, 80, 24).contains("looks after no building"));
}

#[test]
fn retiring_asks_first_and_the_retired_are_listed_last() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut app = people_screen(&db, Lang::Zh);
    select(&mut app, "王志强");
    let duties = card(&db, "王志强").unwrap().duties.len();
    assert!(duties > 0);
    press(&mut app, "x");
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("王志强 退出？"), "{shown}");
    assert!(shown.contains("按 y 确认"), "{shown}");
    // No: nothing changes.
    press(&mut app, "n");
    assert!(app.state.confirm.is_none());
    assert!(!card(&db, "王志强").unwrap().retired);
    // Yes: retired, duties ended, listed last and marked in words.
    press(&mut app, "xy");
    let c = card(&db, "王志强").unwrap();
    assert!(c.retired && c.duties.is_empty());
    let last = app.state.people_list.cards.last().unwrap();
    assert_eq!(last.person.name, "王志强");
    let shown = screen(&app, 120, 40);
    assert!(
        shown.contains(&format!("王志强 已退出，结束了 {duties} 项负责")),
        "{shown}"
    );
    let row = shown.lines().find(|l| l.contains("王志强 ")).unwrap();
    assert!(row.contains("已退出"), "{row}");
    // A retired person takes no new duty: said at once, no building list.
    select(&mut app, "王志强");
    press(&mut app, "s");
    assert_eq!(app.state.screen, Screen::People);
    assert!(screen(&app, 80, 24).contains("王志强 已退出，不能再安排负责楼栋"));
    // Back on the start screen they are no longer offered as the one patrolling.
    press(&mut app, "<esc>");
    assert_eq!(app.state.screen, Screen::Start);
    assert!(!app.state.people.iter().any(|p| p.name == "王志强"));
}

fn jpeg(seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([x as u8 * 4, y as u8 * 5, seed.wrapping_mul(37)])
    });
    let mut out = Vec::new();
    img.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
        &mut out, 85,
    ))
    .unwrap();
    out
}

/// A phone's folder: two pictures, a note and a picture cut short.
pub fn phone_folder(dir: &Path) -> std::path::PathBuf {
    let pics = dir.join("pics");
    std::fs::create_dir_all(&pics).unwrap();
    write(&pics, "IMG_0001.jpg", &jpeg(1));
    write(&pics, "IMG_0002.jpg", &jpeg(2));
    write(&pics, "notes.txt", b"not a picture");
    let cut = jpeg(3);
    write(&pics, "IMG_0003.jpg", &cut[..cut.len() / 2]);
    pics
}

fn overdue_detail(db: &Path, lang: Lang) -> App {
    let mut app = open_app(db, lang, Some(LEADER));
    ledger_tab(&mut app, StatusFilter::Overdue);
    press(&mut app, "<enter>");
    assert_eq!(app.state.screen, Screen::Detail);
    app
}

#[test]
fn photos_are_attached_from_a_folder_after_a_yes_and_the_folder_is_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let pics = phone_folder(dir.path());
    let mut app = overdue_detail(&db, Lang::Zh);
    let hazard = app.state.detail.as_ref().unwrap().hazard.id.clone();
    let photos_row = |app: &App| {
        let shown = screen(app, 80, 24);
        let row = shown
            .lines()
            .find(|l| l.contains("现场照片"))
            .map(str::to_string);
        row.unwrap_or_else(|| panic!("no photo row:\n{shown}"))
    };
    assert!(photos_row(&app).contains(" 0 张 "), "{}", photos_row(&app));

    // An empty field is refused on the field.
    press(&mut app, "p<enter>");
    assert!(screen(&app, 80, 24).contains("请写照片所在的文件夹"));
    // The folder: two pictures found, two files named as not attached; asked first.
    app.handle_event(crossterm::event::Event::Paste(pics.display().to_string()));
    press(&mut app, "<enter>");
    let shown = screen(&app, 120, 40);
    assert!(shown.contains("找到 2 张照片"), "{shown}");
    assert!(shown.contains("不附上 notes.txt：不是照片"), "{shown}");
    assert!(shown.contains("不附上 IMG_0003.jpg：照片已损坏"), "{shown}");
    assert!(shown.contains("把这 2 张照片附到隐患"), "{shown}");
    // No: nothing attached, nothing remembered.
    press(&mut app, "n");
    assert!(store(&db).photos_of(&hazard).unwrap().is_empty());
    // Yes: both attached, in one go; the detail shows them.
    press(&mut app, "p<enter>y");
    assert_eq!(store(&db).photos_of(&hazard).unwrap().len(), 2);
    let shown = screen(&app, 80, 24);
    assert!(photos_row(&app).contains(" 2 张 "), "{}", photos_row(&app));
    assert!(shown.contains("附上 2 张照片"), "{shown}");
    // The folder is remembered: filled in next time, in this run and the next.
    press(&mut app, "p");
    assert!(screen(&app, 120, 40).contains(&pics.display().to_string()));
    drop(app);
    let mut app = overdue_detail(&db, Lang::Zh);
    press(&mut app, "p");
    assert!(screen(&app, 120, 40).contains(&pics.display().to_string()));
}

#[test]
fn a_folder_without_pictures_attaches_nothing_and_says_why_on_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let bad = dir.path().join("bad");
    std::fs::create_dir_all(&bad).unwrap();
    write(&bad, "a.txt", b"hello");
    let mut app = overdue_detail(&db, Lang::En);
    let hazard = app.state.detail.as_ref().unwrap().hazard.id.clone();
    press(&mut app, "p");
    app.handle_event(crossterm::event::Event::Paste(bad.display().to_string()));
    press(&mut app, "<enter>");
    assert_eq!(app.state.screen, Screen::Form);
    assert!(app.state.confirm.is_none());
    let shown = screen(&app, 120, 40);
    assert!(shown.contains("No photo in"), "{shown}");
    assert!(shown.contains("a.txt: not a photo"), "{shown}");
    // A folder that is not there: said on the field, nothing attached.
    press(&mut app, "<c-u>");
    app.handle_event(crossterm::event::Event::Paste(
        dir.path().join("nowhere").display().to_string(),
    ));
    press(&mut app, "<enter>");
    assert_eq!(app.state.screen, Screen::Form);
    assert!(store(&db).photos_of(&hazard).unwrap().is_empty());
    // One file may be given too.
    let one = write(&bad, "one.jpg", &jpeg(9));
    press(&mut app, "<c-u>");
    app.handle_event(crossterm::event::Event::Paste(one.display().to_string()));
    press(&mut app, "<enter>y");
    assert_eq!(store(&db).photos_of(&hazard).unwrap().len(), 1);
}
