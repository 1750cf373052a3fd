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
//! embedded sandbox, and says so on its first line. On the sandbox `--url` defaults to an example
//! URL; a real tenant needs it.
//!
//! Dry run by default: nothing is written without `--apply`.

use std::process::ExitCode;

use examples::Error;
use examples::cli::{self, Args, CliError};
use examples::recipes::ensure_callback::{self, CallbackOptions};
use examples::target::ManageTarget;

const HELP: &str = "\
Register a ticket callback, idempotently.

Usage: ensure_callback --url URL [--description TEXT] [--type TYPE] [--level LEVEL]
                       [--object-id ID] [--apply]

  --url URL            where Manage posts (https; end it with ?recordId=)
  --description TEXT   the entry's description (default: Ticket automation)
  --type TYPE          the record type (default: ticket)
  --level LEVEL        owner (every record, the default), board, status, …
  --object-id ID       the board (or other object) for levels other than owner
  --apply              register (default: dry run)

Runs on the embedded sandbox unless CW_SITE, CW_COMPANY, CW_PUBLIC_KEY, CW_PRIVATE_KEY and
CW_CLIENT_ID are set.";

/// The URL used on the sandbox when none is given.
const SAMPLE_URL: &str = "https://hooks.example.com/connectwise/tickets?recordId=";

#[tokio::main]
async fn main() -> ExitCode {
    cli::exit_code(run().await)
}

async fn run() -> Result<ExitCode, Error> {
    let Some(mut args) = Args::from_env_or_help(HELP) else {
        return Ok(ExitCode::SUCCESS);
    };
    let url = args.value("--url")?;
    let description = args.value("--description")?;
    let kind = args.value("--type")?;
    let level = args.value("--level")?;
    let object_id = args.parsed("--object-id", |v| {
        v.parse::<i32>().map_err(|e| e.to_string())
    })?;
    let apply = args.flag("--apply")?;
    args.finish()?;

    let target = ManageTarget::from_env().await?;
    println!("{}", target.banner());
    let url = match url {
        Some(url) => url,
        None if target.is_sandbox() => SAMPLE_URL.to_owned(),
        None => return Err(CliError::Required("--url".to_owned()).into()),
    };
    let mut options = CallbackOptions::tickets(url);
    if let Some(description) = description {
        options.description = description;
    }
    if let Some(kind) = kind {
        options.kind = kind;
    }
    if let Some(level) = level {
        options.level = level;
    }
    options.object_id = object_id;
    options.apply = apply;
    let report = ensure_callback::run(target.client(), &options).await?;
    println!("{report}");
    Ok(ExitCode::SUCCESS)
}
