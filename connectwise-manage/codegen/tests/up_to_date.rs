//! The checked-in models must be exactly what the generator produces from the spec and errata.
//!
//! The spec lives outside the repository (`../shared/spec/` relative to the workspace root).
//! Where it is absent the test says so and passes without comparing; the generated code then
//! still compiles and is tested through the `connectwise-manage` tests.

use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use connectwise_manage_codegen as codegen;

#[test]
fn checked_in_models_match_the_generator() {
    let spec = codegen::default_spec_path();
    if !spec.exists() {
        eprintln!(
            "skipping: the spec is not at {} (it lives outside the repository); nothing to compare",
            spec.display()
        );
        return;
    }
    let files = codegen::generate_from_paths(&spec, &codegen::default_errata_path())
        .unwrap_or_else(|e| panic!("generation failed: {e}"));

    // Write to a scratch directory first, the way `cargo run -p connectwise-manage-codegen` would,
    // and compare that with the checked-in directory file by file.
    let scratch = scratch_dir();
    codegen::write(&scratch, &files)
        .unwrap_or_else(|e| panic!("writing {}: {e}", scratch.display()));
    let checked_in = codegen::default_out_dir();
    let mut differing = Vec::new();
    for name in files.keys() {
        let fresh = std::fs::read(scratch.join(name)).unwrap_or_default();
        match std::fs::read(checked_in.join(name)) {
            Ok(existing) if existing == fresh => {}
            Ok(_) => differing.push(format!("changed: {}", name.display())),
            Err(_) => differing.push(format!("missing: {}", name.display())),
        }
    }
    let differences = codegen::compare(&checked_in, &files).unwrap_or_else(|e| panic!("{e}"));
    for stale in &differences.stale {
        differing.push(format!("stale: {}", stale.display()));
    }
    // Best effort: a leftover scratch directory in the temp dir is harmless.
    let _ = std::fs::remove_dir_all(&scratch);

    assert!(
        differing.is_empty(),
        "{} is out of date; run `cargo run -p connectwise-manage-codegen`:\n{}",
        checked_in.display(),
        differing.join("\n")
    );
}

#[test]
fn generation_is_deterministic() {
    let spec = codegen::default_spec_path();
    if !spec.exists() {
        eprintln!("skipping: the spec is not at {}", spec.display());
        return;
    }
    let errata = codegen::default_errata_path();
    let first = codegen::generate_from_paths(&spec, &errata).unwrap_or_else(|e| panic!("{e}"));
    let second = codegen::generate_from_paths(&spec, &errata).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(first, second);
    assert!(first.contains_key(&PathBuf::from("mod.rs")));
    assert!(first.contains_key(&PathBuf::from("core_models.rs")));
}

#[test]
fn errata_file_parses_and_matches_the_spec() {
    let errata =
        codegen::Errata::load(&codegen::default_errata_path()).unwrap_or_else(|e| panic!("{e}"));
    assert!(!errata.models.any_json.is_empty());
    let spec = codegen::default_spec_path();
    if !spec.exists() {
        eprintln!(
            "skipping the spec check: the spec is not at {}",
            spec.display()
        );
        return;
    }
    let spec = codegen::Spec::load(&spec).unwrap_or_else(|e| panic!("{e}"));
    errata.validate(&spec).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        errata.effective_path("/finance/agreements/types{id}/copy"),
        "/finance/agreements/types/{id}/copy"
    );
    assert_eq!(
        errata.effective_path("/system/AllowedFileTypes/"),
        "/system/allowedfiletypes"
    );
    assert_eq!(
        errata.effective_path("/finance/agreementrecap/"),
        "/finance/agreementrecap"
    );
}

fn scratch_dir() -> PathBuf {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    std::env::temp_dir().join(format!(
        "connectwise-manage-codegen-{}-{nanos}",
        std::process::id()
    ))
}
