//! The extension's web methods: their parameters, how their arguments are read, and what each
//! does to the sessions.
//!
//! Arguments arrive as a positional JSON array (`["<id>", "hostname"]`) or as an object keyed by
//! the C# parameter names (`{"sessionID": "<id>"}`, names compared without regard to case), as
//! the extension's web-service framework accepts both. A parameter missing from an object is
//! `null`; a missing position is the framework's "Index was out of range" fault.

use std::sync::Arc;

use serde_json::Value;

use super::filter::{self, FilterError};
use super::fleet::{EventRecord, SessionRecord, event_type, session_type};
use super::reply::{self, Fault};
use super::{ReceivedCommand, Shared};
use crate::counters::Event;
use crate::server::Response;

/// One web method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Method {
    /// Its name, as in the URL.
    pub name: &'static str,
    /// Its parameters' names, in order.
    pub params: &'static [&'static str],
    /// Whether it changes data.
    pub writes: bool,
}

/// Every method of the RESTful API Manager extension.
pub const METHODS: &[Method] = &[
    read("GetSessionsByName", &["sessionName"]),
    read("GetSessionBySessionID", &["sessionID"]),
    read("GetSessionDetailsBySessionID", &["sessionID"]),
    read("GetSessionsByFilter", &["sessionFilter"]),
    write(
        "CreateSession",
        &[
            "sessionType",
            "name",
            "isPublic",
            "code",
            "customPropertyValues",
        ],
    ),
    write("UpdateSessionName", &["sessionID", "newName"]),
    write(
        "UpdateSessionCustomProperties",
        &["sessionID", "newCustomProperties"],
    ),
    write("AddNoteToSession", &["sessionID", "noteBody"]),
    write("SendCommandToSession", &["sessionID", "command"]),
    write("SendMessageToSession", &["sessionID", "message"]),
    write(
        "SendToolboxItemToSession",
        &["sessionID", "toolboxItemName"],
    ),
];

const fn read(name: &'static str, params: &'static [&'static str]) -> Method {
    Method {
        name,
        params,
        writes: false,
    }
}

const fn write(name: &'static str, params: &'static [&'static str]) -> Method {
    Method {
        name,
        params,
        writes: true,
    }
}

/// The method named `name` (names are matched exactly, as in the URL).
pub fn find(name: &str) -> Option<&'static Method> {
    METHODS.iter().find(|method| method.name == name)
}

/// The arguments of one call.
struct Args<'a> {
    method: &'static Method,
    body: &'a Value,
}

impl<'a> Args<'a> {
    /// Checks the body's shape and, for an object, its parameter names.
    fn new(method: &'static Method, body: &'a Value) -> Result<Args<'a>, Fault> {
        // The framework binds every argument before the method runs, so a wrong count fails
        // whatever the values are.
        match body {
            Value::Array(items) if items.len() < method.params.len() => {
                return Err(Fault::IndexOutOfRange);
            }
            Value::Array(items) if items.len() > method.params.len() => {
                return Err(Fault::BadArguments("Parameter count mismatch.".to_owned()));
            }
            Value::Null if !method.params.is_empty() => return Err(Fault::IndexOutOfRange),
            Value::Array(_) | Value::Null => {}
            Value::Object(map) => {
                if let Some(unknown) = map.keys().find(|key| {
                    !method
                        .params
                        .iter()
                        .any(|param| param.eq_ignore_ascii_case(key))
                }) {
                    return Err(Fault::UnknownParameter(unknown.clone()));
                }
            }
            _ => {
                return Err(Fault::BadArguments(
                    "the body must be a JSON array of the method's arguments or an object of its \
                     parameters"
                        .to_owned(),
                ));
            }
        }
        Ok(Args { method, body })
    }

    fn get(&self, index: usize) -> Result<&'a Value, Fault> {
        match self.body {
            Value::Array(items) => items.get(index).ok_or(Fault::IndexOutOfRange),
            Value::Object(map) => {
                let name = self.method.params[index];
                Ok(map
                    .iter()
                    .find(|(key, _)| key.eq_ignore_ascii_case(name))
                    .map_or(&Value::Null, |(_, value)| value))
            }
            _ => Err(Fault::IndexOutOfRange),
        }
    }

    /// A string parameter; numbers and flags are converted as the framework converts them.
    fn text(&self, index: usize) -> Result<Option<String>, Fault> {
        match self.get(index)? {
            Value::Null => Ok(None),
            Value::String(text) => Ok(Some(text.clone())),
            Value::Number(n) => Ok(Some(n.to_string())),
            Value::Bool(flag) => Ok(Some(if *flag { "True" } else { "False" }.to_owned())),
            _ => Err(self.cannot_convert(index, "String")),
        }
    }

    fn cannot_convert(&self, index: usize, to: &str) -> Fault {
        Fault::BadArguments(format!(
            "cannot convert the value of parameter '{}' to {to}",
            self.method.params[index]
        ))
    }

    /// A string array parameter (custom property values): at most eight, `null`s empty.
    fn properties(&self, index: usize) -> Result<Vec<String>, Fault> {
        let values = match self.get(index)? {
            Value::Null => Vec::new(),
            Value::Array(items) => items
                .iter()
                .map(|item| match item {
                    Value::Null => Ok(String::new()),
                    Value::String(text) => Ok(text.clone()),
                    Value::Number(n) => Ok(n.to_string()),
                    _ => Err(self.cannot_convert(index, "String[]")),
                })
                .collect::<Result<_, _>>()?,
            _ => return Err(self.cannot_convert(index, "String[]")),
        };
        if values.len() > super::fleet::CUSTOM_PROPERTIES {
            return Err(Fault::IndexOutOfRange);
        }
        let mut values = values;
        values.resize(super::fleet::CUSTOM_PROPERTIES, String::new());
        Ok(values)
    }

    /// The id of an existing session; anything else is the session manager's generic fault.
    fn session(&self, shared: &Shared, index: usize) -> Result<String, Fault> {
        let id = self.text(index)?.ok_or(Fault::SessionManager)?;
        shared
            .lock()
            .fleet
            .get(&id)
            .map(|record| record.id.clone())
            .ok_or(Fault::SessionManager)
    }
}

/// Answers a call of `method` with `body` (the request body parsed as JSON).
pub(super) fn call(shared: &Arc<Shared>, method: &'static Method, body: &Value) -> Response {
    match Args::new(method, body).and_then(|args| answer(shared, &args)) {
        Ok(response) if method.writes => reply::mark_applied(response),
        Ok(response) => response,
        Err(fault) => fault.response(),
    }
}

fn answer(shared: &Arc<Shared>, args: &Args<'_>) -> Result<Response, Fault> {
    match args.method.name {
        "GetSessionsByName" => {
            let name = args.text(0)?.unwrap_or_default();
            let data = shared.lock();
            let sessions: Vec<Value> = data
                .fleet
                .sessions()
                .iter()
                .filter(|record| record.name.eq_ignore_ascii_case(name.trim()))
                .map(SessionRecord::to_json)
                .collect();
            Ok(reply::json_body(&Value::Array(sessions)))
        }
        "GetSessionBySessionID" => {
            let id = args.text(0)?.unwrap_or_default();
            let data = shared.lock();
            let sessions: Vec<Value> = data
                .fleet
                .get(&id)
                .map(SessionRecord::to_json)
                .into_iter()
                .collect();
            Ok(reply::json_body(&Value::Array(sessions)))
        }
        "GetSessionDetailsBySessionID" => {
            // The parameter is a Guid: text that is not one fails conversion.
            let id = args.text(0)?.ok_or(Fault::SessionManager)?;
            if !is_guid(&id) {
                return Err(Fault::BadArguments(
                    "Guid should contain 32 digits with 4 dashes \
                     (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)."
                        .to_owned(),
                ));
            }
            let data = shared.lock();
            let record = data.fleet.get(&id).ok_or(Fault::SessionManager)?;
            Ok(reply::json_body(&record.details_json()))
        }
        "GetSessionsByFilter" => {
            let text = args.text(0)?.unwrap_or_default();
            if text.trim().is_empty() {
                return Err(Fault::Other(
                    "ArgumentNullException",
                    "Value cannot be null. (Parameter 'sessionFilter')".to_owned(),
                ));
            }
            let data = shared.lock();
            let probe = data.fleet.sessions().first();
            let known = |field: &str| {
                probe.is_none_or(|record| record.field(field).is_some())
                    || field.starts_with("CustomProperty")
            };
            let parsed = filter::parse(&text, known).map_err(|error| match &error {
                FilterError::Syntax(_) => Fault::Other("FormatException", error.message()),
                FilterError::UnknownField(_) => {
                    Fault::Other("InvalidOperationException", error.message())
                }
            })?;
            let sessions: Vec<Value> = data
                .fleet
                .sessions()
                .iter()
                .filter(|record| parsed.matches(record))
                .map(SessionRecord::to_json)
                .collect();
            Ok(reply::json_body(&Value::Array(sessions)))
        }
        "CreateSession" => create_session(shared, args),
        "UpdateSessionName" => {
            let id = args.session(shared, 0)?;
            let name = args.text(1)?.unwrap_or_default();
            update(
                shared,
                &id,
                event_type::MODIFIED_NAME,
                Some(name.clone()),
                |record| {
                    record.name = name;
                },
            );
            Ok(reply::applied())
        }
        "UpdateSessionCustomProperties" => {
            let id = args.session(shared, 0)?;
            let values = args.properties(1)?;
            update(
                shared,
                &id,
                event_type::MODIFIED_CUSTOM_PROPERTY,
                None,
                |record| record.custom_properties = values,
            );
            Ok(reply::applied())
        }
        "AddNoteToSession" => {
            let id = args.session(shared, 0)?;
            let note = args.text(1)?.unwrap_or_default();
            update(shared, &id, event_type::ADDED_NOTE, Some(note), |_| {});
            Ok(reply::applied())
        }
        "SendCommandToSession" => {
            let id = args.session(shared, 0)?;
            let command = args.text(1)?.ok_or(Fault::SessionManager)?;
            {
                let mut data = shared.lock();
                let name = data
                    .fleet
                    .get(&id)
                    .map(|record| record.name.clone())
                    .unwrap_or_default();
                data.commands.push(ReceivedCommand {
                    session_id: id.clone(),
                    session_name: name,
                    text: command.clone(),
                });
            }
            shared.enqueue(&id, event_type::QUEUED_COMMAND, command);
            Ok(reply::applied())
        }
        "SendMessageToSession" | "SendToolboxItemToSession" => {
            let id = args.session(shared, 0)?;
            let text = args.text(1)?.ok_or(Fault::SessionManager)?;
            let kind = if args.method.name == "SendMessageToSession" {
                event_type::QUEUED_MESSAGE
            } else {
                event_type::QUEUED_TOOL
            };
            shared.enqueue(&id, kind, text);
            Ok(reply::applied())
        }
        _ => Err(Fault::NoSuchMethod),
    }
}

fn create_session(shared: &Arc<Shared>, args: &Args<'_>) -> Result<Response, Fault> {
    let kind =
        session_type::parse(args.get(0)?).ok_or_else(|| args.cannot_convert(0, "SessionType"))?;
    let name = args.text(1)?.unwrap_or_default();
    let is_public = match args.get(2)? {
        Value::Bool(flag) => *flag,
        Value::Null => false,
        Value::String(text) if text.eq_ignore_ascii_case("true") => true,
        Value::String(text) if text.eq_ignore_ascii_case("false") => false,
        _ => return Err(args.cannot_convert(2, "Boolean")),
    };
    let code = args.text(3)?.unwrap_or_default();
    let custom_properties = args.properties(4)?;
    let now = shared.now();
    let mut data = shared.lock();
    let (id, connection_id) = data.fleet.next_session_ids();
    let event_id = data.fleet.next_event_id();
    let record = SessionRecord {
        id: id.clone(),
        session_type: kind,
        name,
        host: super::fleet::API_USER.to_owned(),
        is_public,
        code,
        custom_properties,
        machine: None,
        online: false,
        connection_id,
        last_connected: None,
        last_disconnected: None,
        events: vec![EventRecord {
            id: event_id,
            event_type: event_type::CREATED_SESSION,
            time: now,
            host: super::fleet::API_USER.to_owned(),
            data: None,
            on_connection: false,
        }],
        queued: Vec::new(),
    };
    let json = record.to_json();
    data.fleet.insert(record);
    shared.counters.record(Event::Created);
    shared.changed(&mut data, &id);
    Ok(reply::json_body(&json))
}

/// Changes session `id` (known to exist), records the event and counts the update.
fn update(
    shared: &Shared,
    id: &str,
    event: u16,
    data: Option<String>,
    change: impl FnOnce(&mut SessionRecord),
) {
    let now = shared.now();
    let mut guard = shared.lock();
    if let Some(record) = guard.fleet.get_mut(id) {
        change(record);
    }
    guard.fleet.push_event(id, event, &now, data);
    shared.counters.record(Event::Updated);
    shared.changed(&mut guard, id);
}

/// Whether `text` is a GUID (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, braces allowed).
fn is_guid(text: &str) -> bool {
    let text = text.trim();
    let text = text
        .strip_prefix('{')
        .and_then(|rest| rest.strip_suffix('}'))
        .unwrap_or(text);
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids() {
        assert!(is_guid("8d2f6a51-3c0e-4b7a-9e12-5f0a1c2b3d41"));
        assert!(is_guid("{8D2F6A51-3C0E-4B7A-9E12-5F0A1C2B3D41}"));
        assert!(!is_guid("8d2f6a51-3c0e-4b7a-9e12-5f0a1c2b3d4"));
        assert!(!is_guid("not a guid"));
    }

    #[test]
    fn the_catalogue_names_each_method_once() {
        let mut names: Vec<&str> = METHODS.iter().map(|method| method.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), METHODS.len());
        assert!(find("AddSessionEvent").is_none());
        assert!(find("SendCommandToSession").is_some_and(|method| method.writes));
    }
}
