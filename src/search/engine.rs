//! The in-memory index and its query loop.

use std::cmp::Ordering;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use super::fold::fold;
use super::highlight::highlight;
use super::keys::{Keys, build};

/// Raw query characters looked at; the rest of a pasted novel is ignored.
pub const MAX_QUERY_CHARS: usize = 256;
/// Characters kept of each whitespace-separated query term.
pub const MAX_TERM_CHARS: usize = 64;
/// Terms kept of a query.
pub const MAX_TERMS: usize = 8;

/// Match levels of a term in a key, best last. The level is worth far more
/// than any fuzzy score, so a whole-word or prefix match always ranks above
/// a scattered one.
const LEVEL_SCATTERED: u8 = 0;
const LEVEL_SUBSTRING: u8 = 1;
const LEVEL_PREFIX: u8 = 2;
const LEVEL_WHOLE: u8 = 3;

/// What the caller knows about a record that helps ordering ties.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RankHint {
    /// The record is one of the leader's own buildings.
    pub own: bool,
    /// When it was last patrolled (Unix seconds), if ever.
    pub last_patrol: Option<i64>,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The caller's handle of the record, as given to [`SearchIndex::new`].
    pub handle: u64,
    /// Higher is better. Only comparable between hits of the same query.
    pub score: i64,
    /// Character indices (not bytes) into the display text to highlight,
    /// sorted and unique. Pinyin matches are mapped back onto the Chinese
    /// characters they spell.
    pub highlight: Vec<usize>,
}

struct Entry {
    handle: u64,
    display: Box<str>,
    hint: RankHint,
    /// Folded text key.
    text: Box<str>,
    /// Pinyin and initials keys, separated by `\n`.
    ascii: Box<str>,
    /// Which ASCII bytes occur in `ascii` (see [`ascii_bit`]).
    ascii_mask: u64,
    /// Which characters occur in `text`, hashed to 64 bits.
    text_mask: u64,
}

/// One whitespace-separated piece of a folded query.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    text: String,
    /// All ASCII: matched against pinyin and initials keys. Otherwise
    /// matched against the folded text.
    ascii: bool,
    mask: u64,
}

impl Term {
    fn new(text: &str) -> Term {
        let text: String = text.chars().take(MAX_TERM_CHARS).collect();
        let ascii = text.is_ascii();
        let mask = if ascii {
            text.bytes().fold(0, |m, b| m | ascii_bit(b))
        } else {
            text.chars().fold(0, |m, c| m | char_bit(c))
        };
        Term { text, ascii, mask }
    }
}

/// The previous query and every record it matched.
struct Cache {
    terms: Vec<Term>,
    candidates: Vec<u32>,
}

impl Cache {
    /// Whether every record matching `terms` also matched the cached query:
    /// same terms, the last one possibly longer, maybe more terms after it.
    fn covers(&self, terms: &[Term]) -> bool {
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

/// Search over a fixed list of records; see the module docs.
pub struct SearchIndex {
    entries: Vec<Entry>,
    /// Entry indices in rank-hint order (for the empty query and ties).
    order: Vec<u32>,
    matcher: SkimMatcherV2,
    cache: Option<Cache>,
    /// Records the last query looked at (for tests of the incremental path).
    scanned: usize,
}

/// Bit of an ASCII byte in a 64-bit presence mask.
fn ascii_bit(b: u8) -> u64 {
    let i = match b {
        b'a'..=b'z' => b - b'a',
        b'0'..=b'9' => 26 + (b - b'0'),
        _ => 36 + b % 28,
    };
    1u64 << i
}

/// Bit of any character in a 64-bit presence mask.
fn char_bit(c: char) -> u64 {
    1u64 << ((c as u32).wrapping_mul(0x9E37_79B1) >> 26)
}

fn hint_order(a: &Entry, b: &Entry) -> Ordering {
    b.hint
        .own
        .cmp(&a.hint.own)
        .then_with(|| b.hint.last_patrol.cmp(&a.hint.last_patrol))
        .then_with(|| natural_cmp(&a.display, &b.display))
        .then_with(|| a.handle.cmp(&b.handle))
}

/// Text order with runs of ASCII digits compared as numbers, so `2栋` sorts
/// before `12栋`.
fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (x.peek().copied(), y.peek().copied()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let run = |it: &mut std::iter::Peekable<std::str::Chars>| {
                    let mut digits = String::new();
                    while let Some(c) = it.next_if(char::is_ascii_digit) {
                        digits.push(c);
                    }
                    digits
                };
                let (m, n) = (run(&mut x), run(&mut y));
                let (m, n) = (m.trim_start_matches('0'), n.trim_start_matches('0'));
                let ord = m.len().cmp(&n.len()).then_with(|| m.cmp(n));
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(&d);
                }
                x.next();
                y.next();
            }
        }
    }
}

/// Level of `term` in `key`, if it matches at all.
fn key_level(key: &str, term: &str) -> Option<u8> {
    let bytes = key.as_bytes();
    let mut best: Option<u8> = None;
    for (pos, _) in key.match_indices(term) {
        let end = pos + term.len();
        let starts = pos == 0 || bytes.get(pos - 1) == Some(&b' ');
        let ends = end == bytes.len() || bytes.get(end) == Some(&b' ');
        let level = match (starts, ends) {
            (true, true) => LEVEL_WHOLE,
            (true, false) => LEVEL_PREFIX,
            _ => LEVEL_SUBSTRING,
        };
        if best.is_none_or(|b| level > b) {
            best = Some(level);
        }
        if level == LEVEL_WHOLE {
            break;
        }
    }
    if best.is_some() {
        return best;
    }
    let subsequence = if term.is_ascii() {
        let mut it = bytes.iter();
        term.bytes().all(|t| it.any(|&k| k == t))
    } else {
        let mut it = key.chars();
        term.chars().all(|t| it.any(|k| k == t))
    };
    subsequence.then_some(LEVEL_SCATTERED)
}

impl Entry {
    fn keys(&self, term: &Term) -> impl Iterator<Item = &str> {
        let (ascii, text) = if term.ascii {
            (Some(self.ascii.split('\n')), None)
        } else {
            (None, Some(&*self.text))
        };
        ascii.into_iter().flatten().chain(text)
    }

    /// Best level of `term` over this entry's keys.
    fn level(&self, term: &Term) -> Option<u8> {
        let mask = if term.ascii {
            self.ascii_mask
        } else {
            self.text_mask
        };
        if term.mask & !mask != 0 {
            return None;
        }
        let mut best: Option<u8> = None;
        for key in self.keys(term) {
            if let Some(l) = key_level(key, &term.text) {
                if best.is_none_or(|b| l > b) {
                    best = Some(l);
                }
                if l == LEVEL_WHOLE {
                    break;
                }
            }
        }
        best
    }

    /// Best fuzzy score of `term` among the keys where it reaches `level`.
    fn fuzzy(&self, term: &Term, level: u8, matcher: &SkimMatcherV2) -> i64 {
        self.keys(term)
            .filter(|k| key_level(k, &term.text) == Some(level))
            .filter_map(|k| matcher.fuzzy_match(k, &term.text))
            .max()
            .unwrap_or(0)
            .max(0)
    }
}

impl SearchIndex {
    /// Builds the index from `(handle, display text, stored keys, hint)`.
    ///
    /// `stored keys` is what [`super::search_keys`] returned when the record
    /// was written. If it is empty or in an unknown format, keys are built
    /// from the display text instead, so a damaged row stays findable.
    pub fn new(records: Vec<(u64, String, String, RankHint)>) -> SearchIndex {
        let entries: Vec<Entry> = records
            .into_iter()
            .map(|(handle, display, stored, hint)| {
                let keys = Keys::parse(&stored).unwrap_or_else(|| build(&[&display]));
                let ascii = keys
                    .pinyin
                    .iter()
                    .chain(&keys.initials)
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join("\n");
                let ascii_mask = ascii
                    .bytes()
                    .filter(|b| *b != b'\n' && *b != b' ')
                    .fold(0, |m, b| m | ascii_bit(b));
                let text_mask = keys
                    .text
                    .chars()
                    .filter(|c| *c != ' ')
                    .fold(0, |m, c| m | char_bit(c));
                Entry {
                    handle,
                    display: display.into_boxed_str(),
                    hint,
                    text: keys.text.into_boxed_str(),
                    ascii: ascii.into_boxed_str(),
                    ascii_mask,
                    text_mask,
                }
            })
            .collect();
        let count = u32::try_from(entries.len()).unwrap_or(u32::MAX);
        let mut order: Vec<u32> = (0..count).collect();
        order.sort_by(|&a, &b| hint_order(&entries[a as usize], &entries[b as usize]));
        SearchIndex {
            entries,
            order,
            matcher: SkimMatcherV2::default()
                .respect_case()
                .element_limit(1 << 16),
            cache: None,
            scanned: 0,
        }
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether the index has no records.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// How many records the last query looked at.
    #[cfg(test)]
    pub(crate) fn scanned(&self) -> usize {
        self.scanned
    }

    /// Forgets the previous query, so the next one searches everything.
    pub fn reset(&mut self) {
        self.cache = None;
    }

    /// The best `limit` records for `query`, best first.
    ///
    /// The query is folded like the keys (traditional to simplified,
    /// lowercase, full-width to ASCII) and split on whitespace; every term
    /// must match. An all-ASCII term is matched against the pinyin and
    /// initials keys, any other term against the folded text. An empty
    /// query returns records in rank-hint order with score 0.
    ///
    /// When the query extends the previous one (typing one more character),
    /// only the records that matched the previous one are searched.
    pub fn query(&mut self, query: &str, limit: usize) -> Vec<Hit> {
        let raw: String = query.chars().take(MAX_QUERY_CHARS).collect();
        let folded = fold(&raw);
        let terms: Vec<Term> = folded
            .split(' ')
            .filter(|t| !t.is_empty())
            .take(MAX_TERMS)
            .map(Term::new)
            .collect();

        if terms.is_empty() {
            self.cache = None;
            self.scanned = 0;
            return self
                .order
                .iter()
                .take(limit)
                .map(|&i| Hit {
                    handle: self.entries[i as usize].handle,
                    score: 0,
                    highlight: Vec::new(),
                })
                .collect();
        }

        // Phase 1: which records match, and how well (levels only).
        let previous = self.cache.take().filter(|c| c.covers(&terms));
        let all;
        let candidates: &[u32] = match &previous {
            Some(c) => &c.candidates,
            None => {
                all = (0..self.entries.len() as u32).collect::<Vec<u32>>();
                &all
            }
        };
        self.scanned = candidates.len();
        let max_level = usize::from(LEVEL_WHOLE) * terms.len();
        let mut by_level: Vec<Vec<u32>> = vec![Vec::new(); max_level + 1];
        let mut matched = Vec::with_capacity(candidates.len());
        'entries: for &i in candidates {
            let Some(entry) = self.entries.get(i as usize) else {
                continue;
            };
            let mut level = 0usize;
            for term in &terms {
                match entry.level(term) {
                    Some(l) => level += usize::from(l),
                    None => continue 'entries,
                }
            }
            matched.push(i);
            by_level[level].push(i);
        }

        // Phase 2: fuzzy scores, best levels first, until `limit` is
        // reached at the end of a level (lower levels cannot overtake).
        let term_chars: usize = terms.iter().map(|t| t.text.chars().count()).sum();
        let unit = 32 * term_chars as i64 + 64;
        let mut scored: Vec<(i64, u32)> = Vec::new();
        for (level, ids) in by_level.iter().enumerate().rev() {
            if scored.len() >= limit {
                break;
            }
            for &i in ids {
                let entry = &self.entries[i as usize];
                let mut score = level as i64 * unit;
                for term in &terms {
                    let l = entry.level(term).unwrap_or(LEVEL_SCATTERED);
                    score += entry.fuzzy(term, l, &self.matcher);
                }
                scored.push((score, i));
            }
        }
        let entries = &self.entries;
        scored.sort_unstable_by(|a, b| {
            b.0.cmp(&a.0)
                .then_with(|| hint_order(&entries[a.1 as usize], &entries[b.1 as usize]))
        });
        scored.truncate(limit);

        let hits = scored
            .into_iter()
            .map(|(score, i)| {
                let entry = &self.entries[i as usize];
                Hit {
                    handle: entry.handle,
                    score,
                    highlight: highlight(
                        &entry.display,
                        terms.iter().map(|t| (t.text.as_str(), t.ascii)),
                        &self.matcher,
                    ),
                }
            })
            .collect();
        self.cache = Some(Cache {
            terms,
            candidates: matched,
        });
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut v = vec![
            "幸福里12栋",
            "幸福里2栋",
            "幸福里02栋",
            "幸福里1栋",
            "幸福里",
            "a10",
            "a9b",
        ];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            v,
            vec![
                "a9b",
                "a10",
                "幸福里",
                "幸福里1栋",
                "幸福里2栋",
                "幸福里02栋",
                "幸福里12栋"
            ]
        );
    }

    #[test]
    fn levels() {
        assert_eq!(key_level("frnlsq xfrzd 2d", "xfrzd"), Some(LEVEL_WHOLE));
        assert_eq!(key_level("frnlsq xfrzd 2d", "xfr"), Some(LEVEL_PREFIX));
        assert_eq!(key_level("frnlsq xfrzd 2d", "frz"), Some(LEVEL_SUBSTRING));
        assert_eq!(key_level("frnlsq xfrzd 2d", "xfr2"), Some(LEVEL_SCATTERED));
        assert_eq!(key_level("frnlsq xfrzd 2d", "2x"), None);
        assert_eq!(key_level("新芙蓉之都 2栋", "2栋"), Some(LEVEL_WHOLE));
        assert_eq!(key_level("新芙蓉之都 2栋", "新都"), Some(LEVEL_SCATTERED));
        assert_eq!(key_level("", "a"), None);
    }
}
