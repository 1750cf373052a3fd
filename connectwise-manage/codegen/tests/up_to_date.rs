//! The checked-in models and accessors must be exactly what the generator produces from the spec
//! and errata, and the accessors must cover every operation of the spec.
//!
//! The spec is checked in beside the generator (`connectwise-manage/codegen/spec/`). A missing
//! spec is a failure, not a skip: without it nothing would be compared.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use connectwise_manage_codegen as codegen;

fn spec_path() -> PathBuf {
    let spec = codegen::default_spec_path();
    assert!(
        spec.is_file(),
        "the spec is not at {}; it is part of the repository and the checked-in code cannot be \
         compared without it",
        spec.display()
    );
    spec
}

/// Writes `files` to a scratch directory, the way `cargo run -p connectwise-manage-codegen`
/// would, and lists how `checked_in` differs from it file by file.
fn differences(checked_in: &Path, files: &BTreeMap<PathBuf, String>, label: &str) -> Vec<String> {
    let scratch = scratch_dir(label);
    codegen::write(&scratch, files)
        .unwrap_or_else(|e| panic!("writing {}: {e}", scratch.display()));
    let mut differing = Vec::new();
    for name in files.keys() {
        let fresh = std::fs::read(scratch.join(name)).unwrap_or_default();
        match std::fs::read(checked_in.join(name)) {
            Ok(existing) if existing == fresh => {}
            Ok(_) => differing.push(format!("changed: {}", name.display())),
            Err(_) => differing.push(format!("missing: {}", name.display())),
        }
    }
    let stale = codegen::compare(checked_in, files).unwrap_or_else(|e| panic!("{e}"));
    for name in &stale.stale {
        differing.push(format!("stale: {}", name.display()));
    }
    // Best effort: a leftover scratch directory in the temp dir is harmless.
    let _ = std::fs::remove_dir_all(&scratch);
    differing
}

#[test]
fn checked_in_code_matches_the_generator() {
    let spec = spec_path();
    let output = codegen::generate_all_from_paths(&spec, &codegen::default_errata_path())
        .unwrap_or_else(|e| panic!("generation failed: {e}"));
    for (dir, files, label) in [
        (codegen::default_out_dir(), &output.models, "models"),
        (codegen::default_api_out_dir(), &output.accessors, "api"),
    ] {
        let differing = differences(&dir, files, label);
        assert!(
            differing.is_empty(),
            "{} is out of date; run `cargo run -p connectwise-manage-codegen`:\n{}",
            dir.display(),
            differing.join("\n")
        );
    }
}

#[test]
fn generation_is_deterministic() {
    let spec = spec_path();
    let errata = codegen::default_errata_path();
    let first = codegen::generate_all_from_paths(&spec, &errata).unwrap_or_else(|e| panic!("{e}"));
    let second = codegen::generate_all_from_paths(&spec, &errata).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(first, second);
    assert!(first.models.contains_key(&PathBuf::from("mod.rs")));
    // Models are found by area: each in the module of the endpoints that serve it.
    for (file, item) in [
        ("service.rs", "pub struct Ticket {"),
        ("company.rs", "pub struct Company {"),
        ("finance.rs", "pub struct Agreement {"),
        ("service.rs", "pub struct TicketReference {"),
    ] {
        let text = &first.models[&PathBuf::from(file)];
        assert!(text.contains(item), "{file} lacks `{item}`");
    }
    let index = &first.models[&PathBuf::from("mod.rs")];
    assert!(index.contains("pub use self::service::Ticket;\n"));
    assert!(!index.contains("pub use self::finance::Agreement;"));
    assert!(first.accessors.contains_key(&PathBuf::from("mod.rs")));
    assert!(first.accessors.contains_key(&PathBuf::from("service.rs")));
}

#[test]
fn the_operation_index_has_one_row_per_spec_operation() {
    let spec_file = spec_path();
    let spec = codegen::Spec::load(&spec_file).unwrap_or_else(|e| panic!("{e}"));
    let errata =
        codegen::Errata::load(&codegen::default_errata_path()).unwrap_or_else(|e| panic!("{e}"));
    let files = codegen::generate_accessors(&spec, &errata).unwrap_or_else(|e| panic!("{e}"));
    let index = &files[&PathBuf::from(codegen::api::INDEX_FILE)];
    let rows = codegen::api::coverage::parse(index);

    let expected: BTreeSet<(String, String, String)> = spec
        .paths
        .iter()
        .flat_map(|(path, item)| {
            item.operations.iter().map(|(method, operation)| {
                (
                    operation.operation_id.clone(),
                    method.to_string(),
                    errata.call_path(path),
                )
            })
        })
        .collect();
    let listed: BTreeSet<(String, String, String)> = rows.iter().cloned().collect();
    assert_eq!(listed.len(), rows.len(), "an operation is listed twice");
    let missing: Vec<_> = expected.difference(&listed).collect();
    let extra: Vec<_> = listed.difference(&expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing: {missing:?}\nextra: {extra:?}"
    );
    assert_eq!(rows.len(), 3053, "the 2025.1 spec has 3,053 operations");

    // Every row names an accessor, except the one multipart upload, which says why.
    let skipped: Vec<&str> = index
        .lines()
        .filter(|line| line.contains("not generated"))
        .collect();
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(
        skipped[0].contains("`postSystemDocuments`"),
        "{}",
        skipped[0]
    );
}

#[test]
fn errata_file_parses_and_matches_the_spec() {
    let errata =
        codegen::Errata::load(&codegen::default_errata_path()).unwrap_or_else(|e| panic!("{e}"));
    assert!(!errata.models.any_json.is_empty());
    let spec = spec_path();
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
    // Calls keep the spec's spelling and trailing slash; only broken templates change.
    assert_eq!(
        errata.call_path("/finance/agreementrecap/"),
        "/finance/agreementrecap/"
    );
    assert_eq!(
        errata.call_path("/system/AllowedFileTypes/"),
        "/system/AllowedFileTypes/"
    );
    assert_eq!(
        errata.call_path("/system/members/{memberIdentifier:regex(^(types. |("),
        "/system/members/{memberIdentifier}"
    );
}

fn scratch_dir(label: &str) -> PathBuf {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    std::env::temp_dir().join(format!(
        "connectwise-manage-codegen-{label}-{}-{nanos}",
        std::process::id()
    ))
}
