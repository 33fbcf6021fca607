//! Safe output of untrusted text into files others open: spreadsheets and web pages.

/// A cell that a spreadsheet would run as a formula (`= + - @`, tab or carriage return at the
/// start) gets a leading apostrophe, so it is shown as text. Quoting alone does not stop it.
pub fn neutralize(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
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
    for c in s.chars() {
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
