//! The command line: clap definitions and dispatch. Everything here is thin: it parses,
//! calls the library, and prints in the user's language.

use crate::domain::checklist::Template;
use crate::domain::clock::Clock;
use crate::error::{Error, Result};
use crate::fsio::{export_error, stream_to_file, write_private_atomic};
use crate::i18n::Lang;
use crate::store::{HazardAction, HazardRow, LedgerFilter, StatusFilter};
use crate::store::{OpenMode, Store};
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Parser, Debug)]
#[command(
    name = "firepatrol",
    version,
    about = "消防安全巡查 — fire-safety patrols for building leaders",
    long_about = "消防安全巡查 — fire-safety patrols for building leaders.\n\n\
        Without a command, opens the patrol app on your database.\n\
        Try `firepatrol demo` to open it on a built-in demo community."
)]
pub struct Cli {
    /// Database file [default: the platform data folder, e.g. ~/.local/share/firepatrol/firepatrol.db]
    #[arg(long, global = true, env = "FIREPATROL_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Language of the interface: zh (中文) or en [default: from LANG]
    #[arg(long, global = true, value_name = "zh|en", value_parser = parse_lang)]
    pub lang: Option<Lang>,

    /// Pretend the time is this (RFC 3339 or YYYY-MM-DD): for tests and demonstrations.
    #[arg(long, global = true, env = "FIREPATROL_NOW", hide = true)]
    pub now: Option<String>,

    /// Who is patrolling (picked by fuzzy match on name; skips the question)
    #[arg(long, value_name = "NAME")]
    pub inspector: Option<String>,

    /// Benchmarking aid: load and draw the first screen exactly as a normal start does (into
    /// an off-screen 120x40 buffer when standard output is not a terminal), then exit
    #[arg(long)]
    pub exit_after_first_frame: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

fn parse_lang(s: &str) -> std::result::Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| "use zh or en".to_string())
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Open the app on the built-in demo community (its own database; yours is never touched)
    Demo {
        #[command(subcommand)]
        action: Option<DemoCmd>,
        /// Build the demo database anew (otherwise it is built once and reopened, so a
        /// patrol recorded in the demo is still there after a restart)
        #[arg(long)]
        fresh: bool,
        /// Who is patrolling
        #[arg(long, value_name = "NAME")]
        inspector: Option<String>,
    },
    /// Create the database (with --demo: filled with the demo community)
    Init {
        #[arg(long)]
        demo: bool,
    },
    /// Import the office's lists from .csv (UTF-8 or GBK) or .xlsx
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Checklist templates: list, export to adapt, import
    Template {
        #[command(subcommand)]
        action: TemplateCmd,
    },
    /// Counts of buildings, people, patrols, answers and hazards
    Stats {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Copy the database safely, even while the app is running
    Backup {
        /// Where to write [default: backups/ in the data folder]
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
    },
    /// Check the database: integrity, references and the event log's hash chain
    Check,
    /// Replace the database with a backup (a copy of the current file is kept first)
    Restore {
        /// The backup to restore, e.g. backups/firepatrol-auto-2026-11-22.db
        from: PathBuf,
    },
    /// Find buildings by name, pinyin, initials or number (xfr2, xinfurong, 2栋, 新芙蓉)
    Find {
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// The hazard ledger (隐患台账), filtered
    Hazards {
        /// open, due-today, due-week, overdue, escalated, rectified or all
        #[arg(long, default_value = "open", value_parser = parse_status)]
        status: StatusFilter,
        /// Only buildings whose name (compound and building) contains this
        #[arg(long, value_name = "QUERY")]
        building: Option<String>,
        /// Only hazards found on or after this day
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
        since: Option<NaiveDate>,
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        /// Write to this file (0600, complete or not at all) instead of standard output;
        /// required for xlsx
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
    },
    /// Show one hazard with its history, or act on it (by number YH-..., id or id prefix)
    Hazard {
        id: String,
        /// Rectified (checked), with an optional --note
        #[arg(long, group = "action")]
        rectify: bool,
        /// Extend the deadline to DATE (+3, 12-01, 2026-12-01, fri); needs --reason
        #[arg(long, value_name = "DATE", group = "action")]
        extend: Option<String>,
        /// Escalate to TO (e.g. 社区办公室), with an optional --note
        #[arg(long, value_name = "TO", group = "action")]
        escalate: Option<String>,
        /// Record the community office's response to an escalated hazard
        #[arg(long, value_name = "TEXT", group = "action")]
        respond: Option<String>,
        /// Reopen a rectified hazard; needs --reason
        #[arg(long, group = "action")]
        reopen: bool,
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// End-of-day report: a day (today by default) or a range, for the group chat, for
    /// print, for Excel or for programs
    Report {
        /// today, yesterday or YYYY-MM-DD [default: today]
        #[arg(long, value_name = "DAY", conflicts_with_all = ["from", "to"])]
        date: Option<String>,
        /// First day of a range (with --to)
        #[arg(long, value_name = "DAY", requires = "to")]
        from: Option<String>,
        /// Last day of a range (with --from)
        #[arg(long, value_name = "DAY", requires = "from")]
        to: Option<String>,
        /// Only this leader's patrols, hazards and actions (name, pinyin or initials)
        #[arg(long, value_name = "NAME")]
        inspector: Option<String>,
        /// Only buildings in this grid
        #[arg(long, value_name = "GRID")]
        grid: Option<String>,
        #[arg(long, value_enum, default_value_t = crate::report::Format::Text)]
        format: crate::report::Format,
        /// Write to this file (through a temporary file, 0600) instead of standard output
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// Mask residents' names (张*) and phone numbers (138****1234)
        #[arg(long)]
        redact: bool,
    },
    /// Rectification notices (隐患整改告知书) for hazards: a printable HTML file, a page per
    /// responsible party with the resident's copy and the office's stub
    Notice {
        /// Hazards by number (YH-...), id or id prefix
        #[arg(required = true, value_name = "HAZARD-ID")]
        ids: Vec<String>,
        /// Where to write [default: reports/ beside the database]; - for standard output
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// Mask residents' names and phone numbers
        #[arg(long)]
        redact: bool,
    },
}

fn parse_status(s: &str) -> std::result::Result<StatusFilter, String> {
    StatusFilter::parse(s).ok_or_else(|| {
        let all: Vec<&str> = StatusFilter::ALL.iter().map(|f| f.code()).collect();
        format!("use one of: {}", all.join(", "))
    })
}

fn parse_day(s: &str) -> std::result::Result<NaiveDate, String> {
    crate::domain::day::parse_stored(s).ok_or_else(|| "use YYYY-MM-DD".to_string())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
    Csv,
    /// A spreadsheet (needs --out): frozen header, autofilter, real dates, overdue rows marked
    Xlsx,
}

#[derive(Subcommand, Debug)]
pub enum DemoCmd {
    /// Generate a district-scale database for benchmarks (deterministic for a seed and a day)
    Generate {
        #[arg(long, default_value_t = 1000)]
        buildings: usize,
        #[arg(long, default_value_t = 10000)]
        hazards: usize,
        /// Days of history the hazards are spread over
        #[arg(long, default_value_t = 365)]
        days: i64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The database to create (must not exist yet)
        #[arg(long = "out", value_name = "PATH")]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum ImportWhat {
    /// Buildings: columns community/社区, grid/网格, compound/小区, building/楼栋 (required),
    /// address/地址, kind/类型, units/单元数, floors/楼层数, leader/楼栋长, phone/电话
    Buildings {
        file: PathBuf,
        /// Show what would change, write nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// People: columns name/姓名 (required), role/角色, phone/电话, compound/小区,
    /// building/楼栋, unit/单元
    People {
        file: PathBuf,
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum TemplateCmd {
    /// List the checklist templates in force
    List,
    /// Write a template as TOML or JSON (to standard output, or --out)
    Export {
        /// Template id (see `template list`)
        id: String,
        #[arg(long, value_enum, default_value_t = TemplateFormat::Toml)]
        format: TemplateFormat,
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
    },
    /// Read a template (TOML or JSON), check it, and put it in force
    Import { file: PathBuf },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TemplateFormat {
    Toml,
    Json,
}

/// Resolved settings every command needs.
pub struct Env {
    pub lang: Lang,
    pub clock: Clock,
    pub db: PathBuf,
}

impl Env {
    fn from_cli(cli: &Cli) -> Result<Env> {
        let var = |k: &str| std::env::var(k).ok();
        let lang = cli.lang.unwrap_or_else(|| {
            Lang::from_locale(
                var("LC_ALL").as_deref(),
                var("LC_MESSAGES").as_deref(),
                var("LANG").as_deref(),
            )
        });
        let clock = match &cli.now {
            Some(s) if !s.is_empty() => Clock::parse_fixed(s).ok_or_else(|| {
                Error::Other(format!("FIREPATROL_NOW / --now: cannot read {s:?}"))
            })?,
            _ => Clock::System,
        };
        Ok(Env {
            lang,
            clock,
            db: cli.db.clone().unwrap_or_else(crate::paths::default_db),
        })
    }

    pub fn open(&self, mode: OpenMode) -> Result<Store> {
        Store::open(&self.db, mode, self.clock.clone())
    }
}

/// Run the program; returns the process exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    let env = match Env::from_cli(&cli) {
        Ok(e) => e,
        Err(e) => return fail(Lang::En, &e),
    };
    match run(cli, &env) {
        Ok(()) => 0,
        Err(e) => fail(env.lang, &e),
    }
}

fn fail(lang: Lang, e: &Error) -> i32 {
    let msg = e.message(lang);
    let _ = writeln!(
        std::io::stderr(),
        "firepatrol: {}: {msg}",
        lang.cat().cli_error
    );
    1
}

fn out(s: &str) {
    let mut o = std::io::stdout().lock();
    let _ = writeln!(o, "{s}");
}

fn run(cli: Cli, env: &Env) -> Result<()> {
    let c = env.lang.cat();
    match cli.command {
        None => {
            let store = env.open(OpenMode::Create)?;
            crate::tui::run(store, env.lang, cli.inspector, cli.exit_after_first_frame)
        }
        Some(Command::Demo {
            action:
                Some(DemoCmd::Generate {
                    buildings,
                    hazards,
                    days,
                    seed,
                    out: target,
                }),
            ..
        }) => {
            // `--db` names the database to create (as everywhere); --out is the same.
            let path = target
                .or_else(|| cli.db.clone())
                .ok_or_else(|| Error::Other("--db PATH is required".into()))?;
            if path.exists() {
                return Err(Error::Other((c.generate_exists)(
                    &path.display().to_string(),
                )));
            }
            let started = std::time::Instant::now();
            let mut store = Store::open(&path, OpenMode::Create, env.clock.clone())?;
            let spec = crate::generate::Spec {
                buildings,
                hazards,
                days: days.max(1),
                seed,
            };
            let (b, h) = crate::generate::generate(&mut store, &spec)?;
            out(&(c.generated)(
                b,
                h,
                &path.display().to_string(),
                started.elapsed().as_secs_f64(),
            ));
            Ok(())
        }
        Some(Command::Demo {
            fresh, inspector, ..
        }) => {
            let path = crate::paths::demo_db();
            if fresh || !path.exists() {
                remove_db_files(&path)?;
                let mut store = Store::open(&path, OpenMode::Create, env.clock.clone())?;
                crate::demo::build(&mut store)?;
            }
            let store = Store::open(&path, OpenMode::Existing, env.clock.clone())?;
            crate::tui::run(
                store,
                env.lang,
                inspector.or(cli.inspector),
                cli.exit_after_first_frame,
            )
        }
        Some(Command::Init { demo }) => {
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
        Some(Command::Import { what }) => {
            let (file, dry_run, people) = match what {
                ImportWhat::Buildings { file, dry_run } => (file, dry_run, false),
                ImportWhat::People { file, dry_run } => (file, dry_run, true),
            };
            let table = crate::import::read_table(&file)?;
            let (counts, unknown) = if people {
                let parsed = crate::import::parse_people(&file, &table)?;
                let mut store = env.open(OpenMode::Create)?;
                (
                    store.import_people(&file, &parsed.rows, dry_run)?,
                    parsed.unknown_columns,
                )
            } else {
                let parsed = crate::import::parse_buildings(&file, &table)?;
                let mut store = env.open(OpenMode::Create)?;
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
        Some(Command::Template { action }) => template(env, action),
        Some(Command::Find {
            query,
            limit,
            format,
        }) => find(env, &query, limit, format),
        Some(Command::Hazards {
            status,
            building,
            since,
            format,
            out: target,
        }) => hazards(env, status, building, since, format, target),
        Some(Command::Hazard {
            id,
            rectify,
            extend,
            escalate,
            respond,
            reopen,
            reason,
            note,
            format,
        }) => {
            let action = if rectify {
                Some(HazardAction::Rectify {
                    note: note.unwrap_or_default(),
                })
            } else if let Some(d) = extend {
                let today = env.clock.today();
                let to = crate::domain::deadline::parse_deadline(&d, today).map_err(|e| {
                    let c = env.lang.cat();
                    Error::Other(match e {
                        crate::domain::deadline::DeadlineError::InThePast(d) => {
                            (c.e_date_past)(&d.format("%Y-%m-%d").to_string())
                        }
                        crate::domain::deadline::DeadlineError::NoSuchDate => {
                            c.e_date_no_such.to_string()
                        }
                        crate::domain::deadline::DeadlineError::Unreadable => {
                            c.e_date_unreadable.to_string()
                        }
                    })
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
            };
            hazard(env, &id, action, format)
        }
        Some(Command::Report {
            date,
            from,
            to,
            inspector,
            grid,
            format,
            out: target,
            redact,
        }) => report(
            env,
            ReportArgs {
                date,
                from,
                to,
                inspector,
                grid,
                format,
                out: target,
                redact,
            },
        ),
        Some(Command::Notice {
            ids,
            out: target,
            redact,
        }) => notice(env, &ids, target, redact),
        Some(Command::Stats { format }) => {
            let store = env.open(OpenMode::Existing)?;
            let s = store.stats()?;
            match format {
                Format::Json => out(&serde_json::to_string(&s).unwrap_or_default()),
                Format::Text => out(&(c.stats_text)(&s)),
            }
            Ok(())
        }
        Some(Command::Backup { out: target }) => {
            let store = env.open(OpenMode::Existing)?;
            let target = match target {
                Some(t) => t,
                None => {
                    let dir = crate::paths::backups_dir();
                    std::fs::create_dir_all(&dir).map_err(|e| Error::Io {
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
            out(&(c.backup_written)(&target.display().to_string()));
            Ok(())
        }
        Some(Command::Restore { from }) => {
            let kept = crate::store::backups::restore(&env.db, &from, &env.clock)?;
            if let Some(k) = kept {
                out(&(c.restore_kept)(&k.display().to_string()));
            }
            out(&(c.restore_done)(
                &from.display().to_string(),
                &env.db.display().to_string(),
            ));
            Ok(())
        }
        Some(Command::Check) => {
            let store = env.open(OpenMode::Existing)?;
            let problems = store.check()?;
            if problems.is_empty() {
                out(&(c.check_ok)(&env.db.display().to_string()));
                Ok(())
            } else {
                out(&(c.check_failed)(&env.db.display().to_string()));
                for p in problems.iter().take(50) {
                    out(&format!("  {}", crate::domain::text::clean(p)));
                }
                // Integrity problems mean damage: say so and point to the newest backup. A
                // broken hash chain alone means a record was changed behind the app's back.
                if problems.iter().any(|p| !p.starts_with("event log")) {
                    Err(Error::Damaged {
                        backup: crate::store::backups::newest_backup(&env.db),
                        path: env.db.clone(),
                    })
                } else {
                    Err(Error::Other(problems.join("\n")))
                }
            }
        }
    }
}

fn template(env: &Env, action: TemplateCmd) -> Result<()> {
    let c = env.lang.cat();
    match action {
        TemplateCmd::List => {
            let store = env.open(OpenMode::Existing)?;
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
            let store = env.open(OpenMode::Existing)?;
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

/// A ledger row as printed in JSON: the hazard and its days overdue on the day of the query.
#[derive(serde::Serialize)]
pub struct LedgerEntry<'a> {
    #[serde(flatten)]
    pub hazard: &'a HazardRow,
    pub days_overdue: i64,
}

fn hazards(
    env: &Env,
    status: StatusFilter,
    building: Option<String>,
    since: Option<NaiveDate>,
    format: ListFormat,
    target: Option<PathBuf>,
) -> Result<()> {
    let c = env.lang.cat();
    let store = env.open(OpenMode::Existing)?;
    let today = env.clock.today();
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
    // Streamed: each row is written as it is read, so memory stays flat for any size.
    if format == ListFormat::Xlsx {
        let Some(path) = target else {
            return Err(Error::Other(c.xlsx_needs_out.to_string()));
        };
        let columns: Vec<&str> = c.ledger_columns.to_vec();
        let n = stream_to_file(&path, |f| {
            crate::report::ledger_xlsx::write(
                &store,
                &filter,
                env.lang,
                &columns,
                |h| ledger_row(env, h, today),
                f,
            )
        })?;
        out(&(c.ledger_written)(n, &path.display().to_string()));
        return Ok(());
    }
    if let Some(path) = target {
        return stream_to_file(&path, |f| {
            let mut w = std::io::BufWriter::new(f);
            write_ledger(env, &store, &filter, format, &mut w, &path)?;
            w.flush().map_err(|e| Error::Io {
                path: path.clone(),
                source: e,
            })
        });
    }
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    write_ledger(env, &store, &filter, format, &mut w, Path::new("-"))
}

fn write_ledger(
    env: &Env,
    store: &Store,
    filter: &LedgerFilter,
    format: ListFormat,
    w: &mut impl Write,
    path: &Path,
) -> Result<()> {
    let c = env.lang.cat();
    let today = env.clock.today();
    let io = |e: std::io::Error| export_error(path, e);
    match format {
        ListFormat::Json => {
            w.write_all(b"[").map_err(io)?;
            let mut first = true;
            store.ledger_each(filter, |h| {
                let entry = LedgerEntry {
                    hazard: h,
                    days_overdue: h.days_overdue(today),
                };
                w.write_all(if first { b"\n" } else { b",\n" })
                    .map_err(io)?;
                first = false;
                serde_json::to_writer_pretty(&mut *w, &entry)
                    .map_err(|e| Error::Other(e.to_string()))
            })?;
            w.write_all(b"\n]\n").map_err(io)?;
        }
        ListFormat::Csv => {
            let header: Vec<String> = c.ledger_columns.iter().map(|s| s.to_string()).collect();
            w.write_all(b"\xef\xbb\xbf").map_err(io)?;
            let mut csv = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(&mut *w);
            let cell_err = |e: csv::Error| match e.into_kind() {
                csv::ErrorKind::Io(e) => io(e),
                k => Error::Other(format!("{k:?}")),
            };
            csv.write_record(header.iter().map(|h| crate::export::neutralize(h)))
                .map_err(cell_err)?;
            store.ledger_each(filter, |h| {
                csv.write_record(
                    ledger_row(env, h, today)
                        .iter()
                        .map(|v| crate::export::neutralize(v)),
                )
                .map_err(cell_err)
            })?;
            csv.flush().map_err(io)?;
        }
        ListFormat::Table => {
            use crate::domain::text::pad;
            let widths = [16, 24, 8, 8, 6, 10, 8, 6, 4];
            let head: Vec<String> = c
                .ledger_table_columns
                .iter()
                .zip(widths)
                .map(|(h, w)| pad(h, w))
                .collect();
            writeln!(w, "{}", head.join(" ").trim_end()).map_err(io)?;
            let n = store.ledger_each(filter, |h| {
                let cells = [
                    h.number.clone(),
                    place(env, h),
                    h.item_id.clone(),
                    c.severity(h.severity).to_string(),
                    h.deadline.get(5..).unwrap_or(&h.deadline).to_string(),
                    c.status(h.status).to_string(),
                    match h.days_overdue(today) {
                        0 => String::new(),
                        d => d.to_string(),
                    },
                    if h.recurrence > 0 {
                        h.recurrence.to_string()
                    } else {
                        String::new()
                    },
                    String::new(),
                ];
                let line: Vec<String> = cells.iter().zip(widths).map(|(s, w)| pad(s, w)).collect();
                writeln!(w, "{}", line.join(" ").trim_end()).map_err(io)
            })?;
            writeln!(w, "{}", (c.ledger_total)(n)).map_err(io)?;
        }
        ListFormat::Xlsx => {}
    }
    w.flush().map_err(io)?;
    Ok(())
}

/// "新芙蓉之都 2栋 1单元 3楼" for lists.
fn place(env: &Env, h: &HazardRow) -> String {
    let c = env.lang.cat();
    let mut s = if h.compound.is_empty() {
        h.building.clone()
    } else {
        format!("{} {}", h.compound, h.building)
    };
    if let Some(u) = h.unit {
        s.push(' ');
        s.push_str(&(c.unit_name)(u));
    }
    if !h.spot.is_empty() {
        s.push(' ');
        s.push_str(&h.spot);
    }
    s
}

fn ledger_row(env: &Env, h: &HazardRow, today: NaiveDate) -> Vec<String> {
    let c = env.lang.cat();
    vec![
        h.number.clone(),
        h.found_at.clone(),
        h.found_by.clone(),
        place(env, h),
        h.item_id.clone(),
        c.category(&h.category),
        h.description.clone(),
        c.severity(h.severity).to_string(),
        h.party_name.clone(),
        h.party_room.clone(),
        h.party_phone.clone(),
        h.deadline.clone(),
        c.status(h.status).to_string(),
        h.days_overdue(today).to_string(),
        h.recurrence.to_string(),
        h.escalated_to.clone().unwrap_or_default(),
    ]
}

fn hazard(env: &Env, key: &str, action: Option<HazardAction>, format: Format) -> Result<()> {
    let c = env.lang.cat();
    let mut store = env.open(OpenMode::Existing)?;
    let h = store
        .find_hazard(key)?
        .map_err(|r| Error::Other(crate::i18n::refusal(env.lang, &r)))?;
    if let Some(action) = action {
        store
            .hazard_action(&h.id, &action, None)?
            .map_err(|r| Error::Other(crate::i18n::refusal(env.lang, &r)))?;
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
                entry: LedgerEntry {
                    hazard: &h,
                    days_overdue: h.days_overdue(today),
                },
                history: &history,
            };
            out(&serde_json::to_string_pretty(&d).unwrap_or_default());
        }
        Format::Text => {
            let row = ledger_row(env, &h, today);
            for (label, value) in c.ledger_columns.iter().zip(row) {
                if !value.is_empty() {
                    out(&format!("{label}: {value}"));
                }
            }
            for e in &history {
                out(format!(
                    "  {} {} {} {} {}",
                    e.at,
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

/// One building found by `firepatrol find`.
#[derive(serde::Serialize)]
struct Found {
    id: String,
    /// The full display name: compound and building.
    name: String,
    score: i64,
    compound: String,
    building: String,
    address: String,
    kind: crate::domain::SiteKind,
    last_patrol: Option<String>,
    open_hazards: i64,
}

fn find(env: &Env, query: &str, limit: usize, format: Format) -> Result<()> {
    let store = env.open(OpenMode::Existing)?;
    let all = store.building_summaries_counted(None)?;
    let mut index = crate::lookup::building_index(&all);
    let found: Vec<Found> = index
        .query(query, limit)
        .into_iter()
        .filter_map(|h| all.get(h.handle as usize).map(|b| (h.score, b)))
        .map(|(score, b)| Found {
            id: b.building.id.clone(),
            name: b.building.display_name(),
            score,
            compound: b.building.compound.clone(),
            building: b.building.name.clone(),
            address: b.building.address.clone(),
            kind: b.building.kind,
            last_patrol: b.last_day.clone(),
            open_hazards: b.open,
        })
        .collect();
    match format {
        Format::Json => out(&serde_json::to_string_pretty(&found).unwrap_or_default()),
        Format::Text => {
            use crate::domain::text::pad;
            for f in &found {
                out(format!(
                    "{} {} {}",
                    pad(&f.score.to_string(), 8),
                    pad(&f.name, 28),
                    f.address
                )
                .trim_end());
            }
        }
    }
    Ok(())
}

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

fn report(env: &Env, a: ReportArgs) -> Result<()> {
    let c = env.lang.cat();
    if a.format.is_binary() && a.out.is_none() {
        return Err(Error::Other((c.rp_needs_out)(
            &format!("{:?}", a.format).to_lowercase(),
        )));
    }
    let today = env.clock.today();
    let day = |s: &str| {
        crate::domain::day::parse_typed(s, today).ok_or_else(|| Error::Other((c.rp_bad_day)(s)))
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
        return Err(Error::Other((c.rp_bad_range)(
            &from.format("%Y-%m-%d").to_string(),
            &to.format("%Y-%m-%d").to_string(),
        )));
    }
    let store = env.open(OpenMode::Existing)?;
    let person = match a
        .inspector
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
    {
        Some(q) => Some(
            crate::lookup::best_person(&store.people()?, q)
                .cloned()
                .ok_or_else(|| Error::Other((c.t_no_such_person)(q)))?,
        ),
        None => None,
    };
    let grid = a.grid.as_deref().map(str::trim).filter(|g| !g.is_empty());
    if let Some(g) = grid {
        let all = store.grid_names()?;
        if !all.iter().any(|x| x == g) {
            return Err(Error::Other((c.rp_no_grid)(g, &all.join(c.rp_list_sep))));
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
    let r = crate::report::build(&store, &scope, &opts)?;
    let bytes = crate::report::render(&r, env.lang, a.format)?;
    match a.out {
        Some(p) => {
            write_private_atomic(&p, &bytes)?;
            out(&(c.rp_written)(&p.display().to_string()));
        }
        None => {
            let _ = std::io::stdout().lock().write_all(&bytes);
        }
    }
    Ok(())
}

fn notice(env: &Env, ids: &[String], target: Option<PathBuf>, redact: bool) -> Result<()> {
    let c = env.lang.cat();
    let store = env.open(OpenMode::Existing)?;
    let mut hazards: Vec<HazardRow> = Vec::new();
    for key in ids {
        let h = store
            .find_hazard(key)?
            .map_err(|r| Error::Other(crate::i18n::refusal(env.lang, &r)))?;
        if !hazards.iter().any(|x| x.id == h.id) {
            hazards.push(h);
        }
    }
    let items = crate::report::items_by_id(&store)?;
    let (html, pages) =
        crate::report::notice::render(&hazards, &items, env.lang, env.clock.today(), redact);
    if target.as_deref() == Some(Path::new("-")) {
        let _ = std::io::stdout().lock().write_all(html.as_bytes());
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
