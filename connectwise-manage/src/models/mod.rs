//! Typed models of the ConnectWise Manage REST API, generated from its OpenAPI spec (2025.1).
//!
//! Every schema of the spec is a struct here, named as in the spec (`Ticket`, `Company`,
//! `CompanyConfiguration`, `TimeEntry`, …). The code in `generated/` is written by
//! `connectwise-manage-codegen` from the spec and an errata overlay; the support types beside it
//! are hand-written.
//!
//! # Where a model is
//!
//! Models are found by API area, as the handles of [`crate::api`] are: [`service::Ticket`],
//! [`company::Company`], `finance::Agreement`. A model's area comes from the spec alone, never
//! from which features compile it, so a model stays in its module when a spec update changes
//! which areas reach it:
//!
//! - a schema that endpoints take or return is in the area of those endpoints (the one with the
//!   most of them; ties go to the first area in the feature list below);
//! - a link schema `XReference` is where `X` is;
//! - any other schema is in the area most of the models that refer to it are in.
//!
//! The typed core (the models the typed client is built on, listed under "Cargo features") is
//! also re-exported here by its bare name: `models::Ticket` is `models::service::Ticket`, and
//! `models::Count` is `models::system::Count`. Only the core is: every other model is used by
//! its area path, so glob imports of `models::*` stay small and a name never moves between the
//! two places.
//!
//! # Conventions
//!
//! - **Every field is optional.** Manage omits nulls and does not honour the spec's `required`
//!   lists, so fields are `Option<T>` with `#[serde(default)]`. When serialising, `None` fields
//!   are left out: a request body carries only what the caller set. Build one with struct update
//!   syntax: `Ticket { summary: Some("Printer down".into()), ..Default::default() }`.
//! - **Unknown fields are kept.** Each struct has `extra`, a map of the fields the spec does not
//!   list. They are written back when the struct is serialised, so a read-modify-write (GET,
//!   change a field, PUT) never drops data the SDK does not know about.
//! - **Enums are open.** String fields with known values are enums with a catch-all
//!   `Other(String)` variant (see [`OpenEnum`]): a value added by a newer server is kept verbatim
//!   and sent back unchanged.
//! - **Any-JSON values.** A few fields hold any JSON value: `CustomFieldValue::value`,
//!   `ConfigurationQuestion::answer` and `SurveyResultDetail::answer`.
//!   They are `serde_json::Value`, `Null` when absent, and are **always serialised**, `null`
//!   included: sending a custom field with a `null` value is how Manage clears it, and a value
//!   read as `null` must go back as `null`. Other untyped parts of the spec (free-form maps and
//!   arrays) are `serde_json::Value` / `serde_json::Map` inside an `Option` like any field.
//! - **`_info`** is [`InfoMap`], with helpers for `lastUpdated`, `updatedBy`, `dateEntered`,
//!   `enteredBy` and the `*_href` links.
//! - **Timestamps** (`date-time` fields) are `time::OffsetDateTime`, parsed leniently and written
//!   as `YYYY-MM-DDTHH:MM:SSZ` (see [`datetime`]). Fields the spec types as plain strings stay
//!   `String` even when they hold dates (for example `Ticket::closed_date`).
//! - **Length limits** mentioned in field docs ("Max length: 100;") come from the spec's
//!   descriptions. They are documentation only; the server enforces them.
//!
//! # Cargo features
//!
//! The models the typed client uses (tickets and their notes, companies, contacts and their
//! communication items, configurations, time entries, callbacks, members, boards with their
//! statuses, types, subtypes and items, priorities, system info, counts, custom fields, patch
//! operations and error bodies) and everything they refer to are always compiled. The rest is
//! grouped by API area, one feature each: `company`, `expense`, `finance`, `marketing`,
//! `procurement`, `project`, `sales`, `schedule`, `service`, `system` and `time` (`full` turns
//! them all on). A model belongs to every area whose endpoints use it, directly or through
//! another model; the top-level `/configurations/…` endpoints count as `company`. Each model's
//! docs say which features provide it. An area module holds its area's models whatever features
//! compile them: `models::sales` has items that `finance` alone turns on, and is empty (absent)
//! when none of them is compiled.

pub mod datetime;
mod generated;
mod info;
mod open_enum;

/// The `PatchOperation` schema is the PATCH builder's own operation type (see [`crate::patch`]),
/// written by hand rather than generated.
pub use crate::patch::PatchOperation;
pub use generated::*;
pub use info::InfoMap;
pub use open_enum::OpenEnum;
