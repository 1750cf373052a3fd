//! `InfoMap`: the `_info` object found on nearly every Manage record and reference.
//!
//! The spec types `_info` as a map of strings. It carries `lastUpdated`, `updatedBy`, on some
//! records `dateEntered` and `enteredBy`, and links to related records under keys ending in
//! `_href` (`notes_href`, `board_href`, …). Values are kept as JSON so that a non-string value,
//! should the server ever send one, survives a round trip instead of failing the whole record.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde_json::Value;
use time::OffsetDateTime;

/// The `_info` object of a record: metadata and links to related records.
///
/// Keys and values are kept exactly as received, in the order received; the helpers read the
/// well-known keys. A key given twice keeps its last value, as a JSON object read into a map does.
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
// Entries sit in one exactly sized vector rather than a tree: nearly every reference object of
// every record carries an `_info` of one to a few keys, and a tree's node is larger than the
// entries it holds. Lookups scan a handful of keys. Keys are held inline ([`Key`]), so reading
// a record allocates for the values only.
#[derive(Clone, Default)]
pub struct InfoMap(Vec<(Key, Value)>);

/// The longest key held inline; every key Manage sends (`lastUpdated`, `company_href`,
/// `scheduleentries_href`, …) fits.
const INLINE: usize = 22;

/// A key of an `_info` map: its bytes inline when it is short, on the heap otherwise. A page of
/// 1,000 tickets carries some 9,000 `_info` keys; holding them inline spares an allocation and a
/// free for each.
#[derive(Clone)]
enum Key {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

impl Key {
    fn new(text: &str) -> Key {
        match u8::try_from(text.len()) {
            Ok(len) if text.len() <= INLINE => {
                let mut bytes = [0; INLINE];
                bytes[..text.len()].copy_from_slice(text.as_bytes());
                Key::Inline { len, bytes }
            }
            _ => Key::Heap(text.into()),
        }
    }

    fn from_string(text: String) -> Key {
        if text.len() <= INLINE {
            Key::new(&text)
        } else {
            Key::Heap(text.into_boxed_str())
        }
    }

    fn as_bytes(&self) -> &[u8] {
        match self {
            Key::Inline { len, bytes } => &bytes[..usize::from(*len)],
            Key::Heap(text) => text.as_bytes(),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            // The bytes are a whole `&str`'s (`Key::new`), so they are UTF-8.
            Key::Inline { .. } => std::str::from_utf8(self.as_bytes()).unwrap_or_default(),
            Key::Heap(text) => text,
        }
    }

    fn is(&self, key: &str) -> bool {
        self.as_bytes() == key.as_bytes()
    }
}

/// Reads a key without allocating when the format lends it (serde_json does for keys without
/// escapes).
struct KeySeed;

impl<'de> serde::de::DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Key, E> {
        Ok(Key::new(text))
    }

    fn visit_string<E: serde::de::Error>(self, text: String) -> Result<Key, E> {
        Ok(Key::from_string(text))
    }
}

impl InfoMap {
    /// An empty map.
    pub fn new() -> Self {
        InfoMap::default()
    }

    fn position(&self, key: &str) -> Option<usize> {
        self.0.iter().position(|(name, _)| name.is(key))
    }

    /// The string value under `key`; `None` when absent or not a string.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.get_value(key).and_then(Value::as_str)
    }

    /// The raw JSON value under `key`.
    pub fn get_value(&self, key: &str) -> Option<&Value> {
        self.position(key).map(|index| &self.0[index].1)
    }

    /// Sets `key`, returning the previous value. A new key goes after the others.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Value>) -> Option<Value> {
        self.set(Key::from_string(key.into()), value.into())
    }

    fn set(&mut self, key: Key, value: Value) -> Option<Value> {
        match self.position(key.as_str()) {
            Some(index) => Some(std::mem::replace(&mut self.0[index].1, value)),
            None => {
                if self.0.len() == self.0.capacity() {
                    // Exact doubling from one: most maps hold a single link.
                    self.0.reserve_exact(self.0.len().max(1));
                }
                self.0.push((key, value));
                None
            }
        }
    }

    /// Removes `key`, returning its value; the other entries keep their order.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.position(key).map(|index| self.0.remove(index).1)
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
            .find(|(key, _)| key.as_str().strip_suffix("_href") == Some(name))
            .and_then(|(_, value)| value.as_str())
    }

    /// Every `*_href` link as `(name, url)`, with the `_href` suffix removed from the name, in the
    /// order received. Links whose value is not a string are skipped.
    pub fn links(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.0.iter().filter_map(|(key, value)| {
            let name = key.as_str().strip_suffix("_href")?;
            Some((name, value.as_str()?))
        })
    }

    /// Every entry, in the order received.
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

    /// The entries as a map sorted by key.
    pub fn to_map(&self) -> BTreeMap<String, Value> {
        self.iter()
            .map(|(key, value)| (key.to_owned(), value.clone()))
            .collect()
    }

    /// Consumes the wrapper and returns its entries as a map sorted by key.
    pub fn into_inner(self) -> BTreeMap<String, Value> {
        self.0
            .into_iter()
            .map(|(key, value)| (key.as_str().to_owned(), value))
            .collect()
    }

    fn timestamp(&self, key: &str) -> Option<OffsetDateTime> {
        self.get(key)
            .and_then(|text| super::datetime::parse(text).ok())
    }
}

/// Maps are equal when they hold the same keys with the same values, in any order.
impl PartialEq for InfoMap {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self
                .0
                .iter()
                .all(|(key, value)| other.get_value(key.as_str()) == Some(value))
    }
}

impl fmt::Debug for InfoMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl serde::Serialize for InfoMap {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key.as_str(), value)?;
        }
        map.end()
    }
}

impl<'de> serde::Deserialize<'de> for InfoMap {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries;

        impl<'de> Visitor<'de> for Entries {
            type Value = InfoMap;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an `_info` object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<InfoMap, A::Error> {
                // A format's hint is trusted only so far: `_info` holds a handful of keys.
                let hint = access.size_hint().unwrap_or(0).min(16);
                let mut map = InfoMap(Vec::with_capacity(hint));
                while let Some(key) = access.next_key_seed(KeySeed)? {
                    let value = access.next_value()?;
                    map.set(key, value);
                }
                Ok(map)
            }
        }

        deserializer.deserialize_map(Entries)
    }
}

impl From<BTreeMap<String, Value>> for InfoMap {
    fn from(map: BTreeMap<String, Value>) -> Self {
        InfoMap(
            map.into_iter()
                .map(|(key, value)| (Key::from_string(key), value))
                .collect(),
        )
    }
}

impl<K: Into<String>, V: Into<Value>> FromIterator<(K, V)> for InfoMap {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut map = InfoMap::new();
        for (key, value) in iter {
            map.insert(key, value);
        }
        map
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

    #[test]
    fn entries_keep_the_order_received_and_a_repeated_key_keeps_its_last_value() {
        let info: InfoMap =
            serde_json::from_str(r#"{"z_href":"1","a_href":"2","z_href":"3"}"#).expect("valid");
        assert_eq!(info.len(), 2);
        assert_eq!(info.links().collect::<Vec<_>>(), [("z", "3"), ("a", "2")]);
        assert_eq!(
            serde_json::to_string(&info).expect("serialise"),
            r#"{"z_href":"3","a_href":"2"}"#
        );
    }

    #[test]
    fn equality_ignores_order_but_not_values() {
        let one: InfoMap = [("a", "1"), ("b", "2")].into_iter().collect();
        let other: InfoMap = [("b", "2"), ("a", "1")].into_iter().collect();
        assert_eq!(one, other);
        let changed: InfoMap = [("b", "2"), ("a", "x")].into_iter().collect();
        assert_ne!(one, changed);
        let shorter: InfoMap = [("a", "1")].into_iter().collect();
        assert_ne!(one, shorter);
        assert_ne!(shorter, one);
    }

    #[test]
    fn insert_replaces_and_remove_keeps_the_order() {
        let mut info: InfoMap = [("a", "1"), ("b", "2"), ("c", "3")].into_iter().collect();
        assert_eq!(info.insert("b", "two"), Some(Value::from("2")));
        assert_eq!(info.remove("a"), Some(Value::from("1")));
        assert_eq!(info.remove("a"), None);
        let keys: Vec<&str> = info.iter().map(|(key, _)| key).collect();
        assert_eq!(keys, ["b", "c"]);
        assert_eq!(info.get("b"), Some("two"));
        assert_eq!(info.to_map(), info.clone().into_inner());
        assert_eq!(
            format!("{info:?}"),
            r#"{"b": String("two"), "c": String("3")}"#
        );
    }

    #[test]
    fn long_and_escaped_keys_read_and_write_back_unchanged() {
        let long = "a_key_longer_than_twenty_two_bytes_href";
        let text = format!(r#"{{"{long}":"1","caf\u00e9":"2","exactly_22_bytes__href":"3"}}"#);
        let info: InfoMap = serde_json::from_str(&text).expect("valid");
        assert_eq!(info.get(long), Some("1"));
        assert_eq!(info.get("café"), Some("2"));
        assert_eq!(info.link("exactly_22_bytes_"), Some("3"));
        assert_eq!(
            info.links().collect::<Vec<_>>(),
            [
                ("a_key_longer_than_twenty_two_bytes", "1"),
                ("exactly_22_bytes_", "3")
            ]
        );
        let mut info = info;
        assert_eq!(info.insert(long, "4"), Some(Value::from("1")));
        assert_eq!(
            serde_json::to_string(&info).expect("serialise"),
            format!(r#"{{"{long}":"4","café":"2","exactly_22_bytes__href":"3"}}"#)
        );
        assert_eq!(InfoMap::from(info.to_map()), info);
    }

    #[test]
    fn an_inline_key_is_no_larger_than_a_string() {
        assert_eq!(std::mem::size_of::<Key>(), std::mem::size_of::<String>());
    }

    #[test]
    fn a_non_object_is_a_decode_error() {
        let error = serde_json::from_str::<InfoMap>("[1]").unwrap_err();
        assert!(error.to_string().contains("an `_info` object"), "{error}");
    }
}
