//! Tolerant field readers shared by the models.
//!
//! The server (and the proxies and mocks in front of it) sometimes writes `null` where a list or
//! object is expected, and numbers as strings. One odd field must not make a whole session list
//! unreadable, so these helpers accept those forms; anything else is still a decode error.

use serde::{Deserialize, Deserializer};

/// Reads `null` as `T::default()`.
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// A JSON number, or a string holding one.
#[derive(Deserialize)]
#[serde(untagged)]
enum NumberOrText {
    Integer(i64),
    Float(f64),
    Text(String),
}

/// Reads an optional integer written as a number or a numeric string; empty strings are `None`.
pub(crate) fn option_i64<'de, D>(deserializer: D) -> Result<Option<i64>, D::Error>
where
    D: Deserializer<'de>,
{
    use serde::de::Error;
    match Option::<NumberOrText>::deserialize(deserializer)? {
        None => Ok(None),
        Some(NumberOrText::Integer(value)) => Ok(Some(value)),
        Some(NumberOrText::Float(value)) => {
            // Integral floats (e.g. `16384.0`) are integers; anything else is a shape error.
            if value.fract() == 0.0 && value.abs() < 9.0e15 {
                #[allow(clippy::cast_possible_truncation)]
                Ok(Some(value as i64))
            } else {
                Err(D::Error::custom(format!(
                    "expected an integer, got {value}"
                )))
            }
        }
        Some(NumberOrText::Text(text)) if text.trim().is_empty() => Ok(None),
        Some(NumberOrText::Text(text)) => text
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| D::Error::custom(format!("expected an integer, got {text:?}"))),
    }
}

/// Reads an optional number written as a number or a numeric string; empty strings are `None`.
pub(crate) fn option_f64<'de, D>(deserializer: D) -> Result<Option<f64>, D::Error>
where
    D: Deserializer<'de>,
{
    use serde::de::Error;
    match Option::<NumberOrText>::deserialize(deserializer)? {
        None => Ok(None),
        #[allow(clippy::cast_precision_loss)]
        Some(NumberOrText::Integer(value)) => Ok(Some(value as f64)),
        Some(NumberOrText::Float(value)) => Ok(Some(value)),
        Some(NumberOrText::Text(text)) if text.trim().is_empty() => Ok(None),
        Some(NumberOrText::Text(text)) => text
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|value| value.is_finite())
            .map(Some)
            .ok_or_else(|| D::Error::custom(format!("expected a number, got {text:?}"))),
    }
}

/// Reads an optional text field that some servers write as a number or boolean (enum-backed
/// values such as a processor architecture); the value is kept as text.
pub(crate) fn option_text<'de, D>(deserializer: D) -> Result<Option<String>, D::Error>
where
    D: Deserializer<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Scalar {
        Text(String),
        Integer(i64),
        Float(f64),
        Flag(bool),
    }
    Ok(
        Option::<Scalar>::deserialize(deserializer)?.map(|scalar| match scalar {
            Scalar::Text(text) => text,
            Scalar::Integer(value) => value.to_string(),
            Scalar::Float(value) => value.to_string(),
            Scalar::Flag(value) => value.to_string(),
        }),
    )
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Numbers {
        #[serde(default, deserialize_with = "super::option_i64")]
        int: Option<i64>,
        #[serde(default, deserialize_with = "super::option_f64")]
        float: Option<f64>,
        #[serde(default, deserialize_with = "super::null_as_default")]
        list: Vec<u8>,
        #[serde(default, deserialize_with = "super::option_text")]
        text: Option<String>,
    }

    #[test]
    fn text_accepts_scalars() {
        let n: Numbers = serde_json::from_str(r#"{"text": 9}"#).unwrap();
        assert_eq!(n.text.as_deref(), Some("9"));
        let n: Numbers = serde_json::from_str(r#"{"text": "X64"}"#).unwrap();
        assert_eq!(n.text.as_deref(), Some("X64"));
        let n: Numbers = serde_json::from_str(r#"{"text": null}"#).unwrap();
        assert_eq!(n.text, None);
        assert!(serde_json::from_str::<Numbers>(r#"{"text": [1]}"#).is_err());
    }

    #[test]
    fn accepts_numbers_strings_null_and_missing() {
        let n: Numbers =
            serde_json::from_str(r#"{"int": "16384", "float": "5.5", "list": null}"#).unwrap();
        assert_eq!((n.int, n.float, n.list), (Some(16384), Some(5.5), vec![]));
        let n: Numbers = serde_json::from_str(r#"{"int": 8.0, "float": -3}"#).unwrap();
        assert_eq!((n.int, n.float), (Some(8), Some(-3.0)));
        let n: Numbers = serde_json::from_str(r#"{"int": "", "float": null}"#).unwrap();
        assert_eq!((n.int, n.float), (None, None));
    }

    #[test]
    fn rejects_non_numbers() {
        assert!(serde_json::from_str::<Numbers>(r#"{"int": "lots"}"#).is_err());
        assert!(serde_json::from_str::<Numbers>(r#"{"int": 1.5}"#).is_err());
        assert!(serde_json::from_str::<Numbers>(r#"{"float": "NaN"}"#).is_err());
        assert!(serde_json::from_str::<Numbers>(r#"{"int": true}"#).is_err());
    }
}
