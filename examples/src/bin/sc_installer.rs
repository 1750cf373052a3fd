//! `sc_installer`: print the download URL of a ScreenConnect access-agent installer for one
//! machine, with its name and company/site/tag baked in, and the command that installs it
//! silently. See `examples::recipes::sc_installer`.
//!
//! ```sh
//! cargo run -p examples --bin sc_installer -- --instance https://acme.screenconnect.com \
//!     --platform msi --name ACME-WS-057 --company "Acme Corporation" --site "Phoenix HQ" \
//!     --tag Workstations
//! cargo run -p examples --bin sc_installer -- --platform deb --name web-01 --as-root
//! ```
//!
//! Pure: no credentials are needed and nothing is sent. The instance comes from `--instance`, else
//! from `SC_INSTANCE`, else an example instance is used (and said so on stderr).

use std::process::ExitCode;

use clap::Parser;
use examples::Error;
use examples::error::exit_code;
use examples::recipes::sc_installer::{self, InstallerOptions, parse_instance, parse_platform};
use screenconnect_api::installer::{Elevation, InstallerPlatform};
use url::Url;

/// Print a parameterised ScreenConnect access-agent installer URL and its silent-install command.
#[derive(Debug, Parser)]
#[command(name = "sc_installer", version)]
struct Arguments {
    /// The instance (default: SC_INSTANCE, else an example instance).
    #[arg(long, value_name = "URL", value_parser = parse_instance)]
    instance: Option<Url>,
    /// The package format: msi, exe, pkg, deb, rpm or sh.
    #[arg(long, value_name = "EXT", value_parser = parse_platform, default_value = "msi")]
    platform: InstallerPlatform,
    /// The session name; use the machine's host name.
    #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
    name: Option<String>,
    /// Custom property 1.
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    company: Option<String>,
    /// Custom property 2.
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    site: Option<String>,
    /// Custom property 3.
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    tag: Option<String>,
    /// Where the installer is saved on the machine (default: a temporary folder).
    #[arg(long, value_name = "PATH")]
    file: Option<String>,
    /// Unix commands without sudo (e.g. run by an RMM agent as root).
    #[arg(long)]
    as_root: bool,
}

/// Used when neither `--instance` nor `SC_INSTANCE` is given.
const EXAMPLE_INSTANCE: &str = "https://example.screenconnect.com";

fn main() -> ExitCode {
    exit_code(run(Arguments::parse()))
}

fn run(arguments: Arguments) -> Result<ExitCode, Error> {
    let from_env = std::env::var("SC_INSTANCE")
        .ok()
        .filter(|value| !value.trim().is_empty());
    let instance = match (arguments.instance, from_env) {
        (Some(instance), _) => instance,
        (None, Some(value)) => parse_instance(&value).map_err(|reason| {
            Error::InvalidOptions(format!("SC_INSTANCE is not usable: {reason}"))
        })?,
        (None, None) => {
            eprintln!(
                "No --instance or SC_INSTANCE given; using the example instance {EXAMPLE_INSTANCE}."
            );
            parse_instance(EXAMPLE_INSTANCE).map_err(Error::InvalidOptions)?
        }
    };
    let options = InstallerOptions {
        instance,
        platform: arguments.platform,
        name: arguments.name,
        company: arguments.company,
        site: arguments.site,
        tag: arguments.tag,
        file: arguments.file,
        elevation: if arguments.as_root {
            Elevation::AlreadyElevated
        } else {
            Elevation::Sudo
        },
    };
    println!("{}", sc_installer::plan(&options)?);
    Ok(ExitCode::SUCCESS)
}
