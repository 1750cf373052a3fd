//! Generator of the typed ConnectWise Manage models in `connectwise-manage/src/models/generated/`
//! and of the typed accessors in `connectwise-manage/src/api/generated/`.
//!
//! Input: the Manage OpenAPI spec (`spec/manage-openapi-2025.1.json`, checked in beside this
//! crate) and the errata overlay (`errata.json` beside this crate). Output: Rust source
//! files, checked in. The same input gives the same output byte for byte: everything is iterated
//! in sorted or document order, and nothing depends on time or the environment.
//!
//! Stages, one module each: [`spec`] loads the document, [`errata`] loads and validates the
//! overlay, [`areas`] assigns cargo features, [`enums`] plans the open enums, [`naming`] and
//! [`types`] map names and types, [`model`] decides every item and its docs, and [`emit`] prints
//! the files. [`api`] builds the accessors on the same spec and errata.

pub mod api;
pub mod areas;
pub mod docs;
pub mod emit;
pub mod enums;
pub mod errata;
pub mod error;
pub mod json;
pub mod model;
pub mod naming;
pub mod spec;
pub mod types;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use errata::Errata;
pub use error::Error;
pub use model::Model;
pub use spec::Spec;

/// Generates every file of `models/generated/`, keyed by file name relative to that directory.
pub fn generate(spec: &Spec, errata: &Errata) -> Result<BTreeMap<PathBuf, String>, Error> {
    errata.validate(spec)?;
    let model = Model::build(spec, errata)?;
    emit::emit(&model)
}

/// Loads the spec and errata from disk and generates the model files.
pub fn generate_from_paths(spec: &Path, errata: &Path) -> Result<BTreeMap<PathBuf, String>, Error> {
    let spec = Spec::load(spec)?;
    let errata = Errata::load(errata)?;
    generate(&spec, &errata)
}

/// Generates every file of `api/generated/`, keyed by file name relative to that directory.
pub fn generate_accessors(
    spec: &Spec,
    errata: &Errata,
) -> Result<BTreeMap<PathBuf, String>, Error> {
    api::generate(spec, errata)
}

/// Both outputs: models and accessors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// The files of `models/generated/`.
    pub models: BTreeMap<PathBuf, String>,
    /// The files of `api/generated/`.
    pub accessors: BTreeMap<PathBuf, String>,
}

/// Loads the spec and errata from disk and generates models and accessors.
pub fn generate_all_from_paths(spec: &Path, errata: &Path) -> Result<Output, Error> {
    let spec = Spec::load(spec)?;
    let errata = Errata::load(errata)?;
    Ok(Output {
        models: generate(&spec, &errata)?,
        accessors: generate_accessors(&spec, &errata)?,
    })
}

/// The workspace root (two levels above this crate).
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .and_then(Path::parent)
        .map_or_else(|| manifest_dir.join("..").join(".."), Path::to_path_buf)
}

/// Where the spec lives by default: `connectwise-manage/codegen/spec/manage-openapi-2025.1.json`,
/// checked in beside the generator.
pub fn default_spec_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("spec")
        .join("manage-openapi-2025.1.json")
}

/// The errata overlay kept beside this crate.
pub fn default_errata_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("errata.json")
}

/// Where the generated models are checked in.
pub fn default_out_dir() -> PathBuf {
    workspace_root()
        .join("connectwise-manage")
        .join("src")
        .join("models")
        .join("generated")
}

/// Where the generated accessors are checked in.
pub fn default_api_out_dir() -> PathBuf {
    workspace_root()
        .join("connectwise-manage")
        .join("src")
        .join("api")
        .join("generated")
}

/// How a directory differs from a generated file set.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Differences {
    /// Generated files the directory lacks.
    pub missing: Vec<PathBuf>,
    /// Files whose content differs.
    pub changed: Vec<PathBuf>,
    /// `.rs` and `.md` files in the directory the generator no longer produces.
    pub stale: Vec<PathBuf>,
}

impl Differences {
    /// Whether the directory matches exactly.
    pub fn is_empty(&self) -> bool {
        self.missing.is_empty() && self.changed.is_empty() && self.stale.is_empty()
    }
}

impl std::fmt::Display for Differences {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (label, list) in [
            ("missing", &self.missing),
            ("changed", &self.changed),
            ("stale", &self.stale),
        ] {
            for path in list {
                writeln!(f, "{label}: {}", path.display())?;
            }
        }
        Ok(())
    }
}

/// Compares a directory with a generated file set, byte for byte.
pub fn compare(dir: &Path, files: &BTreeMap<PathBuf, String>) -> Result<Differences, Error> {
    let mut out = Differences::default();
    for (name, content) in files {
        let path = dir.join(name);
        match std::fs::read(&path) {
            Ok(existing) if existing == content.as_bytes() => {}
            Ok(_) => out.changed.push(name.clone()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => out.missing.push(name.clone()),
            Err(source) => return Err(Error::Io { path, source }),
        }
    }
    out.stale = rust_files(dir)?
        .into_iter()
        .filter(|name| !files.contains_key(name))
        .collect();
    Ok(out)
}

/// Writes a generated file set into `dir`: creates the directory, rewrites files whose content
/// changed and removes `.rs` and `.md` files the generator no longer produces. Returns what it
/// changed.
pub fn write(dir: &Path, files: &BTreeMap<PathBuf, String>) -> Result<Differences, Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.to_owned(),
        source,
    })?;
    let differences = compare(dir, files)?;
    for name in differences.missing.iter().chain(&differences.changed) {
        let path = dir.join(name);
        std::fs::write(&path, &files[name]).map_err(|source| Error::Io { path, source })?;
    }
    for name in &differences.stale {
        let path = dir.join(name);
        std::fs::remove_file(&path).map_err(|source| Error::Io { path, source })?;
    }
    Ok(differences)
}

/// The generated kinds of files (`.rs`, `.md`) directly in `dir`, sorted; none if the directory
/// does not exist.
fn rust_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(Error::Io {
                path: dir.to_owned(),
                source,
            });
        }
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| Error::Io {
            path: dir.to_owned(),
            source,
        })?;
        let name = PathBuf::from(entry.file_name());
        if name
            .extension()
            .is_some_and(|ext| ext == "rs" || ext == "md")
        {
            out.push(name);
        }
    }
    out.sort();
    Ok(out)
}
