//! Issue 12: the office's monthly summary and the patrol record book.
//!
//! The summary's numbers are checked against brute-force counts made in Rust from the raw
//! rows (no GROUP BY), over the demo and over a small generated community.
//! Golden file of the record book: `UPDATE_GOLDEN=1 cargo test --test summary`.

mod common;

use common::*;
use firepatrol::i18n::Lang;
use firepatrol::report::summary::{self, Line, MonthSummary, SummaryFormat};
use firepatrol::store::{OpenMode, Store};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// What the brute force counts for one line.
#[derive(Debug, Default, PartialEq)]
struct Brute {
    planned: i64,
    patrolled: i64,
    visits: i64,
    checks: i64,
    found: i64,
    sev: [i64; 4],
    on_spot: i64,
    in_time: i64,
    late: i64,
    open: i64,
    overdue: i64,
    recurring: i64,
    escalated: i64,
    answered: i64,
    hours_sum: f64,
}

fn of_line(l: &Line) -> Brute {
    Brute {
        planned: l.buildings_planned,
        patrolled: l.buildings_patrolled,
        visits: l.visits,
        checks: l.checks,
        found: l.hazards.found,
        sev: l.hazards.by_severity,
        on_spot: l.hazards.fixed_on_spot,
        in_time: l.hazards.rectified_in_time,
        late: l.hazards.rectified_late,
        open: l.hazards.still_open,
        overdue: l.hazards.overdue,
        recurring: l.hazards.recurring,
        escalated: l.escalated,
        answered: l.office_answered,
        hours_sum: 0.0,
    }
}

fn stamp(s: &str) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(s).unwrap()
}

/// Count everything the summary counts, row by row, for the days `from..=to`; keyed by
/// "total", "grid:NAME", "compound:NAME" and "leader:NAME".
fn brute(db: &Path, from: &str, to: &str, today: &str) -> BTreeMap<String, Brute> {
    let c = rusqlite::Connection::open(db).unwrap();
    let rows = |sql: &str| -> Vec<Vec<Option<String>>> {
        let mut st = c.prepare(sql).unwrap();
        let n = st.column_count();
        st.query_map([], |r| {
            (0..n)
                .map(|k| {
                    r.get::<_, Option<rusqlite::types::Value>>(k)
                        .map(|v| match v {
                            Some(rusqlite::types::Value::Text(s)) => Some(s),
                            Some(rusqlite::types::Value::Integer(i)) => Some(i.to_string()),
                            Some(rusqlite::types::Value::Real(f)) => Some(f.to_string()),
                            _ => None,
                        })
                })
                .collect()
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    };
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let names: HashMap<String, String> = rows("SELECT id, name FROM grid UNION ALL SELECT id, name FROM compound UNION ALL SELECT id, name FROM person")
        .into_iter()
        .map(|r| (s(&r[0]), s(&r[1])))
        .collect();
    let name = |id: &Option<String>| {
        id.as_ref()
            .and_then(|i| names.get(i).cloned())
            .unwrap_or_default()
    };
    // building -> (grid name, compound name)
    let buildings: HashMap<String, (String, String)> =
        rows("SELECT id, grid_id, compound_id FROM building")
            .into_iter()
            .map(|r| (s(&r[0]), (name(&r[1]), name(&r[2]))))
            .collect();
    let mut out: BTreeMap<String, Brute> = BTreeMap::new();
    let keys = |b: &str| -> Vec<String> {
        let (g, k) = &buildings[b];
        vec!["total".into(), format!("grid:{g}"), format!("compound:{k}")]
    };
    // Planned.
    for b in buildings.keys() {
        for k in keys(b) {
            out.entry(k).or_default().planned += 1;
        }
    }
    let duties: HashSet<(String, String)> = rows("SELECT person_id, building_id FROM duty")
        .into_iter()
        .map(|r| (s(&r[0]), s(&r[1])))
        .collect();
    for (p, _) in &duties {
        out.entry(format!("leader:{}", names[p]))
            .or_default()
            .planned += 1;
    }
    // Answers: the last per slot.
    let mut last: BTreeMap<(String, String, String, String), (String, String)> = BTreeMap::new();
    for r in rows(&format!(
        "SELECT a.patrol_id, a.building_id, a.unit_id, a.item_id, a.value, p.inspector_id FROM answer a
         JOIN patrol p ON p.id = a.patrol_id WHERE p.day >= '{from}' AND p.day <= '{to}' ORDER BY a.seq"
    )) {
        last.insert((s(&r[0]), s(&r[1]), s(&r[2]), s(&r[3])), (s(&r[4]), s(&r[5])));
    }
    let mut visits: HashSet<(String, String, String)> = HashSet::new();
    let mut patrolled: HashSet<(String, String)> = HashSet::new();
    for ((patrol, b, _, _), (value, who)) in &last {
        if value == "cleared" {
            continue;
        }
        let lk = format!("leader:{}", names.get(who).cloned().unwrap_or_default());
        for k in keys(b).into_iter().chain([lk.clone()]) {
            out.entry(k.clone()).or_default().checks += 1;
            if visits.insert((k.clone(), patrol.clone(), b.clone())) {
                out.entry(k.clone()).or_default().visits += 1;
            }
            let who_key = if k == lk { who.clone() } else { String::new() };
            if patrolled.insert((k.clone(), format!("{b}/{who_key}"))) {
                out.entry(k).or_default().patrolled += 1;
            }
        }
    }
    // Hazards.
    let events =
        rows("SELECT entity_id, action, at FROM event WHERE entity = 'hazard' ORDER BY seq");
    for r in rows(
        "SELECT h.id, h.building_id, h.found_by, h.severity, h.fixed_on_spot, h.previous_id,
                s.status, s.deadline, s.closed_day, h.found_day
         FROM hazard h JOIN hazard_state s ON s.hazard_id = h.id",
    ) {
        let day = s(&r[9]);
        let status = s(&r[6]);
        if day.as_str() < from || day.as_str() > to || status == "voided" {
            continue;
        }
        let id = s(&r[0]);
        let esc = events
            .iter()
            .filter(|e| s(&e[0]) == id && s(&e[1]) == "escalated")
            .map(|e| stamp(&s(&e[2])))
            .min();
        let resp = esc.and_then(|t| {
            events
                .iter()
                .filter(|e| s(&e[0]) == id && s(&e[1]) == "office_response")
                .map(|e| stamp(&s(&e[2])))
                .filter(|x| *x >= t)
                .min()
        });
        let deadline = s(&r[7]);
        let closed = r[8].clone();
        let open = status == "open" || status == "escalated";
        let lk = format!("leader:{}", name(&r[2]));
        for k in keys(&s(&r[1])).into_iter().chain([lk]) {
            let e = out.entry(k).or_default();
            e.found += 1;
            e.sev[["low", "medium", "high", "critical"]
                .iter()
                .position(|x| *x == s(&r[3]))
                .unwrap()] += 1;
            e.on_spot += i64::from(s(&r[4]) != "0");
            if status == "rectified" {
                match &closed {
                    Some(c) if *c <= deadline => e.in_time += 1,
                    _ => e.late += 1,
                }
            }
            e.open += i64::from(open);
            e.overdue += i64::from(open && deadline.as_str() < today);
            e.recurring += i64::from(r[5].is_some());
            if let Some(t) = esc {
                e.escalated += 1;
                if let Some(x) = resp {
                    e.answered += 1;
                    e.hours_sum += (x - t).num_seconds() as f64 / 3600.0;
                }
            }
        }
    }
    out
}

/// The summary's lines keyed like the brute force (leaders with the same name summed).
fn lines(s: &MonthSummary) -> BTreeMap<String, (Brute, Option<f64>)> {
    let mut out: BTreeMap<String, (Brute, Option<f64>)> = BTreeMap::new();
    out.insert(
        "total".into(),
        (of_line(&s.total), s.total.answer_hours_avg),
    );
    for (kind, ls) in [
        ("grid", &s.grids),
        ("compound", &s.compounds),
        ("leader", &s.leaders),
    ] {
        for l in ls {
            let k = format!("{kind}:{}", l.name);
            let b = of_line(l);
            match out.get_mut(&k) {
                Some((a, _)) => {
                    a.planned += b.planned;
                    a.patrolled += b.patrolled;
                    a.visits += b.visits;
                    a.checks += b.checks;
                    a.found += b.found;
                    for i in 0..4 {
                        a.sev[i] += b.sev[i];
                    }
                    a.on_spot += b.on_spot;
                    a.in_time += b.in_time;
                    a.late += b.late;
                    a.open += b.open;
                    a.overdue += b.overdue;
                    a.recurring += b.recurring;
                    a.escalated += b.escalated;
                    a.answered += b.answered;
                }
                None => {
                    out.insert(k, (b, l.answer_hours_avg));
                }
            }
        }
    }
    out
}

fn check_month(db: &Path, month: &str) -> MonthSummary {
    let store = Store::open(db, OpenMode::Existing, clock()).unwrap();
    let first = summary::parse_month(month).unwrap();
    let s = summary::build(&store, first).unwrap();
    let today = store.clock.today().format("%Y-%m-%d").to_string();
    let want = brute(db, &s.from, &s.to, &today);
    let got = lines(&s);
    // Every line with something in it is in both, with the same numbers.
    for (k, b) in &want {
        let Some((g, avg)) = got.get(k) else {
            panic!("{month}: no line {k} in the summary; brute force {b:?}");
        };
        let g2 = Brute {
            hours_sum: 0.0,
            ..*g
        };
        let w2 = Brute {
            hours_sum: 0.0,
            ..*b
        };
        assert_eq!(g2, w2, "{month}: {k}");
        if k == "total" || k.starts_with("grid:") {
            let want_avg =
                (b.answered > 0).then(|| (b.hours_sum / b.answered as f64 * 10.0).round() / 10.0);
            assert_eq!(*avg, want_avg, "{month}: {k} answer time");
        }
    }
    for k in got.keys() {
        assert!(want.contains_key(k), "{month}: line {k} has no facts");
    }
    // Last month is the total of the month before.
    let prev_first = (first - chrono::Duration::days(1))
        .format("%Y-%m-01")
        .to_string();
    let prev_last = (first - chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let pb = brute(db, &prev_first, &prev_last, &today);
    assert_eq!(
        Brute {
            hours_sum: 0.0,
            ..of_line(&s.previous)
        },
        Brute {
            hours_sum: 0.0,
            ..pb["total"]
        },
        "{month}: last month"
    );
    // The categories add up to the hazards found.
    assert_eq!(
        s.categories.iter().map(|c| c.found).sum::<i64>(),
        s.total.hazards.found
    );
    s
}

#[test]
fn the_summary_equals_brute_force_counts_over_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let s = check_month(&db, "2026-11");
    assert!(
        s.total.hazards.found > 0 && s.total.buildings_patrolled > 0,
        "{s:?}"
    );
    assert!(!s.leaders.is_empty() && !s.grids.is_empty());
    check_month(&db, "2026-10");
}

#[test]
fn the_summary_equals_brute_force_counts_over_a_generated_community() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::store(dir.path());
    firepatrol::generate::generate(
        &mut store,
        &firepatrol::generate::Spec {
            buildings: 150,
            hazards: 4000,
            days: 100,
            seed: 11,
        },
    )
    .unwrap();
    drop(store);
    let db = dir.path().join("t.db");
    for m in ["2026-11", "2026-10", "2026-09"] {
        let s = check_month(&db, m);
        assert!(s.total.hazards.found > 0, "{m}");
    }
    let s = check_month(&db, "2026-11");
    assert!(s.total.hazards.recurring > 0 && !s.recurring_spots.is_empty());
    assert!(
        s.total.escalated > 0 && s.total.office_answered > 0,
        "{:?}",
        s.total
    );
    assert!(s.recurring_spots.len() <= summary::TOP_SPOTS);
    assert!(
        s.recurring_spots
            .windows(2)
            .all(|w| w[0].times >= w[1].times)
    );
}

#[test]
fn the_summary_json_follows_its_schema_and_the_chat_text_stays_short() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/summary.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let v = jsonschema::validator_for(&schema).expect("the schema is valid");
    let store = Store::open(&db, OpenMode::Existing, clock()).unwrap();
    for m in ["2026-11", "2026-10", "2025-01"] {
        let s = summary::build(&store, summary::parse_month(m).unwrap()).unwrap();
        let json: serde_json::Value = serde_json::from_str(&summary::json(&s)).unwrap();
        let errors: Vec<String> = v.iter_errors(&json).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{m}: {errors:?}");
        for lang in [Lang::Zh, Lang::En] {
            let t = summary::chat_text(&s, lang, "x.xlsx");
            assert!(t.lines().count() <= summary::CHAT_LINES, "{t}");
        }
    }
}

#[test]
fn the_summary_command_writes_every_format_and_refuses_a_bad_month() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let d = db.to_str().unwrap();
    let o = run(dir.path(), &["--db", d, "summary", "--month", "2026-11"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for ext in ["html", "xlsx", "txt", "json"] {
        let p = dir.path().join(format!("reports/summary-2026-11.{ext}"));
        assert!(p.exists(), "{}", p.display());
        assert!(stdout(&o).contains(&p.display().to_string()));
    }
    let html = std::fs::read_to_string(dir.path().join("reports/summary-2026-11.html")).unwrap();
    assert!(html.contains("class=\"bar") && !html.contains("<script"));
    let x = dir.path().join("s.xlsx");
    let o = run(
        dir.path(),
        &[
            "--db",
            d,
            "summary",
            "--month",
            "2026-11",
            "--out",
            x.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    use calamine::Reader;
    let wb: calamine::Xlsx<_> = calamine::open_workbook(&x).unwrap();
    let sheets = wb.sheet_names();
    assert_eq!(sheets.len(), 6, "{sheets:?}");
    let o = run(dir.path(), &["--db", d, "summary", "--month", "2026-13"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("2026-13"), "{}", stderr(&o));
    let o = run(
        dir.path(),
        &[
            "--db", d, "summary", "--month", "2026-11", "--format", "xlsx",
        ],
    );
    assert!(!o.status.success());
    let o = run(
        dir.path(),
        &[
            "--db", d, "summary", "--month", "2026-11", "--format", "text",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).lines().count() <= summary::CHAT_LINES);
    let _ = SummaryFormat::Json;
}

fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!("no golden file {name}; UPDATE_GOLDEN=1 cargo test --test summary")
    });
    assert!(
        want == actual,
        "{name} differs from its golden file (UPDATE_GOLDEN=1 cargo test --test summary after an intended change)"
    );
}

#[test]
fn the_record_book_of_a_day_matches_its_golden_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let d = db.to_str().unwrap();
    let o = run(
        dir.path(),
        &[
            "--db",
            d,
            "--lang",
            "zh",
            "record",
            "--date",
            "2026-11-20",
            "--out",
            "-",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let html = stdout(&o);
    golden("record-2026-11-20.zh.html", &html);
    // The six groups of art. 25, signature lines, "/" for what does not apply, no phone.
    for w in [
        "用火用电",
        "常闭式防火门",
        "重点部位人员在岗",
        "巡查人签名",
        "主管人员签名",
        "正常",
        ">/<",
    ] {
        assert!(html.contains(w), "{w}");
    }
    assert!(
        !html.contains("138") && !html.contains("139"),
        "no phone numbers"
    );
    let o = run(
        dir.path(),
        &[
            "--db",
            d,
            "--lang",
            "en",
            "record",
            "--date",
            "2026-11-20",
            "--out",
            "-",
        ],
    );
    golden("record-2026-11-20.en.html", &stdout(&o));
    // One page per leader; one leader's page alone.
    let pages = html.matches("class=\"page\"").count();
    assert!(pages >= 2, "{pages}");
    let o = run(dir.path(), &["--db", d, "record", "--date", "2026-11-20"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.path().join("reports/record-2026-11-20.html").exists());
}

#[test]
fn the_m_key_on_the_start_screen_writes_the_month_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut app = open_app(&db, Lang::Zh, Some("刘建国"));
    press(&mut app, "m");
    let reports = dir.path().join("reports");
    for ext in ["html", "xlsx", "txt", "json"] {
        assert!(
            reports.join(format!("summary-2026-11.{ext}")).exists(),
            "{ext}"
        );
    }
    let shown = screen(&app, 120, 40);
    assert!(shown.contains("月度汇总已写入"), "{shown}");
    let text = std::fs::read_to_string(reports.join("summary-2026-11.txt")).unwrap();
    assert!(
        text.starts_with("【月度汇总】芙蓉南路社区 2026-11"),
        "{text}"
    );
}

#[test]
fn find_counts_the_open_hazards_of_its_hits() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let o = run(
        dir.path(),
        &[
            "--db",
            db.to_str().unwrap(),
            "find",
            "栋",
            "--limit",
            "50",
            "--format",
            "json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let hits: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(hits.len() > 5);
    let s = Store::open(&db, OpenMode::Existing, clock()).unwrap();
    let mut some = 0;
    for h in &hits {
        let id = h["id"].as_str().unwrap();
        let n = s.open_hazards_at(id).unwrap().len() as i64;
        assert_eq!(h["open_hazards"].as_i64(), Some(n), "{h}");
        some += n;
    }
    assert!(some > 0);
}

/// The report counts answers in SQLite now: the same numbers as folding every answer row in
/// memory (what it did before), over several ranges of the demo.
#[test]
fn the_reports_answer_counts_equal_the_in_memory_fold() {
    use firepatrol::store::ReportScope;
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let store = Store::open(&db, OpenMode::Existing, clock()).unwrap();
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let leader = store.people().unwrap()[0].id.clone();
    for (from, to, who) in [
        ("2026-11-20", "2026-11-20", None),
        ("2026-11-01", "2026-11-22", None),
        ("2000-01-01", "2100-01-01", None),
        ("2026-11-01", "2026-11-22", Some(leader)),
    ] {
        let scope = ReportScope {
            from: d(from),
            to: d(to),
            inspector: who,
            grid: None,
        };
        let r = firepatrol::report::build(&store, &scope, &Default::default()).unwrap();
        let answers = store.report_answers(&scope).unwrap();
        let mut last: BTreeMap<(String, String, Option<String>, String), usize> = BTreeMap::new();
        for (k, a) in answers.iter().enumerate() {
            last.insert(
                (
                    a.patrol_id.clone(),
                    a.building_id.clone(),
                    a.unit_id.clone(),
                    a.item_id.clone(),
                ),
                k,
            );
        }
        let mut live: Vec<usize> = last
            .values()
            .copied()
            .filter(|k| answers[*k].value != "cleared")
            .collect();
        live.sort();
        let mut per_b: BTreeMap<String, (HashSet<String>, i64, Vec<String>)> = BTreeMap::new();
        for k in &live {
            let a = &answers[*k];
            let b = per_b.entry(a.building_id.clone()).or_default();
            if let Some(u) = &a.unit_id {
                b.0.insert(u.clone());
            }
            b.1 += 1;
            if !b.2.contains(&a.inspector) {
                b.2.push(a.inspector.clone());
            }
        }
        assert_eq!(r.summary.items_checked, live.len() as i64, "{from}..{to}");
        assert_eq!(r.buildings.len(), per_b.len(), "{from}..{to}");
        for b in &r.buildings {
            let (units, items, leaders) = &per_b[&b.building_id];
            assert_eq!(
                (b.units_visited, b.items_checked, &b.leaders),
                (units.len() as i64, *items, leaders),
                "{from}..{to} {}",
                b.building
            );
        }
        assert!(
            !r.leaders.is_empty() || from == "2026-11-01",
            "{from}..{to}"
        );
    }
}
