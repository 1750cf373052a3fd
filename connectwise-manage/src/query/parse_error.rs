//! Errors from parsing raw conditions text.
//!
//! An error carries the byte offset where parsing stopped and what was expected there. It names
//! the kind of token found (a word, a quoted string, ...) but not its text, since conditions
//! often hold customer data and errors end up in logs.

use std::fmt;

use super::QueryError;

/// Raw conditions text that does not follow the grammar.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid conditions at byte {offset}: {kind}")]
pub struct ParseError {
    offset: usize,
    kind: ParseErrorKind,
}

impl ParseError {
    pub(super) fn new(offset: usize, kind: ParseErrorKind) -> Self {
        Self { offset, kind }
    }

    /// Byte offset into the input where the problem was found.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// What went wrong.
    pub fn kind(&self) -> &ParseErrorKind {
        &self.kind
    }
}

/// What went wrong while parsing.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// A token other than the expected one.
    #[error("expected {expected}, found {found}")]
    Unexpected {
        /// What the grammar allows here.
        expected: Expected,
        /// What was there instead.
        found: Found,
    },
    /// A quoted string has no closing quote.
    #[error("the quoted string starting here has no closing quote")]
    UnterminatedString,
    /// A `[` datetime has no closing `]`.
    #[error("the datetime starting here has no closing ']'")]
    UnterminatedDateTime,
    /// The text in `[...]` is not an RFC 3339 datetime with seconds and a UTC offset
    /// (`2026-01-01T00:00:00Z`, `2026-01-01T02:00:00.5+02:00`).
    #[error(
        "expected a datetime such as 2026-01-01T00:00:00Z (with seconds and a 'Z' or +hh:mm offset)"
    )]
    InvalidDateTime,
    /// The datetime, once in UTC, falls outside the years 0000 to 9999.
    #[error("the datetime is outside the years 0000 to 9999 once converted to UTC")]
    DateTimeOutOfRange,
    /// A `like` or `contains` value holds a `[` that is not written `[[]`. The server reads a bare
    /// `[` as the start of a character class; write `[[]` for a literal bracket.
    #[error(
        "a '[' in a like/contains value opens a character class on the server; write '[[]' for a \
         literal bracket"
    )]
    UnescapedBracket,
    /// Parentheses nest deeper than the parser allows.
    #[error("parentheses nest deeper than {limit} levels")]
    NestingTooDeep {
        /// The limit, [`MAX_NESTING_DEPTH`](super::MAX_NESTING_DEPTH).
        limit: usize,
    },
    /// A comparison that parses but cannot be built (kept for completeness; the grammar
    /// already rules these out).
    #[error(transparent)]
    Invalid(QueryError),
}

/// What the grammar allows at the point of an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Expected {
    /// The start of a condition: a field path or `(`.
    Condition,
    /// An identifier after `/` in a field path.
    FieldSegment,
    /// A comparison operator.
    Operator,
    /// `=` after `!`.
    EqualsAfterBang,
    /// `contains`, `like` or `in` after `not`.
    AfterNot,
    /// A single value.
    Value,
    /// The `(` that opens the list after `in` or `not in`.
    ListStart,
    /// `,` or `)` inside a list.
    CommaOrListEnd,
    /// A digit inside a number.
    Digit,
    /// `)` closing a group, or `and`/`or` continuing it.
    ConnectiveOrGroupEnd,
    /// `and`, `or` or the end of the input.
    ConnectiveOrEnd,
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Condition => "a field path or '('",
            Self::FieldSegment => "a field name after '/'",
            Self::Operator => {
                "an operator (=, !=, <, <=, >, >=, contains, like, in, not contains, not like, not in)"
            }
            Self::EqualsAfterBang => "'=' after '!'",
            Self::AfterNot => "'contains', 'like' or 'in' after 'not'",
            Self::Value => {
                "a value (quoted string, number, true, false, null or [datetime])"
            }
            Self::ListStart => "'(' to open the list of values",
            Self::CommaOrListEnd => "',' or ')' in the list of values",
            Self::Digit => "a digit",
            Self::ConnectiveOrGroupEnd => "'and', 'or' or ')'",
            Self::ConnectiveOrEnd => "'and', 'or' or the end of the conditions",
        })
    }
}

/// The kind of token found where something else was expected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Found {
    /// The input ended.
    EndOfInput,
    /// A word: a field name, keyword or unquoted text.
    Word,
    /// A quoted string.
    QuotedString,
    /// A number.
    Number,
    /// A `[...]` datetime.
    DateTime,
    /// Any other single character, shown as is.
    Symbol(char),
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EndOfInput => f.write_str("the end of the conditions"),
            Self::Word => f.write_str("a word"),
            Self::QuotedString => f.write_str("a quoted string"),
            Self::Number => f.write_str("a number"),
            Self::DateTime => f.write_str("a datetime"),
            Self::Symbol(symbol) => write!(f, "{symbol:?}"),
        }
    }
}

/// Lets `?` turn a ParseError into the crate's one error type, as an
/// [`Error::Build`](msp_common::Error::Build): nothing was sent.
impl From<ParseError> for msp_common::Error {
    fn from(error: ParseError) -> Self {
        msp_common::Error::Build {
            operation: "conditions".to_owned(),
            message: error.to_string(),
            source: Some(Box::new(error)),
        }
    }
}
