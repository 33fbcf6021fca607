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
