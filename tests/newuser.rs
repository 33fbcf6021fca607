//! Issue 15, "what a new user met": privacy by default, a short chat text, keys that do what
//! the screen says, a shorter walk, building-number words in search, the phone check and the
//! command line in the interface language. Each test tells one of the user's stories.

mod common;

use common::report_ref::Built;
use common::*;
use firepatrol::i18n::Lang;
use firepatrol::report::{self, Options};
use firepatrol::store::{OpenMode, ReportScope, Store};
use firepatrol::tui::state::{Phase, Screen};
use std::path::Path;

/// The richest day of the demo history.
const DAY: &str = "2026-11-20";

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn report_of(db: &Path, from: &str, to: &str, redact: bool) -> Built {
    let s = Store::open(db, OpenMode::Existing, clock()).unwrap();
    let scope = ReportScope {
        from: day(from),
        to: day(to),
        inspector: None,
        grid: None,
    };
    Built::new(
        s,
        scope,
        Options {
            inspector_name: None,
            redact,
        },
    )
}

/// Residents who are responsible for a hazard of the day, with their phones.
fn residents_of(r: &Built) -> Vec<(String, String)> {
    r.mem
        .all()
        .map(|(_, h)| (h.party_name.clone(), h.party_phone.clone()))
        .filter(|(n, p)| n.chars().count() >= 2 && n != "物业" && !p.is_empty())
        .collect()
}

// --- 1. Privacy by default

#[test]
fn what_is_shared_masks_residents_and_the_office_asks_for_full() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let dbs = db.to_str().unwrap();
    let full = report_of(&db, "2026-10-01", "2026-11-22", false);
    let people = residents_of(&full);
    assert!(people.len() > 3, "the demo has residents with phones");
    // The report for the group chat, and its files: masked without asking.
    for format in ["text", "md", "csv", "html", "json"] {
        let o = run(
            dir.path(),
            &[
                "--db",
                dbs,
                "report",
                "--from",
                "2026-10-01",
                "--to",
                "2026-11-22",
                "--format",
                format,
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let out = stdout(&o);
        for (name, phone) in &people {
            assert!(!out.contains(name.as_str()), "{format} shows {name}");
            assert!(!out.contains(phone.as_str()), "{format} shows {phone}");
        }
    }
    // The leaders' own names stay.
    let o = run(dir.path(), &["--db", dbs, "report", "--date", DAY]);
    assert!(stdout(&o).contains("张德明"), "{}", stdout(&o));
    // The office asks for the full report with --full.
    let o = run(
        dir.path(),
        &[
            "--db",
            dbs,
            "report",
            "--from",
            "2026-10-01",
            "--to",
            "2026-11-22",
            "--format",
            "csv",
            "--full",
        ],
    );
    let out = stdout(&o);
    assert!(
        people
            .iter()
            .all(|(n, p)| out.contains(n.as_str()) && out.contains(p.as_str()))
    );
    // The office's own ledger is complete.
    let o = run(
        dir.path(),
        &["--db", dbs, "hazards", "--status", "all", "--format", "csv"],
    );
    let out = stdout(&o);
    assert!(
        people
            .iter()
            .any(|(n, p)| out.contains(n.as_str()) && out.contains(p.as_str()))
    );
    // A notice: masked by default, in full with --full.
    let number = full
        .mem
        .all()
        .find(|(_, h)| people.iter().any(|(n, _)| *n == h.party_name))
        .map(|(_, h)| h.number.clone())
        .unwrap();
    let party = full
        .mem
        .all()
        .find(|(_, h)| h.number == number)
        .map(|(_, h)| h.party_name.clone())
        .unwrap();
    let o = run(
        dir.path(),
        &["--db", dbs, "notice", &number, "--out", "-", "--closed"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stdout(&o).contains(party.as_str()));
    let o = run(
        dir.path(),
        &[
            "--db", dbs, "notice", &number, "--out", "-", "--full", "--closed",
        ],
    );
    assert!(stdout(&o).contains(party.as_str()));
    // --full and --redact together are a mistake.
    let o = run(dir.path(), &["--db", dbs, "report", "--full", "--redact"]);
    assert!(!o.status.success());
}

#[cfg(unix)]
#[test]
fn the_data_folder_and_the_folders_the_app_makes_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    // The default database in a data folder that does not exist yet.
    let o = run(dir.path(), &["init"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let data = dir.path().join("xdg/firepatrol");
    assert!(data.join("firepatrol.db").exists());
    assert_eq!(mode(&data), 0o700);
    // A backup into the default backups folder.
    let o = run(dir.path(), &["backup"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for entry in std::fs::read_dir(&data).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            assert_eq!(mode(&p), 0o700, "{}", p.display());
        }
    }
    // A database named in a folder that does not exist yet.
    let db = dir.path().join("new/place/f.db");
    let o = run(dir.path(), &["--db", db.to_str().unwrap(), "init"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(mode(&dir.path().join("new/place")), 0o700);
    assert_eq!(mode(&dir.path().join("new")), 0o700);
}

// --- 2. The chat text

#[test]
fn the_chat_text_is_short_and_its_numbers_agree() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    for (from, to) in [(DAY, DAY), ("2026-10-01", "2026-11-22")] {
        for lang in [Lang::Zh, Lang::En] {
            let r = report_of(&db, from, to, true);
            let text = r.text(lang);
            let todo = report::text::to_act_on(&r.lists()).unwrap();
            eprintln!(
                "chat text {from}..{to} {lang:?}: {} lines, {} characters\n{text}",
                text.lines().count(),
                text.chars().count()
            );
            // A fixed number of summary lines, a blank line, a heading, the few most urgent,
            // and one line for the rest: the same at any scale.
            assert!(text.lines().count() <= 8 + 2 + report::text::TOP + 1);
            assert!(!text.contains('│') && !text.contains('─'));
            let listed = text
                .lines()
                .filter(|l| l.split_once(". YH-").is_some())
                .count();
            assert_eq!(listed, todo.total.min(report::text::TOP));
            assert_eq!(listed, todo.top.len());
            // The summary's count is the list's count.
            let n = todo.total;
            let found = todo.from_period;
            if lang == Lang::Zh {
                assert!(
                    text.contains(&format!(
                        "仍未整改 {n} 处（本期发现 {found} 处，此前逾期 {} 处）",
                        n - found
                    )),
                    "{text}"
                );
                if n > report::text::TOP {
                    assert!(text.contains(&format!("共 {n} 处")), "{text}");
                    assert!(text.contains(&format!("另有 {} 处", n - report::text::TOP)));
                }
            } else if n > report::text::TOP {
                assert!(text.contains(&format!("{n} still open")), "{text}");
                assert!(text.contains(&format!("({n} in all")), "{text}");
                assert!(text.contains(&format!("and {} more", n - report::text::TOP)));
            }
        }
    }
}

#[test]
fn a_hazard_rectified_then_reopened_is_not_counted_as_rectified() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let dbs = db.to_str().unwrap();
    let before = report_of(&db, "2026-11-23", "2026-11-23", true)
        .summary
        .rectified;
    let o = run(dir.path(), &["--db", dbs, "hazards", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let number = rows[0]["number"].as_str().unwrap().to_string();
    let o = run(dir.path(), &["--db", dbs, "hazard", &number, "--rectify"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        report_of(&db, "2026-11-23", "2026-11-23", true)
            .summary
            .rectified,
        before + 1
    );
    let o = run(
        dir.path(),
        &[
            "--db",
            dbs,
            "hazard",
            &number,
            "--reopen",
            "--reason",
            "又堆上了",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let r = report_of(&db, "2026-11-23", "2026-11-23", true);
    assert_eq!(r.summary.rectified, before);
    // And it is back on the list of what needs action.
    let open = |h: &report::ReportHazard| {
        matches!(
            h.status,
            firepatrol::domain::HazardStatus::Open | firepatrol::domain::HazardStatus::Escalated
        )
    };
    assert!(r.mem.all().any(|(s, h)| h.number == number
        && open(h)
        && (s != report::Section::FollowedUp || h.overdue)));
}

#[test]
fn the_app_saves_the_chat_text_as_a_file_beside_the_others_masked() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut app = open_app(&db, Lang::Zh, Some("刘建国"));
    press(&mut app, "<enter>");
    if app.state.walk.as_ref().unwrap().phase == Phase::Recheck {
        press(&mut app, "<enter>");
    }
    press(&mut app, "yx<enter><esc>");
    press(&mut app, "e");
    assert_eq!(app.state.screen, Screen::Report);
    let txt = dir.path().join("reports/report-2026-11-23.txt");
    let text = std::fs::read_to_string(&txt).unwrap();
    assert_eq!(text, app.state.report.as_ref().unwrap().text);
    assert!(text.contains("刘建国"), "the leader's name stays");
    let r = report_of(&db, "2026-11-23", "2026-11-23", false);
    for (name, phone) in residents_of(&r) {
        assert!(!text.contains(name.as_str()) && !text.contains(phone.as_str()));
    }
    let shown = screen(&app, 80, 24);
    assert!(
        shown.contains("群文字已存为 report-2026-11-23.txt"),
        "{shown}"
    );
    assert!(shown.contains("已隐去个人信息"), "{shown}");
    // No box around the text: what is copied from the screen is the text.
    assert!(!shown.contains('│'), "{shown}");
}

// --- 7. Building numbers as people say them

#[test]
fn every_way_of_naming_building_2_finds_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let dbs = db.to_str().unwrap();
    let names = |q: &str| -> Vec<String> {
        let o = run(dir.path(), &["--db", dbs, "find", q, "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|b| b["name"].as_str().unwrap().to_string())
            .collect()
    };
    let want = names("新芙蓉 2栋");
    assert_eq!(want.first().map(String::as_str), Some("新芙蓉之都 2栋"));
    for q in [
        "新芙蓉 2号楼",
        "新芙蓉 2幢",
        "新芙蓉 2座",
        "新芙蓉 2楼",
        "新芙蓉之都2号楼",
    ] {
        assert_eq!(names(q).first(), want.first(), "{q}");
    }
    // In the app: the building search of the start screen.
    let mut app = open_app(&db, Lang::Zh, Some("刘建国"));
    press(&mut app, "/");
    for c in "新芙蓉2号楼".chars() {
        press(&mut app, &c.to_string());
    }
    let best = app.state.picker.matches.first().map(|(b, _)| *b).unwrap();
    assert_eq!(
        app.state.buildings[best].building.display_name(),
        "新芙蓉之都 2栋"
    );
}

// --- 10. The command line

#[test]
fn find_prints_readable_lines_and_says_when_nothing_matched() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let dbs = db.to_str().unwrap();
    let o = run(dir.path(), &["--db", dbs, "--lang", "zh", "find", "xfr2"]);
    let out = stdout(&o);
    let first = out.lines().next().unwrap();
    assert!(first.starts_with("新芙蓉之都 2栋"), "{out}");
    assert!(
        first.contains("芙蓉南路二段102号") && first.contains("上次巡查 2026-"),
        "{out}"
    );
    let o = run(dir.path(), &["--db", dbs, "find", "qqqqzzzz"]);
    assert!(o.status.success());
    assert!(
        stdout(&o).starts_with("No building matches \"qqqqzzzz\""),
        "{}",
        stdout(&o)
    );
}

// --- 3. Keys do what the screen says

#[test]
fn on_the_people_list_letters_filter_arrows_move_and_question_mark_helps() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut app = open_app(&db, Lang::Zh, None);
    assert_eq!(app.state.screen, Screen::Inspector);
    // The footer says what works while the filter has the letters.
    let shown = screen(&app, 80, 24);
    let footer = shown.lines().nth(23).unwrap();
    assert!(
        footer.contains("? 帮助") && footer.contains("Down Up 移动"),
        "{footer}"
    );
    // j and k are letters of a name's pinyin: they filter.
    press(&mut app, "jk");
    assert_eq!(app.state.inspector_filter.value(), "jk");
    press(&mut app, "<bs><bs>");
    // The arrows move.
    let before = app.state.inspector_cursor;
    press(&mut app, "<down>");
    assert_eq!(app.state.inspector_cursor, before + 1);
    // ? opens help, which lists the arrows (not j k) for moving here.
    press(&mut app, "?");
    assert!(app.state.help);
    let help = screen(&app, 80, 24);
    assert!(help.contains("Down Up"), "{help}");
    assert!(!help.contains("j k Down Up"), "{help}");
    assert_eq!(app.state.inspector_filter.value(), "");
}

#[test]
fn esc_on_the_start_screen_does_not_quit_and_q_does() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut app = open_app(&db, Lang::En, Some("刘建国"));
    press(&mut app, "<esc>");
    assert!(!app.quit());
    assert!(screen(&app, 80, 24).contains("To quit, press q"));
    press(&mut app, "q");
    assert!(app.quit());
}

#[test]
fn while_the_window_is_too_small_keys_do_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut app = open_app(&db, Lang::Zh, Some("刘建国"));
    press(&mut app, "<enter>");
    skip_recheck(&mut app);
    let answered = app.state.day_answered;
    app.resize(60, 20);
    assert!(screen(&app, 60, 20).contains("窗口太小"));
    press(&mut app, "yyyy<esc>r");
    assert_eq!(
        app.state.day_answered, answered,
        "no answer recorded unseen"
    );
    assert_eq!(app.state.screen, Screen::Walk);
    // Big enough again: the same key answers.
    app.resize(80, 24);
    press(&mut app, "y");
    assert_eq!(app.state.day_answered, answered + 1);
}

/// The column of the first `│` or `┌` `└` of each row from `top` to `bottom`.
fn left_border(shown: &str, top: usize, bottom: usize) -> Vec<Option<usize>> {
    shown
        .lines()
        .skip(top)
        .take(bottom - top)
        .map(|l| {
            let mut col = 0;
            for ch in l.chars() {
                if "│┌└├".contains(ch) && col > 0 {
                    return Some(col);
                }
                col += unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
            }
            None
        })
        .collect()
}

#[test]
fn help_over_chinese_text_keeps_its_left_border() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut app = open_app(&db, Lang::Zh, Some("刘建国"));
    press(&mut app, "l<enter>");
    assert_eq!(app.state.screen, Screen::Detail);
    press(&mut app, "?");
    let shown = screen(&app, 80, 24);
    // The popup is 76 wide in the middle: its left border is column 2 on every row.
    let lines: Vec<&str> = shown.lines().collect();
    let top = lines.iter().position(|l| l.contains("┌ 按键帮助")).unwrap();
    let bottom = lines.iter().rposition(|l| l.starts_with("│ └")).unwrap() + 1;
    assert!(bottom - top > 10, "{shown}");
    let cols = left_border(&shown, top, bottom);
    assert!(cols.iter().all(|c| *c == Some(2)), "{cols:?}\n{shown}");
}

#[test]
fn footers_that_do_not_fit_keep_the_way_out_and_say_more() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut app = open_app(&db, Lang::En, Some("刘建国"));
    let footer =
        |app: &firepatrol::tui::app::App| screen(app, 80, 24).lines().nth(23).unwrap().to_string();
    let f = footer(&app);
    assert!(f.contains("q quit") && f.ends_with("? more"), "{f}");
    // On a re-check: the way on (Enter) and back (Esc) stay.
    press(&mut app, "<enter>");
    go_to_recheck(&mut app);
    let f = footer(&app);
    assert!(
        f.contains("Enter") && f.contains("Esc") && f.ends_with("? more"),
        "{f}"
    );
    // A footer that fits says "? help" first, as before.
    let mut app = open_app(&db, Lang::Zh, Some("刘建国"));
    press(&mut app, "l<enter>h");
    let f = footer(&app);
    assert!(f.starts_with(" ? 帮助"), "{f}");
}

// --- 4. A shorter walk

/// Keys pressed, and characters typed into the responsible party's fields.
#[derive(Default, Debug)]
struct Count {
    keys: usize,
    typed: usize,
}

impl Count {
    fn press(&mut self, app: &mut firepatrol::tui::app::App, keys: &str) {
        self.keys += press(app, keys);
    }
    fn type_text(&mut self, app: &mut firepatrol::tui::app::App, text: &str) {
        for ch in text.chars() {
            press(app, &ch.to_string());
            self.typed += 1;
        }
    }
}

/// From the start screen: the 4-unit building 桂花园小区 2栋 (3 building items and 17 per
/// unit: 71), every item OK but an e-bike in unit 1's corridor with its responsible party
/// typed in; its open hazards are re-checked as they come (left open: one key each).
fn walk_the_four_unit_building(
    lang: Lang,
) -> (Count, firepatrol::tui::app::App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut app = open_app(&db, lang, Some("张德明"));
    let mut n = Count::default();
    n.keys += open_building(&mut app, "桂花园小区 2栋");
    let total = app.state.walk.as_ref().unwrap().building_progress().total;
    assert_eq!(total, 71);
    let mut hazard_done = false;
    for _ in 0..200 {
        let Some(w) = app.state.walk.as_ref() else {
            break;
        };
        if app.state.screen != Screen::Walk {
            break;
        }
        if w.phase == Phase::Recheck {
            // Each open hazard: still open (o), then on to the checklist.
            let open = w.section_open().len();
            for _ in 0..open {
                n.press(&mut app, "o");
            }
            if app.state.walk.as_ref().unwrap().phase == Phase::Recheck {
                n.press(&mut app, "<enter>");
            }
            continue;
        }
        let unit = w.current_section().unit.as_ref().map(|u| u.number);
        if unit == Some(1) && !hazard_done {
            let at = w
                .current_section()
                .items
                .iter()
                .position(|i| w.items[*i].id == "EBK-01")
                .unwrap();
            let moves = at.saturating_sub(w.cursor);
            n.press(&mut app, &"j".repeat(moves));
            // The form opens on the spot; Tab to the name.
            n.press(&mut app, "x<tab>");
            n.type_text(&mut app, "王先生");
            n.press(&mut app, "<tab>");
            n.type_text(&mut app, "302");
            n.press(&mut app, "<tab>");
            n.type_text(&mut app, "13800138000");
            n.press(&mut app, "<enter>");
            assert_eq!(app.state.screen, Screen::Walk, "the hazard is saved");
            hazard_done = true;
            continue;
        }
        // The rest of this list is OK: a, then y to the question.
        n.press(&mut app, "a");
        n.press(&mut app, "y");
    }
    (n, app, dir)
}

#[test]
fn a_four_unit_building_all_ok_but_one_hazard_takes_at_most_30_keys() {
    for lang in [Lang::Zh, Lang::En] {
        let (n, app, dir) = walk_the_four_unit_building(lang);
        eprintln!(
            "4-unit building ({lang:?}): {} keys, and {} characters typed for the responsible party (name 3, room 3, phone 11)",
            n.keys, n.typed
        );
        assert_eq!(n.typed, 17);
        assert!(n.keys <= 30, "{} keys", n.keys);
        // Back on the start screen, the building done: 71 answers, one hazard.
        assert_eq!(app.state.screen, Screen::Start);
        assert_eq!(app.state.day_answered, 71);
        let s = Store::open(&dir.path().join("t.db"), OpenMode::Existing, clock()).unwrap();
        let (rows, _) = s
            .ledger(&firepatrol::store::LedgerFilter::default(), 1000)
            .unwrap();
        let h = rows
            .iter()
            .find(|h| h.found_at.starts_with("2026-11-23"))
            .unwrap();
        assert_eq!(
            (
                h.party_name.as_str(),
                h.party_room.as_str(),
                h.party_phone.as_str()
            ),
            ("王先生", "302", "13800138000")
        );
    }
}

#[test]
fn the_rest_is_ok_asks_first_saying_how_many_and_any_other_key_cancels() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut app = open_app(&db, Lang::Zh, Some("张德明"));
    open_building(&mut app, "桂花园小区 2栋");
    skip_recheck(&mut app);
    press(&mut app, "y");
    let w = app.state.walk.as_ref().unwrap();
    let left = w.section_progress(w.section).total - w.section_progress(w.section).done;
    let answered = app.state.day_answered;
    press(&mut app, "a");
    let shown = screen(&app, 80, 24);
    assert!(
        shown.contains(&format!("还有 {left} 项没答，全部记为正常")),
        "{shown}"
    );
    // n is no: nothing recorded.
    press(&mut app, "n");
    assert_eq!(app.state.day_answered, answered);
    assert!(screen(&app, 80, 24).contains("没有记录"));
    // y is yes: every one saved (each its own answer), then the next list.
    let section = app.state.walk.as_ref().unwrap().section;
    press(&mut app, "ay");
    assert_eq!(app.state.day_answered, answered + left as i64);
    let w = app.state.walk.as_ref().unwrap();
    assert!(w.section_progress(section).finished());
    assert_ne!(w.section, section);
    assert!(screen(&app, 80, 24).contains(&format!("已保存：{left} 项记为正常")));
    // Each answer can be taken back on its own (from the next list's checklist).
    skip_recheck(&mut app);
    let done = app.state.walk.as_ref().unwrap().building_progress().done;
    press(&mut app, "u");
    let w = app.state.walk.as_ref().unwrap();
    assert_eq!(w.building_progress().done, done - 1);
    assert_eq!(
        w.section, section,
        "back to the list of the answer taken back"
    );
}

/// Run the binary with a Chinese locale (as a Chinese user's terminal has).
fn run_zh(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_firepatrol"))
        .args(args)
        .env("XDG_DATA_HOME", dir.join("xdg"))
        .env("HOME", dir)
        .env("FIREPATROL_NOW", NOW)
        .env("LANG", "zh_CN.UTF-8")
        .env_remove("FIREPATROL_DB")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap()
}

#[test]
fn help_and_argument_errors_follow_the_interface_language() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // --help in Chinese from the locale, in English with --lang en.
    let o = run_zh(d, &["--help"]);
    assert!(o.status.success());
    let help = stdout(&o);
    assert!(help.contains("用法：firepatrol"), "{help}");
    assert!(
        help.contains("隐患台账") && help.contains("显示帮助"),
        "{help}"
    );
    assert!(!help.contains("Print help"), "{help}");
    let o = run_zh(d, &["report", "--help"]);
    let help = stdout(&o);
    assert!(help.contains("显示住户的完整姓名和电话"), "{help}");
    assert!(help.contains("数据库文件"), "global options too: {help}");
    let o = run_zh(d, &["--lang", "en", "report", "--help"]);
    assert!(
        stdout(&o).contains("Usage: firepatrol report"),
        "{}",
        stdout(&o)
    );
    // Argument errors in our words, with clap's suggestion.
    let o = run_zh(d, &["report", "--formt", "md"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("没有 --formt 这个选项") && e.contains("是不是想用：--format"),
        "{e}"
    );
    let o = run_zh(d, &["report", "--format", "pdf"]);
    assert!(
        stderr(&o).contains("不能是“pdf”，可用的有：text, md"),
        "{}",
        stderr(&o)
    );
    let o = run(d, &["report", "--format", "pdf"]);
    assert!(
        stderr(&o).contains("cannot be \"pdf\"; use one of: text, md"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn import_without_a_kind_suggests_the_kinds() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_zh(dir.path(), &["import", "楼栋.csv"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("firepatrol import buildings 楼栋.csv"),
        "{}",
        stderr(&o)
    );
    let o = run(dir.path(), &["import", "list.csv"]);
    assert!(stderr(&o).contains("firepatrol import buildings list.csv (the building list)"));
}

#[test]
fn messages_name_demo_and_translate_the_system_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let none = d.join("none.db");
    let o = run_zh(d, &["--db", none.to_str().unwrap(), "report"]);
    let e = stderr(&o);
    assert!(
        e.contains("firepatrol init") && e.contains("firepatrol demo"),
        "{e}"
    );
    let db = demo_copy(d);
    let missing = d.join("缺的.csv");
    let o = run_zh(
        d,
        &[
            "--db",
            db.to_str().unwrap(),
            "import",
            "buildings",
            missing.to_str().unwrap(),
        ],
    );
    let e = stderr(&o);
    assert!(e.contains("文件或文件夹不存在（系统错误 2）"), "{e}");
    assert!(!e.contains("No such file"), "{e}");
}

#[test]
fn the_ledger_table_says_what_the_hazard_is_and_hazard_shows_local_times() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let dbs = db.to_str().unwrap();
    let o = run_zh(dir.path(), &["--db", dbs, "hazards"]);
    let table = stdout(&o);
    assert!(
        table.lines().next().unwrap().contains("隐患描述"),
        "{table}"
    );
    assert!(table.contains("安全出口或屋顶门上锁"), "{table}");
    let o = run_zh(dir.path(), &["--db", dbs, "hazard", "YH-20261107-002"]);
    let text = stdout(&o);
    assert!(text.contains("发现时间: 2026-11-07 09:50"), "{text}");
    assert!(!text.contains("T09:50:00+08:00"), "{text}");
}

// --- 8. The phone check

#[test]
fn a_ten_digit_phone_is_refused_on_its_field() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut app = open_app(&db, Lang::Zh, Some("刘建国"));
    open_first_checklist(&mut app);
    press(&mut app, "x<tab>王先生<tab>302<tab>1380013800<enter>");
    assert_eq!(app.state.screen, Screen::Form, "not saved");
    let shown = screen(&app, 80, 24);
    assert!(
        shown.contains("号码不对：手机 11 位以 1 开头，座机要带区号"),
        "{shown}"
    );
    assert!(
        shown.contains("1380013800"),
        "what was typed stays: {shown}"
    );
    // Eleven digits starting with 1: saved.
    press(&mut app, "0<enter>");
    assert_eq!(app.state.screen, Screen::Walk);
    // The import refuses it too, naming the row.
    let csv = write(
        dir.path(),
        "people.csv",
        "姓名,角色,电话\n王五,楼栋长,1380013800\n".as_bytes(),
    );
    let o = run_zh(
        dir.path(),
        &[
            "--db",
            db.to_str().unwrap(),
            "import",
            "people",
            csv.to_str().unwrap(),
        ],
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("“1380013800”不是电话号码"),
        "{}",
        stderr(&o)
    );
}

// --- 5. The extend form

#[test]
fn the_extend_form_shows_the_old_deadline_and_its_keys_start_from_the_default() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut app = open_app(&db, Lang::Zh, Some("刘建国"));
    press(&mut app, "l<enter>");
    assert_eq!(app.state.screen, Screen::Detail);
    let h = app.state.detail.as_ref().unwrap().hazard.clone();
    let deadline_field = |app: &firepatrol::tui::app::App| {
        app.state
            .form
            .as_ref()
            .unwrap()
            .text(firepatrol::tui::widgets::form::FieldId::Deadline)
    };
    press(&mut app, "e");
    assert_eq!(app.state.screen, Screen::Form);
    let shown = screen(&app, 80, 24);
    assert!(shown.contains(&format!("原期限 {}", h.deadline)), "{shown}");
    // The default is a week from today (the hazard is overdue): Left is +3, not today.
    assert_eq!(deadline_field(&app), "2026-11-30");
    press(&mut app, "<up><left>");
    assert_eq!(deadline_field(&app), "+3");
    press(&mut app, "<esc>e<up><right>");
    assert_eq!(deadline_field(&app), "+15");
    // Typing replaces the default instead of adding to it.
    press(&mut app, "<esc>e<up>+3");
    assert_eq!(deadline_field(&app), "+3");
    press(&mut app, "<down>修不了，等配件<enter>");
    assert_eq!(app.state.screen, Screen::Detail);
    let s = Store::open(&db, OpenMode::Existing, clock()).unwrap();
    assert_eq!(s.hazard(&h.id).unwrap().unwrap().deadline, "2026-11-26");
}

// --- 6. The ledger at 80x24

#[test]
fn the_ledger_at_80x24_says_what_each_hazard_is_in_full_words() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    for (lang, words) in [
        (Lang::En, ["critical", "escalated 12 days late", "all 115"]),
        (Lang::Zh, ["危急", "已上报 逾期 12 天", "全部 115"]),
    ] {
        let mut app = open_app(&db, lang, Some("刘建国"));
        ledger_tab(&mut app, firepatrol::store::StatusFilter::Overdue);
        let shown = screen(&app, 80, 24);
        assert!(shown.contains("安全出口或屋顶门上锁、封闭"), "{shown}");
        for w in words {
            assert!(shown.contains(w), "{w}:\n{shown}");
        }
        assert!(!shown.contains("cr.."), "{shown}");
    }
}

#[test]
fn ledger_search_finds_a_phone_and_a_room() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut app = open_app(&db, Lang::Zh, Some("刘建国"));
    ledger_tab(&mut app, firepatrol::store::StatusFilter::All);
    let shown_rows = |app: &firepatrol::tui::app::App| -> Vec<firepatrol::store::HazardRow> {
        let l = &app.state.ledger;
        l.shown.iter().map(|i| l.rows[*i].clone()).collect()
    };
    // A phone typed without its spaces.
    press(&mut app, "/13800001021");
    let rows = shown_rows(&app);
    assert!(!rows.is_empty());
    assert!(
        rows.iter().all(|h| h.party_phone == "138 0000 1021"),
        "{rows:?}"
    );
    // A room: those in room 502 (and nothing found only by scattered digits).
    press(&mut app, &"<bs>".repeat(11));
    press(&mut app, "502");
    let rows = shown_rows(&app);
    assert!(!rows.is_empty());
    assert!(rows[0].party_room == "502");
    for h in &rows {
        let text = format!(
            "{} {} {} {} {}",
            h.party_room, h.spot, h.building, h.description, h.number
        );
        assert!(text.contains("502"), "{h:?}");
    }
}

#[test]
fn a_long_note_in_the_history_is_read_in_full() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let note = "物业说下周二前清走楼道里的旧沙发和纸箱，社区派人周三再去看一次，若还在就通知消防站";
    let o = run(
        dir.path(),
        &[
            "--db",
            db.to_str().unwrap(),
            "hazard",
            "YH-20261107-002",
            "--escalate",
            "社区办公室",
            "--note",
            note,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let mut app = open_app(&db, Lang::Zh, Some("刘建国"));
    press(&mut app, "l<enter>");
    assert_eq!(
        app.state.detail.as_ref().unwrap().hazard.number,
        "YH-20261107-002"
    );
    let shown: String = screen(&app, 80, 24)
        .lines()
        .map(|l| l.trim_matches(|c: char| c == '│' || c == ' '))
        .collect();
    assert!(shown.contains(note), "{shown}");
}

// --- 9. Printing

/// Print an HTML file to PDF with headless Chromium; returns the PDF's path. A machine without
/// chromium or poppler-utils fails the print check: it cannot pass without looking at a page
/// (`.ci/run` installs them).
fn print_to_pdf(html: &Path) -> std::path::PathBuf {
    let found = |p: &str| {
        std::process::Command::new("sh")
            .args(["-c", &format!("command -v {p}")])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !found("chromium") || !found("pdfinfo") || !found("pdftotext") {
        panic!(
            "chromium and poppler-utils (pdfinfo, pdftotext) are needed to check the print: \
             apt-get install chromium poppler-utils fonts-noto-cjk"
        );
    }
    let pdf = html.with_extension("pdf");
    // A profile of its own and no background traffic (there is no network here).
    let profile = tempfile::tempdir().unwrap();
    let o = std::process::Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            &format!("--user-data-dir={}", profile.path().display()),
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
            &html.display().to_string(),
        ])
        .output()
        .unwrap();
    assert!(pdf.exists(), "{}", String::from_utf8_lossy(&o.stderr));
    pdf
}

fn pdf_pages(pdf: &Path) -> usize {
    let o = std::process::Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
        .unwrap()
}

/// The right edge of the rightmost word on any page, in points.
fn pdf_right_edge(pdf: &Path) -> f64 {
    let o = std::process::Command::new("pdftotext")
        .args(["-bbox", &pdf.display().to_string(), "-"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stdout)
        .split("xMax=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next()?.parse::<f64>().ok())
        .fold(0.0, f64::max)
}

#[test]
fn the_report_keeps_its_tables_on_an_a4_page_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    for lang in ["zh", "en"] {
        let html = dir.path().join(format!("r-{lang}.html"));
        let o = run(
            dir.path(),
            &[
                "--db",
                db.to_str().unwrap(),
                "--lang",
                lang,
                "report",
                "--from",
                "2026-10-01",
                "--to",
                "2026-11-22",
                "--format",
                "html",
                "--full",
                "--out",
                html.to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let page = std::fs::read_to_string(&html).unwrap();
        // Fixed columns that add up to the page width.
        assert!(
            page.contains("table.list { font-size: 8.6pt; table-layout: fixed; width: 100%; }")
        );
        let cols = page
            .split("<colgroup>")
            .nth(1)
            .unwrap()
            .split("</colgroup>")
            .next()
            .unwrap();
        let sum: u32 = cols
            .split("width:")
            .skip(1)
            .map(|s| s.split('%').next().unwrap().parse::<u32>().unwrap())
            .sum();
        assert_eq!(sum, 100);
        // Printed: nothing beyond the right margin (A4 is 595 points wide, margins 12 mm).
        let pdf = print_to_pdf(&html);
        let edge = pdf_right_edge(&pdf);
        assert!(edge <= 595.0 - 12.0 / 25.4 * 72.0 + 0.5, "{lang}: {edge}");
    }
}

#[test]
fn a_notice_is_one_page_in_either_language_and_names_the_community() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let dbs = db.to_str().unwrap();
    let o = run(dir.path(), &["--db", dbs, "hazards", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let ids: Vec<String> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["number"].as_str().unwrap().to_string())
        .collect();
    assert!(ids.len() > 20);
    for lang in ["zh", "en"] {
        let html = dir.path().join(format!("n-{lang}.html"));
        let mut args = vec![
            "--db",
            dbs,
            "--lang",
            lang,
            "notice",
            "--out",
            html.to_str().unwrap(),
        ];
        args.extend(ids.iter().map(String::as_str));
        let o = run(dir.path(), &args);
        assert!(o.status.success(), "{}", stderr(&o));
        let page = std::fs::read_to_string(&html).unwrap();
        assert!(
            page.contains("芙蓉南路社区"),
            "the notice names the community"
        );
        let pdf = print_to_pdf(&html);
        assert_eq!(pdf_pages(&pdf), ids.len(), "{lang}: one page per hazard");
    }
}

#[test]
fn a_notice_for_a_closed_hazard_says_so_before_writing_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let dbs = db.to_str().unwrap();
    let o = run(
        dir.path(),
        &[
            "--db",
            dbs,
            "hazards",
            "--status",
            "rectified",
            "--format",
            "json",
        ],
    );
    let rows: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let number = rows[0]["number"].as_str().unwrap().to_string();
    let out = dir.path().join("n.html");
    let o = run_zh(
        dir.path(),
        &[
            "--db",
            dbs,
            "notice",
            &number,
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("已销号，不需要告知书") && stderr(&o).contains(&number));
    assert!(!out.exists(), "nothing written");
    let o = run(
        dir.path(),
        &[
            "--db",
            dbs,
            "notice",
            &number,
            "--out",
            out.to_str().unwrap(),
            "--closed",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.exists());
    // In the app: n asks first; another key writes nothing; n again writes it.
    let mut app = open_app(&db, Lang::Zh, Some("刘建国"));
    ledger_tab(&mut app, firepatrol::store::StatusFilter::Rectified);
    press(&mut app, "<enter>");
    let number = app.state.detail.as_ref().unwrap().hazard.number.clone();
    let written = dir.path().join(format!("reports/notice-{number}.html"));
    press(&mut app, "n");
    assert!(screen(&app, 80, 24).contains("这处隐患已销号"));
    press(&mut app, "j");
    assert!(!written.exists());
    assert!(screen(&app, 80, 24).contains("没有写告知书"));
    press(&mut app, "nn");
    assert!(written.exists());
}

#[test]
fn the_chat_text_stays_short_for_a_district() {
    // A generated district part: hundreds of buildings, thousands of hazards, most of them
    // overdue on the day. The chat text is still the summary and the few most urgent.
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::store(dir.path());
    firepatrol::generate::generate(
        &mut store,
        &firepatrol::generate::Spec {
            buildings: 200,
            hazards: 8_000,
            days: 120,
            seed: 3,
        },
    )
    .unwrap();
    drop(store);
    let db = dir.path().join("t.db");
    let r = report_of(&db, "2026-11-20", "2026-11-22", true);
    let todo = report::text::to_act_on(&r.lists()).unwrap().total;
    assert!(
        todo > 1000,
        "the district has many hazards to act on: {todo}"
    );
    for lang in [Lang::Zh, Lang::En] {
        let text = r.text(lang);
        let lines = text.lines().count();
        assert!(
            lines <= 8 + 2 + report::text::TOP + 1,
            "{lang:?}: {lines} lines for {todo} hazards"
        );
        assert!(
            text.chars().count() < 2_000,
            "{lang:?}: {}",
            text.chars().count()
        );
    }
}
