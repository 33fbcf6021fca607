//! The nine ways sync used to break for good in a real community, each over the real binary
//! and in the words of the user's story: an office (`init --demo`, `init --office`) and two
//! laptops, A (刘建国) and B (吴长林), joined with their enrolment files. After each story
//! every laptop's next sync is accepted, and `check` passes on every database.

mod common;

use common::{NOW, run_at, stderr, stdout};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

/// One community on disk: the office and its laptops, each run at its own clock.
struct Community {
    dir: tempfile::TempDir,
}

impl Community {
    fn path(&self, f: &str) -> String {
        self.dir.path().join(f).to_string_lossy().into_owned()
    }

    fn at(&self, now: &str, db: &str, args: &[&str]) -> Output {
        let db = self.path(db);
        let mut all = vec!["--db", db.as_str()];
        all.extend_from_slice(args);
        run_at(self.dir.path(), now, &all)
    }

    /// A command that must succeed; its output.
    fn ok(&self, db: &str, args: &[&str]) -> String {
        self.ok_at(NOW, db, args)
    }

    fn ok_at(&self, now: &str, db: &str, args: &[&str]) -> String {
        let o = self.at(now, db, args);
        assert!(
            o.status.success(),
            "{db} {args:?}: {}{}",
            stdout(&o),
            stderr(&o)
        );
        stdout(&o)
    }

    /// A command that must be refused; its message.
    fn refused(&self, db: &str, args: &[&str]) -> String {
        let o = self.at(NOW, db, args);
        assert!(
            !o.status.success(),
            "{db} {args:?} was accepted: {}",
            stdout(&o)
        );
        stderr(&o)
    }

    /// A laptop writes its sync file, the office takes it in and writes the reply, the
    /// laptop takes the reply. Returns what the office and the laptop said.
    fn sync_at(&self, now: &str, laptop: &str) -> (String, String) {
        let file = self.path(&format!("{laptop}.sync"));
        self.ok_at(now, laptop, &["sync", "--out", &file]);
        let office = self.ok("office.db", &["sync", &file]);
        let took = self.ok_at(now, laptop, &["sync", &format!("{file}.reply")]);
        (office, took)
    }

    /// `join` with an enrolment file and the code the office gave with it.
    fn join(&self, db: &str, enrol: &str, more: &[&str]) -> String {
        let code = std::fs::read_to_string(self.path(&format!("{enrol}.code"))).unwrap();
        let file = self.path(enrol);
        let mut args = vec!["join", file.as_str(), "--code", code.as_str()];
        args.extend_from_slice(more);
        self.ok(db, &args)
    }

    fn sync(&self, laptop: &str) -> (String, String) {
        self.sync_at(NOW, laptop)
    }

    fn all_check(&self, dbs: &[&str]) {
        for db in dbs {
            self.ok(db, &["check"]);
        }
    }

    fn query(&self, db: &str, sql: &str) -> Vec<String> {
        let conn = rusqlite::Connection::open(self.path(db)).unwrap();
        let mut st = conn.prepare(sql).unwrap();
        st.query_map([], |r| r.get::<_, String>(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    }

    /// The duties of a person, as the ids of their rows.
    fn duties(&self, db: &str, name: &str) -> Vec<String> {
        self.query(
            db,
            &format!(
                "SELECT d.id FROM duty d JOIN person p ON p.id = d.person_id WHERE p.name = '{name}'"
            ),
        )
    }

    fn phone(&self, db: &str, name: &str) -> String {
        self.query(
            db,
            &format!("SELECT phone FROM person WHERE name = '{name}'"),
        )
        .join(",")
    }
}

/// The community every story starts from, built once and copied for each test.
fn community() -> Community {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    let built = BUILT.get_or_init(|| {
        let dir = tempfile::Builder::new()
            .prefix("fp-sync-life")
            .tempdir()
            .unwrap()
            .keep();
        let c = Community {
            dir: tempfile::tempdir_in(&dir).unwrap(),
        };
        c.ok("office.db", &["init", "--demo"]);
        c.ok("office.db", &["init", "--office"]);
        for (who, file) in [("刘建国", "a.enrol"), ("吴长林", "b.enrol")] {
            let out = c.path(file);
            let said = c.ok(
                "office.db",
                &["devices", "add", "--person", who, "--out", &out],
            );
            // The code the office would tell the leader, kept here for the stories that
            // join with the same file again.
            let code = common::sync::code_on_last_line(&said);
            std::fs::write(c.path(&format!("{file}.code")), code).unwrap();
        }
        c.join("a.db", "a.enrol", &[]);
        c.join("b.db", "b.enrol", &[]);
        c.sync("a.db");
        c.sync("b.db");
        c.dir.keep()
    });
    let c = Community {
        dir: tempfile::tempdir().unwrap(),
    };
    for entry in std::fs::read_dir(built).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), c.dir.path().join(entry.file_name())).unwrap();
        }
    }
    c
}

const ALL: &[&str] = &["office.db", "a.db", "b.db"];

#[test]
fn two_leaders_change_the_same_phone_and_the_office_decides() {
    let c = community();
    let office_phone = c.phone("office.db", "马晓燕");
    c.ok(
        "a.db",
        &["people", "edit", "马晓燕", "--phone", "13900000001"],
    );
    c.ok(
        "b.db",
        &["people", "edit", "马晓燕", "--phone", "13900000002"],
    );
    let (office_said, _) = c.sync("a.db");
    assert!(office_said.contains("proposal"), "{office_said}");
    c.sync("b.db");
    // The office's list is its own: both changes wait as proposals, and both laptops are
    // back on the office's version.
    for db in ALL {
        assert_eq!(c.phone(db, "马晓燕"), office_phone, "{db}");
    }
    let listed = c.ok("office.db", &["devices", "conflicts"]);
    assert!(
        listed.contains("13900000001") && listed.contains("13900000002"),
        "{listed}"
    );
    // Named as people name them: the person, not an id.
    assert!(listed.contains("person 马晓燕"), "{listed}");
    // Each laptop shows its own proposal as waiting, told by the office's reply.
    let own = c.ok("a.db", &["devices", "conflicts"]);
    assert!(
        own.contains("马晓燕") && own.contains("13900000001") && own.contains("waiting"),
        "{own}"
    );
    assert!(
        !own.contains("13900000002"),
        "B's proposal shown on A: {own}"
    );
    // The same proposal sent again (B edits back and forth, syncs twice) stays one.
    c.sync("b.db");
    c.sync("a.db");
    let n = c.query("office.db", "SELECT count(*) || '' FROM sync_proposal");
    assert_eq!(n, vec!["2".to_string()]);
    // The office accepts A's; at the next sync every laptop has it.
    let first = c.query(
        "office.db",
        "SELECT id || '' FROM sync_proposal WHERE detail LIKE '%13900000001%'",
    );
    let said = c.ok("office.db", &["devices", "accept", &first[0]]);
    assert!(said.contains("accepted"), "{said}");
    c.sync("a.db");
    c.sync("b.db");
    for db in ALL {
        assert_eq!(c.phone(db, "马晓燕"), "13900000001", "{db}");
    }
    // The decision travelled back: A sees its proposal accepted; B's still waits.
    let own = c.ok("a.db", &["devices", "conflicts"]);
    assert!(own.contains("accepted by the office"), "{own}");
    let own = c.ok("b.db", &["devices", "conflicts"]);
    assert!(own.contains("waiting for the office"), "{own}");
    c.all_check(ALL);
}

#[test]
fn two_leaders_give_the_same_duty_and_one_takes_it_back() {
    let c = community();
    let building = "锦绣家园 1栋";
    c.ok(
        "a.db",
        &["people", "assign", "胡海军", "--building", building],
    );
    c.ok(
        "b.db",
        &["people", "assign", "胡海军", "--building", building],
    );
    c.sync("a.db");
    c.sync("b.db");
    c.sync("a.db");
    // No false tamper alarm anywhere, and one duty, not two.
    c.all_check(ALL);
    let duties = |db: &str| c.duties(db, "胡海军");
    assert_eq!(duties("office.db").len(), duties("a.db").len());
    assert_eq!(duties("office.db"), duties("b.db"));
    // B takes it back: the office records it.
    c.ok(
        "b.db",
        &["people", "unassign", "胡海军", "--building", building],
    );
    c.sync("b.db");
    c.sync("a.db");
    let ended = |db: &str| {
        c.query(
            db,
            "SELECT r.id FROM roster_change r JOIN duty d ON d.id = r.entity_id
             JOIN person p ON p.id = d.person_id WHERE p.name = '胡海军' AND r.active = 0",
        )
    };
    assert_eq!(ended("office.db").len(), 1);
    assert_eq!(ended("office.db"), ended("a.db"));
    c.all_check(ALL);
}

#[test]
fn a_laptop_restored_and_synced_before_it_records_anything_stays_clean() {
    // Found by trying it as a new user: B restores yesterday's backup and syncs at once.
    // The office sends back what B had handed in; B's `check` must not call that an addition.
    let c = community();
    // B has handed in a record already, so its backup holds the head of its chain.
    c.ok(
        "b.db",
        &["people", "assign", "吴长林", "--building", "锦绣家园 2栋"],
    );
    c.sync("b.db");
    let backup = c.path("b-yesterday.db");
    c.ok("b.db", &["backup", "--out", &backup]);
    c.ok(
        "b.db",
        &["people", "assign", "胡海军", "--building", "锦绣家园 1栋"],
    );
    c.sync("b.db");
    c.ok("b.db", &["restore", &backup]);
    c.sync("b.db");
    c.sync("b.db");
    c.all_check(ALL);
    let duty = "SELECT CAST(count(*) AS TEXT) FROM duty";
    assert_eq!(c.query("b.db", duty), c.query("office.db", duty));
}

#[test]
fn a_laptop_restored_from_a_backup_taken_before_its_last_sync_is_brought_forward() {
    let c = community();
    let backup = c.path("a-yesterday.db");
    c.ok("a.db", &["backup", "--out", &backup]);
    c.ok(
        "a.db",
        &["people", "assign", "胡海军", "--building", "锦绣家园 1栋"],
    );
    c.sync("a.db");
    let said = c.ok("a.db", &["restore", &backup]);
    assert!(said.contains("next sync"), "{said}");
    // It records more, and syncs: accepted, and it gets back what it had handed in.
    c.ok(
        "a.db",
        &["people", "assign", "胡海军", "--building", "锦绣家园 2栋"],
    );
    c.sync("a.db");
    c.sync("a.db");
    let duties = |db: &str| {
        c.query(
            db,
            "SELECT b.name FROM duty d JOIN person p ON p.id = d.person_id
             JOIN building b ON b.id = d.building_id WHERE p.name = '胡海军' ORDER BY b.name",
        )
    };
    assert_eq!(duties("a.db"), duties("office.db"));
    assert!(duties("office.db").len() >= 2, "{:?}", duties("office.db"));
    c.sync("b.db");
    c.all_check(ALL);
}

#[test]
fn an_office_restored_from_a_backup_gets_back_what_the_laptops_had_handed_in() {
    let c = community();
    let backup = c.path("office-yesterday.db");
    c.ok("office.db", &["backup", "--out", &backup]);
    c.ok(
        "a.db",
        &["people", "assign", "胡海军", "--building", "锦绣家园 1栋"],
    );
    c.sync("a.db");
    let said = c.ok("office.db", &["restore", &backup]);
    assert!(said.contains("next sync"), "{said}");
    // The office lost A's duty, and A has pruned what the office acknowledged; the next
    // two syncs bring it back.
    let (office_said, _) = c.sync("a.db");
    assert!(office_said.contains("Sync once more"), "{office_said}");
    c.sync("a.db");
    let duty = c.duties("office.db", "胡海军");
    assert!(!duty.is_empty());
    c.sync("b.db");
    c.all_check(ALL);
}

#[test]
fn one_enrolment_file_joined_by_a_second_database_is_refused_until_it_replaces_the_first() {
    let c = community();
    c.join("c.db", "a.enrol", &[]);
    let file = c.path("c.sync");
    c.ok("c.db", &["sync", "--out", &file]);
    let said = c.refused("office.db", &["sync", &file]);
    assert!(
        said.contains("another laptop database") && said.contains("--replace"),
        "{said}"
    );
    // The new laptop takes the old one's place on purpose.
    let said = c.join("c.db", "a.enrol", &["--replace"]);
    assert!(said.contains("takes the place"), "{said}");
    c.sync("c.db");
    // The old one is retired; what it handed in stays, and reaches the new one.
    let old = c.path("a.sync");
    c.ok("a.db", &["sync", "--out", &old]);
    let said = c.refused("office.db", &["sync", &old]);
    assert!(said.contains("replaced"), "{said}");
    c.all_check(&["office.db", "c.db", "b.db"]);
}

#[test]
fn a_forged_file_claiming_batch_999999_does_not_make_the_real_laptop_lose_its_records() {
    use firepatrol::store::meta::MetaKey;
    use firepatrol::sync::bundle;
    let c = community();
    // Someone holding A's keys (a stolen laptop's key file) makes files whose numbers lie.
    let forge = |upto: i64, ack: Option<i64>, name: &str| {
        let a = firepatrol::store::Store::open(
            Path::new(&c.path("a.db")),
            firepatrol::store::OpenMode::ReadOnly,
            common::clock(),
        )
        .unwrap();
        let m = |k| a.meta(k).unwrap().unwrap_or_default();
        let keys = common::sync::keys_of(&a);
        let office = firepatrol::sync::keys::load(Path::new(&c.path("office.db")))
            .unwrap()
            .unwrap();
        let header = bundle::Header {
            kind: bundle::Kind::Laptop,
            schema: firepatrol::store::schema::latest(),
            community_id: m(MetaKey::SyncCommunity),
            sender: m(MetaKey::SyncSelf),
            devices: vec![a.device_id().to_string()],
            to: m(MetaKey::SyncOfficeId),
            from: 0,
            upto,
            ack: ack.unwrap_or_else(|| a.meta_number(MetaKey::SyncAcked).unwrap()),
            created_at: a.now_stamp(),
            payload_len: 0,
            payload_sha256: String::new(),
            keys: bundle::SenderKeys {
                sign: keys.sign_public(),
                age: keys.age_public(),
                proof: String::new(),
            },
            answers: m(MetaKey::SyncLastReply),
            full: false,
            resend: false,
            database: m(MetaKey::SyncDatabase),
            replace: false,
            nonce: name.into(),
        };
        let file = c.path(name);
        let inner = bundle::Inner::default();
        let seal = bundle::Seal::To(&office.age_public());
        let bytes = bundle::write(header, &inner, &[], seal, &keys.sign).unwrap();
        std::fs::write(&file, bytes).unwrap();
        file
    };
    // An acknowledgement past what the office ever sent is refused whole.
    let said = c.refused("office.db", &["sync", &forge(0, Some(999_999), "ack.sync")]);
    assert!(said.contains("forged"), "{said}");
    // An empty file claiming batch 999999 is taken in (it is signed), and its reply even
    // reaches A: A prunes nothing on its strength, since A never sent that file.
    let forged = forge(999_999, None, "upto.sync");
    c.ok("office.db", &["sync", &forged]);
    let pending = |c: &Community| c.query("a.db", "SELECT count(*) || '' FROM sync_outbox");
    c.ok(
        "a.db",
        &["people", "assign", "胡海军", "--building", "锦绣家园 1栋"],
    );
    let before = pending(&c);
    c.ok("a.db", &["sync", &format!("{forged}.reply")]);
    assert_eq!(
        pending(&c),
        before,
        "A pruned its outbox on a forged number"
    );
    // A's record, made after the forgery, reaches the office at its next sync.
    c.sync("a.db");
    let duty = c.duties("office.db", "胡海军");
    assert!(!duty.is_empty(), "A's record never reached the office");
    c.all_check(ALL);
}

#[test]
fn a_revoked_laptop_is_taken_back_and_hands_in_what_it_had_not() {
    let c = community();
    c.ok("office.db", &["devices", "revoke", "A"]);
    c.ok(
        "a.db",
        &["people", "assign", "胡海军", "--building", "锦绣家园 1栋"],
    );
    let file = c.path("a.sync");
    c.ok("a.db", &["sync", "--out", &file]);
    assert!(c.refused("office.db", &["sync", &file]).contains("revoked"));
    let said = c.ok("office.db", &["devices", "restore", "A"]);
    assert!(said.contains("back in use"), "{said}");
    c.ok("office.db", &["sync", &file]);
    let duty = c.duties("office.db", "胡海军");
    assert!(!duty.is_empty());
    c.all_check(ALL);
}

#[test]
fn events_are_ordered_by_their_instant_and_a_clock_days_off_is_told() {
    let c = community();
    let open = c.ok("a.db", &["hazards", "--format", "csv"]);
    let number = open
        .lines()
        .skip(1)
        .find_map(|l| {
            l.split(',')
                .find(|f| f.starts_with("YH-"))
                .map(str::to_owned)
        })
        .expect("an open hazard in the demo");
    // B (Beijing time) rectifies at 10:00; A, whose clock is set to UTC, reopens at 11:30
    // Beijing time (03:30 UTC). The reopen is later, whatever the text of the stamps says.
    c.ok_at(
        "2026-11-23T10:00:00+08:00",
        "b.db",
        &["hazard", &number, "--rectify", "--note", "已清"],
    );
    c.sync("b.db");
    c.sync_at("2026-11-23T03:30:00+00:00", "a.db");
    c.ok_at(
        "2026-11-23T03:30:00+00:00",
        "a.db",
        &["hazard", &number, "--reopen", "--reason", "又堆上了"],
    );
    c.sync_at("2026-11-23T03:31:00+00:00", "a.db");
    c.sync("b.db");
    for db in ALL {
        let status = c.query(
            db,
            &format!(
                "SELECT s.status FROM hazard_state s JOIN hazard h ON h.id = s.hazard_id
                 WHERE h.number = '{number}'"
            ),
        );
        assert_ne!(status, vec!["rectified".to_string()], "{db}");
    }
    // B's clock is three days ahead: both sides say so, and the office's list shows it.
    let (office_said, laptop_said) = c.sync_at("2026-11-26T09:30:00+08:00", "b.db");
    assert!(
        office_said.contains("clocks differ by 3.0 days"),
        "{office_said}"
    );
    assert!(
        laptop_said.contains("clocks differ by 3.0 days"),
        "{laptop_said}"
    );
    let listed = c.ok("office.db", &["devices"]);
    assert!(listed.contains("clock off by 3.0 days"), "{listed}");
    c.all_check(ALL);
}
