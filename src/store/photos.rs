//! Photos of hazards, as rows: each picture once (`photo`, by its SHA-256), and which hazard
//! it shows (`hazard_photo`). The files themselves are kept by `crate::photos`.

use super::Store;
use super::journal::{NewEvent, log_event, seal};
use crate::domain::new_id;
use crate::error::Result;
use rusqlite::{OptionalExtension, params};

/// A checked picture, ready to be attached (its file is already in the photo folder).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPhoto {
    /// SHA-256 of the file, lowercase hex: its name in the photo folder.
    pub hash: String,
    /// "jpeg" or "png".
    pub format: &'static str,
    pub bytes: u64,
    pub width: u32,
    pub height: u32,
    /// When the camera took it (EXIF, the camera's wall time), as `YYYY-MM-DDTHH:MM:SS`.
    pub taken_at: Option<String>,
    /// The file's name as it was on the phone (for the record).
    pub file_name: String,
}

/// A photo attached to a hazard.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PhotoRow {
    pub hash: String,
    pub format: String,
    pub file_name: String,
    pub taken_at: Option<String>,
}

/// A hazard as the photo matcher sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedHazard {
    pub id: String,
    pub number: String,
    pub found_at: String,
    pub place: String,
}

impl Store {
    /// Attach photos to a hazard in one transaction: all of them or none. A picture already
    /// kept is not kept again; one already attached to this hazard is skipped. Returns how
    /// many were newly attached.
    pub fn attach_photos(&mut self, hazard_id: &str, photos: &[NewPhoto]) -> Result<usize> {
        self.attach_photo_sets(&[(hazard_id.to_string(), photos.to_vec())])
    }

    /// Attach photos to several hazards (hazard id, its photos) in one transaction.
    pub fn attach_photo_sets(&mut self, sets: &[(String, Vec<NewPhoto>)]) -> Result<usize> {
        let at = self.now_stamp();
        let device = self.device_id.clone();
        self.write(|tx| {
            let mut attached = 0;
            for (hazard_id, p) in sets.iter().flat_map(|(h, ps)| ps.iter().map(move |p| (h, p))) {
                let hazard_id = hazard_id.as_str();
                let existing: Option<String> = tx
                    .query_row("SELECT id FROM photo WHERE hash = ?1", [&p.hash], |r| r.get(0))
                    .optional()?;
                let photo_id = match existing {
                    Some(id) => id,
                    None => {
                        let id = new_id();
                        tx.execute(
                            "INSERT INTO photo (id, hash, format, bytes, width, height, taken_at, created_at, device_id)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                            params![
                                id,
                                p.hash,
                                p.format,
                                i64::try_from(p.bytes).unwrap_or(i64::MAX),
                                i64::from(p.width),
                                i64::from(p.height),
                                p.taken_at,
                                at,
                                device
                            ],
                        )?;
                        seal(tx, "photo", &id)?;
                        id
                    }
                };
                let linked: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM hazard_photo WHERE hazard_id = ?1 AND photo_id = ?2)",
                    [hazard_id, &photo_id],
                    |r| r.get(0),
                )?;
                if linked {
                    continue;
                }
                let link = new_id();
                tx.execute(
                    "INSERT INTO hazard_photo (id, hazard_id, photo_id, file_name, created_at, device_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![link, hazard_id, photo_id, p.file_name, at, device],
                )?;
                seal(tx, "hazard_photo", &link)?;
                log_event(
                    tx,
                    &device,
                    &NewEvent {
                        at: &at,
                        person_id: None,
                        entity: "hazard_photo",
                        entity_id: &link,
                        action: "attached",
                        old_value: None,
                        new_value: Some(&p.hash),
                        note: hazard_id,
                    },
                )?;
                attached += 1;
            }
            Ok(attached)
        })
    }

    /// The photos of a hazard, in the order they were attached.
    pub fn photos_of(&self, hazard_id: &str) -> Result<Vec<PhotoRow>> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT p.hash, p.format, l.file_name, p.taken_at FROM hazard_photo l
                 JOIN photo p ON p.id = l.photo_id WHERE l.hazard_id = ?1
                 ORDER BY l.created_at, l.rowid",
            )
            .map_err(|e| self.db_err(e))?;
        let rows = st
            .query_map([hazard_id], |r| {
                Ok(PhotoRow {
                    hash: r.get(0)?,
                    format: r.get(1)?,
                    file_name: r.get(2)?,
                    taken_at: r.get(3)?,
                })
            })
            .map_err(|e| self.db_err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.db_err(e))
    }

    /// The hazards recorded on a day (not withdrawn), for matching photos by time.
    pub fn hazards_recorded_on(&self, day: &str) -> Result<Vec<RecordedHazard>> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT h.id, h.number, h.found_at, ifnull(c.name || ' ', '') || b.name
                        || ifnull(' ' || u.number || '单元', '')
                 FROM hazard h JOIN hazard_state s ON s.hazard_id = h.id
                 JOIN building b ON b.id = h.building_id
                 LEFT JOIN compound c ON c.id = b.compound_id
                 LEFT JOIN unit u ON u.id = h.unit_id
                 WHERE h.found_day = ?1 AND s.status <> 'voided' ORDER BY h.found_at",
            )
            .map_err(|e| self.db_err(e))?;
        let rows = st
            .query_map([day], |r| {
                Ok(RecordedHazard {
                    id: r.get(0)?,
                    number: r.get(1)?,
                    found_at: r.get(2)?,
                    place: r.get(3)?,
                })
            })
            .map_err(|e| self.db_err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.db_err(e))
    }
}
