//! Which outcomes are worth another attempt: the default rules, and the hook through which an API
//! crate marks its own permanent errors.

use std::fmt;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::StatusCode;

use crate::operation::Operation;
use crate::retry::retry_after::retry_after;
use crate::transport::TransportError;

/// Why an attempt may be repeated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryKind {
    /// The server asked us to slow down (429, or 503 with `Retry-After`).
    Throttled,
    /// The request never reached the server.
    NotSent,
    /// A gateway error, timeout or broken connection; only repeated when the operation may repeat.
    Transient,
}

/// What the classifier makes of one attempt's outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryAction {
    /// Return the outcome as it is.
    Stop,
    /// Try again, after the server's delay when it named one, else after the policy's backoff.
    Retry {
        /// Why the attempt is repeated.
        kind: RetryKind,
        /// The delay the server asked for in `Retry-After`.
        retry_after: Option<Duration>,
    },
}

/// One finished attempt, as a classifier sees it.
#[derive(Debug)]
pub struct Attempt<'a> {
    /// The operation being attempted.
    pub operation: &'a Operation,
    /// The response, or why there is none.
    pub outcome: Result<&'a http::Response<Bytes>, &'a TransportError>,
    /// Wall-clock time, for HTTP-date `Retry-After` values.
    pub now: SystemTime,
}

/// A per-API refinement of the default rules.
///
/// Return `Some` to decide, `None` to let [`default_action`] decide. ScreenConnect, for instance,
/// stops on a 500 saying "Web method does not exist": no number of attempts will make it exist.
pub trait Classify: Send + Sync + fmt::Debug + 'static {
    /// Decides about `attempt`, or defers with `None`.
    fn classify(&self, attempt: &Attempt<'_>) -> Option<RetryAction>;
}

/// The rules every operation gets:
///
/// | outcome | safe / idempotent | non-idempotent |
/// |---|---|---|
/// | 429 | retry, honouring `Retry-After` | same |
/// | 503 with `Retry-After` | retry after it | same |
/// | 503 without `Retry-After`, 502, 504 | retry with backoff | returned |
/// | timeout, I/O error mid-exchange | retry with backoff | returned |
/// | never sent (connect, DNS, TLS) | retry with backoff | same |
/// | anything else | returned | returned |
pub fn default_action(attempt: &Attempt<'_>) -> RetryAction {
    let may_repeat = attempt.operation.idempotency().may_repeat();
    match attempt.outcome {
        Ok(response) => {
            let status = response.status();
            let delay = retry_after(response.headers(), attempt.now);
            match status {
                StatusCode::TOO_MANY_REQUESTS => RetryAction::Retry {
                    kind: RetryKind::Throttled,
                    retry_after: delay,
                },
                StatusCode::SERVICE_UNAVAILABLE if delay.is_some() => RetryAction::Retry {
                    kind: RetryKind::Throttled,
                    retry_after: delay,
                },
                StatusCode::BAD_GATEWAY
                | StatusCode::SERVICE_UNAVAILABLE
                | StatusCode::GATEWAY_TIMEOUT
                    if may_repeat =>
                {
                    RetryAction::Retry {
                        kind: RetryKind::Transient,
                        retry_after: None,
                    }
                }
                _ => RetryAction::Stop,
            }
        }
        Err(error) if error.never_sent() => match error {
            TransportError::Build(_) => RetryAction::Stop,
            _ => RetryAction::Retry {
                kind: RetryKind::NotSent,
                retry_after: None,
            },
        },
        // The same request would bring the same oversized answer.
        Err(TransportError::TooLarge { .. }) => RetryAction::Stop,
        Err(_) if may_repeat => RetryAction::Retry {
            kind: RetryKind::Transient,
            retry_after: None,
        },
        Err(_) => RetryAction::Stop,
    }
}
