//! Filtering lists in the app: the buildings (picker) and people (who is patrolling).
//! Matching uses the search keys stored with each building.

use crate::store::{BuildingSummary, Person};
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

/// Buildings matching a query, best first, with the matched character positions of the
/// display name. An empty query keeps the stored order.
pub fn filter_buildings(buildings: &[BuildingSummary], query: &str) -> Vec<(usize, Vec<usize>)> {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return (0..buildings.len()).map(|i| (i, vec![])).collect();
    }
    let m = SkimMatcherV2::default();
    let mut hits: Vec<(i64, usize, Vec<usize>)> = buildings
        .iter()
        .enumerate()
        .filter_map(|(i, b)| {
            let name = b.building.display_name();
            let on_name = m.fuzzy_indices(&name.to_lowercase(), &q);
            let on_keys = m.fuzzy_match(&b.building.search_keys, &q);
            match (on_name, on_keys) {
                (Some((s, idx)), k) => Some((s.max(k.unwrap_or(0)), i, idx)),
                (None, Some(s)) => Some((s, i, vec![])),
                (None, None) => None,
            }
        })
        .collect();
    hits.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(buildings[b.1].own.cmp(&buildings[a.1].own))
            .then(a.1.cmp(&b.1))
    });
    hits.into_iter().map(|(_, i, idx)| (i, idx)).collect()
}

pub fn person_matches(p: &Person, q: &str) -> bool {
    SkimMatcherV2::default()
        .fuzzy_match(&p.name.to_lowercase(), q)
        .is_some()
}

/// The person whose name best matches a query (for `--inspector NAME`).
pub fn best_person<'a>(people: &'a [Person], q: &str) -> Option<&'a Person> {
    let m = SkimMatcherV2::default();
    let q = q.to_lowercase();
    people
        .iter()
        .filter_map(|p| {
            let exact = p.name.to_lowercase() == q;
            m.fuzzy_match(&p.name.to_lowercase(), &q)
                .map(|s| (exact, s, p))
        })
        .max_by_key(|(exact, s, _)| (*exact, *s))
        .map(|(_, _, p)| p)
}
