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
