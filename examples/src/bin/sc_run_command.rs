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
//! on its first line. On the sandbox `--name` defaults to `ACME-WS-042` and `--command` to
//! `hostname`.
//!
//! Running a command changes the machine: nothing is sent without `--execute`. The agent must be
//! online unless `--allow-offline` is given (an offline agent keeps the command queued and runs it
//! whenever it reconnects). The exit status is 0 when the command exited with 0, 1 otherwise.

use std::process::ExitCode;
use std::time::Duration;

use examples::Error;
use examples::cli::{Args, CliError};
use examples::recipes::sc_run_command::{self, RunCommandOptions, RunCommandReport, parse_shell};
use examples::target::ScreenConnectTarget;

const HELP: &str = "\
Run a command on a ScreenConnect session found by name and print its output and exit code.

Usage: sc_run_command --name SESSION --command TEXT [--shell cmd|powershell|sh]
                      [--timeout SECONDS] [--allow-offline] [--execute]

  --name SESSION      the session name (usually the host name)
  --command TEXT      the command to run
  --shell SHELL       default: PowerShell on Windows, sh elsewhere
  --timeout SECONDS   how long the agent lets it run (default: 60)
  --allow-offline     queue it even if the agent is offline
  --execute           run it (default: only show the session)

Runs on the embedded sandbox unless SC_INSTANCE and SC_SECRET are set.";

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
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

async fn run() -> Result<ExitCode, Error> {
    let Some(mut args) = Args::from_env_or_help(HELP) else {
        return Ok(ExitCode::SUCCESS);
    };
    let name = args.value("--name")?;
    let command = args.value("--command")?;
    let shell = args.parsed("--shell", parse_shell)?;
    let timeout = args
        .parsed("--timeout", |v| match v.parse::<u64>() {
            Ok(seconds) if (1..=3600).contains(&seconds) => Ok(Duration::from_secs(seconds)),
            _ => Err("expected a number of seconds from 1 to 3600".to_owned()),
        })?
        .unwrap_or(Duration::from_secs(60));
    let allow_offline = args.flag("--allow-offline")?;
    let execute = args.flag("--execute")?;
    args.finish()?;

    let target = ScreenConnectTarget::from_env().await?;
    println!("{}", target.banner());
    let sample = target.is_sandbox();
    let or_sample = |value: Option<String>, name: &str, example: &str| {
        value
            .or_else(|| sample.then(|| example.to_owned()))
            .ok_or_else(|| CliError::Required(name.to_owned()))
    };
    let options = RunCommandOptions {
        session_name: or_sample(name, "--name", "ACME-WS-042")?,
        command: or_sample(command, "--command", "hostname")?,
        shell,
        timeout,
        execute,
        allow_offline,
    };
    let report = sc_run_command::run(target.client(), &options).await?;
    println!("{report}");
    Ok(match &report {
        RunCommandReport::Ran { run, .. } if !run.result.succeeded() => ExitCode::FAILURE,
        _ => ExitCode::SUCCESS,
    })
}
