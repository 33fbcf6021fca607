//! Errors and refusals in words: `crate::error::Error` and the hazard rules' refusals carry
//! data; this is where they become a message in the user's language.

use super::Lang;
use crate::domain::checklist::TemplateProblemKind;
use crate::error::Error;

/// How many row problems an error message lists before "and N more".
const MAX_LISTED: usize = 20;

pub fn error_message(e: &Error, lang: Lang) -> String {
    let c = lang.cat();
    let p = |p: &std::path::Path| p.display().to_string();
    match e {
        Error::Db { path, source } => (c.err_db)(&p(path), &source.to_string()),
        Error::NewerSchema {
            path,
            found,
            supported,
        } => (c.err_newer_schema)(&p(path), *found, *supported),
        Error::Damaged { path, backup } => {
            let mut s = (c.err_damaged)(&p(path));
            if let Some(b) = backup {
                s.push('\n');
                s.push_str(&(c.err_damaged_backup)(&p(b)));
            }
            s
        }
        Error::IsDirectory { path } => (c.err_is_dir)(&p(path)),
        Error::Locked { path } => (c.err_locked)(&p(path)),
        Error::ReadOnly { path } => (c.err_read_only)(&p(path)),
        Error::DiskFull { path } => (c.err_disk_full)(&p(path)),
        Error::Moved { path } => (c.err_moved)(&p(path)),
        Error::Io { path, source } => (c.err_io)(&p(path), &os_error(lang, source)),
        Error::Export { path, source } => {
            use std::io::ErrorKind as K;
            let why = match source.kind() {
                K::NotFound => c.exp_no_dir.to_string(),
                K::PermissionDenied | K::ReadOnlyFilesystem => c.exp_denied.to_string(),
                K::StorageFull => c.exp_full.to_string(),
                _ if source.raw_os_error() == Some(28) => c.exp_full.to_string(),
                _ => os_error(lang, source),
            };
            (c.err_export)(&p(path), &why)
        }
        Error::Encoding { path } => (c.err_encoding)(&p(path)),
        Error::EmptyFile { path } => (c.err_empty_file)(&p(path)),
        Error::HeaderOnly { path } => (c.err_header_only)(&p(path)),
        Error::FileType { path } => (c.err_file_type)(&p(path)),
        Error::MissingColumn { path, column } => (c.err_missing_column)(&p(path), column),
        Error::Rows { path, problems } => {
            let mut s = (c.err_rows)(&p(path), problems.len());
            for pr in problems.iter().take(MAX_LISTED) {
                s.push_str("\n  ");
                s.push_str(&c.row_problem(pr));
            }
            if problems.len() > MAX_LISTED {
                s.push_str(&format!("\n  … (+{})", problems.len() - MAX_LISTED));
            }
            s
        }
        Error::Spreadsheet { path, detail } => (c.err_spreadsheet)(&p(path), detail),
        Error::Template { path, problems } => {
            let mut s = (c.err_template)(&p(path));
            for pr in problems.iter().take(MAX_LISTED) {
                let what = match &pr.problem {
                    TemplateProblemKind::Syntax(m) => (c.tpl_syntax)(m),
                    TemplateProblemKind::Empty => c.tpl_empty.to_string(),
                    TemplateProblemKind::TooLong(n) => (c.tpl_too_long)(*n),
                    TemplateProblemKind::BadId => c.tpl_bad_id.to_string(),
                    TemplateProblemKind::DuplicateId(id) => (c.tpl_duplicate)(id),
                    TemplateProblemKind::NoItems => c.tpl_no_items.to_string(),
                    TemplateProblemKind::NoKinds => c.tpl_no_kinds.to_string(),
                };
                if pr.place.is_empty() {
                    s.push_str(&format!("\n  {what}"));
                } else {
                    s.push_str(&format!("\n  {}: {what}", pr.place));
                }
            }
            s
        }
        Error::NoTemplate(id) => (c.err_no_template)(id),
        Error::NoDatabase { path } => (c.err_no_database)(&p(path)),
        Error::NotADatabase { path } => (c.err_not_a_database)(&p(path)),
        Error::NotFound { what, key } => (c.err_not_found)(*what, &crate::domain::text::clean(key)),
        Error::Refused(r) => refusal(lang, r),
        Error::Usage(m) => m.clone(),
        Error::Terminal(e) => (c.err_terminal)(&os_error(lang, e)),
        Error::Stdout(e) => (c.err_stdout)(&os_error(lang, e)),
        Error::Xlsx(d) => (c.err_xlsx)(d),
        Error::Tampered { path, problems } => (c.err_tampered)(&p(path), problems.len()),
        Error::Person(problem) => (c.people.problem)(problem),
        Error::Photo { path, problem } => (c.people.photo_problem)(&p(path), problem),
        Error::Sync { place, problem } => {
            (c.sync.problem)(&crate::domain::text::clean(place), problem)
        }
    }
}

/// An operating-system error in the user's language: what happened in words, and the
/// system's own number for whoever helps ("没有权限（系统错误 13）").
pub fn os_error(lang: Lang, e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let w = &lang.cat().nu;
    let words = match e.kind() {
        K::NotFound => w.os_not_found,
        K::PermissionDenied => w.os_denied,
        K::AlreadyExists => w.os_exists,
        K::StorageFull => w.os_full,
        K::ReadOnlyFilesystem => w.os_read_only,
        K::IsADirectory => w.os_is_dir,
        K::NotADirectory => w.os_not_dir,
        K::BrokenPipe => w.os_broken_pipe,
        K::InvalidData | K::InvalidInput => w.os_invalid,
        _ if e.raw_os_error() == Some(28) => w.os_full,
        _ => return (w.os_other)(&e.to_string()),
    };
    match e.raw_os_error() {
        Some(n) => (w.os_numbered)(words, n),
        None => words.to_string(),
    }
}

impl Error {
    /// The message for the user, in their language.
    pub fn message(&self, lang: Lang) -> String {
        error_message(self, lang)
    }
}

/// The message for a refused hazard action.
pub fn refusal(lang: Lang, r: &crate::store::ActionRefused) -> String {
    let c = lang.cat();
    // What the user typed is echoed back cleaned: never an escape sequence to the terminal.
    let clean = crate::domain::text::clean;
    match r {
        crate::store::ActionRefused::NoSuchHazard(k) => (c.r_no_such)(&clean(k)),
        crate::store::ActionRefused::Ambiguous(k) => (c.r_ambiguous)(&clean(k)),
        crate::store::ActionRefused::AlreadyRectified => c.r_already_rectified.to_string(),
        crate::store::ActionRefused::NotRectified => c.r_not_rectified.to_string(),
        crate::store::ActionRefused::Withdrawn => c.r_withdrawn.to_string(),
        crate::store::ActionRefused::NotEscalated => c.r_not_escalated.to_string(),
        crate::store::ActionRefused::DeadlineInPast(d) => {
            (c.e_date_past)(&d.format("%Y-%m-%d").to_string())
        }
        crate::store::ActionRefused::DeadlineNotLater(d) => {
            (c.r_not_later)(&d.format("%Y-%m-%d").to_string())
        }
        crate::store::ActionRefused::ReasonRequired => c.e_reason_required.to_string(),
        crate::store::ActionRefused::RecipientRequired => c.e_required.to_string(),
    }
}
