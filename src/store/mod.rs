//! The store: one SQLite file. All SQL of the program lives in this module.
//!
//! - WAL journal with `synchronous=FULL`: every commit is on disk before it returns.
//! - `foreign_keys=ON`, a busy timeout, and every write in a `BEGIN IMMEDIATE` transaction.
//! - The file is created readable by the owner only (0600).
//! - A database written by a newer firepatrol is refused before anything is written to it.
//!
//! This file opens, migrates and holds the write transaction. The event journal (`journal`)
//! logs changes chained by hash and derives hazard state and tallies; the other files
//! are the records by kind (community, patrols, hazards, templates), the readings (ledger,
//! report, stats), copies (backups), the soundness check (check) and bulk loading (bulk).

pub mod backups;
mod bulk;
mod check;
mod community;
mod conflicts;
pub mod devices;
mod hazard_state;
mod hazards;
mod inbox;
mod journal;
mod ledger;
mod merge;
pub mod meta;
mod outbox;
mod patrol;
mod people;
mod photos;
pub mod proposals;
mod report;
mod report_lists;
pub mod schema;
mod stats;
mod summary;
pub mod sync;
mod templates;
mod today;

pub use crate::domain::ActionRefused;
pub use crate::domain::walk::{Answers, Slot};
pub use bulk::{Bulk, BulkHazard};
pub use community::*;
pub use hazards::*;
pub use inbox::{InboxRow, OfficeWord};
pub use ledger::*;
pub use patrol::*;
pub use people::*;
pub use photos::*;
pub use report::*;
pub use report_lists::{FoundGroup, ReportCounts};
pub use stats::{HazardCounts, Stats};
pub use summary::*;
pub use today::GridToday;

use crate::domain::clock::{Clock, stamp};
use crate::error::{Error, Result};
use crate::fsio::create_private;
use meta::MetaKey;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// "FPAT": marks a SQLite file as a firepatrol database.
pub const APPLICATION_ID: i64 = 0x4650_4154;

/// How long a write waits for another program's lock before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_millis(2500);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenMode {
    /// Create the file if it does not exist.
    Create,
    /// The file must exist already, and be a firepatrol database.
    Existing,
    /// The file must exist and is only read: nothing is written to it, not even a migration,
    /// so a command that only reads works on read-only media. Where SQLite cannot even keep
    /// its shared-memory file beside it, the file is opened as immutable.
    ReadOnly,
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    device_id: String,
    pub clock: Clock,
    /// The file's identity when opened (device, inode): a write checks the file is still
    /// there, since SQLite keeps writing into a deleted file and the data would be lost.
    identity: Option<(u64, u64)>,
    /// Whether each write's changes are kept in the outbox for the office (set once the
    /// database is the office's or has joined it).
    capture: bool,
}

/// Device and inode of a file (None where unknown).
fn file_identity(path: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Open hazards, and of them those due today and those overdue.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OpenCounts {
    pub open: i64,
    pub due_today: i64,
    pub overdue: i64,
}

impl OpenCounts {
    /// From a row of (open, due today, overdue).
    pub(crate) fn from_row(r: &rusqlite::Row) -> rusqlite::Result<OpenCounts> {
        Ok(OpenCounts {
            open: r.get(0)?,
            due_today: r.get(1)?,
            overdue: r.get(2)?,
        })
    }
}

impl Store {
    pub fn open(path: &Path, mode: OpenMode, clock: Clock) -> Result<Store> {
        Store::open_inner(path, mode, clock).map_err(with_backup)
    }

    fn open_inner(path: &Path, mode: OpenMode, clock: Clock) -> Result<Store> {
        if path.is_dir() {
            return Err(Error::IsDirectory {
                path: path.to_path_buf(),
            });
        }
        let exists = path.exists();
        if !exists {
            if mode != OpenMode::Create {
                return Err(Error::NoDatabase {
                    path: path.to_path_buf(),
                });
            }
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                crate::fsio::create_private_dir(dir).map_err(|e| Error::Io {
                    path: dir.to_path_buf(),
                    source: e,
                })?;
            }
            // Create it ourselves so that it is private from the first byte.
            create_private(path).map_err(|e| Error::Io {
                path: path.to_path_buf(),
                source: e,
            })?;
        }
        let db = |e| Error::db(path, e);
        let conn = if mode == OpenMode::ReadOnly {
            open_read_only(path).map_err(db)?
        } else {
            let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            Connection::open_with_flags(path, flags).map_err(db)?
        };
        conn.busy_timeout(BUSY_TIMEOUT).map_err(db)?;
        // Read-only checks first: a newer or foreign file is refused untouched.
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(db)?;
        let app_id: i64 = conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(db)?;
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(db)?;
        if version > schema::latest() && app_id == APPLICATION_ID {
            return Err(Error::NewerSchema {
                path: path.to_path_buf(),
                found: version,
                supported: schema::latest(),
            });
        }
        if (version > 0 && app_id != APPLICATION_ID) || (version == 0 && tables > 0) {
            return Err(Error::Damaged {
                path: path.to_path_buf(),
                backup: None,
            });
        }
        // An empty file (or an empty SQLite file) is only made a database by `init`: a
        // command that expects one never writes a schema into a file it was pointed at.
        if version == 0 && mode != OpenMode::Create {
            return Err(Error::NotADatabase {
                path: path.to_path_buf(),
            });
        }
        if mode == OpenMode::ReadOnly && version < schema::latest() {
            // An older database is upgraded once where it can be written; on read-only
            // media it is read as it is.
            drop(conn);
            match Store::open_inner(path, OpenMode::Existing, clock.clone()) {
                Ok(s) => return Ok(s),
                Err(Error::ReadOnly { .. }) => {}
                Err(e) => return Err(e),
            }
            return Store::open_read_only_as_is(path, clock);
        }
        if mode == OpenMode::ReadOnly {
            return Store::read_only(conn, path, clock);
        }
        set_wal(&conn).map_err(db)?;
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
            .map_err(db)?;
        let identity = file_identity(path);
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            device_id: String::new(),
            clock,
            identity,
            capture: false,
        };
        store.migrate(version)?;
        store.device_id = store.ensure_device_id()?;
        store.capture = store.meta(MetaKey::SyncRole)?.is_some();
        store.ensure_default_templates()?;
        store.refresh_search_keys()?;
        Ok(store)
    }

    fn open_read_only_as_is(path: &Path, clock: Clock) -> Result<Store> {
        let conn = open_read_only(path).map_err(|e| Error::db(path, e))?;
        Store::read_only(conn, path, clock)
    }

    fn read_only(conn: Connection, path: &Path, clock: Clock) -> Result<Store> {
        let device_id = conn
            .query_row("SELECT value FROM meta WHERE key = 'device_id'", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| Error::db(path, e))?
            .unwrap_or_default();
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            device_id,
            clock,
            identity: file_identity(path),
            capture: false,
        })
    }

    fn migrate(&mut self, from: i64) -> Result<()> {
        for v in from..schema::latest() {
            let sql = schema::MIGRATIONS[v as usize];
            self.write_uncaptured(|tx| {
                tx.execute_batch(sql)?;
                // The rows already there are sealed by the upgrade that brings local seals, in
                // the same transaction (so never half-sealed).
                if v + 1 == schema::SEALS_FROM {
                    journal::seal_all(tx)?;
                }
                tx.execute_batch(&format!(
                    "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {};",
                    v + 1
                ))?;
                Ok(())
            })?;
        }
        Ok(())
    }

    fn ensure_device_id(&mut self) -> Result<String> {
        if let Some(id) = self.meta(MetaKey::DeviceId)? {
            return Ok(id);
        }
        let id = crate::domain::new_id();
        self.set_meta(MetaKey::DeviceId, &id)?;
        Ok(id)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    /// Every device id this database has written under: the current one first, then those
    /// before a restore.
    pub fn own_device_ids(&self) -> Result<Vec<String>> {
        let mut out = vec![self.device_id.clone()];
        if let Some(former) = self.meta(MetaKey::SyncFormerDevices)? {
            out.extend(
                former
                    .split(',')
                    .filter(|s| !s.is_empty() && *s != self.device_id)
                    .map(str::to_owned),
            );
        }
        Ok(out)
    }

    /// After a restore, a database that takes part in sync writes under a new device id:
    /// what it wrote after the backup was made may already be elsewhere under the old one,
    /// and a second, different record under the same number would be a fork. A laptop also
    /// asks the office for everything at its next sync (its own records included).
    pub(crate) fn start_new_chain(&mut self) -> Result<()> {
        let Some(role) = self.meta(MetaKey::SyncRole)? else {
            return Ok(());
        };
        let former = self.own_device_ids()?.join(",");
        let id = crate::domain::new_id();
        let mut pairs = vec![
            (MetaKey::DeviceId, id.clone()),
            (MetaKey::SyncFormerDevices, former),
        ];
        if role == "laptop" {
            pairs.push((MetaKey::SyncWantAll, "1".to_string()));
            pairs.push((MetaKey::SyncResendAll, "1".to_string()));
        }
        self.write_uncaptured(|tx| meta::put_meta(tx, &pairs))?;
        self.device_id = id;
        Ok(())
    }

    /// The current time as stored.
    pub fn now_stamp(&self) -> String {
        stamp(self.clock.now())
    }

    fn db_err(&self, e: rusqlite::Error) -> Error {
        with_backup(Error::db(&self.path, e))
    }

    /// Run `f` in one `BEGIN IMMEDIATE` transaction and commit. Either all of it is on disk
    /// when this returns `Ok`, or none of it is. Once the database takes part in sync, the
    /// changes `f` made to the synced tables are kept as one changeset in the outbox, in the
    /// same transaction (SQLite's session extension records them).
    pub(crate) fn write<T>(
        &mut self,
        f: impl FnOnce(&Transaction) -> rusqlite::Result<T>,
    ) -> Result<T> {
        let origin = self.capture.then(|| self.device_id.clone());
        self.write_inner(origin.as_deref(), f)
    }

    /// A write whose changes never travel: upgrades, and data derived on each database.
    pub(crate) fn write_uncaptured<T>(
        &mut self,
        f: impl FnOnce(&Transaction) -> rusqlite::Result<T>,
    ) -> Result<T> {
        self.write_inner(None, f)
    }

    fn write_inner<T>(
        &mut self,
        capture_as: Option<&str>,
        f: impl FnOnce(&Transaction) -> rusqlite::Result<T>,
    ) -> Result<T> {
        let path = self.path.clone();
        self.still_there()?;
        let err = |e| with_backup(Error::db(&path, e));
        let session = match capture_as {
            Some(_) => Some(outbox::recording_session(&self.conn).map_err(err)?),
            None => None,
        };
        let tx =
            Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate).map_err(err)?;
        let out = f(&tx).map_err(err)?;
        if let (Some(mut session), Some(origin)) = (session, capture_as) {
            let at = self.now_stamp();
            outbox::keep_in_outbox(&tx, &mut session, origin, &at).map_err(err)?;
        }
        tx.commit().map_err(err)?;
        Ok(out)
    }

    /// Test aid: limit the database's size in pages, to simulate a full disk.
    #[doc(hidden)]
    pub fn set_max_page_count(&mut self, pages: i64) -> Result<()> {
        self.conn
            .query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))
            .map_err(|e| self.db_err(e))
    }

    /// For building a throw-away database (the demo, the generator) only: commits skip the
    /// sync to disk until `false` is passed again.
    pub fn set_bulk_load(&mut self, on: bool) -> Result<()> {
        let sql = if on {
            "PRAGMA synchronous = OFF"
        } else {
            "PRAGMA synchronous = FULL"
        };
        self.conn.execute_batch(sql).map_err(|e| self.db_err(e))
    }

    pub fn meta(&self, key: MetaKey) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT value FROM meta WHERE key = ?1",
                [key.as_str()],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.db_err(e))
    }

    pub fn set_meta(&mut self, key: MetaKey, value: &str) -> Result<()> {
        self.write_uncaptured(|tx| meta::put_meta(tx, &[(key, value)]))
    }

    /// A `meta` value as a number (0 when absent).
    pub fn meta_number(&self, key: MetaKey) -> Result<i64> {
        Ok(self.meta(key)?.and_then(|v| v.parse().ok()).unwrap_or(0))
    }

    /// Refuse to write when the database file was deleted or replaced since it was opened.
    pub(crate) fn still_there(&self) -> Result<()> {
        if self.identity.is_some() && file_identity(&self.path) != self.identity {
            return Err(Error::Moved {
                path: self.path.clone(),
            });
        }
        Ok(())
    }
}

/// A damaged database's error names the newest automatic backup, if there is one.
fn with_backup(e: Error) -> Error {
    match e {
        Error::Damaged { path, backup: None } => {
            let backup = backups::newest_backup(&path);
            Error::Damaged { path, backup }
        }
        e => e,
    }
}

/// Open a database only to read it. Where the folder cannot hold SQLite's shared-memory file
/// (read-only media), open it as immutable: SQLite then reads the main file as it is.
fn open_read_only(path: &Path) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(_) => Ok(conn),
        Err(rusqlite::Error::SqliteFailure(f, _))
            if matches!(
                f.code,
                rusqlite::ErrorCode::CannotOpen
                    | rusqlite::ErrorCode::ReadOnly
                    | rusqlite::ErrorCode::PermissionDenied
            ) =>
        {
            drop(conn);
            let uri = format!(
                "file:{}?immutable=1",
                path.to_string_lossy()
                    .replace('%', "%25")
                    .replace('?', "%3F")
                    .replace('#', "%23")
            );
            Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI)
        }
        Err(e) => Err(e),
    }
}

/// Put the database in WAL mode if it is not already. Changing the journal mode needs the
/// file to itself and fails at once (not after the busy timeout) while another connection
/// has it open, so retry within the busy timeout.
fn set_wal(conn: &Connection) -> rusqlite::Result<()> {
    let start = std::time::Instant::now();
    loop {
        let mode: rusqlite::Result<String> =
            conn.query_row("PRAGMA journal_mode", [], |r| r.get(0));
        if mode.as_deref().is_ok_and(|m| m.eq_ignore_ascii_case("wal")) {
            return Ok(());
        }
        match conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0)) {
            Ok(m) if m.eq_ignore_ascii_case("wal") => return Ok(()),
            Ok(_) | Err(_) if start.elapsed() < BUSY_TIMEOUT => {
                std::thread::sleep(Duration::from_millis(10))
            }
            Ok(_) => return conn.execute_batch("PRAGMA journal_mode = WAL"),
            Err(e) => return Err(e),
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        Error::Db {
            path: PathBuf::new(),
            source: e,
        }
    }
}
