//! Messages: what happened (a key, a paste, an effect's outcome), fed into `update`.

use super::effect::Verdict;
use super::screens::detail::Detail;
use super::screens::history::History;
use super::screens::report::ReportPreview;
use super::screens::start::StartData;
use super::screens::walk::{UndoEntry, WalkData};
use crate::domain::AnswerValue;
use crate::store::{HazardReceipt, HazardRow, OpenCounts, Slot};
use crossterm::event::KeyEvent;

/// The hazard counts of one building of the list (`row`), loaded for the rows on screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildingCounts {
    pub row: usize,
    pub building_id: String,
    pub counts: OpenCounts,
}

/// What a saved answer was: a new answer (taken back later with this entry), or an undo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Saved {
    Answer(UndoEntry),
    Undo,
}

pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    /// The terminal was resized (width, height).
    Resize(u16, u16),
    StartLoaded(Box<StartData>),
    WalkLoaded(Box<WalkData>),
    /// The rest of a list was saved (committed).
    AnswersSaved {
        slots: Vec<Slot>,
        value: AnswerValue,
        day_answered: i64,
    },
    AnswerSaved {
        slot: Slot,
        value: AnswerValue,
        saved: Saved,
        day_answered: i64,
    },
    HazardSaved {
        slot: Slot,
        receipt: HazardReceipt,
        day_answered: i64,
    },
    ActionDone {
        hazard_id: String,
        verdict: Option<Verdict>,
    },
    LedgerLoaded {
        rows: Vec<HazardRow>,
        total: i64,
        counts: Vec<(crate::store::StatusFilter, i64)>,
        /// None when they were not asked for (the ones shown stay).
        choices: Option<crate::store::LedgerChoices>,
    },
    DetailLoaded(Box<Detail>),
    HistoryLoaded(Box<History>),
    /// Hazard counts of some buildings on screen.
    CountsLoaded(Vec<BuildingCounts>),
    /// The day's report was written (text preview, folder, files).
    ReportWritten(Box<ReportPreview>),
    /// The month's summary was written into this folder.
    SummaryWritten(String),
    /// A rectification notice was written to this file.
    NoticeWritten(String),
    /// The people with their duties were loaded (after a change: with what it did).
    PeopleLoaded {
        cards: Vec<crate::store::PersonCard>,
        done: Option<String>,
        /// The person to put the cursor on (one just added).
        select: Option<String>,
    },
    /// A folder of photos was read for a hazard.
    PhotosScanned(Box<super::screens::attach::Scan>),
    /// Photos were attached to a hazard (the notice says how many).
    PhotosAttached {
        hazard_id: String,
        done: String,
    },
    /// The store refused a change; the message goes on this field of the form (else on the
    /// form's focused field, or the notice line).
    RefusedAt {
        field: crate::tui::widgets::form::FieldId,
        text: String,
    },
    /// The office's inbox was loaded.
    InboxLoaded(Vec<crate::store::InboxRow>),
    /// An office action was saved (what was done).
    OfficeDone(String),
    /// The laptops were loaded (after a change: with what it did).
    DevicesLoaded {
        rows: Vec<crate::store::devices::Device>,
        done: Option<String>,
    },
    /// Today across the community was loaded.
    TodayLoaded(Vec<crate::store::GridToday>),
    /// A sync with the office went through (what it did).
    /// The proposals waiting at the office; after a decision, what it did.
    ProposalsLoaded {
        rows: Vec<crate::store::proposals::Proposal>,
        done: Option<String>,
    },
    Synced(String),
    /// A sync beside the app has run this many seconds.
    SyncTick(u64),
    /// A sync beside the app failed (its one line), was stopped, or is saving the reply.
    SyncFailed(String),
    SyncStopped(String),
    SyncFinishing,
    /// The store refused an action (message for the user); nothing changed.
    Refused(String),
    /// An effect failed (the error worded for the user); what was typed stays on screen.
    Failed(String),
}
