//! Reading ScreenConnect timestamps into `Option<OffsetDateTime>`.
//!
//! The server writes .NET `DateTime` values: usually RFC 3339 with seven fractional digits and `Z`
//! (`2026-07-19T06:41:52.6169911Z`), but "never" is `DateTime.MinValue` written *without a zone*
//! (`0001-01-01T00:00:00`), which strict RFC 3339 parsers reject. The rules here:
//!
//! * `0001-01-01T00:00:00` (with or without fraction or zone), `null`, a missing field and the
//!   empty string all mean "no time" and become `None`;
//! * values without a zone are UTC;
//! * fractional seconds are optional and may have any number of digits;
//! * `Z` and numeric offsets (`+02:00`) are honoured.
//!
//! Use as a field attribute: `#[serde(default, with = "screenconnect_api::models::timestamp")]`.
//! Serialisation writes RFC 3339 (or `null` for `None`).

use serde::{Deserialize, Deserializer, Serializer};
use time::format_description::well_known::Rfc3339;
use time::macros::{date, format_description};
use time::{OffsetDateTime, PrimitiveDateTime, Time};

/// A timestamp that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TimestampError {
    /// The text is neither RFC 3339 nor a zone-less `YYYY-MM-DDTHH:MM:SS[.fff…]` value.
    #[error("unrecognised timestamp {value:?}: expected YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM]")]
    Unrecognised {
        /// The rejected text, truncated to 64 characters.
        value: String,
    },
}

/// Parses one timestamp as described in the module docs.
///
/// # Errors
/// [`TimestampError::Unrecognised`] when the text is not a timestamp in any accepted form.
pub fn parse(text: &str) -> Result<Option<OffsetDateTime>, TimestampError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let parsed = match OffsetDateTime::parse(text, &Rfc3339) {
        Ok(value) => value,
        Err(_) => {
            let zoneless = format_description!(
                version = 2,
                "[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]"
            );
            PrimitiveDateTime::parse(text, zoneless)
                .map_err(|_| TimestampError::Unrecognised {
                    value: text.chars().take(64).collect(),
                })?
                .assume_utc()
        }
    };
    Ok(if is_never(&parsed) {
        None
    } else {
        Some(parsed)
    })
}

/// `DateTime.MinValue` as written in the value's own offset.
fn is_never(value: &OffsetDateTime) -> bool {
    value.date() == date!(0001 - 01 - 01) && value.time() == Time::MIDNIGHT
}

/// Serde `deserialize_with` half: reads `null`, a missing field (with `#[serde(default)]`), or a
/// string in any accepted form.
///
/// # Errors
/// A serde error naming the unrecognised value when the string is not a timestamp, or when the
/// JSON value is neither a string nor `null`.
pub fn deserialize<'de, D>(deserializer: D) -> Result<Option<OffsetDateTime>, D::Error>
where
    D: Deserializer<'de>,
{
    let text = Option::<std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
    match text {
        None => Ok(None),
        Some(text) => parse(&text).map_err(serde::de::Error::custom),
    }
}

/// Serde `serialize_with` half: RFC 3339 for `Some`, `null` for `None`.
///
/// # Errors
/// A serde error when the value cannot be written as RFC 3339 (a year outside 0–9999 or an offset
/// with seconds).
pub fn serialize<S>(value: &Option<OffsetDateTime>, serializer: S) -> Result<S::Ok, S::Error>
where
    S: Serializer,
{
    match value {
        None => serializer.serialize_none(),
        Some(value) => {
            let text = value.format(&Rfc3339).map_err(serde::ser::Error::custom)?;
            serializer.serialize_str(&text)
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use time::OffsetDateTime;
    use time::macros::datetime;

    use super::{TimestampError, parse};

    #[derive(Debug, Deserialize, Serialize)]
    struct Holder {
        #[serde(default, with = "super")]
        at: Option<OffsetDateTime>,
    }

    #[test]
    fn never_values_are_none() {
        for never in [
            "0001-01-01T00:00:00",
            "0001-01-01T00:00:00Z",
            "0001-01-01T00:00:00.0000000",
            "0001-01-01T00:00:00.0000000Z",
            "0001-01-01T00:00:00+00:00",
            "",
            "  ",
        ] {
            assert_eq!(parse(never), Ok(None), "{never:?}");
        }
    }

    #[test]
    fn seven_fraction_digits_with_z() {
        assert_eq!(
            parse("2026-07-19T06:41:52.6169911Z"),
            Ok(Some(datetime!(2026-07-19 06:41:52.6169911 UTC)))
        );
    }

    #[test]
    fn zoneless_values_are_utc() {
        assert_eq!(
            parse("2026-07-19T06:41:52"),
            Ok(Some(datetime!(2026-07-19 06:41:52 UTC)))
        );
        assert_eq!(
            parse("2026-07-19T06:41:52.5"),
            Ok(Some(datetime!(2026-07-19 06:41:52.5 UTC)))
        );
        assert_eq!(
            parse("2026-07-19T06:41:52.6169911"),
            Ok(Some(datetime!(2026-07-19 06:41:52.6169911 UTC)))
        );
    }

    #[test]
    fn offsets_are_kept() {
        let parsed = parse("2026-07-19T08:41:52+02:00").unwrap().unwrap();
        assert_eq!(parsed, datetime!(2026-07-19 06:41:52 UTC));
        assert_eq!(parsed.offset().whole_hours(), 2);
    }

    #[test]
    fn garbage_is_a_typed_error() {
        for bad in [
            "yesterday",
            "2026-07-19",
            "2026-13-01T00:00:00",
            "19/07/2026 06:41",
        ] {
            assert!(
                matches!(parse(bad), Err(TimestampError::Unrecognised { .. })),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn serde_helper_handles_null_missing_and_strings() {
        let missing: Holder = serde_json::from_str("{}").unwrap();
        assert_eq!(missing.at, None);
        let null: Holder = serde_json::from_str(r#"{"at": null}"#).unwrap();
        assert_eq!(null.at, None);
        let never: Holder = serde_json::from_str(r#"{"at": "0001-01-01T00:00:00"}"#).unwrap();
        assert_eq!(never.at, None);
        let set: Holder = serde_json::from_str(r#"{"at": "2026-07-19T06:41:52Z"}"#).unwrap();
        assert_eq!(set.at, Some(datetime!(2026-07-19 06:41:52 UTC)));
        let err = serde_json::from_str::<Holder>(r#"{"at": "soon"}"#).unwrap_err();
        assert!(err.to_string().contains("unrecognised timestamp"), "{err}");
        let err = serde_json::from_str::<Holder>(r#"{"at": 5}"#).unwrap_err();
        assert!(err.to_string().contains("invalid type"), "{err}");
    }

    #[test]
    fn serialises_rfc3339_and_null() {
        let json = serde_json::to_string(&Holder {
            at: Some(datetime!(2026-07-19 06:41:52.5 UTC)),
        })
        .unwrap();
        assert_eq!(json, r#"{"at":"2026-07-19T06:41:52.5Z"}"#);
        let json = serde_json::to_string(&Holder { at: None }).unwrap();
        assert_eq!(json, r#"{"at":null}"#);
    }
}
