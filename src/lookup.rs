//! Finding a building or a person by what a user types, with the search engine
//! (`crate::search`): the app's picker and people list, `firepatrol find`, `--inspector NAME`
//! and the report's `--leader NAME` all go through here.

use crate::search::{RankHint, SearchIndex, search_keys};
use crate::store::{BuildingSummary, Person};

/// How many matches a list shows at most.
pub const LIMIT: usize = 500;

/// The index over buildings; handles are indexes into the list.
pub fn building_index(buildings: &[BuildingSummary]) -> SearchIndex {
    SearchIndex::new(
        buildings
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let last = b
                    .last_day
                    .as_deref()
                    .and_then(crate::domain::day::parse_stored)
                    .and_then(|d| d.and_hms_opt(12, 0, 0))
                    .map(|t| t.and_utc().timestamp());
                (
                    i as u64,
                    b.building.display_name(),
                    b.building.search_keys.clone(),
                    RankHint {
                        own: b.own,
                        last_patrol: last,
                    },
                )
            })
            .collect(),
    )
}

/// The index over people (names are short: every reading is a key).
pub fn people_index(people: &[Person]) -> SearchIndex {
    SearchIndex::new(
        people
            .iter()
            .enumerate()
            .map(|(i, p)| {
                (
                    i as u64,
                    p.name.clone(),
                    search_keys(&[&p.name]),
                    RankHint::default(),
                )
            })
            .collect(),
    )
}

/// Matches as (index, highlighted char positions), best first.
pub fn matches(index: &mut SearchIndex, query: &str) -> Vec<(usize, Vec<usize>)> {
    index
        .query(query, LIMIT)
        .into_iter()
        .map(|h| (h.handle as usize, h.highlight))
        .collect()
}

/// The person whose name best matches a query: the exact (cleaned) name, else the best match
/// by pinyin or initials.
pub fn best_person<'a>(people: &'a [Person], q: &str) -> Option<&'a Person> {
    let q = crate::domain::text::clean(q);
    if let Some(p) = people.iter().find(|p| p.name == q) {
        return Some(p);
    }
    let mut index = people_index(people);
    index
        .query(&q, 1)
        .first()
        .and_then(|h| people.get(h.handle as usize))
}
