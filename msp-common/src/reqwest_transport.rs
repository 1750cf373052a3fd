//! The default [`Transport`]: reqwest with connect and request timeouts.

use std::error::Error as _;
use std::time::Duration;

use bytes::Bytes;

use crate::transport::{Transport, TransportError};

/// Timeouts and identity for [`ReqwestTransport`].
#[derive(Clone, Debug)]
pub struct ReqwestConfig {
    /// How long to wait for a connection (TCP and TLS) before giving up; nothing is sent then.
    pub connect_timeout: Duration,
    /// How long one attempt may take from sending to the last byte of the response.
    pub request_timeout: Duration,
    /// The `User-Agent` header.
    pub user_agent: String,
}

impl Default for ReqwestConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            user_agent: concat!("msp-sdk/", env!("CARGO_PKG_VERSION")).to_owned(),
        }
    }
}

/// A [`Transport`] over a `reqwest::Client`.
///
/// Redirects are not followed: a redirect to another host would carry the authentication headers
/// there, and neither API redirects its REST calls.
#[derive(Clone, Debug)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    /// Builds a transport with the given timeouts.
    pub fn new(config: &ReqwestConfig) -> Result<Self, TransportError> {
        let client = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .user_agent(config.user_agent.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| TransportError::Build(Box::new(e)))?;
        Ok(Self { client })
    }

    /// Wraps a `reqwest::Client` the caller configured (proxies, certificates, …).
    pub fn from_client(client: reqwest::Client) -> Self {
        Self { client }
    }
}

#[async_trait::async_trait]
impl Transport for ReqwestTransport {
    async fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let request = reqwest::Request::try_from(request).map_err(classify)?;
        let response = self.client.execute(request).await.map_err(classify)?;
        let status = response.status();
        let version = response.version();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(classify)?;
        let mut out = http::Response::new(body);
        *out.status_mut() = status;
        *out.version_mut() = version;
        *out.headers_mut() = headers;
        Ok(out)
    }
}

/// Sorts a reqwest error by whether the request could have reached the server.
///
/// The URL is stripped first: reqwest prints it in its message, and query strings carry customer
/// names and callback key ids.
fn classify(error: reqwest::Error) -> TransportError {
    let error = error.without_url();
    if error.is_builder() {
        TransportError::Build(Box::new(error))
    } else if error.is_connect() {
        // Connect timeouts land here too: no byte of the request was sent.
        TransportError::Connect(Box::new(error))
    } else if error.is_timeout() || has_timeout_source(&error) {
        TransportError::Timeout(Box::new(error))
    } else {
        TransportError::Io(Box::new(error))
    }
}

fn has_timeout_source(error: &reqwest::Error) -> bool {
    let mut source = error.source();
    while let Some(inner) = source {
        if let Some(io) = inner.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::TimedOut
        {
            return true;
        }
        source = inner.source();
    }
    false
}
