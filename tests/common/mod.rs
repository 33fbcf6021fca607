//! Helpers shared by the integration tests.
#![allow(dead_code)]

use firepatrol::domain::clock::Clock;
use firepatrol::store::{OpenMode, Store};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Monday 2026-11-23, 09:30 in UTC+8: the fixed "now" of the tests.
pub const NOW: &str = "2026-11-23T09:30:00+08:00";

pub fn clock() -> Clock {
    Clock::parse_fixed(NOW).expect("fixed clock")
}

pub fn store(dir: &Path) -> Store {
    Store::open(&dir.join("t.db"), OpenMode::Create, clock()).expect("open store")
}

pub fn demo_store(dir: &Path) -> Store {
    let mut s = store(dir);
    firepatrol::demo::build(&mut s).expect("demo builds");
    s
}

/// Run the real binary with a private data folder, fixed clock and English messages.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    run_at(dir, NOW, args)
}

/// The firepatrol binary with its clock at `now` (a machine's own clock), in English.
pub fn run_at(dir: &Path, now: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_firepatrol"))
        .args(args)
        .env("XDG_DATA_HOME", dir.join("xdg"))
        .env("HOME", dir)
        .env("FIREPATROL_NOW", now)
        .env("LANG", "en_US.UTF-8")
        .env_remove("FIREPATROL_DB")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        // No terminal: a command that would ask (join without --code) says what to give.
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run firepatrol")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write fixture");
    p
}

pub fn file_hash(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_default()
}

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use firepatrol::i18n::Lang;
use firepatrol::tui::app::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// A demo database built once per test binary, copied for each test (built relative to the
/// fixed clock, so every copy is the same).
pub fn demo_copy(dir: &Path) -> PathBuf {
    static TEMPLATE: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> = std::sync::OnceLock::new();
    let (_, template) = TEMPLATE.get_or_init(|| {
        let d = tempfile::tempdir().expect("tempdir");
        let s = demo_store(d.path());
        let p = d.path().join("template.db");
        s.backup_to(&p).expect("backup");
        (d, p)
    });
    let out = dir.join("t.db");
    let s = Store::open(template, OpenMode::Existing, clock()).expect("open template");
    s.backup_to(&out).expect("copy demo");
    out
}

pub fn open_app(db: &Path, lang: Lang, inspector: Option<&str>) -> App {
    let store = Store::open(db, OpenMode::Existing, clock()).expect("open");
    App::new(store, lang, inspector, true)
}

/// Parse a key string: plain characters, and `<enter>`, `<esc>`, `<tab>`, `<s-tab>`,
/// `<space>`, `<up>`, `<down>`, `<left>`, `<right>`, `<bs>`, `<c-c>`, `<pgdn>`.
pub fn parse_keys(s: &str) -> Vec<KeyEvent> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '<' {
            let name: String = chars.by_ref().take_while(|c| *c != '>').collect();
            let (code, m) = match name.as_str() {
                "enter" => (KeyCode::Enter, KeyModifiers::NONE),
                "esc" => (KeyCode::Esc, KeyModifiers::NONE),
                "tab" => (KeyCode::Tab, KeyModifiers::NONE),
                "s-tab" => (KeyCode::BackTab, KeyModifiers::SHIFT),
                "space" => (KeyCode::Char(' '), KeyModifiers::NONE),
                "up" => (KeyCode::Up, KeyModifiers::NONE),
                "down" => (KeyCode::Down, KeyModifiers::NONE),
                "left" => (KeyCode::Left, KeyModifiers::NONE),
                "right" => (KeyCode::Right, KeyModifiers::NONE),
                "bs" => (KeyCode::Backspace, KeyModifiers::NONE),
                "pgdn" => (KeyCode::PageDown, KeyModifiers::NONE),
                "c-c" => (KeyCode::Char('c'), KeyModifiers::CONTROL),
                "c-u" => (KeyCode::Char('u'), KeyModifiers::CONTROL),
                "lt" => (KeyCode::Char('<'), KeyModifiers::NONE),
                other => panic!("unknown key <{other}>"),
            };
            out.push(KeyEvent::new(code, m));
        } else {
            out.push(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
    }
    out
}

pub fn press(app: &mut App, keys: &str) -> usize {
    let keys = parse_keys(keys);
    let n = keys.len();
    for k in keys {
        app.key(k);
    }
    n
}

/// Draw the app into an off-screen terminal and return its text, one line per row.
pub fn screen(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| app.draw(f)).expect("draw");
    let buf = t.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..w {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
            line.push_str(sym);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

// The user's steps through the app, for tests that tell a story.

/// Open the walk of a plan building by name (from the start screen); returns the keys pressed.
pub fn open_building(app: &mut App, name: &str) -> usize {
    let k = app
        .state
        .plan
        .iter()
        .position(|i| app.state.buildings[*i].building.display_name() == name)
        .unwrap_or_else(|| panic!("{name} not in plan"));
    press(app, &format!("{}<enter>", "j".repeat(k)))
}

/// On a walk's re-check, go on to the checklist (nothing to do when there is no re-check).
pub fn skip_recheck(app: &mut App) {
    if app
        .state
        .walk
        .as_ref()
        .is_some_and(|w| w.phase == firepatrol::tui::state::Phase::Recheck)
    {
        press(app, "<enter>");
    }
}

/// Go from unit to unit (`]`) until one has open hazards to re-check.
pub fn go_to_recheck(app: &mut App) {
    while app.state.walk.as_ref().expect("in a walk").phase
        != firepatrol::tui::state::Phase::Recheck
    {
        press(app, "]");
    }
}

/// Open the first building of the plan and go past its re-check to the checklist; returns
/// the building's name.
pub fn open_first_checklist(app: &mut App) -> String {
    let name = app.state.buildings[app.state.plan[0]]
        .building
        .display_name();
    open_building(app, &name);
    skip_recheck(app);
    name
}

/// From the start screen, open the ledger and go to a status tab (`Tab`).
pub fn ledger_tab(app: &mut App, tab: firepatrol::store::StatusFilter) {
    press(app, "l");
    while app.state.ledger.filter.status != tab {
        press(app, "<tab>");
    }
}

/// A "disk full" device node of our own (`DIR/dev/full`, character device 1,7), so that no
/// test ever writes to the machine's real `/dev/full`. None where device nodes cannot be made
/// (not root).
pub fn full_device(dir: &Path) -> Option<PathBuf> {
    let dev = dir.join("dev");
    std::fs::create_dir_all(&dev).ok()?;
    let full = dev.join("full");
    let made = Command::new("mknod")
        .args([full.to_str()?, "c", "1", "7"])
        .status()
        .is_ok_and(|s| s.success());
    made.then_some(full)
}
pub mod report_ref;
pub mod sync;

/// Temporary folders ("/tmp/.tmpAbC123") differ on every run: shown as "<tmp>" in snapshots.
pub fn scrub_temp(s: &str) -> String {
    let tmp = std::env::temp_dir().join(".tmp").display().to_string();
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(&tmp) {
        out.push_str(&rest[..i]);
        out.push_str("<tmp>");
        let after = &rest[i + tmp.len()..];
        let end = after
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(after.len());
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// One module per screen, one test per language and size (`start::zh_80x24`), each calling
/// the test file's own `check(name, lang, size, reach)` (insta keeps the snapshots beside
/// the file that asserts them).
#[allow(unused_macros)]
macro_rules! snapshots {
    ($($name:ident => $reach:expr;)+) => {$(
        mod $name {
            use super::*;
            #[test]
            fn zh_80x24() {
                check(stringify!($name), Lang::Zh, (80, 24), $reach);
            }
            #[test]
            fn zh_120x40() {
                check(stringify!($name), Lang::Zh, (120, 40), $reach);
            }
            #[test]
            fn en_80x24() {
                check(stringify!($name), Lang::En, (80, 24), $reach);
            }
            #[test]
            fn en_120x40() {
                check(stringify!($name), Lang::En, (120, 40), $reach);
            }
        }
    )+};
}
#[allow(unused_imports)]
pub(crate) use snapshots;
