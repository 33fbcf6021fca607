//! Days: the one way a date is read, whether stored (`YYYY-MM-DD`) or typed by a user.

use chrono::{Datelike, Duration, NaiveDate};

/// The stored form of a day, `YYYY-MM-DD`.
pub const FORMAT: &str = "%Y-%m-%d";

/// A day as stored in the database and written in files (`YYYY-MM-DD`); None when it is not
/// one. A longer stamp is read by its first ten characters (`2026-11-20T08:00:00+08:00`).
pub fn parse_stored(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), FORMAT).ok()
}

/// The stored form of a day.
pub fn format(d: NaiveDate) -> String {
    d.format(FORMAT).to_string()
}

/// A day typed by a user, on the command line or in a filter: `today`, `yesterday` (今天,
/// 昨天), `YYYY-MM-DD`, or `MM-DD` in the year of `today`.
pub fn parse_typed(s: &str, today: NaiveDate) -> Option<NaiveDate> {
    let t = s.trim().to_lowercase();
    match t.as_str() {
        "today" | "今天" => return Some(today),
        "yesterday" | "昨天" => return Some(today - Duration::days(1)),
        _ => {}
    }
    if let Ok(d) = NaiveDate::parse_from_str(&t, FORMAT) {
        return Some(d);
    }
    NaiveDate::parse_from_str(&format!("{}-{t}", today.year()), FORMAT).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, FORMAT).expect("test date")
    }

    #[test]
    fn typed_days_read_the_way_people_write_them() {
        let today = d("2026-11-29");
        assert_eq!(parse_typed("today", today), Some(today));
        assert_eq!(parse_typed(" 昨天 ", today), Some(d("2026-11-28")));
        assert_eq!(parse_typed("2026-02-28", today), Some(d("2026-02-28")));
        assert_eq!(parse_typed("11-01", today), Some(d("2026-11-01")));
        assert_eq!(parse_typed("02-30", today), None);
        assert_eq!(parse_typed("11/01", today), None);
        assert_eq!(parse_typed("next week", today), None);
    }

    #[test]
    fn stored_days_and_stamps_read_back() {
        assert_eq!(parse_stored("2026-11-20"), Some(d("2026-11-20")));
        assert_eq!(
            parse_stored("2026-11-20T08:00:00+08:00"),
            Some(d("2026-11-20"))
        );
        assert_eq!(parse_stored("20261120"), None);
        assert_eq!(parse_stored("二〇二六"), None);
        assert_eq!(format(d("2026-01-05")), "2026-01-05");
    }
}
