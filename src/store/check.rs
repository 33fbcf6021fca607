//! Whether the database is sound: SQLite's own checks and the journal's.

use super::Store;
use crate::error::Result;

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
        problems.extend(self.verify_seals()?);
        problems.extend(self.verify_hazard_states()?);
        problems.extend(self.verify_tallies()?);
        Ok(problems)
    }
}
