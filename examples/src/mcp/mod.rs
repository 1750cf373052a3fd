//! `mcp-server`: the SDK as a Model Context Protocol server, so a model calls tools such as
//! `search_tickets`, `add_ticket_note` or `run_screenconnect_command` instead of crafting HTTP
//! against ConnectWise Manage and ScreenConnect.
//!
//! - [`config`]: the TOML file naming the tenants (secrets from environment variables or files)
//!   and the audit log.
//! - [`tenants`]: each tenant's clients (Manage, and ScreenConnect when configured), each with
//!   its own credentials and rate budget; a call only ever gets the clients of the tenant it
//!   names.
//! - [`audit`]: one JSON line per tool call, free text redacted or hashed.
//! - [`tools`]: the tools, one file per group, behind the `--allow-writes` and
//!   `--allow-commands` switches.
//! - [`results`]: compact records and the `truncated` flag.
//!
//! Without a configuration the server runs on the Manage and ScreenConnect sandboxes started in
//! the process, and says so on standard error (standard output carries the protocol).

pub mod audit;
pub mod config;
pub mod results;
pub mod tenants;
pub mod tools;

use std::sync::Arc;

use rmcp::ServiceExt;

pub use tools::{McpServer, Permissions};

/// Serves `server` over standard input and output until the client closes them.
///
/// # Errors
/// When the session cannot start or ends with a transport error.
pub async fn serve_stdio(server: McpServer) -> Result<(), Box<dyn std::error::Error>> {
    let running = server.serve(rmcp::transport::stdio()).await?;
    running.waiting().await?;
    Ok(())
}

/// Serves `server` over streamable HTTP at `/mcp` on `listener` until the process is stopped.
///
/// # Errors
/// When the listener fails.
pub async fn serve_http(
    server: McpServer,
    listener: tokio::net::TcpListener,
) -> Result<(), Box<dyn std::error::Error>> {
    use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
    use rmcp::transport::{StreamableHttpServerConfig, StreamableHttpService};
    let service = StreamableHttpService::new(
        move || Ok(server.clone()),
        Arc::new(LocalSessionManager::default()),
        StreamableHttpServerConfig::default(),
    );
    let router = axum::Router::new().nest_service("/mcp", service);
    axum::serve(listener, router).await?;
    Ok(())
}
