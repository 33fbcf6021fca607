//! Issue 17: the office in the app. An office database filled by the real sync code from two
//! simulated laptops (刘建国's and 吴长林's); the office's screens driven by keys in-process,
//! with snapshots in zh and en at 80x24 and 120x40; and the whole loop: a laptop escalates,
//! the office responds in the app, the laptop syncs, and the answer is in its re-check.

mod common;

use common::sync::*;
use common::*;
use firepatrol::domain::HazardEventKind;
use firepatrol::i18n::Lang;
use firepatrol::store::{OpenMode, Store};
use firepatrol::tui::app::App;
use firepatrol::tui::state::Screen;
use std::path::{Path, PathBuf};
use std::time::Duration;

const LIU: &str = "刘建国";
const WU: &str = "吴长林";

/// The office and its two laptops, built once through the real sync code: 刘建国 escalated
/// one hazard on the 21st (and recorded another today, the 23rd), 吴长林 escalated one on the
/// 22nd; both synced. Copied for each test.
fn template() -> &'static Path {
    static T: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let mut office = office(d);
        let mut liu = laptop(&mut office, d, "liu.db", LIU);
        let mut wu = laptop(&mut office, d, "wu.db", WU);
        liu.clock = at("2026-11-21T15:10:00+08:00");
        record(&mut liu, LIU, "EBK-01", Some("楼道充电，业主不配合"));
        // Today (the 23rd) 刘建国 is out again.
        liu.clock = clock();
        record(&mut liu, LIU, "EXT-01", None);
        wu.clock = at("2026-11-22T10:05:00+08:00");
        record(
            &mut wu,
            WU,
            "EBK-01",
            Some("消防通道被三轮车占住，需要社区协调"),
        );
        liu.clock = clock();
        wu.clock = clock();
        round_trip(&mut office, &mut liu);
        round_trip(&mut office, &mut wu);
        dir
    })
    .path()
}

/// A copy of one database of the template into `dir`.
fn copy(dir: &Path, name: &str) -> PathBuf {
    let out = dir.join(name);
    let s = Store::open(&template().join(name), OpenMode::Existing, clock()).unwrap();
    s.backup_to(&out).unwrap();
    // A backup is the database only: the machine's key file comes along as it would stay
    // beside a restored database.
    let key = firepatrol::sync::keys::key_path(&template().join(name));
    if key.exists() {
        std::fs::copy(&key, firepatrol::sync::keys::key_path(&out)).unwrap();
    }
    out
}

fn open(db: &Path) -> Store {
    Store::open(db, OpenMode::Existing, clock()).unwrap()
}

fn office_app(db: &Path, lang: Lang) -> App {
    open_app(db, lang, None)
}

fn check(name: &str, lang: Lang, (w, h): (u16, u16), reach: fn(&Path, Lang) -> App) {
    let dir = tempfile::tempdir().unwrap();
    copy(dir.path(), "office.db");
    copy(dir.path(), "liu.db");
    let app = reach(dir.path(), lang);
    let code = if lang.is_zh() { "zh" } else { "en" };
    insta::with_settings!({ prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(
            format!("office__{name}_{code}_{w}x{h}"),
            scrub_code(&scrub_temp(&screen(&app, w, h)))
        );
    });
}

/// The one-time enrolment code is random: shown as `NNNN NNNN` in the snapshots.
fn scrub_code(screen: &str) -> String {
    let mut out = screen.to_string();
    for label in ["Enrolment code: ", "登记码："] {
        if let Some(at) = out.find(label) {
            let start = at + label.len();
            let code: String = out[start..].chars().take(9).collect();
            let shape = code
                .chars()
                .enumerate()
                .all(|(i, c)| if i == 4 { c == ' ' } else { c.is_ascii_digit() });
            if shape && code.chars().count() == 9 {
                out.replace_range(start..start + code.len(), "NNNN NNNN");
            }
        }
    }
    out
}

fn office_then(dir: &Path, lang: Lang, keys: &str) -> App {
    let mut a = office_app(&dir.join("office.db"), lang);
    press(&mut a, keys);
    a
}

snapshots! {
    inbox => |d, l| office_then(d, l, "");
    inbox_help => |d, l| office_then(d, l, "?");
    inbox_respond => |d, l| office_then(d, l, "a周五前物业清走<tab>2026-11-27");
    inbox_assign => |d, l| office_then(d, l, "js");
    inbox_answered => |d, l| office_then(d, l, "a周五前物业清走<enter>");
    devices => |d, l| office_then(d, l, "d");
    proposals => |d, l| office_then(d, l, "dc");
    devices_revoke => |d, l| office_then(d, l, "djx");
    devices_added => |d, l| office_then(d, l, "da<right><right><enter>");
    laptop_start => |d, l| open_app(&d.join("liu.db"), l, Some(LIU));
    laptop_help => |d, l| {
        let mut a = open_app(&d.join("liu.db"), l, Some(LIU));
        press(&mut a, "?");
        a
    };
    today => |d, l| office_then(d, l, "t");
    laptop_recheck_answered => laptop_recheck_answered;
    inbox_detail => |d, l| office_then(d, l, "<enter>");
}

/// The office answers 刘建国's escalation and asks him to re-check the other; he syncs and
/// opens that building's re-check.
fn laptop_recheck_answered(dir: &Path, lang: Lang) -> App {
    let (mut office, mut liu) = (open(&dir.join("office.db")), open(&dir.join("liu.db")));
    let first = office.inbox().unwrap()[0].hazard.clone();
    let answer = firepatrol::store::HazardAction::OfficeResponse {
        note: "已联系物业，周五前清走".into(),
    };
    office
        .hazard_action(&first.id, &answer, None)
        .unwrap()
        .unwrap();
    round_trip(&mut office, &mut liu);
    drop((office, liu));
    recheck_of(&dir.join("liu.db"), lang, &first.building_id)
}

#[test]
fn the_office_opens_on_its_inbox_oldest_escalation_first() {
    let dir = tempfile::tempdir().unwrap();
    let db = copy(dir.path(), "office.db");
    let app = office_app(&db, Lang::Zh);
    assert_eq!(app.state.screen, Screen::Inbox);
    let rows = &app.state.inbox.rows;
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0].escalated_by, LIU);
    assert_eq!(rows[0].note, "楼道充电，业主不配合");
    assert_eq!(rows[1].escalated_by, WU);
    assert!(rows[0].escalated_at < rows[1].escalated_at);
}

#[test]
fn the_office_responds_with_a_new_deadline_and_the_answer_reaches_the_laptops_recheck() {
    let dir = tempfile::tempdir().unwrap();
    let db = copy(dir.path(), "office.db");
    let liu_db = copy(dir.path(), "liu.db");
    let mut app = office_app(&db, Lang::Zh);
    let hazard = app.state.inbox.rows[0].hazard.clone();
    // Respond by keys, with a new deadline.
    press(&mut app, "a周五前物业清走<tab>2026-12-04<enter>");
    assert_eq!(app.state.screen, Screen::Inbox);
    assert_eq!(app.state.inbox.rows.len(), 1, "answered: off the inbox");
    assert!(screen(&app, 80, 24).contains("已答复"));
    drop(app);
    let mut office = open(&db);
    let h = office.hazard(&hazard.id).unwrap().unwrap();
    assert_eq!(h.deadline, "2026-12-04");
    let kinds: Vec<_> = office
        .hazard_history(&hazard.id)
        .unwrap()
        .into_iter()
        .map(|e| (e.kind, e.by))
        .collect();
    assert!(kinds.contains(&(HazardEventKind::OfficeResponse, String::new())));
    // The laptop syncs; the answer is in the hazard's history and on its re-check.
    let mut liu = open(&liu_db);
    round_trip(&mut office, &mut liu);
    assert!(
        liu.hazard_history(&hazard.id)
            .unwrap()
            .iter()
            .any(|e| e.note == "周五前物业清走")
    );
    drop((office, liu));
    let mut leader = open_app(&liu_db, Lang::Zh, Some(LIU));
    // The building from the list of all buildings (b), then its re-check.
    press(&mut leader, "b");
    let k = leader
        .state
        .picker
        .matches
        .iter()
        .position(|m| leader.state.buildings[m.0].building.id == hazard.building_id)
        .expect("the building is listed");
    press(&mut leader, &format!("{}<enter>", "j".repeat(k)));
    go_to_recheck(&mut leader);
    let shown = screen(&leader, 120, 40);
    assert!(shown.contains("社区答复：周五前物业清走"), "{shown}");
    assert!(
        shown.contains("2026-12-04") || shown.contains("12-04"),
        "{shown}"
    );
}

#[test]
fn the_office_assigns_a_recheck_without_changing_the_status() {
    let dir = tempfile::tempdir().unwrap();
    let db = copy(dir.path(), "office.db");
    let mut app = office_app(&db, Lang::En);
    let hazard = app.state.inbox.rows[1].hazard.clone();
    press(&mut app, "js<tab>please look again on Friday<enter>");
    assert_eq!(app.state.screen, Screen::Inbox);
    // Still waiting for a response, now marked with who re-checks.
    let row = app
        .state
        .inbox
        .rows
        .iter()
        .find(|r| r.hazard.id == hazard.id);
    assert_eq!(row.and_then(|r| r.assigned_to.as_deref()), Some(WU));
    drop(app);
    let office = open(&db);
    let h = office.hazard(&hazard.id).unwrap().unwrap();
    assert_eq!(h.status, firepatrol::domain::HazardStatus::Escalated);
    assert_eq!(office.check().unwrap(), Vec::<String>::new());
}

#[test]
fn the_office_marks_an_escalation_rectified() {
    let dir = tempfile::tempdir().unwrap();
    let db = copy(dir.path(), "office.db");
    let mut app = office_app(&db, Lang::Zh);
    let hazard = app.state.inbox.rows[0].hazard.clone();
    press(&mut app, "r社区已清理<enter>");
    assert_eq!(app.state.inbox.rows.len(), 1);
    drop(app);
    let h = open(&db).hazard(&hazard.id).unwrap().unwrap();
    assert_eq!(h.status, firepatrol::domain::HazardStatus::Rectified);
}

#[test]
fn a_laptop_is_added_and_one_revoked_from_the_laptops_screen() {
    let dir = tempfile::tempdir().unwrap();
    let db = copy(dir.path(), "office.db");
    let mut app = office_app(&db, Lang::En);
    press(&mut app, "da<enter>");
    let n = app.state.devices.rows.len();
    assert_eq!(n, 3);
    let enrol = std::fs::read_dir(dir.path().join("enrolments"))
        .unwrap()
        .count();
    assert_eq!(enrol, 1);
    // Revoke the first (刘建国's), after the question; n leaves it as it was.
    press(&mut app, "<up><up>xn");
    assert!(app.state.devices.rows[0].revoked_at.is_none());
    press(&mut app, "xy");
    assert!(app.state.devices.rows[0].revoked_at.is_some());
    assert!(screen(&app, 80, 24).contains("revoked"));
    drop(app);
    let office = open(&db);
    assert!(office.device("A").unwrap().unwrap().revoked_at.is_some());
}

#[test]
fn a_laptop_shows_its_sync_state_and_a_failed_sync_says_why_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let liu_db = copy(dir.path(), "liu.db");
    {
        // An office address where nothing listens.
        let mut liu = open(&liu_db);
        liu.set_sync_meta(&[(
            firepatrol::store::meta::MetaKey::SyncOfficeUrl,
            "http://127.0.0.1:9",
        )])
        .unwrap();
    }
    let mut app = open_app(&liu_db, Lang::En, Some(LIU));
    let before = synced_content(&liu_db);
    let pending = app.state.sync.clone();
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("http://127.0.0.1:9"), "{shown}");
    press(&mut app, "s");
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("127.0.0.1:9"), "{shown}");
    assert!(
        matches!(
            app.state.notice,
            Some(firepatrol::tui::state::Notice::Error(_))
        ),
        "{:?}",
        app.state.notice
    );
    assert_eq!(app.state.sync, pending);
    drop(app);
    assert!(
        synced_content(&liu_db) == before,
        "a failed sync changed nothing"
    );
}

/// Serve the office database over the LAN (as `firepatrol serve`); its address.
fn serve(db: &Path) -> String {
    let db = db.to_path_buf();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = firepatrol::sync::http::serve(
            &db,
            "127.0.0.1:0",
            clock(),
            Lang::En,
            &firepatrol::sync::http::Limits::default(),
            |at| {
                let _ = tx.send(at.bound.to_string());
            },
            |_, _| {},
        );
    });
    format!("http://{}", rx.recv().unwrap())
}

/// Open the laptop's app on the building of `building_id` (from the list of all buildings)
/// and go to its re-check.
fn recheck_of(db: &Path, lang: Lang, building_id: &str) -> App {
    let mut app = open_app(db, lang, Some(LIU));
    press(&mut app, "b");
    let k = app
        .state
        .picker
        .matches
        .iter()
        .position(|m| app.state.buildings[m.0].building.id == building_id)
        .expect("the building is listed");
    press(&mut app, &format!("{}<enter>", "j".repeat(k)));
    go_to_recheck(&mut app);
    app
}

#[test]
fn the_whole_loop_over_the_lan_by_keys_on_both_sides() {
    let dir = tempfile::tempdir().unwrap();
    let db = copy(dir.path(), "office.db");
    let liu_db = copy(dir.path(), "liu.db");
    // The office answers 刘建国's escalation in its app.
    let mut office = office_app(&db, Lang::En);
    let hazard = office.state.inbox.rows[0].hazard.clone();
    press(&mut office, "aThe property clears it on Friday<enter>");
    assert_eq!(office.state.inbox.rows.len(), 1);
    drop(office);
    let url = serve(&db);
    open(&liu_db)
        .set_sync_meta(&[(firepatrol::store::meta::MetaKey::SyncOfficeUrl, &url)])
        .unwrap();
    // Before the sync the laptop knows nothing of the answer.
    let before = recheck_of(&liu_db, Lang::En, &hazard.building_id);
    assert!(!screen(&before, 120, 40).contains("Friday"));
    drop(before);
    // One key on the laptop's start screen syncs.
    let mut leader = open_app(&liu_db, Lang::En, Some(LIU));
    press(&mut leader, "s");
    let shown = screen(&leader, 120, 40);
    assert!(shown.contains(&format!("Synced with {url}")), "{shown}");
    assert!(
        matches!(
            leader.state.notice,
            Some(firepatrol::tui::state::Notice::Info(_))
        ),
        "{:?}",
        leader.state.notice
    );
    drop(leader);
    let after = recheck_of(&liu_db, Lang::En, &hazard.building_id);
    let shown = screen(&after, 120, 40);
    assert!(
        shown.contains("office: The property clears it on Friday"),
        "{shown}"
    );
}

#[test]
fn a_revoked_laptop_is_told_so_in_one_line_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = copy(dir.path(), "office.db");
    let liu_db = copy(dir.path(), "liu.db");
    let mut office = office_app(&db, Lang::Zh);
    press(&mut office, "dxy");
    drop(office);
    let url = serve(&db);
    open(&liu_db)
        .set_sync_meta(&[(firepatrol::store::meta::MetaKey::SyncOfficeUrl, &url)])
        .unwrap();
    let mut leader = open_app(&liu_db, Lang::Zh, Some(LIU));
    let before = synced_content(&liu_db);
    press(&mut leader, "s");
    let Some(firepatrol::tui::state::Notice::Error(line)) = leader.state.notice.clone() else {
        panic!("{:?}", leader.state.notice)
    };
    // The office says why in its own language (the server here speaks English).
    assert!(line.contains("拒绝") && line.contains("revoked"), "{line}");
    assert!(!line.contains('\n'), "{line}");
    drop(leader);
    assert!(synced_content(&liu_db) == before);
}

#[test]
fn a_response_with_a_deadline_the_rules_refuse_saves_nothing_and_keeps_the_form() {
    let dir = tempfile::tempdir().unwrap();
    let db = copy(dir.path(), "office.db");
    let mut app = office_app(&db, Lang::En);
    let hazard = app.state.inbox.rows[0].hazard.clone();
    // Earlier than the deadline in force (2026-11-30).
    press(&mut app, "aWe will call the owner<tab>2026-11-25<enter>");
    assert_eq!(app.state.screen, Screen::Form);
    assert!(app.state.form.as_ref().is_some_and(|f| f.error.is_some()));
    press(&mut app, "<esc>");
    assert_eq!(app.state.inbox.rows.len(), 2);
    drop(app);
    let history = open(&db).hazard_history(&hazard.id).unwrap();
    assert!(
        history
            .iter()
            .all(|e| e.kind != HazardEventKind::OfficeResponse)
    );
}

#[test]
fn the_communitys_ledger_says_who_found_each_hazard_and_filters_by_finder() {
    let dir = tempfile::tempdir().unwrap();
    let db = copy(dir.path(), "office.db");
    let mut app = office_app(&db, Lang::Zh);
    press(&mut app, "l");
    assert_eq!(app.state.screen, Screen::Ledger);
    // Every status, so that escalated ones show too.
    while app.state.ledger.filter.status != firepatrol::store::StatusFilter::All {
        press(&mut app, "<tab>");
    }
    let shown = screen(&app, 120, 40);
    assert!(
        shown.contains("刘建国·A") && shown.contains("吴长林·B"),
        "{shown}"
    );
    // The filter form's "found by" (the fifth field): 刘建国.
    let k = app
        .state
        .ledger
        .choices
        .leaders
        .iter()
        .position(|(_, n)| n == LIU)
        .unwrap();
    press(
        &mut app,
        &format!("f<tab><tab><tab><tab>{}<enter>", "<right>".repeat(k + 1)),
    );
    assert_eq!(app.state.screen, Screen::Ledger);
    let rows = &app.state.ledger.rows;
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows.iter().all(|r| r.found_by == LIU));
    // Esc: back to the inbox.
    press(&mut app, "<esc>");
    assert_eq!(app.state.screen, Screen::Inbox);
}

#[test]
fn today_across_the_community_shows_who_patrolled_what_by_grid() {
    let dir = tempfile::tempdir().unwrap();
    let db = copy(dir.path(), "office.db");
    let mut app = office_app(&db, Lang::Zh);
    press(&mut app, "t");
    assert_eq!(app.state.screen, Screen::Today);
    let grids = &app.state.today_view.grids;
    let first = grids.iter().find(|g| g.grid == "第一网格").unwrap();
    assert_eq!(
        first.today,
        vec![(LIU.to_string(), vec!["新芙蓉之都 1栋".to_string()])]
    );
    assert_eq!(first.week, vec![(LIU.to_string(), 1, 2)]);
    let fourth = grids.iter().find(|g| g.grid == "第四网格").unwrap();
    assert!(fourth.today.is_empty());
    assert_eq!(fourth.week, vec![(WU.to_string(), 1, 1)]);
    // The fixture's deadlines are the 30th: a week and a day away, not this week.
    assert_eq!(grids.iter().map(|g| g.due_this_week).sum::<i64>(), 0);
    press(&mut app, "<esc>");
    assert_eq!(app.state.screen, Screen::Inbox);
}

#[test]
fn demo_office_opens_the_office_app_on_its_inbox() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(
        dir.path(),
        &["--exit-after-first-frame", "demo", "--office"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let db = dir.path().join("xdg/firepatrol/demo-office.db");
    let office = open(&db);
    // Escalations wait in the inbox; the demo laptops are on the laptops screen.
    let waiting = office.inbox().unwrap().len();
    assert!(waiting > 0);
    drop(office);
    let mut app = office_app(&db, Lang::Zh);
    assert_eq!(app.state.screen, Screen::Inbox);
    assert_eq!(app.state.inbox.rows.len(), waiting);
    press(&mut app, "d");
    assert_eq!(app.state.devices.rows.len(), 3);
}

#[test]
fn search_from_the_inbox_is_the_ledgers_text_filter_and_a_revoked_laptop_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = copy(dir.path(), "office.db");
    let mut app = office_app(&db, Lang::En);
    press(&mut app, "/");
    assert_eq!(app.state.screen, Screen::Ledger);
    assert!(app.state.ledger.typing);
    press(&mut app, "<esc><esc>");
    assert_eq!(app.state.screen, Screen::Inbox);
    press(&mut app, "dxy");
    press(&mut app, "x");
    assert!(
        app.state.confirm.is_none(),
        "no question for a revoked laptop"
    );
    assert!(screen(&app, 80, 24).contains("was revoked already"));
}

/// Poll the app's sync beside it until `done` holds (at most 60 s).
fn poll_until(app: &mut App, done: impl Fn(&App) -> bool) {
    let until = std::time::Instant::now() + Duration::from_secs(60);
    while !done(app) {
        assert!(std::time::Instant::now() < until, "the sync never ended");
        app.poll_jobs();
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn in_the_terminal_a_sync_runs_beside_the_app_counts_its_seconds_and_ctrl_c_stops_it() {
    let dir = tempfile::tempdir().unwrap();
    let liu_db = copy(dir.path(), "liu.db");
    // An office that takes the connection and never answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", silent.local_addr().unwrap());
    open(&liu_db)
        .set_sync_meta(&[(firepatrol::store::meta::MetaKey::SyncOfficeUrl, &url)])
        .unwrap();
    let before = synced_content(&liu_db);
    let mut app = open_app(&liu_db, Lang::En, Some(LIU));
    app.background_sync = true;
    press(&mut app, "s");
    assert!(app.job_running());
    assert!(screen(&app, 80, 24).contains("Syncing with the office... 0 s"));
    // The screen goes on: the seconds count, and keys are answered meanwhile.
    poll_until(&mut app, |a| a.state.syncing.is_some_and(|s| s >= 1));
    assert!(screen(&app, 80, 24).contains("1 s (Ctrl-C stops it"));
    press(&mut app, "s");
    assert!(screen(&app, 80, 24).contains("A sync is running"));
    press(&mut app, "?");
    assert!(app.state.help);
    press(&mut app, "<esc>");
    // Ctrl-C stops the sync, not the app, and nothing changed on the laptop.
    press(&mut app, "<c-c>");
    assert!(!app.state.quit);
    assert!(!app.job_running());
    let shown = screen(&app, 80, 24);
    assert!(
        shown.contains("was stopped") && shown.contains("nothing changed"),
        "{shown}"
    );
    assert_eq!(synced_content(&liu_db), before);
    // With no sync running, Ctrl-C quits as ever.
    press(&mut app, "<c-c>");
    assert!(app.state.quit);
}

#[test]
fn in_the_terminal_a_sync_beside_the_app_ends_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = copy(dir.path(), "office.db");
    let liu_db = copy(dir.path(), "liu.db");
    let url = serve(&db);
    open(&liu_db)
        .set_sync_meta(&[(firepatrol::store::meta::MetaKey::SyncOfficeUrl, &url)])
        .unwrap();
    let mut app = open_app(&liu_db, Lang::En, Some(LIU));
    app.background_sync = true;
    press(&mut app, "s");
    poll_until(&mut app, |a| !a.job_running());
    let Some(firepatrol::tui::state::Notice::Info(line)) = app.state.notice.clone() else {
        panic!("{:?}", app.state.notice)
    };
    assert!(line.contains(&format!("Synced with {url}")), "{line}");
    assert!(!line.contains('\n'), "{line}");
    assert_eq!(app.state.syncing, None);
}

#[test]
fn a_leaders_change_to_the_lists_is_decided_in_the_office_app_and_the_laptop_sees_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = copy(dir.path(), "office.db");
    let liu_db = copy(dir.path(), "liu.db");
    // 刘建国 changes 马晓燕's phone on his laptop and syncs.
    let mut liu = open(&liu_db);
    let ma = person_id(&liu, "马晓燕");
    liu.edit_person(&ma, None, None, Some("13900000001"))
        .unwrap();
    let mut office = open(&db);
    round_trip(&mut office, &mut liu);
    drop(office);
    drop(liu);
    // The laptop's start screen says its change waits for the office.
    let leader = open_app(&liu_db, Lang::En, Some(LIU));
    assert!(screen(&leader, 120, 40).contains("1 list change(s) waiting for the office"));
    drop(leader);
    // At the office: laptops, then the proposed changes, named by the person.
    let mut app = office_app(&db, Lang::En);
    press(&mut app, "dc");
    assert_eq!(app.state.screen, Screen::Proposals);
    let shown = screen(&app, 80, 24);
    assert!(
        shown.contains("person 马晓燕") && shown.contains("13900000001"),
        "{shown}"
    );
    assert!(shown.contains("a accept"), "{shown}");
    // `a` asks first; yes makes it the office's own change.
    press(&mut app, "a");
    assert!(app.state.confirm.is_some());
    press(&mut app, "y");
    assert!(screen(&app, 80, 24).contains("accepted"));
    assert!(app.state.proposals.rows.is_empty());
    drop(app);
    assert_eq!(
        open(&db)
            .people()
            .unwrap()
            .into_iter()
            .find(|p| p.name == "马晓燕")
            .unwrap()
            .phone,
        "13900000001"
    );
    // The decision travels back with the next reply.
    let mut office = open(&db);
    let mut liu = open(&liu_db);
    round_trip(&mut office, &mut liu);
    let told = liu.own_proposals().unwrap();
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].status, "accepted");
    drop(liu);
    let leader = open_app(&liu_db, Lang::En, Some(LIU));
    assert!(!screen(&leader, 120, 40).contains("waiting for the office"));
}
