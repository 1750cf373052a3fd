//! Retrying failed attempts: the classification rules, the schedule, `Retry-After`, and the
//! [`Retrying`] transport decorator that runs the loop.

mod classify;
mod policy;
mod retry_after;
mod retrying;

pub use classify::{Attempt, Classify, RetryAction, RetryKind, default_action};
pub use policy::{Decision, Jitter, RetryPolicy, StopReason};
pub use retry_after::{parse_retry_after, retry_after};
pub use retrying::Retrying;
