//! A session with its event history (`GetSessionDetailsBySessionID`).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Connection, EventId, EventType, OnlineStatus, Session, SessionEvent, lenient};

/// A session plus its events and, when the server sends them, its connections.
///
/// Older extension versions answer with the events only, without a `Session` object; such a body
/// decodes with [`SessionDetails::session`] set to `None`.
///
/// Events can sit at the top level (`Events`) and inside connections (`Connections[].Events`);
/// [`SessionDetails::events`] walks both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SessionDetails {
    /// The session itself; `None` when the server sent only the events.
    #[serde(
        default,
        deserialize_with = "lenient::null_as_default",
        skip_serializing_if = "Option::is_none"
    )]
    pub session: Option<Session>,
    /// Session-level events.
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    pub events: Vec<SessionEvent>,
    /// Connections with their own events (not sent by every server version).
    #[serde(
        default,
        deserialize_with = "lenient::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub connections: Vec<Connection>,
    /// Fields this crate does not model, kept so a round trip loses nothing.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An event found in [`SessionDetails`], with the connection it was listed under (if any).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EventRef<'a> {
    /// The event.
    pub event: &'a SessionEvent,
    /// The connection whose `Events` listed it; `None` for top-level events.
    pub connection: Option<&'a Connection>,
}

impl SessionDetails {
    /// Every event, top-level and per-connection, ordered by time (oldest first).
    ///
    /// Events without a time sort first; ties keep the server's order (top-level events, then
    /// each connection's). An event listed both at the top level and under a connection (same
    /// `EventID`) is yielded once, with its connection.
    #[must_use]
    pub fn events(&self) -> Vec<EventRef<'_>> {
        let nested: Vec<EventRef<'_>> = self
            .connections
            .iter()
            .flat_map(|connection| {
                connection.events.iter().map(move |event| EventRef {
                    event,
                    connection: Some(connection),
                })
            })
            .collect();
        let nested_ids: HashSet<&EventId> = nested
            .iter()
            .filter_map(|found| found.event.event_id.as_ref())
            .collect();
        let mut all: Vec<EventRef<'_>> = self
            .events
            .iter()
            .filter(|event| {
                event
                    .event_id
                    .as_ref()
                    .is_none_or(|id| !nested_ids.contains(id))
            })
            .map(|event| EventRef {
                event,
                connection: None,
            })
            .chain(nested)
            .collect();
        all.sort_by_key(|found| found.event.time);
        all
    }

    /// The events of one type, ordered as in [`SessionDetails::events`].
    #[must_use]
    pub fn events_of_type(&self, event_type: &EventType) -> Vec<EventRef<'_>> {
        self.events()
            .into_iter()
            .filter(|found| found.event.is(event_type))
            .collect()
    }

    /// Whether the agent is connected right now.
    ///
    /// Uses [`Session::online_status`]; when that is [`OnlineStatus::Unknown`] or the details
    /// carry no session, falls back to the
    /// connections listed in the details: online when a guest connection's latest
    /// `Connected`/`Disconnected` event is a `Connected`, offline when guest connections exist but
    /// none is open, unknown otherwise.
    #[must_use]
    pub fn online_status(&self) -> OnlineStatus {
        match self.session.as_ref().map(Session::online_status) {
            None | Some(OnlineStatus::Unknown) => {}
            Some(known) => return known,
        }
        let guest_states: Vec<Option<bool>> = self
            .connections
            .iter()
            .filter(|connection| connection.is_guest())
            .map(Connection::is_open_by_events)
            .collect();
        if guest_states.contains(&Some(true)) {
            OnlineStatus::Online
        } else if guest_states.contains(&Some(false)) {
            OnlineStatus::Offline
        } else {
            OnlineStatus::Unknown
        }
    }

    /// True only when [`SessionDetails::online_status`] is [`OnlineStatus::Online`].
    #[must_use]
    pub fn is_online(&self) -> bool {
        self.online_status() == OnlineStatus::Online
    }
}
