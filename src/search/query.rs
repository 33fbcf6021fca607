//! A query as the index sees it: folded, cut to bounds and split into terms, each with what
//! the match and score phases need; and the previous query, whose matches a longer query
//! narrows.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use super::fold::fold;
use super::matching::{ascii_bit, char_bit};

/// Raw query characters looked at; the rest of a pasted novel is ignored.
pub const MAX_QUERY_CHARS: usize = 256;
/// Characters kept of each whitespace-separated query term.
pub const MAX_TERM_CHARS: usize = 64;
/// Terms kept of a query.
pub const MAX_TERMS: usize = 8;

/// The terms of a query: folded like the keys and split on whitespace, within the bounds.
pub(super) fn terms(query: &str, matcher: &SkimMatcherV2) -> Vec<Term> {
    let raw: String = query.chars().take(MAX_QUERY_CHARS).collect();
    fold(&raw)
        .split(' ')
        .filter(|t| !t.is_empty())
        .take(MAX_TERMS)
        .map(|t| match super::fold::with_building_words(t) {
            Some(turned) => Term::new(&turned, matcher),
            None => Term::new(t, matcher),
        })
        .collect()
}

/// One whitespace-separated piece of a folded query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Term {
    pub(super) text: String,
    /// All ASCII: matched against pinyin and initials keys. Otherwise
    /// matched against the folded text.
    pub(super) ascii: bool,
    pub(super) mask: u64,
    /// Highest fuzzy score the term can get in a key that starts with its
    /// first character, and in any other key.
    pub(super) best_at_start: i64,
    pub(super) best_elsewhere: i64,
}

impl Term {
    pub(super) fn new(text: &str, matcher: &SkimMatcherV2) -> Term {
        let text: String = text.chars().take(MAX_TERM_CHARS).collect();
        let ascii = text.is_ascii();
        let mask = if ascii {
            text.bytes().fold(0, |m, b| m | ascii_bit(b))
        } else {
            text.chars().fold(0, |m, c| m | char_bit(c))
        };
        // The first character can earn the start-of-string bonus only at
        // the very start; elsewhere the best is right after a separator.
        // Every later character earns at most the bonus its run started
        // with, so these two alignments are the best possible.
        let best_at_start = matcher.fuzzy_match(&text, &text).unwrap_or(0).max(0);
        let best_elsewhere = matcher
            .fuzzy_match(&format!(" {text}"), &text)
            .unwrap_or(0)
            .max(0);
        Term {
            text,
            ascii,
            mask,
            best_at_start,
            best_elsewhere,
        }
    }
}

/// The previous query and every record it matched.
pub(super) struct Cache {
    pub(super) terms: Vec<Term>,
    /// Record positions, ascending (rank order).
    pub(super) candidates: Vec<u32>,
}

impl Cache {
    /// Whether every record matching `terms` also matched the cached query:
    /// same terms, the last one possibly longer, maybe more terms after it.
    pub(super) fn covers(&self, terms: &[Term]) -> bool {
        let Some((last, init)) = self.terms.split_last() else {
            return false;
        };
        terms.len() >= self.terms.len()
            && init.iter().zip(terms).all(|(a, b)| a == b)
            && terms
                .get(init.len())
                .is_some_and(|t| t.ascii == last.ascii && t.text.starts_with(&last.text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Same, on random keys and terms over a small alphabet.
        #[test]
        fn fuzzy_bounds_hold_random(key in "[ax2 栋-]{0,30}", term in "[ax2栋]{1,6}") {
            let matcher = SkimMatcherV2::default().respect_case();
            let t = Term::new(&term, &matcher);
            if let Some(score) = matcher.fuzzy_match(&key, &term) {
                let bound = if key.as_bytes().first() == term.as_bytes().first() {
                    t.best_at_start
                } else {
                    t.best_elsewhere
                };
                proptest::prop_assert!(score <= bound, "{} in {:?}: {} > {}", term, key, score, bound);
            }
        }
    }

    /// The pruning bound must really bound SkimMatcherV2's score.
    #[test]
    fn fuzzy_bounds_hold() {
        let matcher = SkimMatcherV2::default().respect_case();
        let keys = [
            "frnlsq xfrzd 2d",
            "xfrzd",
            "xxxx xf xfr",
            "furongnanlushequ xinfurongzhidu 2dong",
            "a-b_c d.e/f",
            "芙蓉南路社区 新芙蓉之都 2栋",
            "2栋 22栋 2",
            "xinxinxin",
        ];
        let terms = [
            "x",
            "xf",
            "xfr",
            "xfr2",
            "2",
            "2d",
            "xin",
            "xinfurong",
            "栋",
            "2栋",
            "新芙蓉",
            "a",
        ];
        for term in terms {
            let t = Term::new(term, &matcher);
            for key in keys {
                let Some(score) = matcher.fuzzy_match(key, term) else {
                    continue;
                };
                let bound = if key.as_bytes().first() == term.as_bytes().first() {
                    t.best_at_start
                } else {
                    t.best_elsewhere
                };
                assert!(score <= bound, "{term} in {key}: {score} > {bound}");
            }
        }
    }
}
