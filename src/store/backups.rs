//! Copies of the database: a consistent copy made while in use, automatic daily backups
//! beside the database, and restoring one.

use super::{OpenMode, Store};
use crate::domain::clock::Clock;
use crate::error::{Error, Result};
use rusqlite::Connection;
use rusqlite::backup::StepResult;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How many automatic backups are kept.
pub const KEEP_BACKUPS: usize = 14;

/// The folder of a database's automatic backups: `backups/` beside it.
pub fn backup_dir(db: &Path) -> PathBuf {
    db.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join("backups")
}

fn stem(db: &Path) -> String {
    db.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "firepatrol".into())
}

/// The automatic backups of a database, newest first.
pub fn backups_of(db: &Path) -> Vec<PathBuf> {
    let prefix = format!("{}-auto-", stem(db));
    let mut found: Vec<PathBuf> = std::fs::read_dir(backup_dir(db))
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".db"))
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found.reverse();
    found
}

/// The newest automatic backup, if any.
pub fn newest_backup(db: &Path) -> Option<PathBuf> {
    backups_of(db).into_iter().next()
}

impl Store {
    /// A consistent copy of the database made with SQLite's online backup API: safe while the
    /// app or another connection writes. The copy is created 0600 and reaches `out` the safe
    /// way (`fsio`): renamed over a regular file, copied into a device or pipe, never
    /// replacing one. A source that stays locked gives up after the busy timeout and says
    /// so; nothing is left behind.
    pub fn backup_to(&self, out: &Path) -> Result<()> {
        crate::fsio::write_through_temp(out, |tmp| {
            let result = (|| -> rusqlite::Result<bool> {
                let mut dst = Connection::open(tmp)?;
                let done = {
                    let backup = rusqlite::backup::Backup::new(&self.conn, &mut dst)?;
                    copy_pages(&backup)?
                };
                if done {
                    dst.execute_batch("PRAGMA journal_mode = DELETE;")?;
                }
                dst.close().map_err(|(_, e)| e)?;
                Ok(done)
            })();
            match result {
                Ok(true) => Ok(()),
                Ok(false) => Err(Error::Locked {
                    path: self.path.clone(),
                }),
                Err(e) => Err(Error::db(&self.path, e)),
            }
        })
    }

    /// On the first start of a day, keep a copy made with the backup API; keep the last 14.
    /// Returns the path written, if one was.
    pub fn daily_backup(&self) -> Result<Option<PathBuf>> {
        let day = self.clock.today().format("%Y-%m-%d");
        let dir = backup_dir(&self.path);
        let target = dir.join(format!("{}-auto-{day}.db", stem(&self.path)));
        if target.exists() {
            return Ok(None);
        }
        create_private_dir(&dir)?;
        self.backup_to(&target)?;
        for old in backups_of(&self.path).into_iter().skip(KEEP_BACKUPS) {
            let _ = std::fs::remove_file(old);
        }
        Ok(Some(target))
    }
}

/// The day's backup for the app: opens its own connection (so it can run in a background
/// thread), and checks the copy; a copy that fails the check is deleted, never kept.
pub fn daily_backup_checked(db: &Path, clock: &Clock) -> Result<Option<PathBuf>> {
    let store = Store::open(db, OpenMode::Existing, clock.clone())?;
    let Some(copy) = store.daily_backup()? else {
        return Ok(None);
    };
    let ok =
        rusqlite::Connection::open_with_flags(&copy, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .and_then(|c| c.query_row("PRAGMA quick_check", [], |r| r.get::<_, String>(0)))
            .is_ok_and(|r| r == "ok");
    if !ok {
        let _ = std::fs::remove_file(&copy);
        return Err(Error::Damaged {
            path: db.to_path_buf(),
            backup: None,
        });
    }
    Ok(Some(copy))
}

/// Copy every page, waiting while the source is busy, but no longer than the busy timeout
/// without progress. Returns false when it gave up.
fn copy_pages(backup: &rusqlite::backup::Backup) -> rusqlite::Result<bool> {
    let mut stuck_since: Option<std::time::Instant> = None;
    loop {
        match backup.step(256)? {
            StepResult::Done => return Ok(true),
            StepResult::More => stuck_since = None,
            StepResult::Busy | StepResult::Locked => {
                let since = *stuck_since.get_or_insert_with(std::time::Instant::now);
                if since.elapsed() > super::BUSY_TIMEOUT {
                    return Ok(false);
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            _ => std::thread::sleep(Duration::from_millis(5)),
        }
    }
}

fn create_private_dir(dir: &Path) -> Result<()> {
    crate::fsio::create_private_dir(dir).map_err(|e| Error::Io {
        path: dir.to_path_buf(),
        source: e,
    })
}

/// Replace the database at `db` with the backup at `from`, after keeping a copy of the
/// current file (`<db>.before-restore-<time>`, never overwriting an earlier copy). The backup
/// must be a firepatrol database of this or an older version that passes SQLite's
/// `quick_check` and the event chain; it is opened read-only and never changed. The app must
/// not be running. Returns the path of the kept copy, if there was a current file.
pub fn restore(db: &Path, from: &Path, clock: &Clock) -> Result<Option<PathBuf>> {
    let source = Store::open(from, OpenMode::ReadOnly, clock.clone())?;
    let quick: String = source
        .conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| Error::db(from, e))?;
    if quick != "ok" || !source.check()?.is_empty() {
        return Err(Error::Damaged {
            path: from.to_path_buf(),
            backup: None,
        });
    }
    let kept = if db.exists() {
        let stamp = clock.now().format("%Y%m%d-%H%M%S").to_string();
        // The current file may be damaged: copy the bytes (and its WAL) as they are.
        let keep = copy_new(db, &format!("{}.before-restore-{stamp}", db.display()))?;
        let wal = PathBuf::from(format!("{}-wal", db.display()));
        if wal.exists() {
            copy_private(&wal, &PathBuf::from(format!("{}-wal", keep.display())))?;
        }
        Some(keep)
    } else {
        None
    };
    // The old WAL must not be replayed into the restored file: it is kept in the copy above.
    for suffix in ["-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{suffix}", db.display()));
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::Io { path: p, source: e }),
        }
    }
    source.backup_to(db)?;
    drop(source);
    // The automatic backups up to today hold events the restored file never had: `check`
    // compares with backups made after this day only.
    let mut restored = Store::open(db, OpenMode::Existing, clock.clone())?;
    restored.set_meta(
        super::meta::MetaKey::RestoredOn,
        &clock.today().format("%Y-%m-%d").to_string(),
    )?;
    restored.start_new_chain()?;
    Ok(kept)
}

/// Copy `from` to a new file named `base`, or `base-2`, `base-3`, … when that name is taken:
/// an earlier copy is never overwritten. Returns the name used.
fn copy_new(from: &Path, base: &str) -> Result<PathBuf> {
    let bytes = std::fs::read(from).map_err(|e| Error::Io {
        path: from.to_path_buf(),
        source: e,
    })?;
    for n in 1..10_000 {
        let to = if n == 1 {
            PathBuf::from(base)
        } else {
            PathBuf::from(format!("{base}-{n}"))
        };
        let mut o = std::fs::OpenOptions::new();
        o.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            o.mode(0o600);
        }
        match o.open(&to) {
            Ok(mut f) => {
                std::io::Write::write_all(&mut f, &bytes)
                    .and_then(|()| f.sync_all())
                    .map_err(|e| Error::Io {
                        path: to.clone(),
                        source: e,
                    })?;
                return Ok(to);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(Error::Io {
                    path: to,
                    source: e,
                });
            }
        }
    }
    Err(Error::Io {
        path: PathBuf::from(base),
        source: std::io::Error::from(std::io::ErrorKind::AlreadyExists),
    })
}

fn copy_private(from: &Path, to: &Path) -> Result<()> {
    let bytes = std::fs::read(from).map_err(|e| Error::Io {
        path: from.to_path_buf(),
        source: e,
    })?;
    let mut f = crate::fsio::create_private(to).map_err(|e| Error::Io {
        path: to.to_path_buf(),
        source: e,
    })?;
    std::io::Write::write_all(&mut f, &bytes)
        .and_then(|()| f.sync_all())
        .map_err(|e| Error::Io {
            path: to.to_path_buf(),
            source: e,
        })
}
