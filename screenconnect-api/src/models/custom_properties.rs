//! The eight positional custom properties of a session.
//!
//! ScreenConnect gives every session exactly eight custom property slots (`CustomProperty1` …
//! `CustomProperty8`; out of the box the first is "Company"). Responses carry them either as an
//! array (`CustomPropertyValues`) or as an object keyed `CustomProperty1`…`CustomProperty8`
//! (`CustomProperties`); both normalise to [`CustomProperties`]. An empty string means "unset",
//! as on the server. `UpdateSessionCustomProperties` replaces all eight at once, so writes send
//! [`CustomProperties::to_wire`].

use std::fmt;

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Number of custom property slots on every session.
pub const CUSTOM_PROPERTY_COUNT: usize = 8;

/// A custom property index or list that does not fit the eight slots.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CustomPropertyError {
    /// Indexes are 1-based: `CustomProperty1` … `CustomProperty8`.
    #[error("custom property index {index} is out of range: indexes run from 1 to 8")]
    IndexOutOfRange {
        /// The rejected index.
        index: usize,
    },
    /// More than eight values were given.
    #[error("{count} custom property values given; a session has exactly 8 slots")]
    TooManyValues {
        /// How many values were given.
        count: usize,
    },
    /// The session was read without any custom property values, so a write of all eight would
    /// blank values nobody read.
    #[error("the session was read without its custom property values")]
    NotRead,
}

/// The eight custom property values of a session, 1-based like the server's names.
///
/// ```
/// use screenconnect_api::models::CustomProperties;
///
/// let mut props = CustomProperties::from_values(["Acme", "HQ"]).unwrap();
/// props.set(3, "Laptop").unwrap();
/// assert_eq!(props.get(1).unwrap(), "Acme");
/// assert_eq!(props.get(4).unwrap(), "");
/// assert!(props.set(9, "x").is_err());
/// assert_eq!(props.to_wire()[2], "Laptop");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct CustomProperties([String; CUSTOM_PROPERTY_COUNT]);

impl CustomProperties {
    /// All eight slots empty.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Fills slots from the first onwards; missing trailing slots are empty.
    ///
    /// # Errors
    /// [`CustomPropertyError::TooManyValues`] for more than eight values.
    pub fn from_values<I, S>(values: I) -> Result<Self, CustomPropertyError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut slots = Self::default();
        let mut count = 0;
        for value in values {
            count += 1;
            if let Some(slot) = slots.0.get_mut(count - 1) {
                *slot = value.into();
            }
        }
        if count > CUSTOM_PROPERTY_COUNT {
            return Err(CustomPropertyError::TooManyValues { count });
        }
        Ok(slots)
    }

    /// The value of `CustomProperty<index>` (1-based); `""` when unset.
    ///
    /// # Errors
    /// [`CustomPropertyError::IndexOutOfRange`] unless `1 <= index <= 8`.
    pub fn get(&self, index: usize) -> Result<&str, CustomPropertyError> {
        Ok(self.0[slot(index)?].as_str())
    }

    /// Sets `CustomProperty<index>` (1-based); `""` clears it.
    ///
    /// # Errors
    /// [`CustomPropertyError::IndexOutOfRange`] unless `1 <= index <= 8`.
    pub fn set(
        &mut self,
        index: usize,
        value: impl Into<String>,
    ) -> Result<(), CustomPropertyError> {
        self.0[slot(index)?] = value.into();
        Ok(())
    }

    /// Iterates `(index, value)` pairs with 1-based indexes, unset slots included.
    pub fn iter(&self) -> impl Iterator<Item = (usize, &str)> {
        self.0
            .iter()
            .enumerate()
            .map(|(i, value)| (i + 1, value.as_str()))
    }

    /// True when every slot is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(String::is_empty)
    }

    /// The eight values in order, as `UpdateSessionCustomProperties` expects them.
    #[must_use]
    pub fn to_wire(&self) -> [String; CUSTOM_PROPERTY_COUNT] {
        self.0.clone()
    }

    /// The eight values in order.
    #[must_use]
    pub fn as_array(&self) -> &[String; CUSTOM_PROPERTY_COUNT] {
        &self.0
    }

    /// Consumes the set, returning the eight values in order.
    #[must_use]
    pub fn into_array(self) -> [String; CUSTOM_PROPERTY_COUNT] {
        self.0
    }
}

impl From<[String; CUSTOM_PROPERTY_COUNT]> for CustomProperties {
    fn from(values: [String; CUSTOM_PROPERTY_COUNT]) -> Self {
        Self(values)
    }
}

impl From<CustomProperties> for [String; CUSTOM_PROPERTY_COUNT] {
    fn from(props: CustomProperties) -> Self {
        props.0
    }
}

/// Maps a 1-based index to an array slot.
fn slot(index: usize) -> Result<usize, CustomPropertyError> {
    if (1..=CUSTOM_PROPERTY_COUNT).contains(&index) {
        Ok(index - 1)
    } else {
        Err(CustomPropertyError::IndexOutOfRange { index })
    }
}

impl Serialize for CustomProperties {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// Reads the array form or the `CustomPropertyN` object form.
///
/// Arrays may be shorter than eight (missing slots are empty) and may have extra trailing empty
/// or `null` entries, but a ninth *non-empty* value is an error: dropping it silently would lose
/// data on the next write. `null` values are empty. In the object form, keys are matched
/// case-insensitively and any key other than `CustomProperty1`…`CustomProperty8` is an error.
impl<'de> Deserialize<'de> for CustomProperties {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(CustomPropertiesVisitor)
    }
}

struct CustomPropertiesVisitor;

impl<'de> Visitor<'de> for CustomPropertiesVisitor {
    type Value = CustomProperties;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of up to 8 custom property values or a CustomPropertyN object")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut props = CustomProperties::default();
        let mut position = 0;
        while let Some(value) = seq.next_element::<Option<String>>()? {
            let value = value.unwrap_or_default();
            match props.0.get_mut(position) {
                Some(slot) => *slot = value,
                None if value.is_empty() => {}
                None => {
                    return Err(de::Error::custom(format!(
                        "custom property value #{} is set but a session has only 8 slots",
                        position + 1
                    )));
                }
            }
            position += 1;
        }
        Ok(props)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut props = CustomProperties::default();
        while let Some(key) = map.next_key::<String>()? {
            let index = key
                .get(..14)
                .filter(|prefix| prefix.eq_ignore_ascii_case("CustomProperty"))
                .map(|_| &key[14..])
                .filter(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|digits| digits.parse::<usize>().ok())
                .and_then(|index| slot(index).ok())
                .ok_or_else(|| {
                    de::Error::custom(format!(
                        "unexpected custom property key {key:?}: expected CustomProperty1..CustomProperty8"
                    ))
                })?;
            props.0[index] = map.next_value::<Option<String>>()?.unwrap_or_default();
        }
        Ok(props)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(CustomProperties::default())
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(CustomProperties::default())
    }
}

#[cfg(test)]
mod tests {
    use super::{CustomProperties, CustomPropertyError};

    #[test]
    fn one_based_accessors() {
        let mut props = CustomProperties::new();
        assert!(props.is_empty());
        props.set(1, "Acme").unwrap();
        props.set(8, "last").unwrap();
        assert_eq!(props.get(1).unwrap(), "Acme");
        assert_eq!(props.get(8).unwrap(), "last");
        assert_eq!(props.get(2).unwrap(), "");
        assert_eq!(
            props.set(0, "x"),
            Err(CustomPropertyError::IndexOutOfRange { index: 0 })
        );
        assert_eq!(
            props.get(9),
            Err(CustomPropertyError::IndexOutOfRange { index: 9 })
        );
        let wire = props.to_wire();
        assert_eq!(wire[0], "Acme");
        assert_eq!(wire[7], "last");
        assert_eq!(props.iter().filter(|(_, v)| !v.is_empty()).count(), 2);
        assert_eq!(props.iter().next(), Some((1, "Acme")));
    }

    #[test]
    fn from_values_limits_to_eight() {
        let eight =
            CustomProperties::from_values(["1", "2", "3", "4", "5", "6", "7", "8"]).unwrap();
        assert_eq!(eight.get(8).unwrap(), "8");
        let nine = CustomProperties::from_values(["1", "2", "3", "4", "5", "6", "7", "8", "9"]);
        assert_eq!(nine, Err(CustomPropertyError::TooManyValues { count: 9 }));
    }

    #[test]
    fn reads_array_form() {
        let props: CustomProperties =
            serde_json::from_str(r#"["Acme", null, "Tag", "", "", "", "", "", "", null]"#).unwrap();
        assert_eq!(props.get(1).unwrap(), "Acme");
        assert_eq!(props.get(2).unwrap(), "");
        assert_eq!(props.get(3).unwrap(), "Tag");
        let short: CustomProperties = serde_json::from_str(r#"["Acme"]"#).unwrap();
        assert_eq!(short.get(1).unwrap(), "Acme");
        assert_eq!(short.get(8).unwrap(), "");
    }

    #[test]
    fn rejects_a_ninth_value() {
        let err =
            serde_json::from_str::<CustomProperties>(r#"["1","2","3","4","5","6","7","8","9"]"#)
                .unwrap_err();
        assert!(err.to_string().contains("only 8 slots"), "{err}");
    }

    #[test]
    fn reads_object_form() {
        let props: CustomProperties = serde_json::from_str(
            r#"{"CustomProperty1": "Acme", "customproperty3": "Tag", "CustomProperty8": null}"#,
        )
        .unwrap();
        assert_eq!(props.get(1).unwrap(), "Acme");
        assert_eq!(props.get(3).unwrap(), "Tag");
        assert_eq!(props.get(8).unwrap(), "");
        for bad in [
            r#"{"Company": "Acme"}"#,
            r#"{"CustomProperty9": "x"}"#,
            r#"{"CustomProperty0": "x"}"#,
            r#"{"CustomPropertyé": "x"}"#,
            r#"{"CustomProperty+1": "x"}"#,
        ] {
            let err = serde_json::from_str::<CustomProperties>(bad).unwrap_err();
            assert!(
                err.to_string().contains("unexpected custom property key"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn writes_eight_strings() {
        let props = CustomProperties::from_values(["Acme"]).unwrap();
        assert_eq!(
            serde_json::to_string(&props).unwrap(),
            r#"["Acme","","","","","","",""]"#
        );
    }
}
