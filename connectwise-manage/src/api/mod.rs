//! Typed accessors for every operation of the ConnectWise Manage REST API, generated from its
//! OpenAPI spec (2025.1) and the errata overlay.
//!
//! The accessors read like the API's own paths. Each path is a handle, each operation a method:
//!
//! ```no_run
//! use connectwise_manage::models::ServiceNote;
//! use connectwise_manage::query::Condition;
//! use connectwise_manage::{Client, ListQuery, patch::Patch};
//! use futures::TryStreamExt;
//!
//! # async fn run(client: Client) -> Result<(), connectwise_manage::Error> {
//! let tickets = client.service().tickets(); //               /service/tickets
//! let open = ListQuery::new().conditions(Condition::eq("closedFlag", false)?);
//! println!("{} open tickets", tickets.count(&open).await?); // GET  …/count
//! let mut stream = tickets.list(&open).by_item(); //           GET, page after page
//! while let Some(ticket) = stream.try_next().await? {
//!     println!("#{:?} {:?}", ticket.id, ticket.summary);
//! }
//!
//! let ticket = tickets.id(42); //                             /service/tickets/42
//! let current = ticket.get().await?;
//! ticket.patch(&Patch::new().status_id(5)).await?; //          PATCH
//! let note = ServiceNote {
//!     text: Some("Called the customer back".into()),
//!     internal_analysis_flag: Some(true),
//!     ..Default::default()
//! };
//! ticket.notes().create(&note).await?; //                     POST /service/tickets/42/notes
//!
//! let info = client.system().info().get().await?; //          GET  /system/info
//! println!("{:?} on {:?}", current.summary, info.version);
//! # Ok(())
//! # }
//! ```
//!
//! # Handles
//!
//! A handle is cheap to create and to clone; it holds the client and the path values met so far.
//! Handle types live in one module per area root, named after the path below it:
//! `/service/tickets/{id}` is [`service::TicketsById`], the root itself `service::Area`. Most
//! code never names them: it starts at the client and follows the path.
//! Area roots hang off the client: [`company()`](crate::Client::company), `expense()`,
//! `finance()`, `marketing()`, `procurement()`, `project()`, `sales()`, `schedule()`,
//! [`service()`](crate::Client::service), [`system()`](crate::Client::system) and
//! [`time()`](crate::Client::time). The top-level `/configurations/…` paths (configuration types
//! and their questions) are reached through `client.configurations()`, which belongs to the
//! `company` feature.
//!
//! Below a root, a literal path segment is a method named after it (`tickets()`,
//! `communication_items()`); `{id}`, `{parentId}` and `{grandparentId}` at one position are the
//! same record, reached with `id(…)` (the spec's integer type); any other path parameter has its
//! own method, `by_member_identifier(…)`, taking `impl Into<String>` for strings. Every value is
//! percent-encoded as one path segment. A segment named like a method (`list`, `count`, `patch`,
//! …) is reached with the suffix `_node`: `usages().list_node()`. Segments that differ only in
//! letter case share one handle (routing ignores case).
//!
//! # Methods
//!
//! | operation | method | returns |
//! |---|---|---|
//! | `GET` of a list | `list(&query)` | a [`List`]: `.await` the first page, `by_item()`, `by_page()`, `all()` |
//! | `GET …/count` | `count(&query)` on the parent | `u64` |
//! | `POST …/search` | `search(&query)` on the parent | one page |
//! | `POST` on a list | `create(&body)` | the record |
//! | `GET` of one object | `get()`, and `get_opt()` on records (`None` for 404) | the object |
//! | `GET` of a file or image | `get()` | [`Bytes`](msp_common::bytes::Bytes) |
//! | `PUT` | `update(&body)` | the record |
//! | `PATCH` | `patch(&Patch)` | the record |
//! | `DELETE` | `delete()` | `()` |
//! | any other `POST` (`copy`, `markAs`, …) | `post(&body)` on the action's handle | as declared |
//!
//! Every method returns a typed request value, a [`Call`] or a [`List`], and sends nothing until
//! it is awaited or streamed; [`Call::request`] and [`List::request`] show what would be sent.
//! Awaited, they are boxed, `Send` and `'static` ([`ApiFuture`], [`ApiStream`]), so they can be
//! spawned. Query parameters beyond the list ones go through
//! [`ListQuery::param`](crate::ListQuery::param) on list, count and search calls; other
//! operations with query parameters have a `…_with(…, &params)` variant taking a generated
//! parameter struct in the area's module
//! (`get_with(&company::GetCompanyContactsByIdImageParams { … })`).
//!
//! Bodies are the typed models of [`crate::models`]; patches are [`crate::patch::Patch`]. The one
//! `multipart/form-data` upload (`POST /system/documents`) has no typed accessor.
//!
//! # Retries, operation names and errors
//!
//! Each call carries its operation as the generator wrote it: the spec's `operationId` as the traced
//! name (`getServiceTicketsByParentIdNotes`), the route template, and whether it may be repeated:
//! `GET` is safe, `PUT` and `DELETE` are idempotent, `POST` and `PATCH` are never repeated after
//! an answer that may have been lost, and `POST …/search` is a read, declared safe.
//!
//! Any 2xx status is success. Where the errata note that the server may answer without a body
//! the method returns `Option<T>`, and where the body is unusable `()`. Paths the spec writes
//! with a trailing `/` are called exactly as written; broken templates are called as repaired
//! (each method's docs say so). The index of every operation and its accessor is in
//! [`operations`].
//!
//! # Cargo features
//!
//! The typed core is always compiled: service tickets with their notes, count and search;
//! companies; contacts with their communication items; configurations; time entries; callbacks;
//! members; service boards with their statuses, types, subtypes and items; priorities; and system
//! info. Every other accessor needs its area's feature (`company`, `expense`, `finance`,
//! `marketing`, `procurement`, `project`, `sales`, `schedule`, `service`, `system`, `time`, or
//! `full` for all); each handle's docs say which.

mod generated;
mod runtime;

pub use crate::call::{ApiFuture, Call};
pub use crate::list::{ApiStream, List};
pub use generated::*;

#[doc = include_str!("generated/operations.md")]
pub mod operations {}
