//! What the sync benchmarks share: an office on the demo community's lists and one laptop
//! enrolled and joined through the real sync code.

use firepatrol::domain::clock::Clock;
use firepatrol::store::{OpenMode, Store};
use std::path::Path;

pub fn clock() -> Clock {
    Clock::parse_fixed("2026-11-23T09:30:00+08:00").expect("clock")
}

/// `office.db` and `laptop.db` in `dir`: the office, and a laptop joined to it.
pub fn office_and_laptop(dir: &Path) -> (Store, Store) {
    let mut office =
        Store::open(&dir.join("office.db"), OpenMode::Create, clock()).expect("office");
    firepatrol::demo::load_lists(&mut office).expect("lists");
    firepatrol::sync::init_office(&mut office).expect("office role");
    let leader = office.people().expect("people")[0].clone();
    let e =
        firepatrol::sync::add_device(&mut office, Some(&leader.id), &leader.name).expect("enrol");
    let mut laptop =
        Store::open(&dir.join("laptop.db"), OpenMode::Create, clock()).expect("laptop");
    firepatrol::sync::join(&mut laptop, &e.file, "enrol", &e.code, false).expect("join");
    (office, laptop)
}
