//! Replays every checked-in fuzz input through its target: the corpora in `fuzz/corpus/<target>/`
//! and the crash regressions in `fuzz/artifacts/<target>/`. A property that fails names the file.

use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use fuzz_targets::TARGETS;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

/// The files of `dir`, sorted; none when it does not exist.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|entry| entry.expect("a readable directory entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn every_corpus_and_artifact_passes_its_target() {
    let mut failures = Vec::new();
    for (name, target) in TARGETS {
        let corpus = inputs(&fuzz_dir().join("corpus").join(name));
        assert!(
            !corpus.is_empty(),
            "fuzz/corpus/{name}/ is missing or empty: every target keeps a seed corpus"
        );
        let artifacts = inputs(&fuzz_dir().join("artifacts").join(name));
        for path in corpus.iter().chain(&artifacts) {
            let data = fs::read(path).expect("a readable input");
            if catch_unwind(AssertUnwindSafe(|| target(&data))).is_err() {
                failures.push(path.display().to_string());
            }
        }
    }
    assert!(
        failures.is_empty(),
        "inputs failing their target: {failures:#?}"
    );
}

#[test]
fn every_target_has_a_cargo_fuzz_entry_point() {
    for (name, _) in TARGETS {
        let path = fuzz_dir().join("fuzz_targets").join(format!("{name}.rs"));
        let source =
            fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        assert!(
            source.contains(&format!("fuzz_targets::{name}(")),
            "{} does not call fuzz_targets::{name}",
            path.display()
        );
    }
}
