//! Lenient timestamps for ConnectWise Manage fields typed `date-time`.
//!
//! Manage sends `2016-03-08T21:59:20Z`, but older records and some endpoints send fractional
//! seconds, an explicit offset, or no zone at all. Parsing accepts all of these:
//!
//! - a date `YYYY-MM-DD`, then `T` (or a space) and `HH:MM`, optionally `:SS` and a fraction of
//!   up to nine digits;
//! - then `Z`, an offset `±HH:MM` / `±HHMM` / `±HH`, or nothing, which means UTC;
//! - a bare date (`YYYY-MM-DD`) is midnight UTC.
//!
//! Serialising always writes `YYYY-MM-DDTHH:MM:SSZ` in UTC, the form Manage documents for
//! writes and for `conditions`; sub-second precision is dropped, as Manage stores whole seconds.
//!
//! Use the module with serde's `with`: [`serialize`]/[`deserialize`] for `OffsetDateTime`
//! fields and [`option`] for `Option<OffsetDateTime>` fields (the generated models use the
//! latter).

use serde::{Deserialize, Deserializer, Serializer};
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// Why a timestamp could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid timestamp {input:?}: {reason}")]
pub struct DateTimeError {
    input: String,
    reason: &'static str,
}

impl DateTimeError {
    fn new(input: &str, reason: &'static str) -> Self {
        // Timestamps are short; cap what is echoed back in case a whole document was passed.
        let input: String = input.chars().take(64).collect();
        DateTimeError { input, reason }
    }

    /// What was wrong with the input.
    pub fn reason(&self) -> &'static str {
        self.reason
    }
}

/// Parses a Manage timestamp leniently (see the [module docs](self)).
pub fn parse(input: &str) -> Result<OffsetDateTime, DateTimeError> {
    let s = input.trim();
    let mut cursor = Cursor { rest: s };
    let year = cursor
        .digits(4, 4)
        .ok_or_else(|| DateTimeError::new(input, "expected a four-digit year"))?;
    cursor
        .expect('-')
        .ok_or_else(|| DateTimeError::new(input, "expected `-` after the year"))?;
    let month = cursor
        .digits(2, 2)
        .ok_or_else(|| DateTimeError::new(input, "expected a two-digit month"))?;
    cursor
        .expect('-')
        .ok_or_else(|| DateTimeError::new(input, "expected `-` after the month"))?;
    let day = cursor
        .digits(2, 2)
        .ok_or_else(|| DateTimeError::new(input, "expected a two-digit day"))?;
    let month = u8::try_from(month)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or_else(|| DateTimeError::new(input, "month out of range"))?;
    let year = i32::try_from(year).map_err(|_| DateTimeError::new(input, "year out of range"))?;
    let day = u8::try_from(day).map_err(|_| DateTimeError::new(input, "day out of range"))?;
    let date = Date::from_calendar_date(year, month, day)
        .map_err(|_| DateTimeError::new(input, "no such calendar date"))?;

    if cursor.rest.is_empty() {
        return Ok(PrimitiveDateTime::new(date, Time::MIDNIGHT).assume_utc());
    }
    if cursor
        .expect('T')
        .or_else(|| cursor.expect('t'))
        .or_else(|| cursor.expect(' '))
        .is_none()
    {
        return Err(DateTimeError::new(
            input,
            "expected `T` between date and time",
        ));
    }
    let hour = cursor
        .digits(2, 2)
        .ok_or_else(|| DateTimeError::new(input, "expected a two-digit hour"))?;
    cursor
        .expect(':')
        .ok_or_else(|| DateTimeError::new(input, "expected `:` after the hour"))?;
    let minute = cursor
        .digits(2, 2)
        .ok_or_else(|| DateTimeError::new(input, "expected two-digit minutes"))?;
    let mut second = 0;
    let mut nanos = 0;
    if cursor.expect(':').is_some() {
        second = cursor
            .digits(2, 2)
            .ok_or_else(|| DateTimeError::new(input, "expected two-digit seconds"))?;
        if cursor.expect('.').or_else(|| cursor.expect(',')).is_some() {
            let start = cursor.rest;
            let fraction = cursor
                .digits(1, 9)
                .ok_or_else(|| DateTimeError::new(input, "expected up to nine fraction digits"))?;
            let len = start.len() - cursor.rest.len();
            nanos = fraction * 10u32.pow(9 - u32::try_from(len).unwrap_or(9));
            // Digits beyond nanoseconds carry no information Manage could have stored.
            while cursor.rest.starts_with(|c: char| c.is_ascii_digit()) {
                cursor.rest = &cursor.rest[1..];
            }
        }
    }
    let time = Time::from_hms_nano(
        u8::try_from(hour).unwrap_or(u8::MAX),
        u8::try_from(minute).unwrap_or(u8::MAX),
        u8::try_from(second).unwrap_or(u8::MAX),
        nanos,
    )
    .map_err(|_| DateTimeError::new(input, "time of day out of range"))?;
    let local = PrimitiveDateTime::new(date, time);

    let offset =
        if cursor.rest.is_empty() || cursor.expect('Z').or_else(|| cursor.expect('z')).is_some() {
            UtcOffset::UTC
        } else {
            let sign: i8 = if cursor.expect('+').is_some() {
                1
            } else if cursor.expect('-').is_some() {
                -1
            } else {
                return Err(DateTimeError::new(
                    input,
                    "expected `Z` or an offset after the time",
                ));
            };
            let hours = cursor
                .digits(2, 2)
                .ok_or_else(|| DateTimeError::new(input, "expected two-digit offset hours"))?;
            let _ = cursor.expect(':');
            let minutes = if cursor.rest.is_empty() {
                0
            } else {
                cursor
                    .digits(2, 2)
                    .ok_or_else(|| DateTimeError::new(input, "expected two-digit offset minutes"))?
            };
            // RFC 3339 offsets stay within ±23:59.
            if hours > 23 || minutes > 59 {
                return Err(DateTimeError::new(input, "offset out of range"));
            }
            let hours = i8::try_from(hours)
                .map_err(|_| DateTimeError::new(input, "offset out of range"))?;
            let minutes = i8::try_from(minutes)
                .map_err(|_| DateTimeError::new(input, "offset out of range"))?;
            UtcOffset::from_hms(sign * hours, sign * minutes, 0)
                .map_err(|_| DateTimeError::new(input, "offset out of range"))?
        };
    if !cursor.rest.is_empty() {
        return Err(DateTimeError::new(
            input,
            "unexpected text after the timestamp",
        ));
    }
    Ok(local.assume_offset(offset))
}

/// Formats a timestamp as Manage expects it: `YYYY-MM-DDTHH:MM:SSZ` in UTC.
///
/// Years outside 0000–9999 cannot be written in that form and give an error.
pub fn format(value: OffsetDateTime) -> Result<String, DateTimeError> {
    let utc = value.to_offset(UtcOffset::UTC);
    if !(0..=9999).contains(&utc.year()) {
        return Err(DateTimeError::new(
            &utc.year().to_string(),
            "year outside 0000-9999",
        ));
    }
    Ok(std::format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        utc.year(),
        u8::from(utc.month()),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second()
    ))
}

/// Serialises an `OffsetDateTime` as `YYYY-MM-DDTHH:MM:SSZ` (UTC).
pub fn serialize<S: Serializer>(value: &OffsetDateTime, serializer: S) -> Result<S::Ok, S::Error> {
    let text = format(*value).map_err(serde::ser::Error::custom)?;
    serializer.serialize_str(&text)
}

/// Deserialises an `OffsetDateTime` leniently (see the [module docs](self)).
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<OffsetDateTime, D::Error> {
    let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
    parse(&text).map_err(serde::de::Error::custom)
}

/// The same for `Option<OffsetDateTime>` fields: `null`, a missing field and an empty string are
/// `None`.
pub mod option {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::OffsetDateTime;

    /// Serialises `Some` as `YYYY-MM-DDTHH:MM:SSZ` (UTC) and `None` as `null`. Generated models
    /// skip `None` fields, so `null` is only written when a caller's own type asks for it.
    pub fn serialize<S: Serializer>(
        value: &Option<OffsetDateTime>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => super::serialize(value, serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Deserialises leniently; `null` and `""` are `None`.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<OffsetDateTime>, D::Error> {
        let text = Option::<std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        match text.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(text) => super::parse(text)
                .map(Some)
                .map_err(serde::de::Error::custom),
        }
    }
}

/// A tiny forward-only reader over the input.
struct Cursor<'a> {
    rest: &'a str,
}

impl Cursor<'_> {
    /// Consumes `c` if it comes next.
    fn expect(&mut self, c: char) -> Option<()> {
        self.rest = self.rest.strip_prefix(c)?;
        Some(())
    }

    /// Consumes between `min` and `max` ASCII digits and returns their value.
    fn digits(&mut self, min: usize, max: usize) -> Option<u32> {
        let len = self
            .rest
            .bytes()
            .take(max)
            .take_while(u8::is_ascii_digit)
            .count();
        if len < min {
            return None;
        }
        let (digits, rest) = self.rest.split_at(len);
        self.rest = rest;
        digits.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn accepts_the_forms_manage_sends() {
        let cases = [
            ("2016-03-08T21:59:20Z", datetime!(2016-03-08 21:59:20 UTC)),
            ("2016-03-08T21:59:20z", datetime!(2016-03-08 21:59:20 UTC)),
            ("2016-03-08T21:59:20", datetime!(2016-03-08 21:59:20 UTC)),
            ("2016-03-08 21:59:20", datetime!(2016-03-08 21:59:20 UTC)),
            ("2016-03-08T21:59Z", datetime!(2016-03-08 21:59:00 UTC)),
            (
                "2016-03-08T21:59:20.5Z",
                datetime!(2016-03-08 21:59:20.5 UTC),
            ),
            (
                "2016-03-08T21:59:20.1234567Z",
                datetime!(2016-03-08 21:59:20.1234567 UTC),
            ),
            (
                "2016-03-08T21:59:20.1234567891Z",
                datetime!(2016-03-08 21:59:20.123456789 UTC),
            ),
            (
                "2016-03-08T21:59:20+02:00",
                datetime!(2016-03-08 21:59:20 +2),
            ),
            (
                "2016-03-08T21:59:20-0530",
                datetime!(2016-03-08 21:59:20 -5:30),
            ),
            ("2016-03-08T21:59:20+01", datetime!(2016-03-08 21:59:20 +1)),
            ("2016-03-08", datetime!(2016-03-08 00:00:00 UTC)),
            (" 2016-03-08T21:59:20Z ", datetime!(2016-03-08 21:59:20 UTC)),
        ];
        for (input, expected) in cases {
            assert_eq!(parse(input), Ok(expected), "{input}");
        }
    }

    #[test]
    fn rejects_garbage_with_a_reason() {
        let cases = [
            ("", "expected a four-digit year"),
            ("yesterday", "expected a four-digit year"),
            ("2016-13-01T00:00:00Z", "month out of range"),
            ("2016-02-30T00:00:00Z", "no such calendar date"),
            ("2016-03-08T25:00:00Z", "time of day out of range"),
            (
                "2016-03-08T21:59:20Q",
                "expected `Z` or an offset after the time",
            ),
            (
                "2016-03-08T21:59:20Z trailing",
                "unexpected text after the timestamp",
            ),
            ("2016-03-08T21:59:20+25:00", "offset out of range"),
        ];
        for (input, reason) in cases {
            let err = parse(input).expect_err(input);
            assert_eq!(err.reason(), reason, "{input}");
            assert!(err.to_string().contains(reason), "{err}");
        }
    }

    #[test]
    fn formats_whole_seconds_in_utc() {
        assert_eq!(
            format(datetime!(2016-03-08 23:59:20.9 +2)).as_deref(),
            Ok("2016-03-08T21:59:20Z")
        );
        assert_eq!(
            format(datetime!(0001-01-01 00:00 UTC)).as_deref(),
            Ok("0001-01-01T00:00:00Z")
        );
        assert!(format(datetime!(-0001-01-01 00:00 UTC)).is_err());
    }

    #[test]
    fn option_helpers_round_trip() {
        #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        struct Holder {
            #[serde(
                default,
                skip_serializing_if = "Option::is_none",
                with = "super::option"
            )]
            at: Option<OffsetDateTime>,
        }
        let parsed: Holder =
            serde_json::from_str(r#"{"at":"2016-03-08T21:59:20+01:00"}"#).expect("valid");
        assert_eq!(parsed.at, Some(datetime!(2016-03-08 20:59:20 UTC)));
        assert_eq!(
            serde_json::to_string(&parsed).expect("serialise"),
            r#"{"at":"2016-03-08T20:59:20Z"}"#
        );
        for empty in [r#"{"at":null}"#, r#"{"at":""}"#, "{}"] {
            let parsed: Holder = serde_json::from_str(empty).expect("valid");
            assert_eq!(parsed.at, None, "{empty}");
            assert_eq!(serde_json::to_string(&parsed).expect("serialise"), "{}");
        }
        let err = serde_json::from_str::<Holder>(r#"{"at":"not a date"}"#).expect_err("garbage");
        assert!(err.to_string().contains("invalid timestamp"), "{err}");
        let err = serde_json::from_str::<Holder>(r#"{"at":5}"#).expect_err("number");
        assert!(err.to_string().contains("invalid type"), "{err}");
    }
}
