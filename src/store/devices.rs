//! Who takes part in sync: this database's own identity (in `meta`), the laptops enrolled at
//! the office, and the bundles already sent and applied. (The merge of a laptop's own lists
//! into the office's when it joins is `store::merge`.)

use super::Store;
use super::meta::MetaKey;
pub(crate) use super::meta::put_meta;
use crate::error::Result;
use rusqlite::{OptionalExtension, Transaction, params};

/// A database's part in the community.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Office,
    Laptop,
}

/// One laptop as the office knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Device {
    pub id: String,
    pub letter: String,
    pub person_id: Option<String>,
    pub person_name: String,
    pub public_key: String,
    pub added_at: String,
    pub revoked_at: Option<String>,
    pub last_sync: Option<String>,
    /// The laptop's outbox entries the office has applied.
    pub received_to: i64,
    /// The office's outbox entries the laptop has applied.
    pub acked_to: i64,
    pub rows_in: i64,
    pub bundles_in: i64,
    /// The database device ids whose rows this laptop carries.
    pub aliases: Vec<String>,
    /// How far the laptop's clock was off the office's at its last sync (seconds, + ahead).
    pub clock_offset: i64,
    /// The next reply carries everything (the laptop's acknowledgement could not be
    /// verified, or the office's outbox was started anew).
    pub send_all: bool,
    /// The laptop database that uses this enrolment (bound at its first sync).
    pub database_id: Option<String>,
    /// When another database took this enrolment's place (`join --replace`).
    pub retired_at: Option<String>,
    /// The laptop's age key (`age1…`): replies are sealed to it.
    pub age_key: Option<String>,
    /// The enrolment's one-time key (public, hex): what vouches for the keys a laptop makes.
    pub enrol_key: Option<String>,
    /// The office holds the laptop's own keys (`public_key`, `age_key`).
    pub keyed: bool,
}

/// A new laptop, as `devices add` makes it.
pub struct NewDevice<'a> {
    pub id: &'a str,
    pub letter: &'a str,
    pub person_id: Option<&'a str>,
    pub person_name: &'a str,
    /// The enrolment's one-time key (public, hex): the laptop's own keys are not known yet.
    pub enrol_key: &'a str,
    /// The office's outbox entries the enrolment file carries (the laptop has them).
    pub acked_to: i64,
}

impl Store {
    /// This database's part in sync, if any.
    pub fn sync_role(&self) -> Result<Option<Role>> {
        Ok(match self.meta(MetaKey::SyncRole)?.as_deref() {
            Some("office") => Some(Role::Office),
            Some("laptop") => Some(Role::Laptop),
            _ => None,
        })
    }

    /// Set several `meta` keys in one transaction (sync's identity and counters); from then
    /// on, if `sync_role` is set, each write's changes are kept in the outbox.
    pub fn set_sync_meta(&mut self, pairs: &[(MetaKey, &str)]) -> Result<()> {
        self.write_uncaptured(|tx| put_meta(tx, pairs))?;
        self.capture = self.meta(MetaKey::SyncRole)?.is_some();
        Ok(())
    }

    /// Forget a `meta` key (a secret that moved to the key file).
    pub fn forget_meta(&mut self, key: MetaKey) -> Result<()> {
        self.write_uncaptured(|tx| {
            tx.execute("DELETE FROM meta WHERE key = ?1", [key.as_str()])?;
            Ok(())
        })
    }

    /// The community this database keeps (the first, if it keeps several): (id, name).
    pub fn community_identity(&self) -> Result<Option<(String, String)>> {
        self.conn
            .query_row(
                "SELECT id, name FROM community ORDER BY created_at, id LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.db_err(e))
    }

    /// The next free letter for a laptop's hazard numbers: A..Z, then AA, AB, ...
    pub fn next_device_letter(&self) -> Result<String> {
        let used: Vec<String> = self
            .conn
            .prepare("SELECT letter FROM sync_device WHERE role = 'laptop'")
            .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect())
            .map_err(|e| self.db_err(e))?;
        let letters = ('A'..='Z')
            .map(String::from)
            .chain(('A'..='Z').flat_map(|a| ('A'..='Z').map(move |b| format!("{a}{b}"))));
        for l in letters {
            if !used.contains(&l) {
                return Ok(l);
            }
        }
        Ok(format!("Z{}", used.len()))
    }

    pub fn add_device(&mut self, d: &NewDevice) -> Result<()> {
        let at = self.now_stamp();
        self.write_uncaptured(|tx| {
            tx.execute(
                "INSERT INTO sync_device (id, role, person_id, person_name, letter, public_key, added_at, acked_to, enrol_key, keyed)
                 VALUES (?1, 'laptop', ?2, ?3, ?4, '', ?5, ?6, ?7, 0)",
                params![d.id, d.person_id, d.person_name, d.letter, at, d.acked_to, d.enrol_key],
            )?;
            Ok(())
        })
    }

    pub fn devices(&self) -> Result<Vec<Device>> {
        let db = |e| self.db_err(e);
        let mut st = self
            .conn
            .prepare(
                "SELECT id, letter, person_id, person_name, public_key, added_at, revoked_at, last_sync,
                        received_to, acked_to, rows_in, bundles_in,
                        ifnull((SELECT group_concat(device_id, ',') FROM sync_device_alias a WHERE a.enrolment = d.id), ''),
                        clock_offset, send_all, database_id, retired_at, age_key, enrol_key, keyed
                 FROM sync_device d WHERE role = 'laptop' ORDER BY added_at, letter",
            )
            .map_err(db)?;
        let rows = st
            .query_map([], |r| {
                let aliases: String = r.get(12)?;
                Ok(Device {
                    id: r.get(0)?,
                    letter: r.get(1)?,
                    person_id: r.get(2)?,
                    person_name: r.get(3)?,
                    public_key: r.get(4)?,
                    added_at: r.get(5)?,
                    revoked_at: r.get(6)?,
                    last_sync: r.get(7)?,
                    received_to: r.get(8)?,
                    acked_to: r.get(9)?,
                    rows_in: r.get(10)?,
                    bundles_in: r.get(11)?,
                    aliases: aliases
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect(),
                    clock_offset: r.get(13)?,
                    send_all: r.get(14)?,
                    database_id: r.get(15)?,
                    retired_at: r.get(16)?,
                    age_key: r.get(17)?,
                    enrol_key: r.get(18)?,
                    keyed: r.get(19)?,
                })
            })
            .map_err(db)?;
        rows.collect::<rusqlite::Result<_>>().map_err(db)
    }

    /// A laptop by its id, a unique prefix of it, or its letter.
    pub fn device(&self, key: &str) -> Result<Option<Device>> {
        let key = key.trim();
        let all = self.devices()?;
        let hits: Vec<Device> = all
            .into_iter()
            .filter(|d| {
                d.id == key
                    || d.letter.eq_ignore_ascii_case(key)
                    || (key.len() >= 6 && d.id.starts_with(key))
            })
            .collect();
        Ok(if hits.len() == 1 {
            hits.into_iter().next()
        } else {
            None
        })
    }

    /// A new enrolment for a laptop (`devices reenrol`): its keys are forgotten and only the
    /// new one-time key vouches for the keys it makes; the next reply carries everything. A
    /// revoked laptop is taken back by it (the revoked keys stay refused: they are forgotten).
    pub fn rekey_device(&mut self, id: &str, enrol_key: &str, acked_to: i64) -> Result<()> {
        self.write_uncaptured(|tx| {
            tx.execute(
                "UPDATE sync_device SET enrol_key = ?2, keyed = 0, public_key = '', age_key = NULL,
                     database_id = NULL, retired_at = NULL, revoked_at = NULL, send_all = 1,
                     acked_to = ?3
                 WHERE id = ?1",
                params![id, enrol_key, acked_to],
            )?;
            Ok(())
        })
    }

    /// Keep a laptop's enrolment file, sealed with its code, for `serve` to hand out until
    /// that laptop has joined and synced.
    pub fn set_enrol_file(&mut self, id: &str, file: &[u8]) -> Result<()> {
        self.write_uncaptured(|tx| {
            tx.execute(
                "UPDATE sync_device SET enrol_file = ?2 WHERE id = ?1",
                params![id, file],
            )?;
            Ok(())
        })
    }

    /// The enrolment file waiting for the laptop with `letter` (not yet joined and synced,
    /// not revoked).
    pub fn enrol_file_for(&self, letter: &str) -> Result<Option<Vec<u8>>> {
        self.conn
            .query_row(
                "SELECT enrol_file FROM sync_device
                 WHERE role = 'laptop' AND letter = ?1 AND keyed = 0 AND revoked_at IS NULL
                   AND enrol_file IS NOT NULL",
                [letter],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.db_err(e))
    }

    /// Refuse a laptop from now on. Returns false if it was revoked already.
    pub fn revoke_device(&mut self, id: &str) -> Result<bool> {
        let at = self.now_stamp();
        self.write_uncaptured(|tx| {
            Ok(tx.execute(
                "UPDATE sync_device SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
                params![id, at],
            )? == 1)
        })
    }

    /// Whether a bundle (by its hash) was applied here already.
    pub fn bundle_seen(&self, hash: &str) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sync_inbox WHERE hash = ?1)",
                [hash],
                |r| r.get(0),
            )
            .map_err(|e| self.db_err(e))
    }

    /// The database device ids a laptop already speaks for, and whether `ids` are free for
    /// it (not claimed by another laptop).
    pub fn device_ids_free_for(&self, enrolment: &str, ids: &[String]) -> Result<bool> {
        for id in ids {
            let owner: Option<String> = self
                .conn
                .query_row(
                    "SELECT enrolment FROM sync_device_alias WHERE device_id = ?1",
                    [id],
                    |r| r.get(0),
                )
                .optional()
                .map_err(|e| self.db_err(e))?;
            if owner.is_some_and(|o| o != enrolment) || *id == self.device_id {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// How many of this database's own outbox entries are not yet acknowledged, and when
    /// it last synced.
    pub fn sync_pending(&self) -> Result<(i64, Option<String>)> {
        let acked = self.meta_number(MetaKey::SyncOfficeAcked)?;
        let n: i64 = self
            .conn
            .query_row(
                "SELECT count(*) FROM sync_outbox WHERE seq > ?1 AND origin = ?2",
                params![acked, self.device_id],
                |r| r.get(0),
            )
            .map_err(|e| self.db_err(e))?;
        Ok((n, self.meta(MetaKey::SyncLast)?))
    }
}

/// Record an applied bundle, inside the apply's transaction.
pub(crate) fn record_bundle(
    tx: &Transaction,
    hash: &str,
    sender: &str,
    kind: &str,
    at: &str,
    rows: u64,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT OR IGNORE INTO sync_inbox (hash, sender, kind, applied_at, rows) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![hash, sender, kind, at, rows as i64],
    )?;
    Ok(())
}

/// At the office, after a laptop's bundle: what it has now received and acknowledged
/// (exactly: the laptop's outbox as far as this bundle went, and the office's as far as the
/// verified reply it names went), and the database ids it speaks for.
pub(crate) struct LaptopNote<'a> {
    pub enrolment: &'a str,
    pub devices: &'a [String],
    pub database: &'a str,
    /// None: the bundle was not applied (a gap), what was received stays.
    pub received_to: Option<i64>,
    /// None: the acknowledgement could not be verified; the next reply carries everything.
    pub acked_to: Option<i64>,
    /// The verified reply was a full one: the laptop has everything now.
    pub had_all: bool,
    /// The laptop asks for everything (it was restored, or missed a reply).
    pub want_all: bool,
    pub clock_offset: i64,
    pub rows: u64,
    pub at: &'a str,
}

/// At the office: the keys a laptop signs with and is sealed to from now on (taken only
/// from a bundle they sign, and, for new keys, vouched for by the enrolment's one-time key).
pub(crate) fn set_device_keys(
    tx: &Transaction,
    enrolment: &str,
    sign: &str,
    age: &str,
) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE sync_device SET public_key = ?2, age_key = ?3, keyed = 1, enrol_file = NULL
         WHERE id = ?1",
        params![enrolment, sign, age],
    )?;
    Ok(())
}

pub(crate) fn note_laptop_bundle(tx: &Transaction, n: &LaptopNote) -> rusqlite::Result<()> {
    for d in n.devices {
        tx.execute(
            "INSERT OR IGNORE INTO sync_device_alias (device_id, enrolment) VALUES (?1, ?2)",
            params![d, n.enrolment],
        )?;
    }
    tx.execute(
        "UPDATE sync_device SET last_sync = ?2,
             received_to = ifnull(?3, received_to),
             acked_to = ifnull(?4, acked_to),
             send_all = CASE WHEN ?4 IS NULL OR ?9 THEN 1 WHEN ?5 THEN 0 ELSE send_all END,
             clock_offset = ?6, database_id = ifnull(database_id, ?7),
             rows_in = rows_in + ?8, bundles_in = bundles_in + 1
         WHERE id = ?1",
        params![
            n.enrolment,
            n.at,
            n.received_to,
            n.acked_to,
            n.had_all,
            n.clock_offset,
            n.database,
            n.rows as i64,
            n.want_all
        ],
    )?;
    Ok(())
}

/// Keep what this database sent (a reply, an enrolment, a laptop's bundle), so that an
/// acknowledgement naming it can be verified.
pub(crate) fn record_sent(
    tx: &Transaction,
    hash: &str,
    to: &str,
    upto: i64,
    full: bool,
    at: &str,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT OR IGNORE INTO sync_sent (hash, to_id, upto, full, at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![hash, to, upto, full, at],
    )?;
    Ok(())
}

/// A bundle this database sent to `to`: how far it went, and whether it carried everything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sent {
    pub upto: i64,
    pub full: bool,
}

impl Store {
    pub fn sent_bundle(&self, hash: &str, to: &str) -> Result<Option<Sent>> {
        self.conn
            .query_row(
                "SELECT upto, full FROM sync_sent WHERE hash = ?1 AND to_id = ?2",
                params![hash, to],
                |r| {
                    Ok(Sent {
                        upto: r.get(0)?,
                        full: r.get(1)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.db_err(e))
    }

    /// Keep a bundle this database made (outside an apply).
    pub fn note_sent(&mut self, hash: &str, to: &str, upto: i64, full: bool) -> Result<()> {
        let at = self.now_stamp();
        self.write_uncaptured(|tx| record_sent(tx, hash, to, upto, full, &at))
    }

    /// Every device id this office knows: its own (now and before a restore), those its
    /// laptops write under, and every writer whose events it holds (a replaced laptop's).
    pub fn known_device_ids(&self) -> Result<Vec<String>> {
        let mut out = self.own_device_ids()?;
        let more: Vec<String> = self
            .conn
            .prepare(
                "SELECT device_id FROM sync_device_alias
                 UNION SELECT device_id FROM chain_head",
            )
            .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect())
            .map_err(|e| self.db_err(e))?;
        out.extend(more);
        Ok(out)
    }

    /// Take a revoked laptop back: its bundles are accepted again. Returns false if it was
    /// not revoked.
    pub fn unrevoke_device(&mut self, id: &str) -> Result<bool> {
        self.write_uncaptured(|tx| {
            Ok(tx.execute(
                "UPDATE sync_device SET revoked_at = NULL WHERE id = ?1 AND revoked_at IS NOT NULL",
                [id],
            )? == 1)
        })
    }

    /// A new laptop database takes an enrolment's place: the one before is retired (its
    /// records stay), and this one's bundles are accepted from now on.
    pub fn replace_device_database(&mut self, id: &str, database: &str) -> Result<()> {
        let at = self.now_stamp();
        self.write_uncaptured(|tx| {
            tx.execute(
                "UPDATE sync_device SET database_id = ?2, retired_at = ?3, send_all = 1 WHERE id = ?1",
                params![id, database, at],
            )?;
            // What the old database wrote is no longer the new one's own: it is sent to it.
            tx.execute("DELETE FROM sync_device_alias WHERE enrolment = ?1", [id])?;
            Ok(())
        })
    }
}
