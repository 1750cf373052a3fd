//! Why an installer URL or install command could not be built.

use crate::models::CustomPropertyError;

/// An installer URL or install command that cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InstallerError {
    /// The instance URL is not a bare `http(s)://host[:port]` origin. The URL itself is not
    /// repeated because it may carry credentials.
    #[error("invalid instance URL: {reason}")]
    InvalidInstance {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The installer product name contains characters other than ASCII letters, digits, `.`,
    /// `-` and `_`, is empty, starts with `.`, or is longer than 100 characters.
    #[error(
        "invalid installer product name {name:?}: use ASCII letters, digits, '.', '-' and '_' (e.g. ScreenConnect)"
    )]
    InvalidProductName {
        /// The rejected name, truncated to 64 characters.
        name: String,
    },
    /// The session name contains control characters, which would corrupt the agent's launch
    /// parameters.
    #[error("the session name contains control characters")]
    InvalidSessionName,
    /// A custom property value contains control characters.
    #[error("custom property {index} contains control characters")]
    InvalidCustomPropertyValue {
        /// The 1-based index of the offending property.
        index: usize,
    },
    /// A custom property index or count is out of range (at most 8, indexes 1 to 8).
    #[error(transparent)]
    CustomProperty(#[from] CustomPropertyError),
    /// The relay host is not a valid host name or IP address (give the port separately).
    #[error("invalid relay host {host:?}: expected a host name or IP address without port")]
    InvalidRelayHost {
        /// The rejected host, truncated to 64 characters.
        host: String,
    },
    /// The relay port is 0.
    #[error("the relay port must be between 1 and 65535")]
    InvalidRelayPort,
    /// The server key is not plain (not percent-encoded) base64 text.
    #[error(
        "the server key must be the plain base64 key blob (A-Z, a-z, 0-9, '+', '/', '='), not percent-encoded"
    )]
    InvalidServerKey,
    /// The installer file path cannot be quoted safely for the target shell.
    #[error("the installer file path cannot be used: {reason}")]
    InvalidFilePath {
        /// What is wrong with it.
        reason: &'static str,
    },
}
