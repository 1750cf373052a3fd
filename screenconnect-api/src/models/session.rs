//! A ScreenConnect session as returned by the `GetSession*` methods.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::{
    Connection, ConnectionId, CustomProperties, EventData, EventType, GuestInfo, SessionId,
    SessionType, lenient,
};

/// Whether a session's agent is connected right now, as far as the session data can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OnlineStatus {
    /// The guest (agent) is connected.
    Online,
    /// The guest is not connected.
    Offline,
    /// The response carries neither active connections nor guest connect/disconnect times.
    Unknown,
}

/// One session (for access agents: one machine).
///
/// This is the server's object model, not the flat names used in filters: machine facts live in
/// [`Session::guest_info`] (`GuestInfo.MachineName`), while a filter says `GuestMachineName`.
/// Every field except the id is optional or defaulted because responses vary by server version.
/// Fields this crate does not model are kept in [`Session::extra`] and written back by
/// `Serialize`, so a read-modify-write never drops data.
///
/// Custom properties arrive as `CustomPropertyValues` (array) or `CustomProperties` (object); both
/// fill [`Session::custom_properties`], and serialisation writes `CustomPropertyValues`. When both
/// keys are present, the array wins unless it is entirely empty (it is the form seen on live
/// servers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Session {
    /// The session's id.
    #[serde(rename = "SessionID")]
    pub session_id: SessionId,
    /// The session's name. Often empty for unattended agents installed without a name (`t=`);
    /// use [`Session::display_name`] for something to show.
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    pub name: String,
    /// Support, meeting or access.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_type: Option<SessionType>,
    /// The session's host (owner) field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// Whether the session is listed publicly for guests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_public: Option<bool>,
    /// The join code of a support session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The eight custom property values (`CustomPropertyValues` or `CustomProperties`).
    #[serde(flatten, with = "custom_properties_field")]
    pub custom_properties: CustomProperties,
    /// Machine facts reported by the agent; all fields empty when the server sent none.
    #[serde(
        default,
        deserialize_with = "lenient::null_as_default",
        skip_serializing_if = "GuestInfo::is_empty"
    )]
    pub guest_info: GuestInfo,
    /// When the agent last refreshed [`Session::guest_info`].
    #[serde(
        default,
        with = "super::timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub guest_info_update_time: Option<OffsetDateTime>,
    /// The agent's version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guest_client_version: Option<String>,
    /// The agent's public address as seen by the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guest_network_address: Option<String>,
    /// Connections open right now. `None` when the server did not send the field, which is
    /// different from `Some(empty)` (nobody connected).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_connections: Option<Vec<Connection>>,
    /// The last time any participant connected.
    #[serde(
        default,
        with = "super::timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_connected_event_time: Option<OffsetDateTime>,
    /// The time of the session's latest event.
    #[serde(
        default,
        with = "super::timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_event_time: Option<OffsetDateTime>,
    /// The last time the guest (agent) connected.
    #[serde(
        default,
        with = "super::timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_guest_connected_event_time: Option<OffsetDateTime>,
    /// The last time the guest (agent) disconnected.
    #[serde(
        default,
        with = "super::timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_guest_disconnected_event_time: Option<OffsetDateTime>,
    /// Whether the session has ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_ended: Option<bool>,
    /// The type of the event queued for the agent, if one is pending.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queued_event_type: Option<EventType>,
    /// Who queued the pending event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queued_event_host: Option<String>,
    /// The pending event's payload (for a queued command: the command text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queued_event_data: Option<EventData>,
    /// The connection the pending event targets.
    #[serde(
        default,
        rename = "QueuedEventConnectionID",
        skip_serializing_if = "Option::is_none"
    )]
    pub queued_event_connection_id: Option<ConnectionId>,
    /// Fields this crate does not model, kept so a round trip loses nothing.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Reads the custom properties from whichever of the two keys the server used.
///
/// As a flattened field this sees the session's remaining keys through serde's flatten buffer;
/// asking for a struct with exactly the two field names claims those entries, so they do not also
/// land in `extra`.
mod custom_properties_field {
    use std::fmt;

    use serde::de::{MapAccess, Visitor};
    use serde::ser::SerializeMap;
    use serde::{Deserializer, Serializer};

    use super::CustomProperties;

    const ARRAY_KEY: &str = "CustomPropertyValues";
    const OBJECT_KEY: &str = "CustomProperties";

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<CustomProperties, D::Error> {
        deserializer.deserialize_struct("CustomProperties", &[ARRAY_KEY, OBJECT_KEY], Either)
    }

    pub(super) fn serialize<S: Serializer>(
        props: &CustomProperties,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(ARRAY_KEY, props)?;
        map.end()
    }

    struct Either;

    impl<'de> Visitor<'de> for Either {
        type Value = CustomProperties;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("CustomPropertyValues or CustomProperties")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut array: Option<CustomProperties> = None;
            let mut object: Option<CustomProperties> = None;
            while let Some(key) = map.next_key::<String>()? {
                let value = map
                    .next_value::<CustomProperties>()
                    .map_err(|err| serde::de::Error::custom(format!("invalid {key}: {err}")))?;
                if key == ARRAY_KEY {
                    array = Some(value);
                } else {
                    object = Some(value);
                }
            }
            Ok(match (array, object) {
                (Some(array), Some(object)) if array.is_empty() => object,
                (Some(array), _) => array,
                (None, Some(object)) => object,
                (None, None) => CustomProperties::default(),
            })
        }
    }
}

impl Session {
    /// The agent's machine name (`GuestInfo.MachineName`), if reported.
    #[must_use]
    pub fn machine_name(&self) -> Option<&str> {
        self.guest_info
            .machine_name
            .as_deref()
            .filter(|name| !name.is_empty())
    }

    /// Something to show for the session: its name, else the machine name, else the id.
    #[must_use]
    pub fn display_name(&self) -> &str {
        if !self.name.trim().is_empty() {
            return &self.name;
        }
        self.machine_name().unwrap_or(self.session_id.as_str())
    }

    /// Whether the agent is connected right now.
    ///
    /// The rule, in order:
    /// 1. an ended session (`IsEnded`) is offline, whatever its connect times say;
    /// 2. when the response carries `ActiveConnections`, the agent is online exactly when one of
    ///    them is a guest connection (`ProcessType` Guest) — a technician alone does not count;
    /// 3. otherwise, when `LastGuestConnectedEventTime` is set, the agent is online when that time
    ///    is later than `LastGuestDisconnectedEventTime` (or there was never a disconnect);
    /// 4. otherwise, when only a disconnect time is known, it is offline;
    /// 5. otherwise the status is [`OnlineStatus::Unknown`].
    #[must_use]
    pub fn online_status(&self) -> OnlineStatus {
        // An ended session keeps its last connect time and may never get a disconnect time.
        if self.is_ended == Some(true) {
            return OnlineStatus::Offline;
        }
        if let Some(connections) = &self.active_connections {
            return if connections.iter().any(Connection::is_guest) {
                OnlineStatus::Online
            } else {
                OnlineStatus::Offline
            };
        }
        match (
            self.last_guest_connected_event_time,
            self.last_guest_disconnected_event_time,
        ) {
            (Some(connected), Some(disconnected)) if connected > disconnected => {
                OnlineStatus::Online
            }
            (Some(_), None) => OnlineStatus::Online,
            (Some(_), Some(_)) | (None, Some(_)) => OnlineStatus::Offline,
            (None, None) => OnlineStatus::Unknown,
        }
    }

    /// True only when [`Session::online_status`] is [`OnlineStatus::Online`]; an unknown status
    /// counts as not online.
    #[must_use]
    pub fn is_online(&self) -> bool {
        self.online_status() == OnlineStatus::Online
    }

    /// When the machine was last seen: `GuestInfo.LastActivityTime`, else the last guest connect.
    #[must_use]
    pub fn last_seen(&self) -> Option<OffsetDateTime> {
        self.guest_info
            .last_activity_time
            .or(self.last_guest_connected_event_time)
    }
}
