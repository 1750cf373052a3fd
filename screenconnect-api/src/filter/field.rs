//! Filter field names (the flat session property names).

use std::borrow::Cow;
use std::fmt;

use super::{CompareOp, Filter, FilterError, Literal};
use crate::models::CUSTOM_PROPERTY_COUNT;

/// A session property name usable in a filter, e.g. `GuestMachineName`.
///
/// Filters use *flat* names (`GuestMachineName`, `CustomProperty1`), not the nested JSON paths of
/// the response (`GuestInfo.MachineName`). The constants cover the documented names; any other
/// identifier can be given to [`Field::new`], which refuses anything that is not an identifier
/// so a field name can never smuggle in syntax.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field(Cow<'static, str>);

macro_rules! known_fields {
    ($( $(#[$doc:meta])* $constant:ident = $name:literal, )+) => {
        impl Field {
            $(
                $(#[$doc])*
                pub const $constant: Field = Field(Cow::Borrowed($name));
            )+

            /// Every documented field constant, for validation and discovery.
            pub const KNOWN: &'static [Field] = &[$(Field::$constant),+];
        }
    };
}

known_fields! {
    /// `SessionID`.
    SESSION_ID = "SessionID",
    /// `Name` (often empty for unattended agents).
    NAME = "Name",
    /// `SessionType`; compare with a [`crate::models::SessionType`] (written `'Access'`).
    SESSION_TYPE = "SessionType",
    /// `Host`.
    HOST = "Host",
    /// `Code`.
    CODE = "Code",
    /// `IsPublic`.
    IS_PUBLIC = "IsPublic",
    /// `IsEnded`.
    IS_ENDED = "IsEnded",
    /// `GuestConnectedCount` (filter-only; absent from session JSON), e.g. `> 0` for online agents.
    GUEST_CONNECTED_COUNT = "GuestConnectedCount",
    /// `GuestMachineName`.
    GUEST_MACHINE_NAME = "GuestMachineName",
    /// `GuestMachineDomain`.
    GUEST_MACHINE_DOMAIN = "GuestMachineDomain",
    /// `GuestMachineSerialNumber`.
    GUEST_MACHINE_SERIAL_NUMBER = "GuestMachineSerialNumber",
    /// `GuestLoggedOnUserName`.
    GUEST_LOGGED_ON_USER_NAME = "GuestLoggedOnUserName",
    /// `GuestLoggedOnUserDomain`.
    GUEST_LOGGED_ON_USER_DOMAIN = "GuestLoggedOnUserDomain",
    /// `GuestOperatingSystemName`.
    GUEST_OPERATING_SYSTEM_NAME = "GuestOperatingSystemName",
    /// `GuestOperatingSystemVersion`.
    GUEST_OPERATING_SYSTEM_VERSION = "GuestOperatingSystemVersion",
    /// `GuestClientVersion`.
    GUEST_CLIENT_VERSION = "GuestClientVersion",
    /// `GuestLastActivityTime`.
    GUEST_LAST_ACTIVITY_TIME = "GuestLastActivityTime",
    /// `GuestPrivateNetworkAddress`.
    GUEST_PRIVATE_NETWORK_ADDRESS = "GuestPrivateNetworkAddress",
    /// `GuestNetworkAddress` (public address).
    GUEST_NETWORK_ADDRESS = "GuestNetworkAddress",
    /// `GuestHardwareNetworkAddress` (MAC address).
    GUEST_HARDWARE_NETWORK_ADDRESS = "GuestHardwareNetworkAddress",
    /// `GuestProcessorName`.
    GUEST_PROCESSOR_NAME = "GuestProcessorName",
    /// `GuestTimeZoneName`.
    GUEST_TIME_ZONE_NAME = "GuestTimeZoneName",
}

impl Field {
    /// A field by name.
    ///
    /// # Errors
    /// [`FilterError::InvalidField`] unless the name is an identifier (ASCII letters, digits and
    /// `_`, not starting with a digit), optionally dotted (`Session.Name`);
    /// [`FilterError::ReservedField`] for a word of the filter language (`AND`, `OR`, `NOT`,
    /// `IS`, `NULL`, `LIKE`, in any case), which the server would read as that word.
    pub fn new(name: impl Into<String>) -> Result<Self, FilterError> {
        let name = name.into();
        if RESERVED.iter().any(|word| name.eq_ignore_ascii_case(word)) {
            return Err(FilterError::ReservedField { name });
        }
        if is_dotted_identifier(&name) {
            Ok(Self(Cow::Owned(name)))
        } else {
            Err(FilterError::InvalidField {
                name: name.chars().take(64).collect(),
            })
        }
    }

    /// `CustomProperty<index>` (1-based, 1 to 8).
    ///
    /// # Errors
    /// [`FilterError::CustomPropertyIndex`] unless `1 <= index <= 8`.
    pub fn custom_property(index: usize) -> Result<Self, FilterError> {
        if (1..=CUSTOM_PROPERTY_COUNT).contains(&index) {
            Ok(Self(Cow::Owned(format!("CustomProperty{index}"))))
        } else {
            Err(FilterError::CustomPropertyIndex { index })
        }
    }

    /// The name as written in the filter.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn compare(&self, op: CompareOp, value: impl Into<Literal>) -> Filter {
        Filter::compare(self.clone(), op, value.into())
    }

    /// `field = value`.
    #[must_use]
    pub fn equals(&self, value: impl Into<Literal>) -> Filter {
        self.compare(CompareOp::Equal, value)
    }

    /// `field <> value`.
    #[must_use]
    pub fn not_equals(&self, value: impl Into<Literal>) -> Filter {
        self.compare(CompareOp::NotEqual, value)
    }

    /// `field < value`.
    #[must_use]
    pub fn less_than(&self, value: impl Into<Literal>) -> Filter {
        self.compare(CompareOp::Less, value)
    }

    /// `field <= value`.
    #[must_use]
    pub fn less_or_equal(&self, value: impl Into<Literal>) -> Filter {
        self.compare(CompareOp::LessOrEqual, value)
    }

    /// `field > value`.
    #[must_use]
    pub fn greater_than(&self, value: impl Into<Literal>) -> Filter {
        self.compare(CompareOp::Greater, value)
    }

    /// `field >= value`.
    #[must_use]
    pub fn greater_or_equal(&self, value: impl Into<Literal>) -> Filter {
        self.compare(CompareOp::GreaterOrEqual, value)
    }

    /// `field LIKE 'pattern'`.
    ///
    /// The pattern is quoted but otherwise passed through: write the server's wildcards yourself
    /// (`%` is the one seen working, e.g. `'PC-%'`). Wildcard characters inside user-supplied
    /// text are not escaped, so do not build patterns from untrusted input expecting a literal
    /// match; use [`Field::equals`] for that.
    #[must_use]
    pub fn like(&self, pattern: impl Into<String>) -> Filter {
        Filter::like(self.clone(), pattern.into())
    }

    /// `NOT (field LIKE 'pattern')`; see [`Field::like`] for the pattern rules.
    #[must_use]
    pub fn not_like(&self, pattern: impl Into<String>) -> Filter {
        !self.like(pattern)
    }

    /// `field IS NULL`.
    #[must_use]
    pub fn is_null(&self) -> Filter {
        Filter::null_check(self.clone(), true)
    }

    /// `field IS NOT NULL`.
    #[must_use]
    pub fn is_not_null(&self) -> Filter {
        Filter::null_check(self.clone(), false)
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `ident(.ident)*` where `ident = [A-Za-z_][A-Za-z0-9_]*`.
/// The filter language's own words: a field cannot be named like one.
const RESERVED: [&str; 6] = ["AND", "OR", "NOT", "IS", "NULL", "LIKE"];

fn is_dotted_identifier(name: &str) -> bool {
    !name.is_empty()
        && name.split('.').all(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

#[cfg(test)]
mod tests {
    use super::Field;
    use crate::filter::FilterError;

    #[test]
    fn known_fields_are_valid_identifiers() {
        for field in Field::KNOWN {
            assert_eq!(Field::new(field.as_str()).as_ref(), Ok(field));
        }
    }

    #[test]
    fn rejects_words_of_the_filter_language() {
        for word in ["Or", "AND", "not", "Is", "NULL", "like"] {
            assert_eq!(
                Field::new(word),
                Err(FilterError::ReservedField {
                    name: word.to_owned()
                }),
            );
        }
        // A word inside a longer name or a dotted path is an ordinary name.
        for name in ["Order", "Notes", "Session.Or", "IsEnded"] {
            assert!(Field::new(name).is_ok(), "{name:?}");
        }
    }

    #[test]
    fn rejects_non_identifiers() {
        for bad in [
            "",
            "1Name",
            "Name = 'x' OR 1",
            "Name'",
            "Guest Machine",
            "Name;",
            ".Name",
            "Name.",
            "Na--me",
            "Nàme",
        ] {
            assert!(
                matches!(Field::new(bad), Err(FilterError::InvalidField { .. })),
                "{bad:?}"
            );
        }
        assert!(Field::new("Session.GuestMachineName").is_ok());
        assert!(Field::new("_x9").is_ok());
    }

    #[test]
    fn custom_property_range() {
        assert_eq!(
            Field::custom_property(1).unwrap().as_str(),
            "CustomProperty1"
        );
        assert_eq!(
            Field::custom_property(8).unwrap().as_str(),
            "CustomProperty8"
        );
        assert_eq!(
            Field::custom_property(0),
            Err(FilterError::CustomPropertyIndex { index: 0 })
        );
        assert_eq!(
            Field::custom_property(9),
            Err(FilterError::CustomPropertyIndex { index: 9 })
        );
    }
}
