//! One entry of a session's history, and its free-text payload.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::{ConnectionId, EventId, EventType};

/// The free-text payload of an event (`Data`): note text, command text, command output or chat.
///
/// Command text and output can hold secrets (passwords, recovery keys), so `Debug` shows only the
/// length. Read the text with [`EventData::as_str`].
#[derive(Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EventData(String);

impl EventData {
    /// Wraps event text.
    #[must_use]
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Consumes the payload, returning the text.
    #[must_use]
    pub fn into_string(self) -> String {
        self.0
    }

    /// Length in bytes.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there is no text.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for EventData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EventData({} bytes)", self.0.len())
    }
}

/// One event in a session's history (`Events[]`, top level or under `Connections[]`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SessionEvent {
    /// The event's id; used to tell new events from ones already seen.
    #[serde(default, rename = "EventID", skip_serializing_if = "Option::is_none")]
    pub event_id: Option<EventId>,
    /// What happened; `None` only if the server omitted the field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_type: Option<EventType>,
    /// When it happened; `None` when missing or "never".
    #[serde(
        default,
        with = "super::timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub time: Option<OffsetDateTime>,
    /// Who caused it: a technician, or the RESTful API's configured user name for API calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// The payload; for [`EventType::RanCommand`] this is the command output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<EventData>,
    /// The connection the event belongs to, when the server says.
    #[serde(
        default,
        rename = "ConnectionID",
        skip_serializing_if = "Option::is_none"
    )]
    pub connection_id: Option<ConnectionId>,
    /// Fields this crate does not model, kept so a round trip loses nothing.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl SessionEvent {
    /// True when the event has the given type.
    #[must_use]
    pub fn is(&self, event_type: &EventType) -> bool {
        self.event_type.as_ref() == Some(event_type)
    }

    /// The payload text, if any.
    #[must_use]
    pub fn data_str(&self) -> Option<&str> {
        self.data.as_ref().map(EventData::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::{EventData, SessionEvent};
    use crate::models::EventType;

    #[test]
    fn debug_hides_payload() {
        let event = SessionEvent {
            event_type: Some(EventType::RanCommand),
            data: Some(EventData::new("password=hunter2")),
            ..SessionEvent::default()
        };
        let debug = format!("{event:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(debug.contains("EventData(16 bytes)"), "{debug}");
    }
}
