//! The command line: clap definitions and dispatch. Everything here is thin: it parses,
//! calls the library, and prints in the user's language.

use crate::domain::checklist::Template;
use crate::domain::clock::Clock;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::store::{OpenMode, Store};
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

/// The platform data folder (e.g. ~/.local/share/firepatrol).
pub fn data_dir() -> PathBuf {
    directories::ProjectDirs::from("", "", "firepatrol")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".firepatrol"))
}

pub fn default_db() -> PathBuf {
    data_dir().join("firepatrol.db")
}

pub fn demo_db() -> PathBuf {
    data_dir().join("demo.db")
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
            db: cli.db.clone().unwrap_or_else(default_db),
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
            crate::tui::run(store, env.lang, cli.inspector)
        }
        Some(Command::Demo { fresh, inspector }) => {
            let path = demo_db();
            if fresh || !path.exists() {
                remove_db_files(&path)?;
                let mut store = Store::open(&path, OpenMode::Create, env.clock.clone())?;
                crate::demo::build(&mut store)?;
            }
            let store = Store::open(&path, OpenMode::Existing, env.clock.clone())?;
            crate::tui::run(store, env.lang, inspector.or(cli.inspector))
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
                    let dir = data_dir().join("backups");
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
        Some(Command::Check) => {
            let store = env.open(OpenMode::Existing)?;
            let problems = store.check()?;
            if problems.is_empty() {
                out(&(c.check_ok)(&env.db.display().to_string()));
                Ok(())
            } else {
                let mut msg = (c.check_failed)(&env.db.display().to_string());
                for p in problems {
                    msg.push_str("\n  ");
                    msg.push_str(&p);
                }
                Err(Error::Other(msg))
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

/// Write a file readable by the owner only, through a temporary file renamed when complete:
/// a failed write leaves no partial file.
pub fn write_private_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let io = |e| Error::Io {
        path: path.to_path_buf(),
        source: e,
    };
    if path.is_dir() {
        return Err(Error::IsDirectory {
            path: path.to_path_buf(),
        });
    }
    let tmp = crate::store::temp_sibling(path);
    let result = (|| {
        let mut f = crate::store::create_private(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(e));
    }
    Ok(())
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
