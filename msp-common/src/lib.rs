//! What the MSP automation clients share: an async [`Transport`] with retry and `Retry-After`
//! handling, an optional client-side rate budget, `Link`-header pagination, one [`Error`] type,
//! credential handling and tracing. It knows nothing about either API.
//!
//! Most users meet this crate through `connectwise-manage` and `screenconnect-api`, which re-export
//! it. Using it directly looks like this:
//!
//! ```no_run
//! use bytes::Bytes;
//! use msp_common::{Executor, Operation, RetryPolicy};
//!
//! # async fn run() -> Result<(), msp_common::Error> {
//! let executor = Executor::builder()
//!     .retry_policy(RetryPolicy::background())
//!     .build()?;
//! let request = http::Request::get("https://example.com/api/things")
//!     .body(Bytes::new())
//!     .expect("a valid request");
//! let request = Operation::safe("listThings", "/api/things").attach(request);
//! let things: Vec<serde_json::Value> = executor.send_json(request).await?;
//! println!("{} things", things.len());
//! # Ok(())
//! # }
//! ```
//!
//! # Retry rules
//!
//! Each request carries an [`Operation`] saying whether it is safe to repeat; the HTTP method is
//! never used to guess (ScreenConnect sends reads as `POST`). See [`retry::default_action`] for the
//! table of what is retried, and [`RetryPolicy`] for the schedule.
//!
//! # Secrets
//!
//! Credentials are [`SecretString`]s and travel in header values marked sensitive. Traces record
//! the operation name and route template, never the URL or headers.

// docs.rs builds with `--cfg docsrs`: every feature-gated item gets its "Available on crate
// feature …" badge (nightly's `doc_cfg`, which now derives the badges from `#[cfg]`).
#![cfg_attr(docsrs, feature(doc_cfg))]

mod clock;
mod decode;
mod error;
mod executor;
pub mod link;
mod operation;
pub mod origin;
mod pagination;
mod rate_limit;
mod reqwest_transport;
pub mod retry;
pub mod secret;
mod sleep;
#[cfg(feature = "test-util")]
pub mod testing;
pub mod trace;
mod transport;

pub use clock::{Clock, ManualClock, SystemClock};
pub use decode::{
    ErrorDecoder, GenericErrorDecoder, apply_json_body, decode_body, decode_json, decode_records,
    error_from_response,
};
pub use error::{
    ApiError, ApiErrorKind, ConfigError, DecodeError, DisplayDuration, Error, FieldError,
    PaginationError, snippet,
};
pub use executor::{Executor, ExecutorBuilder};
pub use link::Links;
pub use operation::{Idempotency, Operation};
pub use pagination::{
    DEFAULT_MAX_PAGES, DEFAULT_PREFETCH_BYTES, DecodedPage, FetchPage, Page, PageDecoder,
    Paginator, RawPage, Records, items_of,
};
pub use rate_limit::{RateLimit, RateLimited};
pub use reqwest_transport::{ReqwestConfig, ReqwestTransport};
pub use retry::{RetryPolicy, Retrying};
pub use secret::{ExposeSecret, SecretString};
pub use sleep::{RecordingSleep, Sleep, TokioSleep};
pub use transport::{AttemptTimeout, BoxError, ParsedUrl, Transport, TransportError};

/// Re-exports so that dependents build requests with the same versions.
pub use bytes;
pub use http;
pub use url;
