//! Issue 12: the report streams its hazard lists from the database. What it writes must be
//! byte for byte what the formats write from the lists held in memory (the way the report
//! was made before), and its summary counted in SQLite must equal the counts over those
//! lists: on the demo, for days, ranges, all days, one leader, one grid, masked or not, in
//! both languages and every format. (`Built` checks both; see tests/common/report_ref.rs.)

mod common;

use common::report_ref::Built;
use common::*;
use firepatrol::i18n::Lang;
use firepatrol::report::{self, Format};
use firepatrol::store::{OpenMode, ReportScope, Store};

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn streamed_reports_equal_the_in_memory_ones_on_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let store = Store::open(&db, OpenMode::Existing, clock()).unwrap();
    let leader = store
        .people()
        .unwrap()
        .into_iter()
        .find(|p| p.name == "张德明")
        .map(|p| p.id);
    assert!(leader.is_some(), "the demo's leader");
    let grid = store.grid_names().unwrap().into_iter().next();
    drop(store);
    let ranges = [
        ("2026-11-20", "2026-11-20"),
        ("2026-11-16", "2026-11-22"),
        ("2000-01-01", "2100-01-01"),
        ("2026-11-23", "2026-11-23"),
    ];
    let mut lists_seen = [0usize; 3];
    for (from, to) in ranges {
        for (inspector, grid) in [(None, None), (leader.clone(), None), (None, grid.clone())] {
            for redact in [false, true] {
                let scope = ReportScope {
                    from: day(from),
                    to: day(to),
                    inspector: inspector.clone(),
                    grid: grid.clone(),
                };
                let store = Store::open(&db, OpenMode::Existing, clock()).unwrap();
                let r = Built::new(
                    store,
                    scope,
                    report::Options {
                        inspector_name: None,
                        redact,
                    },
                );
                lists_seen[0] += r.mem.found.len();
                lists_seen[1] += r.mem.followed_up.len();
                lists_seen[2] += r.mem.overdue.len();
                for lang in [Lang::Zh, Lang::En] {
                    for f in [
                        Format::Text,
                        Format::Md,
                        Format::Csv,
                        Format::Xlsx,
                        Format::Html,
                        Format::Json,
                    ] {
                        // Checks the streamed bytes against the reference's.
                        r.render(lang, f).unwrap();
                    }
                }
            }
        }
    }
    // The comparison saw all three lists, not only empty ones.
    assert!(lists_seen.iter().all(|n| *n > 0), "{lists_seen:?}");
}

#[test]
fn the_cli_streams_the_same_file_as_the_reference() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let dbs = db.to_str().unwrap();
    let store = Store::open(&db, OpenMode::Existing, clock()).unwrap();
    let scope = ReportScope {
        from: day("2026-11-01"),
        to: day("2026-11-22"),
        inspector: None,
        grid: None,
    };
    // The command line masks residents by default.
    let r = Built::new(
        store,
        scope,
        report::Options {
            inspector_name: None,
            redact: true,
        },
    );
    for (f, ext) in [
        (Format::Csv, "csv"),
        (Format::Json, "json"),
        (Format::Md, "md"),
    ] {
        let out = dir.path().join(format!("r.{ext}"));
        let o = run(
            dir.path(),
            &[
                "--db",
                dbs,
                "--lang",
                "zh",
                "report",
                "--from",
                "2026-11-01",
                "--to",
                "2026-11-22",
                "--format",
                ext,
                "--out",
                out.to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let written = std::fs::read(&out).unwrap();
        assert!(
            written == r.render(Lang::Zh, f).unwrap(),
            "{ext} written by the command line"
        );
    }
}
