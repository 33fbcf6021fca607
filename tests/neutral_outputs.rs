//! Text that reached the database around the app (a row from another machine, an old or
//! edited database) never reaches a terminal, a file or a page as a control sequence: a
//! leader's name and a hazard's description carrying ESC (a window title and a screen
//! clear), BEL and U+202E (right-to-left override) come out of every output without them,
//! and with the rest of the text still there.

mod common;

use common::*;
use std::path::Path;

/// The hostile leader's name and hazard description, and what must still be seen of each.
const NAME: &str = "刘\u{1b}]0;PWNED\u{7}建\u{1b}[2J\u{202e}国";
const NAME_SEEN: &str = "PWNED";
const DESCRIPTION: &str = "楼道\u{1b}[31mEVILDESC\u{7}堆物\u{202e}txt.exe";
const DESCRIPTION_SEEN: &str = "EVILDESC";

/// A demo database where one hazard's finder and description were written around the app;
/// the hazard's number and the day it was found.
fn hostile_demo(dir: &Path) -> (String, String) {
    let db = demo_copy(dir);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (id, number, day, finder): (String, String, String, String) = conn
        .query_row(
            "SELECT h.id, h.number, h.found_day, h.found_by FROM hazard h
             JOIN hazard_state s ON s.hazard_id = h.id
             JOIN duty d ON d.person_id = h.found_by
             WHERE s.status = 'open' AND h.found_by IS NOT NULL
             ORDER BY h.found_day DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .expect("an open hazard found by a leader with duties");
    conn.execute("UPDATE person SET name = ?1 WHERE id = ?2", (NAME, &finder))
        .unwrap();
    conn.execute(
        "UPDATE hazard SET description = ?1 WHERE id = ?2",
        (DESCRIPTION, &id),
    )
    .unwrap();
    (number, day)
}

/// No ESC, BEL or bidi override in `bytes`, and `seen` still in it.
fn assert_neutral(what: &str, bytes: &[u8], seen: &[&str]) {
    let text = String::from_utf8_lossy(bytes);
    for (bad, name) in [
        ('\u{1b}', "ESC"),
        ('\u{7}', "BEL"),
        ('\u{202e}', "U+202E"),
        ('\u{9b}', "CSI"),
    ] {
        assert!(!text.contains(bad), "{what}: {name} came out");
    }
    assert!(
        seen.iter().any(|s| text.contains(s)),
        "{what}: the hostile text is not in this output at all, so nothing was checked:\n{}",
        text.chars().take(600).collect::<String>()
    );
}

fn ok(dir: &Path, args: &[&str]) -> Vec<u8> {
    let db = dir.join("t.db").display().to_string();
    let mut all = vec!["--db", db.as_str(), "--lang", "en"];
    all.extend_from_slice(args);
    let o = run(dir, &all);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    o.stdout
}

#[test]
fn every_output_neutralises_escapes_bells_and_bidi_overrides_from_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let (number, day) = hostile_demo(dir.path());
    let month = &day[..7];
    let both = [NAME_SEEN, DESCRIPTION_SEEN];
    // What the commands print.
    let printed: Vec<(&str, Vec<&str>, &[&str])> = vec![
        ("people", vec!["people"], &[NAME_SEEN]),
        (
            "hazards table",
            vec!["hazards", "--status", "all"],
            &[DESCRIPTION_SEEN],
        ),
        (
            "hazards csv",
            vec!["hazards", "--status", "all", "--format", "csv"],
            &[DESCRIPTION_SEEN],
        ),
        ("hazard", vec!["hazard", &number], &both),
        (
            "report text",
            vec!["report", "--date", &day, "--full"],
            &both,
        ),
        (
            "report md",
            vec!["report", "--date", &day, "--format", "md", "--full"],
            &both,
        ),
        (
            "report csv",
            vec!["report", "--date", &day, "--format", "csv", "--full"],
            &both,
        ),
        (
            "report html",
            vec!["report", "--date", &day, "--format", "html", "--full"],
            &both,
        ),
        (
            "notice",
            vec!["notice", &number, "--full", "--out", "-"],
            &both,
        ),
        ("plates", vec!["plate", "--out", "-"], &[NAME_SEEN]),
        // (The summary's chat text names no one: its twelve lines are figures.)
        (
            "summary json",
            vec!["summary", "--month", month, "--format", "json"],
            &[NAME_SEEN],
        ),
        (
            "summary html",
            vec![
                "summary", "--month", month, "--format", "html", "--out", "-",
            ],
            &[NAME_SEEN],
        ),
        (
            "record",
            vec!["record", "--date", &day, "--out", "-"],
            &both,
        ),
    ];
    for (what, args, seen) in &printed {
        assert_neutral(what, &ok(dir.path(), args), seen);
    }
    // The same through files.
    for (ext, args) in [
        (
            "md",
            vec!["report", "--date", &day, "--format", "md", "--full"],
        ),
        (
            "csv",
            vec!["report", "--date", &day, "--format", "csv", "--full"],
        ),
        (
            "txt",
            vec!["report", "--date", &day, "--format", "text", "--full"],
        ),
        (
            "html",
            vec!["summary", "--month", month, "--format", "html"],
        ),
        (
            "ledger.csv",
            vec!["hazards", "--status", "all", "--format", "csv"],
        ),
    ] {
        let file = dir.path().join(format!("out.{ext}"));
        let f = file.display().to_string();
        let mut a = args.clone();
        a.extend(["--out", f.as_str()]);
        ok(dir.path(), &a);
        let bytes = std::fs::read(&file).expect("written");
        assert_neutral(&format!("{ext} file"), &bytes, &both);
    }
}
