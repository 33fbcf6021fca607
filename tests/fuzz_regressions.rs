//! The fuzz targets' bodies over their seeds and every input the fuzzer ever found a problem
//! with (`fuzz/regressions/<target>/`): the short form of the fuzzing that CI runs.
//! The long form: `fuzz/run.sh` (cargo-fuzz, 10 minutes per target).

use std::path::Path;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut out = Vec::new();
    for kind in ["seeds", "regressions"] {
        let dir = root.join(kind).join(target);
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            if e.path().is_file() && e.file_name() != ".gitkeep" {
                out.push((
                    e.path().display().to_string(),
                    std::fs::read(e.path()).unwrap(),
                ));
            }
        }
    }
    out
}

fn run(target: &str, f: fn(&[u8])) {
    let all = inputs(target);
    assert!(!all.is_empty(), "no seeds for {target}");
    for (name, bytes) in all {
        // Each input whole, and cut at a few places (truncated files are common findings).
        for cut in [bytes.len(), bytes.len() / 2, bytes.len() / 3, 1] {
            let part = &bytes[..cut.min(bytes.len())];
            if std::panic::catch_unwind(|| f(part)).is_err() {
                panic!("{target}: {name} (first {cut} bytes) fails");
            }
        }
    }
}

#[test]
fn import_csv() {
    run("import_csv", firepatrol::fuzzing::import_csv);
}

#[test]
fn import_xlsx() {
    run("import_xlsx", firepatrol::fuzzing::import_xlsx);
}

#[test]
fn deadline() {
    run("deadline", firepatrol::fuzzing::deadline);
}

#[test]
fn template() {
    run("template", firepatrol::fuzzing::template);
}
