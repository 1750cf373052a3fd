//! A macro for the server's open enumerations.
//!
//! ScreenConnect serialises its enums as integers in the RESTful API, while filters, triggers,
//! mocks and webhooks use the names. Newer servers add values. Every enum generated here therefore
//! reads a number *or* a name (case-insensitively, numeric strings included), keeps values it does
//! not know instead of failing, and writes the numeric form the server itself produces.

/// Generates an open enum with known `Name = code` variants plus `Other(i64)` for unknown numbers
/// and `OtherName(String)` for unknown names, with number-or-name serde support.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $code:literal,
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $(
                $(#[$vmeta])*
                $variant,
            )+
            /// A numeric value this version of the crate does not know; kept as received.
            Other(i64),
            /// A name this version of the crate does not know; kept verbatim as received.
            OtherName(String),
        }

        impl $name {
            /// Maps a wire number to a variant; unknown numbers become `Other`.
            #[must_use]
            pub fn from_code(code: i64) -> Self {
                match code {
                    $( $code => Self::$variant, )+
                    other => Self::Other(other),
                }
            }

            /// Maps a name (case-insensitive, surrounding whitespace ignored) or a decimal number
            /// in text form to a variant; unknown names become `OtherName`.
            #[must_use]
            pub fn from_name(name: &str) -> Self {
                let trimmed = name.trim();
                if let Ok(code) = trimmed.parse::<i64>() {
                    return Self::from_code(code);
                }
                $(
                    if trimmed.eq_ignore_ascii_case(stringify!($variant)) {
                        return Self::$variant;
                    }
                )+
                Self::OtherName(trimmed.to_owned())
            }

            /// The numeric wire value, if known.
            #[must_use]
            pub fn code(&self) -> Option<i64> {
                match self {
                    $( Self::$variant => Some($code), )+
                    Self::Other(code) => Some(*code),
                    Self::OtherName(_) => None,
                }
            }

            /// The name used in filter expressions and triggers, if known.
            #[must_use]
            pub fn name(&self) -> Option<&str> {
                match self {
                    $( Self::$variant => Some(stringify!($variant)), )+
                    Self::Other(_) => None,
                    Self::OtherName(name) => Some(name.as_str()),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    Self::Other(code) => write!(f, "{code}"),
                    Self::OtherName(name) => f.write_str(name),
                    known => f.write_str(known.name().unwrap_or_default()),
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    Self::OtherName(name) => serializer.serialize_str(name),
                    known => match known.code() {
                        Some(code) => serializer.serialize_i64(code),
                        None => serializer.serialize_str(&known.to_string()),
                    },
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct NumberOrName;

                impl ::serde::de::Visitor<'_> for NumberOrName {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " number or name"))
                    }

                    fn visit_i64<E: ::serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
                        Ok($name::from_code(v))
                    }

                    fn visit_u64<E: ::serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
                        i64::try_from(v).map($name::from_code).map_err(|_| {
                            E::invalid_value(::serde::de::Unexpected::Unsigned(v), &self)
                        })
                    }

                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                        Ok($name::from_name(v))
                    }
                }

                deserializer.deserialize_any(NumberOrName)
            }
        }
    };
}

pub(crate) use open_enum;
