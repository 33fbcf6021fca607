//! Private, atomic, device-safe file writing: the one way every command and screen writes a
//! file. A regular file is written through a private (0600) temporary file beside it that is
//! renamed over it when complete, so a failure leaves nothing partial; a device or pipe
//! (`/dev/stdout`, `/dev/full`, a FIFO) is written in place, since renaming over it would
//! replace the device node itself. Folders the app makes are 0700.

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

/// Create a folder (and its parents) that only its owner can enter (0700 on Unix).
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

/// A file name beside `path` for writing before an atomic rename.
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

/// Write a file through a private temporary file renamed when complete, `write` writing into
/// it; a device or pipe is written in place. A failure leaves nothing behind.
pub fn stream_to_file<T>(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> Result<T>,
) -> Result<T> {
    let io = |e: std::io::Error| export_error(path, e);
    if path.is_dir() {
        return Err(Error::IsDirectory {
            path: path.to_path_buf(),
        });
    }
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(io)?;
        return write(&mut f);
    }
    let tmp = temp_sibling(path);
    let mut f = create_private(&tmp).map_err(io)?;
    let done = write(&mut f).and_then(|v| f.sync_all().map_err(io).map(|()| v));
    drop(f);
    match done.and_then(|v| std::fs::rename(&tmp, path).map_err(io).map(|()| v)) {
        Ok(v) => Ok(v),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Write `bytes` to `path` readable by the owner only, atomically (see [`stream_to_file`]).
pub fn write_private_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    stream_to_file(path, |f| {
        f.write_all(bytes).map_err(|e| export_error(path, e))
    })
}
