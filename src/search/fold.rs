//! Text folding shared by keys, queries and highlighting.
//!
//! Folding makes two spellings of the same thing compare equal:
//! NFC normalisation, full-width ASCII to ASCII, lowercase, whitespace and
//! control characters to single spaces, and traditional to simplified
//! Chinese (OpenCC `t2s`, dictionaries embedded in the binary by
//! `ferrous-opencc`'s build script, so nothing is read from disk at run time).

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
    fn aligned_keeps_length() {
        let (chars, src) = fold_aligned("錦繡花園 ２棟", 100);
        let s: String = chars.iter().collect();
        assert_eq!(s, "锦绣花园 2栋");
        assert_eq!(src, vec![0, 1, 2, 3, 4, 5, 6]);
    }
}
