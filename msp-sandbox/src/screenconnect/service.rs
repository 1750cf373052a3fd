//! The server's request handling: routes, the secret and `Origin` checks, and the hand-over to
//! the web methods and the installers.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{EXTENSION_ID, SECRET, Shared, installer, methods, reply};
use crate::server::{Handler, Request, Response};

/// The ScreenConnect API as a [`Handler`].
pub(super) struct Service {
    pub(super) shared: Arc<Shared>,
    /// The accepted `Origin` values, when the check is on (set once the port is known).
    pub(super) allowed_origin: OnceLock<Option<Vec<String>>>,
    pub(super) product: String,
}

/// Where a request goes.
enum Target<'a> {
    /// `App_Extensions/<extension>/Service.ashx/<method>`, extension id checked.
    Method(&'a str),
    /// `Bin/<file>`.
    Installer(&'a str),
    /// Anything else.
    Other,
}

fn target(path: &str) -> Target<'_> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        [app, extension, service, method]
            if app.eq_ignore_ascii_case("App_Extensions")
                && extension.eq_ignore_ascii_case(EXTENSION_ID)
                && service.eq_ignore_ascii_case("Service.ashx") =>
        {
            Target::Method(method)
        }
        [bin, file] if bin.eq_ignore_ascii_case("Bin") => Target::Installer(file),
        _ => Target::Other,
    }
}

impl Service {
    fn origin_allowed(&self, request: &Request) -> bool {
        let Some(Some(allowed)) = self.allowed_origin.get() else {
            return true;
        };
        request
            .headers()
            .get(http::header::ORIGIN)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|origin| {
                let origin = origin.trim_end_matches('/');
                allowed
                    .iter()
                    .any(|allowed| origin.eq_ignore_ascii_case(allowed))
            })
    }
}

/// The rate limit's key for a secret: the start of its SHA-256 digest.
fn secret_key(secret: &http::HeaderValue) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    let hex: String = digest[..8]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    format!("secret-{hex}")
}

impl Handler for Service {
    fn route(&self, request: &Request) -> String {
        let verb = request.method();
        match target(request.uri().path()) {
            Target::Method(method) => match methods::find(method) {
                Some(method) => format!("{verb} Service.ashx/{}", method.name),
                None => format!("{verb} Service.ashx/{{unknown}}"),
            },
            Target::Installer(_) => format!("{verb} Bin/{{installer}}"),
            Target::Other => format!("{verb} {{other}}"),
        }
    }

    fn client_key(&self, request: &Request) -> Option<String> {
        // The rate limit counts per secret, the one credential the extension knows. The limiter
        // keeps its keys (and `Debug` shows them), so it gets a digest: a client may send a real
        // instance's secret here by mistake.
        request.headers().get("CTRLAuthHeader").map(secret_key)
    }

    async fn handle(&self, request: Request) -> Response {
        let path = request.uri().path().to_owned();
        let method = match target(&path) {
            Target::Method(method) => method,
            Target::Installer(file) => {
                return installer::serve(&self.shared, &self.product, file, &request);
            }
            Target::Other => return reply::not_found(),
        };
        let secret = request
            .headers()
            .get("CTRLAuthHeader")
            .map(http::HeaderValue::as_bytes);
        if secret != Some(SECRET.as_bytes()) {
            return reply::unauthorized();
        }
        if !self.origin_allowed(&request) {
            return reply::forbidden_origin();
        }
        let Some(method) = methods::find(method) else {
            return reply::no_such_method();
        };
        let body = request.body();
        let args: Value = if body.iter().all(u8::is_ascii_whitespace) {
            Value::Null
        } else {
            match serde_json::from_slice(body) {
                Ok(value) => value,
                Err(error) => {
                    return reply::bad_arguments(&format!("the body is not JSON ({error})"));
                }
            }
        };
        methods::call(&self.shared, method, &args)
    }

    fn throttled(&self, _wait: Duration, retry_after: &str) -> Response {
        reply::throttled(retry_after)
    }

    fn server_error(&self, status: u16) -> Response {
        reply::server_error(status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_limit_key_does_not_hold_the_secret() {
        let key = secret_key(&http::HeaderValue::from_static("production-secret"));
        assert!(!key.contains("production"));
        assert_eq!(key.len(), "secret-".len() + 16);
        assert_ne!(key, secret_key(&http::HeaderValue::from_static("other")));
    }
}
