//! The command line. Everything here is thin: it parses ([`args`]), calls the library, and
//! prints in the user's language. The commands are grouped by job: `setup` (demo, init,
//! import, template), `hazards` (the ledger and one hazard's actions), `reports` (report,
//! notice), `maintenance` (stats, backup, restore, check) and `find`.

pub mod args;
mod find;
mod hazards;
pub mod localize;
mod maintenance;
mod people;
mod reports;
mod setup;
mod sync;

pub use args::{
    Cli, Command, DemoCmd, DevicesCmd, Format, ImportWhat, PeopleCmd, PhotosCmd, TemplateCmd,
    TemplateFormat,
};
pub use reports::ReportArgs;

use crate::domain::clock::Clock;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::store::{OpenMode, Store};
use std::io::Write;
use std::path::PathBuf;

/// Resolved settings every command needs.
pub struct Env {
    pub lang: Lang,
    pub clock: Clock,
    pub db: PathBuf,
}

impl Env {
    fn from_cli(cli: &Cli, lang: Lang) -> Result<Env> {
        let clock = match &cli.now {
            Some(s) if !s.is_empty() => {
                Clock::parse_fixed(s).ok_or_else(|| Error::Usage((lang.cat().cli_bad_now)(s)))?
            }
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

/// The interface language: `--lang`, else the locale.
fn lang_of(cli: &Cli) -> Lang {
    let var = |k: &str| std::env::var(k).ok();
    cli.lang.unwrap_or_else(|| {
        Lang::from_locale(
            var("LC_ALL").as_deref(),
            var("LC_MESSAGES").as_deref(),
            var("LANG").as_deref(),
        )
    })
}

/// Run the program; returns the process exit code.
pub fn main() -> i32 {
    // Help and argument errors in the interface language, known before parsing.
    let cli = match localize::parse(localize::early_lang()) {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let lang = lang_of(&cli);
    let env = match Env::from_cli(&cli, lang) {
        Ok(e) => e,
        Err(e) => return fail(lang, &e),
    };
    install_panic_report(lang);
    if std::env::var("FIREPATROL_TEST_PANIC").as_deref() == Ok("cli") {
        panic!("forced panic of a command (FIREPATROL_TEST_PANIC=cli)");
    }
    sweep_temporaries(&env);
    match run(cli, &env).and_then(|()| stdout_result()) {
        Ok(()) => 0,
        Err(e) => fail(env.lang, &e),
    }
}

/// A panic of a command is written to the panic log (the app installs its own report, which
/// also restores the terminal).
fn install_panic_report(lang: Lang) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(
        move |info| match crate::fsio::append_panic_report(&info.to_string()) {
            Some(log) => eprintln!("{}", (lang.cat().t_panic)(&log.display().to_string())),
            None => previous(info),
        },
    ));
}

/// Temporary files that a killed run left (`.NAME.PID.tmp`) in the folders firepatrol writes.
fn sweep_temporaries(env: &Env) {
    let mut dirs = vec![
        crate::paths::data_dir(),
        crate::paths::backups_dir(),
        crate::paths::reports_dir(&env.db),
    ];
    if let Some(d) = env.db.parent().filter(|d| !d.as_os_str().is_empty()) {
        dirs.push(d.to_path_buf());
        dirs.push(crate::store::backups::backup_dir(&env.db));
    }
    for d in dirs {
        crate::fsio::sweep_stale_temps(&d);
    }
}

fn fail(lang: Lang, e: &Error) -> i32 {
    let msg = e.message(lang);
    let msg = crate::domain::text::neutralise(&msg);
    let _ = writeln!(
        std::io::stderr(),
        "firepatrol: {}: {msg}",
        lang.cat().cli_error
    );
    1
}

/// The first failure to write standard output, reported when the command ends: a command
/// whose output could not be written exits non-zero.
static STDOUT_FAILED: std::sync::Mutex<Option<std::io::Error>> = std::sync::Mutex::new(None);

/// Write text to standard output, through the writer that drops control and bidi characters
/// (every line the commands print passes here); a failure is kept for the exit code.
fn out_bytes(b: &[u8]) {
    let mut o = crate::export::Neutral::new(std::io::stdout().lock());
    if let Err(e) = o.write_all(b).and_then(|()| o.flush()) {
        note_stdout_failure(e);
    }
}

fn note_stdout_failure(e: std::io::Error) {
    if let Ok(mut f) = STDOUT_FAILED.lock() {
        f.get_or_insert(e);
    }
}

/// Print a line on standard output.
fn out(s: &str) {
    out_bytes(format!("{s}\n").as_bytes());
}

/// After the command: standard output flushed, and its first failure as the error.
fn stdout_result() -> Result<()> {
    if let Err(e) = std::io::stdout().lock().flush() {
        note_stdout_failure(e);
    }
    match STDOUT_FAILED.lock().ok().and_then(|mut f| f.take()) {
        Some(e) => Err(Error::Stdout(e)),
        None => Ok(()),
    }
}

fn run(cli: Cli, env: &Env) -> Result<()> {
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
            let spec = crate::generate::Spec {
                buildings,
                hazards,
                days,
                seed,
            };
            // `--db` names the database to create (as everywhere); --out is the same.
            setup::generate(env, &spec, target.or(cli.db))
        }
        Some(Command::Demo {
            fresh,
            inspector,
            office,
            ..
        }) => setup::demo(
            env,
            fresh,
            office,
            inspector.or(cli.inspector),
            cli.exit_after_first_frame,
        ),
        Some(Command::Init { demo, office }) => {
            if office {
                sync::init_office(env)
            } else {
                setup::init(env, demo)
            }
        }
        Some(Command::Devices { action }) => sync::devices(env, action),
        Some(Command::Join {
            file,
            code,
            replace,
        }) => sync::join(env, &file, code.as_deref(), replace),
        Some(Command::Sync {
            source,
            out: to,
            reply,
        }) => sync::sync(env, source.as_deref(), to, reply),
        Some(Command::Serve { listen }) => sync::serve(env, &listen),
        Some(Command::Import { what }) => setup::import(env, what),
        Some(Command::Template { action }) => setup::template(env, action),
        Some(Command::Find {
            query,
            limit,
            format,
        }) => find::find(env, &query, limit, format),
        Some(Command::Hazards {
            status,
            building,
            since,
            format,
            out: target,
        }) => hazards::ledger(env, status, building, since, format, target),
        Some(Command::Hazard {
            id,
            rectify,
            extend,
            escalate,
            respond,
            reopen,
            reason,
            note,
            photo,
            format,
        }) => {
            if !photo.is_empty() {
                return hazards::attach_photos(env, &id, &photo, format);
            }
            let action = hazards::Asked {
                rectify,
                extend,
                escalate,
                respond,
                reopen,
                reason,
                note,
            };
            hazards::hazard(env, &id, action, format)
        }
        Some(Command::Report {
            date,
            from,
            to,
            inspector,
            grid,
            format,
            out: target,
            full,
            redact: _,
        }) => reports::report(
            env,
            ReportArgs {
                date,
                from,
                to,
                inspector,
                grid,
                format,
                out: target,
                redact: !full,
            },
        ),
        Some(Command::Notice {
            ids,
            out: target,
            full,
            closed,
            redact: _,
        }) => reports::notice(env, &ids, target, !full, closed),
        Some(Command::Summary {
            month,
            format,
            out: target,
        }) => reports::summary(env, month.as_deref(), format, target),
        Some(Command::Record {
            date,
            inspector,
            out: target,
        }) => reports::record(env, date.as_deref(), inspector.as_deref(), target),
        Some(Command::Stats { format }) => maintenance::stats(env, format),
        Some(Command::Backup { out: target }) => maintenance::backup(env, target),
        Some(Command::Restore { from }) => maintenance::restore(env, &from),
        Some(Command::Check) => maintenance::check(env),
        Some(Command::People { action, format }) => people::people(env, action, format),
        Some(Command::Plate {
            building,
            compound,
            paper,
            out: target,
            ..
        }) => people::plate(env, building, compound, paper, target),
        Some(Command::Photos { action }) => people::photos(env, action),
    }
}
