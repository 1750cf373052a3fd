//! Injected faults, configurable and reproducible: both servers run every request through
//! [`Faults`] (see [`crate::server`]), which decides from the seed and the request's position in
//! the arrival order, so the same options and the same request sequence give the same faults.
//!
//! - a rate limit per client key (Manage: the `clientId`; ScreenConnect: the extension's
//!   secret), counted with a token bucket or a sliding window, answered `429` with
//!   `Retry-After` in seconds or as an HTTP date;
//! - a share of `500`/`502`/`503` answers, some of them a proxy's HTML page instead of the API's
//!   error body;
//! - added latency (on tokio's clock, so tests with paused time do not wait);
//! - connections dropped before the request is processed;
//! - connections dropped after a write was processed (the record exists, the client gets no
//!   answer);
//! - response bodies cut short.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use tokio::time::Instant;

use crate::seed::pick;

/// What faults to inject. The default injects none.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct FaultOptions {
    /// The seed the random draws derive from.
    pub seed: u64,
    /// A rate limit per client key.
    pub rate_limit: Option<RateLimit>,
    /// The share (0 to 1) of requests answered with a server error without being processed.
    pub server_errors: f64,
    /// The statuses those answers draw from; empty means 500, 502 and 503.
    pub server_error_statuses: Vec<u16>,
    /// Latency added before every request is processed.
    pub latency: Option<Latency>,
    /// The share of connections dropped before the request is processed.
    pub drop_before: f64,
    /// The share of processed writes whose connection is dropped instead of answered.
    pub drop_after_write: f64,
    /// The share of responses whose body is cut short.
    pub truncate: f64,
}

impl FaultOptions {
    /// Every fault at once, as the fault soak tests run: a rate limit that answers about 5 % of
    /// requests `429` with `retry_after` (a bucket of 20 refilled at 20 per second, so one
    /// request in 21 when the client waits out each 1 s `Retry-After` and is otherwise faster
    /// than the budget, as on paused time), 2 % `503`, 1 % connections dropped before
    /// processing, 1 % bodies cut short and 1 % of writes processed with their answer dropped.
    pub fn soak_mix(seed: u64, retry_after: RetryAfterForm) -> FaultOptions {
        FaultOptions {
            seed,
            rate_limit: Some(RateLimit {
                accounting: Accounting::TokenBucket {
                    capacity: 20,
                    per_second: 20.0,
                },
                retry_after,
            }),
            server_errors: 0.02,
            server_error_statuses: vec![503],
            drop_before: 0.01,
            drop_after_write: 0.01,
            truncate: 0.01,
            latency: None,
        }
    }

    /// Whether any fault is configured.
    pub fn is_active(&self) -> bool {
        self.rate_limit.is_some()
            || self.latency.is_some()
            || self.server_errors > 0.0
            || self.drop_before > 0.0
            || self.drop_after_write > 0.0
            || self.truncate > 0.0
    }
}

/// A rate limit per client key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RateLimit {
    /// How requests are counted.
    pub accounting: Accounting,
    /// How `Retry-After` is written.
    pub retry_after: RetryAfterForm,
}

/// How a rate limit counts requests.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Accounting {
    /// A bucket of `capacity` tokens refilled at `per_second`; each request takes one.
    TokenBucket {
        /// The burst size.
        capacity: u32,
        /// Tokens added per second.
        per_second: f64,
    },
    /// At most `limit` requests in any `window`.
    SlidingWindow {
        /// Requests allowed per window.
        limit: u32,
        /// The window's length.
        window: Duration,
    },
}

/// How `Retry-After` is written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RetryAfterForm {
    /// Whole seconds (`Retry-After: 3`), as the Manage API sends.
    #[default]
    Seconds,
    /// An HTTP date (`Retry-After: Tue, 01 Dec 2026 19:30:00 GMT`).
    HttpDate,
}

/// Latency drawn uniformly between `min` and `max`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Latency {
    /// The least added delay.
    pub min: Duration,
    /// The most added delay.
    pub max: Duration,
}

/// What to do with a request before processing it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Before {
    /// Process it, after `delay`.
    Proceed {
        /// Added latency (zero when none).
        delay: Duration,
    },
    /// Close the connection without processing or answering.
    Drop,
    /// Answer `429`.
    Throttle {
        /// How long the client should wait.
        wait: Duration,
        /// The `Retry-After` value.
        retry_after: String,
    },
    /// Answer with a server error without processing.
    ServerError {
        /// 500, 502 or 503.
        status: u16,
        /// Whether to answer with a proxy's HTML page instead of the API's error body.
        html: bool,
    },
}

/// What to do with a response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum After {
    /// Send it.
    Deliver,
    /// Close the connection instead of answering (only after a processed write).
    Drop,
    /// Send the headers and the first `keep` bytes of the body, then close the connection.
    Truncate {
        /// Bytes of the body sent.
        keep: usize,
    },
}

/// The fault decisions of one server.
#[derive(Debug)]
pub struct Faults {
    options: FaultOptions,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    draws: u64,
    limiters: HashMap<String, Limiter>,
}

#[derive(Debug)]
enum Limiter {
    Bucket { tokens: f64, at: Instant },
    Window { hits: VecDeque<Instant> },
}

impl Faults {
    /// Decisions for `options`.
    pub fn new(options: FaultOptions) -> Faults {
        Faults {
            options,
            state: Mutex::new(State::default()),
        }
    }

    /// The options.
    pub fn options(&self) -> &FaultOptions {
        &self.options
    }

    /// Decides about a request from client `key` (no rate limit without one). Returns the
    /// decision and the request's draw number, which [`Faults::after`] takes.
    pub fn before(&self, key: Option<&str>) -> (Before, u64) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let draw = state.draws;
        state.draws += 1;
        let chance =
            |stream: &str, share: f64| share > 0.0 && unit(self.options.seed, stream, draw) < share;
        if chance("drop_before", self.options.drop_before) {
            return (Before::Drop, draw);
        }
        if let (Some(limit), Some(key)) = (&self.options.rate_limit, key)
            && let Some(wait) = state.admit(key, &limit.accounting, Instant::now())
        {
            let retry_after = retry_after(wait, limit.retry_after);
            return (Before::Throttle { wait, retry_after }, draw);
        }
        if chance("server_error", self.options.server_errors) {
            let statuses: &[u16] = match self.options.server_error_statuses.as_slice() {
                [] => &[500, 502, 503],
                chosen => chosen,
            };
            let status =
                statuses[pick(self.options.seed, "status", draw, statuses.len() as u64) as usize];
            let html = pick(self.options.seed, "html", draw, 3) == 0 || status == 502;
            return (Before::ServerError { status, html }, draw);
        }
        let delay = match self.options.latency {
            Some(Latency { min, max }) if max > min => {
                let span = (max - min).as_micros() as u64;
                min + Duration::from_micros(pick(self.options.seed, "latency", draw, span + 1))
            }
            Some(Latency { min, .. }) => min,
            None => Duration::ZERO,
        };
        (Before::Proceed { delay }, draw)
    }

    /// Decides about the response to request `draw` (from [`Faults::before`]): `write_applied`
    /// says whether the request changed data, `body_len` how long the body is.
    pub fn after(&self, draw: u64, write_applied: bool, body_len: usize) -> After {
        let seed = self.options.seed;
        let chance = |stream: &str, share: f64| share > 0.0 && unit(seed, stream, draw) < share;
        if write_applied && chance("drop_after_write", self.options.drop_after_write) {
            return After::Drop;
        }
        if body_len > 1 && chance("truncate", self.options.truncate) {
            let keep = pick(seed, "truncate_at", draw, body_len as u64 - 1) as usize + 1;
            return After::Truncate {
                keep: keep.min(body_len - 1),
            };
        }
        After::Deliver
    }
}

impl State {
    /// Counts a request of `key`; `Some(wait)` when it is over the limit.
    fn admit(&mut self, key: &str, accounting: &Accounting, now: Instant) -> Option<Duration> {
        let limiter = self
            .limiters
            .entry(key.to_owned())
            .or_insert_with(|| match accounting {
                Accounting::TokenBucket { capacity, .. } => Limiter::Bucket {
                    tokens: f64::from(*capacity),
                    at: now,
                },
                Accounting::SlidingWindow { .. } => Limiter::Window {
                    hits: VecDeque::new(),
                },
            });
        match (limiter, accounting) {
            (
                Limiter::Bucket { tokens, at },
                Accounting::TokenBucket {
                    capacity,
                    per_second,
                },
            ) => {
                let elapsed = now.saturating_duration_since(*at).as_secs_f64();
                *tokens = (*tokens + elapsed * per_second).min(f64::from(*capacity));
                *at = now;
                if *tokens >= 1.0 {
                    *tokens -= 1.0;
                    None
                } else if *per_second > 0.0 {
                    Some(Duration::from_secs_f64((1.0 - *tokens) / per_second))
                } else {
                    Some(Duration::from_secs(3600))
                }
            }
            (Limiter::Window { hits }, Accounting::SlidingWindow { limit, window }) => {
                while hits
                    .front()
                    .is_some_and(|hit| now.saturating_duration_since(*hit) >= *window)
                {
                    hits.pop_front();
                }
                if hits.len() < *limit as usize {
                    hits.push_back(now);
                    None
                } else {
                    let oldest = hits.front().copied().unwrap_or(now);
                    Some((oldest + *window).saturating_duration_since(now))
                }
            }
            // The accounting of a key never changes: the options are fixed for the server's life.
            _ => None,
        }
    }
}

/// `Retry-After` for `wait`, rounded up to whole seconds (at least 1).
pub fn retry_after(wait: Duration, form: RetryAfterForm) -> String {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let seconds = seconds.max(1);
    match form {
        RetryAfterForm::Seconds => seconds.to_string(),
        RetryAfterForm::HttpDate => {
            // An HTTP date has whole seconds: round the moment up, or a client waiting until the
            // date comes back a fraction of a second too early and is throttled again.
            let at = SystemTime::now() + Duration::from_secs(seconds);
            let fraction = at
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(0, |since| since.subsec_nanos());
            let at = if fraction > 0 {
                at + Duration::from_nanos(u64::from(1_000_000_000 - fraction))
            } else {
                at
            };
            httpdate::fmt_http_date(at)
        }
    }
}

/// A uniform draw in `[0, 1)`.
fn unit(seed: u64, stream: &str, draw: u64) -> f64 {
    pick(seed, stream, draw, 1 << 53) as f64 / (1u64 << 53) as f64
}

/// A proxy's error page, as a load balancer in front of the API answers.
pub fn proxy_page(status: u16) -> String {
    let reason = match status {
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    };
    format!(
        "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n<center><h1>{status} \
         {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limited(accounting: Accounting) -> Faults {
        Faults::new(FaultOptions {
            rate_limit: Some(RateLimit {
                accounting,
                retry_after: RetryAfterForm::Seconds,
            }),
            ..FaultOptions::default()
        })
    }

    fn throttled(faults: &Faults, key: &str) -> Option<String> {
        match faults.before(Some(key)).0 {
            Before::Throttle { retry_after, .. } => Some(retry_after),
            _ => None,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn token_bucket_refills_over_time() {
        let faults = limited(Accounting::TokenBucket {
            capacity: 2,
            per_second: 0.5,
        });
        assert_eq!(throttled(&faults, "a"), None);
        assert_eq!(throttled(&faults, "a"), None);
        assert_eq!(throttled(&faults, "a").as_deref(), Some("2"));
        // Another key has its own bucket.
        assert_eq!(throttled(&faults, "b"), None);
        tokio::time::advance(Duration::from_secs(2)).await;
        assert_eq!(throttled(&faults, "a"), None);
        assert!(throttled(&faults, "a").is_some());
    }

    #[tokio::test(start_paused = true)]
    async fn sliding_window_forgets_old_hits() {
        let faults = limited(Accounting::SlidingWindow {
            limit: 2,
            window: Duration::from_secs(10),
        });
        assert_eq!(throttled(&faults, "a"), None);
        tokio::time::advance(Duration::from_secs(4)).await;
        assert_eq!(throttled(&faults, "a"), None);
        assert_eq!(throttled(&faults, "a").as_deref(), Some("6"));
        tokio::time::advance(Duration::from_secs(6)).await;
        assert_eq!(throttled(&faults, "a"), None);
    }

    #[test]
    fn http_date_form_parses() {
        let text = retry_after(Duration::from_millis(1500), RetryAfterForm::HttpDate);
        let when = httpdate::parse_http_date(&text).expect("an HTTP date");
        // Rounded up to 2 s, and the date itself rounded up to a whole second.
        assert!(when >= SystemTime::now() + Duration::from_millis(1900));
    }

    #[test]
    fn the_same_seed_gives_the_same_faults() {
        let options = FaultOptions {
            seed: 42,
            server_errors: 0.3,
            drop_before: 0.1,
            truncate: 0.2,
            ..FaultOptions::default()
        };
        let run = |faults: Faults| {
            (0..200)
                .map(|_| {
                    let (before, draw) = faults.before(None);
                    (before, faults.after(draw, false, 100))
                })
                .collect::<Vec<_>>()
        };
        let first = run(Faults::new(options.clone()));
        assert_eq!(first, run(Faults::new(options)));
        let errors = first
            .iter()
            .filter(|(before, _)| matches!(before, Before::ServerError { .. }))
            .count();
        assert!((30..90).contains(&errors), "{errors} server errors of 200");
        assert!(first.iter().any(|(before, _)| *before == Before::Drop));
        assert!(
            first
                .iter()
                .any(|(_, after)| matches!(after, After::Truncate { keep } if *keep < 100))
        );
    }
}
