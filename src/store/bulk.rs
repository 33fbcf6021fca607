//! Bulk loading for generated test databases (`firepatrol demo generate`): one transaction,
//! cached statements, no sync until the end. Same tables and rules as the normal writes
//! (event hash chain, derived hazard state), only faster. Never used on a real database.

use super::Store;
use super::hazard_state::{TallyState, tally};
use super::journal::{
    SEALED, chain_tip, digest_of, event_hash, hashed_fields, hlc_observe, hlc_state,
};
use crate::domain::clock::Hlc;
use crate::domain::{AnswerValue, HazardEventKind, HazardStatus, Role, Severity, SiteKind, new_id};
use crate::error::Result;
use rusqlite::params;

pub struct Bulk<'a> {
    store: &'a Store,
    device: String,
    prev_hash: String,
    seq: i64,
    answer_seq: i64,
    hlc: Hlc,
}

/// A generated hazard with its later history.
pub struct BulkHazard<'a> {
    pub number: &'a str,
    pub patrol_id: Option<&'a str>,
    pub building_id: &'a str,
    pub unit_id: Option<&'a str>,
    pub item_id: &'a str,
    pub category: &'a str,
    pub spot: &'a str,
    pub description: &'a str,
    pub severity: Severity,
    pub party: (&'a str, &'a str, &'a str),
    pub found_at: &'a str,
    pub found_by: &'a str,
    pub deadline: &'a str,
    pub previous_id: Option<&'a str>,
    pub recurrence: i64,
    /// Later events: (kind, at, new value, note).
    pub events: &'a [(HazardEventKind, String, Option<String>, &'a str)],
}

impl Store {
    /// Start a bulk load. The database should be new: commits are not synced until `finish`.
    pub fn bulk(&mut self) -> Result<Bulk<'_>> {
        let device = self.device_id.clone();
        self.conn
            .execute_batch(
                "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -200000; BEGIN IMMEDIATE;",
            )
            .map_err(|e| self.db_err(e))?;
        let (seq, prev_hash) = chain_tip(&self.conn, &device).map_err(|e| self.db_err(e))?;
        let answer_seq: i64 = self
            .conn
            .query_row("SELECT ifnull(max(seq), 0) FROM answer", [], |r| r.get(0))
            .map_err(|e| self.db_err(e))?;
        let hlc = hlc_state(&self.conn).map_err(|e| self.db_err(e))?;
        Ok(Bulk {
            store: self,
            device,
            prev_hash,
            seq,
            answer_seq,
            hlc,
        })
    }
}

impl Bulk<'_> {
    fn exec(&self, sql: &str, p: impl rusqlite::Params) -> Result<()> {
        self.store
            .conn
            .prepare_cached(sql)
            .and_then(|mut st| st.execute(p))
            .map(|_| ())
            .map_err(|e| self.store.db_err(e))
    }

    #[allow(clippy::too_many_arguments)]
    fn event(
        &mut self,
        at: &str,
        person: Option<&str>,
        entity: &str,
        entity_id: &str,
        action: &str,
        old: Option<&str>,
        new: Option<&str>,
        note: &str,
    ) -> Result<()> {
        let id = new_id();
        let fields = [
            id.as_str(),
            at,
            &self.device,
            person.unwrap_or(""),
            entity,
            entity_id,
            action,
            old.unwrap_or(""),
            new.unwrap_or(""),
            note,
        ];
        let wall = crate::domain::clock::parse_stamp(at).map_or(0, |t| t.timestamp_millis());
        self.hlc = self.hlc.tick(wall);
        let hlc = self.hlc.stored().to_string();
        let hash = event_hash(&self.prev_hash, &hashed_fields(&fields, None, Some(&hlc)));
        let device = self.device.clone();
        self.seq += 1;
        self.exec(
            "INSERT INTO event (id, seq, at, device_id, person_id, entity, entity_id, action, old_value, new_value, note, prev_hash, hash, hlc)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![id, self.seq, at, device, person, entity, entity_id, action, old, new, note, self.prev_hash, hash, self.hlc.stored()],
        )?;
        self.prev_hash = hash;
        Ok(())
    }

    /// Seal a row just inserted (as `journal::seal` does in the app).
    fn seal(&mut self, table: &str, id: &str, _at: &str) -> Result<()> {
        let Some(t) = SEALED.iter().find(|t| t.table == table) else {
            return Ok(());
        };
        let n = t.columns.split(',').count();
        let digest = self
            .store
            .conn
            .prepare_cached(&format!(
                "SELECT {} FROM {} WHERE id = ?1",
                t.columns, t.table
            ))
            .and_then(|mut st| st.query_row([id], |r| digest_of(r, 0, n)))
            .map_err(|e| self.store.db_err(e))?;
        self.exec(
            "INSERT OR REPLACE INTO row_seal (tbl, row_id, digest) VALUES (?1, ?2, ?3)",
            params![table, id, digest],
        )
    }

    pub fn community(&mut self, name: &str, at: &str) -> Result<String> {
        let id = new_id();
        self.exec(
            "INSERT INTO community (id, name, created_at, device_id) VALUES (?1, ?2, ?3, ?4)",
            params![id, name, at, self.device],
        )?;
        self.seal("community", &id, at)?;
        Ok(id)
    }

    pub fn grid(&mut self, community: &str, name: &str, at: &str) -> Result<String> {
        let id = new_id();
        self.exec(
            "INSERT INTO grid (id, community_id, name, created_at, device_id) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, community, name, at, self.device],
        )?;
        self.seal("grid", &id, at)?;
        Ok(id)
    }

    pub fn compound(
        &mut self,
        community: &str,
        grid: &str,
        name: &str,
        at: &str,
    ) -> Result<String> {
        let id = new_id();
        self.exec(
            "INSERT INTO compound (id, community_id, grid_id, name, created_at, device_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, community, grid, name, at, self.device],
        )?;
        self.seal("compound", &id, at)?;
        Ok(id)
    }

    #[allow(clippy::too_many_arguments)]
    pub fn building(
        &mut self,
        community: &str,
        grid: &str,
        compound: &str,
        name: &str,
        address: &str,
        kind: SiteKind,
        floors: i64,
        keys: &str,
        at: &str,
    ) -> Result<String> {
        let id = new_id();
        self.exec(
            "INSERT INTO building (id, community_id, grid_id, compound_id, name, address, kind, floors, search_keys, created_at, device_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![id, community, grid, compound, name, address, kind.code(), floors, keys, at, self.device],
        )?;
        self.seal("building", &id, at)?;
        Ok(id)
    }

    pub fn unit(&mut self, building: &str, number: i64, at: &str) -> Result<String> {
        let id = new_id();
        self.exec(
            "INSERT INTO unit (id, building_id, number, name, created_at, device_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, building, number, format!("{number}单元"), at, self.device],
        )?;
        self.seal("unit", &id, at)?;
        Ok(id)
    }

    pub fn person(&mut self, name: &str, role: Role, phone: &str, at: &str) -> Result<String> {
        let id = new_id();
        self.exec(
            "INSERT INTO person (id, name, role, phone, created_at, device_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, name, role.code(), phone, at, self.device],
        )?;
        self.seal("person", &id, at)?;
        Ok(id)
    }

    pub fn duty(&mut self, person: &str, building: &str, at: &str) -> Result<()> {
        let id = new_id();
        self.exec(
            "INSERT INTO duty (id, person_id, building_id, unit_id, created_at, device_id) VALUES (?1, ?2, ?3, NULL, ?4, ?5)",
            params![id, person, building, at, self.device],
        )?;
        self.seal("duty", &id, at)
    }

    pub fn patrol(&mut self, inspector: &str, day: &str, at: &str) -> Result<String> {
        let id = new_id();
        self.exec(
            "INSERT INTO patrol (id, inspector_id, day, started_at, device_id) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, inspector, day, at, self.device],
        )?;
        self.seal("patrol", &id, at)?;
        Ok(id)
    }

    #[allow(clippy::too_many_arguments)]
    pub fn answer(
        &mut self,
        patrol: &str,
        building: &str,
        unit: Option<&str>,
        item: &str,
        value: AnswerValue,
        hazard: Option<&str>,
        at: &str,
    ) -> Result<()> {
        let id = new_id();
        self.answer_seq += 1;
        self.exec(
            "INSERT INTO answer (id, seq, patrol_id, building_id, unit_id, item_id, value, hazard_id, answered_at, device_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![id, self.answer_seq, patrol, building, unit, item, value.code(), hazard, at, self.device],
        )?;
        self.seal("answer", &id, at)
    }

    /// Record that a building was patrolled on a day (once per visit, after its answers).
    pub fn visited(&mut self, building: &str, day: &str) -> Result<()> {
        self.exec(
            "INSERT INTO building_visit (building_id, last_day) VALUES (?1, ?2)
             ON CONFLICT (building_id) DO UPDATE SET last_day = max(last_day, excluded.last_day)",
            params![building, day],
        )
    }

    /// A hazard, its events and its derived state.
    pub fn hazard(&mut self, h: &BulkHazard) -> Result<String> {
        let id = new_id();
        let found_day = h.found_at.get(..10).unwrap_or(h.found_at);
        self.exec(
            "INSERT INTO hazard (id, number, patrol_id, building_id, unit_id, item_id, category, spot, description,
                severity, party_name, party_room, party_phone, found_at, found_day, found_by, deadline, fixed_on_spot,
                previous_id, recurrence, device_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, 0, ?18, ?19, ?20)",
            params![
                id, h.number, h.patrol_id, h.building_id, h.unit_id, h.item_id, h.category, h.spot, h.description,
                h.severity.code(), h.party.0, h.party.1, h.party.2, h.found_at, found_day, h.found_by, h.deadline,
                h.previous_id, h.recurrence, self.device
            ],
        )?;
        self.seal("hazard", &id, h.found_at)?;
        self.event(
            h.found_at,
            Some(h.found_by),
            "hazard",
            &id,
            "created",
            None,
            Some(h.deadline),
            h.description,
        )?;
        let (mut status, mut deadline, mut closed, mut escalated, mut updated) = (
            HazardStatus::Open,
            h.deadline.to_string(),
            None::<String>,
            None::<String>,
            h.found_at.to_string(),
        );
        for (kind, at, new, note) in h.events {
            let old = (*kind == HazardEventKind::Extended).then(|| deadline.clone());
            self.event(
                at,
                Some(h.found_by),
                "hazard",
                &id,
                kind.code(),
                old.as_deref(),
                new.as_deref(),
                note,
            )?;
            status = kind.next_status(status);
            match kind {
                HazardEventKind::Extended => deadline = new.clone().unwrap_or(deadline),
                HazardEventKind::Escalated => escalated = new.clone(),
                HazardEventKind::Rectified => closed = at.get(..10).map(str::to_owned),
                _ => {}
            }
            updated = at.clone();
        }
        self.exec(
            "INSERT INTO hazard_state (hazard_id, building_id, status, deadline, updated_at, closed_day, escalated_to)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![id, h.building_id, status.code(), deadline, updated, closed, escalated],
        )?;
        let state = TallyState {
            status,
            deadline: &deadline,
            closed_day: closed.as_deref(),
        };
        let found_day = h.found_at.get(..10).unwrap_or(h.found_at);
        tally(&self.store.conn, h.category, found_day, None, &state)
            .map_err(|e| self.store.db_err(e))?;
        Ok(id)
    }

    /// Commit, sync, and let the query planner learn the data's shape.
    pub fn finish(self) -> Result<()> {
        let s = self.store;
        hlc_observe(&s.conn, self.hlc).map_err(|e| s.db_err(e))?;
        s.conn
            .execute(
                "INSERT INTO chain_head (device_id, seq, hash)
                 SELECT device_id, seq, hash FROM event WHERE device_id = ?1 ORDER BY seq DESC LIMIT 1
                 ON CONFLICT (device_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
                [&self.device],
            )
            .map_err(|e| s.db_err(e))?;
        s.conn
            .execute_batch("COMMIT; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; ANALYZE;")
            .map_err(|e| s.db_err(e))
    }
}
