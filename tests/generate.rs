//! Issue 7: the generator on a small size (CI): deterministic, every status, consistent.

mod common;

use common::*;
use firepatrol::store::{OpenMode, Store};

#[test]
fn the_generator_makes_a_consistent_district_with_every_status() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.db");
    let o = run(
        dir.path(),
        &[
            "demo",
            "generate",
            "--buildings",
            "300",
            "--hazards",
            "6000",
            "--days",
            "120",
            "--seed",
            "7",
            "--db",
            a.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let s = Store::open(&a, OpenMode::Existing, clock()).unwrap();
    let st = s.stats().unwrap();
    assert_eq!(st.buildings, 300);
    assert!(
        st.units > 300 && st.people > 10 && st.patrols > 0 && st.answers > 1000,
        "{st:?}"
    );
    let h = &st.hazards;
    assert_eq!(h.total, 6000);
    for (name, n) in [
        ("open", h.open),
        ("overdue", h.overdue),
        ("rectified", h.rectified),
        ("escalated", h.escalated),
    ] {
        assert!(n > 0, "{name}: {st:?}");
    }
    let (rows, _) = s
        .ledger(
            &firepatrol::store::LedgerFilter {
                status: firepatrol::store::StatusFilter::All,
                recurring: true,
                ..Default::default()
            },
            10,
        )
        .unwrap();
    assert!(!rows.is_empty(), "some hazards recur");
    assert!(
        s.check().unwrap().is_empty(),
        "integrity, hash chain and tallies"
    );
    // The same seed on the same day gives the same data.
    let b = dir.path().join("b.db");
    assert!(
        run(
            dir.path(),
            &[
                "demo",
                "generate",
                "--buildings",
                "300",
                "--hazards",
                "6000",
                "--days",
                "120",
                "--seed",
                "7",
                "--db",
                b.to_str().unwrap()
            ]
        )
        .status
        .success()
    );
    let t = Store::open(&b, OpenMode::Existing, clock()).unwrap();
    assert_eq!(t.stats().unwrap(), st);
    assert_eq!(t.open_by_category().unwrap(), s.open_by_category().unwrap());
    // It refuses to overwrite.
    let o = run(
        dir.path(),
        &[
            "demo",
            "generate",
            "--buildings",
            "3",
            "--hazards",
            "3",
            "--db",
            a.to_str().unwrap(),
        ],
    );
    assert!(
        !o.status.success() && stderr(&o).contains("exists already"),
        "{}",
        stderr(&o)
    );
}
