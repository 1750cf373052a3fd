//! Client-side rate limiting: a request budget shared by every clone of a client, so that a bulk
//! job stays under the server's limit instead of collecting 429s.

use std::fmt;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use governor::middleware::NoOpMiddleware;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter, clock::Clock as GovernorClock};

use crate::clock::{Clock, SystemClock};
use crate::sleep::{Sleep, TokioSleep};
use crate::transport::{Transport, TransportError};

/// Adapts our injected [`Clock`] to governor, so that tests drive the budget with a manual clock.
#[derive(Clone, Debug)]
struct ClockAdapter(Arc<dyn Clock>);

impl GovernorClock for ClockAdapter {
    type Instant = Duration;

    fn now(&self) -> Duration {
        self.0.monotonic()
    }
}

/// A budget of requests per interval (a GCRA token bucket from the governor crate).
///
/// Cloning shares the budget. ConnectWise starts throttling at about 1,000 requests a minute, so
/// `RateLimit::per_minute(900)` leaves headroom for other integrations on the same tenant.
#[derive(Clone)]
pub struct RateLimit {
    limiter: Arc<RateLimiter<NotKeyed, InMemoryState, ClockAdapter, NoOpMiddleware<Duration>>>,
    clock: ClockAdapter,
    requests: NonZeroU32,
    interval: Duration,
}

impl fmt::Debug for RateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateLimit")
            .field("requests", &self.requests)
            .field("interval", &self.interval)
            .finish()
    }
}

impl RateLimit {
    /// At most `requests` per `interval`, in bursts of up to `requests`, on the system clock.
    ///
    /// An `interval` of zero is treated as one nanosecond.
    pub fn new(requests: NonZeroU32, interval: Duration) -> Self {
        Self::with_clock(requests, interval, Arc::new(SystemClock))
    }

    /// At most `requests` per minute.
    pub fn per_minute(requests: NonZeroU32) -> Self {
        Self::new(requests, Duration::from_secs(60))
    }

    /// Like [`RateLimit::new`], reading time from `clock`.
    pub fn with_clock(requests: NonZeroU32, interval: Duration, clock: Arc<dyn Clock>) -> Self {
        let period = (interval / requests.get()).max(Duration::from_nanos(1));
        let quota = Quota::with_period(period)
            .unwrap_or_else(|| Quota::per_second(requests))
            .allow_burst(requests);
        let clock = ClockAdapter(clock);
        Self {
            limiter: Arc::new(RateLimiter::direct_with_clock(quota, clock.clone())),
            clock,
            requests,
            interval,
        }
    }

    /// Takes one request from the budget, or says how long until one is free.
    fn try_acquire(&self) -> Result<(), Duration> {
        self.limiter
            .check()
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }

    /// Waits with `sleep` until the budget allows one more request, and takes it.
    pub async fn acquire(&self, sleep: &dyn Sleep) {
        while let Err(wait) = self.try_acquire() {
            tracing::debug!(wait_ms = wait.as_millis() as u64, "waiting for rate budget");
            sleep.sleep(wait).await;
        }
    }
}

/// A [`Transport`] that takes every attempt from a shared [`RateLimit`] before sending it.
pub struct RateLimited<T> {
    inner: T,
    limit: RateLimit,
    sleep: Arc<dyn Sleep>,
}

impl<T: fmt::Debug> fmt::Debug for RateLimited<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateLimited")
            .field("inner", &self.inner)
            .field("limit", &self.limit)
            .finish_non_exhaustive()
    }
}

impl<T: Transport> RateLimited<T> {
    /// Wraps `inner`, waiting on the tokio timer when the budget is spent.
    pub fn new(inner: T, limit: RateLimit) -> Self {
        Self {
            inner,
            limit,
            sleep: Arc::new(TokioSleep),
        }
    }

    /// Waits with `sleep` instead of the tokio timer.
    pub fn with_sleep(mut self, sleep: Arc<dyn Sleep>) -> Self {
        self.sleep = sleep;
        self
    }
}

#[async_trait::async_trait]
impl<T: Transport> Transport for RateLimited<T> {
    async fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        self.limit.acquire(self.sleep.as_ref()).await;
        self.inner.send(request).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::sleep::RecordingSleep;
    use std::time::SystemTime;

    #[tokio::test]
    async fn budget_is_shared_by_clones_and_refills_with_time() {
        let clock = ManualClock::new(SystemTime::UNIX_EPOCH);
        let sleep = RecordingSleep::advancing(clock.clone());
        let limit = RateLimit::with_clock(
            NonZeroU32::new(2).unwrap(),
            Duration::from_secs(60),
            Arc::new(clock.clone()),
        );
        let other = limit.clone();
        limit.acquire(&sleep).await;
        other.acquire(&sleep).await;
        assert!(sleep.recorded().is_empty(), "a burst of 2 is free");
        limit.acquire(&sleep).await;
        assert_eq!(sleep.recorded(), [Duration::from_secs(30)]);
    }
}
