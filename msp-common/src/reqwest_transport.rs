//! The default [`Transport`]: reqwest with connect and request timeouts.

use std::error::Error as _;
use std::time::Duration;

use bytes::{Bytes, BytesMut};

use crate::transport::{AttemptTimeout, ParsedUrl, Transport, TransportError};

/// Whether this build can speak HTTPS (the `rustls` or `native-tls` feature).
pub(crate) const HAS_TLS: bool = cfg!(any(feature = "rustls", feature = "native-tls"));

/// Timeouts, identity and the response size cap of [`ReqwestTransport`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ReqwestConfig {
    /// How long to wait for a connection (TCP and TLS) before giving up; nothing is sent then.
    pub connect_timeout: Duration,
    /// How long one attempt may take from sending to the last byte of the response. An
    /// operation's overall deadline ([`crate::AttemptTimeout`]) can shorten it.
    pub request_timeout: Duration,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// The largest response body read, in bytes; a larger one fails with
    /// [`TransportError::TooLarge`] instead of filling memory. The default,
    /// [`ReqwestConfig::DEFAULT_MAX_RESPONSE_BYTES`], is far above a page of 1,000 large records.
    pub max_response_bytes: u64,
}

impl ReqwestConfig {
    /// The default response size cap: 256 MiB.
    pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 256 * 1024 * 1024;

    /// Sets [`ReqwestConfig::max_response_bytes`].
    #[must_use]
    pub fn with_max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Sets [`ReqwestConfig::request_timeout`].
    #[must_use]
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Sets [`ReqwestConfig::connect_timeout`].
    #[must_use]
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets [`ReqwestConfig::user_agent`].
    #[must_use]
    pub fn with_user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }
}

impl Default for ReqwestConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            user_agent: concat!("msp-sdk/", env!("CARGO_PKG_VERSION")).to_owned(),
            max_response_bytes: Self::DEFAULT_MAX_RESPONSE_BYTES,
        }
    }
}

/// A [`Transport`] over a `reqwest::Client`.
///
/// Redirects are not followed: a redirect to another host would carry the authentication headers
/// there, and neither API redirects its REST calls. Bodies are read up to a size cap.
#[derive(Clone, Debug)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    /// The client's own per-attempt timeout, when this crate configured it.
    request_timeout: Option<Duration>,
    max_response_bytes: u64,
}

impl ReqwestTransport {
    /// Builds a transport with the given timeouts and size cap.
    pub fn new(config: &ReqwestConfig) -> Result<Self, TransportError> {
        let client = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .user_agent(config.user_agent.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| TransportError::Build(Box::new(e)))?;
        Ok(Self {
            client,
            request_timeout: Some(config.request_timeout),
            max_response_bytes: config.max_response_bytes,
        })
    }

    /// Wraps a `reqwest::Client` the caller configured (proxies, certificates, …), with the
    /// default response size cap.
    pub fn from_client(client: reqwest::Client) -> Self {
        Self {
            client,
            request_timeout: None,
            max_response_bytes: ReqwestConfig::DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    /// Sets the response size cap (see [`ReqwestConfig::max_response_bytes`]).
    #[must_use]
    pub fn with_max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Reads the body chunk by chunk, stopping as soon as it passes the cap. A body that arrives
    /// in one chunk (most small answers) is kept as it came, without a copy; a longer one is
    /// gathered into a buffer sized by `Content-Length` when the server sent one.
    async fn read_body(&self, mut response: reqwest::Response) -> Result<Bytes, TransportError> {
        let limit = self.max_response_bytes;
        let too_large = TransportError::TooLarge { limit };
        let length = response.content_length();
        if length.is_some_and(|length| length > limit) {
            return Err(too_large);
        }
        let Some(first) = response.chunk().await.map_err(classify)? else {
            return Ok(Bytes::new());
        };
        if first.len() as u64 > limit {
            return Err(too_large);
        }
        let Some(second) = response.chunk().await.map_err(classify)? else {
            return Ok(first);
        };
        // The announced length is only a hint (bounded, so a false one cannot reserve much).
        let hint = length.unwrap_or(0).min(PREALLOCATE_AT_MOST) as usize;
        let mut body = BytesMut::with_capacity(hint.max(first.len() + second.len()));
        let mut next = Some(second);
        body.extend_from_slice(&first);
        while let Some(chunk) = next {
            if (body.len() + chunk.len()) as u64 > limit {
                return Err(too_large);
            }
            body.extend_from_slice(&chunk);
            next = response.chunk().await.map_err(classify)?;
        }
        Ok(body.freeze())
    }
}

/// The most a `Content-Length` makes the transport reserve before the bytes arrive.
const PREALLOCATE_AT_MOST: u64 = 16 * 1024 * 1024;

#[async_trait::async_trait]
impl Transport for ReqwestTransport {
    async fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let attempt_timeout = request.extensions().get::<AttemptTimeout>().copied();
        let (mut parts, body) = request.into_parts();
        let url = match parts.extensions.remove::<ParsedUrl>() {
            Some(ParsedUrl(url)) if parts.uri == *url.as_str() => url,
            _ => url::Url::parse(&parts.uri.to_string())
                .map_err(|e| TransportError::Build(Box::new(e)))?,
        };
        let mut request = reqwest::Request::new(parts.method, url);
        *request.headers_mut() = parts.headers;
        *request.version_mut() = parts.version;
        // hyper sends an empty body without a length; a method whose body means something says
        // `Content-Length: 0` (RFC 9110, 8.6), as servers that answer 411 Length Required expect.
        if body.is_empty()
            && matches!(
                *request.method(),
                http::Method::POST | http::Method::PUT | http::Method::PATCH
            )
        {
            request
                .headers_mut()
                .entry(http::header::CONTENT_LENGTH)
                .or_insert(http::HeaderValue::from_static("0"));
        }
        *request.body_mut() = Some(reqwest::Body::from(body));
        if let Some(AttemptTimeout(timeout)) = attempt_timeout {
            // A per-request timeout replaces the client's; never lengthen the configured one.
            let configured = self.request_timeout;
            *request.timeout_mut() = Some(configured.map_or(timeout, |c| c.min(timeout)));
        }
        let mut response = self.client.execute(request).await.map_err(classify)?;
        let status = response.status();
        let version = response.version();
        // Moved out, not copied; reading the body needs none of them.
        let headers = std::mem::take(response.headers_mut());
        let body = self.read_body(response).await?;
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

#[cfg(test)]
mod tests {
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpListener;

    use super::*;

    /// A one-connection HTTP/1.1 server on loopback answering every request with `chunks` in
    /// chunked encoding; hands back the head of each request it read, the request line first and
    /// then the header lines, in lower case.
    fn chunked_server(
        chunks: &'static [&'static str],
    ) -> (String, std::sync::mpsc::Receiver<Vec<String>>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        let (lines, received) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let Ok((stream, _)) = listener.accept() else {
                return;
            };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut stream = stream;
            loop {
                let mut request_line = String::new();
                if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
                    return;
                }
                // Headers, up to the blank line; the requests have no body.
                let mut head = vec![request_line.trim_end().to_owned()];
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    head.push(line.trim_end().to_ascii_lowercase());
                }
                let _ = lines.send(head);
                let mut answer = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n".to_owned();
                for chunk in chunks {
                    answer.push_str(&format!("{:x}\r\n{chunk}\r\n", chunk.len()));
                }
                answer.push_str("0\r\n\r\n");
                if stream.write_all(answer.as_bytes()).is_err() {
                    return;
                }
                let _ = stream.flush();
            }
        });
        (address, received)
    }

    fn get(url: &str) -> http::Request<Bytes> {
        http::Request::get(url).body(Bytes::new()).unwrap()
    }

    #[tokio::test]
    async fn a_body_in_many_chunks_is_read_whole() {
        let (address, _) = chunked_server(&["[1,", "2,", "3]"]);
        let transport = ReqwestTransport::new(&ReqwestConfig::default()).unwrap();
        let response = transport.send(get(&format!("{address}/x"))).await.unwrap();
        assert_eq!(response.body().as_ref(), b"[1,2,3]");
    }

    #[tokio::test]
    async fn a_chunked_body_over_the_cap_is_refused_as_it_grows() {
        let (address, _) = chunked_server(&["123456", "123456"]);
        let transport =
            ReqwestTransport::new(&ReqwestConfig::default().with_max_response_bytes(10)).unwrap();
        let error = transport
            .send(get(&format!("{address}/x")))
            .await
            .unwrap_err();
        assert!(
            matches!(error, TransportError::TooLarge { limit: 10 }),
            "{error:?}"
        );
    }

    #[tokio::test]
    async fn a_parsed_url_is_used_only_while_it_matches_the_uri() {
        let (address, requests) = chunked_server(&["{}"]);
        let transport = ReqwestTransport::new(&ReqwestConfig::default()).unwrap();
        let url = url::Url::parse(&format!("{address}/fresh?a=1")).unwrap();
        let mut request = get(url.as_str());
        request.extensions_mut().insert(ParsedUrl(url));
        transport.send(request).await.unwrap();
        assert_eq!(requests.recv().unwrap()[0], "GET /fresh?a=1 HTTP/1.1");
        // A decorator rewrote the URI after the URL was attached: the URI wins.
        let mut request = get(&format!("{address}/rewritten"));
        request.extensions_mut().insert(ParsedUrl(
            url::Url::parse(&format!("{address}/stale")).unwrap(),
        ));
        transport.send(request).await.unwrap();
        assert_eq!(requests.recv().unwrap()[0], "GET /rewritten HTTP/1.1");
    }

    /// A `GET` with no body is sent without a length, as a plain reqwest `GET` is; a `POST` with
    /// an empty body declares its length, which some servers require.
    #[tokio::test]
    async fn an_empty_get_has_no_body_and_an_empty_post_says_so() {
        let (address, requests) = chunked_server(&["{}"]);
        let transport = ReqwestTransport::new(&ReqwestConfig::default()).unwrap();
        transport.send(get(&format!("{address}/x"))).await.unwrap();
        let head = requests.recv().unwrap();
        assert!(
            !head.iter().any(|line| line.starts_with("content-length")),
            "{head:?}"
        );
        let post = http::Request::post(format!("{address}/x"))
            .body(Bytes::new())
            .unwrap();
        transport.send(post).await.unwrap();
        let head = requests.recv().unwrap();
        assert!(head.contains(&"content-length: 0".to_owned()), "{head:?}");
    }
}
