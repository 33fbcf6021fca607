//! Effects: what the pure update asks the outside world to do. `effects::Runner` runs them
//! against the store and reports each outcome back as a [`crate::tui::msg::Msg`].

use crate::domain::AnswerValue;
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
        inspector: String,
        hazard_id: String,
        action: HazardAction,
        verdict: Option<Verdict>,
    },
    LoadLedger(Box<crate::store::LedgerFilter>),
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
    /// Write the rectification notice of a hazard to `reports/`.
    WriteNotice {
        hazard_id: String,
    },
}
