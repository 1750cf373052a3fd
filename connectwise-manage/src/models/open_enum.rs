//! Open enums: string enums that keep values they do not know.
//!
//! The spec's enum values date from 2022.1 and servers add members over time, so every generated
//! enum has a catch-all `Other(String)` variant. Deserialising never fails on an unknown value,
//! and serialising writes back exactly the string that was read.
//!
//! The generated code declares each enum through the `open_enum!` macro below, which writes the
//! enum, its wire mapping and its trait impls in one place (and keeps the generated files
//! short).

/// What every generated open enum offers, for code that handles them generically.
pub trait OpenEnum: Sized {
    /// Every known wire value, in the order the spec lists them.
    const KNOWN: &'static [&'static str];

    /// The value as sent on the wire.
    fn as_str(&self) -> &str;

    /// Whether the value is one the SDK knows (not `Other`).
    fn is_known(&self) -> bool;
}

/// Declares an open enum: known variants mapped to wire strings, plus `Other(String)`.
///
/// ```text
/// open_enum! {
///     /// Docs for the enum.
///     pub enum TicketSeverity {
///         /// Docs for the variant.
///         Low = "Low",
///     }
/// }
/// ```
///
/// Generates `as_str`, `From<&str>`, `From<String>`, `FromStr` (infallible), `Display`, the
/// [`OpenEnum`] trait and serde impls that read and write the wire string. A hand-built
/// `Other("Low")` is not equal to `Low`; build values with `From` to get the known variant.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$variant_meta:meta])*
                $variant:ident = $wire:literal,
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        #[allow(clippy::enum_variant_names)]
        pub enum $name {
            $(
                $(#[$variant_meta])*
                $variant,
            )*
            /// A value this version of the SDK does not know, kept verbatim.
            Other(String),
        }

        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Other(value) => value,
                }
            }

            /// Whether the value is one the SDK knows (not `Other`).
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Other(_))
            }
        }

        impl $crate::models::OpenEnum for $name {
            const KNOWN: &'static [&'static str] = &[$($wire),*];

            fn as_str(&self) -> &str {
                $name::as_str(self)
            }

            fn is_known(&self) -> bool {
                $name::is_known(self)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    $($wire => Self::$variant,)*
                    _ => Self::Other(value),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::models::open_enum::deserialize_string(deserializer).map(Self::from)
            }
        }
    };
}

pub(crate) use open_enum;

/// Reads the wire string of an open enum. One shared function keeps each enum's `Deserialize`
/// impl a single call.
pub(crate) fn deserialize_string<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<String, D::Error> {
    <String as serde::Deserialize>::deserialize(deserializer)
}

#[cfg(test)]
mod tests {
    use super::OpenEnum;

    open_enum! {
        /// A test enum.
        pub enum Severity {
            /// Low.
            Low = "Low",
            /// High.
            High = "High",
            /// A wire value that is not a valid identifier.
            OtherValue = "Other",
        }
    }

    #[test]
    fn known_values_map_to_variants() {
        assert_eq!(Severity::from("Low"), Severity::Low);
        assert_eq!(Severity::from("Other".to_owned()), Severity::OtherValue);
        assert_eq!("High".parse::<Severity>(), Ok(Severity::High));
        assert_eq!(Severity::High.as_str(), "High");
        assert_eq!(Severity::OtherValue.to_string(), "Other");
        assert!(Severity::Low.is_known());
        assert_eq!(<Severity as OpenEnum>::KNOWN, ["Low", "High", "Other"]);
    }

    #[test]
    fn unknown_values_are_kept() {
        let parsed: Severity = serde_json::from_str(r#""Critical""#).expect("any string");
        assert_eq!(parsed, Severity::Other("Critical".into()));
        assert!(!parsed.is_known());
        assert_eq!(
            serde_json::to_string(&parsed).expect("serialise"),
            r#""Critical""#
        );
        // Case matters on the wire: "low" is not "Low".
        assert_eq!(Severity::from("low"), Severity::Other("low".into()));
    }

    #[test]
    fn wire_values_round_trip() {
        for value in [Severity::Low, Severity::High, Severity::OtherValue] {
            let json = serde_json::to_string(&value).expect("serialise");
            assert_eq!(
                serde_json::from_str::<Severity>(&json).expect("deserialise"),
                value
            );
        }
        assert!(serde_json::from_str::<Severity>("3").is_err());
    }
}
