//! Values compared against in a filter, and how they are written.

use crate::models::{EventType, SessionId, SessionType};

use super::FilterError;

/// A value on the right-hand side of a comparison.
///
/// Text is written in single quotes with embedded quotes doubled (`'O''Brien'`); numbers are
/// written bare. Enum values are written as their quoted names (`SessionType = 'Access'`), which is
/// how the server's filters compare them; a numeric value the crate does not know is written as a
/// bare number.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Literal {
    /// A quoted text value.
    Text(String),
    /// A bare integer.
    Integer(i64),
    /// A bare decimal number; must be finite.
    Decimal(f64),
}

impl Literal {
    /// Writes the literal in filter syntax.
    pub(super) fn render(&self, out: &mut String) -> Result<(), FilterError> {
        match self {
            Self::Text(text) => {
                if text.contains('\0') {
                    return Err(FilterError::NulInText);
                }
                out.push('\'');
                out.push_str(&text.replace('\'', "''"));
                out.push('\'');
            }
            Self::Integer(value) => out.push_str(&value.to_string()),
            Self::Decimal(value) => {
                if !value.is_finite() {
                    return Err(FilterError::NonFiniteNumber);
                }
                // `Display` for f64 never uses exponent notation, which the server may not parse.
                out.push_str(&value.to_string());
            }
        }
        Ok(())
    }
}

impl From<&str> for Literal {
    fn from(value: &str) -> Self {
        Self::Text(value.to_owned())
    }
}

impl From<String> for Literal {
    fn from(value: String) -> Self {
        Self::Text(value)
    }
}

impl From<&String> for Literal {
    fn from(value: &String) -> Self {
        Self::Text(value.clone())
    }
}

impl From<i64> for Literal {
    fn from(value: i64) -> Self {
        Self::Integer(value)
    }
}

impl From<i32> for Literal {
    fn from(value: i32) -> Self {
        Self::Integer(value.into())
    }
}

impl From<u32> for Literal {
    fn from(value: u32) -> Self {
        Self::Integer(value.into())
    }
}

impl From<f64> for Literal {
    fn from(value: f64) -> Self {
        Self::Decimal(value)
    }
}

impl From<&SessionId> for Literal {
    fn from(value: &SessionId) -> Self {
        Self::Text(value.as_str().to_owned())
    }
}

impl From<SessionId> for Literal {
    fn from(value: SessionId) -> Self {
        Self::Text(value.into_string())
    }
}

impl From<SessionType> for Literal {
    fn from(value: SessionType) -> Self {
        enum_literal(value.name(), value.code())
    }
}

impl From<EventType> for Literal {
    fn from(value: EventType) -> Self {
        enum_literal(value.name(), value.code())
    }
}

/// Known and unknown-named values compare by name; unknown numbers compare by number.
fn enum_literal(name: Option<&str>, code: Option<i64>) -> Literal {
    match (name, code) {
        (Some(name), _) => Literal::Text(name.to_owned()),
        (None, Some(code)) => Literal::Integer(code),
        (None, None) => Literal::Text(String::new()),
    }
}
