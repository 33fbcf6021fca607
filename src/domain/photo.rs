//! Photos of hazards: why a file is refused, and which hazard a photo belongs to by the time
//! it was taken. Pure: the files are read by `crate::photos`.

use chrono::NaiveDateTime;

/// The largest photo file accepted (a phone's photo is 2-8 MB).
pub const MAX_PHOTO_BYTES: u64 = 25 * 1024 * 1024;

/// The largest picture accepted, in pixels (a 50-megapixel phone camera is below this).
pub const MAX_PHOTO_PIXELS: u64 = 100_000_000;

/// Why a photo file was refused. Nothing was attached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PhotoProblem {
    /// Not a JPEG or PNG picture (by its content, whatever its name).
    NotAnImage,
    /// A JPEG or PNG that cannot be read to the end (cut short, damaged).
    Damaged(String),
    /// Larger than `MAX_PHOTO_BYTES` (the size in bytes).
    TooLarge(u64),
    /// More pixels than `MAX_PHOTO_PIXELS` (width, height).
    TooManyPixels(u32, u32),
    /// Not a regular file (a folder, a device, a pipe).
    NotAFile,
}

/// A hazard as the matcher sees it: when it was recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    pub id: String,
    pub at: NaiveDateTime,
}

/// The hazard recorded nearest in time to `taken`, on the same day; `None` when none was
/// recorded that day. Ties go to the one recorded first.
pub fn nearest_same_day(taken: NaiveDateTime, hazards: &[Recorded]) -> Option<&Recorded> {
    hazards
        .iter()
        .filter(|h| h.at.date() == taken.date())
        .min_by_key(|h| ((h.at - taken).num_seconds().abs(), h.at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn a_photo_goes_to_the_hazard_recorded_nearest_that_day() {
        let hz = vec![
            Recorded {
                id: "a".into(),
                at: at("2026-11-20 09:00:00"),
            },
            Recorded {
                id: "b".into(),
                at: at("2026-11-20 09:30:00"),
            },
            Recorded {
                id: "c".into(),
                at: at("2026-11-21 09:05:00"),
            },
        ];
        assert_eq!(
            nearest_same_day(at("2026-11-20 09:10:00"), &hz).unwrap().id,
            "a"
        );
        assert_eq!(
            nearest_same_day(at("2026-11-20 09:20:00"), &hz).unwrap().id,
            "b"
        );
        assert_eq!(
            nearest_same_day(at("2026-11-20 23:59:00"), &hz).unwrap().id,
            "b"
        );
        // The next morning's hazard is nearer in time, but another day.
        assert_eq!(
            nearest_same_day(at("2026-11-21 08:00:00"), &hz).unwrap().id,
            "c"
        );
        assert!(nearest_same_day(at("2026-11-22 09:00:00"), &hz).is_none());
    }
}
