//! Values that identify a ConnectWise reference object.

use serde::ser::SerializeMap;
use serde_json::{Map, Value};

/// A reference to another record, as ConnectWise accepts it in POST and PATCH bodies.
///
/// ConnectWise resolves a reference object from any one of `id`, `identifier` or `name`; the
/// other keys (and `_info`) are filled in by the server. A `Reference` serialises to the single
/// key it holds, for example `{"id": 5}` or `{"identifier": "ABC"}`.
///
/// ```
/// use connectwise_manage::patch::Reference;
///
/// assert_eq!(serde_json::to_string(&Reference::id(5))?, r#"{"id":5}"#);
/// assert_eq!(
///     serde_json::to_string(&Reference::name("Service Board"))?,
///     r#"{"name":"Service Board"}"#
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Reference {
    /// The record's numeric `id`.
    Id(i32),
    /// The record's `identifier` (companies, members and a few other types have one).
    Identifier(String),
    /// The record's `name`, which ConnectWise matches to find the record.
    Name(String),
}

impl Reference {
    /// A reference by numeric id: `{"id": id}`.
    pub fn id(id: i32) -> Self {
        Self::Id(id)
    }

    /// A reference by identifier: `{"identifier": identifier}`.
    pub fn identifier(identifier: impl Into<String>) -> Self {
        Self::Identifier(identifier.into())
    }

    /// A reference by name: `{"name": name}`.
    pub fn name(name: impl Into<String>) -> Self {
        Self::Name(name.into())
    }

    /// The reference as a JSON object with its single key.
    pub fn to_value(&self) -> Value {
        let mut object = Map::new();
        match self {
            Self::Id(id) => object.insert("id".to_owned(), Value::from(*id)),
            Self::Identifier(identifier) => {
                object.insert("identifier".to_owned(), Value::from(identifier.as_str()))
            }
            Self::Name(name) => object.insert("name".to_owned(), Value::from(name.as_str())),
        };
        Value::Object(object)
    }
}

impl serde::Serialize for Reference {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        match self {
            Self::Id(id) => map.serialize_entry("id", id)?,
            Self::Identifier(identifier) => map.serialize_entry("identifier", identifier)?,
            Self::Name(name) => map.serialize_entry("name", name)?,
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_value_matches_serialize() {
        for reference in [
            Reference::id(-7),
            Reference::identifier("ABC"),
            Reference::name("Service Board"),
        ] {
            assert_eq!(
                reference.to_value(),
                serde_json::to_value(&reference).expect("reference serialises")
            );
        }
        assert_eq!(
            Reference::identifier("ABC").to_value(),
            serde_json::json!({"identifier": "ABC"})
        );
    }
}
