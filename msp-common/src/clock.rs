//! Time as the retry, rate-limit and pagination code see it, injected so tests never wait.

use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

/// A source of wall-clock and monotonic time.
pub trait Clock: Send + Sync + fmt::Debug + 'static {
    /// Wall-clock time, used to turn an HTTP-date `Retry-After` into a delay.
    fn now(&self) -> SystemTime;
    /// Monotonic time since an arbitrary fixed origin, used for deadlines and rate budgets.
    fn monotonic(&self) -> Duration;
}

/// The system clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    fn monotonic(&self) -> Duration {
        static ORIGIN: OnceLock<Instant> = OnceLock::new();
        ORIGIN.get_or_init(Instant::now).elapsed()
    }
}

/// A clock that moves only when told to; pair it with [`crate::RecordingSleep::advancing`] so
/// that every recorded sleep moves time forward.
#[derive(Clone, Debug)]
pub struct ManualClock {
    state: Arc<Mutex<(SystemTime, Duration)>>,
}

impl ManualClock {
    /// A clock standing at `start`.
    pub fn new(start: SystemTime) -> Self {
        Self {
            state: Arc::new(Mutex::new((start, Duration::ZERO))),
        }
    }

    /// Moves both the wall clock and the monotonic clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.0 += by;
        state.1 += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).0
    }

    fn monotonic(&self) -> Duration {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).1
    }
}
