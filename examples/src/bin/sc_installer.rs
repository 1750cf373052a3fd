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
//! from `SC_INSTANCE`, else an example instance is used (and said so on the first line).

use std::process::ExitCode;

use examples::Error;
use examples::cli::{self, Args};
use examples::recipes::sc_installer::{self, InstallerOptions, parse_platform};
use screenconnect_api::installer::{Elevation, InstallerPlatform};
use url::Url;

const HELP: &str = "\
Print a parameterised ScreenConnect access-agent installer URL and its silent-install command.

Usage: sc_installer [--instance URL] [--platform msi|exe|pkg|deb|rpm|sh] [--name NAME]
                    [--company TEXT] [--site TEXT] [--tag TEXT] [--file PATH] [--as-root]

  --instance URL   the instance (default: SC_INSTANCE, else an example instance)
  --platform EXT   the package format (default: msi)
  --name NAME      the session name; use the machine's host name
  --company, --site, --tag   custom properties 1 to 3
  --file PATH      where the installer is saved on the machine (default: a temporary folder)
  --as-root        Unix commands without sudo (e.g. run by an RMM agent as root)";

/// Used when neither `--instance` nor `SC_INSTANCE` is given.
const EXAMPLE_INSTANCE: &str = "https://example.screenconnect.com";

fn main() -> ExitCode {
    cli::exit_code(run())
}

fn run() -> Result<ExitCode, Error> {
    let Some(mut args) = Args::from_env_or_help(HELP) else {
        return Ok(ExitCode::SUCCESS);
    };
    let instance = args.parsed("--instance", parse_instance)?;
    let platform = args
        .parsed("--platform", parse_platform)?
        .unwrap_or(InstallerPlatform::Msi);
    let name = args.value("--name")?;
    let company = args.value("--company")?;
    let site = args.value("--site")?;
    let tag = args.value("--tag")?;
    let file = args.value("--file")?;
    let as_root = args.flag("--as-root")?;
    args.finish()?;

    let from_env = std::env::var("SC_INSTANCE")
        .ok()
        .filter(|value| !value.trim().is_empty());
    let instance = match (instance, from_env) {
        (Some(instance), _) => instance,
        (None, Some(value)) => parse_instance(&value).map_err(|reason| {
            Error::InvalidOptions(format!("SC_INSTANCE is not usable: {reason}"))
        })?,
        (None, None) => {
            println!(
                "No --instance or SC_INSTANCE given; using the example instance {EXAMPLE_INSTANCE}."
            );
            parse_instance(EXAMPLE_INSTANCE).map_err(Error::InvalidOptions)?
        }
    };
    let options = InstallerOptions {
        instance,
        platform,
        name,
        company,
        site,
        tag,
        file,
        elevation: if as_root {
            Elevation::AlreadyElevated
        } else {
            Elevation::Sudo
        },
    };
    println!("{}", sc_installer::plan(&options)?);
    Ok(ExitCode::SUCCESS)
}

/// A host (`acme.screenconnect.com`) or an origin (`https://remote.example.com:8040`).
fn parse_instance(text: &str) -> Result<Url, String> {
    let text = text.trim();
    let with_scheme = if text.contains("://") {
        text.to_owned()
    } else {
        format!("https://{text}")
    };
    Url::parse(&with_scheme).map_err(|e| e.to_string())
}
