//! The typed session methods of [`Client`]: lookups, writes, and the custom-property
//! read-modify-write.

use msp_common::Error;

use crate::client::Client;
use crate::filter::{Filter, SessionFilter};
use crate::methods::{self, NewSession};
use crate::models::{CustomProperties, CustomPropertyError, Session, SessionDetails, SessionId};
use crate::one_or_many::OneOrMany;

impl Client {
    /// `GetSessionsByName`: the sessions whose name matches `name`.
    ///
    /// How names match is up to the server (an empty name returns the sessions without a name,
    /// which is how unattended agents installed without `t=` appear). For a deterministic lookup
    /// use [`Client::sessions_where`] with `Name = '…'` or `GuestMachineName = '…'`.
    ///
    /// # Errors
    /// The errors of [`Client::send`], and [`Error::Decode`] for an unexpected body.
    pub async fn sessions_by_name(&self, name: &str) -> Result<Vec<Session>, Error> {
        self.send_json(&methods::get_sessions_by_name(name)).await
    }

    /// `GetSessionBySessionID`: the session, or `None` when it does not exist.
    ///
    /// The server answers with a list (empty for an unknown id); a bare object is accepted too.
    /// Only a session whose id equals `id` (ignoring case) is returned.
    ///
    /// # Errors
    /// The errors of [`Client::send`], and [`Error::Decode`] for an unexpected body.
    pub async fn session(&self, id: &SessionId) -> Result<Option<Session>, Error> {
        let OneOrMany(sessions) = self
            .send_json::<OneOrMany<Session>>(&methods::get_session_by_id(id))
            .await?;
        Ok(pick_session(sessions, id, |session| &session.session_id))
    }

    /// `GetSessionBySessionID` for a read-modify-write of the custom properties: the session, and
    /// whether its body carried custom property values at all (`CustomPropertyValues` or
    /// `CustomProperties`, not `null`). A session without them decodes with eight blanks, which
    /// must never be written back over the real values.
    async fn session_with_properties(
        &self,
        id: &SessionId,
    ) -> Result<Option<(Session, bool)>, Error> {
        let (operation, response) = self.exchange(&methods::get_session_by_id(id)).await?;
        let OneOrMany(sessions) =
            msp_common::decode_json::<OneOrMany<Session>>(&operation, &response)?;
        let OneOrMany(bodies) =
            msp_common::decode_json::<OneOrMany<serde_json::Value>>(&operation, &response)?;
        let pairs = sessions.into_iter().zip(bodies).map(|(session, body)| {
            let carried = ["CustomPropertyValues", "CustomProperties"]
                .iter()
                .any(|key| body.get(key).is_some_and(|value| !value.is_null()));
            (session, carried)
        });
        Ok(pick_session(pairs, id, |(session, _)| &session.session_id))
    }

    /// `GetSessionDetailsBySessionID`: the session with its events and connections.
    ///
    /// # Errors
    /// The errors of [`Client::send`]; an unknown id usually comes back as a 500
    /// ([`msp_common::ApiErrorKind::ServerFault`]), and a `null` body as [`Error::Decode`].
    pub async fn session_details(&self, id: &SessionId) -> Result<SessionDetails, Error> {
        self.send_json(&methods::get_session_details(id)).await
    }

    /// `GetSessionsByFilter`: the sessions matching a filter expression.
    ///
    /// # Errors
    /// The errors of [`Client::send`], and [`Error::Decode`] for an unexpected body.
    pub async fn sessions_by_filter(&self, filter: &SessionFilter) -> Result<Vec<Session>, Error> {
        self.send_json(&methods::get_sessions_by_filter(filter))
            .await
    }

    /// Renders `filter` (quoting values) and calls `GetSessionsByFilter`.
    ///
    /// # Errors
    /// [`Error::Build`] before any I/O when the filter cannot be rendered (an empty group, a bad
    /// field name, …); otherwise as [`Client::sessions_by_filter`].
    pub async fn sessions_where(&self, filter: &Filter) -> Result<Vec<Session>, Error> {
        let rendered = filter.to_session_filter().map_err(|source| Error::Build {
            operation: methods::GET_SESSIONS_BY_FILTER.to_owned(),
            // The source says what is wrong; this level says what it prevented.
            message: "the filter could not be rendered; nothing was sent".to_owned(),
            source: Some(Box::new(source)),
        })?;
        self.sessions_by_filter(&rendered).await
    }

    /// `CreateSession`: creates a session and returns it, or `None` when the server answered
    /// with an empty body (the session exists then; look it up by name).
    ///
    /// # Errors
    /// [`Error::ReadOnly`] in read-only mode, the errors of [`Client::send`], and
    /// [`Error::Decode`] for a body that is neither a session nor a list of them.
    pub async fn create_session(&self, session: &NewSession) -> Result<Option<Session>, Error> {
        let (operation, response) = self.exchange(&methods::create_session(session)).await?;
        if crate::client::is_blank(response.body()) {
            return Ok(None);
        }
        let OneOrMany(sessions) =
            msp_common::decode_json::<OneOrMany<Session>>(&operation, &response)?;
        Ok(sessions.into_iter().next())
    }

    /// `UpdateSessionName`.
    ///
    /// # Errors
    /// [`Error::ReadOnly`] in read-only mode, and the errors of [`Client::send`].
    pub async fn update_session_name(&self, id: &SessionId, name: &str) -> Result<(), Error> {
        self.send(&methods::update_session_name(id, name)).await?;
        Ok(())
    }

    /// `UpdateSessionCustomProperties`: replaces all eight custom property values.
    ///
    /// Slots left empty in `properties` are cleared on the server. To change one value and keep
    /// the others, use [`Client::set_custom_property`].
    ///
    /// # Errors
    /// [`Error::ReadOnly`] in read-only mode, and the errors of [`Client::send`].
    pub async fn update_custom_properties(
        &self,
        id: &SessionId,
        properties: &CustomProperties,
    ) -> Result<(), Error> {
        self.send(&methods::update_custom_properties(id, properties))
            .await?;
        Ok(())
    }

    /// Sets `CustomProperty<index>` (1 to 8) to `value` and keeps the other seven: reads the
    /// session, replaces one slot, and writes all eight back. Returns the values now on the
    /// server. When the slot already holds `value`, nothing is written.
    ///
    /// The extension has no compare-and-set: a change another integration makes between the read
    /// and the write is overwritten.
    ///
    /// # Errors
    /// Before any I/O: [`Error::ReadOnly`] in read-only mode, [`Error::Build`] for an index
    /// outside 1–8. [`Error::Build`] when the session does not exist, or when the server's answer
    /// carries no custom property values (source [`CustomPropertyError::NotRead`]; nothing is
    /// written, because writing would blank the seven values that were not read), and
    /// the errors of [`Client::session`] and [`Client::update_custom_properties`].
    pub async fn set_custom_property(
        &self,
        id: &SessionId,
        index: usize,
        value: impl Into<String>,
    ) -> Result<CustomProperties, Error> {
        let value = value.into();
        let mut properties = CustomProperties::new();
        self.check_writable(&methods::update_custom_properties(id, &properties))?;
        properties
            .set(index, value.clone())
            .map_err(|source| custom_property_error(INVALID_INDEX.to_owned(), Some(source)))?;
        let (session, carried) = self.session_with_properties(id).await?.ok_or_else(|| {
            custom_property_error(
                format!("session {id} was not found; nothing was written"),
                None,
            )
        })?;
        if !carried {
            return Err(custom_property_error(
                format!(
                    "the server's answer for session {id} carries no custom property values, so \
                     the other seven are unknown; nothing was written"
                ),
                Some(CustomPropertyError::NotRead),
            ));
        }
        let mut properties = session.custom_properties;
        if properties.get(index).is_ok_and(|current| current == value) {
            return Ok(properties);
        }
        properties
            .set(index, value)
            .map_err(|source| custom_property_error(INVALID_INDEX.to_owned(), Some(source)))?;
        self.update_custom_properties(id, &properties).await?;
        Ok(properties)
    }

    /// `AddNoteToSession`.
    ///
    /// # Errors
    /// Before any I/O: [`Error::ReadOnly`] in read-only mode, [`Error::Build`] for an empty note.
    /// Then the errors of [`Client::send`].
    pub async fn add_note(&self, id: &SessionId, note: &str) -> Result<(), Error> {
        self.send(&methods::add_note(id, note)?).await?;
        Ok(())
    }

    /// `SendCommandToSession`: queues `command` on the agent, as it is, and returns without
    /// waiting. The output arrives later as a `RanCommand` event; [`Client::run_command`] sends and
    /// waits for it.
    ///
    /// The command is sent once: after a 5xx, a timeout or a broken connection it is not
    /// repeated, because it may already be queued.
    ///
    /// # Errors
    /// Before any I/O: [`Error::ReadOnly`] in read-only mode, [`Error::Build`] for an empty
    /// command. Then the errors of [`Client::send`]; check
    /// [`Error::may_have_been_processed`] before sending again.
    pub async fn send_command(&self, id: &SessionId, command: &str) -> Result<(), Error> {
        self.send(&methods::send_command(id, command)?).await?;
        Ok(())
    }

    /// `SendMessageToSession`: a chat message to the machine's user.
    ///
    /// # Errors
    /// Before any I/O: [`Error::ReadOnly`] in read-only mode, [`Error::Build`] for an empty
    /// message. Then the errors of [`Client::send`].
    pub async fn send_message(&self, id: &SessionId, message: &str) -> Result<(), Error> {
        self.send(&methods::send_message(id, message)?).await?;
        Ok(())
    }

    /// `SendToolboxItemToSession`: runs the toolbox item named `item` on the machine.
    ///
    /// # Errors
    /// Before any I/O: [`Error::ReadOnly`] in read-only mode, [`Error::Build`] for an empty name.
    /// Then the errors of [`Client::send`].
    pub async fn send_toolbox_item(&self, id: &SessionId, item: &str) -> Result<(), Error> {
        self.send(&methods::send_toolbox_item(id, item)?).await?;
        Ok(())
    }
}

/// The session whose id equals `wanted` among those the server answered, warning when it
/// answered only others.
fn pick_session<T>(
    found: impl IntoIterator<Item = T>,
    wanted: &SessionId,
    id_of: impl Fn(&T) -> &SessionId,
) -> Option<T> {
    let mut count = 0;
    let session = found.into_iter().find(|candidate| {
        count += 1;
        same_id(id_of(candidate), wanted)
    });
    if session.is_none() && count > 0 {
        tracing::warn!(
            returned = count,
            "GetSessionBySessionID answered only sessions with other ids; treating the session as not found"
        );
    }
    session
}

/// Compares a session id from the server with the one asked for, ignoring case and braces.
fn same_id(found: &SessionId, wanted: &SessionId) -> bool {
    let found = found.as_str().trim();
    let found = found
        .strip_prefix('{')
        .and_then(|rest| rest.strip_suffix('}'))
        .unwrap_or(found);
    found.eq_ignore_ascii_case(wanted.as_str())
}

/// The message of an index outside 1 to 8 (the source, [`CustomPropertyError::IndexOutOfRange`],
/// names the index).
const INVALID_INDEX: &str = "the index must be 1 to 8; nothing was written";

/// An [`Error::Build`] for the custom-property helper.
fn custom_property_error(message: String, source: Option<CustomPropertyError>) -> Error {
    Error::Build {
        operation: "SetCustomProperty".to_owned(),
        message,
        source: source.map(|error| Box::new(error) as msp_common::BoxError),
    }
}
