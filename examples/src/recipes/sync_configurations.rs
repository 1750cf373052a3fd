//! Create configurations for the devices Manage does not have yet, and update the ones whose
//! facts changed.
//!
//! The devices come from ScreenConnect's access sessions ([`devices_from_sessions`]) or from a
//! JSON file, an array of objects such as
//!
//! ```json
//! {"name": "ACME-WS-057", "company": "ACME", "type": "Workstation",
//!  "serialNumber": "PC0X9K2L", "osType": "Windows 11 Pro"}
//! ```
//!
//! with `name`, `company` (the company's identifier) and `type` (a configuration type's name)
//! required and `serialNumber`, `modelNumber`, `ipAddress`, `macAddress`, `osType` and
//! `lastLoginName` optional. Unknown keys are refused, so a misspelt field is not silently
//! dropped, and a device listed twice is refused.
//!
//! The companies and the configuration types are looked up with one query each (`in` lists).
//! Then, per company, one query with an `in` list of the device names finds the configurations
//! that exist; names compare without regard to case, as Manage compares them. Only the missing
//! ones are created, so a second run creates nothing. Devices whose company or type does not
//! exist are reported as skipped. An existing configuration whose serial number, model, IP or
//! MAC address, operating system or last login differs from a value the device has is updated
//! with a JSON Patch of those fields (values the device lacks are never cleared).
//!
//! # Devices from ScreenConnect
//!
//! Each access session is a machine: its name is the configuration name, and the agent's
//! report gives the serial number, model, private IP and MAC address, operating system and the
//! logged-on user. The company comes from a session custom property (by default
//! `CustomProperty1`, the "Company" slot of a default install) and is mapped to a Manage company:
//!
//! 1. through the mapping file, when one is given (a JSON object from the property's value to a
//!    company identifier: `{"Acme Corp (old name)": "ACME"}`);
//! 2. else to the company whose identifier is the value (`ACME`);
//! 3. else to the company whose name is the value (`Acme Corporation`), names compared without
//!    regard to case.
//!
//! A session whose value maps to no company, or matches two company names, is reported as
//! skipped with the reason. The configuration type is "Server" when the operating system's name
//! says so and "Workstation" otherwise.
//!
//! Nothing is written unless [`SyncOptions::apply`] is set.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::Path;

use connectwise_manage::models::{
    Company, CompanyConfiguration, CompanyReference, ConfigurationTypeReference,
};
use connectwise_manage::patch::Patch;
use connectwise_manage::query::{Condition, Fields};
use connectwise_manage::{Client, ListQuery};
use futures::TryStreamExt;
use serde::Deserialize;

use crate::error::Error;
use crate::recipes::lookup;

/// One device as the RMM exports it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Device {
    /// The configuration name, usually the host name.
    pub name: String,
    /// The company's identifier in Manage, e.g. `ACME`.
    pub company: String,
    /// The configuration type's name, e.g. `Workstation`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The serial number.
    #[serde(default)]
    pub serial_number: Option<String>,
    /// The model number.
    #[serde(default)]
    pub model_number: Option<String>,
    /// The IP address.
    #[serde(default)]
    pub ip_address: Option<String>,
    /// The MAC address.
    #[serde(default)]
    pub mac_address: Option<String>,
    /// The operating system.
    #[serde(default)]
    pub os_type: Option<String>,
    /// The last user who logged on.
    #[serde(default)]
    pub last_login_name: Option<String>,
}

/// Reads and checks a device file.
///
/// # Errors
/// [`Error::Read`] when the file cannot be read, [`Error::Input`] when it is not a list of
/// devices, a required field is blank, or a device appears twice for one company.
pub fn load_devices(path: &Path) -> Result<Vec<Device>, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    parse_devices(&text).map_err(|message| Error::Input {
        path: path.to_owned(),
        message,
    })
}

/// Parses and checks the devices of a file's text; the error says what is wrong and where.
pub fn parse_devices(text: &str) -> Result<Vec<Device>, String> {
    let devices: Vec<Device> = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let mut seen = HashSet::new();
    for (index, device) in devices.iter().enumerate() {
        for (field, value) in [
            ("name", &device.name),
            ("company", &device.company),
            ("type", &device.kind),
        ] {
            if value.trim().is_empty() {
                return Err(format!("device {} has an empty {field}", index + 1));
            }
        }
        let key = (device.company.to_lowercase(), device.name.to_lowercase());
        if !seen.insert(key) {
            return Err(format!(
                "device {:?} of company {:?} is listed more than once",
                device.name, device.company
            ));
        }
    }
    Ok(devices)
}

/// Whether to write, and what to note on created configurations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncOptions {
    /// Create the missing configurations; without it nothing is written.
    pub apply: bool,
    /// Written to `vendorNotes` of every configuration created.
    pub vendor_notes: String,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            apply: false,
            vendor_notes: "Created from the RMM device sync.".to_owned(),
        }
    }
}

/// A device by company and name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceRef {
    /// The company identifier.
    pub company: String,
    /// The device name.
    pub name: String,
}

/// What the sync found and did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Whether configurations were created.
    pub applied: bool,
    /// Devices that already have a configuration.
    pub existing: Vec<DeviceRef>,
    /// Devices given a configuration, with its id (`None` in a dry run).
    pub created: Vec<(DeviceRef, Option<i32>)>,
    /// Devices whose configuration was (or would be) updated, with the fields changed.
    pub updated: Vec<(DeviceRef, Vec<String>)>,
    /// Devices left out, and why.
    pub skipped: Vec<(DeviceRef, String)>,
}

impl fmt::Display for SyncReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for device in &self.existing {
            writeln!(f, "{:<13}{} / {}", "exists", device.company, device.name)?;
        }
        for (device, id) in &self.created {
            match id {
                Some(id) => writeln!(
                    f,
                    "{:<13}{} / {} (configuration {id})",
                    "created", device.company, device.name
                )?,
                None => writeln!(
                    f,
                    "{:<13}{} / {}",
                    "would create", device.company, device.name
                )?,
            }
        }
        for (device, fields) in &self.updated {
            let verb = if self.applied {
                "updated"
            } else {
                "would update"
            };
            writeln!(
                f,
                "{verb:<13}{} / {} ({})",
                device.company,
                device.name,
                fields.join(", ")
            )?;
        }
        for (device, reason) in &self.skipped {
            writeln!(
                f,
                "{:<13}{} / {}: {reason}",
                "skipped", device.company, device.name
            )?;
        }
        let verb = if self.applied { "created" } else { "to create" };
        write!(
            f,
            "{} existing, {} {verb}, {} {}, {} skipped.",
            self.existing.len(),
            self.created.len(),
            self.updated.len(),
            if self.applied { "updated" } else { "to update" },
            self.skipped.len()
        )?;
        if !self.applied {
            write!(
                f,
                " Dry run: nothing was written; run with --apply to write."
            )?;
        }
        Ok(())
    }
}

/// Creates the missing configurations; see the [module docs](self).
///
/// # Errors
/// [`Error::Api`] for a failed call; configurations created before it stay created, and a
/// re-run skips them.
pub async fn run(
    client: &Client,
    devices: &[Device],
    options: &SyncOptions,
) -> Result<SyncReport, Error> {
    let mut report = SyncReport {
        applied: options.apply,
        ..SyncReport::default()
    };
    if devices.is_empty() {
        return Ok(report);
    }
    let companies = companies(client, devices).await?;
    let kinds: Vec<&str> = unique(devices.iter().map(|d| d.kind.as_str()));
    let types = lookup::by_names(client, "/company/configurations/types", &kinds).await?;

    let mut by_company: BTreeMap<String, Vec<&Device>> = BTreeMap::new();
    for device in devices {
        by_company
            .entry(device.company.to_lowercase())
            .or_default()
            .push(device);
    }
    for (identifier, group) in by_company {
        let Some(company) = companies
            .iter()
            .find(|c| c.1.eq_ignore_ascii_case(&identifier))
        else {
            for device in group {
                report.skipped.push((
                    reference(device),
                    format!("company {:?} does not exist in Manage", device.company),
                ));
            }
            continue;
        };
        let names: Vec<&str> = group.iter().map(|d| d.name.as_str()).collect();
        let existing = existing_configurations(client, company.0, &names).await?;
        for device in group {
            if let Some(configuration) = existing.get(&device.name.to_lowercase()) {
                let (patch, fields) = differences(device, configuration)?;
                if fields.is_empty() {
                    report.existing.push(reference(device));
                    continue;
                }
                if options.apply {
                    let id = configuration.id.ok_or_else(|| {
                        Error::Setup("the API listed a configuration without its id".to_owned())
                    })?;
                    client
                        .company()
                        .configurations()
                        .id(id)
                        .patch(&patch)
                        .await?;
                }
                report.updated.push((reference(device), fields));
                continue;
            }
            let Some(kind) = lookup::find(&types, &device.kind) else {
                report.skipped.push((
                    reference(device),
                    format!(
                        "configuration type {:?} does not exist in Manage",
                        device.kind
                    ),
                ));
                continue;
            };
            let id = if options.apply {
                let body = configuration(device, company.0, kind.id, &options.vendor_notes);
                let created = client.company().configurations().create(&body).await?;
                Some(created.id.ok_or_else(|| {
                    Error::Setup(
                        "the API created a configuration without returning its id".to_owned(),
                    )
                })?)
            } else {
                None
            };
            report.created.push((reference(device), id));
        }
    }
    Ok(report)
}

fn reference(device: &Device) -> DeviceRef {
    DeviceRef {
        company: device.company.clone(),
        name: device.name.clone(),
    }
}

/// The distinct values, in first-seen order, compared without regard to case.
fn unique<'a>(values: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = HashSet::new();
    values
        .filter(|value| seen.insert(value.to_lowercase()))
        .collect()
}

/// `(id, identifier)` of every company the devices name, in one query.
async fn companies(client: &Client, devices: &[Device]) -> Result<Vec<(i32, String)>, Error> {
    let identifiers = unique(devices.iter().map(|d| d.company.as_str()));
    let query = ListQuery::new()
        .conditions(Condition::in_list("identifier", identifiers)?)
        .fields(Fields::new(["id", "identifier"])?);
    let found: Vec<Company> = client
        .company()
        .companies()
        .list(&query)
        .by_item()
        .try_collect()
        .await?;
    Ok(found
        .into_iter()
        .filter_map(|company| Some((company.id?, company.identifier?)))
        .collect())
}

/// The company's configurations named in `names`, by lower-cased name, in one query.
async fn existing_configurations(
    client: &Client,
    company: i32,
    names: &[&str],
) -> Result<HashMap<String, CompanyConfiguration>, Error> {
    let query = ListQuery::new()
        .conditions(
            Condition::eq("company/id", company)?
                & Condition::in_list("name", names.iter().copied())?,
        )
        .fields(Fields::new(
            ["id", "name"]
                .into_iter()
                .chain(SYNCED.iter().map(|(field, _)| *field)),
        )?);
    let found: Vec<CompanyConfiguration> = client
        .company()
        .configurations()
        .list(&query)
        .by_item()
        .try_collect()
        .await?;
    Ok(found
        .into_iter()
        .filter_map(|configuration| {
            Some((configuration.name.clone()?.to_lowercase(), configuration))
        })
        .collect())
}

/// The configuration fields a sync keeps up to date, with the device's value of each.
type Synced = fn(&Device) -> &Option<String>;
const SYNCED: [(&str, Synced); 6] = [
    ("serialNumber", |d| &d.serial_number),
    ("modelNumber", |d| &d.model_number),
    ("ipAddress", |d| &d.ip_address),
    ("macAddress", |d| &d.mac_address),
    ("osType", |d| &d.os_type),
    ("lastLoginName", |d| &d.last_login_name),
];

/// A patch setting every field the device has a value for that the configuration lacks or
/// holds differently, and the names of those fields.
fn differences(
    device: &Device,
    configuration: &CompanyConfiguration,
) -> Result<(Patch, Vec<String>), Error> {
    let stored = serde_json::to_value(configuration).unwrap_or_default();
    let mut patch = Patch::new();
    let mut fields = Vec::new();
    for (field, value) in SYNCED {
        let Some(value) = value(device).as_deref().filter(|v| !v.trim().is_empty()) else {
            continue;
        };
        if stored.get(field).and_then(|v| v.as_str()) != Some(value) {
            patch = patch.replace(field, value)?;
            fields.push(field.to_owned());
        }
    }
    Ok((patch, fields))
}

/// Where the company of a ScreenConnect session is read, and the explicit mapping of its values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionSource {
    /// The custom property (1 to 8) that holds the company. Default 1.
    pub company_property: usize,
    /// Property values mapped to Manage company identifiers, checked first.
    pub mapping: HashMap<String, String>,
}

impl Default for SessionSource {
    fn default() -> Self {
        Self {
            company_property: 1,
            mapping: HashMap::new(),
        }
    }
}

/// Reads a mapping file: a JSON object from property values to company identifiers.
///
/// # Errors
/// [`Error::Read`] when the file cannot be read, [`Error::Input`] when it is not such an object.
pub fn load_mapping(path: &Path) -> Result<HashMap<String, String>, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|e| Error::Input {
        path: path.to_owned(),
        message: format!("expected a JSON object from property values to company identifiers: {e}"),
    })
}

/// The devices of ScreenConnect's access sessions, with their company mapped to a Manage
/// company identifier (see the [module docs](self)), and the sessions left out with the reason.
///
/// # Errors
/// [`Error::InvalidOptions`] for a property outside 1 to 8; [`Error::Api`] for failed calls.
pub async fn devices_from_sessions(
    client: &Client,
    screenconnect: &screenconnect_api::Client,
    source: &SessionSource,
) -> Result<(Vec<Device>, Vec<(DeviceRef, String)>), Error> {
    if !(1..=8).contains(&source.company_property) {
        return Err(Error::InvalidOptions(format!(
            "--company-property must be 1 to 8, not {}",
            source.company_property
        )));
    }
    let filter = screenconnect_api::filter::SessionFilter::from_raw("SessionType = 'Access'")
        .map_err(|e| Error::Setup(e.to_string()))?;
    let sessions = screenconnect.sessions_by_filter(&filter).await?;
    let values: Vec<String> = sessions
        .iter()
        .filter_map(|s| s.custom_properties.get(source.company_property).ok())
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .collect();
    let companies: Vec<Company> = if values.is_empty() {
        Vec::new()
    } else {
        let mut wanted: Vec<&str> = unique(values.iter().map(String::as_str));
        wanted.extend(source.mapping.values().map(String::as_str));
        let wanted = unique(wanted.into_iter());
        let query = ListQuery::new()
            .conditions(
                Condition::in_list("identifier", wanted.iter().copied())?
                    .or(Condition::in_list("name", wanted.iter().copied())?),
            )
            .fields(Fields::new(["id", "identifier", "name"])?);
        client
            .company()
            .companies()
            .list(&query)
            .by_item()
            .try_collect()
            .await?
    };
    let mut devices = Vec::new();
    let mut skipped = Vec::new();
    let mut seen = HashSet::new();
    for session in &sessions {
        let name = session.display_name().to_owned();
        let value = session
            .custom_properties
            .get(source.company_property)
            .unwrap_or_default()
            .trim()
            .to_owned();
        let left_out = |reason: String| {
            (
                DeviceRef {
                    company: value.clone(),
                    name: name.clone(),
                },
                reason,
            )
        };
        if value.is_empty() {
            skipped.push(left_out(format!(
                "the session has no company in CustomProperty{}",
                source.company_property
            )));
            continue;
        }
        let identifier = match company_for(&value, &companies, &source.mapping) {
            Ok(identifier) => identifier,
            Err(reason) => {
                skipped.push(left_out(reason));
                continue;
            }
        };
        if !seen.insert((identifier.to_lowercase(), name.to_lowercase())) {
            skipped.push(left_out("another session has the same name".to_owned()));
            continue;
        }
        let guest = &session.guest_info;
        let os = guest.operating_system_name.clone();
        let login = match (&guest.logged_on_user_domain, &guest.logged_on_user_name) {
            (_, None) => None,
            (_, Some(user)) if user.trim().is_empty() => None,
            (Some(domain), Some(user)) if !domain.is_empty() => Some(format!("{domain}\\{user}")),
            (_, Some(user)) => Some(user.clone()),
        };
        devices.push(Device {
            name,
            company: identifier,
            kind: if os.as_deref().is_some_and(|os| os.contains("Server")) {
                "Server".to_owned()
            } else {
                "Workstation".to_owned()
            },
            serial_number: guest.machine_serial_number.clone(),
            model_number: guest.machine_model.clone(),
            ip_address: guest.private_network_address.clone(),
            mac_address: guest.hardware_network_address.clone(),
            os_type: os,
            last_login_name: login.filter(|l| !l.trim().is_empty()),
        });
    }
    Ok((devices, skipped))
}

/// The Manage identifier for a session's company value: the mapping, then identifier, then name.
fn company_for(
    value: &str,
    companies: &[Company],
    mapping: &HashMap<String, String>,
) -> Result<String, String> {
    let same = |a: &Option<String>| a.as_deref().is_some_and(|a| a.eq_ignore_ascii_case(value));
    if let Some(identifier) = mapping
        .iter()
        .find(|(from, _)| from.eq_ignore_ascii_case(value))
        .map(|(_, to)| to)
    {
        return Ok(identifier.clone());
    }
    if let Some(company) = companies.iter().find(|c| same(&c.identifier)) {
        return Ok(company.identifier.clone().unwrap_or_default());
    }
    let named: Vec<&Company> = companies.iter().filter(|c| same(&c.name)).collect();
    match named.as_slice() {
        [company] => Ok(company.identifier.clone().unwrap_or_default()),
        [] => Err(format!(
            "no Manage company has the identifier or name {value:?}; add it to the mapping file"
        )),
        _ => Err(format!(
            "{} Manage companies are named {value:?}; map it in the mapping file",
            named.len()
        )),
    }
}

fn configuration(device: &Device, company: i32, kind: i32, notes: &str) -> CompanyConfiguration {
    let text = |value: &Option<String>| value.clone().filter(|v| !v.trim().is_empty());
    CompanyConfiguration {
        name: Some(device.name.clone()),
        r#type: Some(ConfigurationTypeReference {
            id: Some(kind),
            ..ConfigurationTypeReference::default()
        }),
        company: Some(CompanyReference {
            id: Some(company),
            ..CompanyReference::default()
        }),
        serial_number: text(&device.serial_number),
        model_number: text(&device.model_number),
        ip_address: text(&device.ip_address),
        mac_address: text(&device.mac_address),
        os_type: text(&device.os_type),
        last_login_name: text(&device.last_login_name),
        vendor_notes: Some(notes.to_owned()).filter(|n| !n.trim().is_empty()),
        ..CompanyConfiguration::default()
    }
}
