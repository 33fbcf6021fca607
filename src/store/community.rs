//! The community tree (community, grid, compound, building, unit), people and their duties.

use super::Store;
use super::journal::{NewEvent, log_event, seal};
use crate::domain::roster::ImportCounts;
use crate::domain::roster::{BuildingRow, PersonRow};
use crate::domain::{Role, SiteKind, new_id};
use crate::error::{Error, ImportProblem, Result, RowProblem};
use rusqlite::{OptionalExtension, Transaction, params};
use std::path::Path;

/// The community name used when an import leaves the column blank and the database has no
/// single community to fall back on.
pub const DEFAULT_COMMUNITY: &str = "本社区";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Building {
    pub id: String,
    pub name: String,
    pub compound: String,
    pub grid: String,
    pub community: String,
    pub address: String,
    pub kind: SiteKind,
    pub floors: Option<i64>,
    pub search_keys: String,
}

impl Building {
    /// "新芙蓉之都 2栋", or the name alone for a building outside any compound.
    pub fn display_name(&self) -> String {
        if self.compound.is_empty() {
            self.name.clone()
        } else {
            format!("{} {}", self.compound, self.name)
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit {
    pub id: String,
    pub number: i64,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub phone: String,
}

/// The search keys stored with a building: computed when it is written, not per keystroke.
pub fn building_search_keys(
    compound: &str,
    name: &str,
    address: &str,
    leaders: &[String],
) -> String {
    let mut fields: Vec<&str> = vec![compound, name, address];
    fields.extend(leaders.iter().map(String::as_str));
    fields.retain(|f| !f.is_empty());
    crate::search::search_keys(&fields)
}

fn id_of(
    tx: &Transaction,
    sql: &str,
    p: impl rusqlite::Params,
) -> rusqlite::Result<Option<String>> {
    tx.query_row(sql, p, |r| r.get(0)).optional()
}

struct Ctx<'a> {
    at: &'a str,
    device: &'a str,
    person: Option<&'a str>,
    counts: ImportCounts,
}

impl Ctx<'_> {
    fn event(
        &self,
        tx: &Transaction,
        entity: &str,
        id: &str,
        action: &str,
        old: Option<&str>,
        new: Option<&str>,
    ) -> rusqlite::Result<()> {
        log_event(
            tx,
            self.device,
            &NewEvent {
                at: self.at,
                person_id: self.person,
                entity,
                entity_id: id,
                action,
                old_value: old,
                new_value: new,
                note: "",
            },
        )?;
        seal(tx, entity, id)
    }

    fn community(&mut self, tx: &Transaction, name: &str) -> rusqlite::Result<String> {
        let name = if name.is_empty() {
            let only: Vec<String> = tx
                .prepare("SELECT name FROM community LIMIT 2")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            if only.len() == 1 {
                only[0].clone()
            } else {
                DEFAULT_COMMUNITY.to_string()
            }
        } else {
            name.to_string()
        };
        if let Some(id) = id_of(tx, "SELECT id FROM community WHERE name = ?1", [&name])? {
            return Ok(id);
        }
        let id = new_id();
        tx.execute(
            "INSERT INTO community (id, name, created_at, device_id) VALUES (?1, ?2, ?3, ?4)",
            params![id, name, self.at, self.device],
        )?;
        self.event(tx, "community", &id, "created", None, Some(&name))?;
        self.counts.communities += 1;
        Ok(id)
    }

    fn grid(
        &mut self,
        tx: &Transaction,
        community: &str,
        name: &str,
    ) -> rusqlite::Result<Option<String>> {
        if name.is_empty() {
            return Ok(None);
        }
        if let Some(id) = id_of(
            tx,
            "SELECT id FROM grid WHERE community_id = ?1 AND name = ?2",
            [community, name],
        )? {
            return Ok(Some(id));
        }
        let id = new_id();
        tx.execute(
            "INSERT INTO grid (id, community_id, name, created_at, device_id) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, community, name, self.at, self.device],
        )?;
        self.event(tx, "grid", &id, "created", None, Some(name))?;
        self.counts.grids += 1;
        Ok(Some(id))
    }

    fn compound(
        &mut self,
        tx: &Transaction,
        community: &str,
        grid: Option<&str>,
        name: &str,
    ) -> rusqlite::Result<Option<String>> {
        if name.is_empty() {
            return Ok(None);
        }
        if let Some(id) = id_of(
            tx,
            "SELECT id FROM compound WHERE community_id = ?1 AND name = ?2",
            [community, name],
        )? {
            return Ok(Some(id));
        }
        let id = new_id();
        tx.execute(
            "INSERT INTO compound (id, community_id, grid_id, name, created_at, device_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, community, grid, name, self.at, self.device],
        )?;
        self.event(tx, "compound", &id, "created", None, Some(name))?;
        self.counts.compounds += 1;
        Ok(Some(id))
    }

    /// Find a person by name and phone (a blank phone matches a single person of that name);
    /// create one if there is none.
    fn person(
        &mut self,
        tx: &Transaction,
        name: &str,
        phone: &str,
        role: Role,
    ) -> rusqlite::Result<String> {
        if let Some(id) = id_of(
            tx,
            "SELECT id FROM person WHERE name = ?1 AND phone = ?2",
            [name, phone],
        )? {
            return Ok(id);
        }
        let same_name: Vec<(String, String)> = tx
            .prepare("SELECT id, phone FROM person WHERE name = ?1 LIMIT 2")?
            .query_map([name], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        if phone.is_empty() && same_name.len() == 1 {
            return Ok(same_name[0].0.clone());
        }
        if same_name.len() == 1 && same_name[0].1.is_empty() {
            // The office now knows the phone of someone listed without one.
            let id = same_name[0].0.clone();
            tx.execute("UPDATE person SET phone = ?1 WHERE id = ?2", [phone, &id])?;
            self.event(tx, "person", &id, "phone", Some(""), Some(phone))?;
            return Ok(id);
        }
        let id = new_id();
        tx.execute(
            "INSERT INTO person (id, name, role, phone, created_at, device_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, name, role.code(), phone, self.at, self.device],
        )?;
        self.event(tx, "person", &id, "created", None, Some(name))?;
        self.counts.people += 1;
        Ok(id)
    }

    fn duty(
        &mut self,
        tx: &Transaction,
        person: &str,
        building: &str,
        unit: Option<&str>,
    ) -> rusqlite::Result<()> {
        let exists = id_of(
            tx,
            "SELECT id FROM duty WHERE person_id = ?1 AND building_id = ?2 AND ifnull(unit_id, '') = ifnull(?3, '')",
            params![person, building, unit],
        )?;
        if exists.is_none() {
            let id = new_id();
            tx.execute(
                "INSERT INTO duty (id, person_id, building_id, unit_id, created_at, device_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, person, building, unit, self.at, self.device],
            )?;
            self.event(tx, "duty", &id, "created", None, Some(building))?;
            self.counts.duties += 1;
        }
        Ok(())
    }

    fn units(&mut self, tx: &Transaction, building: &str, n: u32) -> rusqlite::Result<()> {
        for number in 1..=i64::from(n) {
            let exists = id_of(
                tx,
                "SELECT id FROM unit WHERE building_id = ?1 AND number = ?2",
                params![building, number],
            )?;
            if exists.is_none() {
                let id = new_id();
                tx.execute(
                    "INSERT INTO unit (id, building_id, number, name, created_at, device_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![id, building, number, format!("{number}单元"), self.at, self.device],
                )?;
                seal(tx, "unit", &id)?;
                self.counts.units += 1;
            }
        }
        Ok(())
    }
}

impl Store {
    /// Run an import in one transaction; on a dry run roll it back so that the counts say
    /// exactly what would change.
    fn import_tx(
        &mut self,
        dry_run: bool,
        person: Option<&str>,
        f: impl FnOnce(&Transaction, &mut Ctx) -> Result<()>,
    ) -> Result<ImportCounts> {
        let at = self.now_stamp();
        let device = self.device_id.clone();
        let path = self.path.clone();
        self.still_there()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| Error::db(&path, e))?;
        let mut ctx = Ctx {
            at: &at,
            device: &device,
            person,
            counts: ImportCounts::default(),
        };
        f(&tx, &mut ctx).map_err(|e| match e {
            Error::Db { path: p, source } if p.as_os_str().is_empty() => Error::db(&path, source),
            e => e,
        })?;
        if dry_run {
            tx.rollback().map_err(|e| Error::db(&path, e))?;
        } else {
            tx.commit().map_err(|e| Error::db(&path, e))?;
        }
        Ok(ctx.counts)
    }

    /// Apply a checked building list: create what is new, update what changed, leave the rest.
    /// Re-importing the same file changes nothing.
    pub fn import_buildings(
        &mut self,
        rows: &[BuildingRow],
        dry_run: bool,
    ) -> Result<ImportCounts> {
        self.import_tx(dry_run, None, |tx, ctx| {
            ctx.counts.rows = rows.len();
            for r in rows {
                let community = ctx.community(tx, &r.community)?;
                let grid = ctx.grid(tx, &community, &r.grid)?;
                let compound = ctx.compound(tx, &community, grid.as_deref(), &r.compound)?;
                let leaders: Vec<String> = if r.leader.is_empty() { vec![] } else { vec![r.leader.clone()] };
                let keys = building_search_keys(&r.compound, &r.building, &r.address, &leaders);
                let floors = r.floors.map(i64::from);
                let existing: Option<ExistingBuilding> = tx
                    .query_row(
                        "SELECT id, address, kind, floors, grid_id, search_keys FROM building
                         WHERE community_id = ?1 AND ifnull(compound_id, '') = ifnull(?2, '') AND name = ?3",
                        params![community, compound, r.building],
                        |x| Ok((x.get(0)?, x.get(1)?, x.get(2)?, x.get(3)?, x.get(4)?, x.get(5)?)),
                    )
                    .optional()?;
                let building = match existing {
                    None => {
                        let id = new_id();
                        tx.execute(
                            "INSERT INTO building (id, community_id, grid_id, compound_id, name, address, kind, floors, search_keys, created_at, device_id)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                            params![id, community, grid, compound, r.building, r.address, r.kind.code(), floors, keys, ctx.at, ctx.device],
                        )?;
                        ctx.event(tx, "building", &id, "created", None, Some(&r.building))?;
                        ctx.counts.buildings_new += 1;
                        id
                    }
                    Some((id, address, kind, old_floors, old_grid, old_keys)) => {
                        let old = format!("{address}|{kind}|{old_floors:?}|{old_grid:?}");
                        let new = format!("{}|{}|{floors:?}|{grid:?}", r.address, r.kind.code());
                        if old != new {
                            tx.execute(
                                "UPDATE building SET address = ?1, kind = ?2, floors = ?3, grid_id = ?4, search_keys = ?5 WHERE id = ?6",
                                params![r.address, r.kind.code(), floors, grid, keys, id],
                            )?;
                            ctx.event(tx, "building", &id, "changed", Some(&old), Some(&new))?;
                            ctx.counts.buildings_changed += 1;
                        } else {
                            if old_keys != keys {
                                tx.execute("UPDATE building SET search_keys = ?1 WHERE id = ?2", params![keys, id])?;
                            }
                            ctx.counts.buildings_same += 1;
                        }
                        id
                    }
                };
                if let Some(n) = r.units {
                    ctx.units(tx, &building, n)?;
                }
                if !r.leader.is_empty() {
                    let person = ctx.person(tx, &r.leader, &r.phone, Role::BuildingLeader)?;
                    ctx.duty(tx, &person, &building, None)?;
                }
            }
            Ok(())
        })
    }

    /// Apply a checked people list. A building named in a row must exist.
    pub fn import_people(
        &mut self,
        file: &Path,
        rows: &[PersonRow],
        dry_run: bool,
    ) -> Result<ImportCounts> {
        self.import_tx(dry_run, None, |tx, ctx| {
            ctx.counts.rows = rows.len();
            let mut problems = Vec::new();
            for r in rows {
                let person = ctx.person(tx, &r.name, &r.phone, r.role)?;
                if r.building.is_empty() {
                    continue;
                }
                let found: Vec<String> = tx
                    .prepare(
                        "SELECT b.id FROM building b
                         LEFT JOIN compound c ON c.id = b.compound_id
                         LEFT JOIN community m ON m.id = b.community_id
                         WHERE b.name = ?1 AND (?2 = '' OR c.name = ?2) AND (?3 = '' OR m.name = ?3) LIMIT 2",
                    )?
                    .query_map(params![r.building, r.compound, r.community], |x| x.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                if found.len() != 1 {
                    problems.push(RowProblem {
                        row: r.row,
                        column: "building".into(),
                        problem: ImportProblem::NoSuchBuilding(r.building.clone()),
                    });
                    continue;
                }
                let unit = match r.unit {
                    Some(n) => {
                        let u = id_of(tx, "SELECT id FROM unit WHERE building_id = ?1 AND number = ?2", params![found[0], i64::from(n)])?;
                        if u.is_none() {
                            problems.push(RowProblem {
                                row: r.row,
                                column: "unit".into(),
                                problem: ImportProblem::NoSuchBuilding(format!("{} {n}", r.building)),
                            });
                            continue;
                        }
                        u
                    }
                    None => None,
                };
                ctx.duty(tx, &person, &found[0], unit.as_deref())?;
            }
            if problems.is_empty() {
                Ok(())
            } else {
                Err(Error::Rows { path: file.to_path_buf(), problems })
            }
        })
    }

    pub fn people(&self) -> Result<Vec<Person>> {
        let mut st = self
            .conn
            .prepare("SELECT id, name, role, phone FROM person ORDER BY role = 'office', name")
            .map_err(|e| self.db_err(e))?;
        let rows = st
            .query_map([], person_from_row)
            .map_err(|e| self.db_err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.db_err(e))
    }

    pub fn building(&self, id: &str) -> Result<Option<Building>> {
        self.conn
            .prepare_cached(
                "SELECT b.id, b.name, ifnull(c.name, ''), ifnull(g.name, ''), m.name, b.address, b.kind, b.floors, b.search_keys
                 FROM building b
                 LEFT JOIN compound c ON c.id = b.compound_id
                 LEFT JOIN grid g ON g.id = b.grid_id
                 JOIN community m ON m.id = b.community_id
                 WHERE b.id = ?1",
            )
            .map_err(|e| self.db_err(e))?
            .query_row([id], building_from_row)
            .optional()
            .map_err(|e| self.db_err(e))
    }

    pub fn units(&self, building_id: &str) -> Result<Vec<Unit>> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT id, number, name FROM unit WHERE building_id = ?1 ORDER BY number",
            )
            .map_err(|e| self.db_err(e))?;
        let rows = st
            .query_map([building_id], |r| {
                Ok(Unit {
                    id: r.get(0)?,
                    number: r.get(1)?,
                    name: r.get(2)?,
                })
            })
            .map_err(|e| self.db_err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.db_err(e))
    }

    /// The people who look after a building (building leaders first).
    pub fn leaders_of(&self, building_id: &str) -> Result<Vec<String>> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT p.id FROM duty d JOIN person p ON p.id = d.person_id WHERE d.building_id = ?1
                 ORDER BY p.role <> 'building_leader', d.unit_id IS NOT NULL, p.name",
            )
            .map_err(|e| self.db_err(e))?;
        let rows = st
            .query_map([building_id], |r| r.get(0))
            .map_err(|e| self.db_err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.db_err(e))
    }

    /// Recompute every building's search keys (from its compound, name, address and
    /// leaders) when they were made by another version of the search engine.
    pub(crate) fn refresh_search_keys(&mut self) -> Result<()> {
        if self
            .meta(super::meta::MetaKey::SearchKeysVersion)?
            .as_deref()
            == Some(crate::search::KEYS_VERSION)
        {
            return Ok(());
        }
        let rows: Vec<(String, String, String, String, String)> = {
            let mut st = self
                .conn
                .prepare(
                    "SELECT b.id, ifnull(c.name, ''), b.name, b.address,
                            ifnull((SELECT group_concat(p.name, char(31)) FROM duty d JOIN person p ON p.id = d.person_id
                                    WHERE d.building_id = b.id), '')
                     FROM building b LEFT JOIN compound c ON c.id = b.compound_id",
                )
                .map_err(|e| self.db_err(e))?;
            st.query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .map_err(|e| self.db_err(e))?
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| self.db_err(e))?
        };
        self.write_uncaptured(|tx| {
            for (id, compound, name, address, leaders) in &rows {
                let leaders: Vec<String> = leaders
                    .split('\u{1f}')
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect();
                let keys = building_search_keys(compound, name, address, &leaders);
                tx.execute(
                    "UPDATE building SET search_keys = ?1 WHERE id = ?2",
                    params![keys, id],
                )?;
            }
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('search_keys_version', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [crate::search::KEYS_VERSION],
            )?;
            Ok(())
        })
    }

    /// The community names (usually one).
    pub fn communities(&self) -> Result<Vec<String>> {
        let mut st = self
            .conn
            .prepare("SELECT name FROM community ORDER BY name")
            .map_err(|e| self.db_err(e))?;
        let rows = st.query_map([], |r| r.get(0)).map_err(|e| self.db_err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.db_err(e))
    }
}

/// id, address, kind, floors, grid id, search keys of a building already stored.
type ExistingBuilding = (String, String, String, Option<i64>, Option<String>, String);

/// A person from the columns id, name, role, phone.
pub(crate) fn person_from_row(r: &rusqlite::Row) -> rusqlite::Result<Person> {
    let role: String = r.get(2)?;
    Ok(Person {
        id: r.get(0)?,
        name: r.get(1)?,
        role: Role::parse(&role).unwrap_or(Role::BuildingLeader),
        phone: r.get(3)?,
    })
}

pub(crate) fn building_from_row(r: &rusqlite::Row) -> rusqlite::Result<Building> {
    let kind: String = r.get(6)?;
    Ok(Building {
        id: r.get(0)?,
        name: r.get(1)?,
        compound: r.get(2)?,
        grid: r.get(3)?,
        community: r.get(4)?,
        address: r.get(5)?,
        kind: SiteKind::parse(&kind).unwrap_or(SiteKind::Other),
        floors: r.get(7)?,
        search_keys: r.get(8)?,
    })
}
