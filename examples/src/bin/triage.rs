//! `triage`: classify new tickets on a service board by keyword rules, set their priority and
//! type, and post an internal triage note on each. See `examples::recipes::triage`.
//!
//! ```sh
//! cargo run -p examples --bin triage                     # dry run on the embedded sandbox
//! cargo run -p examples --bin triage -- --apply          # write (on the sandbox: harmless)
//! cargo run -p examples --bin triage -- --board "Service Desk" --status New --status Reopened
//! ```
//!
//! Environment: `CW_SITE`, `CW_COMPANY`, `CW_PUBLIC_KEY`, `CW_PRIVATE_KEY`, `CW_CLIENT_ID` (and
//! optionally `CW_API_VERSION`) select a real tenant; with none of them set the recipe runs on the
//! embedded sandbox, and says so on the first line of stderr. Setting only some of them is an error.
//!
//! Dry run by default: nothing is written without `--apply`. Tickets already carrying a triage
//! note are skipped, so running it again (say, every five minutes) is safe.

use std::process::ExitCode;

use clap::Parser;
use examples::Error;
use examples::error::exit_code;
use examples::recipes::triage::{self, TriageOptions};
use examples::target::ManageTarget;

/// Classify new tickets on a service board, set priority and type, and post an internal note.
///
/// Runs on the embedded sandbox unless CW_SITE, CW_COMPANY, CW_PUBLIC_KEY, CW_PRIVATE_KEY and
/// CW_CLIENT_ID are set.
#[derive(Debug, Parser)]
#[command(name = "triage", version)]
struct Arguments {
    /// The service board.
    #[arg(long, value_name = "NAME", default_value = "Help Desk")]
    board: String,
    /// A status that counts as new; repeat for several (default: New).
    #[arg(long = "status", value_name = "NAME")]
    statuses: Vec<String>,
    /// Write the changes (default: dry run).
    #[arg(long)]
    apply: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    exit_code(run(Arguments::parse()).await)
}

async fn run(arguments: Arguments) -> Result<ExitCode, Error> {
    let mut options = TriageOptions {
        board: arguments.board,
        apply: arguments.apply,
        ..TriageOptions::default()
    };
    if !arguments.statuses.is_empty() {
        options.statuses = arguments.statuses;
    }

    let target = ManageTarget::from_env().await?;
    eprintln!("{}", target.banner());
    let report = triage::run(target.client(), &options).await?;
    println!("{report}");
    Ok(ExitCode::SUCCESS)
}
