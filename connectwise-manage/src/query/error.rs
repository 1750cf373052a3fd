//! Errors raised while building conditions, sort orders and field lists.
//!
//! Parsing raw strings has its own error type, [`ParseError`](super::ParseError), because it
//! reports byte offsets; splitting has [`SplitError`](super::SplitError).
//!
//! Errors name field paths and operators but never echo values: values are often customer
//! data, and errors end up in logs.

use super::field::FieldPathError;
use super::{FieldPath, Operator};

/// A condition, sort order or field list could not be built from the given parts.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    /// A field path is not made of `/`-separated identifiers.
    #[error(transparent)]
    InvalidFieldPath(#[from] FieldPathError),

    /// `in` or `not in` was given an empty list, which the grammar cannot express.
    #[error("`{operator}` on `{field}` needs at least one value")]
    EmptyList {
        /// The field being compared.
        field: FieldPath,
        /// The list operator.
        operator: Operator,
    },

    /// A single-value operator such as `=` was given a list.
    #[error("`{operator}` on `{field}` takes a single value, not a list")]
    UnexpectedList {
        /// The field being compared.
        field: FieldPath,
        /// The single-value operator.
        operator: Operator,
    },

    /// `in` or `not in` was given a single value instead of a list.
    #[error("`{operator}` on `{field}` takes a list of values")]
    ExpectedList {
        /// The field being compared.
        field: FieldPath,
        /// The list operator.
        operator: Operator,
    },

    /// A list of values holds another list; lists cannot nest.
    #[error("the list for `{operator}` on `{field}` holds another list")]
    NestedList {
        /// The field being compared.
        field: FieldPath,
        /// The list operator.
        operator: Operator,
    },

    /// A datetime falls outside the years 0000 to 9999, which the four-digit
    /// `[YYYY-MM-DDTHH:MM:SSZ]` literal cannot express.
    #[error("a datetime compared with `{field}` is outside the years 0000 to 9999")]
    DateTimeOutOfRange {
        /// The field being compared.
        field: FieldPath,
    },

    /// An `orderBy` needs at least one sort key.
    #[error("an orderBy needs at least one sort key")]
    EmptyOrderBy,

    /// A sort key in a raw `orderBy` string is not `<field path> asc|desc`.
    #[error("sort key {index} of the orderBy is not `<field path> asc` or `<field path> desc`")]
    InvalidSortKey {
        /// Zero-based position of the key in the comma-separated list.
        index: usize,
    },

    /// A `fields` list needs at least one field path.
    #[error("a fields list needs at least one field path")]
    EmptyFields,
}

/// Lets `?` turn a QueryError into the crate's one error type, as an
/// [`Error::Build`](msp_common::Error::Build): nothing was sent.
impl From<QueryError> for msp_common::Error {
    fn from(error: QueryError) -> Self {
        msp_common::Error::Build {
            operation: "query".to_owned(),
            message: error.to_string(),
            source: Some(Box::new(error)),
        }
    }
}
