//! Where the client connects and how it authenticates: the instance origin, the API secret, the
//! extension id, the `Origin` header, how read arguments are encoded, and read-only mode.
//!
//! Everything is validated when the [`Config`] is built, so a client never sends a request with a
//! malformed instance URL or a secret the server is bound to refuse.

use std::fmt;

use msp_common::origin::require_secure;
use msp_common::{ConfigError, ExposeSecret, SecretString};
use url::Url;

/// The id of the RESTful API Manager extension in the ConnectWise marketplace. It is the same on
/// cloud and self-hosted instances.
pub const DEFAULT_EXTENSION_ID: &str = "2d558935-686a-4bd0-9991-07539f5fe749";

/// Environment variable holding the instance (`SC_INSTANCE`).
pub const ENV_INSTANCE: &str = "SC_INSTANCE";
/// Environment variable holding the API secret (`SC_SECRET`).
pub const ENV_SECRET: &str = "SC_SECRET";
/// Environment variable overriding the extension id (`SC_EXTENSION_ID`, optional).
pub const ENV_EXTENSION_ID: &str = "SC_EXTENSION_ID";
/// Environment variable overriding the `Origin` header (`SC_ORIGIN`, optional; `none` or `off`
/// sends no `Origin` header).
pub const ENV_ORIGIN: &str = "SC_ORIGIN";

/// The `Origin` header sent with every call.
///
/// The extension compares it with its `RESTfulAllowedOrigin` setting when that setting is not
/// empty, and ignores it otherwise. Whether that comparison is exact (case, trailing slash) is not
/// documented, so a custom value is sent exactly as given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum OriginHeader {
    /// The instance origin, e.g. `https://acme.screenconnect.com` (the default).
    #[default]
    Instance,
    /// This value, verbatim.
    Custom(String),
    /// No `Origin` header.
    Off,
}

/// How the arguments of read methods are encoded.
///
/// Write methods always send a positional JSON array: that is the only form known to work for
/// them (a named object makes a write fault).
///
/// The default is [`ReadArgs::Positional`]: the extension's documentation says arguments are passed
/// as an array of values, and nearly every client verified against a live instance sends arrays for
/// reads too. A named object keyed by the C# parameter names (`{"sessionID": "…"}`) has also been
/// seen working for reads; it depends on parameter names the extension could rename, and a wrong
/// name fails with `500 Unknown parameter`. Use [`ReadArgs::Named`] if an instance refuses arrays.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReadArgs {
    /// `["<value>"]` (documented; the default).
    #[default]
    Positional,
    /// `{"<parameterName>": "<value>"}`.
    Named,
}

/// A validated client configuration.
///
/// ```
/// use screenconnect_api::{Config, OriginHeader, ReadArgs, SecretString};
///
/// let config = Config::new("acme.screenconnect.com", SecretString::from("s3cret"))?
///     .with_origin(OriginHeader::Off)?
///     .with_read_args(ReadArgs::Named)
///     .with_read_only(true);
/// assert_eq!(config.instance().as_str(), "https://acme.screenconnect.com/");
/// assert!(!format!("{config:?}").contains("s3cret"));
/// # Ok::<(), screenconnect_api::ConfigError>(())
/// ```
#[derive(Clone)]
pub struct Config {
    instance: Url,
    secret: SecretString,
    extension_id: String,
    origin: OriginHeader,
    read_args: ReadArgs,
    read_only: bool,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("instance", &self.instance.as_str())
            .field("secret", &"[redacted]")
            .field("extension_id", &self.extension_id)
            .field("origin", &self.origin)
            .field("read_args", &self.read_args)
            .field("read_only", &self.read_only)
            .finish()
    }
}

impl Config {
    /// A configuration for `instance` authenticated by `secret`.
    ///
    /// `instance` may be `host`, `host:port`, or `https://host[:port]` with an optional trailing
    /// slash; a missing scheme means `https`. Plain `http` is accepted only for loopback hosts.
    /// `secret` is the extension's `RESTfulAuthenticationSecret`, sent raw in `CTRLAuthHeader`.
    ///
    /// # Errors
    /// [`ConfigError::Invalid`] when the instance is not an origin (it has a path, query,
    /// fragment or credentials, or is not https) or the secret is empty, carries a `Basic ` or
    /// `Bearer ` prefix, has surrounding whitespace or cannot be sent in a header. Errors never
    /// repeat the secret.
    pub fn new(instance: &str, secret: SecretString) -> Result<Self, ConfigError> {
        let instance = parse_instance(instance)?;
        check_secret(&secret)?;
        Ok(Self {
            instance,
            secret,
            extension_id: DEFAULT_EXTENSION_ID.to_owned(),
            origin: OriginHeader::Instance,
            read_args: ReadArgs::Positional,
            read_only: false,
        })
    }

    /// Reads `SC_INSTANCE` and `SC_SECRET` (required), `SC_EXTENSION_ID` and `SC_ORIGIN`
    /// (optional) from the process environment. An empty variable counts as unset; `SC_ORIGIN`
    /// set to `none` or `off` sends no `Origin` header.
    ///
    /// # Errors
    /// [`ConfigError::Missing`] naming every required variable that is unset, or the errors of
    /// [`Config::new`], [`Config::with_extension_id`] and [`Config::with_origin`].
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Config::from_env`], reading variables through `lookup` (for tests, or settings kept
    /// elsewhere under the same names).
    ///
    /// # Errors
    /// As [`Config::from_env`].
    pub fn from_lookup(
        mut lookup: impl FnMut(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let mut get = |name: &str| lookup(name).filter(|value| !value.is_empty());
        let instance = get(ENV_INSTANCE);
        let secret = get(ENV_SECRET);
        let extension_id = get(ENV_EXTENSION_ID);
        let origin = get(ENV_ORIGIN);
        let (instance, secret) = match (instance, secret) {
            (Some(instance), Some(secret)) => (instance, SecretString::from(secret)),
            (instance, secret) => {
                let names = [
                    (ENV_INSTANCE, instance.is_none()),
                    (ENV_SECRET, secret.is_none()),
                ]
                .into_iter()
                .filter(|(_, missing)| *missing)
                .map(|(name, _)| name.to_owned())
                .collect();
                return Err(ConfigError::Missing { names });
            }
        };
        let mut config = Self::new(&instance, secret).map_err(|error| {
            rename(
                rename(error, "instance", ENV_INSTANCE),
                "secret",
                ENV_SECRET,
            )
        })?;
        if let Some(id) = extension_id {
            config = config
                .with_extension_id(&id)
                .map_err(|error| rename(error, "extension id", ENV_EXTENSION_ID))?;
        }
        if let Some(origin) = origin {
            let header =
                if origin.eq_ignore_ascii_case("none") || origin.eq_ignore_ascii_case("off") {
                    OriginHeader::Off
                } else {
                    OriginHeader::Custom(origin)
                };
            config = config
                .with_origin(header)
                .map_err(|error| rename(error, "origin", ENV_ORIGIN))?;
        }
        Ok(config)
    }

    /// Uses another extension id than [`DEFAULT_EXTENSION_ID`] (a private build of the
    /// extension). Braces are removed and the id is lower-cased.
    ///
    /// # Errors
    /// [`ConfigError::Invalid`] unless `id` is a GUID.
    pub fn with_extension_id(mut self, id: &str) -> Result<Self, ConfigError> {
        self.extension_id = parse_extension_id(id)?;
        Ok(self)
    }

    /// Chooses the `Origin` header (default: the instance origin).
    ///
    /// # Errors
    /// [`ConfigError::Invalid`] when a custom value is empty or cannot be sent in a header.
    pub fn with_origin(mut self, origin: OriginHeader) -> Result<Self, ConfigError> {
        if let OriginHeader::Custom(value) = &origin {
            if value.trim().is_empty() {
                return Err(ConfigError::invalid(
                    "origin",
                    "is empty; use OriginHeader::Off to send no Origin header",
                ));
            }
            if http::HeaderValue::from_str(value).is_err() {
                return Err(ConfigError::invalid(
                    "origin",
                    "contains characters that cannot be sent in an HTTP header",
                ));
            }
        }
        self.origin = origin;
        Ok(self)
    }

    /// Chooses how read arguments are encoded (default: [`ReadArgs::Positional`]).
    #[must_use]
    pub fn with_read_args(mut self, read_args: ReadArgs) -> Self {
        self.read_args = read_args;
        self
    }

    /// In read-only mode every state-changing method fails with
    /// [`msp_common::Error::ReadOnly`] before any network I/O. Off by default.
    #[must_use]
    pub fn with_read_only(mut self, read_only: bool) -> Self {
        self.read_only = read_only;
        self
    }

    /// The instance origin as a URL with path `/`, e.g. `https://acme.screenconnect.com/`.
    pub fn instance(&self) -> &Url {
        &self.instance
    }

    /// The instance origin without a trailing slash, e.g. `https://acme.screenconnect.com`.
    pub fn instance_origin(&self) -> String {
        self.instance.origin().ascii_serialization()
    }

    /// The extension id used in every method URL.
    pub fn extension_id(&self) -> &str {
        &self.extension_id
    }

    /// The `Origin` header setting.
    pub fn origin(&self) -> &OriginHeader {
        &self.origin
    }

    /// The value sent in the `Origin` header, if one is sent.
    pub fn origin_value(&self) -> Option<String> {
        match &self.origin {
            OriginHeader::Instance => Some(self.instance_origin()),
            OriginHeader::Custom(value) => Some(value.clone()),
            OriginHeader::Off => None,
        }
    }

    /// How read arguments are encoded.
    pub fn read_args(&self) -> ReadArgs {
        self.read_args
    }

    /// Whether state-changing methods are refused.
    pub fn read_only(&self) -> bool {
        self.read_only
    }

    /// The API secret (kept redacted in `Debug`).
    pub fn secret(&self) -> &SecretString {
        &self.secret
    }
}

/// Names the environment variable in an error about the setting `from`.
fn rename(error: ConfigError, from: &str, to: &str) -> ConfigError {
    match error {
        ConfigError::Invalid { name, reason } if name == from => ConfigError::Invalid {
            name: to.to_owned(),
            reason,
        },
        other => other,
    }
}

/// Turns `host`, `host:port` or `https://host[:port][/]` into an origin URL.
fn parse_instance(input: &str) -> Result<Url, ConfigError> {
    const NAME: &str = "instance";
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(ConfigError::invalid(NAME, "is empty"));
    }
    // Without "://", `host:8040` would parse as scheme `host`; a bare host means https.
    let with_scheme = if trimmed.contains("://") {
        trimmed.to_owned()
    } else {
        format!("https://{trimmed}")
    };
    let url = Url::parse(&with_scheme).map_err(|error| {
        ConfigError::invalid(NAME, format!("is not a host name or URL ({error})"))
    })?;
    require_secure(&url, NAME)?;
    if url.host_str().is_none_or(str::is_empty) {
        return Err(ConfigError::invalid(NAME, "has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ConfigError::invalid(
            NAME,
            "must not carry credentials; the API secret is configured separately",
        ));
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(ConfigError::invalid(
            NAME,
            format!(
                "must be the instance origin only (scheme://host[:port]), without a path, query \
                 or fragment; try {}",
                url.origin().ascii_serialization()
            ),
        ));
    }
    let mut origin = url;
    origin.set_path("/");
    Ok(origin)
}

/// The secret is sent raw; prefixes and stray whitespace would make the server answer 401.
fn check_secret(secret: &SecretString) -> Result<(), ConfigError> {
    const NAME: &str = "secret";
    let value = secret.expose_secret();
    if value.is_empty() {
        return Err(ConfigError::invalid(NAME, "is empty"));
    }
    if value.trim() != value {
        return Err(ConfigError::invalid(
            NAME,
            "has leading or trailing whitespace (a line break from a file?)",
        ));
    }
    for prefix in ["Basic ", "Bearer "] {
        if value
            .get(..prefix.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
        {
            return Err(ConfigError::invalid(
                NAME,
                format!(
                    "starts with {prefix:?}: give the RESTfulAuthenticationSecret itself; it is \
                     sent raw in CTRLAuthHeader and the server refuses prefixed values"
                ),
            ));
        }
    }
    msp_common::secret::sensitive_header(value, NAME)?;
    Ok(())
}

/// Checks that `id` is a GUID; removes braces and lower-cases it.
fn parse_extension_id(id: &str) -> Result<String, ConfigError> {
    let raw = id.trim();
    let inner = raw
        .strip_prefix('{')
        .and_then(|rest| rest.strip_suffix('}'))
        .unwrap_or(raw);
    let groups: Vec<&str> = inner.split('-').collect();
    let is_guid = groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit()));
    if is_guid {
        Ok(inner.to_ascii_lowercase())
    } else {
        Err(ConfigError::invalid(
            "extension id",
            "is not a GUID (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> SecretString {
        SecretString::from("s3cret-value")
    }

    #[test]
    fn instance_forms_normalise_to_an_origin() {
        let cases = [
            ("acme.screenconnect.com", "https://acme.screenconnect.com/"),
            (
                " acme.screenconnect.com ",
                "https://acme.screenconnect.com/",
            ),
            (
                "remote.example.com:8040",
                "https://remote.example.com:8040/",
            ),
            (
                "https://remote.example.com:8040/",
                "https://remote.example.com:8040/",
            ),
            (
                "https://ACME.screenconnect.com",
                "https://acme.screenconnect.com/",
            ),
            (
                "https://acme.screenconnect.com:443",
                "https://acme.screenconnect.com/",
            ),
            ("http://127.0.0.1:9000", "http://127.0.0.1:9000/"),
            ("http://localhost", "http://localhost/"),
        ];
        for (input, expected) in cases {
            let config = Config::new(input, secret()).unwrap();
            assert_eq!(config.instance().as_str(), expected, "{input}");
        }
        let config = Config::new("remote.example.com:8040", secret()).unwrap();
        assert_eq!(config.instance_origin(), "https://remote.example.com:8040");
        assert_eq!(
            config.origin_value().as_deref(),
            Some("https://remote.example.com:8040")
        );
    }

    #[test]
    fn instance_errors_are_clear() {
        let cases = [
            ("", "is empty"),
            ("http://acme.screenconnect.com", "plain http"),
            ("ftp://acme.screenconnect.com", "unsupported scheme"),
            ("https://acme.screenconnect.com/Host", "origin only"),
            ("https://acme.screenconnect.com/?a=b", "origin only"),
            ("https://acme.screenconnect.com/#Access", "origin only"),
            ("https://user:pw@acme.screenconnect.com", "credentials"),
            ("https://", "not a host name"),
            ("acme .com", "not a host name"),
        ];
        for (input, expected) in cases {
            let error = Config::new(input, secret()).unwrap_err();
            assert!(error.to_string().contains(expected), "{input:?}: {error}");
        }
    }

    #[test]
    fn secrets_with_prefixes_or_whitespace_are_refused_without_echoing_them() {
        for bad in [
            "Basic c2VjcmV0",
            "basic c2VjcmV0",
            "Bearer c2VjcmV0",
            " c2VjcmV0",
            "c2VjcmV0\n",
            "",
            "c2Vj\u{7f}cmV0",
        ] {
            let error = Config::new("acme.screenconnect.com", SecretString::from(bad)).unwrap_err();
            let text = error.to_string();
            assert!(
                text.starts_with("invalid configuration for secret"),
                "{text}"
            );
            assert!(!text.contains("c2VjcmV0"), "{text}");
        }
        let error =
            Config::new("acme.screenconnect.com", SecretString::from("Basic x")).unwrap_err();
        assert!(error.to_string().contains("sent raw in CTRLAuthHeader"));
        // A value merely containing "Basic" is fine.
        Config::new("acme.screenconnect.com", SecretString::from("NotBasic x")).unwrap();
    }

    #[test]
    fn extension_id_and_origin_overrides() {
        let config = Config::new("acme.screenconnect.com", secret()).unwrap();
        assert_eq!(config.extension_id(), DEFAULT_EXTENSION_ID);
        let config = config
            .with_extension_id("{FC234F0E-2E8E-4A1F-B977-BA41B14031F7}")
            .unwrap();
        assert_eq!(
            config.extension_id(),
            "fc234f0e-2e8e-4a1f-b977-ba41b14031f7"
        );
        assert!(config.clone().with_extension_id("RESTful").is_err());
        let custom = config
            .clone()
            .with_origin(OriginHeader::Custom("https://Portal.example.com/".into()))
            .unwrap();
        assert_eq!(
            custom.origin_value().as_deref(),
            Some("https://Portal.example.com/")
        );
        let off = config.clone().with_origin(OriginHeader::Off).unwrap();
        assert_eq!(off.origin_value(), None);
        assert!(
            config
                .clone()
                .with_origin(OriginHeader::Custom(" ".into()))
                .is_err()
        );
        assert!(
            config
                .with_origin(OriginHeader::Custom("a\nb".into()))
                .is_err()
        );
    }

    #[test]
    fn from_lookup_reads_the_variables() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(key, _)| *key == name)
                    .map(|(_, value)| (*value).to_owned())
            }
        };
        let error = Config::from_lookup(vars(&[])).unwrap_err();
        assert_eq!(
            error,
            ConfigError::Missing {
                names: vec!["SC_INSTANCE".into(), "SC_SECRET".into()]
            }
        );
        let error = Config::from_lookup(vars(&[
            ("SC_INSTANCE", "acme.screenconnect.com"),
            ("SC_SECRET", ""),
        ]))
        .unwrap_err();
        assert_eq!(
            error,
            ConfigError::Missing {
                names: vec!["SC_SECRET".into()]
            }
        );
        let config = Config::from_lookup(vars(&[
            ("SC_INSTANCE", "acme.screenconnect.com"),
            ("SC_SECRET", "s3cret-value"),
            ("SC_EXTENSION_ID", "fc234f0e-2e8e-4a1f-b977-ba41b14031f7"),
            ("SC_ORIGIN", "OFF"),
        ]))
        .unwrap();
        assert_eq!(
            config.extension_id(),
            "fc234f0e-2e8e-4a1f-b977-ba41b14031f7"
        );
        assert_eq!(config.origin(), &OriginHeader::Off);
        let config = Config::from_lookup(vars(&[
            ("SC_INSTANCE", "acme.screenconnect.com"),
            ("SC_SECRET", "s3cret-value"),
            ("SC_ORIGIN", "https://portal.example.com"),
        ]))
        .unwrap();
        assert_eq!(
            config.origin_value().as_deref(),
            Some("https://portal.example.com")
        );
        let error = Config::from_lookup(vars(&[
            ("SC_INSTANCE", "http://acme.screenconnect.com"),
            ("SC_SECRET", "s3cret-value"),
        ]))
        .unwrap_err();
        assert!(error.to_string().contains("SC_INSTANCE"), "{error}");
        let error = Config::from_lookup(vars(&[
            ("SC_INSTANCE", "acme.screenconnect.com"),
            ("SC_SECRET", "Basic abc"),
        ]))
        .unwrap_err();
        assert!(error.to_string().contains("SC_SECRET"), "{error}");
        let error = Config::from_lookup(vars(&[
            ("SC_INSTANCE", "acme.screenconnect.com"),
            ("SC_SECRET", "s3cret-value"),
            ("SC_EXTENSION_ID", "nope"),
        ]))
        .unwrap_err();
        assert!(error.to_string().contains("SC_EXTENSION_ID"), "{error}");
    }

    #[test]
    fn debug_hides_the_secret() {
        let config = Config::new("acme.screenconnect.com", secret()).unwrap();
        let debug = format!("{config:?}");
        assert!(!debug.contains("s3cret-value"), "{debug}");
        assert!(debug.contains("[redacted]"), "{debug}");
    }
}
