//! A walk through a building's checklist: where an answer belongs and the answers in force.

use super::AnswerValue;
use std::collections::HashMap;

/// Where an answer belongs: building, unit (None for building-level items) and item.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Slot {
    pub building_id: String,
    pub unit_id: Option<String>,
    pub item_id: String,
}

/// The answers in force for one building in one patrol, by (unit, item).
pub type Answers = HashMap<(Option<String>, String), AnswerValue>;
