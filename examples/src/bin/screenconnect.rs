//! `screenconnect`: a command-line tool for ScreenConnect's RESTful API Manager extension. See
//! `examples::recipes::screenconnect`.
//!
//! ```sh
//! cargo install --path examples --bin screenconnect
//! screenconnect sessions --name ACME-WS-042
//! screenconnect sessions --filter "CustomProperty1 = 'Acme Corporation'" --json
//! screenconnect session 5b0f7f8e-…
//! screenconnect send-command 5b0f7f8e-… "ipconfig /all" --wait --yes
//! screenconnect send-message 5b0f7f8e-… "Rebooting in 5 minutes" --yes
//! screenconnect set-properties 5b0f7f8e-… --site "Phoenix HQ" --tag Workstations --yes
//! screenconnect build-installer --platform msi --name ACME-WS-057 --company Acme --site HQ --tag WS
//! screenconnect raw GetSessionsByName '{"sessionName":"ACME-WS-042"}'
//! ```
//!
//! Environment: `SC_INSTANCE` and `SC_SECRET` (and optionally `SC_EXTENSION_ID`, `SC_ORIGIN`)
//! select a real instance; with neither set the tool runs on the embedded sandbox, and says so on
//! the first line of stderr. `build-installer` needs no credentials.
//!
//! State changes (`send-command`, `send-message`, `set-properties`, `raw` with a write method)
//! print what would be sent unless given `--yes`.

use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use examples::Error;
use examples::recipes::sc_installer::{self, InstallerOptions, parse_instance, parse_platform};
use examples::recipes::screenconnect::{self, Action};
use examples::target::ScreenConnectTarget;
use screenconnect_api::filter::SessionFilter;
use screenconnect_api::installer::{Elevation, InstallerPlatform};
use screenconnect_api::models::SessionId;
use serde_json::Value;
use url::Url;

/// Find ScreenConnect sessions, run commands on them, re-tag them, build installers.
///
/// Runs on the embedded sandbox unless SC_INSTANCE and SC_SECRET are set.
#[derive(Debug, Parser)]
#[command(name = "screenconnect", version)]
struct Arguments {
    /// Print JSON instead of tables.
    #[arg(long, global = true)]
    json: bool,
    /// Send state changes (default: print what would be sent).
    #[arg(long, global = true)]
    yes: bool,
    #[command(subcommand)]
    command: Tool,
}

#[derive(Debug, Subcommand)]
enum Tool {
    /// Sessions by name (exact) or by a session filter expression.
    Sessions {
        /// The session name; "" lists unattended sessions without one.
        #[arg(long, allow_hyphen_values = true, conflicts_with = "filter")]
        name: Option<String>,
        /// A filter, such as "CustomProperty1 = 'Acme Corporation'".
        #[arg(long, allow_hyphen_values = true, value_parser = parse_filter)]
        filter: Option<SessionFilter>,
    },
    /// One session's details.
    Session {
        /// The session id.
        #[arg(value_parser = parse_id)]
        id: SessionId,
    },
    /// Queue a command for the machine's agent.
    SendCommand {
        /// The session id.
        #[arg(value_parser = parse_id)]
        id: SessionId,
        /// The command.
        #[arg(allow_hyphen_values = true)]
        command: String,
        /// Wait for the output and exit code.
        #[arg(long)]
        wait: bool,
        /// How long to wait, in seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = 120, requires = "wait")]
        timeout: u64,
    },
    /// A chat message to the machine's user.
    SendMessage {
        /// The session id.
        #[arg(value_parser = parse_id)]
        id: SessionId,
        /// The message.
        #[arg(allow_hyphen_values = true)]
        text: String,
    },
    /// Set company, site or tag (custom properties 1 to 3), keeping the other slots.
    SetProperties {
        /// The session id.
        #[arg(value_parser = parse_id)]
        id: SessionId,
        /// Custom property 1.
        #[arg(long, allow_hyphen_values = true)]
        company: Option<String>,
        /// Custom property 2.
        #[arg(long, allow_hyphen_values = true)]
        site: Option<String>,
        /// Custom property 3.
        #[arg(long, allow_hyphen_values = true)]
        tag: Option<String>,
    },
    /// Print an access-agent installer URL and its silent-install command (nothing is sent).
    BuildInstaller {
        /// The package format: msi, exe, pkg, deb, rpm or sh.
        #[arg(long, value_parser = parse_platform, default_value = "msi")]
        platform: InstallerPlatform,
        /// The session name; use the machine's host name.
        #[arg(long)]
        name: Option<String>,
        /// Custom property 1.
        #[arg(long)]
        company: Option<String>,
        /// Custom property 2.
        #[arg(long)]
        site: Option<String>,
        /// Custom property 3.
        #[arg(long)]
        tag: Option<String>,
        /// The instance (default: SC_INSTANCE, else the sandbox's).
        #[arg(long, value_parser = parse_instance)]
        instance: Option<Url>,
    },
    /// Call any web method with JSON arguments (an object for reads, an array for writes).
    Raw {
        /// The method, such as GetSessionsByName.
        method: String,
        /// The arguments as JSON.
        #[arg(value_parser = parse_json, allow_hyphen_values = true)]
        args: Value,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let arguments = Arguments::parse();
    match run(arguments).await {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {}", error.report());
            if error.command_may_be_queued() {
                eprintln!(
                    "The command may still run on the machine: check before sending it again."
                );
            }
            ExitCode::FAILURE
        }
    }
}

async fn run(arguments: Arguments) -> Result<ExitCode, Error> {
    let action = match arguments.command {
        Tool::BuildInstaller {
            platform,
            name,
            company,
            site,
            tag,
            instance,
        } => {
            let instance = match instance {
                Some(instance) => instance,
                None => {
                    let target = ScreenConnectTarget::from_env().await?;
                    eprintln!("{}", target.banner());
                    target.client().config().instance().clone()
                }
            };
            let plan = sc_installer::plan(&InstallerOptions {
                instance,
                platform,
                name,
                company,
                site,
                tag,
                file: None,
                elevation: Elevation::Sudo,
            })?;
            if arguments.json {
                let json = serde_json::json!({
                    "url": plan.url.as_str(),
                    "file": plan.file,
                    "installCommand": plan.install_command,
                });
                println!("{json}");
            } else {
                println!("{plan}");
            }
            return Ok(ExitCode::SUCCESS);
        }
        Tool::Sessions { name, filter } => Action::Sessions { name, filter },
        Tool::Session { id } => Action::Session { id },
        Tool::SendCommand {
            id,
            command,
            wait,
            timeout,
        } => Action::SendCommand {
            id,
            command,
            wait: wait.then(|| Duration::from_secs(timeout)),
        },
        Tool::SendMessage { id, text } => Action::SendMessage { id, text },
        Tool::SetProperties {
            id,
            company,
            site,
            tag,
        } => {
            if company.is_none() && site.is_none() && tag.is_none() {
                return Err(Error::Required("--company, --site or --tag"));
            }
            Action::SetProperties {
                id,
                values: [company, site, tag],
            }
        }
        Tool::Raw { method, args } => Action::Raw { method, args },
    };
    let target = ScreenConnectTarget::from_env().await?;
    eprintln!("{}", target.banner());
    let outcome = screenconnect::run(target.client(), &action, arguments.yes).await?;
    if arguments.json {
        println!("{}", outcome.to_json());
    } else {
        println!("{outcome}");
    }
    Ok(if outcome.failed() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn parse_id(text: &str) -> Result<SessionId, String> {
    SessionId::new(text).map_err(|e| e.to_string())
}

fn parse_filter(text: &str) -> Result<SessionFilter, String> {
    SessionFilter::from_raw(text).map_err(|e| e.to_string())
}

fn parse_json(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))
}
