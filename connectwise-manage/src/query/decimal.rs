//! Exact decimal literals.
//!
//! Condition numbers are text on the wire (`-?\d+(\.\d+)?`), so a decimal is kept as that text:
//! nothing is lost to binary floating point between the caller and the server.

use std::fmt;
use std::str::FromStr;

/// A decimal number kept as its exact text, matching `-?\d+(\.\d+)?`.
///
/// ```
/// use connectwise_manage::query::Decimal;
///
/// let price: Decimal = "12.50".parse()?;
/// assert_eq!(price.as_str(), "12.50");
/// // An `f64` converts through its shortest round-tripping decimal form.
/// assert_eq!(Decimal::try_from(0.1_f64)?.as_str(), "0.1");
/// assert!("1e5".parse::<Decimal>().is_err());
/// # Ok::<(), connectwise_manage::query::DecimalError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Decimal(Box<str>);

impl Decimal {
    /// Checks `text` against `-?\d+(\.\d+)?` and keeps it as written.
    ///
    /// # Errors
    ///
    /// [`DecimalError::Malformed`] when the text has any other shape (exponents, a leading `+`,
    /// a bare `.`, spaces, ...).
    pub fn new(text: &str) -> Result<Self, DecimalError> {
        if is_decimal_text(text) {
            Ok(Self(text.into()))
        } else {
            Err(DecimalError::Malformed)
        }
    }

    /// Wraps text the parser has already scanned as a number.
    pub(super) fn from_scanned(text: &str) -> Self {
        Self(text.into())
    }

    /// The exact text, e.g. `12.50`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The value as an `i64` when the text has no fractional part and fits; such numbers are
    /// stored as integers inside conditions so that rendering and parsing agree.
    pub(super) fn as_integer(&self) -> Option<i64> {
        if self.0.contains('.') {
            None
        } else {
            self.0.parse().ok()
        }
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Decimal {
    type Err = DecimalError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl TryFrom<f64> for Decimal {
    type Error = DecimalError;

    /// Uses the shortest decimal text that reads back as the same `f64` (Rust's `Display`,
    /// which never uses exponent notation), so `0.1` becomes `0.1`, not
    /// `0.1000000000000000055511151231257827`.
    fn try_from(value: f64) -> Result<Self, Self::Error> {
        if !value.is_finite() {
            return Err(DecimalError::NotFinite);
        }
        Self::new(&value.to_string())
    }
}

impl TryFrom<f32> for Decimal {
    type Error = DecimalError;

    /// Like the `f64` conversion, with the shortest text that reads back as the same `f32`.
    fn try_from(value: f32) -> Result<Self, Self::Error> {
        if !value.is_finite() {
            return Err(DecimalError::NotFinite);
        }
        Self::new(&value.to_string())
    }
}

/// Text or a float that cannot be a condition decimal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum DecimalError {
    /// The text does not match `-?\d+(\.\d+)?`.
    #[error("a decimal must be digits with an optional leading '-' and fractional part")]
    Malformed,
    /// The float is NaN or infinite.
    #[error("NaN and infinite floats have no decimal form")]
    NotFinite,
}

/// True when `text` matches `-?\d+(\.\d+)?`.
fn is_decimal_text(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && fraction.is_none_or(all_digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_number_grammar() {
        for text in [
            "0",
            "-0",
            "12",
            "-12.5",
            "007.50",
            "99999999999999999999999.1",
        ] {
            assert_eq!(
                Decimal::new(text).map(|d| d.to_string()),
                Ok(text.to_owned())
            );
        }
    }

    #[test]
    fn rejects_other_shapes() {
        for text in [
            "", "-", ".5", "5.", "+5", "1e5", "1.2.3", " 1", "1 ", "--1", "0x10", "١",
        ] {
            assert_eq!(Decimal::new(text), Err(DecimalError::Malformed), "{text:?}");
        }
    }

    #[test]
    fn floats_convert_exactly_or_fail() {
        assert_eq!(
            Decimal::try_from(0.1_f64).map(|d| d.to_string()),
            Ok("0.1".into())
        );
        assert_eq!(
            Decimal::try_from(-2.5_f64).map(|d| d.to_string()),
            Ok("-2.5".into())
        );
        assert_eq!(
            Decimal::try_from(1e21_f64).map(|d| d.to_string()),
            Ok("1000000000000000000000".into())
        );
        assert_eq!(
            Decimal::try_from(1e-7_f64).map(|d| d.to_string()),
            Ok("0.0000001".into())
        );
        assert_eq!(
            Decimal::try_from(0.1_f32).map(|d| d.to_string()),
            Ok("0.1".into())
        );
        assert_eq!(Decimal::try_from(f64::NAN), Err(DecimalError::NotFinite));
        assert_eq!(
            Decimal::try_from(f64::INFINITY),
            Err(DecimalError::NotFinite)
        );
        assert_eq!(
            Decimal::try_from(f32::NEG_INFINITY),
            Err(DecimalError::NotFinite)
        );
    }

    #[test]
    fn float_text_reads_back_as_the_same_float() {
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..2_000 {
            let value = f64::from_bits(rng.u64(..));
            if let Ok(decimal) = Decimal::try_from(value) {
                assert_eq!(decimal.as_str().parse::<f64>().ok(), Some(value));
            }
        }
    }

    #[test]
    fn integral_text_that_fits_is_an_integer() {
        let as_int = |t: &str| Decimal::new(t).ok().and_then(|d| d.as_integer());
        assert_eq!(as_int("42"), Some(42));
        assert_eq!(as_int("-0"), Some(0));
        assert_eq!(as_int("42.0"), None);
        assert_eq!(as_int("9223372036854775808"), None);
    }
}
