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

/// A hybrid logical clock stamp (Kulkarni et al., 2014): milliseconds of UTC wall time in the
/// high bits, a counter in the low 16. A database's next stamp is greater than every stamp it
/// has made or seen, and follows the wall clock when that is ahead: so events are ordered by
/// their instant where clocks agree, and an event made after another was seen orders after
/// it even on a laptop whose clock is behind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hlc(u64);

impl Hlc {
    const COUNTER_BITS: u32 = 16;

    /// The stamp of a wall-clock instant with no counter (events from before the clock).
    pub fn from_millis(ms: i64) -> Hlc {
        Hlc(u64::try_from(ms.max(0)).unwrap_or(0) << Self::COUNTER_BITS)
    }

    /// The next stamp after `self`, at wall time `wall_ms`.
    pub fn tick(self, wall_ms: i64) -> Hlc {
        self.next().max(Hlc::from_millis(wall_ms))
    }

    fn next(self) -> Hlc {
        Hlc(self.0.saturating_add(1))
    }

    /// The wall-clock part, in milliseconds since 1970 (UTC).
    pub fn millis(self) -> i64 {
        i64::try_from(self.0 >> Self::COUNTER_BITS).unwrap_or(i64::MAX)
    }

    /// As kept in the database (SQLite integers are signed: a stamp never reaches the top bit
    /// before the year 10,000).
    pub fn stored(self) -> i64 {
        i64::try_from(self.0).unwrap_or(i64::MAX)
    }

    pub fn from_stored(v: i64) -> Hlc {
        Hlc(u64::try_from(v).unwrap_or(0))
    }
}

/// How far apart two clocks may be before people are told: a day.
pub const CLOCK_TOLERANCE: chrono::TimeDelta = chrono::TimeDelta::days(1);

#[cfg(test)]
mod hlc_tests {
    use super::*;

    fn ms(s: &str) -> i64 {
        parse_stamp(s).map(|t| t.timestamp_millis()).unwrap_or(0)
    }

    #[test]
    fn stamps_follow_the_instant_whatever_the_offset() {
        // 11:30 in Beijing is 03:30 UTC: after 10:00 Beijing time (02:00 UTC).
        let rectify = Hlc::default().tick(ms("2026-11-23T10:00:00+08:00"));
        let reopen = Hlc::default().tick(ms("2026-11-23T03:30:00+00:00"));
        assert!(reopen > rectify);
    }

    #[test]
    fn a_clock_behind_still_orders_after_what_it_saw() {
        let office = Hlc::default().tick(ms("2026-11-23T10:00:00+08:00"));
        // A laptop three days behind saw the office's stamp, then acts.
        let laptop = office.tick(ms("2026-11-20T10:05:00+08:00"));
        assert!(laptop > office);
        assert_eq!(laptop.millis(), office.millis());
        // Two stamps in the same millisecond still differ.
        assert!(laptop.tick(laptop.millis()) > laptop);
        assert_eq!(Hlc::from_stored(laptop.stored()), laptop);
    }
}
