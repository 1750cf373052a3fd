//! ScreenConnect tools: `find_screenconnect_session` and `run_screenconnect_command` (behind
//! `--allow-commands`).
//!
//! Both use the tenant's own ScreenConnect client; a tenant without an instance in the
//! configuration refuses them. A command is sent once, only to an agent that is online, and the
//! tool waits for its output and exit code.

use std::time::Duration;

use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::{ErrorData, tool, tool_router};
use schemars::JsonSchema;
use screenconnect_api::command::CommandScript;
use screenconnect_api::filter::{Field, Filter};
use screenconnect_api::models::{OnlineStatus, Session, SessionId, SessionType};
use screenconnect_api::{CommandSent, RunCommandError, RunOptions};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{Done, McpServer, Needs, ToolError, limit};
use crate::mcp::results::listing;
use crate::mcp::tenants::{ScreenConnect, Tenant};
use crate::recipes::sc_run_command::{default_shell, parse_shell};

/// The agent timeout of a command unless the call sets one, in seconds.
pub const DEFAULT_TIMEOUT_SECONDS: u32 = 60;

/// The longest agent timeout a call may set, in seconds.
pub const MAX_TIMEOUT_SECONDS: u32 = 600;

/// The most characters of a command's output returned to the model.
pub const MAX_OUTPUT_CHARS: usize = 8000;

/// Arguments of `find_screenconnect_session`.
#[derive(Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct FindSession {
    /// The tenant; optional when the server has one tenant.
    #[serde(default)]
    pub tenant: Option<String>,
    /// The machine's exact name (the session name or the agent's machine name), e.g. a
    /// configuration's name from `find_configurations`.
    #[serde(default)]
    pub name: Option<String>,
    /// Text the session or machine name contains.
    #[serde(default)]
    pub name_contains: Option<String>,
    /// The company the session is tagged with (custom property 1), e.g. "Acme Corporation".
    #[serde(default)]
    pub company: Option<String>,
    /// Only machines whose agent is connected now.
    #[serde(default)]
    pub online_only: Option<bool>,
    /// Most sessions to return (default 25, at most 200).
    #[serde(default)]
    pub limit: Option<u32>,
}

/// Arguments of `run_screenconnect_command`.
#[derive(Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct RunCommand {
    /// The tenant; optional when the server has one tenant.
    #[serde(default)]
    pub tenant: Option<String>,
    /// The session id from `find_screenconnect_session`, or the machine's exact name.
    pub session: String,
    /// The command to run, e.g. `Get-Service Spooler` or `uptime`.
    pub command: String,
    /// "powershell", "cmd" or "sh"; default PowerShell on Windows, sh elsewhere.
    #[serde(default)]
    pub shell: Option<String>,
    /// Seconds the agent lets the command run before stopping it (default 60, at most 600).
    #[serde(default)]
    pub timeout_seconds: Option<u32>,
}

#[tool_router(router = screenconnect_router, vis = "pub(super)")]
impl McpServer {
    /// Finds remote-access sessions.
    #[tool(
        name = "find_screenconnect_session",
        description = "Find ScreenConnect access sessions (managed machines with an agent) by exact \
                       machine name, name text or company. Returns session id, name, machine, \
                       online status, OS, logged-on user, company/site/tag and last seen, and \
                       `truncated`. Use the session id with run_screenconnect_command."
    )]
    pub async fn find_screenconnect_session(
        &self,
        Parameters(args): Parameters<FindSession>,
    ) -> Result<CallToolResult, ErrorData> {
        let begun = match self.begin(
            "find_screenconnect_session",
            Needs::Read,
            args.tenant.as_deref(),
            &args,
        ) {
            Ok(begun) => begun,
            Err(refused) => return Ok(refused),
        };
        let result = find(begun.tenant, &args).await;
        Ok(self.finish("find_screenconnect_session", begun, &args, result))
    }

    /// Runs a command on a machine and waits for its result.
    #[tool(
        name = "run_screenconnect_command",
        description = "Run a command on a machine through its ScreenConnect agent and wait for the \
                       output and exit code. Sent once, only when the agent is online. Needs the \
                       server to allow commands."
    )]
    pub async fn run_screenconnect_command(
        &self,
        Parameters(args): Parameters<RunCommand>,
    ) -> Result<CallToolResult, ErrorData> {
        let begun = match self.begin(
            "run_screenconnect_command",
            Needs::Command,
            args.tenant.as_deref(),
            &args,
        ) {
            Ok(begun) => begun,
            Err(refused) => return Ok(refused),
        };
        let result = run(begun.tenant, &args).await;
        Ok(self.finish("run_screenconnect_command", begun, &args, result))
    }
}

/// The tenant's ScreenConnect client, or a refusal saying the tenant has none.
fn client_of(tenant: &Tenant) -> Result<&ScreenConnect, ToolError> {
    tenant.screenconnect.as_ref().ok_or_else(|| {
        ToolError::Refused(format!(
            "tenant {:?} has no ScreenConnect instance configured ([tenant.screenconnect]); \
             nothing was sent",
            tenant.name
        ))
    })
}

fn failed(error: screenconnect_api::Error) -> ToolError {
    ToolError::Failed(format!("ScreenConnect: {error}"))
}

fn online(status: OnlineStatus) -> &'static str {
    match status {
        OnlineStatus::Online => "online",
        OnlineStatus::Offline => "offline",
        _ => "unknown",
    }
}

/// The session fields a model reads.
fn compact_session(session: &Session) -> Value {
    let guest = &session.guest_info;
    let property = |index: usize| {
        session
            .custom_properties
            .get(index)
            .ok()
            .filter(|v| !v.is_empty())
    };
    let mut out = json!({
        "session_id": session.session_id.as_str(),
        "name": session.display_name(),
        "machine": session.machine_name(),
        "status": online(session.online_status()),
        "os": guest.operating_system_name,
        "logged_on_user": guest.logged_on_user_name,
        "company": property(1),
        "site": property(2),
        "tag": property(3),
        "last_seen": session.last_seen().and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339).ok()
        }),
    });
    if let Value::Object(map) = &mut out {
        map.retain(|_, v| !v.is_null());
    }
    out
}

/// A filter's text, or `None` when absent or blank.
fn text(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// Sessions named exactly `name` (session or machine name).
fn named(name: &str) -> Filter {
    Field::NAME
        .equals(name)
        .or(Field::GUEST_MACHINE_NAME.equals(name))
}

async fn find(tenant: &Tenant, args: &FindSession) -> Result<Done, ToolError> {
    let screenconnect = client_of(tenant)?;
    let mut clauses = vec![Field::SESSION_TYPE.equals(SessionType::Access)];
    if let Some(name) = text(&args.name) {
        clauses.push(named(name));
    }
    if let Some(part) = text(&args.name_contains) {
        // `%` and `_` in the text stay wildcards, which at worst widens the match.
        let pattern = format!("%{part}%");
        clauses.push(
            Field::NAME
                .like(pattern.clone())
                .or(Field::GUEST_MACHINE_NAME.like(pattern)),
        );
    }
    if let Some(company) = text(&args.company) {
        let field = Field::custom_property(1).map_err(|e| ToolError::Refused(e.to_string()))?;
        clauses.push(field.equals(company));
    }
    if args.online_only == Some(true) {
        clauses.push(Field::GUEST_CONNECTED_COUNT.greater_than(0));
    }
    let mut sessions = screenconnect
        .client
        .sessions_where(&Filter::all(clauses))
        .await
        .map_err(failed)?;
    sessions.sort_by(|a, b| a.display_name().cmp(b.display_name()));
    let limit = limit(args.limit) as usize;
    let records = sessions
        .iter()
        .take(limit)
        .map(|s| format!("screenconnect/sessions/{}", s.session_id.as_str()))
        .collect();
    let shaped = sessions.iter().map(compact_session).collect();
    Ok(Done {
        value: listing("sessions", shaped, limit),
        records,
    })
}

/// The one session `session` names: an id, or an exact session or machine name.
async fn resolve_session(
    screenconnect: &ScreenConnect,
    session: &str,
) -> Result<Session, ToolError> {
    let session = session.trim();
    if session.is_empty() {
        return Err(ToolError::Refused(
            "session is empty: give a session id from find_screenconnect_session or a machine \
             name; nothing was sent"
                .to_owned(),
        ));
    }
    if let Ok(id) = SessionId::new(session) {
        return screenconnect
            .client
            .session(&id)
            .await
            .map_err(failed)?
            .ok_or_else(|| {
                ToolError::Failed(format!(
                    "no ScreenConnect session has id {session}; nothing was sent"
                ))
            });
    }
    let filter = Field::SESSION_TYPE
        .equals(SessionType::Access)
        .and(named(session));
    let mut found = screenconnect
        .client
        .sessions_where(&filter)
        .await
        .map_err(failed)?;
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(ToolError::Failed(format!(
            "no ScreenConnect access session is named {session:?}; find it with \
             find_screenconnect_session; nothing was sent"
        ))),
        _ => Err(ToolError::Refused(format!(
            "{} sessions are named {session:?} ({}); give the session id; nothing was sent",
            found.len(),
            found
                .iter()
                .map(|s| s.session_id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

async fn run(tenant: &Tenant, args: &RunCommand) -> Result<Done, ToolError> {
    let screenconnect = client_of(tenant)?;
    if args.command.trim().is_empty() {
        return Err(ToolError::Refused(
            "the command is empty; nothing was sent".to_owned(),
        ));
    }
    let seconds = args.timeout_seconds.unwrap_or(DEFAULT_TIMEOUT_SECONDS);
    if !(1..=MAX_TIMEOUT_SECONDS).contains(&seconds) {
        return Err(ToolError::Refused(format!(
            "timeout_seconds must be 1 to {MAX_TIMEOUT_SECONDS}, not {seconds}; nothing was sent"
        )));
    }
    let shell = match text(&args.shell) {
        Some(shell) => Some(parse_shell(shell).map_err(|why| {
            ToolError::Refused(format!("shell {shell:?}: {why}; nothing was sent"))
        })?),
        None => None,
    };
    let session = resolve_session(screenconnect, &args.session).await?;
    let id = session.session_id.clone();
    let record = format!("screenconnect/sessions/{}", id.as_str());
    let shell =
        shell.unwrap_or_else(|| default_shell(session.guest_info.operating_system_name.as_deref()));
    let script = CommandScript::new(shell, args.command.clone())
        .timeout(Duration::from_secs(u64::from(seconds)));
    let poll = screenconnect.command_poll;
    let options = RunOptions::new()
        .only_if_online(true)
        .poll_intervals(poll, poll.max(Duration::from_secs(5)));
    let run = screenconnect
        .client
        .run_command(&id, &script, &options)
        .await
        .map_err(|error| run_failed(&error, session.display_name()))?;
    let output = &run.result;
    let shown: String = output.output.chars().take(MAX_OUTPUT_CHARS).collect();
    let cut_here = shown.len() < output.output.len();
    Ok(Done {
        records: vec![record],
        value: json!({
            "session_id": id.as_str(),
            "machine": session.display_name(),
            "exit_code": output.exit_code,
            "completed": output.completed(),
            "killed_at_timeout": output.killed,
            "output": shown,
            "output_truncated": output.truncated || cut_here,
        }),
    })
}

/// A failed run as the model reads it: what happened to the command first.
fn run_failed(error: &RunCommandError, machine: &str) -> ToolError {
    let mut message = format!("{machine}: {error}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    match error.sent() {
        CommandSent::No => ToolError::Failed(format!("{message}. Nothing ran.")),
        CommandSent::Maybe => ToolError::Failed(format!(
            "{message}. It may run anyway: check before sending it again."
        )),
        CommandSent::Yes => ToolError::Failed(format!(
            "{message}. Do not send it again before checking the machine."
        )),
    }
}
