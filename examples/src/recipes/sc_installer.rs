//! Build the download URL of a ScreenConnect access-agent installer that enrols a machine under
//! its name with company, site and tag already set, and the command that installs it silently.
//!
//! Pure: no credentials, no network. The custom properties fill slots 1 to 3 (company, site,
//! tag), the layout most instances use; change [`plan`] if yours differs. Push the download and
//! the install command through your RMM; once the agent connects, the session is found by name.
//!
//! The URL is not authenticated: anyone holding it can enrol a machine into the instance. Treat it
//! like a credential and never put secrets in the name or properties.

use std::fmt;

use screenconnect_api::installer::{AccessInstaller, Elevation, InstallerPlatform};
use url::Url;

use crate::error::Error;

/// What to build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstallerOptions {
    /// The instance origin, e.g. `https://acme.screenconnect.com`.
    pub instance: Url,
    /// The package format.
    pub platform: InstallerPlatform,
    /// The session name; set it to the machine's host name so lookups by name work.
    pub name: Option<String>,
    /// Custom property 1.
    pub company: Option<String>,
    /// Custom property 2.
    pub site: Option<String>,
    /// Custom property 3.
    pub tag: Option<String>,
    /// Where the installer is saved on the machine; `None` uses a temporary folder.
    pub file: Option<String>,
    /// Whether Unix commands need `sudo` (Windows commands must run elevated either way).
    pub elevation: Elevation,
}

/// The URL and the install command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstallerPlan {
    /// The download URL.
    pub url: Url,
    /// Where the installer is expected on the machine.
    pub file: String,
    /// The silent-install command (`cmd.exe` syntax on Windows, `sh` elsewhere).
    pub install_command: String,
    /// Whether the command is for Windows.
    pub windows: bool,
}

impl fmt::Display for InstallerPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Installer URL (treat it like a credential):")?;
        writeln!(f, "  {}", self.url)?;
        writeln!(f, "Save it as:")?;
        writeln!(f, "  {}", self.file)?;
        if self.windows {
            writeln!(f, "Install silently (cmd.exe, elevated):")?;
        } else {
            writeln!(f, "Install silently (sh):")?;
        }
        write!(f, "  {}", self.install_command)
    }
}

/// Parses `msi`, `exe`, `pkg`, `deb`, `rpm` or `sh` (a leading dot is fine).
pub fn parse_platform(text: &str) -> Result<InstallerPlatform, String> {
    let wanted = text.trim().trim_start_matches('.').to_ascii_lowercase();
    InstallerPlatform::ALL
        .into_iter()
        .find(|platform| platform.extension() == wanted)
        .ok_or_else(|| {
            let known: Vec<&str> = InstallerPlatform::ALL
                .iter()
                .map(|p| p.extension())
                .collect();
            format!("expected one of {}", known.join(", "))
        })
}

/// Parses an instance given as a host (`acme.screenconnect.com`) or an origin
/// (`https://remote.example.com:8040`).
pub fn parse_instance(text: &str) -> Result<Url, String> {
    let text = text.trim();
    let with_scheme = if text.contains("://") {
        text.to_owned()
    } else {
        format!("https://{text}")
    };
    Url::parse(&with_scheme).map_err(|e| e.to_string())
}

/// Builds the URL and the command.
///
/// # Errors
/// [`Error::Installer`] for an instance that is not a bare origin, control characters in the
/// name or properties, or a file path that cannot be quoted safely.
pub fn plan(options: &InstallerOptions) -> Result<InstallerPlan, Error> {
    let mut installer = AccessInstaller::new(&options.instance, options.platform)?
        .custom_property_values([
            options.company.clone().unwrap_or_default(),
            options.site.clone().unwrap_or_default(),
            options.tag.clone().unwrap_or_default(),
        ])?;
    if let Some(name) = options.name.as_deref().filter(|n| !n.trim().is_empty()) {
        installer = installer.session_name(name)?;
    }
    let windows = options.platform.is_windows();
    let file = options.file.clone().unwrap_or_else(|| {
        if windows {
            format!(r"C:\Windows\Temp\{}", installer.file_name())
        } else {
            format!("/tmp/{}", installer.file_name())
        }
    });
    let install_command = installer.silent_install_command(&file, options.elevation)?;
    Ok(InstallerPlan {
        url: installer.url(),
        file,
        install_command,
        windows,
    })
}
