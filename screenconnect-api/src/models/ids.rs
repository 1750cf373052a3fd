//! Identifier newtypes for sessions, events and connections.
//!
//! The server's identifiers are GUID strings. Values read from responses are kept exactly as the
//! server sent them (the server is the authority on its own ids); values typed in by a caller go
//! through [`SessionId::new`], which checks the GUID shape before anything is sent.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Why a string is not a session id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SessionIdError {
    /// The value is not a GUID of the form `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (hex digits,
    /// optionally wrapped in braces).
    #[error("session id {value:?} is not a GUID (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)")]
    NotAGuid {
        /// The rejected input, truncated to 64 characters.
        value: String,
    },
}

/// A session's id (`SessionID`), a GUID string such as `3f2504e0-4f89-11d3-9a0c-0305e82c3301`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SessionId(String);

impl SessionId {
    /// Checks that `value` looks like a GUID and wraps it, lower-cased and without braces.
    ///
    /// # Errors
    /// [`SessionIdError::NotAGuid`] when the value is not a GUID.
    pub fn new(value: impl AsRef<str>) -> Result<Self, SessionIdError> {
        let raw = value.as_ref().trim();
        let inner = raw
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix('}'))
            .unwrap_or(raw);
        if is_guid(inner) {
            Ok(Self(inner.to_ascii_lowercase()))
        } else {
            Err(SessionIdError::NotAGuid {
                value: raw.chars().take(64).collect(),
            })
        }
    }

    /// The id as sent on the wire.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Consumes the id, returning the string.
    #[must_use]
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for SessionId {
    type Err = SessionIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl AsRef<str> for SessionId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A session event's id (`EventID`), used to tell new events from ones already seen.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EventId(String);

impl EventId {
    /// Wraps an event id as received from the server.
    #[must_use]
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The id as sent on the wire.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A connection's id (`ConnectionID`), linking events to the connection they happened on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ConnectionId(String);

impl ConnectionId {
    /// Wraps a connection id as received from the server.
    #[must_use]
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The id as sent on the wire.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ConnectionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `8-4-4-4-12` hex digits separated by hyphens.
fn is_guid(value: &str) -> bool {
    const GROUPS: [usize; 5] = [8, 4, 4, 4, 12];
    let mut parts = value.split('-');
    for expected in GROUPS {
        match parts.next() {
            Some(part) if part.len() == expected && part.bytes().all(|b| b.is_ascii_hexdigit()) => {
            }
            _ => return false,
        }
    }
    parts.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::{SessionId, SessionIdError};

    #[test]
    fn accepts_guids_and_normalises() {
        let id = SessionId::new(" {3F2504E0-4F89-11D3-9A0C-0305E82C3301} ").unwrap();
        assert_eq!(id.as_str(), "3f2504e0-4f89-11d3-9a0c-0305e82c3301");
        assert_eq!(id.to_string(), "3f2504e0-4f89-11d3-9a0c-0305e82c3301");
        let parsed: SessionId = "3f2504e0-4f89-11d3-9a0c-0305e82c3301".parse().unwrap();
        assert_eq!(parsed, id);
    }

    #[test]
    fn rejects_non_guids() {
        for bad in [
            "",
            "PC-01",
            "3f2504e0-4f89-11d3-9a0c-0305e82c330",
            "3f2504e0-4f89-11d3-9a0c-0305e82c33011",
            "3f2504e04f8911d39a0c0305e82c3301",
            "3f2504e0-4f89-11d3-9a0c-0305e82c3301-00",
            "zf2504e0-4f89-11d3-9a0c-0305e82c3301",
            "3f2504e0-4f89-11d3-9a0c-0305e82c3301' OR '1'='1",
        ] {
            assert!(
                matches!(SessionId::new(bad), Err(SessionIdError::NotAGuid { .. })),
                "{bad:?} should be rejected"
            );
        }
    }

    #[test]
    fn deserialises_server_values_verbatim() {
        let id: SessionId = serde_json::from_str(r#""ABC""#).unwrap();
        assert_eq!(id.as_str(), "ABC");
    }
}
