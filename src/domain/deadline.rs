//! Deadlines: the rule on a checklist item, and what a leader types in the hazard form.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// The default deadline of a checklist item: fix now (立即整改) or within N days (限期整改).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum DeadlineRule {
    Now,
    Days(u32),
}

impl DeadlineRule {
    /// The deadline date for a hazard found on `found`.
    pub fn due(self, found: NaiveDate) -> NaiveDate {
        match self {
            DeadlineRule::Now => found,
            DeadlineRule::Days(n) => found + Duration::days(i64::from(n)),
        }
    }
    pub fn days(self) -> u32 {
        match self {
            DeadlineRule::Now => 0,
            DeadlineRule::Days(n) => n,
        }
    }
}

impl TryFrom<String> for DeadlineRule {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        let t = s.trim().to_lowercase();
        if t == "now" || t == "立即" || t == "0d" {
            return Ok(DeadlineRule::Now);
        }
        let n = t
            .strip_suffix('d')
            .or_else(|| t.strip_suffix('天'))
            .and_then(|n| n.trim().parse::<u32>().ok())
            .filter(|n| (1..=365).contains(n));
        n.map(DeadlineRule::Days).ok_or_else(|| {
            format!("deadline must be \"now\" or a number of days like \"3d\" (1-365), not {s:?}")
        })
    }
}

impl From<DeadlineRule> for String {
    fn from(r: DeadlineRule) -> String {
        match r {
            DeadlineRule::Now => "now".into(),
            DeadlineRule::Days(n) => format!("{n}d"),
        }
    }
}

/// The presets the hazard form cycles through with Left/Right (days from today).
pub const PRESET_DAYS: [i64; 6] = [0, 1, 3, 7, 15, 30];

/// Why a typed deadline was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeadlineError {
    /// Not a form we understand.
    Unreadable,
    /// A real form, but no such date (e.g. 02-30).
    NoSuchDate,
    /// The date is before today.
    InThePast(NaiveDate),
}

/// Parse what a leader types as a deadline, relative to `today`:
/// `+3` (days from today), `12-01` or `12/01` (this year, or next year if already past),
/// `2026-12-01`, a weekday (`周五`, `星期五`, `fri`, `friday`: the next one, never today;
/// `下周五`: the Friday of next week), `今天`/`today`, `明天`/`tomorrow`, and a bare number of
/// days (`7`, `7天`: as `+7`; a digit is a weekday only after 周/星期/礼拜). A date before
/// today is refused.
pub fn parse_deadline(input: &str, today: NaiveDate) -> Result<NaiveDate, DeadlineError> {
    let t = input.trim().to_lowercase();
    let date = parse_any(&t, today)?;
    if date < today {
        return Err(DeadlineError::InThePast(date));
    }
    Ok(date)
}

fn parse_any(t: &str, today: NaiveDate) -> Result<NaiveDate, DeadlineError> {
    if t.is_empty() {
        return Err(DeadlineError::Unreadable);
    }
    match t {
        "今天" | "today" | "立即" | "now" => return Ok(today),
        "明天" | "tomorrow" => return Ok(today + Duration::days(1)),
        "后天" => return Ok(today + Duration::days(2)),
        _ => {}
    }
    if let Some(rest) = t.strip_prefix('+') {
        let rest = rest.trim_end_matches(['d', '天']).trim();
        let n: i64 = rest.parse().map_err(|_| DeadlineError::Unreadable)?;
        if !(0..=3650).contains(&n) {
            return Err(DeadlineError::Unreadable);
        }
        return Ok(today + Duration::days(n));
    }
    if let Some((wd, next_week)) = weekday(t) {
        if next_week {
            // 下周五: the Friday of the week after this one (weeks start on Monday).
            let monday =
                today + Duration::days(7 - i64::from(today.weekday().num_days_from_monday()));
            return Ok(monday + Duration::days(i64::from(wd.num_days_from_monday())));
        }
        let mut d = today + Duration::days(1);
        while d.weekday() != wd {
            d += Duration::days(1);
        }
        return Ok(d);
    }
    // A bare number is a number of days (`--extend 7`), never a weekday or a day of a month.
    let days = t.trim_end_matches(['d', '天']).trim();
    if !days.is_empty() && days.chars().all(|c| c.is_ascii_digit()) {
        let n: i64 = days.parse().map_err(|_| DeadlineError::Unreadable)?;
        if !(0..=3650).contains(&n) {
            return Err(DeadlineError::Unreadable);
        }
        return Ok(today + Duration::days(n));
    }
    let parts: Vec<&str> = t
        .split(['-', '/', '.', '年', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    let nums: Option<Vec<u32>> = parts.iter().map(|p| p.parse::<u32>().ok()).collect();
    let nums = nums.ok_or(DeadlineError::Unreadable)?;
    match nums.as_slice() {
        [y, m, d] if *y >= 1000 => {
            let y = i32::try_from(*y).map_err(|_| DeadlineError::Unreadable)?;
            NaiveDate::from_ymd_opt(y, *m, *d).ok_or(DeadlineError::NoSuchDate)
        }
        [m, d] => {
            if !(1..=12).contains(m) || !(1..=31).contains(d) {
                return Err(DeadlineError::NoSuchDate);
            }
            let this = NaiveDate::from_ymd_opt(today.year(), *m, *d);
            match this {
                Some(date) if date >= today => Ok(date),
                _ => NaiveDate::from_ymd_opt(today.year() + 1, *m, *d)
                    .ok_or(DeadlineError::NoSuchDate),
            }
        }
        _ => Err(DeadlineError::Unreadable),
    }
}

/// A weekday, and whether it is next week's (`下周五`). A digit counts only after
/// 周/星期/礼拜 (`周5`); a bare `5` is a number of days.
fn weekday(t: &str) -> Option<(Weekday, bool)> {
    let (next_week, t) = match t.strip_prefix('下') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let named = ["星期", "周", "礼拜"]
        .iter()
        .find_map(|p| t.strip_prefix(p));
    if next_week && named.is_none() {
        return None;
    }
    let t = named.unwrap_or(t);
    if named.is_none() && t.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let day = match t {
        "一" | "1" | "mon" | "monday" => Weekday::Mon,
        "二" | "2" | "tue" | "tues" | "tuesday" => Weekday::Tue,
        "三" | "3" | "wed" | "wednesday" => Weekday::Wed,
        "四" | "4" | "thu" | "thur" | "thurs" | "thursday" => Weekday::Thu,
        "五" | "5" | "fri" | "friday" => Weekday::Fri,
        "六" | "6" | "sat" | "saturday" => Weekday::Sat,
        "日" | "天" | "7" | "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    };
    Some((day, next_week))
}

/// Days a hazard is overdue on `today` (0 when not overdue). Overdue means the deadline day
/// has passed and the hazard is still open.
pub fn days_overdue(deadline: NaiveDate, today: NaiveDate) -> i64 {
    (today - deadline).num_days().max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn relative_and_absolute() {
        let today = d(2026, 11, 23); // a Monday
        assert_eq!(parse_deadline("+3", today), Ok(d(2026, 11, 26)));
        assert_eq!(parse_deadline("+0", today), Ok(today));
        assert_eq!(parse_deadline("12-01", today), Ok(d(2026, 12, 1)));
        assert_eq!(parse_deadline("2026-12-01", today), Ok(d(2026, 12, 1)));
        assert_eq!(parse_deadline("2026年12月1日", today), Ok(d(2026, 12, 1)));
        assert_eq!(parse_deadline("01-05", today), Ok(d(2027, 1, 5)));
        assert_eq!(parse_deadline("今天", today), Ok(today));
    }

    #[test]
    fn next_weeks_day_and_a_bare_number_of_days() {
        let tuesday = d(2026, 11, 24);
        // 周五 is this week's Friday; 下周五 the one of next week.
        assert_eq!(parse_deadline("周五", tuesday), Ok(d(2026, 11, 27)));
        assert_eq!(parse_deadline("下周五", tuesday), Ok(d(2026, 12, 4)));
        assert_eq!(parse_deadline("下星期一", tuesday), Ok(d(2026, 11, 30)));
        // A bare number is days, as +N: `--extend 7` is a week, not Sunday.
        assert_eq!(parse_deadline("7", tuesday), Ok(d(2026, 12, 1)));
        assert_eq!(parse_deadline("3", tuesday), Ok(d(2026, 11, 27)));
        assert_eq!(parse_deadline("7天", tuesday), Ok(d(2026, 12, 1)));
        // A digit after 周 is still a weekday.
        assert_eq!(parse_deadline("周5", tuesday), Ok(d(2026, 11, 27)));
    }

    #[test]
    fn weekdays_are_the_next_one() {
        let today = d(2026, 11, 23); // Monday
        assert_eq!(parse_deadline("周五", today), Ok(d(2026, 11, 27)));
        assert_eq!(parse_deadline("星期一", today), Ok(d(2026, 11, 30)));
        assert_eq!(parse_deadline("Friday", today), Ok(d(2026, 11, 27)));
        assert_eq!(parse_deadline("sun", today), Ok(d(2026, 11, 29)));
    }

    #[test]
    fn bad_dates() {
        let today = d(2026, 11, 23);
        assert_eq!(
            parse_deadline("2026-02-30", today),
            Err(DeadlineError::NoSuchDate)
        );
        assert_eq!(
            parse_deadline("13-01", today),
            Err(DeadlineError::NoSuchDate)
        );
        assert_eq!(
            parse_deadline("2026-11-22", today),
            Err(DeadlineError::InThePast(d(2026, 11, 22)))
        );
        assert_eq!(
            parse_deadline("soon", today),
            Err(DeadlineError::Unreadable)
        );
        assert_eq!(parse_deadline("", today), Err(DeadlineError::Unreadable));
        assert_eq!(
            parse_deadline("+abc", today),
            Err(DeadlineError::Unreadable)
        );
        assert_eq!(
            parse_deadline("+99999999999", today),
            Err(DeadlineError::Unreadable)
        );
    }

    #[test]
    fn rules() {
        assert_eq!(
            DeadlineRule::try_from("3d".to_string()),
            Ok(DeadlineRule::Days(3))
        );
        assert_eq!(
            DeadlineRule::try_from("now".to_string()),
            Ok(DeadlineRule::Now)
        );
        assert!(DeadlineRule::try_from("0.5d".to_string()).is_err());
        assert!(DeadlineRule::try_from("999d".to_string()).is_err());
        assert_eq!(DeadlineRule::Days(3).due(d(2026, 11, 30)), d(2026, 12, 3));
    }

    #[test]
    fn overdue_counts_whole_days_after_the_deadline() {
        let dl = d(2026, 11, 30);
        assert_eq!(days_overdue(dl, d(2026, 11, 30)), 0);
        assert_eq!(days_overdue(dl, d(2026, 12, 1)), 1);
        assert_eq!(days_overdue(dl, d(2026, 11, 1)), 0);
    }
}
