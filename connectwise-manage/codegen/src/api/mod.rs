//! Generator of the typed accessors in `connectwise-manage/src/api/generated/`.
//!
//! Stages, one module each: [`operation`] classifies every spec operation with the errata
//! applied, [`tree`] arranges them into handles that follow the API's paths, [`render`] writes
//! one file per area root (laid out by [`layout`] as rustfmt would), and [`coverage`] writes the
//! operation index. [`core_paths`] lists the operations compiled without any feature.
//!
//! Every operation of the spec ends up either as an accessor or, for the one `multipart/form-data`
//! upload, as an index row saying it is not generated; the generator fails rather than drop one.

pub mod core_paths;
pub mod coverage;
pub mod layout;
pub mod operation;
pub mod render;
pub mod tree;

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::areas::schema_placements;
use crate::errata::Errata;
use crate::error::Error;
use crate::spec::Spec;

/// The name of the operation index file.
pub const INDEX_FILE: &str = "operations.md";

/// Generates every file of `api/generated/`, keyed by file name relative to that directory.
pub fn generate(spec: &Spec, errata: &Errata) -> Result<BTreeMap<PathBuf, String>, Error> {
    errata.validate(spec)?;
    let operations = operation::classify_all(spec, errata)?;
    let total = operations.len();
    let roots = tree::build(operations)?;
    let placements = schema_placements(spec, errata)?;
    let ctx = render::Context {
        placements: &placements,
    };

    let mut files = BTreeMap::new();
    let mut rendered = Vec::new();
    for root in &roots {
        let file = render::render_root(root, &ctx)?;
        files.insert(render::file_name(&file.module), file.text.clone());
        rendered.push(file);
    }
    files.insert(
        PathBuf::from("mod.rs"),
        render::render_mod(&spec.version, &rendered),
    );

    let rows = coverage::rows(&roots);
    if rows.len() != total {
        return Err(Error::Naming(format!(
            "the index has {} rows for {total} operations",
            rows.len()
        )));
    }
    files.insert(
        PathBuf::from(INDEX_FILE),
        coverage::render(&spec.version, &rows),
    );
    Ok(files)
}
