//! A typed async client for the ConnectWise Manage (PSA) REST API v3.0.
//!
//! # Quickstart
//!
//! ```no_run
//! use connectwise_manage::models::ServiceNote;
//! use connectwise_manage::query::{Condition, OrderBy};
//! use connectwise_manage::{Client, ListQuery, patch::Patch};
//! use futures::TryStreamExt;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! // CW_SITE, CW_COMPANY, CW_PUBLIC_KEY, CW_PRIVATE_KEY, CW_CLIENT_ID (and CW_API_VERSION).
//! let client = Client::from_env()?;
//!
//! // Every open ticket on the Help Desk board, newest first, following every page.
//! let tickets = client.service().tickets();
//! let query = ListQuery::new()
//!     .conditions(Condition::eq("board/name", "Help Desk")? & Condition::eq("closedFlag", false)?)
//!     .order_by(OrderBy::desc("lastUpdated")?);
//! let mut stream = tickets.stream(&query);
//! while let Some(ticket) = stream.try_next().await? {
//!     println!("#{:?} {:?}", ticket.id, ticket.summary);
//! }
//!
//! // Move one ticket to another status (the whole reference object is replaced) and note why.
//! let ticket = tickets.id(1234);
//! ticket.patch(&Patch::new().status_id(5)).await?;
//! let note = ServiceNote {
//!     text: Some("Waiting on the customer".into()),
//!     internal_analysis_flag: Some(true),
//!     ..Default::default()
//! };
//! ticket.notes().create(&note).await?;
//!
//! // Any path, typed or as plain JSON.
//! let agreements = client.endpoint::<serde_json::Value>("/finance/agreements");
//! println!("{} agreements", agreements.count(&ListQuery::new()).await?);
//! # Ok(())
//! # }
//! ```
//!
//! # What the client takes care of
//!
//! - **Connecting.** The site may be a cloud host (`na.myconnectwise.net` is corrected to
//!   `api-na.myconnectwise.net`), an on-premise host or a full base URL. The codebase is discovered
//!   through `/login/companyinfo/{company}`, cached, and discovered again when a release moves it.
//!   Every request carries `Authorization`, `clientId` (both marked sensitive) and an `Accept`
//!   header that pins the model version ([`DEFAULT_API_VERSION`], overridable per endpoint).
//! - **Typed accessors and models.** [`api`] has a handle for every path and a method for every
//!   operation of the API (`client.service().tickets().id(42).notes()`), and [`models`] a struct
//!   for every schema, generated from the API's OpenAPI description. Tickets and their notes,
//!   companies, contacts, configurations, time entries, callbacks, members, boards, priorities and
//!   system info are always compiled; every other area is one cargo feature (`finance`,
//!   `procurement`, …, or `full`). [`Client::endpoint`] reaches any path with any model,
//!   `serde_json::Value` included.
//! - **Queries.** [`query::Condition`] builds and parses `conditions`, `childConditions` and
//!   `customFieldConditions`; [`ListQuery`] adds `orderBy`, `fields` and paging. An `in (…)` list
//!   too long for one URL is split into several requests whose results are merged.
//! - **Paging.** [`Endpoint::stream`] follows `Link` headers (default page size 1,000), fetching
//!   pages ahead once the page count is known; [`Paging::ForwardOnly`] uses keyset paging.
//! - **Writes.** [`patch::Patch`] builds JSON Patch documents the way ConnectWise wants them and
//!   refuses sub-paths of reference objects, which the server can acknowledge without applying.
//! - **Retries.** Reads are retried on gateway errors and timeouts; creates and patches only when
//!   the server certainly did not act (429, a refused connection). `Retry-After` is honoured.
//! - **Impersonation.** [`Client::impersonate`] acts as another member with renewed tokens.
//! - **Callbacks.** [`callbacks::CallbackVerifier`] checks `x-content-signature` on incoming
//!   callbacks, fetching keys only from the tenant's own hosts.
//! - **Testing.** With the `sandbox` feature (for `[dev-dependencies]`), [`sandbox::Sandbox`]
//!   starts a local Manage server with seeded data and faults on demand, and hands out a client.
//! - **Errors.** One [`Error`] type, shared with `screenconnect-api`, keeps the status, the API's
//!   code and message, field-level validation errors, the request id and a snippet of the body.
//!
//! # Compile time
//!
//! The typed accessors ([`api`]) and models ([`models`]) of the areas outside the typed core sit
//! behind one cargo feature per area (`full` for all). Measured on the 2-core build machine
//! (rustc 1.95, debug profile), a clean `cargo build` of a small binary that depends on this crate
//! and lists tickets through `client.service().tickets()`:
//!
//! | features | whole build | of which `connectwise-manage` | peak memory |
//! |---|---|---|---|
//! | default (typed core only) | 91 s | 14 s | under 1 GB |
//! | `full` (every area) | 186 s | 119 s | 3.7 GB |
//!
//! The rest is the dependencies (about 40 s of it the `aws-lc-sys` build script behind rustls).
//! The binary's manifest and the commands, each run in an empty target directory:
//!
//! ```toml
//! [dependencies]
//! connectwise-manage = { path = "…/connectwise-manage" }
//! tokio = { version = "1.45", features = ["macros", "rt-multi-thread"] }
//!
//! [features]
//! full = ["connectwise-manage/full"]
//! ```
//!
//! ```sh
//! rm -rf target && cargo build --timings                  # default features
//! rm -rf target && cargo build --timings --features full  # every area
//! ```

/// The shared transport, retry and error crate, re-exported.
pub use msp_common;

pub mod api;
pub mod callbacks;
mod client;
mod codebase;
mod company_info;
mod config;
mod endpoint;
mod error;
mod impersonation;
mod list_query;
pub mod models;
pub mod patch;
pub mod query;
mod request;
#[cfg(feature = "sandbox")]
pub mod sandbox;
mod site;

pub use client::Client;
pub use codebase::{CodebaseMode, DEFAULT_CODEBASE};
pub use company_info::CompanyInfo;
pub use config::{ClientBuilder, DEFAULT_API_VERSION, ENV_VARS};
pub use endpoint::Endpoint;
pub use error::ManageErrorDecoder;
pub use impersonation::{LIFETIME_WITHOUT_EXPIRATION, RENEW_BEFORE_EXPIRY};
pub use list_query::{ListQuery, MAX_PAGE_SIZE, Paging};
pub use msp_common::{
    ApiError, ApiErrorKind, Error, FieldError, Page, RateLimit, RetryPolicy, SecretString,
};
pub use request::{ApiRequest, Credentials, accept_header, operation_name};
pub use site::Site;
