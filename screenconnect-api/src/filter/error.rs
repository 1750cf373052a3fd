//! Why a filter could not be built or rendered.

/// A filter that cannot be sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FilterError {
    /// A field name is not an identifier (letters, digits and `_`, not starting with a digit,
    /// optionally dotted such as `Session.Name`).
    #[error(
        "invalid filter field name {name:?}: expected letters, digits and '_' (optionally dotted), not starting with a digit"
    )]
    InvalidField {
        /// The rejected name, truncated to 64 characters.
        name: String,
    },
    /// A field name is a word of the filter language (`AND`, `OR`, `NOT`, `IS`, `NULL`,
    /// `LIKE`), which the server would read as that word.
    #[error("filter field name {name:?} is a word of the filter language, not a field")]
    ReservedField {
        /// The rejected name.
        name: String,
    },
    /// Custom property fields run from `CustomProperty1` to `CustomProperty8`.
    #[error("custom property index {index} is out of range: indexes run from 1 to 8")]
    CustomPropertyIndex {
        /// The rejected index.
        index: usize,
    },
    /// An `all`/`any` group without conditions; sending it would match everything or nothing.
    #[error("a filter group has no conditions")]
    EmptyGroup,
    /// The filter text is empty; the server rejects empty filters.
    #[error("the session filter is empty; the server rejects empty filters")]
    Empty,
    /// A number literal is NaN or infinite.
    #[error("a filter number is not finite")]
    NonFiniteNumber,
    /// A text literal contains a NUL character, which cannot be quoted.
    #[error("a filter text value contains a NUL character")]
    NulInText,
}
