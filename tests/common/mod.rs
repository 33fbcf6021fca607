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
    Command::new(env!("CARGO_BIN_EXE_firepatrol"))
        .args(args)
        .env("XDG_DATA_HOME", dir.join("xdg"))
        .env("HOME", dir)
        .env("FIREPATROL_NOW", NOW)
        .env("LANG", "en_US.UTF-8")
        .env_remove("FIREPATROL_DB")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
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
