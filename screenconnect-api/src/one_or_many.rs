//! A response that is a list, a single object, or nothing.
//!
//! `GetSessionBySessionID` answers with a list (empty when the session does not exist), but a
//! bare object has also been reported, and `CreateSession`'s answer is not documented; this reads
//! all three forms while keeping serde's error paths.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// The items of a list, a single object read as one item, or no item for `null`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OneOrMany<T>(pub(crate) Vec<T>);

impl<'de, T: DeserializeOwned> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(OneOrManyVisitor(PhantomData))
    }
}

struct OneOrManyVisitor<T>(PhantomData<T>);

impl<'de, T: DeserializeOwned> Visitor<'de> for OneOrManyVisitor<T> {
    type Value = OneOrMany<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list, an object or null")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element::<T>()? {
            items.push(item);
        }
        Ok(OneOrMany(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(map)).map(|item| OneOrMany(vec![item]))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(OneOrMany(Vec::new()))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(OneOrMany(Vec::new()))
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::OneOrMany;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Item {
        id: u32,
    }

    #[test]
    fn reads_all_three_forms() {
        let many: OneOrMany<Item> = serde_json::from_str(r#"[{"id":1},{"id":2}]"#).unwrap();
        assert_eq!(many.0, vec![Item { id: 1 }, Item { id: 2 }]);
        let one: OneOrMany<Item> = serde_json::from_str(r#"{"id":3}"#).unwrap();
        assert_eq!(one.0, vec![Item { id: 3 }]);
        let none: OneOrMany<Item> = serde_json::from_str("null").unwrap();
        assert!(none.0.is_empty());
        let empty: OneOrMany<Item> = serde_json::from_str("[]").unwrap();
        assert!(empty.0.is_empty());
        assert!(serde_json::from_str::<OneOrMany<Item>>(r#""text""#).is_err());
        assert!(serde_json::from_str::<OneOrMany<Item>>(r#"[{"id":"x"}]"#).is_err());
    }
}
