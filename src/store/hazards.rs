//! Hazards and their events. A hazard row is written once; every change is an event; the
//! current state (`hazard_state`) is rebuilt from the events in the same transaction (by the
//! journal, `super::journal::append_hazard_event`).

use super::hazard_state::{HazardFold, HazardStep, append_hazard_event};
use super::journal::seal;
use super::patrol::insert_answer;
use super::{OpenCounts, Store};
use crate::domain::ActionRefused;
use crate::domain::deadline::days_overdue;
use crate::domain::walk::Slot;
use crate::domain::{
    AnswerValue, HazardEventKind, HazardStatus, RECURRENCE_WINDOW_DAYS, Severity, new_id,
};
use crate::error::Result;
use chrono::{Duration, NaiveDate};
use rusqlite::{OptionalExtension, params};

/// What the hazard form hands to the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewHazard {
    pub patrol_id: String,
    pub slot: Slot,
    pub category: String,
    pub spot: String,
    pub description: String,
    pub severity: Severity,
    pub party_name: String,
    pub party_room: String,
    pub party_phone: String,
    pub found_by: Option<String>,
    pub deadline: NaiveDate,
    pub fixed_on_spot: bool,
    /// Escalate to the community office at once, with this note.
    pub escalate: Option<String>,
}

/// What was saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HazardReceipt {
    pub id: String,
    pub number: String,
    /// The earlier rectified hazard this one repeats (回潮), if any.
    pub previous: Option<String>,
    pub recurrence: i64,
}

/// A hazard as lists and screens show it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct HazardRow {
    pub id: String,
    pub number: String,
    pub building_id: String,
    pub building: String,
    pub compound: String,
    pub grid: String,
    pub unit_id: Option<String>,
    pub unit: Option<i64>,
    pub item_id: String,
    pub category: String,
    pub spot: String,
    pub description: String,
    pub severity: Severity,
    pub party_name: String,
    pub party_room: String,
    pub party_phone: String,
    pub found_at: String,
    pub found_by: String,
    pub deadline: String,
    pub status: HazardStatus,
    pub fixed_on_spot: bool,
    pub previous_id: Option<String>,
    pub recurrence: i64,
    pub escalated_to: Option<String>,
    pub closed_day: Option<String>,
}

impl HazardRow {
    pub fn deadline_date(&self) -> Option<NaiveDate> {
        crate::domain::day::parse_stored(&self.deadline)
    }
    pub fn is_open(&self) -> bool {
        matches!(self.status, HazardStatus::Open | HazardStatus::Escalated)
    }
    /// Days past the deadline while still open (0 otherwise).
    pub fn days_overdue(&self, today: NaiveDate) -> i64 {
        match (self.is_open(), self.deadline_date()) {
            (true, Some(d)) => days_overdue(d, today),
            _ => 0,
        }
    }
}

/// One entry of a hazard's history.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct HazardEvent {
    pub at: String,
    pub by: String,
    pub kind: HazardEventKind,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub note: String,
    /// Made on another device at the same time as the event before it (neither knew of the
    /// other): both are kept, and the state follows the one rule (`journal::HazardFold`).
    pub concurrent: bool,
}

/// An action on a hazard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HazardAction {
    Rectify {
        note: String,
    },
    StillOpen {
        note: String,
    },
    Extend {
        to: NaiveDate,
        reason: String,
    },
    Escalate {
        to: String,
        note: String,
    },
    OfficeResponse {
        note: String,
    },
    /// The office asks a leader (by name) to re-check; the status does not change.
    Assign {
        to: String,
        note: String,
    },
    Reopen {
        reason: String,
    },
}

macro_rules! hazard_columns {
    () => {
        "SELECT h.id, h.number, h.building_id, b.name, ifnull(c.name, ''), ifnull(g.name, ''), h.unit_id, u.number,
           h.item_id, h.category, h.spot, h.description, h.severity, h.party_name, h.party_room, h.party_phone,
           h.found_at, ifnull(p.name, ''), s.deadline, s.status, h.fixed_on_spot, h.previous_id, h.recurrence,
           s.escalated_to, s.closed_day"
    };
}

macro_rules! hazard_joins {
    () => {
        "JOIN building b ON b.id = h.building_id
    LEFT JOIN compound c ON c.id = b.compound_id
    LEFT JOIN grid g ON g.id = b.grid_id
    LEFT JOIN unit u ON u.id = h.unit_id
    LEFT JOIN person p ON p.id = h.found_by"
    };
}

pub(crate) use {hazard_columns, hazard_joins};

/// The hazard rows' SELECT (columns in the order `hazard_from_row` reads them).
pub(crate) const HAZARD_SELECT: &str = concat!(
    hazard_columns!(),
    " FROM hazard h JOIN hazard_state s ON s.hazard_id = h.id ",
    hazard_joins!()
);

/// The same SELECT starting from `from` (which joins `hazard h` and `hazard_state s`).
pub(crate) fn hazard_select(from: &str) -> String {
    format!("{} FROM {from} {}", hazard_columns!(), hazard_joins!())
}

pub(crate) fn hazard_from_row(r: &rusqlite::Row) -> rusqlite::Result<HazardRow> {
    let sev: String = r.get(12)?;
    let st: String = r.get(19)?;
    Ok(HazardRow {
        id: r.get(0)?,
        number: r.get(1)?,
        building_id: r.get(2)?,
        building: r.get(3)?,
        compound: r.get(4)?,
        grid: r.get(5)?,
        unit_id: r.get(6)?,
        unit: r.get(7)?,
        item_id: r.get(8)?,
        category: r.get(9)?,
        spot: r.get(10)?,
        description: r.get(11)?,
        severity: Severity::parse(&sev).unwrap_or(Severity::High),
        party_name: r.get(13)?,
        party_room: r.get(14)?,
        party_phone: r.get(15)?,
        found_at: r.get(16)?,
        found_by: r.get(17)?,
        deadline: r.get(18)?,
        status: HazardStatus::parse(&st).unwrap_or(HazardStatus::Open),
        fixed_on_spot: r.get::<_, i64>(20)? != 0,
        previous_id: r.get(21)?,
        recurrence: r.get(22)?,
        escalated_to: r.get(23)?,
        closed_day: r.get(24)?,
    })
}

impl Store {
    /// Record a hazard answer: the hazard, its first events and the answer, in one
    /// transaction. A hazard at the same building, unit and item within 180 days of a
    /// rectified one is linked to it (回潮).
    pub fn record_hazard(&mut self, h: &NewHazard) -> Result<HazardReceipt> {
        let now = self.clock.now();
        let at = crate::domain::clock::stamp(now);
        let today = now.date_naive();
        let day = today.format("%Y-%m-%d").to_string();
        let window_start = (today - Duration::days(RECURRENCE_WINDOW_DAYS))
            .format("%Y-%m-%d")
            .to_string();
        let device = self.device_id.clone();
        // A laptop's numbers carry its letter, so numbers stay unique across the community.
        let letter = self
            .meta(super::meta::MetaKey::SyncLetter)?
            .unwrap_or_default();
        self.write(|tx| {
            let previous: Option<(String, i64)> = tx
                .query_row(
                    "SELECT h.id, h.recurrence FROM hazard h JOIN hazard_state s ON s.hazard_id = h.id
                     WHERE h.building_id = ?1 AND ifnull(h.unit_id, '') = ifnull(?2, '') AND h.item_id = ?3
                       AND s.status = 'rectified' AND s.closed_day >= ?4
                     ORDER BY s.closed_day DESC, h.found_at DESC LIMIT 1",
                    params![h.slot.building_id, h.slot.unit_id, h.slot.item_id, window_start],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let recurrence = previous.as_ref().map_or(0, |(_, n)| n + 1);
            // Counted by the number itself, not by device: a restored or replaced laptop
            // keeps its letter and must not repeat a number the office already holds.
            let prefix = format!("YH-{}-{letter}", today.format("%Y%m%d"));
            let seq: i64 = tx.query_row(
                "SELECT ifnull(max(CAST(substr(number, length(?2) + 1) AS INTEGER)), 0) + 1
                 FROM hazard WHERE found_day = ?1 AND number GLOB ?2 || '[0-9]*'",
                params![day, prefix],
                |r| r.get(0),
            )?;
            let number = format!("{prefix}{seq:03}");
            let id = new_id();
            let deadline = h.deadline.format("%Y-%m-%d").to_string();
            tx.execute(
                "INSERT INTO hazard (id, number, patrol_id, building_id, unit_id, item_id, category, spot, description,
                    severity, party_name, party_room, party_phone, found_at, found_day, found_by, deadline, fixed_on_spot,
                    previous_id, recurrence, device_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
                params![
                    id, number, h.patrol_id, h.slot.building_id, h.slot.unit_id, h.slot.item_id, h.category, h.spot,
                    h.description, h.severity.code(), h.party_name, h.party_room, h.party_phone, at, day, h.found_by,
                    deadline, h.fixed_on_spot, previous.as_ref().map(|p| &p.0), recurrence, device
                ],
            )?;
            let by = h.found_by.as_deref();
            seal(tx, "hazard", &id)?;
            append_hazard_event(tx, &device, &at, &id, HazardEventKind::Created, by, None, Some(&deadline), &h.description)?;
            if h.fixed_on_spot {
                append_hazard_event(tx, &device, &at, &id, HazardEventKind::Rectified, by, None, None, "")?;
            } else if let Some(note) = &h.escalate {
                append_hazard_event(tx, &device, &at, &id, HazardEventKind::Escalated, by, None, Some(""), note)?;
            }
            insert_answer(tx, &device, &at, &day, &h.patrol_id, &h.slot, AnswerValue::Hazard, Some(&id))?;
            Ok(HazardReceipt { id, number, previous: previous.map(|p| p.0), recurrence })
        })
    }

    /// Find a hazard by its id, its number (YH-...) or a unique prefix of its id.
    pub fn find_hazard(&self, key: &str) -> Result<std::result::Result<HazardRow, ActionRefused>> {
        let key = key.trim();
        let ids: Vec<String> = self
            .conn
            .prepare_cached("SELECT id FROM hazard WHERE id = ?1 OR number = ?1 OR (length(?1) >= 8 AND id LIKE ?1 || '%') LIMIT 2")
            .and_then(|mut st| st.query_map([key], |r| r.get(0))?.collect())
            .map_err(|e| self.db_err(e))?;
        match ids.as_slice() {
            [] => Ok(Err(ActionRefused::NoSuchHazard(key.to_string()))),
            [id] => Ok(self
                .hazard(id)?
                .ok_or_else(|| ActionRefused::NoSuchHazard(key.to_string()))),
            _ => Ok(Err(ActionRefused::Ambiguous(key.to_string()))),
        }
    }

    pub fn hazard(&self, id: &str) -> Result<Option<HazardRow>> {
        self.conn
            .query_row(
                &format!("{HAZARD_SELECT} WHERE h.id = ?1"),
                [id],
                hazard_from_row,
            )
            .optional()
            .map_err(|e| self.db_err(e))
    }

    /// Open (or escalated) hazards at a building from earlier visits, recurring ones first,
    /// then by deadline.
    pub fn open_hazards_at(&self, building_id: &str) -> Result<Vec<HazardRow>> {
        let mut st = self
            .conn
            .prepare_cached(&format!(
                "{HAZARD_SELECT} WHERE s.building_id = ?1 AND s.status IN ('open', 'escalated')
                 ORDER BY h.recurrence > 0 DESC, u.number, s.deadline, h.found_at"
            ))
            .map_err(|e| self.db_err(e))?;
        let rows = st
            .query_map([building_id], hazard_from_row)
            .map_err(|e| self.db_err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.db_err(e))
    }

    /// A hazard's history, oldest first (in the order every database reads it).
    pub fn hazard_history(&self, hazard_id: &str) -> Result<Vec<HazardEvent>> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT e.action, e.at, e.old_value, e.new_value, e.id, e.parent_id, e.note, ifnull(p.name, ifnull(q.name, '')) FROM event e
                 LEFT JOIN person p ON p.id = e.person_id
                 LEFT JOIN id_alias a ON a.old_id = e.person_id
                 LEFT JOIN person q ON q.id = a.new_id
                 WHERE e.entity = 'hazard' AND e.entity_id = ?1 ORDER BY e.at, e.device_id, e.seq",
            )
            .map_err(|e| self.db_err(e))?;
        let mut fold = HazardFold::new("");
        let rows = st
            .query_map([hazard_id], |r| {
                let step = HazardStep::from_row(r)?;
                fold.step(&step);
                Ok(HazardEvent {
                    at: step.at,
                    by: r.get(7)?,
                    kind: HazardEventKind::parse(&step.action)
                        .unwrap_or(HazardEventKind::StillOpen),
                    old_value: step.old_value,
                    new_value: step.new_value,
                    note: r.get(6)?,
                    concurrent: fold.concurrent.last() == Some(&step.id),
                })
            })
            .map_err(|e| self.db_err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.db_err(e))
    }

    /// Apply an action to a hazard after checking it is allowed. `Ok(Err(..))` means refused,
    /// with nothing changed. The check and the write are one `BEGIN IMMEDIATE` transaction,
    /// so two programs acting on the same hazard at once cannot both pass the check.
    pub fn hazard_action(
        &mut self,
        hazard_id: &str,
        action: &HazardAction,
        by: Option<&str>,
    ) -> Result<std::result::Result<(), ActionRefused>> {
        let today = self.clock.today();
        let at = self.now_stamp();
        let device = self.device_id.clone();
        self.write(|tx| {
            let h = tx
                .query_row(
                    &format!("{HAZARD_SELECT} WHERE h.id = ?1"),
                    [hazard_id],
                    hazard_from_row,
                )
                .optional()?;
            let Some(h) = h else {
                return Ok(Err(ActionRefused::NoSuchHazard(hazard_id.to_string())));
            };
            let (kind, old, new, note) = match decide(&h, action, today) {
                Ok(v) => v,
                Err(refused) => return Ok(Err(refused)),
            };
            append_hazard_event(
                tx,
                &device,
                &at,
                &h.id,
                kind,
                by,
                old.as_deref(),
                new.as_deref(),
                &note,
            )?;
            Ok(Ok(()))
        })
    }

    /// Counts for the start screen: open, due today, overdue.
    pub fn due_counts(&self) -> Result<OpenCounts> {
        let t = self.clock.today().format("%Y-%m-%d").to_string();
        self.conn
            .query_row(
                "SELECT ifnull(sum(n), 0), ifnull(sum(CASE WHEN deadline = ?1 THEN n END), 0),
                        ifnull(sum(CASE WHEN deadline < ?1 THEN n END), 0)
                 FROM open_tally",
                [t],
                OpenCounts::from_row,
            )
            .map_err(|e| self.db_err(e))
    }
}

/// The event an action on a hazard in its current state makes: (kind, old value, new value,
/// note), or why the rules refuse it.
fn decide(
    h: &HazardRow,
    action: &HazardAction,
    today: NaiveDate,
) -> std::result::Result<(HazardEventKind, Option<String>, Option<String>, String), ActionRefused> {
    let open = h.is_open();
    let clean = |s: &str| crate::domain::text::clean(s);
    if h.status == HazardStatus::Voided {
        return Err(ActionRefused::Withdrawn);
    }
    Ok(match action {
        HazardAction::Rectify { note } => {
            if !open {
                return Err(ActionRefused::AlreadyRectified);
            }
            (HazardEventKind::Rectified, None, None, clean(note))
        }
        HazardAction::StillOpen { note } => {
            if !open {
                return Err(ActionRefused::AlreadyRectified);
            }
            (HazardEventKind::StillOpen, None, None, clean(note))
        }
        HazardAction::Extend { to, reason } => {
            if !open {
                return Err(ActionRefused::AlreadyRectified);
            }
            if *to < today {
                return Err(ActionRefused::DeadlineInPast(*to));
            }
            if let Some(d) = h.deadline_date().filter(|d| *to <= *d) {
                return Err(ActionRefused::DeadlineNotLater(d));
            }
            let reason = clean(reason);
            if reason.is_empty() {
                return Err(ActionRefused::ReasonRequired);
            }
            (
                HazardEventKind::Extended,
                Some(h.deadline.clone()),
                Some(to.format("%Y-%m-%d").to_string()),
                reason,
            )
        }
        HazardAction::Escalate { to, note } => {
            if !open {
                return Err(ActionRefused::AlreadyRectified);
            }
            let to = clean(to);
            if to.is_empty() {
                return Err(ActionRefused::RecipientRequired);
            }
            (
                HazardEventKind::Escalated,
                h.escalated_to.clone(),
                Some(to),
                clean(note),
            )
        }
        HazardAction::OfficeResponse { note } => {
            if h.status != HazardStatus::Escalated {
                return Err(ActionRefused::NotEscalated);
            }
            let note = clean(note);
            if note.is_empty() {
                return Err(ActionRefused::ReasonRequired);
            }
            (HazardEventKind::OfficeResponse, None, None, note)
        }
        HazardAction::Assign { to, note } => {
            if !open {
                return Err(ActionRefused::AlreadyRectified);
            }
            let to = clean(to);
            if to.is_empty() {
                return Err(ActionRefused::RecipientRequired);
            }
            (HazardEventKind::Assigned, None, Some(to), clean(note))
        }
        HazardAction::Reopen { reason } => {
            if open {
                return Err(ActionRefused::NotRectified);
            }
            let reason = clean(reason);
            if reason.is_empty() {
                return Err(ActionRefused::ReasonRequired);
            }
            (HazardEventKind::Reopened, None, None, reason)
        }
    })
}

impl Store {
    /// The ids of the hazards in one status, oldest found first.
    pub fn hazard_ids_with_status(&self, status: HazardStatus) -> Result<Vec<String>> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT h.id FROM hazard_state s JOIN hazard h ON h.id = s.hazard_id
                 WHERE s.status = ?1 ORDER BY h.found_at, h.id",
            )
            .map_err(|e| self.db_err(e))?;
        let rows = st
            .query_map([status.code()], |r| r.get(0))
            .map_err(|e| self.db_err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.db_err(e))
    }
}
