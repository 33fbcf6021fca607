//! Setting up: the demo (and the benchmark generator), a new database, importing the office's
//! lists, and checklist templates.

use super::args::{ImportWhat, TemplateCmd, TemplateFormat};
use super::{Env, out};
use crate::domain::checklist::Template;
use crate::error::{Error, Result};
use crate::fsio::write_private_atomic;
use crate::store::{OpenMode, Store};
use std::path::{Path, PathBuf};

/// `firepatrol demo generate`: a district-scale database at `path`, which must not exist.
pub(super) fn generate(
    env: &Env,
    spec: &crate::generate::Spec,
    path: Option<PathBuf>,
) -> Result<()> {
    let c = env.lang.cat();
    let path = path.ok_or_else(|| Error::Usage(c.generate_needs_db.to_string()))?;
    if path.exists() {
        return Err(Error::Usage((c.generate_exists)(
            &path.display().to_string(),
        )));
    }
    if let Err((flag, max)) = spec.check() {
        return Err(Error::Usage((c.generate_too_big)(flag, max)));
    }
    let started = std::time::Instant::now();
    let made = Store::open(&path, OpenMode::Create, env.clock.clone())
        .and_then(|mut store| crate::generate::generate(&mut store, spec));
    let (b, h) = match made {
        Ok(v) => v,
        Err(e) => {
            // Half a database is no use to anyone: nothing is left behind.
            let _ = remove_db_files(&path);
            return Err(e);
        }
    };
    out(&(c.generated)(
        b,
        h,
        &path.display().to_string(),
        started.elapsed().as_secs_f64(),
    ));
    Ok(())
}

/// `firepatrol demo`: the app on the demo database, built once (or anew with `fresh`).
pub(super) fn demo(
    env: &Env,
    fresh: bool,
    office: bool,
    inspector: Option<String>,
    exit_after_first_frame: bool,
) -> Result<()> {
    let path = if office {
        crate::paths::demo_office_db()
    } else {
        crate::paths::demo_db()
    };
    if fresh || !path.exists() {
        remove_db_files(&path)?;
        let mut store = Store::open(&path, OpenMode::Create, env.clock.clone())?;
        if office {
            // The demo laptops' databases are only needed while the office's is built.
            let work = tempfile::tempdir().map_err(|e| Error::Io {
                path: std::env::temp_dir(),
                source: e,
            })?;
            let built = crate::sync::demo::build_office(&mut store, work.path());
            if built.is_err() {
                drop(store);
                let _ = remove_db_files(&path);
            }
            built?;
        } else {
            crate::demo::build(&mut store)?;
        }
    }
    let store = Store::open(&path, OpenMode::Existing, env.clock.clone())?;
    crate::tui::run(store, env.lang, inspector, exit_after_first_frame)
}

/// `firepatrol init [--demo]`.
pub(super) fn init(env: &Env, demo: bool) -> Result<()> {
    let c = env.lang.cat();
    let existed = env.db.exists();
    let mut store = env.open(OpenMode::Create)?;
    if demo {
        if store.stats()?.buildings > 0 {
            out(&(c.init_exists)(&env.db.display().to_string()));
            return Ok(());
        }
        crate::demo::build(&mut store)?;
    } else if existed {
        out(&(c.init_exists)(&env.db.display().to_string()));
        return Ok(());
    }
    out(&(c.init_done)(&env.db.display().to_string()));
    Ok(())
}

/// `firepatrol import buildings|people FILE [--dry-run]`.
pub(super) fn import(env: &Env, what: ImportWhat) -> Result<()> {
    let c = env.lang.cat();
    let (file, dry_run, people) = match what {
        ImportWhat::Buildings { file, dry_run } => (file, dry_run, false),
        ImportWhat::People { file, dry_run } => (file, dry_run, true),
    };
    let table = crate::import::read_table(&file)?;
    // A dry run against no database compares with an empty one, made where the system
    // removes it: `--dry-run` never creates the database.
    let scratch = if dry_run && !env.db.exists() {
        Some(tempfile::tempdir().map_err(|e| Error::Io {
            path: std::env::temp_dir(),
            source: e,
        })?)
    } else {
        None
    };
    let open = || match &scratch {
        Some(d) => Store::open(
            &d.path().join("dry-run.db"),
            OpenMode::Create,
            env.clock.clone(),
        ),
        None => env.open(OpenMode::Create),
    };
    let (counts, unknown) = if people {
        let parsed = crate::import::parse_people(&file, &table)?;
        let mut store = open()?;
        (
            store.import_people(&file, &parsed.rows, dry_run)?,
            parsed.unknown_columns,
        )
    } else {
        let parsed = crate::import::parse_buildings(&file, &table)?;
        let mut store = open()?;
        (
            store.import_buildings(&parsed.rows, dry_run)?,
            parsed.unknown_columns,
        )
    };
    if !unknown.is_empty() {
        out(&(c.import_unknown_columns)(&unknown.join(", ")));
    }
    out(&(c.import_summary)(dry_run, &counts));
    Ok(())
}

/// `firepatrol template list|export|import`.
pub(super) fn template(env: &Env, action: TemplateCmd) -> Result<()> {
    let c = env.lang.cat();
    match action {
        TemplateCmd::List => {
            let store = env.open(OpenMode::ReadOnly)?;
            for t in store.templates()? {
                out(&format!(
                    "{}\t{}\t{}",
                    t.id,
                    t.name(env.lang.is_zh()),
                    t.items.len()
                ));
            }
            Ok(())
        }
        TemplateCmd::Export {
            id,
            format,
            out: target,
        } => {
            let store = env.open(OpenMode::ReadOnly)?;
            let t = store
                .templates()?
                .into_iter()
                .find(|t| t.id == id)
                .ok_or(Error::NoTemplate(id))?;
            let text = match format {
                TemplateFormat::Toml => t.to_toml(),
                TemplateFormat::Json => t.to_json(),
            };
            match target {
                Some(p) => write_private_atomic(&p, text.as_bytes()),
                None => {
                    out(text.trim_end());
                    Ok(())
                }
            }
        }
        TemplateCmd::Import { file } => {
            let bytes = std::fs::read(&file).map_err(|e| Error::Io {
                path: file.clone(),
                source: e,
            })?;
            let text = crate::import::decode(&bytes)
                .ok_or_else(|| Error::Encoding { path: file.clone() })?;
            let t = Template::parse(&text).map_err(|problems| Error::Template {
                path: file.clone(),
                problems,
            })?;
            let mut store = env.open(OpenMode::Existing)?;
            store.import_template(&t, &file)?;
            out(&(c.template_imported)(&t.id, t.items.len()));
            Ok(())
        }
    }
}

fn remove_db_files(path: &Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{suffix}", path.display()));
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::Io { path: p, source: e }),
        }
    }
    Ok(())
}
