//! An office and its laptops for the sync tests: each a real database in a temporary folder,
//! enrolled and joined through the real sync code.
#![allow(dead_code)]

use firepatrol::domain::Severity;
use firepatrol::domain::clock::Clock;
use firepatrol::store::*;
use std::path::Path;

pub fn at(s: &str) -> Clock {
    Clock::parse_fixed(s).expect("fixed clock")
}

/// The office: the demo community's lists, made the office's.
pub fn office(dir: &Path) -> Store {
    let mut s = Store::open(&dir.join("office.db"), OpenMode::Create, super::clock()).unwrap();
    firepatrol::demo::load_lists(&mut s).unwrap();
    firepatrol::sync::init_office(&mut s).unwrap();
    s
}

pub fn person_id(s: &Store, name: &str) -> String {
    s.people()
        .unwrap()
        .into_iter()
        .find(|p| p.name == name)
        .unwrap()
        .id
}

/// The scrypt work factor of the enrolments these tests make: light, so that many laptops
/// are enrolled quickly (the real one, `keys::ENROL_LOG_N`, is what the CLI tests use).
pub const TEST_LOG_N: u8 = 10;

/// Enrol a laptop for `name` at the office: its enrolment file and code.
pub fn enrol(office: &mut Store, name: &str) -> firepatrol::sync::Enrolled {
    let id = person_id(office, name);
    firepatrol::sync::add_device_with(office, Some(&id), name, TEST_LOG_N).unwrap()
}

/// Enrol a laptop for `name` at the office and join it (a new database `file`).
pub fn laptop(office: &mut Store, dir: &Path, file: &str, name: &str) -> Store {
    let e = enrol(office, name);
    let mut s = Store::open(&dir.join(file), OpenMode::Create, super::clock()).unwrap();
    firepatrol::sync::join(&mut s, &e.file, "enrolment", &e.code, false).unwrap();
    s
}

/// The first building the demo gives `name` to look after, and its first unit.
pub fn building_of(s: &Store, name: &str) -> (String, Option<String>) {
    let pid = person_id(s, name);
    let b = s
        .building_summaries(Some(&pid))
        .unwrap()
        .into_iter()
        .find(|b| b.own)
        .or_else(|| s.building_summaries(None).unwrap().into_iter().next())
        .unwrap()
        .building
        .id;
    let u = s.units(&b).unwrap().first().map(|u| u.id.clone());
    (b, u)
}

/// A leader records a hazard at a building of theirs.
pub fn record(s: &mut Store, name: &str, item: &str, escalate: Option<&str>) -> HazardReceipt {
    let leader = person_id(s, name);
    let (b, u) = building_of(s, name);
    let patrol = s.patrol_for(&leader).unwrap();
    s.record_hazard(&NewHazard {
        patrol_id: patrol,
        slot: Slot {
            building_id: b,
            unit_id: u,
            item_id: item.into(),
        },
        category: "ebike".into(),
        spot: "1F".into(),
        description: "电动车停在楼道".into(),
        severity: Severity::High,
        party_name: String::new(),
        party_room: String::new(),
        party_phone: String::new(),
        found_by: Some(leader),
        deadline: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        fixed_on_spot: false,
        escalate: escalate.map(str::to_owned),
    })
    .unwrap()
}

/// A laptop's sync file, taken in at the office; the reply taken in on the laptop.
pub fn round_trip(office: &mut Store, laptop: &mut Store) {
    let (bundle, _) = firepatrol::sync::laptop_bundle(laptop).unwrap();
    let got = firepatrol::sync::receive(office, &bundle, "laptop file").unwrap();
    let reply = got.reply.unwrap();
    firepatrol::sync::receive(laptop, &reply, "reply").unwrap();
}

/// Everything of the synced tables, as sorted text lines (to compare databases).
pub fn synced_content(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut out = Vec::new();
    for t in firepatrol::store::sync::SYNCED {
        // Template versions are numbered by each database in the order they arrived.
        let cols: Vec<String> = conn
            .prepare(&format!("SELECT name FROM pragma_table_info('{t}')"))
            .unwrap()
            .query_map([], |r| r.get::<_, String>(0))
            .unwrap()
            .map(|c| c.unwrap())
            .filter(|c| !(*t == "template_version" && c == "seq"))
            .collect();
        let sql = format!(
            "SELECT '{t}' || char(9) || {} FROM {t}",
            cols.iter()
                .map(|c| format!("quote({c})"))
                .collect::<Vec<_>>()
                .join(" || char(9) || ")
        );
        let mut st = conn.prepare(&sql).unwrap();
        let rows = st.query_map([], |r| r.get::<_, String>(0)).unwrap();
        out.extend(rows.map(|r| r.unwrap()));
    }
    out.sort();
    out
}

/// The derived state: every hazard's state, and the tallies.
pub fn derived(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut out = Vec::new();
    for sql in [
        "SELECT hazard_id || ' ' || status || ' ' || deadline || ' ' || ifnull(closed_day, '-') || ' ' || ifnull(escalated_to, '-') FROM hazard_state",
        "SELECT 'open ' || deadline || category || status || ' ' || n FROM open_tally WHERE n <> 0",
        "SELECT 'status ' || status || category || ' ' || n FROM status_tally WHERE n <> 0",
        "SELECT 'daily ' || day || ' ' || found || ' ' || rectified FROM daily_tally WHERE found <> 0 OR rectified <> 0",
    ] {
        let mut st = conn.prepare(sql).unwrap();
        let rows = st.query_map([], |r| r.get::<_, String>(0)).unwrap();
        out.extend(rows.map(|r| r.unwrap()));
    }
    out.sort();
    out
}

/// Lines in one list and not the other (for a readable failure).
pub fn difference(a: &[String], b: &[String]) -> Vec<String> {
    let sa: std::collections::BTreeSet<&String> = a.iter().collect();
    let sb: std::collections::BTreeSet<&String> = b.iter().collect();
    let only = |x: &std::collections::BTreeSet<&String>,
                y: &std::collections::BTreeSet<&String>,
                tag: &str| {
        x.difference(y)
            .map(|s| format!("{tag} {}", s.chars().take(200).collect::<String>()))
            .collect::<Vec<_>>()
    };
    let mut v = only(&sa, &sb, "only in the first:");
    v.extend(only(&sb, &sa, "only in the second:"));
    v
}

/// The keys in the key file beside a database (what a thief of the laptop would hold).
pub fn keys_of(s: &Store) -> firepatrol::sync::keys::Keys {
    firepatrol::sync::keys::load(s.path()).unwrap().unwrap()
}

/// A bundle made by hand: `header` as given, `changes` sealed to the holder of `to`'s keys,
/// signed with `key` (a forger's, or a stolen one).
pub fn forge(
    header: firepatrol::sync::bundle::Header,
    changes: &[u8],
    to: &Store,
    key: &ed25519_dalek::SigningKey,
) -> Vec<u8> {
    use firepatrol::sync::bundle;
    let inner = bundle::Inner {
        community_name: "芙蓉南路社区".into(),
        enrol: None,
        proposals: Vec::new(),
    };
    let age = keys_of(to).age_public();
    bundle::write(header, &inner, changes, bundle::Seal::To(&age), key).unwrap()
}

/// What a bundle carries, opened with the keys of its recipient.
pub fn opened(bytes: &[u8], recipient: &Store) -> firepatrol::sync::bundle::Opened {
    use firepatrol::sync::bundle;
    let keys = keys_of(recipient);
    bundle::read(bytes)
        .unwrap()
        .open(bundle::Opener::Keys(&keys.age), bundle::MAX_PAYLOAD)
        .unwrap()
}

/// The enrolment code `devices add` prints on its last line ("Enrolment code: 4821 0937").
pub fn code_on_last_line(said: &str) -> String {
    let last = said.lines().last().unwrap_or_default();
    let code: String = last.chars().filter(char::is_ascii_digit).collect();
    assert_eq!(code.len(), 8, "no code on the last line: {said}");
    code
}
