//! Where a ConnectWise Manage tenant lives: a cloud host, an on-premise host, or a full API base URL.

use std::fmt;
use std::str::FromStr;

use msp_common::origin::require_secure;
use msp_common::{ConfigError, url::Url};

/// The server a client talks to, normalised to an origin plus, when the caller gave one, a pinned
/// codebase.
///
/// Accepted forms:
/// - a host: `api-na.myconnectwise.net`, `cw.example.com`, `cw.example.com:8443`;
/// - an origin: `https://cw.example.com`, `http://127.0.0.1:8080` (plain http only on loopback);
/// - a full base URL: `https://cw.example.com/v4_6_release/apis/3.0/`, which pins the codebase
///   (`v4_6_release/`) and turns discovery off.
///
/// Cloud hosts written without the `api-` prefix (`na.myconnectwise.net`,
/// `staging.connectwisedev.com`) are corrected: without it the cloud answers "SSL is required".
/// Other prefixes (`sandbox-na`, `api-eu`) are kept as they are.
#[derive(Clone, PartialEq, Eq)]
pub struct Site {
    origin: Url,
    codebase: Option<String>,
}

/// Region labels that stand alone before a cloud domain and need the `api-` prefix.
const BARE_CLOUD_LABELS: &[&str] = &["na", "eu", "au", "aus", "za", "staging"];
const CLOUD_DOMAINS: &[&str] = &["myconnectwise.net", "connectwisedev.com"];

impl Site {
    /// Parses and normalises a site as described on [`Site`].
    pub fn parse(input: &str) -> Result<Site, ConfigError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(ConfigError::invalid("site", "is empty"));
        }
        let with_scheme = if input.contains("://") {
            input.to_owned()
        } else {
            format!("https://{input}")
        };
        let mut url = Url::parse(&with_scheme)
            .map_err(|e| ConfigError::invalid("site", format!("is not a host or URL: {e}")))?;
        if url.host_str().is_none_or(str::is_empty) {
            return Err(ConfigError::invalid("site", "has no host"));
        }
        if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
            return Err(ConfigError::invalid(
                "site",
                "must not carry a query, fragment or user name",
            ));
        }
        require_secure(&url, "site")?;
        if let Some(corrected) = url.host_str().and_then(cloud_api_host) {
            url.set_host(Some(&corrected))
                .map_err(|e| ConfigError::invalid("site", e.to_string()))?;
        }
        let codebase = codebase_from_path(url.path())?;
        url.set_path("/");
        Ok(Site {
            origin: url,
            codebase,
        })
    }

    /// The origin, e.g. `https://api-na.myconnectwise.net/`.
    pub fn origin(&self) -> &Url {
        &self.origin
    }

    /// The host name, e.g. `api-na.myconnectwise.net`.
    pub fn host(&self) -> &str {
        self.origin.host_str().unwrap_or_default()
    }

    /// The codebase pinned by a full base URL, e.g. `v4_6_release/`.
    pub fn pinned_codebase(&self) -> Option<&str> {
        self.codebase.as_deref()
    }

    /// The API base URL for `codebase` (which ends with `/`): `{origin}{codebase}apis/3.0/`.
    pub fn api_base(&self, codebase: &str) -> Result<Url, ConfigError> {
        self.origin
            .join(&format!("{codebase}apis/3.0/"))
            .map_err(|e| ConfigError::invalid("codebase", e.to_string()))
    }
}

impl FromStr for Site {
    type Err = ConfigError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Site::parse(s)
    }
}

impl fmt::Debug for Site {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Site")
            .field("origin", &self.origin.as_str())
            .field("codebase", &self.codebase)
            .finish()
    }
}

/// `na.myconnectwise.net` → `api-na.myconnectwise.net`; `None` when nothing needs correcting.
fn cloud_api_host(host: &str) -> Option<String> {
    let host = host.to_ascii_lowercase();
    let (label, domain) = host.split_once('.')?;
    (CLOUD_DOMAINS.contains(&domain) && BARE_CLOUD_LABELS.contains(&label))
        .then(|| format!("api-{label}.{domain}"))
}

/// Reads a codebase out of a base URL path such as `/v4_6_release/apis/3.0/`.
fn codebase_from_path(path: &str) -> Result<Option<String>, ConfigError> {
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        return Ok(None);
    }
    let segments: Vec<&str> = trimmed.split('/').collect();
    match segments.as_slice() {
        [codebase] | [codebase, "apis", "3.0"] if is_codebase(codebase) => {
            Ok(Some(format!("{codebase}/")))
        }
        _ => Err(ConfigError::invalid(
            "site",
            "a path must be `/{codebase}/apis/3.0/`, e.g. /v4_6_release/apis/3.0/",
        )),
    }
}

fn is_codebase(segment: &str) -> bool {
    !segment.is_empty()
        && segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_the_forms_users_write() {
        let cases: &[(&str, &str, Option<&str>)] = &[
            (
                "api-na.myconnectwise.net",
                "https://api-na.myconnectwise.net/",
                None,
            ),
            (
                "na.myconnectwise.net",
                "https://api-na.myconnectwise.net/",
                None,
            ),
            (
                "https://EU.myconnectwise.net/",
                "https://api-eu.myconnectwise.net/",
                None,
            ),
            (
                "staging.connectwisedev.com",
                "https://api-staging.connectwisedev.com/",
                None,
            ),
            (
                "sandbox-na.myconnectwise.net",
                "https://sandbox-na.myconnectwise.net/",
                None,
            ),
            ("cw.example.com:8443", "https://cw.example.com:8443/", None),
            (
                "https://cw.example.com/v4_6_release/apis/3.0/",
                "https://cw.example.com/",
                Some("v4_6_release/"),
            ),
            (
                "https://cw.example.com/v2025_1",
                "https://cw.example.com/",
                Some("v2025_1/"),
            ),
            ("http://127.0.0.1:9000", "http://127.0.0.1:9000/", None),
        ];
        for (input, origin, codebase) in cases {
            let site = Site::parse(input).unwrap();
            assert_eq!(site.origin().as_str(), *origin, "{input}");
            assert_eq!(site.pinned_codebase(), *codebase, "{input}");
        }
    }

    #[test]
    fn refuses_what_cannot_be_a_site() {
        for input in [
            "",
            "http://cw.example.com",
            "https://cw.example.com/some/other/path",
            "https://cw.example.com/?x=1",
            "ftp://cw.example.com",
            "https://user@cw.example.com",
        ] {
            assert!(Site::parse(input).is_err(), "{input:?}");
        }
    }

    #[test]
    fn api_base_joins_the_codebase() {
        let site = Site::parse("api-na.myconnectwise.net").unwrap();
        assert_eq!(
            site.api_base("v2025_1/").unwrap().as_str(),
            "https://api-na.myconnectwise.net/v2025_1/apis/3.0/"
        );
    }
}
