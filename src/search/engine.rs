//! The in-memory index and its query loop.
//!
//! Layout: records are stored in rank-hint order (own first, then most
//! recently patrolled, then display text), so a record's position is also
//! its tie-break rank. Keys live in two arenas (text and ASCII) in that same
//! order, so a full scan reads memory front to back. Per record, two 64-bit
//! presence masks reject most non-matches before any key is read.
//!
//! A query runs in two phases:
//! 1. *Match*: every candidate is checked (masks, then substring search,
//!    then subsequence) and given a level per term. Candidates are all
//!    records, or the previous query's matches when the query extends it.
//!    Large scans are split over two threads.
//! 2. *Score*: levels best first, records in rank order; the SkimMatcherV2
//!    score is computed only for records whose upper bound can still enter
//!    the top `limit` (a tie never can: it would lose on rank).

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicI64, Ordering as AtomicOrdering};

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use super::highlight::highlight;
use super::keys::{Keys, build};
use super::matching::{
    LEVEL_SCATTERED, LEVEL_WHOLE, ascii_bit, char_bit, key_level, subsequence, subsequence_in_any,
    substring_level,
};
use super::query::{Cache, Term, terms};

/// Candidates from which the match phase is split over two threads.
const PARALLEL_MIN: usize = 2_048;

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

/// A record's identity and display, in rank-hint order.
struct Record {
    handle: u64,
    display: Box<str>,
    hint: RankHint,
}

/// What one thread found: all matches with their level sums (in rank
/// order) and its best `limit` as `(score, position)`, best first.
struct Part {
    found: Vec<(u32, u16)>,
    top: Vec<(i64, u32)>,
}

/// The searchable part of the index, shared read-only by scan threads.
struct Keyring {
    /// Pinyin and initials keys of all records; a record's keys are
    /// separated by `\n`.
    ascii: String,
    /// Folded text keys of all records.
    text: String,
    ascii_span: Vec<(usize, usize)>,
    text_span: Vec<(usize, usize)>,
    /// Which ASCII bytes occur in a record's ASCII keys (see [`ascii_bit`]).
    ascii_mask: Vec<u64>,
    /// Which characters occur in a record's text key, hashed to 64 bits.
    text_mask: Vec<u64>,
}

/// Search over a fixed list of records; see the module docs.
pub struct SearchIndex {
    /// In rank-hint order; positions index every vector of `keys`.
    records: Vec<Record>,
    keys: Keyring,
    matcher: SkimMatcherV2,
    cache: Option<Cache>,
    threads: usize,
    /// Candidates from which a search is split over `threads`.
    parallel_min: usize,
    /// Records the last query looked at (for tests of the incremental path).
    scanned: usize,
}

fn hint_order(a: &Record, b: &Record) -> Ordering {
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

impl Keyring {
    fn slice<'a>(arena: &'a str, span: Option<&(usize, usize)>) -> &'a str {
        span.and_then(|&(a, b)| arena.get(a..b)).unwrap_or("")
    }

    /// All keys of record `i` for a term of this kind, `\n`-separated.
    fn keys_of(&self, i: usize, ascii: bool) -> &str {
        if ascii {
            Self::slice(&self.ascii, self.ascii_span.get(i))
        } else {
            Self::slice(&self.text, self.text_span.get(i))
        }
    }

    /// Best level of `term` over record `i`'s keys.
    fn level(&self, i: usize, term: &Term) -> Option<u8> {
        let mask = if term.ascii {
            self.ascii_mask.get(i)
        } else {
            self.text_mask.get(i)
        };
        if term.mask & !mask.copied().unwrap_or(0) != 0 {
            return None;
        }
        let keys = self.keys_of(i, term.ascii);
        substring_level(keys, &term.text).or_else(|| {
            let scattered = if term.ascii {
                subsequence_in_any(keys.as_bytes(), term.text.as_bytes())
            } else {
                keys.split('\n').any(|k| subsequence(k, &term.text))
            };
            scattered.then_some(LEVEL_SCATTERED)
        })
    }

    /// Records of `candidates` matching every term, with their level sums.
    fn scan(&self, terms: &[Term], candidates: &[u32]) -> Vec<(u32, u16)> {
        let mut out = Vec::new();
        'records: for &i in candidates {
            let mut level = 0u16;
            for term in terms {
                match self.level(i as usize, term) {
                    Some(l) => level += u16::from(l),
                    None => continue 'records,
                }
            }
            out.push((i, level));
        }
        out
    }

    /// Matches and top `limit` scores of one slice of candidates.
    fn search(
        &self,
        terms: &[Term],
        candidates: &[u32],
        limit: usize,
        matcher: &SkimMatcherV2,
        shared: &AtomicI64,
    ) -> Part {
        let found = self.scan(terms, candidates);
        let top = self.top(terms, &found, limit, matcher, shared);
        Part { found, top }
    }

    /// [`Keyring::search`] split over up to `threads` threads; the parts are
    /// merged back in rank order, so the result does not depend on the split.
    fn search_parallel(
        &self,
        terms: &[Term],
        candidates: &[u32],
        limit: usize,
        matcher: &SkimMatcherV2,
        threads: usize,
        parallel_min: usize,
    ) -> Part {
        let shared = AtomicI64::new(i64::MIN);
        let shared = &shared;
        if threads < 2 || candidates.len() < parallel_min.max(2) {
            return self.search(terms, candidates, limit, matcher, shared);
        }
        let chunk = candidates.len().div_ceil(threads);
        let parts: Vec<Part> = std::thread::scope(|s| {
            let mut slices = candidates.chunks(chunk);
            let first = slices.next().unwrap_or(&[]);
            let handles: Vec<_> = slices
                .map(|slice| {
                    let run = move || self.search(terms, slice, limit, matcher, shared);
                    (slice, s.spawn(run))
                })
                .collect();
            let mut parts = vec![self.search(terms, first, limit, matcher, shared)];
            for (slice, handle) in handles {
                // A search does not panic; if a thread failed anyway, redo
                // its slice here rather than lose results.
                parts.push(
                    handle
                        .join()
                        .unwrap_or_else(|_| self.search(terms, slice, limit, matcher, shared)),
                );
            }
            parts
        });
        let mut merged = Part {
            found: Vec::with_capacity(parts.iter().map(|p| p.found.len()).sum()),
            top: Vec::new(),
        };
        for part in parts {
            merged.found.extend(part.found);
            merged.top.extend(part.top);
        }
        merged
            .top
            .sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        merged.top.truncate(limit);
        merged
    }

    /// The best `limit` of `found` as `(score, position)`, best first.
    ///
    /// Levels best first, records in rank order; records that cannot beat
    /// the worst of the current top `limit` are skipped without running the
    /// fuzzy matcher (a tie cannot beat it either: it comes later in rank).
    /// `shared` is the highest such worst score any thread has reached: a
    /// lower bound of the final `limit`-th score, so records scoring below
    /// it cannot make the final list whichever thread holds them.
    fn top(
        &self,
        terms: &[Term],
        found: &[(u32, u16)],
        limit: usize,
        matcher: &SkimMatcherV2,
        shared: &AtomicI64,
    ) -> Vec<(i64, u32)> {
        if limit == 0 || found.is_empty() {
            return Vec::new();
        }
        let max_level = usize::from(LEVEL_WHOLE) * terms.len();
        let mut by_level: Vec<Vec<u32>> = vec![Vec::new(); max_level + 1];
        for &(i, level) in found {
            if let Some(list) = by_level.get_mut(usize::from(level)) {
                list.push(i);
            }
        }
        // Fuzzy scores are clamped to 0..=best_total, so one level step is
        // worth more than any difference in fuzzy score.
        let best_total: i64 = terms.iter().map(|t| t.best_at_start).sum();
        let unit = best_total + 1;
        let mut top: BinaryHeap<Reverse<(i64, Reverse<u32>)>> =
            BinaryHeap::with_capacity(limit.min(found.len()) + 1);
        // A record is skipped if its bound is below the shared floor, or
        // not above this thread's own floor (a tie loses on rank here; it
        // might not against another thread's records, which may rank later).
        let beaten = |bound: i64, own: Option<i64>| {
            bound < shared.load(AtomicOrdering::Relaxed) || own.is_some_and(|f| bound <= f)
        };
        'levels: for (level, ids) in by_level.iter().enumerate().rev() {
            let base = level as i64 * unit;
            for &i in ids {
                let own =
                    (top.len() >= limit).then(|| top.peek().map_or(i64::MAX, |Reverse((s, _))| *s));
                if beaten(base + best_total, own) {
                    break 'levels;
                }
                let index = i as usize;
                let bound: i64 = terms.iter().map(|t| self.best_possible(index, t)).sum();
                if beaten(base + bound, own) {
                    continue;
                }
                let fuzzy: i64 = terms.iter().map(|t| self.fuzzy(index, t, matcher)).sum();
                top.push(Reverse((base + fuzzy, Reverse(i))));
                if top.len() > limit {
                    top.pop();
                }
                if top.len() >= limit
                    && let Some(Reverse((floor, _))) = top.peek()
                {
                    shared.fetch_max(*floor, AtomicOrdering::Relaxed);
                }
            }
        }
        top.into_sorted_vec()
            .into_iter()
            .map(|Reverse((score, Reverse(i)))| (score, i))
            .collect()
    }

    /// Upper bound of the fuzzy score of `term` in record `i`.
    fn best_possible(&self, i: usize, term: &Term) -> i64 {
        let first = term.text.as_bytes().first();
        let keys = self.keys_of(i, term.ascii);
        if keys.split('\n').any(|k| k.as_bytes().first() == first) {
            term.best_at_start
        } else {
            term.best_elsewhere
        }
    }

    /// Best fuzzy score of `term` in record `i`, among the keys where it
    /// reaches the record's best level. Never negative.
    fn fuzzy(&self, i: usize, term: &Term, matcher: &SkimMatcherV2) -> i64 {
        let keys: Vec<(&str, Option<u8>)> = self
            .keys_of(i, term.ascii)
            .split('\n')
            .map(|k| (k, key_level(k, &term.text)))
            .collect();
        let Some(best) = keys.iter().filter_map(|(_, l)| *l).max() else {
            return 0;
        };
        keys.iter()
            .filter(|(_, l)| *l == Some(best))
            .filter_map(|(k, _)| matcher.fuzzy_match(k, &term.text))
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
        let mut rows: Vec<(Record, String)> = records
            .into_iter()
            .map(|(handle, display, stored, hint)| {
                let record = Record {
                    handle,
                    display: display.into_boxed_str(),
                    hint,
                };
                (record, stored)
            })
            .collect();
        rows.sort_by(|a, b| hint_order(&a.0, &b.0));

        let mut keys = Keyring {
            ascii: String::new(),
            text: String::new(),
            ascii_span: Vec::with_capacity(rows.len()),
            text_span: Vec::with_capacity(rows.len()),
            ascii_mask: Vec::with_capacity(rows.len()),
            text_mask: Vec::with_capacity(rows.len()),
        };
        let mut out = Vec::with_capacity(rows.len());
        for (record, stored) in rows {
            let parsed = Keys::parse(&stored).unwrap_or_else(|| build(&[&record.display]));
            let start = keys.ascii.len();
            for (n, k) in parsed.pinyin.iter().chain(&parsed.initials).enumerate() {
                if n > 0 {
                    keys.ascii.push('\n');
                }
                keys.ascii.push_str(k);
            }
            let span = (start, keys.ascii.len());
            keys.ascii_span.push(span);
            keys.ascii_mask.push(
                Keyring::slice(&keys.ascii, Some(&span))
                    .bytes()
                    .filter(|b| *b != b'\n' && *b != b' ')
                    .fold(0, |m, b| m | ascii_bit(b)),
            );
            let start = keys.text.len();
            keys.text.push_str(&parsed.text);
            keys.text_span.push((start, keys.text.len()));
            keys.text_mask.push(
                parsed
                    .text
                    .chars()
                    .filter(|c| *c != ' ')
                    .fold(0, |m, c| m | char_bit(c)),
            );
            out.push(record);
        }
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(4);
        SearchIndex {
            records: out,
            keys,
            matcher: SkimMatcherV2::default()
                .respect_case()
                .element_limit(1 << 16),
            cache: None,
            threads,
            parallel_min: PARALLEL_MIN,
            scanned: 0,
        }
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether the index has no records.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Forgets the previous query, so the next one searches everything.
    pub fn reset(&mut self) {
        self.cache = None;
    }

    /// Caps the threads a query may use (default: the available cores, at
    /// most 4). `1` keeps every query on the calling thread.
    pub fn set_max_threads(&mut self, threads: usize) {
        self.threads = threads.max(1);
    }

    /// Splits every search of `min` candidates or more over `threads`.
    #[cfg(test)]
    pub(crate) fn set_parallelism(&mut self, threads: usize, min: usize) {
        self.threads = threads;
        self.parallel_min = min;
    }

    /// How many records the last query looked at.
    #[cfg(test)]
    pub(crate) fn scanned(&self) -> usize {
        self.scanned
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
        let terms = terms(query, &self.matcher);

        if terms.is_empty() {
            self.cache = None;
            self.scanned = 0;
            return self
                .records
                .iter()
                .take(limit)
                .map(|r| Hit {
                    handle: r.handle,
                    score: 0,
                    highlight: Vec::new(),
                })
                .collect();
        }

        // Match, then score, on the previous matches if this query extends
        // the previous one, else on everything.
        let previous = self.cache.take().filter(|c| c.covers(&terms));
        let all: Vec<u32>;
        let candidates: &[u32] = match &previous {
            Some(c) => &c.candidates,
            None => {
                let count = u32::try_from(self.records.len()).unwrap_or(u32::MAX);
                all = (0..count).collect();
                &all
            }
        };
        self.scanned = candidates.len();
        let part = self.keys.search_parallel(
            &terms,
            candidates,
            limit,
            &self.matcher,
            self.threads,
            self.parallel_min,
        );
        drop(previous);

        let hits = part
            .top
            .into_iter()
            .filter_map(|(score, i)| {
                let record = self.records.get(i as usize)?;
                Some(Hit {
                    handle: record.handle,
                    score,
                    highlight: highlight(
                        &record.display,
                        terms.iter().map(|t| (t.text.as_str(), t.ascii)),
                        &self.matcher,
                    ),
                })
            })
            .collect();
        self.cache = Some(Cache {
            terms,
            candidates: part.found.into_iter().map(|(i, _)| i).collect(),
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
}
