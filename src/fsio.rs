//! Private, atomic, device-safe file writing: the one way every command and screen writes a
//! file.
//!
//! - A regular file (new or existing) is written through a private (0600) temporary file
//!   beside it, renamed over it when complete: a failure or a kill leaves the old file whole.
//! - A link is followed: `report.md -> real/report.md` replaces `real/report.md`, and the link
//!   stays a link.
//! - A device, a pipe or a link into `/dev` or `/proc` (`/dev/stdout`, `/dev/full`, a FIFO) is
//!   written in place and never renamed over: renaming would replace the device node itself.
//!   The process's own standard output (`/dev/stdout`, `/dev/fd/1`) is written through the
//!   open handle, so `--out /dev/stdout > file` works for any user.
//! - An existing file without write permission is refused, not replaced.
//! - Temporary files left by a killed process (`.NAME.PID.tmp`) are removed the next time the
//!   same folder is written, once that process is gone.
//!
//! Folders the app makes are 0700.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Create a file for writing that only its owner can read (0600 on Unix).
pub fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

/// Create a folder (and its parents) that only its owner can enter (0700 on Unix). A folder
/// that exists already is left as it is.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

/// A file name beside `path` for writing before an atomic rename: `.NAME.PID.tmp`.
pub fn temp_sibling(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// Every failure of an export is an export error: its message names the file and why (a
/// missing folder, no permission, a full disk) and says that nothing partial was left.
pub fn export_error(path: &Path, source: std::io::Error) -> Error {
    Error::Export {
        path: path.to_path_buf(),
        source,
    }
}

/// Where a write to a path really goes.
enum Target {
    /// The process's standard output (or error): written through the handle.
    OwnStream(std::fs::File),
    /// A device, a pipe, or something behind `/dev` or `/proc`: written in place.
    InPlace,
    /// A regular file, new or existing (after following links): a temporary file beside it
    /// renamed over it.
    Replace(PathBuf),
}

fn own_stream(path: &Path) -> Option<std::fs::File> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        let s = path.to_str()?;
        let handle = match s {
            "/dev/stdout" | "/dev/fd/1" | "/proc/self/fd/1" => {
                std::io::stdout().as_fd().try_clone_to_owned()
            }
            "/dev/stderr" | "/dev/fd/2" | "/proc/self/fd/2" => {
                std::io::stderr().as_fd().try_clone_to_owned()
            }
            _ => return None,
        };
        handle.ok().map(std::fs::File::from)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

fn is_system_path(p: &Path) -> bool {
    p.starts_with("/dev") || p.starts_with("/proc") || p.starts_with("/sys")
}

fn target_of(path: &Path) -> Result<Target> {
    if let Some(f) = own_stream(path) {
        return Ok(Target::OwnStream(f));
    }
    let io = |e: std::io::Error| export_error(path, e);
    let lmeta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Target::Replace(path.to_path_buf()));
        }
        Err(e) => return Err(io(e)),
    };
    if lmeta.is_dir() {
        return Err(Error::IsDirectory {
            path: path.to_path_buf(),
        });
    }
    let real = if lmeta.file_type().is_symlink() {
        if is_system_path(path) {
            return Ok(Target::InPlace);
        }
        match std::fs::canonicalize(path) {
            Ok(p) => p,
            // A dangling link or a magic link that does not resolve: write through it.
            Err(_) => return Ok(Target::InPlace),
        }
    } else {
        path.to_path_buf()
    };
    if is_system_path(&real) {
        return Ok(Target::InPlace);
    }
    match std::fs::metadata(&real) {
        Ok(m) if m.is_dir() => Err(Error::IsDirectory { path: real }),
        Ok(m) if !m.is_file() => Ok(Target::InPlace),
        Ok(m) => {
            if m.permissions().readonly() {
                return Err(io(std::io::Error::new(
                    std::io::ErrorKind::PermissionDenied,
                    "the file is read-only",
                )));
            }
            Ok(Target::Replace(real))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Target::Replace(real)),
        Err(e) => Err(io(e)),
    }
}

/// Write a file the safe way (see the module's notes), `write` writing into it. A failure
/// leaves nothing behind and the old file whole.
pub fn stream_to_file<T>(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> Result<T>,
) -> Result<T> {
    let io = |e: std::io::Error| export_error(path, e);
    match target_of(path)? {
        Target::OwnStream(mut f) => {
            let v = write(&mut f)?;
            f.flush().map_err(io)?;
            Ok(v)
        }
        Target::InPlace => {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(io)?;
            let v = write(&mut f)?;
            f.flush().map_err(io)?;
            Ok(v)
        }
        Target::Replace(real) => {
            if let Some(dir) = real.parent() {
                sweep_stale_temps(dir);
            }
            let tmp = temp_sibling(&real);
            let mut f = create_private(&tmp).map_err(io)?;
            let done = write(&mut f).and_then(|v| f.sync_all().map_err(io).map(|()| v));
            drop(f);
            match done.and_then(|v| std::fs::rename(&tmp, &real).map_err(io).map(|()| v)) {
                Ok(v) => {
                    sync_dir(&real);
                    Ok(v)
                }
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    Err(e)
                }
            }
        }
    }
}

/// Write `bytes` to `path` readable by the owner only, the safe way (see [`stream_to_file`]).
pub fn write_private_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    stream_to_file(path, |f| {
        f.write_all(bytes).map_err(|e| export_error(path, e))
    })
}

/// For writers that need a path of their own (SQLite's backup): `make` fills a private
/// temporary file, which then goes to `path` the safe way: renamed over a regular file, or
/// copied into a device or pipe. A failure leaves nothing behind.
pub fn write_through_temp(path: &Path, make: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let io = |e: std::io::Error| export_error(path, e);
    match target_of(path)? {
        Target::Replace(real) => {
            if let Some(dir) = real.parent() {
                sweep_stale_temps(dir);
            }
            let tmp = temp_sibling(&real);
            create_private(&tmp).map_err(io)?;
            let done = make(&tmp).and_then(|()| std::fs::rename(&tmp, &real).map_err(io));
            if done.is_err() {
                remove_with_journal(&tmp);
            } else {
                sync_dir(&real);
            }
            done
        }
        Target::InPlace | Target::OwnStream(_) => {
            let dir = tempfile::Builder::new()
                .prefix(".firepatrol-")
                .tempdir()
                .map_err(io)?;
            let tmp = dir.path().join("copy");
            create_private(&tmp).map_err(io)?;
            make(&tmp)?;
            let mut from = std::fs::File::open(&tmp).map_err(io)?;
            stream_to_file(path, |f| {
                std::io::copy(&mut from, f).map(|_| ()).map_err(io)
            })
        }
    }
}

fn remove_with_journal(p: &Path) {
    let _ = std::fs::remove_file(p);
    for suffix in ["-journal", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
    }
}

/// Make a rename durable: sync the folder that holds the file (where the system allows it).
fn sync_dir(file: &Path) {
    #[cfg(unix)]
    if let Some(d) = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .and_then(|dir| std::fs::File::open(dir).ok())
    {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = file;
}

/// Append a panic report (time, version, the panic and a backtrace) to the panic log in the
/// data folder, readable by the owner only. Returns the log's path when it was written.
pub fn append_panic_report(panic: &str) -> Option<PathBuf> {
    let log = crate::paths::panic_log();
    let report = format!(
        "{} firepatrol {} panic: {panic}\n{}\n",
        chrono::Local::now().to_rfc3339(),
        env!("CARGO_PKG_VERSION"),
        std::backtrace::Backtrace::force_capture()
    );
    let dir = log.parent()?;
    create_private_dir(dir).ok()?;
    let mut o = std::fs::OpenOptions::new();
    o.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let mut f = o.open(&log).ok()?;
    f.write_all(report.as_bytes()).ok()?;
    Some(log)
}

/// Whether a process with this id is running (unknown counts as running).
fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true
    }
}

/// Remove temporary files (`.NAME.PID.tmp`, with any SQLite `-journal` beside it) that a
/// process which is no longer running left in `dir`. Never touches anything else.
pub fn sweep_stale_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = stale_temp_pid(&name) else {
            continue;
        };
        if pid != std::process::id() && !process_alive(pid) {
            let p = e.path();
            if std::fs::symlink_metadata(&p).is_ok_and(|m| m.is_file()) {
                let _ = std::fs::remove_file(&p);
            }
        }
    }
}

/// The process id in a temporary file's name `.NAME.PID.tmp` or `.NAME.PID.tmp-journal`.
fn stale_temp_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?;
    let rest = rest
        .strip_suffix(".tmp")
        .or_else(|| rest.strip_suffix(".tmp-journal"))?;
    let (stem, pid) = rest.rsplit_once('.')?;
    if stem.is_empty() || pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn standard_output_by_name_is_the_open_handle_never_the_path() {
        // Only the decision is tested: nothing is written.
        for name in ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1", "/dev/stderr"] {
            assert!(
                matches!(target_of(Path::new(name)), Ok(Target::OwnStream(_))),
                "{name}"
            );
        }
        assert!(matches!(
            target_of(Path::new("/dev/null")),
            Ok(Target::InPlace)
        ));
    }

    #[test]
    fn temp_names_are_recognised_and_nothing_else() {
        assert_eq!(stale_temp_pid(".all.xlsx.4242.tmp"), Some(4242));
        assert_eq!(stale_temp_pid(".bk.db.7.tmp-journal"), Some(7));
        assert_eq!(stale_temp_pid("all.xlsx.4242.tmp"), None);
        assert_eq!(stale_temp_pid(".all.xlsx.tmp"), None);
        assert_eq!(stale_temp_pid(".x.12a.tmp"), None);
        assert_eq!(stale_temp_pid(".4242.tmp"), None);
        assert_eq!(stale_temp_pid("firepatrol.db"), None);
    }
}
