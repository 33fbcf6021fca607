//! The property: 3 to 6 simulated laptops and an office, over the real schema and the real
//! sync code, living a community's ordinary life: patrols, hazards and hazard actions; edits
//! of people and duties on several laptops and at the office, and the office deciding on
//! them; backups restored on laptops and at the office; a laptop replaced by a new database
//! joined with the same enrolment (`--replace`); laptops revoked and taken back; forged
//! files from someone who holds a laptop's key; laptops in +08:00, in UTC and with a clock
//! three days off; and files delivered late, twice, out of order or never. Once every laptop
//! has synced in turn with nothing left in flight, every database holds the same synced
//! records and the same derived state, `check` passes on each, no event is lost, and every
//! laptop's sync is accepted.

mod common;

use common::sync::*;
use firepatrol::store::*;
use firepatrol::sync as fsync;
use proptest::prelude::*;

const LEADERS: &[&str] = &["刘建国", "吴长林", "陈秀英", "王志强", "李桂兰", "张德明"];
const ITEMS: &[&str] = &["EBK-01", "EXT-01", "EGR-01", "ELC-01"];

#[derive(Clone, Debug)]
enum Op {
    /// Laptop `l` records a hazard (escalated or not).
    Record {
        l: usize,
        item: usize,
        escalate: bool,
    },
    /// Laptop `l` acts on the `h`-th hazard it knows.
    Act { l: usize, h: usize, kind: u8 },
    /// The office answers or acts on the `h`-th hazard it knows.
    OfficeAct { h: usize, kind: u8 },
    /// Laptop `l` writes a sync file (it goes into the post).
    Export { l: usize },
    /// The `i`-th file in the post reaches the office; with `keep` it stays in the post (to
    /// arrive again later). The office's reply goes into the post for its laptop.
    Deliver { i: usize, keep: bool },
    /// The `i`-th file in the post is lost.
    Lose { i: usize },
    /// The `i`-th reply waiting for laptop `l` reaches it (or stays, to arrive again).
    Reply { i: usize, keep: bool },
    /// Time moves on a few minutes.
    Tick,
    /// A leader (`who`: a laptop, or the office when none) changes a person's phone.
    EditPhone {
        who: Option<usize>,
        person: usize,
        phone: u8,
    },
    /// A leader (or the office) gives a person a building to look after, or takes it back.
    Duty {
        who: Option<usize>,
        person: usize,
        building: usize,
        on: bool,
    },
    /// The office accepts or declines the oldest proposal waiting.
    Decide { accept: bool },
    /// A database (a laptop, or the office) makes a backup of itself.
    Backup { who: Option<usize> },
    /// A database is restored from its last backup.
    Restore { who: Option<usize> },
    /// Laptop `l` is replaced: a new database joins with its enrolment file, `--replace`.
    Replace { l: usize },
    /// The office revokes laptop `l`, or takes it back.
    Revoke { l: usize, back: bool },
    /// Someone holding laptop `l`'s key sends the office a forged file.
    Forge { l: usize, kind: u8 },
}

fn op(laptops: usize) -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..laptops, 0..ITEMS.len(), any::<bool>())
            .prop_map(|(l, item, escalate)| Op::Record { l, item, escalate }),
        3 => (0..laptops, 0..8usize, 0..4u8).prop_map(|(l, h, kind)| Op::Act { l, h, kind }),
        1 => (0..8usize, 0..3u8).prop_map(|(h, kind)| Op::OfficeAct { h, kind }),
        2 => (0..laptops).prop_map(|l| Op::Export { l }),
        3 => (0..6usize, any::<bool>()).prop_map(|(i, keep)| Op::Deliver { i, keep }),
        1 => (0..6usize).prop_map(|i| Op::Lose { i }),
        3 => (0..6usize, any::<bool>()).prop_map(|(i, keep)| Op::Reply { i, keep }),
        1 => Just(Op::Tick),
        1 => (proptest::option::of(0..laptops), 0..LEADERS.len(), 0..3u8)
            .prop_map(|(who, person, phone)| Op::EditPhone { who, person, phone }),
        1 => (proptest::option::of(0..laptops), 0..LEADERS.len(), 0..3usize, any::<bool>())
            .prop_map(|(who, person, building, on)| Op::Duty { who, person, building, on }),
        1 => any::<bool>().prop_map(|accept| Op::Decide { accept }),
        1 => proptest::option::of(0..laptops).prop_map(|who| Op::Backup { who }),
        1 => proptest::option::of(0..laptops).prop_map(|who| Op::Restore { who }),
        1 => (0..laptops).prop_map(|l| Op::Replace { l }),
        1 => (0..laptops, any::<bool>()).prop_map(|(l, back)| Op::Revoke { l, back }),
        1 => (0..laptops, 0..3u8).prop_map(|(l, kind)| Op::Forge { l, kind }),
    ]
}

/// Where each laptop's clock is: +08:00 (the office's), UTC (the same instant, written
/// differently), or +08:00 and three days ahead.
fn clock_for(l: usize, minute: u32) -> firepatrol::domain::clock::Clock {
    let (h, m) = (10 + minute / 60, minute % 60);
    match l % 3 {
        0 => at(&format!("2026-11-23T{h:02}:{m:02}:00+08:00")),
        1 => at(&format!("2026-11-23T{:02}:{m:02}:00+00:00", h - 8)),
        _ => at(&format!("2026-11-26T{h:02}:{m:02}:00+08:00")),
    }
}

/// A database's file, closed and reopened around `f` (a restore replaces the file).
fn reopen(store: Store, f: impl FnOnce(&std::path::Path)) -> Store {
    let path = store.path().to_path_buf();
    let clock = store.clock.clone();
    drop(store);
    f(&path);
    Store::open(&path, OpenMode::Existing, clock).unwrap()
}

/// A file made by someone who holds laptop `l`'s keys (its key file, stolen): its numbers
/// are lies.
fn forged(laptop: &Store, kind: u8) -> Vec<u8> {
    use firepatrol::store::meta::MetaKey;
    use firepatrol::sync::bundle;
    let m = |k| laptop.meta(k).unwrap().unwrap_or_default();
    let keys = common::sync::keys_of(laptop);
    let header = bundle::Header {
        kind: bundle::Kind::Laptop,
        schema: firepatrol::store::schema::latest(),
        community_id: m(MetaKey::SyncCommunity),
        sender: m(MetaKey::SyncSelf),
        devices: vec![laptop.device_id().to_string()],
        to: m(MetaKey::SyncOfficeId),
        from: 0,
        upto: if kind == 0 { 999_999 } else { 0 },
        ack: if kind == 1 {
            999_999
        } else {
            laptop.meta_number(MetaKey::SyncAcked).unwrap()
        },
        created_at: laptop.now_stamp(),
        payload_len: 0,
        payload_sha256: String::new(),
        keys: bundle::SenderKeys {
            sign: keys.sign_public(),
            age: keys.age_public(),
            proof: m(MetaKey::SyncEnrolProof),
        },
        answers: if kind == 2 {
            "0".repeat(64)
        } else {
            m(MetaKey::SyncLastReply)
        },
        full: false,
        resend: false,
        database: m(MetaKey::SyncDatabase),
        replace: false,
        nonce: format!("{kind}"),
    };
    let inner = bundle::Inner {
        community_name: "芙蓉南路社区".into(),
        enrol: None,
        proposals: Vec::new(),
    };
    let office_age = m(MetaKey::SyncOfficeAge);
    let seal = bundle::Seal::To(&office_age);
    bundle::write(header, &inner, &[], seal, &keys.sign).unwrap()
}

/// Events of every device, as (device, seq, hash): none may be lost.
fn events(db: &std::path::Path) -> std::collections::BTreeSet<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut st = conn
        .prepare("SELECT device_id || ' ' || seq || ' ' || hash FROM event")
        .unwrap();
    st.query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

fn scenario() -> impl Strategy<Value = (usize, Vec<Op>)> {
    (3..=6usize).prop_flat_map(|n| (Just(n), proptest::collection::vec(op(n), 10..40)))
}

fn action(kind: u8, at: chrono::NaiveDate) -> HazardAction {
    match kind {
        0 => HazardAction::Rectify {
            note: "已整改".into(),
        },
        1 => HazardAction::Escalate {
            to: "社区".into(),
            note: "请协调".into(),
        },
        2 => HazardAction::Extend {
            to: at + chrono::Duration::days(7),
            reason: "等物业".into(),
        },
        _ => HazardAction::Reopen {
            reason: "又堆上了".into(),
        },
    }
}

fn open_ids(s: &Store) -> Vec<String> {
    let conn_path = s.path().to_path_buf();
    let conn = rusqlite::Connection::open(conn_path).unwrap();
    let mut st = conn.prepare("SELECT id FROM hazard ORDER BY id").unwrap();
    st.query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

/// A sync error that is a normal answer here (a refusal that says why), not a fault.
fn refused(r: firepatrol::error::Result<fsync::Received>, what: &str) -> Option<fsync::Received> {
    match r {
        Ok(got) => Some(got),
        Err(firepatrol::error::Error::Sync { .. }) => None,
        Err(e) => panic!("{what}: {e:?}"),
    }
}

fn run_scenario(n: usize, ops: &[Op]) {
    let dir = tempfile::tempdir().unwrap();
    let mut office = office(dir.path());
    let mut enrolments = Vec::new();
    let mut laptops: Vec<Store> = (0..n)
        .map(|i| {
            let enrolment = enrol(&mut office, LEADERS[i]);
            let mut s = Store::open(
                &dir.path().join(format!("l{i}.db")),
                OpenMode::Create,
                clock_for(i, 0),
            )
            .unwrap();
            fsync::join(&mut s, &enrolment.file, "enrolment", &enrolment.code, false).unwrap();
            enrolments.push(enrolment);
            s
        })
        .collect();
    let buildings: Vec<Building> = office
        .all_buildings()
        .unwrap()
        .into_iter()
        .take(3)
        .collect();
    let mut minute = 0u32;
    let set_time = |stores: &mut Vec<Store>, office: &mut Store, minute: u32| {
        office.clock = clock_for(0, minute);
        for (i, s) in stores.iter_mut().enumerate() {
            s.clock = clock_for(i, minute);
        }
    };
    // Files on their way to the office, and replies on their way back: (laptop, bytes).
    let mut post: Vec<(usize, Vec<u8>)> = Vec::new();
    let mut replies: Vec<(usize, Vec<u8>)> = Vec::new();
    let mut made: Vec<(usize, Vec<u8>)> = Vec::new();
    let mut backups: std::collections::BTreeMap<Option<usize>, std::path::PathBuf> =
        Default::default();
    // Replaced laptops: their databases are retired, their records at the office stay.
    let mut generation = vec![0u32; n];
    for op in ops {
        match op {
            Op::Record { l, item, escalate } => {
                record(
                    &mut laptops[*l],
                    LEADERS[*l],
                    ITEMS[*item],
                    escalate.then_some("请社区处理"),
                );
            }
            Op::Act { l, h, kind } => {
                let ids = open_ids(&laptops[*l]);
                if let Some(id) = ids.get(h % ids.len().max(1)) {
                    let today = laptops[*l].clock.today();
                    // A refusal (already rectified, ...) is a normal answer here.
                    let _ = laptops[*l]
                        .hazard_action(id, &action(*kind, today), None)
                        .unwrap();
                }
            }
            Op::OfficeAct { h, kind } => {
                let ids = open_ids(&office);
                if let Some(id) = ids.get(h % ids.len().max(1)) {
                    let a = match kind {
                        0 => HazardAction::OfficeResponse {
                            note: "已联系物业".into(),
                        },
                        1 => HazardAction::Rectify {
                            note: "社区已处理".into(),
                        },
                        _ => HazardAction::Extend {
                            to: office.clock.today() + chrono::Duration::days(3),
                            reason: "周末处理".into(),
                        },
                    };
                    let _ = office.hazard_action(id, &a, None).unwrap();
                }
            }
            Op::EditPhone { who, person, phone } => {
                let s = match who {
                    Some(l) => &mut laptops[*l],
                    None => &mut office,
                };
                let id = person_id(s, LEADERS[*person]);
                let phone = format!("1390731{:04}", 1000 + u32::from(*phone));
                match s.edit_person(&id, None, None, Some(&phone)) {
                    Ok(()) | Err(firepatrol::error::Error::Person(_)) => {}
                    Err(e) => panic!("edit: {e:?}"),
                }
            }
            Op::Duty {
                who,
                person,
                building,
                on,
            } => {
                let s = match who {
                    Some(l) => &mut laptops[*l],
                    None => &mut office,
                };
                let id = person_id(s, LEADERS[*person]);
                let b = &buildings[building % buildings.len()];
                let r = if *on {
                    s.assign(&id, b, None)
                } else {
                    s.unassign(&id, b, None)
                };
                match r {
                    Ok(()) | Err(firepatrol::error::Error::Person(_)) => {}
                    Err(e) => panic!("duty: {e:?}"),
                }
            }
            Op::Decide { accept } => {
                if let Some(p) = office.proposals(false).unwrap().first() {
                    let d = if *accept {
                        firepatrol::store::proposals::Decision::Accept
                    } else {
                        firepatrol::store::proposals::Decision::Decline
                    };
                    office.decide(p.number, d, "office").unwrap().unwrap();
                }
            }
            Op::Backup { who } => {
                let s = match who {
                    Some(l) => &laptops[*l],
                    None => &office,
                };
                let to = dir.path().join(format!(
                    "backup-{}.db",
                    who.map_or("office".to_string(), |l| format!("{l}-{}", generation[l]))
                ));
                let _ = std::fs::remove_file(&to);
                s.backup_to(&to).unwrap();
                backups.insert(*who, to);
            }
            Op::Restore { who } => {
                let Some(from) = backups.get(who).cloned() else {
                    continue;
                };
                let restore = |path: &std::path::Path, clock| {
                    firepatrol::store::backups::restore(path, &from, clock).unwrap();
                };
                match who {
                    Some(l) => {
                        let s = laptops.remove(*l);
                        let clock = s.clock.clone();
                        laptops.insert(*l, reopen(s, |p| restore(p, &clock)));
                    }
                    None => {
                        let clock = office.clock.clone();
                        let placeholder = Store::open(
                            &dir.path().join("scratch.db"),
                            OpenMode::Create,
                            clock.clone(),
                        )
                        .unwrap();
                        let s = std::mem::replace(&mut office, placeholder);
                        office = reopen(s, |p| restore(p, &clock));
                    }
                }
            }
            Op::Replace { l } => {
                generation[*l] += 1;
                let mut s = Store::open(
                    &dir.path().join(format!("l{l}-{}.db", generation[*l])),
                    OpenMode::Create,
                    clock_for(*l, minute),
                )
                .unwrap();
                let e = &enrolments[*l];
                fsync::join(&mut s, &e.file, "enrolment", &e.code, true).unwrap();
                laptops[*l] = s;
                // A backup of the old database is no backup of the new one.
                backups.remove(&Some(*l));
                // Files of the old one still in the post are refused when they arrive.
            }
            Op::Revoke { l, back } => {
                let d = office
                    .device(&format!("{}", (b'A' + *l as u8) as char))
                    .unwrap();
                if let Some(d) = d {
                    if *back {
                        office.unrevoke_device(&d.id).unwrap();
                    } else {
                        office.revoke_device(&d.id).unwrap();
                    }
                }
            }
            Op::Forge { l, kind } => {
                let bytes = forged(&laptops[*l], *kind);
                // Refused, or taken in without harm; the forger keeps any reply.
                let _ = refused(fsync::receive(&mut office, &bytes, "forged"), "forged");
            }
            Op::Export { l } => {
                let (b, _) = fsync::laptop_bundle(&mut laptops[*l]).unwrap();
                made.push((*l, b.clone()));
                post.push((*l, b));
            }
            Op::Deliver { i, keep } => {
                if post.is_empty() {
                    continue;
                }
                let k = i % post.len();
                let (l, bytes) = if *keep {
                    post[k].clone()
                } else {
                    post.remove(k)
                };
                if let Some(got) = refused(fsync::receive(&mut office, &bytes, "file"), "deliver")
                    && let Some(r) = got.reply
                {
                    replies.push((l, r));
                }
            }
            Op::Lose { i } => {
                if !post.is_empty() {
                    let k = i % post.len();
                    post.remove(k);
                }
            }
            Op::Reply { i, keep } => {
                if replies.is_empty() {
                    continue;
                }
                let k = i % replies.len();
                let (l, bytes) = if *keep {
                    replies[k].clone()
                } else {
                    replies.remove(k)
                };
                // A reply older than what the laptop has, or for a database it replaced, is
                // refused or taken in as a duplicate; neither breaks anything.
                let _ = refused(fsync::receive(&mut laptops[l], &bytes, "reply"), "reply");
            }
            Op::Tick => {
                minute += 7;
                set_time(&mut laptops, &mut office, minute);
            }
        }
    }
    // Quiescence: revoked laptops are taken back, everything in flight is delivered or
    // lost, and every laptop syncs in turn, three times: the first round may only find
    // out what is missing (after a restore), the second brings it in, the third carries
    // to each laptop what the others sent. Every one of these syncs must be accepted.
    for d in office.devices().unwrap() {
        office.unrevoke_device(&d.id).unwrap();
    }
    let before_events: Vec<_> = std::iter::once(&office)
        .chain(laptops.iter())
        .map(|s| events(s.path()))
        .collect();
    for _ in 0..3 {
        for l in laptops.iter_mut() {
            round_trip(&mut office, l);
        }
    }
    let dbs: Vec<_> = std::iter::once(office.path().to_path_buf())
        .chain(laptops.iter().map(|s| s.path().to_path_buf()))
        .collect();
    let content: Vec<_> = dbs.iter().map(|d| synced_content(d)).collect();
    let states: Vec<_> = dbs.iter().map(|d| derived(d)).collect();
    for i in 1..dbs.len() {
        assert_eq!(
            difference(&content[0], &content[i]),
            Vec::<String>::new(),
            "records of laptop {i}"
        );
        assert_eq!(
            difference(&states[0], &states[i]),
            Vec::<String>::new(),
            "state of laptop {i}"
        );
    }
    assert_eq!(office.check().unwrap(), Vec::<String>::new());
    for l in &laptops {
        assert_eq!(l.check().unwrap(), Vec::<String>::new());
    }
    // No event any of them held before the last rounds is lost.
    let now = events(office.path());
    for held in &before_events {
        let lost: Vec<_> = held.difference(&now).collect();
        assert!(lost.is_empty(), "events lost: {lost:?}");
    }
    // And a replay changes nothing: every laptop file the office took in, taken in again. (A
    // file that was lost in the post and turns up now is no replay: what it carries is
    // taken in late, which is right, and is not what this checks.)
    let before = synced_content(&dbs[0]);
    for (_, bytes) in &made {
        let seen = firepatrol::sync::bundle::read(bytes)
            .map(|b| office.bundle_seen(&b.id()).unwrap())
            .unwrap_or(true);
        if seen {
            let _ = refused(fsync::receive(&mut office, bytes, "again"), "replay");
        }
    }
    assert_eq!(
        difference(&before, &synced_content(&dbs[0])),
        Vec::<String>::new()
    );
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("SYNC_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(8),
        max_shrink_iters: 50,
        .. ProptestConfig::default()
    })]

    #[test]
    fn every_database_ends_the_same_whatever_the_post_did((n, ops) in scenario()) {
        run_scenario(n, &ops);
    }
}
