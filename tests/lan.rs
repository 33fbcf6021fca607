//! The office's LAN server keeps serving whatever a client does: stalled and slow clients,
//! oversized and junk bodies, a database it cannot open. And a laptop is told what really
//! happened when the office cannot be talked to.
//!
//! No test here times the happy path: a second laptop's sync is given a deadline of its own
//! (2 s), which only a server that let a slow client block it would miss.

mod common;

use common::sync::*;
use common::*;
use firepatrol::domain::sync::SyncProblem;
use firepatrol::error::Error;
use firepatrol::i18n::Lang;
use firepatrol::sync::http::{self, Limits, Listening};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::time::Duration;

/// Serve `db` on 127.0.0.1 with `limits` on a thread of its own; where it listens.
fn serve(db: &Path, limits: Limits) -> SocketAddr {
    let db = db.to_path_buf();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = http::serve(
            &db,
            "127.0.0.1:0",
            clock(),
            Lang::En,
            &limits,
            |at: &Listening| {
                let _ = tx.send(at.bound);
            },
            |_, _| {},
        );
    });
    rx.recv_timeout(Duration::from_secs(30))
        .expect("the server started")
}

/// A raw client: connect and send `head` (and nothing more yet).
fn connect(addr: SocketAddr, head: &str) -> TcpStream {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(head.as_bytes()).expect("send");
    s
}

/// Everything the server sends until it closes the connection.
fn answer(mut s: TcpStream) -> String {
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn post(len: usize) -> String {
    format!("POST /sync HTTP/1.1\r\nHost: office\r\nContent-Length: {len}\r\n\r\n")
}

fn status_of(answer: &str) -> &str {
    answer.split(' ').nth(1).unwrap_or("")
}

#[test]
fn a_stalled_client_and_one_sending_a_byte_a_second_do_not_hold_up_a_second_laptop() {
    let dir = tempfile::tempdir().unwrap();
    let mut o = office(dir.path());
    let mut liu = laptop(&mut o, dir.path(), "liu.db", "刘建国");
    drop(o);
    let addr = serve(&dir.path().join("office.db"), Limits::default());
    // One promised 100,000 bytes and sent 3; one sends its headers a byte a second; one
    // sends its body a byte a second.
    let mut stalled = connect(addr, &post(100_000));
    stalled.write_all(b"FPB").unwrap();
    let mut slow_head = connect(addr, "POST /sy");
    let mut slow_body = connect(addr, &post(50_000));
    let trickle = std::thread::spawn(move || {
        for _ in 0..5 {
            std::thread::sleep(Duration::from_secs(1));
            let _ = slow_head.write_all(b"n");
            let _ = slow_body.write_all(b"x");
        }
        (slow_head, slow_body)
    });
    // Meanwhile the second laptop syncs, and would give up after 2 s if it had to wait.
    let h = record(&mut liu, "刘建国", "EBK-01", None);
    let url = format!("http://{addr}");
    for round in 0..3 {
        let (_, sent) = http::sync_with(&mut liu, &url, Duration::from_secs(2))
            .unwrap_or_else(|e| panic!("sync {round} was held up: {}", e.message(Lang::En)));
        if round == 0 {
            assert!(sent > 0, "the hazard went");
        }
    }
    let office_db = firepatrol::store::Store::open(
        &dir.path().join("office.db"),
        firepatrol::store::OpenMode::Existing,
        clock(),
    )
    .unwrap();
    assert!(office_db.hazard(&h.id).unwrap().is_some());
    drop(stalled);
    let _ = trickle.join();
}

#[test]
fn a_body_that_does_not_arrive_in_time_or_headers_that_never_end_are_cut_off() {
    let dir = tempfile::tempdir().unwrap();
    drop(office(dir.path()));
    let limits = Limits {
        headers: Duration::from_millis(500),
        body: Duration::from_millis(800),
        idle: Duration::from_millis(400),
        ..Limits::default()
    };
    let addr = serve(&dir.path().join("office.db"), limits);
    let mut stalled = connect(addr, &post(100_000));
    stalled.write_all(b"FPB").unwrap();
    let said = answer(stalled);
    assert_eq!(status_of(&said), "408", "{said}");
    assert!(said.contains("did not arrive within"), "{said}");
    // Headers that never end: the connection is closed, nothing answered.
    let said = answer(connect(addr, "POST /sync HTTP/1.1\r\nHost: off"));
    assert!(!said.contains("200 OK"), "{said}");
}

#[test]
fn a_body_over_the_limit_is_refused_from_its_length_before_it_is_sent_and_a_chunked_one_is_cut() {
    let dir = tempfile::tempdir().unwrap();
    drop(office(dir.path()));
    let limits = Limits {
        max_body: 1 << 20,
        budget: 1 << 20,
        ..Limits::default()
    };
    let addr = serve(&dir.path().join("office.db"), limits);
    // A gibibyte announced, not a byte of it sent: the answer comes at once.
    let said = answer(connect(addr, &post(1 << 30)));
    assert_eq!(status_of(&said), "413", "{said}");
    assert!(
        said.contains("too large") && said.contains("1 MB"),
        "{said}"
    );
    // Chunked, with no length to check: cut as soon as it passes the limit. The connection is
    // closed then, so sending fails long before 32 MB (the system's buffers take a few MB).
    let mut s = connect(
        addr,
        "POST /sync HTTP/1.1\r\nHost: office\r\nTransfer-Encoding: chunked\r\n\r\n",
    );
    let chunk = vec![b'z'; 64 << 10];
    let mut sent = 0usize;
    while sent <= 32 << 20 {
        let mut frame = format!("{:x}\r\n", chunk.len()).into_bytes();
        frame.extend_from_slice(&chunk);
        frame.extend_from_slice(b"\r\n");
        if s.write_all(&frame).is_err() {
            break;
        }
        sent += chunk.len();
    }
    let said = answer(s);
    assert_eq!(status_of(&said), "413", "after {sent} bytes: {said}");
    assert!(
        sent < 32 << 20,
        "the server took {sent} bytes past a 1 MB limit"
    );
}

#[test]
fn junk_gets_a_400_in_words_and_no_path_of_the_office() {
    let dir = tempfile::tempdir().unwrap();
    drop(office(dir.path()));
    let addr = serve(&dir.path().join("office.db"), Limits::default());
    let mut s = connect(addr, &post(11));
    s.write_all(b"hello there").unwrap();
    let said = answer(s);
    assert_eq!(status_of(&said), "400", "{said}");
    assert!(said.contains("is not a sync file"), "{said}");
    let folder = dir.path().display().to_string();
    assert!(
        !said.contains(&folder) && !said.contains("office.db"),
        "{said}"
    );
    // Anything but POST /sync is told what this is.
    let said = answer(connect(addr, "GET / HTTP/1.1\r\nHost: office\r\n\r\n"));
    assert_eq!(status_of(&said), "404", "{said}");
    assert!(said.contains("community office's firepatrol"), "{said}");
}

#[test]
fn an_office_database_that_fails_is_not_reported_to_the_laptop_as_damaged_nor_with_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let mut o = office(dir.path());
    let mut liu = laptop(&mut o, dir.path(), "liu.db", "刘建国");
    drop(o);
    // The office's file is not a database any more.
    let db = dir.path().join("office.db");
    std::fs::write(&db, vec![0x5a; 8192]).unwrap();
    let addr = serve(&db, Limits::default());
    record(&mut liu, "刘建国", "EBK-01", None);
    let before = liu.sync_pending().unwrap();
    let e = http::sync_with(&mut liu, &format!("http://{addr}"), Duration::from_secs(30))
        .expect_err("the office cannot take it in");
    let said = e.message(Lang::En);
    assert!(
        matches!(
            &e,
            Error::Sync {
                problem: SyncProblem::OfficeSaid(_),
                ..
            }
        ),
        "{said}"
    );
    assert!(
        said.contains("Something went wrong at the office"),
        "{said}"
    );
    let folder = dir.path().display().to_string();
    for leak in [folder.as_str(), "office.db", "damaged", "restore"] {
        assert!(!said.contains(leak), "{leak:?} in {said}");
    }
    assert_eq!(liu.sync_pending().unwrap(), before, "nothing changed");
}

#[test]
fn https_is_refused_with_the_reason_and_nothing_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let mut o = office(dir.path());
    let mut liu = laptop(&mut o, dir.path(), "liu.db", "刘建国");
    record(&mut liu, "刘建国", "EBK-01", None);
    let before = liu.sync_pending().unwrap();
    // Something listens there: an attempt would be seen.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("HTTPS://{}", listener.local_addr().unwrap());
    let e = http::sync_with(&mut liu, &url, Duration::from_secs(2)).unwrap_err();
    assert!(matches!(
        e,
        Error::Sync {
            problem: SyncProblem::NoTls,
            ..
        }
    ));
    let said = e.message(Lang::En);
    assert!(
        said.contains("already encrypted") && said.contains("http://"),
        "{said}"
    );
    assert!(!e.message(Lang::Zh).is_empty());
    assert!(listener.accept().is_err(), "nothing connected");
    assert_eq!(liu.sync_pending().unwrap(), before);
}

#[test]
fn an_office_that_never_answers_is_a_timeout_not_a_cable() {
    let dir = tempfile::tempdir().unwrap();
    let mut o = office(dir.path());
    let mut liu = laptop(&mut o, dir.path(), "liu.db", "刘建国");
    // A computer that takes the connection and never says a word.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let holder = std::thread::spawn(move || listener.accept().map(|(s, _)| s));
    let e =
        http::sync_with(&mut liu, &format!("http://{addr}"), Duration::from_secs(1)).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Sync {
                problem: SyncProblem::TimedOut { secs: 1 },
                ..
            }
        ),
        "{e:?}"
    );
    let said = e.message(Lang::En);
    assert!(
        said.contains("did not finish answering within 1 s") && !said.contains("cable"),
        "{said}"
    );
    drop(holder.join());
}

#[test]
fn the_printed_address_is_one_a_laptop_can_reach_never_every_interface() {
    let dir = tempfile::tempdir().unwrap();
    drop(office(dir.path()));
    let db = dir.path().join("office.db");
    // On every interface: the addresses offered are this machine's own, never 0.0.0.0.
    let (tx, rx) = std::sync::mpsc::channel();
    let db2 = db.clone();
    std::thread::spawn(move || {
        let _ = http::serve(
            &db2,
            "0.0.0.0:0",
            clock(),
            Lang::En,
            &Limits::default(),
            |at: &Listening| {
                let _ = tx.send(at.clone());
            },
            |_, _| {},
        );
    });
    let at = rx.recv_timeout(Duration::from_secs(30)).unwrap();
    assert!(!at.local_only());
    for a in &at.reachable {
        assert!(
            !a.ip().is_unspecified() && !a.ip().is_loopback(),
            "{a} offered"
        );
        assert_eq!(a.port(), at.bound.port());
    }
    assert_eq!(at.address(), at.reachable.first().copied());
    // On this machine only: said so, with how to listen for the laptops.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_firepatrol"))
        .args(["--db", &db.display().to_string(), "serve", "--listen"])
        .arg("127.0.0.1:0")
        .env("LANG", "en_US.UTF-8")
        .env("HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path().join("xdg"))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = Vec::new();
    let mut out = child.stdout.take().unwrap();
    let mut byte = [0u8; 1];
    while line.last() != Some(&b'\n') && out.read(&mut byte).unwrap_or(0) == 1 {
        line.push(byte[0]);
    }
    let first = String::from_utf8_lossy(&line).into_owned();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        first.contains("this computer only") && first.contains("--listen 0.0.0.0:"),
        "{first}"
    );
    assert!(!first.contains("http://0.0.0.0"), "{first}");
}

#[test]
fn with_no_network_address_the_office_is_told_how_to_find_one() {
    let w = Lang::En.cat().sync;
    let said = (w.serving_none)(8080);
    assert!(
        said.contains("ip addr") && said.contains("ipconfig") && said.contains("8080"),
        "{said}"
    );
    assert!(!said.contains("0.0.0.0"));
    let zh = (Lang::Zh.cat().sync.serving_none)(8080);
    assert!(zh.contains("ip addr") && zh.contains("ipconfig"), "{zh}");
}
