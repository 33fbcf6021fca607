//! Errors of the library. They carry data, not wording: `crate::i18n` words them in the
//! user's language (`Error::message` is defined there, above this module).

use crate::domain::checklist::TemplateProblem;
use crate::domain::{ActionRefused, Thing};
use std::path::PathBuf;

/// Where in an import file a problem is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowProblem {
    /// 1-based row number as a spreadsheet shows it (the header is row 1).
    pub row: usize,
    /// The column's header as written in the file ("" for the file as a whole).
    pub column: String,
    pub problem: ImportProblem,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportProblem {
    MissingValue,
    NotANumber(String),
    NotAPhone(String),
    UnknownKind(String),
    UnknownRole(String),
    TooLong(usize),
    NoSuchBuilding(String),
    /// The same building appears twice in the file with different data.
    Duplicate(usize),
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("database {path}: {source}")]
    Db {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("database {path} is version {found}, newer than this program ({supported})")]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("database {path} is damaged or not a firepatrol database")]
    Damaged {
        path: PathBuf,
        backup: Option<PathBuf>,
    },
    #[error("{path} is a directory")]
    IsDirectory { path: PathBuf },
    #[error("database {path} is busy (locked by another program)")]
    Locked { path: PathBuf },
    #[error("database {path} cannot be written")]
    ReadOnly { path: PathBuf },
    #[error("database {path} was moved or deleted while in use")]
    Moved { path: PathBuf },
    #[error("disk full writing {path}")]
    DiskFull { path: PathBuf },
    /// An export (report, notice, template) could not be written; nothing was left behind.
    #[error("cannot write {path}: {source}")]
    Export {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: unknown text encoding")]
    Encoding { path: PathBuf },
    #[error("{path}: the file is empty")]
    EmptyFile { path: PathBuf },
    #[error("{path}: only a header, no rows")]
    HeaderOnly { path: PathBuf },
    #[error("{path}: unsupported file type")]
    FileType { path: PathBuf },
    #[error("{path}: required column {column} missing")]
    MissingColumn { path: PathBuf, column: String },
    #[error("{path}: {problems:?}")]
    Rows {
        path: PathBuf,
        problems: Vec<RowProblem>,
    },
    #[error("{path}: cannot read spreadsheet: {detail}")]
    Spreadsheet { path: PathBuf, detail: String },
    #[error("template {path}: {problems:?}")]
    Template {
        path: PathBuf,
        problems: Vec<TemplateProblem>,
    },
    #[error("no template {0}")]
    NoTemplate(String),
    #[error("no database at {path}")]
    NoDatabase { path: PathBuf },
    /// The file exists but is empty or was never made a firepatrol database.
    #[error("{path} is not a firepatrol database")]
    NotADatabase { path: PathBuf },
    /// A record the user named does not exist (`key` is what they typed or its id).
    #[error("no {what:?} {key}")]
    NotFound { what: Thing, key: String },
    /// A hazard action the rules refuse; nothing was changed.
    #[error("refused: {0:?}")]
    Refused(ActionRefused),
    /// A command used wrongly (options that do not go together, a value it cannot read):
    /// worded by the command-line layer that found it, in the user's language.
    #[error("{0}")]
    Usage(String),
    /// Standard output could not be written (a full disk, a closed pipe): the command's
    /// output is incomplete.
    #[error("standard output: {0}")]
    Stdout(std::io::Error),
    /// The terminal could not be set up or drawn to.
    #[error("terminal: {0}")]
    Terminal(std::io::Error),
    /// A spreadsheet could not be built.
    #[error("xlsx: {0}")]
    Xlsx(String),
    /// `firepatrol check` found only the event log's hash chain broken: a record was changed
    /// behind the app's back. `problems` are the store's findings, one a line.
    #[error("database {path}: {problems:?}")]
    Tampered {
        path: PathBuf,
        problems: Vec<String>,
    },
    /// A change to the people list that the checks refuse; nothing was changed.
    #[error("people: {0:?}")]
    Person(crate::domain::roster::PersonProblem),
    /// A bundle (a file, or the office over the LAN) that cannot be taken in, or a sync
    /// step this database cannot take; nothing was changed. `place` names the file or address.
    #[error("{place}: {problem:?}")]
    Sync {
        place: String,
        problem: crate::domain::sync::SyncProblem,
    },
    /// A photo file that cannot be attached; nothing was attached.
    #[error("{path}: {problem:?}")]
    Photo {
        path: PathBuf,
        problem: crate::domain::photo::PhotoProblem,
    },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Turn a rusqlite error on `path` into the most specific error we have a message for.
    pub fn db(path: &std::path::Path, e: rusqlite::Error) -> Error {
        use rusqlite::ErrorCode as C;
        let path = path.to_path_buf();
        // A stored value that cannot be read back as what it was written as is damage.
        if matches!(
            e,
            rusqlite::Error::Utf8Error(..)
                | rusqlite::Error::FromSqlConversionFailure(..)
                | rusqlite::Error::InvalidColumnType(..)
                | rusqlite::Error::IntegralValueOutOfRange(..)
        ) {
            return Error::Damaged { path, backup: None };
        }
        if let rusqlite::Error::SqliteFailure(f, _) = &e {
            match f.code {
                C::DatabaseBusy | C::DatabaseLocked => return Error::Locked { path },
                C::ReadOnly | C::CannotOpen | C::PermissionDenied => {
                    if path.is_dir() {
                        return Error::IsDirectory { path };
                    }
                    if f.code == C::ReadOnly || f.code == C::PermissionDenied {
                        return Error::ReadOnly { path };
                    }
                }
                C::NotADatabase | C::DatabaseCorrupt => {
                    return Error::Damaged { path, backup: None };
                }
                C::DiskFull => return Error::DiskFull { path },
                _ => {}
            }
        }
        Error::Db { path, source: e }
    }
}
