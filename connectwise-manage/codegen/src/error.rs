//! The generator's error type.

use std::path::PathBuf;

/// Everything that can stop generation. Each variant says where the problem is.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// A file is not valid JSON, or does not have the expected JSON shape.
    #[error("{path}: {source}")]
    Json {
        /// The file.
        path: PathBuf,
        /// What the JSON parser said.
        #[source]
        source: serde_json::Error,
    },
    /// The spec has a shape the generator does not understand.
    #[error("spec {at}: {message}")]
    Spec {
        /// A JSON-pointer-like location in the spec.
        at: String,
        /// What is wrong there.
        message: String,
    },
    /// The errata overlay does not match the spec, or contradicts itself.
    #[error("errata: {0}")]
    Errata(String),
    /// Two generated items would get the same name, or a name is not a valid identifier.
    #[error("naming: {0}")]
    Naming(String),
    /// A schema could not be given a feature (area) or the area rules are inconsistent.
    #[error("areas: {0}")]
    Areas(String),
    /// The emitter produced a line it cannot lay out the way rustfmt would.
    #[error("layout: {0}")]
    Layout(String),
}

impl Error {
    pub(crate) fn spec(at: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Spec {
            at: at.into(),
            message: message.into(),
        }
    }
}
