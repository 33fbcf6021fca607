//! Issue 11, the property: 3 to 6 simulated laptops and an office, over the real schema and
//! the real sync code, with random patrols, hazards and hazard actions, and files delivered
//! late, twice, out of order or never. Once every laptop has synced in turn with nothing
//! left in flight, every database holds the same synced records and the same derived state
//! (hazard states and tallies), and `check` passes on each.

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
    ]
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

fn run_scenario(n: usize, ops: &[Op]) {
    let dir = tempfile::tempdir().unwrap();
    let mut office = office(dir.path());
    let mut laptops: Vec<Store> = (0..n)
        .map(|i| laptop(&mut office, dir.path(), &format!("l{i}.db"), LEADERS[i]))
        .collect();
    let mut minute = 0u32;
    let set_time = |stores: &mut Vec<Store>, office: &mut Store, minute: u32| {
        let t = at(&format!(
            "2026-11-23T{:02}:{:02}:00+08:00",
            10 + minute / 60,
            minute % 60
        ));
        office.clock = t.clone();
        for s in stores.iter_mut() {
            s.clock = t.clone();
        }
    };
    // Files on their way to the office, and replies on their way back: (laptop, bytes).
    let mut post: Vec<(usize, Vec<u8>)> = Vec::new();
    let mut replies: Vec<(usize, Vec<u8>)> = Vec::new();
    let mut made: Vec<(usize, Vec<u8>)> = Vec::new();
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
                let got = fsync::receive(&mut office, &bytes, "file").unwrap();
                if let Some(r) = got.reply {
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
                // A reply older than what the laptop has is refused as a gap or taken in as
                // a duplicate; neither changes anything.
                match fsync::receive(&mut laptops[l], &bytes, "reply") {
                    Ok(_) => {}
                    Err(firepatrol::error::Error::Sync { .. }) => {}
                    Err(e) => panic!("reply: {e:?}"),
                }
            }
            Op::Tick => {
                minute += 7;
                set_time(&mut laptops, &mut office, minute);
            }
        }
    }
    // Quiescence: everything in flight is delivered or lost; every laptop syncs in turn,
    // twice (the second round carries what the others sent in the first).
    for _ in 0..2 {
        for l in laptops.iter_mut() {
            round_trip(&mut office, l);
        }
    }
    let dbs: Vec<_> = std::iter::once(dir.path().join("office.db"))
        .chain((0..n).map(|i| dir.path().join(format!("l{i}.db"))))
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
    // And a replay changes nothing: every laptop file ever made, taken in again.
    let before = synced_content(&dbs[0]);
    for (_, bytes) in &made {
        match fsync::receive(&mut office, bytes, "again") {
            Ok(_) | Err(firepatrol::error::Error::Sync { .. }) => {}
            Err(e) => panic!("replay: {e:?}"),
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
