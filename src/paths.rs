//! Where firepatrol keeps its files: the data folder, the default and demo databases, the
//! reports folder beside a database, and the panic log. No I/O happens here.

use std::path::{Path, PathBuf};

/// The platform data folder (e.g. ~/.local/share/firepatrol).
pub fn data_dir() -> PathBuf {
    directories::ProjectDirs::from("", "", "firepatrol")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".firepatrol"))
}

/// The leader's own database when `--db` is not given.
pub fn default_db() -> PathBuf {
    data_dir().join("firepatrol.db")
}

/// The demo community's database (built the first time `firepatrol demo` runs).
pub fn demo_db() -> PathBuf {
    data_dir().join("demo.db")
}

/// The office demo's database (`firepatrol demo --office`).
pub fn demo_office_db() -> PathBuf {
    data_dir().join("demo-office.db")
}

/// Where the app writes laptops' enrolment files: `enrolments/` beside the database.
pub fn enrolments_dir(db: &Path) -> PathBuf {
    reports_dir(db).with_file_name("enrolments")
}

/// Where a panic report is written.
pub fn panic_log() -> PathBuf {
    data_dir().join("panic.log")
}

/// The daily backups of the default database.
pub fn backups_dir() -> PathBuf {
    data_dir().join("backups")
}

/// Where photos of hazards are kept: `photos/` beside the database, named by their hash.
pub fn photos_dir(db: &Path) -> PathBuf {
    db.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
        .join("photos")
}

/// Where exports go by default: `reports/` beside the database (in the data folder).
pub fn reports_dir(db: &Path) -> PathBuf {
    db.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
        .join("reports")
}

/// A path as typed: a leading `~/` (or `~` alone) is the home folder.
pub fn expand_home(typed: &str) -> PathBuf {
    let home = || std::env::var_os("HOME").map(PathBuf::from);
    match typed.strip_prefix('~') {
        Some("") => home().unwrap_or_else(|| PathBuf::from(typed)),
        Some(rest) if rest.starts_with('/') => match home() {
            Some(h) => h.join(rest.trim_start_matches('/')),
            None => PathBuf::from(typed),
        },
        _ => PathBuf::from(typed),
    }
}
