//! Rows that arrive from another machine are held to the rules of typed input.
//!
//! A laptop's app cleans and checks everything typed into it before it is stored, so every
//! row it sends is already clean. A row that is not was written around the app (a crafted
//! bundle from someone holding a laptop's key): [`check_row`] names the table, the row and
//! the column, and the bundle is refused whole. The rules are the app's own, reused:
//! [`text::clean`] and [`text::MAX_TEXT_CHARS`] for every typed text, [`roster::check_person`]
//! for a person's name and phone, [`text::valid_phone`] for a responsible party's phone, the
//! coded enums for codes, [`clock::parse_stamp`] and [`day::parse_stored`] for times and days,
//! the photo limits for photos. Pure: no I/O, nothing but the row.

use super::{clock, day, photo, roster, text};
use rusqlite::types::Value;
use std::collections::BTreeMap;

mod columns;
use columns::{Rule, columns};

/// One incoming row: column name to value.
pub type Row = BTreeMap<String, Value>;

/// What is wrong with one value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// A table that does not travel.
    UnknownTable,
    /// A column this table does not have.
    UnknownColumn,
    /// NULL (or absent) where a value is required.
    Missing,
    /// A number where text belongs, text where a number belongs, or a blob.
    WrongType,
    /// A control character (ESC, BEL, a newline ...), a bidirectional override or another
    /// invisible formatting character.
    Forbidden(char),
    /// Text that typed input would have stored otherwise (white space, normalisation, marks).
    Unclean,
    /// Longer than typed input may be (characters).
    TooLong { len: usize, max: usize },
    /// Blank where a name is required.
    Empty,
    /// Not a phone number as typed input accepts.
    NotAPhone,
    /// Not a time with its offset (RFC 3339).
    NotATime,
    /// Not a day (YYYY-MM-DD).
    NotADay,
    /// Not one of the codes this column takes.
    NotACode,
    /// A number out of its range.
    OutOfRange { min: i64, max: i64 },
    /// Not an id, a hash or a short code (ASCII letters, digits and `-_.:`, at most 64).
    NotAKey,
}

/// A row refused, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowProblem {
    pub table: String,
    /// The row's `id` (or `?` when it has none that can be shown).
    pub row_id: String,
    pub column: String,
    pub fault: Fault,
}

/// Check one incoming row of `table` against the rules of typed input. Columns the row does
/// not carry are not checked (an update carries only what it changes); a column the table
/// does not have is refused.
pub fn check_row(table: &str, row: &Row) -> Result<(), RowProblem> {
    let row_id = match row.get("id") {
        Some(Value::Text(id)) if key_ok(id) => id.clone(),
        Some(Value::Integer(n)) => n.to_string(),
        _ => "?".to_string(),
    };
    let refuse = |column: &str, fault: Fault| RowProblem {
        table: table.to_string(),
        row_id: row_id.clone(),
        column: column.to_string(),
        fault,
    };
    let Some(rules) = columns(table) else {
        return Err(refuse("", Fault::UnknownTable));
    };
    for (column, value) in row {
        let Some((_, rule)) = rules.iter().find(|(c, _)| c == column) else {
            return Err(refuse(column, Fault::UnknownColumn));
        };
        check_value(*rule, value).map_err(|f| refuse(column, f))?;
    }
    if table == "photo"
        && let (Some(Value::Integer(w)), Some(Value::Integer(h))) =
            (row.get("width"), row.get("height"))
        && u64::try_from(w.saturating_mul(*h)).unwrap_or(u64::MAX) > photo::MAX_PHOTO_PIXELS
    {
        return Err(refuse(
            "width",
            Fault::OutOfRange {
                min: 1,
                max: photo::MAX_PHOTO_PIXELS as i64,
            },
        ));
    }
    Ok(())
}

fn key_ok(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// The first character typed input would never store, if any.
fn forbidden_in(s: &str, allow_lines: bool) -> Option<char> {
    s.chars()
        .find(|&c| text::is_forbidden(c) && !(allow_lines && matches!(c, '\n' | '\t' | '\r')))
}

fn check_text(s: &str, name: bool) -> Result<(), Fault> {
    if let Some(c) = forbidden_in(s, false) {
        return Err(Fault::Forbidden(c));
    }
    let cleaned = text::clean_limited(s, text::MAX_TEXT_CHARS).map_err(|len| Fault::TooLong {
        len,
        max: text::MAX_TEXT_CHARS,
    })?;
    if cleaned != s {
        return Err(Fault::Unclean);
    }
    if name && cleaned.is_empty() {
        return Err(Fault::Empty);
    }
    Ok(())
}

fn text_of(v: &Value, null: bool) -> Result<Option<&str>, Fault> {
    match v {
        Value::Text(s) => Ok(Some(s)),
        Value::Null if null => Ok(None),
        Value::Null => Err(Fault::Missing),
        _ => Err(Fault::WrongType),
    }
}

fn check_value(rule: Rule, v: &Value) -> Result<(), Fault> {
    match rule {
        Rule::Key { null } => match text_of(v, null)? {
            Some(s) if !key_ok(s) => Err(Fault::NotAKey),
            _ => Ok(()),
        },
        Rule::Hash => match text_of(v, false)? {
            Some(s) if s.len() > 64 || !s.bytes().all(|b| b.is_ascii_hexdigit()) => {
                Err(Fault::NotAKey)
            }
            _ => Ok(()),
        },
        Rule::Text { name } => check_text(text_of(v, false)?.unwrap_or_default(), name),
        Rule::Phone => {
            let s = text_of(v, false)?.unwrap_or_default();
            check_text(s, false)?;
            if s.is_empty() || text::valid_phone(s).as_deref() == Some(s) {
                Ok(())
            } else {
                Err(Fault::NotAPhone)
            }
        }
        Rule::Person { phone } => {
            let s = text_of(v, false)?.unwrap_or_default();
            check_text(s, false)?;
            // Each through the people list's own check, with a stand-in for the other.
            let (name, phone) = if phone { ("-", s) } else { (s, "") };
            match roster::check_person(name, phone) {
                Ok(_) => Ok(()),
                Err(roster::PersonProblem::NoName) => Err(Fault::Empty),
                Err(roster::PersonProblem::TooLong(len)) => Err(Fault::TooLong {
                    len,
                    max: text::MAX_TEXT_CHARS,
                }),
                Err(_) => Err(Fault::NotAPhone),
            }
        }
        Rule::Code(ok) => match text_of(v, false)? {
            Some(s) if ok(s) => Ok(()),
            _ => Err(Fault::NotACode),
        },
        Rule::Stamp { null } => match text_of(v, null)? {
            Some(s) if clock::parse_stamp(s).is_none() => Err(Fault::NotATime),
            _ => Ok(()),
        },
        Rule::Day { null } => match text_of(v, null)? {
            Some(s) if day::parse_stored(s).is_none() => Err(Fault::NotADay),
            _ => Ok(()),
        },
        Rule::Int { min, max, null } => match v {
            Value::Integer(n) if (min..=max).contains(n) => Ok(()),
            Value::Integer(_) => Err(Fault::OutOfRange { min, max }),
            Value::Null if null => Ok(()),
            Value::Null => Err(Fault::Missing),
            _ => Err(Fault::WrongType),
        },
        Rule::Doc { null } => match text_of(v, null)? {
            Some(s) => match forbidden_in(s, true) {
                Some(c) => Err(Fault::Forbidden(c)),
                None => Ok(()),
            },
            None => Ok(()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Value {
        Value::Text(s.to_string())
    }

    /// A hazard row as a laptop's app writes it.
    fn hazard() -> Row {
        let mut r = Row::new();
        for (c, v) in [
            ("id", text("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")),
            ("number", text("YH-20261123-A001")),
            ("patrol_id", text("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a60")),
            ("building_id", text("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a61")),
            ("unit_id", Value::Null),
            ("item_id", text("EBK-01")),
            ("category", text("ebike")),
            ("spot", text("1F 楼道")),
            ("description", text("电动车停在楼道")),
            ("severity", text("high")),
            ("party_name", text("张三")),
            ("party_room", text("302")),
            ("party_phone", text("138 1234 5678")),
            ("found_at", text("2026-11-23T09:30:00+08:00")),
            ("found_day", text("2026-11-23")),
            ("found_by", Value::Null),
            ("deadline", text("2026-11-30")),
            ("fixed_on_spot", Value::Integer(0)),
            ("previous_id", Value::Null),
            ("recurrence", Value::Integer(0)),
            ("device_id", text("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a62")),
        ] {
            r.insert(c.to_string(), v);
        }
        r
    }

    fn with(mut r: Row, column: &str, v: Value) -> Row {
        r.insert(column.to_string(), v);
        r
    }

    fn fault(table: &str, r: &Row) -> (String, Fault) {
        let p = check_row(table, r).expect_err("refused");
        assert_eq!(p.table, table);
        (p.column, p.fault)
    }

    #[test]
    fn a_row_as_the_app_writes_it_passes() {
        assert_eq!(check_row("hazard", &hazard()), Ok(()));
        // An update carries only what it changes.
        let mut only = Row::new();
        only.insert("id".into(), text("x1"));
        only.insert("description".into(), text("楼道堆放纸箱"));
        assert_eq!(check_row("hazard", &only), Ok(()));
    }

    #[test]
    fn escape_bell_and_bidi_overrides_are_refused_naming_the_row_and_column() {
        for (bad, c) in [
            ("电动车\u{1b}]0;owned\u{7}", '\u{1b}'),
            ("电动车\u{7}", '\u{7}'),
            ("\u{202e}车动电", '\u{202e}'),
            ("a\u{2066}b", '\u{2066}'),
            ("two\nlines", '\n'),
            ("soft\u{ad}hyphen", '\u{ad}'),
            ("c1\u{9b}2J", '\u{9b}'),
        ] {
            let r = with(hazard(), "description", text(bad));
            let p = check_row("hazard", &r).unwrap_err();
            assert_eq!(
                p,
                RowProblem {
                    table: "hazard".into(),
                    row_id: "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b".into(),
                    column: "description".into(),
                    fault: Fault::Forbidden(c),
                },
                "{bad:?}"
            );
        }
        let r = with(hazard(), "party_name", text("张\u{202e}三"));
        assert_eq!(
            fault("hazard", &r),
            ("party_name".into(), Fault::Forbidden('\u{202e}'))
        );
    }

    #[test]
    fn lengths_are_the_typed_input_limit_not_one_of_its_own() {
        let max = text::MAX_TEXT_CHARS;
        let at_limit = with(hazard(), "description", text(&"长".repeat(max)));
        assert_eq!(check_row("hazard", &at_limit), Ok(()));
        let over = with(hazard(), "description", text(&"长".repeat(max + 1)));
        assert_eq!(
            fault("hazard", &over),
            ("description".into(), Fault::TooLong { len: max + 1, max })
        );
        let mut person = Row::new();
        person.insert("id".into(), text("p1"));
        person.insert("name".into(), text(&"王".repeat(10_000)));
        person.insert("phone".into(), text(""));
        assert_eq!(
            fault("person", &person).1,
            Fault::TooLong { len: 10_000, max }
        );
    }

    #[test]
    fn text_that_typed_input_would_have_stored_otherwise_is_unclean() {
        for bad in ["  padded", "double  space", "e\u{301}"] {
            let r = with(hazard(), "spot", text(bad));
            assert_eq!(
                fault("hazard", &r),
                ("spot".into(), Fault::Unclean),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn phones_are_checked_as_the_forms_check_them() {
        let r = with(hazard(), "party_phone", text("call me maybe"));
        assert_eq!(
            fault("hazard", &r),
            ("party_phone".into(), Fault::NotAPhone)
        );
        let r = with(hazard(), "party_phone", text(""));
        assert_eq!(check_row("hazard", &r), Ok(()));
        let mut leader = Row::new();
        leader.insert("id".into(), text("p1"));
        leader.insert("name".into(), text("刘建国"));
        leader.insert("role".into(), text("building_leader"));
        leader.insert("phone".into(), text("0731-8888 6119"));
        assert_eq!(check_row("person", &leader), Ok(()));
        // A leader's phone changed to something else prints on the service plates.
        let changed = with(leader.clone(), "phone", text("110\u{1b}[2J"));
        assert_eq!(
            fault("person", &changed),
            ("phone".into(), Fault::Forbidden('\u{1b}'))
        );
        let changed = with(leader.clone(), "phone", text("12345"));
        assert_eq!(
            fault("person", &changed),
            ("phone".into(), Fault::NotAPhone)
        );
        let blank = with(leader, "name", text(""));
        assert_eq!(fault("person", &blank), ("name".into(), Fault::Empty));
    }

    #[test]
    fn codes_times_days_numbers_and_types_are_the_schema_s() {
        let cases = [
            ("severity", text("apocalyptic"), Fault::NotACode),
            ("found_at", text("yesterday"), Fault::NotATime),
            ("deadline", text("2026-13-01"), Fault::NotADay),
            (
                "fixed_on_spot",
                Value::Integer(2),
                Fault::OutOfRange { min: 0, max: 1 },
            ),
            ("recurrence", text("3"), Fault::WrongType),
            ("description", Value::Integer(7), Fault::WrongType),
            ("description", Value::Blob(vec![0x1b]), Fault::WrongType),
            ("device_id", Value::Null, Fault::Missing),
            ("building_id", text("../../etc"), Fault::NotAKey),
            ("number", text(&"A".repeat(65)), Fault::NotAKey),
        ];
        for (column, v, want) in cases {
            let r = with(hazard(), column, v);
            assert_eq!(fault("hazard", &r), (column.to_string(), want), "{column}");
        }
    }

    #[test]
    fn unknown_tables_and_columns_are_refused() {
        assert_eq!(fault("meta", &hazard()).1, Fault::UnknownTable);
        let r = with(hazard(), "sneaky", text("x"));
        assert_eq!(fault("hazard", &r), ("sneaky".into(), Fault::UnknownColumn));
    }

    #[test]
    fn a_row_without_a_showable_id_is_named_with_a_question_mark() {
        let r = with(hazard(), "id", text("\u{1b}[31m"));
        let p = check_row("hazard", &r).unwrap_err();
        assert_eq!((p.row_id.as_str(), p.column.as_str()), ("?", "id"));
    }

    #[test]
    fn documents_keep_their_lines_but_not_escapes() {
        let mut t = Row::new();
        t.insert("id".into(), text("t1"));
        t.insert("body".into(), text("{\n\t\"id\": \"residential\"\n}"));
        assert_eq!(check_row("template_version", &t), Ok(()));
        t.insert("body".into(), text("{\"id\": \"\u{1b}]2;x\u{7}\"}"));
        assert_eq!(
            fault("template_version", &t),
            ("body".into(), Fault::Forbidden('\u{1b}'))
        );
    }

    #[test]
    fn a_photo_is_held_to_the_photo_limits() {
        let mut p = Row::new();
        p.insert("id".into(), text("ph1"));
        p.insert("width".into(), Value::Integer(20_000));
        p.insert("height".into(), Value::Integer(20_000));
        assert_eq!(fault("photo", &p).0, "width");
        p.insert("width".into(), Value::Integer(4000));
        p.insert("height".into(), Value::Integer(3000));
        assert_eq!(check_row("photo", &p), Ok(()));
        p.insert("bytes".into(), Value::Integer(i64::MAX));
        assert_eq!(fault("photo", &p).0, "bytes");
    }
}
