//! Rows that arrive from a laptop are held to the rules of typed input, and the rules are the
//! app's own: every row the app itself writes passes them (a demo office filled by the real
//! sync code from three demo laptops, and a demo laptop's patrols, hazards and photos).

mod common;

use common::*;
use firepatrol::domain::incoming::{Row, check_row};
use firepatrol::store::sync::SYNCED;
use rusqlite::types::Value;
use std::path::Path;

/// Every row of every table that travels, as column -> value (the stored columns, as a
/// changeset carries them: not the generated ones).
fn rows_of(db: &Path) -> Vec<(String, Row)> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut out = Vec::new();
    for table in SYNCED {
        let names: Vec<String> = conn
            .prepare(&format!(
                "SELECT name FROM pragma_table_xinfo('{table}') WHERE hidden = 0"
            ))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let mut stmt = conn
            .prepare(&format!("SELECT {} FROM {table}", names.join(", ")))
            .unwrap();
        let rows = stmt
            .query_map([], |r| {
                let mut row = Row::new();
                for (i, n) in names.iter().enumerate() {
                    row.insert(n.clone(), r.get::<_, Value>(i)?);
                }
                Ok(row)
            })
            .unwrap();
        for r in rows {
            out.push((table.to_string(), r.unwrap()));
        }
    }
    out
}

fn all_pass(db: &Path) -> usize {
    let rows = rows_of(db);
    let refused: Vec<_> = rows
        .iter()
        .filter_map(|(t, r)| check_row(t, r).err())
        .take(5)
        .collect();
    assert!(
        refused.is_empty(),
        "the app's own rows refused: {refused:?}"
    );
    rows.len()
}

#[test]
fn every_row_the_office_and_its_laptops_write_passes_the_incoming_rules() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.db");
    let mut office =
        firepatrol::store::Store::open(&db, firepatrol::store::OpenMode::Create, clock()).unwrap();
    firepatrol::sync::demo::build_office(&mut office, dir.path()).unwrap();
    drop(office);
    let n = all_pass(&db);
    assert!(n > 1000, "a real office's rows: {n}");
}

#[test]
fn every_row_of_the_demo_laptop_passes_the_incoming_rules() {
    let dir = tempfile::tempdir().unwrap();
    drop(demo_store(dir.path()));
    let n = all_pass(&dir.path().join("t.db"));
    assert!(n > 1000, "the demo's rows: {n}");
}

#[test]
fn a_refused_row_is_named_in_both_languages_with_the_character_as_its_code() {
    use firepatrol::domain::sync::{Refusal, SyncProblem};
    let mut row = Row::new();
    row.insert("id".into(), Value::Text("h-1".into()));
    row.insert("party_name".into(), Value::Text("张\u{202e}三".into()));
    let problem = check_row("hazard", &row).unwrap_err();
    let e = firepatrol::error::Error::Sync {
        place: "liu.sync".into(),
        problem: SyncProblem::Refused(Refusal::Row(problem)),
    };
    for lang in [firepatrol::i18n::Lang::En, firepatrol::i18n::Lang::Zh] {
        let said = e.message(lang);
        assert!(
            said.contains("hazard") && said.contains("h-1") && said.contains("party_name"),
            "{said}"
        );
        assert!(
            said.contains("U+202E") && !said.contains('\u{202e}'),
            "{said}"
        );
    }
}
