//! Waiting, injected so tests record delays instead of sleeping through them.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::clock::ManualClock;

/// Waits for a duration.
#[async_trait::async_trait]
pub trait Sleep: Send + Sync + fmt::Debug + 'static {
    /// Returns after `duration` has passed (or, for test doubles, at once).
    async fn sleep(&self, duration: Duration);
}

/// Sleeps on the tokio timer.
#[derive(Clone, Copy, Debug, Default)]
pub struct TokioSleep;

#[async_trait::async_trait]
impl Sleep for TokioSleep {
    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }
}

/// Returns at once and records every requested delay; optionally moves a [`ManualClock`] forward
/// by each delay so that deadlines and rate budgets see time pass.
#[derive(Clone, Debug, Default)]
pub struct RecordingSleep {
    recorded: Arc<Mutex<Vec<Duration>>>,
    clock: Option<ManualClock>,
}

impl RecordingSleep {
    /// A sleeper that only records.
    pub fn new() -> Self {
        Self::default()
    }

    /// A sleeper that records and advances `clock` by each delay.
    pub fn advancing(clock: ManualClock) -> Self {
        Self {
            recorded: Arc::default(),
            clock: Some(clock),
        }
    }

    /// The delays requested so far, in order.
    pub fn recorded(&self) -> Vec<Duration> {
        self.recorded
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

#[async_trait::async_trait]
impl Sleep for RecordingSleep {
    async fn sleep(&self, duration: Duration) {
        self.recorded
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(duration);
        if let Some(clock) = &self.clock {
            clock.advance(duration);
        }
    }
}
