//! Issue 6 end to end: the engine behind the picker, the people list and `firepatrol find`.

mod common;

use common::*;
use firepatrol::i18n::Lang;

#[test]
fn find_json_ranks_buildings_best_first() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let dbs = db.to_str().unwrap();
    assert!(
        run(dir.path(), &["init", "--demo", "--db", dbs])
            .status
            .success()
    );
    for (q, first) in [
        ("xfr2", "新芙蓉之都 2栋"),
        ("新芙蓉之都2栋", "新芙蓉之都 2栋"),
        ("ghy3", "桂花园小区 3栋"),
        ("fangzhichang 8", "纺织厂宿舍 8栋"),
        ("棟", ""),
    ] {
        let o = run(dir.path(), &["find", q, "--format", "json", "--db", dbs]);
        assert!(o.status.success(), "{}", stderr(&o));
        let v: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
        if first.is_empty() {
            assert!(
                !v.is_empty(),
                "{q}: the traditional 棟 finds buildings named 栋"
            );
            continue;
        }
        assert_eq!(v[0]["name"], first, "{q}: {v:?}");
        for h in &v {
            assert!(h["id"].as_str().is_some_and(|s| s.len() == 36));
            assert!(h["score"].is_i64());
        }
        assert!(
            v.windows(2)
                .all(|w| w[0]["score"].as_i64() >= w[1]["score"].as_i64()),
            "{q}: best first"
        );
    }
    let o = run(
        dir.path(),
        &["find", "zzzzqqqq", "--format", "json", "--db", dbs],
    );
    assert_eq!(
        serde_json::from_str::<Vec<serde_json::Value>>(&stdout(&o))
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn the_picker_filters_by_pinyin_and_highlights() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut app = open_app(&db, Lang::Zh, Some("刘建国"));
    press(&mut app, "b/xfr2");
    let (i, hl) = app.state.picker.matches[0].clone();
    assert_eq!(
        app.state.buildings[i].building.display_name(),
        "新芙蓉之都 2栋"
    );
    assert!(!hl.is_empty());
    // Enter opens the walk of the match.
    press(&mut app, "<enter>");
    assert_eq!(
        app.state.walk.as_ref().unwrap().building.display_name(),
        "新芙蓉之都 2栋"
    );
}

#[test]
fn people_are_found_by_pinyin_too() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let app = open_app(&db, Lang::En, Some("liujianguo"));
    assert_eq!(app.state.inspector.as_ref().unwrap().name, "刘建国");
    let mut app = open_app(&db, Lang::En, None);
    press(&mut app, "hqj");
    let first = app.state.inspector_matches()[0];
    assert_eq!(app.state.people[first].name, "何秋菊");
}
