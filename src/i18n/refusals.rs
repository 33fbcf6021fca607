//! The words for records refused at sync (a fork, a changed fact, a row that breaks the
//! rules of typed input), in both languages.

use crate::domain::incoming::{Fault, RowProblem};
use crate::domain::sync::Refusal;

/// What is wrong with one incoming value; a character is shown as its code (U+202E), never
/// as itself.
fn fault_zh(f: &Fault) -> String {
    match f {
        Fault::UnknownTable => "这张表不该同步".into(),
        Fault::UnknownColumn => "没有这一栏".into(),
        Fault::Missing => "缺了必填的内容".into(),
        Fault::WrongType => "内容的类型不对".into(),
        Fault::Forbidden(c) => format!("含有控制字符或方向控制符（U+{:04X}）", u32::from(*c)),
        Fault::Unclean => "含有手工输入时会被清理掉的空白或字符".into(),
        Fault::TooLong { len, max } => format!("有 {len} 个字，最多 {max} 个"),
        Fault::Empty => "不能为空".into(),
        Fault::NotAPhone => "不是电话号码".into(),
        Fault::NotATime => "不是带时区的时间".into(),
        Fault::NotADay => "不是日期（年-月-日）".into(),
        Fault::NotACode => "不是这一栏可用的值".into(),
        Fault::OutOfRange { min, max } => format!("超出范围（{min} 到 {max}）"),
        Fault::NotAKey => "不是编号".into(),
    }
}

fn fault_en(f: &Fault) -> String {
    match f {
        Fault::UnknownTable => "this table does not travel".into(),
        Fault::UnknownColumn => "there is no such column".into(),
        Fault::Missing => "a required value is missing".into(),
        Fault::WrongType => "the value is of the wrong type".into(),
        Fault::Forbidden(c) => format!(
            "it holds a control or direction character (U+{:04X})",
            u32::from(*c)
        ),
        Fault::Unclean => {
            "it holds white space or characters that typing would have cleaned".into()
        }
        Fault::TooLong { len, max } => format!("it has {len} characters, at most {max}"),
        Fault::Empty => "it may not be blank".into(),
        Fault::NotAPhone => "it is not a phone number".into(),
        Fault::NotATime => "it is not a time with its offset".into(),
        Fault::NotADay => "it is not a day (YYYY-MM-DD)".into(),
        Fault::NotACode => "it is not a value this column takes".into(),
        Fault::OutOfRange { min, max } => format!("it is out of range ({min} to {max})"),
        Fault::NotAKey => "it is not an id".into(),
    }
}

fn row_zh(p: &RowProblem) -> String {
    format!(
        "{} 里的记录 {} 的“{}”{}",
        p.table,
        p.row_id,
        p.column,
        fault_zh(&p.fault)
    )
}

fn row_en(p: &RowProblem) -> String {
    format!(
        "record {} of {}, column {}: {}",
        p.row_id,
        p.table,
        p.column,
        fault_en(&p.fault)
    )
}

pub(super) fn refusal_zh(r: &Refusal) -> String {
    match r {
        Refusal::Fork { device, seq } => format!(
            "设备 {device} 的第 {seq} 条记录与已收到的不同：这台电脑的数据库可能被复制过，请联系社区"
        ),
        Refusal::FactChanged { table, id } => {
            format!("{table} 里的记录 {id} 已收到过，但内容不同（被改动过）")
        }
        Refusal::Dangling { count } => {
            format!("有 {count} 条记录引用了双方都没有的内容：请重新加入社区")
        }
        Refusal::ForeignDevice { device, .. } => {
            format!("包里有别的设备（{device}）的记录，这台电脑不能代它发送")
        }
        Refusal::Chain(p) => format!("记录链不完整：{p}"),
        Refusal::Constraint { table } => format!("{table} 的记录不符合数据库的规则"),
        Refusal::Row(p) => row_zh(p),
    }
}

pub(super) fn refusal_en(r: &Refusal) -> String {
    match r {
        Refusal::Fork { device, seq } => format!(
            "record #{seq} of device {device} differs from the one already received: this laptop's database may have been copied; ask the office"
        ),
        Refusal::FactChanged { table, id } => {
            format!("the {table} record {id} arrived before with other content (it was altered)")
        }
        Refusal::Dangling { count } => {
            format!("{count} record(s) refer to things neither side has: join the community again")
        }
        Refusal::ForeignDevice { device, .. } => {
            format!("it carries records of another device ({device}) that this laptop may not send")
        }
        Refusal::Chain(p) => format!("the record chain does not hold together: {p}"),
        Refusal::Constraint { table } => format!("records of {table} break the database's rules"),
        Refusal::Row(p) => row_en(p),
    }
}
