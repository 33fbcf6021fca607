//! People and their duties kept by the office, the service plates on every entrance, and
//! photos of hazards. Golden files are in tests/golden/; after an intended change:
//! `UPDATE_GOLDEN=1 cargo test --test people`.

mod common;

use common::{clock, demo_copy, run, stderr, stdout};
use firepatrol::domain::Role;
use firepatrol::domain::roster::BuildingRow;
use firepatrol::i18n::Lang;
use firepatrol::store::{OpenMode, Store};
use std::path::{Path, PathBuf};

fn db_arg(db: &Path) -> String {
    db.display().to_string()
}

fn fp(dir: &Path, db: &Path, args: &[&str]) -> std::process::Output {
    let d = db_arg(db);
    let mut all: Vec<&str> = vec!["--db", &d];
    all.extend_from_slice(args);
    run(dir, &all)
}

fn sql_count(db: &Path, sql: &str) -> i64 {
    let c = rusqlite::Connection::open(db).unwrap();
    c.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn events_of(db: &Path, entity_id: &str) -> Vec<(String, String, String, String)> {
    let c = rusqlite::Connection::open(db).unwrap();
    let mut st = c
        .prepare(
            "SELECT action, ifnull(old_value, ''), ifnull(new_value, ''), note FROM event
             WHERE entity_id = ?1 AND entity NOT LIKE 'row.%' ORDER BY seq",
        )
        .unwrap();
    st.query_map([entity_id], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

fn person_id(db: &Path, name: &str) -> String {
    let c = rusqlite::Connection::open(db).unwrap();
    c.query_row("SELECT id FROM person WHERE name = ?1", [name], |r| {
        r.get(0)
    })
    .unwrap()
}

#[test]
fn the_office_adds_a_unit_leader_changes_her_phone_and_moves_her_to_another_entrance() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let ok = |o: &std::process::Output| assert!(o.status.success(), "{}", stderr(o));

    let o = fp(
        dir.path(),
        &db,
        &[
            "people",
            "add",
            "林小红",
            "--role",
            "单元长",
            "--phone",
            "139 0000 1111",
        ],
    );
    ok(&o);
    assert!(stdout(&o).contains("林小红"), "{}", stdout(&o));
    let id = person_id(&db, "林小红");

    ok(&fp(
        dir.path(),
        &db,
        &["people", "edit", "林小红", "--phone", "139 0000 2222"],
    ));
    ok(&fp(
        dir.path(),
        &db,
        &[
            "people",
            "assign",
            "林小红",
            "--building",
            "新芙蓉之都 2栋",
            "--unit",
            "2",
        ],
    ));
    ok(&fp(
        dir.path(),
        &db,
        &[
            "people",
            "unassign",
            "林小红",
            "--building",
            "新芙蓉之都 2栋",
            "--unit",
            "2",
        ],
    ));
    ok(&fp(
        dir.path(),
        &db,
        &[
            "people",
            "assign",
            "林小红",
            "--building",
            "新芙蓉之都 3栋",
            "--unit",
            "1",
        ],
    ));

    // The list says what is in force now.
    let o = fp(dir.path(), &db, &["people", "--format", "json"]);
    ok(&o);
    let list: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let her = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "林小红")
        .expect("listed");
    assert_eq!(her["phone"], "139 0000 2222");
    assert_eq!(her["role"], "unit_leader");
    assert_eq!(her["retired"], false);
    let duties: Vec<(String, i64)> = her["duties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["building"].as_str().unwrap().to_string(),
                d["unit"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(duties, vec![("新芙蓉之都 3栋".to_string(), 1)]);

    // Each change is an event, with when, and the old and new value; by the office.
    let events = events_of(&db, &id);
    let actions: Vec<&str> = events.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(actions, vec!["created", "phone"]);
    assert_eq!(
        events[1],
        (
            "phone".into(),
            "139 0000 1111".into(),
            "139 0000 2222".into(),
            "office".into()
        )
    );
    let duty_events = sql_count(
        &db,
        &format!(
            "SELECT count(*) FROM event e JOIN duty d ON d.id = e.entity_id
             WHERE d.person_id = '{id}' AND e.entity = 'duty' AND e.action IN ('created', 'unassigned')"
        ),
    );
    assert_eq!(duty_events, 3, "two assignments made, one taken back");
    // The unassigned duty is still there: ended, not deleted.
    assert_eq!(
        sql_count(
            &db,
            &format!("SELECT count(*) FROM duty WHERE person_id = '{id}'")
        ),
        2
    );

    // Every row written is sealed: the check finds nothing wrong.
    let o = fp(dir.path(), &db, &["check"]);
    ok(&o);
}

#[test]
fn changes_are_checked_as_at_import_and_a_refusal_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let events = || sql_count(&db, "SELECT count(*) FROM event");
    let before = events();
    let refused = |args: &[&str], says: &str| {
        let o = fp(dir.path(), &db, args);
        assert!(!o.status.success(), "{args:?} should be refused");
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
    };
    refused(
        &[
            "people",
            "add",
            "林小红",
            "--role",
            "单元长",
            "--phone",
            "138abc",
        ],
        "not a phone number",
    );
    refused(
        &[
            "people",
            "add",
            "  ",
            "--role",
            "单元长",
            "--phone",
            "13800001111",
        ],
        "cannot be blank",
    );
    refused(
        &[
            "people",
            "add",
            "林小红",
            "--role",
            "队长",
            "--phone",
            "13800001111",
        ],
        "片长",
    );
    // 刘建国 138 0731 0001 is in the demo already.
    refused(
        &[
            "people",
            "add",
            "刘建国",
            "--role",
            "楼栋长",
            "--phone",
            "138 0731 0001",
        ],
        "already listed",
    );
    refused(
        &[
            "people",
            "assign",
            "刘建国",
            "--building",
            "新芙蓉之都 2栋",
            "--unit",
            "9",
        ],
        "has no unit 9",
    );
    refused(
        &["people", "assign", "刘建国", "--building", "新芙蓉之都 2栋"],
        "already looks after",
    );
    refused(
        &["people", "assign", "刘建国", "--building", "2栋"],
        "several buildings",
    );
    refused(
        &["people", "unassign", "刘建国", "--building", "锦绣家园 1栋"],
        "does not look after",
    );
    refused(&["people", "edit", "刘建国"], "Nothing to change");
    refused(
        &["people", "edit", "刘建国", "--phone", "12"],
        "not a phone number",
    );
    refused(&["people", "retire", "没有这个人"], "");
    assert_eq!(events(), before, "nothing was logged");
    assert_eq!(
        sql_count(&db, "SELECT count(*) FROM person WHERE name = '林小红'"),
        0
    );
}

#[test]
fn a_leader_who_retires_keeps_their_history_but_takes_no_new_duties() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    // Whoever found the most hazards in the demo.
    let (name, found): (String, i64) = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT p.name, count(*) FROM hazard h JOIN person p ON p.id = h.found_by
             GROUP BY p.id ORDER BY 2 DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(found > 0);
    let number: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT h.number FROM hazard h JOIN person p ON p.id = h.found_by WHERE p.name = ?1 LIMIT 1",
            [&name],
            |r| r.get(0),
        )
        .unwrap();

    let o = fp(dir.path(), &db, &["people", "retire", &name]);
    assert!(o.status.success(), "{}", stderr(&o));

    // Listed as retired, looking after nothing now.
    let list: serde_json::Value = serde_json::from_str(&stdout(&fp(
        dir.path(),
        &db,
        &["people", "--format", "json"],
    )))
    .unwrap();
    let them = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name.as_str())
        .unwrap();
    assert_eq!(them["retired"], true);
    assert!(them["duties"].as_array().unwrap().is_empty());
    // Their hazards still name them, and nothing was deleted.
    let o = fp(dir.path(), &db, &["hazard", &number]);
    assert!(stdout(&o).contains(&name), "{}", stdout(&o));
    assert_eq!(
        sql_count(
            &db,
            &format!(
                "SELECT count(*) FROM hazard h JOIN person p ON p.id = h.found_by WHERE p.name = '{name}'"
            )
        ),
        found
    );
    // Their report can still be made; they are no longer offered as the one patrolling.
    let o = fp(
        dir.path(),
        &db,
        &[
            "report",
            "--from",
            "2026-01-01",
            "--to",
            "2026-11-23",
            "--inspector",
            &name,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let store = Store::open(&db, OpenMode::Existing, clock()).unwrap();
    assert!(
        store
            .people_in_service()
            .unwrap()
            .iter()
            .all(|p| p.name != name)
    );
    drop(store);
    // No new duties, and retiring twice says so.
    let o = fp(
        dir.path(),
        &db,
        &["people", "assign", &name, "--building", "锦绣家园 1栋"],
    );
    assert!(stderr(&o).contains("has retired"), "{}", stderr(&o));
    let o = fp(dir.path(), &db, &["people", "retire", &name]);
    assert!(stderr(&o).contains("already retired"), "{}", stderr(&o));
    assert!(fp(dir.path(), &db, &["check"]).status.success());
}

// ---------------------------------------------------------------- plates

/// A small community of our own: one building with two entrances and one without units.
fn plate_store(dir: &Path) -> Store {
    let mut s = Store::open(&dir.join("plates.db"), OpenMode::Create, clock()).unwrap();
    let row = |building: &str, units: Option<u32>| BuildingRow {
        row: 2,
        community: "芙蓉社区".into(),
        grid: "第一网格".into(),
        compound: "新芙蓉之都".into(),
        building: building.into(),
        address: String::new(),
        kind: firepatrol::domain::SiteKind::Residential,
        units,
        floors: Some(6),
        leader: String::new(),
        phone: String::new(),
    };
    s.import_buildings(&[row("2栋", Some(2)), row("集中充电棚", None)], false)
        .unwrap();
    let area = s
        .add_person("何秋菊", Role::AreaLeader, "139 0731 0102")
        .unwrap();
    let building = s
        .add_person("刘建国", Role::BuildingLeader, "138 0731 0001")
        .unwrap();
    let unit = s
        .add_person("蒋丽", Role::UnitLeader, "138-0731-0105")
        .unwrap();
    s.add_person("社区办公室", Role::Office, "0731-8888 6119")
        .unwrap();
    let all = s.all_buildings().unwrap();
    let b2 = all.iter().find(|b| b.name == "2栋").unwrap().clone();
    let shed = all.iter().find(|b| b.name == "集中充电棚").unwrap().clone();
    s.assign(&area, &b2, None).unwrap();
    s.assign(&area, &shed, None).unwrap();
    s.assign(&building, &b2, None).unwrap();
    s.assign(&unit, &b2, Some(1)).unwrap();
    s
}

fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("no golden {name}; UPDATE_GOLDEN=1 cargo test --test people"));
    assert!(want == actual, "{name} differs from its golden file");
}

/// The modules of an inline QR SVG (the renderer writes one `M x y h w v h` rectangle per
/// run of dark modules, quiet zone included): its size and which modules are dark.
fn svg_modules(svg: &str) -> (usize, Vec<Vec<bool>>) {
    let size: usize = svg
        .split("width=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let path = svg
        .split(" d=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let mut dark = vec![vec![false; size]; size];
    for rect in path.split('M').skip(1) {
        // "x y" "h" "w" "v" "h" "H" ...
        let nums: Vec<usize> = rect
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().unwrap())
            .collect();
        let (x, y, w, h) = (nums[0], nums[1], nums[2], nums[3]);
        for row in dark.iter_mut().skip(y).take(h) {
            for cell in row.iter_mut().skip(x).take(w) {
                *cell = true;
            }
        }
    }
    (size, dark)
}

/// The inline SVGs of a page.
fn svgs(html: &str) -> Vec<&str> {
    html.split("<svg")
        .skip(1)
        .map(|svg| &svg[..svg.find("</svg>").unwrap()])
        .collect()
}

/// The QR codes of a page, decoded: each inline SVG drawn module by module and read back
/// with rqrr.
fn decode_qrs(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for svg in svgs(html) {
        let (size, dark) = svg_modules(svg);
        // Four pixels a module, as a camera would see a sharp print.
        let scale = 4;
        let mut img =
            rqrr::PreparedImage::prepare_from_greyscale(size * scale, size * scale, |x, y| {
                if dark[y / scale][x / scale] { 0 } else { 255 }
            });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code per picture");
        out.push(grids[0].decode().expect("the QR code decodes").1);
    }
    out
}

/// A QR code as a screenshot shows it: drawn at `px` pixels a module (not a whole number: a
/// browser scales the SVG to the plate's size), anti-aliased (each pixel the share of dark
/// ink it covers), dark grey ink on off-white paper, inside a wider page margin, and blurred
/// if asked (3x3 box, like a phone camera's picture of a screen). Returns (width, pixels).
fn screenshot(
    size: usize,
    dark: &[Vec<bool>],
    px: f64,
    margin: usize,
    blur: bool,
) -> (usize, Vec<u8>) {
    let (ink, paper) = (40.0, 235.0);
    let n = (size as f64 * px).ceil() as usize + 2 * margin;
    let mut sharp = vec![paper as u8; n * n];
    const SUB: usize = 4;
    for y in 0..n {
        for x in 0..n {
            let mut covered = 0;
            for sy in 0..SUB {
                for sx in 0..SUB {
                    let fx = (x as f64 - margin as f64 + (sx as f64 + 0.5) / SUB as f64) / px;
                    let fy = (y as f64 - margin as f64 + (sy as f64 + 0.5) / SUB as f64) / px;
                    if fx >= 0.0 && fy >= 0.0 {
                        let (mx, my) = (fx as usize, fy as usize);
                        if my < size && mx < size && dark[my][mx] {
                            covered += 1;
                        }
                    }
                }
            }
            let share = covered as f64 / (SUB * SUB) as f64;
            sharp[y * n + x] = (paper - share * (paper - ink)).round() as u8;
        }
    }
    if !blur {
        return (n, sharp);
    }
    let mut blurred = sharp.clone();
    for y in 1..n - 1 {
        for x in 1..n - 1 {
            let mut sum = 0u32;
            for dy in 0..3 {
                for dx in 0..3 {
                    sum += u32::from(sharp[(y + dy - 1) * n + (x + dx - 1)]);
                }
            }
            blurred[y * n + x] = (sum / 9) as u8;
        }
    }
    (n, blurred)
}

#[test]
fn a_plates_qr_code_read_from_a_screenshot_is_the_leaders_contact() {
    let dir = tempfile::tempdir().unwrap();
    let s = plate_store(dir.path());
    let b2 = s
        .all_buildings()
        .unwrap()
        .into_iter()
        .find(|b| b.name == "2栋")
        .unwrap();
    let plates = s.plates_of(&b2).unwrap();
    let html = firepatrol::report::plate::render(
        &plates[..1],
        &s.office_phone().unwrap(),
        firepatrol::report::plate::Paper::A5,
        Lang::Zh,
    );
    // The unit leader's code (the third on unit 1's plate), the longest vCard of the plate.
    let want = firepatrol::report::plate::vcard(&plates[0].leaders[2], &plates[0], Lang::Zh);
    let (size, dark) = svg_modules(svgs(&html)[2]);
    // The plate draws the code 27 mm wide: a screenshot at 96 dpi gives under 2 pixels a
    // module (too few for rqrr), one on a 2x screen or of the page zoomed in 3 to 4, a phone's
    // camera more. Sharp at 2 and 3 pixels a module; blurred from 3.3 (rqrr finds no code in
    // a blurred picture below that).
    for (px, blur) in [
        (2.0, false),
        (3.0, false),
        (3.3, true),
        (4.0, true),
        (5.7, true),
    ] {
        let (n, grey) = screenshot(size, &dark, px, 24, blur);
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(n, n, |x, y| grey[y * n + x]);
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code at {px:.2} px a module");
        let (_, text) = grids[0]
            .decode()
            .unwrap_or_else(|e| panic!("decodes at {px:.2} px a module: {e}"));
        assert_eq!(text, want, "at {px:.2} px a module");
    }
    assert!(want.contains("FN:蒋丽\r\n") && want.contains("TEL;TYPE=CELL:138-0731-0105\r\n"));
}

#[test]
fn plates_for_a_compound_match_their_golden_file_and_each_qr_code_is_the_leaders_contact() {
    let dir = tempfile::tempdir().unwrap();
    let s = plate_store(dir.path());
    let mut plates = Vec::new();
    for b in s.all_buildings().unwrap() {
        plates.extend(s.plates_of(&b).unwrap());
    }
    // Two entrances of 2栋 and the bike shed without units.
    assert_eq!(plates.len(), 3);
    let html = firepatrol::report::plate::render(
        &plates,
        &s.office_phone().unwrap(),
        firepatrol::report::plate::Paper::A5,
        Lang::Zh,
    );
    golden("plates-新芙蓉之都.html", &html);
    assert!(html.contains("size: A5"));
    assert!(html.contains("0731-8888 6119"), "the office's phone");
    for duty in firepatrol::domain::roster::LEADER_DUTIES {
        assert!(html.contains(duty));
    }
    // Unit 1: area, building and unit leader; unit 2 has no unit leader yet.
    let unit1 = html.split("<section").nth(1).unwrap();
    let unit2 = html.split("<section").nth(2).unwrap();
    for name in ["何秋菊", "刘建国", "蒋丽"] {
        assert!(unit1.contains(name));
    }
    assert!(!unit2.contains("蒋丽") && unit2.contains("（待安排）"));

    let decoded = decode_qrs(&html);
    // 3 on unit 1, 2 on unit 2, 1 (the area leader) on the shed.
    assert_eq!(decoded.len(), 6);
    let want = firepatrol::report::plate::vcard(&plates[0].leaders[2], &plates[0], Lang::Zh);
    assert_eq!(decoded[2], want);
    assert!(decoded[2].contains("FN:蒋丽\r\n"), "{}", decoded[2]);
    assert!(decoded[2].contains("TEL;TYPE=CELL:138-0731-0105\r\n"));
    assert!(decoded[2].contains("TITLE:单元长\r\n"));
    assert!(decoded[0].contains("FN:何秋菊") && decoded[0].contains("TITLE:片长"));
}

#[test]
fn plates_never_show_residents_and_leave_out_who_has_retired() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let out = dir.path().join("plates.html");
    let o = fp(
        dir.path(),
        &db,
        &[
            "plate",
            "--compound",
            "新芙蓉之都",
            "--paper",
            "a4",
            "--out",
            &out.display().to_string(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("size: A4"));
    let c = rusqlite::Connection::open(&db).unwrap();
    let residents: Vec<(String, String)> = c
        .prepare("SELECT party_name, party_phone FROM hazard")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(!residents.is_empty());
    for (name, phone) in residents {
        assert!(
            name.is_empty() || !html.contains(&name),
            "resident {name} on a plate"
        );
        assert!(
            phone.is_empty() || !html.contains(&phone),
            "resident's phone on a plate"
        );
    }
    assert!(html.contains("刘建国"));
    assert!(
        fp(dir.path(), &db, &["people", "retire", "刘建国"])
            .status
            .success()
    );
    assert!(
        fp(
            dir.path(),
            &db,
            &[
                "plate",
                "--compound",
                "新芙蓉之都",
                "--out",
                &out.display().to_string()
            ]
        )
        .status
        .success()
    );
    assert!(!std::fs::read_to_string(&out).unwrap().contains("刘建国"));
}

// ---------------------------------------------------------------- photos

/// A small JPEG picture, with the camera's time in its EXIF data when given.
fn jpeg(seed: u8, taken: Option<&str>) -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([x as u8 * 4, y as u8 * 5, seed.wrapping_mul(37)])
    });
    let mut plain = Vec::new();
    img.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
        &mut plain, 85,
    ))
    .unwrap();
    let Some(taken) = taken else { return plain };
    let field = exif::Field {
        tag: exif::Tag::DateTimeOriginal,
        ifd_num: exif::In::PRIMARY,
        value: exif::Value::Ascii(vec![taken.as_bytes().to_vec()]),
    };
    let mut w = exif::experimental::Writer::new();
    w.push_field(&field);
    let mut tiff = std::io::Cursor::new(Vec::new());
    w.write(&mut tiff, false).unwrap();
    let tiff = tiff.into_inner();
    // APP1 "Exif\0\0" + TIFF, right after the start-of-image marker.
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&u16::try_from(tiff.len() + 8).unwrap().to_be_bytes());
    out.extend_from_slice(b"Exif\0\0");
    out.extend_from_slice(&tiff);
    out.extend_from_slice(&plain[2..]);
    out
}

fn photo_files(db: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(firepatrol::paths::photos_dir(db))
        .map(|r| r.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

/// Two hazards recorded on the same day, a while apart: (number, id, local time).
fn two_hazards_one_day(db: &Path) -> Vec<(String, String, chrono::NaiveDateTime)> {
    let c = rusqlite::Connection::open(db).unwrap();
    let day: String = c
        .query_row(
            "SELECT found_day FROM hazard GROUP BY found_day
             HAVING max(found_at) > min(found_at) ORDER BY found_day DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut st = c
        .prepare("SELECT number, id, found_at FROM hazard WHERE found_day = ?1 ORDER BY found_at")
        .unwrap();
    let all: Vec<(String, String, chrono::NaiveDateTime)> = st
        .query_map([&day], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?))
        })
        .unwrap()
        .map(|r| {
            let (n, id, at) = r.unwrap();
            (
                n,
                id,
                chrono::DateTime::parse_from_rfc3339(&at)
                    .unwrap()
                    .naive_local(),
            )
        })
        .collect();
    vec![all[0].clone(), all[all.len() - 1].clone()]
}

fn exif_time(t: chrono::NaiveDateTime) -> String {
    t.format("%Y:%m:%d %H:%M:%S").to_string()
}

#[test]
fn a_photo_is_kept_once_by_its_hash_readable_by_the_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let hz = two_hazards_one_day(&db);
    let pic = common::write(dir.path(), "IMG_0001.jpg", &jpeg(1, None));
    let same = common::write(dir.path(), "copy of IMG_0001.jpg", &jpeg(1, None));
    let o = fp(
        dir.path(),
        &db,
        &["hazard", &hz[0].0, "--photo", &pic.display().to_string()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Photos: 1"), "{}", stdout(&o));
    // The same picture again, under another name and for another hazard: not kept twice.
    let o = fp(
        dir.path(),
        &db,
        &[
            "hazard",
            &hz[1].0,
            "--photo",
            &same.display().to_string(),
            &pic.display().to_string(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let files = photo_files(&db);
    use sha2::Digest;
    let hash: String = sha2::Sha256::digest(jpeg(1, None))
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        vec![format!("{hash}.jpg"), format!("{hash}.thumb.jpg")]
    );
    use std::os::unix::fs::PermissionsExt;
    for f in &files {
        assert_eq!(
            std::fs::metadata(f).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let folder = firepatrol::paths::photos_dir(&db);
    assert_eq!(
        std::fs::metadata(folder).unwrap().permissions().mode() & 0o777,
        0o700
    );
    assert_eq!(std::fs::read(&files[0]).unwrap(), jpeg(1, None));
    assert_eq!(sql_count(&db, "SELECT count(*) FROM photo"), 1);
    assert_eq!(sql_count(&db, "SELECT count(*) FROM hazard_photo"), 2);
    assert!(fp(dir.path(), &db, &["check"]).status.success());
}

#[test]
fn bad_oversized_and_non_image_files_are_refused_and_nothing_is_half_attached() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let hz = two_hazards_one_day(&db);
    let good = common::write(dir.path(), "good.jpg", &jpeg(2, None));
    let text = common::write(dir.path(), "notes.jpg", "这不是照片".as_bytes());
    let whole = jpeg(3, None);
    let cut = common::write(dir.path(), "cut.jpg", &whole[..whole.len() / 2]);
    let big = dir.path().join("huge.jpg");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(26 * 1024 * 1024)
        .unwrap();
    let fifo = dir.path().join("pipe.jpg");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    for (bad, says) in [
        (&text, "not a photo"),
        (&cut, "damaged or cut short"),
        (&big, "too large"),
        (&fifo, "not a regular file"),
    ] {
        let o = fp(
            dir.path(),
            &db,
            &[
                "hazard",
                &hz[0].0,
                "--photo",
                &good.display().to_string(),
                &bad.display().to_string(),
            ],
        );
        assert!(!o.status.success());
        let err = stderr(&o);
        assert!(
            err.contains(says) && err.contains("No photo was attached"),
            "{err}"
        );
        assert!(
            err.contains(&*bad.file_name().unwrap().to_string_lossy()),
            "names the file: {err}"
        );
    }
    assert_eq!(sql_count(&db, "SELECT count(*) FROM hazard_photo"), 0);
    assert!(photo_files(&db).is_empty(), "no file kept either");
}

#[test]
fn a_phones_folder_is_matched_by_the_cameras_time_and_attached_after_asking() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let hz = two_hazards_one_day(&db);
    let phone = dir.path().join("DCIM");
    std::fs::create_dir(&phone).unwrap();
    let minutes = |m: i64| chrono::Duration::minutes(m);
    common::write(
        &phone,
        "IMG_1.jpg",
        &jpeg(10, Some(&exif_time(hz[0].2 + minutes(2)))),
    );
    common::write(
        &phone,
        "IMG_2.jpg",
        &jpeg(11, Some(&exif_time(hz[1].2 - minutes(1)))),
    );
    // Taken the next day at the same hour: no hazard that day, never matched to this one.
    common::write(
        &phone,
        "IMG_3.jpg",
        &jpeg(12, Some(&exif_time(hz[0].2 + chrono::Duration::days(400)))),
    );
    common::write(&phone, "IMG_4.jpg", &jpeg(13, None));
    common::write(&phone, "VID_5.mp4", b"not a picture at all");
    let dir_arg = phone.display().to_string();

    // Asked, and answered no: nothing attached.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_firepatrol"))
        .args(["--db", &db_arg(&db), "photos", "import", &dir_arg])
        .env("FIREPATROL_NOW", common::NOW)
        .env("LANG", "en_US.UTF-8")
        .env("HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path().join("xdg"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"n\n").unwrap();
    let o = child.wait_with_output().unwrap();
    let shown = stdout(&o);
    assert!(
        shown.contains(&format!(
            "IMG_1.jpg (taken {}",
            (hz[0].2 + minutes(2)).format("%Y-%m-%d %H:%M")
        )),
        "{shown}"
    );
    assert!(shown.contains(&format!("-> {}", hz[0].0)), "{shown}");
    assert!(
        shown.contains(&format!(
            "IMG_2.jpg (taken {}",
            (hz[1].2 - minutes(1)).format("%Y-%m-%d %H:%M")
        )),
        "{shown}"
    );
    assert!(shown.contains(&format!("-> {}", hz[1].0)), "{shown}");
    assert!(
        shown.contains("IMG_3.jpg: no hazard was recorded"),
        "{shown}"
    );
    assert!(
        shown.contains("IMG_4.jpg: the photo carries no time"),
        "{shown}"
    );
    assert!(shown.contains("VID_5.mp4: not a photo"), "{shown}");
    assert!(shown.contains("Attach these 2 photos"), "{shown}");
    assert!(shown.contains("Cancelled"), "{shown}");
    assert_eq!(sql_count(&db, "SELECT count(*) FROM hazard_photo"), 0);

    // --yes attaches without asking, each to its hazard.
    let o = fp(dir.path(), &db, &["photos", "import", &dir_arg, "--yes"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Attached 2 photos"), "{}", stdout(&o));
    for (h, seed) in [(&hz[0], 10u8), (&hz[1], 11)] {
        let taken = if seed == 10 {
            hz[0].2 + minutes(2)
        } else {
            hz[1].2 - minutes(1)
        };
        let stored: String = rusqlite::Connection::open(&db)
            .unwrap()
            .query_row(
                "SELECT p.taken_at FROM hazard_photo l JOIN photo p ON p.id = l.photo_id WHERE l.hazard_id = ?1",
                [&h.1],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(stored, taken.format("%Y-%m-%dT%H:%M:%S").to_string());
    }
    // Importing the same folder again attaches nothing new.
    let o = fp(dir.path(), &db, &["photos", "import", &dir_arg, "--yes"]);
    assert!(stdout(&o).contains("Attached 0 photos"), "{}", stdout(&o));
    assert_eq!(sql_count(&db, "SELECT count(*) FROM hazard_photo"), 2);
}

#[test]
fn thumbnails_appear_in_the_html_report_and_on_the_notice_but_not_when_masked() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let hz = two_hazards_one_day(&db);
    let pic = common::write(dir.path(), "p.jpg", &jpeg(7, None));
    assert!(
        fp(
            dir.path(),
            &db,
            &["hazard", &hz[0].0, "--photo", &pic.display().to_string()]
        )
        .status
        .success()
    );
    let day = hz[0].2.format("%Y-%m-%d").to_string();
    // The office's full copy shows the photo; what is shared is masked, and a picture cannot
    // be masked, so it has none.
    let o = fp(
        dir.path(),
        &db,
        &["report", "--date", &day, "--format", "html", "--full"],
    );
    let html = stdout(&o);
    assert_eq!(
        html.matches("src=\"data:image/jpeg;base64,").count(),
        1,
        "one thumbnail"
    );
    let o = fp(
        dir.path(),
        &db,
        &["report", "--date", &day, "--format", "html"],
    );
    assert!(
        !stdout(&o).contains("data:image/jpeg"),
        "a picture cannot be masked"
    );
    let o = fp(
        dir.path(),
        &db,
        &["notice", &hz[0].0, "--out", "-", "--full"],
    );
    assert_eq!(
        stdout(&o).matches("src=\"data:image/jpeg;base64,").count(),
        1,
        "on the resident's copy"
    );
    let o = fp(
        dir.path(),
        &db,
        &["report", "--date", &day, "--format", "json"],
    );
    assert!(!stdout(&o).contains("base64"), "the JSON form is unchanged");
}
