//! The office and its laptops on the command line: `init --office`, `devices`, `join`,
//! `sync` (by file, or over the LAN) and `serve`.

use super::{Env, out};
use crate::cli::args::{DevicesCmd, Format};
use crate::domain::sync::SyncProblem;
use crate::error::{Error, Result};
use crate::store::OpenMode;
use crate::store::devices::Role;
use std::path::{Path, PathBuf};

/// The largest sync file read from disk (a guard against pointing at the wrong file).
const MAX_FILE: u64 = 2 << 30;

fn read_file(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let io = |e| Error::Io {
        path: path.to_path_buf(),
        source: e,
    };
    let f = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    f.take(MAX_FILE).read_to_end(&mut bytes).map_err(io)?;
    Ok(bytes)
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// `firepatrol init --office`.
pub(super) fn init_office(env: &Env) -> Result<()> {
    let w = env.lang.cat().sync;
    let mut store = env.open(OpenMode::Create)?;
    let path = shown(&env.db);
    match crate::sync::init_office(&mut store)? {
        crate::sync::OfficeInit::Made => out(&(w.office_ready)(&path)),
        crate::sync::OfficeInit::Already => out(&(w.office_already)(&path)),
        crate::sync::OfficeInit::NewKeys => out(&(w.office_new_keys)(&path)),
    }
    Ok(())
}

/// What `devices add` and `devices reenrol` say: `said`, then the code alone on the last line
/// (it travels apart from the file); or all of it as one JSON object.
fn show_enrolment(
    w: &crate::i18n::sync::SyncWords,
    e: &crate::sync::Enrolled,
    file: &Path,
    format: Format,
    said: &str,
) {
    match format {
        Format::Text => {
            out(said);
            out(&(w.enrol_code)(&crate::sync::keys::show_code(&e.code)));
        }
        Format::Json => {
            let v = serde_json::json!({
                "letter": e.device.letter,
                "person": e.device.person_name,
                "enrolment": e.device.id,
                "file": shown(file),
                "code": e.code,
            });
            out(&v.to_string());
        }
    }
}

/// On a laptop: its proposals to the lists and what the office decided (all of them, or only
/// those still waiting; nothing when there are none and `all` is false).
fn own_proposals(
    w: &crate::i18n::sync::SyncWords,
    list: &[crate::domain::sync::ProposalNote],
    all: bool,
) {
    let shown: Vec<_> = list.iter().filter(|p| all || p.pending()).collect();
    if shown.is_empty() {
        if all {
            out(w.own_proposals_none);
        }
        return;
    }
    out(w.own_proposals_head);
    for p in shown {
        out(&(w.own_proposal_line)(p));
    }
}

/// `firepatrol devices [list|add|reenrol|revoke|conflicts]`.
pub(super) fn devices(env: &Env, action: Option<DevicesCmd>) -> Result<()> {
    let w = env.lang.cat().sync;
    match action.unwrap_or(DevicesCmd::List) {
        DevicesCmd::List => {
            let store = env.open(OpenMode::ReadOnly)?;
            let devices = store.devices()?;
            if devices.is_empty() {
                out(w.devices_none);
            } else {
                out(w.devices_head);
                for d in &devices {
                    out(&(w.device_line)(d));
                }
            }
        }
        DevicesCmd::Add {
            person,
            out: file,
            format,
        } => {
            let mut store = env.open(OpenMode::Existing)?;
            let people = store.people_in_service()?;
            let name = crate::domain::text::clean(&person);
            let Some(p) = people.iter().find(|p| p.name == name).cloned() else {
                return Err(Error::Usage((w.no_person)(&name)));
            };
            let e = crate::sync::add_device(&mut store, Some(&p.id), &p.name)?;
            crate::fsio::write_private_atomic(&file, &e.file)?;
            let said = (w.device_added)(&e.device.letter, &p.name, &shown(&file));
            show_enrolment(w, &e, &file, format, &said);
        }
        DevicesCmd::Reenrol {
            id,
            out: file,
            format,
        } => {
            let mut store = env.open(OpenMode::Existing)?;
            let Some(e) = crate::sync::reenrol(&mut store, &id, crate::sync::keys::ENROL_LOG_N)?
            else {
                return Err(Error::Usage((w.no_device)(&crate::domain::text::clean(
                    &id,
                ))));
            };
            crate::fsio::write_private_atomic(&file, &e.file)?;
            let d = &e.device;
            let said = (w.device_reenrolled)(&d.letter, &d.person_name, &shown(&file));
            show_enrolment(w, &e, &file, format, &said);
        }
        DevicesCmd::Revoke { id } => {
            let mut store = env.open(OpenMode::Existing)?;
            let Some(d) = store.device(&id)? else {
                return Err(Error::Usage((w.no_device)(&crate::domain::text::clean(
                    &id,
                ))));
            };
            if store.revoke_device(&d.id)? {
                out(&(w.revoked)(&d.letter, &d.person_name));
            } else {
                out(&(w.revoked_already)(&d.letter, &d.person_name));
            }
        }
        DevicesCmd::Conflicts
            if env.open(OpenMode::ReadOnly)?.sync_role()? == Some(Role::Laptop) =>
        {
            // On a laptop: its own proposals, as the office's last reply told them.
            let store = env.open(OpenMode::ReadOnly)?;
            own_proposals(w, &store.own_proposals()?, true);
        }
        DevicesCmd::Conflicts => {
            let store = env.open(OpenMode::ReadOnly)?;
            let proposals = store.proposals(false)?;
            if proposals.is_empty() {
                out(w.proposals_none);
            } else {
                out(w.proposals_head);
                for p in &proposals {
                    out(&(w.proposal_line)(p));
                }
                out(w.proposals_how);
            }
            let list = store.sync_conflicts(200)?;
            if !list.is_empty() {
                out(w.conflicts_head);
                for c in &list {
                    out(&(w.conflict_line)(c));
                }
            }
        }
        DevicesCmd::Accept { number } => {
            decide(env, number, crate::store::proposals::Decision::Accept)?
        }
        DevicesCmd::Decline { number } => {
            decide(env, number, crate::store::proposals::Decision::Decline)?
        }
        DevicesCmd::Restore { id } => {
            let mut store = env.open(OpenMode::Existing)?;
            let Some(d) = store.device(&id)? else {
                return Err(Error::Usage((w.no_device)(&crate::domain::text::clean(
                    &id,
                ))));
            };
            if store.unrevoke_device(&d.id)? {
                out(&(w.unrevoked)(&d.letter, &d.person_name));
            } else {
                out(&(w.not_revoked)(&d.letter, &d.person_name));
            }
        }
    }
    Ok(())
}

/// The enrolment code: as given with `--code`, else asked for at the terminal. Without a
/// terminal (a script), a missing code is an error that says how to give it.
fn enrolment_code(env: &Env, file: &Path, given: Option<&str>) -> Result<String> {
    use std::io::{BufRead, IsTerminal, Read, Write};
    let w = env.lang.cat().sync;
    let place = shown(file);
    let fail = |problem| Error::Sync {
        place: place.clone(),
        problem,
    };
    let typed = match given {
        Some(c) => c.to_string(),
        None if std::io::stdin().is_terminal() => {
            let mut err = std::io::stderr();
            let _ = write!(err, "{}", w.ask_code);
            let _ = err.flush();
            let mut line = String::new();
            // One line, at most a few hundred bytes: a code, not a file pasted by mistake.
            std::io::stdin()
                .lock()
                .take(256)
                .read_line(&mut line)
                .map_err(|_| fail(SyncProblem::NeedCode))?;
            line
        }
        None => return Err(fail(SyncProblem::NeedCode)),
    };
    crate::sync::keys::typed_code(typed.trim()).ok_or_else(|| fail(SyncProblem::WrongCode))
}

/// `firepatrol join FILE [--code CODE]`.
pub(super) fn join(env: &Env, file: &Path, code: Option<&str>, replace: bool) -> Result<()> {
    let w = env.lang.cat().sync;
    // Over the office LAN: `join http://ADDRESS:PORT/enrol/A`, from the office's `serve`.
    let named = file.to_string_lossy();
    let lan = named.contains("://");
    let bytes = if lan {
        crate::sync::http::fetch_enrolment(&named, crate::sync::http::CLIENT_TIMEOUT)?
    } else {
        read_file(file)?
    };
    // Check the file before a database is made for it: its frame, then the code.
    crate::sync::bundle::read(&bytes).map_err(|p| Error::Sync {
        place: shown(file),
        problem: p,
    })?;
    let code = enrolment_code(env, file, code)?;
    let opened = crate::sync::open_enrolment(&bytes, &shown(file), &code)?;
    let mut store = env.open(OpenMode::Create)?;
    let j = crate::sync::join_opened(&mut store, opened, &shown(file), replace)?;
    if j.again {
        out(&(w.joined_again)(&j.community, &j.letter));
    } else if j.new {
        out(&(w.joined)(&j.community, &j.person, &j.letter));
        out(&(w.joined_merged)(j.merged, j.applied.rows));
    } else if !j.replace {
        out(&(w.joined_before)(&j.community));
    }
    if j.replace {
        out(&(w.joined_replace)(&j.letter));
    }
    Ok(())
}

/// `firepatrol sync [--out FILE | FILE [--reply FILE] | http://HOST:PORT]`.
pub(super) fn sync(
    env: &Env,
    source: Option<&str>,
    to: Option<PathBuf>,
    reply: Option<PathBuf>,
) -> Result<()> {
    let w = env.lang.cat().sync;
    let mut store = env.open(OpenMode::Existing)?;
    if let Some(file) = to {
        let (bytes, entries) = crate::sync::laptop_bundle(&mut store)?;
        crate::fsio::write_private_atomic(&file, &bytes)?;
        out(&(w.bundle_written)(&shown(&file), entries, bytes.len()));
        out(&(w.bundle_next)(&shown(&file)));
        return Ok(());
    }
    let source = match source {
        Some(s) => s.to_string(),
        None => match store.meta(crate::store::meta::MetaKey::SyncOfficeUrl)? {
            Some(url) if store.sync_role()? == Some(Role::Laptop) => url,
            _ => {
                let (n, last) = store.sync_pending()?;
                out(&(w.status)(n, last.as_deref(), None));
                own_proposals(w, &store.own_proposals()?, false);
                out(w.no_url);
                return Ok(());
            }
        },
    };
    if source.starts_with("http://") || source.starts_with("https://") {
        let (r, sent) =
            crate::sync::http::sync_with(&mut store, &source, crate::sync::http::CLIENT_TIMEOUT)?;
        out(&(w.synced)(&source, sent, &r.applied));
        say_also(env, &r);
        return Ok(());
    }
    let path = PathBuf::from(&source);
    let bytes = read_file(&path)?;
    let r = crate::sync::receive(&mut store, &bytes, &source)?;
    if r.duplicate {
        out(&(w.received_again)(&(w.sender)(&r.from)));
    } else {
        out(&(w.received)(&(w.sender)(&r.from), &r.applied));
    }
    say_also(env, &r);
    if let Some(reply_bytes) = r.reply {
        let target = reply.unwrap_or_else(|| {
            let mut s = path.clone().into_os_string();
            s.push(".reply");
            PathBuf::from(s)
        });
        crate::fsio::write_private_atomic(&target, &reply_bytes)?;
        out(&(w.reply_written)(&shown(&target)));
    }
    Ok(())
}

/// `firepatrol devices accept|decline N`.
fn decide(env: &Env, number: i64, decision: crate::store::proposals::Decision) -> Result<()> {
    use crate::store::proposals::{Decision, NotDecided};
    let w = env.lang.cat().sync;
    let mut store = env.open(OpenMode::Existing)?;
    if store.sync_role()? != Some(Role::Office) {
        return Err(Error::Sync {
            place: shown(&env.db),
            problem: crate::domain::sync::SyncProblem::NotSetUp,
        });
    }
    let by = store
        .meta(crate::store::meta::MetaKey::LastInspector)?
        .unwrap_or_default();
    match store.decide(number, decision, &by)? {
        Ok(_) if decision == Decision::Accept => out(&(w.accepted)(number)),
        Ok(_) => out(&(w.declined)(number)),
        Err(NotDecided::NoSuchProposal(n)) => return Err(Error::Usage((w.no_proposal)(n))),
        Err(NotDecided::AlreadyDecided { number, status }) => {
            out(&(w.decided_already)(number, &status))
        }
    }
    Ok(())
}

/// What else a sync found, each on its own line.
fn say_also(env: &Env, r: &crate::sync::Received) {
    let w = env.lang.cat().sync;
    if r.gap {
        out(w.gap_asked);
    }
    if crate::sync::clock_is_off(r.clock_offset) {
        out(&(w.clock_off)(
            r.clock_offset.unsigned_abs() as f64 / 86_400.0,
        ));
    }
    if r.applied.proposals > 0 {
        out(&(w.proposals_held)(r.applied.proposals));
    }
}

/// `firepatrol serve --listen ADDR:PORT`.
pub(super) fn serve(env: &Env, listen: &str) -> Result<()> {
    let w = env.lang.cat().sync;
    let lang = env.lang;
    {
        let store = env.open(OpenMode::Existing)?;
        if store.sync_role()? != Some(Role::Office) {
            return Err(Error::Sync {
                place: shown(&env.db),
                problem: crate::domain::sync::SyncProblem::NotSetUp,
            });
        }
    }
    crate::sync::http::serve(
        &env.db,
        listen,
        env.clock.clone(),
        lang,
        &crate::sync::http::Limits::default(),
        |at| match at.address() {
            Some(a) if at.local_only() => out(&(w.serving_local)(&a.to_string())),
            Some(a) => {
                out(&(w.serving)(&a.to_string()));
                out(&(w.serving_hint)(&a.to_string()));
            }
            None => out(&(w.serving_none)(at.bound.port())),
        },
        |peer, outcome| {
            let line = match outcome {
                Ok(r) if r.duplicate => (w.received_again)(&(w.sender)(&r.from)),
                Ok(r) => (w.received)(&(w.sender)(&r.from), &r.applied),
                Err(e) => e.message(lang),
            };
            out(&(w.served)(peer, &line));
        },
    )
}
