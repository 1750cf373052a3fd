//! The server's configuration file (TOML): the tenants, each with its Manage and optional
//! ScreenConnect credentials, and where the audit log goes. Secrets are never written in the file: each is named by an
//! environment variable (`*_env`) or a file (`*_file`) that holds it.

use std::path::{Path, PathBuf};

use secrecy::SecretString;
use serde::Deserialize;

/// The whole configuration file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The tenants, by name.
    #[serde(default, rename = "tenant")]
    pub tenants: Vec<TenantConfig>,
    /// The audit log.
    #[serde(default)]
    pub audit: AuditConfig,
}

/// One tenant: a name the model uses, its Manage instance and, optionally, its ScreenConnect
/// instance.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantConfig {
    /// The name tools take as their `tenant` argument.
    pub name: String,
    /// The ConnectWise Manage instance.
    pub manage: ManageConfig,
    /// The ScreenConnect instance, for the session and command tools; without it they refuse.
    #[serde(default)]
    pub screenconnect: Option<ScreenConnectConfig>,
    /// Requests per minute each of this tenant's clients may send (the tenant's rate budget).
    #[serde(default = "default_rate")]
    pub requests_per_minute: u32,
    /// Attempts per request including the first, for each of the tenant's clients (`1` turns
    /// retries off).
    #[serde(default)]
    pub max_attempts: Option<u32>,
}

fn default_rate() -> u32 {
    120
}

/// A Manage instance's site and credentials.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManageConfig {
    /// The site (`na.myconnectwise.net`, or a full URL).
    pub site: String,
    /// The company id used at login.
    pub company: String,
    /// The API member's public key (not a secret).
    pub public_key: String,
    /// Where the private key is.
    pub private_key: SecretSource,
    /// Where the `clientId` is.
    pub client_id: SecretSource,
}

/// A ScreenConnect instance with the RESTful API Manager extension.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreenConnectConfig {
    /// The instance (`acme.screenconnect.com`, or a full URL).
    pub instance: String,
    /// Where the extension's secret (`RESTfulAuthenticationSecret`) is.
    pub secret: SecretSource,
    /// The extension's id, when it is not the usual one.
    #[serde(default)]
    pub extension_id: Option<String>,
    /// Milliseconds between checks for a command's result (growing by half up to 5 s);
    /// default 1500. `0` checks back to back, for a local sandbox.
    #[serde(default)]
    pub command_poll_ms: Option<u64>,
}

/// Where a secret is read from: an environment variable or a file (trailing newline dropped).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretSource {
    /// The environment variable holding it.
    #[serde(default)]
    pub env: Option<String>,
    /// The file holding it, relative to the configuration file.
    #[serde(default)]
    pub file: Option<PathBuf>,
}

/// How note bodies and free text are written to the audit log.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum TextPolicy {
    /// Replaced by `"[redacted]"`.
    #[default]
    Redact,
    /// Replaced by the SHA-256 of the text, so two calls with the same text can be matched.
    Hash,
}

/// Where the audit log goes and what it keeps.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditConfig {
    /// The file lines are appended to; standard error when absent.
    #[serde(default)]
    pub file: Option<PathBuf>,
    /// How note bodies, time entry notes and commands are written.
    #[serde(default)]
    pub text: TextPolicy,
}

/// A configuration that cannot be used, with what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML of this shape.
    #[error("{path} is not a valid configuration: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The TOML parser's message.
        message: String,
    },
    /// A tenant's setting is wrong (the message names the tenant and the setting).
    #[error("{0}")]
    Invalid(String),
}

impl Config {
    /// Reads and checks the file at `path`.
    ///
    /// # Errors
    /// [`ConfigError`] when it cannot be read, parsed, or has no or duplicate tenants.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        let mut config = Config::parse(&text).map_err(|error| match error {
            ConfigError::Parse { message, .. } => ConfigError::Parse {
                path: path.to_owned(),
                message,
            },
            other => other,
        })?;
        // Secret files are named relative to the configuration file.
        let base = path.parent().unwrap_or(Path::new("."));
        for tenant in &mut config.tenants {
            let mut sources = vec![&mut tenant.manage.private_key, &mut tenant.manage.client_id];
            if let Some(screenconnect) = &mut tenant.screenconnect {
                sources.push(&mut screenconnect.secret);
            }
            for source in sources {
                if let Some(file) = &source.file {
                    source.file = Some(base.join(file));
                }
            }
        }
        if let Some(file) = &config.audit.file {
            config.audit.file = Some(base.join(file));
        }
        Ok(config)
    }

    /// Parses and checks a configuration's text.
    ///
    /// # Errors
    /// As [`Config::load`].
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|error| ConfigError::Parse {
            path: PathBuf::from("configuration"),
            message: error.to_string(),
        })?;
        if config.tenants.is_empty() {
            return Err(ConfigError::Invalid(
                "the configuration names no tenant ([[tenant]])".to_owned(),
            ));
        }
        for (index, tenant) in config.tenants.iter().enumerate() {
            if tenant.name.trim().is_empty() {
                return Err(ConfigError::Invalid(format!("tenant {index} has no name")));
            }
            if config.tenants[..index]
                .iter()
                .any(|t| t.name == tenant.name)
            {
                return Err(ConfigError::Invalid(format!(
                    "tenant {:?} is named twice",
                    tenant.name
                )));
            }
            if tenant.requests_per_minute == 0 {
                return Err(ConfigError::Invalid(format!(
                    "tenant {:?}: requests_per_minute must be at least 1",
                    tenant.name
                )));
            }
        }
        Ok(config)
    }
}

impl SecretSource {
    /// Reads the secret; `what` names it in errors (the value never appears in one).
    ///
    /// # Errors
    /// [`ConfigError::Invalid`] when neither or both sources are given, the variable is unset or
    /// the file unreadable or empty.
    pub fn read(
        &self,
        what: &str,
        lookup: &dyn Fn(&str) -> Option<String>,
    ) -> Result<SecretString, ConfigError> {
        let value = match (&self.env, &self.file) {
            (Some(name), None) => lookup(name).ok_or_else(|| {
                ConfigError::Invalid(format!("{what}: environment variable {name} is not set"))
            })?,
            (None, Some(file)) => std::fs::read_to_string(file).map_err(|error| {
                ConfigError::Invalid(format!("{what}: cannot read {}: {error}", file.display()))
            })?,
            _ => {
                return Err(ConfigError::Invalid(format!(
                    "{what}: give exactly one of env or file"
                )));
            }
        };
        let value = value.trim_end_matches(['\r', '\n']);
        if value.trim().is_empty() {
            return Err(ConfigError::Invalid(format!("{what} is empty")));
        }
        Ok(SecretString::from(value.to_owned()))
    }
}
