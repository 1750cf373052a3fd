//! Test doubles for code built on this crate (feature `test-util`): a transport that plays back
//! scripted outcomes, and a capture of everything traced during a test.
//!
//! Together with [`crate::RecordingSleep`] and [`crate::ManualClock`] they let a test drive retries,
//! deadlines and rate budgets without a network and without waiting.

use std::collections::VecDeque;
use std::io::Write;
use std::sync::{Arc, Mutex};

use bytes::Bytes;

use crate::transport::{Transport, TransportError};

/// One scripted answer of a [`ScriptedTransport`].
#[derive(Clone, Debug)]
pub enum Outcome {
    /// A response with this status and body.
    Respond(u16, Bytes),
    /// A connection that was never made.
    Refused,
    /// A request that timed out after it was sent.
    TimedOut,
    /// A connection that broke during the exchange.
    Reset,
}

impl Outcome {
    /// A response with `status` and an empty JSON array as body.
    pub fn status(status: u16) -> Outcome {
        Outcome::Respond(status, Bytes::from_static(b"[]"))
    }

    /// A response with `status` and `body`.
    pub fn body(status: u16, body: impl Into<Bytes>) -> Outcome {
        Outcome::Respond(status, body.into())
    }

    fn play(&self) -> Result<http::Response<Bytes>, TransportError> {
        match self {
            Outcome::Respond(status, body) => {
                let mut response = http::Response::new(body.clone());
                *response.status_mut() =
                    http::StatusCode::from_u16(*status).unwrap_or(http::StatusCode::OK);
                Ok(response)
            }
            Outcome::Refused => Err(TransportError::Connect("connection refused".into())),
            Outcome::TimedOut => Err(TransportError::Timeout("deadline elapsed".into())),
            Outcome::Reset => Err(TransportError::Io("connection reset".into())),
        }
    }
}

/// A [`Transport`] that answers with scripted [`Outcome`]s in order, then with a fallback, and
/// records the method and URI of every request.
#[derive(Debug)]
pub struct ScriptedTransport {
    script: Mutex<VecDeque<Outcome>>,
    fallback: Outcome,
    requests: Mutex<Vec<(http::Method, String)>>,
}

impl ScriptedTransport {
    /// Plays `script`, then answers 200 with `[]` forever.
    pub fn new(script: impl IntoIterator<Item = Outcome>) -> Arc<Self> {
        Self::with_fallback(script, Outcome::status(200))
    }

    /// Plays `script`, then answers `fallback` forever.
    pub fn with_fallback(
        script: impl IntoIterator<Item = Outcome>,
        fallback: Outcome,
    ) -> Arc<Self> {
        Arc::new(Self {
            script: Mutex::new(script.into_iter().collect()),
            fallback,
            requests: Mutex::default(),
        })
    }

    /// How many requests arrived.
    pub fn attempts(&self) -> usize {
        self.requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .len()
    }

    /// The method and URI of every request, in order.
    pub fn requests(&self) -> Vec<(http::Method, String)> {
        self.requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

#[async_trait::async_trait]
impl Transport for ScriptedTransport {
    async fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        self.requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((request.method().clone(), request.uri().to_string()));
        let next = self
            .script
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop_front();
        next.as_ref().unwrap_or(&self.fallback).play()
    }
}

/// Everything traced while a [`CapturedLogs::install`] guard lives, at every level, as text.
#[derive(Clone, Debug, Default)]
pub struct CapturedLogs {
    buffer: Arc<Mutex<Vec<u8>>>,
}

impl CapturedLogs {
    /// An empty capture.
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes this capture the current thread's subscriber, at TRACE level, until the guard drops.
    /// Use it in single-threaded tests (`#[tokio::test]`'s default runtime).
    pub fn install(&self) -> tracing::subscriber::DefaultGuard {
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(self.clone())
            .with_ansi(false)
            .finish();
        tracing::subscriber::set_default(subscriber)
    }

    /// What was captured so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.buffer.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
    }
}

impl Write for CapturedLogs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.buffer
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for CapturedLogs {
    type Writer = CapturedLogs;

    fn make_writer(&'a self) -> CapturedLogs {
        self.clone()
    }
}
