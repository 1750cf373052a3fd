//! The sessions the ScreenConnect server holds: seeded access sessions (one per managed machine
//! of the [seed](crate::seed)), sessions created through the API or by a simulated install, their
//! events and the work queued for their agents, rendered in the extension's JSON shapes.
//!
//! Sessions are kept as compact records and rendered to JSON when asked for. Only sessions a
//! client changed are written to the state file; the others come back from the seed.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::seed::{Device, Seed, mix, pick};

/// The name the extension gives the "Host" of events its API creates (`RESTfulUserName`).
pub const API_USER: &str = "RESTful API";
/// The agent version every simulated agent reports.
pub const AGENT_VERSION: &str = "24.1.5.8865";
/// How many custom properties a session has.
pub const CUSTOM_PROPERTIES: usize = 8;
/// "Never", as the server writes it: no zone.
const NEVER: &str = "0001-01-01T00:00:00";

/// Session types by number.
pub mod session_type {
    /// A support session.
    pub const SUPPORT: u8 = 0;
    /// A meeting.
    pub const MEETING: u8 = 1;
    /// An unattended access session.
    pub const ACCESS: u8 = 2;

    /// The number of a session type given as a number or a name.
    pub fn parse(value: &serde_json::Value) -> Option<u8> {
        match value {
            serde_json::Value::Number(n) => n.as_u64().filter(|n| *n <= 2).map(|n| n as u8),
            serde_json::Value::String(text) => match text.trim().to_ascii_lowercase().as_str() {
                "support" | "0" => Some(SUPPORT),
                "meeting" | "1" => Some(MEETING),
                "access" | "2" => Some(ACCESS),
                _ => None,
            },
            _ => None,
        }
    }

    /// The name filters compare with.
    pub fn name(number: u8) -> &'static str {
        match number {
            SUPPORT => "Support",
            MEETING => "Meeting",
            _ => "Access",
        }
    }
}

/// Session event numbers the server writes.
pub mod event_type {
    /// A participant connected.
    pub const CONNECTED: u16 = 10;
    /// A participant disconnected.
    pub const DISCONNECTED: u16 = 11;
    /// The session was created.
    pub const CREATED_SESSION: u16 = 20;
    /// A note was added.
    pub const ADDED_NOTE: u16 = 32;
    /// A command was queued.
    pub const QUEUED_COMMAND: u16 = 44;
    /// A chat message was queued.
    pub const QUEUED_MESSAGE: u16 = 45;
    /// A toolbox item was queued.
    pub const QUEUED_TOOL: u16 = 47;
    /// What a queued event becomes when the agent processes it (`Queued*` + 10).
    pub const PROCESSED_OFFSET: u16 = 10;
    /// The name was changed.
    pub const MODIFIED_NAME: u16 = 60;
    /// The custom properties were changed.
    pub const MODIFIED_CUSTOM_PROPERTY: u16 = 64;
    /// A command finished; `Data` holds its output.
    pub const RAN_COMMAND: u16 = 70;
}

/// What the agent reports about its machine (`GuestInfo`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Machine {
    /// The host name.
    pub name: String,
    /// The Windows domain or workgroup.
    pub domain: String,
    /// The operating system's name (`Microsoft Windows 11 Pro`, `macOS 14`, `Ubuntu 22.04`).
    pub os: String,
    /// The logged-on user.
    pub user: String,
    /// The private IPv4 address.
    pub private_address: String,
    /// The public address the server sees.
    pub public_address: String,
    /// The serial number.
    pub serial: String,
    /// The hardware (MAC) address.
    pub mac: String,
}

impl Machine {
    /// Whether the machine runs Windows (its agent's default shell is `cmd`).
    pub fn is_windows(&self) -> bool {
        self.os.contains("Windows")
    }
}

/// One event of a session's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventRecord {
    /// `EventID`.
    pub id: String,
    /// `EventType`.
    pub event_type: u16,
    /// `Time`, already formatted.
    pub time: String,
    /// `Host`: who caused it.
    pub host: String,
    /// `Data`: note, command text, output or chat text.
    pub data: Option<String>,
    /// Whether the event belongs to the guest connection (listed under `Connections`).
    #[serde(default)]
    pub on_connection: bool,
}

/// Work queued for the agent: a command, a chat message or a toolbox item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Queued {
    /// The id of the `Queued*` event that recorded it.
    pub event_id: String,
    /// The `Queued*` event type.
    pub event_type: u16,
    /// The command text, message or item name.
    pub data: String,
    /// Whether the agent took it and is working on it.
    #[serde(default)]
    pub picked_up: bool,
}

/// One session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionRecord {
    /// `SessionID`.
    pub id: String,
    /// `SessionType` as a number.
    pub session_type: u8,
    /// `Name` (blank for an agent installed without `t=`).
    pub name: String,
    /// `Host`.
    pub host: String,
    /// `IsPublic`.
    pub is_public: bool,
    /// `Code`.
    pub code: String,
    /// `CustomPropertyValues`, always eight.
    pub custom_properties: Vec<String>,
    /// The agent's machine, for access sessions with an agent.
    pub machine: Option<Machine>,
    /// Whether the agent is connected.
    pub online: bool,
    /// The guest connection's id.
    pub connection_id: String,
    /// `LastGuestConnectedEventTime`, formatted.
    pub last_connected: Option<String>,
    /// `LastGuestDisconnectedEventTime`, formatted.
    pub last_disconnected: Option<String>,
    /// The history, oldest first.
    pub events: Vec<EventRecord>,
    /// Work waiting for the agent, oldest first.
    pub queued: Vec<Queued>,
}

impl SessionRecord {
    /// The session as the `GetSession*` methods return it.
    pub fn to_json(&self) -> Value {
        let never = || Value::String(NEVER.to_owned());
        let stamp = |time: &Option<String>| time.clone().map_or_else(never, Value::String);
        let last_event = self
            .events
            .last()
            .map_or_else(never, |event| Value::String(event.time.clone()));
        let connections = if self.online && self.machine.is_some() {
            json!([self.connection_json(false)])
        } else {
            json!([])
        };
        let head = self.queued.first();
        json!({
            "SessionID": self.id,
            "SessionType": self.session_type,
            "Name": self.name,
            "Host": self.host,
            "IsPublic": self.is_public,
            "Code": self.code,
            "CustomPropertyValues": self.custom_properties,
            "GuestInfo": self.machine.as_ref().map_or_else(|| json!({}), |machine| guest_info(machine, self.last_connected.as_deref())),
            "GuestInfoUpdateTime": stamp(&self.last_connected),
            "GuestClientVersion": if self.machine.is_some() { AGENT_VERSION } else { "" },
            "GuestNetworkAddress": self.machine.as_ref().map_or("", |machine| machine.public_address.as_str()),
            "ActiveConnections": connections,
            "LastConnectedEventTime": stamp(&self.last_connected),
            "LastEventTime": last_event,
            "LastGuestConnectedEventTime": stamp(&self.last_connected),
            "LastGuestDisconnectedEventTime": stamp(&self.last_disconnected),
            "IsEnded": false,
            "QueuedEventType": head.map_or(0, |queued| queued.event_type),
            "QueuedEventHost": head.map(|_| API_USER),
            "QueuedEventData": head.map(|queued| queued.data.as_str()),
            "QueuedEventConnectionID": head.map(|_| self.connection_id.as_str()),
            "Attributes": 0,
        })
    }

    /// The session with its history, as `GetSessionDetailsBySessionID` returns it: session
    /// events at the top level, connect and disconnect events under the guest connection.
    pub fn details_json(&self) -> Value {
        let events: Vec<Value> = self
            .events
            .iter()
            .filter(|event| !event.on_connection)
            .map(event_json)
            .collect();
        let connections = if self.machine.is_some() {
            json!([self.connection_json(true)])
        } else {
            json!([])
        };
        json!({
            "Session": self.to_json(),
            "Events": events,
            "Connections": connections,
        })
    }

    fn connection_json(&self, with_events: bool) -> Value {
        let mut connection = json!({
            "ConnectionID": self.connection_id,
            "ProcessType": 2,
            "ParticipantName": self.machine.as_ref().map_or("", |machine| machine.user.as_str()),
            "ClientType": if self.machine.as_ref().is_some_and(Machine::is_windows) { 1 } else { 3 },
            "ClientVersion": AGENT_VERSION,
            "NetworkAddress": self.machine.as_ref().map_or("", |machine| machine.public_address.as_str()),
        });
        if with_events {
            connection["Events"] = self
                .events
                .iter()
                .filter(|event| event.on_connection)
                .map(event_json)
                .collect();
        }
        connection
    }

    /// The flat value of a filter field (`GuestMachineName`, `CustomProperty3`, …), or `None`
    /// for a field the server does not know.
    pub fn field(&self, name: &str) -> Option<FieldValue> {
        let name = name.strip_prefix("Session.").unwrap_or(name);
        let text = |value: &str| Some(FieldValue::Text(value.to_owned()));
        let machine = self.machine.as_ref();
        let guest = |get: fn(&Machine) -> &str| {
            Some(machine.map_or(FieldValue::Null, |machine| {
                FieldValue::Text(get(machine).to_owned())
            }))
        };
        if let Some(index) = name
            .strip_prefix("CustomProperty")
            .and_then(|n| n.parse::<usize>().ok())
        {
            return (1..=CUSTOM_PROPERTIES)
                .contains(&index)
                .then(|| FieldValue::Text(self.custom_properties[index - 1].clone()));
        }
        match name {
            "SessionID" => text(&self.id),
            "Name" => text(&self.name),
            "SessionType" => Some(FieldValue::Enum(
                session_type::name(self.session_type),
                f64::from(self.session_type),
            )),
            "Host" => text(&self.host),
            "Code" => text(&self.code),
            "IsPublic" => Some(FieldValue::Bool(self.is_public)),
            "IsEnded" => Some(FieldValue::Bool(false)),
            "GuestConnectedCount" => Some(FieldValue::Number(f64::from(u8::from(
                self.online && machine.is_some(),
            )))),
            "GuestMachineName" => guest(|m| &m.name),
            "GuestMachineDomain" => guest(|m| &m.domain),
            "GuestMachineSerialNumber" => guest(|m| &m.serial),
            "GuestLoggedOnUserName" => guest(|m| &m.user),
            "GuestLoggedOnUserDomain" => guest(|m| &m.domain),
            "GuestOperatingSystemName" => guest(|m| &m.os),
            "GuestPrivateNetworkAddress" => guest(|m| &m.private_address),
            "GuestNetworkAddress" => guest(|m| &m.public_address),
            "GuestHardwareNetworkAddress" => guest(|m| &m.mac),
            "GuestClientVersion" => Some(if machine.is_some() {
                FieldValue::Text(AGENT_VERSION.to_owned())
            } else {
                FieldValue::Null
            }),
            "GuestLastActivityTime" | "LastConnectedEventTime" => Some(
                self.last_connected
                    .clone()
                    .map_or(FieldValue::Null, FieldValue::Text),
            ),
            _ => None,
        }
    }
}

/// A session property as a filter sees it.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldValue {
    /// Text (compared without regard to case, as SQL Server's default collation does).
    Text(String),
    /// A number.
    Number(f64),
    /// A flag.
    Bool(bool),
    /// An enum: its name and number.
    Enum(&'static str, f64),
    /// No value.
    Null,
}

fn event_json(event: &EventRecord) -> Value {
    json!({
        "EventID": event.id,
        "EventType": event.event_type,
        "Time": event.time,
        "Host": event.host,
        "Data": event.data,
    })
}

fn guest_info(machine: &Machine, updated: Option<&str>) -> Value {
    let (manufacturer, version) = if machine.is_windows() {
        ("Microsoft Corporation", "10.0.22631")
    } else if machine.os.starts_with("macOS") {
        ("Apple Inc.", "14.5.0")
    } else {
        ("Linux", "6.5.0")
    };
    json!({
        "MachineName": machine.name,
        "MachineDomain": machine.domain,
        "MachineSerialNumber": machine.serial,
        "LoggedOnUserName": machine.user,
        "LoggedOnUserDomain": machine.domain,
        "OperatingSystemName": machine.os,
        "OperatingSystemVersion": version,
        "OperatingSystemManufacturerName": manufacturer,
        "PrivateNetworkAddress": machine.private_address,
        "HardwareNetworkAddress": machine.mac,
        "ProcessorVirtualCount": 8,
        "SystemMemoryTotalMegabytes": 16_384,
        "LastActivityTime": updated.unwrap_or(NEVER),
    })
}

/// Every session, with indexes by id and the counter new event ids come from.
#[derive(Debug)]
pub struct Fleet {
    sessions: Vec<SessionRecord>,
    by_id: HashMap<String, usize>,
    next_event: u64,
    next_session: u64,
    seed: u64,
}

/// The part of the fleet kept in the state file: the sessions clients changed or created.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Saved {
    /// The next event number.
    pub next_event: u64,
    /// The next created session's number.
    pub next_session: u64,
    /// Changed and created sessions, whole.
    pub sessions: Vec<SessionRecord>,
}

impl Fleet {
    /// The access sessions of `seed`'s machines (network devices run no agent), as they stand
    /// at `now`.
    pub fn seeded(seed: &Seed, now: &str) -> Fleet {
        let mut fleet = Fleet {
            sessions: Vec::new(),
            by_id: HashMap::new(),
            next_event: 1,
            next_session: 1,
            seed: seed.options().seed,
        };
        for device in seed.devices() {
            if device.type_name == "Network Device" {
                continue;
            }
            let record = fleet.seeded_session(seed, device, now);
            fleet.insert(record);
        }
        fleet
    }

    fn seeded_session(&self, seed: &Seed, device: &Device, now: &str) -> SessionRecord {
        let key = device.configuration_id as u64;
        let id = guid(self.seed, "sc.session", key);
        // The sample laptop is away; of the generated machines about one in six is.
        let online = if device.configuration_id == 303 {
            false
        } else {
            seed.pick("sc.offline", key, 6) != 0
        };
        let os = match device.os.as_str() {
            os if os.starts_with("Windows") => format!("Microsoft {os}"),
            os => os.to_owned(),
        };
        let user = device
            .contact_name
            .as_deref()
            .map_or_else(String::new, |name| {
                let mut parts = name.split(' ');
                let first = parts.next().unwrap_or_default();
                let last = parts.next_back().unwrap_or_default();
                format!(
                    "{}{}",
                    first.chars().next().unwrap_or('x').to_ascii_lowercase(),
                    last.to_ascii_lowercase()
                )
            });
        let octet = |stream: &str| pick(self.seed, stream, key, 250) + 2;
        let machine = Machine {
            name: device.name.clone(),
            domain: device.company_identifier.clone(),
            os,
            user,
            private_address: format!(
                "10.{}.{}.{}",
                octet("sc.net"),
                octet("sc.subnet"),
                octet("sc.host")
            ),
            public_address: format!("203.0.113.{}", octet("sc.public")),
            serial: device.serial_number.clone(),
            mac: format!(
                "00-15-5D-{:02X}-{:02X}-{:02X}",
                octet("sc.mac1"),
                octet("sc.mac2"),
                octet("sc.mac3")
            ),
        };
        let tag = match device.type_name.as_str() {
            "Workstation" => "Workstations",
            "Laptop" => "Laptops",
            "Server" => "Servers",
            other => other,
        };
        let site = seed
            .company(device.company_id)
            .map_or_else(String::new, |company| format!("{} Office", company.city));
        let mut custom_properties = vec![device.company_name.clone(), site, tag.to_owned()];
        custom_properties.resize(CUSTOM_PROPERTIES, String::new());
        let installed = "2026-05-14T06:58:12.0000000Z".to_owned();
        let mut record = SessionRecord {
            id,
            session_type: session_type::ACCESS,
            name: device.name.clone(),
            host: String::new(),
            is_public: false,
            code: String::new(),
            custom_properties,
            machine: Some(machine),
            online,
            connection_id: guid(self.seed, "sc.connection", key),
            last_connected: Some(installed.clone()),
            last_disconnected: None,
            events: Vec::new(),
            queued: Vec::new(),
        };
        let event = |n: u64, event_type: u16, time: &str, on_connection: bool| EventRecord {
            id: guid(self.seed, "sc.seed-event", key * 4 + n),
            event_type,
            time: time.to_owned(),
            host: String::new(),
            data: None,
            on_connection,
        };
        record
            .events
            .push(event(0, event_type::CREATED_SESSION, &installed, false));
        record
            .events
            .push(event(1, event_type::CONNECTED, &installed, true));
        if !online {
            record
                .events
                .push(event(2, event_type::DISCONNECTED, now, true));
            record.last_disconnected = Some(now.to_owned());
        }
        record
    }

    /// Puts back what a state file saved.
    pub fn restore(&mut self, saved: Saved) {
        self.next_event = self.next_event.max(saved.next_event);
        self.next_session = self.next_session.max(saved.next_session);
        for record in saved.sessions {
            match self.by_id.get(&record.id.to_ascii_lowercase()) {
                Some(&index) => self.sessions[index] = record,
                None => self.insert(record),
            }
        }
    }

    /// What to save: the sessions in `changed` (by id).
    pub fn saved<'a>(&self, changed: impl IntoIterator<Item = &'a String>) -> Saved {
        Saved {
            next_event: self.next_event,
            next_session: self.next_session,
            sessions: changed
                .into_iter()
                .filter_map(|id| self.get(id).cloned())
                .collect(),
        }
    }

    /// Adds a session.
    pub fn insert(&mut self, record: SessionRecord) {
        self.by_id
            .insert(record.id.to_ascii_lowercase(), self.sessions.len());
        self.sessions.push(record);
    }

    /// Every session, in creation order.
    pub fn sessions(&self) -> &[SessionRecord] {
        &self.sessions
    }

    /// Every session, to change them.
    pub fn sessions_mut(&mut self) -> &mut [SessionRecord] {
        &mut self.sessions
    }

    /// The session with this id (any case, braces allowed).
    pub fn get(&self, id: &str) -> Option<&SessionRecord> {
        self.index_of(id).map(|index| &self.sessions[index])
    }

    /// The session with this id, to change it.
    pub fn get_mut(&mut self, id: &str) -> Option<&mut SessionRecord> {
        self.index_of(id).map(|index| &mut self.sessions[index])
    }

    fn index_of(&self, id: &str) -> Option<usize> {
        let id = id.trim();
        let id = id
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix('}'))
            .unwrap_or(id);
        self.by_id.get(&id.to_ascii_lowercase()).copied()
    }

    /// The access session whose name is `name` (ignoring case), the oldest when there are several.
    pub fn access_session_named(&self, name: &str) -> Option<&SessionRecord> {
        self.sessions.iter().find(|record| {
            record.session_type == session_type::ACCESS && record.name.eq_ignore_ascii_case(name)
        })
    }

    /// A fresh event id.
    pub fn next_event_id(&mut self) -> String {
        let n = self.next_event;
        self.next_event += 1;
        guid(self.seed, "sc.event", n)
    }

    /// A fresh session id and connection id.
    pub fn next_session_ids(&mut self) -> (String, String) {
        let n = self.next_session;
        self.next_session += 1;
        (
            guid(self.seed, "sc.new-session", n),
            guid(self.seed, "sc.new-connection", n),
        )
    }

    /// Appends an event to session `id` and returns its id.
    pub fn push_event(
        &mut self,
        id: &str,
        event_type: u16,
        time: &str,
        data: Option<String>,
    ) -> Option<String> {
        let event_id = self.next_event_id();
        let record = self.get_mut(id)?;
        record.events.push(EventRecord {
            id: event_id.clone(),
            event_type,
            time: time.to_owned(),
            host: API_USER.to_owned(),
            data,
            on_connection: false,
        });
        Some(event_id)
    }
}

/// A GUID (version 4 layout) derived from the seed, a stream and a number.
pub fn guid(seed: u64, stream: &str, n: u64) -> String {
    let high = pick(seed, stream, n, u64::MAX);
    let low = mix(high ^ n);
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        high >> 32,
        (high >> 16) & 0xffff,
        high & 0x0fff,
        0x8000 | ((low >> 48) & 0x3fff),
        low & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::SeedOptions;

    #[test]
    fn seeded_sessions_are_named_after_the_machines() {
        let seed = Seed::new(&SeedOptions {
            companies: 3,
            ..SeedOptions::default()
        });
        let fleet = Fleet::seeded(&seed, "2026-05-14T08:00:00.0000000Z");
        let agents: Vec<&str> = seed
            .devices()
            .iter()
            .filter(|device| device.type_name != "Network Device")
            .map(|device| device.name.as_str())
            .collect();
        let names: Vec<&str> = fleet.sessions().iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, agents);
        let laptop = fleet
            .access_session_named("nw-lt-007")
            .expect("the sample laptop");
        assert!(!laptop.online);
        let json = laptop.to_json();
        assert_eq!(json["GuestInfo"]["MachineName"], "NW-LT-007");
        assert_eq!(json["CustomPropertyValues"][0], "Northwind Traders");
        assert_eq!(json["ActiveConnections"], json!([]));
        assert_eq!(fleet.get(&laptop.id.to_ascii_uppercase()), Some(laptop));
        let again = Fleet::seeded(&seed, "2026-05-14T08:00:00.0000000Z");
        assert_eq!(again.sessions(), fleet.sessions());
    }

    #[test]
    fn guids_look_like_guids() {
        let id = guid(1, "x", 7);
        assert_eq!(id.len(), 36);
        assert_eq!(id.as_bytes()[14], b'4');
        assert_ne!(id, guid(1, "x", 8));
    }
}
