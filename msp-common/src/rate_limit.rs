//! Client-side rate limiting: a request budget shared by every clone of a client, so that a bulk
//! job stays under the server's limit instead of collecting 429s.

use std::collections::VecDeque;
use std::fmt;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;

use crate::clock::{Clock, SystemClock};
use crate::sleep::{Sleep, TokioSleep};
use crate::transport::{Transport, TransportError};

/// A budget of requests per interval that holds in every window, not just on average.
///
/// The promise: in any span of time of length `interval`, at most `requests` requests start.
/// That is what servers counting in sliding windows check, so staying inside the budget draws no
/// 429s from them. By default requests are spread evenly (one every `interval / requests`);
/// [`RateLimit::with_burst`] lets up to `burst` go at once after a quiet spell, still within the
/// same promise.
///
/// Cloning shares the budget. ConnectWise starts throttling at about 1,000 requests a minute, so
/// `RateLimit::per_minute(900)` leaves headroom for other integrations on the same tenant.
///
/// The budget remembers the start time of up to `requests` recent requests (16 bytes each).
///
/// ```
/// use std::num::NonZeroU32;
/// use msp_common::RateLimit;
///
/// // 900 a minute, evenly spaced: one every 66.7 ms.
/// let steady = RateLimit::per_minute(NonZeroU32::new(900).unwrap());
/// // 900 a minute, of which up to 50 may go back to back.
/// let bursty = steady.clone().with_burst(NonZeroU32::new(50).unwrap());
/// assert_eq!(bursty.burst().get(), 50);
/// ```
#[derive(Clone)]
pub struct RateLimit {
    /// Start times (monotonic) of the most recent requests, oldest first, at most `requests`.
    started: Arc<Mutex<VecDeque<Duration>>>,
    clock: Arc<dyn Clock>,
    requests: NonZeroU32,
    interval: Duration,
    burst: NonZeroU32,
}

impl fmt::Debug for RateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateLimit")
            .field("requests", &self.requests)
            .field("interval", &self.interval)
            .field("burst", &self.burst)
            .finish()
    }
}

impl RateLimit {
    /// At most `requests` in any `interval`, evenly spaced, on the system clock.
    pub fn new(requests: NonZeroU32, interval: Duration) -> Self {
        Self::with_clock(requests, interval, Arc::new(SystemClock))
    }

    /// At most `requests` in any minute.
    pub fn per_minute(requests: NonZeroU32) -> Self {
        Self::new(requests, Duration::from_secs(60))
    }

    /// Like [`RateLimit::new`], reading time from `clock`.
    pub fn with_clock(requests: NonZeroU32, interval: Duration, clock: Arc<dyn Clock>) -> Self {
        Self {
            started: Arc::new(Mutex::new(VecDeque::new())),
            clock,
            requests,
            interval,
            burst: NonZeroU32::MIN,
        }
    }

    /// Lets up to `burst` requests (at most `requests`) start back to back; a burst is paid for
    /// by waiting later, so no `interval` ever holds more than `requests`. The default, 1, spaces
    /// every request evenly.
    ///
    /// Call it before cloning: the budget shared by clones is the one configured here.
    #[must_use]
    pub fn with_burst(mut self, burst: NonZeroU32) -> Self {
        self.burst = burst.min(self.requests);
        self
    }

    /// The most requests in any interval.
    pub fn requests(&self) -> NonZeroU32 {
        self.requests
    }

    /// The interval the budget counts over.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// How many requests may start back to back.
    pub fn burst(&self) -> NonZeroU32 {
        self.burst
    }

    /// Takes one request from the budget, or says how long until one is free.
    ///
    /// Two windows are checked: no more than `requests` starts in the last `interval`, and no
    /// more than `burst` in the last `burst × interval / requests`.
    fn try_acquire(&self) -> Result<(), Duration> {
        let now = self.clock.monotonic();
        let mut started = self.started.lock().unwrap_or_else(|e| e.into_inner());
        while started
            .front()
            .is_some_and(|&first| now.saturating_sub(first) >= self.interval)
        {
            started.pop_front();
        }
        let burst_window = (self.interval / self.requests.get()) * self.burst.get();
        let wait_for = |count: u32, window: Duration| {
            let count = count as usize;
            started
                .len()
                .checked_sub(count)
                .map_or(Duration::ZERO, |index| {
                    (started[index] + window).saturating_sub(now)
                })
        };
        let wait = wait_for(self.requests.get(), self.interval)
            .max(wait_for(self.burst.get(), burst_window));
        if !wait.is_zero() {
            return Err(wait);
        }
        if started.len() >= self.requests.get() as usize {
            started.pop_front();
        }
        started.push_back(now);
        Ok(())
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

    fn limit(requests: u32, interval: Duration, clock: &ManualClock) -> RateLimit {
        RateLimit::with_clock(
            NonZeroU32::new(requests).unwrap(),
            interval,
            Arc::new(clock.clone()),
        )
    }

    /// The start times of `count` requests taken from `limit` as fast as it allows.
    async fn starts(limit: &RateLimit, clock: &ManualClock, count: usize) -> Vec<Duration> {
        let sleep = RecordingSleep::advancing(clock.clone());
        let mut starts = Vec::with_capacity(count);
        for _ in 0..count {
            limit.acquire(&sleep).await;
            starts.push(clock.monotonic());
        }
        starts
    }

    /// The most starts in any window of `window` (half-open, as servers count).
    fn busiest(starts: &[Duration], window: Duration) -> usize {
        (0..starts.len())
            .map(|i| {
                starts[i..]
                    .iter()
                    .take_while(|&&t| t - starts[i] < window)
                    .count()
            })
            .max()
            .unwrap_or(0)
    }

    #[tokio::test]
    async fn budget_is_shared_by_clones_and_spaced_evenly() {
        let clock = ManualClock::new(SystemTime::UNIX_EPOCH);
        let sleep = RecordingSleep::advancing(clock.clone());
        let limit = limit(2, Duration::from_secs(60), &clock);
        let other = limit.clone();
        limit.acquire(&sleep).await;
        other.acquire(&sleep).await;
        limit.acquire(&sleep).await;
        assert_eq!(
            sleep.recorded(),
            [Duration::from_secs(30), Duration::from_secs(30)]
        );
    }

    #[tokio::test]
    async fn per_minute_holds_in_every_minute_and_every_second() {
        let clock = ManualClock::new(SystemTime::UNIX_EPOCH);
        let limit = RateLimit::with_clock(
            NonZeroU32::new(900).unwrap(),
            Duration::from_secs(60),
            Arc::new(clock.clone()),
        );
        let starts = starts(&limit, &clock, 2_000).await;
        let first_minute = starts
            .iter()
            .filter(|&&t| t < Duration::from_secs(60))
            .count();
        let first_second = starts
            .iter()
            .filter(|&&t| t < Duration::from_secs(1))
            .count();
        assert_eq!(first_minute, 900, "the whole budget, and no more");
        // One every 66.67 ms (rounded down to the nanosecond): 15 per second, and a 16th at the
        // very end of the first.
        assert!(
            (15..=16).contains(&first_second),
            "evenly spaced: {first_second}"
        );
        assert_eq!(busiest(&starts, Duration::from_secs(60)), 900);
    }

    #[tokio::test]
    async fn a_burst_is_paid_for_within_the_same_interval() {
        let clock = ManualClock::new(SystemTime::UNIX_EPOCH);
        let limit =
            limit(900, Duration::from_secs(60), &clock).with_burst(NonZeroU32::new(100).unwrap());
        let starts = starts(&limit, &clock, 2_000).await;
        let first_second = starts
            .iter()
            .filter(|&&t| t < Duration::from_secs(1))
            .count();
        assert!(
            (100..=115).contains(&first_second),
            "the burst goes at once: {first_second}"
        );
        assert_eq!(starts.iter().filter(|&&t| t.is_zero()).count(), 100);
        assert_eq!(busiest(&starts, Duration::from_secs(60)), 900);
        // The burst window: never more than 100 in 100 × 66.7 ms.
        assert!(busiest(&starts, (Duration::from_secs(60) / 900) * 100) <= 100);
    }

    #[test]
    fn the_burst_never_exceeds_the_budget() {
        let clock = ManualClock::new(SystemTime::UNIX_EPOCH);
        let limit = limit(5, Duration::from_secs(1), &clock).with_burst(NonZeroU32::MAX);
        assert_eq!(limit.burst().get(), 5);
        assert_eq!(limit.requests().get(), 5);
        assert_eq!(limit.interval(), Duration::from_secs(1));
    }
}
