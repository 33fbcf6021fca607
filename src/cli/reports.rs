//! `firepatrol report` (the end-of-day report, built and written by [`crate::report`]) and
//! `firepatrol notice` (rectification notices), `firepatrol summary` (the office's monthly
//! summary) and `firepatrol record` (the patrol record book of a day).

use super::{Env, out};
use crate::domain::{HazardStatus, Thing};
use crate::error::{Error, Result};
use crate::fsio::write_private_atomic;
use crate::store::{HazardRow, OpenMode};
use std::path::{Path, PathBuf};

/// What `firepatrol report` was asked for.
pub struct ReportArgs {
    pub date: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub inspector: Option<String>,
    pub grid: Option<String>,
    pub format: crate::report::Format,
    pub out: Option<PathBuf>,
    pub redact: bool,
}

/// `firepatrol report`: read the days and filters, build the report, write it.
pub(super) fn report(env: &Env, a: ReportArgs) -> Result<()> {
    let c = env.lang.cat();
    if a.format.is_binary() && a.out.is_none() {
        return Err(Error::Usage((c.report.rp_needs_out)(
            &format!("{:?}", a.format).to_lowercase(),
        )));
    }
    let today = env.clock.today();
    let day = |s: &str| {
        crate::domain::day::parse_typed(s, today)
            .ok_or_else(|| Error::Usage((c.report.rp_bad_day)(s)))
    };
    let (from, to) = match (&a.date, &a.from, &a.to) {
        (_, Some(f), Some(t)) => (day(f)?, day(t)?),
        (Some(d), _, _) => {
            let d = day(d)?;
            (d, d)
        }
        _ => (today, today),
    };
    if from > to {
        return Err(Error::Usage((c.report.rp_bad_range)(
            &from.format("%Y-%m-%d").to_string(),
            &to.format("%Y-%m-%d").to_string(),
        )));
    }
    let store = env.open(OpenMode::ReadOnly)?;
    let person = match a
        .inspector
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
    {
        Some(q) => Some(
            crate::lookup::best_person(&store.people()?, q)
                .cloned()
                .ok_or_else(|| Error::NotFound {
                    what: Thing::Person,
                    key: q.to_string(),
                })?,
        ),
        None => None,
    };
    let grid = a.grid.as_deref().map(str::trim).filter(|g| !g.is_empty());
    if let Some(g) = grid {
        let all = store.grid_names()?;
        if !all.iter().any(|x| x == g) {
            return Err(Error::Usage((c.report.rp_no_grid)(
                g,
                &all.join(c.report.rp_list_sep),
            )));
        }
    }
    let scope = crate::store::ReportScope {
        from,
        to,
        inspector: person.as_ref().map(|p| p.id.clone()),
        grid: grid.map(str::to_owned),
    };
    let opts = crate::report::Options {
        inspector_name: person.map(|p| p.name),
        redact: a.redact,
    };
    if a.format == crate::report::Format::Csv {
        // The CSV holds the hazard rows alone: the summary is not counted for it.
        let lists = crate::report::rows(&store, &scope, &opts)?;
        let stdout = std::io::stdout();
        let mut w = std::io::BufWriter::new(stdout.lock());
        crate::report::write_rows_csv(&lists, env.lang, a.out.as_deref(), &mut w)?;
        if let Some(p) = &a.out {
            out(&(c.report.rp_written)(&p.display().to_string()));
        }
        return Ok(());
    }
    let r = crate::report::build(&store, &scope, &opts)?;
    let lists = crate::report::lists(&store, &scope, &opts, &r)?;
    match a.out {
        Some(p) => {
            crate::report::write_file(&r, &lists, env.lang, a.format, &p)?;
            out(&(c.report.rp_written)(&p.display().to_string()));
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            crate::report::write(&r, &lists, env.lang, a.format, &mut w, Path::new("-"))?;
        }
    }
    Ok(())
}

pub(super) fn notice(
    env: &Env,
    ids: &[String],
    target: Option<PathBuf>,
    redact: bool,
    closed_too: bool,
) -> Result<()> {
    let c = env.lang.cat();
    let store = env.open(OpenMode::ReadOnly)?;
    let mut hazards: Vec<HazardRow> = Vec::new();
    for key in ids {
        let h = store.find_hazard(key)?.map_err(Error::Refused)?;
        if !hazards.iter().any(|x| x.id == h.id) {
            hazards.push(h);
        }
    }
    // A closed hazard needs no notice: say so before writing anything.
    let closed: Vec<String> = hazards
        .iter()
        .filter(|h| matches!(h.status, HazardStatus::Rectified | HazardStatus::Voided))
        .map(|h| format!("{} ({})", h.number, h.closed_day.as_deref().unwrap_or("")))
        .collect();
    if !closed.is_empty() && !closed_too {
        return Err(Error::Usage((c.nu.notice_closed_refused)(
            &closed.join(c.report.rp_list_sep),
        )));
    }
    let items = crate::report::items_by_id(&store)?;
    let ids: Vec<&str> = hazards.iter().map(|h| h.id.as_str()).collect();
    let photos = crate::photos::thumbs_for(&store, &ids)?;
    let community = store.communities()?.join("、");
    let (html, pages) = crate::report::notice::render_for(
        &community,
        &hazards,
        &items,
        env.lang,
        env.clock.today(),
        redact,
        &photos,
    );
    if target.as_deref() == Some(Path::new("-")) {
        super::out_bytes(html.as_bytes());
        return Ok(());
    }
    let path = match target {
        Some(p) => p,
        None => {
            let dir = crate::paths::reports_dir(&env.db);
            crate::report::ensure_dir(&dir)?;
            dir.join(crate::report::notice::file_name(&hazards))
        }
    };
    write_private_atomic(&path, html.as_bytes())?;
    out(&(c.n_written)(&path.display().to_string(), pages));
    Ok(())
}

/// Find a leader by name, pinyin or initials.
fn leader(store: &crate::store::Store, q: Option<&str>) -> Result<Option<crate::store::Person>> {
    match q.map(str::trim).filter(|q| !q.is_empty()) {
        Some(q) => Ok(Some(
            crate::lookup::best_person(&store.people()?, q)
                .cloned()
                .ok_or_else(|| Error::NotFound {
                    what: Thing::Person,
                    key: q.to_string(),
                })?,
        )),
        None => Ok(None),
    }
}

/// `firepatrol summary`: the month's summary in one format (to a file or standard output),
/// or in every format into the reports folder.
pub(super) fn summary(
    env: &Env,
    month: Option<&str>,
    format: Option<crate::report::summary::SummaryFormat>,
    target: Option<PathBuf>,
) -> Result<()> {
    use crate::report::summary::{self as sm, SummaryFormat};
    let c = env.lang.cat();
    let w = &c.summary;
    let first = match month {
        Some(m) => sm::parse_month(m).ok_or_else(|| Error::Usage((w.bad_month)(m)))?,
        None => {
            let t = env.clock.today();
            t - chrono::Duration::days(i64::from(chrono::Datelike::day(&t)) - 1)
        }
    };
    let store = env.open(OpenMode::ReadOnly)?;
    let s = sm::build(&store, first)?;
    let details = format!("summary-{}.xlsx", s.month);
    match (format, target) {
        (None, None) => {
            let dir = crate::paths::reports_dir(&env.db);
            for p in crate::report::summary_out::write_files(&s, env.lang, &dir)? {
                out(&(w.written)(&p.display().to_string()));
            }
        }
        (f, Some(p)) if p != Path::new("-") => {
            let f = f.unwrap_or(match p.extension().and_then(|e| e.to_str()) {
                Some("html" | "htm") => SummaryFormat::Html,
                Some("xlsx") => SummaryFormat::Xlsx,
                Some("json") => SummaryFormat::Json,
                _ => SummaryFormat::Text,
            });
            crate::fsio::stream_to_file(&p, |file| {
                crate::report::summary_out::write(&s, env.lang, f, &details, file, &p)
            })?;
            out(&(w.written)(&p.display().to_string()));
        }
        (f, _) => {
            let f = f.unwrap_or(SummaryFormat::Text);
            if f == SummaryFormat::Xlsx {
                return Err(Error::Usage((c.report.rp_needs_out)("xlsx")));
            }
            let mut buf = Vec::new();
            crate::report::summary_out::write(&s, env.lang, f, &details, &mut buf, Path::new("-"))?;
            super::out_bytes(&buf);
        }
    }
    Ok(())
}

/// `firepatrol record`: the patrol record book of a day, a page per leader.
pub(super) fn record(
    env: &Env,
    date: Option<&str>,
    inspector: Option<&str>,
    target: Option<PathBuf>,
) -> Result<()> {
    let c = env.lang.cat();
    let today = env.clock.today();
    let day = match date {
        Some(d) => crate::domain::day::parse_typed(d, today)
            .ok_or_else(|| Error::Usage((c.report.rp_bad_day)(d)))?,
        None => today,
    };
    let store = env.open(OpenMode::ReadOnly)?;
    let person = leader(&store, inspector)?;
    let scope = crate::store::ReportScope {
        from: day,
        to: day,
        inspector: person.as_ref().map(|p| p.id.clone()),
        grid: None,
    };
    let html = crate::report::record::render(&store, &scope, env.lang)?;
    if target.as_deref() == Some(Path::new("-")) {
        super::out_bytes(html.as_bytes());
        return Ok(());
    }
    let path = match target {
        Some(p) => p,
        None => {
            let dir = crate::paths::reports_dir(&env.db);
            crate::report::ensure_dir(&dir)?;
            dir.join(crate::report::record::file_name(
                day,
                person.as_ref().map(|p| p.name.as_str()),
            ))
        }
    };
    write_private_atomic(&path, html.as_bytes())?;
    out(&(c.summary.written)(&path.display().to_string()));
    Ok(())
}
