//! Which signing key URLs the verifier may fetch.
//!
//! `Metadata.key_url` comes from the unauthenticated request body, so fetching it blindly lets
//! anyone make the receiver issue requests to arbitrary hosts (server-side request forgery) and
//! serve their own "signing key". [`KeyUrlPolicy`] limits key fetches to hosts the caller
//! trusts and to https.

use std::collections::BTreeSet;

use url::{Host, Url};

use super::CallbackError;

/// The hosts and schemes a signing key may be fetched from.
///
/// Rules applied by [`KeyUrlPolicy::check`]:
///
/// * the URL must be absolute, have a host and carry no user name or password;
/// * its host must be one of the allowed hosts — compared after normalisation (lower-case
///   domain names, IDNA, canonical IP addresses), exactly, without wildcards; the port is not
///   compared;
/// * its scheme must be `https`, or `http` when the host is a loopback host (`localhost`, an
///   address in `127.0.0.0/8`, or `::1`), which local test servers need.
///
/// Refusals name the host only, never the URL: the query of a key URL is enough to obtain the
/// key.
///
/// Note that on ConnectWise cloud many companies share one host, so a host allow-list alone does
/// not prove which company signed a callback; see
/// [`CallbackVerifier::with_expected_company`](super::CallbackVerifier::with_expected_company).
///
/// ```
/// use connectwise_manage::callbacks::KeyUrlPolicy;
///
/// let policy = KeyUrlPolicy::for_site("api-na.myconnectwise.net")?;
/// assert!(policy.check("https://na.myconnectwise.net/v2025_1//system/callbackkey/index.rails?id=1").is_ok());
/// assert!(policy.check("https://attacker.example/key").is_err());
/// assert!(policy.check("http://na.myconnectwise.net/key").is_err());
/// # Ok::<(), connectwise_manage::callbacks::CallbackError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyUrlPolicy {
    allowed_hosts: BTreeSet<String>,
}

impl KeyUrlPolicy {
    /// A policy that allows no host; add hosts with [`KeyUrlPolicy::allow_host`].
    pub fn new() -> Self {
        Self::default()
    }

    /// A policy that allows the configured site host.
    ///
    /// ConnectWise cloud serves the API on `api-<region>.myconnectwise.net` while callback key
    /// URLs (like other links in responses) use the non-API host `<region>.myconnectwise.net`;
    /// for a site host of that form the non-API host is allowed too. Any other site host is
    /// allowed alone. Add further hosts with [`KeyUrlPolicy::allow_host`].
    ///
    /// # Errors
    ///
    /// [`CallbackError::InvalidAllowedHost`] when `site_host` is not a host name or IP address.
    pub fn for_site(site_host: &str) -> Result<Self, CallbackError> {
        let policy = Self::new().allow_host(site_host)?;
        let normalised = normalise_host(site_host)?;
        match normalised
            .strip_prefix("api-")
            .filter(|rest| rest.ends_with(".myconnectwise.net"))
        {
            Some(non_api) => {
                let non_api = non_api.to_owned();
                policy.allow_host(&non_api)
            }
            None => Ok(policy),
        }
    }

    /// Allows one more host (a domain name, an IPv4 address, or an IPv6 address with or without
    /// brackets; no scheme or port).
    ///
    /// # Errors
    ///
    /// [`CallbackError::InvalidAllowedHost`] when `host` is not a host name or IP address.
    pub fn allow_host(mut self, host: &str) -> Result<Self, CallbackError> {
        self.allowed_hosts.insert(normalise_host(host)?);
        Ok(self)
    }

    /// The allowed hosts, normalised, in sorted order.
    pub fn allowed_hosts(&self) -> impl Iterator<Item = &str> {
        self.allowed_hosts.iter().map(String::as_str)
    }

    /// Checks a key URL against the policy and returns it parsed.
    ///
    /// # Errors
    ///
    /// * [`CallbackError::InvalidKeyUrl`] when it is not an absolute URL with a host, or carries
    ///   credentials.
    /// * [`CallbackError::KeyUrlHostNotAllowed`] when its host is not allowed.
    /// * [`CallbackError::KeyUrlSchemeNotAllowed`] when its scheme is not https (or http on a
    ///   loopback host).
    pub fn check(&self, key_url: &str) -> Result<Url, CallbackError> {
        let url = Url::parse(key_url).map_err(|error| CallbackError::InvalidKeyUrl {
            reason: error.to_string(),
        })?;
        let host = url.host().ok_or_else(|| CallbackError::InvalidKeyUrl {
            reason: "the URL has no host".to_owned(),
        })?;
        let host_text = host.to_string();
        if !url.username().is_empty() || url.password().is_some() {
            return Err(CallbackError::InvalidKeyUrl {
                reason: format!("the URL for host `{host_text}` carries credentials"),
            });
        }
        if !self.allowed_hosts.contains(&host_text) {
            return Err(CallbackError::KeyUrlHostNotAllowed { host: host_text });
        }
        let scheme_ok = match url.scheme() {
            "https" => true,
            "http" => is_loopback(&host),
            _ => false,
        };
        if !scheme_ok {
            return Err(CallbackError::KeyUrlSchemeNotAllowed {
                scheme: url.scheme().to_owned(),
                host: host_text,
            });
        }
        Ok(url)
    }
}

/// Normalises a host the way `url` does for a URL's host, so the two compare as strings.
fn normalise_host(host: &str) -> Result<String, CallbackError> {
    let invalid = || CallbackError::InvalidAllowedHost {
        host: host.to_owned(),
    };
    let trimmed = host.trim();
    if trimmed.is_empty() {
        return Err(invalid());
    }
    // A bare IPv6 address has colons; `Host::parse` wants it in brackets.
    let candidate = if trimmed.contains(':') && !trimmed.starts_with('[') {
        format!("[{trimmed}]")
    } else {
        trimmed.to_owned()
    };
    let parsed = Host::parse(&candidate).map_err(|_| invalid())?;
    // `Host::parse` accepts some characters that cannot appear in a URL's host (it is lenient
    // about what a domain may hold); round-trip through a URL to be sure the host can match.
    let probe = Url::parse(&format!("https://{parsed}/")).map_err(|_| invalid())?;
    match probe.host() {
        Some(round_trip) if round_trip.to_string() == parsed.to_string() => Ok(parsed.to_string()),
        _ => Err(invalid()),
    }
}

fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(domain) => domain.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(address) => address.is_loopback(),
        Host::Ipv6(address) => address.is_loopback(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(hosts: &[&str]) -> KeyUrlPolicy {
        hosts.iter().fold(KeyUrlPolicy::new(), |policy, host| {
            policy.allow_host(host).expect("valid host")
        })
    }

    #[test]
    fn hosts_are_normalised() {
        let policy = policy(&["NA.MyConnectWise.net", "::1", "[::1]", "127.0.0.1"]);
        assert_eq!(
            policy.allowed_hosts().collect::<Vec<_>>(),
            ["127.0.0.1", "[::1]", "na.myconnectwise.net"]
        );
        assert!(
            policy
                .check("https://na.myconnectwise.net/key?id=1")
                .is_ok()
        );
        assert!(policy.check("https://NA.myconnectwise.NET/key").is_ok());
    }

    #[test]
    fn invalid_allowed_hosts_are_refused() {
        for host in [
            "",
            "  ",
            "localhost:8080",
            "https://na.example.com",
            "a b",
            "na.example.com/x",
        ] {
            assert!(
                matches!(
                    KeyUrlPolicy::new().allow_host(host),
                    Err(CallbackError::InvalidAllowedHost { .. })
                ),
                "{host:?}"
            );
        }
    }

    #[test]
    fn site_host_adds_the_non_api_sibling_only_for_cloud_api_hosts() {
        let cloud = KeyUrlPolicy::for_site("api-eu.myconnectwise.net").expect("valid host");
        assert_eq!(
            cloud.allowed_hosts().collect::<Vec<_>>(),
            ["api-eu.myconnectwise.net", "eu.myconnectwise.net"]
        );
        let on_prem = KeyUrlPolicy::for_site("api-cw.example.com").expect("valid host");
        assert_eq!(
            on_prem.allowed_hosts().collect::<Vec<_>>(),
            ["api-cw.example.com"]
        );
    }

    #[test]
    fn http_only_on_loopback() {
        let policy = policy(&["127.0.0.5", "::1", "localhost", "cw.example.com"]);
        for url in [
            "http://127.0.0.5:8080/key?id=1",
            "http://[::1]:9000/key",
            "http://localhost/key",
            "https://cw.example.com/key",
        ] {
            assert!(policy.check(url).is_ok(), "{url}");
        }
        match policy.check("http://cw.example.com/key?id=secret") {
            Err(error @ CallbackError::KeyUrlSchemeNotAllowed { .. }) => {
                assert!(!error.to_string().contains("secret"));
                assert!(error.to_string().contains("cw.example.com"));
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(matches!(
            policy.check("ftp://cw.example.com/key"),
            Err(CallbackError::KeyUrlSchemeNotAllowed { .. })
        ));
    }

    #[test]
    fn lookalike_hosts_are_refused_by_host_name() {
        let policy = policy(&["na.myconnectwise.net"]);
        for (url, host) in [
            (
                "https://na.myconnectwise.net.attacker.example/k?id=secret",
                "na.myconnectwise.net.attacker.example",
            ),
            (
                "https://attacker.example/na.myconnectwise.net?id=secret",
                "attacker.example",
            ),
            (
                "https://eu.myconnectwise.net/k?id=secret",
                "eu.myconnectwise.net",
            ),
            (
                "https://169.254.169.254/latest?id=secret",
                "169.254.169.254",
            ),
        ] {
            match policy.check(url) {
                Err(error @ CallbackError::KeyUrlHostNotAllowed { .. }) => {
                    let text = error.to_string();
                    assert!(text.contains(host), "{text}");
                    assert!(!text.contains("secret"), "{text}");
                }
                other => panic!("{url}: unexpected {other:?}"),
            }
        }
    }

    #[test]
    fn credentials_and_relative_urls_are_refused() {
        let policy = policy(&["na.myconnectwise.net"]);
        for url in [
            "https://na.myconnectwise.net@attacker.example/k",
            "https://user:pw@na.myconnectwise.net/k",
            "/v2025_1/system/callbackkey",
            "",
            "mailto:someone@na.myconnectwise.net",
        ] {
            assert!(policy.check(url).is_err(), "{url}");
        }
        assert!(matches!(
            policy.check("https://user:pw@na.myconnectwise.net/k"),
            Err(CallbackError::InvalidKeyUrl { .. })
        ));
    }
}
