//! `mcp-server`: ConnectWise Manage and ScreenConnect as MCP tools for a model, multi-tenant and
//! audited.
//!
//! ```sh
//! mcp-server                                  # the sandbox, read-only, over stdio
//! mcp-server --config tenants.toml            # the configured tenants
//! mcp-server --config tenants.toml --allow-writes --allow-commands
//! mcp-server --config tenants.toml --allow-writes --http 127.0.0.1:8765
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use examples::mcp::audit::AuditLog;
use examples::mcp::config::{AuditConfig, Config};
use examples::mcp::tenants::Tenants;
use examples::mcp::{McpServer, Permissions, serve_http, serve_stdio};

/// Serves ConnectWise Manage and ScreenConnect tools to an MCP client (stdio by default).
#[derive(Debug, Parser)]
#[command(name = "mcp-server", version)]
struct Args {
    /// The tenants' configuration (TOML); without it the server runs on a local sandbox.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Allow tools that change records (notes, ticket updates, time entries).
    #[arg(long)]
    allow_writes: bool,
    /// Allow tools that run commands on machines.
    #[arg(long)]
    allow_commands: bool,
    /// Serve streamable HTTP at http://ADDR/mcp instead of stdio.
    #[arg(long, value_name = "ADDR")]
    http: Option<std::net::SocketAddr>,
    /// Append the audit log to this file (overrides the configuration; default standard error).
    #[arg(long, value_name = "FILE")]
    audit_log: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("mcp-server: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let (tenants, audit) = match &args.config {
        Some(path) => {
            let config = Config::load(path)?;
            let tenants = Tenants::from_config(&config, &|name| std::env::var(name).ok())?;
            (tenants, config.audit)
        }
        None => (Tenants::sandbox().await?, AuditConfig::default()),
    };
    // Standard output is the protocol's: everything for people goes to standard error.
    match tenants.sandbox_urls() {
        Some((site, instance)) => eprintln!(
            "mcp-server: no --config given, running on the sandbox (tenant \"sandbox\"): \
             ConnectWise Manage at {site}, ScreenConnect at {instance}."
        ),
        None => eprintln!("mcp-server: tenants: {}.", tenants.names().join(", ")),
    }
    let file = args.audit_log.as_deref().or(audit.file.as_deref());
    let audit_log = AuditLog::open(file, audit.text)?;
    let permissions = Permissions {
        writes: args.allow_writes,
        commands: args.allow_commands,
    };
    eprintln!(
        "mcp-server: writes {}, commands {}.",
        if permissions.writes {
            "allowed"
        } else {
            "off (--allow-writes)"
        },
        if permissions.commands {
            "allowed"
        } else {
            "off (--allow-commands)"
        },
    );
    let server = McpServer::new(Arc::new(tenants), Arc::new(audit_log), permissions);
    match args.http {
        Some(addr) => {
            let listener = tokio::net::TcpListener::bind(addr).await?;
            eprintln!("mcp-server: serving http://{}/mcp", listener.local_addr()?);
            serve_http(server, listener).await
        }
        None => serve_stdio(server).await,
    }
}
