//! Time comes from a clock the caller injects, so tests can pin "today".

use chrono::{DateTime, FixedOffset, Local, NaiveDate, SecondsFormat};

/// Where "now" comes from.
#[derive(Clone, Debug)]
pub enum Clock {
    /// The machine's clock in its local time zone.
    System,
    /// A fixed instant (tests, benchmarks, `FIREPATROL_NOW`).
    Fixed(DateTime<FixedOffset>),
}

impl Clock {
    pub fn now(&self) -> DateTime<FixedOffset> {
        match self {
            Clock::System => Local::now().fixed_offset(),
            Clock::Fixed(t) => *t,
        }
    }

    /// Today's date in the local time zone: deadlines are dates in this zone.
    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }

    /// Parse a fixed instant: RFC 3339 (`2026-11-23T09:30:00+08:00`) or a bare date (noon,
    /// local offset of the machine).
    pub fn parse_fixed(s: &str) -> Option<Clock> {
        if let Ok(t) = DateTime::parse_from_rfc3339(s.trim()) {
            return Some(Clock::Fixed(t));
        }
        let d = super::day::parse_stored(s.trim())?;
        let t = d
            .and_hms_opt(12, 0, 0)?
            .and_local_timezone(Local)
            .single()?;
        Some(Clock::Fixed(t.fixed_offset()))
    }
}

/// The text form of an instant stored in the database and files.
pub fn stamp(t: DateTime<FixedOffset>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// Read back a stored instant.
pub fn parse_stamp(s: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(s).ok()
}
