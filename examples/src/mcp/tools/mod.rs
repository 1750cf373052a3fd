//! The MCP server and its tools, one file per group: [`tickets`] (search, details, notes,
//! updates, with [`resolve`] turning names into the tenant's ids), [`time`] (time entries),
//! [`directory`] (companies, contacts, configurations), [`screenconnect`] (sessions and
//! commands).
//!
//! Every tool goes through [`McpServer::begin`] and [`McpServer::finish`]: the permission check
//! (writes need `--allow-writes`, commands `--allow-commands`) and the tenant lookup come before
//! anything is sent, and every
//! call, refused or not, leaves one audit line. Failures are tool errors the model can read
//! (`isError` with a message), never protocol errors, so a failing tenant never ends a session.

pub mod directory;
pub mod resolve;
pub mod screenconnect;
pub mod tickets;
pub mod time;

use std::sync::Arc;
use std::time::Instant;

use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::model::{CallToolResult, Implementation, ServerCapabilities, ServerConfig};
use rmcp::{ServerHandler, tool_handler};
use serde::Serialize;
use serde_json::{Value, json};

use super::audit::{AuditLog, Entry, Outcome};
use super::tenants::{Tenant, Tenants};

/// The name the server gives in `serverInfo` (the binary's name).
pub const SERVER_NAME: &str = "mcp-server";

/// What the server was started to allow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Permissions {
    /// Tools that change records (`--allow-writes`).
    pub writes: bool,
    /// Tools that run commands on machines (`--allow-commands`).
    pub commands: bool,
}

/// What a tool needs before it may run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needs {
    /// Reads only.
    Read,
    /// Changes records.
    Write,
    /// Runs a command on a machine.
    Command,
}

/// A tool's failure: refused before sending anything, or failed at the API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ToolError {
    /// Nothing was changed: refused before sending (bad arguments, permission, unknown
    /// tenant), or after reads only (a name the tenant does not have).
    Refused(String),
    /// The API call failed.
    Failed(String),
}

impl From<connectwise_manage::Error> for ToolError {
    fn from(error: connectwise_manage::Error) -> Self {
        ToolError::Failed(format!("ConnectWise Manage: {error}"))
    }
}

impl From<connectwise_manage::query::QueryError> for ToolError {
    fn from(error: connectwise_manage::query::QueryError) -> Self {
        ToolError::Refused(format!("invalid query: {error}"))
    }
}

impl From<connectwise_manage::patch::PatchError> for ToolError {
    fn from(error: connectwise_manage::patch::PatchError) -> Self {
        ToolError::Refused(format!("invalid change: {error}"))
    }
}

/// A tool's answer: the compact JSON and the records it read or wrote (for the audit log).
#[derive(Debug)]
pub struct Done {
    /// The answer.
    pub value: Value,
    /// `"path/id"` of each record touched.
    pub records: Vec<String>,
}

/// A call past its checks: its tenant and when it started.
#[derive(Debug)]
pub struct Begun<'a> {
    /// The tenant named by the call.
    pub tenant: &'a Tenant,
    started: Instant,
}

/// The MCP server: the tenants, the permissions and the audit log.
#[derive(Clone)]
pub struct McpServer {
    tenants: Arc<Tenants>,
    audit: Arc<AuditLog>,
    permissions: Permissions,
    tool_router: ToolRouter<McpServer>,
}

impl std::fmt::Debug for McpServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("McpServer")
            .field("tenants", &self.tenants.names())
            .field("permissions", &self.permissions)
            .finish_non_exhaustive()
    }
}

impl McpServer {
    /// A server for `tenants`, allowing what `permissions` says, logging to `audit`.
    pub fn new(tenants: Arc<Tenants>, audit: Arc<AuditLog>, permissions: Permissions) -> Self {
        McpServer {
            tenants,
            audit,
            permissions,
            tool_router: Self::tickets_router()
                + Self::time_router()
                + Self::directory_router()
                + Self::screenconnect_router(),
        }
    }

    /// Checks the permission and resolves the tenant; a refusal is audited and returned as the
    /// tool's (error) answer.
    pub fn begin<'a>(
        &'a self,
        tool: &str,
        needs: Needs,
        tenant: Option<&str>,
        arguments: &impl Serialize,
    ) -> Result<Begun<'a>, CallToolResult> {
        let started = Instant::now();
        let refusal = match needs {
            Needs::Write if !self.permissions.writes => Some(format!(
                "{tool} changes records and this server was started read-only; \
                 restart it with --allow-writes to allow changes"
            )),
            Needs::Command if !self.permissions.commands => Some(format!(
                "{tool} runs commands on machines, which this server does not allow; \
                 restart it with --allow-commands to allow them"
            )),
            _ => None,
        };
        let resolved = match refusal {
            Some(why) => Err(why),
            None => self.tenants.resolve(tenant),
        };
        match resolved {
            Ok(tenant) => Ok(Begun { tenant, started }),
            Err(why) => {
                let outcome = Outcome::Refused(why.clone());
                self.log(tool, tenant, arguments, &outcome, &[], started);
                Err(error_result(&why))
            }
        }
    }

    /// Audits the call and turns its outcome into the tool's answer.
    pub fn finish(
        &self,
        tool: &str,
        begun: Begun<'_>,
        arguments: &impl Serialize,
        result: Result<Done, ToolError>,
    ) -> CallToolResult {
        let tenant = Some(begun.tenant.name.as_str());
        match result {
            Ok(done) => {
                self.log(
                    tool,
                    tenant,
                    arguments,
                    &Outcome::Ok,
                    &done.records,
                    begun.started,
                );
                CallToolResult::structured(done.value)
            }
            Err(error) => {
                let (outcome, message) = match error {
                    ToolError::Refused(m) => (Outcome::Refused(m.clone()), m),
                    ToolError::Failed(m) => (Outcome::Failed(m.clone()), m),
                };
                self.log(tool, tenant, arguments, &outcome, &[], begun.started);
                error_result(&message)
            }
        }
    }

    fn log(
        &self,
        tool: &str,
        tenant: Option<&str>,
        arguments: &impl Serialize,
        outcome: &Outcome,
        records: &[String],
        started: Instant,
    ) {
        let arguments = serde_json::to_value(arguments).unwrap_or(Value::Null);
        self.audit.write(&Entry {
            tenant,
            tool,
            arguments: &arguments,
            outcome,
            records,
            duration: started.elapsed(),
        });
    }
}

/// A tool error a model reads: `{"error": message}`, flagged `isError`.
fn error_result(message: &str) -> CallToolResult {
    CallToolResult::structured_error(json!({ "error": message }))
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for McpServer {
    fn get_info(&self) -> ServerConfig {
        let names = self.tenants.names().join(", ");
        let writes = if self.permissions.writes {
            "Writes are allowed."
        } else {
            "The server is read-only: tools that change records are refused."
        };
        let commands = if self.permissions.commands {
            "Commands on machines are allowed."
        } else {
            "Running commands on machines is refused."
        };
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(
                Implementation::new(SERVER_NAME, env!("CARGO_PKG_VERSION"))
                    .with_title("ConnectWise Manage and ScreenConnect for MSPs"),
            )
            .with_instructions(format!(
                "ConnectWise Manage and ScreenConnect tools for an MSP. Tenants: {names} (pass \
                 `tenant` when there is more than one). {writes} {commands} Listings return \
                 compact records and a `truncated` flag; narrow the filters or raise `limit` when \
                 it is true."
            ))
    }
}

/// The records of `path` matching `condition`, at most `limit + 1` of them (the one over the
/// limit tells the caller the answer was cut), with only `fields` asked for.
pub async fn list_records(
    client: &connectwise_manage::Client,
    path: &str,
    condition: Option<connectwise_manage::query::Condition>,
    order: connectwise_manage::query::OrderBy,
    fields: &[&str],
    limit: u32,
) -> Result<Vec<Value>, ToolError> {
    use futures::{StreamExt, TryStreamExt};
    let wanted = limit.saturating_add(1);
    let mut query = connectwise_manage::ListQuery::new()
        .fields(connectwise_manage::query::Fields::new(
            fields.iter().copied(),
        )?)
        .order_by(order)
        .page_size(wanted.min(connectwise_manage::MAX_PAGE_SIZE));
    if let Some(condition) = condition {
        query = query.conditions(condition);
    }
    let records = client
        .endpoint::<Value>(path)
        .list(&query)
        .by_item()
        .take(wanted as usize)
        .try_collect()
        .await?;
    Ok(records)
}

/// A raw conditions string, parsed and checked by the SDK before anything is sent; the error
/// says what is wrong and at which byte.
pub fn parse_conditions(
    text: Option<&str>,
) -> Result<Option<connectwise_manage::query::Condition>, ToolError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(text) => connectwise_manage::query::Condition::parse(text)
            .map(Some)
            .map_err(|error| {
                let at = error.offset().min(text.len());
                let rest: String = text[at..].chars().take(20).collect();
                ToolError::Refused(format!(
                    "{error} (the text there: {rest:?}); nothing was sent. Conditions look like \
                     status/name = \"New\" and company/identifier = \"ACME\""
                ))
            }),
    }
}

/// A company filter: an id when it is a number, else its identifier or its name.
pub fn company_condition(
    company: &str,
    path: &str,
) -> Result<connectwise_manage::query::Condition, ToolError> {
    use connectwise_manage::query::Condition;
    let company = company.trim();
    Ok(match company.parse::<i32>() {
        Ok(id) => Condition::eq(format!("{path}/id").as_str(), id)?,
        Err(_) => Condition::eq(format!("{path}/identifier").as_str(), company)?
            .or(Condition::eq(format!("{path}/name").as_str(), company)?),
    })
}

/// `limit` within bounds, or the default.
pub fn limit(limit: Option<u32>) -> u32 {
    limit
        .unwrap_or(super::results::DEFAULT_LIMIT)
        .clamp(1, super::results::MAX_LIMIT)
}
