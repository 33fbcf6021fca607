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

/// The sync targets' seeds are made by the real sync code (a laptop's bundle sealed to the
/// fuzzing's key, an enrolment sealed with its code, a real changeset), so they follow the
/// format as it changes: they run here fresh, as well as from `fuzz/seeds/`.
/// `FP_WRITE_SEEDS=1 cargo test --test fuzz_regressions` writes them there for `fuzz/run.sh`.
fn fresh_sync_seeds(target: &str) -> Vec<Vec<u8>> {
    let seeds = firepatrol::fuzzing::sync_seeds().expect("seeds");
    assert!(!seeds.is_empty());
    if std::env::var_os("FP_WRITE_SEEDS").is_some() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
        for (name, bytes) in &seeds {
            let (t, file) = name.split_once('/').unwrap();
            let dir = root.join(format!("sync_{t}"));
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join(file), bytes).unwrap();
        }
    }
    seeds
        .into_iter()
        .filter(|(name, _)| name.starts_with(target))
        .map(|(_, b)| b)
        .collect()
}

#[test]
fn sync_bundle() {
    use firepatrol::sync::bundle::{self, Opener};
    // The seeds reach inside the seal: the fuzzer starts from files it can open.
    let key = firepatrol::fuzzing::fuzz_identity().expect("the fuzzing's key");
    let seeds = fresh_sync_seeds("bundle/");
    assert!(seeds.iter().any(|s| {
        bundle::read(s)
            .and_then(|b| b.open(Opener::Keys(&key), 1 << 20))
            .is_ok_and(|o| !o.changeset.is_empty())
    }));
    for seed in seeds {
        firepatrol::fuzzing::bundle(&seed);
        // Every byte flipped once in the frame and header, and cut short: never a panic.
        for i in (0..seed.len().min(2048)).step_by(7) {
            let mut bad = seed.clone();
            bad[i] ^= 0x5a;
            firepatrol::fuzzing::bundle(&bad);
        }
    }
    run("sync_bundle", firepatrol::fuzzing::bundle);
}

#[test]
fn sync_changeset() {
    for seed in fresh_sync_seeds("changeset/") {
        firepatrol::fuzzing::changeset(&seed);
        for i in (0..seed.len()).step_by(997) {
            let mut bad = seed.clone();
            bad[i] ^= 0x5a;
            firepatrol::fuzzing::changeset(&bad);
        }
    }
    run("sync_changeset", firepatrol::fuzzing::changeset);
}
