//! Refusing a callback delivered a second time: [`ReplayGuard`].

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use msp_common::{Clock, SystemClock};
use sha2::{Digest, Sha256};

use super::{CallbackError, CallbackPayload};

/// Remembers accepted callback deliveries for a time window and refuses repeats.
///
/// A signature proves who wrote a callback, not when: anyone who captured a signed delivery (a
/// proxy log, a misrouted request) can send it again and it verifies again. A guard
/// remembers the deliveries it accepted and refuses one it has seen, with
/// [`CallbackError::Replayed`].
///
/// Deliveries are told apart by `MessageId` (a GUID per delivery, compared ignoring case); a
/// payload without one is keyed on the SHA-256 of its raw body. An id is remembered for the
/// guard's window and the set holds at most its capacity, the oldest entries dropped first, so
/// memory stays bounded whatever arrives. The payload carries no send time, so a delivery
/// replayed after the window has passed is not detected: choose a window longer than a captured
/// delivery is worth replaying (the default is a day).
///
/// ConnectWise repeats a delivery (with the same `MessageId`) when the receiver answered 404,
/// 409, 419 or 429. A receiver that answers one of those after the guard accepted the delivery
/// should call [`ReplayGuard::forget`], or the repeat is refused.
///
/// Time comes from an injected [`Clock`], so tests move it by hand.
///
/// Share one guard between every verifier of a receiver (it is `Clone`, and clones share the
/// set); [`CallbackVerifier::with_replay_guard`](super::CallbackVerifier::with_replay_guard)
/// checks it after the signature, so only genuine deliveries are remembered.
///
/// ```
/// use std::sync::Arc;
/// use std::time::{Duration, SystemTime};
/// use connectwise_manage::callbacks::{CallbackError, CallbackPayload, ReplayGuard};
/// use connectwise_manage::msp_common::ManualClock;
///
/// let clock = ManualClock::new(SystemTime::UNIX_EPOCH);
/// let guard = ReplayGuard::new(Duration::from_secs(3600), 10_000).with_clock(Arc::new(clock.clone()));
/// let body = br#"{"Action":"deleted","ID":7,"Type":"ticket","CompanyId":"acme","MemberId":"jdoe",
///     "FromUrl":"na.myconnectwise.net","Entity":null,"MessageId":"fbed4425-b1f3-425c-8bca-bb405891fc8e",
///     "Metadata":{"key_url":"https://na.myconnectwise.net/v2025_1//system/callbackkey/index.rails?id=1"}}"#;
/// let payload = CallbackPayload::from_slice(body)?;
/// guard.check(&payload, body)?;
/// assert!(matches!(guard.check(&payload, body), Err(CallbackError::Replayed { .. })));
/// # Ok::<(), CallbackError>(())
/// ```
#[derive(Clone)]
pub struct ReplayGuard {
    window: Duration,
    capacity: usize,
    clock: Arc<dyn Clock>,
    seen: Arc<Mutex<Seen>>,
}

impl fmt::Debug for ReplayGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReplayGuard")
            .field("window", &self.window)
            .field("capacity", &self.capacity)
            .field("remembered", &self.len())
            .finish_non_exhaustive()
    }
}

impl Default for ReplayGuard {
    fn default() -> Self {
        Self::new(Self::DEFAULT_WINDOW, Self::DEFAULT_CAPACITY)
    }
}

impl ReplayGuard {
    /// How long a delivery is remembered by default: one day.
    pub const DEFAULT_WINDOW: Duration = Duration::from_secs(24 * 60 * 60);

    /// How many deliveries are remembered at most by default (about 10 MB at the most).
    pub const DEFAULT_CAPACITY: usize = 100_000;

    /// A guard remembering deliveries for `window`, at most `capacity` of them, on the system
    /// clock. A capacity of zero remembers nothing (every delivery is accepted).
    pub fn new(window: Duration, capacity: usize) -> Self {
        Self {
            window,
            capacity,
            clock: Arc::new(SystemClock),
            seen: Arc::default(),
        }
    }

    /// Reads time from `clock` instead of the system clock.
    #[must_use]
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// How long a delivery is remembered.
    pub fn window(&self) -> Duration {
        self.window
    }

    /// The most deliveries remembered at once.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many deliveries are remembered now.
    pub fn len(&self) -> usize {
        self.seen().at.len()
    }

    /// `true` when no delivery is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Accepts a delivery not seen within the window and remembers it.
    ///
    /// `body` is the raw request body, used as the key when the payload has no `MessageId`.
    ///
    /// # Errors
    /// [`CallbackError::Replayed`] when the same delivery was accepted within the window.
    pub fn check(&self, payload: &CallbackPayload, body: &[u8]) -> Result<(), CallbackError> {
        let key = delivery_key(payload, body);
        let now = self.clock.monotonic();
        let mut seen = self.seen();
        seen.expire(now, self.window);
        if seen.at.contains_key(&key) {
            return Err(CallbackError::Replayed {
                message_id: payload.message_id.clone(),
            });
        }
        if self.capacity == 0 {
            return Ok(());
        }
        seen.at.insert(key.clone(), now);
        seen.order.push_back((now, key));
        while seen.at.len() > self.capacity {
            seen.drop_oldest();
        }
        Ok(())
    }

    /// Forgets a delivery, so that ConnectWise's repeat of it is accepted: call it when the
    /// receiver could not process a delivery the guard accepted and answers with a status
    /// ConnectWise retries (404, 409, 419, 429).
    pub fn forget(&self, payload: &CallbackPayload, body: &[u8]) {
        self.seen().at.remove(&delivery_key(payload, body));
    }

    fn seen(&self) -> MutexGuard<'_, Seen> {
        // Every update leaves the set consistent, so a poisoned lock is safe to keep using.
        self.seen.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// `MessageId` in lower case, or the body's digest when the payload has none.
fn delivery_key(payload: &CallbackPayload, body: &[u8]) -> String {
    match payload.message_id.as_deref().map(str::trim) {
        Some(id) if !id.is_empty() => format!("message:{}", id.to_ascii_lowercase()),
        _ => {
            let digest = Sha256::digest(body);
            let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
            format!("body:{hex}")
        }
    }
}

/// The remembered deliveries: when each was accepted, and the acceptance order.
#[derive(Debug, Default)]
struct Seen {
    at: HashMap<String, Duration>,
    /// Oldest first. May hold entries already forgotten; they are skipped when dropped.
    order: VecDeque<(Duration, String)>,
}

impl Seen {
    /// Drops the deliveries accepted `window` or longer ago.
    fn expire(&mut self, now: Duration, window: Duration) {
        while self
            .order
            .front()
            .is_some_and(|(at, _)| now.saturating_sub(*at) >= window)
        {
            self.drop_oldest();
        }
    }

    fn drop_oldest(&mut self) {
        if let Some((at, key)) = self.order.pop_front()
            && self.at.get(&key) == Some(&at)
        {
            self.at.remove(&key);
        }
    }
}
