//! A hazard's derived state: its events folded into one status (`HazardFold`), written to
//! `hazard_state` and moved in the tallies with every change. The state is never written
//! directly: `append_hazard_event` logs the event in the journal and rebuilds it.

use super::journal::{EVENT_ORDER, NewEvent, log_event};
use crate::domain::{HazardEventKind, HazardStatus};
use rusqlite::{OptionalExtension, Transaction, params};

/// Append a hazard event and rebuild the hazard's state from all its events.
#[allow(clippy::too_many_arguments)]
pub(crate) fn append_hazard_event(
    tx: &Transaction,
    device: &str,
    at: &str,
    hazard_id: &str,
    kind: HazardEventKind,
    by: Option<&str>,
    old_value: Option<&str>,
    new_value: Option<&str>,
    note: &str,
) -> rusqlite::Result<()> {
    log_event(
        tx,
        device,
        &NewEvent {
            at,
            person_id: by,
            entity: "hazard",
            entity_id: hazard_id,
            action: kind.code(),
            old_value,
            new_value,
            note,
        },
    )?;
    rebuild_hazard_state(tx, hazard_id)
}

/// A hazard's derived state, as far as the tallies are concerned.
pub(crate) struct TallyState<'a> {
    pub status: HazardStatus,
    pub deadline: &'a str,
    pub closed_day: Option<&'a str>,
}

/// Move a hazard from one state to another in the tallies (`old` None for a new hazard).
pub(crate) fn tally(
    tx: &rusqlite::Connection,
    category: &str,
    found_day: &str,
    old: Option<&TallyState>,
    new: &TallyState,
) -> rusqlite::Result<()> {
    let open = |s: HazardStatus| matches!(s, HazardStatus::Open | HazardStatus::Escalated);
    let bump = |sql: &str, p: &[&dyn rusqlite::ToSql]| {
        tx.prepare_cached(sql)
            .and_then(|mut st| st.execute(p))
            .map(|_| ())
    };
    const OPEN: &str =
        "INSERT INTO open_tally (deadline, category, status, n) VALUES (?1, ?2, ?3, ?4)
        ON CONFLICT (deadline, category, status) DO UPDATE SET n = n + excluded.n";
    const STATUS: &str = "INSERT INTO status_tally (status, category, n) VALUES (?1, ?2, ?3)
        ON CONFLICT (status, category) DO UPDATE SET n = n + excluded.n";
    const FOUND: &str = "INSERT INTO daily_tally (day, found) VALUES (?1, ?2)
        ON CONFLICT (day) DO UPDATE SET found = found + excluded.found";
    const FIXED: &str = "INSERT INTO daily_tally (day, rectified) VALUES (?1, ?2)
        ON CONFLICT (day) DO UPDATE SET rectified = rectified + excluded.rectified";
    let counted = |s: HazardStatus| s != HazardStatus::Voided;
    if let Some(o) = old {
        if open(o.status) {
            bump(OPEN, &[&o.deadline, &category, &o.status.code(), &-1])?;
        }
        bump(STATUS, &[&o.status.code(), &category, &-1])?;
        if counted(o.status) {
            bump(FOUND, &[&found_day, &-1])?;
        }
        if let (HazardStatus::Rectified, Some(d)) = (o.status, o.closed_day) {
            bump(FIXED, &[&d, &-1])?;
        }
    }
    if open(new.status) {
        bump(OPEN, &[&new.deadline, &category, &new.status.code(), &1])?;
    }
    bump(STATUS, &[&new.status.code(), &category, &1])?;
    if counted(new.status) {
        bump(FOUND, &[&found_day, &1])?;
    }
    if let (HazardStatus::Rectified, Some(d)) = (new.status, new.closed_day) {
        bump(FIXED, &[&d, &1])?;
    }
    Ok(())
}

/// One hazard event as the fold reads it.
pub(crate) struct HazardStep {
    pub action: String,
    pub at: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub id: String,
    pub parent: Option<String>,
}

/// The columns `HazardStep::from_row` reads, in order.
pub(crate) const STEP_COLUMNS: &str = "action, at, old_value, new_value, id, parent_id";

impl HazardStep {
    pub(crate) fn from_row(r: &rusqlite::Row) -> rusqlite::Result<HazardStep> {
        Ok(HazardStep {
            action: r.get(0)?,
            at: r.get(1)?,
            old_value: r.get(2)?,
            new_value: r.get(3)?,
            id: r.get(4)?,
            parent: r.get(5)?,
        })
    }
}

/// How strongly an event sets a hazard's status within one round: a later round (after a
/// reopen) always wins; within a round the strongest event wins, whatever order the events
/// arrived in. So a rectification on one laptop and an escalation on another give
/// "rectified" everywhere.
fn rank(kind: HazardEventKind) -> Option<u8> {
    match kind {
        HazardEventKind::Created | HazardEventKind::Reopened => Some(1),
        HazardEventKind::Escalated => Some(2),
        HazardEventKind::Rectified => Some(3),
        HazardEventKind::Voided => Some(4),
        HazardEventKind::StillOpen
        | HazardEventKind::Extended
        | HazardEventKind::OfficeResponse
        | HazardEventKind::Assigned => None,
    }
}

/// A hazard's state folded from its events in `EVENT_ORDER`: the one rule that derives the
/// state, used to rebuild it and to check it. It gives the same state for the same events on
/// every database, whatever order they arrived in. `mismatches` counts events whose old value
/// is not the state before them (a history that was edited); an event that did not follow
/// the one before it (it was made concurrently on another device) is in `concurrent` and is
/// not held to that.
pub(crate) struct HazardFold {
    pub status: HazardStatus,
    pub deadline: String,
    pub closed_day: Option<String>,
    pub escalated_to: Option<String>,
    pub updated: String,
    pub mismatches: Vec<String>,
    pub concurrent: Vec<String>,
    best: u8,
    last_id: Option<String>,
}

impl HazardFold {
    pub(crate) fn new(deadline: &str) -> HazardFold {
        HazardFold {
            status: HazardStatus::Open,
            deadline: deadline.to_string(),
            closed_day: None,
            escalated_to: None,
            updated: String::new(),
            mismatches: Vec::new(),
            concurrent: Vec::new(),
            best: 0,
            last_id: None,
        }
    }

    pub(crate) fn step(&mut self, e: &HazardStep) {
        let Some(kind) = HazardEventKind::parse(&e.action) else {
            return;
        };
        let concurrent = e.parent.is_some() && e.parent != self.last_id;
        if concurrent {
            self.concurrent.push(e.id.clone());
        }
        match kind {
            HazardEventKind::Extended => {
                if !concurrent && e.old_value.as_deref() != Some(self.deadline.as_str()) {
                    self.mismatches.push(format!(
                        "extended at {} from {:?}, but the deadline was {}",
                        e.at,
                        e.old_value.as_deref().unwrap_or(""),
                        self.deadline
                    ));
                }
                if let Some(d) = &e.new_value {
                    self.deadline = d.clone();
                }
            }
            HazardEventKind::Escalated => {
                let before = self.escalated_to.as_deref().filter(|s| !s.is_empty());
                let old = e.old_value.as_deref().filter(|s| !s.is_empty());
                if !concurrent && old != before {
                    self.mismatches.push(format!(
                        "escalated at {} from {:?}, but it was {:?}",
                        e.at,
                        old.unwrap_or(""),
                        before.unwrap_or("")
                    ));
                }
                self.escalated_to = e.new_value.clone();
            }
            HazardEventKind::Reopened => self.best = 0,
            _ => {}
        }
        if let Some(r) = rank(kind).filter(|r| *r >= self.best) {
            self.best = r;
            self.status = kind.next_status(self.status);
            self.closed_day = match kind {
                HazardEventKind::Rectified | HazardEventKind::Voided => {
                    e.at.get(..10).map(str::to_owned)
                }
                _ => None,
            };
        }
        self.updated = e.at.clone();
        self.last_id = Some(e.id.clone());
    }
}

/// Derive `hazard_state` from the hazard row and its events, and move it in the tallies.
pub(crate) fn rebuild_hazard_state(tx: &Transaction, hazard_id: &str) -> rusqlite::Result<()> {
    let (building, mut deadline, category, found_day): (String, String, String, String) = tx
        .query_row(
            "SELECT building_id, deadline, category, found_day FROM hazard WHERE id = ?1",
            [hazard_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
    let old: Option<(String, String, Option<String>)> = tx
        .query_row(
            "SELECT status, deadline, closed_day FROM hazard_state WHERE hazard_id = ?1",
            [hazard_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let mut st = tx.prepare_cached(&format!(
        "SELECT {STEP_COLUMNS} FROM event WHERE entity = 'hazard' AND entity_id = ?1 ORDER BY {EVENT_ORDER}"
    ))?;
    let mut fold = HazardFold::new(&deadline);
    for e in st.query_map([hazard_id], HazardStep::from_row)? {
        fold.step(&e?);
    }
    let HazardFold {
        status,
        deadline: folded_deadline,
        closed_day,
        escalated_to,
        updated,
        ..
    } = fold;
    deadline = folded_deadline;
    tx.execute(
        "INSERT INTO hazard_state (hazard_id, building_id, status, deadline, updated_at, closed_day, escalated_to)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (hazard_id) DO UPDATE SET status = excluded.status, deadline = excluded.deadline,
             updated_at = excluded.updated_at, closed_day = excluded.closed_day, escalated_to = excluded.escalated_to",
        params![hazard_id, building, status.code(), deadline, updated, closed_day, escalated_to],
    )?;
    let old = old.map(|(st, d, c)| (HazardStatus::parse(&st).unwrap_or(HazardStatus::Open), d, c));
    let old_state = old.as_ref().map(|(status, d, c)| TallyState {
        status: *status,
        deadline: d,
        closed_day: c.as_deref(),
    });
    let new_state = TallyState {
        status,
        deadline: &deadline,
        closed_day: closed_day.as_deref(),
    };
    tally(tx, &category, &found_day, old_state.as_ref(), &new_state)
}
