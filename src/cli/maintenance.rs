//! Looking after the database: `firepatrol stats`, `backup`, `restore` and `check`.

use super::args::Format;
use super::{Env, out};
use crate::error::{Error, Result};
use crate::store::OpenMode;
use std::path::{Path, PathBuf};

/// `firepatrol stats`: counts of buildings, people, patrols, answers and hazards.
pub(super) fn stats(env: &Env, format: Format) -> Result<()> {
    let store = env.open(OpenMode::ReadOnly)?;
    let s = store.stats()?;
    match format {
        Format::Json => out(&serde_json::to_string(&s).unwrap_or_default()),
        Format::Text => out(&(env.lang.cat().stats_text)(&s)),
    }
    Ok(())
}

/// `firepatrol backup [--out PATH]`: a safe copy, into the backups folder by default.
pub(super) fn backup(env: &Env, target: Option<PathBuf>) -> Result<()> {
    let store = env.open(OpenMode::ReadOnly)?;
    let target = match target {
        Some(t) => t,
        None => {
            let dir = crate::paths::backups_dir();
            crate::fsio::create_private_dir(&dir).map_err(|e| Error::Io {
                path: dir.clone(),
                source: e,
            })?;
            dir.join(format!(
                "firepatrol-{}.db",
                env.clock.now().format("%Y%m%d-%H%M%S")
            ))
        }
    };
    store.backup_to(&target)?;
    out(&(env.lang.cat().backup_written)(
        &target.display().to_string(),
    ));
    let key = crate::sync::keys::key_path(store.path());
    if key.exists() {
        out(&(env.lang.cat().backup_key_note)(
            &key.display().to_string(),
        ));
    }
    Ok(())
}

/// `firepatrol restore FROM`: the backup replaces the database; the current file is kept.
pub(super) fn restore(env: &Env, from: &Path) -> Result<()> {
    let c = env.lang.cat();
    let kept = crate::store::backups::restore(&env.db, from, &env.clock)?;
    if let Some(k) = kept {
        out(&(c.restore_kept)(&k.display().to_string()));
    }
    out(&(c.restore_done)(
        &from.display().to_string(),
        &env.db.display().to_string(),
    ));
    let store = env.open(crate::store::OpenMode::ReadOnly)?;
    if let Some(role) = store.sync_role()? {
        out(&(c.sync.after_restore)(
            role == crate::store::devices::Role::Laptop,
        ));
    }
    Ok(())
}

/// `firepatrol check`: integrity, references and the event log's hash chain.
pub(super) fn check(env: &Env) -> Result<()> {
    let c = env.lang.cat();
    let store = env.open(OpenMode::ReadOnly)?;
    let problems = store.check()?;
    if problems.is_empty() {
        out(&(c.check_ok)(&env.db.display().to_string()));
        return Ok(());
    }
    out(&(c.check_failed)(&env.db.display().to_string()));
    for p in problems.iter().take(50) {
        out(&format!("  {}", crate::domain::text::clean(p)));
    }
    // SQLite's own problems mean damage: say so and point to the newest backup. Everything
    // else (a broken chain, a fact that no longer matches its seal, a state that disagrees
    // with its events) means records were changed behind the app's back.
    if problems
        .iter()
        .any(|p| p.starts_with("integrity") || p.starts_with("foreign key"))
    {
        Err(Error::Damaged {
            backup: crate::store::backups::newest_backup(&env.db),
            path: env.db.clone(),
        })
    } else {
        Err(Error::Tampered {
            path: env.db.clone(),
            problems,
        })
    }
}
