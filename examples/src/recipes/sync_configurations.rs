//! Create configurations for RMM devices that Manage does not have yet.
//!
//! The devices come from a JSON file, an array of objects such as
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
//! exist are reported as skipped.
//!
//! Nothing is written unless [`SyncOptions::apply`] is set.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::Path;

use connectwise_manage::models::{
    Company, CompanyConfiguration, CompanyReference, ConfigurationTypeReference,
};
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
            "{} existing, {} {verb}, {} skipped.",
            self.existing.len(),
            self.created.len(),
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
        let existing = existing_names(client, company.0, &names).await?;
        for device in group {
            if existing.contains(&device.name.to_lowercase()) {
                report.existing.push(reference(device));
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

/// The lower-cased names among `names` that the company already has a configuration for, in one
/// query.
async fn existing_names(
    client: &Client,
    company: i32,
    names: &[&str],
) -> Result<HashSet<String>, Error> {
    let query = ListQuery::new()
        .conditions(
            Condition::eq("company/id", company)?
                & Condition::in_list("name", names.iter().copied())?,
        )
        .fields(Fields::new(["id", "name"])?);
    let found: Vec<CompanyConfiguration> = client
        .company()
        .configurations()
        .list(&query)
        .by_item()
        .try_collect()
        .await?;
    Ok(found
        .into_iter()
        .filter_map(|configuration| configuration.name)
        .map(|name| name.to_lowercase())
        .collect())
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
