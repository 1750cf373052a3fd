//! `ensure_callback`: make sure Manage posts ticket changes to your service, with
//! `Client::ensure_callback`, which creates, updates or leaves alone the callback entry so that
//! running it from every deployment is safe. See `examples::recipes::ensure_callback`.
//!
//! ```sh
//! cargo run -p examples --bin ensure_callback                  # sandbox, dry run
//! cargo run -p examples --bin ensure_callback -- --apply       # register (again: nothing sent)
//! cargo run -p examples --bin ensure_callback -- \
//!     --url "https://hooks.example.com/cw/tickets?recordId=" --description "Ticket triage" --apply
//! cargo run -p examples --bin ensure_callback -- --url … --level board --object-id 1 --apply
//! ```
//!
//! Environment: `CW_SITE`, `CW_COMPANY`, `CW_PUBLIC_KEY`, `CW_PRIVATE_KEY`, `CW_CLIENT_ID` (and
//! optionally `CW_API_VERSION`) select a real tenant; with none of them set the recipe runs on the
//! embedded sandbox, and says so on the first line of stderr. On the sandbox `--url` defaults to an example
//! URL; a real tenant needs it.
//!
//! Dry run by default: nothing is written without `--apply`.

use std::process::ExitCode;

use clap::Parser;
use examples::Error;
use examples::error::exit_code;
use examples::recipes::ensure_callback::{self, CallbackOptions};
use examples::target::ManageTarget;

/// Register a ticket callback, idempotently.
///
/// Runs on the embedded sandbox unless CW_SITE, CW_COMPANY, CW_PUBLIC_KEY, CW_PRIVATE_KEY and
/// CW_CLIENT_ID are set.
#[derive(Debug, Parser)]
#[command(name = "ensure_callback", version)]
struct Arguments {
    /// Where Manage posts (https; end it with ?recordId=); on the sandbox: an example URL.
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// The entry's description (default: Ticket automation).
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    description: Option<String>,
    /// The record type (default: ticket).
    #[arg(long = "type", value_name = "TYPE")]
    kind: Option<String>,
    /// owner (every record, the default), board, status, …
    #[arg(long, value_name = "LEVEL")]
    level: Option<String>,
    /// The board (or other object) for levels other than owner.
    #[arg(long, value_name = "ID")]
    object_id: Option<i32>,
    /// Register (default: dry run).
    #[arg(long)]
    apply: bool,
}

/// The URL used on the sandbox when none is given.
const SAMPLE_URL: &str = "https://hooks.example.com/connectwise/tickets?recordId=";

#[tokio::main]
async fn main() -> ExitCode {
    exit_code(run(Arguments::parse()).await)
}

async fn run(arguments: Arguments) -> Result<ExitCode, Error> {
    let target = ManageTarget::from_env().await?;
    eprintln!("{}", target.banner());
    let url = match arguments.url {
        Some(url) => url,
        None if target.is_sandbox() => SAMPLE_URL.to_owned(),
        None => return Err(Error::Required("--url")),
    };
    let mut options = CallbackOptions::tickets(url);
    if let Some(description) = arguments.description {
        options.description = description;
    }
    if let Some(kind) = arguments.kind {
        options.kind = kind;
    }
    if let Some(level) = arguments.level {
        options.level = level;
    }
    options.object_id = arguments.object_id;
    options.apply = arguments.apply;
    let report = ensure_callback::run(target.client(), &options).await?;
    println!("{report}");
    Ok(ExitCode::SUCCESS)
}
