//! The app in-process: state + effects, driven by events, drawn to any ratatui backend. The
//! terminal loop (`tui::run`) and the tests both use this.

use super::effects::Runner;
use super::state::{Screen, State};
use super::update::{Command, Msg, update};
use crate::i18n::Lang;
use crate::store::Store;
use crossterm::event::{Event, KeyEvent};
use ratatui::Frame;
use std::collections::VecDeque;

pub struct App {
    pub state: State,
    pub runner: Runner,
    pub theme: super::screens::Theme,
}

impl App {
    /// Load the start screen. `inspector` picks who is patrolling by fuzzy match on the name.
    pub fn new(store: Store, lang: Lang, inspector: Option<&str>, no_color: bool) -> App {
        let today = store.clock.today();
        let mut app = App {
            state: State::new(lang, today),
            runner: Runner::new(store, lang),
            theme: super::screens::Theme::new(no_color),
        };
        app.run_commands(vec![Command::LoadStart]);
        if let Some(q) = inspector.map(str::trim).filter(|q| !q.is_empty()) {
            match crate::lookup::best_person(&app.state.people, q).cloned() {
                Some(p) => {
                    app.state.inspector = Some(p.clone());
                    app.state.screen = Screen::Start;
                    app.run_commands(vec![Command::RememberInspector(p.id), Command::LoadStart]);
                }
                None => {
                    app.state.notice =
                        Some(super::state::Notice::Error((lang.cat().t_no_such_person)(
                            q,
                        )));
                }
            }
        }
        app
    }

    pub fn handle_event(&mut self, ev: Event) {
        let msg = match ev {
            Event::Key(k) => Msg::Key(k),
            Event::Paste(s) => Msg::Paste(s),
            _ => return,
        };
        self.handle(msg);
    }

    pub fn key(&mut self, k: KeyEvent) {
        self.handle(Msg::Key(k));
    }

    fn handle(&mut self, msg: Msg) {
        let cmds = update(&mut self.state, msg);
        self.run_commands(cmds);
    }

    /// Run commands and feed their outcomes back until nothing is left to do.
    fn run_commands(&mut self, cmds: Vec<Command>) {
        let mut queue: VecDeque<Command> = cmds.into();
        while let Some(cmd) = queue.pop_front() {
            for msg in self.runner.run(cmd) {
                queue.extend(update(&mut self.state, msg));
            }
        }
    }

    pub fn draw(&self, frame: &mut Frame) {
        super::screens::draw(frame, &self.state, &self.theme);
    }

    pub fn quit(&self) -> bool {
        self.state.quit
    }
}
