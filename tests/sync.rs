//! Issue 11: many laptops, one office. Enrolment and joining, sync by file and over the LAN,
//! the office's answer travelling back, order-independent state, and bad bundles refused
//! whole.

mod common;

use common::sync::*;
use common::*;
use firepatrol::domain::HazardStatus;
use firepatrol::domain::sync::SyncProblem;
use firepatrol::error::Error;
use firepatrol::store::*;
use firepatrol::sync::{self as fsync, bundle};

fn problem_of(r: firepatrol::error::Result<impl std::fmt::Debug>) -> SyncProblem {
    match r {
        Err(Error::Sync { problem, .. }) => problem,
        other => panic!("expected a sync refusal, got {other:?}"),
    }
}

#[test]
fn an_escalation_reaches_the_office_and_its_answer_comes_back_to_the_recheck() {
    let dir = tempfile::tempdir().unwrap();
    let mut office = office(dir.path());
    let mut liu = laptop(&mut office, dir.path(), "liu.db", "刘建国");
    // The laptop has the community: buildings and people, and its letter on hazard numbers.
    assert_eq!(liu.people().unwrap().len(), office.people().unwrap().len());
    let h = record(&mut liu, "刘建国", "EBK-01", Some("楼道充电，业主不配合"));
    assert!(h.number.contains("-A0"), "{}", h.number);
    // Before any sync the office knows nothing of it.
    assert!(office.hazard(&h.id).unwrap().is_none());
    round_trip(&mut office, &mut liu);
    let at_office = office.hazard(&h.id).unwrap().unwrap();
    assert_eq!(at_office.status, HazardStatus::Escalated);
    // The office answers; the answer goes back with the next reply.
    office
        .hazard_action(
            &h.id,
            &HazardAction::OfficeResponse {
                note: "周五物业清理".into(),
            },
            None,
        )
        .unwrap()
        .unwrap();
    round_trip(&mut office, &mut liu);
    let history = liu.hazard_history(&h.id).unwrap();
    assert!(
        history.iter().any(|e| e.note == "周五物业清理"),
        "{history:?}"
    );
    // And the laptop's re-check of that building lists the hazard with the answer.
    let recheck = liu.open_hazards_at(&at_office.building_id).unwrap();
    assert!(recheck.iter().any(|r| r.id == h.id));
    for s in [&office, &liu] {
        assert_eq!(s.check().unwrap(), Vec::<String>::new());
    }
}

#[test]
fn a_file_taken_in_twice_lost_or_late_changes_nothing_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut office = office(dir.path());
    let mut liu = laptop(&mut office, dir.path(), "liu.db", "刘建国");
    let first = record(&mut liu, "刘建国", "EBK-01", None);
    let (lost, _) = fsync::laptop_bundle(&mut liu).unwrap();
    let second = record(&mut liu, "刘建国", "EXT-01", None);
    let (next, _) = fsync::laptop_bundle(&mut liu).unwrap();
    // The first file is lost on the way; the second carries both hazards.
    let got = fsync::receive(&mut office, &next, "next").unwrap();
    assert!(got.applied.rows > 0);
    assert!(office.hazard(&first.id).unwrap().is_some());
    assert!(office.hazard(&second.id).unwrap().is_some());
    let before = synced_content(&dir.path().join("office.db"));
    // The same file again, and the lost one turning up late: nothing changes.
    let again = fsync::receive(&mut office, &next, "next").unwrap();
    assert!(again.duplicate);
    let late = fsync::receive(&mut office, &lost, "lost").unwrap();
    assert_eq!(late.applied.rows, 0);
    assert_eq!(synced_content(&dir.path().join("office.db")), before);
    // The reply twice on the laptop: the second changes nothing.
    let reply = got.reply.unwrap();
    fsync::receive(&mut liu, &reply, "reply").unwrap();
    let laptop_before = synced_content(&dir.path().join("liu.db"));
    assert!(fsync::receive(&mut liu, &reply, "reply").unwrap().duplicate);
    assert_eq!(synced_content(&dir.path().join("liu.db")), laptop_before);
    assert!(office.check().unwrap().is_empty());
}

#[test]
fn two_laptops_and_the_office_end_with_the_same_records_and_the_same_states() {
    let dir = tempfile::tempdir().unwrap();
    let mut office = office(dir.path());
    let mut a = laptop(&mut office, dir.path(), "a.db", "刘建国");
    let mut b = laptop(&mut office, dir.path(), "b.db", "吴长林");
    let ha = record(&mut a, "刘建国", "EBK-01", None);
    let hb = record(&mut b, "吴长林", "EBK-01", None);
    round_trip(&mut office, &mut a);
    round_trip(&mut office, &mut b);
    round_trip(&mut office, &mut a);
    // Numbers are unique across the community: each laptop has its letter.
    assert_ne!(ha.number, hb.number);
    // At the same time: A rectifies its hazard, and B (having it by sync) escalates it.
    b.clock = at("2026-11-23T11:00:00+08:00");
    a.clock = at("2026-11-23T11:00:00+08:00");
    a.hazard_action(
        &ha.id,
        &HazardAction::Rectify {
            note: "已清".into(),
        },
        None,
    )
    .unwrap()
    .unwrap();
    b.hazard_action(
        &ha.id,
        &HazardAction::Escalate {
            to: "社区".into(),
            note: "业主不在".into(),
        },
        None,
    )
    .unwrap()
    .unwrap();
    // B reaches the office first, then A; then both take the replies.
    round_trip(&mut office, &mut b);
    round_trip(&mut office, &mut a);
    round_trip(&mut office, &mut b);
    round_trip(&mut office, &mut a);
    let dbs = ["office.db", "a.db", "b.db"].map(|f| dir.path().join(f));
    let content: Vec<_> = dbs.iter().map(|d| synced_content(d)).collect();
    let states: Vec<_> = dbs.iter().map(|d| derived(d)).collect();
    for i in 1..3 {
        assert_eq!(difference(&content[0], &content[i]), Vec::<String>::new());
        assert_eq!(difference(&states[0], &states[i]), Vec::<String>::new());
    }
    // The rule: a rectification outranks an escalation made at the same time, and both stay
    // in the history, marked as concurrent.
    let h = office.hazard(&ha.id).unwrap().unwrap();
    assert_eq!(h.status, HazardStatus::Rectified);
    let history = office.hazard_history(&ha.id).unwrap();
    assert!(history.iter().any(|e| e.concurrent), "{history:?}");
    for s in [&office, &a, &b] {
        assert_eq!(s.check().unwrap(), Vec::<String>::new());
    }
}

#[test]
fn a_laptop_that_had_the_same_lists_and_patrolled_before_joining_keeps_it_all_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut office = office(dir.path());
    // The laptop imported the same lists itself and found a hazard before it joined.
    let mut liu = Store::open(&dir.path().join("liu.db"), OpenMode::Create, clock()).unwrap();
    firepatrol::demo::load_lists(&mut liu).unwrap();
    let before = record(&mut liu, "刘建国", "EBK-01", None);
    let buildings = office.stats().unwrap().buildings;
    let e = enrol(&mut office, "刘建国");
    let joined = fsync::join(&mut liu, &e.file, "enrolment", &e.code, false).unwrap();
    assert!(joined.merged > 0);
    // Nothing duplicated on the laptop, and its hazard is still there, at the office's ids.
    assert_eq!(liu.stats().unwrap().buildings, buildings);
    assert_eq!(liu.people().unwrap().len(), office.people().unwrap().len());
    let h = liu.hazard(&before.id).unwrap().unwrap();
    assert!(office.building(&h.building_id).unwrap().is_some());
    round_trip(&mut office, &mut liu);
    // The office has the hazard, and still one of each building and person.
    assert!(office.hazard(&before.id).unwrap().is_some());
    assert_eq!(office.stats().unwrap().buildings, buildings);
    for s in [&office, &liu] {
        assert_eq!(s.check().unwrap(), Vec::<String>::new());
    }
}

#[test]
fn bad_bundles_are_refused_whole_and_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let mut office = office(dir.path());
    let mut liu = laptop(&mut office, dir.path(), "liu.db", "刘建国");
    let mut wu = laptop(&mut office, dir.path(), "wu.db", "吴长林");
    record(&mut liu, "刘建国", "EBK-01", None);
    let (good, _) = fsync::laptop_bundle(&mut liu).unwrap();
    let office_db = dir.path().join("office.db");
    let before = synced_content(&office_db);
    // Altered in the middle, cut short, not a bundle at all.
    let mut altered = good.clone();
    let mid = altered.len() / 2;
    altered[mid] ^= 1;
    assert!(matches!(
        problem_of(fsync::receive(&mut office, &altered, "x")),
        SyncProblem::BadSignature | SyncProblem::BadPayload
    ));
    assert_eq!(
        problem_of(fsync::receive(&mut office, &good[..good.len() - 10], "x")),
        SyncProblem::Truncated
    );
    assert_eq!(
        problem_of(fsync::receive(
            &mut office,
            b"PK\x03\x04 a spreadsheet",
            "x"
        )),
        SyncProblem::NotABundle
    );
    // Signed with another key (a laptop of another office claiming to be this one).
    let mut forged = bundle::read(&good).unwrap().header.clone();
    forged.ack = 0;
    let stranger = bundle::new_key().unwrap();
    let forged = forge(forged, b"", &office, &stranger);
    assert_eq!(
        problem_of(fsync::receive(&mut office, &forged, "x")),
        SyncProblem::BadSignature
    );
    // A newer schema, signed properly by the laptop: refused whole.
    let key = keys_of(&liu).sign;
    let mut newer = bundle::read(&good).unwrap().header.clone();
    newer.schema += 1;
    let changes = opened(&good, &office).changeset;
    let newer = forge(newer, &changes, &office, &key);
    assert!(matches!(
        problem_of(fsync::receive(&mut office, &newer, "x")),
        SyncProblem::Newer { .. }
    ));
    // Another community.
    let mut other = bundle::read(&good).unwrap().header.clone();
    other.community_id = "another".into();
    let other = forge(other, &changes, &office, &key);
    assert!(matches!(
        problem_of(fsync::receive(&mut office, &other, "x")),
        SyncProblem::OtherCommunity(_)
    ));
    // A laptop carrying another laptop's rows as its own.
    let wu_keys = keys_of(&wu);
    let mut posing = bundle::read(&good).unwrap().header.clone();
    posing.sender = wu
        .meta(firepatrol::store::meta::MetaKey::SyncSelf)
        .unwrap()
        .unwrap();
    posing.devices = vec![wu.device_id().to_string()];
    posing.keys.sign = wu_keys.sign_public();
    posing.keys.age = wu_keys.age_public();
    posing.keys.proof = wu
        .meta(firepatrol::store::meta::MetaKey::SyncEnrolProof)
        .unwrap()
        .unwrap();
    posing.database = wu
        .meta(firepatrol::store::meta::MetaKey::SyncDatabase)
        .unwrap()
        .unwrap();
    let posing = forge(posing, &changes, &office, &wu_keys.sign);
    assert!(matches!(
        problem_of(fsync::receive(&mut office, &posing, "x")),
        SyncProblem::Refused(_)
    ));
    // A revoked laptop.
    let liu_id = liu
        .meta(firepatrol::store::meta::MetaKey::SyncSelf)
        .unwrap()
        .unwrap();
    assert!(office.revoke_device(&liu_id).unwrap());
    assert!(matches!(
        problem_of(fsync::receive(&mut office, &good, "x")),
        SyncProblem::Revoked { .. }
    ));
    // None of it changed the office; and a reply for one laptop is refused by another.
    assert_eq!(synced_content(&office_db), before);
    record(&mut wu, "吴长林", "EBK-01", None);
    let (wu_bundle, _) = fsync::laptop_bundle(&mut wu).unwrap();
    let reply = fsync::receive(&mut office, &wu_bundle, "wu")
        .unwrap()
        .reply
        .unwrap();
    let mut other_laptop =
        Store::open(&dir.path().join("x.db"), OpenMode::Create, clock()).unwrap();
    let _ = &mut other_laptop;
    assert_eq!(
        problem_of(fsync::receive(&mut liu, &reply, "reply")),
        SyncProblem::NotForUs
    );
}

#[test]
fn the_command_line_story_enrol_sync_by_file_and_respond() {
    let dir = tempfile::tempdir().unwrap();
    let p = |f: &str| dir.path().join(f).to_string_lossy().into_owned();
    let ok = |args: &[&str]| {
        let o = run(dir.path(), args);
        assert!(
            o.status.success(),
            "{args:?}: {} {}",
            stdout(&o),
            stderr(&o)
        );
        stdout(&o)
    };
    let office = p("office.db");
    let laptop = p("laptop.db");
    ok(&["--db", &office, "init", "--demo"]);
    assert!(ok(&["--db", &office, "init", "--office"]).contains("office"));
    let added = ok(&[
        "--db",
        &office,
        "devices",
        "add",
        "--person",
        "刘建国",
        "--out",
        &p("liu.enrol"),
    ]);
    assert!(
        added.contains("laptop A") && added.contains("join"),
        "{added}"
    );
    let code = code_on_last_line(&added);
    // Without its code the file opens nowhere, and a script is told how to give it.
    let o = run(dir.path(), &["--db", &laptop, "join", &p("liu.enrol")]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("--code"), "{}", stderr(&o));
    assert!(!std::path::Path::new(&laptop).exists(), "no database made");
    let joined = ok(&["--db", &laptop, "join", &p("liu.enrol"), "--code", &code]);
    assert!(joined.contains("刘建国"), "{joined}");
    // The enrolment is refused a second time for another database role.
    let o = run(
        dir.path(),
        &["--db", &office, "join", &p("liu.enrol"), "--code", &code],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("office"), "{}", stderr(&o));
    let wrote = ok(&["--db", &laptop, "sync", "--out", &p("l1.sync")]);
    assert!(wrote.contains("l1.sync"), "{wrote}");
    let took = ok(&["--db", &office, "sync", &p("l1.sync")]);
    assert!(
        took.contains("刘建国 (A)") && took.contains("l1.sync.reply"),
        "{took}"
    );
    let took = ok(&["--db", &laptop, "sync", &p("l1.sync.reply")]);
    assert!(took.contains("from the office"), "{took}");
    // Taken in again, in Chinese: the sender is named in the user's words too.
    let again = ok(&["--db", &laptop, "--lang", "zh", "sync", &p("l1.sync.reply")]);
    assert!(
        again.contains("社区办公室") && !again.contains("office"),
        "{again}"
    );
    let listed = ok(&["--db", &office, "devices"]);
    assert!(
        listed.contains("刘建国") && listed.contains("active"),
        "{listed}"
    );
    let revoked = ok(&["--db", &office, "devices", "revoke", "A"]);
    assert!(revoked.contains("revoked"), "{revoked}");
    let o = run(dir.path(), &["--db", &office, "sync", &p("l1.sync")]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("revoked"), "{}", stderr(&o));
    ok(&["--db", &office, "check"]);
    ok(&["--db", &laptop, "check"]);
}

#[test]
fn over_the_lan_a_laptop_syncs_both_ways_and_an_unreachable_office_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut office_store = office(dir.path());
    let mut liu = laptop(&mut office_store, dir.path(), "liu.db", "刘建国");
    drop(office_store);
    let h = record(&mut liu, "刘建国", "EBK-01", Some("请社区协调"));
    let db = dir.path().join("office.db");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = fsync::http::serve(
            &db,
            "127.0.0.1:0",
            clock(),
            firepatrol::i18n::Lang::En,
            &firepatrol::sync::http::Limits::default(),
            |at| {
                let _ = tx.send(at.bound.to_string());
            },
            |_, _| {},
        );
    });
    let addr = rx.recv().unwrap();
    let url = format!("http://{addr}");
    let (got, sent) = fsync::http::sync_with(&mut liu, &url, fsync::http::CLIENT_TIMEOUT).unwrap();
    assert!(sent > 0);
    let _ = got;
    assert_eq!(
        liu.meta(firepatrol::store::meta::MetaKey::SyncOfficeUrl)
            .unwrap()
            .as_deref(),
        Some(url.as_str())
    );
    let office_store =
        Store::open(&dir.path().join("office.db"), OpenMode::Existing, clock()).unwrap();
    assert!(office_store.hazard(&h.id).unwrap().is_some());
    // Nobody listens at this port: one line saying so (not "check the cable"), and nothing
    // changed on the laptop.
    let before = liu.sync_pending().unwrap();
    let e = fsync::http::sync_with(&mut liu, "http://127.0.0.1:9", fsync::http::CLIENT_TIMEOUT)
        .unwrap_err();
    assert!(matches!(
        e,
        Error::Sync {
            problem: SyncProblem::NotListening,
            ..
        }
    ));
    let said = e.message(firepatrol::i18n::Lang::En);
    assert!(
        said.contains("nothing is waiting") && !said.contains("cable"),
        "{said}"
    );
    assert_eq!(liu.sync_pending().unwrap(), before);
}

#[test]
fn the_office_demo_has_escalations_waiting_and_answered_and_laptops_synced_on_different_days() {
    let dir = tempfile::tempdir().unwrap();
    let mut office = Store::open(&dir.path().join("office.db"), OpenMode::Create, clock()).unwrap();
    firepatrol::sync::demo::build_office(&mut office, dir.path()).unwrap();
    let devices = office.devices().unwrap();
    assert_eq!(devices.len(), 3);
    let mut last: Vec<_> = devices.iter().map(|d| d.last_sync.clone()).collect();
    last.sort();
    last.dedup();
    assert_eq!(last.len(), 3, "{last:?}");
    assert!(devices.iter().all(|d| d.rows_in > 0));
    let escalated = office
        .hazard_ids_with_status(HazardStatus::Escalated)
        .unwrap();
    let answered = escalated
        .iter()
        .filter(|id| {
            office
                .hazard_history(id)
                .unwrap()
                .iter()
                .any(|e| e.kind == firepatrol::domain::HazardEventKind::OfficeResponse)
        })
        .count();
    assert!(
        answered > 0 && answered < escalated.len(),
        "{answered} of {}",
        escalated.len()
    );
    assert_eq!(office.check().unwrap(), Vec::<String>::new());
}
