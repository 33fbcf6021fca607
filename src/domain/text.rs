//! Cleaning text where it enters the program (import files, form fields, paste, templates).
//!
//! Every string that reaches the database goes through [`clean`]: NFC normalisation, and
//! removal of control characters, ANSI escape sequences and bidirectional overrides, so that
//! nothing stored can later reach a terminal, a spreadsheet or a web page as a control
//! sequence. Cleaning never truncates: length limits are checked separately and reported.

use unicode_normalization::UnicodeNormalization;
use unicode_width::UnicodeWidthChar;

/// Longest name or description the program accepts (characters). Longer input is refused
/// with a message, never cut silently.
pub const MAX_TEXT_CHARS: usize = 500;

/// Is this a character that must never be stored or drawn? Controls, bidirectional
/// controls, and every invisible formatting character (Unicode's default-ignorable code
/// points: the soft hyphen, zero-width joiners and spaces, variation selectors, tags): a
/// terminal draws them in its own way (the soft hyphen as a cell, a joined emoji as one
/// picture) while widths are counted without them, which shifts every column after them.
pub fn is_forbidden(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}'               // soft hyphen
            | '\u{034F}'             // combining grapheme joiner
            | '\u{061C}'             // Arabic letter mark
            | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' // Hangul fillers
            | '\u{17B4}' | '\u{17B5}'
            | '\u{180B}'..='\u{180F}' // Mongolian selectors
            | '\u{200B}'..='\u{200F}' // zero-width space, joiners, LRM/RLM
            | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
            | '\u{2060}'..='\u{206F}' // word joiner, invisible operators, bidi isolates
            | '\u{FE00}'..='\u{FE0F}' // variation selectors
            | '\u{FEFF}'              // BOM / zero-width no-break space
            | '\u{FFF0}'..='\u{FFFB}' // interlinear annotations
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}' // tags, variation selectors supplement
        )
}

/// Most combining marks kept on one character after NFC: enough for any language written
/// with marks, not enough to pile marks over the lines above and below ("zalgo").
const MAX_MARKS: usize = 2;

/// Drop combining marks beyond [`MAX_MARKS`] on a character, and marks with nothing to sit on.
fn limit_marks(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut marks = 0;
    let mut has_base = false;
    for c in s.chars() {
        if UnicodeWidthChar::width(c) == Some(0) {
            marks += 1;
            if has_base && marks <= MAX_MARKS {
                out.push(c);
            }
            continue;
        }
        marks = 0;
        has_base = c != ' ';
        out.push(c);
    }
    out
}

/// Clean one line of text: strip escape sequences and forbidden characters, turn tabs and
/// newlines into spaces, collapse runs of white space, trim, and normalise to NFC.
pub fn clean(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    let mut last_space = true; // trims leading white space
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            skip_escape(&mut chars);
            continue;
        }
        if c == '\u{9b}' {
            // 8-bit CSI: parameters then a final byte.
            skip_csi_body(&mut chars);
            continue;
        }
        let c = if matches!(c, '\t' | '\n' | '\r') {
            ' '
        } else {
            c
        };
        if is_forbidden(c) {
            continue;
        }
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
            continue;
        }
        out.push(c);
        last_space = false;
    }
    while out.ends_with(' ') {
        out.pop();
    }
    limit_marks(&out.nfc().collect::<String>())
}

fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.peek() {
        Some('[') => {
            chars.next();
            skip_csi_body(chars);
        }
        Some(']') | Some('P') | Some('X') | Some('^') | Some('_') => {
            // OSC / DCS / SOS / PM / APC: up to BEL or ESC \.
            chars.next();
            while let Some(c) = chars.next() {
                if c == '\u{7}' {
                    break;
                }
                if c == '\u{1b}' {
                    if chars.peek() == Some(&'\\') {
                        chars.next();
                    }
                    break;
                }
            }
        }
        Some(_) => {
            // Two-character escape (ESC c, ESC 7, ESC ( B ...): drop the next char.
            chars.next();
        }
        None => {}
    }
}

fn skip_csi_body(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            break;
        }
    }
}

/// Text on its way out (a terminal, a file, a page): every character [`clean`] would never
/// store is dropped (ESC, BEL, C1 controls, bidirectional overrides and isolates, invisible
/// formatting), but new lines, carriage returns and tabs stay, and nothing else changes
/// (spaces, alignment, normalisation). Stored text is clean already; this is for what was
/// not (a row that came from elsewhere, an old database), so no output can set a window
/// title, clear a screen or reverse a line.
pub fn neutralise(s: &str) -> std::borrow::Cow<'_, str> {
    let out = |c: char| is_forbidden(c) && !matches!(c, '\n' | '\r' | '\t');
    if s.chars().any(out) {
        std::borrow::Cow::Owned(s.chars().filter(|&c| !out(c)).collect())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Clean and check the length of a field. `Err(len)` gives the length in characters when the
/// text is longer than `max`.
pub fn clean_limited(input: &str, max: usize) -> Result<String, usize> {
    let s = clean(input);
    let n = s.chars().count();
    if n > max { Err(n) } else { Ok(s) }
}

/// A phone number as leaders write them: digits, with optional spaces and dashes, and an
/// optional leading `+`. In China: a mobile number (11 digits, starting with 1 and a second
/// digit 3-9), a landline with its area code (0 and 2-3 more digits, then 7-8: 10 to 12
/// digits in all) or a 400/800 service number (10 digits); `+86` before any of them; another
/// country's `+` number of 7 to 15 digits. Returns the number as written (cleaned), or `None`.
pub fn valid_phone(input: &str) -> Option<String> {
    let s = clean(input);
    let plus = s.starts_with('+');
    let body = s.strip_prefix('+').unwrap_or(&s);
    let written = !body.is_empty()
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
        && body.chars().next().is_some_and(|c| c.is_ascii_digit());
    if !written {
        return None;
    }
    let digits: String = body.chars().filter(char::is_ascii_digit).collect();
    let ok = match (plus, digits.strip_prefix("86")) {
        (true, Some(cn)) => chinese_number(cn),
        (true, None) => (7..=15).contains(&digits.len()),
        (false, _) => chinese_number(&digits),
    };
    ok.then_some(s)
}

/// A Chinese mobile, landline with area code, or 400/800 number (digits only).
fn chinese_number(d: &str) -> bool {
    let b = d.as_bytes();
    let mobile = b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]);
    let landline = (10..=12).contains(&b.len()) && b[0] == b'0' && b[1] != b'0';
    let service = b.len() == 10 && (d.starts_with("400") || d.starts_with("800"));
    mobile || landline || service
}

/// Mask a phone number for reports: `13812341234` -> `138****1234`.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    let digits: Vec<usize> = (0..chars.len())
        .filter(|&i| chars[i].is_ascii_digit())
        .collect();
    if digits.len() < 7 {
        return chars
            .iter()
            .map(|c| if c.is_ascii_digit() { '*' } else { *c })
            .collect();
    }
    let keep_head = 3;
    let keep_tail = 4;
    let masked: std::collections::HashSet<usize> = digits[keep_head..digits.len() - keep_tail]
        .iter()
        .copied()
        .collect();
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| if masked.contains(&i) { '*' } else { *c })
        .collect()
}

/// Mask a person's name for reports: `张三` -> `张*`, `欧阳娜娜` -> `欧***`, `Li Lei` -> `L*****`.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        None => String::new(),
        Some(first) => {
            let rest = chars.count().max(1);
            let mut s = String::new();
            s.push(first);
            s.extend(std::iter::repeat_n('*', rest));
            s
        }
    }
}

/// Display width of a string (CJK characters are 2 cells).
pub fn width(s: &str) -> usize {
    s.chars()
        .map(|c| UnicodeWidthChar::width(c).unwrap_or(0))
        .sum()
}

/// What ends a cut string. ASCII: "…" is ambiguous-width and would shift columns in
/// terminals that draw it wide.
pub const ELLIPSIS: &str = "..";

/// Cut a string to at most `max` cells, ending with [`ELLIPSIS`] when cut; never splits a
/// character.
pub fn fit(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let room = max.saturating_sub(ELLIPSIS.len());
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw > room {
            break;
        }
        out.push(c);
        w += cw;
    }
    if max >= ELLIPSIS.len() {
        out.push_str(ELLIPSIS);
    }
    out
}

/// Cut or pad to exactly `n` cells.
pub fn pad(s: &str, n: usize) -> String {
    let mut t = fit(s, n);
    let w = width(&t);
    t.extend(std::iter::repeat_n(' ', n.saturating_sub(w)));
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralising_drops_what_a_terminal_would_obey_and_keeps_the_layout() {
        assert_eq!(neutralise("王  五\t302\n"), "王  五\t302\n");
        assert!(matches!(neutralise("plain"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(
            neutralise("\u{1b}[2J\u{7}a\u{202e}b\u{200b}c\u{ad}"),
            "[2Jabc"
        );
    }

    #[test]
    fn strips_escape_sequences_and_controls() {
        assert_eq!(clean("\u{1b}[31m红\u{1b}[0m色"), "红色");
        assert_eq!(clean("a\u{1b}]0;title\u{7}b"), "ab");
        assert_eq!(clean("x\u{0}y\u{7}z"), "xyz");
        assert_eq!(clean("abc\u{202E}fed"), "abcfed");
        assert_eq!(clean("  多  个\t空格 \r\n"), "多 个 空格");
        assert_eq!(clean("\u{9b}2Jok"), "ok");
    }

    #[test]
    fn keeps_cjk_and_emoji_without_joiners() {
        // A joined family is drawn by some terminals as one 2-cell picture, by others as three;
        // without the joiners it is three pictures everywhere, as the widths count it.
        assert_eq!(clean("3栋👨‍👩‍👧"), "3栋👨👩👧");
        assert_eq!(width(&clean("3栋👨‍👩‍👧")), 9);
    }

    #[test]
    fn invisible_characters_are_dropped_so_widths_match_the_terminal() {
        assert_eq!(clean("住\u{AD}宅楼"), "住宅楼");
        assert_eq!(width(&clean("住\u{AD}宅楼")), 6);
        assert_eq!(clean("❤\u{FE0F}楼"), "❤楼");
        assert_eq!(clean("a\u{2060}b\u{E0041}c"), "abc");
    }

    #[test]
    fn piled_marks_are_cut_to_two() {
        let zalgo = "Z\u{301}\u{302}\u{303}\u{304}\u{305}a";
        let c = clean(zalgo);
        assert_eq!(c.chars().count(), 4, "{c:?}");
        assert_eq!(width(&c), 2);
        assert_eq!(
            clean("\u{301}\u{302}楼"),
            "楼",
            "marks with nothing to sit on"
        );
        assert_eq!(clean("e\u{301}"), "\u{e9}");
    }

    #[test]
    fn normalises_to_nfc() {
        assert_eq!(clean("e\u{301}"), "\u{e9}");
    }

    #[test]
    fn limits_are_reported_not_cut() {
        let long = "长".repeat(MAX_TEXT_CHARS + 1);
        assert_eq!(
            clean_limited(&long, MAX_TEXT_CHARS),
            Err(MAX_TEXT_CHARS + 1)
        );
        assert_eq!(clean_limited("短", MAX_TEXT_CHARS).as_deref(), Ok("短"));
    }

    #[test]
    fn phones() {
        assert!(valid_phone("13812341234").is_some());
        assert!(valid_phone("0731-8888 1234").is_some());
        assert!(valid_phone("+86 138 1234 1234").is_some());
        assert!(valid_phone("138abc").is_none());
        assert!(valid_phone("").is_none());
        assert!(valid_phone("--").is_none());
        assert!(valid_phone("12").is_none());
        // Mobile numbers are 11 digits starting with 1; landlines carry an area code.
        assert!(valid_phone("1380013800").is_none(), "10 digits");
        assert!(valid_phone("138001380001").is_none(), "12 digits");
        assert!(valid_phone("23800138000").is_none(), "not starting with 1");
        assert!(
            valid_phone("8888 1234").is_none(),
            "a landline without its area code"
        );
        assert!(valid_phone("010-6512 3456").is_some());
        assert!(valid_phone("0731 8888 6119").is_some());
        assert!(valid_phone("400-800-1234").is_some());
        assert!(valid_phone("+86 13800138000").is_some());
        assert!(valid_phone("+86 1380013800").is_none());
        assert!(valid_phone("+1 555 0100").is_some(), "another country");
    }

    #[test]
    fn masks() {
        assert_eq!(mask_phone("13812341234"), "138****1234");
        assert_eq!(mask_phone("0731-8888-1234"), "073*-****-1234");
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("欧阳娜娜"), "欧***");
        assert_eq!(mask_name("张"), "张*");
        assert_eq!(mask_name(""), "");
    }
}
