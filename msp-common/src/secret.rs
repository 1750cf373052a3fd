//! Credentials: held as [`SecretString`], sent in header values marked sensitive so that `http`'s
//! `Debug` prints `Sensitive` instead of the value.

use base64::Engine as _;
use http::HeaderValue;
pub use secrecy::{ExposeSecret, SecretString};

use crate::error::ConfigError;

/// A header value marked sensitive. `setting` names the configuration value in the error, which
/// never repeats the value itself.
pub fn sensitive_header(value: &str, setting: &str) -> Result<HeaderValue, ConfigError> {
    let mut header = HeaderValue::from_str(value).map_err(|_| {
        ConfigError::invalid(
            setting,
            "contains characters that cannot be sent in an HTTP header",
        )
    })?;
    header.set_sensitive(true);
    Ok(header)
}

/// An `Authorization: Basic …` value for `username` and `password`, marked sensitive.
pub fn basic_auth(username: &str, password: &SecretString) -> Result<HeaderValue, ConfigError> {
    let credentials = format!("{username}:{}", password.expose_secret());
    let encoded = base64::engine::general_purpose::STANDARD.encode(credentials.as_bytes());
    sensitive_header(&format!("Basic {encoded}"), "credentials")
}
