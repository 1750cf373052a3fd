//! Validated field paths such as `status/name` or `_info/lastUpdated`.
//!
//! A path is one or more identifiers (`[A-Za-z_][A-Za-z0-9_]*`) joined by `/`. Checking this
//! up front keeps arbitrary text out of the left-hand side of a condition, where it could change
//! the meaning of the whole expression.

use std::fmt;
use std::str::FromStr;

/// A checked field path: identifiers `[A-Za-z_][A-Za-z0-9_]*` joined by `/`.
///
/// The server matches field names without regard to case; this type keeps the case it was given
/// and compares exactly.
///
/// ```
/// use connectwise_manage::query::FieldPath;
///
/// let path = FieldPath::new("status/name")?;
/// assert_eq!(path.as_str(), "status/name");
/// assert_eq!(path.segments().collect::<Vec<_>>(), ["status", "name"]);
/// assert!(FieldPath::new("status name").is_err());
/// # Ok::<(), connectwise_manage::query::FieldPathError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldPath(Box<str>);

impl FieldPath {
    /// Checks `path` and wraps it.
    ///
    /// # Errors
    ///
    /// [`FieldPathError`] when the path is empty, has an empty segment (`a//b`, `a/`), a segment
    /// starting with a digit, or any character other than ASCII letters, digits, `_` and `/`.
    pub fn new(path: impl Into<String>) -> Result<Self, FieldPathError> {
        let path = path.into();
        match find_problem(&path) {
            None => Ok(Self(path.into_boxed_str())),
            Some(problem) => Err(FieldPathError { path, problem }),
        }
    }

    /// Wraps text the parser has already scanned as a valid path.
    pub(super) fn from_scanned(path: &str) -> Self {
        Self(path.into())
    }

    /// The path as written, e.g. `status/name`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The `/`-separated identifiers, in order.
    pub fn segments(&self) -> impl Iterator<Item = &str> {
        self.0.split('/')
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for FieldPath {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl FromStr for FieldPath {
    type Err = FieldPathError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl TryFrom<&str> for FieldPath {
    type Error = FieldPathError;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl TryFrom<String> for FieldPath {
    type Error = FieldPathError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

/// Anything the builders accept where a field path is expected.
///
/// Implemented for text (checked when converted) and for [`FieldPath`] (already checked), so
/// `Condition::eq("status/name", "New")` and `Condition::eq(path.clone(), "New")` both work.
pub trait IntoFieldPath {
    /// Converts into a checked path.
    ///
    /// # Errors
    ///
    /// [`FieldPathError`] when the text is not a valid path.
    fn into_field_path(self) -> Result<FieldPath, FieldPathError>;
}

impl IntoFieldPath for FieldPath {
    fn into_field_path(self) -> Result<FieldPath, FieldPathError> {
        Ok(self)
    }
}

impl IntoFieldPath for &FieldPath {
    fn into_field_path(self) -> Result<FieldPath, FieldPathError> {
        Ok(self.clone())
    }
}

impl IntoFieldPath for &str {
    fn into_field_path(self) -> Result<FieldPath, FieldPathError> {
        FieldPath::new(self)
    }
}

impl IntoFieldPath for String {
    fn into_field_path(self) -> Result<FieldPath, FieldPathError> {
        FieldPath::new(self)
    }
}

impl IntoFieldPath for &String {
    fn into_field_path(self) -> Result<FieldPath, FieldPathError> {
        FieldPath::new(self.as_str())
    }
}

/// Text that is not a valid field path.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid field path {path:?}: {problem}")]
pub struct FieldPathError {
    path: String,
    problem: FieldPathProblem,
}

impl FieldPathError {
    /// The rejected text.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong with it.
    pub fn problem(&self) -> FieldPathProblem {
        self.problem
    }
}

/// Why a field path was rejected. Offsets are byte offsets into the path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FieldPathProblem {
    /// The path is empty.
    Empty,
    /// A segment is empty (`a//b`, `/a`, `a/`).
    EmptySegment {
        /// Byte offset where the empty segment starts.
        offset: usize,
    },
    /// A segment starts with a digit.
    LeadingDigit {
        /// Byte offset of the digit.
        offset: usize,
    },
    /// A character other than an ASCII letter, digit, `_` or `/`.
    InvalidCharacter {
        /// Byte offset of the character.
        offset: usize,
        /// The character.
        character: char,
    },
}

impl fmt::Display for FieldPathProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("the path is empty"),
            Self::EmptySegment { offset } => write!(f, "empty segment at byte {offset}"),
            Self::LeadingDigit { offset } => {
                write!(f, "segment starts with a digit at byte {offset}")
            }
            Self::InvalidCharacter { offset, character } => write!(
                f,
                "character {character:?} at byte {offset} is not an ASCII letter, digit, '_' or '/'"
            ),
        }
    }
}

/// True for bytes that may start an identifier segment.
pub(super) fn is_segment_start(byte: u8) -> bool {
    byte.is_ascii_alphabetic() || byte == b'_'
}

/// True for bytes that may continue an identifier segment.
pub(super) fn is_segment_continue(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

fn find_problem(path: &str) -> Option<FieldPathProblem> {
    if path.is_empty() {
        return Some(FieldPathProblem::Empty);
    }
    let mut segment_start = true;
    for (offset, character) in path.char_indices() {
        if character == '/' {
            if segment_start {
                return Some(FieldPathProblem::EmptySegment { offset });
            }
            segment_start = true;
            continue;
        }
        let byte_ok = u8::try_from(character).ok();
        match byte_ok {
            Some(byte) if segment_start && byte.is_ascii_digit() => {
                return Some(FieldPathProblem::LeadingDigit { offset });
            }
            Some(byte) if is_segment_continue(byte) => segment_start = false,
            _ => return Some(FieldPathProblem::InvalidCharacter { offset, character }),
        }
    }
    if segment_start {
        return Some(FieldPathProblem::EmptySegment { offset: path.len() });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_identifier_paths() {
        for path in ["id", "status/name", "_info/lastUpdated", "a1/_b2/C_3", "X"] {
            let parsed = FieldPath::new(path).map(|p| p.as_str().to_owned());
            assert_eq!(parsed.as_deref(), Ok(path));
        }
    }

    #[test]
    fn rejects_malformed_paths_with_the_reason() {
        let cases = [
            ("", FieldPathProblem::Empty),
            ("/a", FieldPathProblem::EmptySegment { offset: 0 }),
            ("a//b", FieldPathProblem::EmptySegment { offset: 2 }),
            ("a/", FieldPathProblem::EmptySegment { offset: 2 }),
            ("1a", FieldPathProblem::LeadingDigit { offset: 0 }),
            ("a/9", FieldPathProblem::LeadingDigit { offset: 2 }),
            (
                "status name",
                FieldPathProblem::InvalidCharacter {
                    offset: 6,
                    character: ' ',
                },
            ),
            (
                "a.b",
                FieldPathProblem::InvalidCharacter {
                    offset: 1,
                    character: '.',
                },
            ),
            (
                "naïve",
                FieldPathProblem::InvalidCharacter {
                    offset: 2,
                    character: 'ï',
                },
            ),
            (
                "id = 1 or x",
                FieldPathProblem::InvalidCharacter {
                    offset: 2,
                    character: ' ',
                },
            ),
        ];
        for (path, problem) in cases {
            let error = FieldPath::new(path).expect_err(path);
            assert_eq!(error.problem(), problem, "{path:?}");
            assert_eq!(error.path(), path);
        }
    }

    #[test]
    fn error_message_names_the_path_and_problem() {
        let error = FieldPath::new("a//b").expect_err("invalid");
        assert_eq!(
            error.to_string(),
            r#"invalid field path "a//b": empty segment at byte 2"#
        );
    }

    #[test]
    fn segments_split_on_slash() {
        let path = FieldPath::new("company/site/name").expect("valid");
        assert_eq!(
            path.segments().collect::<Vec<_>>(),
            ["company", "site", "name"]
        );
    }
}
