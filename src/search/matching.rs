//! How one query term matches a record's keys, at the byte level: presence masks that reject
//! most records before any key is read, a fast byte search, and the match level (whole word,
//! prefix, substring or scattered) that outweighs any fuzzy score.

/// Match levels of a term in a key, best last. The level is worth more than
/// any fuzzy score, so a whole-word or prefix match always ranks above a
/// scattered one.
pub(super) const LEVEL_SCATTERED: u8 = 0;
pub(super) const LEVEL_SUBSTRING: u8 = 1;
pub(super) const LEVEL_PREFIX: u8 = 2;
pub(super) const LEVEL_WHOLE: u8 = 3;

/// Bit of an ASCII byte in a 64-bit presence mask.
pub(super) fn ascii_bit(b: u8) -> u64 {
    let i = match b {
        b'a'..=b'z' => b - b'a',
        b'0'..=b'9' => 26 + (b - b'0'),
        _ => 36 + b % 28,
    };
    1u64 << i
}

/// Bit of any character in a 64-bit presence mask.
pub(super) fn char_bit(c: char) -> u64 {
    1u64 << ((c as u32).wrapping_mul(0x9E37_79B1) >> 26)
}

/// First position of byte `b` in `hay`, eight bytes at a time.
fn position(hay: &[u8], b: u8) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let pattern = LO.wrapping_mul(u64::from(b));
    let mut chunks = hay.chunks_exact(8);
    let mut base = 0;
    for chunk in chunks.by_ref() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word) ^ pattern;
        // A zero byte in x is a match; the lowest flagged byte is exact.
        let found = x.wrapping_sub(LO) & !x & HI;
        if found != 0 {
            return Some(base + (found.trailing_zeros() / 8) as usize);
        }
        base += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&c| c == b)
        .map(|p| base + p)
}

/// First position of `needle` in `hay` at or after byte `from`. Works on
/// UTF-8 bytes: a match of a whole UTF-8 string always starts and ends on
/// character boundaries.
fn find(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let hay = hay.as_bytes();
    let needle = needle.as_bytes();
    let (&first, rest) = needle.split_first()?;
    let last_start = hay.len().checked_sub(needle.len())?;
    let mut i = from;
    while i <= last_start {
        i += position(hay.get(i..=last_start)?, first)?;
        // Needles are short: a plain loop beats a call to memcmp.
        let tail = hay.get(i + 1..i + needle.len()).unwrap_or(&[]);
        if tail.len() == rest.len() && tail.iter().zip(rest).all(|(a, b)| a == b) {
            return Some(i);
        }
        i += 1;
    }
    None
}

fn is_sep(b: Option<&u8>) -> bool {
    matches!(b, None | Some(b' ' | b'\n'))
}

/// Best substring level of `term` in `hay` (one key, or several separated
/// by `\n`, which never occurs in a term), or `None` if it is not a
/// substring. Works on UTF-8 bytes: a match of whole UTF-8 characters
/// always starts and ends on character boundaries.
pub(super) fn substring_level(keys: &str, term: &str) -> Option<u8> {
    let hay = keys.as_bytes();
    let step = term.chars().next().map_or(1, char::len_utf8);
    let mut best: Option<u8> = None;
    let mut from = 0;
    while let Some(pos) = find(keys, term, from) {
        let end = pos + term.len();
        let starts = pos == 0 || is_sep(hay.get(pos - 1));
        let ends = is_sep(hay.get(end));
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
        from = pos + step;
    }
    best
}

/// Whether the characters of `term` appear in `key` in order.
pub(super) fn subsequence(key: &str, term: &str) -> bool {
    let hay = key.as_bytes();
    if term.is_ascii() {
        let mut it = hay.iter();
        return term.bytes().all(|t| it.any(|&k| k == t));
    }
    let mut from = 0;
    term.chars()
        .all(|c| match key.get(from..).and_then(|k| k.find(c)) {
            Some(pos) => {
                from += pos + c.len_utf8();
                true
            }
            None => false,
        })
}

/// Whether ASCII `term` is a subsequence of one of the `\n`-separated
/// `keys`, in one pass.
pub(super) fn subsequence_in_any(keys: &[u8], term: &[u8]) -> bool {
    let Some(&first) = term.first() else {
        return true;
    };
    let mut p = 0;
    let mut want = first;
    for &b in keys {
        if b == want {
            p += 1;
            match term.get(p) {
                Some(&next) => want = next,
                None => return true,
            }
        } else if b == b'\n' {
            p = 0;
            want = first;
        }
    }
    false
}

/// Level of `term` in one key, if it matches at all.
pub(super) fn key_level(key: &str, term: &str) -> Option<u8> {
    substring_level(key, term).or_else(|| subsequence(key, term).then_some(LEVEL_SCATTERED))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels() {
        assert_eq!(key_level("frnlsq xfrzd 2d", "xfrzd"), Some(LEVEL_WHOLE));
        assert_eq!(key_level("frnlsq xfrzd 2d", "xfr"), Some(LEVEL_PREFIX));
        assert_eq!(key_level("frnlsq xfrzd 2d", "frz"), Some(LEVEL_SUBSTRING));
        assert_eq!(key_level("frnlsq xfrzd 2d", "xfr2"), Some(LEVEL_SCATTERED));
        assert_eq!(key_level("frnlsq xfrzd 2d", "2x"), None);
        assert_eq!(key_level("新芙蓉之都 2栋", "2栋"), Some(LEVEL_WHOLE));
        assert_eq!(key_level("新芙蓉之都 2栋", "新都"), Some(LEVEL_SCATTERED));
        assert_eq!(key_level("新芙蓉之都 2栋", "都新"), None);
        assert_eq!(key_level("", "a"), None);
        // Several keys separated by newlines: boundaries count, spans don't.
        assert_eq!(substring_level("abc\nxfr", "xfr"), Some(LEVEL_WHOLE));
        assert_eq!(substring_level("abc\nxfr", "c\nx"), Some(LEVEL_SUBSTRING));
        assert_eq!(substring_level("栋栋2栋", "栋2"), Some(LEVEL_SUBSTRING));
        assert_eq!(substring_level("栋栋 2栋", "2栋"), Some(LEVEL_WHOLE));
    }

    #[test]
    fn subsequence_per_key() {
        assert!(subsequence_in_any(b"abc\nxyz", b"ac"));
        assert!(subsequence_in_any(b"abc\nxyz", b"xz"));
        assert!(!subsequence_in_any(b"abc\nxyz", b"cx"));
        assert!(!subsequence_in_any(b"abc\nxyz", b"az"));
        assert!(subsequence_in_any(b"", b""));
        assert!(!subsequence_in_any(b"", b"a"));
        assert!(subsequence_in_any(b"a\n", b"a"));
    }

    #[test]
    fn position_matches_naive() {
        let hay: Vec<u8> = (0..200u32).map(|i| (i * 37 % 251) as u8).collect();
        for start in 0..hay.len() {
            for b in [0u8, 1, 37, 74, 128, 200, 250, 255] {
                let naive = hay[start..].iter().position(|&c| c == b);
                assert_eq!(position(&hay[start..], b), naive, "{start} {b}");
            }
        }
        assert_eq!(position(&[], 1), None);
        assert_eq!(position(&[0x80, 0x81, 1], 1), Some(2));
        assert_eq!(position(&[0xff; 9], 0xfe), None);
    }

    #[test]
    fn find_bytes() {
        assert_eq!(find("abcabc", "bc", 0), Some(1));
        assert_eq!(find("abcabc", "bc", 2), Some(4));
        assert_eq!(find("abcabc", "bc", 5), None);
        assert_eq!(find("abc", "abcd", 0), None);
        assert_eq!(find("abc", "", 0), None);
        assert_eq!(find("", "a", 0), None);
        assert_eq!(find("abc", "c", 99), None);
        assert_eq!(find("新芙蓉新芙", "新芙", 3), Some(9));
        assert_eq!(find("新芙蓉", "蓉x", 0), None);
    }
}
