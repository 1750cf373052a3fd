//! The parameterised access-agent installer URL.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use url::Url;

use super::{Elevation, InstallerError, InstallerPlatform};
use crate::models::{CUSTOM_PROPERTY_COUNT, CustomProperties};

/// Everything except RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`) is encoded, so a
/// space is `%20` (never `+`) and `&`, `=`, `#`, `'` and non-ASCII bytes cannot change the query.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Default installer product name.
pub const DEFAULT_PRODUCT: &str = "ScreenConnect";

/// A download URL for an installer that enrols the machine as an unattended access session.
///
/// ```text
/// <instance>/Bin/<Product>.ClientSetup.<ext>?e=Access&y=Guest[&h=<relay host>][&p=<relay port>][&k=<server key>][&t=<name>]&c=<CP1>…&c=<CP8>
/// ```
///
/// * `e=Access&y=Guest` are fixed: an access (unattended) session, guest side.
/// * `t` is the session name, sent only when set. Without it the session's `Name` is blank and
///   the machine is found by `GuestMachineName`.
/// * `c` is positional: the n-th `c` is `CustomPropertyN`. Interior empty slots are always sent
///   (`c=Acme&c=&c=Laptop`) so later values keep their position. By default all eight slots are
///   sent, trailing empties included, which is the form known to work end to end; call
///   [`AccessInstaller::trim_trailing_empty_properties`] to drop trailing empties (the agent then
///   leaves those properties empty too). More than eight values are refused.
/// * `h`, `p`, `k` override the relay host, relay port and server public key, for instances whose
///   relay is not reachable at the web address. Cloud instances need none of them.
///
/// Every value is percent-encoded per RFC 3986: only unreserved characters (`A-Z a-z 0-9 - . _ ~`)
/// pass through, a space is `%20`, and non-ASCII text is encoded as UTF-8 bytes.
///
/// The URL is not authenticated: anyone holding it can enrol a machine into the instance and set
/// its name and custom properties. Treat it as sensitive, and never put secrets in `t` or `c`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessInstaller {
    instance: Url,
    platform: InstallerPlatform,
    product: String,
    session_name: Option<String>,
    custom_properties: CustomProperties,
    trim_trailing: bool,
    relay_host: Option<String>,
    relay_port: Option<u16>,
    server_key: Option<String>,
}

impl AccessInstaller {
    /// An installer for `platform` from `instance`, which must be a bare origin such as
    /// `https://acme.screenconnect.com` or `https://remote.example.com:8040` (a trailing `/` is
    /// fine).
    ///
    /// # Errors
    /// [`InstallerError::InvalidInstance`] when the URL is not http(s), has no host, or carries
    /// credentials, a path, a query or a fragment.
    pub fn new(instance: &Url, platform: InstallerPlatform) -> Result<Self, InstallerError> {
        let reason = if !matches!(instance.scheme(), "https" | "http") {
            Some("the scheme must be https or http")
        } else if instance.host_str().is_none_or(str::is_empty) {
            Some("the URL has no host")
        } else if !instance.username().is_empty() || instance.password().is_some() {
            Some("the URL must not contain credentials")
        } else if !matches!(instance.path(), "" | "/") {
            Some("the URL must not have a path; give only scheme, host and port")
        } else if instance.query().is_some() {
            Some("the URL must not have a query")
        } else if instance.fragment().is_some() {
            Some("the URL must not have a fragment")
        } else {
            None
        };
        if let Some(reason) = reason {
            return Err(InstallerError::InvalidInstance { reason });
        }
        Ok(Self {
            instance: instance.clone(),
            platform,
            product: DEFAULT_PRODUCT.to_owned(),
            session_name: None,
            custom_properties: CustomProperties::default(),
            trim_trailing: false,
            relay_host: None,
            relay_port: None,
            server_key: None,
        })
    }

    /// The installer base name, when the instance uses another one than `ScreenConnect` (older
    /// instances use `ConnectWiseControl` or `Elsinore.ScreenConnect`; white-labelled instances
    /// use their own).
    ///
    /// # Errors
    /// [`InstallerError::InvalidProductName`] unless the name is 1 to 100 ASCII letters, digits,
    /// `.`, `-` or `_`, not starting with `.`.
    pub fn product(mut self, name: impl Into<String>) -> Result<Self, InstallerError> {
        let name = name.into();
        let valid = (1..=100).contains(&name.len())
            && !name.starts_with('.')
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
        if !valid {
            return Err(InstallerError::InvalidProductName {
                name: name.chars().take(64).collect(),
            });
        }
        self.product = name;
        Ok(self)
    }

    /// The session name (`t`); usually the machine's host name so name lookups work.
    ///
    /// # Errors
    /// [`InstallerError::InvalidSessionName`] when it contains control characters.
    pub fn session_name(mut self, name: impl Into<String>) -> Result<Self, InstallerError> {
        let name = name.into();
        if name.chars().any(char::is_control) {
            return Err(InstallerError::InvalidSessionName);
        }
        self.session_name = Some(name);
        Ok(self)
    }

    /// Replaces all eight custom properties.
    ///
    /// # Errors
    /// [`InstallerError::InvalidCustomPropertyValue`] when a value contains control characters.
    pub fn custom_properties(mut self, props: CustomProperties) -> Result<Self, InstallerError> {
        if let Some((index, _)) = props
            .iter()
            .find(|(_, value)| value.chars().any(char::is_control))
        {
            return Err(InstallerError::InvalidCustomPropertyValue { index });
        }
        self.custom_properties = props;
        Ok(self)
    }

    /// Sets custom properties from the first slot onwards (empty strings keep a slot empty).
    ///
    /// # Errors
    /// [`InstallerError::CustomProperty`] for more than eight values;
    /// [`InstallerError::InvalidCustomPropertyValue`] for control characters.
    pub fn custom_property_values<I, S>(self, values: I) -> Result<Self, InstallerError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let props = CustomProperties::from_values(values)?;
        self.custom_properties(props)
    }

    /// Sets `CustomProperty<index>` (1-based).
    ///
    /// # Errors
    /// [`InstallerError::CustomProperty`] unless `1 <= index <= 8`;
    /// [`InstallerError::InvalidCustomPropertyValue`] for control characters.
    pub fn custom_property(
        mut self,
        index: usize,
        value: impl Into<String>,
    ) -> Result<Self, InstallerError> {
        let value = value.into();
        if value.chars().any(char::is_control) {
            return Err(InstallerError::InvalidCustomPropertyValue { index });
        }
        self.custom_properties.set(index, value)?;
        Ok(self)
    }

    /// Whether to leave out trailing empty `c=` slots (default: send all eight).
    #[must_use]
    pub fn trim_trailing_empty_properties(mut self, trim: bool) -> Self {
        self.trim_trailing = trim;
        self
    }

    /// Overrides the relay host (`h`), e.g. `instance-abc123-relay.screenconnect.com`.
    ///
    /// # Errors
    /// [`InstallerError::InvalidRelayHost`] unless it is a host name or IP address (no port,
    /// scheme or path; bracket IPv6 addresses).
    pub fn relay_host(mut self, host: impl Into<String>) -> Result<Self, InstallerError> {
        let host = host.into();
        // A port belongs in `relay_port`; colons are only allowed inside a bracketed IPv6
        // address. `%` is refused so an already-encoded value is not encoded twice.
        let bracketed = host.starts_with('[') && host.ends_with(']');
        let forbidden = |c: char| {
            c.is_whitespace()
                || c.is_control()
                || matches!(c, '%' | '/')
                || (c == ':' && !bracketed)
        };
        if host.is_empty() || host.chars().any(forbidden) || url::Host::parse(&host).is_err() {
            return Err(InstallerError::InvalidRelayHost {
                host: host.chars().take(64).collect(),
            });
        }
        self.relay_host = Some(host);
        Ok(self)
    }

    /// Overrides the relay port (`p`): 443 for cloud relays, 8041 by default when self-hosted.
    ///
    /// # Errors
    /// [`InstallerError::InvalidRelayPort`] for port 0.
    pub fn relay_port(mut self, port: u16) -> Result<Self, InstallerError> {
        if port == 0 {
            return Err(InstallerError::InvalidRelayPort);
        }
        self.relay_port = Some(port);
        Ok(self)
    }

    /// Sets the server public key (`k`): the base64 key blob as the instance publishes it
    /// (it starts `BgIAAACkAABSU0Ex`). Give it *unencoded*; it is percent-encoded here.
    ///
    /// # Errors
    /// [`InstallerError::InvalidServerKey`] when it is empty or contains anything but base64
    /// characters (a `%` means it was already percent-encoded).
    pub fn server_key(mut self, key: impl Into<String>) -> Result<Self, InstallerError> {
        let key = key.into();
        let valid = !key.is_empty()
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='));
        if !valid {
            return Err(InstallerError::InvalidServerKey);
        }
        self.server_key = Some(key);
        Ok(self)
    }

    /// The platform.
    #[must_use]
    pub fn platform(&self) -> InstallerPlatform {
        self.platform
    }

    /// The file name the URL downloads, e.g. `ScreenConnect.ClientSetup.msi`.
    #[must_use]
    pub fn file_name(&self) -> String {
        format!("{}.ClientSetup.{}", self.product, self.platform.extension())
    }

    /// The query string, without the leading `?`.
    #[must_use]
    pub fn query(&self) -> String {
        let mut pairs: Vec<(&str, &str)> = vec![("e", "Access"), ("y", "Guest")];
        if let Some(host) = &self.relay_host {
            pairs.push(("h", host));
        }
        let port = self.relay_port.map(|port| port.to_string());
        if let Some(port) = &port {
            pairs.push(("p", port));
        }
        if let Some(key) = &self.server_key {
            pairs.push(("k", key));
        }
        if let Some(name) = &self.session_name {
            pairs.push(("t", name));
        }
        let slots = self.custom_properties.as_array();
        let count = if self.trim_trailing {
            slots
                .iter()
                .rposition(|value| !value.is_empty())
                .map_or(0, |last| last + 1)
        } else {
            CUSTOM_PROPERTY_COUNT
        };
        pairs.extend(slots[..count].iter().map(|value| ("c", value.as_str())));

        let mut query = String::new();
        for (position, (key, value)) in pairs.into_iter().enumerate() {
            if position > 0 {
                query.push('&');
            }
            query.push_str(key);
            query.push('=');
            query.extend(utf8_percent_encode(value, QUERY_VALUE));
        }
        query
    }

    /// The launch-parameter string the MSI takes as `SERVICE_CLIENT_LAUNCH_PARAMETERS` when
    /// installing a generic (not parameterised) package: `?` followed by [`Self::query`].
    ///
    /// In a batch file, double every `%` before putting it on a command line, or cmd will treat
    /// the percent-encoding as variable references.
    #[must_use]
    pub fn launch_parameters(&self) -> String {
        format!("?{}", self.query())
    }

    /// The download URL.
    ///
    /// The path holds only the validated product name and extension and the query holds only
    /// unreserved characters, `%XX`, `&` and `=`, so `url` stores both unchanged.
    #[must_use]
    pub fn url(&self) -> Url {
        let mut url = self.instance.clone();
        url.set_path(&format!("/Bin/{}", self.file_name()));
        url.set_query(Some(&self.query()));
        url
    }

    /// The silent-install command for the downloaded file; see
    /// [`InstallerPlatform::silent_install_command`].
    ///
    /// # Errors
    /// [`InstallerError::InvalidFilePath`] when the path cannot be quoted safely.
    pub fn silent_install_command(
        &self,
        file_path: &str,
        elevation: Elevation,
    ) -> Result<String, InstallerError> {
        self.platform.silent_install_command(file_path, elevation)
    }
}
