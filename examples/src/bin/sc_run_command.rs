//! `sc_run_command`: run a command on the machine behind a ScreenConnect session found by name,
//! and print its output and exit code. See `examples::recipes::sc_run_command`.
//!
//! ```sh
//! cargo run -p examples --bin sc_run_command                          # sandbox: shows the session
//! cargo run -p examples --bin sc_run_command -- --execute             # sandbox: runs `hostname`
//! cargo run -p examples --bin sc_run_command -- --name ACME-WS-042 \
//!     --command "Get-Service Spooler" --timeout 60 --execute
//! ```
//!
//! Environment: `SC_INSTANCE` and `SC_SECRET` (and optionally `SC_EXTENSION_ID`, `SC_ORIGIN`)
//! select a real instance; with neither set the recipe runs on the embedded sandbox, and says so
//! on the first line of stderr. On the sandbox `--name` defaults to `ACME-WS-042` and `--command` to
//! `hostname`.
//!
//! Running a command changes the machine: nothing is sent without `--execute`. The agent must be
//! online unless `--allow-offline` is given (an offline agent keeps the command queued and runs it
//! whenever it reconnects). The exit status is 0 when the command exited with 0, 1 otherwise.

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use examples::Error;
use examples::recipes::sc_run_command::{self, RunCommandOptions, RunCommandReport, parse_shell};
use examples::target::ScreenConnectTarget;
use screenconnect_api::command::Shell;

/// Run a command on a ScreenConnect session found by name and print its output and exit code.
///
/// Runs on the embedded sandbox unless SC_INSTANCE and SC_SECRET are set; there --name defaults
/// to ACME-WS-042 and --command to hostname.
#[derive(Debug, Parser)]
#[command(name = "sc_run_command", version)]
struct Arguments {
    /// The session name (usually the host name).
    #[arg(long, value_name = "SESSION", allow_hyphen_values = true)]
    name: Option<String>,
    /// The command to run.
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    command: Option<String>,
    /// cmd, powershell or sh (default: PowerShell on Windows, sh elsewhere).
    #[arg(long, value_name = "SHELL", value_parser = parse_shell)]
    shell: Option<Shell>,
    /// How long the agent lets it run, 1 to 3600.
    #[arg(long, value_name = "SECONDS", default_value = "60", value_parser = parse_timeout)]
    timeout: Duration,
    /// Queue it even if the agent is offline.
    #[arg(long)]
    allow_offline: bool,
    /// Run it (default: only show the session).
    #[arg(long)]
    execute: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Arguments::parse()).await {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {}", error.report());
            if matches!(
                error,
                Error::RunCommand(screenconnect_api::RunCommandError::NotOnline { .. })
            ) {
                eprintln!("Pass --allow-offline to queue it until the agent reconnects.");
            }
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
    let target = ScreenConnectTarget::from_env().await?;
    eprintln!("{}", target.banner());
    let sample = target.is_sandbox();
    let or_sample = |value: Option<String>, name: &'static str, example: &str| {
        value
            .or_else(|| sample.then(|| example.to_owned()))
            .ok_or(Error::Required(name))
    };
    let options = RunCommandOptions {
        session_name: or_sample(arguments.name, "--name", "ACME-WS-042")?,
        command: or_sample(arguments.command, "--command", "hostname")?,
        shell: arguments.shell,
        timeout: arguments.timeout,
        execute: arguments.execute,
        allow_offline: arguments.allow_offline,
    };
    let report = sc_run_command::run(target.client(), &options).await?;
    println!("{report}");
    Ok(match &report {
        RunCommandReport::Ran { run, .. } if !run.result.succeeded() => ExitCode::FAILURE,
        _ => ExitCode::SUCCESS,
    })
}

fn parse_timeout(text: &str) -> Result<Duration, String> {
    match text.parse::<u64>() {
        Ok(seconds) if (1..=3600).contains(&seconds) => Ok(Duration::from_secs(seconds)),
        _ => Err("expected a number of seconds from 1 to 3600".to_owned()),
    }
}
