//! Whether the database is sound: SQLite's own checks, and the journal's (the chains and
//! their heads, the seals, the hazard states against their events, the tallies).

use super::Store;
use super::hazard_state::{HazardFold, HazardStep, STEP_COLUMNS};
use super::journal::{EVENT_ORDER, SEALED, column_count, digest_of, event_hash, hashed_fields};
use super::stats::{in_force_answers, visits_in_force};
use crate::domain::clock::Hlc;
use crate::error::Result;
use rusqlite::Connection;
use rusqlite::{OptionalExtension, params};

impl Store {
    /// SQLite's integrity check, the foreign-key check, the event hash chains and their heads,
    /// every fact against its seal, every hazard's state against its events, and the tallies.
    /// Returns the problems found (empty when all is well).
    pub fn check(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let mut st = self
            .conn
            .prepare("PRAGMA integrity_check")
            .map_err(|e| self.db_err(e))?;
        let rows = st
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(|e| self.db_err(e))?;
        for r in rows {
            let r = r.map_err(|e| self.db_err(e))?;
            if r != "ok" {
                problems.push(format!("integrity: {r}"));
            }
        }
        let mut st = self
            .conn
            .prepare("PRAGMA foreign_key_check")
            .map_err(|e| self.db_err(e))?;
        let rows = st
            .query_map([], |r| {
                Ok(format!(
                    "foreign key: {} row {:?} -> {}",
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<i64>>(1)?,
                    r.get::<_, String>(2)?
                ))
            })
            .map_err(|e| self.db_err(e))?;
        for r in rows {
            problems.push(r.map_err(|e| self.db_err(e))?);
        }
        if let Some(bad) = self.verify_event_chain()? {
            problems.push(bad);
        }
        problems.extend(self.verify_against_backup()?);
        problems.extend(self.verify_seals()?);
        problems.extend(self.verify_hazard_states()?);
        problems.extend(self.verify_tallies()?);
        Ok(problems)
    }
}

impl Store {
    /// Compare the tallies with a count from the hazards themselves.
    pub fn verify_tallies(&self) -> Result<Vec<String>> {
        let checks = [
            (
                "open_tally",
                "SELECT deadline, category, status, n FROM open_tally WHERE n <> 0
                 EXCEPT SELECT s.deadline, h.category, s.status, count(*) FROM hazard_state s JOIN hazard h ON h.id = s.hazard_id
                        WHERE s.status IN ('open', 'escalated') GROUP BY 1, 2, 3",
                "SELECT s.deadline, h.category, s.status, count(*) FROM hazard_state s JOIN hazard h ON h.id = s.hazard_id
                        WHERE s.status IN ('open', 'escalated') GROUP BY 1, 2, 3
                 EXCEPT SELECT deadline, category, status, n FROM open_tally WHERE n <> 0",
            ),
            (
                "status_tally",
                "SELECT status, category, n, 0 FROM status_tally WHERE n <> 0
                 EXCEPT SELECT s.status, h.category, count(*), 0 FROM hazard_state s JOIN hazard h ON h.id = s.hazard_id GROUP BY 1, 2",
                "SELECT s.status, h.category, count(*), 0 FROM hazard_state s JOIN hazard h ON h.id = s.hazard_id GROUP BY 1, 2
                 EXCEPT SELECT status, category, n, 0 FROM status_tally WHERE n <> 0",
            ),
            (
                "visit_day",
                "SELECT building_id, day, 0, 0 FROM visit_day
                 EXCEPT SELECT a.building_id, p.day, 0, 0 FROM answer a JOIN patrol p ON p.id = a.patrol_id
                        WHERE a.value <> 'cleared'",
                "SELECT a.building_id, p.day, 0, 0 FROM answer a JOIN patrol p ON p.id = a.patrol_id
                        WHERE a.value <> 'cleared'
                 EXCEPT SELECT building_id, day, 0, 0 FROM visit_day",
            ),
            (
                "visit_tally",
                concat!(
                    "SELECT patrol_id, building_id, in_force, 0 FROM visit_tally WHERE in_force <> 0 EXCEPT ",
                    visits_in_force!()
                ),
                concat!(
                    visits_in_force!(),
                    " EXCEPT SELECT patrol_id, building_id, in_force, 0 FROM visit_tally WHERE in_force <> 0"
                ),
            ),
            (
                "answer_tally",
                concat!(
                    "SELECT in_force, 0, 0, 0 FROM answer_tally EXCEPT SELECT count(*), 0, 0, 0 FROM (",
                    in_force_answers!(),
                    ")"
                ),
                concat!(
                    "SELECT count(*), 0, 0, 0 FROM (",
                    in_force_answers!(),
                    ") EXCEPT SELECT in_force, 0, 0, 0 FROM answer_tally"
                ),
            ),
        ];
        let mut problems = Vec::new();
        for (name, a, b) in checks {
            for sql in [a, b] {
                let n: i64 = self
                    .conn
                    .query_row(&format!("SELECT count(*) FROM ({sql})"), [], |r| r.get(0))
                    .map_err(|e| self.db_err(e))?;
                if n > 0 {
                    problems.push(format!("{name}: {n} count(s) differ from the records"));
                    break;
                }
            }
        }
        Ok(problems)
    }

    /// Walk the event log and check every entry's hash and its link to the one before it in
    /// its device's chain (before seals, one chain for the whole log), and that each chain
    /// still ends at its recorded head. Returns a description of the first entry that was
    /// changed or removed.
    pub fn verify_event_chain(&self) -> Result<Option<String>> {
        let db = |e| self.db_err(e);
        // Events up to this one were chained as one log (databases from before seals), by
        // the devices named (in practice only ever one).
        let legacy_end: i64 = self
            .conn
            .query_row(
                "SELECT ifnull((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'chain_per_device_after'), 0)",
                [],
                |r| r.get(0),
            )
            .map_err(db)?;
        let legacy: Vec<String> = self
            .meta(super::meta::MetaKey::ChainLegacyDevices)?
            .unwrap_or_default()
            .split(',')
            .filter(|d| !d.is_empty())
            .map(str::to_owned)
            .collect();
        let mut st = self
            .conn
            .prepare(&format!(
                "SELECT {LINK_COLUMNS} FROM event
                 ORDER BY (CASE WHEN seq <= ?1 AND instr(',' || ?2 || ',', ',' || device_id || ',') > 0
                                THEN 0 ELSE 1 END), device_id, seq"
            ))
            .map_err(db)?;
        let mut rows = st
            .query(params![legacy_end, legacy.join(",")])
            .map_err(db)?;
        let mut last_global = String::new();
        let mut last: std::collections::HashMap<String, (i64, String)> = Default::default();
        while let Some(r) = rows.next().map_err(db)? {
            let link = Link::from_row(r).map_err(db)?;
            let in_legacy = link.seq <= legacy_end && legacy.contains(&link.device);
            let (last_seq, expected) = match last.get(&link.device) {
                Some((s, h)) if !in_legacy => (*s, h.clone()),
                _ if in_legacy => (0, last_global.clone()),
                _ => (0, String::new()),
            };
            if let Some(problem) = link.problem(&expected, if in_legacy { 0 } else { last_seq }) {
                return Ok(Some(format!("event log: {problem}")));
            }
            if in_legacy {
                last_global = link.hash.clone();
            }
            last.insert(link.device, (link.seq, link.hash));
        }
        drop(rows);
        let heads: Vec<(String, i64, String)> = self
            .conn
            .prepare("SELECT device_id, seq, hash FROM chain_head ORDER BY device_id")
            .and_then(|mut st| {
                st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                    .collect()
            })
            .map_err(db)?;
        for (device, seq, hash) in heads {
            match last.get(&device) {
                Some((s, h)) if *s == seq && *h == hash => {}
                Some((s, _)) if *s < seq => {
                    return Ok(Some(format!(
                        "event log: the events after #{s} were removed (the chain of device {device} ended at #{seq})"
                    )));
                }
                None => {
                    return Ok(Some(format!(
                        "event log: every event of device {device} was removed (its chain ended at #{seq})"
                    )));
                }
                Some((s, _)) => {
                    return Ok(Some(format!(
                        "event log: the chain of device {device} ends at #{s}, not at its recorded head #{seq}"
                    )));
                }
            }
        }
        Ok(None)
    }

    /// Every sealed row against its seal: a row changed, added or removed outside the app is
    /// named (at most `MAX_NAMED` per table, then a count).
    pub fn verify_seals(&self) -> Result<Vec<String>> {
        const MAX_NAMED: usize = 10;
        let db = |e| self.db_err(e);
        let mut problems = Vec::new();
        for t in SEALED {
            let n = column_count(t.columns);
            let sql = format!(
                "SELECT {label}, {cols}, s.digest FROM {table} t
                 LEFT JOIN row_seal s ON s.tbl = '{table}' AND s.row_id = t.id",
                label = t.label,
                cols = t.columns,
                table = t.table
            );
            let mut st = self.conn.prepare(&sql).map_err(db)?;
            let mut rows = st.query([]).map_err(db)?;
            let (mut changed, mut added) = (Vec::new(), Vec::new());
            while let Some(r) = rows.next().map_err(db)? {
                let label: String = r
                    .get::<_, Option<rusqlite::types::Value>>(0)
                    .map(|v| match v {
                        Some(rusqlite::types::Value::Text(s)) => s,
                        Some(rusqlite::types::Value::Integer(i)) => i.to_string(),
                        _ => String::new(),
                    })
                    .map_err(db)?;
                let digest = digest_of(r, 1, n).map_err(db)?;
                match r.get::<_, Option<Vec<u8>>>(n + 1).map_err(db)? {
                    Some(sealed) if sealed == digest => {}
                    Some(_) => changed.push(label),
                    None => added.push(label),
                }
            }
            let removed: i64 = self
                .conn
                .query_row(
                    &format!(
                        "SELECT count(*) FROM row_seal s WHERE s.tbl = '{0}'
                           AND NOT EXISTS (SELECT 1 FROM {0} t WHERE t.id = s.row_id)",
                        t.table
                    ),
                    [],
                    |r| r.get(0),
                )
                .map_err(db)?;
            let name = |v: &[String]| {
                let mut s: Vec<String> = v
                    .iter()
                    .take(MAX_NAMED)
                    .map(|x| crate::domain::text::clean(x))
                    .collect();
                if v.len() > MAX_NAMED {
                    s.push(format!("and {} more", v.len() - MAX_NAMED));
                }
                s.join(", ")
            };
            if !changed.is_empty() {
                problems.push(format!(
                    "{}: {} row(s) changed outside the app: {}",
                    t.table,
                    changed.len(),
                    name(&changed)
                ));
            }
            if !added.is_empty() {
                problems.push(format!(
                    "{}: {} row(s) added outside the app: {}",
                    t.table,
                    added.len(),
                    name(&added)
                ));
            }
            if removed > 0 {
                problems.push(format!(
                    "{}: {removed} row(s) removed outside the app",
                    t.table
                ));
            }
        }
        Ok(problems)
    }

    /// Every hazard's stored state against the state its events give, and every event's old
    /// value against the state before it.
    pub fn verify_hazard_states(&self) -> Result<Vec<String>> {
        const MAX_NAMED: usize = 10;
        let db = |e| self.db_err(e);
        let mut st = self
            .conn
            .prepare(
                "SELECT h.id, h.number, h.deadline, s.status, s.deadline, s.closed_day, s.escalated_to
                 FROM hazard h LEFT JOIN hazard_state s ON s.hazard_id = h.id ORDER BY h.id",
            )
            .map_err(db)?;
        let mut ev = self
            .conn
            .prepare(&format!(
                "SELECT {STEP_COLUMNS}, entity_id FROM event
                     WHERE entity = 'hazard' ORDER BY entity_id, {EVENT_ORDER}"
            ))
            .map_err(db)?;
        let mut events = ev.query([]).map_err(db)?;
        let next_event = |events: &mut rusqlite::Rows| -> Result<Option<(String, HazardStep)>> {
            match events.next().map_err(db)? {
                Some(r) => Ok(Some((
                    r.get(6).map_err(db)?,
                    HazardStep::from_row(r).map_err(db)?,
                ))),
                None => Ok(None),
            }
        };
        let mut pending = next_event(&mut events)?;
        let mut problems = Vec::new();
        let mut bad = 0usize;
        let mut rows = st.query([]).map_err(db)?;
        while let Some(r) = rows.next().map_err(db)? {
            let id: String = r.get(0).map_err(db)?;
            let number: String = r.get(1).map_err(db)?;
            let deadline: String = r.get(2).map_err(db)?;
            let stored: Option<String> = r.get(3).map_err(db)?;
            let mut fold = HazardFold::new(&deadline);
            // Events of hazards that sort before this one have no hazard: skip them here (the
            // seals name a removed hazard).
            while pending.as_ref().is_some_and(|(e, _)| *e < id) {
                pending = next_event(&mut events)?;
            }
            while pending.as_ref().is_some_and(|(e, _)| *e == id) {
                if let Some((_, step)) = &pending {
                    fold.step(step);
                }
                pending = next_event(&mut events)?;
            }
            let agrees = stored.as_deref() == Some(fold.status.code())
                && r.get::<_, Option<String>>(4).map_err(db)?.as_deref()
                    == Some(fold.deadline.as_str())
                && r.get::<_, Option<String>>(5).map_err(db)? == fold.closed_day
                && r.get::<_, Option<String>>(6).map_err(db)? == fold.escalated_to;
            let number = crate::domain::text::clean(&number);
            if !agrees {
                bad += 1;
                if bad <= MAX_NAMED {
                    problems.push(format!(
                        "hazard {number}: its state ({}) disagrees with its events ({})",
                        stored.as_deref().unwrap_or("none"),
                        fold.status.code()
                    ));
                }
            }
            for m in fold.mismatches.iter().take(MAX_NAMED) {
                bad += 1;
                if bad <= MAX_NAMED {
                    problems.push(format!("hazard {number}: its history was edited: {m}"));
                }
            }
        }
        if bad > MAX_NAMED {
            problems.push(format!(
                "hazards: {} more disagree with their events",
                bad - MAX_NAMED
            ));
        }
        Ok(problems)
    }

    /// The chain heads kept in a second place: every event that the newest automatic backup
    /// holds must still be in the log, unchanged. A log cut back and its head rewritten to
    /// match is caught here (and by the office, which holds the heads the laptops sent).
    pub fn verify_against_backup(&self) -> Result<Vec<String>> {
        let Some(backup) = super::backups::newest_backup(&self.path) else {
            return Ok(Vec::new());
        };
        // A restore puts back an older log on purpose: backups of that day or before hold
        // events it never had.
        if let Some(restored) = self.meta(super::meta::MetaKey::RestoredOn)? {
            let day = backup
                .file_stem()
                .map(|n| n.to_string_lossy().into_owned())
                .and_then(|n| n.rsplit("-auto-").next().map(str::to_owned))
                .unwrap_or_default();
            if day <= restored {
                return Ok(Vec::new());
            }
        }
        let Ok(b) = rusqlite::Connection::open_with_flags(
            &backup,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        ) else {
            return Ok(Vec::new());
        };
        // The backup's last event of each device (any backup, with or without chain_head).
        let heads: Vec<(String, i64, String)> = match b
            .prepare(
                "SELECT e.device_id, e.seq, e.hash FROM event e
                 WHERE e.seq = (SELECT max(seq) FROM event f WHERE f.device_id = e.device_id)",
            )
            .and_then(|mut st| {
                st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                    .collect::<rusqlite::Result<Vec<_>>>()
            }) {
            Ok(h) => h,
            // Not a readable backup: the daily check of backups reports that, not this one.
            Err(_) => return Ok(Vec::new()),
        };
        let name = backup
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut problems = Vec::new();
        for (device, seq, hash) in heads {
            let live: Option<(String, String)> = self
                .conn
                .query_row(
                    "SELECT device_id, hash FROM event WHERE device_id = ?1 AND seq = ?2",
                    params![device, seq],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(|e| self.db_err(e))?;
            if live != Some((device.clone(), hash)) {
                problems.push(format!(
                    "event log: event #{seq} of device {device}, kept in the backup {name}, was removed or changed"
                ));
            }
        }
        Ok(problems)
    }
}

/// The columns `Link::from_row` reads, in order.
const LINK_COLUMNS: &str = "seq, id, at, device_id, person_id, entity, entity_id, action, \
     old_value, new_value, note, prev_hash, hash, parent_id, hlc";

/// One event as its chain is checked: its place in its device's chain, the hash it links to,
/// its stored hash, and whether that hash still matches its content.
struct Link {
    seq: i64,
    id: String,
    device: String,
    prev_hash: String,
    hash: String,
    intact: bool,
}

impl Link {
    fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Link> {
        let get = |i: usize| -> rusqlite::Result<String> {
            Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default())
        };
        let f: Vec<String> = (1..=10).map(get).collect::<rusqlite::Result<_>>()?;
        let prev_hash = get(11)?;
        let hash = get(12)?;
        let parent: Option<String> = r.get(13)?;
        let fields = [
            f[0].as_str(),
            &f[1],
            &f[2],
            &f[3],
            &f[4],
            &f[5],
            &f[6],
            &f[7],
            &f[8],
            &f[9],
        ];
        let hlc: Option<i64> = r.get(14)?;
        let hlc_text = hlc.map(|h| h.to_string());
        // An event made since the hybrid clock has its stamp in its hash; one from before has
        // exactly the stamp of its instant, which the upgrade gave it (so its place in the
        // order cannot have been moved either).
        let legacy = crate::domain::clock::parse_stamp(&f[1])
            .map(|t| Hlc::from_millis(t.timestamp() * 1000).stored());
        let intact = event_hash(
            &prev_hash,
            &hashed_fields(&fields, parent.as_deref(), hlc_text.as_deref()),
        ) == hash
            || (hlc.is_some()
                && hlc == legacy
                && event_hash(&prev_hash, &hashed_fields(&fields, parent.as_deref(), None))
                    == hash);
        Ok(Link {
            seq: r.get(0)?,
            id: f[0].clone(),
            device: f[2].clone(),
            prev_hash,
            hash,
            intact,
        })
    }

    /// What is wrong with this event, following `expected` (the hash of the event before it;
    /// `last_seq` that event's place, 0 if unknown): a gap, a changed or removed entry before
    /// it, or itself changed.
    fn problem(&self, expected: &str, last_seq: i64) -> Option<String> {
        let (seq, device) = (self.seq, &self.device);
        if self.prev_hash != expected {
            return Some(if last_seq > 0 && seq == last_seq + 2 {
                format!(
                    "device {device} has a gap: its event #{} is missing",
                    last_seq + 1
                )
            } else if last_seq > 0 && seq > last_seq + 2 {
                format!(
                    "device {device} has a gap: events #{} to #{} are missing",
                    last_seq + 1,
                    seq - 1
                )
            } else {
                format!(
                    "the entry before event #{seq} of device {device} ({}) was changed or removed",
                    self.id
                )
            });
        }
        (!self.intact).then(|| format!("event #{seq} of device {device} ({}) was changed", self.id))
    }
}

/// The first problem of one device's chain, walked in order (after records from it were
/// applied). Devices of the old single chain (from before seals) are left to `check`.
pub(crate) fn chain_problem(conn: &Connection, device: &str) -> rusqlite::Result<Option<String>> {
    let legacy: String = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'chain_legacy_devices'",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_default();
    if legacy.split(',').any(|d| d == device) {
        return Ok(None);
    }
    let mut st = conn.prepare_cached(&format!(
        "SELECT {LINK_COLUMNS} FROM event WHERE device_id = ?1 ORDER BY seq"
    ))?;
    let mut rows = st.query([device])?;
    let (mut last_seq, mut last_hash) = (0i64, String::new());
    while let Some(r) = rows.next()? {
        let link = Link::from_row(r)?;
        if let Some(problem) = link.problem(&last_hash, last_seq) {
            return Ok(Some(problem));
        }
        last_seq = link.seq;
        last_hash = link.hash;
    }
    Ok(None)
}
