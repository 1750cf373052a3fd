//! The extension's web methods as [`Call`] values: names, argument order and idempotency in one
//! place, without I/O.
//!
//! [`Client`](crate::Client)'s typed methods send these; pass one to
//! [`build_request`](crate::build_request) to see the exact request. Reads are
//! [`Idempotency::Safe`]; every write is [`NonIdempotent`](Idempotency::NonIdempotent), so it is never repeated after the
//! server may have acted on it.
//!
//! Argument shapes follow the extension's published signatures. Two are not confirmed against a
//! live server: `SendMessageToSession` is sent as `[sessionID, message]` (one client sends a third
//! argument), and `SendToolboxItemToSession` as `[sessionID, toolboxItemName]`. If an instance
//! answers `InvalidArguments`, send the other shape with
//! [`Client::call_write`](crate::Client::call_write).

use msp_common::{Error, Idempotency};
use serde_json::json;

use crate::call::Call;
use crate::filter::SessionFilter;
use crate::models::{CustomProperties, SessionId, SessionType};

/// `GetSessionsByName`.
pub const GET_SESSIONS_BY_NAME: &str = "GetSessionsByName";
/// `GetSessionBySessionID`.
pub const GET_SESSION_BY_SESSION_ID: &str = "GetSessionBySessionID";
/// `GetSessionDetailsBySessionID`.
pub const GET_SESSION_DETAILS_BY_SESSION_ID: &str = "GetSessionDetailsBySessionID";
/// `GetSessionsByFilter`.
pub const GET_SESSIONS_BY_FILTER: &str = "GetSessionsByFilter";
/// `CreateSession`.
pub const CREATE_SESSION: &str = "CreateSession";
/// `UpdateSessionName`.
pub const UPDATE_SESSION_NAME: &str = "UpdateSessionName";
/// `UpdateSessionCustomProperties`.
pub const UPDATE_SESSION_CUSTOM_PROPERTIES: &str = "UpdateSessionCustomProperties";
/// `AddNoteToSession`.
pub const ADD_NOTE_TO_SESSION: &str = "AddNoteToSession";
/// `SendCommandToSession`.
pub const SEND_COMMAND_TO_SESSION: &str = "SendCommandToSession";
/// `SendMessageToSession`.
pub const SEND_MESSAGE_TO_SESSION: &str = "SendMessageToSession";
/// `SendToolboxItemToSession`.
pub const SEND_TOOLBOX_ITEM_TO_SESSION: &str = "SendToolboxItemToSession";

/// The web methods this crate knows, with whether each is safe to repeat. [`Call::new`] looks a
/// method up here (ignoring case, as the server's routing does) and a known method keeps its own
/// idempotency whatever the caller declared: a write is never sent as a read, so read-only mode
/// refuses it and no retry repeats it.
const KNOWN: &[(&str, Idempotency)] = &[
    (GET_SESSIONS_BY_NAME, Idempotency::Safe),
    (GET_SESSION_BY_SESSION_ID, Idempotency::Safe),
    (GET_SESSION_DETAILS_BY_SESSION_ID, Idempotency::Safe),
    (GET_SESSIONS_BY_FILTER, Idempotency::Safe),
    (CREATE_SESSION, Idempotency::NonIdempotent),
    (UPDATE_SESSION_NAME, Idempotency::NonIdempotent),
    (UPDATE_SESSION_CUSTOM_PROPERTIES, Idempotency::NonIdempotent),
    (ADD_NOTE_TO_SESSION, Idempotency::NonIdempotent),
    (SEND_COMMAND_TO_SESSION, Idempotency::NonIdempotent),
    (SEND_MESSAGE_TO_SESSION, Idempotency::NonIdempotent),
    (SEND_TOOLBOX_ITEM_TO_SESSION, Idempotency::NonIdempotent),
];

/// The idempotency of a web method this crate knows, `None` for any other method.
///
/// ```
/// use msp_common::Idempotency;
/// use screenconnect_api::methods::known_idempotency;
///
/// assert_eq!(known_idempotency("SendCommandToSession"), Some(Idempotency::NonIdempotent));
/// assert_eq!(known_idempotency("getsessionsbyname"), Some(Idempotency::Safe));
/// assert_eq!(known_idempotency("GetSomethingElse"), None);
/// ```
pub fn known_idempotency(method: &str) -> Option<Idempotency> {
    KNOWN
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(method))
        .map(|(_, idempotency)| *idempotency)
}

/// `GetSessionsByName(sessionName)`: the sessions whose name matches (the server decides how).
pub fn get_sessions_by_name(name: &str) -> Call {
    Call::typed_read(GET_SESSIONS_BY_NAME, vec![("sessionName", json!(name))])
}

/// `GetSessionBySessionID(sessionID)`.
pub fn get_session_by_id(id: &SessionId) -> Call {
    Call::typed_read(GET_SESSION_BY_SESSION_ID, vec![("sessionID", json!(id))])
}

/// `GetSessionDetailsBySessionID(sessionID)`.
pub fn get_session_details(id: &SessionId) -> Call {
    Call::typed_read(
        GET_SESSION_DETAILS_BY_SESSION_ID,
        vec![("sessionID", json!(id))],
    )
}

/// `GetSessionsByFilter(sessionFilter)`. A [`SessionFilter`] is never empty, so the server's
/// refusal of empty filters cannot happen.
pub fn get_sessions_by_filter(filter: &SessionFilter) -> Call {
    Call::typed_read(
        GET_SESSIONS_BY_FILTER,
        vec![("sessionFilter", json!(filter.as_str()))],
    )
}

/// `CreateSession(sessionType, name, isPublic, code, customPropertyValues)`.
pub fn create_session(session: &NewSession) -> Call {
    Call::typed_write(
        CREATE_SESSION,
        vec![
            json!(session.session_type),
            json!(session.name),
            json!(session.is_public),
            json!(session.code),
            json!(session.custom_properties.as_array()),
        ],
    )
}

/// `UpdateSessionName(sessionID, newName)`.
pub fn update_session_name(id: &SessionId, name: &str) -> Call {
    Call::typed_write(UPDATE_SESSION_NAME, vec![json!(id), json!(name)])
}

/// `UpdateSessionCustomProperties(sessionID, newCustomProperties)`: all eight values, because
/// the server replaces the whole array.
pub fn update_custom_properties(id: &SessionId, properties: &CustomProperties) -> Call {
    Call::typed_write(
        UPDATE_SESSION_CUSTOM_PROPERTIES,
        vec![json!(id), json!(properties.as_array())],
    )
}

/// `AddNoteToSession(sessionID, noteBody)`.
///
/// # Errors
/// [`Error::Build`] when the note is empty or only whitespace.
pub fn add_note(id: &SessionId, note: &str) -> Result<Call, Error> {
    non_blank(ADD_NOTE_TO_SESSION, "note", note)?;
    Ok(Call::typed_write(
        ADD_NOTE_TO_SESSION,
        vec![json!(id), json!(note)],
    ))
}

/// `SendCommandToSession(sessionID, command)`: queues the command text as it is.
///
/// # Errors
/// [`Error::Build`] when the command is empty or only whitespace.
pub fn send_command(id: &SessionId, command: &str) -> Result<Call, Error> {
    non_blank(SEND_COMMAND_TO_SESSION, "command", command)?;
    Ok(Call::typed_write(
        SEND_COMMAND_TO_SESSION,
        vec![json!(id), json!(command)],
    ))
}

/// `SendMessageToSession(sessionID, message)`: a chat message to the machine's user.
///
/// # Errors
/// [`Error::Build`] when the message is empty or only whitespace.
pub fn send_message(id: &SessionId, message: &str) -> Result<Call, Error> {
    non_blank(SEND_MESSAGE_TO_SESSION, "message", message)?;
    Ok(Call::typed_write(
        SEND_MESSAGE_TO_SESSION,
        vec![json!(id), json!(message)],
    ))
}

/// `SendToolboxItemToSession(sessionID, toolboxItemName)`: runs a toolbox item on the machine.
///
/// # Errors
/// [`Error::Build`] when the item name is empty or only whitespace.
pub fn send_toolbox_item(id: &SessionId, item: &str) -> Result<Call, Error> {
    non_blank(SEND_TOOLBOX_ITEM_TO_SESSION, "toolbox item name", item)?;
    Ok(Call::typed_write(
        SEND_TOOLBOX_ITEM_TO_SESSION,
        vec![json!(id), json!(item)],
    ))
}

/// Refuses blank text that the server would accept and act on pointlessly.
fn non_blank(method: &str, what: &str, text: &str) -> Result<(), Error> {
    if text.trim().is_empty() {
        Err(Error::build(method, format!("the {what} is empty")))
    } else {
        Ok(())
    }
}

/// The arguments of `CreateSession`.
///
/// ```
/// use screenconnect_api::NewSession;
/// use screenconnect_api::models::{CustomProperties, SessionType};
///
/// let ticket = NewSession::new(SessionType::Support, "Ticket 4711")
///     .code("1234")
///     .public(true)
///     .custom_properties(CustomProperties::from_values(["Acme"])?);
/// assert_eq!(ticket.name, "Ticket 4711");
/// # Ok::<(), screenconnect_api::models::CustomPropertyError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct NewSession {
    /// Support, meeting or access.
    pub session_type: SessionType,
    /// The session's name.
    pub name: String,
    /// Whether guests see the session in the public list.
    pub is_public: bool,
    /// The join code (support sessions); empty for none.
    pub code: String,
    /// The eight custom property values.
    pub custom_properties: CustomProperties,
}

impl NewSession {
    /// A private session of `session_type` named `name`, without code or custom properties.
    pub fn new(session_type: SessionType, name: impl Into<String>) -> Self {
        Self {
            session_type,
            name: name.into(),
            is_public: false,
            code: String::new(),
            custom_properties: CustomProperties::new(),
        }
    }

    /// Lists the session publicly for guests.
    #[must_use]
    pub fn public(mut self, is_public: bool) -> Self {
        self.is_public = is_public;
        self
    }

    /// Sets the join code.
    #[must_use]
    pub fn code(mut self, code: impl Into<String>) -> Self {
        self.code = code.into();
        self
    }

    /// Sets the custom property values.
    #[must_use]
    pub fn custom_properties(mut self, properties: CustomProperties) -> Self {
        self.custom_properties = properties;
        self
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::config::ReadArgs;

    fn positional(call: &Call) -> Value {
        call.body(ReadArgs::Positional)
    }

    const ID: &str = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    fn id() -> SessionId {
        SessionId::new(ID).unwrap()
    }

    #[test]
    fn catalogue() {
        let props = CustomProperties::from_values(["Acme", "", "Laptop"]).unwrap();
        let filter = SessionFilter::from_raw("SessionType = 'Access'").unwrap();
        let new = NewSession::new(SessionType::Support, "Ticket 4711")
            .code("1234")
            .public(true)
            .custom_properties(props.clone());
        let cases: Vec<(Call, &str, Value, Idempotency)> = vec![
            (
                get_sessions_by_name("PC-01"),
                GET_SESSIONS_BY_NAME,
                json!(["PC-01"]),
                Idempotency::Safe,
            ),
            (
                get_session_by_id(&id()),
                GET_SESSION_BY_SESSION_ID,
                json!([ID]),
                Idempotency::Safe,
            ),
            (
                get_session_details(&id()),
                GET_SESSION_DETAILS_BY_SESSION_ID,
                json!([ID]),
                Idempotency::Safe,
            ),
            (
                get_sessions_by_filter(&filter),
                GET_SESSIONS_BY_FILTER,
                json!(["SessionType = 'Access'"]),
                Idempotency::Safe,
            ),
            (
                create_session(&new),
                CREATE_SESSION,
                json!([
                    0,
                    "Ticket 4711",
                    true,
                    "1234",
                    ["Acme", "", "Laptop", "", "", "", "", ""]
                ]),
                Idempotency::NonIdempotent,
            ),
            (
                update_session_name(&id(), "PC-02"),
                UPDATE_SESSION_NAME,
                json!([ID, "PC-02"]),
                Idempotency::NonIdempotent,
            ),
            (
                update_custom_properties(&id(), &props),
                UPDATE_SESSION_CUSTOM_PROPERTIES,
                json!([ID, ["Acme", "", "Laptop", "", "", "", "", ""]]),
                Idempotency::NonIdempotent,
            ),
            (
                add_note(&id(), "note").unwrap(),
                ADD_NOTE_TO_SESSION,
                json!([ID, "note"]),
                Idempotency::NonIdempotent,
            ),
            (
                send_command(&id(), "hostname").unwrap(),
                SEND_COMMAND_TO_SESSION,
                json!([ID, "hostname"]),
                Idempotency::NonIdempotent,
            ),
            (
                send_message(&id(), "hello").unwrap(),
                SEND_MESSAGE_TO_SESSION,
                json!([ID, "hello"]),
                Idempotency::NonIdempotent,
            ),
            (
                send_toolbox_item(&id(), "Cleanup").unwrap(),
                SEND_TOOLBOX_ITEM_TO_SESSION,
                json!([ID, "Cleanup"]),
                Idempotency::NonIdempotent,
            ),
        ];
        for (call, method, body, idempotency) in cases {
            assert_eq!(call.method(), method);
            assert_eq!(positional(&call), body, "{method}");
            assert_eq!(call.idempotency(), idempotency, "{method}");
        }
    }

    #[test]
    fn named_read_parameters() {
        let filter = SessionFilter::from_raw("Name = 'x'").unwrap();
        assert_eq!(
            get_sessions_by_filter(&filter).body(ReadArgs::Named),
            json!({"sessionFilter": "Name = 'x'"})
        );
        assert_eq!(
            get_session_details(&id()).body(ReadArgs::Named),
            json!({"sessionID": ID})
        );
        assert_eq!(
            get_session_by_id(&id()).body(ReadArgs::Named),
            json!({"sessionID": ID})
        );
        // Writes ignore the read encoding.
        assert_eq!(
            update_session_name(&id(), "n").body(ReadArgs::Named),
            json!([ID, "n"])
        );
    }

    #[test]
    fn blank_text_is_refused() {
        for result in [
            add_note(&id(), " "),
            send_command(&id(), "\n"),
            send_message(&id(), ""),
            send_toolbox_item(&id(), "\t"),
        ] {
            assert!(matches!(result, Err(Error::Build { .. })));
        }
    }
}
