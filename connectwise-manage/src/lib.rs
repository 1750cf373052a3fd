//! A typed async client for the ConnectWise Manage (PSA) REST API v3.0.
//!
//! # Quickstart
//!
//! ```no_run
//! use connectwise_manage::models::ServiceNote;
//! use connectwise_manage::query::{Condition, OrderBy};
//! use connectwise_manage::{Client, Error, ListQuery, patch::Patch};
//! use futures::TryStreamExt;
//!
//! # async fn run() -> Result<(), Error> {
//! // CW_SITE, CW_COMPANY, CW_PUBLIC_KEY, CW_PRIVATE_KEY, CW_CLIENT_ID (and CW_API_VERSION).
//! let client = Client::from_env()?;
//!
//! // Every open ticket on the Help Desk board, most recently updated first, every page.
//! // Building conditions and orders can fail (`QueryError`); `?` turns that into an `Error`.
//! let tickets = client.service().tickets();
//! let open = ListQuery::new()
//!     .conditions(Condition::eq("board/name", "Help Desk")? & Condition::eq("closedFlag", false)?)
//!     .order_by(OrderBy::desc("lastUpdated")?);
//! let mut stream = tickets.list(&open).by_item();
//! while let Some(ticket) = stream.try_next().await? {
//!     println!("#{:?} {:?}", ticket.id, ticket.summary);
//! }
//!
//! // Awaiting a listing gives its first page: here the oldest open ticket.
//! let oldest = tickets.list(&open).order_by(OrderBy::asc("id")?).page_size(1).await?;
//! if let Some(id) = oldest.first().and_then(|ticket| ticket.id) {
//!     // Ids are `i32` everywhere (models, handles, patches): no casts.
//!     let ticket = tickets.id(id);
//!     // A patch path can be refused (`PatchError`); `?` again.
//!     let change = Patch::new().status_id(5).replace("summary", "Waiting on the customer")?;
//!     ticket.patch(&change).await?;
//!     let note = ServiceNote {
//!         text: Some("Waiting on the customer".into()),
//!         internal_analysis_flag: Some(true),
//!         ..Default::default()
//!     };
//!     ticket.notes().create(&note).await?;
//! }
//!
//! // Every call is a value: what it would send can be checked with no server.
//! let request = tickets.id(42).patch(&Patch::new().priority_id(8)).into_request()?;
//! assert_eq!(request.path(), "/service/tickets/42");
//!
//! // Any path, typed or as plain JSON.
//! let agreements = client.endpoint::<serde_json::Value>("/finance/agreements");
//! println!("{} agreements", agreements.count(&ListQuery::new()).await?);
//! # Ok(())
//! # }
//! ```
//!
//! # Calls and listings
//!
//! Every operation, typed or through [`Client::endpoint`], returns a value and sends nothing
//! until it is used:
//!
//! - a [`Call<T>`] is awaited (`ticket.get().await?`); [`Call::request`] shows the request it
//!   would send (method, path, query, headers without credentials, body, the spec's
//!   `operationId`, route template and idempotency);
//! - a [`List<T>`] is awaited for its first page, or read with [`List::by_item`],
//!   [`List::by_page`] or [`List::all`], which follow every page. Per-call options (page size,
//!   conditions, ordering, fields, paging mode, prefetch and its byte budget, page cap, model
//!   version) are methods on it. Prefetching keeps memory bounded whatever its window: the
//!   pages ahead stay within [`List::prefetch_bytes`], and only one per worker thread but one
//!   is decoded before it is asked for.
//!
//! Both run on two non-generic engine functions, [`Client::execute`] and [`Client::paginate`];
//! only decoding the answer into the model is generic, and each page is decoded once.
//!
//! # How models evolve
//!
//! The models are generated from the ConnectWise spec, with every field public and optional and
//! unknown fields kept in `extra`. When a new spec adds fields, the regenerated models gain
//! fields, which is a breaking change for code that builds a model with a struct literal and no
//! `..Default::default()`: the crate's minor version goes up with every spec update (while it is
//! below 1.0) and the changelog lists the spec version. Build models with
//! `..Default::default()` and match on open enums with a wildcard arm, and a spec update does not
//! break your code. A field the spec drops is kept by the server's answer in `extra` until the
//! next minor version removes it from the struct.
//!
//! # What the client takes care of
//!
//! - **Connecting.** The site may be a cloud host (`na.myconnectwise.net` is corrected to
//!   `api-na.myconnectwise.net`), an on-premise host or a full base URL. The codebase is discovered
//!   through `/login/companyinfo/{company}`, cached, and discovered again when a release moves it.
//!   Every request carries `Authorization`, `clientId` (both marked sensitive) and an `Accept`
//!   header that pins the model version ([`DEFAULT_API_VERSION`], overridable per call with
//!   `.api_version(…)`).
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
//! - **Paging.** [`List::by_item`] follows `Link` headers (default page size 1,000), fetching
//!   pages ahead once the page count is known; [`Paging::ForwardOnly`] uses keyset paging. A link
//!   to another host, a link back to a page already read, and a walk past the page cap
//!   ([`ClientBuilder::max_pages`], [`List::max_pages`]) end the listing with an error before any
//!   record is handed out twice.
//! - **Writes.** [`patch::Patch`] builds JSON Patch documents the way ConnectWise wants them and
//!   refuses sub-paths of reference objects, which the server can acknowledge without applying.
//!   Prefer `PATCH`; for a whole-record `PUT`, read the record as a [`Snapshot`], which writes
//!   fields read as `null` back as `null` instead of letting the server reset them.
//! - **Retries.** Reads are retried on gateway errors and timeouts; creates and patches only when
//!   the server certainly did not act (429, a refused connection). `Retry-After` is honoured up
//!   to a cap: 10 s for single calls (which also give up after 30 s in all, for a person
//!   waiting), 2 minutes for each page of a listing, so a long `list(…).by_item()` rides out throttling;
//!   a longer wait ends the call with [`Error::RateLimited`]
//!   carrying the delay. [`ClientBuilder::retry_policy`] and
//!   [`ClientBuilder::bulk_retry_policy`] change either.
//! - **Impersonation.** [`Client::impersonate`] acts as another member with renewed tokens.
//! - **Callbacks.** [`callbacks::CallbackVerifier`] checks `x-content-signature` on incoming
//!   callbacks, fetching keys only from the tenant's own hosts.
// The sandbox exists only with its feature: the link is there only when it resolves.
#![cfg_attr(
    feature = "sandbox",
    doc = "- **Testing.** With the `sandbox` feature (for `[dev-dependencies]`), [`sandbox::Sandbox`]\n  starts a local Manage server with seeded data and faults on demand, and hands out a client."
)]
#![cfg_attr(
    not(feature = "sandbox"),
    doc = "- **Testing.** With the `sandbox` feature (for `[dev-dependencies]`), `sandbox::Sandbox`\n  starts a local Manage server with seeded data and faults on demand, and hands out a client."
)]
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
//! | features | whole build, CPU (user + system) | whole build, wall | peak memory | CPU vs before the request values |
//! |---|---|---|---|---|
//! | default (typed core only) | 248 s | 91 s idle (766 s shared) | 0.7 GB | 1.08 × |
//! | `full` (every area) | 429 s | 186 s idle (1,660 s shared) | 3.2 GB | 0.89 × |
//!
//! Last measured on 2026-12-01, with the commit before the typed request values (`8a7324c`)
//! built in the same session, interleaved (old default, new default, new `full`, old `full`),
//! with the same dependency versions: 229 s and 479 s of CPU (3.6 GB for `full`). The machine
//! was shared (a load average of 5 to 12 on its 2 cores), so wall-clock times of that session
//! are several times the idle figures and vary with the load; CPU time is the comparable
//! figure, and the idle wall-clock times are those of the earlier measurement. Peak memory is
//! the largest single process (`rustc` on this crate for `full`).
//!
//! Most of a default build is the dependencies, the `aws-lc-sys` build script behind rustls the
//! largest part.
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
//! rm -rf target && /usr/bin/time -v cargo build --timings                  # default features
//! rm -rf target && /usr/bin/time -v cargo build --timings --features full  # every area
//! ```

// docs.rs builds with `--cfg docsrs`: every feature-gated item gets its "Available on crate
// feature …" badge (nightly's `doc_cfg`, which now derives the badges from `#[cfg]`).
#![cfg_attr(docsrs, feature(doc_cfg))]

/// The shared transport, retry and error crate, re-exported.
pub use msp_common;

/// The README's Rust snippets, compiled as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;

pub mod api;
mod call;
pub mod callbacks;
mod client;
mod codebase;
mod config;
mod endpoint;
mod error;
mod impersonation;
mod list;
mod list_query;
pub mod models;
pub mod patch;
pub mod query;
mod request;
#[cfg(feature = "sandbox")]
pub mod sandbox;
mod site;
pub mod snapshot;
mod tenant_info;

pub use call::{ApiFuture, Call};
pub use client::Client;
pub use codebase::{CodebaseMode, DEFAULT_CODEBASE};
pub use config::{ClientBuilder, DEFAULT_API_VERSION, ENV_VARS};
pub use endpoint::Endpoint;
pub use error::ManageErrorDecoder;
pub use impersonation::{LIFETIME_WITHOUT_EXPIRATION, RENEW_BEFORE_EXPIRY};
pub use list::{ApiStream, List, PageOptions};
pub use list_query::{ListQuery, MAX_PAGE_SIZE, Paging};
pub use msp_common::{
    ApiError, ApiErrorKind, DEFAULT_MAX_PAGES, DecodedPage, Error, FieldError, Page, PageDecoder,
    PaginationError, RateLimit, RawPage, Records, RetryPolicy, SecretString,
};
pub use request::{Credentials, Request, accept_header, operation_name};
pub use site::Site;
pub use snapshot::Snapshot;
pub use tenant_info::TenantInfo;
