//! The one seam between the clients and the network: send a buffered request, get a buffered
//! response.

use std::fmt;

use bytes::Bytes;

/// A boxed error from the layer below a transport.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Sends one HTTP exchange.
///
/// A response with any status, 4xx and 5xx included, is `Ok`: deciding what a status means is the
/// job of the retry layer and the API client. Bodies are buffered [`Bytes`], so every attempt can be
/// replayed at no cost. The trait is object-safe: decorators ([`crate::Retrying`],
/// [`crate::RateLimited`]) and test doubles compose as `Arc<dyn Transport>`.
#[async_trait::async_trait]
pub trait Transport: Send + Sync + fmt::Debug + 'static {
    /// Sends `request` and returns the response, whatever its status.
    async fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError>;
}

/// The future [`Transport::send`] returns, as `#[async_trait]` writes it.
type SendFuture<'a> = std::pin::Pin<
    Box<dyn Future<Output = Result<http::Response<Bytes>, TransportError>> + Send + 'a>,
>;

// Written out rather than as an `async fn`, which would box a second future around the inner
// transport's on every request.
impl<T: Transport + ?Sized> Transport for std::sync::Arc<T> {
    fn send<'life0, 'async_trait>(
        &'life0 self,
        request: http::Request<Bytes>,
    ) -> SendFuture<'async_trait>
    where
        'life0: 'async_trait,
        Self: 'async_trait,
    {
        (**self).send(request)
    }
}

/// Why an exchange produced no response.
///
/// The variants split on the question a caller of a write must answer: could the server have acted
/// on the request? [`TransportError::Build`] and [`TransportError::Connect`] mean it never left;
/// [`TransportError::Timeout`] and [`TransportError::Io`] mean it may have been processed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// The request could not be turned into bytes on the wire; nothing was sent.
    #[error("the request could not be built")]
    Build(#[source] BoxError),
    /// No connection was made (refused, DNS, TLS handshake); nothing was sent.
    #[error("could not connect to the server")]
    Connect(#[source] BoxError),
    /// The server did not answer in time; the request may have been processed.
    #[error("the request timed out")]
    Timeout(#[source] BoxError),
    /// The connection broke during the exchange; the request may have been processed.
    #[error("the connection failed during the exchange")]
    Io(#[source] BoxError),
    /// The response body is larger than the transport accepts (see
    /// [`ReqwestConfig::max_response_bytes`](crate::ReqwestConfig::max_response_bytes)); the
    /// request was processed, the answer was dropped unread. Not retried: it would be as large
    /// again.
    #[error("the response body is larger than the limit of {limit} bytes")]
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
}

/// The longest one attempt may take, attached to a request by the retry layer when the
/// operation has an overall deadline (see [`RetryPolicy::with_deadline`](crate::RetryPolicy::with_deadline)).
/// Transports should give up on the attempt after it, as a timeout; [`crate::ReqwestTransport`]
/// does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttemptTimeout(pub std::time::Duration);

/// The parsed URL a request's URI was made from, attached by a client that built one anyway, so
/// that [`crate::ReqwestTransport`] need not parse the URI again. It is used only while it still
/// matches the request's URI; a decorator that changes the URI need not remove it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedUrl(pub url::Url);

impl TransportError {
    /// `true` when the request certainly never reached the server.
    pub fn never_sent(&self) -> bool {
        matches!(self, TransportError::Build(_) | TransportError::Connect(_))
    }

    /// A short, stable name for the kind, used in traces.
    pub fn kind_name(&self) -> &'static str {
        match self {
            TransportError::Build(_) => "build",
            TransportError::Connect(_) => "connect",
            TransportError::Timeout(_) => "timeout",
            TransportError::Io(_) => "io",
            TransportError::TooLarge { .. } => "too_large",
        }
    }
}
