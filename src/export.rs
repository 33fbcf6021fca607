//! Safe output of untrusted text into files others open: spreadsheets and web pages; and
//! [`Neutral`], the writer every text output leaves through, which drops control and bidi
//! characters ([`crate::domain::text::neutralise`]) from whatever passes.

use crate::domain::text::neutralise;
use std::io::Write;

/// A writer that passes text on without control or bidi characters (new lines, carriage
/// returns and tabs stay; a byte-order mark stays as the very first character). It streams:
/// a character cut between two writes is joined first; bytes that are not UTF-8 are dropped.
/// Only for text: a spreadsheet or a picture must never pass through it.
pub struct Neutral<W: Write> {
    inner: W,
    /// The start of a character cut at the end of the last write.
    carry: Vec<u8>,
    started: bool,
}

impl<W: Write> Neutral<W> {
    pub fn new(inner: W) -> Self {
        Neutral {
            inner,
            carry: Vec::new(),
            started: false,
        }
    }

    fn pass(&mut self, s: &str) -> std::io::Result<()> {
        let s = match s.strip_prefix('\u{feff}') {
            Some(rest) if !self.started => {
                self.inner.write_all("\u{feff}".as_bytes())?;
                rest
            }
            _ => s,
        };
        if !s.is_empty() {
            self.started = true;
        }
        self.inner.write_all(neutralise(s).as_bytes())
    }
}

impl<W: Write> Write for Neutral<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut bytes = std::mem::take(&mut self.carry);
        bytes.extend_from_slice(buf);
        let mut rest = &bytes[..];
        loop {
            match std::str::from_utf8(rest) {
                Ok(s) => {
                    self.pass(s)?;
                    break;
                }
                Err(e) => {
                    let (good, bad) = rest.split_at(e.valid_up_to());
                    self.pass(std::str::from_utf8(good).unwrap_or_default())?;
                    match e.error_len() {
                        Some(n) => rest = &bad[n..],
                        None => {
                            self.carry = bad.to_vec();
                            break;
                        }
                    }
                }
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A cell that a spreadsheet would run as a formula (`= + - @`, tab or carriage return at the
/// start) gets a leading apostrophe, so it is shown as text. Quoting alone does not stop it.
pub fn neutralize(cell: &str) -> String {
    let cell = neutralise(cell);
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.into_owned(),
    }
}

/// CSV for Excel in China: UTF-8 with a byte-order mark, every cell neutralised.
pub fn csv_bytes(header: &[String], rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = b"\xef\xbb\xbf".to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        let _ = w.write_record(header.iter().map(|h| neutralize(h)));
        for r in rows {
            let _ = w.write_record(r.iter().map(|c| neutralize(c)));
        }
        let _ = w.flush();
    }
    out
}

/// Escape text for HTML element content and attribute values.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in neutralise(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(pieces: &[&[u8]]) -> Vec<u8> {
        let mut w = Neutral::new(Vec::new());
        for p in pieces {
            w.write_all(p).unwrap();
        }
        w.flush().unwrap();
        w.inner
    }

    #[test]
    fn the_neutral_writer_drops_escapes_bells_and_bidi_and_keeps_lines_tabs_and_the_bom() {
        let hostile = "\u{feff}王\u{1b}]0;PWNED\u{7}五\u{202e}\t302\r\n\u{2066}b\u{9b}2J\n";
        let out = through(&[hostile.as_bytes()]);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\u{feff}王]0;PWNED五\t302\r\nb2J\n"
        );
        // A BOM later in the stream is not the file's: it goes.
        let out = through(&[b"a", "\u{feff}b".as_bytes()]);
        assert_eq!(out, b"ab");
    }

    #[test]
    fn a_character_cut_between_two_writes_is_joined_and_checked_whole() {
        let rlo = "\u{202e}".as_bytes();
        let han = "国".as_bytes();
        let out = through(&[&rlo[..1], &rlo[1..2], &rlo[2..], &han[..2], &han[2..], b"!"]);
        assert_eq!(String::from_utf8(out).unwrap(), "国!");
        // Bytes that are not UTF-8 at all are dropped (a lone C1 CSI byte among them).
        let out = through(&[b"a\x9b2Jb\xff"]);
        assert_eq!(out, b"a2Jb");
    }

    #[test]
    fn html_and_csv_cells_are_neutralised_too() {
        assert_eq!(
            html_escape("<b>\u{1b}[2J\u{202e}</b>"),
            "&lt;b&gt;[2J&lt;/b&gt;"
        );
        assert_eq!(neutralize("\u{7}=1+1"), "'=1+1");
        assert_eq!(neutralize("\u{202e}楼道"), "楼道");
    }

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(neutralize("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(neutralize("+1"), "'+1");
        assert_eq!(neutralize("-2"), "'-2");
        assert_eq!(neutralize("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralize("\tx"), "'\tx");
        assert_eq!(neutralize("楼道"), "楼道");
        assert_eq!(neutralize(""), "");
    }

    #[test]
    fn csv_has_a_bom_and_reads_back() {
        let bytes = csv_bytes(
            &["名".into()],
            &[vec!["=1+1".into()], vec!["a,\"b\"".into()]],
        );
        assert!(bytes.starts_with(b"\xef\xbb\xbf"));
        let mut r = csv::Reader::from_reader(&bytes[3..]);
        let rows: Vec<String> = r.records().map(|x| x.unwrap()[0].to_string()).collect();
        assert_eq!(rows, vec!["'=1+1", "a,\"b\""]);
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            html_escape("<script>\"x\"&'"),
            "&lt;script&gt;&quot;x&quot;&amp;&#39;"
        );
    }
}
