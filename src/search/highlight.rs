//! Mapping a query back onto the display text, for highlighting.
//!
//! Works on the display text itself, not on the stored keys, so it stays
//! right whatever fields the keys were built from. Best effort: a term that
//! matched a field the display text does not show highlights nothing.

use std::borrow::Cow;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use super::fold::{building_words, fold_aligned};
use super::readings::highlight_readings;

/// Display characters looked at for highlighting; later ones are never
/// highlighted (bounds the work on absurdly long display texts).
pub const MAX_HIGHLIGHT_CHARS: usize = 256;

/// One folded display character, as the pinyin matcher sees it.
enum Unit {
    /// Whitespace, punctuation, emoji: may sit inside a match, never matched.
    Skip,
    /// An ASCII character matched as itself.
    Lit(u8),
    /// A Chinese character: a query piece matches a prefix of a reading.
    Han(Vec<Cow<'static, str>>),
}

/// Highlighted display character indices (sorted, unique) for the given
/// query terms; `ascii` terms are matched as pinyin, the others as text.
pub(crate) fn highlight<'a>(
    display: &str,
    terms: impl Iterator<Item = (&'a str, bool)>,
    matcher: &SkimMatcherV2,
) -> Vec<usize> {
    let (chars, src) = fold_aligned(display, MAX_HIGHLIGHT_CHARS);
    if chars.is_empty() {
        return Vec::new();
    }
    let mut units: Option<Vec<Unit>> = None;
    let mut text: Option<String> = None;
    let mut turned: Option<(String, Vec<usize>)> = None;
    let mut out: Vec<usize> = Vec::new();
    for (term, ascii) in terms {
        if term.is_empty() {
            continue;
        }
        let positions: Vec<usize> = if ascii {
            let units = units.get_or_insert_with(|| to_units(&chars));
            PinyinMatch::new(units, term.as_bytes()).positions()
        } else {
            let text = text.get_or_insert_with(|| chars.iter().collect());
            let found = matcher.fuzzy_indices(text, term).map(|(_, idx)| idx);
            if found.is_none() {
                // `2栋` on a display saying `2号楼`: match the turned text.
                let (turned, turned_src) = turned.get_or_insert_with(|| {
                    let mut s = src.clone();
                    let t: String = building_words(chars.clone(), &mut s).into_iter().collect();
                    (t, s)
                });
                let idx = matcher
                    .fuzzy_indices(turned, term)
                    .map(|(_, idx)| idx)
                    .unwrap_or_default();
                out.extend(idx.into_iter().filter_map(|i| turned_src.get(i).copied()));
                continue;
            }
            found.unwrap_or_default()
        };
        out.extend(positions.into_iter().filter_map(|i| src.get(i).copied()));
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn to_units(chars: &[char]) -> Vec<Unit> {
    chars
        .iter()
        .map(|&c| {
            if c.is_ascii_graphic() {
                // Folded text is lowercase already.
                Unit::Lit(c as u8)
            } else if c.is_ascii() {
                Unit::Skip
            } else {
                let r = highlight_readings(c);
                if r.is_empty() {
                    Unit::Skip
                } else {
                    Unit::Han(r)
                }
            }
        })
        .collect()
}

const UNKNOWN: u8 = 0;
const NO: u8 = 1;
const YES: u8 = 2;

/// Matches an ASCII query over display units, each Chinese character taking
/// a non-empty prefix of one of its readings (so `xfr`, `xinfurong` and
/// `xinfr` all cover 新芙蓉). Prefers a contiguous run, earliest first; falls
/// back to the leftmost scattered match.
struct PinyinMatch<'u, 'q> {
    units: &'u [Unit],
    q: &'q [u8],
    width: usize,
    memo: Vec<u8>,
    /// Bytes of the query the unit consumes on the chosen path (0: skipped).
    took: Vec<u8>,
    contiguous: bool,
}

impl<'u, 'q> PinyinMatch<'u, 'q> {
    fn new(units: &'u [Unit], q: &'q [u8]) -> Self {
        let width = q.len() + 1;
        let cells = (units.len() + 1) * width;
        PinyinMatch {
            units,
            q,
            width,
            memo: vec![UNKNOWN; cells],
            took: vec![0; cells],
            contiguous: true,
        }
    }

    fn positions(mut self) -> Vec<usize> {
        if self.q.is_empty() || self.q.len() > u8::MAX as usize {
            return Vec::new();
        }
        for start in 0..self.units.len() {
            if matches!(self.units[start], Unit::Skip) {
                continue;
            }
            if self.solve(start, 0) {
                return self.path(start);
            }
        }
        self.contiguous = false;
        self.memo.iter_mut().for_each(|m| *m = UNKNOWN);
        if self.solve(0, 0) {
            return self.path(0);
        }
        Vec::new()
    }

    fn path(&self, mut i: usize) -> Vec<usize> {
        let mut p = 0;
        let mut out = Vec::new();
        while p < self.q.len() && i < self.units.len() {
            let took = self.took[i * self.width + p] as usize;
            if took > 0 {
                out.push(i);
                p += took;
            }
            i += 1;
        }
        out
    }

    /// Can `q[p..]` be consumed starting at unit `i`?
    fn solve(&mut self, i: usize, p: usize) -> bool {
        if p == self.q.len() {
            return true;
        }
        if i >= self.units.len() {
            return false;
        }
        let cell = i * self.width + p;
        match self.memo[cell] {
            YES => return true,
            NO => return false,
            _ => {}
        }
        let mut ok = false;
        let mut took = 0u8;
        match &self.units[i] {
            Unit::Skip => {
                // A gap inside a contiguous match is allowed only for
                // separators, never before the first matched unit.
                ok = (p > 0 || !self.contiguous) && self.solve(i + 1, p);
            }
            Unit::Lit(b) => {
                if self.q[p] == *b {
                    ok = self.solve(i + 1, p + 1);
                    took = 1;
                }
            }
            Unit::Han(readings) => {
                let rest = &self.q[p..];
                'r: for r in readings.iter() {
                    let r = r.as_bytes();
                    let longest = r.len().min(rest.len());
                    for l in (1..=longest).rev() {
                        if r[..l] == rest[..l] && self.solve(i + 1, p + l) {
                            ok = true;
                            took = l as u8;
                            break 'r;
                        }
                    }
                }
            }
        }
        if !ok && !self.contiguous && !matches!(self.units[i], Unit::Skip) {
            ok = self.solve(i + 1, p);
            took = 0;
        }
        if !ok {
            took = 0;
        }
        self.took[cell] = took;
        self.memo[cell] = if ok { YES } else { NO };
        ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hl(display: &str, term: &str) -> Vec<usize> {
        let m = SkimMatcherV2::default().respect_case();
        let ascii = term.is_ascii();
        highlight(display, std::iter::once((term, ascii)), &m)
    }

    #[test]
    fn pinyin_maps_to_characters() {
        let d = "芙蓉南路社区新芙蓉之都2栋";
        assert_eq!(hl(d, "xfr2"), vec![6, 7, 8, 11]);
        assert_eq!(hl(d, "xinfurong"), vec![6, 7, 8]);
        assert_eq!(hl(d, "xinfr"), vec![6, 7, 8]);
        assert_eq!(hl(d, "2d"), vec![11, 12]);
        assert_eq!(hl(d, "frnl"), vec![0, 1, 2, 3]);
    }

    #[test]
    fn text_maps_to_characters() {
        let d = "芙蓉南路社區新芙蓉之都2棟";
        assert_eq!(hl(d, "新芙蓉"), vec![6, 7, 8]);
        assert_eq!(hl(d, "2栋"), vec![11, 12]);
        assert_eq!(hl("Ａ座 東", "a座"), vec![0, 1]);
        // A query turned to 栋 lights up the building's own word.
        assert_eq!(hl("幸福里2号楼", "2栋"), vec![3, 4]);
    }

    #[test]
    fn odd_inputs() {
        assert!(hl("", "x").is_empty());
        assert!(hl("😀", "x").is_empty());
        assert!(hl("新芙蓉", "").is_empty());
        let long = "新".repeat(10_000);
        let h = hl(&long, &"x".repeat(300));
        assert!(h.is_empty());
        let h = hl(&long, "xinxin");
        assert_eq!(h, vec![0, 1]);
    }
}
