//! The HTTP server both APIs run on: HTTP/1.1 on `127.0.0.1`, every request run through the
//! [`Faults`] and counted in the [`Counters`], and a [`ServerHandle`] that stops the server when
//! dropped.
//!
//! An API is a [`Handler`]: it names a request's route (for the counters), says whether faults
//! apply and which client key the rate limit counts, answers the request, and renders the
//! API's own `429` and `5xx` bodies. The server does the rest, at the connection level where a
//! fault needs it (a dropped connection is a closed socket, a truncated body is a
//! `Content-Length` the body never reaches).

use std::future::Future;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body::{Frame, SizeHint};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::counters::{Counters, Event};
use crate::faults::{After, Before, Faults, proxy_page};

/// A request with its whole body read.
pub type Request = http::Request<Bytes>;
/// A response with its whole body.
pub type Response = http::Response<Bytes>;

/// Set in a response's extensions by a handler that changed data in answering it: only such
/// responses are subject to "dropped after the write was processed".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WriteApplied;

/// One API served by [`serve`].
pub trait Handler: Send + Sync + 'static {
    /// The route a request goes to, for the counters: the method and a pattern without ids,
    /// e.g. `GET service/tickets/{id}`.
    fn route(&self, request: &Request) -> String;

    /// Whether injected faults apply to the request (the sandbox's own helper endpoints, such
    /// as the callback signing key, are exempt).
    fn faults_apply(&self, _request: &Request) -> bool {
        true
    }

    /// The key the rate limit counts the request under; `None` exempts it from the limit.
    fn client_key(&self, request: &Request) -> Option<String>;

    /// Answers the request.
    fn handle(&self, request: Request) -> impl Future<Output = Response> + Send;

    /// The API's `429` answer, with `Retry-After` set to `retry_after`.
    fn throttled(&self, wait: Duration, retry_after: &str) -> Response;

    /// The API's own body for an injected `500`, `502` or `503`.
    fn server_error(&self, status: u16) -> Response;
}

/// A running server. Dropping it stops accepting connections and closes the open ones.
#[derive(Debug)]
pub struct ServerHandle {
    address: SocketAddr,
    shutdown: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl ServerHandle {
    /// The address the server listens on (`127.0.0.1` and its port).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// `http://127.0.0.1:{port}`, without a trailing slash.
    pub fn origin(&self) -> String {
        format!("http://{}", self.address)
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        // Open connections watch this; the accept loop is aborted outright.
        let _ = self.shutdown.send(true);
        self.task.abort();
    }
}

/// Binds `127.0.0.1:port` (`0` for a free port) and serves `handler` until the handle is dropped.
///
/// # Errors
/// When the port cannot be bound.
pub async fn serve<H: Handler>(
    port: u16,
    handler: Arc<H>,
    faults: Arc<Faults>,
    counters: Arc<Counters>,
) -> io::Result<ServerHandle> {
    serve_on(bind(port).await?, handler, faults, counters)
}

/// Binds `127.0.0.1:port` (`0` for a free port), for a handler that needs to know its address
/// before it serves (to write links): bind, build the handler, then [`serve_on`].
///
/// # Errors
/// When the port cannot be bound.
pub async fn bind(port: u16) -> io::Result<TcpListener> {
    TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await
}

/// Serves `handler` on a bound listener until the handle is dropped.
///
/// # Errors
/// When the listener's address cannot be read.
pub fn serve_on<H: Handler>(
    listener: TcpListener,
    handler: Arc<H>,
    faults: Arc<Faults>,
    counters: Arc<Counters>,
) -> io::Result<ServerHandle> {
    let address = listener.local_addr()?;
    let (shutdown, watcher) = watch::channel(false);
    let task = tokio::spawn(accept(listener, handler, faults, counters, watcher));
    Ok(ServerHandle {
        address,
        shutdown,
        task,
    })
}

async fn accept<H: Handler>(
    listener: TcpListener,
    handler: Arc<H>,
    faults: Arc<Faults>,
    counters: Arc<Counters>,
    watcher: watch::Receiver<bool>,
) {
    loop {
        let Ok((stream, _peer)) = listener.accept().await else {
            // Accept errors (too many open files, …) are transient; try the next one.
            tokio::task::yield_now().await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let context = Arc::new(Context_ {
            handler: handler.clone(),
            faults: faults.clone(),
            counters: counters.clone(),
        });
        let mut watcher = watcher.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let context = context.clone();
                async move { context.answer(request).await }
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                _ = connection => {}
                _ = watcher.wait_for(|stopped| *stopped) => {}
            }
        });
    }
}

/// What a connection's requests share.
struct Context_<H> {
    handler: Arc<H>,
    faults: Arc<Faults>,
    counters: Arc<Counters>,
}

/// The error that makes hyper close a connection without answering.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for Dropped {}

impl<H: Handler> Context_<H> {
    async fn answer(
        &self,
        request: hyper::Request<Incoming>,
    ) -> Result<hyper::Response<Body>, Dropped> {
        let (parts, body) = request.into_parts();
        let body = body.collect().await.map_err(|_| Dropped)?.to_bytes();
        let request = Request::from_parts(parts, body);
        let route = self.handler.route(&request);
        let counters = &self.counters;
        if !self.handler.faults_apply(&request) {
            let response = self.handler.handle(request).await;
            counters.record_request(&route, response.status().as_u16());
            return Ok(deliver(response));
        }
        let key = self.handler.client_key(&request);
        let (before, draw) = self.faults.before(key.as_deref());
        match before {
            Before::Drop => {
                counters.record(Event::DroppedBeforeProcessing);
                counters.record_request(&route, 0);
                return Err(Dropped);
            }
            Before::Throttle { wait, retry_after } => {
                counters.record(Event::Throttled);
                counters.record_request(&route, 429);
                return Ok(deliver(self.handler.throttled(wait, &retry_after)));
            }
            Before::ServerError { status, html } => {
                counters.record(Event::InjectedServerError);
                counters.record_request(&route, status);
                let response = if html {
                    html_page(status)
                } else {
                    self.handler.server_error(status)
                };
                return Ok(deliver(response));
            }
            Before::Proceed { delay } => {
                if !delay.is_zero() {
                    tokio::time::sleep(delay).await;
                }
            }
        }
        let response = self.handler.handle(request).await;
        let applied = response.extensions().get::<WriteApplied>().is_some();
        match self.faults.after(draw, applied, response.body().len()) {
            After::Deliver => {
                counters.record_request(&route, response.status().as_u16());
                Ok(deliver(response))
            }
            After::Drop => {
                counters.record(Event::DroppedAfterWrite);
                counters.record_request(&route, 0);
                Err(Dropped)
            }
            After::Truncate { keep } => {
                counters.record(Event::TruncatedBody);
                counters.record_request(&route, response.status().as_u16());
                let (parts, body) = response.into_parts();
                Ok(hyper::Response::from_parts(
                    parts,
                    Body {
                        declared: body.len() as u64,
                        data: Some(body.slice(..keep)),
                        fail: true,
                        pauses: 2,
                    },
                ))
            }
        }
    }
}

fn deliver(response: Response) -> hyper::Response<Body> {
    let (parts, body) = response.into_parts();
    hyper::Response::from_parts(
        parts,
        Body {
            declared: body.len() as u64,
            data: Some(body),
            fail: false,
            pauses: 0,
        },
    )
}

/// A proxy's HTML error page with `status`.
pub fn html_page(status: u16) -> Response {
    let mut response = Response::new(Bytes::from(proxy_page(status)));
    *response.status_mut() =
        http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("text/html"),
    );
    response
}

/// A response body that declares `declared` bytes and, when `fail` is set, ends in an error
/// after sending `data`: hyper then closes the connection with the body cut short.
#[derive(Debug)]
pub struct Body {
    declared: u64,
    data: Option<Bytes>,
    fail: bool,
    pauses: u8,
}

impl http_body::Body for Body {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let this = self.get_mut();
        if let Some(data) = this.data.take().filter(|data| !data.is_empty()) {
            return Poll::Ready(Some(Ok(Frame::data(data))));
        }
        if this.fail && this.pauses > 0 {
            // Pending lets hyper flush what it has buffered (the head and the partial body)
            // before the error closes the connection.
            this.pauses -= 1;
            context.waker().wake_by_ref();
            return Poll::Pending;
        }
        if std::mem::take(&mut this.fail) {
            return Poll::Ready(Some(Err(io::Error::other(
                "body truncated by fault injection",
            ))));
        }
        Poll::Ready(None)
    }

    fn is_end_stream(&self) -> bool {
        !self.fail && self.data.as_ref().is_none_or(Bytes::is_empty)
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.declared)
    }
}
