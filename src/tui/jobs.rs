//! Slow work beside the UI (after gitui's async jobs): a sync with the office runs on a
//! thread of its own, with its own connection to the database. The screen keeps drawing and
//! shows how long it has run; Ctrl-C stops it before anything is applied (and if the reply is
//! being saved already, that finishes: it is one transaction). The outcome is one line.

use super::msg::Msg;
use crate::domain::clock::Clock;
use crate::i18n::Lang;
use crate::store::{OpenMode, Store};
use crate::sync::http::{CLIENT_TIMEOUT, Stop, sync_with_stop};
use std::path::PathBuf;
use std::thread::JoinHandle;
use std::time::Instant;

/// A sync running beside the app.
pub struct SyncJob {
    stop: Stop,
    started: Instant,
    shown: u64,
    url: String,
    lang: Lang,
    handle: Option<JoinHandle<Msg>>,
}

/// What a look at a job found.
pub enum Poll {
    /// Still running, and another second has passed.
    Tick(u64),
    /// Still running.
    Running,
    /// Ended: its outcome, as a message for the update.
    Done(Msg),
}

impl SyncJob {
    /// Start a sync of the database at `path` with the office at `url`.
    pub fn start(path: PathBuf, clock: Clock, lang: Lang, url: String) -> SyncJob {
        let stop = Stop::default();
        let handle = {
            let (stop, url) = (stop.clone(), url.clone());
            std::thread::spawn(move || {
                let result = Store::open(&path, OpenMode::Existing, clock)
                    .and_then(|mut store| sync_with_stop(&mut store, &url, CLIENT_TIMEOUT, &stop));
                match result {
                    Ok((r, sent)) => Msg::Synced((lang.cat().sync.synced)(&url, sent, &r.applied)),
                    Err(e) => Msg::SyncFailed(e.message(lang)),
                }
            })
        };
        SyncJob {
            stop,
            started: Instant::now(),
            shown: 0,
            url,
            lang,
            handle: Some(handle),
        }
    }

    /// Look at the job: ended, another second, or nothing new.
    pub fn poll(&mut self) -> Poll {
        if self.handle.as_ref().is_some_and(JoinHandle::is_finished) {
            let msg = match self.handle.take().map(JoinHandle::join) {
                Some(Ok(msg)) => msg,
                _ => Msg::SyncFailed(self.lang.cat().office.sync_broke.to_string()),
            };
            return Poll::Done(msg);
        }
        let secs = self.started.elapsed().as_secs();
        if secs != self.shown {
            self.shown = secs;
            return Poll::Tick(secs);
        }
        Poll::Running
    }

    /// Ctrl-C: stop the sync. Stopped before the reply was applied, nothing changed here and
    /// the thread is left to end on its own (it applies nothing); otherwise the reply is
    /// being saved, and the job goes on to its end.
    pub fn stop(&mut self) -> Option<Msg> {
        if self.stop.stop() {
            let e = crate::error::Error::Sync {
                place: self.url.clone(),
                problem: crate::domain::sync::SyncProblem::Stopped,
            };
            // The thread is detached: it ends by itself and applies nothing.
            self.handle = None;
            Some(Msg::SyncStopped(e.message(self.lang)))
        } else {
            None
        }
    }
}
