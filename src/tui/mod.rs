//! The terminal app. A key press: `keymap` (the one key table) gives an act; `update` (the
//! router) sends it to the screen in `screens` that owns it, which changes its state and
//! returns `effect::Effect`s; `effects` runs those against the store and feeds the outcome
//! back as `msg::Msg`s; the screens draw from the state alone. `widgets` holds what every
//! screen uses. State never touches the database, so `update` is tested with plain values
//! (`tests`) and every screen in-process with ratatui's `TestBackend`; this module only sets
//! up the terminal and runs the loop.

pub mod app;
pub mod effect;
pub mod effects;
pub mod jobs;
pub mod keymap;
pub mod msg;
pub mod screens;
pub mod state;
pub mod update;
pub mod widgets;

#[cfg(test)]
mod tests;

use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::store::Store;
use crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste};
use crossterm::execute;
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use std::path::PathBuf;
use std::time::Duration;

/// Write panic reports to the log file and tell the user where, after the terminal is
/// restored. Installed before `ratatui::init`, whose own hook restores the terminal first.
fn install_panic_report(lang: Lang) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(std::io::stdout(), DisableBracketedPaste);
        // The log and its folder are private (0600 in 0700), as every file firepatrol writes.
        match crate::fsio::append_panic_report(&info.to_string()) {
            Some(log) => eprintln!("{}", (lang.cat().t_panic)(&log.display().to_string())),
            None => previous(info),
        }
    }));
}

pub fn run(
    store: Store,
    lang: Lang,
    inspector: Option<String>,
    exit_after_first_frame: bool,
) -> Result<()> {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let (path, clock) = (store.path().to_path_buf(), store.clock.clone());
    let mut app = app::App::new(store, lang, inspector.as_deref(), no_color);
    app.background_sync = true;
    if exit_after_first_frame {
        return first_frame(&mut app);
    }
    // The first start of a day keeps a backup, in the background, and only of a database
    // that loaded cleanly (a damaged one must never become the "newest backup").
    let loaded = app.start_error().is_none();
    let backup = loaded.then(|| {
        std::thread::spawn(move || crate::store::backups::daily_backup_checked(&path, &clock))
    });
    install_panic_report(lang);
    let mut terminal = ratatui::try_init().map_err(Error::Terminal)?;
    let _ = execute!(std::io::stdout(), EnableBracketedPaste);
    if let Ok(size) = terminal.size() {
        app.resize(size.width, size.height);
    }
    let result = event_loop(&mut terminal, &mut app, backup);
    let _ = execute!(std::io::stdout(), DisableBracketedPaste);
    ratatui::restore();
    result.map_err(Error::Terminal)
}

/// Draw the first screen once (to the terminal if there is one, else off-screen 120x40) and
/// return; an error shown on it becomes the result.
fn first_frame(app: &mut app::App) -> Result<()> {
    use std::io::IsTerminal;
    let term_err = Error::Terminal;
    if std::io::stdout().is_terminal() {
        let mut terminal = ratatui::try_init().map_err(term_err)?;
        let drawn = terminal.draw(|f| app.draw(f)).map(|_| ());
        ratatui::restore();
        drawn.map_err(term_err)?;
    } else {
        // Drawing off-screen cannot fail (the test backend's error type is `Infallible`).
        let drawn = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40))
            .and_then(|mut terminal| terminal.draw(|f| app.draw(f)).map(|_| ()));
        if let Err(never) = drawn {
            match never {}
        }
    }
    match app.take_start_error() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

type BackupJob = Option<std::thread::JoinHandle<Result<Option<PathBuf>>>>;

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut app::App,
    mut backup: BackupJob,
) -> std::io::Result<()> {
    if std::env::var_os("FIREPATROL_TEST_PANIC").is_some() {
        panic!("forced panic (FIREPATROL_TEST_PANIC)");
    }
    loop {
        if backup.as_ref().is_some_and(|h| h.is_finished()) {
            let failed = match backup.take().map(|h| h.join()) {
                Some(Ok(Err(e))) => Some(e.message(app.state.lang)),
                Some(Err(_)) => Some(String::new()),
                _ => None,
            };
            if let Some(m) = failed {
                app.state.error((app.state.lang.cat().backup_failed)(&m));
            }
        }
        // Each frame is one synchronized update: terminals that support it show it whole, and
        // a frame cut short (a crash, a kill) is recognisable as unfinished.
        execute!(std::io::stdout(), BeginSynchronizedUpdate)?;
        terminal.draw(|f| app.draw(f))?;
        execute!(std::io::stdout(), EndSynchronizedUpdate)?;
        if app.quit() {
            return Ok(());
        }
        // A sync beside the app: its seconds and its outcome are drawn as they come, and
        // keys (Ctrl-C among them) are read all the while.
        app.poll_jobs();
        let wait = if app.job_running() { 100 } else { 500 };
        if event::poll(Duration::from_millis(wait))? {
            app.handle_event(event::read()?);
        }
    }
}
