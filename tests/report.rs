//! Issue 5: the end-of-day report in every format, rectification notices, redaction, safe
//! exports, and the report and notice keys in the app.
//!
//! Golden files are in tests/golden/; after an intended change:
//! `UPDATE_GOLDEN=1 cargo test --test report`.

mod common;

use calamine::{Data, Reader, Xlsx};
use common::report_ref::Built;
use common::*;
use firepatrol::i18n::Lang;
use firepatrol::report::{self, Format};
use firepatrol::store::{HazardAction, NewHazard, OpenMode, ReportScope, Slot, Store};
use firepatrol::tui::state::{Phase, Screen};
use std::path::{Path, PathBuf};

/// The richest day of the demo history: five leaders, six hazards found, re-checks.
const DAY: &str = "2026-11-20";
/// The demo's last day (its history stops the day before the fixed "today").
const YESTERDAY: &str = "2026-11-22";

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn scope(from: &str, to: &str) -> ReportScope {
    ReportScope {
        from: day(from),
        to: day(to),
        inspector: None,
        grid: None,
    }
}

fn open(db: &Path) -> Store {
    Store::open(db, OpenMode::Existing, clock()).unwrap()
}

/// The report streamed from the database, checked against the in-memory reference.
fn build(db: &Path, s: &ReportScope, redact: bool) -> Built {
    Built::new(
        open(db),
        s.clone(),
        report::Options {
            inspector_name: None,
            redact,
        },
    )
}

fn golden_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

/// Compare with a golden file (or write it with UPDATE_GOLDEN=1).
fn golden(name: &str, actual: &str) {
    let path = golden_path(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!("no golden file {name}; run UPDATE_GOLDEN=1 cargo test --test report")
    });
    if want != actual {
        let line = want
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| want.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from its golden file at line {}:\n want: {:?}\n  got: {:?}\n(UPDATE_GOLDEN=1 cargo test --test report after an intended change)",
            line + 1,
            want.lines().nth(line),
            actual.lines().nth(line)
        );
    }
}

/// Replace UUIDs (8-4-4-4-12 hex) by a placeholder: they are new in every demo build.
fn scrub_uuids(s: &str) -> String {
    let b = s.as_bytes();
    let is_uuid = |i: usize| {
        let shape = [8, 4, 4, 4, 12];
        let mut j = i;
        for (k, n) in shape.iter().enumerate() {
            for _ in 0..*n {
                if !b.get(j).is_some_and(u8::is_ascii_hexdigit) {
                    return None;
                }
                j += 1;
            }
            if k < 4 {
                if b.get(j) != Some(&b'-') {
                    return None;
                }
                j += 1;
            }
        }
        Some(j)
    };
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match is_uuid(i) {
            Some(end) => {
                out.extend_from_slice(b"<uuid>");
                i = end;
            }
            None => {
                out.push(b[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}

/// Excel's serial date -> "YYYY-MM-DD HH:MM".
fn serial(v: f64) -> String {
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let t = base + chrono::Duration::seconds((v * 86400.0).round() as i64);
    t.format("%Y-%m-%d %H:%M").to_string()
}

/// Every sheet of a workbook as text: each cell with its type (S string, N number, D date).
/// (sheet name, rows of cells)
type Sheets = Vec<(String, Vec<Vec<Data>>)>;

fn xlsx_dump(bytes: &[u8]) -> (String, Sheets) {
    let mut wb: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("xlsx opens");
    let mut out = String::new();
    let mut sheets = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        let formulas = wb.worksheet_formula(&name).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "no formulas in {name}"
        );
        out.push_str(&format!("## {name}\n"));
        let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
        for r in &rows {
            let cells: Vec<String> = r
                .iter()
                .map(|c| match c {
                    Data::String(s) => format!("S:{s}"),
                    Data::Float(f) => format!("N:{f}"),
                    Data::Int(i) => format!("N:{i}"),
                    Data::DateTime(d) => format!("D:{}", serial(d.as_f64())),
                    Data::Empty => String::new(),
                    other => format!("?:{other:?}"),
                })
                .collect();
            out.push_str(cells.join(" | ").trim_end());
            out.push('\n');
        }
        sheets.push((name, rows));
    }
    (out, sheets)
}

#[test]
fn every_format_of_the_demo_day_matches_its_golden_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let r = build(&db, &scope(DAY, DAY), false);
    assert_eq!(r.mem.found.len(), 6, "the demo day found six hazards");
    for (lang, code) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let text = String::from_utf8(r.render(lang, Format::Text).unwrap()).unwrap();
        golden(&format!("report-{DAY}.{code}.txt"), &text);
    }
    let lang = Lang::Zh;
    let s = |f| String::from_utf8(r.render(lang, f).unwrap()).unwrap();
    golden(&format!("report-{DAY}.md"), &s(Format::Md));
    golden(&format!("report-{DAY}.csv"), &s(Format::Csv));
    golden(&format!("report-{DAY}.html"), &s(Format::Html));
    golden(
        &format!("report-{DAY}.json"),
        &scrub_uuids(&s(Format::Json)),
    );
    let xlsx = r.render(lang, Format::Xlsx).unwrap();
    golden(&format!("report-{DAY}.xlsx.txt"), &xlsx_dump(&xlsx).0);
    // The same report twice is the same file, byte for byte (fixed creation time).
    assert_eq!(xlsx, r.render(lang, Format::Xlsx).unwrap());

    // A rectification notice: a hazard with a party and a deadline.
    let store = open(&db);
    let h = store.find_hazard("YH-20261120-006").unwrap().unwrap();
    let items = report::items_by_id(&store).unwrap();
    let (html, pages) = report::notice::render(&[h], &items, lang, day("2026-11-23"), false);
    assert_eq!(pages, 1);
    golden("notice-YH-20261120-006.html", &html);
}

#[test]
fn the_model_counts_what_happened_on_the_day() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let r = build(&db, &scope(DAY, DAY), false);
    let s = &r.summary;
    // Leaders: first to last answer of each patrol that day.
    let wang = r.leaders.iter().find(|l| l.name == "王志强").unwrap();
    assert_eq!(
        (wang.first.as_str(), wang.last.as_str(), wang.minutes),
        ("2026-11-20T09:04:00+08:00", "2026-11-20T09:17:00+08:00", 13)
    );
    assert_eq!(r.leaders.len(), 5);
    assert_eq!(s.buildings_patrolled, r.buildings.len() as i64);
    assert_eq!(
        s.items_checked,
        r.buildings.iter().map(|b| b.items_checked).sum::<i64>()
    );
    assert_eq!(s.hazards_found, 6);
    assert_eq!(
        s.by_severity.iter().map(|x| x.count).sum::<i64>(),
        s.hazards_found
    );
    assert_eq!(
        s.by_category.iter().map(|x| x.count).sum::<i64>(),
        s.hazards_found
    );
    assert_eq!(
        s.fixed_on_spot,
        r.mem.found.iter().filter(|h| h.fixed_on_spot).count() as i64
    );
    assert!(s.buildings_planned >= 1);
    // Every hazard found is in the found list once; follow-ups are hazards found earlier.
    assert!(r.mem.found.iter().all(|h| h.found_at.starts_with(DAY)));
    assert!(r.mem.followed_up.iter().all(|h| h.found_at.as_str() < DAY));
    assert!(r.mem.followed_up.iter().all(|h| !h.actions.is_empty()));
    assert!(
        r.mem
            .overdue
            .iter()
            .all(|h| h.overdue && h.deadline.as_str() < DAY)
    );
    // Overdue rows say so in words.
    let od = r.mem.all().find(|(_, h)| h.overdue).unwrap().1;
    assert!(od.status_label(Lang::Zh).contains("逾期"));
}

/// A small database with exact stories: every count of the summary is known.
#[test]
fn summary_counts_on_a_made_up_day() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store(dir.path());
    firepatrol::demo::load_lists(&mut s).unwrap();
    let leader = person_id(&s, "刘建国");
    let b = building_id(&s, "新芙蓉之都 2栋");
    let u = s.units(&b).unwrap()[0].id.clone();
    let at = |t: &str| firepatrol::domain::clock::Clock::parse_fixed(t).unwrap();
    let hazard = |s: &mut Store, item: &str, deadline: &str, fixed: bool, esc: bool| {
        let patrol = s.patrol_for(&leader).unwrap();
        s.record_hazard(&NewHazard {
            patrol_id: patrol,
            slot: Slot {
                building_id: b.clone(),
                unit_id: Some(u.clone()),
                item_id: item.into(),
            },
            category: "ebike".into(),
            spot: "1F".into(),
            description: "电动车停在楼道".into(),
            severity: firepatrol::domain::Severity::High,
            party_name: "王大爷".into(),
            party_room: "101".into(),
            party_phone: "138 0000 1021".into(),
            found_by: Some(leader.clone()),
            deadline: day(deadline),
            fixed_on_spot: fixed,
            escalate: esc.then(|| "社区".to_string()),
        })
        .unwrap()
        .id
    };
    // Before the day: one to rectify on it, one to extend, one left overdue.
    s.clock = at("2026-11-10T09:00:00+08:00");
    let old_fixed = hazard(&mut s, "EBK-01", "2026-11-12", false, false);
    let old_ext = hazard(&mut s, "EBK-02", "2026-11-21", false, false);
    let _old_overdue = hazard(&mut s, "EBK-03", "2026-11-15", false, false);
    // The day: three found (one fixed on the spot, one escalated), and the follow-ups.
    s.clock = at("2026-11-22T09:00:00+08:00");
    hazard(&mut s, "EXT-01", "2026-11-22", true, false);
    s.clock = at("2026-11-22T09:20:00+08:00");
    s.hazard_action(
        &old_fixed,
        &HazardAction::Rectify {
            note: String::new(),
        },
        Some(&leader),
    )
    .unwrap()
    .unwrap();
    hazard(&mut s, "EBK-01", "2026-11-22", false, false); // the same place and item: 回潮
    s.clock = at("2026-11-22T09:45:00+08:00");
    s.hazard_action(
        &old_ext,
        &HazardAction::Extend {
            to: day("2026-11-29"),
            reason: "住户外出".into(),
        },
        Some(&leader),
    )
    .unwrap()
    .unwrap();
    hazard(&mut s, "ACC-01", "2026-11-22", false, true);
    s.clock = clock();
    let r = Built::new(s, scope(YESTERDAY, YESTERDAY), Default::default());
    let m = &r.summary;
    assert_eq!(m.hazards_found, 3);
    assert_eq!(m.fixed_on_spot, 1);
    assert_eq!(m.rectified, 1, "the on-the-spot fix is not a re-check");
    assert_eq!(m.extended, 1);
    assert_eq!(m.escalated, 1);
    assert_eq!(m.recurring, 1);
    assert_eq!(m.still_open, 2);
    assert_eq!(m.overdue_carried, 1);
    assert_eq!(m.buildings_patrolled, 1);
    assert_eq!(r.leaders.len(), 1);
    assert_eq!(r.leaders[0].minutes, 45);
    assert_eq!(r.mem.followed_up.len(), 2);
    assert_eq!(r.mem.overdue.len(), 1);
    assert_eq!(r.mem.overdue[0].days_overdue, 8);
    // A leader with nothing that day has an empty report, not an error.
    let s = r.store;
    let other = s
        .people()
        .unwrap()
        .into_iter()
        .find(|p| p.name == "陈秀英")
        .unwrap();
    let mut sc = scope(YESTERDAY, YESTERDAY);
    sc.inspector = Some(other.id);
    let r = Built::new(s, sc, Default::default());
    assert_eq!(
        (
            r.summary.hazards_found,
            r.leaders.len(),
            r.summary.rectified
        ),
        (0, 0, 0)
    );
}

#[test]
fn chat_text_of_a_demo_day_fits_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    // Yesterday (the last day of the demo history) and the richest day, both languages.
    for d in [YESTERDAY, DAY] {
        let r = build(&db, &scope(d, d), false);
        for lang in [Lang::Zh, Lang::En] {
            let summary = r.chat_summary(lang);
            let n = summary.chars().count();
            eprintln!("chat summary {d} {lang:?}: {n} characters");
            assert!(n < 600, "{d} {lang:?}: {n} characters:\n{summary}");
            assert!(summary.lines().count() <= 8);
            let full = r.text(lang);
            assert!(full.starts_with(&summary));
        }
    }
    // Today, after a patrol recorded through the app (one hazard with the form's defaults).
    let mut app = open_app(&db, Lang::Zh, Some("刘建国"));
    press(&mut app, "<enter>");
    if app.state.walk.as_ref().unwrap().phase == Phase::Recheck {
        press(&mut app, "<enter>");
    }
    press(&mut app, "yyx<enter>yy");
    drop(app);
    let r = build(&db, &scope("2026-11-23", "2026-11-23"), false);
    assert_eq!(r.summary.hazards_found, 1);
    assert_eq!(r.leaders.len(), 1);
    assert_eq!(r.leaders[0].name, "刘建国");
    let summary = r.chat_summary(Lang::Zh);
    eprintln!(
        "chat summary today (app patrol): {} characters\n{summary}",
        summary.chars().count()
    );
    assert!(summary.chars().count() < 600);
    assert!(summary.contains("刘建国 09:30-09:30"));
    assert!(summary.contains("发现隐患：1 处"));
}

#[test]
fn csv_reads_back_with_the_csv_crate() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let r = build(&db, &scope(DAY, DAY), false);
    let bytes = r.render(Lang::Zh, Format::Csv).unwrap();
    assert!(bytes.starts_with(b"\xef\xbb\xbf"), "UTF-8 BOM for Excel");
    let mut rd = csv::Reader::from_reader(&bytes[3..]);
    let head: Vec<String> = rd.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(head[1], "编号");
    assert_eq!(head[15], "状态");
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(
        rows.len(),
        r.mem.found.len() + r.mem.followed_up.len() + r.mem.overdue.len()
    );
    let first = &rows[0];
    assert_eq!(&first[0], "本期发现");
    assert_eq!(&first[1], r.mem.found[0].number.as_str());
    assert_eq!(&first[2], "2026-11-20 09:07");
    // An overdue hazard says so in the status column.
    let od = rows.iter().find(|x| &x[0] == "逾期未改").unwrap();
    assert_eq!(&od[15], "逾期");
    assert!(od[16].parse::<i64>().unwrap() > 0);
    // One row per hazard: no number twice.
    let mut numbers: Vec<&str> = rows.iter().map(|x| x.get(1).unwrap()).collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), rows.len());
}

#[test]
fn xlsx_reads_back_with_real_dates_and_text() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let r = build(&db, &scope(DAY, DAY), false);
    let bytes = r.render(Lang::Zh, Format::Xlsx).unwrap();
    let (_, sheets) = xlsx_dump(&bytes);
    let names: Vec<&str> = sheets.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(names, ["概况", "隐患台账"]);
    let ledger = &sheets[1].1;
    assert_eq!(ledger[0][1], Data::String("编号".into()));
    assert_eq!(
        ledger.len() - 1,
        r.mem.found.len() + r.mem.followed_up.len() + r.mem.overdue.len()
    );
    let first = &ledger[1];
    match &first[2] {
        Data::DateTime(d) => assert_eq!(serial(d.as_f64()), "2026-11-20 09:07"),
        other => panic!("found time is a date cell, not {other:?}"),
    }
    match &first[14] {
        Data::DateTime(d) => {
            assert_eq!(
                serial(d.as_f64()),
                format!("{} 00:00", r.mem.found[0].deadline)
            )
        }
        other => panic!("deadline is a date cell, not {other:?}"),
    }
    // Overdue in words; numbers as numbers; everything else as text.
    let od = ledger
        .iter()
        .find(|row| row[0] == Data::String("逾期未改".into()))
        .unwrap();
    assert_eq!(od[15], Data::String("逾期".into()));
    assert!(matches!(od[16], Data::Float(f) if f > 0.0));
    for row in &ledger[1..] {
        for (k, cell) in row.iter().enumerate() {
            match k {
                2 | 14 => assert!(matches!(cell, Data::DateTime(_))),
                16 | 17 => assert!(matches!(cell, Data::Float(_))),
                _ => assert!(
                    matches!(cell, Data::String(_) | Data::Empty),
                    "column {k}: {cell:?}"
                ),
            }
        }
    }
    // Frozen header and autofilter are in the sheet's XML.
    let sheet_xml = unzip_entry(&bytes, "xl/worksheets/sheet2.xml");
    assert!(sheet_xml.contains("<pane ySplit=\"1\""), "frozen header");
    assert!(sheet_xml.contains("<autoFilter ref=\"A1:T"), "autofilter");
    // Chinese columns are wider than the same count of Latin letters would need.
    assert!(sheet_xml.contains("<cols>"));
}

/// One file of the xlsx container (a zip archive) as text.
fn unzip_entry(zip: &[u8], name: &str) -> String {
    let mut a = zip::ZipArchive::new(std::io::Cursor::new(zip.to_vec())).unwrap();
    let mut f = a.by_name(name).unwrap();
    let mut s = String::new();
    std::io::Read::read_to_string(&mut f, &mut s).unwrap();
    s
}

fn schema() -> serde_json::Value {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/report.schema.json"),
    )
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn json_follows_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let v = jsonschema::validator_for(&schema()).expect("the schema is valid");
    for (from, to, redact) in [
        (DAY, DAY, false),
        (YESTERDAY, YESTERDAY, true),
        ("2026-10-01", YESTERDAY, false),
    ] {
        let r = build(&db, &scope(from, to), redact);
        let json: serde_json::Value =
            serde_json::from_slice(&r.render(Lang::En, Format::Json).unwrap()).unwrap();
        let errors: Vec<String> = v.iter_errors(&json).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{from}..{to}: {errors:?}");
        assert_eq!(json["schema"], "firepatrol.report/1");
    }
    // The schema really checks: a wrong severity or a missing field is refused.
    let r = build(&db, &scope(DAY, DAY), false);
    let mut json: serde_json::Value =
        serde_json::from_slice(&r.render(Lang::En, Format::Json).unwrap()).unwrap();
    json["found"][0]["severity"] = "huge".into();
    assert!(!v.is_valid(&json));
    let mut json: serde_json::Value =
        serde_json::from_slice(&r.render(Lang::En, Format::Json).unwrap()).unwrap();
    json["summary"].as_object_mut().unwrap().remove("rectified");
    assert!(!v.is_valid(&json));
}

const HOSTILE_NAME: &str = "<script>alert('x')</script>";
const HOSTILE_TEXT: &str = "=cmd|' /C calc'!A0";
const HOSTILE_SPOT: &str = "\"><img src=x onerror=alert(1)> & 'q'";

/// A hazard whose party, description and spot are hostile, put in through the store API.
fn hostile(db: &Path) -> String {
    let mut s = open(db);
    let leader = person_id(&s, "刘建国");
    let b = building_id(&s, "新芙蓉之都 2栋");
    let u = s.units(&b).unwrap()[0].id.clone();
    let patrol = s.patrol_for(&leader).unwrap();
    s.record_hazard(&NewHazard {
        patrol_id: patrol,
        slot: Slot {
            building_id: b,
            unit_id: Some(u),
            item_id: "EBK-01".into(),
        },
        category: "ebike".into(),
        spot: HOSTILE_SPOT.into(),
        description: HOSTILE_TEXT.into(),
        severity: firepatrol::domain::Severity::High,
        party_name: HOSTILE_NAME.into(),
        party_room: "@SUM(A1)".into(),
        party_phone: "+1 555 0100".into(),
        found_by: Some(leader),
        deadline: day("2026-11-25"),
        fixed_on_spot: false,
        escalate: None,
    })
    .unwrap()
    .number
}

#[test]
fn hostile_text_is_escaped_or_neutralised_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let number = hostile(&db);
    let r = build(&db, &scope("2026-11-23", "2026-11-23"), false);
    assert_eq!(r.mem.found.len(), 1);

    let html = String::from_utf8(r.render(Lang::Zh, Format::Html).unwrap()).unwrap();
    let store = open(&db);
    let h = store.find_hazard(&number).unwrap().unwrap();
    let items = report::items_by_id(&store).unwrap();
    let (notice, _) = report::notice::render(&[h], &items, Lang::Zh, day("2026-11-23"), false);
    for page in [&html, &notice] {
        assert!(
            !page.to_lowercase().contains("<script"),
            "no script element"
        );
        assert!(!page.contains("<img"), "no injected element");
        assert!(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
        assert!(page.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &#39;q&#39;"));
        assert!(page.contains("=cmd|&#39; /C calc&#39;!A0"));
        assert!(page.contains(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'none';"
        ));
        // The only URL is the SVG namespace: nothing is fetched.
        assert_eq!(
            page.matches("://").count(),
            page.matches("http://www.w3.org/2000/svg").count()
        );
    }

    let md = String::from_utf8(r.render(Lang::Zh, Format::Md).unwrap()).unwrap();
    assert!(!md.contains("<script") && !md.contains("<img"));
    assert!(
        md.contains("\\|"),
        "a bar in the text cannot split the table"
    );

    let csv_bytes = r.render(Lang::Zh, Format::Csv).unwrap();
    let mut rd = csv::Reader::from_reader(&csv_bytes[3..]);
    let row = rd.records().next().unwrap().unwrap();
    assert_eq!(&row[8], "'=cmd|' /C calc'!A0");
    assert_eq!(&row[12], "'@SUM(A1)");
    assert_eq!(&row[13], "'+1 555 0100");

    let xlsx = r.render(Lang::Zh, Format::Xlsx).unwrap();
    let (_, sheets) = xlsx_dump(&xlsx); // asserts there is no formula anywhere
    let row = &sheets[1].1[1];
    assert_eq!(
        row[8],
        Data::String(HOSTILE_TEXT.into()),
        "text, not a formula"
    );
    assert_eq!(row[11], Data::String(HOSTILE_NAME.into()));
    let styles = unzip_entry(&xlsx, "xl/styles.xml");
    assert!(
        styles.contains("quotePrefix=\"1\""),
        "formula-like text is quote-prefixed"
    );
}

/// The demo's residents (the responsible parties) and every phone number of the demo.
fn personal_data(db: &Path) -> (Vec<String>, Vec<String>) {
    let s = open(db);
    let (rows, _) = s
        .ledger(
            &firepatrol::store::LedgerFilter {
                status: firepatrol::store::StatusFilter::All,
                ..Default::default()
            },
            100_000,
        )
        .unwrap();
    let mut names: Vec<String> = rows
        .iter()
        .map(|h| h.party_name.clone())
        .filter(|n| n.chars().count() >= 2 && n != "物业")
        .collect();
    let mut phones: Vec<String> = rows
        .iter()
        .map(|h| h.party_phone.clone())
        .chain(s.people().unwrap().into_iter().map(|p| p.phone))
        .filter(|p| !p.is_empty())
        .collect();
    names.sort();
    names.dedup();
    phones.sort();
    phones.dedup();
    (names, phones)
}

#[test]
fn redact_hides_names_and_phones_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let (names, phones) = personal_data(&db);
    assert!(names.contains(&"王大爷".to_string()) && phones.len() > 5);
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let whole = scope("2026-10-01", YESTERDAY);
    let plain = build(&db, &whole, false);
    let text = plain.text(Lang::Zh);
    assert!(
        names.iter().any(|n| text.contains(n.as_str())),
        "unredacted shows names"
    );
    let r = build(&db, &whole, true);
    let mut outputs: Vec<(String, String)> = Vec::new();
    for f in [
        Format::Text,
        Format::Md,
        Format::Csv,
        Format::Html,
        Format::Json,
    ] {
        let s = String::from_utf8(r.render(Lang::Zh, f).unwrap()).unwrap();
        outputs.push((format!("{f:?}"), s));
    }
    let xlsx = r.render(Lang::Zh, Format::Xlsx).unwrap();
    outputs.push(("Xlsx".into(), xlsx_dump(&xlsx).0));
    let store = open(&db);
    let hazards: Vec<_> = r
        .mem
        .all()
        .map(|(_, h)| store.hazard(&h.id).unwrap().unwrap())
        .collect();
    let items = report::items_by_id(&store).unwrap();
    let (notice, _) = report::notice::render(&hazards, &items, Lang::Zh, day("2026-11-23"), true);
    outputs.push(("notice".into(), notice));
    for (what, out) in &outputs {
        for n in &names {
            assert!(!out.contains(n.as_str()), "{what} shows the name {n}");
        }
        let squeezed = digits(out);
        for p in &phones {
            assert!(!out.contains(p.as_str()), "{what} shows the phone {p}");
            assert!(
                !squeezed.contains(&digits(p)),
                "{what} shows the phone {p} (digits)"
            );
        }
    }
    // The CSV file has every hazard with its party: masked, not dropped.
    assert!(
        outputs[2].1.contains("王*"),
        "names are masked, not dropped"
    );
    assert!(outputs[2].1.contains("138 **** 1021") || outputs[2].1.contains("138 **** 1011"));
}

#[test]
fn the_cli_writes_reports_and_notices() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let dbs = db.to_str().unwrap();
    // Default: today, everyone, text on standard output.
    let o = run(dir.path(), &["--db", dbs, "report", "--date", DAY]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Masked by default: the report is for sharing.
    let r = build(&db, &scope(DAY, DAY), true);
    assert_eq!(stdout(&o), r.text(Lang::En));
    let o = run(dir.path(), &["--db", dbs, "report"]);
    assert!(stdout(&o).contains("2026-11-23"));
    // A leader (by pinyin) and a grid.
    let o = run(
        dir.path(),
        &[
            "--db",
            dbs,
            "report",
            "--date",
            DAY,
            "--inspector",
            "wangzhiqiang",
            "--format",
            "json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(j["filters"]["inspector"], "王志强");
    assert_eq!(j["leaders"].as_array().unwrap().len(), 1);
    assert!(
        j["found"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["found_by"] == "王志强")
    );
    let o = run(
        dir.path(),
        &[
            "--db",
            dbs,
            "report",
            "--from",
            "2026-11-16",
            "--to",
            YESTERDAY,
            "--grid",
            "第一网格",
            "--format",
            "json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        (j["from"].as_str(), j["to"].as_str()),
        (Some("2026-11-16"), Some(YESTERDAY))
    );
    assert!(
        j["buildings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|b| b["grid"] == "第一网格")
    );
    let o = run(dir.path(), &["--db", dbs, "report", "--grid", "第九网格"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("no grid named \"第九网格\""),
        "{}",
        stderr(&o)
    );
    let o = run(dir.path(), &["--db", dbs, "report", "--date", "11/20"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("cannot read the day"));
    // Each format to a file, 0600.
    for f in ["text", "md", "csv", "xlsx", "html", "json"] {
        let out = dir.path().join(format!("r.{f}"));
        let o = run(
            dir.path(),
            &[
                "--db",
                dbs,
                "report",
                "--date",
                DAY,
                "--format",
                f,
                "--out",
                out.to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{f}: {}", stderr(&o));
        let meta = std::fs::metadata(&out).unwrap();
        assert!(meta.len() > 100);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(meta.permissions().mode() & 0o777, 0o600, "{f}");
        }
    }
    // A notice, by default into reports/ beside the database.
    let o = run(
        dir.path(),
        &["--db", dbs, "notice", "YH-20261120-006", "YH-20261120-004"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let path = dir.path().join("reports/notice-YH-20261120-006+1.html");
    assert!(
        stdout(&o).contains(path.to_str().unwrap()),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("(pages: 2)"), "{}", stdout(&o));
    let html = std::fs::read_to_string(&path).unwrap();
    assert_eq!(html.matches("class=\"page\"").count(), 2);
    assert_eq!(html.matches("Copy for the resident / unit").count(), 2);
    assert_eq!(html.matches("Stub kept by the community office").count(), 2);
    let o = run(dir.path(), &["--db", dbs, "notice", "YH-19990101-001"]);
    assert!(!o.status.success());
}

#[test]
fn a_failed_export_leaves_no_file_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let dbs = db.to_str().unwrap();
    let before: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    // A folder that does not exist.
    let missing = dir.path().join("no/such/folder/r.html");
    for f in ["html", "xlsx"] {
        let o = run(
            dir.path(),
            &[
                "--db",
                dbs,
                "report",
                "--date",
                DAY,
                "--format",
                f,
                "--out",
                missing.to_str().unwrap(),
            ],
        );
        assert!(!o.status.success());
        assert_eq!(o.status.code(), Some(1));
        let err = stderr(&o);
        assert!(err.contains("the folder does not exist"), "{err}");
        assert!(err.contains("No partial file was left"), "{err}");
        assert!(!missing.exists());
    }
    // A full disk (a device node of our own, in a folder of its own).
    let full_dir = tempfile::tempdir().unwrap();
    let full = full_device(full_dir.path()).expect("tests run as root: mknod");
    let full = full.to_str().unwrap();
    let o = run(
        dir.path(),
        &[
            "--db", dbs, "report", "--date", DAY, "--format", "md", "--out", full,
        ],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("the disk is full"), "{}", stderr(&o));
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = std::fs::symlink_metadata(full).unwrap().file_type();
        assert!(t.is_char_device(), "the device node is still the device");
    }
    let o = run(
        dir.path(),
        &["--db", dbs, "notice", "YH-20261120-006", "--out", full],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("the disk is full"));
    // Binary formats need a file.
    let o = run(dir.path(), &["--db", dbs, "report", "--format", "xlsx"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("--out"), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    // Nothing was left behind (no temporary files either).
    let after: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(before, after);
    // Chinese messages too.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_firepatrol"))
        .args([
            "--db",
            dbs,
            "--lang",
            "zh",
            "report",
            "--format",
            "md",
            "--out",
            missing.to_str().unwrap(),
        ])
        .env("FIREPATROL_NOW", NOW)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&o.stderr).contains("文件夹不存在"));
}

#[test]
fn app_keys_preview_the_report_and_write_a_notice() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut app = open_app(&db, Lang::Zh, Some("刘建国"));
    // Record something today, then the report key on the start screen.
    press(&mut app, "<enter>");
    if app.state.walk.as_ref().unwrap().phase == Phase::Recheck {
        press(&mut app, "<enter>");
    }
    press(&mut app, "yx<enter><esc>");
    assert_eq!(app.state.screen, Screen::Start);
    press(&mut app, "e");
    assert_eq!(app.state.screen, Screen::Report);
    let reports = dir.path().join("reports");
    for ext in ["md", "csv", "xlsx", "html"] {
        assert!(
            reports.join(format!("report-2026-11-23.{ext}")).exists(),
            "{ext}"
        );
    }
    let shown = screen(&app, 100, 30);
    assert!(shown.contains("今日巡查报告"), "{shown}");
    assert!(
        shown.contains("【芙蓉南路社区】消防巡查日报 2026-11-23"),
        "{shown}"
    );
    assert!(shown.contains("报告文件已写入"), "{shown}");
    assert!(
        shown.contains("report-2026-11-23.md  .csv  .xlsx  .html"),
        "{shown}"
    );
    // The help overlay lists the key; Esc goes back.
    press(&mut app, "<esc>?");
    assert!(screen(&app, 100, 40).contains("日报（预览"));
    press(&mut app, "<esc>");
    assert_eq!(app.state.screen, Screen::Start);
    // A hazard's notice from its detail screen.
    press(&mut app, "l<enter>");
    assert_eq!(app.state.screen, Screen::Detail);
    let number = app.state.detail.as_ref().unwrap().hazard.number.clone();
    press(&mut app, "n");
    let path = reports.join(format!("notice-{number}.html"));
    assert!(path.exists());
    let shown = screen(&app, 120, 30);
    assert!(shown.contains("整改告知书已写入"), "{shown}");
    assert!(std::fs::read_to_string(&path).unwrap().contains(&number));
}

/// A hazard recorded today through the store API by `leader` in 新芙蓉之都 2栋.
fn recorded_today(db: &Path, leader: &str, party: &str, description: &str) {
    let mut s = open(db);
    let leader = person_id(&s, leader);
    let b = building_id(&s, "新芙蓉之都 2栋");
    let patrol = s.patrol_for(&leader).unwrap();
    s.record_hazard(&NewHazard {
        patrol_id: patrol,
        slot: Slot {
            building_id: b,
            unit_id: None,
            item_id: "EXIT-01".into(),
        },
        category: "escape".into(),
        spot: "一楼楼道".into(),
        description: description.into(),
        severity: firepatrol::domain::Severity::Medium,
        party_name: party.into(),
        party_room: "101".into(),
        party_phone: String::new(),
        found_by: Some(leader),
        deadline: day("2026-11-25"),
        fixed_on_spot: false,
        escalate: None,
    })
    .unwrap();
}

#[test]
fn a_resident_named_on_any_hazard_is_masked_in_every_shared_report() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    // 刘建国 records 赵桂兰 as the party of one hazard; 张德明 names her in the text of
    // another, whose party is the property company.
    recorded_today(&db, "刘建国", "赵桂兰", "楼道堆放杂物");
    recorded_today(&db, "张德明", "物业", "赵桂兰家门口堆放纸箱，堵塞楼道");
    let zhang = person_id(&open(&db), "张德明");
    // 张德明's report for today holds only his hazard, not the one whose party she is.
    let mine = ReportScope {
        inspector: Some(zhang),
        ..scope("2026-11-23", "2026-11-23")
    };
    let plain = build(&db, &mine, false);
    assert_eq!(plain.mem.found.len(), 1);
    assert!(plain.text(Lang::Zh).contains("赵桂兰家门口"));
    let shared = build(&db, &mine, true);
    for f in [Format::Text, Format::Csv, Format::Html, Format::Json] {
        let out = String::from_utf8(shared.render(Lang::Zh, f).unwrap()).unwrap();
        assert!(!out.contains("赵桂兰"), "{f:?} shows her name");
        assert!(out.contains("赵**家门口"), "{f:?} masks it in place");
    }
}

/// The id of the person called `name`.
fn person_id(s: &Store, name: &str) -> String {
    s.people()
        .unwrap()
        .into_iter()
        .find(|p| p.name == name)
        .unwrap()
        .id
}

/// The id of the building shown as `name`.
fn building_id(s: &Store, name: &str) -> String {
    s.building_summaries(None)
        .unwrap()
        .into_iter()
        .find(|b| b.building.display_name() == name)
        .unwrap()
        .building
        .id
}

#[test]
fn json_of_a_synced_community_follows_its_schema_with_the_laptop_letter_in_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let mut office = common::sync::office(dir.path());
    let mut liu = common::sync::laptop(&mut office, dir.path(), "liu.db", "刘建国");
    let h = common::sync::record(&mut liu, "刘建国", "EBK-01", None);
    let number = liu.hazard(&h.id).unwrap().unwrap().number;
    assert!(number.contains("-A0"), "{number}");
    common::sync::round_trip(&mut office, &mut liu);
    drop((office, liu));
    let v = jsonschema::validator_for(&schema()).expect("the schema is valid");
    let today = clock().today().to_string();
    for db in ["office.db", "liu.db"] {
        let r = build(&dir.path().join(db), &scope(&today, &today), false);
        let json: serde_json::Value =
            serde_json::from_slice(&r.render(Lang::En, Format::Json).unwrap()).unwrap();
        assert!(json.to_string().contains(&number), "{db}: {json}");
        let errors: Vec<String> = v.iter_errors(&json).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{db}: {errors:?}");
    }
}
