//! What can go wrong when records travel between laptops and the office: data, not wording
//! (`crate::i18n` words it).

/// Why incoming records were refused (nothing was applied).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Two different events at one place of one device's chain (a copied database).
    Fork { device: String, seq: i64 },
    /// A fact row with a known id but other content.
    FactChanged { table: String, id: String },
    /// Rows that refer to rows neither side has.
    Dangling { count: i32 },
    /// A row written by a device the sender may not speak for.
    ForeignDevice { table: String, device: String },
    /// A device's chain does not hold together after applying.
    Chain(String),
    /// Another constraint of the schema.
    Constraint { table: String },
    /// A row not held to the rules of typed input (`domain::incoming::check_row`).
    Row(super::incoming::RowProblem),
}

/// What is wrong with a file (or a request) offered as a bundle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncProblem {
    /// Not a firepatrol bundle at all.
    NotABundle,
    /// Made by a newer firepatrol (bundle format or schema).
    Newer { found: i64, supported: i64 },
    /// Shorter than its header says: cut off in copying.
    Truncated,
    /// The header cannot be read.
    BadHeader,
    /// The signature does not match: altered, or signed by someone else.
    BadSignature,
    /// The payload is not what the header says (altered).
    BadPayload,
    /// The sender is not a laptop of this office.
    UnknownSender,
    /// The laptop was revoked.
    Revoked { since: String },
    /// For another community.
    OtherCommunity(String),
    /// A reply for another laptop.
    NotForUs,
    /// The wrong kind in this place (a reply given to the office, an enrolment to sync ...).
    WrongKind,
    /// Entries are missing between what this side has and what the bundle starts with.
    Gap { have: i64, starts: i64 },
    /// The records themselves were refused.
    Refused(Refusal),
    /// This database is not set up for sync (not an office, not joined).
    NotSetUp,
    /// The office database has no community yet (import the building list first).
    NoCommunity,
    /// This laptop joined an office already (another enrolment).
    AlreadyJoined,
    /// This database is the office's: it does not join.
    IsOffice,
    /// The office could not be reached (the reason from the network).
    Unreachable(String),
    /// The office answered with a refusal (its own words).
    OfficeSaid(String),
    /// The enrolment is used by another laptop database (a copy, or a replaced laptop).
    OtherDatabase { letter: String },
    /// This laptop was replaced by another database (`join FILE --replace` there).
    Replaced { letter: String },
    /// The bundle acknowledges more than was ever sent to its sender: forged.
    ForgedAck { acked: i64, sent: i64 },
    /// Made by an older firepatrol whose bundles this one cannot take in.
    Older { found: i64, needed: i64 },
    /// `https://` was asked for: the LAN speaks plain HTTP, the bundle is sealed end to end.
    NoTls,
    /// The office's computer answered, but nothing listens at that port (serve not running).
    NotListening,
    /// No answer within the time a laptop waits.
    TimedOut { secs: u64 },
    /// The payload unpacks to more than `limit` bytes (a crafted file, or one for the USB
    /// stick rather than the LAN).
    TooLarge { limit: u64 },
    /// Made by a firepatrol whose files were not yet encrypted: update it first.
    OlderFormat,
    /// Sealed to another machine's key: the reply of another laptop, or a file for another
    /// office.
    NotForThisMachine,
    /// The enrolment code typed does not open the enrolment file.
    WrongCode,
    /// An enrolment file needs its code (`join FILE --code CODE`).
    NeedCode,
    /// This database is set up for sync but its key file is not beside it.
    KeyFileMissing,
    /// The key file beside this database cannot be read.
    KeyFileDamaged,
    /// The sync was stopped (Ctrl-C in the app) before anything was applied.
    Stopped,
}

/// The laptop letter in a hazard number (`YH-20261129-A001` → `A`); none for a number made
/// before the laptop joined a community (`YH-20261129-001`).
pub fn laptop_letter(number: &str) -> Option<&str> {
    let last = number.rsplit('-').next()?;
    let n = last.chars().take_while(char::is_ascii_uppercase).count();
    (n > 0 && n < last.len()).then(|| &last[..n])
}

/// Who found a hazard, as the lists show it: the leader, and the laptop's letter
/// (`刘建国·A`).
pub fn found_by(name: &str, number: &str) -> String {
    match (name.is_empty(), laptop_letter(number)) {
        (false, Some(l)) => format!("{name}·{l}"),
        (true, Some(l)) => l.to_string(),
        (false, None) => name.to_string(),
        (true, None) => "-".to_string(),
    }
}

#[cfg(test)]
mod letter_tests {
    use super::*;

    #[test]
    fn the_letter_is_read_from_the_number() {
        assert_eq!(laptop_letter("YH-20261129-A001"), Some("A"));
        assert_eq!(laptop_letter("YH-20261129-AB012"), Some("AB"));
        assert_eq!(laptop_letter("YH-20261129-001"), None);
        assert_eq!(laptop_letter(""), None);
        assert_eq!(found_by("刘建国", "YH-20261129-B003"), "刘建国·B");
        assert_eq!(found_by("刘建国", "YH-20261129-003"), "刘建国");
    }
}

/// A laptop's proposed change to the lists as the office tells it back with a reply: what it
/// is about, and whether the office has decided (`pending`, `accepted`, `declined`).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProposalNote {
    pub number: i64,
    /// Which list (`person`, `duty`, ...).
    pub list: String,
    /// The row in people's words.
    pub what: String,
    /// What would change.
    pub detail: String,
    pub status: String,
}

impl ProposalNote {
    pub fn pending(&self) -> bool {
        self.status == "pending"
    }
}
