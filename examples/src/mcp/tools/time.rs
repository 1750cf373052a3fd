//! Time tools: `create_time_entry`.

use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::{ErrorData, tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime, UtcOffset};

use super::{Done, McpServer, Needs, ToolError};
use crate::mcp::tenants::Tenant;

/// The longest entry a call may log, in minutes (a day).
pub const MAX_MINUTES: u32 = 24 * 60;

/// Arguments of `create_time_entry`.
#[derive(Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct CreateTimeEntry {
    /// The tenant; optional when the server has one tenant.
    #[serde(default)]
    pub tenant: Option<String>,
    /// The ticket the time is charged to.
    pub ticket_id: i32,
    /// The member who did the work (identifier, e.g. "jsmith").
    pub member: String,
    /// How long the work took, in minutes (1 to 1440).
    pub minutes: u32,
    /// When the work started (RFC 3339, e.g. 2026-05-14T09:00:00Z); default: `minutes` ago.
    #[serde(default)]
    pub started: Option<String>,
    /// What was done (the entry's notes).
    pub notes: String,
    /// Work type name or id; the member's default when omitted.
    #[serde(default)]
    pub work_type: Option<String>,
}

#[tool_router(router = time_router, vis = "pub(super)")]
impl McpServer {
    /// Logs time on a ticket.
    #[tool(
        name = "create_time_entry",
        description = "Log time a member spent on a ticket (minutes, start time, notes, optional work \
                       type). Needs the server to allow writes."
    )]
    pub async fn create_time_entry(
        &self,
        Parameters(args): Parameters<CreateTimeEntry>,
    ) -> Result<CallToolResult, ErrorData> {
        let begun = match self.begin(
            "create_time_entry",
            Needs::Write,
            args.tenant.as_deref(),
            &args,
        ) {
            Ok(begun) => begun,
            Err(refused) => return Ok(refused),
        };
        let result = create(begun.tenant, &args).await;
        Ok(self.finish("create_time_entry", begun, &args, result))
    }
}

/// A UTC time with whole seconds, the form Manage stores.
fn manage_time(time: OffsetDateTime) -> Result<String, ToolError> {
    time.to_offset(UtcOffset::UTC)
        .replace_nanosecond(0)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .ok_or_else(|| ToolError::Refused("the start time cannot be written".to_owned()))
}

async fn create(tenant: &Tenant, args: &CreateTimeEntry) -> Result<Done, ToolError> {
    if !(1..=MAX_MINUTES).contains(&args.minutes) {
        return Err(ToolError::Refused(format!(
            "minutes must be 1 to {MAX_MINUTES}, not {}; nothing was sent",
            args.minutes
        )));
    }
    if args.member.trim().is_empty() {
        return Err(ToolError::Refused(
            "member is empty; nothing was sent".to_owned(),
        ));
    }
    let length = Duration::minutes(i64::from(args.minutes));
    let start = match args.started.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() => OffsetDateTime::parse(text, &Rfc3339).map_err(|e| {
            ToolError::Refused(format!(
                "started {text:?} is not an RFC 3339 time such as 2026-05-14T09:00:00Z ({e}); \
                 nothing was sent"
            ))
        })?,
        _ => OffsetDateTime::now_utc() - length,
    };
    let mut body = json!({
        "chargeToId": args.ticket_id,
        "chargeToType": "ServiceTicket",
        "member": {"identifier": args.member.trim()},
        "timeStart": manage_time(start)?,
        "timeEnd": manage_time(start + length)?,
        "notes": args.notes,
    });
    if let Some(work_type) = args
        .work_type
        .as_deref()
        .map(str::trim)
        .filter(|w| !w.is_empty())
    {
        body["workType"] = match work_type.parse::<i32>() {
            Ok(id) => json!({"id": id}),
            Err(_) => json!({"name": work_type}),
        };
    }
    let created = tenant
        .manage
        .endpoint::<Value>("/time/entries")
        .create(&body)
        .await?;
    let id = created.get("id").cloned().unwrap_or(Value::Null);
    Ok(Done {
        records: vec![format!("time/entries/{id}")],
        value: json!({
            "time_entry_id": id,
            "ticket_id": args.ticket_id,
            "member": crate::mcp::results::reference_name(&created["member"]),
            "start": created.get("timeStart").unwrap_or(&body["timeStart"]),
            "end": created.get("timeEnd").unwrap_or(&body["timeEnd"]),
            "hours": created.get("actualHours").cloned().unwrap_or(Value::Null),
        }),
    })
}
