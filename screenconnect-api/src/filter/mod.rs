//! A builder for the session filter expressions `GetSessionsByFilter` accepts.
//!
//! The language is SQL-like over *flat* session property names: `Field = 'text'`, numeric
//! comparisons with bare numbers, `LIKE`, `IS NULL` / `IS NOT NULL`, and `AND` / `OR` / `NOT`
//! with parentheses. The builder validates field names as identifiers, quotes text values (single
//! quotes, embedded quotes doubled), parenthesises every nested group, and refuses to produce an
//! empty filter, which the server rejects.

mod error;
mod expr;
mod field;
mod literal;
mod session_filter;

pub use error::FilterError;
pub use expr::{CompareOp, Filter};
pub use field::Field;
pub use literal::Literal;
pub use session_filter::SessionFilter;
