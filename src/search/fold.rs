//! Text folding shared by keys, queries and highlighting.
//!
//! Folding makes two spellings of the same thing compare equal:
//! NFC normalisation, full-width ASCII to ASCII, lowercase, whitespace and
//! control characters to single spaces, and traditional to simplified
//! Chinese (OpenCC `t2s`, dictionaries embedded in the binary by
//! `ferrous-opencc`'s build script, so nothing is read from disk at run time),
//! Separately, [`building_words`] turns the words people use for a building
//! number into one: `2栋`, `2幢`, `2号楼`, `2座` and `2楼` are all `2栋`. Query
//! terms are turned; a record's text key holds its text and, where they differ,
//! the turned text too, so `2号楼` finds `2栋` and `楼` still finds `1号楼`.

use std::sync::OnceLock;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;
use unicode_normalization::UnicodeNormalization;

/// The traditional-to-simplified converter, built once per process.
///
/// `None` only if the embedded configuration failed to load, which would be
/// a packaging bug; folding then leaves Chinese characters as they are
/// instead of panicking.
fn t2s() -> Option<&'static OpenCC> {
    static T2S: OnceLock<Option<OpenCC>> = OnceLock::new();
    T2S.get_or_init(|| OpenCC::from_config(BuiltinConfig::T2s).ok())
        .as_ref()
}

/// Traditional to simplified, whole string (phrase-aware).
pub(crate) fn to_simplified(s: &str) -> String {
    if s.is_ascii() {
        return s.to_owned();
    }
    match t2s() {
        Some(cc) => cc.convert(s),
        None => s.to_owned(),
    }
}

/// Per-character folding before traditional-to-simplified conversion:
/// full-width forms to ASCII, whitespace and control characters to a space.
fn fold_char_pre(c: char) -> char {
    match c {
        // Full-width ASCII variants (！ to ～).
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        // Ideographic space and every other space or control character.
        c if c.is_whitespace() || c.is_control() => ' ',
        c => c,
    }
}

/// Folds a piece of text for searching: NFC, full-width to ASCII, lowercase,
/// runs of whitespace and control characters to one space (trimmed),
/// traditional to simplified.
///
/// This is applied to record fields when keys are built and to queries, so
/// both sides meet in the same form.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfc() {
        let c = fold_char_pre(c);
        if c == ' ' {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        for l in c.to_lowercase() {
            out.push(l);
        }
    }
    to_simplified(&out)
}

/// Folded text with the building-number words turned to `栋`, when that changes it.
pub(crate) fn with_building_words(folded: &str) -> Option<String> {
    let chars: Vec<char> = folded.chars().collect();
    let mut src: Vec<usize> = (0..chars.len()).collect();
    let turned: String = building_words(chars, &mut src).into_iter().collect();
    (turned != folded).then_some(turned)
}

/// The building-number words after a number or a letter (`2号楼`, `2幢`, `A座`,
/// `2楼`) become `栋`, so that every way of naming building 2 meets every other.
/// `楼` alone counts only after a digit (`2楼`; `A楼` is left alone), and `号楼` is
/// one word (two characters become one). `src` (each character's source index, for
/// highlighting) follows: the `栋` of `号楼` keeps the index of `号`.
///
/// `2楼` as a floor in a spot (`3楼楼道`) folds the same way on both sides, so a
/// search for it still finds it.
pub(crate) fn building_words(chars: Vec<char>, src: &mut Vec<usize>) -> Vec<char> {
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    let mut out_src: Vec<usize> = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = out.last().copied();
        let after_digit = prev.is_some_and(|p| p.is_ascii_digit());
        let after_alnum = prev.is_some_and(|p| p.is_ascii_alphanumeric());
        let here = src.get(i).copied().unwrap_or(i);
        // "2 号楼" (fields joined by a space) is "2号楼".
        if c == ' ' && after_alnum {
            let next = chars.get(i + 1).copied();
            let word = match next {
                Some('幢' | '座' | '栋') => true,
                Some('楼') => after_digit,
                Some('号') => chars.get(i + 2) == Some(&'楼'),
                _ => false,
            };
            if word {
                i += 1;
                continue;
            }
        }
        if after_alnum && c == '号' && chars.get(i + 1) == Some(&'楼') {
            out.push('栋');
            out_src.push(here);
            i += 2;
            continue;
        }
        let word = match c {
            '幢' | '座' if after_alnum => '栋',
            '楼' if after_digit => '栋',
            c => c,
        };
        out.push(word);
        out_src.push(here);
        i += 1;
    }
    *src = out_src;
    out
}

/// Folds display text character by character, keeping the link from every
/// folded character back to the display character it came from. Used only
/// for highlighting; `max_chars` bounds the work on very long strings.
///
/// Returns `(folded_chars, source_index_for_each_folded_char)`.
pub(crate) fn fold_aligned(display: &str, max_chars: usize) -> (Vec<char>, Vec<usize>) {
    let mut pre = String::new();
    let mut src = Vec::new();
    for (i, c) in display.chars().take(max_chars).enumerate() {
        let c = fold_char_pre(c);
        for l in c.to_lowercase() {
            pre.push(l);
            src.push(i);
        }
    }
    let converted = to_simplified(&pre);
    let n = src.len();
    if converted.chars().count() == n {
        return (converted.chars().collect(), src);
    }
    // A phrase conversion changed the length: convert one char at a time.
    let mut chars = Vec::with_capacity(n);
    for c in pre.chars() {
        let mut buf = [0u8; 4];
        let one = to_simplified(c.encode_utf8(&mut buf));
        let mut it = one.chars();
        match (it.next(), it.next()) {
            (Some(s), None) => chars.push(s),
            _ => chars.push(c),
        }
    }
    (chars, src)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converter_is_embedded() {
        // `BuiltinConfig` loads the configuration and the dictionaries that
        // ferrous-opencc's build script compiled into the binary.
        assert!(t2s().is_some(), "embedded t2s configuration failed to load");
        assert_eq!(to_simplified("樓"), "楼");
        assert_eq!(to_simplified("芙蓉南路社區"), "芙蓉南路社区");
    }

    #[test]
    fn fold_basics() {
        assert_eq!(fold("  新芙蓉之都\t２棟 "), "新芙蓉之都 2栋");
        assert_eq!(fold("Ａ座"), "a座");
        assert_eq!(fold("B\u{0}\u{7}座"), "b 座");
        assert_eq!(fold(""), "");
        assert_eq!(fold("\u{3000}"), "");
    }

    #[test]
    fn building_numbers_are_one_word() {
        let turn = |s: &str| with_building_words(&fold(s)).unwrap_or_else(|| fold(s));
        for name in ["2栋", "2幢", "2号楼", "2座", "2楼", "２號樓", "2棟"] {
            assert_eq!(turn(name), "2栋", "{name}");
        }
        assert_eq!(turn("新芙蓉之都12号楼"), "新芙蓉之都12栋");
        assert_eq!(turn("B座"), "b栋");
        assert_eq!(turn("新芙蓉之都 2 号楼"), "新芙蓉之都 2栋");
        // Not after a number or letter: left alone.
        for same in ["号楼", "办公楼", "座椅", "a楼", "2栋"] {
            assert_eq!(with_building_words(&fold(same)), None, "{same}");
        }
        // Highlighting: 号楼 is one turned character pointing at 号.
        let (chars, mut src) = fold_aligned("幸福里2号楼", 100);
        let chars = building_words(chars, &mut src);
        assert_eq!(chars.iter().collect::<String>(), "幸福里2栋");
        assert_eq!(src, vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn aligned_keeps_length() {
        let (chars, src) = fold_aligned("錦繡花園 ２棟", 100);
        let s: String = chars.iter().collect();
        assert_eq!(s, "锦绣花园 2栋");
        assert_eq!(src, vec![0, 1, 2, 3, 4, 5, 6]);
    }
}
