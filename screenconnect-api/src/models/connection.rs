//! A participant's connection to a session (`ActiveConnections[]`, `Connections[]`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{ConnectionId, EventType, ProcessType, SessionEvent, lenient};

/// A participant's connection to a session.
///
/// `Session.ActiveConnections` lists the connections open right now; `SessionDetails.Connections`
/// (when the server sends it) lists connections with their own `Events`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Connection {
    /// The connection's id.
    #[serde(
        default,
        rename = "ConnectionID",
        skip_serializing_if = "Option::is_none"
    )]
    pub connection_id: Option<ConnectionId>,
    /// Whether this is a host (technician) or the guest (the agent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process_type: Option<ProcessType>,
    /// The participant's display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_name: Option<String>,
    /// Events recorded on this connection (present in session details, not in session lists).
    #[serde(
        default,
        deserialize_with = "lenient::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub events: Vec<SessionEvent>,
    /// Fields this crate does not model, kept so a round trip loses nothing.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Connection {
    /// True when this is the guest side (the agent) of the session.
    #[must_use]
    pub fn is_guest(&self) -> bool {
        self.process_type == Some(ProcessType::Guest)
    }

    /// Whether this connection's own events say it is still open: `Some(true)` when its latest
    /// `Connected`/`Disconnected` event is a `Connected`, `Some(false)` when it is a
    /// `Disconnected`, `None` when it has neither.
    ///
    /// Events are compared by time; among equal or missing times the later one in the list wins.
    #[must_use]
    pub fn is_open_by_events(&self) -> Option<bool> {
        let mut latest: Option<&SessionEvent> = None;
        for event in &self.events {
            if !(event.is(&EventType::Connected) || event.is(&EventType::Disconnected)) {
                continue;
            }
            match latest {
                Some(current) if event.time < current.time => {}
                _ => latest = Some(event),
            }
        }
        latest.map(|event| event.is(&EventType::Connected))
    }
}
