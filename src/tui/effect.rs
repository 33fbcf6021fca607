//! Effects: what the pure update asks the outside world to do. `effects::Runner` runs them
//! against the store and reports each outcome back as a [`crate::tui::msg::Msg`].

use crate::domain::{AnswerValue, Role};
use crate::store::{HazardAction, NewHazard, Slot};

/// Is an answer being given, or the last one taken back (`u`)?
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveKind {
    Answer,
    Undo,
}

/// The re-check verdict given to an open hazard during this visit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Rectified,
    StillOpen,
    Extended,
    Escalated,
}

#[derive(Clone, Debug, PartialEq, Eq)]
/// What the update asks for; run by `effects::Runner`.
pub enum Effect {
    LoadStart,
    RememberInspector(String),
    OpenWalk {
        building_id: String,
        resume: Option<Slot>,
        inspector: Option<String>,
    },
    SaveAnswer {
        inspector: String,
        slot: Slot,
        value: AnswerValue,
        before: Option<AnswerValue>,
        void_hazard: Option<String>,
        kind: SaveKind,
    },
    /// The rest of a list answered alike, in one transaction.
    SaveAnswers {
        inspector: String,
        slots: Vec<Slot>,
        value: AnswerValue,
    },
    SaveHazard {
        inspector: String,
        hazard: Box<NewHazard>,
    },
    HazardAction {
        /// Who acts (none: the office).
        inspector: Option<String>,
        hazard_id: String,
        action: HazardAction,
        verdict: Option<Verdict>,
    },
    /// Load the ledger for a filter; with its filter choices (grids, compounds, leaders)
    /// when `true` (once per opening: they do not change while the filter does).
    LoadLedger(Box<crate::store::LedgerFilter>, bool),
    LoadDetail {
        hazard_id: String,
    },
    LoadHistory {
        building_id: String,
    },
    /// Hazard counts for buildings on screen: (index in `State::buildings`, id).
    LoadCounts(Vec<(usize, String)>),
    /// Build today's report and write its files (md, csv, xlsx, html) to `reports/`.
    WriteReport,
    /// Write this month's summary (html, xlsx, txt, json) to `reports/`.
    WriteSummary,
    /// Write the rectification notice of a hazard to `reports/`.
    WriteNotice {
        hazard_id: String,
    },
    /// The people with their duties (the people screen).
    LoadPeople,
    /// A change to the people and their duties, made by the same store functions as
    /// `firepatrol people`; the list is reloaded after it commits.
    People(PeopleChange),
    /// Read a folder (or one file) of photos for a hazard: what can be attached, what not;
    /// the folder is remembered for next time.
    ScanPhotos {
        hazard_id: String,
        path: String,
    },
    /// Attach checked photo files to a hazard (as `firepatrol hazard ID --photo`: all or
    /// nothing).
    AttachPhotos {
        hazard_id: String,
        files: Vec<std::path::PathBuf>,
    },
    /// The office's inbox: escalations waiting for a response.
    LoadInbox,
    /// The office acts on a hazard (as the office, no person): the actions in order, until
    /// one is refused; `done` says what was done.
    OfficeAction {
        hazard_id: String,
        actions: Vec<HazardAction>,
        done: String,
    },
    /// The office's laptops.
    LoadDevices,
    /// Enrol a laptop for a person; its enrolment file goes beside the database.
    AddDevice {
        person_id: String,
    },
    /// Revoke a laptop.
    RevokeDevice {
        id: String,
    },
    /// On a laptop: sync with the remembered office address.
    SyncNow,
    /// The proposals waiting at the office.
    LoadProposals,
    /// Accept (or decline) proposal `number`.
    DecideProposal {
        number: i64,
        accept: bool,
    },
    /// Stop the sync running beside the app (Ctrl-C while it runs).
    StopSync,
    /// Today across the community, by grid.
    LoadToday,
}

/// What the office changes in the list of people (as the `people` subcommands).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PeopleChange {
    Add {
        name: String,
        role: Role,
        phone: String,
    },
    Edit {
        person_id: String,
        name: Option<String>,
        role: Option<Role>,
        phone: Option<String>,
    },
    Assign {
        person_id: String,
        building_id: String,
        unit: Option<i64>,
    },
    Unassign {
        person_id: String,
        building_id: String,
        unit: Option<i64>,
    },
    Retire {
        person_id: String,
    },
}
