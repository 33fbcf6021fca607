//! Copies of the database: a consistent copy made while in use, automatic daily backups
//! beside the database, and restoring one.

use super::{OpenMode, Store};
use crate::domain::clock::Clock;
use crate::error::{Error, Result};
use crate::fsio::{create_private, temp_sibling};
use rusqlite::Connection;
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
    /// app or another connection writes. The copy is created 0600.
    pub fn backup_to(&self, out: &Path) -> Result<()> {
        if out.is_dir() {
            return Err(Error::IsDirectory {
                path: out.to_path_buf(),
            });
        }
        let tmp = temp_sibling(out);
        create_private(&tmp).map_err(|e| Error::Io {
            path: out.to_path_buf(),
            source: e,
        })?;
        let result = (|| -> rusqlite::Result<()> {
            let mut dst = Connection::open(&tmp)?;
            {
                let backup = rusqlite::backup::Backup::new(&self.conn, &mut dst)?;
                backup.run_to_completion(256, Duration::from_millis(5), None)?;
            }
            dst.execute_batch("PRAGMA journal_mode = DELETE;")?;
            dst.close().map_err(|(_, e)| e)?;
            Ok(())
        })();
        if let Err(e) = result {
            let _ = std::fs::remove_file(&tmp);
            return Err(Error::db(out, e));
        }
        std::fs::rename(&tmp, out).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Error::Io {
                path: out.to_path_buf(),
                source: e,
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

fn create_private_dir(dir: &Path) -> Result<()> {
    crate::fsio::create_private_dir(dir).map_err(|e| Error::Io {
        path: dir.to_path_buf(),
        source: e,
    })
}

/// Replace the database at `db` with the backup at `from`, after keeping a copy of the
/// current file (`<db>.before-restore-<time>`). The backup is checked first; the app must
/// not be running. Returns the path of the kept copy, if there was a current file.
pub fn restore(db: &Path, from: &Path, clock: &Clock) -> Result<Option<PathBuf>> {
    let source = Store::open(from, OpenMode::Existing, clock.clone())?;
    let problems = source.check()?;
    if !problems.is_empty() {
        return Err(Error::Damaged {
            path: from.to_path_buf(),
            backup: None,
        });
    }
    let kept = if db.exists() {
        let keep = PathBuf::from(format!(
            "{}.before-restore-{}",
            db.display(),
            clock.now().format("%Y%m%d-%H%M%S")
        ));
        // The current file may be damaged: copy the bytes (and its WAL) as they are.
        copy_private(db, &keep)?;
        let wal = PathBuf::from(format!("{}-wal", db.display()));
        if wal.exists() {
            copy_private(&wal, &PathBuf::from(format!("{}-wal", keep.display())))?;
        }
        Some(keep)
    } else {
        None
    };
    source.backup_to(db)?;
    for suffix in ["-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{suffix}", db.display()));
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::Io { path: p, source: e }),
        }
    }
    Ok(kept)
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
