//! Writing an output file, the one way every command uses (`firepatrol::fsio`): devices,
//! pipes and links are written through and never replaced; a read-only file is refused; a
//! killed writer's temporary files are cleaned up. Devices and pipes are made inside a
//! temporary folder: no test touches a real device.

use firepatrol::error::Error;
use firepatrol::fsio::{stream_to_file, write_private_atomic, write_through_temp};
use std::io::{Read, Write};
#[cfg(unix)]
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;
use std::process::Command;

fn made(cmd: &str, args: &[&str]) -> bool {
    Command::new(cmd)
        .args(args)
        .status()
        .is_ok_and(|s| s.success())
}

#[cfg(unix)]
#[test]
fn a_fifo_is_written_into_and_stays_a_fifo() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    assert!(made("mkfifo", &[fifo.to_str().unwrap()]), "mkfifo");
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut s = String::new();
            std::fs::File::open(&fifo)
                .and_then(|mut f| f.read_to_string(&mut s))
                .map(|_| s)
        })
    };
    write_private_atomic(&fifo, "巡查日报\n".as_bytes()).unwrap();
    assert_eq!(reader.join().unwrap().unwrap(), "巡查日报\n");
    let meta = std::fs::symlink_metadata(&fifo).unwrap();
    assert!(meta.file_type().is_fifo(), "still a FIFO");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left beside it"
    );
}

#[cfg(unix)]
#[test]
fn device_nodes_are_written_in_place_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let full = dir.path().join("full");
    let null = dir.path().join("null");
    // Character devices 1,7 (full) and 1,3 (null), made here; needs root (tests run as root).
    if !made("mknod", &[full.to_str().unwrap(), "c", "1", "7"])
        || !made("mknod", &[null.to_str().unwrap(), "c", "1", "3"])
    {
        eprintln!("skipped: mknod needs root");
        return;
    }
    let e = write_private_atomic(&full, &[b'x'; 70_000]).unwrap_err();
    assert!(matches!(e, Error::Export { .. }), "{e:?}");
    assert!(e.to_string().contains("full"), "says where: {e}");
    write_private_atomic(&null, b"nothing").unwrap();
    for p in [&full, &null] {
        let meta = std::fs::symlink_metadata(p).unwrap();
        assert!(
            meta.file_type().is_char_device(),
            "{} still a device",
            p.display()
        );
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[cfg(unix)]
#[test]
fn a_link_stays_a_link_and_its_file_is_replaced_whole() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.md");
    let link = dir.path().join("report.md");
    std::fs::write(&real, "old").unwrap();
    std::os::unix::fs::symlink(&real, &link).unwrap();
    write_private_atomic(&link, "new".as_bytes()).unwrap();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
}

#[cfg(unix)]
#[test]
fn a_read_only_file_is_refused_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("ledger.csv");
    std::fs::write(&p, "keep me").unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o444)).unwrap();
    let e = write_private_atomic(&p, b"overwrite").unwrap_err();
    assert!(matches!(e, Error::Export { .. }), "{e:?}");
    assert_eq!(std::fs::read_to_string(&p).unwrap(), "keep me");
}

#[test]
fn a_failed_writer_leaves_the_old_file_whole_and_no_temporary() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("all.xlsx");
    std::fs::write(&p, "yesterday's").unwrap();
    let r: Result<(), Error> = stream_to_file(&p, |f| {
        f.write_all(b"half a workbook").unwrap();
        Err(Error::Xlsx("interrupted".into()))
    });
    assert!(r.is_err());
    assert_eq!(std::fs::read_to_string(&p).unwrap(), "yesterday's");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn a_killed_writers_temporary_files_are_removed_at_the_next_write() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Left by processes that are gone (no process has an id this large), and by one that is
    // still running (process 1), and a file of the user's that only looks alike.
    for name in [
        ".all.xlsx.4000000000.tmp",
        ".bk.db.4000000001.tmp",
        ".bk.db.4000000001.tmp-journal",
        ".other.csv.1.tmp",
        "notes.tmp",
    ] {
        std::fs::write(d.join(name), "residents' data").unwrap();
    }
    write_private_atomic(&d.join("report.md"), b"# today").unwrap();
    let mut left: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, vec![".other.csv.1.tmp", "notes.tmp", "report.md"]);
}

#[cfg(unix)]
#[test]
fn a_writer_that_needs_a_path_goes_into_a_fifo_through_a_copy() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    assert!(made("mkfifo", &[fifo.to_str().unwrap()]), "mkfifo");
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut v = Vec::new();
            std::fs::File::open(&fifo)
                .and_then(|mut f| f.read_to_end(&mut v))
                .map(|_| v)
        })
    };
    write_through_temp(&fifo, |tmp: &Path| {
        std::fs::write(tmp, b"SQLite format 3\0").map_err(|e| Error::Io {
            path: tmp.to_path_buf(),
            source: e,
        })
    })
    .unwrap();
    assert_eq!(reader.join().unwrap().unwrap(), b"SQLite format 3\0");
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
}
