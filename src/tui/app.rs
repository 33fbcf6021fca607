//! The app in-process: state + effects, driven by events, drawn to any ratatui backend. The
//! terminal loop (`tui::run`) and the tests both use this.

use super::effect::Effect;
use super::effects::Runner;
use super::msg::Msg;
use super::screens::{Screen, State};
use super::update::update;
use super::widgets::Theme;
use crate::error::Error;
use crate::i18n::Lang;
use crate::store::Store;
use crossterm::event::{Event, KeyEvent};
use ratatui::Frame;
use std::collections::VecDeque;

pub struct App {
    pub state: State,
    pub runner: Runner,
    pub theme: Theme,
    /// Why the app could not start as asked (shown on screen too): the first effect that
    /// failed while starting, or an `--inspector` that names nobody.
    start_error: Option<Error>,
    /// In the terminal: a sync runs beside the app (`jobs`), and `poll_jobs` brings in its
    /// progress and outcome. In tests it runs at once, unless a test asks for this.
    pub background_sync: bool,
    job: Option<super::jobs::SyncJob>,
}

impl App {
    /// Load the start screen. `inspector` picks who is patrolling by fuzzy match on the name.
    pub fn new(store: Store, lang: Lang, inspector: Option<&str>, no_color: bool) -> App {
        let today = store.clock.today();
        let mut app = App {
            state: State::new(lang, today),
            runner: Runner::new(store, lang),
            theme: Theme::new(no_color),
            start_error: None,
            background_sync: false,
            job: None,
        };
        // Who is patrolling is settled before the start is loaded, so it is loaded once.
        let query = inspector.map(str::trim).filter(|q| !q.is_empty());
        let chosen = match query {
            Some(q) => match app.runner.store.people_in_service() {
                Ok(people) => crate::lookup::best_person(&people, q).cloned(),
                Err(e) => {
                    app.start_error = Some(e);
                    None
                }
            },
            None => None,
        };
        let mut effects = vec![Effect::LoadStart];
        if let Some(p) = &chosen {
            app.state.inspector = Some(p.clone());
            app.state.screen = Screen::Start;
            effects.insert(0, Effect::RememberInspector(p.id.clone()));
        }
        let failed = app.run_effects(effects);
        app.start_error = app.start_error.take().or(failed);
        if let (Some(q), None) = (query, &chosen) {
            // The command line's `--inspector` names nobody: worded as the command line
            // words it, and kept on screen.
            let text = (lang.cat().t_no_such_person)(q);
            app.state.error(text.clone());
            app.start_error = app.start_error.take().or(Some(Error::Usage(text)));
        }
        app
    }

    /// Why the app could not start as asked, if it could not.
    pub fn start_error(&self) -> Option<&Error> {
        self.start_error.as_ref()
    }

    /// Take the start error (to return it as the result of a run).
    pub fn take_start_error(&mut self) -> Option<Error> {
        self.start_error.take()
    }

    pub fn handle_event(&mut self, ev: Event) {
        let msg = match ev {
            Event::Key(k) => Msg::Key(k),
            Event::Paste(s) => Msg::Paste(s),
            Event::Resize(w, h) => Msg::Resize(w, h),
            _ => return,
        };
        self.handle(msg);
    }

    /// The terminal's size (at start, and on every resize).
    pub fn resize(&mut self, width: u16, height: u16) {
        self.handle(Msg::Resize(width, height));
    }

    pub fn key(&mut self, k: KeyEvent) {
        self.handle(Msg::Key(k));
    }

    fn handle(&mut self, msg: Msg) {
        let effects = update(&mut self.state, msg);
        self.run_effects(effects);
    }

    /// Whether a sync runs beside the app.
    pub fn job_running(&self) -> bool {
        self.job.is_some()
    }

    /// Bring in what the sync beside the app has to say: another second, or its outcome.
    /// True when something changed on screen.
    pub fn poll_jobs(&mut self) -> bool {
        use super::jobs::Poll;
        let Some(job) = self.job.as_mut() else {
            return false;
        };
        match job.poll() {
            Poll::Running => false,
            Poll::Tick(secs) => {
                self.handle(Msg::SyncTick(secs));
                true
            }
            Poll::Done(msg) => {
                self.job = None;
                self.handle(msg);
                true
            }
        }
    }

    /// The effects that belong to the app rather than to the runner: a sync started beside
    /// the app, and stopped. `None` for every other effect.
    fn own_effect(&mut self, effect: &Effect) -> Option<Vec<Msg>> {
        match effect {
            Effect::SyncNow if self.background_sync => {
                let store = &self.runner.store;
                let lang = self.state.lang;
                let url = match store.meta(crate::store::meta::MetaKey::SyncOfficeUrl) {
                    Ok(Some(url)) => url,
                    Ok(None) => return Some(vec![Msg::SyncFailed(lang.cat().sync.no_url.into())]),
                    Err(e) => return Some(vec![Msg::SyncFailed(e.message(lang))]),
                };
                let path = store.path().to_path_buf();
                self.job = Some(super::jobs::SyncJob::start(
                    path,
                    store.clock.clone(),
                    lang,
                    url,
                ));
                Some(vec![Msg::SyncTick(0)])
            }
            Effect::StopSync => Some(match self.job.as_mut().map(|j| j.stop()) {
                Some(Some(stopped)) => {
                    self.job = None;
                    vec![stopped]
                }
                Some(None) => vec![Msg::SyncFinishing],
                None => vec![],
            }),
            _ => None,
        }
    }

    /// Run effects and feed their outcomes back until nothing is left to do; the first
    /// failure, if any, is returned (it is on screen too).
    fn run_effects(&mut self, effects: Vec<Effect>) -> Option<Error> {
        let mut first_failure = None;
        let mut queue: VecDeque<Effect> = effects.into();
        while let Some(effect) = queue.pop_front() {
            if let Some(msgs) = self.own_effect(&effect) {
                for msg in msgs {
                    queue.extend(update(&mut self.state, msg));
                }
                continue;
            }
            let msgs = match self.runner.run(effect) {
                Ok(msgs) => msgs,
                Err(e) => {
                    let text = e.message(self.state.lang);
                    first_failure.get_or_insert(e);
                    vec![Msg::Failed(text)]
                }
            };
            for msg in msgs {
                queue.extend(update(&mut self.state, msg));
            }
        }
        first_failure
    }

    pub fn draw(&self, frame: &mut Frame) {
        super::screens::draw(frame, &self.state, &self.theme);
    }

    pub fn quit(&self) -> bool {
        self.state.quit
    }
}
