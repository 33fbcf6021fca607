//! Building and (de)serialising the stored search keys of a record.

use std::borrow::Cow;

use super::fold::fold;
use super::readings::{is_han, key_readings, max_phrase_chars, phrase};

/// First line of every serialised key string. A stored string that does not
/// start with it (older format, garbage) is rebuilt from the display text.
pub const KEYS_VERSION: &str = "fp1";

/// Characters of one field that go into the keys; the rest is ignored.
pub const MAX_FIELD_CHARS: usize = 256;
/// Characters of all fields together that go into the keys.
pub const MAX_RECORD_CHARS: usize = 1024;
/// Pinyin spellings kept for one field.
const FIELD_VARIANTS: usize = 8;
/// Pinyin spellings kept for one record (all fields joined).
const RECORD_VARIANTS: usize = 8;
/// Fields with at most this many Chinese characters get every heteronym of
/// every character (names, short place words); longer ones only the
/// address-plausible readings of [`super::readings::OVERRIDES`] and the first
/// reading of other characters.
const SHORT_FIELD_HAN: usize = 4;

/// The parsed keys of one record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Keys {
    /// Folded text, fields joined by one space.
    pub text: String,
    /// Full pinyin spellings, fields joined by one space; ASCII only.
    pub pinyin: Vec<String>,
    /// Initials spellings, fields joined by one space; ASCII only.
    pub initials: Vec<String>,
}

/// One position of a field in pinyin.
enum Slot {
    /// A space between words.
    Sep,
    /// An ASCII character kept as it is (digits, latin letters, `#`, `-`).
    Lit(char),
    /// A Chinese character and the readings it may have here.
    Han(Vec<Cow<'static, str>>),
}

fn slots(field: &[char]) -> Vec<Slot> {
    let han_count = field.iter().filter(|c| is_han(**c)).count();
    let all_heteronyms = han_count <= SHORT_FIELD_HAN;
    let max_phrase = max_phrase_chars();
    let mut out = Vec::with_capacity(field.len());
    let mut i = 0;
    while i < field.len() {
        let c = field[i];
        if c == ' ' {
            out.push(Slot::Sep);
            i += 1;
            continue;
        }
        if c.is_ascii_graphic() {
            out.push(Slot::Lit(c));
            i += 1;
            continue;
        }
        if !is_han(c) {
            // Emoji, Chinese punctuation, other scripts: not in ASCII keys.
            i += 1;
            continue;
        }
        // Longest known phrase starting here.
        let mut matched = 0;
        let longest = max_phrase.min(field.len() - i);
        for len in (2..=longest).rev() {
            let word: String = field[i..i + len].iter().collect();
            if let Some(reading) = phrase(&word) {
                for syl in reading.split(' ') {
                    out.push(Slot::Han(vec![Cow::Borrowed(syl)]));
                }
                matched = len;
                break;
            }
        }
        if matched > 0 {
            i += matched;
            continue;
        }
        let readings = key_readings(c, all_heteronyms);
        if !readings.is_empty() {
            out.push(Slot::Han(readings));
        }
        i += 1;
    }
    out
}

/// Choices of reading per polyphonic slot, most plausible combinations
/// first: every combination if there are few, otherwise the default one and
/// then one change at a time.
fn combinations(counts: &[usize], cap: usize) -> Vec<Vec<usize>> {
    let zero = vec![0; counts.len()];
    let total = counts
        .iter()
        .try_fold(1usize, |acc, &n| acc.checked_mul(n.max(1)));
    let mut out = vec![zero.clone()];
    match total {
        Some(t) if t <= cap => {
            let mut cur = zero;
            loop {
                // Odometer increment, last slot fastest.
                let mut k = counts.len();
                loop {
                    if k == 0 {
                        return out;
                    }
                    k -= 1;
                    cur[k] += 1;
                    if cur[k] < counts[k] {
                        break;
                    }
                    cur[k] = 0;
                }
                out.push(cur.clone());
            }
        }
        _ => {
            for (k, &n) in counts.iter().enumerate() {
                for alt in 1..n {
                    if out.len() >= cap {
                        return out;
                    }
                    let mut c = zero.clone();
                    c[k] = alt;
                    out.push(c);
                }
            }
            out
        }
    }
}

/// `(pinyin, initials)` spellings of one field, default first.
fn field_spellings(field: &[char]) -> Vec<(String, String)> {
    let slots = slots(field);
    let poly: Vec<usize> = slots
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match s {
            Slot::Han(r) if r.len() > 1 => Some(i),
            _ => None,
        })
        .collect();
    let counts: Vec<usize> = poly
        .iter()
        .map(|&i| match &slots[i] {
            Slot::Han(r) => r.len(),
            _ => 1,
        })
        .collect();
    let mut out: Vec<(String, String)> = Vec::new();
    for combo in combinations(&counts, FIELD_VARIANTS) {
        let mut full = String::new();
        let mut initials = String::new();
        let mut p = 0;
        for (i, slot) in slots.iter().enumerate() {
            match slot {
                Slot::Sep => {
                    if !full.is_empty() && !full.ends_with(' ') {
                        full.push(' ');
                        initials.push(' ');
                    }
                }
                Slot::Lit(c) => {
                    full.push(*c);
                    initials.push(*c);
                }
                Slot::Han(r) => {
                    let choice = if poly.get(p) == Some(&i) {
                        let ch = combo.get(p).copied().unwrap_or(0);
                        p += 1;
                        ch
                    } else {
                        0
                    };
                    if let Some(reading) = r.get(choice).or_else(|| r.first()) {
                        full.push_str(reading);
                        if let Some(first) = reading.chars().next() {
                            initials.push(first);
                        }
                    }
                }
            }
        }
        let full = full.trim_end().to_owned();
        let initials = initials.trim_end().to_owned();
        if !out.iter().any(|(f, _)| *f == full) {
            out.push((full, initials));
        }
    }
    out
}

fn push_unique(list: &mut Vec<String>, s: String) {
    if !list.contains(&s) {
        list.push(s);
    }
}

/// Builds the keys of a record from its text fields.
pub(crate) fn build(fields: &[&str]) -> Keys {
    let mut budget = MAX_RECORD_CHARS;
    let mut texts: Vec<Vec<char>> = Vec::new();
    for field in fields {
        if budget == 0 {
            break;
        }
        // Bound the folding work before folding, then the result.
        let raw: String = field.chars().take(MAX_FIELD_CHARS * 2).collect();
        let folded: Vec<char> = fold(&raw)
            .chars()
            .take(MAX_FIELD_CHARS.min(budget))
            .collect();
        // Truncation may leave a trailing space.
        let folded: Vec<char> = {
            let mut f = folded;
            while f.last() == Some(&' ') {
                f.pop();
            }
            f
        };
        if folded.is_empty() {
            continue;
        }
        budget = budget.saturating_sub(folded.len());
        texts.push(folded);
    }

    let mut text = texts
        .iter()
        .map(|f| f.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ");
    // `2号楼` is also found as `2栋` (and `2栋` by `2号楼`: queries are turned too).
    if let Some(turned) = super::fold::with_building_words(&text) {
        text.push(' ');
        text.push_str(&turned);
    }

    let spellings: Vec<Vec<(String, String)>> = texts
        .iter()
        .map(|f| field_spellings(f))
        .filter(|s| s.first().is_some_and(|(p, _)| !p.is_empty()))
        .collect();

    let join = |pick: &dyn Fn(usize) -> usize, initials: bool| -> String {
        spellings
            .iter()
            .enumerate()
            .map(|(f, s)| {
                let (p, i) = &s[pick(f).min(s.len() - 1)];
                if initials { i.as_str() } else { p.as_str() }
            })
            .collect::<Vec<_>>()
            .join(" ")
    };

    let mut pinyin = Vec::new();
    let mut initials = Vec::new();
    if !spellings.is_empty() {
        pinyin.push(join(&|_| 0, false));
        initials.push(join(&|_| 0, true));
        'fields: for (f, s) in spellings.iter().enumerate() {
            for v in 1..s.len() {
                if pinyin.len() >= RECORD_VARIANTS {
                    break 'fields;
                }
                let pick = |g: usize| if g == f { v } else { 0 };
                push_unique(&mut pinyin, join(&pick, false));
                push_unique(&mut initials, join(&pick, true));
            }
        }
    }
    Keys {
        text,
        pinyin,
        initials,
    }
}

impl Keys {
    /// The stored form: a version line, then one line per key, tagged `t`
    /// (text), `p` (pinyin) or `i` (initials). Keys never contain a newline.
    pub(crate) fn serialise(&self) -> String {
        let mut s = String::with_capacity(
            KEYS_VERSION.len()
                + self.text.len()
                + self.pinyin.iter().map(|p| p.len() + 2).sum::<usize>()
                + self.initials.iter().map(|p| p.len() + 2).sum::<usize>()
                + 4,
        );
        s.push_str(KEYS_VERSION);
        s.push_str("\nt");
        s.push_str(&self.text);
        for p in &self.pinyin {
            s.push_str("\np");
            s.push_str(p);
        }
        for i in &self.initials {
            s.push_str("\ni");
            s.push_str(i);
        }
        s
    }

    /// Reads a stored key string; `None` if it is not in the current format.
    /// ASCII keys that are not ASCII (a damaged row) are dropped.
    pub(crate) fn parse(stored: &str) -> Option<Keys> {
        let mut lines = stored.split('\n');
        if lines.next() != Some(KEYS_VERSION) {
            return None;
        }
        let mut keys = Keys::default();
        let mut has_text = false;
        for line in lines {
            let mut chars = line.chars();
            let tag = chars.next();
            let rest = chars.as_str();
            match tag {
                Some('t') if !has_text => {
                    keys.text = rest.to_owned();
                    has_text = true;
                }
                Some('p') if rest.is_ascii() => keys.pinyin.push(rest.to_owned()),
                Some('i') if rest.is_ascii() => keys.initials.push(rest.to_owned()),
                _ => {}
            }
        }
        has_text.then_some(keys)
    }
}

/// Computes the search keys of a record from its text fields (for example
/// compound name, building name, address, leader name), to be stored with
/// the record and handed to [`super::SearchIndex`] later.
///
/// The result is a short text of a few lines (see the module docs); it
/// holds the folded text, every plausible full pinyin spelling and the
/// matching initials. Fields beyond [`MAX_RECORD_CHARS`] characters in
/// total, or beyond [`MAX_FIELD_CHARS`] each, are ignored. Never panics.
pub fn search_keys(fields: &[&str]) -> String {
    build(fields).serialise()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combinations_all_then_single_changes() {
        assert_eq!(combinations(&[], 8), vec![Vec::<usize>::new()]);
        assert_eq!(
            combinations(&[2, 2], 8),
            vec![vec![0, 0], vec![0, 1], vec![1, 0], vec![1, 1]]
        );
        let c = combinations(&[3, 3, 3], 5);
        assert_eq!(
            c,
            vec![
                vec![0, 0, 0],
                vec![1, 0, 0],
                vec![2, 0, 0],
                vec![0, 1, 0],
                vec![0, 2, 0]
            ]
        );
        // Enormous products do not overflow.
        let big = vec![5; 100];
        assert_eq!(combinations(&big, 8).len(), 8);
    }

    #[test]
    fn round_trip() {
        let k = build(&["芙蓉南路社區", "新芙蓉之都", "2棟", ""]);
        assert_eq!(k.text, "芙蓉南路社区 新芙蓉之都 2栋");
        assert_eq!(k.pinyin[0], "furongnanlushequ xinfurongzhidu 2dong");
        assert_eq!(k.initials[0], "frnlsq xfrzd 2d");
        let s = k.serialise();
        assert!(s.starts_with("fp1\nt芙蓉南路社区"));
        assert_eq!(Keys::parse(&s), Some(k));
        assert_eq!(Keys::parse("garbage"), None);
        assert_eq!(Keys::parse(""), None);
        assert_eq!(Keys::parse("fp1"), None);
    }

    #[test]
    fn empty_and_odd_fields() {
        let k = build(&[]);
        assert_eq!(k, Keys::default());
        let k = build(&["", "   ", "😀🔥", "\u{0}\u{1b}[31m"]);
        assert_eq!(k.text, "😀🔥 [31m");
        assert_eq!(k.pinyin, vec!["[31m".to_owned()]);
        let long = "楼".repeat(10_000);
        let k = build(&[&long, &long, &long, &long, &long]);
        assert_eq!(
            k.text.chars().filter(|c| *c == '楼').count(),
            MAX_RECORD_CHARS
        );
        assert!(k.pinyin.len() <= RECORD_VARIANTS);
    }
}
