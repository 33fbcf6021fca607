use firepatrol::store::*;
use std::time::Instant;
fn main() {
    let c = firepatrol::domain::clock::Clock::System;
    let t = Instant::now();
    let s = Store::open(
        std::path::Path::new("/tmp/big/big.db"),
        OpenMode::Existing,
        c,
    )
    .unwrap();
    println!("open {:?}", t.elapsed());
    macro_rules! time {
        ($name:expr, $e:expr) => {{
            let t = Instant::now();
            let r = $e;
            println!("{} {:?}", $name, t.elapsed());
            r
        }};
    }
    let people = time!("people", s.people().unwrap());
    let p = people[0].id.clone();
    let b = time!("summaries", s.building_summaries(Some(&p)).unwrap());
    time!("due_counts", s.due_counts().unwrap());
    time!("last_position", s.last_position().unwrap());
    time!("open_by_category", s.open_by_category().unwrap());
    time!("found_vs_rectified", s.found_vs_rectified(30).unwrap());
    time!(
        "checklist x4",
        for k in firepatrol::domain::SiteKind::ALL {
            s.checklist_for(*k).unwrap();
        }
    );
    time!("index", firepatrol::tui::search::building_index(&b));
    time!(
        "ledger open",
        s.ledger(&LedgerFilter::default(), 2000).unwrap()
    );
    time!(
        "ledger counts",
        s.ledger_counts(&LedgerFilter::default()).unwrap()
    );
    time!("ledger choices", s.ledger_choices().unwrap());
    time!(
        "open_hazards_at",
        s.open_hazards_at(&b[0].building.id).unwrap()
    );
}
