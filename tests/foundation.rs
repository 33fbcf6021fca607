//! Issue 2: the store, migrations, import rules, stats, backup, the CLI's bad-input messages.

mod common;

use common::*;
use firepatrol::error::{Error, ImportProblem};
use firepatrol::import::{parse_buildings, read_table};
use firepatrol::store::{OpenMode, Store, schema};
use std::path::Path;

const GOOD: &str = "社区,网格,小区,楼栋,地址,类型,单元数,楼层数,楼栋长,电话\n\
芙蓉南路社区,第一网格,新芙蓉之都,1栋,芙蓉南路1号,住宅,2,18,刘建国,138 0731 0001\n\
芙蓉南路社区,第一网格,新芙蓉之都,2栋,芙蓉南路2号,,3,18,刘建国,138 0731 0001\n\
芙蓉南路社区,第二网格,桂花园,车棚,桂花路,车棚,,,李桂兰,+86 139-0731-0011\n";

fn import(store: &mut Store, path: &Path) -> Result<firepatrol::import::ImportCounts, Error> {
    let table = read_table(path)?;
    let rows = parse_buildings(path, &table)?.rows;
    store.import_buildings(&rows, false)
}

#[test]
fn a_new_database_is_private_and_at_the_latest_version() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path());
    drop(s);
    let db = dir.path().join("t.db");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&db).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, schema::latest());
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn migrates_from_every_earlier_version() {
    // Version 0 is an empty SQLite file (what `create` leaves before the first migration);
    // each later version is made by applying the migrations up to it.
    for from in 0..schema::latest() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("old.db");
        {
            let conn = rusqlite::Connection::open(&db).unwrap();
            for (v, sql) in schema::MIGRATIONS.iter().enumerate().take(from as usize) {
                conn.execute_batch(sql).unwrap();
                conn.execute_batch(&format!(
                    "PRAGMA application_id = {}; PRAGMA user_version = {};",
                    firepatrol::store::APPLICATION_ID,
                    v + 1
                ))
                .unwrap();
            }
        }
        // An empty file is made a database only by `init` (Create); later versions upgrade
        // on any open.
        let mode = if from == 0 {
            OpenMode::Create
        } else {
            OpenMode::Existing
        };
        let s = Store::open(&db, mode, clock()).unwrap();
        assert_eq!(s.stats().unwrap().buildings, 0);
        assert!(s.check().unwrap().is_empty(), "from version {from}");
        let conn = rusqlite::Connection::open(&db).unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, schema::latest());
    }
}

#[test]
fn a_newer_database_is_refused_and_not_modified() {
    let dir = tempfile::tempdir().unwrap();
    drop(store(dir.path()));
    let db = dir.path().join("t.db");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(&format!(
            "PRAGMA journal_mode = DELETE; PRAGMA user_version = {};",
            schema::latest() + 1
        ))
        .unwrap();
    }
    let before = file_hash(&db);
    match Store::open(&db, OpenMode::Existing, clock()) {
        Err(Error::NewerSchema { found, .. }) => assert_eq!(found, schema::latest() + 1),
        other => panic!("expected NewerSchema, got {:?}", other.err()),
    }
    assert_eq!(file_hash(&db), before);
    assert!(!dir.path().join("t.db-wal").exists());
    let o = run(dir.path(), &["stats", "--db", db.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("newer firepatrol"), "{}", stderr(&o));
}

#[test]
fn bad_database_paths_get_clear_messages() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), &["stats", "--db", dir.path().to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("is a folder"), "{}", stderr(&o));

    let junk = write(dir.path(), "junk.db", &[0x42u8; 4096]);
    let o = run(dir.path(), &["stats", "--db", junk.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("damaged"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&junk).unwrap(), vec![0x42u8; 4096]);

    let missing = dir.path().join("none.db");
    let o = run(dir.path(), &["stats", "--db", missing.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("no database"), "{}", stderr(&o));
    assert!(!missing.exists());
}

#[test]
fn imports_a_good_file_and_reimport_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "b.csv", GOOD.as_bytes());
    let mut s = store(dir.path());
    let first = import(&mut s, &f).unwrap();
    assert_eq!(first.buildings_new, 3);
    assert_eq!(first.units, 5);
    assert_eq!(
        first.people, 2,
        "two leaders; 刘建国 listed twice is one person"
    );
    assert_eq!(first.duties, 3);
    assert_eq!((first.grids, first.compounds, first.communities), (2, 2, 1));
    let stats = s.stats().unwrap();
    let second = import(&mut s, &f).unwrap();
    assert_eq!(second.changes(), 0, "{second:?}");
    assert_eq!(second.buildings_same, 3);
    assert_eq!(s.stats().unwrap(), stats);
    let shed = s
        .building_summaries(None)
        .unwrap()
        .into_iter()
        .find(|b| b.building.name == "车棚")
        .unwrap();
    assert_eq!(shed.units, 0);
    assert_eq!(shed.building.kind, firepatrol::domain::SiteKind::BikeShed);
}

#[test]
fn a_changed_row_updates_the_building() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store(dir.path());
    import(&mut s, &write(dir.path(), "a.csv", GOOD.as_bytes())).unwrap();
    let changed = GOOD.replace("芙蓉南路1号", "芙蓉南路1号院");
    let n = import(&mut s, &write(dir.path(), "b.csv", changed.as_bytes())).unwrap();
    assert_eq!((n.buildings_changed, n.buildings_new), (1, 0));
}

#[test]
fn each_kind_of_bad_row_is_named_and_nothing_is_imported() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store(dir.path());
    type Case = (
        &'static str,
        usize,
        &'static str,
        fn(&ImportProblem) -> bool,
    );
    let cases: &[Case] = &[
        ("楼栋,单元数\n1栋,2\n,3\n", 3, "楼栋", |p| {
            *p == ImportProblem::MissingValue
        }),
        ("楼栋,单元数\n1栋,两个\n", 2, "单元数", |p| {
            matches!(p, ImportProblem::NotANumber(_))
        }),
        ("楼栋,电话\n1栋,138-abc\n", 2, "电话", |p| {
            matches!(p, ImportProblem::NotAPhone(_))
        }),
        ("楼栋,类型\n1栋,城堡\n", 2, "类型", |p| {
            matches!(p, ImportProblem::UnknownKind(_))
        }),
        ("building,units\n1,2\n1,3\n", 3, "", |p| {
            matches!(p, ImportProblem::Duplicate(2))
        }),
    ];
    for (text, row, column, check) in cases {
        let f = write(dir.path(), "bad.csv", text.as_bytes());
        match import(&mut s, &f) {
            Err(Error::Rows { problems, .. }) => {
                assert_eq!(problems.len(), 1, "{text}: {problems:?}");
                assert_eq!(problems[0].row, *row, "{text}");
                assert_eq!(problems[0].column, *column, "{text}");
                assert!(
                    check(&problems[0].problem),
                    "{text}: {:?}",
                    problems[0].problem
                );
            }
            other => panic!("{text}: expected row problems, got {other:?}"),
        }
        assert_eq!(s.stats().unwrap().buildings, 0);
    }
    // The CLI names the file, the row and the column, in the chosen language, exit non-zero.
    let f = write(
        dir.path(),
        "bad.csv",
        "楼栋,单元数\n1栋,2\n2栋,两个\n".as_bytes(),
    );
    let db = dir.path().join("cli.db");
    let o = run(
        dir.path(),
        &[
            "import",
            "buildings",
            f.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
            "--lang",
            "zh",
        ],
    );
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(
        e.contains("bad.csv") && e.contains("第 3 行“单元数”列") && e.contains("两个"),
        "{e}"
    );
    assert!(e.contains("什么都没有导入"), "{e}");
}

#[test]
fn gbk_bom_crlf_tabs_and_xlsx_all_import() {
    let dir = tempfile::tempdir().unwrap();
    let crlf = GOOD.replace('\n', "\r\n");
    let (gbk, _, _) = encoding_rs::GBK.encode(&crlf);
    let bom = [b"\xef\xbb\xbf".as_slice(), GOOD.as_bytes()].concat();
    let tabs = GOOD.replace(',', "\t");
    for (name, bytes) in [
        ("gbk.csv", gbk.to_vec()),
        ("bom.csv", bom),
        ("tabs.txt", tabs.into_bytes()),
    ] {
        let sub = tempfile::tempdir().unwrap();
        let mut s = store(sub.path());
        let n = import(&mut s, &write(dir.path(), name, &bytes)).unwrap();
        assert_eq!(n.buildings_new, 3, "{name}");
        let names: Vec<String> = s
            .building_summaries(None)
            .unwrap()
            .into_iter()
            .map(|b| b.building.display_name())
            .collect();
        assert!(
            names.contains(&"新芙蓉之都 1栋".to_string()),
            "{name}: {names:?}"
        );
    }
    // .xlsx, first sheet, numbers as numbers.
    let xlsx = dir.path().join("b.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, line) in GOOD.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            match cell.parse::<f64>() {
                Ok(n) if r > 0 => ws.write_number(r as u32, c as u16, n).map(|_| ()),
                _ => ws.write_string(r as u32, c as u16, cell).map(|_| ()),
            }
            .unwrap();
        }
    }
    wb.save(&xlsx).unwrap();
    let sub = tempfile::tempdir().unwrap();
    let mut s = store(sub.path());
    let n = import(&mut s, &xlsx).unwrap();
    assert_eq!((n.buildings_new, n.units), (3, 5));
}

#[test]
fn empty_header_only_and_unknown_encoding_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let empty = write(dir.path(), "empty.csv", b"");
    assert!(matches!(read_table(&empty), Err(Error::EmptyFile { .. })));
    let header = write(dir.path(), "header.csv", "楼栋,单元数\r\n".as_bytes());
    assert!(matches!(read_table(&header), Err(Error::HeaderOnly { .. })));
    let binary = write(
        dir.path(),
        "bin.csv",
        &[0xff, 0xfe, 0x00, 0xd8, 0x00, 0x00, 0xff, 0xff, 0x81],
    );
    assert!(matches!(
        read_table(&binary),
        Err(Error::Encoding { .. }) | Err(Error::EmptyFile { .. })
    ));
    let nonsense = write(dir.path(), "x.csv", &[0x80, 0xff, 0x80, 0xff, b'\n']);
    assert!(matches!(read_table(&nonsense), Err(Error::Encoding { .. })));
    let db = dir.path().join("t.db");
    for (f, msg) in [
        (&empty, "empty"),
        (&header, "no rows"),
        (&nonsense, "encoding"),
    ] {
        let o = run(
            dir.path(),
            &[
                "import",
                "buildings",
                f.to_str().unwrap(),
                "--db",
                db.to_str().unwrap(),
            ],
        );
        assert!(!o.status.success());
        assert!(
            stderr(&o).contains(msg)
                && stderr(&o).contains(f.file_name().unwrap().to_str().unwrap()),
            "{}",
            stderr(&o)
        );
    }
}

#[test]
fn dry_run_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "b.csv", GOOD.as_bytes());
    let db = dir.path().join("t.db");
    let o = run(
        dir.path(),
        &[
            "import",
            "buildings",
            f.to_str().unwrap(),
            "--dry-run",
            "--db",
            db.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("dry run") && stdout(&o).contains("3 new buildings"),
        "{}",
        stdout(&o)
    );
    assert!(!db.exists(), "a dry run creates no database");
}

#[test]
fn people_import_links_duties_and_names_missing_buildings() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store(dir.path());
    import(&mut s, &write(dir.path(), "b.csv", GOOD.as_bytes())).unwrap();
    let people = "姓名,角色,电话,小区,楼栋,单元\n钱玉珍,单元长,139 0731 0103,新芙蓉之都,1栋,2\n马晓燕,网格员,,,,\n";
    let f = write(dir.path(), "p.csv", people.as_bytes());
    let t = read_table(&f).unwrap();
    let rows = firepatrol::import::parse_people(&f, &t).unwrap().rows;
    let n = s.import_people(&f, &rows, false).unwrap();
    assert_eq!((n.people, n.duties), (2, 1));
    let bad = write(dir.path(), "p2.csv", "姓名,楼栋\n孙悟空,99栋\n".as_bytes());
    let t = read_table(&bad).unwrap();
    let rows = firepatrol::import::parse_people(&bad, &t).unwrap().rows;
    match s.import_people(&bad, &rows, false) {
        Err(Error::Rows { problems, .. }) => assert_eq!(
            (problems[0].row, problems[0].column.as_str()),
            (2, "building")
        ),
        other => panic!("{other:?}"),
    }
    assert!(
        !s.people().unwrap().iter().any(|p| p.name == "孙悟空"),
        "rolled back"
    );
}

#[test]
fn demo_has_every_status_and_the_cli_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let o = run(
        dir.path(),
        &["init", "--demo", "--db", db.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(
        dir.path(),
        &["stats", "--format", "json", "--db", db.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!((30..=50).contains(&v["buildings"].as_i64().unwrap()), "{v}");
    for k in ["units", "people", "patrols", "answers"] {
        assert!(v[k].as_i64().unwrap() > 0, "{k}: {v}");
    }
    for k in ["total", "open", "overdue", "rectified", "escalated"] {
        assert!(v["hazards"][k].as_i64().unwrap() > 0, "hazards.{k}: {v}");
    }
    let s = Store::open(&db, OpenMode::Existing, clock()).unwrap();
    assert!(s.check().unwrap().is_empty());
    let recurring = s
        .building_summaries(None)
        .unwrap()
        .iter()
        .flat_map(|b| s.open_hazards_at(&b.building.id).unwrap())
        .filter(|h| h.recurrence > 0)
        .count();
    assert!(recurring > 0, "the demo has a recurring hazard");
    let due_today = s.due_counts().unwrap().due_today;
    assert!(due_today > 0, "the demo has a hazard due today");
}

#[test]
fn backup_while_another_connection_writes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let s = demo_store(dir.path());
    let before = s.stats().unwrap();
    let b = s.building_summaries(None).unwrap().remove(0).building;
    let item = s.checklist_for(b.kind).unwrap().remove(0);
    let writer_db = db.clone();
    let writer = std::thread::spawn(move || {
        let mut w = Store::open(&writer_db, OpenMode::Existing, clock()).unwrap();
        let person = w.people().unwrap().remove(0).id;
        let patrol = w.patrol_for(&person).unwrap();
        let slot = firepatrol::store::Slot {
            building_id: b.id.clone(),
            unit_id: None,
            item_id: item.id.clone(),
        };
        for i in 0..200 {
            let v = if i % 2 == 0 {
                firepatrol::domain::AnswerValue::Ok
            } else {
                firepatrol::domain::AnswerValue::NotApplicable
            };
            w.record_answer(&patrol, &slot, v, None, None).unwrap();
        }
    });
    let out = dir.path().join("backup.db");
    for _ in 0..5 {
        s.backup_to(&out).unwrap();
    }
    writer.join().unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let copy = Store::open(&out, OpenMode::Existing, clock()).unwrap();
    assert!(copy.check().unwrap().is_empty());
    let after = copy.stats().unwrap();
    assert_eq!(after.buildings, before.buildings);
    assert!(after.answers >= before.answers);
    let o = run(
        dir.path(),
        &[
            "backup",
            "--db",
            db.to_str().unwrap(),
            "--out",
            dir.path().join("b2.db").to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn templates_export_and_import_and_bad_ones_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let dbs = db.to_str().unwrap();
    assert!(run(dir.path(), &["init", "--db", dbs]).status.success());
    let o = run(dir.path(), &["template", "list", "--db", dbs]);
    let list = stdout(&o);
    assert!(
        list.contains("residential") && list.contains("shop") && list.contains("bike_shed"),
        "{list}"
    );
    let out = dir.path().join("shop.json");
    let o = run(
        dir.path(),
        &[
            "template",
            "export",
            "shop",
            "--format",
            "json",
            "--out",
            out.to_str().unwrap(),
            "--db",
            dbs,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&out)
        .unwrap()
        .replace("店内配有灭火器", "店里有灭火器");
    let edited = write(dir.path(), "shop2.json", text.as_bytes());
    let o = run(
        dir.path(),
        &["template", "import", edited.to_str().unwrap(), "--db", dbs],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let s = Store::open(&db, OpenMode::Existing, clock()).unwrap();
    let shop = s.checklist_for(firepatrol::domain::SiteKind::Shop).unwrap();
    assert!(shop[0].prompt_zh.starts_with("店里有灭火器"));
    drop(s);
    let bad = write(
        dir.path(),
        "bad.toml",
        b"id = \"shop\"\nname_zh = \"x\"\nname_en = \"\"\nitems = []\n",
    );
    let o = run(
        dir.path(),
        &["template", "import", bad.to_str().unwrap(), "--db", dbs],
    );
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(
        e.contains("name_en") && e.contains("no checklist items"),
        "{e}"
    );
    // An item id that another template uses is refused.
    let t = firepatrol::domain::checklist::default_templates().remove(1);
    let mut clash = t.clone();
    clash.id = "mine".into();
    let f = write(dir.path(), "clash.json", clash.to_json().as_bytes());
    let o = run(
        dir.path(),
        &["template", "import", f.to_str().unwrap(), "--db", dbs],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("SHP-01"), "{}", stderr(&o));
}

#[test]
fn several_programs_can_open_a_backup_copy_at_once() {
    // A backup is a single rollback-journal file; the first open switches it to WAL, which
    // SQLite refuses while another connection has the file open. Every open must still work.
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path());
    let copy = dir.path().join("copy.db");
    s.backup_to(&copy).unwrap();
    drop(s);
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let p = copy.clone();
            std::thread::spawn(move || Store::open(&p, OpenMode::Existing, clock()).map(|_| ()))
        })
        .collect();
    for h in handles {
        h.join().unwrap().unwrap();
    }
}

#[cfg(unix)]
#[test]
fn exporting_to_a_device_writes_in_place_and_never_replaces_it() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let dbs = db.to_str().unwrap();
    assert!(run(dir.path(), &["init", "--db", dbs]).status.success());
    let full = full_device(dir.path()).expect("tests run as root: mknod");
    let o = run(
        dir.path(),
        &[
            "template",
            "export",
            "shop",
            "--out",
            full.to_str().unwrap(),
            "--db",
            dbs,
        ],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("disk is full"), "{}", stderr(&o));
    assert!(
        std::fs::symlink_metadata(&full)
            .unwrap()
            .file_type()
            .is_char_device(),
        "the device node must stay a device"
    );
    // A missing folder: a clear message, no file anywhere.
    let target = dir.path().join("missing").join("x.toml");
    let o = run(
        dir.path(),
        &[
            "template",
            "export",
            "shop",
            "--out",
            target.to_str().unwrap(),
            "--db",
            dbs,
        ],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("x.toml"), "{}", stderr(&o));
    assert!(!dir.path().join("missing").exists());
}

#[test]
fn migrations_2_and_3_on_existing_data_rebuild_the_tallies() {
    // A demo database at the latest version; strip version 2 off it, as a database written
    // by version 1 would be, and open it again: the migration rebuilds the tallies, which
    // must equal the ones kept up to date event by event.
    let dir = tempfile::tempdir().unwrap();
    let s = demo_store(dir.path());
    let want = (
        s.stats().unwrap(),
        s.due_counts().unwrap(),
        s.open_by_category().unwrap(),
        s.found_vs_rectified(30).unwrap(),
    );
    assert!(s.verify_tallies().unwrap().is_empty());
    drop(s);
    let db = dir.path().join("t.db");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "DROP TABLE open_tally; DROP TABLE status_tally; DROP TABLE daily_tally;
             DROP INDEX hazard_state_order; DROP INDEX hazard_found_at; DROP INDEX hazard_state_counts;
             DROP INDEX hazard_severity; ALTER TABLE hazard DROP COLUMN severity_rank;
             DROP TABLE chain_head;
             DELETE FROM meta WHERE key = 'chain_per_device_after';
             DROP TABLE hazard_photo; DROP TABLE photo; DROP TABLE roster_change;
             DROP TABLE sync_outbox; DELETE FROM sqlite_sequence; DROP TABLE sync_inbox; DROP TABLE sync_device_alias;
             DROP TABLE sync_device; DROP TABLE id_alias; DROP TABLE sync_conflict;
             DROP INDEX answer_seq;
             DROP TRIGGER answer_tally_insert; DROP TABLE answer_tally;
             DROP INDEX event_day; DROP INDEX hazard_found_by;
             DROP TRIGGER visit_day_answer; DROP TRIGGER visit_day_patrol; DROP TABLE visit_day;
             DROP INDEX hazard_party; DROP INDEX event_escalated; DROP INDEX event_office_response;
             DROP TRIGGER visit_tally_insert; DROP TABLE visit_tally;
             DROP TABLE row_seal; DROP TABLE sync_proposal; DROP TABLE sync_sent;
             DROP INDEX event_entity; ALTER TABLE event DROP COLUMN hlc;
             CREATE INDEX event_entity ON event (entity, entity_id);
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let s = Store::open(&db, OpenMode::Existing, clock()).unwrap();
    let got = (
        s.stats().unwrap(),
        s.due_counts().unwrap(),
        s.open_by_category().unwrap(),
        s.found_vs_rectified(30).unwrap(),
    );
    assert_eq!(got, want);
    // The faked version 1 keeps the event log of today's schema (with each event's parent,
    // which version 1 could not have): only the tallies and states are this test's concern.
    assert!(s.verify_tallies().unwrap().is_empty());
    assert!(s.verify_hazard_states().unwrap().is_empty());
}

#[test]
fn a_version_3_database_with_records_is_sealed_and_checks_clean_after_upgrading() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v3.db");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        for (v, sql) in schema::MIGRATIONS.iter().enumerate().take(3) {
            conn.execute_batch(sql).unwrap();
            conn.execute_batch(&format!(
                "PRAGMA application_id = {}; PRAGMA user_version = {};",
                firepatrol::store::APPLICATION_ID,
                v + 1
            ))
            .unwrap();
        }
        conn.execute_batch(
            "INSERT INTO meta (key, value) VALUES ('device_id', 'old-laptop');
             INSERT INTO community (id, name, created_at, device_id) VALUES ('c1', '芙蓉南路社区', '2026-01-01T08:00:00+08:00', 'old-laptop');
             INSERT INTO building (id, community_id, name, kind, created_at, device_id)
                 VALUES ('b1', 'c1', '1栋', 'residential', '2026-01-01T08:00:00+08:00', 'old-laptop');",
        )
        .unwrap();
    }
    let s = Store::open(&db, OpenMode::Existing, clock()).unwrap();
    assert_eq!(s.stats().unwrap().buildings, 1);
    let problems = s.check().unwrap();
    assert!(problems.is_empty(), "{problems:?}");
}

/// Issue 12: `stats` counts the answers in force from a tally kept with every answer (the
/// newest per item of each patrol, not taken back): it equals the count over the answers
/// after answers, changes and take-backs, on units and on buildings, and `check` agrees.
#[test]
fn the_answer_tally_equals_the_answers_in_force() {
    use firepatrol::domain::AnswerValue;
    let dir = tempfile::tempdir().unwrap();
    let mut s = demo_store(dir.path());
    let db = dir.path().join("t.db");
    let brute = || {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.query_row(
            "SELECT count(*) FROM (SELECT value, row_number() OVER (
                PARTITION BY patrol_id, building_id, unit_id, item_id ORDER BY seq DESC) AS rn
             FROM answer) WHERE rn = 1 AND value <> 'cleared'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
    };
    assert_eq!(s.stats().unwrap().answers, brute());
    assert!(brute() > 0, "the demo has answers");
    let b = s.building_summaries(None).unwrap().remove(0).building;
    let items = s.checklist_for(b.kind).unwrap();
    let person = s.people().unwrap().remove(0).id;
    let patrol = s.patrol_for(&person).unwrap();
    let unit = s.units(&b.id).unwrap().first().map(|u| u.id.clone());
    let steps = [
        (0, None, AnswerValue::Ok),
        (0, None, AnswerValue::NotApplicable),
        (0, None, AnswerValue::Cleared),
        (0, None, AnswerValue::Cleared),
        (0, None, AnswerValue::Ok),
        (1, unit.clone(), AnswerValue::Ok),
        (1, unit.clone(), AnswerValue::Cleared),
        (2, unit.clone(), AnswerValue::NotApplicable),
        (1, None, AnswerValue::Ok),
    ];
    for (k, unit_id, v) in steps {
        let slot = firepatrol::store::Slot {
            building_id: b.id.clone(),
            unit_id,
            item_id: items[k].id.clone(),
        };
        s.record_answer(&patrol, &slot, v, None, None).unwrap();
        assert_eq!(s.stats().unwrap().answers, brute(), "after {v:?}");
    }
    assert!(s.check().unwrap().is_empty());
}
