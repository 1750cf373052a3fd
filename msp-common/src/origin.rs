//! Which servers a client may talk to: HTTPS everywhere, plain HTTP only on loopback (tests and
//! local sandboxes).

use url::{Host, Url};

use crate::error::ConfigError;

/// `true` for `localhost`, `127.0.0.0/8` and `::1`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(domain)) => {
            domain.eq_ignore_ascii_case("localhost") || domain.ends_with(".localhost")
        }
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Accepts `https` URLs, and `http` ones on loopback hosts. `setting` names the configuration
/// value in the error.
pub fn require_secure(url: &Url, setting: &str) -> Result<(), ConfigError> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        "http" => Err(ConfigError::invalid(
            setting,
            format!(
                "plain http is only accepted for loopback hosts; use https://{}",
                url.host_str().unwrap_or_default()
            ),
        )),
        other => Err(ConfigError::invalid(
            setting,
            format!("unsupported scheme {other:?}"),
        )),
    }
}

/// `true` when `a` and `b` share scheme, host and port.
pub fn same_origin(a: &Url, b: &Url) -> bool {
    a.origin() == b.origin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secure_or_loopback() {
        for ok in [
            "https://api-na.myconnectwise.net/",
            "http://127.0.0.1:8080/",
            "http://localhost/",
            "http://[::1]:9/",
        ] {
            assert!(
                require_secure(&Url::parse(ok).unwrap(), "site").is_ok(),
                "{ok}"
            );
        }
        for bad in [
            "http://example.com/",
            "ftp://127.0.0.1/",
            "http://10.0.0.1/",
        ] {
            assert!(
                require_secure(&Url::parse(bad).unwrap(), "site").is_err(),
                "{bad}"
            );
        }
    }
}
