//! The office's inbox (上报待处理): escalated hazards the office has not answered since they
//! were last escalated, oldest escalation first.

use super::Store;
use super::hazards::{HazardRow, hazard_columns, hazard_from_row, hazard_joins};
use crate::error::Result;
use rusqlite::OptionalExtension;
use std::collections::HashMap;

/// One escalation waiting for the office.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboxRow {
    pub hazard: HazardRow,
    /// When it was (last) escalated.
    pub escalated_at: String,
    /// Who escalated it (a leader's name; empty if unknown).
    pub escalated_by: String,
    /// The escalation's note.
    pub note: String,
    /// The leader asked to re-check it since (the newest), if any.
    pub assigned_to: Option<String>,
}

/// The latest escalation of hazard `h`: its event row.
const LATEST_ESCALATION: &str = "(SELECT e2.id FROM event e2
      WHERE e2.entity = 'hazard' AND e2.entity_id = h.id AND e2.action = 'escalated'
      ORDER BY e2.at DESC, e2.device_id DESC, e2.seq DESC LIMIT 1)";

/// The office's latest word on a hazard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OfficeWord {
    /// Its response (the text).
    Response(String),
    /// A leader (by name) asked to re-check.
    Assigned(String),
}

impl Store {
    /// The office's latest word (a response or an assignment) on each of these hazards that
    /// has one.
    pub fn office_words(&self, ids: &[&str]) -> Result<HashMap<String, OfficeWord>> {
        let db = |e| self.db_err(e);
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT action, ifnull(new_value, ''), note FROM event
                 WHERE entity = 'hazard' AND entity_id = ?1 AND action IN ('office_response', 'assigned')
                 ORDER BY at DESC, device_id DESC, seq DESC LIMIT 1",
            )
            .map_err(db)?;
        let mut out = HashMap::new();
        for id in ids {
            let row: Option<(String, String, String)> = st
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()
                .map_err(db)?;
            if let Some((action, value, note)) = row {
                let word = if action == "assigned" {
                    OfficeWord::Assigned(value)
                } else {
                    OfficeWord::Response(note)
                };
                out.insert((*id).to_string(), word);
            }
        }
        Ok(out)
    }

    /// The escalations waiting for the office's response: hazards whose status is escalated
    /// and that have no office response at or after their latest escalation; oldest first.
    pub fn inbox(&self) -> Result<Vec<InboxRow>> {
        let sql = format!(
            "{}, e.at, ifnull(ep.name, ifnull(eq.name, '')), e.note,
                (SELECT a.new_value FROM event a WHERE a.entity = 'hazard' AND a.entity_id = h.id
                   AND a.action = 'assigned' AND a.at >= e.at ORDER BY a.at DESC, a.seq DESC LIMIT 1)
             FROM hazard h JOIN hazard_state s ON s.hazard_id = h.id
             JOIN event e ON e.id = {LATEST_ESCALATION}
             LEFT JOIN person ep ON ep.id = e.person_id
             LEFT JOIN id_alias ia ON ia.old_id = e.person_id
             LEFT JOIN person eq ON eq.id = ia.new_id
             {}
             WHERE s.status = 'escalated'
               AND NOT EXISTS (SELECT 1 FROM event r WHERE r.entity = 'hazard' AND r.entity_id = h.id
                               AND r.action = 'office_response' AND r.at >= e.at)
             ORDER BY e.at, h.number",
            hazard_columns!(),
            hazard_joins!(),
        );
        let db = |e| self.db_err(e);
        let mut st = self.conn.prepare(&sql).map_err(db)?;
        let rows = st
            .query_map([], |r| {
                Ok(InboxRow {
                    hazard: hazard_from_row(r)?,
                    escalated_at: r.get(25)?,
                    escalated_by: r.get(26)?,
                    note: r.get(27)?,
                    assigned_to: r.get(28)?,
                })
            })
            .map_err(db)?;
        rows.collect::<rusqlite::Result<_>>().map_err(db)
    }
}
