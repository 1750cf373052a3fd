//! The JSON body ConnectWise POSTs to a callback URL.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::CallbackError;

/// What happened to the record a callback reports.
///
/// ConnectWise sends lower-case `added`, `updated` or `deleted`; other values are kept in
/// [`CallbackAction::Other`] rather than rejected. Known values are recognised ignoring ASCII
/// case and are sent back lower-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CallbackAction {
    /// The record was created (`added`).
    Added,
    /// The record was changed (`updated`).
    Updated,
    /// The record was deleted (`deleted`); the payload's entity is then `null`.
    Deleted,
    /// Any other action, as sent.
    Other(String),
}

impl CallbackAction {
    /// The action as ConnectWise spells it.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Added => "added",
            Self::Updated => "updated",
            Self::Deleted => "deleted",
            Self::Other(other) => other,
        }
    }
}

impl From<&str> for CallbackAction {
    fn from(value: &str) -> Self {
        if value.eq_ignore_ascii_case("added") {
            Self::Added
        } else if value.eq_ignore_ascii_case("updated") {
            Self::Updated
        } else if value.eq_ignore_ascii_case("deleted") {
            Self::Deleted
        } else {
            Self::Other(value.to_owned())
        }
    }
}

impl fmt::Display for CallbackAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for CallbackAction {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CallbackAction {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = String::deserialize(deserializer)?;
        Ok(Self::from(value.as_str()))
    }
}

/// The payload's `Metadata` object.
///
/// Its `Debug` output hides the key URL's query: the URL needs no authentication, so the id in
/// its query is enough to obtain the signing key.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct CallbackMetadata {
    /// URL that returns the signing key for this callback (`{"signing_key": "..."}`).
    pub key_url: String,
    /// Any other keys, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl fmt::Debug for CallbackMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackMetadata")
            .field("key_url", &RedactedUrl(&self.key_url))
            .field("extra", &self.extra)
            .finish()
    }
}

/// Prints a URL without its query or fragment.
struct RedactedUrl<'a>(&'a str);

impl fmt::Debug for RedactedUrl<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match url::Url::parse(self.0) {
            Ok(url) => {
                let tail = if url.query().is_some() || url.fragment().is_some() {
                    "?[redacted]"
                } else {
                    ""
                };
                write!(
                    f,
                    "\"{}{}{}\"",
                    &url[..url::Position::AfterHost],
                    url.path(),
                    tail
                )
            }
            Err(_) => f.write_str("[unparseable, redacted]"),
        }
    }
}

/// A callback (webhook) body as ConnectWise sends it, payload version `3.0.0`.
///
/// Field names on the wire are PascalCase (`Action`, `ID`, `Type`, ...). Keys this type does not
/// name are kept in [`extra`](Self::extra). The record itself travels as a JSON-encoded string in
/// `Entity`; decode it with [`CallbackPayload::entity`].
///
/// Parsing a payload does not authenticate it: use
/// [`CallbackVerifier`](super::CallbackVerifier) for requests from the network.
///
/// ```
/// use connectwise_manage::callbacks::{CallbackAction, CallbackPayload};
///
/// let body = br#"{"Action":"updated","ID":12,"Type":"ticket","CompanyId":"acme",
///     "MemberId":"jdoe","FromUrl":"na.myconnectwise.net",
///     "Metadata":{"key_url":"https://na.myconnectwise.net/v2025_1//system/callbackkey/index.rails?id=1"},
///     "Entity":"{\"id\":12,\"summary\":\"Printer offline\"}"}"#;
/// let payload = CallbackPayload::from_slice(body)?;
/// assert_eq!(payload.action, CallbackAction::Updated);
///
/// #[derive(serde::Deserialize)]
/// struct Ticket { id: i32, summary: String }
/// let ticket: Ticket = payload.entity()?.expect("an update carries the record");
/// assert_eq!((ticket.id, ticket.summary.as_str()), (12, "Printer offline"));
/// # Ok::<(), connectwise_manage::callbacks::CallbackError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallbackPayload {
    /// `Action`: what happened to the record.
    #[serde(rename = "Action")]
    pub action: CallbackAction,
    /// `ID`: the record's id.
    #[serde(rename = "ID")]
    pub id: i32,
    /// `Type`: the lower-case callback type, e.g. `ticket`, `contact`, `company`.
    #[serde(rename = "Type")]
    pub callback_type: String,
    /// `CompanyId`: the ConnectWise login company id of the site.
    #[serde(rename = "CompanyId")]
    pub company_id: String,
    /// `MemberId`: the identifier (not the numeric id) of the member who made the change.
    #[serde(rename = "MemberId")]
    pub member_id: String,
    /// `FromUrl`: the host of the sending site, without scheme (e.g. `na.myconnectwise.net`).
    #[serde(rename = "FromUrl")]
    pub from_url: String,
    /// `Metadata`: holds the signing key URL.
    #[serde(rename = "Metadata")]
    pub metadata: CallbackMetadata,
    /// `Entity`: the record as a JSON-encoded string, `None` when deleted.
    ///
    /// An empty string is read as `None`; an object sent in place of a string is accepted and
    /// kept re-encoded as a string.
    #[serde(rename = "Entity", default, deserialize_with = "deserialize_entity")]
    pub entity: Option<String>,
    /// `CallbackObjectRecId`: the id of the callback registration that fired.
    #[serde(
        rename = "CallbackObjectRecId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub callback_object_rec_id: Option<i64>,
    /// `MessageId`: a GUID naming this delivery.
    #[serde(rename = "MessageId", default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// `PartnerId`: the partner's id.
    #[serde(rename = "PartnerId", default, skip_serializing_if = "Option::is_none")]
    pub partner_id: Option<String>,
    /// `ProductInstanceId`: the product instance's id.
    #[serde(
        rename = "ProductInstanceId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub product_instance_id: Option<String>,
    /// Any other keys, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CallbackPayload {
    /// Parses a callback body. This does not verify its signature.
    ///
    /// # Errors
    ///
    /// [`CallbackError::Payload`] with the JSON path of the first problem.
    pub fn from_slice(body: &[u8]) -> Result<Self, CallbackError> {
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        let payload = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
            CallbackError::Payload {
                path: error.path().to_string(),
                source: error.into_inner(),
            }
        })?;
        deserializer
            .end()
            .map_err(|source| CallbackError::Payload {
                path: ".".to_owned(),
                source,
            })?;
        Ok(payload)
    }

    /// Decodes the `Entity` string into `T`; `Ok(None)` when there is no entity (deletions).
    ///
    /// Use `serde_json::Value` for `T` to keep the record losslessly.
    ///
    /// # Errors
    ///
    /// [`CallbackError::Entity`] with the JSON path inside the entity of the first problem.
    pub fn entity<T: DeserializeOwned>(&self) -> Result<Option<T>, CallbackError> {
        let Some(entity) = self.entity.as_deref() else {
            return Ok(None);
        };
        let mut deserializer = serde_json::Deserializer::from_str(entity);
        let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
            CallbackError::Entity {
                path: error.path().to_string(),
                source: error.into_inner(),
            }
        })?;
        deserializer.end().map_err(|source| CallbackError::Entity {
            path: ".".to_owned(),
            source,
        })?;
        Ok(Some(value))
    }

    /// Whether the action is [`CallbackAction::Deleted`].
    pub fn is_deleted(&self) -> bool {
        self.action == CallbackAction::Deleted
    }

    /// The URL that returns this callback's signing key, as sent (`Metadata.key_url`).
    pub fn key_url(&self) -> &str {
        &self.metadata.key_url
    }
}

/// Reads `Entity`: a string (empty means none), `null`, or — tolerated — the record inline.
fn deserialize_entity<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    match Value::deserialize(deserializer)? {
        Value::Null => Ok(None),
        Value::String(text) if text.trim().is_empty() => Ok(None),
        Value::String(text) => Ok(Some(text)),
        inline @ (Value::Object(_) | Value::Array(_)) => Ok(Some(inline.to_string())),
        Value::Bool(_) | Value::Number(_) => Err(serde::de::Error::custom(
            "expected `Entity` to be a JSON-encoded string, an object or null",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_parse_case_insensitively_and_keep_unknown_values() {
        assert_eq!(CallbackAction::from("added"), CallbackAction::Added);
        assert_eq!(CallbackAction::from("Updated"), CallbackAction::Updated);
        assert_eq!(CallbackAction::from("DELETED"), CallbackAction::Deleted);
        assert_eq!(
            CallbackAction::from("merged"),
            CallbackAction::Other("merged".to_owned())
        );
        assert_eq!(
            CallbackAction::Other("merged".to_owned()).to_string(),
            "merged"
        );
    }

    #[test]
    fn metadata_debug_hides_the_key_url_query() {
        let metadata = CallbackMetadata {
            key_url: "https://na.example.com/v2025_1//system/callbackkey/index.rails?companyName=acme&id=secret-id".to_owned(),
            extra: Map::new(),
        };
        let debug = format!("{metadata:?}");
        assert!(!debug.contains("secret-id"), "{debug}");
        assert!(!debug.contains("acme"), "{debug}");
        assert!(
            debug.contains(
                "https://na.example.com/v2025_1//system/callbackkey/index.rails?[redacted]"
            ),
            "{debug}"
        );

        let garbage = CallbackMetadata {
            key_url: "not a url ?id=secret-id".to_owned(),
            extra: Map::new(),
        };
        assert!(!format!("{garbage:?}").contains("secret-id"));
    }
}
