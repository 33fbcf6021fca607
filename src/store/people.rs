//! People and their duties kept by the office: add, edit, assign, unassign, retire. Every
//! change is an event (with the device and the time) and every row written is sealed. A person
//! who retires, or a duty that ends, is never deleted: a `roster_change` fact says so, and the
//! newest such fact is what is in force, so the history (patrols, hazards, events) stays.

use super::journal::{NewEvent, log_event, seal};
use super::{Building, Person, Store};
use crate::domain::roster::PersonProblem;
use crate::domain::{Role, new_id};
use crate::error::{Error, Result};
use rusqlite::{OptionalExtension, Transaction, params};

/// The note on events of changes made through `firepatrol people`: the office keeps the list
/// (once sync exists, the office's word wins).
pub const OFFICE_NOTE: &str = "office";

/// SQL: is the person or duty `id` in force (no change, or the newest change is active)?
const IN_FORCE: &str = "ifnull((SELECT r.active FROM roster_change r WHERE r.entity_id = {id}
                                 ORDER BY r.created_at DESC, r.rowid DESC LIMIT 1), 1) = 1";

fn in_force(id_expr: &str) -> String {
    IN_FORCE.replace("{id}", id_expr)
}

/// One building (or one unit of it) a person looks after.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DutyLine {
    pub duty_id: String,
    pub building_id: String,
    /// "新芙蓉之都 2栋".
    pub building: String,
    pub unit: Option<i64>,
}

/// A person with whether they are in service and what they look after now.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PersonCard {
    #[serde(flatten)]
    pub person: Person,
    pub retired: bool,
    pub duties: Vec<DutyLine>,
}

/// A leader on a plate: name, role, phone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlateLeader {
    pub name: String,
    pub role: Role,
    pub phone: String,
}

/// One entrance's plate: the place and its leaders (area, building, then unit leaders).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlateEntrance {
    pub community: String,
    pub compound: String,
    pub building: String,
    /// None for a building without units (one plate for the building).
    pub unit: Option<(i64, String)>,
    pub leaders: Vec<PlateLeader>,
}

#[allow(clippy::too_many_arguments)]
fn event(
    tx: &Transaction,
    device: &str,
    at: &str,
    entity: &str,
    id: &str,
    action: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> rusqlite::Result<()> {
    log_event(
        tx,
        device,
        &NewEvent {
            at,
            person_id: None,
            entity,
            entity_id: id,
            action,
            old_value: old,
            new_value: new,
            note: OFFICE_NOTE,
        },
    )?;
    seal(tx, entity, id)
}

/// Record that a person or duty is (`active`) or is no longer in force.
fn roster_change(
    tx: &Transaction,
    device: &str,
    at: &str,
    entity: &str,
    entity_id: &str,
    active: bool,
) -> rusqlite::Result<()> {
    let id = new_id();
    tx.execute(
        "INSERT INTO roster_change (id, entity, entity_id, active, created_at, device_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, entity, entity_id, i64::from(active), at, device],
    )?;
    seal(tx, "roster_change", &id)?;
    let action = match (entity, active) {
        ("person", false) => "retired",
        ("person", true) => "returned",
        (_, false) => "unassigned",
        (_, true) => "assigned",
    };
    log_event(
        tx,
        device,
        &NewEvent {
            at,
            person_id: None,
            entity,
            entity_id,
            action,
            old_value: None,
            new_value: None,
            note: OFFICE_NOTE,
        },
    )
}

fn place(building: &Building, unit: Option<i64>) -> String {
    match unit {
        Some(n) => format!("{} {n}单元", building.display_name()),
        None => building.display_name(),
    }
}

impl Store {
    fn person_row(&self, id: &str) -> Result<Option<(Person, bool)>> {
        self.conn
            .query_row(
                &format!(
                    "SELECT id, name, role, phone, NOT ({}) FROM person WHERE id = ?1",
                    in_force("person.id")
                ),
                [id],
                |r| {
                    let role: String = r.get(2)?;
                    Ok((
                        Person {
                            id: r.get(0)?,
                            name: r.get(1)?,
                            role: Role::parse(&role).unwrap_or(Role::BuildingLeader),
                            phone: r.get(3)?,
                        },
                        r.get(4)?,
                    ))
                },
            )
            .optional()
            .map_err(|e| self.db_err(e))
    }

    /// Everyone (retired people too, marked), with the buildings and units they look after now.
    /// Three queries in all, whatever the number of people and duties.
    pub fn people_cards(&self) -> Result<Vec<PersonCard>> {
        let people = self.people()?;
        let mut retired = std::collections::HashSet::new();
        self.each_row(
            &format!(
                "SELECT id FROM person WHERE NOT ({})",
                in_force("person.id")
            ),
            [],
            |r| r.get::<_, String>(0),
            |id| {
                retired.insert(id);
                Ok(())
            },
        )?;
        let mut duties: std::collections::HashMap<String, Vec<DutyLine>> = Default::default();
        self.duty_lines(None, |person, line| {
            duties.entry(person).or_default().push(line);
            Ok(())
        })?;
        let mut out: Vec<PersonCard> = people
            .into_iter()
            .map(|p| PersonCard {
                retired: retired.contains(&p.id),
                duties: duties.remove(&p.id).unwrap_or_default(),
                person: p,
            })
            .collect();
        // In service first, then the retired, each as `people()` orders them.
        out.sort_by_key(|c| c.retired);
        Ok(out)
    }

    /// The people in service (not retired): whom the app offers as the one patrolling.
    pub fn people_in_service(&self) -> Result<Vec<Person>> {
        let mut out = Vec::new();
        self.each_row(
            &format!(
                "SELECT id, name, role, phone FROM person WHERE {}
                 ORDER BY role = 'office', name",
                in_force("person.id")
            ),
            [],
            super::community::person_from_row,
            |p| {
                out.push(p);
                Ok(())
            },
        )?;
        Ok(out)
    }

    /// The duties of a person that are in force.
    pub fn duties_of(&self, person_id: &str) -> Result<Vec<DutyLine>> {
        let mut out = Vec::new();
        self.duty_lines(Some(person_id), |_, line| {
            out.push(line);
            Ok(())
        })?;
        Ok(out)
    }

    /// The duties in force (of one person, or of everyone), each with its person's id, in
    /// the order of each person's list: compound, building, unit.
    fn duty_lines(
        &self,
        person_id: Option<&str>,
        mut f: impl FnMut(String, DutyLine) -> Result<()>,
    ) -> Result<()> {
        let whose = if person_id.is_some() {
            "d.person_id = ?1"
        } else {
            "?1 IS NULL"
        };
        let sql = format!(
            "SELECT b.id, b.name, ifnull(c.name, ''), ifnull(g.name, ''), m.name, b.address, b.kind,
                    b.floors, b.search_keys, d.person_id, d.id, u.number
             FROM duty d
             JOIN building b ON b.id = d.building_id
             LEFT JOIN compound c ON c.id = b.compound_id
             LEFT JOIN grid g ON g.id = b.grid_id
             JOIN community m ON m.id = b.community_id
             LEFT JOIN unit u ON u.id = d.unit_id
             WHERE {whose} AND {}
             ORDER BY d.person_id, ifnull(c.name, ''), length(b.name), b.name, ifnull(u.number, 0)",
            in_force("d.id")
        );
        self.each_row(
            &sql,
            [person_id],
            |r| {
                let b = super::community::building_from_row(r)?;
                Ok((
                    r.get::<_, String>(9)?,
                    DutyLine {
                        duty_id: r.get(10)?,
                        building_id: b.id.clone(),
                        building: b.display_name(),
                        unit: r.get(11)?,
                    },
                ))
            },
            |(person, line)| f(person, line),
        )
    }

    /// Add a person: name and phone checked as at import; the same name and phone twice is
    /// refused. Returns the new id.
    pub fn add_person(&mut self, name: &str, role: Role, phone: &str) -> Result<String> {
        let (name, phone) =
            crate::domain::roster::check_person(name, phone).map_err(Error::Person)?;
        if self.person_id_by(&name, &phone)?.is_some() {
            return Err(Error::Person(PersonProblem::Exists { name, phone }));
        }
        let at = self.now_stamp();
        let device = self.device_id.clone();
        let id = new_id();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO person (id, name, role, phone, created_at, device_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, name, role.code(), phone, at, device],
            )?;
            event(tx, &device, &at, "person", &id, "created", None, Some(&name))
        })?;
        Ok(id)
    }

    fn person_id_by(&self, name: &str, phone: &str) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT id FROM person WHERE name = ?1 AND phone = ?2",
                [name, phone],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.db_err(e))
    }

    /// Change a person's name, role or phone (each checked as at import). Each field changed
    /// is an event with the old and new value; the row is sealed anew.
    pub fn edit_person(
        &mut self,
        id: &str,
        name: Option<&str>,
        role: Option<Role>,
        phone: Option<&str>,
    ) -> Result<()> {
        let (old, _) = self.person_row(id)?.ok_or_else(|| Error::NotFound {
            what: crate::domain::Thing::Person,
            key: id.to_string(),
        })?;
        if name.is_none() && role.is_none() && phone.is_none() {
            return Err(Error::Person(PersonProblem::NothingToChange));
        }
        let (new_name, new_phone) = crate::domain::roster::check_person(
            name.unwrap_or(&old.name),
            phone.unwrap_or(&old.phone),
        )
        .map_err(Error::Person)?;
        let new_role = role.unwrap_or(old.role);
        if (new_name != old.name || new_phone != old.phone)
            && self.person_id_by(&new_name, &new_phone)?.is_some()
        {
            return Err(Error::Person(PersonProblem::Exists {
                name: new_name,
                phone: new_phone,
            }));
        }
        let at = self.now_stamp();
        let device = self.device_id.clone();
        self.write(|tx| {
            tx.execute(
                "UPDATE person SET name = ?1, role = ?2, phone = ?3 WHERE id = ?4",
                params![new_name, new_role.code(), new_phone, id],
            )?;
            let changes = [
                ("name", old.name.as_str(), new_name.as_str()),
                ("role", old.role.code(), new_role.code()),
                ("phone", old.phone.as_str(), new_phone.as_str()),
            ];
            for (field, was, now) in changes {
                if was != now {
                    event(tx, &device, &at, "person", id, field, Some(was), Some(now))?;
                }
            }
            Ok(())
        })
    }

    /// Assign a person to a building, or to one unit of it. A retired person takes no new
    /// duties; an assignment already in force is refused; one that ended is put back in force.
    pub fn assign(
        &mut self,
        person_id: &str,
        building: &Building,
        unit: Option<i64>,
    ) -> Result<()> {
        let (person, retired) = self.person_row(person_id)?.ok_or_else(|| Error::NotFound {
            what: crate::domain::Thing::Person,
            key: person_id.to_string(),
        })?;
        if retired {
            return Err(Error::Person(PersonProblem::Retired(person.name)));
        }
        let unit_id = self.unit_id(building, unit)?;
        let existing = self.duty_id(person_id, &building.id, unit_id.as_deref())?;
        let at = self.now_stamp();
        let device = self.device_id.clone();
        match existing {
            Some((_, true)) => Err(Error::Person(PersonProblem::AlreadyAssigned {
                name: person.name,
                place: place(building, unit),
            })),
            Some((duty, false)) => {
                self.write(|tx| roster_change(tx, &device, &at, "duty", &duty, true))
            }
            None => {
                // The same duty made on two laptops is one row (see `stable_id`).
                let id = crate::domain::stable_id(
                    "duty",
                    &[person_id, &building.id, unit_id.as_deref().unwrap_or("")],
                );
                self.write(|tx| {
                    tx.execute(
                        "INSERT INTO duty (id, person_id, building_id, unit_id, created_at, device_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        params![id, person_id, building.id, unit_id, at, device],
                    )?;
                    event(tx, &device, &at, "duty", &id, "created", None, Some(&building.id))
                })
            }
        }
    }

    /// Take an assignment back: the duty ends (a fact), its history stays.
    pub fn unassign(
        &mut self,
        person_id: &str,
        building: &Building,
        unit: Option<i64>,
    ) -> Result<()> {
        let (person, _) = self.person_row(person_id)?.ok_or_else(|| Error::NotFound {
            what: crate::domain::Thing::Person,
            key: person_id.to_string(),
        })?;
        let unit_id = self.unit_id(building, unit)?;
        match self.duty_id(person_id, &building.id, unit_id.as_deref())? {
            Some((duty, true)) => {
                let at = self.now_stamp();
                let device = self.device_id.clone();
                self.write(|tx| roster_change(tx, &device, &at, "duty", &duty, false))
            }
            _ => Err(Error::Person(PersonProblem::NotAssigned {
                name: person.name,
                place: place(building, unit),
            })),
        }
    }

    /// Retire a person: their duties end and they are no longer offered as the one
    /// patrolling. Their patrols, hazards and events stay, under their name.
    pub fn retire(&mut self, person_id: &str) -> Result<usize> {
        let (person, retired) = self.person_row(person_id)?.ok_or_else(|| Error::NotFound {
            what: crate::domain::Thing::Person,
            key: person_id.to_string(),
        })?;
        if retired {
            return Err(Error::Person(PersonProblem::AlreadyRetired(person.name)));
        }
        let duties = self.duties_of(person_id)?;
        let at = self.now_stamp();
        let device = self.device_id.clone();
        self.write(|tx| {
            for d in &duties {
                roster_change(tx, &device, &at, "duty", &d.duty_id, false)?;
            }
            roster_change(tx, &device, &at, "person", person_id, false)
        })?;
        Ok(duties.len())
    }

    fn unit_id(&self, building: &Building, unit: Option<i64>) -> Result<Option<String>> {
        let Some(n) = unit else { return Ok(None) };
        let found = self
            .units(&building.id)?
            .into_iter()
            .find(|u| u.number == n)
            .map(|u| u.id);
        match found {
            Some(id) => Ok(Some(id)),
            None => Err(Error::Person(PersonProblem::NoSuchUnit {
                building: building.display_name(),
                unit: n,
            })),
        }
    }

    /// The duty row for a person at a building (and unit), and whether it is in force.
    fn duty_id(
        &self,
        person: &str,
        building: &str,
        unit: Option<&str>,
    ) -> Result<Option<(String, bool)>> {
        self.conn
            .query_row(
                &format!(
                    "SELECT id, {} FROM duty d WHERE person_id = ?1 AND building_id = ?2 AND ifnull(unit_id, '') = ifnull(?3, '')",
                    in_force("d.id")
                ),
                params![person, building, unit],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.db_err(e))
    }

    /// Whether a person has retired.
    pub fn is_retired(&self, person_id: &str) -> Result<bool> {
        Ok(self.person_row(person_id)?.is_some_and(|(_, r)| r))
    }

    /// The plates of a building: one per unit entrance (or one for a building without units),
    /// with the leaders in service who look after it: those assigned to the whole building
    /// (area and building leaders) and those assigned to the unit.
    pub fn plates_of(&self, building: &Building) -> Result<Vec<PlateEntrance>> {
        let sql = format!(
            "SELECT p.name, p.role, p.phone, u.number FROM duty d
             JOIN person p ON p.id = d.person_id
             LEFT JOIN unit u ON u.id = d.unit_id
             WHERE d.building_id = ?1 AND {} AND {}
             ORDER BY CASE p.role WHEN 'area_leader' THEN 0 WHEN 'building_leader' THEN 1
                                  WHEN 'unit_leader' THEN 2 ELSE 3 END, p.name",
            in_force("d.id"),
            in_force("p.id")
        );
        let rows: Vec<(PlateLeader, Option<i64>)> = {
            let mut st = self.conn.prepare(&sql).map_err(|e| self.db_err(e))?;
            st.query_map([&building.id], |r| {
                let role: String = r.get(1)?;
                Ok((
                    PlateLeader {
                        name: r.get(0)?,
                        role: Role::parse(&role).unwrap_or(Role::BuildingLeader),
                        phone: r.get(2)?,
                    },
                    r.get(3)?,
                ))
            })
            .map_err(|e| self.db_err(e))?
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| self.db_err(e))?
        };
        let units = self.units(&building.id)?;
        let whole: Vec<PlateLeader> = rows
            .iter()
            .filter(|(_, u)| u.is_none())
            .map(|(l, _)| l.clone())
            .collect();
        let plate = |unit: Option<(i64, String)>| {
            let mut leaders = whole.clone();
            if let Some((n, _)) = &unit {
                leaders.extend(
                    rows.iter()
                        .filter(|(_, u)| *u == Some(*n))
                        .map(|(l, _)| l.clone()),
                );
            }
            PlateEntrance {
                community: building.community.clone(),
                compound: building.compound.clone(),
                building: building.name.clone(),
                unit,
                leaders,
            }
        };
        if units.is_empty() {
            return Ok(vec![plate(None)]);
        }
        Ok(units
            .into_iter()
            .map(|u| plate(Some((u.number, u.name))))
            .collect())
    }

    /// The office's phone for plates: the first person in service with the office's role
    /// and a phone ("" when there is none).
    pub fn office_phone(&self) -> Result<String> {
        let sql = format!(
            "SELECT phone FROM person WHERE role = 'office' AND phone <> '' AND {} ORDER BY created_at, id LIMIT 1",
            in_force("person.id")
        );
        Ok(self
            .conn
            .query_row(&sql, [], |r| r.get(0))
            .optional()
            .map_err(|e| self.db_err(e))?
            .unwrap_or_default())
    }

    /// Every building, ordered by compound and name (for plates and pickers).
    pub fn all_buildings(&self) -> Result<Vec<Building>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT b.id, b.name, ifnull(c.name, ''), ifnull(g.name, ''), m.name, b.address, b.kind, b.floors, b.search_keys
                 FROM building b
                 LEFT JOIN compound c ON c.id = b.compound_id
                 LEFT JOIN grid g ON g.id = b.grid_id
                 JOIN community m ON m.id = b.community_id
                 ORDER BY ifnull(c.name, ''), length(b.name), b.name",
            )
            .map_err(|e| self.db_err(e))?;
        let rows = st
            .query_map([], super::community::building_from_row)
            .map_err(|e| self.db_err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.db_err(e))
    }
}
