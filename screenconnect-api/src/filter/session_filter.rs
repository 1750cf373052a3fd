//! The checked filter text that `GetSessionsByFilter` receives.

use std::fmt;

use super::{Filter, FilterError};

/// Non-empty filter text, ready to send to `GetSessionsByFilter`.
///
/// The server rejects empty filters, so an empty one cannot be constructed. Build it from a
/// [`Filter`] (quoting handled) or, for trusted hand-written text, with
/// [`SessionFilter::from_raw`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SessionFilter(String);

impl SessionFilter {
    /// Wraps filter text written by hand. The text is sent as is: never splice untrusted input
    /// into it; build a [`Filter`] instead.
    ///
    /// # Errors
    /// [`FilterError::Empty`] when the text is empty or only whitespace.
    pub fn from_raw(text: impl Into<String>) -> Result<Self, FilterError> {
        let text = text.into();
        if text.trim().is_empty() {
            Err(FilterError::Empty)
        } else {
            Ok(Self(text))
        }
    }

    /// The filter text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Consumes the filter, returning the text.
    #[must_use]
    pub fn into_string(self) -> String {
        self.0
    }
}

impl TryFrom<&Filter> for SessionFilter {
    type Error = FilterError;

    fn try_from(filter: &Filter) -> Result<Self, Self::Error> {
        filter.to_session_filter()
    }
}

impl TryFrom<Filter> for SessionFilter {
    type Error = FilterError;

    fn try_from(filter: Filter) -> Result<Self, Self::Error> {
        filter.to_session_filter()
    }
}

impl fmt::Display for SessionFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
