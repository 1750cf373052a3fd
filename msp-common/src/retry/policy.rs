//! How many attempts, how long between them, and when to give up: a pure function of the attempt
//! number, the classifier's verdict and the time spent.

use std::time::Duration;

use crate::retry::classify::RetryAction;

/// Whether backoff delays are randomised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Jitter {
    /// "Full jitter": a uniform delay between zero and the exponential backoff, which spreads the
    /// retries of many clients hit by the same outage.
    Full,
    /// The exponential backoff itself, for reproducible schedules.
    None,
}

/// The retry schedule.
///
/// Start from a preset ([`RetryPolicy::interactive`], [`RetryPolicy::background`],
/// [`RetryPolicy::none`]) and adjust with the `with_` methods.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    deadline: Option<Duration>,
    jitter: Jitter,
}

/// What to do after an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Wait this long, then try again.
    Retry(Duration),
    /// Return the last outcome.
    Stop(StopReason),
}

/// Why the retry loop returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StopReason {
    /// The outcome is final (success, or an error not worth repeating).
    Final,
    /// The outcome was retryable but every allowed attempt has been made.
    AttemptsExhausted,
    /// Waiting again would pass the operation's deadline.
    DeadlineExceeded,
    /// The server asked for a longer wait than the policy accepts; the caller gets a rate-limited
    /// error carrying this delay instead of a long sleep.
    RetryAfterTooLong(Duration),
}

impl StopReason {
    /// `true` when a retryable outcome is being returned because a limit was reached.
    pub fn is_giving_up(self) -> bool {
        !matches!(self, StopReason::Final)
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::interactive()
    }
}

impl RetryPolicy {
    /// For a person waiting on the answer: 3 attempts, 100 ms initial backoff capped at 5 s,
    /// server delays of up to 10 s honoured, and [`RetryPolicy::INTERACTIVE_DEADLINE`] for the
    /// whole operation, attempts included: a server that accepts the connection and never answers
    /// costs 30 s, not three request timeouts.
    pub fn interactive() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(10),
            deadline: Some(Self::INTERACTIVE_DEADLINE),
            jitter: Jitter::Full,
        }
    }

    /// The overall deadline of [`RetryPolicy::interactive`]: 30 s.
    pub const INTERACTIVE_DEADLINE: Duration = Duration::from_secs(30);

    /// For unattended bulk jobs, and the default for the pages of a listing: 8 attempts, 500 ms
    /// initial backoff capped at 60 s, server delays of up to 2 minutes honoured, no overall
    /// deadline.
    pub fn background() -> Self {
        Self {
            max_attempts: 8,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(60),
            max_retry_after: Duration::from_secs(120),
            deadline: None,
            jitter: Jitter::Full,
        }
    }

    /// One attempt, never repeated, with no overall deadline.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            deadline: None,
            ..Self::interactive()
        }
    }

    /// Removes the overall deadline: attempts are bounded only by the transport's timeouts.
    pub fn without_deadline(mut self) -> Self {
        self.deadline = None;
        self
    }

    /// The total time budget of one operation, if any.
    pub fn deadline(&self) -> Option<Duration> {
        self.deadline
    }

    /// Sets the number of attempts, the first included (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the backoff before the first retry; it doubles for each later one.
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Caps the exponential backoff.
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The longest `Retry-After` honoured by sleeping; a longer one ends the call with a
    /// rate-limited error that carries the delay.
    pub fn with_max_retry_after(mut self, cap: Duration) -> Self {
        self.max_retry_after = cap;
        self
    }

    /// A total time budget for one operation, attempts and waits included: no retry starts a
    /// wait that would end past it, and each attempt is given only the time left (at least 1 s;
    /// see [`crate::AttemptTimeout`]).
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Sets whether backoff delays are randomised.
    pub fn with_jitter(mut self, jitter: Jitter) -> Self {
        self.jitter = jitter;
        self
    }

    /// The number of attempts, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The longest `Retry-After` honoured by sleeping.
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// The exponential backoff before retry number `attempt` (1-based), before jitter.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exponent = attempt.saturating_sub(1).min(31);
        self.initial_backoff
            .saturating_mul(1u32 << exponent)
            .min(self.max_backoff)
    }

    /// Decides what follows attempt number `attempt` (1-based).
    ///
    /// `elapsed` is the time spent on the operation so far; `jitter_sample` is a uniform number in
    /// `[0, 1)` that scales the backoff under [`Jitter::Full`]. A server's `Retry-After` is honoured
    /// exactly, without jitter, up to the cap.
    pub fn decide(
        &self,
        attempt: u32,
        action: &RetryAction,
        elapsed: Duration,
        jitter_sample: f64,
    ) -> Decision {
        let RetryAction::Retry { retry_after, .. } = action else {
            return Decision::Stop(StopReason::Final);
        };
        let delay = match retry_after {
            Some(asked) if *asked > self.max_retry_after => {
                return Decision::Stop(StopReason::RetryAfterTooLong(*asked));
            }
            Some(asked) => *asked,
            None => match self.jitter {
                Jitter::Full => self.backoff(attempt).mul_f64(jitter_sample.clamp(0.0, 1.0)),
                Jitter::None => self.backoff(attempt),
            },
        };
        if attempt >= self.max_attempts {
            return Decision::Stop(StopReason::AttemptsExhausted);
        }
        if let Some(deadline) = self.deadline
            && elapsed.saturating_add(delay) > deadline
        {
            return Decision::Stop(StopReason::DeadlineExceeded);
        }
        Decision::Retry(delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::retry::classify::RetryKind;

    const S: fn(u64) -> Duration = Duration::from_secs;
    const MS: fn(u64) -> Duration = Duration::from_millis;

    fn transient() -> RetryAction {
        RetryAction::Retry {
            kind: RetryKind::Transient,
            retry_after: None,
        }
    }

    fn throttled(secs: u64) -> RetryAction {
        RetryAction::Retry {
            kind: RetryKind::Throttled,
            retry_after: Some(S(secs)),
        }
    }

    #[test]
    fn exponential_backoff_is_capped() {
        let policy = RetryPolicy::background().with_jitter(Jitter::None);
        let delays: Vec<_> = (1..=9).map(|a| policy.backoff(a)).collect();
        assert_eq!(
            delays,
            [MS(500), S(1), S(2), S(4), S(8), S(16), S(32), S(60), S(60)]
        );
        assert_eq!(policy.backoff(u32::MAX), S(60));
    }

    #[test]
    fn decisions() {
        let policy = RetryPolicy::interactive();
        let cases: &[(u32, RetryAction, Duration, f64, Decision)] = &[
            (
                1,
                RetryAction::Stop,
                S(0),
                0.5,
                Decision::Stop(StopReason::Final),
            ),
            (1, transient(), S(0), 0.5, Decision::Retry(MS(50))),
            (2, transient(), S(0), 0.5, Decision::Retry(MS(100))),
            (2, transient(), S(0), 0.0, Decision::Retry(S(0))),
            (
                3,
                transient(),
                S(0),
                0.5,
                Decision::Stop(StopReason::AttemptsExhausted),
            ),
            (1, throttled(7), S(0), 0.9, Decision::Retry(S(7))),
            (1, throttled(10), S(0), 0.9, Decision::Retry(S(10))),
            (
                1,
                throttled(11),
                S(0),
                0.9,
                Decision::Stop(StopReason::RetryAfterTooLong(S(11))),
            ),
            (
                3,
                throttled(1),
                S(0),
                0.9,
                Decision::Stop(StopReason::AttemptsExhausted),
            ),
        ];
        for (attempt, action, elapsed, sample, expected) in cases {
            assert_eq!(
                policy.decide(*attempt, action, *elapsed, *sample),
                *expected,
                "attempt {attempt} action {action:?}"
            );
        }
    }

    #[test]
    fn deadline_counts_the_wait() {
        let policy = RetryPolicy::background().with_deadline(S(10));
        assert_eq!(
            policy.decide(1, &throttled(4), S(5), 0.0),
            Decision::Retry(S(4))
        );
        assert_eq!(
            policy.decide(1, &throttled(6), S(5), 0.0),
            Decision::Stop(StopReason::DeadlineExceeded)
        );
    }

    #[test]
    fn none_never_retries() {
        assert_eq!(
            RetryPolicy::none().decide(1, &throttled(1), S(0), 0.0),
            Decision::Stop(StopReason::AttemptsExhausted)
        );
        assert_eq!(RetryPolicy::none().with_max_attempts(0).max_attempts(), 1);
    }
}
