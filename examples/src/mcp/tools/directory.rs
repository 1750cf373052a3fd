//! Directory tools: `search_companies`, `search_contacts`, `find_configurations`.

use connectwise_manage::query::{Condition, OrderBy};
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::{ErrorData, tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{
    Done, McpServer, Needs, ToolError, company_condition, limit, list_records, parse_conditions,
};
use crate::mcp::results::{
    COMPANY_FIELDS, CONFIGURATION_FIELDS, CONTACT_FIELDS, compact, listing, record_ids,
};
use crate::mcp::tenants::Tenant;

/// Arguments of `search_companies`.
#[derive(Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct SearchCompanies {
    /// The tenant; optional when the server has one tenant.
    #[serde(default)]
    pub tenant: Option<String>,
    /// Text the company's name contains.
    #[serde(default)]
    pub name_contains: Option<String>,
    /// ConnectWise conditions, e.g. `city = "Springfield"`; checked before sending.
    #[serde(default)]
    pub conditions: Option<String>,
    /// Most companies to return (default 25, at most 200).
    #[serde(default)]
    pub limit: Option<u32>,
}

/// Arguments of `search_contacts`.
#[derive(Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct SearchContacts {
    /// The tenant; optional when the server has one tenant.
    #[serde(default)]
    pub tenant: Option<String>,
    /// The contact's company (id, identifier or name).
    #[serde(default)]
    pub company: Option<String>,
    /// Text the first or last name contains.
    #[serde(default)]
    pub name_contains: Option<String>,
    /// ConnectWise conditions, e.g. `title like "IT*"`; checked before sending.
    #[serde(default)]
    pub conditions: Option<String>,
    /// Most contacts to return (default 25, at most 200).
    #[serde(default)]
    pub limit: Option<u32>,
}

/// Arguments of `find_configurations`.
#[derive(Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct FindConfigurations {
    /// The tenant; optional when the server has one tenant.
    #[serde(default)]
    pub tenant: Option<String>,
    /// The owning company (id, identifier or name).
    #[serde(default)]
    pub company: Option<String>,
    /// Text the configuration's name (usually the device's host name) contains.
    #[serde(default)]
    pub name_contains: Option<String>,
    /// ConnectWise conditions, e.g. `type/name = "Managed Workstation"`; checked before sending.
    #[serde(default)]
    pub conditions: Option<String>,
    /// Most configurations to return (default 25, at most 200).
    #[serde(default)]
    pub limit: Option<u32>,
}

#[tool_router(router = directory_router, vis = "pub(super)")]
impl McpServer {
    /// Finds companies.
    #[tool(
        name = "search_companies",
        description = "Search customer companies by name text and/or a conditions string. Returns id, \
                       identifier, name, status, city and phone, and `truncated`."
    )]
    pub async fn search_companies(
        &self,
        Parameters(args): Parameters<SearchCompanies>,
    ) -> Result<CallToolResult, ErrorData> {
        let begun = match self.begin(
            "search_companies",
            Needs::Read,
            args.tenant.as_deref(),
            &args,
        ) {
            Ok(begun) => begun,
            Err(refused) => return Ok(refused),
        };
        let result = search(
            begun.tenant,
            Search {
                path: "/company/companies",
                key: "companies",
                fields: &COMPANY_FIELDS,
                name_fields: &["name"],
                company: None,
                name_contains: args.name_contains.as_deref(),
                conditions: args.conditions.as_deref(),
                limit: args.limit,
            },
        )
        .await;
        Ok(self.finish("search_companies", begun, &args, result))
    }

    /// Finds contacts.
    #[tool(
        name = "search_contacts",
        description = "Search contacts (people at customer companies) by company and/or name text. \
                       Returns id, names, company, title, emails and phones, and `truncated`."
    )]
    pub async fn search_contacts(
        &self,
        Parameters(args): Parameters<SearchContacts>,
    ) -> Result<CallToolResult, ErrorData> {
        let begun = match self.begin(
            "search_contacts",
            Needs::Read,
            args.tenant.as_deref(),
            &args,
        ) {
            Ok(begun) => begun,
            Err(refused) => return Ok(refused),
        };
        let result = search(
            begun.tenant,
            Search {
                path: "/company/contacts",
                key: "contacts",
                fields: &CONTACT_FIELDS,
                name_fields: &["firstName", "lastName"],
                company: args.company.as_deref(),
                name_contains: args.name_contains.as_deref(),
                conditions: args.conditions.as_deref(),
                limit: args.limit,
            },
        )
        .await;
        Ok(self.finish("search_contacts", begun, &args, result))
    }

    /// Finds configurations.
    #[tool(
        name = "find_configurations",
        description = "Find configurations (devices and other assets) by company and/or name text. \
                       Returns id, name, type, status, company, serial number, IP address, OS and \
                       last login, and `truncated`."
    )]
    pub async fn find_configurations(
        &self,
        Parameters(args): Parameters<FindConfigurations>,
    ) -> Result<CallToolResult, ErrorData> {
        let begun = match self.begin(
            "find_configurations",
            Needs::Read,
            args.tenant.as_deref(),
            &args,
        ) {
            Ok(begun) => begun,
            Err(refused) => return Ok(refused),
        };
        let result = search(
            begun.tenant,
            Search {
                path: "/company/configurations",
                key: "configurations",
                fields: &CONFIGURATION_FIELDS,
                name_fields: &["name"],
                company: args.company.as_deref(),
                name_contains: args.name_contains.as_deref(),
                conditions: args.conditions.as_deref(),
                limit: args.limit,
            },
        )
        .await;
        Ok(self.finish("find_configurations", begun, &args, result))
    }
}

/// One directory listing: where, what to keep, and the filters a tool was given.
struct Search<'a> {
    path: &'a str,
    key: &'a str,
    fields: &'a [&'a str],
    name_fields: &'a [&'a str],
    company: Option<&'a str>,
    name_contains: Option<&'a str>,
    conditions: Option<&'a str>,
    limit: Option<u32>,
}

async fn search(tenant: &Tenant, search: Search<'_>) -> Result<Done, ToolError> {
    let mut clauses: Vec<Condition> = Vec::new();
    if let Some(condition) = parse_conditions(search.conditions)? {
        clauses.push(condition);
    }
    if let Some(company) = search.company.map(str::trim).filter(|c| !c.is_empty()) {
        clauses.push(company_condition(company, "company")?);
    }
    if let Some(text) = search
        .name_contains
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let mut any = Vec::new();
        for field in search.name_fields {
            any.push(Condition::contains(*field, text)?);
        }
        clauses.extend(Condition::any(any));
    }
    let limit = limit(search.limit);
    let records = list_records(
        &tenant.manage,
        search.path,
        Condition::all(clauses),
        OrderBy::asc("id")?,
        search.fields,
        limit,
    )
    .await?;
    let shaped: Vec<Value> = records.iter().map(|r| compact(r, search.fields)).collect();
    let value = listing(search.key, shaped, limit as usize);
    let route = search.path.trim_start_matches('/');
    let records = record_ids(route, value[search.key].as_array().map_or(&[], |v| v));
    Ok(Done { value, records })
}
