//! Issue 8: the real binary in a pseudo-terminal. Killed with SIGKILL at random moments while
//! answering as fast as keys arrive: every answer the screen showed as saved is in the
//! database, `firepatrol check` passes, and a restart resumes at the right item. A forced
//! panic leaves the terminal in its normal mode and the report in the log.
//!
//! `CRASH_TRIALS=200 cargo test --test pty -- --nocapture` runs the long form.

mod common;

use common::*;
use firepatrol::store::{OpenMode, Store};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Term {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Term {
    fn spawn(program: &str, args: &[&str], env: &[(&str, String)], rows: u16, cols: u16) -> Term {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("pty");
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let nz = |n: u16| std::num::NonZeroU16::new(n.max(1)).expect("non-zero");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(rows), nz(cols), 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (parser.clone(), raw.clone());
        let master = pair.master;
        let reader = std::thread::spawn(move || {
            let _keep = master;
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        p.lock().unwrap().process(&buf[..n]);
                        r.lock().unwrap().extend_from_slice(&buf[..n]);
                    }
                }
            }
        });
        Term {
            child,
            writer,
            parser,
            raw,
            reader: Some(reader),
        }
    }

    /// What the user saw: the last complete frame.
    fn screen(&self) -> String {
        let (rows, cols) = self.parser.lock().unwrap().screen().size();
        self.last_complete_frame(rows.get(), cols.get())
    }

    /// The screen as of the last complete frame: the output up to the last end of a
    /// synchronized update (a frame cut short by the kill is not what the user saw).
    fn last_complete_frame(&self, rows: u16, cols: u16) -> String {
        let raw = self.raw.lock().unwrap();
        let end = b"\x1b[?2026l";
        let upto = raw
            .windows(end.len())
            .rposition(|w| w == end)
            .map_or(0, |i| i + end.len());
        let nz = |n: u16| std::num::NonZeroU16::new(n.max(1)).expect("non-zero");
        let mut p = vt100::Parser::new(nz(rows), nz(cols), 0);
        p.process(&raw[..upto]);
        p.screen().contents()
    }

    fn wait_for(&self, text: &str, timeout: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if self.screen().contains(text) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        false
    }

    /// Wait for text in the raw output (for what is printed after the app has ended).
    fn wait_for_raw(&self, text: &str, timeout: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if String::from_utf8_lossy(&self.raw.lock().unwrap()).contains(text) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        false
    }

    fn send(&mut self, s: &str) {
        let _ = self.writer.write_all(s.as_bytes());
        let _ = self.writer.flush();
    }

    fn kill9(&mut self) {
        if let Some(pid) = self.child.process_id() {
            let _ = std::process::Command::new("kill")
                .args(["-9", &pid.to_string()])
                .status();
        }
        let _ = self.child.wait();
    }

    /// Wait for the process to end and for all its output to be read.
    fn finish(&mut self, timeout: Duration) {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        drop(self.reader.take());
    }
}

fn app_env(dir: &Path) -> Vec<(&'static str, String)> {
    vec![
        ("FIREPATROL_NOW", NOW.to_string()),
        ("XDG_DATA_HOME", dir.join("xdg").display().to_string()),
        ("HOME", dir.display().to_string()),
        ("LANG", "en_US.UTF-8".to_string()),
    ]
}

/// "building 12/37" on the walk screen: the answers the screen shows as saved.
fn shown_building_progress(screen: &str) -> Option<(usize, usize)> {
    let i = screen.find("building ")?;
    let rest = &screen[i + "building ".len()..];
    let (a, rest) = rest.split_once('/')?;
    let b: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    Some((a.trim().parse().ok()?, b.parse().ok()?))
}

/// A small deterministic random source for the trials.
fn rand(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

#[test]
fn killed_at_random_moments_nothing_shown_as_saved_is_lost() {
    let trials: usize = std::env::var("CRASH_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let bin = env!("CARGO_BIN_EXE_firepatrol");
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let (mut acknowledged, mut lost, mut killed_mid_walk, mut resumed) =
        (0usize, 0usize, 0usize, 0usize);
    for trial in 0..trials {
        let dir = tempfile::tempdir().unwrap();
        let db = demo_copy(dir.path());
        let dbs = db.to_str().unwrap();
        let env = app_env(dir.path());
        let mut t = Term::spawn(
            bin,
            &["--db", dbs, "--inspector", "刘建国", "--lang", "en"],
            &env,
            40,
            120,
        );
        assert!(
            t.wait_for("Today's plan", Duration::from_secs(10)),
            "trial {trial}: no start screen:\n{}",
            t.screen()
        );
        // Open the first building of the plan; the walk starts on its building-level items.
        t.send("\r");
        assert!(
            t.wait_for("building 0/", Duration::from_secs(10)),
            "trial {trial}: no walk:\n{}",
            t.screen()
        );
        // Answer as fast as keys arrive, then kill at a random moment.
        let burst = 1 + (rand(&mut seed) % 20) as usize;
        t.send(&"y".repeat(burst));
        std::thread::sleep(Duration::from_micros(rand(&mut seed) % 150_000));
        t.kill9();
        t.finish(Duration::from_secs(2));
        let screen = t.last_complete_frame(40, 120);
        let shown = shown_building_progress(&screen).map_or(0, |p| p.0);
        drop(t);
        // The database holds at least what the screen showed.
        let s = Store::open(&db, OpenMode::Existing, clock()).unwrap();
        let (stored, building) = match s.last_position().unwrap() {
            Some(p) => (
                s.answers(&p.patrol_id, &p.slot.building_id).unwrap().len(),
                Some(p.slot.building_id),
            ),
            None => (0, None),
        };
        drop(s);
        acknowledged += shown;
        if stored < shown {
            lost += shown - stored;
        }
        assert!(
            stored >= shown,
            "trial {trial}: screen showed {shown} saved, database has {stored}\n{screen}"
        );
        let o = run(dir.path(), &["check", "--db", dbs]);
        assert!(
            o.status.success(),
            "trial {trial}: check failed: {}{}",
            stdout(&o),
            stderr(&o)
        );
        // A restart offers to resume at the first unanswered item after the last answer.
        if stored > 0 && stored < 37 {
            killed_mid_walk += 1;
            let mut t = Term::spawn(bin, &["--db", dbs, "--lang", "en"], &env, 40, 120);
            assert!(
                t.wait_for("resume:", Duration::from_secs(10)),
                "trial {trial}: no resume offer:\n{}",
                t.screen()
            );
            t.send("r");
            let want = format!("building {stored}/37");
            assert!(
                t.wait_for(&want, Duration::from_secs(10)),
                "trial {trial}: resumed walk does not show {want}:\n{}",
                t.screen()
            );
            let screen = t.screen();
            let cursor = screen.lines().find(|l| l.contains("│> ")).unwrap_or("");
            assert!(
                cursor.contains("unchecked") || cursor.contains("to check"),
                "trial {trial}: resumes on an unanswered item or the next unit's re-check:\n{screen}"
            );
            resumed += 1;
            let _ = building;
        }
    }
    println!(
        "crash trials: {trials}, answers acknowledged on screen: {acknowledged}, lost: {lost}, killed mid-walk: {killed_mid_walk}, resumed at the right item: {resumed}"
    );
    assert_eq!(lost, 0);
}

#[test]
fn a_panic_restores_the_terminal_and_writes_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let mut env = app_env(dir.path());
    env.push(("FIREPATROL_TEST_PANIC", "1".into()));
    let bin = env!("CARGO_BIN_EXE_firepatrol");
    let script = format!(
        "'{bin}' --db '{}' --inspector 刘建国 --lang en; echo EXIT=$?; stty -a",
        db.display()
    );
    for _ in 0..3 {
        let mut t = Term::spawn("sh", &["-c", &script], &env, 30, 100);
        assert!(
            t.wait_for_raw("EXIT=", Duration::from_secs(10)),
            "{}",
            String::from_utf8_lossy(&t.raw.lock().unwrap())
        );
        t.finish(Duration::from_secs(5));
        let raw = String::from_utf8_lossy(&t.raw.lock().unwrap()).into_owned();
        // Back in normal mode: line editing and echo on, the alternate screen left.
        let stty = &raw[raw.find("EXIT=").unwrap_or(0)..];
        assert!(
            stty.contains(" icanon") && !stty.contains("-icanon"),
            "{stty}"
        );
        assert!(
            stty.contains(" echo ") && !stty.contains("-echo "),
            "{stty}"
        );
        assert!(
            raw.contains("\u{1b}[?1049l"),
            "the alternate screen was left"
        );
        assert!(
            raw.contains("internal error") && raw.contains("panic.log"),
            "{raw}"
        );
    }
    let log = std::fs::read_to_string(dir.path().join("xdg/firepatrol/panic.log")).unwrap();
    assert!(log.contains("forced panic"), "{log}");
    assert_eq!(log.matches("forced panic").count(), 3);
}
