//! `firepatrol hazards` (the ledger, written by [`crate::report::ledger`]) and `firepatrol
//! hazard` (one hazard with its history, or an action on it).

use super::args::Format;
use super::{Env, out};
use crate::domain::deadline::{DeadlineError, parse_deadline};
use crate::error::{Error, Result};
use crate::report::ledger::{self, LedgerEntry, LedgerFormat};
use crate::store::{ActionRefused, HazardAction, LedgerFilter, OpenMode, StatusFilter};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// `firepatrol hazards`: the ledger, filtered, on standard output or into a file.
pub(super) fn ledger(
    env: &Env,
    status: StatusFilter,
    building: Option<String>,
    since: Option<NaiveDate>,
    format: LedgerFormat,
    target: Option<PathBuf>,
) -> Result<()> {
    let c = env.lang.cat();
    let store = env.open(OpenMode::ReadOnly)?;
    let buildings = match building.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        Some(q) => {
            let all = store.building_summaries(None)?;
            let mut index = crate::lookup::building_index(&all);
            Some(
                index
                    .query(q, all.len())
                    .into_iter()
                    .filter_map(|h| all.get(h.handle as usize))
                    .map(|b| b.building.id.clone())
                    .collect(),
            )
        }
        None => None,
    };
    let filter = LedgerFilter {
        status,
        buildings,
        from: since,
        ..Default::default()
    };
    if format == LedgerFormat::Xlsx && target.is_none() {
        return Err(Error::Usage(c.xlsx_needs_out.to_string()));
    }
    match target {
        Some(path) => {
            let n = ledger::write_file(&store, &filter, env.lang, format, &path)?;
            if format == LedgerFormat::Xlsx {
                out(&(c.ledger_written)(n, &path.display().to_string()));
            }
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            ledger::write(&store, &filter, env.lang, format, &mut w, Path::new("-"))?;
        }
    }
    Ok(())
}

/// The action flags of `firepatrol hazard` (clap lets at most one action through).
#[derive(Default)]
pub(super) struct Asked {
    pub rectify: bool,
    pub extend: Option<String>,
    pub escalate: Option<String>,
    pub respond: Option<String>,
    pub reopen: bool,
    pub reason: Option<String>,
    pub note: Option<String>,
}

impl Asked {
    /// The action asked for, if any; a deadline it cannot use is refused or misuse.
    fn action(self, env: &Env) -> Result<Option<HazardAction>> {
        let Asked {
            rectify,
            extend,
            escalate,
            respond,
            reopen,
            reason,
            note,
        } = self;
        Ok(if rectify {
            Some(HazardAction::Rectify {
                note: note.unwrap_or_default(),
            })
        } else if let Some(d) = extend {
            let c = env.lang.cat();
            let to = parse_deadline(&d, env.clock.today()).map_err(|e| match e {
                DeadlineError::InThePast(d) => Error::Refused(ActionRefused::DeadlineInPast(d)),
                DeadlineError::NoSuchDate => Error::Usage(c.e_date_no_such.to_string()),
                DeadlineError::Unreadable => Error::Usage(c.e_date_unreadable.to_string()),
            })?;
            Some(HazardAction::Extend {
                to,
                reason: reason.unwrap_or_default(),
            })
        } else if let Some(to) = escalate {
            Some(HazardAction::Escalate {
                to,
                note: note.unwrap_or_default(),
            })
        } else if let Some(text) = respond {
            Some(HazardAction::OfficeResponse { note: text })
        } else if reopen {
            Some(HazardAction::Reopen {
                reason: reason.unwrap_or_default(),
            })
        } else {
            None
        })
    }
}

/// `firepatrol hazard ID --photo FILE...`: check every file, keep them and attach them all
/// (or, if one is refused, none), then show the hazard.
pub(super) fn attach_photos(
    env: &Env,
    key: &str,
    files: &[std::path::PathBuf],
    format: Format,
) -> Result<()> {
    let w = env.lang.cat().people;
    let mut store = env.open(OpenMode::Existing)?;
    let h = store.find_hazard(key)?.map_err(Error::Refused)?;
    let n = crate::photos::attach(&mut store, &h.id, files)?;
    drop(store);
    out(&(w.photos_attached)(
        &h.number,
        n,
        files.len().saturating_sub(n),
    ));
    hazard(env, &h.id, Asked::default(), format)
}

/// `firepatrol hazard ID [action]`: act on the hazard if asked, then show it and its history.
pub(super) fn hazard(env: &Env, key: &str, asked: Asked, format: Format) -> Result<()> {
    let c = env.lang.cat();
    let action = asked.action(env)?;
    // Only an action writes: looking at a hazard works on read-only media too.
    let mut store = env.open(if action.is_some() {
        OpenMode::Existing
    } else {
        OpenMode::ReadOnly
    })?;
    let h = store.find_hazard(key)?.map_err(Error::Refused)?;
    if let Some(action) = action {
        store
            .hazard_action(&h.id, &action, None)?
            .map_err(Error::Refused)?;
    }
    let h = store.hazard(&h.id)?.unwrap_or(h);
    let history = store.hazard_history(&h.id)?;
    let today = env.clock.today();
    match format {
        Format::Json => {
            #[derive(serde::Serialize)]
            struct Detail<'a> {
                #[serde(flatten)]
                entry: LedgerEntry<'a>,
                history: &'a [crate::store::HazardEvent],
            }
            let d = Detail {
                entry: LedgerEntry::new(&h, today),
                history: &history,
            };
            out(&serde_json::to_string_pretty(&d).unwrap_or_default());
        }
        Format::Text => {
            // Times as the leader reads a clock: "2026-11-07 09:50" (local, as recorded).
            let mut row = ledger::row(env.lang, &h, today);
            if let Some(found) = row.get_mut(1) {
                *found = crate::report::time_label(found);
            }
            for (label, value) in c.ledger_columns.iter().zip(row) {
                if !value.is_empty() {
                    out(&format!("{label}: {value}"));
                }
            }
            // A database from before photos, read where it cannot be upgraded, has none.
            let photos = store.photos_of(&h.id).unwrap_or_default();
            if !photos.is_empty() {
                out(&(c.people.photos_count)(photos.len()));
            }
            for e in &history {
                out(format!(
                    "  {} {} {} {} {}",
                    crate::report::time_label(&e.at),
                    e.by,
                    c.event_kind(e.kind),
                    e.new_value.as_deref().unwrap_or(""),
                    e.note
                )
                .trim_end());
            }
        }
    }
    Ok(())
}
