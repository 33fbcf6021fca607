//! Key press to drawn frame, on a district-scale database (issue 7), and the cost of a
//! durable save against a bare rusqlite transaction with the same pragmas.
//!
//!   FP_BENCH_DB=/path/big.db cargo bench --bench keys
//!
//! Without FP_BENCH_DB a smaller database (2,000 buildings, 100,000 hazards) is generated in
//! a temporary folder first. Each figure is the time of `update` (with the effects it asks
//! for, database work included) plus drawing the frame into a 120x40 off-screen buffer.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use firepatrol::domain::clock::Clock;
use firepatrol::i18n::Lang;
use firepatrol::store::{OpenMode, Store};
use firepatrol::tui::app::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::{Duration, Instant};

fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

struct Timer {
    terminal: Terminal<TestBackend>,
}

impl Timer {
    fn press(&mut self, app: &mut App, k: KeyEvent) -> Duration {
        let t = Instant::now();
        app.key(k);
        self.terminal.draw(|f| app.draw(f)).expect("draw");
        t.elapsed()
    }
}

fn report(name: &str, mut v: Vec<Duration>) {
    v.sort();
    let q = |p: f64| v[((v.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "{name:<34} n={:<5} p50={:>9.3?} p99={:>9.3?} max={:>9.3?}",
        v.len(),
        q(0.5),
        q(0.99),
        v[v.len() - 1]
    );
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(str::to_owned)
        })
        .and_then(|l| {
            l.split_whitespace()
                .nth(1)
                .and_then(|k| k.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// The median of some timings.
fn med(v: &[Duration]) -> Duration {
    let mut v = v.to_vec();
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    // For counting sync calls with strace: only N saves, ours or bare, then exit.
    if let Ok(which) = std::env::var("FP_BENCH_SAVES_ONLY") {
        let n: usize = std::env::var("FP_BENCH_SAVES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(200);
        let (ours, bare) = saves(dir.path(), n, &which);
        println!("saves: ours {} bare {}", ours.len(), bare.len());
        if !ours.is_empty() && !bare.is_empty() {
            report("save one answer (store)", ours.clone());
            report("bare rusqlite one-row transaction", bare.clone());
            println!(
                "save ratio (median ours / bare): {:.2}",
                med(&ours).as_secs_f64() / med(&bare).as_secs_f64()
            );
        }
        return;
    }
    let db = match std::env::var("FP_BENCH_DB") {
        Ok(p) => std::path::PathBuf::from(p),
        Err(_) => {
            let p = dir.path().join("bench.db");
            let mut s = Store::open(&p, OpenMode::Create, Clock::System).expect("create");
            let spec = firepatrol::generate::Spec {
                buildings: 2000,
                hazards: 100_000,
                days: 365,
                seed: 1,
            };
            firepatrol::generate::generate(&mut s, &spec).expect("generate");
            p
        }
    };
    // Work on a copy: the answers below must not change the shared database.
    let work = dir.path().join("work.db");
    Store::open(&db, OpenMode::Existing, Clock::System)
        .expect("open")
        .backup_to(&work)
        .expect("copy");
    let store = Store::open(&work, OpenMode::Existing, Clock::System).expect("open copy");
    println!(
        "database: {} ({} buildings, {} hazards)",
        db.display(),
        store.stats().map_or(0, |s| s.buildings),
        store.stats().map_or(0, |s| s.hazards.total)
    );
    let inspector = store
        .people()
        .expect("people")
        .into_iter()
        .next()
        .map(|p| p.name)
        .unwrap_or_default();
    let start = Instant::now();
    let mut app = App::new(store, Lang::Zh, Some(&inspector), true);
    let mut timer = Timer {
        terminal: Terminal::new(TestBackend::new(120, 40)).expect("terminal"),
    };
    timer.terminal.draw(|f| app.draw(f)).expect("draw");
    println!("start to first frame (in process): {:?}", start.elapsed());

    // Moving in the plan.
    let mut moving = Vec::new();
    for i in 0..400 {
        moving.push(timer.press(
            &mut app,
            key(if (i / 20) % 2 == 0 {
                KeyCode::Char('j')
            } else {
                KeyCode::Char('k')
            }),
        ));
    }
    report("move (plan, j/k)", moving);

    // Opening a building and going back.
    let mut opening = Vec::new();
    for _ in 0..60 {
        timer.press(&mut app, key(KeyCode::Char('j')));
        opening.push(timer.press(&mut app, key(KeyCode::Enter)));
        timer.press(&mut app, key(KeyCode::Esc));
    }
    report("open a building (Enter)", opening);

    // Answering (each a durable save): OK, then undo, in a walk.
    timer.press(&mut app, key(KeyCode::Enter));
    if app
        .state
        .walk
        .as_ref()
        .is_some_and(|w| w.phase == firepatrol::tui::state::Phase::Recheck)
    {
        timer.press(&mut app, key(KeyCode::Enter));
    }
    let mut answering = Vec::new();
    let mut moving_walk = Vec::new();
    for _ in 0..300 {
        answering.push(timer.press(&mut app, key(KeyCode::Char('y'))));
        answering.push(timer.press(&mut app, key(KeyCode::Char('u'))));
        moving_walk.push(timer.press(&mut app, key(KeyCode::Char('j'))));
        moving_walk.push(timer.press(&mut app, key(KeyCode::Char('k'))));
    }
    report("answer (y / u, durable save)", answering);
    report("move (checklist, j/k)", moving_walk);
    timer.press(&mut app, key(KeyCode::Esc));

    // The ledger: status tab changes (each reloads the page and the counts).
    timer.press(&mut app, key(KeyCode::Char('l')));
    let mut filtering = Vec::new();
    for _ in 0..140 {
        filtering.push(timer.press(&mut app, key(KeyCode::Tab)));
    }
    report("ledger filter change (Tab)", filtering);
    let mut sorting = Vec::new();
    for _ in 0..40 {
        sorting.push(timer.press(&mut app, key(KeyCode::Char('s'))));
    }
    report("ledger sort change (s)", sorting);
    timer.press(&mut app, key(KeyCode::Esc));

    // Searching in the picker: type queries key by key, clear, again.
    timer.press(&mut app, key(KeyCode::Char('b')));
    timer.press(&mut app, key(KeyCode::Char('/')));
    let mut searching = Vec::new();
    for _ in 0..30 {
        for q in ["xfr2", "jxhy", "2栋", "幸福"] {
            for c in q.chars() {
                searching.push(timer.press(&mut app, key(KeyCode::Char(c))));
            }
            for _ in q.chars() {
                timer.press(&mut app, key(KeyCode::Backspace));
            }
        }
    }
    report("search keystroke (picker)", searching);
    println!(
        "peak memory after browsing and searching: {:.1} MB",
        peak_rss_mb()
    );

    // A durable save of one answer, against a bare rusqlite transaction with the same pragmas.
    let (ours, bare) = saves(dir.path(), 300, "both");
    report("save one answer (store)", ours.clone());
    report("bare rusqlite one-row transaction", bare.clone());

    println!(
        "save ratio (median ours / bare): {:.2}",
        med(&ours).as_secs_f64() / med(&bare).as_secs_f64()
    );
}

fn saves(dir: &std::path::Path, n: usize, which: &str) -> (Vec<Duration>, Vec<Duration>) {
    let mut s = Store::open(&dir.join("saves.db"), OpenMode::Create, Clock::System).expect("open");
    firepatrol::demo::load_lists(&mut s).expect("lists");
    let person = s.people().expect("people").remove(0).id;
    let patrol = s.patrol_for(&person).expect("patrol");
    let b = s
        .building_summaries(None)
        .expect("buildings")
        .remove(0)
        .building
        .id;
    let mut ours = Vec::new();
    let n_ours = if which == "bare" { 0 } else { n };
    let n_bare = if which == "ours" { 0 } else { n };
    for i in 0..n_ours {
        let slot = firepatrol::store::Slot {
            building_id: b.clone(),
            unit_id: None,
            item_id: format!("EBK-0{}", i % 5),
        };
        let t = Instant::now();
        s.record_answer(
            &patrol,
            &slot,
            firepatrol::domain::AnswerValue::Ok,
            None,
            None,
        )
        .expect("save");
        ours.push(t.elapsed());
    }
    let conn = rusqlite::Connection::open(dir.join("bare.db")).expect("bare");
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;
         CREATE TABLE answer (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, value TEXT NOT NULL, at TEXT NOT NULL);",
    )
    .expect("schema");
    let mut bare = Vec::new();
    for i in 0..n_bare {
        let t = Instant::now();
        conn.execute_batch("BEGIN IMMEDIATE").expect("begin");
        conn.execute(
            "INSERT INTO answer (id, value, at) VALUES (?1, 'ok', ?2)",
            (format!("{i:036}"), "2026-11-23T09:00:00+08:00"),
        )
        .expect("insert");
        conn.execute_batch("COMMIT").expect("commit");
        bare.push(t.elapsed());
    }
    (ours, bare)
}
