//! The office's LAN server under hostile uploads (issue 23): its peak memory, measured by
//! `/usr/bin/time -v` around the real `firepatrol serve`, idle and under
//!
//! - 1 GiB sent with its `Content-Length`,
//! - 1 GiB sent chunked (no length to check first),
//! - a zstd bomb: a bundle signed with an enrolled laptop's key whose payload is a few
//!   kilobytes that unpack to `BOMB_MB` (default 1024) MiB of zeros,
//!
//! each on a fresh server, followed by a normal laptop's sync to show it still serves. Then
//! the same bomb's payload unpacked by `sync::http::limits::unpack` alone, under the same
//! measure. Prints a table; nothing is asserted (see tests/lan.rs for the behaviour).
//!
//! `cargo bench --bench lan` (builds the release binary first: `cargo build --release`).

use firepatrol::store::*;
use firepatrol::sync::{bundle, http};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

mod common;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // Re-invoked under /usr/bin/time: unpack one payload with the capped helper.
    if let Some(i) = args.iter().position(|a| a == "--unpack") {
        let payload = std::fs::read(&args[i + 1]).expect("payload");
        let r = http::limits::unpack(&payload, http::limits::MAX_CHANGESET_LAN);
        println!("{:?}", r.map(|v| v.len()));
        return;
    }
    let fp = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/firepatrol");
    assert!(fp.exists(), "build it first: cargo build --release");
    let bomb_mb: u64 = std::env::var("BOMB_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024);
    let dir = tempfile::tempdir().expect("temp");
    let (mut laptop, bomb, payload) = enrolled(dir.path(), bomb_mb);
    let office = dir.path().join("office.db");
    println!("| what arrives | peak RSS of serve | above idle | a laptop's sync afterwards |");
    println!("|---|---|---|---|");
    let idle = run(&fp, &office, &mut laptop, "idle", |_| {});
    let row = |what: &str, peak: u64, after: &str| {
        println!(
            "| {what} | {:.1} MB | {:+.1} MB | {after} |",
            peak as f64 / 1024.0,
            (peak as f64 - idle.0 as f64) / 1024.0
        );
    };
    row("nothing (idle)", idle.0, &idle.1);
    let gib = 1u64 << 30;
    let (p, a) = run(&fp, &office, &mut laptop, "1 GiB with length", |addr| {
        upload(addr, gib, false)
    });
    row("1 GiB, Content-Length", p, &a);
    let (p, a) = run(&fp, &office, &mut laptop, "1 GiB chunked", |addr| {
        upload(addr, gib, true)
    });
    row("1 GiB, chunked", p, &a);
    let (p, a) = run(&fp, &office, &mut laptop, "bomb", |addr| {
        post_bytes(addr, &bomb)
    });
    row(
        &format!(
            "signed bomb ({} KB unpacking to {bomb_mb} MiB)",
            bomb.len() / 1024
        ),
        p,
        &a,
    );
    let file = dir.path().join("payload.zst");
    std::fs::write(&file, &payload).expect("payload");
    let me = std::env::current_exe().expect("exe");
    let (peak, out) = timed(Command::new(me).arg("--unpack").arg(&file));
    println!(
        "\nthe bomb's payload through limits::unpack (cap {} MiB) alone: peak {:.1} MB, {}",
        http::limits::MAX_CHANGESET_LAN >> 20,
        peak as f64 / 1024.0,
        out.trim()
    );
}

/// An office and one joined laptop, and a bomb signed with the laptop's key (with its
/// compressed payload alone).
fn enrolled(dir: &Path, bomb_mb: u64) -> (Store, Vec<u8>, Vec<u8>) {
    let (_, mut laptop) = common::office_and_laptop(dir);
    let (real, _) = firepatrol::sync::laptop_bundle(&mut laptop).expect("bundle");
    let header = bundle::read(&real).expect("read").header;
    // The laptop's own keys, from the key file beside it, and the office's age key it seals
    // to: the bomb is a real, signed and sealed bundle.
    let keys = firepatrol::sync::keys::load(laptop.path())
        .expect("key file")
        .expect("the laptop's keys");
    let office_age = laptop
        .meta(firepatrol::store::meta::MetaKey::SyncOfficeAge)
        .expect("meta")
        .expect("the office's age key");
    let zeros = vec![0u8; usize::try_from(bomb_mb << 20).expect("size")];
    let inner = bundle::Inner::default();
    let seal = bundle::Seal::To(&office_age);
    let bomb = bundle::write(header, &inner, &zeros, seal, &keys.sign).expect("bomb");
    let payload = zstd::stream::encode_all(&zeros[..], 9).expect("payload");
    (laptop, bomb, payload)
}

/// Start `serve` under /usr/bin/time -v, do `hostile`, then a normal sync, then stop it:
/// the peak RSS in KB and what the sync said.
fn run(
    fp: &Path,
    office: &Path,
    laptop: &mut Store,
    label: &str,
    hostile: impl FnOnce(&str),
) -> (u64, String) {
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let mut time = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(fp)
        .arg("--db")
        .arg(office)
        .args(["--lang", "en", "serve", "--listen", &addr])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("/usr/bin/time (apt-get install time)");
    wait_listening(&mut time);
    hostile(&addr);
    let after = match http::sync_with(laptop, &format!("http://{addr}"), Duration::from_secs(30)) {
        Ok(_) => "synced".to_string(),
        Err(e) => format!("FAILED: {}", e.message(firepatrol::i18n::Lang::En)),
    };
    stop(&time);
    let mut err = String::new();
    if let Some(mut e) = time.stderr.take() {
        let _ = e.read_to_string(&mut err);
    }
    let _ = time.wait();
    let peak = max_rss(&err).unwrap_or_else(|| panic!("{label}: no figure in {err}"));
    (peak, after)
}

fn timed(cmd: &mut Command) -> (u64, String) {
    let mut time = Command::new("/usr/bin/time");
    time.arg("-v").arg(cmd.get_program()).args(cmd.get_args());
    let o = time.output().expect("/usr/bin/time");
    let err = String::from_utf8_lossy(&o.stderr);
    (
        max_rss(&err).expect("figure"),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

fn max_rss(time_v: &str) -> Option<u64> {
    time_v
        .lines()
        .find(|l| l.contains("Maximum resident set size"))
        .and_then(|l| l.rsplit(':').next())
        .and_then(|n| n.trim().parse().ok())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Wait for serve's first line (it listens by then).
fn wait_listening(time: &mut Child) {
    let mut out = time.stdout.take().expect("stdout");
    let mut byte = [0u8; 1];
    while out.read(&mut byte).unwrap_or(0) == 1 && byte[0] != b'\n' {}
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
}

/// Stop the `serve` that /usr/bin/time started (its only child), so that time reports.
fn stop(time: &Child) {
    let children = format!("/proc/{0}/task/{0}/children", time.id());
    let pid = std::fs::read_to_string(&children).unwrap_or_default();
    for pid in pid.split_whitespace() {
        let _ = Command::new("kill").args(["-TERM", pid]).status();
    }
}

/// Send `n` zero bytes as a body, with its length or chunked, until the server stops taking
/// them; read its answer.
fn upload(addr: &str, n: u64, chunked: bool) {
    let Ok(mut s) = TcpStream::connect(addr) else {
        return;
    };
    let head = if chunked {
        "POST /sync HTTP/1.1\r\nHost: office\r\nTransfer-Encoding: chunked\r\n\r\n".to_string()
    } else {
        format!("POST /sync HTTP/1.1\r\nHost: office\r\nContent-Length: {n}\r\n\r\n")
    };
    let _ = s.write_all(head.as_bytes());
    let piece = vec![0u8; 1 << 20];
    let mut sent = 0;
    while sent < n {
        let ok = if chunked {
            let mut f = format!("{:x}\r\n", piece.len()).into_bytes();
            f.extend_from_slice(&piece);
            f.extend_from_slice(b"\r\n");
            s.write_all(&f)
        } else {
            s.write_all(&piece)
        };
        if ok.is_err() {
            break;
        }
        sent += piece.len() as u64;
    }
    if chunked && sent >= n {
        let _ = s.write_all(b"0\r\n\r\n");
    }
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    eprintln!(
        "   sent {} MiB, answer: {}",
        sent >> 20,
        String::from_utf8_lossy(&answer)
            .lines()
            .next()
            .unwrap_or("(none)")
    );
}

fn post_bytes(addr: &str, body: &[u8]) {
    let Ok(mut s) = TcpStream::connect(addr) else {
        return;
    };
    let head = format!(
        "POST /sync HTTP/1.1\r\nHost: office\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let _ = s.write_all(head.as_bytes());
    let _ = s.write_all(body);
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    eprintln!(
        "   answer: {}",
        String::from_utf8_lossy(&answer)
            .lines()
            .next()
            .unwrap_or("(none)")
    );
}
