//! Ticket tools: `search_tickets`, `get_ticket_details`, `add_ticket_note`, `update_ticket`.

use connectwise_manage::patch::{Patch, Reference};
use connectwise_manage::query::{Condition, OrderBy};
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::{ErrorData, tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::resolve::{self, Lookup};
use super::{
    Done, McpServer, Needs, ToolError, company_condition, limit, list_records, parse_conditions,
};
use crate::mcp::results::{TICKET_FIELDS, compact, listing, record_ids, reference_name};
use crate::mcp::tenants::Tenant;

const TICKETS: &str = "/service/tickets";

/// Arguments of `search_tickets`.
#[derive(Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct SearchTickets {
    /// The tenant (customer instance) to search; optional when the server has one tenant.
    #[serde(default)]
    pub tenant: Option<String>,
    /// ConnectWise conditions, e.g. `status/name = "New" and priority/name like "Priority 1*"`.
    /// Checked before sending; combined with `and` with the filters below.
    #[serde(default)]
    pub conditions: Option<String>,
    /// Board name, e.g. "Help Desk".
    #[serde(default)]
    pub board: Option<String>,
    /// Status name, e.g. "New".
    #[serde(default)]
    pub status: Option<String>,
    /// Company id, identifier or name.
    #[serde(default)]
    pub company: Option<String>,
    /// Text the contact's name contains.
    #[serde(default)]
    pub contact: Option<String>,
    /// Text the summary contains.
    #[serde(default)]
    pub summary_contains: Option<String>,
    /// Only tickets that are not closed.
    #[serde(default)]
    pub open_only: Option<bool>,
    /// Ordering, e.g. "id desc" (the default) or "priority/sort asc, id asc".
    #[serde(default)]
    pub order_by: Option<String>,
    /// Most tickets to return (default 25, at most 200).
    #[serde(default)]
    pub limit: Option<u32>,
}

/// Arguments of `get_ticket_details`.
#[derive(Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct GetTicketDetails {
    /// The tenant; optional when the server has one tenant.
    #[serde(default)]
    pub tenant: Option<String>,
    /// The ticket number.
    pub ticket_id: i32,
    /// How many of the latest notes to include (default 5, at most 50).
    #[serde(default)]
    pub notes_limit: Option<u32>,
}

/// Arguments of `add_ticket_note`.
#[derive(Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct AddTicketNote {
    /// The tenant; optional when the server has one tenant.
    #[serde(default)]
    pub tenant: Option<String>,
    /// The ticket number.
    pub ticket_id: i32,
    /// The note's text.
    pub text: String,
    /// `true` for an internal note (technicians only), `false` for one the customer sees.
    pub internal: bool,
}

/// Arguments of `update_ticket`. Each field is a name or a numeric id, checked on the tenant
/// before anything is changed; omitted fields stay.
#[derive(Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct UpdateTicket {
    /// The tenant; optional when the server has one tenant.
    #[serde(default)]
    pub tenant: Option<String>,
    /// The ticket number.
    pub ticket_id: i32,
    /// New status (name on the ticket's board, or id).
    #[serde(default)]
    pub status: Option<String>,
    /// New priority (name or id).
    #[serde(default)]
    pub priority: Option<String>,
    /// New type (name or id).
    #[serde(default, rename = "type")]
    pub ticket_type: Option<String>,
    /// New subtype (name or id).
    #[serde(default)]
    pub subtype: Option<String>,
    /// New board (name or id).
    #[serde(default)]
    pub board: Option<String>,
    /// New owner (member identifier, full name, or id).
    #[serde(default)]
    pub owner: Option<String>,
}

#[tool_router(router = tickets_router, vis = "pub(super)")]
impl McpServer {
    /// Finds tickets.
    #[tool(
        name = "search_tickets",
        description = "Search service tickets by filters (board, status, company, contact, summary text) \
                       and/or a ConnectWise conditions string. Returns compact tickets (id, summary, \
                       board, status, company, contact, priority, type, owner) and `truncated` when \
                       more matched than `limit`."
    )]
    pub async fn search_tickets(
        &self,
        Parameters(args): Parameters<SearchTickets>,
    ) -> Result<CallToolResult, ErrorData> {
        let begun = match self.begin("search_tickets", Needs::Read, args.tenant.as_deref(), &args) {
            Ok(begun) => begun,
            Err(refused) => return Ok(refused),
        };
        let result = search(begun.tenant, &args).await;
        Ok(self.finish("search_tickets", begun, &args, result))
    }

    /// One ticket with its context.
    #[tool(
        name = "get_ticket_details",
        description = "Get one ticket with its contact (name, emails, phones), its company, the company's \
                       configurations (devices) and the latest notes."
    )]
    pub async fn get_ticket_details(
        &self,
        Parameters(args): Parameters<GetTicketDetails>,
    ) -> Result<CallToolResult, ErrorData> {
        let begun = match self.begin(
            "get_ticket_details",
            Needs::Read,
            args.tenant.as_deref(),
            &args,
        ) {
            Ok(begun) => begun,
            Err(refused) => return Ok(refused),
        };
        let result = details(begun.tenant, &args).await;
        Ok(self.finish("get_ticket_details", begun, &args, result))
    }

    /// Adds a note.
    #[tool(
        name = "add_ticket_note",
        description = "Add a note to a ticket: internal (technicians only) or external (the customer \
                       sees it). Needs the server to allow writes."
    )]
    pub async fn add_ticket_note(
        &self,
        Parameters(args): Parameters<AddTicketNote>,
    ) -> Result<CallToolResult, ErrorData> {
        let begun = match self.begin(
            "add_ticket_note",
            Needs::Write,
            args.tenant.as_deref(),
            &args,
        ) {
            Ok(begun) => begun,
            Err(refused) => return Ok(refused),
        };
        let result = add_note(begun.tenant, &args).await;
        Ok(self.finish("add_ticket_note", begun, &args, result))
    }

    /// Changes a ticket.
    #[tool(
        name = "update_ticket",
        description = "Change a ticket's status, priority, type, subtype, board or owner, each by name \
                       or id (owner: member identifier or full name). Statuses, types and subtypes \
                       are the board's (the new board's when it changes). An unknown name is \
                       refused with the choices and nothing changes; omitted fields stay. Needs \
                       the server to allow writes."
    )]
    pub async fn update_ticket(
        &self,
        Parameters(args): Parameters<UpdateTicket>,
    ) -> Result<CallToolResult, ErrorData> {
        let begun = match self.begin("update_ticket", Needs::Write, args.tenant.as_deref(), &args) {
            Ok(begun) => begun,
            Err(refused) => return Ok(refused),
        };
        let result = update(begun.tenant, &args).await;
        Ok(self.finish("update_ticket", begun, &args, result))
    }
}

/// A filter's text, or `None` when absent or blank.
fn text(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

async fn search(tenant: &Tenant, args: &SearchTickets) -> Result<Done, ToolError> {
    let mut clauses: Vec<Condition> = Vec::new();
    if let Some(condition) = parse_conditions(args.conditions.as_deref())? {
        clauses.push(condition);
    }
    if let Some(board) = text(&args.board) {
        clauses.push(Condition::eq("board/name", board)?);
    }
    if let Some(status) = text(&args.status) {
        clauses.push(Condition::eq("status/name", status)?);
    }
    if let Some(company) = text(&args.company) {
        clauses.push(company_condition(company, "company")?);
    }
    if let Some(contact) = text(&args.contact) {
        clauses.push(Condition::contains("contactName", contact)?);
    }
    if let Some(summary) = text(&args.summary_contains) {
        clauses.push(Condition::contains("summary", summary)?);
    }
    if args.open_only == Some(true) {
        clauses.push(Condition::eq("closedFlag", false)?);
    }
    let order = match text(&args.order_by) {
        Some(order) => OrderBy::parse(order)?,
        None => OrderBy::desc("id")?,
    };
    let limit = limit(args.limit);
    let records = list_records(
        &tenant.manage,
        TICKETS,
        Condition::all(clauses),
        order,
        &TICKET_FIELDS,
        limit,
    )
    .await?;
    let tickets: Vec<Value> = records.iter().map(|t| compact(t, &TICKET_FIELDS)).collect();
    let value = listing("tickets", tickets, limit as usize);
    let records = record_ids(
        "service/tickets",
        value["tickets"].as_array().map_or(&[], |v| v),
    );
    Ok(Done { value, records })
}

/// The note fields a model reads.
fn compact_note(note: &Value) -> Value {
    json!({
        "id": note["id"],
        "text": note["text"],
        "internal": note["internalAnalysisFlag"],
        "description": note["detailDescriptionFlag"],
        "resolution": note["resolutionFlag"],
        "created": note["dateCreated"],
        "createdBy": note["createdBy"],
    })
}

async fn details(tenant: &Tenant, args: &GetTicketDetails) -> Result<Done, ToolError> {
    let client = &tenant.manage;
    let tickets = client.endpoint::<Value>(TICKETS);
    let Some(ticket) = tickets.get_opt(args.ticket_id).await? else {
        return Err(ToolError::Failed(format!(
            "ticket {} does not exist on tenant {:?}",
            args.ticket_id, tenant.name
        )));
    };
    let mut records = vec![format!("service/tickets/{}", args.ticket_id)];
    let mut shaped = compact(
        &ticket,
        &[
            &TICKET_FIELDS[..],
            &[
                "contactEmailAddress",
                "contactPhoneNumber",
                "severity",
                "impact",
                "source",
            ],
        ]
        .concat(),
    );

    let id_of = |reference: &Value| reference.get("id").and_then(Value::as_i64);
    if let Some(id) = id_of(&ticket["contact"]).and_then(|id| i32::try_from(id).ok())
        && let Some(contact) = client
            .endpoint::<Value>("/company/contacts")
            .get_opt(id)
            .await?
    {
        records.push(format!("company/contacts/{id}"));
        shaped["contact"] = compact(&contact, &crate::mcp::results::CONTACT_FIELDS);
    }
    if let Some(id) = id_of(&ticket["company"]).and_then(|id| i32::try_from(id).ok()) {
        if let Some(company) = client
            .endpoint::<Value>("/company/companies")
            .get_opt(id)
            .await?
        {
            records.push(format!("company/companies/{id}"));
            shaped["company"] = compact(&company, &crate::mcp::results::COMPANY_FIELDS);
        }
        let fields = crate::mcp::results::CONFIGURATION_FIELDS;
        let configurations = list_records(
            client,
            "/company/configurations",
            Some(Condition::eq("company/id", id)?),
            OrderBy::asc("id")?,
            &fields,
            10,
        )
        .await?;
        records.extend(record_ids("company/configurations", &configurations));
        let configurations = configurations.iter().map(|c| compact(c, &fields)).collect();
        shaped["configurations"] = listing("items", configurations, 10);
    }
    let notes_limit = args.notes_limit.unwrap_or(5).clamp(1, 50);
    let notes = list_records(
        client,
        &format!("{TICKETS}/{}/notes", args.ticket_id),
        None,
        OrderBy::desc("id")?,
        &[
            "id",
            "text",
            "internalAnalysisFlag",
            "detailDescriptionFlag",
            "resolutionFlag",
            "dateCreated",
            "createdBy",
        ],
        notes_limit,
    )
    .await?;
    let notes = notes.iter().map(compact_note).collect();
    shaped["notes"] = listing("latest", notes, notes_limit as usize);
    Ok(Done {
        value: json!({ "ticket": shaped }),
        records,
    })
}

async fn add_note(tenant: &Tenant, args: &AddTicketNote) -> Result<Done, ToolError> {
    if args.text.trim().is_empty() {
        return Err(ToolError::Refused(
            "the note's text is empty; nothing was sent".to_owned(),
        ));
    }
    let body = json!({
        "text": args.text,
        "internalAnalysisFlag": args.internal,
        "detailDescriptionFlag": !args.internal,
        "resolutionFlag": false,
    });
    let path = format!("{TICKETS}/{}/notes", args.ticket_id);
    let created = tenant.manage.endpoint::<Value>(&path).create(&body).await?;
    let id = created.get("id").cloned().unwrap_or(Value::Null);
    Ok(Done {
        records: vec![format!("service/tickets/{}/notes/{id}", args.ticket_id)],
        value: json!({ "ticket_id": args.ticket_id, "note_id": id, "internal": args.internal }),
    })
}

async fn update(tenant: &Tenant, args: &UpdateTicket) -> Result<Done, ToolError> {
    let changes = [
        ("board", text(&args.board), Lookup::Board),
        ("status", text(&args.status), Lookup::Status),
        ("priority", text(&args.priority), Lookup::Priority),
        ("type", text(&args.ticket_type), Lookup::Type),
        ("subType", text(&args.subtype), Lookup::Subtype),
        ("owner", text(&args.owner), Lookup::Member),
    ];
    if changes.iter().all(|(_, value, _)| value.is_none()) {
        return Err(ToolError::Refused(
            "nothing to change: give at least one of status, priority, type, subtype, board, owner"
                .to_owned(),
        ));
    }
    let client = &tenant.manage;
    let tickets = client.endpoint::<Value>(TICKETS);
    let Some(ticket) = tickets.get_opt(args.ticket_id).await? else {
        return Err(ToolError::Failed(format!(
            "ticket {} does not exist on tenant {:?}; nothing was changed",
            args.ticket_id, tenant.name
        )));
    };
    // Statuses, types and subtypes belong to a board: the new one when the board changes.
    let mut board = ticket["board"]["id"]
        .as_i64()
        .and_then(|id| i32::try_from(id).ok());
    let mut board_name = reference_name(&ticket["board"]);
    let mut patch = Patch::new();
    for (path, value, lookup) in changes {
        let Some(value) = value else { continue };
        let on_board = match board {
            Some(board) => board,
            None if lookup.per_board() => {
                return Err(ToolError::Refused(format!(
                    "ticket {} has no board, so its {} cannot be looked up: give board too; \
                     nothing was changed",
                    args.ticket_id,
                    lookup.noun()
                )));
            }
            // Tenant-wide lookups do not read the board.
            None => 0,
        };
        let choices = resolve::choices(client, lookup, on_board).await?;
        let place = if lookup.per_board() {
            format!(" on board {board_name}")
        } else {
            format!(" on tenant {:?}", tenant.name)
        };
        let id = resolve::pick(&choices, lookup, value, &place)?;
        if lookup == Lookup::Board {
            board = Some(id);
            board_name = choices
                .iter()
                .find(|c| c.id == id)
                .and_then(|c| c.names.first())
                .map_or(Value::from(id), |name| Value::from(name.as_str()));
        }
        patch = patch.replace_reference(path, Reference::id(id))?;
    }
    let updated = tickets.patch(args.ticket_id, &patch).await?;
    Ok(Done {
        records: vec![format!("service/tickets/{}", args.ticket_id)],
        value: json!({ "ticket": compact(&updated, &TICKET_FIELDS) }),
    })
}
