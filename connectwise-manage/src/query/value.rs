//! Typed literals for the right-hand side of a condition.
//!
//! `From` conversions cover the natural Rust types, so builders take `impl Into<Value>`:
//! text, integers, [`Decimal`], `bool`, `Option` (where `None` is `null`), datetimes and
//! sequences (lists for `in`). Conditions hold datetimes in UTC truncated to whole seconds, the
//! precision of the `[YYYY-MM-DDTHH:MM:SSZ]` literal.

use std::borrow::Cow;

use time::{OffsetDateTime, UtcDateTime, UtcOffset};

use super::Decimal;

/// A literal value in a condition.
///
/// The textual form (see [`Display`](std::fmt::Display)) follows the Manage grammar: strings
/// quoted, numbers bare, `true`/`false`, `null`, datetimes in square brackets, lists in
/// parentheses.
///
/// ```
/// use connectwise_manage::query::Value;
/// use time::macros::datetime;
///
/// assert_eq!(Value::from("Help Desk").to_string(), r#""Help Desk""#);
/// assert_eq!(Value::from(42).to_string(), "42");
/// assert_eq!(Value::from(None::<i32>).to_string(), "null");
/// assert_eq!(
///     Value::from(datetime!(2026-01-01 01:30:15.75 +01:00)).to_string(),
///     "[2026-01-01T00:30:15Z]",
/// );
/// assert_eq!(Value::from([1, 2, 3]).to_string(), "(1, 2, 3)");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Value {
    /// Text; quoted when rendered.
    String(String),
    /// A whole number.
    Integer(i64),
    /// A decimal kept as exact text. Conditions store integral decimals that fit an `i64` as
    /// [`Value::Integer`], since both render the same.
    Decimal(Decimal),
    /// `true` or `false`.
    Boolean(bool),
    /// The `null` keyword.
    Null,
    /// An instant. Conditions hold it at the UTC offset, truncated to whole seconds; equality
    /// compares instants, whatever the offset.
    DateTime(OffsetDateTime),
    /// A list of values, only valid with `in` and `not in`. Lists do not nest.
    List(Vec<Value>),
}

impl Value {
    /// Brings the value to the form a condition stores, so that a rendered condition parses
    /// back to an equal one: integral decimals that fit become integers, and datetimes move to
    /// UTC and lose sub-second precision. Applies to list items too. `None` when a datetime
    /// cannot be expressed in UTC (it lies beyond the year 9999 there).
    pub(super) fn normalized(self) -> Option<Self> {
        Some(match self {
            Self::Decimal(decimal) => match decimal.as_integer() {
                Some(integer) => Self::Integer(integer),
                None => Self::Decimal(decimal),
            },
            Self::DateTime(instant) => Self::DateTime(utc_whole_seconds(instant)?),
            Self::List(items) => Self::List(
                items
                    .into_iter()
                    .map(Self::normalized)
                    .collect::<Option<_>>()?,
            ),
            other => other,
        })
    }
}

/// Moves an instant to the UTC offset and drops its sub-second part; `None` when the UTC
/// date falls outside the range `time` supports.
pub(super) fn utc_whole_seconds(instant: OffsetDateTime) -> Option<OffsetDateTime> {
    instant
        .checked_to_offset(UtcOffset::UTC)?
        .replace_nanosecond(0)
        .ok()
}

impl From<&str> for Value {
    fn from(value: &str) -> Self {
        Self::String(value.to_owned())
    }
}

impl From<String> for Value {
    fn from(value: String) -> Self {
        Self::String(value)
    }
}

impl From<&String> for Value {
    fn from(value: &String) -> Self {
        Self::String(value.clone())
    }
}

impl From<Cow<'_, str>> for Value {
    fn from(value: Cow<'_, str>) -> Self {
        Self::String(value.into_owned())
    }
}

impl From<char> for Value {
    fn from(value: char) -> Self {
        Self::String(value.to_string())
    }
}

impl From<bool> for Value {
    fn from(value: bool) -> Self {
        Self::Boolean(value)
    }
}

/// Integer types that always fit an `i64`.
macro_rules! from_small_integer {
    ($($ty:ty),*) => {$(
        impl From<$ty> for Value {
            fn from(value: $ty) -> Self {
                Self::Integer(i64::from(value))
            }
        }
    )*};
}
from_small_integer!(i8, i16, i32, i64, u8, u16, u32);

/// Integer types that may exceed an `i64`; those values become exact decimals.
macro_rules! from_wide_integer {
    ($($ty:ty),*) => {$(
        impl From<$ty> for Value {
            fn from(value: $ty) -> Self {
                match i64::try_from(value) {
                    Ok(integer) => Self::Integer(integer),
                    Err(_) => Self::Decimal(Decimal::from_scanned(&value.to_string())),
                }
            }
        }
    )*};
}
from_wide_integer!(u64, i128, u128, usize, isize);

impl From<Decimal> for Value {
    fn from(value: Decimal) -> Self {
        Self::Decimal(value)
    }
}

impl From<UtcDateTime> for Value {
    fn from(value: UtcDateTime) -> Self {
        Self::DateTime(OffsetDateTime::from(value))
    }
}

impl From<OffsetDateTime> for Value {
    /// Keeps the instant; conditions render it in UTC, so `12:00 +02:00` becomes
    /// `[…T10:00:00Z]`.
    fn from(value: OffsetDateTime) -> Self {
        Self::DateTime(value)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    /// `None` is the `null` keyword.
    fn from(value: Option<T>) -> Self {
        value.map_or(Self::Null, Into::into)
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(values: Vec<T>) -> Self {
        Self::List(values.into_iter().map(Into::into).collect())
    }
}

impl<T: Into<Value>, const N: usize> From<[T; N]> for Value {
    fn from(values: [T; N]) -> Self {
        Self::List(values.into_iter().map(Into::into).collect())
    }
}

impl<T: Into<Value> + Clone> From<&[T]> for Value {
    fn from(values: &[T]) -> Self {
        Self::List(values.iter().cloned().map(Into::into).collect())
    }
}

impl<T: Into<Value>> FromIterator<T> for Value {
    /// Collects into a [`Value::List`].
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Self::List(iter.into_iter().map(Into::into).collect())
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{datetime, utc_datetime};

    use super::*;

    #[test]
    fn integers_that_overflow_i64_stay_exact() {
        assert_eq!(Value::from(u64::MAX).to_string(), "18446744073709551615");
        assert_eq!(Value::from(i128::MIN).to_string(), i128::MIN.to_string());
        assert_eq!(Value::from(7_u64), Value::Integer(7));
        assert_eq!(Value::from(-7_isize), Value::Integer(-7));
    }

    fn normalized_instant(value: impl Into<Value>) -> Option<(OffsetDateTime, UtcOffset)> {
        match value.into().normalized()? {
            Value::DateTime(instant) => Some((instant, instant.offset())),
            _ => None,
        }
    }

    #[test]
    fn normalizing_moves_datetimes_to_utc_whole_seconds() {
        assert_eq!(
            normalized_instant(datetime!(2026-03-01 00:15:00.999 +05:30)),
            Some((datetime!(2026-02-28 18:45:00 UTC), UtcOffset::UTC))
        );
        assert_eq!(
            normalized_instant(utc_datetime!(2026-03-01 00:15:00.000_000_001)),
            Some((datetime!(2026-03-01 00:15:00 UTC), UtcOffset::UTC))
        );
    }

    #[test]
    fn normalizing_rejects_datetimes_beyond_utc_range() {
        assert_eq!(
            normalized_instant(datetime!(9999-12-31 23:59:59 -01:00)),
            None
        );
        assert_eq!(
            normalized_instant(datetime!(-9999-01-01 00:00:00 +01:00)),
            None
        );
        assert_eq!(
            Value::List(vec![Value::from(datetime!(9999-12-31 23:59:59 -01:00))]).normalized(),
            None
        );
    }

    #[test]
    fn normalizing_turns_integral_decimals_into_integers() {
        let decimal = |t: &str| Value::Decimal(Decimal::new(t).expect("valid decimal"));
        assert_eq!(decimal("12").normalized(), Some(Value::Integer(12)));
        assert_eq!(decimal("12.0").normalized(), Some(decimal("12.0")));
        assert_eq!(
            decimal("99999999999999999999").normalized(),
            Some(decimal("99999999999999999999"))
        );
        assert_eq!(
            Value::List(vec![
                decimal("3"),
                Value::from(utc_datetime!(2026-01-01 0:00:00.5))
            ])
            .normalized(),
            Some(Value::List(vec![
                Value::Integer(3),
                Value::from(utc_datetime!(2026-01-01 0:00))
            ]))
        );
    }

    #[test]
    fn sequences_become_lists_and_none_becomes_null() {
        assert_eq!(
            Value::from(vec!["a", "b"]),
            Value::List(vec!["a".into(), "b".into()])
        );
        assert_eq!(
            Value::from(&[1_u8, 2][..]),
            Value::List(vec![1.into(), 2.into()])
        );
        assert_eq!((1..=3).collect::<Value>(), Value::from([1, 2, 3]));
        assert_eq!(Value::from(None::<&str>), Value::Null);
        assert_eq!(Value::from(Some(true)), Value::Boolean(true));
    }
}
