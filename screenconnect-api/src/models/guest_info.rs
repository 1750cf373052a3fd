//! Facts the agent reports about its machine (`Session.GuestInfo`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::lenient;

/// Machine facts reported by the guest agent, nested under `GuestInfo` in session JSON.
///
/// Filters use flat names for the same facts (`GuestMachineName`, `GuestOperatingSystemName`, …);
/// responses nest them here. Every field is optional because agents report different subsets by
/// platform and version. Fields this crate does not model are kept in [`GuestInfo::extra`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GuestInfo {
    /// The machine's host name (`GuestMachineName` in filters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine_name: Option<String>,
    /// The machine's domain or workgroup.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine_domain: Option<String>,
    /// The machine's serial number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine_serial_number: Option<String>,
    /// The hardware manufacturer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine_manufacturer_name: Option<String>,
    /// The hardware model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine_model: Option<String>,
    /// The hardware product number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine_product_number: Option<String>,
    /// The machine's description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine_description: Option<String>,
    /// The interactively logged-on user, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logged_on_user_name: Option<String>,
    /// The logged-on user's domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logged_on_user_domain: Option<String>,
    /// The operating system's name, e.g. `Microsoft Windows 11 Pro`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operating_system_name: Option<String>,
    /// The operating system's version string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operating_system_version: Option<String>,
    /// The operating system's vendor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operating_system_manufacturer_name: Option<String>,
    /// The operating system's language (a culture name or a numeric code, kept as text).
    #[serde(
        default,
        deserialize_with = "lenient::option_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub operating_system_language: Option<String>,
    /// When the operating system was installed.
    #[serde(
        default,
        with = "super::timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub operating_system_installation_time: Option<OffsetDateTime>,
    /// The processor's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processor_name: Option<String>,
    /// The processor architecture (a name or a numeric code, kept as text).
    #[serde(
        default,
        deserialize_with = "lenient::option_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub processor_architecture: Option<String>,
    /// Number of logical processors.
    #[serde(
        default,
        deserialize_with = "lenient::option_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub processor_virtual_count: Option<i64>,
    /// Installed memory in megabytes.
    #[serde(
        default,
        deserialize_with = "lenient::option_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub system_memory_total_megabytes: Option<i64>,
    /// Free memory in megabytes when the agent last reported.
    #[serde(
        default,
        deserialize_with = "lenient::option_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub system_memory_available_megabytes: Option<i64>,
    /// The machine's LAN address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_network_address: Option<String>,
    /// The machine's MAC address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hardware_network_address: Option<String>,
    /// The machine's time zone name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone_name: Option<String>,
    /// The machine's UTC offset in hours (fractional for zones such as +05:30).
    #[serde(
        default,
        deserialize_with = "lenient::option_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub time_zone_offset_hours: Option<f64>,
    /// When the machine last booted.
    #[serde(
        default,
        with = "super::timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_boot_time: Option<OffsetDateTime>,
    /// The last user input seen on the machine.
    #[serde(
        default,
        with = "super::timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_activity_time: Option<OffsetDateTime>,
    /// Whether a local administrator account is present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_local_admin_present: Option<bool>,
    /// MIME type of the stored screenshot, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screenshot_content_type: Option<String>,
    /// Fields this crate does not model, kept so a round trip loses nothing.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl GuestInfo {
    /// True when the agent reported nothing.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self == &GuestInfo::default()
    }
}
