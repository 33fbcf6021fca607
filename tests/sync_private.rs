//! Issue 23: residents' data stays private on the way. An office and two laptops over the real
//! binary, and an attacker who holds every file that went through the group chat: the
//! enrolment files, the laptops' sync files and the office's replies.

mod common;

use common::sync::{code_on_last_line, keys_of};
use common::{NOW, run_at, stderr, stdout};
use firepatrol::store::{OpenMode, Store};
use std::io::{Read, Write};
use std::path::Path;
use std::process::Output;

struct Community {
    dir: tempfile::TempDir,
}

impl Community {
    fn path(&self, f: &str) -> String {
        self.dir.path().join(f).to_string_lossy().into_owned()
    }

    fn run(&self, db: &str, args: &[&str]) -> Output {
        let db = self.path(db);
        let mut all = vec!["--db", db.as_str()];
        all.extend_from_slice(args);
        run_at(self.dir.path(), NOW, &all)
    }

    fn ok(&self, db: &str, args: &[&str]) -> String {
        let o = self.run(db, args);
        assert!(
            o.status.success(),
            "{db} {args:?}: {}{}",
            stdout(&o),
            stderr(&o)
        );
        stdout(&o)
    }

    fn refused(&self, db: &str, args: &[&str]) -> String {
        let o = self.run(db, args);
        assert!(!o.status.success(), "{db} {args:?} was accepted");
        stderr(&o)
    }

    /// By file: the laptop's sync file, the office's reply, taken in.
    fn sync(&self, laptop: &str, name: &str) {
        let file = self.path(name);
        self.ok(laptop, &["sync", "--out", &file]);
        self.ok("office.db", &["sync", &file]);
        self.ok(laptop, &["sync", &format!("{file}.reply")]);
    }

    /// The office's `serve` on a free port of this machine: its address.
    fn serve(&self) -> std::net::SocketAddr {
        let db = self.dir.path().join("office.db");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = firepatrol::sync::http::serve(
                &db,
                "127.0.0.1:0",
                common::clock(),
                firepatrol::i18n::Lang::En,
                &firepatrol::sync::http::Limits::default(),
                |at| {
                    let _ = tx.send(at.bound);
                },
                |_, _| {},
            );
        });
        rx.recv().unwrap()
    }

    /// One of the community's databases, opened.
    fn store(&self, db: &str, mode: OpenMode) -> Store {
        Store::open(Path::new(&self.path(db)), mode, common::clock()).unwrap()
    }

    fn bytes(&self, f: &str) -> Vec<u8> {
        std::fs::read(self.path(f)).unwrap()
    }
}

/// An office, laptop A (刘建国) and laptop B (吴长林), each joined with its code, and a
/// resident's name and phone recorded on A.
fn community() -> Community {
    let c = Community {
        dir: tempfile::tempdir().unwrap(),
    };
    c.ok("office.db", &["init", "--demo"]);
    c.ok("office.db", &["init", "--office"]);
    for (who, db) in [("刘建国", "a"), ("吴长林", "b")] {
        let file = c.path(&format!("{db}.enrol"));
        let said = c.ok(
            "office.db",
            &["devices", "add", "--person", who, "--out", &file],
        );
        let code = code_on_last_line(&said);
        c.ok(&format!("{db}.db"), &["join", &file, "--code", &code]);
    }
    c.ok(
        "a.db",
        &[
            "people",
            "add",
            "钱秀英",
            "--role",
            "unit_leader",
            "--phone",
            "13877770001",
        ],
    );
    c.sync("a.db", "a1.sync");
    c.sync("b.db", "b1.sync");
    c
}

/// Every name and phone the community holds, and its name.
fn personal(c: &Community) -> Vec<String> {
    let s = c.store("a.db", OpenMode::ReadOnly);
    let mut all: Vec<String> = s
        .people()
        .unwrap()
        .into_iter()
        .flat_map(|p| [p.name, p.phone])
        .filter(|v| v.chars().count() >= 2)
        .collect();
    all.push(s.community_identity().unwrap().unwrap().1);
    assert!(all.iter().any(|v| v == "13877770001"));
    all
}

/// The header (JSON) and the payload of a sync file.
fn parts(bytes: &[u8]) -> (String, &[u8]) {
    let len = u32::from_le_bytes(bytes[9..13].try_into().unwrap()) as usize;
    let header = String::from_utf8(bytes[13..13 + len].to_vec()).unwrap();
    (header, &bytes[13 + len..bytes.len() - 64])
}

#[test]
fn no_name_or_phone_can_be_read_from_any_file_that_went_through_the_chat_app() {
    let c = community();
    let secrets = personal(&c);
    for f in [
        "a.enrol",
        "b.enrol",
        "a1.sync",
        "a1.sync.reply",
        "b1.sync",
        "b1.sync.reply",
    ] {
        let bytes = c.bytes(f);
        let (header, payload) = parts(&bytes);
        assert!(
            payload.starts_with(b"age-encryption.org/v1"),
            "{f}: not sealed"
        );
        // Nothing decompresses: there is no zstd frame to be found anywhere in the file.
        for at in 0..bytes.len().saturating_sub(4) {
            if bytes[at..].starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
                let mut out = Vec::new();
                let got = zstd::stream::read::Decoder::new(&bytes[at..])
                    .and_then(|mut d| d.read_to_end(&mut out));
                let text = String::from_utf8_lossy(&out);
                assert!(
                    got.is_err() || secrets.iter().all(|s| !text.contains(s.as_str())),
                    "{f}: a compressed frame at {at} holds personal data"
                );
            }
        }
        let raw = String::from_utf8_lossy(&bytes);
        for s in &secrets {
            assert!(!raw.contains(s.as_str()), "{f} shows {s}");
            assert!(!header.contains(s.as_str()), "{f}'s header shows {s}");
        }
        assert!(!header.contains("secret"), "{f}'s header: {header}");
    }
    // The reply to B opens on B only.
    let said = c.refused("a.db", &["sync", &c.path("b1.sync.reply")]);
    assert!(said.contains("another laptop"), "{said}");
    let b = c.store("b.db", OpenMode::ReadOnly);
    let opened = common::sync::opened(&c.bytes("b1.sync.reply"), &b);
    assert!(!opened.changeset.is_empty());
    let a = c.store("a.db", OpenMode::ReadOnly);
    let wrong = firepatrol::sync::bundle::read(&c.bytes("b1.sync.reply"))
        .unwrap()
        .open(
            firepatrol::sync::bundle::Opener::Keys(&keys_of(&a).age),
            1 << 30,
        )
        .unwrap_err();
    assert_eq!(
        wrong,
        firepatrol::domain::sync::SyncProblem::NotForThisMachine
    );
}

#[test]
fn an_enrolment_file_opens_only_with_its_code_and_a_used_one_joins_nothing() {
    let c = community();
    let file = c.path("a.enrol");
    // Without the code, with a wrong one: refused, and no database is made.
    let said = c.refused("x.db", &["join", &file]);
    assert!(said.contains("--code"), "{said}");
    let said = c.refused("x.db", &["join", &file, "--code", "0000 0000"]);
    assert!(said.contains("code"), "{said}");
    let said = c.refused("x.db", &["join", &file, "--code", "12"]);
    assert!(said.contains("code"), "{said}");
    assert!(!Path::new(&c.path("x.db")).exists());
    // A's code, typed with a Chinese input method's full-width digits, opens it; but the
    // office takes nothing from a second database with it.
    let said = c.ok(
        "office.db",
        &[
            "devices",
            "add",
            "--person",
            "胡海军",
            "--out",
            &c.path("h.enrol"),
        ],
    );
    let code: String = code_on_last_line(&said)
        .chars()
        .map(|d| char::from_u32(u32::from(d) - u32::from('0') + u32::from('０')).unwrap())
        .collect();
    c.ok("h.db", &["join", &c.path("h.enrol"), "--code", &code]);
    c.sync("h.db", "h1.sync");
    let copy = c.path("h.enrol");
    let again = code_on_last_line(&said);
    c.ok("thief.db", &["join", &copy, "--code", &again]);
    let f = c.path("thief.sync");
    c.ok("thief.db", &["sync", "--out", &f]);
    let said = c.refused("office.db", &["sync", &f]);
    assert!(said.contains("another laptop database"), "{said}");
    // The real laptop syncs on as before.
    c.sync("h.db", "h2.sync");
}

#[test]
fn secret_keys_live_beside_the_database_readable_by_its_owner_only_and_never_in_a_backup() {
    use std::os::unix::fs::PermissionsExt;
    let c = community();
    for db in ["office.db", "a.db", "b.db"] {
        let key = c.path(&format!("{db}.key"));
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{key}");
        let text = std::fs::read_to_string(&key).unwrap();
        let file: serde_json::Value = serde_json::from_str(&text).unwrap();
        let sign = file["sign"].as_str().unwrap().to_string();
        let age = file["age"].as_str().unwrap().to_string();
        assert!(age.starts_with("AGE-SECRET-KEY-"));
        let out = c.path(&format!("{db}.backup"));
        c.ok(db, &["backup", "--out", &out]);
        for f in [c.path(db), out] {
            let bytes = std::fs::read(&f).unwrap();
            let raw = String::from_utf8_lossy(&bytes);
            assert!(!raw.contains(&sign), "{f} holds the signing key");
            assert!(!raw.contains(&age), "{f} holds the age key");
            assert!(!raw.contains("sync_secret"), "{f} has a sync_secret");
        }
    }
    // A laptop whose key file is gone is told what it is and what to do; nothing is lost.
    std::fs::rename(c.path("b.db.key"), c.path("b.key.lost")).unwrap();
    let said = c.refused("b.db", &["sync", "--out", &c.path("b2.sync")]);
    assert!(
        said.contains("key file") && said.contains("devices reenrol"),
        "{said}"
    );
    std::fs::rename(c.path("b.key.lost"), c.path("b.db.key")).unwrap();
    c.sync("b.db", "b2.sync");
}

#[test]
fn an_old_file_replayed_to_serve_gets_an_acknowledgement_and_no_personal_data() {
    let c = community();
    let secrets = personal(&c);
    // A and B sync again, so their first files are old news.
    c.sync("b.db", "b2.sync");
    c.sync("a.db", "a2.sync");
    let addr = c.serve();
    for old in ["a1.sync", "a2.sync", "b1.sync"] {
        let body = c.bytes(old);
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        write!(
            s,
            "POST /sync HTTP/1.1\r\nHost: office\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .unwrap();
        s.write_all(&body).unwrap();
        let mut answer = Vec::new();
        s.read_to_end(&mut answer).unwrap();
        let text = String::from_utf8_lossy(&answer);
        assert!(text.starts_with("HTTP/1.1 200"), "{old}: {text}");
        let (_, reply) = text.split_once("\r\n\r\n").unwrap();
        assert!(
            reply.is_empty(),
            "{old} was answered with {} bytes",
            reply.len()
        );
        for s in &secrets {
            assert!(!text.contains(s.as_str()));
        }
    }
}

#[test]
fn a_laptop_from_before_sealed_files_moves_its_key_out_says_hello_and_syncs_on() {
    use firepatrol::store::meta::MetaKey;
    let dir = tempfile::tempdir().unwrap();
    let mut office = common::sync::office(dir.path());
    let mut liu = common::sync::laptop(&mut office, dir.path(), "liu.db", "刘建国");
    common::sync::round_trip(&mut office, &mut liu);
    // As an older firepatrol left it: the signing key in the database, no key file, and no
    // age key of the office's.
    let old = keys_of(&liu);
    std::fs::remove_file(firepatrol::sync::keys::key_path(liu.path())).unwrap();
    liu.set_sync_meta(&[
        (
            MetaKey::SyncSecret,
            &firepatrol::sync::keys::secret_hex(&old.sign),
        ),
        (MetaKey::SyncOfficeAge, ""),
    ])
    .unwrap();
    let h = common::sync::record(&mut liu, "刘建国", "EBK-01", None);
    // The first file carries the laptop's keys and nothing else; the reply brings the
    // office's age key; the next file carries the hazard.
    let (hello, _) = firepatrol::sync::laptop_bundle(&mut liu).unwrap();
    assert!(firepatrol::sync::bundle::read(&hello).unwrap().is_empty());
    let reply = firepatrol::sync::receive(&mut office, &hello, "hello")
        .unwrap()
        .reply
        .unwrap();
    firepatrol::sync::receive(&mut liu, &reply, "reply").unwrap();
    assert!(office.hazard(&h.id).unwrap().is_none());
    common::sync::round_trip(&mut office, &mut liu);
    assert!(office.hazard(&h.id).unwrap().is_some());
    // The key moved to the key file, the same key, and the database holds it no more.
    assert_eq!(keys_of(&liu).sign_public(), old.sign_public());
    assert_eq!(liu.meta(MetaKey::SyncSecret).unwrap(), None);
    for s in [&office, &liu] {
        assert_eq!(s.check().unwrap(), Vec::<String>::new());
    }
}

#[test]
fn the_office_pc_lost_new_keys_and_laptops_enrolled_again_lose_nothing() {
    let c = community();
    // Laptop A patrols on while the office's PC is lost.
    let hazard = {
        let mut a = c.store("a.db", OpenMode::Existing);
        common::sync::record(&mut a, "刘建国", "EBK-01", None).id
    };
    // On a new PC: yesterday's backup of the office's database, and no key file.
    let backup = c.path("office-backup.db");
    c.ok("office.db", &["backup", "--out", &backup]);
    std::fs::remove_file(c.path("office.db.key")).unwrap();
    std::fs::remove_file(c.path("office.db")).unwrap();
    std::fs::rename(&backup, c.path("office.db")).unwrap();
    let said = c.refused(
        "office.db",
        &["devices", "reenrol", "A", "--out", &c.path("x")],
    );
    assert!(said.contains("key file"), "{said}");
    let said = c.ok("office.db", &["init", "--office"]);
    assert!(
        said.contains("new keys") && said.contains("reenrol"),
        "{said}"
    );
    // A's file, sealed to the lost key, is refused with the reason.
    let file = c.path("a2.sync");
    c.ok("a.db", &["sync", "--out", &file]);
    let said = c.refused("office.db", &["sync", &file]);
    assert!(said.contains("another computer"), "{said}");
    // Each laptop enrolled again: same letter, new keys, nothing lost.
    for (db, letter) in [("a.db", "A"), ("b.db", "B")] {
        let enrol = c.path(&format!("{letter}-again.enrol"));
        let said = c.ok(
            "office.db",
            &["devices", "reenrol", letter, "--out", &enrol],
        );
        let code = code_on_last_line(&said);
        let said = c.ok(db, &["join", &enrol, "--code", &code]);
        assert!(said.contains("again"), "{said}");
        c.sync(db, &format!("{letter}-3.sync"));
        c.sync(db, &format!("{letter}-4.sync"));
    }
    let office = c.store("office.db", OpenMode::ReadOnly);
    assert!(office.hazard(&hazard).unwrap().is_some(), "A's hazard lost");
    for db in ["office.db", "a.db", "b.db"] {
        c.ok(db, &["check"]);
    }
}

#[test]
fn over_the_office_lan_a_laptop_joins_with_the_same_one_time_code() {
    let c = community();
    let said = c.ok(
        "office.db",
        &[
            "devices",
            "add",
            "--person",
            "胡海军",
            "--out",
            &c.path("c.enrol"),
        ],
    );
    assert!(said.contains("/enrol/C"), "{said}");
    let code = code_on_last_line(&said);
    let url = format!("http://{}", c.serve());
    // A wrong code opens nothing, and nothing is made.
    let said = c.refused(
        "c.db",
        &["join", &format!("{url}/enrol/C"), "--code", "11112222"],
    );
    assert!(said.contains("code"), "{said}");
    assert!(!Path::new(&c.path("c.db")).exists());
    // No such letter: told so.
    let said = c.refused(
        "c.db",
        &["join", &format!("{url}/enrol/Q"), "--code", &code],
    );
    assert!(said.contains("no enrolment file waiting"), "{said}");
    // The right one joins, and syncs over the LAN.
    let said = c.ok(
        "c.db",
        &["join", &format!("{url}/enrol/C"), "--code", &code],
    );
    assert!(said.contains("胡海军"), "{said}");
    c.ok("c.db", &["sync", &url]);
    // Once it has synced, the office hands that file out no more.
    let said = c.refused(
        "x.db",
        &["join", &format!("{url}/enrol/C"), "--code", &code],
    );
    assert!(said.contains("no enrolment file waiting"), "{said}");
    c.ok("c.db", &["check"]);
}
