//! The rows of the office's lists (buildings, people), as checked by the import, and what an
//! import changed. Plain data: the import reads files into these, the store writes them.

use super::{Role, SiteKind};

/// What an import changed (or would change, on a dry run).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportCounts {
    pub rows: usize,
    pub communities: usize,
    pub grids: usize,
    pub compounds: usize,
    pub buildings_new: usize,
    pub buildings_changed: usize,
    pub buildings_same: usize,
    pub units: usize,
    pub people: usize,
    pub duties: usize,
}

impl ImportCounts {
    pub fn changes(&self) -> usize {
        self.communities
            + self.grids
            + self.compounds
            + self.buildings_new
            + self.buildings_changed
            + self.units
            + self.people
            + self.duties
    }
}

/// One row of the office's building list, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildingRow {
    pub row: usize,
    pub community: String,
    pub grid: String,
    pub compound: String,
    pub building: String,
    pub address: String,
    pub kind: SiteKind,
    /// None for a site without entrances.
    pub units: Option<u32>,
    pub floors: Option<u32>,
    pub leader: String,
    pub phone: String,
}

/// One row of a people list, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonRow {
    pub row: usize,
    pub name: String,
    pub role: Role,
    pub phone: String,
    pub community: String,
    pub compound: String,
    /// The building this person looks after ("" for none).
    pub building: String,
    pub unit: Option<u32>,
}

/// What a leader does, as printed on the service plate and the red badges (红胸牌): the four
/// duties of every leader in the seeds. The office's plate shows them under each leader.
pub const LEADER_DUTIES: [&str; 4] = ["宣传教育", "民情收集", "化解风险", "文明示范"];

/// Why a change to the people list was refused. Nothing was changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PersonProblem {
    /// The name is blank (after cleaning).
    NoName,
    /// A name longer than the import allows (characters).
    TooLong(usize),
    /// Not a phone number (as typed).
    NotAPhone(String),
    /// Someone with this name and phone is already listed.
    Exists { name: String, phone: String },
    /// The person has retired: they keep their history but take no new duties.
    Retired(String),
    /// The person was already retired.
    AlreadyRetired(String),
    /// The building has no unit of this number.
    NoSuchUnit { building: String, unit: i64 },
    /// The person already looks after this building (or unit).
    AlreadyAssigned { name: String, place: String },
    /// The person does not look after this building (or unit).
    NotAssigned { name: String, place: String },
    /// `people edit` without anything to change.
    NothingToChange,
}

/// A person's name and phone checked as the import checks them: cleaned, the name required and
/// at most `MAX_TEXT_CHARS` characters, the phone (if any) a phone number.
pub fn check_person(name: &str, phone: &str) -> Result<(String, String), PersonProblem> {
    use super::text::{MAX_TEXT_CHARS, clean_limited, valid_phone};
    let name = clean_limited(name, MAX_TEXT_CHARS).map_err(PersonProblem::TooLong)?;
    if name.is_empty() {
        return Err(PersonProblem::NoName);
    }
    let phone = super::text::clean(phone);
    let phone = if phone.is_empty() {
        phone
    } else {
        valid_phone(&phone).ok_or(PersonProblem::NotAPhone(phone))?
    };
    Ok((name, phone))
}

#[cfg(test)]
mod person_tests {
    use super::*;

    #[test]
    fn names_and_phones_are_checked_as_at_import() {
        assert_eq!(
            check_person("  王 建国 ", "138 1234 5678"),
            Ok(("王 建国".into(), "138 1234 5678".into()))
        );
        assert_eq!(
            check_person("  ", "13812345678"),
            Err(PersonProblem::NoName)
        );
        assert_eq!(
            check_person("王", "138abc"),
            Err(PersonProblem::NotAPhone("138abc".into()))
        );
        assert_eq!(
            check_person(&"长".repeat(501), ""),
            Err(PersonProblem::TooLong(501))
        );
    }
}
