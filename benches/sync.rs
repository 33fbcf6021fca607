//! Sync figures (issue 11): the size of a laptop's bundle for a day of patrols over the demo
//! community (40 buildings), and export and apply times for one bundle of many hazards with
//! their events, side by side with sqlite3 inserting the same rows (`.dump` of the same
//! tables into an empty database). Prints a table; nothing is asserted.
//!
//! `cargo bench --bench sync` (HAZARDS=20000 by default; sqlite3 must be on PATH for the peer).

use firepatrol::domain::{AnswerValue, Severity};
use firepatrol::store::*;
use std::time::Instant;

mod common;
use firepatrol::domain::clock::Clock;

fn enrolled(dir: &std::path::Path) -> (Store, Store) {
    let (mut office, mut laptop) = common::office_and_laptop(dir);
    // The first bundle carries the laptop's own lists: send it, so the figures below are the
    // day's alone.
    let (b, _) = firepatrol::sync::laptop_bundle(&mut laptop).expect("bundle");
    let r = firepatrol::sync::receive(&mut office, &b, "first").expect("receive");
    firepatrol::sync::receive(&mut laptop, &r.reply.expect("reply"), "reply").expect("reply");
    (office, laptop)
}

fn hazard(s: &mut Store, patrol: &str, leader: &str, b: &str, item: &str) {
    s.record_hazard(&NewHazard {
        patrol_id: patrol.into(),
        slot: Slot {
            building_id: b.into(),
            unit_id: None,
            item_id: item.into(),
        },
        category: "ebike".into(),
        spot: "1F".into(),
        description: "电动车停在楼道".into(),
        severity: Severity::High,
        party_name: String::new(),
        party_room: String::new(),
        party_phone: String::new(),
        found_by: Some(leader.into()),
        deadline: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("date"),
        fixed_on_spot: false,
        escalate: None,
    })
    .expect("hazard");
}

/// The hazard table's stored columns (not its generated one).
const HAZARD_COLUMNS: &str = "id, number, patrol_id, building_id, unit_id, item_id, category, spot, \
    description, severity, party_name, party_room, party_phone, found_at, found_day, found_by, deadline, \
    fixed_on_spot, previous_id, recurrence, device_id";

/// The median of `runs` timings of `f`, and its last result.
fn timed<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut times = Vec::new();
    let mut out = None;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        out = Some(f());
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], out.expect("one run"))
}

/// What sealing costs (issue 23), side by side in this run: the bundle's changeset written
/// and read as format 2 did (zstd and an Ed25519 signature) and as format 3 does (zstd, age
/// sealed to the office, the signature), with the sizes.
fn seal_cost(what: &str, bytes: &[u8], office: &Store, laptop: &firepatrol::sync::keys::Keys) {
    use ed25519_dalek::Signer;
    use firepatrol::sync::bundle::{self, Inner, Opener, Seal};
    let office_keys = firepatrol::sync::keys::load(office.path())
        .expect("key file")
        .expect("the office's keys");
    let b = bundle::read(bytes).expect("read");
    let header = b.header.clone();
    let changes = b
        .open(Opener::Keys(&office_keys.age), u64::MAX)
        .expect("open")
        .changeset;
    let runs = if changes.len() < (8 << 20) { 7 } else { 1 };
    let (plain_write, plain) = timed(runs, || {
        let packed = zstd::stream::encode_all(&changes[..], 9).expect("zstd");
        let sig = laptop.sign.sign(&packed);
        (packed, sig)
    });
    let (plain_read, _) = timed(runs, || {
        use ed25519_dalek::Verifier;
        laptop
            .sign
            .verifying_key()
            .verify(&plain.0, &plain.1)
            .expect("verify");
        zstd::stream::decode_all(&plain.0[..]).expect("unzstd")
    });
    let to = office_keys.age_public();
    let inner = Inner {
        community_name: "芙蓉南路社区".into(),
        enrol: None,
        proposals: Vec::new(),
    };
    let (sealed_write, sealed) = timed(runs, || {
        bundle::write(
            header.clone(),
            &inner,
            &changes,
            Seal::To(&to),
            &laptop.sign,
        )
        .expect("seal")
    });
    let (sealed_read, _) = timed(runs, || {
        let b = bundle::read(&sealed).expect("read");
        b.verify(&laptop.sign_public()).expect("verify");
        b.open(Opener::Keys(&office_keys.age), u64::MAX)
            .expect("open")
    });
    let plain_len = plain.0.len() + 64;
    println!(
        "sealing, {what}: unsealed {plain_len} bytes, write {:.1} ms, read {:.1} ms | sealed {} bytes (+{:.2}%), write {:.1} ms, read {:.1} ms ({runs} runs, median)",
        plain_write * 1e3,
        plain_read * 1e3,
        sealed.len(),
        (sealed.len() as f64 / plain_len as f64 - 1.0) * 100.0,
        sealed_write * 1e3,
        sealed_read * 1e3,
    );
}

fn main() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut office, mut laptop) = enrolled(dir.path());
    laptop.set_bulk_load(true).expect("bulk");
    let leader = laptop.people().expect("people")[0].id.clone();
    let patrol = laptop.patrol_for(&leader).expect("patrol");
    // A day: every building of the community patrolled, every item of its checklist
    // answered (per unit where the item is per unit), two hazards per building.
    let buildings = laptop.building_summaries(None).expect("buildings");
    let mut answers = 0usize;
    for b in &buildings {
        let items = laptop.checklist_for(b.building.kind).expect("items");
        let units = laptop.units(&b.building.id).expect("units");
        let mut slots = Vec::new();
        for it in &items {
            if it.scope == firepatrol::domain::Scope::Unit && !units.is_empty() {
                for u in &units {
                    slots.push(Slot {
                        building_id: b.building.id.clone(),
                        unit_id: Some(u.id.clone()),
                        item_id: it.id.clone(),
                    });
                }
            } else {
                slots.push(Slot {
                    building_id: b.building.id.clone(),
                    unit_id: None,
                    item_id: it.id.clone(),
                });
            }
        }
        answers += slots.len();
        laptop
            .record_answers(&patrol, &slots, AnswerValue::Ok)
            .expect("answers");
        hazard(&mut laptop, &patrol, &leader, &b.building.id, "EBK-01");
        hazard(&mut laptop, &patrol, &leader, &b.building.id, "EXT-01");
    }
    let t = Instant::now();
    let (day, entries) = firepatrol::sync::laptop_bundle(&mut laptop).expect("bundle");
    let export = t.elapsed();
    let t = Instant::now();
    let r = firepatrol::sync::receive(&mut office, &day, "day").expect("apply");
    let apply = t.elapsed();
    println!(
        "a day of {} buildings ({answers} answers, {} hazards, {entries} writes): bundle {} bytes, export {:.1} ms, apply {:.1} ms ({} rows)",
        buildings.len(),
        buildings.len() * 2,
        day.len(),
        export.as_secs_f64() * 1e3,
        apply.as_secs_f64() * 1e3,
        r.applied.rows
    );
    firepatrol::sync::receive(&mut laptop, &r.reply.expect("reply"), "reply").expect("reply");
    let laptop_keys = firepatrol::sync::keys::load(laptop.path())
        .expect("key file")
        .expect("the laptop's keys");
    seal_cost("a day's bundle", &day, &office, &laptop_keys);

    // Many hazards in one bundle.
    let n: usize = std::env::var("HAZARDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let t = Instant::now();
    // Spread over days, 500 a day (as a laptop that has not synced for months would have
    // them): a hazard's number counts that day's hazards of the laptop.
    let start = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).expect("date");
    let mut patrol = patrol;
    for i in 0..n {
        if i % 500 == 0 {
            let day = start + chrono::Duration::days((i / 500) as i64);
            laptop.clock = Clock::parse_fixed(&format!("{day}T10:00:00+08:00")).expect("clock");
            patrol = laptop.patrol_for(&leader).expect("patrol");
        }
        let b = &buildings[i % buildings.len()].building.id;
        hazard(&mut laptop, &patrol, &leader, b, "EGR-01");
    }
    let made = t.elapsed();
    let t = Instant::now();
    let (big, _) = firepatrol::sync::laptop_bundle(&mut laptop).expect("bundle");
    let export = t.elapsed();
    let before = office.outbox_head().expect("head");
    let t = Instant::now();
    let r = firepatrol::sync::receive(&mut office, &big, "big").expect("apply");
    let apply = t.elapsed();
    let _ = before;
    println!(
        "{n} hazards with their events and answers (recorded in {:.1} s): bundle {} bytes, export {:.2} s, apply at the office {:.2} s ({} rows)",
        made.as_secs_f64(),
        big.len(),
        export.as_secs_f64(),
        apply.as_secs_f64(),
        r.applied.rows
    );
    seal_cost(&format!("{n} hazards"), &big, &office, &laptop_keys);
    // The peer: sqlite3 inserting the same rows (the laptop's hazard, event and answer
    // tables, dumped as SQL and loaded into an empty database with the same schema).
    let dump = dir.path().join("rows.sql");
    let peer = dir.path().join("peer.db");
    let laptop_db = dir.path().join("laptop.db");
    let device = laptop.device_id().to_string();
    drop(laptop);
    let sqlite3 = |db: &std::path::Path, script: String| -> bool {
        use std::io::Write;
        let Ok(mut child) = std::process::Command::new("sqlite3")
            .arg(db)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
        else {
            return false;
        };
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(script.as_bytes());
        }
        child.wait().is_ok_and(|s| s.success())
    };
    let ok = sqlite3(
        &laptop_db,
        format!(
            ".output {}\n.mode insert hazard\nSELECT {HAZARD_COLUMNS} FROM hazard WHERE device_id = '{device}';\n\
             .mode insert event\nSELECT * FROM event WHERE device_id = '{device}';\n\
             .mode insert answer\nSELECT * FROM answer WHERE device_id = '{device}';\n",
            dump.display()
        ),
    );
    if ok {
        let schema = firepatrol::store::schema::MIGRATIONS.join("\n");
        sqlite3(&peer, schema);
        let t = Instant::now();
        let done = sqlite3(
            &peer,
            format!(
                "PRAGMA foreign_keys=OFF;\nBEGIN;\n.read {}\nCOMMIT;\n",
                dump.display()
            ),
        );
        let took = t.elapsed();
        if done {
            println!(
                "sqlite3 inserting the laptop's own hazard, event and answer rows (in one transaction): {:.2} s (apply / sqlite3 = {:.2}x)",
                took.as_secs_f64(),
                apply.as_secs_f64() / took.as_secs_f64()
            );
        }
    } else {
        println!("sqlite3 not found: no peer figure");
    }
}
