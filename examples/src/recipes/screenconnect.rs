//! The `screenconnect` command-line tool: find sessions, read one, send a command or a message,
//! re-tag a machine, and call any web method of the RESTful API Manager extension.
//!
//! Each command is an [`Action`]; [`run`] carries it out and returns an [`Outcome`], which prints
//! as a table for people ([`fmt::Display`]) or as JSON for scripts ([`Outcome::to_json`]).
//!
//! State changes (`send-command`, `send-message`, `set-properties`, and `raw` with a method that
//! is not a known read) are sent only when `yes` is set; without it the outcome says what would be
//! sent, with the method and its positional arguments exactly as they would go on the wire.
//! `set-properties` reads the session first and changes only the slots given (company is custom
//! property 1, site 2, tag 3): the other five stay as they are, and a slot that already holds the
//! value is not written again.

use std::fmt;
use std::time::Duration;

use msp_common::Idempotency;
use screenconnect_api::command::{CommandScript, Shell};
use screenconnect_api::filter::SessionFilter;
use screenconnect_api::methods::known_idempotency;
use screenconnect_api::models::{
    CustomProperties, OnlineStatus, Session, SessionDetails, SessionId,
};
use screenconnect_api::{Client, CommandRun, RunOptions};
use serde_json::{Value, json};

use crate::error::Error;
use crate::recipes::sc_run_command::default_shell;

/// The custom-property slots the tool names: company, site, tag.
pub const PROPERTY_NAMES: [&str; 3] = ["company", "site", "tag"];

/// One command of the tool.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Sessions whose name is exactly `name` (`GetSessionsByName`), or matching a session filter
    /// expression (`GetSessionsByFilter`).
    Sessions {
        /// The name ("" lists unattended sessions without a name).
        name: Option<String>,
        /// A filter such as `CustomProperty1 = 'Acme Corporation'`.
        filter: Option<SessionFilter>,
    },
    /// One session with its events and connections.
    Session {
        /// The session.
        id: SessionId,
    },
    /// A command for the machine's agent.
    SendCommand {
        /// The session.
        id: SessionId,
        /// The command text.
        command: String,
        /// Wait this long for its output and exit code; `None` only queues it.
        wait: Option<Duration>,
    },
    /// A chat message to the machine's user.
    SendMessage {
        /// The session.
        id: SessionId,
        /// The message.
        text: String,
    },
    /// New company, site or tag (custom properties 1 to 3), the other slots kept.
    SetProperties {
        /// The session.
        id: SessionId,
        /// `[company, site, tag]`; `None` leaves the slot alone.
        values: [Option<String>; 3],
    },
    /// Any web method with its JSON arguments, as given.
    Raw {
        /// The method name (`GetSessionsByName`).
        method: String,
        /// The arguments: an object for reads, a positional array for writes.
        args: Value,
    },
}

/// What a command did.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The sessions found.
    Sessions(Vec<Session>),
    /// One session's details.
    Details(Box<SessionDetails>),
    /// Nothing was sent: this is what would be, with `yes`.
    WouldSend {
        /// The web method.
        method: String,
        /// Its arguments.
        args: Value,
    },
    /// The state change was sent.
    Sent {
        /// The web method.
        method: String,
        /// Its arguments.
        args: Value,
    },
    /// The command ran and reported back.
    Ran(Box<CommandRun>),
    /// The properties already held the values; nothing was sent.
    Unchanged(CustomProperties),
    /// The properties after the change.
    Properties(CustomProperties),
    /// A raw call's answer.
    Raw(Option<Value>),
}

impl Outcome {
    /// Whether the outcome is a failure to report with a non-zero exit (a command that exited
    /// with another code than 0).
    pub fn failed(&self) -> bool {
        matches!(self, Outcome::Ran(run) if !run.result.succeeded())
    }

    /// The outcome as JSON, for `--json`.
    pub fn to_json(&self) -> Value {
        match self {
            Outcome::Sessions(sessions) => json!(sessions),
            Outcome::Details(details) => json!(details),
            Outcome::WouldSend { method, args } => {
                json!({"sent": false, "method": method, "args": args})
            }
            Outcome::Sent { method, args } => json!({"sent": true, "method": method, "args": args}),
            Outcome::Ran(run) => json!({
                "exitCode": run.result.exit_code,
                "output": run.result.output,
                "killed": run.result.killed,
                "truncated": run.result.truncated,
                "matchedSentinel": run.matched_sentinel,
            }),
            Outcome::Unchanged(properties) => {
                json!({"sent": false, "customPropertyValues": properties.as_array()})
            }
            Outcome::Properties(properties) => {
                json!({"sent": true, "customPropertyValues": properties.as_array()})
            }
            Outcome::Raw(answer) => answer.clone().unwrap_or(Value::Null),
        }
    }
}

fn online(session: &Session) -> &'static str {
    match session.online_status() {
        OnlineStatus::Online => "online",
        OnlineStatus::Offline => "offline",
        OnlineStatus::Unknown => "unknown",
    }
}

fn property(session: &Session, index: usize) -> &str {
    session.custom_properties.get(index).unwrap_or_default()
}

/// Left-aligned columns, each as wide as its widest cell.
fn table(f: &mut fmt::Formatter<'_>, header: &[&str], rows: &[Vec<String>]) -> fmt::Result {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |f: &mut fmt::Formatter<'_>, cells: &[String]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        writeln!(f, "{}", padded.join("  ").trim_end())
    };
    line(
        f,
        &header.iter().map(|h| (*h).to_owned()).collect::<Vec<_>>(),
    )?;
    for row in rows {
        line(f, row)?;
    }
    Ok(())
}

fn session_rows(sessions: &[Session]) -> Vec<Vec<String>> {
    sessions
        .iter()
        .map(|session| {
            vec![
                session.name.clone(),
                session.session_id.to_string(),
                online(session).to_owned(),
                property(session, 1).to_owned(),
                property(session, 2).to_owned(),
                property(session, 3).to_owned(),
            ]
        })
        .collect()
}

const SESSION_HEADER: [&str; 6] = ["NAME", "SESSION", "STATUS", "COMPANY", "SITE", "TAG"];

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Sessions(sessions) if sessions.is_empty() => write!(f, "No session found."),
            Outcome::Sessions(sessions) => {
                table(f, &SESSION_HEADER, &session_rows(sessions))?;
                write!(f, "{} session(s).", sessions.len())
            }
            Outcome::Details(details) => {
                match &details.session {
                    Some(session) => {
                        table(
                            f,
                            &SESSION_HEADER,
                            &session_rows(std::slice::from_ref(session)),
                        )?;
                        let guest = &session.guest_info;
                        let or_dash = |value: &Option<String>| value.clone().unwrap_or("-".into());
                        writeln!(f, "Machine:  {}", or_dash(&guest.machine_name))?;
                        writeln!(f, "User:     {}", or_dash(&guest.logged_on_user_name))?;
                        writeln!(f, "OS:       {}", or_dash(&guest.operating_system_name))?;
                    }
                    None => writeln!(f, "The answer carries no session object.")?,
                }
                write!(
                    f,
                    "{} event(s), {} connection(s).",
                    details.events.len(),
                    details.connections.len()
                )
            }
            Outcome::WouldSend { method, args } => write!(
                f,
                "Would call {method} with {args}. Nothing was sent; add --yes to send it."
            ),
            Outcome::Sent { method, args } => write!(f, "Called {method} with {args}."),
            Outcome::Ran(run) => {
                match run.result.exit_code {
                    Some(code) => writeln!(f, "Exit code {code}.")?,
                    None => writeln!(f, "No exit code was reported.")?,
                }
                write!(f, "Output:\n{}", run.result.output.trim_end())
            }
            Outcome::Unchanged(properties) | Outcome::Properties(properties) => {
                if matches!(self, Outcome::Unchanged(_)) {
                    writeln!(f, "Already set; nothing was sent.")?;
                } else {
                    writeln!(f, "Custom properties now:")?;
                }
                let rows: Vec<Vec<String>> = properties
                    .iter()
                    .map(|(index, value)| {
                        let name = PROPERTY_NAMES.get(index - 1).copied().unwrap_or("");
                        vec![format!("CP{index}"), name.to_owned(), value.to_owned()]
                    })
                    .collect();
                table(f, &["SLOT", "NAME", "VALUE"], &rows)
            }
            Outcome::Raw(Some(answer)) => write!(
                f,
                "{}",
                serde_json::to_string_pretty(answer).unwrap_or_else(|_| answer.to_string())
            ),
            Outcome::Raw(None) => write!(f, "(no content)"),
        }
    }
}

/// Carries out `action`; state changes only when `yes` is set.
///
/// # Errors
/// [`Error::Api`] when a call fails; [`Error::NotFound`] when the session does not exist;
/// [`Error::RunCommand`] when a waited-for command could not be run or read back (it says whether
/// the command may still be queued).
pub async fn run(client: &Client, action: &Action, yes: bool) -> Result<Outcome, Error> {
    match action {
        Action::Sessions { name, filter } => Ok(Outcome::Sessions(match (name, filter) {
            (_, Some(filter)) => client.sessions_by_filter(filter).await?,
            (name, None) => {
                client
                    .sessions_by_name(name.as_deref().unwrap_or(""))
                    .await?
            }
        })),
        Action::Session { id } => {
            let details = client.session_details(id).await?;
            if details.session.is_none() && details.events.is_empty() {
                return Err(missing(id));
            }
            Ok(Outcome::Details(Box::new(details)))
        }
        Action::SendCommand { id, command, wait } => {
            let args = json!([id.as_str(), command]);
            if !yes {
                return Ok(would_send("SendCommandToSession", args));
            }
            match wait {
                None => {
                    client.send_command(id, command).await?;
                    Ok(sent("SendCommandToSession", args))
                }
                Some(wait) => {
                    let session = client.session(id).await?.ok_or_else(|| missing(id))?;
                    let shell: Shell =
                        default_shell(session.guest_info.operating_system_name.as_deref());
                    let script = CommandScript::new(shell, command.clone());
                    let options = RunOptions::new().wait(*wait);
                    let run = client.run_command(id, &script, &options).await?;
                    Ok(Outcome::Ran(Box::new(run)))
                }
            }
        }
        Action::SendMessage { id, text } => {
            let args = json!([id.as_str(), text]);
            if !yes {
                return Ok(would_send("SendMessageToSession", args));
            }
            client.send_message(id, text).await?;
            Ok(sent("SendMessageToSession", args))
        }
        Action::SetProperties { id, values } => {
            let session = client.session(id).await?.ok_or_else(|| missing(id))?;
            let mut wanted = session.custom_properties.clone();
            for (slot, value) in values.iter().enumerate() {
                if let Some(value) = value {
                    wanted
                        .set(slot + 1, value.clone())
                        .map_err(|e| Error::InvalidOptions(e.to_string()))?;
                }
            }
            if wanted == session.custom_properties {
                return Ok(Outcome::Unchanged(wanted));
            }
            if !yes {
                return Ok(would_send(
                    "UpdateSessionCustomProperties",
                    json!([id.as_str(), wanted.as_array()]),
                ));
            }
            // One read-modify-write per slot given: the crate refuses to write when the answer
            // did not carry the other values, instead of blanking them.
            let mut now = session.custom_properties;
            for (slot, value) in values.iter().enumerate() {
                if let Some(value) = value {
                    now = client
                        .set_custom_property(id, slot + 1, value.clone())
                        .await?;
                }
            }
            Ok(Outcome::Properties(now))
        }
        Action::Raw { method, args } => {
            let read = known_idempotency(method) == Some(Idempotency::Safe)
                || (known_idempotency(method).is_none() && method.starts_with("Get"));
            if read {
                return Ok(Outcome::Raw(client.call_read(method, args.clone()).await?));
            }
            if !yes {
                return Ok(would_send(method, args.clone()));
            }
            Ok(Outcome::Raw(client.call_write(method, args.clone()).await?))
        }
    }
}

fn would_send(method: &str, args: Value) -> Outcome {
    Outcome::WouldSend {
        method: method.to_owned(),
        args,
    }
}

fn sent(method: &str, args: Value) -> Outcome {
    Outcome::Sent {
        method: method.to_owned(),
        args,
    }
}

fn missing(id: &SessionId) -> Error {
    Error::NotFound {
        what: "session",
        name: id.to_string(),
        hint: "; list sessions with `screenconnect sessions --name HOST`".to_owned(),
    }
}
