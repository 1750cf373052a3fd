//! Run a command on the machine behind a ScreenConnect session found by name, and print its output
//! and exit code.
//!
//! The session is looked up with `GetSessionsByName` and must match the name exactly (ignoring
//! case); no match or several matches stop the run. The shell defaults to PowerShell on Windows
//! and `sh` elsewhere, from the operating system the agent reports.
//!
//! Running a command changes the machine, so nothing is sent unless
//! [`RunCommandOptions::execute`] is set; without it the report names the session that would
//! receive the command. When it is set, [`screenconnect_api::Client::run_command`] sends the
//! command once, with an exit-code sentinel, and polls for the result. By default the agent must
//! be online: an offline agent would keep the command queued and run it whenever it reconnects.

use std::fmt;
use std::time::Duration;

use screenconnect_api::command::{CommandScript, Shell};
use screenconnect_api::models::{OnlineStatus, Session, SessionId};
use screenconnect_api::{Client, CommandRun, RunOptions};

use crate::error::Error;

/// What to run where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunCommandOptions {
    /// The session's name, usually the machine's host name.
    pub session_name: String,
    /// The command text.
    pub command: String,
    /// The shell; `None` picks one from the machine's operating system.
    pub shell: Option<Shell>,
    /// How long the agent lets the command run.
    pub timeout: Duration,
    /// Send the command; without it nothing is sent.
    pub execute: bool,
    /// Queue the command even when the agent is offline.
    pub allow_offline: bool,
}

/// The session the command goes to.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionFound {
    /// Its id.
    pub id: SessionId,
    /// Its name.
    pub name: String,
    /// The operating system the agent reports.
    pub operating_system: Option<String>,
    /// Whether the agent is connected.
    pub online: OnlineStatus,
}

/// What the recipe did.
#[derive(Clone, Debug, PartialEq)]
pub enum RunCommandReport {
    /// Dry run: the session found and the shell that would be used.
    DryRun {
        /// The session.
        session: SessionFound,
        /// The shell.
        shell: Shell,
    },
    /// The command ran.
    Ran {
        /// The session.
        session: SessionFound,
        /// The shell.
        shell: Shell,
        /// Output, exit code and how the result was matched.
        run: CommandRun,
    },
}

impl fmt::Display for SessionFound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let online = match self.online {
            OnlineStatus::Online => "online",
            OnlineStatus::Offline => "offline",
            OnlineStatus::Unknown => "status unknown",
        };
        write!(
            f,
            "Session {} ({}; {}; {online})",
            self.name,
            self.id,
            self.operating_system.as_deref().unwrap_or("unknown OS")
        )
    }
}

impl fmt::Display for RunCommandReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunCommandReport::DryRun { session, shell } => write!(
                f,
                "{session}\nWould run the command with {shell:?}. Nothing was sent; run with \
                 --execute to run it."
            ),
            RunCommandReport::Ran {
                session,
                shell,
                run,
            } => {
                writeln!(f, "{session}")?;
                match run.result.exit_code {
                    Some(code) => writeln!(f, "Ran with {shell:?}; exit code {code}.")?,
                    None => writeln!(f, "Ran with {shell:?}; no exit code was reported.")?,
                }
                if run.result.killed {
                    writeln!(
                        f,
                        "Warning: the agent stopped the command (timeout), or it ended the shell itself."
                    )?;
                }
                if run.result.truncated {
                    writeln!(f, "Warning: the agent cut the output at its length limit.")?;
                }
                if !run.matched_sentinel {
                    writeln!(
                        f,
                        "Warning: the result carried no marker of this command; it was taken as \
                         the first new result on the machine."
                    )?;
                }
                write!(f, "Output:\n{}", run.result.output.trim_end())
            }
        }
    }
}

/// The shell for a machine: PowerShell on Windows, `sh` elsewhere.
pub fn default_shell(operating_system: Option<&str>) -> Shell {
    if operating_system.is_some_and(|os| os.to_ascii_lowercase().contains("windows")) {
        Shell::PowerShell
    } else {
        Shell::Sh
    }
}

/// Parses `cmd`, `powershell` (or `ps`) or `sh`.
pub fn parse_shell(text: &str) -> Result<Shell, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "cmd" => Ok(Shell::Cmd),
        "powershell" | "ps" | "pwsh" => Ok(Shell::PowerShell),
        "sh" => Ok(Shell::Sh),
        _ => Err("expected cmd, powershell or sh".to_owned()),
    }
}

/// Finds the session and, with `execute`, runs the command; see the [module docs](self).
///
/// # Errors
/// [`Error::InvalidOptions`] for an empty command; [`Error::NotFound`] or [`Error::Ambiguous`]
/// for the session; [`Error::RunCommand`] when the command could not be run, where
/// [`Error::command_may_be_queued`] tells whether it may run anyway; [`Error::Api`] for a failed
/// lookup.
pub async fn run(client: &Client, options: &RunCommandOptions) -> Result<RunCommandReport, Error> {
    if options.command.trim().is_empty() {
        return Err(Error::InvalidOptions("the command is empty".to_owned()));
    }
    let session = find_session(client, &options.session_name).await?;
    let shell = options
        .shell
        .unwrap_or_else(|| default_shell(session.operating_system.as_deref()));
    if !options.execute {
        return Ok(RunCommandReport::DryRun { session, shell });
    }
    let script = CommandScript::new(shell, options.command.clone()).timeout(options.timeout);
    let run = client
        .run_command(
            &session.id,
            &script,
            &RunOptions::new().only_if_online(!options.allow_offline),
        )
        .await?;
    Ok(RunCommandReport::Ran {
        session,
        shell,
        run,
    })
}

async fn find_session(client: &Client, name: &str) -> Result<SessionFound, Error> {
    let sessions: Vec<Session> = client
        .sessions_by_name(name)
        .await?
        .into_iter()
        .filter(|session| session.name.trim().eq_ignore_ascii_case(name.trim()))
        .collect();
    match sessions.as_slice() {
        [session] => Ok(SessionFound {
            id: session.session_id.clone(),
            name: session.name.clone(),
            operating_system: session.guest_info.operating_system_name.clone(),
            online: session.online_status(),
        }),
        [] => Err(Error::NotFound {
            what: "ScreenConnect session",
            name: name.to_owned(),
            hint: "; the name must match the session's name exactly".to_owned(),
        }),
        many => Err(Error::Ambiguous {
            what: "ScreenConnect session name",
            name: name.to_owned(),
            count: many.len(),
            candidates: many
                .iter()
                .map(|s| s.session_id.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}
