//! The columns of each table that travels, and the rule each is held to.

use crate::domain::{AnswerValue, Role, Severity, SiteKind, photo};

/// How one column is checked.
#[derive(Clone, Copy, Debug)]
pub(super) enum Rule {
    /// An id, hash or short code; `Option` when it may be NULL.
    Key {
        null: bool,
    },
    /// A SHA-256 in hex, or empty (the first event of a chain has no previous hash).
    Hash,
    /// Typed text: clean, at most `MAX_TEXT_CHARS`; `name` when it may not be blank.
    Text {
        name: bool,
    },
    /// A responsible party's phone: empty, or a phone number as the hazard form takes it.
    Phone,
    /// A person's name, or phone (`phone`): checked by the people list's `check_person`.
    Person {
        phone: bool,
    },
    /// One of the codes.
    Code(fn(&str) -> bool),
    Stamp {
        null: bool,
    },
    Day {
        null: bool,
    },
    Int {
        min: i64,
        max: i64,
        null: bool,
    },
    /// A document the app writes itself (a template, an event's old and new value): no
    /// control or formatting character but new lines and tabs.
    Doc {
        null: bool,
    },
}

const KEY: Rule = Rule::Key { null: false };
const OPT_KEY: Rule = Rule::Key { null: true };
const TEXT: Rule = Rule::Text { name: false };
const NAME: Rule = Rule::Text { name: true };
const STAMP: Rule = Rule::Stamp { null: false };
const DAY: Rule = Rule::Day { null: false };
const SEQ: Rule = Rule::Int {
    min: 0,
    max: i64::MAX,
    null: false,
};
const FLAG: Rule = Rule::Int {
    min: 0,
    max: 1,
    null: false,
};

fn site_kind(s: &str) -> bool {
    SiteKind::ALL.iter().any(|k| k.code() == s)
}
fn role(s: &str) -> bool {
    Role::ALL.iter().any(|k| k.code() == s)
}
fn severity(s: &str) -> bool {
    Severity::ALL.iter().any(|k| k.code() == s)
}
fn answer_value(s: &str) -> bool {
    AnswerValue::ALL.iter().any(|k| k.code() == s)
}
fn roster_entity(s: &str) -> bool {
    matches!(s, "person" | "duty")
}
fn photo_format(s: &str) -> bool {
    matches!(s, "jpeg" | "png")
}

/// The columns of each table that travels, and their rules.
pub(super) fn columns(table: &str) -> Option<&'static [(&'static str, Rule)]> {
    Some(match table {
        "community" => &[
            ("id", KEY),
            ("name", NAME),
            ("created_at", STAMP),
            ("device_id", KEY),
        ],
        "grid" => &[
            ("id", KEY),
            ("community_id", KEY),
            ("name", NAME),
            ("created_at", STAMP),
            ("device_id", KEY),
        ],
        "compound" => &[
            ("id", KEY),
            ("community_id", KEY),
            ("grid_id", OPT_KEY),
            ("name", NAME),
            ("created_at", STAMP),
            ("device_id", KEY),
        ],
        "building" => &[
            ("id", KEY),
            ("community_id", KEY),
            ("grid_id", OPT_KEY),
            ("compound_id", OPT_KEY),
            ("name", NAME),
            ("address", TEXT),
            ("kind", Rule::Code(site_kind)),
            (
                "floors",
                Rule::Int {
                    min: 0,
                    max: 999,
                    null: true,
                },
            ),
            ("search_keys", Rule::Doc { null: false }),
            ("created_at", STAMP),
            ("device_id", KEY),
        ],
        "unit" => &[
            ("id", KEY),
            ("building_id", KEY),
            (
                "number",
                Rule::Int {
                    min: 0,
                    max: 999,
                    null: false,
                },
            ),
            ("name", NAME),
            ("created_at", STAMP),
            ("device_id", KEY),
        ],
        "person" => &[
            ("id", KEY),
            ("name", Rule::Person { phone: false }),
            ("role", Rule::Code(role)),
            ("phone", Rule::Person { phone: true }),
            ("created_at", STAMP),
            ("device_id", KEY),
        ],
        "duty" => &[
            ("id", KEY),
            ("person_id", KEY),
            ("building_id", KEY),
            ("unit_id", OPT_KEY),
            ("created_at", STAMP),
            ("device_id", KEY),
        ],
        "template_version" => &[
            ("id", KEY),
            ("seq", SEQ),
            ("template_id", KEY),
            ("body", Rule::Doc { null: false }),
            ("created_at", STAMP),
            ("device_id", KEY),
        ],
        "roster_change" => &[
            ("id", KEY),
            ("entity", Rule::Code(roster_entity)),
            ("entity_id", KEY),
            ("active", FLAG),
            ("created_at", STAMP),
            ("device_id", KEY),
        ],
        "patrol" => &[
            ("id", KEY),
            ("inspector_id", KEY),
            ("day", DAY),
            ("started_at", STAMP),
            ("device_id", KEY),
        ],
        "hazard" => &[
            ("id", KEY),
            ("number", KEY),
            ("patrol_id", OPT_KEY),
            ("building_id", KEY),
            ("unit_id", OPT_KEY),
            ("item_id", KEY),
            ("category", KEY),
            ("spot", TEXT),
            ("description", TEXT),
            ("severity", Rule::Code(severity)),
            ("party_name", TEXT),
            ("party_room", TEXT),
            ("party_phone", Rule::Phone),
            ("found_at", STAMP),
            ("found_day", DAY),
            ("found_by", OPT_KEY),
            ("deadline", DAY),
            ("fixed_on_spot", FLAG),
            ("previous_id", OPT_KEY),
            ("recurrence", SEQ),
            ("device_id", KEY),
        ],
        "answer" => &[
            ("id", KEY),
            ("seq", SEQ),
            ("patrol_id", KEY),
            ("building_id", KEY),
            ("unit_id", OPT_KEY),
            ("item_id", KEY),
            ("value", Rule::Code(answer_value)),
            ("hazard_id", OPT_KEY),
            ("answered_at", STAMP),
            ("device_id", KEY),
        ],
        "event" => &[
            ("id", KEY),
            ("seq", SEQ),
            ("at", STAMP),
            ("device_id", KEY),
            ("person_id", OPT_KEY),
            ("entity", KEY),
            ("entity_id", KEY),
            ("action", KEY),
            ("old_value", Rule::Doc { null: true }),
            ("new_value", Rule::Doc { null: true }),
            ("note", TEXT),
            ("prev_hash", Rule::Hash),
            ("hash", Rule::Hash),
            ("parent_id", OPT_KEY),
            // The hybrid logical clock stamp (UTC milliseconds << 16 | counter).
            ("hlc", SEQ),
        ],
        "photo" => &[
            ("id", KEY),
            ("hash", Rule::Hash),
            ("format", Rule::Code(photo_format)),
            (
                "bytes",
                Rule::Int {
                    min: 1,
                    max: photo::MAX_PHOTO_BYTES as i64,
                    null: false,
                },
            ),
            (
                "width",
                Rule::Int {
                    min: 1,
                    max: photo::MAX_PHOTO_PIXELS as i64,
                    null: false,
                },
            ),
            (
                "height",
                Rule::Int {
                    min: 1,
                    max: photo::MAX_PHOTO_PIXELS as i64,
                    null: false,
                },
            ),
            ("taken_at", Rule::Doc { null: true }),
            ("created_at", STAMP),
            ("device_id", KEY),
        ],
        "hazard_photo" => &[
            ("id", KEY),
            ("hazard_id", KEY),
            ("photo_id", KEY),
            ("file_name", TEXT),
            ("created_at", STAMP),
            ("device_id", KEY),
        ],
        _ => return None,
    })
}
