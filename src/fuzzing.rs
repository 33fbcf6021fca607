//! The bodies of the fuzz targets (`fuzz/`), here so that the regression inputs they found
//! also run as ordinary tests (`tests/fuzz_regressions.rs`). Each checks the properties that
//! must hold for any input, and panics (a finding) when one does not.

use crate::domain::deadline::parse_deadline;
use crate::domain::text::clean;
use crate::import::{parse_buildings, parse_people, table_from_csv, table_from_xlsx};
use std::path::Path;

fn check_table(t: &crate::import::Table) {
    let p = Path::new("fuzz.csv");
    if let Ok(people) = parse_people(p, t) {
        for r in people.rows {
            assert!(!r.name.is_empty(), "a person without a name passed");
            assert_eq!(clean(&r.name), r.name, "uncleaned text passed the import");
        }
    }
    if let Ok(b) = parse_buildings(p, t) {
        for r in b.rows {
            assert!(!r.building.is_empty(), "a building without a name passed");
            for s in [&r.building, &r.compound, &r.address, &r.leader, &r.phone] {
                assert_eq!(clean(s), *s, "uncleaned text passed the import");
                assert!(s.chars().count() <= crate::domain::text::MAX_TEXT_CHARS);
            }
        }
    }
}

pub fn import_csv(data: &[u8]) {
    if let Ok(t) = table_from_csv(Path::new("fuzz.csv"), data) {
        check_table(&t);
    }
}

pub fn import_xlsx(data: &[u8]) {
    if let Ok(t) = table_from_xlsx(Path::new("fuzz.xlsx"), data.to_vec()) {
        check_table(&t);
    }
}

pub fn deadline(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some(today) = chrono::NaiveDate::from_ymd_opt(2026, 11, 23) else {
        return;
    };
    if let Ok(d) = parse_deadline(text, today) {
        assert!(
            d >= today,
            "a deadline before today was accepted: {text:?} -> {d}"
        );
    }
}

pub fn template(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(t) = crate::domain::checklist::Template::parse(text) {
        // A template that passed validation round-trips and has clean text.
        assert!(!t.items.is_empty());
        for i in &t.items {
            assert_eq!(clean(&i.prompt_zh), i.prompt_zh);
        }
        assert_eq!(
            crate::domain::checklist::Template::parse(&t.to_json())
                .ok()
                .as_ref(),
            Some(&t)
        );
    }
}

/// The key the fuzzing seals its seed bundles to (a fixed, public test key: nothing real is
/// ever sealed to it), so that the fuzzer can reach what is inside the seal.
pub const FUZZ_AGE_KEY: &str =
    "AGE-SECRET-KEY-1QAW3DZENQVKGVRKPA90TAZN75SDMWZZQHS3P5CL52F0UN3NAN67QMZL5VS";
/// The code the fuzzing's enrolment seeds are sealed with.
pub const FUZZ_CODE: &str = "48210937";

/// The fuzzing's age identity.
pub fn fuzz_identity() -> Option<age::x25519::Identity> {
    FUZZ_AGE_KEY.parse().ok()
}

/// The bundle reader: any bytes, as a file from the chat app. Read the frame, check the
/// signature, open the seal (with the fuzzing's key, and as an enrolment with its code), and
/// unpack: never a panic, never more than the limit unpacked.
pub fn bundle(data: &[u8]) {
    use crate::sync::bundle::{self, Opener};
    const LIMIT: u64 = 1 << 20;
    if let Ok(b) = bundle::read(data) {
        let _ = b.id();
        let _ = b.verify(&b.header.keys.sign);
        if let Some(identity) = fuzz_identity()
            && let Ok(o) = b.open(Opener::Keys(&identity), LIMIT)
        {
            assert!(o.changeset.len() as u64 <= LIMIT, "unpacked past the limit");
        }
        if b.header.kind == bundle::Kind::Enrol
            && let Ok(o) = b.open(Opener::Code(FUZZ_CODE), LIMIT)
        {
            assert!(o.changeset.len() as u64 <= LIMIT, "unpacked past the limit");
        }
    }
    if let Ok(out) = crate::sync::limits::unpack(data, LIMIT) {
        assert!(out.len() as u64 <= LIMIT, "unpacked past the limit");
    }
}

/// An office database the changeset checker applies to (made once per process).
fn fuzz_office() -> Option<&'static std::sync::Mutex<crate::store::Store>> {
    use std::sync::{Mutex, OnceLock};
    static OFFICE: OnceLock<Option<Mutex<crate::store::Store>>> = OnceLock::new();
    OFFICE
        .get_or_init(|| {
            let dir = tempfile::tempdir().ok()?.keep();
            let clock = crate::domain::clock::Clock::parse_fixed("2026-11-23T09:30:00+08:00")?;
            let path = dir.join("office.db");
            let mut s =
                crate::store::Store::open(&path, crate::store::OpenMode::Create, clock).ok()?;
            crate::demo::load_lists(&mut s).ok()?;
            crate::sync::init_office(&mut s).ok()?;
            Some(Mutex::new(s))
        })
        .as_ref()
}

/// The changeset checker: any bytes, as the changeset inside a laptop's signed bundle (its
/// sender holds a laptop's keys), applied at the office the whole way (the rules of typed
/// input, facts insert-only, the conflict policy, the chains) and then rolled back. Never a
/// panic; a changeset either is refused or fails with an error, nothing in between.
pub fn changeset(data: &[u8]) {
    use crate::store::sync::{Incoming, Side};
    let Some(office) = fuzz_office() else {
        panic!("the fuzzing's office database could not be made");
    };
    let Ok(mut store) = office.lock() else {
        return;
    };
    let allowed = vec!["fuzz-laptop".to_string()];
    let incoming = Incoming {
        changes: data,
        side: Side::Office,
        sender: "fuzz",
        allowed: Some(&allowed),
        record_as: None,
    };
    // The transaction is always rolled back: the office stays as it was for the next input.
    let r = store.apply_changes(&incoming, |_, _| {
        Err(rusqlite::Error::InvalidParameterName("rolled back".into()))
    });
    assert!(
        !matches!(r, Ok(Ok(_))),
        "a changeset was applied past the rollback"
    );
}

/// Seeds for the two sync targets, made with the real code: a laptop's bundle sealed to the
/// fuzzing's key, an enrolment sealed with its code, and the changesets they carry.
pub fn sync_seeds() -> crate::error::Result<Vec<(&'static str, Vec<u8>)>> {
    use crate::sync::bundle::{self, Inner, Seal};
    let dir = tempfile::tempdir().map_err(|e| crate::error::Error::Io {
        path: std::env::temp_dir(),
        source: e,
    })?;
    let clock = crate::domain::clock::Clock::parse_fixed("2026-11-23T09:30:00+08:00")
        .ok_or_else(|| crate::error::Error::Usage("clock".into()))?;
    let open = |name: &str| {
        crate::store::Store::open(
            &dir.path().join(name),
            crate::store::OpenMode::Create,
            clock.clone(),
        )
    };
    let mut office = open("office.db")?;
    crate::demo::load_lists(&mut office)?;
    crate::sync::init_office(&mut office)?;
    let people = office.people()?;
    let Some(p) = people.first() else {
        return Ok(Vec::new());
    };
    let e = crate::sync::add_device_with(&mut office, Some(&p.id), &p.name, 1)?;
    let mut laptop = open("laptop.db")?;
    crate::sync::join(&mut laptop, &e.file, "seed", &e.code, false)?;
    let (real, _) = crate::sync::laptop_bundle(&mut laptop)?;
    let snapshot = laptop.snapshot()?;
    let b = bundle::read(&real).map_err(|p| crate::error::Error::Sync {
        place: "seed".into(),
        problem: p,
    })?;
    let keys = crate::sync::keys::load(laptop.path())
        .ok()
        .flatten()
        .ok_or_else(|| crate::error::Error::Usage("keys".into()))?;
    let to = fuzz_identity()
        .map(|i| i.to_public().to_string())
        .unwrap_or_default();
    let inner = Inner {
        community_name: "芙蓉南路社区".into(),
        enrol: None,
        proposals: Vec::new(),
    };
    let io = |e| crate::error::Error::Io {
        path: dir.path().to_path_buf(),
        source: e,
    };
    let sealed = bundle::write(
        b.header.clone(),
        &inner,
        &snapshot,
        Seal::To(&to),
        &keys.sign,
    )
    .map_err(io)?;
    let mut enrol_header = b.header.clone();
    enrol_header.kind = bundle::Kind::Enrol;
    let code = Seal::Code {
        code: FUZZ_CODE,
        log_n: 1,
    };
    let enrol = bundle::write(
        enrol_header,
        &inner,
        &snapshot[..snapshot.len().min(4096)],
        code,
        &keys.sign,
    )
    .map_err(io)?;
    Ok(vec![
        ("bundle/laptop.sync", sealed),
        ("bundle/enrolment.enrol", enrol),
        ("changeset/snapshot.changeset", snapshot),
    ])
}
