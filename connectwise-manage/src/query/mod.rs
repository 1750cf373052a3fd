//! Query builders for list endpoints: `conditions`, `childConditions`,
//! `customFieldConditions`, `orderBy` and `fields`.
//!
//! This module is pure code (no I/O): it builds, checks, renders and parses the small query
//! languages Manage uses, so that requests carry well-formed text and untrusted text can be
//! checked before it is sent.
//!
//! - [`Condition`] — a conditions expression built from typed [`Value`]s and checked
//!   [`FieldPath`]s, combined with `&` / `|`, rendered with `to_string()`, parsed back with
//!   [`Condition::parse`].
//! - [`OrderBy`] and [`Fields`] — the `orderBy` and `fields` parameters.
//! - [`Condition::split_in_list`] — cuts a long `in (...)` list into conditions that each fit a
//!   URL length budget.
//!
//! # Building conditions
//!
//! ```
//! use connectwise_manage::query::{Condition, Fields, OrderBy};
//! use time::macros::datetime;
//!
//! let open_help_desk = Condition::eq("board/name", "Help Desk")?
//!     & Condition::not_in("status/name", ["Closed", "Resolved"])?
//!     & Condition::gt("lastUpdated", datetime!(2026-01-01 0:00 UTC))?;
//! assert_eq!(
//!     open_help_desk.to_string(),
//!     r#"(board/name = "Help Desk" and status/name not in ("Closed", "Resolved") and lastUpdated > [2026-01-01T00:00:00Z])"#
//! );
//! // Rendering and parsing agree.
//! assert_eq!(Condition::parse(&open_help_desk.to_string())?, open_help_desk);
//!
//! let order = OrderBy::desc("lastUpdated")?.then_asc("id")?;
//! assert_eq!(order.to_string(), "lastUpdated desc, id asc");
//! let fields = Fields::new(["id", "summary", "status/name"])?;
//! assert_eq!(fields.to_string(), "id,summary,status/name");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The constructors check their field path and value immediately and return `Result`, so a
//! `Condition` in hand is always valid and renders without error. Field paths are
//! `/`-separated identifiers (`[A-Za-z_][A-Za-z0-9_]*`); anything else is a
//! [`QueryError::InvalidFieldPath`], which also keeps stray text from being spliced into the
//! expression. Bad input never panics.
//!
//! `and` and `or` always render with parentheses around them, the outermost included, since
//! the server's precedence between them is not documented:
//!
//! ```
//! use connectwise_manage::query::Condition;
//!
//! let c = (Condition::eq("a", 1)? & Condition::eq("b", 2)?) | Condition::eq("c", 3)?;
//! assert_eq!(c.to_string(), "((a = 1 and b = 2) or c = 3)");
//! # Ok::<(), connectwise_manage::query::QueryError>(())
//! ```
//!
//! Strings are quoted with whichever quote character they do not contain; see [`render`] for
//! the full rule, including the (unverified) backslash escaping used when a value holds both.
//!
//! # `childConditions` and `customFieldConditions`
//!
//! The three parameters share one grammar, so [`Condition`] serves all of them; only the field
//! names differ.
//!
//! - `conditions` filters the records themselves: `status/name = "New"`.
//! - `childConditions` filters on elements of a child collection, with paths that start at the
//!   collection: `communicationItems/value like "*@example.com"`. Child collections are not
//!   allowed in `conditions`.
//! - `customFieldConditions` tests custom field entries through their keys, usually `caption`
//!   and `value`: `caption = "Contract" and value != null`.
//!
//! ```
//! use connectwise_manage::query::Condition;
//!
//! let child = Condition::like("communicationItems/value", "*@example.com")?
//!     & Condition::eq("communicationItems/communicationType", "Email")?;
//! let custom = Condition::eq("caption", "TomNumber")? & Condition::is_not_null("value")?;
//! assert_eq!(custom.to_string(), r#"(caption = "TomNumber" and value != null)"#);
//! # let _ = child;
//! # Ok::<(), connectwise_manage::query::QueryError>(())
//! ```
//!
//! Whether the server evaluates a multi-clause child or custom-field condition per element or
//! across elements is not documented.
//!
//! # Checking untrusted conditions
//!
//! [`Condition::parse`] accepts the documented grammar (case-insensitive keywords, `and` binding
//! tighter than `or`, both quote styles, `[datetimes]` with any offset) and returns the same
//! normalised tree the builder makes. Its errors give the byte offset and what was expected.
//!
//! ```
//! use connectwise_manage::query::Condition;
//!
//! let from_model = r#"closedFlag = False AND (priority/name = "High" OR summary contains 'outage')"#;
//! let checked = Condition::parse(from_model)?;
//! assert_eq!(
//!     checked.to_string(),
//!     r#"(closedFlag = false and (priority/name = "High" or summary contains "outage"))"#
//! );
//!
//! let error = Condition::parse("closedFlag = nope").unwrap_err();
//! assert_eq!(error.offset(), 13);
//! # Ok::<(), connectwise_manage::query::ParseError>(())
//! ```

mod comparison;
mod condition;
mod decimal;
mod error;
mod field;
mod fields;
mod operator;
mod order_by;
pub mod parse;
mod parse_error;
pub mod render;
pub mod split;
mod value;

pub use comparison::Comparison;
pub use condition::{Clauses, Condition};
pub use decimal::{Decimal, DecimalError};
pub use error::QueryError;
pub use field::{FieldPath, FieldPathError, FieldPathProblem, IntoFieldPath};
pub use fields::Fields;
pub use operator::Operator;
pub use order_by::{OrderBy, SortDirection, SortKey};
pub use parse::MAX_NESTING_DEPTH;
pub use parse_error::{Expected, Found, ParseError, ParseErrorKind};
pub use split::SplitError;
pub use value::Value;
