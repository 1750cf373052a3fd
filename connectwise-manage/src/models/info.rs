//! `InfoMap`: the `_info` object found on nearly every Manage record and reference.
//!
//! The spec types `_info` as a map of strings. It carries `lastUpdated`, `updatedBy`, on some
//! records `dateEntered` and `enteredBy`, and links to related records under keys ending in
//! `_href` (`notes_href`, `board_href`, …). Values are kept as JSON so that a non-string value,
//! should the server ever send one, survives a round trip instead of failing the whole record.

use std::collections::BTreeMap;

use serde_json::Value;
use time::OffsetDateTime;

/// The `_info` object of a record: metadata and links to related records.
///
/// Keys and values are kept exactly as received; the helpers read the well-known keys.
///
/// ```
/// use connectwise_manage::models::InfoMap;
///
/// let info: InfoMap = serde_json::from_str(
///     r#"{"lastUpdated":"2016-03-08T21:59:20Z","updatedBy":"jdoe","notes_href":"https://x/notes"}"#,
/// )
/// .unwrap();
/// assert_eq!(info.updated_by(), Some("jdoe"));
/// assert_eq!(info.last_updated().map(|t| t.unix_timestamp()), Some(1_457_474_360));
/// assert_eq!(info.links().collect::<Vec<_>>(), [("notes", "https://x/notes")]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct InfoMap(BTreeMap<String, Value>);

impl InfoMap {
    /// An empty map.
    pub fn new() -> Self {
        InfoMap::default()
    }

    /// The string value under `key`; `None` when absent or not a string.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(Value::as_str)
    }

    /// The raw JSON value under `key`.
    pub fn get_value(&self, key: &str) -> Option<&Value> {
        self.0.get(key)
    }

    /// Sets `key`, returning the previous value.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Value>) -> Option<Value> {
        self.0.insert(key.into(), value.into())
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.0.remove(key)
    }

    /// `lastUpdated`, parsed leniently (see [`crate::models::datetime`]).
    ///
    /// `None` when absent or not a timestamp; the raw text stays available through
    /// [`get`](Self::get)`("lastUpdated")`.
    pub fn last_updated(&self) -> Option<OffsetDateTime> {
        self.timestamp("lastUpdated")
    }

    /// `updatedBy`: the identifier of the member (or API member) that last changed the record.
    pub fn updated_by(&self) -> Option<&str> {
        self.get("updatedBy")
    }

    /// `dateEntered`, parsed leniently; `None` when absent or not a timestamp.
    pub fn date_entered(&self) -> Option<OffsetDateTime> {
        self.timestamp("dateEntered")
    }

    /// `enteredBy`: the identifier of the member that created the record.
    pub fn entered_by(&self) -> Option<&str> {
        self.get("enteredBy")
    }

    /// The link to a related record or collection: the value of `{name}_href`.
    pub fn link(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key.strip_suffix("_href") == Some(name))
            .and_then(|(_, value)| value.as_str())
    }

    /// Every `*_href` link as `(name, url)`, with the `_href` suffix removed from the name, in key
    /// order. Links whose value is not a string are skipped.
    pub fn links(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.0.iter().filter_map(|(key, value)| {
            let name = key.strip_suffix("_href")?;
            Some((name, value.as_str()?))
        })
    }

    /// Every entry, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> + '_ {
        self.0.iter().map(|(key, value)| (key.as_str(), value))
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The underlying map.
    pub fn as_map(&self) -> &BTreeMap<String, Value> {
        &self.0
    }

    /// Consumes the wrapper and returns the underlying map.
    pub fn into_inner(self) -> BTreeMap<String, Value> {
        self.0
    }

    fn timestamp(&self, key: &str) -> Option<OffsetDateTime> {
        self.get(key)
            .and_then(|text| super::datetime::parse(text).ok())
    }
}

impl From<BTreeMap<String, Value>> for InfoMap {
    fn from(map: BTreeMap<String, Value>) -> Self {
        InfoMap(map)
    }
}

impl<K: Into<String>, V: Into<Value>> FromIterator<(K, V)> for InfoMap {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        InfoMap(
            iter.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn sample() -> InfoMap {
        serde_json::from_value(serde_json::json!({
            "lastUpdated": "2024-05-01T10:00:00Z",
            "updatedBy": "api-member",
            "dateEntered": "2024-04-30T09:00:00Z",
            "enteredBy": "jdoe",
            "notes_href": "https://na.myconnectwise.net/v2025_1//apis/3.0/service/tickets/1/notes",
            "board_href": "https://na.myconnectwise.net/v4_6_release/apis/3.0/service/boards/1",
            "count": 3,
        }))
        .expect("valid info")
    }

    #[test]
    fn well_known_keys() {
        let info = sample();
        assert_eq!(info.last_updated(), Some(datetime!(2024-05-01 10:00 UTC)));
        assert_eq!(info.updated_by(), Some("api-member"));
        assert_eq!(info.date_entered(), Some(datetime!(2024-04-30 09:00 UTC)));
        assert_eq!(info.entered_by(), Some("jdoe"));
        assert_eq!(info.get("count"), None);
        assert_eq!(info.get_value("count"), Some(&Value::from(3)));
    }

    #[test]
    fn links_strip_the_suffix() {
        let info = sample();
        let names: Vec<&str> = info.links().map(|(name, _)| name).collect();
        assert_eq!(names, ["board", "notes"]);
        assert_eq!(
            info.link("notes"),
            Some("https://na.myconnectwise.net/v2025_1//apis/3.0/service/tickets/1/notes")
        );
        assert_eq!(info.link("missing"), None);
    }

    #[test]
    fn unparsable_timestamps_are_none_but_kept() {
        let info: InfoMap = [("lastUpdated", "soon")].into_iter().collect();
        assert_eq!(info.last_updated(), None);
        assert_eq!(info.get("lastUpdated"), Some("soon"));
    }

    #[test]
    fn non_string_values_round_trip() {
        let info = sample();
        let json = serde_json::to_value(&info).expect("serialise");
        assert_eq!(json["count"], Value::from(3));
        let back: InfoMap = serde_json::from_value(json).expect("deserialise");
        assert_eq!(back, info);
        assert_eq!(back.len(), 7);
        assert!(!back.is_empty());
    }
}
