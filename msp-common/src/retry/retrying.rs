//! The [`Retrying`] decorator: sends through an inner transport and repeats attempts the
//! classifier and the policy allow.

use std::fmt;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use tracing::Instrument;

use crate::clock::{Clock, SystemClock};
use crate::operation::Operation;
use crate::retry::classify::{Attempt, Classify, RetryAction, default_action};
use crate::retry::policy::{Decision, RetryPolicy, StopReason};
use crate::sleep::{Sleep, TokioSleep};
use crate::trace::{attempt_span, operation_span};
use crate::transport::{AttemptTimeout, Transport, TransportError};

/// The least time an attempt is given, even when the deadline is nearly spent: less would fail
/// requests that were about to succeed.
const MIN_ATTEMPT: std::time::Duration = std::time::Duration::from_secs(1);

/// A [`Transport`] that repeats attempts according to a [`RetryPolicy`].
///
/// Each request must carry its [`Operation`] (see [`Operation::attach`]); a request without one is
/// treated as non-idempotent. The final outcome is returned as the inner transport produced it: a
/// 429 that could not be retried comes back as a 429 response, which the client turns into a
/// rate-limited error carrying the server's delay.
pub struct Retrying<T> {
    inner: T,
    policy: RetryPolicy,
    bulk_policy: Option<RetryPolicy>,
    classifier: Option<Arc<dyn Classify>>,
    sleep: Arc<dyn Sleep>,
    clock: Arc<dyn Clock>,
    rng: Mutex<fastrand::Rng>,
}

impl<T: fmt::Debug> fmt::Debug for Retrying<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Retrying")
            .field("inner", &self.inner)
            .field("policy", &self.policy)
            .field("bulk_policy", &self.bulk_policy)
            .field("classifier", &self.classifier)
            .finish_non_exhaustive()
    }
}

impl<T: Transport> Retrying<T> {
    /// Wraps `inner` with `policy`, sleeping on tokio and reading the system clock.
    pub fn new(inner: T, policy: RetryPolicy) -> Self {
        Self {
            inner,
            policy,
            bulk_policy: None,
            classifier: None,
            sleep: Arc::new(TokioSleep),
            clock: Arc::new(SystemClock),
            rng: Mutex::new(fastrand::Rng::new()),
        }
    }

    /// Retries the requests of bulk reads ([`Operation::bulk`]) with `policy` instead of the
    /// main one.
    pub fn with_bulk_policy(mut self, policy: RetryPolicy) -> Self {
        self.bulk_policy = Some(policy);
        self
    }

    /// The policy for `operation`: the bulk one for a bulk read, when set.
    fn policy_for(&self, operation: &Operation) -> &RetryPolicy {
        match &self.bulk_policy {
            Some(bulk) if operation.is_bulk() => bulk,
            _ => &self.policy,
        }
    }

    /// Consults `classifier` before the default rules.
    pub fn with_classifier(mut self, classifier: Arc<dyn Classify>) -> Self {
        self.classifier = Some(classifier);
        self
    }

    /// Waits with `sleep` instead of the tokio timer.
    pub fn with_sleep(mut self, sleep: Arc<dyn Sleep>) -> Self {
        self.sleep = sleep;
        self
    }

    /// Reads time from `clock` instead of the system clock.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Seeds the jitter, for reproducible schedules.
    pub fn with_seed(self, seed: u64) -> Self {
        Self {
            rng: Mutex::new(fastrand::Rng::with_seed(seed)),
            ..self
        }
    }

    fn jitter_sample(&self) -> f64 {
        self.rng.lock().unwrap_or_else(|e| e.into_inner()).f64()
    }

    fn classify(&self, attempt: &Attempt<'_>) -> RetryAction {
        self.classifier
            .as_ref()
            .and_then(|c| c.classify(attempt))
            .unwrap_or_else(|| default_action(attempt))
    }
}

/// Copies a request for one attempt; the body is reference-counted, so this is cheap.
fn copy_request(parts: &http::request::Parts, body: &Bytes) -> http::Request<Bytes> {
    let mut request = http::Request::new(body.clone());
    *request.method_mut() = parts.method.clone();
    *request.uri_mut() = parts.uri.clone();
    *request.version_mut() = parts.version;
    *request.headers_mut() = parts.headers.clone();
    *request.extensions_mut() = parts.extensions.clone();
    request
}

#[async_trait::async_trait]
impl<T: Transport> Transport for Retrying<T> {
    async fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let operation = Operation::of(&request);
        let span = operation_span(&operation, request.method());
        let (parts, body) = request.into_parts();
        let policy = self.policy_for(&operation);
        async {
            let started = self.clock.monotonic();
            let mut attempt: u32 = 1;
            loop {
                let span = attempt_span(attempt - 1);
                let mut request = copy_request(&parts, &body);
                if let Some(deadline) = policy.deadline() {
                    // The attempt itself counts against the deadline, not only the waits: a
                    // server that accepts and never answers must not hold the caller longer.
                    let elapsed = self.clock.monotonic().saturating_sub(started);
                    let left = deadline.saturating_sub(elapsed).max(MIN_ATTEMPT);
                    request.extensions_mut().insert(AttemptTimeout(left));
                }
                let outcome = self.inner.send(request).instrument(span.clone()).await;
                match &outcome {
                    Ok(response) => {
                        span.record("http.response.status_code", response.status().as_u16());
                    }
                    Err(error) => {
                        span.record("error.type", error.kind_name());
                    }
                }
                let action = self.classify(&Attempt {
                    operation: &operation,
                    outcome: outcome.as_ref(),
                    now: self.clock.now(),
                });
                let elapsed = self.clock.monotonic().saturating_sub(started);
                let decision = policy.decide(attempt, &action, elapsed, self.jitter_sample());
                match decision {
                    Decision::Retry(delay) => {
                        tracing::debug!(
                            attempt,
                            delay_ms = delay.as_millis() as u64,
                            reason = ?action,
                            "retrying"
                        );
                        self.sleep.sleep(delay).await;
                        attempt += 1;
                    }
                    Decision::Stop(reason) => {
                        tracing::Span::current().record("attempts", attempt);
                        if reason.is_giving_up() {
                            let retry_after_ms = match reason {
                                StopReason::RetryAfterTooLong(d) => d.as_millis() as u64,
                                _ => 0,
                            };
                            tracing::warn!(attempt, ?reason, retry_after_ms, "giving up");
                        }
                        return outcome;
                    }
                }
            }
        }
        .instrument(span)
        .await
    }
}
