//! Redaction: residents' names and phone numbers masked before any format sees the report.

use super::model::ReportHazard;
use crate::domain::text::{mask_name, mask_phone};
use chrono::NaiveDate;

/// The responsible parties' names to look for in free text: those of two characters or more,
/// longest first (then in order), each once.
pub fn mask_names(names: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut names: Vec<String> = names
        .into_iter()
        .filter(|n| n.chars().count() >= 2)
        .collect();
    names.sort_by(|a, b| {
        b.chars()
            .count()
            .cmp(&a.chars().count())
            .then_with(|| a.cmp(b))
    });
    names.dedup();
    names
}

/// Mask residents' names and phone numbers in one hazard of a report: the responsible
/// party's name and phone, and any of `names` (from [`mask_names`], over the whole report) or
/// a phone-like number written in free text (descriptions, places, notes).
pub fn redact_hazard(h: &mut ReportHazard, names: &[String]) {
    let scrub = |s: &str| -> String {
        let mut out = mask_phones_in(s);
        for n in names {
            if out.contains(n.as_str()) {
                out = out.replace(n.as_str(), &mask_name(n));
            }
        }
        out
    };
    h.party_name = mask_name(&h.party_name);
    if !h.party_phone.is_empty() {
        h.party_phone = mask_phone(&h.party_phone);
    }
    h.description = scrub(&h.description);
    h.spot = scrub(&h.spot);
    if let Some(e) = &h.escalated_to {
        h.escalated_to = Some(scrub(e));
    }
    for a in &mut h.actions {
        a.note = scrub(&a.note);
        if let Some(v) = &a.value {
            a.value = Some(scrub(v));
        }
    }
}

/// Mask every run of 7 or more digits (spaces and dashes allowed between them) in free text,
/// except dates (`2026-11-20`) and hazard numbers (`YH-20261120-001`).
pub fn mask_phones_in(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i].is_ascii_digit()
            || (chars[i] == '+' && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit()));
        let after_code = i > 0 && (chars[i - 1].is_ascii_alphanumeric() || chars[i - 1] == '-');
        if starts && !after_code {
            // The longest run of digits, spaces and dashes, ending on a digit.
            let mut j = i + 1;
            let mut end = i + 1;
            while j < chars.len()
                && (chars[j].is_ascii_digit() || chars[j] == ' ' || chars[j] == '-')
            {
                if chars[j].is_ascii_digit() {
                    end = j + 1;
                }
                j += 1;
            }
            let run: String = chars[i..end].iter().collect();
            let is_date = NaiveDate::parse_from_str(&run, "%Y-%m-%d").is_ok();
            if !is_date && run.chars().filter(char::is_ascii_digit).count() >= 7 {
                out.push_str(&mask_phone(&run));
            } else {
                out.push_str(&run);
            }
            i = end;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_in_text_are_masked() {
        assert_eq!(
            mask_phones_in("电话 138 0000 1021 找"),
            "电话 138 **** 1021 找"
        );
        assert_eq!(mask_phones_in("0731-8888 0001"), "073*-**** 0001");
        assert_eq!(mask_phones_in("3楼 102 室"), "3楼 102 室");
        assert_eq!(mask_phones_in("2026-11-20"), "2026-11-20");
        assert_eq!(mask_phones_in("见 YH-20261120-001"), "见 YH-20261120-001");
        assert_eq!(mask_phones_in("+86 13812341234"), "+86 1******1234");
    }
}
